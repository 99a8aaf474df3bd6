# lib.sh — sourced by the CLI tests (not a test itself) as
#     . "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"
# from a test run as `test_X.sh GONGJI_BINARY`: sets `gongji`, `src` (repository root), `tmp`
# (removed at exit) and GONGJI_DB, GONGJI_POLICIES, GONGJI_NOW (unless set), and provides
# assertions, national messages, and a family with real activity made through the command
# line (import, institutions, network, an active binding).
set -u
gongji=$1
src=$GJ_SOURCE_DIR
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GONGJI_DB="$tmp/gongji.db"
export GONGJI_POLICIES="$src/policies"
export GONGJI_NOW="${GONGJI_NOW:-2025-10-08 09:00:00}"
PHARMACY=H43010000001
HOSPITAL=H43010000002
failures=0

need_sqlite3() {
    command -v sqlite3 >/dev/null || { echo "sqlite3 missing (scripts/deps.sh installs it)" >&2; exit 1; }
}

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run CMD...: stdout in $tmp/out, stderr in $tmp/err, exit status in $rc.
run() {
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

expect_exit() {
    want=$1
    shift
    run "$@"
    [ "$rc" -eq "$want" ] || fail "$* → exit $rc, expected $want ($(head -c 300 "$tmp/err"))"
}

expect_output() {
    grep -q -- "$1" "$tmp/out" || fail "output of the last command lacks '$1'"
}

# The end of every test: a count of failures, or "ok".
finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures failure(s)" >&2
        exit 1
    fi
    echo "ok"
}

# message INFNO MSGID INSTITUTION INPUT_JSON: writes a national envelope, prints its path.
message() {
    file="$tmp/msg-$1-$2-$(printf '%s' "$4" | cksum | cut -d' ' -f1).json"
    printf '{"infno": "%s", "msgid": "%s", "fixmedins_code": "%s", "mdtrtarea_admvs": "430100", "input": %s}\n' \
        "$1" "$2" "$3" "$4" >"$file"
    echo "$file"
}

# The inputs of a pharmacy purchase (2102) and a hospital outpatient visit (2207) of the mother
# P0000000002, paid partly from her son P0000000001's account.
pharmacy_bill() {
    printf '{"druginfo": {"psn_no": "P0000000002", "mdtrt_cert_type": "01", "mdtrt_cert_no": "EC0002", "medfee_sumamt": "%s", "fulamt_ownpay_amt": "10.00", "insutype": "390", "med_type": "41", "acct_used_flag": "1"}}' "$1"
}
outpatient_bill() {   # whole yuan; 20 of them fully self-paid, the rest in scope
    printf '{"data": {"psn_no": "P0000000002", "mdtrt_cert_type": "02", "mdtrt_cert_no": "43010219580820004X", "medfee_sumamt": "%s", "fulamt_ownpay_amt": "20", "inscp_scp_amt": "%s", "insutype": "390", "med_type": "11", "acct_used_flag": "1"}}' "$1" "$(($1 - 20))"
}
cancel_input() {
    printf '{"data": {"setl_id": "%s", "psn_no": "P0000000002", "mdtrt_id": ""}}' "$1"
}

# The README's son (employee, 1,200 + 3,800 yuan) and his mother (resident) → $tmp/persons.csv.
persons_csv() {
    cat >"$tmp/persons.csv" <<'CSV'
psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,prior_yuan,card_yuan,ecert_no,card_no
P0000000001,张伟,01,430102198503150030,,,430100,310,active,1200.00,3800.00,50.00,EC0001,SSC0001
P0000000002,李秀英,01,43010219580820004X,,,430100,390,active,,,20.00,EC0002,SSC0002
CSV
}

# The two people, a pharmacy and a hospital in Changsha, the son's network and an active
# binding for payment and contribution.
make_family() {
    persons_csv
    expect_exit 0 "$gongji" init
    expect_exit 0 "$gongji" import persons "$tmp/persons.csv"
    expect_exit 0 "$gongji" institution add "$PHARMACY" 长沙好药房 --kind pharmacy --admdvs 430100
    expect_exit 0 "$gongji" institution add "$HOSPITAL" 长沙市第一医院 --kind hospital --admdvs 430100
    expect_exit 0 "$gongji" network create P0000000001 --commitment --verify face:F001
    expect_exit 0 "$gongji" bind invite P0000000001 P0000000002 --relation parent --modes payment,contribution
    expect_exit 0 "$gongji" bind accept B0000000001 --verify face:F002 --channel app --actor P0000000002
}

# call FILE: sends a message; the response is in $tmp/out (JSON), its exit status in $rc.
call() {
    run "$gongji" --json call "$1"
}

# json EXPR: a value of the last command's JSON output.
json() {
    jq -r "$1" "$tmp/out"
}
