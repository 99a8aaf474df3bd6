#!/usr/bin/env bash
# test_multi.sh — several gongjid on one PostgreSQL database: `test_multi.sh GONGJI GONGJID`
# (inside tests/pg/pg.sh). Two servers share the database; CLIENTS concurrent clients send
# signed 2207 settlements of two members drawing on one shared donor, every msgid sent to BOTH
# servers at once. Then: each msgid was settled once (both answers carry the same setl_id), the
# settlement table has exactly one row per acknowledged msgid, the donor's balance fell by
# exactly the sum acknowledged and not below the region's reserve floor (60 settlements exhaust
# the donor, so the later ones are refused or paid in part), and `gongji verify` finds the books
# sound.
# Env: GJ_MULTI_SERVERS (2), GJ_MULTI_REQUESTS (60).
. "$(dirname "$0")/../http/lib.sh"
. "$(dirname "$0")/../http/people.sh"
http_setup "$1" "$2" "2026-03-10 10:00:00"
[ -n "${GJ_TEST_PG:-}" ] || { echo "test_multi.sh: run inside tests/pg/pg.sh" >&2; exit 2; }
SERVERS=${GJ_MULTI_SERVERS:-2}
REQUESTS=${GJ_MULTI_REQUESTS:-60}
TS=$(date -d "$GONGJI_NOW" +%s)

fixture_people
gj --json institution credential "$PHARMACY"
read -r PAAS SECRET < <(jq -r '"\(.paasid) \(.secret)"' "$HTTP_DIR/cli.out")
fixture_family "$D" "$M" parent > /dev/null
fixture_family "$D" "$F" parent > /dev/null
donor_fen() { "$GONGJI" --json person show "$D" | jq -r '.accounts.account_total_yuan | tonumber * 100 | round'; }
BEFORE=$(donor_fen)

# ---- the servers ----
PIDS=() BASES=()
for _ in $(seq 1 "$SERVERS"); do
  http_start || exit 1
  PIDS+=("$HTTP_PID") BASES+=("$BASE")
  HTTP_PID=
  mv "$HTTP_DIR/server.log" "$HTTP_DIR/server.${#PIDS[@]}.log"
done
stop_all() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; http_teardown; }
trap stop_all EXIT

# send N SERVER_INDEX: one signed 2207 (msgid N) to one server; the answer in $HTTP_DIR/r.N.S
send() {
  local n=$1 s=$2 psn cert nonce sig body
  if [ $((n % 2)) -eq 0 ]; then psn=$M cert=$CERT_M; else psn=$F cert=$CERT_F; fi
  body=$(jq -nc --arg psn "$psn" --arg cert "$cert" --arg msgid "$(printf '%s20260310100000%04d' "$PHARMACY" "$n")" \
    --arg code "$PHARMACY" --arg now "$GONGJI_NOW" \
    '{infno: "2207", msgid: $msgid, mdtrtarea_admvs: "430100", insuplc_admdvs: "430100",
      recer_sys_code: "FSI_LOCAL", opter_type: "1", opter: "OP001", opter_name: "收费员", inf_time: $now,
      fixmedins_code: $code, fixmedins_name: "长沙好药房", sign_no: "",
      input: {data: {psn_no: $psn, mdtrt_cert_type: "02", mdtrt_cert_no: $cert, med_type: "11",
        medfee_sumamt: 300, psn_setlway: "01", mdtrt_id: "", chrg_bchno: "0000", insutype: "390",
        acct_used_flag: "1", fulamt_ownpay_amt: 50}}}')
  nonce=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  sig=$(printf '%s%s%s%s' "$TS" "$SECRET" "$nonce" "$TS" | sha256sum | cut -c1-64)
  curl -sS -m 60 -o "$HTTP_DIR/r.$n.$s" -X POST "${BASES[$s]}/fsi/api/callService" \
    -H 'Content-Type: application/json' -H "x-tif-paasid: $PAAS" -H "x-tif-timestamp: $TS" \
    -H "x-tif-nonce: $nonce" -H "x-tif-signature: $sig" --data-binary "$body"
}

start=$(date +%s%N)
clients=()
for n in $(seq 1 "$REQUESTS"); do
  for s in $(seq 0 $((SERVERS - 1))); do send "$n" "$s" & clients+=($!); done
done
wait "${clients[@]}"   # not the servers
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$((REQUESTS * SERVERS)) requests ($REQUESTS msgids × $SERVERS servers) in ${ms} ms"

# ---- every msgid: all servers gave the same answer; sum what was acknowledged ----
acked=0 refused=0 sum=0
for n in $(seq 1 "$REQUESTS"); do
  answers=$(for s in $(seq 0 $((SERVERS - 1))); do
    jq -c '[.infcode, .output.setlinfo.setl_id, .output.setlinfo.acct_mulaid_pay, .err_code]' "$HTTP_DIR/r.$n.$s" 2>/dev/null || echo "no-answer"
  done | sort -u)
  [ "$(wc -l <<<"$answers")" -eq 1 ] || { http_fail "msgid $n: servers disagree: $answers"; continue; }
  if [ "$(jq '.[0]' <<<"$answers")" = 0 ]; then
    acked=$((acked + 1))
    sum=$((sum + $(jq -r '.[2] | tonumber * 100 | round' <<<"$answers")))
  else
    refused=$((refused + 1))
    [ "$(jq -r '.[3]' <<<"$answers")" = "INSUFFICIENT_BALANCE" ] || echo "note: msgid $n refused: $answers"
  fi
done
echo "acknowledged $acked, refused $refused, mutual aid paid $sum fen"
[ "$acked" -gt 0 ] || http_fail "nothing was acknowledged"
rows=$(gj_sql "SELECT COUNT(*) FROM settlement WHERE status <> 'cancelled'")
[ "$rows" = "$acked" ] || http_fail "settlement rows $rows, acknowledged $acked"
AFTER=$(donor_fen)
[ "$((BEFORE - AFTER))" = "$sum" ] || http_fail "donor fell by $((BEFORE - AFTER)) fen, acknowledged $sum"
RESERVE=$("$GONGJI" --json policy show 430100 | jq '.settings.donor.reserve_floor_yuan | tonumber * 100 | round')
[ "$AFTER" -ge "$RESERVE" ] || http_fail "donor below the reserve floor ($RESERVE fen): $AFTER"
neg=$(gj_sql "SELECT COUNT(*) FROM account WHERE owner = '$D' AND balance_fen < 0")
[ "$neg" = 0 ] || http_fail "$neg of the donor's accounts below zero"
"$GONGJI" --json verify > "$HTTP_DIR/verify" 2>&1 || http_fail "verify: $(cat "$HTTP_DIR/verify")"
http_ok "$SERVERS servers × $REQUESTS msgids: each paid once, donor −$sum fen = sum acknowledged, books verified"
http_done
