#!/usr/bin/env bash
# Builds the benchmark (release) and runs it: scripts/bench.sh [recommend-bench run options]
#   scripts/bench.sh                                  N = 10^4, 10^5, 10^6, median of 5 runs, table on stdout
#   scripts/bench.sh --rows 10000,100000 --runs 3 --json
#   scripts/bench.sh --smoke                          CI: one small run (2000 rows), checks that it works
# Timing numbers only mean something from the release build on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product recommend-bench
bench=.build/release/recommend-bench

if [[ "${1:-}" == "--smoke" ]]; then
    shift
    # Not a timed test: it fails only if generating, loading or ranking fails (or takes over 5 minutes).
    exec "$bench" run --rows 2000 --runs 1 --timeout 300 "$@"
fi
exec "$bench" run "$@"
