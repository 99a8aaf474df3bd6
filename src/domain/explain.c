/* explain.c — building an explanation line by line. A settlement adds about a dozen lines, each
 * formatted twice (Chinese and English); glibc's vsnprintf took ~860 instructions a line
 * (callgrind, 2.6 % of a simulated year), so the conversions explanations use are formatted
 * here and any other falls back to vsnprintf — the same bytes either way. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "gongji/explain.h"

typedef struct {
    char *out;
    size_t size, len;   /* len: bytes written so far (at most size - 1) */
} line_writer;

static void put_bytes(line_writer *w, const char *s, size_t n) {
    size_t room = w->size - 1 - w->len;
    if (n > room) n = room;
    memcpy(w->out + w->len, s, n);
    w->len += n;
}

/* v with at least `width` digits (zero-padded), as printf's %d and %02d write it. */
static void put_int(line_writer *w, int v, size_t width) {
    char digits[GJ_INT_TEXT_MAX];
    size_t n = gj_int_text(digits, v);
    for (size_t k = n; k < width; k++) put_bytes(w, "0", 1);
    put_bytes(w, digits, n);
}

/* fmt with its arguments into out (size > 0), for the conversions %s, %.0s (an argument not
 * shown), %d, %02d and %%; false at any other (out then unspecified). */
static bool format_simple(char *out, size_t size, const char *fmt, va_list ap) {
    assert(size > 0);
    line_writer w = {.out = out, .size = size, .len = 0};
    for (const char *p = fmt; *p != '\0'; p++) {
        const char *percent = strchr(p, '%');
        size_t plain = percent != NULL ? (size_t)(percent - p) : strlen(p);
        put_bytes(&w, p, plain);
        if (percent == NULL) break;
        p = percent + 1;
        if (*p == 's') {
            const char *s = va_arg(ap, const char *);
            if (s == NULL) s = "(null)";
            put_bytes(&w, s, strlen(s));
        } else if (strncmp(p, ".0s", 3) == 0) {
            (void)va_arg(ap, const char *);
            p += 2;
        } else if (*p == 'd') {
            put_int(&w, va_arg(ap, int), 0);
        } else if (strncmp(p, "02d", 3) == 0) {
            put_int(&w, va_arg(ap, int), 2);
            p += 2;
        } else if (*p == '%') {
            put_bytes(&w, "%", 1);
        } else {
            return false;
        }
    }
    out[w.len] = '\0';
    return true;
}

static void format_line(char *out, size_t size, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    if (!format_simple(out, size, fmt, ap)) vsnprintf(out, size, fmt, again);
    va_end(again);
}

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
    format_line(line->zh, sizeof line->zh, zh_fmt, ap);
    format_line(line->en, sizeof line->en, en_fmt, ap2);
    va_end(ap2);
    va_end(ap);
}
