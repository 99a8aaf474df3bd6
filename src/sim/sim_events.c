/* sim_events.c — the year's events through the engine, the clock stepped to each: a bill
 * becomes its national request (2207 / 2102) for gj_nhsa_call_text and the answer's setlinfo is
 * summed (own account = medfee − fund − mutual aid − cash); a premium falling due is paid by the
 * member's donor through gj_premium_pay for the next benefit year (the collection window lies
 * in this year). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/jsonx.h"
#include "gongji/money.h"
#include "sim_internal.h"

bool sim_fatal(gj_err e) { return e == GJ_E_STORE || e == GJ_E_INTERNAL; }

void sim_refused(sim_run *r, sim_action a, gj_err code) { r->stats.refusals[a][code]++; }

void sim_tick(sim_run *r, uint64_t n) {
    if (r->progress != NULL) atomic_fetch_add_explicit(r->progress, n, memory_order_relaxed);
}

/* The err_code of a refusal as gongji writes it; INTERNAL when it names no known code. */
static gj_err code_of(const char *answer) {
    char name[64] = "";
    const char *value = NULL;
    size_t len = 0;
    if (gj_json_text_string(answer, "err_code", &value, &len) && len < sizeof name) {
        memcpy(name, value, len);
        name[len] = '\0';
    }
    gj_err code = gj_err_from_name(name);
    return code == GJ_E_COUNT_ ? GJ_E_INTERNAL : code;
}

static int relation_bucket(const sim_run *r, int32_t who) {
    return r->donor_of[who] >= 0 ? r->relation_of[who] : SIM_REL_NONE;
}

static void aid_used(sim_run *r, int32_t who, gj_time at, gj_fen amount) {
    int y, m, d;
    gj_date_to_ymd(gj_time_date(at), &y, &m, &d);
    r->stats.monthly_mutual_aid[m - 1] += amount;
    r->aid_received[who] += amount;
    int32_t node = r->pop->persons[who].node;
    if (node >= 0) r->family_used[r->pop->nodes[node].family] = true;
}

/* An amount of the answer's setlinfo block (text from "setlinfo" on, as gongji writes it). */
static gj_err setlinfo_amount(const char *setlinfo, const char *key, gj_fen *out, gj_status *st) {
    const char *value = NULL;
    size_t len = 0;
    if (!gj_json_text_string(setlinfo, key, &value, &len) || gj_money_parse(value, len, out) != GJ_E_OK)
        return gj_fail(st, GJ_E_INTERNAL, "settlement answer: %s missing or not an amount", key);
    return GJ_E_OK;
}

/* Sum one settlement's setlinfo into the counters. */
static gj_err settled(sim_run *r, int32_t who, gj_time at, const char *setlinfo, gj_status *st) {
    gj_fen medfee = 0, fund = 0, aid = 0, cash = 0;
    int region = r->pop->persons[who].region, relation = relation_bucket(r, who);
    gj_err e;
    if ((e = setlinfo_amount(setlinfo, "medfee_sumamt", &medfee, st)) ||
        (e = setlinfo_amount(setlinfo, "fund_pay_sumamt", &fund, st)) ||
        (e = setlinfo_amount(setlinfo, "acct_mulaid_pay", &aid, st)) ||
        (e = setlinfo_amount(setlinfo, "psn_cash_pay", &cash, st)))
        return e;
    SIM_COUNT(&r->stats, region, relation, bills, 1);
    SIM_COUNT(&r->stats, region, relation, medfee, medfee);
    SIM_COUNT(&r->stats, region, relation, fund, fund);
    SIM_COUNT(&r->stats, region, relation, own_account, medfee - fund - aid - cash);
    SIM_COUNT(&r->stats, region, relation, mutual_aid, aid);
    SIM_COUNT(&r->stats, region, relation, cash, cash);
    if (aid > 0) {
        SIM_COUNT(&r->stats, region, relation, bills_with_mutual_aid, 1);
        aid_used(r, who, at, aid);
    }
    return GJ_E_OK;
}

/* A refused bill: counted by its code, or the run's end when the store failed. */
static gj_err refused(sim_run *r, const gj_gen_event *ev, const char *answer, gj_status *st) {
    gj_err err = code_of(answer);
    if (!sim_fatal(err)) {
        sim_refused(r, SIM_ACT_BILL, err);
        return GJ_E_OK;
    }
    json_t *response = json_loads(answer, 0, NULL);
    gj_fail(st, err, "%s: %s", ev->msgid, json_string_value(json_object_get(response, "err_msg")));
    json_decref(response);
    return err;
}

