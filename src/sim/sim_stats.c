/* sim_stats.c — the counters of one run and their JSON: every metric in total, per region and
 * per relation (the member's relation to their donor; "not_bound" for everyone else), refusals
 * per action and code (with the rule), and mutual aid per month. Amounts are fen inside and yuan
 * strings in the JSON. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "gongji/jsonx.h"
#include "sim_internal.h"

static const struct {
    const char *name;
    size_t offset;
    bool money;
} metrics[] = {
    {"families_using_mutual_aid", offsetof(sim_bucket, families_using), false},
    {"networks", offsetof(sim_bucket, networks), false},
    {"invitations", offsetof(sim_bucket, invitations), false},
    {"bindings", offsetof(sim_bucket, bindings), false},
    {"invitations_refused", offsetof(sim_bucket, invitations_refused), false},
    {"bills", offsetof(sim_bucket, bills), false},
    {"bills_with_mutual_aid", offsetof(sim_bucket, bills_with_mutual_aid), false},
    {"medfee_yuan", offsetof(sim_bucket, medfee), true},
    {"fund_yuan", offsetof(sim_bucket, fund), true},
    {"own_account_yuan", offsetof(sim_bucket, own_account), true},
    {"mutual_aid_yuan", offsetof(sim_bucket, mutual_aid), true},
    {"cash_yuan", offsetof(sim_bucket, cash), true},
    {"premiums_due", offsetof(sim_bucket, premiums_due), false},
    {"premiums_paid_for_relatives", offsetof(sim_bucket, premiums_paid), false},
    {"premiums_refused", offsetof(sim_bucket, premiums_refused), false},
    {"premiums_yuan", offsetof(sim_bucket, premiums_amount), true},
    {"donors_at_reserve_floor", offsetof(sim_bucket, donors_at_reserve_floor), false},
    {"members_at_limit", offsetof(sim_bucket, members_at_limit), false},
};

static const char *const action_names[SIM_ACTIONS] = {"network", "invite", "accept", "premium", "bill"};

static void add(sim_bucket *b, size_t offset, int64_t v) {
    *(int64_t *)(void *)((char *)b + offset) += v;
}

void sim_count(sim_stats *s, int region, int relation, size_t offset, int64_t v) {
    add(&s->total, offset, v);
    if (region >= 0 && region < SIM_REGIONS_MAX) add(&s->region[region], offset, v);
    if (relation >= 0 && relation < SIM_REL_BUCKETS) add(&s->relation[relation], offset, v);
}

static json_t *bucket_json(const sim_bucket *b) {
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
        int64_t v = *(const int64_t *)(const void *)((const char *)b + metrics[i].offset);
        json_object_set_new(o, metrics[i].name, metrics[i].money ? gj_json_yuan(v) : json_integer(v));
    }
    return o;
}

static json_t *refusals_json(const sim_stats *s) {
    json_t *o = json_object();
    for (int a = 0; a < SIM_ACTIONS; a++) {
        json_t *codes = json_object();
        for (int c = 0; c < GJ_E_COUNT_; c++) {
            if (s->refusals[a][c] == 0) continue;
            char key[96];
            const char *rule = gj_err_rule((gj_err)c);
            snprintf(key, sizeof key, "%s%s%s%s", gj_err_name((gj_err)c), *rule ? " (" : "", rule, *rule ? ")" : "");
            json_object_set_new(codes, key, json_integer(s->refusals[a][c]));
        }
        json_object_set_new(o, action_names[a], codes);
    }
    return o;
}

json_t *sim_stats_json(const sim_stats *s, const sim_population *pop) {
    json_t *regions = json_object(), *relations = json_object(), *monthly = json_array();
    for (int r = 0; r < pop->region_count; r++)
        json_object_set_new(regions, pop->regions[r], bucket_json(&s->region[r]));
    for (int r = 0; r < SIM_REL_BUCKETS; r++)
        json_object_set_new(relations, r == SIM_REL_NONE ? "not_bound" : gj_relation_code((gj_relation)r),
                            bucket_json(&s->relation[r]));
    for (int m = 0; m < 12; m++) json_array_append_new(monthly, gj_json_yuan(s->monthly_mutual_aid[m]));
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "totals", bucket_json(&s->total), "by_region",
                     regions, "by_relation", relations, "refusals", refusals_json(s),
                     "monthly_mutual_aid_yuan", monthly);
}

/* sim_stats is counters only: int64_t from end to end. */
_Static_assert(sizeof(sim_stats) % sizeof(int64_t) == 0, "sim_stats holds int64_t counters only");

bool sim_stats_add(sim_stats *to, const sim_stats *from) {
    int64_t *t = (int64_t *)(void *)to;
    const int64_t *f = (const int64_t *)(const void *)from;
    for (size_t i = 0; i < sizeof *to / sizeof *t; i++)
        if (!gj_fen_add(t[i], f[i], &t[i])) return false;
    return true;
}
