/* cmd_sim.c — synthetic populations and the what-if simulation (docs/simulation.md):
 * gen params, gen persons, gen population, gen year, simulate. None of them opens the
 * database: generation writes files, and every simulation run has its own throwaway store. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gongji/gen.h"
#include "gongji/sim.h"
#include "sim_table.h"

static bool on_terminal(void) { return isatty(STDERR_FILENO) != 0 && getenv("GONGJI_NO_PROGRESS") == NULL; }

static gj_err parse_seed(const cli_ctx *c, uint64_t *seed, gj_status *st) {
    const char *text = cli_opt(c, "seed");
    char *end = NULL;
    if (text == NULL) return GJ_E_OK;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-')
        return gj_fail(st, GJ_E_BAD_FIELD, "--seed: \"%s\" (unsigned integer)", text);
    *seed = (uint64_t)v;
    return GJ_E_OK;
}

/* Defaults, then --params FILE, then --seed, --families, --regions, --as-of. */
static gj_err gen_params(const cli_ctx *c, gj_gen_params *p, gj_status *st) {
    int families = 0;
    bool has_families = false, has_as_of = false;
    gj_date as_of = 0;
    gj_gen_params_default(p);
    p->as_of = gj_time_date(gj_now());
    p->progress = on_terminal();
    gj_err err = cli_opt(c, "params") ? gj_gen_params_load(cli_opt(c, "params"), p, st) : GJ_E_OK;
    if (err == GJ_E_OK) err = parse_seed(c, &p->seed, st);
    if (err == GJ_E_OK) err = cli_int(c, "families", 1, GJ_GEN_FAMILIES_MAX, &has_families, &families, st);
    if (err == GJ_E_OK && cli_opt(c, "regions")) err = gj_gen_select_regions(p, cli_opt(c, "regions"), st);
    if (err == GJ_E_OK) err = cli_date(c, "as-of", &has_as_of, &as_of, st);
    if (has_families) p->families = families;
    if (has_as_of) p->as_of = as_of;
    return err;
}

static gj_err open_output(const char *path, FILE **f, gj_status *st) {
    *f = path != NULL ? fopen(path, "w") : stdout;
    return *f != NULL ? GJ_E_OK : gj_fail(st, GJ_E_BAD_FIELD, "%s: %s", path, strerror(errno));
}

static gj_err close_output(const char *path, FILE *f, gj_status *st) {
    bool failed = path != NULL ? fclose(f) != 0 : fflush(f) != 0;
    return failed ? gj_fail(st, GJ_E_INTERNAL, "writing %s failed", path ? path : "stdout") : GJ_E_OK;
}

static void print_document(FILE *f, const json_t *doc) {
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
    if (text != NULL) fprintf(f, "%s\n", text);
    free(text);
}

static gj_err run_gen_params(cli_ctx *c, json_t **out, gj_status *st) {
    gj_gen_params p;
    FILE *f = NULL;
    const char *path = cli_opt(c, "out");
    gj_err err = gen_params(c, &p, st);
    if (err == GJ_E_OK && path == NULL) *out = gj_gen_params_json(&p);
    if (err != GJ_E_OK || path == NULL || (err = open_output(path, &f, st)) != GJ_E_OK) return err;
    json_t *doc = gj_gen_params_json(&p);
    print_document(f, doc);
    json_decref(doc);
    err = close_output(path, f, st);
    if (err == GJ_E_OK) *out = json_pack("{s:s}", "file", path);
    return err;
}

static gj_err run_gen_persons(cli_ctx *c, json_t **out, gj_status *st) {
    gj_gen_params p;
    FILE *f = NULL;
    const char *path = cli_opt(c, "out");
    gj_err err = gen_params(c, &p, st);
    p.with_demo_people = cli_flag(c, "demo");
    if (err == GJ_E_OK) err = open_output(path, &f, st);
    if (err != GJ_E_OK) return err;
    long written = gj_gen_persons(f, &p);
    err = close_output(path, f, st);
    if (written < 0) return gj_fail(st, GJ_E_BAD_FIELD, "bad generation parameters");
    if (err == GJ_E_OK && path != NULL)   /* on stdout the CSV is the output */
        *out = json_pack("{s:s, s:I, s:I}", "file", path, "persons", (json_int_t)written, "seed",
                         (json_int_t)p.seed);
    return err;
}

static gj_err run_gen_population(cli_ctx *c, json_t **out, gj_status *st) {
    gj_gen_params p;
    gj_gen_counts counts = {0}, year_counts = {0};
    int year = 0;
    bool has_year = false;
    const char *dir = cli_opt(c, "out");
    gj_err err = gen_params(c, &p, st);
    if (err == GJ_E_OK) err = cli_int(c, "year", 1900, 9998, &has_year, &year, st);
    if (err == GJ_E_OK) err = gj_gen_population(dir, &p, &counts, st);
    if (err == GJ_E_OK && has_year) err = gj_gen_year(dir, year, &p, NULL, &year_counts, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:I, s:I, s:I, s:I}", "dir", dir, "families", (json_int_t)counts.families,
                         "persons", (json_int_t)counts.persons, "events", (json_int_t)year_counts.events,
                         "seed", (json_int_t)p.seed);
    return err;
}

