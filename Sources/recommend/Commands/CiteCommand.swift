import EvidenceModel
import RuleEngine

/// `recommend cite`: the references behind a shortlist, for reference managers.
enum CiteCommand: Command {
    static let spec = CommandSpec(
        name: "cite",
        summary: "Export the references behind an indication's shortlist for reference managers.",
        listing: "Export the references behind a shortlist (BibTeX, RIS, CSL-JSON)",
        usage: "recommend cite --indication ID [--top N] --format bibtex|ris|csl-json",
        options: [
            OptionSpec(name: "--indication", valueName: "ID", help: "The indication (required)"),
            OptionSpec(name: "--top", valueName: "N", help: "Shortlist size, 1 to 1000000 (default: 5)"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (required)",
                choices: ["bibtex", "ris", "csl-json"]),
            .rules, .evidence, .maxErrors, .help,
        ],
        discussion: """
            The references are those of the kept contributions behind the first N candidates' scores, sorted by
            key; each entry's key is the knowledge base's reference key.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        guard require(["--indication", "--format"], in: options, context: &context),
            case .success(let top) = positiveInteger("--top", in: options, atMost: CountLimit.top, context: &context)
        else { return 2 }
        guard let knowledgeBase = load(options, context: &context) else { return 2 }
        guard
            let indication = indications(options.all("--indication"), in: knowledgeBase.rules, context: &context)?.first
        else { return 2 }
        let recommender = Recommender(knowledgeBase: knowledgeBase)
        let ranking = recommender.tracing(recommender.rank(indication), first: top ?? 5)
        let ids = Set(ranking.entries.prefix(top ?? 5).flatMap(\.evaluation.references)).sorted()
        let references = ids.compactMap { knowledgeBase.evidence.reference($0) }
        switch options.value("--format") ?? "" {
        case "bibtex": context.stdout += Citations.bibtex(references)
        case "ris": context.stdout += Citations.ris(references)
        default: context.stdout += Citations.cslJSON(references)
        }
        return 0
    }
}
