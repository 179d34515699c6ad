/// A problem found in the rules or the evidence, with where it is and what to do about it.
public struct Diagnostic: Hashable, Sendable {
    /// How serious a diagnostic is.
    public enum Severity: String, Hashable, Sendable, Comparable {
        /// The input cannot be used as it is.
        case error
        /// The input can be used, but probably does not say what its author meant.
        case warning
        /// Additional information attached to another diagnostic.
        case note

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }

        /// Errors sort before warnings, warnings before notes.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// A secondary message with its own location, such as the first of two duplicate declarations.
    public struct Note: Hashable, Sendable {
        /// The note's text.
        public var message: String
        /// Where the note points, if anywhere.
        public var span: SourceSpan?

        /// Creates a note.
        public init(_ message: String, at span: SourceSpan? = nil) {
            self.message = message
            self.span = span
        }
    }

    /// How serious the problem is.
    public var severity: Severity
    /// Its code, documented in docs/errors.md.
    public var code: DiagnosticCode
    /// The message: the problem first, user text in single quotes, no trailing period.
    public var message: String
    /// Where the problem is; `nil` when it concerns no particular place (a missing file, say).
    public var span: SourceSpan?
    /// Secondary locations.
    public var notes: [Note]

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, code: DiagnosticCode, _ message: String, at span: SourceSpan?, notes: [Note] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.span = span
        self.notes = notes
    }

    /// Creates an error.
    public static func error(_ code: DiagnosticCode, _ message: String, at span: SourceSpan?, notes: [Note] = [])
        -> Diagnostic
    {
        Diagnostic(.error, code: code, message, at: span, notes: notes)
    }

    /// Creates a warning.
    public static func warning(_ code: DiagnosticCode, _ message: String, at span: SourceSpan?, notes: [Note] = [])
        -> Diagnostic
    {
        Diagnostic(.warning, code: code, message, at: span, notes: notes)
    }

    /// `path:line:column: severity: message [CODE]`, the first line of the rendered form.
    public var headline: String {
        let place = span.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message) [\(code)]"
    }
}

extension Diagnostic: Comparable {
    /// Diagnostics sort by place (those without a place first), then severity, then message.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.span, rhs.span) {
        case (nil, .some): return true
        case (.some, nil): return false
        case (let l?, let r?) where l != r: return l < r
        default:
            if lhs.severity != rhs.severity { return lhs.severity < rhs.severity }
            return (lhs.code, lhs.message) < (rhs.code, rhs.message)
        }
    }
}

extension Array where Element == Diagnostic {
    /// Whether any of the diagnostics is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }
}
