#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An error of the benchmark tool, with a message for the user.
struct BenchError: Error, CustomStringConvertible {
    /// What went wrong.
    var description: String

    /// An error with `message`.
    init(_ message: String) { description = message }
}

/// A file written through a large in-memory byte buffer: rows are appended as bytes (no `String` per
/// field) and reach the file in chunks of about a mebibyte, so that a million rows take one write call
/// per thousands of rows.
final class ByteFile {
    private static let chunk = 1 << 20
    private let path: String
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var isClosed = false
    /// The bytes handed to the file so far; after `close()`, the file's size.
    private(set) var byteCount = 0

    /// Creates (or truncates) the file at `path`.
    init(path: String) throws {
        guard let handle = fopen(path, "wb") else {
            throw BenchError("cannot create '\(path)': \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.handle = handle
        buffer.reserveCapacity(ByteFile.chunk + 4096)
    }

    deinit {
        if !isClosed { fclose(handle) }
    }

    /// Appends raw bytes.
    @inline(__always)
    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Appends the UTF-8 bytes of `text`.
    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    /// Appends one byte.
    @inline(__always)
    func append(byte: UInt8) {
        buffer.append(byte)
    }

    /// Appends the decimal digits of a non-negative `value`, left-padded with zeros to `width` digits.
    func append(decimal value: Int, width: Int = 1) {
        let start = buffer.count
        var rest = value
        var digits = 0
        repeat {
            buffer.append(UInt8(truncatingIfNeeded: 48 + rest % 10))
            rest /= 10
            digits += 1
        } while rest > 0 || digits < width
        buffer[start..<buffer.count].reverse()
    }

    /// Ends a row: appends a line feed and hands the buffer to the file when it holds a full chunk.
    func endLine() throws {
        buffer.append(0x0A)
        if buffer.count >= ByteFile.chunk { try flush() }
    }

    /// Writes the buffered bytes to the file.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard written == buffer.count else {
            throw BenchError("cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        byteCount += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    func close() throws {
        try flush()
        isClosed = true
        guard fclose(handle) == 0 else {
            throw BenchError("cannot close '\(path)': \(String(cString: strerror(errno)))")
        }
    }
}
