/* prune.c — rows kept for a while, then forgotten: used nonces (the signature window), sessions,
 * verification codes and the answers remembered by Idempotency-Key. One mechanism for all: a
 * table is pruned inside the transaction that writes a new row to it, so it holds about what
 * its window admits, with no timer of its own; lookups ignore rows past their time themselves
 * (such a row may outlive its time until the next write prunes it). A connection remembers how
 * far it pruned each table (the store's fact memo, which forgets it when that transaction rolls
 * back) and does not prune again to the same point: gj_time counts seconds, so a busy table is
 * pruned once a second, not once a row (a settlement's nonce was a DELETE each). Rows written
 * within that second lie after the point (their time is now, the point now minus a window), so
 * nothing is missed. Only the very same point is skipped, not an earlier one: after the wall
 * clock steps back (NTP, a test's fixed clock), rows are written at times before the last point,
 * and the next prune must still reach them (found in review: an Idempotency-Key taken again once
 * expired hit its old row's primary key). */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine_internal.h"

/* Each kind's rows whose time column lies at or before $1. Whole statements, not built from
 * names, so that each is prepared once and no name reaches SQL at run time. */
static const char *const prune_sql[ENG_PRUNE_KINDS] = {
    [ENG_PRUNE_USED_NONCE] = "DELETE FROM used_nonce WHERE at <= $1",
    [ENG_PRUNE_SESSION] = "DELETE FROM session WHERE expires_at <= $1",
    [ENG_PRUNE_VERIFICATION] = "DELETE FROM verification WHERE expires_at <= $1",
    [ENG_PRUNE_REST_REQUEST] = "DELETE FROM rest_request WHERE at <= $1",
};

enum { PRUNED_KEY_MAX = 24, PRUNED_VALUE_MAX = 24 };

/* Whether this connection's last prune of `kind` went exactly up to `until` (memo key in key[]). */
static bool pruned_already(const gj_engine *e, eng_prune_kind kind, gj_time until,
                           char key[PRUNED_KEY_MAX]) {
    const char *done = NULL;
    snprintf(key, PRUNED_KEY_MAX, "pruned:%d", (int)kind);
    return gj_store_fact_get(e->store, key, &done) && strtoll(done, NULL, 10) == (long long)until;
}

gj_err eng_prune(gj_engine *e, eng_prune_kind kind, gj_time until, gj_status *st) {
    assert(kind >= 0 && kind < ENG_PRUNE_KINDS && prune_sql[kind] != NULL);
    char key[PRUNED_KEY_MAX], value[PRUNED_VALUE_MAX];
    if (pruned_already(e, kind, until, key)) return GJ_E_OK;
    gj_err err = gj_store_exec(e->store, prune_sql[kind], GJ_PARAMS(P_INT(until)), NULL, st);
    snprintf(value, sizeof value, "%lld", (long long)until);
    if (err == GJ_E_OK) gj_store_fact_put(e->store, key, value);
    return err;
}
