public import EvidenceModel

/// The scoring model of DESIGN §5, in one place and in the order §5 states it.
///
/// Every number comes from the policy of the rules; nothing is hard-coded except π²/6.
public struct ScoringModel: Sendable {
    /// The policy whose numbers the model uses.
    public let policy: Policy

    /// Creates the model for a policy.
    public init(policy: Policy) { self.policy = policy }

    // MARK: Applicability

    /// The two factors of the applicability m(r, c) = sourceFactor × preFactor of a record with
    /// (`source`, `preconditioning`) to candidate `c`; `nil` when the record does not apply.
    ///
    /// * sourceFactor = 1 if r.source = s; `cross-source` if r.source = any-msc; `cross-source` if
    ///   r.source ≠ s and r.pre = p ≠ none; otherwise the record does not apply.
    /// * preFactor = 1 if r.pre = p; `from-baseline` if r.pre = none and p ≠ none; otherwise it does not apply.
    public func applicability(
        source: SourceID, preconditioning: PreconditioningID, to c: Candidate
    ) -> (sourceFactor: Double, preFactor: Double)? {
        let sourceFactor: Double
        if source == c.source {
            sourceFactor = 1
        } else if source == .anyMSC {
            sourceFactor = policy.crossSource
        } else if preconditioning == c.preconditioning, c.preconditioning != .none {
            sourceFactor = policy.crossSource
        } else {
            return nil
        }
        let preFactor: Double
        if preconditioning == c.preconditioning {
            preFactor = 1
        } else if preconditioning == .none, c.preconditioning != .none {
            preFactor = policy.fromBaseline
        } else {
            return nil
        }
        return (sourceFactor, preFactor)
    }

    /// m = sourceFactor × preFactor for the four ways a record can apply to a candidate (s, p): its own
    /// (s, p); its own (s, none) when p ≠ none; another source's or any-msc's (x, p) when p ≠ none, and
    /// any-msc's (any-msc, none) when p = none; any-msc's (any-msc, none) when p ≠ none.
    public var applicabilityValues: (own: Double, ownBaseline: Double, cross: Double, crossBaseline: Double) {
        (1 * 1, 1 * policy.fromBaseline, policy.crossSource * 1, policy.crossSource * policy.fromBaseline)
    }

    // MARK: Contributions

    /// |value| of a direct contribution: level(f) × product(f) × m(f, c).
    @inline(__always)
    public static func directMagnitude(levelWeight: Double, productWeight: Double, m: Double) -> Double {
        levelWeight * productWeight * m
    }

    /// |value| of a via-component contribution: level(r) × product(r) × level(q) × m(r, c) × via-component.
    @inline(__always)
    public static func viaComponentMagnitude(
        levelWeight: Double, productWeight: Double, mechanismLevelWeight: Double, m: Double, viaComponent: Double
    ) -> Double {
        levelWeight * productWeight * mechanismLevelWeight * m * viaComponent
    }

    /// 1. direct — value = level(f) × product(f) × m(f, c) × (+1 supports, −1 refutes).
    public func directContribution(_ f: FunctionRecord, to c: Candidate) -> Contribution? {
        guard let (sourceFactor, preFactor) = applicability(source: f.source, preconditioning: f.preconditioning, to: c)
        else { return nil }
        let levelWeight = policy.weight(of: f.level)
        let productWeight = policy.weight(of: f.product)
        let m = sourceFactor * preFactor
        let value =
            Self.directMagnitude(levelWeight: levelWeight, productWeight: productWeight, m: m) * f.outcome.sign
        return Contribution(
            path: .direct(function: f.id), reference: f.reference, recordSource: f.source,
            recordPreconditioning: f.preconditioning, level: f.level, levelWeight: levelWeight, product: f.product,
            productWeight: productWeight, mechanismLevel: nil, mechanismLevelWeight: nil, sourceFactor: sourceFactor,
            preconditioningFactor: preFactor, viaComponentFactor: nil, recordSign: f.outcome.sign, effectSign: nil,
            value: value, status: .kept(rank: 0))
    }

