/* sim.c — gj_sim_run: a work directory, the population (a directory, or generated from a
 * parameter file into the work directory; the year's bills generated when missing), its shards
 * (sim_shard.c), the policy directories, the runs, the report; the work directory is removed at
 * the end, also after SIGINT or SIGTERM in any of these phases (sim_stop.c). */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "sim_internal.h"

static gj_err generate(const char *params_file, const char *dir, int year, bool progress,
                       json_t **params, gj_status *st) {
    gj_gen_params p;
    gj_gen_counts counts;
    gj_gen_params_default(&p);
    p.progress = progress;
    p.stop = sim_stop_flag();
    gj_err err = gj_gen_params_load(params_file, &p, st);
    p.as_of = gj_date_from_ymd(year, 1, 1);   /* the population as it stands when the year begins */
    if (err == GJ_E_OK) err = gj_gen_population(dir, &p, &counts, st);
    if (err == GJ_E_OK) err = gj_gen_year(dir, year, &p, NULL, &counts, st);
    if (err == GJ_E_OK) *params = gj_gen_params_json(&p);
    return err;
}

/* A population directory whose bills for the year are missing gets them generated with its
 * own parameters. */
static gj_err complete_year(const char *dir, int year, bool progress, json_t **params, gj_status *st) {
    char path[SIM_PATH_MAX + 32];
    struct stat sb;
    gj_gen_params p;
    gj_gen_counts counts;
    gj_gen_params_default(&p);
    p.progress = progress;
    p.stop = sim_stop_flag();
    snprintf(path, sizeof path, "%s/%s", dir, GJ_GEN_PARAMS_FILE);
    gj_err err = stat(path, &sb) == 0 ? gj_gen_params_load(path, &p, st) : GJ_E_OK;
    if (err == GJ_E_OK && stat(path, &sb) == 0) *params = gj_gen_params_json(&p);
    gj_gen_year_path(dir, year, path, sizeof path);
    if (err == GJ_E_OK && stat(path, &sb) != 0) err = gj_gen_year(dir, year, &p, NULL, &counts, st);
    return err;
}

static gj_err population(const gj_sim_options *o, const char *work, char *dir, size_t size,
                         json_t **params, gj_status *st) {
    struct stat sb;
    if (stat(o->population, &sb) != 0)
        return gj_fail(st, GJ_E_NOT_FOUND, "--population %s: %s", o->population, strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        snprintf(dir, size, "%s", o->population);
        return complete_year(dir, o->year, o->progress, params, st);
    }
    snprintf(dir, size, "%.3000s/population", work);
    return generate(o->population, dir, o->year, o->progress, params, st);
}

static gj_err check_options(const gj_sim_options *o, gj_status *st) {
    if (o->policy_count < 1 || o->policy_count > GJ_SIM_POLICIES_MAX)
        return gj_fail(st, GJ_E_USAGE, "--policy: 1 to %d policies", GJ_SIM_POLICIES_MAX);
    if (o->year < 1990 || o->year > 2100) return gj_fail(st, GJ_E_BAD_FIELD, "--year: 1990..2100");
    if (o->shard_insured < 0) return gj_fail(st, GJ_E_BAD_FIELD, "--shard-insured: at least 1");
    return GJ_E_OK;
}

static bool verify_failure(gj_err e) { return e == GJ_E_LEDGER_UNBALANCED || e == GJ_E_CHAIN_BROKEN; }

/* Policies prepared, runs done, report assembled. */
static gj_err simulate(const gj_sim_options *o, const sim_population *pop, const sim_shards *shards,
                       const char *work, json_t *params, json_t **report, gj_status *st) {
    char dirs[GJ_SIM_POLICIES_MAX][SIM_PATH_MAX];
    json_t *versions[GJ_SIM_POLICIES_MAX] = {NULL}, *results[GJ_SIM_POLICIES_MAX] = {NULL};
    gj_err err = GJ_E_OK;
    for (int i = 0; err == GJ_E_OK && i < o->policy_count; i++) {
        err = sim_policy_dir(o->policies[i], o->base_policy_dir, work, i, dirs[i], SIM_PATH_MAX, st);
        if (err == GJ_E_OK) err = sim_policy_versions(dirs[i], pop, o->year, &versions[i], st);
    }
    if (err == GJ_E_OK)
        err = sim_fork_runs(pop, shards, dirs, o->policy_count, work, o->year, o->jobs, o->progress,
                            results, st);
    if (err == GJ_E_OK || verify_failure(err))
        *report = sim_report(o, pop, shards, params, versions, results);
    for (int i = 0; i < o->policy_count; i++) {
        json_decref(versions[i]);
        json_decref(results[i]);
    }
    return err;
}

/* Where the stores go (--store): for auto, whether the stores of the runs held at once fit —
 * --jobs of them, or fewer when there are fewer runs (policies × shards), each sized by the
 * largest shard rather than by --shard-insured. */
static bool stores_in_memory(const gj_sim_options *o, const sim_shards *shards) {
    assert(shards->count >= 1);
    size_t largest = 0;
    for (int i = 0; i < shards->count; i++)
        if (shards->shards[i].persons > largest) largest = shards->shards[i].persons;
    int runs = o->policy_count * shards->count, at_once = o->jobs < 1 ? 1 : o->jobs;
    if (at_once > runs) at_once = runs;
    return sim_store_in_memory(o->store, at_once, largest);
}

gj_err gj_sim_run(const gj_sim_options *o, json_t **report, gj_status *st) {
    char work[SIM_PATH_MAX], dir[SIM_PATH_MAX];
    json_t *params = NULL;
    sim_population pop;
    sim_shards shards;
    memset(&pop, 0, sizeof pop);
    memset(&shards, 0, sizeof shards);
    size_t insured = o->shard_insured > 0 ? (size_t)o->shard_insured : GJ_SIM_SHARD_INSURED_DEFAULT;
    *report = NULL;
    gj_err err = check_options(o, st);
    if (err != GJ_E_OK) return err;
    sim_stop_catch();   /* from here on a stop signal ends in removing `work` */
    if ((err = sim_mkdtemp(work, sizeof work, st)) != GJ_E_OK) {
        sim_stop_release();
        return err;
    }
    err = population(o, work, dir, sizeof dir, &params, st);
    if (err == GJ_E_OK) err = sim_stop_check(st);
    if (err == GJ_E_OK) err = sim_population_load(dir, o->year, &pop, st);
    if (err == GJ_E_OK) err = sim_stop_check(st);
    if (err == GJ_E_OK) err = sim_shards_make(&pop, insured, o->year, work, &shards, st);
    if (err == GJ_E_OK) shards.memory = stores_in_memory(o, &shards);
    if (err == GJ_E_OK) err = simulate(o, &pop, &shards, work, params, report, st);
    sim_shards_free(&shards);
    sim_population_free(&pop);
    json_decref(params);
    sim_remove_tree(work);
    sim_stop_release();
    return err;
}
