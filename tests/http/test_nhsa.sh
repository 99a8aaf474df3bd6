#!/bin/bash
# test_nhsa.sh — the national interface over HTTP (POST /fsi/api/callService, docs/nhsa.md)
# against a real gongjid: signed settlement (x-tif-* and x-gj-* HMAC), a 2207 built as
# open-source HIS clients build it, retry, cancel, reconciliation, 1101 without donor data,
# sign-in, outpatient visit with fee details, inpatient stay, reversal, a stay settled finally
# once (mid_setl_flag: a second final 2304 is WRONG_STATE, mid-settlements are not). Refusals: unknown infno,
# bad JSON, 3-decimal amount, unknown mdtrtarea_admvs, bad ID checksum, wrong signature, stale
# timestamp, replayed nonce, unknown paasid, HMAC body changed after signing, another
# institution's credential or settlement, oversized body. A resident ID with its check letter as "x" is the same number as
# with "X". Refusals change nothing; `gongji verify` passes at the end.
# Usage: test_nhsa.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2026-03-10 10:00:00"

TS=$(date -d "$GONGJI_NOW" +%s)   # the server's fixed clock as Unix seconds
new_nonce() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# msgid CODE N: fixmedins_code(12) + yyyyMMddHHmmss + 4-digit serial, as HIS clients make it.
msgid() { printf '%s%s%04d' "$1" 20260310100000 "$2"; }
# credential CODE: prints "paasid secret" of a new credential.
credential() {
  gj --json institution credential "$1"
  jq -r '"\(.paasid) \(.secret)"' "$HTTP_DIR/cli.out"
}
# envelope INFNO MSGID CODE INPUT_JSON: the envelope with every field HIS clients send.
envelope() {
  jq -nc --arg infno "$1" --arg msgid "$2" --arg code "$3" --argjson input "$4" --arg now "$GONGJI_NOW" \
    '{infno: $infno, msgid: $msgid, mdtrtarea_admvs: "430100", insuplc_admdvs: "430100",
      recer_sys_code: "FSI_LOCAL", dev_no: "", dev_safe_info: "", cainfo: "", signtype: "SM2",
      infver: "V1.0", opter_type: "1", opter: "OP001", opter_name: "收费员", inf_time: $now,
      fixmedins_code: $code, fixmedins_name: "长沙", sign_no: "", input: $input}'
}
# call_signed PAASID SECRET BODY [NONCE] [TIMESTAMP]: x-tif-* signed POST; body printed, $STATUS.
call_signed() {
  local nonce=${4:-$(new_nonce)} ts=${5:-$TS}
  mapfile -t H < <(tif_headers "$1" "$2" "$ts" "$nonce")
  req POST /fsi/api/callService "$3" "${H[@]}"
}
# hmac_headers KEY SECRET BODY: x-gj-* headers (HMAC-SHA256 over ts, nonce, method, path, body hash).
hmac_headers() {
  local nonce body_hash sig
  nonce=$(new_nonce)
  body_hash=$(printf '%s' "$3" | sha256sum | cut -c1-64)
  sig=$(printf '%s\n%s\n%s\n%s\n%s' "$TS" "$nonce" POST /fsi/api/callService "$body_hash" |
    openssl dgst -sha256 -hmac "$2" | sed 's/.*= //')
  printf -- '-H\nx-gj-key: %s\n-H\nx-gj-timestamp: %s\n-H\nx-gj-nonce: %s\n-H\nx-gj-signature: %s\n' \
    "$1" "$TS" "$nonce" "$sig"
}
call_hmac() {
  mapfile -t H < <(hmac_headers "$1" "$2" "$3")
  req POST /fsi/api/callService "$3" "${H[@]}"
}
donor_total() { "$GONGJI" --json person show "$D" | jq -r .accounts.account_total_yuan; }
# The database without the nonces (a signed refusal still uses up its nonce).
state_digest() { gj_db_digest used_nonce; }
# expect_signature_refused DETAIL LABEL: 401 with only "signature", "timestamp" or "nonce reused".
expect_signature_refused() {
  expect_status 401 "$2"
  expect_json .error.detail "\"$1\"" "$2"
}

HOSP_A=H43010000002
HOSP_B=H43010000003
fixture_people
gj institution add "$HOSP_A" 长沙第一医院 --kind hospital --admdvs 430100
gj institution add "$HOSP_B" 长沙第二医院 --kind hospital --admdvs 430100
read -r PAAS_P SECRET_P < <(credential "$PHARMACY")
read -r PAAS_A SECRET_A < <(credential "$HOSP_A")
read -r PAAS_B SECRET_B < <(credential "$HOSP_B")
fixture_family "$D" "$M" parent > /dev/null
LOWER_X=P0000000099   # imported with the check letter of the ID as 'x'
CERT_LOWER_X=$(resident_id 430102 19900101 106)   # ends in X
{ people_csv | head -1; echo "$LOWER_X,周小,01,${CERT_LOWER_X,,},,,430100,390,active,,,,,"; } > "$HTTP_DIR/lower_x.csv"
gj import persons "$HTTP_DIR/lower_x.csv"
http_start || exit 1

