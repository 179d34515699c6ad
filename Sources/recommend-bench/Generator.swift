import Foundation
import RuleEngine

/// What `generate` wrote.
struct GenerationSummary: Codable, Sendable {
    /// Evidence rows in all four record files.
    var rows: Int
    /// Rows of secretome.tsv.
    var secretome: Int
    /// Rows of function.tsv.
    var functions: Int
    /// Rows of mechanisms.tsv.
    var mechanisms: Int
    /// Rows of comparisons.tsv.
    var comparisons: Int
    /// Rows of references.tsv.
    var references: Int
    /// Bytes of every file written (rules and evidence).
    var bytes: Int
    /// Wall-clock seconds the generation took.
    var seconds: Double
}

/// Writes a synthetic knowledge base in the shipped formats (DESIGN §3 and §4), deterministically from a shape
/// and a seed.
///
/// The evidence is generated paper by paper, as curated evidence is: each synthetic reference studies one
/// MSC source (`any-msc` for the shape's share of papers) with a main pre-conditioning and product, and
/// contributes 1 to 2·m − 1 rows (m rows per reference on average). A row is a secretome, function, mechanism
/// or comparison row in the shape's proportions; a share of the secretome and function rows are baseline
/// (`none`). A comparison contrasts the paper's pre-conditioning with `none` or another one (same source), or
/// the paper's source with another (same pre-conditioning), on an activity (70 %) or a component. Levels,
/// products, species, directions and outcomes (about 10 % `refutes`) follow realistic frequencies;
/// components follow the shape's popularity law and activities a Zipf-like one; each component reaches the
/// shape's number of activities through its mechanisms. About 3 % of the rows spell a term by an alias.
///
/// The mechanism rows repeat each component's few links, so the (mechanism, secretome) pairs grow as N²;
/// only the strongest mechanism per (component, activity, effect) can survive de-duplication (DESIGN §5),
/// which keeps the contributions linear in N.
struct Generator {
    /// The names of the rule files written into `Rules/`.
    static let ruleFileNames = [
        "activities.rules", "components.rules", "indications.rules", "policy.rules", "preconditionings.rules",
        "sources.rules",
    ]

    private let rows: Int
    private let seed: UInt64
    private let shape: Shape
    private let vocabulary: SyntheticVocabulary

    /// A generator of `rows` evidence rows of `shape` from `seed`.
    init(rows: Int, seed: UInt64, shape: Shape = .standard) {
        self.rows = rows
        self.seed = seed
        self.shape = shape
        vocabulary = SyntheticVocabulary(shape: shape)
    }

