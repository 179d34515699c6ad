public import EvidenceModel

/// One experiment `plan` considers: a new own-source function record of a candidate, or a new head-to-head
/// comparison of two candidates that differ in one factor (DESIGN §4), at one model level and product.
public struct PlannedExperiment: Sendable, Hashable {
    /// What is tested.
    public enum Design: Sendable, Hashable {
        /// `candidate`'s secretome tested for `activity`.
        case function(candidate: Candidate, activity: ActivityID)
        /// `subject` compared with `versus` on `activity`.
        case comparison(subject: Candidate, versus: Candidate, activity: ActivityID)
    }

    /// One way the experiment can come out, and the shortlist it leaves.
    public struct Result: Sendable, Hashable {
        /// `supports`/`refutes`, or `better`/`worse` (the subject's side).
        public var outcome: String
        /// The first K candidates of the ranking with the new record, in rank order.
        public var shortlist: [Candidate]
        /// The record that outcome adds, as a row of function.tsv or comparisons.tsv (placeholders in capitals).
        public var row: String
    }

    /// What is tested.
    public var design: Design
    /// The model level.
    public var level: LevelID
    /// The product.
    public var product: ProductID
    /// The two outcomes, in the order supports/refutes or better/worse.
    public var results: [Result]
    /// Whether the shortlist changes whichever way the experiment comes out, differently for each outcome
    /// (by membership).
    public var isDecisive: Bool
    /// How many candidates enter or leave the shortlist, summed over the outcomes.
    public var change: Int
}

/// Which single experiment would change an indication's shortlist, and whether it would whichever way it
/// comes out (`recommend plan`).
public struct ExperimentPlan: Sendable {
    /// The indication.
    public var indication: IndicationID
    /// The shortlist length K.
    public var top: Int
    /// The current first K candidates.
    public var shortlist: [Candidate]
    /// The candidates experiments were generated for: the first K and the next ``Planner/margin``.
    public var boundary: [Candidate]
    /// The levels tried, cheapest first.
    public var levels: [LevelID]
    /// How many experiments (each with its two outcomes) were scored.
    public var tried: Int
    /// The experiments that can change the shortlist: decisive first, then cheapest level, then the larger
    /// change, then the experiment's description.
    public var experiments: [PlannedExperiment]
}

/// Generates and scores the candidate experiments of ``ExperimentPlan``.
public enum Planner {
    /// Candidates beyond the first K for which experiments are generated.
    public static let margin = 3