# ---- settlement: signed 2207 as an open-source HIS client builds it ----
SETTLE_INPUT=$(jq -nc --arg psn "$M" --arg cert "$CERT_M" '{data: {psn_no: $psn,
  mdtrt_cert_type: "02", mdtrt_cert_no: $cert, med_type: "11", medfee_sumamt: 300,
  psn_setlway: "01", mdtrt_id: "", chrg_bchno: "0000", insutype: "390", acct_used_flag: "1",
  invono: "", fulamt_ownpay_amt: 50, overlmt_selfpay: "", preselfpay_amt: "", inscp_scp_amt: ""}}')
S1_BODY=$(envelope 2207 "$(msgid "$PHARMACY" 1)" "$PHARMACY" "$SETTLE_INPUT")
call_signed "$PAAS_P" "$SECRET_P" "$S1_BODY" > /dev/null
expect_status 200 "2207"
expect_json .infcode 0 "2207 infcode is the number 0"
expect_json '.output.setlinfo | [.acct_mulaid_pay, .acct_pay, .psn_cash_pay, .fund_pay_sumamt, .medfee_sumamt]' \
  '["125.00","125.00","50.00","125.00","300.00"]' "2207 amounts"
expect_json '[(.inf_refmsgid | length), (.respond_time | test("^[0-9]{17}$")), (.refmsg_time | test("^[0-9]{17}$")), .err_msg]' \
  '[30, true, true, ""]' "2207 response envelope"
expect_json '.output.setlinfo | [has("mdtrt_id", "setl_id", "psn_no", "psn_name", "psn_cert_type", "certno",
  "gend", "brdy", "age", "insutype", "setl_time", "mdtrt_cert_type", "med_type", "medfee_sumamt",
  "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "act_pay_dedc", "hifp_pay",
  "pool_prop_selfpay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay",
  "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "hosp_part_amt", "balc",
  "acct_mulaid_pay", "medins_setl_id", "clr_optins", "clr_way", "clr_type")] | all' true "setlinfo national fields"
expect_json '.output.setldetail[0] | [has("fund_pay_type", "fund_payamt", "fund_pay_type_name", "inscp_scp_amt")] | all' \
  true "setldetail national fields"
S1=$(jq -r .output.setlinfo.setl_id "$HTTP_DIR/body")
expect_json ".output.setlinfo.certno | contains(\"$CERT_M\")" false "certno masked"
[ "$(donor_total)" = "4875.00" ] || http_fail "donor balance after 2207: $(donor_total)"
http_ok "signed 2207 as HIS clients build it: acct_mulaid_pay 125.00"

call_signed "$PAAS_P" "$SECRET_P" "$S1_BODY" > /dev/null
expect_json .output.setlinfo.setl_id "\"$S1\"" "retry returns the first answer"
[ "$(donor_total)" = "4875.00" ] || http_fail "a retry moved money: $(donor_total)"
CHANGED=$(echo "$S1_BODY" | jq -c '.input.data.medfee_sumamt = 400')
call_signed "$PAAS_P" "$SECRET_P" "$CHANGED" > /dev/null
expect_json .err_code '"MSGID_REUSED"' "same msgid, different bill"
http_ok "retry: same setl_id, nothing moved; msgid reuse refused"

# The recommended HMAC scheme, with infcode compared as clients do (0 or "0").
S2_BODY=$(envelope 2207 "$(msgid "$PHARMACY" 2)" "$PHARMACY" "$SETTLE_INPUT")
call_hmac "$PAAS_P" "$SECRET_P" "$S2_BODY" > /dev/null
expect_status 200 "HMAC 2207"
expect_json '.infcode | tostring' '"0"' "HMAC 2207 infcode"
S2=$(jq -r .output.setlinfo.setl_id "$HTTP_DIR/body")
http_ok "HMAC-signed 2207"

# ---- cancel and reconcile ----
call_signed "$PAAS_P" "$SECRET_P" "$(envelope 2208 "$(msgid "$PHARMACY" 3)" "$PHARMACY" \
  "{\"data\":{\"setl_id\":\"$S2\",\"psn_no\":\"$M\",\"mdtrt_id\":\"\"}}")" > /dev/null
expect_json '[.infcode, .output.setlinfo.init_setl_id]' "[0, \"$S2\"]" "2208 cancels"
[ "$(donor_total)" = "4875.00" ] || http_fail "donor balance after 2208: $(donor_total)"
RECON='{"data":{"stmt_begndate":"2026-03-10","stmt_enddate":"2026-03-10","medfee_sumamt":"300.00",
  "fund_pay_sumamt":"125.00","acct_pay":"125.00","fixmedins_setl_cnt":1,"insutype":"390","clr_type":"11",
  "setl_optins":"430100","refd_setl_flag":"0"}}'
