/* sha256.c — the SHA-256 algorithm, fetched from OpenSSL once per process, and a digest context
 * per thread. OpenSSL 3 fetches the algorithm behind EVP_sha256() again in every
 * EVP_DigestInit_ex and EVP_Digest (a lookup in the provider's method store under a lock, ~12 k
 * instructions: 1.5 % of a simulated year, callgrind); an algorithm fetched explicitly with
 * EVP_MD_fetch is used as it is. A context initialised again with the same algorithm keeps its
 * provider state, so a digest costs no allocation. Each thread has GJ_SHA256_OPEN_MAX contexts:
 * a ledger digest stays open through a command while the journal's hashes are taken. */
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "gongji/sha256.h"

typedef struct {
    EVP_MD_CTX *ctx[GJ_SHA256_OPEN_MAX];
    bool busy[GJ_SHA256_OPEN_MAX];
} thread_digest;

static pthread_once_t sha256_fetched = PTHREAD_ONCE_INIT;
static EVP_MD *sha256_md;   /* NULL if the fetch failed: then EVP_sha256() as before */
static pthread_key_t digest_key;
static bool digest_key_made;

/* The thread's context, when the thread ends (pthread key destructor). */
static void free_thread_digest(void *p) {
    thread_digest *d = p;
    for (int i = 0; i < GJ_SHA256_OPEN_MAX; i++) EVP_MD_CTX_free(d->ctx[i]);
    free(d);
}

/* Once per process: the algorithm and the key of the per-thread contexts. */
static void fetch_sha256(void) {
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    digest_key_made = pthread_key_create(&digest_key, free_thread_digest) == 0;
}

const EVP_MD *gj_sha256(void) {
    pthread_once(&sha256_fetched, fetch_sha256);
    return sha256_md != NULL ? sha256_md : EVP_sha256();
}

/* This thread's context, made on first use; NULL when memory runs out. */
static thread_digest *this_thread_digest(void) {
    thread_digest *d = pthread_getspecific(digest_key);
    if (d != NULL) return d;
    d = calloc(1, sizeof *d);
    bool made = d != NULL;
    for (int i = 0; made && i < GJ_SHA256_OPEN_MAX; i++) made = (d->ctx[i] = EVP_MD_CTX_new()) != NULL;
    if (!made || pthread_setspecific(digest_key, d) != 0) {
        if (d != NULL) free_thread_digest(d);
        return NULL;
    }
    return d;
}

/* A wrong digest would break the journal's chain or a signature check: stop instead. */
static _Noreturn void digest_failure(const char *why) {
    fprintf(stderr, "gongji: SHA-256: %s\n", why);
    abort();
}

EVP_MD_CTX *gj_sha256_begin(void) {
    const EVP_MD *md = gj_sha256();
    thread_digest *d = digest_key_made ? this_thread_digest() : NULL;
    if (d == NULL) digest_failure("no context (out of memory)");
    int free_slot = 0;
    while (free_slot < GJ_SHA256_OPEN_MAX && d->busy[free_slot]) free_slot++;
    if (free_slot == GJ_SHA256_OPEN_MAX) digest_failure("more than GJ_SHA256_OPEN_MAX digests open on one thread");
    if (EVP_DigestInit_ex(d->ctx[free_slot], md, NULL) != 1) digest_failure("initialisation failed");
    d->busy[free_slot] = true;
    return d->ctx[free_slot];
}

void gj_sha256_end(EVP_MD_CTX *ctx, unsigned char md[GJ_SHA256_BYTES]) {
    thread_digest *d = pthread_getspecific(digest_key);
    assert(d != NULL);
    int slot = 0;
    while (slot < GJ_SHA256_OPEN_MAX && d->ctx[slot] != ctx) slot++;
    assert(slot < GJ_SHA256_OPEN_MAX && d->busy[slot]);
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    assert(len == GJ_SHA256_BYTES);
    d->busy[slot] = false;
}
