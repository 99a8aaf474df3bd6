/* array.c — growing an array by doubling (array.h). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "gongji/array.h"

void *gj_array_room(void *items, size_t *cap, size_t count, size_t elem_size, size_t first) {
    assert(count <= *cap && elem_size > 0 && first > 0);
    if (count < *cap) return items;
    size_t grown_cap = *cap ? 2 * *cap : first;
    if (grown_cap < *cap || grown_cap > SIZE_MAX / elem_size) return NULL;
    void *grown = realloc(items, grown_cap * elem_size);
    if (grown != NULL) *cap = grown_cap;
    return grown;
}
