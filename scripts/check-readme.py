#!/usr/bin/env python3
"""Checks that the README's pasted outputs are what the tool prints now.

Every fenced block line `$ recommend …` or `$ swift run recommend …` (optionally `| head -N` or `| tail -N`) is run
with the built binary (argument 1, default .build/debug/recommend) on the shipped knowledge base, and
its stdout and stderr are compared with the lines that follow it in the block. Commands that read a
deliberately broken copy (bare `$ recommend` after a broken-file example) are not run.
Exit 1 and a diff for each mismatch. With --update, rewrite the README's outputs instead.
"""
import difflib
import re
import shlex
import subprocess
import sys

arguments = [a for a in sys.argv[1:] if a != "--update"]
update = "--update" in sys.argv[1:]
binary = arguments[0] if arguments else ".build/debug/recommend"
text = open("README.md", encoding="utf-8").read()
replacements = []
failures = 0
checked = 0
for block in re.findall(r"```\n(.*?)```", text, flags=re.S):
    lines = block.rstrip("\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("$ "):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("$ "):
            j += 1
        command = line[2:]
        expected = "\n".join(lines[i + 1 : j])
        i = j
        head = tail = None
        match = re.fullmatch(r"(.*?)\s*\|\s*(head|tail) -(\d+)", command)
        if match:
            command = match.group(1)
            if match.group(2) == "head":
                head = int(match.group(3))
            else:
                tail = int(match.group(3))
        words = shlex.split(command)
        if words[:3] == ["swift", "run", "recommend"]:
            words = ["recommend"] + words[3:]
        if not words or words[0] != "recommend" or len(words) == 1 and words == ["recommend"] and "error" in expected:
            continue
        result = subprocess.run([binary] + words[1:], capture_output=True, text=True)
        actual = result.stdout + result.stderr
        actual_lines = actual.rstrip("\n").split("\n")
        if head is not None:
            actual_lines = actual_lines[:head]
        if tail is not None:
            actual_lines = actual_lines[-tail:]
        checked += 1
        if actual_lines != expected.split("\n"):
            if update:
                old = "\n".join([line] + ([expected] if expected else [])) + "\n"
                replacements.append((old, line + "\n" + "\n".join(actual_lines) + "\n"))
                continue
            failures += 1
            print(f"README.md: output of '$ {line[2:]}' differs from the tool's:", file=sys.stderr)
            sys.stderr.writelines(
                difflib.unified_diff(
                    [l + "\n" for l in expected.split("\n")], [l + "\n" for l in actual_lines], "README", "actual"
                )
            )
for old, new in replacements:
    text = text.replace(old, new, 1)
if update:
    open("README.md", "w", encoding="utf-8").write(text)
    print(f"README: {checked} commands checked, {len(replacements)} outputs rewritten")
    sys.exit(0)
print(f"README: {checked} commands checked, {failures} differ")
sys.exit(1 if failures or checked == 0 else 0)
