public import EvidenceModel

/// Records that do not exist yet: `count` function records of the candidate's own source and
/// pre-conditioning about one activity, all of one level and product, each from a reference of its own
/// (so that de-duplication keeps every one of them).
public struct HypotheticalRecords: Sendable, Hashable {
    /// The rule line whose activity the records are about.
    public var line: RuleLine
    /// Supports for a required or supported activity, refutes for an avoided one.
    public var outcome: Outcome
    /// The records' level.
    public var level: LevelID
    /// The records' product.
    public var product: ProductID
    /// How many records, each from a different new reference.
    public var count: Int

    /// Creates hypothetical records.
    public init(line: RuleLine, outcome: Outcome, level: LevelID, product: ProductID, count: Int) {
        self.line = line
        self.outcome = outcome
        self.level = level
        self.product = product
        self.count = count
    }
}

/// An evidence addition and what the scoring model predicts with it.
public struct EvidenceAddition: Sendable, Hashable {
    /// The records to add, in rule-line order.
    public var records: [HypotheticalRecords]
    /// The candidate's evaluation with the records added (numbers only, untraced).
    public var candidate: Evaluation
    /// The rival's evaluation with the records added, when there is a rival: the records of the candidate's
    /// own source and pre-conditioning can apply to it too (cross-source or from-baseline).
    public var rival: Evaluation?

    /// The number of records to add.
    public var recordCount: Int { records.reduce(0) { $0 + $1.count } }
}

/// The support one rule line would need, everything else unchanged, for the candidate's score to pass
/// the rival's current score.
public struct SupportThreshold: Sendable, Hashable {
    /// The rule line.
    public var line: RuleLine
    /// The candidate's support now.
    public var support: Double
    /// The bound: the support must be above it (requires, supports) or at most it (avoids).
    public var bound: Double
    /// Whether a support can pass the bound: a support stays below ``ScoringModel/supportBound``, and an
    /// avoided activity cannot cost less than nothing.
    public var isReachable: Bool
}

/// What one new head-to-head comparison won by the candidate would do: a comparison of the candidate (the
/// subject, `better`) with a comparator that differs in one factor, on the activity where one win moves the
/// candidate furthest against its rival, at each declared level.
public struct HeadToHead: Sendable, Hashable {
    /// The comparator: the rival when it differs from the candidate in one factor; otherwise the candidate's
    /// own baseline (a pre-conditioned candidate) or the rival's source at the candidate's pre-conditioning.
    public var comparator: EvidenceGroup
    /// The rule line of the decisive activity: of the requires and supports lines, the one where one win at
    /// the weakest level gains the most score over the rival (the first in rule order on a tie).
    public var line: RuleLine
    /// The product of the comparisons: the declared product of highest weight (then lowest id).
    public var product: ProductID
    /// One win per declared level of non-zero weight, weakest first.
    public var wins: [Win]

    /// One win at one level and what the model predicts with it.
    public struct Win: Sendable, Hashable {
        /// The new comparison, of a new reference.
        public var comparison: ComparisonRecord
        /// The candidate with it (numbers only).
        public var candidate: Evaluation
        /// The rival with it: a side of the comparison may apply to the rival too.
        public var rival: Evaluation
        /// Whether the candidate then ranks above the rival.
        public var ranksAboveRival: Bool
    }
}

/// Why a candidate is ineligible or ranked below another, and the smallest evidence addition that would
/// change that, computed from the scoring model.
public struct WhyNotAnswer: Sendable, Hashable {
    /// The indication.
    public var indication: Indication
    /// The candidate's full trace (every contribution, kept and dropped).
    public var candidate: Evaluation
    /// The candidate's rank among `candidateCount` candidates.
    public var candidateRank: Int
    /// The rival's trace (kept contributions), if the candidate is compared with one.
    public var rival: Evaluation?
    /// The rival's rank.
    public var rivalRank: Int?
    /// How many candidates are ranked.
    public var candidateCount: Int
    /// The smallest addition that makes the candidate eligible; `nil` when it is eligible already or when
    /// no addition searched can (see ``eligibilityUnreachable``).
    public var toBecomeEligible: EvidenceAddition?
    /// Whether the candidate is ineligible and no addition searched makes it eligible.
    public var eligibilityUnreachable: Bool
    /// The smallest addition that ranks the candidate above the rival; `nil` when it ranks above already,
    /// when there is no rival, or when no addition searched does (see ``passingUnreachable``).
    public var toPassRival: EvidenceAddition?
    /// Whether the candidate ranks below the rival and no addition searched changes that.
    public var passingUnreachable: Bool
    /// Per rule line, the support it alone would need for the candidate's score to pass the rival's; empty
    /// when the candidate's score is above the rival's already.
    public var thresholds: [SupportThreshold]
    /// The largest number of records of one kind the search adds to one activity.
    public var searchLimit: Int
    /// What one head-to-head win on the decisive activity would do; `nil` without a rival to pass.
    public var headToHead: HeadToHead?

