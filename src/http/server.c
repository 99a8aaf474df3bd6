/* server.c — GNU libmicrohttpd glue: accumulate a bounded body, route, authenticate, hand the
 * request to the thread that runs it (writes to the group-commit pipeline, GETs to a reader),
 * answer JSON with a request id, observe; stop gracefully.
 *
 * No request holds its HTTP thread while it runs on the store: the connection is suspended, the
 * request handed off, and the thread goes on serving other connections. When a write's batch
 * is durable (or failed), or a reader has run a GET, that thread resumes the connection and
 * libmicrohttpd calls on_request again, which sends the answer. Before, each waiting write
 * blocked a thread (every commit woke one thread per request, and batches could hold no more
 * writes than there were threads), and a slow GET (a report) held a thread and so delayed the
 * settlements of every connection that thread served. */
#include <assert.h>
#include <stdatomic.h>
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
#include "gongji/utf8.h"
#include "server.h"

enum {
    PATH_MAX_BYTES = 512,
    QUERY_ARGS_MAX = 32,         /* the endpoints read at most 4: more is 414 (on_uri) */
    ANSWER_WAIT_MAX_MS = 2000,   /* at shutdown: for the last handed-off answers to be sent */
};

/* Where a request is: its body arriving (and answered at once when it needs no store), handed
 * to the pipeline or a reader with the connection suspended, or run there (resumed). A write
 * whose route has a check goes to a reader first: resumed CHECKED, it is handed off again, to
 * the pipeline. */
typedef enum { STAGE_RECEIVING, STAGE_HANDED_OFF, STAGE_CHECKED, STAGE_RAN } request_stage;

/* Which thread a request was last handed to (by dispatch; a write with a check: a reader, then
 * the pipeline): so which of its queue places is live. */
typedef enum { RUNNER_NONE, RUNNER_PIPELINE, RUNNER_READER } request_runner;

/* One request's state (libmicrohttpd's per-request con_cls), from its first header to its
 * completion. A handed-off request keeps here all its runner reads while the connection is
 * suspended. */
typedef struct {
    char *body;
    size_t len;
    int too_large;
    bool headers_seen;             /* on_request was called once: the body comes next */
    bool too_many_args;            /* more than QUERY_ARGS_MAX: the query was dropped (on_uri) */
    struct timespec started;
    request_stage stage;
    request_runner runner;         /* set at the hand-off: which member of `queued` is live */
    struct MHD_Connection *conn;
    const http_route *route;
    http_request req;
    http_response res;
    char path_copy[PATH_MAX_BYTES + HTTP_PATH_PARAMS_MAX];   /* req.params point here */
    char allow[HTTP_ALLOW_MAX];    /* no route for the method: the path's methods (a 405) */
    union {   /* a request is in one queue at a time: its place there */
        gj_pipeline_job write;     /* RUNNER_PIPELINE: in the pipeline's, until ran_resume */
        http_read_job read;        /* RUNNER_READER: in the readers', until run_read returns */
    } queued;
    gj_err outcome_err;            /* STAGE_RAN: a write's batch outcome, a refusal at shutdown */
    gj_status outcome_status;
} request_state;

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

/* Append `method` to the list `allow` ("GET, POST") unless it is there. */
static void allow_add(char allow[HTTP_ALLOW_MAX], const char *method) {
    size_t n = strlen(allow), m = strlen(method);
    for (const char *p = allow; (p = strstr(p, method)) != NULL; p += m)
        if ((p == allow || p[-1] == ' ') && (p[m] == ',' || p[m] == '\0')) return;
    if (n + m + 3 > HTTP_ALLOW_MAX) return;   /* every method of a path fits: see the enum */
    snprintf(allow + n, HTTP_ALLOW_MAX - n, "%s%s", n > 0 ? ", " : "", method);
}

/* The route for the request's method and path, its {params} copied into path_copy; NULL when
 * none, and then `allow` lists the methods the path takes ("" when the path is unknown). */
