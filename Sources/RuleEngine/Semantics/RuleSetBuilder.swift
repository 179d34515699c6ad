public import EvidenceModel

/// Resolves the syntax trees of all rule files into one ``RuleSet``, reporting every semantic error.
public enum RuleSetBuilder {
    /// Builds the rule set. Returns `nil` for the rule set only when there is no usable policy; otherwise
    /// the rule set holds what resolved, and the diagnostics say what did not.
    public static func build(_ files: [RuleFileSyntax]) -> (rules: RuleSet?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var policies: [PolicySyntax] = []
        var termSyntax: [TermKind: [TermSyntax]] = [:]
        var indicationSyntax: [IndicationSyntax] = []
        for file in files {
            for declaration in file.declarations {
                switch declaration {
                case .policy(let policy): policies.append(policy)
                case .term(let term): termSyntax[term.kind, default: []].append(term)
                case .indication(let indication): indicationSyntax.append(indication)
                }
            }
        }

        let firstSpan = files.first.map { SourceSpan(path: $0.path, line: 1, column: 1) }
        let policy = buildPolicy(policies, firstSpan: firstSpan, diagnostics: &diagnostics)
        let sources: [Term<IdentifierKind.Source>] = terms(termSyntax[.source] ?? [], &diagnostics)
        let preconditionings: [Term<IdentifierKind.Preconditioning>] = terms(
            termSyntax[.preconditioning] ?? [], &diagnostics)
        let components: [Term<IdentifierKind.Component>] = terms(termSyntax[.component] ?? [], &diagnostics)
        let activities: [Term<IdentifierKind.Activity>] = terms(termSyntax[.activity] ?? [], &diagnostics)

        diagnostics += measureCollisions(
            activities: termSyntax[.activity] ?? [], components: termSyntax[.component] ?? [])

        if !sources.contains(where: { $0.id == .anyMSC }) {
            diagnostics.append(
                .error(
                    .e212, "the rules must declare 'source any-msc', the source of statements about MSCs in general",
                    at: firstSpan))
        }
        if !preconditionings.contains(where: { $0.id == .none }) {
            diagnostics.append(
                .error(.e212, "the rules must declare 'preconditioning none', the baseline", at: firstSpan))
        }

        // Levels and products are declared by their policy lines even when a value is invalid, so that a bad
        // weight is reported once and not again at every use of the name.
        func declared<Kind>(_ lines: [(name: Located<String>, value: Located<Double>)]) -> [Term<Kind>] {
            var seen = Set<String>()
            return lines.compactMap { line in
                seen.insert(line.name.value).inserted
                    ? Term(id: Identifier(line.name.value), span: line.name.span) : nil
            }
        }
        let levels: [Term<IdentifierKind.Level>] = declared(policies.first?.levels ?? [])
        let products: [Term<IdentifierKind.Product>] = declared(policies.first?.products ?? [])
        // The scoring index numbers sources and levels in 16 bits (a compact index is what lets it rank a
        // literature-scale base in memory); no real vocabulary comes near.
        for (kind, spans) in [("sources", sources.map(\.span)), ("levels", levels.map(\.span))]
        where spans.count > Self.maximumSourcesOrLevels {
            diagnostics.append(
                .error(
                    .e214,
                    "too many \(kind): \(spans.count) are declared, at most \(Self.maximumSourcesOrLevels) are "
                        + "supported", at: spans[Self.maximumSourcesOrLevels] ?? firstSpan))
        }
        // The score index and the trace index keep a slot per source × pre-conditioning × activity (and
        // × component): bounded so that a huge vocabulary is an error, not an allocation failure.
        let combinations = sources.count * preconditionings.count * (activities.count + components.count)
        if combinations > Self.maximumCombinations {
            diagnostics.append(
                .error(
                    .e214,
                    "the vocabulary is too large to index: \(sources.count) sources × \(preconditionings.count) "
                        + "pre-conditionings × (\(activities.count) activities + \(components.count) components) = "
                        + "\(combinations) combinations, at most \(Self.maximumCombinations) are supported",
                    at: firstSpan))
        }
        let vocabulary = Vocabulary(
            sources: sources, preconditionings: preconditionings, components: components, activities: activities,
            levels: levels, products: products)

        var indications: [Indication] = []
        var seenIndications: [String: SourceSpan] = [:]
        for syntax in Self.inheriting(indicationSyntax, vocabulary: vocabulary, diagnostics: &diagnostics) {
            if let first = seenIndications[syntax.name.value] {
                diagnostics.append(
                    .error(
                        .e201, "duplicate declaration of indication '\(syntax.name.value)'", at: syntax.name.span,
                        notes: [.init("first declared here", at: first)]))
                continue
            }
            seenIndications[syntax.name.value] = syntax.name.span
            if let indication = buildIndication(syntax, vocabulary: vocabulary, diagnostics: &diagnostics) {
                indications.append(indication)
            }
        }

        guard let policy else { return (nil, diagnostics) }
        return (
            RuleSet(vocabulary: vocabulary, policy: policy, indications: indications),
            diagnostics
        )
    }

