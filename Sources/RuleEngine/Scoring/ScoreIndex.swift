import Dispatch
import EvidenceModel

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
    fileprivate var lists: [Slice] = []
    /// Per (pre-conditioning ≠ none, activity, sign): every group of that pre-conditioning at cross-source.
    private var crossLists: [Slice] = []

    fileprivate func listIndex(source: Int, preconditioning: Int, use: Int, activity: Int, sign: Int) -> Int {
        (((source * preconditioningCount + preconditioning) * 2 + use) * activityCount + activity) * 2 + sign
    }

    /// The cross list of (pre-conditioning, activity, sign), counted from 0.
    fileprivate func crossIndex(preconditioning: Int, activity: Int, sign: Int) -> Int {
        (preconditioning * activityCount + activity) * 2 + sign
    }

    /// Indexes `evidence`; `decisiveMechanisms` are, per activity and component, the mechanisms that can
    /// win de-duplication (``Recommender`` chooses them, for traces as for this index).
    init(
        evidence: EvidenceBase, model: ScoringModel,
        decisiveMechanisms: [ActivityID: [ComponentID: [MechanismRecord]]]
    ) {
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
        lists = [Slice](repeating: Slice(), count: sourceCount * preconditioningCount * 2 * activityCount * 2)

        // Per component, the decisive links: (activity, effect sign, mechanism level weight).
        let componentIndex = Dictionary(
            symbols.components.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let activityIndex = Dictionary(
            symbols.activities.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var links = [[(activity: Int, sign: Double, weight: Double)]](repeating: [], count: symbols.components.count)
        for (activity, byComponent) in decisiveMechanisms {
            guard let a = activityIndex[activity] else { continue }
            for (component, mechanisms) in byComponent {
                guard let k = componentIndex[component] else { continue }
                links[k] += mechanisms.map { (a, $0.effect.sign, policy.weight(of: $0.level)) }
            }
        }
        let (secretomeOrder, functionOrder) = evidence.recordOrder()
        let references = Self.localReferenceNumbers(evidence, anyMSC: anyMSC, none: none)

        let contributions = Contributions(
            index: self, functions: evidence.functions.table.rows, secretome: evidence.secretome.table.rows,
            functionOrder: functionOrder, secretomeOrder: secretomeOrder, references: references,
            levelWeights: levelWeights, levelRanks: levelRanks, productWeights: productWeights, links: links,
            m: m, viaComponent: policy.viaComponent)

        // Two passes, counting then placing, so that every contribution is stored once, already bucketed;
        // each pass on both cores, over half of each table.
        let listCount = lists.count + preconditioningCount * activityCount * 2
        let halves = [0, 1].map { half in
            (
                functions: contributions.functions.count * half / 2..<contributions.functions.count * (half + 1) / 2,
                secretome: contributions.secretome.count * half / 2..<contributions.secretome.count * (half + 1) / 2
            )
        }
        let counted = ConcurrentResults<[Int]>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            var counter = Counter(counts: [Int](repeating: 0, count: listCount))
            contributions.forEach(functions: halves[half].functions, secretome: halves[half].secretome, into: &counter)
            counted.set(half, counter.counts)
        }
        let counts = counted.values
        var starts = [Int](repeating: 0, count: listCount + 1)
        for list in 0..<listCount where counts.count == 2 {
            starts[list + 1] = starts[list] + counts[0][list] + counts[1][list]
        }
        var entries = [Entry](
            repeating: Entry(value: 0, reference: 0, order: 0, level: 0, levelRank: 0, source: 0),
            count: starts[listCount])
        let firstHalfStarts = starts
        entries.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                var next = firstHalfStarts
                if half == 1, counts.count == 2 { for list in 0..<listCount { next[list] += counts[0][list] } }
                var placer = Placer(next: next, entries: buffer)
                contributions.forEach(
                    functions: halves[half].functions, secretome: halves[half].secretome, into: &placer)
            }
        }
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
        let sortedHalves = ends.values
        var slices = [Slice](repeating: Slice(), count: listCount)
        for list in 0..<listCount where sortedHalves.count == 2 {
            slices[list] = Slice(start: Int32(starts[list]), end: sortedHalves[list % 2][list / 2])
        }
        self.entries = entries
        lists = Array(slices[..<lists.count])
        crossLists = Array(slices[lists.count...])
    }

    /// Numbers the references so that those a candidate reads together are close in memory: any-msc's
    /// first, then by the pre-conditioning of their first record that has one. Scoring keeps one small state
    /// per reference and looks it up for every entry; with references numbered in file order those look-ups
    /// miss the cache once the base has ~10^5 references, and they dominated the time (measured with perf).
    private static func localReferenceNumbers(_ evidence: EvidenceBase, anyMSC: Int, none: Int) -> [UInt32] {
        let count = evidence.symbols.references.count
        let pres = evidence.symbols.preconditionings.count
        var key = [Int](repeating: -1, count: count)
        for table in [evidence.functions.table, evidence.secretome.table] {
            for row in table.rows {
                let r = Int(row.reference)
                let block = Int(row.source) == anyMSC ? 0 : 1
                let pre = Int(row.preconditioning)
                if key[r] < 0 || (pre != none && key[r] % (pres + 1) == pres) || (block == 0 && key[r] >= pres + 1) {
                    key[r] = block * (pres + 1) + (pre == none ? pres : pre)
                }
            }
        }
        // A counting sort by key, stable in file order.
        var starts = [Int](repeating: 0, count: 2 * (pres + 1) + 2)
        for k in key { starts[k + 2] += 1 }
        for index in 1..<starts.count { starts[index] += starts[index - 1] }
        var numbers = [UInt32](repeating: 0, count: count)
        for (r, k) in key.enumerated() {
            numbers[r] = UInt32(truncatingIfNeeded: starts[k + 1])
            starts[k + 1] += 1
        }
        return numbers
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

/// Per-thread working memory for ``ScoreIndex/score(source:preconditioning:activities:indications:model:scratch:)``.
///
/// References are bits: `seen` marks those kept in the current merge, `reached` those kept for each
/// activity of the current candidate. Bitsets of 10^5 references are 12.5 KB each and stay in the cache;
/// a state per reference looked up for every entry missed it and dominated the time (measured with perf).
struct ScoreScratch {
    let words: Int
    var seen: [UInt64]
    var reached: [UInt64]

    init(references: Int, activities: Int) {
        words = (references + 63) / 64
        seen = [UInt64](repeating: 0, count: words)
        reached = [UInt64](repeating: 0, count: words * activities)
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

    /// The lists candidate (`s`, `p`) reads for activity `a` and `sign` (DESIGN §5 applicability).
    private func streams(source s: Int, preconditioning p: Int, activity a: Int, sign: Int) -> [Stream] {
        var streams: [Stream] = []
        func add(_ slice: Slice, own: Bool, skip: Int = -1) {
            if slice.start < slice.end {
                streams.append(Stream(next: Int(slice.start), end: Int(slice.end), isOwn: own, skip: skip))
            }
        }
        if p != none {
            add(lists[listIndex(source: s, preconditioning: p, use: 0, activity: a, sign: sign)], own: true)
            if none >= 0 {
                add(lists[listIndex(source: s, preconditioning: none, use: 1, activity: a, sign: sign)], own: true)
                if anyMSC >= 0 {
                    add(
                        lists[listIndex(source: anyMSC, preconditioning: none, use: 1, activity: a, sign: sign)],
                        own: false)
                }
            }
            add(crossLists[crossIndex(preconditioning: p, activity: a, sign: sign)], own: false, skip: s)
        } else {
            add(lists[listIndex(source: s, preconditioning: p, use: 0, activity: a, sign: sign)], own: true)
            if anyMSC >= 0 {
                add(lists[listIndex(source: anyMSC, preconditioning: p, use: 0, activity: a, sign: sign)], own: false)
            }
        }
        return streams
    }

    /// Scores candidate (`s`, `p`) for `activities` (indexes): per activity the two harmonic sums after
    /// de-duplication and the best own kept positive level, and per indication (the positions in
    /// `activities` of its lines' activities) the number of distinct references among the kept contributions.
    func score(
        source s: Int, preconditioning p: Int, activities: [Int], indications: [[Int]], model: ScoringModel,
        scratch: inout ScoreScratch
    ) -> (activities: [ActivityScore], references: [Int]) {
        let words = scratch.words
        var results: [ActivityScore] = []
        results.reserveCapacity(activities.count)
        for (slot, a) in activities.enumerated() {
            var result = ActivityScore()
            var hasPositive = false
            for w in 0..<words { scratch.reached[slot * words + w] = 0 }
            for sign in 0..<2 {
                var streams = streams(source: s, preconditioning: p, activity: a, sign: sign)
                var sum = ScoringModel.HarmonicSum()
                let bestOwn = merge(&streams, slot: slot, positive: sign == 0, sum: &sum, scratch: &scratch)
                if sign == 0 {
                    result.positive = sum.value
                    if let bestOwn { result.bestOwnLevel = Int32(bestOwn.level) }
                    hasPositive = sum.count > 0
                } else {
                    result.negative = sum.value
                    result.isContested = hasPositive && sum.count > 0
                }
            }
            results.append(result)
        }
        let counts = indications.map { slots in
            var count = 0
            for w in 0..<words {
                var union: UInt64 = 0
                for slot in slots { union |= scratch.reached[slot * words + w] }
                count += union.nonzeroBitCount
            }
            return count
        }
        return (results, counts)
    }

    /// Merges `streams` in DESIGN §5's order, keeping the first entry of each reference: adds the kept
    /// values to `sum`, marks the references as reaching the activity at `slot`, and returns the best kept
    /// own entry's level when `positive`.
    ///
    /// Runs: once the stream with the first entry is found, its entries are taken for as long as they come
    /// before the head of the next-best stream, with one comparison each.
    private func merge(
        _ streams: inout [Stream], slot: Int, positive: Bool, sum: inout ScoringModel.HarmonicSum,
        scratch: inout ScoreScratch
    ) -> (rank: UInt16, level: UInt16)? {
        var bestOwn: (rank: UInt16, level: UInt16)?
        let reachedBase = slot * scratch.words
        for w in 0..<scratch.words { scratch.seen[w] = 0 }
        entries.withUnsafeBufferPointer { entries in
            scratch.seen.withUnsafeMutableBufferPointer { seen in
                scratch.reached.withUnsafeMutableBufferPointer { reached in
                    streams.withUnsafeMutableBufferPointer { streams in
                        while true {
                            var (best, runnerUp) = (-1, -1)
                            for k in 0..<streams.count {
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
                                    runnerUp = best
                                    best = k
                                } else if runnerUp < 0
                                    || Self.before(
                                        entries[streams[k].next], streams[k].isOwn, entries[streams[runnerUp].next],
                                        streams[runnerUp].isOwn)
                                {
                                    runnerUp = k
                                }
                            }
                            guard best >= 0 else { break }
                            let (isOwn, skip, end) = (streams[best].isOwn, streams[best].skip, streams[best].end)
                            var next = streams[best].next
                            repeat {
                                let entry = entries[next]
                                next += 1
                                if Int(entry.source) == skip { continue }
                                let (word, bit) = (Int(entry.reference) / 64, UInt64(1) << UInt64(entry.reference % 64))
                                guard seen[word] & bit == 0 else { continue }
                                seen[word] |= bit
                                reached[reachedBase + word] |= bit
                                sum.add(entry.value)
                                if positive, isOwn,
                                    bestOwn.map({ (entry.levelRank, entry.level) < ($0.rank, $0.level) }) ?? true
                                {
                                    bestOwn = (entry.levelRank, entry.level)
                                }
                            } while next < end
                                && (runnerUp < 0
                                    || Self.before(
                                        entries[next], isOwn, entries[streams[runnerUp].next], streams[runnerUp].isOwn))
                            streams[best].next = next
                        }
                    }
                }
            }
        }
        return bestOwn
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

/// Receives the contributions of ``Contributions/forEach(functions:secretome:into:)``.
private protocol ContributionSink {
    mutating func take(_ list: Int, _ entry: ScoreIndex.Entry)
}

/// Counts contributions per list.
private struct Counter: ContributionSink {
    var counts: [Int]
    mutating func take(_ list: Int, _ entry: ScoreIndex.Entry) { counts[list] += 1 }
}

/// Places contributions at the next free position of their list.
private struct Placer: ContributionSink {
    var next: [Int]
    let entries: UnsafeMutableBufferPointer<ScoreIndex.Entry>
    mutating func take(_ list: Int, _ entry: ScoreIndex.Entry) {
        entries[next[list]] = entry
        next[list] += 1
    }
}

/// Every non-zero contribution of every secretome and function record, at each value of m its group is
/// used with (DESIGN §5: direct and via-component values), with the list it belongs to.
private struct Contributions {
    let index: ScoreIndex
    let functions: [PackedSample]
    let secretome: [PackedSample]
    let functionOrder: [UInt32]
    let secretomeOrder: [UInt32]
    let references: [UInt32]
    let levelWeights: [Double]
    let levelRanks: [UInt16]
    let productWeights: [Double]
    let links: [[(activity: Int, sign: Double, weight: Double)]]
    let m: (own: Double, ownBaseline: Double, cross: Double, crossBaseline: Double)
    let viaComponent: Double

    /// The value of m for each use of the group of `row`, and whether use 1 is the cross-source use.
    @inline(__always)
    private func uses(_ row: PackedSample) -> (Double?, Double, isCross: Bool) {
        switch (Int(row.source) == index.anyMSC, Int(row.preconditioning) == index.none) {
        case (false, false): (m.own, m.cross, true)
        case (false, true): (m.own, m.ownBaseline, false)
        case (true, false): (nil, m.cross, true)
        case (true, true): (m.cross, m.crossBaseline, false)
        }
    }

    @inline(__always)
    private func add<Sink: ContributionSink>(
        _ value: Double, positive: Bool, activity: Int, row: PackedSample, order: UInt32, use: Int, cross: Bool,
        into sink: inout Sink
    ) {
        guard value != 0 else { return }
        let sign = positive ? 0 : 1
        let pre = Int(row.preconditioning)
        let list =
            cross
            ? index.lists.count + index.crossIndex(preconditioning: pre, activity: activity, sign: sign)
            : index.listIndex(source: Int(row.source), preconditioning: pre, use: use, activity: activity, sign: sign)
        sink.take(
            list,
            ScoreIndex.Entry(
                value: value, reference: references[Int(row.reference)], order: order,
                level: UInt16(truncatingIfNeeded: row.level), levelRank: levelRanks[Int(row.level)],
                source: UInt16(truncatingIfNeeded: row.source)))
    }

    func forEach<Sink: ContributionSink>(
        functions range: Range<Int>, secretome secretomeRange: Range<Int>, into sink: inout Sink
    ) {
        let supports = Outcome.allCases.map { $0.sign > 0 }
        for index in range {
            let row = functions[index]
            let (use0, use1, isCross) = uses(row)
            let positive = supports[Int(row.sign)]
            let (lw, pw) = (levelWeights[Int(row.level)], productWeights[Int(row.product)])
            let (activity, order) = (Int(row.subject), functionOrder[index])
            if let use0 {
                let value = ScoringModel.directMagnitude(levelWeight: lw, productWeight: pw, m: use0)
                add(
                    value, positive: positive, activity: activity, row: row, order: order, use: 0, cross: false,
                    into: &sink)
            }
            let value = ScoringModel.directMagnitude(levelWeight: lw, productWeight: pw, m: use1)
            add(
                value, positive: positive, activity: activity, row: row, order: order, use: 1, cross: isCross,
                into: &sink)
        }
        let directions = Direction.allCases.map(\.sign)
        for index in secretomeRange {
            let row = secretome[index]
            let chains = links[Int(row.subject)]
            guard !chains.isEmpty else { continue }
            let (use0, use1, isCross) = uses(row)
            let direction = directions[Int(row.sign)]
            let (lw, pw) = (levelWeights[Int(row.level)], productWeights[Int(row.product)])
            let order = secretomeOrder[index]
            for chain in chains {
                let positive = direction * chain.sign > 0
                if let use0 {
                    let value = ScoringModel.viaComponentMagnitude(
                        levelWeight: lw, productWeight: pw, mechanismLevelWeight: chain.weight, m: use0,
                        viaComponent: viaComponent)
                    add(
                        value, positive: positive, activity: chain.activity, row: row, order: order, use: 0,
                        cross: false, into: &sink)
                }
                let value = ScoringModel.viaComponentMagnitude(
                    levelWeight: lw, productWeight: pw, mechanismLevelWeight: chain.weight, m: use1,
                    viaComponent: viaComponent)
                add(
                    value, positive: positive, activity: chain.activity, row: row, order: order, use: 1, cross: isCross,
                    into: &sink)
            }
        }
    }
}
