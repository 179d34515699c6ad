import EvidenceModel

/// One what-if override, `NAME=VALUE`, of a policy value or a rule weight for one run.
///
/// Names: `level.ID`, `product.ID`, `discount.NAME` (`comparison`, `cross-source`, `from-baseline`,
/// `via-component`),
/// `minimum-support`, and `INDICATION.ACTIVITY` for the weight of that indication's line.
public struct Override: Sendable, Hashable, CustomStringConvertible {
    /// The name, as written.
    public var name: String
    /// The value.
    public var value: Double
    /// The value as written (shown back in output headers exactly as the user typed it).
    public var valueText: String

    /// `NAME=VALUE` as written.
    public var description: String { "\(name)=\(valueText)" }

    /// Parses `NAME=VALUE`; the error says what is wrong.
    public static func parse(_ text: String) -> Result<Override, OverrideError> {
        guard let equals = text.firstIndex(of: "=") else {
            return .failure(OverrideError("'\(text)' is not NAME=VALUE, e.g. level.in-vitro=0.1"))
        }
        let name = String(text[..<equals])
        let valueText = String(text[text.index(after: equals)...])
        guard !name.isEmpty else { return .failure(OverrideError("'\(text)' has no name before '='")) }
        guard let value = Double(valueText), value.isFinite else {
            return .failure(OverrideError("'\(valueText)' is not a finite number (in '\(text)')"))
        }
        return .success(Override(name: name, value: value, valueText: valueText))
    }
}

/// Why an override cannot be applied.
public struct OverrideError: Error, Sendable, Hashable {
    /// What is wrong, for a person.
    public var message: String

    /// Wraps a message.
    public init(_ message: String) { self.message = message }
}

extension RuleSet {
    /// Every name an override may set, sorted by UTF-8 bytes.
    public var overridableNames: [String] {
        let policyNames =
            policy.levelWeights.keys.map { "level.\($0.rawValue)" }
            + policy.productWeights.keys.map { "product.\($0.rawValue)" }
            + Policy.discountNames.map { "discount.\($0)" } + ["minimum-support"]
        let weights = indications.flatMap { indication in
            indication.lines.map { "\(indication.id.rawValue).\($0.activity.rawValue)" }
        }
        return (policyNames + weights).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The rule set with `overrides` applied in order, under the rules `check` enforces on the files
    /// (policy values in [0, 1]; weights finite and > 0, an indication's weights adding up to a finite number);
    /// the error of the first override that is unknown (with a did-you-mean) or out of range.
    public func applying(_ overrides: [Override]) -> Result<RuleSet, OverrideError> {
        var result = self
        for override in overrides {
            let (name, value) = (override.name, override.value)
            let isPolicyValue =
                name.hasPrefix("level.") || name.hasPrefix("product.") || name.hasPrefix("discount.")
                || name == "minimum-support"
            if isPolicyValue, !(0...1).contains(value) {
                return .failure(OverrideError("\(override): a policy value must lie in [0, 1]"))
            }
            if name.hasPrefix("level."), result.policy.levelWeights[LevelID(String(name.dropFirst(6)))] != nil {
                result.policy.levelWeights[LevelID(String(name.dropFirst(6)))] = value
            } else if name.hasPrefix("product."),
                result.policy.productWeights[ProductID(String(name.dropFirst(8)))] != nil
            {
                result.policy.productWeights[ProductID(String(name.dropFirst(8)))] = value
            } else if name.hasPrefix("discount."), let discount = Policy.Discount(rawValue: String(name.dropFirst(9))) {
                result.policy[discount] = value
            } else if name == "minimum-support" {
                result.policy.minimumSupport = value
            } else if let (i, l) = lineIndexes(of: name) {
                guard value > 0 else {
                    return .failure(OverrideError("\(override): a weight must be greater than 0"))
                }
                result.indications[i].lines[l].weight = value
            } else {
                return .failure(
                    OverrideError(
                        "unknown name '\(name)'" + Suggestion.clause(for: name, in: overridableNames)
                            + "; names are level.ID, product.ID, discount.NAME, minimum-support and "
                            + "INDICATION.ACTIVITY (see 'recommend rank --help')"))
            }
        }
        // What E209 asks of a rule file: an indication's weights must add up to a finite number.
        for indication in result.indications where !indication.lines.reduce(0.0, { $0 + $1.weight }).isFinite {
            let set = overrides.filter { $0.name.hasPrefix(indication.id.rawValue + ".") }.map(\.description)
            return .failure(
                OverrideError(
                    "\(set.joined(separator: ", ")): the weights of indication '\(indication.id.rawValue)' would add up "
                        + "to more than a number can hold; use smaller weights (only their ratios matter)"))
        }
        return .success(result)
    }

    /// The current value of an overridable name (see ``overridableNames``); `nil` for an unknown name.
    public func value(of name: String) -> Double? {
        if name.hasPrefix("level.") { return policy.levelWeights[LevelID(String(name.dropFirst(6)))] }
        if name.hasPrefix("product.") { return policy.productWeights[ProductID(String(name.dropFirst(8)))] }
        if name.hasPrefix("discount.") {
            return Policy.Discount(rawValue: String(name.dropFirst(9))).map { policy[$0] }
        }
        if name == "minimum-support" { return policy.minimumSupport }
        return lineIndexes(of: name).map { indications[$0.0].lines[$0.1].weight }
    }

    /// The indication and line that `INDICATION.ACTIVITY` names.
    private func lineIndexes(of name: String) -> (Int, Int)? {
        for (i, indication) in indications.enumerated() {
            let prefix = indication.id.rawValue + "."
            guard name.hasPrefix(prefix) else { continue }
            let activity = ActivityID(String(name.dropFirst(prefix.count)))
            if let l = indication.lines.firstIndex(where: { $0.activity == activity }) { return (i, l) }
        }
        return nil
    }
}

extension KnowledgeBase {
    /// The knowledge base with `overrides` applied to its rules and recorded in ``overrides``.
    public func applying(_ overrides: [Override]) -> Result<KnowledgeBase, OverrideError> {
        rules.applying(overrides).map { rules in
            var result = self
            result.rules = rules
            result.overrides += overrides
            return result
        }
    }
}
