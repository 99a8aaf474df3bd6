#!/bin/bash
# test_schema_upgrade.sh — migrations 007 (src/store/schema/007_sqlite_keys.sql), 008
# (008_settlement_usage.sql), 009 (009_message_reference.sql), 010 (010_binding_use.sql) and 011
# (011_person_cert_index.sql) on a database laid out as
# before them: a database with real activity (import, family, settlements, a cancellation, a
# premium) is turned back into the layout of 001_init.sql (its CREATE TABLE statements, rowid
# tables) with version 7 unrecorded; the next command applies 007. Then the five tables are in
# the new layout (WITHOUT ROWID, INTEGER PRIMARY KEY), hold exactly the rows they held, verify
# is clean, and settling and importing go on. Then 008 is undone (the old settlement_psn index back, version 8 unrecorded):
# the next command applies it, and a settlement's year-to-date query reads the index alone.
# Then 009 is undone (a settlement's message whole again, output_setl_id dropped): a retry
# applies it and returns the old whole answer unchanged; a new settlement's message names it.
# Then 010 is undone (binding_use dropped): the next command fills it from the settlements'
# sources, equal to what was kept as they were made. Then 011 is undone (person with 001's
# UNIQUE constraint): the next command names the index, makes the certificate and card indexes
# partial (NOT NULL), rows and rowids unchanged. Then 012 is undone (binding_member back) and
# applied. Then 013 (013_settlement_acct_pay.sql) is undone (acct_pay_fen dropped): the next
# command fills it from the stored answers, equal to what was written as they were made, also
# for a settlement that answered mutual aid outside acct_pay. Then 015 (015_rest_request_at.sql)
# is undone (index dropped): the next command builds it, the answers kept unchanged. Then 016
# (016_settlement_mid.sql) is undone (mid_setl and its index dropped): the next command adds
# them, every earlier settlement final (0), and the check of a 2304 reads the index. Then 017
# (017_certno_canonical.sql) is undone (an ID number with a check letter "x"): the next command
# writes it with "X".
# Last, a database with a schema version newer than the binary's is refused (exit 5).
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
u5=$(message 2207 U5 "$HOSPITAL" "$(outpatient_bill 80)")
call "$u5"
[ "$rc" -eq 0 ] && [ "$(json .infcode)" = 0 ] || fail "settlement after 008: exit $rc $(json .err_msg)"
expect_exit 0 "$gongji" verify

# 009: a settlement's message names its settlement instead of holding a copy of its output
answer() { jq -S '{infcode, inf_refmsgid, respond_time, output}' "$tmp/out"; }
call "$u5"
answer > "$tmp/u5.first"
[ "$(q "SELECT output_setl_id IS NOT NULL AND instr(response, 'setlinfo') = 0 FROM message WHERE msgid = 'U5'")" = 1 ] ||
    fail "a settlement's message holds its output: $(q "SELECT output_setl_id, length(response) FROM message WHERE msgid = 'U5'")"
# undone: the message whole again (as stored before 009), the column dropped, version 9 unrecorded
q "UPDATE message SET response = substr(response, 1, length(response) - 1) || ',\"output\":' ||
     (SELECT substr(s.output, 1, length(s.output) - 1) || ',\"gj_explain\":' || s.explain || '}'
      FROM settlement s WHERE s.setl_id = message.output_setl_id) || '}', output_setl_id = NULL
     WHERE output_setl_id IS NOT NULL;
   ALTER TABLE message DROP COLUMN output_setl_id; DELETE FROM schema_version WHERE version = 9;" ||
    fail "setup: undoing 009"
call "$u5"   # applies 009; the whole stored answer is returned as it was
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 9")" = 1 ] || fail "version 9 not recorded by the upgrade"
answer | cmp -s - "$tmp/u5.first" || fail "after 009 the retry of a whole stored answer differs: $(answer | diff - "$tmp/u5.first" | head -5)"
[ "$(q "SELECT output_setl_id IS NULL FROM message WHERE msgid = 'U5'")" = 1 ] || fail "009 changed an old message"
call "$(message 2207 U6 "$HOSPITAL" "$(outpatient_bill 70)")"
[ "$rc" -eq 0 ] && [ "$(json .infcode)" = 0 ] || fail "settlement after 009: exit $rc $(json .err_msg)"
[ "$(q "SELECT output_setl_id FROM message WHERE msgid = 'U6'")" = "$(json .output.setlinfo.setl_id)" ] ||
    fail "after 009 a settlement's message does not name it"
expect_exit 0 "$gongji" verify

