public import EvidenceModel

/// A (source, pre-conditioning) pair as evidence names it: the group of a record, or a side of a comparison.
/// Unlike a ``Candidate``, its source may be `any-msc`.
public struct EvidenceGroup: Sendable, Hashable {
    /// The source, possibly `any-msc`.
    public var source: SourceID
    /// The pre-conditioning, possibly `none`.
    public var preconditioning: PreconditioningID

    /// Creates a group.
    public init(source: SourceID, preconditioning: PreconditioningID) {
        self.source = source
        self.preconditioning = preconditioning
    }
}

/// What a group of evidence is to the scoring model: absolute records, or one participating side of a
/// comparison of either contrast. Each reaches candidates by its own routes (``ScoringModel/routes(from:as:)``).
public enum EvidenceRole: Sendable, Hashable, CaseIterable {
    /// Function and secretome records (kinds 1 and 2).
    case absolute
    /// A side of a pre-conditioning contrast (never the `none` control, which takes no part).
    case preconditioningContrastSide
    /// A side of a source contrast.
    case sourceContrastSide
}

/// One of the four ways evidence of a group (s′, p′) reaches a candidate (s, p): DESIGN §5's applicability,
/// enumerated. Every part of the engine that needs applicability asks these (the index to place and read its
/// lists, the trace to find the records that can apply, why-not to project new ones).
public enum Route: String, Sendable, Hashable, CaseIterable {
    /// (s′, p′) = (s, p): the candidate's own evidence; factors 1 × 1.
    case itself
    /// (s, none) to (s, p ≠ none): the candidate's own baseline; factors 1 × `from-baseline`.
    case ownBaseline = "own-baseline"
    /// (s′ ≠ s, p): another source's (or any-msc's) evidence of the same pre-conditioning; `cross-source` × 1.
    case otherSource = "other-source"
    /// (any-msc, none) to (s, p ≠ none); `cross-source` × `from-baseline`.
    case anyMSCBaseline = "any-msc-baseline"

    /// Whether the evidence is of the candidate's own source (first on an exact tie in de-duplication).
    public var isOwnSource: Bool { self == .itself || self == .ownBaseline }

    /// Whether evidence of `group` reaches candidate `c` by this route (if the group has the route at all).
    public func reaches(from group: EvidenceGroup, to c: Candidate) -> Bool {
        switch self {
        case .itself: group.source == c.source && group.preconditioning == c.preconditioning
        case .ownBaseline: group.source == c.source && group.preconditioning == .none && c.preconditioning != .none
        case .otherSource: group.source != c.source && group.preconditioning == c.preconditioning
        case .anyMSCBaseline:
            group.source == .anyMSC && group.preconditioning == .none && c.preconditioning != .none
        }
    }

    /// The groups whose evidence could reach `c` by this route: one group, or — for ``otherSource`` — every
    /// group of c's pre-conditioning but c's own source (`nil`). Empty when the route cannot reach c.
    public func groups(reaching c: Candidate) -> [EvidenceGroup]? {
        switch self {
        case .itself: [EvidenceGroup(source: c.source, preconditioning: c.preconditioning)]
        case .ownBaseline: c.preconditioning == .none ? [] : [EvidenceGroup(source: c.source, preconditioning: .none)]
        case .otherSource: nil
        case .anyMSCBaseline:
            c.preconditioning == .none ? [] : [EvidenceGroup(source: .anyMSC, preconditioning: .none)]
        }
    }
}

/// The scoring model of docs/scoring.md (DESIGN §5), in one place and in the order the specification states
/// it. Every other part of the engine — the score index, the traces, why-not, sensitivity, the renderers —
/// asks this type instead of re-deriving a rule.
///
/// Every number comes from the policy of the rules; nothing is hard-coded except π²/6.
public struct ScoringModel: Sendable {
    /// The policy whose numbers the model uses.
    public let policy: Policy

    /// Creates the model for a policy.
    public init(policy: Policy) { self.policy = policy }

    // MARK: Applicability