call_signed "$PAAS_P" "$SECRET_P" "$(envelope 3201 "$(msgid "$PHARMACY" 4)" "$PHARMACY" "$RECON")" > /dev/null
expect_json '[.infcode, .output.stmtinfo.stmt_rslt]' '[0, "0"]' "3201 agrees"
call_signed "$PAAS_P" "$SECRET_P" "$(envelope 3201 "$(msgid "$PHARMACY" 5)" "$PHARMACY" \
  "$(echo "$RECON" | jq -c '.data.acct_pay = "100.00"')")" > /dev/null
expect_json '[.infcode, .output.stmtinfo.stmt_rslt]' '[0, "1"]' "3201 differs"
call_signed "$PAAS_P" "$SECRET_P" "$(envelope 3201 "$(msgid "$PHARMACY" 7)" "$PHARMACY" \
  "$(echo "$RECON" | jq -c '.data.insutype = "999"')")" > /dev/null
expect_json '[.infcode, .err_code, .err_detail]' '[-1, "BAD_CODE", "insutype: unknown"]' \
  "3201 of an unknown insutype (was: our totals 0, \"totals differ\")"
call_signed "$PAAS_P" "$SECRET_P" "$(envelope 3201 "$(msgid "$PHARMACY" 10)" "$PHARMACY" \
  "$(echo "$RECON" | jq -c '.data.stmt_begndate = "2000-01-01"')")" > /dev/null
expect_json '[.infcode, .err_code]' '[-1, "TOO_LARGE"]' "3201 over 26 years (a sum on the writer, bounded like 3202)"
# statement_3202 N BEGIN END: the pharmacy's 3202 over BEGIN..END (msgid serial N).
statement_3202() {
  call_signed "$PAAS_P" "$SECRET_P" "$(envelope 3202 "$(msgid "$PHARMACY" "$1")" "$PHARMACY" \
    "{\"data\":{\"stmt_begndate\":\"$2\",\"stmt_enddate\":\"$3\"}}")" > /dev/null
}
statement_3202 6 2026-03-10 2026-03-10
expect_json '[.output.details[] | [.setl_id, .refd_setl_flag]]' "[[\"$S1\",\"0\"],[\"$S2\",\"1\"]]" "3202 lists"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 3202 "$(msgid "$HOSP_A" 1)" "$HOSP_A" \
  '{"data":{"stmt_begndate":"2026-03-10","stmt_enddate":"2026-03-10"}}')" > /dev/null
expect_json '.output.details' '[]' "3202 of another institution lists only its own"
statement_3202 8 2000-01-01 2026-03-10
expect_json '[.infcode, .err_code]' '[-1, "TOO_LARGE"]' "3202 over 26 years (details are built whole)"
statement_3202 9 2025-03-10 2026-03-10
expect_json '[.infcode, (.output.details | length)]' '[0, 2]' "3202 over a year and a day"
"$GONGJI" recon details --institution "$PHARMACY" --from 2000-01-01 --to 2026-03-10 > "$HTTP_DIR/recon.out" 2>&1
[ $? = 3 ] && grep -q TOO_LARGE "$HTTP_DIR/recon.out" ||
  http_fail "recon details over 26 years (docs/api.md: at most 366 days): $(head -c 200 "$HTTP_DIR/recon.out")"
http_ok "2208 cancel, 3201 agree/differ/unknown insutype, 3202"

# ---- 1101: mutual aid available, by relation only ----
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 1101 "$(msgid "$HOSP_A" 2)" "$HOSP_A" \
  "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT_M\",\"psn_cert_type\":\"01\"}}")" > /dev/null
expect_json '[.infcode, .output.baseinfo.psn_no, .output.insuinfo[0].insutype, .output.gj_mulaid]' \
  "[0, \"$M\", \"390\", {\"available\": true, \"sources\": [{\"relation\": \"parent\", \"relation_zh\": \"父母\"}]}]" "1101"
grep -qE "$D|张伟|$CERT_D|EC0001|4875" "$HTTP_DIR/body" && http_fail "1101 reveals donor data: $(cat "$HTTP_DIR/body")"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 1101 "$(msgid "$HOSP_A" 3)" "$HOSP_A" "{\"data\":{\"psn_no\":\"$D\"}}")" > /dev/null
expect_json '[.output.insuinfo[0].balc, .output.gj_mulaid.available]' '["4875.00", false]' "1101 of the donor"
http_ok "1101: mutual aid available, no donor data"

# A resident ID's check letter in either case is the same number (GB 11643 prints 'X'; HIS
# clients also send 'x'): it was refused as IMPERSONATION, and a person imported with 'x' was
# not found by the 'X' a card reader sends.
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 1101 "$(msgid "$HOSP_A" 30)" "$HOSP_A" \
  "{\"data\":{\"psn_no\":\"$M\",\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"${CERT_M,,}\"}}")" > /dev/null
expect_json '[.infcode, .output.baseinfo.psn_no]' "[0, \"$M\"]" "1101 with the check letter as 'x'"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2206 "$(msgid "$HOSP_A" 31)" "$HOSP_A" \
  "$(echo "$SETTLE_INPUT" | jq -c --arg c "${CERT_M,,}" '.data.mdtrt_cert_no = $c')")" > /dev/null
