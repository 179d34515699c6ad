import EvidenceModel
import Foundation
import RuleEngine
import Testing

@testable import recommend

/// `recommend check`: every lint finding planted at an exact place, suppressions, the four formats, and a
/// broken copy of the shipped rules.
@Suite("recommend check")
struct CheckTests {
    static let fixture = CommandLineTests.fixture

    /// The mini fixture with planted problems, written to a temporary directory.
    static func plantedKnowledgeBase() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let rules = try String(contentsOfFile: fixture + "/Rules/mini.rules", encoding: .utf8)
        try directory.write(
            "Rules/mini.rules",
            rules + """

                source placenta
                end
                # check-ignore W403: kept for the next curation round
                component HGF
                end
                component IGF1
                end
                # check-ignore W403
                component FGF2
                end
                activity myogenesis  # check-ignore W401: nothing to suppress here
                end
                indication muscle
                  requires myogenesis weight 1 because "fibres"
                end

                """)
        let references = try String(contentsOfFile: fixture + "/Evidence/references.tsv", encoding: .utf8)
        try directory.write(
            "Evidence/references.tsv",
            references + "r4\t10.0000/fixture.4\t\tFixture D\t2023\tUnused but intended\tJ\n"
                + "r5\t10.0000/fixture.5\t\tFixture E\t2023\tUnused\tJ\n")
        var secretome = try String(contentsOfFile: fixture + "/Evidence/secretome.tsv", encoding: .utf8)
        secretome += "S2\tadipose\thypoxia\tconditioned-medium\tVEGFA\tdown\tin-vitro\thuman\tr2\t\n"
        try directory.write("Evidence/secretome.tsv", secretome)
        try directory.copyFixtureEvidence(["function.tsv", "mechanisms.tsv"])
        // X3 contradicts X1 (same reference, measure and product); X4 measures a component no mechanism links.
        try directory.write(
            "Evidence/comparisons.tsv",
            comparisonsHeader
                + cmp("X1", "ASC", "hypoxia", versus: "ASC", "none", "angiogenesis")
                + cmp("X3", "adipose", "none", versus: "adipose", "hypoxia", "angiogenesis")
                + cmp("X4", "adipose", "none", versus: "bone-marrow", "none", "IGF1", ref: "r2"))
        return directory
    }

    func run(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        var out = ""
        var err = ""
        let status = RecommendTool.run(arguments: arguments, stdout: &out, stderr: &err)
        return (status, out, err)
    }

    @Test("every lint finding at its exact place; suppressions listed with their reasons")
    func planted() throws {
        let kb = try Self.plantedKnowledgeBase()
        let report = Checker.check(rulesDirectory: kb.path + "/Rules", evidenceDirectory: kb.path + "/Evidence")
        let rules = kb.path + "/Rules/mini.rules"
        let evidence = kb.path + "/Evidence"
        #expect(
            report.findings.map(\.headline) == [
                "\(evidence)/comparisons.tsv:3:1: warning: 'r1' reports adipose+hypoxia both better and worse than "
                    + "adipose+none on angiogenesis (X1, X3); say in the notes how the assays differ, or fix the "
                    + "outcome [W407]",
                "\(evidence)/comparisons.tsv:4:1: warning: comparison 'X4' measures 'IGF1', which no mechanism links "
                    + "to an activity, so it counts for no candidate; add the mechanism record that shows the link, or "
                    + "measure the activity [W408]",
                "\(evidence)/references.tsv:5:1: warning: reference 'r4' is cited by no record; remove it or add the "
                    + "records it supports [W401]",
                "\(evidence)/references.tsv:6:1: warning: reference 'r5' is cited by no record; remove it or add the "
                    + "records it supports [W401]",
                "\(evidence)/secretome.tsv:3:1: warning: 'r2' reports VEGFA of adipose+hypoxia both up (S1) and down "
                    + "(S2); say in the notes how the comparisons differ, or fix the direction [W405]",
                "\(rules):47:8: warning: source 'placenta' has no secretome, function or comparison record [W404]",
                "\(rules):47:8: warning: source 'placenta' has no ontology identifier (UBERON or CL); add 'term "
                    + "PREFIX:ID' as the ontology's own page gives it, or suppress with the reason none fits [W409]",
                "\(rules):50:11: warning: component 'HGF' has no ontology identifier (HGNC, miRBase or ChEBI); add "
                    + "'term PREFIX:ID' as the ontology's own page gives it, or suppress with the reason none fits "
                    + "[W409]",
                "\(rules):52:11: warning: component 'IGF1' has no ontology identifier (HGNC, miRBase or ChEBI); add "
                    + "'term PREFIX:ID' as the ontology's own page gives it, or suppress with the reason none fits "
                    + "[W409]",
                "\(rules):54:3: warning: suppression of W403 gives no reason; write 'check-ignore CODE: why the "
                    + "finding is intended' [W490]",
                "\(rules):55:11: warning: component 'FGF2' is declared but never used [W403]",
                "\(rules):55:11: warning: component 'FGF2' has no ontology identifier (HGNC, miRBase or ChEBI); add "
                    + "'term PREFIX:ID' as the ontology's own page gives it, or suppress with the reason none fits "
                    + "[W409]",
                "\(rules):57:10: warning: activity 'myogenesis' has no ontology identifier (GO); add 'term "
                    + "PREFIX:ID' as the ontology's own page gives it, or suppress with the reason none fits [W409]",
                "\(rules):57:24: warning: suppression of W401 matches no finding; remove it [W491]",
                "\(rules):59:12: warning: indication 'muscle' has no ontology identifier (MONDO, EFO or HP); add "
                    + "'term PREFIX:ID' as the ontology's own page gives it, or suppress with the reason none fits "
                    + "[W409]",
                "\(rules):60:3: warning: no function record, mechanism or comparison reaches 'myogenesis', so no "
                    + "candidate can ever be eligible for 'muscle' [W402]",
            ])
        try #require(report.findings.count == 16)
        #expect(report.findings[0].notes.map { $0.span?.description } == ["\(evidence)/comparisons.tsv:2:1"])
        #expect(report.findings[4].notes.map { $0.span?.description } == ["\(evidence)/secretome.tsv:2:1"])
        // The fixture's own terms have no identifiers, each suppressed on its line (W409).
        #expect(
            report.suppressed.filter { $0.finding.code != .w409 }.map(\.finding.code.rawValue) == [
                "W403", "W403", "W403",
            ])
        #expect(report.suppressed.filter { $0.finding.code == .w409 }.count == 8)
        #expect(
            report.suppressed.filter { $0.finding.code != .w409 }.map(\.reason) == [
                "the full level scale, though no fixture record is clinical", "the full product scale",
                "kept for the next curation round",
            ])
        #expect(
            report.suppressed.filter { $0.finding.code != .w409 }.map(\.suppression.description) == [
                "\(rules):3:26", "\(rules):12:26", "\(rules):49:3",
            ])
        #expect(!report.fails(strict: false))
        #expect(report.fails(strict: true))
    }

    @Test("ontology identifiers: W409 without one, W410 for one of an ontology the kind does not take")
    func ontologyIdentifiers() throws {
        let rules =
            basePolicy + """
                source any-msc
                  term CL:0000134
                end
                source adipose
                  term GO:0001525
                end
                source bone-marrow
                end
                preconditioning none
                end
                component VEGFA
                  term hgnc:12680
                end
                component HGF
                  term mirbase.mature:MIMAT0000001
                end
                activity angiogenesis
                  term GO0001525
                end
                indication test
                  term MONDO:0000001
                  requires angiogenesis weight 1 because "v"
                end

                """
        let kb = try #require(loadInMemory(rules: rules).knowledgeBase)
        let findings = Checker.lint(kb).filter { $0.code == .w409 || $0.code == .w410 }
        #expect(
            findings.map(\.headline) == [
                "test.rules:18:8: warning: 'GO:0001525' on source 'adipose' is not an identifier of UBERON or CL; write "
                    + "PREFIX:ID as the ontology's own page gives it [W410]",
                "test.rules:21:8: warning: source 'bone-marrow' has no ontology identifier (UBERON or CL); add 'term "
                    + "PREFIX:ID' as the ontology's own page gives it, or suppress with the reason none fits [W409]",
                "test.rules:31:10: warning: 'GO0001525' on activity 'angiogenesis' is not an identifier of GO; write "
                    + "PREFIX:ID as the ontology's own page gives it [W410]",
            ])
    }

    @Test("a suppression in an evidence row's note")
    func evidenceSuppression() throws {
        let kb = try Self.plantedKnowledgeBase()
        // references.tsv has no note column: suppress in a record instead (W405 on S2's row).
        var secretome = try String(contentsOfFile: kb.path + "/Evidence/secretome.tsv", encoding: .utf8)
        secretome = secretome.replacingOccurrences(
            of: "\tdown\tin-vitro\thuman\tr2\t\n",
            with: "\tdown\tin-vitro\thuman\tr2\tserum-free vs serum; check-ignore W405: different comparisons\n")
        try kb.write("Evidence/secretome.tsv", secretome)
        let report = Checker.check(rulesDirectory: kb.path + "/Rules", evidenceDirectory: kb.path + "/Evidence")
        #expect(!report.findings.contains { $0.code == .w405 })
        // Sorted by place: the evidence file's path sorts before the rules file's.
        #expect(
            report.suppressed.filter { $0.finding.code != .w409 }.map(\.finding.code.rawValue) == [
                "W405", "W403", "W403", "W403",
            ])
        #expect(report.suppressed.first?.reason == "different comparisons")
        #expect(report.suppressed.first?.suppression.description == "\(kb.path)/Evidence/secretome.tsv:3:89")
    }

    @Test("exit status: 0 clean, 1 on errors (and warnings with --strict), 2 on usage errors")
    func exitStatus() throws {
        let kb = try Self.plantedKnowledgeBase()
        let args = ["check", "--rules", kb.path + "/Rules", "--evidence", kb.path + "/Evidence"]
        #expect(run(args).status == 0)
        #expect(run(args + ["--strict"]).status == 1)
        let clean = run(["check", "--strict"] + CommandLineTests.kb)
        #expect(clean.status == 0)
        #expect(clean.stderr == "check: 0 errors, 0 warnings, 10 suppressed\n")
        #expect(clean.stdout.contains("suppressed:\n"))
        #expect(run(["check", "--format", "xml"]).status == 2)
        #expect(run(["check", "--rules", "/nonexistent"] + ["--evidence", Self.fixture + "/Evidence"]).status == 2)
    }

    /// A copy of the shipped rules with planted errors, and where each was planted.
    static func brokenShippedRules() throws -> (
        directory: TemporaryDirectory, planted: [(code: String, line: Int, column: Int)]
    ) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = try TemporaryDirectory()
        var planted: [(String, Int, Int)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path + "/Rules")
        where name.hasSuffix(".rules") {
            var text = try String(contentsOfFile: root.path + "/Rules/" + name, encoding: .utf8)
            if name == "indications.rules" {
                // An unknown activity and a weight of zero.
                text = text.replacingOccurrences(of: "requires angiogenesis ", with: "requires angiogensis  ")
                text = text.replacingOccurrences(
                    of: "supports re-epithelialization weight 2", with: "supports re-epithelialization weight 0")
                let lines = text.components(separatedBy: "\n")
                for (offset, line) in lines.enumerated() {
                    if let range = line.range(of: "angiogensis") {
                        planted.append(
                            ("E207", offset + 1, line.distance(from: line.startIndex, to: range.lowerBound) + 1))
                    }
                    if line.contains("re-epithelialization weight 0"), let range = line.range(of: "0  because") {
                        planted.append(
                            ("E209", offset + 1, line.distance(from: line.startIndex, to: range.lowerBound) + 1))
                    }
                }
            }
            try directory.write("Rules/" + name, text)
        }
        return (directory, planted)
    }

    @Test("a broken copy of the shipped rules: the planted findings in all four formats")
    func brokenShipped() throws {
        let (directory, planted) = try Self.brokenShippedRules()
        try #require(planted.count >= 2)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let args = ["check", "--rules", directory.path + "/Rules", "--evidence", root + "/Evidence"]
        let path = directory.path + "/Rules/indications.rules"
        let text = run(args)
        #expect(text.status == 1)
        let github = run(args + ["--format", "github"])
        #expect(github.status == 1)
        let json = run(args + ["--format", "json"])
        let sarif = run(args + ["--format", "sarif"])
        let sarifDocument = try #require(
            try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let results = ((sarifDocument["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        for (code, line, column) in planted {
            #expect(text.stdout.contains("\(path):\(line):\(column): error: "), "\(code) missing in text")
            #expect(text.stdout.contains("[\(code)]"))
            #expect(github.stdout.contains("::error file=\(path),line=\(line),col=\(column),title=\(code)::"))
            #expect(json.stdout.contains("\"code\": \"\(code)\""))
            let matching = results.filter { ($0["ruleId"] as? String) == code }
            let regions = matching.compactMap {
                (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"]
                    as? [String: Int]
            }
            #expect(regions.contains { $0["startLine"] == line && $0["startColumn"] == column }, "\(code) in SARIF")
        }
        #expect((sarifDocument["version"] as? String) == "2.1.0")
    }

    @Test("GitHub annotations escape what would break the command syntax")
    func githubEscaping() {
        #expect(CheckRenderer.data("50% done\nnext") == "50%25 done%0Anext")
        #expect(CheckRenderer.property("a,b:c") == "a%2Cb%3Ac")
        #expect(CheckRenderer.uri("Rules/my rules#1.rules") == "Rules/my%20rules%231.rules")
    }

    @Test("errors cannot be suppressed; with an error, no suppression is reported unused")
    func errorsStay() throws {
        let kb = try Self.plantedKnowledgeBase()
        var rules = try String(contentsOfFile: kb.path + "/Rules/mini.rules", encoding: .utf8)
        rules = rules.replacingOccurrences(
            of: "  requires myogenesis weight 1 because \"fibres\"",
            with: "  # check-ignore E207: trying to hide an error\n  requires myogensis weight 1 because \"fibres\"")
        try kb.write("Rules/mini.rules", rules)
        let report = Checker.check(rulesDirectory: kb.path + "/Rules", evidenceDirectory: kb.path + "/Evidence")
        let path = kb.path + "/Rules/mini.rules"
        #expect(
            report.findings.map(\.headline) == [
                "\(path):54:3: warning: suppression of W403 gives no reason; write 'check-ignore CODE: why the finding "
                    + "is intended' [W490]",
                "\(path):60:5: warning: 'E207' is an error and cannot be suppressed; fix what it reports [W492]",
                "\(path):61:12: error: unknown activity 'myogensis' — did you mean 'myogenesis'? [E207]",
            ])
        #expect(report.suppressed.isEmpty)
        #expect(report.fails(strict: false))
    }

    @Test("W402 also when the only evidence refutes, or a mechanism's component is never secreted nor won")
    func unreachable() throws {
        let kb = try Self.plantedKnowledgeBase()
        let x4 = cmp("X4", "adipose", "none", versus: "bone-marrow", "none", "IGF1", ref: "r2")
        try kb.edit("Evidence/comparisons.tsv") { $0.replacingOccurrences(of: x4, with: "") }
        var functions = try String(contentsOfFile: kb.path + "/Evidence/function.tsv", encoding: .utf8)
        functions += "F9\tadipose\tnone\tcells\tmyogenesis\trefutes\tin-vitro\t\tr4\t\n"
        try kb.write("Evidence/function.tsv", functions)
        var mechanisms = try String(contentsOfFile: kb.path + "/Evidence/mechanisms.tsv", encoding: .utf8)
        mechanisms += "M9\tIGF1\tmyogenesis\tpromotes\tin-vivo\tr5\t\n"
        try kb.write("Evidence/mechanisms.tsv", mechanisms)
        let report = Checker.check(rulesDirectory: kb.path + "/Rules", evidenceDirectory: kb.path + "/Evidence")
        #expect(
            report.findings.filter { $0.code == .w402 }.map { $0.span?.description } == [
                "\(kb.path)/Rules/mini.rules:60:3"
            ])
        // IGF1 and r4, r5 are used now.
        #expect(!report.findings.contains { $0.code == .w401 })
        #expect(!report.findings.contains { $0.code != .w409 && $0.message.contains("'IGF1'") })
        // A comparison that one side wins on IGF1 reaches myogenesis through M9.
        try kb.edit("Evidence/comparisons.tsv") { $0 + x4 }
        let won = Checker.check(rulesDirectory: kb.path + "/Rules", evidenceDirectory: kb.path + "/Evidence")
        #expect(!won.findings.contains { $0.code == .w402 })
    }

    @Test("a warning planted in a copy of the shipped rules, at its place in all four formats")
    func warningInAllFormats() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let directory = try TemporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: root + "/Rules") where name.hasSuffix(".rules")
        {
            try directory.write("Rules/" + name, try String(contentsOfFile: root + "/Rules/" + name, encoding: .utf8))
        }
        let components = try String(contentsOfFile: root + "/Rules/components.rules", encoding: .utf8)
        try directory.write(
            "Rules/components.rules", components + "component UNUSED  # check-ignore W409: planted by the test\nend\n")
        let line = components.split(separator: "\n", omittingEmptySubsequences: false).count
        let path = directory.path + "/Rules/components.rules"
        let args = ["check", "--rules", directory.path + "/Rules", "--evidence", root + "/Evidence"]
        let text = run(args)
        #expect(text.status == 0)
        #expect(
            text.stdout.hasPrefix("\(path):\(line):11: warning: component 'UNUSED' is declared but never used [W403]\n")
        )
        #expect(run(args + ["--strict"]).status == 1)
        // The one warning, then a notice per finding the shipped evidence suppresses with a reason.
        let github = run(args + ["--format", "github"]).stdout.split(separator: "\n").map(String.init)
        #expect(
            github.first
                == "::warning file=\(path),line=\(line),col=11,title=W403::component 'UNUSED' is declared but never used"
        )
        #expect(github.dropFirst().allSatisfy { $0.hasPrefix("::notice title=W40") && $0.contains(" suppressed::") })
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(run(args + ["--format", "json"]).stdout.utf8)) as? [String: Any]
        )
        let finding = try #require((json["findings"] as? [[String: Any]])?.first)
        #expect(finding["code"] as? String == "W403")
        #expect((finding["location"] as? [String: Any])?["line"] as? Int == line)
        let sarif = run(args + ["--format", "sarif"]).stdout
        #expect(sarif.contains("\"uri\": \"file://\(path)\""))
        #expect(sarif.contains("\"startLine\": \(line),\n"))
        #expect(sarif.contains("\"ruleId\": \"W403\""))
    }
}

