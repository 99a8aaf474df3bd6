/* jsonx.c — exact JSON decoding (number literals rewritten as strings before Jansson sees
 * them), typed field access, and amount output. */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/jsonx.h"

static bool number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

static size_t digits(const char *s, size_t i, size_t end) {
    size_t start = i;
    while (i < end && s[i] >= '0' && s[i] <= '9') i++;
    return i - start;
}

/* The JSON number grammar (RFC 8259): -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool number_valid(const char *s, size_t n) {
    size_t i = s[0] == '-' ? 1 : 0, d = digits(s, i, n);
    if (d == 0 || (d > 1 && s[i] == '0')) return false;
    i += d;
    if (i < n && s[i] == '.') {
        if ((d = digits(s, i + 1, n)) == 0) return false;
        i += 1 + d;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i += i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-') ? 2 : 1;
        if ((d = digits(s, i, n)) == 0) return false;
        i += d;
    }
    return i == n;
}

/* Refusal naming the line and column (1-based, in characters, as Jansson counts) of text[at]. */
static gj_err bad_token(const char *text, size_t at, const char *why, gj_status *st) {
    int line = 1, column = 1;
    for (size_t i = 0; i < at; i++) {
        if (text[i] == '\n') {
            line++;
            column = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            column++;
        }
    }
    return gj_fail(st, GJ_E_BAD_JSON, "line %d column %d: %s", line, column, why);
}

/* Marks of the quotes quote_numbers adds, by position in its output, so that an error Jansson
 * reports in the output can be placed in the caller's text. */
enum { ORIGINAL = 0, OPENING_QUOTE = 1, CLOSING_QUOTE = 2 };

/* The offset in the original text of byte `at` of quote_numbers' output: an added opening
 * quote stands for the number's first character, an added closing quote for its last. */
static size_t original_offset(const unsigned char *added, size_t at) {
    size_t inserted = 0;
    for (size_t i = 0; i < at; i++) inserted += added[i] != ORIGINAL;
    assert(at >= inserted);
    return at - inserted - (added[at] == CLOSING_QUOTE ? 1 : 0);
}

/* Copy `text` into `dst` with every number token outside strings wrapped in quotes (marked in
 * `added`), checking the nesting depth, that each number is a valid JSON number, and that none
 * stands where an object key belongs (quoted, it would pass as one). dst and added must hold
 * 3 * len + 1 bytes (worst case: "1,1,1"); added must be zeroed. */
static gj_err quote_numbers(const char *text, size_t len, char *dst, unsigned char *added,
                            size_t *dst_len, gj_status *st) {
    bool in_string = false, escaped = false, key_next = false;
    bool in_object[GJ_JSON_DEPTH_MAX + 1] = {false};   /* by depth */
    int depth = 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            dst[o++] = c;
            continue;
        }
        if (c == '"') {
            in_string = true;
            key_next = false;
        } else if (c == '{' || c == '[') {
            if (++depth > GJ_JSON_DEPTH_MAX)
                return gj_fail(st, GJ_E_TOO_LARGE, "JSON nested deeper than %d", GJ_JSON_DEPTH_MAX);
            in_object[depth] = key_next = c == '{';
        } else if (c == '}' || c == ']') {
            if (depth > 0) depth--;   /* an unbalanced close is Jansson's to refuse */
            key_next = false;
        } else if (c == ',') {
            key_next = depth > 0 && in_object[depth];
        } else if (c == ':') {
            key_next = false;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = i;
            if (key_next) return bad_token(text, start, "object key must be a string", st);
            added[o] = OPENING_QUOTE;
            dst[o++] = '"';
            while (i < len && number_char(text[i])) dst[o++] = text[i++];
            added[o] = CLOSING_QUOTE;
            dst[o++] = '"';
            if (!number_valid(text + start, i - start)) return bad_token(text, start, "invalid number", st);
            i--;
            continue;
        }
        dst[o++] = c;
    }
    dst[o] = '\0';
    *dst_len = o;
    return GJ_E_OK;
}

gj_err gj_json_loads_exact(const char *text, size_t len, json_t **out, gj_status *st) {
    if (len > GJ_JSON_BYTES_MAX)
        return gj_fail(st, GJ_E_TOO_LARGE, "JSON larger than %d bytes", GJ_JSON_BYTES_MAX);
    char *copy = malloc(3 * len + 1);
    unsigned char *added = calloc(3 * len + 1, 1);
    if (copy == NULL || added == NULL) {
        free(copy);
        free(added);
        return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    }
    size_t copy_len = 0;
    gj_err e = quote_numbers(text, len, copy, added, &copy_len, st);
    if (e == GJ_E_OK) {
        json_error_t jerr;
        /* by length: a NUL byte is an error, not the end of the text */
        *out = json_loadb(copy, copy_len, JSON_REJECT_DUPLICATES, &jerr);
        /* Jansson's position counts the bytes it read: the last one is where it stopped */
        size_t at = jerr.position > 0 ? (size_t)jerr.position - 1 : 0;
        if (*out == NULL)
            e = bad_token(text, len == 0 ? 0 : original_offset(added, at < copy_len ? at : copy_len - 1),
                          jerr.text, st);
        else if (!json_is_object(*out) && !json_is_array(*out)) {
            json_decref(*out);
            *out = NULL;
            e = gj_fail(st, GJ_E_BAD_JSON, "an object or array expected");
        }
    }
    free(copy);
    free(added);
    return e;
}

