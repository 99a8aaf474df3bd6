#!/bin/bash
# demo-http.sh — the HTTP half of `make demo`: on the demo database (scripts/demo.sh) create one
# operator per staff role, a signing credential for the demo pharmacy H43010000001, another
# family's pharmacy settlement (to be refused later), the request bodies of the walkthrough;
# start gongjid in demo mode in the background and print the console URL, the logins and
# ready-to-paste curl commands (README.md, "gongjid"). `make demo-stop` stops it (SIGTERM:
# in-flight requests finish, the database closes cleanly).
# Usage: scripts/demo-http.sh start GONGJI GONGJID DB_PATH [HOST:PORT]   (port 0: the OS chooses)
#        scripts/demo-http.sh stop DB_PATH
set -euo pipefail

PHARMACY=H43010000001 HOSPITAL=H43010000002
DONOR=P0000000001 DONOR_CERT=430102198503150030       # 张伟, employee (scripts/demo.sh, gen --demo)
MEMBER=P0000000002 MEMBER_CERT=43010219580820004X     # 李秀英, his mother, resident insurance
START_WAIT_TRIES=100                                  # × 0.1 s for gongjid to answer /healthz
STOP_WAIT_TRIES=150                                   # × 0.1 s for gongjid to exit after SIGTERM

stop() {
  local pidfile
  pidfile="$(dirname "$1")/gongjid.pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null && grep -q gongjid "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq "$STOP_WAIT_TRIES"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "gongjid (pid $pid) stopped"
  fi
  rm -f "$pidfile"
}

# operators: one per role; the password is demo-only and printed below.
make_operators() {
  local role id
  for role in clerk reviewer auditor admin; do
    id=DEMO_$(echo "$role" | tr a-z A-Z)
    printf '%s\n' "demo-$role-password" |
      "$gongji" operator add "$id" --name "演示$role" --role "$role" --password-stdin > /dev/null
  done
}

# envelope INFNO MSGID INPUT_JSON [INSTITUTION]: a national request envelope (default: the pharmacy).
envelope() {
  jq -n --arg infno "$1" --arg msgid "$2" --argjson input "$3" --arg now "$now" --arg code "${4:-$PHARMACY}" \
    '{infno: $infno, msgid: $msgid, fixmedins_code: $code,
      mdtrtarea_admvs: "430100", insuplc_admdvs: "430100", infver: "V1.0", opter_type: "1",
      opter: "OP01", inf_time: $now, input: $input}'
}

# purchase PSN_NO ECERT INSUTYPE: a 300-yuan pharmacy purchase, 50 yuan of it fully self-paid.
purchase() {
  jq -n --arg psn "$1" --arg cert "$2" --arg insutype "$3" --arg now "$now" '{data: {psn_no: $psn,
    mdtrt_cert_type: "01", mdtrt_cert_no: $cert, med_type: "41", insutype: $insutype,
    begntime: $now, medfee_sumamt: 300, fulamt_ownpay_amt: "50.00", overlmt_selfpay: "",
    preselfpay_amt: "", inscp_scp_amt: "", acct_used_flag: "1", mdtrt_id: "", chrg_bchno: "0000"}}'
}

