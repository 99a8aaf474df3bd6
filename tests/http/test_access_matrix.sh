#!/bin/bash
# test_access_matrix.sh — every endpoint × every caller (anonymous, donor, member, invitee,
# unrelated person, clerk, reviewer, auditor, admin) gets exactly the HTTP status written in
# tests/http/access_matrix.tsv; a refused call that would change state changes nothing (the
# database dump hashes the same before and after); an allowed one is undone (the database
# restored, the server restarted) before the next caller tries. Also checks that the matrix lists every route
# of the server's route tables, and that docs/api.md shows the same table.
# Usage: test_access_matrix.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2025-10-10 10:00:00"   # national premium collection window
CALLERS=(anonymous donor member invitee other clerk reviewer auditor admin)

# ---- the matrix covers every route, and docs/api.md shows it ----
[ "$(matrix_routes)" = "$(source_routes)" ] ||
  http_fail "access_matrix.tsv and the route tables differ: $(diff <(matrix_routes) <(source_routes) | grep '^[<>]' | tr '\n' ';')"

# docs_table: the matrix as the Markdown table docs/api.md shows.
docs_table() {
  echo "| method | route | $(IFS='|'; echo "${CALLERS[*]}" | sed 's/|/ | /g') |"
  echo "|---|---|$(printf '%.0s---|' "${CALLERS[@]}")"
  matrix_rows | awk -F'\t' '{ printf "| %s | `%s` |", $1, $2; for (i = 6; i <= 14; i++) printf " %s |", $i; print "" }'
}
sed -n '/<!-- access-matrix:begin -->/,/<!-- access-matrix:end -->/p' "$GJ_SOURCE_DIR/docs/api.md" |
  sed '1d;$d' > "$HTTP_DIR/docs_table"
docs_table | cmp -s - "$HTTP_DIR/docs_table" ||
  http_fail "docs/api.md's access table differs from access_matrix.tsv; it should read:
$(docs_table)"

# ---- fixtures: two families, a pending invitation, a settlement, an application, staff ----
cp -r "$GJ_SOURCE_DIR/policies" "$HTTP_DIR/policies"   # + an exclusive product in Changsha
jq '.versions[-1].settings.commercial = {"products": [{"code": "HUIMINBAO", "name": "惠民保"}]}' \
  "$GJ_SOURCE_DIR/policies/430100-changsha.json" > "$HTTP_DIR/policies/430100-changsha.json"
export GONGJI_POLICIES="$HTTP_DIR/policies"
fixture_people
B1=$(fixture_family "$D" "$M" parent)
gj --json bind invite "$D" "$I" --relation spouse --modes payment
B2=$(jq -r .binding_id "$HTTP_DIR/cli.out")
fixture_family "$O" "$O2" parent > /dev/null
S1=$(pharmacy_call "$M" EC0002 MSG-MATRIX-1)
gj --json --actor OPC apply submit "$D" "$F" --relation parent --modes payment --proof household_register:HR1
A1=$(jq -r .app_id "$HTTP_DIR/cli.out")
fixture_operators
pharmacy_request "$M" EC0002 MSG-MATRIX-2 > "$HTTP_DIR/nhsa.json"
printf 'P0000000008,刘洋,01,%s,,,430100,310,active,100.00,,,,\n' "$(resident_id 430102 19900101 051)" > "$HTTP_DIR/import.csv"
http_start || exit 1

declare -A TOKEN=([anonymous]=-)
TOKEN[donor]=$(sign_in "$D" "$CERT_D")
TOKEN[member]=$(sign_in "$M" "$CERT_M")
TOKEN[invitee]=$(sign_in "$I" "$CERT_I")
TOKEN[other]=$(sign_in "$O" "$CERT_O")
for role in clerk reviewer auditor admin; do TOKEN[$role]=$(staff_login "$role"); done
gj_db_snapshot base
BASE_DIGEST=$(db_digest)

# fill VAR TEXT: VAR = TEXT with @NAME@ replaced by the fixture value of NAME.
fill() {
  local s=$2 name
  for name in D M I O O2 K F B1 B2 S1 A1 PHARMACY CERT_D CERT_K CERT_M STAFF_PASSWORD; do s=${s//@$name@/${!name}}; done
  printf -v "$1" '%s' "$s"
}

# fresh_code: a new verification of the donor and its code, as a token request body.
fresh_code() {
  local vid
  vid=$(req POST /api/v1/auth/verify "{\"psn_no\":\"$D\",\"certno\":\"$CERT_D\"}" | jq -r .verification_id)
  echo "{\"verification_id\":\"$vid\",\"code\":\"$(demo_code "$vid")\"}"
}

# send CALLER METHOD PATH BODY: the request as that caller; status in $STATUS.
send() {
  local path body=$4 args=()
  fill path "$3"
  case $body in
    -) body= ;;
    @file:*) args=(--data-binary @"$HTTP_DIR/${body#@file:}" -H 'Content-Type: application/json'); body= ;;
    @fresh_code@) body=$(fresh_code) ;;
    *) fill body "$body" ;;
  esac
  call_as "${TOKEN[$1]}" "$2" "$path" "$body" "${args[@]}"
}

# restore: back to the base database (an allowed call changed it).
restore() {
  http_stop
  gj_db_restore base || exit 1
  http_start || exit 1
}

# ---- every endpoint × every caller ----
calls=0
while IFS=$'\t' read -r -u 3 method route path body changes statuses; do
  if [ "$route" = /openapi.json ] && [ ! -f "$GJ_SOURCE_DIR/docs/openapi.yaml" ]; then
    echo "skip - $method $route: docs/openapi.yaml not written yet"
    continue
  fi
  read -r -a want <<< "$statuses"
  [ "$changes" = yes ] && before=$(db_digest)
  for i in "${!CALLERS[@]}"; do
    caller=${CALLERS[$i]}
    send "$caller" "$method" "$path" "$body"
    calls=$((calls + 1))
    [ "$STATUS" = "${want[$i]}" ] ||
      http_fail "$method $route as $caller: HTTP $STATUS, expected ${want[$i]}: $(head -c 200 "$HTTP_DIR/body")"
    [ "$changes" = yes ] || continue
    if [[ $STATUS == 2* ]]; then
      restore
      before=$BASE_DIGEST
    elif [ "$(db_digest)" != "$before" ]; then
      http_fail "$method $route as $caller: refused ($STATUS) but the database changed"
    fi
  done
done 3< <(matrix_rows)
http_ok "$calls calls as the matrix says"
http_done
