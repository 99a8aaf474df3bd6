/* readers.c — gongjid's read connections: a pool of engines on the same database (SQLite WAL
 * lets them read the last commit while the pipeline's writer writes), so reads never wait
 * behind the writer. A store that cannot be shared (":memory:", "?sync=off" with its exclusive
 * lock) gets no readers: then reads go through the pipeline like writes. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static bool shareable(const char *db_url) {
    return strcmp(db_url, ":memory:") != 0 && strstr(db_url, "sync=off") == NULL;
}

int http_readers_open(http_server *s, unsigned count, char *why, size_t why_len) {
    assert(s->readers == NULL && count <= HTTP_READERS_MAX);
    pthread_mutex_init(&s->readers_lock, NULL);
    pthread_cond_init(&s->reader_freed, NULL);
    if (!shareable(s->config.db_url) || count == 0) return 0;
    s->readers = calloc(count, sizeof *s->readers);
    if (s->readers == NULL) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    for (unsigned i = 0; i < count; i++) {
        gj_status st;
        if (gj_engine_open(s->config.db_url, s->config.policy_dir, &s->readers[i], &st) != GJ_E_OK) {
            snprintf(why, why_len, "reader %u: %s", i, st.detail);
            http_readers_close(s);
            return -1;
        }
        s->reader_count++;
    }
    s->readers_free = s->reader_count;
    return 0;
}

void http_readers_close(http_server *s) {
    assert(s->readers_free == s->reader_count);
    for (unsigned i = 0; i < s->reader_count; i++) gj_engine_close(s->readers[i]);
    free(s->readers);
    s->readers = NULL;
    s->reader_count = s->readers_free = 0;
    pthread_cond_destroy(&s->reader_freed);
    pthread_mutex_destroy(&s->readers_lock);
}

gj_engine *http_reader_acquire(http_server *s) {
    if (s->reader_count == 0) return NULL;
    pthread_mutex_lock(&s->readers_lock);
    while (s->readers_free == 0) pthread_cond_wait(&s->reader_freed, &s->readers_lock);
    gj_engine *e = s->readers[--s->readers_free];   /* free ones are kept at the front */
    pthread_mutex_unlock(&s->readers_lock);
    return e;
}

void http_reader_release(http_server *s, gj_engine *e) {
    pthread_mutex_lock(&s->readers_lock);
    unsigned i = s->readers_free;
    while (i < s->reader_count && s->readers[i] != e) i++;
    assert(i < s->reader_count);
    s->readers[i] = s->readers[s->readers_free];
    s->readers[s->readers_free++] = e;
    pthread_cond_signal(&s->reader_freed);
    pthread_mutex_unlock(&s->readers_lock);
}
