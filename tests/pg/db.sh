# db.sh — sourced by the test harnesses: the test database for the backend under test.
#   gj_test_db DIR   sets GONGJI_DB: DIR/test.db (SQLite), or when GJ_TEST_PG is set (tests/pg/pg.sh)
#                    a freshly created PostgreSQL database on that cluster.
#   gj_sql SQL       run SQL on GONGJI_DB, print rows (columns separated by |).
#   gj_db_digest [TABLE]  a digest of every row of GONGJI_DB, without TABLE's rows if given
#                    (for "this step changed nothing").
#   gj_db_snapshot NAME / gj_db_restore NAME: save the database and put it back (tests that
#                    rewind between cases); no process may use the database while restoring.

gj_pg_url() { echo "postgresql:///$1?${GJ_TEST_PG}"; }

gj_test_db() {
  export GONGJI_DB_DIR=$1
  if [ -n "${GJ_TEST_PG:-}" ]; then
    local name="gj_$(date +%s%N)_$$_$RANDOM"
    psql -q "$(gj_pg_url postgres)" -c "CREATE DATABASE $name" > /dev/null || return 1
    export GONGJI_DB=$(gj_pg_url "$name")
  else
    export GONGJI_DB="$1/test.db"
  fi
}

gj_sql() {
  if [ -n "${GJ_TEST_PG:-}" ]; then psql -qAt "$GONGJI_DB" -c "$1"; else sqlite3 "$GONGJI_DB" "$1"; fi
}

# Row order of a PostgreSQL dump follows the physical order, which rewriting the same rows may
# change: sort the lines so the digest depends only on the set of rows. pg_dump brackets its
# output with a random \restrict key (CVE-2025-8714): leave those lines out too.
gj_db_digest() {
  if [ -n "${GJ_TEST_PG:-}" ]; then
    pg_dump --data-only --exclude-table=store_lock ${1:+--exclude-table-data=$1} "$GONGJI_DB" |
      grep -Ev '^(--|\\restrict|\\unrestrict)' | sort | sha256sum | cut -c1-64
  else
    sqlite3 "$GONGJI_DB" .dump | { if [ -n "${1:-}" ]; then grep -v "$1"; else cat; fi; } |
      sha256sum | cut -c1-64
  fi
}

gj_db_snapshot() {
  if [ -n "${GJ_TEST_PG:-}" ]; then
    pg_dump -Fc -f "$GONGJI_DB_DIR/snapshot.$1" "$GONGJI_DB"
  else
    sqlite3 "$GONGJI_DB" ".backup '$GONGJI_DB.$1'"
  fi
}

gj_db_restore() {
  if [ -n "${GJ_TEST_PG:-}" ]; then
    local db=${GONGJI_DB#postgresql:///}; db=${db%%\?*}
    psql -q "$(gj_pg_url postgres)" -c "DROP DATABASE $db WITH (FORCE)" -c "CREATE DATABASE $db" > /dev/null &&
      pg_restore -d "$GONGJI_DB" "$GONGJI_DB_DIR/snapshot.$1"
  else
    cp "$GONGJI_DB.$1" "$GONGJI_DB"
    rm -f "$GONGJI_DB-wal" "$GONGJI_DB-shm"
  fi
}
