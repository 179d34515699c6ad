// libFuzzer target: the TSV reader and the evidence loader must never crash on any bytes.
import EvidenceModel
import RuleEngine

let vocabulary: Vocabulary? = {
    let rules = """
        policy
          level in-vivo 0.6
          level in-vitro 0.3
          discount via-component 0.5
          discount from-baseline 0.8
          discount cross-source 0.4
          discount comparison 1.0
          product conditioned-medium 1.0
          minimum-support 0.05
        end
        source any-msc
        end
        source adipose
        end
        preconditioning none
        end
        component VEGFA
        end
        activity angiogenesis
        end
        """
    return KnowledgeBase.parseRules([(path: "f.rules", bytes: Array(rules.utf8))]).rules?.vocabulary
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    _ = TSVReader.read(bytes, path: "fuzz.tsv")
    guard let vocabulary else { return 0 }
    // The same bytes as every file, so that the fuzzer explores headers and rows of each kind.
    let files = EvidenceFiles(
        references: ("references.tsv", bytes), secretome: ("secretome.tsv", bytes), functions: ("function.tsv", bytes),
        mechanisms: ("mechanisms.tsv", bytes))
    _ = EvidenceLoader.load(files, vocabulary: vocabulary)
    return 0
}
