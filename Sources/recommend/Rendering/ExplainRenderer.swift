import EvidenceModel
import RuleEngine

/// Renders one candidate's trace as an indented tree that a reader can recompute by hand.
///
/// Values print with 6 decimals; policy weights as declared.
struct ExplainRenderer {
    var evaluation: Evaluation
    var rank: Int?
    var candidateCount: Int
    var indication: Indication
    var knowledgeBase: KnowledgeBase
    var style = Style(enabled: false)

    private func f(_ value: Double) -> String { NumberFormat.fixed(value, 6) }
    private func w(_ value: Double) -> String { NumberFormat.weight(value) }

    func text() -> String {
        let e = evaluation
        var out = ""
        let label = indication.label.isEmpty ? "" : " (\(TerminalText.field(indication.label)))"
        let overrides = knowledgeBase.overrides
        if !overrides.isEmpty { out += "what-if: " + overrides.map(\.description).joined(separator: ", ") + "\n\n" }
        out += style.bold("\(e.candidate.id) for \(indication.id)\(label)") + "\n"
        var status = e.isEligible ? "eligible" : "not eligible"
        if let rank { status += ", rank \(rank) of \(candidateCount)" }
        if !e.isTested { status += ", untested: no record of its own (source, pre-conditioning)" }
        out += "score \(f(e.score)) = \(f(e.numerator)) / \(w(e.denominator))   [\(status)]\n"
        let terms = e.activities.map { a -> String in
            a.line.kind == .avoids
                ? "− \(w(a.line.weight))·max(0, \(f(a.support)))" : "+ \(w(a.line.weight))·\(f(a.support))"
        }
        var numerator = terms.joined(separator: " ")
        if numerator.hasPrefix("+ ") { numerator.removeFirst(2) }
        let denominator = e.activities.filter { $0.line.kind != .avoids }.map { w($0.line.weight) }
        out += "  numerator   = \(numerator)\n"
        out += "  denominator = \(denominator.joined(separator: " + "))   (weights of requires and supports)\n"

        for activity in e.activities { out += "\n" + activityText(activity) }

        out += "\n" + style.bold("eligibility") + ": " + (e.isEligible ? "eligible" : "not eligible") + "\n"
        let policy = knowledgeBase.rules.policy
        out += "  every required activity needs support ≥ minimum-support \(w(policy.minimumSupport))"
        if let at = policy.spans["minimum-support"] { out += " (\(at))" }
        out += "\n"
        if let minimum = indication.minimumLevel {
            out +=
                "  minimum-level \(minimum) (\(w(policy.weight(of: minimum)))): a kept positive absolute contribution "
                + "to a required activity from a record of source '\(e.candidate.source)' at that level or above"
            if let at = indication.minimumLevelSpan { out += " (\(at))" }
            out += "\n"
        }
        for reason in e.ineligibilityReasons {
            out += "  ✗ " + Describe.reason(reason, candidate: e.candidate) + "\n"
        }

        out += "\n" + style.bold("references") + " (\(e.references.count) distinct among kept contributions)\n"
        for id in e.references {
            if let reference = knowledgeBase.evidence.reference(id) {
                out += "  [\(id)] " + Describe.citation(reference) + "\n"
            }
        }
        return out
    }

