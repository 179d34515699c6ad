/// A hash table from byte strings to small integers, looked up with a slice of a file's bytes so that no
/// `String` is made for a field on the loader's hot path.
///
/// Open addressing with linear probing over a power-of-two slot array; FNV-1a hashes. Keys are copied
/// into one byte buffer.
struct NameTable {
    private var slots: [Int32]
    private var keyStarts: [Int] = [0]
    private var keyBytes: [UInt8] = []
    private var hashes: [UInt64] = []
    private(set) var values: [UInt32] = []

    /// A table with room for `capacity` keys before it grows.
    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: -1, count: size)
    }

    /// The number of keys.
    var count: Int { values.count }

    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    private func keyEquals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = keyStarts[entry]
        guard keyStarts[entry + 1] - start == key.count else { return false }
        return keyBytes.withUnsafeBufferPointer { bytes in
            UnsafeBufferPointer(rebasing: bytes[start..<start + key.count]).elementsEqual(key)
        }
    }

    /// The slot holding `key`, or the empty slot where it would go.
    private func slot(of key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 || (hashes[entry] == hash && keyEquals(entry, key)) { return slot }
            slot = (slot + 1) & mask
        }
    }

    /// The value of `key`, if present.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let entry = Int(slots[slot(of: key, hash: Self.hash(key))])
        return entry < 0 ? nil : values[entry]
    }

    /// The value of `key`, if present.
    func find(_ key: String) -> UInt32? {
        var key = key
        return key.withUTF8 { find($0) }
    }

    /// Adds `key` with `value` unless present; returns the value already there, if any.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: UInt32) -> UInt32? {
        let hash = Self.hash(key)
        let slot = slot(of: key, hash: hash)
        let existing = Int(slots[slot])
        if existing >= 0 { return values[existing] }
        slots[slot] = Int32(values.count)
        keyBytes.append(contentsOf: key)
        keyStarts.append(keyBytes.count)
        hashes.append(hash)
        values.append(value)
        if values.count * 2 > slots.count { grow() }
        return nil
    }

    /// Adds `key` with `value` unless present; returns the value already there, if any.
    @discardableResult
    mutating func insert(_ key: String, value: UInt32) -> UInt32? {
        var key = key
        return key.withUTF8 { insert($0, value: value) }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for entry in values.indices {
            var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }
}
