/* json_writer.c — compact JSON text into a growing buffer (json_writer.h); also the buffer and
 * escaping under gj_json_encode (json_encode.c), so both write the same bytes. */
#include "gongji/json_writer.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "gongji/utf8.h"

enum { BUF_INITIAL_BYTES = 4096 };   /* a settlement's answer: ~2 KB */

void gj_jw_init(gj_jw *w) {
    memset(w, 0, sizeof *w);
    w->first[0] = true;
}

/* Room for n more bytes and the final NUL; false (and w->failed) when memory runs out. */
static bool reserve(gj_jw *w, size_t n) {
    if (w->failed) return false;
    if (w->len + n + 1 <= w->cap) return true;
    size_t cap = w->cap ? w->cap : BUF_INITIAL_BYTES;
    while (w->len + n + 1 > cap) cap *= 2;
    char *d = realloc(w->data, cap);
    if (d == NULL) {
        w->failed = true;
        return false;
    }
    w->data = d;
    w->cap = cap;
    return true;
}

void gj_jw_put(gj_jw *w, const char *s, size_t n) {
    if (!reserve(w, n)) return;
    memcpy(w->data + w->len, s, n);
    w->len += n;
}

static void put_char(gj_jw *w, char c) {
    if (reserve(w, 1)) w->data[w->len++] = c;
}

/* True when one of the 8 bytes of v needs more than a copy: a control character, '"', '\\'
 * or a byte of a multi-byte character (the usual SWAR tests: a byte's top bit set after the
 * subtraction and clear before marks a zero or smaller byte; exact, no false negatives). */
static bool word_needs_care(uint64_t v) {
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t quote = v ^ (ones * '"'), backslash = v ^ (ones * '\\');
    uint64_t control = (v - ones * 0x20) & ~v;
    uint64_t zero_quote = (quote - ones) & ~quote, zero_backslash = (backslash - ones) & ~backslash;
    return ((v | control | zero_quote | zero_backslash) & highs) != 0;
}

/* Room for the worst case (every byte a \u00XX) is reserved once, then bytes are copied, eight
 * at a time while they need no care. */
void gj_jw_put_string(gj_jw *w, const char *s, size_t n, bool check_utf8) {
    static const char hex[] = "0123456789ABCDEF";
    if (!reserve(w, 6 * n + 2)) return;
    const unsigned char *u = (const unsigned char *)s;
    char *o = w->data + w->len;
    *o++ = '"';
    for (size_t i = 0; i < n;) {
        uint64_t word;
        if (n - i >= sizeof word) {
            memcpy(&word, u + i, sizeof word);
            if (!word_needs_care(word)) {
                memcpy(o, &word, sizeof word);
                o += sizeof word;
                i += sizeof word;
                continue;
            }
        }
        unsigned char c = u[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *o++ = (char)c;
            i++;
        } else if (c >= 0x80) {
            /* a run of multi-byte characters (Chinese text: explanations, names) in one loop,
             * without trying eight bytes at a time between them */
            do {
                size_t len = check_utf8 ? gj_utf8_char_len(u + i) : 1;
                if (len == 0 || len > n - i) {
                    *o++ = '?';
                    i++;
                    continue;
                }
                switch (len) {   /* not memcpy: a call for 1-4 bytes */
                case 4: o[3] = (char)u[i + 3]; /* fall through */
                case 3: o[2] = (char)u[i + 2]; /* fall through */
                case 2: o[1] = (char)u[i + 1]; /* fall through */
                default: o[0] = (char)u[i];
                }
                o += len;
                i += len;
            } while (i < n && u[i] >= 0x80);
        } else {
            *o++ = '\\';
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\b': *o++ = 'b'; break;
            case '\f': *o++ = 'f'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            default:
                memcpy(o, "u00", 3);
                o[3] = hex[c >> 4];
                o[4] = hex[c & 0x0f];
                o += 5;
            }
            i++;
        }
    }
    *o++ = '"';
    w->len = (size_t)(o - w->data);
}

