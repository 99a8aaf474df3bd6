/* gen_year.c — a year of events for a population: each person's visits, inpatient stays and
 * pharmacy purchases by age band (the visits.* rates), scaled by a personal frailty multiplier
 * (roughly exponential, so a few people use much more care than most), on uniformly drawn days;
 * each resident's premium on a day of the collection window. Events are written in time order
 * (a day's events spread over 08:00–20:00), each bill with its amount and self-pay classes and
 * sometimes an excluded-category line. Every draw comes from a stream named by the seed, the
 * year, the person and the event, so the same inputs give the same file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen_internal.h"
#include "gongji/idcard.h"
#include "gongji/progress.h"

enum { PREMIUM_TYPE = 255, DAY_START_S = 8 * 3600, DAY_SPAN_S = 12 * 3600 };

typedef struct {
    char psn_no[32], ecert[32], admdvs[7], insutype[4];
    int age;
} year_person;

typedef struct {
    uint32_t person;
    uint16_t ordinal;
    uint8_t type;            /* index into params.visits, or PREMIUM_TYPE */
} year_event;

typedef struct {
    const gj_gen_params *p;
    int year, days;
    gj_date jan1, window_from, window_to;
    year_person *people;
    size_t people_count, people_capacity;
    year_event *events;
    size_t *day_start;       /* [days + 1]: first event of each day */
} year_plan;

/* ---- the population ---- */

/* Why a row has no birth date for the year: an ID number of someone born after the year
 * began (a population generated as of a later date) is named with what to do instead. */
static gj_err no_birth_date(const gj_csv_record *rec, gj_date jan1, gj_status *st) {
    gj_idcard id;
    char born[16];
    gj_date today = gj_time_date(gj_now());
    if (strcmp(rec->field[2], "01") != 0 || today <= jan1 ||
        gj_idcard_parse(rec->field[3], strlen(rec->field[3]), today, &id, st) != GJ_E_OK)
        return gj_fail(st, GJ_E_BAD_DATE, "persons line %ld: no birth date", rec->line_no);
    return gj_fail(st, GJ_E_BAD_DATE,
                   "persons line %ld: %s was born on %s, after the year began; generate the "
                   "population as of its first day (gongji gen population --as-of)",
                   rec->line_no, rec->field[0], gj_date_format(id.birth, born, sizeof born));
}

static gj_err person_from(const gj_csv_record *rec, gj_date jan1, year_person *out, gj_status *st) {
    gj_idcard id;
    gj_date birth = 0;
    if (rec->count != 14) return gj_fail(st, GJ_E_BAD_FIELD, "persons line %ld: 14 columns", rec->line_no);
    if (strcmp(rec->field[2], "01") == 0 &&
        gj_idcard_parse(rec->field[3], strlen(rec->field[3]), jan1, &id, st) == GJ_E_OK)
        birth = id.birth;
    else if (gj_date_parse(rec->field[4], &birth) != GJ_E_OK)
        return no_birth_date(rec, jan1, st);
    snprintf(out->psn_no, sizeof out->psn_no, "%.31s", rec->field[0]);
    snprintf(out->ecert, sizeof out->ecert, "%.31s", rec->field[12]);
    snprintf(out->admdvs, sizeof out->admdvs, "%.6s", rec->field[6]);
    snprintf(out->insutype, sizeof out->insutype, "%.3s", rec->field[7]);
    out->age = gj_age_years(birth, jan1);
    return GJ_E_OK;
}