    /// The plan for `indication`: every experiment of the model (see ``ExperimentPlan``) scored with DESIGN §5
    /// exactly, by ranking the knowledge base with the experiment's record added. `levels` (nil: every level
    /// of the policy) are tried cheapest (lowest weight) first.
    public static func plan(
        _ indication: Indication, in recommender: Recommender, top k: Int, levels chosen: [LevelID]? = nil
    ) -> ExperimentPlan {
        let knowledgeBase = recommender.knowledgeBase
        let policy = knowledgeBase.rules.policy
        let baseline = recommender.rank(indication)
        let shortlist = Array(baseline.entries.prefix(k).map(\.evaluation.candidate))
        let boundary = Array(baseline.entries.prefix(k + margin).map(\.evaluation.candidate))
        let levels = (chosen ?? Array(policy.levelWeights.keys)).sorted {
            let (a, b) = (policy.weight(of: $0), policy.weight(of: $1))
            return a != b ? a < b : $0 < $1
        }
        // Products of equal weight give the same scores: the first of each weight by name stands for them.
        var products: [ProductID] = []
        for product in policy.productWeights.keys.sorted()
        where !products.contains(where: { policy.weight(of: $0) == policy.weight(of: product) }) {
            products.append(product)
        }
        let activities = indication.lines.map(\.activity)

        var designs: [PlannedExperiment.Design] = []
        for candidate in boundary {
            for activity in activities { designs.append(.function(candidate: candidate, activity: activity)) }
        }
        for (i, a) in boundary.enumerated() {
            for b in boundary[(i + 1)...] where (a.source == b.source) != (a.preconditioning == b.preconditioning) {
                for activity in activities { designs.append(.comparison(subject: a, versus: b, activity: activity)) }
            }
        }
        var jobs: [(design: PlannedExperiment.Design, level: LevelID, product: ProductID)] = []
        for design in designs {
            for level in levels {
                for product in products { jobs.append((design, level, product)) }
            }
        }
        let scoring = Set(activities)
        let reference = Reference(
            id: ReferenceID("NEW-REF"), doi: nil, pmid: nil, authors: "", year: 0, title: "", journal: "",
            span: SourceSpan(path: "plan", line: 1, column: 1))
        let shortlisted = Set(shortlist)
        let work = jobs
        let experiments = ConcurrentResults<PlannedExperiment?>.map(work.count) { index in
            let (design, level, product) = work[index]
            let results = outcomes(design).map { outcome in
                let (functions, comparisons, row) = records(design, outcome: outcome, level: level, product: product)
                var changed = knowledgeBase
                changed.evidence = knowledgeBase.evidence.adding(
                    references: [reference], functions: functions, comparisons: comparisons)
                let ranking = Recommender(knowledgeBase: changed, scoring: scoring).rank(indication)
                return PlannedExperiment.Result(
                    outcome: outcome, shortlist: Array(ranking.entries.prefix(k).map(\.evaluation.candidate)), row: row)
            }
            let sets = results.map { Set($0.shortlist) }
            let change = sets.map { $0.symmetricDifference(shortlisted).count }.reduce(0, +)
            guard change > 0 else { return nil }
            // Decisive: each outcome leaves its own shortlist, and neither is today's.
            let isDecisive = sets.count == 2 && sets[0] != sets[1] && !sets.contains(shortlisted)
            return PlannedExperiment(
                design: design, level: level, product: product, results: results, isDecisive: isDecisive,
                change: change)
        }
        let rank = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($0.element, $0.offset) })
        let ordered = experiments.compactMap { $0 }.sorted { a, b in
            if a.isDecisive != b.isDecisive { return a.isDecisive }
            if rank[a.level] != rank[b.level] { return (rank[a.level] ?? 0) < (rank[b.level] ?? 0) }
            if a.change != b.change { return a.change > b.change }
            let (wa, wb) = (policy.weight(of: a.product), policy.weight(of: b.product))
            if wa != wb { return wa > wb }
            return key(a) < key(b)
        }
        return ExperimentPlan(
            indication: indication.id, top: k, shortlist: shortlist, boundary: boundary, levels: levels,
            tried: jobs.count, experiments: ordered)
    }

    /// The two outcomes of a design.
    private static func outcomes(_ design: PlannedExperiment.Design) -> [String] {
        switch design {
        case .function: Outcome.allCases.map(\.rawValue)
        case .comparison: [ComparisonOutcome.better.rawValue, ComparisonOutcome.worse.rawValue]
        }
    }

    /// The record an outcome adds, and its row as the files write it.
    private static func records(_ design: PlannedExperiment.Design, outcome: String, level: LevelID, product: ProductID)
        -> (functions: [FunctionRecord], comparisons: [ComparisonRecord], row: String)
    {
        let span = SourceSpan(path: "plan", line: 1, column: 1)
        switch design {
        case .function(let c, let activity):
            let record = FunctionRecord(
                id: RecordID("PLAN-1"), source: c.source, preconditioning: c.preconditioning, product: product,
                activity: activity, outcome: Outcome(rawValue: outcome) ?? .supports, level: level, species: "",
                reference: ReferenceID("NEW-REF"), note: "", span: span)
            let row = [
                "PLAN-1", c.source.rawValue, c.preconditioning.rawValue, product.rawValue, activity.rawValue, outcome,
                level.rawValue, "SPECIES", "NEW-REF", "NOTE",
            ].joined(separator: "\t")
            return ([record], [], row)
        case .comparison(let a, let b, let activity):
            let record = ComparisonRecord(
                id: RecordID("PLAN-1"), source: a.source, preconditioning: a.preconditioning, versusSource: b.source,
                versusPreconditioning: b.preconditioning, product: product, measure: .activity(activity),
                outcome: ComparisonOutcome(rawValue: outcome) ?? .better, level: level, species: "",
                reference: ReferenceID("NEW-REF"), note: "", span: span)
            let row = [
                "PLAN-1", a.source.rawValue, a.preconditioning.rawValue, b.source.rawValue, b.preconditioning.rawValue,
                product.rawValue, activity.rawValue, outcome, level.rawValue, "SPECIES", "NEW-REF", "NOTE",
            ].joined(separator: "\t")
            return ([], [record], row)
        }
    }

    /// A total order for ties: the experiment's fields as text.
    private static func key(_ e: PlannedExperiment) -> String {
        switch e.design {
        case .function(let c, let a): "f \(c.id) \(a) \(e.level) \(e.product)"
        case .comparison(let s, let v, let a): "c \(s.id) \(v.id) \(a) \(e.level) \(e.product)"
        }
    }
}