expect_json '[.infcode, .output.setlinfo.acct_mulaid_pay]' '[0, "125.00"]' "2206 with the check letter as 'x'"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 1101 "$(msgid "$HOSP_A" 32)" "$HOSP_A" \
  "{\"data\":{\"mdtrt_cert_type\":\"02\",\"mdtrt_cert_no\":\"$CERT_LOWER_X\"}}")" > /dev/null
expect_json '[.infcode, .output.baseinfo.psn_no]' "[0, \"$LOWER_X\"]" "1101 of a person imported with 'x', asked with 'X'"
http_ok "resident ID check letter 'x' or 'X': the same person"

# ---- 9001 / 9002 ----
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 9001 "$(msgid "$HOSP_A" 4)" "$HOSP_A" '{"signIn":{"opter_no":"OP001","mac":"","ip":""}}')" > /dev/null
SIGN_NO=$(jq -r .output.signinoutb.sign_no "$HTTP_DIR/body")
expect_json '.output.signinoutb.sign_time' '"2026-03-10 10:00:00"' "9001"
call_signed "$PAAS_B" "$SECRET_B" "$(envelope 9002 "$(msgid "$HOSP_B" 1)" "$HOSP_B" "{\"signOut\":{\"sign_no\":\"$SIGN_NO\"}}")" > /dev/null
expect_json .err_code '"NOT_FOUND"' "9002 of another institution's sign-in"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 9002 "$(msgid "$HOSP_A" 5)" "$HOSP_A" "{\"signOut\":{\"sign_no\":\"$SIGN_NO\"}}")" > /dev/null
expect_json '[.infcode, .output.signoutoutb.sign_no]' "[0, \"$SIGN_NO\"]" "9002"
http_ok "9001 / 9002"

# ---- outpatient visit: 2201 → 2203 → 2204 → 2207 with mdtrt_id ----
PATIENT_A=$(jq -nc --arg psn "$M" --arg cert "$CERT_M" '{psn_no: $psn, insutype: "390", mdtrt_cert_type: "02",
  mdtrt_cert_no: $cert, begntime: "2026-03-10 09:30:00"}')
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2201 "$(msgid "$HOSP_A" 6)" "$HOSP_A" \
  "{\"data\":$(echo "$PATIENT_A" | jq -c '.ipt_otp_no = "MZ0001" | .atddr_no = "D01" | .dept_code = "K01"')}")" > /dev/null
MDTRT=$(jq -r .output.data.mdtrt_id "$HTTP_DIR/body")
expect_json '[.infcode, .output.data.ipt_otp_no]' '[0, "MZ0001"]' "2201"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2203 "$(msgid "$HOSP_A" 7)" "$HOSP_A" "{\"mdtrtinfo\":{\"mdtrt_id\":\"$MDTRT\",
  \"psn_no\":\"$M\",\"med_type\":\"11\"},\"diseinfo\":[{\"diag_type\":\"1\",\"diag_srt_no\":\"1\",\"diag_code\":\"J06.900\",
  \"diag_name\":\"急性上呼吸道感染\"}]}")" > /dev/null
expect_json .infcode 0 "2203"
FEES=$(jq -nc --arg m "$MDTRT" --arg psn "$M" '{feedetail: [
  {feedetl_sn: "0001", mdtrt_id: $m, psn_no: $psn, chrg_bchno: "CB01", det_item_fee_sumamt: 180, cnt: 1, pric: 180},
  {feedetl_sn: "0002", mdtrt_id: $m, psn_no: $psn, chrg_bchno: "CB01", det_item_fee_sumamt: "20.00", spend_ctgy: "cosmetology"}]}')
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2204 "$(msgid "$HOSP_A" 8)" "$HOSP_A" "$FEES")" > /dev/null
expect_json '[.infcode, (.output.result | length)]' '[0, 2]' "2204"
VISIT_SETTLE=$(jq -nc --arg m "$MDTRT" --argjson p "$PATIENT_A" '{data: ($p + {mdtrt_id: $m, chrg_bchno: "CB01",
  medfee_sumamt: "200.00", acct_used_flag: "1"})}')
call_signed "$PAAS_B" "$SECRET_B" "$(envelope 2207 "$(msgid "$HOSP_B" 2)" "$HOSP_B" "$VISIT_SETTLE")" > /dev/null
expect_json .err_code '"NOT_FOUND"' "2207 on another institution's visit"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2207 "$(msgid "$HOSP_A" 9)" "$HOSP_A" "$VISIT_SETTLE")" > /dev/null
expect_json '.output.setlinfo | [.mdtrt_id, .med_type, .psn_cash_pay]' "[\"$MDTRT\", \"11\", \"20.00\"]" \
  "2207 of the visit: med_type from 2203, the uploaded cosmetology line in cash (R4.6)"
S3=$(jq -r .output.setlinfo.setl_id "$HTTP_DIR/body")
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2202 "$(msgid "$HOSP_A" 10)" "$HOSP_A" "{\"data\":{\"mdtrt_id\":\"$MDTRT\",\"psn_no\":\"$M\"}}")" > /dev/null
expect_json .err_code '"WRONG_STATE"' "2202 with a settlement in force"
http_ok "2201 → 2203 → 2204 → 2207 with mdtrt_id"

