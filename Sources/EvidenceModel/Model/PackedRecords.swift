/// The identifiers that packed records refer to by index: the declared terms of each kind (in the
/// vocabulary's sorted order) and the references in the order they were first seen.
///
/// Packing a record's identifiers to integers keeps a literature-scale evidence base small (one array of
/// fixed-size rows instead of ten `String`s per record) and lets the scoring engine index by integer.
public struct EvidenceSymbols: Sendable {
    /// Sources, as `Vocabulary.sources.ids`.
    public var sources: [SourceID]
    /// Pre-conditionings, as `Vocabulary.preconditionings.ids`.
    public var preconditionings: [PreconditioningID]
    /// Products, as `Vocabulary.products.ids`.
    public var products: [ProductID]
    /// Levels, as `Vocabulary.levels.ids`.
    public var levels: [LevelID]
    /// Components, as `Vocabulary.components.ids`.
    public var components: [ComponentID]
    /// Activities, as `Vocabulary.activities.ids`.
    public var activities: [ActivityID]
    /// Every reference key a record may cite, in the order first seen.
    public var references: [ReferenceID]

    init(vocabulary: Vocabulary, references: [ReferenceID]) {
        sources = vocabulary.sources.ids
        preconditionings = vocabulary.preconditionings.ids
        products = vocabulary.products.ids
        levels = vocabulary.levels.ids
        components = vocabulary.components.ids
        activities = vocabulary.activities.ids
        self.references = references
    }
}

/// A packed row: identifiers as indexes into ``EvidenceSymbols``, texts (id, species, note) as lengths of
/// consecutive bytes in its table's text buffer.
public protocol PackedRow: Sendable {
    /// Where the record's id, species and note start in the table's text buffer.
    var textOffset: Int { get }
    /// The id's length in bytes.
    var idLength: UInt32 { get }
    /// The species' length in bytes.
    var speciesLength: UInt32 { get }
    /// The note's length in bytes.
    var noteLength: UInt32 { get }
    /// The 1-based line of the row.
    var line: Int { get }
    /// Index into ``EvidenceSymbols/references``.
    var reference: UInt32 { get }
}

/// One secretome or function row with its identifiers as indexes into ``EvidenceSymbols`` and its texts
/// (id, species, note) as lengths of consecutive bytes in the table's text buffer.
public struct PackedSample: PackedRow, Hashable {
    /// Where the record's id, species and note start in the table's text buffer.
    public internal(set) var textOffset: Int
    /// The id's length in bytes.
    public internal(set) var idLength: UInt32
    /// The species' length in bytes.
    public internal(set) var speciesLength: UInt32
    /// The note's length in bytes.
    public internal(set) var noteLength: UInt32
    /// The 1-based line of the row.
    public internal(set) var line: Int
    /// Index into ``EvidenceSymbols/sources``.
    public internal(set) var source: UInt32
    /// Index into ``EvidenceSymbols/preconditionings``.
    public internal(set) var preconditioning: UInt32
    /// Index into ``EvidenceSymbols/products``.
    public internal(set) var product: UInt32
    /// Index into ``EvidenceSymbols/levels``.
    public internal(set) var level: UInt32
    /// Index into ``EvidenceSymbols/components`` (secretome) or ``EvidenceSymbols/activities`` (function).
    public internal(set) var subject: UInt32
    /// Index into ``EvidenceSymbols/references``.
    public internal(set) var reference: UInt32
    /// The position of the direction (secretome) or outcome (function) in its `allCases`.
    public internal(set) var sign: UInt8
}

/// One comparisons.tsv row, packed like ``PackedSample``.
public struct PackedComparison: PackedRow, Hashable {
    /// Where the record's id, species and note start in the table's text buffer.
    public internal(set) var textOffset: Int
    /// The id's length in bytes.
    public internal(set) var idLength: UInt32
    /// The species' length in bytes.
    public internal(set) var speciesLength: UInt32
    /// The note's length in bytes.
    public internal(set) var noteLength: UInt32
    /// The 1-based line of the row.
    public internal(set) var line: Int
    /// The subject's source, as an index into ``EvidenceSymbols/sources``.
    public internal(set) var source: UInt32
    /// The subject's pre-conditioning, as an index into ``EvidenceSymbols/preconditionings``.
    public internal(set) var preconditioning: UInt32
    /// The comparator's source.
    public internal(set) var versusSource: UInt32
    /// The comparator's pre-conditioning.
    public internal(set) var versusPreconditioning: UInt32
    /// Index into ``EvidenceSymbols/products``.
    public internal(set) var product: UInt32
    /// Index into ``EvidenceSymbols/levels``.
    public internal(set) var level: UInt32
    /// Index into ``EvidenceSymbols/activities`` or, when ``measuresComponent``, ``EvidenceSymbols/components``.
    public internal(set) var measure: UInt32
    /// Whether ``measure`` is a component.
    public internal(set) var measuresComponent: Bool
    /// Index into ``EvidenceSymbols/references``.
    public internal(set) var reference: UInt32
    /// The position of the outcome in `ComparisonOutcome.allCases`.
    public internal(set) var outcome: UInt8
}

