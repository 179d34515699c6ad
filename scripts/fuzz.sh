#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/*.swift) against the libraries compiled with -sanitize=fuzzer,address,
# and runs each: scripts/fuzz.sh [SECONDS]   (default 600 per target; both targets run in parallel).
# Findings (crash-*, timeout-*, oom-*) land in .build-fuzz/findings/<target>/; copy each into a regression
# test. The working corpus grows in .build-fuzz/corpus/<target>/, seeded from Fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"

swift build --target RuleEngine --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address
objects=$(find .build-fuzz/debug/EvidenceModel.build .build-fuzz/debug/RuleEngine.build -name '*.o')
mkdir -p .build-fuzz/bin
for target in Rules TSV; do
    # shellcheck disable=SC2086
    swiftc -sanitize=fuzzer,address -parse-as-library -I .build-fuzz/debug/Modules \
        "Fuzz/${target}Fuzzer.swift" $objects -o ".build-fuzz/bin/${target}-fuzzer"
done

run() {
    local target=$1 seeds=$2
    local corpus=".build-fuzz/corpus/$target" findings=".build-fuzz/findings/$target"
    mkdir -p "$corpus" "$findings"
    ".build-fuzz/bin/${target}-fuzzer" "$corpus" "$seeds" -max_total_time="$seconds" -max_len=65536 \
        -timeout=10 -rss_limit_mb=4096 -artifact_prefix="$findings/" -print_final_stats=1 \
        > ".build-fuzz/${target}.log" 2>&1 || true
    echo "== $target: $(grep -E '^stat::number_of_executed_units' ".build-fuzz/${target}.log" | awk '{print $2}') executions," \
        "$(ls "$findings" | wc -l) findings (log: .build-fuzz/${target}.log)"
}
run Rules Fuzz/corpus/rules &
run TSV Fuzz/corpus/tsv &
wait
