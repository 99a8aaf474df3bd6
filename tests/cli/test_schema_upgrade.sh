#!/bin/bash
# test_schema_upgrade.sh — migrations 007 (src/store/schema/007_sqlite_keys.sql) and 008
# (008_settlement_usage.sql) on a database laid out as before them: a database with real
# activity (import, family, settlements, a cancellation, a premium) is turned back into the
# layout of 001_init.sql (its CREATE TABLE statements, rowid tables) with version 7 unrecorded;
# the next command applies 007. Then the five tables are in the new layout (WITHOUT ROWID,
# INTEGER PRIMARY KEY), hold exactly the rows they held, verify is clean, and settling and
# importing go on. Then 008 is undone (the old settlement_psn index back, version 8 unrecorded):
# the next command applies it, and a settlement's year-to-date query reads the index alone.
# Usage: test_schema_upgrade.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
. "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"
need_sqlite3
TABLES="counter account entry posting journal"
q() { sqlite3 "$GONGJI_DB" "$1"; }

make_family
call "$(message 2102 U1 "$PHARMACY" "$(pharmacy_bill 110.00)")"
first=$(json .output.setlinfo.setl_id)
call "$(message 2103 U2 "$PHARMACY" "$(cancel_input "$first")")"
call "$(message 2207 U3 "$HOSPITAL" "$(outpatient_bill 130)")"
[ "$rc" -eq 0 ] || fail "2207 settlement: exit $rc"
expect_exit 0 "$gongji" premium pay P0000000001 P0000000002 --year 2026
[ "$(q "SELECT count(*) FROM schema_version WHERE version IN (7, 8)")" = 2 ] ||
    fail "a new database lacks version 7 or 8"
q "SELECT sql FROM sqlite_master WHERE name = 'posting'" | grep -q "WITHOUT ROWID" ||
    fail "a new database's posting table is not WITHOUT ROWID"

# every row of the five tables, in key order (compared after the upgrade)
rows() { for t in $TABLES; do echo "-- $t"; sqlite3 "$GONGJI_DB" "SELECT * FROM $t ORDER BY 1, 2"; done; }
rows > "$tmp/rows.before"

# back to the layout of 001_init.sql: its CREATE TABLE statements and its indexes
old_layout() {
    local t sql
    for t in $TABLES; do
        sql=$(awk -v t="$t" '$0 ~ "^CREATE TABLE " t " \\(" {on = 1} on {print} on && /^\);/ {exit}' \
              "$src/src/store/schema/001_init.sql" | sed "s/^CREATE TABLE $t (/CREATE TABLE ${t}_old (/")
        [ -n "$sql" ] || { fail "no CREATE TABLE $t in 001_init.sql"; return; }
        echo "$sql"
        echo "INSERT INTO ${t}_old SELECT * FROM $t; DROP TABLE $t; ALTER TABLE ${t}_old RENAME TO $t;"
    done
    grep -E "^CREATE INDEX .* ON (account|entry|posting) " "$src"/src/store/schema/00[1-5]_*.sql | cut -d: -f2-
    echo "DELETE FROM schema_version WHERE version = 7;"
}
sqlite3 "$GONGJI_DB" "BEGIN; $(old_layout) COMMIT;" || fail "turning the database back into the 001 layout"
q "SELECT sql FROM sqlite_master WHERE name = 'posting'" | grep -q "WITHOUT ROWID" &&
    fail "setup: posting still WITHOUT ROWID"
[ "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('account_owner', 'entry_journal', 'posting_acct')")" = 3 ] ||
    fail "setup: the old layout lacks its indexes"
rows > "$tmp/rows.old"
cmp -s "$tmp/rows.before" "$tmp/rows.old" || fail "setup: the rows changed while going back to 001"

# the next command applies 007
expect_exit 0 "$gongji" verify
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 7")" = 1 ] || fail "version 7 not recorded by the upgrade"
for t in counter account posting; do
    q "SELECT sql FROM sqlite_master WHERE name = '$t'" | grep -q "WITHOUT ROWID" || fail "$t is not WITHOUT ROWID after 007"
done
for t in entry journal; do
    q "SELECT sql FROM sqlite_master WHERE name = '$t'" | grep -q "INTEGER PRIMARY KEY" || fail "$t lacks INTEGER PRIMARY KEY after 007"
done
[ "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('account_owner', 'entry_journal', 'posting_acct')")" = 3 ] ||
    fail "indexes missing after 007"
[ "$(q "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_007'")" = 0 ] || fail "007 left a working table behind"
rows > "$tmp/rows.after"
cmp -s "$tmp/rows.before" "$tmp/rows.after" || fail "007 changed rows: $(diff "$tmp/rows.before" "$tmp/rows.after" | head -5)"

# and the ledger goes on: a settlement, a duplicate person refused by the keys, verify clean
call "$(message 2207 U4 "$HOSPITAL" "$(outpatient_bill 90)")"
[ "$rc" -eq 0 ] && [ "$(json .infcode)" = 0 ] || fail "settlement after 007: exit $rc $(json .err_msg)"
head -1 "$tmp/persons.csv" > "$tmp/dup.csv"
sed -n 2p "$tmp/persons.csv" >> "$tmp/dup.csv"
expect_exit 3 "$gongji" import persons "$tmp/dup.csv"
grep -q DUPLICATE "$tmp/err" || fail "duplicate person after 007: $(cat "$tmp/err")"
expect_exit 0 "$gongji" verify

# 008: undone, then applied by the next command
usage_plan() {
    q "EXPLAIN QUERY PLAN SELECT COALESCE(SUM(deductible_fen), 0), COALESCE(SUM(fund_pay_fen), 0)
       FROM settlement WHERE psn_no = 'P0000000001' AND setl_year = 2026 AND fund_bucket = 'x'
       AND status = 'settled'"
}
usage_plan | grep -q "COVERING INDEX settlement_psn_usage" ||
    fail "a new database's year-to-date query does not read the index alone: $(usage_plan)"
q "DROP INDEX settlement_psn_usage; CREATE INDEX settlement_psn ON settlement (psn_no, setl_year);
   DELETE FROM schema_version WHERE version = 8;" || fail "setup: undoing 008"
usage_plan | grep -q "COVERING" && fail "setup: the old index covers the query"
expect_exit 0 "$gongji" verify
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 8")" = 1 ] || fail "version 8 not recorded by the upgrade"
[ "$(q "SELECT count(*) FROM sqlite_master WHERE name = 'settlement_psn'")" = 0 ] || fail "008 left the old index"
usage_plan | grep -q "COVERING INDEX settlement_psn_usage" || fail "after 008: $(usage_plan)"
call "$(message 2207 U5 "$HOSPITAL" "$(outpatient_bill 80)")"
[ "$rc" -eq 0 ] && [ "$(json .infcode)" = 0 ] || fail "settlement after 008: exit $rc $(json .err_msg)"
expect_exit 0 "$gongji" verify
finish
