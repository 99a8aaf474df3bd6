#!/bin/sh
# demo.sh — build a demo database: a generated population (2,000 families across the regions
# the policy files describe, plus the README's named people), a few institutions, and a
# summary of what to try next. Usage: scripts/demo.sh GONGJI_BINARY DB_PATH
set -eu
gongji=$(realpath "$1")
db=$2
dir=$(dirname "$db")
mkdir -p "$dir"
rm -f "$db" "$db-wal" "$db-shm"
export GONGJI_DB="$db"
"$gongji" gen persons --families 2000 --seed 42 --demo --out "$dir/persons.csv"
"$gongji" import persons "$dir/persons.csv"
"$gongji" institution add H43010000001 长沙好药房 --kind pharmacy --admdvs 430100 > /dev/null
"$gongji" institution add H43010000002 长沙市第一医院 --kind hospital --admdvs 430100 > /dev/null
"$gongji" institution add H31000000001 上海瑞金医院 --kind hospital --admdvs 310000 > /dev/null
cp "$(dirname "$0")/../docs/examples/"*.json "$dir/" 2>/dev/null || true
"$gongji" verify > /dev/null
cat <<MSG

Demo database ready: $db ($(($(wc -l < "$dir/persons.csv") - 1)) people; institutions H43010000001 pharmacy,
H43010000002 hospital in Changsha, H31000000001 hospital in Shanghai).

Try (see README.md, "Walkthrough"):
  export GONGJI_DB=$db
  $gongji person show P0000000001                  # the son, employee in Changsha
  $gongji network create P0000000001 --commitment --verify face:F001
  $gongji bind invite P0000000001 P0000000002 --relation parent --modes payment,contribution
  $gongji --help                                   # every command
MSG
