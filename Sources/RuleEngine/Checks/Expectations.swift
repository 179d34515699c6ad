public import EvidenceModel

/// One expectation a domain expert states about a ranking, with the place it is written and why.
public struct Expectation: Sendable, Hashable {
    /// What is expected.
    public enum Claim: Sendable, Hashable {
        /// The candidate is eligible and ranks within the first `n`.
        case top(Int, Candidate)
        /// The first candidate ranks above the second.
        case above(Candidate, Candidate)
        /// The candidate is eligible.
        case eligible(Candidate)
        /// The candidate is not eligible.
        case ineligible(Candidate)
        /// The candidate's score lies in the closed interval.
        case score(Candidate, ClosedRange<Double>)
    }

    /// The indication the expectation is about.
    public var indication: IndicationID
    /// The claim.
    public var claim: Claim
    /// Why the expert expects it.
    public var rationale: String
    /// The references the expectation rests on.
    public var citations: [ReferenceID]
    /// Where the expectation is written.
    public var span: SourceSpan

    /// The candidates the claim is about.
    public var candidates: [Candidate] {
        switch claim {
        case .top(_, let c), .eligible(let c), .ineligible(let c), .score(let c, _): [c]
        case .above(let a, let b): [a, b]
        }
    }

    /// The claim as written, e.g. `top 3 adipose+hypoxia`.
    public var statement: String {
        switch claim {
        case .top(let n, let c): "top \(n) \(c)"
        case .above(let a, let b): "above \(a) \(b)"
        case .eligible(let c): "eligible \(c)"
        case .ineligible(let c): "ineligible \(c)"
        case .score(let c, let range): "score \(c) between \(range.lowerBound) \(range.upperBound)"
        }
    }
}

