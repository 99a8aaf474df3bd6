/* test_access.c — unit tests for access.h over an in-memory database: operators (password
 * rules, the same refusal for a wrong id and a wrong password, only a hash stored), sessions
 * (role, expiry by the injectable clock, tokens stored only as hashes; a password checked before
 * its session, refused when the operator changed in between), identity verification
 * (no existence leak, 6-digit codes, 5 attempts, single use, 5-minute expiry, at most 5 codes in
 * progress per person). */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/access.h"

static gj_engine *e;
static const gj_actor admin = {"ADM", "cli"};
static const char password[] = "correct horse battery";

static void setup(void) {
    char file[1024], dir[1100];
    static const char csv[] =
        "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,"
        "current_yuan,prior_yuan,card_yuan,ecert_no,card_no\n"
        "P1,张伟,01,430102198503150030,,,430100,310,active,100.00,,,,\n"
        "P2,李秀英,01,43010219580820004X,,,430100,390,active,,,,,\n";
    gj_status st = {0};
    json_t *out = NULL;
    snprintf(file, sizeof file, "%s", __FILE__);
    snprintf(dir, sizeof dir, "%s/../../policies", dirname(file));
    gj_clock_fix(gj_date_start(gj_date_from_ymd(2025, 10, 10)) + 36000);
    cr_assert_eq(gj_engine_open(":memory:", dir, &e, &st), GJ_E_OK, "%s", st.detail);
    FILE *f = fmemopen((void *)csv, sizeof csv - 1, "r");
    cr_assert_eq(gj_import_persons(e, &admin, f, false, &out, &st), GJ_E_OK, "%s", st.detail);
    fclose(f);
    json_decref(out);
}

static void teardown(void) {
    gj_engine_close(e);
    gj_clock_unfix();
}

TestSuite(access, .init = setup, .fini = teardown);

static void add_operator(const char *id, const char *role) {
    gj_status st = {0};
    json_t *out = NULL;
    cr_assert_eq(gj_operator_add(e, &admin, id, "name", role, password, &out, &st), GJ_E_OK,
                 "%s", st.detail);
    json_decref(out);
}

/* A login's token, or NULL (the status in *st). */
static char *login(const char *id, const char *pw, gj_status *st) {
    json_t *out = NULL;
    if (gj_operator_login(e, id, pw, 60, &out, st) != GJ_E_OK) return NULL;
    char *token = strdup(json_string_value(json_object_get(out, "token")));
    json_decref(out);
    return token;
}

static int64_t count(const char *sql, const char *text) {
    int64_t n = -1;
    gj_status st = {0};
    cr_assert_eq(gj_store_one_int(gj_engine_store(e), sql, GJ_PARAMS(P_TEXT(text)), &n, &st),
                 GJ_E_OK, "%s", st.detail);
    return n;
}

static gj_err try_add(const char *id, const char *role, const char *pw) {
    gj_status st = {0};
    json_t *out = NULL;
    gj_err err = gj_operator_add(e, &admin, id, "name", role, pw, &out, &st);
    json_decref(out);
    return err;
}

Test(access, operator_rules) {
    cr_assert_eq(try_add("OP1", "clerk", "short"), GJ_E_BAD_FIELD);
    cr_assert_eq(try_add("OP1", "root", password), GJ_E_BAD_CODE);
    cr_assert_eq(try_add("OP 1", "clerk", password), GJ_E_BAD_FIELD);
    add_operator("OP1", "clerk");
    cr_assert_eq(try_add("OP1", "clerk", password), GJ_E_DUPLICATE);
    cr_assert_eq(count("SELECT COUNT(*) FROM operator WHERE password_hash = $1", password), 0);
    cr_assert_eq(count("SELECT iterations FROM operator WHERE operator_id = $1", "OP1"), 100000);
    cr_assert_eq(count("SELECT COUNT(*) FROM journal WHERE action = 'operator.add' "
                       "AND subject = $1", "OP1"), 1);
}

Test(access, login_and_session) {
    gj_status st = {0}, wrong_id = {0};
    char kind[16], subject[40], role[16];
    add_operator("OP1", "reviewer");
    cr_assert_null(login("OP1", "wrong password", &st));
    cr_assert_null(login("NOBODY", password, &wrong_id));
    cr_assert_eq(st.code, GJ_E_FORBIDDEN);
    cr_assert_str_eq(st.detail, wrong_id.detail, "a wrong id and a wrong password answer alike");
    char *token = login("OP1", password, &st);
    cr_assert_not_null(token, "%s", st.detail);
    cr_assert_eq(strlen(token), 64);
    cr_assert_eq(count("SELECT COUNT(*) FROM session WHERE token_hash = $1", token), 0);
    cr_assert_eq(gj_session_lookup(e, token, kind, sizeof kind, subject, sizeof subject, role,
                                   sizeof role, &st), GJ_E_OK);
    cr_assert_str_eq(kind, "staff");
    cr_assert_str_eq(subject, "OP1");
    cr_assert_str_eq(role, "reviewer");
    cr_assert_eq(gj_session_lookup(e, "x", kind, sizeof kind, subject, sizeof subject, role,
                                   sizeof role, &st), GJ_E_FORBIDDEN);
    gj_clock_fix(gj_now() + 61);
    cr_assert_eq(gj_session_lookup(e, token, kind, sizeof kind, subject, sizeof subject, role,
                                   sizeof role, &st), GJ_E_FORBIDDEN, "expired");
    free(token);
}

/* gongjid checks the password on a reader and opens the session on the writer later: what
 * happened to the operator in between (a new password, disabled) refuses the session. */
