#!/bin/sh
# test_reserve.sh — raising the reserve floor lowers what a donor can pay by the expected amount
# (Fujian-style family pool: only the part above the floor is shared, R4.5, R7.2). A Fuzhou donor
# holds 5,000 yuan (2,000 current, 3,000 prior years); their minor child buys 4 × 1,000 yuan of
# medicine. Built-in Fujian (floor 2,000): mutual aid 3,000, cash 1,000. The same file with a
# floor of 3,000: mutual aid 2,000, cash 2,000 — exactly 1,000 less. Both leave the donor at the
# floor.
# Usage: test_reserve.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
gongji=$1
. "$(dirname "$0")/lib.sh"

pop=$tmp/pop
population "$pop"
fuzhou_family "$pop"
for month in 2 3 4 5; do
    pharmacy_bill "$pop" "T$month" "2025-0$month-10 10:00:00" P2 350100 1000.00
done

jq '.versions[0].settings.donor.reserve_floor_yuan = "3000"' "$GONGJI_POLICIES/350000-fujian.json" \
    >"$tmp/fujian-3000.json"
simulate "$tmp/report.json" --population "$pop" --policy "$GONGJI_POLICIES" --policy "$tmp/fujian-3000.json"

r=$tmp/report.json
expect_json "$r" '[.policies[].verify]' '["ok","ok"]'
expect_json "$r" '[.policies[].results.totals.mutual_aid_yuan]' '["3000.00","2000.00"]'
expect_json "$r" '[.policies[].results.totals.cash_yuan]' '["1000.00","2000.00"]'
expect_json "$r" '.differences[0].results.totals.mutual_aid_yuan' '"-1000.00"'
expect_json "$r" '.differences[0].results.by_relation.child.mutual_aid_yuan' '"-1000.00"'
expect_json "$r" '[.policies[].results.totals.donors_at_reserve_floor]' '[1,1]'
expect_json "$r" '.policies[1].results.monthly_mutual_aid_yuan[1:5]' '["1000.00","1000.00","0.00","0.00"]'
finish
