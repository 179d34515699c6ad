import RuleEngine

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