# 010: each binding's use as a running total; undone (table dropped, version 10 unrecorded), the
# next command fills it again from the sources of settled settlements (the cancelled 2102 not
# counted), and settling goes on adding to it
use() { q "SELECT binding_id || ' ' || setl_year || ' ' || used_fen FROM binding_use WHERE used_fen <> 0 ORDER BY 1"; }
before_use=$(use)
[ -n "$before_use" ] || fail "no binding use recorded before undoing 010"
q "DROP TABLE binding_use; DELETE FROM schema_version WHERE version = 10;" || fail "setup: undoing 010"
expect_exit 0 "$gongji" verify   # applies 010
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 10")" = 1 ] || fail "version 10 not recorded by the upgrade"
[ "$(use)" = "$before_use" ] || fail "010 filled binding use as '$(use)', it was '$before_use'"
call "$(message 2207 U7 "$HOSPITAL" "$(outpatient_bill 60)")"
[ "$rc" -eq 0 ] && [ "$(json .infcode)" = 0 ] || fail "settlement after 010: exit $rc $(json .err_msg)"
[ "$(use)" != "$before_use" ] || fail "a settlement after 010 did not add to its binding's use"
expect_exit 0 "$gongji" verify

# 011: the ID numbers' unique index named (person_cert) instead of the table's UNIQUE constraint;
# the indexes of electronic certificate and card only over the people who have one (partial);
# undone (person as in 001_init.sql, with its constraint and rowids, version 11 unrecorded), the
# next command applies it: same rows and rowids, the indexes there and used, an ID number twice
# still refused
people() { q "SELECT rowid, * FROM person ORDER BY rowid"; }
before_people=$(people)
old_person=$(awk '/^CREATE TABLE person \(/ {on = 1} on {print} on && /^\);/ {exit}' \
             "$src/src/store/schema/001_init.sql" | sed 's/^CREATE TABLE person (/CREATE TABLE person_old (/')
q "BEGIN; $old_person
   INSERT INTO person_old (rowid, psn_no, name, cert_type, certno, birth_date, gender, admdvs, insutype,
                           status, ecert_no, card_no) SELECT rowid, * FROM person;
   DROP TABLE person; ALTER TABLE person_old RENAME TO person;
   CREATE INDEX person_ecert ON person (ecert_no); CREATE INDEX person_card ON person (card_no);
   DELETE FROM schema_version WHERE version = 11; COMMIT;" || fail "setup: undoing 011"
q "SELECT sql FROM sqlite_master WHERE name = 'person'" | grep -q "UNIQUE (cert_type, certno)" ||
    fail "setup: person lacks 001's UNIQUE constraint"
expect_exit 0 "$gongji" verify   # applies 011
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 11")" = 1 ] || fail "version 11 not recorded by the upgrade"
[ "$(q "SELECT sql FROM sqlite_master WHERE name = 'person_cert'")" = \
  "CREATE UNIQUE INDEX person_cert ON person (cert_type, certno)" ] || fail "011 did not create person_cert"
q "SELECT sql FROM sqlite_master WHERE name = 'person'" | grep -q UNIQUE && fail "011 left the table constraint"
[ "$(q "SELECT count(*) FROM sqlite_master WHERE name IN ('person_ecert', 'person_card') AND sql LIKE '%WHERE % IS NOT NULL'")" = 2 ] ||
    fail "011: the certificate and card indexes are not partial"
q "EXPLAIN QUERY PLAN SELECT psn_no FROM person WHERE ecert_no = 'x'" | grep -q "USING INDEX person_ecert" ||
    fail "011: a lookup by electronic certificate does not use its index"
q "EXPLAIN QUERY PLAN SELECT psn_no FROM person WHERE card_no = 'x'" | grep -q "USING INDEX person_card" ||
    fail "011: a lookup by card does not use its index"
[ "$(q "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_011'")" = 0 ] || fail "011 left a working table behind"
[ "$(people)" = "$before_people" ] || fail "011 changed the person rows or their rowids"
sed -n 2p "$tmp/persons.csv" | sed 's/^[^,]*,/Z0000000001,/' > "$tmp/same_id.csv"
expect_exit 3 "$gongji" import persons "$tmp/same_id.csv"
grep -q DUPLICATE "$tmp/err" || fail "an ID number registered twice after 011: $(cat "$tmp/err")"
expect_exit 0 "$gongji" verify

# 012: a member's bindings indexed in the order a settlement takes them; undone (the index of 001
# back, version 12 unrecorded), the next command applies it, and the settlement's lookup reads
# the bindings in order from it (no sort)
q "DROP INDEX binding_member_order; CREATE INDEX binding_member ON binding (member);
   DELETE FROM schema_version WHERE version = 12;" || fail "setup: undoing 012"
expect_exit 0 "$gongji" verify   # applies 012
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 12")" = 1 ] || fail "version 12 not recorded by the upgrade"
[ "$(q "SELECT group_concat(name) FROM sqlite_master WHERE tbl_name = 'binding' AND name LIKE 'binding_member%'")" = \
  binding_member_order ] || fail "012 did not replace binding_member by binding_member_order"
