/// The text of an input file, kept so that diagnostics can quote the offending line.
public struct SourceFile: Sendable {
    /// The path as the user named it.
    public var path: String
    /// The file's lines, without their LF or CRLF terminators (invalid UTF-8 replaced by U+FFFD).
    public var lines: [String]

    /// Creates a source file from its bytes. Lines are split on LF bytes, so CRLF files (whose "\r\n" Swift
    /// reads as a single Character) split the same way as LF files.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        self.lines = body.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
    }

    /// The text of the 1-based line `number`, if the file has it.
    public func line(_ number: Int) -> String? {
        number >= 1 && number <= lines.count ? lines[number - 1] : nil
    }
}
