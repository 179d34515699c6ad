import EvidenceModel
import RuleEngine

/// Renders a why-not answer: where the candidate stands against its rival, line by line; the evidence it
/// has that counts less than it could; the smallest evidence addition that changes the outcome, with the
/// numbers the model predicts, and the rows to add.
///
/// Values print with 6 decimals in text; JSON carries full precision.
struct WhyNotRenderer {
    var answer: WhyNotAnswer
    var knowledgeBase: KnowledgeBase
    var style = Style(enabled: false)

    private func f(_ value: Double) -> String { NumberFormat.fixed(value, 6) }
    private func w(_ value: Double) -> String { NumberFormat.weight(value) }

    private var candidate: Evaluation { answer.candidate }
    private var policy: Policy { knowledgeBase.rules.policy }
    private var supportBound: Double { ScoringModel(policy: policy).supportBound }

    // MARK: Text

    func text() -> String {
        var out = ""
        let overrides = knowledgeBase.overrides
        if !overrides.isEmpty { out += "what-if: " + overrides.map(\.description).joined(separator: ", ") + "\n\n" }
        let indication = answer.indication
        let label = indication.label.isEmpty ? "" : " (\(TerminalText.field(indication.label)))"
        out += style.bold("why not \(candidate.candidate.id) for \(indication.id)\(label)?") + "\n"
        out += standings()
        out += "\n" + lines()
        if !candidate.isEligible {
            out += "\n" + style.bold("ineligible") + "\n"
            for reason in candidate.ineligibilityReasons {
                out += "  ✗ " + Describe.reason(reason, candidate: candidate.candidate) + "\n"
            }
        } else if let rival = answer.rival {
            if answer.isAheadOfRival {
                out += "\n\(candidate.candidate.id) already ranks above \(rival.candidate.id): nothing to add.\n"
            } else if candidate.score == rival.score {
                out += "\nSame score as \(rival.candidate.id); the tie is broken by references, then by id.\n"
            }
        } else {
            out += "\n\(candidate.candidate.id) ranks first and is eligible: nothing to add.\n"
        }
        let nothingToExplain = candidate.isEligible && (answer.rival == nil || answer.isAheadOfRival)
        if nothingToExplain { return out }
        out += discounted()
        out += additions()
        out += thresholds()
        out += rows()
        out += headToHead()
        return out
    }

    /// What one head-to-head win on the decisive activity would do, level by level, and its row.
    private func headToHead() -> String {
        guard let h2h = answer.headToHead, let rival = answer.rival, let first = h2h.wins.first else { return "" }
        let c = candidate.candidate
        let versus = "\(h2h.comparator.source)+\(h2h.comparator.preconditioning)"
        var out =
            "\n" + style.bold("one head-to-head win")
            + " (a new comparison: \(c.id) better than \(versus) on \(h2h.line.activity), \(h2h.product))\n"
        out +=
            "  decisive activity: \(lineName(h2h.line)) (where one win gains the most score over "
            + "\(rival.candidate.id))\n"
        let levelWidth = max(5, h2h.wins.map(\.comparison.level.rawValue.count).max() ?? 0)
        let width = max(12, c.id.count, rival.candidate.id.count)
        out +=
            "  " + "level".padded(levelWidth) + "  " + c.id.leftPadded(width) + "  "
            + rival.candidate.id.leftPadded(width)
            + "  ranks above\n"
        for win in h2h.wins {
            out +=
                "  " + win.comparison.level.rawValue.padded(levelWidth) + "  "
                + f(win.candidate.score).leftPadded(width)
                + "  " + f(win.rival.score).leftPadded(width) + "  " + (win.ranksAboveRival ? "yes" : "no") + "\n"
        }
        out += "  (scores now: \(c.id) \(f(candidate.score)), \(rival.candidate.id) \(f(rival.score)))\n"
        let x = first.comparison
        out +=
            "  as a row of comparisons.tsv: "
            + [
                "WHY-NOT-H2H", x.source.rawValue, x.preconditioning.rawValue, x.versusSource.rawValue,
                x.versusPreconditioning.rawValue, x.product.rawValue, x.measure.description, "better", "LEVEL",
                "SPECIES", "NEW-REF", "NOTE",
            ].joined(separator: "\t") + "\n"
        return out
    }

