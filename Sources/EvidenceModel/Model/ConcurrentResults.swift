import Dispatch
import Synchronization

/// Results written by concurrent iterations, each to its own slot, read after all have finished.
package final class ConcurrentResults<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    /// `count` empty slots.
    package init(count: Int) { slots = Mutex([Value?](repeating: nil, count: count)) }

    /// Sets slot `index`.
    package func set(_ index: Int, _ value: Value) { slots.withLock { $0[index] = value } }

    /// Every slot's value, in order; slots never set are skipped.
    package var values: [Value] { slots.withLock { $0.compactMap { $0 } } }

    /// `body(0)`, …, `body(count − 1)`, computed on all cores, in order.
    package static func map(_ count: Int, _ body: @Sendable (Int) -> Value) -> [Value] {
        let results = ConcurrentResults(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { results.set($0, body($0)) }
        return results.values
    }
}
