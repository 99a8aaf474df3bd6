#!/bin/bash
# test_staff.sh — the agency staff API (docs/api.md) against a real gongjid: operators sign in
# (a wrong id and a wrong password get the same answer), and every staff endpoint is called
# with a role that may use it and with one that may not (403, nothing changed): person
# lookup, CSV import (all or nothing, the bad line named, text that is not UTF-8 refused),
# status changes, offline applications and their review, institutions and credentials,
# reconciliation, policies, operators, verify, settlement explanations. A person's token opens no staff endpoint.
# Usage: test_staff.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2025-10-10 10:00:00"

fixture_people
fixture_family "$D" "$M" parent > /dev/null
S=$(pharmacy_call "$M" EC0002 MSG-STAFF-1)
fixture_operators
http_start || exit 1

# expect_refused TOKEN METHOD PATH [BODY]: 403 and the database unchanged.
expect_refused() {
  local before
  before=$(db_digest)
  expect_call 403 "$2 $3 by a role that may not" "$@"
  [ "$(db_digest)" = "$before" ] || http_fail "$2 $3: a refused call changed the database"
}

# ---- sign-in ----
expect_same_refusal "wrong password, unknown operator" POST /api/v1/staff/login \
  '{"operator_id":"OPC","password":"wrong password"}' "{\"operator_id\":\"NOBODY\",\"password\":\"$STAFF_PASSWORD\"}"
expect_call 400 "login without password" - POST /api/v1/staff/login '{"operator_id":"OPC"}'
expect_call 200 "login" - POST /api/v1/staff/login "{\"operator_id\":\"OPC\",\"password\":\"$STAFF_PASSWORD\"}"
expect_json .role '"clerk"' "login"
CLERK=$(staff_login clerk) REVIEWER=$(staff_login reviewer) AUDITOR=$(staff_login auditor) ADMIN=$(staff_login admin)
PERSON=$(sign_in "$D" "$CERT_D")
grep -q "$STAFF_PASSWORD" "$HTTP_DIR/server.log" && http_fail "a password in the log"
expect_sql "SELECT COUNT(*) FROM session WHERE token_hash = '$CLERK'" 0 \
  "a token stored in clear"
http_ok "staff sign-in"

# ---- people ----
expect_call 200 "clerk looks a person up" "$CLERK" GET "/api/v1/staff/persons/$M"
expect_json .insutype '"390"' "person lookup"
expect_call 404 "unknown person" "$AUDITOR" GET /api/v1/staff/persons/P0000000999
expect_refused "$PERSON" GET "/api/v1/staff/persons/$M"

NEW_ID=$(resident_id 430102 19900101 051)
printf 'psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,prior_yuan,card_yuan,ecert_no,card_no\nP0000000008,刘洋,01,%s,,,430100,310,active,100.00,,,,\n' "$NEW_ID" > "$HTTP_DIR/new.csv"
printf 'P0000000009,孙丽,01,%s,,,430100,310,active,,,,,\nP0000000010,周杰,01,123,,,430100,310,active,,,,,\n' "$(resident_id 430102 19910101 062)" > "$HTTP_DIR/bad.csv"
expect_refused "$CLERK" POST /api/v1/staff/persons/import "" --data-binary @"$HTTP_DIR/new.csv" -H 'Content-Type: text/csv'
DIGEST=$(db_digest)
expect_call 400 "import with a bad line" "$ADMIN" POST /api/v1/staff/persons/import "" --data-binary @"$HTTP_DIR/bad.csv" -H 'Content-Type: text/csv'
jq -e '.error.detail | startswith("line 2: BAD_ID_NUMBER")' "$HTTP_DIR/body" > /dev/null ||
  http_fail "import names the bad line: $(cat "$HTTP_DIR/body")"
[ "$(db_digest)" = "$DIGEST" ] || http_fail "a failed import changed the database"
# a name that is not UTF-8 is refused: stored, it would break every JSON answer naming the person
printf 'P0000000009,\xff\xfe,01,%s,,,430100,310,active,,,,,\n' "$(resident_id 430102 19910101 062)" > "$HTTP_DIR/latin.csv"
expect_call 400 "import of a name that is not UTF-8" "$ADMIN" POST /api/v1/staff/persons/import "" --data-binary @"$HTTP_DIR/latin.csv" -H 'Content-Type: text/csv'
expect_json .error.detail '"line 1: BAD_FIELD: name: not UTF-8"' "import of a name that is not UTF-8"
[ "$(db_digest)" = "$DIGEST" ] || http_fail "an import of a name that is not UTF-8 changed the database"
expect_call 404 "the person with a name that is not UTF-8 is not there" "$CLERK" GET /api/v1/staff/persons/P0000000009
expect_call 200 "import" "$ADMIN" POST /api/v1/staff/persons/import "" --data-binary @"$HTTP_DIR/new.csv" -H 'Content-Type: text/csv'
expect_json .imported 1 "import"
expect_call 400 "import without a body" "$ADMIN" POST /api/v1/staff/persons/import

