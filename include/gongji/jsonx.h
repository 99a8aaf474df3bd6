/* jsonx.h — JSON helpers: exact decoding (numbers kept as their literal text, so money never
 * passes through a double), typed field access with clear errors, and amount output. */
#ifndef GONGJI_JSONX_H
#define GONGJI_JSONX_H

#include <jansson.h>
#include <stdbool.h>

#include "gongji/error.h"
#include "gongji/money.h"

enum { GJ_JSON_DEPTH_MAX = 32, GJ_JSON_BYTES_MAX = 1 << 20 };

/* Parse JSON text; every number literal becomes a JSON string with the literal's text
 * ("12.30" stays "12.30"). Refuses nesting deeper than GJ_JSON_DEPTH_MAX and texts larger than
 * GJ_JSON_BYTES_MAX. Errors: BAD_JSON / TOO_LARGE with "line L column C: reason". */
gj_err gj_json_loads_exact(const char *text, size_t len, json_t **out, gj_status *st);
gj_err gj_json_load_file_exact(const char *path, json_t **out, gj_status *st);

/* Field access on an object. A field is "absent" when missing, null or "" (what real HIS
 * clients send for empty). `name` is used in the error detail. */
bool gj_json_absent(json_t *obj, const char *name);
/* A string (or a number literal) of 1..max_len bytes. */
gj_err gj_json_text(json_t *obj, const char *name, size_t max_len, const char **out,
                    gj_status *st);
/* Optional text: *out = NULL when absent. */
gj_err gj_json_text_opt(json_t *obj, const char *name, size_t max_len, const char **out,
                        gj_status *st);
/* Amount in yuan (number or string, ≤ 2 decimals), 0 when absent unless required. */
gj_err gj_json_amount(json_t *obj, const char *name, bool required, gj_fen *out, gj_status *st);
/* Integer (number or string) within [lo, hi]. */
gj_err gj_json_int(json_t *obj, const char *name, long lo, long hi, long *out, gj_status *st);

/* Output: amounts as yuan strings with two decimals ("12.30"). */
json_t *gj_json_yuan(gj_fen fen);
/* name: a member name in ASCII (not checked again as UTF-8). */
void gj_json_set_yuan(json_t *obj, const char *name, gj_fen fen);

/* json_dumps(v, JSON_COMPACT | (sort_keys ? JSON_SORT_KEYS : 0)), the same bytes, several times
 * faster (json_encode.c). v is an object or array (else NULL), its strings valid UTF-8 (as
 * json_string ensures). Returns malloc'd text, NULL on error. */
char *gj_json_encode(const json_t *v, bool sort_keys);

/* The compact encoding of an object with one more member appended: object_text is
 * json_dumps(obj, JSON_COMPACT), value_text the compact encoding of the value, key needs no
 * escaping. Equals json_dumps(obj + {key: value}, JSON_COMPACT) (Jansson keeps insertion order),
 * so a large value already encoded is not encoded again. Returns malloc'd text, NULL on error. */
char *gj_json_append_member(const char *object_text, const char *key, const char *value_text);

/* In a compact JSON text that gongji wrote (gj_json_encode, json_writer.h: no spaces), the
 * string value of the first member named `key` (plain ASCII: no '"' or '\\') at or after the
 * start of `text`, at any depth: *value points at its first character, *len its length as
 * written (escapes are not decoded). Sound for such texts: a '"' inside a string is escaped,
 * so `"key":"` never occurs within a value; the caller picks a text where the first such
 * member is the one it wants (a setlinfo block, a refusal's err_code). False when there is no
 * such member with a string value. */
bool gj_json_text_string(const char *text, const char *key, const char **value, size_t *len);

#endif
