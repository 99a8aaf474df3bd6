/* explain.h — the explanation of a decision: each rule applied, in order, with the amount it
 * moved, in Chinese and English. Stored with every settlement (`gongji settle explain`). */
#ifndef GONGJI_EXPLAIN_H
#define GONGJI_EXPLAIN_H

#include "gongji/money.h"

enum { GJ_EXPLAIN_LINES_MAX = 96, GJ_EXPLAIN_TEXT_MAX = 200 };

typedef struct {
    char rule[8];                    /* "R4.4" */
    char zh[GJ_EXPLAIN_TEXT_MAX];
    char en[GJ_EXPLAIN_TEXT_MAX];
    gj_fen amount_fen;               /* -1 when the line moves no money */
} gj_explain_line;

typedef struct {
    gj_explain_line lines[GJ_EXPLAIN_LINES_MAX];
    int count;
    int dropped;                     /* lines beyond the limit (never expected) */
} gj_explain;

/* Append a line; zh and en are printf formats taking the same arguments (each checked by the
 * compiler against them; a format that leaves an argument out shows it as %.0s). */
void gj_explain_add(gj_explain *x, const char *rule, gj_fen amount_fen, const char *zh_fmt,
                    const char *en_fmt, ...)
    __attribute__((format(printf, 4, 6), format(printf, 5, 6)));

#endif
