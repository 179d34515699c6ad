import EvidenceModel
import Foundation
import RuleEngine
import Testing

/// Hand-computed numbers for the comparative evidence of DESIGN §5 (kind 3): every side rule, the separate
/// de-duplication and harmonic sums, the contested rule, the eligibility change and the candidates.
@Suite("Comparative evidence (DESIGN §5, kind 3)")
struct ComparisonTests {
    /// The base vocabulary with a third tissue source.
    static let vocabulary = baseVocabulary + "source placenta\nend\n"

    static let angiogenesis = """
        indication test
          requires angiogenesis weight 1 because "vessels"
        end

        """

    /// DESIGN §5's worked example: comparison 0.5, x1 = adipose+hypoxia vs adipose+none on angiogenesis
    /// (better, in vivo, r7), x2 = adipose+none vs bone-marrow+none on VEGFA (worse, in vitro, r8), m1 = VEGFA
    /// promotes angiogenesis (in vivo, r9).
    static func workedExample() throws -> Recommender {
        try recommender(
            indications: angiogenesis,
            policy: basePolicy.replacingOccurrences(of: "discount comparison 1.0", with: "discount comparison 0.5"),
            vocabulary: vocabulary, mechanisms: mech("M1", "VEGFA", "angiogenesis", level: "in-vivo", ref: "r9"),
            comparisons: cmp(
                "X1", "adipose", "hypoxia", versus: "adipose", "none", "angiogenesis", level: "in-vivo", ref: "r7")
                + cmp("X2", "adipose", "none", versus: "bone-marrow", "none", "VEGFA", "worse", ref: "r8"))
    }

    @Test("the worked example: the pre-conditioned subject and its baseline's source contrast")
    func workedExampleSubject() throws {
        let a = try evaluate(Self.workedExample(), "adipose+hypoxia").activities[0]
        // x1's subject side, factor 1: 0.6 × 1 × 1 × 0.5 × (+1) = 0.3 (W). x2's subject side (adipose, none)
        // from baseline: 0.3 × 1 × 0.6 × 0.8 × 0.5 × 0.5 × (−1) × (+1) = −0.036 (L).
        #expect(a.contributions.map(\.value) == [0.6 * 1 * 1 * 0.5, -(0.3 * 1 * 0.6 * 0.8 * 0.5 * 0.5)])
        #expect(a.contributions.map(\.route) == [.itself, .ownBaseline])
        #expect(a.contributions.map(\.kind) == [.comparative, .comparative])
        #expect(a.positive == 0 && a.negative == 0)
        expectClose(a.won, 0.3 / zeta2)
        expectClose(a.lost, 0.036 / zeta2)
        expectClose(a.advantage, (0.3 - 0.036) / zeta2)
        expectClose(a.support, (0.3 - 0.036) / zeta2)
        #expect(a.isContested)
        let x1 = try #require(a.contributions.first)
        #expect(x1.path == .comparison(comparison: "X1", side: .subject))
        #expect(x1.versus == Comparator(source: "adipose", preconditioning: "none", contrast: .preconditioning))
        #expect(x1.comparisonFactor == 0.5)
    }

    @Test(
        "the worked example: a pre-conditioning contrast carries over to other sources; a source contrast's side reaches its own pre-conditioned candidates"
    )
    func workedExampleOtherSource() throws {
        let a = try evaluate(Self.workedExample(), "bone-marrow+hypoxia").activities[0]
        // x1 at cross-source: 0.6 × 1 × 0.4 × 0.5 = 0.12; x2's comparator side (bone-marrow, none; sign +1)
        // from baseline: +0.036. Two references, both positive: H(W) = (0.12 + 0.036/4)/(π²/6).
        #expect(a.contributions.map(\.value) == [0.6 * 1 * 0.4 * 0.5, 0.3 * 1 * 0.6 * 0.8 * 0.5 * 0.5])
        #expect(a.contributions.map(\.route) == [.otherSource, .ownBaseline])
        #expect(a.contributions.map(\.side) == [.subject, .comparator])
        expectClose(a.won, (0.12 + 0.036 / 4) / zeta2)
        #expect(a.lost == 0)
        #expect(!a.isContested)
    }

