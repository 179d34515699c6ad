import EvidenceModel
import RuleEngine

/// Renders a ``KnowledgeBaseDiff`` as text, Markdown (for a pull-request comment) or JSON.
struct DiffRenderer {
    var diff: KnowledgeBaseDiff
    var base: String
    var head: String
    /// The content hashes of the two knowledge bases and the overrides applied to the head (the run manifest).
    var baseHash = ""
    var headHash = ""
    var overrides: [Override] = []

    private var manifest: String {
        var text = "recommend \(RecommendTool.version) · base sha256:\(baseHash) · head sha256:\(headHash)"
        if !overrides.isEmpty { text += " · what-if: " + overrides.map(\.description).joined(separator: ", ") }
        return text
    }

    private static func standing(_ s: KnowledgeBaseDiff.Standing?) -> String {
        guard let s else { return "—" }
        return "#\(s.rank) \(NumberFormat.fixed(s.score, 4))" + (s.isEligible ? "" : " (ineligible)")
    }

    private static func delta(_ m: KnowledgeBaseDiff.Movement) -> String {
        guard let b = m.base, let h = m.head else { return m.base == nil ? "new" : "gone" }
        return NumberFormat.signed(h.score - b.score, 4)
    }

    private static func sign(_ kind: KnowledgeBaseDiff.Change.Kind) -> String {
        switch kind {
        case .added: "+"
        case .removed: "-"
        case .changed: "~"
        }
    }

    private static func changeText(_ c: KnowledgeBaseDiff.Change) -> String {
        var text = "\(sign(c.kind)) \(c.subject)"
        switch c.kind {
        case .added: text += ": \(c.head ?? "")"
        case .removed: text += ": \(c.base ?? "")"
        case .changed: text += ": \(c.base ?? "") → \(c.head ?? "")"
        }
        if let span = c.span { text += "  (\(span))" }
        return text
    }

    func text() -> String {
        var out = "recommend diff: \(base) → \(head)\n"
        if diff.isEmpty { return out + "no changes\n" }
        out += "\nrankings (shortlist: top \(diff.shortlistSize))\n"
        if diff.rankings.isEmpty { out += "  no ranking changes\n" }
        for changes in diff.rankings {
            var heading = "  \(changes.indication)"
            if let presence = changes.presence { heading += " (\(presence.rawValue))" }
            out += heading + "\n"
            if !changes.entering.isEmpty {
                out += "    enter the shortlist: " + changes.entering.map(\.id).joined(separator: ", ") + "\n"
            }
            if !changes.leaving.isEmpty {
                out += "    leave the shortlist: " + changes.leaving.map(\.id).joined(separator: ", ") + "\n"
            }
            for m in changes.movements {
                out +=
                    "    \(m.candidate.id): \(Self.standing(m.base)) → \(Self.standing(m.head))  Δ \(Self.delta(m))\n"
            }
        }
        out += "\nrules (\(diff.ruleChanges.count) changes)\n"
        for change in diff.ruleChanges { out += "  " + Self.changeText(change) + "\n" }
        out += "\nevidence (\(diff.evidenceChanges.count) changes)\n"
        for change in diff.evidenceChanges { out += "  " + Self.changeText(change) + "\n" }
        return out
    }

    func markdown() -> String {
        var out = "### Knowledge-base diff\n\n" + "_" + Markdown.escape(manifest) + "_\n\n"
        if diff.isEmpty { return out + "No changes.\n" }
        let entering = diff.rankings.reduce(0) { $0 + $1.entering.count }
        out +=
            "\(diff.rankings.count) indication(s) with ranking changes, \(entering) candidate(s) entering a top-"
            + "\(diff.shortlistSize) shortlist; \(diff.ruleChanges.count) rule change(s), "
            + "\(diff.evidenceChanges.count) evidence change(s).\n"
        for changes in diff.rankings {
            out += "\n#### \(Markdown.escape(changes.indication.rawValue))"
            if let presence = changes.presence { out += " (\(presence.rawValue))" }
            out += "\n\n"
            if !changes.entering.isEmpty {
                out += "Enter the shortlist: " + changes.entering.map { "`\($0.id)`" }.joined(separator: ", ") + "\n\n"
            }
            if !changes.leaving.isEmpty {
                out += "Leave the shortlist: " + changes.leaving.map { "`\($0.id)`" }.joined(separator: ", ") + "\n\n"
            }
            out += "| candidate | base | head | Δ score |\n|---|---|---|---:|\n"
            for m in changes.movements {
                out +=
                    "| \(Markdown.code(m.candidate.id)) | \(Markdown.escape(Self.standing(m.base))) | "
                    + "\(Markdown.escape(Self.standing(m.head))) | \(Self.delta(m)) |\n"
            }
        }
        for (title, changes) in [("Rules", diff.ruleChanges), ("Evidence", diff.evidenceChanges)] where !changes.isEmpty
        {
            out += "\n<details><summary>\(title): \(changes.count) change(s)</summary>\n\n"
            out += "| | what | base | head | where |\n|---|---|---|---|---|\n"
            for c in changes {
                out +=
                    "| \(Self.sign(c.kind)) | \(Markdown.code(c.subject)) | \(Markdown.escape(c.base ?? "")) | "
                    + "\(Markdown.escape(c.head ?? "")) | \(c.span.map { Markdown.code($0.description) } ?? "") |\n"
            }
            out += "\n</details>\n"
        }
        return out
    }

    func json() -> String {
        func standing(_ s: KnowledgeBaseDiff.Standing?) -> JSON {
            guard let s else { return .null }
            return .object([("rank", .int(s.rank)), ("score", .number(s.score)), ("eligible", .bool(s.isEligible))])
        }
        func changes(_ list: [KnowledgeBaseDiff.Change]) -> JSON {
            .array(
                list.map { c in
                    .object([
                        ("change", .string(c.kind.rawValue)), ("subject", .string(c.subject)),
                        ("base", .optional(c.base)), ("head", .optional(c.head)),
                        ("location", JSONEncoding.span(c.span)),
                    ])
                })
        }
        return JSON.object([
            ("schemaVersion", .int(1)),
            ("kind", .string("diff")),
            ("tool", JSONEncoding.tool),
            ("base", .string(base)),
            ("head", .string(head)),
            ("baseContentHash", .string("sha256:" + baseHash)),
            ("headContentHash", .string("sha256:" + headHash)),
            ("overrides", .array(overrides.map { .string($0.description) })),
            ("shortlistSize", .int(diff.shortlistSize)),
            (
                "rankings",
                .array(
                    diff.rankings.map { r in
                        .object([
                            ("indication", .string(r.indication.rawValue)),
                            ("presence", .optional(r.presence?.rawValue)),
                            ("entering", .array(r.entering.map { .string($0.id) })),
                            ("leaving", .array(r.leaving.map { .string($0.id) })),
                            (
                                "movements",
                                .array(
                                    r.movements.map { m in
                                        .object([
                                            ("candidate", .string(m.candidate.id)), ("base", standing(m.base)),
                                            ("head", standing(m.head)),
                                            (
                                                "scoreDelta",
                                                m.base.flatMap { b in m.head.map { JSON.number($0.score - b.score) } }
                                                    ?? .null
                                            ),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            ("rules", changes(diff.ruleChanges)),
            ("evidence", changes(diff.evidenceChanges)),
        ]).rendered()
    }
}
