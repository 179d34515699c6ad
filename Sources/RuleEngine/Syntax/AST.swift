public import EvidenceModel

/// A value with the place it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value.
    public var value: Value
    /// Where it was written.
    public var span: SourceSpan
}

/// The syntax tree of one rule file: its declarations in file order.
public struct RuleFileSyntax: Sendable {
    /// The file's path.
    public var path: String
    /// The declarations.
    public var declarations: [DeclarationSyntax]
}

/// One top-level block.
public enum DeclarationSyntax: Sendable {
    /// `policy … end`.
    case policy(PolicySyntax)
    /// `source|preconditioning|component|activity NAME … end`.
    case term(TermSyntax)
    /// `indication NAME … end`.
    case indication(IndicationSyntax)
}

/// The kinds of vocabulary term a block can declare.
public enum TermKind: String, Sendable, Hashable, CaseIterable {
    /// `source`.
    case source
    /// `preconditioning`.
    case preconditioning
    /// `component`.
    case component
    /// `activity`.
    case activity
}

/// `policy … end`.
public struct PolicySyntax: Sendable {
    /// The `policy` keyword.
    public var span: SourceSpan
    /// `level NAME NUMBER` lines.
    public var levels: [(name: Located<String>, value: Located<Double>)]
    /// `product NAME NUMBER` lines.
    public var products: [(name: Located<String>, value: Located<Double>)]
    /// `discount NAME NUMBER` lines.
    public var discounts: [(name: Located<String>, value: Located<Double>)]
    /// `minimum-support NUMBER` lines.
    public var minimumSupports: [Located<Double>]
    /// Whether some line of the block did not parse (so "missing" errors would only repeat it).
    public var hasMalformedLines = false
}

/// `source|preconditioning|component|activity NAME … end`.
public struct TermSyntax: Sendable {
    /// The kind of term.
    public var kind: TermKind
    /// The declared name.
    public var name: Located<String>
    /// `label "…"`.
    public var label: Located<String>?
    /// `term ID …` (ontology terms).
    public var ontologyTerms: [Located<String>]
    /// `aliases NAME …`.
    public var aliases: [Located<String>]
}

/// `requires|supports|avoids ACTIVITY weight NUMBER because "…"`.
public struct RuleLineSyntax: Sendable {
    /// The keyword.
    public var kind: Located<RuleKind>
    /// The activity as written.
    public var activity: Located<String>
    /// The weight as written.
    public var weight: Located<Double>
    /// The rationale.
    public var rationale: Located<String>
    /// The indication the line was inherited from (`refines`), or `nil` for a line written in the block.
    public var inheritedFrom: String? = nil
}

/// `indication NAME … end`.
public struct IndicationSyntax: Sendable {
    /// The declared name.
    public var name: Located<String>
    /// `label "…"`.
    public var label: Located<String>?
    /// `term ID …`.
    public var ontologyTerms: [Located<String>]
    /// The weight lines in file order.
    public var lines: [RuleLineSyntax]
    /// `minimum-level LEVEL` lines (more than one is an error found later).
    public var minimumLevels: [Located<String>]
    /// `refines PARENT` lines (more than one is an error found later).
    public var refines: [Located<String>] = []
    /// Whether some line of the block did not parse (so "missing" errors would only repeat it).
    public var hasMalformedLines = false
}

/// How an indication line uses its activity.
public enum RuleKind: String, Sendable, Hashable, CaseIterable {
    /// The activity is needed: its support counts, and eligibility requires it.
    case requires
    /// The activity helps: its support counts.
    case supports
    /// The activity is undesirable: positive support is subtracted.
    case avoids
}
