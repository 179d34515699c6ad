#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing bytes to a file descriptor, whole: the one loop behind standard output (main.swift), output files
/// (``OutputFile``) and the progress line (``Progress``).
enum FileDescriptor {
    /// Writes all of `bytes` to `descriptor`, retrying after a signal and after a short write; `false` (with
    /// `errno` set) when a write fails.
    @discardableResult
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    static func writeAll(_ descriptor: Int32, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { writeAll(descriptor, UnsafeRawBufferPointer($0)) }
    }
}
