#!/usr/bin/env bash
# suite.sh — run a whole test suite against PostgreSQL: `suite.sh SUITE GONGJI [GONGJID]`.
# SUITE is `scenarios` (every tests/scenarios/*.json through run.sh) or `http` (every
# tests/http/test_*.sh). Called inside tests/pg/pg.sh, so one throwaway cluster serves the
# suite and every test in it gets its own fresh database (tests/pg/db.sh). Fails if any fails.
set -uo pipefail
suite=$1; shift
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "${GJ_TEST_PG:-}" ] || { echo "suite.sh: run inside tests/pg/pg.sh" >&2; exit 2; }
failed=0 ran=0
case $suite in
  scenarios) for s in "$root"/tests/scenarios/*.json; do
               ran=$((ran + 1)); "$root/tests/scenarios/run.sh" "$1" "$s" || failed=$((failed + 1)); done ;;
  http)      export GJ_SOURCE_DIR=$root
             for t in "$root"/tests/http/test_*.sh; do
               ran=$((ran + 1)); "$t" "$1" "$2" || { echo "FAIL $(basename "$t") on PostgreSQL" >&2; failed=$((failed + 1)); }; done ;;
  *) echo "suite.sh: unknown suite $suite" >&2; exit 2 ;;
esac
echo "$suite on PostgreSQL: $((ran - failed))/$ran passed"
[ "$failed" -eq 0 ]