    /// Writes `directory/Rules/*.rules` and `directory/Evidence/*.tsv`, creating the directories. Refuses a
    /// rules directory that holds other `*.rules` files, which would be loaded with the synthetic ones.
    func write(to directory: String) throws -> GenerationSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let rulesDirectory = directory + "/Rules"
        let evidenceDirectory = directory + "/Evidence"
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: rulesDirectory, withIntermediateDirectories: true)
            try fileManager.createDirectory(atPath: evidenceDirectory, withIntermediateDirectories: true)
        } catch {
            throw BenchError("cannot create '\(directory)': \(error.localizedDescription)")
        }
        let foreign = ((try? fileManager.contentsOfDirectory(atPath: rulesDirectory)) ?? [])
            .filter { $0.hasSuffix(".rules") && !Generator.ruleFileNames.contains($0) }.sorted()
        if let first = foreign.first {
            throw BenchError(
                "'\(rulesDirectory)' already holds '\(first)', which would be loaded with the synthetic rules; "
                    + "use an empty directory")
        }
        var bytes = 0
        for (name, text) in ruleFiles() {
            let file = try ByteFile(path: rulesDirectory + "/" + name)
            file.append(text)
            try file.close()
            bytes += file.byteCount
        }
        var summary = try writeEvidence(to: evidenceDirectory)
        summary.bytes += bytes
        summary.seconds = (clock.now - start).seconds
        return summary
    }

    /// The rule files: name and text.
    func ruleFiles() -> [(String, String)] {
        let header =
            "# Synthetic knowledge base written by recommend-bench for benchmarks (\(rows) rows, seed \(seed), "
            + "shape \(shape.summary)).\n"
            + "# Not real evidence: do not use it for recommendations.\n\n"
        func terms(_ kind: String, _ list: [SyntheticTerm]) -> String {
            var text = header
            for term in list {
                text += "\(kind) \(term.name)\n  label \"\(term.label)\"\n"
                if !term.aliases.isEmpty { text += "  aliases \(term.aliases.joined(separator: " "))\n" }
                text += "end\n\n"
            }
            return text
        }
        var indications = header
        for indication in vocabulary.indications {
            indications += "indication \(indication.name)\n  label \"\(indication.label)\"\n"
            for line in indication.lines {
                let kind = line.kind.padding(toLength: 9, withPad: " ", startingAt: 0)
                let activity = line.activity.padding(
                    toLength: max(21, line.activity.count + 1), withPad: " ", startingAt: 0)
                indications += "  \(kind)\(activity) weight \(line.weight)  because \"\(line.because)\"\n"
            }
            indications += "  minimum-level in-vivo\nend\n\n"
        }
        return [
            ("activities.rules", terms("activity", vocabulary.activities)),
            ("components.rules", terms("component", vocabulary.components)),
            ("indications.rules", indications),
            ("policy.rules", header + SyntheticVocabulary.policy),
            ("preconditionings.rules", terms("preconditioning", vocabulary.preconditionings)),
            ("sources.rules", terms("source", vocabulary.sources)),
        ]
    }

    /// Writes the five TSV files and counts their rows.
    private func writeEvidence(to directory: String) throws -> GenerationSummary {
        let references = try ByteFile(path: directory + "/references.tsv")
        let secretome = try ByteFile(path: directory + "/secretome.tsv")
        let functions = try ByteFile(path: directory + "/function.tsv")
        let mechanisms = try ByteFile(path: directory + "/mechanisms.tsv")
        let comparisons = try ByteFile(path: directory + "/comparisons.tsv")
        references.append("ref\tdoi\tpmid\tauthors\tyear\ttitle\tjournal")
        try references.endLine()
        secretome.append("id\tsource\tpreconditioning\tproduct\tcomponent\tdirection\tlevel\tspecies\tref\tnote")
        try secretome.endLine()
        functions.append("id\tsource\tpreconditioning\tproduct\tactivity\toutcome\tlevel\tspecies\tref\tnote")
        try functions.endLine()
        mechanisms.append("id\tcomponent\tactivity\teffect\tlevel\tref\tnote")
        try mechanisms.endLine()
        comparisons.append(
            "id\tsource\tpreconditioning\tversus-source\tversus-preconditioning\tproduct\tmeasure\toutcome\tlevel\t"
                + "species\tref\tnote")
        try comparisons.endLine()

        let tables = Tables(shape: shape, vocabulary: vocabulary, seed: seed)
        var rng = SplitMix64.stream(seed, 2)
        var counts = (secretome: 0, functions: 0, mechanisms: 0, comparisons: 0, references: 0)
        var emitted = 0
        let (toFunction, toMechanism) = (
            shape.secretomeShare + shape.functionShare,
            shape.secretomeShare + shape.functionShare + shape.mechanismShare
        )
        while emitted < rows {
            counts.references += 1
            let paper = Paper(number: counts.references, tables: tables, rng: &rng)
            try tables.writeReference(paper, to: references, rng: &rng)
            let size = min(1 + rng.below(2 * shape.rowsPerReference - 1), rows - emitted)
            for _ in 0..<size {
                let kind = rng.unit()
                if kind < shape.secretomeShare {
                    counts.secretome += 1
                    try tables.writeSecretome(number: counts.secretome, paper, to: secretome, rng: &rng)
                } else if kind < toFunction {
                    counts.functions += 1
                    try tables.writeFunction(number: counts.functions, paper, to: functions, rng: &rng)
                } else if kind < toMechanism {
                    counts.mechanisms += 1
                    try tables.writeMechanism(number: counts.mechanisms, paper, to: mechanisms, rng: &rng)
                } else {
                    counts.comparisons += 1
                    try tables.writeComparison(number: counts.comparisons, paper, to: comparisons, rng: &rng)
                }
            }
            emitted += size
        }
        var bytes = 0
        for file in [references, secretome, functions, mechanisms, comparisons] {
            try file.close()
            bytes += file.byteCount
        }
        return GenerationSummary(
            rows: emitted, secretome: counts.secretome, functions: counts.functions,
            mechanisms: counts.mechanisms, comparisons: counts.comparisons, references: counts.references,
            bytes: bytes, seconds: 0)
    }
}

