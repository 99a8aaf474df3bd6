#!/bin/bash
# test_sign.sh — `gongji sign` reproduces the worked examples of docs/nhsa.md ("Signing") for
# both schemes, takes the secret from a file or stdin (never the command line), signs exactly
# the body bytes, prints curl arguments or JSON, and refuses bad usage with stable codes.
# (That gongjid accepts what it prints: tests/http/test_nhsa.sh.)
. "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"

SECRET=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
TS=1773108000
NONCE=4f1e2d3c4b5a69788796a5b4c3d2e1f0
printf '%s\n' "$SECRET" > "$tmp/secret"
printf '%s' '{"infno":"1101","msgid":"H4301000000120260310100000001","fixmedins_code":"H43010000001","input":{"data":{"psn_no":"P0000000002"}}}' > "$tmp/body.json"
# the two signatures of the worked example, in the order the page shows them (x-tif, x-gj)
doc_sig() { grep -o '= [0-9a-f]\{64\}$' "$src/docs/nhsa.md" | cut -c3- | sed -n "$1p"; }
TIF_SIG=$(doc_sig 1)
HMAC_SIG=$(doc_sig 2)
[ ${#TIF_SIG} -eq 64 ] && [ ${#HMAC_SIG} -eq 64 ] || fail "worked examples not found in docs/nhsa.md"

expect_exit 0 "$gongji" sign --paasid PA0000000000000001 --secret-file "$tmp/secret" --scheme tif \
  --timestamp $TS --nonce $NONCE
expect_output "^-H x-tif-paasid:PA0000000000000001 -H x-tif-timestamp:$TS -H x-tif-nonce:$NONCE -H x-tif-signature:$TIF_SIG\$"

run bash -c "\"$gongji\" --json sign --paasid PA1 --secret-file - --body '$tmp/body.json' --timestamp $TS --nonce $NONCE < '$tmp/secret'"
[ "$rc" -eq 0 ] || fail "hmac from stdin: exit $rc"
[ "$(jq -r '.headers["x-gj-signature"]' "$tmp/out")" = "$HMAC_SIG" ] || fail "hmac signature differs from docs/nhsa.md"
[ "$(jq -r .scheme "$tmp/out")" = hmac ] || fail "the default scheme is not hmac"

# One byte more in the body: another signature. A random nonce: another each time.
printf ' ' >> "$tmp/body.json"
expect_exit 0 "$gongji" --json sign --paasid PA1 --secret-file "$tmp/secret" --body "$tmp/body.json" --timestamp $TS --nonce $NONCE
[ "$(jq -r '.headers["x-gj-signature"]' "$tmp/out")" != "$HMAC_SIG" ] || fail "the body is not signed"
expect_exit 0 "$gongji" --json sign --paasid PA1 --secret-file "$tmp/secret" --scheme tif
n1=$(jq -r '.headers["x-tif-nonce"]' "$tmp/out")
expect_exit 0 "$gongji" --json sign --paasid PA1 --secret-file "$tmp/secret" --scheme tif
[ "$n1" != "$(jq -r '.headers["x-tif-nonce"]' "$tmp/out")" ] && [ ${#n1} -eq 32 ] || fail "nonces are not fresh"

expect_exit 2 "$gongji" sign --paasid PA1 --secret-file "$tmp/secret"            # hmac without --body
expect_exit 2 "$gongji" sign --paasid PA1 --scheme tif                             # no secret
expect_exit 3 "$gongji" sign --paasid PA1 --secret-file "$tmp/secret" --scheme sm3
expect_exit 4 "$gongji" sign --paasid PA1 --secret-file "$tmp/none" --scheme tif
: > "$tmp/empty"
expect_exit 3 "$gongji" sign --paasid PA1 --secret-file "$tmp/empty" --scheme tif
expect_exit 0 "$gongji" sign --help
finish
