import Dispatch
public import EvidenceModel
import Synchronization

/// How a sensitivity analysis perturbs the rules.
public struct SensitivityOptions: Sendable, Hashable {
    /// The number of perturbed runs.
    public var runs: Int
    /// The seed of the perturbations: the same seed gives the same runs.
    public var seed: UInt64
    /// Each value is multiplied by a factor drawn uniformly from [1 − spread, 1 + spread]; in [0, 0.99].
    public var spread: Double
    /// The length of the shortlist whose stability is measured (top k).
    public var top: Int

    /// Options; the defaults are 100 runs, seed 1, ±25 % and the top 3. A spread outside [0, 0.99] is
    /// clamped, so that every perturbed weight stays positive.
    public init(runs: Int = 100, seed: UInt64 = 1, spread: Double = 0.25, top: Int = 3) {
        self.runs = runs
        self.seed = seed
        self.spread = min(max(spread, 0), 0.99)
        self.top = top
    }
}

/// One perturbed run: the values it used and the ranks they gave.
public struct SensitivityRun: Sendable, Hashable {
    /// Every perturbed value, as overrides (`--set` reproduces the run).
    public var overrides: [Override]
    /// Each candidate's rank, in the order of ``SensitivityReport/candidates``.
    public var ranks: [Int]
    /// Whether each candidate is eligible, in the same order.
    public var eligible: [Bool]
}

/// One candidate's stability.
public struct CandidateStability: Sendable, Hashable {
    /// The candidate's entry in the unperturbed ranking.
    public var baseline: RankedCandidate
    /// The best and worst rank over the perturbed runs.
    public var perturbedRanks: ClosedRange<Int>
    /// In how many perturbed runs it ranks within the top k.
    public var topCount: Int
    /// In how many perturbed runs it is eligible.
    public var eligibleCount: Int
    /// The best and worst rank over the leave-one-reference-out runs in which it is still a candidate.
    public var leaveOneOutRanks: ClosedRange<Int>
    /// In how many leave-one-reference-out runs it is no longer a candidate (no record of its own left).
    public var leaveOneOutAbsent: Int
}

/// A reference whose removal changes the top k.
public struct ReferenceEffect: Sendable, Hashable {
    /// The reference whose records (secretome, function, mechanism) were removed.
    public var reference: ReferenceID
    /// The top k without them.
    public var top: [Candidate]
}

/// The stability of an indication's ranking under perturbed rules and under leave-one-reference-out.
public struct SensitivityReport: Sendable, Hashable {
    /// The indication.
    public var indication: Indication
    /// The options.
    public var options: SensitivityOptions
    /// The names perturbed: every policy value and the indication's rule weights, sorted.
    public var perturbedNames: [String]
    /// The perturbed runs, in run order.
    public var runs: [SensitivityRun]
    /// Every candidate, in the unperturbed ranking's order.
    public var candidates: [CandidateStability]
    /// The references whose records can reach the indication's activities, each left out in turn, sorted.
    public var referencesLeftOut: [ReferenceID]
    /// The references whose removal changes the top k (order included), sorted.
    public var topChangingReferences: [ReferenceEffect]

    /// The unperturbed top k.
    public var top: [Candidate] { candidates.prefix(options.top).map(\.baseline.evaluation.candidate) }
}

