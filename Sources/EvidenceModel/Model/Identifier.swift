/// The kinds of thing an identifier can name; each gets its own identifier type so that a source can
/// never be passed where an activity is expected.
public enum IdentifierKind {
    /// An MSC source (tissue of origin).
    public enum Source {}
    /// A pre-conditioning applied before the secretome is collected.
    public enum Preconditioning {}
    /// A secreted component (protein by HGNC symbol, miRNA, lipid mediator, …).
    public enum Component {}
    /// A biological activity.
    public enum Activity {}
    /// A model level (clinical, in vivo, …).
    public enum Level {}
    /// A product type (conditioned medium, extracellular vesicles, cells).
    public enum Product {}
    /// A literature reference.
    public enum Reference {}
    /// An evidence record.
    public enum Record {}
    /// An indication.
    public enum Indication {}
}

/// A canonical identifier of some kind, such as the source `adipose` or the activity `angiogenesis`.
public struct Identifier<Kind>: Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The canonical spelling.
    public let rawValue: String

    /// Wraps a canonical spelling.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Wraps a literal spelling.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Identifiers sort by their UTF-8 bytes, the same on every platform.
    public static func < (lhs: Identifier, rhs: Identifier) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    /// The canonical spelling.
    public var description: String { rawValue }
}

/// An MSC source identifier.
public typealias SourceID = Identifier<IdentifierKind.Source>
/// A pre-conditioning identifier.
public typealias PreconditioningID = Identifier<IdentifierKind.Preconditioning>
/// A secreted component identifier.
public typealias ComponentID = Identifier<IdentifierKind.Component>
/// A biological activity identifier.
public typealias ActivityID = Identifier<IdentifierKind.Activity>
/// A model level identifier.
public typealias LevelID = Identifier<IdentifierKind.Level>
/// A product identifier.
public typealias ProductID = Identifier<IdentifierKind.Product>
/// A reference identifier (the `ref` column).
public typealias ReferenceID = Identifier<IdentifierKind.Reference>
/// An evidence record identifier (the `id` column).
public typealias RecordID = Identifier<IdentifierKind.Record>
/// An indication identifier.
public typealias IndicationID = Identifier<IdentifierKind.Indication>

extension SourceID {
    /// The pseudo-source for statements about MSCs in general.
    public static let anyMSC: SourceID = "any-msc"
}

extension PreconditioningID {
    /// The baseline: no pre-conditioning.
    public static let none: PreconditioningID = "none"
}
