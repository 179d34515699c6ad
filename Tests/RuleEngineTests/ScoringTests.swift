import EvidenceModel
import Foundation
import RuleEngine
import Testing

/// Hand-computed scores for each rule of DESIGN §5. Expected values are written as the products and
/// sums a reader would compute by hand, with π²/6 as a literal.
@Suite("Scoring model (DESIGN §5)")
struct ScoringTests {
    static let requiresAngiogenesis = """
        indication test
          requires angiogenesis weight 2 because "vessels"
        end

        """

    @Test("a direct own-source record contributes level × product")
    func directOwnSource() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis, functions: fn("F1", "adipose", "none", "angiogenesis"))
        let e = try evaluate(r, "adipose+none")
        let c = try #require(e.activities.first?.contributions.first)
        #expect(c.value == 0.6 * 1.0 * 1.0 * 1.0)
        expectClose(e.activities[0].support, 0.6 / zeta2)
        expectClose(e.score, 0.364756261112416)
        #expect(e.isEligible)
    }

    @Test("from-baseline: unconditioned evidence for a pre-conditioned candidate")
    func fromBaseline() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "adipose", "none", "angiogenesis") + fn("F2", "adipose", "hypoxia", "anti-inflammatory")
        )
        let e = try evaluate(r, "adipose+hypoxia")
        let c = try #require(e.activities[0].contributions.first)
        #expect(c.sourceFactor == 1)
        #expect(c.preconditioningFactor == 0.8)
        expectClose(c.value, 0.48)
        expectClose(e.score, 0.48 / zeta2)
    }

    @Test("cross-source: any-msc evidence applies to every source")
    func crossSourceAnyMSC() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "any-msc", "none", "angiogenesis", level: "in-vitro")
                + fn("F2", "bone-marrow", "none", "anti-inflammatory"))
        let e = try evaluate(r, "bone-marrow+none")
        let c = try #require(e.activities[0].contributions.first)
        #expect(c.sourceFactor == 0.4)
        #expect(c.preconditioningFactor == 1)
        expectClose(c.value, 0.3 * 0.4)
    }

    @Test("cross-source: another source with the same non-baseline pre-conditioning")
    func crossSourceSamePreconditioning() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "bone-marrow", "hypoxia", "angiogenesis")
                + fn("F2", "adipose", "hypoxia", "anti-inflammatory"))
        let e = try evaluate(r, "adipose+hypoxia")
        let c = try #require(e.activities[0].contributions.first)
        expectClose(c.value, 0.6 * 0.4)
    }

    @Test("any-msc baseline evidence for a pre-conditioned candidate takes both discounts")
    func bothDiscounts() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "any-msc", "none", "angiogenesis") + fn("F2", "adipose", "hypoxia", "anti-inflammatory")
        )
        let c = try #require(try evaluate(r, "adipose+hypoxia").activities[0].contributions.first)
        expectClose(c.value, 0.6 * 1 * (0.4 * 0.8))
    }

    @Test(
        "records that do not apply",
        arguments: [
            ("bone-marrow", "none", "adipose+none"),  // another source at baseline
            ("bone-marrow", "hypoxia", "adipose+ifn-gamma"),  // another source, another pre-conditioning
            ("adipose", "hypoxia", "adipose+none"),  // pre-conditioned evidence for the baseline
            ("adipose", "hypoxia", "adipose+ifn-gamma"),  // another pre-conditioning
        ])
    func notApplicable(source: String, pre: String, candidate: String) throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", source, pre, "angiogenesis") + fn("F2", "adipose", "none", "anti-inflammatory")
                + fn("F3", "adipose", "ifn-gamma", "anti-inflammatory"))
        let e = try evaluate(r, candidate)
        #expect(e.activities[0].contributions.isEmpty)
        #expect(e.score == 0)
        #expect(!e.isEligible)
    }

    @Test("product weight: cells count half")
    func productWeight() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "adipose", "none", "angiogenesis", product: "cells"))
        expectClose(try evaluate(r, "adipose+none").activities[0].contributions[0].value, 0.6 * 0.5)
    }

    @Test(
        "via component: level(r) × product(r) × level(q) × m × via-component × dir × eff",
        arguments: [
            ("up", "promotes", 1.0), ("present", "promotes", 1.0), ("down", "promotes", -1.0),
            ("up", "inhibits", -1.0), ("down", "inhibits", 1.0),
        ])
    func viaComponent(direction: String, effect: String, sign: Double) throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            secretome: sec("S1", "adipose", "hypoxia", "VEGF", direction, level: "in-vitro", ref: "r2"),
            mechanisms: mech("M1", "VEGFA", "angiogenesis", effect, level: "in-vivo", ref: "r3"))
        let e = try evaluate(r, "adipose+hypoxia")
        let c = try #require(e.activities[0].contributions.first)
        #expect(c.path == .viaComponent(secretome: "S1", mechanism: "M1", component: "VEGFA"))
        #expect(c.reference == "r2")
        expectClose(c.value, 0.3 * 1.0 * 0.6 * 1.0 * 0.5 * sign)
        expectClose(e.activities[0].support, 0.09 * sign / zeta2)
    }

    @Test("de-duplication keeps the largest |value| per reference and sign")
    func deduplication() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            secretome: sec("S1", "adipose", "none", "VEGFA", ref: "r1"),
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r1")
                + fn("F2", "adipose", "none", "angiogenesis", level: "in-vivo", ref: "r1")
                + fn("F3", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r2"),
            mechanisms: mech("M1", "VEGFA", "angiogenesis"))
        let a = try evaluate(r, "adipose+none").activities[0]
        let kept = a.contributions.filter(\.isKept).map(\.recordID)
        #expect(kept == ["F2", "F3"])
        let dropped = a.contributions.filter { !$0.isKept }
        #expect(dropped.map(\.recordID) == ["F1", "S1"])
        #expect(dropped.allSatisfy { $0.status == .dropped(keptInstead: .direct(function: "F2")) })
        expectClose(a.support, (0.6 / 1 + 0.3 / 4) / zeta2)
    }

    @Test("the mechanism's reference takes no part in de-duplication")
    func mechanismReferenceIgnored() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            secretome: sec("S1", "adipose", "none", "VEGFA", ref: "r2"),
            functions: fn("F1", "adipose", "none", "angiogenesis", ref: "r1"),
            mechanisms: mech("M1", "VEGFA", "angiogenesis", ref: "r1"))
        let e = try evaluate(r, "adipose+none")
        #expect(e.activities[0].contributions.filter(\.isKept).count == 2)
        #expect(e.references == ["r1", "r2"])
        expectClose(e.activities[0].support, (0.6 + 0.09 / 4) / zeta2)
    }

    @Test("the normalised harmonic sum orders by magnitude")
    func harmonicSum() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "any-msc", "none", "angiogenesis", level: "in-vitro", ref: "r1")
                + fn("F2", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r2")
                + fn("F3", "adipose", "none", "angiogenesis", level: "in-vivo", ref: "r3"))
        let a = try evaluate(r, "adipose+none").activities[0]
        #expect(a.contributions.map(\.recordID) == ["F3", "F2", "F1"])
        #expect(a.contributions.map(\.status) == [.kept(rank: 1), .kept(rank: 2), .kept(rank: 3)])
        expectClose(a.support, 0.41845648844285493)
    }

    @Test("refutation subtracts, and an activity with both signs is contested")
    func refutationAndContested() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "adipose", "none", "angiogenesis", ref: "r1")
                + fn("F2", "adipose", "none", "angiogenesis", "refutes", level: "in-vitro", ref: "r1"))
        let a = try evaluate(r, "adipose+none").activities[0]
        #expect(a.isContested)
        expectClose(a.positive, 0.6 / zeta2)
        expectClose(a.negative, 0.3 / zeta2)
        expectClose(a.support, 0.182378130556208)
        #expect(a.contributions.allSatisfy { $0.isKept })
    }

    @Test("a refuted-only activity is not contested and has negative support")
    func refutedOnly() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "adipose", "none", "angiogenesis", "refutes"))
        let e = try evaluate(r, "adipose+none")
        #expect(!e.activities[0].isContested)
        expectClose(e.score, -0.6 / zeta2)
        #expect(!e.isEligible)
    }

    @Test("avoids subtracts only positive support and is not in the denominator")
    func avoids() throws {
        let indication = """
            indication test
              requires angiogenesis weight 2 because "vessels"
              supports anti-inflammatory weight 1 because "calm"
              avoids pro-fibrotic weight 3 because "scars"
            end

            """
        let positive = try recommender(
            indications: indication,
            functions: fn("F1", "adipose", "none", "angiogenesis")
                + fn(
                    "F2", "adipose", "none", "pro-fibrotic",
                    level: "in-vitro", ref: "r2"))
        let e = try evaluate(positive, "adipose+none")
        #expect(e.denominator == 3)
        expectClose(e.numerator, 2 * (0.6 / zeta2) + 1 * 0 - 3 * (0.3 / zeta2))
        expectClose(e.score, (2 * (0.6 / zeta2) - 3 * (0.3 / zeta2)) / 3)

        let negative = try recommender(
            indications: indication,
            functions: fn("F1", "adipose", "none", "angiogenesis")
                + fn(
                    "F2", "adipose", "none", "pro-fibrotic",
                    "refutes", level: "in-vitro", ref: "r2"))
        let n = try evaluate(negative, "adipose+none")
        expectClose(n.activities[2].support, -0.3 / zeta2)
        #expect(n.activities[2].term == 0)
        expectClose(n.score, 2 * (0.6 / zeta2) / 3)
    }

    @Test("eligibility: a required activity below minimum-support")
    func insufficientSupport() throws {
        let r = try recommender(
            indications: """
                indication test
                  requires angiogenesis weight 2 because "vessels"
                  requires anti-inflammatory weight 1 because "calm"
                end

                """,
            // 0.3 × 0.4 × 0.8 / (π²/6) = 0.0584 ≥ 0.05; 0.3 × 0.5 × 0.4 × 0.8 / (π²/6) = 0.0292 < 0.05
            functions: fn("F1", "any-msc", "none", "angiogenesis", level: "in-vitro")
                + fn("F2", "any-msc", "none", "anti-inflammatory", level: "in-vitro", product: "cells", ref: "r2")
                + fn("F3", "adipose", "hypoxia", "pro-fibrotic", ref: "r3"))
        let e = try evaluate(r, "adipose+hypoxia")
        expectClose(e.activities[0].support, 0.3 * 0.4 * 0.8 / zeta2)
        expectClose(e.activities[1].support, 0.3 * 0.5 * 0.4 * 0.8 / zeta2)
        #expect(e.ineligibilityReasons.count == 1)
        guard case .insufficientSupport(let line, let support, let minimum) = e.ineligibilityReasons.first else {
            Issue.record("expected insufficient support, got \(e.ineligibilityReasons)")
            return
        }
        #expect(line.activity == "anti-inflammatory")
        #expect(line.span.description == "test.rules:41:3")
        expectClose(support, 0.3 * 0.5 * 0.4 * 0.8 / zeta2)
        #expect(minimum == 0.05)
    }

    static let minimumLevelIndication = """
        indication test
          requires angiogenesis weight 2 because "vessels"
          supports anti-inflammatory weight 1 because "calm"
          avoids pro-fibrotic weight 1 because "scars"
          minimum-level in-vivo
        end

        """

    @Test("minimum-level: only other-source, lower-level, refuting or avoided-line evidence is not enough")
    func belowMinimumLevel() throws {
        let r = try recommender(
            indications: Self.minimumLevelIndication,
            functions: fn("F1", "any-msc", "none", "angiogenesis", level: "clinical")
                + fn("F2", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r2")
                + fn("F3", "adipose", "none", "pro-fibrotic", level: "in-vivo", ref: "r3")
                + fn("F4", "adipose", "none", "anti-inflammatory", "refutes", level: "in-vivo", ref: "r4"))
        let e = try evaluate(r, "adipose+none")
        #expect(
            e.ineligibilityReasons == [
                .belowMinimumLevel(
                    minimum: "in-vivo", minimumWeight: 0.6, bestOwnLevel: "in-vitro",
                    span: SourceSpan(path: "test.rules", line: 43, column: 17))
            ])
    }

    @Test("minimum-level: an own-source record at the level to a required activity suffices, whatever its product")
    func meetsMinimumLevel() throws {
        let r = try recommender(
            indications: Self.minimumLevelIndication,
            functions: fn("F1", "adipose", "hypoxia", "angiogenesis", level: "in-vivo", product: "cells"))
        let e = try evaluate(r, "adipose+hypoxia")
        #expect(e.isEligible)
        #expect(e.bestOwnLevel == "in-vivo")
        // The baseline record of the same source counts too: own source, whatever the pre-conditioning.
        let baseline = try recommender(
            indications: Self.minimumLevelIndication,
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "in-vivo")
                + fn("F3", "adipose", "hypoxia", "pro-fibrotic", level: "in-vitro", ref: "r3"))
        #expect(try evaluate(baseline, "adipose+hypoxia").isEligible)
    }

    @Test("minimum-level: own-source evidence at the level for a supported activity does not count (DESIGN §5 v2)")
    func supportedLineDoesNotMeetMinimumLevel() throws {
        // Angiogenesis (required) has clinical any-msc support, 1 × 0.4 / (π²/6) = 0.2432 ≥ 0.05; the only own
        // in-vivo record is about anti-inflammatory, a supported line.
        let r = try recommender(
            indications: Self.minimumLevelIndication,
            functions: fn("F1", "any-msc", "none", "angiogenesis", level: "clinical")
                + fn("F2", "adipose", "hypoxia", "anti-inflammatory", level: "in-vivo", ref: "r2"))
        let e = try evaluate(r, "adipose+hypoxia")
        #expect(e.bestOwnLevel == nil)
        #expect(
            e.ineligibilityReasons == [
                .belowMinimumLevel(
                    minimum: "in-vivo", minimumWeight: 0.6, bestOwnLevel: nil,
                    span: SourceSpan(path: "test.rules", line: 43, column: 17))
            ])
    }

    // A policy in which other-source in-vivo evidence (0.6 × 0.5) ties own-source in-vitro evidence (0.3).
    static let tiePolicy = basePolicy.replacingOccurrences(
        of: "discount cross-source 0.4", with: "discount cross-source 0.5")

    @Test("tie-break 1: on an exact tie the candidate's own source wins")
    func tieOwnSource() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis, policy: Self.tiePolicy,
            functions: fn("F1", "any-msc", "none", "angiogenesis", level: "in-vivo", ref: "r1")
                + fn("F2", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r1"))
        let a = try evaluate(r, "adipose+none").activities[0]
        #expect(a.contributions[0].value == a.contributions[1].value)
        #expect(a.contributions.filter(\.isKept).map(\.recordID) == ["F2"])
    }

    @Test("tie-break 2: then the higher level weight wins")
    func tieLevel() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r1")
                + fn("F2", "adipose", "none", "angiogenesis", level: "in-vivo", product: "cells", ref: "r1"))
        let a = try evaluate(r, "adipose+none").activities[0]
        #expect(a.contributions[0].value == a.contributions[1].value)
        #expect(a.contributions.filter(\.isKept).map(\.recordID) == ["F2"])
    }

    @Test("tie-break 3: then the record id that sorts first, the secretome id before the mechanism id")
    func tieRecordID() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            secretome: sec("S2", "adipose", "none", "VEGFA", ref: "r1")
                + sec("S1", "adipose", "none", "HGF", ref: "r2"),
            functions: fn("Fb", "adipose", "none", "angiogenesis", ref: "r3")
                + fn("Fa", "adipose", "none", "angiogenesis", ref: "r3"),
            mechanisms: mech("M2", "VEGFA", "angiogenesis") + mech("M1", "VEGFA", "angiogenesis")
                + mech("M3", "HGF", "angiogenesis"))
        let a = try evaluate(r, "adipose+none").activities[0]
        let kept = a.contributions.filter(\.isKept).map(\.path)
        #expect(
            kept == [
                .direct(function: "Fa"), .viaComponent(secretome: "S1", mechanism: "M3", component: "HGF"),
                .viaComponent(secretome: "S2", mechanism: "M1", component: "VEGFA"),
            ])
    }

    @Test("ranking: eligible first, then score, then distinct references, then candidate id")
    func rankingOrder() throws {
        let r = try recommender(
            indications: """
                source dental-pulp
                end
                source placenta
                end
                source amnion
                end
                indication test
                  requires angiogenesis weight 1 because "vessels"
                  avoids pro-fibrotic weight 1 because "scars"
                  minimum-level in-vivo
                end

                """,
            functions:
                // adipose+none: (0.3 + 0.3/4)/(π²/6), above the next three, but in-vitro only: ineligible, last.
                fn("F1", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r1")
                + fn("F1b", "adipose", "none", "angiogenesis", level: "in-vitro", ref: "r7")
                // placenta+none: 0.6/(π²/6), first.
                + fn("F5", "placenta", "none", "angiogenesis", ref: "r5")
                // dental-pulp+none, bone-marrow+none and amnion+none tie on 0.3/(π²/6); dental-pulp has a
                // second reference (refuting an avoided activity: counted, but no change to the score).
                + fn("F3", "dental-pulp", "none", "angiogenesis", product: "cells", ref: "r3")
                + fn("F4", "dental-pulp", "none", "pro-fibrotic", "refutes", level: "in-vitro", ref: "r4")
                // bone-marrow+none and amnion+none tie completely: the candidate id decides.
                + fn("F2", "bone-marrow", "none", "angiogenesis", product: "cells", ref: "r2")
                + fn("F6", "amnion", "none", "angiogenesis", product: "cells", ref: "r6"))
        let indication = try #require(r.knowledgeBase.rules.indication("test"))
        let ranking = r.rank(indication)
        #expect(
            ranking.entries.map(\.evaluation.candidate.id) == [
                "placenta+none", "dental-pulp+none", "amnion+none", "bone-marrow+none", "adipose+none",
            ])
        #expect(ranking.entries.map(\.evaluation.isEligible) == [true, true, true, true, false])
        #expect(ranking.entries[4].evaluation.score > ranking.entries[1].evaluation.score)
        #expect(ranking.entries.map(\.evaluation.referenceCount) == [1, 2, 1, 1, 2])
        #expect(ranking.entries.map(\.rank) == [1, 2, 3, 4, 5])
    }

    @Test("candidates: tested pairs by default; every declared pair with the untested selection")
    func candidateSets() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            secretome: sec("S1", "any-msc", "ifn-gamma", "VEGFA"),
            functions: fn("F1", "adipose", "hypoxia", "angiogenesis"))
        #expect(r.candidates().map(\.id) == ["adipose+hypoxia"])
        #expect(
            r.candidates(.untested).map(\.id) == [
                "adipose+hypoxia", "adipose+ifn-gamma", "adipose+none", "bone-marrow+hypoxia",
                "bone-marrow+ifn-gamma", "bone-marrow+none",
            ])
        let e = try evaluate(r, "bone-marrow+hypoxia")
        #expect(!e.isTested)
        expectClose(e.activities[0].contributions[0].value, 0.6 * 0.4)
    }

    @Test("zero-valued contributions are ignored")
    func zeroIgnored() throws {
        let zeroCells = basePolicy.replacingOccurrences(of: "product cells 0.5", with: "product cells 0")
        let r = try recommender(
            indications: Self.requiresAngiogenesis, policy: zeroCells,
            functions: fn("F1", "adipose", "none", "angiogenesis", product: "cells"))
        let e = try evaluate(r, "adipose+none")
        #expect(e.activities[0].contributions.isEmpty)
        #expect(e.references.isEmpty)
    }

    @Test("every score equals the sum of its trace's terms over the denominator")
    func scoreRederivedFromTrace() throws {
        let r = try recommender(
            indications: """
                indication test
                  requires angiogenesis weight 3 because "vessels"
                  supports anti-inflammatory weight 2 because "calm"
                  avoids pro-fibrotic weight 1 because "scars"
                end

                """,
            secretome: sec("S1", "adipose", "hypoxia", "VEGFA", ref: "r5"),
            functions: fn("F1", "adipose", "none", "angiogenesis")
                + fn(
                    "F2", "any-msc", "none", "anti-inflammatory",
                    ref: "r2") + fn("F3", "bone-marrow", "hypoxia", "pro-fibrotic", ref: "r3")
                + fn("F4", "adipose", "hypoxia", "angiogenesis", "refutes", level: "in-vitro", ref: "r4"),
            mechanisms: mech("M1", "VEGFA", "angiogenesis"))
        let indication = try #require(r.knowledgeBase.rules.indication("test"))
        for entry in r.tracing(r.rank(indication, selection: .untested)).entries {
            let e = entry.evaluation
            var wanted = 0.0
            var avoided = 0.0
            var denominator = 0.0
            for a in e.activities {
                let kept = a.contributions.filter(\.isKept)
                let positive =
                    kept.filter { $0.value > 0 }.enumerated()
                    .reduce(0.0) { $0 + $1.element.value / Double(($1.offset + 1) * ($1.offset + 1)) } / zeta2
                let negative =
                    kept.filter { $0.value < 0 }.enumerated()
                    .reduce(0.0) { $0 - $1.element.value / Double(($1.offset + 1) * ($1.offset + 1)) } / zeta2
                for c in kept {
                    var product = c.levelWeight * c.productWeight
                    if let q = c.mechanismLevelWeight { product *= q }
                    product *= c.sourceFactor * c.preconditioningFactor
                    if let via = c.viaComponentFactor { product *= via }
                    product *= c.recordSign * (c.effectSign ?? 1)
                    expectClose(product, c.value)
                }
                let support = positive - negative
                expectClose(a.support, support)
                if a.line.kind == .avoids {
                    avoided += a.line.weight * max(0, support)
                } else {
                    wanted += a.line.weight * support
                    denominator += a.line.weight
                }
            }
            // DESIGN §5: each sum in the order its lines are written, the avoided sum subtracted at the end.
            #expect(e.numerator == wanted - avoided)
            #expect(e.score == (wanted - avoided) / denominator)
        }
    }

    @Test("the numerator sums requires and supports first, then subtracts the avoided sum: exact ties stay ties")
    func numeratorOrder() throws {
        let policy = basePolicy.replacingOccurrences(
            of: "  level in-vitro 0.3\n",
            with: "  level in-vitro 0.3\n  level l1 0.2\n  level l2 0.35\n  level l3 0.9\n")
        let r = try recommender(
            indications: """
                indication test
                  requires angiogenesis weight 1 because "a"
                  avoids pro-fibrotic weight 1 because "b"
                  supports anti-inflammatory weight 1 because "c"
                end

                """, policy: policy,
            functions: fn("F1", "adipose", "none", "angiogenesis", level: "l1", ref: "r1")
                + fn("F2", "adipose", "none", "anti-inflammatory", level: "l2", ref: "r2")
                + fn("F3", "adipose", "none", "pro-fibrotic", level: "l3", ref: "r3")
                + fn("F4", "bone-marrow", "none", "angiogenesis", level: "l2", ref: "r1")
                + fn("F5", "bone-marrow", "none", "anti-inflammatory", level: "l1", ref: "r2")
                + fn("F6", "bone-marrow", "none", "pro-fibrotic", level: "l3", ref: "r3"))
        let indication = try #require(r.knowledgeBase.rules.indication("test"))
        let entries = r.rank(indication).entries.map(\.evaluation)
        // (0.2/z + 0.35/z) − 0.9/z for both: an exact tie, so the candidate id decides.
        #expect(entries.map(\.candidate.id) == ["adipose+none", "bone-marrow+none"])
        #expect(entries[0].score == entries[1].score)
        #expect(entries[0].score == ((0.2 / zeta2 + 0.35 / zeta2) - 0.9 / zeta2) / 2)
    }

    @Test("tie-break 3 across paths: the secretome id decides before the mechanism id")
    func tieSecretomeBeforeMechanism() throws {
        let r = try recommender(
            indications: Self.requiresAngiogenesis,
            secretome: sec("S2", "adipose", "none", "VEGFA", ref: "r1")
                + sec("S1", "adipose", "none", "HGF", ref: "r1"),
            mechanisms: mech("M1", "VEGFA", "angiogenesis") + mech("M2", "HGF", "angiogenesis"))
        let a = try evaluate(r, "adipose+none").activities[0]
        // Both are in-vitro 0.3 × conditioned-medium 1 × mechanism in-vivo 0.6 × 1 × 1 × via 0.5: an exact tie.
        #expect(a.contributions.map(\.value) == [0.3 * 1.0 * 0.6 * 1.0 * 0.5, 0.3 * 1.0 * 0.6 * 1.0 * 0.5])
        // (S1, M2) is kept over (S2, M1): the secretome id is compared first.
        #expect(
            a.contributions.filter(\.isKept).map(\.path) == [
                .viaComponent(secretome: "S1", mechanism: "M2", component: "HGF")
            ])
    }

    @Test("minimum-level with via-component evidence uses the secretome record's level, not the mechanism's")
    func minimumLevelViaComponent() throws {
        let indication = """
            indication test
              requires angiogenesis weight 1 because "v"
              minimum-level in-vivo
            end

            """
        let inVitroSecretome = try recommender(
            indications: indication, secretome: sec("S1", "adipose", "none", "VEGFA", level: "in-vitro"),
            mechanisms: mech("M1", "VEGFA", "angiogenesis", level: "clinical"))
        let e = try evaluate(inVitroSecretome, "adipose+none")
        expectClose(e.activities[0].support, 0.3 * 1 * 1.0 * 0.5 / zeta2)
        #expect(
            e.ineligibilityReasons == [
                .belowMinimumLevel(
                    minimum: "in-vivo", minimumWeight: 0.6, bestOwnLevel: "in-vitro",
                    span: SourceSpan(path: "test.rules", line: 41, column: 17))
            ])
        let inVivoSecretome = try recommender(
            indications: indication, secretome: sec("S1", "adipose", "none", "VEGFA", level: "in-vivo"),
            mechanisms: mech("M1", "VEGFA", "angiogenesis", level: "in-vitro"))
        #expect(try evaluate(inVivoSecretome, "adipose+none").isEligible)
    }
}