gj_err gj_json_load_file_exact(const char *path, json_t **out, gj_status *st) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) return gj_fail(st, GJ_E_NOT_FOUND, "cannot open %s: %s", path, strerror(errno));
    char *buf = malloc(GJ_JSON_BYTES_MAX + 1);
    size_t n = buf ? fread(buf, 1, GJ_JSON_BYTES_MAX + 1, f) : 0;
    if (f != stdin) fclose(f);
    gj_err e = buf == NULL ? gj_fail(st, GJ_E_INTERNAL, "out of memory")
                           : gj_json_loads_exact(buf, n, out, st);
    free(buf);
    return e;
}

bool gj_json_absent(json_t *obj, const char *name) {
    json_t *v = json_object_get(obj, name);
    return v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

gj_err gj_json_text(json_t *obj, const char *name, size_t max_len, const char **out,
                    gj_status *st) {
    json_t *v = json_object_get(obj, name);
    if (gj_json_absent(obj, name)) return gj_fail(st, GJ_E_BAD_FIELD, "%s: required", name);
    if (!json_is_string(v)) return gj_fail(st, GJ_E_BAD_FIELD, "%s: text expected", name);
    if (json_string_length(v) > max_len)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: longer than %zu", name, max_len);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: contains NUL", name);
    *out = json_string_value(v);
    return GJ_E_OK;
}

gj_err gj_json_text_opt(json_t *obj, const char *name, size_t max_len, const char **out,
                        gj_status *st) {
    *out = NULL;
    if (gj_json_absent(obj, name)) return GJ_E_OK;
    return gj_json_text(obj, name, max_len, out, st);
}

gj_err gj_json_amount(json_t *obj, const char *name, bool required, gj_fen *out, gj_status *st) {
    *out = 0;
    if (gj_json_absent(obj, name))
        return required ? gj_fail(st, GJ_E_BAD_FIELD, "%s: required", name) : GJ_E_OK;
    json_t *v = json_object_get(obj, name);
    if (!json_is_string(v)) return gj_fail(st, GJ_E_BAD_AMOUNT, "%s: amount expected", name);
    gj_err e = gj_money_parse(json_string_value(v), json_string_length(v), out);
    if (e != GJ_E_OK) return gj_fail(st, e, "%s: \"%.40s\"", name, json_string_value(v));
    if (*out < 0) return gj_fail(st, GJ_E_BAD_AMOUNT, "%s: negative", name);
    return GJ_E_OK;
}

gj_err gj_json_int(json_t *obj, const char *name, long lo, long hi, long *out, gj_status *st) {
    const char *text = NULL;
    gj_err e = gj_json_text(obj, name, 20, &text, st);
    if (e != GJ_E_OK) return e;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || end == text || v < lo || v > hi)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: integer %ld..%ld expected", name, lo, hi);
    *out = v;
    return GJ_E_OK;
}

json_t *gj_json_yuan(gj_fen fen) {
    char buf[GJ_YUAN_TEXT_MAX];
    const char *text = gj_money_format(fen, buf, sizeof buf);
    return json_stringn_nocheck(text, strlen(text));   /* digits, '-' and '.': ASCII */
}

void gj_json_set_yuan(json_t *obj, const char *name, gj_fen fen) {
    json_object_set_new_nocheck(obj, name, gj_json_yuan(fen));
}

char *gj_json_append_member(const char *object_text, const char *key, const char *value_text) {
    if (object_text == NULL || value_text == NULL) return NULL;
    size_t n = strlen(object_text);
    assert(n >= 2 && object_text[0] == '{' && object_text[n - 1] == '}');
    assert(strpbrk(key, "\"\\") == NULL);
    bool empty = n == 2;
    size_t len = n + strlen(key) + strlen(value_text) + 5;   /* , " " : and the NUL */
    char *out = malloc(len);
    if (out == NULL) return NULL;
    int w = snprintf(out, len, "%.*s%s\"%s\":%s}", (int)(n - 1), object_text, empty ? "" : ",", key,
                     value_text);
    assert(w > 0 && (size_t)w < len);
    return out;
}

bool gj_json_text_string(const char *text, const char *key, const char **value, size_t *len) {
    char pattern[72];
    size_t key_len = strlen(key);
    assert(key_len + 5 < sizeof pattern && strpbrk(key, "\"\\") == NULL);
    pattern[0] = '"';
    memcpy(pattern + 1, key, key_len);
    memcpy(pattern + 1 + key_len, "\":\"", 4);   /* and the NUL */
    const char *at = strstr(text, pattern);
    if (at == NULL) return false;
    const char *start = at + key_len + 4, *p = start;
    while (*p != '\0' && *p != '"') p += p[0] == '\\' && p[1] != '\0' ? 2 : 1;
    if (*p != '"') return false;
    *value = start;
    *len = (size_t)(p - start);
    return true;
}