    @Test("the worked example: the none control takes no part; a source contrast says nothing about a third source")
    func workedExampleBaselines() throws {
        let r = try Self.workedExample()
        // adipose+none: x1 gives nothing (its none side is the control); x2 gives 0.3 × 1 × 0.6 × 1 × 0.5 × 0.5 ×
        // (−1) = −0.045.
        let adipose = try evaluate(r, "adipose+none").activities[0]
        #expect(adipose.contributions.map(\.value) == [-(0.3 * 1 * 0.6 * 1 * 0.5 * 0.5)])
        expectClose(adipose.support, -0.045 / zeta2)
        let boneMarrow = try evaluate(r, "bone-marrow+none").activities[0]
        #expect(boneMarrow.contributions.map(\.value) == [0.3 * 1 * 0.6 * 1 * 0.5 * 0.5])
        // placenta: x2 does not reach it at all; x1 only its hypoxic candidate, at cross-source.
        #expect(try evaluate(r, "placenta+none").activities[0].contributions.isEmpty)
        #expect(try evaluate(r, "placenta+hypoxia").activities[0].contributions.map(\.value) == [0.12])
        #expect(try evaluate(r, "placenta+ifn-gamma").activities[0].contributions.isEmpty)
    }

    @Test("a row that changes two factors, or none, or compares any-msc across sources is a located error (E320)")
    func contrastErrors() {
        let rows =
            cmp("X1", "adipose", "hypoxia", versus: "bone-marrow", "none", "angiogenesis")
            + cmp("X2", "ASC", "hypoxia", versus: "adipose", "hypoxia", "angiogenesis")
            + cmp("X3", "any-msc", "none", versus: "adipose", "none", "angiogenesis")
            + cmp("X4", "adipose", "none", versus: "any-msc", "none", "VEGF")
            + cmp("X5", "any-msc", "hypoxia", versus: "any-msc", "none", "angiogenesis")
        let loaded = loadInMemory(rules: basePolicy + baseVocabulary + Self.angiogenesis, comparisons: rows)
        #expect(
            loaded.diagnostics.map(\.headline) == [
                "comparisons.tsv:2:32: error: column 'versus-preconditioning': the comparison changes both the source "
                    + "('adipose' vs 'bone-marrow') and the pre-conditioning ('hypoxia' vs 'none'), so its finding "
                    + "cannot be attributed to either; a comparison varies one factor (record the paper's one-factor "
                    + "contrasts instead) [E320]",
                "comparisons.tsv:3:16: error: column 'versus-source': the comparison compares 'adipose+hypoxia' with "
                    + "itself; subject and comparator must differ in exactly one factor, the source or the "
                    + "pre-conditioning [E320]",
                "comparisons.tsv:4:4: error: column 'source': a source contrast cannot involve 'any-msc', which "
                    + "stands for MSCs in general; name the tissue source the paper compared [E320]",
                "comparisons.tsv:5:17: error: column 'versus-source': a source contrast cannot involve 'any-msc', "
                    + "which stands for MSCs in general; name the tissue source the paper compared [E320]",
            ])
        #expect(loaded.knowledgeBase == nil)
    }

    @Test("an unknown measure gets a did-you-mean over activities and components (E310)")
    func unknownMeasure() {
        let loaded = loadInMemory(
            rules: basePolicy + baseVocabulary + Self.angiogenesis,
            comparisons: cmp("X1", "adipose", "hypoxia", versus: "adipose", "none", "angiogensis")
                + cmp("X2", "adipose", "hypoxia", versus: "adipose", "none", "VEGFB"))
        #expect(
            loaded.diagnostics.map(\.headline) == [
                "comparisons.tsv:2:52: error: column 'measure': unknown measure 'angiogensis': a measure is a declared "
                    + "activity or component — did you mean 'angiogenesis'? [E310]",
                "comparisons.tsv:3:52: error: column 'measure': unknown measure 'VEGFB': a measure is a declared "
                    + "activity or component — did you mean 'VEGF'? [E310]",
            ])
    }

    @Test("one name may not be both an activity and a component (E217), nor an alias of either")
    func measureNameCollision() {
        let rules =
            basePolicy + baseVocabulary + """
                component angiogenesis
                end
                component TGFB1
                  aliases anti-inflammatory
                end

                """ + Self.angiogenesis
        let headlines = loadInMemory(rules: rules).diagnostics.map(\.headline)
        #expect(
            headlines == [
                "test.rules:39:11: error: component 'angiogenesis' is also declared as an activity; comparisons name "
                    + "an activity or a component as their measure, so one name cannot be both: rename one of them [E217]",
                "test.rules:42:11: error: alias 'anti-inflammatory' of component 'TGFB1' is also declared as an "
                    + "activity; comparisons name an activity or a component as their measure, so one name cannot be "
                    + "both: rename one of them [E217]",
            ])
    }

    @Test("a pre-conditioning contrast between two pre-conditionings: both sides take part, with opposite signs")
    func twoPreconditionings() throws {
        let r = try recommender(
            indications: Self.angiogenesis, vocabulary: Self.vocabulary,
            comparisons: cmp(
                "X1", "adipose", "hypoxia", versus: "adipose", "ifn-gamma", "angiogenesis", level: "in-vivo"))
        #expect(try evaluate(r, "adipose+hypoxia").activities[0].contributions.map(\.value) == [0.6])
        #expect(try evaluate(r, "adipose+ifn-gamma").activities[0].contributions.map(\.value) == [-0.6])
        // Carried over to other sources at cross-source, each side to its own pre-conditioning.
        #expect(try evaluate(r, "placenta+ifn-gamma").activities[0].contributions.map(\.value) == [-0.6 * 0.4])
        // Neither side is none: the baselines get nothing.
        #expect(try evaluate(r, "adipose+none").activities[0].contributions.isEmpty)
    }

    @Test("an any-msc pre-conditioning contrast reaches every source's pre-conditioned candidate at cross-source")
    func anyMSCPreconditioningContrast() throws {
        let r = try recommender(
            indications: Self.angiogenesis, vocabulary: Self.vocabulary,
            comparisons: cmp("X1", "any-msc", "hypoxia", versus: "any-msc", "none", "angiogenesis"))
        for source in ["adipose", "bone-marrow", "placenta"] {
            let a = try evaluate(r, "\(source)+hypoxia").activities[0]
            #expect(a.contributions.map(\.value) == [0.3 * 1 * 0.4 * 1])
            #expect(a.contributions.map(\.route) == [.otherSource])
        }
        // any-msc is never a candidate, so the comparison adds no tested candidate.
        #expect(r.testedCandidates.isEmpty)
    }

    @Test("a source contrast of pre-conditioned products reaches only its two pairs")
    func sourceContrastOfPreconditioned() throws {
        let r = try recommender(
            indications: Self.angiogenesis, vocabulary: Self.vocabulary,
            comparisons: cmp("X1", "adipose", "hypoxia", versus: "bone-marrow", "hypoxia", "angiogenesis"))
        #expect(try evaluate(r, "adipose+hypoxia").activities[0].contributions.map(\.value) == [0.3])
        #expect(try evaluate(r, "bone-marrow+hypoxia").activities[0].contributions.map(\.value) == [-0.3])
        for candidate in ["placenta+hypoxia", "adipose+none", "adipose+ifn-gamma", "bone-marrow+none"] {
            #expect(try evaluate(r, candidate).activities[0].contributions.isEmpty)
        }
    }

    @Test("similar: listed with value 0, in no sum, no reference; the comparator side is listed too")
    func similar() throws {
        let r = try recommender(
            indications: Self.angiogenesis, vocabulary: Self.vocabulary,
            functions: fn("F1", "adipose", "hypoxia", "angiogenesis", ref: "r2"),
            comparisons: cmp("X1", "adipose", "hypoxia", versus: "bone-marrow", "hypoxia", "angiogenesis", "similar"))
        let e = try evaluate(r, "adipose+hypoxia")
        let a = e.activities[0]
        #expect(a.contributions.map(\.status) == [.kept(rank: 1), .similar])
        #expect(a.contributions.map { $0.value == 0 } == [false, true])
        #expect(a.won == 0 && a.lost == 0 && !a.isContested)
        #expect(e.references == ["r2"])
        // bone-marrow+hypoxia: F1 at cross-source, and X1's comparator side, similar too.
        let other = try evaluate(r, "bone-marrow+hypoxia").activities[0].contributions
        #expect(other.map(\.status) == [.kept(rank: 1), .similar])
        #expect(other.map(\.side) == [nil, .comparator])
    }

    @Test("absolute and comparative evidence are de-duplicated apart; within a kind, per reference and sign")
    func separateDeduplication() throws {
        let r = try recommender(
            indications: Self.angiogenesis, vocabulary: Self.vocabulary,
            functions: fn("F1", "adipose", "hypoxia", "angiogenesis", ref: "r1"),
            comparisons: cmp("X1", "adipose", "hypoxia", versus: "adipose", "none", "angiogenesis", level: "in-vivo")
                + cmp("X2", "adipose", "hypoxia", versus: "adipose", "none", "angiogenesis")
                + cmp("X3", "adipose", "hypoxia", versus: "bone-marrow", "hypoxia", "angiogenesis", "worse"))
        let a = try evaluate(r, "adipose+hypoxia").activities[0]
        // F1 (absolute, 0.6) and X1 (comparative, 0.6) share r1 and are both kept; X2 (0.3) loses to X1 within
        // the comparative kind; X3 (−0.3) has the other sign and is kept.
        #expect(
            a.contributions.map(\.status) == [
                .kept(rank: 1), .kept(rank: 1), .kept(rank: 1),
                .dropped(keptInstead: .comparison(comparison: "X1", side: .subject)),
            ])
        #expect(a.contributions.map(\.recordID) == ["F1", "X1", "X3", "X2"])
        expectClose(a.positive, 0.6 / zeta2)
        expectClose(a.won, 0.6 / zeta2)
        expectClose(a.lost, 0.3 / zeta2)
        expectClose(a.support, 0.6 / zeta2 - 0 + 0.6 / zeta2 - 0.3 / zeta2)
        #expect(a.isContested)
    }

    @Test("comparative tie-break: the side of the candidate's own source, then level weight, then comparison id")
    func comparativeTieBreak() throws {
        // Cross-source 0.5: X1's carried-over in-vivo value (0.6 × 0.5 = 0.3) ties X2's own in-vitro value (0.3).
        let policy = basePolicy.replacingOccurrences(of: "discount cross-source 0.4", with: "discount cross-source 0.5")
        let r = try recommender(
            indications: Self.angiogenesis, policy: policy, vocabulary: Self.vocabulary,
            comparisons: cmp(
                "X1", "bone-marrow", "hypoxia", versus: "bone-marrow", "none", "angiogenesis", level: "in-vivo")
                + cmp("X2", "adipose", "hypoxia", versus: "adipose", "none", "angiogenesis"))
        let a = try evaluate(r, "adipose+hypoxia").activities[0]
        #expect(a.contributions.map(\.recordID) == ["X2", "X1"])
        #expect(a.contributions.map(\.isKept) == [true, false])
        // For placenta, neither is its own: the higher level weight (X1, in vivo) wins.
        let p = try evaluate(r, "placenta+hypoxia").activities[0]
        #expect(p.contributions.map(\.value) == [0.6 * 0.5, 0.3 * 0.5])
        #expect(p.contributions.map(\.isKept) == [true, false])
    }

    @Test("minimum-support can be met by the advantage, minimum-level never: comparisons alone never make eligible")
    func comparisonsDoNotMakeEligible() throws {
        let indication = """
            indication test
              requires angiogenesis weight 1 because "vessels"
              minimum-level in-vivo
            end

            """
        let r = try recommender(
            indications: indication, vocabulary: Self.vocabulary,
            comparisons: cmp("X1", "adipose", "hypoxia", versus: "adipose", "none", "angiogenesis", level: "clinical"))
        let e = try evaluate(r, "adipose+hypoxia")
        expectClose(e.activities[0].support, 1.0 / zeta2)
        #expect(e.bestOwnLevel == nil)
        #expect(
            e.ineligibilityReasons == [
                .belowMinimumLevel(
                    minimum: "in-vivo", minimumWeight: 0.6, bestOwnLevel: nil,
                    span: SourceSpan(path: "test.rules", line: 43, column: 17))
            ])
        // The same without minimum-level: the advantage alone meets minimum-support.
        let lenient = try recommender(
            indications: Self.angiogenesis, vocabulary: Self.vocabulary,
            comparisons: cmp("X1", "adipose", "hypoxia", versus: "adipose", "none", "angiogenesis", level: "clinical"))
        #expect(try evaluate(lenient, "adipose+hypoxia").isEligible)
    }

    @Test("both sides of a comparison are tested candidates, the none control included; any-msc never")
    func candidates() throws {
        let r = try recommender(
            indications: Self.angiogenesis, vocabulary: Self.vocabulary,
            comparisons: cmp("X1", "adipose", "hypoxia", versus: "adipose", "none", "angiogenesis")
                + cmp("X2", "any-msc", "ifn-gamma", versus: "any-msc", "none", "angiogenesis")
                + cmp("X3", "bone-marrow", "none", versus: "placenta", "none", "HGF"))
        #expect(
            r.testedCandidates.map(\.id) == ["adipose+hypoxia", "adipose+none", "bone-marrow+none", "placenta+none"])
    }

    @Test("a comparison of a component reaches the activity through every decisive mechanism")
    func throughComponent() throws {
        let r = try recommender(
            indications: Self.angiogenesis, vocabulary: Self.vocabulary,
            mechanisms: mech("M1", "HGF", "angiogenesis", level: "in-vitro")
                + mech("M2", "HGF", "angiogenesis", level: "in-vivo", ref: "r8")
                + mech("M3", "HGF", "angiogenesis", "inhibits", level: "in-vitro", ref: "r7"),
            comparisons: cmp("X1", "adipose", "hypoxia", versus: "adipose", "none", "HGF", level: "in-vivo"))
        let a = try evaluate(r, "adipose+hypoxia").activities[0]
        // 0.6 × 1 × level(q) × 1 × 1 × 0.5 × (+1) × eff(q): M2 (0.6) kept over M1 (0.3) — the same comparison,
        // reference and sign — and M3 inhibits: a loss.
        #expect(a.contributions.map(\.mechanismID) == ["M2", "M3", "M1"])
        #expect(a.contributions.map(\.value) == [0.6 * 0.6 * 0.5, -(0.6 * 0.3 * 0.5), 0.6 * 0.3 * 0.5])
        #expect(a.contributions.map(\.isKept) == [true, true, false])
        expectClose(a.support, 0.18 / zeta2 - 0.09 / zeta2)
    }

    @Test("the comparison factor is a policy value: 0 silences every comparison, --set changes it")
    func comparisonFactor() throws {
        let rows = cmp("X1", "adipose", "hypoxia", versus: "adipose", "none", "angiogenesis", level: "in-vivo")
        let off = try recommender(
            indications: Self.angiogenesis,
            policy: basePolicy.replacingOccurrences(of: "discount comparison 1.0", with: "discount comparison 0"),
            comparisons: rows)
        #expect(try evaluate(off, "adipose+hypoxia").activities[0].contributions.isEmpty)
        let kb = try recommender(indications: Self.angiogenesis, comparisons: rows).knowledgeBase
        let set = try kb.applying([Override.parse("discount.comparison=0.25").get()]).get()
        let value = try evaluate(Recommender(knowledgeBase: set), "adipose+hypoxia").activities[0].contributions
            .map(\.value)
        #expect(value == [0.6 * 1 * 1 * 0.25])
    }

    /// DESIGN §5's applicability written out literally, as an independent check of the routes.
    static func literalApplicability(
        _ group: EvidenceGroup, role: EvidenceRole, to c: Candidate, policy: Policy
    ) -> Double? {
        let (s, p) = (c.source, c.preconditioning)
        let (rs, rp) = (group.source, group.preconditioning)
        switch role {
        case .absolute:
            let sourceFactor: Double
            if rs == s {
                sourceFactor = 1
            } else if rs == .anyMSC {
                sourceFactor = policy.crossSource
            } else if rs != s, rp == p, p != .none {
                sourceFactor = policy.crossSource
            } else {
                return nil
            }
            let preFactor: Double
            if rp == p {
                preFactor = 1
            } else if rp == .none, p != .none {
                preFactor = policy.fromBaseline
            } else {
                return nil
            }
            return sourceFactor * preFactor
        case .preconditioningContrastSide:
            if rs == s, rp == p { return 1 }
            if rp == p, rs != s { return policy.crossSource }
            return nil
        case .sourceContrastSide:
            if rs == s, rp == p { return 1 }
            if rs == s, rp == .none, p != .none { return policy.fromBaseline }
            return nil
        }
    }

    @Test("the routes are DESIGN §5's applicability, for every group, role and candidate; each reaches what it lists")
    func routesAreTheSpecification() throws {
        let model = try recommender(indications: Self.angiogenesis).model
        let sources: [SourceID] = ["any-msc", "adipose", "bone-marrow", "placenta"]
        let pres: [PreconditioningID] = ["none", "hypoxia", "ifn-gamma"]
        var checked = 0
        for role in EvidenceRole.allCases {
            for rs in sources {
                for rp in pres where !(role == .preconditioningContrastSide && rp == .none) {
                    if role == .sourceContrastSide, rs == .anyMSC { continue }
                    let group = EvidenceGroup(source: rs, preconditioning: rp)
                    for s in sources.dropFirst() {
                        for p in pres {
                            let c = Candidate(source: s, preconditioning: p)
                            let route = model.route(from: group, as: role, to: c)
                            let m = route.map { model.factors($0).sourceFactor * model.factors($0).preFactor }
                            #expect(
                                m == Self.literalApplicability(group, role: role, to: c, policy: model.policy),
                                "\(role) \(rs)+\(rp) → \(c)")
                            // The inverse: a route that reaches c lists c's group among those reaching c.
                            if let route {
                                let listed = route.groups(reaching: c)
                                #expect(listed.map { $0.contains(group) } ?? (rs != s && rp == p))
                            }
                            checked += 1
                        }
                    }
                }
            }
        }
        #expect(checked == 3 * 3 * (4 * 3 + 4 * 2 + 3 * 3))
    }
}
