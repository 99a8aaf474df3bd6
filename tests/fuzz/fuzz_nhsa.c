/* fuzz_nhsa.c — libFuzzer target: the national envelope decoder and everything behind it.
 * Bytes → gj_json_loads_exact → gj_nhsa_call on the shared in-memory engine, set up once with
 * the README family (张伟 P0000000001 donor, 李秀英 P0000000002 with an active binding), a
 * pharmacy H43010000001 and a hospital H43010000002, a settlement S0000000001 (msgid BASE0001),
 * an outpatient visit (BASE0002) and an inpatient stay (BASE0003), so inputs reach settlement,
 * cancellation, visits, fees and reversal. An input is one envelope or an array of up to 8 (a
 * sequence: settle, then cancel, …). Every answer is an envelope (infcode 0 with an output, or
 * -1 with err_code and err_msg), carries no binary floating-point number and no full ID number
 * the input did not contain; after each input the books must verify, and the baseline is put
 * back (harness_restore). GJ_FUZZ_VERBOSE=1 prints every answer (to check a new corpus entry). */
#include <stdlib.h>
#include <string.h>   /* memmem: _GNU_SOURCE is set for the whole build */

#include "harness.h"
#include "gongji/jsonx.h"

enum { SEQUENCE_MAX = 8 };

static const char *const full_ids[] = {"430102198503150030", "43010219580820004X"};

static const char PERSONS[] =
    "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,"
    "prior_yuan,card_yuan,ecert_no,card_no\n"
    "P0000000001,张伟,01,430102198503150030,,,430100,310,active,1200.00,3800.00,50.00,EC0001,SSC0001\n"
    "P0000000002,李秀英,01,43010219580820004X,,,430100,390,active,,,20.00,EC0002,SSC0002\n";

/* Messages of the baseline; each must succeed. */
static const char *const BASELINE[] = {
    "{\"infno\": \"2102\", \"msgid\": \"BASE0001\", \"fixmedins_code\": \"H43010000001\", \"mdtrtarea_admvs\": \"430100\","
    " \"input\": {\"druginfo\": {\"psn_no\": \"P0000000002\", \"mdtrt_cert_type\": \"01\", \"mdtrt_cert_no\": \"EC0002\","
    " \"medfee_sumamt\": 300, \"fulamt_ownpay_amt\": \"50.00\", \"insutype\": \"390\", \"med_type\": \"41\", \"acct_used_flag\": \"1\"}}}",
    "{\"infno\": \"2201\", \"msgid\": \"BASE0002\", \"fixmedins_code\": \"H43010000002\", \"input\": {\"data\": {"
    "\"psn_no\": \"P0000000002\", \"insutype\": \"390\", \"begntime\": \"2026-03-10 09:00:00\", \"mdtrt_cert_type\": \"01\","
    " \"mdtrt_cert_no\": \"EC0002\", \"ipt_otp_no\": \"MZ01\"}}}",
    "{\"infno\": \"2401\", \"msgid\": \"BASE0003\", \"fixmedins_code\": \"H43010000002\", \"input\": {\"mdtrtinfo\": {"
    "\"psn_no\": \"P0000000002\", \"insutype\": \"390\", \"begntime\": \"2026-03-08 08:00:00\", \"mdtrt_cert_type\": \"01\","
    " \"mdtrt_cert_no\": \"EC0002\", \"med_type\": \"21\", \"ipt_no\": \"ZY01\"}, \"diseinfo\": [{\"diag_code\": \"I10\", \"diag_name\": \"高血压\"}]}}",
};

static json_t *call_text(gj_engine *e, const char *text, size_t len) {
    json_t *request = NULL;
    gj_status st;
    gj_status_clear(&st);
    if (gj_json_loads_exact(text, len, &request, &st) != GJ_E_OK) return gj_nhsa_refusal(NULL, &st);
    json_t *response = gj_nhsa_call(e, request);
    json_decref(request);
    return response;
}

