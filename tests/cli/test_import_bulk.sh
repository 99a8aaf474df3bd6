#!/bin/sh
# test_import_bulk.sh — the bulk ledger path of `gongji import persons` (src/engine/import_ledger.c):
# into an empty database (secondary indexes dropped and rebuilt inside the transaction) and into
# one that is not; afterwards the books verify, a settlement goes through and the indexes are the
# schema's; a refused import (duplicate person, or an ID number twice — found after the last row
# by the rebuilt unique index of an empty database) leaves the database byte for byte as it was,
# indexes included.
# Usage: test_import_bulk.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
export GONGJI_NOW="2025-03-01 09:00:00"
. "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"
need_sqlite3

# dump DB: everything SQLite holds, in a stable order (rows, then the schema with its indexes).
dump() {
    sqlite3 "$1" .dump | grep -v '^CREATE INDEX' | sort
    sqlite3 "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
}
indexes() { sqlite3 "$1" "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"; }

expect_exit 0 "$gongji" --db "$tmp/fresh.db" init
indexes "$tmp/fresh.db" >"$tmp/fresh.idx"

# Empty database: make_family imports the son and his mother, then settles through the network.
make_family
indexes "$GONGJI_DB" >"$tmp/family.idx"
cmp -s "$tmp/fresh.idx" "$tmp/family.idx" || fail "indexes after a bulk import differ from the schema's"
expect_exit 0 "$gongji" call "$src/docs/examples/pharmacy-2102.json"
expect_output '"infcode": 0'
expect_exit 0 "$gongji" person show P0000000001
expect_output "current"
expect_exit 0 "$gongji" statement P0000000001 --year 2025
expect_output "opening"

# Not empty: a generated population on top (no index rebuild; the entry counter continues).
expect_exit 0 "$gongji" gen persons --families 40 --seed 7 --regions 430100 --out "$tmp/gen.csv"
sed 's/^P0/Q0/; s/,ECP0/,ECQ0/' "$tmp/gen.csv" >"$tmp/more.csv"
expect_exit 0 "$gongji" import persons "$tmp/more.csv"
expect_exit 0 "$gongji" verify
expect_output "ok: *true"
entries=$(sqlite3 "$GONGJI_DB" "SELECT COUNT(*) || ' ' || MAX(entry_id) FROM entry")
set -- $entries
[ "$1" = "$2" ] || fail "entry ids not contiguous: $entries"
[ "$(sqlite3 "$GONGJI_DB" "SELECT next_value - 1 FROM counter WHERE name = 'entry'")" = "$2" ] ||
    fail "entry counter does not follow the last entry"
indexes "$GONGJI_DB" | cmp -s "$tmp/fresh.idx" - || fail "indexes after an import into a non-empty database differ"

# A duplicate person refused: nothing changes, in a non-empty and in an empty database.
# (the last row repeats the first: every other row is written before the refusal)
expect_exit 0 "$gongji" gen persons --families 40 --seed 8 --regions 430100 --out "$tmp/gen8.csv"
# (seeds may share an ID number: those rows are left out)
awk -F, 'NR == FNR { seen[$4] = 1; next } !($4 in seen) || FNR == 1' "$tmp/gen.csv" "$tmp/gen8.csv" |
    sed 's/^P0/R0/; s/,ECP0/,ECR0/' >"$tmp/dup.csv"
sed -n 2p "$tmp/dup.csv" >>"$tmp/dup.csv"
rows=$(wc -l <"$tmp/dup.csv")
dump "$GONGJI_DB" >"$tmp/before.dump"
expect_exit 3 "$gongji" import persons "$tmp/dup.csv"
grep -q "line $rows: DUPLICATE" "$tmp/err" || fail "duplicate not refused at its line: $(cat "$tmp/err")"
dump "$GONGJI_DB" | cmp -s "$tmp/before.dump" - || fail "a refused import changed the database"
dump "$tmp/fresh.db" >"$tmp/fresh.dump"
expect_exit 3 "$gongji" --db "$tmp/fresh.db" import persons "$tmp/dup.csv"
dump "$tmp/fresh.db" | cmp -s "$tmp/fresh.dump" - || fail "a refused import changed the empty database"