@Suite("Ranking path equals the full trace")
struct RankingEquivalenceTests {
    /// Compares every ranked (untraced) evaluation with the full trace of the same candidate: every number
    /// the ranking shows must be exactly the trace's.
    static func compare(_ recommender: Recommender, selection: CandidateSelection = .tested) -> Int {
        var compared = 0
        for ranking in recommender.rankAll(selection: selection) {
            // The references the score index lists are the full trace's, in order.
            let referenced = recommender.referencing(ranking).entries
            for (entry, listed) in zip(ranking.entries, referenced) {
                let e = entry.evaluation
                let full = recommender.evaluate(e.candidate, for: ranking.indication)
                #expect(listed.evaluation.references == full.references)
                #expect(listed.evaluation.score == e.score && !listed.evaluation.isTraced)
                #expect(!e.isTraced && full.isTraced)
                #expect(e.score == full.score)
                #expect(e.numerator == full.numerator)
                #expect(e.denominator == full.denominator)
                #expect(e.activities.map(\.positive) == full.activities.map(\.positive))
                #expect(e.activities.map(\.negative) == full.activities.map(\.negative))
                #expect(e.activities.map(\.won) == full.activities.map(\.won))
                #expect(e.activities.map(\.lost) == full.activities.map(\.lost))
                #expect(e.bestOwnLevel == full.bestOwnLevel)
                #expect(e.activities.map(\.support) == full.activities.map(\.support))
                #expect(e.activities.map(\.isContested) == full.activities.map(\.isContested))
                #expect(e.activities.map(\.term) == full.activities.map(\.term))
                #expect(e.ineligibilityReasons == full.ineligibilityReasons)
                #expect(e.referenceCount == full.references.count)
                #expect(e.isTested == full.isTested)
                #expect(e.activities.allSatisfy { $0.contributions.isEmpty })
                compared += 1
            }
        }
        return compared
    }