    /// Whether evidence of `group` in `role` reaches candidates by `route`.
    ///
    /// Absolute records (DESIGN §5): m(r, c) = sourceFactor × preFactor, where
    /// * sourceFactor = 1 if r.source = s; `cross-source` if r.source = any-msc; `cross-source` if
    ///   r.source ≠ s and r.pre = p ≠ none; otherwise the record does not apply;
    /// * preFactor = 1 if r.pre = p; `from-baseline` if r.pre = none and p ≠ none; otherwise it does not apply.
    ///
    /// Enumerated: a record of a tissue source reaches its own pair (``Route/itself``), and either — for
    /// `none` — its source's pre-conditioned candidates (``Route/ownBaseline``) or — for p′ ≠ none — other
    /// sources' candidates of p′ (``Route/otherSource``); an any-msc record reaches every source's candidates
    /// of its pre-conditioning (``Route/otherSource``) and, for `none`, every pre-conditioned candidate
    /// (``Route/anyMSCBaseline``).
    ///
    /// A side (s′, p′) of a comparison: in a pre-conditioning contrast, sideFactor = 1 if s′ = s and p′ = p,
    /// `cross-source` if p′ = p and s′ ≠ s (any-msc included); in a source contrast, 1 if s′ = s and p′ = p,
    /// `from-baseline` if s′ = s, p′ = none and p ≠ none; otherwise the side does not apply.
    @inline(__always)
    public func hasRoute(_ route: Route, from group: EvidenceGroup, as role: EvidenceRole) -> Bool {
        let isAnyMSC = group.source == .anyMSC
        let isBaseline = group.preconditioning == .none
        switch (role, route) {
        case (.absolute, .itself): return !isAnyMSC
        case (.absolute, .ownBaseline): return !isAnyMSC && isBaseline
        case (.absolute, .otherSource): return isAnyMSC || !isBaseline
        case (.absolute, .anyMSCBaseline): return isAnyMSC && isBaseline
        case (.preconditioningContrastSide, .itself): return !isAnyMSC
        case (.preconditioningContrastSide, .otherSource): return true
        case (.preconditioningContrastSide, .ownBaseline), (.preconditioningContrastSide, .anyMSCBaseline): return false
        case (.sourceContrastSide, .itself): return true
        case (.sourceContrastSide, .ownBaseline): return isBaseline
        case (.sourceContrastSide, .otherSource), (.sourceContrastSide, .anyMSCBaseline): return false
        }
    }

    /// The routes by which evidence of `group` in `role` reaches candidates (``hasRoute(_:from:as:)``).
    public func routes(from group: EvidenceGroup, as role: EvidenceRole) -> [Route] {
        Route.allCases.filter { hasRoute($0, from: group, as: role) }
    }

    /// (sourceFactor, preFactor) of a route.
    public func factors(_ route: Route) -> (sourceFactor: Double, preFactor: Double) {
        switch route {
        case .itself: (1, 1)
        case .ownBaseline: (1, policy.fromBaseline)
        case .otherSource: (policy.crossSource, 1)
        case .anyMSCBaseline: (policy.crossSource, policy.fromBaseline)
        }
    }

    /// The route by which evidence of `group` in `role` reaches `c`; `nil` when it does not apply. Routes are
    /// disjoint, so at most one does.
    public func route(from group: EvidenceGroup, as role: EvidenceRole, to c: Candidate) -> Route? {
        for route in Route.allCases where hasRoute(route, from: group, as: role) && route.reaches(from: group, to: c) {
            return route
        }
        return nil
    }

    /// The factors of the applicability m(r, c) = sourceFactor × preFactor of an absolute record with
    /// (`source`, `preconditioning`) to candidate `c`; `nil` when the record does not apply.
    public func applicability(
        source: SourceID, preconditioning: PreconditioningID, to c: Candidate
    ) -> (sourceFactor: Double, preFactor: Double)? {
        route(from: EvidenceGroup(source: source, preconditioning: preconditioning), as: .absolute, to: c)
            .map(factors)
    }

    /// The sides of a comparison that take part in scoring: both, except the `none` control of a
    /// pre-conditioning contrast, whose own evidence describes it.
    public func participatingSides(of x: ComparisonRecord) -> [ComparisonSide] {
        ComparisonSide.allCases.filter { side in
            Self.takesPart(in: x.contrast, isBaseline: x.pair(side).preconditioning == .none)
        }
    }

    /// Whether a side takes part: every side but the `none` control of a pre-conditioning contrast.
    @inline(__always)
    public static func takesPart(in contrast: Contrast, isBaseline: Bool) -> Bool {
        !(contrast == .preconditioning && isBaseline)
    }

