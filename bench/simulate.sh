#!/bin/sh
# simulate.sh — benchmark of the what-if simulation: INSURED people (default 1,000,000) over a
# year of bills and premiums, under two policies (the built-in policies and the Hunan what-if
# copy docs/examples/430000-hunan-limit5.json), each run through the real engine in its own
# throwaway store. Prints the population, the events and the seconds taken by generation and
# by the simulation. Disk in $TMPDIR (or /tmp): the population's files and their per-shard
# copy (about 150 bytes per event each), and the stores of the runs in progress — `--jobs`
# (the cores) shards of at most about 500 insured, ~3.4 KB per event: about 25 MB each,
# in memory (docs/simulation.md "Shards", "Stores").
# Usage: bench/simulate.sh [GONGJI_BINARY [INSURED]]
set -eu
case "${1:-}" in -h|--help) exec "$(dirname "$0")/usage.sh" "$0" ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
gongji=${1:-$root/build/gongji}
insured=${2:-1000000}
families=$((insured * 100 / 785))   # the default parameters give about 7.85 insured per family
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GONGJI_NO_PROGRESS=1

now() { date +%s.%N; }
seconds() { echo "$1 $2" | awk '{printf "%.1f", $2 - $1}'; }

echo "{\"format\": \"gongji-gen/1\", \"seed\": 1, \"families\": $families}" >"$tmp/params.json"
t0=$(now)
"$gongji" gen population --params "$tmp/params.json" --as-of 2025-01-01 --year 2025 \
    --out "$tmp/pop" >/dev/null
t1=$(now)
"$gongji" simulate --population "$tmp/pop" --year 2025 --policy "$root/policies" \
    --policy "$root/docs/examples/430000-hunan-limit5.json" --json-out "$tmp/report.json" >/dev/null
t2=$(now)

persons=$(jq .population.persons "$tmp/report.json")
events=$(jq .population.events "$tmp/report.json")
sim=$(seconds "$t1" "$t2")
echo "insured:     $persons in $(jq .population.families "$tmp/report.json") families"
echo "events:      $events per policy (bills and premiums), 2 policies"
echo "verify:      $(jq -r '[.policies[].verify] | join(", ")' "$tmp/report.json")"
echo "generate:    $(seconds "$t0" "$t1") s"
echo "simulate:    $sim s ($(echo "$events $sim" | awk '{printf "%.0f", 2 * $1 / $2}') events/s over both policies)"
echo "machine:     $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -sm)"
