public import EvidenceModel

/// The outcome of one expectation.
public struct ExpectationResult: Sendable, Hashable {
    /// Where a candidate stands in its indication's ranking.
    public struct Standing: Sendable, Hashable {
        /// The candidate.
        public var candidate: Candidate
        /// Its rank among the tested candidates; `nil` for an untested one.
        public var rank: Int?
        /// The number of ranked candidates.
        public var of: Int
        /// Its score.
        public var score: Double
        /// Whether it is eligible.
        public var isEligible: Bool
    }

    /// The expectation.
    public var expectation: Expectation
    /// Whether it holds.
    public var passed: Bool
    /// Where each of its candidates stands.
    public var standings: [Standing]
}

/// What the expectations do not exercise.
public struct ExpectationCoverage: Sendable, Hashable {
    /// Indications without any expectation.
    public var indicationsWithoutExpectations: [IndicationID]
    /// Rule lines that no expectation exercises: no candidate named by an expectation of the indication has
    /// a kept contribution to the line's activity, so no expectation would notice if the line changed.
    public var unexercisedLines: [RuleLine]
}

/// Runs rule expectations against a recommender.
public enum ExpectationRunner {
    /// Evaluates every expectation. Complexity: one ranking per indication named.
    public static func run(_ expectations: [Expectation], with recommender: Recommender) -> (
        results: [ExpectationResult], coverage: ExpectationCoverage
    ) {
        var rankings: [IndicationID: Ranking] = [:]
        var results: [ExpectationResult] = []
        var exercised = Set<SourceSpan>()
        for expectation in expectations {
            guard let indication = recommender.knowledgeBase.rules.indication(expectation.indication) else { continue }
            let ranking = rankings[indication.id] ?? recommender.rank(indication)
            rankings[indication.id] = ranking
            let standings = expectation.candidates.map { candidate -> ExpectationResult.Standing in
                if let entry = ranking.entries.first(where: { $0.evaluation.candidate == candidate }) {
                    let trace = recommender.evaluate(candidate, for: indication)
                    for activity in trace.activities where activity.contributions.contains(where: \.isKept) {
                        exercised.insert(activity.line.span)
                    }
                    return .init(
                        candidate: candidate, rank: entry.rank, of: ranking.entries.count,
                        score: entry.evaluation.score, isEligible: entry.evaluation.isEligible)
                }
                let evaluation = recommender.evaluate(candidate, for: indication)
                return .init(
                    candidate: candidate, rank: nil, of: ranking.entries.count, score: evaluation.score,
                    isEligible: evaluation.isEligible)
            }
            let passed: Bool
            switch expectation.claim {
            case .top(let n, _): passed = standings[0].isEligible && standings[0].rank.map { $0 <= n } ?? false
            case .above:
                if let a = standings[0].rank, let b = standings[1].rank {
                    passed = a < b
                } else {
                    passed = standings[0].rank != nil && standings[1].rank == nil
                }
            case .eligible: passed = standings[0].isEligible
            case .ineligible: passed = !standings[0].isEligible
            case .score(_, let range): passed = range.contains(standings[0].score)
            }
            results.append(ExpectationResult(expectation: expectation, passed: passed, standings: standings))
        }
        let named = Set(expectations.map(\.indication))
        let indications = recommender.knowledgeBase.rules.indications
        let coverage = ExpectationCoverage(
            indicationsWithoutExpectations: indications.map(\.id).filter { !named.contains($0) },
            unexercisedLines: indications.flatMap(\.lines).filter { !exercised.contains($0.span) }.sorted {
                $0.span < $1.span
            })
        return (results, coverage)
    }
}
