public import EvidenceModel

/// One weight line of an indication: `requires angiogenesis weight 3 because "…"`.
public struct RuleLine: Sendable, Hashable {
    /// Requires, supports or avoids.
    public var kind: RuleKind
    /// The activity (canonical identifier).
    public var activity: ActivityID
    /// The weight, finite and positive.
    public var weight: Double
    /// Why the activity matters for the indication.
    public var rationale: String
    /// Where the line is (its keyword); for an inherited line, its place in the parent's block.
    public var span: SourceSpan
    /// The indication whose block the line was inherited from (`refines`), or `nil` if written in this one.
    public var inheritedFrom: IndicationID? = nil

    /// Creates a rule line.
    public init(kind: RuleKind, activity: ActivityID, weight: Double, rationale: String, span: SourceSpan) {
        self.kind = kind
        self.activity = activity
        self.weight = weight
        self.rationale = rationale
        self.span = span
    }
}

/// A target indication and the activities it needs.
public struct Indication: Sendable, Hashable {
    /// The identifier.
    public var id: IndicationID
    /// The label; empty when none was declared.
    public var label: String
    /// Ontology terms (MONDO, MeSH, …).
    public var ontologyTerms: [String]
    /// The weight lines in file order; each activity appears at most once.
    public var lines: [RuleLine]
    /// The minimum level of own-source evidence an eligible candidate needs, if set.
    public var minimumLevel: LevelID?
    /// Where the minimum level is set.
    public var minimumLevelSpan: SourceSpan?
    /// Where the indication is declared.
    public var span: SourceSpan

    /// Creates an indication.
    public init(
        id: IndicationID, label: String, ontologyTerms: [String], lines: [RuleLine], minimumLevel: LevelID?,
        minimumLevelSpan: SourceSpan?, span: SourceSpan
    ) {
        self.id = id
        self.label = label
        self.ontologyTerms = ontologyTerms
        self.lines = lines
        self.minimumLevel = minimumLevel
        self.minimumLevelSpan = minimumLevelSpan
        self.span = span
    }
}

/// The resolved rules: vocabulary, policy and indications.
public struct RuleSet: Sendable {
    /// Everything the evidence may name.
    public var vocabulary: Vocabulary
    /// The numbers of the scoring model.
    public var policy: Policy
    /// The indications, sorted by identifier.
    public var indications: [Indication]

    /// Creates a rule set; indications are sorted by identifier.
    public init(vocabulary: Vocabulary, policy: Policy, indications: [Indication]) {
        self.vocabulary = vocabulary
        self.policy = policy
        self.indications = indications.sorted { $0.id < $1.id }
    }

    /// The indication with identifier `id`.
    public func indication(_ id: IndicationID) -> Indication? { indications.first { $0.id == id } }
}
