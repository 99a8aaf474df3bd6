/* explain.c — building an explanation line by line. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>

#include "gongji/strcopy.h"
#include "gongji/explain.h"

void gj_explain_add(gj_explain *x, const char *rule, gj_fen amount_fen, const char *zh_fmt,
                    const char *en_fmt, ...) {
    assert(x != NULL && rule != NULL);
    if (x->count == GJ_EXPLAIN_LINES_MAX) {
        x->dropped++;
        return;
    }
    gj_explain_line *line = &x->lines[x->count++];
    gj_copy_text(line->rule, sizeof line->rule, rule);
    line->amount_fen = amount_fen;
    va_list ap, ap2;
    va_start(ap, en_fmt);
    va_copy(ap2, ap);
    vsnprintf(line->zh, sizeof line->zh, zh_fmt, ap);
    vsnprintf(line->en, sizeof line->en, en_fmt, ap2);
    va_end(ap2);
    va_end(ap);
}
