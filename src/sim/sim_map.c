/* sim_map.c — a string → index map for a million person numbers: open addressing with linear
 * probing over a power-of-two table at most half full. Keys are borrowed, not copied. */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static uint64_t hash(const char *key) {
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) h = (h ^ *p) * 1099511628211ull;
    return h;
}

bool sim_map_init(sim_map *m, size_t expected) {
    m->count = 0;
    m->capacity = 16;
    while (m->capacity < expected * 2) m->capacity *= 2;
    m->keys = calloc(m->capacity, sizeof *m->keys);
    m->values = calloc(m->capacity, sizeof *m->values);
    return m->keys != NULL && m->values != NULL;
}

void sim_map_free(sim_map *m) {
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}

static size_t slot(const sim_map *m, const char *key) {
    size_t i = (size_t)hash(key) & (m->capacity - 1);
    while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->capacity - 1);
    return i;
}

static bool grow(sim_map *m) {
    sim_map bigger;
    if (!sim_map_init(&bigger, m->capacity)) return false;
    for (size_t i = 0; i < m->capacity; i++) {
        if (m->keys[i] == NULL) continue;
        size_t j = slot(&bigger, m->keys[i]);
        bigger.keys[j] = m->keys[i];
        bigger.values[j] = m->values[i];
        bigger.count++;
    }
    sim_map_free(m);
    *m = bigger;
    return true;
}

void sim_map_put(sim_map *m, const char *key, int32_t value) {
    size_t i = slot(m, key);
    if (m->keys[i] == NULL && (m->count + 1) * 2 > m->capacity) {
        if (!grow(m)) abort();   /* out of memory while loading: nothing sensible to do */
        i = slot(m, key);
    }
    if (m->keys[i] == NULL) m->count++;
    m->keys[i] = key;
    m->values[i] = value;
}

int32_t sim_map_get(const sim_map *m, const char *key) {
    if (m->capacity == 0) return -1;
    size_t i = slot(m, key);
    return m->keys[i] != NULL ? m->values[i] : -1;
}
