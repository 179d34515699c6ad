/// Reads the four evidence TSV files against a vocabulary into an ``EvidenceBase``.
///
/// Every problem is reported with its place (`path:line:column`) and the loader goes on, so that one run
/// shows all of them. Rows with an error are left out of the result; callers must not present a result
/// whose diagnostics contain errors as complete.
public enum EvidenceLoader {
    /// The columns of each file, in the order DESIGN §4 lists them.
    public static let columns: [String: [String]] = [
        "references.tsv": ["ref", "doi", "pmid", "authors", "year", "title", "journal"],
        "secretome.tsv": [
            "id", "source", "preconditioning", "product", "component", "direction", "level", "species", "ref", "note",
        ],
        "function.tsv": [
            "id", "source", "preconditioning", "product", "activity", "outcome", "level", "species", "ref", "note",
        ],
        "mechanisms.tsv": ["id", "component", "activity", "effect", "level", "ref", "note"],
        "comparisons.tsv": [
            "id", "source", "preconditioning", "versus-source", "versus-preconditioning", "product", "measure",
            "outcome", "level", "species", "ref", "note",
        ],
    ]

    /// Whether `doi` has the form `10.NNNN/suffix` (a registrant code of 4 to 9 digits, possibly with
    /// sub-codes, then a non-empty suffix without white space).
    static func isWellFormedDOI(_ doi: String) -> Bool {
        if doi.utf8.allSatisfy({ $0 < 0x80 }) {
            var doi = doi
            return doi.withUTF8 { isWellFormedASCIIDOI($0) }
        }
        return isWellFormedDOIScalars(doi)
    }

    /// ``isWellFormedDOI(_:)`` for ASCII text, by bytes: the same answer, without `Character`s.
    static func isWellFormedASCIIDOI(_ doi: UnsafeBufferPointer<UInt8>) -> Bool {
        guard doi.count > 3, doi[0] == 0x31, doi[1] == 0x30, doi[2] == 0x2E,
            let slash = doi.firstIndex(of: 0x2F), slash > 3
        else { return false }
        var groupLength = 0
        var firstGroup = true
        for index in 3...slash {
            let byte = doi[index]
            if byte == 0x2E || byte == 0x2F {
                guard groupLength > 0, !firstGroup || (4...9).contains(groupLength) else { return false }
                firstGroup = false
                groupLength = 0
            } else {
                guard (0x30...0x39).contains(byte) else { return false }
                groupLength += 1
            }
        }
        let suffix = doi[(slash + 1)...]
        return !suffix.isEmpty && !suffix.contains { $0 == 0x20 || (0x09...0x0D).contains($0) }
    }

