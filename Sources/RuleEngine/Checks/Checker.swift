public import EvidenceModel

/// A finding that an inline `check-ignore` comment suppressed, with the reason given there.
public struct SuppressedFinding: Sendable, Hashable {
    /// The finding.
    public var finding: Diagnostic
    /// The reason the comment gives.
    public var reason: String
    /// Where the comment is.
    public var suppression: SourceSpan
}

/// What `check` found: the findings that count, the suppressed ones (listed so they stay visible), and the
/// text of the files, for quoting lines.
public struct CheckReport: Sendable {
    /// Unsuppressed findings, sorted by place.
    public var findings: [Diagnostic]
    /// Suppressed findings, sorted by place.
    public var suppressed: [SuppressedFinding]
    /// The files read, by path.
    public var sourceFiles: [String: SourceFile]
    /// SHA-256 over the names and bytes of the files read (the run manifest; see `KnowledgeBase.LoadResult`).
    public var contentHash = ""

    /// Whether the report fails a run: any error, or with `strict` any warning.
    public func fails(strict: Bool) -> Bool {
        findings.contains { $0.severity == .error || strict && $0.severity == .warning }
    }
}

/// Consistency checks of a knowledge base, for CI: every load error, plus warnings about evidence and rules
/// that load but are probably not what their authors meant (unused references and terms, unreachable
/// requirements, self-contradicting evidence).
///
/// A finding is suppressed by a comment that names its code and gives a reason — in a rule file
/// `# check-ignore W403: kept for the next curation round`, on the finding's line or alone on the line
/// before it; in an evidence file the same text anywhere in the row's `note`.
public enum Checker {
    /// Loads and checks the knowledge base of the two directories.
    public static func check(rulesDirectory: String, evidenceDirectory: String) -> CheckReport {
        let loaded = KnowledgeBase.load(rulesDirectory: rulesDirectory, evidenceDirectory: evidenceDirectory)
        var findings = loaded.diagnostics
        if let knowledgeBase = loaded.knowledgeBase { findings += lint(knowledgeBase) }
        var report = applySuppressions(
            findings, sourceFiles: loaded.sourceFiles, warningsComputed: loaded.knowledgeBase != nil)
        report.contentHash = loaded.contentHash
        return report
    }

    /// The warnings of a knowledge base that loaded without errors. Complexity: O(n log n) in its size.
    public static func lint(_ kb: KnowledgeBase) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let evidence = kb.evidence
        let vocabulary = kb.rules.vocabulary

        // W401: references that no record cites.
        var cited = Set<ReferenceID>()
        for r in evidence.secretome { cited.insert(r.reference) }
        for f in evidence.functions { cited.insert(f.reference) }
        for q in evidence.mechanisms { cited.insert(q.reference) }
        for x in evidence.comparisons { cited.insert(x.reference) }
        for reference in evidence.references where !cited.contains(reference.id) {
            findings.append(
                .warning(
                    .w401,
                    "reference '\(reference.id)' is cited by no record; remove it or add the records it "
                        + "supports", at: reference.span))
        }

        // W402: required activities that no evidence can ever support positively: no supporting function
        // record, no mechanism whose component some secretome record (or a comparison's side that takes part)
        // moves the promoting way, and no comparison of the activity won by a side that takes part.
        let model = ScoringModel(policy: kb.rules.policy)
        var reachable = Set(evidence.functions.filter { $0.outcome == .supports }.map(\.activity))
        var raised = Set(evidence.secretome.filter { $0.direction != .down }.map(\.component))
        var lowered = Set(evidence.secretome.filter { $0.direction == .down }.map(\.component))
        for x in evidence.comparisons {
            for side in model.participatingSides(of: x) where x.sign(side) != 0 {
                switch (x.measure, x.sign(side) > 0) {
                case (.activity(let a), true): reachable.insert(a)
                case (.activity, false): break
                case (.component(let k), true): raised.insert(k)
                case (.component(let k), false): lowered.insert(k)
                }
            }
        }
        for q in evidence.mechanisms
        where q.effect == .promotes && raised.contains(q.component)
            || q.effect == .inhibits && lowered.contains(q.component)
        {
            reachable.insert(q.activity)
        }
        for indication in kb.rules.indications {
            for line in indication.lines where line.kind == .requires && !reachable.contains(line.activity) {
                findings.append(
                    .warning(
                        .w402,
                        "no function record, mechanism or comparison reaches '\(line.activity)', so no candidate "
                            + "can ever be eligible for '\(indication.id)'", at: line.span))
            }
        }

