import Dispatch
public import EvidenceModel

/// What DESIGN §5 makes of one activity for one candidate, without the contributions: the two harmonic
/// sums and the best kept positive contribution from a record of the candidate's own source.
struct ActivityScore: Sendable {
    var positive = 0.0
    var negative = 0.0
    var isContested = false
    /// Index into the policy's levels of the best own kept positive contribution (highest weight, then
    /// lowest level id); −1 when there is none.
    var bestOwnLevel: Int32 = -1
}

/// DESIGN §5's de-duplication and harmonic sums for every candidate and activity at once, from compact
/// sorted lists shared between candidates; ``Recommender`` builds traces only for the candidates shown.
///
/// A candidate (s, p) is reached by four kinds of group (§5 applicability): its own (s, p) at m = 1; its own
/// (s, none) at m = from-baseline when p ≠ none; every other source's and any-msc's (x, p) at m = cross-source
/// when p ≠ none; and (any-msc, none) at cross-source × from-baseline (or cross-source when p = none). The
/// index keeps, per group, activity and sign, the entries of each reference, sorted by the de-duplication
/// order (|value| descending, then level weight descending, then record id) for the two values of m the
/// group is used with, and per pre-conditioning the entries of all its groups at cross-source. Scoring a
/// candidate is then a merge of at most four sorted lists in which the first entry seen of each reference
/// is the one §5 keeps — own records first on an exact tie — with no sort and no hashing per candidate.
struct ScoreIndex: Sendable {
    /// One (reference, sign)'s best contribution within a group, at one value of m.
    struct Entry: Sendable {
        var value: Double
        var reference: UInt32
        /// The record's position among all records sorted by id.
        var order: UInt32
        /// The record's level, as an index into the policy's levels, and its rank by weight (0 = heaviest;
        /// equal weights share a rank).
        var level: UInt16
        var levelRank: UInt16
        var source: UInt16
    }

    /// The entries of one list: a range of ``entries``.
    struct Slice: Sendable {
        var start: Int32 = 0
        var end: Int32 = 0
    }

    let sourceCount: Int
    let preconditioningCount: Int
    let activityCount: Int
    let referenceCount: Int
    let anyMSC: Int
    let none: Int
    private var entries: [Entry] = []
    /// Per (group, use, activity, sign): use 0 is m for the group's own kind of candidate (its own, or
    /// any-msc's baseline for p = none), use 1 its other use within its own source (from-baseline) or, for
    /// any-msc's baseline, cross-source × from-baseline.
    private var lists: [Slice] = []
    /// Per (pre-conditioning ≠ none, activity, sign): every group of that pre-conditioning at cross-source.
    private var crossLists: [Slice] = []

    private func listIndex(source: Int, preconditioning: Int, use: Int, activity: Int, sign: Int) -> Int {
        (((source * preconditioningCount + preconditioning) * 2 + use) * activityCount + activity) * 2 + sign
    }

    /// The cross list of (pre-conditioning, activity, sign), counted from 0.
    private func crossIndex(preconditioning: Int, activity: Int, sign: Int) -> Int {
        (preconditioning * activityCount + activity) * 2 + sign
    }

