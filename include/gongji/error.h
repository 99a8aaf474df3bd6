/* error.h — status codes shared by every layer, and the detail a refusal carries.
 *
 * Every function that can fail returns gj_err (GJ_E_OK on success). A refusal also fills a
 * gj_status with the code, the rule it enforces and a detail line naming the field or value
 * (never a person's data). The catalogue itself is error_codes.def. */
#ifndef GONGJI_ERROR_H
#define GONGJI_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
#define GJ_ERR(name, rule, zh, en) GJ_E_##name,
#include "gongji/error_codes.def"
#undef GJ_ERR
    GJ_E_COUNT_
} gj_err;

enum { GJ_STATUS_DETAIL_MAX = 256 };

/* A refusal or failure with its detail. `detail` names the field or the limit involved. */
typedef struct {
    gj_err code;
    char detail[GJ_STATUS_DETAIL_MAX];
    bool store_text;   /* detail is the database's own message (gj_status_store_text) */
} gj_status;

const char *gj_err_name(gj_err code);   /* "IMPERSONATION" */
gj_err gj_err_from_name(const char *name);   /* GJ_E_COUNT_ for NULL or an unknown name */
const char *gj_err_rule(gj_err code);   /* "R4.1" or "" */
const char *gj_err_zh(gj_err code);
const char *gj_err_en(gj_err code);

/* Fill `st` (may be NULL) with code and a printf-style detail, made valid UTF-8 (the bytes of a
 * character cut by a precision or the buffer's end become '?'); returns code. */
gj_err gj_fail(gj_status *st, gj_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void gj_status_clear(gj_status *st);
/* Mark st's detail as the database's own message (the store drivers, after gj_fail): it may
 * name tables, constraints and the values of a row (a PostgreSQL DETAIL line quotes the key),
 * so it is for the server's log only. A later gj_fail clears the mark. */
void gj_status_store_text(gj_status *st);
/* What a client may be shown of `st` (error_public.c): `st` itself, or, when its detail is the
 * database's text, the same code with a generic detail — then true, and `log` (log_len bytes)
 * holds the text for the server's log: its first line only (a PostgreSQL DETAIL or HINT, where
 * row values are, dropped) with runs of 6 or more digits and quoted or parenthesized text
 * replaced by "…" (ID numbers, person numbers, values). */
bool gj_status_public(const gj_status *st, gj_status *out, char *log, size_t log_len);
/* Put "prefix: " before st's detail (e.g. the file a problem was found in); returns st->code. */
gj_err gj_status_prefix(gj_status *st, const char *prefix);

/* Process exit code for a status: 0 ok, 2 usage, 3 refused by a rule or bad input,
 * 4 not found, 5 storage/internal, 6 verify failed, 130 stopped by a signal (as a shell reports
 * Ctrl-C). Documented in docs/cli.md. */
int gj_err_exit_code(gj_err code);

#endif
