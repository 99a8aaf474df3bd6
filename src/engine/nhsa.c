/* nhsa.c — the national-interface envelope: validate it, dispatch by infno, make messages that
 * change state idempotent per (institution, msgid) (R4.8: a retry returns the first answer and
 * changes nothing), and shape the response (infcode, inf_refmsgid, err_msg, output). */
#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/admdvs.h"
#include "gongji/json_writer.h"
#include "message.h"
#include "nhsa_commands.h"

/* READ and TRIAL write nothing (their transaction is rolled back); WRITE is remembered. */
typedef enum { KIND_READ, KIND_TRIAL, KIND_WRITE } infno_kind;

static gj_err settle_trial(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);
static gj_err settle_commit(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st);

static const struct {
    const char *infno;
    infno_kind kind;
    nhsa_command run;
} infnos[] = {
    {"9001", KIND_WRITE, nhsa_sign_in},         {"9002", KIND_WRITE, nhsa_sign_out},
    {"1101", KIND_READ, nhsa_person_info},
    {"2101", KIND_TRIAL, settle_trial},         {"2102", KIND_WRITE, settle_commit},
    {"2103", KIND_WRITE, settle_cancel},
    {"2201", KIND_WRITE, nhsa_visit_register},  {"2202", KIND_WRITE, nhsa_visit_cancel},
    {"2203", KIND_WRITE, nhsa_visit_info},      {"2204", KIND_WRITE, nhsa_fee_upload},
    {"2205", KIND_WRITE, nhsa_fee_cancel},
    {"2206", KIND_TRIAL, settle_trial},         {"2207", KIND_WRITE, settle_commit},
    {"2208", KIND_WRITE, settle_cancel},
    {"2301", KIND_WRITE, nhsa_fee_upload},      {"2302", KIND_WRITE, nhsa_fee_cancel},
    {"2303", KIND_TRIAL, settle_trial},         {"2304", KIND_WRITE, settle_commit},
    {"2305", KIND_WRITE, settle_cancel},
    {"2401", KIND_WRITE, nhsa_visit_admit},     {"2402", KIND_WRITE, nhsa_visit_discharge},
    {"2404", KIND_WRITE, nhsa_visit_cancel},    {"2405", KIND_WRITE, nhsa_visit_reopen},
    {"2601", KIND_WRITE, nhsa_reversal},
    {"3201", KIND_READ, recon_3201},            {"3202", KIND_READ, recon_3202},
};

static int find_infno(const char *infno) {
    for (size_t i = 0; i < sizeof infnos / sizeof infnos[0]; i++)
        if (strcmp(infnos[i].infno, infno) == 0) return (int)i;
    return -1;
}

/* "yyyyMMddHHmmss" (+ "000" with millis) into buf (15 bytes, or 18 with millis): the digits of
 * "yyyy-MM-dd HH:mm:ss" without the separators. */
static void stamp(char *buf, size_t size, gj_time t, bool millis) {
    char text[GJ_TIME_TEXT_MAX];
    static const struct {
        int from, len;
    } spans[] = {{0, 4}, {5, 2}, {8, 2}, {11, 2}, {14, 2}, {17, 2}};
    assert(size >= (millis ? 18u : 15u));
    gj_time_format(t, text, sizeof text);
    char *p = buf;
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
        memcpy(p, text + spans[i].from, (size_t)spans[i].len);
        p += spans[i].len;
    }
    if (millis) {
        memcpy(p, "000", 3);
        p += 3;
    }
    *p = '\0';
}

/* The envelope's members before output: infcode, inf_refmsgid, refmsg_time, respond_time,
 * err_msg, warn_msg (an object must be open in w). */
static void write_envelope_head(gj_jw *w, const nhsa_ctx *ctx, int infcode, const char *err_msg) {
    static _Atomic unsigned long serial;   /* inf_refmsgid uniqueness within a process (any thread) */
    char refmsgid[64], respond[24], now14[16];
    gj_time now = gj_now();
    stamp(now14, sizeof now14, now, false);
    stamp(respond, sizeof respond, now, true);
    snprintf(refmsgid, sizeof refmsgid, "%.6s%s%010lu",
             ctx->mdtrtarea_admvs && strlen(ctx->mdtrtarea_admvs) == 6 ? ctx->mdtrtarea_admvs : "000000",
             now14, (atomic_fetch_add(&serial, 1) + 1) % 10000000000ul);
    gj_jw_member_int(w, "infcode", infcode);
    gj_jw_member_string(w, "inf_refmsgid", refmsgid);
    gj_jw_member_string(w, "refmsg_time", respond);
    gj_jw_member_string(w, "respond_time", respond);
    gj_jw_member_string(w, "err_msg", err_msg);
    gj_jw_member_string(w, "warn_msg", "");
}

