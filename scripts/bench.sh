#!/usr/bin/env bash
# Benchmarks of the release build. Timing numbers only mean something on an otherwise idle machine.
#
#   scripts/bench.sh                     every command, whole process, on each shape at 10^5 and 10^6 rows:
#                                        a Markdown table (median of 3 runs; wall seconds and peak memory)
#   scripts/bench.sh --shapes skewed --rows 100000 --runs 5 --commands "rank json"
#   scripts/bench.sh --phases [recommend-bench run options]
#                                        load and rank phases in-process (recommend-bench run), N = 10^4..10^6
#   scripts/bench.sh --smoke             CI: one small base of each shape, every command once; fails only if a
#                                        command fails (not a timed test)
#
# Commands measured (each on every indication): rank as a table, CSV, Markdown and JSON; report; and, of the
# first indication, sensitivity --runs 100 and plan at the policy's first level (10^5 rows only, unless
# --sensitivity-all).
set -euo pipefail
cd "$(dirname "$0")/.."

shapes="standard skewed wide"
rows="100000 1000000"
runs=3
commands="rank csv markdown json report sensitivity plan"
sensitivity_all=0
mode=commands
while [[ $# -gt 0 ]]; do
    case "$1" in
        --phases) shift; mode=phases; break ;;
        --smoke) mode=smoke; shift ;;
        --shapes) shapes="$2"; shift 2 ;;
        --rows) rows="${2//,/ }"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --commands) commands="$2"; shift 2 ;;
        --sensitivity-all) sensitivity_all=1; shift ;;
        *) echo "bench.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done

swift build -c release --product recommend-bench >&2
swift build -c release --product recommend >&2
bench=.build/release/recommend-bench
recommend=$PWD/.build/release/recommend

if [[ $mode == phases ]]; then
    exec "$bench" run "$@"
fi
if [[ $mode == smoke ]]; then
    rows=2000
    runs=1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/recommend-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The arguments of one measured command on the base in $1; the output goes to /dev/null (report: a file).
arguments() {
    local base=$1 command=$2 first
    local kb=(--rules "$base/Rules" --evidence "$base/Evidence")
    case $command in
        rank) echo rank "${kb[@]}" ;;
        csv | markdown | json) echo rank --format "$command" "${kb[@]}" ;;
        report) echo report --out "$base/report.html" "${kb[@]}" ;;
        sensitivity)
            first=$(sed -n 's/^indication \([^ ]*\).*/\1/p' "$base/Rules/indications.rules" | head -1)
            echo sensitivity --indication "$first" --runs 100 "${kb[@]}" ;;
        plan)
            first=$(sed -n 's/^indication \([^ ]*\).*/\1/p' "$base/Rules/indications.rules" | head -1)
            level=$(sed -n 's/^ *level \([^ ]*\).*/\1/p' "$base/Rules/policy.rules" | head -1)
            echo plan --indication "$first" --levels "$level" "${kb[@]}" ;;
    esac
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

if [[ $mode == commands ]]; then
    echo "| shape | rows | input MB | command | median s | runs (s) | peak MB | peak / input | × rank |"
    echo "|---|---:|---:|---|---:|---|---:|---:|---:|"
fi
for shape in $shapes; do
    for n in $rows; do
        base="$work/$shape-$n"
        "$bench" generate --rows "$n" --out "$base" --shape "$shape" >&2
        bytes=$(cat "$base"/Rules/* "$base"/Evidence/* | wc -c)
        rank_median=""
        for command in $commands; do
            if [[ ($command == sensitivity || $command == plan) && $n -gt 100000 && $sensitivity_all == 0 \
                && $mode == commands ]]; then
                continue
            fi
            times=()
            peaks=()
            for ((run = 0; run < runs; run++)); do
                # shellcheck disable=SC2046
                if ! /usr/bin/time -f "%e %M" -o "$work/time" "$recommend" $(arguments "$base" "$command") \
                    >/dev/null 2>"$work/stderr"; then
                    echo "bench.sh: '$command' failed on $shape at $n rows:" >&2
                    grep -v 'warning:' "$work/stderr" | head -5 >&2
                    exit 1
                fi
                read -r seconds kib <"$work/time"
                times+=("$seconds")
                peaks+=("$kib")
            done
            [[ $mode == smoke ]] && continue
            med=$(printf '%s\n' "${times[@]}" | median)
            peak=$(printf '%s\n' "${peaks[@]}" | sort -n | tail -1)
            [[ $command == rank ]] && rank_median=$med
            awk -v shape="$shape" -v n="$n" -v bytes="$bytes" -v command="$command" -v med="$med" \
                -v all="${times[*]}" -v peak="$peak" -v rank="$rank_median" 'BEGIN {
                    ratio = (rank != "" && rank > 0) ? sprintf("%.2f", med / rank) : "-"
                    printf "| %s | %d | %.1f | %s | %.2f | %s | %.0f | %.2f | %s |\n", shape, n, bytes / 1e6, command,
                        med, all, peak * 1024 / 1e6, peak * 1024 / bytes, ratio }'
        done
        rm -rf "$base"
    done
done
if [[ $mode == smoke ]]; then
    "$bench" run --rows 2000 --runs 1 --timeout 300 --shape skewed >/dev/null
    echo "bench.sh: every command ran on every shape, and the in-process phases (smoke test, not timed)"
fi
exit 0
