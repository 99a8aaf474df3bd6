/* signature.h — the signatures of national-interface requests to gongjid (docs/nhsa.md,
 * "Signing"), computed in one place for the server that checks them (src/http/sign.c) and for
 * `gongji sign`, which prints the headers an institution sends. */
#ifndef GONGJI_SIGNATURE_H
#define GONGJI_SIGNATURE_H

#include <stddef.h>

enum { GJ_SIGNATURE_HEX = 64 };   /* SHA-256 / HMAC-SHA256 as lowercase hex */

typedef enum {
    GJ_SIG_TIF,    /* x-tif-*: SHA-256(timestamp + secret + nonce + timestamp); body not covered */
    GJ_SIG_HMAC,   /* x-gj-*: HMAC-SHA256(secret, ts \n nonce \n METHOD \n PATH \n hex SHA-256(body)) */
} gj_sig_scheme;

/* The four header names of a scheme: key (paasid), timestamp, nonce, signature. */
const char *const *gj_signature_headers(gj_sig_scheme scheme);

/* The signature a request must carry, lowercase hex, NUL-terminated in out. For GJ_SIG_TIF
 * method, path and body are ignored (may be NULL). Returns 0, or -1 when out of memory (out is
 * then all zeros, which matches no signature). */
int gj_signature(gj_sig_scheme scheme, const char *secret, const char *timestamp, const char *nonce,
                 const char *method, const char *path, const char *body, size_t body_len,
                 char out[GJ_SIGNATURE_HEX + 1]);

/* gj_signature in two steps, so that a server can hash the body on another thread than the
 * one that knows the secret: the body's hex SHA-256 (what GJ_SIG_HMAC covers), then the
 * signature from it (`body_sha256_hex` is ignored for GJ_SIG_TIF; same result and returns as
 * gj_signature). */
void gj_signature_body_hash(const char *body, size_t body_len, char out[GJ_SIGNATURE_HEX + 1]);
int gj_signature_hashed(gj_sig_scheme scheme, const char *secret, const char *timestamp,
                        const char *nonce, const char *method, const char *path,
                        const char *body_sha256_hex, char out[GJ_SIGNATURE_HEX + 1]);

/* The signing clock: gj_now() (local time, fixed by --now / GONGJI_NOW) as Unix seconds. */
long long gj_unix_now(void);

#endif
