/* in_doubt.c — gongjid's part in two-phase commit across province databases (src/engine/xa.c):
 * at start, end every in-doubt transaction a crashed coordinator left (before the first request
 * waits on a store lock such a transaction holds), then make the writer engine coordinate; and,
 * every in_doubt_check_s seconds, end those prepared longer ago than that — so a coordinator
 * that died (another gongjid on the same database, a `gongji call`) does not leave its
 * province's writers waiting until someone runs `gongji recover --in-doubt`. The check runs on
 * its own connections, so it works even while the writer waits on such a lock. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "server.h"

struct http_in_doubt {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;
    char provinces[512];
    unsigned every_s;
};

/* One pass; logged when it ended something or a database was unreachable (or always: at start). */
static void recover_once(const char *provinces, int min_age_s, bool always_log) {
    json_t *report = NULL;
    gj_status st;
    if (gj_recover_in_doubt(provinces, min_age_s, &report, &st) != GJ_E_OK) {
        http_log_event("in_doubt_check_failed", st.detail);
        return;
    }
    json_int_t committed = json_integer_value(json_object_get(report, "committed"));
    json_int_t rolled_back = json_integer_value(json_object_get(report, "rolled_back"));
    json_int_t failed = json_integer_value(json_object_get(report, "databases_failed"));
    if (always_log || committed + rolled_back + failed > 0) {
        char detail[128];   /* a database down is logged, not fatal: the others still serve */
        snprintf(detail, sizeof detail, "committed %lld, rolled back %lld, databases unreachable %lld",
                 (long long)committed, (long long)rolled_back, (long long)failed);
        http_log_event("in_doubt_recovered", detail);
    }
    json_decref(report);
}

static void *check_loop(void *arg) {
    struct http_in_doubt *d = arg;
    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += d->every_s;
        int rc = 0;
        while (!d->stopping && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&d->wake, &d->lock, &until);
        if (d->stopping) break;
        pthread_mutex_unlock(&d->lock);
        recover_once(d->provinces, (int)d->every_s, false);
        pthread_mutex_lock(&d->lock);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

gj_err http_in_doubt_start(http_server *s, gj_status *st) {
    recover_once(s->config.provinces, 0, true);
    gj_err err = gj_engine_set_provinces(s->engine, s->config.db_url, s->config.provinces, st);
    if (err != GJ_E_OK || s->config.in_doubt_check_s == 0) return err;
    struct http_in_doubt *d = calloc(1, sizeof *d);
    if (d == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    snprintf(d->provinces, sizeof d->provinces, "%s", s->config.provinces);
    d->every_s = s->config.in_doubt_check_s;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->wake, NULL);
    if (pthread_create(&d->thread, NULL, check_loop, d) != 0) {
        free(d);
        return gj_fail(st, GJ_E_INTERNAL, "cannot start the in-doubt check thread");
    }
    s->in_doubt = d;
    return GJ_E_OK;
}

void http_in_doubt_stop(http_server *s) {
    struct http_in_doubt *d = s->in_doubt;
    if (d == NULL) return;
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->wake);
    free(d);
    s->in_doubt = NULL;
}
