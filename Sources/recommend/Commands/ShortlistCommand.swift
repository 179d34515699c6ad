import RuleEngine

/// `recommend` without a subcommand: the top 5 of every indication.
enum ShortlistCommand: Command {
    static let spec = RecommendTool.topLevel

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        if options.has("--version") {
            context.stdout += "recommend \(RecommendTool.version)\n"
            return 0
        }
        guard let knowledgeBase = load(options, context: &context) else { return 2 }
        let recommender = Recommender(knowledgeBase: knowledgeBase)
        let renderer = RankRenderer(
            rankings: recommender.rankAll(), top: 5, includeUntested: false,
            style: context.outStyle)
        context.stdout += renderer.table()
        return 0
    }
}