expect_refused "$REVIEWER" PUT /api/v1/staff/persons/P0000000008/status '{"status":"suspended"}'
expect_call 400 "unknown status" "$ADMIN" PUT /api/v1/staff/persons/P0000000008/status '{"status":"paused"}'
expect_call 200 "status change" "$ADMIN" PUT /api/v1/staff/persons/P0000000008/status '{"status":"suspended"}'
expect_sql "SELECT actor || '/' || channel FROM journal WHERE action = 'person.status'" "OPM/window" \
  "the status change is not attributed to the administrator"
http_ok "people"

# ---- offline applications ----
APPLY="{\"donor\":\"$D\",\"member\":\"$F\",\"relation\":\"parent\",\"modes\":\"payment\",\"proof\":\"household_register:HR1\"}"
expect_refused "$REVIEWER" POST /api/v1/staff/applications "$APPLY"
expect_call 400 "application without proof" "$CLERK" POST /api/v1/staff/applications "{\"donor\":\"$D\",\"member\":\"$F\",\"relation\":\"parent\"}"
expect_call 201 "application" "$CLERK" POST /api/v1/staff/applications "$APPLY"
APP=$(jq -r .app_id "$HTTP_DIR/body")
for token in "$CLERK" "$REVIEWER"; do
  call_as "$token" GET "/api/v1/staff/applications?status=submitted"
  expect_json '[.applications[].app_id]' "[\"$APP\"]" "list of submitted applications"
done
expect_refused "$AUDITOR" GET /api/v1/staff/applications
expect_call 400 "list with an unknown status" "$CLERK" GET "/api/v1/staff/applications?status=lost"
expect_refused "$CLERK" POST "/api/v1/staff/applications/$APP/review" '{"approve":true}'
expect_call 400 "approve as text" "$REVIEWER" POST "/api/v1/staff/applications/$APP/review" '{"approve":"yes"}'
expect_call 400 "rejection without a reason" "$REVIEWER" POST "/api/v1/staff/applications/$APP/review" '{"approve":false}'
expect_call 200 "review" "$REVIEWER" POST "/api/v1/staff/applications/$APP/review" '{"approve":true,"reason":"documents checked"}'
expect_call 422 "review twice" "$REVIEWER" POST "/api/v1/staff/applications/$APP/review" '{"approve":false,"reason":"late"}'
expect_json .error.code '"APPLICATION_STATE"' "review twice"
expect_sql "SELECT status || '/' || channel FROM binding WHERE member = '$F'" "active/window" \
  "approval did not create an active window binding"
http_ok "offline applications"

# ---- institutions ----
INST='{"code":"H43010000002","name":"长沙第二药房","kind":"pharmacy","admdvs":"430100"}'
expect_refused "$AUDITOR" POST /api/v1/staff/institutions "$INST"
expect_call 201 "institution" "$ADMIN" POST /api/v1/staff/institutions "$INST"
expect_call 409 "institution twice" "$ADMIN" POST /api/v1/staff/institutions "$INST"
expect_call 400 "institution of an unknown kind" "$ADMIN" POST /api/v1/staff/institutions '{"code":"H43010000003","name":"x","kind":"clinic","admdvs":"430100"}'
BEFORE=$(db_digest)
# fixmedins_code: exactly 12 ASCII letters or digits — not short, long, or with a quote, '/' or a space
for code in H4301 H430100000099 'H4301000000\"9' H4301/000009 'H43010 00009'; do
  expect_call 400 "institution code $code" "$ADMIN" POST /api/v1/staff/institutions "{\"code\":\"$code\",\"name\":\"x\",\"kind\":\"pharmacy\",\"admdvs\":\"430100\"}"
  expect_json .error.code '"BAD_FIELD"' "institution code $code"
done
[ "$BEFORE" = "$(db_digest)" ] || http_fail "a refused institution code changed the database"
expect_refused "$CLERK" POST /api/v1/staff/institutions/H43010000002/credentials
expect_call 201 "credential" "$ADMIN" POST /api/v1/staff/institutions/H43010000002/credentials
jq -e '.paasid and .secret' "$HTTP_DIR/body" > /dev/null || http_fail "credential without paasid and secret"
# A write whose {code} is not UTF-8 once decoded is refused before its handler (on PostgreSQL
# the store refused such text with an error: 503 STORE, failing the writes batched with it).
expect_unchanged "credential of the code %FF%FE" 400 BAD_FIELD "$ADMIN" POST /api/v1/staff/institutions/%FF%FE/credentials
http_ok "institutions"

