/// One declared term of the vocabulary: a source, pre-conditioning, component or activity.
public struct Term<Kind>: Hashable, Sendable {
    /// The canonical identifier.
    public var id: Identifier<Kind>
    /// A human-readable label; empty when none was declared.
    public var label: String
    /// Ontology terms such as `UBERON:0001013`, in declaration order.
    public var ontologyTerms: [String]
    /// Other spellings that resolve to this term.
    public var aliases: [String]
    /// Where the term was declared.
    public var span: SourceSpan?

    /// Creates a term.
    public init(
        id: Identifier<Kind>, label: String = "", ontologyTerms: [String] = [], aliases: [String] = [],
        span: SourceSpan? = nil
    ) {
        self.id = id
        self.label = label
        self.ontologyTerms = ontologyTerms
        self.aliases = aliases
        self.span = span
    }
}

/// A set of declared terms of one kind, with alias resolution.
public struct TermTable<Kind>: Sendable {
    /// The terms, sorted by identifier.
    public private(set) var terms: [Term<Kind>]
    private var byName: [String: Identifier<Kind>]

    /// Builds a table. Duplicate names must have been rejected by the caller; the first declaration wins.
    public init(_ terms: [Term<Kind>]) {
        self.terms = terms.sorted { $0.id < $1.id }
        var byName: [String: Identifier<Kind>] = [:]
        for term in terms {
            if byName[term.id.rawValue] == nil { byName[term.id.rawValue] = term.id }
        }
        for term in terms {
            for alias in term.aliases where byName[alias] == nil { byName[alias] = term.id }
        }
        self.byName = byName
    }

    /// The canonical identifier that `name` (an identifier or an alias) refers to.
    public func resolve(_ name: String) -> Identifier<Kind>? { byName[name] }

    /// The term with canonical identifier `id`.
    public func term(_ id: Identifier<Kind>) -> Term<Kind>? {
        guard let index = terms.binarySearch(id) else { return nil }
        return terms[index]
    }

    /// Whether `id` is declared.
    public func contains(_ id: Identifier<Kind>) -> Bool { term(id) != nil }

    /// Every identifier and alias, sorted, for "did you mean" suggestions.
    public var allNames: [String] { byName.keys.sorted() }

    /// The canonical identifiers in sorted order.
    public var ids: [Identifier<Kind>] { terms.map(\.id) }

    /// Every identifier and alias with the position of the term it names in ``terms``.
    var namesWithIndexes: [(name: String, index: Int)] {
        byName.compactMap { name, id in terms.binarySearch(id).map { (name, $0) } }
    }
}

extension Array {
    fileprivate func binarySearch<Kind>(_ id: Identifier<Kind>) -> Int? where Element == Term<Kind> {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid].id < id {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low < count && self[low].id == id ? low : nil
    }
}

/// Everything the evidence files may name: sources, pre-conditionings, components, activities,
/// model levels and products.
public struct Vocabulary: Sendable {
    /// MSC sources, including `any-msc`.
    public var sources: TermTable<IdentifierKind.Source>
    /// Pre-conditionings, including `none`.
    public var preconditionings: TermTable<IdentifierKind.Preconditioning>
    /// Secreted components.
    public var components: TermTable<IdentifierKind.Component>
    /// Biological activities.
    public var activities: TermTable<IdentifierKind.Activity>
    /// Model levels, as declared by the policy.
    public var levels: TermTable<IdentifierKind.Level>
    /// Product types, as declared by the policy.
    public var products: TermTable<IdentifierKind.Product>

    /// Creates a vocabulary.
    public init(
        sources: [Term<IdentifierKind.Source>], preconditionings: [Term<IdentifierKind.Preconditioning>],
        components: [Term<IdentifierKind.Component>], activities: [Term<IdentifierKind.Activity>],
        levels: [Term<IdentifierKind.Level>], products: [Term<IdentifierKind.Product>]
    ) {
        self.sources = TermTable(sources)
        self.preconditionings = TermTable(preconditionings)
        self.components = TermTable(components)
        self.activities = TermTable(activities)
        self.levels = TermTable(levels)
        self.products = TermTable(products)
    }
}
