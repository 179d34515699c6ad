import Foundation

/// The command line of `recommend-bench`: `generate`, `run`, and the hidden `measure` used by `run`.
enum BenchCommand {
    static let usage = """
        usage: recommend-bench generate --rows N --out DIR [--seed S] [SHAPE]
               recommend-bench run [--rows N,N,...] [--runs R] [--seed S] [--json] [--keep DIR]
                                   [--timeout SEC] [--memory-limit MIB] [SHAPE]
               recommend-bench shapes

        generate  writes a synthetic knowledge base with N evidence rows: DIR/Rules/*.rules and
                  DIR/Evidence/{references,secretome,function,mechanisms,comparisons}.tsv, byte-identical for
                  a seed and a shape
        run       for each N (default 10000,100000,1000000): generates a knowledge base, then measures it, each
                  run in a fresh child process (median of R runs, default 5): load time (read, parse, validate,
                  index), rank-all time (index, then every candidate of every indication scored and
                  ranked), trace time (the kept contributions and references of the first indication's
                  top 5), peak memory, MB/s and rows/s.
                  Prints a table (or, with --json, a JSON document) and the cost ratio between consecutive N.
                  --keep DIR keeps the knowledge bases in DIR/rows-N. A measurement is abandoned, and the
                  phases that finished are reported, after --timeout SEC seconds (default: none) or when
                  its resident memory exceeds --memory-limit MIB (default: half the physical memory).
                  Build with -c release.
        shapes    lists the preset shapes with their parameters

        SHAPE     --shape standard|skewed|wide (default standard), then any of these to change it:
                  --sources N --preconditionings N (with none) --components N --activities N --indications N
                  --component-exponent S --component-offset K (component i drawn with weight 1/(i+K)^S)
                  --mechanism-exponent S (the same law for the components of mechanism rows; 0 = even)
                  --secretome F --function F --mechanisms F --comparisons F (row shares, summing to 1)
                  --rows-per-reference N --any-msc F (share of papers) --baseline F (share of rows)
                  --links A-B (activities per component)
        """

    /// Runs the command line `arguments` (without the program name); returns the exit status.
    static func main(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            printError(usage)
            return 2
        }
        if command == "--help" || command == "-h" || command == "help" {
            print(usage)
            return 0
        }
        do {
            var options = try Options(Array(arguments.dropFirst()))
            if options.flags.contains("help") {
                print(usage)
                return 0
            }
            switch command {
            case "generate":
                let rows = try options.count("rows") ?? { throw BenchError("generate needs --rows N") }()
                let out = try options.value("out") ?? { throw BenchError("generate needs --out DIR") }()
                let seed = try options.seed()
                let shape = try options.shape()
                try options.finish()
                let summary = try Generator(rows: rows, seed: seed, shape: shape).write(to: out)
                print(
                    "wrote \(out): \(summary.rows) rows (\(summary.secretome) secretome, \(summary.functions) "
                        + "function, \(summary.mechanisms) mechanisms, \(summary.comparisons) comparisons), "
                        + "\(summary.references) references, "
                        + String(format: "%.1f MB in %.2f s", Double(summary.bytes) / 1e6, summary.seconds))
                return 0
            case "shapes":
                try options.finish()
                for shape in Shape.presets { print(shape.summary) }
                return 0
            case "run":
                let rows = try options.countList("rows") ?? [10_000, 100_000, 1_000_000]
                let runs = try options.count("runs") ?? 5
                let memoryLimit = try options.count("memory-limit").map { $0 * 1_048_576 }
                let runner = Runner(
                    rows: rows, runs: runs, json: options.flag("json"), keep: try options.value("keep"),
                    seed: try options.seed(), shape: try options.shape(), timeout: try options.seconds("timeout"),
                    memoryLimit: memoryLimit ?? Int(ProcessInfo.processInfo.physicalMemory / 2))
                try options.finish()
                return try runner.run()
            case "measure":
                let rules = try options.value("rules") ?? { throw BenchError("measure needs --rules DIR") }()
                let evidence = try options.value("evidence") ?? { throw BenchError("measure needs --evidence DIR") }()
                let runs = try options.count("runs") ?? 1
                let timeout = try options.seconds("timeout")
                let memoryLimit = try options.count("memory-limit").map { $0 * 1_048_576 }
                try options.finish()
                return Measure.run(
                    rules: rules, evidence: evidence, runs: runs, timeout: timeout, memoryLimit: memoryLimit)
            default:
                throw BenchError("unknown subcommand '\(command)'")
            }
        } catch let error as UsageError {
            printError("recommend-bench: \(error.message)\n\n\(usage)")
            return 2
        } catch {
            printError("recommend-bench: \(error)")
            return 2
        }
    }

    /// Writes `message` and a line feed to stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// A malformed command line.
struct UsageError: Error {
    /// What is wrong.
    var message: String
}

/// `--name value` options and `--flag` flags, consumed as they are read so that leftovers can be reported.
struct Options {
    private var values: [String: String] = [:]
    /// The flags given (without `--`).
    private(set) var flags: Set<String> = []
    private static let flagNames: Set<String> = ["json", "help"]

