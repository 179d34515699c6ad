/// A cited paper.
public struct Reference: Hashable, Sendable {
    /// The key that records cite (the `ref` column).
    public var id: ReferenceID
    /// The DOI as the publisher prints it, without a resolver prefix; `nil` when not given.
    public var doi: String?
    /// The PubMed identifier (digits); `nil` when not given.
    public var pmid: String?
    /// The authors as written in the file.
    public var authors: String
    /// The publication year.
    public var year: Int
    /// The title.
    public var title: String
    /// The journal.
    public var journal: String
    /// Where the reference is declared.
    public var span: SourceSpan

    /// Creates a reference.
    public init(
        id: ReferenceID, doi: String?, pmid: String?, authors: String, year: Int, title: String, journal: String,
        span: SourceSpan
    ) {
        self.id = id
        self.doi = doi
        self.pmid = pmid
        self.authors = authors
        self.year = year
        self.title = title
        self.journal = journal
        self.span = span
    }
}

/// Whether a secreted component was found raised, lowered or merely present.
public enum Direction: String, Hashable, Sendable, CaseIterable {
    /// Raised relative to the paper's comparison.
    case up
    /// Lowered relative to the paper's comparison.
    case down
    /// Detected in the secretome.
    case present

    /// +1 for up and present, −1 for down (DESIGN §5).
    public var sign: Double { self == .down ? -1 : 1 }
}

/// Whether a function record supports or refutes an activity.
public enum Outcome: String, Hashable, Sendable, CaseIterable {
    /// The paper showed the activity.
    case supports
    /// The paper tested the activity and found no effect or the opposite.
    case refutes

    /// +1 for supports, −1 for refutes (DESIGN §5).
    public var sign: Double { self == .supports ? 1 : -1 }
}

/// Whether a component promotes or inhibits an activity.
public enum Effect: String, Hashable, Sendable, CaseIterable {
    /// The component promotes the activity.
    case promotes
    /// The component inhibits the activity.
    case inhibits

    /// +1 for promotes, −1 for inhibits (DESIGN §5).
    public var sign: Double { self == .promotes ? 1 : -1 }
}

/// A row of secretome.tsv: a (source, pre-conditioning) secretes a component.
public struct SecretomeRecord: Hashable, Sendable {
    /// The record's identifier.
    public var id: RecordID
    /// The MSC source, possibly `any-msc`.
    public var source: SourceID
    /// The pre-conditioning, possibly `none`.
    public var preconditioning: PreconditioningID
    /// What was tested.
    public var product: ProductID
    /// The secreted component.
    public var component: ComponentID
    /// Up, down or present.
    public var direction: Direction
    /// The model level.
    public var level: LevelID
    /// The donor species; empty when not stated.
    public var species: String
    /// The cited reference.
    public var reference: ReferenceID
    /// A free-text note.
    public var note: String
    /// Where the row starts.
    public var span: SourceSpan

    /// Creates a secretome record.
    public init(
        id: RecordID, source: SourceID, preconditioning: PreconditioningID, product: ProductID,
        component: ComponentID, direction: Direction, level: LevelID, species: String, reference: ReferenceID,
        note: String, span: SourceSpan
    ) {
        self.id = id
        self.source = source
        self.preconditioning = preconditioning
        self.product = product
        self.component = component
        self.direction = direction
        self.level = level
        self.species = species
        self.reference = reference
        self.note = note
        self.span = span
    }
}

/// A row of function.tsv: a (source, pre-conditioning) shows, or fails to show, an activity.
public struct FunctionRecord: Hashable, Sendable {
    /// The record's identifier.
    public var id: RecordID
    /// The MSC source, possibly `any-msc`.
    public var source: SourceID
    /// The pre-conditioning, possibly `none`.
    public var preconditioning: PreconditioningID
    /// What was tested.
    public var product: ProductID
    /// The activity.
    public var activity: ActivityID
    /// Supports or refutes.
    public var outcome: Outcome
    /// The model level.
    public var level: LevelID
    /// The donor species; empty when not stated.
    public var species: String
    /// The cited reference.
    public var reference: ReferenceID
    /// A free-text note.
    public var note: String
    /// Where the row starts.
    public var span: SourceSpan

