import EvidenceModel
import Foundation
import RuleEngine
import Testing

@testable import recommend

/// `why-not`: the smallest evidence addition, hand-computed on small bases, and applied for real to a copy
/// of the shipped knowledge base to show that it changes the outcome it predicts.
@Suite("Why-not")
struct WhyNotTests {
    static func answer(
        _ r: Recommender, _ candidate: String, than rival: String?, limit: Int = Recommender.whyNotSearchLimit
    ) throws -> WhyNotAnswer {
        let vocabulary = r.knowledgeBase.rules.vocabulary
        let indication = try #require(r.knowledgeBase.rules.indication(IndicationID("test")))
        return r.whyNot(
            try Candidate.parse(candidate, vocabulary: vocabulary).get(), for: indication,
            than: try rival.map { try Candidate.parse($0, vocabulary: vocabulary).get() }, limit: limit)
    }

    static func describe(_ addition: EvidenceAddition?) -> [String] {
        (addition?.records ?? []).map {
            "\($0.count) \($0.outcome.rawValue) \($0.line.activity) \($0.level) \($0.product)"
        }
    }

    @Test("eligibility, then passing the rival: the weakest record that suffices, numbers by hand")
    func eligibilityThenPassing() throws {
        // adipose+none: angiogenesis refuted by an in-vitro record, N = [0.3]: support −0.3/ζ(2) < 0.05.
        // bone-marrow+none: angiogenesis 0.6/ζ(2); score 0.3/ζ(2) (anti-inflammatory has no evidence).
        let r = try recommender(
            indications: """
                indication test
                  requires angiogenesis weight 1 because "v"
                  supports anti-inflammatory weight 1 because "i"
                end

                """,
            functions: fn("F1", "adipose", "none", "angiogenesis", "refutes", level: "in-vitro")
                + fn("F2", "bone-marrow", "none", "angiogenesis", ref: "r2"))
        let answer = try Self.answer(r, "adipose+none", than: "bone-marrow+none")
        #expect(answer.candidateRank == 2 && answer.rivalRank == 1 && answer.candidateCount == 2)

        // Eligible needs H(P) ≥ 0.05 + 0.3/ζ(2), i.e. one value v ≥ 0.05·ζ(2) + 0.3 = 0.382247. By value the
        // kinds are 0.15, 0.225, 0.3, 0.3, 0.3, 0.45 (ex-vivo; conditioned-medium sorts first), …
        #expect(Self.describe(answer.toBecomeEligible) == ["1 supports angiogenesis ex-vivo conditioned-medium"])
        let eligible = try #require(answer.toBecomeEligible)
        expectClose(eligible.candidate.activities[0].support, 0.45 / zeta2 - 0.3 / zeta2)
        expectClose(eligible.candidate.score, (0.45 / zeta2 - 0.3 / zeta2) / 2)
        #expect(eligible.candidate.isEligible && eligible.candidate.referenceCount == 2)
        // The records of adipose+none do not apply to bone-marrow+none (another source, no pre-conditioning).
        #expect(eligible.rival?.score == answer.rival?.score)

        // Passing 0.3/ζ(2) needs (v − 0.3)/ζ(2) / 2 > 0.3/ζ(2): v > 0.9. One clinical record replaces the
        // ex-vivo one: one record beats two.
        #expect(Self.describe(answer.toPassRival) == ["1 supports angiogenesis clinical conditioned-medium"])
        let passing = try #require(answer.toPassRival)
        expectClose(passing.candidate.score, (1.0 / zeta2 - 0.3 / zeta2) / 2)
        #expect(passing.candidate.isEligible)

        // Alone, a line needs support + (0.3/ζ(2)·2 − (−0.3/ζ(2))) / 1.
        #expect(answer.thresholds.count == 2)
        expectClose(answer.thresholds[0].bound, 0.6 / zeta2)
        expectClose(answer.thresholds[1].bound, 0.9 / zeta2)
        #expect(answer.thresholds.allSatisfy { $0.isReachable })
    }

