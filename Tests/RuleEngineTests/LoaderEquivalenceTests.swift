import Foundation
import RuleEngine
import Testing

@testable import EvidenceModel

/// The loader's fast path (bytes, packed rows) must give exactly what the full reader gives, on every input
/// it accepts; on anything else it must step aside.
@Suite("Fast loader equals the full loader")
struct LoaderEquivalenceTests {
    /// Every record, reference and symbol of the two loads, compared field by field.
    static func expectSame(
        _ files: EvidenceFiles, _ vocabulary: Vocabulary, sourceLocation: SourceLocation = #_sourceLocation
    )
        throws
    {
        let fast = try #require(FastEvidenceLoader.load(files, vocabulary: vocabulary), sourceLocation: sourceLocation)
        let full = EvidenceLoader.loadReportingEveryProblem(files, vocabulary: vocabulary)
        #expect(full.diagnostics.isEmpty, sourceLocation: sourceLocation)
        let slow = full.evidence
        #expect(Array(fast.secretome) == Array(slow.secretome), sourceLocation: sourceLocation)
        #expect(Array(fast.functions) == Array(slow.functions), sourceLocation: sourceLocation)
        #expect(fast.mechanisms == slow.mechanisms, sourceLocation: sourceLocation)
        #expect(fast.references == slow.references, sourceLocation: sourceLocation)
        #expect(fast.symbols.references == slow.symbols.references, sourceLocation: sourceLocation)
        #expect(fast.secretome.table.rows == slow.secretome.table.rows, sourceLocation: sourceLocation)
        #expect(fast.functions.table.rows == slow.functions.table.rows, sourceLocation: sourceLocation)
        #expect(Array(fast.comparisons) == Array(slow.comparisons), sourceLocation: sourceLocation)
        #expect(fast.comparisons.table.rows == slow.comparisons.table.rows, sourceLocation: sourceLocation)
    }

    @Test("the shipped evidence: the same records, references and packed rows")
    func shipped() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/Rules")
            .filter { $0.hasSuffix(".rules") }.sorted()
        let rules = try names.map {
            (path: $0, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Rules/" + $0))))
        }
        let ruleSet = try #require(KnowledgeBase.parseRules(rules).rules)
        let files = try #require(EvidenceFiles.read(directory: packageRoot + "/Evidence").files)
        try Self.expectSame(files, ruleSet.vocabulary)
        #expect(ruleSet.vocabulary.sources.terms.count > 5)
        #expect(try #require(FastEvidenceLoader.load(files, vocabulary: ruleSet.vocabulary)).comparisons.count > 20)
    }

    static func files(
        _ rows: (functions: [String], secretome: [String], mechanisms: [String]), comparisons: [String]? = nil
    ) -> EvidenceFiles {
        EvidenceFiles(
            references: ("references.tsv", Array(standardReferences.utf8)),
            secretome: ("secretome.tsv", Array((secretomeHeader + rows.secretome.reversed().joined()).utf8)),
            functions: ("function.tsv", Array((functionHeader + rows.functions.joined()).utf8)),
            mechanisms: ("mechanisms.tsv", Array((mechanismsHeader + rows.mechanisms.reversed().joined()).utf8)),
            comparisons: comparisons.map {
                ("comparisons.tsv", Array((comparisonsHeader + $0.reversed().joined()).utf8))
            })
    }

    static var vocabulary: Vocabulary {
        get throws {
            let parsed = KnowledgeBase.parseRules([
                (
                    path: "test.rules",
                    bytes: Array((basePolicy + PropertyTests.vocabulary + PropertyTests.indication).utf8)
                )
            ])
            return try #require(parsed.rules).vocabulary
        }
    }

