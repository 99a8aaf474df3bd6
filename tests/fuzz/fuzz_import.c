/* fuzz_import.c — libFuzzer target: person import (gj_import_persons, CSV → rows with the
 * docs/import.md columns, ID checks, opening balances) on the shared in-memory engine. All or
 * nothing: a refused file leaves no person, account or journal record behind; an accepted one
 * leaves books that verify (harness_restore checks, then puts the baseline back). */
#include "harness.h"

static int64_t rows_now(gj_engine *e) {
    return harness_int(e, "SELECT (SELECT COUNT(*) FROM person) + (SELECT COUNT(*) FROM account) + "
                          "(SELECT COUNT(*) FROM journal) + (SELECT COUNT(*) FROM posting)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int64_t baseline_rows = -1;
    gj_engine *e = harness_engine();
    if (baseline_rows < 0) {
        harness_snapshot(e);
        baseline_rows = rows_now(e);
    }
    FILE *f = harness_file(data, size);
    if (f == NULL) return 0;
    gj_actor who = {.actor = "fuzz", .channel = "cli"};
    json_t *out = NULL;
    gj_status st;
    gj_status_clear(&st);
    gj_err err = gj_import_persons(e, &who, f, false, &out, &st);
    fclose(f);
    if (err != GJ_E_OK) {
        harness_check(out == NULL, "a refused import returned a result", NULL);
        harness_check(rows_now(e) == baseline_rows, "a refused import left rows behind", st.detail);
    }
    json_decref(out);
    harness_restore(e);
    return 0;
}
