import EvidenceModel
import Foundation
import Testing

@testable import RuleEngine
@testable import recommend

/// `sensitivity`: perturbed weights checked run by run against the hand-derived condition for a swap;
/// leave-one-reference-out by hand and by deleting the rows for real; determinism.
@Suite("Sensitivity")
struct SensitivityTests {
    static let indication = """
        indication test
          requires angiogenesis weight 1 because "v"
        end

        """

    static func report(_ r: Recommender, runs: Int = 200, seed: UInt64 = 7, top: Int = 1) throws -> SensitivityReport {
        let indication = try #require(r.knowledgeBase.rules.indication(IndicationID("test")))
        return r.sensitivity(of: indication, options: SensitivityOptions(runs: runs, seed: seed, top: top))
    }

    @Test("each perturbed run ranks as its own values say: A first iff 1.25·w(in-vitro) > w(ex-vivo)")
    func perturbedRunsByHand() throws {
        // adipose+none: two in-vitro records (r1, r2): H = w_iv·(1 + 1/4)/ζ(2) (product weights equal).
        // bone-marrow+none: one ex-vivo record (r3): H = w_ev/ζ(2). Unperturbed 0.375 < 0.45: bone-marrow
        // first. Perturbed, adipose is first exactly when 1.25·w_iv > w_ev, i.e. f_iv/f_ev > 1.2.
        let r = try recommender(
            indications: Self.indication,
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "in-vitro")
                + fn("F2", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r2")
                + fn("F3", "bone-marrow", "none", "angiogenesis", level: "ex-vivo", ref: "r3"))
        let report = try Self.report(r)
        #expect(report.candidates.map(\.baseline.evaluation.candidate.id) == ["bone-marrow+none", "adipose+none"])
        #expect(report.runs.count == 200)
        #expect(
            report.perturbedNames == [
                "discount.comparison", "discount.cross-source", "discount.from-baseline", "discount.via-component",
                "level.clinical",
                "level.ex-vivo", "level.in-vitro", "level.in-vivo", "minimum-support", "product.cells",
                "product.conditioned-medium", "product.extracellular-vesicles", "test.angiogenesis",
            ])
        var adiposeFirst = 0
        for run in report.runs {
            let values = Dictionary(uniqueKeysWithValues: run.overrides.map { ($0.name, $0.value) })
            let (invitro, exvivo) = (try #require(values["level.in-vitro"]), try #require(values["level.ex-vivo"]))
            #expect((0.225...0.375).contains(invitro) && (0.3375...0.5625).contains(exvivo))
            #expect(values.values.allSatisfy { $0 > 0 })
            #expect(try #require(values["level.clinical"]) <= 1)
            let expected = 1.25 * invitro > exvivo
            #expect((run.ranks[1] == 1) == expected, "\(run.overrides)")
            if expected { adiposeFirst += 1 }
        }
        #expect(report.candidates[1].topCount == adiposeFirst)
        #expect(report.candidates[0].topCount == 200 - adiposeFirst)
        #expect(adiposeFirst > 0 && adiposeFirst < 200)
        #expect(report.candidates[1].perturbedRanks == 1...2)
    }

    @Test("a ranking no weight can change is stable in every run")
    func stable() throws {
        // adipose: two in-vivo records; bone-marrow: one of the same kind. Any weights keep adipose first.
        let r = try recommender(
            indications: Self.indication,
            functions: fn("F1", "adipose", "none", "angiogenesis")
                + fn("F2", "adipose", "none", "angiogenesis", ref: "r2")
                + fn("F3", "bone-marrow", "none", "angiogenesis", ref: "r3"))
        let report = try Self.report(r, runs: 50)
        #expect(report.candidates.map(\.perturbedRanks) == [1...1, 2...2])
        #expect(report.candidates.map(\.topCount) == [50, 0])
        #expect(report.candidates.map(\.eligibleCount) == [50, 50])
    }

