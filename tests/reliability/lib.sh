# lib.sh — shared by the reliability tests (sourced): on top of tests/http/lib.sh and people.sh,
# a crowd of families (donors with bound resident members), Fujian family-pool and Guangxi
# wallet families (crowd_regions), a pharmacy credential, request plans for the load client
# gj_load (signed 2207 settlements, 2208 cancels, premiums, pool contributions and wallet
# transfers through REST), and the end checks: every answered request applied exactly once,
# nothing else applied, money conserved, `gongji verify` clean.
# Usage: . "$(dirname "$0")/lib.sh"; rel_setup GONGJI GONGJID GJ_LOAD
REL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$REL_DIR/../http/lib.sh"
. "$REL_DIR/../http/people.sh"

REL_NOW="2025-10-10 10:00:00"   # within the 2026 premium collection window
REL_MSGTIME=2025101010          # msgid middle part (msgid: code 12 + 10 + worker 2 + serial 6)
REL_YEAR=2026

rel_setup() {
  http_setup "$1" "$2" "$REL_NOW"
  GJ_LOAD=$3
  REL_TS=$(date -d "$REL_NOW" +%s)
}

crowd_donor() { printf 'P1%09d' "$1"; }
crowd_member() { printf 'P2%09d' "$(($1 * 10 + $2))"; }   # family F, member K (0..2)
crowd_donor_cert() { resident_id 430102 19800101 "$(printf '%03d' "$1")"; }
crowd_member_cert() { resident_id 430103 "$([ "$2" = 2 ] && echo 20050101 || echo 19550101)" "$(printf '%03d' "$(($1 * 3 + $2))")"; }

# crowd FAMILIES MEMBERS [POOR_FROM]: FAMILIES donors (employees, 1000 + 4000 yuan, or
# $CROWD_PRIOR_YUAN for the prior layer; from family
# POOR_FROM on only 300 yuan), each with MEMBERS (1..3) bound resident members (two parents, then
# a child), and the pharmacy with a credential in $PAAS/$SECRET. People's names are in $HTTP_DIR/names (the log checks look for them).
crowd() {
  local f k
  {
    echo "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,prior_yuan,card_yuan,ecert_no,card_no"
    for f in $(seq 1 "$1"); do
      local money=1000.00,${CROWD_PRIOR_YUAN:-4000}.00
      [ "$f" -ge "${3:-$(($1 + 1))}" ] && money=300.00,0.00
      echo "$(crowd_donor "$f"),捐助人$f,01,$(crowd_donor_cert "$f"),,,430100,310,active,$money,,,CARD$f"
      for k in $(seq 0 $(($2 - 1))); do
        echo "$(crowd_member "$f" "$k"),家属$f$k,01,$(crowd_member_cert "$f" "$k"),,,430100,390,active,,,,,"
      done
    done
  } > "$HTTP_DIR/crowd.csv"
  gj import persons "$HTTP_DIR/crowd.csv"
  cut -d, -f2 "$HTTP_DIR/crowd.csv" | tail -n +2 > "$HTTP_DIR/names"
  gj institution add "$PHARMACY" 长沙好药房 --kind pharmacy --admdvs 430100
  gj --json institution credential "$PHARMACY"
  PAAS=$(jq -r .paasid "$HTTP_DIR/cli.out")
  SECRET=$(jq -r .secret "$HTTP_DIR/cli.out")
  for f in $(seq 1 "$1"); do
    for k in $(seq 0 $(($2 - 1))); do
      fixture_family "$(crowd_donor "$f")" "$(crowd_member "$f" "$k")" "$([ "$k" = 2 ] && echo child || echo parent)" > /dev/null
    done
  done
}

# Fujian pool family F (R7.2): creator, spouse (both employees, 1000 + 4000 yuan: 3000 above the
# 2000 reserve) and a resident parent; Guangxi wallet family G (R7.3): donor (5000 yuan), child.
pool_creator() { printf 'P3%09d' "$1"; }
pool_spouse() { printf 'P4%09d' "$1"; }
pool_parent() { printf 'P5%09d' "$1"; }
pool_creator_cert() { resident_id 350102 19800101 "$(printf '%03d' "$1")"; }
pool_spouse_cert() { resident_id 350102 19820101 "$(printf '%03d' "$1")"; }
pool_parent_cert() { resident_id 350102 19550101 "$(printf '%03d' "$1")"; }
wallet_donor() { printf 'P6%09d' "$1"; }
wallet_child() { printf 'P7%09d' "$1"; }
wallet_donor_cert() { resident_id 450102 19800101 "$(printf '%03d' "$1")"; }
wallet_child_cert() { resident_id 450102 20150601 "$(printf '%03d' "$1")"; }

