#!/bin/bash
# test_staff_sim.sh — the last what-if simulation report for staff (docs/api.md,
# GET /api/v1/staff/simulation/last and …/last.svg): before any report 404
# NO_SIMULATION_REPORT; after a tiny simulation (tests/sim/tiny_report.sh) writes into gongjid's
# sim_report_dir, the auditor and the administrator get the very report and chart, while a
# clerk, a reviewer and an insured person are refused (403) and anonymous callers 401. A file
# that is not a simulation report is 500, not passed on.
# Usage: test_staff_sim.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/people.sh"
http_setup "$1" "$2" "2025-10-10 10:00:00"

fixture_people
fixture_operators
SIM="$HTTP_DIR/sim"
mkdir -p "$SIM"
http_start --sim_report_dir "$SIM" || exit 1
AUDITOR=$(staff_login auditor) ADMIN=$(staff_login admin) CLERK=$(staff_login clerk)
REVIEWER=$(staff_login reviewer) PERSON=$(sign_in "$D" "$CERT_D")

# ---- no report yet ----
for path in /api/v1/staff/simulation/last /api/v1/staff/simulation/last.svg; do
  expect_call 404 "$path before any simulation" "$AUDITOR" GET "$path"
  expect_json .error.code '"NO_SIMULATION_REPORT"' "$path before any simulation"
done
http_ok "no report yet"

# ---- a report ----
"$GJ_SOURCE_DIR/tests/sim/tiny_report.sh" "$GONGJI" "$SIM" || http_fail "tiny_report.sh failed"
for token in "$AUDITOR" "$ADMIN"; do
  expect_call 200 "report" "$token" GET /api/v1/staff/simulation/last
  cmp -s <(jq -S . "$HTTP_DIR/body") <(jq -S . "$SIM/last.json") || http_fail "the report differs from last.json"
  expect_json '[.policies[].results.totals.mutual_aid_yuan]' '["100.00","200.00"]' "report figures"
  expect_call 200 "chart" "$token" GET /api/v1/staff/simulation/last.svg "" -D "$HTTP_DIR/headers"
  cmp -s "$HTTP_DIR/body" "$SIM/last.svg" || http_fail "the chart differs from last.svg"
  grep -qi '^content-type: image/svg+xml' "$HTTP_DIR/headers" || http_fail "the chart is not image/svg+xml"
done
http_ok "auditor and admin read the report"

for path in /api/v1/staff/simulation/last /api/v1/staff/simulation/last.svg; do
  for token in "$CLERK" "$REVIEWER" "$PERSON"; do
    expect_call 403 "$path refused" "$token" GET "$path"
    grep -q mutual_aid "$HTTP_DIR/body" && http_fail "$path: the refusal carries the report"
  done
  expect_call 401 "$path anonymous" - GET "$path"
done
http_ok "others are refused"

echo '{"format":"something else"}' > "$SIM/last.json"
expect_call 500 "not a simulation report" "$AUDITOR" GET /api/v1/staff/simulation/last
expect_json .error.code '"INTERNAL"' "not a simulation report"
http_ok "a file that is not a report"

http_done