extension Recommender {
    /// The stability of `indication`'s ranking of the tested candidates.
    ///
    /// - Perturbed runs: in run i, every policy value (level and product weights, discounts, minimum
    ///   support) and every rule weight of the indication is multiplied by its own factor drawn uniformly from
    ///   [1 − spread, 1 + spread] by ``SplitMix64/stream(_:_:)`` of (seed, i), in name order; policy values
    ///   are capped at 1, the bound `check` enforces. Runs are independent of one another and of the number
    ///   of cores, so the report is the same for a given seed.
    /// - Leave one reference out: each reference with a record that can reach one of the indication's
    ///   activities (a function record about it, a mechanism linking to it, a secretome record of a
    ///   component such a mechanism links, or a comparison of it or of such a component) is removed in turn, with every record citing it, and the
    ///   candidates are ranked again with the rules unperturbed.
    ///
    /// `progress`, if given, is told after each perturbed run how many of the runs and of the leave-one-out
    /// rankings are done, out of how many (from any thread; the last call says all are).
    public func sensitivity(
        of indication: Indication, options: SensitivityOptions = SensitivityOptions(),
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) -> SensitivityReport {
        let baseline = rank(indication)
        let order = Dictionary(
            uniqueKeysWithValues: baseline.entries.enumerated().map { ($0.element.evaluation.candidate, $0.offset) })
        let rules = knowledgeBase.rules
        let weightNames = Set(indication.lines.map { "\(indication.id).\($0.activity)" })
        let isPolicyValue: @Sendable (String) -> Bool = { name in
            name == "minimum-support" || name.hasPrefix("level.") || name.hasPrefix("product.")
                || name.hasPrefix("discount.")
        }
        let names = rules.overridableNames.filter { isPolicyValue($0) || weightNames.contains($0) }
        // Each run ranks one indication: its index needs lists for that indication's activities only.
        let activities = Set(indication.lines.map(\.activity))

        /// Each candidate's rank and eligibility in `ranking`, in baseline order (rank 0: not a candidate).
        @Sendable func placing(_ ranking: Ranking) -> (ranks: [Int], eligible: [Bool]) {
            var ranks = [Int](repeating: 0, count: order.count)
            var eligible = [Bool](repeating: false, count: order.count)
            for entry in ranking.entries {
                guard let position = order[entry.evaluation.candidate] else { continue }
                ranks[position] = entry.rank
                eligible[position] = entry.evaluation.isEligible
            }
            return (ranks, eligible)
        }

        let references = reachingReferences(indication)
        let total = max(0, options.runs) + references.count
        let done = Mutex(0)
        let runs = ConcurrentResults<SensitivityRun>.map(max(0, options.runs)) { run in
            defer {
                if let progress {
                    progress(
                        done.withLock {
                            $0 += 1; return $0
                        }, total)
                }
            }
            var generator = SplitMix64.stream(options.seed, UInt64(run))
            let overrides = names.compactMap { name -> Override? in
                guard let value = rules.value(of: name) else { return nil }
                let factor = 1 - options.spread + 2 * options.spread * generator.unit()
                let perturbed = isPolicyValue(name) ? min(1, value * factor) : value * factor
                return Override(name: name, value: perturbed, valueText: "\(perturbed)")
            }
            // Valid by construction: factors are positive and policy values capped at 1.
            let perturbedBase = (try? knowledgeBase.applying(overrides).get()) ?? knowledgeBase
            let placed = placing(Recommender(knowledgeBase: perturbedBase, scoring: activities).rank(indication))
            return SensitivityRun(overrides: overrides, ranks: placed.ranks, eligible: placed.eligible)
        }

        let leftOut = leaveOneOut(references, baseline: baseline, placing: placing)
        progress?(total, total)

        let k = max(1, options.top)
        var candidates: [CandidateStability] = []
        for (position, entry) in baseline.entries.enumerated() {
            let perturbed = runs.map { $0.ranks[position] }
            let present = leftOut.map { $0[position] }.filter { $0 > 0 }
            candidates.append(
                CandidateStability(
                    baseline: entry,
                    perturbedRanks: (perturbed.min() ?? entry.rank)...(perturbed.max() ?? entry.rank),
                    topCount: perturbed.filter { $0 <= k }.count,
                    eligibleCount: runs.filter { $0.eligible[position] }.count,
                    leaveOneOutRanks: (present.min() ?? entry.rank)...(present.max() ?? entry.rank),
                    leaveOneOutAbsent: leftOut.count - present.count))
        }
        let top = Array(baseline.entries.prefix(k).map(\.evaluation.candidate))
        var effects: [ReferenceEffect] = []
        for (index, ranks) in leftOut.enumerated() {
            let without = ranks.enumerated().filter { $0.element > 0 && $0.element <= k }.sorted {
                $0.element < $1.element
            }
            .map { baseline.entries[$0.offset].evaluation.candidate }
            if without != top { effects.append(ReferenceEffect(reference: references[index], top: without)) }
        }
        return SensitivityReport(
            indication: indication, options: options, perturbedNames: names, runs: runs, candidates: candidates,
            referencesLeftOut: references, topChangingReferences: effects)
    }