/// The rows of one record file, packed, sorted by record id.
public struct PackedTable<Row: PackedRow>: Sendable {
    /// The rows, sorted by id (by UTF-8 bytes).
    public internal(set) var rows: [Row] = []
    /// The texts of every row.
    var text: [UInt8] = []
    /// The path of the file the rows came from.
    public internal(set) var path: String

    init(path: String) { self.path = path }

    /// Appends a row's id, species and note to ``text``; returns where they start and their lengths in bytes.
    mutating func appendTexts<Bytes: Collection<UInt8>>(id: Bytes, species: Bytes, note: Bytes) -> (
        offset: Int, id: UInt32, species: UInt32, note: UInt32
    ) {
        let offset = text.count
        text.append(contentsOf: id)
        text.append(contentsOf: species)
        text.append(contentsOf: note)
        return (offset, UInt32(id.count), UInt32(species.count), UInt32(note.count))
    }

    /// Appends a row whose texts are already at the end of ``text``.
    mutating func append(_ row: Row) { rows.append(row) }

    /// The record id of row `index`, as UTF-8 bytes.
    func idBytes(_ index: Int) -> ArraySlice<UInt8> {
        let row = rows[index]
        return text[row.textOffset..<row.textOffset + Int(row.idLength)]
    }

    /// Every row's record id, as UTF-8 bytes, in row order.
    var ids: LazyMapSequence<Range<Int>, ArraySlice<UInt8>> { rows.indices.lazy.map { idBytes($0) } }

    /// The id, species and note of `row`.
    func texts(of row: Row) -> (id: String, species: String, note: String) {
        let id = row.textOffset
        let species = id + Int(row.idLength)
        let note = species + Int(row.speciesLength)
        let end = note + Int(row.noteLength)
        return (
            String(decoding: text[id..<species], as: UTF8.self),
            String(decoding: text[species..<note], as: UTF8.self),
            String(decoding: text[note..<end], as: UTF8.self)
        )
    }

    /// Sorts the rows by id unless they already are (files are usually written in id order). Returns `false`
    /// when two rows share an id.
    mutating func sortByID() -> Bool {
        var sorted = true
        for index in rows.indices.dropFirst() {
            let order = Self.compare(idBytes(index - 1), idBytes(index))
            if order == 0 { return false }
            if order > 0 { sorted = false }
        }
        if sorted { return true }
        let text = self.text
        rows.sort {
            Self.compare(
                text[$0.textOffset..<$0.textOffset + Int($0.idLength)],
                text[$1.textOffset..<$1.textOffset + Int($1.idLength)]) < 0
        }
        for index in rows.indices.dropFirst() where Self.compare(idBytes(index - 1), idBytes(index)) == 0 {
            return false
        }
        return true
    }

    /// −1, 0 or 1 as `a` sorts before, equal to or after `b` by bytes.
    static func compare(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        var (i, j) = (a.startIndex, b.startIndex)
        while i < a.endIndex, j < b.endIndex {
            if a[i] != b[j] { return a[i] < b[j] ? -1 : 1 }
            i += 1
            j += 1
        }
        if i == a.endIndex { return j == b.endIndex ? 0 : -1 }
        return 1
    }
}

/// The packed rows of secretome.tsv or function.tsv.
public typealias PackedSampleTable = PackedTable<PackedSample>

/// The packed rows of comparisons.tsv.
public typealias PackedComparisonTable = PackedTable<PackedComparison>

/// A secretome or function record's fields with identifiers, before packing.
struct UnpackedSample<Subject> {
    var id: RecordID
    var source: SourceID
    var preconditioning: PreconditioningID
    var product: ProductID
    var subject: Identifier<Subject>
    var sign: Int
    var level: LevelID
    var species: String
    var reference: ReferenceID
    var note: String
    var line: Int
}