# ---- reconciliation, policies, verify, explanations ----
for path in totals details; do
  expect_refused "$CLERK" GET "/api/v1/staff/recon/$PHARMACY/$path?from=2025-10-10"
  for token in "$AUDITOR" "$ADMIN"; do
    expect_call 200 "recon $path" "$token" GET "/api/v1/staff/recon/$PHARMACY/$path?from=2025-10-01&to=2025-10-31"
  done
  expect_call 400 "recon $path without from" "$AUDITOR" GET "/api/v1/staff/recon/$PHARMACY/$path"
  # a `to` before 1970 is a date like any other (it once stood for "no to": days since 1970)
  expect_call 400 "recon $path to 1969, before from" "$AUDITOR" GET "/api/v1/staff/recon/$PHARMACY/$path?from=2025-10-10&to=1969-12-31"
  expect_json .error.code '"BAD_DATE"' "recon $path to 1969, before from"
  expect_call 413 "recon $path over 70 years before 1970" "$AUDITOR" GET "/api/v1/staff/recon/$PHARMACY/$path?from=1900-01-01&to=1969-12-31"
  expect_call 413 "recon $path over 366 days" "$AUDITOR" GET "/api/v1/staff/recon/$PHARMACY/$path?from=2024-10-08&to=2025-10-10"
  expect_json .error.code '"TOO_LARGE"' "recon $path over 366 days"
  # the boundary, both ends included: 2024-10-10..2025-10-10 is 366 days, one day earlier 367
  expect_call 200 "recon $path of 366 days" "$AUDITOR" GET "/api/v1/staff/recon/$PHARMACY/$path?from=2024-10-10&to=2025-10-10"
  expect_call 413 "recon $path of 367 days" "$AUDITOR" GET "/api/v1/staff/recon/$PHARMACY/$path?from=2024-10-09&to=2025-10-10"
done
# a code that is not UTF-8 (%FF%FE, decoded by the server): refused, not a report that cannot be written
expect_call 400 "recon of a code that is not UTF-8" "$AUDITOR" GET "/api/v1/staff/recon/%FF%FE/totals?from=2025-10-10"
expect_json .error.code '"BAD_FIELD"' "recon of a code that is not UTF-8"
for path in totals details; do   # an unknown institution has no report (was: 200 with zeros)
  expect_call 404 "recon $path of an unknown institution" "$AUDITOR" GET "/api/v1/staff/recon/H99999999999/$path?from=2025-10-10"
  expect_json .error.code '"NOT_FOUND"' "recon $path of an unknown institution"
done
call_as "$AUDITOR" GET "/api/v1/staff/recon/$PHARMACY/totals?from=2025-10-10"
jq -e '[.. | .acct_mulaid_pay? // empty] | index("250.00")' "$HTTP_DIR/body" > /dev/null ||
  http_fail "recon totals lack the mutual-aid amount: $(head -c 300 "$HTTP_DIR/body")"

for token in "$CLERK" "$REVIEWER" "$AUDITOR" "$ADMIN"; do
  call_as "$token" GET /api/v1/staff/policies
  expect_json '[.policies[].region] | index("430100") != null' true "policy list"
done
call_as "$CLERK" GET "/api/v1/staff/policies/430100?on=2025-10-10"
expect_json .version_id '"000000@2021-04-22+430000@2024-09-01+430100@2024-09-01"' "policy in force"
expect_call 400 "policy on a bad date" "$CLERK" GET "/api/v1/staff/policies/430100?on=2025-02-30"
# before any version: a well-formed question with no answer, 404 (not BAD_POLICY, a broken file)
expect_call 404 "policy before any version" "$CLERK" GET "/api/v1/staff/policies/430100?on=1900-01-01"
expect_json '[.error.code, .error.detail]' '["NOT_FOUND", "no policy in force for 430100 on 1900-01-01"]' "policy before any version"
expect_call 400 "policy of a region that is not one" "$CLERK" GET "/api/v1/staff/policies/990100?on=2025-10-10"
expect_json .error.code '"BAD_ADMDVS"' "policy of a region that is not one"
expect_refused "$PERSON" GET /api/v1/staff/policies

expect_refused "$REVIEWER" GET /api/v1/staff/verify
expect_call 200 "verify" "$AUDITOR" GET /api/v1/staff/verify

expect_refused "$CLERK" GET "/api/v1/staff/settlements/$S/explain"
expect_call 200 "explain" "$REVIEWER" GET "/api/v1/staff/settlements/$S/explain"
expect_json .psn_no "\"$M\"" "explain"
http_ok "reconciliation, policies, verify, explanations"

# ---- operators ----
NEW_OP='{"operator_id":"OPC2","name":"新柜员","role":"clerk","password":"another long one"}'
expect_refused "$CLERK" POST /api/v1/staff/operators "$NEW_OP"
expect_call 400 "short password" "$ADMIN" POST /api/v1/staff/operators '{"operator_id":"OPC3","name":"x","role":"clerk","password":"short"}'
expect_call 400 "unknown role" "$ADMIN" POST /api/v1/staff/operators '{"operator_id":"OPC3","name":"x","role":"root","password":"long enough"}'
expect_call 201 "operator" "$ADMIN" POST /api/v1/staff/operators "$NEW_OP"
jq -e 'has("password") or has("password_hash") | not' "$HTTP_DIR/body" > /dev/null || http_fail "operator answer shows the password"
req POST /api/v1/staff/login '{"operator_id":"OPC2","password":"another long one"}' > /dev/null
expect_json .role '"clerk"' "the new operator signs in"
expect_sql "SELECT actor FROM journal WHERE action = 'operator.add' AND subject = 'OPC2'" OPM \
  "operator creation not journaled with the administrator"
http_ok "operators"

gj verify
http_done