static gj_err run_gen_year(cli_ctx *c, json_t **out, gj_status *st) {
    gj_gen_params p;
    gj_gen_counts counts = {0};
    char path[4096];
    int year = 0;
    FILE *requests = NULL;
    const char *dir = cli_opt(c, "population"), *requests_path = cli_opt(c, "requests");
    gj_gen_params_default(&p);
    p.progress = on_terminal();
    snprintf(path, sizeof path, "%s/%s", dir, GJ_GEN_PARAMS_FILE);
    gj_err err = access(path, R_OK) == 0 ? gj_gen_params_load(path, &p, st) : GJ_E_OK;
    if (err == GJ_E_OK) err = parse_seed(c, &p.seed, st);
    if (err == GJ_E_OK) err = cli_int(c, "year", 1900, 9998, NULL, &year, st);
    if (err == GJ_E_OK && requests_path != NULL) err = open_output(requests_path, &requests, st);
    if (err == GJ_E_OK) err = gj_gen_year(dir, year, &p, requests, &counts, st);
    if (requests != NULL && close_output(requests_path, requests, st) != GJ_E_OK && err == GJ_E_OK)
        err = GJ_E_INTERNAL;
    gj_gen_year_path(dir, year, path, sizeof path);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:I, s:I}", "file", path, "persons", (json_int_t)counts.persons,
                         "events", (json_int_t)counts.events);
    return err;
}

/* The report's files: --json-out, --csv, --svg. */
static gj_err write_outputs(const cli_ctx *c, const json_t *report, gj_status *st) {
    static const char *const options[] = {"json-out", "csv", "svg"};
    gj_err err = GJ_E_OK;
    for (size_t i = 0; err == GJ_E_OK && i < sizeof options / sizeof options[0]; i++) {
        const char *path = cli_opt(c, options[i]);
        FILE *f = NULL;
        if (path == NULL || (err = open_output(path, &f, st)) != GJ_E_OK) continue;
        if (i == 0) print_document(f, report);
        else if (i == 1) gj_sim_write_csv(f, report);
        else gj_sim_write_svg(f, report);
        err = close_output(path, f, st);
    }
    return err;
}

/* The default --jobs: the number of cores, 1..16. */
static int cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 16 ? 16 : (int)n;
}

/* --store: auto (absent), memory or disk. */
static gj_err store_option(const cli_ctx *c, gj_sim_store *out, gj_status *st) {
    static const struct {
        const char *name;
        gj_sim_store store;
    } choices[] = {{"auto", GJ_SIM_STORE_AUTO}, {"memory", GJ_SIM_STORE_MEMORY}, {"disk", GJ_SIM_STORE_DISK}};
    const char *given = cli_opt(c, "store");
    *out = GJ_SIM_STORE_AUTO;
    if (given == NULL) return GJ_E_OK;
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++)
        if (strcmp(given, choices[i].name) == 0) {
            *out = choices[i].store;
            return GJ_E_OK;
        }
    return gj_fail(st, GJ_E_USAGE, "--store %s: give auto, memory or disk", given);
}

static gj_err run_simulate(cli_ctx *c, json_t **out, gj_status *st) {
    gj_sim_options o = {.population = cli_opt(c, "population"), .base_policy_dir = c->policy_dir,
                        .year = 2025, .jobs = cores(), .progress = on_terminal()};
    int shard_insured = 0;
    const char *policies[GJ_SIM_POLICIES_MAX + 1];
    o.policy_count = cli_args_values(&c->args, "policy", policies, GJ_SIM_POLICIES_MAX + 1);
    for (int i = 0; i < o.policy_count && i < GJ_SIM_POLICIES_MAX; i++) o.policies[i] = policies[i];
    gj_err err = cli_int(c, "year", 1990, 2100, NULL, &o.year, st);
    if (err == GJ_E_OK) err = cli_int(c, "jobs", 1, 16, NULL, &o.jobs, st);
    if (err == GJ_E_OK) err = cli_int(c, "shard-insured", 1, 100000000, NULL, &shard_insured, st);
    o.shard_insured = shard_insured;
    if (err == GJ_E_OK) err = store_option(c, &o.store, st);
    if (err == GJ_E_OK && (o.policy_count < 1 || o.policy_count > GJ_SIM_POLICIES_MAX))
        err = gj_fail(st, GJ_E_USAGE, "--policy: give 1 to %d policies", GJ_SIM_POLICIES_MAX);
    json_t *report = NULL;
    if (err == GJ_E_OK) err = gj_sim_run(&o, &report, st);
    if (report != NULL) {
        gj_status out_st;
        gj_err out_err = write_outputs(c, report, &out_st);
        if (out_err != GJ_E_OK && err == GJ_E_OK) {
            err = out_err;
            *st = out_st;
        }
        *out = report;
    }
    return err;
}

