import EvidenceModel
import Foundation
import RuleEngine
import Testing

@testable import recommend

/// `recommend test`: the expectation language, its errors, and the results on the mini fixture.
@Suite("Rule expectations")
struct ExpectationTests {
    static let fixture = CommandLineTests.fixture

    func knowledgeBase() throws -> KnowledgeBase {
        let loaded = KnowledgeBase.load(
            rulesDirectory: Self.fixture + "/Rules", evidenceDirectory: Self.fixture + "/Evidence")
        return try #require(loaded.knowledgeBase)
    }

    func run(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        var out = ""
        var err = ""
        let status = RecommendTool.run(arguments: arguments, stdout: &out, stderr: &err)
        return (
            status, out.replacingOccurrences(of: Self.fixture, with: "FIXTURE"),
            err.replacingOccurrences(of: Self.fixture, with: "FIXTURE")
        )
    }

    @Test("results on the fixture: the expected and the actual rank and score")
    func results() throws {
        let kb = try knowledgeBase()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/tests/mini.expect")))
        let parsed = ExpectationParser.parse(bytes: bytes, path: "mini.expect", knowledgeBase: kb)
        #expect(parsed.diagnostics.map(\.headline) == [])
        let (results, coverage) = ExpectationRunner.run(parsed.expectations, with: Recommender(knowledgeBase: kb))
        #expect(results.map(\.passed) == [true, false, false, true, true, false])
        #expect(results[4].standings.map(\.rank) == [1])
        #expect(results[5].standings.map(\.rank) == [nil])
        #expect(results[0].expectation.citations == ["r1"])
        #expect(coverage.indicationsWithoutExpectations == [])
        // adipose+hypoxia has kept contributions to angiogenesis and pro-fibrotic; bone-marrow+none to
        // anti-inflammatory and pro-fibrotic; so every line is exercised.
        #expect(coverage.unexercisedLines == [])
    }

    @Test("outputs match their golden files; exit 1 on a failed expectation", arguments: ["text", "json", "junit"])
    func golden(format: String) throws {
        let outcome = run(
            ["test", "--tests", Self.fixture + "/tests", "--format", format, "--wide"] + CommandLineTests.kb)
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "expectations: 3 passed, 3 failed\n")
        try expectGolden(outcome.stdout, named: "test.\(format == "text" ? "txt" : format == "json" ? "json" : "xml")")
    }

    @Test("every expectation error at its exact place")
    func errors() throws {
        let kb = try knowledgeBase()
        let (text, marked) = markedSnippet(
            """
            ‸nonsense
            expect ‸wond
            end
            expect wound
              ‸topp 1 adipose+hypoxia because "x"
              ‸top 1 adipose+hypoxia
              top 1 adipose+hypoxia because "x" ‸because
              top 1 adipose+hypoxia because "x" cite ‸r9
              top 1 ‸adipose+hypoxa because "x"
              top ‸zero adipose+hypoxia because "x"
              ‸score adipose+hypoxia 0.1 0.2 because "x"
              score adipose+hypoxia between ‸0.5 0.2 because "x"
            ‸expect wound
            end
            ‸end
            expect wound
              eligible adipose+hypoxia because ‸"x"
            """)
        let parsed = ExpectationParser.parse(bytes: Array(text.utf8), path: "t.expect", knowledgeBase: kb)
        #expect(positions(parsed.diagnostics) == marked)
        #expect(
            parsed.diagnostics.map(\.code.rawValue) == [
                "E513", "E512", "E513", "E514", "E515", "E516", "E517", "E518", "E519", "E518", "E510", "E510",
                "E510",
            ])
        #expect(parsed.diagnostics[1].message == "unknown indication 'wond' — did you mean 'wound'?")
        #expect(parsed.diagnostics[2].message.contains("did you mean 'top'?"))
    }

    @Test("an empty or blank rationale is an error at the string (E514)")
    func emptyRationale() throws {
        let kb = try knowledgeBase()
        let text =
            "expect wound\n  eligible adipose+hypoxia because \"\"\n  top 3 adipose+hypoxia because \"  \"\nend\n"
        let parsed = ExpectationParser.parse(bytes: Array(text.utf8), path: "t.expect", knowledgeBase: kb)
        #expect(parsed.diagnostics.map(\.code.rawValue) == ["E514", "E514"])
        #expect(parsed.diagnostics.map { $0.span?.description } == ["t.expect:2:36", "t.expect:3:33"])
        #expect(parsed.diagnostics[0].message == "empty rationale: say in 'because' why the expectation should hold")
        #expect(parsed.expectations.isEmpty)
    }

    @Test("top N needs the candidate eligible, whatever its rank")
    func topNeedsEligibility() throws {
        let kb = try knowledgeBase()
        let text = "expect wound\n  top 2 bone-marrow+none because \"x\"\nend\n"
        let parsed = ExpectationParser.parse(bytes: Array(text.utf8), path: "t.expect", knowledgeBase: kb)
        let (results, _) = ExpectationRunner.run(parsed.expectations, with: Recommender(knowledgeBase: kb))
        #expect(results.map(\.passed) == [false])
        #expect(results.first?.standings.first?.rank == 2)
    }

    @Test("no expectation files is an input error")
    func noFiles() throws {
        let directory = try TemporaryDirectory()
        let outcome = run(["test", "--tests", directory.path] + CommandLineTests.kb)
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr
                == "error: no *.expect files in '\(directory.path)'; write expectations there or pass --tests DIR [E520]\n"
        )
    }

    @Test("XML escaping")
    func xmlEscaping() {
        #expect(XML.escape("a<b & \"c\" 'd'\u{1}") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\u{FFFD}")
    }
}
