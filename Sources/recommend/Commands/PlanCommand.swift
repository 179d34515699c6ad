import EvidenceModel
import RuleEngine

/// `recommend plan`: which single experiment would change an indication's shortlist, and whether it would
/// whichever way it comes out.
enum PlanCommand: Command {
    static let spec = CommandSpec(
        name: "plan",
        summary: "List the single experiments that would change an indication's shortlist, decisive ones first.",
        listing: "Which one experiment would change a shortlist, either way",
        usage:
            "recommend plan --indication ID [--top K] [--levels LIST] [--limit N|all] [--set NAME=VALUE ...] "
            + "[--format text|json]",
        options: [
            OptionSpec(name: "--indication", valueName: "ID", help: "The indication (required)"),
            OptionSpec(name: "--top", valueName: "K", help: "The shortlist's length, 1 to 1000000 (default: 3)"),
            OptionSpec(
                name: "--levels", valueName: "LIST",
                help: "Model levels to try, comma-separated (default: every level of the policy)"),
            OptionSpec(
                name: "--limit", valueName: "N",
                help: "Experiments shown in text, 1 to 1000000, or 'all' (default: 10; JSON lists all)"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text)", choices: ["text", "json"]),
            .set, .rules, .evidence, .maxErrors, .wide, .help,
        ],
        discussion: """
            Candidate experiments are generated from the model: for each of the first K candidates and the
            next 3, each activity of the indication, each level tried and each product of the policy, one new
            function record of the candidate's own source and pre-conditioning, from a new reference, with
            outcome 'supports' and with outcome 'refutes'; and for each two of those candidates that differ in
            one factor (same source or same pre-conditioning), one new head-to-head comparison on each
            activity, 'better' and 'worse'. Each outcome is scored exactly as DESIGN §5 scores curated
            evidence: the record is added and the indication ranked again. Listed: the experiments whose
            outcomes can change the shortlist (its members), decisive ones (the shortlist changes whichever
            way the experiment comes out, differently for each outcome) first, then the cheapest level, the larger change, the heavier product.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        guard require(["--indication"], in: options, context: &context) else { return 2 }
        guard case .success(let top) = positiveInteger("--top", in: options, atMost: CountLimit.top, context: &context),
            case .success(let shown) = count(
                "--limit", in: options, 1...CountLimit.top, allowingAll: true, context: &context)
        else { return 2 }
        let limit = shown == .all ? nil : shown.number ?? 10
        let json = options.value("--format") == "json"
        guard let knowledgeBase = load(options, hashed: json, context: &context) else { return 2 }
        guard
            let indication = indications(options.all("--indication"), in: knowledgeBase.rules, context: &context)?.first
        else { return 2 }
        var levels: [LevelID]?
        if let text = options.value("--levels") {
            let vocabulary = knowledgeBase.rules.vocabulary.levels
            var resolved: [LevelID] = []
            for name in text.split(separator: ",").map({ String($0.filter { $0 != " " }) }) {
                guard let level = vocabulary.resolve(name) else {
                    context.usageError(
                        UsageError(
                            message: "unknown level '\(name)' in --levels"
                                + Suggestion.clause(for: name, in: vocabulary.allNames) + "; the levels are "
                                + vocabulary.ids.map(\.rawValue).joined(separator: ", "), command: spec.name))
                    return 2
                }
                if !resolved.contains(level) { resolved.append(level) }
            }
            levels = resolved
        }
        let plan = Planner.plan(
            indication, in: Recommender(knowledgeBase: knowledgeBase), top: top ?? 3, levels: levels)
        let renderer = PlanRenderer(plan: plan, indication: indication, knowledgeBase: knowledgeBase)
        context.stdout += json ? renderer.json() : renderer.text(limit: limit)
        return 0
    }
}