    /// 2. via component — value = level(r) × product(r) × level(q) × m(r, c) × via-component × dir(r) × eff(q).
    public func viaComponentContribution(
        _ r: SecretomeRecord, through q: MechanismRecord, to c: Candidate
    ) -> Contribution? {
        guard let (sourceFactor, preFactor) = applicability(source: r.source, preconditioning: r.preconditioning, to: c)
        else { return nil }
        let levelWeight = policy.weight(of: r.level)
        let productWeight = policy.weight(of: r.product)
        let mechanismLevelWeight = policy.weight(of: q.level)
        let m = sourceFactor * preFactor
        let value =
            Self.viaComponentMagnitude(
                levelWeight: levelWeight, productWeight: productWeight, mechanismLevelWeight: mechanismLevelWeight,
                m: m, viaComponent: policy.viaComponent) * r.direction.sign * q.effect.sign
        return Contribution(
            path: .viaComponent(secretome: r.id, mechanism: q.id, component: r.component), reference: r.reference,
            recordSource: r.source, recordPreconditioning: r.preconditioning, level: r.level,
            levelWeight: levelWeight, product: r.product, productWeight: productWeight, mechanismLevel: q.level,
            mechanismLevelWeight: mechanismLevelWeight, sourceFactor: sourceFactor, preconditioningFactor: preFactor,
            viaComponentFactor: policy.viaComponent, recordSign: r.direction.sign, effectSign: q.effect.sign,
            value: value, status: .kept(rank: 0))
    }

    // MARK: De-duplication and aggregation

    /// Per (c, a): for each reference and sign keep only the largest |value|; on an exact tie keep the one
    /// whose record is of the candidate's own source, then the one of higher level weight, then the one whose
    /// record id (for via-component, the secretome record's id, then the mechanism's) sorts first.
    /// Contributions of value 0 are ignored. Returns the activity's trace.
    ///
    /// Complexity: O(n log n) in the number of contributions.
    public func aggregate(_ contributions: [Contribution], line: RuleLine, for c: Candidate) -> ActivityTrace {
        aggregate(contributions, line: line, for: c, keepingDropped: true)
    }

    /// As ``aggregate(_:line:for:)``; with `keepingDropped` false the trace lists only the kept contributions
    /// (the score, support and eligibility are the same).
    public func aggregate(
        _ contributions: [Contribution], line: RuleLine, for c: Candidate, keepingDropped: Bool
    ) -> ActivityTrace {
        var best: [GroupKey: Contribution] = [:]
        var all: [Contribution] = []
        for contribution in contributions where contribution.value != 0 {
            if keepingDropped { all.append(contribution) }
            let key = GroupKey(reference: contribution.reference, isPositive: contribution.value > 0)
            if let current = best[key], !precedes(contribution, current, for: c) { continue }
            best[key] = contribution
        }
        // Positives first, each sign in the de-duplication order. Positions are sorted, not contributions: a
        // contribution is large, and moving it is most of a sort.
        var winners = Array(best.values)
        if !keepingDropped { best = [:] }
        let order = winners.indices.sorted {
            let (a, b) = (winners[$0], winners[$1])
            return (a.value > 0) != (b.value > 0) ? a.value > 0 : precedes(a, b, for: c)
        }
        var ordered: [Contribution] = []
        ordered.reserveCapacity(winners.count)
        var (positiveSum, negativeSum) = (HarmonicSum(), HarmonicSum())
        for index in order {
            var contribution = winners[index]
            if contribution.value > 0 {
                positiveSum.add(contribution.value)
                contribution.status = .kept(rank: positiveSum.count)
            } else {
                negativeSum.add(-contribution.value)
                contribution.status = .kept(rank: negativeSum.count)
            }
            ordered.append(contribution)
        }
        let (positive, negative) = (positiveSum.value, negativeSum.value)
        let support = positive - negative
        let isContested = positiveSum.count > 0 && negativeSum.count > 0
        guard keepingDropped else {
            return ActivityTrace(
                line: line, contributions: ordered, positive: positive, negative: negative, support: support,
                isContested: isContested, term: term(line, support: support))
        }
        let keptPaths = Set(winners.map(\.path))
        winners = []
        let dropped = all.filter { !keptPaths.contains($0.path) }.map { contribution -> Contribution in
            var contribution = contribution
            let key = GroupKey(reference: contribution.reference, isPositive: contribution.value > 0)
            if let winner = best[key] { contribution.status = .dropped(keptInstead: winner.path) }
            return contribution
        }
        ordered += dropped.sorted { Self.idKey($0) < Self.idKey($1) }

        return ActivityTrace(
            line: line, contributions: ordered, positive: positive, negative: negative, support: support,
            isContested: isContested, term: term(line, support: support))
    }

    /// What a line adds to the score's numerator: w·support, or −w·max(0, support) for avoids.
    public func term(_ line: RuleLine, support: Double) -> Double {
        switch line.kind {
        case .requires, .supports: line.weight * support
        case .avoids: -(line.weight * max(0, support))
        }
    }

    private struct GroupKey: Hashable {
        var reference: ReferenceID
        var isPositive: Bool
    }

    /// The de-duplication order: larger |value|, then own source, then higher level weight, then record ids.
    /// It is a total order on distinct paths, so it also sorts the harmonic sum deterministically.
    func precedes(_ a: Contribution, _ b: Contribution, for c: Candidate) -> Bool {
        if abs(a.value) != abs(b.value) { return abs(a.value) > abs(b.value) }
        let aOwn = a.recordSource == c.source
        let bOwn = b.recordSource == c.source
        if aOwn != bOwn { return aOwn }
        if a.levelWeight != b.levelWeight { return a.levelWeight > b.levelWeight }
        return Self.idKey(a) < Self.idKey(b)
    }

