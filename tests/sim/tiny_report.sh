#!/bin/sh
# tiny_report.sh — a small simulation report for the tests of the staff console and its API (a
# helper, not a test): one Changsha family — a donor with 3,000 yuan, his wife and his sister,
# who each buy 100 yuan of medicine — under the Hunan policy narrowed to exclude siblings (A)
# and the built-in one (B: 100 yuan more mutual aid). Writes OUTDIR/last.json and
# OUTDIR/last.svg, as an operator does for gongjid's setting sim_report_dir.
# Usage: tiny_report.sh GONGJI_BINARY OUTDIR   (env GJ_SOURCE_DIR: repository root)
gongji=$1
report_dir=$2
. "$(dirname "$0")/lib.sh"

pop=$tmp/pop
population "$pop"
person "$pop" P1 1980-05-01 1 430100 310 3000.00 0.00
person "$pop" P2 1982-03-01 2 430100 390
person "$pop" P3 1984-01-01 2 430100 390
member "$pop" 1 P1 head 1 1 X1 X2 P2
member "$pop" 1 P2 spouse 2 1 "" "" P1
member "$pop" 1 X1 parent 1 0 "" "" X2
member "$pop" 1 X2 parent 2 0 "" "" X1
member "$pop" 1 P3 sibling 2 1 X1 X2 ""
echo "Y43010000001,长沙药房,pharmacy,430100" >>"$pop/institutions.csv"
pharmacy_bill "$pop" T1 "2025-03-01 09:00:00" P2 430100 100.00
pharmacy_bill "$pop" T2 "2025-04-01 09:00:00" P3 430100 100.00

jq '.versions[0].settings.relations |= map_values(. - ["sibling"])' \
    "$GONGJI_POLICIES/430000-hunan.json" >"$tmp/hunan-no-siblings.json"
mkdir -p "$report_dir"
simulate "$tmp/report.json" --population "$pop" --policy "$tmp/hunan-no-siblings.json" \
    --policy "$GONGJI_POLICIES" --json-out "$report_dir/last.json" --svg "$report_dir/last.svg"
expect_json "$report_dir/last.json" '[.policies[].results.totals.mutual_aid_yuan]' '["100.00","200.00"]'
finish >/dev/null
