#!/bin/sh
# test_shards.sh — sharding and where the stores live do not change the numbers: the same
# population run in one shard and in several (--shard-insured small enough for 3–5 shards of
# whole families), with the stores in memory and in files (--store), gives the same JSON report
# apart from "sharding" (the shard size and count, the store). Twice: a generated population
# (60 families, every region of the default parameters, two policies), and a hand-written one
# whose persons.csv needs quoting (a name with a comma and a quote) and holds a person outside
# families.csv (run in the first shard), one shard per family. Also: more shards than the
# open-files limit allows is a usage error.
# Usage: test_shards.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
gongji=$1
. "$(dirname "$0")/lib.sh"

# same_report ONE.json MANY.json — equal apart from .sharding.
same_report() {
    jq -S 'del(.sharding)' "$1" >"$tmp/one.sorted"
    jq -S 'del(.sharding)' "$2" >"$tmp/many.sorted"
    cmp -s "$tmp/one.sorted" "$tmp/many.sorted" ||
        fail "$2 differs from $1: $(diff "$tmp/one.sorted" "$tmp/many.sorted" | head -20)"
}

echo '{"format": "gongji-gen/1", "seed": 13, "families": 60}' >"$tmp/params.json"
"$gongji" gen population --params "$tmp/params.json" --as-of 2025-01-01 --year 2025 --out "$tmp/gen" \
    >/dev/null || fail "gen population → exit $?"
hunan=$GJ_SOURCE_DIR/docs/examples/430000-hunan-limit5.json
simulate "$tmp/one.json" --population "$tmp/gen" --policy "$GONGJI_POLICIES" --policy "$hunan"
simulate "$tmp/many.json" --population "$tmp/gen" --policy "$GONGJI_POLICIES" --policy "$hunan" \
    --shard-insured 120 --jobs 3 --store disk
expect_json "$tmp/one.json" '.sharding | [.shards, .store]' '[1,"memory"]'
expect_json "$tmp/many.json" '.sharding' '{"insured_per_shard":120,"shards":4,"store":"disk"}'
expect_json "$tmp/many.json" '[.policies[].verify]' '["ok","ok"]'
expect_json "$tmp/many.json" '.policies[0].results.totals | .bills > 0 and .mutual_aid_yuan != "0.00" and .bindings > 0' 'true'
expect_json "$tmp/many.json" '.differences[0].results.totals.mutual_aid_yuan != "0.00"' 'true'
same_report "$tmp/one.json" "$tmp/many.json"

pop=$tmp/pop
population "$pop"
person "$pop" P1 1985-05-01 2 350100 310 2000.00 3000.00
person "$pop" P2 2016-09-01 1 350100 390
person "$pop" P3 1980-01-01 1 350100 310 1500.00 500.00
person "$pop" P4 1950-03-01 2 350100 390
person "$pop" P5 1990-07-01 1 350100 390
sed -i 's/^P4,P4,/P4,"Lin, ""Ah"" Mei",/' "$pop/persons.csv"
member "$pop" 1 P1 head 2 1 "" "" ""
member "$pop" 1 P2 child 1 1 "" P1 ""
member "$pop" 2 P3 head 1 1 "" P4 ""
member "$pop" 2 P4 parent 2 1 "" "" ""
echo "Y35010000001,福州药房,pharmacy,350100" >>"$pop/institutions.csv"
for month in 2 3 4; do
    pharmacy_bill "$pop" "T$month" "2025-0$month-10 10:00:00" P2 350100 1000.00
    pharmacy_bill "$pop" "U$month" "2025-0$month-11 10:00:00" P4 350100 800.00
    pharmacy_bill "$pop" "V$month" "2025-0$month-12 10:00:00" P5 350100 300.00
done
simulate "$tmp/one.json" --population "$pop" --policy "$GONGJI_POLICIES" --store disk
simulate "$tmp/many.json" --population "$pop" --policy "$GONGJI_POLICIES" --shard-insured 1 --store memory
expect_json "$tmp/many.json" '.sharding.shards' '2'
expect_json "$tmp/many.json" '.policies[0].verify' '"ok"'
expect_json "$tmp/many.json" '.policies[0].results.totals | [.bills, .bindings]' '[9,2]'
same_report "$tmp/one.json" "$tmp/many.json"
# --store auto sizes the stores by the runs held at once and the largest shard, not by --jobs
# and --shard-insured: one run of 5 people is in memory, however large those two are.
simulate "$tmp/auto.json" --population "$pop" --policy "$GONGJI_POLICIES" --shard-insured 100000000 --jobs 16
expect_json "$tmp/auto.json" '.sharding | [.shards, .store]' '[1,"memory"]'
# More shards than the open-files limit allows (every shard's files are written at once): a
# usage error that says what to change, nothing left under $TMPDIR.
mkdir "$tmp/nofile"
(ulimit -n 64 && TMPDIR=$tmp/nofile exec "$gongji" simulate --population "$tmp/gen" --year 2025 \
    --policy "$GONGJI_POLICIES" --shard-insured 5) >"$tmp/nofile.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "too many shards for the open-files limit: exit $rc, expected 2 ($(head -c 300 "$tmp/nofile.out"))"