    private func standings() -> String {
        let entries = [(candidate, answer.candidateRank)] + (answer.rival.map { [($0, answer.rivalRank ?? 0)] } ?? [])
        let width = max(9, entries.map(\.0.candidate.id.count).max() ?? 0)
        let ranks = entries.map { "\($0.1) of \(answer.candidateCount)" }
        let rankWidth = max(4, ranks.map(\.count).max() ?? 0)
        var out =
            "  " + "candidate".padded(width) + "  " + "rank".leftPadded(rankWidth) + "      score  eligible  refs\n"
        for ((e, _), rank) in zip(entries, ranks) {
            out +=
                "  " + e.candidate.id.padded(width) + "  " + rank.leftPadded(rankWidth)
                + "  " + f(e.score).leftPadded(9) + "  " + Describe.eligibility(e).padded(8) + "  "
                + String(e.referenceCount).leftPadded(4) + "\n"
        }
        return out
    }

    private func lineName(_ line: RuleLine) -> String { "\(line.kind.rawValue) \(line.activity)" }

    private func lines() -> String {
        let names = answer.indication.lines.map(lineName)
        let width = max(9, names.map(\.count).max() ?? 0)
        let columns = [candidate] + (answer.rival.map { [$0] } ?? [])
        let columnWidth = max(12, columns.map(\.candidate.id.count).max() ?? 0)
        var out =
            "  " + "rule line".padded(width) + "  weight"
            + columns.map { "  " + $0.candidate.id.leftPadded(columnWidth) }.joined() + "\n"
        for (index, line) in answer.indication.lines.enumerated() {
            out += "  " + names[index].padded(width) + "  " + w(line.weight).leftPadded(6)
            for e in columns {
                let support = e.activities[index].support
                let failing = line.kind == .requires && support < policy.minimumSupport
                out += "  " + ((failing ? "✗ " : "") + f(support)).leftPadded(columnWidth)
            }
            out += "\n"
        }
        out += "  (supports; ✗ below minimum-support \(w(policy.minimumSupport)))\n"
        return out
    }

    /// The candidate's kept contributions whose value a discount lowered: cross-source, from-baseline,
    /// via-component, or a product weight below 1.
    private func discounted() -> String {
        var out = ""
        var dropped = 0
        for activity in candidate.activities {
            dropped += activity.contributions.filter { !$0.isKept }.count
            let discounted = activity.contributions.filter { $0.isKept && Self.multiplier($0).factor < 1 }
            guard !discounted.isEmpty else { continue }
            out += "  \(lineName(activity.line))\n"
            for c in discounted {
                out +=
                    "    " + NumberFormat.signed(c.value, 6) + "  \(c.recordID) [\(c.reference)] "
                    + "\(c.recordSource)+\(c.recordPreconditioning) = "
                    + ([NumberFormat.signed(Self.undiscounted(c), 6)] + Self.multiplier(c, weight: w).names)
                    .joined(separator: " × ") + "\n"
            }
        }
        guard !out.isEmpty || dropped > 0 else { return "" }
        var header = "\n" + style.bold("discounted evidence of \(candidate.candidate.id)")
        header += " (kept contributions a discount lowered: undiscounted value × discounts)\n"
        if out.isEmpty { out = "  none\n" }
        if dropped > 0 {
            out +=
                "  \(dropped) contribution\(dropped == 1 ? "" : "s") dropped: another of the same reference and "
                + "sign was kept\n"
        }
        return header + out
    }

    /// The product of a contribution's discounts, and their names.
    static func multiplier(_ c: Contribution, weight: (Double) -> String = NumberFormat.weight) -> (
        factor: Double, names: [String]
    ) {
        var factor = 1.0
        var names: [String] = []
        if c.productWeight < 1 {
            factor *= c.productWeight
            names.append("\(c.product) \(weight(c.productWeight))")
        }
        if c.sourceFactor < 1 {
            factor *= c.sourceFactor
            names.append("cross-source \(weight(c.sourceFactor))")
        }
        if c.preconditioningFactor < 1 {
            factor *= c.preconditioningFactor
            names.append("from-baseline \(weight(c.preconditioningFactor))")
        }
        if let via = c.viaComponentFactor, via < 1 {
            factor *= via
            names.append("via-component \(weight(via))")
        }
        if let comparison = c.comparisonFactor, comparison < 1 {
            factor *= comparison
            names.append("comparison \(weight(comparison))")
        }
        return (factor, names)
    }

    /// The value without the discounts: the level weights and the signs.
    static func undiscounted(_ c: Contribution) -> Double {
        c.levelWeight * (c.mechanismLevelWeight ?? 1) * c.recordSign * (c.effectSign ?? 1)
    }