extension PackedTable where Row == PackedSample {
    /// Packs records whose identifiers are all among `symbols` (the full loader's result), sorted by id.
    init<Subject>(
        path: String, _ records: [UnpackedSample<Subject>], subjects: [Identifier<Subject>], symbols: EvidenceSymbols
    ) {
        self.init(path: path)
        append(records, subjects: subjects, symbols: symbols)
    }

    /// Adds records whose identifiers are all among `symbols`, keeping the rows sorted by id.
    mutating func append<Subject>(
        _ records: [UnpackedSample<Subject>], subjects: [Identifier<Subject>], symbols: EvidenceSymbols
    ) {
        let (sources, pres, products, levels) = (
            indexes(symbols.sources), indexes(symbols.preconditionings), indexes(symbols.products),
            indexes(symbols.levels)
        )
        let (subjectIndexes, references) = (indexes(subjects), indexes(symbols.references))
        for record in records {
            let texts = appendTexts(
                id: Array(record.id.rawValue.utf8), species: Array(record.species.utf8), note: Array(record.note.utf8))
            append(
                PackedSample(
                    textOffset: texts.offset, idLength: texts.id, speciesLength: texts.species,
                    noteLength: texts.note, line: record.line, source: sources[record.source] ?? 0,
                    preconditioning: pres[record.preconditioning] ?? 0, product: products[record.product] ?? 0,
                    level: levels[record.level] ?? 0, subject: subjectIndexes[record.subject] ?? 0,
                    reference: references[record.reference] ?? 0, sign: UInt8(record.sign)))
        }
        _ = sortByID()
    }
}

extension PackedTable where Row == PackedSample {
    /// Row `index` with the identifiers its secretome and function records share, and the positions of its
    /// subject (component or activity) and sign (direction or outcome).
    func unpacked(_ index: Int, symbols: EvidenceSymbols) -> (
        id: RecordID, source: SourceID, preconditioning: PreconditioningID, product: ProductID, subject: Int,
        sign: Int, level: LevelID, species: String, reference: ReferenceID, note: String, span: SourceSpan
    ) {
        let row = rows[index]
        let (id, species, note) = texts(of: row)
        return (
            RecordID(id), symbols.sources[Int(row.source)], symbols.preconditionings[Int(row.preconditioning)],
            symbols.products[Int(row.product)], Int(row.subject), Int(row.sign), symbols.levels[Int(row.level)],
            species, symbols.references[Int(row.reference)], note, SourceSpan(path: path, line: row.line, column: 1)
        )
    }
}

/// Each identifier's position in `ids` (the first, should one repeat).
func indexes<Kind>(_ ids: [Identifier<Kind>]) -> [Identifier<Kind>: UInt32] {
    Dictionary(ids.enumerated().map { ($0.element, UInt32($0.offset)) }, uniquingKeysWith: { first, _ in first })
}

extension Collection {
    /// Whether no element is ordered before the one preceding it.
    func isSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> Bool {
        zip(self, dropFirst()).allSatisfy { !areInIncreasingOrder($1, $0) }
    }
}

/// The secretome records of an evidence base, sorted by id; each record is built from its packed row
/// when accessed.
public struct SecretomeRecords: RandomAccessCollection, Sendable {
    /// The packed rows.
    public let table: PackedSampleTable
    let symbols: EvidenceSymbols

    /// The first index, 0.
    public var startIndex: Int { 0 }
    /// The number of records.
    public var endIndex: Int { table.rows.count }

    /// The record at `index`.
    public subscript(index: Int) -> SecretomeRecord {
        let r = table.unpacked(index, symbols: symbols)
        return SecretomeRecord(
            id: r.id, source: r.source, preconditioning: r.preconditioning, product: r.product,
            component: symbols.components[r.subject], direction: Direction.allCases[r.sign], level: r.level,
            species: r.species, reference: r.reference, note: r.note, span: r.span)
    }
}

/// The function records of an evidence base, sorted by id; each record is built from its packed row
/// when accessed.
public struct FunctionRecords: RandomAccessCollection, Sendable {
    /// The packed rows.
    public let table: PackedSampleTable
    let symbols: EvidenceSymbols

    /// The first index, 0.
    public var startIndex: Int { 0 }
    /// The number of records.
    public var endIndex: Int { table.rows.count }

    /// The record at `index`.
    public subscript(index: Int) -> FunctionRecord {
        let r = table.unpacked(index, symbols: symbols)
        return FunctionRecord(
            id: r.id, source: r.source, preconditioning: r.preconditioning, product: r.product,
            activity: symbols.activities[r.subject], outcome: Outcome.allCases[r.sign], level: r.level,
            species: r.species, reference: r.reference, note: r.note, span: r.span)
    }
}

