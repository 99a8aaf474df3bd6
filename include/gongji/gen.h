/* gen.h — deterministic synthetic populations and years of bills, for the what-if simulation,
 * the benchmarks and the demo (docs/simulation.md).
 *
 * A population is a directory: persons.csv (the columns `gongji import persons` reads),
 * families.csv (who is whose father, mother, spouse — relations are derived from it),
 * institutions.csv (a hospital and a pharmacy per region) and params.json (the parameters used).
 * A year is bills-YYYY.csv in that directory: visits, pharmacy purchases and premium dates by age,
 * one compact line per event, each bill convertible to a national 2207 / 2102 request.
 * Parameters come from defaults (each with its source or marked as an assumption) overridden
 * by a JSON file. The same parameters and seed give byte-identical files. */
#ifndef GONGJI_GEN_H
#define GONGJI_GEN_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gongji/csv.h"
#include "gongji/error.h"
#include "gongji/gjtime.h"
#include "gongji/money.h"

enum {
    GJ_GEN_FAMILIES_MAX = 5000000,
    GJ_GEN_REGIONS_MAX = 32,
    GJ_GEN_DISTRICTS_MAX = 4,
    GJ_GEN_AGE_BANDS = 6,          /* lower bounds in params.age_bands */
    GJ_GEN_ALIVE_BANDS = 6,        /* < 60, 60s, 70s, 80s, 90s, 100+ */
    GJ_GEN_VISITS_MAX = 8,
    GJ_GEN_CATEGORIES_MAX = 10,
    GJ_GEN_CHILDREN_MAX = 3,
    GJ_GEN_SIBLINGS_MAX = 3,
};

#define GJ_GEN_PERSONS_FILE "persons.csv"
#define GJ_GEN_FAMILIES_FILE "families.csv"
#define GJ_GEN_INSTITUTIONS_FILE "institutions.csv"
#define GJ_GEN_PARAMS_FILE "params.json"

typedef struct {
    char admdvs[7];                            /* insured region (city level, 医保统筹区) */
    int weight;                                /* share of families living here */
    char districts[GJ_GEN_DISTRICTS_MAX][7];   /* area codes for resident ID numbers */
    int district_count;
} gj_gen_region;

/* One kind of event: outpatient visits, inpatient stays, pharmacy purchases. */
typedef struct {
    char name[16];
    char infno[5];                             /* 2207 (hospital) or 2102 (pharmacy) */
    char med_type[3];
    int rate_milli[GJ_GEN_AGE_BANDS];          /* events per 1000 persons per year, by age band */
    gj_fen bill_mean_fen;
    int fulamt_permille, overlmt_permille, preselfpay_permille;   /* mean shares of a bill */
    int excluded_permille;                     /* bills carrying an excluded-category line */
} gj_gen_visit;

typedef struct {
    char code[24];                             /* spending category (docs/policies.md) */
    int weight;
} gj_gen_category;

typedef struct {
    uint64_t seed;
    long families;                             /* 1..GJ_GEN_FAMILIES_MAX */
    gj_date as_of;                             /* ages and birth dates are against this date */
    bool with_demo_people;                     /* first rows: the README's named people */
    bool progress;
    const volatile sig_atomic_t *stop;         /* NULL, or nonzero once generation must stop */
    gj_gen_region regions[GJ_GEN_REGIONS_MAX];
    int region_count;
    struct {
        int head_age_min, head_age_max;
        int spouse_permille;
        int children_permille[GJ_GEN_CHILDREN_MAX + 1];   /* 0, 1, 2, 3 children */
        int siblings_permille[GJ_GEN_SIBLINGS_MAX + 1];   /* 0, 1, 2, 3 siblings */
        int grandchild_permille;               /* a child aged 25+ has a child */
        int alive_permille[GJ_GEN_ALIVE_BANDS];
        int other_city_permille, other_province_permille;   /* parents, grandparents, siblings */
    } family;
    struct {
        int working_permille;                  /* employees among the insured aged 18–59 */
        int retired_permille;                  /* employees (retirees) among those 60+ */
    } employee;
    struct {
        gj_fen prior_mean_fen, current_mean_fen, card_max_fen;
    } accounts;
    int age_bands[GJ_GEN_AGE_BANDS];
    gj_gen_visit visits[GJ_GEN_VISITS_MAX];
    int visit_count;
    gj_gen_category categories[GJ_GEN_CATEGORIES_MAX];
    int category_count;
    struct {
        int window_from[2], window_to[2];      /* collection window: month, day */
        int permille;                          /* residents whose premium falls due */
    } premium;
} gj_gen_params;

