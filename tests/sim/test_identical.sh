#!/bin/sh
# test_identical.sh — identical policies give identical reports: a generated population (60
# families, every region of the default parameters) run twice under the built-in policies
# gives the same results for A and B and every difference is zero; the CSV and the SVG are
# written and the table names both policies.
# Usage: test_identical.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
gongji=$1
. "$(dirname "$0")/lib.sh"

echo '{"format": "gongji-gen/1", "seed": 11, "families": 60}' >"$tmp/params.json"
simulate "$tmp/report.json" --population "$tmp/params.json" --policy "$GONGJI_POLICIES" \
    --policy "$GONGJI_POLICIES" --csv "$tmp/report.csv" --svg "$tmp/report.svg"

r=$tmp/report.json
expect_json "$r" '[.policies[].verify]' '["ok","ok"]'
expect_json "$r" '.policies[0].results == .policies[1].results' 'true'
expect_json "$r" '.policies[0].version_ids == .policies[1].version_ids' 'true'
expect_json "$r" '[.differences[0].results | .. | numbers | select(. != 0)] | length' '0'
expect_json "$r" '[.differences[0].results | .. | strings | select(. != "0.00")] | length' '0'
expect_json "$r" '.policies[0].results.totals.bills > 0 and .population.persons > 100' 'true'
expect_json "$r" '.population.parameters.seed' '11'
expect_json "$r" '.git_revision | length > 0' 'true'

head -1 "$tmp/report.csv" | grep -qx 'section,key,metric,A,B,B-A' || fail "CSV header: $(head -1 "$tmp/report.csv")"
grep -q '^totals,,mutual_aid_yuan,' "$tmp/report.csv" || fail "CSV lacks the mutual-aid total"
head -c 5 "$tmp/report.svg" | grep -q '<svg' || fail "SVG does not start with <svg"
tail -1 "$tmp/report.svg" | grep -qx '</svg>' || fail "SVG does not end with </svg>"

"$gongji" simulate --population "$tmp/params.json" --policy "$GONGJI_POLICIES" \
    --policy "$GONGJI_POLICIES" >"$tmp/table.txt" 2>&1 || fail "simulate (table) → exit $?"
grep -q '^A: ' "$tmp/table.txt" && grep -q '^B: ' "$tmp/table.txt" || fail "the table does not name A and B"
grep -q 'mutual aid (yuan)' "$tmp/table.txt" || fail "the table lacks the mutual-aid line"
finish
