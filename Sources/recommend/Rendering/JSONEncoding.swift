import EvidenceModel
import RuleEngine

/// The JSON forms of the model, shared by `rank`, `explain` and `export` (schemas/ describes them).
enum JSONEncoding {
    static let tool = JSON.object([("name", .string("recommend")), ("version", .string(RecommendTool.version))])

    static func span(_ span: SourceSpan?) -> JSON {
        guard let span else { return .null }
        return .object([
            ("path", .string(span.path)), ("line", .int(span.start.line)), ("column", .int(span.start.column)),
        ])
    }

    static func reason(_ reason: IneligibilityReason, candidate: Candidate) -> JSON {
        switch reason {
        case .insufficientSupport(let line, let support, let minimum):
            return .object([
                ("kind", .string("insufficient-support")),
                ("activity", .string(line.activity.rawValue)),
                ("support", .number(support)),
                ("minimumSupport", .number(minimum)),
                ("rule", span(line.span)),
                ("message", .string(Describe.reason(reason, candidate: candidate))),
            ])
        case .belowMinimumLevel(let minimum, let minimumWeight, let best, let at):
            return .object([
                ("kind", .string("below-minimum-level")),
                ("minimumLevel", .string(minimum.rawValue)),
                ("minimumLevelWeight", .number(minimumWeight)),
                ("bestOwnSourceLevel", .optional(best?.rawValue)),
                ("rule", span(at)),
                ("message", .string(Describe.reason(reason, candidate: candidate))),
            ])
        }
    }

    /// A ranked candidate; `references` replaces the list of its references (a renderer that streams them
    /// passes ``JSON/placeholder``).
    static func rankedCandidate(_ entry: RankedCandidate, references: JSON? = nil) -> JSON {
        let e = entry.evaluation
        return .object([
            ("rank", .int(entry.rank)),
            ("candidate", .string(e.candidate.id)),
            ("source", .string(e.candidate.source.rawValue)),
            ("preconditioning", .string(e.candidate.preconditioning.rawValue)),
            ("tested", .bool(e.isTested)),
            ("eligible", .bool(e.isEligible)),
            ("score", .number(e.score)),
            ("referenceCount", .int(e.referenceCount)),
            ("references", references ?? .array(e.references.map { .string($0.rawValue) })),
            ("ineligibility", .array(e.ineligibilityReasons.map { reason($0, candidate: e.candidate) })),
            (
                "activities",
                .array(
                    e.activities.map { a in
                        .object([
                            ("activity", .string(a.line.activity.rawValue)),
                            ("kind", .string(a.line.kind.rawValue)),
                            ("weight", .number(a.line.weight)),
                            ("support", .number(a.support)),
                            ("absoluteSupport", .number(a.absoluteSupport)),
                            ("advantage", .number(a.advantage)),
                            ("contested", .bool(a.isContested)),
                        ])
                    })
            ),
        ])
    }

    static func path(_ path: Contribution.Path) -> JSON {
        switch path {
        case .direct(let function):
            return .object([("kind", .string("direct")), ("function", .string(function.rawValue))])
        case .viaComponent(let secretome, let mechanism, let component):
            return .object([
                ("kind", .string("via-component")),
                ("secretome", .string(secretome.rawValue)),
                ("mechanism", .string(mechanism.rawValue)),
                ("component", .string(component.rawValue)),
            ])
        case .comparison(let comparison, let side):
            return .object([
                ("kind", .string("comparison")),
                ("comparison", .string(comparison.rawValue)),
                ("side", .string(side.rawValue)),
            ])
        case .comparisonViaComponent(let comparison, let side, let mechanism, let component):
            return .object([
                ("kind", .string("comparison-via-component")),
                ("comparison", .string(comparison.rawValue)),
                ("side", .string(side.rawValue)),
                ("mechanism", .string(mechanism.rawValue)),
                ("component", .string(component.rawValue)),
            ])
        }
    }