/* Whether the caller asked generation to stop (p->stop): the loops then end early and the
 * functions below fail (gj_gen_persons returns -1). */
static inline bool gj_gen_stopped(const gj_gen_params *p) { return p->stop != NULL && *p->stop != 0; }

/* ---- parameters (gen_params.c) ---- */
void gj_gen_params_default(gj_gen_params *p);
/* Apply a parameter document over *p: every key optional, unknown keys and bad values refused
 * naming the JSON path. */
gj_err gj_gen_params_apply(gj_gen_params *p, json_t *doc, gj_status *st);
gj_err gj_gen_params_load(const char *path, gj_gen_params *p, gj_status *st);
/* The full parameter document (every key), as gj_gen_params_apply reads it. */
json_t *gj_gen_params_json(const gj_gen_params *p);
/* Keep only the listed regions ("430100,310000"), in that order; unknown codes are refused. */
gj_err gj_gen_select_regions(gj_gen_params *p, const char *list, gj_status *st);

/* ---- populations (gen.c, gen_family.c) ---- */
typedef struct {
    long families, persons, events;
} gj_gen_counts;

/* The person CSV alone (`gongji gen persons`); returns the persons written, -1 on bad params. */
long gj_gen_persons(FILE *out, const gj_gen_params *p);
/* A population directory (created if missing): persons, families, institutions, params. */
gj_err gj_gen_population(const char *dir, const gj_gen_params *p, gj_gen_counts *out,
                         gj_status *st);
/* Institution codes of the generated population: "H<admdvs>00001" hospital,
 * "Y<admdvs>00001" pharmacy (buf ≥ 16). */
void gj_gen_institution_code(bool pharmacy, const char *admdvs, char *buf, size_t size);

/* ---- years of events (gen_year.c, gen_event.c) ---- */
typedef enum { GJ_GEN_EV_HOSPITAL, GJ_GEN_EV_PHARMACY, GJ_GEN_EV_PREMIUM } gj_gen_ev_kind;

typedef struct {
    gj_time at;
    gj_gen_ev_kind kind;
    char msgid[32];
    char psn_no[32];
    char fixmedins_code[16];
    char mdtrtarea_admvs[7];
    char med_type[3];
    char insutype[4];
    gj_fen medfee_fen, fulamt_fen, overlmt_fen, preselfpay_fen;
    char spend_ctgy[24];                       /* "" or the excluded line's category */
    gj_fen excluded_fen;
} gj_gen_event;

/* "bills-2025.csv" in dir (buf ≥ dir length + 20). */
void gj_gen_year_path(const char *dir, int year, char *buf, size_t size);
/* Write the year's events for the population in `dir` (read from its persons.csv), ordered by
 * time; requests != NULL also gets every bill as a national request envelope, one per line. */
gj_err gj_gen_year(const char *dir, int year, const gj_gen_params *p, FILE *requests,
                   gj_gen_counts *out, gj_status *st);

/* The bill file's header line (without newline) and one event line. */
const char *gj_gen_event_header(void);
void gj_gen_event_write(FILE *f, const gj_gen_event *ev);
/* Parse one bill-file record (not the header). */
gj_err gj_gen_event_parse(const gj_csv_record *rec, gj_gen_event *ev, gj_status *st);
/* The national settlement request for a bill (2207 data/feedetail, 2102 druginfo/drugdetail),
 * the patient presenting their electronic credential `ecert_no` (mdtrt_cert_type 01). */
json_t *gj_gen_event_request(const gj_gen_event *ev, const char *ecert_no);

#endif
