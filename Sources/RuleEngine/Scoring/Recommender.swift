public import EvidenceModel

/// One ranked candidate of an indication's shortlist.
public struct RankedCandidate: Sendable, Hashable {
    /// The 1-based rank.
    public var rank: Int
    /// The evaluation (score, eligibility, trace).
    public var evaluation: Evaluation
}

/// The ranked candidates of one indication.
public struct Ranking: Sendable, Hashable {
    /// The indication.
    public var indication: Indication
    /// Every candidate, in ranking order.
    public var entries: [RankedCandidate]
}

/// Which candidates to rank.
public struct CandidateSelection: OptionSet, Sendable, Hashable {
    /// The raw bits.
    public let rawValue: Int
    /// Creates a selection from raw bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Also rank the extrapolated, untested pairs: every declared source × pre-conditioning.
    public static let untested = CandidateSelection(rawValue: 1)
    /// The default: the pairs with at least one secretome or function record of their own.
    public static let tested: CandidateSelection = []
}

/// Scores and ranks candidates of a knowledge base (DESIGN §5), with a full trace for every score.
///
/// Indexes the evidence once by activity and by component, so that evaluating a candidate reads only
/// the records that can reach the indication's activities.
public struct Recommender: Sendable {
    /// The knowledge base.
    public let knowledgeBase: KnowledgeBase
    /// The scoring model.
    public let model: ScoringModel
    private let functionsByActivity: [ActivityID: [FunctionRecord]]
    private let mechanismsByActivity: [ActivityID: [MechanismRecord]]
    private let secretomeByComponent: [ComponentID: [SecretomeRecord]]
    /// The tested candidates, sorted.
    public let testedCandidates: [Candidate]
    private let testedSet: Set<Candidate>

    /// Indexes a knowledge base. Complexity: O(n) in the number of records.
    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
        self.model = ScoringModel(policy: knowledgeBase.rules.policy)
        let evidence = knowledgeBase.evidence
        functionsByActivity = Dictionary(grouping: evidence.functions, by: \.activity)
        mechanismsByActivity = Dictionary(grouping: evidence.mechanisms, by: \.activity)
        secretomeByComponent = Dictionary(grouping: evidence.secretome, by: \.component)
        var tested = Set<Candidate>()
        for record in evidence.secretome where record.source != .anyMSC {
            tested.insert(Candidate(source: record.source, preconditioning: record.preconditioning))
        }
        for record in evidence.functions where record.source != .anyMSC {
            tested.insert(Candidate(source: record.source, preconditioning: record.preconditioning))
        }
        testedCandidates = tested.sorted()
        testedSet = tested
    }

    /// The candidates to rank: the tested pairs, or with `.untested` every declared source (but `any-msc`)
    /// × every declared pre-conditioning. Sorted by id.
    public func candidates(_ selection: CandidateSelection = .tested) -> [Candidate] {
        guard selection.contains(.untested) else { return testedCandidates }
        let vocabulary = knowledgeBase.rules.vocabulary
        var all: [Candidate] = []
        for source in vocabulary.sources.ids where source != .anyMSC {
            for pre in vocabulary.preconditionings.ids {
                all.append(Candidate(source: source, preconditioning: pre))
            }
        }
        return all.sorted()
    }

    /// Every non-zero contribution of the evidence to activity `activity` for candidate `c`, before
    /// de-duplication.
    public func contributions(to activity: ActivityID, for c: Candidate) -> [Contribution] {
        var result: [Contribution] = []
        for f in functionsByActivity[activity] ?? [] {
            if let contribution = model.directContribution(f, to: c) { result.append(contribution) }
        }
        for q in mechanismsByActivity[activity] ?? [] {
            for r in secretomeByComponent[q.component] ?? [] {
                if let contribution = model.viaComponentContribution(r, through: q, to: c) {
                    result.append(contribution)
                }
            }
        }
        return result
    }

    /// Evaluates candidate `c` for `indication`: the trace of every rule line, the score, eligibility.
    public func evaluate(_ c: Candidate, for indication: Indication) -> Evaluation {
        let activities = indication.lines.map { line in
            model.aggregate(contributions(to: line.activity, for: c), line: line, for: c)
        }
        let (numerator, denominator, score) = model.score(activities)
        let references = Set(activities.flatMap { $0.contributions.filter(\.isKept).map(\.reference) }).sorted()
        return Evaluation(
            indication: indication.id, candidate: c, isTested: testedSet.contains(c), activities: activities,
            numerator: numerator, denominator: denominator, score: score,
            ineligibilityReasons: model.ineligibilityReasons(activities, indication: indication, for: c),
            references: references)
    }

    /// Ranks the selected candidates for `indication`: eligible first, score descending, then the number of
    /// distinct references descending, then candidate id ascending.
    public func rank(_ indication: Indication, selection: CandidateSelection = .tested) -> Ranking {
        let evaluations = candidates(selection).map { evaluate($0, for: indication) }
        let sorted = evaluations.sorted(by: Recommender.ranksBefore)
        return Ranking(
            indication: indication,
            entries: sorted.enumerated().map { RankedCandidate(rank: $0.offset + 1, evaluation: $0.element) })
    }

    /// Ranks every indication, in indication-id order.
    public func rankAll(selection: CandidateSelection = .tested) -> [Ranking] {
        knowledgeBase.rules.indications.map { rank($0, selection: selection) }
    }

    /// The ranking order of DESIGN §5.
    public static func ranksBefore(_ a: Evaluation, _ b: Evaluation) -> Bool {
        if a.isEligible != b.isEligible { return a.isEligible }
        if a.score != b.score { return a.score > b.score }
        if a.references.count != b.references.count { return a.references.count > b.references.count }
        return a.candidate < b.candidate
    }
}
