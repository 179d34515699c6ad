public import EvidenceModel

/// Every diagnostic code the rule engine and the evidence loader can report, with its default severity and a
/// one-line summary: the rule table of `check`'s SARIF output and of docs/checks.md.
public enum DiagnosticCatalog {
    /// One kind of finding.
    public struct Entry: Sendable, Hashable {
        /// The stable code, e.g. `E207`.
        public var code: String
        /// Its severity.
        public var severity: Diagnostic.Severity
        /// What it means, in a few words.
        public var summary: String
    }

    /// Every code, sorted.
    public static let entries: [Entry] = [
        Entry(code: "E101", severity: .error, summary: "rule file is not valid UTF-8"),
        Entry(code: "E102", severity: .error, summary: "NUL byte in a rule file"),
        Entry(code: "E103", severity: .error, summary: "unterminated string"),
        Entry(code: "E104", severity: .error, summary: "unknown escape sequence in a string"),
        Entry(code: "E110", severity: .error, summary: "unexpected text at the end of a statement"),
        Entry(code: "E111", severity: .error, summary: "a top-level line that is not a declaration"),
        Entry(code: "E112", severity: .error, summary: "a declaration without a name"),
        Entry(code: "E113", severity: .error, summary: "a block without 'end'"),
        Entry(code: "E114", severity: .error, summary: "unknown statement in a block"),
        Entry(code: "E115", severity: .error, summary: "a number was expected"),
        Entry(code: "E116", severity: .error, summary: "a name was expected"),
        Entry(code: "E117", severity: .error, summary: "a quoted string was expected"),
        Entry(code: "E118", severity: .error, summary: "a second label"),
        Entry(code: "E119", severity: .error, summary: "a weight line without a rationale"),
        Entry(code: "E120", severity: .error, summary: "'weight' missing after the activity"),
        Entry(code: "E200", severity: .error, summary: "rules directory missing or without *.rules files"),
        Entry(code: "E201", severity: .error, summary: "duplicate declaration"),
        Entry(code: "E202", severity: .error, summary: "alias collides with a name or alias"),
        Entry(code: "E203", severity: .error, summary: "no policy block, or a second one"),
        Entry(code: "E204", severity: .error, summary: "policy value outside [0, 1]"),
        Entry(code: "E205", severity: .error, summary: "unknown discount or missing policy value"),
        Entry(code: "E206", severity: .error, summary: "policy entry declared twice"),
        Entry(code: "E207", severity: .error, summary: "unknown activity in an indication"),
        Entry(code: "E208", severity: .error, summary: "activity used twice in one indication"),
        Entry(code: "E209", severity: .error, summary: "weight not a finite number greater than 0"),
        Entry(code: "E210", severity: .error, summary: "indication without 'requires'"),
        Entry(code: "E211", severity: .error, summary: "unknown or repeated minimum-level"),
        Entry(code: "E212", severity: .error, summary: "reserved source any-msc or pre-conditioning none not declared"),
        Entry(code: "E213", severity: .error, summary: "'+' in a source or pre-conditioning name"),
        Entry(code: "E214", severity: .error, summary: "a vocabulary too large to index"),
        Entry(code: "E215", severity: .error, summary: "unknown or repeated 'refines'"),
        Entry(code: "E216", severity: .error, summary: "indications refining each other in a cycle"),
        Entry(code: "E217", severity: .error, summary: "one name declared as both an activity and a component"),
        Entry(code: "E300", severity: .error, summary: "evidence directory missing"),
        Entry(code: "E301", severity: .error, summary: "evidence file missing or unreadable"),
        Entry(code: "E302", severity: .error, summary: "invalid UTF-8 in an evidence field"),
        Entry(code: "E303", severity: .error, summary: "unterminated quoted field"),
        Entry(code: "E304", severity: .error, summary: "text after the closing quote of a field"),
        Entry(code: "E305", severity: .error, summary: "unknown column"),
        Entry(code: "E306", severity: .error, summary: "missing column"),
        Entry(code: "E307", severity: .error, summary: "duplicate column"),
        Entry(code: "E308", severity: .error, summary: "wrong number of fields in a row"),
        Entry(code: "E309", severity: .error, summary: "empty required field"),
        Entry(code: "E310", severity: .error, summary: "unknown identifier in an evidence field"),
        Entry(code: "E311", severity: .error, summary: "unknown direction, outcome or effect"),
        Entry(code: "E312", severity: .error, summary: "duplicate record id or reference key"),
        Entry(code: "E313", severity: .error, summary: "record cites an unknown reference"),
        Entry(code: "E314", severity: .error, summary: "reference with neither DOI nor PMID"),
        Entry(code: "E315", severity: .error, summary: "year not four digits"),
        Entry(code: "E316", severity: .error, summary: "empty evidence file"),
        Entry(code: "E317", severity: .error, summary: "NUL byte in an evidence file"),
        Entry(code: "E318", severity: .error, summary: "malformed DOI"),
        Entry(code: "E319", severity: .error, summary: "malformed PMID"),
        Entry(code: "E320", severity: .error, summary: "comparison that is not a contrast in exactly one factor"),
        Entry(code: "W401", severity: .warning, summary: "reference that no record cites"),
        Entry(code: "W402", severity: .warning, summary: "required activity that no record can ever support"),
        Entry(code: "W403", severity: .warning, summary: "declared component, activity, level or product never used"),
        Entry(code: "W404", severity: .warning, summary: "source or pre-conditioning without evidence"),
        Entry(code: "W405", severity: .warning, summary: "one reference reports a component both up and down"),
        Entry(code: "W406", severity: .warning, summary: "rules without any indication"),
        Entry(code: "W407", severity: .warning, summary: "one reference reports A both better and worse than B"),
        Entry(code: "W408", severity: .warning, summary: "comparison of a component no mechanism links to an activity"),
        Entry(
            code: "W409", severity: .warning,
            summary: "source, activity, component or indication without ontology identifier"),
        Entry(code: "W410", severity: .warning, summary: "ontology identifier of an ontology its kind does not take"),
        Entry(code: "W411", severity: .warning, summary: "control character in a label, rationale, title or note"),
        Entry(code: "W490", severity: .warning, summary: "suppression without a reason"),
        Entry(code: "W491", severity: .warning, summary: "suppression that matches no finding"),
        Entry(code: "W492", severity: .warning, summary: "suppression of an error, which cannot be suppressed"),
    ]

    /// The entry of `code`.
    public static func entry(_ code: String) -> Entry? { entries.first { $0.code == code } }
}
