#!/usr/bin/env python3
"""Summarises the head-to-head evidence and its effect on the shortlists, for curation notes.

    scripts/comparison-summary.py [--before BEFORE.csv] [--after AFTER.csv] [--evidence DIR]

--before/--after: `recommend rank --format csv` outputs (the `#` manifest line is skipped). For every
indication, each pre-conditioned candidate's rank and score is printed next to its baseline's (the same
source with `none`), before and after, with a mark where the pre-conditioned candidate ranks above its
baseline. Without --before, only the after columns are printed.
--evidence (default Evidence): the comparison records and distinct papers per pre-conditioning contrast
(pre-conditioning vs its comparator) and per source pair, with their outcomes (for a source pair, from the
first-named source's side: "better" means the first source did better).
Output is Markdown, deterministic (everything sorted).
"""
import argparse
import csv
import collections
import os
import sys


def ranking(path):
    rows = [line for line in open(path, encoding="utf-8") if not line.startswith("#")]
    table = {}
    for row in csv.DictReader(rows):
        table[(row["indication"], row["candidate"])] = row
    return table


def standing(table, indication, candidate):
    row = table.get((indication, candidate)) if table else None
    if row is None:
        return None
    return int(row["rank"]), float(row["score"]), row["eligible"] == "true"


def cell(value):
    if value is None:
        return "—"
    rank, score, eligible = value
    return f"{rank} ({score:.4f}{'' if eligible else ', inel.'})"


def preconditioning_tables(before, after):
    indications = sorted({indication for indication, _ in after})
    out = []
    for indication in indications:
        candidates = sorted(c for i, c in after if i == indication and not c.endswith("+none"))
        out.append(f"\n#### {indication}\n")
        header = "| candidate | baseline |"
        header += " before: rank (score) | baseline before |" if before else ""
        header += " after: rank (score) | baseline after | above baseline |"
        out.append(header)
        out.append("|" + "---|" * (header.count("|") - 1))
        for candidate in candidates:
            source = candidate.split("+", 1)[0]
            baseline = source + "+none"
            line = f"| {candidate} | {baseline} |"
            if before:
                line += f" {cell(standing(before, indication, candidate))} | {cell(standing(before, indication, baseline))} |"
            now = standing(after, indication, candidate)
            base_now = standing(after, indication, baseline)
            above = "" if now is None or base_now is None else ("yes" if now[0] < base_now[0] else "no")
            line += f" {cell(now)} | {cell(base_now)} | {above} |"
            out.append(line)
    return "\n".join(out)


def comparison_counts(directory):
    path = os.path.join(directory, "comparisons.tsv")
    rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    by_pre = collections.defaultdict(lambda: (collections.Counter(), set()))
    by_sources = collections.defaultdict(lambda: (collections.Counter(), set()))
    for row in rows:
        if row["source"] == row["versus-source"]:
            key = f"{row['preconditioning']} vs {row['versus-preconditioning']}"
            counter, papers = by_pre[key]
        else:
            pair = sorted([row["source"], row["versus-source"]])
            key = f"{pair[0]} vs {pair[1]} ({row['preconditioning']})"
            counter, papers = by_sources[key]
            # Counted from the first-named source's side: a row "B worse than A" says "A better than B".
            if row["source"] != pair[0] and row["outcome"] != "similar":
                counter["better" if row["outcome"] == "worse" else "worse"] += 1
                papers.add(row["ref"])
                continue
        counter[row["outcome"]] += 1
        papers.add(row["ref"])
    out = [f"\n{len(rows)} comparison records from {len({r['ref'] for r in rows})} papers.\n"]
    for title, table in (("pre-conditioning contrast", by_pre), ("source pair (pre-conditioning)", by_sources)):
        out.append(f"| {title} | records | papers | better | worse | similar |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for key in sorted(table):
            counter, papers = table[key]
            total = sum(counter.values())
            out.append(
                f"| {key} | {total} | {len(papers)} | {counter['better']} | {counter['worse']} | {counter['similar']} |"
            )
        out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before")
    parser.add_argument("--after")
    parser.add_argument("--evidence", default="Evidence")
    args = parser.parse_args()
    if args.after:
        before = ranking(args.before) if args.before else None
        print("### Pre-conditioned candidates next to their baselines (rank (score); inel. = ineligible)")
        print(preconditioning_tables(before, ranking(args.after)))
    print("\n### Comparison records")
    print(comparison_counts(args.evidence))
    return 0


if __name__ == "__main__":
    sys.exit(main())
