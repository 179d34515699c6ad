import EvidenceModel
import RuleEngine
import Testing

/// Every construct of the rule language, and every error class with its exact line:column.
@Suite("Rule language")
struct RuleLanguageTests {
    /// Parses and builds `text`; returns the rule set and the diagnostics.
    func build(_ text: String) -> (rules: RuleSet?, diagnostics: [Diagnostic]) {
        KnowledgeBase.parseRules([(path: "t.rules", bytes: Array(text.utf8))])
    }

    /// Asserts that `snippet` (with ‸ markers) yields exactly one diagnostic per marker, in order, with
    /// these codes.
    func expectDiagnostics(
        _ snippet: String, codes: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [Diagnostic] {
        let (text, marked) = markedSnippet(snippet)
        let diagnostics = build(text).diagnostics
        #expect(positions(diagnostics) == marked, sourceLocation: sourceLocation)
        // Required, so that callers may index the result.
        try #require(diagnostics.map(\.code.rawValue) == codes, sourceLocation: sourceLocation)
        return diagnostics
    }

    static let minimalVocabulary = """
        source any-msc
        end
        preconditioning none
        end
        activity angiogenesis
        end

        """

    @Test("every construct: policy, terms with label, term and aliases, indications with all line kinds")
    func everyConstruct() throws {
        let text =
            basePolicy + """
                # a comment line
                source adipose   # a trailing comment
                  label "Adipose-derived stem cells (ASC)"
                  term UBERON:0001013
                  aliases ASC ADSC AD-MSC
                end

                preconditioning hypoxia
                  label "Hypoxia \\"1% O2\\""
                end

                component VEGFA
                  label "Vascular endothelial growth factor A"
                  term HGNC:12680
                  aliases VEGF VEGF-A
                end

                activity pro-fibrotic
                end
                activity re-epithelialization
                  label "Re-epithelialisation"
                  term GO:0001525 GO:0042060
                end

                indication wound-healing
                  label "Cutaneous wound healing"
                  term MONDO:0000001
                  requires angiogenesis         weight 3    because "granulation tissue needs new vessels"
                  supports re-epithelialization weight 2.5  because "closure"
                  avoids   pro-fibrotic         weight 1e0  because "scarring"
                  minimum-level in-vivo
                end

                """ + Self.minimalVocabulary
        let (rules, diagnostics) = build(text)
        #expect(diagnostics.map(\.headline) == [])
        let r = try #require(rules)
        #expect(r.policy.levelWeights == ["clinical": 1, "in-vivo": 0.6, "ex-vivo": 0.45, "in-vitro": 0.3])
        #expect(r.policy.productWeights == ["conditioned-medium": 1, "extracellular-vesicles": 1, "cells": 0.5])
        #expect(r.policy.viaComponent == 0.5)
        #expect(r.policy.fromBaseline == 0.8)
        #expect(r.policy.crossSource == 0.4)
        #expect(r.policy.minimumSupport == 0.05)
        let adipose = try #require(r.vocabulary.sources.term("adipose"))
        #expect(adipose.label == "Adipose-derived stem cells (ASC)")
        #expect(adipose.ontologyTerms == ["UBERON:0001013"])
        #expect(adipose.aliases == ["ASC", "ADSC", "AD-MSC"])
        #expect(r.vocabulary.sources.resolve("ADSC") == "adipose")
        #expect(r.vocabulary.preconditionings.term("hypoxia")?.label == "Hypoxia \"1% O2\"")
        #expect(r.vocabulary.components.resolve("VEGF-A") == "VEGFA")
        #expect(r.vocabulary.activities.term("re-epithelialization")?.ontologyTerms == ["GO:0001525", "GO:0042060"])
        let indication = try #require(r.indication("wound-healing"))
        #expect(indication.label == "Cutaneous wound healing")
        #expect(indication.ontologyTerms == ["MONDO:0000001"])
        #expect(indication.minimumLevel == "in-vivo")
        #expect(indication.lines.map(\.kind) == [.requires, .supports, .avoids])
        #expect(indication.lines.map(\.weight) == [3, 2.5, 1])
        #expect(indication.lines.map(\.rationale) == ["granulation tissue needs new vessels", "closure", "scarring"])
        #expect(indication.lines[0].span.description == "t.rules:42:3")
        #expect(indication.minimumLevelSpan?.description == "t.rules:45:17")
    }

    @Test("CRLF line ends, a BOM, and no final newline are accepted")
    func lineEnds() throws {
        let text =
            "\u{FEFF}" + (basePolicy + Self.minimalVocabulary).replacingOccurrences(of: "\n", with: "\r\n")
            + "indication x\r\n  requires angiogenesis weight 1 because \"v\"\r\nend"
        let (rules, diagnostics) = build(text)
        #expect(diagnostics.map(\.headline) == [])
        #expect(try #require(rules).indications.map(\.id) == ["x"])
    }

    @Test("lexical errors: unterminated string, unknown escape; each reported once")
    func lexicalErrors() throws {
        _ = try expectDiagnostics(
            basePolicy + Self.minimalVocabulary + """
                indication x
                  label ‸"no end
                  requires angiogenesis weight 1 because "a ‸\\q b"
                end
                """, codes: ["E103", "E104"])
    }

    @Test(
        "a NUL byte, in a word, a string or a comment, is one error at the first; the file is not read further",
        arguments: ["  term ‸\u{0}", "  label \"x‸\u{0}y\"", "  # γ‸\u{0}", "  term ‸\u{0}a\u{0}b\u{0}"])
    func nulByte(line: String) throws {
        _ = try expectDiagnostics(
            basePolicy + Self.minimalVocabulary + "indication x\n" + line + "\n  label \"unterminated\nend\n",
            codes: ["E102"])
    }

    @Test("invalid UTF-8 is reported at its line and column")
    func invalidUTF8() {
        var bytes = Array((basePolicy + "source an").utf8)
        bytes.append(0xFF)
        bytes += Array(" x\nend\n".utf8)
        let diagnostics = KnowledgeBase.parseRules([(path: "t.rules", bytes: bytes)]).diagnostics
        #expect(diagnostics.map(\.code.rawValue) == ["E101"])
        #expect(positions(diagnostics) == ["15:10"])
    }

    @Test("unknown top-level word, with a suggestion, and recovery at the next declaration")
    func unknownDeclaration() throws {
        let diagnostics = try expectDiagnostics(
            basePolicy + Self.minimalVocabulary + """
                ‸indicaton x
                  requires angiogenesis weight 1 because "v"
                end
                source bone-marrow
                end
                """, codes: ["E111"])
        #expect(diagnostics[0].message.hasSuffix("found 'indicaton' — did you mean 'indication'?"))
    }

    @Test("syntax errors inside blocks are all reported")
    func syntaxErrors() throws {
        let diagnostics = try expectDiagnostics(
            """
            policy
              level clinical ‸high
              ‸levl in-vivo 0.6
              level in-vitro 0.3 ‸extra
              discount via-component 0.5
              discount from-baseline 0.8
              discount cross-source 0.4
              product cells 0.5
              minimum-support 0.05
            end
            source any-msc
              label ‸unquoted
            end
            preconditioning none
            end
            activity angiogenesis
            end
            indication x
              requires angiogenesis ‸wieght 1 because "v"
              requires angiogenesis weight 1 ‸
              supports ‸
            end
            indication ‸
            """,
            codes: ["E115", "E114", "E110", "E117", "E120", "E119", "E116", "E112"])
        #expect(diagnostics[1].message.contains("did you mean 'level'?"))
        #expect(diagnostics[4].message.contains("did you mean 'weight'?"))
    }

    @Test("a block without 'end' is reported where the next declaration starts, and at the end of the file")
    func missingEnd() throws {
        _ = try expectDiagnostics(
            basePolicy + """
                source any-msc
                  label "x"
                ‸preconditioning none
                end
                activity angiogenesis
                ‸
                """, codes: ["E113", "E113"])
    }

    @Test("semantic errors: duplicates, alias collisions, unknown names with suggestions, bad weights")
    func semanticErrors() throws {
        let diagnostics = try expectDiagnostics(
            basePolicy + Self.minimalVocabulary + """
                source adipose
                  aliases ASC ‸any-msc
                end
                source ‸adipose
                end
                source bone-marrow
                  aliases BMSC ‸ASC
                end
                indication x
                  requires ‸angiogensis weight 1 because "v"
                  requires angiogenesis weight ‸0 because "v"
                  supports ‸angiogenesis weight 1 because "w"
                  avoids ‸angiogenesis weight 1 because "w"
                  minimum-level ‸invivo
                end
                indication y
                  requires angiogenesis weight ‸nan because "v"
                end
                indication ‸x
                end
                indication ‸z
                  supports angiogenesis weight 1 because "v"
                end
                """,
            codes: ["E202", "E201", "E202", "E207", "E209", "E208", "E208", "E211", "E209", "E201", "E210"])
        #expect(diagnostics[3].message == "unknown activity 'angiogensis' — did you mean 'angiogenesis'?")
        #expect(diagnostics[7].message.hasPrefix("unknown level 'invivo' — did you mean 'in-vivo'?"))
        #expect(diagnostics[1].notes.first?.span?.description == "t.rules:21:8")
        #expect(diagnostics[8].message == "weight must be a finite number greater than 0, found nan")
    }

    @Test("repeated labels and repeated policy entries")
    func repeats() throws {
        let policy = basePolicy.replacingOccurrences(
            of: "  minimum-support 0.05\n",
            with: "  minimum-support 0.05\n  minimum-support ‸0.1\n  level ‸in-vivo 0.5\n")
        let diagnostics = try expectDiagnostics(
            policy + Self.minimalVocabulary + """
                source bone-marrow
                  label "BM"
                  label ‸"BM-MSC"
                end
                """, codes: ["E206", "E206", "E118"])
        #expect(diagnostics[1].notes.map { $0.span?.description } == ["t.rules:3:9"])
    }

    @Test("source and pre-conditioning names may not contain '+', the candidate separator")
    func plusInNames() throws {
        _ = try expectDiagnostics(
            basePolicy + Self.minimalVocabulary + """
                preconditioning ‸ifn+tnf
                end
                source bone-marrow
                  aliases ‸BM+
                end
                component TGF+B
                end
                """, codes: ["E213", "E213"])
    }

    @Test("at most 65,535 sources: the 65,536th declaration is an error, located")
    func tooManySources() throws {
        let extra = (1...65_535).map { "source s\($0)\nend\n" }.joined()
        let text = basePolicy + Self.minimalVocabulary + extra
        let parsed = KnowledgeBase.parseRules([(path: "big.rules", bytes: Array(text.utf8))])
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        // The error is at the 65,536th source declaration (minimalVocabulary declares sources of its own).
        let sourceLines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.hasPrefix("source ") }.map { $0.offset + 1 }
        #expect(errors.map(\.code.rawValue) == ["E214"])
        #expect(
            errors.first?.message == "too many sources: \(sourceLines.count) are declared, at most 65535 are supported")
        #expect(errors.first?.span == SourceSpan(path: "big.rules", line: sourceLines[65_535], column: 8))
    }

    static let hierarchyVocabulary =
        minimalVocabulary + """
            activity anti-inflammatory
            end
            activity pro-fibrotic
            end

            """

    @Test("refines: parent lines inherited in order, own lines replace them in place, minimum-level inherited")
    func refines() throws {
        let text =
            basePolicy + Self.hierarchyVocabulary + """
                indication wound
                  requires angiogenesis weight 3 because "vessels"
                  supports anti-inflammatory weight 1 because "calm"
                  minimum-level in-vivo
                end
                indication ulcer
                  refines wound
                  requires anti-inflammatory weight 2 because "chronic inflammation"
                end
                indication diabetic-ulcer
                  refines ulcer
                  avoids pro-fibrotic weight 1 because "scars"
                  minimum-level in-vitro
                end
                """
        let built = build(text)
        #expect(built.diagnostics.isEmpty)
        let rules = try #require(built.rules)
        let ulcer = try #require(rules.indication("ulcer"))
        #expect(
            ulcer.lines.map { "\($0.kind) \($0.activity) \($0.weight) \($0.inheritedFrom?.rawValue ?? "-")" } == [
                "requires angiogenesis 3.0 wound", "requires anti-inflammatory 2.0 -",
            ])
        #expect(ulcer.minimumLevel == "in-vivo")
        let diabetic = try #require(rules.indication("diabetic-ulcer"))
        #expect(
            diabetic.lines.map { "\($0.kind) \($0.activity) \($0.inheritedFrom?.rawValue ?? "-")" } == [
                "requires angiogenesis wound", "requires anti-inflammatory ulcer", "avoids pro-fibrotic -",
            ])
        #expect(diabetic.minimumLevel == "in-vitro")
        // An inherited line keeps its place in the parent's block, so traces point at the line that says it.
        let wound = try #require(rules.indication("wound"))
        #expect(diabetic.lines[0].span == wound.lines[0].span)
    }

    @Test("refines: unknown parent, two parents and cycles are errors at the 'refines' line")
    func refinesErrors() throws {
        _ = try expectDiagnostics(
            basePolicy + Self.hierarchyVocabulary + """
                indication wound
                  requires angiogenesis weight 3 because "v"
                end
                indication a
                  refines ‸b
                  requires angiogenesis weight 1 because "v"
                end
                indication b
                  refines ‸a
                  requires angiogenesis weight 1 because "v"
                end
                indication c
                  refines ‸wund
                  requires angiogenesis weight 1 because "v"
                end
                indication d
                  refines wound
                  refines ‸c
                end
                """, codes: ["E216", "E216", "E215", "E215"])
        let diagnostics = build(
            basePolicy + Self.hierarchyVocabulary + """
                indication wound
                  requires angiogenesis weight 3 because "v"
                end
                indication c
                  refines wund
                  requires angiogenesis weight 1 because "v"
                end
                indication a
                  refines b
                  requires angiogenesis weight 1 because "v"
                end
                indication b
                  refines a
                  requires angiogenesis weight 1 because "v"
                end
                """
        ).diagnostics
        #expect(diagnostics.map(\.message).contains("unknown indication 'wund' in 'refines' — did you mean 'wound'?"))
        #expect(diagnostics.map(\.message).contains("indications refine each other in a cycle: a → b → a"))
    }

    @Test("a bad line that children inherit is reported once")
    func inheritedErrorOnce() {
        let text =
            basePolicy + Self.hierarchyVocabulary + """
                indication wound
                  requires angiogensis weight 3 because "v"
                  requires anti-inflammatory weight 1 because "v"
                end
                indication ulcer
                  refines wound
                end
                indication diabetic-ulcer
                  refines ulcer
                end
                """
        let parsed = KnowledgeBase.parseRules([(path: "h.rules", bytes: Array(text.utf8))])
        #expect(parsed.diagnostics.map(\.code.rawValue) == ["E207"])
    }

    @Test("a vocabulary too large to index is an error, not an allocation failure")
    func tooManyCombinations() {
        // any-msc + 99 sources, none + 499 pre-conditionings, 401 activities: 100 × 500 × 401 > 20,000,000.
        let text =
            basePolicy + Self.minimalVocabulary + (1...99).map { "source s\($0)\nend\n" }.joined()
            + (1...499).map { "preconditioning p\($0)\nend\n" }.joined()
            + (1...400).map { "activity a\($0)\nend\n" }.joined()
        let parsed = KnowledgeBase.parseRules([(path: "wide.rules", bytes: Array(text.utf8))])
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code.rawValue) == ["E214"])
        #expect(
            errors.first?.message
                == "the vocabulary is too large to index: 100 sources × 500 pre-conditionings × (401 activities + 0 "
                + "components) = 20050000 combinations, at most 20000000 are supported")
        #expect(errors.first?.span == SourceSpan(path: "wide.rules", line: 1, column: 1))
    }

    @Test("policy errors: values outside [0, 1], unknown and missing discounts, missing reserved terms")
    func policyErrors() {
        let (_, diagnostics) = build(
            """
            policy
              level in-vivo 1.5
              level in-vitro 0.3
              discount cross-sorce 0.4
              discount via-component 0.5
              product cells -0.1
              product conditioned-medium 1
            end
            activity angiogenesis
            end
            """)
        #expect(
            diagnostics.map(\.headline) == [
                "t.rules:1:1: error: the policy does not set 'discount comparison'; add 'discount comparison 1.0' (a "
                    + "head-to-head finding counts as much as an absolute one of its level) [E205]",
                "t.rules:1:1: error: the policy does not set 'discount cross-source' [E205]",
                "t.rules:1:1: error: the policy does not set 'discount from-baseline' [E205]",
                "t.rules:1:1: error: the policy does not set 'minimum-support' [E205]",
                "t.rules:1:1: error: the rules must declare 'preconditioning none', the baseline [E212]",
                "t.rules:1:1: error: the rules must declare 'source any-msc', the source of statements about MSCs "
                    + "in general [E212]",
                "t.rules:2:17: error: level 'in-vivo' must be a number between 0 and 1, found 1.5 [E204]",
                "t.rules:4:12: error: unknown discount 'cross-sorce' — did you mean 'cross-source'?; "
                    + "the discounts are comparison, cross-source, from-baseline, via-component [E205]",
                "t.rules:6:17: error: product 'cells' must be a number between 0 and 1, found -0.1 [E204]",
            ])
    }

    @Test("an empty rationale and a second minimum-level")
    func emptyRationaleAndSecondMinimumLevel() throws {
        _ = try expectDiagnostics(
            basePolicy + Self.minimalVocabulary + """
                indication x
                  requires angiogenesis weight 1 because ‸"  "
                  minimum-level in-vivo
                  minimum-level ‸in-vitro
                end
                """, codes: ["E119", "E211"])
    }

    @Test("weights that are each finite but add up to infinity")
    func weightOverflow() throws {
        _ = try expectDiagnostics(
            basePolicy + Self.minimalVocabulary + """
                activity calm
                end
                indication ‸x
                  requires angiogenesis weight 1e308 because "v"
                  supports calm weight 1e308 because "w"
                end
                """, codes: ["E209"])
    }

    @Test("no policy at all, and a second policy")
    func policyPresence() {
        #expect(
            build(Self.minimalVocabulary).diagnostics.map(\.headline) == [
                "t.rules:1:1: error: no 'policy' block: the rules must declare the level, product and discount weights [E203]"
            ])
        let twice = build(basePolicy + basePolicy + Self.minimalVocabulary).diagnostics
        #expect(twice.map(\.headline) == ["t.rules:15:1: error: second 'policy' block; declare the policy once [E203]"])
    }

    @Test("no policy, and indications with a minimum level: one error, no follow-on E211 per indication")
    func noPolicyNoCascade() {
        let indications = (1...9).map {
            "indication i\($0)\n  requires angiogenesis weight 1 because \"v\"\n  minimum-level in-vivo\nend\n"
        }
        #expect(
            build(Self.minimalVocabulary + indications.joined()).diagnostics.map(\.headline) == [
                "t.rules:1:1: error: no 'policy' block: the rules must declare the level, product and discount weights [E203]"
            ])
    }
}
