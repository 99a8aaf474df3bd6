/* sim.h — the what-if simulation (docs/simulation.md): one synthetic population and one year of
 * its bills and premiums, run through the real engine once per policy version — each run in its
 * own throwaway store, in its own process — and compared.
 *
 * Every run imports the same population, registers its institutions, builds the family
 * networks by the same deterministic rule (each employee invites their relatives without a
 * personal account; the policy in force accepts or refuses), then settles every bill through
 * gj_nhsa_call (2207 / 2102) and pays every premium through gj_premium_pay with the clock
 * stepped to each event's time, and ends with gj_verify. Families are independent, so the
 * population is split into shards of whole families, each run in its own store and process
 * and the shards' counters summed. The report (JSON) states the
 * parameters, the policy version ids and the git revision; the same inputs give byte-identical
 * reports. */
#ifndef GONGJI_SIM_H
#define GONGJI_SIM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "gongji/error.h"

/* GJ_SIM_SHARD_INSURED_DEFAULT: people per shard (docs/simulation.md "Shards"): a smaller store
 * makes every event cheaper (shallower B-trees, more of them in the CPU's caches) while a run's
 * fixed cost (schema copied from a template, policies, import) stays a few ms; 500 measured
 * 0.82x the time of 2,500 and as fast as 250 and 100 (bench/README.md, 2026-12-02). */
enum { GJ_SIM_POLICIES_MAX = 4, GJ_SIM_SHARD_INSURED_DEFAULT = 500 };

/* Where each run's throwaway store lives (docs/simulation.md "Stores"): in the process's memory
 * (no file, no page written to the kernel), in a file under the run's temporary directory, or
 * AUTO: memory when `jobs` stores of a shard's size fit in half the machine's memory. */
typedef enum { GJ_SIM_STORE_AUTO, GJ_SIM_STORE_MEMORY, GJ_SIM_STORE_DISK } gj_sim_store;

typedef struct {
    const char *population;                      /* population directory or parameter file */
    const char *policies[GJ_SIM_POLICIES_MAX];   /* policy directory, or one policy file that
                                                    replaces its region's file in a copy of
                                                    base_policy_dir */
    int policy_count;
    const char *base_policy_dir;
    int year;
    int jobs;                                    /* runs (policy × shard) at once
                                                    (processes), ≥ 1 */
    long shard_insured;                          /* people per shard of whole families;
                                                    0: GJ_SIM_SHARD_INSURED_DEFAULT */
    gj_sim_store store;                          /* where the runs' stores live */
    bool progress;                               /* progress bar on stderr (a terminal) */
} gj_sim_options;

/* Run every policy and compare them with the first. *report is set whenever runs finished
 * (also when a verify failed: LEDGER_UNBALANCED / CHAIN_BROKEN, with the run's "verify"). */
gj_err gj_sim_run(const gj_sim_options *o, json_t **report, gj_status *st);

/* The report's figures as CSV: section,key,metric, one column per policy, then the differences
 * with the first policy. */
void gj_sim_write_csv(FILE *f, const json_t *report);
/* A self-contained SVG chart: monthly mutual-aid amounts per policy, and refusals by rule. */
void gj_sim_write_svg(FILE *f, const json_t *report);

/* The report flattened to rows, shared by the CSV and the terminal table. */
typedef struct {
    char section[24];            /* totals, by_region, by_relation, refusals, monthly */
    char key[48];                /* region code, relation, refusal action, month; "" in totals */
    char metric[64];
    bool money;                  /* values in fen, shown as yuan */
    long long value[GJ_SIM_POLICIES_MAX];
} gj_sim_row;
/* The rows of a report (caller frees *rows); rows whose values are all zero are left out.
 * *policies gets the number of policies (value columns). */
int gj_sim_rows(const json_t *report, gj_sim_row **rows, int *policies);
/* A value as text: yuan with two decimals for money, else an integer; `grouped` adds thousands
 * separators (1,234.50). */
void gj_sim_format(long long value, bool money, bool grouped, char *buf, size_t size);

#endif
