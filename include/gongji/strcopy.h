/* strcopy.h — bounded copies and joins of C strings and the decimal text of integers: the
 * snprintf(dst, size, "%s…", …) of hot paths without a format to parse (about 20 times cheaper
 * for the short codes the engine copies, builds and hashes: account codes, digest lines). */
#ifndef GONGJI_STRCOPY_H
#define GONGJI_STRCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy src into dst (size > 0 bytes), cut to size - 1 bytes if longer, always NUL-terminated,
 * as snprintf(dst, size, "%s", src) would. True when the whole of src fitted. */
bool gj_copy_text(char *dst, size_t size, const char *src);

/* Join the strings that follow `size`, up to a NULL, into dst (size > 0 bytes), as
 * snprintf(dst, size, "%s%s…", …) would: cut to size - 1 bytes, always NUL-terminated. True when
 * the whole of every part fitted. */
bool gj_join_text(char *dst, size_t size, ...) __attribute__((sentinel));

/* The decimal text of v (a leading '-' when negative), NUL-terminated; returns its length. */
enum { GJ_INT_TEXT_MAX = 21 };   /* "-9223372036854775808" and its NUL */
size_t gj_int_text(char dst[GJ_INT_TEXT_MAX], int64_t v);

#endif
