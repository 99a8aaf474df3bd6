#!/bin/sh
# test_flow.sh — the README walkthrough through the command line: import, network, binding,
# a pharmacy settlement via `call`, its explanation, cancellation, verify; plus option forms
# (--opt=value, global options after the command, GONGJI_DB / GONGJI_NOW) and exit codes
# (4 not found, 3 refused call, 6 tampered journal).
# Usage: test_flow.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
export GONGJI_NOW="2025-03-01 09:00:00"
. "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"
persons_csv

expect_exit 0 "$gongji" init
expect_output "$tmp/gongji.db"
expect_exit 0 "$gongji" import persons "$tmp/persons.csv"
expect_exit 4 "$gongji" import persons "$tmp/missing.csv"
expect_exit 0 "$gongji" institution add H43010000001 长沙好药房 --kind=pharmacy --admdvs=430100
# a name typed in a GBK terminal (长沙 in GBK) is refused, not stored as bytes no answer can carry
expect_exit 3 "$gongji" --json institution add H43010000002 "$(printf '\263\244\311\263')" --kind=pharmacy --admdvs=430100
expect_output '"code": "BAD_FIELD"'
expect_exit 4 "$gongji" institution credential H43010000002   # not registered
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

finish