static void setup(gj_engine *e) {
    gj_actor cli = {.actor = "fuzz", .channel = "cli"}, mother = {.actor = "P0000000002", .channel = "app"};
    gj_invite inv = {.donor = "P0000000001", .member = "P0000000002", .relation = "parent",
                     .modes = "payment,contribution", .proof = ""};
    gj_status st;
    json_t *out = NULL;
    gj_status_clear(&st);
    FILE *csv = fmemopen((void *)(uintptr_t)PERSONS, sizeof PERSONS - 1, "r");
    harness_ok(gj_import_persons(e, &cli, csv, false, &out, &st), &st, "import");
    fclose(csv);
    json_decref(out);
    harness_ok(gj_institution_add(e, &cli, "H43010000001", "长沙好药房", "pharmacy", "430100", &out, &st), &st, "pharmacy");
    json_decref(out);
    harness_ok(gj_institution_add(e, &cli, "H43010000002", "长沙第一医院", "hospital", "430100", &out, &st), &st, "hospital");
    json_decref(out);
    harness_ok(gj_network_create(e, &cli, "P0000000001", true, "face", "F001", &out, &st), &st, "network");
    json_decref(out);
    harness_ok(gj_bind_invite(e, &cli, &inv, &out, &st), &st, "invite");
    json_decref(out);
    harness_ok(gj_bind_accept(e, &mother, "B0000000001", "face", "F002", &out, &st), &st, "accept");
    json_decref(out);
    for (size_t i = 0; i < sizeof BASELINE / sizeof BASELINE[0]; i++) {
        json_t *r = call_text(e, BASELINE[i], strlen(BASELINE[i]));
        harness_check(json_integer_value(json_object_get(r, "infcode")) == 0, "baseline message",
                      json_string_value(json_object_get(r, "err_msg")));
        json_decref(r);
    }
    harness_snapshot(e);
}

static void no_reals(json_t *v) {
    harness_check(!json_is_real(v), "a binary floating-point number in an answer", NULL);
    size_t i;
    const char *key;
    json_t *item;
    if (json_is_array(v)) json_array_foreach(v, i, item) no_reals(item);
    if (json_is_object(v)) json_object_foreach(v, key, item) no_reals(item);
}

static void check_answer(json_t *r, const uint8_t *data, size_t size) {
    harness_check(json_is_object(r), "gj_nhsa_call returned no envelope", NULL);
    json_int_t infcode = json_integer_value(json_object_get(r, "infcode"));
    const char *code = json_string_value(json_object_get(r, "err_code"));
    const char *msg = json_string_value(json_object_get(r, "err_msg"));
    harness_check(infcode == 0 || infcode == -1, "infcode neither 0 nor -1", NULL);
    if (infcode == -1)
        harness_check(code != NULL && *code && msg != NULL && *msg, "a refusal without err_code/err_msg", NULL);
    else
        harness_check(json_is_object(json_object_get(r, "output")), "an answer without output", NULL);
    no_reals(r);
    char *text = json_dumps(r, JSON_COMPACT);
    if (getenv("GJ_FUZZ_VERBOSE") != NULL) fprintf(stderr, "%s\n", text);   /* for corpus authors */
    for (size_t i = 0; i < sizeof full_ids / sizeof full_ids[0]; i++)
        harness_check(strstr(text, full_ids[i]) == NULL || memmem(data, size, full_ids[i], strlen(full_ids[i])) != NULL,
                      "an answer reveals an unmasked ID number", text);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static bool ready;
    gj_engine *e = harness_engine();
    if (!ready) {
        setup(e);
        ready = true;
    }
    json_t *root = NULL;
    gj_status st;
    gj_status_clear(&st);
    if (gj_json_loads_exact((const char *)data, size, &root, &st) != GJ_E_OK) {
        json_t *r = gj_nhsa_refusal(NULL, &st);
        check_answer(r, data, size);
        json_decref(r);
        return 0;
    }
    size_t n = json_is_array(root) ? json_array_size(root) : 1;
    for (size_t i = 0; i < n && i < SEQUENCE_MAX; i++) {
        json_t *r = gj_nhsa_call(e, json_is_array(root) ? json_array_get(root, i) : root);
        check_answer(r, data, size);
        json_decref(r);
    }
    json_decref(root);
    harness_restore(e);
    return 0;
}
