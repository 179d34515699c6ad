import EvidenceModel
import RuleEngine

/// `recommend report`: the self-contained HTML reviewer report.
enum ReportCommand: Command {
    static let spec = CommandSpec(
        name: "report",
        summary: "Write a self-contained HTML report: heatmaps, ranked tables and expandable traces per indication.",
        listing: "Write a self-contained HTML report for reviewers",
        usage: "recommend report [--indication ID ...] [--set NAME=VALUE ...] --out FILE.html",
        options: [
            OptionSpec(
                name: "--indication", valueName: "ID", help: "Indication to report (default: every indication)",
                isRepeatable: true),
            OptionSpec(name: "--out", valueName: "FILE", help: "The HTML file to write (required)"),
            .set, .rules, .evidence, .help,
        ],
        discussion: """
            The page has no external assets: it opens from disk, offline, and prints. It works without JavaScript;
            with it, tables sort by column and heatmap cells open their candidate's trace. The file is written
            atomically, and never inside the Rules or Evidence directory.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        let options: ParsedOptions
        switch parse(arguments, requiring: ["--out"], context: &context) {
        case .run(let parsed): options = parsed
        case .exit(let status): return status
        }
        guard let knowledgeBase = load(options, hashed: true, context: &context) else { return 2 }
        guard let indications = indications(options.all("--indication"), in: knowledgeBase.rules, context: &context)
        else { return 2 }
        let html = ReportRenderer(recommender: Recommender(knowledgeBase: knowledgeBase), indications: indications)
            .render()
        let path = options.value("--out") ?? ""
        switch OutputFile.write(
            html, to: path,
            protecting: [options.value("--rules") ?? "Rules", options.value("--evidence") ?? "Evidence"])
        {
        case .success:
            context.stderr += "wrote \(path)\n"
            return 0
        case .failure(let failure):
            context.inputError("E402", failure.message)
            return 2
        }
    }
}
