public import EvidenceModel

/// Rules and evidence, loaded and resolved against each other.
public struct KnowledgeBase: Sendable {
    /// The rule set: vocabulary, policy, indications.
    public var rules: RuleSet
    /// The evidence.
    public var evidence: EvidenceBase
    /// SHA-256 over the names and bytes of the files it was loaded from, as ``LoadResult/contentHash``; empty
    /// unless set from there (hashing 100 MB takes about half a second, so only outputs that record the hash
    /// pay for it).
    public var contentHash = ""
    /// The what-if overrides applied to the rules for this run (`--set`), in order; empty for the files as
    /// they are. Every output that shows results records them.
    public var overrides: [Override] = []

    /// Combines a rule set and evidence resolved against its vocabulary.
    public init(rules: RuleSet, evidence: EvidenceBase) {
        self.rules = rules
        self.evidence = evidence
    }

    /// What loading produced: the knowledge base when there was no error, every diagnostic, and the
    /// text of every file read (for quoting lines in diagnostics).
    public struct LoadResult: Sendable {
        /// The knowledge base; `nil` when any diagnostic is an error.
        public var knowledgeBase: KnowledgeBase?
        /// Every diagnostic, sorted by place.
        public var diagnostics: [Diagnostic]
        /// The files read, as bytes (their lines are split only when asked for, by ``sourceFiles``).
        var files: [(path: String, bytes: [UInt8])]
        /// The content hash, when the load computed it (beside parsing, on another core).
        var hash: String?

        /// SHA-256 over the names and bytes of the files read (rule files in name order, then the evidence
        /// files, comparisons.tsv last when there is one), independent of the directories' paths. Computed on
        /// each access, unless the load was asked to compute it.
        public var contentHash: String { hash ?? Self.contentHash(of: files) }

        static func contentHash(of files: [(path: String, bytes: [UInt8])]) -> String {
            var hash = SHA256()
            for file in files {
                let label = file.path.hasSuffix(".rules") ? "Rules/" : "Evidence/"
                let name = label + (file.path.split(separator: "/").last.map(String.init) ?? file.path)
                hash.update(Array(name.utf8) + [0])
                hash.update(Array(String(file.bytes.count).utf8) + [0])
                hash.update(file.bytes)
            }
            return hash.hexDigest()
        }

        /// The files read, by path, for quoting lines in diagnostics. Built on each access.
        public var sourceFiles: [String: SourceFile] {
            var result: [String: SourceFile] = [:]
            for file in files { result[file.path] = SourceFile(path: file.path, bytes: file.bytes) }
            return result
        }
    }

    /// Parses the rule files (already read) and returns the rule set and all diagnostics.
    public static func parseRules(_ files: [(path: String, bytes: [UInt8])]) -> (
        rules: RuleSet?, diagnostics: [Diagnostic]
    ) {
        var diagnostics: [Diagnostic] = []
        var syntax: [RuleFileSyntax] = []
        for file in files {
            let parsed = Parser.parse(bytes: file.bytes, path: file.path)
            syntax.append(parsed.syntax)
            diagnostics += parsed.diagnostics
        }
        // A file that is not UTF-8 text (E101), or holds a NUL byte (E102), has no usable declarations;
        // checking the others against it would only report what is missing from it.
        if diagnostics.contains(where: { $0.code == .e101 || $0.code == .e102 }) {
            return (nil, diagnostics.sorted())
        }
        let built = RuleSetBuilder.build(syntax)
        // A problem in a line that indications inherit is the same problem: say it once.
        var seen = Set<Diagnostic>()
        diagnostics += built.diagnostics.filter { seen.insert($0).inserted }
        // Only worth saying when nothing else is wrong: otherwise the errors explain it.
        if let rules = built.rules, rules.indications.isEmpty, !diagnostics.containsErrors, let first = files.first {
            diagnostics.append(
                .warning(
                    .w406,
                    "the rules declare no indication, so there is nothing to rank; add an "
                        + "'indication NAME … end' block", at: SourceSpan(path: first.path, line: 1, column: 1)))
        }
        return (built.rules, diagnostics.sorted())
    }

