import Foundation

/// Bytes on their way out: appends are copies into one fixed allocation, handed to `emit` each time it
/// fills (and by ``drain()``), so that an output of gigabytes is written in pieces of `capacity` bytes with
/// no per-append bookkeeping beyond a `memcpy`.
final class OutputBuffer {
    private let capacity: Int
    private let storage: UnsafeMutablePointer<UInt8>
    private var count = 0
    private let emit: ([UInt8]) -> Void

    /// A buffer of `capacity` bytes (default 1 MiB) that hands its contents to `emit`.
    init(capacity: Int = 1 << 20, emit: @escaping ([UInt8]) -> Void) {
        self.capacity = max(1, capacity)
        storage = .allocate(capacity: self.capacity)
        self.emit = emit
    }

    deinit { storage.deallocate() }

    /// Appends `bytes`.
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { drain() }
        if bytes.count > capacity {
            emit(Array(bytes))
            return
        }
        (storage + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    /// Appends `text` as UTF-8.
    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Hands what the buffer holds to `emit`, if anything.
    func drain() {
        guard count > 0 else { return }
        emit(Array(UnsafeBufferPointer(start: storage, count: count)))
        count = 0
    }
}