/* The answer is read as gongji writes it (gj_nhsa_call_text): infcode first, then setlinfo —
 * a settlement's answer is not turned into a tree to read four amounts. */
static gj_err bill(sim_run *r, int32_t who, const gj_gen_event *ev, gj_status *st) {
    static const char SETTLED[] = "{\"infcode\":0,";
    json_t *request = gj_gen_event_request(ev, r->pop->persons[who].ecert);
    char *answer = gj_nhsa_call_text(r->engine, request);
    json_decref(request);
    if (answer == NULL) return gj_fail(st, GJ_E_INTERNAL, "%s: no answer (out of memory)", ev->msgid);
    const char *setlinfo = strstr(answer, "\"setlinfo\":{");
    gj_err err;
    if (strncmp(answer, SETTLED, sizeof SETTLED - 1) == 0 && setlinfo != NULL)
        err = settled(r, who, ev->at, setlinfo, st);
    else
        err = refused(r, ev, answer, st);
    free(answer);
    return err;
}

static gj_err premium(sim_run *r, int32_t who, gj_status *st) {
    const sim_person *member = &r->pop->persons[who];
    int region = member->region, relation = relation_bucket(r, who);
    int32_t donor = r->donor_of[who];
    SIM_COUNT(&r->stats, region, relation, premiums_due, 1);
    if (donor < 0) return GJ_E_OK;   /* paid some other way: not mutual aid */
    const sim_person *d = &r->pop->persons[donor];
    gj_actor actor = {.actor = d->psn_no, .channel = "app"};
    json_t *out = NULL;
    gj_fen amount = 0;
    gj_err err = gj_premium_pay(r->engine, &actor, d->psn_no, member->psn_no, r->year + 1, &out, st);
    if (err == GJ_E_OK && gj_json_amount(out, "amount_yuan", true, &amount, st) == GJ_E_OK) {
        SIM_COUNT(&r->stats, region, relation, premiums_paid, 1);
        SIM_COUNT(&r->stats, region, relation, premiums_amount, amount);
        int32_t node = member->node;
        if (node >= 0) r->family_used[r->pop->nodes[node].family] = true;
    } else if (!sim_fatal(err)) {
        sim_refused(r, SIM_ACT_PREMIUM, err);
        SIM_COUNT(&r->stats, region, relation, premiums_refused, 1);
        err = GJ_E_OK;
    }
    json_decref(out);
    return err;
}

gj_err sim_batch_month(sim_run *r, gj_date day, gj_status *st) {
    gj_store *s = gj_engine_store(r->engine);
    int year = 0, month = 0, mday = 0;
    gj_date_to_ymd(day, &year, &month, &mday);
    int batch_month = year * 12 + month - 1;
    if (gj_store_in_batch(s) && batch_month == r->batch_month) return GJ_E_OK;   /* any order works */
    gj_err err = gj_store_in_batch(s) ? gj_store_batch_commit(s, st) : GJ_E_OK;
    if (err == GJ_E_OK) err = gj_store_batch_begin(s, st);
    r->batch_month = batch_month;
    return err;
}

gj_err sim_batch_end(sim_run *r, gj_err err, gj_status *st) {
    gj_store *s = gj_engine_store(r->engine);
    if (!gj_store_in_batch(s)) return err;
    if (err == GJ_E_OK) return gj_store_batch_commit(s, st);
    gj_store_batch_rollback(s);
    return err;
}

static gj_err one_event(void *ctx, const gj_csv_record *rec, gj_status *st) {
    sim_run *r = ctx;
    gj_gen_event ev;
    gj_err err = gj_gen_event_parse(rec, &ev, st);
    if (err != GJ_E_OK) return err;
    int32_t who = sim_map_get(&r->by_psn, ev.psn_no);
    if (who < 0) return gj_fail(st, GJ_E_NOT_FOUND, "bills line %ld: %s is not in persons.csv", rec->line_no, ev.psn_no);
    gj_clock_fix(ev.at);
    if ((err = sim_batch_month(r, gj_time_date(ev.at), st)) != GJ_E_OK) return err;
    err = ev.kind == GJ_GEN_EV_PREMIUM ? premium(r, who, st) : bill(r, who, &ev, st);
    sim_tick(r, 1);
    return err;
}

gj_err sim_run_events(sim_run *r, gj_status *st) {
    char path[SIM_PATH_MAX + 32];
    gj_gen_year_path(r->shard->dir, r->year, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (f == NULL) return gj_fail(st, GJ_E_NOT_FOUND, "%s: %s", path, strerror(errno));
    gj_err err = gj_csv_each(f, "time", one_event, r, st);
    fclose(f);
    return err;
}
