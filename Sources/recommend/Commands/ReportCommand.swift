import EvidenceModel
import RuleEngine

/// `recommend report`: the self-contained HTML reviewer report.
enum ReportCommand: Command {
    static let spec = CommandSpec(
        name: "report",
        summary: "Write a self-contained HTML report: heatmaps, ranked tables and expandable traces per indication.",
        listing: "Write a self-contained HTML report for reviewers",
        usage:
            "recommend report [--indication ID ...] [--traces N|all] [--plan N] [--set NAME=VALUE ...] --out FILE.html",
        options: [
            OptionSpec(
                name: "--indication", valueName: "ID", help: "Indication to report (default: every indication)",
                isRepeatable: true),
            OptionSpec(name: "--out", valueName: "FILE", help: "The HTML file to write (required)"),
            OptionSpec(
                name: "--traces", valueName: "N",
                help:
                    "Candidates per indication whose trace the report shows, from the top: 0 to 1000000, or 'all' (default: 20)"
            ),
            OptionSpec(
                name: "--plan", valueName: "N",
                help: "Per indication, the first N experiments of 'recommend plan' (top 3), 0 to 1000 (default: 0, "
                    + "none: each costs a plan, under a second on the shipped base, minutes at 10^5 rows)"),
            .set, .rules, .evidence, .maxErrors, .help,
        ],
        discussion: """
            The page has no external assets: it opens from disk, offline, and prints. It works without JavaScript;
            with it, tables sort by column and heatmap cells open their candidate's trace. A trace lists the 25
            largest kept contributions of each harmonic sum and says what the others add ('recommend explain' lists
            them all). The file is written as it is made, to a temporary file renamed at the end, and never inside
            the Rules or Evidence directory.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        let options: ParsedOptions
        switch parse(arguments, requiring: ["--out"], context: &context) {
        case .run(let parsed): options = parsed
        case .exit(let status): return status
        }
        guard
            case .success(let traces) = count(
                "--traces", in: options, 0...CountLimit.traces, allowingAll: true, context: &context),
            case .success(let plan) = count(
                "--plan", in: options, 0...CountLimit.plannedExperiments, context: &context)
        else { return 2 }
        let traced = traces == .all ? nil : traces.number ?? ReportRenderer.defaultTraced
        let planned = plan.number ?? 0
        guard let knowledgeBase = load(options, hashed: true, context: &context) else { return 2 }
        guard let indications = indications(options.all("--indication"), in: knowledgeBase.rules, context: &context)
        else { return 2 }
        let renderer = ReportRenderer(
            recommender: Recommender(knowledgeBase: knowledgeBase), indications: indications, traced: traced,
            planned: planned)
        let path = options.value("--out") ?? ""
        switch OutputFile.write(
            to: path, protecting: [options.value("--rules") ?? "Rules", options.value("--evidence") ?? "Evidence"],
            renderer.render)
        {
        case .success:
            context.stderr += "wrote \(path)\n"
            return 0
        case .failure(let failure):
            context.inputError(.e402, failure.message)
            return 2
        }
    }
}
