import EvidenceModel
import RuleEngine

/// `recommend export`: the whole normalised knowledge base as one JSON document.
enum ExportCommand: Command {
    static let spec = CommandSpec(
        name: "export",
        summary: "Write the whole normalised knowledge base (vocabulary, policy, indications, evidence, references).",
        listing: "Write the whole normalised knowledge base as JSON",
        usage: "recommend export [--format json]",
        options: [
            OptionSpec(name: "--format", valueName: "FORMAT", help: "Output format (default: json)", choices: ["json"]),
            .rules, .evidence, .maxErrors, .help,
        ],
        discussion: "Identifiers are canonical (aliases resolved); every array is sorted by identifier.")

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        guard let knowledgeBase = load(options, hashed: true, context: &context) else { return 2 }
        context.isMachineOutput = true  // JSON, whatever --format says
        context.stdout += document(knowledgeBase).rendered()
        return 0
    }

    static func terms<Kind>(_ table: TermTable<Kind>) -> JSON {
        .array(
            table.terms.map { term in
                .object([
                    ("id", .string(term.id.rawValue)),
                    ("label", .string(term.label)),
                    ("terms", .array(term.ontologyTerms.map(JSON.string))),
                    ("aliases", .array(term.aliases.map(JSON.string))),
                ])
            })
    }

    static func document(_ kb: KnowledgeBase) -> JSON {
        let vocabulary = kb.rules.vocabulary
        let policy = kb.rules.policy
        let evidence = kb.evidence
        return .object([
            ("schemaVersion", .int(1)),
            ("kind", .string("knowledge-base")),
            ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + kb.contentHash)),
            (
                "vocabulary",
                .object([
                    ("sources", terms(vocabulary.sources)),
                    ("preconditionings", terms(vocabulary.preconditionings)),
                    ("components", terms(vocabulary.components)),
                    ("activities", terms(vocabulary.activities)),
                ])
            ),
            (
                "policy",
                .object([
                    (
                        "levels",
                        .array(
                            vocabulary.levels.ids.map { level in
                                .object([
                                    ("id", .string(level.rawValue)), ("weight", .number(policy.weight(of: level))),
                                ])
                            })
                    ),
                    (
                        "products",
                        .array(
                            vocabulary.products.ids.map { product in
                                .object([
                                    ("id", .string(product.rawValue)), ("weight", .number(policy.weight(of: product))),
                                ])
                            })
                    ),
                    (
                        "discounts",
                        .object(Policy.Discount.allCases.map { ($0.rawValue, JSON.number(policy[$0])) })
                    ),
                    ("minimumSupport", .number(policy.minimumSupport)),
                ])
            ),
            (
                "indications",
                .array(
                    kb.rules.indications.map { indication in
                        .object([
                            ("id", .string(indication.id.rawValue)),
                            ("label", .string(indication.label)),
                            ("terms", .array(indication.ontologyTerms.map(JSON.string))),
                            ("minimumLevel", .optional(indication.minimumLevel?.rawValue)),
                            (
                                "lines",
                                .array(
                                    indication.lines.map { line in
                                        .object([
                                            ("kind", .string(line.kind.rawValue)),
                                            ("activity", .string(line.activity.rawValue)),
                                            ("weight", .number(line.weight)),
                                            ("rationale", .string(line.rationale)),
                                            ("rule", JSONEncoding.span(line.span)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            ("references", .array(evidence.references.map(JSONEncoding.reference))),
            (
                "secretome",
                .array(
                    evidence.secretome.map { r in
                        .object([
                            ("id", .string(r.id.rawValue)), ("source", .string(r.source.rawValue)),
                            ("preconditioning", .string(r.preconditioning.rawValue)),
                            ("product", .string(r.product.rawValue)), ("component", .string(r.component.rawValue)),
                            ("direction", .string(r.direction.rawValue)), ("level", .string(r.level.rawValue)),
                            ("species", .string(r.species)), ("ref", .string(r.reference.rawValue)),
                            ("note", .string(r.note)),
                        ])
                    })
            ),
            (
                "functions",
                .array(
                    evidence.functions.map { f in
                        .object([
                            ("id", .string(f.id.rawValue)), ("source", .string(f.source.rawValue)),
                            ("preconditioning", .string(f.preconditioning.rawValue)),
                            ("product", .string(f.product.rawValue)), ("activity", .string(f.activity.rawValue)),
                            ("outcome", .string(f.outcome.rawValue)), ("level", .string(f.level.rawValue)),
                            ("species", .string(f.species)), ("ref", .string(f.reference.rawValue)),
                            ("note", .string(f.note)),
                        ])
                    })
            ),
            (
                "mechanisms",
                .array(
                    evidence.mechanisms.map { q in
                        .object([
                            ("id", .string(q.id.rawValue)), ("component", .string(q.component.rawValue)),
                            ("activity", .string(q.activity.rawValue)), ("effect", .string(q.effect.rawValue)),
                            ("level", .string(q.level.rawValue)), ("ref", .string(q.reference.rawValue)),
                            ("note", .string(q.note)),
                        ])
                    })
            ),
            (
                "comparisons",
                .array(
                    evidence.comparisons.map { x in
                        let measure: (kind: String, id: String) =
                            switch x.measure {
                            case .activity(let a): ("activity", a.rawValue)
                            case .component(let k): ("component", k.rawValue)
                            }
                        return .object([
                            ("id", .string(x.id.rawValue)), ("source", .string(x.source.rawValue)),
                            ("preconditioning", .string(x.preconditioning.rawValue)),
                            ("versusSource", .string(x.versusSource.rawValue)),
                            ("versusPreconditioning", .string(x.versusPreconditioning.rawValue)),
                            ("contrast", .string(x.contrast.rawValue)), ("product", .string(x.product.rawValue)),
                            ("measure", .string(measure.id)), ("measureKind", .string(measure.kind)),
                            ("outcome", .string(x.outcome.rawValue)), ("level", .string(x.level.rawValue)),
                            ("species", .string(x.species)), ("ref", .string(x.reference.rawValue)),
                            ("note", .string(x.note)),
                        ])
                    })
            ),
        ])
    }
}
