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
    /// The `comparison` factor: a head-to-head finding (comparisons.tsv), against an absolute one.
    public var comparison: Double
    /// The support every required activity needs for a candidate to be eligible.
    public var minimumSupport: Double
    /// Where each value was declared, keyed as in `--set` (`level.in-vivo`, `discount.cross-source`, …).
    public var spans: [String: SourceSpan]

    /// The discounts a policy sets, one `discount NAME VALUE` line each.
    public enum Discount: String, Sendable, CaseIterable {
        /// `comparison`: a head-to-head finding, against an absolute one.
        case comparison
        /// `cross-source`: evidence from another source, or from `any-msc`.
        case crossSource = "cross-source"
        /// `from-baseline`: unconditioned evidence applied to a pre-conditioned candidate.
        case fromBaseline = "from-baseline"
        /// `via-component`: evidence that reaches an activity through a secreted component.
        case viaComponent = "via-component"
    }

    /// The names of the discounts, sorted.
    public static let discountNames = Discount.allCases.map(\.rawValue)

    /// The value of a discount.
    public subscript(discount: Discount) -> Double {
        get {
            switch discount {
            case .comparison: comparison
            case .crossSource: crossSource
            case .fromBaseline: fromBaseline
            case .viaComponent: viaComponent
            }
        }
        set {
            switch discount {
            case .comparison: comparison = newValue
            case .crossSource: crossSource = newValue
            case .fromBaseline: fromBaseline = newValue
            case .viaComponent: viaComponent = newValue
            }
        }
    }

    /// Creates a policy.
    public init(
        levelWeights: [LevelID: Double], productWeights: [ProductID: Double], viaComponent: Double,
        fromBaseline: Double, crossSource: Double, comparison: Double, minimumSupport: Double,
        spans: [String: SourceSpan] = [:]
    ) {
        self.levelWeights = levelWeights
        self.productWeights = productWeights
        self.viaComponent = viaComponent
        self.fromBaseline = fromBaseline
        self.crossSource = crossSource
        self.comparison = comparison
        self.minimumSupport = minimumSupport
        self.spans = spans
    }

    /// The weight of `level` (0 for an undeclared level, which the loader never lets through).
    public func weight(of level: LevelID) -> Double { levelWeights[level] ?? 0 }

    /// The weight of `product` (0 for an undeclared product, which the loader never lets through).
    public func weight(of product: ProductID) -> Double { productWeights[product] ?? 0 }
}