    private struct DeclaredValue {
        var name: String
        var value: Double
        var span: SourceSpan
    }

    private static func buildPolicy(
        _ policies: [PolicySyntax], firstSpan: SourceSpan?, diagnostics: inout [Diagnostic]
    ) -> Policy? {
        guard let syntax = policies.first else {
            diagnostics.append(
                .error(
                    .e203, "no 'policy' block: the rules must declare the level, product and discount weights",
                    at: firstSpan))
            return nil
        }
        for extra in policies.dropFirst() {
            diagnostics.append(
                .error(
                    .e203, "second 'policy' block; declare the policy once", at: extra.span,
                    notes: [.init("first policy here", at: syntax.span)]))
        }
        var spans: [String: SourceSpan] = [:]
        var anyInvalid = false
        func checkRange(_ value: Located<Double>, _ what: String) -> Bool {
            guard value.value.isFinite, value.value >= 0, value.value <= 1 else {
                diagnostics.append(
                    .error(
                        .e204, "\(what) must be a number between 0 and 1, found \(format(value.value))",
                        at: value.span))
                return false
            }
            return true
        }
        func unique(_ lines: [(name: Located<String>, value: Located<Double>)], _ what: String) -> [DeclaredValue] {
            var result: [DeclaredValue] = []
            var seen: [String: SourceSpan] = [:]
            for line in lines {
                if let first = seen[line.name.value] {
                    diagnostics.append(
                        .error(
                            .e206, "duplicate \(what) '\(line.name.value)' in the policy", at: line.name.span,
                            notes: [.init("first declared here", at: first)]))
                    continue
                }
                seen[line.name.value] = line.name.span
                // An invalid value is reported here and makes the policy unusable, but the name stays declared.
                if !checkRange(line.value, "\(what) '\(line.name.value)'") { anyInvalid = true }
                spans["\(what).\(line.name.value)"] = line.value.span
                result.append(DeclaredValue(name: line.name.value, value: line.value.value, span: line.name.span))
            }
            return result
        }
        let levels = unique(syntax.levels, "level")
        let products = unique(syntax.products, "product")
        var discounts: [Policy.Discount: Double] = [:]
        for line in unique(syntax.discounts, "discount") {
            guard let discount = Policy.Discount(rawValue: line.name) else {
                diagnostics.append(
                    .error(
                        .e205,
                        "unknown discount '\(line.name)'" + Suggestion.clause(for: line.name, in: Policy.discountNames)
                            + "; the discounts are " + Policy.discountNames.joined(separator: ", "), at: line.span))
                continue
            }
            discounts[discount] = line.value
        }
        // Missing values are not reported when a line of the block did not parse: the parse error says it.
        let report = !syntax.hasMalformedLines
        var complete = true
        for discount in Policy.Discount.allCases where discounts[discount] == nil && report {
            diagnostics.append(
                .error(
                    .e205, "the policy does not set 'discount \(discount.rawValue)'" + Self.discountHint(discount),
                    at: syntax.span))
            complete = false
        }
        if levels.isEmpty, report {
            diagnostics.append(.error(.e205, "the policy declares no 'level'", at: syntax.span))
            complete = false
        }
        if products.isEmpty, report {
            diagnostics.append(.error(.e205, "the policy declares no 'product'", at: syntax.span))
            complete = false
        }
        var minimumSupport = 0.0
        if let first = syntax.minimumSupports.first {
            for extra in syntax.minimumSupports.dropFirst() {
                diagnostics.append(
                    .error(
                        .e206, "duplicate 'minimum-support' in the policy", at: extra.span,
                        notes: [.init("first declared here", at: first.span)]))
            }
            if checkRange(first, "'minimum-support'") {
                minimumSupport = first.value
                spans["minimum-support"] = first.span
            } else {
                complete = false
            }
        } else {
            if report {
                diagnostics.append(.error(.e205, "the policy does not set 'minimum-support'", at: syntax.span))
            }
            complete = false
        }
        if anyInvalid || levels.isEmpty || products.isEmpty || discounts.count < Policy.Discount.allCases.count {
            complete = false
        }
        guard complete, let via = discounts[.viaComponent], let baseline = discounts[.fromBaseline],
            let cross = discounts[.crossSource], let comparison = discounts[.comparison]
        else { return nil }
        let policy = Policy(
            levelWeights: Dictionary(levels.map { (LevelID($0.name), $0.value) }, uniquingKeysWith: { a, _ in a }),
            productWeights: Dictionary(
                products.map { (ProductID($0.name), $0.value) }, uniquingKeysWith: { a, _ in a }),
            viaComponent: via, fromBaseline: baseline, crossSource: cross, comparison: comparison,
            minimumSupport: minimumSupport, spans: spans)
        return policy
    }

