import Foundation
import RuleEngine
import Testing

@testable import recommend

/// The `recommend` tool, in process through `RecommendTool.run` and, for a few cases, as the built binary.
@Suite("recommend command line")
struct CommandLineTests {
    static let fixture: String = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)
        return (url?.path ?? "Tests/RuleEngineTests/Fixtures") + "/mini"
    }()
    static let kb = ["--rules", fixture + "/Rules", "--evidence", fixture + "/Evidence"]

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String]) -> Outcome {
        var out = ""
        var err = ""
        let status = RecommendTool.run(arguments: arguments, stdout: &out, stderr: &err)
        // Paths of the fixture vary between machines; golden files use a placeholder.
        return Outcome(
            status: status, stdout: out.replacingOccurrences(of: Self.fixture, with: "FIXTURE"),
            stderr: err.replacingOccurrences(of: Self.fixture, with: "FIXTURE"))
    }

    @Test(
        "outputs match their golden files",
        arguments: [
            ("shortlist.txt", [String]()),
            ("rank.txt", ["rank"]),
            ("rank.json", ["rank", "--format", "json"]),
            ("rank.md", ["rank", "--format=markdown"]),
            ("rank.csv", ["rank", "--format", "csv"]),
            ("rank-untested.txt", ["rank", "--include-untested", "--top", "3"]),
            // Full lines where the output names the fixture's path, whose length (and so the wrapping) varies.
            ("explain.txt", ["explain", "--indication", "wound", "--candidate", "ASC+hypoxia", "--wide"]),
            (
                "explain-ineligible.txt",
                ["explain", "--indication", "wound", "--candidate", "bone-marrow+none", "--wide"]
            ),
            (
                "explain.json",
                ["explain", "--indication", "wound", "--candidate", "adipose+hypoxia", "--format", "json"]
            ),
            ("export.json", ["export"]),
            ("coverage.txt", ["coverage"]),
            ("coverage.md", ["coverage", "--format", "markdown"]),
            ("coverage.json", ["coverage", "--format", "json"]),
        ])
    func golden(name: String, arguments: [String]) throws {
        let outcome = run(arguments + Self.kb)
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
        try expectGolden(outcome.stdout, named: name)
    }

    @Test("the explained score is the one computed by hand")
    func handComputedScore() {
        // angiogenesis, absolute: F1 0.6 and S1→M1 0.3×1×0.6×1×0.5 = 0.09 → H(P) = (0.6 + 0.09/4)/(π²/6).
        // Advantage: X1 (hypoxic vs normoxic ASC CM, in vitro) 0.3×1×1×1×(+1) = 0.3 → H(W) = 0.3/(π²/6); X2
        // (adipose+none worse than bone-marrow+none on VEGFA, EVs) reaches adipose+hypoxia from its baseline:
        // 0.3×1×0.6(M1)×0.8×1×0.5×(−1)×(+1) = −0.072 → H(|L|) = 0.072/(π²/6).
        // pro-fibrotic (avoided): F3 any-msc 0.3×1×0.4×0.8 = 0.096 → H = 0.096/(π²/6).
        let angiogenesis = (0.6 + 0.09 / 4) / zeta2 - 0 + 0.3 / zeta2 - 0.072 / zeta2
        let fibrotic = 0.096 / zeta2
        let score = (3 * angiogenesis - 1 * fibrotic) / 4
        let outcome = run(["explain", "--indication", "wound", "--candidate", "adipose+hypoxia"] + Self.kb)
        #expect(outcome.stdout.contains("score \(String(format: "%.6f", score)) = "))
        #expect(String(format: "%.6f", score) == "0.373191")
        #expect(outcome.stdout.contains("support 0.517042 = absolute 0.378435 + advantage 0.138607"))
    }

    @Test("help is generated from the option table and printed on stdout", arguments: ["rank", "explain", "export"])
    func help(command: String) throws {
        let outcome = run([command, "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("OVERVIEW: "))
        let spec = try #require(RecommendTool.command(named: command)).spec
        #expect(spec.options.count >= 4)
        for option in spec.options {
            #expect(outcome.stdout.contains("  \(option.name)"))
        }
    }

    @Test("--version")
    func version() {
        #expect(run(["--version"]).stdout == "recommend \(RecommendTool.version)\n")
    }

    @Test(
        "usage errors exit 2 with a message on stderr",
        arguments: [
            (
                ["rnak"],
                "error: unknown subcommand 'rnak' — did you mean 'rank'? [E403]\nRun 'recommend --help' for usage.\n"
            ),
            (
                ["rank", "--tpo", "3"],
                "error: unknown option '--tpo' — did you mean '--top'? [E403]\nRun 'recommend rank --help' for usage.\n"
            ),
            (["rank", "--top"], "error: missing value for '--top N' [E403]\nRun 'recommend rank --help' for usage.\n"),
            (
                ["rank", "--top", "0"],
                "error: '--top' needs a whole number from 1 to 1000000, found '0' [E403]\nRun 'recommend rank --help' for usage.\n"
            ),
            (
                ["rank", "--format", "jsn"],
                "error: invalid value 'jsn' for '--format' — did you mean 'json'?; expected one of text, json, "
                    + "markdown, csv [E403]\nRun 'recommend rank --help' for usage.\n"
            ),
            (
                ["rank", "--top", "1", "--top", "2"],
                "error: '--top' given more than once [E403]\nRun 'recommend rank --help' for usage.\n"
            ),
            (["rank", "extra"], "error: unexpected argument 'extra' [E403]\nRun 'recommend rank --help' for usage.\n"),
            (
                ["rank", "--include-untested=yes"],
                "error: '--include-untested' takes no value [E403]\nRun 'recommend rank --help' for usage.\n"
            ),
            (
                ["explain", "--indication", "wound"],
                "error: missing required option '--candidate' [E403]\nRun 'recommend explain --help' for usage.\n"
            ),
        ])
    func usageErrors(arguments: [String], message: String) {
        let outcome = run(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr == message)
    }

    @Test("input errors exit 2: unknown indication and candidate, missing directories")
    func inputErrors() {
        let indication = run(["rank", "--indication", "wond"] + Self.kb)
        #expect(indication.status == 2)
        #expect(
            indication.stderr
                == "error: unknown indication 'wond' — did you mean 'wound'?; the indications are wound [E400]\n"
        )
        let candidate = run(["explain", "--indication", "wound", "--candidate", "adipose+hypoxa"] + Self.kb)
        #expect(candidate.status == 2)
        #expect(candidate.stderr == "error: unknown pre-conditioning 'hypoxa' — did you mean 'hypoxia'? [E401]\n")
        let malformed = run(["explain", "--indication", "wound", "--candidate", "adipose"] + Self.kb)
        #expect(
            malformed.stderr
                == "error: candidate 'adipose' is not of the form SOURCE+PRECONDITIONING, e.g. adipose+hypoxia [E401]\n"
        )
        let missing = run(["rank", "--rules", "/nonexistent/Rules", "--evidence", "/nonexistent/Evidence"])
        #expect(missing.status == 2)
        #expect(missing.stdout == "")
        #expect(
            missing.stderr == """
                error: rules directory '/nonexistent/Rules' does not exist; pass the directory with the *.rules files \
                using --rules DIR [E200]
                error: evidence directory '/nonexistent/Evidence' does not exist; pass the directory with \
                references.tsv, secretome.tsv, function.tsv and mechanisms.tsv (and, optionally, comparisons.tsv) using \
                --evidence DIR [E300]
                2 errors generated

                """)
    }

    @Test("rules without indications: a warning, and nothing to rank")
    func noIndications() throws {
        let directory = try TemporaryDirectory()
        let rules = try String(contentsOfFile: Self.fixture + "/Rules/mini.rules", encoding: .utf8)
        let cut = try #require(rules.range(of: "indication wound"))
        try directory.write("Rules/mini.rules", String(rules[..<cut.lowerBound]))
        let outcome = run(["rank", "--rules", directory.path + "/Rules", "--evidence", Self.fixture + "/Evidence"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "")
        #expect(
            outcome.stderr.hasPrefix(
                "\(directory.path)/Rules/mini.rules:1:1: warning: the rules declare no indication, so there is nothing "
                    + "to rank; add an 'indication NAME … end' block [W406]\n"))
    }

    @Test("an indication with no candidates: said so, not an empty table")
    func noCandidates() throws {
        let directory = try TemporaryDirectory()
        try directory.copyFixtureEvidence(["references.tsv", "mechanisms.tsv"])
        try directory.write("Evidence/secretome.tsv", secretomeHeader)
        try directory.write(
            "Evidence/function.tsv", functionHeader + fn("F1", "any-msc", "none", "angiogenesis", ref: "r1"))
        let outcome = run(
            ["rank", "--wide", "--rules", Self.fixture + "/Rules", "--evidence", directory.path + "/Evidence"])
        #expect(outcome.status == 0)
        #expect(
            outcome.stdout == """
                wound: Wound <healing> & "repair" (0 candidates, 0 eligible)
                  (no candidates: no secretome, function or comparison record names a source and pre-conditioning)

                """)
    }

    @Test("a directory where an evidence file is expected")
    func directoryForFile() throws {
        let directory = try TemporaryDirectory()
        try directory.copyFixtureEvidence(["references.tsv", "secretome.tsv", "mechanisms.tsv"])
        try FileManager.default.createDirectory(
            atPath: directory.path + "/Evidence/function.tsv", withIntermediateDirectories: true)
        let outcome = run(["rank", "--rules", Self.fixture + "/Rules", "--evidence", directory.path + "/Evidence"])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr
                == "error: '\(directory.path)/Evidence/function.tsv' is a directory, not a file [E301]\n1 error generated\n"
        )
    }

    @Test("a rules directory without any *.rules file")
    func emptyRulesDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("Rules/readme.txt", "not rules")
        let outcome = run(["rank", "--rules", directory.path + "/Rules", "--evidence", Self.fixture + "/Evidence"])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr
                == "error: rules directory '\(directory.path)/Rules' contains no *.rules file [E200]\n1 error generated\n"
        )
    }

    @Test("an evidence directory without one of its files")
    func missingEvidenceFile() throws {
        let directory = try TemporaryDirectory()
        for name in ["references.tsv", "secretome.tsv", "function.tsv"] {
            try directory.write(name, try String(contentsOfFile: Self.fixture + "/Evidence/\(name)", encoding: .utf8))
        }
        let outcome = run(["rank", "--rules", Self.fixture + "/Rules", "--evidence", directory.path])
        #expect(outcome.status == 2)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr == "error: missing file '\(directory.path)/mechanisms.tsv' [E301]\n1 error generated\n")
    }

    @Test("a broken rule file: every error located, the line quoted with a caret, nothing on stdout")
    func brokenRules() throws {
        let directory = try TemporaryDirectory()
        let rules = try String(contentsOfFile: Self.fixture + "/Rules/mini.rules", encoding: .utf8)
            .replacingOccurrences(of: "requires angiogenesis      weight 3", with: "requires angiogensis      weight 3")
            .replacingOccurrences(of: "level in-vitro 0.3", with: "level in-vitro 3")
        try directory.write("Rules/mini.rules", rules)
        let outcome = run(["rank", "--rules", directory.path + "/Rules", "--evidence", Self.fixture + "/Evidence"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout == "")
        let path = directory.path + "/Rules/mini.rules"
        #expect(
            outcome.stderr == """
                \(path):5:18: error: level 'in-vitro' must be a number between 0 and 1, found 3.0 [E204]
                  level in-vitro 3
                                 ^
                \(path):41:12: error: unknown activity 'angiogensis' — did you mean 'angiogenesis'? [E207]
                  requires angiogensis      weight 3 because "vessels"
                           ^
                2 errors generated

                """)
    }

    /// The built executable, next to the test bundle.
    static var binary: URL? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("recommend"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "recommend"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs the built executable, in `directory` when given (so that the default `./Rules` and `./Evidence`
    /// are those there).
    func runBinary(
        _ arguments: [String], environment: [String: String] = [:], in directory: String? = nil
    ) throws -> Outcome {
        let binary = try #require(Self.binary, "the recommend executable was not built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("the binary: exit codes, streams, no colour when piped")
    func binary() throws {
        let ok = try runBinary(["rank", "--format", "csv"] + Self.kb)
        #expect(ok.status == 0)
        #expect(ok.stderr == "")
        #expect(ok.stdout.hasPrefix("# recommend \(RecommendTool.version) · knowledge base sha256:"))
        #expect(ok.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("indication,rank,candidate,") == true)
        #expect(!ok.stdout.contains("\u{1B}["))
        let usage = try runBinary(["rank", "--bogus"])
        #expect(usage.status == 2)
        #expect(usage.stdout == "")
        #expect(usage.stderr.hasPrefix("error: unknown option '--bogus'"))
        let broken = try TemporaryDirectory()
        try broken.write("Evidence/references.tsv", Data([0x72, 0x65, 0x66, 0x00, 0xFF]))
        try broken.copyFixtureEvidence(["secretome.tsv", "function.tsv", "mechanisms.tsv"])
        let input = try runBinary(["--rules", Self.fixture + "/Rules", "--evidence", broken.path + "/Evidence"])
        #expect(input.status == 2)
        #expect(input.stdout == "")
        let path = broken.path + "/Evidence/references.tsv"
        #expect(
            input.stderr == """
                \(path):1:4: error: NUL byte in a text file: is this a binary file? (reading of this file stopped \
                here) [E317]
                ref\u{FFFD}\u{FFFD}
                   ^
                1 error generated

                """)
    }

    @Test("output is byte-identical across processes (each with its own hash seed)")
    func deterministic() throws {
        let commands = [
            ["export"], ["rank", "--format", "json", "--include-untested"],
            ["explain", "--indication", "wound", "--candidate", "bone-marrow+hypoxia", "--format", "json"],
        ]
        for command in commands {
            let first = try runBinary(command + Self.kb)
            let second = try runBinary(command + Self.kb)
            #expect(first.status == 0)
            #expect(first.stdout == second.stdout)
            #expect(!first.stdout.isEmpty)
        }
    }

    @Test("diagnostics quote the line of a CRLF file too")
    func crlfExcerpt() throws {
        let directory = try TemporaryDirectory()
        let rules = try String(contentsOfFile: Self.fixture + "/Rules/mini.rules", encoding: .utf8)
            .replacingOccurrences(of: "minimum-level in-vivo", with: "minimum-level invivo")
            .replacingOccurrences(of: "\n", with: "\r\n")
        try directory.write("Rules/mini.rules", rules)
        let outcome = run(["rank", "--rules", directory.path + "/Rules", "--evidence", Self.fixture + "/Evidence"])
        #expect(
            outcome.stderr == """
                \(directory.path)/Rules/mini.rules:44:17: error: unknown level 'invivo' — did you mean 'in-vivo'?; \
                the policy declares clinical, in-vitro, in-vivo [E211]
                  minimum-level invivo
                                ^
                1 error generated

                """)
    }

    @Test("control characters in a file are shown inert, never sent to the terminal")
    func inertExcerpt() throws {
        let directory = try TemporaryDirectory()
        let rules = try String(contentsOfFile: Self.fixture + "/Rules/mini.rules", encoding: .utf8)
            .replacingOccurrences(of: "minimum-level in-vivo", with: "minimum-level \u{1B}[31min-vivo")
        try directory.write("Rules/mini.rules", rules)
        let outcome = run(["rank", "--rules", directory.path + "/Rules", "--evidence", Self.fixture + "/Evidence"])
        #expect(outcome.status == 2)
        #expect(!outcome.stderr.contains("\u{1B}"))
        #expect(outcome.stderr.contains("unknown level '\u{FFFD}[31min-vivo'"))
    }
}

