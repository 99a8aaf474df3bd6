#!/bin/bash
# test_crash.sh — crash safety: gongjid under settlement and premium load (one gj_load client per
# family: signed 2207s, 2208 cancels of every third, the donor paying each member's premium over
# REST) is killed with SIGKILL at random moments while the load runs, up to GJ_CRASH_ROUNDS
# times (default 20), and restarted each time. The clients resend whatever was not answered —
# same msgid, new nonce — until it is. Then: every answered request is in the books exactly
# once, no settlement or premium exists that nobody was told of, no settlement lacks its
# postings, the personal
# accounts hold exactly what they started with less what the answers say they paid (money
# conserved; all accounts sum to zero), and `gongji verify` is clean.
# Usage: test_crash.sh GONGJI GONGJID GJ_LOAD   (env GJ_CRASH_ROUNDS, GJ_CRASH_FAMILIES)
. "$(dirname "$0")/lib.sh"
rel_setup "$1" "$2" "$3"
ROUNDS=${GJ_CRASH_ROUNDS:-20}
FAMILIES=${GJ_CRASH_FAMILIES:-8}
MEMBERS=2
SETTLE_ROUNDS=$((ROUNDS * 2))   # enough load to outlast the kills

# Each member settles ~2 × 75 yuan per round (a third cancelled) before the two premiums, so
# the donors' prior layer grows with the rounds (4000 yuan is enough for the default 20).
CROWD_PRIOR_YUAN=$(( ROUNDS > 20 ? ROUNDS * 200 : 4000 )) crowd "$FAMILIES" "$MEMBERS"
rel_start || exit 1
START=$(personal_total)
for f in $(seq 1 "$FAMILIES"); do
  token=$(sign_in "$(crowd_donor "$f")" "$(crowd_donor_cert "$f")")
  [ -n "$token" ] && [ "$token" != null ] || http_fail "sign-in of donor $f"
  plan_family "$f" "$f" "$MEMBERS" "$SETTLE_ROUNDS" "$token" > "$HTTP_DIR/plan.$f"
done

CLIENTS=()
for f in $(seq 1 "$FAMILIES"); do
  "$GJ_LOAD" "$HTTP_DIR/addr" "$HTTP_DIR/plan.$f" "$HTTP_DIR/answers.$f" "$HTTP_DIR/attempts.$f" \
    2> "$HTTP_DIR/load.$f.err" &
  CLIENTS+=($!)
done

# Kill at random moments while the load runs: 0–9 ms after the restarted server has answered
# again (at a fixed pace, 0–0.6 s apart, a fast machine answered every request before the
# first kill and the test proved nothing); restart each time; stop once everything is answered.
planned=$(cat "$HTTP_DIR"/plan.* | wc -l)
answered_so_far() { cat "$HTTP_DIR"/answers.* 2>/dev/null | wc -l; }
kills=0
for _ in $(seq 1 "$ROUNDS"); do
  target=$(( $(answered_so_far) + 1 ))
  while now=$(answered_so_far) && [ "$now" -lt "$target" ] && [ "$now" -lt "$planned" ]; do
    sleep 0.002
  done
  sleep "0.00$((RANDOM % 10))"
  [ "$(answered_so_far)" -lt "$planned" ] || break
  kill -KILL "$HTTP_PID" 2>/dev/null && kills=$((kills + 1))
  wait "$HTTP_PID" 2>/dev/null
  HTTP_PID=
  rel_start || { http_fail "gongjid did not restart after kill $kills"; break; }
done
for i in "${!CLIENTS[@]}"; do
  wait "${CLIENTS[$i]}" || http_fail "client $((i + 1)) gave up: $(cat "$HTTP_DIR/load.$((i + 1)).err")"
done
http_stop
retried=$(cat "$HTTP_DIR"/attempts.* | sort | uniq -d | wc -l)
answered=$(cat "$HTTP_DIR"/answers.* | wc -l)
[ "$answered" = "$planned" ] || http_fail "$answered answers for $planned requests"
[ "$retried" -gt 0 ] || http_fail "no request was cut off by a kill: the test proved nothing"
http_ok "$kills kills under load, $planned requests answered, $retried resent after a kill"

answers_tsv "$HTTP_DIR"/answers.* > "$HTTP_DIR/answers.tsv"
cat "$HTTP_DIR"/attempts.* > "$HTTP_DIR/attempts"
check_books "$HTTP_DIR/answers.tsv" "$HTTP_DIR/attempts" "$START"
http_done
