import RuleEngine

/// One declared term of the synthetic rules: its name, label and aliases, and how often the evidence uses it.
struct SyntheticTerm: Sendable {
    /// The declared name.
    var name: String
    /// The human label.
    var label: String
    /// Other spellings the evidence may use.
    var aliases: [String] = []
    /// The relative frequency of the term in the evidence.
    var weight: Double = 1
}

/// One weight line of a synthetic indication.
struct SyntheticRuleLine: Sendable {
    /// `requires`, `supports` or `avoids`.
    var kind: String
    /// The activity.
    var activity: String
    /// The weight.
    var weight: Int
    /// The rationale.
    var because: String
}

/// One synthetic indication.
struct SyntheticIndication: Sendable {
    /// The declared name.
    var name: String
    /// The human label.
    var label: String
    /// Its weight lines.
    var lines: [SyntheticRuleLine]
}

/// The vocabulary of a synthetic knowledge base of a ``Shape``: real names where the field has them (14
/// sources, 25 pre-conditionings, about 90 components, 25 activities, 12 indications), numbered synthetic
/// names beyond them. It depends on the shape, not on the seed; the evidence depends on both.
struct SyntheticVocabulary: Sendable {
    /// The sources; index 0 is the reserved `any-msc`. Weights follow how often each source is studied.
    let sources: [SyntheticTerm]
    /// The pre-conditionings; index 0 is the reserved `none`. The others are drawn Zipf-like in this order.
    let preconditionings: [SyntheticTerm]
    /// The components, common ones first (drawn in this order by the shape's popularity law).
    let components: [SyntheticTerm]
    /// The activities, drawn Zipf-like in this order for function records.
    let activities: [SyntheticTerm]
    /// The indications.
    let indications: [SyntheticIndication]

    /// The vocabulary of `shape`.
    init(shape: Shape) {
        sources =
            Array(Self.namedSources.prefix(shape.sources + 1))
            + (Self.namedSources.count..<max(Self.namedSources.count, shape.sources + 1)).map {
                SyntheticTerm(name: "source-\($0)", label: "Synthetic MSC source \($0)")
            }
        preconditionings =
            Array(Self.namedPreconditionings.prefix(shape.preconditionings))
            + (Self.namedPreconditionings.count..<max(Self.namedPreconditionings.count, shape.preconditionings)).map {
                SyntheticTerm(name: "preconditioning-\($0)", label: "Synthetic pre-conditioning \($0)")
            }
        var components = Self.namedComponents.prefix(shape.components).map { name, aliases in
            SyntheticTerm(name: name, label: "Secreted factor \(name)", aliases: aliases)
        }
        var number = 1
        while components.count < shape.components {
            let isMicroRNA = number % 4 == 0
            let name = isMicroRNA ? "hsa-miR-syn-\(number)" : "SYNP\(number)"
            let label = isMicroRNA ? "Synthetic vesicle microRNA \(number)" : "Synthetic secreted protein \(number)"
            components.append(SyntheticTerm(name: name, label: label))
            number += 1
        }
        self.components = components
        let activityNames =
            Array(Self.namedActivities.prefix(shape.activities))
            + (Self.namedActivities.count..<max(Self.namedActivities.count, shape.activities)).map { "activity-\($0)" }
        activities = activityNames.map { SyntheticTerm(name: $0, label: "Biological activity: \($0)") }
        // The named indications use only named activities; beyond them (or with fewer activities), numbered
        // indications draw their lines from a fixed stream, so that the rules do not depend on the seed.
        let named =
            shape.activities >= Self.namedActivities.count ? Array(Self.namedIndications.prefix(shape.indications)) : []
        var rng = SplitMix64.stream(0x5eed, 3)
        var indications = named
        while indications.count < shape.indications {
            let number = indications.count + 1
            var chosen: [Int] = []
            let wanted = 3 + rng.below(3)
            while chosen.count < min(wanted, activityNames.count) {
                let a = rng.below(activityNames.count)
                if !chosen.contains(a) { chosen.append(a) }
            }
            let lines = chosen.enumerated().map { offset, a in
                SyntheticRuleLine(
                    kind: offset == 0
                        ? "requires"
                        : offset == chosen.count - 1 ? "avoids" : rng.chance(0.5) ? "requires" : "supports",
                    activity: activityNames[a], weight: 1 + rng.below(3), because: "synthetic rationale \(offset + 1)")
            }
            indications.append(
                SyntheticIndication(name: "indication-\(number)", label: "Synthetic indication \(number)", lines: lines)
            )
        }
        self.indications = indications
    }

