#!/bin/bash
# fuzz.sh — run every libFuzzer target of a GJ_FUZZ build (make fuzz, make check) for a bounded
# time under ASan + UBSan, one per core at a time, each from its seed corpus
# tests/fuzz/corpus/<name>/ plus what earlier runs in this build found (BUILD/fuzz-corpus/<name>/),
# with tests/fuzz/<name>.dict when there is one. A crash, leak, timeout or sanitizer report fails
# the run and leaves the input in BUILD/fuzz-artifacts/: add it to tests/fuzz/corpus/<name>/ and
# `ctest -R fuzz/` replays it in every build from then on (docs/reliability.md).
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS_PER_TARGET
set -u
build=$(cd "$1" && pwd)
seconds=$2
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-logs"
targets=$(cd "$build" && ls fuzz_* 2>/dev/null | grep -v '\.' )
[ -n "$targets" ] || { echo "fuzz.sh: no fuzz_* targets in $build (configure with -DGJ_FUZZ=ON)" >&2; exit 1; }

fuzz_one() {
    name=${1#fuzz_}
    dict="$src/tests/fuzz/$name.dict"
    mkdir -p "$build/fuzz-corpus/$name"
    "$build/$1" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/fuzz-artifacts/$name-" $([ -f "$dict" ] && echo "-dict=$dict") \
        "$build/fuzz-corpus/$name" "$src/tests/fuzz/corpus/$name" >"$build/fuzz-logs/$name.log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz-logs/$name.log" | grep -o '[0-9]*$')
    if [ "$rc" -eq 0 ]; then
        echo "fuzz $name: ${runs:-?} inputs in ${seconds}s, no finding"
    else
        echo "fuzz $name: FINDING (exit $rc), log $build/fuzz-logs/$name.log:"
        grep -E -A12 'fuzz finding|ERROR: |runtime error|SUMMARY' "$build/fuzz-logs/$name.log" | head -30
    fi
    return "$rc"
}
export -f fuzz_one
export build seconds src

echo "fuzzing $(echo "$targets" | wc -w) targets for ${seconds}s each, $(nproc) at a time"
printf '%s\n' $targets | xargs -P "$(nproc)" -I{} bash -c 'fuzz_one {}'
status=$?
[ "$status" -eq 0 ] && echo "fuzz: no findings" || echo "fuzz: findings above (inputs in $build/fuzz-artifacts/)"
exit "$status"
