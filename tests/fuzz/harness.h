/* harness.h — what the fuzz targets (tests/fuzz/fuzz_*.c) share: one engine per process on
 * ":memory:" with the real policies and a fixed clock; a baseline copy of every table, restored
 * after each input that wrote anything, so every input starts from the same state and memory
 * stays bounded; and checks that abort (a finding) when an invariant breaks. The targets build
 * with libFuzzer (clang, GJ_FUZZ) and with tests/fuzz/replay.c (any compiler, CTest). */
#ifndef GONGJI_FUZZ_HARNESS_H
#define GONGJI_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gongji/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The process's engine, opened (and its clock fixed to 2026-03-10 10:00:00) at first use. */
gj_engine *harness_engine(void);
/* The tables as they are now become the baseline (once per process). */
void harness_snapshot(gj_engine *e);
/* If anything was committed since the baseline: the books must verify, then every table is
 * put back as it was. */
void harness_restore(gj_engine *e);
/* The one integer a query returns; `sql` must be a string literal (statements are cached by
 * their text's address). */
int64_t harness_int(gj_engine *e, const char *sql);
/* A finding: print and abort when `ok` is false. */
void harness_check(bool ok, const char *what, const char *detail);
/* The input as a read-only stream (NULL for an empty input); fclose it. */
FILE *harness_file(const uint8_t *data, size_t size);
/* Fail with the status when err is not OK (setup steps that must succeed). */
void harness_ok(gj_err err, const gj_status *st, const char *step);

#endif
