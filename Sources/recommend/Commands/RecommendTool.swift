import EvidenceModel
import RuleEngine

/// The `recommend` command: parses argv, dispatches to a subcommand, returns the exit status.
///
/// Exit status: 0 success; 1 findings or failed expectations; 2 usage or input error.
enum RecommendTool {
    static let version = "0.1.0"

    /// Every subcommand, in the order `recommend --help` lists them: the one table behind dispatch, the
    /// SUBCOMMANDS section of the help and the did-you-mean for a misspelt name. A command's name is its
    /// `spec.name`; listing a command here is all it takes to add one.
    static let commands: [any Command.Type] = [
        RankCommand.self, ExplainCommand.self, WhyNotCommand.self, SensitivityCommand.self, PlanCommand.self,
        ExportCommand.self,
        CoverageCommand.self, CheckCommand.self, TestCommand.self, DiffCommand.self, ReportCommand.self,
        CiteCommand.self,
    ]

    static let topLevel = CommandSpec(
        name: "recommend",
        summary: "Rank MSC secretome candidates (source + pre-conditioning) for therapeutic indications.",
        usage: "recommend [<subcommand>] [options]",
        options: [
            .rules, .evidence, .maxErrors, .wide,
            OptionSpec(name: "--version", valueName: nil, help: "Print the version"),
            .help,
        ],
        discussion: """
            Without a subcommand, prints the shortlist (top 5) of every indication.
            'recommend help COMMAND' shows a command's help, 'recommend version' the version.
            --rules, --evidence and --max-errors may come before the subcommand too.

            SUBCOMMANDS:
            \(CommandSpec.columns(commands.map { ($0.spec.name, $0.spec.listing ?? $0.spec.summary) }))
            See 'recommend <subcommand> --help' for the options of each.
            """)

    /// The options every command that loads a knowledge base takes, which may also come before the subcommand.
    static let globalOptions: Set<String> = ["--rules", "--evidence", "--max-errors"]

    /// `recommend --rules DIR rank …` as `recommend rank --rules DIR …`: global options (with their values)
    /// written before a subcommand are moved after it. Without a subcommand, the arguments are unchanged.
    static func movingGlobalOptions(_ arguments: [String]) -> [String] {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard globalOptions.contains(name) else { break }
            index += argument.contains("=") ? 1 : 2
        }
        guard index > 0, index < arguments.count, !arguments[index].hasPrefix("-") else { return arguments }
        return [arguments[index]] + arguments[..<index] + arguments[(index + 1)...]
    }

    /// `recommend help [COMMAND]`: the tool's help, or a command's, exit 0; an unknown command is a usage
    /// error with a did-you-mean.
    static func help(_ arguments: [String], context: inout Context) -> Int32 {
        guard let name = arguments.first else {
            context.stdout += topLevel.helpText
            return 0
        }
        guard arguments.count == 1, let command = command(named: name) else {
            let message =
                arguments.count > 1
                ? "'help' takes one command name, found \(arguments.count)"
                : "unknown subcommand '\(name)'" + Suggestion.clause(for: name, in: commands.map { $0.spec.name })
            context.usageError(UsageError(message: message, command: topLevel.name))
            return 2
        }
        context.stdout += command.spec.helpText
        return 0
    }

    /// The subcommand called `name`, if there is one.
    static func command(named name: String) -> (any Command.Type)? {
        commands.first { $0.spec.name == name }
    }

    /// Runs the tool with `arguments` (without the program name), appending to `stdout` and `stderr`.
    /// With `stream`, a command whose output is large writes it through `stream` as it is made, after what
    /// `stdout` holds so far; without, everything is appended to `stdout`.
    static func run(
        arguments: [String], stdout: inout String, stderr: inout String, terminal: Terminal = .plain,
        stream: (([UInt8]) -> Void)? = nil
    ) -> Int32 {
        var context = Context(terminal: terminal, stream: stream)
        let arguments = movingGlobalOptions(arguments)
        let status: Int32
        if arguments.first == "help" {
            status = help(Array(arguments.dropFirst()), context: &context)
        } else if arguments == ["version"] {
            context.stdout += "recommend \(version)\n"
            status = 0
        } else if let first = arguments.first, !first.hasPrefix("-") {
            if let command = command(named: first) {
                status = command.run(arguments: Array(arguments.dropFirst()), context: &context)
            } else {
                let hint = Suggestion.clause(for: first, in: commands.map { $0.spec.name })
                context.usageError(
                    UsageError(message: "unknown subcommand '\(first)'" + hint, command: topLevel.name))
                status = 2
            }
        } else {
            status = ShortlistCommand.run(arguments: arguments, context: &context)
        }
        let fitted = context.fitWidth.map { TextWidth.fitted(context.stdout, width: $0) } ?? context.stdout
        stdout += context.isMachineOutput ? fitted : TerminalText.inert(fitted, allowingColour: terminal.colorsStdout)
        stderr += TerminalText.inert(context.stderr, allowingColour: terminal.colorsStderr)
        return status
    }
}

