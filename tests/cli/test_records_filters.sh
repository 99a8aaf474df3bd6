#!/bin/sh
# test_records_filters.sh — `gongji records member|donor --region --med-type`: known codes
# filter; an invalid region code is refused with BAD_ADMDVS and an unknown visit type with
# BAD_CODE (exit 3), never answered with an empty list.
# Usage: test_records_filters.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
. "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"
make_family
call "$(message 2102 I2102 "$PHARMACY" "$(pharmacy_bill 110.00)")"
[ "$rc" -eq 0 ] || fail "pharmacy purchase: exit $rc: $(json .err_msg)"
setl=$(json .output.setlinfo.setl_id)

# records WHO PSN_NO COUNT OPTIONS...: the listing succeeds with COUNT records.
records() {
    who=$1 person=$2 count=$3 list=records
    [ "$who" = donor ] && list=uses
    shift 3
    expect_exit 0 "$gongji" --json records "$who" "$person" "$@"
    [ "$(jq ".$list | length" "$tmp/out" 2>/dev/null)" = "$count" ] ||
        fail "records $who $person $* → $(jq -c ".$list | map(.setl_id)" "$tmp/out"), expected $count"
}

# refused CODE ARGS...: the listing is refused with CODE (exit 3; --json: the error on stdout).
refused() {
    code=$1
    shift
    expect_exit 3 "$gongji" --json records "$@"
    [ "$(json .error.code)" = "$code" ] || fail "records $* → code $(json .error.code), expected $code"
}

records member P0000000002 1 --region 430100 --med-type 41
expect_output "$setl"
records member P0000000002 0 --region 440300        # valid, elsewhere: nothing
records member P0000000002 0 --med-type 11          # valid, another visit type: nothing
records donor P0000000001 1 --region 430100 --med-type 41

refused BAD_ADMDVS member P0000000002 --region 999999   # no province 99
refused BAD_ADMDVS member P0000000002 --region 43x100
refused BAD_ADMDVS donor P0000000001 --region 4301
refused BAD_CODE member P0000000002 --med-type 99
refused BAD_CODE donor P0000000001 --med-type 41x
expect_exit 3 "$gongji" records member P0000000002 --med-type 99   # text mode: code on stderr
grep -q BAD_CODE "$tmp/err" || fail "text-mode refusal lacks BAD_CODE: $(cat "$tmp/err")"

finish
