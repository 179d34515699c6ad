public import EvidenceModel

/// A lexical token of the rule language.
public struct Token: Hashable, Sendable {
    /// What kind of token this is.
    public enum Kind: Hashable, Sendable {
        /// A run of characters other than white space, `"` and `#`: keywords, names, numbers.
        case word
        /// A double-quoted string; `text` holds its value with escapes resolved.
        case string
        /// The end of a line (comments are skipped).
        case newline
        /// The end of the file.
        case endOfFile
    }

    /// The kind.
    public var kind: Kind
    /// The word's text or the string's value; empty for newlines and the end of the file.
    public var text: String
    /// Where the token starts.
    public var position: SourcePosition
}
