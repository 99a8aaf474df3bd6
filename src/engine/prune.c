/* prune.c — rows kept for a while, then forgotten: used nonces (the signature window), sessions,
 * verification codes and the answers remembered by Idempotency-Key. One mechanism for all: a
 * table is pruned inside the transaction that writes a new row to it, so it holds about what
 * its window admits, with no timer of its own; lookups ignore rows past their time themselves
 * (such a row may outlive its time until the next write prunes it). */
#include <assert.h>

#include "engine_internal.h"

/* Each kind's rows whose time column lies at or before $1. Whole statements, not built from
 * names, so that each is prepared once and no name reaches SQL at run time. */
static const char *const prune_sql[ENG_PRUNE_KINDS] = {
    [ENG_PRUNE_USED_NONCE] = "DELETE FROM used_nonce WHERE at <= $1",
    [ENG_PRUNE_SESSION] = "DELETE FROM session WHERE expires_at <= $1",
    [ENG_PRUNE_VERIFICATION] = "DELETE FROM verification WHERE expires_at <= $1",
    [ENG_PRUNE_REST_REQUEST] = "DELETE FROM rest_request WHERE at <= $1",
};

gj_err eng_prune(gj_engine *e, eng_prune_kind kind, gj_time until, gj_status *st) {
    assert(kind >= 0 && kind < ENG_PRUNE_KINDS && prune_sql[kind] != NULL);
    return gj_store_exec(e->store, prune_sql[kind], GJ_PARAMS(P_INT(until)), NULL, st);
}