    static func isWellFormedDOIScalars(_ doi: String) -> Bool {
        guard doi.hasPrefix("10."), let slash = doi.firstIndex(of: "/") else { return false }
        let registrant = doi[doi.index(doi.startIndex, offsetBy: 3)..<slash]
        let suffix = doi[doi.index(after: slash)...]
        let digits = registrant.split(separator: ".", omittingEmptySubsequences: false)
        guard let first = digits.first, (4...9).contains(first.count),
            digits.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return false }
        guard !suffix.isEmpty else { return false }
        // ASCII suffixes (nearly all) are checked by byte: the same answer as Character.isWhitespace, faster.
        if suffix.utf8.allSatisfy({ $0 < 0x80 }) {
            return !suffix.utf8.contains { $0 == 0x20 || (0x09...0x0D).contains($0) }
        }
        return !suffix.contains(where: \.isWhitespace)
    }

    /// Whether `pmid` is 1 to 9 ASCII digits, not starting with 0.
    static func isWellFormedPMID(_ pmid: String) -> Bool {
        (1...9).contains(pmid.utf8.count) && pmid.utf8.allSatisfy({ (0x30...0x39).contains($0) })
            && !pmid.hasPrefix("0")
    }

    /// The year written as exactly four ASCII digits.
    static func year(_ text: String) -> Int? {
        guard text.utf8.count == 4, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    /// Columns that may be empty; every other column needs a value.
    static let optionalColumns: Set<String> = ["note", "species", "doi", "pmid"]

    /// Parses and resolves the evidence files.
    ///
    /// Valid files take a fast path over their bytes (``FastEvidenceLoader``); anything it does not accept is
    /// loaded again by the full reader, which reports every problem with its place.
    public static func load(_ files: EvidenceFiles, vocabulary: Vocabulary) -> (
        evidence: EvidenceBase, diagnostics: [Diagnostic]
    ) {
        if let evidence = FastEvidenceLoader.load(files, vocabulary: vocabulary) { return (evidence, []) }
        return loadReportingEveryProblem(files, vocabulary: vocabulary)
    }

    /// The full reader: every row through ``TSVReader`` and ``RowReader``, every problem reported.
    static func loadReportingEveryProblem(_ files: EvidenceFiles, vocabulary: Vocabulary) -> (
        evidence: EvidenceBase, diagnostics: [Diagnostic]
    ) {
        var diagnostics: [Diagnostic] = []
        var seenRecordIDs: [RecordID: SourceSpan] = [:]

        /// The data rows of a file; `nil` when the file as a whole is unusable (binary, empty, bad header).
        func table(_ file: (path: String, bytes: [UInt8]), name: String) -> [Row]? {
            let (rows, tsvDiagnostics) = TSVReader.read(file.bytes, path: file.path)
            diagnostics += tsvDiagnostics
            guard !tsvDiagnostics.contains(where: { $0.code == .e317 }) else { return nil }
            return Table.rows(rows, path: file.path, expected: columns[name] ?? [], diagnostics: &diagnostics)
        }

        // References first: records are checked against them.
        var references: [Reference] = []
        var referenceSpans: [ReferenceID: SourceSpan] = [:]
        var referenceOrder: [ReferenceID] = []
        let referenceRows = table(files.references, name: "references.tsv")
        for row in referenceRows ?? [] {
            var reader = RowReader(row: row, vocabulary: vocabulary)
            defer { diagnostics += reader.diagnostics }
            guard let key = reader.text("ref") else { continue }
            let id = ReferenceID(key)
            if let first = referenceSpans[id] {
                reader.fail(
                    .e312, "duplicate reference '\(key)'", column: "ref",
                    notes: [.init("first declared here", at: first)])
                continue
            }
            // Registered even if the row has another error, so that records citing it do not cascade.
            referenceSpans[id] = row.span
            referenceOrder.append(id)
            let doi = reader.optionalText("doi")
            let pmid = reader.optionalText("pmid")
            if let doi, !Self.isWellFormedDOI(doi) {
                reader.fail(
                    .e318,
                    "malformed DOI '\(doi)': write it as the publisher prints it, '10.NNNN/suffix', "
                        + "without a resolver prefix", column: "doi")
            }
            if let pmid, !Self.isWellFormedPMID(pmid) {
                reader.fail(
                    .e319, "malformed PMID '\(pmid)': a PMID is 1 to 9 digits, not starting with 0", column: "pmid")
            }
            if doi == nil, pmid == nil {
                reader.fail(.e314, "reference '\(key)' has neither a DOI nor a PMID; give at least one", column: "doi")
            }
            let authors = reader.text("authors")
            let year = reader.year("year")
            let title = reader.text("title")
            let journal = reader.text("journal")
            guard reader.diagnostics.isEmpty, let authors, let year, let title, let journal else { continue }
            references.append(
                Reference(
                    id: id, doi: doi, pmid: pmid, authors: authors, year: year, title: title, journal: journal,
                    span: row.span))
        }
        let knownReferences = referenceSpans.keys.map(\.rawValue).sorted()

        func claimID(_ reader: inout RowReader) -> RecordID? {
            guard let raw = reader.text("id") else { return nil }
            let id = RecordID(raw)
            if let first = seenRecordIDs[id] {
                reader.fail(
                    .e312, "duplicate record id '\(raw)'", column: "id",
                    notes: [.init("first used here", at: first)])
                return nil
            }
            seenRecordIDs[id] = reader.span(of: "id")
            return id
        }

        func reference(_ reader: inout RowReader) -> ReferenceID? {
            guard let raw = reader.text("ref") else { return nil }
            let id = ReferenceID(raw)
            // When references.tsv itself is unusable, its error says so; every citation would only repeat it.
            if referenceSpans[id] == nil, referenceRows != nil {
                reader.fail(
                    .e313,
                    "unknown reference '\(raw)': add it to references.tsv first"
                        + Suggestion.clause(for: raw, in: knownReferences), column: "ref")
                return nil
            }
            if referenceSpans[id] == nil {
                referenceSpans[id] = reader.span(of: "ref")
                referenceOrder.append(id)
            }
            return id
        }

        /// The columns secretome and function rows share: what was tested, how, and where it was reported.
        struct Sample {
            var id: RecordID
            var source: SourceID
            var preconditioning: PreconditioningID
            var product: ProductID
            var level: LevelID
            var species: String
            var reference: ReferenceID
            var note: String

            /// The row to pack, with its subject (component or activity) and sign (direction or outcome).
            func packing<Subject, Sign: CaseIterable & Equatable>(
                _ subject: Identifier<Subject>, _ sign: Sign, line: Int
            ) -> UnpackedSample<Subject> where Sign.AllCases == [Sign] {
                UnpackedSample(
                    id: id, source: source, preconditioning: preconditioning, product: product, subject: subject,
                    sign: Sign.allCases.firstIndex(of: sign) ?? 0, level: level, species: species,
                    reference: reference, note: note, line: line)
            }
        }

        func sample(_ reader: inout RowReader) -> Sample? {
            let id = claimID(&reader)
            let source = reader.resolve("source", in: vocabulary.sources, kind: "source")
            let pre = reader.resolve("preconditioning", in: vocabulary.preconditionings, kind: "pre-conditioning")
            let product = reader.resolve("product", in: vocabulary.products, kind: "product")
            let level = reader.resolve("level", in: vocabulary.levels, kind: "level")
            let ref = reference(&reader)
            guard let id, let source, let pre, let product, let level, let ref else { return nil }
            return Sample(
                id: id, source: source, preconditioning: pre, product: product, level: level,
                species: reader.optionalText("species") ?? "", reference: ref, note: reader.optionalText("note") ?? "")
        }

        var secretome: [UnpackedSample<IdentifierKind.Component>] = []
        for row in table(files.secretome, name: "secretome.tsv") ?? [] {
            var reader = RowReader(row: row, vocabulary: vocabulary)
            defer { diagnostics += reader.diagnostics }
            let common = sample(&reader)
            let component = reader.resolve("component", in: vocabulary.components, kind: "component")
            let direction = reader.choice("direction", Direction.self)
            guard let common, let component, let direction else { continue }
            secretome.append(common.packing(component, direction, line: row.line))
        }

        var functions: [UnpackedSample<IdentifierKind.Activity>] = []
        for row in table(files.functions, name: "function.tsv") ?? [] {
            var reader = RowReader(row: row, vocabulary: vocabulary)
            defer { diagnostics += reader.diagnostics }
            let common = sample(&reader)
            let activity = reader.resolve("activity", in: vocabulary.activities, kind: "activity")
            let outcome = reader.choice("outcome", Outcome.self)
            guard let common, let activity, let outcome else { continue }
            functions.append(common.packing(activity, outcome, line: row.line))
        }

        var mechanisms: [MechanismRecord] = []
        for row in table(files.mechanisms, name: "mechanisms.tsv") ?? [] {
            var reader = RowReader(row: row, vocabulary: vocabulary)
            defer { diagnostics += reader.diagnostics }
            let id = claimID(&reader)
            let component = reader.resolve("component", in: vocabulary.components, kind: "component")
            let activity = reader.resolve("activity", in: vocabulary.activities, kind: "activity")
            let effect = reader.choice("effect", Effect.self)
            let level = reader.resolve("level", in: vocabulary.levels, kind: "level")
            let ref = reference(&reader)
            let note = reader.optionalText("note") ?? ""
            guard let id, let component, let activity, let effect, let level, let ref else { continue }
            mechanisms.append(
                MechanismRecord(
                    id: id, component: component, activity: activity, effect: effect, level: level, reference: ref,
                    note: note, span: row.span))
        }

        /// A comparisons.tsv row: a sample's columns for the subject, the comparator's pair, the measure.
        func comparison(_ reader: inout RowReader) -> ComparisonRecord? {
            let common = sample(&reader)
            let versusSource = reader.resolve("versus-source", in: vocabulary.sources, kind: "source")
            let versusPre = reader.resolve(
                "versus-preconditioning", in: vocabulary.preconditionings, kind: "pre-conditioning")
            let measure = reader.measure("measure")
            let outcome = reader.choice("outcome", ComparisonOutcome.self)
            guard let common, let versusSource, let versusPre, let measure, let outcome else { return nil }
            if let problem = ContrastProblem.of(
                source: common.source, preconditioning: common.preconditioning, versusSource: versusSource,
                versusPreconditioning: versusPre)
            {
                reader.fail(
                    problem, subject: (common.source, common.preconditioning), comparator: (versusSource, versusPre))
                return nil
            }
            return ComparisonRecord(
                id: common.id, source: common.source, preconditioning: common.preconditioning,
                versusSource: versusSource, versusPreconditioning: versusPre, product: common.product,
                measure: measure, outcome: outcome, level: common.level, species: common.species,
                reference: common.reference, note: common.note, span: reader.row.span)
        }

        var comparisons: [ComparisonRecord] = []
        if let file = files.comparisons {
            for row in table(file, name: "comparisons.tsv") ?? [] {
                var reader = RowReader(row: row, vocabulary: vocabulary)
                defer { diagnostics += reader.diagnostics }
                if let record = comparison(&reader) { comparisons.append(record) }
            }
        }

        let symbols = EvidenceSymbols(vocabulary: vocabulary, references: referenceOrder)
        let evidence = EvidenceBase(
            references: references,
            secretome: PackedSampleTable(
                path: files.secretome.path, secretome, subjects: symbols.components, symbols: symbols),
            functions: PackedSampleTable(
                path: files.functions.path, functions, subjects: symbols.activities, symbols: symbols),
            mechanisms: mechanisms,
            comparisons: PackedComparisonTable(
                path: files.comparisons?.path ?? EvidenceFiles.optionalFileName, comparisons, symbols: symbols),
            symbols: symbols)
        return (evidence, diagnostics.sorted())
    }
}