    init(evidence: EvidenceBase, model: ScoringModel) {
        let symbols = evidence.symbols
        sourceCount = symbols.sources.count
        preconditioningCount = symbols.preconditionings.count
        activityCount = symbols.activities.count
        referenceCount = symbols.references.count
        anyMSC = symbols.sources.firstIndex(of: .anyMSC) ?? -1
        none = symbols.preconditionings.firstIndex(of: .none) ?? -1
        let policy = model.policy
        let levelWeights = symbols.levels.map { policy.weight(of: $0) }
        let distinctWeights = Array(Set(levelWeights)).sorted(by: >)
        let levelRanks = levelWeights.map { UInt16(truncatingIfNeeded: distinctWeights.firstIndex(of: $0) ?? 0) }
        let productWeights = symbols.products.map { policy.weight(of: $0) }
        let m = model.applicabilityValues
        let (anyMSC, none) = (self.anyMSC, self.none)
        lists = [Slice](repeating: Slice(), count: sourceCount * preconditioningCount * 2 * activityCount * 2)

        /// The value of m for each use of group (s, p), and whether use 1 is the cross-source use.
        func uses(source: Int, preconditioning: Int) -> (Double?, Double, isCross: Bool) {
            switch (source == anyMSC, preconditioning == none) {
            case (false, false): (m.own, m.cross, true)
            case (false, true): (m.own, m.ownBaseline, false)
            case (true, false): (nil, m.cross, true)
            case (true, true): (m.cross, m.crossBaseline, false)
            }
        }

        // Decisive mechanisms per component: for each activity and effect, the link of highest level
        // weight, then lowest id (a chain through any other is always dropped by de-duplication).
        let componentIndex = Dictionary(
            symbols.components.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let activityIndex = Dictionary(
            symbols.activities.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var decisive = [[Int: MechanismRecord]](repeating: [:], count: symbols.components.count)
        for q in evidence.mechanisms {
            guard let k = componentIndex[q.component], let a = activityIndex[q.activity] else { continue }
            let key = a * 2 + (q.effect == .promotes ? 0 : 1)
            if let current = decisive[k][key] {
                let (w, v) = (policy.weight(of: q.level), policy.weight(of: current.level))
                guard w > v || (w == v && q.id < current.id) else { continue }
            }
            decisive[k][key] = q
        }
        let links: [[(activity: Int, sign: Double, weight: Double)]] = decisive.map { byKey in
            byKey.sorted { $0.key < $1.key }.map {
                ($0.key / 2, $0.value.effect.sign, policy.weight(of: $0.value.level))
            }
        }
        let (secretomeOrder, functionOrder) = evidence.recordOrder()

        /// Calls `emit(list, entry)` for every non-zero contribution of every record at every use.
        func forEachContribution(_ emit: (Int, Entry) -> Void) {
            func add(
                _ value: Double, sign: Double, activity: Int, row: PackedSample, order: UInt32, use: Int, cross: Bool
            ) {
                guard value != 0 else { return }
                let s = sign > 0 ? 0 : 1
                let entry = Entry(
                    value: value, reference: row.reference, order: order,
                    level: UInt16(truncatingIfNeeded: row.level), levelRank: levelRanks[Int(row.level)],
                    source: UInt16(truncatingIfNeeded: row.source))
                let pre = Int(row.preconditioning)
                emit(
                    cross
                        ? lists.count + crossIndex(preconditioning: pre, activity: activity, sign: s)
                        : listIndex(
                            source: Int(row.source), preconditioning: pre, use: use, activity: activity, sign: s),
                    entry)
            }
            for (index, row) in evidence.functions.table.rows.enumerated() {
                let (use0, use1, isCross) = uses(source: Int(row.source), preconditioning: Int(row.preconditioning))
                let sign = Outcome.allCases[Int(row.sign)].sign
                let (lw, pw) = (levelWeights[Int(row.level)], productWeights[Int(row.product)])
                let activity = Int(row.subject)
                if let use0 {
                    let value = ScoringModel.directMagnitude(levelWeight: lw, productWeight: pw, m: use0)
                    add(
                        value, sign: sign, activity: activity, row: row, order: functionOrder[index], use: 0,
                        cross: false)
                }
                let value = ScoringModel.directMagnitude(levelWeight: lw, productWeight: pw, m: use1)
                add(
                    value, sign: sign, activity: activity, row: row, order: functionOrder[index], use: 1, cross: isCross
                )
            }
            for (index, row) in evidence.secretome.table.rows.enumerated() {
                let chains = links[Int(row.subject)]
                guard !chains.isEmpty else { continue }
                let (use0, use1, isCross) = uses(source: Int(row.source), preconditioning: Int(row.preconditioning))
                let direction = Direction.allCases[Int(row.sign)].sign
                let (lw, pw) = (levelWeights[Int(row.level)], productWeights[Int(row.product)])
                for chain in chains {
                    for (use, m) in [(0, use0), (1, use1)] {
                        guard let m else { continue }
                        let value = ScoringModel.viaComponentMagnitude(
                            levelWeight: lw, productWeight: pw, mechanismLevelWeight: chain.weight, m: m,
                            viaComponent: policy.viaComponent)
                        add(
                            value, sign: direction * chain.sign, activity: chain.activity, row: row,
                            order: secretomeOrder[index], use: use, cross: use == 1 && isCross)
                    }
                }
            }
        }

        // Two passes, counting then placing, so that every contribution is stored once, already bucketed.
        let listCount = lists.count + preconditioningCount * activityCount * 2
        var starts = [Int](repeating: 0, count: listCount + 1)
        forEachContribution { list, _ in starts[list + 1] += 1 }
        for index in 0..<listCount { starts[index + 1] += starts[index] }
        var next = starts
        var entries = [Entry](
            repeating: Entry(value: 0, reference: 0, order: 0, level: 0, levelRank: 0, source: 0),
            count: starts[listCount])
        forEachContribution { list, entry in
            entries[next[list]] = entry
            next[list] += 1
        }
        next = []
        // Sort each list by the de-duplication order and keep each reference's first entry (in a cross list,
        // each (reference, source)'s first, so that a candidate can skip its own source's), on both cores.
        let ends = ConcurrentResults<[Int32]>(count: 2)
        let referenceCount = self.referenceCount
        let bounds = starts
        entries.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                var seen = [UInt32](repeating: UInt32.max, count: referenceCount)
                var seenSource = [UInt16](repeating: 0, count: referenceCount)
                var listEnds: [Int32] = []
                for list in stride(from: half, to: listCount, by: 2) {
                    let (start, end) = (bounds[list], bounds[list + 1])
                    var kept = start
                    if end > start {
                        buffer[start..<end].sort(by: Self.precedes)
                        for index in start..<end {
                            let entry = buffer[index]
                            let r = Int(entry.reference)
                            if seen[r] == UInt32(truncatingIfNeeded: list), seenSource[r] == entry.source { continue }
                            seen[r] = UInt32(truncatingIfNeeded: list)
                            seenSource[r] = entry.source
                            buffer[kept] = entry
                            kept += 1
                        }
                    }
                    listEnds.append(Int32(kept))
                }
                ends.set(half, listEnds)
            }
        }
        let halves = ends.values
        var slices = [Slice](repeating: Slice(), count: listCount)
        for list in 0..<listCount where halves.count == 2 {
            slices[list] = Slice(start: Int32(starts[list]), end: halves[list % 2][list / 2])
        }
        self.entries = entries
        lists = Array(slices[..<lists.count])
        crossLists = Array(slices[lists.count...])
    }

