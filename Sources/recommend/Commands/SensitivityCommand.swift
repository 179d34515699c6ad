import EvidenceModel
import RuleEngine

/// `recommend sensitivity`: how stable an indication's ranking is under perturbed rules and without each
/// reference in turn.
enum SensitivityCommand: Command {
    static let spec = CommandSpec(
        name: "sensitivity",
        summary: "Show how stable a ranking is when weights are perturbed and when each reference is left out.",
        listing: "How stable a ranking is to perturbed weights and lost references",
        usage:
            "recommend sensitivity --indication ID [--runs N] [--seed S] [--top K] [--set NAME=VALUE ...] "
            + "[--format text|json]",
        options: [
            OptionSpec(name: "--indication", valueName: "ID", help: "The indication (required)"),
            OptionSpec(name: "--runs", valueName: "N", help: "Perturbed runs, 1 to 100000 (default: 100)"),
            OptionSpec(name: "--seed", valueName: "S", help: "Seed of the perturbations, 0 to 2^64−1 (default: 1)"),
            OptionSpec(
                name: "--top", valueName: "K",
                help: "The shortlist whose stability is measured, 1 to 1000000 (default: 3)"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text)", choices: ["text", "json"]),
            .set, .rules, .evidence, .maxErrors, .wide, .help,
        ],
        discussion: """
            Perturbed runs: each policy value (level and product weights, discounts, minimum-support) and
            each rule weight of the indication is multiplied by its own factor drawn uniformly from
            [0.75, 1.25]; policy values are capped at 1. The same seed gives the same runs, on any machine
            and any number of cores; the JSON lists each run's values, which '--set' reproduces.
            Leave one reference out: every reference with a record that can reach the indication's
            activities is removed in turn, with all its records, and the candidates are ranked again.
            For each candidate: its rank range and how often it is in the top K and eligible over the
            perturbed runs, and its rank range without each reference; then the references whose
            removal changes the top K.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        guard require(["--indication"], in: options, context: &context) else { return 2 }
        guard
            case .success(let runs) = positiveInteger("--runs", in: options, atMost: CountLimit.runs, context: &context),
            case .success(let top) = positiveInteger("--top", in: options, atMost: CountLimit.top, context: &context)
        else { return 2 }
        var seed: UInt64 = 1
        if let text = options.value("--seed") {
            guard let value = UInt64(text) else {
                context.usageError(
                    UsageError(
                        message: "'--seed' needs a whole number from 0 to 18446744073709551615, found '\(text)'",
                        command: spec.name))
                return 2
            }
            seed = value
        }
        guard let knowledgeBase = load(options, hashed: options.value("--format") == "json", context: &context)
        else { return 2 }
        guard
            let indication = indications(options.all("--indication"), in: knowledgeBase.rules, context: &context)?.first
        else { return 2 }
        let report = Recommender(knowledgeBase: knowledgeBase).sensitivity(
            of: indication, options: SensitivityOptions(runs: runs ?? 100, seed: seed, top: top ?? 3),
            progress: context.terminal.stderrIsTerminal ? Progress(label: "sensitivity").report : nil)
        let renderer = SensitivityRenderer(report: report, knowledgeBase: knowledgeBase, style: context.outStyle)
        context.stdout += options.value("--format") == "json" ? renderer.json() : renderer.text()
        return 0
    }
}
