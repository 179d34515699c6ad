import Dispatch
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

/// Scores and ranks candidates of a knowledge base (DESIGN §5).
///
/// Rankings come from a ``ScoreIndex``: every candidate's supports, score, eligibility and reference count,
/// computed from sorted lists shared between candidates, without building contributions. A candidate's
/// full trace — every contribution, kept or dropped, with its multipliers — is built on demand by
/// ``evaluate(_:for:)`` from the records that can apply to it: a candidate (s, p) can only be reached by the
/// records of the groups (s, p), (s, none), (any-msc, p), (any-msc, none) and (x, p) for any other source x.
/// Both paths give the same numbers (tested on the shipped base and on random ones).
public struct Recommender: Sendable {
    /// The knowledge base.
    public let knowledgeBase: KnowledgeBase
    /// The scoring model.
    public let model: ScoringModel

    /// Row indexes of a packed table grouped by (source, pre-conditioning, subject), by a counting sort:
    /// the rows of one key are `rows[starts[key]..<starts[key + 1]]`.
    private struct RowIndex: Sendable {
        var rows: [Int32] = []
        var starts: [Int] = [0]

        init(_ table: PackedSampleTable, subjects: Int, preconditionings: Int, sources: Int) {
            let keyCount = sources * preconditionings * subjects
            func key(_ row: PackedSample) -> Int {
                (Int(row.source) * preconditionings + Int(row.preconditioning)) * subjects + Int(row.subject)
            }
            starts = [Int](repeating: 0, count: keyCount + 1)
            for row in table.rows { starts[key(row) + 1] += 1 }
            for k in 0..<keyCount { starts[k + 1] += starts[k] }
            var next = starts
            rows = [Int32](repeating: 0, count: table.rows.count)
            for (index, row) in table.rows.enumerated() {
                rows[next[key(row)]] = Int32(index)
                next[key(row)] += 1
            }
        }

        func rows(_ key: Int) -> ArraySlice<Int32> { rows[starts[key]..<starts[key + 1]] }
    }

    private struct GroupKey: Hashable, Sendable {
        var source: Int
        var preconditioning: Int
    }

    private let index: ScoreIndex
    private let functionRows: RowIndex
    private let secretomeRows: RowIndex
    /// The (source, pre-conditioning) pairs with at least one record, by pre-conditioning.
    private let groupsByPreconditioning: [Int: [GroupKey]]
    private let groupKeys: Set<GroupKey>
    private let mechanismsByActivity: [ActivityID: [ComponentID: [MechanismRecord]]]
    /// Per activity and component, only the mechanisms that can win de-duplication: for each effect, the one of
    /// highest level weight (then lowest id). A secretome record's chains through the others have the same
    /// reference and sign and a smaller or equal value, so they are always dropped; kept-only traces skip them.
    private let decisiveMechanisms: [ActivityID: [ComponentID: [MechanismRecord]]]
    private let sourceIndex: [SourceID: Int]
    private let preconditioningIndex: [PreconditioningID: Int]
    private let activityIndex: [ActivityID: Int]
    private let componentIndex: [ComponentID: UInt32]
    /// The tested candidates, sorted.
    public let testedCandidates: [Candidate]
    private let testedSet: Set<Candidate>