    @Test("leave one reference out, by hand")
    func leaveOneOut() throws {
        // adipose: r1 in-vivo and r2 in-vitro, H = (0.6 + 0.3/4)/ζ(2); bone-marrow: r3 in-vivo, 0.6/ζ(2).
        // Without r1, adipose has 0.3/ζ(2): bone-marrow first. Without r2, 0.6 each, one reference each:
        // adipose first by id. Without r3, bone-marrow has no record: it is not a candidate.
        let r = try recommender(
            indications: Self.indication,
            functions: fn("F1", "adipose", "none", "angiogenesis")
                + fn("F2", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r2")
                + fn("F3", "bone-marrow", "none", "angiogenesis", ref: "r3"),
            mechanisms: mech("M1", "HGF", "anti-inflammatory", ref: "r4"))
        let report = try Self.report(r, runs: 0)
        #expect(report.referencesLeftOut.map(\.rawValue) == ["r1", "r2", "r3"])
        #expect(report.topChangingReferences.map(\.reference.rawValue) == ["r1"])
        #expect(report.topChangingReferences.first?.top.map(\.id) == ["bone-marrow+none"])
        #expect(report.candidates.map(\.leaveOneOutRanks) == [1...2, 1...2])
        #expect(report.candidates.map(\.leaveOneOutAbsent) == [0, 1])
    }

    @Test("deterministic for a seed; each reported reference, deleted from a copy of the files, gives its top 3")
    func shipped() throws {
        let base = shippedBase
        let arguments = ["sensitivity", "--indication", "wound-healing", "--runs", "20", "--format", "json"] + base
        let first = runTool(arguments + ["--seed", "5"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(runTool(arguments + ["--seed", "5"]).stdout == first.stdout)
        let other = runTool(arguments + ["--seed", "6"])
        #expect(other.stdout != first.stdout)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let effects = try #require(json["topChangingReferences"] as? [[String: Any]])
        #expect(!effects.isEmpty)

        for effect in effects.prefix(2) {
            let reference = try #require(effect["reference"] as? String)
            let directory = try TemporaryDirectory()
            try directory.copyShipped()
            var removed = 0
            for name in EvidenceFiles.fileNames + [EvidenceFiles.optionalFileName] where name != "references.tsv" {
                try directory.edit("Evidence/" + name) { text in
                    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    let before = lines.count
                    lines.removeAll {
                        $0.split(separator: "\t", omittingEmptySubsequences: false).contains { $0 == reference }
                    }
                    removed += before - lines.count
                    return lines.joined(separator: "\n")
                }
            }
            #expect(removed > 0)
            let ranked = runTool([
                "rank", "--indication", "wound-healing", "--top", "3", "--format", "csv",
                "--rules", directory.path + "/Rules", "--evidence", directory.path + "/Evidence",
            ])
            #expect(ranked.status == 0, "\(ranked.stderr)")
            let top = ranked.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst()
                .map { String($0.split(separator: ",")[2]) }
            #expect(top == (effect["top"] as? [String] ?? []), "\(reference)")
        }
    }

    @Test("usage errors")
    func usage() {
        let base = shippedBase
        let seed = runTool(["sensitivity", "--indication", "wound-healing", "--seed", "-1"] + base)
        #expect(seed.status == 2)
        #expect(
            seed.stderr.hasPrefix(
                "error: '--seed' needs a whole number from 0 to 18446744073709551615, found '-1' [E403]\n"))
        let runs = runTool(["sensitivity", "--indication", "wound-healing", "--runs", "0"] + base)
        #expect(
            runs.status == 2
                && runs.stderr.hasPrefix("error: '--runs' needs a whole number from 1 to 100000, found '0' [E403]\n"))
        let missing = runTool(["sensitivity"] + base)
        #expect(
            missing.status == 2 && missing.stderr.hasPrefix("error: missing required option '--indication' [E403]\n"))
    }

    @Test(
        "count options are bounded before anything is allocated: the values that crashed or ran on are usage errors",
        arguments: [
            (["sensitivity", "--indication", "wound-healing", "--runs", "10000000000"], "'--runs'", "1 to 100000"),
            (
                ["sensitivity", "--indication", "wound-healing", "--runs", "4611686018427387904"], "'--runs'",
                "1 to 100000"
            ),
            (
                ["sensitivity", "--indication", "wound-healing", "--runs", "9223372036854775807"], "'--runs'",
                "1 to 100000"
            ),
            (["sensitivity", "--indication", "wound-healing", "--runs", "100001"], "'--runs'", "1 to 100000"),
            (["sensitivity", "--indication", "wound-healing", "--top", "1000001"], "'--top'", "1 to 1000000"),
            (["rank", "--top", "99999999999999999999"], "'--top'", "1 to 1000000"),
            (
                ["cite", "--indication", "wound-healing", "--format", "ris", "--top", "1000001"], "'--top'",
                "1 to 1000000"
            ),
            (["report", "--out", "/tmp/never.html", "--traces", "1000001"], "'--traces'", "0 to 1000000 or 'all'"),
        ])
    func bounded(arguments: [String], option: String, range: String) {
        let outcome = runTool(arguments + shippedBase)
        #expect(outcome.status == 2)
        #expect(outcome.stdout == "")
        #expect(outcome.stderr.hasPrefix("error: \(option) needs a whole number from \(range), found '"))
    }
}

