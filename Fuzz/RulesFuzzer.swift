// libFuzzer target: the rule lexer, parser and rule-set builder must never crash on any bytes.
import RuleEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    _ = KnowledgeBase.parseRules([(path: "fuzz.rules", bytes: bytes)])
    return 0
}
