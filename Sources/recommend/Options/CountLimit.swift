/// The largest value of each count option, checked before anything is allocated for it (README, "Limits").
/// Each is far above any real use and far below what would exhaust memory: a sensitivity run keeps one rank
/// per candidate per run.
enum CountLimit {
    /// `--top` of rank, cite, diff and sensitivity.
    static let top = 1_000_000
    /// `sensitivity --runs`: at 0.05 s a run on the shipped base, the limit is about 80 minutes.
    static let runs = 100_000
    /// `report --traces`.
    static let traces = 1_000_000
    /// `report --plan`: experiments listed per indication.
    static let plannedExperiments = 1000
    /// `--max-errors` (0 shows every diagnostic).
    static let maxErrors = 1_000_000
}

/// What a count option says: nothing, `all`, or a number (``Command/count(_:in:_:allowingAll:context:)``).
enum CountValue: Equatable {
    case absent
    case all
    case number(Int)

    /// The number, if one was given.
    var number: Int? {
        if case .number(let value) = self { value } else { nil }
    }
}
