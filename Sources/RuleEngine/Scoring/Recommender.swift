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
/// ``evaluate(_:for:)`` from the records that can apply to it: the groups that the model's routes
/// (``Route/groups(reaching:)``) say can reach the candidate. Both paths give the same numbers (tested on the
/// shipped base and on random ones).
public struct Recommender: Sendable {
    /// The knowledge base.
    public let knowledgeBase: KnowledgeBase
    /// The scoring model.
    public let model: ScoringModel

    /// Positions grouped by (group, subject), where a group is a (source, pre-conditioning) and a subject an
    /// activity, a component or both: the positions of each group lie together, ordered by subject, then by
    /// position. Two stable counting sorts (subject, then group) place them, so memory grows with the positions
    /// and the groups, not with groups × subjects (40 sources × 60 pre-conditionings × 2,000 components would
    /// be 4.8 million keys).
    private struct RowIndex: Sendable {
        var rows: [Int32] = []
        /// Per row, its subject.
        var subjects: [Int32] = []
        /// Per group, where its rows start; `groupStarts[g + 1]` is where they end.
        var groupStarts: [Int] = [0]

        /// No positions (used where no trace is made).
        init() {}

        /// Groups positions 0..<count; `key` gives each position's group (< `groups`) and subject (< `subjects`),
        /// or `nil` to leave it out.
        init(groups: Int, subjects subjectCount: Int, count: Int, key: (Int) -> (group: Int, subject: Int)?) {
            var keys = [(group: Int32, subject: Int32)](repeating: (-1, -1), count: count)
            var subjectStarts = [Int](repeating: 0, count: subjectCount + 1)
            groupStarts = [Int](repeating: 0, count: groups + 1)
            var total = 0
            for position in 0..<count {
                guard let (group, subject) = key(position) else { continue }
                keys[position] = (Int32(truncatingIfNeeded: group), Int32(truncatingIfNeeded: subject))
                subjectStarts[subject + 1] += 1
                groupStarts[group + 1] += 1
                total += 1
            }
            for k in 0..<subjectCount { subjectStarts[k + 1] += subjectStarts[k] }
            for g in 0..<groups { groupStarts[g + 1] += groupStarts[g] }
            var bySubject = [Int32](repeating: 0, count: total)
            for position in 0..<count where keys[position].subject >= 0 {
                let subject = Int(keys[position].subject)
                bySubject[subjectStarts[subject]] = Int32(truncatingIfNeeded: position)
                subjectStarts[subject] += 1
            }
            var next = groupStarts
            rows = [Int32](repeating: 0, count: total)
            subjects = [Int32](repeating: 0, count: total)
            for position in bySubject {
                let (group, subject) = keys[Int(position)]
                rows[next[Int(group)]] = position
                subjects[next[Int(group)]] = subject
                next[Int(group)] += 1
            }
        }

        /// The positions of `group` and `subject`, in increasing order.
        func rows(group: Int, subject: Int) -> ArraySlice<Int32> {
            guard group + 1 < groupStarts.count else { return [] }
            let target = Int32(truncatingIfNeeded: subject)
            var (low, high) = (groupStarts[group], groupStarts[group + 1])
            while low < high {
                let middle = (low + high) / 2
                if subjects[middle] < target { low = middle + 1 } else { high = middle }
            }
            var end = low
            while end < groupStarts[group + 1], subjects[end] == target { end += 1 }
            return rows[low..<end]
        }
    }

    /// A component's mechanism records for one activity.
    private struct ComponentLinks: Sendable {
        /// The component's index in `symbols.components`.
        var component: Int
        var mechanisms: [MechanismRecord]
    }