static gj_err person_row(void *ctx, const gj_csv_record *rec, gj_status *st) {
    year_plan *y = ctx;
    if (y->people_count == y->people_capacity) {
        y->people_capacity = y->people_capacity ? y->people_capacity * 2 : 4096;
        year_person *grown = realloc(y->people, y->people_capacity * sizeof *grown);
        if (grown == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
        y->people = grown;
    }
    return person_from(rec, y->jan1, &y->people[y->people_count++], st);
}

/* ---- planning: how many events of each type, on which days ---- */

typedef void (*emit_fn)(year_plan *y, size_t person, int day, uint16_t ordinal, uint8_t type);

static void plan_person(year_plan *y, size_t i, emit_fn emit) {
    const year_person *who = &y->people[i];
    gen_rng r = gen_rng_for(y->p->seed, 3, (uint64_t)y->year, i);
    long frailty = gen_exp_milli(&r);
    int band = gen_age_band(y->p, who->age);
    uint16_t ordinal = 0;
    for (int v = 0; v < y->p->visit_count; v++) {
        long expected = y->p->visits[v].rate_milli[band] * frailty / 1000;
        long n = expected / 1000 + (gen_uniform(&r, 0, 999) < expected % 1000);
        for (long k = 0; k < n && ordinal < UINT16_MAX; k++)
            emit(y, i, gen_uniform(&r, 0, y->days - 1), ordinal++, (uint8_t)v);
    }
    if (strcmp(who->insutype, "390") == 0 && gen_chance(&r, y->p->premium.permille))
        emit(y, i, gen_uniform(&r, y->window_from - y->jan1, y->window_to - y->jan1), ordinal,
             PREMIUM_TYPE);
}

static void count_event(year_plan *y, size_t person, int day, uint16_t ordinal, uint8_t type) {
    (void)person, (void)ordinal, (void)type;
    y->day_start[day + 1]++;
}

static void place_event(year_plan *y, size_t person, int day, uint16_t ordinal, uint8_t type) {
    y->events[y->day_start[day]++] = (year_event){.person = (uint32_t)person, .ordinal = ordinal, .type = type};
}

static gj_err plan(year_plan *y, gj_status *st) {
    y->day_start = calloc((size_t)y->days + 1, sizeof *y->day_start);
    if (y->day_start == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < y->people_count; i++) plan_person(y, i, count_event);
    for (int d = 0; d < y->days; d++) y->day_start[d + 1] += y->day_start[d];
    y->events = malloc((y->day_start[y->days] + 1) * sizeof *y->events);
    if (y->events == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < y->people_count; i++) plan_person(y, i, place_event);
    for (int d = y->days; d > 0; d--) y->day_start[d] = y->day_start[d - 1];   /* back to starts */
    y->day_start[0] = 0;
    return GJ_E_OK;
}

/* ---- one event's details ---- */

static void bill_amounts(gen_rng *r, const gj_gen_params *p, const gj_gen_visit *v, gj_gen_event *ev) {
    ev->medfee_fen = gen_scale(v->bill_mean_fen, gen_exp_milli(r));
    if (ev->medfee_fen < 100) ev->medfee_fen = 100;
    ev->fulamt_fen = gen_scale(ev->medfee_fen, gen_uniform(r, 0, 2 * v->fulamt_permille));
    ev->overlmt_fen = gen_scale(ev->medfee_fen, gen_uniform(r, 0, 2 * v->overlmt_permille));
    ev->preselfpay_fen = gen_scale(ev->medfee_fen, gen_uniform(r, 0, 2 * v->preselfpay_permille));
    if (gen_chance(r, v->excluded_permille)) {   /* the excluded line is a pre-paid self part */
        int weights[GJ_GEN_CATEGORIES_MAX];
        for (int c = 0; c < p->category_count; c++) weights[c] = p->categories[c].weight;
        int c = gen_weighted(r, weights, p->category_count);
        snprintf(ev->spend_ctgy, sizeof ev->spend_ctgy, "%s", p->categories[c].code);
        ev->excluded_fen = gen_scale(ev->medfee_fen, gen_uniform(r, 50, 300));
        if (ev->preselfpay_fen < ev->excluded_fen) ev->preselfpay_fen = ev->excluded_fen;
    }
    gj_fen room = ev->medfee_fen - ev->fulamt_fen - ev->overlmt_fen;
    if (ev->preselfpay_fen > room) ev->preselfpay_fen = room;
    if (ev->excluded_fen > ev->preselfpay_fen) ev->excluded_fen = ev->preselfpay_fen;
    if (ev->excluded_fen == 0) ev->spend_ctgy[0] = '\0';
}

static void describe(const year_plan *y, const year_event *e, long seq, gj_time at, gj_gen_event *ev) {
    const year_person *who = &y->people[e->person];
    memset(ev, 0, sizeof *ev);
    ev->at = at;
    snprintf(ev->psn_no, sizeof ev->psn_no, "%s", who->psn_no);
    snprintf(ev->insutype, sizeof ev->insutype, "%s", who->insutype);
    if (e->type == PREMIUM_TYPE) {
        ev->kind = GJ_GEN_EV_PREMIUM;
        return;
    }
    const gj_gen_visit *v = &y->p->visits[e->type];
    gen_rng r = gen_rng_for(y->p->seed, 4, (uint64_t)y->year, ((uint64_t)e->person << 16) | e->ordinal);
    ev->kind = strcmp(v->infno, "2102") == 0 ? GJ_GEN_EV_PHARMACY : GJ_GEN_EV_HOSPITAL;
    snprintf(ev->msgid, sizeof ev->msgid, "GJ%04d%010ld", y->year % 10000, seq);
    gj_gen_institution_code(ev->kind == GJ_GEN_EV_PHARMACY, who->admdvs, ev->fixmedins_code,
                            sizeof ev->fixmedins_code);
    snprintf(ev->mdtrtarea_admvs, sizeof ev->mdtrtarea_admvs, "%s", who->admdvs);
    snprintf(ev->med_type, sizeof ev->med_type, "%s", v->med_type);
    bill_amounts(&r, y->p, v, ev);
}

static void write_events(year_plan *y, FILE *out, FILE *requests, gj_gen_counts *counts) {
    gj_progress bar;
    size_t total = y->day_start[y->days];
    long seq = 0;
    gj_progress_start(&bar, "generate year", total);
    if (!y->p->progress) bar.enabled = false;
    fprintf(out, "%s\n", gj_gen_event_header());
    for (int d = 0; d < y->days; d++) {
        size_t first = y->day_start[d], n = y->day_start[d + 1] - first;
        for (size_t k = 0; k < n; k++) {
            gj_gen_event ev;
            const year_event *e = &y->events[first + k];
            gj_time at = gj_date_start(y->jan1 + d) + DAY_START_S + (gj_time)(k * DAY_SPAN_S / n);
            describe(y, e, e->type == PREMIUM_TYPE ? seq : ++seq, at, &ev);
            gj_gen_event_write(out, &ev);
            if (requests != NULL && ev.kind != GJ_GEN_EV_PREMIUM) {
                json_t *req = gj_gen_event_request(&ev, y->people[e->person].ecert);
                json_dumpf(req, requests, JSON_COMPACT | JSON_SORT_KEYS);
                fputc('\n', requests);
                json_decref(req);
            }
        }
        gj_progress_update(&bar, y->day_start[d + 1]);
        if (gj_gen_stopped(y->p)) break;
    }
    gj_progress_finish(&bar);
    counts->events = (long)total;
    counts->persons = (long)y->people_count;
}

void gj_gen_year_path(const char *dir, int year, char *buf, size_t size) {
    snprintf(buf, size, "%s/bills-%d.csv", dir, year);
}

gj_err gj_gen_year(const char *dir, int year, const gj_gen_params *p, FILE *requests,
                   gj_gen_counts *out, gj_status *st) {
    char path[4096];
    if (year < 1900 || year > 9998) return gj_fail(st, GJ_E_BAD_FIELD, "year: 1900..9998");
    year_plan y = {.p = p, .year = year, .jan1 = gj_date_from_ymd(year, 1, 1)};
    y.days = gj_date_from_ymd(year + 1, 1, 1) - y.jan1;
    y.window_from = gj_date_from_ymd(year, p->premium.window_from[0], p->premium.window_from[1]);
    y.window_to = gj_date_from_ymd(year, p->premium.window_to[0], p->premium.window_to[1]);
    snprintf(path, sizeof path, "%s/%s", dir, GJ_GEN_PERSONS_FILE);
    FILE *in = fopen(path, "r");
    if (in == NULL) return gj_fail(st, GJ_E_NOT_FOUND, "%s: %s", path, strerror(errno));
    gj_err err = gj_csv_each(in, "psn_no", person_row, &y, st);
    fclose(in);
    if (err == GJ_E_OK) err = plan(&y, st);
    /* Written under a temporary name and renamed when complete: a stopped or failed run never
     * leaves a partial year where a later run would take it for the whole one. */
    char part[sizeof path + 8];
    gj_gen_year_path(dir, year, path, sizeof path);
    snprintf(part, sizeof part, "%s.part", path);
    FILE *f = err == GJ_E_OK ? fopen(part, "w") : NULL;
    if (err == GJ_E_OK && f == NULL) err = gj_fail(st, GJ_E_BAD_FIELD, "%s: %s", part, strerror(errno));
    *out = (gj_gen_counts){0};
    if (err == GJ_E_OK) write_events(&y, f, requests, out);
    if (err == GJ_E_OK && gj_gen_stopped(p))
        err = gen_stopped_failure(p, st);
    if (f != NULL && fclose(f) != 0 && err == GJ_E_OK)
        err = gj_fail(st, GJ_E_INTERNAL, "writing %s failed", part);
    if (err == GJ_E_OK && rename(part, path) != 0)
        err = gj_fail(st, GJ_E_INTERNAL, "%s: %s", path, strerror(errno));
    if (err != GJ_E_OK && f != NULL) remove(part);
    free(y.people);
    free(y.events);
    free(y.day_start);
    return err;
}