    /// Indexes a knowledge base. Complexity: O(n log n) in the number of records.
    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
        self.model = ScoringModel(policy: knowledgeBase.rules.policy)
        let evidence = knowledgeBase.evidence
        let symbols = evidence.symbols
        func indexes<Kind>(_ ids: [Identifier<Kind>]) -> [Identifier<Kind>: Int] {
            Dictionary(ids.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        sourceIndex = indexes(symbols.sources)
        preconditioningIndex = indexes(symbols.preconditionings)
        activityIndex = indexes(symbols.activities)
        componentIndex = indexes(symbols.components).mapValues { UInt32($0) }
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
        index = ScoreIndex(evidence: evidence, model: model, decisiveMechanisms: decisiveMechanisms)
        let (sources, pres) = (symbols.sources.count, symbols.preconditionings.count)
        functionRows = RowIndex(
            evidence.functions.table, subjects: symbols.activities.count, preconditionings: pres, sources: sources)
        secretomeRows = RowIndex(
            evidence.secretome.table, subjects: symbols.components.count, preconditionings: pres, sources: sources)
        var groupKeys = Set<GroupKey>()
        for table in [evidence.functions.table, evidence.secretome.table] {
            for row in table.rows {
                groupKeys.insert(GroupKey(source: Int(row.source), preconditioning: Int(row.preconditioning)))
            }
        }
        self.groupKeys = groupKeys
        groupsByPreconditioning = Dictionary(grouping: groupKeys, by: \.preconditioning)
        let anyMSC = index.anyMSC
        let tested = Set(
            groupKeys.filter { $0.source != anyMSC }.map {
                Candidate(
                    source: symbols.sources[$0.source], preconditioning: symbols.preconditionings[$0.preconditioning])
            })
        testedCandidates = tested.sorted()
        testedSet = tested
    }

    /// The groups whose records apply to `c` (DESIGN §5 applicability), each at most once.
    private func applicableGroups(for c: Candidate) -> [GroupKey] {
        guard let s = sourceIndex[c.source], let p = preconditioningIndex[c.preconditioning] else { return [] }
        var keys: [GroupKey] = []
        if p != index.none { keys += groupsByPreconditioning[p] ?? [] }
        keys.append(GroupKey(source: s, preconditioning: index.none))
        if s != index.anyMSC { keys.append(GroupKey(source: index.anyMSC, preconditioning: index.none)) }
        return keys.filter { groupKeys.contains($0) }
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
        to activity: ActivityID, for c: Candidate, in groups: [GroupKey], everyMechanism: Bool = true
    ) -> [Contribution] {
        var result: [Contribution] = []
        let evidence = knowledgeBase.evidence
        let symbols = evidence.symbols
        let (pres, activities, components) = (
            symbols.preconditionings.count, symbols.activities.count, symbols.components.count
        )
        let mechanisms = ((everyMechanism ? mechanismsByActivity : decisiveMechanisms)[activity] ?? [:])
            .sorted { $0.key < $1.key }
        for group in groups {
            let base = group.source * pres + group.preconditioning
            if let a = activityIndex[activity] {
                for row in functionRows.rows(base * activities + a) {
                    if let contribution = model.directContribution(evidence.functions[Int(row)], to: c) {
                        result.append(contribution)
                    }
                }
            }
            for (component, links) in mechanisms {
                guard let k = componentIndex[component] else { continue }
                for row in secretomeRows.rows(base * components + Int(k)) {
                    let r = evidence.secretome[Int(row)]
                    for q in links {
                        if let contribution = model.viaComponentContribution(r, through: q, to: c) {
                            result.append(contribution)
                        }
                    }
                }
            }
        }
        return result
    }

    /// Evaluates candidate `c` for `indication`: the trace of every rule line (every contribution, kept or
    /// dropped), the score, eligibility.
    public func evaluate(_ c: Candidate, for indication: Indication) -> Evaluation {
        evaluate(c, for: indication, keepingDropped: true)
    }

    /// Evaluates candidate `c`; with `keepingDropped` false the trace lists only the kept contributions — what
    /// a shortlist's references and a report's traces need, and far cheaper (the numbers are identical).
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
            references: references, referenceCount: references.count, isTraced: true)
    }

    /// Ranks the selected candidates for `indication`: eligible first, score descending, then the number of
    /// distinct references descending, then candidate id ascending. A ranking's evaluations carry the
    /// numbers, not the contributions; ``evaluate(_:for:)`` gives a candidate's full trace.
    public func rank(_ indication: Indication, selection: CandidateSelection = .tested) -> Ranking {
        rank([indication], selection: selection)[0]
    }

    /// `ranking` with the evaluations of its first `count` entries (all when `nil`) traced: the same numbers,
    /// with their kept contributions and references (``evaluate(_:for:keepingDropped:)`` without the dropped
    /// ones), computed on all cores.
    public func tracing(_ ranking: Ranking, first count: Int? = nil) -> Ranking {
        var traced = ranking
        let candidates = ranking.entries.prefix(count ?? ranking.entries.count).map(\.evaluation.candidate)
        let evaluations = ConcurrentResults<Evaluation>.map(candidates.count) {
            evaluate(candidates[$0], for: ranking.indication, keepingDropped: false)
        }
        for (index, evaluation) in evaluations.enumerated() { traced.entries[index].evaluation = evaluation }
        return traced
    }

    /// Ranks every indication, in indication-id order, on all cores.
    public func rankAll(selection: CandidateSelection = .tested) -> [Ranking] {
        rank(knowledgeBase.rules.indications, selection: selection)
    }

    /// Ranks `indications`: each candidate's activities are scored once for all of them, candidates in
    /// parallel.
    private func rank(_ indications: [Indication], selection: CandidateSelection) -> [Ranking] {
        let candidates = candidates(selection)
        var activities: [Int] = []
        for line in indications.flatMap(\.lines) {
            if let a = activityIndex[line.activity], !activities.contains(a) { activities.append(a) }
        }
        let needed = activities
        let position = Dictionary(uniqueKeysWithValues: needed.enumerated().map { ($0.element, $0.offset) })
        let slots = indications.map { indication in
            indication.lines.compactMap { activityIndex[$0.activity].flatMap { position[$0] } }
        }
        // Chunks of candidates, several per core so that uneven candidates still balance.
        let chunkCount = max(1, min(candidates.count, 16))
        let results = ConcurrentResults<[[Evaluation]]>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var scratch = ScoreScratch(references: index.referenceCount, activities: needed.count)
            let range = (candidates.count * chunk / chunkCount)..<(candidates.count * (chunk + 1) / chunkCount)
            results.set(
                chunk,
                candidates[range].map { c in
                    let scored =
                        sourceIndex[c.source].flatMap { s in
                            preconditioningIndex[c.preconditioning].map { p in
                                index.score(
                                    source: s, preconditioning: p, activities: needed, indications: slots,
                                    model: model, scratch: &scratch)
                            }
                        }
                        ?? (activities: needed.map { _ in ActivityScore() }, references: slots.map { _ in 0 })
                    return indications.enumerated().map { offset, indication in
                        summary(
                            c, for: indication, scores: scored.activities, position: position,
                            referenceCount: scored.references[offset])
                    }
                })
        }
        let byCandidate = results.values.flatMap { $0 }
        return indications.enumerated().map { offset, indication in
            // Sorting positions, not evaluations: an evaluation is large, and moving it is most of a sort.
            let evaluations = byCandidate.map { $0[offset] }
            let sorted = evaluations.indices.sorted { Recommender.ranksBefore(evaluations[$0], evaluations[$1]) }
                .map { evaluations[$0] }
            return Ranking(
                indication: indication,
                entries: sorted.enumerated().map { RankedCandidate(rank: $0.offset + 1, evaluation: $0.element) })
        }
    }

    /// A candidate's untraced evaluation from its activity scores.
    private func summary(
        _ c: Candidate, for indication: Indication, scores: [ActivityScore], position: [Int: Int], referenceCount: Int
    ) -> Evaluation {
        let levels = knowledgeBase.evidence.symbols.levels
        var best: (weight: Double, level: Int)?
        let activities = indication.lines.map { line in
            let score = activityIndex[line.activity].flatMap { position[$0] }.map { scores[$0] } ?? ActivityScore()
            if line.kind != .avoids, score.bestOwnLevel >= 0 {
                let level = Int(score.bestOwnLevel)
                let weight = model.policy.weight(of: levels[level])
                if best.map({ weight > $0.weight || (weight == $0.weight && level < $0.level) }) ?? true {
                    best = (weight, level)
                }
            }
            let support = score.positive - score.negative
            return ActivityTrace(
                line: line, contributions: [], positive: score.positive, negative: score.negative, support: support,
                isContested: score.isContested, term: model.term(line, support: support))
        }
        let (numerator, denominator, score) = model.score(activities)
        return Evaluation(
            indication: indication.id, candidate: c, isTested: testedSet.contains(c), activities: activities,
            numerator: numerator, denominator: denominator, score: score,
            ineligibilityReasons: model.ineligibilityReasons(
                activities, indication: indication, bestOwnLevel: best.map { ($0.weight, levels[$0.level]) }),
            references: [], referenceCount: referenceCount, isTraced: false)
    }

    /// The ranking order of DESIGN §5.
    public static func ranksBefore(_ a: Evaluation, _ b: Evaluation) -> Bool {
        if a.isEligible != b.isEligible { return a.isEligible }
        if a.score != b.score { return a.score > b.score }
        if a.referenceCount != b.referenceCount { return a.referenceCount > b.referenceCount }
        return a.candidate < b.candidate
    }
}