# crowd_regions POOLS WALLETS: POOLS Fujian families, each creator's network with the spouse and
# the parent bound (payment, contribution), and WALLETS Guangxi families (no binding needed).
crowd_regions() {
  local f
  {
    echo "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,prior_yuan,card_yuan,ecert_no,card_no"
    for f in $(seq 1 "$1"); do
      echo "$(pool_creator "$f"),闽创$f,01,$(pool_creator_cert "$f"),,,350100,310,active,1000.00,4000.00,,,"
      echo "$(pool_spouse "$f"),闽配$f,01,$(pool_spouse_cert "$f"),,,350100,310,active,1000.00,4000.00,,,"
      echo "$(pool_parent "$f"),闽亲$f,01,$(pool_parent_cert "$f"),,,350100,390,active,,,,,"
    done
    for f in $(seq 1 "$2"); do
      echo "$(wallet_donor "$f"),桂捐$f,01,$(wallet_donor_cert "$f"),,,450100,310,active,1000.00,4000.00,,,"
      echo "$(wallet_child "$f"),桂子$f,01,$(wallet_child_cert "$f"),,,450100,390,active,,,,,"
    done
  } > "$HTTP_DIR/regions.csv"
  gj import persons "$HTTP_DIR/regions.csv"
  cut -d, -f2 "$HTTP_DIR/regions.csv" | tail -n +2 >> "$HTTP_DIR/names"
  for f in $(seq 1 "$1"); do
    fixture_family "$(pool_creator "$f")" "$(pool_spouse "$f")" spouse > /dev/null
    fixture_family "$(pool_creator "$f")" "$(pool_parent "$f")" parent > /dev/null
  done
}

