import EvidenceModel
import RuleEngine

/// Renders expectation results as text, JSON or JUnit XML.
struct ExpectationRenderer {
    var results: [ExpectationResult]
    var coverage: ExpectationCoverage
    /// The knowledge base's content hash, recorded by the JSON output (the run manifest).
    var contentHash = ""
    var style = Style(enabled: false)

    static func describe(_ standing: ExpectationResult.Standing) -> String {
        let rank = standing.rank.map { "rank \($0) of \(standing.of)" } ?? "untested (not ranked)"
        return "\(standing.candidate): \(rank), score \(NumberFormat.fixed(standing.score, 4)), "
            + (standing.isEligible ? "eligible" : "not eligible")
    }

    static func expected(_ expectation: Expectation) -> String {
        switch expectation.claim {
        case .top(let n, let c): "\(c) ranked 1 to \(n)"
        case .above(let a, let b): "\(a) ranked above \(b)"
        case .eligible(let c): "\(c) eligible"
        case .ineligible(let c): "\(c) not eligible"
        case .score(let c, let range):
            "\(c) scoring between \(NumberFormat.weight(range.lowerBound)) and \(NumberFormat.weight(range.upperBound))"
        }
    }

    /// `expectations: N passed, M failed` (the command prints it on stderr).
    var summary: String {
        let failed = results.filter { !$0.passed }.count
        return "expectations: \(results.count - failed) passed, \(failed) failed\n"
    }

    func text() -> String {
        var out = ""
        for result in results {
            let e = result.expectation
            let mark = result.passed ? style.green("PASS") : style.red("FAIL")
            out += "\(mark)  \(e.span)  \(e.indication): \(e.statement)\n"
            if !result.passed {
                out += "      expected: \(Self.expected(e))\n"
                for standing in result.standings { out += "      actual:   \(Self.describe(standing))\n" }
                out += "      because \"\(TerminalText.field(e.rationale))\""
                if !e.citations.isEmpty { out += " [" + e.citations.map(\.rawValue).joined(separator: ", ") + "]" }
                out += "\n"
            } else {
                out += "      " + result.standings.map(Self.describe).joined(separator: "; ") + "\n"
            }
        }
        out += "\nexpectation coverage:\n"
        if coverage.indicationsWithoutExpectations.isEmpty {
            out += "  every indication has expectations\n"
        } else {
            out +=
                "  indications without expectations: "
                + coverage.indicationsWithoutExpectations.map(\.rawValue).joined(separator: ", ") + "\n"
        }
        if coverage.unexercisedLines.isEmpty {
            out += "  every rule line is exercised\n"
        } else {
            out += "  rule lines no expectation exercises:\n"
            for line in coverage.unexercisedLines {
                out += "    \(line.span)  \(line.kind.rawValue) \(line.activity)\n"
            }
        }
        return out
    }

    private static func standing(_ s: ExpectationResult.Standing) -> JSON {
        .object([
            ("candidate", .string(s.candidate.id)), ("rank", s.rank.map(JSON.int) ?? .null), ("of", .int(s.of)),
            ("score", .number(s.score)), ("eligible", .bool(s.isEligible)),
        ])
    }

    func json() -> String {
        JSON.object([
            ("schemaVersion", .int(1)),
            ("kind", .string("expectations")),
            ("tool", JSONEncoding.tool),
            ("contentHash", .string("sha256:" + contentHash)),
            (
                "summary",
                .object([
                    ("passed", .int(results.filter(\.passed).count)),
                    ("failed", .int(results.filter { !$0.passed }.count)),
                ])
            ),
            (
                "results",
                .array(
                    results.map { r in
                        .object([
                            ("indication", .string(r.expectation.indication.rawValue)),
                            ("statement", .string(r.expectation.statement)),
                            ("expected", .string(Self.expected(r.expectation))),
                            ("passed", .bool(r.passed)),
                            ("actual", .array(r.standings.map(Self.standing))),
                            ("rationale", .string(r.expectation.rationale)),
                            ("citations", .array(r.expectation.citations.map { .string($0.rawValue) })),
                            ("location", JSONEncoding.span(r.expectation.span)),
                        ])
                    })
            ),
            (
                "coverage",
                .object([
                    (
                        "indicationsWithoutExpectations",
                        .array(coverage.indicationsWithoutExpectations.map { .string($0.rawValue) })
                    ),
                    (
                        "unexercisedLines",
                        .array(
                            coverage.unexercisedLines.map { line in
                                .object([
                                    ("kind", .string(line.kind.rawValue)),
                                    ("activity", .string(line.activity.rawValue)),
                                    ("rule", JSONEncoding.span(line.span)),
                                ])
                            })
                    ),
                ])
            ),
        ]).rendered()
    }

    /// JUnit XML: one test suite per indication, one test case per expectation.
    func junit() -> String {
        let failed = results.filter { !$0.passed }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"recommend test\" tests=\"\(results.count)\" failures=\"\(failed)\">\n"
        var order: [IndicationID] = []
        for result in results where !order.contains(result.expectation.indication) {
            order.append(result.expectation.indication)
        }
        for indication in order {
            let suite = results.filter { $0.expectation.indication == indication }
            out +=
                "  <testsuite name=\"\(XML.escape(indication.rawValue))\" tests=\"\(suite.count)\" "
                + "failures=\"\(suite.filter { !$0.passed }.count)\">\n"
            for result in suite {
                let e = result.expectation
                out +=
                    "    <testcase name=\"\(XML.escape(e.statement))\" classname=\"\(XML.escape(indication.rawValue))\" "
                    + "file=\"\(XML.escape(e.span.path))\" line=\"\(e.span.start.line)\""
                if result.passed {
                    out += "/>\n"
                } else {
                    let actual = result.standings.map(Self.describe).joined(separator: "; ")
                    out +=
                        ">\n      <failure message=\"\(XML.escape("expected \(Self.expected(e)); actual \(actual)"))\">"
                        + XML.escape("because \"\(e.rationale)\" at \(e.span)") + "</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }
}

/// XML escaping for attribute values and text; characters XML 1.0 cannot hold become U+FFFD.
enum XML {
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
