import EvidenceModel
import RuleEngine
import Testing

/// The TSV reader's edge cases and the evidence loader's located errors.
@Suite("Evidence files")
struct EvidenceReadingTests {
    func read(_ text: String) -> (rows: [TSVRow], diagnostics: [Diagnostic]) {
        TSVReader.read(Array(text.utf8), path: "f.tsv")
    }

    func values(_ rows: [TSVRow]) -> [[String]] { rows.map { $0.fields.map(\.value) } }

    @Test("quoted fields hold tabs, line breaks and doubled quotes")
    func quotedFields() {
        let (rows, diagnostics) = read("a\tb\tc\n\"x\ty\"\t\"line1\nline2\"\t\"say \"\"hi\"\"\"\nnext\t\t\n")
        #expect(diagnostics.isEmpty)
        #expect(values(rows) == [["a", "b", "c"], ["x\ty", "line1\nline2", "say \"hi\""], ["next", "", ""]])
        #expect(rows.map(\.line) == [1, 2, 4])
        #expect(rows[2].fields.map(\.column) == [1, 6, 7])
    }

    @Test("a quote inside an unquoted field is literal")
    func literalQuote() {
        #expect(values(read("a 5\" nail\tb\n").rows) == [["a 5\" nail", "b"]])
    }

    @Test("CRLF, a UTF-8 BOM and a missing final newline")
    func lineEnds() {
        let (rows, diagnostics) = read("\u{FEFF}a\tb\r\n1\t\"q\r\nr\"\r\n2\t3")
        #expect(diagnostics.isEmpty)
        #expect(values(rows) == [["a", "b"], ["1", "q\nr"], ["2", "3"]])
        #expect(rows.map(\.line) == [1, 2, 4])
    }

    @Test("empty lines are skipped; empty fields are kept")
    func emptyLinesAndFields() {
        #expect(values(read("a\tb\n\n\t\n\n").rows) == [["a", "b"], ["", ""]])
    }

    @Test("columns count Unicode scalars")
    func unicodeColumns() {
        let rows = read("γδ\té\tx\n").rows
        #expect(rows[0].fields.map(\.column) == [1, 4, 6])
    }

    @Test("unterminated quote, text after a closing quote, invalid UTF-8 and NUL are located")
    func malformed() {
        #expect(positions(read("a\t\"open\nmore").diagnostics) == ["1:3"])
        #expect(read("a\t\"open\nmore").diagnostics.map(\.code.rawValue) == ["E303"])
        let after = read("x\n\"ab\"c\tz\nok\n")
        #expect(after.diagnostics.map(\.code.rawValue) == ["E304"])
        #expect(positions(after.diagnostics) == ["2:5"])
        #expect(values(after.rows) == [["x"], ["ok"]])
        var bytes = Array("a\tb\nc\t".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n".utf8)
        let invalid = TSVReader.read(bytes, path: "f.tsv")
        #expect(invalid.diagnostics.map(\.code.rawValue) == ["E302"])
        #expect(positions(invalid.diagnostics) == ["2:3"])
        let nul = read("a\tb\u{0}c\n")
        #expect(nul.diagnostics.map(\.code.rawValue) == ["E317"])
        #expect(positions(nul.diagnostics) == ["1:4"])
        // A binary file gets one error, not one per NUL byte.
        let binary = read("x\ty\n\u{0}\u{0}\t\u{0}\n\u{0}\n")
        #expect(binary.diagnostics.map(\.code.rawValue) == ["E317"])
        #expect(values(binary.rows) == [["x", "y"]])
    }

    // MARK: Loader

    static let rules =
        basePolicy + baseVocabulary + """
            indication test
              requires angiogenesis weight 1 because "v"
            end

            """

    @Test("identifiers resolve through aliases; optional columns may be empty")
    func aliases() throws {
        let loaded = loadInMemory(
            rules: Self.rules, secretome: "S1\tASC\tnone\tcells\tVEGF\tup\tin-vitro\t\tr1\t\n",
            functions: "F1\tadipose\tnone\tconditioned-medium\tangiogenesis\tsupports\tin-vivo\t\tr2\t\n")
        #expect(loaded.diagnostics.isEmpty)
        let evidence = try #require(loaded.knowledgeBase).evidence
        #expect(evidence.secretome.map(\.source) == ["adipose"])
        #expect(evidence.secretome.map(\.component) == ["VEGFA"])
        #expect(evidence.functions.map(\.species) == [""])
    }

    @Test("unknown level: the message the issue asks for, at the field's line and column")
    func unknownLevel() {
        let loaded = loadInMemory(
            rules: Self.rules,
            functions: "F1\tadipose\tnone\tconditioned-medium\tangiogenesis\tsupports\tin vivo\thuman\tr1\t\n")
        #expect(
            loaded.diagnostics.map(\.headline) == [
                "function.tsv:2:58: error: column 'level': unknown level 'in vivo' — did you mean 'in-vivo'? [E310]"
            ])
    }