    /// The de-duplication order within a list: |value| descending, level weight descending, record id.
    /// (Own source first is decided between lists, by ``score``.)
    @inline(__always)
    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        if a.value != b.value { return a.value > b.value }
        if a.levelRank != b.levelRank { return a.levelRank < b.levelRank }
        return a.order < b.order
    }
}

/// Per-thread working memory for ``ScoreIndex/score(source:preconditioning:activities:indicationMasks:scratch:)``.
struct ScoreScratch {
    /// Per reference: the pass (candidate, activity, sign) that last kept it.
    var seen: [UInt32]
    var pass: UInt32 = 0
    /// Per reference: the candidate that last touched it, and the activities (bits) it reached for that one.
    var touchedBy: [UInt32]
    var candidate: UInt32 = 0
    var masks: [UInt64]
    var touched: [UInt32] = []
    var kept: [Double] = []
    let words: Int

    init(references: Int, activities: Int) {
        words = max(1, (activities + 63) / 64)
        seen = [UInt32](repeating: 0, count: references)
        touchedBy = [UInt32](repeating: 0, count: references)
        masks = [UInt64](repeating: 0, count: references * words)
    }
}

extension ScoreIndex {
    /// One sorted list being merged.
    private struct Stream {
        var next: Int
        let end: Int
        let isOwn: Bool
        /// The source whose entries are skipped (the candidate's own, in a cross list), or −1.
        let skip: Int
    }