    @Test("the new records also apply to a rival of the same pre-conditioning (cross-source)")
    func rivalGainsToo() throws {
        // adipose+hypoxia: P = [0.3 own, 0.24 = 0.6·0.4 from bone-marrow]: H = (0.3 + 0.24/4)/ζ(2).
        // bone-marrow+hypoxia: P = [0.6 own, 0.12 = 0.3·0.4 from adipose]: H = (0.6 + 0.12/4)/ζ(2).
        // k = 1 record of value v from adipose+hypoxia: A = v + 0.3/4 + 0.24/9, B = 0.6 + 0.4v/4 + 0.12/9
        // (both ×1/ζ(2)), so A > B needs v > 0.568519: in-vivo conditioned-medium (0.6); clinical cells
        // (0.5) is not enough.
        let r = try recommender(
            indications: """
                indication test
                  requires angiogenesis weight 1 because "v"
                end

                """,
            functions: fn("F1", "adipose", "hypoxia", "angiogenesis", level: "in-vitro")
                + fn("F2", "bone-marrow", "hypoxia", "angiogenesis", ref: "r2"))
        let answer = try Self.answer(r, "adipose+hypoxia", than: "bone-marrow+hypoxia")
        expectClose(answer.candidate.score, (0.3 + 0.24 / 4) / zeta2)
        expectClose(try #require(answer.rival).score, (0.6 + 0.12 / 4) / zeta2)
        #expect(answer.toBecomeEligible == nil && !answer.eligibilityUnreachable)
        #expect(Self.describe(answer.toPassRival) == ["1 supports angiogenesis in-vivo conditioned-medium"])
        let passing = try #require(answer.toPassRival)
        expectClose(passing.candidate.score, (0.6 + 0.3 / 4 + 0.24 / 9) / zeta2)
        expectClose(try #require(passing.rival).score, (0.6 + 0.24 / 4 + 0.12 / 9) / zeta2)
        #expect(passing.candidate.referenceCount == 3 && passing.rival?.referenceCount == 3)
        expectClose(answer.thresholds[0].bound, (0.6 + 0.12 / 4) / zeta2)
    }

    @Test("a minimum level is met by the weakest record at that level")
    func minimumLevel() throws {
        // Support is enough (in-vitro 0.3/ζ(2)), but no own-source record reaches in-vivo (0.6). The weakest
        // record at in-vivo or above is in-vivo cells (0.6 × 0.5), on the first wanted line.
        let r = try recommender(
            indications: """
                indication test
                  requires angiogenesis weight 1 because "v"
                  supports anti-inflammatory weight 1 because "i"
                  minimum-level in-vivo
                end

                """,
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "in-vitro"))
        let answer = try Self.answer(r, "adipose+none", than: nil)
        #expect(Self.describe(answer.toBecomeEligible) == ["1 supports angiogenesis in-vivo cells"])
        let eligible = try #require(answer.toBecomeEligible)
        #expect(eligible.candidate.isEligible)
        expectClose(eligible.candidate.activities[0].support, (0.3 + 0.3 / 4) / zeta2)
    }

    @Test("fewest records first; none within the search limit is reported as unreachable")
    func searchLimit() throws {
        // N = [1.0] (a clinical refutation). One clinical record gives support 0 < 0.05; two give
        // (1 + 1/4 − 1)/ζ(2) = 0.151982, and no weaker pair suffices: 1.25·v ≥ 1 + 0.05·ζ(2) needs v ≥ 0.8658.
        let r = try recommender(
            indications: """
                indication test
                  requires angiogenesis weight 1 because "v"
                end

                """,
            functions: fn("F1", "adipose", "none", "angiogenesis", "refutes", level: "clinical"))
        let one = try Self.answer(r, "adipose+none", than: nil, limit: 1)
        #expect(one.eligibilityUnreachable && one.toBecomeEligible == nil)
        let two = try Self.answer(r, "adipose+none", than: nil, limit: 2)
        #expect(Self.describe(two.toBecomeEligible) == ["2 supports angiogenesis clinical conditioned-medium"])
        expectClose(try #require(two.toBecomeEligible).candidate.activities[0].support, 0.25 / zeta2)
    }

    // MARK: Applying the suggestion for real

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// A copy of the shipped knowledge base with the first `count` rows that `why-not` printed added to
    /// function.tsv (placeholders filled in) and their references to references.tsv.
    static func copyWithRows(_ rows: [String], count: Int) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.copyShipped()
        var functions = ""
        var references = ""
        for (index, row) in rows.prefix(count).enumerated() {
            let n = index + 1
            functions +=
                row.replacingOccurrences(of: "\tSPECIES\t", with: "\thuman\t")
                .replacingOccurrences(of: "\tNEW-REF-\(n)\t", with: "\twhy-not-\(n)\t")
                .replacingOccurrences(of: "\tNOTE", with: "\thypothetical") + "\n"
            references += "why-not-\(n)\t10.5555/why-not.\(n)\t\tNobody N\t2026\tHypothetical \(n)\tNone\n"
        }
        try directory.edit("Evidence/function.tsv") { $0 + functions }
        try directory.edit("Evidence/references.tsv") { $0 + references }
        return directory
    }

    /// The candidate's and the rival's entries in the JSON ranking of `indication` on `directory`.
    static func ranked(_ directory: TemporaryDirectory, _ indication: String, _ candidates: [String]) throws
        -> [[String: Any]]
    {
        let result = runTool([
            "rank", "--indication", indication, "--include-untested", "--format", "json",
            "--rules", directory.path + "/Rules", "--evidence", directory.path + "/Evidence",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rankings = try #require(try json(result.stdout)["indications"] as? [[String: Any]])
        let entries = try #require(rankings.first?["candidates"] as? [[String: Any]])
        return try candidates.map { id in try #require(entries.first { $0["candidate"] as? String == id }) }
    }

    @Test(
        "the suggested rows, added to a copy of the shipped files, give exactly the predicted outcome",
        arguments: [
            ("wound-healing", "menstrual-blood+il-1beta", nil),  // ineligible: angiogenesis below minimum-support
            ("wound-healing", "placenta+none", "umbilical-cord+none"),
            ("wound-healing", "dental-pulp+hypoxia", "adipose+hypoxia"),  // the rival gains cross-source
            ("immunomodulation", "adipose+lps", nil),  // ineligible: immunosuppression too weak
        ] as [(String, String, String?)])
    func appliedForReal(indication: String, candidate: String, rival: String?) throws {
        var arguments = ["why-not", "--indication", indication, "--candidate", candidate, "--wide"]
        arguments += rival.map { ["--than", $0] } ?? []
        let base = shippedBase
        let text = runTool(arguments + base)
        #expect(text.status == 0, "\(text.stderr)")
        let rows = text.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("  WHY-NOT-") }
            .map { String($0.dropFirst(2)) }
        #expect(!rows.isEmpty)

        let answer = try Self.json(runTool(arguments + base + ["--format", "json"]).stdout)
        let rivalID = try #require((answer["rival"] as? [String: Any])?["candidate"] as? String)
        let wasEligible = try #require((answer["candidate"] as? [String: Any])?["eligible"] as? Bool)
        let passing = try #require(answer["toPassRival"] as? [String: Any])
        let predicted = try #require(passing["candidate"] as? [String: Any])
        let predictedRival = try #require(passing["rival"] as? [String: Any])
        let recordCount = (passing["records"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
        #expect(rows.count == recordCount)

        // With every row: eligible, above the rival, and exactly the predicted numbers.
        let applied = try Self.copyWithRows(rows, count: rows.count)
        let after = try Self.ranked(applied, indication, [candidate, rivalID])
        #expect(after[0]["eligible"] as? Bool == true)
        #expect((after[0]["rank"] as? Int ?? .max) < (after[1]["rank"] as? Int ?? 0))
        #expect(after[0]["score"] as? Double == predicted["score"] as? Double)
        #expect(after[0]["referenceCount"] as? Int == predicted["referenceCount"] as? Int)
        #expect(after[1]["score"] as? Double == predictedRival["score"] as? Double)

        // One row fewer is not enough (fewest records), for eligibility or for the rank.
        let fewer = try Self.copyWithRows(rows, count: rows.count - 1)
        let short = try Self.ranked(fewer, indication, [candidate, rivalID])
        let shortPasses = (short[0]["rank"] as? Int ?? .max) < (short[1]["rank"] as? Int ?? 0)
        #expect(!shortPasses)

        // The eligibility addition alone makes an ineligible candidate eligible, as predicted.
        if !wasEligible {
            let eligibility = try #require(answer["toBecomeEligible"] as? [String: Any])
            let count = (eligibility["records"] as? [[String: Any]] ?? []).reduce(0) {
                $0 + ($1["count"] as? Int ?? 0)
            }
            let records = try #require(eligibility["records"] as? [[String: Any]])
            let eligibleRows = Self.rows(records, candidate: candidate)
            #expect(eligibleRows.count == count)
            let eligibleCopy = try Self.copyWithRows(eligibleRows, count: count)
            let now = try Self.ranked(eligibleCopy, indication, [candidate])
            #expect(now[0]["eligible"] as? Bool == true)
            let predictedEligible = try #require(eligibility["candidate"] as? [String: Any])
            #expect(now[0]["score"] as? Double == predictedEligible["score"] as? Double)
        }
    }

    @Test(
        "one head-to-head win, added as a comparison to a copy of the shipped files, gives exactly the predicted scores",
        arguments: [
            ("wound-healing", "umbilical-cord+none", nil),  // a source contrast against the rival's baseline
            ("wound-healing", "dental-pulp+hypoxia", "adipose+hypoxia"),  // against the rival itself
            ("immunomodulation", "dental-pulp+hypoxia", nil),  // against its own baseline
        ] as [(String, String, String?)])
    func headToHeadAppliedForReal(indication: String, candidate: String, rival: String?) throws {
        var arguments = ["why-not", "--indication", indication, "--candidate", candidate, "--wide"]
        arguments += rival.map { ["--than", $0] } ?? []
        let text = runTool(arguments + shippedBase)
        let prefix = "  as a row of comparisons.tsv: "
        let row = try #require(
            text.stdout.split(separator: "\n").first { $0.hasPrefix(prefix) }?.dropFirst(prefix.count))
        let answer = try Self.json(runTool(arguments + shippedBase + ["--format", "json"]).stdout)
        let rivalID = try #require((answer["rival"] as? [String: Any])?["candidate"] as? String)
        let headToHead = try #require(answer["headToHead"] as? [String: Any])
        let wins = try #require(headToHead["wins"] as? [[String: Any]])
        #expect(wins.map { $0["level"] as? String } == ["in-vitro", "ex-vivo", "in-vivo", "clinical"])
        for win in wins {
            let level = try #require(win["level"] as? String)
            let directory = try TemporaryDirectory()
            try directory.copyShipped()
            let filled = row.replacingOccurrences(of: "WHY-NOT-H2H", with: "WHY-NOT-H2H-1")
                .replacingOccurrences(of: "\tLEVEL\t", with: "\t\(level)\t")
                .replacingOccurrences(of: "\tSPECIES\t", with: "\thuman\t")
                .replacingOccurrences(of: "\tNEW-REF\t", with: "\twhy-not-h2h\t")
                .replacingOccurrences(of: "\tNOTE", with: "\thypothetical")
            try directory.edit("Evidence/comparisons.tsv") { $0 + filled + "\n" }
            try directory.edit("Evidence/references.tsv") {
                $0 + "why-not-h2h\t10.5555/why-not.h2h\t\tNobody N\t2026\tHypothetical\tNone\n"
            }
            let after = try Self.ranked(directory, indication, [candidate, rivalID])
            let predicted = try #require(win["candidate"] as? [String: Any])
            let predictedRival = try #require(win["rival"] as? [String: Any])
            #expect(after[0]["score"] as? Double == predicted["score"] as? Double, "\(level)")
            #expect(after[1]["score"] as? Double == predictedRival["score"] as? Double, "\(level)")
            #expect(after[0]["referenceCount"] as? Int == predicted["referenceCount"] as? Int, "\(level)")
            let above = (after[0]["rank"] as? Int ?? .max) < (after[1]["rank"] as? Int ?? 0)
            #expect(above == win["ranksAboveRival"] as? Bool, "\(level)")
        }
    }

    /// The function.tsv rows of JSON addition records, with the placeholders `why-not` prints.
    static func rows(_ records: [[String: Any]], candidate: String) -> [String] {
        let parts = candidate.split(separator: "+").map(String.init)
        var rows: [String] = []
        for record in records {
            let fields = ["product", "activity", "outcome", "level"].map { record[$0] as? String ?? "" }
            for _ in 0..<(record["count"] as? Int ?? 0) {
                let n = rows.count + 1
                let row = ["WHY-NOT-\(n)", parts[0], parts[1]] + fields + ["SPECIES", "NEW-REF-\(n)", "NOTE"]
                rows.append(row.joined(separator: "\t"))
            }
        }
        return rows
    }

    @Test("the command line: usage errors and the leader as the default rival")
    func commandLine() throws {
        let base = shippedBase
        let same = runTool(
            ["why-not", "--indication", "wound-healing", "--candidate", "adipose+none", "--than", "adipose+none"]
                + base)
        #expect(same.status == 2)
        #expect(
            same.stderr
                == "error: --than: 'adipose+none' is the candidate itself; name another candidate, or leave --than "
                + "out to compare with the leader [E401]\n")
        let unknown = runTool(
            ["why-not", "--indication", "wound-healing", "--candidate", "adipose+none", "--than", "adipos+none"] + base)
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: --than: unknown source 'adipos' — did you mean 'adipose'? [E401]\n")
        let missing = runTool(["why-not", "--indication", "wound-healing"] + base)
        #expect(missing.status == 2 && missing.stderr.hasPrefix("error: missing required option '--candidate'"))

        let csv = runTool(["rank", "--indication", "wound-healing", "--top", "1", "--format", "csv"] + base).stdout
        let first = try #require(csv.split(separator: "\n").last?.split(separator: ",").dropFirst(2).first)
        let leader = runTool(["why-not", "--indication", "wound-healing", "--candidate", String(first)] + base)
        #expect(leader.status == 0)
        #expect(leader.stdout.hasSuffix("\n\(first) ranks first and is eligible: nothing to add.\n"))
        let ahead = runTool(
            ["why-not", "--indication", "wound-healing", "--candidate", "adipose+hypoxia", "--than", "adipose+none"]
                + base)
        #expect(ahead.stdout.hasSuffix("\nadipose+hypoxia already ranks above adipose+none: nothing to add.\n"))
    }
}