/// What a command writes to, and how.
struct Context {
    var terminal: Terminal
    var stdout = ""
    var stderr = ""
    /// Where a large output goes as it is made (the command line's standard output); `nil` collects it in
    /// `stdout`.
    var stream: (([UInt8]) -> Void)?
    /// Whether the output is in a machine format (JSON, CSV, SARIF, JUnit, CSL-JSON), written as it is; human
    /// outputs are made terminal-safe (``TerminalText/inert(_:)``) on the way out.
    var isMachineOutput = false
    /// The width text output is fitted to (``TextWidth``); `nil` for full lines (`--wide`, machine formats,
    /// Markdown, and commands without text tables).
    var fitWidth: Int?
    /// Diagnostics shown per file before the rest are only counted (`--max-errors`); `nil` shows all.
    var maxErrors: Int? = DiagnosticRenderer.defaultLimit

    init(terminal: Terminal, stream: (([UInt8]) -> Void)? = nil) {
        self.terminal = terminal
        self.stream = stream
    }

    /// Writes `bytes` (UTF-8) after what `stdout` holds: through the stream when there is one.
    mutating func emit(_ bytes: [UInt8]) {
        guard let stream else {
            stdout += String(decoding: bytes, as: UTF8.self)
            return
        }
        if !stdout.isEmpty {
            stream(Array(stdout.utf8))
            stdout = ""
        }
        stream(bytes)
    }

    var outStyle: Style { Style(enabled: terminal.colorsStdout) }
    var errStyle: Style { Style(enabled: terminal.colorsStderr) }

    mutating func usageError(_ error: UsageError) {
        let tool = RecommendTool.topLevel.name
        let program = error.command == tool ? tool : "\(tool) \(error.command)"
        stderr += "\(errStyle.red("error:")) \(DiagnosticRenderer.inert(error.message)) [\(DiagnosticCode.e403)]\n"
        stderr += "Run '\(program) --help' for usage.\n"
    }

    /// An input error that concerns no file: a bad `--indication` (E400) or `--candidate` (E401).
    mutating func inputError(_ code: DiagnosticCode, _ message: String) {
        stderr += "\(errStyle.red("error:")) \(DiagnosticRenderer.inert(message)) [\(code)]\n"
    }
}

/// A subcommand.
protocol Command {
    static var spec: CommandSpec { get }
    static func run(arguments: [String], context: inout Context) -> Int32
}

extension Command {
    /// Parses options, handles `--help` and checks that every option of `required` is given: `.exit(0)` after
    /// printing the help, `.exit(2)` after reporting a usage error, otherwise `.run` with the options.
    static func parse(_ arguments: [String], requiring required: [String] = [], context: inout Context)
        -> ParseOutcome
    {
        switch parseOptions(arguments, for: spec) {
        case .failure(let error):
            context.usageError(error)
            return .exit(2)
        case .success(let options):
            if options.has("--help") {
                context.stdout += spec.helpText
                return .exit(0)
            }
            context.isMachineOutput = ["json", "csv", "sarif", "junit", "csl-json"].contains(
                options.value("--format") ?? "")
            if spec.options.contains(where: { $0.name == OptionSpec.wide.name }), !options.has("--wide"),
                ["text", "table"].contains(options.value("--format") ?? "text")
            {
                context.fitWidth = context.terminal.width ?? 80
            }
            switch count("--max-errors", in: options, 0...CountLimit.maxErrors, context: &context) {
            case .failure: return .exit(2)
            case .success(.number(let limit)): context.maxErrors = limit == 0 ? nil : limit
            case .success: break
            }
            return require(required, in: options, context: &context) ? .run(options) : .exit(2)
        }
    }