    /// Whether the candidate ranks above the rival already.
    public var isAheadOfRival: Bool {
        guard let rivalRank else { return false }
        return candidateRank < rivalRank
    }
}

extension Recommender {
    /// The largest number of records of one kind ``whyNot(_:for:than:limit:)`` adds to one activity.
    public static let whyNotSearchLimit = 10

    /// Why `c` is ineligible for `indication` or ranked below `rival`, and the smallest evidence addition that
    /// would make it eligible and rank it above `rival`.
    ///
    /// An addition is a number of function records of the candidate's own source and pre-conditioning, each
    /// from a new reference, supporting a required or supported activity or refuting an avoided one. The
    /// search is exact and exhaustive over: the activity, the record's level and product (every declared
    /// pair of non-zero weight), and 1…`limit` records. "Smallest" means fewest records, then the weakest
    /// (lowest level × product weight), then rule-line order, then the lowest level weight and the level and
    /// product ids. Eligibility is met line by line (each failing required line gets its own smallest
    /// addition; a minimum level is then met by the weakest change of one line's addition that reaches it);
    /// passing the rival changes the addition of one more line. Every prediction applies DESIGN §5 to the
    /// candidate's and the rival's traces with the new values inserted, including what the new records do
    /// to the rival when they apply to it, so the predicted scores are the ones a re-run gives.
    public func whyNot(
        _ c: Candidate, for indication: Indication, than rival: Candidate?, limit: Int = whyNotSearchLimit
    ) -> WhyNotAnswer {
        let selection: CandidateSelection =
            testedCandidates.contains(c) && (rival.map { testedCandidates.contains($0) } ?? true) ? .tested : .untested
        let ranking = rank(indication, selection: selection)
        let rankOf = { (candidate: Candidate) in
            ranking.entries.first { $0.evaluation.candidate == candidate }?.rank ?? ranking.entries.count
        }
        let evaluation = evaluate(c, for: indication)
        let rivalEvaluation = rival.map { evaluate($0, for: indication, keepingDropped: false) }
        let projector = AdditionProjector(model: model, indication: indication)
        let kinds = projector.kinds(knowledgeBase.rules.policy)

        func projected(_ records: [HypotheticalRecords]) -> EvidenceAddition {
            EvidenceAddition(
                records: records.sorted { projector.lineIndex($0.line) < projector.lineIndex($1.line) },
                candidate: projector.project(evaluation, adding: records, from: c),
                rival: rivalEvaluation.map { projector.project($0, adding: records, from: c) })
        }
        /// The smallest of `base` with the records on one of `lines` replaced by `k` records of one kind, for
        /// k in 1…limit, that satisfies `goal`.
        func smallest(
            from base: [HypotheticalRecords], lines: [RuleLine], kinds: [AdditionProjector.Kind],
            goal: (EvidenceAddition) -> Bool
        ) -> EvidenceAddition? {
            var best: (key: AdditionProjector.Key, addition: EvidenceAddition)?
            for line in lines {
                let others = base.filter { $0.line.activity != line.activity }
                let outcome: Outcome = line.kind == .avoids ? .refutes : .supports
                for count in 1...max(1, limit) {
                    if let best, best.key.count < others.reduce(0, { $0 + $1.count }) + count { break }
                    for kind in kinds {
                        let records =
                            others + [
                                HypotheticalRecords(
                                    line: line, outcome: outcome, level: kind.level, product: kind.product,
                                    count: count)
                            ]
                        let key = projector.key(records)
                        if let best, !(key < best.key) { continue }
                        let addition = projected(records)
                        if goal(addition) { best = (key, addition) }
                    }
                }
            }
            return best?.addition
        }

        // Eligibility, line by line, then the minimum level.
        var base: [HypotheticalRecords] = []
        var eligibility: EvidenceAddition?
        var eligibilityUnreachable = false
        if !evaluation.isEligible {
            for (index, line) in indication.lines.enumerated() where line.kind == .requires {
                guard evaluation.activities[index].support < model.policy.minimumSupport else { continue }
                let found = smallest(from: base, lines: [line], kinds: kinds) {
                    $0.candidate.activities[index].support >= model.policy.minimumSupport
                }
                if let found { base = found.records } else { eligibilityUnreachable = true }
            }
            if !eligibilityUnreachable, !projected(base).candidate.isEligible {
                let minimumWeight = indication.minimumLevel.map { model.policy.weight(of: $0) } ?? 0
                let found = smallest(
                    from: base, lines: indication.lines.filter { $0.kind != .avoids },
                    kinds: kinds.filter { $0.levelWeight >= minimumWeight }, goal: \.candidate.isEligible)
                if let found { base = found.records } else { eligibilityUnreachable = true }
            }
            eligibility = eligibilityUnreachable ? nil : projected(base)
        }

        // Passing the rival.
        var passing: EvidenceAddition?
        var passingUnreachable = false
        let rivalRank = rival.map(rankOf)
        let candidateRank = rankOf(c)
        if let rivalRank, candidateRank > rivalRank {
            // Without eligibility within reach, an ineligible rival can still be passed on score.
            let start = projected(eligibilityUnreachable ? [] : base)
            if !start.records.isEmpty, let rival = start.rival, Recommender.ranksBefore(start.candidate, rival) {
                passing = start
            } else {
                passing = smallest(from: start.records, lines: indication.lines, kinds: kinds) {
                    addition in
                    addition.rival.map { Recommender.ranksBefore(addition.candidate, $0) } ?? false
                }
            }
            passingUnreachable = passing == nil
        }

        var thresholds: [SupportThreshold] = []
        if let rivalEvaluation, evaluation.score <= rivalEvaluation.score {
            let gap = rivalEvaluation.score * evaluation.denominator - evaluation.numerator
            for (index, line) in indication.lines.enumerated() {
                let support = evaluation.activities[index].support
                switch line.kind {
                case .requires, .supports:
                    let bound = support + gap / line.weight
                    thresholds.append(
                        SupportThreshold(
                            line: line, support: support, bound: bound, isReachable: bound < model.supportBound))
                case .avoids:
                    let bound = max(0, support) - gap / line.weight
                    thresholds.append(
                        SupportThreshold(line: line, support: support, bound: bound, isReachable: bound >= 0))
                }
            }
        }

        var headToHead: HeadToHead?
        if let rival, let rivalEvaluation, let rivalRank, candidateRank > rivalRank {
            headToHead = self.headToHead(evaluation, against: rivalEvaluation, rival: rival, projector: projector)
        }

        return WhyNotAnswer(
            indication: indication, candidate: evaluation, candidateRank: candidateRank, rival: rivalEvaluation,
            rivalRank: rivalRank, candidateCount: ranking.entries.count, toBecomeEligible: eligibility,
            eligibilityUnreachable: eligibilityUnreachable, toPassRival: passing,
            passingUnreachable: passingUnreachable, thresholds: thresholds, searchLimit: limit,
            headToHead: headToHead)
    }

