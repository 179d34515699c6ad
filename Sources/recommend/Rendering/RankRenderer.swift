import EvidenceModel
import Foundation
import RuleEngine

/// Renders rankings as a text table, Markdown, CSV or JSON.
///
/// Scores print with 4 decimals in the table, Markdown and CSV; JSON carries full precision.
struct RankRenderer {
    var rankings: [Ranking]
    var top: Int?
    var includeUntested: Bool
    /// What-if overrides of this run, shown first when there are any.
    var overrides: [Override] = []
    /// The knowledge base's content hash, recorded by the JSON, Markdown and CSV outputs (the run manifest).
    var contentHash = ""
    var style = Style(enabled: false)

    /// `what-if: NAME=VALUE, …` and a blank line, or nothing.
    private var whatIf: String {
        overrides.isEmpty ? "" : "what-if: " + overrides.map(\.description).joined(separator: ", ") + "\n\n"
    }

    /// What reproduces this output: tool version, content hash of the files, overrides.
    private var manifest: String {
        "recommend \(RecommendTool.version) · knowledge base sha256:\(contentHash)"
            + (overrides.isEmpty ? "" : " · what-if: " + overrides.map(\.description).joined(separator: ", "))
    }

    private func shown(_ ranking: Ranking) -> ArraySlice<RankedCandidate> {
        top.map { ranking.entries.prefix($0) } ?? ranking.entries[...]
    }

    private func heading(_ ranking: Ranking) -> String {
        let eligible = ranking.entries.filter(\.evaluation.isEligible).count
        let label = ranking.indication.label.isEmpty ? "" : ": \(TerminalText.field(ranking.indication.label))"
        return "\(ranking.indication.id)\(label) (\(ranking.entries.count) candidates, \(eligible) eligible)"
    }

    func table() -> String {
        var out = whatIf
        for (offset, ranking) in rankings.enumerated() {
            if offset > 0 { out += "\n" }
            out += style.bold(heading(ranking)) + "\n"
            let rows = shown(ranking)
            if rows.isEmpty {
                out +=
                    "  (no candidates: no secretome, function or comparison record names a source and pre-conditioning)\n"
                continue
            }
            let width = max(9, rows.map(\.evaluation.candidate.id.count).max() ?? 0)
            out += "  rank  " + "candidate".padded(width) + "   score  eligible  refs  notes\n"
            for entry in rows {
                let e = entry.evaluation
                let line =
                    "  " + String(entry.rank).leftPadded(4) + "  " + e.candidate.id.padded(width) + "  "
                    + NumberFormat.fixed(e.score, 4).leftPadded(7) + "  " + Describe.eligibility(e).padded(8) + "  "
                    + String(e.referenceCount).leftPadded(4) + "  " + Describe.notes(e)
                out += trimTrailing(line) + "\n"
            }
            if rows.count < ranking.entries.count {
                out +=
                    "  … \(ranking.entries.count - rows.count) more; use 'recommend rank --indication "
                    + "\(ranking.indication.id)' for all\n"
            }
        }
        return out
    }

    func markdown() -> String {
        var out = "_" + Markdown.escape(manifest) + "_\n\n"
        for (offset, ranking) in rankings.enumerated() {
            if offset > 0 { out += "\n" }
            out += "## " + Markdown.escape(heading(ranking)) + "\n\n"
            out += "| rank | candidate | score | eligible | refs | notes |\n"
            out += "|---:|---|---:|---|---:|---|\n"
            for entry in shown(ranking) {
                let e = entry.evaluation
                out +=
                    "| \(entry.rank) | \(Markdown.escape(e.candidate.id)) | \(NumberFormat.fixed(e.score, 4)) | "
                    + "\(Describe.eligibility(e)) | \(e.referenceCount) | \(Markdown.escape(Describe.notes(e))) |\n"
            }
        }
        return out
    }

