/// Lines fitted to a width, broken at spaces (issue 16: human output readable at 80 columns). A word longer
/// than the width is never broken, so nothing is lost: joining the lines' words gives back the text's words.
enum TextWidth {
    /// Every line of `text` longer than `width` broken into lines of at most `width` columns, continued under
    /// its own column (``hangingIndent(_:indent:width:)``); other lines unchanged.
    static func fitted(_ text: String, width: Int) -> String {
        guard text.utf8.count > width else { return text }
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.count <= width {
                out.append(line)
            } else {
                let indent = line.prefix { $0 == " " }.count
                out += fill(line, width: width, indent: hangingIndent(line, indent: indent, width: width))
            }
        }
        return out.joined(separator: "\n")
    }

    /// Where a long line continues: under the column (text after two or more spaces) in which it would be
    /// broken, when that column starts within the first half of the width; else four spaces in from the line.
    static func hangingIndent(_ line: String, indent: Int, width: Int) -> Int {
        let characters = Array(line)
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
        var isFirst = true
        for word in words {
            let candidate = isFirst ? current + word : current + " " + word
            if !isFirst, candidate.count > width, current.count > indent {
                lines.append(String(current.reversed().drop { $0 == " " }.reversed()))
                current = String(repeating: " ", count: indent) + word
            } else {
                current = candidate
            }
            isFirst = false
        }
        lines.append(current)
        return lines
    }
}
