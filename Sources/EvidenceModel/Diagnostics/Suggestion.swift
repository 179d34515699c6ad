/// Finds the declared name nearest to a misspelt one, for "did you mean …?" messages.
public enum Suggestion {
    /// Names longer than this many scalars get no suggestion.
    static let maximumLength = 64

    /// The candidate closest to `name` by case-insensitive edit distance, if it is close enough to be a
    /// plausible typo (at most a third of the name's length, and at most 3 edits). Ties go to the
    /// candidate that sorts first, so the answer is deterministic.
    ///
    /// Complexity: O(n · m²) for n candidates of length about m ≤ 64.
    public static func nearest<S: Sequence>(to name: String, in candidates: S) -> String? where S.Element == String {
        let target = Array(name.lowercased().unicodeScalars)
        // Names this long are not typos of a declared name; comparing them would only cost time.
        guard target.count <= maximumLength else { return nil }
        let limit = min(3, max(1, target.count / 3))
        var best: (distance: Int, name: String)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().unicodeScalars)
            guard abs(other.count - target.count) <= limit, other.count <= maximumLength else { continue }
            let distance = editDistance(target, other)
            guard distance <= limit, distance > 0 || candidate != name else { continue }
            if let current = best, (current.distance, current.name) <= (distance, candidate) { continue }
            best = (distance, candidate)
        }
        return best?.name
    }

    /// `" — did you mean 'x'?"` or the empty string.
    public static func clause<S: Sequence>(for name: String, in candidates: S) -> String where S.Element == String {
        nearest(to: name, in: candidates).map { " — did you mean '\($0)'?" } ?? ""
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and transpositions of
    /// adjacent characters each cost 1, so that `rnak` is one edit from `rank`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