    /// (record id, mechanism id or "") compared by UTF-8 bytes.
    private static func idKey(_ contribution: Contribution) -> IDKey {
        switch contribution.path {
        case .direct(let function): IDKey(primary: function.rawValue, secondary: "")
        case .viaComponent(let secretome, let mechanism, _):
            IDKey(primary: secretome.rawValue, secondary: mechanism.rawValue)
        }
    }

    private struct IDKey: Comparable {
        var primary: String
        var secondary: String
        static func < (lhs: IDKey, rhs: IDKey) -> Bool {
            if lhs.primary != rhs.primary { return lhs.primary.utf8.lexicographicallyPrecedes(rhs.primary.utf8) }
            return lhs.secondary.utf8.lexicographicallyPrecedes(rhs.secondary.utf8)
        }
    }

    /// H(X) = (Σ_i x_(i) / i²) / (π²/6), with `values` already in descending order of magnitude.
    public func harmonicSum(_ values: [Double]) -> Double {
        var sum = HarmonicSum()
        for x in values { sum.add(x) }
        return sum.value
    }

    /// H(X) accumulated one value at a time, in descending order of magnitude: the i-th value adds x / i².
    public struct HarmonicSum: Sendable {
        private var sum = 0.0
        /// How many values were added.
        public private(set) var count = 0

        /// An empty sum.
        public init() {}

        /// Adds the next value.
        @inline(__always)
        public mutating func add(_ x: Double) {
            count += 1
            let i = Double(count)
            sum += x / (i * i)
        }

        /// (Σ_i x_i / i²) / (π²/6).
        public var value: Double { sum / (Double.pi * Double.pi / 6) }
    }

    // MARK: Score and eligibility

    /// score = (Σ_{requires ∪ supports} w·support(a) − Σ_{avoids} w·max(0, support(a))) / Σ_{requires ∪ supports} w.
    ///
    /// Each sum runs over its lines in the order they are written; the avoided sum is subtracted once, at the end.
    public func score(_ activities: [ActivityTrace]) -> (numerator: Double, denominator: Double, score: Double) {
        var wanted = 0.0
        var avoided = 0.0
        var denominator = 0.0
        for activity in activities {
            switch activity.line.kind {
            case .requires, .supports:
                wanted += activity.line.weight * activity.support
                denominator += activity.line.weight
            case .avoids:
                avoided += activity.line.weight * max(0, activity.support)
            }
        }
        let numerator = wanted - avoided
        return (numerator, denominator, denominator > 0 ? numerator / denominator : 0)
    }

    /// Eligible when every required activity has support ≥ `minimum-support` and, if the indication sets
    /// `minimum-level L`, at least one kept positive contribution to a required or supported activity comes
    /// from a record of the candidate's own source whose level weight is ≥ the weight of L.
    public func ineligibilityReasons(
        _ activities: [ActivityTrace], indication: Indication, for c: Candidate
    ) -> [IneligibilityReason] {
        let own = activities.filter { $0.line.kind != .avoids }
            .flatMap(\.contributions)
            .filter { $0.isKept && $0.value > 0 && $0.recordSource == c.source }
        let best = own.max { ($0.levelWeight, $1.level) < ($1.levelWeight, $0.level) }
        return ineligibilityReasons(
            activities, indication: indication, bestOwnLevel: best.map { ($0.levelWeight, $0.level) })
    }

    /// The same, given the best level among the kept positive contributions to required and supported
    /// activities from records of the candidate's own source (highest weight, then lowest level id; `nil`
    /// when there is none): the candidate reaches the minimum level exactly when that best one does.
    public func ineligibilityReasons(
        _ activities: [ActivityTrace], indication: Indication, bestOwnLevel: (weight: Double, level: LevelID)?
    ) -> [IneligibilityReason] {
        var reasons: [IneligibilityReason] = []
        for activity in activities where activity.line.kind == .requires && activity.support < policy.minimumSupport {
            reasons.append(
                .insufficientSupport(line: activity.line, support: activity.support, minimum: policy.minimumSupport))
        }
        if let minimum = indication.minimumLevel {
            let minimumWeight = policy.weight(of: minimum)
            if !(bestOwnLevel.map { $0.weight >= minimumWeight } ?? false) {
                reasons.append(
                    .belowMinimumLevel(
                        minimum: minimum, minimumWeight: minimumWeight, bestOwnLevel: bestOwnLevel?.level,
                        span: indication.minimumLevelSpan))
            }
        }
        return reasons
    }
}
