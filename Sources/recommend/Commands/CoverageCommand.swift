import RuleEngine

/// `recommend coverage`: sources × indications and pre-conditionings × indications, with the distinct
/// references behind each cell, so that curators see the holes.
enum CoverageCommand: Command {
    static let spec = CommandSpec(
        name: "coverage",
        summary: "Show how many distinct references cover each source and pre-conditioning, per indication.",
        listing: "References behind each source and pre-conditioning, by indication",
        usage: "recommend coverage [--format text|markdown|json]",
        options: [
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text; 'table' is accepted too)",
                choices: ["text", "markdown", "json"], aliases: ["table": "text"]),
            .rules, .evidence, .maxErrors, .wide, .help,
        ],
        discussion: """
            A cell counts the distinct references of records of that source (or pre-conditioning) that can
            reach one of the indication's activities: function records about one of them, or secretome records
            whose component a mechanism record links to one. Nothing is extrapolated: any-msc evidence counts
            only in the any-msc row. 'records' counts secretome and function records; 'eligible in' the
            indications for which a candidate with that source (or pre-conditioning) is eligible.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        let json = options.value("--format") == "json"
        guard let knowledgeBase = load(options, hashed: json, context: &context) else { return 2 }
        let renderer = CoverageRenderer(
            coverage: Coverage(Recommender(knowledgeBase: knowledgeBase)), contentHash: knowledgeBase.contentHash)
        switch options.value("--format") ?? "text" {
        case "markdown": context.stdout += renderer.markdown()
        case "json": context.stdout += renderer.json()
        default: context.stdout += renderer.table()
        }
        return 0
    }
}
