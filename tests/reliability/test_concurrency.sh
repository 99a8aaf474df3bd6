#!/bin/bash
# test_concurrency.sh — a bank-style check of gongjid under 16 concurrent clients: 4 donors with
# 3 bound members each; one client per member settles (signed 2207s, every third cancelled by a
# 2208) while the two rich donors also pay each member's premium over REST; the two poor donors
# (300 yuan) run dry. Four more clients send the very same plan (same msgids) at once. Meanwhile
# a reader takes snapshots of all balances through a read-only SQLite connection: every snapshot
# must show the conserved total (everything but the allocation accounts), no personal account
# below zero, and cached balances equal to their postings. At the end: each msgid sent
# concurrently got one answer (same setl_id, same amounts) and paid once, and the books check as
# in the crash test (every answer applied exactly once, money conserved, verify clean).
# Usage: test_concurrency.sh GONGJI GONGJID GJ_LOAD   (env GJ_CONCURRENCY_ROUNDS: 2207s per client)
. "$(dirname "$0")/lib.sh"
rel_setup "$1" "$2" "$3"
ROUNDS=${GJ_CONCURRENCY_ROUNDS:-15}
SAME=4   # clients sending the same plan

crowd 4 3 3   # families 3 and 4 poor
rel_start || exit 1
START=$(personal_total)
SNAPSHOT="SELECT (SELECT sum(balance_fen) FROM account WHERE kind != 'allocation'),
  (SELECT min(balance_fen) >= 0 FROM account WHERE kind IN ('current','prior','card')),
  (SELECT sum(balance_fen) FROM account WHERE kind IN ('current','prior','card'))
    = (SELECT sum(p.amount_fen) FROM posting p JOIN account a ON a.code = p.acct_code WHERE a.kind IN ('current','prior','card'))"
CONSERVED=$(sqlite3 "$GONGJI_DB" "$SNAPSHOT")

for f in 1 2 3 4; do
  token=$([ "$f" -le 2 ] && sign_in "$(crowd_donor "$f")" "$(crowd_donor_cert "$f")")
  for k in 0 1 2; do
    w=$((f * 3 + k))
    { [ -n "$token" ] && plan_premium "p$w" "$token" "$(crowd_member "$f" "$k")"
      plan_member "$w" "$f" "$k" "$ROUNDS"; } > "$HTTP_DIR/plan.w$w"
  done
done
plan_member 99 3 0 "$ROUNDS" > "$HTTP_DIR/plan.same"   # shares poor donor 3 with client 9

# The reader: snapshots until the clients are done.
touch "$HTTP_DIR/running"
( while [ -e "$HTTP_DIR/running" ]; do
    sqlite3 -readonly -cmd '.timeout 10000' "$GONGJI_DB" "$SNAPSHOT" >> "$HTTP_DIR/snapshots" 2>&1
  done ) &
READER=$!
CLIENTS=()
for plan in "$HTTP_DIR"/plan.w*; do
  "$GJ_LOAD" "$HTTP_DIR/addr" "$plan" "${plan/plan./answers.}" "${plan/plan./attempts.}" 2>> "$HTTP_DIR/load.err" &
  CLIENTS+=($!)
done
for i in $(seq 1 $SAME); do
  "$GJ_LOAD" "$HTTP_DIR/addr" "$HTTP_DIR/plan.same" "$HTTP_DIR/same.$i" "$HTTP_DIR/same_attempts.$i" 2>> "$HTTP_DIR/load.err" &
  CLIENTS+=($!)
done
for pid in "${CLIENTS[@]}"; do wait "$pid" || http_fail "a client gave up: $(cat "$HTTP_DIR/load.err")"; done
sqlite3 -readonly "$GONGJI_DB" "$SNAPSHOT" >> "$HTTP_DIR/snapshots"
rm "$HTTP_DIR/running"
wait "$READER"
http_stop

# ---- snapshots ----
bad=$(grep -cvx "$CONSERVED" "$HTTP_DIR/snapshots")
[ "$bad" = 0 ] || http_fail "$bad of $(wc -l < "$HTTP_DIR/snapshots") snapshots differ from '$CONSERVED': $(grep -vx "$CONSERVED" "$HTTP_DIR/snapshots" | head -3 | tr '\n' ' ')"
http_ok "$(wc -l < "$HTTP_DIR/snapshots") snapshots during the load: total conserved, no account below zero, balances = postings"
poor=$(sqlite3 "$GONGJI_DB" "SELECT count(*) FROM account WHERE owner IN ('$(crowd_donor 3)', '$(crowd_donor 4)') AND balance_fen != 0")
[ "$poor" = 0 ] || http_fail "the poor donors were not drained to zero: the floor was never reached"

# ---- the same plan from $SAME clients at once: one answer each ----
for i in $(seq 1 $SAME); do answers_tsv "$HTTP_DIR/same.$i" | cut -f1,3- | sort > "$HTTP_DIR/same.$i.tsv"; done
for i in $(seq 2 $SAME); do
  cmp -s "$HTTP_DIR/same.1.tsv" "$HTTP_DIR/same.$i.tsv" ||
    http_fail "client $i got other answers to the same msgids: $(diff "$HTTP_DIR/same.1.tsv" "$HTTP_DIR/same.$i.tsv" | head -4 | tr '\n' ' ')"
done
http_ok "$SAME clients sending the same $(wc -l < "$HTTP_DIR/plan.same") msgids at once got the same answers"

answers_tsv "$HTTP_DIR"/answers.w* "$HTTP_DIR/same.1" > "$HTTP_DIR/answers.tsv"
cat "$HTTP_DIR"/attempts.w* "$HTTP_DIR/same_attempts.1" > "$HTTP_DIR/attempts"
check_books "$HTTP_DIR/answers.tsv" "$HTTP_DIR/attempts" "$START"
http_done
