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
  scenarios) # GJ_PG_JOBS scenarios at a time, each on its own database; logs of failures shown
             logs=$(mktemp -d); trap 'rm -rf "$logs"' EXIT
             ls "$root"/tests/scenarios/*.json | xargs -P "${GJ_PG_JOBS:-2}" -I{} sh -c \
               'n=$(basename "$2"); "$0" "$1" "$2" > "$3/$n.log" 2>&1 || touch "$3/$n.failed"' \
               "$root/tests/scenarios/run.sh" "$1" {} "$logs"
             ran=$(ls "$logs"/*.log | wc -l)
             failed=$(find "$logs" -name '*.failed' | wc -l)
             cat "$logs"/*.log ;;
  http)      export GJ_SOURCE_DIR=$root
             for t in "$root"/tests/http/test_*.sh; do
               ran=$((ran + 1)); "$t" "$1" "$2" || { echo "FAIL $(basename "$t") on PostgreSQL" >&2; failed=$((failed + 1)); }; done ;;
  *) echo "suite.sh: unknown suite $suite" >&2; exit 2 ;;
esac
echo "$suite on PostgreSQL: $((ran - failed))/$ran passed"
[ "$failed" -eq 0 ]
