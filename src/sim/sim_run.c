/* sim_run.c — one policy version's run: a fresh store (synchronous=OFF and no rollback: it is
 * thrown away, and made again with rollback should a command need one; one transaction per
 * simulated month, sim_batch_month),
 * the population imported and its institutions registered at 00:00 on 1 January, the family
 * networks built, every event of the year, the year-end counts (donors held at their reserve
 * floor, members at the yearly limit bounding their binding, families that used mutual aid),
 * and gj_verify. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/jsonx.h"
#include "sim_internal.h"

static const gj_actor sim_operator = {.actor = "gongji-sim", .channel = "cli"};

static gj_err setup(sim_run *r, gj_status *st) {
    char path[SIM_PATH_MAX + 32];
    const sim_population *pop = r->pop;
    snprintf(path, sizeof path, "%s/%s", r->shard->dir, GJ_GEN_PERSONS_FILE);
    FILE *f = fopen(path, "r");
    if (f == NULL) return gj_fail(st, GJ_E_NOT_FOUND, "%s", path);
    json_t *out = NULL;
    gj_err err = gj_import_persons(r->engine, &sim_operator, f, false, &out, st);
    fclose(f);
    json_decref(out);
    for (size_t i = 0; err == GJ_E_OK && i < pop->institution_count; i++) {
        const sim_institution *in = &pop->institutions[i];
        err = gj_institution_add(r->engine, &sim_operator, in->code, in->name, in->kind, in->admdvs, &out, st);
        json_decref(out);
    }
    sim_tick(r, r->shard->persons);
    return err;
}

/* The policy in force on `on` in the region where person `who` is insured. */
static gj_err region_policy(sim_run *r, int32_t who, gj_date on, const gj_policy **out, gj_status *st) {
    const sim_person *p = &r->pop->persons[who];
    return gj_policy_resolve(gj_engine_policies(r->engine), r->pop->regions[p->region], on, out, st);
}

/* A donor with nothing left above their reserve floor (all of it when the floor is 0). */
static gj_err at_floor(sim_run *r, int32_t who, gj_date on, bool *out, gj_status *st) {
    const sim_person *p = &r->pop->persons[who];
    const gj_policy *policy = NULL;
    json_t *shown = NULL;
    gj_fen total = 0;
    gj_err err = region_policy(r, who, on, &policy, st);
    if (err == GJ_E_OK) err = gj_person_show(r->engine, p->psn_no, &shown, st);
    if (err == GJ_E_OK)
        err = gj_json_amount(json_object_get(shown, "accounts"), "account_total_yuan", true, &total, st);
    if (err == GJ_E_OK) *out = total <= policy->donor.reserve_floor_fen;
    json_decref(shown);
    return err;
}

/* A bound member whose mutual aid this year reached the limit bounding their binding on `on`:
 * the one settlement applies (R3.5), the lower of the binding's own limit and the maximum of
 * the donor's region in force; false when there is neither. */
static gj_err at_limit(sim_run *r, int32_t who, gj_date on, bool *out, gj_status *st) {
    assert(r->donor_of[who] >= 0);
    const gj_policy *policy = NULL;
    bool by_max = false;
    gj_err err = region_policy(r, r->donor_of[who], on, &policy, st);
    if (err == GJ_E_OK) {
        gj_fen limit = gj_policy_binding_limit(policy, r->limit_fen[who], &by_max);
        *out = limit >= 0 && r->aid_received[who] >= limit;
    }
    return err;
}

static gj_err year_end(sim_run *r, gj_status *st) {
    gj_date dec31 = gj_date_from_ymd(r->year, 12, 31);
    gj_clock_fix(gj_date_start(dec31) + SECONDS_PER_DAY - 1);
    gj_err err = GJ_E_OK;
    for (size_t k = 0; err == GJ_E_OK && k < r->shard_person_count; k++) {
        int32_t i = r->shard_persons[k];
        const sim_person *p = &r->pop->persons[i];
        bool floor = false, limit = false;
        if (r->donor_networked[i] && (err = at_floor(r, i, dec31, &floor, st)) == GJ_E_OK && floor)
            SIM_COUNT(&r->stats, p->region, -1, donors_at_reserve_floor, 1);
        if (err == GJ_E_OK && r->donor_of[i] >= 0 &&
            (err = at_limit(r, i, dec31, &limit, st)) == GJ_E_OK && limit)
            SIM_COUNT(&r->stats, p->region, r->relation_of[i], members_at_limit, 1);
    }
    for (size_t f = r->shard->family_begin; f < r->shard->family_end; f++)
        if (r->family_used[f]) SIM_COUNT(&r->stats, sim_family_region(r->pop, f), -1, families_using, 1);
    return err;
}

