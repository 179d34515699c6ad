import EvidenceModel
import RuleEngine

/// Renders diagnostics like the compiler: `path:line:column: error: message [CODE]`, the source line,
/// a caret under the column, then the notes.
struct DiagnosticRenderer {
    var sourceFiles: [String: SourceFile]
    var style: Style
    /// Whether to end with "N errors and M warnings generated".
    var printsSummary = true

    func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for diagnostic in diagnostics {
            let place = diagnostic.span.map { style.bold("\($0): ") } ?? ""
            let severity: String
            switch diagnostic.severity {
            case .error: severity = style.red("error:")
            case .warning: severity = style.yellow("warning:")
            case .note: severity = style.cyan("note:")
            }
            out += "\(place)\(severity) \(Self.inert(diagnostic.message)) [\(diagnostic.code)]\n"
            out += excerpt(diagnostic.span)
            for note in diagnostic.notes {
                let notePlace = note.span.map { style.bold("\($0): ") } ?? ""
                out += "\(notePlace)\(style.cyan("note:")) \(Self.inert(note.message))\n"
                out += excerpt(note.span)
            }
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

    /// The source line and a caret under the span's column; empty when the line is unknown.
    private func excerpt(_ span: SourceSpan?) -> String {
        guard let span, let line = sourceFiles[span.path]?.line(span.start.line) else { return "" }
        let shown = Self.inert(String(line.unicodeScalars.prefix(200)))
        var pad = ""
        for (offset, scalar) in line.unicodeScalars.enumerated() where offset < span.start.column - 1 {
            pad.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
        }
        return shown + "\n" + pad + style.green("^") + "\n"
    }
}
