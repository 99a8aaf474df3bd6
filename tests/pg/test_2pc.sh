#!/usr/bin/env bash
# test_2pc.sh — provinces on their own databases, two-phase commit across them:
# `pg.sh pg.sh test_2pc.sh GONGJI GONGJID` (two throwaway PostgreSQL clusters: GJ_TEST_PG and
# GJ_TEST_PG_B). Jiangsu (32) runs on the first cluster: the members, their family network and
# settlements — the coordinator. Hebei (13) runs on the second: the donors' accounts.
#   1. a cross-province settlement writes both databases, each balanced on its own (verify);
#   2. a donor at the reserve floor pays nothing: the Hebei database is unchanged; a reused
#      msgid is refused and changes neither side;
#   3. the coordinator dies between PREPARE and the decision (GONGJI_2PC_CRASH_AFTER=prepare):
#      both sides hold a prepared transaction, balances unchanged; `gongji recover --in-doubt`
#      rolls both back; the retried msgid then pays once;
#   4. it dies after logging the decision (=decision): gongjid's start-up recovery commits both;
#      the retried msgid returns the first answer;
#   5. recovery is idempotent, cancellation across databases is refused, books verified on both,
#      the donor's balance fell by exactly what was acknowledged and the clearing accounts of the
#      two databases cancel out;
#   6. gongjid (group commit) under concurrent signed requests is SIGKILLed at a random moment;
#      restarted, it ends what was in doubt; every retried msgid is paid exactly once, the same
#      answer as before the kill where one came, and both books verify. (The kill lands between
#      the phases only by chance — the window is a few ms; steps 3 and 4 hit it every time.)
#   7. a gongjid running with in_doubt_check_s 1 ends the prepared transactions of a coordinator
#      that died elsewhere, so its own settlements, waiting on the store lock, go through.
# Env: GJ_2PC_REQUESTS (24) concurrent requests in step 6.
set -uo pipefail
GONGJI=$1 GONGJID=$2
[ -n "${GJ_TEST_PG:-}" ] && [ -n "${GJ_TEST_PG_B:-}" ] ||
  { echo "test_2pc.sh: run inside tests/pg/pg.sh tests/pg/pg.sh (two clusters)" >&2; exit 2; }
T=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill -KILL "$SERVER" 2>/dev/null; rm -rf "$T"' EXIT
failures=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi; }

mkdb() {
  local name="gj2pc_$1_$$_$RANDOM"
  psql -q "postgresql:///postgres?$2" -c "CREATE DATABASE $name" > /dev/null || exit 1
  echo "postgresql:///$name?$2"
}
JS=$(mkdb js "$GJ_TEST_PG")
HB=$(mkdb hb "$GJ_TEST_PG_B")
printf '# test map\n32 = %s\n13 = %s\n' "$JS" "$HB" > "$T/provinces.conf"
export GONGJI_PROVINCES=$T/provinces.conf GONGJI_NOW="2025-03-10 10:00:00"
unset GONGJI_2PC_CRASH_AFTER
js() { "$GONGJI" --db "$JS" "$@"; }
hb() { "$GONGJI" --db "$HB" "$@"; }
sql() { psql -qAt "$1" -c "$2"; }
balance() { sql "$1" "SELECT COALESCE(SUM(balance_fen), 0) FROM account WHERE code LIKE '$2'"; }
prepared() { sql "$1" "SELECT COUNT(*) FROM pg_prepared_xacts WHERE gid LIKE 'gj:%' AND database = current_database()"; }
# digest DB [TABLE]: every row of DB (without TABLE's), for "this changed nothing"
digest() {
  pg_dump --data-only --exclude-table=store_lock ${2:+--exclude-table-data=$2} "$1" | grep -Ev '^(--|\\restrict|\\unrestrict)' |
    sort | sha256sum | cut -c1-64
}
verify_both() {
  js --json verify > "$T/v.js" 2>&1 && ok "$1: verify clean on Jiangsu" || fail "$1: verify Jiangsu: $(cat "$T/v.js")"
  hb --json verify > "$T/v.hb" 2>&1 && ok "$1: verify clean on Hebei" || fail "$1: verify Hebei: $(cat "$T/v.hb")"
}
# settle MSGID PSN CERT YUAN: a pharmacy 2102 in Nanjing; the answer in $T/r.json, exit status kept
settle() {
  jq -n --arg m "$1" --arg p "$2" --arg c "$3" --arg y "$4" \
    '{infno: "2102", msgid: $m, fixmedins_code: "P32010000001", mdtrtarea_admvs: "320100",
      input: {druginfo: {psn_no: $p, mdtrt_cert_type: "01", mdtrt_cert_no: $c, medfee_sumamt: $y,
              insutype: "390", med_type: "41"}}}' > "$T/req.json"
  js --json call "$T/req.json" > "$T/r.json" 2> "$T/r.err"
}
aid() { jq -r '.output.setlinfo.acct_mulaid_pay // .err_code // "none"' "$T/r.json"; }

