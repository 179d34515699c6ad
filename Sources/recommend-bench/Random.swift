/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast generator whose whole state is one 64-bit word.
///
/// The benchmark draws every synthetic value from it rather than from the standard library's generators or
/// `Int.random(in:using:)`, whose algorithms may change between toolchains: the same seed must give
/// byte-identical files everywhere, always.
struct SplitMix64 {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1), from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in `0..<bound` (`bound` > 0), by Lemire's multiply-shift; the bias, below
    /// `bound / 2^64`, is irrelevant here.
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `true` with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A generator for an independent stream, derived from this one's seed and a stream number, so that
    /// adding draws to one part of the generator does not shift the values of another.
    static func stream(_ seed: UInt64, _ number: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (number &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }
}

/// A discrete distribution over `0..<weights.count`, drawn by binary search in the cumulative weights.
struct WeightedTable: Sendable {
    private let cumulative: [Double]

    /// A table with the given non-negative weights (at least one of them positive).
    init(_ weights: [Double]) {
        var total = 0.0
        cumulative = weights.map { weight in
            total += max(0, weight)
            return total
        }
    }

    /// Zipf-like weights `1 / (i + offset)` for `count` items: a few common, a long tail of rare ones. Plain
    /// IEEE division, so the weights (and the draws) are the same on every platform.
    static func zipf(_ count: Int, offset: Double = 1) -> WeightedTable {
        WeightedTable((0..<count).map { 1 / (Double($0) + offset) })
    }

    /// The number of items.
    var count: Int { cumulative.count }

    /// Draws one index.
    func draw(_ rng: inout SplitMix64) -> Int {
        let target = rng.unit() * (cumulative.last ?? 0)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