# ---- inpatient: 2401 → 2301 → 2303 → 2402 → 2304 ----
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2401 "$(msgid "$HOSP_A" 11)" "$HOSP_A" \
  "{\"mdtrtinfo\":$(echo "$PATIENT_A" | jq -c '.med_type = "21" | .ipt_no = "ZY0001" | .begntime = "2026-03-05 08:00:00"'),
   \"diseinfo\":[{\"diag_code\":\"I10\",\"diag_name\":\"高血压\",\"maindiag_flag\":\"1\"}]}")" > /dev/null
STAY=$(jq -r .output.result.mdtrt_id "$HTTP_DIR/body")
expect_json '[.infcode, .output.result.ipt_otp_no]' '[0, "ZY0001"]' "2401"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2301 "$(msgid "$HOSP_A" 12)" "$HOSP_A" "$(jq -nc --arg m "$STAY" --arg psn "$M" \
  '{feedetail: [{feedetl_sn: "1", mdtrt_id: $m, psn_no: $psn, chrg_bchno: "ZB1", det_item_fee_sumamt: 3000}]}')")" > /dev/null
expect_json .infcode 0 "2301"
STAY_SETTLE=$(jq -nc --arg m "$STAY" --argjson p "$PATIENT_A" '{data: ($p + {mdtrt_id: $m, medfee_sumamt: 3000,
  mid_setl_flag: "0", acct_used_flag: "1"} | del(.begntime))}')
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2303 "$(msgid "$HOSP_A" 13)" "$HOSP_A" "$STAY_SETTLE")" > /dev/null
expect_json '[.infcode, .output.setlinfo.med_type, .output.setlinfo.setl_id]' '[0, "21", ""]' "2303 trial"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2402 "$(msgid "$HOSP_A" 14)" "$HOSP_A" \
  "{\"dscginfo\":{\"mdtrt_id\":\"$STAY\",\"psn_no\":\"$M\",\"insutype\":\"390\",\"endtime\":\"2026-03-10 09:00:00\",\"dscg_way\":\"1\"}}")" > /dev/null
expect_json '[.infcode, .output.data.status]' '[0, "discharged"]' "2402"
BEFORE_STAY=$(donor_total)
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2304 "$(msgid "$HOSP_A" 15)" "$HOSP_A" "$STAY_SETTLE")" > /dev/null
expect_json '[.infcode, .output.setlinfo.mdtrt_id, .output.setlinfo.clr_type]' "[0, \"$STAY\", \"21\"]" "2304"
S4_MSGID=$(msgid "$HOSP_A" 15)
AFTER_STAY=$(donor_total)
[ "$BEFORE_STAY" != "$AFTER_STAY" ] || http_fail "2304 paid nothing from the donor"
S4=$(jq -r .output.setlinfo.setl_id "$HTTP_DIR/body")
call_signed "$PAAS_B" "$SECRET_B" "$(envelope 2305 "$(msgid "$HOSP_B" 5)" "$HOSP_B" \
  "{\"data\":{\"setl_id\":\"$S4\",\"psn_no\":\"$M\",\"mdtrt_id\":\"$STAY\"}}")" > /dev/null
expect_json '[.infcode, .err_code]' '[-1, "NOT_FOUND"]' "B cancelling A's inpatient settlement (2305)"
[ "$(donor_total)" = "$AFTER_STAY" ] || http_fail "a refused 2305 moved money"
http_ok "2401 → 2301 → 2303 → 2402 → 2304 inpatient"

# ---- 2601 reversal ----
REV=$(msgid "$HOSP_A" 16)
REV_BODY=$(envelope 2601 "$REV" "$HOSP_A" "{\"data\":{\"psn_no\":\"$M\",\"omsgid\":\"$S4_MSGID\",\"oinfno\":\"2304\"}}")
call_signed "$PAAS_A" "$SECRET_A" "$REV_BODY" > /dev/null
expect_json '[.infcode, .output.reversed.oinfno]' '[0, "2304"]' "2601 of a settlement"
[ "$(donor_total)" = "$BEFORE_STAY" ] || http_fail "2601 did not restore the donor: $(donor_total), expected $BEFORE_STAY"
FIRST=$(jq -c .output "$HTTP_DIR/body")
call_signed "$PAAS_A" "$SECRET_A" "$REV_BODY" > /dev/null
expect_json .output "$FIRST" "2601 retried returns the first answer"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2601 "$(msgid "$HOSP_A" 17)" "$HOSP_A" \
  "{\"data\":{\"psn_no\":\"$M\",\"omsgid\":\"$REV\",\"oinfno\":\"2601\"}}")" > /dev/null
expect_json '[.infcode, .err_code]' '[-1, "REVERSAL_NOT_ALLOWED"]' "reversal of a reversal"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2601 "$(msgid "$HOSP_A" 18)" "$HOSP_A" \
  "{\"data\":{\"psn_no\":\"$M\",\"omsgid\":\"$(msgid "$HOSP_A" 99)\",\"oinfno\":\"2207\"}}")" > /dev/null