    /// One head-to-head win of `evaluation`'s candidate on the decisive activity, at each level (see
    /// ``HeadToHead``); `nil` when the indication has no requires or supports line or the policy no level or
    /// product of non-zero weight.
    private func headToHead(
        _ evaluation: Evaluation, against rivalEvaluation: Evaluation, rival: Candidate, projector: AdditionProjector
    ) -> HeadToHead? {
        let c = evaluation.candidate
        let comparator: EvidenceGroup
        if (c.source == rival.source) != (c.preconditioning == rival.preconditioning) {
            comparator = EvidenceGroup(source: rival.source, preconditioning: rival.preconditioning)
        } else if c.preconditioning != .none {
            comparator = EvidenceGroup(source: c.source, preconditioning: .none)
        } else {
            comparator = EvidenceGroup(source: rival.source, preconditioning: c.preconditioning)
        }
        let policy = model.policy
        let levels = policy.levelWeights.filter { $0.value > 0 }.sorted {
            $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key
        }
        guard
            let product = policy.productWeights.filter({ $0.value > 0 }).min(by: {
                $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
            })?.key,
            let weakest = levels.first?.key
        else { return nil }
        func win(_ line: RuleLine, level: LevelID) -> HeadToHead.Win {
            let x = ComparisonRecord(
                id: RecordID(AdditionProjector.newReference(1).rawValue), source: c.source,
                preconditioning: c.preconditioning, versusSource: comparator.source,
                versusPreconditioning: comparator.preconditioning, product: product,
                measure: .activity(line.activity), outcome: .better, level: level, species: "",
                reference: AdditionProjector.newReference(1), note: "",
                span: SourceSpan(path: "(new)", line: 1, column: 1))
            let candidate = projector.project(evaluation, adding: x)
            let rivalAfter = projector.project(rivalEvaluation, adding: x)
            return HeadToHead.Win(
                comparison: x, candidate: candidate, rival: rivalAfter,
                ranksAboveRival: Recommender.ranksBefore(candidate, rivalAfter))
        }
        var best: (gain: Double, line: RuleLine)?
        for line in projector.indication.lines where line.kind != .avoids {
            let trial = win(line, level: weakest)
            let gain = trial.candidate.score - trial.rival.score
            if best.map({ gain > $0.gain }) ?? true { best = (gain, line) }
        }
        guard let line = best?.line else { return nil }
        return HeadToHead(
            comparator: comparator, line: line, product: product, wins: levels.map { win(line, level: $0.key) })
    }
}

