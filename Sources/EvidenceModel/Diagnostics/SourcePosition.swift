/// A 1-based line and column in a text file.
///
/// Columns count Unicode scalar values from the start of the line, so a tab, an `é` and a `γ`
/// each count as one column.
public struct SourcePosition: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column, in Unicode scalar values.
    public var column: Int

    /// Creates a position from a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Orders positions by line, then column.
    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// A place in a named file: the file's path as given by the user and a position in it.
public struct SourceSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The path of the file, as the user named it (never made absolute).
    public var path: String
    /// Where the span starts.
    public var start: SourcePosition

    /// Creates a span that starts at `line:column` of `path`.
    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.start = SourcePosition(line: line, column: column)
    }

    /// Orders spans by path, then position.
    public static func < (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
        (lhs.path, lhs.start) < (rhs.path, rhs.start)
    }

    /// `path:line:column`.
    public var description: String { "\(path):\(start.line):\(start.column)" }
}
