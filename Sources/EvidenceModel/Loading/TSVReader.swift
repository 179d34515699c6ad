/// One field of a TSV row, with where it starts.
public struct TSVField: Hashable, Sendable {
    /// The field's text, with quoting removed.
    public var value: String
    /// The 1-based line on which the field starts.
    public var line: Int
    /// The 1-based column (in Unicode scalars) at which the field starts.
    public var column: Int
}

/// One row of a TSV file.
public struct TSVRow: Hashable, Sendable {
    /// The 1-based line on which the row starts.
    public var line: Int
    /// The fields in file order.
    public var fields: [TSVField]
}

/// A hand-written reader for the tab-separated files of DESIGN §4.
///
/// A field that starts with `"` is quoted as in RFC 4180: it may contain tabs, line breaks and
/// doubled quotes (`""` for `"`), and must be followed by a tab or the end of the line. Any other field is
/// taken literally. Lines end with LF or CRLF; a UTF-8 byte-order mark at the start is skipped; the final
/// line may lack its newline; completely empty lines are skipped.
public enum TSVReader {
    /// Splits `bytes` into rows, reporting malformed quoting, invalid UTF-8 and NUL bytes with their
    /// line and column. The first row is the header. Rows with an error are left out of the result.
    ///
    /// Complexity: O(n) in the number of bytes.
    public static func read(_ bytes: [UInt8], path: String) -> (rows: [TSVRow], diagnostics: [Diagnostic]) {
        var reader = Cursor(bytes: bytes, path: path)
        return reader.readAll()
    }

    private struct Cursor {
        let bytes: [UInt8]
        let path: String
        var index = 0
        var line = 1
        var lineStart = 0
        var rows: [TSVRow] = []
        var diagnostics: [Diagnostic] = []

        init(bytes: [UInt8], path: String) {
            self.bytes = bytes
            self.path = path
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                index = 3
                lineStart = 3
            }
        }

        static let tab: UInt8 = 0x09
        static let newline: UInt8 = 0x0A
        static let carriageReturn: UInt8 = 0x0D
        static let quote: UInt8 = 0x22

        /// Where the last column was computed, so that the fields of a long line are counted once, not
        /// from the start of the line for each field.
        var counted = (lineStart: -1, offset: 0, column: 1)

        /// The scalar column of byte offset `offset` on the current line. Amortised O(1) for the increasing
        /// offsets of one line's fields.
        mutating func column(of offset: Int) -> Int {
            var (i, column) = (lineStart, 1)
            if counted.lineStart == lineStart, counted.offset <= offset {
                (i, column) = (counted.offset, counted.column)
            }
            while i < offset {
                if bytes[i] & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            counted = (lineStart, offset, column)
            return column
        }

        func span(line: Int, column: Int) -> SourceSpan { SourceSpan(path: path, line: line, column: column) }

        var atLineEnd: Bool {
            index >= bytes.count || bytes[index] == Cursor.newline
                || (bytes[index] == Cursor.carriageReturn && index + 1 < bytes.count
                    && bytes[index + 1] == Cursor.newline)
        }

        mutating func consumeLineEnd() {
            if index < bytes.count, bytes[index] == Cursor.carriageReturn { index += 1 }
            if index < bytes.count, bytes[index] == Cursor.newline { index += 1 }
            line += 1
            lineStart = index
        }

        /// Skips to the start of the next line after an error.
        mutating func skipRestOfLine() {
            while index < bytes.count, bytes[index] != Cursor.newline { index += 1 }
            if index < bytes.count { index += 1 }
            line += 1
            lineStart = index
        }

        mutating func readAll() -> (rows: [TSVRow], diagnostics: [Diagnostic]) {
            while index < bytes.count {
                if atLineEnd {
                    consumeLineEnd()
                    continue
                }
                if let row = readRow() { rows.append(row) }
            }
            return (rows, diagnostics)
        }

        mutating func readRow() -> TSVRow? {
            let rowLine = line
            var fields: [TSVField] = []
            while true {
                guard let field = readField() else {
                    skipRestOfLine()
                    return nil
                }
                fields.append(field)
                if index < bytes.count, bytes[index] == Cursor.tab {
                    index += 1
                    continue
                }
                consumeLineEnd()
                return TSVRow(line: rowLine, fields: fields)
            }
        }

        mutating func readField() -> TSVField? {
            let fieldLine = line
            let fieldColumn = column(of: index)
            var raw: [UInt8] = []
            if index < bytes.count, bytes[index] == Cursor.quote {
                index += 1
                while true {
                    guard index < bytes.count else {
                        diagnostics.append(
                            .error(
                                .e303, "unterminated quoted field: no closing '\"' before the end of the file",
                                at: span(line: fieldLine, column: fieldColumn)))
                        return nil
                    }
                    let byte = bytes[index]
                    if byte == Cursor.quote {
                        if index + 1 < bytes.count, bytes[index + 1] == Cursor.quote {
                            raw.append(Cursor.quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    if byte == Cursor.newline {
                        line += 1
                        lineStart = index + 1
                    }
                    raw.append(byte)
                    index += 1
                }
                if !(atLineEnd || bytes[index] == Cursor.tab) {
                    diagnostics.append(
                        .error(
                            .e304,
                            "unexpected text after the closing quote of a quoted field; "
                                + "write a quote inside a quoted field as '\"\"'",
                            at: span(line: line, column: column(of: index))))
                    return nil
                }
                // A quoted field keeps CRLF line breaks inside it as LF, like the line ends outside it.
                raw = normaliseLineBreaks(raw)
            } else {
                while !atLineEnd, bytes[index] != Cursor.tab {
                    raw.append(bytes[index])
                    index += 1
                }
            }
            if let nul = raw.firstIndex(of: 0) {
                let offset = raw[..<nul].reduce(0) { $1 & 0xC0 != 0x80 ? $0 + 1 : $0 }
                diagnostics.append(
                    .error(
                        .e317, "NUL byte in a text file: is this a binary file? (reading of this file stopped here)",
                        at: span(line: fieldLine, column: fieldColumn + offset)))
                // One error is enough for a binary file; thousands would drown every other diagnostic.
                index = bytes.count
                return nil
            }
            guard let value = String(validating: raw, as: UTF8.self) else {
                diagnostics.append(
                    .error(
                        .e302, "invalid UTF-8 in this field: save the file as UTF-8",
                        at: span(line: fieldLine, column: fieldColumn)))
                return nil
            }
            return TSVField(value: value, line: fieldLine, column: fieldColumn)
        }

        func normaliseLineBreaks(_ raw: [UInt8]) -> [UInt8] {
            guard raw.contains(Cursor.carriageReturn) else { return raw }
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var i = 0
            while i < raw.count {
                if raw[i] == Cursor.carriageReturn, i + 1 < raw.count, raw[i + 1] == Cursor.newline {
                    i += 1
                    continue
                }
                out.append(raw[i])
                i += 1
            }
            return out
        }
    }
}
