import EvidenceModel
import Foundation
import RuleEngine
import Testing

@testable import recommend

/// `--set NAME=VALUE`: policy values and rule weights overridden for one run.
@Suite("What-if overrides")
struct WhatIfTests {
    static let indication = """
        indication test
          requires angiogenesis weight 1 because "v"
          supports anti-inflammatory weight 1 because "c"
        end

        """

    static func overridden(_ settings: [String]) throws -> Recommender {
        let r = try recommender(
            indications: Self.indication,
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "in-vitro")
                + fn("F2", "adipose", "none", "anti-inflammatory", level: "in-vivo", ref: "r2"))
        let overrides = try settings.map { try Override.parse($0).get() }
        return Recommender(knowledgeBase: try r.knowledgeBase.applying(overrides).get())
    }

    @Test("a level weight: support and score recomputed by hand")
    func levelWeight() throws {
        // Before: angiogenesis 0.3 / ζ(2), anti-inflammatory 0.6 / ζ(2); score = their mean.
        let before = try evaluate(try Self.overridden([]), "adipose+none")
        #expect(abs(before.activities[0].support - 0.3 / zeta2) < 1e-15)
        #expect(abs(before.score - (0.3 / zeta2 + 0.6 / zeta2) / 2) < 1e-15)
        let after = try evaluate(try Self.overridden(["level.in-vitro=0.1"]), "adipose+none")
        #expect(abs(after.activities[0].support - 0.1 / zeta2) < 1e-15)
        #expect(abs(after.activities[1].support - 0.6 / zeta2) < 1e-15)
        #expect(abs(after.score - (0.1 / zeta2 + 0.6 / zeta2) / 2) < 1e-15)
    }

    @Test("a rule weight INDICATION.ACTIVITY, and overrides applied in order")
    func ruleWeight() throws {
        let after = try evaluate(
            try Self.overridden(["test.angiogenesis=4", "test.angiogenesis=3", "product.conditioned-medium=0.5"]),
            "adipose+none")
        #expect(after.activities[0].line.weight == 3)
        #expect(abs(after.score - (3 * 0.15 / zeta2 + 1 * 0.3 / zeta2) / 4) < 1e-15)
        #expect(after.denominator == 4)
    }

    @Test("the same numbers as editing the rule file")
    func sameAsEditing() throws {
        let edited = try recommender(
            indications: Self.indication,
            policy: basePolicy.replacingOccurrences(of: "discount cross-source 0.4", with: "discount cross-source 0.1")
                .replacingOccurrences(of: "minimum-support 0.05", with: "minimum-support 0.2"),
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "in-vitro")
                + fn("F2", "adipose", "none", "anti-inflammatory", level: "in-vivo", ref: "r2"))
        let overridden = try Self.overridden(["discount.cross-source=0.1", "minimum-support=0.2"])
        for candidate in ["adipose+none", "bone-marrow+none", "adipose+hypoxia"] {
            let (a, b) = (try evaluate(edited, candidate), try evaluate(overridden, candidate))
            #expect(a == b)
        }
        #expect(
            overridden.knowledgeBase.overrides.map(\.description) == [
                "discount.cross-source=0.1", "minimum-support=0.2",
            ])
    }

    @Test(
        "bad overrides: the message names the problem",
        arguments: [
            ("level.in-vitor=0.1", "unknown name 'level.in-vitor' — did you mean 'level.in-vitro'?"),
            ("test.angiogenesis=0", "test.angiogenesis=0: a weight must be greater than 0"),
            ("discount.via-component=1.5", "discount.via-component=1.5: a policy value must lie in [0, 1]"),
        ])
    func errors(setting: String, message: String) throws {
        let r = try recommender(indications: Self.indication)
        let override = try Override.parse(setting).get()
        guard case .failure(let error) = r.knowledgeBase.applying([override]) else {
            Issue.record("\(setting) was accepted")
            return
        }
        #expect(error.message.hasPrefix(message))
    }

    @Test("weights that would add up to infinity are refused, as E209 refuses them in a rule file")
    func weightSum() throws {
        let shipped = shippedBase
        let big = ["--set", "wound-healing.angiogenesis=1e308", "--set", "wound-healing.anti-inflammatory=1e308"]
        for command in [
            ["rank", "--indication", "wound-healing"],
            ["explain", "--indication", "wound-healing", "--candidate", "adipose+hypoxia", "--format", "json"],
        ] {
            let outcome = runTool(command + big + shipped)
            #expect(outcome.status == 2)
            #expect(outcome.stdout == "")
            #expect(
                outcome.stderr.contains(
                    "wound-healing.angiogenesis=1e308, wound-healing.anti-inflammatory=1e308: the weights of indication "
                        + "'wound-healing' would add up to more than a number can hold"))
        }
        // One such weight alone is finite, and accepted: only ratios matter.
        #expect(
            runTool(["rank", "--indication", "wound-healing", "--set", "wound-healing.angiogenesis=1e308"] + shipped)
                .status == 0)
    }

    @Test("malformed settings", arguments: ["x", "=1", "level.in-vitro=", "level.in-vitro=nan", "a=inf"])
    func malformed(setting: String) {
        guard case .failure = Override.parse(setting) else {
            Issue.record("\(setting) was parsed")
            return
        }
    }

    @Test("the command line: the header of every format, exit 2 with did-you-mean on an unknown name")
    func commandLine() throws {
        let kb = CommandLineTests.kb
        func run(_ arguments: [String]) -> (Int32, String, String) {
            var (out, err) = ("", "")
            let status = RecommendTool.run(arguments: arguments, stdout: &out, stderr: &err)
            return (status, out, err)
        }
        let table = run(["rank", "--set", "level.in-vitro=0.1", "--set", "wound.angiogenesis=4"] + kb)
        #expect(table.0 == 0)
        #expect(table.1.hasPrefix("what-if: level.in-vitro=0.1, wound.angiogenesis=4\n\nwound: "))
        let plain = run(["rank"] + kb)
        #expect(
            plain.1
                != table.1.replacingOccurrences(of: "what-if: level.in-vitro=0.1, wound.angiogenesis=4\n\n", with: ""))
        let csv = run(["rank", "--format", "csv", "--set", "minimum-support=0"] + kb)
        // The manifest line: tool version, content hash of the files, overrides.
        let firstLine = csv.1.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.hasPrefix("# recommend \(RecommendTool.version) · knowledge base sha256:"))
        #expect(firstLine.hasSuffix(" · what-if: minimum-support=0"))
        #expect(firstLine.count == "# recommend \(RecommendTool.version) · knowledge base sha256:".count + 64 + 29)
        let json = run(["rank", "--format", "json", "--set", "minimum-support=0"] + kb)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.1.utf8)) as? [String: Any])
        #expect(object["overrides"] as? [String] == ["minimum-support=0"])
        // The same files give the same hash whatever the overrides; it is the hash of the files.
        let hash = try #require(object["contentHash"] as? String)
        #expect(firstLine.contains(hash))
        let explain = run(
            ["explain", "--indication", "wound", "--candidate", "adipose+hypoxia", "--set", "minimum-support=0"] + kb)
        #expect(explain.1.hasPrefix("what-if: minimum-support=0\n\nadipose+hypoxia for wound"))
        let unknown = run(["rank", "--set", "wound.angiogensis=2"] + kb)
        #expect(unknown.0 == 2)
        #expect(unknown.1 == "")
        #expect(
            unknown.2.hasPrefix(
                "error: invalid '--set': unknown name 'wound.angiogensis' — did you mean 'wound.angiogenesis'?"))
        #expect(unknown.2.hasSuffix("Run 'recommend rank --help' for usage.\n"))
        // diff: the overrides apply to the head, which is named with them; the changed line is listed.
        let fixture = CommandLineTests.fixture
        let diff = run(["diff", "--base", fixture, "--head", fixture, "--set", "wound.angiogenesis=5", "--wide"])
        #expect(diff.0 == 0)
        let lines = diff.1.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("(what-if: wound.angiogenesis=5)") == true)
        #expect(
            lines.contains {
                $0.hasPrefix(
                    "  ~ indication wound angiogenesis: requires weight 3 because \"vessels\" → requires weight 5")
            })
        #expect(lines.contains("    adipose+hypoxia: #1 0.3732 → #1 0.4211  Δ +0.0480"))
    }
}
