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
            let bestText = best.map { "best own-source level is '\($0)'" } ?? "no own-source positive evidence"
            return "minimum-level '\(minimum)': no positive \(candidate.source) evidence at that level (\(bestText))"
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
        var text = "\(reference.authors) (\(reference.year)) \(reference.title)"
        if !text.hasSuffix(".") { text += "." }
        text += " \(reference.journal)."
        if let doi = reference.doi { text += " doi:\(doi)" }
        if let pmid = reference.pmid { text += " PMID \(pmid)" }
        return text
    }
}
