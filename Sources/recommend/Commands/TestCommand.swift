import EvidenceModel
import RuleEngine

/// `recommend test`: runs the rule expectations of `Rules/tests/*.expect`.
enum TestCommand: Command {
    static let spec = CommandSpec(
        name: "test",
        summary: "Run the rule expectations (Rules/tests/*.expect) against the knowledge base.",
        listing: "Run the rule expectations of Rules/tests/*.expect",
        usage: "recommend test [--tests DIR] [--format text|json|junit]",
        options: [
            OptionSpec(name: "--tests", valueName: "DIR", help: "Directory of *.expect files (default: RULES/tests)"),
            OptionSpec(
                name: "--format", valueName: "FORMAT", help: "Output format (default: text)",
                choices: ["text", "json", "junit"]),
            .rules, .evidence, .maxErrors, .wide, .help,
        ],
        discussion: """
            Prints each expectation's result with the expected and the actual rank and score, then the
            expectation coverage: indications without expectations, and rule lines that no expectation
            exercises. Exit status: 0 all pass, 1 a failure, 2 an input error. The format is docs/expectations.md.
            """)

    static func run(arguments: [String], context: inout Context) -> Int32 {
        var status: Int32 = 0
        guard let options = parse(arguments, context: &context, status: &status) else { return status }
        guard let knowledgeBase = load(options, hashed: options.value("--format") == "json", context: &context)
        else { return 2 }
        let directory = options.value("--tests") ?? FileSystem.join(options.value("--rules") ?? "Rules", "tests")
        guard FileSystem.isDirectory(directory), let names = FileSystem.files(in: directory, withSuffix: ".expect"),
            !names.isEmpty
        else {
            context.inputError(
                .e520, "no *.expect files in '\(directory)'; write expectations there or pass --tests DIR")
            return 2
        }
        var expectations: [Expectation] = []
        var diagnostics: [Diagnostic] = []
        var sourceFiles: [String: SourceFile] = [:]
        for name in names {
            let path = FileSystem.join(directory, name)
            switch FileSystem.readFile(path) {
            case .success(let bytes):
                sourceFiles[path] = SourceFile(path: path, bytes: bytes)
                let parsed = ExpectationParser.parse(bytes: bytes, path: path, knowledgeBase: knowledgeBase)
                expectations += parsed.expectations
                diagnostics += parsed.diagnostics
            case .failure(let failure): diagnostics.append(.error(.e301, failure.description, at: nil))
            }
        }
        if !diagnostics.isEmpty {
            context.stderr += DiagnosticRenderer(
                sourceFiles: sourceFiles, style: context.errStyle, limit: context.maxErrors
            ).render(diagnostics)
            return 2
        }
        let (results, coverage) = ExpectationRunner.run(expectations, with: Recommender(knowledgeBase: knowledgeBase))
        let renderer = ExpectationRenderer(
            results: results, coverage: coverage, contentHash: knowledgeBase.contentHash, style: context.outStyle)
        switch options.value("--format") ?? "text" {
        case "json": context.stdout += renderer.json()
        case "junit": context.stdout += renderer.junit()
        default: context.stdout += renderer.text()
        }
        context.stderr += renderer.summary
        return results.allSatisfy(\.passed) ? 0 : 1
    }
}