    private static let namedSources: [SyntheticTerm] = [
        SyntheticTerm(name: "any-msc", label: "MSCs of unstated, pooled or mixed origin", aliases: ["MSC"]),
        SyntheticTerm(
            name: "bone-marrow", label: "Bone-marrow MSCs (BM-MSC)", aliases: ["BM-MSC", "BMSC"], weight: 30),
        SyntheticTerm(
            name: "adipose", label: "Adipose-derived stem/stromal cells (ASC)", aliases: ["ASC", "ADSC", "AD-MSC"],
            weight: 25),
        SyntheticTerm(
            name: "umbilical-cord", label: "Umbilical cord and Wharton's jelly MSCs", aliases: ["UC-MSC", "WJ-MSC"],
            weight: 20),
        SyntheticTerm(name: "placenta", label: "Placenta-derived MSCs", aliases: ["PMSC"], weight: 6),
        SyntheticTerm(name: "dental-pulp", label: "Dental pulp stem cells (DPSC)", aliases: ["DPSC"], weight: 6),
        SyntheticTerm(name: "menstrual-blood", label: "Menstrual blood-derived MSCs", aliases: ["MenSC"], weight: 3),
        SyntheticTerm(name: "amniotic-fluid", label: "Amniotic fluid stem cells", aliases: ["AFSC"], weight: 3),
        SyntheticTerm(
            name: "uterine-cervix", label: "Human uterine cervical stem cells (hUCESC)", aliases: ["hUCESC"], weight: 2),
        SyntheticTerm(name: "synovial-membrane", label: "Synovial membrane MSCs", aliases: ["SM-MSC"], weight: 2),
        SyntheticTerm(name: "gingiva", label: "Gingiva-derived MSCs", aliases: ["GMSC"], weight: 1.5),
        SyntheticTerm(name: "endometrium", label: "Endometrial MSCs", aliases: ["eMSC"], weight: 1.5),
        SyntheticTerm(name: "periosteum", label: "Periosteum-derived MSCs", weight: 1),
        SyntheticTerm(name: "urine", label: "Urine-derived stem cells", aliases: ["USC"], weight: 1),
        SyntheticTerm(name: "dermis", label: "Dermal MSCs", weight: 1),
    ]

    private static let namedPreconditionings: [SyntheticTerm] = [
        SyntheticTerm(name: "none", label: "No pre-conditioning (baseline culture)", aliases: ["baseline"]),
        SyntheticTerm(name: "hypoxia", label: "Hypoxic culture (1-5% O2)", aliases: ["hypoxic"]),
        SyntheticTerm(name: "ifn-gamma", label: "Interferon-gamma licensing", aliases: ["IFNG"]),
        SyntheticTerm(name: "tnf-alpha", label: "TNF-alpha priming", aliases: ["TNFA"]),
        SyntheticTerm(name: "ifn-gamma-tnf-alpha", label: "IFN-gamma plus TNF-alpha licensing"),
        SyntheticTerm(name: "il-1beta", label: "IL-1beta priming", aliases: ["IL1B-priming"]),
        SyntheticTerm(name: "spheroid-3d", label: "Three-dimensional spheroid culture", aliases: ["3D-spheroid"]),
        SyntheticTerm(name: "lps", label: "Lipopolysaccharide priming"),
        SyntheticTerm(name: "deferoxamine", label: "Deferoxamine (hypoxia mimetic)", aliases: ["DFO"]),
        SyntheticTerm(name: "cobalt-chloride", label: "Cobalt chloride (hypoxia mimetic)", aliases: ["CoCl2"]),
        SyntheticTerm(name: "serum-deprivation", label: "Serum deprivation"),
        SyntheticTerm(name: "serum-free-culture", label: "Serum-free culture"),
        SyntheticTerm(name: "il-1alpha", label: "IL-1alpha priming"),
        SyntheticTerm(name: "il-6", label: "IL-6 priming"),
        SyntheticTerm(name: "osteogenic-differentiation", label: "Osteogenic differentiation medium"),
        SyntheticTerm(name: "hif1a-overexpression", label: "HIF-1alpha overexpression"),
        SyntheticTerm(name: "hgf-overexpression", label: "HGF overexpression"),
        SyntheticTerm(name: "akt-overexpression", label: "Akt overexpression"),
        SyntheticTerm(name: "mir-29a-overexpression", label: "miR-29a overexpression"),
        SyntheticTerm(name: "pharmacological-atorvastatin", label: "Atorvastatin pre-treatment"),
        SyntheticTerm(name: "pharmacological-melatonin", label: "Melatonin pre-treatment"),
        SyntheticTerm(name: "hydrogen-peroxide", label: "Sub-lethal oxidative stress (H2O2)", aliases: ["H2O2"]),
        SyntheticTerm(name: "thrombin", label: "Thrombin pre-treatment"),
        SyntheticTerm(name: "heat-shock", label: "Heat shock"),
        SyntheticTerm(name: "low-intensity-ultrasound", label: "Low-intensity pulsed ultrasound", aliases: ["LIPUS"]),
    ]