# ---- setup: the donors' accounts in Hebei; the people and the family networks in Jiangsu ----
cat > "$T/hb.csv" <<'EOF'
HBD,韩北,01,130102198001011232,,,130100,310,active,3000.00,,,ECHBD,SCHBD
HBE,韩东,01,130102198202023459,,,130100,310,active,50.00,,,ECHBE,SCHBE
EOF
cat > "$T/js.csv" <<'EOF'
HBD,韩北,01,130102198001011232,,,130100,310,active,,,,ECHBD,SCHBD
HBE,韩东,01,130102198202023459,,,130100,310,active,,,,ECHBE,SCHBE
JSC,韩小,01,320102201506012345,,,320100,390,active,,,,ECJSC,SCJSC
JSM,韩妹,01,320102201707072344,,,320100,390,active,,,,ECJSM,SCJSM
EOF
hb import persons "$T/hb.csv" > /dev/null || { fail "import Hebei"; exit 1; }
js import persons "$T/js.csv" > /dev/null || { fail "import Jiangsu"; exit 1; }
js institution add P32010000001 南京大药房 --kind pharmacy --admdvs 320100 > /dev/null || fail "institution"
for d in HBD HBE; do js network create "$d" --commitment --verify "face:F$d" > /dev/null || fail "network $d"; done
js bind invite HBD JSC --relation child --modes payment > /dev/null || fail "bind HBD JSC"
js bind invite HBE JSM --relation child --modes payment > /dev/null || fail "bind HBE JSM"
for m in JSC JSM; do
  js remote-care add "$m" --place 320100 --from 2025-01-01 --to 2025-12-31 > /dev/null || fail "remote-care $m"
done
check "setup wrote nothing on Hebei's side but its own import" "$(prepared "$HB")$(prepared "$JS")" "00"
D0=$(balance "$HB" 'psn:HBD:%')
check "the donor's 3000.00 are in Hebei" "$D0" 300000
acked=0

# ---- 1. a cross-province settlement ----
settle XP01 JSC ECJSC 100.00
check "1: Hebei's account pays the Nanjing bill" "$(aid)" "100.00"
acked=$((acked + 10000))
check "1: the donor's balance in Hebei" "$(balance "$HB" 'psn:HBD:%')" $((D0 - acked))
check "1: Jiangsu owes through its clearing account for Hebei" "$(balance "$JS" 'clear:13')" -$acked
check "1: Hebei holds the counterpart" "$(balance "$HB" 'clear:32')" $acked
check "1: the Hebei journal names the settlement" \
  "$(sql "$HB" "SELECT action || ' ' || subject FROM journal ORDER BY seq DESC LIMIT 1")" \
  "settle.remote $(jq -r .output.setlinfo.setl_id "$T/r.json")"
check "1: nothing left prepared" "$(prepared "$JS")$(prepared "$HB")" "00"
check "1: the decision is logged and done" "$(sql "$JS" "SELECT decision || done FROM xa_decision")" "commit1"
verify_both 1

# ---- 2. refusals: nothing on the other side ----
settle XP02 JSM ECJSM 50.00
check "2: a second donor's 50.00 pay in full" "$(aid)" "50.00"
H=$(digest "$HB")
settle XP03 JSM ECJSM 20.00
check "2: that donor, now at the reserve floor, pays nothing" "$(aid)" "0.00"
check "2: and the Hebei database is unchanged" "$(digest "$HB")" "$H"
J=$(digest "$JS")
settle XP01 JSC ECJSC 999.00
check "2: a reused msgid is refused" "$(aid)" "MSGID_REUSED"
check "2: Jiangsu unchanged" "$(digest "$JS")" "$J"
check "2: Hebei unchanged" "$(digest "$HB")" "$H"

