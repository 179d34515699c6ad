public import EvidenceModel

/// A recursive-descent parser for the rule language (see docs/rules.md for the grammar).
///
/// The parser recovers at line boundaries and at `end`, so one run reports every syntax error of a file.
public struct Parser {
    private let tokens: [Token]
    private let path: String
    private var index = 0
    private var diagnostics: [Diagnostic] = []

    static let declarationKeywords = ["policy", "source", "preconditioning", "component", "activity", "indication"]

    /// Parses one file's bytes. Returns the syntax tree (with the declarations that parsed) and every
    /// lexical and syntax error.
    public static func parse(bytes: [UInt8], path: String) -> (syntax: RuleFileSyntax, diagnostics: [Diagnostic]) {
        var lexer = Lexer(bytes: bytes, path: path)
        let (tokens, lexical) = lexer.tokenize()
        var parser = Parser(tokens: tokens, path: path)
        let declarations = parser.parseFile()
        return (RuleFileSyntax(path: path, declarations: declarations), lexical + parser.diagnostics)
    }

    private init(tokens: [Token], path: String) {
        self.tokens = tokens
        self.path = path
    }

    // MARK: Token access

    private var current: Token { tokens[min(index, tokens.count - 1)] }

    private func span(_ token: Token) -> SourceSpan {
        SourceSpan(path: path, line: token.position.line, column: token.position.column)
    }

    private mutating func next() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private mutating func skipBlankLines() {
        while current.kind == .newline { index += 1 }
    }

    /// Skips the rest of the current line, including its newline.
    private mutating func skipLine() {
        while current.kind != .newline, current.kind != .endOfFile { index += 1 }
        if current.kind == .newline { index += 1 }
    }