        // W403: declared components, activities, levels and products that nothing uses.
        var usedActivities = Set(evidence.functions.map(\.activity)).union(evidence.mechanisms.map(\.activity))
        for indication in kb.rules.indications { usedActivities.formUnion(indication.lines.map(\.activity)) }
        var usedComponents = Set(evidence.secretome.map(\.component)).union(evidence.mechanisms.map(\.component))
        for x in evidence.comparisons {
            switch x.measure {
            case .activity(let a): usedActivities.insert(a)
            case .component(let k): usedComponents.insert(k)
            }
        }
        var usedLevels = Set(evidence.secretome.map(\.level)).union(evidence.functions.map(\.level))
        usedLevels.formUnion(evidence.mechanisms.map(\.level))
        usedLevels.formUnion(evidence.comparisons.map(\.level))
        usedLevels.formUnion(kb.rules.indications.compactMap(\.minimumLevel))
        var usedProducts = Set(evidence.secretome.map(\.product)).union(evidence.functions.map(\.product))
        usedProducts.formUnion(evidence.comparisons.map(\.product))
        func unused<Kind>(_ table: TermTable<Kind>, _ used: Set<Identifier<Kind>>, _ kind: String) {
            for term in table.terms where !used.contains(term.id) {
                findings.append(
                    .warning(.w403, "\(kind) '\(term.id)' is declared but never used", at: term.span))
            }
        }
        unused(vocabulary.components, usedComponents, "component")
        unused(vocabulary.activities, usedActivities, "activity")
        unused(vocabulary.levels, usedLevels, "level")
        unused(vocabulary.products, usedProducts, "product")

        // W404: sources and pre-conditionings without a secretome, function or comparison record.
        var sources = Set(evidence.secretome.map(\.source)).union(evidence.functions.map(\.source))
        var pres = Set(evidence.secretome.map(\.preconditioning)).union(evidence.functions.map(\.preconditioning))
        for x in evidence.comparisons {
            sources.formUnion([x.source, x.versusSource])
            pres.formUnion([x.preconditioning, x.versusPreconditioning])
        }
        for term in vocabulary.sources.terms where !sources.contains(term.id) {
            findings.append(
                .warning(.w404, "source '\(term.id)' has no secretome, function or comparison record", at: term.span))
        }
        for term in vocabulary.preconditionings.terms where !pres.contains(term.id) {
            findings.append(
                .warning(
                    .w404, "pre-conditioning '\(term.id)' has no secretome, function or comparison record",
                    at: term.span))
        }

