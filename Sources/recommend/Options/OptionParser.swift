import EvidenceModel

/// One option a command accepts: drives both parsing and `--help`.
struct OptionSpec: Sendable {
    /// The long name, with dashes: `--top`.
    var name: String
    /// The value's placeholder (`N`), or `nil` for a flag.
    var valueName: String?
    /// One line of help.
    var help: String
    /// Whether the option may be given more than once.
    var isRepeatable = false
    /// The allowed values, if the option takes one of a fixed set.
    var choices: [String]? = nil
    /// Other spellings of some choices, accepted and read as the choice (`table` for `text`, the human format's
    /// name in earlier versions of `rank` and `coverage`).
    var aliases: [String: String] = [:]

    static let help = OptionSpec(name: "--help", valueName: nil, help: "Show this help and exit")
    static let set = OptionSpec(
        name: "--set", valueName: "NAME=VALUE",
        help: "What-if: override a policy value (level.ID, product.ID, discount.NAME, minimum-support) or a rule "
            + "weight (INDICATION.ACTIVITY) for this run", isRepeatable: true)
    static let rules = OptionSpec(
        name: "--rules", valueName: "DIR", help: "Directory of *.rules files (default: ./Rules)")
    static let evidence = OptionSpec(
        name: "--evidence", valueName: "DIR", help: "Directory of the evidence TSV files (default: ./Evidence)")
    static let wide = OptionSpec(
        name: "--wide", valueName: nil,
        help: "Print text lines in full, however long (default: fit to the terminal, 80 columns when not one)")
    static let maxErrors = OptionSpec(
        name: "--max-errors", valueName: "N",
        help: "Diagnostics shown per file; the rest are counted (default: 100; 0 shows all)")
}

/// A command's name, summary and options.
struct CommandSpec: Sendable {
    /// The name typed on the command line: `rank`, or `recommend` for the tool itself.
    var name: String
    /// One sentence, the OVERVIEW of the command's `--help`.
    var summary: String
    /// The command's line in the SUBCOMMANDS list of `recommend --help`, shorter than `summary` and without a
    /// final period; `nil` lists the summary.
    var listing: String? = nil
    var usage: String
    var options: [OptionSpec]
    var discussion: String = ""

    /// The help text, generated from the option table.
    var helpText: String {
        var text = "OVERVIEW: \(summary)\n\nUSAGE: \(usage)\n"
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        text += "\nOPTIONS:\n"
        text += Self.columns(
            options.map { option in
                var left = option.name
                if let value = option.valueName { left += " \(value)" }
                var help = option.help
                if let choices = option.choices { help += " (\(choices.joined(separator: "|")))" }
                if option.isRepeatable { help += "; may be repeated" }
                return (left, help)
            })
        return Self.wrapped(text)
    }

    /// `text` fitted to `width` columns: runs of unindented lines are one paragraph, refilled; an indented line
    /// is wrapped on its own, its continuation lines indented to its text or, for a two-column row (a term, two
    /// or more spaces, a description), to its description. A word longer than the width is not broken.
    static func wrapped(_ text: String, width: Int = 80) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        func flush() {
            guard !paragraph.isEmpty else { return }
            let joined = paragraph.joined(separator: " ")
            out += TextWidth.fill(joined, width: width, indent: joined.hasPrefix("USAGE: ") ? 7 : 0)
            paragraph = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let indent = line.prefix { $0 == " " }.count
            if line.isEmpty || indent > 0 || line.hasSuffix(":") {
                flush()
                if line.count <= width || indent == 0 {
                    out.append(line)
                } else {
                    out += TextWidth.fill(
                        line, width: width, indent: TextWidth.hangingIndent(line, indent: indent, width: width))
                }
            } else {
                paragraph.append(line)
            }
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// `rows` as the lines of a help section: each indented by two spaces, the descriptions aligned two spaces
    /// after the longest term.
    static func columns(_ rows: [(term: String, description: String)]) -> String {
        let width = (rows.map(\.term.count).max() ?? 0) + 2
        return rows.map { row in
            "  " + row.term + String(repeating: " ", count: width - row.term.count) + row.description + "\n"
        }.joined()
    }
}

/// The options given on the command line, after validation against a ``CommandSpec``.
struct ParsedOptions: Sendable {
    private(set) var values: [String: [String]] = [:]

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { values[name] != nil }

    mutating func add(_ name: String, _ value: String) { values[name, default: []].append(value) }
}

/// What reading a command's arguments decided: run with the options, or stop at once with an exit status —
/// 0 after printing `--help`, 2 after reporting a usage error.
enum ParseOutcome: Sendable {
    case run(ParsedOptions)
    case exit(Int32)
}

/// A usage error: exit 2 with a pointer to `--help`.
struct UsageError: Error, Sendable {
    var message: String
    var command: String
}

/// Parses `arguments` against `spec`: `--flag`, `--option value`, `--option=value`; `--` ends the options.
/// Positional arguments are not accepted by any command.
func parseOptions(_ arguments: [String], for spec: CommandSpec) -> Result<ParsedOptions, UsageError> {
    var parsed = ParsedOptions()
    var index = 0
    func fail(_ message: String) -> Result<ParsedOptions, UsageError> {
        .failure(UsageError(message: message, command: spec.name))
    }
    while index < arguments.count {
        let argument = arguments[index]
        index += 1
        if argument == "--" {
            if index < arguments.count { return fail("unexpected argument '\(arguments[index])'") }
            break
        }
        let (name, inlineValue): (String, String?) = {
            if argument == "-h" { return ("--help", nil) }
            guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
            return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
        }()
        guard name.hasPrefix("-") else {
            return fail("unexpected argument '\(argument)'")
        }
        guard let option = spec.options.first(where: { $0.name == name }) else {
            let hint = Suggestion.clause(for: name, in: spec.options.map(\.name))
            return fail("unknown option '\(name)'" + hint)
        }
        var value = ""
        if option.valueName != nil {
            if let inlineValue {
                value = inlineValue
            } else {
                // An option's value never starts with "--": `--top --format json` lacks --top's value.
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    return fail("missing value for '\(name) \(option.valueName ?? "")'")
                }
                value = arguments[index]
                index += 1
            }
            if value.isEmpty { return fail("empty value for '\(name)'") }
            value = option.aliases[value] ?? value
            if let choices = option.choices, !choices.contains(value) {
                return fail(
                    "invalid value '\(value)' for '\(name)'" + Suggestion.clause(for: value, in: choices)
                        + "; expected one of " + choices.joined(separator: ", "))
            }
        } else if inlineValue != nil {
            return fail("'\(name)' takes no value")
        }
        if parsed.has(name), !option.isRepeatable {
            return fail("'\(name)' given more than once")
        }
        parsed.add(name, value)
    }
    return .success(parsed)
}