    /// The role of a comparison's sides.
    public func role(of contrast: Contrast) -> EvidenceRole {
        contrast == .preconditioning ? .preconditioningContrastSide : .sourceContrastSide
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

    /// |value| of a comparative contribution whose measure is the activity:
    /// level(x) × product(x) × sideFactor × comparison.
    @inline(__always)
    public static func comparativeMagnitude(
        levelWeight: Double, productWeight: Double, sideFactor: Double, comparison: Double
    ) -> Double {
        levelWeight * productWeight * sideFactor * comparison
    }

    /// |value| of a comparative contribution through a component:
    /// level(x) × product(x) × level(q) × sideFactor × comparison × via-component.
    @inline(__always)
    public static func comparativeViaComponentMagnitude(
        levelWeight: Double, productWeight: Double, mechanismLevelWeight: Double, sideFactor: Double,
        comparison: Double, viaComponent: Double
    ) -> Double {
        levelWeight * productWeight * mechanismLevelWeight * sideFactor * comparison * viaComponent
    }

    /// 1. direct — value = level(f) × product(f) × m(f, c) × (+1 supports, −1 refutes).
    public func directContribution(_ f: FunctionRecord, to c: Candidate) -> Contribution? {
        let group = EvidenceGroup(source: f.source, preconditioning: f.preconditioning)
        guard let route = route(from: group, as: .absolute, to: c) else { return nil }
        let (sourceFactor, preFactor) = factors(route)
        let levelWeight = policy.weight(of: f.level)
        let productWeight = policy.weight(of: f.product)
        let m = sourceFactor * preFactor
        let value =
            Self.directMagnitude(levelWeight: levelWeight, productWeight: productWeight, m: m) * f.outcome.sign
        return Contribution(
            path: .direct(function: f.id), kind: .absolute, reference: f.reference, recordSource: f.source,
            recordPreconditioning: f.preconditioning, route: route, level: f.level, levelWeight: levelWeight,
            product: f.product, productWeight: productWeight, mechanismLevel: nil, mechanismLevelWeight: nil,
            sourceFactor: sourceFactor, preconditioningFactor: preFactor, viaComponentFactor: nil,
            comparisonFactor: nil, recordSign: f.outcome.sign, effectSign: nil, versus: nil, value: value,
            status: .kept(rank: 0), note: f.note, species: f.species, mechanismNote: nil)
    }

    /// 2. via component — value = level(r) × product(r) × level(q) × m(r, c) × via-component × dir(r) × eff(q).
    public func viaComponentContribution(
        _ r: SecretomeRecord, through q: MechanismRecord, to c: Candidate
    ) -> Contribution? {
        let group = EvidenceGroup(source: r.source, preconditioning: r.preconditioning)
        guard let route = route(from: group, as: .absolute, to: c) else { return nil }
        let (sourceFactor, preFactor) = factors(route)
        let levelWeight = policy.weight(of: r.level)
        let productWeight = policy.weight(of: r.product)
        let mechanismLevelWeight = policy.weight(of: q.level)
        let m = sourceFactor * preFactor
        let value =
            Self.viaComponentMagnitude(
                levelWeight: levelWeight, productWeight: productWeight, mechanismLevelWeight: mechanismLevelWeight,
                m: m, viaComponent: policy.viaComponent) * r.direction.sign * q.effect.sign
        return Contribution(
            path: .viaComponent(secretome: r.id, mechanism: q.id, component: r.component), kind: .absolute,
            reference: r.reference, recordSource: r.source, recordPreconditioning: r.preconditioning, route: route,
            level: r.level, levelWeight: levelWeight, product: r.product, productWeight: productWeight,
            mechanismLevel: q.level, mechanismLevelWeight: mechanismLevelWeight, sourceFactor: sourceFactor,
            preconditioningFactor: preFactor, viaComponentFactor: policy.viaComponent, comparisonFactor: nil,
            recordSign: r.direction.sign, effectSign: q.effect.sign, versus: nil, value: value,
            status: .kept(rank: 0), note: r.note, species: r.species, mechanismNote: q.note)
    }

    /// 3. comparative — the side of comparison `x` that applies to `c` (at most one can), or `nil`.
    public func comparativeContribution(
        _ x: ComparisonRecord, through q: MechanismRecord? = nil, to c: Candidate
    ) -> Contribution? {
        for side in participatingSides(of: x) {
            if let contribution = comparativeContribution(x, side: side, through: q, to: c) { return contribution }
        }
        return nil
    }

    /// 3. comparative — side `side` of comparison `x`, for an activity that is x's measure (`q` nil: value =
    /// level(x) × product(x) × sideFactor × comparison × sign) or that x's component measure reaches through
    /// mechanism `q` (value = level(x) × product(x) × level(q) × sideFactor × comparison × via-component × sign ×
    /// eff(q)). The sign is o = +1 better, −1 worse, 0 similar for the subject, −o for the comparator. `nil` when
    /// the side takes no part (the `none` control of a pre-conditioning contrast) or does not apply to `c`.
    public func comparativeContribution(
        _ x: ComparisonRecord, side: ComparisonSide, through q: MechanismRecord? = nil, to c: Candidate
    ) -> Contribution? {
        let pair = x.pair(side)
        guard Self.takesPart(in: x.contrast, isBaseline: pair.preconditioning == .none),
            let route = route(
                from: EvidenceGroup(source: pair.source, preconditioning: pair.preconditioning),
                as: role(of: x.contrast),
                to: c)
        else { return nil }
        let (sourceFactor, preFactor) = factors(route)
        let sideFactor = sourceFactor * preFactor
        let levelWeight = policy.weight(of: x.level)
        let productWeight = policy.weight(of: x.product)
        let sign = x.sign(side)
        let other = x.pair(side == .subject ? .comparator : .subject)
        let versus = Comparator(source: other.source, preconditioning: other.preconditioning, contrast: x.contrast)
        let path: Contribution.Path
        let value: Double
        if let q, case .component(let component) = x.measure {
            path = .comparisonViaComponent(comparison: x.id, side: side, mechanism: q.id, component: component)
            value =
                Self.comparativeViaComponentMagnitude(
                    levelWeight: levelWeight, productWeight: productWeight,
                    mechanismLevelWeight: policy.weight(of: q.level), sideFactor: sideFactor,
                    comparison: policy.comparison, viaComponent: policy.viaComponent) * sign * q.effect.sign
        } else {
            path = .comparison(comparison: x.id, side: side)
            value =
                Self.comparativeMagnitude(
                    levelWeight: levelWeight, productWeight: productWeight, sideFactor: sideFactor,
                    comparison: policy.comparison) * sign
        }
        return Contribution(
            path: path, kind: .comparative, reference: x.reference, recordSource: pair.source,
            recordPreconditioning: pair.preconditioning, route: route, level: x.level, levelWeight: levelWeight,
            product: x.product, productWeight: productWeight, mechanismLevel: q?.level,
            mechanismLevelWeight: q.map { policy.weight(of: $0.level) }, sourceFactor: sourceFactor,
            preconditioningFactor: preFactor, viaComponentFactor: q == nil ? nil : policy.viaComponent,
            comparisonFactor: policy.comparison, recordSign: sign, effectSign: q?.effect.sign, versus: versus,
            value: value, status: sign == 0 ? .similar : .kept(rank: 0), note: x.note, species: x.species,
            mechanismNote: q?.note)
    }

    // MARK: De-duplication and aggregation

    /// Per (c, a), separately for absolute and comparative contributions: for each reference and sign keep
    /// only the largest |value|; on an exact tie keep the one whose record is of the candidate's own source
    /// (for a comparison, the source of the side that applies), then the one of higher level weight, then the
    /// one whose record id (for a contribution through a component, the record's id, then the mechanism's)
    /// sorts first. Contributions of value 0 are ignored (`similar` comparisons are listed, in no sum).
    /// support = H(P) − H(|N|) + H(W) − H(|L|). Returns the activity's trace.
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
        // Contributions are large (texts, ids): the work is on their positions and plain keys, and each is
        // copied once, into the result. The record ids are read only to break an exact tie.
        struct SortKey {
            /// Absolute before comparative, positive before negative: 0…3; −1 for a value of 0.
            var sum: Int
            var order: DeduplicationKey<Double, Int>
        }
        let keys = contributions.map { x in
            SortKey(
                sum: x.status == .similar || x.value == 0
                    ? -1 : (x.kind == .absolute ? 0 : 2) + (x.value > 0 ? 0 : 1),
                order: DeduplicationKey(
                    magnitude: abs(x.value), isOwnSource: x.recordSource == c.source, level: x.levelWeight, id: 0))
        }
        func precedes(_ a: Int, _ b: Int) -> Bool {
            keys[a].order.precedesBeforeIDs(keys[b].order)
                ?? (Self.idKey(contributions[a]) < Self.idKey(contributions[b]))
        }
        func group(_ index: Int) -> GroupKey {
            GroupKey(sum: keys[index].sum, reference: contributions[index].reference)
        }
        var best: [GroupKey: Int] = [:]
        for index in keys.indices where keys[index].sum >= 0 {
            let key = group(index)
            if let current = best[key], !precedes(index, current) { continue }
            best[key] = index
        }
        // Per kind, positives first, each sign in the de-duplication order.
        let winners = best.values.sorted { a, b in
            keys[a].sum != keys[b].sum ? keys[a].sum < keys[b].sum : precedes(a, b)
        }
        var ordered: [Contribution] = []
        ordered.reserveCapacity(winners.count)
        var sums = [HarmonicSum](repeating: HarmonicSum(), count: 4)
        for index in winners {
            var contribution = contributions[index]
            let sum = (contribution.kind == .absolute ? 0 : 2) + (contribution.value > 0 ? 0 : 1)
            sums[sum].add(abs(contribution.value))
            contribution.status = .kept(rank: sums[sum].count)
            ordered.append(contribution)
        }
        var activity = trace(
            line, contributions: ordered, positive: sums[0], negative: sums[1], won: sums[2], lost: sums[3])
        guard keepingDropped else { return activity }
        // Then the similar comparisons and the dropped contributions, each by record ids.
        let kept = Set(winners)
        func byID(_ a: Int, _ b: Int) -> Bool { Self.idKey(contributions[a]) < Self.idKey(contributions[b]) }
        let similar = contributions.indices.filter { contributions[$0].status == .similar }.sorted(by: byID)
        let dropped = keys.indices.filter { keys[$0].sum >= 0 && !kept.contains($0) }.sorted(by: byID)
        for index in similar { activity.contributions.append(contributions[index]) }
        for index in dropped {
            var contribution = contributions[index]
            if let winner = best[group(index)] {
                contribution.status = .dropped(keptInstead: contributions[winner].path)
            }
            activity.contributions.append(contribution)
        }
        return activity
    }