void gj_jw_put_int(gj_jw *w, int64_t v) {
    char text[GJ_INT_TEXT_MAX];
    gj_jw_put(w, text, gj_int_text(text, v));
}

/* Before a value or a key: the comma that separates it from the previous element. */
static void element(gj_jw *w) {
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth]) put_char(w, ',');
    w->first[w->depth] = false;
}

static void open_container(gj_jw *w, char c) {
    if (w->depth >= GJ_JW_DEPTH_MAX) {   /* the code's own nesting: a bug, not input */
        fputs("gongji: JSON writer nested deeper than GJ_JW_DEPTH_MAX\n", stderr);
        abort();
    }
    element(w);
    put_char(w, c);
    w->first[++w->depth] = true;
}

static void close_container(gj_jw *w, char c) {
    assert(w->depth > 0 && !w->after_key);
    w->depth--;
    put_char(w, c);
}

void gj_jw_object_begin(gj_jw *w) { open_container(w, '{'); }
void gj_jw_object_end(gj_jw *w) { close_container(w, '}'); }
void gj_jw_array_begin(gj_jw *w) { open_container(w, '['); }
void gj_jw_array_end(gj_jw *w) { close_container(w, ']'); }

/* '"', text[0..n) as it is, '"' and `tail` (a text that needs no escaping: a key, digits). */
static void put_plain(gj_jw *w, const char *text, size_t n, const char *tail, size_t tail_len) {
    if (!reserve(w, n + 2 + tail_len)) return;
    char *o = w->data + w->len;
    *o++ = '"';
    memcpy(o, text, n);
    o += n;
    *o++ = '"';
    memcpy(o, tail, tail_len);
    w->len = (size_t)(o + tail_len - w->data);
}

void gj_jw_key(gj_jw *w, const char *key) {
    assert(w->depth > 0 && !w->after_key);
    element(w);
    size_t n = strlen(key);
    assert(memchr(key, '"', n) == NULL && memchr(key, '\\', n) == NULL && "a plain key");
    put_plain(w, key, n, ":", 1);
    w->after_key = true;
}

void gj_jw_string(gj_jw *w, const char *value) {
    element(w);
    gj_jw_put_string(w, value, strlen(value), true);
}

void gj_jw_int(gj_jw *w, int64_t value) {
    element(w);
    gj_jw_put_int(w, value);
}

void gj_jw_null(gj_jw *w) {
    element(w);
    GJ_JW_PUT_LITERAL(w, "null");
}

void gj_jw_yuan(gj_jw *w, gj_fen fen) {
    char text[GJ_YUAN_TEXT_MAX];
    element(w);
    gj_money_format(fen, text, sizeof text);   /* digits, '-' and '.' */
    put_plain(w, text, strlen(text), "", 0);
}

void gj_jw_raw(gj_jw *w, const char *json_text) {
    element(w);
    gj_jw_put(w, json_text, strlen(json_text));
}

void gj_jw_member_string(gj_jw *w, const char *key, const char *value) {
    gj_jw_key(w, key);
    gj_jw_string(w, value);
}

void gj_jw_member_int(gj_jw *w, const char *key, int64_t value) {
    gj_jw_key(w, key);
    gj_jw_int(w, value);
}

void gj_jw_member_yuan(gj_jw *w, const char *key, gj_fen fen) {
    gj_jw_key(w, key);
    gj_jw_yuan(w, fen);
}

char *gj_jw_finish(gj_jw *w) {
    assert(w->depth == 0 && !w->after_key && "every container closed");
    char *text = NULL;
    if (reserve(w, 0)) {
        w->data[w->len] = '\0';
        text = w->data;
    } else {
        free(w->data);
    }
    gj_jw_init(w);
    return text;
}

void gj_jw_discard(gj_jw *w) {
    free(w->data);
    gj_jw_init(w);
}