/// Leave-one-reference-out scores only the candidates a reference reaches, from the same index: it must give
/// exactly the ranks of ranking the evidence without the reference from scratch.
@Suite("Leave one reference out")
struct LeaveOneOutTests {
    /// Each candidate's rank in `ranking`, in `baseline` order (0: not a candidate).
    static func ranks(_ ranking: Ranking, baseline: Ranking) -> [Int] {
        let rank = Dictionary(uniqueKeysWithValues: ranking.entries.map { ($0.evaluation.candidate, $0.rank) })
        return baseline.entries.map { rank[$0.evaluation.candidate] ?? 0 }
    }

    /// For every reference of every indication: the fast ranks equal a full re-ranking without it; and a
    /// recommender indexing only the indication's activities (as perturbed runs build) ranks it identically.
    static func expectExact(_ recommender: Recommender) -> Int {
        var compared = 0
        for indication in recommender.knowledgeBase.rules.indications {
            let baseline = recommender.rank(indication)
            let restricted = Recommender(
                knowledgeBase: recommender.knowledgeBase, scoring: Set(indication.lines.map(\.activity)))
            #expect(restricted.rank(indication) == baseline)
            let references = recommender.reachingReferences(indication)
            let fast = recommender.leaveOneOut(references, baseline: baseline) { (ranks($0, baseline: baseline), []) }
            for (reference, ranks) in zip(references, fast) {
                var reduced = recommender.knowledgeBase
                reduced.evidence = reduced.evidence.removingRecords(citing: reference)
                let full = Self.ranks(Recommender(knowledgeBase: reduced).rank(indication), baseline: baseline)
                #expect(ranks == full, "\(indication.id) without \(reference)")
                compared += 1
            }
        }
        return compared
    }

    @Test("on the shipped knowledge base, every reference of every indication")
    func shipped() throws {
        let kb = try #require(
            KnowledgeBase.load(rulesDirectory: packageRoot + "/Rules", evidenceDirectory: packageRoot + "/Evidence")
                .knowledgeBase)
        #expect(Self.expectExact(Recommender(knowledgeBase: kb)) > 500)
    }

    @Test("on random knowledge bases with mechanisms, comparisons and candidates that disappear", arguments: 0..<30)
    func random(seed: Int) throws {
        let rows = PropertyTests.rows(seed: UInt64(seed) &+ 4000)
        let r = try recommender(
            indications: PropertyTests.indication, vocabulary: PropertyTests.vocabulary,
            secretome: rows.secretome.joined(), functions: rows.functions.joined(),
            mechanisms: rows.mechanisms.joined(),
            comparisons: PropertyTests.comparisons(seed: UInt64(seed)).joined())
        #expect(Self.expectExact(r) > 0)
    }

    @Test("progress counts every perturbed run, then says all are done (runs + references left out)")
    func progress() throws {
        let kb = try #require(
            KnowledgeBase.load(rulesDirectory: packageRoot + "/Rules", evidenceDirectory: packageRoot + "/Evidence")
                .knowledgeBase)
        let indication = try #require(kb.rules.indication(IndicationID("wound-healing")))
        let calls = LockedBox([(Int, Int)]())
        let report = Recommender(knowledgeBase: kb).sensitivity(
            of: indication, options: SensitivityOptions(runs: 7)
        ) { done, total in calls.update { $0.append((done, total)) } }
        let total = 7 + report.referencesLeftOut.count
        let seen = calls.get()
        #expect(seen.count == 8)
        #expect(seen.allSatisfy { $0.1 == total })
        #expect(seen.prefix(7).map(\.0).sorted() == Array(1...7))
        #expect(seen.last.map { $0 == (total, total) } == true)
    }
}