    /// An activity's trace from its four harmonic sums.
    func trace(
        _ line: RuleLine, contributions: [Contribution], positive: HarmonicSum, negative: HarmonicSum,
        won: HarmonicSum, lost: HarmonicSum
    ) -> ActivityTrace {
        let support = support(positive: positive.value, negative: negative.value, won: won.value, lost: lost.value)
        return ActivityTrace(
            line: line, contributions: contributions, positive: positive.value, negative: negative.value,
            won: won.value, lost: lost.value, support: support,
            isContested: isContested(
                positive: positive.count, negative: negative.count, won: won.count,
                lost: lost.count),
            term: term(line, support: support),
            keptCounts: KeptCounts(positive: positive.count, negative: negative.count, won: won.count, lost: lost.count)
        )
    }

    /// support(a) = H(P) − H(|N|) + H(W) − H(|L|), left to right: the absolute support, then the advantage.
    @inline(__always)
    public func support(positive: Double, negative: Double, won: Double, lost: Double) -> Double {
        positive - negative + won - lost
    }

    /// An activity is contested when P and N, or W and L, are both non-empty (the numbers of kept values).
    @inline(__always)
    public func isContested(positive: Int, negative: Int, won: Int, lost: Int) -> Bool {
        (positive > 0 && negative > 0) || (won > 0 && lost > 0)
    }