    /// What a missing discount line should say: the value to write when in doubt.
    private static func discountHint(_ discount: Policy.Discount) -> String {
        switch discount {
        case .comparison:
            "; add 'discount comparison 1.0' (a head-to-head finding counts as much as an absolute one of its level)"
        case .crossSource, .fromBaseline, .viaComponent: ""
        }
    }

    /// Indications with their inherited lines: an indication that `refines` another has the parent's lines
    /// (recursively), in the parent's order, except those whose activity it writes itself — its own line
    /// replaces the parent's in place — followed by its own new lines; without a `minimum-level` of its own it
    /// has the parent's. Unknown parents (E215), a second `refines` (E215) and cycles (E216) are errors; the
    /// block is then taken as written.
    static func inheriting(
        _ syntax: [IndicationSyntax], vocabulary: Vocabulary, diagnostics: inout [Diagnostic]
    ) -> [IndicationSyntax] {
        var byName: [String: IndicationSyntax] = [:]
        for indication in syntax where byName[indication.name.value] == nil {
            byName[indication.name.value] = indication
        }
        let names = byName.keys.sorted()
        func key(_ line: RuleLineSyntax) -> String {
            vocabulary.activities.resolve(line.activity.value)?.rawValue ?? line.activity.value
        }
        var resolved: [String: IndicationSyntax] = [:]
        /// The block with inherited lines; `nil` when its chain is broken (reported once, at the child's line).
        func resolve(_ name: String, visiting: [String]) -> IndicationSyntax? {
            if let done = resolved[name] { return done }
            guard var indication = byName[name] else { return nil }
            guard let parent = indication.refines.first else {
                resolved[name] = indication
                return indication
            }
            for extra in indication.refines.dropFirst() {
                diagnostics.append(
                    .error(
                        .e215, "indication '\(name)' refines more than one indication; keep one 'refines' line",
                        at: extra.span, notes: [.init("first here", at: parent.span)]))
            }
            if visiting.contains(parent.value) || parent.value == name {
                let cycle = (visiting.drop(while: { $0 != parent.value }) + [name, parent.value])
                    .joined(separator: " → ")
                diagnostics.append(
                    .error(.e216, "indications refine each other in a cycle: \(cycle)", at: parent.span))
                return nil
            }
            guard byName[parent.value] != nil else {
                diagnostics.append(
                    .error(
                        .e215,
                        "unknown indication '\(parent.value)' in 'refines'"
                            + Suggestion.clause(for: parent.value, in: names),
                        at: parent.span))
                return nil
            }
            guard let base = resolve(parent.value, visiting: visiting + [name]) else { return nil }
            let own = Dictionary(indication.lines.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            var lines: [RuleLineSyntax] = []
            var used = Set<String>()
            for var line in base.lines {
                if let replacement = own[key(line)] {
                    lines.append(replacement)
                    used.insert(key(line))
                } else {
                    if line.inheritedFrom == nil { line.inheritedFrom = parent.value }
                    lines.append(line)
                }
            }
            lines += indication.lines.filter { !used.contains(key($0)) }
            indication.lines = lines
            if indication.minimumLevels.isEmpty { indication.minimumLevels = base.minimumLevels }
            indication.hasMalformedLines = indication.hasMalformedLines || base.hasMalformedLines
            resolved[name] = indication
            return indication
        }
        return syntax.map { indication in
            guard !indication.refines.isEmpty, byName[indication.name.value]?.name.span == indication.name.span else {
                return indication
            }
            return resolve(indication.name.value, visiting: []) ?? indication
        }
    }

    /// The most sources × pre-conditionings × (activities + components) a rule set may declare.
    static let maximumCombinations = 20_000_000

    /// The most sources, and the most levels, a rule set may declare.
    static let maximumSourcesOrLevels = 65_535

    /// A comparison's `measure` names an activity or a component, so no name or alias may be both (E217): one
    /// error per colliding component name, at the component's declaration, with a note at the activity's.
    static func measureCollisions(activities: [TermSyntax], components: [TermSyntax]) -> [Diagnostic] {
        var activityNames: [String: (owner: String, span: SourceSpan)] = [:]
        for activity in activities {
            for name in [activity.name] + activity.aliases where activityNames[name.value] == nil {
                activityNames[name.value] = (activity.name.value, name.span)
            }
        }
        var diagnostics: [Diagnostic] = []
        for component in components {
            for name in [component.name] + component.aliases {
                guard let activity = activityNames[name.value] else { continue }
                let what =
                    name.value == component.name.value
                    ? "component '\(name.value)'" : "alias '\(name.value)' of component '\(component.name.value)'"
                let other = name.value == activity.owner ? "an activity" : "an alias of activity '\(activity.owner)'"
                diagnostics.append(
                    .error(
                        .e217,
                        "\(what) is also declared as \(other); comparisons name an activity or a "
                            + "component as their measure, so one name cannot be both: rename one of them",
                        at: name.span, notes: [.init("declared as an activity here", at: activity.span)]))
            }
        }
        return diagnostics
    }

    /// Turns term declarations of one kind into terms, rejecting duplicate names and colliding aliases.
    private static func terms<Kind>(_ syntax: [TermSyntax], _ diagnostics: inout [Diagnostic]) -> [Term<Kind>] {
        var result: [Term<Kind>] = []
        var names: [String: (owner: String, span: SourceSpan)] = [:]
        for declaration in syntax {
            let kind = declaration.kind.rawValue
            let name = declaration.name
            if let first = names[name.value] {
                let message =
                    first.owner == name.value
                    ? "duplicate declaration of \(kind) '\(name.value)'"
                    : "\(kind) '\(name.value)' collides with an alias of \(kind) '\(first.owner)'"
                diagnostics.append(
                    .error(.e201, message, at: name.span, notes: [.init("first declared here", at: first.span)]))
                continue
            }
            names[name.value] = (name.value, name.span)
            let joinsCandidates = declaration.kind == .source || declaration.kind == .preconditioning
            if joinsCandidates, let bad = ([name] + declaration.aliases).first(where: { $0.value.contains("+") }) {
                diagnostics.append(
                    .error(
                        .e213,
                        "'\(bad.value)' contains '+', which joins source and pre-conditioning in candidate ids "
                            + "such as adipose+hypoxia; use '-' instead", at: bad.span))
            }
            var aliases: [String] = []
            for alias in declaration.aliases {
                if let first = names[alias.value] {
                    diagnostics.append(
                        .error(
                            .e202,
                            "alias '\(alias.value)' of \(kind) '\(name.value)' collides with "
                                + (first.owner == alias.value
                                    ? "\(kind) '\(first.owner)'" : "an alias of \(kind) '\(first.owner)'"),
                            at: alias.span, notes: [.init("first declared here", at: first.span)]))
                    continue
                }
                names[alias.value] = (name.value, alias.span)
                aliases.append(alias.value)
            }
            result.append(
                Term(
                    id: Identifier(name.value), label: declaration.label?.value ?? "",
                    ontologyTerms: declaration.ontologyTerms.map(\.value), aliases: aliases, span: name.span))
        }
        return result
    }

    private static func buildIndication(
        _ syntax: IndicationSyntax, vocabulary: Vocabulary, diagnostics: inout [Diagnostic]
    ) -> Indication? {
        var lines: [RuleLine] = []
        var seen: [ActivityID: SourceSpan] = [:]
        var valid = true
        for line in syntax.lines {
            guard let activity = vocabulary.activities.resolve(line.activity.value) else {
                diagnostics.append(
                    .error(
                        .e207,
                        "unknown activity '\(line.activity.value)'"
                            + Suggestion.clause(for: line.activity.value, in: vocabulary.activities.allNames),
                        at: line.activity.span))
                valid = false
                continue
            }
            if let first = seen[activity] {
                diagnostics.append(
                    .error(
                        .e208,
                        "activity '\(activity)' appears twice in indication '\(syntax.name.value)'; "
                            + "an activity may be required, supported or avoided once", at: line.activity.span,
                        notes: [.init("first used here", at: first)]))
                valid = false
                continue
            }
            seen[activity] = line.activity.span
            guard line.weight.value.isFinite, line.weight.value > 0 else {
                diagnostics.append(
                    .error(
                        .e209, "weight must be a finite number greater than 0, found \(format(line.weight.value))",
                        at: line.weight.span))
                valid = false
                continue
            }
            var ruleLine = RuleLine(
                kind: line.kind.value, activity: activity, weight: line.weight.value,
                rationale: line.rationale.value, span: line.kind.span)
            ruleLine.inheritedFrom = line.inheritedFrom.map { IndicationID($0) }
            lines.append(ruleLine)
        }
        if !syntax.lines.contains(where: { $0.kind.value == .requires }), !syntax.hasMalformedLines {
            diagnostics.append(
                .error(
                    .e210,
                    "indication '\(syntax.name.value)' has no 'requires' line; "
                        + "say which activity it cannot do without", at: syntax.name.span))
            valid = false
        }
        if syntax.hasMalformedLines { valid = false }
        if valid, !lines.reduce(0.0, { $0 + $1.weight }).isFinite {
            diagnostics.append(
                .error(
                    .e209,
                    "the weights of indication '\(syntax.name.value)' add up to more than a number can hold; "
                        + "use smaller weights (only their ratios matter)", at: syntax.name.span))
            valid = false
        }
        var minimumLevel: LevelID?
        var minimumLevelSpan: SourceSpan?
        for (offset, level) in syntax.minimumLevels.enumerated() {
            if offset > 0 {
                diagnostics.append(
                    .error(
                        .e211, "second 'minimum-level' in indication '\(syntax.name.value)'", at: level.span,
                        notes: [.init("first set here", at: syntax.minimumLevels[0].span)]))
                valid = false
                continue
            }
            guard let resolved = vocabulary.levels.resolve(level.value) else {
                // With no level declared at all, the policy's own error (E203, E205) already says what to fix.
                if vocabulary.levels.ids.isEmpty {
                    valid = false
                    continue
                }
                diagnostics.append(
                    .error(
                        .e211,
                        "unknown level '\(level.value)'"
                            + Suggestion.clause(for: level.value, in: vocabulary.levels.allNames)
                            + "; the policy declares " + vocabulary.levels.ids.map(\.rawValue).joined(separator: ", "),
                        at: level.span))
                valid = false
                continue
            }
            minimumLevel = resolved
            minimumLevelSpan = level.span
        }
        guard valid else { return nil }
        return Indication(
            id: IndicationID(syntax.name.value), label: syntax.label?.value ?? "",
            ontologyTerms: syntax.ontologyTerms.map(\.value), lines: lines, minimumLevel: minimumLevel,
            minimumLevelSpan: minimumLevelSpan, span: syntax.name.span)
    }

    static func format(_ value: Double) -> String {
        value.isNaN ? "nan" : value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)"
    }
}
