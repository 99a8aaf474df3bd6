/* sim_merge.c — one policy's results from its shards: families are independent, so the year's
 * counters are the exact sums of the shards' (every count and fen amount, per region, relation,
 * month and refusal code), and the books verify when every shard's do. */
#include <assert.h>
#include <stdlib.h>

#include "sim_internal.h"

/* "ok", the first failing shard's code, or NULL when a shard did not get to verify. */
static const char *verify_of(const sim_slot *slots, int count, int stride) {
    for (int k = 0; k < count; k++) {
        gj_err v = (gj_err)slots[(size_t)k * (size_t)stride].verified;
        if (v == GJ_E_COUNT_) return NULL;
        if (v != GJ_E_OK) return gj_err_name(v);
    }
    return "ok";
}

json_t *sim_merge(const sim_population *pop, const sim_slot *slots, int count, int stride) {
    assert(count >= 1 && stride >= 1);
    sim_stats *sum = calloc(1, sizeof *sum);
    bool ok = sum != NULL;
    for (int k = 0; ok && k < count; k++) ok = sim_stats_add(sum, &slots[(size_t)k * (size_t)stride].stats);
    json_t *out = ok ? sim_stats_json(sum, pop) : NULL;
    free(sum);
    const char *verify = verify_of(slots, count, stride);
    if (out != NULL && verify != NULL) json_object_set_new(out, "verify", json_string(verify));
    return out;
}