/* A refusal: infcode -1, err_msg "CODE (rule): 中文 / English: detail", an empty output, and
 * gongji's err_code, err_rule and err_detail. */
static char *refusal(const nhsa_ctx *ctx, const gj_status *st) {
    char msg[GJ_STATUS_DETAIL_MAX + 256];
    const char *rule = gj_err_rule(st->code);
    snprintf(msg, sizeof msg, "%s%s%s%s: %s / %s%s%s", gj_err_name(st->code), *rule ? " (" : "", rule,
             *rule ? ")" : "", gj_err_zh(st->code), gj_err_en(st->code), *st->detail ? ": " : "",
             st->detail);
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_object_begin(&w);
    write_envelope_head(&w, ctx, -1, msg);
    gj_jw_key(&w, "output");
    gj_jw_raw(&w, "{}");
    gj_jw_member_string(&w, "err_code", gj_err_name(st->code));
    gj_jw_member_string(&w, "err_rule", rule);
    gj_jw_member_string(&w, "err_detail", st->detail);
    gj_jw_object_end(&w);
    return gj_jw_finish(&w);
}

/* A success: the envelope with output_text, and *head the envelope without its output (what
 * the message log keeps when the output is a settlement's, message.c). */
static char *success(const nhsa_ctx *ctx, const char *output_text, char **head) {
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_object_begin(&w);
    write_envelope_head(&w, ctx, 0, "");
    size_t head_len = w.len;
    gj_jw_key(&w, "output");
    gj_jw_raw(&w, output_text);
    gj_jw_object_end(&w);
    char *text = gj_jw_finish(&w);
    *head = text != NULL ? malloc(head_len + 2) : NULL;
    if (*head != NULL) {
        memcpy(*head, text, head_len);
        memcpy(*head + head_len, "}", 2);
    }
    return text;
}

static gj_err decode_envelope(json_t *req, nhsa_ctx *ctx, int *which, gj_status *st) {
    memset(ctx, 0, sizeof *ctx);
    if (!json_is_object(req)) return gj_fail(st, GJ_E_BAD_JSON, "request: object expected");
    gj_err err;
    const char *opter_type = NULL;
    if ((err = gj_json_text(req, "infno", 4, &ctx->infno, st)) ||
        (err = gj_json_text(req, "msgid", 30, &ctx->msgid, st)) ||
        (err = gj_json_text(req, "fixmedins_code", 30, &ctx->fixmedins_code, st)) ||
        (err = gj_json_text_opt(req, "mdtrtarea_admvs", 6, &ctx->mdtrtarea_admvs, st)) ||
        (err = gj_json_text_opt(req, "opter", 30, &ctx->opter, st)) ||
        (err = gj_json_text_opt(req, "opter_type", 1, &opter_type, st)))
        return err;
    ctx->opter_type = opter_type;
    if (ctx->mdtrtarea_admvs != NULL && !gj_admdvs_valid(ctx->mdtrtarea_admvs))   /* kept with a settlement */
        return gj_fail(st, GJ_E_BAD_ADMDVS, "mdtrtarea_admvs: not a region code");
    if ((*which = find_infno(ctx->infno)) < 0)
        return gj_fail(st, GJ_E_BAD_CODE, "infno: %s is not supported", ctx->infno);
    ctx->input = json_object_get(req, "input");
    if (!json_is_object(ctx->input)) return gj_fail(st, GJ_E_BAD_FIELD, "input: object required");
    return GJ_E_OK;
}

static void request_hash(const nhsa_ctx *ctx, char out[GJ_HASH_HEX]) {
    char *text = gj_json_encode(ctx->input, true);
    size_t len = strlen(ctx->infno) + 1 + (text ? strlen(text) : 0) + 1;
    char *buf = malloc(len);
    snprintf(buf, len, "%s|%s", ctx->infno, text ? text : "");
    sha256_hex(buf, strlen(buf), out);
    free(buf);
    free(text);
}

