/* test_array.c — unit tests for array.h: gj_array_room keeps the array while there is room,
 * doubles it (from `first`) when full, keeps every element, and refuses a size that would
 * overflow without touching the array. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "gongji/array.h"

Test(array, grows_by_doubling_and_keeps_elements) {
    int *items = NULL;
    size_t cap = 0, count = 0, caps[8], n_caps = 0;
    for (int i = 0; i < 100; i++) {
        size_t before = cap;
        int *room = gj_array_room(items, &cap, count, sizeof *room, 4);
        cr_assert_not_null(room);
        if (cap != before) caps[n_caps++] = cap;
        items = room;
        cr_assert_lt(count, cap);
        items[count++] = i;
    }
    const size_t expected[] = {4, 8, 16, 32, 64, 128};
    cr_assert_eq(n_caps, 6);
    for (size_t k = 0; k < n_caps; k++) cr_assert_eq(caps[k], expected[k]);
    for (int i = 0; i < 100; i++) cr_assert_eq(items[i], i);
    free(items);
}

Test(array, room_left_returns_the_same_array) {
    int *items = malloc(8 * sizeof *items);
    size_t cap = 8;
    cr_assert_eq(gj_array_room(items, &cap, 7, sizeof *items, 4), items);
    cr_assert_eq(cap, 8);
    free(items);
}

Test(array, overflow_refused_unchanged) {
    char one = 0;
    size_t cap = SIZE_MAX / 16 + 1;   /* doubled, times 8 bytes: past SIZE_MAX */
    cr_assert_null(gj_array_room(&one, &cap, cap, 8, 4));
    cr_assert_eq(cap, SIZE_MAX / 16 + 1);
}