/// One synthetic paper: the context its rows share.
private struct Paper {
    /// Its number (1-based), which names its reference.
    var number: Int
    /// Its source index (0 = `any-msc`).
    var source: Int
    /// Its main pre-conditioning index (never 0 = `none`).
    var preconditioning: Int
    /// Its main product index.
    var product: Int
    /// Its species index.
    var species: Int

    /// Draws a paper's context.
    init(number: Int, tables: Tables, rng: inout SplitMix64) {
        self.number = number
        source = rng.chance(tables.shape.anyMSCShare) ? 0 : 1 + tables.sourceTable.draw(&rng)
        preconditioning = 1 + tables.preconditioningTable.draw(&rng)
        product = tables.productTable.draw(&rng)
        species = tables.speciesTable.draw(&rng)
    }
}

/// The spellings of the vocabulary as bytes, the frequency tables, and the row writers.
private struct Tables {
    /// The spellings of one term: its name, then its aliases.
    typealias Spellings = [[UInt8]]

    let shape: Shape
    let sources: [Spellings]
    let preconditionings: [Spellings]
    let components: [Spellings]
    let activities: [Spellings]
    let levels: [[UInt8]]
    let products: [[UInt8]]
    let species: [[UInt8]]

    let sourceTable: WeightedTable
    let preconditioningTable: WeightedTable
    let componentTable: WeightedTable
    let mechanismComponentTable: WeightedTable
    let activityTable: WeightedTable
    let recordLevelTable: WeightedTable
    let mechanismLevelTable: WeightedTable
    let productTable: WeightedTable
    let speciesTable: WeightedTable
    /// For each component, the activities its mechanisms reach, whether it promotes them, and whether the
    /// literature disagrees about it (then 30 % of its rows report the opposite effect).
    let links: [[Link]]

    /// A component-to-activity link.
    struct Link {
        /// The activity index.
        var activity: Int
        /// Whether the component mostly promotes the activity.
        var promotes: Bool
        /// Whether reports conflict.
        var isContested: Bool
    }

    private static let secretomeMethods: [[UInt8]] = [
        "ELISA of the conditioned medium", "cytokine antibody array", "LC-MS/MS proteomics",
        "multiplex bead assay", "qPCR of vesicle cargo", "western blot of the secretome",
    ].map { Array($0.utf8) }
    private static let functionAssays: [[UInt8]] = [
        "in vitro functional assay", "rodent injury model", "co-culture with target cells",
        "histology and functional scores", "reporter cell assay", "ex vivo tissue explant",
    ].map { Array($0.utf8) }
    private static let mechanismMethods: [[UInt8]] = [
        "neutralising antibody abolished the effect", "siRNA knockdown reduced the effect",
        "recombinant factor reproduced the effect", "pharmacological inhibitor blocked the effect",
    ].map { Array($0.utf8) }
    private static let surnames = [
        "Garcia", "Smith", "Wang", "Kim", "Rossi", "Novak", "Silva", "Tanaka", "Ivanova", "Müller", "Dubois",
        "Khan", "Nguyen", "Haddad", "Okafor", "Lindqvist",
    ]
    private static let journals: [[UInt8]] = [
        "Stem Cell Research & Therapy", "Stem Cells Translational Medicine", "Cytotherapy",
        "Journal of Extracellular Vesicles", "Stem Cell Reports", "Scientific Reports", "Biomaterials",
        "Frontiers in Immunology", "Theranostics", "Cell Death & Disease",
    ].map { Array($0.utf8) }

