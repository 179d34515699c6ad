import Dispatch
public import EvidenceModel
import Synchronization

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

    /// The tested candidates only, renumbered from 1: the ranking of the tested selection, since the ranking
    /// order is total and does not depend on which other candidates are ranked.
    public var tested: Ranking {
        let kept = entries.filter(\.evaluation.isTested).enumerated().map {
            RankedCandidate(rank: $0.offset + 1, evaluation: $0.element.evaluation)
        }
        return Ranking(indication: indication, entries: kept)
    }
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
/// The evidence is indexed once by (source, pre-conditioning) group: a candidate (s, p) can only be reached by
/// the records of the groups (s, p), (s, none), (any-msc, p), (any-msc, none) and (x, p) for any other source x,
/// so evaluating it reads those groups and nothing else. Within a group, function records are indexed by
/// activity and secretome records by component; mechanisms are indexed by activity and component.
public struct Recommender: Sendable {
    /// The knowledge base.
    public let knowledgeBase: KnowledgeBase
    /// The scoring model.
    public let model: ScoringModel

    /// The records of one (source, pre-conditioning).
    private struct Group: Sendable {
        var functions: [ActivityID: [FunctionRecord]] = [:]
        var secretome: [ComponentID: [SecretomeRecord]] = [:]
    }

    private struct GroupKey: Hashable, Sendable {
        var source: SourceID
        var preconditioning: PreconditioningID
    }

    private let groups: [GroupKey: Group]
    private let groupsByPreconditioning: [PreconditioningID: [GroupKey]]
    private let mechanismsByActivity: [ActivityID: [ComponentID: [MechanismRecord]]]
    /// Per activity and component, only the mechanisms that can win de-duplication: for each effect, the one of
    /// highest level weight (then lowest id). A secretome record's chains through the others have the same
    /// reference and sign and a smaller or equal value, so they are always dropped; ranking skips them.
    private let decisiveMechanisms: [ActivityID: [ComponentID: [MechanismRecord]]]
    /// The tested candidates, sorted.
    public let testedCandidates: [Candidate]
    private let testedSet: Set<Candidate>

