public import EvidenceModel

/// One contribution of one evidence record (or record pair) to one activity of one candidate, with every
/// multiplier that produced its value and what the record says.
public struct Contribution: Sendable, Hashable {
    /// How the evidence reaches the activity.
    public enum Path: Sendable, Hashable {
        /// 1. A function record about the activity itself.
        case direct(function: RecordID)
        /// 2. A secretome record of a component, chained to the activity by a mechanism record.
        case viaComponent(secretome: RecordID, mechanism: RecordID, component: ComponentID)
        /// 3. One side of a comparison whose measure is the activity.
        case comparison(comparison: RecordID, side: ComparisonSide)
        /// 3. One side of a comparison whose measure is a component, chained to the activity by a mechanism.
        case comparisonViaComponent(
            comparison: RecordID, side: ComparisonSide, mechanism: RecordID, component: ComponentID)
    }

    /// What de-duplication did with the contribution.
    public enum Status: Sendable, Hashable {
        /// Kept; `rank` is its 1-based position i in the harmonic sum of its kind and sign.
        case kept(rank: Int)
        /// Dropped because a contribution of the same kind, reference and sign was kept.
        case dropped(keptInstead: Path)
        /// A `similar` comparison: value 0, listed so that a reviewer sees the finding, in no sum.
        case similar
    }

    /// The path.
    public var path: Path
    /// Absolute (kinds 1 and 2: what the candidate is shown to do) or comparative (kind 3: how it compared).
    public var kind: ContributionKind
    /// The reference of the candidate-side record (the function, secretome or comparison record).
    public var reference: ReferenceID
    /// The candidate-side record's source; for a comparison, the source of the side that applies.
    public var recordSource: SourceID
    /// The candidate-side record's pre-conditioning; for a comparison, that of the side that applies.
    public var recordPreconditioning: PreconditioningID
    /// How the record reaches the candidate (DESIGN §5 applicability).
    public var route: Route
    /// The candidate-side record's level.
    public var level: LevelID
    /// The weight of `level`.
    public var levelWeight: Double
    /// The candidate-side record's product.
    public var product: ProductID
    /// The weight of `product`.
    public var productWeight: Double
    /// Through a component: the mechanism record's level.
    public var mechanismLevel: LevelID?
    /// Through a component: the weight of `mechanismLevel`.
    public var mechanismLevelWeight: Double?
    /// 1, or the `cross-source` discount.
    public var sourceFactor: Double
    /// 1, or the `from-baseline` discount.
    public var preconditioningFactor: Double
    /// Through a component: the `via-component` discount.
    public var viaComponentFactor: Double?
    /// For a comparison: the `comparison` factor.
    public var comparisonFactor: Double?
    /// The outcome of a function record (+1 supports, −1 refutes), the direction of a secretome record (+1 up
    /// or present, −1 down), or the sign of a comparison's side (+1 better, −1 worse, 0 similar; the
    /// comparator's is the opposite of the subject's).
    public var recordSign: Double
    /// Through a component: +1 promotes or −1 inhibits.
    public var effectSign: Double?
    /// For a comparison: what the side that applies was compared with.
    public var versus: Comparator?
    /// The product of all of the above, in the order DESIGN §5 writes it.
    public var value: Double
    /// Kept, dropped or similar.
    public var status: Status
    /// What the candidate-side record says: its note (free text; may be empty).
    public var note: String
    /// The candidate-side record's donor species; empty when not stated.
    public var species: String
    /// Through a component: the mechanism record's note.
    public var mechanismNote: String?

    /// Whether the contribution was kept.
    public var isKept: Bool {
        if case .kept = status { return true }
        return false
    }

    /// Whether the contribution is comparative (kind 3).
    public var isComparative: Bool { kind == .comparative }

    /// The candidate-side record's id (function, secretome or comparison record).
    public var recordID: RecordID {
        switch path {
        case .direct(let function): function
        case .viaComponent(let secretome, _, _): secretome
        case .comparison(let comparison, _), .comparisonViaComponent(let comparison, _, _, _): comparison
        }
    }

    /// The mechanism record's id, for a contribution through a component.
    public var mechanismID: RecordID? {
        switch path {
        case .direct, .comparison: nil
        case .viaComponent(_, let mechanism, _), .comparisonViaComponent(_, _, let mechanism, _): mechanism
        }
    }

    /// The component, for a contribution through a component.
    public var component: ComponentID? {
        switch path {
        case .direct, .comparison: nil
        case .viaComponent(_, _, let component), .comparisonViaComponent(_, _, _, let component): component
        }
    }

    /// The side of the comparison that applies, for a comparative contribution.
    public var side: ComparisonSide? {
        switch path {
        case .direct, .viaComponent: nil
        case .comparison(_, let side), .comparisonViaComponent(_, let side, _, _): side
        }
    }
}

/// The other side of a comparison, seen from the side that applies to a candidate.
public struct Comparator: Sendable, Hashable {
    /// The other side's source.
    public var source: SourceID
    /// The other side's pre-conditioning.
    public var preconditioning: PreconditioningID
    /// The factor the comparison varies.
    public var contrast: Contrast