    private func activityText(_ a: ActivityTrace) -> String {
        var out = ""
        let contested = a.isContested ? "  " + style.yellow("CONTESTED") : ""
        out +=
            style.bold("\(a.line.kind.rawValue) \(a.line.activity)") + "  weight \(w(a.line.weight))  "
            + "(\(a.line.inheritedFrom.map { "inherited from \($0), " } ?? "")\(a.line.span))\(contested)\n"
        out += "  because \"\(TerminalText.field(a.line.rationale))\"\n"
        out += "  support \(f(a.support)) = absolute \(f(a.absoluteSupport)) + advantage \(f(a.advantage))"
        out += a.line.kind == .avoids ? "   term −\(w(a.line.weight))·max(0, support) = " : "   term = "
        out += NumberFormat.signed(a.term, 6) + "\n"
        out += "    absolute  = H(P) \(f(a.positive)) − H(|N|) \(f(a.negative))\n"
        out += "    advantage = H(W) \(f(a.won)) − H(|L|) \(f(a.lost))   (head-to-head comparisons)\n"
        let kept = a.contributions.filter(\.isKept)
        for (name, kind, positive) in [
            ("H(P)  ", ContributionKind.absolute, true), ("H(|N|)", .absolute, false), ("H(W)  ", .comparative, true),
            ("H(|L|)", .comparative, false),
        ] {
            let values = kept.filter { $0.kind == kind && ($0.value > 0) == positive }
            if !values.isEmpty { out += "  \(name)  = (" + harmonicTerms(values) + ") / (π²/6)\n" }
        }
        if a.contributions.isEmpty { out += "  no evidence reaches this activity for this candidate\n" }
        for c in a.contributions { out += contributionText(c) }
        return out
    }

    private func harmonicTerms(_ contributions: [Contribution]) -> String {
        contributions.enumerated().map { offset, c in
            "\(f(abs(c.value)))/\((offset + 1) * (offset + 1))"
        }.joined(separator: " + ")
    }

    private func contributionText(_ c: Contribution) -> String {
        let marker: String
        switch c.status {
        case .kept(let rank):
            marker = (c.kind == .comparative ? (c.value > 0 ? "W" : "L") : (c.value > 0 ? "+" : "−")) + "#\(rank)"
        case .dropped: marker = "dropped"
        case .similar: marker = "similar"
        }
        let indent = "              "
        var line = "    " + marker.padded(8) + NumberFormat.signed(c.value, 6) + "  " + Describe.path(c.path)
        line += "  [\(c.reference)] \(c.recordSource)+\(c.recordPreconditioning)\n"
        if let finding = Describe.finding(c) { line += indent + finding + "\n" }
        var factors = ["\(c.level) \(w(c.levelWeight))", "\(c.product) \(w(c.productWeight))"]
        if let level = c.mechanismLevel, let weight = c.mechanismLevelWeight {
            factors.append("mechanism \(level) \(w(weight))")
        }
        if let comparison = c.comparisonFactor {
            factors.append("side \(w(c.sourceFactor * c.preconditioningFactor)) (\(Describe.route(c.route)))")
            factors.append("comparison \(w(comparison))")
        } else {
            factors.append("source \(w(c.sourceFactor))")
            factors.append("pre \(w(c.preconditioningFactor))")
        }
        if let via = c.viaComponentFactor { factors.append("via-component \(w(via))") }
        let sign = c.recordSign > 0 ? "+1" : c.recordSign < 0 ? "−1" : "0"
        switch (c.kind, c.effectSign) {
        case (.comparative, _): factors.append("sign \(sign)")
        case (.absolute, nil): factors.append("outcome \(sign)")
        case (.absolute, _?): factors.append("direction \(sign)")
        }
        if let effect = c.effectSign { factors.append("effect \(effect > 0 ? "+1" : "−1")") }
        line += indent + "= " + factors.joined(separator: " × ") + "\n"
        line += indent + Describe.claim(c) + "\n"
        switch c.status {
        case .dropped(let winner):
            line += indent + "dropped: same reference and sign as \(Describe.path(winner)), which was kept\n"
        case .similar:
            line += indent + "similar: no difference found, so it counts in no sum\n"
        case .kept: break
        }
        return line
    }

    func json() -> String {
        var members: [(String, JSON)] = [
            ("schemaVersion", .int(1)), ("kind", .string("explanation")), ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + knowledgeBase.contentHash)),
            ("overrides", .array(knowledgeBase.overrides.map { .string($0.description) })),
        ]
        members.append(
            ("evaluation", JSONEncoding.evaluation(evaluation, rank: rank, indication: indication)))
        members.append(
            (
                "referenceDetails",
                .array(
                    evaluation.references.compactMap { knowledgeBase.evidence.reference($0) }.map(
                        JSONEncoding.reference))
            ))
        return JSON.object(members).rendered()
    }
}
