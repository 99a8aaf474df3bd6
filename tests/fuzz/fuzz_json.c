/* fuzz_json.c — libFuzzer target: the exact JSON decoder every request goes through.
 * gj_json_loads_exact on the raw bytes: what it accepts Jansson accepts too (it is no laxer,
 * except that numbers too large for Jansson are fine: they become text), no number survives
 * as a JSON number, nesting stays within GJ_JSON_DEPTH_MAX; then every field of an object is
 * read with the typed accessors, and an amount read formats back to the same value. */
#include <string.h>

#include "gongji/jsonx.h"
#include "harness.h"

/* depth counts containers: the root array or object is 1; a scalar adds none (so 32 nested
 * arrays around a number are within the limit — the fuzzer's first finding was this harness
 * counting the number as a 33rd level). */
static void check_tree(json_t *v, int depth) {
    if (json_is_array(v) || json_is_object(v))
        harness_check(depth <= GJ_JSON_DEPTH_MAX, "nested deeper than GJ_JSON_DEPTH_MAX", NULL);
    harness_check(!json_is_number(v), "a number was not kept as text", NULL);
    size_t i;
    const char *key;
    json_t *item;
    if (json_is_array(v)) json_array_foreach(v, i, item) check_tree(item, depth + 1);
    if (json_is_object(v)) json_object_foreach(v, key, item) check_tree(item, depth + 1);
}

static bool jansson_accepts(const uint8_t *data, size_t size) {
    json_error_t jerr;
    json_t *plain = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    json_decref(plain);
    return plain != NULL || strstr(jerr.text, "too big") != NULL ||
           strstr(jerr.text, "overflow") != NULL;
}

static void read_fields(json_t *obj) {
    const char *key, *text = NULL;
    json_t *value;
    gj_status st;
    gj_status_clear(&st);
    json_object_foreach(obj, key, value) {
        gj_fen fen = 0;
        long n = 0;
        if (gj_json_amount(obj, key, false, &fen, &st) == GJ_E_OK) {
            harness_check(fen >= 0, "gj_json_amount returned a negative amount", key);
            json_t *yuan = gj_json_yuan(fen);
            gj_fen back = -1;
            harness_check(gj_money_parse(json_string_value(yuan), json_string_length(yuan), &back) == GJ_E_OK &&
                              back == fen, "gj_json_yuan does not parse back", key);
            json_decref(yuan);
        }
        if (gj_json_int(obj, key, -1000000, 1000000, &n, &st) == GJ_E_OK)
            harness_check(n >= -1000000 && n <= 1000000, "gj_json_int out of range", key);
        if (gj_json_text_opt(obj, key, 30, &text, &st) == GJ_E_OK && text != NULL)
            harness_check(strlen(text) <= 30, "gj_json_text longer than allowed", key);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_t *root = NULL;
    gj_status st;
    gj_status_clear(&st);
    gj_err err = gj_json_loads_exact((const char *)data, size, &root, &st);
    if (err != GJ_E_OK) {
        harness_check(err == GJ_E_BAD_JSON || err == GJ_E_TOO_LARGE, "refused with an unexpected code",
                      gj_err_name(err));
        return 0;
    }
    harness_check(jansson_accepts(data, size), "accepted text that is not JSON", NULL);
    check_tree(root, 1);
    if (json_is_object(root)) read_fields(root);
    json_decref(root);
    return 0;
}
