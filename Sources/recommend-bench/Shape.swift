/// The shape of a synthetic knowledge base: its vocabulary sizes and how the evidence rows are distributed
/// over it. The engine's cost depends on shape as much as on size (how many candidates read one list, how
/// long the lists of a popular component are), so the benchmark measures several.
struct Shape: Sendable, Equatable {
    /// The preset's name, or `custom` once a parameter was changed.
    var name: String
    /// Declared sources besides `any-msc`.
    var sources: Int
    /// Declared pre-conditionings, `none` included.
    var preconditionings: Int
    /// Declared components.
    var components: Int
    /// Declared activities.
    var activities: Int
    /// Indications, each with 2 to 4 `requires`/`supports` lines and one `avoids` line.
    var indications: Int
    /// Component popularity: the i-th component (from 0) has weight 1 / (i + offset)^exponent.
    var componentExponent: Double
    /// See `componentExponent`.
    var componentOffset: Double
    /// Which components the mechanism rows describe: drawn with weight 1 / (i + offset)^exponent, so 0 spreads
    /// them evenly (every component gets its few links) and the component exponent makes them follow
    /// popularity.
    var mechanismExponent: Double
    /// Shares of the evidence rows: secretome, function, mechanism and comparison rows (they sum to 1).
    var secretomeShare: Double
    var functionShare: Double
    var mechanismShare: Double
    var comparisonShare: Double
    /// Mean rows per reference (a paper has 1 to 2·mean − 1 rows, uniformly).
    var rowsPerReference: Int
    /// Share of papers whose cells are `any-msc`.
    var anyMSCShare: Double
    /// Share of secretome and function rows that are baseline (`none`).
    var baselineShare: Double
    /// Activities each component reaches through its mechanisms (inclusive range).
    var linksPerComponent: ClosedRange<Int>

    /// The generator's original shape, with comparisons: 14 sources, 25 pre-conditionings, 400 components
    /// drawn 1 / (i + 3), 25 activities, 12 indications; 43 % secretome, 42 % function, 10 % mechanism and
    /// 5 % comparison rows; 10 rows per reference; 2 to 4 links per component.
    static let standard = Shape(
        name: "standard", sources: 14, preconditionings: 25, components: 400, activities: 25, indications: 12,
        componentExponent: 1, componentOffset: 3, mechanismExponent: 1, secretomeShare: 0.43, functionShare: 0.42,
        mechanismShare: 0.10,
        comparisonShare: 0.05, rowsPerReference: 10, anyMSCShare: 0.1, baselineShare: 0.25, linksPerComponent: 2...4)

    /// Skewed toward a few components: 16 sources, 25 pre-conditionings, 400 components drawn by Zipf's law
    /// with exponent 1 (the commonest in about 15 % of secretome rows), two thirds of the rows secretome and a
    /// third function, 1 % mechanism rows spread evenly over the components with 1 to 4 links each, 5 %
    /// comparisons, 8 rows per reference.
    static let skewed = Shape(
        name: "skewed", sources: 16, preconditionings: 25, components: 400, activities: 25, indications: 12,
        componentExponent: 1, componentOffset: 1, mechanismExponent: 0, secretomeShare: 0.63, functionShare: 0.31,
        mechanismShare: 0.01,
        comparisonShare: 0.05, rowsPerReference: 8, anyMSCShare: 0.1, baselineShare: 0.25, linksPerComponent: 1...4)

    /// Wide: many candidates and terms, evenly used: 40 sources × 60 pre-conditionings (2,400 candidates), 2,000
    /// components drawn 1 / (i + 1)^0.5, 60 activities, 30 indications, 12 rows per reference.
    static let wide = Shape(
        name: "wide", sources: 40, preconditionings: 60, components: 2000, activities: 60, indications: 30,
        componentExponent: 0.5, componentOffset: 1, mechanismExponent: 0, secretomeShare: 0.45, functionShare: 0.40,
        mechanismShare: 0.10,
        comparisonShare: 0.05, rowsPerReference: 12, anyMSCShare: 0.05, baselineShare: 0.3, linksPerComponent: 1...6)

    /// The presets, by name.
    static let presets: [Shape] = [.standard, .skewed, .wide]

    /// A one-line description, for progress lines and reports.
    var summary: String {
        func percent(_ share: Double) -> String { String(Int((share * 100).rounded())) + "%" }
        return
            "\(name): \(sources) sources, \(preconditionings) pre-conditionings, \(components) components "
            + "(1/(i+\(componentOffset))^\(componentExponent), mechanisms ^\(mechanismExponent)), "
            + "\(activities) activities, \(indications) indications; "
            + "rows \(percent(secretomeShare)) secretome, \(percent(functionShare)) function, "
            + "\(percent(mechanismShare)) mechanism, \(percent(comparisonShare)) comparison; "
            + "\(rowsPerReference) rows/reference, \(percent(anyMSCShare)) any-msc papers, "
            + "\(percent(baselineShare)) baseline rows, \(linksPerComponent.lowerBound)-\(linksPerComponent.upperBound) "
            + "links/component"
    }

    /// Why the shape cannot be generated, or `nil`.
    var problem: String? {
        if sources < 2 { return "--sources must be at least 2 (source contrasts need two)" }
        if preconditionings < 2 { return "--preconditionings must be at least 2 (none and one other)" }
        if components < 1 || activities < 3 { return "--components must be at least 1 and --activities at least 3" }
        if indications < 1 { return "--indications must be at least 1" }
        let shares = [secretomeShare, functionShare, mechanismShare, comparisonShare]
        if shares.contains(where: { !($0 >= 0 && $0 <= 1) }) { return "row shares must lie in [0, 1]" }
        if abs(shares.reduce(0, +) - 1) > 1e-9 {
            return "the secretome, function, mechanism and comparison shares must sum to 1"
        }
        if rowsPerReference < 1 { return "--rows-per-reference must be at least 1" }
        if !(anyMSCShare >= 0 && anyMSCShare <= 1) || !(baselineShare >= 0 && baselineShare <= 1) {
            return "--any-msc and --baseline must lie in [0, 1]"
        }
        if linksPerComponent.lowerBound < 1 || linksPerComponent.upperBound > activities {
            return "--links must lie within 1 and the number of activities"
        }
        if !(componentExponent >= 0) || !(componentOffset > 0) || !(mechanismExponent >= 0) {
            return "--component-exponent and --mechanism-exponent must be at least 0 and --component-offset above 0"
        }
        return nil
    }
}