    /// Secreted factors and vesicle cargo with real names; the rest of the 400 components are numbered.
    private static let namedComponents: [(String, [String])] = [
        ("VEGFA", ["VEGF", "VEGF-A"]), ("HGF", []), ("IGF1", ["IGF-1"]), ("TGFB1", ["TGF-b1"]),
        ("IL10", ["IL-10"]), ("IL1RN", ["IL-1Ra"]), ("CSF3", ["G-CSF"]), ("IDO1", ["IDO"]),
        ("TNFAIP6", ["TSG-6"]), ("PGE2", []), ("PTGS2", ["COX-2"]), ("BDNF", []), ("NGF", []), ("GDNF", []),
        ("NTF3", ["NT-3"]), ("ANGPT1", ["Ang-1"]), ("FGF7", ["KGF"]), ("EGF", []), ("EPO", []),
        ("CCL2", ["MCP-1"]), ("CCL3", []), ("CCL4", []), ("CXCL12", ["SDF-1"]), ("STC1", []), ("SIGLEC9", []),
        ("GPX1", []), ("ANG", []), ("ANGPT2", []), ("ANGPTL4", []), ("ANXA1", []), ("AXL", []), ("CXCL1", []),
        ("CXCL3", []), ("CXCL8", ["IL-8"]), ("ENG", []), ("FGF2", ["bFGF"]), ("GRN", []), ("ICAM1", []),
        ("IGFBP6", []), ("IL6", ["IL-6"]), ("MMP1", []), ("NRG1", []), ("PDGFRB", []), ("THBS1", []),
        ("TNFRSF11B", ["OPG"]), ("HIF1A", []), ("CXCR4", []), ("SEMA3A", []), ("NOS2", ["iNOS"]),
        ("VCAM1", []), ("PDGFB", []), ("MMP2", []), ("MMP9", []), ("TIMP1", []), ("TIMP2", []), ("LIF", []),
        ("SPP1", []), ("FN1", []), ("SERPINE1", ["PAI-1"]), ("MFGE8", []), ("LGALS1", []), ("LGALS3", []),
        ("NT5E", ["CD73"]), ("HLA-G", []), ("IL11", []), ("CSF1", []), ("CSF2", []), ("BMP2", []), ("BMP4", []),
        ("BMP7", []), ("WNT5A", []), ("DKK1", []), ("SFRP1", []), ("SFRP2", []), ("FST", []), ("ADM", []),
        ("APLN", []), ("PGF", ["PlGF"]), ("IL1B", []), ("TNF", []), ("hsa-let-7b", []), ("hsa-miR-21-5p", []),
        ("hsa-miR-29a", []), ("hsa-miR-125b-5p", []), ("hsa-miR-126", []), ("hsa-miR-146a-5p", []),
        ("hsa-miR-181c-5p", []), ("hsa-miR-223-3p", []), ("hsa-miR-133a-3p", []), ("hsa-miR-204-5p", []),
        ("hsa-miR-455-3p", []), ("hsa-miR-150-5p", []),
    ]