    private static let up = Array("up".utf8)
    private static let down = Array("down".utf8)
    private static let present = Array("present".utf8)
    private static let supports = Array("supports".utf8)
    private static let refutes = Array("refutes".utf8)
    private static let promotes = Array("promotes".utf8)
    private static let inhibits = Array("inhibits".utf8)

    /// Builds the tables of `shape`; the component-to-activity links are drawn from their own stream of `seed`.
    init(shape: Shape, vocabulary: SyntheticVocabulary, seed: UInt64) {
        func spellings(_ terms: [SyntheticTerm]) -> [Spellings] {
            terms.map { [Array($0.name.utf8)] + $0.aliases.map { Array($0.utf8) } }
        }
        self.shape = shape
        sources = spellings(vocabulary.sources)
        preconditionings = spellings(vocabulary.preconditionings)
        components = spellings(vocabulary.components)
        activities = spellings(vocabulary.activities)
        levels = SyntheticVocabulary.levels.map { Array($0.utf8) }
        products = SyntheticVocabulary.products.map { Array($0.utf8) }
        species = SyntheticVocabulary.species.map { Array($0.utf8) }
        sourceTable = WeightedTable(vocabulary.sources.dropFirst().map(\.weight))
        preconditioningTable = .zipf(vocabulary.preconditionings.count - 1, offset: 1.5)
        componentTable = WeightedTable(
            (0..<vocabulary.components.count).map {
                1 / pow(Double($0) + shape.componentOffset, shape.componentExponent)
            })
        mechanismComponentTable = WeightedTable(
            (0..<vocabulary.components.count).map {
                1 / pow(Double($0) + shape.componentOffset, shape.mechanismExponent)
            })
        activityTable = .zipf(vocabulary.activities.count, offset: 2)
        recordLevelTable = WeightedTable(SyntheticVocabulary.recordLevelWeights)
        mechanismLevelTable = WeightedTable(SyntheticVocabulary.mechanismLevelWeights)
        productTable = WeightedTable(SyntheticVocabulary.productWeights)
        speciesTable = WeightedTable(SyntheticVocabulary.speciesWeights)

        var rng = SplitMix64.stream(seed, 1)
        var links: [[Link]] = []
        let spread = shape.linksPerComponent.upperBound - shape.linksPerComponent.lowerBound + 1
        for _ in vocabulary.components {
            var reached: [Link] = []
            let wanted = shape.linksPerComponent.lowerBound + rng.below(spread)
            while reached.count < wanted {
                let activity = activityTable.draw(&rng)
                if !reached.contains(where: { $0.activity == activity }) {
                    reached.append(Link(activity: activity, promotes: rng.chance(0.8), isContested: rng.chance(0.15)))
                }
            }
            links.append(reached)
        }
        self.links = links
    }

    /// A spelling of a term: its name, or (for about 3 % of the rows) one of its aliases.
    private func spell(_ spellings: Spellings, _ rng: inout SplitMix64) -> [UInt8] {
        guard spellings.count > 1, rng.chance(0.03) else { return spellings[0] }
        return spellings[1 + rng.below(spellings.count - 1)]
    }

    /// Appends the reference key of paper `number`.
    private func appendReferenceKey(_ number: Int, to file: ByteFile) {
        file.append("syn-")
        file.append(decimal: number, width: 7)
    }

