/* server.c — GNU libmicrohttpd glue: accumulate a bounded body, route, authenticate, run the
 * handler (writes through the group-commit pipeline, GETs on a read connection), answer JSON
 * with a request id, observe; stop gracefully. */
#include <assert.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gongji/hex.h"
#include "gongji/jsonx.h"
#include "server.h"

typedef struct {
    char *body;
    size_t len;
    int too_large;
    struct timespec started;
} upload;

static const http_route *const route_tables[] = {http_ops_routes, http_nhsa_routes,
                                                 http_app_routes, http_staff_routes,
                                                 http_staff_sim_routes,
                                                 http_staff_regions_routes,
                                                 http_app_regions_routes};

/* Match "/a/{x}/b" against a path; {x} matches one non-empty segment. */
static int match_pattern(const char *pattern, const char *path, http_request *req) {
    int count = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *end = strchr(pattern, '}');
            size_t seg = strcspn(path, "/");
            if (end == NULL || seg == 0 || count == HTTP_PATH_PARAMS_MAX) return 0;
            req->params[count++] = path;   /* terminated later by split_params */
            pattern = end + 1;
            path += seg;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    if (*pattern || *path) return 0;
    req->param_count = count;
    return 1;
}

/* Find the route; *method_mismatch when the path exists with another method. */
static const http_route *find_route(http_request *req, char *path_copy, int *method_mismatch) {
    *method_mismatch = 0;
    for (size_t t = 0; t < sizeof route_tables / sizeof route_tables[0]; t++) {
        for (const http_route *r = route_tables[t]; r->method != NULL; r++) {
            if (!match_pattern(r->pattern, req->path, req)) continue;
            if (strcmp(r->method, req->method) != 0) {
                *method_mismatch = 1;
                continue;
            }
            /* copy params out of the path as separate strings */
            size_t off = 0;
            for (int i = 0; i < req->param_count; i++) {
                size_t seg = strcspn(req->params[i], "/");
                memcpy(path_copy + off, req->params[i], seg);
                path_copy[off + seg] = '\0';
                req->params[i] = path_copy + off;
                off += seg + 1;
            }
            return r;
        }
    }
    return NULL;
}

static int caller_allowed(const http_route *r, const http_caller *c) {
    switch (r->auth) {
    case AUTH_PUBLIC: return 1;
    case AUTH_SIGNED: return c->kind == HTTP_INSTITUTION;
    case AUTH_PERSON: return c->kind == HTTP_PERSON;
    case AUTH_STAFF: return c->kind == HTTP_STAFF && (c->role & r->roles);
    case AUTH_PERSON_OR_STAFF:
        return c->kind == HTTP_PERSON || (c->kind == HTTP_STAFF && (c->role & r->roles));
    }
    return 0;
}

static void authenticate_and_run(http_request *req, const http_route *route, http_response *res) {
    gj_status st;
    gj_status_clear(&st);
    gj_err err = GJ_E_OK;
    if (route->auth == AUTH_SIGNED) err = http_auth_signed(req, &st);
    else if (route->auth != AUTH_PUBLIC) err = http_auth_bearer(req, &st);
    if (err != GJ_E_OK) {
        http_refuse(res, &st);
        if (res->status == 403 || res->status == 400) res->status = 401;
        return;
    }
    if (!caller_allowed(route, &req->caller)) {
        http_error(res, 403, GJ_E_FORBIDDEN, "this caller may not use this endpoint");
        return;
    }
    http_idempotency idem;
    if (http_idempotency_begin(req, res, &idem)) return;   /* a retry answered, or a bad key */
    route->handler(req, res);
    http_idempotency_end(req, res, &idem);
}

typedef struct {
    http_request *req;
    const http_route *route;
    http_response *res;
} pipeline_job;

/* On the writer thread, inside a batch: an answer of 500 means the store failed, which
 * breaks the batch (pipeline.h). */
static gj_err run_in_batch(gj_engine *e, void *arg) {
    pipeline_job *job = arg;
    job->req->engine = e;
    authenticate_and_run(job->req, job->route, job->res);
    return job->res->status >= 500 ? GJ_E_STORE : GJ_E_OK;
}

/* On the request's HTTP thread, what needs no store: the body's hash a signature covers, and
 * the route's own preparation (the national interface parses and decodes its envelope) — for a
 * signed route only when its headers could pass, so that nobody without them makes the server
 * parse bodies (found in review). */
static void prepare(http_request *req, const http_route *route) {
    if (route->auth == AUTH_SIGNED && !http_sign_prepare(req)) return;
    if (route->prepare != NULL) route->prepare(req);
}

/* GET requests read on a read connection; everything else goes through the write pipeline and
 * is answered only once its batch is durable (a failed batch answers 503: nothing was kept). */
static void dispatch(http_request *req, const http_route *route, http_response *res) {
    http_server *s = req->server;
    prepare(req, route);
    gj_engine *reader = strcmp(req->method, "GET") == 0 ? http_reader_acquire(s) : NULL;
    if (reader != NULL) {
        req->engine = reader;
        authenticate_and_run(req, route, res);
        http_reader_release(s, reader);
        return;
    }
    pipeline_job job = {req, route, res};
    gj_status st;
    if (gj_pipeline_run(s->pipeline, run_in_batch, &job, &st) != GJ_E_OK) {
        json_decref(res->json);
        free(res->raw);
        *res = (http_response){.status = 500};
        gj_fail(&st, GJ_E_STORE, "not committed: the transaction failed, nothing was kept; retry");
        if (req->infno[0] != '\0') http_reply_text(res, 200, gj_nhsa_refusal_text(NULL, &st));   /* as national clients expect */
        else http_error(res, 503, GJ_E_STORE, st.detail);
    }
}

