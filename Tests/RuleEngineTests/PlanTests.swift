import EvidenceModel
import Foundation
import RuleEngine
import Testing

@testable import recommend

/// `recommend plan` (issue 17): the experiments it lists, checked against what curating their rows does.
@Suite("Experiment plan")
struct PlanTests {
    static func shipped() throws -> KnowledgeBase {
        try #require(
            KnowledgeBase.load(rulesDirectory: packageRoot + "/Rules", evidenceDirectory: packageRoot + "/Evidence")
                .knowledgeBase)
    }

    /// The first K candidates of `indication` in a copy of the shipped files with `row` added to its file
    /// (placeholders filled in) and a reference for it.
    static func shortlistAfterAdding(_ row: String, to file: String, indication: String, top: Int) throws -> [String] {
        let directory = try TemporaryDirectory()
        try directory.copyShipped()
        let filled = row.replacingOccurrences(of: "\tSPECIES\t", with: "\thuman\t")
            .replacingOccurrences(of: "\tNEW-REF\t", with: "\tplan-ref\t")
            .replacingOccurrences(of: "\tNOTE", with: "\thypothetical")
        try directory.edit("Evidence/\(file)") { $0 + filled + "\n" }
        try directory.edit("Evidence/references.tsv") {
            $0 + "plan-ref\t10.5555/plan.1\t\tNobody N\t2026\tHypothetical experiment\tNone\n"
        }
        let csv = runTool([
            "rank", "--indication", indication, "--top", String(top), "--format", "csv", "--rules",
            directory.path + "/Rules", "--evidence", directory.path + "/Evidence",
        ])
        #expect(csv.status == 0, "\(csv.stderr)")
        // Rows after the header and the manifest comments: rank, candidate, …
        return csv.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst().map {
            String($0.split(separator: ",")[2])
        }
    }

    @Test(
        "each listed outcome's row, added to a copy of the shipped files, gives exactly the predicted shortlist",
        arguments: ["wound-healing", "bone-regeneration"])
    func rowsGiveThePredictedShortlist(indication id: String) throws {
        let kb = try Self.shipped()
        let indication = try #require(kb.rules.indication(IndicationID(id)))
        let plan = Planner.plan(indication, in: Recommender(knowledgeBase: kb), top: 3)
        #expect(!plan.experiments.isEmpty)
        // The first two listed, the first function experiment, and the first that is not decisive.
        var chosen = Array(plan.experiments.prefix(2))
        if let f = plan.experiments.first(where: { if case .function = $0.design { true } else { false } }) {
            chosen.append(f)
        }
        if let n = plan.experiments.first(where: { !$0.isDecisive }) { chosen.append(n) }
        for experiment in chosen {
            let file: String
            switch experiment.design {
            case .function: file = "function.tsv"
            case .comparison: file = "comparisons.tsv"
            }
            for result in experiment.results {
                let actual = try Self.shortlistAfterAdding(result.row, to: file, indication: id, top: 3)
                #expect(actual == result.shortlist.map(\.id), "\(PlanRenderer.sentence(experiment)), \(result.outcome)")
            }
        }
    }

    @Test("the experiments tried, counted by hand on the mini fixture; decisive ones first, then cheaper levels")
    func countsAndOrder() throws {
        let kb = try #require(
            KnowledgeBase.load(
                rulesDirectory: CommandLineTests.fixture + "/Rules",
                evidenceDirectory: CommandLineTests.fixture + "/Evidence"
            ).knowledgeBase)
        let indication = try #require(kb.rules.indication(IndicationID("wound")))
        let plan = Planner.plan(indication, in: Recommender(knowledgeBase: kb), top: 1)
        // Three tested candidates, all within the top 1 + 3: adipose+hypoxia, bone-marrow+none, adipose+none.
        #expect(plan.boundary.count == 3)
        let lines = indication.lines.count
        let levels = kb.rules.policy.levelWeights.count
        let productWeights = Set(kb.rules.policy.productWeights.values).count
        // Pairs differing in one factor: adipose+hypoxia/adipose+none (source), bone-marrow+none/adipose+none
        // (pre-conditioning); adipose+hypoxia/bone-marrow+none differ in both.
        #expect(plan.tried == (3 + 2) * lines * levels * productWeights)
        let weights = plan.levels.map { kb.rules.policy.weight(of: $0) }
        #expect(weights == weights.sorted())
        let decisive = plan.experiments.map(\.isDecisive)
        #expect(decisive == decisive.sorted { $0 && !$1 })
        for e in plan.experiments {
            #expect(e.change > 0)
            let sets = e.results.map { Set($0.shortlist) }
            #expect(e.isDecisive == (sets[0] != sets[1] && !sets.contains(Set(plan.shortlist))))
        }
    }

    @Test("the command: text, JSON, an unknown level, and the limit")
    func command() throws {
        let text = runTool(["plan", "--indication", "wound-healing", "--limit", "1"] + shippedBase)
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("plan for wound-healing (Cutaneous wound healing)\n  top 3 now: "))
        #expect(text.stdout.contains("\n1. decisive\n   compare "))
        #expect(!text.stdout.contains("\n2. "))
        let json = runTool(
            ["plan", "--indication", "wound-healing", "--levels", "in-vitro", "--format", "json"] + shippedBase)
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "plan")
        #expect(object["levels"] as? [String] == ["in-vitro"])
        let bad = runTool(["plan", "--indication", "wound-healing", "--levels", "in-vitor"] + shippedBase)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("error: unknown level 'in-vitor' in --levels — did you mean 'in-vitro'?"))
    }
}