    private static let namedActivities: [String] = [
        "angiogenesis", "anti-inflammatory", "immunosuppression", "anti-apoptotic", "anti-fibrotic",
        "neuroprotection", "osteogenesis", "re-epithelialization", "hepatoprotection", "cardioprotection",
        "antioxidant", "pro-inflammatory", "pro-fibrotic", "myogenesis", "chondroprotection", "neurotrophic",
        "chondrogenesis", "nephroprotection", "antimicrobial", "cell-proliferation", "cell-migration",
        "lymphangiogenesis", "anti-senescence", "pro-tumorigenic", "anti-tumorigenic",
    ]

    /// The 12 named indications, each with 2 to 4 `requires`/`supports` lines and one `avoids` line.
    private static let namedIndications: [SyntheticIndication] = [
        indication(
            "wound-healing", "Cutaneous wound healing",
            [
                ("requires", "angiogenesis", 3, "granulation tissue needs new vessels"),
                ("requires", "anti-inflammatory", 2, "chronic wounds stall in a persistent inflammatory phase"),
                ("supports", "re-epithelialization", 2, "closure needs keratinocyte migration"),
                ("avoids", "pro-fibrotic", 1, "excess fibroblast activation leads to scarring"),
            ]),
        indication(
            "bone-regeneration", "Bone regeneration",
            [
                ("requires", "osteogenesis", 3, "defect repair needs osteoblast differentiation"),
                ("supports", "angiogenesis", 2, "osteogenesis is coupled to vascular invasion"),
                ("supports", "anti-inflammatory", 1, "the early inflammatory phase must resolve"),
                ("avoids", "pro-inflammatory", 1, "chronic inflammation drives bone resorption"),
            ]),
        indication(
            "liver-regeneration", "Liver regeneration and acute liver injury",
            [
                ("requires", "hepatoprotection", 3, "recovery needs hepatocyte survival"),
                ("supports", "anti-apoptotic", 2, "hepatocyte apoptosis drives acute liver failure"),
                ("supports", "anti-inflammatory", 1, "infiltrating leukocytes amplify injury"),
                ("supports", "anti-fibrotic", 1, "stellate-cell activation leads to fibrosis"),
                ("avoids", "pro-fibrotic", 2, "activated stellate cells worsen chronic disease"),
            ]),
        indication(
            "neuroprotection", "Neuroprotection",
            [
                ("requires", "neuroprotection", 3, "the goal is neuron survival"),
                ("supports", "anti-inflammatory", 2, "microglial activation extends the lesion"),
                ("supports", "anti-apoptotic", 1, "delayed apoptosis in the penumbra is preventable"),
                ("supports", "neurotrophic", 1, "neurotrophins support axon regrowth"),
                ("avoids", "pro-inflammatory", 1, "inflammation amplifies secondary injury"),
            ]),
        indication(
            "fibrosis", "Organ fibrosis",
            [
                ("requires", "anti-fibrotic", 3, "the goal is less myofibroblast activation"),
                ("supports", "anti-inflammatory", 2, "chronic inflammation sustains fibrogenic signalling"),
                ("avoids", "pro-fibrotic", 3, "TGF-beta-like signals drive fibrosis"),
            ]),
        indication(
            "muscle-regeneration", "Skeletal muscle regeneration",
            [
                ("requires", "myogenesis", 3, "repair needs satellite-cell activation"),
                ("supports", "angiogenesis", 1, "regenerating fibres need revascularisation"),
                ("supports", "anti-fibrotic", 1, "fibro-adipogenic scarring replaces lost fibres"),
                ("avoids", "pro-fibrotic", 2, "fibrosis impairs muscle function"),
            ]),
        indication(
            "cardiac-repair", "Cardiac repair",
            [
                ("requires", "cardioprotection", 3, "cardiomyocyte survival limits infarct size"),
                ("supports", "angiogenesis", 2, "the border zone needs reperfusion"),
                ("supports", "anti-apoptotic", 1, "apoptosis continues after reperfusion"),
                ("avoids", "pro-fibrotic", 2, "excess scar impairs contraction"),
            ]),
        indication(
            "immunomodulation", "Inflammatory and immune disorders",
            [
                ("requires", "immunosuppression", 3, "the goal is less effector T-cell activity"),
                ("supports", "anti-inflammatory", 2, "macrophage polarisation resolves inflammation"),
                ("avoids", "pro-inflammatory", 2, "a pro-inflammatory secretome worsens disease"),
            ]),
        indication(
            "cartilage-repair", "Cartilage repair and osteoarthritis",
            [
                ("requires", "chondroprotection", 3, "chondrocyte survival preserves the matrix"),
                ("supports", "chondrogenesis", 2, "defects need new cartilage matrix"),
                ("supports", "anti-inflammatory", 1, "synovitis drives cartilage loss"),
                ("avoids", "pro-inflammatory", 1, "IL-1-driven catabolism degrades cartilage"),
            ]),
        indication(
            "kidney-repair", "Acute kidney injury",
            [
                ("requires", "nephroprotection", 3, "tubular epithelial survival restores function"),
                ("supports", "anti-apoptotic", 2, "tubular apoptosis drives injury"),
                ("supports", "anti-fibrotic", 1, "interstitial fibrosis follows unresolved injury"),
                ("avoids", "pro-fibrotic", 2, "fibrosis leads to chronic kidney disease"),
            ]),
        indication(
            "lung-injury", "Acute lung injury",
            [
                ("requires", "anti-inflammatory", 3, "neutrophil influx damages the alveoli"),
                ("supports", "antioxidant", 1, "oxidative stress injures the epithelium"),
                ("supports", "antimicrobial", 2, "bacterial clearance limits injury"),
                ("avoids", "pro-fibrotic", 1, "fibroproliferation follows lung injury"),
            ]),
        indication(
            "sepsis", "Sepsis",
            [
                ("requires", "antimicrobial", 3, "bacterial clearance is the first goal"),
                ("requires", "immunosuppression", 2, "the cytokine storm causes organ failure"),
                ("supports", "anti-apoptotic", 1, "lymphocyte apoptosis causes immunoparalysis"),
                ("avoids", "pro-inflammatory", 2, "more inflammation worsens shock"),
            ]),
    ]