/// Applies DESIGN §5 to a traced evaluation with hypothetical records' values inserted.
struct AdditionProjector {
    let model: ScoringModel
    let indication: Indication

    /// A record level and product, with their weights.
    struct Kind {
        var level: LevelID
        var levelWeight: Double
        var product: ProductID
        var productWeight: Double
        /// The value of one such record for its own candidate (m = 1).
        var value: Double
    }

    /// Every declared (level, product) whose record would have a non-zero value, weakest first.
    func kinds(_ policy: Policy) -> [Kind] {
        var kinds: [Kind] = []
        for (level, levelWeight) in policy.levelWeights {
            for (product, productWeight) in policy.productWeights {
                let value = ScoringModel.directMagnitude(levelWeight: levelWeight, productWeight: productWeight, m: 1)
                if value > 0 {
                    kinds.append(
                        Kind(
                            level: level, levelWeight: levelWeight, product: product, productWeight: productWeight,
                            value: value))
                }
            }
        }
        return kinds.sorted {
            ($0.value, $0.levelWeight, $0.level.rawValue, $0.product.rawValue)
                < ($1.value, $1.levelWeight, $1.level.rawValue, $1.product.rawValue)
        }
    }

    /// The order in which additions are preferred: fewer records, then a smaller total value, then, record
    /// by record in rule-line order, the earlier line, fewer records, the lower level weight, the level and
    /// product ids.
    struct Key: Comparable {
        struct Part: Comparable {
            var line: Int
            var count: Int
            var levelWeight: Double
            var level: String
            var product: String
            static func < (a: Part, b: Part) -> Bool {
                (a.line, a.count, a.levelWeight, a.level, a.product)
                    < (b.line, b.count, b.levelWeight, b.level, b.product)
            }
        }
        var count: Int
        var value: Double
        var parts: [Part]
        static func < (a: Key, b: Key) -> Bool {
            if a.count != b.count { return a.count < b.count }
            if a.value != b.value { return a.value < b.value }
            return a.parts.lexicographicallyPrecedes(b.parts)
        }
    }

    func lineIndex(_ line: RuleLine) -> Int {
        indication.lines.firstIndex { $0.activity == line.activity } ?? indication.lines.count
    }

