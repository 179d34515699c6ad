import Synchronization

/// A progress line on stderr, for a terminal only: `label: N of M`, rewritten in place at most ten times a
/// second, and erased when everything is done, so that nothing of it stays in the output.
final class Progress: Sendable {
    private let label: String
    private let lastShown = Mutex(ContinuousClock.now - .seconds(1))

    init(label: String) { self.label = label }

    func report(done: Int, total: Int) {
        if done >= total {
            FileDescriptor.writeAll(2, "\r\u{1B}[K")
            return
        }
        let now = ContinuousClock.now
        let due = lastShown.withLock { last in
            guard now - last >= .milliseconds(100) else { return false }
            last = now
            return true
        }
        if due { FileDescriptor.writeAll(2, "\r\(label): \(done) of \(total)\u{1B}[K") }
    }
}
