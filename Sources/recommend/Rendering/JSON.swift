/// A JSON value whose objects keep their keys in the order written, so output is stable.
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])
    /// Text already in JSON form, written as is: what a renderer splices in (``placeholder``).
    case raw(String)

    /// A value that cannot occur in rendered JSON (control characters in strings are escaped), for a
    /// renderer that writes the document around a part it streams.
    static let placeholder = JSON.raw("\u{1}")

    static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.rendered() == rhs.rendered() }

    /// An optional string as a string or null.
    static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// Pretty-printed with two-space indentation and a final newline.
    func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    /// Pretty-printed as the value of a member or element at `indent` (no final newline).
    func rendered(indent: Int) -> String {
        var out = ""
        write(to: &out, indent: indent)
        return out
    }

    /// `value` as a JSON string literal, quotes included.
    static func quoted(_ value: String) -> String {
        var out = ""
        writeString(value, to: &out)
        return out
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .number(let value): out += JSON.format(value)
        case .string(let value): JSON.writeString(value, to: &out)
        case .raw(let text): out += text
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "[\n"
            for (offset, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                item.write(to: &out, indent: indent + 2)
                out += offset == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{\n"
            for (offset, (key, value)) in members.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                JSON.writeString(key, to: &out)
                out += ": "
                value.write(to: &out, indent: indent + 2)
                out += offset == members.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// Numbers are written in Swift's shortest round-trip form, which is deterministic and valid JSON for
    /// finite values; non-finite values (which the model never produces) become null.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