    func key(_ records: [HypotheticalRecords]) -> Key {
        var value = 0.0
        var parts: [Key.Part] = []
        for record in records.sorted(by: { lineIndex($0.line) < lineIndex($1.line) }) {
            let levelWeight = model.policy.weight(of: record.level)
            value += Double(record.count) * levelWeight * model.policy.weight(of: record.product)
            parts.append(
                Key.Part(
                    line: lineIndex(record.line), count: record.count, levelWeight: levelWeight,
                    level: record.level.rawValue,
                    product: record.product.rawValue))
        }
        return Key(count: records.reduce(0) { $0 + $1.count }, value: value, parts: parts)
    }

    /// The reference of the `number`-th new record of an addition: a key no reference file can hold (it has
    /// spaces), so that each new record is its own reference, as the search assumes.
    static func newReference(_ number: Int) -> ReferenceID { ReferenceID("new reference \(number)") }

    /// The function records `records` stand for, of `origin`'s source and pre-conditioning.
    func functionRecords(_ records: [HypotheticalRecords], from origin: Candidate) -> [FunctionRecord] {
        var result: [FunctionRecord] = []
        for record in records {
            for _ in 0..<record.count {
                let reference = Self.newReference(result.count + 1)
                result.append(
                    FunctionRecord(
                        id: RecordID(reference.rawValue), source: origin.source,
                        preconditioning: origin.preconditioning, product: record.product,
                        activity: record.line.activity, outcome: record.outcome, level: record.level, species: "",
                        reference: reference, note: "", span: SourceSpan(path: "(new)", line: 1, column: 1)))
            }
        }
        return result
    }

    /// `evaluation` (traced: its kept contributions are listed) with the function records of `records` — of
    /// `origin`'s source and pre-conditioning, each from a new reference — added where they apply to the
    /// evaluated candidate: the model's contributions, aggregation, score and eligibility, recomputed.
    func project(_ evaluation: Evaluation, adding records: [HypotheticalRecords], from origin: Candidate)
        -> Evaluation
    {
        let c = evaluation.candidate
        return project(
            evaluation,
            adding: functionRecords(records, from: origin).compactMap { f in
                model.directContribution(f, to: c).map { (f.activity, $0) }
            })
    }

    /// `evaluation` with a new comparison `x` added where a side of it applies to the evaluated candidate.
    func project(_ evaluation: Evaluation, adding x: ComparisonRecord) -> Evaluation {
        guard case .activity(let activity) = x.measure,
            let contribution = model.comparativeContribution(x, to: evaluation.candidate)
        else { return untraced(evaluation) }
        return project(evaluation, adding: [(activity, contribution)])
    }

    /// `evaluation` with `added` contributions (each of a new reference) aggregated into the lines of their
    /// activities by the model, and the score, eligibility and reference count recomputed.
    private func project(_ evaluation: Evaluation, adding added: [(ActivityID, Contribution)]) -> Evaluation {
        let c = evaluation.candidate
        var activities = evaluation.activities
        var references = Set(evaluation.references)
        for index in activities.indices {
            let line = activities[index].line
            let new = added.filter { $0.0 == line.activity && $0.1.value != 0 }.map(\.1)
            guard !new.isEmpty else { continue }
            references.formUnion(new.map(\.reference))
            activities[index] = model.aggregate(
                activities[index].contributions.filter(\.isKept) + new, line: line, for: c, keepingDropped: false)
        }
        let (numerator, denominator, score) = model.score(activities)
        let best = model.bestOwnLevel(activities, for: c)
        var projected = evaluation
        projected.activities = activities
        projected.numerator = numerator
        projected.denominator = denominator
        projected.score = score
        projected.ineligibilityReasons = model.ineligibilityReasons(
            activities, indication: indication, bestOwnLevel: best)
        projected.bestOwnLevel = best?.level
        projected.referenceCount = references.count
        return untraced(projected)
    }

    /// An evaluation's numbers without its contributions, as a ranking holds it.
    private func untraced(_ evaluation: Evaluation) -> Evaluation {
        var result = evaluation
        result.activities = evaluation.activities.map {
            var activity = $0
            activity.contributions = []
            return activity
        }
        result.references = []
        result.isTraced = false
        return result
    }
}
