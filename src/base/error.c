/* error.c — names, rules and messages of the error catalogue, and status helpers. */
#include "gongji/error.h"
#include "gongji/utf8.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *rule, *zh, *en;
} error_table[] = {
#define GJ_ERR(name, rule, zh, en) {#name, rule, zh, en},
#include "gongji/error_codes.def"
#undef GJ_ERR
};

static unsigned error_index(gj_err code) {
    assert((unsigned)code < GJ_E_COUNT_);
    return (unsigned)code;
}

const char *gj_err_name(gj_err code) { return error_table[error_index(code)].name; }
const char *gj_err_rule(gj_err code) { return error_table[error_index(code)].rule; }
const char *gj_err_zh(gj_err code) { return error_table[error_index(code)].zh; }
const char *gj_err_en(gj_err code) { return error_table[error_index(code)].en; }

/* Details go into JSON answers: a byte of a character cut by a precision ("%.40s") or by the
 * buffer's end becomes '?'. */
static void utf8_repair(char *text) {
    unsigned char *s = (unsigned char *)text;
    while (*s != '\0') {
        size_t n = gj_utf8_char_len(s);
        if (n == 0) *s = '?';
        s += n ? n : 1;
    }
}

gj_err gj_fail(gj_status *st, gj_err code, const char *fmt, ...) {
    if (st != NULL) {
        st->code = code;
        st->store_text = false;
        st->detail[0] = '\0';
        if (fmt != NULL) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(st->detail, sizeof st->detail, fmt, ap);
            va_end(ap);
            utf8_repair(st->detail);
        }
    }
    return code;
}

void gj_status_clear(gj_status *st) {
    if (st != NULL) {
        st->code = GJ_E_OK;
        st->detail[0] = '\0';
        st->store_text = false;
    }
}

void gj_status_store_text(gj_status *st) {
    if (st != NULL) st->store_text = true;
}

gj_err gj_status_prefix(gj_status *st, const char *prefix) {
    if (st == NULL) return GJ_E_INTERNAL;
    char detail[GJ_STATUS_DETAIL_MAX];
    bool store_text = st->store_text;
    snprintf(detail, sizeof detail, "%s", st->detail);
    gj_fail(st, st->code, "%s: %s", prefix, detail);
    st->store_text = store_text;
    return st->code;
}

int gj_err_exit_code(gj_err code) {
    switch (code) {
    case GJ_E_OK: return 0;
    case GJ_E_USAGE: return 2;
    case GJ_E_NOT_FOUND: return 4;
    case GJ_E_STORE:
    case GJ_E_IN_DOUBT:
    case GJ_E_INTERNAL: return 5;
    case GJ_E_LEDGER_UNBALANCED:
    case GJ_E_CHAIN_BROKEN: return 6;
    case GJ_E_STOPPED: return 130;
    default: return 3;
    }
}

gj_err gj_err_from_name(const char *name) {
    for (int c = 0; name != NULL && c < GJ_E_COUNT_; c++)
        if (strcmp(gj_err_name((gj_err)c), name) == 0) return (gj_err)c;
    return GJ_E_COUNT_;
}
