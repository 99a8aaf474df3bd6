# people.sh — fixtures of the people's, staff and access-matrix HTTP tests (sourced after
# lib.sh): two Changsha families with valid resident IDs, a pharmacy, agency operators,
# settlements made with `gongji call` or sent signed over HTTP, and sign-in helpers — insured
# people through the demo verifier (the one-time code is read from the server log), staff with
# a password.

PHARMACY=H43010000001
STAFF_PASSWORD='correct horse battery'
D=P0000000001    # 张伟, employee, donor of family 1
M=P0000000002    # 李秀英, his mother, resident insurance
I=P0000000003    # 王芳, his wife, employee (invited in the fixtures, not yet accepted)
O=P0000000004    # 赵强, employee, donor of family 2 (unrelated)
O2=P0000000005   # 钱梅, his mother
K=P0000000006    # 张明, the donor's adult son
F=P0000000007    # 张国, the donor's father

# resident_id PREFIX6 YYYYMMDD SEQ3 → an 18-character resident ID with its GB 11643 check
resident_id() {
  local body="$1$2$3" sum=0 i
  local -a w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2)
  for i in $(seq 0 16); do sum=$((sum + ${body:i:1} * w[i])); done
  local checks=10X98765432
  echo "$body${checks:$((sum % 11)):1}"
}

CERT_D=$(resident_id 430102 19850315 003)
CERT_M=$(resident_id 430102 19580820 004)
CERT_I=$(resident_id 430102 19870612 006)
CERT_O=$(resident_id 430103 19800101 011)
CERT_O2=$(resident_id 430103 19550505 022)
CERT_K=$(resident_id 430102 20000101 031)
CERT_F=$(resident_id 430102 19550303 041)

# people_csv: the seven people as import CSV (docs/import.md).
people_csv() {
  echo "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,prior_yuan,card_yuan,ecert_no,card_no"
  echo "$D,张伟,01,$CERT_D,,,430100,310,active,1200.00,3800.00,50.00,EC0001,"
  echo "$M,李秀英,01,$CERT_M,,,430100,390,active,,,20.00,EC0002,"
  echo "$I,王芳,01,$CERT_I,,,430100,310,active,800.00,200.00,,EC0003,"
  echo "$O,赵强,01,$CERT_O,,,430100,310,active,1000.00,2000.00,,EC0004,"
  echo "$O2,钱梅,01,$CERT_O2,,,430100,390,active,,,,EC0005,"
  echo "$K,张明,01,$CERT_K,,,430100,390,active,,,,EC0006,"
  echo "$F,张国,01,$CERT_F,,,430100,390,active,,,,EC0007,"
}

# The regional fund models' people (test_regions.sh, tests/web regions.test.mjs): in Fujian
# (family pool) 傅军 FJD, his son FJC (8), his wife FJW and 林外 FJO of another family; in
# Guangxi (wallet) 韦军 GXD and his son GXC (10).
FJD=PF00000001; FJC=PF00000002; FJW=PF00000003; FJO=PF00000004
GXD=PG00000001; GXC=PG00000002
CERT_FJD=$(resident_id 350102 19790404 653); CERT_FJC=$(resident_id 350102 20170505 664)
CERT_FJW=$(resident_id 350102 19830606 675); CERT_FJO=$(resident_id 350103 19800101 011)
CERT_GXD=$(resident_id 450102 19800101 123); CERT_GXC=$(resident_id 450102 20150601 234)

# regions_csv_rows: those six people as import CSV rows (after people_csv's header).
regions_csv_rows() {
  echo "$FJD,傅军,01,$CERT_FJD,,,350100,310,active,1500.00,1000.00,,ECFJD,"
  echo "$FJC,傅小,01,$CERT_FJC,,,350100,390,active,,,,ECFJC,"
  echo "$FJW,傅妻,01,$CERT_FJW,,,350100,310,active,3000.00,,,ECFJW,"
  echo "$FJO,林外,01,$CERT_FJO,,,350100,310,active,3000.00,,,ECFJO,"
  echo "$GXD,韦军,01,$CERT_GXD,,,450100,310,active,3000.00,,,ECGXD,"
  echo "$GXC,韦小,01,$CERT_GXC,,,450100,390,active,,,,ECGXC,"
}