    private func additions() -> String {
        var out = ""
        let limit = answer.searchLimit
        if let addition = answer.toBecomeEligible {
            out += "  to become eligible:\n" + additionText(addition)
        } else if answer.eligibilityUnreachable {
            out +=
                "  to become eligible: no addition of up to \(limit) records of one kind per required activity "
                + "reaches minimum-support\n"
        }
        if let rival = answer.rival, !answer.isAheadOfRival {
            if let addition = answer.toPassRival {
                out += "  to rank above \(rival.candidate.id):\n" + additionText(addition)
            } else if answer.passingUnreachable {
                out +=
                    "  to rank above \(rival.candidate.id): no addition of up to \(limit) records of one kind to "
                    + "one activity (beyond what eligibility needs) is enough\n"
            }
        }
        guard !out.isEmpty else { return "" }
        return "\n" + style.bold("smallest evidence addition")
            + " (DESIGN §5 applied to both traces with the new records; every other record unchanged)\n" + out
    }

    private func additionText(_ addition: EvidenceAddition) -> String {
        var out = ""
        for records in addition.records {
            out += "    + " + Self.describe(records, candidate: candidate.candidate) + "\n"
        }
        let after = addition.candidate
        for (index, line) in answer.indication.lines.enumerated()
        where after.activities[index].support != candidate.activities[index].support {
            out +=
                "      \(lineName(line)): support \(f(candidate.activities[index].support)) → "
                + f(after.activities[index].support) + "\n"
        }
        out += "      → \(after.candidate.id) \(outcome(candidate, after))"
        if let rival = answer.rival, let rivalAfter = addition.rival {
            out += "; \(rival.candidate.id) \(outcome(rival, rivalAfter))"
        }
        return out + "\n"
    }

    private func outcome(_ before: Evaluation, _ after: Evaluation) -> String {
        var text = "score \(f(before.score))"
        if after.score != before.score { text += " → \(f(after.score))" }
        text += ", \(after.isEligible ? "eligible" : "ineligible"), \(after.referenceCount) refs"
        return text
    }

    /// `2 function records supporting angiogenesis for adipose+hypoxia (in-vivo, conditioned-medium), each
    /// from a new reference`.
    static func describe(_ records: HypotheticalRecords, candidate: Candidate) -> String {
        let plural = records.count == 1 ? "record" : "records"
        return "\(records.count) function \(plural) \(records.outcome == .supports ? "supporting" : "refuting") "
            + "\(records.line.activity) for \(candidate.id) (\(records.level), \(records.product)), "
            + (records.count == 1 ? "from a new reference" : "each from a new reference")
    }

    private func thresholds() -> String {
        guard let rival = answer.rival, !answer.thresholds.isEmpty else { return "" }
        let width = answer.thresholds.map { lineName($0.line).count }.max() ?? 0
        var out =
            "\n" + style.bold("support one line alone would need")
            + " to pass \(rival.candidate.id)'s score \(f(rival.score)) (other lines and the rival unchanged)\n"
        for threshold in answer.thresholds {
            out += "  " + lineName(threshold.line).padded(width) + "  "
            let now = "(now \(f(threshold.support)))"
            if threshold.line.kind == .avoids {
                out +=
                    threshold.isReachable
                    ? "at most \(f(threshold.bound)) \(now)"
                    : "not reachable: even support ≤ 0 leaves the score below \(now)"
            } else {
                out +=
                    threshold.isReachable
                    ? "above \(f(threshold.bound)) \(now)"
                    : "not reachable: would need above \(f(threshold.bound)), and a support stays below "
                        + "\(w(supportBound)) \(now)"
            }
            out += "\n"
        }
        return out
    }

    /// The suggested records as rows of function.tsv, with placeholders for what only a paper can say.
    private func rows() -> String {
        guard let addition = answer.toPassRival ?? answer.toBecomeEligible else { return "" }
        var out =
            "\n" + style.bold("as rows of function.tsv")
            + " (replace the capitalised placeholders; each NEW-REF-n needs its row in references.tsv)\n"
        var number = 0
        let c = candidate.candidate
        for records in addition.records {
            for _ in 0..<records.count {
                number += 1
                out +=
                    "  "
                    + [
                        "WHY-NOT-\(number)", c.source.rawValue, c.preconditioning.rawValue, records.product.rawValue,
                        records.line.activity.rawValue, records.outcome.rawValue, records.level.rawValue, "SPECIES",
                        "NEW-REF-\(number)", "NOTE",
                    ].joined(separator: "\t") + "\n"
            }
        }
        return out
    }

    // MARK: JSON