    /// Parses `arguments`: every option is `--name value` or `--name=value`, except the known flags.
    init(_ arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw UsageError(message: "unexpected argument '\(argument)'")
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if Options.flagNames.contains(name) && value == nil {
                flags.insert(name)
            } else {
                if value == nil {
                    index += 1
                    guard index < arguments.count else { throw UsageError(message: "--\(name) needs a value") }
                    value = arguments[index]
                }
                guard values[name] == nil else { throw UsageError(message: "--\(name) given twice") }
                values[name] = value
            }
            index += 1
        }
    }

    /// Whether flag `--name` was given (and consumes it).
    mutating func flag(_ name: String) -> Bool {
        flags.remove(name) != nil
    }

    /// The value of `--name`, if given (and consumes it).
    mutating func value(_ name: String) throws -> String? {
        values.removeValue(forKey: name)
    }

    /// A positive count such as `1000000`, `1_000_000` or `1e6`.
    mutating func count(_ name: String) throws -> Int? {
        try value(name).map { try Options.parseCount($0, option: name) }
    }

    /// A comma-separated list of positive counts.
    mutating func countList(_ name: String) throws -> [Int]? {
        try value(name).map { text in
            try text.split(separator: ",", omittingEmptySubsequences: false).map {
                try Options.parseCount(String($0), option: name)
            }
        }
    }

    /// A positive number of seconds.
    mutating func seconds(_ name: String) throws -> Double? {
        try value(name).map { text in
            guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
                throw UsageError(message: "--\(name): '\(text)' is not a positive number of seconds")
            }
            return seconds
        }
    }

    /// The `--seed` value (default 42).
    mutating func seed() throws -> UInt64 {
        guard let text = try value("seed") else { return 42 }
        guard let seed = UInt64(text) else {
            throw UsageError(message: "--seed: '\(text)' is not an unsigned 64-bit integer")
        }
        return seed
    }

    /// The shape: `--shape` (a preset, default `standard`) changed by any shape parameter given.
    mutating func shape() throws -> Shape {
        let name = try value("shape") ?? "standard"
        guard var shape = Shape.presets.first(where: { $0.name == name }) else {
            throw UsageError(
                message: "--shape: '\(name)' is not a preset (\(Shape.presets.map(\.name).joined(separator: ", ")))")
        }
        let preset = shape
        func integer(_ option: String, _ keyPath: WritableKeyPath<Shape, Int>) throws {
            if let n = try count(option) { shape[keyPath: keyPath] = n }
        }
        func fraction(_ option: String, _ keyPath: WritableKeyPath<Shape, Double>) throws {
            guard let text = try value(option) else { return }
            guard let x = Double(text), x.isFinite else {
                throw UsageError(message: "--\(option): '\(text)' is not a number")
            }
            shape[keyPath: keyPath] = x
        }
        try integer("sources", \.sources)
        try integer("preconditionings", \.preconditionings)
        try integer("components", \.components)
        try integer("activities", \.activities)
        try integer("indications", \.indications)
        try integer("rows-per-reference", \.rowsPerReference)
        try fraction("component-exponent", \.componentExponent)
        try fraction("component-offset", \.componentOffset)
        try fraction("mechanism-exponent", \.mechanismExponent)
        try fraction("secretome", \.secretomeShare)
        try fraction("function", \.functionShare)
        try fraction("mechanisms", \.mechanismShare)
        try fraction("comparisons", \.comparisonShare)
        try fraction("any-msc", \.anyMSCShare)
        try fraction("baseline", \.baselineShare)
        if let text = try value("links") {
            let parts = text.split(separator: "-").map { Int($0) }
            guard parts.count == 2, let low = parts[0], let high = parts[1], low <= high else {
                throw UsageError(message: "--links: '\(text)' is not a range A-B")
            }
            shape.linksPerComponent = low...high
        }
        if shape != preset { shape.name = "custom" }
        if let problem = shape.problem { throw UsageError(message: problem) }
        return shape
    }

    /// Fails on any option or flag that was not consumed.
    func finish() throws {
        if let name = (Array(values.keys) + Array(flags)).sorted().first {
            throw UsageError(message: "unknown option '--\(name)'")
        }
    }

    /// Parses `1000000`, `1_000_000` or `1e6` (a positive count at most 10^9).
    static func parseCount(_ text: String, option: String) throws -> Int {
        let plain = text.replacingOccurrences(of: "_", with: "").trimmingCharacters(in: .whitespaces)
        var count: Int?
        if let exact = Int(plain) {
            count = exact
        } else if let e = plain.firstIndex(where: { $0 == "e" || $0 == "E" }), let mantissa = Int(plain[..<e]),
            let exponent = Int(plain[plain.index(after: e)...]), (0...9).contains(exponent)
        {
            count = (0..<exponent).reduce(mantissa) { value, _ in value * 10 }
        }
        guard let count, count > 0, count <= 1_000_000_000 else {
            throw UsageError(message: "--\(option): '\(text)' is not a positive count (at most 1e9)")
        }
        return count
    }
}

exit(BenchCommand.main(Array(CommandLine.arguments.dropFirst())))