/* A stored answer for this (institution, msgid): *found, and its text if the same request. */
static gj_err replay(gj_engine *e, const nhsa_ctx *ctx, const char *hash, char **response,
                     bool *found, gj_status *st) {
    stored_message m;
    gj_err err = message_load(e, ctx->fixmedins_code, ctx->msgid, &m, st);
    *found = m.found;
    if (err == GJ_E_OK && m.found && strcmp(m.request_hash, hash) != 0)
        err = gj_fail(st, GJ_E_MSGID_REUSED, "msgid %s was used for a different request", ctx->msgid);
    else if (err == GJ_E_OK && m.found) {
        json_t *check = json_loads(m.response, 0, NULL);   /* a retry is rare: parse it once */
        if (check == NULL) err = gj_fail(st, GJ_E_INTERNAL, "stored response unreadable");
        json_decref(check);
    }
    if (err == GJ_E_OK && m.found) {
        *response = m.response;
        m.response = NULL;
    }
    message_free(&m);
    return err;
}

/* Institutions are never deleted: one found registered is remembered (gj_store_fact_get). */
gj_err nhsa_check_institution(gj_engine *e, const char *code, gj_status *st) {
    char fact[NHSA_ID_MAX + 16];
    int64_t n = 0;
    bool keyed = gj_join_text(fact, sizeof fact, "institution:", code, NULL);   /* false: too long */
    if (keyed && gj_store_fact_get(e->store, fact, NULL)) return GJ_E_OK;
    gj_err err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM institution WHERE fixmedins_code = $1",
                                  GJ_PARAMS(P_TEXT(code)), &n, st);
    if (err == GJ_E_OK && n == 0) err = gj_fail(st, GJ_E_NOT_FOUND, "fixmedins_code: not a registered institution");
    if (err == GJ_E_OK && keyed) gj_store_fact_put(e->store, fact, "1");
    return err;
}

gj_err nhsa_journal(gj_engine *e, const nhsa_ctx *ctx, const char *action, const char *subject,
                    json_t *detail, gj_status *st) {
    gj_actor who = {.actor = ctx->fixmedins_code, .channel = "his"};
    if (detail == NULL) detail = json_object();
    json_object_set_new(detail, "msgid", json_string(ctx->msgid));
    json_object_set_new(detail, "infno", json_string(ctx->infno));
    return eng_journal(e, &who, action, subject, detail, gj_now(), st);
}

