/* sim_internal.h — the simulation's parts (sim.h): the population held in memory (persons, the
 * family tree and the relations derived from it), the counters of one run, the per-run state
 * (who is bound to whom), and the steps of a run. */
#ifndef GONGJI_SIM_INTERNAL_H
#define GONGJI_SIM_INTERNAL_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "gongji/engine.h"
#include "gongji/gen.h"
#include "gongji/sim.h"

enum {
    SIM_REGIONS_MAX = 64,
    SIM_REL_NONE = GJ_REL_COUNT,           /* a patient bound to nobody */
    SIM_REL_BUCKETS = GJ_REL_COUNT + 1,
    SIM_PATH_MAX = 4096,
};

typedef enum { SIM_ACT_NETWORK, SIM_ACT_INVITE, SIM_ACT_ACCEPT, SIM_ACT_PREMIUM, SIM_ACT_BILL,
               SIM_ACTIONS } sim_action;

/* ---- string → index map (sim_map.c) ---- */
typedef struct {
    const char **keys;
    int32_t *values;
    size_t capacity, count;
} sim_map;

bool sim_map_init(sim_map *m, size_t expected);
void sim_map_free(sim_map *m);
void sim_map_put(sim_map *m, const char *key, int32_t value);   /* key must stay valid */
int32_t sim_map_get(const sim_map *m, const char *key);         /* -1 when absent */

/* ---- the population (sim_population.c, sim_relation.c) ---- */
typedef struct {
    char psn_no[32], ecert[32];
    int region;                  /* index into population.regions */
    bool employee;
    int32_t node;                /* family node, -1 when not in families.csv */
} sim_person;

typedef struct {
    char id[32];
    int32_t family, person;      /* person -1: not insured (not in persons.csv) */
    int32_t father, mother, spouse;
} sim_node;

typedef struct {
    char code[32], name[96], kind[16], admdvs[7];
} sim_institution;

typedef struct {
    char dir[SIM_PATH_MAX];
    sim_person *persons;
    size_t person_count;
    sim_node *nodes;
    size_t node_count;
    size_t *family_first;        /* family f: nodes family_first[f] .. family_first[f + 1] - 1 */
    size_t family_count;
    char regions[SIM_REGIONS_MAX][7];
    int region_count;
    sim_institution *institutions;
    size_t institution_count;
    sim_map by_psn, by_node;
    size_t link_cursor;          /* loading: the node the next families.csv row links */
    long events;                 /* lines of the year's bill file */
} sim_population;

gj_err sim_population_load(const char *dir, int year, sim_population *pop, gj_status *st);
void sim_population_free(sim_population *pop);
/* The member's relation to the donor (both node indices), or -1 (e.g. a spouse's parent). */
int sim_relation(const sim_population *pop, int32_t donor, int32_t member);
/* The region of a family: its first insured member's. */
int sim_family_region(const sim_population *pop, size_t family);

/* ---- shards (sim_shard.c, sim_split.c) ---- */
typedef struct {
    int index;
    char dir[SIM_PATH_MAX];      /* its persons.csv and the year's bills */
    size_t family_begin, family_end;   /* its families: begin .. end - 1 */
    size_t persons;              /* insured people */
    long events;                 /* lines of its bill file */
} sim_shard;

typedef struct {
    sim_shard *shards;
    int count;
    size_t insured;              /* --shard-insured: about the most people a shard holds */
    bool memory;                 /* every shard's store in memory, else in a file */
    int32_t *of_person;          /* per person: their shard */
} sim_shards;

/* Split the population into ceil(persons / insured) shards of whole families of about equal
 * size (a family more or less); persons outside families.csv go to the first. One shard uses
 * the population's files; several get theirs written under work_dir (shard-NNNN). */
gj_err sim_shards_make(const sim_population *pop, size_t insured, int year, const char *work_dir,
                       sim_shards *out, gj_status *st);
void sim_shards_free(sim_shards *s);
/* Each shard's persons.csv and bills, split from the population's (the shards' dirs exist). */
gj_err sim_split_files(const sim_population *pop, sim_shards *shards, int year, gj_status *st);

/* ---- counters (sim_stats.c) ---- */
typedef struct {
    int64_t families_using, networks, invitations, bindings, invitations_refused;
    int64_t bills, bills_with_mutual_aid, premiums_due, premiums_paid, premiums_refused;
    int64_t medfee, fund, own_account, mutual_aid, cash, premiums_amount;   /* fen */
    int64_t donors_at_reserve_floor, members_at_limit;
} sim_bucket;

