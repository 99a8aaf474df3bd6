#!/bin/bash
# test_limits.sh — abuse is refused cleanly and the server keeps serving others. gongjid runs with
# 8 connections and a 2-second idle timeout; during each attack a normal client (gj_load) gets a
# few signed settlements through: oversized bodies (413 TOO_LARGE, national and REST), deeply
# nested JSON (refused naming the nesting limit), huge arrays (refused as a bad field), slow
# clients holding partial headers or a partial body (closed by the server after the idle
# timeout), and three times as many idle connections as allowed (others wait, then are served).
# At the end the same server process is still up and the books check as in the crash test.
# Usage: test_limits.sh GONGJI GONGJID GJ_LOAD
. "$(dirname "$0")/lib.sh"
rel_setup "$1" "$2" "$3"
MAX_CONNECTIONS=8
crowd 1 1
rel_start --max_connections "$MAX_CONNECTIONS" --connection_timeout_s 2 || exit 1
START=$(personal_total)
SERVER=$HTTP_PID
PHASE=0

# normal_client: three more settlements by a normal client; all must be answered.
normal_client() {
  PHASE=$((PHASE + 1))
  plan_member "$PHASE" 1 0 3 > "$HTTP_DIR/plan.$PHASE"
  GJ_LOAD_GIVE_UP_S=60 "$GJ_LOAD" "$HTTP_DIR/addr" "$HTTP_DIR/plan.$PHASE" "$HTTP_DIR/answers.$PHASE" \
    "$HTTP_DIR/attempts.$PHASE" 2> "$HTTP_DIR/load.err" || http_fail "phase $PHASE: the normal client was not served: $(cat "$HTTP_DIR/load.err")"
}
# attack NAME rest|nhsa FILE: POST FILE to REST /api/v1/auth/verify or, signed, to the national
# interface; the answer in $HTTP_DIR/NAME, the HTTP status in $HTTP_DIR/NAME.status.
attack() {
  local args=(-sS -o "$HTTP_DIR/$1" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary @"$3")
  if [ "$2" = nhsa ]; then
    mapfile -t H < <(tif_headers "$PAAS" "$SECRET" "$REL_TS")
    curl "${args[@]}" "${H[@]}" "$BASE/fsi/api/callService" > "$HTTP_DIR/$1.status"
  else
    curl "${args[@]}" "$BASE/api/v1/auth/verify" > "$HTTP_DIR/$1.status"
  fi
}
# expect_answer NAME WANT_STATUS JQ WANT: the answer to attack NAME.
expect_answer() {
  local got
  got=$(cat "$HTTP_DIR/$1.status")
  [ "$got" = "$2" ] || http_fail "$1: HTTP $got, expected $2"
  jq -e --argjson v "$4" "($3) == \$v" "$HTTP_DIR/$1" > /dev/null 2>&1 || http_fail "$1: $(head -c 200 "$HTTP_DIR/$1")"
}

# ---- oversized bodies, four at once, during normal traffic ----
head -c $((3 << 20)) /dev/zero | tr '\0' ' ' > "$HTTP_DIR/big"
ATTACKS=()
for i in 1 2; do
  attack "big_nhsa$i" nhsa "$HTTP_DIR/big" & ATTACKS+=($!)
  attack "big_rest$i" rest "$HTTP_DIR/big" & ATTACKS+=($!)
done
normal_client
wait "${ATTACKS[@]}"
for i in 1 2; do
  expect_answer "big_nhsa$i" 413 .error.code '"TOO_LARGE"'
  expect_answer "big_rest$i" 413 .error.code '"TOO_LARGE"'
done
http_ok "3 MiB bodies: 413 TOO_LARGE (national and REST), others served meanwhile"

# ---- deep JSON and huge arrays, during normal traffic ----
python3 -c "print('[' * 200000 + ']' * 200000)" > "$HTTP_DIR/deep"
python3 -c "print('{\"psn_no\": [' + ','.join(['{}'] * 300000) + ']}')" > "$HTTP_DIR/array"
python3 -c "print('{\"infno\":\"2207\",\"msgid\":\"x\",\"fixmedins_code\":\"$PHARMACY\",\"input\":{\"data\":' + '{\"a\":' * 100000 + '1' + '}' * 100000 + '}}')" > "$HTTP_DIR/deep_nhsa"
python3 -c "print('{\"infno\":\"2207\",\"msgid\":\"${PHARMACY}2025101010990000001\",\"fixmedins_code\":\"$PHARMACY\",\"input\":{\"data\":{\"psn_no\":[' + ','.join(['1'] * 300000) + ']}}}')" > "$HTTP_DIR/array_nhsa"
ATTACKS=()
attack deep_rest rest "$HTTP_DIR/deep" & ATTACKS+=($!)
attack deep_nhsa nhsa "$HTTP_DIR/deep_nhsa" & ATTACKS+=($!)
attack array_rest rest "$HTTP_DIR/array" & ATTACKS+=($!)
attack array_nhsa nhsa "$HTTP_DIR/array_nhsa" & ATTACKS+=($!)
normal_client
wait "${ATTACKS[@]}"
expect_answer deep_rest 413 .error.detail '"JSON nested deeper than 32"'
expect_answer deep_nhsa 200 '[.infcode, .err_code]' '[-1, "TOO_LARGE"]'
expect_answer array_rest 400 .error.code '"BAD_FIELD"'
expect_answer array_nhsa 200 .infcode -1
http_ok "nesting 200000 deep and arrays of 300000 elements: refused cleanly, others served meanwhile"

# ---- slow clients: partial headers, partial body, held beyond the idle timeout ----
PORT=${BASE##*:}
exec 5<>"/dev/tcp/127.0.0.1/$PORT" 6<>"/dev/tcp/127.0.0.1/$PORT"
printf 'POST /api/v1/auth/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' >&5
printf 'POST /api/v1/auth/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"psn' >&6
normal_client
for fd in 5 6; do
  timeout 60 cat <&$fd > /dev/null
  [ $? = 124 ] && http_fail "a slow client (fd $fd) was still connected after 60 s (idle timeout 2 s)"
  exec {fd}>&-
done
http_ok "slow clients (partial headers, partial body) disconnected by the server; others served meanwhile"

# ---- three times as many idle connections as allowed ----
FLOOD=()
for _ in $(seq 1 $((3 * MAX_CONNECTIONS))); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$PORT" && FLOOD+=("$fd")
done
normal_client
for fd in "${FLOOD[@]}"; do exec {fd}>&-; done
[ "$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] || http_fail "healthz after the connection flood"
http_ok "${#FLOOD[@]} idle connections (limit $MAX_CONNECTIONS): the normal client still served"

kill -0 "$SERVER" 2>/dev/null && [ "$HTTP_PID" = "$SERVER" ] || http_fail "gongjid did not survive"
grep -q '"event":"listening"' "$HTTP_DIR/server.log" && ! grep -qiE 'assert|sanitizer|runtime error' "$HTTP_DIR/server.log" ||
  http_fail "server log: $(grep -iE 'assert|sanitizer|runtime error' "$HTTP_DIR/server.log" | head -3)"
http_stop
answers_tsv "$HTTP_DIR"/answers.* > "$HTTP_DIR/answers.tsv"
cat "$HTTP_DIR"/attempts.* > "$HTTP_DIR/attempts"
check_books "$HTTP_DIR/answers.tsv" "$HTTP_DIR/attempts" "$START"
http_done