    /// Each candidate's rank (in `baseline` order; 0 when it is no longer a candidate) without each of
    /// `references` and every record citing it.
    ///
    /// Without a reference, only the candidates it reaches (a kept contribution to one of the indication's
    /// activities) change their numbers, and only those whose own records all cite it stop being candidates: those
    /// are scored again, from the same index with the reference's entries skipped, which gives exactly what
    /// ranking the reduced evidence gives; the others keep their places relative to one another. A reference
    /// that alone decides the weight of a mechanism link the activities use changes many values at once: the
    /// evidence without it is ranked from scratch.
    func leaveOneOut(
        _ references: [ReferenceID], baseline: Ranking,
        placing: @Sendable (Ranking) -> (ranks: [Int], eligible: [Bool])
    ) -> [[Int]] {
        let indication = baseline.indication
        let symbols = knowledgeBase.evidence.symbols
        let candidates = baseline.entries.map(\.evaluation.candidate)
        let globalIndex = Dictionary(
            symbols.references.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let structural = decisiveLinkReferences(for: indication)
        // Per reference, the candidates (positions) one of whose kept contributions cites it.
        var reached: [Int: [Int]] = [:]
        for (candidate, kept) in referenceIndexes(of: candidates, for: indication).enumerated() {
            for reference in kept { reached[Int(reference), default: []].append(candidate) }
        }
        // Per reference, the candidates whose own records (and comparison sides) all cite it.
        var onlyOwn: [Int: [Int]] = [:]
        for (candidate, owned) in ownReferences(of: candidates).enumerated() where owned.count == 1 {
            onlyOwn[owned[0], default: []].append(candidate)
        }
        let (entries, reaching, owning) = (baseline.entries, reached, onlyOwn)
        return ConcurrentResults<[Int]>.map(references.count) { index in
            let reference = references[index]
            guard let global = globalIndex[reference], !structural.contains(global) else {
                var reduced = knowledgeBase
                reduced.evidence = knowledgeBase.evidence.removingRecords(citing: reference)
                let scoring = Set(indication.lines.map(\.activity))
                return placing(Recommender(knowledgeBase: reduced, scoring: scoring).rank(indication)).ranks
            }
            let absent = Set(owning[global] ?? [])
            let changed = (reaching[global] ?? []).filter { !absent.contains($0) }
            let rescored = evaluate(changed.map { candidates[$0] }, for: indication, excluding: global)
            // The unchanged candidates in baseline order, the rescored ones sorted, merged.
            let moved = Set(changed).union(absent)
            let sorted = zip(changed, rescored).sorted { Recommender.ranksBefore($0.1, $1.1) }
            var ranks = [Int](repeating: 0, count: entries.count)
            var (next, rank) = (0, 0)
            for (offset, entry) in entries.enumerated() where !moved.contains(offset) {
                while next < sorted.count, Recommender.ranksBefore(sorted[next].1, entry.evaluation) {
                    rank += 1
                    ranks[sorted[next].0] = rank
                    next += 1
                }
                rank += 1
                ranks[offset] = rank
            }
            for (candidate, _) in sorted[next...] {
                rank += 1
                ranks[candidate] = rank
            }
            return ranks
        }
    }

    /// Per candidate, the distinct references (indexes into `symbols.references`) of the records that make it
    /// a candidate: its own secretome and function records and the comparisons it is a side of.
    private func ownReferences(of candidates: [Candidate]) -> [[Int]] {
        let evidence = knowledgeBase.evidence
        let symbols = evidence.symbols
        let pres = symbols.preconditionings.count
        let sourceIndex = Dictionary(
            symbols.sources.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let preIndex = Dictionary(
            symbols.preconditionings.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var byGroup: [Int: Set<Int>] = [:]
        func note(_ source: UInt32, _ pre: UInt32, _ reference: UInt32) {
            byGroup[Int(source) * pres + Int(pre), default: []].insert(Int(reference))
        }
        for table in [evidence.functions.table, evidence.secretome.table] {
            for row in table.rows { note(row.source, row.preconditioning, row.reference) }
        }
        for row in evidence.comparisons.table.rows {
            note(row.source, row.preconditioning, row.reference)
            note(row.versusSource, row.versusPreconditioning, row.reference)
        }
        return candidates.map { c in
            guard let s = sourceIndex[c.source], let p = preIndex[c.preconditioning] else { return [] }
            return (byGroup[s * pres + p] ?? []).sorted()
        }
    }

    /// The references with a record that can reach one of `indication`'s activities, sorted.
    func reachingReferences(_ indication: Indication) -> [ReferenceID] {
        let evidence = knowledgeBase.evidence
        let activities = Set(indication.lines.map(\.activity))
        let links = evidence.mechanisms.filter { activities.contains($0.activity) }
        let components = Set(links.map(\.component))
        var references = Set(links.map(\.reference))
        for f in evidence.functions where activities.contains(f.activity) { references.insert(f.reference) }
        for r in evidence.secretome where components.contains(r.component) { references.insert(r.reference) }
        for x in evidence.comparisons {
            switch x.measure {
            case .activity(let a) where activities.contains(a): references.insert(x.reference)
            case .component(let k) where components.contains(k): references.insert(x.reference)
            default: break
            }
        }
        return references.sorted()
    }
}
