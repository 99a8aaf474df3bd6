#!/bin/bash
# test_regions.sh — the people's API for the regional fund models (docs/api.md, docs/regions.md)
# against a real gongjid: a Fujian family pool (R7.2) — contributions of one's own money, the
# statement seen by the family, closing by the creator with every fen back where it came from;
# a Guangxi medical-insurance wallet (R7.3) — a transfer from one's own account, the wallets of
# both sides, the owner's premium from the wallet; remote-care registrations (R8.2). Refusals:
# another family's pool and someone else's wallet answer 404 byte-for-byte like ones that do
# not exist, amounts above the reserve, 3-decimal amounts, malformed JSON, unknown fields, a
# member closing the creator's pool, a transfer outside a wallet region; a transfer's recipient
# named with a wrong ID number answers byte-for-byte like one who does not exist (a stranger in a
# region without the wallet too) and moves nothing; every refusal leaves the database
# unchanged. Retries: a transfer sent twice with one Idempotency-Key pays once and answers the
# same; the key with another body is refused; after idempotency_retention_s the key is a new
# request and the expired answers are pruned.
# Usage: test_regions.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2025-10-10 10:00:00"   # Fujian pool, Guangxi wallet, 2026 premium window

{
  people_csv | head -1
  regions_csv_rows
} > "$HTTP_DIR/people.csv"
gj import persons "$HTTP_DIR/people.csv"
fixture_regions
http_start || exit 1

