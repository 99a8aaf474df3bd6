#!/bin/sh
# test_verify_institutions.sh — institution codes stored before `institution add` checked the
# national form (12 letters or digits, commit 8eb9f24) are not refused later — settlements,
# accounts and the journal name them — but `gongji verify` lists them in
# nonconforming_institution_codes, still passing (exit 0, ok). Such rows are made with sqlite3,
# as the earlier binary stored them.
# Usage: test_verify_institutions.sh GONGJI_BINARY   (env GJ_SOURCE_DIR: repository root)
. "${GJ_SOURCE_DIR:?GJ_SOURCE_DIR not set}/tests/cli/lib.sh"
need_sqlite3
make_family

expect_exit 0 "$gongji" --json verify
[ "$(jq -c .nonconforming_institution_codes "$tmp/out")" = '[]' ] ||
    fail "conforming codes listed: $(jq -c .nonconforming_institution_codes "$tmp/out")"

sqlite3 "$GONGJI_DB" "INSERT INTO institution (fixmedins_code, name, kind, admdvs) VALUES
    ('H4301', 'short code', 'pharmacy', '430100'),
    ('H43/10000001', 'a slash', 'hospital', '430100'),
    ('H430100000012', '13 characters', 'hospital', '430100')" || fail "inserting legacy rows"
expect_exit 0 "$gongji" --json verify
[ "$(json .ok)" = true ] || fail "verify not ok: $(json .problem)"
[ "$(jq -c .nonconforming_institution_codes "$tmp/out")" = '["H43/10000001","H4301","H430100000012"]' ] ||
    fail "listed: $(jq -c .nonconforming_institution_codes "$tmp/out")"
expect_exit 0 "$gongji" verify   # text mode shows them too
expect_output "H4301"

finish