/* The shard's insured as sim_shard.c assigns them: those of its families' nodes, and in the
 * first shard also everyone outside families.csv; and a map of them by psn_no. */
static bool shard_persons(sim_run *r) {
    const sim_population *pop = r->pop;
    size_t first = pop->family_first[r->shard->family_begin], end = pop->family_first[r->shard->family_end];
    size_t capacity = end - first + (r->shard->index == 0 ? pop->person_count : 0);
    r->shard_persons = malloc((capacity + 1) * sizeof *r->shard_persons);
    if (r->shard_persons == NULL || !sim_map_init(&r->by_psn, capacity)) return false;
    for (size_t i = first; i < end; i++)
        if (pop->nodes[i].person >= 0) r->shard_persons[r->shard_person_count++] = pop->nodes[i].person;
    for (size_t i = 0; r->shard->index == 0 && i < pop->person_count; i++)
        if (pop->persons[i].node < 0) r->shard_persons[r->shard_person_count++] = (int32_t)i;
    assert(r->shard_person_count <= capacity);
    for (size_t k = 0; k < r->shard_person_count; k++)
        sim_map_put(&r->by_psn, pop->persons[r->shard_persons[k]].psn_no, r->shard_persons[k]);
    return true;
}

bool sim_scratch_init(sim_scratch *s, const sim_population *pop) {
    size_t n = pop->person_count + 1;
    *s = (sim_scratch){
        .donor_of = malloc(n * sizeof *s->donor_of),
        .relation_of = malloc(n * sizeof *s->relation_of),
        .limit_fen = malloc(n * sizeof *s->limit_fen),
        .aid_received = malloc(n * sizeof *s->aid_received),
        .donor_networked = malloc(n * sizeof *s->donor_networked),
        .family_used = malloc((pop->family_count + 1) * sizeof *s->family_used),
    };
    if (s->donor_of && s->relation_of && s->limit_fen && s->aid_received && s->donor_networked && s->family_used)
        return true;
    sim_scratch_free(s);
    return false;
}

void sim_scratch_free(sim_scratch *s) {
    free(s->donor_of);
    free(s->relation_of);
    free(s->limit_fen);
    free(s->aid_received);
    free(s->donor_networked);
    free(s->family_used);
    for (int i = 0; i < s->policy_count; i++) gj_policy_set_free(s->policies[i]);
    *s = (sim_scratch){0};
}

gj_err sim_scratch_policies(sim_scratch *s, const char *dir, gj_policy_set **out, gj_status *st) {
    for (int i = 0; i < s->policy_count; i++)
        if (strcmp(s->policy_dir[i], dir) == 0) return *out = s->policies[i], GJ_E_OK;
    if (s->policy_count == GJ_SIM_POLICIES_MAX)
        return gj_fail(st, GJ_E_INTERNAL, "more than %d policy directories", GJ_SIM_POLICIES_MAX);
    gj_err err = gj_policy_set_load(dir, out, st);
    if (err == GJ_E_OK) s->policy_dir[s->policy_count] = dir, s->policies[s->policy_count++] = *out;
    return err;
}

/* The run's arrays: the scratch's, with the shard's persons' and families' entries set to
 * "nothing yet" (the others are other shards' and never read: sim_network.c and
 * sim_events.c reach only the shard's families and insured). */
