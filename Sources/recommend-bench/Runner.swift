import Foundation

/// The statistics of one timed phase over the runs.
struct PhaseStatistics: Codable, Sendable {
    /// Wall-clock seconds of every run, in run order.
    var seconds: [Double]
    /// The median of `seconds` (the mean of the two middle values for an even count).
    var medianSeconds: Double
    /// The fastest run.
    var minSeconds: Double
    /// The slowest run.
    var maxSeconds: Double
    /// The median CPU seconds (user + system, all threads).
    var medianCPUSeconds: Double
    /// Median CPU time over median wall time: about 1 for a single-threaded phase, up to the core count.
    var coresUsed: Double

    /// Statistics of wall and CPU times; `nil` when there is no run.
    init?(seconds: [Double], cpuSeconds: [Double]) {
        guard let median = Runner.median(seconds), let minimum = seconds.min(), let maximum = seconds.max()
        else { return nil }
        self.seconds = seconds
        medianSeconds = median
        minSeconds = minimum
        maxSeconds = maximum
        medianCPUSeconds = Runner.median(cpuSeconds) ?? 0
        coresUsed = median > 0 ? medianCPUSeconds / median : 0
    }
}

/// The benchmark's result for one N.
struct BenchResult: Codable, Sendable {
    /// The evidence rows generated.
    var rows: Int
    /// The bytes of every input file (rules and evidence).
    var inputBytes: Int
    /// The input size in MB (10^6 bytes).
    var inputMB: Double
    /// The generator's output.
    var generation: GenerationSummary
    /// The records the loader returned (equal to `rows`).
    var loadedRecords: Int?
    /// The references the loader returned.
    var loadedReferences: Int?
    /// Load warnings (unused terms and the like).
    var warnings: Int?
    /// Read, parse, validate and index: `KnowledgeBase.load`.
    var load: PhaseStatistics?
    /// `Recommender(knowledgeBase:)` and `rankAll()`: every candidate of every indication scored and ranked.
    var rankAll: PhaseStatistics?
    /// `tracing` of the first indication's top 5: their kept contributions and references.
    var trace: PhaseStatistics?
    /// Median load plus median rank-all, in seconds.
    var totalMedianSeconds: Double?
    /// Input MB per median load second.
    var loadMBPerSecond: Double?
    /// Rows per median load second.
    var loadRowsPerSecond: Double?
    /// The highest peak resident memory of the runs (each in its own process), in MiB.
    var peakMiB: Double?
    /// Peak memory over input size.
    var peakToInput: Double?
    /// The peak resident memory when the first load had finished (before any ranking), in MiB.
    var peakAfterFirstLoadMiB: Double?
    /// Indications ranked.
    var indications: Int?
    /// Ranked entries over all indications.
    var rankedEntries: Int?
    /// The sum of every indication's top score (a check that optimisations leave results alone).
    var topScoreSum: Double?
    /// Why the measurement is incomplete, if it is.
    var failure: String?
}

/// The cost of one N relative to the previous one.
struct CostRatio: Codable, Sendable {
    /// The smaller N.
    var fromRows: Int
    /// The larger N.
    var toRows: Int
    /// `toRows / fromRows`: the ratio linear cost would show.
    var rowsRatio: Double
    /// Ratio of median load times.
    var load: Double?
    /// Ratio of median rank-all times.
    var rankAll: Double?
    /// Ratio of median load + rank-all times.
    var total: Double?
    /// Ratio of peak memory.
    var peakMemory: Double?
}

/// The whole JSON document of `run --json`.
struct BenchReport: Codable, Sendable {
    /// The tool.
    var tool = "recommend-bench"
    /// `release` or `debug`: only release numbers mean anything.
    var build: String
    /// Active processor cores.
    var cores: Int
    /// Runs per N (statistics are medians over them).
    var runs: Int
    /// The generator's seed.
    var seed: UInt64
    /// The generator's shape, as `Shape.summary` describes it.
    var shape: String
    /// One result per N, in increasing N.
    var results: [BenchResult]
    /// Cost ratios between consecutive N.
    var ratios: [CostRatio]
}

/// `recommend-bench run`: generates a knowledge base per N, measures each in a child process, reports.
struct Runner {
    /// The N to measure.
    var rows: [Int]
    /// Runs per N.
    var runs: Int
    /// Whether to print JSON instead of the table.
    var json: Bool
    /// Where to keep the generated knowledge bases (`DIR/rows-N`); a temporary directory otherwise.
    var keep: String?
    /// The generator's seed.
    var seed: UInt64
    /// The generator's shape.
    var shape: Shape
    /// Seconds after which a measurement is abandoned.
    var timeout: Double?
    /// Resident bytes beyond which a measurement is abandoned.
    var memoryLimit: Int

