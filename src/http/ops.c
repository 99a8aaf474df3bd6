/* ops.c — operations endpoints and observation: GET /healthz, GET /metrics (Prometheus text:
 * requests by route and status, latency histogram, national-interface calls by infno and
 * result, refusals by code), GET /openapi.json, and JSON-lines logs that carry the request id
 * and the route pattern — never a path, body, ID number or name. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gongji/gjtime.h"
#include "gongji/jsonx.h"
#include "server.h"

enum { ROUTE_SERIES_MAX = 128, CODE_SERIES_MAX = 96, INFNO_SERIES_MAX = 64, METRICS_TEXT_MAX = 1 << 16 };
enum { CODE_TEXT_MAX = 64 };   /* an error code's name */

static const double latency_buckets_s[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
enum { BUCKETS = sizeof latency_buckets_s / sizeof latency_buckets_s[0] };

typedef struct {
    const char *route;     /* static pattern string, or "unmatched" */
    const char *method;    /* static */
    int status;
    unsigned long count;
} route_series;

typedef struct {
    char key[48];
    unsigned long count;
} named_series;

static struct {
    pthread_mutex_t lock;
    route_series routes[ROUTE_SERIES_MAX];
    int route_count;
    named_series refusals[CODE_SERIES_MAX];
    int refusal_count;
    named_series nhsa[INFNO_SERIES_MAX];   /* "2207,0" → calls with infcode 0 */
    int nhsa_count;
    unsigned long latency_bucket[BUCKETS + 1];
    double latency_sum_s;
    unsigned long latency_count;
} metrics = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *static_method(const char *m) {
    static const char *const known[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (m && !strcmp(m, known[i])) return known[i];
    return "OTHER";
}

static void bump_route(const char *route, const char *method, int status) {
    for (int i = 0; i < metrics.route_count; i++) {
        route_series *r = &metrics.routes[i];
        if (r->route == route && r->method == method && r->status == status) {
            r->count++;
            return;
        }
    }
    if (metrics.route_count < ROUTE_SERIES_MAX)
        metrics.routes[metrics.route_count++] = (route_series){route, method, status, 1};
}

static void bump_named(named_series *series, int *count, int max, const char *key) {
    for (int i = 0; i < *count; i++)
        if (!strcmp(series[i].key, key)) {
            series[i].count++;
            return;
        }
    if (*count < max) {
        snprintf(series[*count].key, sizeof series[*count].key, "%s", key);
        series[(*count)++].count = 1;
    }
}

/* The refusal code in a response, national ("err_code", also in an answer written as text by
 * gj_nhsa_call_text: `national` says the body is one) or REST ("error.code"); buf holds a code
 * read from text. Only a national refusal's text is searched (it starts with infcode -1). */
static const char *refusal_code(const http_response *res, bool national, char buf[CODE_TEXT_MAX]) {
    static const char REFUSED[] = "{\"infcode\":-1,";
    const char *value = NULL;
    size_t len = 0;
    if (res->json == NULL) {
        bool refused = national && res->raw != NULL && res->raw_len > sizeof REFUSED - 1 &&
                       memcmp(res->raw, REFUSED, sizeof REFUSED - 1) == 0;
        if (!refused || !gj_json_text_string(res->raw, "err_code", &value, &len) || len >= CODE_TEXT_MAX)
            return NULL;
        memcpy(buf, value, len);
        buf[len] = '\0';
        return buf;
    }
    const char *code = json_string_value(json_object_get(json_object_get(res->json, "error"), "code"));
    return code ? code : json_string_value(json_object_get(res->json, "err_code"));
}

enum { UTC_TEXT_MAX = 32 };

/* Now as "2026-12-03T16:04:05Z". gmtime_r: log lines are written from several threads at once
 * (request threads, readers, the pipeline's), and gmtime's one static result was shared by
 * them all (found by ThreadSanitizer in review). */
static void utc_now_text(char out[UTC_TEXT_MAX]) {
    time_t now = time(NULL);
    struct tm parts;
    if (gmtime_r(&now, &parts) == NULL || strftime(out, UTC_TEXT_MAX, "%Y-%m-%dT%H:%M:%SZ", &parts) == 0)
        snprintf(out, UTC_TEXT_MAX, "%lld", (long long)now);
}

static void log_request(const http_request *req, const http_response *res, double seconds,
                        const char *code) {
    char when[UTC_TEXT_MAX];
    utc_now_text(when);
    printf("{\"ts\":\"%s\",\"event\":\"request\",\"request_id\":\"%s\",\"method\":\"%s\","
           "\"route\":\"%s\",\"status\":%d,\"duration_ms\":%.3f,\"caller_kind\":%d%s%s%s}\n",
           when, req->request_id, static_method(req->method), req->route ? req->route : "unmatched",
           res->status, seconds * 1000.0, (int)req->caller.kind, code ? ",\"code\":\"" : "",
           code ? code : "", code ? "\"" : "");
    fflush(stdout);
}

void http_observe(const http_request *req, const http_response *res, double seconds) {
    char code_text[CODE_TEXT_MAX];
    const char *code = refusal_code(res, req->infno[0] != '\0', code_text);
    pthread_mutex_lock(&metrics.lock);
    bump_route(req->route ? req->route : "unmatched", static_method(req->method), res->status);
    if (code) bump_named(metrics.refusals, &metrics.refusal_count, CODE_SERIES_MAX, code);
    const char *infno = req->infno[0] ? req->infno : NULL;
    if (infno) {
        char key[48];
        snprintf(key, sizeof key, "%.8s,%s", infno, code ? "refused" : "ok");
        bump_named(metrics.nhsa, &metrics.nhsa_count, INFNO_SERIES_MAX, key);
    }
    int b = 0;
    while (b < BUCKETS && seconds > latency_buckets_s[b]) b++;
    metrics.latency_bucket[b]++;
    metrics.latency_sum_s += seconds;
    metrics.latency_count++;
    pthread_mutex_unlock(&metrics.lock);
    log_request(req, res, seconds, code);
}

void http_log_event(const char *event, const char *detail) {
    char when[UTC_TEXT_MAX];
    utc_now_text(when);
    json_t *line = json_pack("{s:s, s:s, s:s}", "ts", when, "event", event, "detail", detail);
    char *text = json_dumps(line, JSON_COMPACT);
    printf("%s\n", text ? text : "{}");
    fflush(stdout);
    free(text);
    json_decref(line);
}

typedef struct {
    char *buf;
    size_t len;
} text_buf;

static void emit(text_buf *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, METRICS_TEXT_MAX - t->len, fmt, ap);
    va_end(ap);
    if (n > 0) t->len = t->len + (size_t)n < METRICS_TEXT_MAX ? t->len + (size_t)n : METRICS_TEXT_MAX - 1;
}

static void emit_metrics(text_buf *t) {
    emit(t, "# HELP gongji_http_requests_total HTTP requests by route pattern, method and status.\n"
            "# TYPE gongji_http_requests_total counter\n");
    for (int i = 0; i < metrics.route_count; i++)
        emit(t, "gongji_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %lu\n",
             metrics.routes[i].route, metrics.routes[i].method, metrics.routes[i].status, metrics.routes[i].count);
    emit(t, "# HELP gongji_http_request_duration_seconds Request latency.\n"
            "# TYPE gongji_http_request_duration_seconds histogram\n");
    unsigned long cumulative = 0;
    for (int b = 0; b < BUCKETS; b++) {
        cumulative += metrics.latency_bucket[b];
        emit(t, "gongji_http_request_duration_seconds_bucket{le=\"%g\"} %lu\n", latency_buckets_s[b], cumulative);
    }
    cumulative += metrics.latency_bucket[BUCKETS];
    emit(t, "gongji_http_request_duration_seconds_bucket{le=\"+Inf\"} %lu\n"
            "gongji_http_request_duration_seconds_sum %.6f\ngongji_http_request_duration_seconds_count %lu\n",
         cumulative, metrics.latency_sum_s, metrics.latency_count);
    emit(t, "# HELP gongji_nhsa_calls_total National-interface calls by infno and result.\n"
            "# TYPE gongji_nhsa_calls_total counter\n");
    for (int i = 0; i < metrics.nhsa_count; i++) {
        const char *comma = strchr(metrics.nhsa[i].key, ',');
        emit(t, "gongji_nhsa_calls_total{infno=\"%.*s\",result=\"%s\"} %lu\n",
             (int)(comma - metrics.nhsa[i].key), metrics.nhsa[i].key, comma + 1, metrics.nhsa[i].count);
    }
    emit(t, "# HELP gongji_refusals_total Refusals by stable error code.\n# TYPE gongji_refusals_total counter\n");
    for (int i = 0; i < metrics.refusal_count; i++)
        emit(t, "gongji_refusals_total{code=\"%s\"} %lu\n", metrics.refusals[i].key, metrics.refusals[i].count);
}

/* The write pipeline: batches, commands, and the batch-size histogram (group commit). */
static void emit_pipeline(text_buf *t, gj_pipeline *p) {
    gj_pipeline_stats ps;
    if (p == NULL) return;
    gj_pipeline_get_stats(p, &ps);
    emit(t, "# HELP gongji_pipeline_batch_size Commands per committed write transaction.\n"
            "# TYPE gongji_pipeline_batch_size histogram\n");
    uint64_t cumulative = 0;
    for (int b = 0; b < GJ_PIPELINE_HISTOGRAM_BUCKETS - 1; b++) {
        cumulative += ps.size_bucket[b];
        emit(t, "gongji_pipeline_batch_size_bucket{le=\"%u\"} %llu\n", gj_pipeline_bucket_le(b),
             (unsigned long long)cumulative);
    }
    emit(t, "gongji_pipeline_batch_size_bucket{le=\"+Inf\"} %llu\ngongji_pipeline_batch_size_sum %llu\n"
            "gongji_pipeline_batch_size_count %llu\n"
            "# HELP gongji_pipeline_failed_batches_total Batches whose transaction failed (nothing kept).\n"
            "# TYPE gongji_pipeline_failed_batches_total counter\ngongji_pipeline_failed_batches_total %llu\n"
            "# HELP gongji_pipeline_syncs_total Syncs made by the write pipeline (its syncer, or its writer when idle), each for every batch then committed.\n"
            "# TYPE gongji_pipeline_syncs_total counter\ngongji_pipeline_syncs_total %llu\n"
            "# HELP gongji_pipeline_batch_seconds_total Time the writer spent running batches, from their first command to their commit.\n"
            "# TYPE gongji_pipeline_batch_seconds_total counter\ngongji_pipeline_batch_seconds_total %.6f\n"
            "# HELP gongji_pipeline_sync_seconds_total Time spent in the pipeline's syncs (the disk's fsync of committed batches).\n"
            "# TYPE gongji_pipeline_sync_seconds_total counter\ngongji_pipeline_sync_seconds_total %.6f\n",
         (unsigned long long)ps.batches, (unsigned long long)ps.commands, (unsigned long long)ps.batches,
         (unsigned long long)ps.failed_batches, (unsigned long long)ps.syncs,
         (double)ps.batch_run_ns / NS_PER_S, (double)ps.sync_ns / NS_PER_S);
}

static void get_metrics(http_request *req, http_response *res) {
    text_buf t = {.buf = malloc(METRICS_TEXT_MAX), .len = 0};
    if (t.buf == NULL) {
        http_error(res, 500, GJ_E_INTERNAL, "out of memory");
        return;
    }
    pthread_mutex_lock(&metrics.lock);
    emit_metrics(&t);
    pthread_mutex_unlock(&metrics.lock);
    emit_pipeline(&t, req->server->pipeline);
    res->status = 200;
    res->raw = t.buf;
    res->raw_len = t.len;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

static void get_healthz(http_request *req, http_response *res) {
    http_reply(res, 200, json_pack("{s:s, s:s}", "status", "ok", "store",
                                   gj_store_backend(gj_engine_store(http_engine(req)))));
}

static void get_openapi(http_request *req, http_response *res) {
    (void)req;
    json_error_t jerr;
    json_t *doc = json_load_file(GJ_OPENAPI_FILE, 0, &jerr);
    if (doc == NULL) http_error(res, 500, GJ_E_INTERNAL, "OpenAPI document unreadable");
    else http_reply(res, 200, doc);
}

const http_route http_ops_routes[] = {
    {"GET", "/healthz", AUTH_PUBLIC, 0, get_healthz, "liveness and store backend", NULL, NULL},
    {"GET", "/metrics", AUTH_PUBLIC, 0, get_metrics, "Prometheus metrics", NULL, NULL},
    {"GET", "/openapi.json", AUTH_PUBLIC, 0, get_openapi, "the OpenAPI 3 document", NULL, NULL},
    {NULL, NULL, AUTH_PUBLIC, 0, NULL, NULL, NULL, NULL},
};
