# lib.sh — shared by the simulation tests (sourced): a temporary directory, failure counting,
# hand-written populations (docs/simulation.md "Population files") and a simulate runner.
# Usage in a test: gongji=$1; . "$(dirname "$0")/lib.sh"
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GONGJI_POLICIES="${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/policies"
export GONGJI_NO_PROGRESS=1
unset GONGJI_NOW GONGJI_DB
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect_json FILE JQ_EXPR EXPECTED — the jq expression's value (compact) must equal EXPECTED.
expect_json() {
    got=$(jq -c "$2" "$1")
    [ "$got" = "$3" ] || fail "$2 = $got, expected $3"
}

# population DIR — start a hand-written population: the files with their headers.
population() {
    mkdir -p "$1"
    echo "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,prior_yuan,card_yuan,ecert_no,card_no" >"$1/persons.csv"
    echo "family,id,role,sex,age,insured,father,mother,spouse" >"$1/families.csv"
    echo "fixmedins_code,name,kind,admdvs" >"$1/institutions.csv"
    echo "time,kind,msgid,psn_no,fixmedins_code,mdtrtarea_admvs,med_type,insutype,medfee_yuan,fulamt_ownpay_yuan,overlmt_selfpay_yuan,preselfpay_yuan,spend_ctgy,excluded_yuan" >"$1/bills-2025.csv"
}

# person DIR PSN BIRTH SEX REGION INSUTYPE [CURRENT PRIOR] — an insured person (certificate
# type 99: no ID checksum to compute by hand), credential EC<PSN>.
person() {
    echo "$2,$2,99,C$2,$3,$4,$5,$6,active,${7:-},${8:-},,EC$2," >>"$1/persons.csv"
}

# member DIR FAMILY ID ROLE SEX INSURED FATHER MOTHER SPOUSE — a row of the family tree.
member() {
    echo "$2,$3,$4,$5,0,$6,$7,$8,$9" >>"$1/families.csv"
}

# fuzhou_family DIR — a Fuzhou family: employee P1 (2,000 yuan current, 3,000 prior years) and
# their minor child P2 (resident insurance), and the region's pharmacy.
fuzhou_family() {
    person "$1" P1 1985-05-01 2 350100 310 2000.00 3000.00
    person "$1" P2 2016-09-01 1 350100 390
    member "$1" 1 P1 head 2 1 "" "" ""
    member "$1" 1 P2 child 1 1 "" P1 ""
    echo "Y35010000001,福州药房,pharmacy,350100" >>"$1/institutions.csv"
}

# pharmacy_bill DIR MSGID TIME PSN REGION YUAN — a purchase at the region's pharmacy (2102, 41),
# no self-paid classes: the pooled fund pays nothing, so mutual aid can pay all of it.
pharmacy_bill() {
    echo "$3,2102,$2,$4,Y${5}00001,$5,41,390,$6,0.00,0.00,0.00,," >>"$1/bills-2025.csv"
}

# simulate OUT.json ARGS… — run a simulation (JSON report in OUT.json); a failure is reported.
simulate() {
    out=$1
    shift
    "$gongji" --json simulate --year 2025 "$@" >"$out" 2>"$tmp/simulate.err" ||
        fail "simulate $* → exit $? ($(head -c 400 "$tmp/simulate.err"))"
}

finish() {
    [ "$failures" -eq 0 ] || exit 1
    echo "ok"
}
