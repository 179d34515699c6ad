import EvidenceModel
import Foundation
import RuleEngine
import Testing

@testable import recommend

/// The package root, where the shipped `Rules/` and `Evidence/` are.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// `--rules` and `--evidence` of the shipped knowledge base.
let shippedBase = ["--rules", packageRoot + "/Rules", "--evidence", packageRoot + "/Evidence"]

/// Runs `recommend` in process.
func runTool(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
    var (out, err) = ("", "")
    let status = RecommendTool.run(arguments: arguments, stdout: &out, stderr: &err)
    return (status, out, err)
}

/// A small policy and vocabulary that the scoring tests build on.
let basePolicy = """
    policy
      level clinical 1.0
      level in-vivo 0.6
      level ex-vivo 0.45
      level in-vitro 0.3
      discount via-component 0.5
      discount from-baseline 0.8
      discount cross-source 0.4
      discount comparison 1.0
      product conditioned-medium 1.0
      product extracellular-vesicles 1.0
      product cells 0.5
      minimum-support 0.05
    end

    """

let baseVocabulary = """
    source any-msc
    end
    source adipose
      aliases ASC
    end
    source bone-marrow
    end
    preconditioning none
    end
    preconditioning hypoxia
    end
    preconditioning ifn-gamma
    end
    component VEGFA
      aliases VEGF
    end
    component HGF
    end
    activity angiogenesis
    end
    activity anti-inflammatory
    end
    activity pro-fibrotic
    end

    """

let referencesHeader = "ref\tdoi\tpmid\tauthors\tyear\ttitle\tjournal\n"
let secretomeHeader = "id\tsource\tpreconditioning\tproduct\tcomponent\tdirection\tlevel\tspecies\tref\tnote\n"
let functionHeader = "id\tsource\tpreconditioning\tproduct\tactivity\toutcome\tlevel\tspecies\tref\tnote\n"
let mechanismsHeader = "id\tcomponent\tactivity\teffect\tlevel\tref\tnote\n"
let comparisonsHeader =
    "id\tsource\tpreconditioning\tversus-source\tversus-preconditioning\tproduct\tmeasure\toutcome\tlevel\tspecies"
    + "\tref\tnote\n"

/// References r1…r9, each with a DOI.
let standardReferences =
    referencesHeader
    + (1...9).map { "r\($0)\t10.1000/test.\($0)\t\tAuthor A\t2020\tTitle \($0)\tJournal\n" }.joined()

/// One function row: `F id source pre product activity outcome level ref`.
func fn(
    _ id: String, _ source: String, _ pre: String, _ activity: String, _ outcome: String = "supports",
    level: String = "in-vivo", product: String = "conditioned-medium", ref: String = "r1"
) -> String {
    "\(id)\t\(source)\t\(pre)\t\(product)\t\(activity)\t\(outcome)\t\(level)\thuman\t\(ref)\t\n"
}

/// One secretome row.
func sec(
    _ id: String, _ source: String, _ pre: String, _ component: String, _ direction: String = "up",
    level: String = "in-vitro", product: String = "conditioned-medium", ref: String = "r1"
) -> String {
    "\(id)\t\(source)\t\(pre)\t\(product)\t\(component)\t\(direction)\t\(level)\thuman\t\(ref)\t\n"
}

/// One mechanism row.
func mech(
    _ id: String, _ component: String, _ activity: String, _ effect: String = "promotes", level: String = "in-vivo",
    ref: String = "r9"
) -> String {
    "\(id)\t\(component)\t\(activity)\t\(effect)\t\(level)\t\(ref)\t\n"
}

/// One comparison row: `id`, subject `source+pre`, comparator `versus+versusPre`, measure, outcome.
func cmp(
    _ id: String, _ source: String, _ pre: String, versus versusSource: String, _ versusPre: String,
    _ measure: String, _ outcome: String = "better", level: String = "in-vitro", product: String = "conditioned-medium",
    ref: String = "r1", note: String = ""
) -> String {
    "\(id)\t\(source)\t\(pre)\t\(versusSource)\t\(versusPre)\t\(product)\t\(measure)\t\(outcome)\t\(level)\thuman"
        + "\t\(ref)\t\(note)\n"
}

/// The errors of loading in-memory rules and evidence, or the knowledge base.
struct InMemoryLoad {
    var knowledgeBase: KnowledgeBase?
    var diagnostics: [Diagnostic]
}

