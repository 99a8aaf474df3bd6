/* engine.c — opening and closing the engine, transactions, ids. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "xa_internal.h"

/* policy_dir NULL: borrow `policies`; else load them from policy_dir. */
static gj_err engine_open(const char *db_url, const char *policy_dir, gj_policy_set *policies, gj_engine **out,
                          gj_status *st) {
    assert((policy_dir == NULL) != (policies == NULL));
    gj_engine *e = calloc(1, sizeof *e);
    if (e == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    e->settle_facts = malloc(sizeof *e->settle_facts);
    e->settle_result = malloc(sizeof *e->settle_result);
    e->policies = policies;
    e->policies_borrowed = policies != NULL;
    gj_err err = e->settle_facts && e->settle_result ? GJ_E_OK : gj_fail(st, GJ_E_INTERNAL, "out of memory");
    if (err == GJ_E_OK && policy_dir != NULL) err = gj_policy_set_load(policy_dir, &e->policies, st);
    if (err == GJ_E_OK) err = gj_store_open(db_url, &e->store, st);
    if (err != GJ_E_OK) {
        gj_engine_close(e);
        return err;
    }
    *out = e;
    return GJ_E_OK;
}

gj_err gj_engine_open(const char *db_url, const char *policy_dir, gj_engine **out, gj_status *st) {
    return engine_open(db_url, policy_dir, NULL, out, st);
}

gj_err gj_engine_open_with(const char *db_url, gj_policy_set *policies, gj_engine **out, gj_status *st) {
    return engine_open(db_url, NULL, policies, out, st);
}

void gj_engine_close(gj_engine *e) {
    if (e == NULL) return;
    if (e->store != NULL) gj_store_set_coordinator(e->store, NULL);
    xa_free(e->xa);
    gj_store_close(e->store);
    if (!e->policies_borrowed) gj_policy_set_free(e->policies);
    free(e->settle_facts);
    free(e->settle_result);
    free(e);
}

gj_store *gj_engine_store(gj_engine *e) { return e->store; }
gj_policy_set *gj_engine_policies(gj_engine *e) { return e->policies; }

gj_err eng_begin(gj_engine *e, gj_status *st) { return gj_store_begin(e->store, st); }

gj_err eng_finish(gj_engine *e, gj_err err, gj_status *st) {
    if (err != GJ_E_OK) {
        gj_store_rollback(e->store);
        return err;
    }
    return gj_store_commit(e->store, st);
}

gj_err eng_new_id(gj_engine *e, const char *counter, const char *prefix, char *out, size_t len,
                  gj_status *st) {
    int64_t n = 0;
    gj_err err = gj_store_next_id(e->store, counter, &n, st);
    if (err == GJ_E_OK) snprintf(out, len, "%s%010lld", prefix, (long long)n);
    return err;
}