#define OPT_PARAMS {"params", "FILE", "generator parameter file (JSON; see gen params)", false}
#define OPT_SEED {"seed", "S", "random seed (default: the parameter file's, else 1)", false}
#define OPT_REGIONS {"regions", "LIST", "only these regions, e.g. 430100,430200", false}

const cli_command cli_sim_commands[] = {
    {"gen", "params", "Print the generator's parameters / 模拟参数",
     "The default parameters (with --params, as that file sets them) as the JSON document the\n"
     "other gen commands and simulate read; every default and its source: docs/simulation.md.",
     NULL, CLI_OPTS(OPT_PARAMS, {"out", "FILE", "write to FILE instead of stdout", false}),
     "gongji gen params --out params.json", NULL, run_gen_params, print_document},
    {"gen", "persons", "Generate a synthetic population as import CSV / 生成模拟参保人员",
     "Families (couples, children, parents, grandparents, siblings) drawn around an employee,\n"
     "across the regions the policy files describe, valid ID numbers; the same seed gives the\n"
     "same file (docs/simulation.md). Ages are computed against today (see --now). Without\n"
     "--out the CSV goes to stdout.",
     NULL,
     CLI_OPTS({"families", "N", "number of families", true}, OPT_SEED,
              {"demo", NULL, "put the README's named people first", false}, OPT_PARAMS, OPT_REGIONS,
              {"out", "FILE", "write the CSV to FILE instead of stdout", false}),
     "gongji gen persons --families 2000 --seed 42 --demo --out persons.csv", NULL,
     run_gen_persons, NULL},
    {"gen", "population", "Generate a population directory / 生成模拟人群",
     "persons.csv, families.csv (the family tree), institutions.csv and params.json in DIR;\n"
     "with --year also that year's bills (see gen year). The same parameters and seed give\n"
     "byte-identical files.",
     NULL,
     CLI_OPTS({"out", "DIR", "directory to write (created if missing)", true},
              {"families", "N", "number of families (default: the parameter file's, else 2000)", false},
              OPT_SEED, OPT_PARAMS, OPT_REGIONS,
              {"as-of", "DATE", "ages are computed on this date (default today)", false},
              {"year", "YYYY", "also generate this year's bills", false}),
     "gongji gen population --families 500 --seed 7 --as-of 2025-01-01 --year 2025 --out pop", NULL,
     run_gen_population, NULL},
    {"gen", "year", "Generate a year of bills and premiums / 生成年度就医购药",
     "DIR/bills-YYYY.csv: visits, inpatient stays and pharmacy purchases by age, and the dates\n"
     "residents' premiums fall due, in time order, with the parameters in DIR/params.json.\n"
     "--requests also writes every bill as a national 2207/2102 request, one JSON per line.",
     NULL,
     CLI_OPTS({"population", "DIR", "population directory (gen population)", true},
              {"year", "YYYY", "the year", true}, OPT_SEED,
              {"requests", "FILE", "also write the bills as national requests (JSON lines)", false}),
     "gongji gen year --population pop --year 2025", NULL, run_gen_year, NULL},
    {"simulate", NULL, "Compare policy versions over a year / 政策模拟对比",
     "Runs one population's year of bills and premiums through the engine once per --policy,\n"
     "each in throwaway stores (processes side by side), ends each run with verify, and\n"
     "compares: families using mutual aid, amounts by own account / mutual aid / cash,\n"
     "premiums paid for relatives, refusals by code and rule, donors at their reserve floor,\n"
     "members at their limit — in total, per region and per relation. A --policy is a policy\n"
     "directory or one policy file replacing its region's file in a copy of --policies.\n"
     "The population runs in equal shards of whole families (at most about --shard-insured\n"
     "people each, default 500), each in its own store, deleted when done; the shards'\n"
     "figures are summed. Each store is kept in memory when --jobs of them fit in half the\n"
     "machine's memory (about 80 KB per insured person), else in a file (--store).\n"
     "Prints a table (--json: the report); docs/simulation.md.",
     NULL,
     CLI_OPTS({"population", "DIR|FILE", "population directory, or a parameter file to generate one", true},
              {"policy", "DIR|FILE", "a policy version (repeat: A, B, …; up to 4)", true},
              {"year", "YYYY", "the simulated year (default 2025)", false},
              {"json-out", "FILE", "write the report (JSON) to FILE", false},
              {"csv", "FILE", "write the figures as CSV to FILE", false},
              {"svg", "FILE", "write the chart (SVG) to FILE", false},
              {"jobs", "N", "runs (policy × shard) at once (default: the number of cores)", false},
              {"shard-insured", "N", "at most about N insured people per shard (default 500)", false},
              {"store", "WHERE", "auto (default), memory or disk: where each run's store lives", false}),
     "gongji simulate --population docs/examples/sim-hunan.json --policy policies \\\n"
     "    --policy docs/examples/430000-hunan-limit5.json --json-out hunan.json \\\n"
     "    --csv hunan.csv --svg hunan.svg",
     NULL, run_simulate, sim_table_print},
    CLI_END,
};
