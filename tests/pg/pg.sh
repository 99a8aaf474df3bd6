#!/usr/bin/env bash
# pg.sh — run a command against a throwaway PostgreSQL 15 cluster: `pg.sh COMMAND [ARGS…]`.
#
# initdb into a fresh temporary directory as the unprivileged `postgres` user (PostgreSQL
# refuses to run as root), listen only on a unix socket inside that directory, run COMMAND with
# GJ_TEST_PG set to the cluster's base URI (tests/pg/db.sh turns it into a fresh database per
# test), then stop the server and remove the directory whatever happens (trap). Nothing needs to
# be running beforehand and nothing is left behind.
#
# Nested (`pg.sh pg.sh COMMAND`, tests/pg/test_2pc.sh): the inner cluster's URI goes to
# GJ_TEST_PG_B instead, so COMMAND sees two clusters. max_prepared_transactions is set so that
# two-phase commit across databases (PREPARE TRANSACTION) works; nothing else uses it.
#
# Test speed only: the cluster runs with fsync=off (and initdb --no-sync). That is what lets the
# suite run on a shared 2-core machine; it makes no durability claim. Production settings are
# in docs/operations.md (fsync=on, synchronous_commit=on, full_page_writes=on).
set -uo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_USER:-postgres}
[ -x "$PG_BIN/initdb" ] || { echo "pg.sh: $PG_BIN/initdb missing (apt-get install postgresql-15)" >&2; exit 1; }
id "$PG_USER" > /dev/null 2>&1 || { echo "pg.sh: no user $PG_USER" >&2; exit 1; }

PG_DIR=$(mktemp -d /tmp/gjpg.XXXXXX)
chmod 755 "$PG_DIR"
chown "$PG_USER" "$PG_DIR"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop > /dev/null 2>&1
  rm -rf "$PG_DIR"
}
trap cleanup EXIT
trap 'kill -TERM "${child:-}" 2>/dev/null; exit 130' INT TERM

as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U gongji -E UTF8 --locale=C --no-sync \
  > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-k $PG_DIR -c listen_addresses='' -p 5432 -c fsync=off -c max_connections=200 -c max_prepared_transactions=50" start \
  > /dev/null 2>&1 || { cat "$PG_DIR/server.log" >&2; exit 1; }

if [ -n "${GJ_TEST_PG:-}" ]; then export GJ_TEST_PG_B="host=$PG_DIR&port=5432&user=gongji"
else export GJ_TEST_PG="host=$PG_DIR&port=5432&user=gongji"; fi
"$@" &   # in the background so that a signal reaches the trap at once
child=$!
wait "$child"