expect_json .err_code '"NOT_FOUND"' "reversal of an unknown msgid"
call_signed "$PAAS_B" "$SECRET_B" "$(envelope 2601 "$(msgid "$HOSP_B" 3)" "$HOSP_B" \
  "{\"data\":{\"psn_no\":\"$M\",\"omsgid\":\"$(msgid "$HOSP_A" 9)\",\"oinfno\":\"2207\"}}")" > /dev/null
expect_json .err_code '"NOT_FOUND"' "reversal of another institution's message"
http_ok "2601 reversal restores balances; reversal of a reversal refused"

# ---- a stay settles finally once (mid_setl_flag) ----
# stay_call INFNO N FLAG: INFNO (2303/2304) for the stay with mid_setl_flag FLAG, msgid serial N.
stay_call() {
  call_signed "$PAAS_A" "$SECRET_A" "$(envelope "$1" "$(msgid "$HOSP_A" "$2")" "$HOSP_A" \
    "$(echo "$STAY_SETTLE" | jq -c --arg f "$3" '.data.mid_setl_flag = $f')")" > /dev/null
}
settlements() { gj_sql "SELECT COUNT(*) FROM settlement"; }
FINAL_REFUSED='[-1, "WRONG_STATE", "mdtrt_id: the stay has a final settlement in force; cancel it (2305) first"]'
stay_call 2304 40 0   # S4 was reversed (2601): the stay settles again
expect_json '[.infcode, .output.setlinfo.mdtrt_id]' "[0, \"$STAY\"]" "2304 after the 2601 of the final settlement"
S5=$(jq -r .output.setlinfo.setl_id "$HTTP_DIR/body")
DIGEST=$(state_digest) DONOR=$(donor_total) COUNT=$(settlements)
for n in 41 42; do
  stay_call 2304 "$n" 0
  expect_json '[.infcode, .err_code, .err_detail]' "$FINAL_REFUSED" "a second final 2304 (msgid serial $n)"
done
stay_call 2304 43 1
expect_json '[.infcode, .err_code, .err_detail]' "$FINAL_REFUSED" "a mid-settlement after the final one"
stay_call 2303 44 0
expect_json '[.infcode, .err_code, .err_detail]' "$FINAL_REFUSED" "2303 answers what 2304 would"
[ "$(state_digest)" = "$DIGEST" ] && [ "$(donor_total)" = "$DONOR" ] && [ "$(settlements)" = "$COUNT" ] ||
  http_fail "a refused second settlement of the stay changed something (donor $(donor_total), was $DONOR; $(settlements) settlements, were $COUNT)"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2305 "$(msgid "$HOSP_A" 45)" "$HOSP_A" \
  "{\"data\":{\"setl_id\":\"$S5\",\"psn_no\":\"$M\",\"mdtrt_id\":\"$STAY\"}}")" > /dev/null
expect_json .infcode 0 "2305 of the final settlement"
stay_call 2304 46 1
expect_json .infcode 0 "a mid-settlement (mid_setl_flag 1)"
stay_call 2303 47 0
expect_json .infcode 0 "2303 after a mid-settlement"
stay_call 2304 48 0
expect_json .infcode 0 "the final settlement after a mid-settlement"
S6=$(jq -r .output.setlinfo.setl_id "$HTTP_DIR/body")
[ "$(gj_sql "SELECT mid_setl FROM settlement WHERE mdtrt_id = '$STAY' AND status = 'settled' ORDER BY setl_id")" = "1
0" ] || http_fail "the stay's settlements in force: $(gj_sql "SELECT setl_id, mid_setl, status FROM settlement WHERE mdtrt_id = '$STAY'")"
stay_call 2304 49 1
expect_json '[.infcode, .err_code, .err_detail]' "$FINAL_REFUSED" "a third settlement after mid and final"
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2305 "$(msgid "$HOSP_A" 50)" "$HOSP_A" \
  "{\"data\":{\"setl_id\":\"$S6\",\"psn_no\":\"$M\",\"mdtrt_id\":\"$STAY\"}}")" > /dev/null
expect_json .infcode 0 "2305 of the final settlement after a mid-settlement"
stay_call 2304 51 0
expect_json .infcode 0 "a new final settlement after the cancel"
for flag in 2 Y; do
  stay_call 2304 52 "$flag"
  expect_json '[.infcode, .err_code, .err_detail]' '[-1, "BAD_CODE", "mid_setl_flag: \"0\" or \"1\""]' "mid_setl_flag $flag"
done
VISIT_MID=$(echo "$VISIT_SETTLE" | jq -c '.data.mid_setl_flag = "Y"')   # outpatient: ignored, unchanged
call_signed "$PAAS_A" "$SECRET_A" "$(envelope 2206 "$(msgid "$HOSP_A" 53)" "$HOSP_A" "$VISIT_MID")" > /dev/null
expect_json .infcode 0 "2206 ignores mid_setl_flag"
http_ok "a stay's final settlement in force refuses another; mid-settlements do not; after 2305/2601 it settles again"