plan=$(q "EXPLAIN QUERY PLAN SELECT binding_id FROM binding WHERE member = 'x' AND status = 'active' ORDER BY created_at, binding_id")
echo "$plan" | grep -q "USING INDEX binding_member_order" && ! echo "$plan" | grep -q "TEMP B-TREE" ||
    fail "012: a member's bindings are not read in order from the index: $plan"
call "$(message 2207 U8 "$HOSPITAL" "$(outpatient_bill 60)")"
[ "$rc" -eq 0 ] && [ "$(json .infcode)" = 0 ] || fail "settlement after 012: exit $rc $(json .err_msg)"
expect_exit 0 "$gongji" verify

# 013: the acct_pay each settlement answered, on its row (recon sums it, R6.4). A sibling with
# 12.34 yuan of her own settles 1,234.56 at the pharmacy under a Changsha version that reports
# mutual aid outside acct_pay (settlement.mulaid_in_acct_pay false): answered acct_pay 12.34,
# not own + mutual aid. Every row holds what its answer says; undone (column dropped, version 13
# unrecorded), the next command fills the column again from the stored answers, the same values.
printf '%s\n' "$(head -1 "$tmp/persons.csv")" \
    'P0000000003,张丽,01,430102198803150059,,,430100,310,active,12.34,,,EC0003,SSC0003' > "$tmp/sister.csv"
expect_exit 0 "$gongji" import persons "$tmp/sister.csv"
expect_exit 0 "$gongji" --json bind invite P0000000001 P0000000003 --relation sibling --modes payment
expect_exit 0 "$gongji" bind accept "$(json .binding_id)" --verify face:F003 --channel app --actor P0000000003
cp -r "$src/policies" "$tmp/policies"
jq '.versions += [{"effective_from": "2025-10-01", "note": "test: mutual aid outside acct_pay",
                   "settings": {"settlement": {"mulaid_in_acct_pay": false}}}]' \
    "$src/policies/430100-changsha.json" > "$tmp/policies/430100-changsha.json"
sister_bill='{"druginfo": {"psn_no": "P0000000003", "mdtrt_cert_type": "01", "mdtrt_cert_no": "EC0003", "medfee_sumamt": "1234.56", "insutype": "310", "med_type": "41", "acct_used_flag": "1"}}'
GONGJI_POLICIES="$tmp/policies" call "$(message 2102 U9 "$PHARMACY" "$sister_bill")"
[ "$rc" -eq 0 ] && [ "$(json .output.setlinfo.acct_pay)/$(json .output.setlinfo.acct_mulaid_pay)" = 12.34/1222.22 ] ||
    fail "the sister's 2102 under mulaid_in_acct_pay false: exit $rc $(jq -c .output.setlinfo "$tmp/out")"
acct_pay() { q "SELECT setl_id, own_pay_fen, mulaid_pay_fen, acct_pay_fen FROM settlement ORDER BY setl_id"; }
answered="CAST(replace(json_extract(output, '$.setlinfo.acct_pay'), '.', '') AS INTEGER)"
[ "$(q "SELECT count(*) FROM settlement WHERE acct_pay_fen <> $answered")" = 0 ] ||
    fail "a settlement's acct_pay_fen is not its answer: $(acct_pay)"
[ "$(q "SELECT count(*) FROM settlement WHERE mulaid_pay_fen > 0 AND acct_pay_fen = own_pay_fen + mulaid_pay_fen")" -gt 0 ] &&
[ "$(q "SELECT acct_pay_fen FROM settlement WHERE msgid = 'U9' AND own_pay_fen = 1234 AND mulaid_pay_fen = 122222")" = 1234 ] ||
    fail "setup: 013 needs answers with and without the mutual aid inside acct_pay: $(acct_pay)"
before_acct=$(acct_pay)
q "ALTER TABLE settlement DROP COLUMN acct_pay_fen; DELETE FROM schema_version WHERE version = 13;" ||
    fail "setup: undoing 013"
expect_exit 0 "$gongji" verify   # applies 013
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 13")" = 1 ] || fail "version 13 not recorded by the upgrade"
[ "$(acct_pay)" = "$before_acct" ] || fail "013 filled acct_pay_fen as $(acct_pay), it was $before_acct"
call "$(message 2207 U10 "$HOSPITAL" "$(outpatient_bill 50)")"
[ "$rc" -eq 0 ] && [ "$(json .infcode)" = 0 ] || fail "settlement after 013: exit $rc $(json .err_msg)"
[ "$(q "SELECT acct_pay_fen = $answered FROM settlement WHERE msgid = 'U10'")" = 1 ] ||
    fail "after 013 a settlement does not store its answered acct_pay"
