#!/usr/bin/env bash
# test_migrate.sh — `gongji migrate` from an embedded SQLite database into PostgreSQL (inside
# tests/pg/pg.sh): `test_migrate.sh GONGJI`. A SQLite deployment with people, a family, premiums
# of settlements and their journal is copied; the report says every table is the same and both
# sides verify with the same chain head; the PostgreSQL copy answers like the original and settles
# on; a second migrate into the now non-empty target is refused and changes nothing; --force
# replaces it; and the copy back into SQLite verifies too.
. "$(dirname "$0")/../http/lib.sh"
. "$(dirname "$0")/../http/people.sh"
http_setup "$1" "$1" "2026-03-10 10:00:00"
[ -n "${GJ_TEST_PG:-}" ] || { echo "test_migrate.sh: run inside tests/pg/pg.sh" >&2; exit 2; }
export GJ_SOURCE_DIR=${GJ_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PG=$GONGJI_DB
SRC="sqlite:$HTTP_DIR/embedded.db"

# ---- an embedded deployment ----
export GONGJI_DB=$SRC
fixture_people
fixture_family "$D" "$M" parent > /dev/null
S1=$(pharmacy_call "$M" EC0002 MSG-MIG-1)
S2=$(pharmacy_call "$M" EC0002 MSG-MIG-2)
[ -n "$S1" ] && [ "$S1" != null ] && [ "$S2" != null ] || http_fail "fixture settlements: $S1 $S2"
"$GONGJI" --json person show "$D" > "$HTTP_DIR/donor.src"

# ---- migrate ----
"$GONGJI" --json migrate --from "$SRC" --to "$PG" > "$HTTP_DIR/m1" 2>&1 || http_fail "migrate: $(head -c 600 "$HTTP_DIR/m1")"
jq -e '.ok and (.tables | all(.same)) and .verify_to.ok and (.verify_to.head_hash == .verify_from.head_hash)
       and .rows > 0 and (.tables | map(select(.table == "journal")) | .[0].rows > 0)' "$HTTP_DIR/m1" > /dev/null ||
  http_fail "migrate report: $(jq -c '{ok, rows, tables: [.tables[] | select(.same | not)]}' "$HTTP_DIR/m1" 2>/dev/null)"
http_ok "migrated $(jq .rows "$HTTP_DIR/m1") rows in $(jq '.tables | length' "$HTTP_DIR/m1") tables; verified on both sides"

export GONGJI_DB=$PG
"$GONGJI" --json person show "$D" > "$HTTP_DIR/donor.pg"
cmp -s "$HTTP_DIR/donor.src" "$HTTP_DIR/donor.pg" || http_fail "the donor reads differently after migration"
"$GONGJI" --json settle explain "$S1" > /dev/null 2>&1 || http_fail "settlement $S1 missing after migration"
S3=$(pharmacy_call "$M" EC0002 MSG-MIG-3)   # the PostgreSQL deployment keeps working
[ "$S3" != null ] && [ "$S3" != "$S1" ] || http_fail "settling on PostgreSQL after migration: $S3"
"$GONGJI" verify > /dev/null || http_fail "verify on PostgreSQL after a new settlement"
http_ok "the copy answers like the original and settles on"

# ---- a non-empty target ----
before=$(gj_db_digest)
"$GONGJI" --json migrate --from "$SRC" --to "$PG" > "$HTTP_DIR/m2" 2>&1 && http_fail "migrate into a non-empty target succeeded"
jq -e '.err_code == "DUPLICATE"' "$HTTP_DIR/m2" > /dev/null 2>&1 || grep -q "not empty" "$HTTP_DIR/m2" || http_fail "refusal: $(head -c 300 "$HTTP_DIR/m2")"
[ "$(gj_db_digest)" = "$before" ] || http_fail "a refused migrate changed the target"
"$GONGJI" --json migrate --from "$SRC" --to "$PG" --force > "$HTTP_DIR/m3" 2>&1 || http_fail "migrate --force: $(head -c 300 "$HTTP_DIR/m3")"
[ "$(gj_sql "SELECT COUNT(*) FROM settlement")" = 2 ] || http_fail "--force did not replace the target"
http_ok "non-empty target refused and unchanged; --force replaces it"

# ---- and back: PostgreSQL → SQLite ----
"$GONGJI" --json migrate --from "$PG" --to "sqlite:$HTTP_DIR/back.db" > "$HTTP_DIR/m4" 2>&1 || http_fail "migrate back to SQLite: $(head -c 300 "$HTTP_DIR/m4")"
jq -e '.ok and (.tables | all(.same))' "$HTTP_DIR/m4" > /dev/null || http_fail "back report: $(head -c 300 "$HTTP_DIR/m4")"
( export GONGJI_DB="sqlite:$HTTP_DIR/back.db"; "$GONGJI" verify > /dev/null ) || http_fail "back copy does not verify"
http_ok "PostgreSQL → SQLite as well"
http_done