/* Settlement: decode, check the visit (2303/2304: an inpatient stay), split the bill. */
static gj_err settle_run(gj_engine *e, const nhsa_ctx *ctx, bool trial, json_t **output,
                         gj_status *st) {
    settle_request *req = calloc(1, sizeof *req);
    if (req == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    gj_err err = GJ_E_OK;
    if (ctx->settle_decoded == NULL) {
        err = nhsa_decode_settle(ctx, req, st);
    } else {
        *req = ctx->settle_decoded->req;
        err = ctx->settle_decoded->err;
        if (err != GJ_E_OK) *st = ctx->settle_decoded->st;
    }
    if (err == GJ_E_OK) err = visit_for_settlement(e, ctx, req, ctx->infno[1] == '3', st);
    if (err == GJ_E_OK && req->bill.med_type[0] == '\0')
        err = gj_fail(st, GJ_E_BAD_FIELD, "med_type: required (or an mdtrt_id registered with it)");
    if (err == GJ_E_OK) err = settle_execute(e, ctx, req, trial, output, st);
    free(req);
    return err;
}

static gj_err settle_trial(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    return settle_run(e, ctx, true, output, st);
}

static gj_err settle_commit(gj_engine *e, const nhsa_ctx *ctx, json_t **output, gj_status *st) {
    return settle_run(e, ctx, false, output, st);
}

/* Run the command and answer it: *response and *head (success()) from its output. */
static gj_err run_command(gj_engine *e, const nhsa_ctx *ctx, int which, char **response,
                          char **head, gj_status *st) {
    json_t *output = NULL;
    gj_err err = infnos[which].run(e, ctx, &output, st);
    char *text = NULL;
    if (err == GJ_E_OK && *ctx->output_text == NULL) text = output != NULL ? gj_json_encode(output, false) : strdup("{}");
    json_decref(output);
    const char *output_text = *ctx->output_text != NULL ? *ctx->output_text : text;
    if (err == GJ_E_OK && output_text != NULL) *response = success(ctx, output_text, head);
    free(text);
    if (err == GJ_E_OK && (*response == NULL || *head == NULL))
        err = gj_fail(st, GJ_E_INTERNAL, "response encoding");
    return err;
}

/* One command in its transaction, with idempotency for those that write (`hash`: request_hash). */
static char *transact(gj_engine *e, const nhsa_ctx *ctx, int which, const char *hash,
                      gj_status *st) {
    bool writes = infnos[which].kind == KIND_WRITE, found = false;
    char *response = NULL, *head = NULL;
    if (eng_begin(e, st) != GJ_E_OK) return refusal(ctx, st);
    gj_err err = nhsa_check_institution(e, ctx->fixmedins_code, st);
    if (err == GJ_E_OK && writes) err = replay(e, ctx, hash, &response, &found, st);
    if (err == GJ_E_OK && !found) {
        err = run_command(e, ctx, which, &response, &head, st);
        if (err == GJ_E_OK && writes)
            err = message_remember(e, ctx, hash, response, head, ctx->answer_setl_id, st);
    }
    free(head);
    free(*ctx->output_text);
    *ctx->output_text = NULL;
    if (!writes || found) {
        gj_store_rollback(e->store);   /* nothing to keep */
    } else {
        err = eng_finish(e, err, st);
    }
    if (err != GJ_E_OK) {
        free(response);
        return refusal(ctx, st);
    }
    return response;
}

/* What needs no store, decoded where the caller runs (gj_nhsa_prepare): the envelope's fields
 * and the request's hash, or the refusal of a bad envelope. */
struct gj_nhsa_prepared {
    json_t *request;           /* a reference held: ctx points into it */
    nhsa_ctx ctx;
    int which;                 /* index in infnos; -1 when decoding refused the envelope */
    gj_status refused;         /* the refusal when which < 0 */
    char hash[GJ_HASH_HEX];    /* request_hash, for a decoded envelope */
    nhsa_settle_decoded *settle;   /* a settlement's input, decoded; NULL for other infnos */
};

static bool is_settlement(int which) {
    return infnos[which].run == settle_trial || infnos[which].run == settle_commit;
}

/* A settlement's input decoded ahead (ctx.settle_decoded), or NULL when not one or out of memory. */
static nhsa_settle_decoded *decode_settlement_ahead(const nhsa_ctx *ctx, int which) {
    nhsa_settle_decoded *d = is_settlement(which) ? calloc(1, sizeof *d) : NULL;
    if (d == NULL) return NULL;
    gj_status_clear(&d->st);
    d->err = nhsa_decode_settle(ctx, &d->req, &d->st);
    return d;
}

gj_nhsa_prepared *gj_nhsa_prepare(json_t *request) {
    gj_nhsa_prepared *p = calloc(1, sizeof *p);
    if (p == NULL) return NULL;
    p->request = json_incref(request);
    p->which = -1;
    gj_status_clear(&p->refused);
    if (decode_envelope(request, &p->ctx, &p->which, &p->refused) != GJ_E_OK) p->which = -1;
    else request_hash(&p->ctx, p->hash);
    if (p->which >= 0) p->settle = decode_settlement_ahead(&p->ctx, p->which);
    p->ctx.settle_decoded = p->settle;
    return p;
}

void gj_nhsa_prepared_free(gj_nhsa_prepared *p) {
    if (p == NULL) return;
    json_decref(p->request);
    free(p->settle);
    free(p);
}

char *gj_nhsa_call_prepared(gj_engine *e, const gj_nhsa_prepared *p) {
    assert(p != NULL);
    if (p->which < 0) return refusal(&p->ctx, &p->refused);
    nhsa_ctx ctx = p->ctx;   /* the call's own output slots */
    gj_status st;
    char answer_setl_id[GJ_BINDING_ID_MAX] = "", *output_text = NULL;
    gj_status_clear(&st);
    ctx.output_text = &output_text;
    ctx.answer_setl_id = answer_setl_id;
    char *response = transact(e, &ctx, p->which, p->hash, &st);
    assert(output_text == NULL);
    return response;
}

char *gj_nhsa_call_text(gj_engine *e, json_t *request) {
    gj_nhsa_prepared *p = gj_nhsa_prepare(request);
    char *response = p != NULL ? gj_nhsa_call_prepared(e, p) : NULL;
    gj_nhsa_prepared_free(p);
    return response;
}

char *gj_nhsa_refusal_text(json_t *request, const gj_status *st) {
    nhsa_ctx ctx = {.mdtrtarea_admvs = json_string_value(json_object_get(request, "mdtrtarea_admvs"))};
    return refusal(&ctx, st);
}

/* The tree of a response text (which gongji wrote or checked: valid JSON); NULL only when
 * memory ran out. */
static json_t *response_tree(char *text) {
    json_t *tree = text != NULL ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return tree;
}

json_t *gj_nhsa_call(gj_engine *e, json_t *request) {
    return response_tree(gj_nhsa_call_text(e, request));
}

json_t *gj_nhsa_refusal(json_t *request, const gj_status *st) {
    return response_tree(gj_nhsa_refusal_text(request, st));
}
