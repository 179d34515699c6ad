import EvidenceModel
import RuleEngine

/// Renders the reviewer report: one self-contained HTML page (inline CSS, SVG and a little JavaScript; no
/// external asset) with, per indication, a heatmap of score by source × pre-conditioning, the ranked
/// table and an expandable trace per candidate; then the numbered references and the knowledge base's
/// identity. Works without JavaScript (`<details>`, anchors); with it, tables sort by column and a
/// heatmap cell opens its candidate's trace.
struct ReportRenderer {
    let knowledgeBase: KnowledgeBase
    let model: ScoringModel
    private let recommender: Recommender
    /// Every declared pair of each indication (untested ones marked), ranked: the heatmaps; its tested
    /// entries, renumbered, are the tables.
    private let rankings: [Ranking]
    /// How many candidates of each indication get a trace (the first ones); `nil`: every tested one.
    let tracedPerIndication: Int?
    /// How many of `recommend plan`'s experiments each indication lists (0: no such section).
    let plannedPerIndication: Int
    /// The top of the colour scale: the highest score of a tested candidate in the report.
    private let maximumScore: Double

    /// The kept contributions a trace lists per harmonic sum (P, N, W, L), the largest first; a line says
    /// how many more there are and what they add.
    static let keptPerSum = 25

    /// How many candidates per indication get a trace by default.
    static let defaultTraced = 20

    /// Ranks every declared pair once per indication (one pass for all): the heatmap shows them all, and the
    /// tested ones, in the same order (the ranking order is total), are the table, renumbered. Traces are
    /// made section by section, as the report is written.
    init(
        recommender: Recommender, indications: [Indication], traced: Int? = ReportRenderer.defaultTraced,
        planned: Int = 0
    ) {
        plannedPerIndication = planned
        self.recommender = recommender
        self.knowledgeBase = recommender.knowledgeBase
        self.model = recommender.model
        rankings = recommender.rank(indications, selection: .untested)
        tracedPerIndication = traced
        let scores = rankings.flatMap(\.entries).filter { $0.evaluation.isTested }.map(\.evaluation.score)
        maximumScore = max(scores.max() ?? 0, 1e-9)
    }

    /// A paragraph naming the what-if overrides of this run, or nothing.
    private var whatIf: String {
        let overrides = knowledgeBase.overrides
        guard !overrides.isEmpty else { return "" }
        return "\n<p class=\"identity\"><strong>What-if:</strong> "
            + e(overrides.map(\.description).joined(separator: ", ")) + " (not the files' values)</p>"
    }

    /// The references cited so far, numbered in order of first citation.
    private struct Citations {
        var numbers: [ReferenceID: Int] = [:]
        var order: [ReferenceID] = []

        mutating func number(_ id: ReferenceID) -> Int {
            if let number = numbers[id] { return number }
            order.append(id)
            numbers[id] = order.count
            return order.count
        }
    }

    private func e(_ text: String) -> String { HTML.escape(text) }
    private func f(_ value: Double, _ digits: Int = 4) -> String { NumberFormat.fixed(value, digits) }
    private func w(_ value: Double) -> String { NumberFormat.weight(value) }

