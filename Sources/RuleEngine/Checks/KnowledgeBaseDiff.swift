public import EvidenceModel

/// What changed between two knowledge bases, and what it does to the rankings: the reviewer's view of a
/// pull request.
public struct KnowledgeBaseDiff: Sendable {
    /// A change of one named thing: added, removed, or changed from one description to another.
    public struct Change: Sendable, Hashable {
        /// What kind of change.
        public enum Kind: String, Sendable, Hashable {
            /// Only in the head.
            case added
            /// Only in the base.
            case removed
            /// In both, different.
            case changed
        }

        /// The kind.
        public var kind: Kind
        /// What changed: `wound-healing requires angiogenesis`, `WF-F003`, `level in-vivo`, ….
        public var subject: String
        /// The base's description, when there is one.
        public var base: String?
        /// The head's description, when there is one.
        public var head: String?
        /// Where the thing is in the head (or in the base, when it was removed).
        public var span: SourceSpan?
    }

    /// How one candidate moved in one indication.
    public struct Movement: Sendable, Hashable {
        /// The candidate.
        public var candidate: Candidate
        /// Rank, score and eligibility in the base; `nil` when not a candidate there.
        public var base: Standing?
        /// Rank, score and eligibility in the head; `nil` when not a candidate there.
        public var head: Standing?
    }

    /// A candidate's place in a ranking.
    public struct Standing: Sendable, Hashable {
        /// The rank.
        public var rank: Int
        /// The score.
        public var score: Double
        /// Whether eligible.
        public var isEligible: Bool
    }

    /// The ranking changes of one indication.
    public struct IndicationChanges: Sendable, Hashable {
        /// The indication.
        public var indication: IndicationID
        /// Whether it exists only in the base, only in the head, or in both.
        public var presence: Change.Kind?
        /// Candidates whose rank, score or eligibility changed, in head-rank order (removed ones last).
        public var movements: [Movement]
        /// Candidates that enter the shortlist (the first `shortlistSize`).
        public var entering: [Candidate]
        /// Candidates that leave the shortlist.
        public var leaving: [Candidate]
    }

    /// Changes to the policy, vocabulary and indications' rule lines.
    public var ruleChanges: [Change]
    /// Changes to references and records.
    public var evidenceChanges: [Change]
    /// Ranking changes, per indication in id order (indications without any change are omitted).
    public var rankings: [IndicationChanges]
    /// The shortlist size used for entering and leaving.
    public var shortlistSize: Int

    /// Compares two knowledge bases. Scores that differ by less than 1e-12 count as equal.
    ///
    /// Complexity: ranking every indication of both, plus O(n log n) in the number of records.
    public init(base: KnowledgeBase, head: KnowledgeBase, shortlistSize: Int = 5) {
        self.shortlistSize = shortlistSize
        ruleChanges = Self.ruleChanges(base.rules, head.rules)
        evidenceChanges = Self.evidenceChanges(base.evidence, head.evidence)
        let baseRecommender = Recommender(knowledgeBase: base)
        let headRecommender = Recommender(knowledgeBase: head)
        let ids = Set(base.rules.indications.map(\.id)).union(head.rules.indications.map(\.id)).sorted()
        var rankings: [IndicationChanges] = []
        for id in ids {
            let baseRanking = base.rules.indication(id).map { baseRecommender.rank($0) }
            let headRanking = head.rules.indication(id).map { headRecommender.rank($0) }
            func standings(_ ranking: Ranking?) -> [Candidate: Standing] {
                var result: [Candidate: Standing] = [:]
                for entry in ranking?.entries ?? [] {
                    result[entry.evaluation.candidate] = Standing(
                        rank: entry.rank, score: entry.evaluation.score, isEligible: entry.evaluation.isEligible)
                }
                return result
            }
            let before = standings(baseRanking)
            let after = standings(headRanking)
            var movements: [Movement] = []
            for candidate in Set(before.keys).union(after.keys) {
                let b = before[candidate]
                let h = after[candidate]
                let same =
                    b?.rank == h?.rank && b?.isEligible == h?.isEligible
                    && abs((b?.score ?? 0) - (h?.score ?? 0)) < 1e-12 && (b == nil) == (h == nil)
                if !same { movements.append(Movement(candidate: candidate, base: b, head: h)) }
            }
            movements.sort { a, b in
                switch (a.head, b.head) {
                case (let x?, let y?): return x.rank < y.rank
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return (a.base?.rank ?? 0, a.candidate) < (b.base?.rank ?? 0, b.candidate)
                }
            }
            let shortBefore = Set((baseRanking?.entries ?? []).prefix(shortlistSize).map(\.evaluation.candidate))
            let shortAfter = (headRanking?.entries ?? []).prefix(shortlistSize).map(\.evaluation.candidate)
            let entering = shortAfter.filter { !shortBefore.contains($0) }
            let leaving = (baseRanking?.entries ?? []).prefix(shortlistSize).map(\.evaluation.candidate)
                .filter { !shortAfter.contains($0) }
            let presence: Change.Kind? = baseRanking == nil ? .added : headRanking == nil ? .removed : nil
            if !movements.isEmpty || presence != nil {
                rankings.append(
                    IndicationChanges(
                        indication: id, presence: presence, movements: movements, entering: entering, leaving: leaving))
            }
        }
        self.rankings = rankings
    }

