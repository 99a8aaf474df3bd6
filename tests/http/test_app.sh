#!/bin/bash
# test_app.sh — the insured people's API (docs/api.md) against a real gongjid: a donor signs
# in through the demo verifier, creates a network and invites his mother, who signs in and
# accepts (not while staff have frozen the invitation: FROZEN, nothing changed); a pharmacy
# settlement paid from his account shows in both people's records, receipts and
# explanations; he changes limits, pays her premium in the collection window and
# unbinds. Refusals: sign-in claims that do not match (the same answer whether the person
# exists or not), wrong and exhausted codes, bad JSON, wrong types, 3-decimal amounts, unknown
# fields, oversized bodies (413), someone else's binding and another family's receipt (404,
# the same as ones that do not exist), an expired token (401). The log carries no person
# numbers, names or ID numbers.
# Usage: test_app.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2025-10-10 10:00:00"   # national collection window: Sep 1 – Dec 31

fixture_people
fixture_family "$O" "$O2" parent > /dev/null
S_OTHER=$(pharmacy_call "$O2" EC0005 MSG-OTHER-1)
fixture_operators
http_start --token_ttl_s 600 || exit 1

# No person number, ID number or name in the log (the demo code event has only its id).
check_log() {
  grep -E "$D|$M|$CERT_D|$CERT_M|张伟|李秀英" "$HTTP_DIR/server.log" > /dev/null &&
    http_fail "the server log carries a person number, ID number or name"
}

# ---- sign-in ----
BAD_CERT=${CERT_D:0:17}$([ "${CERT_D:17}" = 0 ] && echo 1 || echo 0)
expect_same_refusal "wrong ID number, unknown person" POST /api/v1/auth/verify \
  "{\"psn_no\":\"$D\",\"certno\":\"$BAD_CERT\"}" "{\"psn_no\":\"P0000000999\",\"certno\":\"$CERT_D\"}"
expect_call 400 "verify without certno" - POST /api/v1/auth/verify "{\"psn_no\":\"$D\"}"
expect_json .error.detail '"certno: required"' "verify without certno"

