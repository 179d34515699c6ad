/// HTML escaping: every string embedded in a report goes through here.
enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`; control characters (but tab and line feed) become U+FFFD.
    static func escape(_ text: String) -> String {
        // Most text needs nothing: one pass over the bytes says so (0xC2 leads U+0080–U+00BF, among them the C1
        // controls, which take the careful path).
        var plain = true
        for byte in text.utf8 {
            switch byte {
            case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0x7F, 0xC2, 0x00...0x08, 0x0B...0x1F:
                plain = false
            default: continue
            }
            break
        }
        if plain { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An element id built from parts: letters, digits, `-` and `_` are kept, everything else becomes `_xx`
    /// (its UTF-8 bytes in hex), so ids are valid, unique for distinct inputs, and safe in `href="#…"`.
    static func id(_ parts: String...) -> String {
        var out = ""
        for (offset, part) in parts.enumerated() {
            if offset > 0 { out += "--" }
            for byte in part.utf8 {
                switch byte {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: out.unicodeScalars.append(Unicode.Scalar(byte))
                case 0x2D where !out.hasSuffix("-"): out += "-"
                default:
                    let hex = String(byte, radix: 16)
                    out += "_" + (hex.count == 1 ? "0" + hex : hex)
                }
            }
        }
        return out
    }
}