    /// ``parse(_:requiring:context:)`` for the commands that still take the status through `status`: nil when
    /// the command should stop, with the exit status in `status`.
    static func parse(_ arguments: [String], context: inout Context, status: inout Int32) -> ParsedOptions? {
        switch parse(arguments, context: &context) {
        case .run(let options):
            return options
        case .exit(let code):
            status = code
            return nil
        }
    }

    /// Reports the first of `names` that is missing as a usage error; returns whether all are present.
    static func require(_ names: [String], in options: ParsedOptions, context: inout Context) -> Bool {
        guard let missing = names.first(where: { !options.has($0) }) else { return true }
        context.usageError(UsageError(message: "missing required option '\(missing)'", command: spec.name))
        return false
    }

    /// The value of a count option: a whole number within `range` (bounds from ``CountLimit``) or, with
    /// `allowingAll`, the word `all`; `.absent` when not given. A failure (already reported as a usage error)
    /// when malformed or out of range, before anything is allocated for it. Every count option reads here.
    static func count(
        _ name: String, in options: ParsedOptions, _ range: ClosedRange<Int>, allowingAll: Bool = false,
        context: inout Context
    ) -> Result<CountValue, UsageError> {
        guard let text = options.value(name) else { return .success(.absent) }
        if allowingAll, text == "all" { return .success(.all) }
        guard let value = Int(text), range.contains(value) else {
            let error = UsageError(
                message: "'\(name)' needs a whole number from \(range.lowerBound) to \(range.upperBound)"
                    + (allowingAll ? " or 'all'" : "") + ", found '\(text)'", command: spec.name)
            context.usageError(error)
            return .failure(error)
        }
        return .success(.number(value))
    }

    /// ``count(_:in:_:allowingAll:context:)`` for an option from 1 to `maximum`: `nil` when absent.
    static func positiveInteger(
        _ name: String, in options: ParsedOptions, atMost maximum: Int, context: inout Context
    ) -> Result<Int?, UsageError> {
        count(name, in: options, 1...maximum, context: &context).map(\.number)
    }

    /// Loads the knowledge base named by `--rules` and `--evidence`, printing the diagnostics. Returns nil
    /// (after printing every error) when it cannot be used.
    /// With `hashed`, the knowledge base carries its content hash (for outputs that record it).
    static func load(_ options: ParsedOptions, hashed: Bool = false, context: inout Context) -> KnowledgeBase? {
        let result = KnowledgeBase.load(
            rulesDirectory: options.value("--rules") ?? "Rules",
            evidenceDirectory: options.value("--evidence") ?? "Evidence", hashing: hashed)
        if !result.diagnostics.isEmpty {
            let renderer = DiagnosticRenderer(
                sourceFiles: result.sourceFiles, style: context.errStyle, limit: context.maxErrors)
            context.stderr += renderer.render(result.diagnostics)
        }
        guard var knowledgeBase = result.knowledgeBase else { return nil }
        if hashed { knowledgeBase.contentHash = result.contentHash }
        return whatIf(knowledgeBase, options.all("--set"), context: &context)
    }

    /// `knowledgeBase` with the `--set NAME=VALUE` overrides applied; nil after a usage error.
    static func whatIf(_ knowledgeBase: KnowledgeBase, _ settings: [String], context: inout Context) -> KnowledgeBase? {
        var overrides: [Override] = []
        for setting in settings {
            switch Override.parse(setting) {
            case .success(let override): overrides.append(override)
            case .failure(let error):
                context.usageError(UsageError(message: "invalid '--set': " + error.message, command: spec.name))
                return nil
            }
        }
        switch knowledgeBase.applying(overrides) {
        case .success(let applied): return applied
        case .failure(let error):
            context.usageError(UsageError(message: "invalid '--set': " + error.message, command: spec.name))
            return nil
        }
    }

    /// Resolves `--indication` values (all indications when none is given), reporting unknown ones.
    static func indications(_ names: [String], in rules: RuleSet, context: inout Context) -> [Indication]? {
        guard !names.isEmpty else { return rules.indications }
        var result: [Indication] = []
        for name in names {
            guard let indication = rules.indication(IndicationID(name)) else {
                let known = rules.indications.map(\.id.rawValue)
                context.inputError(
                    .e400,
                    "unknown indication '\(name)'" + Suggestion.clause(for: name, in: known) + "; the indications are "
                        + known.joined(separator: ", "))
                return nil
            }
            if !result.contains(where: { $0.id == indication.id }) { result.append(indication) }
        }
        return result
    }
}