static void new_request_id(char out[HTTP_REQUEST_ID_MAX]) {
    unsigned char raw[8];
    if (RAND_bytes(raw, sizeof raw) != 1) memset(raw, 0, sizeof raw);
    gj_hex_encode(raw, 8, out);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, http_request *req,
                                     http_response *res) {
    char *text = NULL;
    size_t len = 0;
    const char *type = "application/json; charset=utf-8";
    enum MHD_ResponseMemoryMode mode = MHD_RESPMEM_MUST_FREE;
    if (res->json != NULL) {
        text = gj_json_encode(res->json, false);
        len = text ? strlen(text) : 0;
    } else if (res->raw != NULL) {
        text = res->raw;   /* stays with res: http_observe reads a national refusal's code in it */
        mode = MHD_RESPMEM_MUST_COPY;
        len = res->raw_len;
        type = res->content_type ? res->content_type : "text/plain; charset=utf-8";
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text ? text : (char *)"",
                                                             text ? mode : MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Request-Id", req->request_id);
    MHD_add_response_header(r, "Cache-Control", res->cache_control ? res->cache_control : "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ok;
}

static double seconds_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void handle(http_server *s, struct MHD_Connection *conn, const char *url, const char *method,
                   upload *up, http_response *res, http_request *req) {
    static const size_t path_max = 512;
    req->server = s;
    req->conn = conn;
    req->method = method;
    req->path = url;
    req->body = up->body ? up->body : "";
    req->body_len = up->len;
    new_request_id(req->request_id);
    if (up->too_large) {
        http_error(res, 413, GJ_E_TOO_LARGE, "request body larger than the limit");
        return;
    }
    if (strlen(url) > path_max) {
        http_error(res, 414, GJ_E_TOO_LARGE, "path too long");
        return;
    }
    char path_copy[512 + HTTP_PATH_PARAMS_MAX];
    int method_mismatch = 0;
    const http_route *route = find_route(req, path_copy, &method_mismatch);
    if (route == NULL && http_static_serve(req, res)) return;   /* the web console */
    if (route == NULL) {
        http_error(res, method_mismatch ? 405 : 404, GJ_E_NOT_FOUND,
                   method_mismatch ? "method not allowed here" : "no such endpoint");
        return;
    }
    req->route = route->pattern;
    dispatch(req, route, res);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls) {
    (void)version;
    http_server *s = cls;
    upload *up = *con_cls;
    if (up == NULL) {
        up = calloc(1, sizeof *up);
        if (up == NULL) return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &up->started);
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size > 0) {
        if (!up->too_large && up->len + *data_size <= s->config.body_max_bytes) {
            char *grown = realloc(up->body, up->len + *data_size + 1);
            if (grown == NULL) return MHD_NO;
            up->body = grown;
            memcpy(up->body + up->len, data, *data_size);
            up->len += *data_size;
            up->body[up->len] = '\0';
        } else {
            up->too_large = 1;   /* keep draining, answer 413 at the end */
        }
        *data_size = 0;
        return MHD_YES;
    }
    http_request req = {0};
    http_response res = {.status = 500};
    handle(s, conn, url, method, up, &res, &req);
    enum MHD_Result ok = send_response(conn, &req, &res);
    http_observe(&req, &res, seconds_since(&up->started));
    if (req.prepared_free != NULL) req.prepared_free(req.prepared);
    json_decref(res.json);
    free(res.raw);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    (void)cls;
    (void)conn;
    (void)toe;
    upload *up = *con_cls;
    if (up != NULL) {
        free(up->body);
        free(up);
        *con_cls = NULL;
    }
}

int http_server_start(http_server *s, char *why, size_t why_len) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(s->config.listen_port)};
    if (inet_pton(AF_INET, s->config.listen_host, &addr.sin_addr) != 1) {
        snprintf(why, why_len, "listen address %s: IPv4 address expected", s->config.listen_host);
        return -1;
    }
    pthread_mutex_init(&s->engine_lock, NULL);
    gj_status st;
    gj_pipeline_config pc = {.batch_max = s->config.batch_max, .wait_us = s->config.batch_wait_us};
    if (gj_pipeline_start(s->engine, &pc, &s->pipeline, &st) != GJ_E_OK) {
        snprintf(why, why_len, "%s", st.detail);
        return -1;
    }
    if (http_readers_open(s, s->config.readers, why, why_len) != 0) {
        gj_pipeline_stop(s->pipeline);
        s->pipeline = NULL;
        return -1;
    }
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        s->config.listen_port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, s->config.threads,
        MHD_OPTION_CONNECTION_LIMIT, s->config.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, s->config.connection_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_END);
    if (s->daemon == NULL) {
        http_readers_close(s);
        gj_pipeline_stop(s->pipeline);
        s->pipeline = NULL;
        snprintf(why, why_len, "cannot listen on %s:%u", s->config.listen_host, s->config.listen_port);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (info != NULL) s->config.listen_port = info->port;   /* port 0: the one the OS chose */
    return 0;
}

void http_server_stop(http_server *s) {
    if (s->daemon == NULL) return;
    MHD_quiesce_daemon(s->daemon);   /* no new connections */
    for (unsigned waited_ms = 0; waited_ms < s->config.shutdown_grace_s * 1000; waited_ms += 50) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (info == NULL || info->num_connections == 0) break;
        usleep(50 * 1000);
    }
    MHD_stop_daemon(s->daemon);      /* waits for handlers still running */
    s->daemon = NULL;
    gj_pipeline_stop(s->pipeline);   /* nothing queued any more: every handler has returned */
    s->pipeline = NULL;
    http_readers_close(s);
    pthread_mutex_destroy(&s->engine_lock);
}