    private let index: ScoreIndex
    /// Function rows by (source, pre-conditioning, activity); secretome rows by (source, pre-conditioning,
    /// component).
    private let functionRows: RowIndex
    private let secretomeRows: RowIndex
    /// The participating sides of comparisons, as row × 2 + side (0 subject, 1 comparator), by the side's
    /// (source, pre-conditioning) and the measure (an activity, or activities.count + a component).
    private let comparisonSides: RowIndex
    /// The sources (indexes) with at least one record or participating comparison side, per pre-conditioning
    /// (index), in order.
    private let sourcesByPreconditioning: [[Int]]
    private let mechanismsByActivity: [ActivityID: [ComponentID: [MechanismRecord]]]
    /// Per activity and component, only the mechanisms that can win de-duplication: for each effect, the one of
    /// highest level weight (then lowest id). A record's chains through the others have the same reference and
    /// sign and a smaller or equal value, so they are always dropped; kept-only traces skip them.
    private let decisiveMechanisms: [ActivityID: [ComponentID: [MechanismRecord]]]
    /// Both, per activity, as traces read them: by component id, with the component's index (sorted once
    /// here, not for every line of every trace).
    private let linksByActivity: [ActivityID: [ComponentLinks]]
    private let decisiveLinksByActivity: [ActivityID: [ComponentLinks]]
    private let sourceIndex: [SourceID: Int]
    private let preconditioningIndex: [PreconditioningID: Int]
    private let activityIndex: [ActivityID: Int]
    private let componentIndex: [ComponentID: Int]
    /// The tested candidates, sorted.
    public let testedCandidates: [Candidate]
    private let testedSet: Set<Candidate>

    /// Indexes a knowledge base. Complexity: O(n log n) in the number of records.
    public init(knowledgeBase: KnowledgeBase) {
        self.init(knowledgeBase: knowledgeBase, scoring: nil)
    }

    /// With `scoring`, a recommender that can rank only indications whose activities are among those, and
    /// cannot trace: its index has no lists for other activities and it keeps no rows for traces. What a
    /// sensitivity analysis builds for each perturbed run.
    init(knowledgeBase: KnowledgeBase, scoring: Set<ActivityID>?) {
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
        componentIndex = indexes(symbols.components)
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
        let componentIndex = self.componentIndex
        func links(_ byActivity: [ActivityID: [ComponentID: [MechanismRecord]]]) -> [ActivityID: [ComponentLinks]] {
            byActivity.mapValues { byComponent in
                byComponent.sorted { $0.key < $1.key }.compactMap { component, mechanisms in
                    componentIndex[component].map { ComponentLinks(component: $0, mechanisms: mechanisms) }
                }
            }
        }
        linksByActivity = scoring == nil ? links(mechanismsByActivity) : [:]
        decisiveLinksByActivity = scoring == nil ? links(decisiveMechanisms) : [:]
        index = ScoreIndex(
            evidence: evidence, model: model, decisiveMechanisms: decisiveMechanisms,
            scoring: scoring.map { wanted in symbols.activities.map { wanted.contains($0) } })

        let (sources, pres, activities, components) = (
            symbols.sources.count, symbols.preconditionings.count, symbols.activities.count, symbols.components.count
        )
        func rowIndex(_ table: PackedSampleTable, subjects: Int) -> RowIndex {
            RowIndex(groups: sources * pres, subjects: subjects, count: table.rows.count) { position in
                let row = table.rows[position]
                return (Int(row.source) * pres + Int(row.preconditioning), Int(row.subject))
            }
        }
        // Rows for traces; a recommender for ranking only has none.
        functionRows = scoring == nil ? rowIndex(evidence.functions.table, subjects: activities) : RowIndex()
        secretomeRows = scoring == nil ? rowIndex(evidence.secretome.table, subjects: components) : RowIndex()
        var present = [Bool](repeating: false, count: sources * pres)
        var isTested = [Bool](repeating: false, count: sources * pres)
        func note(_ source: UInt32, _ pre: UInt32, participates: Bool) {
            let group = Int(source) * pres + Int(pre)
            if participates { present[group] = true }
            isTested[group] = true
        }
        for table in [evidence.functions.table, evidence.secretome.table] {
            for row in table.rows { note(row.source, row.preconditioning, participates: true) }
        }
        // Every side of a comparison is a tested candidate; only the sides that take part reach candidates.
        let none = symbols.preconditionings.firstIndex(of: .none).map { UInt32($0) }
        let comparisons = evidence.comparisons.table.rows
        func side(_ position: Int) -> (source: UInt32, preconditioning: UInt32, participates: Bool) {
            let row = comparisons[position / 2]
            let isSubject = ComparisonSide.allCases[position % 2] == .subject
            let (source, pre) =
                isSubject ? (row.source, row.preconditioning) : (row.versusSource, row.versusPreconditioning)
            let contrast = Contrast(sameSource: row.source == row.versusSource)
            return (source, pre, ScoringModel.takesPart(in: contrast, isBaseline: pre == none))
        }
        for position in 0..<comparisons.count * 2 {
            let (source, pre, participates) = side(position)
            note(source, pre, participates: participates)
        }
        comparisonSides = RowIndex(
            groups: sources * pres, subjects: activities + components,
            count: scoring == nil ? comparisons.count * 2 : 0
        ) {
            let (source, pre, participates) = side($0)
            guard participates else { return nil }
            let row = comparisons[$0 / 2]
            let measure = Int(row.measure) + (row.measuresComponent ? activities : 0)
            return (Int(source) * pres + Int(pre), measure)
        }
        sourcesByPreconditioning = (0..<pres).map { p in (0..<sources).filter { present[$0 * pres + p] } }
        let anyMSC = symbols.sources.firstIndex(of: .anyMSC)
        let tested = isTested.indices.filter { isTested[$0] && $0 / pres != anyMSC }.map {
            Candidate(source: symbols.sources[$0 / pres], preconditioning: symbols.preconditionings[$0 % pres])
        }
        testedCandidates = tested.sorted()
        testedSet = Set(tested)
    }

