import RuleEngine

/// `recommend rank`: ranked candidates of one or more indications.
enum RankCommand: Command {
    static let spec = CommandSpec(
        name: "rank",
        summary: "Rank the candidates (source+preconditioning) of one or more indications.",
        listing: "Rank the candidates of one or more indications",
        usage:
            "recommend rank [--indication ID ...] [--top N] [--include-untested] [--set NAME=VALUE ...] [--format FORMAT]",
        options: [
            OptionSpec(
                name: "--indication", valueName: "ID", help: "Indication to rank (default: every indication)",
                isRepeatable: true),
            OptionSpec(
                name: "--top", valueName: "N", help: "Show only the first N candidates, 1 to 1000000 (default: all)"),
            OptionSpec(
                name: "--include-untested", valueName: nil,
                help: "Also rank extrapolated pairs with no record of their own, marked 'untested'"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text; 'table' is accepted too)",
                choices: ["text", "json", "markdown", "csv"], aliases: ["table": "text"]),
            .set, .rules, .evidence, .maxErrors, .wide, .help,
        ],
        discussion: """
            Ranking: eligible candidates first, then score descending, then the number of distinct references
            descending, then candidate id ascending. Scores print with 4 decimals (CSV 6, JSON full precision).
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        guard case .success(let top) = positiveInteger("--top", in: options, atMost: CountLimit.top, context: &context)
        else { return 2 }
        let format = options.value("--format") ?? "text"
        // JSON, Markdown and CSV record the content hash (the run manifest); the terminal table does not.
        guard let knowledgeBase = load(options, hashed: format != "text", context: &context) else { return 2 }
        guard let indications = indications(options.all("--indication"), in: knowledgeBase.rules, context: &context)
        else { return 2 }
        let untested = options.has("--include-untested")
        let recommender = Recommender(knowledgeBase: knowledgeBase)
        let rankings = recommender.rank(indications, selection: untested ? .untested : .tested)
        let renderer = RankRenderer(
            rankings: rankings, top: top, includeUntested: untested, overrides: knowledgeBase.overrides,
            contentHash: knowledgeBase.contentHash, style: context.outStyle)
        switch format {
        case "json":
            // Only JSON lists each candidate's references: read from the score index a few candidates at a time
            // and streamed, never held for the whole ranking.
            renderer.json(
                referenceKeys: knowledgeBase.evidence.symbols.references.map(\.rawValue),
                references: { ranking, range in
                    recommender.referenceIndexes(
                        of: ranking.entries[range].map(\.evaluation.candidate), for: ranking.indication)
                }, emit: { context.emit($0) })
        case "markdown": context.stdout += renderer.markdown()
        case "csv": context.stdout += renderer.csv()
        default: context.stdout += renderer.table()
        }
        return 0
    }
}
