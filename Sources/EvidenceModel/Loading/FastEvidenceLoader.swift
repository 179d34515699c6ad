import Foundation

/// The loader's fast path for evidence files that are plainly valid: no NUL byte, quoted fields only on one
/// line, a correct header, every row well-formed. It works on the files' bytes — fields are slices, identifiers are looked
/// up by bytes in ``NameTable``s, texts are copied into the packed tables — and makes no `String` per field
/// except for references and mechanisms.
///
/// It either loads everything or returns `nil` at the first thing it does not accept; the caller then
/// runs the full loader, which reports every problem with its place. The two agree on every valid input
/// (tested), so the fast path never decides what is valid.
enum FastEvidenceLoader {
    static func load(_ files: EvidenceFiles, vocabulary: Vocabulary) -> EvidenceBase? {
        guard files.all.allSatisfy({ !containsNUL($0.bytes) }) else { return nil }
        var files = files
        guard let references = unquoted(files.references.bytes), let secretome = unquoted(files.secretome.bytes),
            let functions = unquoted(files.functions.bytes), let mechanisms = unquoted(files.mechanisms.bytes)
        else { return nil }
        (files.references.bytes, files.secretome.bytes) = (references, secretome)
        (files.functions.bytes, files.mechanisms.bytes) = (functions, mechanisms)
        if let comparisons = files.comparisons {
            guard let bytes = unquoted(comparisons.bytes) else { return nil }
            files.comparisons?.bytes = bytes
        }
        return loadPlain(files, vocabulary: vocabulary)
    }

    /// ``load(_:vocabulary:)`` once quoted fields are written plainly.
    private static func loadPlain(_ files: EvidenceFiles, vocabulary: Vocabulary) -> EvidenceBase? {
        let lookups = Lookups(vocabulary: vocabulary)
        guard let references = readReferences(files.references) else { return nil }
        // The record files are independent once the references are known: read concurrently.
        let keys = references.keys
        let anyMSC = vocabulary.sources.ids.firstIndex(of: .anyMSC).map { UInt32($0) }
        let parsed = ConcurrentResults<Parsed>.map(4) { task in
            switch task {
            case 0:
                var table = readSamples(
                    files.secretome, columns: "secretome.tsv", subjects: lookups.components,
                    signs: Direction.allCases.map(\.rawValue), lookups: lookups, references: keys)
                if table?.sortByID() == false { table = nil }
                return .samples(table)
            case 1:
                var table = readSamples(
                    files.functions, columns: "function.tsv", subjects: lookups.activities,
                    signs: Outcome.allCases.map(\.rawValue), lookups: lookups, references: keys)
                if table?.sortByID() == false { table = nil }
                return .samples(table)
            case 2:
                return .mechanisms(
                    readMechanisms(files.mechanisms, vocabulary: vocabulary, lookups: lookups, references: references))
            default:
                guard let file = files.comparisons else {
                    return .comparisons(PackedComparisonTable(path: EvidenceFiles.optionalFileName))
                }
                var table = readComparisons(file, lookups: lookups, references: keys, anyMSC: anyMSC)
                if table?.sortByID() == false { table = nil }
                return .comparisons(table)
            }
        }
        guard parsed.count == 4, case .samples(let secretome?) = parsed[0], case .samples(let functions?) = parsed[1],
            case .mechanisms(let mechanisms?) = parsed[2], case .comparisons(let comparisons?) = parsed[3]
        else { return nil }
        // Record ids are unique across the record files (each pair of sorted id lists merged once).
        let mechanismIDs = mechanisms.map { $0.id.rawValue.utf8 }
        guard !sharesID(secretome.ids, functions.ids), !sharesID(secretome.ids, mechanismIDs),
            !sharesID(functions.ids, mechanismIDs), !sharesID(secretome.ids, comparisons.ids),
            !sharesID(functions.ids, comparisons.ids), !sharesID(comparisons.ids, mechanismIDs)
        else { return nil }
        return EvidenceBase(
            references: references.records, secretome: secretome, functions: functions, mechanisms: mechanisms,
            comparisons: comparisons, symbols: EvidenceSymbols(vocabulary: vocabulary, references: references.ids))
    }

