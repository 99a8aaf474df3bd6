/* sign.c — signed national-interface requests (server.h: http_auth_signed), two schemes:
 *   x-tif-paasid, x-tif-timestamp, x-tif-nonce, x-tif-signature (Guangdong gateway style):
 *     signature = hex SHA-256(timestamp + secret + nonce + timestamp); the body is not covered;
 *   x-gj-key, x-gj-timestamp, x-gj-nonce, x-gj-signature (recommended):
 *     signature = hex HMAC-SHA256(secret, timestamp "\n" nonce "\n" METHOD "\n" PATH "\n"
 *                                 hex SHA-256(body)).
 * The timestamp (Unix seconds) must lie within signature_window_s of the server's clock; the
 * nonce is 16..64 of [A-Za-z0-9_-] and used once (recorded only after the signature checks, so
 * nobody can burn an institution's nonces). Signatures compare in constant time. A refusal says
 * only "signature", "timestamp" or "nonce reused" (the server answers 401). Runs before the
 * handler, so it takes the engine lock around engine calls. docs/nhsa.md, "Signing". */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gongji/access.h"
#include "server.h"

enum { SHA256_BYTES = 32, SIG_HEX = 2 * SHA256_BYTES, NONCE_MIN = 16, NONCE_MAX = 64,
       TIMESTAMP_DIGITS_MAX = 12, KEY_MAX = 64 };

typedef struct {
    bool hmac;
    const char *key, *timestamp, *nonce, *signature;
} signed_headers;

static const char *const tif_names[] = {"x-tif-paasid", "x-tif-timestamp", "x-tif-nonce", "x-tif-signature"};
static const char *const hmac_names[] = {"x-gj-key", "x-gj-timestamp", "x-gj-nonce", "x-gj-signature"};

static void to_hex(const unsigned char *raw, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

static void sha256_hex_of(const void *data, size_t len, char out[SIG_HEX + 1]) {
    unsigned char md[SHA256_BYTES];
    unsigned int md_len = 0;
    EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL);
    to_hex(md, SHA256_BYTES, out);
}

static gj_err refuse(gj_status *st, const char *what) { return gj_fail(st, GJ_E_FORBIDDEN, "%s", what); }

static gj_err read_headers(http_request *req, signed_headers *h, gj_status *st) {
    h->hmac = http_header(req, hmac_names[0]) != NULL;
    const char *const *names = h->hmac ? hmac_names : tif_names;
    h->key = http_header(req, names[0]);
    h->timestamp = http_header(req, names[1]);
    h->nonce = http_header(req, names[2]);
    h->signature = http_header(req, names[3]);
    if (!h->key || !h->timestamp || !h->nonce || !h->signature || strlen(h->key) > KEY_MAX)
        return refuse(st, "signature");
    size_t n = strlen(h->nonce);
    if (n < NONCE_MIN || n > NONCE_MAX ||
        strspn(h->nonce, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n)
        return refuse(st, "signature");
    return GJ_E_OK;
}

/* The server's clock as Unix seconds (gj_now() is local time, possibly fixed for tests). */
static long long unix_now(void) {
    time_t t = time(NULL);
    struct tm local;
    long offset = localtime_r(&t, &local) != NULL ? local.tm_gmtoff : 0;
    return (long long)gj_now() - offset;
}

static gj_err check_timestamp(const char *text, unsigned window_s, gj_status *st) {
    size_t n = strlen(text);
    if (n == 0 || n > TIMESTAMP_DIGITS_MAX || strspn(text, "0123456789") != n) return refuse(st, "timestamp");
    long long delta = strtoll(text, NULL, 10) - unix_now();
    return delta > (long long)window_s || -delta > (long long)window_s ? refuse(st, "timestamp") : GJ_E_OK;
}

/* The signature the headers should carry, as lowercase hex. */
static void expected_signature(const http_request *req, const signed_headers *h, const char *secret,
                               char out[SIG_HEX + 1]) {
    char body_hash[SIG_HEX + 1], *text = NULL;
    unsigned char md[SHA256_BYTES] = {0};
    unsigned int md_len = 0;
    int len;
    if (h->hmac) {
        sha256_hex_of(req->body, req->body_len, body_hash);
        len = asprintf(&text, "%s\n%s\n%s\n%s\n%s", h->timestamp, h->nonce, req->method, req->path,
                       body_hash);
        if (len >= 0)
            HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)text, (size_t)len,
                 md, &md_len);
    } else {
        len = asprintf(&text, "%s%s%s%s", h->timestamp, secret, h->nonce, h->timestamp);
        if (len >= 0) EVP_Digest(text, (size_t)len, md, &md_len, EVP_sha256(), NULL);
    }
    if (len >= 0) {
        OPENSSL_cleanse(text, (size_t)len);
        free(text);
    }
    to_hex(md, SHA256_BYTES, out);
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
