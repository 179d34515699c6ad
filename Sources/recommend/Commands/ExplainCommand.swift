import EvidenceModel
import RuleEngine

/// `recommend explain`: the trace tree behind one candidate's score for one indication.
enum ExplainCommand: Command {
    static let spec = CommandSpec(
        name: "explain",
        summary: "Show how one candidate's score for one indication is computed, rule line by rule line.",
        listing: "Show the trace behind one candidate's score for one indication",
        usage:
            "recommend explain --indication ID --candidate SOURCE+PRECONDITIONING [--set NAME=VALUE ...] [--format text|json]",
        options: [
            OptionSpec(name: "--indication", valueName: "ID", help: "The indication (required)"),
            OptionSpec(
                name: "--candidate", valueName: "SOURCE+PRECONDITIONING",
                help: "The candidate, e.g. adipose+hypoxia; aliases are accepted (required)"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text)", choices: ["text", "json"]),
            .set, .rules, .evidence, .maxErrors, .wide, .help,
        ],
        discussion: """
            Every contribution shows its record ids, reference and each multiplier of DESIGN §5; kept
            contributions carry their position i in the harmonic sum H(X) = (Σ x_i / i²) / (π²/6).
            Values print with 6 decimals in text; JSON carries full precision.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        guard require(["--indication", "--candidate"], in: options, context: &context) else { return 2 }
        guard let knowledgeBase = load(options, hashed: options.value("--format") == "json", context: &context)
        else { return 2 }
        guard
            let indication = indications(options.all("--indication"), in: knowledgeBase.rules, context: &context)?.first
        else { return 2 }
        let candidate: Candidate
        switch Candidate.parse(options.value("--candidate") ?? "", vocabulary: knowledgeBase.rules.vocabulary) {
        case .success(let parsed): candidate = parsed
        case .failure(let error):
            context.inputError(.e401, error.description)
            return 2
        }
        let recommender = Recommender(knowledgeBase: knowledgeBase)
        let selection: CandidateSelection = recommender.testedCandidates.contains(candidate) ? .tested : .untested
        let ranking = recommender.rank(indication, selection: selection)
        guard let entry = ranking.entries.first(where: { $0.evaluation.candidate == candidate }) else {
            context.inputError(.e401, "candidate '\(candidate)' could not be evaluated")
            return 2
        }
        let renderer = ExplainRenderer(
            evaluation: recommender.evaluate(candidate, for: indication), rank: selection == .tested ? entry.rank : nil,
            candidateCount: ranking.entries.count, indication: indication, knowledgeBase: knowledgeBase,
            style: context.outStyle)
        context.stdout += options.value("--format") == "json" ? renderer.json() : renderer.text()
        return 0
    }
}