# fixture_regions: 傅军's network with his son (active at once) and his wife (accepted), and
# 林外's network (after the import of regions_csv_rows).
fixture_regions() {
  gj network create "$FJD" --commitment --verify face:FD
  gj bind invite "$FJD" "$FJC" --relation child --modes payment   # a child of 8: active at once
  fixture_family "$FJD" "$FJW" spouse > /dev/null
  gj network create "$FJO" --commitment --verify face:FO
}

# gj ARGS…: the CLI, quiet; a failure fails the test.
gj() {
  "$GONGJI" "$@" > "$HTTP_DIR/cli.out" 2>&1 || http_fail "gongji $*: $(cat "$HTTP_DIR/cli.out")"
}

# fixture_people: the people and the pharmacy.
fixture_people() {
  people_csv > "$HTTP_DIR/people.csv"
  gj import persons "$HTTP_DIR/people.csv"
  gj institution add "$PHARMACY" 长沙好药房 --kind pharmacy --admdvs 430100
}

# fixture_family DONOR MEMBER RELATION: network (if needed), invitation, the member accepts.
fixture_family() {
  "$GONGJI" network create "$1" --commitment --verify face:F"$1" > /dev/null 2>&1
  gj --json bind invite "$1" "$2" --relation "$3" --modes payment,contribution
  local id
  id=$(jq -r .binding_id "$HTTP_DIR/cli.out")
  gj bind accept "$id" --verify face:F"$2" --channel app --actor "$2"
  echo "$id"
}

# fixture_operators: clerk OPC, reviewer OPR, auditor OPA, admin OPM (password $STAFF_PASSWORD).
fixture_operators() {
  local role
  printf '%s\n' "$STAFF_PASSWORD" > "$HTTP_DIR/password"
  for role in clerk reviewer auditor admin; do
    gj operator add "$(staff_id "$role")" --name "$role" --role "$role" --password-file "$HTTP_DIR/password"
  done
}

staff_id() {
  case $1 in clerk) echo OPC ;; reviewer) echo OPR ;; auditor) echo OPA ;; admin) echo OPM ;; esac
}

# pharmacy_request PSN_NO ECERT MSGID: a 300-yuan pharmacy purchase (2102, 50 yuan fully
# self-paid) as a national request envelope, on stdout.
pharmacy_request() {
  jq --arg psn "$1" --arg cert "$2" --arg msgid "$3" --arg now "$GONGJI_NOW" \
    '.msgid = $msgid | .inf_time = $now | .input.druginfo.psn_no = $psn
     | .input.druginfo.mdtrt_cert_no = $cert | .input.druginfo.begntime = $now' \
    "$GJ_SOURCE_DIR/docs/examples/pharmacy-2102.json"
}

# settlement_2207 SERIAL FEE: 李秀英 ($M) settles a FEE-yuan bill at the pharmacy (2207 with
# the fields it needs: resident insurance, personal account used), msgid serial SERIAL at
# $GONGJI_NOW, as a national request envelope on stdout.
settlement_2207() {
  local msgid
  msgid=$(printf '%s%s%04d' "$PHARMACY" "$(date -d "$GONGJI_NOW" +%Y%m%d%H%M%S)" "$1")
  jq -nc --arg msgid "$msgid" --arg code "$PHARMACY" --arg psn "$M" --arg cert "$CERT_M" --arg fee "$2" \
    '{infno: "2207", msgid: $msgid, fixmedins_code: $code, mdtrtarea_admvs: "430100",
      input: {data: {psn_no: $psn, mdtrt_cert_type: "02", mdtrt_cert_no: $cert, med_type: "11",
      medfee_sumamt: $fee, psn_setlway: "01", insutype: "390", acct_used_flag: "1"}}}'
}

