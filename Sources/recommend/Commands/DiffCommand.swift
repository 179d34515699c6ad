import EvidenceModel
import RuleEngine

/// `recommend diff`: what changed between two knowledge bases and what it does to the rankings.
enum DiffCommand: Command {
    static let spec = CommandSpec(
        name: "diff",
        summary: "Show how rankings change between two knowledge bases, and the rule lines and records that changed.",
        usage: "recommend diff --base DIR --head DIR [--top N] [--format text|markdown|json]",
        options: [
            OptionSpec(
                name: "--base", valueName: "DIR", help: "The old knowledge base: a directory with Rules/ and Evidence/"),
            OptionSpec(
                name: "--head", valueName: "DIR", help: "The new knowledge base: a directory with Rules/ and Evidence/"),
            OptionSpec(name: "--top", valueName: "N", help: "Shortlist size for entering and leaving (default: 5)"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text)",
                choices: ["text", "markdown", "json"]),
            .help,
        ],
        discussion: """
            For each indication: candidates whose rank, score or eligibility changed, with the score delta, and
            those entering or leaving the shortlist; then the policy, vocabulary and rule lines that changed, and
            the references and records added, removed or changed. The Markdown is meant for a pull-request comment.
            Exit status: 0 (whether or not anything changed), 2 for a usage error or a broken knowledge base.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        for required in ["--base", "--head"] where !options.has(required) {
            context.usageError(UsageError(message: "missing required option '\(required)'", command: "diff"))
            return 2
        }
        var top = 5
        if let text = options.value("--top") {
            guard let value = Int(text), value > 0 else {
                context.usageError(
                    UsageError(message: "'--top' needs a positive whole number, found '\(text)'", command: "diff"))
                return 2
            }
            top = value
        }
        var loaded: [KnowledgeBase] = []
        for option in ["--base", "--head"] {
            let directory = options.value(option) ?? "."
            let result = KnowledgeBase.load(
                rulesDirectory: FileSystem.join(directory, "Rules"),
                evidenceDirectory: FileSystem.join(directory, "Evidence"))
            if !result.diagnostics.isEmpty {
                context.stderr += DiagnosticRenderer(sourceFiles: result.sourceFiles, style: context.errStyle)
                    .render(result.diagnostics)
            }
            guard let kb = result.knowledgeBase else { return 2 }
            loaded.append(kb)
        }
        let diff = KnowledgeBaseDiff(base: loaded[0], head: loaded[1], shortlistSize: top)
        let renderer = DiffRenderer(
            diff: diff, base: options.value("--base") ?? "", head: options.value("--head") ?? "")
        switch options.value("--format") ?? "text" {
        case "markdown": context.stdout += renderer.markdown()
        case "json": context.stdout += renderer.json()
        default: context.stdout += renderer.text()
        }
        return 0
    }
}
