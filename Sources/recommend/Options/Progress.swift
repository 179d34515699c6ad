import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress line on stderr, for a terminal only: `label: N of M`, rewritten in place at most ten times a
/// second, and erased when everything is done, so that nothing of it stays in the output.
final class Progress: Sendable {
    private let label: String
    private let lastShown = Mutex(ContinuousClock.now - .seconds(1))

    init(label: String) { self.label = label }

    func report(done: Int, total: Int) {
        if done >= total {
            Self.write("\r\u{1B}[K")
            return
        }
        let now = ContinuousClock.now
        let due = lastShown.withLock { last in
            guard now - last >= .milliseconds(100) else { return false }
            last = now
            return true
        }
        if due { Self.write("\r\(label): \(done) of \(total)\u{1B}[K") }
    }

    private static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = systemWrite2(bytes) }
    }
}

/// write(2) to stderr, named apart from ``Progress``'s own `write`.
private func systemWrite2(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    return write(2, base, bytes.count)
}
