/* rest_request.c — REST writes remembered by their Idempotency-Key (schema 14, docs/api.md
 * "Retries"): one stored answer per (caller, key) with a hash of the request, so that gongjid
 * answers a retry with the first answer and changes nothing (src/http/idempotency.c). Only
 * answers that changed something are stored; a refusal changed nothing and a retry of it is
 * decided again. An answer is kept for retention_s seconds (gongjid's idempotency_retention_s):
 * after that it is not found, a retry with its key is a new request, and the next answer
 * remembered prunes it (prune.c, as used nonces and sessions are pruned). */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/hex.h"
#include "gongji/sha256.h"
#include "gongji/strcopy.h"
#include "engine_internal.h"

_Static_assert((int)GJ_REST_HASH_HEX == (int)GJ_HASH_HEX, "a request hash is a SHA-256 in hex");

void gj_rest_request_hash(const char *method, const char *path, const char *body, size_t body_len,
                          char out[GJ_REST_HASH_HEX]) {
    unsigned char md[GJ_SHA256_BYTES];
    EVP_MD_CTX *ctx = gj_sha256_begin();
    const char *parts[] = {method, path};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
        EVP_DigestUpdate(ctx, "\n", 1);   /* neither a method nor a path holds a newline */
    }
    if (body_len > 0) EVP_DigestUpdate(ctx, body, body_len);
    gj_sha256_end(ctx, md);
    gj_hex_encode(md, sizeof md, out);
}

/* Answers remembered at or before this moment are past retention_s: one remembered at `at` is
 * kept while at > now - retention_s. */
static gj_time forgotten_until(unsigned retention_s) {
    assert(retention_s > 0 && "an answer is kept at least the second it was given");
    return gj_now() - (gj_time)retention_s;
}

gj_err gj_rest_answer_load(gj_engine *e, const char *caller, const char *key, unsigned retention_s,
                           gj_rest_answer *out, gj_status *st) {
    gj_rows *rows = NULL;
    memset(out, 0, sizeof *out);
    gj_err err = gj_store_query(e->store, "SELECT request_hash, status, response FROM rest_request "
                                          "WHERE caller = $1 AND idem_key = $2 AND at > $3",
                                GJ_PARAMS(P_TEXT(caller), P_TEXT(key),
                                          P_INT(forgotten_until(retention_s))), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        out->found = true;
        gj_copy_text(out->request_hash, sizeof out->request_hash, gj_rows_text(rows, 0));
        out->status = (int)gj_rows_int(rows, 1);
        out->response = strdup(gj_rows_text(rows, 2));
        if (out->response == NULL) err = gj_fail(st, GJ_E_INTERNAL, "out of memory");
    } else {
        err = gj_rows_error(rows, st);
    }
    gj_rows_end(rows);
    return err;
}

gj_err gj_rest_answer_remember(gj_engine *e, const char *caller, const char *key,
                               const char *request_hash, int status, const char *response,
                               unsigned retention_s, gj_status *st) {
    assert(status >= 200 && status < 300 && "only answers that changed something are kept");
    gj_err err = gj_store_begin(e->store, st);
    if (err != GJ_E_OK) return err;
    err = eng_prune(e, ENG_PRUNE_REST_REQUEST, forgotten_until(retention_s), st);   /* this key's too */
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "INSERT INTO rest_request (caller, idem_key, request_hash, "
                                      "status, response, at) VALUES ($1, $2, $3, $4, $5, $6)",
                            GJ_PARAMS(P_TEXT(caller), P_TEXT(key), P_TEXT(request_hash),
                                      P_INT(status), P_TEXT(response), P_INT(gj_now())), NULL, st);
    if (err != GJ_E_OK) {
        gj_store_rollback(e->store);
        return err;
    }
    return gj_store_commit(e->store, st);
}

void gj_rest_answer_free(gj_rest_answer *a) {
    free(a->response);
    a->response = NULL;
}
