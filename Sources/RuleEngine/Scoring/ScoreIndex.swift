import Dispatch
import EvidenceModel

/// What DESIGN §5 makes of one activity for one candidate, without the contributions: the four harmonic
/// sums with their counts and the best kept positive absolute contribution from a record of the candidate's
/// own source.
struct ActivityScore: Sendable {
    var positive = ScoringModel.HarmonicSum()
    var negative = ScoringModel.HarmonicSum()
    var won = ScoringModel.HarmonicSum()
    var lost = ScoringModel.HarmonicSum()
    /// Index into the policy's levels of the best own kept positive absolute contribution (highest weight,
    /// then lowest level id); −1 when there is none.
    var bestOwnLevel: Int32 = -1
}

/// DESIGN §5's de-duplication and harmonic sums for every candidate and activity at once, from compact
/// sorted lists shared between candidates; ``Recommender`` builds traces only for the candidates shown.
///
/// Evidence of a group (s′, p′) reaches candidates by the routes ``ScoringModel/routes(from:as:)`` gives it.
/// The index keeps, per kind (absolute, comparative), group, route, activity and sign, the entries of each
/// reference sorted by the de-duplication order (|value| descending, then level weight descending, then record
/// id): the routes to one pair (``Route/itself``, ``Route/ownBaseline``, ``Route/anyMSCBaseline``) in lists of
/// their group, the route to other sources (``Route/otherSource``) in one list per pre-conditioning. Scoring a
/// candidate is then a merge of the few lists of the routes that reach it, in which the first entry seen of
/// each reference is the one §5 keeps — own records first on an exact tie — with no sort and no hashing per
/// candidate; absolute and comparative lists are merged separately, as §5 de-duplicates them.
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
    /// The activities with lists (every activity, or those an index for one indication was asked for).
    let activityCount: Int
    /// Per activity (index in `symbols.activities`), its place among the indexed ones, or −1.
    let activitySlot: [Int32]
    let referenceCount: Int
    /// The kinds of evidence indexed: absolute only (1) when the base has no comparison, else both (2), so that
    /// a base without comparisons pays nothing for them.
    let kindCount: Int
    let anyMSC: Int
    let none: Int
    /// Per local reference number (``Entry/reference``), its reference's rank among the references sorted by
    /// id; per rank, the reference's index in `symbols.references`: a set of local numbers reads back in id order.
    private let referenceIDRank: [UInt32]
    private let referenceByIDRank: [UInt32]
    /// Per local reference number, its reference's index in `symbols.references`.
    private let referenceOfLocal: [UInt32]
    /// Per reference (index in `symbols.references`), its local number.
    private let localOfReference: [UInt32]
    private var entries: [Entry] = []
    /// Per (kind, group, slot, activity, sign): slot 0 holds the group's ``Route/itself`` entries, slot 1 its
    /// ``Route/ownBaseline`` or ``Route/anyMSCBaseline`` ones (a group has at most one of the two).
    fileprivate var lists: [Slice] = []
    /// Per (kind, pre-conditioning, activity, sign): every group's ``Route/otherSource`` entries.
    private var crossLists: [Slice] = []

    /// The list slot of a route that reaches one pair; `nil` for ``Route/otherSource``, which has cross lists.
    static func slot(_ route: Route) -> Int? {
        switch route {
        case .itself: 0
        case .ownBaseline, .anyMSCBaseline: 1
        case .otherSource: nil
        }
    }

    fileprivate func listIndex(kind: Int, source: Int, preconditioning: Int, slot: Int, activity: Int, sign: Int)
        -> Int
    {
        ((((kind * sourceCount + source) * preconditioningCount + preconditioning) * 2 + slot) * activityCount
            + activity) * 2 + sign
    }

    /// The cross list of (kind, pre-conditioning, activity, sign), counted from 0.
    fileprivate func crossIndex(kind: Int, preconditioning: Int, activity: Int, sign: Int) -> Int {
        ((kind * preconditioningCount + preconditioning) * activityCount + activity) * 2 + sign
    }

    /// Indexes `evidence`; `decisiveMechanisms` are, per activity and component, the mechanisms that can
    /// win de-duplication (``Recommender`` chooses them, for traces as for this index).
    /// With `scoring`, only those activities (flags by activity index) get lists: an index for one
    /// indication's ranking (sensitivity builds one per perturbed run).
    init(
        evidence: EvidenceBase, model: ScoringModel,
        decisiveMechanisms: [ActivityID: [ComponentID: [MechanismRecord]]], scoring: [Bool]? = nil
    ) {
        let symbols = evidence.symbols
        sourceCount = symbols.sources.count
        preconditioningCount = symbols.preconditionings.count
        let wanted = scoring ?? [Bool](repeating: true, count: symbols.activities.count)
        var slots = [Int32](repeating: -1, count: symbols.activities.count)
        var indexed = 0
        for a in slots.indices where a < wanted.count && wanted[a] {
            slots[a] = Int32(indexed)
            indexed += 1
        }
        activitySlot = slots
        activityCount = indexed
        referenceCount = symbols.references.count
        anyMSC = symbols.sources.firstIndex(of: .anyMSC) ?? -1
        none = symbols.preconditionings.firstIndex(of: .none) ?? -1
        let policy = model.policy
        let levelWeights = symbols.levels.map { policy.weight(of: $0) }
        let distinctWeights = Array(Set(levelWeights)).sorted(by: >)
        let levelRanks = levelWeights.map { UInt16(truncatingIfNeeded: distinctWeights.firstIndex(of: $0) ?? 0) }
        let productWeights = symbols.products.map { policy.weight(of: $0) }
        kindCount = evidence.comparisons.isEmpty ? 1 : ContributionKind.allCases.count
        lists = [Slice](
            repeating: Slice(), count: kindCount * sourceCount * preconditioningCount * 2 * activityCount * 2)
        // Per role and group (source × pre-conditioning + pre-conditioning), the model's routes with their
        // list, own-source flag and m = sourceFactor × preFactor.
        var routes: [GroupRoutes] = []
        for role in EvidenceRole.allCases {
            for source in symbols.sources {
                for pre in symbols.preconditionings {
                    let group = EvidenceGroup(source: source, preconditioning: pre)
                    routes.append(
                        GroupRoutes(
                            model.routes(from: group, as: role).map { route in
                                let (sourceFactor, preFactor) = model.factors(route)
                                return RouteUse(slot: Self.slot(route) ?? -1, m: sourceFactor * preFactor)
                            }))
                }
            }
        }

        // Per component, the decisive links: (activity, effect sign, mechanism level weight).
        let componentIndex = Dictionary(
            symbols.components.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let activityIndex = Dictionary(
            symbols.activities.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var links = [[(activity: Int, sign: Double, weight: Double)]](repeating: [], count: symbols.components.count)
        let scored = scoring ?? [Bool](repeating: true, count: symbols.activities.count)
        for (activity, byComponent) in decisiveMechanisms {
            guard let a = activityIndex[activity], a < scored.count, scored[a] else { continue }
            for (component, mechanisms) in byComponent {
                guard let k = componentIndex[component] else { continue }
                links[k] += mechanisms.map { (a, $0.effect.sign, policy.weight(of: $0.level)) }
            }
        }
        let (secretomeOrder, functionOrder) = evidence.recordOrder()
        let references = Self.localReferenceNumbers(evidence, anyMSC: anyMSC, none: none)
        let (idRank, byIDRank) = Self.referenceOrders(symbols.references, local: references)
        (referenceIDRank, referenceByIDRank) = (idRank, byIDRank)
        referenceOfLocal = idRank.map { byIDRank[Int($0)] }
        localOfReference = references

        let contributions = Contributions(
            index: self, model: model, functions: evidence.functions.table.rows,
            secretome: evidence.secretome.table.rows,
            comparisons: evidence.comparisons.table.rows, functionOrder: functionOrder,
            secretomeOrder: secretomeOrder, references: references, levelWeights: levelWeights,
            levelRanks: levelRanks, productWeights: productWeights, links: links, routes: routes,
            viaComponent: policy.viaComponent, comparison: policy.comparison, scored: scored)

        // Two passes, counting then placing, so that every contribution is stored once, already bucketed;
        // each pass on both cores, over half of each table.
        let listCount = lists.count + kindCount * preconditioningCount * activityCount * 2
        let halves = [0, 1].map { half in
            Contributions.Ranges(
                functions: contributions.functions.count * half / 2..<contributions.functions.count * (half + 1) / 2,
                secretome: contributions.secretome.count * half / 2..<contributions.secretome.count * (half + 1) / 2,
                comparisons: contributions.comparisons.count * half / 2..<contributions.comparisons.count * (half + 1)
                    / 2)
        }
        let counted = ConcurrentResults<[UInt32]>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            var counter = Counter(counts: [UInt32](repeating: 0, count: listCount))
            contributions.forEach(halves[half], into: &counter)
            counted.set(half, counter.counts)
        }
        let counts = counted.values
        // Positions as 32-bit numbers (the lists are as many as groups × activities, and their bounds were most
        // of the index's memory on wide bases); an index past 2^31 entries would need 48 GB for its entries.
        var starts = [UInt32](repeating: 0, count: listCount + 1)
        for list in 0..<listCount where counts.count == 2 {
            starts[list + 1] = starts[list] &+ counts[0][list] &+ counts[1][list]
        }
        var entries = [Entry](
            repeating: Entry(value: 0, reference: 0, order: 0, level: 0, levelRank: 0, source: 0),
            count: Int(starts[listCount]))
        let firstHalfStarts = starts
        entries.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                var next = firstHalfStarts
                if half == 1, counts.count == 2 { for list in 0..<listCount { next[list] &+= counts[0][list] } }
                var placer = Placer(next: next, entries: buffer)
                contributions.forEach(halves[half], into: &placer)
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
                    let (start, end) = (Int(bounds[list]), Int(bounds[list + 1]))
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
            slices[list] = Slice(start: Int32(truncatingIfNeeded: starts[list]), end: sortedHalves[list % 2][list / 2])
        }
        self.entries = entries
        let listsCount = lists.count
        crossLists = Array(slices[listsCount...])
        slices.removeLast(slices.count - listsCount)
        lists = slices
    }

    /// Numbers the references so that those a candidate reads together are close in memory: any-msc's
    /// first, then by the pre-conditioning of their first record that has one. Scoring keeps one small state
    /// per reference and looks it up for every entry; with references numbered in file order those look-ups
    /// miss the cache once the base has ~10^5 references, and they dominated the time (measured with perf).
    private static func localReferenceNumbers(_ evidence: EvidenceBase, anyMSC: Int, none: Int) -> [UInt32] {
        let count = evidence.symbols.references.count
        let pres = evidence.symbols.preconditionings.count
        var key = [Int](repeating: -1, count: count)
        func see(reference: UInt32, source: UInt32, preconditioning: UInt32) {
            let r = Int(reference)
            let block = Int(source) == anyMSC ? 0 : 1
            let pre = Int(preconditioning)
            if key[r] < 0 || (pre != none && key[r] % (pres + 1) == pres) || (block == 0 && key[r] >= pres + 1) {
                key[r] = block * (pres + 1) + (pre == none ? pres : pre)
            }
        }
        for table in [evidence.functions.table, evidence.secretome.table] {
            for row in table.rows {
                see(reference: row.reference, source: row.source, preconditioning: row.preconditioning)
            }
        }
        for row in evidence.comparisons.table.rows {
            see(reference: row.reference, source: row.source, preconditioning: row.preconditioning)
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

    /// For the local numbers `local` of `references` (indexed by reference): each local number's rank by id,
    /// and each rank's reference index.
    private static func referenceOrders(_ references: [ReferenceID], local: [UInt32]) -> ([UInt32], [UInt32]) {
        var byID = (0..<UInt32(truncatingIfNeeded: references.count)).map { $0 }
        if !references.indices.dropFirst().allSatisfy({ references[$0 - 1] < references[$0] }) {
            byID.sort { references[Int($0)] < references[Int($1)] }
        }
        var rankOfLocal = [UInt32](repeating: 0, count: references.count)
        for (rank, global) in byID.enumerated() {
            rankOfLocal[Int(local[Int(global)])] = UInt32(truncatingIfNeeded: rank)
        }
        return (rankOfLocal, byID)
    }

    /// The model's de-duplication order for an entry: the level's rank by weight stands for its weight (rank 0
    /// is the heaviest, so the key is its complement), the position among records sorted by id for the ids.
    @inline(__always)
    static func key(_ entry: Entry, isOwn: Bool) -> ScoringModel.DeduplicationKey<UInt16, UInt32> {
        ScoringModel.DeduplicationKey(
            magnitude: entry.value, isOwnSource: isOwn, level: UInt16.max - entry.levelRank, id: entry.order)
    }

    /// The de-duplication order within a list, whose entries share their own-source flag.
    @inline(__always)
    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        key(a, isOwn: false).precedes(key(b, isOwn: false))
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
    /// The lists of the current merge, kept between merges so that none allocates.
    fileprivate var streams: [Stream] = []

    init(references: Int, activities: Int) {
        words = (references + 63) / 64
        seen = [UInt64](repeating: 0, count: words)
        reached = [UInt64](repeating: 0, count: words * activities)
    }
}

/// One sorted list being merged.
private struct Stream {
    var next: Int
    let end: Int
    let isOwn: Bool
    /// The source whose entries are skipped (the candidate's own, in a cross list), or −1.
    let skip: Int
}

extension ScoreIndex {
    /// What candidate c = (`s`, `p`) reads: per route that can reach it (``Route/groups(reaching:)``), the
    /// list of the one group it reaches c from (slot and group) or, for ``Route/otherSource``, the cross list of
    /// c's pre-conditioning without c's own source's entries.
    struct Reads {
        fileprivate var reads: [(slot: Int, group: Int, isOwn: Bool)] = []
        fileprivate var crossPreconditioning = -1
        fileprivate var skip = -1
    }

    /// The lists candidate `c`, whose source and pre-conditioning have indexes `s` and `p`, reads.
    func reads(_ c: Candidate, source s: Int, preconditioning p: Int) -> Reads {
        var reads = Reads()
        for route in Route.allCases {
            guard let groups = route.groups(reaching: c) else {
                (reads.crossPreconditioning, reads.skip) = (p, s)
                continue
            }
            for group in groups {
                // The groups that reach one pair are made of c's own source or any-msc, and of c's own
                // pre-conditioning or none.
                let source = group.source == c.source ? s : group.source == .anyMSC ? anyMSC : -1
                let pre = group.preconditioning == c.preconditioning ? p : group.preconditioning == .none ? none : -1
                guard source >= 0, pre >= 0, let slot = Self.slot(route) else { continue }
                reads.reads.append((slot, source * preconditioningCount + pre, route.isOwnSource))
            }
        }
        return reads
    }

    /// The non-empty lists of `kind` that `reads` selects for activity `a` and `sign`, into `streams`.
    private func streams(_ reads: Reads, kind: Int, activity: Int, sign: Int, into streams: inout [Stream]) {
        streams.removeAll(keepingCapacity: true)
        let a = Int(activitySlot[activity])
        guard a >= 0 else { return }
        func add(_ slice: Slice, own: Bool, skip: Int = -1) {
            if slice.start < slice.end {
                streams.append(Stream(next: Int(slice.start), end: Int(slice.end), isOwn: own, skip: skip))
            }
        }
        for read in reads.reads {
            let (source, pre) = (read.group / preconditioningCount, read.group % preconditioningCount)
            add(
                lists[
                    listIndex(
                        kind: kind, source: source, preconditioning: pre, slot: read.slot, activity: a, sign: sign)],
                own: read.isOwn)
        }
        if reads.crossPreconditioning >= 0 {
            add(
                crossLists[
                    crossIndex(kind: kind, preconditioning: reads.crossPreconditioning, activity: a, sign: sign)],
                own: false, skip: reads.skip)
        }
    }

    /// Scores the candidate whose lists are `reads` for `activities` (indexes): per activity the four harmonic
    /// sums after de-duplication (absolute and comparative apart) and the best own kept positive absolute level,
    /// and per indication (the positions in `activities` of its lines' activities) the number of distinct
    /// references among the kept contributions of both kinds. With `limit` above 0, also per activity and
    /// harmonic sum (P, N, W, L) the references (indexes into `symbols.references`) of its first `limit` kept
    /// values, in order: what a trace that lists only the largest contributions shows.
    ///
    /// With `excluded` (an index into `symbols.references`), that reference's entries are skipped: the
    /// numbers are those of the evidence without its function, secretome and comparison records, computed as
    /// an index of that evidence computes them (the other entries keep their order and their lists).
    func score(
        _ reads: Reads, activities: [Int], indications: [[Int]], keeping limit: Int = 0, excluding excluded: Int? = nil,
        scratch: inout ScoreScratch
    ) -> (activities: [ActivityScore], references: [Int], kept: [[[UInt32]]]) {
        let skipped = excluded.map { Int(localOfReference[$0]) } ?? -1
        let words = scratch.words
        var results: [ActivityScore] = []
        results.reserveCapacity(activities.count)
        var keptLists: [[[UInt32]]] = []
        for (slot, a) in activities.enumerated() {
            var result = ActivityScore()
            var lists = [[UInt32]](repeating: [], count: limit > 0 ? 4 : 0)
            for w in 0..<words { scratch.reached[slot * words + w] = 0 }
            for (k, kind) in ContributionKind.allCases.prefix(kindCount).enumerated() {
                for sign in 0..<2 {
                    var streams: [Stream] = []
                    swap(&streams, &scratch.streams)
                    defer { swap(&streams, &scratch.streams) }
                    self.streams(reads, kind: k, activity: a, sign: sign, into: &streams)
                    var sum = ScoringModel.HarmonicSum()
                    var kept: [UInt32] = []
                    let bestOwn =
                        streams.isEmpty
                        ? nil
                        : merge(
                            &streams, slot: slot, positive: sign == 0 && kind == .absolute, sum: &sum,
                            keeping: limit, kept: &kept, skipping: skipped, scratch: &scratch)
                    if limit > 0 { lists[k * 2 + sign] = kept }
                    switch (kind, sign) {
                    case (.absolute, 0):
                        result.positive = sum
                        if let bestOwn { result.bestOwnLevel = Int32(bestOwn.level) }
                    case (.absolute, _): result.negative = sum
                    case (.comparative, 0): result.won = sum
                    case (.comparative, _): result.lost = sum
                    }
                }
            }
            results.append(result)
            if limit > 0 { keptLists.append(lists) }
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
        return (results, counts, keptLists)
    }

    /// The references (indexes into `symbols.references`, in id order) of the kept contributions, of both
    /// kinds, to `activities` for the candidate whose lists are `reads`: the distinct references that
    /// ``score(_:activities:indications:scratch:)`` counts, listed.
    func references(_ reads: Reads, activities: [Int], scratch: inout ScoreScratch) -> [Int32] {
        let words = scratch.words
        // Every reference with an entry in a list the candidate reads has one kept contribution there (the
        // first in the model's order), so the union of the lists' references is the kept references: no
        // merge, no order, one bit per entry.
        var union = [UInt64](repeating: 0, count: words)
        var streams: [Stream] = []
        entries.withUnsafeBufferPointer { entries in
            for a in activities {
                for kind in 0..<kindCount {
                    for sign in 0..<2 {
                        self.streams(reads, kind: kind, activity: a, sign: sign, into: &streams)
                        for stream in streams {
                            for index in stream.next..<stream.end where Int(entries[index].source) != stream.skip {
                                let reference = Int(entries[index].reference)
                                union[reference / 64] |= UInt64(1) << UInt64(reference % 64)
                            }
                        }
                    }
                }
            }
        }
        var ranked = [UInt64](repeating: 0, count: words)
        var count = 0
        for w in 0..<words where union[w] != 0 {
            var bits = union[w]
            while bits != 0 {
                let local = w * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                let rank = Int(referenceIDRank[local])
                ranked[rank / 64] |= UInt64(1) << UInt64(rank % 64)
                count += 1
            }
        }
        var result: [Int32] = []
        result.reserveCapacity(count)
        for w in 0..<words where ranked[w] != 0 {
            var bits = ranked[w]
            while bits != 0 {
                result.append(Int32(truncatingIfNeeded: referenceByIDRank[w * 64 + bits.trailingZeroBitCount]))
                bits &= bits - 1
            }
        }
        return result
    }

    /// Merges `streams` in DESIGN §5's order, keeping the first entry of each reference: adds the kept
    /// values to `sum`, marks the references as reaching the activity at `slot`, appends the references of the
    /// first `limit` kept values to `kept`, and returns the best kept own entry's level when `positive` (absolute
    /// positive lists: the minimum-level fact). Entries of the local reference `skipped` are passed over.
    ///
    /// Runs: once the stream with the first entry is found, its entries are taken for as long as they come
    /// before the head of the next-best stream, with one comparison each.
    private func merge(
        _ streams: inout [Stream], slot: Int, positive: Bool, sum: inout ScoringModel.HarmonicSum,
        keeping limit: Int, kept: inout [UInt32], skipping skipped: Int, scratch: inout ScoreScratch
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
                                if Int(entry.source) == skip || Int(entry.reference) == skipped { continue }
                                let (word, bit) = (Int(entry.reference) / 64, UInt64(1) << UInt64(entry.reference % 64))
                                guard seen[word] & bit == 0 else { continue }
                                seen[word] |= bit
                                reached[reachedBase + word] |= bit
                                sum.add(entry.value)
                                if kept.count < limit { kept.append(referenceOfLocal[Int(entry.reference)]) }
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

    /// Whether entry `a` (of an own list or not) is kept before `b` by the model's de-duplication order.
    @inline(__always)
    private static func before(_ a: Entry, _ aOwn: Bool, _ b: Entry, _ bOwn: Bool) -> Bool {
        key(a, isOwn: aOwn).precedes(key(b, isOwn: bOwn))
    }
}

/// Receives the contributions of ``Contributions/forEach(_:into:)``.
private protocol ContributionSink {
    mutating func take(_ list: Int, _ entry: ScoreIndex.Entry)
}

/// Counts contributions per list.
private struct Counter: ContributionSink {
    var counts: [UInt32]
    mutating func take(_ list: Int, _ entry: ScoreIndex.Entry) { counts[list] &+= 1 }
}

/// Places contributions at the next free position of their list.
private struct Placer: ContributionSink {
    var next: [UInt32]
    let entries: UnsafeMutableBufferPointer<ScoreIndex.Entry>
    mutating func take(_ list: Int, _ entry: ScoreIndex.Entry) {
        entries[Int(next[list])] = entry
        next[list] &+= 1
    }
}

/// A route of a group, as the index uses it: its list slot (−1 for the cross list) and m = sourceFactor ×
/// preFactor, both from the model.
private struct RouteUse {
    var slot: Int
    var m: Double
}

/// A group's routes in one role, inline (a group has at most two): read for every record without reference
/// counting.
private struct GroupRoutes {
    var count = 0
    var first = RouteUse(slot: -1, m: 0)
    var second = RouteUse(slot: -1, m: 0)

    init(_ routes: [RouteUse]) {
        count = min(routes.count, 2)
        if let route = routes.first { first = route }
        if routes.count > 1 { second = routes[1] }
    }

    @inline(__always)
    subscript(index: Int) -> RouteUse { index == 0 ? first : second }
}

/// Every non-zero contribution of every secretome, function and comparison record, along each route of its
/// group (DESIGN §5: direct, via-component and comparative values), with the list it belongs to.
private struct Contributions {
    let index: ScoreIndex
    let model: ScoringModel
    let functions: [PackedSample]
    let secretome: [PackedSample]
    let comparisons: [PackedComparison]
    let functionOrder: [UInt32]
    let secretomeOrder: [UInt32]
    let references: [UInt32]
    let levelWeights: [Double]
    let levelRanks: [UInt16]
    let productWeights: [Double]
    let links: [[(activity: Int, sign: Double, weight: Double)]]
    /// Per ``EvidenceRole`` (in `allCases` order) and group, the group's routes.
    let routes: [GroupRoutes]
    let viaComponent: Double
    let comparison: Double
    /// Per activity, whether the index has lists for it.
    let scored: [Bool]

    /// The rows of each table one pass reads.
    struct Ranges {
        var functions: Range<Int>
        var secretome: Range<Int>
        var comparisons: Range<Int>
    }

    private static let absolute = EvidenceRole.allCases.firstIndex(of: .absolute) ?? 0

    @inline(__always)
    private func routes(_ role: Int, source: UInt32, preconditioning: UInt32) -> GroupRoutes {
        routes[(role * index.sourceCount + Int(source)) * index.preconditioningCount + Int(preconditioning)]
    }

    @inline(__always)
    private func add<Sink: ContributionSink>(
        _ value: Double, positive: Bool, kind: Int, activity: Int, source: UInt32, preconditioning: UInt32,
        route: RouteUse, level: UInt32, reference: UInt32, order: UInt32, into sink: inout Sink
    ) {
        guard value != 0 else { return }
        let activity = Int(index.activitySlot[activity])
        guard activity >= 0 else { return }
        let sign = positive ? 0 : 1
        let pre = Int(preconditioning)
        let list =
            route.slot < 0
            ? index.lists.count + index.crossIndex(kind: kind, preconditioning: pre, activity: activity, sign: sign)
            : index.listIndex(
                kind: kind, source: Int(source), preconditioning: pre, slot: route.slot, activity: activity, sign: sign)
        sink.take(
            list,
            ScoreIndex.Entry(
                value: value, reference: references[Int(reference)], order: order,
                level: UInt16(truncatingIfNeeded: level), levelRank: levelRanks[Int(level)],
                source: UInt16(truncatingIfNeeded: source)))
    }

    func forEach<Sink: ContributionSink>(_ ranges: Ranges, into sink: inout Sink) {
        let supports = Outcome.allCases.map { $0.sign > 0 }
        for index in ranges.functions {
            let row = functions[index]
            guard scored[Int(row.subject)] else { continue }
            let positive = supports[Int(row.sign)]
            let (lw, pw) = (levelWeights[Int(row.level)], productWeights[Int(row.product)])
            let routes = routes(Self.absolute, source: row.source, preconditioning: row.preconditioning)
            for r in 0..<routes.count {
                let route = routes[r]
                let value = ScoringModel.directMagnitude(levelWeight: lw, productWeight: pw, m: route.m)
                add(
                    value, positive: positive, kind: 0, activity: Int(row.subject), source: row.source,
                    preconditioning: row.preconditioning, route: route, level: row.level, reference: row.reference,
                    order: functionOrder[index], into: &sink)
            }
        }
        let directions = Direction.allCases.map(\.sign)
        for index in ranges.secretome {
            let row = secretome[index]
            let chains = links[Int(row.subject)]
            guard !chains.isEmpty else { continue }
            let direction = directions[Int(row.sign)]
            let (lw, pw) = (levelWeights[Int(row.level)], productWeights[Int(row.product)])
            let routes = routes(Self.absolute, source: row.source, preconditioning: row.preconditioning)
            for chain in chains {
                for r in 0..<routes.count {
                    let route = routes[r]
                    let value = ScoringModel.viaComponentMagnitude(
                        levelWeight: lw, productWeight: pw, mechanismLevelWeight: chain.weight, m: route.m,
                        viaComponent: viaComponent)
                    add(
                        value, positive: direction * chain.sign > 0, kind: 0, activity: chain.activity,
                        source: row.source, preconditioning: row.preconditioning, route: route, level: row.level,
                        reference: row.reference, order: secretomeOrder[index], into: &sink)
                }
            }
        }
        let outcomes = ComparisonOutcome.allCases.map(\.sign)
        let roles = EvidenceRole.allCases
        for index in ranges.comparisons {
            let row = comparisons[index]
            let contrast = Contrast(sameSource: row.source == row.versusSource)
            let role = roles.firstIndex(of: model.role(of: contrast)) ?? 0
            let (lw, pw) = (levelWeights[Int(row.level)], productWeights[Int(row.product)])
            for side in ComparisonSide.allCases {
                let (source, pre) =
                    side == .subject ? (row.source, row.preconditioning) : (row.versusSource, row.versusPreconditioning)
                let sign = side == .subject ? outcomes[Int(row.outcome)] : -outcomes[Int(row.outcome)]
                guard sign != 0, ScoringModel.takesPart(in: contrast, isBaseline: Int(pre) == self.index.none) else {
                    continue
                }
                let routes = routes(role, source: source, preconditioning: pre)
                for r in 0..<routes.count {
                    let route = routes[r]
                    if !row.measuresComponent {
                        guard scored[Int(row.measure)] else { continue }
                        let value = ScoringModel.comparativeMagnitude(
                            levelWeight: lw, productWeight: pw, sideFactor: route.m, comparison: comparison)
                        add(
                            value, positive: sign > 0, kind: 1, activity: Int(row.measure), source: source,
                            preconditioning: pre, route: route, level: row.level, reference: row.reference,
                            order: UInt32(truncatingIfNeeded: index), into: &sink)
                        continue
                    }
                    for chain in links[Int(row.measure)] {
                        let value = ScoringModel.comparativeViaComponentMagnitude(
                            levelWeight: lw, productWeight: pw, mechanismLevelWeight: chain.weight,
                            sideFactor: route.m, comparison: comparison, viaComponent: viaComponent)
                        add(
                            value, positive: sign * chain.sign > 0, kind: 1, activity: chain.activity, source: source,
                            preconditioning: pre, route: route, level: row.level, reference: row.reference,
                            order: UInt32(truncatingIfNeeded: index), into: &sink)
                    }
                }
            }
        }
    }
}
