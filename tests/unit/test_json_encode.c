/* test_json_encode.c — gj_json_encode writes exactly what Jansson's json_dumps writes (compact,
 * with and without sorted keys), and gj_json_append_member exactly what json_dumps writes after
 * json_object_set: the stored responses, settlement outputs and journal details (whose hashes
 * cover their text) must not change with the faster encoder. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/jsonx.h"

static void same_as_jansson(const json_t *v) {
    for (int sorted = 0; sorted < 2; sorted++) {
        char *ours = gj_json_encode(v, sorted);
        char *theirs = json_dumps(v, JSON_COMPACT | (sorted ? JSON_SORT_KEYS : 0));
        cr_assert_not_null(ours);
        cr_assert_str_eq(ours, theirs);
        free(ours);
        free(theirs);
    }
}

Test(json_encode, matches_jansson_on_every_kind_of_value) {
    json_t *v = json_pack("{s:s, s:i, s:I, s:b, s:b, s:n, s:f, s:[], s:{}, s:[i, s, {s:s}], s:s}",
                          "zeta", "张伟 pays 12.30 元", "a", -7, "big", (json_int_t)INT64_MIN,
                          "t", 1, "f", 0, "nothing", "real", 0.1, "empty_a", "empty_o", "nested", 0,
                          "x", "k", "v", "", "empty string");
    json_object_set_new(v, "escapes", json_string("quote\" back\\ slash/ \b\f\n\r\t \x01\x1f\x7f end"));
    json_object_set_new(v, "emoji", json_string("\xF0\x9F\x98\x80 and \xE2\x82\xAC"));
    json_object_set_new(v, "ba", json_integer(INT64_MAX));
    json_object_set_new(v, "b", json_integer(0));
    same_as_jansson(v);
    json_t *arr = json_array();
    json_array_append(arr, v);
    json_array_append_new(arr, json_string("tail"));
    same_as_jansson(arr);
    json_decref(arr);
    json_decref(v);
}

Test(json_encode, many_members_and_keys_needing_escapes) {
    json_t *v = json_object();
    char key[32];
    for (int i = 99; i >= 0; i--) {
        snprintf(key, sizeof key, "k%d", i);
        json_object_set_new(v, key, json_integer(i));
    }
    json_object_set_new(v, "k\"q", json_true());
    json_object_set_new(v, "k", json_true());
    same_as_jansson(v);
    json_decref(v);
}

Test(json_encode, refuses_what_json_dumps_refuses) {
    json_t *s = json_string("x");
    cr_assert_null(gj_json_encode(s, false));
    json_decref(s);
}

Test(json_encode, append_member_equals_encoding_after_set) {
    json_t *o = json_pack("{s:s}", "a", "b");
    json_t *value = json_pack("[{s:i}]", "n", 1);
    char *head = gj_json_encode(o, false), *value_text = gj_json_encode(value, false);
    char *spliced = gj_json_append_member(head, "tail", value_text);
    json_object_set_new(o, "tail", value);
    char *whole = json_dumps(o, JSON_COMPACT);
    cr_assert_str_eq(spliced, whole);
    free(head);
    free(spliced);
    free(whole);
    json_t *empty = json_object();
    head = gj_json_encode(empty, false);
    spliced = gj_json_append_member(head, "only", value_text);
    cr_assert_str_eq(spliced, "{\"only\":[{\"n\":1}]}");
    free(head);
    free(spliced);
    free(value_text);
    json_decref(empty);
    json_decref(o);
}