    /// Runs the benchmark; returns the exit status (0, or 1 when a measurement failed).
    func run() throws -> Int32 {
        let fileManager = FileManager.default
        let base: String
        if let keep {
            base = keep
        } else {
            base =
                fileManager.temporaryDirectory.appendingPathComponent(
                    "recommend-bench-\(ProcessInfo.processInfo.processIdentifier)"
                ).path
        }
        defer { if keep == nil { try? fileManager.removeItem(atPath: base) } }
        let sizes = Array(Set(rows)).sorted()
        if !json { output(Runner.header(runs: runs, seed: seed, shape: shape)) }
        var results: [BenchResult] = []
        var failed = false
        for size in sizes {
            let directory = base + "/rows-\(size)"
            progress("generating \(size) rows in \(directory)")
            let summary = try Generator(rows: size, seed: seed, shape: shape).write(to: directory)
            progress(
                "generated \(summary.rows) rows, \(summary.references) references, "
                    + String(
                        format: "%.1f MB in %.2f s; measuring %d run(s)", Double(summary.bytes) / 1e6,
                        summary.seconds, runs))
            let result = try measure(size: size, directory: directory, summary: summary)
            if keep == nil { try? fileManager.removeItem(atPath: directory) }
            results.append(result)
            if result.failure != nil { failed = true }
            if !json { output(Runner.tableLine(result)) }
        }
        let ratios = zip(results, results.dropFirst()).map { Runner.ratio($0, $1) }
        if json {
            #if DEBUG
                let build = "debug"
            #else
                let build = "release"
            #endif
            let report = BenchReport(
                build: build, cores: ProcessInfo.processInfo.activeProcessorCount, runs: runs, seed: seed,
                shape: shape.summary, results: results, ratios: ratios)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            output(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            if !ratios.isEmpty { output("") }
            for ratio in ratios { output(Runner.ratioLine(ratio)) }
            for result in results { if let failure = result.failure { output("N=\(result.rows): \(failure)") } }
        }
        return failed ? 1 : 0
    }

    /// Runs the hidden `measure` subcommand of this executable on one knowledge base, once per run, each in a
    /// fresh process (so that a run's peak memory is its own, not the high-water mark of its predecessors'
    /// freed fragments), and collects the events.
    private func measure(size: Int, directory: String, summary: GenerationSummary) throws -> BenchResult {
        var events: [MeasureEvent] = []
        var failure: String?
        for _ in 0..<runs where failure == nil {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Runner.executablePath())
            var arguments = [
                "measure", "--rules", directory + "/Rules", "--evidence", directory + "/Evidence", "--runs", "1",
            ]
            if let timeout { arguments += ["--timeout", "\(timeout)"] }
            arguments += ["--memory-limit", "\(memoryLimit / 1_048_576)"]
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            do {
                try process.run()
            } catch {
                throw BenchError("cannot start the measuring process: \(error.localizedDescription)")
            }
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let decoder = JSONDecoder()
            events += output.split(separator: UInt8(ascii: "\n")).compactMap {
                try? decoder.decode(MeasureEvent.self, from: Data($0))
            }
            if process.terminationReason == .uncaughtSignal {
                failure = "the measuring process was killed by signal \(process.terminationStatus)"
            } else if process.terminationStatus != 0 {
                failure = "the measuring process exited with status \(process.terminationStatus)"
            }
        }
        var result = Runner.result(size: size, summary: summary, events: events)
        if result.failure == nil { result.failure = failure }
        if result.failure == nil, let loaded = result.loadedRecords, loaded != size {
            result.failure = "the loader returned \(loaded) records for \(size) rows"
        }
        return result
    }