/// A data row with its fields in the file's canonical column order (``EvidenceLoader/columns``), whatever
/// their order in the file.
struct Row {
    var path: String
    var line: Int
    var columns: [String]
    var fields: [TSVField]

    var span: SourceSpan { SourceSpan(path: path, line: line, column: 1) }

    /// The field of the named column (a short linear search: there are at most ten columns).
    func field(_ column: String) -> TSVField? {
        columns.firstIndex(of: column).map { fields[$0] }
    }
}

/// Checks a file's header and turns its data rows into ``Row``s.
enum Table {
    static func rows(_ rows: [TSVRow], path: String, expected: [String], diagnostics: inout [Diagnostic]) -> [Row]? {
        guard let header = rows.first else {
            diagnostics.append(
                .error(
                    .e316,
                    "empty file: expected a header line with the columns "
                        + expected.joined(separator: ", "), at: SourceSpan(path: path, line: 1, column: 1)))
            return nil
        }
        var names: [String] = []
        var headerOK = true
        var seen: [String: TSVField] = [:]
        for field in header.fields {
            let name = field.value.trimmingSpaces
            let span = SourceSpan(path: path, line: field.line, column: field.column)
            if let first = seen[name] {
                diagnostics.append(
                    .error(
                        .e307, "duplicate column '\(name)'", at: span,
                        notes: [.init("first here", at: SourceSpan(path: path, line: first.line, column: first.column))]
                    ))
                headerOK = false
            } else if !expected.contains(name) {
                diagnostics.append(
                    .error(
                        .e305,
                        "unknown column '\(name)'" + Suggestion.clause(for: name, in: expected)
                            + "; the columns are " + expected.joined(separator: ", "), at: span))
                headerOK = false
            }
            seen[name] = field
            names.append(name)
        }
        let missing = expected.filter { seen[$0] == nil }
        if !missing.isEmpty {
            diagnostics.append(
                .error(
                    .e306,
                    "missing column\(missing.count == 1 ? "" : "s") "
                        + missing.map { "'\($0)'" }.joined(separator: ", ") + " in the header",
                    at: SourceSpan(path: path, line: header.line, column: 1)))
            headerOK = false
        }
        guard headerOK else { return nil }
        // Where each expected column sits in this file.
        let permutation = expected.compactMap { names.firstIndex(of: $0) }
        var result: [Row] = []
        result.reserveCapacity(rows.count)
        for row in rows.dropFirst() {
            guard row.fields.count == names.count else {
                diagnostics.append(
                    .error(
                        .e308, "expected \(names.count) tab-separated fields, found \(row.fields.count)",
                        at: SourceSpan(path: path, line: row.line, column: 1)))
                continue
            }
            result.append(
                Row(path: path, line: row.line, columns: expected, fields: permutation.map { row.fields[$0] }))
        }
        return result
    }
}