typedef struct {
    sim_bucket total, region[SIM_REGIONS_MAX], relation[SIM_REL_BUCKETS];
    int64_t monthly_mutual_aid[12];
    int64_t refusals[SIM_ACTIONS][GJ_E_COUNT_];
} sim_stats;

/* Add v to the metric at `offset` (offsetof(sim_bucket, …)) in total, region and relation
 * (region or relation < 0: that breakdown is skipped). */
void sim_count(sim_stats *s, int region, int relation, size_t offset, int64_t v);
#define SIM_COUNT(s, region, relation, metric, v) \
    sim_count((s), (region), (relation), offsetof(sim_bucket, metric), (v))
json_t *sim_stats_json(const sim_stats *s, const sim_population *pop);
/* *to += from, counter by counter; false (to partly summed) when a sum leaves the fen range. */
bool sim_stats_add(sim_stats *to, const sim_stats *from);

/* ---- one run (sim_run.c, sim_network.c, sim_events.c) ---- */
/* What a worker keeps from run to run (docs/simulation.md "Workers"): the per-person and
 * per-family arrays (the fields of sim_run below), sized for the whole population, of which each
 * run sets only its own shard's entries (a million-insured population's arrays are 22 MB, which
 * a fresh allocation per run had the kernel fault in and zero once per run: 800 runs with
 * shards of 2,500, 4,000 with the default of 500); and each policy
 * directory's policies, loaded at its first run (~17 million instructions per load). */
typedef struct {
    int32_t *donor_of;
    int8_t *relation_of;
    int64_t *limit_fen, *aid_received;
    bool *donor_networked, *family_used;
    const char *policy_dir[GJ_SIM_POLICIES_MAX];   /* loaded so far: policy_count */
    gj_policy_set *policies[GJ_SIM_POLICIES_MAX];
    int policy_count;
} sim_scratch;

/* false: out of memory (*s freed and zeroed). */
bool sim_scratch_init(sim_scratch *s, const sim_population *pop);
void sim_scratch_free(sim_scratch *s);
/* The policies of dir (a --policy's directory), loaded at the first call for it. */
gj_err sim_scratch_policies(sim_scratch *s, const char *dir, gj_policy_set **out, gj_status *st);

typedef struct {
    const sim_population *pop;
    const sim_shard *shard;      /* the families and events this run holds */
    gj_engine *engine;
    int year;
    sim_stats stats;
    /* from the worker's sim_scratch; only the shard's persons' and families' entries are set */
    int32_t *donor_of;           /* per person: the donor bound to them, -1 */
    int8_t *relation_of;         /* per person: their relation to that donor */
    int64_t *limit_fen;          /* per person: the binding's yearly limit, -1 none */
    int64_t *aid_received;       /* per person: mutual aid received this year (fen) */
    bool *donor_networked;       /* per person: created a network */
    bool *family_used;           /* per family: used mutual aid */
    int32_t *shard_persons;      /* the shard's insured (person indices), shard_person_count */
    size_t shard_person_count;
    sim_map by_psn;              /* the shard's insured by psn_no: small enough for the caches */
    _Atomic uint64_t *progress;  /* steps done, shared with the parent process; may be NULL */
    int batch_month;             /* year * 12 + month - 1 of the open store batch */
} sim_run;

/* A failure that ends the run (storage, internal) rather than a refusal to count. */
bool sim_fatal(gj_err e);
void sim_refused(sim_run *r, sim_action a, gj_err code);
void sim_tick(sim_run *r, uint64_t n);

gj_err sim_build_networks(sim_run *r, gj_status *st);
gj_err sim_run_events(sim_run *r, gj_status *st);
/* One store transaction per simulated month (the throwaway store needs no durability). The
 * store keeps no rollback journal (sim_run_shard): a refusal that wrote nothing needs none,
 * and one that did spoils the store and the shard runs again in a store whose commands are
 * savepoints, so a refusal undoes only its own writes. A
 * commit writes every page the batch dirtied; per day, those writes were ~19 % of a run's time
 * (perf, 25,000 insured), per month the pages written again and again are written once.
 * Nothing reads the store from another connection, so where the batch ends changes no result. */
gj_err sim_batch_month(sim_run *r, gj_date day, gj_status *st);
gj_err sim_batch_end(sim_run *r, gj_err err, gj_status *st);
/* Run one shard under one policy version in a new throwaway store (sim_store_url: in memory,
 * or in run_dir): *stats gets its counters, *verified gj_verify's result (GJ_E_COUNT_: not
 * reached). */
