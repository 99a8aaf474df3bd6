/* error_public.c — what a client may see of a failure (error.h, gj_status_public): a store
 * driver's own message (SQLite's, PostgreSQL's with its SQLSTATE and DETAIL line quoting a
 * row's key) never leaves the server; the client gets the stable code with a generic detail,
 * and the server's log a redacted first line (structured logs carry no personal data). */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "gongji/error.h"

enum { DIGITS_KEPT_MAX = 5 };   /* a SQLSTATE ("23505") stays; an ID or person number does not */

/* Copy the first line of `in` to `out` (out_len > 0), "…" for quoted or parenthesized text and
 * for runs of more than DIGITS_KEPT_MAX digits. */
static void redact_line(const char *in, char *out, size_t out_len) {
    static const char hidden[] = "\xe2\x80\xa6";   /* … */
    size_t o = 0;
    for (const char *p = in; *p != '\0' && *p != '\n';) {
        const char *close = *p == '"' || *p == '\'' ? strchr(p + 1, *p) : *p == '(' ? strchr(p, ')') : NULL;
        size_t digits = strspn(p, "0123456789");
        const char *piece = p;
        size_t n = 1;
        if (close != NULL) {
            piece = hidden, n = sizeof hidden - 1;
            p = close + 1;
        } else if (digits > DIGITS_KEPT_MAX) {
            piece = hidden, n = sizeof hidden - 1;
            p += digits;
        } else {
            n = digits > 0 ? digits : 1;
            p += n;
        }
        if (o + n >= out_len) break;
        memcpy(out + o, piece, n);
        o += n;
    }
    out[o] = '\0';
}

bool gj_status_public(const gj_status *st, gj_status *out, char *log, size_t log_len) {
    assert(st != NULL && out != NULL && log != NULL && log_len > 0);
    log[0] = '\0';
    if (!st->store_text) {
        *out = *st;
        return false;
    }
    redact_line(st->detail, log, log_len);
    gj_fail(out, st->code, "a database error; its text is in the server's log only");
    return true;
}