write_requests() {
  local stamp today other
  stamp=$(date +%Y%m%d%H%M%S)
  today=$(date +%F)
  mkdir -p "$dir/http"
  envelope 2207 "${PHARMACY}${stamp}0001" "$(purchase "$MEMBER" EC0002 390)" > "$dir/http/2207.json"
  envelope 2208 "${PHARMACY}${stamp}0002" \
    "{\"data\":{\"setl_id\":\"PUT_SETL_ID_HERE\",\"psn_no\":\"$MEMBER\",\"mdtrt_id\":\"\"}}" > "$dir/http/2208.json"
  envelope 3201 "${PHARMACY}${stamp}0003" "{\"data\":{\"stmt_begndate\":\"$today\",\"stmt_enddate\":\"$today\",
    \"medfee_sumamt\":\"300.00\",\"fund_pay_sumamt\":\"0.00\",\"acct_pay\":\"250.00\",\"fixmedins_setl_cnt\":1}}" \
    > "$dir/http/3201.json"
  # another family's purchase at the hospital, settled now, so the walkthrough can try to read it
  other=$(awk -F, 'NR > 1 && $7 == "430100" && $8 == "310" && $13 != "" && $1 !~ /^P000000000[1-3]$/ {
                     print $1 " " $13; exit }' "$dir/persons.csv")
  envelope 2207 "${HOSPITAL}${stamp}0001" "$(purchase ${other% *} ${other#* } 310)" "$HOSPITAL" \
    > "$dir/http/other-2207.json"
  OTHER_SETL=$("$gongji" --json call "$dir/http/other-2207.json" | jq -r .output.setlinfo.setl_id)
}

