#!/bin/sh
# simulate_pair.sh — wall clock of two gongji builds on the same simulated year, measured as
# pairs run at the same time, one per core (taskset), each pair run twice with the cores
# swapped: this VM's two cores have run up to 1.5x apart and its speed drifts by 15-20 % over
# tens of minutes, so runs one after the other compare the machine more than the builds. Each
# run is one policy (the built-in policies), one process (--jobs 1). Prints both runs of each
# build, the two ratios B/A and their geometric mean (the core difference cancels), and checks
# that the two builds' reports are the same (apart from the git revision and the sharding: its
# default changed on 2026-12-01, and the figures do not depend on it, tests/sim/test_shards.sh).
# Usage: bench/simulate_pair.sh GONGJI_A GONGJI_B [INSURED (default 25000)]
set -eu
case "${1:-}" in -h|--help) exec "$(dirname "$0")/usage.sh" "$0" ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: bench/simulate_pair.sh GONGJI_A GONGJI_B [INSURED]" >&2; exit 2; }
a=$1 b=$2 insured=${3:-25000}
core1=1   # with one core both runs of a pair share it: the ratios then say little
[ "$(nproc)" -ge 2 ] || { core1=0; echo "# one core: each pair shares it" >&2; }
families=$((insured * 100 / 785))   # the default parameters give about 7.85 insured per family
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GONGJI_NO_PROGRESS=1

echo "{\"format\": \"gongji-gen/1\", \"seed\": 1, \"families\": $families}" >"$tmp/params.json"
"$a" gen population --params "$tmp/params.json" --as-of 2025-01-01 --year 2025 --out "$tmp/pop" >/dev/null

# run CORE BINARY NAME: one simulation pinned to CORE; its wall seconds into $tmp/NAME.s
run() {
    t0=$(date +%s.%N)
    taskset -c "$1" "$2" simulate --population "$tmp/pop" --year 2025 --policy "$root/policies" \
        --jobs 1 --json-out "$tmp/$3.json" >/dev/null
    echo "$t0 $(date +%s.%N)" | awk '{printf "%.2f\n", $2 - $1}' >"$tmp/$3.s"
}
pair() {   # pair NAME_ON_CORE0 BINARY0 NAME_ON_CORE1 BINARY1
    run 0 "$2" "$1" &
    p0=$!
    run "$core1" "$4" "$3" &
    p1=$!
    wait "$p0"
    wait "$p1"
}

echo "# bench/simulate_pair.sh $a $b $insured"
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
pair a1 "$a" b1 "$b"   # A on core 0, B on core 1
pair b2 "$b" a2 "$a"   # swapped
same=yes
for r in a2 b1 b2; do
    cmp -s "$tmp/a1.json" "$tmp/$r.json" 2>/dev/null || \
        [ "$(jq -S 'del(.git_revision, .sharding)' "$tmp/a1.json")" = "$(jq -S 'del(.git_revision, .sharding)' "$tmp/$r.json")" ] || same=no
done
echo "insured: $(jq .population.persons "$tmp/a1.json"), events: $(jq .population.events "$tmp/a1.json"), one policy, --jobs 1"
printf '%-10s %10s %10s\n' "build" "core 0 s" "core 1 s"
printf '%-10s %10s %10s\n' "A" "$(cat "$tmp/a1.s")" "$(cat "$tmp/a2.s")"
printf '%-10s %10s %10s\n' "B" "$(cat "$tmp/b2.s")" "$(cat "$tmp/b1.s")"
awk -v a1="$(cat "$tmp/a1.s")" -v b1="$(cat "$tmp/b1.s")" -v a2="$(cat "$tmp/a2.s")" -v b2="$(cat "$tmp/b2.s")" \
    'BEGIN { r1 = b1 / a1; r2 = b2 / a2;
             printf "B/A: %.3f (B on core 1), %.3f (B on core 0); geometric mean %.3f\n", r1, r2, sqrt(r1 * r2) }'
echo "reports the same: $same"
[ "$same" = yes ]
