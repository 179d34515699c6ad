#!/usr/bin/env python3
"""Renders the shipped knowledge base's report in headless Chromium and checks the DOM after its scripts ran:
a heatmap with a cell per source × pre-conditioning for every indication, a ranked table and a trace for each
of the first 20 tested candidates (the default of --traces), a trace opened from its link, and no script but
the report's own.
Usage: check-report.py BINARY CHROMIUM OUTDIR"""
import json, re, subprocess, sys

binary, chromium, out = sys.argv[1:4]
report = f"{out}/report.html"
subprocess.run([binary, "report", "--out", report], check=True, capture_output=True)
kb = json.loads(subprocess.run([binary, "export"], check=True, capture_output=True, text=True).stdout)
ranking = json.loads(subprocess.run([binary, "rank", "--format", "json"], check=True, capture_output=True, text=True).stdout)
indications = [i["id"] for i in kb["indications"]]
sources = [s["id"] for s in kb["vocabulary"]["sources"] if s["id"] != "any-msc"]
pres = [p["id"] for p in kb["vocabulary"]["preconditionings"]]
tested = sum(min(20, len(i["candidates"])) for i in ranking["indications"])
first = ranking["indications"][0]
target = "c--" + first["id"] + "--" + first["candidates"][0]["candidate"].replace("+", "_2b")
dom = subprocess.run(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000", "--dump-dom",
     f"file://{report}#{target}"], check=True, capture_output=True, text=True).stdout
problems = []
def expect(what, actual, expected):
    if actual != expected:
        problems.append(f"{what}: {actual} != {expected}")
expect("heatmap cells", dom.count('<rect class="cell '), len(indications) * len(sources) * len(pres))
expect("heatmaps", dom.count('<figure class="heatmap">'), len(indications))
expect("ranked tables", dom.count('<table class="ranking sortable">'), len(indications))
expect("traces", dom.count('<details class="trace"'), tested)
expect("opened trace", len(re.findall(rf'<details class="trace" id="{re.escape(target)}" open=""', dom)), 1)
expect("scripts", dom.count("<script"), 1)
subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=5000",
                "--window-size=1200,1500", f"--screenshot={out}/report.png", f"file://{report}"], check=True, capture_output=True)
for p in problems: print("report:", p, file=sys.stderr)
print(f"report: {len(indications)} heatmaps of {len(sources)}x{len(pres)} cells, {tested} traces" + (" — FAILED" if problems else " — ok"))
sys.exit(1 if problems else 0)