/// Reads typed values from the fields of one row, collecting located diagnostics.
struct RowReader {
    let row: Row
    let vocabulary: Vocabulary
    var diagnostics: [Diagnostic] = []

    init(row: Row, vocabulary: Vocabulary) {
        self.row = row
        self.vocabulary = vocabulary
    }

    func span(of column: String) -> SourceSpan {
        guard let field = row.field(column) else { return row.span }
        return SourceSpan(path: row.path, line: field.line, column: field.column)
    }

    mutating func fail(_ code: DiagnosticCode, _ message: String, column: String, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(code, "column '\(column)': " + message, at: span(of: column), notes: notes))
    }

    /// The trimmed value of a required column.
    mutating func text(_ column: String) -> String? {
        let value = row.field(column)?.value.trimmingSpaces ?? ""
        if value.isEmpty {
            fail(.e309, "empty value; this column is required", column: column)
            return nil
        }
        return value
    }

    /// The trimmed value of an optional column, `nil` when empty.
    func optionalText(_ column: String) -> String? {
        let value = row.field(column)?.value.trimmingSpaces ?? ""
        return value.isEmpty ? nil : value
    }

    mutating func year(_ column: String) -> Int? {
        guard let raw = text(column) else { return nil }
        guard let year = EvidenceLoader.year(raw) else {
            fail(.e315, "'\(raw)' is not a four-digit year", column: column)
            return nil
        }
        return year
    }

    mutating func resolve<Kind>(_ column: String, in table: TermTable<Kind>, kind: String) -> Identifier<Kind>? {
        guard let raw = text(column) else { return nil }
        if let id = table.resolve(raw) { return id }
        fail(.e310, "unknown \(kind) '\(raw)'" + Suggestion.clause(for: raw, in: table.allNames), column: column)
        return nil
    }

    /// A comparison's measure: a declared activity or component, by name or alias (the rules never declare
    /// one name as both).
    mutating func measure(_ column: String) -> Measure? {
        guard let raw = text(column) else { return nil }
        if let id = vocabulary.activities.resolve(raw) { return .activity(id) }
        if let id = vocabulary.components.resolve(raw) { return .component(id) }
        fail(
            .e310,
            "unknown measure '\(raw)': a measure is a declared activity or component"
                + Suggestion.clause(
                    for: raw, in: (vocabulary.activities.allNames + vocabulary.components.allNames).sorted()),
            column: column)
        return nil
    }

    /// Reports a comparison that is not a contrast in exactly one factor, at the column that breaks it.
    mutating func fail(
        _ problem: ContrastProblem, subject: (SourceID, PreconditioningID),
        comparator: (SourceID, PreconditioningID)
    ) {
        let (s, p) = subject
        let (vs, vp) = comparator
        switch problem {
        case .sameSides:
            fail(
                .e320,
                "the comparison compares '\(s)+\(p)' with itself; subject and comparator must differ in exactly "
                    + "one factor, the source or the pre-conditioning", column: "versus-source")
        case .twoFactors:
            fail(
                .e320,
                "the comparison changes both the source ('\(s)' vs '\(vs)') and the pre-conditioning ('\(p)' vs "
                    + "'\(vp)'), so its finding cannot be attributed to either; a comparison varies one factor "
                    + "(record the paper's one-factor contrasts instead)", column: "versus-preconditioning")
        case .anyMSCInSourceContrast(let side):
            fail(
                .e320,
                "a source contrast cannot involve 'any-msc', which stands for MSCs in general; name the tissue "
                    + "source the paper compared", column: side == .subject ? "source" : "versus-source")
        }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) -> T?
    where T.RawValue == String {
        guard let raw = text(column) else { return nil }
        if let value = T(rawValue: raw) { return value }
        let allowed = T.allCases.map(\.rawValue)
        fail(
            .e311,
            "unknown \(column) '\(raw)'" + Suggestion.clause(for: raw, in: allowed) + "; expected one of "
                + allowed.joined(separator: ", "), column: column)
        return nil
    }
}

extension String {
    /// The string without leading and trailing spaces (U+0020 only; tabs cannot occur inside a field
    /// except quoted, where they are kept).
    var trimmingSpaces: String {
        // By scalar, not by Character: a space followed by a combining mark is one Character, but its
        // U+0020 is still trimmed (as the fast loader, which trims bytes, does).
        var scalars = Substring(self).unicodeScalars
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