grep -q "open files and the limit is 64: raise it (ulimit -n) or give a larger --shard-insured" "$tmp/nofile.out" ||
    fail "too many shards: $(head -c 300 "$tmp/nofile.out")"
[ -z "$(ls -A "$tmp/nofile")" ] || fail "too many shards: left $(ls "$tmp/nofile")"
# stopped_when NAME WATCHED FILE_PATTERN SIMULATE_ARGS... — run `gongji simulate` with $TMPDIR
# in $tmp/NAME, send SIGTERM once a file named FILE_PATTERN exists under WATCHED (a directory),
# and expect it to end with STOPPED (exit 130) naming the signal, leaving nothing under $TMPDIR and no
# child running.
stopped_when() {
    name=$1 watched=$2 pattern=$3
    shift 3
    mkdir "$tmp/$name"
    TMPDIR=$tmp/$name "$gongji" simulate "$@" >"$tmp/$name.out" 2>&1 &
    sim_pid=$!
    tries=0
    while [ -z "$(find "$watched" -name "$pattern" 2>/dev/null)" ] && [ "$tries" -lt 400 ]; do
        sleep 0.05
        tries=$((tries + 1))
    done
    kill -TERM "$sim_pid"
    wait "$sim_pid"
    rc=$?
    [ "$rc" -eq 130 ] && grep -q 'STOPPED.*stopped by signal 15' "$tmp/$name.out" ||
        fail "$name: simulate → exit $rc: $(head -c 300 "$tmp/$name.out")"
    [ -z "$(ls -A "$tmp/$name")" ] || fail "$name: the simulation left $(ls "$tmp/$name")"
    [ -z "$(pgrep -P "$sim_pid" 2>/dev/null)" ] || fail "$name: the simulation left children running"
}
# A run stopped by SIGTERM stops its children and leaves nothing under $TMPDIR: 8 runs one at a
# time (4 shards × 2 policies); the signal goes once the first run's directory exists.
stopped_when stopped "$tmp/stopped" 'run-*' --population "$tmp/gen" --policy "$GONGJI_POLICIES" --policy "$hunan" \
    --shard-insured 120 --jobs 1
# A worker that dies (SIGKILL, as from the out-of-memory killer) fails the simulation naming
# its unfinished run, instead of a report without that run's shard; nothing is left behind.
mkdir "$tmp/killed"
TMPDIR=$tmp/killed "$gongji" simulate --population "$tmp/gen" --policy "$GONGJI_POLICIES" --policy "$hunan" \
    --shard-insured 120 --jobs 1 --json-out "$tmp/killed.json" >"$tmp/killed.out" 2>&1 &
sim_pid=$!
tries=0
while [ -z "$(find "$tmp/killed" -name 'run-*' 2>/dev/null)" ] && [ "$tries" -lt 400 ]; do
    sleep 0.05
    tries=$((tries + 1))
done
pkill -KILL -P "$sim_pid"
wait "$sim_pid"
rc=$?
[ "$rc" -eq 5 ] && grep -q 'INTERNAL.*a simulation run (shard [0-9]*) ended abnormally' "$tmp/killed.out" ||
    fail "a killed worker: simulate → exit $rc: $(head -c 300 "$tmp/killed.out")"
[ ! -e "$tmp/killed.json" ] || fail "a killed worker: a report was written"
[ -z "$(ls -A "$tmp/killed")" ] || fail "a killed worker: the simulation left $(ls "$tmp/killed")"
# So does one stopped while it generates its population from a parameter file (100,000
# families: seconds of work; the signal goes once the population's first file exists).
echo '{"format": "gongji-gen/1", "seed": 5, "families": 100000}' >"$tmp/big.json"
stopped_when stopped_gen "$tmp/stopped_gen" persons.csv --population "$tmp/big.json" --policy "$GONGJI_POLICIES"
# A population directory without the year's bills gets them generated into it, under a
# temporary name: stopped meanwhile, it is left without a partial bills file (which a later run
# would take for the whole year).
"$gongji" gen population --out "$tmp/noyear" --families 20000 --seed 3 --as-of 2025-01-01 >/dev/null ||
    fail "gen population → exit $?"
stopped_when stopped_year "$tmp/noyear" 'bills-2025.csv*' --population "$tmp/noyear" --policy "$GONGJI_POLICIES"
[ -z "$(find "$tmp/noyear" -name 'bills-*')" ] || fail "a stopped year left $(ls "$tmp/noyear")"
# A population generated as of a later day than the year's first holds people born after the
# year began: refused naming one of them and what to do (before: "no birth date").
now="2026-11-30 12:00:00"
"$gongji" --now "$now" gen population --out "$tmp/later" --families 300 --seed 3 >/dev/null ||
    fail "gen population → exit $?"
"$gongji" --now "$now" simulate --population "$tmp/later" --policy "$GONGJI_POLICIES" >"$tmp/later.out" 2>&1
rc=$?
[ "$rc" -ne 0 ] && grep -q 'was born on 2026-.*after the year began.*--as-of' "$tmp/later.out" ||
    fail "a population of a later day → exit $rc: $(head -c 300 "$tmp/later.out")"
"$gongji" simulate --population "$pop" --policy "$GONGJI_POLICIES" --store tape >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q 'give auto, memory or disk' "$tmp/out" || fail "--store tape → exit $rc: $(cat "$tmp/out")"
finish
