# lib.sh — shared by the HTTP benchmarks (sourced by bench/http and bench/scale): a world of
# insured people with one signing hospital, gongjid started and stopped, wrk with the signed
# 2207 script. Needs: $build (binaries), $tmp (a scratch directory removed by the caller).
BENCH_HOSPITAL=H43010000001
BENCH_PEOPLE_SAMPLE=20000   # people the wrk script picks from (each wrk thread loads them)

bench_gj() { "$build/gongji" "$@" >"$tmp/cli.out" 2>&1 || { cat "$tmp/cli.out" >&2; exit 1; }; }

# bench_world INSURED: generate (about) INSURED people in Changsha into $GONGJI_DB, register the
# hospital and its credential; exports GJ_PAASID GJ_SECRET GJ_CODE GJ_PEOPLE for the wrk script.
# Sets BENCH_GEN_S and BENCH_IMPORT_S (seconds, wall clock) and BENCH_IMPORT_CPU_S (user + system
# CPU seconds of the import: what a loaded machine does not inflate). Progress bars are drawn on a
# terminal.
bench_world() {
  local t0 t1 t2 count step
  t0=$(date +%s.%N)
  "$build/gongji" gen persons --families $(($1 * 100 / 785 + 1)) --regions 430100 --out "$tmp/persons.csv"
  t1=$(date +%s.%N)
  local TIMEFORMAT='%U %S'   # bash's time: user and system seconds
  { time "$build/gongji" import persons "$tmp/persons.csv" >"$tmp/cli.out" 2>&3 || { cat "$tmp/cli.out" >&2; exit 1; }; } \
    3>&2 2>"$tmp/import.time"   # the progress bar still reaches the terminal (fd 3)
  t2=$(date +%s.%N)
  BENCH_IMPORT_CPU_S=$(awk '{printf "%.1f", $1 + $2}' "$tmp/import.time")
  BENCH_GEN_S=$(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}')
  BENCH_IMPORT_S=$(echo "$t1 $t2" | awk '{printf "%.1f", $2 - $1}')
  rm -f "$tmp/persons.csv"
  bench_gj institution add "$BENCH_HOSPITAL" 基准医院 --kind hospital --admdvs 430100
  bench_gj --json institution credential "$BENCH_HOSPITAL"
  GJ_PAASID=$(jq -r .paasid "$tmp/cli.out") GJ_SECRET=$(jq -r .secret "$tmp/cli.out")
  export GJ_PAASID GJ_SECRET GJ_CODE=$BENCH_HOSPITAL GJ_PEOPLE="$tmp/people.txt"
  count=$(sqlite3 "$GONGJI_DB" "SELECT count(*) FROM person")
  step=$((count / BENCH_PEOPLE_SAMPLE + 1))
  # every step-th person in key order (person has no rowid since schema 7)
  sqlite3 "$GONGJI_DB" "SELECT psn_no || ' ' || certno || ' ' || insutype
    FROM (SELECT *, row_number() OVER (ORDER BY psn_no) AS n FROM person)
    WHERE n % $step = 0 AND status = 'active' AND cert_type = '01'" >"$GJ_PEOPLE"
}

# bench_gongjid_start [gongjid options]: start gongjid on a free loopback port; sets BENCH_BASE
# and BENCH_GONGJID_PID.
bench_gongjid_start() {
  "$build/gongjid" --db "$GONGJI_DB" --listen 127.0.0.1:0 "$@" >"$tmp/server.log" 2>&1 &
  BENCH_GONGJID_PID=$!
  BENCH_BASE=
  for _ in $(seq 1 600); do
    BENCH_BASE=$(grep -o '"detail":"http://127.0.0.1:[0-9]*"' "$tmp/server.log" 2>/dev/null | head -1 | cut -d'"' -f4) || true
    [ -n "$BENCH_BASE" ] && curl -fsS "$BENCH_BASE/healthz" >/dev/null 2>&1 && return 0
    BENCH_BASE=
    sleep 0.05
  done
  cat "$tmp/server.log" >&2
  exit 1
}

bench_gongjid_rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$BENCH_GONGJID_PID/status"; }

bench_gongjid_stop() {
  [ -n "${BENCH_GONGJID_PID:-}" ] || return 0
  kill -TERM "$BENCH_GONGJID_PID" 2>/dev/null
  wait "$BENCH_GONGJID_PID" 2>/dev/null || true
  BENCH_GONGJID_PID=
}

# bench_wrk_2207 OUT THREADS CONNECTIONS SECONDS: signed 2207s against $BENCH_BASE; OUT gets wrk's
# output with its RESULT line (bench_field reads it).
bench_wrk_2207() {
  wrk -t"$2" -c"$3" -d"$4s" -s "$root/bench/http_2207.lua" "$BENCH_BASE" >"$1" 2>"$1.err" || true
  grep -q '^RESULT' "$1" || { cat "$1" "$1.err" >&2; exit 1; }
}
# bench_field OUT KEY: a value of the RESULT line.
bench_field() { grep '^RESULT' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

# bench_verify: `gongji verify` on $GONGJI_DB; prints "verified" or the failure. Adds the index
# verify needs to stay linear (entry.journal_seq; not yet in the schema, bench/README.md).
bench_verify() {
  sqlite3 "$GONGJI_DB" "CREATE INDEX IF NOT EXISTS entry_journal ON entry (journal_seq)"
  if "$build/gongji" verify >"$tmp/verify.out" 2>&1; then echo verified; else echo "NOT verified: $(cat "$tmp/verify.out")"; fi
}