    /// Appends a record's source, pre-conditioning and product fields (each followed by a tab), drawing the
    /// row's pre-conditioning (a quarter `none`) and product around the paper's. Returns whether the row is
    /// a baseline (`none`) row.
    @discardableResult
    private func appendContext(_ paper: Paper, to file: ByteFile, rng: inout SplitMix64) -> Bool {
        file.append(spell(sources[paper.source], &rng))
        file.append(byte: 0x09)
        let pre: Int
        if rng.chance(shape.baselineShare) {
            pre = 0
        } else if rng.chance(0.85) {
            pre = paper.preconditioning
        } else {
            pre = 1 + preconditioningTable.draw(&rng)
        }
        file.append(spell(preconditionings[pre], &rng))
        file.append(byte: 0x09)
        file.append(products[rng.chance(0.8) ? paper.product : productTable.draw(&rng)])
        file.append(byte: 0x09)
        return pre == 0
    }

    /// Writes the row of references.tsv for `paper`, with a DOI under the 10.5555 test prefix.
    func writeReference(_ paper: Paper, to file: ByteFile, rng: inout SplitMix64) throws {
        appendReferenceKey(paper.number, to: file)
        file.append("\t10.5555/synthetic.")
        file.append(decimal: paper.number)
        file.append("\t\t")
        let first = Tables.surnames[rng.below(Tables.surnames.count)]
        let second = Tables.surnames[rng.below(Tables.surnames.count)]
        file.append("\(first) A, \(second) B, et al.\t")
        file.append(decimal: 2000 + rng.below(26))
        file.append("\tSynthetic study ")
        file.append(decimal: paper.number)
        file.append(" of the ")
        file.append(sources[paper.source][0])
        file.append(" MSC secretome\t")
        file.append(Tables.journals[rng.below(Tables.journals.count)])
        try file.endLine()
    }

    /// Writes secretome row `number` of `paper`.
    func writeSecretome(number: Int, _ paper: Paper, to file: ByteFile, rng: inout SplitMix64) throws {
        file.append("SYN-S")
        file.append(decimal: number, width: 7)
        file.append(byte: 0x09)
        let isBaseline = appendContext(paper, to: file, rng: &rng)
        file.append(spell(components[componentTable.draw(&rng)], &rng))
        file.append(byte: 0x09)
        let direction = rng.unit()
        if isBaseline {
            file.append(direction < 0.7 ? Tables.present : direction < 0.9 ? Tables.up : Tables.down)
        } else {
            file.append(direction < 0.6 ? Tables.up : direction < 0.85 ? Tables.down : Tables.present)
        }
        file.append(byte: 0x09)
        appendTail(level: recordLevelTable.draw(&rng), paper, to: file, rng: &rng)
        file.append(Tables.secretomeMethods[rng.below(Tables.secretomeMethods.count)])
        try file.endLine()
    }

    /// Writes function row `number` of `paper`.
    func writeFunction(number: Int, _ paper: Paper, to file: ByteFile, rng: inout SplitMix64) throws {
        file.append("SYN-F")
        file.append(decimal: number, width: 7)
        file.append(byte: 0x09)
        appendContext(paper, to: file, rng: &rng)
        file.append(spell(activities[activityTable.draw(&rng)], &rng))
        file.append(byte: 0x09)
        file.append(rng.chance(0.1) ? Tables.refutes : Tables.supports)
        file.append(byte: 0x09)
        appendTail(level: recordLevelTable.draw(&rng), paper, to: file, rng: &rng)
        file.append(Tables.functionAssays[rng.below(Tables.functionAssays.count)])
        try file.endLine()
    }

    /// Appends the level, species and reference fields of a secretome or function row, each followed by a tab.
    private func appendTail(level: Int, _ paper: Paper, to file: ByteFile, rng: inout SplitMix64) {
        file.append(levels[level])
        file.append(byte: 0x09)
        file.append(species[rng.chance(0.9) ? paper.species : speciesTable.draw(&rng)])
        file.append(byte: 0x09)
        appendReferenceKey(paper.number, to: file)
        file.append(byte: 0x09)
    }