# ---- refusals ----
DIGEST=$(state_digest)
call_signed "$PAAS_P" "$SECRET_P" "$(envelope 9999 "$(msgid "$PHARMACY" 20)" "$PHARMACY" '{}')" > /dev/null
expect_json '[.infcode, (.err_msg | contains("infno"))]' '[-1, true]' "unknown infno"
call_signed "$PAAS_P" "$SECRET_P" '{"infno": "2207", "msgid": ' > /dev/null
expect_status 200 "bad JSON answers as the national platform does"
expect_json '[.infcode, .err_code]' '[-1, "BAD_JSON"]' "bad JSON"
THREE=$(envelope 2207 "$(msgid "$PHARMACY" 21)" "$PHARMACY" "$SETTLE_INPUT" | sed 's/"medfee_sumamt":300/"medfee_sumamt":300.125/')
call_signed "$PAAS_P" "$SECRET_P" "$THREE" > /dev/null
expect_json '[.err_code, (.err_msg | contains("medfee_sumamt"))]' '["BAD_AMOUNT", true]' "3-decimal amount"
for area in 999999 43010A; do   # no such province; not digits (kept with a settlement, so checked)
  call_signed "$PAAS_P" "$SECRET_P" "$(envelope 2207 "$(msgid "$PHARMACY" 24)" "$PHARMACY" "$SETTLE_INPUT" |
    jq -c --arg a "$area" '.mdtrtarea_admvs = $a')" > /dev/null
  expect_json '[.infcode, .err_code, .err_detail]' '[-1, "BAD_ADMDVS", "mdtrtarea_admvs: not a region code"]' \
    "mdtrtarea_admvs $area"
done
BAD_ID=${CERT_M:0:17}$([ "${CERT_M:17}" = 0 ] && echo 1 || echo 0)
call_signed "$PAAS_P" "$SECRET_P" "$(envelope 2207 "$(msgid "$PHARMACY" 22)" "$PHARMACY" \
  "$(echo "$SETTLE_INPUT" | jq -c --arg c "$BAD_ID" '.data.mdtrt_cert_no = $c')")" > /dev/null
expect_json '[.err_code, (.err_msg | contains("mdtrt_cert_no"))]' '["BAD_ID_NUMBER", true]' "bad ID checksum"
call_signed "$PAAS_B" "$SECRET_B" "$(envelope 2208 "$(msgid "$HOSP_B" 4)" "$HOSP_B" \
  "{\"data\":{\"setl_id\":\"$S1\",\"psn_no\":\"$M\"}}")" > /dev/null
expect_json .err_code '"NOT_FOUND"' "B cancelling A's settlement"
call_signed "$PAAS_B" "$SECRET_B" "$(envelope 2103 "$(msgid "$HOSP_B" 6)" "$HOSP_B" \
  "{\"data\":{\"setl_id\":\"$S1\",\"psn_no\":\"$M\"}}")" > /dev/null
expect_json '[.infcode, .err_code]' '[-1, "NOT_FOUND"]' "B cancelling A's pharmacy settlement (2103)"
call_signed "$PAAS_B" "$SECRET_B" "$(envelope 2208 "$(msgid "$PHARMACY" 23)" "$PHARMACY" \
  "{\"data\":{\"setl_id\":\"$S1\",\"psn_no\":\"$M\"}}")" > /dev/null
expect_json '[.infcode, .err_code]' '[-1, "FORBIDDEN"]' "B's credential with A's fixmedins_code"
[ "$(state_digest)" = "$DIGEST" ] || http_fail "a refused message changed the database"
http_ok "refusals: unknown infno, bad JSON, 3 decimals, unknown region, bad ID, other institution's settlement and code"

