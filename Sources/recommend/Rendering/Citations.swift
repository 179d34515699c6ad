import EvidenceModel
import Foundation

/// Reference-manager formats: BibTeX, RIS and CSL-JSON.
enum Citations {
    /// Authors as (family, given) pairs, read from `Sun B, Guo S, Xu F, et al.`; a trailing `et al.` becomes
    /// `others` in BibTeX and is dropped elsewhere.
    static func authors(_ text: String) -> (names: [(family: String, given: String)], etAl: Bool) {
        var names: [(String, String)] = []
        var etAl = false
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let cleaned = part.hasSuffix(".") && part.lowercased().hasPrefix("et al") ? "et al" : part
            if cleaned.lowercased().hasPrefix("et al") {
                etAl = true
                continue
            }
            var words = cleaned.split(separator: " ").map(String.init)
            if cleaned.lowercased().hasSuffix(" et al") || cleaned.lowercased().hasSuffix(" et al.") {
                etAl = true
                words.removeLast(2)
            }
            guard let last = words.last else { continue }
            if words.count >= 2, last.count <= 3, last == last.uppercased() {
                names.append((words.dropLast().joined(separator: " "), last))
            } else {
                names.append((words.joined(separator: " "), ""))
            }
        }
        return (names, etAl)
    }

    /// Escapes BibTeX's special characters inside a braced field value.
    static func bibEscape(_ text: String) -> String {
        var out = ""
        for character in TerminalText.field(text) {
            switch character {
            case "\\": out += "\\textbackslash{}"
            case "{": out += "\\{"
            case "}": out += "\\}"
            case "%", "&", "#", "$", "_": out += "\\\(character)"
            case "^": out += "\\^{}"
            case "~": out += "\\~{}"
            case "\n", "\r", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    static func bibtex(_ references: [Reference]) -> String {
        var out = ""
        for r in references {
            let (names, etAl) = authors(r.authors)
            var authorField = names.map { $0.given.isEmpty ? $0.family : "\($0.family), \($0.given)" }
            if etAl { authorField.append("others") }
            let key = String(r.id.rawValue.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" })
            out += "@article{\(key.isEmpty ? "ref" : key),\n"
            out += "  author = {\(bibEscape(authorField.joined(separator: " and ")))},\n"
            out += "  title = {{\(bibEscape(r.title))}},\n"
            out += "  journal = {\(bibEscape(r.journal))},\n"
            out += "  year = {\(r.year)},\n"
            if let doi = r.doi { out += "  doi = {\(bibEscape(doi))},\n" }
            if let pmid = r.pmid { out += "  pmid = {\(bibEscape(pmid))},\n" }
            out += "}\n\n"
        }
        return out
    }

    /// RIS: `TY  - JOUR` … `ER  - ` per entry; line breaks inside values become spaces.
    static func ris(_ references: [Reference]) -> String {
        func value(_ text: String) -> String {
            TerminalText.field(text)
        }
        var out = ""
        for r in references {
            out += "TY  - JOUR\n"
            out += "ID  - \(value(r.id.rawValue))\n"
            for author in authors(r.authors).names {
                out += "AU  - \(value(author.given.isEmpty ? author.family : "\(author.family), \(author.given)"))\n"
            }
            out += "TI  - \(value(r.title))\n"
            out += "JO  - \(value(r.journal))\n"
            out += "PY  - \(r.year)\n"
            if let doi = r.doi { out += "DO  - \(value(doi))\n" }
            if let pmid = r.pmid { out += "AN  - PMID:\(value(pmid))\n" }
            out += "ER  - \n\n"
        }
        return out
    }

    static func cslJSON(_ references: [Reference]) -> String {
        JSON.array(
            references.map { r in
                var members: [(String, JSON)] = [
                    ("id", .string(r.id.rawValue)),
                    ("type", .string("article-journal")),
                    ("title", .string(r.title)),
                    ("container-title", .string(r.journal)),
                    (
                        "author",
                        .array(
                            authors(r.authors).names.map { name in
                                name.given.isEmpty
                                    ? .object([("literal", .string(name.family))])
                                    : .object([("family", .string(name.family)), ("given", .string(name.given))])
                            })
                    ),
                    ("issued", .object([("date-parts", .array([.array([.int(r.year)])]))])),
                ]
                if let doi = r.doi { members.append(("DOI", .string(doi))) }
                if let pmid = r.pmid { members.append(("PMID", .string(pmid))) }
                return .object(members)
            }
        ).rendered()
    }
}
