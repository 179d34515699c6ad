import EvidenceModel
import RuleEngine
import Testing

/// Properties of the scoring model on seeded random knowledge bases (a few hundred per run).
@Suite("Properties on random knowledge bases")
struct PropertyTests {
    /// SplitMix64: a small deterministic generator, so every run tests the same bases.
    struct Random {
        var generator: SplitMix64
        init(state: UInt64) { generator = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { generator.next() }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
    }

    static let sources = ["any-msc", "adipose", "bone-marrow"]
    static let pres = ["none", "hypoxia", "ifn-gamma"]
    static let activities = ["angiogenesis", "anti-inflammatory", "pro-fibrotic"]
    static let levels = ["clinical", "in-vivo", "ex-vivo", "in-vitro"]
    static let products = ["conditioned-medium", "extracellular-vesicles", "cells"]
    static let indication = """
        indication test
          requires angiogenesis weight 3 because "a"
          supports anti-inflammatory weight 2 because "b"
          avoids pro-fibrotic weight 1 because "c"
          minimum-level in-vivo
        end

        """

    /// Random rows: function, secretome and mechanism lines (without headers).
    static func rows(seed: UInt64) -> (functions: [String], secretome: [String], mechanisms: [String]) {
        var random = Random(state: seed)
        var functions: [String] = []
        var secretome: [String] = []
        var mechanisms: [String] = []
        for i in 0..<Int(5 + random.next() % 20) {
            functions.append(
                fn(
                    "F\(i)", random.pick(sources), random.pick(pres), random.pick(activities),
                    random.chance(20) ? "refutes" : "supports", level: random.pick(levels),
                    product: random.pick(products), ref: "r\(1 + random.next() % 9)"))
        }
        for i in 0..<Int(random.next() % 10) {
            secretome.append(
                sec(
                    "S\(i)", random.pick(sources), random.pick(pres), random.pick(["VEGFA", "HGF"]),
                    random.pick(["up", "down", "present"]), level: random.pick(levels), product: random.pick(products),
                    ref: "r\(1 + random.next() % 9)"))
        }
        for i in 0..<Int(random.next() % 4) {
            mechanisms.append(
                mech(
                    "M\(i)", random.pick(["VEGFA", "HGF"]), random.pick(activities),
                    random.chance(25) ? "inhibits" : "promotes", level: random.pick(levels)))
        }
        return (functions, secretome, mechanisms)
    }

    /// The base vocabulary with a third tissue source, so that "a source contrast says nothing about a third
    /// source" is exercised.
    static let vocabulary = baseVocabulary + "source placenta\nend\n"

    /// Random comparison rows (without header): one-factor contrasts of every kind — pre-conditioning contrasts
    /// (any-msc included, against none or between two pre-conditionings) and source contrasts, better, worse
    /// and similar, of activities and components.
    static func comparisons(seed: UInt64) -> [String] {
        var random = Random(state: seed &+ 77)
        let tissues = ["adipose", "bone-marrow", "placenta"]
        var rows: [String] = []
        for i in 0..<Int(random.next() % 10) {
            let measure = random.pick(activities + ["VEGFA", "HGF"])
            let outcome = random.pick(["better", "better", "worse", "similar"])
            let (level, product, ref) = (random.pick(levels), random.pick(products), "r\(1 + random.next() % 9)")
            if random.chance(50) {
                let source = random.pick(sources + ["placenta"])
                let pre = random.pick(pres)
                let versus = random.pick(pres.filter { $0 != pre })
                rows.append(
                    cmp(
                        "X\(i)", source, pre, versus: source, versus, measure, outcome, level: level, product: product,
                        ref: ref))
            } else {
                let pre = random.pick(pres)
                let source = random.pick(tissues)
                let versus = random.pick(tissues.filter { $0 != source })
                rows.append(
                    cmp(
                        "X\(i)", source, pre, versus: versus, pre, measure, outcome, level: level, product: product,
                        ref: ref))
            }
        }
        return rows
    }

