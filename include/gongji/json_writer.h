/* json_writer.h — compact JSON text written straight into a buffer, without a Jansson tree:
 * the bytes gj_json_encode (json_dumps JSON_COMPACT) makes of the tree with the same members in
 * the same order. For the answers written on every settlement (settle_cmd.c, nhsa.c), where
 * building the tree, encoding it and freeing it cost ~90 k instructions.
 *
 *     gj_jw w;
 *     gj_jw_init(&w);
 *     gj_jw_object_begin(&w);
 *     gj_jw_member_string(&w, "setl_id", id);
 *     gj_jw_member_yuan(&w, "acct_pay", fen);
 *     gj_jw_object_end(&w);
 *     char *text = gj_jw_finish(&w);   // malloc'd; NULL when out of memory
 *
 * Keys are plain text: no '"' or '\\' (asserted), no control characters (not checked: the
 * keys are the code's own constants). String values are NUL-terminated; a byte that starts no
 * valid UTF-8 character is written as '?' (JSON texts are UTF-8; json_string would have
 * refused the whole string). Nesting deeper than GJ_JW_DEPTH_MAX stops the process (checked
 * before the write). Every value goes after a key inside an object, inside an array, or alone
 * at the top. */
#ifndef GONGJI_JSON_WRITER_H
#define GONGJI_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gongji/money.h"

enum { GJ_JW_DEPTH_MAX = 8 };

typedef struct {
    char *data;
    size_t len, cap;
    bool failed;                     /* out of memory: everything after is dropped */
    int depth;                       /* open containers */
    bool first[GJ_JW_DEPTH_MAX + 1]; /* no element yet at this depth */
    bool after_key;                  /* a key was written: its value comes without a comma */
} gj_jw;

/* An empty writer (no memory held until the first write). */
void gj_jw_init(gj_jw *w);
/* Open and close an object or an array (the closing one must match: not checked). */
void gj_jw_object_begin(gj_jw *w);
void gj_jw_object_end(gj_jw *w);
void gj_jw_array_begin(gj_jw *w);
void gj_jw_array_end(gj_jw *w);
/* The key of the next value (inside an object). */
void gj_jw_key(gj_jw *w, const char *key);
/* Values: a string (escaped; invalid UTF-8 as '?'), an integer in decimal, null. */
void gj_jw_string(gj_jw *w, const char *value);
void gj_jw_int(gj_jw *w, int64_t value);
void gj_jw_null(gj_jw *w);
/* An amount as gj_json_yuan writes it: "12.30". */
void gj_jw_yuan(gj_jw *w, gj_fen fen);
/* A value already encoded compactly (an object, array, string or number). */
void gj_jw_raw(gj_jw *w, const char *json_text);

void gj_jw_member_string(gj_jw *w, const char *key, const char *value);
void gj_jw_member_int(gj_jw *w, const char *key, int64_t value);
void gj_jw_member_yuan(gj_jw *w, const char *key, gj_fen fen);

/* The text (malloc'd, the caller frees it), every container closed (asserted); NULL when
 * memory ran out. The writer is empty afterwards. */
char *gj_jw_finish(gj_jw *w);
/* Drop what was written (on an error path). */
void gj_jw_discard(gj_jw *w);

/* ---- for encoders over the same buffer (json_encode.c) ---- */
/* n bytes as they are. */
void gj_jw_put(gj_jw *w, const char *s, size_t n);
/* A string literal as it is, its length counted by the compiler ("" refuses anything else). */
#define GJ_JW_PUT_LITERAL(w, literal) gj_jw_put((w), "" literal, sizeof(literal) - 1)
/* s[0..n) as a JSON string, escaped as Jansson escapes (\" \\ \b \f \n \r \t, other control
 * characters \u00XX); check_utf8: invalid bytes become '?' (s must then be NUL-terminated). */
void gj_jw_put_string(gj_jw *w, const char *s, size_t n, bool check_utf8);
void gj_jw_put_int(gj_jw *w, int64_t v);

#endif