/// Issue 16, finding 7: 200,000 duplicate rows gave 200,000 errors (108 MB on stderr).
@Suite("Diagnostics per file are capped")
struct DiagnosticCapTests {
    /// The shipped base with its first function row repeated `copies` more times.
    static func duplicated(_ copies: Int) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let fm = FileManager.default
        try fm.copyItem(atPath: packageRoot + "/Rules", toPath: directory.path + "/Rules")
        try fm.copyItem(atPath: packageRoot + "/Evidence", toPath: directory.path + "/Evidence")
        let path = directory.path + "/Evidence/function.tsv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let row = lines[1]
        try (lines + Array(repeating: row, count: copies)).joined(separator: "\n").appending("\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return directory
    }

    @Test("100 per file by default, then one note with the count; --max-errors changes it, 0 shows all")
    func capped() throws {
        let kb = try Self.duplicated(250)
        let args = ["--rules", kb.path + "/Rules", "--evidence", kb.path + "/Evidence"]
        let rank = runTool(["rank"] + args)
        #expect(rank.status == 2)
        #expect(rank.stdout == "")
        #expect(rank.stderr.components(separatedBy: "error: column 'id': duplicate record id").count - 1 == 100)
        #expect(
            rank.stderr.hasSuffix(
                "note: 150 more errors in \(kb.path)/Evidence/function.tsv, not shown (the first 100 are; "
                    + "'--max-errors 0' shows all)\n250 errors generated\n"))
        let two = runTool(["rank", "--max-errors", "2"] + args)
        #expect(two.stderr.components(separatedBy: "duplicate record id").count - 1 == 2)
        #expect(two.stderr.contains("note: 248 more errors in"))
        let all = runTool(["rank", "--max-errors", "0"] + args)
        #expect(all.stderr.components(separatedBy: "duplicate record id").count - 1 == 250)
        #expect(!all.stderr.contains("more errors"))
        // check: the text is capped, JSON lists every finding.
        let check = runTool(["check", "--max-errors", "3"] + args)
        #expect(check.stdout.components(separatedBy: "duplicate record id").count - 1 == 3)
        let json = runTool(["check", "--format", "json"] + args)
        #expect(json.stdout.components(separatedBy: "duplicate record id").count - 1 == 250)
        let bad = runTool(["rank", "--max-errors", "-1"] + args)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("error: '--max-errors' needs a whole number from 0 to 1000000, found '-1'"))
    }
}

