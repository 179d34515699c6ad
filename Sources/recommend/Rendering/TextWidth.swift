/// Lines fitted to a width, broken at spaces (issue 16: human output readable at 80 columns). A word longer
/// than the width is never broken, so nothing is lost: joining the lines' words gives back the text's words.
enum TextWidth {
    /// Every line of `text` longer than `width` broken into lines of at most `width` columns, continued under
    /// its own column (``hangingIndent(_:indent:width:)``); other lines unchanged.
    static func fitted(_ text: String, width: Int) -> String {
        guard text.utf8.count > width else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        // Lines split by bytes (a line feed is one byte in UTF-8), not by characters: a table of 10^5 rows.
        for (number, bytes) in text.utf8.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            if number > 0 { out += "\n" }
            let line = Substring(bytes)
            // Bytes bound characters from above: most lines are decided without counting characters.
            if bytes.count <= width || line.count <= width {
                out += line
            } else {
                let line = String(line)
                let indent = line.prefix { $0 == " " }.count
                out += fill(line, width: width, indent: hangingIndent(line, indent: indent, width: width))
                    .joined(separator: "\n")
            }
        }
        return out
    }

    /// Where a long line continues: under the column (text after two or more spaces) in which it would be
    /// broken, when that column starts within the first half of the width; else four spaces in from the line.
    static func hangingIndent(_ line: String, indent: Int, width: Int) -> Int {
        let characters = Array(line.prefix(width + 1))
        var column = indent
        var index = indent
        while index < min(characters.count, width) {
            if characters[index] == " ", index + 1 < characters.count, characters[index + 1] == " " {
                var next = index
                while next < characters.count, characters[next] == " " { next += 1 }
                if next < width { column = next }
                index = next
            } else {
                index += 1
            }
        }
        return column <= width / 2 ? column : min(indent + 4, width / 2)
    }

    /// `line` (which keeps its own leading spaces) broken at spaces into lines of at most `width` columns,
    /// continuation lines indented by `indent`.
    static func fill(_ line: String, width: Int, indent: Int) -> [String] {
        let leading = String(line.prefix { $0 == " " })
        let words = line.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: false)
        var lines: [String] = []
        var current = leading
        // The current line's width in characters, kept as words are added (counting it again for every word
        // made long lines quadratic).
        var currentWidth = leading.count
        var isFirst = true
        for word in words {
            let wordWidth = word.count
            // A word too wide to fit under the column continues four spaces in from the line instead.
            let continuation = indent + wordWidth <= width ? indent : min(indent, leading.count + 4)
            if !isFirst, currentWidth + 1 + wordWidth > width, currentWidth > continuation {
                while current.utf8.last == UInt8(ascii: " ") { current.removeLast() }
                lines.append(current)
                current = String(repeating: " ", count: continuation) + word
                currentWidth = continuation + wordWidth
            } else {
                current += isFirst ? String(word) : " " + word
                currentWidth += (isFirst ? 0 : 1) + wordWidth
            }
            isFirst = false
        }
        lines.append(current)
        return lines
    }
}