    private mutating func error(_ code: DiagnosticCode, _ message: String, at token: Token) {
        diagnostics.append(.error(code, message, at: span(token)))
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .word: "'\(token.text)'"
        case .string: "a string"
        case .newline: "the end of the line"
        case .endOfFile: "the end of the file"
        }
    }

    /// Expects the end of a statement line.
    private mutating func expectLineEnd() -> Bool {
        if current.kind == .newline || current.kind == .endOfFile {
            if current.kind == .newline { index += 1 }
            return true
        }
        error(.e110, "unexpected \(describe(current)) at the end of the line", at: current)
        skipLine()
        return false
    }

    // MARK: Productions

    /// file = { declaration | blank line }.
    private mutating func parseFile() -> [DeclarationSyntax] {
        var declarations: [DeclarationSyntax] = []
        while true {
            skipBlankLines()
            let token = current
            if token.kind == .endOfFile { return declarations }
            guard token.kind == .word, Parser.declarationKeywords.contains(token.text) else {
                let hint =
                    token.kind == .word
                    ? Suggestion.clause(for: token.text, in: Parser.declarationKeywords) : ""
                error(
                    .e111,
                    "expected a declaration (policy, source, preconditioning, component, activity or indication), "
                        + "found \(describe(token))" + hint, at: token)
                skipToNextDeclaration()
                continue
            }
            index += 1
            if token.text == "policy" {
                if let policy = parsePolicy(keyword: token) { declarations.append(.policy(policy)) }
            } else if token.text == "indication" {
                if let indication = parseIndication(keyword: token) { declarations.append(.indication(indication)) }
            } else if let kind = TermKind(rawValue: token.text) {
                if let term = parseTerm(kind: kind, keyword: token) { declarations.append(.term(term)) }
            }
        }
    }

    /// After an unrecognised top-level line: skip lines up to and including `end`, or up to a line that
    /// starts with a declaration keyword.
    private mutating func skipToNextDeclaration() {
        skipLine()
        while current.kind != .endOfFile {
            skipBlankLines()
            if current.kind == .word, current.text == "end" {
                skipLine()
                return
            }
            if current.kind == .word, Parser.declarationKeywords.contains(current.text) { return }
            skipLine()
        }
    }

    /// The name after a declaration keyword: `NAME NEWLINE`.
    private mutating func parseDeclarationName(keyword: Token) -> Located<String>? {
        guard current.kind == .word else {
            error(.e112, "expected a name after '\(keyword.text)', found \(describe(current))", at: current)
            skipToNextDeclaration()
            return nil
        }
        let name = next()
        guard expectLineEnd() else { return Located(value: name.text, span: span(name)) }
        return Located(value: name.text, span: span(name))
    }

    /// Runs `statement` for each line of a block body up to `end`; a block that ends without `end` (at the end
    /// of the file or at the next declaration keyword) is reported. Returns whether any line had an error.
    @discardableResult
    private mutating func parseBody(keyword: Token, what: String, statement: (inout Parser, Token) -> Void) -> Bool {
        let errorsBefore = diagnostics.count
        parseBodyLines(keyword: keyword, what: what, statement: statement)
        return diagnostics.count > errorsBefore
    }

    private mutating func parseBodyLines(keyword: Token, what: String, statement: (inout Parser, Token) -> Void) {
        while true {
            skipBlankLines()
            let token = current
            if token.kind == .endOfFile {
                error(
                    .e113,
                    "missing 'end' for \(what) started at line \(keyword.position.line)", at: token)
                return
            }
            if token.kind == .word, token.text == "end" {
                index += 1
                _ = expectLineEnd()
                return
            }
            if token.kind == .word, Parser.declarationKeywords.contains(token.text) {
                error(
                    .e113,
                    "missing 'end' for \(what) started at line \(keyword.position.line)", at: token)
                return
            }
            guard token.kind == .word else {
                error(.e114, "expected a statement keyword, found \(describe(token))", at: token)
                skipLine()
                continue
            }
            index += 1
            statement(&self, token)
        }
    }

    private mutating func unknownStatement(_ token: Token, in what: String, allowed: [String]) {
        error(
            .e114,
            "unknown statement '\(token.text)' in \(what)" + Suggestion.clause(for: token.text, in: allowed)
                + "; expected " + allowed.map { "'\($0)'" }.joined(separator: ", ") + " or 'end'", at: token)
        skipLine()
    }

    /// NUMBER: a word that reads as a decimal number.
    private mutating func parseNumber(after what: String) -> Located<Double>? {
        let token = current
        guard token.kind == .word, let value = Parser.number(token.text) else {
            error(.e115, "expected a number after \(what), found \(describe(token))", at: token)
            skipLine()
            return nil
        }
        index += 1
        return Located(value: value, span: span(token))
    }

    /// Decimal numbers only: digits with an optional sign, fraction and exponent; `nan` and `inf` are
    /// read so that the semantic pass can say they are not finite.
    static func number(_ text: String) -> Double? {
        let lowered = text.lowercased()
        if ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(lowered) { return Double(lowered) }
        guard
            text.utf8.allSatisfy({
                (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45
            }),
            text.utf8.contains(where: { (0x30...0x39).contains($0) })
        else { return nil }
        return Double(text)
    }

    private mutating func parseWord(after what: String) -> Located<String>? {
        let token = current
        guard token.kind == .word else {
            error(.e116, "expected a name after \(what), found \(describe(token))", at: token)
            skipLine()
            return nil
        }
        index += 1
        return Located(value: token.text, span: span(token))
    }

    private mutating func parseString(after what: String) -> Located<String>? {
        let token = current
        guard token.kind == .string else {
            error(.e117, "expected a quoted string after \(what), found \(describe(token))", at: token)
            skipLine()
            return nil
        }
        index += 1
        return Located(value: token.text, span: span(token))
    }

    /// One or more words up to the end of the line.
    private mutating func parseWordList(after what: String) -> [Located<String>] {
        var words: [Located<String>] = []
        while current.kind == .word {
            let token = next()
            words.append(Located(value: token.text, span: span(token)))
        }
        if words.isEmpty {
            error(.e116, "expected at least one name after \(what), found \(describe(current))", at: current)
            skipLine()
            return []
        }
        _ = expectLineEnd()
        return words
    }

    /// policy = "policy" NEWLINE { policy-line NEWLINE } "end"
    /// policy-line = "level" NAME NUMBER | "product" NAME NUMBER | "discount" NAME NUMBER
    ///             | "minimum-support" NUMBER
    private mutating func parsePolicy(keyword: Token) -> PolicySyntax? {
        _ = expectLineEnd()
        var policy = PolicySyntax(span: span(keyword), levels: [], products: [], discounts: [], minimumSupports: [])
        let allowed = ["level", "product", "discount", "minimum-support"]
        let malformed = parseBody(keyword: keyword, what: "'policy'") { parser, token in
            switch token.text {
            case "level", "product", "discount":
                guard let name = parser.parseWord(after: "'\(token.text)'"),
                    let value = parser.parseNumber(after: "'\(token.text) \(name.value)'")
                else { return }
                guard parser.expectLineEnd() else { return }
                switch token.text {
                case "level": policy.levels.append((name, value))
                case "product": policy.products.append((name, value))
                default: policy.discounts.append((name, value))
                }
            case "minimum-support":
                guard let value = parser.parseNumber(after: "'minimum-support'"), parser.expectLineEnd() else { return }
                policy.minimumSupports.append(value)
            default:
                parser.unknownStatement(token, in: "'policy'", allowed: allowed)
            }
        }
        policy.hasMalformedLines = malformed
        return policy
    }

    /// term = KIND NAME NEWLINE { ("label" STRING | "term" WORD+ | "aliases" WORD+) NEWLINE } "end"
    private mutating func parseTerm(kind: TermKind, keyword: Token) -> TermSyntax? {
        guard let name = parseDeclarationName(keyword: keyword) else { return nil }
        var term = TermSyntax(kind: kind, name: name, label: nil, ontologyTerms: [], aliases: [])
        let what = "\(kind.rawValue) '\(name.value)'"
        parseBody(keyword: keyword, what: what) { parser, token in
            switch token.text {
            case "label": parser.parseLabel(into: &term.label, in: what)
            case "term": term.ontologyTerms += parser.parseWordList(after: "'term'")
            case "aliases": term.aliases += parser.parseWordList(after: "'aliases'")
            default: parser.unknownStatement(token, in: what, allowed: ["label", "term", "aliases"])
            }
        }
        return term
    }

    /// indication = "indication" NAME NEWLINE { indication-line NEWLINE } "end"
    /// indication-line = "label" STRING | "term" WORD+ | "minimum-level" NAME | "refines" NAME
    ///                 | ("requires" | "supports" | "avoids") NAME "weight" NUMBER "because" STRING
    private mutating func parseIndication(keyword: Token) -> IndicationSyntax? {
        guard let name = parseDeclarationName(keyword: keyword) else { return nil }
        var indication = IndicationSyntax(name: name, label: nil, ontologyTerms: [], lines: [], minimumLevels: [])
        let what = "indication '\(name.value)'"
        let allowed = ["label", "term", "requires", "supports", "avoids", "minimum-level", "refines"]
        let malformed = parseBody(keyword: keyword, what: what) { parser, token in
            if let kind = RuleKind(rawValue: token.text) {
                if let line = parser.parseRuleLine(kind: Located(value: kind, span: parser.span(token))) {
                    indication.lines.append(line)
                }
                return
            }
            switch token.text {
            case "label": parser.parseLabel(into: &indication.label, in: what)
            case "term": indication.ontologyTerms += parser.parseWordList(after: "'term'")
            case "minimum-level":
                guard let level = parser.parseWord(after: "'minimum-level'"), parser.expectLineEnd() else { return }
                indication.minimumLevels.append(level)
            case "refines":
                guard let parent = parser.parseWord(after: "'refines'"), parser.expectLineEnd() else { return }
                indication.refines.append(parent)
            default: parser.unknownStatement(token, in: what, allowed: allowed)
            }
        }
        indication.hasMalformedLines = malformed
        return indication
    }

    /// label-line = "label" STRING; a second label in one block is an error.
    private mutating func parseLabel(into label: inout Located<String>?, in what: String) {
        guard let new = parseString(after: "'label'"), expectLineEnd() else { return }
        if let first = label {
            diagnostics.append(
                .error(
                    .e118, "second 'label' in \(what)", at: new.span,
                    notes: [.init("first label here", at: first.span)]))
        }
        label = new
    }

    /// rule-line = KIND NAME "weight" NUMBER "because" STRING
    private mutating func parseRuleLine(kind: Located<RuleKind>) -> RuleLineSyntax? {
        guard let activity = parseWord(after: "'\(kind.value.rawValue)'") else { return nil }
        guard expectKeyword("weight", after: "the activity '\(activity.value)'") else { return nil }
        guard let weight = parseNumber(after: "'weight'") else { return nil }
        guard current.kind == .word, current.text == "because" else {
            error(
                .e119,
                "missing rationale: every weight line ends with because \"…\" saying why the activity matters",
                at: current)
            skipLine()
            return nil
        }
        index += 1
        guard let rationale = parseString(after: "'because'") else { return nil }
        if rationale.value.allSatisfy(\.isWhitespace) {
            diagnostics.append(.error(.e119, "empty rationale: say why the activity matters", at: rationale.span))
        }
        guard expectLineEnd() else { return nil }
        return RuleLineSyntax(kind: kind, activity: activity, weight: weight, rationale: rationale)
    }

    private mutating func expectKeyword(_ keyword: String, after what: String) -> Bool {
        guard current.kind == .word, current.text == keyword else {
            let hint = current.kind == .word ? Suggestion.clause(for: current.text, in: [keyword]) : ""
            error(.e120, "expected '\(keyword)' after \(what), found \(describe(current))" + hint, at: current)
            skipLine()
            return false
        }
        index += 1
        return true
    }
}