# signed_call_args PAASID SECRET TIMESTAMP REQUEST ANSWER: curl arguments, one a line, that
# POST the REQUEST file to the national interface signed with that credential (tif_headers)
# and write the answer to the ANSWER file.
signed_call_args() {
  tif_headers "$1" "$2" "$3"
  printf '%s\n' -H 'Content-Type: application/json' --data-binary "@$4" -o "$5" "$BASE/fsi/api/callService"
}

# pharmacy_call PSN_NO ECERT MSGID: that purchase through `gongji call`; prints the setl_id.
pharmacy_call() {
  pharmacy_request "$@" > "$HTTP_DIR/call.json"
  gj call "$HTTP_DIR/call.json"
  jq -r '.output.setlinfo.setl_id' "$HTTP_DIR/cli.out"
}

# call_as TOKEN METHOD PATH [BODY] [curl args…]: like req, with the bearer token (none if TOKEN
# is -), but quiet: the answer is in $HTTP_DIR/body, the status in $STATUS. One process per
# call (the access matrix makes hundreds).
call_as() {
  local token=$1 method=$2 path=$3 body=${4:-}
  local args=(-sS -o "$HTTP_DIR/body" -w '%{http_code}' -X "$method" "${@:5}")
  [ "$token" = - ] || args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  curl "${args[@]}" "$BASE$path" > "$HTTP_DIR/status"
  read -r STATUS < "$HTTP_DIR/status"
}

# expect_call STATUS LABEL TOKEN METHOD PATH [BODY] [curl args…]: call_as, then expect_status.
expect_call() {
  local want=$1 label=$2
  shift 2
  call_as "$@"
  expect_status "$want" "$label"
}

# expect_unchanged LABEL STATUS CODE TOKEN METHOD PATH [BODY]: refused with STATUS and error
# CODE, the database as it was (db_digest).
expect_unchanged() {
  local label=$1 status=$2 code=$3 before
  shift 3
  before=$(db_digest)
  expect_call "$status" "$label" "$@"
  expect_json .error.code "\"$code\"" "$label"
  [ "$(db_digest)" = "$before" ] || http_fail "$label: refused but the database changed"
}

# expect_same_refusal LABEL METHOD PATH BODY_A BODY_B: both refused with 403 and the very same
# answer (a wrong password and an unknown operator, a wrong ID number and an unknown person).
expect_same_refusal() {
  expect_call 403 "$1 (a)" - "$2" "$3" "$4"
  cp "$HTTP_DIR/body" "$HTTP_DIR/refusal_a"
  expect_call 403 "$1 (b)" - "$2" "$3" "$5"
  cmp -s "$HTTP_DIR/body" "$HTTP_DIR/refusal_a" || http_fail "$1: the two refusals differ"
}

# demo_code VERIFICATION_ID: the one-time code the demo verifier logged.
demo_code() {
  grep -o "verification_id=$1 code=[0-9]*" "$HTTP_DIR/server.log" | tail -1 | sed 's/.*code=//'
}

# sign_in PSN_NO CERTNO: prints a person's bearer token.
sign_in() {
  local vid
  vid=$(req POST /api/v1/auth/verify "{\"psn_no\":\"$1\",\"certno\":\"$2\"}" | jq -r .verification_id)
  req POST /api/v1/auth/token "{\"verification_id\":\"$vid\",\"code\":\"$(demo_code "$vid")\"}" | jq -r .token
}

# staff_login ROLE: prints the bearer token of that role's operator.
staff_login() {
  req POST /api/v1/staff/login "{\"operator_id\":\"$(staff_id "$1")\",\"password\":\"$STAFF_PASSWORD\"}" |
    jq -r .token
}

# expect_sql SQL WANT LABEL: the database answers SQL with WANT.
expect_sql() {
  local got
  got=$(gj_sql "$1")
  [ "$got" = "$2" ] || http_fail "$3: $1 → '$got', expected '$2'"
}

# db_digest: the whole database as SQL text, hashed (a refusal must leave it unchanged).
db_digest() {
  gj_db_digest
}