static bool allocate(sim_run *r, sim_scratch *scratch) {
    assert(scratch->donor_of != NULL && scratch->family_used != NULL);
    r->donor_of = scratch->donor_of;
    r->relation_of = scratch->relation_of;
    r->limit_fen = scratch->limit_fen;
    r->aid_received = scratch->aid_received;
    r->donor_networked = scratch->donor_networked;
    r->family_used = scratch->family_used;
    if (!shard_persons(r)) return false;
    for (size_t k = 0; k < r->shard_person_count; k++) {
        int32_t i = r->shard_persons[k];
        r->donor_of[i] = -1, r->relation_of[i] = 0, r->limit_fen[i] = -1;
        r->aid_received[i] = 0, r->donor_networked[i] = false;
    }
    for (size_t f = r->shard->family_begin; f < r->shard->family_end; f++) r->family_used[f] = false;
    return true;
}

static void release(sim_run *r) {
    free(r->shard_persons);
    sim_map_free(&r->by_psn);
    gj_engine_close(r->engine);
}

/* Verify the books; the result goes into the report either way. */
static gj_err verify(sim_run *r, gj_err *verified, gj_status *st) {
    json_t *report = NULL;
    *verified = gj_verify(r->engine, &report, st);
    json_decref(report);
    return *verified;
}

/* The run once, in a new store at store_url; *spoiled: it failed because that store (opened
 * with rollback=off) lost a rollback. */
static gj_err run_once(sim_run *r, sim_scratch *scratch, const char *policy_dir, const char *store_url,
                       gj_err *verified, bool *spoiled, gj_status *st) {
    *verified = GJ_E_COUNT_;
    gj_clock_fix(gj_date_start(gj_date_from_ymd(r->year, 1, 1)));
    gj_policy_set *policies = NULL;
    gj_err err = allocate(r, scratch) ? GJ_E_OK : gj_fail(st, GJ_E_INTERNAL, "out of memory");
    if (err == GJ_E_OK) err = sim_scratch_policies(scratch, policy_dir, &policies, st);
    if (err == GJ_E_OK) err = gj_engine_open_with(store_url, policies, &r->engine, st);
    if (err == GJ_E_OK) err = sim_batch_month(r, gj_date_from_ymd(r->year, 1, 1), st);
    if (err == GJ_E_OK) err = setup(r, st);
    if (err == GJ_E_OK) err = sim_build_networks(r, st);
    if (err == GJ_E_OK) err = sim_run_events(r, st);
    if (r->engine != NULL) err = sim_batch_end(r, err, st);
    if (err == GJ_E_OK) err = year_end(r, st);
    if (err == GJ_E_OK) err = verify(r, verified, st);
    *spoiled = err != GJ_E_OK && r->engine != NULL && gj_store_spoiled(gj_engine_store(r->engine));
    release(r);
    return err;
}

/* First in a store without rollback (no journal, no savepoint per command: ~15 % less time,
 * docs/simulation.md "Stores"); only if a command was undone after it wrote — which that
 * store cannot do — the run is made again from the start in a store with rollback, so the
 * figures are always those of the engine as it runs in gongjid. */
gj_err sim_run_shard(const sim_population *pop, const sim_shard *shard, sim_scratch *scratch,
                     const char *policy_dir, bool memory, const char *run_dir, int year,
                     _Atomic uint64_t *progress, sim_stats *stats, gj_err *verified, gj_status *st) {
    char fast_url[SIM_PATH_MAX + 64], store_url[SIM_PATH_MAX + 64];
    uint64_t progress_before = progress != NULL ? atomic_load(progress) : 0;
    bool spoiled = false;
    sim_store_url(memory, false, run_dir, fast_url, sizeof fast_url);
    sim_store_url(memory, true, run_dir, store_url, sizeof store_url);
    sim_run r = {.pop = pop, .shard = shard, .year = year, .progress = progress};
    gj_err err = run_once(&r, scratch, policy_dir, fast_url, verified, &spoiled, st);
    if (spoiled) {
        fprintf(stderr, "gongji simulate: shard %d: a command was undone after it wrote; running the shard "
                        "again with rollback (%s)\n", shard->index, st->detail);
        if (progress != NULL) atomic_store(progress, progress_before);
        r = (sim_run){.pop = pop, .shard = shard, .year = year, .progress = progress};
        gj_status_clear(st);
        err = run_once(&r, scratch, policy_dir, store_url, verified, &spoiled, st);
        assert(!spoiled);
    }
    *stats = r.stats;
    return err;
}
