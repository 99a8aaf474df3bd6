#!/bin/sh
# test_scope.sh — widening the relation scope from spouse/parents/children to near relatives
# increases mutual aid only for the added relations. One Changsha family: a donor with 10,000
# yuan, and a spouse, child, father, sister and grandfather (all residents) who each buy 100 yuan
# of medicine. Policy A is the Hunan file narrowed to spouse/parents/children; policy B the
# built-in Hunan policy (near relatives). Expected: A pays 300 (two invitations refused by
# RELATION_NOT_ALLOWED), B pays 500; only sibling and grandparent_paternal differ, by 100 each.
# Usage: test_scope.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
gongji=$1
. "$(dirname "$0")/lib.sh"

pop=$tmp/pop
population "$pop"
person "$pop" P1 1980-05-01 1 430100 310 10000.00 0.00
person "$pop" P2 1982-03-01 2 430100 390
person "$pop" P3 2015-06-01 1 430100 390
person "$pop" P4 1952-01-01 1 430100 390
person "$pop" P5 1984-01-01 2 430100 390
person "$pop" P6 1928-01-01 1 430100 390
member "$pop" 1 P1 head 1 1 P4 X1 P2
member "$pop" 1 P2 spouse 2 1 "" "" P1
member "$pop" 1 P3 child 1 1 P1 P2 ""
member "$pop" 1 P4 parent 1 1 P6 "" X1
member "$pop" 1 X1 parent 2 0 "" "" P4
member "$pop" 1 P5 sibling 2 1 P4 X1 ""
member "$pop" 1 P6 grandparent 1 1 "" "" ""
echo "Y43010000001,长沙药房,pharmacy,430100" >>"$pop/institutions.csv"
n=1
for psn in P2 P3 P4 P5 P6; do
    pharmacy_bill "$pop" "T$n" "2025-03-0$n 09:00:00" "$psn" 430100 100.00
    n=$((n + 1))
done

jq '.versions[0].settings.relations = {"payment": ["spouse", "parent", "child"], "contribution": ["spouse", "parent", "child"]}' \
    "$GONGJI_POLICIES/430000-hunan.json" >"$tmp/hunan-direct.json"
simulate "$tmp/report.json" --population "$pop" --policy "$tmp/hunan-direct.json" --policy "$GONGJI_POLICIES"

r=$tmp/report.json
expect_json "$r" '[.policies[].verify]' '["ok","ok"]'
expect_json "$r" '[.policies[].results.totals.mutual_aid_yuan]' '["300.00","500.00"]'
expect_json "$r" '[.policies[].results.totals.bindings]' '[3,5]'
expect_json "$r" '.policies[0].results.refusals.invite' '{"RELATION_NOT_ALLOWED (R2.2)":2}'
expect_json "$r" '.policies[1].results.refusals.invite' '{}'
expect_json "$r" '.differences[0].results.totals.mutual_aid_yuan' '"200.00"'
expect_json "$r" '.differences[0].results.by_relation | [.spouse, .parent, .child] | map(.mutual_aid_yuan)' '["0.00","0.00","0.00"]'
expect_json "$r" '.differences[0].results.by_relation | [.sibling, .grandparent_paternal] | map(.mutual_aid_yuan)' '["100.00","100.00"]'
expect_json "$r" '.differences[0].results.by_relation | to_entries | map(select(.value.mutual_aid_yuan != "0.00")) | map(.key)' '["grandparent_paternal","sibling"]'
expect_json "$r" '.differences[0].results.by_relation.not_bound.cash_yuan' '"-200.00"'
finish
