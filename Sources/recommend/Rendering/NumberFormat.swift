import Foundation

/// Fixed-precision decimal formatting for human-readable output (tables, Markdown, CSV, explain).
/// Computation always uses full precision; only printing rounds.
enum NumberFormat {
    /// `value` with `digits` decimals; never prints `-0.000…`.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        let text = String(format: "%.\(digits)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// A signed fixed-precision value: `+0.1200`, `-0.0500`.
    static func signed(_ value: Double, _ digits: Int) -> String {
        let text = fixed(value, digits)
        return text.hasPrefix("-") ? text : "+" + text
    }

    /// A policy weight as written: the shortest form (`0.6`, `1`).
    static func weight(_ value: Double) -> String { JSON.format(value) }
}