expect_call 200 "verify" - POST /api/v1/auth/verify "{\"psn_no\":\"$D\",\"certno\":\"$CERT_D\"}"
VID=$(jq -r .verification_id "$HTTP_DIR/body")
CODE=$(demo_code "$VID")
[ ${#CODE} -eq 6 ] || http_fail "no 6-digit code logged for $VID"
WRONG=$(printf '%06d' $(( (10#$CODE + 1) % 1000000 )))
for _ in 1 2 3 4 5; do req POST /api/v1/auth/token "{\"verification_id\":\"$VID\",\"code\":\"$WRONG\"}" > /dev/null; done
expect_status 403 "wrong code"
expect_call 403 "right code after 5 wrong attempts" - POST /api/v1/auth/token "{\"verification_id\":\"$VID\",\"code\":\"$CODE\"}"

TD=$(sign_in "$D" "$CERT_D")
[ ${#TD} -eq 64 ] || http_fail "donor token: '$TD'"
expect_call 403 "a used verification again" - POST /api/v1/auth/token "{\"verification_id\":\"$VID\",\"code\":\"$CODE\"}"
http_ok "sign-in"

expect_call 401 "no token" - GET /api/v1/me
expect_call 401 "unknown token" "0000$TD" GET /api/v1/me
expect_call 200 "me" "$TD" GET /api/v1/me
expect_json .psn_no "\"$D\"" "me"
expect_json .accounts.account_total_yuan '"5000.00"' "me balance"
grep -q "$CERT_D" "$HTTP_DIR/body" && http_fail "me shows the full ID number"

# ---- network, invitation, acceptance ----
expect_call 400 "commitment as text" "$TD" POST /api/v1/network '{"commitment":"yes"}'
expect_json .error.detail '"commitment: true or false expected"' "commitment as text"
expect_call 422 "commitment not signed" "$TD" POST /api/v1/network '{"commitment":false}'
expect_call 201 "network create" "$TD" POST /api/v1/network '{"commitment":true}'
expect_call 409 "second network" "$TD" POST /api/v1/network '{"commitment":true}'
expect_sql "SELECT verify_method || ':' || verify_ref FROM network WHERE creator = '$D'" "otp:$(gj_sql "SELECT verification_id FROM verification WHERE used = 1 AND psn_no = '$D'")" \
  "the network does not record the session's verification"

expect_call 400 "3-decimal limit" "$TD" POST /api/v1/bindings "{\"member\":\"$M\",\"relation\":\"parent\",\"modes\":[\"payment\",\"contribution\"],\"limit_yuan\":\"100.125\"}"
expect_json .error.code '"BAD_AMOUNT"' "3-decimal limit"
expect_call 400 "modes as a number" "$TD" POST /api/v1/bindings "{\"member\":\"$M\",\"relation\":\"parent\",\"modes\":7}"
expect_call 400 "member as a list" "$TD" POST /api/v1/bindings "{\"member\":[\"$M\"],\"relation\":\"parent\"}"
expect_json .error.detail '"member: text expected"' "member as a list"
expect_call 400 "unknown field" "$TD" POST /api/v1/bindings "{\"member\":\"$M\",\"relation\":\"parent\",\"limit\":5}"
expect_call 422 "a relation not in the dictionary" "$TD" POST /api/v1/bindings "{\"member\":\"$M\",\"member_certno\":\"$CERT_M\",\"relation\":\"uncle\"}"
expect_json .error.code '"RELATION_NOT_ALLOWED"' "a relation not in the dictionary (as for a wallet transfer)"
# a refusal quoting a field cut inside a Chinese character still answers JSON (fuzz_rest finding)
expect_call 400 "long unknown field" "$TD" POST /api/v1/bindings "{\"$(printf 'a%.0s' {1..63})限额\":5}"
expect_json .error.code '"BAD_FIELD"' "long unknown field"
# The relative is named by person number and ID number: a stranger's number, a wrong ID number
# and a person who does not exist answer the very same 404 before any rule looks at the person —
# nobody learns whether a stranger is insured, funds others or is funded (R6.2).
expect_call 400 "invite without the member's ID number" "$TD" POST /api/v1/bindings "{\"member\":\"$M\",\"relation\":\"parent\"}"
expect_json .error.detail '"member_certno: required"' "invite without the member's ID number"
before=$(db_digest)
expect_call 404 "invite of another family's donor with a guessed ID number" "$TD" POST /api/v1/bindings \
  "{\"member\":\"$O\",\"member_certno\":\"$CERT_M\",\"relation\":\"parent\"}"
cp "$HTTP_DIR/body" "$HTTP_DIR/stranger"
expect_call 404 "invite of a person who does not exist" "$TD" POST /api/v1/bindings \
  "{\"member\":\"P0000000999\",\"member_certno\":\"$CERT_M\",\"relation\":\"parent\"}"
cmp -s "$HTTP_DIR/body" "$HTTP_DIR/stranger" || http_fail "a stranger and a missing person answer differently"
expect_json .error.code '"NOT_FOUND"' "invite of a stranger"
[ "$(db_digest)" = "$before" ] || http_fail "a refused invitation changed the database"
expect_call 201 "invite" "$TD" POST /api/v1/bindings "{\"member\":\"$M\",\"member_certno\":\"$CERT_M\",\"relation\":\"parent\",\"modes\":[\"payment\",\"contribution\"]}"
B=$(jq -r .binding_id "$HTTP_DIR/body")
expect_json .status '"pending"' "invite of an adult"

TM=$(sign_in "$M" "$CERT_M")
call_as "$TM" GET /api/v1/network
expect_json '.as_member[0].status' '"pending"' "member sees the invitation"
expect_json '.as_member[0] | [.donor_name, .member_name]' '["张伟", null]' "the invited member sees who invites her"
call_as "$TD" GET /api/v1/network
expect_json '.as_donor[0].member_name' null "the donor learns no name before the member accepts"
expect_call 403 "donor accepts for the member" "$TD" POST "/api/v1/bindings/$B/accept"
# R9.2: an invitation staff froze cannot be accepted until they unfreeze it
REVIEWER=$(staff_login reviewer)
expect_call 200 "staff freeze the invitation" "$REVIEWER" POST /api/v1/staff/freezes "{\"kind\":\"binding\",\"target\":\"$B\",\"reason\":\"suspected misuse\"}"
before=$(db_digest)
expect_call 422 "accepting a frozen invitation" "$TM" POST "/api/v1/bindings/$B/accept"
expect_json .error.code '"FROZEN"' "accepting a frozen invitation"
[ "$(db_digest)" = "$before" ] || http_fail "a refused acceptance changed the database"
expect_call 200 "staff unfreeze the invitation" "$REVIEWER" POST /api/v1/staff/unfreezes "{\"kind\":\"binding\",\"target\":\"$B\",\"reason\":\"reviewed\"}"
expect_call 200 "accept" "$TM" POST "/api/v1/bindings/$B/accept"
expect_json .status '"active"' "accept"
call_as "$TD" GET /api/v1/network
expect_json '.network_members | length' 1 "network after acceptance"
expect_json '[.as_donor[0].member_name, .network_members[0].donor_name]' '["李秀英", "张伟"]' "names after acceptance"
http_ok "network, invitation, acceptance"

# ---- someone else's binding ----
TO=$(sign_in "$O" "$CERT_O")
DIGEST=$(db_digest)
expect_call 404 "other family unbinds" "$TO" POST "/api/v1/bindings/$B/unbind"
expect_json .error.detail '"binding not found"' "other family unbinds"
expect_call 404 "other family changes the limit" "$TO" PATCH "/api/v1/bindings/$B" '{"limit_yuan":"1.00"}'
expect_call 403 "member changes the donor's limit" "$TM" PATCH "/api/v1/bindings/$B" '{"limit_yuan":"1.00"}'
[ "$(db_digest)" = "$DIGEST" ] || http_fail "a refused change changed the database"
call_as "$TO" GET /api/v1/network
grep -qE '张伟|李秀英' "$HTTP_DIR/body" && http_fail "another family's names in the network answer"

# ---- changes ----
expect_call 200 "set limit" "$TD" PATCH "/api/v1/bindings/$B" '{"limit_yuan":500.5}'
expect_json .limit_yuan '"500.50"' "set limit"
call_as "$TD" PATCH "/api/v1/bindings/$B" '{"limit_yuan":null,"priority":"2"}'
expect_json '[.limit_yuan, .priority]' '[null, 2]' "clear limit, set priority"
expect_call 400 "nothing to change" "$TD" PATCH "/api/v1/bindings/$B" '{}'
expect_call 400 "priority as text" "$TD" PATCH "/api/v1/bindings/$B" '{"priority":"first"}'
expect_json .error.detail '"priority: integer 0..9999 expected"' "priority as text"
expect_call 400 "limit as a boolean" "$TD" PATCH "/api/v1/bindings/$B" '{"limit_yuan":true}'
expect_call 400 "3-decimal limit change" "$TD" PATCH "/api/v1/bindings/$B" '{"limit_yuan":"1.001"}'

# ---- a settlement paid from the donor's account ----
S=$(pharmacy_call "$M" EC0002 MSG-APP-1)
expect_call 200 "donor records" "$TD" GET "/api/v1/records?as=donor"
expect_json "[.uses[] | select(.setl_id == \"$S\") | .from_donor_yuan]" '["250.00"]' "donor sees the use"
call_as "$TM" GET "/api/v1/records?as=member&year=2025&region=430100&med_type=41"
expect_json '[.records[].setl_id]' "[\"$S\"]" "member records with filters"
call_as "$TM" GET "/api/v1/records?year=2024"
expect_json '.records | length' 0 "member records of another year"
expect_call 400 "records as=owner" "$TM" GET "/api/v1/records?as=owner"
expect_call 400 "records with a bad region" "$TM" GET "/api/v1/records?region=43x100"
expect_call 400 "records with an unknown visit type" "$TM" GET "/api/v1/records?med_type=99"
expect_json .error.code '"BAD_CODE"' "records with an unknown visit type"
for who in "$TD" "$TM"; do
  expect_call 200 "receipt" "$who" GET "/api/v1/settlements/$S/receipt"
  expect_json .acct_mulaid_pay '"250.00"' "receipt"
  expect_call 200 "explain" "$who" GET "/api/v1/settlements/$S/explain"
done
expect_call 404 "another family's receipt" "$TO" GET "/api/v1/settlements/$S/receipt"
cp "$HTTP_DIR/body" "$HTTP_DIR/not_yours"
expect_call 404 "a receipt that does not exist" "$TD" GET "/api/v1/settlements/S9999999999/receipt"
cmp -s "$HTTP_DIR/body" "$HTTP_DIR/not_yours" || http_fail "another family's receipt answers differently from a missing one"
expect_call 404 "another family's explanation" "$TD" GET "/api/v1/settlements/$S_OTHER/explain"
# a year is exactly 4 ASCII digits, 2000..2100: strtol's leading space and sign are refused
for y in '%202025' '%2B2025' '2025%20' '02025' '1999' '2101' '20x5'; do
  for path in "/api/v1/records?year=$y" "/api/v1/statement?year=$y"; do
    expect_call 400 "year $y in $path" "$TD" GET "$path"
    expect_json .error.detail '"year: 4 digits, 2000..2100 expected"' "year $y in $path"
  done
done
expect_call 200 "statement" "$TD" GET "/api/v1/statement?year=2025"
expect_json .closing_yuan '"4750.00"' "statement after the purchase"
http_ok "records, receipts, statement"

# ---- contributions ----
expect_call 400 "premium year as text" "$TD" POST /api/v1/premiums "{\"member\":\"$M\",\"year\":\"20x6\"}"
for y in '" 2026"' '"+2026"' '"2026 "' '2026.0' '"02026"'; do
  expect_unchanged "premium year $y" 400 BAD_FIELD "$TD" POST /api/v1/premiums "{\"member\":\"$M\",\"year\":$y}"
done
expect_call 201 "premium" "$TD" POST /api/v1/premiums "{\"member\":\"$M\",\"year\":2026}"
expect_json .amount_yuan '"400.00"' "premium"
# the year filter of the donor's records applies to contributions too (their benefit year)
call_as "$TD" GET "/api/v1/records?as=donor&year=2026"
expect_json '[.contributions[].year]' '[2026]' "contributions of benefit year 2026"
call_as "$TD" GET "/api/v1/records?as=donor&year=2025"
expect_json '[(.uses | length), (.contributions | length)]' '[1, 0]' "records of 2025: the use, no contribution of 2026"
# R9.2: a recovery from the 2025 settlement is listed under the year filter like the use it undoes
expect_call 201 "staff recover part of the use" "$REVIEWER" POST "/api/v1/staff/settlements/$S/recoveries" \
  "{\"donor\":\"$D\",\"amount_yuan\":\"10.00\",\"reason\":\"misuse\"}"
call_as "$TD" GET "/api/v1/records?as=donor&year=2025"
expect_json '[.recoveries[] | [.setl_id, .amount_yuan]]' "[[\"$S\", \"10.00\"]]" "recoveries of 2025"
call_as "$TD" GET "/api/v1/records?as=donor&year=2026"
expect_json '[(.uses | length), (.recoveries | length)]' '[0, 0]' "records of 2026: no use, no recovery of 2025"
call_as "$TD" GET "/api/v1/records?as=donor"
expect_json '.recoveries | length' 1 "every year's recoveries without a year"
expect_call 422 "premium twice" "$TD" POST /api/v1/premiums "{\"member\":\"$M\",\"year\":2026}"
expect_json .error.code '"PREMIUM_ALREADY_PAID"' "premium twice"
expect_call 422 "the member pays from her own (non-existent) binding" "$TM" POST /api/v1/premiums "{\"member\":\"$D\",\"year\":2026}"
expect_call 400 "product with 3 decimals" "$TD" POST /api/v1/products "{\"member\":\"$M\",\"product\":\"HUIMINBAO\",\"amount_yuan\":\"99.999\"}"
expect_call 422 "product not offered in Changsha" "$TD" POST /api/v1/products "{\"member\":\"$M\",\"product\":\"HUIMINBAO\",\"amount_yuan\":99}"
expect_json .error.code '"PRODUCT_NOT_ALLOWED"' "product not offered"
call_as "$TD" GET /api/v1/bindings/history
expect_json "[.bindings[] | select(.binding_id == \"$B\") | .trail[].action]" \
  '["binding.invite","binding.freeze","binding.unfreeze","binding.accept","binding.change","binding.change"]' "authorization history"
http_ok "contributions and history"

# ---- rejecting an invitation, unbinding ----
call_as "$TD" POST /api/v1/bindings "{\"member\":\"$K\",\"member_certno\":\"$CERT_K\",\"relation\":\"child\",\"modes\":\"payment\"}"
BK=$(jq -r .binding_id "$HTTP_DIR/body")
TK=$(sign_in "$K" "$CERT_K")
expect_call 200 "reject" "$TK" POST "/api/v1/bindings/$BK/reject"
expect_json .status '"rejected"' "reject"
call_as "$TD" GET /api/v1/network
expect_json "[.as_donor[] | select(.binding_id == \"$BK\") | .member_name]" '[null]' "a rejected invitation tells no name"
expect_call 200 "unbind (with an empty JSON body, as browsers send it)" "$TD" POST "/api/v1/bindings/$B/unbind" "{}"
expect_json .unbind_effective '"2025-10-11 00:00:00"' "unbind takes effect next day"
http_ok "reject and unbind"

# ---- malformed requests ----
expect_call 400 "bad JSON" "$TD" POST /api/v1/network '{"commitment": tru'
expect_json .error.code '"BAD_JSON"' "bad JSON"
expect_call 400 "a list instead of an object" "$TD" POST /api/v1/network '[true]'
expect_call 400 "no body" "$TD" POST /api/v1/premiums ""
head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' ' ' > "$HTTP_DIR/big"
expect_call 413 "oversized body" "$TD" POST /api/v1/bindings "" --data-binary @"$HTTP_DIR/big" -H 'Content-Type: application/json'
expect_call 405 "method not allowed" "$TD" DELETE "/api/v1/bindings/$B" "" -D "$HTTP_DIR/headers"
expect_json .error.code '"METHOD_NOT_ALLOWED"' "method not allowed"
grep -qi '^Allow: PATCH' "$HTTP_DIR/headers" || http_fail "a 405 without its Allow header: $(tr -d '\r' < "$HTTP_DIR/headers")"
expect_call 405 "GET on a path of POST only" "$TD" GET /api/v1/bindings/$B/accept "" -D "$HTTP_DIR/headers"
grep -qi '^Allow: POST' "$HTTP_DIR/headers" || http_fail "a 405 without its Allow header: $(tr -d '\r' < "$HTTP_DIR/headers")"
# the other limits docs/api.md's status table names: nesting (413) and the path's length (414)
expect_call 413 "JSON nested 33 deep" "$TD" POST /api/v1/network "$(printf '[%.0s' {1..33})$(printf ']%.0s' {1..33})"
expect_json .error.code '"TOO_LARGE"' "JSON nested 33 deep"
expect_call 414 "a path of 513 bytes" "$TD" GET "/api/v1/settlements/$(printf 'S%.0s' {1..485})/receipt"
expect_json .error.code '"TOO_LARGE"' "a path of 513 bytes"
# ~1000 query parameters exhausted libmicrohttpd's connection memory: the client got an empty
# reply (curl exit 52). More than 32 are refused with an answer; 32 are served.
QUERY_1000=$(seq -f 'a%g=1' 1 1000 | paste -sd '&')
expect_call 414 "1000 query parameters" "$TD" GET "/api/v1/me?$QUERY_1000"
expect_json '[.error.code, .error.detail]' '["TOO_LARGE", "query: more than 32 parameters"]' "1000 query parameters"
expect_call 414 "5000 empty query parameters" "$TD" GET "/api/v1/me?$(printf '&%.0s' {1..5000})"
expect_call 200 "32 query parameters" "$TD" GET "/api/v1/me?$(seq -f 'a%g=1' 1 32 | paste -sd '&')"
http_ok "malformed requests"

# ---- an expired token ----
check_log
http_stop
GONGJI_NOW="2025-10-10 10:11:00" http_start --token_ttl_s 600 || exit 1
expect_call 401 "expired token" "$TD" GET /api/v1/me
expect_json .error.detail '"unknown or expired token: sign in again"' "expired token"
TD=$(sign_in "$D" "$CERT_D")
expect_call 200 "a new token" "$TD" GET /api/v1/me
http_ok "token expiry"

check_log
gj verify

# ---- a store failure: its code and a generic detail to the client, the text to the log ----
gj_sql "DROP TABLE remote_care" > /dev/null || http_fail "dropping a table to provoke a store error"
expect_call 500 "a read that hits a store error" "$TD" GET /api/v1/remote-care
expect_json '[.error.code, .error.detail]' '["STORE", "a database error; its text is in the server'"'"'s log only"]' "a store error"
grep -qi 'remote_care' "$HTTP_DIR/body" && http_fail "the database's message reached the client: $(cat "$HTTP_DIR/body")"
grep '"event":"store_error"' "$HTTP_DIR/server.log" | grep -q 'code=STORE' ||
  http_fail "the store error is not in the server log"
check_log
http_done
