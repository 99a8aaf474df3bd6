/* test_strcopy.c — unit tests for strcopy.h and the thread digest of sha256.h: gj_copy_text
 * copies, cuts and terminates as snprintf(dst, size, "%s", src) does, and says whether the
 * text fitted; digests on the reused per-thread context equal one-shot EVP_Digest ones. */
#include <criterion/criterion.h>
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
