#!/bin/bash
# test_slow_reads.sh — a GET runs on a reader thread, not on its HTTP thread (server.c suspends
# the connection, readers.c runs it): with a single request thread and every GET held 2 s by
# the tests-only GONGJI_TEST_READ_DELAY_MS, a signed 2207 settlement sent while a GET is in
# progress is answered before that GET (were the GET on the HTTP thread, the settlement would
# wait behind it). Two GETs with one reader both get their answer, the second after the first
# (queued). At SIGTERM (no grace) the GET running is answered 200, the one queued behind it
# 503 STOPPED without waiting its turn, and gongjid exits 0. A staff sign-in's password check
# (PBKDF2) runs on a reader too, before its session is written: a settlement sent during a
# sign-in is answered first, and the sign-in then gets a token that works; a wrong password is
# refused there and writes nothing.
# Usage: test_slow_reads.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2026-03-10 10:00:00"
TS=$(date -d "$GONGJI_NOW" +%s)
DELAY_MS=2000

fixture_people
fixture_family "$D" "$M" parent > /dev/null
fixture_operators
gj --json institution credential "$PHARMACY"
read -r PAASID SECRET < <(jq -r '"\(.paasid) \(.secret)"' "$HTTP_DIR/cli.out")
GONGJI_TEST_READ_DELAY_MS=$DELAY_MS http_start --threads 1 --readers 1 || exit 1

# slow_get N: GET /healthz in the background (answer in get$N.json); its pid in GET_PID.
slow_get() {
  curl -sS -o "$HTTP_DIR/get$1.json" -w '%{http_code}' "$BASE/healthz" > "$HTTP_DIR/get$1.code" &
  GET_PID=$!
}

# started N: wait until gongjid has accepted the GET's connection (the access log is written at
# the answer, so look at the connection instead: the curl process has sent its request when its
# socket is established), at most 1 s.
started() {
  for _ in $(seq 1 100); do
    ss -tnp 2>/dev/null | grep -q "pid=$1," && return 0
    sleep 0.01
  done
  return 1
}

# settle: a signed 2207 of a 30-yuan bill (people.sh); the answer in settle.out.
settle() {
  local call
  settlement_2207 1 30.00 > "$HTTP_DIR/settle.json"
  mapfile -t call < <(signed_call_args "$PAASID" "$SECRET" "$TS" "$HTTP_DIR/settle.json" "$HTTP_DIR/settle.out")
  curl -sS "${call[@]}"
}

# ---- a settlement is answered while a GET is in progress on the same request thread ----
slow_get 1
started "$GET_PID" || http_fail "the GET's connection was not seen"
sleep 0.2   # the request is read and queued to the reader well within this
settle || http_fail "settlement: curl failed"
if kill -0 "$GET_PID" 2>/dev/null; then
  http_ok "a settlement was answered while a ${DELAY_MS}-ms GET was in progress on the only request thread"
else
  http_fail "the settlement was answered only after the GET: the GET held the request thread"
fi
[ "$(jq -r .infcode "$HTTP_DIR/settle.out")" = 0 ] ||
  http_fail "settlement refused: $(head -c 300 "$HTTP_DIR/settle.out")"
wait "$GET_PID"
[ "$(cat "$HTTP_DIR/get1.code")" = 200 ] || http_fail "the slow GET was answered $(cat "$HTTP_DIR/get1.code")"
http_ok "the slow GET was answered 200 after it"

# ---- a staff sign-in's password check runs on the reader, not on the writer ----
# sign_in_bg N PASSWORD: the clerk's sign-in in the background (answer in login$N.json).
sign_in_bg() {
  curl -sS -o "$HTTP_DIR/login$1.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"operator_id\":\"$(staff_id clerk)\",\"password\":\"$2\"}" \
    "$BASE/api/v1/staff/login" > "$HTTP_DIR/login$1.code" &
  GET_PID=$!
}
sign_in_bg 1 "$STAFF_PASSWORD"
started "$GET_PID" || http_fail "the sign-in's connection was not seen"
sleep 0.2
settle || http_fail "settlement during a sign-in: curl failed"
if kill -0 "$GET_PID" 2>/dev/null; then
  http_ok "a settlement was answered while a sign-in's password check waited on the reader"
