/* test_strcopy.c — unit tests for strcopy.h and the thread digest of sha256.h: gj_copy_text
 * and gj_join_text copy, cut and terminate as snprintf(dst, size, "%s…", …) does and say whether
 * the text fitted, gj_int_text writes what "%lld" writes; digests on the reused per-thread
 * context equal one-shot EVP_Digest ones. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gongji/sha256.h"
#include "gongji/strcopy.h"

static void same_as_snprintf(const char *src, size_t size) {
    char mine[16], theirs[16];
    memset(mine, 'x', sizeof mine);
    memset(theirs, 'x', sizeof theirs);
    bool fits = gj_copy_text(mine, size, src);
    snprintf(theirs, size, "%s", src);
    cr_assert_eq(memcmp(mine, theirs, sizeof mine), 0, "'%s' into %zu bytes", src, size);
    cr_assert_eq(fits, strlen(src) < size, "'%s' into %zu bytes: fits %d", src, size, fits);
}

Test(strcopy, copies_cuts_and_terminates_like_snprintf) {
    const char *texts[] = {"", "a", "P0000000001", "exactly 8", "longer than the buffer"};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
        for (size_t size = 1; size <= 16; size++) same_as_snprintf(texts[t], size);
}

Test(strcopy, overlapping_source) {
    char buf[16] = "abcdef";
    cr_assert(gj_copy_text(buf, sizeof buf, buf + 2));
    cr_assert_str_eq(buf, "cdef");
}

/* gj_join_text of three parts against snprintf("%s%s%s") into every buffer size up to 24. */
Test(strcopy, joins_like_snprintf) {
    const char *parts[][3] = {{"psn:", "P0000000001", ":current"}, {"", "", ""}, {"pool:", "N1", ":%"},
                              {"alloc:", "430100", ""}};
    for (size_t t = 0; t < sizeof parts / sizeof parts[0]; t++)
        for (size_t size = 1; size <= 24; size++) {
            char mine[24], theirs[24];
            memset(mine, 'x', sizeof mine);
            memset(theirs, 'x', sizeof theirs);
            bool fits = gj_join_text(mine, size, parts[t][0], parts[t][1], parts[t][2], NULL);
            int n = snprintf(theirs, size, "%s%s%s", parts[t][0], parts[t][1], parts[t][2]);
            cr_assert_eq(memcmp(mine, theirs, sizeof mine), 0, "part set %zu into %zu bytes", t, size);
            cr_assert_eq(fits, (size_t)n < size, "part set %zu into %zu bytes: fits %d", t, size, fits);
        }
}

Test(strcopy, integers_as_printf_writes_them) {
    const int64_t values[] = {0, 7, -7, 10, 99, 100, 123456789, -100, INT64_MAX, INT64_MIN, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char mine[GJ_INT_TEXT_MAX], theirs[32];
        size_t len = gj_int_text(mine, values[i]);
        snprintf(theirs, sizeof theirs, "%lld", (long long)values[i]);
        cr_assert_str_eq(mine, theirs);
        cr_assert_eq(len, strlen(theirs));
    }
}

Test(sha256, thread_digest_equals_one_shot) {
    const char *texts[] = {"", "abc", "journal|record|with|fields|", "a longer text than one block of "
                           "sixty-four bytes, so that the digest runs over two blocks at least"};
    for (int round = 0; round < 2; round++)   /* the second round reuses the context */
        for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
            unsigned char mine[GJ_SHA256_BYTES], theirs[GJ_SHA256_BYTES];
            unsigned int len = 0;
            EVP_MD_CTX *ctx = gj_sha256_begin();
            EVP_DigestUpdate(ctx, texts[t], strlen(texts[t]));
            gj_sha256_end(ctx, mine);
            EVP_Digest(texts[t], strlen(texts[t]), theirs, &len, EVP_sha256(), NULL);
            cr_assert_eq(len, GJ_SHA256_BYTES);
            cr_assert_eq(memcmp(mine, theirs, sizeof mine), 0, "digest of '%s'", texts[t]);
        }
}
