import EvidenceModel
import RuleEngine

/// Renders ``Coverage`` as a text table (indications numbered, zero cells shown as `·`), Markdown or JSON.
struct CoverageRenderer {
    var coverage: Coverage
    /// The knowledge base's content hash, recorded by the JSON output (the run manifest).
    var contentHash = ""

    private var count: Int { coverage.indications.count }

    func table() -> String {
        var out = ""
        out += matrix("source", coverage.sources)
        out += "\n"
        out += matrix("pre-conditioning", coverage.preconditionings)
        out +=
            "\nhead-to-head: distinct references of the comparisons with a side of each source or pre-conditioning\n\n"
        out += matrix("source", coverage.sources, headToHead: true)
        out += "\n"
        out += matrix("pre-conditioning", coverage.preconditionings, headToHead: true)
        out += "\n"
        for (index, indication) in coverage.indications.enumerated() {
            out += "  [\(index + 1)] \(indication): \(coverage.eligibleCandidates[index]) eligible candidates\n"
        }
        return out
    }

    /// A matrix of distinct references per row and indication: of every relevant record, or (`headToHead`)
    /// of the relevant comparisons only, with the row's record (or comparison) count.
    private func matrix(_ title: String, _ rows: [Coverage.Row], headToHead: Bool = false) -> String {
        let width = max(title.count, rows.map(\.id.count).max() ?? 0)
        let columns = (1...max(count, 1)).prefix(count).map { "[\($0)]" }
        let cellWidth = max(4, (columns.map(\.count).max() ?? 0) + 1)
        var out = title.padded(width)
        out += columns.map { $0.leftPadded(cellWidth) }.joined()
        out += headToHead ? "  comparisons\n" : "  records  eligible in\n"
        for row in rows {
            out += row.id.padded(width)
            let cells = headToHead ? row.comparisonReferences : row.references
            out += cells.map { ($0 == 0 ? "·" : String($0)).leftPadded(cellWidth) }.joined()
            out +=
                headToHead
                ? String(row.comparisons).leftPadded(13) + "\n"
                : String(row.records).leftPadded(9) + "  \(row.eligibleIn.count) of \(count)\n"
        }
        return out
    }

    func markdown() -> String {
        var out = "## Distinct references by source\n\n" + markdownMatrix("source", coverage.sources)
        out += "\n## Distinct references by pre-conditioning\n\n"
        out += markdownMatrix("pre-conditioning", coverage.preconditionings)
        out += "\n## Distinct references of head-to-head comparisons by source\n\n"
        out += markdownMatrix("source", coverage.sources, headToHead: true)
        out += "\n## Distinct references of head-to-head comparisons by pre-conditioning\n\n"
        out += markdownMatrix("pre-conditioning", coverage.preconditionings, headToHead: true)
        out += "\n## Eligible candidates\n\n| indication | eligible candidates |\n|---|---:|\n"
        for (index, indication) in coverage.indications.enumerated() {
            out += "| \(Markdown.escape(indication.rawValue)) | \(coverage.eligibleCandidates[index]) |\n"
        }
        return out
    }

    private func markdownMatrix(_ title: String, _ rows: [Coverage.Row], headToHead: Bool = false) -> String {
        var out = "| \(title) | " + coverage.indications.map { Markdown.escape($0.rawValue) }.joined(separator: " | ")
        out +=
            headToHead
            ? " | comparisons |\n|---|" + String(repeating: "---:|", count: count) + "---:|\n"
            : " | records | eligible in |\n|---|" + String(repeating: "---:|", count: count) + "---:|---:|\n"
        for row in rows {
            let cells = headToHead ? row.comparisonReferences : row.references
            out += "| \(Markdown.escape(row.id)) | " + cells.map(String.init).joined(separator: " | ")
            out += headToHead ? " | \(row.comparisons) |\n" : " | \(row.records) | \(row.eligibleIn.count) |\n"
        }
        return out
    }

    func json() -> String {
        func rows(_ rows: [Coverage.Row]) -> JSON {
            .array(
                rows.map { row in
                    .object([
                        ("id", .string(row.id)),
                        ("references", .array(row.references.map(JSON.int))),
                        ("records", .int(row.records)),
                        ("comparisonReferences", .array(row.comparisonReferences.map(JSON.int))),
                        ("comparisons", .int(row.comparisons)),
                        ("eligibleIn", .array(row.eligibleIn.map { .string($0.rawValue) })),
                    ])
                })
        }
        return JSON.object([
            ("schemaVersion", .int(1)),
            ("kind", .string("coverage")),
            ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + contentHash)),
            ("indications", .array(coverage.indications.map { .string($0.rawValue) })),
            ("eligibleCandidates", .array(coverage.eligibleCandidates.map(JSON.int))),
            ("sources", rows(coverage.sources)),
            ("preconditionings", rows(coverage.preconditionings)),
        ]).rendered()
    }
}