gj_err sim_run_shard(const sim_population *pop, const sim_shard *shard, sim_scratch *scratch,
                     const char *policy_dir, bool memory, const char *run_dir, int year,
                     _Atomic uint64_t *progress, sim_stats *stats, gj_err *verified, gj_status *st);

/* ---- policies (sim_policy.c) ---- */
/* The directory to run with for a --policy argument: the directory itself, or a copy of `base`
 * with the file's region replaced, made under work_dir. */
gj_err sim_policy_dir(const char *arg, const char *base, const char *work_dir, int index,
                      char *out, size_t size, gj_status *st);
/* {region: [version ids in force during the year]} for the population's regions. */
gj_err sim_policy_versions(const char *dir, const sim_population *pop, int year, json_t **out,
                           gj_status *st);

/* ---- processes, merging and the report (sim_fork.c, sim_merge.c, sim_report.c) ---- */
/* Where a (policy, shard) run stands, in its slot. */
enum { SIM_SLOT_WAITING, SIM_SLOT_RUNNING, SIM_SLOT_DONE };

/* What one (policy, shard) run leaves in memory shared with the parent. */
typedef struct {
    _Atomic int32_t state;       /* SIM_SLOT_*: DONE once error, verified and stats are final */
    _Atomic uint64_t progress;   /* steps done */
    sim_stats stats;
    int32_t error, verified;     /* gj_err of the run and of gj_verify (GJ_E_COUNT_: not run) */
    char detail[GJ_STATUS_DETAIL_MAX];
} sim_slot;

/* ---- stop signals (sim_stop.c) ---- */
/* Catch SIGINT and SIGTERM (one ignored when the simulation began stays ignored) until
 * sim_stop_release puts the replaced dispositions back; a worker process calls that first. */
void sim_stop_catch(void);
void sim_stop_release(void);
/* Hold SIGINT and SIGTERM back; *before: the mask to restore (sigprocmask SIG_SETMASK). */
void sim_stop_hold(sigset_t *before);
/* The caught signal, 0 while none: for the generator's loops (gj_gen_params.stop). */
const volatile sig_atomic_t *sim_stop_flag(void);
/* GJ_E_OK while no stop signal came, else an error naming it. */
gj_err sim_stop_check(gj_status *st);

/* Run every (policy, shard) pair, `jobs` at a time, in `jobs` worker processes that take the
 * pairs in turn, each with its own store (removed once its run has ended); results[i]: policy
 * i's shards merged. */
gj_err sim_fork_runs(const sim_population *pop, const sim_shards *shards, char dirs[][SIM_PATH_MAX],
                     int n, const char *work_dir, int year, int jobs, bool progress, json_t **results,
                     gj_status *st);
/* One policy's results from its shards' slots (slots[k * stride], k < count): the counters
 * summed, verify "ok" when every shard's was, else the first shard's failure, absent when a
 * shard did not reach it. NULL when a sum overflows. */
json_t *sim_merge(const sim_population *pop, const sim_slot *slots, int count, int stride);
/* The report: parameters, sharding, policy versions, each policy's results and verify, and the
 * differences of every later policy with the first (docs/simulation.md). */
json_t *sim_report(const gj_sim_options *o, const sim_population *pop, const sim_shards *shards,
                   json_t *params, json_t *const *versions, json_t *const *results);

/* ---- files and stores (sim_files.c) ---- */
/* Memory a run's store takes per insured person of its shard, with the process around it, when
 * the store is in memory: 1.75 GB for two stores of 12,527 insured (a year of 359,279 events,
 * peak resident memory of both processes, 2026-11-30), about 70 KB, plus a margin. */
enum { SIM_MEMORY_PER_INSURED_BYTES = 80 * 1024 };
/* Whether the runs' stores go in memory: as asked, or for GJ_SIM_STORE_AUTO when `jobs` stores
 * (the runs held at once) of `insured` people each fit in half the physical memory. */
bool sim_store_in_memory(gj_sim_store store, int jobs, size_t insured);
/* The URL of a run's throwaway store (synchronous=OFF; rollback false: no rollback journal
 * either, sim_run.c): in memory, or sim.db in run_dir. */
void sim_store_url(bool memory, bool rollback, const char *run_dir, char *out, size_t size);

/* ---- files ---- */
gj_err sim_mkdtemp(char *out, size_t size, gj_status *st);
void sim_remove_tree(const char *dir);
gj_err sim_copy_file(const char *from, const char *to, gj_status *st);

#endif