    static func contribution(_ c: Contribution) -> JSON {
        var members: [(String, JSON)] = [("path", path(c.path)), ("kind", .string(c.kind.rawValue))]
        members += [
            ("reference", .string(c.reference.rawValue)),
            ("recordSource", .string(c.recordSource.rawValue)),
            ("recordPreconditioning", .string(c.recordPreconditioning.rawValue)),
            ("route", .string(c.route.rawValue)),
            (
                "versus",
                c.versus.map { versus in
                    JSON.object([
                        ("source", .string(versus.source.rawValue)),
                        ("preconditioning", .string(versus.preconditioning.rawValue)),
                        ("contrast", .string(versus.contrast.rawValue)),
                    ])
                } ?? .null
            ),
            ("level", .string(c.level.rawValue)),
            ("levelWeight", .number(c.levelWeight)),
            ("product", .string(c.product.rawValue)),
            ("productWeight", .number(c.productWeight)),
            ("mechanismLevel", .optional(c.mechanismLevel?.rawValue)),
            ("mechanismLevelWeight", c.mechanismLevelWeight.map(JSON.number) ?? .null),
            ("sourceFactor", .number(c.sourceFactor)),
            ("preconditioningFactor", .number(c.preconditioningFactor)),
            ("viaComponentFactor", c.viaComponentFactor.map(JSON.number) ?? .null),
            ("comparisonFactor", c.comparisonFactor.map(JSON.number) ?? .null),
            ("recordSign", .int(Int(c.recordSign))),
            ("effectSign", c.effectSign.map { JSON.int(Int($0)) } ?? .null),
            ("value", .number(c.value)),
        ]
        switch c.status {
        case .kept(let rank):
            members += [
                ("status", .string("kept")), ("kept", .bool(true)), ("harmonicRank", .int(rank)),
                ("keptInstead", .null),
            ]
        case .dropped(let winner):
            members += [
                ("status", .string("dropped")), ("kept", .bool(false)), ("harmonicRank", .null),
                ("keptInstead", path(winner)),
            ]
        case .similar:
            members += [
                ("status", .string("similar")), ("kept", .bool(false)), ("harmonicRank", .null),
                ("keptInstead", .null),
            ]
        }
        members += [
            ("note", .string(c.note)), ("species", .string(c.species)), ("mechanismNote", .optional(c.mechanismNote)),
        ]
        return .object(members)
    }

    static func evaluation(_ e: Evaluation, rank: Int?, indication: Indication) -> JSON {
        .object([
            ("indication", .string(indication.id.rawValue)),
            ("indicationLabel", .string(indication.label)),
            ("candidate", .string(e.candidate.id)),
            ("source", .string(e.candidate.source.rawValue)),
            ("preconditioning", .string(e.candidate.preconditioning.rawValue)),
            ("tested", .bool(e.isTested)),
            ("rank", rank.map(JSON.int) ?? .null),
            ("eligible", .bool(e.isEligible)),
            ("score", .number(e.score)),
            ("numerator", .number(e.numerator)),
            ("denominator", .number(e.denominator)),
            ("minimumLevel", .optional(indication.minimumLevel?.rawValue)),
            ("bestOwnSourceLevel", .optional(e.bestOwnLevel?.rawValue)),
            ("ineligibility", .array(e.ineligibilityReasons.map { reason($0, candidate: e.candidate) })),
            (
                "activities",
                .array(
                    e.activities.map { a in
                        .object([
                            ("activity", .string(a.line.activity.rawValue)),
                            ("kind", .string(a.line.kind.rawValue)),
                            ("weight", .number(a.line.weight)),
                            ("rationale", .string(a.line.rationale)),
                            ("rule", span(a.line.span)),
                            ("positive", .number(a.positive)),
                            ("negative", .number(a.negative)),
                            ("won", .number(a.won)),
                            ("lost", .number(a.lost)),
                            ("absoluteSupport", .number(a.absoluteSupport)),
                            ("advantage", .number(a.advantage)),
                            ("support", .number(a.support)),
                            ("contested", .bool(a.isContested)),
                            ("term", .number(a.term)),
                            ("contributions", .array(a.contributions.map(contribution))),
                        ])
                    })
            ),
            ("references", .array(e.references.map { .string($0.rawValue) })),
        ])
    }

    static func reference(_ r: Reference) -> JSON {
        .object([
            ("ref", .string(r.id.rawValue)),
            ("doi", .optional(r.doi)),
            ("pmid", .optional(r.pmid)),
            ("authors", .string(r.authors)),
            ("year", .int(r.year)),
            ("title", .string(r.title)),
            ("journal", .string(r.journal)),
        ])
    }
}
