public import EvidenceModel

/// A therapeutic candidate: an MSC source with a pre-conditioning, written `source+preconditioning`.
public struct Candidate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The MSC source (never `any-msc`).
    public var source: SourceID
    /// The pre-conditioning (`none` for baseline).
    public var preconditioning: PreconditioningID

    /// Creates a candidate.
    public init(source: SourceID, preconditioning: PreconditioningID) {
        self.source = source
        self.preconditioning = preconditioning
    }

    /// `source+preconditioning`.
    public var id: String { "\(source.rawValue)+\(preconditioning.rawValue)" }

    /// `source+preconditioning`.
    public var description: String { id }

    /// Candidates sort by their id's UTF-8 bytes (the last tie-break of the ranking).
    public static func < (lhs: Candidate, rhs: Candidate) -> Bool {
        lhs.id.utf8.lexicographicallyPrecedes(rhs.id.utf8)
    }

    /// Parses `SOURCE+PRECONDITIONING`, resolving aliases against `vocabulary`.
    public static func parse(_ text: String, vocabulary: Vocabulary) -> Result<Candidate, CandidateParseError> {
        let parts = text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(
                CandidateParseError(
                    "candidate '\(text)' is not of the form SOURCE+PRECONDITIONING, e.g. adipose+hypoxia"))
        }
        if vocabulary.sources.resolve(parts[0]) == .anyMSC {
            return .failure(
                CandidateParseError(
                    "'\(parts[0])' is not a candidate source: it stands for MSCs in general; name a tissue source"))
        }
        guard let source = vocabulary.sources.resolve(parts[0]) else {
            let names = vocabulary.sources.allNames.filter { $0 != SourceID.anyMSC.rawValue }
            return .failure(
                CandidateParseError(
                    "unknown source '\(parts[0])'" + Suggestion.clause(for: parts[0], in: names)))
        }
        guard let pre = vocabulary.preconditionings.resolve(parts[1]) else {
            return .failure(
                CandidateParseError(
                    "unknown pre-conditioning '\(parts[1])'"
                        + Suggestion.clause(for: parts[1], in: vocabulary.preconditionings.allNames)))
        }
        return .success(Candidate(source: source, preconditioning: pre))
    }
}

/// Why a candidate string could not be parsed.
public struct CandidateParseError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public var description: String
    init(_ description: String) { self.description = description }
}
