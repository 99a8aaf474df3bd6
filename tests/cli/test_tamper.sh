#!/bin/bash
# test_tamper.sh — tamper evidence (R9.3, issue 8 item 6): a database with real activity made
# through the CLI (import, network, binding, settlements via `call`, a cancellation, a premium)
# passes `gongji verify`; then, each on its own copy, a posting, an entry, a journal record or a
# cached balance or a binding's running use is changed, deleted or inserted directly with
# sqlite3, and verify must exit 6 naming the first bad record (journal seq, entry, account or
# binding).
# Usage: test_tamper.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
. "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"
need_sqlite3

# ---- the activity -------------------------------------------------------------------------
make_family
call "$(message 2102 T1 "$PHARMACY" "$(pharmacy_bill 110.00)")"
first=$(json .output.setlinfo.setl_id)
call "$(message 2103 T2 "$PHARMACY" "$(cancel_input "$first")")"
call "$(message 2207 T3 "$HOSPITAL" "$(outpatient_bill 130)")"
kept=$(json .output.setlinfo.setl_id)
[ "$rc" -eq 0 ] && [ "$kept" != null ] || fail "2207 settlement: exit $rc"
expect_exit 0 "$gongji" premium pay P0000000001 P0000000002 --year 2026
sqlite3 "$GONGJI_DB" ".backup '$tmp/money-last.db'"   # here the last record moved money
expect_exit 0 "$gongji" bind set B0000000001 --priority 1
expect_exit 0 "$gongji" verify
expect_output "head_hash"

q() { sqlite3 "$GONGJI_DB" "$1"; }
entry=$(q "SELECT entry_id FROM settlement WHERE setl_id = '$kept'")
seq=$(q "SELECT journal_seq FROM entry WHERE entry_id = $entry")
last=$(q "SELECT MAX(seq) FROM journal")
money_last=$(sqlite3 "$tmp/money-last.db" "SELECT MAX(seq) FROM journal")
head=$(q "SELECT hash FROM journal WHERE seq = $last")
[ -n "$entry" ] && [ -n "$seq" ] && [ "$last" -gt "$seq" ] || fail "setup: entry '$entry' seq '$seq' last '$last'"

# tampered NAME SQL PATTERN [BASE]: on a copy of BASE (default: the database above), SQL must make
# verify exit 6 with PATTERN in what it prints.
tampered() {
    copy="$tmp/tampered.db"
    rm -f "$copy"
    sqlite3 "${4:-$GONGJI_DB}" ".backup '$copy'"
    sqlite3 "$copy" "$2" || { fail "$1: the SQL failed"; return; }
    run "$gongji" --db "$copy" verify
    [ "$rc" -eq 6 ] || fail "$1: verify exit $rc, expected 6"
    cat "$tmp/out" "$tmp/err" | grep -q -- "$3" ||
        fail "$1: verify does not name '$3': $(cat "$tmp/err")"
}

# A record forged with a correctly recomputed hash, appended after the head.
forged_at=$(q "SELECT at FROM journal WHERE seq = $last")
forged_detail='{"note":"forged"}'
forged_hash=$(printf '%s' "$((last + 1))|$forged_at|cli|cli|binding.change|B0000000001|$forged_detail|$head|" |
    sha256sum | cut -d' ' -f1)

tampered "posting amount changed" \
    "UPDATE posting SET amount_fen = amount_fen + 100 WHERE entry_id = $entry AND line = 1" \
    "journal $seq: postings changed"
tampered "money moved between accounts, balances adjusted to match" \
    "UPDATE posting SET amount_fen = amount_fen - 1000 WHERE entry_id = $entry AND acct_code = 'psn:P0000000001:current';
     UPDATE posting SET amount_fen = amount_fen + 1000 WHERE entry_id = $entry AND acct_code = 'inst:$HOSPITAL';
     UPDATE account SET balance_fen = balance_fen - 1000 WHERE code = 'psn:P0000000001:current';
     UPDATE account SET balance_fen = balance_fen + 1000 WHERE code = 'inst:$HOSPITAL';" \
    "journal $seq: postings changed"
