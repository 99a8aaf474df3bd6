#!/bin/bash
# test_idempotency.sh — idempotency and reversal (R4.8, issue 8 item 3) through the CLI: a retry
# of every money-moving message (2102, 2207 settlements; 2103, 2208 cancellations; 2601
# reversal) returns the first answer and moves nothing more, also after the settlement was
# cancelled; the same msgid with another request is refused; a reversal of a reversal or of a
# cancellation is refused (REVERSAL_NOT_ALLOWED); a retried premium is PREMIUM_ALREADY_PAID.
# "Moves nothing" = both people's balances (`person show --json`) and a digest of the ledger
# tables (`sqlite3 .dump`) are unchanged.
# Usage: test_idempotency.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
. "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"
need_sqlite3

# Balances by layer of both people and a digest of every table money or answers live in.
state() {
    for p in P0000000001 P0000000002; do
        "$gongji" --json person show "$p" | jq -c '{psn_no, accounts}'
    done
    sqlite3 "$GONGJI_DB" ".dump account entry posting journal counter message settlement settlement_source premium" |
        sha256sum
}

# unmoved NAME: the state equals the one saved by `state >"$tmp/before"`.
unmoved() {
    state >"$tmp/after"
    cmp -s "$tmp/before" "$tmp/after" || fail "$1: something moved: $(diff "$tmp/before" "$tmp/after" | head -5)"
}

answer() { jq -S '{infcode, err_code, err_msg, output}' "$tmp/out"; }

# retried NAME FILE: the first call succeeds; the same message again answers the same and moves nothing.
retried() {
    call "$2"
    [ "$rc" -eq 0 ] || fail "$1: first call exit $rc: $(json .err_msg)"
    answer >"$tmp/first"
    state >"$tmp/before"
    call "$2"
    [ "$rc" -eq 0 ] || fail "$1: retry exit $rc: $(json .err_msg)"
    answer | cmp -s - "$tmp/first" || fail "$1: the retry answered differently"
    unmoved "$1 retried"
    cp "$tmp/first" "$tmp/out"   # later steps read the first answer
}

# refused NAME CODE FILE: the message is refused with CODE and moves nothing.
refused() {
    state >"$tmp/before"
    call "$3"
    [ "$rc" -eq 3 ] && [ "$(json .err_code)" = "$2" ] || fail "$1: exit $rc code $(json .err_code), expected 3 $2"
    unmoved "$1"
}

make_family

settle_2102=$(message 2102 I2102 "$PHARMACY" "$(pharmacy_bill 110.00)")
retried "2102 settlement" "$settle_2102"
pharmacy_setl=$(json .output.setlinfo.setl_id)
[ "$(json .output.setlinfo.acct_mulaid_pay)" = 100.00 ] || fail "2102 paid $(json .output.setlinfo.acct_mulaid_pay) from the son"
retried "2207 settlement" "$(message 2207 I2207 "$HOSPITAL" "$(outpatient_bill 130)")"
hospital_setl=$(json .output.setlinfo.setl_id)

refused "the same msgid with another bill" MSGID_REUSED \
    "$(message 2102 I2102 "$PHARMACY" "$(pharmacy_bill 120.00)")"
retried "2103 cancellation" "$(message 2103 I2103 "$PHARMACY" "$(cancel_input "$pharmacy_setl")")"
retried "2208 cancellation" "$(message 2208 I2208 "$HOSPITAL" "$(cancel_input "$hospital_setl")")"
state >"$tmp/before"
call "$settle_2102"
[ "$(json .output.setlinfo.setl_id)" = "$pharmacy_setl" ] || fail "2102 retried after its cancellation: not the first answer"
unmoved "2102 retried after its cancellation"
refused "a second cancellation under a new msgid" ALREADY_CANCELLED \
    "$(message 2103 I2103b "$PHARMACY" "$(cancel_input "$pharmacy_setl")")"

# 2601 reversal, where this build has it.
call "$(message 2601 IPROBE "$HOSPITAL" '{"data": {}}')"
if [ "$(json .err_code)" = BAD_CODE ]; then
    echo "skipped: 2601 reversal is not supported by this build"
else
    reverse() { printf '{"data": {"psn_no": "P0000000002", "omsgid": "%s", "oinfno": "%s"}}' "$1" "$2"; }
    retried "2207 settlement to reverse" "$(message 2207 IR0 "$HOSPITAL" "$(outpatient_bill 90)")"
    reversed_setl=$(json .output.setlinfo.setl_id)
    retried "2601 reversal" "$(message 2601 IR1 "$HOSPITAL" "$(reverse IR0 2207)")"
    [ "$(json .output.setlinfo.init_setl_id)" = "$reversed_setl" ] || fail "2601 did not cancel $reversed_setl"
    refused "a reversal of a reversal" REVERSAL_NOT_ALLOWED "$(message 2601 IR2 "$HOSPITAL" "$(reverse IR1 2601)")"
    refused "a reversal of a cancellation" REVERSAL_NOT_ALLOWED "$(message 2601 IR3 "$HOSPITAL" "$(reverse I2208 2208)")"
    refused "the settlement reversed again" ALREADY_CANCELLED "$(message 2601 IR4 "$HOSPITAL" "$(reverse IR0 2207)")"
    refused "the reversed settlement cancelled" ALREADY_CANCELLED \
        "$(message 2208 IR5 "$HOSPITAL" "$(cancel_input "$reversed_setl")")"
fi

expect_exit 0 "$gongji" premium pay P0000000001 P0000000002 --year 2026
state >"$tmp/before"
expect_exit 3 "$gongji" premium pay P0000000001 P0000000002 --year 2026
grep -q PREMIUM_ALREADY_PAID "$tmp/err" || fail "premium retried: $(cat "$tmp/err")"
unmoved "premium retried"

# Every settlement was undone: the son has his 5,000 yuan less the one premium.
expect_exit 0 "$gongji" --json person show P0000000001
[ "$(json .accounts.account_total_yuan)" = 4600.00 ] || fail "the son holds $(json .accounts.account_total_yuan), expected 4600.00"
expect_exit 0 "$gongji" verify
finish