func loadInMemory(
    rules: String, references: String = standardReferences, secretome: String = "", functions: String = "",
    mechanisms: String = "", comparisons: String? = nil
) -> InMemoryLoad {
    let parsed = KnowledgeBase.parseRules([(path: "test.rules", bytes: Array(rules.utf8))])
    guard let ruleSet = parsed.rules, !parsed.diagnostics.containsErrors else {
        return InMemoryLoad(knowledgeBase: nil, diagnostics: parsed.diagnostics)
    }
    let files = EvidenceFiles(
        references: ("references.tsv", Array(references.utf8)),
        secretome: ("secretome.tsv", Array((secretomeHeader + secretome).utf8)),
        functions: ("function.tsv", Array((functionHeader + functions).utf8)),
        mechanisms: ("mechanisms.tsv", Array((mechanismsHeader + mechanisms).utf8)),
        comparisons: comparisons.map { ("comparisons.tsv", Array((comparisonsHeader + $0).utf8)) })
    let loaded = EvidenceLoader.load(files, vocabulary: ruleSet.vocabulary)
    let diagnostics = parsed.diagnostics + loaded.diagnostics
    return InMemoryLoad(
        knowledgeBase: diagnostics.containsErrors ? nil : KnowledgeBase(rules: ruleSet, evidence: loaded.evidence),
        diagnostics: diagnostics)
}

/// A recommender over the base policy and vocabulary plus `indications`, failing the test on any diagnostic.
func recommender(
    indications: String, policy: String = basePolicy, vocabulary: String = baseVocabulary, secretome: String = "",
    functions: String = "", mechanisms: String = "", comparisons: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> Recommender {
    let loaded = loadInMemory(
        rules: policy + vocabulary + indications, secretome: secretome, functions: functions,
        mechanisms: mechanisms, comparisons: comparisons)
    #expect(loaded.diagnostics.map(\.headline) == [], sourceLocation: sourceLocation)
    let knowledgeBase = try #require(loaded.knowledgeBase, sourceLocation: sourceLocation)
    return Recommender(knowledgeBase: knowledgeBase)
}

/// Evaluates `candidate` (SOURCE+PRE) for `indication`.
func evaluate(
    _ recommender: Recommender, _ candidate: String, for indication: String = "test",
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> Evaluation {
    let rules = recommender.knowledgeBase.rules
    let parsed = try Candidate.parse(candidate, vocabulary: rules.vocabulary).get()
    let target = try #require(rules.indication(IndicationID(indication)), sourceLocation: sourceLocation)
    return recommender.evaluate(parsed, for: target)
}

/// π²/6 as a literal, independent of the implementation's expression for it.
let zeta2 = 1.6449340668482264

/// Asserts two doubles agree within 1e-12.
func expectClose(
    _ actual: Double, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(abs(actual - expected) < 1e-12, "\(actual) ≠ \(expected)", sourceLocation: sourceLocation)
}

/// Strips position markers (‸) from a snippet, returning the text and each marker's line:column.
func markedSnippet(_ text: String) -> (text: String, positions: [String]) {
    var positions: [String] = []
    var clean = ""
    var line = 1
    var column = 1
    for scalar in text.unicodeScalars {
        if scalar == "‸" {
            positions.append("\(line):\(column)")
            continue
        }
        clean.unicodeScalars.append(scalar)
        if scalar == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }
    return (clean, positions)
}

/// The `line:column` of every diagnostic, in order.
func positions(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { $0.span.map { "\($0.start.line):\($0.start.column)" } ?? "-" }
}

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent(
            "recommend-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    func write(_ relativePath: String, _ contents: String) throws {
        try write(relativePath, Data(contents.utf8))
    }

    func write(_ relativePath: String, _ data: Data) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Copies the named evidence files of the mini fixture into `Evidence/` here, unchanged.
    func copyFixtureEvidence(_ names: [String]) throws {
        for name in names {
            try write(
                "Evidence/\(name)",
                try String(contentsOfFile: CommandLineTests.fixture + "/Evidence/\(name)", encoding: .utf8))
        }
    }

    /// Copies the whole mini fixture here, unchanged: `Rules/mini.rules` and the five evidence files.
    func copyFixture() throws {
        try copyFixtureEvidence(EvidenceFiles.fileNames + [EvidenceFiles.optionalFileName])
        try write(
            "Rules/mini.rules",
            try String(contentsOfFile: CommandLineTests.fixture + "/Rules/mini.rules", encoding: .utf8))
    }

    /// Copies the shipped knowledge base here, unchanged: `Rules/*.rules` and the evidence files.
    func copyShipped() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/Rules")
        where name.hasSuffix(".rules") {
            try write("Rules/" + name, try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Rules/" + name)))
        }
        for name in EvidenceFiles.fileNames + [EvidenceFiles.optionalFileName]
        where FileManager.default.fileExists(atPath: packageRoot + "/Evidence/" + name) {
            try write(
                "Evidence/" + name, try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Evidence/" + name)))
        }
    }

    /// Rewrites the text file at `relativePath` here with `change`.
    func edit(_ relativePath: String, _ change: (String) throws -> String) throws {
        try write(relativePath, try change(try String(contentsOfFile: path + "/" + relativePath, encoding: .utf8)))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A value shared with another thread, behind a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    /// Changes the value under the lock, so that concurrent changes are not lost.
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&value) } }
}
