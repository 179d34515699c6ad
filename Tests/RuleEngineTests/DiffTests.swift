import Foundation
import RuleEngine
import Testing

@testable import recommend

/// `recommend diff` on the mini fixture against a modified copy.
@Suite("recommend diff")
struct DiffTests {
    static let fixture = CommandLineTests.fixture

    /// A copy of the fixture with a heavier angiogenesis weight, a new clinical bone-marrow record and a new
    /// comparison (and their reference), and one record removed.
    static func head() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let rules = try String(contentsOfFile: fixture + "/Rules/mini.rules", encoding: .utf8)
            .replacingOccurrences(
                of: "requires angiogenesis      weight 3", with: "requires angiogenesis      weight 4")
        try directory.write("Rules/mini.rules", rules)
        let references = try String(contentsOfFile: fixture + "/Evidence/references.tsv", encoding: .utf8)
        try directory.write(
            "Evidence/references.tsv", references + "r4\t10.0000/fixture.4\t\tFixture D\t2023\tFixture paper four\tJ\n")
        let functions = try String(contentsOfFile: fixture + "/Evidence/function.tsv", encoding: .utf8)
            .components(separatedBy: "\n").filter { !$0.hasPrefix("F3\t") }.joined(separator: "\n")
        try directory.write(
            "Evidence/function.tsv",
            functions + "F4\tbone-marrow\tnone\tconditioned-medium\tangiogenesis\tsupports\tclinical\thuman\tr4\t\n")
        try directory.copyFixtureEvidence(["secretome.tsv", "mechanisms.tsv"])
        let comparisons = try String(contentsOfFile: fixture + "/Evidence/comparisons.tsv", encoding: .utf8)
        try directory.write(
            "Evidence/comparisons.tsv",
            comparisons
                + cmp("X3", "adipose", "none", versus: "bone-marrow", "none", "anti-inflammatory", "worse", ref: "r4"))
        return directory
    }

    func run(_ arguments: [String], head: String? = nil) -> (status: Int32, stdout: String, stderr: String) {
        var out = ""
        var err = ""
        let status = RecommendTool.run(arguments: arguments, stdout: &out, stderr: &err)
        func clean(_ text: String) -> String {
            let named = head.map { text.replacingOccurrences(of: $0, with: "HEAD") } ?? text
            return named.replacingOccurrences(of: Self.fixture, with: "BASE")
        }
        return (status, clean(out), clean(err))
    }

    @Test("rank changes, shortlist changes, rule and evidence changes", arguments: ["text", "markdown", "json"])
    func golden(format: String) throws {
        let head = try Self.head()
        // The base is the fixture itself, whose Rules/ and Evidence/ sit in one directory.
        let outcome = run(
            ["diff", "--base", Self.fixture, "--head", head.path, "--top", "1", "--format", format, "--wide"],
            head: head.path)
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
        try expectGolden(
            outcome.stdout, named: "diff.\(format == "text" ? "txt" : format == "markdown" ? "md" : "json")")
    }

    @Test("the numbers: bone-marrow+none overtakes adipose+hypoxia")
    func numbers() throws {
        let head = try Self.head()
        let base = try #require(
            KnowledgeBase.load(rulesDirectory: Self.fixture + "/Rules", evidenceDirectory: Self.fixture + "/Evidence")
                .knowledgeBase)
        let new = try #require(
            KnowledgeBase.load(rulesDirectory: head.path + "/Rules", evidenceDirectory: head.path + "/Evidence")
                .knowledgeBase)
        let diff = KnowledgeBaseDiff(base: base, head: new, shortlistSize: 1)
        let wound = try #require(diff.rankings.first)
        // Head, bone-marrow+none: angiogenesis 1.0 × 1 / (π²/6) (F4, clinical) + 0.09/(π²/6) (X2's comparator
        // side), anti-inflammatory 0.3/(π²/6) (F2) + 0.3/(π²/6) (X3's comparator side, in vitro), pro-fibrotic now
        // 0 (F3 removed): score = (4 · (1 + 0.09)/z + 1 · (0.3 + 0.3)/z) / 5.
        let boneMarrow = try #require(wound.movements.first { $0.candidate.id == "bone-marrow+none" })
        expectClose(
            try #require(boneMarrow.head).score,
            (4 * (1.0 / zeta2 + 0.09 / zeta2) + 1 * (0.3 / zeta2 + 0.3 / zeta2)) / 5)
        #expect(boneMarrow.head?.rank == 1)
        #expect(boneMarrow.base?.rank == 2)
        #expect(wound.entering.map(\.id) == ["bone-marrow+none"])
        #expect(wound.leaving.map(\.id) == ["adipose+hypoxia"])
        #expect(diff.ruleChanges.map(\.subject) == ["indication wound angiogenesis"])
        #expect(diff.evidenceChanges.map(\.subject) == ["record F3", "record F4", "record X3", "reference r4"])
        #expect(diff.evidenceChanges.map(\.kind) == [.removed, .added, .added, .added])
        #expect(
            diff.evidenceChanges[2].head
                == "comparison adipose+none worse than bone-marrow+none conditioned-medium anti-inflammatory in-vitro "
                + "[r4] species 'human' note ''")
    }

    @Test("alias order is no change; an ontology term is one")
    func termsAndAliases() throws {
        let head = try TemporaryDirectory()
        let rules = try String(contentsOfFile: Self.fixture + "/Rules/mini.rules", encoding: .utf8)
            .replacingOccurrences(
                of: "  aliases VEGF\n", with: "  aliases VEGF-A VEGF\n")
        try head.copyFixtureEvidence(
            ["references.tsv", "secretome.tsv", "function.tsv", "mechanisms.tsv", "comparisons.tsv"])
        try head.write("Rules/mini.rules", rules)
        let base = try #require(
            KnowledgeBase.load(rulesDirectory: Self.fixture + "/Rules", evidenceDirectory: Self.fixture + "/Evidence")
                .knowledgeBase)
        let aliasAdded = try #require(
            KnowledgeBase.load(rulesDirectory: head.path + "/Rules", evidenceDirectory: head.path + "/Evidence")
                .knowledgeBase)
        #expect(KnowledgeBaseDiff(base: base, head: aliasAdded).ruleChanges.map(\.subject) == ["component VEGFA"])
        let reordered = rules.replacingOccurrences(of: "aliases VEGF-A VEGF", with: "aliases VEGF VEGF-A")
        try head.write("Rules/mini.rules", reordered)
        let withReorder = try #require(
            KnowledgeBase.load(rulesDirectory: head.path + "/Rules", evidenceDirectory: head.path + "/Evidence")
                .knowledgeBase)
        #expect(KnowledgeBaseDiff(base: aliasAdded, head: withReorder).isEmpty)
        let termed = reordered.replacingOccurrences(
            of: "  aliases VEGF VEGF-A\n", with: "  aliases VEGF VEGF-A\n  term HGNC:12680\n")
        try head.write("Rules/mini.rules", termed)
        let withTerm = try #require(
            KnowledgeBase.load(rulesDirectory: head.path + "/Rules", evidenceDirectory: head.path + "/Evidence")
                .knowledgeBase)
        let changes = KnowledgeBaseDiff(base: withReorder, head: withTerm).ruleChanges
        #expect(changes.map(\.head) == ["\"\" term HGNC:12680 aliases VEGF VEGF-A"])
    }

    @Test("no changes, and a missing --head")
    func edges() {
        let same = run(["diff", "--base", Self.fixture, "--head", Self.fixture, "--wide"])
        #expect(same.status == 0)
        #expect(same.stdout == "recommend diff: BASE → BASE\nno changes\n")
        let missing = run(["diff", "--base", Self.fixture])
        #expect(missing.status == 2)
        #expect(
            missing.stderr == "error: missing required option '--head' [E403]\nRun 'recommend diff --help' for usage.\n"
        )
    }

    @Test("a --base that does not exist, or has no Rules/, is said in diff's terms (no --rules advice)")
    func missingBase() throws {
        let missing = runTool(["diff", "--base", "/nonexistent", "--head", packageRoot])
        #expect(missing.status == 2)
        #expect(
            missing.stderr
                == "error: --base '/nonexistent' does not exist; pass a knowledge base: a directory with Rules/ and "
                + "Evidence/ [E200]\n")
        let empty = try TemporaryDirectory()
        let hollow = runTool(["diff", "--base", packageRoot, "--head", empty.path])
        #expect(hollow.status == 2)
        #expect(hollow.stderr.hasPrefix("error: --head '\(empty.path)' has no Rules/ directory; pass a knowledge base"))
    }
}