static const http_route *find_route(http_request *req, char *path_copy, char allow[HTTP_ALLOW_MAX]) {
    allow[0] = '\0';
    for (size_t t = 0; t < sizeof route_tables / sizeof route_tables[0]; t++) {
        for (const http_route *r = route_tables[t]; r->method != NULL; r++) {
            if (!match_pattern(r->pattern, req->path, req)) continue;
            if (strcmp(r->method, req->method) != 0) {
                allow_add(allow, r->method);
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

/* On the writer thread, inside a batch: an answer of 500 means the store failed, which
 * breaks the batch (pipeline.h). */
static gj_err run_in_batch(gj_engine *e, void *arg) {
    request_state *rs = arg;
    assert(rs->stage == STAGE_HANDED_OFF && rs->runner == RUNNER_PIPELINE);
    rs->req.engine = e;
    authenticate_and_run(&rs->req, rs->route, &rs->res);
    return rs->res.status >= 500 ? GJ_E_STORE : GJ_E_OK;
}

/* On the thread that ran the request (a pipeline thread, a reader, or the request's own when
 * either refused it): its outcome, kept for the HTTP thread, which the resumption calls back
 * (on_request). */
static void ran_resume(void *arg, gj_err err, const gj_status *st) {
    request_state *rs = arg;
    struct MHD_Connection *conn = rs->conn;
    rs->outcome_err = err;
    if (err != GJ_E_OK) rs->outcome_status = *st;
    rs->stage = STAGE_RAN;
    MHD_resume_connection(conn);   /* the last touch: the HTTP thread takes the request from here */
}

/* Suspend the connection before the request is handed off to `runner` (once, or a checked
 * write a second time, to the pipeline), so that its resumption can never come before it;
 * counted from the first hand-off until on_completed. */
static void hand_off(request_state *rs, request_runner runner) {
    assert(runner != RUNNER_NONE);
    assert((rs->stage == STAGE_RECEIVING && rs->runner == RUNNER_NONE) ||
           (rs->stage == STAGE_CHECKED && rs->runner == RUNNER_READER && runner == RUNNER_PIPELINE));
    if (rs->stage == STAGE_RECEIVING) atomic_fetch_add(&rs->req.server->handed_off_unanswered, 1);
    rs->runner = runner;
    rs->stage = STAGE_HANDED_OFF;
    MHD_suspend_connection(rs->conn);
}

/* A write: queued on the pipeline, answered once its batch is durable (or failed). */
static void submit_write(request_state *rs) {
    hand_off(rs, RUNNER_PIPELINE);
    gj_status st;
    if (gj_pipeline_submit(rs->req.server->pipeline, &rs->queued.write, run_in_batch, rs,
                           ran_resume, rs, &st) != GJ_E_OK)
        ran_resume(rs, st.code, &st);   /* stopping: answered without running */
}

static void refuse_stopping(request_state *rs) {
    gj_status st;
    gj_fail(&st, GJ_E_STOPPED, "the server is stopping: nothing was run; retry");
    ran_resume(rs, st.code, &st);
}

/* On a reader thread: a write's check passed (its HTTP thread hands it to the pipeline when
 * resumed), or it answered a refusal. */
static void run_check(request_state *rs) {
    assert(rs->route->check != NULL && rs->route->auth == AUTH_PUBLIC);
    if (!rs->route->check(&rs->req, &rs->res)) {
        ran_resume(rs, GJ_E_OK, NULL);
        return;
    }
    rs->stage = STAGE_CHECKED;
    MHD_resume_connection(rs->conn);   /* the last touch, as in ran_resume */
}

/* On a reader thread: the GET, or a write's check, on that reader's connection (NULL: the
 * readers are draining and it never started). */
static void run_read(gj_engine *reader, void *arg) {
    request_state *rs = arg;
    assert(rs->stage == STAGE_HANDED_OFF && rs->runner == RUNNER_READER);
    if (reader == NULL) {
        refuse_stopping(rs);
        return;
    }
    rs->req.engine = reader;
    if (rs->route->check != NULL) {
        run_check(rs);
        return;
    }
    authenticate_and_run(&rs->req, rs->route, &rs->res);
    ran_resume(rs, GJ_E_OK, NULL);
}

/* A GET: queued to the readers. */
static void submit_read(request_state *rs) {
    hand_off(rs, RUNNER_READER);
    if (!http_readers_submit(rs->req.server, &rs->queued.read, run_read, rs)) refuse_stopping(rs);
}

/* Back on the HTTP thread: a failed batch kept nothing, whatever its handler had answered
 * (503, or the national envelope national clients expect; a refused one says why). */
static void answer_failed_batch(request_state *rs) {
    assert(rs->stage == STAGE_RAN);
    if (rs->outcome_err == GJ_E_OK) return;
    gj_status st = rs->outcome_status;
    http_response *res = &rs->res;
    json_decref(res->json);
    free(res->raw);
    *res = (http_response){.status = 500};
    if (st.code != GJ_E_STOPPED)
        gj_fail(&st, GJ_E_STORE, "not committed: the transaction failed, nothing was kept; retry");
    if (rs->req.infno[0] != '\0') http_reply_text(res, 200, gj_nhsa_refusal_text(NULL, &st));
    else http_error(res, 503, st.code, st.detail);
}

/* On the request's HTTP thread, what needs no store: the body's hash a signature covers, and
 * the route's own preparation (the national interface parses and decodes its envelope) — for a
 * signed route only when its headers could pass, so that nobody without them makes the server
 * parse bodies (found in review). */
static void prepare(http_request *req, const http_route *route) {
    if (route->auth == AUTH_SIGNED && !http_sign_prepare(req)) return;
    if (route->prepare != NULL) route->prepare(req);
}

/* GET requests run on a reader; everything else (and GETs when there are no readers) goes
 * through the write pipeline and is answered only once its batch is durable (a failed batch
 * answers 503: nothing was kept). A write whose route has a check runs it on a reader first
 * (without readers its handler does it all on the writer). Either way the connection is
 * suspended meanwhile. */
static void dispatch(request_state *rs, const http_route *route) {
    http_request *req = &rs->req;
    rs->route = route;
    prepare(req, route);
    bool on_reader = strcmp(req->method, "GET") == 0 || route->check != NULL;
    if (on_reader && req->server->readers != NULL) submit_read(rs);
    else submit_write(rs);
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
    if (res->allow != NULL) MHD_add_response_header(r, "Allow", res->allow);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ok;
}

static double seconds_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Whether every {parameter} of the matched route is UTF-8: libmicrohttpd decodes %XX, so a
 * parameter may hold any byte, and a handler that puts it into its JSON answer (a recon report
 * names its institution code) could not build that answer. Nothing stored has such a name. */
static bool params_utf8(const http_request *req) {
    for (int i = 0; i < req->param_count; i++)
        if (!gj_utf8_valid(req->params[i])) return false;
    return true;
}

/* The whole request has arrived: answer it (true), or hand it off (false, suspended). */
static bool handle(http_server *s, const char *url, const char *method, request_state *rs) {
    http_request *req = &rs->req;
    http_response *res = &rs->res;
    req->server = s;
    req->conn = rs->conn;
    req->method = method;
    req->path = url;
    req->body = rs->body ? rs->body : "";
    req->body_len = rs->len;
    new_request_id(req->request_id);
    if (rs->too_large) {
        http_error(res, 413, GJ_E_TOO_LARGE, "request body larger than the limit");
        return true;
    }
    if (strlen(url) > PATH_MAX_BYTES) {
        http_error(res, 414, GJ_E_TOO_LARGE, "path too long");
        return true;
    }
    if (rs->too_many_args) {
        http_error(res, 414, GJ_E_TOO_LARGE, "query: more than 32 parameters");
        return true;
    }
    const http_route *route = find_route(req, rs->path_copy, rs->allow);
    if (route == NULL && http_static_serve(req, res)) return true;   /* the web console */
    if (route == NULL && rs->allow[0] != '\0') {
        http_error(res, 405, GJ_E_METHOD_NOT_ALLOWED, rs->allow);
        res->allow = rs->allow;
        return true;
    }
    if (route == NULL) {
        http_error(res, 404, GJ_E_NOT_FOUND, "no such endpoint");
        return true;
    }
    req->route = route->pattern;
    if (!params_utf8(req)) {
        http_error(res, 400, GJ_E_BAD_FIELD, "path: a parameter that is not UTF-8");
        return true;
    }
    dispatch(rs, route);
    return false;
}

/* What the request still holds besides its body (its answer, its prepared input). Idempotent. */
static void release_answer(request_state *rs) {
    if (rs->req.prepared_free != NULL) rs->req.prepared_free(rs->req.prepared);
    rs->req.prepared_free = NULL;
    rs->req.prepared = NULL;
    json_decref(rs->res.json);
    free(rs->res.raw);
    rs->res = (http_response){.status = 500};
}

static enum MHD_Result answer(struct MHD_Connection *conn, request_state *rs) {
    enum MHD_Result ok = send_response(conn, &rs->req, &rs->res);
    http_observe(&rs->req, &rs->res, seconds_since(&rs->started));
    release_answer(rs);
    return ok;
}

/* The number of '&'-separated parameters of the query that starts at `query` (after '?'),
 * empty ones included: libmicrohttpd keeps a record for each. */
static size_t query_args(const char *query) {
    if (*query == '\0') return 0;
    size_t n = 1;
    for (const char *p = query; (p = strchr(p, '&')) != NULL; p++) n++;
    return n;
}

/* libmicrohttpd's URI log callback, called with the raw request target before it parses the
 * query: the request's state (libmicrohttpd passes it to on_request as con_cls). Each query
 * parameter takes a record in the connection's 64 KiB memory pool; ~1000 of them exhaust it,
 * and libmicrohttpd 0.9.75 then queues its own 431 but overwrites that state as it goes on
 * (parse_initial_message_line ignores the failure): the client got an empty reply (found by an
 * audit). So a query of more than QUERY_ARGS_MAX parameters is cut here, at its first byte —
 * libmicrohttpd documents the callback as called "before we modify URI or args", in its own
 * writable buffer of the request line, and parses the query only after it — and handle()
 * answers 414 TOO_LARGE. tests/http/test_app.sh sends 1000 parameters. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
    (void)cls;
    request_state *rs = calloc(1, sizeof *rs);
    if (rs == NULL) return NULL;   /* on_request refuses the request */
    clock_gettime(CLOCK_MONOTONIC, &rs->started);
    rs->conn = conn;
    rs->res.status = 500;
    char *query = strchr(uri, '?');   /* libmicrohttpd's buffer, not a constant (above) */
    if (query != NULL && query_args(query + 1) > QUERY_ARGS_MAX) {
        rs->too_many_args = true;
        query[1] = '\0';   /* nothing left for libmicrohttpd to parse */
    }
    return rs;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls) {
    (void)version;
    http_server *s = cls;
    request_state *up = *con_cls;
    if (up == NULL) return MHD_NO;   /* on_uri ran out of memory */
    assert(up->conn == conn);
    if (!up->headers_seen) {   /* the headers are in: the body (if any) comes next */
        up->headers_seen = true;
        return MHD_YES;
    }
    if (up->stage == STAGE_RAN) {   /* resumed: the request ran (or was refused) */
        answer_failed_batch(up);
        return answer(conn, up);
    }
    if (up->stage == STAGE_CHECKED) {   /* resumed: its check passed on a reader */
        submit_write(up);
        return MHD_YES;
    }
    assert(up->stage == STAGE_RECEIVING && "a suspended request is not called back");
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
    if (!handle(s, url, method, up)) return MHD_YES;   /* suspended until it has run */
    return answer(conn, up);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    (void)conn;
    (void)toe;
    request_state *up = *con_cls;
    if (up != NULL) {
        assert(up->stage != STAGE_HANDED_OFF && "a suspended request does not complete");
        if (up->stage == STAGE_RAN || up->stage == STAGE_CHECKED)   /* handed off, now done */
            atomic_fetch_sub(&((http_server *)cls)->handed_off_unanswered, 1);
        release_answer(up);   /* a connection lost before its answer was sent */
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
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME,
        s->config.listen_port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, s->config.threads,
        MHD_OPTION_CONNECTION_LIMIT, s->config.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, s->config.connection_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_END);
    if (s->daemon == NULL) {
        http_readers_drain(s);
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
    /* Every queued write runs (it may already be part of a batch), the GETs running finish and
     * the GETs still queued are refused (a retry is safe, and a queue of slow reports would
     * hold shutdown far beyond the grace: found in review); each connection is resumed, and a
     * request arriving from now on is answered 503 STOPPED (libmicrohttpd must not stop with a
     * connection suspended). The resumed connections still have to send their answers:
     * stopping at once would close them unanswered (found in review), so wait for that too,
     * bounded. */
    gj_pipeline_close(s->pipeline);
    http_readers_drain(s);
    for (unsigned waited_ms = 0;
         atomic_load(&s->handed_off_unanswered) > 0 && waited_ms < ANSWER_WAIT_MAX_MS; waited_ms += 5)
        usleep(5 * 1000);
    MHD_stop_daemon(s->daemon);      /* waits for handlers still running */
    s->daemon = NULL;
    gj_pipeline_stop(s->pipeline);   /* nothing refers to it any more */
    s->pipeline = NULL;
    http_readers_close(s);
}
