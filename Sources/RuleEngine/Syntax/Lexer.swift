public import EvidenceModel

/// Splits rule-file text into ``Token``s.
///
/// Lexical grammar:
/// ```
/// comment  = "#" { any character but a line break }
/// string   = '"' { character but '"', '\' and a line break | "\" ( '"' | "\" | "n" | "t" ) } '"'
/// word     = { any character but white space, '"' and "#" }+
/// newline  = LF | CRLF
/// ```
/// Spaces and tabs separate tokens. Columns count Unicode scalars, starting at 1.
public struct Lexer {
    private let bytes: [UInt8]
    private let path: String
    private var index = 0
    private var line = 1
    private var column = 1

    /// Creates a lexer over a file's bytes; a UTF-8 byte-order mark is skipped.
    public init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Lexes the whole file. Returns the tokens (always ending in `endOfFile`) and the lexical errors.
    ///
    /// Complexity: O(n) in the number of bytes.
    public mutating func tokenize() -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var tokens: [Token] = []
        var diagnostics: [Diagnostic] = []
        if let invalid = firstInvalidUTF8() {
            return (
                [Token(kind: .endOfFile, text: "", position: invalid)],
                [
                    .error(
                        .e101, "invalid UTF-8: rule files must be UTF-8 text",
                        at: SourceSpan(path: path, line: invalid.line, column: invalid.column))
                ]
            )
        }
        // A NUL byte anywhere, in a string or a comment too, means the file is not text (binary, or UTF-16):
        // one error at the first, not one per NUL, and like E101 the file is not read further.
        if let nul = bytes[index...].firstIndex(of: 0) {
            let position = position(of: nul)
            return (
                [Token(kind: .endOfFile, text: "", position: position)],
                [
                    .error(
                        .e102, "NUL byte in a rule file: is this a binary file?",
                        at: SourceSpan(path: path, line: position.line, column: position.column))
                ]
            )
        }
        while index < bytes.count {
            let byte = bytes[index]
            let start = SourcePosition(line: line, column: column)
            switch byte {
            case 0x20, 0x09, 0x0D:
                advance()
            case 0x0A:
                tokens.append(Token(kind: .newline, text: "", position: start))
                advance()
                line += 1
                column = 1
            case 0x23:  // "#"
                while index < bytes.count, bytes[index] != 0x0A { advance() }
            case 0x22:  // '"'
                // A malformed string is reported once and still yields a token, so the parser does not
                // report the same line again.
                let (value, error) = lexString()
                tokens.append(Token(kind: .string, text: value, position: start))
                if let error { diagnostics.append(error) }
            default:
                let begin = index
                while index < bytes.count, !Lexer.endsWord(bytes[index]) { advance() }
                tokens.append(
                    Token(kind: .word, text: String(decoding: bytes[begin..<index], as: UTF8.self), position: start))
            }
        }
        tokens.append(Token(kind: .endOfFile, text: "", position: SourcePosition(line: line, column: column)))
        return (tokens, diagnostics)
    }

    private static func endsWord(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x22 || byte == 0x23
    }

    private mutating func advance() {
        index += 1
        while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
        column += 1
    }

    private mutating func lexString() -> (value: String, error: Diagnostic?) {
        let start = SourceSpan(path: path, line: line, column: column)
        advance()
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                advance()
                return (String(decoding: value, as: UTF8.self), nil)
            }
            if byte == 0x0A { break }
            if byte == 0x5C {  // backslash
                let escapeColumn = column
                advance()
                let escaped: UInt8? =
                    index < bytes.count
                    ? [0x22: 0x22, 0x5C: 0x5C, 0x6E: 0x0A, 0x74: 0x09][bytes[index]] : nil
                guard let escaped else {
                    while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x22 { advance() }
                    if index < bytes.count, bytes[index] == 0x22 { advance() }
                    return (
                        String(decoding: value, as: UTF8.self),
                        .error(
                            .e104, "unknown escape sequence in a string; use \\\" \\\\ \\n or \\t",
                            at: SourceSpan(path: path, line: line, column: escapeColumn))
                    )
                }
                value.append(escaped)
                advance()
                continue
            }
            let begin = index
            advance()
            value.append(contentsOf: bytes[begin..<index])
        }
        return (
            String(decoding: value, as: UTF8.self),
            .error(.e103, "unterminated string: add the closing '\"' on the same line", at: start)
        )
    }

    /// The line and column of byte offset `offset` of a file already known to be UTF-8.
    private func position(of offset: Int) -> SourcePosition {
        var (line, column) = (1, 1)
        for byte in bytes[index..<offset] {
            if byte == 0x0A {
                (line, column) = (line + 1, 1)
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return SourcePosition(line: line, column: column)
    }

    private func firstInvalidUTF8() -> SourcePosition? {
        if String(validating: bytes[index...], as: UTF8.self) != nil { return nil }
        // Find the first offending line by validating line by line.
        var lineNumber = 1
        var lineStart = index
        var i = index
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == 0x0A {
                let slice = bytes[lineStart..<i]
                if String(validating: slice, as: UTF8.self) == nil {
                    var column = 1
                    var j = lineStart
                    while j < i {
                        let length = Lexer.sequenceLength(bytes, at: j, end: i)
                        if length == 0 { return SourcePosition(line: lineNumber, column: column) }
                        j += length
                        column += 1
                    }
                    return SourcePosition(line: lineNumber, column: column)
                }
                lineNumber += 1
                lineStart = i + 1
            }
            i += 1
        }
        return SourcePosition(line: lineNumber, column: 1)
    }

    /// The length of the valid UTF-8 sequence at `i`, or 0 if the bytes there are not valid UTF-8.
    private static func sequenceLength(_ bytes: [UInt8], at i: Int, end: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard i + length <= end else { return 0 }
        return String(validating: bytes[i..<(i + length)], as: UTF8.self) == nil ? 0 : length
    }
}
