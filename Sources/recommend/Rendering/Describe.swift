import EvidenceModel
import RuleEngine

/// Short human-readable phrases shared by the renderers.
enum Describe {
    /// A one-line reason a candidate is ineligible.
    static func reason(_ reason: IneligibilityReason, candidate: Candidate) -> String {
        switch reason {
        case .insufficientSupport(let line, let support, let minimum):
            return "requires '\(line.activity)': support \(NumberFormat.fixed(support, 4)) "
                + "< minimum-support \(NumberFormat.weight(minimum))"
        case .belowMinimumLevel(let minimum, _, let best, _):
            let bestText = best.map { "the best is '\($0)'" } ?? "there is none at any level"
            return "minimum-level '\(minimum)': no positive absolute \(candidate.source) evidence for a required "
                + "activity at that level (\(bestText))"
        }
    }

    /// How a contribution reaches its activity, by record ids: `direct F1`, `via VEGFA: S1 → M1`,
    /// `comparison X1 (subject)`, `comparison X1 via VEGFA → M1 (comparator)`.
    static func path(_ path: Contribution.Path) -> String {
        switch path {
        case .direct(let function): "direct \(function)"
        case .viaComponent(let secretome, let mechanism, let component): "via \(component): \(secretome) → \(mechanism)"
        case .comparison(let comparison, let side): "comparison \(comparison) (\(side.rawValue))"
        case .comparisonViaComponent(let comparison, let side, let mechanism, let component):
            "comparison \(comparison) via \(component) → \(mechanism) (\(side.rawValue))"
        }
    }

    /// A comparative contribution's finding from the side that applies: `adipose+hypoxia better than
    /// adipose+none on VEGFA`; `nil` for an absolute contribution.
    static func finding(_ c: Contribution) -> String? {
        guard let versus = c.versus else { return nil }
        let verdict = c.recordSign > 0 ? "better than" : c.recordSign < 0 ? "worse than" : "similar to"
        let measure = c.component.map { " on \($0)" } ?? ""
        return "\(c.recordSource)+\(c.recordPreconditioning) \(verdict) \(versus.source)+\(versus.preconditioning)"
            + measure + " (\(versus.contrast.rawValue) contrast)"
    }

    /// What the record behind a contribution says: its note (or that it has none) and species, and for a
    /// contribution through a component the mechanism's note: `"CM reduced wound area" (rat); mechanism: "…"`.
    static func claim(_ c: Contribution) -> String {
        var text = c.note.isEmpty ? "(no note)" : "\"\(TerminalText.field(c.note))\""
        if !c.species.isEmpty { text += " (\(TerminalText.field(c.species)))" }
        if let mechanism = c.mechanismNote, !mechanism.isEmpty {
            text += "; mechanism: \"\(TerminalText.field(mechanism))\""
        }
        return text
    }

    /// What a route means for a candidate: `own`, `own baseline`, `other source`, `any-msc baseline`.
    static func route(_ route: Route) -> String {
        switch route {
        case .itself: "own"
        case .ownBaseline: "own baseline"
        case .otherSource: "other source"
        case .anyMSCBaseline: "any-msc baseline"
        }
    }

    /// `yes` for an eligible candidate, `no` otherwise (the notes column says why, and marks untested ones).
    static func eligibility(_ evaluation: Evaluation) -> String { evaluation.isEligible ? "yes" : "no" }

    /// The notes column: ineligibility reasons and the untested mark.
    static func notes(_ evaluation: Evaluation) -> String {
        var parts: [String] = []
        if !evaluation.isTested { parts.append("untested (extrapolated)") }
        parts += evaluation.ineligibilityReasons.map { reason($0, candidate: evaluation.candidate) }
        return parts.joined(separator: "; ")
    }

    /// `Sun B et al. (2014) Title. Journal. doi:… PMID …`.
    static func citation(_ reference: Reference) -> String {
        var text =
            "\(TerminalText.field(reference.authors)) (\(reference.year)) \(TerminalText.field(reference.title))"
        if !text.hasSuffix(".") { text += "." }
        text += " \(TerminalText.field(reference.journal))."
        if let doi = reference.doi { text += " doi:\(doi)" }
        if let pmid = reference.pmid { text += " PMID \(pmid)" }
        return text
    }
}
