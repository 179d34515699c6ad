import Foundation
import RuleEngine
import Testing

@testable import recommend

/// Headless Chromium, if installed (Debian's package `chromium`; .ci/run installs it).
let chromiumPath: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// `recommend report` and `recommend cite`: escaping, structure, safe output, the formats — and the report in
/// a real browser (headless Chromium).
@Suite("Report and citations")
struct ReportTests {
    static let fixture = CommandLineTests.fixture
    static let hostile = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">&amp;"

    /// The mini fixture with a hostile note and label.
    static func hostileKnowledgeBase() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let rules = try String(contentsOfFile: fixture + "/Rules/mini.rules", encoding: .utf8)
            .replacingOccurrences(of: "label \"Hypoxia\"", with: "label \"Hypoxia <i>&</i> 'low' O2\"")
        try directory.write("Rules/mini.rules", rules)
        let functions = try String(contentsOfFile: fixture + "/Evidence/function.tsv", encoding: .utf8)
            .replacingOccurrences(
                of: "\tr2\t\n", with: "\tr2\t\"\(hostile.replacingOccurrences(of: "\"", with: "\"\""))\"\n")
        try directory.write("Evidence/function.tsv", functions)
        let references = try String(contentsOfFile: fixture + "/Evidence/references.tsv", encoding: .utf8)
            .replacingOccurrences(of: "Fixture paper two", with: "Fixture <script>alert(1)</script> two")
        try directory.write("Evidence/references.tsv", references)
        try directory.copyFixtureEvidence(["secretome.tsv", "mechanisms.tsv"])
        return directory
    }

    func run(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        var out = ""
        var err = ""
        let status = RecommendTool.run(arguments: arguments, stdout: &out, stderr: &err)
        return (status, out, err)
    }

    func writeReport(_ kb: TemporaryDirectory) throws -> String {
        let path = kb.path + "/report.html"
        let outcome = run(["report", "--rules", kb.path + "/Rules", "--evidence", kb.path + "/Evidence", "--out", path])
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "")
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test("self-contained, every embedded string escaped, the expected structure")
    func structure() throws {
        let kb = try Self.hostileKnowledgeBase()
        let html = try writeReport(kb)
        // No external asset: nothing is loaded from elsewhere.
        #expect(!html.contains("src=\"http"))
        #expect(!html.contains("<link"))
        #expect(html.components(separatedBy: "<script").count == 2)  // only the report's own script
        #expect(html.contains("Fixture &lt;script&gt;alert(1)&lt;/script&gt; two"))
        #expect(!html.contains("<img"))
        // 2 sources (any-msc is not a candidate) × 2 pre-conditionings.
        #expect(html.components(separatedBy: "<rect class=\"cell ").count - 1 == 4)
        #expect(html.contains("<rect class=\"cell untested\""))
        #expect(html.contains("<rect class=\"cell ineligible\""))
        #expect(html.contains("<rect class=\"cell eligible\""))
        #expect(html.components(separatedBy: "<details class=\"trace\"").count - 1 == 2)
        #expect(html.contains("<a href=\"https://doi.org/10.0000/fixture.1\">doi:10.0000/fixture.1</a>"))
        #expect(html.contains("<a href=\"https://pubmed.ncbi.nlm.nih.gov/12345/\">PMID 12345</a>"))
        #expect(html.contains("sha256:"))
        // The hash identifies the content: a second report of the same files has the same one.
        let again = try writeReport(kb)
        #expect(again == html)
    }

    /// The report's ranked-table rows of one indication: candidate id to the cells' texts.
    static func tableRows(_ html: String, indication: String) throws -> [String: [String]] {
        let section = try #require(
            html.components(separatedBy: "<section class=\"indication\" id=\"").first {
                $0.hasPrefix(HTML.id("ind", indication) + "\"")
            })
        let body = try #require(
            section.components(separatedBy: "<tbody>").dropFirst().first?.components(
                separatedBy: "</tbody>"
            ).first)
        var rows: [String: [String]] = [:]
        for row in body.components(separatedBy: "<tr>").dropFirst() {
            let cells = row.components(separatedBy: "<td").dropFirst().map { cell -> String in
                let inner = cell.drop { $0 != ">" }.dropFirst()
                let text = inner.components(separatedBy: "</td>").first ?? ""
                return text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            }
            if cells.count > 1 { rows[cells[1]] = cells }
        }
        return rows
    }

    @Test("the best own-source level column is the eligibility fact: required lines' absolute evidence only")
    func bestOwnLevelColumn() throws {
        // bone-marrow+none gets own in-vivo evidence on an avoided line and own clinical evidence on a supported
        // line: neither meets minimum-level (a report that re-derived the level showed 'clinical' here).
        let kb = try TemporaryDirectory()
        try kb.copyFixture()
        try kb.edit("Evidence/function.tsv") {
            $0 + fn("F9", "bone-marrow", "none", "pro-fibrotic", ref: "r2")
                + fn("F10", "bone-marrow", "none", "anti-inflammatory", level: "clinical", ref: "r2")
        }
        let rows = try Self.tableRows(try writeReport(kb), indication: "wound")
        let boneMarrow = try #require(rows["bone-marrow+none"])
        #expect(boneMarrow.last == "—")
        #expect(
            boneMarrow.contains { $0.contains("no positive absolute bone-marrow evidence for a required activity") })
        #expect(rows["adipose+hypoxia"]?.last == "in-vivo")
    }

    @Test("on the shipped base, every row's best own-source level is its evaluation's, and its reason agrees")
    func bestOwnLevelShipped() throws {
        let directory = try TemporaryDirectory()
        try directory.copyShipped()
        let html = try writeReport(directory)
        let kb = try #require(
            KnowledgeBase.load(
                rulesDirectory: directory.path + "/Rules", evidenceDirectory: directory.path + "/Evidence"
            )
            .knowledgeBase)
        let recommender = Recommender(knowledgeBase: kb)
        var checked = 0
        for indication in kb.rules.indications {
            let rows = try Self.tableRows(html, indication: indication.id.rawValue)
            for entry in recommender.rank(indication).entries {
                let e = entry.evaluation
                let row = try #require(rows[e.candidate.id])
                #expect(row.last == (e.bestOwnLevel?.rawValue ?? "—"), "\(indication.id) \(e.candidate)")
                for case .belowMinimumLevel(_, _, let best, _) in e.ineligibilityReasons {
                    #expect(best == e.bestOwnLevel)
                }
                checked += 1
            }
        }
        #expect(checked > 300)
    }

    @Test("the report is never written into the knowledge base, and an unwritable path is an error")
    func safeOutput() throws {
        let kb = try Self.hostileKnowledgeBase()
        let args = ["report", "--rules", kb.path + "/Rules", "--evidence", kb.path + "/Evidence"]
        let inside = run(args + ["--out", kb.path + "/Evidence/function.tsv"])
        #expect(inside.status == 2)
        #expect(inside.stderr.contains("refusing to write"))
        #expect(inside.stderr.hasSuffix("[E402]\n"))
        let before = try String(contentsOfFile: kb.path + "/Evidence/function.tsv", encoding: .utf8)
        #expect(before.contains("onerror"))  // untouched
        let nowhere = run(args + ["--out", kb.path + "/missing/dir/report.html"])
        #expect(nowhere.status == 2)
        #expect(nowhere.stderr.contains("does not exist"))
        #expect(run(["report"] + CommandLineTests.kb).status == 2)
    }

    /// A knowledge base and an `out/` folder beside it, for the output-writing cases.
    func outputCase() throws -> (kb: TemporaryDirectory, args: [String], rules: String, out: String) {
        let kb = try Self.hostileKnowledgeBase()
        try FileManager.default.createDirectory(atPath: kb.path + "/out", withIntermediateDirectories: true)
        let args = ["report", "--rules", kb.path + "/Rules", "--evidence", kb.path + "/Evidence"]
        return (kb, args, try String(contentsOfFile: kb.path + "/Rules/mini.rules", encoding: .utf8), kb.path + "/out")
    }

    @Test("a folder that is a symbolic link into Rules/ is judged by its real path: refused, nothing written there")
    func symlinkedFolder() throws {
        let (kb, args, _, out) = try outputCase()
        try FileManager.default.createSymbolicLink(atPath: out + "/linkdir", withDestinationPath: kb.path + "/Rules")
        let outcome = run(args + ["--out", out + "/linkdir/x.html"])
        #expect(outcome.status == 2)
        #expect(
            outcome.stderr.hasPrefix(
                "error: refusing to write '\(out)/linkdir/x.html': it is inside the knowledge base"))
        #expect(outcome.stderr.contains("(its real path is '"))
        #expect(outcome.stderr.hasSuffix("[E402]\n"))
        #expect(!FileManager.default.fileExists(atPath: kb.path + "/Rules/x.html"))
    }

    @Test("an output that is a symbolic link to a rule file is refused, and the rule file is unchanged")
    func symlinkedOutput() throws {
        let (kb, args, rules, out) = try outputCase()
        try FileManager.default.createSymbolicLink(
            atPath: out + "/plant.html", withDestinationPath: kb.path + "/Rules/mini.rules")
        let outcome = run(args + ["--out", out + "/plant.html"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("refusing to write"))
        #expect(try String(contentsOfFile: kb.path + "/Rules/mini.rules", encoding: .utf8) == rules)
        let dangling = out + "/dangling.html"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: out + "/missing.html")
        let outcome2 = run(args + ["--out", dangling])
        #expect(outcome2.status == 2)
        #expect(
            outcome2.stderr
                == "error: cannot write '\(dangling)': it is a symbolic link to a file that does not exist [E402]\n")
        #expect(!FileManager.default.fileExists(atPath: out + "/missing.html"))
    }

    @Test("a link planted where the temporary file used to be named is not followed; the report is written")
    func plantedTemporaryName() throws {
        let (kb, args, rules, out) = try outputCase()
        // The old name was predictable: .NAME.PID.tmp, and it was opened following links.
        let planted = out + "/.report.html.\(getpid()).tmp"
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: kb.path + "/Rules/mini.rules")
        let outcome = run(args + ["--out", out + "/report.html"])
        #expect(outcome.status == 0)
        #expect(try String(contentsOfFile: kb.path + "/Rules/mini.rules", encoding: .utf8) == rules)
        #expect(try String(contentsOfFile: out + "/report.html", encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: planted)) == kb.path + "/Rules/mini.rules")
        // No temporary file is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: out).filter {
            $0.hasSuffix(".tmp") && $0 != (planted as NSString).lastPathComponent
        }
        #expect(left.isEmpty)
    }

    @Test("a FIFO is written into, not replaced; an existing file keeps its permissions; a directory is refused")
    func kindsOfTarget() throws {
        let (kb, args, _, out) = try outputCase()
        defer { withExtendedLifetime(kb) {} }
        let fifo = out + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // The read end is opened first (so that the writer's open does not wait) and read on another thread
        // until the command has returned and the FIFO is drained: no hang, whatever the command does.
        let descriptor = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(descriptor >= 0)
        _ = fcntl(descriptor, F_SETFL, 0)
        let received = LockedBox(Data())
        let finished = LockedBox(false)
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count > 0 {
                    received.update { $0 += buffer[..<count] }
                } else if count == 0 && finished.get() {
                    break
                } else {
                    usleep(1_000)
                }
            }
        }
        reader.start()
        let outcome = run(args + ["--out", fifo])
        finished.set(true)
        while !reader.isFinished { usleep(10_000) }
        close(descriptor)
        #expect(outcome.status == 0)
        #expect(String(decoding: received.get(), as: UTF8.self).hasPrefix("<!DOCTYPE html>"))
        var status = stat()
        #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)

        let existing = out + "/private.html"
        #expect(FileManager.default.createFile(atPath: existing, contents: Data("old".utf8)))
        #expect(chmod(existing, 0o600) == 0)
        #expect(run(args + ["--out", existing]).status == 0)
        #expect(stat(existing, &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOfFile: existing, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))

        let directory = run(args + ["--out", out])
        #expect(directory.status == 2)
        #expect(directory.stderr == "error: cannot write '\(out)': it is a directory [E402]\n")
        if FileManager.default.fileExists(atPath: "/proc/version") {
            let proc = run(args + ["--out", "/proc/version"])
            #expect(proc.status == 2)
            #expect(
                proc.stderr.hasPrefix(
                    "error: cannot write '/proc/version': cannot create a temporary file in '/proc': "))
        }
    }

    @Test(
        "citations: BibTeX, RIS and CSL-JSON of the shortlist's references", arguments: ["bibtex", "ris", "csl-json"])
    func citations(format: String) throws {
        let outcome = run(["cite", "--indication", "wound", "--top", "1", "--format", format] + CommandLineTests.kb)
        #expect(outcome.status == 0)
        try expectGolden(outcome.stdout, named: "cite.\(format == "bibtex" ? "bib" : format == "ris" ? "ris" : "json")")
    }

    @Test("RIS has TY and ER for every entry; BibTeX braces balance")
    func wellFormed() throws {
        let ris = run(["cite", "--indication", "wound", "--format", "ris"] + CommandLineTests.kb).stdout
        let lines = ris.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("TY  - ") }.count == 3)
        #expect(lines.filter { $0 == "ER  - " }.count == 3)
        let bib = Citations.bibtex([
            .init(
                id: "x-2020", doi: "10.1000/a_b", pmid: nil, authors: "Smith J, O'Neil {A}, et al.", year: 2020,
                title: "50% of {braces} & #hash", journal: "J", span: .init(path: "p", line: 1, column: 1))
        ])
        var depth = 0
        for character in bib.replacingOccurrences(of: "\\{", with: "").replacingOccurrences(of: "\\}", with: "") {
            if character == "{" { depth += 1 }
            if character == "}" { depth -= 1 }
            #expect(depth >= 0)
        }
        #expect(depth == 0)
        #expect(bib.contains("author = {Smith, J and O'Neil, \\{A\\} and others}"))
        #expect(bib.contains("title = {{50\\% of \\{braces\\} \\& \\#hash}}"))
        #expect(bib.contains("doi = {10.1000/a\\_b}"))
    }

    func chromium(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(chromiumPath))
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(
        "in headless Chromium: heatmap cells, a trace opened from its cell's link, the hostile note inert",
        .enabled(if: chromiumPath != nil, "chromium is not installed; .ci/run installs it"))
    func browser() throws {
        let kb = try Self.hostileKnowledgeBase()
        _ = try writeReport(kb)
        let url = "file://" + kb.path + "/report.html"
        let dom = try chromium(["--dump-dom", url + "#" + HTML.id("c", "wound", "adipose+hypoxia")])
        // The DOM after scripts ran: 4 heatmap cells; the trace the link points at is open (the script did it).
        #expect(dom.components(separatedBy: "<rect class=\"cell ").count - 1 == 4)
        #expect(dom.contains("<details class=\"trace\" id=\"c--wound--adipose_2bhypoxia\" open=\"\">"))
        #expect(dom.contains("<details class=\"trace\" id=\"c--wound--bone-marrow_2bnone\">"))  // still closed
        // The hostile strings are text, not markup: no injected element, the title untouched.
        #expect(dom.contains("<title>MSC secretome candidates — reviewer report</title>"))
        #expect(!dom.contains("pwned</title>"))
        #expect(!dom.contains("<img"))
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let screenshot = kb.path + "/report.png"
        _ = try chromium(["--hide-scrollbars", "--window-size=1200,900", "--screenshot=" + screenshot, url])
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.count > 10_000)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }
}