    /// What a line adds to the score's numerator: w·support, or −w·max(0, support) for avoids.
    public func term(_ line: RuleLine, support: Double) -> Double {
        switch line.kind {
        case .requires, .supports: line.weight * support
        case .avoids: -(line.weight * max(0, support))
        }
    }

    /// What de-duplication groups by: the kind and sign (as the harmonic sum the value goes to) and the
    /// reference.
    private struct GroupKey: Hashable {
        var sum: Int
        var reference: ReferenceID
    }

    /// DESIGN §5's de-duplication order, on any representation of a contribution (the traces' contributions,
    /// the score index's packed entries): the larger |value| first; on an exact tie the one of the candidate's
    /// own source, then the higher level weight, then the record ids (the record's, then the mechanism's).
    /// `Level` is anything ordered as the level weights are (greater first), `ID` anything ordered as the ids
    /// (smaller first).
    public struct DeduplicationKey<Level: Comparable, ID: Comparable> {
        /// |value|.
        public var magnitude: Double
        /// Whether the record (for a comparison, the side that applies) is of the candidate's own source.
        public var isOwnSource: Bool
        /// The level weight, or an equivalent order.
        public var level: Level
        /// The record ids, or an equivalent order.
        public var id: ID

        /// Creates a key.
        @inline(__always)
        public init(magnitude: Double, isOwnSource: Bool, level: Level, id: ID) {
            self.magnitude = magnitude
            self.isOwnSource = isOwnSource
            self.level = level
            self.id = id
        }

