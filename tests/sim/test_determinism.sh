#!/bin/sh
# test_determinism.sh — the same seed gives byte-identical files and reports: gen population and
# gen year twice give the same files (another seed does not); simulate twice from the same
# parameter file gives byte-identical JSON. Also the generator's contract: gen persons --demo
# starts with the README's people, gen params round-trips, an unknown parameter is refused with
# its JSON path, gen year --requests writes national 2207/2102 requests.
# Usage: test_determinism.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
gongji=$1
. "$(dirname "$0")/lib.sh"

gen() {   # gen DIR SEED
    "$gongji" gen population --families 40 --seed "$2" --as-of 2025-01-01 --year 2025 --out "$1" \
        >/dev/null || fail "gen population $1 → exit $?"
}
gen "$tmp/a" 5
gen "$tmp/b" 5
gen "$tmp/c" 6
for f in persons.csv families.csv institutions.csv params.json bills-2025.csv; do
    cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs for the same seed"
done
cmp -s "$tmp/a/bills-2025.csv" "$tmp/c/bills-2025.csv" && fail "another seed gave the same bills"

"$gongji" gen year --population "$tmp/a" --year 2025 --requests "$tmp/requests.jsonl" >/dev/null ||
    fail "gen year → exit $?"
cmp -s "$tmp/a/bills-2025.csv" "$tmp/b/bills-2025.csv" || fail "gen year changed the bills"
[ "$(jq -r .infno "$tmp/requests.jsonl" | sort -u | tr '\n' ' ')" = "2102 2207 " ] ||
    fail "requests are not 2102/2207: $(jq -r .infno "$tmp/requests.jsonl" | sort -u)"

echo '{"format": "gongji-gen/1", "seed": 9, "families": 30}' >"$tmp/params.json"
simulate "$tmp/one.json" --population "$tmp/params.json" --policy "$GONGJI_POLICIES" \
    --policy "$GJ_SOURCE_DIR/docs/examples/430000-hunan-limit5.json"
simulate "$tmp/two.json" --population "$tmp/params.json" --policy "$GONGJI_POLICIES" \
    --policy "$GJ_SOURCE_DIR/docs/examples/430000-hunan-limit5.json"
cmp -s "$tmp/one.json" "$tmp/two.json" || fail "simulate gave different JSON for the same seed"

"$gongji" gen persons --families 3 --seed 42 --demo | sed -n 2p | grep -q '^P0000000001,张伟,' ||
    fail "gen persons --demo does not start with the README's people"
"$gongji" gen params --out "$tmp/defaults.json" >/dev/null || fail "gen params → exit $?"
"$gongji" gen params --params "$tmp/defaults.json" --json >"$tmp/again.json" || fail "gen params --params"
jq -e --slurpfile d "$tmp/defaults.json" '. == $d[0]' "$tmp/again.json" >/dev/null ||
    fail "gen params does not round-trip"
expect_json "$tmp/defaults.json" '.accounts.prior_mean_yuan' '"4100.00"'
echo '{"family": {"spouse_permile": 10}}' >"$tmp/bad.json"
"$gongji" gen params --params "$tmp/bad.json" >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] || fail "an unknown parameter is not refused with exit 3"
grep -q 'family.spouse_permile: unknown key' "$tmp/err" || fail "the refusal lacks the path: $(cat "$tmp/err")"
finish
