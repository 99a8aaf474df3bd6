# lib.sh — shared by the HTTP tests (sourced): start a real gongjid on a free loopback port with
# a fresh database, call it with curl, sign national-interface requests, stop it at exit.
# Usage in a test: . "$(dirname "$0")/lib.sh"; http_setup "$1" "$2"  (gongji, gongjid binaries)
set -uo pipefail

HTTP_FAILURES=0
http_fail() { echo "FAIL [$(basename "$0")] $*" >&2; HTTP_FAILURES=$((HTTP_FAILURES + 1)); }
http_ok() { echo "ok - $*"; }

# http_setup GONGJI GONGJID [NOW]: temp dir, database, server on a free port.
http_setup() {
  GONGJI=$1
  GONGJID=$2
  export GONGJI_NOW=${3:-"2026-03-10 10:00:00"}
  HTTP_DIR=$(mktemp -d)
  . "$(dirname "${BASH_SOURCE[0]}")/../pg/db.sh"   # SQLite, or PostgreSQL under tests/pg
  gj_test_db "$HTTP_DIR" || exit 1
  export GONGJI_NO_PROGRESS=1
  trap http_teardown EXIT
}

# http_start: start gongjid (after the database is prepared with $GONGJI); sets BASE.
# Port 0: the OS chooses; gongjid logs the address it listens on.
http_start() {
  "$GONGJID" --db "$GONGJI_DB" --listen "127.0.0.1:0" --demo "$@" > "$HTTP_DIR/server.log" 2>&1 &
  HTTP_PID=$!
  for _ in $(seq 1 2000); do   # up to 20 s: a restart after SIGKILL on a loaded CI machine
    BASE=$(grep -o '"detail":"http://127.0.0.1:[0-9]*"' "$HTTP_DIR/server.log" 2>/dev/null | head -1 | cut -d'"' -f4)
    [ -n "$BASE" ] && curl -fsS "$BASE/healthz" > /dev/null 2>&1 && return 0
    sleep 0.01
  done
  echo "gongjid did not start:" >&2
  cat "$HTTP_DIR/server.log" >&2
  return 1
}

http_stop() {
  if [ -n "${HTTP_PID:-}" ]; then
    kill -TERM "$HTTP_PID" 2>/dev/null
    wait "$HTTP_PID" 2>/dev/null
    HTTP_PID=
  fi
}

http_teardown() {
  http_stop
  rm -rf "$HTTP_DIR"
}

# req METHOD PATH [BODY] [extra curl args…] → prints the body; HTTP status in $STATUS.
req() {
  local method=$1 path=$2 body=${3:-}
  shift 3 2>/dev/null || shift $#
  local args=(-sS -o "$HTTP_DIR/body" -w '%{http_code}' -X "$method" "$BASE$path")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  STATUS=$(curl "${args[@]}" "$@")
  cat "$HTTP_DIR/body"
}

# Guangdong-style signature headers for PAASID/SECRET: prints curl -H arguments, one per line.
tif_headers() {
  local paasid=$1 secret=$2 ts=${3:-$(date +%s)} nonce=${4:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  local sig
  sig=$(printf '%s%s%s%s' "$ts" "$secret" "$nonce" "$ts" | sha256sum | cut -c1-64)
  printf -- '-H\nx-tif-paasid: %s\n-H\nx-tif-timestamp: %s\n-H\nx-tif-nonce: %s\n-H\nx-tif-signature: %s\n' \
    "$paasid" "$ts" "$nonce" "$sig"
}

# expect_status WANT LABEL: compare $STATUS.
expect_status() {
  [ "$STATUS" = "$1" ] || http_fail "$2: HTTP $STATUS, expected $1: $(head -c 300 "$HTTP_DIR/body")"
}

# expect_json JQ_EXPR WANT_JSON LABEL: check the last body. An empty body fails (jq 1.6 -e
# exits 0 when there is no input at all).
expect_json() {
  [ -s "$HTTP_DIR/body" ] && jq -e --argjson v "$2" "($1) == \$v" "$HTTP_DIR/body" > /dev/null 2>&1 ||
    http_fail "$3: $1 is $(jq -c "$1" "$HTTP_DIR/body" 2>/dev/null), expected $2"
}

# The routes the server serves, as "METHOD /pattern" lines, sorted: from the route tables in
# src/http/*.c, and from tests/http/access_matrix.tsv (rows without comments and header).
source_routes() {
  grep -ohE '"(GET|POST|PUT|PATCH|DELETE)", "/[^"]*"' "$GJ_SOURCE_DIR"/src/http/*.c |
    sed 's/"\([A-Z]*\)", "\([^"]*\)"/\1 \2/' | sort
}
matrix_rows() { grep -v '^#' "$GJ_SOURCE_DIR/tests/http/access_matrix.tsv" | tail -n +2; }
matrix_routes() { matrix_rows | cut -f1,2 | tr '\t' ' ' | sort; }

http_done() {
  if [ "$HTTP_FAILURES" -gt 0 ]; then
    echo "$(basename "$0"): $HTTP_FAILURES failure(s); server log:" >&2
    tail -20 "$HTTP_DIR/server.log" >&2
    exit 1
  fi
  echo "ok - $(basename "$0")"
}
