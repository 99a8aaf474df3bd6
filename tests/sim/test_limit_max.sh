#!/bin/sh
# test_limit_max.sh — members_at_limit counts a member whose mutual aid reached the limit that
# bounds their binding at settlement: the lower of the binding's own and the donor's region's
# maximum in force (R3.5, gj_policy_binding_limit). A Changsha donor's minor child (bound on
# 1 January without a limit) buys 1,600 yuan of medicine in May; a Shanghai donor's child (the
# region's default limit of 500) buys 600. Built-in policies: 1,600 + 500 of mutual aid, only the
# Shanghai child at the limit. With a Changsha version from 1 April setting a maximum of 1,000:
# 1,000 + 500, and both children at the limit.
# Usage: test_limit_max.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
gongji=$1
. "$(dirname "$0")/lib.sh"

pop=$tmp/pop
population "$pop"
person "$pop" C1 1985-05-01 2 430100 310 3000.00 2000.00
person "$pop" C2 2016-09-01 1 430100 390
member "$pop" 1 C1 head 2 1 "" "" ""
member "$pop" 1 C2 child 1 1 "" C1 ""
person "$pop" S1 1984-03-01 1 310000 310 1000.00 3000.00
person "$pop" S2 2015-06-01 2 310000 390
member "$pop" 2 S1 head 1 1 "" "" ""
member "$pop" 2 S2 child 2 1 S1 "" ""
echo "Y43010000001,长沙药房,pharmacy,430100" >>"$pop/institutions.csv"
echo "Y31000000001,上海药房,pharmacy,310000" >>"$pop/institutions.csv"
pharmacy_bill "$pop" T1 "2025-05-10 10:00:00" C2 430100 1600.00
pharmacy_bill "$pop" T2 "2025-05-10 11:00:00" S2 310000 600.00

jq '.versions += [{"effective_from": "2025-04-01", "note": "test: a maximum consumption limit of 1000 yuan",
                   "settings": {"network": {"consumption_limit_max_yuan": "1000"}}}]' \
    "$GONGJI_POLICIES/430100-changsha.json" >"$tmp/changsha-max.json"
simulate "$tmp/report.json" --population "$pop" --policy "$GONGJI_POLICIES" --policy "$tmp/changsha-max.json"

r=$tmp/report.json
expect_json "$r" '[.policies[].verify]' '["ok","ok"]'
expect_json "$r" '[.policies[].results.totals.bindings]' '[2,2]'
expect_json "$r" '[.policies[].results.totals.mutual_aid_yuan]' '["2100.00","1500.00"]'
expect_json "$r" '[.policies[].results.totals.members_at_limit]' '[1,2]'
expect_json "$r" '[.policies[].results.by_region["430100"].members_at_limit]' '[0,1]'
expect_json "$r" '[.policies[].results.by_region["310000"].members_at_limit]' '[1,1]'
expect_json "$r" '.differences[0].results.by_relation.child.members_at_limit' '1'
finish
