import EvidenceModel
import Foundation
import RuleEngine
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every class of bad input of docs/errors.md, one test each. A copy of the mini fixture is broken in a
/// temporary directory and the built `recommend` runs there, so that paths read `Rules/…` and `Evidence/…`
/// as on that page; the exact output and exit code are asserted.
@Suite("Error catalogue (docs/errors.md)")
struct ErrorCatalogueTests {
    typealias Outcome = CommandLineTests.Outcome

    /// Runs `recommend ARGUMENTS` in a copy of the mini fixture after `change` has been made to it.
    func run(_ arguments: [String] = ["rank"], after change: (TemporaryDirectory) throws -> Void) throws -> Outcome {
        let directory = try TemporaryDirectory()
        try directory.copyFixture()
        try change(directory)
        return try CommandLineTests().runBinary(arguments, in: directory.path)
    }

    /// Runs `recommend rank` after replacing `target` with `replacement` in the file at `path`, writing it back
    /// with `encode` (UTF-8 unless given).
    func run(
        _ path: String, replacing target: String, with replacement: String,
        encodedAs encode: (String) -> Data = { Data($0.utf8) }
    ) throws -> Outcome {
        try run { directory in
            let text = try String(contentsOfFile: directory.path + "/" + path, encoding: .utf8)
            try #require(text.contains(target), "'\(target)' is not in \(path)")
            try directory.write(path, encode(text.replacingOccurrences(of: target, with: replacement)))
        }
    }

    /// Runs `recommend rank` after writing `contents` to the file at `path`.
    func run(writing contents: String, to path: String) throws -> Outcome {
        try run { try $0.write(path, contents) }
    }

    /// Runs `recommend rank` after replacing Evidence/function.tsv with what `create` makes at its path.
    func runReplacingFunctionFile(with create: (String) throws -> Void) throws -> Outcome {
        try run { directory in
            let path = directory.path + "/Evidence/function.tsv"
            try FileManager.default.removeItem(atPath: path)
            try create(path)
        }
    }

