#!/bin/bash
# prepare.sh — the browser tests' database (run by tests/web/server.mjs): the HTTP tests'
# people (tests/http/people.sh) plus a 30-year-old sibling and a 10-year-old son of the donor,
# the pharmacy with a signing credential, one operator per staff role, and another family
# (赵强 and his mother) with one settlement, and a small simulation report in DIR/sim
# (tests/sim/tiny_report.sh) for the staff's 政策模拟 screen; for the family pool and wallet
# screens, a Fujian family (傅军's network, his son of 8 and his wife bound) and another Fujian
# network (林外), and a Guangxi father and son (regions.test.mjs).
# Prints {"paasid","secret","other_setl_id","certs"}.
# Usage: prepare.sh GONGJI DIR   (env GONGJI_NOW, GONGJI_DB; GJ_SOURCE_DIR: repository root)
set -uo pipefail
GONGJI=$1
HTTP_DIR=$2
HERE=$(dirname "$0")
http_fail() { echo "prepare.sh: $*" >&2; exit 1; }
. "$HERE/../http/people.sh"

S30=P0000000008   # 张丽, the donor's sister, 30 years old, resident insurance
C10=P0000000009   # 张小宝, the donor's son, 10 years old, resident insurance
CERT_S30=$(resident_id 430102 19950505 052)
CERT_C10=$(resident_id 430102 20150601 013)

{
  people_csv
  echo "$S30,张丽,01,$CERT_S30,,,430100,390,active,,,,EC0008,"
  echo "$C10,张小宝,01,$CERT_C10,,,430100,390,active,,,,EC0009,"
  regions_csv_rows
} > "$HTTP_DIR/people.csv"
gj import persons "$HTTP_DIR/people.csv"
fixture_regions
gj institution add "$PHARMACY" 长沙好药房 --kind pharmacy --admdvs 430100
fixture_operators
fixture_family "$O" "$O2" parent > /dev/null
OTHER_SETL=$(pharmacy_call "$O2" EC0005 MSG-OTHER-1)
"$HERE/../sim/tiny_report.sh" "$GONGJI" "$HTTP_DIR/sim" >&2 || http_fail "tiny_report.sh failed"
gj --json institution credential "$PHARMACY"
jq -c --arg s "$OTHER_SETL" --arg s30 "$CERT_S30" --arg c10 "$CERT_C10" --arg cd "$CERT_D" \
  --arg cf "$CERT_F" --arg co "$CERT_O" --arg fjd "$CERT_FJD" --arg fjw "$CERT_FJW" --arg fjo "$CERT_FJO" \
  --arg fjc "$CERT_FJC" --arg gxd "$CERT_GXD" --arg gxc "$CERT_GXC" \
  '{paasid, secret, other_setl_id: $s, certs: {P0000000008: $s30, P0000000009: $c10,
    P0000000001: $cd, P0000000007: $cf, P0000000004: $co, PF00000001: $fjd, PF00000003: $fjw,
    PF00000002: $fjc, PF00000004: $fjo, PG00000001: $gxd, PG00000002: $gxc}}' "$HTTP_DIR/cli.out"
