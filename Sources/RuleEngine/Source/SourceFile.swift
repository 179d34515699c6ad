/// The text of an input file, kept so that diagnostics can quote the offending line.
public struct SourceFile: Sendable {
    /// The path as the user named it.
    public var path: String
    /// The file's lines, without their line terminators (invalid UTF-8 replaced by U+FFFD).
    public var lines: [Substring]

    /// Creates a source file from its bytes.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
    }

    /// The text of the 1-based line `number`, if the file has it.
    public func line(_ number: Int) -> Substring? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }
}