BODY=$(envelope 1101 "$(msgid "$PHARMACY" 30)" "$PHARMACY" "{\"data\":{\"psn_no\":\"$M\"}}")
# The secret with its last character changed (it may already end in 0: 1 time in 16).
WRONG_SECRET=${SECRET_P:0:-1}$([ "${SECRET_P: -1}" = 0 ] && echo 1 || echo 0)
call_signed "$PAAS_P" "$WRONG_SECRET" "$BODY" > /dev/null
expect_signature_refused "signature" "wrong secret"
call_signed "$PAAS_P" "$SECRET_P" "$BODY" "$(new_nonce)" "$((TS - 301))" > /dev/null
expect_signature_refused "timestamp" "stale timestamp"
call_signed "$PAAS_P" "$SECRET_P" "$BODY" "$(new_nonce)" "$((TS + 301))" > /dev/null
expect_signature_refused "timestamp" "timestamp from the future"
NONCE=$(new_nonce)
call_signed "$PAAS_P" "$SECRET_P" "$BODY" "$NONCE" > /dev/null
expect_status 200 "first use of a nonce"
call_signed "$PAAS_P" "$SECRET_P" "$BODY" "$NONCE" > /dev/null
expect_signature_refused "nonce reused" "replayed nonce"
call_signed PA0000000000000000 "$SECRET_P" "$BODY" > /dev/null
expect_signature_refused "signature" "unknown paasid"
call_signed "$PAAS_P" "$SECRET_P" "$BODY" short-nonce > /dev/null
expect_signature_refused "signature" "nonce too short"
# A key that is not UTF-8 is an unknown key (on PostgreSQL it failed the store's lookup: 200
# STORE instead of 401, and the whole batch of writes it ran in failed with it).
BAD_KEY=$(printf 'PA\xff\xfe')
call_signed "$BAD_KEY" "$SECRET_P" "$BODY" > /dev/null
expect_signature_refused "signature" "x-tif-paasid with bytes that are not UTF-8"
mapfile -t H < <(hmac_headers "$BAD_KEY" "$SECRET_P" "$BODY")
req POST /fsi/api/callService "$BODY" "${H[@]}" > /dev/null
expect_signature_refused "signature" "x-gj-key with bytes that are not UTF-8"
req POST /fsi/api/callService "$BODY" > /dev/null
expect_signature_refused "signature" "no signature headers"
mapfile -t H < <(hmac_headers "$PAAS_P" "$SECRET_P" "$BODY")
req POST /fsi/api/callService "${BODY/$M/$I}" "${H[@]}" > /dev/null
expect_signature_refused "signature" "HMAC with the body changed after signing"
head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' ' ' > "$HTTP_DIR/big.json"
mapfile -t H < <(tif_headers "$PAAS_P" "$SECRET_P" "$TS")
STATUS=$(curl -sS -o "$HTTP_DIR/body" -w '%{http_code}' -X POST "$BASE/fsi/api/callService" \
  -H 'Content-Type: application/json' --data-binary @"$HTTP_DIR/big.json" "${H[@]}")
expect_status 413 "oversized body"
http_ok "signature refusals: wrong, stale, replayed, unknown paasid, body changed, missing; 413"

# `gongji sign` prints headers gongjid accepts, in both schemes (the curl line docs/api.md shows).
printf '%s\n' "$SECRET_P" > "$HTTP_DIR/secret"
printf '%s' "$BODY" > "$HTTP_DIR/signed.json"
for scheme in hmac tif; do
  # shellcheck disable=SC2046  # the printed -H name:value arguments are meant to split
  STATUS=$(curl -sS -o "$HTTP_DIR/body" -w '%{http_code}' "$BASE/fsi/api/callService" \
    -H 'Content-Type: application/json' --data-binary @"$HTTP_DIR/signed.json" \
    $("$GONGJI" sign --scheme $scheme --paasid "$PAAS_P" --secret-file "$HTTP_DIR/secret" --body "$HTTP_DIR/signed.json"))
  expect_status 200 "request signed with gongji sign --scheme $scheme"
  expect_json .infcode 0 "request signed with gongji sign --scheme $scheme"
done
http_ok "gongji sign: both schemes accepted"

# Read the page whole first: `curl | grep -q` fails under pipefail when grep
# stops reading early and curl gets EPIPE (curl: (23) Failed writing body).
metrics_text=$(curl -sS "$BASE/metrics")
grep -q 'gongji_nhsa_calls_total{infno="2207",result="ok"}' <<<"$metrics_text" ||
  http_fail "metrics lack the 2207 calls"
grep -qE '^gongji_refusals_total\{code="MSGID_REUSED"\} [1-9]' <<<"$metrics_text" ||
  http_fail "metrics lack the national refusal MSGID_REUSED (read from the answer's text)"
grep -qE '^gongji_nhsa_calls_total\{infno="2207",result="refused"\} [1-9]' <<<"$metrics_text" ||
  http_fail "metrics lack the refused 2207 calls"
grep -qE '^gongji_pipeline_batch_size_count [1-9]' <<<"$metrics_text" ||
  http_fail "metrics lack the write pipeline's batch sizes"
# SQLite commits owe their sync to the pipeline (counted); PostgreSQL's commits sync themselves.
if [ -n "${GJ_TEST_PG:-}" ]; then synced_re='^gongji_pipeline_syncs_total [0-9]'; else synced_re='^gongji_pipeline_syncs_total [1-9]'; fi
grep -qE "$synced_re" <<<"$metrics_text" ||
  http_fail "metrics lack the pipeline's syncs (SQLite commits are synced after the writer's commit)"
# metric_positive NAME: the sample of NAME is a number above 0.
metric_positive() { awk -v name="$1" '$1 == name {found = 1; ok = ($2 + 0 > 0)} END {exit !(found && ok)}' <<<"$metrics_text"; }
metric_positive gongji_pipeline_batch_seconds_total || http_fail "metrics lack the writer's time in batches"
if [ -z "${GJ_TEST_PG:-}" ]; then
  metric_positive gongji_pipeline_sync_seconds_total || http_fail "metrics lack the time spent in syncs"
fi
grep -qE "$CERT_M|$CERT_D|李秀英|$SECRET_P" "$HTTP_DIR/server.log" && http_fail "the log carries personal data or a secret"

http_stop
"$GONGJI" verify > "$HTTP_DIR/verify.out" 2>&1 || http_fail "gongji verify: $(cat "$HTTP_DIR/verify.out")"
http_done
