/* strcopy.c — bounded copy of a C string (strcopy.h). */
#include "gongji/strcopy.h"

#include <assert.h>
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