    /// Writes mechanism row `number` of `paper`: one of a component's links, its effect reversed in 30 % of
    /// the rows of a contested link.
    func writeMechanism(number: Int, _ paper: Paper, to file: ByteFile, rng: inout SplitMix64) throws {
        file.append("SYN-M")
        file.append(decimal: number, width: 7)
        file.append(byte: 0x09)
        let component = mechanismComponentTable.draw(&rng)
        file.append(spell(components[component], &rng))
        file.append(byte: 0x09)
        let reach = links[component]
        let link = reach[rng.below(reach.count)]
        file.append(spell(activities[link.activity], &rng))
        file.append(byte: 0x09)
        let reversed = link.isContested && rng.chance(0.3)
        file.append(link.promotes != reversed ? Tables.promotes : Tables.inhibits)
        file.append(byte: 0x09)
        file.append(levels[mechanismLevelTable.draw(&rng)])
        file.append(byte: 0x09)
        appendReferenceKey(paper.number, to: file)
        file.append(byte: 0x09)
        file.append(Tables.mechanismMethods[rng.below(Tables.mechanismMethods.count)])
        try file.endLine()
    }
}

extension Tables {
    private static let comparisonNotes: [[UInt8]] = [
        "side-by-side ELISA of both media", "both products in one animal model", "matched-donor co-culture assay",
        "paired proteomics of both secretomes",
    ].map { Array($0.utf8) }
    private static let better = Array("better".utf8)
    private static let worse = Array("worse".utf8)
    private static let similar = Array("similar".utf8)

    /// Writes comparison row `number` of `paper`: a contrast in one factor. With probability 0.6 (always for an
    /// `any-msc` paper) the paper's pre-conditioning against `none` (85 %) or another pre-conditioning, in the
    /// paper's source; otherwise the paper's source against another, both at `none` (60 %) or the paper's
    /// pre-conditioning. The measure is an activity (70 %) or a component; 75 % `better`, 15 % `worse`.
    func writeComparison(number: Int, _ paper: Paper, to file: ByteFile, rng: inout SplitMix64) throws {
        file.append("SYN-X")
        file.append(decimal: number, width: 7)
        file.append(byte: 0x09)
        let (source, pre) = (paper.source, paper.preconditioning)
        let sides: (Int, Int, Int, Int)
        if paper.source == 0 || rng.chance(0.6) {
            var other = 0
            if preconditionings.count > 2, !rng.chance(0.85) {
                while other == 0 || other == pre { other = 1 + preconditioningTable.draw(&rng) }
            }
            sides = (source, pre, source, other)
        } else {
            var other = source
            while other == source { other = 1 + sourceTable.draw(&rng) }
            let shared = rng.chance(0.6) ? 0 : pre
            sides = (source, shared, other, shared)
        }
        for (term, spellings) in [
            (sides.0, sources), (sides.1, preconditionings), (sides.2, sources), (sides.3, preconditionings),
        ] {
            file.append(spell(spellings[term], &rng))
            file.append(byte: 0x09)
        }
        file.append(products[rng.chance(0.8) ? paper.product : productTable.draw(&rng)])
        file.append(byte: 0x09)
        if rng.chance(0.7) {
            file.append(spell(activities[activityTable.draw(&rng)], &rng))
        } else {
            file.append(spell(components[componentTable.draw(&rng)], &rng))
        }
        file.append(byte: 0x09)
        let outcome = rng.unit()
        file.append(outcome < 0.75 ? Tables.better : outcome < 0.9 ? Tables.worse : Tables.similar)
        file.append(byte: 0x09)
        file.append(levels[recordLevelTable.draw(&rng)])
        file.append(byte: 0x09)
        file.append(species[rng.chance(0.9) ? paper.species : speciesTable.draw(&rng)])
        file.append(byte: 0x09)
        appendReferenceKey(paper.number, to: file)
        file.append(byte: 0x09)
        file.append(Tables.comparisonNotes[rng.below(Tables.comparisonNotes.count)])
        try file.endLine()
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