    @Test("on the shipped knowledge base, every ranked number is the full trace's")
    func shipped() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let kb = try #require(
            KnowledgeBase.load(rulesDirectory: root + "/Rules", evidenceDirectory: root + "/Evidence").knowledgeBase)
        let recommender = Recommender(knowledgeBase: kb)
        #expect(Self.compare(recommender) > 300)
        // Traced entries: exactly the full trace's kept contributions and references.
        var traced = 0
        for ranking in recommender.rankAll() {
            for entry in recommender.tracing(ranking).entries {
                let e = entry.evaluation
                let full = recommender.evaluate(e.candidate, for: ranking.indication)
                #expect(e.isTraced && e.score == full.score && e.references == full.references)
                #expect(e.activities.map(\.contributions) == full.activities.map { $0.contributions.filter(\.isKept) })
                traced += 1
            }
        }
        #expect(traced > 300)
    }

    /// Random bases where two levels share a weight, so that the level-id tie-breaks are exercised.
    @Test(
        "on random knowledge bases with tied level weights, every ranked number is the full trace's", arguments: 0..<60)
    func random(seed: Int) throws {
        let rows = PropertyTests.rows(seed: UInt64(seed) &+ 5000)
        let policy =
            seed % 2 == 0
            ? basePolicy : basePolicy.replacingOccurrences(of: "level ex-vivo 0.45", with: "level ex-vivo 0.3")
        let r = try recommender(
            indications: PropertyTests.indication, policy: policy, secretome: rows.secretome.joined(),
            functions: rows.functions.joined(), mechanisms: rows.mechanisms.joined())
        #expect(Self.compare(r, selection: .untested) == 6)
    }

    /// Random bases with comparisons of every kind and a third source: the index's comparative lists, routes
    /// and separate de-duplication give exactly the trace's numbers.
    @Test("on random knowledge bases with comparisons, every ranked number is the full trace's", arguments: 0..<80)
    func randomWithComparisons(seed: Int) throws {
        let rows = PropertyTests.rows(seed: UInt64(seed) &+ 7000)
        let policy =
            seed % 2 == 0
            ? basePolicy
            : basePolicy.replacingOccurrences(of: "discount comparison 1.0", with: "discount comparison 0.5")
        let r = try recommender(
            indications: PropertyTests.indication, policy: policy, vocabulary: PropertyTests.vocabulary,
            secretome: rows.secretome.joined(), functions: rows.functions.joined(),
            mechanisms: rows.mechanisms.joined(), comparisons: PropertyTests.comparisons(seed: UInt64(seed)).joined())
        #expect(Self.compare(r, selection: .untested) == 9)
        #expect(Self.compare(r) == r.testedCandidates.count)
    }

    /// A trace limited to `limit` kept values per harmonic sum: the full trace's numbers, and exactly the full
    /// trace's kept contributions of rank `limit` or less, in order.
    static func compareLimited(_ recommender: Recommender, limit: Int) -> Int {
        var compared = 0
        for indication in recommender.knowledgeBase.rules.indications {
            for c in recommender.candidates(.untested) {
                let full = recommender.evaluate(c, for: indication)
                let limited = recommender.evaluate(c, for: indication, keptPerSum: limit)
                #expect(limited.score == full.score && limited.numerator == full.numerator)
                #expect(limited.ineligibilityReasons == full.ineligibilityReasons)
                #expect(limited.bestOwnLevel == full.bestOwnLevel && limited.referenceCount == full.references.count)
                for (a, b) in zip(limited.activities, full.activities) {
                    #expect(a.support == b.support && a.isContested == b.isContested && a.keptCounts == b.keptCounts)
                    let expected = b.contributions.filter {
                        if case .kept(let rank) = $0.status { return rank <= limit }
                        return false
                    }
                    #expect(a.contributions == expected, "\(c.id) \(indication.id) \(b.line.activity)")
                }
                compared += 1
            }
        }
        return compared
    }

    @Test("a trace limited to the largest kept values per sum is the full trace's first ones", arguments: [1, 2, 5])
    func limitedTraces(limit: Int) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let kb = try #require(
            KnowledgeBase.load(rulesDirectory: root + "/Rules", evidenceDirectory: root + "/Evidence").knowledgeBase)
        #expect(Self.compareLimited(Recommender(knowledgeBase: kb), limit: limit) > 1000)
        for seed in 0..<20 {
            let rows = PropertyTests.rows(seed: UInt64(seed) &+ 7000)
            let r = try recommender(
                indications: PropertyTests.indication, vocabulary: PropertyTests.vocabulary,
                secretome: rows.secretome.joined(), functions: rows.functions.joined(),
                mechanisms: rows.mechanisms.joined(),
                comparisons: PropertyTests.comparisons(seed: UInt64(seed)).joined())
            #expect(Self.compareLimited(r, limit: limit) == 9)
        }
    }

    @Test("tracing a ranking replaces the first N evaluations by their full traces, numbers unchanged")
    func tracing() throws {
        let rows = PropertyTests.rows(seed: 3)
        let r = try recommender(
            indications: PropertyTests.indication, secretome: rows.secretome.joined(),
            functions: rows.functions.joined(), mechanisms: rows.mechanisms.joined())
        let ranking = r.rank(try #require(r.knowledgeBase.rules.indication("test")), selection: .untested)
        let traced = r.tracing(ranking, first: 2)
        #expect(traced.entries.map(\.evaluation.isTraced) == [true, true, false, false, false, false])
        #expect(traced.entries.map(\.evaluation.score) == ranking.entries.map(\.evaluation.score))
        #expect(traced.entries[0].evaluation.references.count == ranking.entries[0].evaluation.referenceCount)
    }
}

@Suite("Ranking selections")
struct RankingSelectionTests {
    @Test("the tested part of the all-pairs ranking is the tested ranking")
    func testedSubset() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let kb = try #require(
            KnowledgeBase.load(rulesDirectory: root + "/Rules", evidenceDirectory: root + "/Evidence").knowledgeBase)
        let recommender = Recommender(knowledgeBase: kb)
        for indication in kb.rules.indications {
            let all = recommender.rank(indication, selection: .untested)
            #expect(all.entries.count > recommender.testedCandidates.count)
            #expect(all.tested == recommender.rank(indication))
        }
    }
}