TFD=$(sign_in "$FJD" "$CERT_FJD"); TFW=$(sign_in "$FJW" "$CERT_FJW")
TFC=$(sign_in "$FJC" "$CERT_FJC"); TFO=$(sign_in "$FJO" "$CERT_FJO")
TGD=$(sign_in "$GXD" "$CERT_GXD"); TGC=$(sign_in "$GXC" "$CERT_GXC")
for t in "$TFD" "$TFW" "$TFC" "$TFO" "$TGD" "$TGC"; do [ ${#t} -eq 64 ] || http_fail "sign-in: '$t'"; done

# expect_like_missing LABEL TOKEN METHOD PATH_A PATH_B [BODY_A [BODY_B]]: both 404 (BODY_B
# defaults to BODY_A), the same answer, the database unchanged.
expect_like_missing() {
  expect_unchanged "$1 (someone else's)" 404 NOT_FOUND "$2" "$3" "$4" "${6:-}"
  cp "$HTTP_DIR/body" "$HTTP_DIR/not_yours"
  expect_unchanged "$1 (does not exist)" 404 NOT_FOUND "$2" "$3" "$5" "${7:-${6:-}}"
  cmp -s "$HTTP_DIR/body" "$HTTP_DIR/not_yours" || http_fail "$1: someone else's answers differently from a missing one"
}

# transfer_body RECIPIENT CERTNO AMOUNT: a wallet transfer to one's child (AMOUNT as JSON).
transfer_body() {
  printf '{"recipient":"%s","recipient_certno":"%s","relation":"child","amount_yuan":%s}' "$1" "$2" "$3"
}

# ---- family pool (R7.2) ----
POOL=/api/v1/pools/$FJD
expect_unchanged "pool before the first contribution" 422 POOL_CLOSED "$TFD" GET "$POOL"
expect_unchanged "contribution above the reserve" 422 ABOVE_RESERVE_ONLY "$TFD" POST "$POOL/contributions" '{"amount_yuan":600}'
expect_unchanged "3-decimal contribution" 400 BAD_AMOUNT "$TFD" POST "$POOL/contributions" '{"amount_yuan":"100.001"}'
expect_unchanged "malformed contribution" 400 BAD_JSON "$TFD" POST "$POOL/contributions" '{"amount_yuan": 10'
expect_unchanged "contribution with an unknown field" 400 BAD_FIELD "$TFD" POST "$POOL/contributions" '{"amount_yuan":10,"from":"PF00000003"}'
expect_unchanged "contribution without amount" 400 BAD_FIELD "$TFD" POST "$POOL/contributions" '{}'
expect_call 201 "creator contributes" "$TFD" POST "$POOL/contributions" '{"amount_yuan":500}'
expect_json '[.status, .balance_yuan]' '["open", "500.00"]' "creator contributes"
expect_call 201 "wife contributes her own money" "$TFW" POST "$POOL/contributions" '{"amount_yuan":"300.00"}'
expect_json '[.balance_yuan, ([.shares[] | .contributor] | unique)]' "[\"800.00\", [\"$FJD\", \"$FJW\"]]" "wife contributes"
for t in "$TFD" "$TFW" "$TFC"; do
  expect_call 200 "the family sees the pool" "$t" GET "$POOL"
  expect_json '[.balance_yuan, (.statement | length)]' '["800.00", 2]' "the family sees the pool"
done
expect_like_missing "another family reads the pool" "$TFO" GET "$POOL" /api/v1/pools/PF99999999
expect_like_missing "another family contributes" "$TFO" POST "$POOL/contributions" /api/v1/pools/PF99999999/contributions '{"amount_yuan":10}'
expect_like_missing "another family closes the pool" "$TFO" POST "$POOL/close" /api/v1/pools/PF99999999/close
expect_like_missing "a Guangxi stranger reads the pool" "$TGD" GET "$POOL" /api/v1/pools/PF99999999
expect_unchanged "a member closes the creator's pool" 403 FORBIDDEN "$TFW" POST "$POOL/close"
expect_json .error.detail '"only the creator of the family network can close its pool"' "a member closes the creator's pool"
expect_unchanged "another family's own network runs no pool yet" 422 POOL_CLOSED "$TFO" GET "/api/v1/pools/$FJO"
expect_call 200 "creator closes" "$TFD" POST "$POOL/close"
expect_json '[.status, .balance_yuan]' '["closed", "0.00"]' "creator closes"
expect_call 200 "wife's account after closing" "$TFW" GET /api/v1/me
expect_json .accounts.account_total_yuan '"3000.00"' "the wife's 300 are back"
expect_unchanged "closing a closed pool" 422 POOL_CLOSED "$TFD" POST "$POOL/close"
http_ok "family pool"

# ---- medical-insurance wallet (R7.3) ----
T=/api/v1/wallet/transfers
expect_unchanged "transfer above the balance" 422 ABOVE_RESERVE_ONLY "$TGD" POST $T "$(transfer_body "$GXC" "$CERT_GXC" 3000.01)"
expect_unchanged "3-decimal transfer" 400 BAD_AMOUNT "$TGD" POST $T "$(transfer_body "$GXC" "$CERT_GXC" '"1.005"')"
expect_unchanged "malformed transfer" 400 BAD_JSON "$TGD" POST $T "{\"recipient\":\"$GXC\",\"recipient_certno\":\"$CERT_GXC\","
expect_unchanged "transfer without relation" 400 BAD_FIELD "$TGD" POST $T "{\"recipient\":\"$GXC\",\"recipient_certno\":\"$CERT_GXC\",\"amount_yuan\":1}"
expect_unchanged "transfer naming the donor" 400 BAD_FIELD "$TGD" POST $T "{\"donor\":\"$FJD\",\"recipient\":\"$GXC\",\"recipient_certno\":\"$CERT_GXC\",\"relation\":\"child\",\"amount_yuan\":1}"
expect_unchanged "transfer without the recipient's ID number" 400 BAD_FIELD "$TGD" POST $T "{\"recipient\":\"$GXC\",\"relation\":\"child\",\"amount_yuan\":1}"
expect_json .error.detail '"recipient_certno: required"' "transfer without the recipient's ID number"
# a relation R2.1 never admits (an uncle) and a known one outside Guangxi's scope (spouse,
# parents, children) are both 422 RELATION_NOT_ALLOWED, as for invitations
expect_unchanged "transfer to an uncle" 422 RELATION_NOT_ALLOWED "$TGD" POST $T "$(transfer_body "$GXC" "$CERT_GXC" 1 | sed 's/"child"/"uncle"/')"
expect_unchanged "transfer to a sibling in Guangxi" 422 RELATION_NOT_ALLOWED "$TGD" POST $T "$(transfer_body "$GXC" "$CERT_GXC" 1 | sed 's/"child"/"sibling"/')"
# The recipient is named by person number and ID number: the son with a wrong ID number, a
# stranger in a region without the wallet with a guessed one and a person who does not exist
# answer the very same 404 before any rule looks at the recipient, and no money moves — nobody
# learns whether a stranger is insured, where, or under which scheme (R6.2).
expect_like_missing "transfer to the son with a wrong ID number" "$TGD" POST $T $T \
  "$(transfer_body "$GXC" "$CERT_GXD" 600)" "$(transfer_body PG99999999 "$CERT_GXC" 600)"
expect_like_missing "transfer to a Fujian stranger with a guessed ID number" "$TGD" POST $T $T \
  "$(transfer_body "$FJC" "$CERT_GXC" 1)" "$(transfer_body PG99999999 "$CERT_GXC" 1)"
expect_unchanged "transfer outside a wallet region" 422 NOT_WALLET_REGION "$TFD" POST $T "$(transfer_body "$FJC" "$CERT_FJC" 1)"
expect_call 201 "transfer" "$TGD" POST $T "$(transfer_body "$GXC" "$CERT_GXC" 600)"
expect_json '[.from, .to, .relation, .amount_yuan, (.transfer_id | test("^WT"))]' "[\"$GXD\", \"$GXC\", \"child\", \"600.00\", true]" "transfer"
expect_json '[has("balance_yuan"), has("statement")]' '[false, false]' "the donor is not shown the recipient's wallet"
expect_call 200 "recipient's wallet" "$TGC" GET /api/v1/wallet
expect_json '[.balance_yuan, .transfers_in[0].from, .transfers_in[0].channel]' "[\"600.00\", \"$GXD\", \"app\"]" "recipient's wallet"
expect_call 200 "donor's wallet: the transfers he sent" "$TGD" GET /api/v1/wallet
expect_json '[.balance_yuan, .transfers_out[0].to, .transfers_out[0].amount_yuan]' "[\"0.00\", \"$GXC\", \"600.00\"]" "transfers sent"
expect_call 200 "one's own wallet by number" "$TGC" GET "/api/v1/wallets/$GXC"
expect_like_missing "the donor reads the recipient's wallet" "$TGD" GET "/api/v1/wallets/$GXC" /api/v1/wallets/PG99999999
expect_call 200 "donor's account after the transfer" "$TGD" GET /api/v1/me
expect_json .accounts.account_total_yuan '"2400.00"' "donor's account after the transfer"
expect_unchanged "premium year as text" 400 BAD_FIELD "$TGC" POST /api/v1/wallet/premiums '{"year":"2026x"}'
expect_unchanged "an employee's premium from a wallet" 422 NOT_RESIDENT_SCHEME "$TGD" POST /api/v1/wallet/premiums '{"year":2026}'
expect_call 201 "own premium from the wallet" "$TGC" POST /api/v1/wallet/premiums '{"year":2026}'
expect_json '[.member, .amount_yuan, .binding_id]' "[\"$GXC\", \"400.00\", \"wallet\"]" "own premium from the wallet"
expect_unchanged "premium twice" 422 PREMIUM_ALREADY_PAID "$TGC" POST /api/v1/wallet/premiums '{"year":2026}'
call_as "$TGC" GET /api/v1/wallet
expect_json '[.balance_yuan, [.statement[].kind]]' '["200.00", ["wallet.transfer", "premium.pay"]]' "wallet after the premium"
http_ok "wallet"

# ---- remote-care registrations (R8.2) ----
RC=/api/v1/remote-care
expect_unchanged "registration with a bad date" 400 BAD_DATE "$TGC" POST $RC '{"place":"320100","from":"2025-13-01","to":"2026-09-30"}'
expect_unchanged "registration without place" 400 BAD_FIELD "$TGC" POST $RC '{"from":"2025-10-01","to":"2026-09-30"}'
expect_unchanged "registration for someone else" 400 BAD_FIELD "$TGD" POST $RC "{\"psn_no\":\"$GXC\",\"place\":\"320100\",\"from\":\"2025-10-01\",\"to\":\"2026-09-30\"}"
expect_call 201 "own registration" "$TGC" POST $RC '{"place":"320100","from":"2025-10-01","to":"2026-09-30"}'
expect_call 200 "own registrations" "$TGC" GET $RC
expect_json "[.registrations[] | [.psn_no, .place_admdvs, .valid_from, .valid_to]]" "[[\"$GXC\", \"320100\", \"2025-10-01\", \"2026-09-30\"]]" "own registrations"
expect_call 200 "someone else sees only their own" "$TGD" GET $RC
expect_json '.registrations | length' 0 "someone else sees only their own"
http_ok "remote care"

# ---- retries of REST writes: Idempotency-Key (docs/api.md "Retries") ----
KEY=(-H "Idempotency-Key: wt-2025-10-10-0001")
TRANSFER=$(transfer_body "$GXC" "$CERT_GXC" 100)
expect_call 201 "transfer with a key" "$TGD" POST $T "$TRANSFER" "${KEY[@]}"
cp "$HTTP_DIR/body" "$HTTP_DIR/first_answer"
before=$(db_digest)
expect_call 201 "the same transfer again with its key" "$TGD" POST $T "$TRANSFER" "${KEY[@]}"
cmp -s "$HTTP_DIR/body" "$HTTP_DIR/first_answer" || http_fail "a retry answered differently: $(cat "$HTTP_DIR/body")"
[ "$(db_digest)" = "$before" ] || http_fail "a retry with the same key changed the database"
expect_call 200 "donor's account after the transfer and its retry" "$TGD" GET /api/v1/me
expect_json .accounts.account_total_yuan '"2300.00"' "the transfer was paid once"
expect_unchanged "the key with another amount" 409 IDEMPOTENCY_KEY_REUSED "$TGD" POST $T \
  "$(transfer_body "$GXC" "$CERT_GXC" 50)" "${KEY[@]}"
expect_unchanged "a key with a space" 400 BAD_FIELD "$TGD" POST $T "$TRANSFER" -H "Idempotency-Key: a b"
expect_unchanged "a refusal is not remembered (1)" 422 ABOVE_RESERVE_ONLY "$TGD" POST $T \
  "$(transfer_body "$GXC" "$CERT_GXC" 9000)" -H "Idempotency-Key: big-1"
expect_unchanged "a refusal is not remembered (2: decided again)" 422 ABOVE_RESERVE_ONLY "$TGD" POST $T \
  "$(transfer_body "$GXC" "$CERT_GXC" 9000)" -H "Idempotency-Key: big-1"
expect_call 201 "another person's request with the same key is theirs" "$TGC" POST $RC \
  '{"place":"320100","from":"2026-10-01","to":"2027-09-30"}' "${KEY[@]}"
expect_call 201 "without a key a request runs each time (the client's choice)" "$TGD" POST $T "$TRANSFER"
expect_call 200 "donor's account" "$TGD" GET /api/v1/me
expect_json .accounts.account_total_yuan '"2200.00"' "two transfers, one of them retried"
http_ok "retries with Idempotency-Key"

# an answer is kept idempotency_retention_s (here 60 s): a minute later the key's retry is a new
# request, and remembering its answer prunes the expired ones
http_stop
GONGJI_NOW="2025-10-10 10:01:00" http_start --idempotency_retention_s 60 || exit 1
expect_sql "SELECT COUNT(*) FROM rest_request" 2 "expired answers stay until the next keyed write"
expect_call 201 "the key after its retention: a new transfer" "$TGD" POST $T "$TRANSFER" "${KEY[@]}"
cp "$HTTP_DIR/body" "$HTTP_DIR/new_answer"
cmp -s "$HTTP_DIR/body" "$HTTP_DIR/first_answer" && http_fail "an expired key answered the stored result"
expect_call 201 "its retry within the retention" "$TGD" POST $T "$TRANSFER" "${KEY[@]}"
cmp -s "$HTTP_DIR/body" "$HTTP_DIR/new_answer" || http_fail "a fresh key answered differently: $(cat "$HTTP_DIR/body")"
expect_sql "SELECT COUNT(*) FROM rest_request" 1 "the expired answers pruned, the fresh one kept"
expect_call 200 "donor's account after the expired key" "$TGD" GET /api/v1/me
expect_json .accounts.account_total_yuan '"2100.00"' "the transfer after the retention paid once more"
http_ok "Idempotency-Key answers expire after idempotency_retention_s"

gj verify
http_done
