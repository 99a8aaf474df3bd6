/* access_internal.h — what access.c (operators, sessions) and access_verify.c (identity
 * verification of insured people) share: random hex, constant-time comparison, opening a
 * session. Private to src/engine. */
#ifndef GONGJI_ACCESS_INTERNAL_H
#define GONGJI_ACCESS_INTERNAL_H

#include <stdbool.h>

#include "engine_internal.h"
#include "gongji/access.h"

enum {
    ACCESS_RANDOM_MAX = 32,     /* most random bytes drawn at once */
    ACCESS_TOKEN_BYTES = 32,    /* bearer token: 64 hex characters */
    ACCESS_SUBJECT_MAX = 64,
};

/* `bytes` random bytes (≤ ACCESS_RANDOM_MAX) from OpenSSL as lowercase hex. */
gj_err access_random_hex(size_t bytes, char *out, size_t out_len, gj_status *st);
/* Equal strings, compared in time independent of where they differ. */
bool access_equal(const char *a, const char *b);
/* Inside a transaction: a new session (kind "person" | "staff"), expired ones removed.
 * *out = {token, expires_at}; the token is stored only as its SHA-256. */
gj_err access_session_open(gj_engine *e, const char *kind, const char *subject, const char *role,
                           const char *verification_id, unsigned ttl_s, json_t **out,
                           gj_status *st);

#endif