        /// Whether `self` is kept before `other`.
        @inline(__always)
        public func precedes(_ other: Self) -> Bool { precedesBeforeIDs(other) ?? (id < other.id) }

        /// The order as far as the value, the source and the level decide it; `nil` on an exact tie of the
        /// three, which only the ids break.
        @inline(__always)
        public func precedesBeforeIDs(_ other: Self) -> Bool? {
            if magnitude != other.magnitude { return magnitude > other.magnitude }
            if isOwnSource != other.isOwnSource { return isOwnSource }
            if level != other.level { return level > other.level }
            return nil
        }
    }

    /// (record id, mechanism id or "") compared by UTF-8 bytes.
    static func idKey(_ contribution: Contribution) -> IDKey {
        IDKey(primary: contribution.recordID.rawValue, secondary: contribution.mechanismID?.rawValue ?? "")
    }

    struct IDKey: Comparable {
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

    /// The part of the score the head-to-head comparisons add on the wanted lines:
    /// Σ_{requires ∪ supports} w·advantage(a) / Σ_{requires ∪ supports} w. (Avoided lines are left out: their
    /// term, −w·max(0, support), does not split into an absolute and a comparative part.)
    public func advantage(_ activities: [ActivityTrace]) -> Double {
        var sum = 0.0
        var denominator = 0.0
        for activity in activities where activity.line.kind != .avoids {
            sum += activity.line.weight * activity.advantage
            denominator += activity.line.weight
        }
        return denominator > 0 ? sum / denominator : 0
    }

    /// The least upper bound of a support: H of ever more kept values of the largest possible |value| tends to
    /// that value, so support < max level × max product × (1 + comparison) (absolute plus advantage).
    public var supportBound: Double {
        let largest = (policy.levelWeights.values.max() ?? 0) * (policy.productWeights.values.max() ?? 0)
        return largest + largest * policy.comparison
    }

    /// A level with its weight: the eligibility fact behind `minimum-level`.
    public struct OwnLevel: Sendable, Hashable {
        /// The level's weight.
        public var weight: Double
        /// The level.
        public var level: LevelID

        /// Creates one.
        public init(weight: Double, level: LevelID) {
            self.weight = weight
            self.level = level
        }

        /// Whether `self` is the better of two: the higher weight, then the lower level id.
        public func isBetter(than other: OwnLevel?) -> Bool {
            guard let other else { return true }
            return weight != other.weight ? weight > other.weight : level < other.level
        }
    }

    /// Whether a rule line's evidence can meet `minimum-level`: only a required activity's.
    public func countsForMinimumLevel(_ line: RuleLine) -> Bool { line.kind == .requires }

    /// Whether a contribution can meet `minimum-level`: kept, positive, absolute (a comparison never makes a
    /// candidate eligible: that a product beat another says nothing about whether either works), and from a
    /// record of the candidate's own source.
    public func countsForMinimumLevel(_ contribution: Contribution, for c: Candidate) -> Bool {
        contribution.isKept && contribution.kind == .absolute && contribution.value > 0
            && contribution.recordSource == c.source
    }

    /// The best own-source level of a traced evaluation's activities: among the kept positive absolute
    /// contributions to required activities from records of the candidate's own source, the one of highest
    /// weight (then lowest level id); `nil` when there is none.
    public func bestOwnLevel(_ activities: [ActivityTrace], for c: Candidate) -> OwnLevel? {
        var best: OwnLevel?
        for activity in activities where countsForMinimumLevel(activity.line) {
            for contribution in activity.contributions where countsForMinimumLevel(contribution, for: c) {
                let candidate = OwnLevel(weight: contribution.levelWeight, level: contribution.level)
                if candidate.isBetter(than: best) { best = candidate }
            }
        }
        return best
    }

    /// Eligible when every required activity has support ≥ `minimum-support` and, if the indication sets
    /// `minimum-level L`, the best own-source level (``bestOwnLevel(_:for:)``) has a weight ≥ the weight of L.
    public func ineligibilityReasons(
        _ activities: [ActivityTrace], indication: Indication, bestOwnLevel: OwnLevel?
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
