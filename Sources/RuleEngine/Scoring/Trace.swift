public import EvidenceModel

/// One contribution of one evidence record (or record pair) to one activity of one candidate, with every
/// multiplier that produced its value.
public struct Contribution: Sendable, Hashable {
    /// How the evidence reaches the activity.
    public enum Path: Sendable, Hashable {
        /// A function record about the activity itself.
        case direct(function: RecordID)
        /// A secretome record of a component, chained to the activity by a mechanism record.
        case viaComponent(secretome: RecordID, mechanism: RecordID, component: ComponentID)
    }

    /// What de-duplication did with the contribution.
    public enum Status: Sendable, Hashable {
        /// Kept; `rank` is its 1-based position i in the harmonic sum of its sign.
        case kept(rank: Int)
        /// Dropped because a contribution from the same reference and of the same sign was kept.
        case dropped(keptInstead: Path)
    }

    /// The path.
    public var path: Path
    /// The reference of the candidate-side record (the function or secretome record).
    public var reference: ReferenceID
    /// The candidate-side record's source.
    public var recordSource: SourceID
    /// The candidate-side record's pre-conditioning.
    public var recordPreconditioning: PreconditioningID
    /// The candidate-side record's level.
    public var level: LevelID
    /// The weight of `level`.
    public var levelWeight: Double
    /// The candidate-side record's product.
    public var product: ProductID
    /// The weight of `product`.
    public var productWeight: Double
    /// For via-component: the mechanism record's level.
    public var mechanismLevel: LevelID?
    /// For via-component: the weight of `mechanismLevel`.
    public var mechanismLevelWeight: Double?
    /// 1, or the `cross-source` discount.
    public var sourceFactor: Double
    /// 1, or the `from-baseline` discount.
    public var preconditioningFactor: Double
    /// For via-component: the `via-component` discount.
    public var viaComponentFactor: Double?
    /// +1 or −1: the outcome of a function record, or the direction of a secretome record.
    public var recordSign: Double
    /// For via-component: +1 promotes or −1 inhibits.
    public var effectSign: Double?
    /// The product of all of the above, in the order DESIGN §5 writes it.
    public var value: Double
    /// Kept or dropped by de-duplication.
    public var status: Status

    /// Whether the contribution was kept.
    public var isKept: Bool {
        if case .kept = status { return true }
        return false
    }

    /// The candidate-side record's id (function or secretome record).
    public var recordID: RecordID {
        switch path {
        case .direct(let function): function
        case .viaComponent(let secretome, _, _): secretome
        }
    }
}

/// How one activity line of an indication scored for a candidate.
public struct ActivityTrace: Sendable, Hashable {
    /// The rule line (requires, supports or avoids; weight; rationale; place).
    public var line: RuleLine
    /// Every non-zero contribution: kept ones first in harmonic-sum order (positive, then negative),
    /// then the dropped ones by record id.
    public var contributions: [Contribution]
    /// H(P), the normalised harmonic sum of the kept positive values.
    public var positive: Double
    /// H(|N|), the normalised harmonic sum of the magnitudes of the kept negative values.
    public var negative: Double
    /// support = H(P) − H(|N|).
    public var support: Double
    /// Whether both P and N are non-empty.
    public var isContested: Bool
    /// What the line adds to the score's numerator: w·support, or −w·max(0, support) for avoids.
    public var term: Double
}

/// Why a candidate is not eligible for an indication.
public enum IneligibilityReason: Sendable, Hashable {
    /// A required activity's support is below the policy's minimum support.
    case insufficientSupport(line: RuleLine, support: Double, minimum: Double)
    /// No kept positive contribution to a required or supported activity comes from a record of the
    /// candidate's own source at or above the minimum level.
    case belowMinimumLevel(minimum: LevelID, minimumWeight: Double, bestOwnLevel: LevelID?, span: SourceSpan?)
}

/// The full evaluation of one candidate for one indication: the trace tree behind its score.
public struct Evaluation: Sendable, Hashable {
    /// The indication.
    public var indication: IndicationID
    /// The candidate.
    public var candidate: Candidate
    /// Whether any secretome or function record has exactly this (source, pre-conditioning).
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