    func csv() -> String {
        var out = "# " + manifest + "\n"
        out += "indication,rank,candidate,source,preconditioning,score,eligible,tested,references,notes\n"
        for ranking in rankings {
            for entry in shown(ranking) {
                let e = entry.evaluation
                let fields = [
                    ranking.indication.id.rawValue, String(entry.rank), e.candidate.id, e.candidate.source.rawValue,
                    e.candidate.preconditioning.rawValue, NumberFormat.fixed(e.score, 6), String(e.isEligible),
                    String(e.isTested), String(e.referenceCount), Describe.notes(e),
                ]
                out += fields.map(CSV.escape).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// The JSON ranking (schemas/rank.schema.json), written in pieces of about a megabyte through `emit`, so
    /// that a ranking that lists millions of references is never held whole. `references` gives, for the shown
    /// entries `range` of a ranking, each one's references as indexes into `referenceKeys` (the keys of
    /// `symbols.references`), sorted by id; it is asked for a few entries at a time. The document is formatted
    /// as ``JSON/rendered()`` formats one, except that each candidate's `references` stand on one line.
    func json(
        referenceKeys: [String], references: (Ranking, Range<Int>) -> [[Int32]], emit: ([UInt8]) -> Void
    ) {
        withoutActuallyEscaping(emit) { emit in
            writeJSON(referenceKeys: referenceKeys, references: references, to: OutputBuffer(emit: emit))
        }
    }

    private func writeJSON(
        referenceKeys: [String], references: (Ranking, Range<Int>) -> [[Int32]], to out: OutputBuffer
    ) {
        func write(_ text: String) { out.append(text) }
        // Each reference as an element of a candidate's list (", " and the quoted, escaped key), made once, in
        // one buffer: element r is elements[starts[r]..<starts[r + 1]].
        var elements: [UInt8] = []
        var starts = [0]
        for key in referenceKeys {
            elements.append(contentsOf: (", " + JSON.quoted(key)).utf8)
            starts.append(elements.count)
        }
        let header: [(String, JSON)] = [
            ("schemaVersion", .int(1)),
            ("kind", .string("ranking")),
            ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + contentHash)),
            ("overrides", .array(overrides.map { .string($0.description) })),
            ("includeUntested", .bool(includeUntested)),
            ("top", top.map(JSON.int) ?? .null),
        ]
        write("{\n")
        for (key, value) in header { write("  " + JSON.quoted(key) + ": " + value.rendered(indent: 2) + ",\n") }
        write("  \"indications\": " + (rankings.isEmpty ? "[]" : "[\n"))
        for (offset, ranking) in rankings.enumerated() {
            let members: [(String, JSON)] = [
                ("id", .string(ranking.indication.id.rawValue)),
                ("label", .string(ranking.indication.label)),
                ("candidateCount", .int(ranking.entries.count)),
                ("eligibleCount", .int(ranking.entries.filter(\.evaluation.isEligible).count)),
            ]
            write("    {\n")
            for (key, value) in members {
                write("      " + JSON.quoted(key) + ": " + value.rendered(indent: 6) + ",\n")
            }
            let entries = shown(ranking)
            write("      \"candidates\": " + (entries.isEmpty ? "[]" : "[\n"))
            let chunk = 64
            for start in stride(from: 0, to: entries.count, by: chunk) {
                let range = start..<min(entries.count, start + chunk)
                let lists = references(ranking, range)
                for (position, list) in zip(range, lists) {
                    let entry = entries[entries.startIndex + position]
                    write("        ")
                    JSONEncoding.rankedCandidate(entry, references: JSON.placeholder).write(into: out, indent: 8) {
                        out in
                        // The references on one line: a list of thousands stays one line, not thousands.
                        out.append("[")
                        elements.withUnsafeBufferPointer { elements in
                            for (index, reference) in list.enumerated() {
                                // The first element leaves out its ", ".
                                let start = starts[Int(reference)] + (index == 0 ? 2 : 0)
                                out.append(UnsafeBufferPointer(rebasing: elements[start..<starts[Int(reference) + 1]]))
                            }
                        }
                        out.append("]")
                    }
                    write(position == entries.count - 1 ? "\n" : ",\n")
                }
            }
            if !entries.isEmpty { write("      ]") }
            write("\n    }" + (offset == rankings.count - 1 ? "\n" : ",\n"))
        }
        if !rankings.isEmpty { write("  ]") }
        write("\n}\n")
        out.drain()
    }

    private func trimTrailing(_ text: String) -> String {
        var text = Substring(text)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}

/// Markdown escaping for table cells and headings.
enum Markdown {
    /// `text` as a code span, safe in a table cell: no Markdown inside is interpreted, and `|` (which would end
    /// the cell) is escaped as GitHub-flavoured Markdown allows; backticks and line breaks become spaces.
    static func code(_ text: String) -> String {
        var out = "`"
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "`", "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out + "`"
    }

    /// Escapes characters that Markdown or HTML would interpret, and line breaks.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|", "\\", "`", "*", "_", "[", "]", "<", ">", "#": out += "\\\(character)"
            case "&": out += "&amp;"
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}

/// CSV escaping (RFC 4180), with formula-leading cells neutralised for spreadsheets.
enum CSV {
    static func escape(_ field: String) -> String {
        var field = field
        if let first = field.first, "=+-@".contains(first), Double(field) == nil { field = "'" + field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