    /// The whole page, in pieces through `emit`: the header, one section per indication (its traces made
    /// on all cores when the section is written, and released after it), the references cited, numbered in
    /// order of first citation.
    func render(emit: (String) -> Void) {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>MSC secretome candidates — reviewer report</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header>
            <h1>MSC secretome candidates — reviewer report</h1>
            <p class="identity">Knowledge base <code>sha256:\(e(knowledgeBase.contentHash))</code> ·
            recommend \(e(RecommendTool.version)) · \(knowledgeBase.evidence.references.count) references,
            \(knowledgeBase.evidence.secretome.count + knowledgeBase.evidence.functions.count
                + knowledgeBase.evidence.mechanisms.count) records and \(knowledgeBase.evidence.comparisons.count) \
            head-to-head comparisons</p>\(whatIf)
            <nav><ul>
            """
        for ranking in rankings {
            out +=
                "<li><a href=\"#\(HTML.id("ind", ranking.indication.id.rawValue))\">\(e(ranking.indication.id.rawValue))</a></li>"
        }
        out += "<li><a href=\"#references\">references</a></li></ul></nav>\n</header>\n<main>\n"
        emit(out)
        var citations = Citations()
        for ranking in rankings {
            let tested = ranking.tested
            let shown = Array(tested.entries.prefix(tracedPerIndication ?? tested.entries.count))
            let traces = ConcurrentResults<Evaluation>.map(shown.count) { index in
                recommender.evaluate(
                    shown[index].evaluation.candidate, for: ranking.indication, keptPerSum: Self.keptPerSum)
            }
            let traced = Set(shown.map(\.evaluation.candidate))
            let entries = zip(shown, traces).map { entry, trace in
                var traced = entry
                traced.evaluation = trace
                return traced
            }
            emit(section(ranking, tested: tested, traces: entries, traced: traced, citations: &citations))
        }
        emit(referencesSection(citations.order) + "</main>\n<script>\(Self.script)</script>\n</body>\n</html>\n")
    }

    private func section(
        _ all: Ranking, tested: Ranking, traces: [RankedCandidate], traced: Set<Candidate>,
        citations: inout Citations
    ) -> String {
        let indication = all.indication
        var out = "<section class=\"indication\" id=\"\(HTML.id("ind", indication.id.rawValue))\">\n"
        out += "<h2>\(e(indication.id.rawValue))"
        if !indication.label.isEmpty { out += " <small>\(e(indication.label))</small>" }
        out += "</h2>\n<ul class=\"lines\">"
        for line in indication.lines {
            out +=
                "<li><b>\(line.kind.rawValue)</b> \(e(line.activity.rawValue)) · weight \(w(line.weight)) · "
                + "<q>\(e(line.rationale))</q> <span class=\"where\">\(e(line.span.description))</span></li>"
        }
        if let level = indication.minimumLevel { out += "<li><b>minimum-level</b> \(e(level.rawValue))</li>" }
        out += "</ul>\n"
        out += heatmap(all, traced: traced)
        out += table(tested, traced: traced)
        if plannedPerIndication > 0 { out += experiments(indication) }
        out += "<h3>Traces</h3>\n"
        if traces.count < tested.entries.count {
            out +=
                "<p class=\"none\">Traces of the first \(traces.count) of \(tested.entries.count) candidates "
                + "(<code>recommend report --traces all</code> for every one); <code>recommend explain --indication "
                + "\(e(indication.id.rawValue)) --candidate ID</code> gives any candidate's full trace.</p>\n"
        }
        for entry in traces { out += trace(entry, indication: indication, citations: &citations) }
        return out + "</section>\n"
    }

    // MARK: Experiments

    /// The first ``plannedPerIndication`` experiments of `recommend plan` for the top 3, as a list.
    private func experiments(_ indication: Indication) -> String {
        let plan = Planner.plan(indication, in: recommender, top: 3)
        let id = e(indication.id.rawValue)
        var out =
            "<h3>Experiments that would change the top \(plan.top)</h3>\n<p class=\"none\">Today: "
            + e(plan.shortlist.map(\.id).joined(separator: ", ")) + ". \(plan.tried) single experiments tried; "
            + "\(plan.experiments.filter(\.isDecisive).count) decisive (the top \(plan.top) changes whichever way "
            + "it comes out), \(plan.experiments.count) can change it. <code>recommend plan --indication \(id)"
            + "</code> lists them all, with the rows to curate (docs/plan.md).</p>\n"
        guard !plan.experiments.isEmpty else { return out }
        out += "<ol class=\"plan\">\n"
        for experiment in plan.experiments.prefix(plannedPerIndication) {
            out +=
                "<li>" + (experiment.isDecisive ? "<b>decisive</b> · " : "")
                + e(PlanRenderer.sentence(experiment)) + "<ul>"
            for result in experiment.results {
                out +=
                    "<li>if \(e(result.outcome)): " + e(result.shortlist.map(\.id).joined(separator: ", "))
                    + "</li>"
            }
            out += "</ul></li>\n"
        }
        return out + "</ol>\n"
    }

    // MARK: Heatmap

    private func color(_ score: Double) -> String {
        // A sequential scale from pale yellow (0) to dark green (the report's highest score).
        let stops: [(Double, (Double, Double, Double))] = [
            (0, (255, 255, 204)), (0.25, (194, 230, 153)), (0.5, (120, 198, 121)), (0.75, (49, 163, 84)),
            (1, (0, 104, 55)),
        ]
        let t = min(1, max(0, score / maximumScore))
        var index = 0
        while index < stops.count - 2, t > stops[index + 1].0 { index += 1 }
        let (t0, c0) = stops[index]
        let (t1, c1) = stops[index + 1]
        let u = (t - t0) / (t1 - t0)
        func channel(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * u).rounded()) }
        return "rgb(\(channel(c0.0, c1.0)),\(channel(c0.1, c1.1)),\(channel(c0.2, c1.2)))"
    }

    private func heatmap(_ ranking: Ranking, traced: Set<Candidate>) -> String {
        let vocabulary = knowledgeBase.rules.vocabulary
        let sources = vocabulary.sources.ids.filter { $0 != .anyMSC }
        let pres = vocabulary.preconditionings.ids
        var byCandidate: [Candidate: Evaluation] = [:]
        for entry in ranking.entries { byCandidate[entry.evaluation.candidate] = entry.evaluation }
        let cell = 22
        let left = 150
        let top = 170
        let width = max(left + cell * pres.count + 10, left + 500)
        let height = top + cell * sources.count + 70
        var out =
            "<figure class=\"heatmap\"><svg role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" "
            + "height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" aria-label=\"score by source and pre-conditioning "
            + "for \(e(ranking.indication.id.rawValue))\">\n"
        out +=
            "<defs><pattern id=\"hatch-\(HTML.id(ranking.indication.id.rawValue))\" width=\"6\" height=\"6\" "
            + "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
            + "fill=\"#d9d9d9\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8c8c8c\" stroke-width=\"2\"/>"
            + "</pattern></defs>\n"
        let hatch = "url(#hatch-\(HTML.id(ranking.indication.id.rawValue)))"
        for (column, pre) in pres.enumerated() {
            let x = left + column * cell + cell / 2
            out +=
                "<text class=\"col\" transform=\"translate(\(x),\(top - 6)) rotate(-60)\">\(e(pre.rawValue))</text>\n"
        }
        for (row, source) in sources.enumerated() {
            let y = top + row * cell
            out += "<text class=\"row\" x=\"\(left - 6)\" y=\"\(y + cell / 2 + 4)\">\(e(source.rawValue))</text>\n"
            for (column, pre) in pres.enumerated() {
                let x = left + column * cell
                let candidate = Candidate(source: source, preconditioning: pre)
                guard let evaluation = byCandidate[candidate] else { continue }
                let state: String
                let fill: String
                if !evaluation.isTested {
                    state = "untested"
                    fill = "#ffffff"
                } else if evaluation.isEligible {
                    state = "eligible"
                    fill = color(evaluation.score)
                } else {
                    state = "ineligible"
                    fill = hatch
                }
                let title = "\(candidate.id): score \(f(evaluation.score)), \(state)"
                let rect =
                    "<rect class=\"cell \(state)\" data-candidate=\"\(e(candidate.id))\" x=\"\(x + 1)\" y=\"\(y + 1)\" "
                    + "width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(fill)\"><title>\(e(title))</title></rect>"
                if traced.contains(candidate) {
                    out += "<a href=\"#\(HTML.id("c", ranking.indication.id.rawValue, candidate.id))\">\(rect)</a>\n"
                } else {
                    out += rect + "\n"
                }
            }
        }
        // Legend: the colour scale, then the two other states.
        let legendY = top + cell * sources.count + 20
        out += "<defs><linearGradient id=\"scale-\(HTML.id(ranking.indication.id.rawValue))\">"
        for stop in stride(from: 0.0, through: 1.0, by: 0.25) {
            out += "<stop offset=\"\(Int(stop * 100))%\" stop-color=\"\(color(stop * maximumScore))\"/>"
        }
        out += "</linearGradient></defs>\n"
        out +=
            "<rect x=\"\(left)\" y=\"\(legendY)\" width=\"160\" height=\"12\" "
            + "fill=\"url(#scale-\(HTML.id(ranking.indication.id.rawValue)))\"/>\n"
        out += "<text class=\"legend\" x=\"\(left)\" y=\"\(legendY + 26)\">0</text>"
        out +=
            "<text class=\"legend\" x=\"\(left + 160)\" y=\"\(legendY + 26)\" text-anchor=\"end\">\(f(maximumScore, 2))</text>"
        out +=
            "<text class=\"legend\" x=\"\(left + 80)\" y=\"\(legendY + 26)\" text-anchor=\"middle\">score (eligible)</text>\n"
        out += "<rect x=\"\(left + 190)\" y=\"\(legendY)\" width=\"12\" height=\"12\" fill=\"\(hatch)\"/>"
        out += "<text class=\"legend\" x=\"\(left + 206)\" y=\"\(legendY + 10)\">ineligible</text>\n"
        out +=
            "<rect class=\"untested-key\" x=\"\(left + 290)\" y=\"\(legendY)\" width=\"12\" height=\"12\" fill=\"#ffffff\"/>"
        out +=
            "<text class=\"legend\" x=\"\(left + 306)\" y=\"\(legendY + 10)\">untested (no record of its own)</text>\n"
        out +=
            "</svg><figcaption>Score of every source × pre-conditioning for \(e(ranking.indication.id.rawValue)); "
            + "a cell links to its candidate's trace, if the report has it.</figcaption></figure>\n"
        return out
    }

    // MARK: Table and traces

    private func table(_ ranking: Ranking, traced: Set<Candidate>) -> String {
        var out = "<table class=\"ranking sortable\"><thead><tr>"
        let headers = [
            ("rank", ""), ("candidate", ""), ("score", ""),
            (
                "head-to-head",
                "the part of the score that head-to-head comparisons add: Σ w·advantage / Σ w over "
                    + "the requires and supports lines"
            ),
            ("eligibility", ""), ("refs", ""),
            (
                "best own-source level",
                "the best level of kept positive own-source evidence for a required activity "
                    + "(what minimum-level asks of)"
            ),
        ]
        for (index, (header, title)) in headers.enumerated() {
            let tip = title.isEmpty ? "" : " title=\"\(e(title))\""
            out += "<th data-column=\"\(index)\" tabindex=\"0\"\(tip)>\(header)</th>"
        }
        out += "</tr></thead><tbody>\n"
        for entry in ranking.entries {
            let ev = entry.evaluation
            let advantage = model.advantage(ev.activities)
            let reasons = ev.ineligibilityReasons.map { e(Describe.reason($0, candidate: ev.candidate)) }
            let eligibility =
                ev.isEligible ? "eligible" : "<span class=\"no\">no</span>: " + reasons.joined(separator: "; ")
            out +=
                "<tr><td data-value=\"\(entry.rank)\">\(entry.rank)</td>"
                + "<td data-value=\"\(e(ev.candidate.id))\">"
                + (traced.contains(ev.candidate)
                    ? "<a href=\"#\(HTML.id("c", ranking.indication.id.rawValue, ev.candidate.id))\">\(e(ev.candidate.id))</a>"
                    : e(ev.candidate.id)) + "</td>"
                + "<td data-value=\"\(ev.score)\">\(f(ev.score))</td>"
                + "<td data-value=\"\(advantage)\">\(NumberFormat.signed(advantage, 4))</td>"
                + "<td data-value=\"\(ev.isEligible ? 1 : 0)\">\(eligibility)</td>"
                + "<td data-value=\"\(ev.referenceCount)\">\(ev.referenceCount)</td>"
                + "<td>\(e(ev.bestOwnLevel?.rawValue ?? "—"))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private func referenceLink(_ id: ReferenceID, _ citations: inout Citations) -> String {
        let number = citations.number(id)
        return "<a href=\"#ref-\(number)\">[\(number)]</a>"
    }

    private func trace(_ entry: RankedCandidate, indication: Indication, citations: inout Citations) -> String {
        let ev = entry.evaluation
        var out = "<details class=\"trace\" id=\"\(HTML.id("c", indication.id.rawValue, ev.candidate.id))\">"
        out +=
            "<summary>#\(entry.rank) \(e(ev.candidate.id)) — score \(f(ev.score, 6)) = \(f(ev.numerator, 6)) / "
            + "\(w(ev.denominator)) — \(ev.isEligible ? "eligible" : "not eligible")</summary>\n"
        for reason in ev.ineligibilityReasons {
            out += "<p class=\"reason\">✗ \(e(Describe.reason(reason, candidate: ev.candidate)))</p>\n"
        }
        for activity in ev.activities {
            let line = activity.line
            out += "<div class=\"activity\(activity.isContested ? " contested" : "")\">"
            out +=
                "<p><b>\(line.kind.rawValue) \(e(line.activity.rawValue))</b> · weight \(w(line.weight)) · "
                + "<span class=\"where\">\(e(line.span.description))</span> · <q>\(e(line.rationale))</q>"
            if activity.isContested { out += " <span class=\"badge\">contested</span>" }
            out +=
                "<br>support \(f(activity.support, 6)) = absolute \(f(activity.absoluteSupport, 6)) [H(P) "
                + "\(f(activity.positive, 6)) − H(|N|) \(f(activity.negative, 6))] + advantage "
                + "<span class=\"h2h\">\(f(activity.advantage, 6))</span> [H(W) \(f(activity.won, 6)) − H(|L|) "
                + "\(f(activity.lost, 6))] · term \(NumberFormat.signed(activity.term, 6))</p>"
            if activity.contributions.isEmpty {
                out += "<p class=\"none\">no evidence reaches this activity</p></div>\n"
                continue
            }
            out +=
                "<table class=\"contributions\"><thead><tr><th></th><th>value</th><th>evidence</th><th>ref</th>"
                + "<th>multipliers</th></tr></thead><tbody>"
            for c in activity.contributions {
                let status: String
                switch c.status {
                case .kept(let rank):
                    status =
                        (c.kind == .comparative ? (c.value > 0 ? "W" : "L") : (c.value > 0 ? "+" : "−")) + "#\(rank)"
                case .dropped: status = "dropped"
                case .similar: status = "similar"
                }
                var factors = [
                    "\(e(c.level.rawValue)) \(w(c.levelWeight))", "\(e(c.product.rawValue)) \(w(c.productWeight))",
                ]
                if let level = c.mechanismLevel, let weight = c.mechanismLevelWeight {
                    factors.append("mechanism \(e(level.rawValue)) \(w(weight))")
                }
                if let comparison = c.comparisonFactor {
                    factors += [
                        "side \(w(c.sourceFactor * c.preconditioningFactor)) (\(Describe.route(c.route)))",
                        "comparison \(w(comparison))",
                    ]
                } else {
                    factors += ["source \(w(c.sourceFactor))", "pre \(w(c.preconditioningFactor))"]
                }
                if let via = c.viaComponentFactor { factors.append("via \(w(via))") }
                factors.append(c.recordSign > 0 ? "+1" : c.recordSign < 0 ? "−1" : "0")
                if let effect = c.effectSign { factors.append(effect > 0 ? "+1" : "−1") }
                var evidence =
                    "\(e(Describe.path(c.path))) <small>\(e(c.recordSource.rawValue))+"
                    + "\(e(c.recordPreconditioning.rawValue))</small>"
                if let finding = Describe.finding(c) { evidence += "<br><span class=\"h2h\">\(e(finding))</span>" }
                evidence += "<br><span class=\"claim\">\(e(Describe.claim(c)))</span>"
                out +=
                    "<tr class=\"\(c.isKept ? "kept" : "dropped")\(c.isComparative ? " comparative" : "")\">"
                    + "<td>\(status)</td><td>\(NumberFormat.signed(c.value, 6))</td><td>\(evidence)</td>"
                    + "<td>\(referenceLink(c.reference, &citations))</td><td>\(factors.joined(separator: " × "))</td></tr>"
            }
            out += omitted(activity) + "</tbody></table></div>\n"
        }
        return out + "</details>\n"
    }

    /// Rows saying how many kept contributions of each harmonic sum the trace leaves out, and what they add
    /// to it (the sum's value minus the listed ones' part), or nothing.
    private func omitted(_ activity: ActivityTrace) -> String {
        let sums: [(ContributionKind, Bool, String, Double)] = [
            (.absolute, true, "H(P)", activity.positive), (.absolute, false, "H(|N|)", activity.negative),
            (.comparative, true, "H(W)", activity.won), (.comparative, false, "H(|L|)", activity.lost),
        ]
        var out = ""
        for (kind, positive, name, value) in sums {
            let listed = activity.contributions.filter { $0.kind == kind && ($0.value > 0) == positive }
            let more = activity.keptCounts.count(kind, positive: positive) - listed.count
            guard more > 0 else { continue }
            var part = ScoringModel.HarmonicSum()
            for c in listed { part.add(abs(c.value)) }
            out +=
                "<tr class=\"more\"><td>…</td><td></td><td colspan=\"3\">\(more) more kept contributions to \(name), "
                + "each smaller than those above, adding \(f(value - part.value, 6)) of its \(f(value, 6)) "
                + "(<code>recommend explain</code> lists them all)</td></tr>"
        }
        return out
    }

    // MARK: References

    private func referencesSection(_ cited: [ReferenceID]) -> String {
        var out = "<section id=\"references\"><h2>References</h2><ol>\n"
        for (offset, id) in cited.enumerated() {
            let number = offset + 1
            guard let r = knowledgeBase.evidence.reference(id) else { continue }
            out +=
                "<li id=\"ref-\(number)\"><span class=\"key\">\(e(r.id.rawValue))</span> \(e(r.authors)) (\(r.year)). "
                + "\(e(r.title)). <i>\(e(r.journal))</i>."
            if let doi = r.doi {
                out += " <a href=\"https://doi.org/\(e(Self.urlPath(doi)))\">doi:\(e(doi))</a>"
            }
            if let pmid = r.pmid {
                out += " <a href=\"https://pubmed.ncbi.nlm.nih.gov/\(e(Self.urlPath(pmid)))/\">PMID \(e(pmid))</a>"
            }
            out += "</li>\n"
        }
        return out + "</ol></section>\n"
    }

    /// Percent-encodes what may not stand in a URL path (a DOI may hold `<`, `#`, `"` and spaces).
    static func urlPath(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E, 0x2F, 0x28, 0x29, 0x3A, 0x3B:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static let css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;\
        padding:0 16px;color:#1b1b1b}h1{font-size:22px}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:40px}\
        h2 small{font-weight:normal;color:#555}.identity{color:#555}nav ul{list-style:none;padding:0;display:flex;\
        flex-wrap:wrap;gap:12px}.lines{padding-left:18px}.where{color:#777;font-size:12px}q{color:#333}\
        .heatmap svg text{font-size:11px;fill:#333}.heatmap .row{text-anchor:end}.heatmap .col{text-anchor:start}\
        .cell.untested,.untested-key{stroke:#bbb;stroke-dasharray:2 2}.cell.eligible,.cell.ineligible{stroke:#fff}\
        a:focus rect,a:hover rect{stroke:#000;stroke-width:2}figcaption{color:#555;font-size:12px}\
        table{border-collapse:collapse;margin:8px 0}th,td{border-bottom:1px solid #e5e5e5;padding:3px 8px;text-align:left;\
        vertical-align:top}table.sortable th{cursor:pointer;background:#f4f4f4;white-space:nowrap}table.sortable th:after{content:" ↕";\
        color:#aaa}.no{color:#a40000;font-weight:bold}details.trace{border:1px solid #ddd;border-radius:4px;margin:6px 0;\
        padding:4px 8px}details.trace summary{cursor:pointer;font-weight:600}.activity{margin:8px 0 8px 12px}\
        .activity.contested{border-left:4px solid #e08e0b;padding-left:8px;background:#fff8e6}.badge{background:#e08e0b;\
        color:#fff;border-radius:3px;padding:0 5px;font-size:11px}tr.dropped{color:#999}.contributions td{font-size:12px}\
        .reason{color:#a40000}.h2h{color:#1a5e9a}.claim{color:#555}tr.comparative td:first-child{color:#1a5e9a}.key{font-family:monospace;color:#555}@media print{nav{display:none}details.trace\
        {break-inside:avoid}a{color:inherit;text-decoration:none}}
        """

    static let script = """
        (function(){\
        function openTarget(){var id=decodeURIComponent(location.hash.slice(1));if(!id)return;\
        var el=document.getElementById(id);if(el&&el.tagName==='DETAILS'){el.open=true;el.scrollIntoView();}}\
        window.addEventListener('hashchange',openTarget);openTarget();\
        window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});\
        document.querySelectorAll('table.sortable').forEach(function(table){\
        table.querySelectorAll('th').forEach(function(th){function sort(){\
        var column=+th.dataset.column,body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);\
        var ascending=th.dataset.order!=='asc';th.dataset.order=ascending?'asc':'desc';\
        rows.sort(function(a,b){var x=a.cells[column].dataset.value||a.cells[column].textContent,\
        y=b.cells[column].dataset.value||b.cells[column].textContent,nx=parseFloat(x),ny=parseFloat(y);\
        var r=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return ascending?r:-r;});\
        rows.forEach(function(row){body.appendChild(row);});}\
        th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter')sort();});});});\
        })();
        """
}
