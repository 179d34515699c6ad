import EvidenceModel
import RuleEngine

/// Renders a sensitivity report: per candidate, its rank range and top-k and eligibility frequencies over
/// the perturbed runs and its rank range without each reference; then the references whose removal changes
/// the top k.
struct SensitivityRenderer {
    var report: SensitivityReport
    var knowledgeBase: KnowledgeBase
    var style = Style(enabled: false)

    private var k: Int { report.options.top }

    private func percent(_ count: Int) -> String {
        report.runs.isEmpty ? "–" : NumberFormat.fixed(100 * Double(count) / Double(report.runs.count), 1) + "%"
    }

    private func range(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
    }

    func text() -> String {
        var out = ""
        let overrides = knowledgeBase.overrides
        if !overrides.isEmpty { out += "what-if: " + overrides.map(\.description).joined(separator: ", ") + "\n\n" }
        let indication = report.indication
        let label = indication.label.isEmpty ? "" : " (\(TerminalText.field(indication.label)))"
        out += style.bold("sensitivity of \(indication.id)\(label)") + ": \(report.candidates.count) candidates\n"
        let weights = report.perturbedNames.filter { $0.hasPrefix("\(indication.id).") }.count
        let spread = NumberFormat.weight(report.options.spread)
        out +=
            "  perturbed: \(report.runs.count) runs, seed \(report.options.seed); each of \(report.perturbedNames.count) "
            + "values (\(report.perturbedNames.count - weights) policy values, \(weights) rule weights) × its own "
            + "factor from [\(NumberFormat.weight(1 - report.options.spread)), "
            + "\(NumberFormat.weight(1 + report.options.spread))] (±\(spread)); policy values capped at 1\n"
        out +=
            "  left out: each of the \(report.referencesLeftOut.count) references whose records reach the "
            + "indication's activities, in turn, with all its records\n\n"

        let width = max(9, report.candidates.map(\.baseline.evaluation.candidate.id.count).max() ?? 0)
        let topHeader = "in top \(k)"
        out +=
            "  rank  " + "candidate".padded(width) + "   score  perturbed ranks  " + topHeader.leftPadded(8)
            + "  eligible  ranks without one reference\n"
        for c in report.candidates {
            let e = c.baseline.evaluation
            var leftOut = range(c.leaveOneOutRanks)
            // Only one reference can take a candidate away: the one all its own records cite.
            if c.leaveOneOutAbsent > 0 { leftOut += " (its own records all cite one reference)" }
            out +=
                "  " + String(c.baseline.rank).leftPadded(4) + "  " + e.candidate.id.padded(width) + "  "
                + NumberFormat.fixed(e.score, 4).leftPadded(6) + "  " + range(c.perturbedRanks).leftPadded(15) + "  "
                + percent(c.topCount).leftPadded(max(8, topHeader.count)) + "  "
                + percent(c.eligibleCount).leftPadded(8) + "  " + leftOut + "\n"
        }

        let top = report.top.map(\.id).joined(separator: ", ")
        out += "\n" + style.bold("references whose removal changes the top \(k)") + " (\(top))\n"
        if report.topChangingReferences.isEmpty { out += "  none\n" }
        let referenceWidth = report.topChangingReferences.map(\.reference.rawValue.count).max() ?? 0
        for effect in report.topChangingReferences {
            out +=
                "  " + effect.reference.rawValue.padded(referenceWidth) + "  "
                + effect.top.map(\.id).joined(separator: ", ") + "\n"
        }
        return out
    }

    func json() -> String {
        let o = report.options
        return JSON.object([
            ("schemaVersion", .int(1)), ("kind", .string("sensitivity")), ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + knowledgeBase.contentHash)),
            ("overrides", .array(knowledgeBase.overrides.map { .string($0.description) })),
            ("indication", .string(report.indication.id.rawValue)),
            ("runs", .int(o.runs)), ("seed", .string(String(o.seed))), ("spread", .number(o.spread)),
            ("top", .int(o.top)),
            ("perturbed", .array(report.perturbedNames.map(JSON.string))),
            (
                "candidates",
                .array(
                    report.candidates.map { c in
                        .object([
                            ("rank", .int(c.baseline.rank)),
                            ("candidate", .string(c.baseline.evaluation.candidate.id)),
                            ("score", .number(c.baseline.evaluation.score)),
                            ("eligible", .bool(c.baseline.evaluation.isEligible)),
                            (
                                "perturbedRanks",
                                .array([.int(c.perturbedRanks.lowerBound), .int(c.perturbedRanks.upperBound)])
                            ),
                            ("topCount", .int(c.topCount)),
                            ("eligibleCount", .int(c.eligibleCount)),
                            (
                                "leaveOneOutRanks",
                                .array([.int(c.leaveOneOutRanks.lowerBound), .int(c.leaveOneOutRanks.upperBound)])
                            ),
                            ("leaveOneOutAbsent", .int(c.leaveOneOutAbsent)),
                        ])
                    })
            ),
            ("referencesLeftOut", .array(report.referencesLeftOut.map { .string($0.rawValue) })),
            (
                "topChangingReferences",
                .array(
                    report.topChangingReferences.map { effect in
                        .object([
                            ("reference", .string(effect.reference.rawValue)),
                            ("top", .array(effect.top.map { .string($0.id) })),
                        ])
                    })
            ),
            (
                "perturbedRuns",
                .array(
                    report.runs.map { run in
                        .object([
                            ("set", .array(run.overrides.map { .string($0.description) })),
                            ("ranks", .array(run.ranks.map(JSON.int))),
                        ])
                    })
            ),
        ]).rendered()
    }
}