/// Parses expectation files (`Rules/tests/*.expect`).
///
/// ```
/// expect-file = { expect-block | blank-line }
/// expect-block = "expect" INDICATION NL { claim-line NL } "end" NL
/// claim-line  = claim "because" STRING [ "cite" REF { REF } ]
/// claim       = "top" N CANDIDATE | "above" CANDIDATE CANDIDATE | "eligible" CANDIDATE
///             | "ineligible" CANDIDATE | "score" CANDIDATE "between" NUMBER NUMBER
/// ```
/// Comments (`#`), strings and positions are as in the rule language.
public enum ExpectationParser {
    /// Parses one file against a knowledge base, returning the expectations and every located error.
    public static func parse(bytes: [UInt8], path: String, knowledgeBase kb: KnowledgeBase) -> (
        expectations: [Expectation], diagnostics: [Diagnostic]
    ) {
        var lexer = Lexer(bytes: bytes, path: path)
        let (tokens, lexical) = lexer.tokenize()
        var diagnostics = lexical
        var expectations: [Expectation] = []
        // Split the tokens into lines.
        var lines: [[Token]] = []
        var current: [Token] = []
        for token in tokens {
            if token.kind == .newline || token.kind == .endOfFile {
                if !current.isEmpty { lines.append(current) }
                current = []
            } else {
                current.append(token)
            }
        }
        func span(_ token: Token) -> SourceSpan {
            SourceSpan(path: path, line: token.position.line, column: token.position.column)
        }
        func fail(_ code: DiagnosticCode, _ message: String, _ token: Token) {
            diagnostics.append(.error(code, message, at: span(token)))
        }
        let claims = ["top", "above", "eligible", "ineligible", "score"]
        var indication: IndicationID?
        var blockStart: Token?
        for line in lines {
            guard let head = line.first else { continue }
            if head.kind == .word, head.text == "expect" {
                if let start = blockStart {
                    fail(.e510, "missing 'end' for the block started at line \(start.position.line)", head)
                }
                blockStart = head
                indication = nil
                guard line.count == 2, line[1].kind == .word else {
                    fail(.e511, "write 'expect INDICATION' on its own line", line.count > 1 ? line[1] : head)
                    continue
                }
                let name = line[1].text
                if kb.rules.indication(IndicationID(name)) != nil {
                    indication = IndicationID(name)
                } else {
                    let known = kb.rules.indications.map(\.id.rawValue)
                    fail(.e512, "unknown indication '\(name)'" + Suggestion.clause(for: name, in: known), line[1])
                }
                continue
            }
            if head.kind == .word, head.text == "end" {
                if blockStart == nil { fail(.e510, "'end' without 'expect'", head) }
                blockStart = nil
                indication = nil
                continue
            }
            guard blockStart != nil else {
                fail(.e513, "expected 'expect INDICATION', found '\(head.text)'", head)
                continue
            }
            guard head.kind == .word, claims.contains(head.text) else {
                fail(
                    .e513,
                    "unknown expectation '\(head.text)'" + Suggestion.clause(for: head.text, in: claims)
                        + "; expected one of " + claims.joined(separator: ", "), head)
                continue
            }
            guard let becauseIndex = line.firstIndex(where: { $0.kind == .word && $0.text == "because" }),
                becauseIndex + 1 < line.count, line[becauseIndex + 1].kind == .string
            else {
                fail(.e514, "missing rationale: end the expectation with because \"…\" [cite REF …]", head)
                continue
            }
            let arguments = Array(line[1..<becauseIndex])
            let rationale = line[becauseIndex + 1].text
            guard !rationale.allSatisfy(\.isWhitespace) else {
                fail(.e514, "empty rationale: say in 'because' why the expectation should hold", line[becauseIndex + 1])
                continue
            }
            var citations: [ReferenceID] = []
            let tail = line[(becauseIndex + 2)...]
            if let cite = tail.first {
                guard cite.kind == .word, cite.text == "cite", tail.count > 1 else {
                    fail(.e515, "after the rationale, only 'cite REF …' may follow", cite)
                    continue
                }
                var valid = true
                for token in tail.dropFirst() {
                    let id = ReferenceID(token.text)
                    if kb.evidence.reference(id) == nil {
                        let known = kb.evidence.references.map(\.id.rawValue)
                        fail(
                            .e516, "unknown reference '\(token.text)'" + Suggestion.clause(for: token.text, in: known),
                            token)
                        valid = false
                    }
                    citations.append(id)
                }
                guard valid else { continue }
            }
            func candidate(_ token: Token) -> Candidate? {
                switch Candidate.parse(token.text, vocabulary: kb.rules.vocabulary) {
                case .success(let c): return c
                case .failure(let error):
                    fail(.e517, error.description, token)
                    return nil
                }
            }
            func number(_ token: Token) -> Double? {
                guard let value = Parser.number(token.text), value.isFinite else {
                    fail(.e518, "expected a number, found '\(token.text)'", token)
                    return nil
                }
                return value
            }
            let claim: Expectation.Claim?
            switch (head.text, arguments.count) {
            case ("top", 2):
                if let n = Int(arguments[0].text), n > 0 {
                    claim = candidate(arguments[1]).map { .top(n, $0) }
                } else {
                    fail(
                        .e518, "expected a positive whole number after 'top', found '\(arguments[0].text)'",
                        arguments[0])
                    claim = nil
                }
            case ("above", 2):
                let a = candidate(arguments[0])
                let b = candidate(arguments[1])
                claim = a.flatMap { a in b.map { .above(a, $0) } }
            case ("eligible", 1): claim = candidate(arguments[0]).map { .eligible($0) }
            case ("ineligible", 1): claim = candidate(arguments[0]).map { .ineligible($0) }
            case ("score", 4) where arguments[1].text == "between":
                let c = candidate(arguments[0])
                let low = number(arguments[2])
                let high = number(arguments[3])
                if let c, let low, let high {
                    if low <= high {
                        claim = .score(c, low...high)
                    } else {
                        fail(.e518, "the interval is empty: \(low) is greater than \(high)", arguments[2])
                        claim = nil
                    }
                } else {
                    claim = nil
                }
            default:
                let forms = [
                    "top": "top N CANDIDATE", "above": "above CANDIDATE CANDIDATE", "eligible": "eligible CANDIDATE",
                    "ineligible": "ineligible CANDIDATE", "score": "score CANDIDATE between LOW HIGH",
                ]
                fail(.e519, "write '\(forms[head.text] ?? head.text)'", head)
                claim = nil
            }
            guard let claim, let indication else { continue }
            expectations.append(
                Expectation(
                    indication: indication, claim: claim, rationale: rationale, citations: citations, span: span(head)))
        }
        if let start = blockStart, let last = lines.last?.last {
            fail(.e510, "missing 'end' for the block started at line \(start.position.line)", last)
        }
        return (expectations, diagnostics.sorted())
    }
}