    @Test("random evidence, rows out of id order, aliases, CRLF and a BOM", arguments: 0..<40)
    func random(seed: Int) throws {
        var rows = PropertyTests.rows(seed: UInt64(seed) &+ 9000)
        rows.functions.append(fn("FA", "ASC", "none", "angiogenesis", ref: "r2"))
        let comparisons =
            PropertyTests.comparisons(seed: UInt64(seed))
            + [cmp("XA", "ASC", "none", versus: "bone-marrow", "none", "VEGF", "worse", ref: "r3")]
        var files = Self.files(rows, comparisons: seed % 4 == 3 ? nil : comparisons)
        if seed % 3 == 1 {
            files.functions.bytes = Array(
                String(decoding: files.functions.bytes, as: UTF8.self)
                    .replacingOccurrences(of: "\n", with: "\r\n").utf8)
            if let comparisons = files.comparisons {
                files.comparisons?.bytes = Array(
                    String(decoding: comparisons.bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8
                )
            }
        }
        if seed % 3 == 2 { files.secretome.bytes = [0xEF, 0xBB, 0xBF] + files.secretome.bytes }
        try Self.expectSame(files, try Self.vocabulary)
    }

    @Test(
        "anything unusual goes to the full reader: a multi-line or malformed quoted field, NUL, a bad header, an unknown term, a duplicate id"
    )
    func fallback() throws {
        let vocabulary = try Self.vocabulary
        let good = Self.files(PropertyTests.rows(seed: 1), comparisons: PropertyTests.comparisons(seed: 4))
        #expect(FastEvidenceLoader.load(good, vocabulary: vocabulary) != nil)
        let changes: [(String, (inout EvidenceFiles) -> Void)] = [
            ("quoted tab", { $0.functions.bytes += Array(Self.quotedRow(note: "\"a\tb\"").utf8) }),
            ("quoted line break", { $0.functions.bytes += Array(Self.quotedRow(note: "\"a\nb\"").utf8) }),
            ("quoted CRLF", { $0.functions.bytes += Array(Self.quotedRow(note: "\"a\r\nb\"").utf8) }),
            ("unclosed quote", { $0.functions.bytes += Array("Q1\tadipose\tnone\t\"conditioned".utf8) }),
            ("text after the closing quote", { $0.functions.bytes += Array(Self.quotedRow(note: "\"a\"b").utf8) }),
            ("NUL", { $0.mechanisms.bytes += [0] }),
            ("header", { $0.secretome.bytes = Array("id\tsource\n".utf8) }),
            ("term", { $0.functions.bytes += Array(fn("U1", "adipos", "none", "angiogenesis").utf8) }),
            ("duplicate", { $0.functions.bytes += Array(fn("F0", "adipose", "none", "angiogenesis").utf8) }),
            ("cross-file duplicate", { $0.mechanisms.bytes += Array(mech("F0", "VEGFA", "angiogenesis").utf8) }),
            ("field count", { $0.functions.bytes += Array("X1\tadipose\n".utf8) }),
            ("bad DOI", { $0.references.bytes += Array("r99\t10.12/x\t\tA\t2020\tT\tJ\n".utf8) }),
            // Canonically equivalent spellings are one identifier to the full loader (a duplicate), two byte
            // strings here: a non-ASCII id or key goes to the full reader (found in review).
            ("non-ASCII id", { $0.functions.bytes += Array(fn("caf\u{E9}", "adipose", "none", "angiogenesis").utf8) }),
            ("non-ASCII key", { $0.references.bytes += Array("r\u{E9}\t10.1000/x\t\tA\t2020\tT\tJ\n".utf8) }),
            (
                "two factors",
                {
                    $0.comparisons?.bytes += Array(
                        cmp("XB", "adipose", "hypoxia", versus: "bone-marrow", "none", "HGF").utf8)
                }
            ),
            (
                "no factor",
                { $0.comparisons?.bytes += Array(cmp("XB", "adipose", "none", versus: "ASC", "none", "HGF").utf8) }
            ),
            (
                "any-msc source contrast",
                { $0.comparisons?.bytes += Array(cmp("XB", "any-msc", "none", versus: "adipose", "none", "HGF").utf8) }
            ),
            (
                "unknown measure",
                { $0.comparisons?.bytes += Array(cmp("XB", "adipose", "none", versus: "placenta", "none", "HG").utf8) }
            ),
            (
                "comparison id shared with a function record",
                { $0.comparisons?.bytes += Array(cmp("F0", "adipose", "none", versus: "placenta", "none", "HGF").utf8) }
            ),
            ("comparison header", { $0.comparisons?.bytes = Array("id\tsource\n".utf8) }),
        ]
        for (name, change) in changes {
            var files = good
            change(&files)
            #expect(FastEvidenceLoader.load(files, vocabulary: vocabulary) == nil, "\(name)")
        }
    }

    /// A function row of the test vocabulary with `note` written as given (quotes included).
    static func quotedRow(id: String = "Q1", source: String = "adipose", note: String) -> String {
        "\(id)\t\(source)\tnone\tconditioned-medium\tangiogenesis\tsupports\tin-vivo\thuman\tr1\t\(note)\n"
    }

    @Test("quoted fields on one line load on the fast path, as the full reader reads them")
    func quotedFields() throws {
        var rows = PropertyTests.rows(seed: 3)
        rows.functions += [
            Self.quotedRow(id: "Q1", note: "\"quoted note\""),
            Self.quotedRow(id: "Q2", note: "\"a \"\"doubled\"\" quote\""),
            Self.quotedRow(id: "\"Q3\"", source: "\"ASC\"", note: "\" padded \""),
            Self.quotedRow(id: "Q4", note: "\"\""),
            Self.quotedRow(id: "Q5", note: " \"literal: starts with a space\""),
            Self.quotedRow(id: "Q6", note: "mid\"field quote"),
        ]
        var files = Self.files(rows, comparisons: PropertyTests.comparisons(seed: 5))
        files.references.bytes = Array(
            String(decoding: files.references.bytes, as: UTF8.self).replacingOccurrences(
                of: "\nr1\t", with: "\n\"r1\"\t"
            )
            .utf8)
        #expect(files.references.bytes.contains(0x22))
        try Self.expectSame(files, try Self.vocabulary)
        let notes = try #require(FastEvidenceLoader.load(files, vocabulary: try Self.vocabulary)).functions
            .filter { $0.id.rawValue.hasPrefix("Q") }.map(\.note)
        #expect(
            notes == [
                "quoted note", "a \"doubled\" quote", "padded", "", "\"literal: starts with a space\"",
                "mid\"field quote",
            ])
    }

