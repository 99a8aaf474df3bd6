/* sha256.h — the SHA-256 algorithm for OpenSSL's EVP calls, fetched once per process. */
#ifndef GONGJI_SHA256_H
#define GONGJI_SHA256_H

#include <openssl/evp.h>

/* SHA-256, to pass wherever EVP_sha256() would go (EVP_DigestInit_ex, EVP_Digest, HMAC,
 * PKCS5_PBKDF2_HMAC). Thread-safe; never freed (it lives as long as the process). */
const EVP_MD *gj_sha256(void);

#endif