    /// Indexes a knowledge base. Complexity: O(n) in the number of records.
    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
        self.model = ScoringModel(policy: knowledgeBase.rules.policy)
        let evidence = knowledgeBase.evidence
        var groups: [GroupKey: Group] = [:]
        for f in evidence.functions {
            groups[GroupKey(source: f.source, preconditioning: f.preconditioning), default: Group()]
                .functions[f.activity, default: []].append(f)
        }
        for r in evidence.secretome {
            groups[GroupKey(source: r.source, preconditioning: r.preconditioning), default: Group()]
                .secretome[r.component, default: []].append(r)
        }
        self.groups = groups
        groupsByPreconditioning = Dictionary(grouping: groups.keys, by: \.preconditioning)
        var mechanisms: [ActivityID: [ComponentID: [MechanismRecord]]] = [:]
        for q in evidence.mechanisms { mechanisms[q.activity, default: [:]][q.component, default: []].append(q) }
        mechanismsByActivity = mechanisms
        let policy = knowledgeBase.rules.policy
        decisiveMechanisms = mechanisms.mapValues { byComponent in
            byComponent.mapValues { links in
                Effect.allCases.compactMap { effect in
                    links.filter { $0.effect == effect }.min {
                        let (a, b) = (policy.weight(of: $0.level), policy.weight(of: $1.level))
                        return a != b ? a > b : $0.id < $1.id
                    }
                }
            }
        }
        let tested = Set(
            groups.keys.filter { $0.source != .anyMSC }.map {
                Candidate(source: $0.source, preconditioning: $0.preconditioning)
            })
        testedCandidates = tested.sorted()
        testedSet = tested
    }

    /// The groups whose records apply to `c` (DESIGN §5 applicability), each at most once.
    private func applicableGroups(for c: Candidate) -> [Group] {
        var keys: [GroupKey] = []
        if c.preconditioning != .none { keys += groupsByPreconditioning[c.preconditioning] ?? [] }
        keys.append(GroupKey(source: c.source, preconditioning: .none))
        if c.source != .anyMSC { keys.append(GroupKey(source: .anyMSC, preconditioning: .none)) }
        return keys.compactMap { groups[$0] }
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
        contributions(to: activity, for: c, in: applicableGroups(for: c))
    }

    private func contributions(
        to activity: ActivityID, for c: Candidate, in groups: [Group], everyMechanism: Bool = true
    ) -> [Contribution] {
        var result: [Contribution] = []
        let mechanisms = (everyMechanism ? mechanismsByActivity : decisiveMechanisms)[activity] ?? [:]
        for group in groups {
            for f in group.functions[activity] ?? [] {
                if let contribution = model.directContribution(f, to: c) { result.append(contribution) }
            }
            guard !mechanisms.isEmpty else { continue }
            // Walk whichever side is smaller: the group's components or the activity's mechanisms.
            if group.secretome.count <= mechanisms.count {
                for (component, records) in group.secretome {
                    guard let links = mechanisms[component] else { continue }
                    for r in records {
                        for q in links {
                            if let contribution = model.viaComponentContribution(r, through: q, to: c) {
                                result.append(contribution)
                            }
                        }
                    }
                }
            } else {
                for (component, links) in mechanisms {
                    guard let records = group.secretome[component] else { continue }
                    for r in records {
                        for q in links {
                            if let contribution = model.viaComponentContribution(r, through: q, to: c) {
                                result.append(contribution)
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Evaluates candidate `c` for `indication`: the trace of every rule line, the score, eligibility.
    public func evaluate(_ c: Candidate, for indication: Indication) -> Evaluation {
        evaluate(c, for: indication, keepingDropped: true)
    }

    /// Evaluates candidate `c`; with `keepingDropped` false the trace lists only kept contributions, which
    /// is all a ranking needs and far cheaper (scores, supports and eligibility are identical).
    public func evaluate(_ c: Candidate, for indication: Indication, keepingDropped: Bool) -> Evaluation {
        let groups = applicableGroups(for: c)
        let activities = indication.lines.map { line in
            model.aggregate(
                contributions(to: line.activity, for: c, in: groups, everyMechanism: keepingDropped), line: line,
                for: c, keepingDropped: keepingDropped)
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
    /// distinct references descending, then candidate id ascending. The traces of a ranking list the kept
    /// contributions only; ``evaluate(_:for:)`` gives a candidate's full trace.
    public func rank(_ indication: Indication, selection: CandidateSelection = .tested) -> Ranking {
        let evaluations = candidates(selection).map { evaluate($0, for: indication, keepingDropped: false) }
        let sorted = evaluations.sorted(by: Recommender.ranksBefore)
        return Ranking(
            indication: indication,
            entries: sorted.enumerated().map { RankedCandidate(rank: $0.offset + 1, evaluation: $0.element) })
    }

    /// Ranks every indication, in indication-id order, on all cores.
    public func rankAll(selection: CandidateSelection = .tested) -> [Ranking] {
        let indications = knowledgeBase.rules.indications
        let results = ConcurrentResults<Ranking>(count: indications.count)
        DispatchQueue.concurrentPerform(iterations: indications.count) { index in
            results.set(index, rank(indications[index], selection: selection))
        }
        return results.values
    }

    /// The ranking order of DESIGN §5.
    public static func ranksBefore(_ a: Evaluation, _ b: Evaluation) -> Bool {
        if a.isEligible != b.isEligible { return a.isEligible }
        if a.score != b.score { return a.score > b.score }
        if a.references.count != b.references.count { return a.references.count > b.references.count }
        return a.candidate < b.candidate
    }
}

/// Results written by concurrent iterations, each to its own slot, read after all have finished.
final class ConcurrentResults<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    init(count: Int) { slots = Mutex([Value?](repeating: nil, count: count)) }

    func set(_ index: Int, _ value: Value) { slots.withLock { $0[index] = value } }

    /// Every slot's value, in order; slots never set are skipped.
    var values: [Value] { slots.withLock { $0.compactMap { $0 } } }
}
