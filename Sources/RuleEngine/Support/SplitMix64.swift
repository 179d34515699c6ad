/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast generator whose whole state is one 64-bit word.
///
/// Sensitivity runs, the benchmark's synthetic bases and the property tests draw from it rather than from the
/// standard library's generators or `Int.random(in:using:)`, whose algorithms may change between
/// toolchains: the same seed must give the same values everywhere, always.
public struct SplitMix64: Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1), from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in `0..<bound` (`bound` > 0), by Lemire's multiply-shift; the bias, below
    /// `bound / 2^64`, is irrelevant here.
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `true` with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A generator for an independent stream, derived from this one's seed and a stream number, so that
    /// adding draws to one part of the generator does not shift the values of another.
    public static func stream(_ seed: UInt64, _ number: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (number &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }
}
