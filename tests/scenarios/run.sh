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
export GONGJI_DB="$dir/test.db" GONGJI_NO_PROGRESS=1
vars='{}'
name=$(jq -r '.name' "$scenario")
failures=0

fail() { echo "FAIL [$name] $*" >&2; failures=$((failures + 1)); }

# Substitute ${var} in every string of a JSON value.
substitute() {
  jq --argjson vars "$vars" 'walk(if type == "string" then gsub("\\$\\{(?<k>[A-Za-z0-9_]+)\\}"; ($vars[.k] // ("${" + .k + "}")) | tostring) else . end)'
}

db_digest() { sqlite3 "$GONGJI_DB" .dump | sha256sum | cut -c1-64; }

setup() {
  local now
  now=$(jq -r '.now' "$scenario")
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
  local want_exit want_code
  want_exit=$(jq -r '.expect.exit // 0' <<<"$step")
  [ "$rc" -eq "$want_exit" ] || fail "$label: exit $rc, expected $want_exit: $(head -c 400 "$dir/out") $(head -c 400 "$dir/err")"
  want_code=$(jq -r '.expect.code // empty' <<<"$step")
  if [ -n "$want_code" ]; then
    got=$(jq -r '.error.code // .err_code // empty' <<<"$out" 2>/dev/null)
    [ "$got" = "$want_code" ] || fail "$label: code '$got', expected '$want_code'"
  fi
  if [ "$(jq -r '.expect.unchanged // (.expect.code != null)' <<<"$step")" = "true" ]; then
    [ "$(db_digest)" = "$before" ] || fail "$label: a refused step changed the database"
  fi
  local keys k v
  mapfile -t keys < <(jq -r '.expect.json // {} | keys[]' <<<"$step")
  for k in "${keys[@]}"; do
    v=$(jq -c --arg k "$k" '.expect.json[$k]' <<<"$step")
    jq -e --argjson v "$v" "($k) == \$v" <<<"$out" > /dev/null 2>&1 ||
      fail "$label: $k is $(jq -c "$k" <<<"$out" 2>/dev/null), expected $v"
  done
}

capture() {
  local step=$1 out=$2 keys k
  mapfile -t keys < <(jq -r '.capture // {} | keys[]' <<<"$step")
  for k in "${keys[@]}"; do
    expr=$(jq -r --arg k "$k" '.capture[$k]' <<<"$step")
    val=$(jq -c "$expr" <<<"$out")
    vars=$(jq --arg k "$k" --argjson v "$val" '. + {($k): $v}' <<<"$vars")
  done
}

run_step() {
  local i=$1 step label now rc out before
  step=$(jq -c ".steps[$i]" "$scenario" | substitute)
  label="step $((i + 1)) ($(jq -r '.name // .cmd[0:2] | tostring' <<<"$step"))"
  now=$(jq -r --arg d "$(jq -r '.now' "$scenario")" '.now // $d' <<<"$step")
  mapfile -t args < <(jq -r '.cmd[]' <<<"$step")
  if jq -e 'has("input")' <<<"$step" > /dev/null; then
    jq '.input' <<<"$step" > "$dir/input.json"
    args=("${args[@]/@input/$dir/input.json}")
  fi
  before=$(db_digest)
  "$gongji" --json --now "$now" "${args[@]}" > "$dir/out" 2> "$dir/err"
  rc=$?
  out=$(cat "$dir/out")
  check_expectations "$step" "$label" "$rc" "$out" "$before"
  capture "$step" "$out"
}

setup || exit 1
steps=$(jq '.steps | length' "$scenario")
for ((i = 0; i < steps; i++)); do run_step "$i"; done
"$gongji" --json verify > "$dir/verify" 2>&1 || fail "verify: $(cat "$dir/verify")"
if [ "$failures" -gt 0 ]; then
  echo "scenario '$name' ($(jq -r '.rules | join(", ")' "$scenario")): $failures failure(s)" >&2
  exit 1
fi
echo "ok - $name ($(jq -r '.rules | join(", ")' "$scenario"))"