    /// The groups whose evidence can reach `c` (the model's routes), each at most once, as indexes
    /// source × pre-conditionings + pre-conditioning.
    private func applicableGroups(for c: Candidate) -> [Int] {
        let pres = knowledgeBase.evidence.symbols.preconditionings.count
        guard let s = sourceIndex[c.source], let p = preconditioningIndex[c.preconditioning] else { return [] }
        var groups: [Int] = []
        for route in Route.allCases {
            if let reaching = route.groups(reaching: c) {
                for group in reaching {
                    if let source = sourceIndex[group.source], let pre = preconditioningIndex[group.preconditioning] {
                        groups.append(source * pres + pre)
                    }
                }
            } else {
                groups += sourcesByPreconditioning[p].filter { $0 != s }.map { $0 * pres + p }
            }
        }
        return groups
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

    /// The contributions of the records in `groups`; with `references`, only of records citing one of them
    /// (indexes into `symbols.references`), which are the only ones made.
    private func contributions(
        to activity: ActivityID, for c: Candidate, in groups: [Int], everyMechanism: Bool = true,
        references: Set<UInt32>? = nil
    ) -> [Contribution] {
        var result: [Contribution] = []
        let evidence = knowledgeBase.evidence
        let symbols = evidence.symbols
        let (functionTable, secretomeTable, comparisonTable) = (
            evidence.functions.table.rows, evidence.secretome.table.rows, evidence.comparisons.table.rows
        )
        func cited(_ reference: UInt32) -> Bool { references?.contains(reference) ?? true }
        let (activities, components) = (symbols.activities.count, symbols.components.count)
        let mechanisms = (everyMechanism ? linksByActivity : decisiveLinksByActivity)[activity] ?? []
        let a = activityIndex[activity]
        for base in groups {
            if let a {
                for row in functionRows.rows(group: base, subject: a) where cited(functionTable[Int(row)].reference) {
                    if let contribution = model.directContribution(evidence.functions[Int(row)], to: c) {
                        result.append(contribution)
                    }
                }
                for side in comparisonSides.rows(group: base, subject: a)
                where cited(comparisonTable[Int(side) / 2].reference) {
                    if let contribution = model.comparativeContribution(
                        evidence.comparisons[Int(side) / 2], side: ComparisonSide.allCases[Int(side) % 2], to: c)
                    {
                        result.append(contribution)
                    }
                }
            }
            for link in mechanisms {
                let (k, links) = (link.component, link.mechanisms)
                for row in secretomeRows.rows(group: base, subject: k) where cited(secretomeTable[Int(row)].reference) {
                    let r = evidence.secretome[Int(row)]
                    for q in links {
                        if let contribution = model.viaComponentContribution(r, through: q, to: c) {
                            result.append(contribution)
                        }
                    }
                }
                for side in comparisonSides.rows(group: base, subject: activities + k)
                where cited(comparisonTable[Int(side) / 2].reference) {
                    let x = evidence.comparisons[Int(side) / 2]
                    for q in links {
                        if let contribution = model.comparativeContribution(
                            x, side: ComparisonSide.allCases[Int(side) % 2], through: q, to: c)
                        {
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
        let best = model.bestOwnLevel(activities, for: c)
        return Evaluation(
            indication: indication.id, candidate: c, isTested: testedSet.contains(c), activities: activities,
            numerator: numerator, denominator: denominator, score: score,
            ineligibilityReasons: model.ineligibilityReasons(activities, indication: indication, bestOwnLevel: best),
            bestOwnLevel: best?.level, references: references, referenceCount: references.count, isTraced: true)
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

    /// `ranking` with the references of its first `count` entries (all when `nil`) filled in: the distinct
    /// references of each candidate's kept contributions, sorted by id, read from the score index without
    /// building traces. The numbers are the ranking's.
    public func referencing(_ ranking: Ranking, first count: Int? = nil) -> Ranking {
        var result = ranking
        let shown = ranking.entries.prefix(count ?? ranking.entries.count).map(\.evaluation.candidate)
        let references = knowledgeBase.evidence.symbols.references
        for (offset, list) in referenceIndexes(of: shown, for: ranking.indication).enumerated() {
            result.entries[offset].evaluation.references = list.map { references[Int($0)] }
        }
        return result
    }

    /// For each of `candidates`, the distinct references of its kept contributions to `indication`'s
    /// activities, as indexes into `knowledgeBase.evidence.symbols.references`, sorted by reference id: what
    /// ``evaluate(_:for:)`` lists as `references`, read from the score index without building contributions.
    /// Computed on all cores.
    public func referenceIndexes(of candidates: [Candidate], for indication: Indication) -> [[Int32]] {
        let activities = indication.lines.compactMap { activityIndex[$0.activity] }
        let distinct = activities.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        let chunkCount = max(1, min(candidates.count, 16))
        return ConcurrentResults<[[Int32]]>.map(chunkCount) { chunk in
            var scratch = ScoreScratch(references: index.referenceCount, activities: distinct.count)
            let range = (candidates.count * chunk / chunkCount)..<(candidates.count * (chunk + 1) / chunkCount)
            return candidates[range].map { c in
                guard let s = sourceIndex[c.source], let p = preconditioningIndex[c.preconditioning] else { return [] }
                return index.references(
                    index.reads(c, source: s, preconditioning: p), activities: distinct, scratch: &scratch)
            }
        }.flatMap { $0 }
    }

    /// Ranks every indication, in indication-id order, on all cores.
    public func rankAll(selection: CandidateSelection = .tested) -> [Ranking] {
        rank(knowledgeBase.rules.indications, selection: selection)
    }

    /// Evaluates candidate `c` for `indication` with the numbers of the score index (exactly those of
    /// ``evaluate(_:for:)``) and a trace that lists, per rule line, only the first `limit` kept contributions of
    /// each harmonic sum (P, N, W, L), with their ranks in it; `keptCounts` says how many each sum has. Only
    /// the records of the listed references are read into contributions, so a trace costs little however much
    /// evidence reaches the candidate: what a report shows. No dropped or `similar` contribution is listed.
    public func evaluate(_ c: Candidate, for indication: Indication, keptPerSum limit: Int) -> Evaluation {
        var distinct: [Int] = []
        for line in indication.lines {
            if let a = activityIndex[line.activity], !distinct.contains(a) { distinct.append(a) }
        }
        let position = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($0.element, $0.offset) })
        let groups = applicableGroups(for: c)
        var scratch = ScoreScratch(references: index.referenceCount, activities: distinct.count)
        let scored = sourceIndex[c.source].flatMap { s in
            preconditioningIndex[c.preconditioning].map { p in
                index.score(
                    index.reads(c, source: s, preconditioning: p), activities: distinct,
                    indications: [Array(distinct.indices)], keeping: max(1, limit), scratch: &scratch)
            }
        }
        let references = knowledgeBase.evidence.symbols.references
        var best: ScoringModel.OwnLevel?
        let activities = indication.lines.map { line in
            let slot = activityIndex[line.activity].flatMap { position[$0] }
            let score = slot.flatMap { scored?.activities[$0] } ?? ActivityScore()
            noteOwnLevel(of: score, line: line, into: &best)
            // The kept contributions listed: per harmonic sum, those of its first `limit` references.
            let lists = slot.flatMap { scored?.kept[$0] } ?? []
            let listed = lists.map { Set($0.prefix(limit).map { references[Int($0)] }) }
            let cited = Set(lists.flatMap { $0.prefix(limit) })
            let made =
                cited.isEmpty
                ? []
                : contributions(to: line.activity, for: c, in: groups, everyMechanism: false, references: cited)
                    .filter { x in
                        guard x.status != .similar, x.value != 0, lists.count == 4 else { return false }
                        return listed[(x.kind == .absolute ? 0 : 2) + (x.value > 0 ? 0 : 1)].contains(x.reference)
                    }
            let kept = model.aggregate(made, line: line, for: c, keepingDropped: false).contributions
            return model.trace(
                line, contributions: kept, positive: score.positive, negative: score.negative, won: score.won,
                lost: score.lost)
        }
        return evaluation(
            c, for: indication, activities: activities, bestOwnLevel: best,
            referenceCount: scored?.references.first ?? 0, isTraced: true)
    }

    /// Ranks `indications`, in the order given: each candidate's activities are scored once for all of them,
    /// candidates on all cores.
    public func rank(_ indications: [Indication], selection: CandidateSelection = .tested) -> [Ranking] {
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
        // Each chunk's evaluations by indication, so that each indication's can be taken, and released, in turn.
        let results = ConcurrentResults<[[Evaluation]]>(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            var scratch = ScoreScratch(references: index.referenceCount, activities: needed.count)
            let range = (candidates.count * chunk / chunkCount)..<(candidates.count * (chunk + 1) / chunkCount)
            var byIndication = indications.map { _ in [Evaluation]() }
            for index in byIndication.indices { byIndication[index].reserveCapacity(range.count) }
            for c in candidates[range] {
                let scored =
                    sourceIndex[c.source].flatMap { s in
                        preconditioningIndex[c.preconditioning].map { p in
                            index.score(
                                index.reads(c, source: s, preconditioning: p), activities: needed,
                                indications: slots, scratch: &scratch)
                        }
                    }
                    ?? (activities: needed.map { _ in ActivityScore() }, references: slots.map { _ in 0 }, kept: [])
                for (offset, indication) in indications.enumerated() {
                    byIndication[offset].append(
                        summary(
                            c, for: indication, scores: scored.activities, position: position,
                            referenceCount: scored.references[offset]))
                }
            }
            results.set(chunk, byIndication)
        }
        var chunks = results.values
        return indications.enumerated().map { offset, indication in
            var evaluations: [Evaluation] = []
            evaluations.reserveCapacity(candidates.count)
            for chunk in chunks.indices {
                evaluations += chunks[chunk][offset]
                chunks[chunk][offset] = []
            }
            // Sorting positions, not evaluations: an evaluation is large, and moving it is most of a sort.
            let order = evaluations.indices.sorted { Recommender.ranksBefore(evaluations[$0], evaluations[$1]) }
            return Ranking(
                indication: indication,
                entries: order.enumerated().map {
                    RankedCandidate(rank: $0.offset + 1, evaluation: evaluations[$0.element])
                })
        }
    }

    /// The untraced evaluations of `candidates` for `indication` without the function, secretome and
    /// comparison records citing reference `excluded` (an index into `symbols.references`): exactly what ranking
    /// that reduced evidence gives them, provided its mechanisms decide no link (``decisiveLinkReferences(for:)``).
    func evaluate(_ candidates: [Candidate], for indication: Indication, excluding excluded: Int) -> [Evaluation] {
        var needed: [Int] = []
        for line in indication.lines {
            if let a = activityIndex[line.activity], !needed.contains(a) { needed.append(a) }
        }
        let position = Dictionary(uniqueKeysWithValues: needed.enumerated().map { ($0.element, $0.offset) })
        var scratch = ScoreScratch(references: index.referenceCount, activities: needed.count)
        return candidates.map { c in
            guard let s = sourceIndex[c.source], let p = preconditioningIndex[c.preconditioning] else {
                return summary(
                    c, for: indication, scores: needed.map { _ in ActivityScore() }, position: position,
                    referenceCount: 0)
            }
            let scored = index.score(
                index.reads(c, source: s, preconditioning: p), activities: needed,
                indications: [Array(needed.indices)], excluding: excluded, scratch: &scratch)
            return summary(
                c, for: indication, scores: scored.activities, position: position,
                referenceCount: scored.references.first ?? 0)
        }
    }

    /// The references (indexes into `symbols.references`) whose removal changes the weight of a mechanism link
    /// that `indication`'s activities use: per (component, activity, effect), the only reference citing a
    /// mechanism of the highest level weight. Without any other reference, the links keep their weights (a
    /// link's decisive mechanism may change, but not its weight), so every contribution keeps its value.
    func decisiveLinkReferences(for indication: Indication) -> Set<Int> {
        let activities = Set(indication.lines.map(\.activity))
        let policy = knowledgeBase.rules.policy
        var top: [String: (weight: Double, references: Set<ReferenceID>)] = [:]
        for q in knowledgeBase.evidence.mechanisms where activities.contains(q.activity) {
            let key = "\(q.component.rawValue)\u{0}\(q.activity.rawValue)\u{0}\(q.effect.rawValue)"
            let weight = policy.weight(of: q.level)
            if let current = top[key], current.weight > weight { continue }
            if let current = top[key], current.weight == weight {
                top[key]?.references.insert(q.reference)
            } else {
                top[key] = (weight, [q.reference])
            }
        }
        let singles = Set(top.values.filter { $0.references.count == 1 }.compactMap(\.references.first))
        let references = knowledgeBase.evidence.symbols.references
        return Set(references.indices.filter { singles.contains(references[$0]) })
    }

    /// A candidate's untraced evaluation from its activity scores.
    private func summary(
        _ c: Candidate, for indication: Indication, scores: [ActivityScore], position: [Int: Int], referenceCount: Int
    ) -> Evaluation {
        var best: ScoringModel.OwnLevel?
        let activities = indication.lines.map { line in
            let score = activityIndex[line.activity].flatMap { position[$0] }.map { scores[$0] } ?? ActivityScore()
            noteOwnLevel(of: score, line: line, into: &best)
            return model.trace(
                line, contributions: [], positive: score.positive, negative: score.negative, won: score.won,
                lost: score.lost)
        }
        return evaluation(
            c, for: indication, activities: activities, bestOwnLevel: best, referenceCount: referenceCount,
            isTraced: false)
    }

    /// Folds the best own kept positive absolute level of an activity's `score` into `best`, if `line` counts
    /// for `minimum-level` (the model says which lines do).
    private func noteOwnLevel(of score: ActivityScore, line: RuleLine, into best: inout ScoringModel.OwnLevel?) {
        guard model.countsForMinimumLevel(line), score.bestOwnLevel >= 0 else { return }
        let level = knowledgeBase.evidence.symbols.levels[Int(score.bestOwnLevel)]
        let own = ScoringModel.OwnLevel(weight: model.policy.weight(of: level), level: level)
        if own.isBetter(than: best) { best = own }
    }

    /// The evaluation of `c` from its lines' traces, with the model's score and eligibility; its references are
    /// counted, not listed.
    private func evaluation(
        _ c: Candidate, for indication: Indication, activities: [ActivityTrace],
        bestOwnLevel best: ScoringModel.OwnLevel?,
        referenceCount: Int, isTraced: Bool
    ) -> Evaluation {
        let (numerator, denominator, score) = model.score(activities)
        return Evaluation(
            indication: indication.id, candidate: c, isTested: testedSet.contains(c), activities: activities,
            numerator: numerator, denominator: denominator, score: score,
            ineligibilityReasons: model.ineligibilityReasons(activities, indication: indication, bestOwnLevel: best),
            bestOwnLevel: best?.level, references: [], referenceCount: referenceCount, isTraced: isTraced)
    }

    /// The ranking order of DESIGN §5.
    public static func ranksBefore(_ a: Evaluation, _ b: Evaluation) -> Bool {
        if a.isEligible != b.isEligible { return a.isEligible }
        if a.score != b.score { return a.score > b.score }
        if a.referenceCount != b.referenceCount { return a.referenceCount > b.referenceCount }
        return a.candidate < b.candidate
    }
}
