#!/usr/bin/env bash
# run.sh — the scenario runner: `run.sh GONGJI SCENARIO.json`.
#
# A scenario is data (see tests/scenarios/README.md): people and institutions to set up, then
# steps, each a gongji command line run at a fixed time, with the expected exit status, error
# code, JSON values, and for refusals the guarantee that the database did not change. Values
# captured from one step's JSON output are substituted as ${name} in later steps. Every
# scenario ends with `gongji verify`, which must find the books balanced and the chain intact.
set -uo pipefail
gongji=$1
scenario=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# the backend: SQLite in $dir, or a fresh PostgreSQL database when GJ_TEST_PG is set (tests/pg)
. "$(dirname "$0")/../pg/db.sh"
gj_test_db "$dir" || { echo "FAIL: cannot create the test database" >&2; exit 1; }
export GONGJI_NO_PROGRESS=1
vars='{}'
name=$(jq -r '.name' "$scenario")
failures=0

fail() { echo "FAIL [$name] $*" >&2; failures=$((failures + 1)); }

db_digest() { gj_db_digest; }

# The step, with ${var} substituted in every string.
step_json() {
  jq -c --argjson vars "$vars" ".steps[$1]"' | walk(if type == "string" then gsub("\\$\\{(?<k>[A-Za-z0-9_]+)\\}"; ($vars[.k] // ("${" + .k + "}")) | tostring) else . end)' "$scenario"
}

# A jq program evaluating every "expect.json" (or "capture") entry of a step at once.
program_of() {
  local step=$1 field=$2 kind=$3
  jq -r --arg f "$field" --arg kind "$kind" '
    .[$f] // {} | to_entries |
    if $kind == "checks" then "[" + (map("(try ((" + .key + ") == " + (.value | tojson) + ") catch false)") | join(", ")) + "]"
    else "{" + (map((.key | tojson) + ": (" + .value + ")") | join(", ")) + "}" end' <<<"$step"
}

# setup.policy_versions: [[FILE, VERSION], …] appends each version to a copy of policies/FILE
# and points gongji at the copy (what-if rules the real policy files do not hold).
policy_versions() {
  local n i file
  n=$(jq '.setup.policy_versions // [] | length' "$scenario")
  [ "$n" -gt 0 ] || return 0
  cp -r "$(dirname "$0")/../../policies" "$dir/policies"
  for ((i = 0; i < n; i++)); do
    file=$(jq -r ".setup.policy_versions[$i][0]" "$scenario")
    jq --argjson v "$(jq -c ".setup.policy_versions[$i][1]" "$scenario")" '.versions += [$v]' \
      "$dir/policies/$file" > "$dir/policy.json" && mv "$dir/policy.json" "$dir/policies/$file" ||
      { fail "setup: policy version $i"; return 1; }
  done
  export GONGJI_POLICIES="$dir/policies"
}

setup() {
  local now
  now=$(jq -r '.now' "$scenario")
  policy_versions || return 1
  { echo "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,prior_yuan,card_yuan,ecert_no,card_no"
    jq -r '.setup.persons[]?' "$scenario"; } > "$dir/persons.csv"
  "$gongji" --now "$now" import persons "$dir/persons.csv" > /dev/null || { fail "setup: import"; return 1; }
  local n i
  n=$(jq '.setup.institutions | length' "$scenario")
  for ((i = 0; i < n; i++)); do
    mapfile -t args < <(jq -r ".setup.institutions[$i][]" "$scenario")
    "$gongji" --now "$now" institution add "${args[@]}" > /dev/null || { fail "setup: institution $i"; return 1; }
  done
}

check_expectations() {
  local step=$1 label=$2 rc=$3 out=$4 before=$5
  local want_exit want_code want_unchanged
  IFS=$'\x1f' read -r want_exit want_code want_unchanged < <(
    jq -r '.expect // {} | [(.exit // 0), (.code // ""), (.unchanged // (.code != null))] | map(tostring) | join("\u001f")' <<<"$step")
  [ "$rc" -eq "$want_exit" ] || fail "$label: exit $rc, expected $want_exit: $(head -c 400 "$dir/out") $(head -c 400 "$dir/err")"
  if [ -n "$want_code" ]; then
    got=$(jq -r '.error.code // .err_code // empty' <<<"$out" 2>/dev/null)
    [ "$got" = "$want_code" ] || fail "$label: code '$got', expected '$want_code'"
  fi
  if [ "$want_unchanged" = "true" ]; then
    [ "$(db_digest)" = "$before" ] || fail "$label: a refused step changed the database"
  fi
  local expect results
  expect=$(jq -c '.expect // {}' <<<"$step")
  [ "$(jq '.json // {} | length' <<<"$expect")" -gt 0 ] || return 0
  results=$(jq -c "$(program_of "$expect" json checks)" <<<"$out" 2>/dev/null) || results='null'
  jq -e 'all' <<<"$results" > /dev/null 2>&1 && return 0
  fail "$label: expected $(jq -c '.json' <<<"$expect"), checks gave $results; output: $(head -c 600 <<<"$out")"
}

capture() {
  local step=$1 out=$2 captured
  [ "$(jq '.capture // {} | length' <<<"$step")" -gt 0 ] || return 0
  captured=$(jq -c "$(program_of "$step" capture values)" <<<"$out") || { fail "capture failed"; return; }
  vars=$(jq -c --argjson c "$captured" '. + $c' <<<"$vars")
}

run_step() {
  local i=$1 step label now rc out before has_input
  step=$(step_json "$i")
  IFS=$'\x1f' read -r label now has_input < <(jq -r --arg d "$default_now" --arg n "$((i + 1))" \
    '["step " + $n + " (" + (.name // (.cmd[0:2] | join(" "))) + ")", (.now // $d), has("input")] | map(tostring) | join("\u001f")' <<<"$step")
  mapfile -t args < <(jq -r '.cmd[]' <<<"$step")
  if [ "$has_input" = "true" ]; then
    jq '.input' <<<"$step" > "$dir/input.json"
    args=("${args[@]/@input/$dir/input.json}")
  fi
  before=""   # the digest only for steps that must leave the database unchanged
  jq -e '.expect // {} | (.unchanged // (.code != null))' <<<"$step" > /dev/null && before=$(db_digest)
  "$gongji" --json --now "$now" "${args[@]}" > "$dir/out" 2> "$dir/err"
  rc=$?
  out=$(cat "$dir/out")
  check_expectations "$step" "$label" "$rc" "$out" "$before"
  capture "$step" "$out"
}

default_now=$(jq -r '.now' "$scenario")
setup || exit 1
steps=$(jq '.steps | length' "$scenario")
for ((i = 0; i < steps; i++)); do run_step "$i"; done
"$gongji" --json verify > "$dir/verify" 2>&1 || fail "verify: $(cat "$dir/verify")"
if [ "$failures" -gt 0 ]; then
  echo "scenario '$name' ($(jq -r '.rules | join(", ")' "$scenario")): $failures failure(s)" >&2
  exit 1
fi
echo "ok - $name ($(jq -r '.rules | join(", ")' "$scenario"))"