    @Test("a space before a combining mark is trimmed by both loaders (found in review)")
    func combiningMarkAfterSpace() throws {
        var rows = PropertyTests.rows(seed: 2)
        rows.functions.append(
            "FX\tadipose\tnone\tconditioned-medium\tangiogenesis\tsupports\tin-vivo\thuman\tr1\t \u{301}note \u{301}\n")
        try Self.expectSame(Self.files(rows), try Self.vocabulary)
        #expect(" \u{301}x ".trimmingSpaces.unicodeScalars.map(\.value) == [0x301, 0x78])
    }

    @Test("DOIs: the byte check answers as the character check")
    func doi() {
        let samples = [
            "10.1000/x", "10.1000/", "10.100/x", "10.1234567890/x", "10.1000.5/x", "10.1000..5/x", "10.1000./x",
            "11.1000/x", "10.1000/a b", "10.1000/a\tb", "10.1000/\u{00A0}", "10.1000/é", "10.1a00/x", "10./x",
            "10.1000/x/y", "10", "", "10.1000\u{0663}/x", "10.12345/abc(1)-2",
        ]
        for doi in samples {
            #expect(EvidenceLoader.isWellFormedDOI(doi) == EvidenceLoader.isWellFormedDOIScalars(doi), "\(doi)")
        }
        #expect(EvidenceLoader.isWellFormedDOI("10.1000/x"))
        #expect(!EvidenceLoader.isWellFormedDOI("10.100/x"))
    }
}
