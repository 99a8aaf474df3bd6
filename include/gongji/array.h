/* array.h — room for one more element in a growable array (items, count, capacity). */
#ifndef GONGJI_ARRAY_H
#define GONGJI_ARRAY_H

#include <stddef.h>

/* `items` with room for element number count+1: itself while count < *cap, else a copy grown to
 * twice *cap (`first` elements the first time), *cap updated. NULL when memory runs out or the
 * size would overflow; then `items` and *cap are unchanged and still the caller's. */
void *gj_array_room(void *items, size_t *cap, size_t count, size_t elem_size, size_t first);

#endif
