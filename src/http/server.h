/* server.h — the gongjid server: configuration, start/stop, and what the request path needs
 * from other modules (authentication, observation). */
#ifndef GONGJI_HTTP_SERVER_H
#define GONGJI_HTTP_SERVER_H

#include <pthread.h>
#include <stdint.h>

#include "gongji/pipeline.h"
#include "http.h"

enum { HTTP_READERS_MAX = 64 };

/* A GET queued to the readers (readers.c); kept in the request while its connection is
 * suspended. */
typedef struct http_read_job {
    struct http_read_job *next;
    void (*run)(gj_engine *reader, void *arg);
    void *arg;
} http_read_job;

typedef struct {
    char db_url[512];
    char policy_dir[512];
    char listen_host[64];
    uint16_t listen_port;
    unsigned threads;                 /* MHD thread pool */
    unsigned max_connections;
    unsigned connection_timeout_s;
    size_t body_max_bytes;
    unsigned shutdown_grace_s;        /* SIGTERM: wait this long for in-flight requests */
    unsigned signature_window_s;      /* x-tif-timestamp / HMAC timestamp tolerance */
    unsigned token_ttl_s;             /* bearer token lifetime */
    unsigned idempotency_retention_s; /* how long an Idempotency-Key's answer is kept */
    int demo;                         /* demo verifier logs one-time codes */
    unsigned batch_max;               /* write pipeline: commands per transaction */
    unsigned batch_wait_us;           /* write pipeline: wait for a batch to fill (≤ 1000) */
    unsigned readers;                 /* reader threads, each with its own connection (0: reads go
                                         through the pipeline) */
    char web_dir[512];                /* the web console's files (static.c) */
    char sim_report_dir[512];         /* last.json/last.svg of gongji simulate (staff_sim.c); "" none */
    char provinces[512];              /* province map file (xa.c): "" none */
    unsigned in_doubt_check_s;        /* with provinces: end in-doubt transactions this often (0: at start only) */
} http_config;

struct http_server {
    http_config config;
    gj_engine *engine;
    gj_pipeline *pipeline;            /* the writer: owns `engine` while running */
    struct http_in_doubt *in_doubt;   /* in_doubt.c: the periodic check, or NULL */
    struct http_readers *readers;     /* readers.c: the GETs' threads, or NULL (none) */
    struct MHD_Daemon *daemon;
    /* server.c: requests handed to the pipeline or the readers whose answer is not yet sent */
    _Atomic unsigned handed_off_unanswered;
};

void http_config_defaults(http_config *c);
/* Read "key = value" lines (docs/operations.md); unknown keys are an error. */
int http_config_file(http_config *c, const char *path, char *why, size_t why_len);

int http_server_start(http_server *s, char *why, size_t why_len);
/* Stop accepting, let in-flight requests finish (up to shutdown_grace_s), stop. */
void http_server_stop(http_server *s);

/* ---- the readers (readers.c) ---- */
/* Start `count` reader threads, each with an engine on the server's database (none for a store
 * that cannot be shared: s->readers stays NULL). */
int http_readers_open(http_server *s, unsigned count, char *why, size_t why_len);
/* Queue job: a reader thread calls run(its engine, arg) once, or run(NULL, arg) when the
 * readers drain before it started. False, and run is never called, when there are no readers
 * or they are draining. */
bool http_readers_submit(http_server *s, http_read_job *job, void (*run)(gj_engine *, void *),
                         void *arg);
/* Refuse new jobs, let the running ones finish, tell the queued ones they were refused
 * (run(NULL, arg)), and join the threads (idempotent; one caller). */
void http_readers_drain(http_server *s);
/* After http_readers_drain: close the engines. */
void http_readers_close(http_server *s);
/* ---- provided by static.c: the web console ---- */
/* GET/HEAD of a console file: fills res and returns 1; 0 when the path is not one. */
int http_static_serve(http_request *req, http_response *res);
/* A regular file (not a symlink, at most 4 MiB) read whole and NUL-terminated, or NULL. */
char *http_read_file(const char *file, size_t *len);

/* ---- provided by the auth modules ---- */
/* A signed institution request (sign.c): fills req->caller or a refusal. */
gj_err http_auth_signed(http_request *req, gj_status *st);
/* Before it, on the HTTP thread: whether the signature headers are well-formed and the
 * timestamp within the window (the checks that need no store; false: http_auth_signed will
 * refuse, unless the clock moved the timestamp into the window meanwhile), and
 * req->body_sha256_hex when the scheme covers the body (http_auth_signed computes it itself if
 * this did not). */
bool http_sign_prepare(http_request *req);
/* A bearer token (auth.c): fills req->caller (person or staff) or a refusal. */
gj_err http_auth_bearer(http_request *req, gj_status *st);

/* ---- provided by in_doubt.c: periodic in-doubt recovery (provinces on their own databases) ---- */
/* At start: end every in-doubt transaction, then attach the map to the writer engine and, with
 * in_doubt_check_s > 0, start a thread that ends those older than in_doubt_check_s that often. */
gj_err http_in_doubt_start(http_server *s, gj_status *st);
void http_in_doubt_stop(http_server *s);

/* ---- provided by idempotency.c: retries of REST writes (Idempotency-Key) ---- */
typedef struct {
    bool active;                             /* a first request with a key: remember its answer */
    char caller[GJ_REST_CALLER_MAX];
    char key[GJ_REST_KEY_MAX + 1];
    char request_hash[GJ_REST_HASH_HEX];
} http_idempotency;
/* Before an authenticated person's or operator's write runs: true when res is already the
 * answer (the first answer again for a retry, or a refusal of the key), false to run it. */
bool http_idempotency_begin(http_request *req, http_response *res, http_idempotency *idem);
/* After it ran: remember a 2xx answer with the request (a failure turns res into 500, which
 * fails the batch: nothing is kept). */
void http_idempotency_end(http_request *req, http_response *res, const http_idempotency *idem);

/* ---- provided by ops.c: metrics and the access log ---- */
void http_observe(const http_request *req, const http_response *res, double seconds);
void http_log_event(const char *event, const char *detail);

#endif