    /// Creates a comparator.
    public init(source: SourceID, preconditioning: PreconditioningID, contrast: Contrast) {
        self.source = source
        self.preconditioning = preconditioning
        self.contrast = contrast
    }
}

/// The two kinds of evidence DESIGN §5 de-duplicates and sums separately.
public enum ContributionKind: String, Sendable, Hashable, CaseIterable {
    /// Kinds 1 and 2 (function and secretome records): what a candidate is shown to do.
    case absolute
    /// Kind 3 (comparison records): how a candidate compared head to head.
    case comparative
}

/// How one activity line of an indication scored for a candidate.
public struct ActivityTrace: Sendable, Hashable {
    /// The rule line (requires, supports or avoids; weight; rationale; place).
    public var line: RuleLine
    /// Every contribution but those of value 0 (except `similar` comparisons, listed with value 0): kept ones
    /// first, in harmonic-sum order (absolute positive, absolute negative, comparative positive, comparative
    /// negative), then the similar comparisons and the dropped contributions, by record id.
    public var contributions: [Contribution]
    /// H(P), the normalised harmonic sum of the kept positive absolute values.
    public var positive: Double
    /// H(|N|), the normalised harmonic sum of the magnitudes of the kept negative absolute values.
    public var negative: Double
    /// H(W), the normalised harmonic sum of the kept positive comparative values.
    public var won: Double
    /// H(|L|), the normalised harmonic sum of the magnitudes of the kept negative comparative values.
    public var lost: Double
    /// support = H(P) − H(|N|) + H(W) − H(|L|), evaluated left to right.
    public var support: Double
    /// Whether P and N, or W and L, are both non-empty.
    public var isContested: Bool
    /// What the line adds to the score's numerator: w·support, or −w·max(0, support) for avoids.
    public var term: Double
    /// How many values each harmonic sum adds up (P, |N|, W, |L|): the kept contributions, of which a trace
    /// built with a limit (``Recommender/evaluate(_:for:keptPerSum:)``) lists only the largest.
    public var keptCounts: KeptCounts

    /// The absolute support H(P) − H(|N|): what the candidate is shown to do.
    public var absoluteSupport: Double { positive - negative }

    /// The advantage H(W) − H(|L|): how the candidate compared head to head.
    public var advantage: Double { won - lost }
}

/// The number of kept values in each harmonic sum of an activity.
public struct KeptCounts: Sendable, Hashable {
    /// Kept positive absolute values (P).
    public var positive: Int
    /// Kept negative absolute values (N).
    public var negative: Int
    /// Kept positive comparative values (W).
    public var won: Int
    /// Kept negative comparative values (L).
    public var lost: Int

    /// The count of the sum of `kind` and sign (`positive` for values above 0).
    public func count(_ kind: ContributionKind, positive isPositive: Bool) -> Int {
        switch (kind, isPositive) {
        case (.absolute, true): positive
        case (.absolute, false): negative
        case (.comparative, true): won
        case (.comparative, false): lost
        }
    }
}

/// Why a candidate is not eligible for an indication.
public enum IneligibilityReason: Sendable, Hashable {
    /// A required activity's support is below the policy's minimum support.
    case insufficientSupport(line: RuleLine, support: Double, minimum: Double)
    /// No kept positive absolute contribution to a required activity comes from a record of the candidate's
    /// own source at or above the minimum level.
    case belowMinimumLevel(minimum: LevelID, minimumWeight: Double, bestOwnLevel: LevelID?, span: SourceSpan?)
}

/// The full evaluation of one candidate for one indication: the trace tree behind its score.
public struct Evaluation: Sendable, Hashable {
    /// The indication.
    public var indication: IndicationID
    /// The candidate.
    public var candidate: Candidate
    /// Whether any secretome or function record has exactly this (source, pre-conditioning), or it is a side
    /// of a comparison.
    public var isTested: Bool
    /// One trace per rule line, in rule-file order.
    public var activities: [ActivityTrace]
    /// Σ over requires and supports of w·support − Σ over avoids of w·max(0, support).
    public var numerator: Double
    /// Σ over requires and supports of w.
    public var denominator: Double
    /// numerator / denominator.
    public var score: Double
    /// Every reason the candidate is ineligible; empty when eligible.
    public var ineligibilityReasons: [IneligibilityReason]
    /// The eligibility fact behind `minimum-level`: the best level (highest weight, then lowest id) among the
    /// kept positive absolute contributions to required activities from records of the candidate's own source;
    /// `nil` when there is none. Set by every path that evaluates, so that no output re-derives it.
    public var bestOwnLevel: LevelID?
    /// The distinct references among kept contributions to all of the indication's activities, sorted;
    /// empty in a ranking's evaluations, which are not traced (see ``isTraced``).
    public var references: [ReferenceID]
    /// The number of distinct references among kept contributions to all of the indication's activities
    /// (the ranking's third key).
    public var referenceCount: Int
    /// Whether ``activities`` list the contributions and ``references`` the references. A ranking's
    /// evaluations carry the numbers only (supports, score, eligibility, reference count);
    /// `Recommender.evaluate(_:for:)` gives a candidate's full trace, with exactly the same numbers.
    public var isTraced: Bool

    /// Whether the candidate is eligible.
    public var isEligible: Bool { ineligibilityReasons.isEmpty }
}