    /// What one of the concurrent parses produced.
    enum Parsed: Sendable {
        case samples(PackedSampleTable?)
        case mechanisms([MechanismRecord]?)
        case comparisons(PackedComparisonTable?)
    }

    /// Whether `bytes` are all ASCII. Identifiers compare as `String`s (canonically equivalent spellings
    /// are equal) in the full loader and as bytes here; for ASCII the two agree, so a record id or reference
    /// key that is not ASCII is left to the full loader.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { !bytes.contains { $0 >= 0x80 } }

    /// The number of line feeds in `bytes`.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw in
            guard var cursor = raw.baseAddress else { return 0 }
            let end = cursor + raw.count
            var count = 0
            while cursor < end, let found = memchr(cursor, 0x0A, end - cursor) {
                count += 1
                cursor = UnsafeRawPointer(found) + 1
            }
            return count
        }
    }

    /// Whether `bytes` hold a NUL byte (a binary file: the full reader says so).
    static func containsNUL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            return memchr(base, 0, raw.count) != nil
        }
    }

    /// `bytes` with every quoted field written plainly: a field that starts with `"` (as ``TSVReader`` reads
    /// it, RFC 4180) loses its quotes and has `""` made `"`, so that the line splitter, which takes every byte
    /// literally, sees the value the full reader would. The bytes themselves when there is no quote. `nil` —
    /// the full reader then decides — when a quoted field holds a tab, a line break or a carriage return
    /// (which would change the lines), is not closed, or has text after its closing quote.
    static func unquoted(_ bytes: [UInt8]) -> [UInt8]? {
        let hasQuote = bytes.withUnsafeBytes { raw in
            raw.baseAddress.map { memchr($0, 0x22, raw.count) != nil } ?? false
        }
        guard hasQuote else { return bytes }
        let (quote, tab, newline, carriageReturn): (UInt8, UInt8, UInt8, UInt8) = (0x22, 0x09, 0x0A, 0x0D)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        out += bytes[..<index]
        var atFieldStart = true
        while index < bytes.count {
            let byte = bytes[index]
            guard atFieldStart, byte == quote else {
                out.append(byte)
                atFieldStart = byte == tab || byte == newline
                index += 1
                continue
            }
            // A quoted field: copy its value up to the closing quote.
            index += 1
            while true {
                guard index < bytes.count else { return nil }
                let inner = bytes[index]
                if inner == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        out.append(quote)
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                if inner == tab || inner == newline || inner == carriageReturn { return nil }
                out.append(inner)
                index += 1
            }
            // The closing quote ends the field: a tab, a line end or the end of the file must follow.
            if index < bytes.count {
                let next = bytes[index]
                let endsLine =
                    next == newline
                    || (next == carriageReturn && index + 1 < bytes.count && bytes[index + 1] == newline)
                guard next == tab || endsLine else { return nil }
            }
            atFieldStart = false
        }
        return out
    }

    /// Name tables of the vocabulary: every identifier and alias to its term's index.
    struct Lookups {
        let sources: NameTable
        let preconditionings: NameTable
        let products: NameTable
        let levels: NameTable
        let components: NameTable
        let activities: NameTable
        /// Activities and components, as comparisons name them: an activity's index, or a component's with
        /// ``componentFlag`` set (the rules never declare one name as both).
        let measures: NameTable

        static let componentFlag: UInt32 = 1 << 31

        init(vocabulary: Vocabulary) {
            func table<Kind>(_ terms: TermTable<Kind>) -> NameTable {
                var table = NameTable(capacity: terms.terms.count * 2)
                for (name, index) in terms.namesWithIndexes { table.insert(name, value: UInt32(index)) }
                return table
            }
            sources = table(vocabulary.sources)
            preconditionings = table(vocabulary.preconditionings)
            products = table(vocabulary.products)
            levels = table(vocabulary.levels)
            components = table(vocabulary.components)
            activities = table(vocabulary.activities)
            var measures = NameTable(
                capacity: (vocabulary.activities.terms.count + vocabulary.components.terms.count) * 2)
            for (name, index) in vocabulary.activities.namesWithIndexes { measures.insert(name, value: UInt32(index)) }
            for (name, index) in vocabulary.components.namesWithIndexes {
                measures.insert(name, value: UInt32(index) | Self.componentFlag)
            }
            self.measures = measures
        }
    }

    /// A name table that remembers its last key: consecutive rows of a file often name the same source,
    /// pre-conditioning or reference (rows of one paper), and comparing with the previous field is cheaper
    /// than hashing.
    struct RepeatLookup {
        let table: NameTable
        var last: UnsafeBufferPointer<UInt8>?
        var value: UInt32 = 0

        init(_ table: NameTable) { self.table = table }

        mutating func find(_ key: UnsafeBufferPointer<UInt8>) -> UInt32? {
            if let last, last.count == key.count, let a = last.baseAddress, let b = key.baseAddress, key.count > 0,
                memcmp(a, b, key.count) == 0
            {
                return value
            }
            guard let found = table.find(key) else { return nil }
            (last, value) = (key, found)
            return found
        }
    }

    // MARK: Lines and fields

    /// The fields of one line, trimmed of spaces, in the canonical column order of the file.
    struct Fields {
        var starts: [Int]
        var ends: [Int]
        /// Where each canonical column sits among the line's fields.
        let permutation: [Int]
        let base: UnsafeBufferPointer<UInt8>

        /// The trimmed bytes of canonical column `column`.
        func callAsFunction(_ column: Int) -> UnsafeBufferPointer<UInt8> {
            let field = permutation[column]
            var (start, end) = (starts[field], ends[field])
            while start < end, base[start] == 0x20 { start += 1 }
            while end > start, base[end - 1] == 0x20 { end -= 1 }
            return UnsafeBufferPointer(rebasing: base[start..<end])
        }

        func string(_ column: Int) -> String { String(decoding: self(column), as: UTF8.self) }
    }

    /// Calls `row` with the fields of every data line of `bytes` whose header names exactly the columns of
    /// `name`; `nil` as soon as the header or a line is not plainly valid, or `row` returns `false`.
    static func forEachRow(
        _ file: (path: String, bytes: [UInt8]), columns name: String,
        _ row: (_ line: Int, _ fields: Fields) -> Bool
    ) -> Bool {
        guard let expected = EvidenceLoader.columns[name] else { return false }
        return file.bytes.withUnsafeBufferPointer { base in
            var index = base.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            var line = 0
            var fields: Fields?
            var starts: [Int] = []
            var ends: [Int] = []
            while index < base.count {
                line += 1
                var end = index
                var nonASCII: UInt8 = 0
                starts.removeAll(keepingCapacity: true)
                ends.removeAll(keepingCapacity: true)
                starts.append(index)
                while end < base.count, base[end] != 0x0A {
                    let byte = base[end]
                    nonASCII |= byte
                    if byte == 0x09 {
                        ends.append(end)
                        starts.append(end + 1)
                    }
                    end += 1
                }
                let next = end + 1
                if end < base.count, end > index, base[end - 1] == 0x0D { end -= 1 }
                ends.append(end)
                defer { index = next }
                if end == index { continue }  // an empty line
                if nonASCII & 0x80 != 0,
                    String(validating: UnsafeBufferPointer(rebasing: base[index..<end]), as: UTF8.self) == nil
                {
                    return false
                }
                guard let current = fields else {
                    // The header: exactly the expected columns, each once, in any order.
                    let names = zip(starts, ends).map {
                        String(decoding: UnsafeBufferPointer(rebasing: base[$0..<$1]), as: UTF8.self).trimmingSpaces
                    }
                    guard names.count == expected.count, Set(names) == Set(expected) else { return false }
                    fields = Fields(
                        starts: [], ends: [], permutation: expected.compactMap { names.firstIndex(of: $0) },
                        base: base)
                    continue
                }
                guard starts.count == current.permutation.count,
                    row(line, Fields(starts: starts, ends: ends, permutation: current.permutation, base: base))
                else { return false }
            }
            return fields != nil
        }
    }

    // MARK: Files

    struct References {
        var records: [Reference] = []
        /// Key to index in `ids`.
        var keys = NameTable()
        var ids: [ReferenceID] = []
    }

    static func readReferences(_ file: (path: String, bytes: [UInt8])) -> References? {
        var result = References()
        let accepted = forEachRow(file, columns: "references.tsv") { line, field in
            let key = field(0)
            guard !key.isEmpty, isASCII(key), result.keys.insert(key, value: UInt32(result.ids.count)) == nil else {
                return false
            }
            let id = ReferenceID(field.string(0))
            result.ids.append(id)
            let doi = field(1).isEmpty ? nil : field.string(1)
            let pmid = field(2).isEmpty ? nil : field.string(2)
            guard doi != nil || pmid != nil, doi.map(EvidenceLoader.isWellFormedDOI) ?? true,
                pmid.map(EvidenceLoader.isWellFormedPMID) ?? true,
                let year = EvidenceLoader.year(field.string(4)),
                !field(3).isEmpty, !field(5).isEmpty, !field(6).isEmpty
            else { return false }
            result.records.append(
                Reference(
                    id: id, doi: doi, pmid: pmid, authors: field.string(3), year: year, title: field.string(5),
                    journal: field.string(6), span: SourceSpan(path: file.path, line: line, column: 1)))
            return true
        }
        return accepted ? result : nil
    }

    /// Secretome or function rows: id, source, preconditioning, product, subject, sign, level, species, ref,
    /// note.
    static func readSamples(
        _ file: (path: String, bytes: [UInt8]), columns: String, subjects: NameTable, signs: [String],
        lookups: Lookups, references: NameTable
    ) -> PackedSampleTable? {
        var table = PackedSampleTable(path: file.path)
        // One row per line: room for all of them at once, instead of growing (and copying) the array.
        table.rows.reserveCapacity(lineCount(file.bytes))
        let signBytes = signs.map { Array($0.utf8) }
        var (sources, pres, products) = (
            RepeatLookup(lookups.sources), RepeatLookup(lookups.preconditionings), RepeatLookup(lookups.products)
        )
        var (subjectLookup, levels, referenceLookup) = (
            RepeatLookup(subjects), RepeatLookup(lookups.levels), RepeatLookup(references)
        )
        let accepted = forEachRow(file, columns: columns) { line, field in
            let id = field(0)
            guard !id.isEmpty, isASCII(id), let source = sources.find(field(1)), let pre = pres.find(field(2)),
                let product = products.find(field(3)), let subject = subjectLookup.find(field(4)),
                let sign = signBytes.firstIndex(where: { $0.elementsEqual(field(5)) }),
                let level = levels.find(field(6)), let reference = referenceLookup.find(field(8))
            else { return false }
            let texts = table.appendTexts(id: id, species: field(7), note: field(9))
            table.append(
                PackedSample(
                    textOffset: texts.offset, idLength: texts.id, speciesLength: texts.species,
                    noteLength: texts.note, line: line, source: source, preconditioning: pre,
                    product: product, level: level, subject: subject, reference: reference, sign: UInt8(sign)))
            return true
        }
        return accepted ? table : nil
    }

    /// Comparison rows: id, source, preconditioning, versus-source, versus-preconditioning, product, measure,
    /// outcome, level, species, ref, note. A row that is not a one-factor contrast sends the file to the full
    /// loader, which says what is wrong.
    static func readComparisons(
        _ file: (path: String, bytes: [UInt8]), lookups: Lookups, references: NameTable, anyMSC: UInt32?
    ) -> PackedComparisonTable? {
        var table = PackedComparisonTable(path: file.path)
        table.rows.reserveCapacity(lineCount(file.bytes))
        let outcomes = ComparisonOutcome.allCases.map { Array($0.rawValue.utf8) }
        var (sources, pres, products) = (
            RepeatLookup(lookups.sources), RepeatLookup(lookups.preconditionings), RepeatLookup(lookups.products)
        )
        var (measures, levels, referenceLookup) = (
            RepeatLookup(lookups.measures), RepeatLookup(lookups.levels), RepeatLookup(references)
        )
        let accepted = forEachRow(file, columns: "comparisons.tsv") { line, field in
            let id = field(0)
            guard !id.isEmpty, isASCII(id), let source = sources.find(field(1)), let pre = pres.find(field(2)),
                let versusSource = lookups.sources.find(field(3)),
                let versusPre = lookups.preconditionings.find(field(4)), let product = products.find(field(5)),
                let measure = measures.find(field(6)),
                let outcome = outcomes.firstIndex(where: { $0.elementsEqual(field(7)) }),
                let level = levels.find(field(8)), let reference = referenceLookup.find(field(10)),
                ContrastProblem.of(
                    source: source, preconditioning: pre, versusSource: versusSource, versusPreconditioning: versusPre,
                    isAnyMSC: { $0 == anyMSC }) == nil
            else { return false }
            let texts = table.appendTexts(id: id, species: field(9), note: field(11))
            table.append(
                PackedComparison(
                    textOffset: texts.offset, idLength: texts.id, speciesLength: texts.species,
                    noteLength: texts.note, line: line, source: source, preconditioning: pre,
                    versusSource: versusSource, versusPreconditioning: versusPre, product: product, level: level,
                    measure: measure & ~Lookups.componentFlag,
                    measuresComponent: measure & Lookups.componentFlag != 0, reference: reference,
                    outcome: UInt8(outcome)))
            return true
        }
        return accepted ? table : nil
    }

    static func readMechanisms(
        _ file: (path: String, bytes: [UInt8]), vocabulary: Vocabulary, lookups: Lookups, references: References
    ) -> [MechanismRecord]? {
        var records: [MechanismRecord] = []
        let (components, activities, levels) = (
            vocabulary.components.ids, vocabulary.activities.ids, vocabulary.levels.ids
        )
        let accepted = forEachRow(file, columns: "mechanisms.tsv") { line, field in
            guard !field(0).isEmpty, isASCII(field(0)), let component = lookups.components.find(field(1)),
                let activity = lookups.activities.find(field(2)),
                let effect = Effect(rawValue: field.string(3)), let level = lookups.levels.find(field(4)),
                let reference = references.keys.find(field(5))
            else { return false }
            records.append(
                MechanismRecord(
                    id: RecordID(field.string(0)), component: components[Int(component)],
                    activity: activities[Int(activity)], effect: effect, level: levels[Int(level)],
                    reference: references.ids[Int(reference)], note: field.string(6),
                    span: SourceSpan(path: file.path, line: line, column: 1)))
            return true
        }
        guard accepted else { return nil }
        if !records.isSorted(by: { $0.id < $1.id }) { records.sort { $0.id < $1.id } }
        for index in records.indices.dropFirst() where records[index - 1].id == records[index].id { return nil }
        return records
    }

    /// Whether two id sequences, each sorted by bytes, have an id in common.
    static func sharesID<A: Sequence, B: Sequence>(_ a: A, _ b: B) -> Bool
    where A.Element: Collection<UInt8>, B.Element: Collection<UInt8> {
        let b = Array(b)
        guard !b.isEmpty else { return false }
        var j = 0
        for x in a {
            while j < b.count, b[j].lexicographicallyPrecedes(x) { j += 1 }
            if j == b.count { return false }
            if b[j].elementsEqual(x) { return true }
        }
        return false
    }
}
