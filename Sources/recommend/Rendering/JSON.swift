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
    static let placeholder = JSON.raw(placeholderText)
    private static let placeholderText = "\u{1}"

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

    /// Pretty-printed as the value of a member or element at `indent` (no final newline) straight into `out`;
    /// `placeholder` writes what stands in place of ``placeholder``.
    func write(into out: OutputBuffer, indent: Int, placeholder: (OutputBuffer) -> Void) {
        var sink = out
        withoutActuallyEscaping(placeholder) { placeholder in
            write(to: &sink, indent: indent) { placeholder($0) }
        }
    }

    /// `value` as a JSON string literal, quotes included.
    static func quoted(_ value: String) -> String {
        var out = ""
        writeString(value, to: &out)
        return out
    }

    private func write<Out: JSONOutput>(
        to out: inout Out, indent: Int, placeholder: ((inout Out) -> Void)? = nil
    ) {
        switch self {
        case .null: out.append("null")
        case .bool(let value): out.append(value ? "true" : "false")
        case .int(let value): out.append(String(value))
        case .number(let value): out.append(JSON.format(value))
        case .string(let value): JSON.writeString(value, to: &out)
        case .raw(let text):
            if let placeholder, text == JSON.placeholderText { placeholder(&out) } else { out.append(text) }
        case .array(let items):
            if items.isEmpty {
                out.append("[]")
                return
            }
            out.append("[\n")
            for (offset, item) in items.enumerated() {
                out.append(JSON.spaces(indent + 2))
                item.write(to: &out, indent: indent + 2, placeholder: placeholder)
                out.append(offset == items.count - 1 ? "\n" : ",\n")
            }
            out.append(JSON.spaces(indent))
            out.append("]")
        case .object(let members):
            if members.isEmpty {
                out.append("{}")
                return
            }
            out.append("{\n")
            for (offset, (key, value)) in members.enumerated() {
                out.append(JSON.spaces(indent + 2))
                JSON.writeString(key, to: &out)
                out.append(": ")
                value.write(to: &out, indent: indent + 2, placeholder: placeholder)
                out.append(offset == members.count - 1 ? "\n" : ",\n")
            }
            out.append(JSON.spaces(indent))
            out.append("}")
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

    /// Indentation strings, made once: rankings write millions of them.
    private static let indentation = (0..<32).map { String(repeating: " ", count: $0) }

    private static func spaces(_ count: Int) -> String {
        count < indentation.count ? indentation[count] : String(repeating: " ", count: count)
    }

    /// Whether `value` may need escaping: a control character, a quote, a backslash, DEL, or a byte that can
    /// begin U+2028 or U+2029 (0xE2, which also begins other characters: those take the slow path, unchanged).
    private static func mayNeedEscaping(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }
        }
    }

    static func writeString<Out: JSONOutput>(_ value: String, to out: inout Out) {
        guard mayNeedEscaping(value) else {
            out.append("\"")
            out.append(value)
            out.append("\"")
            return
        }
        var escaped = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        escaped += "\""
        out.append(escaped)
    }
}

/// Where JSON text is written: a `String`, or an ``OutputBuffer`` that streams it.
protocol JSONOutput {
    mutating func append(_ text: String)
}

extension String: JSONOutput {}
extension OutputBuffer: JSONOutput {}
