#!/bin/bash
# test_shutdown.sh — `gongjid --help` documents every setting of docs/operations.md and every
# environment variable it reads; SIGTERM lets a request in flight finish (a slowly uploaded
# body still gets its complete answer), refuses new connections, and gongjid exits 0 with the
# "stopped" event.
# Usage: test_shutdown.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
http_setup "$1" "$2"
UPLOAD_BYTES=60000 UPLOAD_RATE=20000     # a body that takes about 3 s to arrive

# ---- --help ----
"$GONGJID" --help > "$HTTP_DIR/help" || http_fail "gongjid --help exits non-zero"
settings=$(sed -n '/^| key | default/,/^$/p' "$GJ_SOURCE_DIR/docs/operations.md" | grep -o '^| `[a-z_]*`' | tr -d '|` ')
[ "$(echo "$settings" | wc -w)" -ge 10 ] || http_fail "docs/operations.md lists too few settings"
for key in $settings; do
  grep -q -- "--$key\b" "$HTTP_DIR/help" || http_fail "gongjid --help lacks --$key"
done
for var in $(grep -oh 'getenv("[A-Z_]*")' "$GJ_SOURCE_DIR"/src/http/*.c | cut -d'"' -f2 | sort -u); do
  grep -q "$var" "$HTTP_DIR/help" || http_fail "gongjid --help lacks the environment variable $var"
done
http_ok "--help documents $(echo "$settings" | wc -w) settings and the environment"

# ---- SIGTERM with a request in flight ----
"$GONGJI" import persons /dev/null > /dev/null 2>&1   # create the database
http_start || exit 1
{ printf '{"operator_id": "NOBODY", "password": "wrong password"'
  head -c "$UPLOAD_BYTES" /dev/zero | tr '\0' ' '
  printf '}'; } > "$HTTP_DIR/slow.json"
curl -sS -o "$HTTP_DIR/slow.out" -w '%{http_code}' --limit-rate "$UPLOAD_RATE" \
  -H 'Content-Type: application/json' --data-binary @"$HTTP_DIR/slow.json" \
  "$BASE/api/v1/staff/login" > "$HTTP_DIR/slow.status" 2> "$HTTP_DIR/slow.err" &
CURL=$!
for _ in $(seq 1 40); do   # wait until the upload has begun
  ss -tn state established "( dport = :${BASE##*:} )" 2>/dev/null | grep -q . && break
  sleep 0.05
done
sleep 0.3
kill -TERM "$HTTP_PID"
sleep 0.3
curl -sS -m 2 "$BASE/healthz" > /dev/null 2>&1 && http_fail "a new connection was served after SIGTERM"
wait "$CURL" || http_fail "the request in flight failed: $(cat "$HTTP_DIR/slow.err")"
[ "$(cat "$HTTP_DIR/slow.status")" = 403 ] ||
  http_fail "the request in flight got HTTP $(cat "$HTTP_DIR/slow.status"), expected its 403 answer"
jq -e '.error.code == "FORBIDDEN"' "$HTTP_DIR/slow.out" > /dev/null || http_fail "the answer in flight is incomplete"
wait "$HTTP_PID"
rc=$?
HTTP_PID=
[ "$rc" = 0 ] || http_fail "gongjid exited $rc after SIGTERM"
grep -q '"event":"stopped"' "$HTTP_DIR/server.log" || http_fail "no stopped event"
[ "$(grep -c '"route":"/api/v1/staff/login"' "$HTTP_DIR/server.log")" = 1 ] || http_fail "the request in flight was not logged"
[ "$HTTP_FAILURES" = 0 ] && http_ok "SIGTERM: the request in flight finished, new connections refused, exit 0"
http_done
