import Testing

@testable import recommend

/// The one table of subcommands, `RecommendTool.commands`, drives dispatch, the top-level help and the
/// did-you-mean for a misspelt name; these tests iterate over it, so a new command is covered by adding it there.
@Suite("Command table")
struct CommandTableTests {
    /// The name of every subcommand, in table order.
    static let names = RecommendTool.commands.map { $0.spec.name }

    @Test("every subcommand's --help exits 0 with its help on stdout and nothing on stderr", arguments: names)
    func help(name: String) throws {
        let outcome = runTool([name, "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("OVERVIEW: "))
        #expect(outcome.stderr == "")
        let command = try #require(RecommendTool.command(named: name))
        #expect(outcome.stdout == command.spec.helpText)
    }

    @Test("names are unique, so dispatch reaches every command of the table")
    func uniqueNames() {
        #expect(Set(Self.names).count == Self.names.count)
        for command in RecommendTool.commands {
            #expect(RecommendTool.command(named: command.spec.name) == command)
        }
    }

    @Test("the top-level help lists every command of the table exactly once, in table order")
    func topLevelHelp() throws {
        let outcome = runTool(["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "SUBCOMMANDS:")) + 1
        let end = try #require(lines[start...].firstIndex(of: ""))
        let listed = lines[start..<end].map { line in
            let name = line.drop { $0 == " " }.prefix { $0 != " " }
            let description = line.drop { $0 == " " }.dropFirst(name.count).drop { $0 == " " }
            return (name: String(name), description: String(description))
        }
        #expect(listed.map(\.name) == Self.names)
        for (command, entry) in zip(RecommendTool.commands, listed) {
            #expect(entry.description == command.spec.listing ?? command.spec.summary)
        }
        for line in lines[start..<end] {
            #expect(line.count <= 120, "\(line)")
        }
    }

    @Test("a misspelt subcommand exits 2 and suggests the nearest name of the table")
    func misspeltSubcommand() {
        let outcome = runTool(["sensitivty"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout == "")
        #expect(
            outcome.stderr
                == "error: unknown subcommand 'sensitivty' — did you mean 'sensitivity'? [E403]\n"
                + "Run 'recommend --help' for usage.\n")
    }

    @Test("report without --out, or with a misspelt option, exits 2 with a usage error")
    func reportUsageErrors() {
        let missing = runTool(["report"])
        #expect(missing.status == 2)
        #expect(missing.stdout == "")
        #expect(
            missing.stderr
                == "error: missing required option '--out' [E403]\nRun 'recommend report --help' for usage.\n")
        let misspelt = runTool(["report", "--outt", "report.html"])
        #expect(misspelt.status == 2)
        #expect(misspelt.stdout == "")
        #expect(
            misspelt.stderr
                == "error: unknown option '--outt' — did you mean '--out'? [E403]\nRun 'recommend report --help' for usage.\n"
        )
    }
}

/// Issue 16, findings 8 and 9: one convention for the command line, and help that fits 80 columns.
@Suite("Command-line conventions")
struct ConventionTests {
    @Test("every help fits 80 columns, and every --help exits 0 with nothing on stderr")
    func helpWidth() {
        for name in [nil] + RecommendTool.commands.map({ Optional($0.spec.name) }) {
            let outcome = runTool((name.map { [$0] } ?? []) + ["--help"])
            #expect(outcome.status == 0)
            #expect(outcome.stderr == "")
            for line in outcome.stdout.split(separator: "\n") where line.count > 80 {
                Issue.record("\(name ?? "recommend") --help: \(line.count) columns: \(line)")
            }
        }
    }

    @Test("help [COMMAND] and version are commands; global options may come before the subcommand")
    func helpAndVersion() {
        #expect(runTool(["help"]).stdout == runTool(["--help"]).stdout)
        #expect(runTool(["help", "rank"]).stdout == runTool(["rank", "--help"]).stdout)
        let unknown = runTool(["help", "rnak"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: unknown subcommand 'rnak' — did you mean 'rank'?"))
        #expect(runTool(["version"]).stdout == "recommend \(RecommendTool.version)\n")
        #expect(runTool(["version"]).stdout == runTool(["--version"]).stdout)
        let before = runTool([
            "--rules", packageRoot + "/Rules", "--evidence=" + packageRoot + "/Evidence", "rank", "--top", "1",
        ])
        #expect(before.status == 0)
        #expect(before.stdout == runTool(["rank", "--top", "1"] + shippedBase).stdout)
    }

    @Test("an option followed by another option lacks its value; 'table' is an alias of the human format 'text'")
    func valuesAndAliases() {
        let missing = runTool(["rank", "--top", "--format", "json"] + shippedBase)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: missing value for '--top N'"))
        let text = runTool(["rank", "--format", "text", "--top", "2"] + shippedBase)
        #expect(text.status == 0)
        #expect(text.stdout == runTool(["rank", "--format", "table", "--top", "2"] + shippedBase).stdout)
        #expect(text.stdout == runTool(["rank", "--top", "2"] + shippedBase).stdout)
        #expect(
            runTool(["coverage", "--format", "text"] + shippedBase).stdout == runTool(["coverage"] + shippedBase).stdout
        )
    }

    @Test(
        "text output fits 80 columns when not on a terminal, and --wide gives the same words in full lines",
        arguments: [
            [], ["rank"], ["explain", "--indication", "wound-healing", "--candidate", "adipose+hypoxia"],
            ["why-not", "--indication", "wound-healing", "--candidate", "menstrual-blood+none"],
            ["sensitivity", "--indication", "wound-healing", "--runs", "3"], ["coverage"], ["test"],
        ])
    func fitted(arguments: [String]) {
        let fitted = runTool(arguments + shippedBase)
        let wide = runTool(arguments + ["--wide"] + shippedBase)
        #expect(fitted.status == wide.status)
        for line in fitted.stdout.split(separator: "\n") where line.count > 80 {
            // Only a line with no space to break at may be longer: a TSV row to paste, tabs between its fields.
            #expect(!line.drop { $0 == " " }.contains(" "), "\(line.count) columns: \(line)")
        }
        #expect(wide.stdout.split(separator: "\n").contains { $0.count > 80 })
        #expect(
            fitted.stdout.split(whereSeparator: \.isWhitespace) == wide.stdout.split(whereSeparator: \.isWhitespace))
    }
}

@Suite("Fitting text to a width")
struct TextWidthTests {
    @Test("a last word too wide for its column continues four spaces in, so the line still fits")
    func wideLastWord() {
        let line = "requires anti-inflammatory  weight 2  (/tmp/clean17b/Rules/indications.rules:7:3)"
        #expect(line.count == 81)
        #expect(
            TextWidth.fitted(line, width: 80)
                == "requires anti-inflammatory  weight 2\n    (/tmp/clean17b/Rules/indications.rules:7:3)")
        // Paths of any length: every line fits unless a single word is wider than the width.
        for extra in 0..<60 {
            let path = "(/" + String(repeating: "d", count: extra) + "/Rules/indications.rules:7:3)"
            let fitted = TextWidth.fitted("requires anti-inflammatory  weight 2  " + path, width: 80)
            for piece in fitted.split(separator: "\n") where piece.count > 80 {
                #expect(!piece.drop { $0 == " " }.contains(" "), "\(piece)")
            }
            #expect(fitted.split(whereSeparator: \.isWhitespace).last.map(String.init) == path)
        }
    }
}
