import RuleEngine

/// `recommend check`: consistency checks for CI.
enum CheckCommand: Command {
    static let spec = CommandSpec(
        name: "check",
        summary: "Check the rules and evidence for errors and likely mistakes (for CI).",
        listing: "Check rules and evidence for errors and likely mistakes (for CI)",
        usage: "recommend check [--strict] [--format text|json|sarif|github]",
        options: [
            OptionSpec(name: "--strict", valueName: nil, help: "Fail on warnings too"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text)",
                choices: ["text", "json", "sarif", "github"]),
            .rules, .evidence, .maxErrors, .help,
        ],
        discussion: """
            Exit status: 1 when an error is found (with --strict, a warning too), 0 otherwise, 2 for a usage
            error or a missing directory. Findings go to stdout. Every code is documented in docs/checks.md.
            Suppress an intended finding with a comment naming its code and a reason: in a rule file
            '# check-ignore W403: why' on its line or the line before; in an evidence file the same text in
            the row's note. Suppressed findings are listed, so they stay visible.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        let report = Checker.check(
            rulesDirectory: options.value("--rules") ?? "Rules",
            evidenceDirectory: options.value("--evidence") ?? "Evidence")
        // A directory that is not there is an input error, not a finding about the knowledge base.
        let missing = report.findings.filter { [.e200, .e300, .e301].contains($0.code) && $0.span == nil }
        if !missing.isEmpty {
            context.stderr += DiagnosticRenderer(sourceFiles: [:], style: context.errStyle).render(missing)
            return 2
        }
        let renderer = CheckRenderer(report: report, style: context.outStyle, limit: context.maxErrors)
        switch options.value("--format") ?? "text" {
        case "json": context.stdout += renderer.json()
        case "sarif": context.stdout += renderer.sarif()
        case "github": context.stdout += renderer.github()
        default: context.stdout += renderer.text()
        }
        context.stderr += renderer.summary
        return report.fails(strict: options.has("--strict")) ? 1 : 0
    }
}
