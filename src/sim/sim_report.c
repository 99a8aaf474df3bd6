/* sim_report.c — assembling the simulation report: its format, the git revision it was built
 * from (GJ_GIT_REVISION: `git rev-parse --short HEAD` at build time, "-dirty" when tracked files
 * differed from it; cmake/revision.cmake), the year, the
 * population and its parameters, the shards it ran in, every policy with its version ids, verify result and results,
 * and the differences of every later policy with the first (numbers and yuan amounts). Nothing
 * in it depends on the time or the machine, so the same inputs give the same bytes. */
#include <string.h>

#include "gj_revision.h"
#include "gongji/jsonx.h"
#include "sim_internal.h"

static json_t *diff_value(const json_t *a, const json_t *b, bool money);

static json_t *diff_object(const json_t *a, const json_t *b) {
    json_t *out = json_object();
    const char *key;
    json_t *v;
    for (int side = 0; side < 2; side++) {
        json_object_foreach((json_t *)(side == 0 ? a : b), key, v) {
            if (json_object_get(out, key) != NULL) continue;
            size_t n = strlen(key);
            bool money = n > 5 && strcmp(key + n - 5, "_yuan") == 0;
            json_object_set_new(out, key, diff_value(json_object_get(a, key), json_object_get(b, key), money));
        }
    }
    return out;
}

static gj_fen fen_of(const json_t *v) {
    const char *text = json_string_value(v);
    gj_fen fen = 0;
    if (text == NULL || gj_money_parse(text, strlen(text), &fen) != GJ_E_OK) fen = 0;
    return fen;
}

/* b − a; a missing side counts as zero. */
static json_t *diff_value(const json_t *a, const json_t *b, bool money) {
    const json_t *shape = b != NULL ? b : a;
    if (json_is_object(shape)) return diff_object(a, b);
    if (json_is_array(shape)) {
        json_t *out = json_array();
        size_t n = json_array_size(a) > json_array_size(b) ? json_array_size(a) : json_array_size(b);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(out, diff_value(json_array_get(a, i), json_array_get(b, i), money));
        return out;
    }
    if (money || json_is_string(shape)) return gj_json_yuan(fen_of(b) - fen_of(a));
    return json_integer(json_integer_value(b) - json_integer_value(a));
}

static json_t *policy_json(const gj_sim_options *o, int i, json_t *versions, json_t *results) {
    json_t *r = json_deep_copy(results);
    json_t *verify = json_incref(json_object_get(r, "verify"));
    json_object_del(r, "verify");
    json_object_del(r, "error");
    char label[2] = {(char)('A' + i), '\0'};
    return json_pack("{s:s, s:s, s:O, s:o, s:o}", "label", label, "source", o->policies[i],
                     "version_ids", versions, "verify", verify ? verify : json_string("not run"),
                     "results", r);
}

static json_t *population_json(const gj_sim_options *o, const sim_population *pop, json_t *params) {
    json_t *regions = json_array();
    for (int r = 0; r < pop->region_count; r++) json_array_append_new(regions, json_string(pop->regions[r]));
    return json_pack("{s:s, s:I, s:I, s:I, s:o, s:O}", "source", o->population, "persons",
                     (json_int_t)pop->person_count, "families", (json_int_t)pop->family_count,
                     "events", (json_int_t)pop->events, "regions", regions, "parameters",
                     params != NULL ? params : json_null());
}

json_t *sim_report(const gj_sim_options *o, const sim_population *pop, const sim_shards *shards,
                   json_t *params, json_t *const *versions, json_t *const *results) {
    json_t *policies = json_array(), *differences = json_array();
    for (int i = 0; i < o->policy_count; i++)
        json_array_append_new(policies, policy_json(o, i, versions[i], results[i]));
    for (int i = 1; i < o->policy_count; i++) {
        json_t *a = json_object_get(json_array_get(policies, 0), "results");
        json_t *b = json_object_get(json_array_get(policies, (size_t)i), "results");
        char label[8];
        snprintf(label, sizeof label, "%c-A", 'A' + i);
        json_array_append_new(differences, json_pack("{s:s, s:o}", "label", label, "results",
                                                     diff_value(a, b, false)));
    }
    json_t *sharding = json_pack("{s:I, s:i, s:s}", "insured_per_shard", (json_int_t)shards->insured,
                                 "shards", shards->count, "store", shards->memory ? "memory" : "disk");
    return json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o}", "format", "gongji-simulation/1",
                     "git_revision", GJ_GIT_REVISION, "year", o->year, "population",
                     population_json(o, pop, params), "sharding", sharding, "policies", policies,
                     "differences", differences);
}
