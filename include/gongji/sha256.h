/* sha256.h — the SHA-256 algorithm for OpenSSL's EVP calls, fetched once per process, and a
 * digest context kept per thread. */
#ifndef GONGJI_SHA256_H
#define GONGJI_SHA256_H

#include <openssl/evp.h>

/* GJ_SHA256_OPEN_MAX: digests open at once on one thread (gj_sha256_begin). */
enum { GJ_SHA256_BYTES = 32, GJ_SHA256_OPEN_MAX = 2 };

/* SHA-256, to pass wherever EVP_sha256() would go (EVP_DigestInit_ex, EVP_Digest, HMAC,
 * PKCS5_PBKDF2_HMAC). Thread-safe; never freed (it lives as long as the process). */
const EVP_MD *gj_sha256(void);

/* A SHA-256 digest on one of this thread's contexts (allocated once per thread, freed when the
 * thread ends), for EVP_DigestUpdate calls between begin and end; at most GJ_SHA256_OPEN_MAX
 * open at once per thread (a ledger digest spans a command, a journal hash is taken inside
 * it). Never NULL: without memory for the contexts, or on one digest too many, the process
 * stops (a wrong digest would break the journal's chain). EVP_Digest and EVP_MD_CTX_new
 * allocate and free a context per digest (~3 k instructions). */
EVP_MD_CTX *gj_sha256_begin(void);
void gj_sha256_end(EVP_MD_CTX *ctx, unsigned char md[GJ_SHA256_BYTES]);

#endif
