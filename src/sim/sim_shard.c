/* sim_shard.c — splitting the population into shards of whole families (docs/simulation.md
 * "Shards"): families are independent for mutual aid (a donor pays only for their own family
 * network; wallets and pools belong to a person or a family), so every shard runs in a store of
 * its own and the shards' counters add up to the year's. There are ceil(persons / insured)
 * shards of about equal size: families are taken in file order until a shard holds at least
 * persons / shards people; persons outside families.csv go to the first shard.
 * With one shard its files are the population's own; with several, each shard's persons and
 * bills (in file order, so in the same day order) are written under the work directory. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim_internal.h"

static size_t family_insured(const sim_population *pop, size_t family) {
    size_t n = 0;
    for (size_t i = pop->family_first[family]; i < pop->family_first[family + 1]; i++) n += pop->nodes[i].person >= 0;
    return n;
}

/* How many shards, and each one's families: consecutive runs of at least `target` people,
 * target = ceil(persons / ceil(persons / insured)), so no shard is a small remainder. */
static gj_err plan(const sim_population *pop, size_t insured, sim_shards *s, gj_status *st) {
    size_t wanted = (pop->person_count + insured - 1) / insured;
    size_t target = (pop->person_count + wanted - 1) / wanted, capacity = wanted + 1, held = 0;
    s->shards = calloc(capacity, sizeof *s->shards);
    s->of_person = malloc((pop->person_count + 1) * sizeof *s->of_person);
    if (s->shards == NULL || s->of_person == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    s->count = 1;
    for (size_t f = 0; f < pop->family_count; f++) {
        if (held >= target && f > 0) {
            assert((size_t)s->count < capacity);
            s->shards[s->count - 1].family_end = f;
            s->shards[s->count++].family_begin = f;
            held = 0;
        }
        held += family_insured(pop, f);
    }
    s->shards[s->count - 1].family_end = pop->family_count;
    return GJ_E_OK;
}

/* Every person's shard (their family's; the first for persons outside families.csv) and the
 * people per shard. */
static void assign(const sim_population *pop, sim_shards *s) {
    for (size_t i = 0; i < pop->person_count; i++) s->of_person[i] = 0;
    for (int k = 0; k < s->count; k++) {
        sim_shard *shard = &s->shards[k];
        shard->index = k;
        for (size_t i = pop->family_first[shard->family_begin]; i < pop->family_first[shard->family_end]; i++)
            if (pop->nodes[i].person >= 0) s->of_person[pop->nodes[i].person] = k;
    }
    for (size_t i = 0; i < pop->person_count; i++) s->shards[s->of_person[i]].persons++;
}

static gj_err make_dirs(sim_shards *s, const char *work_dir, gj_status *st) {
    for (int k = 0; k < s->count; k++) {
        snprintf(s->shards[k].dir, sizeof s->shards[k].dir, "%.3000s/shard-%04d", work_dir, k);
        if (mkdir(s->shards[k].dir, 0777) != 0)
            return gj_fail(st, GJ_E_INTERNAL, "%s: %s", s->shards[k].dir, strerror(errno));
    }
    return GJ_E_OK;
}

gj_err sim_shards_make(const sim_population *pop, size_t insured, int year, const char *work_dir,
                       sim_shards *out, gj_status *st) {
    assert(insured > 0 && pop->person_count > 0);
    memset(out, 0, sizeof *out);
    out->insured = insured;
    gj_err err = plan(pop, insured, out, st);
    if (err != GJ_E_OK) return err;
    assign(pop, out);
    if (out->count == 1) {   /* the population's own files */
        snprintf(out->shards[0].dir, sizeof out->shards[0].dir, "%s", pop->dir);
        out->shards[0].events = pop->events;
        return GJ_E_OK;
    }
    err = make_dirs(out, work_dir, st);
    if (err == GJ_E_OK) err = sim_split_files(pop, out, year, st);
    return err;
}

void sim_shards_free(sim_shards *s) {
    free(s->shards);
    free(s->of_person);
    memset(s, 0, sizeof *s);
}