    /// Whether nothing changed at all.
    public var isEmpty: Bool { ruleChanges.isEmpty && evidenceChanges.isEmpty && rankings.isEmpty }

    /// Compares keyed descriptions: added, removed and changed entries, sorted by key.
    static func compare(
        _ base: [String: (String, SourceSpan?)], _ head: [String: (String, SourceSpan?)]
    ) -> [Change] {
        var changes: [Change] = []
        for key in Set(base.keys).union(head.keys).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            switch (base[key], head[key]) {
            case (let b?, let h?) where b.0 != h.0:
                changes.append(Change(kind: .changed, subject: key, base: b.0, head: h.0, span: h.1))
            case (nil, let h?): changes.append(Change(kind: .added, subject: key, base: nil, head: h.0, span: h.1))
            case (let b?, nil): changes.append(Change(kind: .removed, subject: key, base: b.0, head: nil, span: b.1))
            default: break
            }
        }
        return changes
    }

    /// A number as a person writes it: `3`, `0.45`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    static func ruleChanges(_ base: RuleSet, _ head: RuleSet) -> [Change] {
        func describe(_ rules: RuleSet) -> [String: (String, SourceSpan?)] {
            var items: [String: (String, SourceSpan?)] = [:]
            let policy = rules.policy
            for (level, weight) in policy.levelWeights {
                items["policy level \(level)"] = (number(weight), policy.spans["level.\(level)"])
            }
            for (product, weight) in policy.productWeights {
                items["policy product \(product)"] = (number(weight), policy.spans["product.\(product)"])
            }
            for discount in Policy.Discount.allCases {
                items["policy discount \(discount.rawValue)"] = (
                    number(policy[discount]), policy.spans["discount.\(discount.rawValue)"]
                )
            }
            items["policy minimum-support"] = (number(policy.minimumSupport), policy.spans["minimum-support"])
            func terms<Kind>(_ table: TermTable<Kind>, _ kind: String) {
                for term in table.terms {
                    let aliases = term.aliases.isEmpty ? "" : " aliases " + term.aliases.sorted().joined(separator: " ")
                    let ontology =
                        term.ontologyTerms.isEmpty ? "" : " term " + term.ontologyTerms.sorted().joined(separator: " ")
                    items["\(kind) \(term.id)"] = ("\"\(term.label)\"\(ontology)\(aliases)", term.span)
                }
            }
            terms(rules.vocabulary.sources, "source")
            terms(rules.vocabulary.preconditionings, "preconditioning")
            terms(rules.vocabulary.components, "component")
            terms(rules.vocabulary.activities, "activity")
            for indication in rules.indications {
                let ontology =
                    indication.ontologyTerms.isEmpty
                    ? "" : " term " + indication.ontologyTerms.sorted().joined(separator: " ")
                items["indication \(indication.id)"] = ("\"\(indication.label)\"\(ontology)", indication.span)
                items["indication \(indication.id) minimum-level"] = (
                    indication.minimumLevel?.rawValue ?? "(none)", indication.minimumLevelSpan ?? indication.span
                )
                for line in indication.lines {
                    items["indication \(indication.id) \(line.activity)"] = (
                        "\(line.kind.rawValue) weight \(number(line.weight)) because \"\(line.rationale)\"", line.span
                    )
                }
            }
            return items
        }
        return compare(describe(base), describe(head))
    }

    static func evidenceChanges(_ base: EvidenceBase, _ head: EvidenceBase) -> [Change] {
        func describe(_ evidence: EvidenceBase) -> [String: (String, SourceSpan?)] {
            var items: [String: (String, SourceSpan?)] = [:]
            for r in evidence.references {
                items["reference \(r.id)"] = (
                    "\(r.authors) (\(r.year)) \(r.title). \(r.journal). doi:\(r.doi ?? "-") PMID \(r.pmid ?? "-")",
                    r.span
                )
            }
            for r in evidence.secretome {
                items["record \(r.id)"] = (
                    "secretome \(r.source)+\(r.preconditioning) \(r.product) \(r.component) \(r.direction.rawValue) "
                        + "\(r.level) [\(r.reference)] species '\(r.species)' note '\(r.note)'", r.span
                )
            }
            for f in evidence.functions {
                items["record \(f.id)"] = (
                    "function \(f.source)+\(f.preconditioning) \(f.product) \(f.activity) \(f.outcome.rawValue) "
                        + "\(f.level) [\(f.reference)] species '\(f.species)' note '\(f.note)'", f.span
                )
            }
            for q in evidence.mechanisms {
                items["record \(q.id)"] = (
                    "mechanism \(q.component) \(q.effect.rawValue) \(q.activity) \(q.level) [\(q.reference)] "
                        + "note '\(q.note)'", q.span
                )
            }
            for x in evidence.comparisons {
                items["record \(x.id)"] = (
                    "comparison \(x.source)+\(x.preconditioning) \(x.outcome.rawValue) than "
                        + "\(x.versusSource)+\(x.versusPreconditioning) \(x.product) \(x.measure) \(x.level) "
                        + "[\(x.reference)] species '\(x.species)' note '\(x.note)'", x.span
                )
            }
            return items
        }
        return compare(describe(base), describe(head))
    }
}
