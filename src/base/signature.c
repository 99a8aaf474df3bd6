/* signature.c — request signatures of the national interface (signature.h): the Guangdong
 * gateway style x-tif-* digest and the gongji HMAC-SHA256 x-gj-* scheme, and the Unix clock
 * both the server and `gongji sign` use for timestamps. */
#include "gongji/hex.h"
#include "gongji/sha256.h"
#include "gongji/signature.h"

#include <assert.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gongji/gjtime.h"

enum { SHA256_BYTES = 32 };

static const char *const tif_names[] = {"x-tif-paasid", "x-tif-timestamp", "x-tif-nonce", "x-tif-signature"};
static const char *const hmac_names[] = {"x-gj-key", "x-gj-timestamp", "x-gj-nonce", "x-gj-signature"};

const char *const *gj_signature_headers(gj_sig_scheme scheme) {
    return scheme == GJ_SIG_HMAC ? hmac_names : tif_names;
}

void gj_signature_body_hash(const char *body, size_t body_len, char out[GJ_SIGNATURE_HEX + 1]) {
    unsigned char md[SHA256_BYTES] = {0};
    unsigned int md_len = 0;
    assert(body != NULL || body_len == 0);
    EVP_Digest(body ? body : "", body_len, md, &md_len, gj_sha256(), NULL);
    gj_hex_encode(md, SHA256_BYTES, out);
}

int gj_signature_hashed(gj_sig_scheme scheme, const char *secret, const char *timestamp,
                        const char *nonce, const char *method, const char *path,
                        const char *body_sha256_hex, char out[GJ_SIGNATURE_HEX + 1]) {
    assert(secret != NULL && timestamp != NULL && nonce != NULL);
    unsigned char md[SHA256_BYTES] = {0};
    unsigned int md_len = 0;
    char *text = NULL;
    int len;
    if (scheme == GJ_SIG_HMAC) {
        assert(method != NULL && path != NULL && body_sha256_hex != NULL);
        assert(strlen(body_sha256_hex) == GJ_SIGNATURE_HEX);
        len = asprintf(&text, "%s\n%s\n%s\n%s\n%s", timestamp, nonce, method, path, body_sha256_hex);
        if (len >= 0)
            HMAC(gj_sha256(), secret, (int)strlen(secret), (const unsigned char *)text, (size_t)len,
                 md, &md_len);
    } else {
        len = asprintf(&text, "%s%s%s%s", timestamp, secret, nonce, timestamp);
        if (len >= 0) EVP_Digest(text, (size_t)len, md, &md_len, gj_sha256(), NULL);
    }
    if (len < 0) {
        memset(out, 0, GJ_SIGNATURE_HEX + 1);
        return -1;
    }
    OPENSSL_cleanse(text, (size_t)len);
    free(text);
    gj_hex_encode(md, SHA256_BYTES, out);
    return 0;
}

int gj_signature(gj_sig_scheme scheme, const char *secret, const char *timestamp, const char *nonce,
                 const char *method, const char *path, const char *body, size_t body_len,
                 char out[GJ_SIGNATURE_HEX + 1]) {
    char body_hash[GJ_SIGNATURE_HEX + 1] = "";
    if (scheme == GJ_SIG_HMAC) gj_signature_body_hash(body, body_len, body_hash);
    return gj_signature_hashed(scheme, secret, timestamp, nonce, method, path, body_hash, out);
}

long long gj_unix_now(void) {
    time_t t = time(NULL);
    struct tm local;
    long offset = localtime_r(&t, &local) != NULL ? local.tm_gmtoff : 0;
    return (long long)gj_now() - offset;
}
