import Foundation
import RuleEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line the `measure` child prints on stdout as soon as a phase is done, so that the parent keeps the
/// phases that finished even when a later one runs out of time.
struct MeasureEvent: Codable, Sendable {
    /// `load`, `rank`, `trace`, `peak`, `timeout` or `memory` (the memory limit was exceeded).
    var event: String
    /// The run (0-based) for `load` and `rank`.
    var run: Int?
    /// Wall-clock seconds of the phase.
    var seconds: Double?
    /// CPU seconds (user + system, all threads) of the phase.
    var cpuSeconds: Double?
    /// For `load`: the records loaded (secretome, function, mechanism and comparison rows).
    var records: Int?
    /// For `load`: the references loaded.
    var references: Int?
    /// For `load`: the warnings of the load.
    var warnings: Int?
    /// For `rank`: the indications ranked.
    var indications: Int?
    /// For `rank`: the ranked entries over all indications; for `trace`: the references of the traced ones.
    var entries: Int?
    /// For `rank`: the sum of every indication's top score, a cheap check that results did not change.
    var topScoreSum: Double?
    /// The process's peak resident memory so far, in bytes.
    var peakBytes: Int?
}

/// The in-process measurement, run in a child process per N so that each N has its own memory peak.
enum Measure {
    /// Loads the knowledge base and ranks every indication `runs` times, printing a `MeasureEvent` line per
    /// phase and one with the peak memory at the end. A watchdog ends the process early, printing an event
    /// first: after `timeout` seconds (`timeout` event, exit 3) or when the resident memory exceeds
    /// `memoryLimit` bytes (`memory` event, exit 4), so that a slow or bloated library cannot hang the
    /// benchmark or take the machine's memory. Returns the exit status.
    static func run(rules: String, evidence: String, runs: Int, timeout: Double?, memoryLimit: Int?) -> Int32 {
        if timeout != nil || memoryLimit != nil { startWatchdog(timeout: timeout, memoryLimit: memoryLimit) }
        let clock = ContinuousClock()
        for run in 0..<runs {
            // Each run's knowledge base and rankings are released before the next run starts.
            let status = measureOnce(run: run, rules: rules, evidence: evidence, clock: clock)
            if status != 0 { return status }
        }
        emit(MeasureEvent(event: "peak", peakBytes: peakResidentBytes()))
        return 0
    }

    /// One load and one rank-all, each timed; returns 0, or 2 when the knowledge base has errors.
    private static func measureOnce(run: Int, rules: String, evidence: String, clock: ContinuousClock) -> Int32 {
        let cpuBeforeLoad = cpuSeconds()
        let loadStart = clock.now
        let result = KnowledgeBase.load(rulesDirectory: rules, evidenceDirectory: evidence)
        let loadTime = (clock.now - loadStart).seconds
        let loadCPU = cpuSeconds() - cpuBeforeLoad
        guard let knowledgeBase = result.knowledgeBase else {
            let errors = result.diagnostics.filter { $0.severity == .error }
            FileHandle.standardError.write(
                Data("recommend-bench: the knowledge base has \(errors.count) error(s):\n".utf8))
            for diagnostic in errors.prefix(10) {
                FileHandle.standardError.write(Data("  \(diagnostic.headline)\n".utf8))
            }
            return 2
        }
        let evidenceBase = knowledgeBase.evidence
        emit(
            MeasureEvent(
                event: "load", run: run, seconds: loadTime, cpuSeconds: loadCPU,
                records: evidenceBase.secretome.count + evidenceBase.functions.count + evidenceBase.mechanisms.count
                    + evidenceBase.comparisons.count,
                references: evidenceBase.references.count,
                warnings: result.diagnostics.filter { $0.severity == .warning }.count,
                peakBytes: peakResidentBytes()))

        let cpuBeforeRank = cpuSeconds()
        let rankStart = clock.now
        let recommender = Recommender(knowledgeBase: knowledgeBase)
        let rankings = recommender.rankAll()
        let rankTime = (clock.now - rankStart).seconds
        let rankCPU = cpuSeconds() - cpuBeforeRank
        emit(
            MeasureEvent(
                event: "rank", run: run, seconds: rankTime, cpuSeconds: rankCPU, indications: rankings.count,
                entries: rankings.reduce(0) { $0 + $1.entries.count },
                topScoreSum: rankings.reduce(0.0) { $0 + ($1.entries.first?.evaluation.score ?? 0) },
                peakBytes: peakResidentBytes()))

        // A shortlist's traces (kept contributions, references): the top 5 of the first indication, as
        // `rank --format json --top 5` and `cite` build them.
        let cpuBeforeTrace = cpuSeconds()
        let traceStart = clock.now
        let traced = rankings.first.map { recommender.tracing($0, first: 5) }
        let traceTime = (clock.now - traceStart).seconds
        emit(
            MeasureEvent(
                event: "trace", run: run, seconds: traceTime, cpuSeconds: cpuSeconds() - cpuBeforeTrace,
                entries: traced?.entries.prefix(5).reduce(0) { $0 + $1.evaluation.references.count },
                peakBytes: peakResidentBytes()))
        return 0
    }

    /// Starts a thread that checks the elapsed time and the peak resident memory every 20 ms and ends the
    /// process at once when either is over its limit.
    private static func startWatchdog(timeout: Double?, memoryLimit: Int?) {
        let start = ContinuousClock.now
        Thread.detachNewThread {
            while true {
                Thread.sleep(forTimeInterval: 0.02)
                let peak = peakResidentBytes()
                if let memoryLimit, peak > memoryLimit {
                    emit(MeasureEvent(event: "memory", seconds: (ContinuousClock.now - start).seconds, peakBytes: peak))
                    _exit(4)
                }
                if let timeout, (ContinuousClock.now - start).seconds > timeout {
                    emit(MeasureEvent(event: "timeout", seconds: timeout, peakBytes: peak))
                    _exit(3)
                }
            }
        }
    }

    /// Writes one event as a JSON line to stdout, unbuffered.
    private static func emit(_ event: MeasureEvent) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(event) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// The process's peak resident set size (`ru_maxrss`) in bytes.
    static func peakResidentBytes() -> Int {
        let usage = resourceUsage()
        #if canImport(Darwin)
            return Int(usage.ru_maxrss)  // bytes on Darwin
        #else
            return Int(usage.ru_maxrss) * 1024  // KiB on Linux
        #endif
    }

    /// User plus system CPU time of the process (all threads) so far, in seconds.
    static func cpuSeconds() -> Double {
        let usage = resourceUsage()
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// `getrusage(RUSAGE_SELF)`.
    private static func resourceUsage() -> rusage {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return usage
    }
}
