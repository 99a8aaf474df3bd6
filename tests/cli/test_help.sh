#!/bin/sh
# test_help.sh — the CLI's help and error contract: every command listed by `gongji --help`
# answers `--help` with a usage text; unknown commands and options are usage errors (exit 2);
# the policy commands work without a database; a bad amount is refused with BAD_AMOUNT (exit 3);
# the benchmarks (bench/) answer --help too.
# Usage: test_help.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
set -u
gongji=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GONGJI_DB="$tmp/gongji.db"
export GONGJI_POLICIES="${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/policies"
unset GONGJI_NOW
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect_exit CODE CMD... — run CMD, output in $tmp/out and $tmp/err, check the exit code.
expect_exit() {
    want=$1
    shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] || fail "$* → exit $got, expected $want ($(head -c 300 "$tmp/err"))"
}

expect_output() {
    grep -q -- "$1" "$tmp/out" || fail "output of the last command lacks '$1'"
}

expect_error() {
    grep -q -- "$1" "$tmp/err" || fail "stderr of the last command lacks '$1'"
}

# Overview: the command list is the block after "Commands:" up to the blank line; the command
# words are what precedes the two-space gap before the summary.
expect_exit 0 "$gongji" --help
expect_output "Usage"
sed -n '/^Commands:/,/^$/p' "$tmp/out" | sed '1d;/^$/d' | sed 's/^  //; s/  .*//' >"$tmp/commands"
[ "$(wc -l <"$tmp/commands")" -ge 30 ] || fail "fewer than 30 commands listed"
while read -r words; do
    # shellcheck disable=SC2086 # the command words are meant to split
    expect_exit 0 "$gongji" $words --help
    expect_output "Usage"
    expect_output "Example"
done <"$tmp/commands"

expect_exit 0 "$gongji" help
expect_output "Usage"
expect_exit 0 "$gongji" help bind invite
expect_output "Usage: gongji bind invite"
expect_exit 0 "$gongji" bind --help
expect_output "bind unbind"
expect_exit 2 "$gongji"

# Usage errors.
expect_exit 2 "$gongji" no-such-command
expect_error "USAGE"
expect_exit 2 "$gongji" bind no-such-subcommand
expect_exit 2 "$gongji" bind
expect_exit 2 "$gongji" person show P1 --no-such-option
expect_exit 2 "$gongji" person show
expect_exit 2 "$gongji" person show P1 P2
expect_exit 2 "$gongji" account deposit P1 --layer current
expect_error "missing --amount"
expect_exit 2 "$gongji" account deposit P1 --layer
expect_exit 2 "$gongji" verify --json=yes

# Policies need no database.
expect_exit 0 "$gongji" policy check
expect_output "files OK"
expect_exit 0 "$gongji" policy list
expect_output "430100"
expect_exit 0 "$gongji" policy show 430100 --on 2025-03-01 --json
expect_output '"version_id": "000000@2021-04-22+430000@2024-09-01+430100@2024-09-01"'
expect_exit 0 "$gongji" policy show 430100 --on=2025-03-01
expect_output "430100@2024-09-01"
expect_exit 0 "$gongji" --json policy show 310000 --on 2025-03-01   # global option first
expect_output '"shareable_layers"'
expect_exit 3 "$gongji" policy show 430100 --on 2025-02-30
expect_error "BAD_DATE"
expect_exit 4 "$gongji" policy show 430100 --on 1900-01-01   # before any version: not found
expect_error "NOT_FOUND"
mkdir "$tmp/bad_policies"
echo '{"format": "gongji-policy/1"' >"$tmp/bad_policies/national.json"
expect_exit 3 "$gongji" policy check --policies "$tmp/bad_policies"
expect_error "BAD_POLICY"
[ ! -e "$GONGJI_DB" ] || fail "policy commands created a database"

# Bad input is refused with its code, in text and in JSON.
expect_exit 3 "$gongji" account deposit X --layer current --amount 1.234
expect_error "BAD_AMOUNT"
expect_error "rule R1.5"
expect_exit 3 "$gongji" account deposit X --layer current --amount 1.234 --json
expect_output '"code": "BAD_AMOUNT"'
expect_exit 3 "$gongji" --now "2025-03-01 25:00:00" init
expect_error "BAD_DATE"
expect_exit 3 "$gongji" --channel fax init
expect_error "BAD_CODE"

# the benchmarks answer --help with their usage, and run nothing
for bench in settle baseline http scale simulate.sh simulate_pair.sh; do
    expect_exit 0 "$GJ_SOURCE_DIR/bench/$bench" --help
    expect_output "Usage:"
done
bench_settle="$(dirname "$gongji")/bench_settle"
if [ -x "$bench_settle" ]; then
    expect_exit 0 "$bench_settle" --help
    expect_output "usage: bench_settle"
    expect_exit 2 "$bench_settle" "$GONGJI_POLICIES" --seconds   # an option without its value
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "ok"
