import EvidenceModel
import RuleEngine

/// Renders an ``ExperimentPlan`` as text and as JSON (schemas/plan.schema.json).
struct PlanRenderer {
    var plan: ExperimentPlan
    var indication: Indication
    var knowledgeBase: KnowledgeBase

    /// What to do, in a sentence: `test adipose+hypoxia conditioned-medium for angiogenesis (in-vitro)`.
    static func sentence(_ e: PlannedExperiment) -> String {
        switch e.design {
        case .function(let c, let activity):
            "test \(c.id) \(e.product) for \(activity) (\(e.level))"
        case .comparison(let subject, let versus, let activity):
            "compare \(subject.id) with \(versus.id) \(e.product) on \(activity) (\(e.level))"
        }
    }

    /// What enters and leaves the shortlist against the current one.
    private func change(_ candidates: [Candidate]) -> String {
        let now = Set(plan.shortlist)
        let after = Set(candidates)
        let entering = candidates.filter { !now.contains($0) }.map(\.id)
        let leaving = plan.shortlist.filter { !after.contains($0) }.map(\.id)
        if entering.isEmpty, leaving.isEmpty {
            return candidates == plan.shortlist ? "unchanged" : "same members, new order"
        }
        var parts: [String] = []
        if !entering.isEmpty { parts.append("in: " + entering.joined(separator: ", ")) }
        if !leaving.isEmpty { parts.append("out: " + leaving.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    func text(limit: Int?) -> String {
        let label = indication.label.isEmpty ? "" : " (\(TerminalText.field(indication.label)))"
        let decisive = plan.experiments.filter(\.isDecisive).count
        var out = "plan for \(plan.indication)\(label)\n"
        guard !plan.boundary.isEmpty else {
            return out
                + "  (no candidates: no secretome, function or comparison record names a source and "
                + "pre-conditioning)\n"
        }
        out += "  top \(plan.top) now: \(plan.shortlist.map(\.id).joined(separator: ", "))\n"
        let which =
            plan.boundary.count < plan.top + Planner.margin
            ? "every tested one" : "the top \(plan.top) and the next \(Planner.margin)"
        out +=
            "  tried \(plan.tried) experiments, two outcomes each, on \(plan.boundary.count) candidates (\(which)) at "
            + plan.levels.map(\.rawValue).joined(separator: ", ") + "\n"
        out +=
            "  \(decisive) decisive (each outcome leaves its own new shortlist), "
            + "\(plan.experiments.count - decisive) change it in one outcome or the same way in both, "
            + "\(plan.tried - plan.experiments.count) change nothing\n"
        if plan.experiments.isEmpty {
            out += "\nno single experiment of these changes the top \(plan.top)\n"
            return out
        }
        let shown = limit.map { Array(plan.experiments.prefix($0)) } ?? plan.experiments
        for (index, e) in shown.enumerated() {
            out += "\n\(index + 1). \(e.isDecisive ? "decisive" : "can change the shortlist")\n"
            out += "   \(Self.sentence(e))\n"
            for result in e.results {
                out +=
                    "   if \(result.outcome): top \(plan.top) = \(result.shortlist.map(\.id).joined(separator: ", "))\n"
                out += "     (\(change(result.shortlist)))\n"
            }
            let file: String
            switch e.design {
            case .function: file = "function.tsv"
            case .comparison: file = "comparisons.tsv"
            }
            out += "   rows of \(file), one per outcome (replace the capitalised placeholders):\n"
            for result in e.results { out += "     \(result.row)\n" }
        }
        if shown.count < plan.experiments.count {
            out += "\n… \(plan.experiments.count - shown.count) more; '--limit all' lists them\n"
        }
        return out
    }

    func json() -> String {
        JSON.object([
            ("schemaVersion", .int(1)), ("kind", .string("plan")), ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + knowledgeBase.contentHash)),
            ("overrides", .array(knowledgeBase.overrides.map { .string($0.description) })),
            ("indication", .string(plan.indication.rawValue)),
            ("top", .int(plan.top)),
            ("shortlist", .array(plan.shortlist.map { .string($0.id) })),
            ("boundary", .array(plan.boundary.map { .string($0.id) })),
            ("levels", .array(plan.levels.map { .string($0.rawValue) })),
            ("tried", .int(plan.tried)),
            (
                "experiments",
                .array(
                    plan.experiments.map { e in
                        var members: [(String, JSON)]
                        switch e.design {
                        case .function(let c, let activity):
                            members = [
                                ("kind", .string("function")), ("candidate", .string(c.id)),
                                ("activity", .string(activity.rawValue)),
                            ]
                        case .comparison(let subject, let versus, let activity):
                            members = [
                                ("kind", .string("comparison")), ("subject", .string(subject.id)),
                                ("versus", .string(versus.id)), ("activity", .string(activity.rawValue)),
                            ]
                        }
                        members += [
                            ("level", .string(e.level.rawValue)), ("product", .string(e.product.rawValue)),
                            ("description", .string(Self.sentence(e))), ("decisive", .bool(e.isDecisive)),
                            ("change", .int(e.change)),
                            (
                                "outcomes",
                                .array(
                                    e.results.map { r in
                                        .object([
                                            ("outcome", .string(r.outcome)),
                                            ("shortlist", .array(r.shortlist.map { .string($0.id) })),
                                            ("row", .string(r.row)),
                                        ])
                                    })
                            ),
                        ]
                        return .object(members)
                    })
            ),
        ]).rendered()
    }
}
