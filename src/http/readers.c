/* readers.c — gongjid's readers: a pool of threads, each with its own engine on the server's
 * database (SQLite WAL lets them read the last commit while the pipeline's writer writes), that
 * run the GET requests queued to them, oldest first. So a read never waits behind the writer,
 * and a slow read (a report, a large list) holds a reader, never an HTTP thread: the connection
 * is suspended meanwhile (server.c) and the HTTP thread serves its other connections,
 * settlements among them. A store that cannot be shared (":memory:", "?sync=off" with its
 * exclusive lock) gets no readers: then reads go through the write pipeline like writes.
 *
 * Contract: http_readers_submit is called from HTTP threads; http_readers_drain once, from the
 * thread that stops the server, before libmicrohttpd stops (a suspended connection must be
 * resumed first); http_readers_close after it. A job's memory is its submitter's until its
 * function has returned; the function is called exactly once, unless submit refused the job:
 * with a reader's engine, or with NULL for a job still queued when the readers drain (so
 * that shutdown waits for the GETs running, at most one per reader, not for a whole queue).
 *
 * Tests only: GONGJI_TEST_READ_DELAY_MS=N makes each reader sleep N ms (at most
 * READ_DELAY_MAX_MS) before each GET, so that a test can hold a GET in progress and see that a
 * settlement on the same HTTP thread is answered meanwhile (tests/http/test_slow_reads.sh). */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server.h"

enum { READ_DELAY_MAX_MS = 10000 };

struct http_readers;

/* One reader: its thread and the engine only that thread uses. */
typedef struct {
    struct http_readers *pool;
    gj_engine *engine;
    pthread_t thread;
} reader;

typedef struct http_readers {
    pthread_mutex_t lock;
    pthread_cond_t queued;              /* a job was queued, or closing */
    http_read_job *head, *tail;         /* under lock */
    bool closing;                       /* under lock: submissions refused */
    unsigned count;                     /* readers started: [0, count) */
    unsigned test_delay_ms;             /* GONGJI_TEST_READ_DELAY_MS: tests only */
    reader readers[HTTP_READERS_MAX];
} http_readers;

static bool shareable(const char *db_url) {
    return strcmp(db_url, ":memory:") != 0 && strstr(db_url, "sync=off") == NULL;
}

/* The tests-only delay before each GET (GONGJI_TEST_READ_DELAY_MS), clamped. */
static unsigned test_delay_ms_from_env(void) {
    const char *text = getenv("GONGJI_TEST_READ_DELAY_MS");
    if (text == NULL) return 0;
    unsigned long ms = strtoul(text, NULL, 10);
    return ms > READ_DELAY_MAX_MS ? READ_DELAY_MAX_MS : (unsigned)ms;
}

static void sleep_ms(unsigned ms) {
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0) {
    }
}

/* Under lock: the oldest job, or NULL when closing with nothing queued. */
static http_read_job *take_job(http_readers *r) {
    while (r->head == NULL && !r->closing) pthread_cond_wait(&r->queued, &r->lock);
    http_read_job *j = r->head;
    if (j != NULL) {
        r->head = j->next;
        if (r->head == NULL) r->tail = NULL;
    }
    return j;
}

static void *reader_main(void *arg) {
    http_readers *r = ((reader *)arg)->pool;
    gj_engine *engine = ((reader *)arg)->engine;
    pthread_mutex_lock(&r->lock);
    for (http_read_job *j; (j = take_job(r)) != NULL;) {
        bool refused = r->closing;   /* queued before the drain, not yet started */
        pthread_mutex_unlock(&r->lock);
        if (!refused && r->test_delay_ms > 0) sleep_ms(r->test_delay_ms);
        j->run(refused ? NULL : engine, j->arg);   /* may free the job: not touched after */
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

static int start_reader(http_readers *r, const http_config *c, char *why, size_t why_len) {
    unsigned i = r->count;
    assert(i < HTTP_READERS_MAX);
    reader *one = &r->readers[i];
    one->pool = r;
    gj_status st;
    if (gj_engine_open(c->db_url, c->policy_dir, &one->engine, &st) != GJ_E_OK) {
        snprintf(why, why_len, "reader %u: %s", i, st.detail);
        return -1;
    }
    if (pthread_create(&one->thread, NULL, reader_main, one) != 0) {
        gj_engine_close(one->engine);
        snprintf(why, why_len, "reader %u: cannot start its thread", i);
        return -1;
    }
    r->count++;
    return 0;
}

int http_readers_open(http_server *s, unsigned count, char *why, size_t why_len) {
    assert(s->readers == NULL && count <= HTTP_READERS_MAX);
    if (!shareable(s->config.db_url) || count == 0) return 0;
    http_readers *r = calloc(1, sizeof *r);
    if (r == NULL) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->queued, NULL);
    r->test_delay_ms = test_delay_ms_from_env();
    s->readers = r;
    while (r->count < count) {
        if (start_reader(r, &s->config, why, why_len) != 0) {
            http_readers_drain(s);
            http_readers_close(s);
            return -1;
        }
    }
    return 0;
}

bool http_readers_submit(http_server *s, http_read_job *job, void (*run)(gj_engine *, void *),
                         void *arg) {
    http_readers *r = s->readers;
    if (r == NULL) return false;
    *job = (http_read_job){.run = run, .arg = arg};
    pthread_mutex_lock(&r->lock);
    bool accepted = !r->closing;
    if (accepted) {
        if (r->tail != NULL) r->tail->next = job;
        else r->head = job;
        r->tail = job;
        pthread_cond_signal(&r->queued);
    }
    pthread_mutex_unlock(&r->lock);
    return accepted;
}

void http_readers_drain(http_server *s) {
    http_readers *r = s->readers;
    if (r == NULL) return;
    pthread_mutex_lock(&r->lock);
    bool already = r->closing;
    r->closing = true;
    pthread_cond_broadcast(&r->queued);
    pthread_mutex_unlock(&r->lock);
    if (already) return;
    for (unsigned i = 0; i < r->count; i++) pthread_join(r->readers[i].thread, NULL);
    assert(r->head == NULL);
}

void http_readers_close(http_server *s) {
    http_readers *r = s->readers;
    if (r == NULL) return;
    assert(r->closing && r->head == NULL);
    for (unsigned i = 0; i < r->count; i++) gj_engine_close(r->readers[i].engine);
    pthread_cond_destroy(&r->queued);
    pthread_mutex_destroy(&r->lock);
    free(r);
    s->readers = NULL;
}