# rel_start [ARGS…]: start gongjid (on $REL_PORT once known, so clients find it again) and
# write its address for gj_load.
rel_start() {
  if [ -n "${REL_PORT:-}" ]; then http_start --listen "127.0.0.1:$REL_PORT" "$@"; else http_start "$@"; fi || return 1
  REL_PORT=${BASE##*:}
  echo "127.0.0.1:$REL_PORT" > "$HTTP_DIR/addr"
}

# plan_settle ID WORKER SERIAL PSN AMOUNT: a signed 2207 plan line (AMOUNT yuan, 50 fully own-paid).
plan_settle() {
  printf '%s\t/fsi/api/callService\ttif:%s:%s:%s\t{"infno":"2207","msgid":"%s%s%02d%06d","fixmedins_code":"%s","mdtrtarea_admvs":"430100","insuplc_admdvs":"430100","infver":"V1.0","opter_type":"1","opter":"OP001","inf_time":"%s","input":{"data":{"psn_no":"%s","mdtrt_cert_type":"02","mdtrt_cert_no":"%s","med_type":"11","medfee_sumamt":"%s","fulamt_ownpay_amt":"50.00","psn_setlway":"01","mdtrt_id":"","insutype":"390","acct_used_flag":"1"}}}\n' \
    "$1" "$PAAS" "$SECRET" "$REL_TS" "$PHARMACY" "$REL_MSGTIME" "$2" "$3" "$PHARMACY" "$REL_NOW" "$4" "$5" "$6"
}
# plan_cancel ID WORKER SERIAL PSN REF_ID: a signed 2208 cancelling the settlement of REF_ID.
plan_cancel() {
  printf '%s\t/fsi/api/callService\ttif:%s:%s:%s\t{"infno":"2208","msgid":"%s%s%02d%06d","fixmedins_code":"%s","mdtrtarea_admvs":"430100","insuplc_admdvs":"430100","infver":"V1.0","opter_type":"1","opter":"OP001","inf_time":"%s","input":{"data":{"setl_id":"@SETL:%s@","psn_no":"%s","mdtrt_id":""}}}\n' \
    "$1" "$PAAS" "$SECRET" "$REL_TS" "$PHARMACY" "$REL_MSGTIME" "$2" "$3" "$PHARMACY" "$REL_NOW" "$5" "$4"
}
# plan_premium ID TOKEN MEMBER: the donor (TOKEN) pays MEMBER's resident premium for $REL_YEAR.
plan_premium() {
  printf '%s\t/api/v1/premiums\tbearer:%s\t{"member":"%s","year":%s}\n' "$1" "$2" "$3" "$REL_YEAR"
}

# plan_pool ID TOKEN CREATOR YUAN: the caller (TOKEN) moves YUAN of their own into CREATOR's
# family pool (R7.2). IDs start with k.
plan_pool() {
  printf '%s\t/api/v1/pools/%s/contributions\tbearer:%s\t{"amount_yuan":"%s"}\n' "$1" "$3" "$2" "$4"
}
# plan_wallet ID TOKEN CHILD CHILD_CERT YUAN: the caller (TOKEN) transfers YUAN into their
# child's wallet, naming the child by person number and ID number (R7.3). IDs start with t.
plan_wallet() {
  printf '%s\t/api/v1/wallet/transfers\tbearer:%s\t{"recipient":"%s","recipient_certno":"%s","relation":"child","amount_yuan":"%s"}\n' \
    "$1" "$2" "$3" "$4" "$5"
}

# plan_person WORKER PSN CERT ROUNDS: ROUNDS 2207s for that person, every third cancelled by a
# 2208 right after. Printed on stdout.
plan_person() {
  local w=$1 n
  for n in $(seq 1 "$4"); do
    plan_settle "s$w.$n" "$w" "$n" "$2" "$3" "$((100 + n % 50)).00"
    [ $((n % 3)) = 0 ] && plan_cancel "c$w.$n" "$w" "$((500000 + n))" "$2" "s$w.$n"
  done
}

# plan_member WORKER FAMILY MEMBER ROUNDS: plan_person for member MEMBER of crowd family FAMILY.
plan_member() {
  plan_person "$1" "$(crowd_member "$2" "$3")" "$(crowd_member_cert "$2" "$3")" "$4"
}

# plan_family WORKER FAMILY MEMBERS ROUNDS TOKEN: ROUNDS settlements per member, taking turns
# (see plan_member), then the donor (TOKEN) pays each member's premium. Printed on stdout.
plan_family() {
  local k
  for k in $(seq 0 $(($3 - 1))); do plan_member "$(($1 * 3 + k))" "$2" "$k" "$4"; done | sort -s -t. -k2,2n
  for k in $(seq 0 $(($3 - 1))); do plan_premium "p$1.$2.$k" "$5" "$(crowd_member "$2" "$k")"; done
}

# personal_total: the money held for people, in fen: personal accounts and what moved from them
# into family pools and wallets (R7.2, R7.3), which settlements and premiums draw as well.
personal_total() {
  sqlite3 "$GONGJI_DB" "SELECT coalesce(sum(balance_fen), 0) FROM account WHERE kind IN ('current','prior','card','pool','wallet')"
}

# answers_tsv ANSWERS…: "ID STATUS INFNO_OR_KIND INFCODE ERR_CODE SETL_ID ACCT_PAY_FEN" per answer
# (ACCT_PAY: what personal accounts paid; cancels name the setl_id they cancelled).
answers_tsv() {
  cat "$@" | jq -R -r 'split("\t") as $f | ($f[2] | fromjson? // {}) as $b |
    [$f[0], $f[1],
     (if $b | has("infcode") then ($b.output.setlinfo.init_setl_id // "" | if . == "" then "2207" else "2208" end) else "premium" end),
     ($b.infcode // "" | tostring), ($b.err_code // $b.error.code // ""),
     ($b.output.setlinfo.init_setl_id // $b.output.setlinfo.setl_id // ""),
     ($b.output.setlinfo.acct_pay // "0" | tonumber * 100 | round | tostring)] | @tsv'
}

# check_books ANSWERS_TSV ATTEMPTS START_PERSONAL_FEN: the end checks of a load run (see the
# file comment); failures through http_fail.
check_books() {
  local tsv=$1 attempts=$2 start=$3 acks="$HTTP_DIR/acks.db" failures=$HTTP_FAILURES
  rm -f "$acks"
  awk -F'\t' '$3=="2207" && $4=="0" {print $6 "," $7}' "$tsv" > "$HTTP_DIR/settled.csv"
  awk -F'\t' '$3=="2208" && $4=="0" {print $6}' "$tsv" > "$HTTP_DIR/cancelled.csv"
  sqlite3 "$acks" "CREATE TABLE settled (setl_id TEXT, acct_pay_fen INTEGER); CREATE TABLE cancelled (setl_id TEXT);" \
    ".import --csv $HTTP_DIR/settled.csv settled" ".import --csv $HTTP_DIR/cancelled.csv cancelled"
  # refusals: none expected, except a premium retried after a crash finding itself paid, and a
  # pool contribution (k…) or wallet transfer (t…) past what may leave the account (the floor)
  local bad
  bad=$(awk -F'\t' '!($4=="0" || ($3=="premium" && $2=="201") ||
                      ($1 ~ /^[kt]/ && ($5=="ABOVE_RESERVE_ONLY" || $5=="DONOR_NO_BALANCE"))) {
                    print $1 "|" $3 "|" $5 "|" $2}' "$tsv" |
        while IFS="|" read -r id kind code status; do   # not tab: bash collapses empty tab fields
    if [ "$kind" = premium ] && [ "$code" = PREMIUM_ALREADY_PAID ] && [ "$(grep -cx "$id" "$attempts")" -gt 1 ]; then continue; fi
    echo "$id:$code:$status"
  done)
  [ -z "$bad" ] && http_ok "every request answered with success (or, retried after a crash, as already done)" ||
    http_fail "unexpected refusals: $(echo "$bad" | head -5 | tr '\n' ' ')"
  q() { sqlite3 -cmd "ATTACH '$acks' AS a" "$GONGJI_DB" "$1"; }
  expect_q() { local got; got=$(q "$1"); [ "$got" = "$2" ] || http_fail "$3: got '$got', expected '$2'"; }
  expect_q "SELECT count(*) FROM a.settled s WHERE (SELECT count(*) FROM settlement t WHERE t.setl_id = s.setl_id) != 1" 0 \
    "acknowledged settlements not present exactly once"
  expect_q "SELECT count(*) FROM settlement WHERE setl_id NOT IN (SELECT setl_id FROM a.settled)" 0 \
    "settlements nobody was told of"
  expect_q "SELECT count(*) FROM (SELECT 1 FROM settlement GROUP BY fixmedins_code, msgid HAVING count(*) > 1)" 0 \
    "a msgid settled twice"
  expect_q "SELECT count(*) FROM settlement WHERE (status = 'cancelled') != (setl_id IN (SELECT setl_id FROM a.cancelled))" 0 \
    "cancelled settlements differ from the acknowledged cancels"
  expect_q "SELECT count(*) FROM settlement t WHERE
              (SELECT coalesce(sum(amount_fen), 0) FROM posting p WHERE p.entry_id = t.entry_id AND amount_fen < 0)
                != -(t.fund_pay_fen + t.own_pay_fen + t.mulaid_pay_fen)
              OR (t.cancel_entry_id IS NOT NULL AND (SELECT coalesce(sum(amount_fen), 0) FROM posting p
                    WHERE p.entry_id = t.cancel_entry_id AND amount_fen > 0) != t.fund_pay_fen + t.own_pay_fen + t.mulaid_pay_fen)" 0 \
    "settlements (or cancels) whose postings do not move what they paid"
  expect_q "SELECT count(*) FROM settlement t JOIN a.settled s USING (setl_id) WHERE t.acct_pay_fen != s.acct_pay_fen
              OR t.mulaid_pay_fen != (SELECT coalesce(sum(amount_fen), 0) FROM settlement_source u WHERE u.setl_id = t.setl_id)" 0 \
    "settlements whose amounts differ from their answers or sources"
  expect_q "SELECT count(*) FROM premium WHERE NOT EXISTS (SELECT 1 FROM posting p WHERE p.entry_id = premium.entry_id)" 0 \
    "premiums without postings"
  local planned paid
  planned=$(cut -f1 "$tsv" | grep -c '^p')
  paid=$(sqlite3 "$GONGJI_DB" "SELECT count(*) FROM premium WHERE year = $REL_YEAR")
  [ "$planned" = "$paid" ] || http_fail "premiums: $paid paid, $planned requested (each once)"
  # conservation: personal accounts = start − what they paid for settlements in force − premiums
  local spent now_total
  spent=$(q "SELECT (SELECT coalesce(sum(acct_pay_fen), 0) FROM a.settled WHERE setl_id NOT IN (SELECT setl_id FROM a.cancelled))
                  + (SELECT coalesce(sum(amount_fen), 0) FROM premium)")
  now_total=$(personal_total)
  [ "$now_total" = "$((start - spent))" ] || http_fail "money: personal accounts hold $now_total fen, expected $start − $spent"
  expect_sql "SELECT sum(balance_fen) FROM account" 0 "all accounts sum to zero (paid in = held + paid out)"
  expect_sql "SELECT count(*) FROM account WHERE kind IN ('current','prior','card','pool','wallet') AND balance_fen < 0" 0 \
    "negative personal account, pool share or wallet"
  "$GONGJI" verify > "$HTTP_DIR/verify.out" 2>&1 || http_fail "gongji verify: $(head -5 "$HTTP_DIR/verify.out")"
  [ "$HTTP_FAILURES" = "$failures" ] && http_ok "$(wc -l < "$HTTP_DIR/settled.csv") settlements, $(wc -l < "$HTTP_DIR/cancelled.csv") cancels, $paid premiums: each exactly once, books balanced, verify clean"
}