# ---- 3. the coordinator dies after PREPARE, before the decision ----
H=$(digest "$HB") J=$(digest "$JS" xa_decision)
DECISIONS=$(sql "$JS" "SELECT COUNT(*) FROM xa_decision")
GONGJI_2PC_CRASH_AFTER=prepare settle XP04 JSC ECJSC 100.00
check "3: the coordinator died between prepare and commit" "$?" 70
check "3: both sides hold a prepared transaction" "$(prepared "$JS")$(prepared "$HB")" "11"
check "3: the donor's balance is unchanged" "$(balance "$HB" 'psn:HBD:%')" $((D0 - acked))
check "3: no decision was logged" "$(sql "$JS" "SELECT COUNT(*) FROM xa_decision")" "$DECISIONS"
js --json recover --in-doubt > "$T/rec.json" || fail "3: recover --in-doubt: $(cat "$T/rec.json")"
check "3: recovery rolled both back" "$(jq -c '[.committed, .rolled_back]' "$T/rec.json")" "[0,2]"
check "3: nothing left prepared" "$(prepared "$JS")$(prepared "$HB")" "00"
check "3: Jiangsu as before but for the logged abort" "$(digest "$JS" xa_decision)" "$J"
check "3: the donor's balance is unchanged after recovery" "$(balance "$HB" 'psn:HBD:%')" $((D0 - acked))
check "3: Hebei as before" "$(digest "$HB")" "$H"
verify_both 3
settle XP04 JSC ECJSC 100.00
check "3: the retried msgid pays now" "$(aid)" "100.00"
acked=$((acked + 10000))
S4=$(jq -r .output.setlinfo.setl_id "$T/r.json")
settle XP04 JSC ECJSC 100.00
check "3: and once: the retry gets the same answer" "$(jq -r .output.setlinfo.setl_id "$T/r.json")" "$S4"
check "3: the donor paid it once" "$(balance "$HB" 'psn:HBD:%')" $((D0 - acked))

# ---- 4. the coordinator dies after logging the decision; gongjid recovers at start ----
GONGJI_2PC_CRASH_AFTER=decision settle XP05 JSC ECJSC 100.00
check "4: the coordinator died after the decision" "$?" 70
check "4: both sides hold a prepared transaction" "$(prepared "$JS")$(prepared "$HB")" "11"
check "4: the decision commit is logged, not done" \
  "$(sql "$JS" "SELECT decision || done FROM xa_decision WHERE done = 0")" "commit0"
check "4: the donor's balance is still unchanged" "$(balance "$HB" 'psn:HBD:%')" $((D0 - acked))
"$GONGJID" --db "$JS" --provinces "$T/provinces.conf" --listen 127.0.0.1:0 --readers 0 > "$T/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do grep -q '"listening"' "$T/server.log" && break; sleep 0.1; done
grep -q '"in_doubt_recovered".*committed 2, rolled back 0' "$T/server.log" &&
  ok "4: gongjid committed both at start" || fail "4: gongjid start: $(cat "$T/server.log")"
kill -TERM "$SERVER"; wait "$SERVER"; SERVER=
acked=$((acked + 10000))
check "4: nothing left prepared" "$(prepared "$JS")$(prepared "$HB")" "00"
check "4: the donor paid" "$(balance "$HB" 'psn:HBD:%')" $((D0 - acked))
settle XP05 JSC ECJSC 100.00
check "4: the retried msgid returns the committed answer" "$(aid)" "100.00"
check "4: and pays nothing more" "$(balance "$HB" 'psn:HBD:%')" $((D0 - acked))
check "4: one settlement per acknowledged msgid" \
  "$(sql "$JS" "SELECT COUNT(*) FROM settlement WHERE psn_no = 'JSC'")" 3