    /// An indication from its name, label and `(kind, activity, weight, because)` lines.
    private static func indication(
        _ name: String, _ label: String, _ lines: [(String, String, Int, String)]
    ) -> SyntheticIndication {
        SyntheticIndication(
            name: name, label: label,
            lines: lines.map { SyntheticRuleLine(kind: $0.0, activity: $0.1, weight: $0.2, because: $0.3) })
    }

    /// The policy block, as in the shipped `Rules/policy.rules`.
    static let policy = """
        # Scoring policy (DESIGN §5), as in the shipped Rules/policy.rules.
        policy
          level clinical   1.0
          level in-vivo    0.6
          level ex-vivo    0.45
          level in-vitro   0.3

          discount via-component 0.5   # evidence that reaches an activity only through a secreted component
          discount from-baseline 0.8   # unconditioned evidence applied to a pre-conditioned candidate
          discount cross-source  0.4   # evidence from another MSC source, or from any-msc
          discount comparison    1.0   # a head-to-head finding, against an absolute one

          product conditioned-medium     1.0
          product extracellular-vesicles 1.0
          product cells                  0.5   # the cells were tested, not their secretome

          minimum-support 0.05
        end

        """

    /// The model levels with their relative frequencies in the records that have a source (secretome and
    /// function rows) and in mechanism rows.
    static let levels: [String] = ["in-vitro", "in-vivo", "ex-vivo", "clinical"]
    /// Level frequencies of secretome and function rows.
    static let recordLevelWeights: [Double] = [55, 33, 8, 4]
    /// Level frequencies of mechanism rows.
    static let mechanismLevelWeights: [Double] = [62, 33, 4, 1]
    /// The products.
    static let products: [String] = ["conditioned-medium", "extracellular-vesicles", "cells"]
    /// Product frequencies.
    static let productWeights: [Double] = [55, 35, 10]
    /// Species (the empty field is allowed).
    static let species: [String] = ["human", "mouse", "rat", ""]
    /// Species frequencies.
    static let speciesWeights: [Double] = [70, 12, 10, 8]
}
