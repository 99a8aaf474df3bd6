#!/bin/sh
# test_flow.sh — the README walkthrough through the command line: import, network, binding,
# a pharmacy settlement via `call`, its explanation, cancellation, verify; plus option forms
# (--opt=value, global options after the command, GONGJI_DB / GONGJI_NOW) and exit codes
# (4 not found, 3 refused call, 6 tampered journal).
# Usage: test_flow.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
set -u
gongji=$1
src=${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GONGJI_DB="$tmp/gongji.db"
export GONGJI_POLICIES="$src/policies"
export GONGJI_NOW="2025-03-01 09:00:00"
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

expect_exit() {
    want=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] || fail "$* → exit $got, expected $want ($(head -c 300 "$tmp/err"))"
}

expect_output() {
    grep -q -- "$1" "$tmp/out" || fail "output of the last command lacks '$1'"
}

cat >"$tmp/persons.csv" <<'CSV'
psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,prior_yuan,card_yuan,ecert_no,card_no
P0000000001,张伟,01,430102198503150030,,,430100,310,active,1200.00,3800.00,50.00,EC0001,SSC0001
P0000000002,李秀英,01,43010219580820004X,,,430100,390,active,,,20.00,EC0002,SSC0002
CSV

expect_exit 0 "$gongji" init
expect_output "$tmp/gongji.db"
expect_exit 0 "$gongji" import persons "$tmp/persons.csv"
expect_exit 4 "$gongji" import persons "$tmp/missing.csv"
expect_exit 0 "$gongji" institution add H43010000001 长沙好药房 --kind=pharmacy --admdvs=430100
expect_exit 0 "$gongji" person show P0000000001 --json
expect_output '"P0000000001"'
expect_exit 4 "$gongji" person show P0000000404

expect_exit 0 "$gongji" network create P0000000001 --commitment --verify face:F001
expect_exit 0 "$gongji" bind invite P0000000001 P0000000002 --relation parent --modes payment,contribution
expect_output "B0000000001"
expect_exit 0 "$gongji" bind accept B0000000001 --verify face:F002 --channel app --actor P0000000002
expect_exit 0 "$gongji" network show P0000000001

expect_exit 0 "$gongji" call "$src/docs/examples/pharmacy-2102.json"
expect_output '"infcode": 0'
expect_output '"setl_id": "S0000000001"'
expect_exit 0 "$gongji" call - <"$src/docs/examples/pharmacy-2102.json"   # retry: same answer
expect_output '"setl_id": "S0000000001"'
expect_exit 0 "$gongji" settle explain S0000000001
expect_output "^R4.4 "
expect_exit 0 "$gongji" receipt S0000000001
expect_exit 0 "$gongji" records donor P0000000001 --year 2025
expect_output "S0000000001"
expect_exit 0 "$gongji" records member P0000000002
expect_exit 0 "$gongji" recon totals --institution H43010000001 --from 2025-03-01

sed 's/PUT_SETL_ID_HERE/S0000000001/' "$src/docs/examples/pharmacy-2103-cancel.json" >"$tmp/cancel.json"
expect_exit 0 "$gongji" call "$tmp/cancel.json"
sed 's/PUT_SETL_ID_HERE/S0000000404/; s/"msgid": "[^"]*"/"msgid": "H43010000001202503011000009999"/' \
    "$src/docs/examples/pharmacy-2103-cancel.json" >"$tmp/cancel-unknown.json"
expect_exit 3 "$gongji" call "$tmp/cancel-unknown.json"
expect_output '"infcode": -1'

expect_exit 0 "$gongji" statement P0000000001 --year 2025
expect_exit 0 "$gongji" verify
expect_exit 0 "$gongji" verify --db "$tmp/gongji.db" --now "2025-03-02 08:00:00"   # globals last

if command -v sqlite3 >/dev/null 2>&1; then
    cp "$tmp/gongji.db" "$tmp/tampered.db"
    sqlite3 "$tmp/tampered.db" "UPDATE journal SET actor = 'someone else' WHERE seq = 2"
    expect_exit 6 "$gongji" --db "$tmp/tampered.db" verify --json
    expect_output '"code": "CHAIN_BROKEN"'
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "ok"
