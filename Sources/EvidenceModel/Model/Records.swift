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

/// How the subject of a comparison fared against its comparator.
public enum ComparisonOutcome: String, Hashable, Sendable, CaseIterable {
    /// The subject showed more of the measure than the comparator.
    case better
    /// The subject showed less of the measure than the comparator.
    case worse
    /// The paper found no difference.
    case similar

    /// The subject side's sign o: +1 better, −1 worse, 0 similar (DESIGN §5); the comparator's is −o.
    public var sign: Double {
        switch self {
        case .better: 1
        case .worse: -1
        case .similar: 0
        }
    }
}

/// What a comparison measured: an activity, or a component (whose mechanisms link it to activities).
public enum Measure: Hashable, Sendable, CustomStringConvertible {
    /// A biological activity.
    case activity(ActivityID)
    /// A secreted component.
    case component(ComponentID)

    /// The canonical identifier.
    public var description: String {
        switch self {
        case .activity(let id): id.rawValue
        case .component(let id): id.rawValue
        }
    }
}

/// The one factor a comparison varies (DESIGN §4).
public enum Contrast: String, Hashable, Sendable, CaseIterable {
    /// The same source with two pre-conditionings, e.g. hypoxic vs normoxic adipose MSC medium.
    case preconditioning
    /// The same pre-conditioning with two sources (neither any-msc), e.g. adipose vs bone-marrow MSC vesicles.
    case source

    /// The contrast of a valid comparison whose two sides have, or do not have, the same source.
    public init(sameSource: Bool) { self = sameSource ? .preconditioning : .source }
}

/// One of the two sides of a comparison.
public enum ComparisonSide: String, Hashable, Sendable, CaseIterable {
    /// The (source, pre-conditioning) of the `source` and `preconditioning` columns, with sign o.
    case subject
    /// The (versus-source, versus-preconditioning), with sign −o.
    case comparator
}

/// A row of comparisons.tsv: in one paper, the product of the subject showed more, less or no different
/// `measure` than the same product of the comparator, in the same assay.
///
/// A valid record contrasts exactly one factor: the loader rejects a row that changes both or neither,
/// and a source contrast that involves `any-msc`.
public struct ComparisonRecord: Hashable, Sendable {
    /// The record's identifier.
    public var id: RecordID
    /// The subject's source (`any-msc` only in a pre-conditioning contrast).
    public var source: SourceID
    /// The subject's pre-conditioning.
    public var preconditioning: PreconditioningID
    /// The comparator's source.
    public var versusSource: SourceID
    /// The comparator's pre-conditioning.
    public var versusPreconditioning: PreconditioningID
    /// What was tested, on both sides.
    public var product: ProductID
    /// The activity or component measured.
    public var measure: Measure
    /// Better, worse or similar, for the subject.
    public var outcome: ComparisonOutcome
    /// The model level in which the two were compared.
    public var level: LevelID
    /// The donor species; empty when not stated.
    public var species: String
    /// The cited reference.
    public var reference: ReferenceID
    /// A free-text note.
    public var note: String
    /// Where the row starts.
    public var span: SourceSpan

    /// Creates a comparison record.
    public init(
        id: RecordID, source: SourceID, preconditioning: PreconditioningID, versusSource: SourceID,
        versusPreconditioning: PreconditioningID, product: ProductID, measure: Measure, outcome: ComparisonOutcome,
        level: LevelID, species: String, reference: ReferenceID, note: String, span: SourceSpan
    ) {
        self.id = id
        self.source = source
        self.preconditioning = preconditioning
        self.versusSource = versusSource
        self.versusPreconditioning = versusPreconditioning
        self.product = product
        self.measure = measure
        self.outcome = outcome
        self.level = level
        self.species = species
        self.reference = reference
        self.note = note
        self.span = span
    }

    /// The factor the record varies: the pre-conditioning when both sides have one source, else the source.
    public var contrast: Contrast { Contrast(sameSource: source == versusSource) }

    /// The (source, pre-conditioning) of one side.
    public func pair(_ side: ComparisonSide) -> (source: SourceID, preconditioning: PreconditioningID) {
        side == .subject ? (source, preconditioning) : (versusSource, versusPreconditioning)
    }

    /// The sign of one side: o for the subject, −o for the comparator.
    public func sign(_ side: ComparisonSide) -> Double { side == .subject ? outcome.sign : -outcome.sign }
}

/// Why a comparison row cannot be attributed to one factor (DESIGN §4).
public enum ContrastProblem: Hashable, Sendable {
    /// Subject and comparator are the same pair.
    case sameSides
    /// Both the source and the pre-conditioning differ.
    case twoFactors
    /// A source contrast with `any-msc` on the given side.
    case anyMSCInSourceContrast(ComparisonSide)

    /// What is wrong with a row of subject (`source`, `preconditioning`) and comparator (`versusSource`,
    /// `versusPreconditioning`); `nil` for a valid contrast.
    public static func of(
        source: SourceID, preconditioning: PreconditioningID, versusSource: SourceID,
        versusPreconditioning: PreconditioningID
    ) -> ContrastProblem? {
        of(
            source: source, preconditioning: preconditioning, versusSource: versusSource,
            versusPreconditioning: versusPreconditioning, isAnyMSC: { $0 == .anyMSC })
    }

