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
    /// `--max-errors` (0 shows every diagnostic).
    static let maxErrors = 1_000_000
}