extension PackedTable where Row == PackedComparison {
    /// Packs comparison records whose identifiers are all among `symbols` (the full loader's result), sorted
    /// by id.
    init(path: String, _ records: [ComparisonRecord], symbols: EvidenceSymbols) {
        self.init(path: path)
        append(records, symbols: symbols)
    }

    /// Adds comparison records whose identifiers are all among `symbols`, keeping the rows sorted by id.
    mutating func append(_ records: [ComparisonRecord], symbols: EvidenceSymbols) {
        let (sources, pres, products, levels) = (
            indexes(symbols.sources), indexes(symbols.preconditionings), indexes(symbols.products),
            indexes(symbols.levels)
        )
        let (activities, components, references) = (
            indexes(symbols.activities), indexes(symbols.components), indexes(symbols.references)
        )
        for record in records {
            let texts = appendTexts(
                id: Array(record.id.rawValue.utf8), species: Array(record.species.utf8), note: Array(record.note.utf8))
            let measure: UInt32
            let isComponent: Bool
            switch record.measure {
            case .activity(let id): (measure, isComponent) = (activities[id] ?? 0, false)
            case .component(let id): (measure, isComponent) = (components[id] ?? 0, true)
            }
            append(
                PackedComparison(
                    textOffset: texts.offset, idLength: texts.id, speciesLength: texts.species, noteLength: texts.note,
                    line: record.span.start.line,
                    source: sources[record.source] ?? 0, preconditioning: pres[record.preconditioning] ?? 0,
                    versusSource: sources[record.versusSource] ?? 0,
                    versusPreconditioning: pres[record.versusPreconditioning] ?? 0,
                    product: products[record.product] ?? 0, level: levels[record.level] ?? 0, measure: measure,
                    measuresComponent: isComponent, reference: references[record.reference] ?? 0,
                    outcome: UInt8(ComparisonOutcome.allCases.firstIndex(of: record.outcome) ?? 0)))
        }
        _ = sortByID()
    }
}

/// The comparison records of an evidence base, sorted by id; each record is built from its packed row when
/// accessed.
public struct ComparisonRecords: RandomAccessCollection, Sendable {
    /// The packed rows.
    public let table: PackedComparisonTable
    let symbols: EvidenceSymbols

    /// The first index, 0.
    public var startIndex: Int { 0 }
    /// The number of records.
    public var endIndex: Int { table.rows.count }

    /// The record at `index`.
    public subscript(index: Int) -> ComparisonRecord {
        let row = table.rows[index]
        let (id, species, note) = table.texts(of: row)
        let measure: Measure =
            row.measuresComponent
            ? .component(symbols.components[Int(row.measure)]) : .activity(symbols.activities[Int(row.measure)])
        return ComparisonRecord(
            id: RecordID(id), source: symbols.sources[Int(row.source)],
            preconditioning: symbols.preconditionings[Int(row.preconditioning)],
            versusSource: symbols.sources[Int(row.versusSource)],
            versusPreconditioning: symbols.preconditionings[Int(row.versusPreconditioning)],
            product: symbols.products[Int(row.product)], measure: measure,
            outcome: ComparisonOutcome.allCases[Int(row.outcome)], level: symbols.levels[Int(row.level)],
            species: species, reference: symbols.references[Int(row.reference)], note: note,
            span: SourceSpan(path: table.path, line: row.line, column: 1))
    }
}

extension EvidenceBase {
    /// The position of every secretome and function record among all of them sorted by id (UTF-8 bytes):
    /// the last tie-break of DESIGN §5's de-duplication, as integers. Complexity: O(n), a merge of the two
    /// sorted tables.
    public func recordOrder() -> (secretome: [UInt32], functions: [UInt32]) {
        let (a, b) = (secretome.table, functions.table)
        var orderA = [UInt32](repeating: 0, count: a.rows.count)
        var orderB = [UInt32](repeating: 0, count: b.rows.count)
        var (i, j) = (0, 0)
        while i < a.rows.count || j < b.rows.count {
            let position = UInt32(truncatingIfNeeded: i + j)
            if j == b.rows.count || (i < a.rows.count && PackedSampleTable.compare(a.idBytes(i), b.idBytes(j)) < 0) {
                orderA[i] = position
                i += 1
            } else {
                orderB[j] = position
                j += 1
            }
        }
        return (orderA, orderB)
    }
}