    /// The same, for identifiers in any representation (the fast loader's term indexes): the one definition of
    /// a valid contrast, which both loaders call.
    static func of<Source: Equatable, Preconditioning: Equatable>(
        source: Source, preconditioning: Preconditioning, versusSource: Source,
        versusPreconditioning: Preconditioning, isAnyMSC: (Source) -> Bool
    ) -> ContrastProblem? {
        let sameSource = source == versusSource
        let samePreconditioning = preconditioning == versusPreconditioning
        if sameSource, samePreconditioning { return .sameSides }
        if !sameSource, !samePreconditioning { return .twoFactors }
        if !sameSource {
            if isAnyMSC(source) { return .anyMSCInSourceContrast(.subject) }
            if isAnyMSC(versusSource) { return .anyMSCInSourceContrast(.comparator) }
        }
        return nil
    }
}

/// The whole evidence base: references and the four kinds of record, each sorted by identifier.
///
/// Secretome, function and comparison records, nearly all rows of a literature-scale base, are stored packed
/// (``PackedTable``): identifiers as integers, texts in one buffer. ``secretome``, ``functions`` and
/// ``comparisons`` build each record when it is accessed; the scoring engine reads the packed rows directly.
public struct EvidenceBase: Sendable {
    /// References, sorted by key.
    public var references: [Reference]
    /// Secretome records, sorted by id.
    public let secretome: SecretomeRecords
    /// Function records, sorted by id.
    public let functions: FunctionRecords
    /// Mechanism records, sorted by id.
    public var mechanisms: [MechanismRecord]
    /// Comparison records (head-to-head findings), sorted by id; empty when the base has no comparisons.tsv.
    public let comparisons: ComparisonRecords
    /// What the packed rows' indexes refer to.
    public let symbols: EvidenceSymbols

    /// Creates an evidence base from packed rows, each table already sorted by id.
    init(
        references: [Reference], secretome: PackedSampleTable, functions: PackedSampleTable,
        mechanisms: [MechanismRecord], comparisons: PackedComparisonTable, symbols: EvidenceSymbols
    ) {
        let byID: (Reference, Reference) -> Bool = { $0.id < $1.id }
        self.references = references.isSorted(by: byID) ? references : references.sorted(by: byID)
        self.secretome = SecretomeRecords(table: secretome, symbols: symbols)
        self.functions = FunctionRecords(table: functions, symbols: symbols)
        let mechanismsByID: (MechanismRecord, MechanismRecord) -> Bool = { $0.id < $1.id }
        self.mechanisms =
            mechanisms.isSorted(by: mechanismsByID) ? mechanisms : mechanisms.sorted(by: mechanismsByID)
        self.comparisons = ComparisonRecords(table: comparisons, symbols: symbols)
        self.symbols = symbols
    }

    /// The evidence without the records that cite `reference` — secretome, function, mechanism and comparison
    /// records — as if that paper had never been curated; the reference itself stays listed.
    public func removingRecords(citing reference: ReferenceID) -> EvidenceBase {
        guard let index = symbols.references.firstIndex(of: reference) else { return self }
        let packed = UInt32(index)
        var secretome = self.secretome.table
        var functions = self.functions.table
        var comparisons = self.comparisons.table
        secretome.rows.removeAll { $0.reference == packed }
        functions.rows.removeAll { $0.reference == packed }
        comparisons.rows.removeAll { $0.reference == packed }
        return EvidenceBase(
            references: references, secretome: secretome, functions: functions,
            mechanisms: mechanisms.filter { $0.reference != reference }, comparisons: comparisons, symbols: symbols)
    }

    /// The evidence with `functions` and `comparisons` added, as if curated: hypothetical experiments that
    /// `plan` scores. Each record must name declared terms and cite one of `references`, new keys appended
    /// to the base's (a key already present is not added twice). Tables stay sorted by id.
    public func adding(
        references new: [Reference], functions added: [FunctionRecord] = [],
        comparisons addedComparisons: [ComparisonRecord] = []
    ) -> EvidenceBase {
        var symbols = self.symbols
        var allReferences = references
        for reference in new where !symbols.references.contains(reference.id) {
            symbols.references.append(reference.id)
            allReferences.append(reference)
        }
        var functions = self.functions.table
        if !added.isEmpty {
            functions.append(
                added.map {
                    UnpackedSample(
                        id: $0.id, source: $0.source, preconditioning: $0.preconditioning, product: $0.product,
                        subject: $0.activity, sign: Outcome.allCases.firstIndex(of: $0.outcome) ?? 0, level: $0.level,
                        species: $0.species, reference: $0.reference, note: $0.note, line: $0.span.start.line)
                }, subjects: symbols.activities, symbols: symbols)
        }
        var comparisons = self.comparisons.table
        if !addedComparisons.isEmpty { comparisons.append(addedComparisons, symbols: symbols) }
        return EvidenceBase(
            references: allReferences, secretome: secretome.table, functions: functions, mechanisms: mechanisms,
            comparisons: comparisons, symbols: symbols)
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
