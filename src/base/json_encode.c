/* json_encode.c — compact JSON encoding for the hot path, byte for byte what Jansson's
 * json_dumps(JSON_COMPACT [| JSON_SORT_KEYS]) writes (members in insertion order or sorted by
 * key, strings escaped the same way, integers in decimal), at a fraction of its cost: Jansson
 * keeps a hash table of the containers being dumped (an snprintf("%p") and a malloc per
 * object), decodes every string character by character and calls back per fragment; a
 * settlement encodes its explanation, output, response, request and journal detail. Reals,
 * which the hot path never holds, are encoded by Jansson itself. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/jsonx.h"

enum { BUF_INITIAL = 1024, ENCODE_DEPTH_MAX = 4 * GJ_JSON_DEPTH_MAX };   /* decoded input: ≤ 32 */

typedef struct {
    char *data;
    size_t len, cap;
    bool failed;
} buf;

/* Room for n more bytes and the final NUL; false (and b->failed) when memory runs out. */
static bool reserve(buf *b, size_t n) {
    if (b->failed) return false;
    if (b->len + n + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : BUF_INITIAL;
    while (b->len + n + 1 > cap) cap *= 2;
    char *d = realloc(b->data, cap);
    if (d == NULL) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

static void put(buf *b, const char *s, size_t n) {
    if (!reserve(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void put_char(buf *b, char c) {
    if (reserve(b, 1)) b->data[b->len++] = c;
}

/* Jansson's escapes: \" \\ \b \f \n \r \t, other control characters as \u00XX (upper case).
 * Room for the worst case (every byte a \u00XX) is reserved once, then bytes are copied. */
static void put_string(buf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789ABCDEF";
    if (!reserve(b, 6 * n + 2)) return;
    char *o = b->data + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
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
    }
    *o++ = '"';
    b->len = (size_t)(o - b->data);
}

static void put_integer(buf *b, json_int_t v) {
    char text[24], *p = text + sizeof text;
    unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + m % 10);
        m /= 10;
    } while (m > 0);
    if (v < 0) *--p = '-';
    put(b, p, (size_t)(text + sizeof text - p));
}

static void put_real(buf *b, const json_t *v) {
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL) b->failed = true;
    else put(b, text, strlen(text));
    free(text);
}

typedef struct {
    const char *key;
    size_t len;
    json_t *value;
} member;

static int member_cmp(const void *x, const void *y) {   /* Jansson's key order */
    const member *a = x, *b = y;
    int r = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);
    return r != 0 ? r : (a->len > b->len) - (a->len < b->len);
}

static void put_value(buf *b, const json_t *v, bool sort_keys, int depth);

static void put_object(buf *b, const json_t *o, bool sort_keys, int depth) {
    size_t n = json_object_size(o), i = 0;
    member stack[32], *m = n <= 32 ? stack : malloc(n * sizeof *m);
    if (m == NULL) {
        b->failed = true;
        return;
    }
    for (void *it = json_object_iter((json_t *)o); it != NULL; it = json_object_iter_next((json_t *)o, it))
        m[i++] = (member){json_object_iter_key(it), json_object_iter_key_len(it), json_object_iter_value(it)};
    assert(i == n);
    if (sort_keys) qsort(m, n, sizeof *m, member_cmp);
    put_char(b, '{');
    for (i = 0; i < n; i++) {
        if (i > 0) put_char(b, ',');
        put_string(b, m[i].key, m[i].len);
        put_char(b, ':');
        put_value(b, m[i].value, sort_keys, depth + 1);
    }
    put_char(b, '}');
    if (m != stack) free(m);
}

static void put_value(buf *b, const json_t *v, bool sort_keys, int depth) {
    if (depth > ENCODE_DEPTH_MAX || v == NULL) {   /* Jansson refuses cycles; this, depth */
        b->failed = true;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: put_object(b, v, sort_keys, depth); break;
    case JSON_ARRAY:
        put_char(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i > 0) put_char(b, ',');
            put_value(b, json_array_get(v, i), sort_keys, depth + 1);
        }
        put_char(b, ']');
        break;
    case JSON_STRING: put_string(b, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: put_integer(b, json_integer_value(v)); break;
    case JSON_REAL: put_real(b, v); break;
    case JSON_TRUE: put(b, "true", 4); break;
    case JSON_FALSE: put(b, "false", 5); break;
    case JSON_NULL: put(b, "null", 4); break;
    }
}

char *gj_json_encode(const json_t *v, bool sort_keys) {
    if (!json_is_object(v) && !json_is_array(v)) return NULL;   /* as json_dumps without ENCODE_ANY */
    buf b = {NULL, 0, 0, false};
    put_value(&b, v, sort_keys, 0);
    if (b.failed) {
        free(b.data);
        return NULL;
    }
    b.data[b.len] = '\0';
    return b.data;
}
