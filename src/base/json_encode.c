/* json_encode.c — compact JSON encoding for the hot path, byte for byte what Jansson's
 * json_dumps(JSON_COMPACT [| JSON_SORT_KEYS]) writes (members in insertion order or sorted by
 * key, strings escaped the same way, integers in decimal), at a fraction of its cost: Jansson
 * keeps a hash table of the containers being dumped (an snprintf("%p") and a malloc per
 * object), decodes every string character by character and calls back per fragment; a
 * settlement encodes its request here (for its hash; its answer and journal detail are written
 * as text directly, json_writer.h, over the same buffer and escaping). Reals, which the hot
 * path never holds, are encoded by Jansson itself. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/json_writer.h"
#include "gongji/jsonx.h"

enum { ENCODE_DEPTH_MAX = 4 * GJ_JSON_DEPTH_MAX };   /* decoded input: ≤ 32 */

/* The buffer and escaping are the writer's (json_writer.c); this file walks a tree. */
typedef gj_jw buf;

static void put(buf *b, const char *s, size_t n) { gj_jw_put(b, s, n); }
static void put_char(buf *b, char c) { gj_jw_put(b, &c, 1); }
static void put_string(buf *b, const char *s, size_t n) { gj_jw_put_string(b, s, n, false); }
static void put_integer(buf *b, json_int_t v) { gj_jw_put_int(b, (int64_t)v); }

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
    buf b;
    gj_jw_init(&b);
    put_value(&b, v, sort_keys, 0);
    return gj_jw_finish(&b);
}