    func json() -> String {
        var members: [(String, JSON)] = [
            ("schemaVersion", .int(1)), ("kind", .string("why-not")), ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + knowledgeBase.contentHash)),
            ("overrides", .array(knowledgeBase.overrides.map { .string($0.description) })),
            ("indication", .string(answer.indication.id.rawValue)),
            ("candidateCount", .int(answer.candidateCount)),
            ("candidate", standing(candidate, rank: answer.candidateRank)),
            ("rival", answer.rival.map { standing($0, rank: answer.rivalRank) } ?? .null),
        ]
        members.append(
            (
                "discounted",
                .array(
                    candidate.activities.flatMap { activity in
                        activity.contributions.filter { $0.isKept && Self.multiplier($0).factor < 1 }.map { c in
                            let (factor, names) = Self.multiplier(c)
                            return JSON.object([
                                ("activity", .string(activity.line.activity.rawValue)),
                                ("record", .string(c.recordID.rawValue)),
                                ("reference", .string(c.reference.rawValue)),
                                ("value", .number(c.value)),
                                ("undiscounted", .number(Self.undiscounted(c))),
                                ("multiplier", .number(factor)),
                                ("discounts", .array(names.map(JSON.string))),
                            ])
                        }
                    })
            ))
        members += [
            ("searchLimit", .int(answer.searchLimit)),
            ("toBecomeEligible", answer.toBecomeEligible.map(addition) ?? .null),
            ("eligibilityUnreachable", .bool(answer.eligibilityUnreachable)),
            ("toPassRival", answer.toPassRival.map(addition) ?? .null),
            ("passingUnreachable", .bool(answer.passingUnreachable)),
            ("headToHead", answer.headToHead.map(headToHead) ?? .null),
            (
                "thresholds",
                .array(
                    answer.thresholds.map { t in
                        .object([
                            ("activity", .string(t.line.activity.rawValue)),
                            ("kind", .string(t.line.kind.rawValue)),
                            ("support", .number(t.support)),
                            ("bound", .number(t.bound)),
                            ("reachable", .bool(t.isReachable)),
                        ])
                    })
            ),
        ]
        return JSON.object(members).rendered()
    }

    private func headToHead(_ h2h: HeadToHead) -> JSON {
        .object([
            ("activity", .string(h2h.line.activity.rawValue)),
            ("kind", .string(h2h.line.kind.rawValue)),
            (
                "comparator",
                .object([
                    ("source", .string(h2h.comparator.source.rawValue)),
                    ("preconditioning", .string(h2h.comparator.preconditioning.rawValue)),
                ])
            ),
            ("product", .string(h2h.product.rawValue)),
            (
                "wins",
                .array(
                    h2h.wins.map { win in
                        .object([
                            ("level", .string(win.comparison.level.rawValue)),
                            ("candidate", standing(win.candidate, rank: nil)),
                            ("rival", standing(win.rival, rank: nil)),
                            ("ranksAboveRival", .bool(win.ranksAboveRival)),
                        ])
                    })
            ),
        ])
    }

    private func standing(_ e: Evaluation, rank: Int?) -> JSON {
        .object([
            ("candidate", .string(e.candidate.id)),
            ("rank", rank.map(JSON.int) ?? .null),
            ("eligible", .bool(e.isEligible)),
            ("score", .number(e.score)),
            ("numerator", .number(e.numerator)),
            ("denominator", .number(e.denominator)),
            ("referenceCount", .int(e.referenceCount)),
            ("ineligibility", .array(e.ineligibilityReasons.map { JSONEncoding.reason($0, candidate: e.candidate) })),
            (
                "activities",
                .array(
                    e.activities.map { a in
                        .object([
                            ("activity", .string(a.line.activity.rawValue)),
                            ("kind", .string(a.line.kind.rawValue)),
                            ("weight", .number(a.line.weight)),
                            ("support", .number(a.support)),
                            ("term", .number(a.term)),
                        ])
                    })
            ),
        ])
    }

    private func addition(_ addition: EvidenceAddition) -> JSON {
        .object([
            (
                "records",
                .array(
                    addition.records.map { r in
                        .object([
                            ("source", .string(candidate.candidate.source.rawValue)),
                            ("preconditioning", .string(candidate.candidate.preconditioning.rawValue)),
                            ("activity", .string(r.line.activity.rawValue)),
                            ("outcome", .string(r.outcome.rawValue)),
                            ("level", .string(r.level.rawValue)),
                            ("product", .string(r.product.rawValue)),
                            ("count", .int(r.count)),
                        ])
                    })
            ),
            ("candidate", standing(addition.candidate, rank: nil)),
            ("rival", addition.rival.map { standing($0, rank: nil) } ?? .null),
        ])
    }
}