    /// Scores candidate (`s`, `p`) for `activities` (indexes): per activity the two harmonic sums after
    /// de-duplication and the best own kept positive level, and per indication (a mask of its activities)
    /// the number of distinct references among the kept contributions.
    func score(
        source s: Int, preconditioning p: Int, activities: [Int], indicationMasks: [[UInt64]],
        model: ScoringModel, scratch: inout ScoreScratch
    ) -> (activities: [ActivityScore], references: [Int]) {
        scratch.candidate &+= 1
        scratch.touched.removeAll(keepingCapacity: true)
        var results: [ActivityScore] = []
        results.reserveCapacity(activities.count)
        var streams: [Stream] = []
        streams.reserveCapacity(4)
        for a in activities {
            var result = ActivityScore()
            var hasPositive = false
            for sign in 0..<2 {
                streams.removeAll(keepingCapacity: true)
                func add(_ slice: Slice, own: Bool, skip: Int = -1) {
                    if slice.start < slice.end {
                        streams.append(Stream(next: Int(slice.start), end: Int(slice.end), isOwn: own, skip: skip))
                    }
                }
                if p != none {
                    add(lists[listIndex(source: s, preconditioning: p, use: 0, activity: a, sign: sign)], own: true)
                    if none >= 0 {
                        add(
                            lists[listIndex(source: s, preconditioning: none, use: 1, activity: a, sign: sign)],
                            own: true)
                        if anyMSC >= 0 {
                            add(
                                lists[
                                    listIndex(source: anyMSC, preconditioning: none, use: 1, activity: a, sign: sign)],
                                own: false)
                        }
                    }
                    add(crossLists[crossIndex(preconditioning: p, activity: a, sign: sign)], own: false, skip: s)
                } else {
                    add(lists[listIndex(source: s, preconditioning: p, use: 0, activity: a, sign: sign)], own: true)
                    if anyMSC >= 0 {
                        add(
                            lists[listIndex(source: anyMSC, preconditioning: p, use: 0, activity: a, sign: sign)],
                            own: false)
                    }
                }
                scratch.pass &+= 1
                scratch.kept.removeAll(keepingCapacity: true)
                var bestOwn: (rank: UInt16, level: UInt16)? = nil
                entries.withUnsafeBufferPointer { entries in
                    while true {
                        var best = -1
                        for k in streams.indices {
                            while streams[k].next < streams[k].end,
                                Int(entries[streams[k].next].source) == streams[k].skip
                            {
                                streams[k].next += 1
                            }
                            guard streams[k].next < streams[k].end else { continue }
                            if best < 0
                                || Self.before(
                                    entries[streams[k].next], streams[k].isOwn, entries[streams[best].next],
                                    streams[best].isOwn)
                            {
                                best = k
                            }
                        }
                        guard best >= 0 else { break }
                        let entry = entries[streams[best].next]
                        streams[best].next += 1
                        let r = Int(entry.reference)
                        guard scratch.seen[r] != scratch.pass else { continue }
                        scratch.seen[r] = scratch.pass
                        scratch.kept.append(entry.value)
                        if sign == 0, streams[best].isOwn,
                            bestOwn.map({ (entry.levelRank, entry.level) < ($0.rank, $0.level) }) ?? true
                        {
                            bestOwn = (entry.levelRank, entry.level)
                        }
                        if scratch.touchedBy[r] != scratch.candidate {
                            scratch.touchedBy[r] = scratch.candidate
                            scratch.touched.append(UInt32(r))
                            for w in 0..<scratch.words { scratch.masks[r * scratch.words + w] = 0 }
                        }
                        scratch.masks[r * scratch.words + a / 64] |= 1 << UInt64(a % 64)
                    }
                }
                let sum = model.harmonicSum(scratch.kept)
                if sign == 0 {
                    result.positive = sum
                    if let bestOwn { result.bestOwnLevel = Int32(bestOwn.level) }
                    hasPositive = !scratch.kept.isEmpty
                } else {
                    result.negative = sum
                    result.isContested = hasPositive && !scratch.kept.isEmpty
                }
            }
            results.append(result)
        }
        var counts: [Int] = []
        for mask in indicationMasks {
            var count = 0
            for r in scratch.touched {
                let base = Int(r) * scratch.words
                for w in 0..<scratch.words where scratch.masks[base + w] & mask[w] != 0 {
                    count += 1
                    break
                }
            }
            counts.append(count)
        }
        return (results, counts)
    }

    /// Whether entry `a` (of an own list or not) is kept before `b` by DESIGN §5's order: |value|
    /// descending, then own source first, then level weight descending, then record id.
    @inline(__always)
    private static func before(_ a: Entry, _ aOwn: Bool, _ b: Entry, _ bOwn: Bool) -> Bool {
        if a.value != b.value { return a.value > b.value }
        if aOwn != bOwn { return aOwn }
        if a.levelRank != b.levelRank { return a.levelRank < b.levelRank }
        return a.order < b.order
    }
}