tampered "posting moved to another account" \
    "UPDATE posting SET acct_code = 'psn:P0000000001:prior' WHERE entry_id = $entry AND acct_code = 'psn:P0000000001:current'" \
    "journal $seq: postings changed"
tampered "posting deleted" \
    "DELETE FROM posting WHERE entry_id = $entry AND line = 2" \
    "journal $seq: postings changed"
tampered "posting inserted into an entry" \
    "INSERT INTO posting (entry_id, line, acct_code, amount_fen) VALUES ($entry, 99, 'psn:P0000000001:card', 100)" \
    "journal $seq: postings changed"
tampered "posting inserted under an entry that does not exist" \
    "INSERT INTO posting (entry_id, line, acct_code, amount_fen) VALUES (999, 1, 'psn:P0000000001:card', 100)" \
    "posting of entry 999: the entry is missing"
tampered "entry deleted" \
    "DELETE FROM entry WHERE entry_id = $entry" \
    "journal $seq: postings changed"
tampered "entry inserted without a journal record" \
    "INSERT INTO entry (entry_id, kind, ref, at, journal_seq) VALUES (999, 'settle', 'S9', 0, $((last + 5)))" \
    "entry 999: its journal record $((last + 5)) is missing"
tampered "entry moved to another journal record" \
    "UPDATE entry SET journal_seq = 6 WHERE entry_id = $entry" \
    "journal 6: postings without a recorded digest"
tampered "journal detail changed" \
    "UPDATE journal SET detail = replace(detail, 'P0000000002', 'P0000000009') WHERE seq = $seq" \
    "journal $seq: record changed"
tampered "journal actor changed" \
    "UPDATE journal SET actor = 'someone else' WHERE seq = 2" \
    "journal 2: record changed"
tampered "journal record deleted (middle)" \
    "DELETE FROM journal WHERE seq = 5" \
    "journal 6: record 5 missing"
tampered "journal record deleted (last, moved no money)" \
    "DELETE FROM journal WHERE seq = $last" \
    "journal $last: record missing"
tampered "journal record deleted (last, moved money)" \
    "DELETE FROM journal WHERE seq = $money_last" \
    "journal $money_last: record missing" "$tmp/money-last.db"
tampered "journal record inserted after the head" \
    "INSERT INTO journal VALUES ($((last + 1)), $forged_at, 'cli', 'cli', 'binding.change', 'B0000000001', '$forged_detail', '$head', 'ffff')" \
    "journal $((last + 1)): record changed"
tampered "journal record inserted with a recomputed hash" \
    "INSERT INTO journal VALUES ($((last + 1)), $forged_at, 'cli', 'cli', 'binding.change', 'B0000000001', '$forged_detail', '$head', '$forged_hash')" \
    "journal $((last + 1)): record beyond the journal counter"
# The last record (it moved money) with extra characters after its postings digest, and its
# hash recomputed, so only the digest check can see it.
lq() { sqlite3 "$tmp/money-last.db" "SELECT $1 FROM journal WHERE seq = $money_last"; }
long_detail=$(lq "replace(detail, '\"postings_sha256\":\"' || substr(detail, instr(detail, '\"postings_sha256\":\"') + 19, 64), '\"postings_sha256\":\"' || substr(detail, instr(detail, '\"postings_sha256\":\"') + 19, 64) || '00')")
[ "$long_detail" != "$(lq detail)" ] || fail "setup: record $money_last names no postings digest"
long_hash=$(printf '%s' "$money_last|$(lq at)|$(lq actor)|$(lq channel)|$(lq action)|$(lq subject)|$long_detail|$(lq prev_hash)|" |
    sha256sum | cut -d' ' -f1)
tampered "postings digest lengthened, record hash recomputed" \
    "UPDATE journal SET detail = '${long_detail//\'/\'\'}', hash = '$long_hash' WHERE seq = $money_last" \
    "journal $money_last: postings changed" "$tmp/money-last.db"
tampered "account's cached balance changed" \
    "UPDATE account SET balance_fen = balance_fen + 100 WHERE code = 'psn:P0000000001:prior'" \
    "account psn:P0000000001:prior: balance"
