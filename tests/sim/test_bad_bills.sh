#!/bin/sh
# test_bad_bills.sh — a hand-written bill file with a field that is not UTF-8 (a stray byte
# 0xFF in fixmedins_code) is refused: exit 3, the message names the line and the column, no
# report is written; the same file with the byte removed simulates.
# Usage: test_bad_bills.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
gongji=$1
. "$(dirname "$0")/lib.sh"

pop=$tmp/pop
population "$pop"
fuzhou_family "$pop"
pharmacy_bill "$pop" T1 "2025-02-10 10:00:00" P2 350100 100.00
pharmacy_bill "$pop" T2 "2025-02-11 10:00:00" P2 350100 200.00
sed -i '3s/Y35010000001/Y3501\xff0000001/' "$pop/bills-2025.csv"

"$gongji" simulate --year 2025 --population "$pop" --policy "$GONGJI_POLICIES" \
    --json-out "$tmp/bad.json" >"$tmp/out.txt" 2>"$tmp/err.txt"
code=$?
[ "$code" -eq 3 ] || fail "a bill that is not UTF-8: exit $code, expected 3 ($(head -c 300 "$tmp/err.txt"))"
grep -q "line 3 column 5: not UTF-8" "$tmp/err.txt" || fail "the message does not name line 3 column 5: $(head -c 300 "$tmp/err.txt")"
[ ! -e "$tmp/bad.json" ] || fail "a report was written for a refused bill file"

sed -i '3s/Y3501\xff0000001/Y35010000001/' "$pop/bills-2025.csv"
simulate "$tmp/good.json" --population "$pop" --policy "$GONGJI_POLICIES"
expect_json "$tmp/good.json" '.policies[0].results.totals.bills' '2'
finish
