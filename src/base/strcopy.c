/* strcopy.c — bounded copies and joins of C strings, integers as decimal text (strcopy.h). */
#include "gongji/strcopy.h"

#include <assert.h>
#include <stdarg.h>
#include <string.h>

bool gj_copy_text(char *dst, size_t size, const char *src) {
    assert(dst != NULL && src != NULL && size > 0);
    size_t n = strnlen(src, size);
    bool fits = n < size;
    if (!fits) n = size - 1;
    memmove(dst, src, n);
    dst[n] = '\0';
    return fits;
}

bool gj_join_text(char *dst, size_t size, ...) {
    assert(dst != NULL && size > 0);
    va_list parts;
    va_start(parts, size);
    size_t used = 0;
    bool fits = true;
    for (const char *part; (part = va_arg(parts, const char *)) != NULL;) {
        size_t n = strnlen(part, size - used);
        if (n >= size - used) {
            n = size - 1 - used;
            fits = false;
        }
        memcpy(dst + used, part, n);
        used += n;
        if (!fits) break;
    }
    va_end(parts);
    assert(used < size);
    dst[used] = '\0';
    return fits;
}

size_t gj_int_text(char dst[GJ_INT_TEXT_MAX], int64_t v) {
    char digits[GJ_INT_TEXT_MAX], *p = digits + sizeof digits;
    uint64_t m = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + m % 10);
        m /= 10;
    } while (m > 0);
    if (v < 0) *--p = '-';
    size_t len = (size_t)(digits + sizeof digits - p);
    assert(len < GJ_INT_TEXT_MAX);
    memcpy(dst, p, len);
    dst[len] = '\0';
    return len;
}
