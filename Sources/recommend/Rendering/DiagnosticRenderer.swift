import EvidenceModel
import RuleEngine

/// Renders diagnostics like the compiler: `path:line:column: error: message [CODE]`, the source line,
/// a caret under the column, then the notes.
struct DiagnosticRenderer {
    /// Diagnostics shown per file unless `--max-errors` says otherwise.
    static let defaultLimit = 100

    var sourceFiles: [String: SourceFile]
    var style: Style
    /// Diagnostics shown per file (those without a file count as one more file); the rest are counted in one
    /// note per file. `nil` shows all.
    var limit: Int? = DiagnosticRenderer.defaultLimit
    /// Whether to end with "N errors and M warnings generated".
    var printsSummary = true

    init(sourceFiles: [String: SourceFile], style: Style, limit: Int? = DiagnosticRenderer.defaultLimit) {
        self.sourceFiles = sourceFiles
        self.style = style
        self.limit = limit
    }

    func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        var shown: [String: Int] = [:]
        // Per file, in order of first omission: how many errors and warnings were not shown.
        var omitted: [(path: String, errors: Int, warnings: Int)] = []
        var omittedIndex: [String: Int] = [:]
        for diagnostic in diagnostics {
            let path = diagnostic.span?.path ?? ""
            if let limit, shown[path, default: 0] >= limit {
                let index =
                    omittedIndex[path]
                    ?? {
                        omitted.append((path, 0, 0))
                        omittedIndex[path] = omitted.count - 1
                        return omitted.count - 1
                    }()
                if diagnostic.severity == .error { omitted[index].errors += 1 } else { omitted[index].warnings += 1 }
                continue
            }
            shown[path, default: 0] += 1
            let place = diagnostic.span.map { style.bold("\($0): ") } ?? ""
            let severity: String
            switch diagnostic.severity {
            case .error: severity = style.red("error:")
            case .warning: severity = style.yellow("warning:")
            case .note: severity = style.cyan("note:")
            }
            out += "\(place)\(severity) \(Self.inert(Self.clipped(diagnostic.message))) [\(diagnostic.code)]\n"
            out += excerpt(diagnostic.span)
            for note in diagnostic.notes {
                let notePlace = note.span.map { style.bold("\($0): ") } ?? ""
                out += "\(notePlace)\(style.cyan("note:")) \(Self.inert(Self.clipped(note.message)))\n"
                out += excerpt(note.span)
            }
        }
        for (path, errors, warnings) in omitted {
            var parts: [String] = []
            if errors > 0 { parts.append("\(errors) more error\(errors == 1 ? "" : "s")") }
            if warnings > 0 { parts.append("\(warnings) more warning\(warnings == 1 ? "" : "s")") }
            let place = path.isEmpty ? "" : " in \(Self.inert(path))"
            out +=
                "\(style.cyan("note:")) \(parts.joined(separator: " and "))\(place), not shown "
                + "(the first \(limit ?? 0) are; '--max-errors 0' shows all)\n"
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        if printsSummary, errors + warnings > 0 {
            var parts: [String] = []
            if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
            if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
            out += parts.joined(separator: " and ") + " generated\n"
        }
        return out
    }

    /// `text` with control characters (but tab) replaced by U+FFFD, one scalar for one, so that a file's
    /// bytes can never drive the terminal (escape sequences) and carets stay aligned.
    static func inert(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 && scalar != "\t" || (0x7F...0x9F).contains(scalar.value)
            out.append(isControl ? "\u{FFFD}" : scalar)
        }
        return String(out)
    }

    /// The most of a message that is shown, in Unicode scalars.
    static let messageLimit = 1000
    /// The most of a source line that is shown, in Unicode scalars.
    static let excerptWidth = 200

    /// `text` with its middle left out when it is longer than ``messageLimit`` (a message quoting a 100 MB
    /// field), so that the diagnostic stays readable and costs no more than a short one.
    static func clipped(_ text: String) -> String {
        guard text.utf8.count > messageLimit else { return text }
        let scalars = text.unicodeScalars
        let count = scalars.count
        guard count > messageLimit else { return text }
        let kept = messageLimit / 2
        var out = String.UnicodeScalarView(scalars.prefix(kept))
        out.append(contentsOf: "… (\(count - 2 * kept) characters left out) …".unicodeScalars)
        out.append(contentsOf: scalars.suffix(kept))
        return String(out)
    }

    /// The source line and a caret under the span's column; empty when the line is unknown. At most
    /// ``excerptWidth`` scalars of the line are shown: its start, or, when the column lies beyond that, a
    /// window around the column after a `…`.
    private func excerpt(_ span: SourceSpan?) -> String {
        guard let span, let line = sourceFiles[span.path]?.line(span.start.line) else { return "" }
        let offset = max(span.start.column - 1, 0)
        let skipped = offset < Self.excerptWidth ? 0 : offset - Self.excerptWidth / 2
        let window = line.unicodeScalars.dropFirst(skipped).prefix(Self.excerptWidth)
        var pad = skipped > 0 ? " " : ""
        for scalar in window.prefix(offset - skipped) {
            pad.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
        }
        let shown = (skipped > 0 ? "…" : "") + Self.inert(String(String.UnicodeScalarView(window)))
        return shown + "\n" + pad + style.green("^") + "\n"
    }
}