else
  http_fail "the settlement was answered only after the sign-in: its password check held the writer"
fi
wait "$GET_PID"
[ "$(cat "$HTTP_DIR/login1.code")" = 200 ] || http_fail "the sign-in was answered $(cat "$HTTP_DIR/login1.code")"
TOKEN=$(jq -r .token "$HTTP_DIR/login1.json")
[ "$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
     "$BASE/api/v1/staff/persons/$D")" = 200 ] || http_fail "the token of the checked sign-in does not work"
http_ok "the sign-in checked on the reader then got a working token from the writer"
sessions=$(gj_sql "SELECT COUNT(*) FROM session")
sign_in_bg 2 "not the password"
wait "$GET_PID"
[ "$(cat "$HTTP_DIR/login2.code") $(jq -r .error.code "$HTTP_DIR/login2.json")" = "403 FORBIDDEN" ] ||
  http_fail "a wrong password was answered $(cat "$HTTP_DIR/login2.code")"
[ "$(gj_sql "SELECT COUNT(*) FROM session")" = "$sessions" ] ||
  http_fail "a wrong password opened a session"
http_ok "a wrong password is refused 403 FORBIDDEN on the reader, no session written"

# ---- two GETs, one reader: the second waits in the readers' queue, both are answered ----
t0=$(date +%s%N)
slow_get 2; first=$GET_PID
slow_get 3; second=$GET_PID
wait "$first" "$second"
elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$(cat "$HTTP_DIR/get2.code") $(cat "$HTTP_DIR/get3.code")" = "200 200" ] ||
  http_fail "two GETs with one reader: $(cat "$HTTP_DIR/get2.code") $(cat "$HTTP_DIR/get3.code")"
if [ "$elapsed_ms" -ge $((2 * DELAY_MS)) ]; then
  http_ok "two GETs with one reader are both answered, one after the other ($elapsed_ms ms)"
else
  http_fail "two ${DELAY_MS}-ms GETs on one reader took $elapsed_ms ms: they did not run one after the other"
fi

# ---- SIGTERM, no grace, one GET running and one queued behind it ----
# The running one finishes (200); the queued one is refused at once (503 STOPPED), so the
# shutdown does not wait for a queue of slow reads.
kill -TERM "$HTTP_PID"; wait "$HTTP_PID"; HTTP_PID=
GONGJI_TEST_READ_DELAY_MS=$DELAY_MS http_start --threads 1 --readers 1 --shutdown_grace_s 0 || exit 1
slow_get 4; running=$GET_PID
started "$running" || http_fail "the running GET's connection was not seen"
sleep 0.2
slow_get 5; queued=$GET_PID
started "$queued" || http_fail "the queued GET's connection was not seen"
sleep 0.2
kill -TERM "$HTTP_PID"; wait "$HTTP_PID"; rc=$?; HTTP_PID=
wait "$running" "$queued"
[ "$rc" = 0 ] || http_fail "gongjid exited $rc after SIGTERM with GETs in progress"
codes="$(cat "$HTTP_DIR/get4.code") $(cat "$HTTP_DIR/get5.code") $(jq -r .error.code "$HTTP_DIR/get5.json" 2>/dev/null)"
if [ "$codes" = "200 503 STOPPED" ]; then
  http_ok "at SIGTERM the running GET is answered 200, the queued one 503 STOPPED, gongjid exits 0"
else
  http_fail "at SIGTERM the running GET and the queued one were answered '$codes', expected '200 503 STOPPED'"
fi

gj verify > /dev/null || http_fail "books not balanced: $(cat "$HTTP_DIR/cli.out")"
http_done