start_server() {
  stop "$db"
  "$gongjid" --db "$db" --listen "$listen" --demo > "$dir/gongjid.log" 2>&1 &
  echo $! > "$dir/gongjid.pid"
  local bound
  for _ in $(seq "$START_WAIT_TRIES"); do
    # the address gongjid logs it listens on: the real port when HOST:0 let the OS choose
    bound=$(grep -o '"detail":"http://[^"]*"' "$dir/gongjid.log" 2>/dev/null | head -1 | cut -d'"' -f4 || true)
    [ -n "$bound" ] && curl -fsS "$bound/healthz" > /dev/null 2>&1 && listen=${bound#http://} && return 0
    kill -0 "$(cat "$dir/gongjid.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "gongjid did not start (is $listen in use? make demo DEMO_LISTEN=127.0.0.1:8081):" >&2
  tail -5 "$dir/gongjid.log" >&2
  rm -f "$dir/gongjid.pid"
  exit 1
}

print_walkthrough() {
  cat <<MSG

gongjid runs on http://$listen (demo mode; log: $dir/gongjid.log, pid in $dir/gongjid.pid).
  console:  http://$listen/        API: docs/api.md, docs/nhsa.md   OpenAPI: http://$listen/openapi.json
  stop it:  make demo-stop          (SIGTERM: in-flight requests finish, the database closes)

Staff logins (POST /api/v1/staff/login; demo passwords):
  DEMO_CLERK / demo-clerk-password        DEMO_REVIEWER / demo-reviewer-password
  DEMO_AUDITOR / demo-auditor-password    DEMO_ADMIN / demo-admin-password
Pharmacy $PHARMACY signs with paasid $paasid, secret in $dir/$PHARMACY.secret.

Walkthrough — paste into a bash shell in this directory (needs curl and jq):

BASE=http://$listen; GONGJI=$gongji; PAASID=$paasid; SECRET=$dir/$PHARMACY.secret
# signin PSN_NO CERTNO: identity verification; the demo verifier logs the one-time code
signin() {
  local vid code
  vid=\$(curl -s \$BASE/api/v1/auth/verify -H 'Content-Type: application/json' \\
        -d "{\"psn_no\":\"\$1\",\"certno\":\"\$2\"}" | jq -r .verification_id)
  code=\$(grep -o "verification_id=\$vid code=[0-9]*" $dir/gongjid.log | cut -d= -f3)
  curl -s \$BASE/api/v1/auth/token -H 'Content-Type: application/json' \\
    -d "{\"verification_id\":\"\$vid\",\"code\":\"\$code\"}" | jq -r .token
}

# 1. 张伟 creates his family network and invites his mother 李秀英; she accepts.
D="Authorization: Bearer \$(signin $DONOR $DONOR_CERT)"
curl -s \$BASE/api/v1/network -H "\$D" -H 'Content-Type: application/json' -d '{"commitment": true}' | jq .
B=\$(curl -s \$BASE/api/v1/bindings -H "\$D" -H 'Content-Type: application/json' \\
    -d '{"member": "$MEMBER", "member_certno": "$MEMBER_CERT", "relation": "parent", "modes": "payment,contribution"}' | jq -r .binding_id)
M="Authorization: Bearer \$(signin $MEMBER $MEMBER_CERT)"
curl -s -X POST \$BASE/api/v1/bindings/\$B/accept -H "\$M" | jq '{binding_id, status}'

# 2. The pharmacy settles a 300-yuan purchase for her (2207, signed): acct_mulaid_pay 250.00.
curl -s \$BASE/fsi/api/callService -H 'Content-Type: application/json' --data-binary @$dir/http/2207.json \\
  \$(\$GONGJI sign --paasid \$PAASID --secret-file \$SECRET --body $dir/http/2207.json) | tee $dir/http/2207.out |
  jq '{infcode, setlinfo: .output.setlinfo | {setl_id, medfee_sumamt, acct_pay, acct_mulaid_pay, psn_cash_pay}}'
SETL=\$(jq -r .output.setlinfo.setl_id $dir/http/2207.out)

# 3. 张伟 sees that use of his money, and the receipt.
curl -s "\$BASE/api/v1/records?as=donor" -H "\$D" | jq .
curl -s \$BASE/api/v1/settlements/\$SETL/receipt -H "\$D" | jq .

# 4. He is refused another family's settlement: 404, as if it did not exist.
curl -s \$BASE/api/v1/settlements/$OTHER_SETL/receipt -H "\$D" | jq .

# 5. The pharmacy reconciles the day (3201: stmt_rslt "0", the figures agree) …
curl -s \$BASE/fsi/api/callService -H 'Content-Type: application/json' --data-binary @$dir/http/3201.json \\
  \$(\$GONGJI sign --paasid \$PAASID --secret-file \$SECRET --body $dir/http/3201.json) | jq '{infcode, output}'

# 6. … and cancels the settlement (2208): every fen goes back to 张伟's account.
sed "s/PUT_SETL_ID_HERE/\$SETL/" $dir/http/2208.json > $dir/http/2208-ready.json
curl -s \$BASE/fsi/api/callService -H 'Content-Type: application/json' --data-binary @$dir/http/2208-ready.json \\
  \$(\$GONGJI sign --paasid \$PAASID --secret-file \$SECRET --body $dir/http/2208-ready.json) | jq '{infcode, output}'

# 7. An auditor checks the books.
A="Authorization: Bearer \$(curl -s \$BASE/api/v1/staff/login -H 'Content-Type: application/json' \\
  -d '{"operator_id": "DEMO_AUDITOR", "password": "demo-auditor-password"}' | jq -r .token)"
curl -s \$BASE/api/v1/staff/verify -H "\$A" | jq .
MSG
}

case "${1:-}" in
  stop)
    stop "${2:?usage: demo-http.sh stop DB_PATH}" ;;
  start)
    gongji=$(realpath "${2:?usage: demo-http.sh start GONGJI GONGJID DB [HOST:PORT]}")
    gongjid=$(realpath "${3:?gongjid binary}")
    db=${4:?database path}
    listen=${5:-127.0.0.1:8080}
    dir=$(dirname "$db")
    now=$(date '+%F %T')
    export GONGJI_DB="$db"
    unset GONGJI_NOW
    make_operators
    "$gongji" --json institution credential "$PHARMACY" > "$dir/credential.json"
    paasid=$(jq -r .paasid "$dir/credential.json")
    (umask 077; jq -r .secret "$dir/credential.json" > "$dir/$PHARMACY.secret")
    rm -f "$dir/credential.json"
    write_requests
    start_server
    print_walkthrough ;;
  *)
    echo "usage: demo-http.sh start GONGJI GONGJID DB [HOST:PORT] | stop DB" >&2
    exit 2 ;;
esac
