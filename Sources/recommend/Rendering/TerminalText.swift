/// Text from the knowledge base made safe for a terminal (issue 16): a label, title or note may hold any
/// character the files allow, and an escape sequence (`ESC [2J`, `ESC ]0;…BEL`) printed raw would drive the
/// terminal of whoever reads the output.
///
/// Human outputs (tables, text, Markdown, BibTeX, RIS) pass through ``inert(_:)`` as a whole before they are
/// written, and their renderers print each field through ``field(_:)`` so that one record stays on one line.
/// Machine formats (JSON, CSV, SARIF, JUnit, CSL-JSON) keep the text as it is, escaped as each format says.
enum TerminalText {
    /// `text` with every control character but tab and line feed — C0, DEL and C1 — shown as U+FFFD, one
    /// for one. Returned as is, after one pass over its bytes, when there is none. With `allowingColour`, the
    /// tool's own colour codes (SGR: ESC `[`, digits and semicolons, `m`) are kept, and nothing else.
    static func inert(_ text: String, allowingColour: Bool = false) -> String {
        guard hasControl(text, allowingLayout: true) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if allowingColour, scalar == "\u{1B}", let end = sgrEnd(scalars, from: index) {
                out.append(contentsOf: scalars[index...end])
                index = end + 1
                continue
            }
            out.append(isControl(scalar) && scalar != "\t" && scalar != "\n" ? "\u{FFFD}" : scalar)
            index += 1
        }
        return String(out)
    }

    /// The index of the `m` ending the SGR sequence that starts at `start` (ESC), or `nil`.
    private static func sgrEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var index = start + 2
        while index < scalars.count, scalars[index] == ";" || ("0"..."9").contains(scalars[index]) { index += 1 }
        return index < scalars.count && scalars[index] == "m" ? index : nil
    }

    /// One field on one line: tabs and line breaks become spaces (a CRLF one space), other control
    /// characters U+FFFD.
    static func field(_ text: String) -> String {
        guard hasControl(text, allowingLayout: false) else { return text }
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "\n" where previous == "\r": continue
            case "\t", "\n", "\r": out.append(" ")
            default: out.append(isControl(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return String(out)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Whether `text` has a control character (C0, DEL, or C1: 0xC2 then 0x80–0x9F in UTF-8); with
    /// `allowingLayout`, tab and line feed do not count.
    private static func hasControl(_ text: String, allowingLayout: Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previous: UInt8 = 0
            for byte in bytes {
                if byte < 0x20 {
                    if !(allowingLayout && (byte == 0x09 || byte == 0x0A)) { return true }
                } else if byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) {
                    return true
                }
                previous = byte
            }
            return false
        }
    }
}
