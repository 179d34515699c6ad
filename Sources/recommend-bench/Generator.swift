import Foundation
import RuleEngine

/// What `generate` wrote.
struct GenerationSummary: Codable, Sendable {
    /// Evidence rows in all three record files.
    var rows: Int
    /// Rows of secretome.tsv.
    var secretome: Int
    /// Rows of function.tsv.
    var functions: Int
    /// Rows of mechanisms.tsv.
    var mechanisms: Int
    /// Rows of references.tsv.
    var references: Int
    /// Bytes of every file written (rules and evidence).
    var bytes: Int
    /// Wall-clock seconds the generation took.
    var seconds: Double
}

/// Writes a synthetic knowledge base in the shipped formats (DESIGN §3 and §4), deterministically from a seed.
///
/// The evidence is generated paper by paper, as curated evidence is: each synthetic reference studies one
/// MSC source (a tenth of them `any-msc`) with a main pre-conditioning and product, and contributes 1 to 19
/// rows (10 on average, so about N/10 references). A row is a secretome row (45 %), a function row (45 %)
/// or a mechanism row (10 %); a quarter of the secretome and function rows are baseline (`none`). Levels,
/// products, species, directions and outcomes (about 10 % `refutes`) follow realistic frequencies;
/// components and activities are drawn Zipf-like, so a few are common and most are rare; each component
/// reaches 2 to 4 activities through its mechanisms. About 3 % of the rows spell a term by an alias.
///
/// The mechanism rows repeat each component's few links (about 250 rows per component at N = 10^6), so the
/// (mechanism, secretome) pairs grow as N² — about 1.5 × 10^10 candidate contributions at N = 10^6. Only the
/// strongest mechanism per (component, activity, effect) can survive de-duplication (DESIGN §5), and with
/// them collapsed so a 10^6-row base has about 44 million contributions (10 million direct).
struct Generator {
    /// The names of the rule files written into `Rules/`.
    static let ruleFileNames = [
        "activities.rules", "components.rules", "indications.rules", "policy.rules", "preconditionings.rules",
        "sources.rules",
    ]

    private let rows: Int
    private let seed: UInt64

    /// A generator of `rows` evidence rows from `seed`.
    init(rows: Int, seed: UInt64) {
        self.rows = rows
        self.seed = seed
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
            "# Synthetic knowledge base written by recommend-bench for benchmarks (\(rows) rows, seed \(seed)).\n"
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
        for indication in SyntheticVocabulary.indications {
            indications += "indication \(indication.name)\n  label \"\(indication.label)\"\n"
            for line in indication.lines {
                let kind = line.kind.padding(toLength: 9, withPad: " ", startingAt: 0)
                let activity = line.activity.padding(toLength: 21, withPad: " ", startingAt: 0)
                indications += "  \(kind)\(activity) weight \(line.weight)  because \"\(line.because)\"\n"
            }
            indications += "  minimum-level in-vivo\nend\n\n"
        }
        return [
            ("activities.rules", terms("activity", SyntheticVocabulary.activities)),
            ("components.rules", terms("component", SyntheticVocabulary.components)),
            ("indications.rules", indications),
            ("policy.rules", header + SyntheticVocabulary.policy),
            ("preconditionings.rules", terms("preconditioning", SyntheticVocabulary.preconditionings)),
            ("sources.rules", terms("source", SyntheticVocabulary.sources)),
        ]
    }

