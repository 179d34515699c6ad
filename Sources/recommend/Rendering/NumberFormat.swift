import Foundation

/// Fixed-precision decimal formatting for human-readable output (tables, Markdown, CSV, explain).
/// Computation always uses full precision; only printing rounds.
enum NumberFormat {
    /// `value` with `digits` decimals; never prints `-0.000…`.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        let text = printf(value, digits)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// `%.<digits>f` of the C library (what `String(format:)` prints), without Foundation's formatter, which
    /// cost a report a tenth of its time.
    static func printf(_ value: Double, _ digits: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            guard let base = buffer.baseAddress else { return String(format: "%.\(digits)f", value) }
            let written = withVaList([Int32(digits), value]) { vsnprintf(base, buffer.count, "%.*f", $0) }
            guard written >= 0, Int(written) < buffer.count else { return String(format: "%.\(digits)f", value) }
            return String(decoding: UnsafeRawBufferPointer(start: base, count: Int(written)), as: UTF8.self)
        }
    }

    /// A signed fixed-precision value: `+0.1200`, `-0.0500`.
    static func signed(_ value: Double, _ digits: Int) -> String {
        let text = fixed(value, digits)
        return text.hasPrefix("-") ? text : "+" + text
    }

    /// A policy weight as written: the shortest form (`0.6`, `1`).
    static func weight(_ value: Double) -> String { JSON.format(value) }
}