    /// Builds the result of one N from the child's events.
    static func result(size: Int, summary: GenerationSummary, events: [MeasureEvent]) -> BenchResult {
        let loads = events.filter { $0.event == "load" }
        let ranks = events.filter { $0.event == "rank" }
        let traces = events.filter { $0.event == "trace" }
        let load = PhaseStatistics(
            seconds: loads.compactMap(\.seconds), cpuSeconds: loads.compactMap(\.cpuSeconds))
        let rank = PhaseStatistics(
            seconds: ranks.compactMap(\.seconds), cpuSeconds: ranks.compactMap(\.cpuSeconds))
        let peak = events.compactMap(\.peakBytes).max()
        let inputMB = Double(summary.bytes) / 1e6
        var result = BenchResult(
            rows: size, inputBytes: summary.bytes, inputMB: inputMB, generation: summary,
            loadedRecords: loads.first?.records, loadedReferences: loads.first?.references,
            warnings: loads.first?.warnings, load: load, rankAll: rank,
            trace: PhaseStatistics(seconds: traces.compactMap(\.seconds), cpuSeconds: traces.compactMap(\.cpuSeconds)))
        if let load, let rank { result.totalMedianSeconds = load.medianSeconds + rank.medianSeconds }
        if let load, load.medianSeconds > 0 {
            result.loadMBPerSecond = inputMB / load.medianSeconds
            result.loadRowsPerSecond = Double(size) / load.medianSeconds
        }
        if let peak {
            result.peakMiB = Double(peak) / 1_048_576
            result.peakToInput = summary.bytes > 0 ? Double(peak) / Double(summary.bytes) : nil
        }
        result.peakAfterFirstLoadMiB = loads.first?.peakBytes.map { Double($0) / 1_048_576 }
        result.indications = ranks.first?.indications
        result.rankedEntries = ranks.first?.entries
        result.topScoreSum = ranks.first?.topScoreSum
        if let timeout = events.first(where: { $0.event == "timeout" }) {
            result.failure = String(
                format: "timed out after %.0f s (%d of the runs' phases finished)", timeout.seconds ?? 0,
                loads.count + ranks.count)
        } else if let memory = events.first(where: { $0.event == "memory" }) {
            result.failure = String(
                format:
                    "abandoned at the memory limit (%.0f MiB resident after %.1f s; %d of the runs' phases finished)",
                Double(memory.peakBytes ?? 0) / 1_048_576, memory.seconds ?? 0, loads.count + ranks.count)
        } else if load == nil {
            result.failure = "the knowledge base did not load"
        }
        return result
    }

    /// The cost of `larger` relative to `smaller`.
    static func ratio(_ smaller: BenchResult, _ larger: BenchResult) -> CostRatio {
        func divide(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, b > 0 else { return nil }
            return a / b
        }
        return CostRatio(
            fromRows: smaller.rows, toRows: larger.rows, rowsRatio: Double(larger.rows) / Double(smaller.rows),
            load: divide(larger.load?.medianSeconds, smaller.load?.medianSeconds),
            rankAll: divide(larger.rankAll?.medianSeconds, smaller.rankAll?.medianSeconds),
            total: divide(larger.totalMedianSeconds, smaller.totalMedianSeconds),
            peakMemory: divide(larger.peakMiB, smaller.peakMiB))
    }

    /// The table's title and column header.
    static func header(runs: Int, seed: UInt64, shape: Shape) -> String {
        #if DEBUG
            let build = "DEBUG build (numbers meaningless; use -c release)"
        #else
            let build = "release build"
        #endif
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return "recommend-bench: \(build), \(cores) cores, median of \(runs) run(s) per N, seed \(seed)\n"
            + "shape \(shape.summary)\n"
            + "     rows  input MB    load s    MB/s     rows/s    rank s  rank cores   total s   trace s  peak MiB  peak/input"
    }

    /// One fixed-format table line; a phase that did not finish shows `-`.
    static func tableLine(_ result: BenchResult) -> String {
        func number(_ value: Double?, _ width: Int, _ decimals: Int) -> String {
            guard let value else { return String(repeating: " ", count: width - 1) + "-" }
            return String(format: "%\(width).\(decimals)f", value)
        }
        return String(format: "%9d", result.rows) + number(result.inputMB, 10, 2)
            + number(result.load?.medianSeconds, 10, 4) + number(result.loadMBPerSecond, 8, 1)
            + number(result.loadRowsPerSecond, 11, 0) + number(result.rankAll?.medianSeconds, 10, 4)
            + number(result.rankAll?.coresUsed, 12, 2) + number(result.totalMedianSeconds, 10, 4)
            + number(result.trace?.medianSeconds, 10, 4) + number(result.peakMiB, 10, 1)
            + number(result.peakToInput, 12, 2)
    }

    /// One line of cost ratios.
    static func ratioLine(_ ratio: CostRatio) -> String {
        func times(_ value: Double?) -> String { value.map { String(format: "%.2fx", $0) } ?? "-" }
        return "cost ratio N=\(ratio.toRows) / N=\(ratio.fromRows) (\(times(ratio.rowsRatio)) rows): "
            + "load \(times(ratio.load)), rank-all \(times(ratio.rankAll)), load+rank \(times(ratio.total)), "
            + "peak memory \(times(ratio.peakMemory))"
    }

    /// The median of `values`; `nil` when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The path of this executable, to start the `measure` child with.
    static func executablePath() -> String {
        #if os(Linux)
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
                return path
            }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments.first ?? "recommend-bench"
    }

    /// Writes a line to stdout at once (not through the C library's buffer, so that each N's line shows up
    /// as soon as it is measured, even in a pipe).
    private func output(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes a progress line to stderr.
    private func progress(_ message: String) {
        FileHandle.standardError.write(Data("recommend-bench: \(message)\n".utf8))
    }
}