    /// Writes the four TSV files and counts their rows.
    private func writeEvidence(to directory: String) throws -> GenerationSummary {
        let references = try ByteFile(path: directory + "/references.tsv")
        let secretome = try ByteFile(path: directory + "/secretome.tsv")
        let functions = try ByteFile(path: directory + "/function.tsv")
        let mechanisms = try ByteFile(path: directory + "/mechanisms.tsv")
        references.append("ref\tdoi\tpmid\tauthors\tyear\ttitle\tjournal")
        try references.endLine()
        secretome.append("id\tsource\tpreconditioning\tproduct\tcomponent\tdirection\tlevel\tspecies\tref\tnote")
        try secretome.endLine()
        functions.append("id\tsource\tpreconditioning\tproduct\tactivity\toutcome\tlevel\tspecies\tref\tnote")
        try functions.endLine()
        mechanisms.append("id\tcomponent\tactivity\teffect\tlevel\tref\tnote")
        try mechanisms.endLine()

        let tables = Tables(seed: seed)
        var rng = SplitMix64.stream(seed, 2)
        var counts = (secretome: 0, functions: 0, mechanisms: 0, references: 0)
        var emitted = 0
        while emitted < rows {
            counts.references += 1
            let paper = Paper(number: counts.references, tables: tables, rng: &rng)
            try tables.writeReference(paper, to: references, rng: &rng)
            let size = min(1 + rng.below(19), rows - emitted)
            for _ in 0..<size {
                let kind = rng.unit()
                if kind < 0.45 {
                    counts.secretome += 1
                    try tables.writeSecretome(number: counts.secretome, paper, to: secretome, rng: &rng)
                } else if kind < 0.90 {
                    counts.functions += 1
                    try tables.writeFunction(number: counts.functions, paper, to: functions, rng: &rng)
                } else {
                    counts.mechanisms += 1
                    try tables.writeMechanism(number: counts.mechanisms, paper, to: mechanisms, rng: &rng)
                }
            }
            emitted += size
        }
        var bytes = 0
        for file in [references, secretome, functions, mechanisms] {
            try file.close()
            bytes += file.byteCount
        }
        return GenerationSummary(
            rows: emitted, secretome: counts.secretome, functions: counts.functions,
            mechanisms: counts.mechanisms, references: counts.references, bytes: bytes, seconds: 0)
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
        source = rng.chance(0.1) ? 0 : 1 + tables.sourceTable.draw(&rng)
        preconditioning = 1 + tables.preconditioningTable.draw(&rng)
        product = tables.productTable.draw(&rng)
        species = tables.speciesTable.draw(&rng)
    }
}

/// The spellings of the vocabulary as bytes, the frequency tables, and the row writers.
private struct Tables {
    /// The spellings of one term: its name, then its aliases.
    typealias Spellings = [[UInt8]]

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

    /// Builds the tables; the component-to-activity links are drawn from their own stream of `seed`.
    init(seed: UInt64) {
        func spellings(_ terms: [SyntheticTerm]) -> [Spellings] {
            terms.map { [Array($0.name.utf8)] + $0.aliases.map { Array($0.utf8) } }
        }
        sources = spellings(SyntheticVocabulary.sources)
        preconditionings = spellings(SyntheticVocabulary.preconditionings)
        components = spellings(SyntheticVocabulary.components)
        activities = spellings(SyntheticVocabulary.activities)
        levels = SyntheticVocabulary.levels.map { Array($0.utf8) }
        products = SyntheticVocabulary.products.map { Array($0.utf8) }
        species = SyntheticVocabulary.species.map { Array($0.utf8) }
        sourceTable = WeightedTable(SyntheticVocabulary.sources.dropFirst().map(\.weight))
        preconditioningTable = .zipf(SyntheticVocabulary.preconditionings.count - 1, offset: 1.5)
        componentTable = .zipf(SyntheticVocabulary.components.count, offset: 3)
        activityTable = .zipf(SyntheticVocabulary.activities.count, offset: 2)
        recordLevelTable = WeightedTable(SyntheticVocabulary.recordLevelWeights)
        mechanismLevelTable = WeightedTable(SyntheticVocabulary.mechanismLevelWeights)
        productTable = WeightedTable(SyntheticVocabulary.productWeights)
        speciesTable = WeightedTable(SyntheticVocabulary.speciesWeights)

        var rng = SplitMix64.stream(seed, 1)
        var links: [[Link]] = []
        for _ in SyntheticVocabulary.components {
            var reached: [Link] = []
            let wanted = 2 + rng.below(3)
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
        if rng.chance(0.25) {
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
        let component = componentTable.draw(&rng)
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

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
