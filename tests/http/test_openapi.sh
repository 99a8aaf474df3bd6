#!/bin/bash
# test_openapi.sh — the OpenAPI document (docs/openapi.yaml, JSON syntax) that gongjid serves
# at /openapi.json matches the server: every route of tests/http/access_matrix.tsv (which
# test_access_matrix.sh keeps equal to the route tables in src/http/*.c) is in the document and
# the document has no other; the route tables (read from the sources here too) agree; routes
# open to anonymous callers declare no security and the others declare some; every $ref
# resolves; every operation names its responses, among them 400 and 409 where it takes an
# Idempotency-Key, 400 where its path has a parameter, and 503 (not committed, or the server
# stopping) everywhere but the national interface.
# Usage: test_openapi.sh GONGJI GONGJID   (env GJ_SOURCE_DIR: repository root)
. "$(dirname "$0")/lib.sh"
http_setup "$1" "$2"
http_start || exit 1

req GET /openapi.json > "$HTTP_DIR/openapi.json"
expect_status 200 "GET /openapi.json"
DOC="$HTTP_DIR/openapi.json"
jq -e '.openapi | startswith("3.")' "$DOC" > /dev/null || http_fail "not an OpenAPI 3 document"
cmp -s <(jq -S . "$DOC") <(jq -S . "$GJ_SOURCE_DIR/docs/openapi.yaml") ||
  http_fail "/openapi.json differs from docs/openapi.yaml"

doc_routes() {
  jq -r '.paths | to_entries[] | .key as $p | .value | keys[] |
         select(IN("get","put","post","patch","delete")) | "\(ascii_upcase) \($p)"' "$DOC" | sort
}
[ "$(matrix_routes | wc -l)" -gt 30 ] || http_fail "access_matrix.tsv lists too few routes"
[ "$(doc_routes)" = "$(matrix_routes)" ] ||
  http_fail "openapi paths and access_matrix.tsv differ: $(diff <(doc_routes) <(matrix_routes) | grep '^[<>]' | tr '\n' ';')"
[ "$(doc_routes)" = "$(source_routes)" ] ||
  http_fail "openapi paths and the route tables differ: $(diff <(doc_routes) <(source_routes) | grep '^[<>]' | tr '\n' ';')"

# Security: public (anonymous gets 2xx) ⇔ "security": [] in the document.
while IFS=$'\t' read -r method route _ _ _ anonymous _; do
  m=$(echo "$method" | tr 'A-Z' 'a-z')
  count=$(jq --arg p "$route" --arg m "$m" '.paths[$p][$m].security | length' "$DOC")
  case $anonymous in
    2??) [ "$count" = 0 ] || http_fail "$method $route is public but declares security" ;;
    *) [ "$count" -gt 0 ] || http_fail "$method $route needs a caller but declares no security" ;;
  esac
  jq -e --arg p "$route" --arg m "$m" '.paths[$p][$m].responses | length > 0' "$DOC" > /dev/null ||
    http_fail "$method $route has no responses"
done < <(matrix_rows)

# Every $ref points at something in the document; every security scheme used is defined.
while read -r ref; do
  jq -e --arg r "$ref" 'getpath($r | ltrimstr("#/") | split("/")) != null' "$DOC" > /dev/null ||
    http_fail "dangling \$ref $ref"
done < <(jq -r '.. | objects | .["$ref"]? // empty' "$DOC" | sort -u)
while read -r scheme; do
  jq -e --arg s "$scheme" '.components.securitySchemes[$s] != null' "$DOC" > /dev/null ||
    http_fail "undefined security scheme $scheme"
done < <(jq -r '.paths[][] | objects | .security[]? | keys[]' "$DOC" | sort -u)
jq -e '.components.schemas.Error.properties.error.required | index("code")' "$DOC" > /dev/null ||
  http_fail "the error shape is not described"

# Answers every operation of a kind can give: an Idempotency-Key that is malformed (400) or was
# sent with another request (409), for every operation taking one; a path parameter that is not
# UTF-8 (400, server.c); 503 (STORE, STOPPED: the server's dispatch) for every operation but
# the national interface, which answers its envelope.
while read -r op; do http_fail "$op"; done < <(jq -r '
  .paths | to_entries[] | .key as $p | .value | to_entries[]
  | select(.key | IN("get","put","post","patch","delete")) | .key as $m | .value
  | (if any(.parameters[]?; ."$ref" == "#/components/parameters/IdempotencyKey")
     then ("400", "409") else empty end,
     if $p | contains("{") then "400" else empty end,
     if $p == "/fsi/api/callService" then empty else "503" end) as $code
  | select(.responses | has($code) | not)
  | "\($m | ascii_upcase) \($p) does not declare \($code)"' "$DOC")
[ "$HTTP_FAILURES" = 0 ] && http_ok "openapi: $(doc_routes | wc -l) operations, the same as the server's routes"
http_done