# An ID number twice under two person numbers: into an empty database the unique index of ID
# numbers (person_cert) is built after the last row, so the refusal comes at the end — and names
# the line of the second row and the person of the first; nothing changes either way.
# (dup.csv's rows without its repeated last one: persons and ID numbers new to both databases)
sed '$d' "$tmp/dup.csv" |
    awk -F, -v OFS=, 'NR == 8 { row = $0; $1 = "S0000000001"; $13 = "ECS1" } { print } END { print row }' \
    >"$tmp/same_id.csv"
rows=$(wc -l <"$tmp/same_id.csv")
first=$(sed -n 8p "$tmp/dup.csv" | cut -d, -f1)
expect_exit 3 "$gongji" --db "$tmp/fresh.db" import persons "$tmp/same_id.csv"
grep -q "line $rows: DUPLICATE: the ID number of $first is already that of S0000000001 (line 8)" "$tmp/err" ||
    fail "an ID number twice in a bulk load: $(cat "$tmp/err")"
dump "$tmp/fresh.db" | cmp -s "$tmp/fresh.dump" - || fail "a refused bulk load changed the empty database"
dump "$GONGJI_DB" >"$tmp/before.dump"
expect_exit 3 "$gongji" import persons "$tmp/same_id.csv"   # not empty: refused at its row
grep -q "line $rows: DUPLICATE" "$tmp/err" || fail "an ID number twice, row by row: $(cat "$tmp/err")"
dump "$GONGJI_DB" | cmp -s "$tmp/before.dump" - || fail "a refused import changed the database"

# Rows are read and checked on a second thread, in batches of 512 (src/engine/import_feed.c): a
# bad row several batches in is still named at its line, and nothing is imported; blank lines
# still count in the lines an error names.
expect_exit 0 "$gongji" gen persons --families 300 --seed 9 --regions 430100 --out "$tmp/big.csv"
[ "$(wc -l <"$tmp/big.csv")" -gt 2000 ] || fail "setup: fewer than 2,000 generated rows"
awk -F, -v OFS=, 'NR == 2000 { $4 = substr($4, 1, 17) ($4 ~ /0$/ ? "1" : "0") } { print }' "$tmp/big.csv" >"$tmp/bad_id.csv"
expect_exit 3 "$gongji" --db "$tmp/fresh.db" import persons "$tmp/bad_id.csv"
grep -q "line 2000: BAD_ID_NUMBER" "$tmp/err" || fail "a bad ID number in the fourth batch: $(cat "$tmp/err")"
dump "$tmp/fresh.db" | cmp -s "$tmp/fresh.dump" - || fail "a refused import changed the empty database"
{ sed -n 1,3p "$tmp/same_id.csv"; echo; echo; sed -n '4,$p' "$tmp/same_id.csv"; } >"$tmp/gaps.csv"
expect_exit 3 "$gongji" --db "$tmp/fresh.db" import persons "$tmp/gaps.csv"
grep -q "line $((rows + 2)): DUPLICATE: .* (line 10)" "$tmp/err" || fail "lines after blank lines: $(cat "$tmp/err")"

# The same file into an empty database: verified, same books as person by person.
expect_exit 0 "$gongji" --db "$tmp/fresh.db" import persons "$tmp/gen.csv"
expect_exit 0 "$gongji" --db "$tmp/fresh.db" verify
expect_output "ok: *true"
indexes "$tmp/fresh.db" | cmp -s "$tmp/fresh.idx" - || fail "indexes after a bulk import into init's database differ"
[ "$(sqlite3 "$tmp/fresh.db" "SELECT SUM(balance_fen) FROM account")" = 0 ] || fail "balances do not sum to zero"

finish
