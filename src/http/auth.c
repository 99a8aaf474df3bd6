/* auth.c — bearer tokens (server.h: http_auth_bearer): "Authorization: Bearer <token>" is
 * resolved through the engine's sessions (access.h) to an insured person (subject psn_no) or
 * an agency operator (subject operator_id, one role bit). A missing, unknown or expired token
 * is refused; the server answers 401. Runs before the handler, so it takes the engine lock. */
#include <string.h>
#include <strings.h>

#include "api.h"
#include "server.h"

enum { SESSION_KIND_MAX = 16 };

const char *api_bearer_token(http_request *req) {
    static const char scheme[] = "Bearer ";
    const char *h = http_header(req, "Authorization");
    if (h == NULL || strncasecmp(h, scheme, sizeof scheme - 1) != 0) return NULL;
    h += sizeof scheme - 1;
    h += strspn(h, " ");
    return *h != '\0' ? h : NULL;
}

static unsigned role_bit(const char *role) {
    static const struct {
        const char *name;
        http_role bit;
    } roles[] = {{"clerk", ROLE_CLERK}, {"reviewer", ROLE_REVIEWER}, {"auditor", ROLE_AUDITOR},
                 {"admin", ROLE_ADMIN}};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(role, roles[i].name) == 0) return roles[i].bit;
    return 0;
}

gj_err http_auth_bearer(http_request *req, gj_status *st) {
    char kind[SESSION_KIND_MAX], subject[HTTP_SUBJECT_MAX], role[GJ_ROLE_MAX];
    const char *token = api_bearer_token(req);
    if (token == NULL)
        return gj_fail(st, GJ_E_FORBIDDEN, "Authorization: Bearer <token> required: sign in first");
    gj_err err = gj_session_lookup(http_engine(req), token, kind, sizeof kind, subject,
                                   sizeof subject, role, sizeof role, st);
    if (err != GJ_E_OK) return err;
    bool person = strcmp(kind, "person") == 0;
    unsigned bit = person ? 0 : role_bit(role);
    if (!person && (strcmp(kind, "staff") != 0 || bit == 0))
        return gj_fail(st, GJ_E_FORBIDDEN, "session of an unknown kind or role");
    req->caller.kind = person ? HTTP_PERSON : HTTP_STAFF;
    req->caller.role = bit;
    memcpy(req->caller.subject, subject, sizeof req->caller.subject);
    return GJ_E_OK;
}