extension PlanTests {
    @Test("report --plan N: each indication lists plan's first N experiments; without it, no such section")
    func reportSection() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/r.html"
        #expect(
            runTool(["report", "--indication", "wound-healing", "--plan", "2", "--out", path] + shippedBase).status == 0
        )
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let kb = try Self.shipped()
        let indication = try #require(kb.rules.indication(IndicationID("wound-healing")))
        let plan = Planner.plan(indication, in: Recommender(knowledgeBase: kb), top: 3)
        let section = try #require(
            html.components(separatedBy: "<ol class=\"plan\">").last?.components(separatedBy: "</ol>").first)
        #expect(section.components(separatedBy: "\n<li>").count - 1 == 2)
        #expect(section.contains(HTML.escape(PlanRenderer.sentence(plan.experiments[0]))))
        #expect(section.contains(HTML.escape(PlanRenderer.sentence(plan.experiments[1]))))
        #expect(runTool(["report", "--indication", "wound-healing", "--out", path] + shippedBase).status == 0)
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("Experiments that would change"))
        let bad = runTool(["report", "--plan", "1001", "--out", path] + shippedBase)
        #expect(bad.status == 2)
    }
}

extension PlanTests {
    /// Two candidates, one required activity, one record each; the outcomes of two experiments worked out by
    /// hand (ζ(2) = π²/6 divides every harmonic sum, so it is left out of the comparisons below).
    ///
    /// Today: adipose+none has P = [0.3 own in-vitro, 0.6 × 0.4 bone-marrow's in-vivo through cross-source]
    /// = 0.3 + 0.24/4 = 0.36; bone-marrow+none has P = [0.6, 0.3 × 0.4] = 0.6 + 0.12/4 = 0.63: bone-marrow
    /// first.
    ///
    /// A clinical (1.0) record of adipose+none that supports: adipose P = 1 + 0.3/4 + 0.24/9 = 1.10, bone-marrow
    /// P = 0.6 + 0.4/4 + 0.12/9 = 0.71: adipose first. That refutes: adipose's support 0.36 − 1.0 < 0.05,
    /// ineligible; bone-marrow 0.63 − 0.4 = 0.23 (> 0.05 × ζ(2)), eligible and first: unchanged.
    ///
    /// A clinical record of bone-marrow+none that supports leaves it first. That refutes: bone-marrow
    /// 0.63 − 1.0 and adipose 0.36 − 0.4 are both below minimum support, so both are ineligible and rank by
    /// score: adipose (−0.04) before bone-marrow (−0.37).
    @Test("two experiments worked out by hand: each changes the top 1 in one outcome only")
    func handWorked() throws {
        let r = try recommender(
            indications: "indication test\n  requires angiogenesis weight 1 because \"r\"\nend\n",
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r1")
                + fn("F2", "bone-marrow", "none", "angiogenesis", level: "in-vivo", ref: "r2"))
        let indication = try #require(r.knowledgeBase.rules.indication(IndicationID("test")))
        let plan = Planner.plan(indication, in: r, top: 1, levels: [LevelID("clinical")])
        #expect(plan.shortlist.map(\.id) == ["bone-marrow+none"])
        // 2 candidates × 1 activity × 1 level × 2 product weights (1.0: conditioned-medium; 0.5: cells), and
        // 1 pair differing in source × 1 activity × 1 level × 2 product weights.
        #expect(plan.tried == 6)
        func function(_ candidate: String, product: String = "conditioned-medium") -> PlannedExperiment? {
            plan.experiments.first {
                if case .function(let c, _) = $0.design {
                    c.id == candidate && $0.product.rawValue == product
                } else {
                    false
                }
            }
        }
        let adipose = try #require(function("adipose+none"))
        #expect(adipose.results.map(\.outcome) == ["supports", "refutes"])
        #expect(adipose.results.map { $0.shortlist.map(\.id) } == [["adipose+none"], ["bone-marrow+none"]])
        #expect(!adipose.isDecisive)
        #expect(adipose.change == 2)
        let boneMarrow = try #require(function("bone-marrow+none"))
        #expect(boneMarrow.results.map { $0.shortlist.map(\.id) } == [["bone-marrow+none"], ["adipose+none"]])
        #expect(!boneMarrow.isDecisive)
        #expect(
            adipose.results[0].row
                == "PLAN-1\tadipose\tnone\tconditioned-medium\tangiogenesis\tsupports\tclinical\tSPECIES\tNEW-REF\tNOTE"
        )
    }
}

extension PlanTests {
    @Test("fewer candidates than the top K and the margin: said so; no candidate at all: said so, exit 0")
    func fewCandidates() throws {
        let fixture = [
            "--rules", CommandLineTests.fixture + "/Rules", "--evidence", CommandLineTests.fixture + "/Evidence",
        ]
        let few = runTool(["plan", "--indication", "wound", "--top", "5"] + fixture)
        #expect(few.status == 0)
        #expect(few.stdout.contains("on 3 candidates (every tested one)"))
        let directory = try TemporaryDirectory()
        try directory.copyFixture()
        try directory.write("Evidence/secretome.tsv", secretomeHeader)
        try directory.write("Evidence/function.tsv", functionHeader + fn("F1", "any-msc", "none", "angiogenesis"))
        try? FileManager.default.removeItem(atPath: directory.path + "/Evidence/comparisons.tsv")
        let none = runTool(
            [
                "plan", "--indication", "wound", "--rules", directory.path + "/Rules", "--evidence",
                directory.path + "/Evidence",
            ])
        #expect(none.status == 0)
        #expect(
            none.stdout == "plan for wound (Wound <healing> & \"repair\")\n"
                + "  (no candidates: no secretome, function or comparison record names a source and\n"
                + "  pre-conditioning)\n")
    }
}
