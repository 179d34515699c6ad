public import EvidenceModel

/// How well the evidence covers each indication, by source and by pre-conditioning: the curator's view of
/// where the holes are.
///
/// A record is *relevant* to an indication when it can contribute to one of the indication's activities:
/// a function record about one of them, a secretome record whose component a mechanism record links to
/// one of them, or a comparison whose measure is one of them or such a component. Cells count distinct
/// references of relevant records, without extrapolation: a cell of `adipose` counts only records whose source
/// is `adipose` (for a comparison, either side's). Comparisons are also counted on their own, per source and
/// pre-conditioning, because the head-to-head findings are what a shortlist's order rests on.
public struct Coverage: Sendable {
    /// One row of a matrix: a source or a pre-conditioning.
    public struct Row: Sendable, Hashable {
        /// The source or pre-conditioning.
        public var id: String
        /// Distinct references of relevant records, per indication, in indication order.
        public var references: [Int]
        /// Secretome and function records with this source or pre-conditioning, relevant or not.
        public var records: Int
        /// Distinct references of relevant comparisons with a side of this source or pre-conditioning, per
        /// indication, in indication order.
        public var comparisonReferences: [Int]
        /// Comparison records with a side of this source or pre-conditioning, relevant or not.
        public var comparisons: Int
        /// The indications for which some candidate with this source or pre-conditioning is eligible.
        public var eligibleIn: [IndicationID]
    }

    /// The indications (the matrices' columns), sorted by id.
    public var indications: [IndicationID]
    /// One row per declared source (`any-msc` included), sorted by id.
    public var sources: [Row]
    /// One row per declared pre-conditioning, sorted by id.
    public var preconditionings: [Row]
    /// The number of eligible tested candidates per indication, in indication order.
    public var eligibleCandidates: [Int]

    /// Computes the coverage of a recommender's knowledge base.
    ///
    /// Complexity: O(I · (F + S + M)) for I indications, F function, S secretome and M mechanism records,
    /// plus ranking every indication.
    public init(_ recommender: Recommender) {
        let kb = recommender.knowledgeBase
        let indications = kb.rules.indications
        self.indications = indications.map(\.id)
        let evidence = kb.evidence

        // For each indication: the references of its relevant records, keyed by source and by pre-conditioning.
        var bySource: [[SourceID: Set<ReferenceID>]] = []
        var byPre: [[PreconditioningID: Set<ReferenceID>]] = []
        var comparisonsBySource: [[SourceID: Set<ReferenceID>]] = []
        var comparisonsByPre: [[PreconditioningID: Set<ReferenceID>]] = []
        let comparisons = Array(evidence.comparisons)
        for indication in indications {
            let activities = Set(indication.lines.map(\.activity))
            let linkedComponents = Set(evidence.mechanisms.filter { activities.contains($0.activity) }.map(\.component))
            var sources: [SourceID: Set<ReferenceID>] = [:]
            var pres: [PreconditioningID: Set<ReferenceID>] = [:]
            for f in evidence.functions where activities.contains(f.activity) {
                sources[f.source, default: []].insert(f.reference)
                pres[f.preconditioning, default: []].insert(f.reference)
            }
            for r in evidence.secretome where linkedComponents.contains(r.component) {
                sources[r.source, default: []].insert(r.reference)
                pres[r.preconditioning, default: []].insert(r.reference)
            }
            var comparisonSources: [SourceID: Set<ReferenceID>] = [:]
            var comparisonPres: [PreconditioningID: Set<ReferenceID>] = [:]
            for x in comparisons {
                switch x.measure {
                case .activity(let a) where activities.contains(a): break
                case .component(let k) where linkedComponents.contains(k): break
                default: continue
                }
                for side in ComparisonSide.allCases {
                    let pair = x.pair(side)
                    sources[pair.source, default: []].insert(x.reference)
                    pres[pair.preconditioning, default: []].insert(x.reference)
                    comparisonSources[pair.source, default: []].insert(x.reference)
                    comparisonPres[pair.preconditioning, default: []].insert(x.reference)
                }
            }
            bySource.append(sources)
            byPre.append(pres)
            comparisonsBySource.append(comparisonSources)
            comparisonsByPre.append(comparisonPres)
        }

        var eligibleSources: [SourceID: [IndicationID]] = [:]
        var eligiblePres: [PreconditioningID: [IndicationID]] = [:]
        var eligibleCounts: [Int] = []
        for ranking in recommender.rankAll() {
            let eligible = ranking.entries.map(\.evaluation).filter(\.isEligible)
            eligibleCounts.append(eligible.count)
            for source in Set(eligible.map(\.candidate.source)) {
                eligibleSources[source, default: []].append(ranking.indication.id)
            }
            for pre in Set(eligible.map(\.candidate.preconditioning)) {
                eligiblePres[pre, default: []].append(ranking.indication.id)
            }
        }
        eligibleCandidates = eligibleCounts

        var sourceRecords: [SourceID: Int] = [:]
        var preRecords: [PreconditioningID: Int] = [:]
        for r in evidence.secretome {
            sourceRecords[r.source, default: 0] += 1
            preRecords[r.preconditioning, default: 0] += 1
        }
        for f in evidence.functions {
            sourceRecords[f.source, default: 0] += 1
            preRecords[f.preconditioning, default: 0] += 1
        }
        var sourceComparisons: [SourceID: Int] = [:]
        var preComparisons: [PreconditioningID: Int] = [:]
        for x in comparisons {
            for source in Set([x.source, x.versusSource]) { sourceComparisons[source, default: 0] += 1 }
            for pre in Set([x.preconditioning, x.versusPreconditioning]) { preComparisons[pre, default: 0] += 1 }
        }

        sources = kb.rules.vocabulary.sources.ids.map { id in
            Row(
                id: id.rawValue, references: bySource.map { $0[id]?.count ?? 0 }, records: sourceRecords[id] ?? 0,
                comparisonReferences: comparisonsBySource.map { $0[id]?.count ?? 0 },
                comparisons: sourceComparisons[id] ?? 0, eligibleIn: eligibleSources[id] ?? [])
        }
        preconditionings = kb.rules.vocabulary.preconditionings.ids.map { id in
            Row(
                id: id.rawValue, references: byPre.map { $0[id]?.count ?? 0 }, records: preRecords[id] ?? 0,
                comparisonReferences: comparisonsByPre.map { $0[id]?.count ?? 0 },
                comparisons: preComparisons[id] ?? 0, eligibleIn: eligiblePres[id] ?? [])
        }
    }
}