/// Compares `actual` with `Golden/<name>`; rewrites it only when UPDATE_GOLDEN=1. A missing golden fails.
func expectGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try Data(actual.utf8).write(to: url)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record(
            "missing golden file \(name); run with UPDATE_GOLDEN=1 to record it", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "output differs from Golden/\(name)", sourceLocation: sourceLocation)
}

@Suite("Number formatting")
struct NumberFormatTests {
    @Test("the C library's %.Nf prints what String(format:) prints, ties, tiny, huge and negative values included")
    func printfMatchesFoundation() {
        var generator = SplitMix64.stream(7, 0)
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.000_05, -0.000_05, 1e-300, 1e300, -1e21, 0.1 + 0.2]
        for _ in 0..<20_000 {
            let magnitude = pow(10, generator.unit() * 12 - 8)
            values.append((generator.unit() - 0.5) * magnitude)
        }
        for value in values {
            for digits in [0, 2, 4, 6] {
                #expect(NumberFormat.printf(value, digits) == String(format: "%.\(digits)f", value), "\(value)")
            }
        }
    }
}

@Suite("JSON text")
struct JSONTextTests {
    /// The escaping JSON promises, one scalar at a time: what `writeString`'s fast path must agree with.
    private func escapedByHand(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0..<0x20, 0x7F, 0x2028, 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test("strings escape quotes, backslashes, control characters, DEL, U+2028 and U+2029, and nothing else")
    func escaping() {
        let samples = [
            "", "plain", "IL-6 ↑ (γ)", "a\"b", "back\\slash", "line\nbreak\r\t", "\u{1b}[2J", "\u{7f}",
            "\u{2028}x\u{2029}",
            "€ – “quoted” …", "e\u{301}", "\u{1}", "\u{0}",
        ]
        var generator = SplitMix64.stream(11, 0)
        let alphabet: [Unicode.Scalar] = [
            "a", "\"", "\\", "\n", "\u{1}", "\u{7f}", "\u{2028}", "\u{2029}", "–", "€", "γ", "😀",
        ]
        var random: [String] = []
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int(generator.unit() * 8) {
                text.unicodeScalars.append(alphabet[Int(generator.unit() * Double(alphabet.count)) % alphabet.count])
            }
            random.append(text)
        }
        for value in samples + random {
            #expect(JSON.quoted(value) == escapedByHand(value), "\(value.unicodeScalars.map(\.value))")
        }
    }

    @Test("a document streamed through an output buffer is the rendered one, with the placeholder's text spliced in")
    func streamedEqualsRendered() {
        let value = JSON.object([
            ("a", .array([.int(1), .number(0.25), .string("x\ny"), .null])),
            ("list", JSON.placeholder),
            ("nested", .object([("deep", .array([.bool(true), .object([])]))])),
        ])
        var bytes: [UInt8] = []
        let buffer = OutputBuffer(capacity: 7) { bytes += $0 }
        value.write(into: buffer, indent: 4) { $0.append("[\"r1\", \"r2\"]") }
        buffer.drain()
        let expected = value.rendered(indent: 4).replacingOccurrences(of: "\u{1}", with: "[\"r1\", \"r2\"]")
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(expected.contains("\"list\": [\"r1\", \"r2\"],\n"))
    }
}