tampered "account deleted" \
    "DELETE FROM account WHERE code = 'inst:$HOSPITAL'" \
    "account inst:$HOSPITAL: missing"

# A binding's running use (schema 010): after the cancelled 2102 and the kept 2207 it is what
# the kept settlement drew; raised, lowered to nothing or removed, verify names the binding.
drawn=$(q "SELECT SUM(amount_fen) FROM settlement_source WHERE setl_id = '$kept'")
[ -n "$drawn" ] && [ "$drawn" -gt 0 ] || fail "setup: the 2207 settlement drew nothing from a relative"
[ "$(q "SELECT GROUP_CONCAT(binding_id || ' ' || used_fen) FROM binding_use WHERE used_fen <> 0")" = "B0000000001 $drawn" ] ||
    fail "binding use after a cancellation: $(q "SELECT * FROM binding_use"), the kept settlement drew $drawn"
tampered "binding use raised" \
    "UPDATE binding_use SET used_fen = used_fen + 100 WHERE binding_id = 'B0000000001'" \
    "binding B0000000001, [0-9]*: recorded use $((drawn + 100)) fen"
tampered "binding use deleted" \
    "DELETE FROM binding_use" \
    "binding B0000000001, [0-9]*: its settlements drew $drawn fen"
tampered "settlement source raised (binding use kept)" \
    "UPDATE settlement_source SET amount_fen = amount_fen + 1 WHERE setl_id = '$kept' AND line = 1" \
    "binding B0000000001, [0-9]*: recorded use $drawn fen"

# refused_unchanged NAME DB SQL CODE MSGID: on DB (a copy of the database above) SQL is run, then a
# 2207 settlement must be refused CODE and change no settlement, journal record or balance.
refused_unchanged() {
    sqlite3 "$GONGJI_DB" ".backup '$2'"
    sqlite3 "$2" "$3" || { fail "$1: the SQL failed"; return; }
    local state="SELECT count(*), (SELECT count(*) FROM journal), (SELECT group_concat(balance_fen) FROM account) FROM settlement"
    local before
    before=$(sqlite3 "$2" "$state")
    run "$gongji" --db "$2" --json call "$(message 2207 "$5" "$HOSPITAL" "$(outpatient_bill 130)")"
    grep -q "$4" "$tmp/out" "$tmp/err" || fail "$1: not refused $4: $(cat "$tmp/out" "$tmp/err")"
    [ "$(sqlite3 "$2" "$state")" = "$before" ] || fail "$1: the refusal changed the database"
}

# A cached balance near the top of int64 (only reachable by editing the database): the next
# settlement owing that hospital is refused AMOUNT_OVERFLOW and changes nothing, instead of the
# sum turning into a floating-point number.
edge="$tmp/edge.db"
refused_unchanged "overflowing balance" "$edge" \
    "UPDATE account SET balance_fen = 9223372036854775800 WHERE code = 'inst:$HOSPITAL'" AMOUNT_OVERFLOW T9
[ "$(sqlite3 "$edge" "SELECT typeof(balance_fen) FROM account WHERE code = 'inst:$HOSPITAL'")" = integer ] ||
    fail "overflowing balance: the cached balance is no longer an integer"

# A binding's running use made negative (only by editing the table): the next settlement that
# would draw on it is refused LEDGER_UNBALANCED and changes nothing, instead of stopping on an
# assertion or paying against a wrong limit.
refused_unchanged "negative binding use" "$tmp/negative-use.db" \
    "UPDATE binding_use SET used_fen = -100 WHERE binding_id = 'B0000000001'" LEDGER_UNBALANCED T10
# …or near the top of int64: the settlement is refused AMOUNT_OVERFLOW, the total stays an integer
refused_unchanged "overflowing binding use" "$tmp/overflow-use.db" \
    "UPDATE binding_use SET used_fen = 9223372036854775800 WHERE binding_id = 'B0000000001'" AMOUNT_OVERFLOW T11

expect_exit 0 "$gongji" verify   # the original is untouched
finish