    /// Asserts that the input was refused: exit 2, nothing on stdout, exactly `stderr` on stderr.
    func expectRefused(_ outcome: Outcome, _ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status == 2, sourceLocation: sourceLocation)
        #expect(outcome.stdout == "", sourceLocation: sourceLocation)
        #expect(outcome.stderr == stderr, sourceLocation: sourceLocation)
    }

    /// Asserts that the input was accepted: exit 0, no diagnostic, the output of the unchanged fixture.
    func expectAccepted(
        _ outcome: Outcome, _ arguments: [String] = ["rank"], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let unchanged = try run(arguments) { _ in }
        #expect(outcome.status == 0, sourceLocation: sourceLocation)
        #expect(outcome.stderr == "", sourceLocation: sourceLocation)
        // The content hash is over the files' bytes, which differ; everything else is the same.
        func withoutHash(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("\"contentHash\"") }
                .joined(separator: "\n")
        }
        #expect(
            !unchanged.stdout.isEmpty && withoutHash(outcome.stdout) == withoutHash(unchanged.stdout),
            sourceLocation: sourceLocation)
        #expect(
            outcome.stdout.contains("\"contentHash\"") == (arguments == ["export"]), sourceLocation: sourceLocation)
    }

    /// `text` as Latin-1 bytes (for scalars below 256, as in the fixture).
    func latin1(_ text: String) -> Data { Data(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) }

    /// The first 16 bytes of an x86-64 ELF executable.
    static let elfHeader = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01] + [UInt8](repeating: 0, count: 9))

    @Test("empty file: an evidence file (E316), the only rule file (E203, E212); an extra empty rule file is fine")
    func emptyFile() throws {
        expectRefused(
            try run(writing: "", to: "Evidence/function.tsv"),
            """
            Evidence/function.tsv:1:1: error: empty file: expected a header line with the columns id, source, \
            preconditioning, product, activity, outcome, level, species, ref, note [E316]

            ^
            1 error generated

            """)
        expectRefused(
            try run(writing: "", to: "Rules/mini.rules"),
            """
            Rules/mini.rules:1:1: error: no 'policy' block: the rules must declare the level, product and discount \
            weights [E203]

            ^
            Rules/mini.rules:1:1: error: the rules must declare 'preconditioning none', the baseline [E212]

            ^
            Rules/mini.rules:1:1: error: the rules must declare 'source any-msc', the source of statements about \
            MSCs in general [E212]

            ^
            3 errors generated

            """)
        try expectAccepted(try run(writing: "", to: "Rules/extra.rules"))
    }

    @Test("binary content and NUL bytes: one error at the first NUL (E317, E102)")
    func binaryContent() throws {
        expectRefused(
            try run { try $0.write("Evidence/function.tsv", Self.elfHeader) },
            """
            Evidence/function.tsv:1:8: error: NUL byte in a text file: is this a binary file? (reading of this file \
            stopped here) [E317]
            \u{FFFD}ELF\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\
            \u{FFFD}
                   ^
            1 error generated

            """)
        expectRefused(
            try run {
                try $0.edit("Evidence/function.tsv") {
                    $0 + "F9\tadipose\tnone\tcells\tangiogenesis\tsupports\tin-vivo\thuman\tr1\tbad\u{0}note\n"
                }
            },
            """
            Evidence/function.tsv:5:65: error: NUL byte in a text file: is this a binary file? (reading of this file \
            stopped here) [E317]
            F9\tadipose\tnone\tcells\tangiogenesis\tsupports\tin-vivo\thuman\tr1\tbad\u{FFFD}note
              \t       \t    \t     \t            \t        \t       \t     \t  \t   ^
            1 error generated

            """)
        expectRefused(
            try run { try $0.write("Rules/mini.rules", Self.elfHeader) },
            """
            Rules/mini.rules:1:8: error: NUL byte in a rule file: is this a binary file? [E102]
            \u{FFFD}ELF\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\
            \u{FFFD}
                   ^
            1 error generated

            """)
        expectRefused(
            try run("Rules/mini.rules", replacing: "label \"Hypoxia\"", with: "label \"Hyp\u{0}oxia\""),
            """
            Rules/mini.rules:27:13: error: NUL byte in a rule file: is this a binary file? [E102]
              label "Hyp\u{FFFD}oxia"
                        ^
            1 error generated

            """)
        // UTF-16 without a byte-order mark is valid UTF-8 with a NUL after every ASCII character.
        for (path, stderr) in [
            (
                "Rules/mini.rules",
                """
                Rules/mini.rules:1:2: error: NUL byte in a rule file: is this a binary file? [E102]
                #\u{FFFD} \u{FFFD}A\u{FFFD} \u{FFFD}t\u{FFFD}i\u{FFFD}n\u{FFFD}y\u{FFFD} \
                \u{FFFD}k\u{FFFD}n\u{FFFD}o\u{FFFD}w\u{FFFD}l\u{FFFD}e\u{FFFD}d\u{FFFD}g\u{FFFD}e\u{FFFD} \
                \u{FFFD}b\u{FFFD}a\u{FFFD}s\u{FFFD}e\u{FFFD} \u{FFFD}w\u{FFFD}h\u{FFFD}o\u{FFFD}s\u{FFFD}e\u{FFFD} \
                \u{FFFD}n\u{FFFD}u\u{FFFD}m\u{FFFD}b\u{FFFD}e\u{FFFD}r\u{FFFD}s\u{FFFD} \
                \u{FFFD}a\u{FFFD}r\u{FFFD}e\u{FFFD} \u{FFFD}w\u{FFFD}o\u{FFFD}r\u{FFFD}k\u{FFFD}e\u{FFFD}d\u{FFFD} \
                \u{FFFD}o\u{FFFD}u\u{FFFD}t\u{FFFD} \u{FFFD}b\u{FFFD}y\u{FFFD} \
                \u{FFFD}h\u{FFFD}a\u{FFFD}n\u{FFFD}d\u{FFFD} \u{FFFD}i\u{FFFD}n\u{FFFD} \
                \u{FFFD}C\u{FFFD}o\u{FFFD}m\u{FFFD}m\u{FFFD}a\u{FFFD}n\u{FFFD}d\u{FFFD}L\u{FFFD}i\u{FFFD}n\u{FFFD}e\
                \u{FFFD}T\u{FFFD}e\u{FFFD}s\u{FFFD}t\u{FFFD}s\u{FFFD}.\u{FFFD}
                 ^
                1 error generated

                """
            ),
            (
                "Evidence/function.tsv",
                """
                Evidence/function.tsv:1:2: error: NUL byte in a text file: is this a binary file? (reading of this \
                file stopped here) [E317]
                i\u{FFFD}d\u{FFFD}\t\u{FFFD}s\u{FFFD}o\u{FFFD}u\u{FFFD}r\u{FFFD}c\u{FFFD}e\u{FFFD}\t\u{FFFD}p\u{FFFD}\
                r\u{FFFD}e\u{FFFD}c\u{FFFD}o\u{FFFD}n\u{FFFD}d\u{FFFD}i\u{FFFD}t\u{FFFD}i\u{FFFD}o\u{FFFD}n\u{FFFD}i\
                \u{FFFD}n\u{FFFD}g\u{FFFD}\t\u{FFFD}p\u{FFFD}r\u{FFFD}o\u{FFFD}d\u{FFFD}u\u{FFFD}c\u{FFFD}t\u{FFFD}\t\
                \u{FFFD}a\u{FFFD}c\u{FFFD}t\u{FFFD}i\u{FFFD}v\u{FFFD}i\u{FFFD}t\u{FFFD}y\u{FFFD}\t\u{FFFD}o\u{FFFD}u\
                \u{FFFD}t\u{FFFD}c\u{FFFD}o\u{FFFD}m\u{FFFD}e\u{FFFD}\t\u{FFFD}l\u{FFFD}e\u{FFFD}v\u{FFFD}e\u{FFFD}l\
                \u{FFFD}\t\u{FFFD}s\u{FFFD}p\u{FFFD}e\u{FFFD}c\u{FFFD}i\u{FFFD}e\u{FFFD}s\u{FFFD}\t\u{FFFD}r\u{FFFD}e\
                \u{FFFD}f\u{FFFD}\t\u{FFFD}n\u{FFFD}o\u{FFFD}t\u{FFFD}e\u{FFFD}
                 ^
                1 error generated

                """
            ),
        ] {
            let outcome = try run { directory in
                let text = try String(contentsOfFile: directory.path + "/" + path, encoding: .utf8)
                try directory.write(path, Data(text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
            }
            expectRefused(outcome, stderr)
        }
    }

    @Test("invalid UTF-8: at the field in an evidence file (E302), at the byte in a rule file (E101)")
    func invalidUTF8() throws {
        expectRefused(
            try run("Evidence/function.tsv", replacing: "human\tr2", with: "hum\u{E9}n\tr2", encodedAs: latin1),
            """
            Evidence/function.tsv:3:80: error: invalid UTF-8 in this field: save the file as UTF-8 [E302]
            F2\tbone-marrow\tnone\textracellular-vesicles\tanti-inflammatory\tsupports\tin-vitro\thum\u{FFFD}n\tr2\t
              \t           \t    \t                      \t                 \t        \t        \t^
            1 error generated

            """)
        expectRefused(
            try run(
                "Rules/mini.rules", replacing: "label \"Hypoxia\"", with: "label \"Hypox\u{E9}mie\"", encodedAs: latin1),
            """
            Rules/mini.rules:27:15: error: invalid UTF-8: rule files must be UTF-8 text [E101]
              label "Hypox\u{FFFD}mie"
                          ^
            1 error generated

            """)
    }

    static let allFiles =
        ["Rules/mini.rules"] + (EvidenceFiles.fileNames + [EvidenceFiles.optionalFileName]).map { "Evidence/\($0)" }

    @Test("a UTF-8 byte-order mark on every file is accepted: the same output", arguments: [["rank"], ["export"]])
    func byteOrderMark(arguments: [String]) throws {
        let outcome = try run(arguments) { directory in
            for path in Self.allFiles {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + path))
                try directory.write(path, Data([0xEF, 0xBB, 0xBF]) + bytes)
            }
        }
        try expectAccepted(outcome, arguments)
    }

    @Test("CRLF line ends in every file are accepted: the same output", arguments: [["rank"], ["export"]])
    func crlf(arguments: [String]) throws {
        let outcome = try run(arguments) { directory in
            for path in Self.allFiles {
                try directory.edit(path) { $0.replacingOccurrences(of: "\n", with: "\r\n") }
            }
        }
        try expectAccepted(outcome, arguments)
    }

    @Test("missing header: the first row is read as one, every field an unknown column (E305, E306)")
    func missingHeader() throws {
        expectRefused(
            try run("Evidence/mechanisms.tsv", replacing: mechanismsHeader, with: ""),
            """
            Evidence/mechanisms.tsv:1:1: error: unknown column 'M1'; the columns are id, component, activity, \
            effect, level, ref, note [E305]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
            ^
            Evidence/mechanisms.tsv:1:1: error: missing columns 'id', 'component', 'activity', 'effect', 'level', \
            'ref', 'note' in the header [E306]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
            ^
            Evidence/mechanisms.tsv:1:4: error: unknown column 'VEGFA'; the columns are id, component, activity, \
            effect, level, ref, note [E305]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
              \t^
            Evidence/mechanisms.tsv:1:10: error: unknown column 'angiogenesis'; the columns are id, component, \
            activity, effect, level, ref, note [E305]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
              \t     \t^
            Evidence/mechanisms.tsv:1:23: error: unknown column 'promotes'; the columns are id, component, activity, \
            effect, level, ref, note [E305]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
              \t     \t            \t^
            Evidence/mechanisms.tsv:1:32: error: unknown column 'in-vivo'; the columns are id, component, activity, \
            effect, level, ref, note [E305]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
              \t     \t            \t        \t^
            Evidence/mechanisms.tsv:1:40: error: unknown column 'r3'; the columns are id, component, activity, \
            effect, level, ref, note [E305]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
              \t     \t            \t        \t       \t^
            Evidence/mechanisms.tsv:1:43: error: unknown column ''; the columns are id, component, activity, effect, \
            level, ref, note [E305]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
              \t     \t            \t        \t       \t  \t^
            8 errors generated

            """)
    }

    @Test("extra or missing columns in the header (E305, E306, E307) and fields in a row (E308)")
    func columns() throws {
        expectRefused(
            try run(
                writing: "id\tcomponent\tactivity\teffect\tlevel\tref\tnote\tcomment\n"
                    + "M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t\tx\n", to: "Evidence/mechanisms.tsv"),
            """
            Evidence/mechanisms.tsv:1:45: error: unknown column 'comment'; the columns are id, component, activity, \
            effect, level, ref, note [E305]
            id\tcomponent\tactivity\teffect\tlevel\tref\tnote\tcomment
              \t         \t        \t      \t     \t   \t    \t^
            1 error generated

            """)
        expectRefused(
            try run(
                writing: "id\tcomponent\tactivity\teffect\tlevel\tref\n"
                    + "M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\n",
                to: "Evidence/mechanisms.tsv"),
            """
            Evidence/mechanisms.tsv:1:1: error: missing column 'note' in the header [E306]
            id\tcomponent\tactivity\teffect\tlevel\tref
            ^
            1 error generated

            """)
        expectRefused(
            try run(
                writing: "id\tcomponent\tactivity\teffect\tlevel\tlevel\tref\tnote\n"
                    + "M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tin-vivo\tr3\t\n", to: "Evidence/mechanisms.tsv"),
            """
            Evidence/mechanisms.tsv:1:36: error: duplicate column 'level' [E307]
            id\tcomponent\tactivity\teffect\tlevel\tlevel\tref\tnote
              \t         \t        \t      \t     \t^
            Evidence/mechanisms.tsv:1:30: note: first here
            id\tcomponent\tactivity\teffect\tlevel\tlevel\tref\tnote
              \t         \t        \t      \t^
            1 error generated

            """)
        expectRefused(
            try run("Evidence/mechanisms.tsv", replacing: "in-vivo\tr3\t\n", with: "in-vivo\tr3\t\textra\n"),
            """
            Evidence/mechanisms.tsv:2:1: error: expected 7 tab-separated fields, found 8 [E308]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t\textra
            ^
            1 error generated

            """)
        expectRefused(
            try run("Evidence/mechanisms.tsv", replacing: "in-vivo\tr3\t\n", with: "in-vivo\n"),
            """
            Evidence/mechanisms.tsv:2:1: error: expected 7 tab-separated fields, found 5 [E308]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo
            ^
            1 error generated

            """)
    }

    @Test("unterminated quote: a quoted field (E303), a string (E103); text after a closing quote (E304)")
    func unterminatedQuote() throws {
        expectRefused(
            try run("Evidence/function.tsv", replacing: "human\tr2\t\n", with: "human\tr2\t\"open note\n"),
            """
            Evidence/function.tsv:3:89: error: unterminated quoted field: no closing '"' before the end of the file \
            [E303]
            F2\tbone-marrow\tnone\textracellular-vesicles\tanti-inflammatory\tsupports\tin-vitro\thuman\tr2\t"open \
            note
              \t           \t    \t                      \t                 \t        \t        \t     \t  \t^
            1 error generated

            """)
        expectRefused(
            try run("Rules/mini.rules", replacing: "because \"scars\"", with: "because \"scars"),
            """
            Rules/mini.rules:43:47: error: unterminated string: add the closing '"' on the same line [E103]
              avoids   pro-fibrotic      weight 1 because "scars
                                                          ^
            1 error generated

            """)
        expectRefused(
            try run("Evidence/function.tsv", replacing: "human\tr2\t\n", with: "human\tr2\t\"quoted\" tail\n"),
            """
            Evidence/function.tsv:3:97: error: unexpected text after the closing quote of a quoted field; write a \
            quote inside a quoted field as '""' [E304]
            F2\tbone-marrow\tnone\textracellular-vesicles\tanti-inflammatory\tsupports\tin-vitro\thuman\tr2\t"quoted"\
             tail
              \t           \t    \t                      \t                 \t        \t        \t     \t  \t        \
            ^
            1 error generated

            """)
    }

    #if DEBUG
        /// Unoptimised, the same linear code runs about 40 times slower than in release (a 100 MiB note:
        /// 95 s instead of 2.4 s), so `swift test` uses 256 KiB lines and `swift test -c release` 100 MiB.
        static let longLine = 256 << 10
    #else
        static let longLine = 100 << 20
    #endif

    @Test("a 100 MB line: accepted in a note and a comment; an error on it is clipped and its excerpt windowed")
    func longLine() throws {
        let long = String(repeating: "x", count: Self.longLine)
        try expectAccepted(try run("Evidence/function.tsv", replacing: "human\tr2\t\n", with: "human\tr2\t\(long)\n"))
        try expectAccepted(try run { try $0.edit("Rules/mini.rules") { "# \(long)\n" + $0 } })
        func x(_ count: Int) -> String { String(repeating: "x", count: count) }
        // The message quotes the value: its middle is left out.
        expectRefused(
            try run("Evidence/function.tsv", replacing: "in-vitro\thuman\tr2", with: "in-vitro\(long)\thuman\tr2"),
            """
            Evidence/function.tsv:3:71: error: column 'level': unknown level 'in-vitro\(x(461))… \
            (\(Self.longLine - 960) characters left out) …\(x(499))' [E310]
            F2\tbone-marrow\tnone\textracellular-vesicles\tanti-inflammatory\tsupports\tin-vitro\(x(122))
              \t           \t    \t                      \t                 \t        \t^
            1 error generated

            """)
        // The column lies far beyond the first 200 characters: the excerpt is a window around it.
        expectRefused(
            try run("Evidence/function.tsv", replacing: "in-vitro\thuman\tr2\t", with: "in-vitro\t\(long)\tr9\t"),
            """
            Evidence/function.tsv:3:\(Self.longLine + 81): error: column 'ref': unknown reference 'r9': add it to \
            references.tsv first — did you mean 'r1'? [E313]
            …\(x(99))\tr9\t
            \(String(repeating: " ", count: 100))\t^
            1 error generated

            """)
    }

    @Test("a directory or a missing path where a file or directory is expected (E200, E300, E301)")
    func directoriesAndMissingPaths() throws {
        let files = FileManager.default
        expectRefused(
            try run { try files.removeItem(atPath: $0.path + "/Evidence") },
            """
            error: evidence directory 'Evidence' does not exist; pass the directory with references.tsv, \
            secretome.tsv, function.tsv and mechanisms.tsv (and, optionally, comparisons.tsv) using --evidence DIR \
            [E300]
            1 error generated

            """)
        expectRefused(
            try run { directory in
                try files.removeItem(atPath: directory.path + "/Evidence")
                try directory.write("Evidence", "x\n")
            },
            """
            error: evidence directory 'Evidence' is not a directory; pass the directory with references.tsv, \
            secretome.tsv, function.tsv and mechanisms.tsv (and, optionally, comparisons.tsv) using --evidence DIR \
            [E300]
            1 error generated

            """)
        expectRefused(
            try run { try files.removeItem(atPath: $0.path + "/Rules") },
            """
            error: rules directory 'Rules' does not exist; pass the directory with the *.rules files using --rules \
            DIR [E200]
            1 error generated

            """)
        expectRefused(
            try run { directory in
                try files.removeItem(atPath: directory.path + "/Rules")
                try directory.write("Rules", "x\n")
            },
            """
            error: rules directory 'Rules' is not a directory; pass the directory with the *.rules files using \
            --rules DIR [E200]
            1 error generated

            """)
        expectRefused(
            try run(["rank", "--rules", "missing/Rules", "--evidence", "missing/Evidence"]) { _ in },
            """
            error: rules directory 'missing/Rules' does not exist; pass the directory with the *.rules files using \
            --rules DIR [E200]
            error: evidence directory 'missing/Evidence' does not exist; pass the directory with references.tsv, \
            secretome.tsv, function.tsv and mechanisms.tsv (and, optionally, comparisons.tsv) using --evidence DIR \
            [E300]
            2 errors generated

            """)
        expectRefused(
            try run { try files.removeItem(atPath: $0.path + "/Rules/mini.rules") },
            """
            error: rules directory 'Rules' contains no *.rules file [E200]
            1 error generated

            """)
        expectRefused(
            try runReplacingFunctionFile { _ in },
            """
            error: missing file 'Evidence/function.tsv' [E301]
            1 error generated

            """)
        expectRefused(
            try runReplacingFunctionFile {
                try files.createSymbolicLink(atPath: $0, withDestinationPath: "/nonexistent/function.tsv")
            },
            """
            error: missing file 'Evidence/function.tsv' [E301]
            1 error generated

            """)
        expectRefused(
            try runReplacingFunctionFile { try files.createDirectory(atPath: $0, withIntermediateDirectories: false) },
            """
            error: 'Evidence/function.tsv' is a directory, not a file [E301]
            1 error generated

            """)
        expectRefused(
            try run {
                try files.createDirectory(atPath: $0.path + "/Rules/extra.rules", withIntermediateDirectories: false)
            },
            """
            error: 'Rules/extra.rules' is a directory, not a file [E301]
            1 error generated

            """)
    }

    /// The tests run as root, for whom `chmod 000` changes nothing; a FIFO with no writer (which Foundation opens
    /// without blocking and refuses) and a file whose read fails with EIO (`/proc/self/mem` at offset 0) are
    /// unreadable to root too. docs/errors.md shows `chmod 000` for a user.
    @Test("an unreadable file (E301): a FIFO with no writer, a read error")
    func unreadableFile() throws {
        let stderr = """
            error: cannot read 'Evidence/function.tsv': permission denied or not a regular file [E301]
            1 error generated

            """
        expectRefused(try runReplacingFunctionFile { try #require(mkfifo($0, 0o644) == 0) }, stderr)
        // Linux only; elsewhere the link would dangle (a missing file).
        if FileManager.default.fileExists(atPath: "/proc/self/mem") {
            expectRefused(
                try runReplacingFunctionFile {
                    try FileManager.default.createSymbolicLink(atPath: $0, withDestinationPath: "/proc/self/mem")
                },
                stderr)
        }
    }

    @Test("unknown identifiers (E310, E313, E207) and duplicate ones (E312, E201)")
    func identifiers() throws {
        expectRefused(
            try run("Evidence/function.tsv", replacing: "F1\tadipose\t", with: "F1\tadipos\t"),
            """
            Evidence/function.tsv:2:4: error: column 'source': unknown source 'adipos' — did you mean 'adipose'? \
            [E310]
            F1\tadipos\thypoxia\tconditioned-medium\tangiogenesis\tsupports\tin-vivo\trat\tr1\t"note with \
            ""quotes"", <b>tags</b> and =formula"
              \t^
            1 error generated

            """)
        expectRefused(
            try run("Evidence/mechanisms.tsv", replacing: "\tr3\t", with: "\tr4\t"),
            """
            Evidence/mechanisms.tsv:2:40: error: column 'ref': unknown reference 'r4': add it to references.tsv \
            first — did you mean 'r1'? [E313]
            M1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr4\t
              \t     \t            \t        \t       \t^
            1 error generated

            """)
        expectRefused(
            try run("Rules/mini.rules", replacing: "supports anti-inflammatory", with: "supports anti-inflamatory"),
            """
            Rules/mini.rules:42:12: error: unknown activity 'anti-inflamatory' — did you mean 'anti-inflammatory'? \
            [E207]
              supports anti-inflamatory weight 1 because "calm | quiet"
                       ^
            1 error generated

            """)
        expectRefused(
            try run("Evidence/function.tsv", replacing: "F2\t", with: "F1\t"),
            """
            Evidence/function.tsv:3:1: error: column 'id': duplicate record id 'F1' [E312]
            F1\tbone-marrow\tnone\textracellular-vesicles\tanti-inflammatory\tsupports\tin-vitro\thuman\tr2\t
            ^
            Evidence/function.tsv:2:1: note: first used here
            F1\tadipose\thypoxia\tconditioned-medium\tangiogenesis\tsupports\tin-vivo\trat\tr1\t"note with \
            ""quotes"", <b>tags</b> and =formula"
            ^
            1 error generated

            """)
        expectRefused(
            try run("Evidence/mechanisms.tsv", replacing: "M1\t", with: "S1\t"),
            """
            Evidence/mechanisms.tsv:2:1: error: column 'id': duplicate record id 'S1' [E312]
            S1\tVEGFA\tangiogenesis\tpromotes\tin-vivo\tr3\t
            ^
            Evidence/secretome.tsv:2:1: note: first used here
            S1\tASC\thypoxia\tconditioned-medium\tVEGF\tup\tin-vitro\thuman\tr2\t
            ^
            1 error generated

            """)
        expectRefused(
            try run {
                try $0.edit("Evidence/references.tsv") {
                    $0 + "r1\t10.0000/fixture.9\t\tFixture D\t2023\tFixture paper four\tFixture Journal\n"
                }
            },
            """
            Evidence/references.tsv:5:1: error: column 'ref': duplicate reference 'r1' [E312]
            r1\t10.0000/fixture.9\t\tFixture D\t2023\tFixture paper four\tFixture Journal
            ^
            Evidence/references.tsv:2:1: note: first declared here
            r1\t10.0000/fixture.1\t\tFixture A\t2020\tFixture paper one\tFixture Journal
            ^
            1 error generated

            """)
        expectRefused(
            try run { try $0.edit("Rules/mini.rules") { $0 + "activity angiogenesis\n  label \"again\"\nend\n" } },
            """
            Rules/mini.rules:46:10: error: duplicate declaration of activity 'angiogenesis' [E201]
            activity angiogenesis
                     ^
            Rules/mini.rules:32:10: note: first declared here
            activity angiogenesis  # check-ignore W409: a test fixture; identifiers are for the shipped rules
                     ^
            1 error generated

            """)
    }

    @Test("NaN, infinite and negative numbers: weights (E209), policy values (E204), a year (E315)")
    func numbers() throws {
        for (value, shown) in [("nan", "nan"), ("inf", "inf"), ("-1", "-1.0"), ("1e999", "inf")] {
            expectRefused(
                try run(
                    "Rules/mini.rules", replacing: "angiogenesis      weight 3",
                    with: "angiogenesis      weight \(value)"),
                """
                Rules/mini.rules:41:37: error: weight must be a finite number greater than 0, found \(shown) [E209]
                  requires angiogenesis      weight \(value) because "vessels"
                                                    ^
                1 error generated

                """)
        }
        expectRefused(
            try run("Rules/mini.rules", replacing: "level in-vitro 0.3", with: "level in-vitro -0.5"),
            """
            Rules/mini.rules:5:18: error: level 'in-vitro' must be a number between 0 and 1, found -0.5 [E204]
              level in-vitro -0.5
                             ^
            1 error generated

            """)
        expectRefused(
            try run { directory in
                try directory.edit("Rules/mini.rules") {
                    $0.replacingOccurrences(of: "minimum-support 0.05", with: "minimum-support -inf")
                        .replacingOccurrences(of: "discount cross-source 0.4", with: "discount cross-source NaN")
                }
            },
            """
            Rules/mini.rules:8:25: error: discount 'cross-source' must be a number between 0 and 1, found nan [E204]
              discount cross-source NaN
                                    ^
            Rules/mini.rules:13:19: error: 'minimum-support' must be a number between 0 and 1, found -inf [E204]
              minimum-support -inf
                              ^
            2 errors generated

            """)
        expectRefused(
            try run("Evidence/references.tsv", replacing: "\t2020\t", with: "\t-2020\t"),
            """
            Evidence/references.tsv:2:33: error: column 'year': '-2020' is not a four-digit year [E315]
            r1\t10.0000/fixture.1\t\tFixture A\t-2020\tFixture paper one\tFixture Journal
              \t                 \t\t         \t^
            1 error generated

            """)
    }

    @Test("alias collisions and cycles (E202, E201)")
    func aliases() throws {
        expectRefused(
            try run(
                "Rules/mini.rules", replacing: "  label \"Bone-marrow MSCs\"\n",
                with: "  label \"Bone-marrow MSCs\"\n  aliases ASC\n"),
            """
            Rules/mini.rules:23:11: error: alias 'ASC' of source 'bone-marrow' collides with an alias of source \
            'adipose' [E202]
              aliases ASC
                      ^
            Rules/mini.rules:19:11: note: first declared here
              aliases ASC
                      ^
            1 error generated

            """)
        expectRefused(
            try run { directory in
                try directory.edit("Rules/mini.rules") {
                    $0.replacingOccurrences(of: "  aliases ASC\n", with: "  aliases ASC bone-marrow\n")
                        .replacingOccurrences(
                            of: "  label \"Bone-marrow MSCs\"\n",
                            with: "  label \"Bone-marrow MSCs\"\n  aliases adipose\n")
                }
            },
            """
            Rules/mini.rules:21:8: error: source 'bone-marrow' collides with an alias of source 'adipose' [E201]
            source bone-marrow  # check-ignore W409: a test fixture; identifiers are for the shipped rules
                   ^
            Rules/mini.rules:19:15: note: first declared here
              aliases ASC bone-marrow
                          ^
            1 error generated

            """)
        expectRefused(
            try run("Rules/mini.rules", replacing: "  aliases ASC\n", with: "  aliases ASC adipose\n"),
            """
            Rules/mini.rules:19:15: error: alias 'adipose' of source 'adipose' collides with source 'adipose' [E202]
              aliases ASC adipose
                          ^
            Rules/mini.rules:17:8: note: first declared here
            source adipose  # check-ignore W409: a test fixture; identifiers are for the shipped rules
                   ^
            1 error generated

            """)
    }

    /// Cuts the fixture's rules before their only indication.
    func withoutIndications(_ directory: TemporaryDirectory) throws {
        try directory.edit("Rules/mini.rules") { text in
            String(text[..<(try #require(text.range(of: "indication wound"))).lowerBound])
        }
    }

    @Test("a knowledge base with no indications: a warning (W406), exit 0; 'check --strict' fails")
    func noIndications() throws {
        let rank = try run(after: withoutIndications)
        #expect(rank.status == 0)
        #expect(rank.stdout == "")
        #expect(
            rank.stderr == """
                Rules/mini.rules:1:1: warning: the rules declare no indication, so there is nothing to rank; add an \
                'indication NAME … end' block [W406]
                # A tiny knowledge base whose numbers are worked out by hand in CommandLineTests.
                ^
                1 warning generated

                """)
        let check = try run(["check", "--strict"], after: withoutIndications)
        #expect(check.status == 1)
        // Then the fixture's seven terms without ontology identifiers, each suppressed (W409).
        #expect(
            check.stdout.hasPrefix(
                """
                Rules/mini.rules:1:1: warning: the rules declare no indication, so there is nothing to rank; add an \
                'indication NAME … end' block [W406]
                # A tiny knowledge base whose numbers are worked out by hand in CommandLineTests.
                ^
                suppressed:
                  Rules/mini.rules:3:9: warning: level 'clinical' is declared but never used [W403] — the full level \
                scale, though no fixture record is clinical (Rules/mini.rules:3:26)
                  Rules/mini.rules:12:11: warning: product 'cells' is declared but never used [W403] — the full \
                product scale (Rules/mini.rules:12:26)

                """))
        let identifiers = check.stdout.split(separator: "\n").filter { $0.contains("[W409]") }
        #expect(identifiers.count == 7)
        #expect(identifiers.allSatisfy { $0.contains("— a test fixture; identifiers are for the shipped rules") })
        #expect(check.stderr == "check: 0 errors, 1 warning, 9 suppressed\n")
    }

    @Test("an indication with no candidates: said so, exit 0")
    func noCandidates() throws {
        let outcome = try run(["rank", "--wide"]) { directory in
            try directory.write("Evidence/secretome.tsv", secretomeHeader)
            try directory.write("Evidence/function.tsv", functionHeader + fn("F1", "any-msc", "none", "angiogenesis"))
            try directory.write(
                "Evidence/comparisons.tsv",
                comparisonsHeader + cmp("X1", "any-msc", "hypoxia", versus: "any-msc", "none", "angiogenesis"))
        }
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
        #expect(
            outcome.stdout == """
                wound: Wound <healing> & "repair" (0 candidates, 0 eligible)
                  (no candidates: no secretome, function or comparison record names a source and pre-conditioning)

                """)
    }
}

/// Issue 16, finding 10: codes are a closed type, and every one is documented.
@Suite("Diagnostic codes")
struct DiagnosticCodeTests {
    /// docs/errors.md's index as `DiagnosticCode` says it must be.
    static var expectedIndex: String {
        DiagnosticCode.allCases.sorted().map { code in
            "| \(code) | \(code.severity.rawValue) | \(code.summary.replacingOccurrences(of: "|", with: "\\|")) |"
        }.joined(separator: "\n")
    }

    @Test("docs/errors.md lists every code, with its severity and summary, and no other")
    func documented() throws {
        let docs = try String(contentsOfFile: packageRoot + "/docs/errors.md", encoding: .utf8)
        let section = try #require(docs.components(separatedBy: "## Every code").last)
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| E") || $0.hasPrefix("| W") }
        #expect(rows.joined(separator: "\n") == Self.expectedIndex, "expected:\n\(Self.expectedIndex)")
        #expect(DiagnosticCatalog.entries.map(\.code) == DiagnosticCode.allCases.sorted())
    }

    @Test("no code is written as a string anywhere in Sources: each is a case of DiagnosticCode")
    func noStringCodes() throws {
        let sources = packageRoot + "/Sources"
        let files = try #require(FileManager.default.enumerator(atPath: sources)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !$0.hasSuffix("DiagnosticCode.swift") }
        let pattern = try Regex(#""[EW][0-9]{3}""#)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(pattern) {
                found.append("\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        #expect(files.count > 50)
    }
}