Test(access, checked_password_then_session) {
    gj_status st = {0};
    gj_operator_proof proof, stale;
    json_t *out = NULL;
    add_operator("OP1", "clerk");
    cr_assert_eq(gj_operator_check_password(e, "OP1", "wrong password", &proof, &st), GJ_E_FORBIDDEN);
    cr_assert_eq(gj_operator_check_password(e, "OP1", password, &proof, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_operator_open_session(e, "OP1", &proof, 60, &out, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_str_eq(json_string_value(json_object_get(out, "role")), "clerk");
    json_decref(out);
    out = NULL;
    stale = proof;
    cr_assert_eq(gj_store_exec(gj_engine_store(e), "UPDATE operator SET password_hash = $1 "
                               "WHERE operator_id = 'OP1'", GJ_PARAMS(P_TEXT("00")), NULL, &st),
                 GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_operator_open_session(e, "OP1", &stale, 60, &out, &st), GJ_E_FORBIDDEN,
                 "a password changed since the check");
    cr_assert_null(out);
    cr_assert_eq(gj_store_exec(gj_engine_store(e), "UPDATE operator SET password_hash = $1, "
                               "disabled = 1 WHERE operator_id = 'OP1'",
                               GJ_PARAMS(P_TEXT(stale.password_hash)), NULL, &st), GJ_E_OK, "%s", st.detail);
    cr_assert_eq(gj_operator_open_session(e, "OP1", &stale, 60, &out, &st), GJ_E_FORBIDDEN,
                 "an operator disabled since the check");
    cr_assert_eq(count("SELECT COUNT(*) FROM session WHERE subject = $1", "OP1"), 1);
}

/* Start a verification of P2; returns its id, the code in code[]. */
static const char *start(const char *certno, char code[GJ_OTP_MAX], gj_status *st) {
    static char id[GJ_VERIFICATION_ID_MAX];
    json_t *out = NULL;
    if (gj_verification_start(e, "P2", certno, code, GJ_OTP_MAX, &out, st) != GJ_E_OK) return NULL;
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(out, "verification_id")));
    json_decref(out);
    return id;
}

static gj_err finish(const char *id, const char *code) {
    gj_status st = {0};
    json_t *out = NULL;
    gj_err err = gj_verification_finish(e, id, code, 60, &out, &st);
    json_decref(out);
    return err;
}

Test(access, verification_claims) {
    gj_status wrong_cert = {0}, unknown = {0};
    char code[GJ_OTP_MAX];
    json_t *out = NULL;
    cr_assert_null(start("430102195808200041", code, &wrong_cert));
    cr_assert_eq(gj_verification_start(e, "P9", "43010219580820004X", code, sizeof code, &out,
                                       &unknown), GJ_E_FORBIDDEN);
    cr_assert_eq(wrong_cert.code, GJ_E_FORBIDDEN);
    cr_assert_str_eq(wrong_cert.detail, unknown.detail, "no existence leak");
    cr_assert_not_null(start("43010219580820004x", code, &wrong_cert), "check letter in any case");
    cr_assert_eq(strlen(code), 6);
    cr_assert_eq(strspn(code, "0123456789"), 6);
}

Test(access, verification_attempts_and_single_use) {
    gj_status st = {0};
    char code[GJ_OTP_MAX], wrong[GJ_OTP_MAX];
    const char *id = start("43010219580820004X", code, &st);
    cr_assert_not_null(id, "%s", st.detail);
    char saved[GJ_VERIFICATION_ID_MAX];
    snprintf(saved, sizeof saved, "%s", id);
    cr_assert_eq(count("SELECT COUNT(*) FROM verification WHERE code_hash LIKE '%' || $1 || '%'",
                       code), 0);
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    for (int i = 0; i < 4; i++) cr_assert_eq(finish(saved, wrong), GJ_E_FORBIDDEN);
    cr_assert_eq(finish(saved, code), GJ_E_OK, "the fifth try may still succeed");
    cr_assert_eq(finish(saved, code), GJ_E_FORBIDDEN, "single use");

    id = start("43010219580820004X", code, &st);
    snprintf(saved, sizeof saved, "%s", id);
    for (int i = 0; i < 5; i++) cr_assert_eq(finish(saved, wrong), GJ_E_FORBIDDEN);
    cr_assert_eq(finish(saved, code), GJ_E_FORBIDDEN, "no sixth attempt");
}

Test(access, verification_session_and_expiry) {
    gj_status st = {0};
    char code[GJ_OTP_MAX], vid[GJ_VERIFICATION_ID_MAX], saved[GJ_VERIFICATION_ID_MAX];
    json_t *out = NULL;
    snprintf(saved, sizeof saved, "%s", start("43010219580820004X", code, &st));
    cr_assert_eq(gj_verification_finish(e, saved, code, 60, &out, &st), GJ_E_OK, "%s", st.detail);
    const char *token = json_string_value(json_object_get(out, "token"));
    cr_assert_eq(gj_session_verification(e, token, vid, sizeof vid, &st), GJ_E_OK);
    cr_assert_str_eq(vid, saved);
    json_decref(out);

    snprintf(saved, sizeof saved, "%s", start("43010219580820004X", code, &st));
    gj_clock_fix(gj_now() + 301);
    cr_assert_eq(finish(saved, code), GJ_E_FORBIDDEN, "expired after 5 minutes");
}

Test(access, verifications_in_progress_are_bounded) {
    gj_status st = {0};
    char code[GJ_OTP_MAX];
    for (int i = 0; i < 5; i++) cr_assert_not_null(start("43010219580820004X", code, &st));
    cr_assert_null(start("43010219580820004X", code, &st));
    cr_assert_eq(st.code, GJ_E_FORBIDDEN);
    gj_clock_fix(gj_now() + 301);
    cr_assert_not_null(start("43010219580820004X", code, &st), "expired ones no longer count");
}
