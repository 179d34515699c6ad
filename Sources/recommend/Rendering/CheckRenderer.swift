import EvidenceModel
import RuleEngine

/// Renders a ``CheckReport`` as text, JSON, SARIF 2.1.0 or GitHub workflow commands.
struct CheckRenderer {
    var report: CheckReport
    var style = Style(enabled: false)
    /// Findings shown per file in text (``DiagnosticRenderer/limit``); JSON and SARIF list every one.
    var limit: Int? = DiagnosticRenderer.defaultLimit

    /// `check: N errors, M warnings, K suppressed` (the command prints it on stderr).
    var summary: String {
        let errors = report.findings.filter { $0.severity == .error }.count
        let warnings = report.findings.filter { $0.severity == .warning }.count
        return "check: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"), "
            + "\(report.suppressed.count) suppressed\n"
    }

    func text() -> String {
        var renderer = DiagnosticRenderer(sourceFiles: report.sourceFiles, style: style, limit: limit)
        renderer.printsSummary = false
        var out = renderer.render(report.findings)
        if !report.suppressed.isEmpty {
            out += "suppressed:\n"
            for item in report.suppressed {
                out += "  \(item.finding.headline) — \(DiagnosticRenderer.inert(item.reason)) (\(item.suppression))\n"
            }
        }
        return out
    }

    private static func location(_ span: SourceSpan?) -> JSON {
        guard let span else { return .null }
        return .object([
            ("path", .string(span.path)), ("line", .int(span.start.line)), ("column", .int(span.start.column)),
        ])
    }

    private static func finding(_ d: Diagnostic) -> [(String, JSON)] {
        [
            ("code", .string(d.code.rawValue)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("location", location(d.span)),
            (
                "notes",
                .array(d.notes.map { .object([("message", .string($0.message)), ("location", location($0.span))]) })
            ),
        ]
    }

    func json() -> String {
        let errors = report.findings.filter { $0.severity == .error }.count
        let warnings = report.findings.filter { $0.severity == .warning }.count
        return JSON.object([
            ("schemaVersion", .int(1)),
            ("kind", .string("check")),
            ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + report.contentHash)),
            (
                "summary",
                .object([
                    ("errors", .int(errors)), ("warnings", .int(warnings)),
                    ("suppressed", .int(report.suppressed.count)),
                ])
            ),
            ("findings", .array(report.findings.map { .object(Self.finding($0)) })),
            (
                "suppressed",
                .array(
                    report.suppressed.map {
                        .object(
                            Self.finding($0.finding) + [
                                ("reason", .string($0.reason)), ("suppressedAt", Self.location($0.suppression)),
                            ])
                    })
            ),
        ]).rendered()
    }

    /// SARIF 2.1.0: one run, the catalogue of codes as the driver's rules, columns in Unicode code points.
    func sarif() -> String {
        let entries = DiagnosticCatalog.entries
        func level(_ severity: Diagnostic.Severity) -> String {
            switch severity {
            case .error: "error"
            case .warning: "warning"
            case .note: "note"
            }
        }
        func physical(_ span: SourceSpan) -> JSON {
            .object([
                (
                    "physicalLocation",
                    .object([
                        ("artifactLocation", .object([("uri", .string(Self.uri(span.path)))])),
                        (
                            "region",
                            .object([("startLine", .int(span.start.line)), ("startColumn", .int(span.start.column))])
                        ),
                    ])
                )
            ])
        }
        func result(_ d: Diagnostic, suppression: (reason: String, span: SourceSpan)?) -> JSON {
            var members: [(String, JSON)] = [("ruleId", .string(d.code.rawValue))]
            if let index = entries.firstIndex(where: { $0.code == d.code }) {
                members.append(("ruleIndex", .int(index)))
            }
            members.append(("level", .string(level(d.severity))))
            members.append(("message", .object([("text", .string(d.message))])))
            if let span = d.span { members.append(("locations", .array([physical(span)]))) }
            let related = d.notes.enumerated().compactMap { offset, note -> JSON? in
                guard let span = note.span else { return nil }
                guard case .object(let location) = physical(span) else { return nil }
                return .object(
                    [("id", .int(offset))] + location + [("message", .object([("text", .string(note.message))]))])
            }
            if !related.isEmpty { members.append(("relatedLocations", .array(related))) }
            if let suppression {
                members.append(
                    (
                        "suppressions",
                        .array([
                            .object([
                                ("kind", .string("inSource")), ("justification", .string(suppression.reason)),
                                ("location", physical(suppression.span)),
                            ])
                        ])
                    ))
            }
            return .object(members)
        }
        let results =
            report.findings.map { result($0, suppression: nil) }
            + report.suppressed.map { result($0.finding, suppression: ($0.reason, $0.suppression)) }
        return JSON.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object([
                                        ("name", .string("recommend")),
                                        ("version", .string(RecommendTool.version)),
                                        (
                                            "rules",
                                            .array(
                                                entries.map { entry in
                                                    .object([
                                                        ("id", .string(entry.code.rawValue)),
                                                        (
                                                            "shortDescription",
                                                            .object([("text", .string(entry.summary))])
                                                        ),
                                                        (
                                                            "defaultConfiguration",
                                                            .object([("level", .string(level(entry.severity)))])
                                                        ),
                                                    ])
                                                })
                                        ),
                                    ])
                                )
                            ])
                        ),
                        ("columnKind", .string("unicodeCodePoints")),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ]).rendered()
    }

    /// A path as a URI reference: a relative path stays relative (to the directory `check` ran in, which CI
    /// makes the repository root); an absolute path becomes a `file://` URI. Percent-encoded where needed.
    static func uri(_ path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E, 0x2F:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=CODE::message`.
    func github() -> String {
        var out = ""
        for d in report.findings {
            let command = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            var properties: [String] = []
            if let span = d.span {
                properties += [
                    "file=\(Self.property(span.path))", "line=\(span.start.line)", "col=\(span.start.column)",
                ]
            }
            properties.append("title=\(d.code)")
            out += "::\(command) \(properties.joined(separator: ","))::\(Self.data(d.message))\n"
        }
        for item in report.suppressed {
            out +=
                "::notice title=\(item.finding.code) suppressed::\(Self.data(item.finding.headline + " — " + item.reason))\n"
        }
        return out
    }

    static func data(_ text: String) -> String {
        text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
    }

    static func property(_ text: String) -> String {
        data(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