expect_exit 0 "$gongji" verify

# 015: answers remembered by Idempotency-Key indexed by when they were remembered, for their
# pruning after idempotency_retention_s; undone (index dropped, version 15 unrecorded), the next
# command builds it over the rows already kept, unchanged, and the prune reads the index
q "INSERT INTO rest_request VALUES ('person:P0000000001', 'k-1', 'h1', 201, '{}', 1760000000),
                                   ('staff:OP1', 'k-2', 'h2', 200, '{\"ok\":true}', 1760003600)" ||
    fail "setup: answers kept before 015"
before_rest=$(q "SELECT * FROM rest_request ORDER BY 1, 2")
q "DROP INDEX rest_request_at; DELETE FROM schema_version WHERE version = 15;" || fail "setup: undoing 015"
expect_exit 0 "$gongji" verify   # applies 015
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 15")" = 1 ] || fail "version 15 not recorded by the upgrade"
[ "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'rest_request_at'")" = 1 ] ||
    fail "015 did not create rest_request_at"
[ "$(q "SELECT * FROM rest_request ORDER BY 1, 2")" = "$before_rest" ] || fail "015 changed the rows kept"
plan=$(q "EXPLAIN QUERY PLAN DELETE FROM rest_request WHERE at <= 1760000000")
echo "$plan" | grep -q "USING .*INDEX rest_request_at" || fail "015: the prune does not read the index: $plan"
expect_exit 0 "$gongji" verify

# 016: a settlement says whether it was a stay's mid-settlement; undone (index and column
# dropped, version 16 unrecorded), the next command adds the column (every earlier settlement
# final: 0) and the index of final inpatient settlements in force, which the check of a 2304 reads
settlement_rows() { q "SELECT setl_id, msgid, infno, mdtrt_id, status, entry_id, medfee_sumamt_fen,
                       acct_pay_fen, output FROM settlement ORDER BY setl_id"; }
before_settlements=$(settlement_rows)
q "DROP INDEX settlement_stay_final; ALTER TABLE settlement DROP COLUMN mid_setl;
   DELETE FROM schema_version WHERE version = 16;" || fail "setup: undoing 016"
expect_exit 0 "$gongji" verify   # applies 016
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 16")" = 1 ] || fail "version 16 not recorded by the upgrade"
[ "$(settlement_rows)" = "$before_settlements" ] || fail "016 changed the settlements"
[ "$(q "SELECT count(*) FROM settlement WHERE mid_setl <> 0")" = 0 ] || fail "016: an earlier settlement is not final"
plan=$(q "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM settlement WHERE mdtrt_id = 'M' AND fixmedins_code = 'H'
          AND infno = '2304' AND mid_setl = 0 AND status = 'settled'")
echo "$plan" | grep -q "USING .*INDEX settlement_stay_final" || fail "016: the stay check does not read the index: $plan"
expect_exit 0 "$gongji" verify

# 017: a resident ID number stored with a lowercase check letter (imported before b2533b1) is
# rewritten with "X", the form the national interface compares since; undone (a person's
# number written with "x" again, version 17 unrecorded), the next command rewrites it. A number
# whose "X" form another person holds stays as it is (the unique index must not fail)
q "UPDATE person SET certno = '11010519491231002x' WHERE psn_no = 'P0000000001';
   UPDATE person SET certno = '11010519491231003x' WHERE psn_no = 'P0000000002';
   UPDATE person SET certno = '11010519491231003X' WHERE psn_no = 'P0000000003';
   DELETE FROM schema_version WHERE version = 17;" || fail "setup: undoing 017"
expect_exit 0 "$gongji" verify   # applies 017
[ "$(q "SELECT count(*) FROM schema_version WHERE version = 17")" = 1 ] || fail "version 17 not recorded by the upgrade"
[ "$(q "SELECT certno FROM person WHERE psn_no = 'P0000000001'")" = 11010519491231002X ] ||
    fail "017: a check letter x was not rewritten as X"
[ "$(q "SELECT certno FROM person WHERE psn_no = 'P0000000002'")" = 11010519491231003x ] ||
    fail "017: a number whose X form another person holds was changed"
expect_exit 0 "$gongji" verify

# a database a newer binary migrated further is refused, not served
q "INSERT INTO schema_version (version) VALUES (99)" || fail "setup: a newer schema version"
expect_exit 5 "$gongji" verify
grep -q "schema version 99 is newer" "$tmp/err" || fail "newer schema: $(cat "$tmp/err")"
q "DELETE FROM schema_version WHERE version = 99"
expect_exit 0 "$gongji" verify
finish
