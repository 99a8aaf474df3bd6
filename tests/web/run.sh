#!/bin/bash
# run.sh — the browser tests under CTest: install playwright-core from the committed lock file
# into BUILD/web-node (npm ci, again only when the lock changed), then `node --test` on
# tests/web/*.test.mjs. Screenshots go to BUILD/web-artifacts/.
# Usage: run.sh GONGJI GONGJID BUILD_DIR   (env GJ_SOURCE_DIR: repository root)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
NODE_DIR="$3/web-node"
mkdir -p "$NODE_DIR" "$3/web-artifacts"
if ! cmp -s "$HERE/package-lock.json" "$NODE_DIR/package-lock.json" || [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
  cp "$HERE/package.json" "$HERE/package-lock.json" "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
export GJ_GONGJI=$1 GJ_GONGJID=$2 GJ_NODE_MODULES="$NODE_DIR/node_modules" GJ_ARTIFACTS="$3/web-artifacts"
exec node --test --test-concurrency=1 "$HERE"/*.test.mjs