    func rank(_ rows: (functions: [String], secretome: [String], mechanisms: [String])) throws -> Ranking {
        let r = try recommender(
            indications: Self.indication, secretome: rows.secretome.joined(), functions: rows.functions.joined(),
            mechanisms: rows.mechanisms.joined())
        return r.rank(try #require(r.knowledgeBase.rules.indication("test")), selection: .untested)
    }

    static func summary(_ ranking: Ranking) -> [String] {
        ranking.entries.map { entry in
            let e = entry.evaluation
            return "\(entry.rank) \(e.candidate) \(e.score) \(e.isEligible) \(e.referenceCount) "
                + e.activities.map { "\($0.support)" }.joined(separator: ",")
        }
    }

    @Test("determinism: the same output whatever the order of the rows", arguments: 0..<300)
    func shuffledRows(seed: Int) throws {
        let rows = Self.rows(seed: UInt64(seed))
        var random = Random(state: UInt64(seed) &+ 1000)
        func shuffled(_ items: [String]) -> [String] {
            var copy = items
            for i in stride(from: copy.count - 1, to: 0, by: -1) { copy.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            return copy
        }
        let base = Self.summary(try rank(rows))
        let other = Self.summary(
            try rank((shuffled(rows.functions), shuffled(rows.secretome), shuffled(rows.mechanisms))))
        #expect(base == other)
    }

    @Test("bounds: every support lies in [-1, 1]", arguments: 0..<300)
    func bounds(seed: Int) throws {
        for entry in try rank(Self.rows(seed: UInt64(seed))).entries {
            for activity in entry.evaluation.activities {
                #expect(activity.support >= -1 && activity.support <= 1)
            }
        }
    }

    @Test("monotonicity: a supporting record never lowers support, a refuting one never raises it", arguments: 0..<300)
    func monotonicity(seed: Int) throws {
        var random = Random(state: UInt64(seed) &+ 7)
        let rows = Self.rows(seed: UInt64(seed))
        let base = try rank(rows)
        let (source, pre, activity) = (random.pick(Self.sources), random.pick(Self.pres), random.pick(Self.activities))
        let level = random.pick(Self.levels)
        let ref = "r\(1 + random.next() % 9)"
        func supports(_ ranking: Ranking) -> [String: Double] {
            var result: [String: Double] = [:]
            for entry in ranking.entries {
                let support = entry.evaluation.activities.first { $0.line.activity.rawValue == activity }?.support
                result[entry.evaluation.candidate.id] = support
            }
            return result
        }
        let before = supports(base)
        let up = supports(
            try rank(
                (
                    rows.functions + [fn("Fx", source, pre, activity, level: level, ref: ref)], rows.secretome,
                    rows.mechanisms
                )))
        let down = supports(
            try rank(
                (
                    rows.functions + [fn("Fx", source, pre, activity, "refutes", level: level, ref: ref)],
                    rows.secretome,
                    rows.mechanisms
                )))
        // The untested selection ranks every declared pair, so the three rankings have the same candidates.
        #expect(Set(up.keys) == Set(before.keys) && Set(down.keys) == Set(before.keys))
        for (candidate, value) in before {
            let raised = try #require(up[candidate])
            let lowered = try #require(down[candidate])
            #expect(raised >= value - 1e-15, "supporting record lowered \(candidate)")
            #expect(lowered <= value + 1e-15, "refuting record raised \(candidate)")
        }
    }

    @Test("de-duplication: repeating a reference's rows changes nothing", arguments: 0..<300)
    func repetition(seed: Int) throws {
        let rows = Self.rows(seed: UInt64(seed))
        let repeated = rows.functions.map { $0.replacingOccurrences(of: "F", with: "G", range: $0.range(of: "F")) }
        let base = Self.summary(try rank(rows))
        let doubled = Self.summary(try rank((rows.functions + repeated, rows.secretome, rows.mechanisms)))
        #expect(base == doubled)
    }
}
