/* sign.c — signed national-interface requests (server.h: http_auth_signed), two schemes:
 *   x-tif-paasid, x-tif-timestamp, x-tif-nonce, x-tif-signature (Guangdong gateway style):
 *     signature = hex SHA-256(timestamp + secret + nonce + timestamp); the body is not covered;
 *   x-gj-key, x-gj-timestamp, x-gj-nonce, x-gj-signature (recommended):
 *     signature = hex HMAC-SHA256(secret, timestamp "\n" nonce "\n" METHOD "\n" PATH "\n"
 *                                 hex SHA-256(body)).
 * The timestamp (Unix seconds) must lie within signature_window_s of the server's clock; the
 * key is at most 64 and the nonce 16..64 of [A-Za-z0-9_-]; the nonce is used once (recorded
 * only after the signature checks, so nobody can burn an institution's nonces). Signatures compare in constant time. A refusal says
 * only "signature", "timestamp" or "nonce reused" (the server answers 401). Runs before the
 * handler, on the writer (the credential and the nonce need the store); the body's hash is made
 * earlier on the request's HTTP thread (http_sign_prepare). docs/nhsa.md, "Signing". */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/access.h"
#include "gongji/signature.h"
#include "server.h"

enum { SIG_HEX = GJ_SIGNATURE_HEX, NONCE_MIN = 16, NONCE_MAX = 64, TIMESTAMP_DIGITS_MAX = 12, KEY_MAX = 64 };

typedef struct {
    gj_sig_scheme scheme;
    const char *key, *timestamp, *nonce, *signature;
} signed_headers;

static gj_err refuse(gj_status *st, const char *what) { return gj_fail(st, GJ_E_FORBIDDEN, "%s", what); }

/* Only [A-Za-z0-9_-]: a nonce, and a key before it reaches the store (PostgreSQL refuses text
 * that is not UTF-8 with an error, which failed the whole batch of writes it ran in). */
static bool token_text(const char *s) {
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(s);
}

static gj_err read_headers(http_request *req, signed_headers *h, gj_status *st) {
    h->scheme = http_header(req, gj_signature_headers(GJ_SIG_HMAC)[0]) != NULL ? GJ_SIG_HMAC : GJ_SIG_TIF;
    const char *const *names = gj_signature_headers(h->scheme);
    h->key = http_header(req, names[0]);
    h->timestamp = http_header(req, names[1]);
    h->nonce = http_header(req, names[2]);
    h->signature = http_header(req, names[3]);
    if (!h->key || !h->timestamp || !h->nonce || !h->signature || strlen(h->key) > KEY_MAX ||
        !token_text(h->key))
        return refuse(st, "signature");
    size_t n = strlen(h->nonce);
    if (n < NONCE_MIN || n > NONCE_MAX || !token_text(h->nonce)) return refuse(st, "signature");
    return GJ_E_OK;
}

static gj_err check_timestamp(const char *text, unsigned window_s, gj_status *st) {
    size_t n = strlen(text);
    if (n == 0 || n > TIMESTAMP_DIGITS_MAX || strspn(text, "0123456789") != n) return refuse(st, "timestamp");
    long long delta = strtoll(text, NULL, 10) - gj_unix_now();
    return delta > (long long)window_s || -delta > (long long)window_s ? refuse(st, "timestamp") : GJ_E_OK;
}


bool http_sign_prepare(http_request *req) {
    signed_headers h;
    gj_status ignored;
    if (read_headers(req, &h, &ignored) != GJ_E_OK ||
        check_timestamp(h.timestamp, req->server->config.signature_window_s, &ignored) != GJ_E_OK)
        return false;
    if (h.scheme == GJ_SIG_HMAC) gj_signature_body_hash(req->body, req->body_len, req->body_sha256_hex);
    return true;
}

/* The signature the headers should carry, as lowercase hex. */
static void expected_signature(http_request *req, const signed_headers *h, const char *secret,
                               char out[SIG_HEX + 1]) {
    if (h->scheme == GJ_SIG_HMAC && req->body_sha256_hex[0] == '\0')
        gj_signature_body_hash(req->body, req->body_len, req->body_sha256_hex);
    gj_signature_hashed(h->scheme, secret, h->timestamp, h->nonce, req->method, req->path,
                        req->body_sha256_hex, out);
}

/* Constant-time comparison of the given signature (either case) with the expected one. */
static bool signature_matches(const char *given, const char *expected) {
    char lower[SIG_HEX + 1] = "";
    if (strlen(given) != SIG_HEX) return false;
    for (int i = 0; i < SIG_HEX; i++)
        lower[i] = (char)(given[i] >= 'A' && given[i] <= 'F' ? given[i] - 'A' + 'a' : given[i]);
    return CRYPTO_memcmp(lower, expected, SIG_HEX) == 0;
}

/* On the request's engine (the writer for a POST): the credential, the signature, then the nonce. */
static gj_err verify(http_request *req, const signed_headers *h, char code[HTTP_SUBJECT_MAX],
                     gj_status *st) {
    char secret[GJ_SECRET_MAX] = "", expected[SIG_HEX + 1];
    gj_status lookup;
    gj_err err = gj_institution_secret(http_engine(req), h->key, code, HTTP_SUBJECT_MAX, secret,
                                       sizeof secret, &lookup);
    if (err != GJ_E_OK && err != GJ_E_NOT_FOUND) {
        *st = lookup;
        return err;
    }
    bool known = err == GJ_E_OK;
    expected_signature(req, h, known ? secret : "unknown-credential", expected);   /* same work either way */
    OPENSSL_cleanse(secret, sizeof secret);
    if (!signature_matches(h->signature, expected) || !known) return refuse(st, "signature");
    err = gj_nonce_use(http_engine(req), h->key, h->nonce, gj_now(), req->server->config.signature_window_s, st);
    return err == GJ_E_DUPLICATE ? refuse(st, "nonce reused") : err;
}

gj_err http_auth_signed(http_request *req, gj_status *st) {
    signed_headers h;
    char code[HTTP_SUBJECT_MAX] = "";
    gj_err err = read_headers(req, &h, st);
    if (err == GJ_E_OK) err = check_timestamp(h.timestamp, req->server->config.signature_window_s, st);
    if (err != GJ_E_OK) return err;
    err = verify(req, &h, code, st);
    if (err != GJ_E_OK) return err;
    req->caller.kind = HTTP_INSTITUTION;
    req->caller.role = 0;
    snprintf(req->caller.subject, sizeof req->caller.subject, "%s", code);
    return GJ_E_OK;
}