    @Test("every bad field of a row is reported, with its column")
    func badFields() {
        let loaded = loadInMemory(
            rules: Self.rules,
            secretome: "S1\tadipos\thypoxa\tCM\tVEGFB\tupp\tin-vitro\t\tr99\t\n",
            functions: "S1\tadipose\tnone\tcells\tangiogenesis\tsupport\tin-vitro\t\t\t\n")
        #expect(
            loaded.diagnostics.map(\.headline) == [
                "function.tsv:2:1: error: column 'id': duplicate record id 'S1' [E312]",
                "function.tsv:2:36: error: column 'outcome': unknown outcome 'support' — did you mean 'supports'?; "
                    + "expected one of supports, refutes [E311]",
                "function.tsv:2:54: error: column 'ref': empty value; this column is required [E309]",
                "secretome.tsv:2:4: error: column 'source': unknown source 'adipos' — did you mean 'adipose'? [E310]",
                "secretome.tsv:2:11: error: column 'preconditioning': unknown pre-conditioning 'hypoxa' — did you mean "
                    + "'hypoxia'? [E310]",
                "secretome.tsv:2:18: error: column 'product': unknown product 'CM' [E310]",
                "secretome.tsv:2:21: error: column 'component': unknown component 'VEGFB' — did you mean 'VEGF'? [E310]",
                "secretome.tsv:2:27: error: column 'direction': unknown direction 'upp' — did you mean 'up'?; expected one "
                    + "of up, down, present [E311]",
                "secretome.tsv:2:41: error: column 'ref': unknown reference 'r99': add it to references.tsv first "
                    + "— did you mean 'r9'? [E313]",
            ])
    }

    @Test("header errors: unknown, duplicate and missing columns; wrong field counts")
    func headerErrors() {
        let parsed = KnowledgeBase.parseRules([(path: "t.rules", bytes: Array(Self.rules.utf8))])
        let vocabulary = parsed.rules?.vocabulary
        #expect(vocabulary != nil)
        guard let vocabulary else { return }
        let files = EvidenceFiles(
            references: ("references.tsv", Array("ref\tdoi\tpmid\tauthor\tyear\ttitle\tjournal\tjournal\n".utf8)),
            secretome: ("secretome.tsv", Array("".utf8)),
            functions: ("function.tsv", Array((functionHeader + "F1\tadipose\n").utf8)),
            mechanisms: ("mechanisms.tsv", Array("id\tcomponent\tactivity\teffect\tlevel\tref\n".utf8)))
        let diagnostics = EvidenceLoader.load(files, vocabulary: vocabulary).diagnostics
        #expect(
            diagnostics.map(\.headline) == [
                "function.tsv:2:1: error: expected 10 tab-separated fields, found 2 [E308]",
                "mechanisms.tsv:1:1: error: missing column 'note' in the header [E306]",
                "references.tsv:1:1: error: missing column 'authors' in the header [E306]",
                "references.tsv:1:14: error: unknown column 'author' — did you mean 'authors'?; the columns are ref, "
                    + "doi, pmid, authors, year, title, journal [E305]",
                "references.tsv:1:40: error: duplicate column 'journal' [E307]",
                "secretome.tsv:1:1: error: empty file: expected a header line with the columns id, source, "
                    + "preconditioning, product, component, direction, level, species, ref, note [E316]",
            ])
    }

    @Test("references: duplicate keys, neither DOI nor PMID, bad year")
    func referenceErrors() {
        let loaded = loadInMemory(
            rules: Self.rules,
            references: referencesHeader + "a\t10.1000/x\t\tA\t2020\tT\tJ\n" + "a\t10.1000/y\t\tA\t2020\tT\tJ\n"
                + "b\t\t\tA\t2020\tT\tJ\n" + "c\t\t123\tA\t20x0\tT\tJ\n")
        #expect(
            loaded.diagnostics.map(\.headline) == [
                "references.tsv:3:1: error: column 'ref': duplicate reference 'a' [E312]",
                "references.tsv:4:3: error: column 'doi': reference 'b' has neither a DOI nor a PMID; give at least one "
                    + "[E314]",
                "references.tsv:5:10: error: column 'year': '20x0' is not a four-digit year [E315]",
            ])
    }

    @Test("malformed DOI and PMID")
    func malformedIdentifiers() {
        let loaded = loadInMemory(
            rules: Self.rules,
            references: referencesHeader + "a\thttps://doi.org/10.1/x\t\tA\t2020\tT\tJ\n"
                + "b\t10.1000/ok\tPMC123\tA\t2020\tT\tJ\n" + "c\t10.12345/a b\t42\tA\t2020\tT\tJ\n")
        #expect(
            loaded.diagnostics.map(\.headline) == [
                "references.tsv:2:3: error: column 'doi': malformed DOI 'https://doi.org/10.1/x': write it as the "
                    + "publisher prints it, '10.NNNN/suffix', without a resolver prefix [E318]",
                "references.tsv:3:14: error: column 'pmid': malformed PMID 'PMC123': a PMID is 1 to 9 digits, not starting with 0 [E319]",
                "references.tsv:4:3: error: column 'doi': malformed DOI '10.12345/a b': write it as the publisher "
                    + "prints it, '10.NNNN/suffix', without a resolver prefix [E318]",
            ])
    }

    @Test("rows are sorted by id whatever their order in the file")
    func sortedRecords() throws {
        let loaded = loadInMemory(
            rules: Self.rules,
            functions: fn("F2", "adipose", "none", "angiogenesis") + fn("F10", "adipose", "none", "angiogenesis")
                + fn("F1", "adipose", "none", "angiogenesis"))
        #expect(try #require(loaded.knowledgeBase).evidence.functions.map(\.id) == ["F1", "F10", "F2"])
    }
}

@Suite("Did-you-mean suggestions")
struct SuggestionTests {
    @Test("typos within a third of the length, transpositions counting once")
    func typos() {
        #expect(Suggestion.nearest(to: "rnak", in: ["rank", "explain"]) == "rank")
        #expect(Suggestion.nearest(to: "in vivo", in: ["in-vitro", "in-vivo"]) == "in-vivo")
        #expect(Suggestion.nearest(to: "osteo", in: ["osteogenesis"]) == nil)
        #expect(Suggestion.nearest(to: "b", in: ["a", "c"]) == "a")
    }

    @Test("names far longer than any identifier get no suggestion, and no quadratic work")
    func longNames() {
        let long = String(repeating: "x", count: 15_000)
        #expect(Suggestion.nearest(to: long, in: [long + "y", "angiogenesis"]) == nil)
    }
}

@Suite("Content hash")
struct ContentHashTests {
    @Test("SHA-256 test vectors (FIPS 180-4 examples)")
    func vectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