    /// Loads every `*.rules` file of `rulesDirectory` (in name order) and the evidence TSV files of
    /// `evidenceDirectory`. Never throws: missing directories and files are diagnostics too. With `hashing`,
    /// the content hash is computed while the files are parsed (outputs that record it need it; hashing 100 MB
    /// takes about a third of a second of one core).
    public static func load(rulesDirectory: String, evidenceDirectory: String, hashing: Bool = false) -> LoadResult {
        var diagnostics: [Diagnostic] = []
        var ruleFiles: [(path: String, bytes: [UInt8])] = []
        if !FileSystem.isDirectory(rulesDirectory) {
            let what = FileSystem.exists(rulesDirectory) ? "is not a directory" : "does not exist"
            diagnostics.append(
                .error(
                    .e200,
                    "rules directory '\(rulesDirectory)' \(what); pass the directory with the *.rules files "
                        + "using --rules DIR", at: nil))
        } else if let names = FileSystem.files(in: rulesDirectory, withSuffix: ".rules"), !names.isEmpty {
            for name in names {
                let path = FileSystem.join(rulesDirectory, name)
                switch FileSystem.readFile(path) {
                case .success(let bytes):
                    ruleFiles.append((path, bytes))
                case .failure(let failure): diagnostics.append(.error(.e301, failure.description, at: nil))
                }
            }
        } else {
            diagnostics.append(
                .error(.e200, "rules directory '\(rulesDirectory)' contains no *.rules file", at: nil))
        }
        let evidenceRead = EvidenceFiles.read(directory: evidenceDirectory)
        diagnostics += evidenceRead.diagnostics
        guard diagnostics.isEmpty, let files = evidenceRead.files else {
            return LoadResult(knowledgeBase: nil, diagnostics: diagnostics.sorted(), files: ruleFiles)
        }
        let allFiles = ruleFiles + files.all
        let (read, before) = (ruleFiles, diagnostics)
        guard hashing else { return parse(read, files, allFiles: allFiles, diagnostics: before) }
        let results = ConcurrentResults<LoadResult>.map(2) { task in
            task == 0
                ? LoadResult(knowledgeBase: nil, diagnostics: [], files: [], hash: LoadResult.contentHash(of: allFiles))
                : parse(read, files, allFiles: allFiles, diagnostics: before)
        }
        guard results.count == 2 else { return parse(read, files, allFiles: allFiles, diagnostics: before) }
        var result = results[1]
        result.hash = results[0].hash
        return result
    }

    /// The rules and evidence of files already read, and the diagnostics so far.
    private static func parse(
        _ ruleFiles: [(path: String, bytes: [UInt8])], _ files: EvidenceFiles,
        allFiles: [(path: String, bytes: [UInt8])], diagnostics: [Diagnostic]
    ) -> LoadResult {
        var diagnostics = diagnostics
        let parsed = parseRules(ruleFiles)
        diagnostics += parsed.diagnostics
        guard let rules = parsed.rules, !parsed.diagnostics.containsErrors else {
            return LoadResult(knowledgeBase: nil, diagnostics: diagnostics.sorted(), files: allFiles)
        }
        let evidence = EvidenceLoader.load(files, vocabulary: rules.vocabulary)
        diagnostics += evidence.diagnostics
        guard !diagnostics.containsErrors else {
            return LoadResult(knowledgeBase: nil, diagnostics: diagnostics.sorted(), files: allFiles)
        }
        let knowledgeBase = KnowledgeBase(rules: rules, evidence: evidence.evidence)
        return LoadResult(knowledgeBase: knowledgeBase, diagnostics: diagnostics.sorted(), files: allFiles)
    }
}
