#!/bin/bash
# test_concurrency.sh — a bank-style check of gongjid under 26 concurrent clients: 4 donors with
# 3 bound members each; one client per member settles (signed 2207s, every third cancelled by a
# 2208) while the two rich donors also pay each member's premium over REST; the two poor donors
# (300 yuan) run dry. Four more clients send the very same plan (same msgids) at once. Regional
# fund models at the same time (R7.2, R7.3): in two Fujian families the creator and the spouse
# each keep moving 100 yuan into the family pool over REST (35 times: more than the 3000 above
# the 2000 reserve) while the bound parent's settlements draw on the pool; in two Guangxi
# families the donor keeps transferring 250 yuan into the child's wallet (25 times: more than
# the 5000 held) while the child's settlements draw on the wallet. Meanwhile a reader takes
# snapshots of all balances through a read-only SQLite connection: every snapshot must show the
# conserved total (everything but the allocation accounts, pools and wallets included), no
# personal account, pool share or wallet below zero, no pool contributor below the 2000 reserve,
# and cached balances equal to their postings. At the end: each msgid sent concurrently got one
# answer (same setl_id, same amounts) and paid once; the pool contributors stand exactly at the
# reserve and the wallet donors at zero (refused past it: ABOVE_RESERVE_ONLY, DONOR_NO_BALANCE); pools and
# wallets paid settlements; and the books check as in the crash test (every answer applied
# exactly once, money conserved — pools and wallets counted as people's money — verify clean).
# Usage: test_concurrency.sh GONGJI GONGJID GJ_LOAD   (env GJ_CONCURRENCY_ROUNDS: 2207s per client)
. "$(dirname "$0")/lib.sh"
rel_setup "$1" "$2" "$3"
ROUNDS=${GJ_CONCURRENCY_ROUNDS:-15}
SAME=4   # clients sending the same plan

POOLS=2 WALLETS=2
crowd 4 3 3   # families 3 and 4 poor
crowd_regions $POOLS $WALLETS
rel_start || exit 1
START=$(personal_total)
HELD="('current','prior','card','pool','wallet')"
CONTRIBUTORS="'$(for f in $(seq 1 $POOLS); do printf "%s','%s','" "$(pool_creator "$f")" "$(pool_spouse "$f")"; done)'"
SNAPSHOT="SELECT (SELECT sum(balance_fen) FROM account WHERE kind != 'allocation'),
  (SELECT min(balance_fen) >= 0 FROM account WHERE kind IN $HELD),
  (SELECT sum(balance_fen) FROM account WHERE kind IN $HELD)
    = (SELECT sum(p.amount_fen) FROM posting p JOIN account a ON a.code = p.acct_code WHERE a.kind IN $HELD),
  (SELECT count(*) FROM (SELECT owner FROM account WHERE kind IN ('current','prior') AND owner IN ($CONTRIBUTORS)
     GROUP BY owner HAVING sum(balance_fen) < 200000)) = 0"
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
for f in $(seq 1 $POOLS); do   # workers 20…: pool contributors and the parent drawing the pool
  creator=$(pool_creator "$f")
  for who in creator spouse; do
    token=$(sign_in "$("pool_$who" "$f")" "$("pool_${who}_cert" "$f")")
    for n in $(seq 1 35); do plan_pool "k$f.$who.$n" "$token" "$creator" 100.00; done > "$HTTP_DIR/plan.w$who$f"
  done
  plan_person $((20 + f)) "$(pool_parent "$f")" "$(pool_parent_cert "$f")" "$ROUNDS" > "$HTTP_DIR/plan.wpool$f"
done
for g in $(seq 1 $WALLETS); do   # workers 30…: wallet transfers and the child drawing the wallet
  token=$(sign_in "$(wallet_donor "$g")" "$(wallet_donor_cert "$g")")
  for n in $(seq 1 25); do plan_wallet "t$g.$n" "$token" "$(wallet_child "$g")" "$(wallet_child_cert "$g")" 250.00; done > "$HTTP_DIR/plan.wtransfer$g"
  plan_person $((30 + g)) "$(wallet_child "$g")" "$(wallet_child_cert "$g")" "$ROUNDS" > "$HTTP_DIR/plan.wwallet$g"
done

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
http_ok "$(wc -l < "$HTTP_DIR/snapshots") snapshots during the load: total conserved (pools and wallets included), no account, pool share or wallet below zero, no pool contributor below the reserve, balances = postings"
poor=$(sqlite3 "$GONGJI_DB" "SELECT count(*) FROM account WHERE owner IN ('$(crowd_donor 3)', '$(crowd_donor 4)') AND balance_fen != 0")
[ "$poor" = 0 ] || http_fail "the poor donors were not drained to zero: the floor was never reached"

# ---- pools and wallets (R7.2, R7.3) ----
expect_sql "SELECT count(*) FROM (SELECT owner FROM account WHERE kind IN ('current','prior') AND owner IN ($CONTRIBUTORS)
              GROUP BY owner HAVING sum(balance_fen) = 200000)" $((2 * POOLS)) "pool contributors not exactly at the 2000 reserve"
expect_sql "SELECT count(*) FROM account WHERE owner LIKE 'P6%' AND kind IN ('current','prior') AND balance_fen != 0" 0 \
  "wallet donors not drained to zero"
expect_sql "SELECT count(DISTINCT a.kind) FROM posting p JOIN entry x ON x.entry_id = p.entry_id
              JOIN account a ON a.code = p.acct_code WHERE x.kind = 'settle' AND a.kind IN ('pool','wallet')" 2 \
  "settlements drawing on pools and on wallets"
refused=$(cat "$HTTP_DIR"/answers.w* | grep -cE '"(ABOVE_RESERVE_ONLY|DONOR_NO_BALANCE)"')
[ "$refused" -ge $((2 * POOLS * 5 + WALLETS * 5)) ] || http_fail "only $refused contributions and transfers refused at the floor"
http_ok "pool contributions and wallet transfers under load: contributors at the reserve, donors at zero, $refused refused past it"

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
