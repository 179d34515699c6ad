import EvidenceModel
import RuleEngine

/// `recommend diff`: what changed between two knowledge bases and what it does to the rankings.
enum DiffCommand: Command {
    static let spec = CommandSpec(
        name: "diff",
        summary: "Show how rankings change between two knowledge bases, and the rule lines and records that changed.",
        listing: "How rankings change between two knowledge bases, and what changed",
        usage: "recommend diff --base DIR --head DIR [--top N] [--set NAME=VALUE ...] [--format text|markdown|json]",
        options: [
            OptionSpec(
                name: "--base", valueName: "DIR", help: "The old knowledge base: a directory with Rules/ and Evidence/"),
            OptionSpec(
                name: "--head", valueName: "DIR", help: "The new knowledge base: a directory with Rules/ and Evidence/"),
            OptionSpec(
                name: "--top", valueName: "N",
                help: "Shortlist size for entering and leaving, 1 to 1000000 (default: 5)"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text)",
                choices: ["text", "markdown", "json"]),
            .set, .maxErrors, .wide, .help,
        ],
        discussion: """
            For each indication: candidates whose rank, score or eligibility changed, with the score delta, and
            those entering or leaving the shortlist; then the policy, vocabulary and rule lines that changed, and
            the references and records added, removed or changed. The Markdown is meant for a pull-request comment.
            With --set, the overrides apply to the head, which is then named with them.
            Exit status: 0 (whether or not anything changed), 2 for a usage error or a broken knowledge base.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        guard require(["--base", "--head"], in: options, context: &context),
            case .success(let top) = positiveInteger("--top", in: options, atMost: CountLimit.top, context: &context)
        else { return 2 }
        var loaded: [KnowledgeBase] = []
        for option in ["--base", "--head"] {
            let directory = options.value(option) ?? "."
            // Said in diff's own terms: the loader's message points at --rules and --evidence, which diff does not take.
            for (sub, code) in [("Rules", DiagnosticCode.e200), ("Evidence", .e300)]
            where !FileSystem.isDirectory(FileSystem.join(directory, sub)) {
                context.inputError(
                    code,
                    FileSystem.isDirectory(directory)
                        ? "\(option) '\(directory)' has no \(sub)/ directory; pass a knowledge base: a directory with "
                            + "Rules/ and Evidence/"
                        : "\(option) '\(directory)' does not exist; pass a knowledge base: a directory with Rules/ and "
                            + "Evidence/")
                return 2
            }
            let result = KnowledgeBase.load(
                rulesDirectory: FileSystem.join(directory, "Rules"),
                evidenceDirectory: FileSystem.join(directory, "Evidence"))
            if !result.diagnostics.isEmpty {
                context.stderr += DiagnosticRenderer(
                    sourceFiles: result.sourceFiles, style: context.errStyle, limit: context.maxErrors
                )
                .render(result.diagnostics)
            }
            guard var kb = result.knowledgeBase else { return 2 }
            // The JSON and Markdown record both bases' content hashes (the run manifest).
            if options.value("--format") ?? "text" != "text" { kb.contentHash = result.contentHash }
            // What-if overrides apply to the head: the diff then shows what they change.
            guard let applied = option == "--head" ? whatIf(kb, options.all("--set"), context: &context) : kb
            else { return 2 }
            loaded.append(applied)
        }
        let diff = KnowledgeBaseDiff(base: loaded[0], head: loaded[1], shortlistSize: top ?? 5)
        let renderer = DiffRenderer(
            diff: diff, base: options.value("--base") ?? "",
            head: (options.value("--head") ?? "")
                + (loaded[1].overrides.isEmpty
                    ? "" : " (what-if: " + loaded[1].overrides.map(\.description).joined(separator: ", ") + ")"),
            baseHash: loaded[0].contentHash, headHash: loaded[1].contentHash, overrides: loaded[1].overrides)
        switch options.value("--format") ?? "text" {
        case "markdown": context.stdout += renderer.markdown()
        case "json": context.stdout += renderer.json()
        default: context.stdout += renderer.text()
        }
        return 0
    }
}