# ---- 5. idempotent recovery, cancellation refused, the books ----
js --json recover --in-doubt > "$T/rec.json" || fail "5: recover again"
check "5: a second recovery finds nothing" "$(jq -c '[.committed, .rolled_back]' "$T/rec.json")" "[0,0]"
check "5: every decision done" "$(sql "$JS" "SELECT COUNT(*) FROM xa_decision WHERE done = 0")" 0
{ cat "$T/provinces.conf"; echo "44 = postgresql:///gj2pc_missing?$GJ_TEST_PG&connect_timeout=5"; } > "$T/bad.conf"
GONGJI_PROVINCES=$T/bad.conf js --json recover --in-doubt > "$T/rec.json" 2> /dev/null
check "5: a database down: recovery exits 5" "$?" 5
check "5: and names it, the others read" \
  "$(jq -c '[.databases_failed, ([.databases[] | select(.error) | .province] | join(","))]' "$T/rec.json")" '[1,"44"]'
H=$(digest "$HB") J=$(digest "$JS")
jq -n --arg s "$S4" '{infno: "2103", msgid: "XC01", fixmedins_code: "P32010000001",
  input: {data: {setl_id: $s, psn_no: "JSC"}}}' > "$T/cancel.json"
js --json call "$T/cancel.json" > "$T/r.json" 2> /dev/null
check "5: cancelling a cross-province settlement is refused" "$(aid)" "CROSS_PROVINCE_CANCEL"
check "5: and changes nothing" "$(digest "$JS")$(digest "$HB")" "$J$H"
js --actor OP01 recover "$S4" HBD --amount 10 --reason test > /dev/null 2>&1
check "5: R9.2 recovery of cross-province aid is refused too" "$?" 3
js recover "$S4" > /dev/null 2>&1
check "5: recover without DONOR is a usage error" "$?" 2
check "5: the donor's balance = initial − acknowledged" "$(balance "$HB" 'psn:HBD:%')" $((D0 - acked))
check "5: the clearing accounts cancel out" \
  "$(( $(balance "$JS" 'clear:13') + $(balance "$HB" 'clear:32') ))" 0
check "5: Jiangsu's clearing account = Hebei donors' aid acknowledged" "$(balance "$JS" 'clear:13')" -$((acked + 5000))
verify_both 5

# ---- 6. gongjid under load (group commit), SIGKILLed at a random moment, restarted ----
# start_server: gongjid on the Jiangsu database with the map; BASE its URL
start_server() {
  "$GONGJID" --db "$JS" --provinces "$T/provinces.conf" --listen 127.0.0.1:0 --readers 0 \
    --batch_wait_us 500 "$@" > "$T/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 200); do
    BASE=$(grep -o '"detail":"http://127.0.0.1:[0-9]*"' "$T/server.log" | head -1 | cut -d'"' -f4)
    [ -n "$BASE" ] && curl -fsS "$BASE/healthz" > /dev/null 2>&1 && return 0
    sleep 0.05
  done
  fail "gongjid did not start: $(cat "$T/server.log")"
  return 1
}
js --json institution credential P32010000001 > "$T/cred.json" || fail "6: credential"
read -r PAAS SECRET < <(jq -r '"\(.paasid) \(.secret)"' "$T/cred.json")
TS=$(date -d "$GONGJI_NOW" +%s)
N=${GJ_2PC_REQUESTS:-24}
# post I: msgid XL<I>, 10.00 yuan for JSC, signed; the answer in $T/h.I (empty when none came)
post() {
  local nonce sig
  jq -nc --arg m "$(printf 'XL%04d' "$1")" '{infno: "2102", msgid: $m, fixmedins_code: "P32010000001",
    mdtrtarea_admvs: "320100", input: {druginfo: {psn_no: "JSC", mdtrt_cert_type: "01",
    mdtrt_cert_no: "ECJSC", medfee_sumamt: "10.00", insutype: "390", med_type: "41"}}}' > "$T/b.$1"
  nonce=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  sig=$(printf '%s%s%s%s' "$TS" "$SECRET" "$nonce" "$TS" | sha256sum | cut -c1-64)
  curl -sS -m 60 -o "$T/h.$1" -X POST "$BASE/fsi/api/callService" -H 'Content-Type: application/json' \
    -H "x-tif-paasid: $PAAS" -H "x-tif-timestamp: $TS" -H "x-tif-nonce: $nonce" \
    -H "x-tif-signature: $sig" --data-binary @"$T/b.$1" 2> /dev/null
}
before=$(balance "$HB" 'psn:HBD:%')
start_server || exit 1
clients=()
for i in $(seq 1 "$N"); do post "$i" & clients+=($!); done
for _ in $(seq 1 600); do   # the first answers are in: kill while the rest are being settled
  [ -n "$(find "$T" -name 'h.*' -size +0 2> /dev/null | head -1)" ] && break
  sleep 0.05