    /// Creates a function record.
    public init(
        id: RecordID, source: SourceID, preconditioning: PreconditioningID, product: ProductID,
        activity: ActivityID, outcome: Outcome, level: LevelID, species: String, reference: ReferenceID,
        note: String, span: SourceSpan
    ) {
        self.id = id
        self.source = source
        self.preconditioning = preconditioning
        self.product = product
        self.activity = activity
        self.outcome = outcome
        self.level = level
        self.species = species
        self.reference = reference
        self.note = note
        self.span = span
    }
}

/// A row of mechanisms.tsv: a component promotes or inhibits an activity.
public struct MechanismRecord: Hashable, Sendable {
    /// The record's identifier.
    public var id: RecordID
    /// The component.
    public var component: ComponentID
    /// The activity.
    public var activity: ActivityID
    /// Promotes or inhibits.
    public var effect: Effect
    /// The model level of the experiment that showed the link.
    public var level: LevelID
    /// The cited reference.
    public var reference: ReferenceID
    /// A free-text note.
    public var note: String
    /// Where the row starts.
    public var span: SourceSpan

    /// Creates a mechanism record.
    public init(
        id: RecordID, component: ComponentID, activity: ActivityID, effect: Effect, level: LevelID,
        reference: ReferenceID, note: String, span: SourceSpan
    ) {
        self.id = id
        self.component = component
        self.activity = activity
        self.effect = effect
        self.level = level
        self.reference = reference
        self.note = note
        self.span = span
    }
}

/// The whole evidence base: references and the three kinds of record, each sorted by identifier.
///
/// Secretome and function records, nine in ten rows of a literature-scale base, are stored packed
/// (``PackedSampleTable``): identifiers as integers, texts in one buffer. ``secretome`` and ``functions``
/// build each record when it is accessed; the scoring engine reads the packed rows directly.
public struct EvidenceBase: Sendable {
    /// References, sorted by key.
    public var references: [Reference]
    /// Secretome records, sorted by id.
    public let secretome: SecretomeRecords
    /// Function records, sorted by id.
    public let functions: FunctionRecords
    /// Mechanism records, sorted by id.
    public var mechanisms: [MechanismRecord]
    /// What the packed rows' indexes refer to.
    public let symbols: EvidenceSymbols

    /// Creates an evidence base from packed secretome and function rows, each table already sorted by id.
    init(
        references: [Reference], secretome: PackedSampleTable, functions: PackedSampleTable,
        mechanisms: [MechanismRecord], symbols: EvidenceSymbols
    ) {
        let byID: (Reference, Reference) -> Bool = { $0.id < $1.id }
        self.references = references.isSorted(by: byID) ? references : references.sorted(by: byID)
        self.secretome = SecretomeRecords(table: secretome, symbols: symbols)
        self.functions = FunctionRecords(table: functions, symbols: symbols)
        let mechanismsByID: (MechanismRecord, MechanismRecord) -> Bool = { $0.id < $1.id }
        self.mechanisms =
            mechanisms.isSorted(by: mechanismsByID) ? mechanisms : mechanisms.sorted(by: mechanismsByID)
        self.symbols = symbols
    }

    /// The evidence without the records that cite `reference` — secretome, function and mechanism records —
    /// as if that paper had never been curated; the reference itself stays listed.
    public func removingRecords(citing reference: ReferenceID) -> EvidenceBase {
        guard let index = symbols.references.firstIndex(of: reference) else { return self }
        let packed = UInt32(index)
        var secretome = self.secretome.table
        var functions = self.functions.table
        secretome.rows.removeAll { $0.reference == packed }
        functions.rows.removeAll { $0.reference == packed }
        return EvidenceBase(
            references: references, secretome: secretome, functions: functions,
            mechanisms: mechanisms.filter { $0.reference != reference }, symbols: symbols)
    }

    /// The reference with key `id`.
    public func reference(_ id: ReferenceID) -> Reference? {
        var low = 0
        var high = references.count
        while low < high {
            let mid = (low + high) / 2
            if references[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < references.count && references[low].id == id ? references[low] : nil
    }
}
