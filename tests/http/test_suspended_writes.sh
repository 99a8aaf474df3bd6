#!/bin/bash
# test_suspended_writes.sh — a write waiting for its group commit does not hold its HTTP thread
# (server.c suspends the connection): gongjid with a single request thread takes 24 signed 2207
# settlements sent at once into batches of more than one (with the thread held, every batch
# would hold one), and each connection gets its own answer (the bill it sent, its own msgid's
# settlement), with the books verified after. At SIGTERM with writes waiting for their commit,
# every write committed is answered before the connections close.
# Usage: test_suspended_writes.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2026-03-10 10:00:00"
WRITES=24
TS=$(date -d "$GONGJI_NOW" +%s)

fixture_people
fixture_family "$D" "$M" parent > /dev/null
gj --json institution credential "$PHARMACY"
read -r PAASID SECRET < <(jq -r '"\(.paasid) \(.secret)"' "$HTTP_DIR/cli.out")
http_start --threads 1 --batch_wait_us 1000 || exit 1

# send_all ROUND [N]: one curl sends N (default $WRITES) signed 2207 settlements (people.sh),
# each on its own connection at once (--parallel-immediate); msgid serials ROUND*1000+i, bills
# 1ii.00 yuan; requests in req$ROUND-$i.json, answers in ans$ROUND-$i.json.
send_all() {
  local n=${2:-$WRITES} i call
  local args=(--parallel --parallel-immediate --parallel-max "$n" -sS)
  for i in $(seq 1 "$n"); do
    settlement_2207 $(($1 * 1000 + i)) "$(printf '1%02d.00' "$i")" > "$HTTP_DIR/req$1-$i.json"
    mapfile -t call < <(signed_call_args "$PAASID" "$SECRET" "$TS" "$HTTP_DIR/req$1-$i.json" "$HTTP_DIR/ans$1-$i.json")
    [ "$i" -gt 1 ] && args+=(--next)
    args+=("${call[@]}")
  done
  curl "${args[@]}" 2> "$HTTP_DIR/curl$1.err"
}
send_all 1 || http_fail "curl: $(head -3 "$HTTP_DIR/curl1.err")"

for i in $(seq 1 "$WRITES"); do
  want=$(jq -r .input.data.medfee_sumamt "$HTTP_DIR/req1-$i.json")
  got=$(jq -r '"\(.infcode) \(.output.setlinfo.medfee_sumamt)"' "$HTTP_DIR/ans1-$i.json" 2>/dev/null)
  [ "$got" = "0 $want" ] || http_fail "request $i (bill $want) was answered: $(head -c 200 "$HTTP_DIR/ans1-$i.json")"
done
http_ok "$WRITES concurrent settlements through one request thread, each answered with its own bill"

metrics_text=$(curl -sS "$BASE/metrics")
batches=$(awk '/^gongji_pipeline_batch_size_count/ {print $2}' <<<"$metrics_text")
commands=$(awk '/^gongji_pipeline_batch_size_sum/ {print $2}' <<<"$metrics_text")
[ -n "$batches" ] && [ -n "$commands" ] && [ "$commands" -ge "$WRITES" ] ||
  http_fail "metrics: $commands commands in $batches batches, expected at least $WRITES commands"
[ "${batches:-0}" -lt "${commands:-0}" ] ||
  http_fail "every batch held one write ($commands in $batches): the request thread waited for each"
http_ok "$commands writes in $batches batches with one request thread"

kill -TERM "$HTTP_PID"; wait "$HTTP_PID"; rc=$?; HTTP_PID=
[ "$rc" = 0 ] || http_fail "gongjid exited $rc after SIGTERM (under ASan: a leak or a memory error)"

# ---- SIGTERM while writes wait for their commit: each one committed is answered ----
# Batches of 4 and no grace: SIGTERM comes as soon as the first answer is out, with most of the
# writes still queued. The pipeline finishes them, and their answers must still go out before
# libmicrohttpd closes the connections (without the wait for them: committed, unanswered).
LATE=64
http_start --threads 1 --batch_max 4 --shutdown_grace_s 0 || exit 1
before=$(gj_sql "SELECT COUNT(*) FROM settlement")
send_all 2 "$LATE" & SENDER=$!
for _ in $(seq 1 20000); do
  compgen -G "$HTTP_DIR/ans2-*.json" > /dev/null && break
  sleep 0.001
done
kill -TERM "$HTTP_PID"; wait "$HTTP_PID"; rc=$?; HTTP_PID=
wait "$SENDER"
[ "$rc" = 0 ] || http_fail "gongjid exited $rc after SIGTERM with writes in flight"
committed=$(( $(gj_sql "SELECT COUNT(*) FROM settlement") - before ))
answered=$(cat "$HTTP_DIR"/ans2-*.json 2>/dev/null | jq -s '[.[] | select(.infcode == 0)] | length')
if [ "$committed" = "$answered" ] && [ "$committed" -gt 0 ]; then
  http_ok "SIGTERM with $LATE writes in flight: $committed committed, each answered"
else
  http_fail "SIGTERM: $committed settlements committed, $answered answered"
fi
"$GONGJI" verify > "$HTTP_DIR/verify.out" 2>&1 || http_fail "gongji verify: $(cat "$HTTP_DIR/verify.out")"
http_done
