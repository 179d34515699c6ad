public import EvidenceModel

/// Every diagnostic code the tool can report, with its default severity and a one-line summary: the rule table
/// of `check`'s SARIF output and of docs/errors.md, made from ``DiagnosticCode``.
public enum DiagnosticCatalog {
    /// One kind of finding.
    public struct Entry: Sendable, Hashable {
        /// The code.
        public var code: DiagnosticCode
        /// Its severity.
        public var severity: Diagnostic.Severity { code.severity }
        /// What it means, in a few words.
        public var summary: String { code.summary }
    }

    /// Every code, sorted.
    public static let entries: [Entry] = DiagnosticCode.allCases.sorted().map { Entry(code: $0) }

    /// The entry of `code`.
    public static func entry(_ code: DiagnosticCode) -> Entry { Entry(code: code) }
}
