#!/bin/bash
# test_pool_shares.sh — a resident premium the family pool would pay from too many shares, over
# the REST API (docs/api.md POST /api/v1/premiums, R7.2/R5.1): the Fujian pool of
# tests/scenarios/r7_pool_close_many.json — 25 contributors of 16.20 each, 50 shares of 8.10,
# 405.00 — is set up with the CLI (the same what-if policy version: room for 30 members), then
# the creator pays his mother's 400-yuan 2026 premium through gongjid. It would draw on all 50
# shares, more than one ledger entry holds: 422 POOL_TOO_MANY_SHARES, and nothing moves — the
# database hashes the same, the pool, the creator's account, the entries and premiums are as
# they were, and `gongji verify` passes.
# Usage: test_pool_shares.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2025-10-03 13:00:00"   # national collection window for 2026

cp -r "$GJ_SOURCE_DIR/policies" "$HTTP_DIR/policies"   # + Fujian with room for 30 members
jq '.versions += [{"effective_from": "2025-09-01", "settings": {"network": {"max_members": 30}}}]' \
  "$GJ_SOURCE_DIR/policies/350000-fujian.json" > "$HTTP_DIR/policies/350000-fujian.json"
export GONGJI_POLICIES="$HTTP_DIR/policies"

PD=PF00000101; PM=PF00000102   # 傅军, creator of the network; 傅母, his mother (resident)
CERT_PD=$(resident_id 350102 19790404 653)
{
  people_csv | head -1
  echo "$PD,傅军,01,$CERT_PD,,,350100,310,active,8.10,2008.10,,ECPD,"
  echo "$PM,傅母,01,$(resident_id 350102 19550303 678),,,350100,390,active,,,,ECPM,"
  for i in $(seq -w 1 24); do
    echo "PF000002$i,亲属$i,01,$(resident_id 350102 196001"$i" 1"$i"),,,350100,310,active,8.10,2008.10,,EC2$i,"
  done
} > "$HTTP_DIR/people.csv"
gj import persons "$HTTP_DIR/people.csv"
gj network create "$PD" --commitment --verify face:FPD
gj pool contribute "$PD" --amount 16.20   # 8.10 current, 8.10 prior: two shares
for i in $(seq -w 1 24); do   # temporary members (R3.3), active at once, 16.20 each
  gj bind invite "$PD" "PF000002$i" --relation parent --modes contribution --temporary
  gj pool contribute "$PD" --from "PF000002$i" --amount 16.20
done
gj bind invite "$PD" "$PM" --relation parent --modes contribution --temporary
http_start || exit 1
TPD=$(sign_in "$PD" "$CERT_PD")
[ ${#TPD} -eq 64 ] || http_fail "sign-in: '$TPD'"

# state FILE: what a premium paid from the pool would change, as the creator and the database
# see it.
state() {
  call_as "$TPD" GET "/api/v1/pools/$PD"
  jq -c '[.balance_yuan, (.shares | length), (.statement | length)]' "$HTTP_DIR/body" > "$1"
  call_as "$TPD" GET /api/v1/me
  jq -c .accounts "$HTTP_DIR/body" >> "$1"
  gj_sql "SELECT (SELECT COUNT(*) FROM entry), (SELECT COUNT(*) FROM posting), (SELECT COUNT(*) FROM premium)" >> "$1"
}

expect_call 200 "the pool before the premium" "$TPD" GET "/api/v1/pools/$PD"
expect_json '[.balance_yuan, (.shares | length), ([.shares[].contributor] | unique | length)]' \
  '["405.00", 50, 25]' "50 shares of 8.10 from 25 contributors"
state "$HTTP_DIR/before"
expect_unchanged "a premium drawing on all 50 shares" 422 POOL_TOO_MANY_SHARES "$TPD" POST /api/v1/premiums \
  "{\"member\":\"$PM\",\"year\":2026}"
state "$HTTP_DIR/after"
cmp -s "$HTTP_DIR/before" "$HTTP_DIR/after" ||
  http_fail "refused but something moved: $(diff "$HTTP_DIR/before" "$HTTP_DIR/after" | grep '^[<>]' | tr '\n' ';')"
http_ok "a pool premium over too many shares is refused, nothing moves"

gj verify
http_done
