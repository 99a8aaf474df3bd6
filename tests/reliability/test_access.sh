#!/bin/bash
# test_access.sh — what people and logs may not learn. (1) A signed-in donor asking about another
# family's data (settlement receipt and explanation, premium for their member) gets the very
# same answer — status and body — as for data that does not exist; their bindings are refused
# without naming anyone. (2) The HTTP tests test_app.sh and test_staff.sh (with GJ_LOG_CHECK_ALL=1 also
# test_nhsa.sh and test_access_matrix.sh) run with gongjid and gongji wrapped so every server
# log and all CLI output is kept; together with this test's own run (national settlements
# carrying ID numbers, sign-ins, premiums) it must contain no unmasked 18-digit ID number, no
# card number, and — in the server logs — no seeded person's name.
# Usage: test_access.sh GONGJI GONGJID GJ_LOAD   (env GJ_SOURCE_DIR; GJ_LOG_CHECK_ALL=1)
. "$(dirname "$0")/lib.sh"
rel_setup "$1" "$2" "$3"
LOGS="$HTTP_DIR/logs"
CLI_OUT="$HTTP_DIR/cli_output"
mkdir -p "$LOGS"

# Wrappers: gongjid's log is kept when it stops; gongji's output (both streams) is kept.
cat > "$HTTP_DIR/gongjid" <<EOF
#!/bin/bash
"$GONGJID" "\$@" & child=\$!
trap 'kill -TERM \$child' TERM INT
while kill -0 \$child 2>/dev/null; do wait \$child; rc=\$?; done
cat "/proc/\$\$/fd/1" > "$LOGS/server.\$\$"
exit \$rc
EOF
cat > "$HTTP_DIR/gongji" <<EOF
#!/bin/bash
out=\$(mktemp) err=\$(mktemp)
"$GONGJI" "\$@" > "\$out" 2> "\$err"; rc=\$?
cat "\$out"; cat "\$err" >&2
cat "\$out" "\$err" >> "$CLI_OUT"
rm -f "\$out" "\$err"
exit \$rc
EOF
chmod +x "$HTTP_DIR/gongjid" "$HTTP_DIR/gongji"

# ---- (1) another family's data answers like data that does not exist ----
GONGJI="$HTTP_DIR/gongji" GONGJID="$HTTP_DIR/gongjid"
crowd 2 2
rel_start || exit 1
T1=$(sign_in "$(crowd_donor 1)" "$(crowd_donor_cert 1)")
plan_member 1 2 0 1 > "$HTTP_DIR/plan"   # a settlement of family 2
"$GJ_LOAD" "$HTTP_DIR/addr" "$HTTP_DIR/plan" "$HTTP_DIR/answers" "$HTTP_DIR/attempts" || http_fail "settlement"
S2=$(answers_tsv "$HTTP_DIR/answers" | cut -f6 | head -1)
B2=$(sqlite3 "$GONGJI_DB" "SELECT binding_id FROM binding WHERE donor = '$(crowd_donor 2)' LIMIT 1")
[ -n "$S2" ] && [ -n "$B2" ] || http_fail "fixtures: settlement '$S2', binding '$B2'"

# same_answer LABEL METHOD PATH_OTHER PATH_NONE [BODY_OTHER BODY_NONE]: the donor of family 1
# gets identical status and body for family 2's data and for nothing.
same_answer() {
  call_as "$T1" "$2" "$3" "${5:-}"
  local first="$STATUS $(cat "$HTTP_DIR/body")"
  call_as "$T1" "$2" "$4" "${6:-}"
  local second="$STATUS $(cat "$HTTP_DIR/body")"
  [ "$first" = "$second" ] || http_fail "$1: another family's: '$first'; nonexistent: '$second'"
  [ "${first%% *}" -ge 400 ] || http_fail "$1: another family's data answered: $first"
}
same_answer "receipt" GET "/api/v1/settlements/$S2/receipt" /api/v1/settlements/S0000000000/receipt
same_answer "explanation" GET "/api/v1/settlements/$S2/explain" /api/v1/settlements/S0000000000/explain
# Someone else's binding is refused without a word of its people (403 "not your binding"; a
# nonexistent one is 404 — binding ids are sequential, so this reveals only that the id is used:
# docs/reliability.md, pending).
for action in accept reject unbind; do
  call_as "$T1" POST "/api/v1/bindings/$B2/$action" '{}'
  expect_status 403 "another family's binding: $action"
  grep -qE "$(crowd_donor 2)|$(crowd_member 2 0)|捐助人|家属" "$HTTP_DIR/body" && http_fail "binding $action reveals: $(cat "$HTTP_DIR/body")"
done
same_answer "premium" POST /api/v1/premiums /api/v1/premiums \
  "{\"member\":\"$(crowd_member 2 0)\",\"year\":$REL_YEAR}" "{\"member\":\"P2999999999\",\"year\":$REL_YEAR}"
http_ok "another family's settlement and member answer exactly like nonexistent ones; bindings refused"
http_stop

# ---- (2) logs of full runs ----
for t in test_app test_staff ${GJ_LOG_CHECK_ALL:+test_nhsa test_access_matrix}; do
  "$REL_DIR/../http/$t.sh" "$HTTP_DIR/gongji" "$HTTP_DIR/gongjid" > "$HTTP_DIR/$t.out" 2>&1 ||
    http_fail "$t failed under the wrappers: $(tail -5 "$HTTP_DIR/$t.out")"
done
[ "$(ls "$LOGS" | wc -l)" -ge 3 ] && [ -s "$CLI_OUT" ] || http_fail "no logs were kept: $(ls "$LOGS")"
# an 18-character resident ID (region, birth date, sequence, check) not inside a longer number
ID_RE='(^|[^0-9A-Za-z])[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]([^0-9A-Za-z]|$)'
people_csv | cut -d, -f2 | tail -n +2 >> "$HTTP_DIR/names"
if grep -hEo "$ID_RE|CARD[0-9]+" "$LOGS"/* "$CLI_OUT" > "$HTTP_DIR/found"; then
  http_fail "unmasked ID or card numbers in logs or CLI output: $(sort -u "$HTTP_DIR/found" | head -5 | tr '\n' ' ')"
fi
if grep -hoFf "$HTTP_DIR/names" "$LOGS"/* > "$HTTP_DIR/found"; then
  http_fail "names in the server logs: $(sort -u "$HTTP_DIR/found" | head -5 | tr '\n' ' ')"
fi
http_ok "$(cat "$LOGS"/* | wc -l) server log lines and $(wc -l < "$CLI_OUT") lines of CLI output: no ID number, card number or (server) name"
http_done