done
sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
kill -KILL "$SERVER"; wait "$SERVER" 2> /dev/null; SERVER=
wait "${clients[@]}"
answered=0
for i in $(seq 1 "$N"); do
  [ "$(jq -r .infcode "$T/h.$i" 2> /dev/null)" = 0 ] && answered=$((answered + 1)) && cp "$T/h.$i" "$T/first.$i"
done
echo "note: $answered of $N answered before the SIGKILL; in doubt now: Jiangsu $(prepared "$JS"), Hebei $(prepared "$HB")"
start_server || exit 1
grep -q '"in_doubt_recovered"' "$T/server.log" && ok "6: gongjid ran recovery at restart" ||
  fail "6: no recovery at restart: $(cat "$T/server.log")"
check "6: nothing left prepared after the restart" "$(prepared "$JS")$(prepared "$HB")" "00"
paid=0
for i in $(seq 1 "$N"); do   # every institution retries what it sent
  post "$i"
  [ "$(jq -r .infcode "$T/h.$i")" = 0 ] || { fail "6: retry $i: $(cat "$T/h.$i")"; continue; }
  paid=$((paid + $(jq -r '.output.setlinfo.acct_mulaid_pay | tonumber * 100 | round' "$T/h.$i")))
  if [ -f "$T/first.$i" ] && [ "$(jq -r .output.setlinfo.setl_id "$T/first.$i")" != "$(jq -r .output.setlinfo.setl_id "$T/h.$i")" ]; then
    fail "6: msgid $i answered twice differently"
  fi
done
kill -TERM "$SERVER"; wait "$SERVER"; SERVER=
check "6: every msgid paid once, in full" "$paid" $((N * 1000))
check "6: one settlement per msgid" "$(sql "$JS" "SELECT COUNT(*) FROM settlement WHERE msgid LIKE 'XL%'")" "$N"
check "6: the donor's balance fell by exactly what was paid" "$(balance "$HB" 'psn:HBD:%')" $((before - paid))
check "6: the clearing accounts cancel out" \
  "$(( $(balance "$JS" 'clear:13') + $(balance "$HB" 'clear:32') ))" 0
verify_both 6

# ---- 7. a running gongjid heals a coordinator that died elsewhere (in_doubt_check_s) ----
start_server --in_doubt_check_s 1 || exit 1
before=$(balance "$HB" 'psn:HBD:%')
GONGJI_2PC_CRASH_AFTER=prepare settle XP07 JSC ECJSC 10.00
check "7: a CLI coordinator died between prepare and commit" "$?" 70
post 99   # waits for Jiangsu's store lock, held by the prepared transaction, until the check ends it
check "7: gongjid's next settlement went through" "$(jq -r .output.setlinfo.acct_mulaid_pay "$T/h.99")" "10.00"
grep -q '"in_doubt_recovered".*rolled back 2' "$T/server.log" &&
  ok "7: its periodic check rolled the dead coordinator's transaction back" || fail "7: $(cat "$T/server.log")"
kill -TERM "$SERVER"; wait "$SERVER"; SERVER=
check "7: nothing left prepared" "$(prepared "$JS")$(prepared "$HB")" "00"
settle XP07 JSC ECJSC 10.00
check "7: the dead coordinator's msgid, retried, pays" "$(aid)" "10.00"
check "7: the donor paid both once" "$(balance "$HB" 'psn:HBD:%')" $((before - 2000))
verify_both 7

[ "$failures" -eq 0 ] && echo "test_2pc: all passed" || { echo "test_2pc: $failures failed" >&2; exit 1; }
