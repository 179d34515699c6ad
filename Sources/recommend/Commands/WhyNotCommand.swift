import EvidenceModel
import RuleEngine

/// `recommend why-not`: why a candidate is ineligible or ranked below another, and the smallest evidence
/// addition that would change that.
enum WhyNotCommand: Command {
    static let spec = CommandSpec(
        name: "why-not",
        summary: "Explain why a candidate is ineligible or below another, and what evidence would change it.",
        listing: "Why a candidate is ineligible or outranked; what would change it",
        usage:
            "recommend why-not --indication ID --candidate SOURCE+PRECONDITIONING [--than SOURCE+PRECONDITIONING] "
            + "[--set NAME=VALUE ...] [--format text|json]",
        options: [
            OptionSpec(name: "--indication", valueName: "ID", help: "The indication (required)"),
            OptionSpec(
                name: "--candidate", valueName: "SOURCE+PRECONDITIONING",
                help: "The candidate to explain, e.g. adipose+ifn-gamma; aliases are accepted (required)"),
            OptionSpec(
                name: "--than", valueName: "SOURCE+PRECONDITIONING",
                help: "The rival it should rank above (default: the candidate ranked first)"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text)", choices: ["text", "json"]),
            .set, .rules, .evidence, .maxErrors, .wide, .help,
        ],
        discussion: """
            Compares the candidate with the rival rule line by rule line, lists its evidence that a discount
            lowered (cross-source, from-baseline, via-component, a product weight below 1), and computes from
            the scoring model the smallest evidence addition that would make it eligible and rank it above
            the rival: the fewest new function records of the candidate's own source and pre-conditioning,
            each from its own reference, then the weakest level and product. The search covers every
            activity of the indication, every declared level and product, and up to 10 records of one kind
            per activity; the predicted scores include what the new records do to the rival. It also prints
            the support each rule line alone would need to pass the rival's score, and the suggestion as
            rows of function.tsv. Values print with 6 decimals in text; JSON carries full precision.
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
        let vocabulary = knowledgeBase.rules.vocabulary
        var parsed: [Candidate] = []
        for name in ["--candidate", "--than"] {
            guard let text = options.value(name) else { continue }
            switch Candidate.parse(text, vocabulary: vocabulary) {
            case .success(let candidate): parsed.append(candidate)
            case .failure(let error):
                context.inputError(.e401, "\(name): \(error.description)")
                return 2
            }
        }
        let candidate = parsed[0]
        let recommender = Recommender(knowledgeBase: knowledgeBase)
        var rival = parsed.count > 1 ? parsed[1] : nil
        if rival == candidate {
            context.inputError(
                .e401,
                "--than: '\(candidate)' is the candidate itself; name another candidate, or leave --than out "
                    + "to compare with the leader")
            return 2
        }
        if rival == nil {
            let selection: CandidateSelection = recommender.testedCandidates.contains(candidate) ? .tested : .untested
            let leader = recommender.rank(indication, selection: selection).entries.first?.evaluation.candidate
            rival = leader == candidate ? nil : leader
        }
        let answer = recommender.whyNot(candidate, for: indication, than: rival)
        let renderer = WhyNotRenderer(answer: answer, knowledgeBase: knowledgeBase, style: context.outStyle)
        context.stdout += options.value("--format") == "json" ? renderer.json() : renderer.text()
        return 0
    }
}
