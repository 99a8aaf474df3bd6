#!/bin/sh
# deps.sh — install the Debian packages gongji builds and tests with, only those missing (clang and
# libclang-rt-14-dev: libFuzzer and the sanitizer runtimes for the fuzz targets; chromium, nodejs,
# npm and a CJK font: the web console's browser tests; libpq-dev and postgresql-15: the PostgreSQL store
# and its tests).
set -eu
# wrk, nginx-light and postgresql-15 (initdb, postgres, pgbench): the benchmarks in bench/.
PKGS="build-essential clang libclang-rt-14-dev cmake pkg-config libsqlite3-dev libjemalloc-dev libjansson-dev libssl-dev libcriterion-dev libmicrohttpd-dev sqlite3 jq curl libpq-dev postgresql-15 chromium fonts-wqy-zenhei wrk nginx-light"
# Node.js and npm: Debian's packages only when the machine has no node/npm of its own (a
# preinstalled Node.js conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
