public import EvidenceModel

/// The numbers of the scoring model (DESIGN §5), all declared in the `policy` block of the rules.
public struct Policy: Sendable, Hashable {
    /// The weight of each model level.
    public var levelWeights: [LevelID: Double]
    /// The weight of each product type.
    public var productWeights: [ProductID: Double]
    /// The `via-component` discount: evidence that reaches an activity through a secreted component.
    public var viaComponent: Double
    /// The `from-baseline` discount: unconditioned evidence applied to a pre-conditioned candidate.
    public var fromBaseline: Double
    /// The `cross-source` discount: evidence from another source, or from `any-msc`.
    public var crossSource: Double
    /// The support every required activity needs for a candidate to be eligible.
    public var minimumSupport: Double
    /// Where each value was declared, keyed as in `--set` (`level.in-vivo`, `discount.cross-source`, …).
    public var spans: [String: SourceSpan]

    /// The names of the three discounts.
    public static let discountNames = ["cross-source", "from-baseline", "via-component"]

    /// Creates a policy.
    public init(
        levelWeights: [LevelID: Double], productWeights: [ProductID: Double], viaComponent: Double,
        fromBaseline: Double, crossSource: Double, minimumSupport: Double, spans: [String: SourceSpan] = [:]
    ) {
        self.levelWeights = levelWeights
        self.productWeights = productWeights
        self.viaComponent = viaComponent
        self.fromBaseline = fromBaseline
        self.crossSource = crossSource
        self.minimumSupport = minimumSupport
        self.spans = spans
    }

    /// The weight of `level` (0 for an undeclared level, which the loader never lets through).
    public func weight(of level: LevelID) -> Double { levelWeights[level] ?? 0 }

    /// The weight of `product` (0 for an undeclared product, which the loader never lets through).
    public func weight(of product: ProductID) -> Double { productWeights[product] ?? 0 }
}