/// Issue 16, finding 6: control characters in labels, titles and notes reached the terminal raw.
@Suite("Terminal-safe output")
struct TerminalSafetyTests {
    /// The shipped base with an escape sequence in wound healing's label, and an OSC sequence, BEL and a
    /// line break in the title of reference ahmed-2016.
    static func hostile() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let fm = FileManager.default
        try fm.copyItem(atPath: packageRoot + "/Rules", toPath: directory.path + "/Rules")
        try fm.copyItem(atPath: packageRoot + "/Evidence", toPath: directory.path + "/Evidence")
        let rules = directory.path + "/Rules/indications.rules"
        try String(contentsOfFile: rules, encoding: .utf8)
            .replacingOccurrences(
                of: "label \"Cutaneous wound healing\"", with: "label \"Cutaneous \u{1b}[2J wound healing\""
            )
            .write(toFile: rules, atomically: true, encoding: .utf8)
        let references = directory.path + "/Evidence/references.tsv"
        var lines = try String(contentsOfFile: references, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.hasPrefix("ahmed-2016\t") })
        var fields = lines[index].components(separatedBy: "\t")
        fields[5] = "\"Title \u{1b}]0;pwned\u{07} with a\nbreak\""
        lines[index] = fields.joined(separator: "\t")
        try lines.joined(separator: "\n").write(toFile: references, atomically: true, encoding: .utf8)
        return directory
    }

    @Test(
        "human outputs print no control character but tab and line feed, and keep a reference on one line",
        arguments: [
            ["rank", "--indication", "wound-healing"],
            ["rank", "--indication", "wound-healing", "--format", "markdown"],
            ["explain", "--indication", "wound-healing", "--candidate", "adipose+hypoxia"],
            ["cite", "--indication", "wound-healing", "--top", "40", "--format", "bibtex"],
            ["cite", "--indication", "wound-healing", "--top", "40", "--format", "ris"],
            ["sensitivity", "--indication", "wound-healing", "--runs", "2"],
            ["why-not", "--indication", "wound-healing", "--candidate", "uterine-cervix+none"], ["coverage"],
        ])
    func inert(arguments: [String]) throws {
        let kb = try Self.hostile()
        let wide = ["cite"].contains(arguments[0]) ? [] : ["--wide"]
        let outcome = runTool(arguments + wide + ["--rules", kb.path + "/Rules", "--evidence", kb.path + "/Evidence"])
        #expect(outcome.status == 0)
        let controls = (outcome.stdout + outcome.stderr).unicodeScalars.filter {
            $0 != "\n" && $0 != "\t" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value))
        }
        #expect(controls.isEmpty, "\(controls.map(\.value))")
        if arguments[0] == "explain" {
            #expect(outcome.stdout.contains("(Cutaneous \u{FFFD}[2J wound healing)"))
            #expect(outcome.stdout.contains("Title \u{FFFD}]0;pwned\u{FFFD} with a break."))
        }
        if arguments.contains("ris") {
            #expect(outcome.stdout.contains("TI  - Title \u{FFFD}]0;pwned\u{FFFD} with a break\n"))
        }
    }

    @Test("on a colour terminal the tool's own colour codes survive, and a hostile sequence still does not")
    func colour() throws {
        let kb = try Self.hostile()
        var (out, err) = ("", "")
        let status = RecommendTool.run(
            arguments: [
                "explain", "--indication", "wound-healing", "--candidate", "adipose+hypoxia", "--rules",
                kb.path + "/Rules", "--evidence", kb.path + "/Evidence",
            ],
            stdout: &out, stderr: &err, terminal: Terminal(colorsStdout: true, colorsStderr: true))
        #expect(status == 0)
        #expect(out.contains("\u{1B}[1m"))
        #expect(!out.contains("\u{1B}[2J"))
        #expect(!out.contains("\u{1B}]0;"))
        #expect(out.contains("(Cutaneous \u{FFFD}[2J wound healing)"))
        var (out2, err2) = ("", "")
        _ = RecommendTool.run(
            arguments: ["rank", "--tpo", "1"], stdout: &out2, stderr: &err2,
            terminal: Terminal(colorsStdout: true, colorsStderr: true))
        #expect(err2.hasPrefix("\u{1B}[1;31merror:\u{1B}[0m unknown option '--tpo'"))
    }

    @Test("machine formats keep the text, escaped as JSON escapes it; check warns (W411), located")
    func machineAndCheck() throws {
        let kb = try Self.hostile()
        let args = ["--rules", kb.path + "/Rules", "--evidence", kb.path + "/Evidence"]
        let json = runTool(["rank", "--indication", "wound-healing", "--format", "json"] + args)
        #expect(json.stdout.contains("\"label\": \"Cutaneous \\u001b[2J wound healing\""))
        let check = runTool(["check"] + args)
        #expect(
            check.stdout.contains(
                "/Rules/indications.rules:4:12: warning: the label of indication 'wound-healing' holds the control "
                    + "character U+001B (escape, which can start a terminal command)"))
        #expect(
            check.stdout.contains("warning: the title of reference 'ahmed-2016' holds the control character U+001B"))
        #expect(!check.stdout.unicodeScalars.contains("\u{1b}"))
    }
}
