#!/bin/sh
# test_member_limit.sh — a lower member limit refuses more invitations (TOO_MANY_MEMBERS) by the
# expected count. One Changsha family: a donor with a spouse, three minor children, father,
# mother and two sisters, all residents (eight relatives). Under the built-in Hunan policy (10
# members) all eight are bound; under docs/examples/430000-hunan-limit5.json (5 members, no
# grandparents) the donor binds the five closest (spouse, children, father) and the mother and
# both sisters are refused: 3 × TOO_MANY_MEMBERS (R2.5). A sister's 100-yuan bill is then cash.
# Usage: test_member_limit.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
gongji=$1
. "$(dirname "$0")/lib.sh"

pop=$tmp/pop
population "$pop"
person "$pop" P1 1980-05-01 1 430100 310 3000.00 2000.00
person "$pop" P2 1981-02-01 2 430100 390
person "$pop" P3 2012-01-01 1 430100 390
person "$pop" P4 2014-01-01 2 430100 390
person "$pop" P5 2016-01-01 1 430100 390
person "$pop" P6 1950-01-01 1 430100 390
person "$pop" P7 1952-01-01 2 430100 390
person "$pop" P8 1983-01-01 2 430100 390
person "$pop" P9 1986-01-01 2 430100 390
member "$pop" 1 P1 head 1 1 P6 P7 P2
member "$pop" 1 P2 spouse 2 1 "" "" P1
for child in P3 P4 P5; do member "$pop" 1 "$child" child 1 1 P1 P2 ""; done
member "$pop" 1 P6 parent 1 1 "" "" P7
member "$pop" 1 P7 parent 2 1 "" "" P6
for sister in P8 P9; do member "$pop" 1 "$sister" sibling 2 1 P6 P7 ""; done
echo "Y43010000001,长沙药房,pharmacy,430100" >>"$pop/institutions.csv"
pharmacy_bill "$pop" T1 "2025-04-01 10:00:00" P9 430100 100.00

simulate "$tmp/report.json" --population "$pop" --policy "$GONGJI_POLICIES" \
    --policy "$GJ_SOURCE_DIR/docs/examples/430000-hunan-limit5.json"

r=$tmp/report.json
expect_json "$r" '[.policies[].verify]' '["ok","ok"]'
expect_json "$r" '[.policies[].results.totals.bindings]' '[8,5]'
expect_json "$r" '[.policies[].results.totals.invitations_refused]' '[0,3]'
expect_json "$r" '.policies[1].results.refusals.invite' '{"TOO_MANY_MEMBERS (R2.5)":3}'
expect_json "$r" '.policies[1].results.by_relation | [.parent.invitations_refused, .sibling.invitations_refused]' '[1,2]'
expect_json "$r" '[.policies[].results.totals.mutual_aid_yuan]' '["100.00","0.00"]'
expect_json "$r" '.differences[0].results.totals.cash_yuan' '"100.00"'
finish
