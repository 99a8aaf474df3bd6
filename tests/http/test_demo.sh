#!/bin/bash
# test_demo.sh — `make demo` as a newcomer meets it: scripts/demo.sh builds the demo database,
# scripts/demo-http.sh starts gongjid and prints a walkthrough; the printed commands, pasted
# into bash as they are, settle a signed 2207 with acct_mulaid_pay 250.00, show the donor that
# use of his money, refuse him another family's settlement (404), reconcile (3201 agrees),
# cancel (2208) and verify the books; `demo-http.sh stop` stops gongjid with SIGTERM.
# Usage: test_demo.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
http_setup "$1" "$2"
unset GONGJI_NOW GONGJI_DB
cd "$HTTP_DIR" || exit 1
"$GJ_SOURCE_DIR/scripts/demo.sh" "$GONGJI" demo/gongji.db > demo.out 2>&1 || http_fail "demo.sh: $(tail -3 demo.out)"
# port 0: the OS chooses a free one (a random fixed port collided with a parallel test in CI)
"$GJ_SOURCE_DIR/scripts/demo-http.sh" start "$GONGJI" "$GONGJID" demo/gongji.db "127.0.0.1:0" > walk.out 2>&1 ||
  http_fail "demo-http.sh start: $(tail -5 walk.out)"
PORT=$(sed -n 's|^gongjid runs on http://127.0.0.1:\([0-9]*\) .*|\1|p' walk.out)
[ -n "$PORT" ] && [ "$PORT" != 0 ] || http_fail "the walkthrough does not name the port gongjid chose"
grep -q "DEMO_ADMIN / demo-admin-password" walk.out || http_fail "the staff logins are not printed"
grep -q "http://127.0.0.1:$PORT/openapi.json" walk.out || http_fail "the OpenAPI URL is not printed"
sed -n '/^BASE=/,$p' walk.out > walk.sh
bash walk.sh > run.out 2> run.err || http_fail "the walkthrough failed: $(tail -5 run.err)"
[ -s run.err ] && http_fail "the walkthrough wrote errors: $(head -5 run.err)"
jq -s . run.out > run.json 2>/dev/null || http_fail "the walkthrough printed something other than JSON"
check() { jq -e "$1" run.json > /dev/null || http_fail "walkthrough: $2"; }
check 'map(select(.binding_id? and .status == "active")) | length == 1' "the binding is active"
check 'map(select(.setlinfo?.acct_mulaid_pay == "250.00")) | length == 1' "2207 shows acct_mulaid_pay 250.00"
check 'map(select(.uses?[0].from_donor_yuan == "250.00")) | length == 1' "the donor sees the use of his money"
check 'map(select(.error?.code == "NOT_FOUND")) | length == 1' "another family's receipt is refused as not found"
check 'map(select(.output?.stmtinfo.stmt_rslt == "0")) | length == 1' "3201 agrees"
check 'map(select(.output?.setlinfo.init_setl_id)) | length == 1' "2208 cancels"
check 'map(select(.ok? == true)) | length == 1' "verify ok"
PID=$(cat demo/gongjid.pid)
"$GJ_SOURCE_DIR/scripts/demo-http.sh" stop demo/gongji.db > /dev/null
kill -0 "$PID" 2>/dev/null && http_fail "gongjid still runs after demo-http.sh stop"
grep -q '"event":"stopped"' demo/gongjid.log || http_fail "gongjid did not stop cleanly"
[ "$HTTP_FAILURES" = 0 ] && http_ok "make demo walkthrough"
cd / && http_done