        // W405: one reference reporting the same component of the same candidate both up and down.
        struct Claim: Hashable {
            var source: SourceID
            var preconditioning: PreconditioningID
            var component: ComponentID
            var reference: ReferenceID
        }
        var firstDirection: [Claim: SecretomeRecord] = [:]
        for record in evidence.secretome where record.direction != .present {
            let claim = Claim(
                source: record.source, preconditioning: record.preconditioning, component: record.component,
                reference: record.reference)
            guard let first = firstDirection[claim] else {
                firstDirection[claim] = record
                continue
            }
            if first.direction != record.direction {
                findings.append(
                    .warning(
                        .w405,
                        "'\(record.reference)' reports \(record.component) of \(record.source)+\(record.preconditioning) "
                            + "both \(first.direction.rawValue) (\(first.id)) and \(record.direction.rawValue) "
                            + "(\(record.id)); say in the notes how the comparisons differ, or fix the direction",
                        at: record.span, notes: [.init("\(first.id) is here", at: first.span)]))
            }
        }
        findings += contradictoryComparisons(evidence)
        findings += unreachableComparisons(evidence)
        findings += ontologyIdentifiers(kb.rules)
        findings += controlCharacters(kb)
        return findings
    }

    /// W411: a control character (other than tab) in a label, rationale, title, authors, journal, species or
    /// note. Human outputs show it as U+FFFD, or a space for a line break, but it is almost always a paste
    /// accident, and an escape sequence in a shared file is worth knowing about.
    static func controlCharacters(_ kb: KnowledgeBase) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        func check(_ text: String, _ what: String, at span: SourceSpan?) {
            guard
                let scalar = text.unicodeScalars.first(where: {
                    $0 != "\t" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value))
                })
            else { return }
            let code = String(scalar.value, radix: 16, uppercase: true)
            findings.append(
                .warning(
                    .w411,
                    "\(what) holds the control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code)"
                        + (scalar == "\u{1B}" ? " (escape, which can start a terminal command)" : "")
                        + "; outputs show it as \u{FFFD} or a space; remove it", at: span))
        }
        let vocabulary = kb.rules.vocabulary
        func terms<Kind>(_ table: TermTable<Kind>, _ kind: String) {
            for term in table.terms { check(term.label, "the label of \(kind) '\(term.id.rawValue)'", at: term.span) }
        }
        terms(vocabulary.sources, "source")
        terms(vocabulary.preconditionings, "pre-conditioning")
        terms(vocabulary.components, "component")
        terms(vocabulary.activities, "activity")
        terms(vocabulary.levels, "level")
        terms(vocabulary.products, "product")
        for indication in kb.rules.indications {
            check(indication.label, "the label of indication '\(indication.id.rawValue)'", at: indication.span)
            for line in indication.lines where line.inheritedFrom == nil {
                check(
                    line.rationale, "the rationale of '\(indication.id.rawValue)' \(line.activity.rawValue)",
                    at: line.span)
            }
        }
        let evidence = kb.evidence
        for reference in evidence.references {
            check(reference.title, "the title of reference '\(reference.id.rawValue)'", at: reference.span)
            check(reference.authors, "the authors of reference '\(reference.id.rawValue)'", at: reference.span)
            check(reference.journal, "the journal of reference '\(reference.id.rawValue)'", at: reference.span)
        }
        for r in evidence.secretome {
            check(r.note, "the note of record '\(r.id)'", at: r.span)
            check(r.species, "the species of record '\(r.id)'", at: r.span)
        }
        for f in evidence.functions {
            check(f.note, "the note of record '\(f.id)'", at: f.span)
            check(f.species, "the species of record '\(f.id)'", at: f.span)
        }
        for q in evidence.mechanisms { check(q.note, "the note of record '\(q.id)'", at: q.span) }
        for x in evidence.comparisons {
            check(x.note, "the note of record '\(x.id)'", at: x.span)
            check(x.species, "the species of record '\(x.id)'", at: x.span)
        }
        return findings
    }

    /// The ontologies whose identifiers each kind of term takes, as CURIE prefixes (compared without case) and
    /// as named in messages: sources UBERON or CL; activities GO biological processes; components HGNC,
    /// miRBase (precursor `mirbase:MI…` or mature `mirbase.mature:MIMAT…`) or ChEBI; indications MONDO, EFO or HP.
    static let ontologies: [IdentifiedKind: (prefixes: [String], names: String)] = [
        .source: (["UBERON", "CL"], "UBERON or CL"), .activity: (["GO"], "GO"),
        .component: (["HGNC", "MIRBASE", "MIRBASE.MATURE", "CHEBI"], "HGNC, miRBase or ChEBI"),
        .indication: (["MONDO", "EFO", "HP"], "MONDO, EFO or HP"),
    ]

    /// The kinds of declaration that carry ontology identifiers.
    enum IdentifiedKind: String, Hashable {
        case source, activity, component, indication
    }

    /// W409: a source, activity, component or indication without an ontology identifier (exports then join
    /// with nothing); W410: an identifier of an ontology its kind does not take, or not of the form
    /// `PREFIX:ID`.
    static func ontologyIdentifiers(_ rules: RuleSet) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        func check(_ kind: IdentifiedKind, _ id: String, _ identifiers: [String], at span: SourceSpan?) {
            let (allowed, names) = ontologies[kind] ?? ([], "")
            guard !identifiers.isEmpty else {
                findings.append(
                    .warning(
                        .w409,
                        "\(kind.rawValue) '\(id)' has no ontology identifier (\(names)); add 'term PREFIX:ID' as "
                            + "the ontology's own page gives it, or suppress with the reason none fits", at: span))
                return
            }
            for identifier in identifiers {
                let parts = identifier.split(separator: ":", maxSplits: 1)
                let prefix = parts.first.map { String($0).uppercased() } ?? ""
                guard parts.count == 2, !parts[1].isEmpty, allowed.contains(prefix) else {
                    findings.append(
                        .warning(
                            .w410,
                            "'\(identifier)' on \(kind.rawValue) '\(id)' is not an identifier of \(names); write "
                                + "PREFIX:ID as the ontology's own page gives it", at: span))
                    continue
                }
            }
        }
        let vocabulary = rules.vocabulary
        for term in vocabulary.sources.terms { check(.source, term.id.rawValue, term.ontologyTerms, at: term.span) }
        for term in vocabulary.activities.terms {
            check(.activity, term.id.rawValue, term.ontologyTerms, at: term.span)
        }
        for term in vocabulary.components.terms {
            check(.component, term.id.rawValue, term.ontologyTerms, at: term.span)
        }
        for indication in rules.indications {
            check(.indication, indication.id.rawValue, indication.ontologyTerms, at: indication.span)
        }
        return findings
    }

    /// W407: one reference reporting, on one measure and product, A better than B and B better than A (after
    /// putting every record the same way round: a row "B worse than A" says "A better than B").
    static func contradictoryComparisons(_ evidence: EvidenceBase) -> [Diagnostic] {
        struct Claim: Hashable {
            var first: EvidenceGroup
            var second: EvidenceGroup
            var measure: Measure
            var product: ProductID
            var reference: ReferenceID
        }
        var findings: [Diagnostic] = []
        var firstVerdict: [Claim: (record: ComparisonRecord, sign: Double)] = [:]
        for x in evidence.comparisons where x.outcome != .similar {
            let subject = EvidenceGroup(source: x.source, preconditioning: x.preconditioning)
            let comparator = EvidenceGroup(source: x.versusSource, preconditioning: x.versusPreconditioning)
            let inOrder = (subject.source, subject.preconditioning) < (comparator.source, comparator.preconditioning)
            let claim = Claim(
                first: inOrder ? subject : comparator, second: inOrder ? comparator : subject, measure: x.measure,
                product: x.product, reference: x.reference)
            let sign = inOrder ? x.outcome.sign : -x.outcome.sign
            guard let first = firstVerdict[claim] else {
                firstVerdict[claim] = (x, sign)
                continue
            }
            if first.sign != sign {
                let (a, b) = (claim.first, claim.second)
                findings.append(
                    .warning(
                        .w407,
                        "'\(x.reference)' reports \(a.source)+\(a.preconditioning) both better and worse than "
                            + "\(b.source)+\(b.preconditioning) on \(x.measure) (\(first.record.id), \(x.id)); say in the "
                            + "notes how the assays differ, or fix the outcome",
                        at: x.span, notes: [.init("\(first.record.id) is here", at: first.record.span)]))
            }
        }
        return findings
    }

    /// W408: a comparison of a component that no mechanism links to any activity: it reaches no candidate.
    static func unreachableComparisons(_ evidence: EvidenceBase) -> [Diagnostic] {
        let linked = Set(evidence.mechanisms.map(\.component))
        return evidence.comparisons.compactMap { x in
            guard case .component(let k) = x.measure, !linked.contains(k) else { return nil }
            return .warning(
                .w408,
                "comparison '\(x.id)' measures '\(k)', which no mechanism links to an activity, so it counts for no "
                    + "candidate; add the mechanism record that shows the link, or measure the activity",
                at: x.span)
        }
    }

    /// An inline suppression comment.
    struct Suppression {
        var codes: [String]
        var reason: String
        var span: SourceSpan
        var appliesToLine: Int
    }

    /// Matches suppressions to warnings. Errors are never suppressed (a knowledge base that does not load cannot
    /// be made to pass); unused suppressions are reported only when the warnings were computed.
    static func applySuppressions(
        _ findings: [Diagnostic], sourceFiles: [String: SourceFile], warningsComputed: Bool
    ) -> CheckReport {
        var suppressions: [String: [Suppression]] = [:]
        var problems: [Diagnostic] = []
        for (path, file) in sourceFiles {
            let found = scanSuppressions(file, isRules: path.hasSuffix(".rules"))
            for suppression in found {
                for code in suppression.codes where code.hasPrefix("E") {
                    problems.append(
                        .warning(
                            .w492, "'\(code)' is an error and cannot be suppressed; fix what it reports",
                            at: suppression.span))
                }
            }
            for suppression in found where suppression.reason.isEmpty {
                problems.append(
                    .warning(
                        .w490,
                        "suppression of \(suppression.codes.joined(separator: ", ")) gives no reason; write "
                            + "'check-ignore CODE: why the finding is intended'", at: suppression.span))
            }
            suppressions[path] = found.filter { !$0.reason.isEmpty }
        }
        var kept: [Diagnostic] = []
        var suppressed: [SuppressedFinding] = []
        var used = Set<SourceSpan>()
        for finding in findings {
            if finding.severity != .error, let span = finding.span,
                let match = suppressions[span.path]?.first(where: {
                    $0.appliesToLine == span.start.line && $0.codes.contains(finding.code.rawValue)
                })
            {
                suppressed.append(SuppressedFinding(finding: finding, reason: match.reason, suppression: match.span))
                used.insert(match.span)
            } else {
                kept.append(finding)
            }
        }
        for suppression in suppressions.values.joined()
        where warningsComputed && !used.contains(suppression.span)
            && suppression.codes.contains(where: { !$0.hasPrefix("E") })
        {
            problems.append(
                .warning(
                    .w491,
                    "suppression of \(suppression.codes.joined(separator: ", ")) matches no finding; "
                        + "remove it", at: suppression.span))
        }
        return CheckReport(
            findings: (kept + problems).sorted(),
            suppressed: suppressed.sorted { ($0.finding, $0.suppression) < ($1.finding, $1.suppression) },
            sourceFiles: sourceFiles)
    }

    /// Finds `check-ignore CODE[, CODE]: reason` in the comments of a rule file (on the line it ends, or alone
    /// on the line before the next non-blank line) or anywhere in the rows of an evidence file.
    static func scanSuppressions(_ file: SourceFile, isRules: Bool) -> [Suppression] {
        var result: [Suppression] = []
        var pending: [Suppression] = []
        for (offset, line) in file.lines.enumerated() {
            let number = offset + 1
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            // Most lines have no suppression: a byte scan rules them out before any string search.
            guard Self.mentionsCheckIgnore(line) else {
                if isRules, !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                    result += pending.map {
                        var s = $0; s.appliesToLine = number; return s
                    }
                    pending = []
                }
                continue
            }
            let comment: Substring?
            if isRules {
                comment = commentText(line)
            } else {
                comment = line.range(of: "check-ignore").map { line[$0.lowerBound...] }
            }
            if isRules, !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                result += pending.map {
                    var s = $0; s.appliesToLine = number; return s
                }
                pending = []
            }
            guard let comment, let marker = comment.range(of: "check-ignore") else { continue }
            let column =
                line.unicodeScalars.distance(
                    from: line.unicodeScalars.startIndex,
                    to: marker.lowerBound.samePosition(in: line.unicodeScalars)
                        ?? line.unicodeScalars.startIndex) + 1
            let rest = comment[marker.upperBound...]
            let (codesPart, reasonPart) =
                rest.firstIndex(of: ":").map { (rest[..<$0], rest[rest.index(after: $0)...]) }
                ?? (rest, Substring(""))
            let codes = codesPart.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            var reason = String(reasonPart).trimmingCharacters(in: " ")
            if !isRules, let end = reason.firstIndex(where: { $0 == "\t" }) { reason = String(reason[..<end]) }
            let suppression = Suppression(
                codes: codes, reason: reason, span: SourceSpan(path: file.path, line: number, column: column),
                appliesToLine: number)
            if isRules, trimmed.hasPrefix("#") {
                pending.append(suppression)
            } else {
                result.append(suppression)
            }
        }
        return result + pending
    }

    /// Whether the UTF-8 of `line` contains `check-ignore`.
    static func mentionsCheckIgnore(_ line: String) -> Bool {
        let needle = Array("check-ignore".utf8)
        var matched = 0
        for byte in line.utf8 {
            if byte == needle[matched] {
                matched += 1
                if matched == needle.count { return true }
            } else {
                matched = byte == needle[0] ? 1 : 0
            }
        }
        return false
    }

    /// The text of a rule-file line's comment (from `#`, outside strings), if any.
    static func commentText(_ line: String) -> Substring? {
        var inString = false
        var escaped = false
        for index in line.indices {
            let character = line[index]
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
            } else if character == "\"" {
                inString = true
            } else if character == "#" {
                return line[index...]
            }
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var text = Substring(self)
        while text.first == set { text.removeFirst() }
        while text.last == set { text.removeLast() }
        return String(text)
    }
}
