/* sha256.c — the SHA-256 algorithm, fetched from OpenSSL once per process. OpenSSL 3 fetches
 * the algorithm behind EVP_sha256() again in every EVP_DigestInit_ex and EVP_Digest (a lookup
 * in the provider's method store under a lock, ~12 k instructions: 1.5 % of a simulated year,
 * callgrind); an algorithm fetched explicitly with EVP_MD_fetch is used as it is. */
#include <pthread.h>

#include "gongji/sha256.h"

static pthread_once_t sha256_fetched = PTHREAD_ONCE_INIT;
static EVP_MD *sha256_md;   /* NULL if the fetch failed: then EVP_sha256() as before */

static void fetch_sha256(void) {
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

const EVP_MD *gj_sha256(void) {
    pthread_once(&sha256_fetched, fetch_sha256);
    return sha256_md != NULL ? sha256_md : EVP_sha256();
}
