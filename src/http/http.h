/* http.h — gongjid's request handling contract: a request (method, path, headers, body, the
 * authenticated caller), a JSON response, and route tables that each API file contributes.
 *
 * Handlers run with an engine of their own (http_engine): requests that may write run on the
 * write pipeline's thread inside a group-commit batch and are answered after the commit; GET
 * requests run on a read connection. Handlers must not block on anything else. Every handler answers; none may crash on any input. */
#ifndef GONGJI_HTTP_H
#define GONGJI_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "gongji/engine.h"

struct MHD_Connection;

enum {
    HTTP_BODY_MAX_BYTES = 1 << 20,      /* larger bodies: 413 */
    HTTP_PATH_PARAMS_MAX = 4,
    HTTP_REQUEST_ID_MAX = 24,
    HTTP_SUBJECT_MAX = 40,
    HTTP_ALLOW_MAX = 40,                /* "GET, POST, PUT, PATCH, DELETE" and its NUL */
};

/* Who is calling, once authentication has run. */
typedef enum {
    HTTP_ANONYMOUS,
    HTTP_INSTITUTION,   /* signed national-interface request: subject = fixmedins_code */
    HTTP_PERSON,        /* insured person's bearer token: subject = psn_no */
    HTTP_STAFF,         /* operator's bearer token: subject = operator_id, role set */
} http_caller_kind;

/* Staff roles, as bits so a route can allow several. */
typedef enum {
    ROLE_CLERK = 1,       /* window clerk: files applications, looks people up */
    ROLE_REVIEWER = 2,    /* reviews applications, freezes, recovers */
    ROLE_AUDITOR = 4,     /* reads reconciliation, journal, verify */
    ROLE_ADMIN = 8,       /* operators, institutions, imports, policies */
} http_role;

typedef struct {
    http_caller_kind kind;
    char subject[HTTP_SUBJECT_MAX];
    unsigned role;                    /* staff only: one http_role bit */
} http_caller;

typedef struct http_server http_server;

typedef struct {
    http_server *server;
    gj_engine *engine;                /* the engine this request runs on (writer or a reader) */
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *route;                /* matched pattern (logged instead of the path) or NULL */
    const char *body;                 /* NUL-terminated; body_len bytes */
    size_t body_len;
    const char *params[HTTP_PATH_PARAMS_MAX];   /* {name} segments of the route pattern */
    int param_count;
    char request_id[HTTP_REQUEST_ID_MAX];
    http_caller caller;
    char infno[8];                    /* national interface: set by the handler, for metrics */
    /* Set before the request reaches the writer, on its HTTP thread (server.c, dispatch): */
    char body_sha256_hex[65];         /* signed routes: the body's hex SHA-256, or "" */
    void *prepared;                   /* the route's prepare: what its handler reads, or NULL */
    void (*prepared_free)(void *prepared);
} http_request;

typedef struct {
    int status;
    json_t *json;                     /* owned; NULL when raw is set */
    char *raw;                        /* owned (malloc) body: a file, or JSON text (http_reply_text) */
    size_t raw_len;
    const char *content_type;         /* for raw */
    const char *cache_control;        /* NULL: no-store */
    const char *allow;                /* a 405's Allow header (static or the request's), or NULL */
} http_response;

/* What a route requires of its caller. */
typedef enum {
    AUTH_PUBLIC,        /* anyone */
    AUTH_SIGNED,        /* an institution's valid signature */
    AUTH_PERSON,        /* an insured person's token */
    AUTH_STAFF,         /* an operator's token with one of route.roles */
    AUTH_PERSON_OR_STAFF,
} http_auth;

typedef void (*http_handler)(http_request *req, http_response *res);
/* Work of a route that needs no store, run on the request's HTTP thread before its handler goes
 * to the one writer: leaves req->prepared (and req->prepared_free, which the server calls after
 * the answer). May leave NULL when memory runs out; the handler then refuses. */
typedef void (*http_prepare)(http_request *req);
/* A write route's step that only reads but costs (a staff password's PBKDF2), run on a reader
 * before the handler goes to the one writer, so that the writer never waits for it: true when
 * the request goes on (leaving req->prepared and req->prepared_free for the handler), false
 * when it answered in res (a refusal). AUTH_PUBLIC routes only. Without readers (a memory
 * store) it is not run, and the handler does all of it on the writer. */
typedef bool (*http_check)(http_request *req, http_response *res);

typedef struct {
    const char *method;
    const char *pattern;              /* "/api/v1/bindings/{id}/accept" */
    http_auth auth;
    unsigned roles;                   /* for AUTH_STAFF / AUTH_PERSON_OR_STAFF */
    http_handler handler;
    const char *summary;
    http_prepare prepare;             /* NULL for none */
    http_check check;                 /* NULL for none */
} http_route;

/* Route tables contributed by the API files, each ending with a {NULL} entry. */
extern const http_route http_ops_routes[];
extern const http_route http_nhsa_routes[];
extern const http_route http_app_routes[];
extern const http_route http_staff_routes[];
extern const http_route http_staff_sim_routes[];   /* staff_sim.c */
extern const http_route http_staff_regions_routes[];   /* staff_regions.c */
extern const http_route http_app_regions_routes[];     /* app_regions.c */

/* ---- helpers for handlers ---- */
gj_engine *http_engine(http_request *req);
const char *http_header(http_request *req, const char *name);   /* NULL if absent */
const char *http_query(http_request *req, const char *name);    /* NULL if absent */
/* JSON answers. */
void http_reply(http_response *res, int status, json_t *json);
/* A JSON answer already encoded (owned, malloc'd; NULL: an empty body). */
void http_reply_text(http_response *res, int status, char *json_text);
/* A refusal: status from the code (400 bad input, 403 forbidden, 404 not found, 409/422
 * refused by a rule, 500 store), body {"error": {code, rule, message_zh, message_en, detail}}. */
void http_refuse(http_response *res, const gj_status *st);
void http_error(http_response *res, int status, gj_err code, const char *detail);
/* The engine actor for this caller ({subject, channel}). */
gj_actor http_actor(const http_request *req);

#endif
