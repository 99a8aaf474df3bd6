/* access_verify.c — identity verification of insured people (access.h): a claim (psn_no and
 * the certificate number as registered) gets a random 6-digit one-time code, stored only as a
 * hash, valid 5 minutes, for at most 5 attempts and one use; the right code opens a person
 * session. A wrong claim is refused with the same answer whether the person exists or not.
 * Also who may see a settlement (R6.2) and a family pool (R7.2). */
#include <ctype.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "access_internal.h"

enum {
    VERIFY_TTL_S = 300,
    VERIFY_ATTEMPTS_MAX = 5,
    VERIFY_OPEN_MAX = 5,            /* codes in progress per person (brute-force bound) */
    VERIFY_ID_BYTES = 12,
    VERIFY_CLAIM_MAX = 40,
    OTP_SPACE = 1000000,            /* 6 digits */
};
/* The largest multiple of OTP_SPACE below 2^32: draws at or above it are redrawn (no bias). */
#define OTP_DRAW_LIMIT 4294000000u

static gj_err random_code(char out[GJ_OTP_MAX], gj_status *st) {
    uint32_t v = 0;
    do {
        unsigned char raw[4];
        if (RAND_bytes(raw, (int)sizeof raw) != 1)
            return gj_fail(st, GJ_E_INTERNAL, "no secure random bytes");
        v = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
    } while (v >= OTP_DRAW_LIMIT);
    snprintf(out, GJ_OTP_MAX, "%06u", v % OTP_SPACE);
    return GJ_E_OK;
}

static void code_hash(const char *verification_id, const char *code, char out[GJ_HASH_HEX]) {
    char text[GJ_VERIFICATION_ID_MAX + GJ_OTP_MAX + 2];
    snprintf(text, sizeof text, "%s:%.*s", verification_id, GJ_OTP_MAX, code);
    sha256_hex(text, strlen(text), out);
}

/* Certificate numbers compare without regard to the case of a final check letter ('x'). */
static bool certno_matches(const char *registered, const char *claimed) {
    char a[VERIFY_CLAIM_MAX + 1], b[VERIFY_CLAIM_MAX + 1];
    snprintf(a, sizeof a, "%s", registered);
    snprintf(b, sizeof b, "%s", claimed);
    for (char *p = a; *p; p++) *p = (char)toupper((unsigned char)*p);
    for (char *p = b; *p; p++) *p = (char)toupper((unsigned char)*p);
    return access_equal(a, b);
}

/* *match: psn_no is a registered person whose certificate number is certno (false for an
 * unknown person: the caller answers both alike). */
static gj_err claim_matches(gj_engine *e, const char *psn_no, const char *certno, bool *match,
                            gj_status *st) {
    gj_rows *rows = NULL;
    *match = false;
    if (psn_no == NULL || certno == NULL || strlen(psn_no) > VERIFY_CLAIM_MAX ||
        strlen(certno) > VERIFY_CLAIM_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "person number and certno: 1..%d characters", VERIFY_CLAIM_MAX);
    gj_err err = gj_store_query(e->store, "SELECT certno FROM person WHERE psn_no = $1",
                                GJ_PARAMS(P_TEXT(psn_no)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) *match = certno_matches(gj_rows_text(rows, 0), certno);
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

static gj_err check_claim(gj_engine *e, const char *psn_no, const char *certno, gj_status *st) {
    bool match = false;
    gj_err err = claim_matches(e, psn_no, certno, &match, st);
    if (err == GJ_E_OK && !match)
        err = gj_fail(st, GJ_E_FORBIDDEN, "person number and certificate number do not match");
    return err;
}

gj_err gj_person_identified(gj_engine *e, const char *psn_no, const char *certno, gj_status *st) {
    bool match = false;
    gj_err err = claim_matches(e, psn_no, certno, &match, st);
    if (err == GJ_E_OK && !match)
        err = gj_fail(st, GJ_E_NOT_FOUND, "no insured person with that person number and certificate number");
    return err;
}

/* Inside the transaction: forget expired codes; bound the codes in progress for a person. */
static gj_err check_open(gj_engine *e, const char *psn_no, gj_time now, gj_status *st) {
    int64_t open = 0;
    gj_err err = eng_prune(e, ENG_PRUNE_VERIFICATION, now, st);
    if (err == GJ_E_OK)
        err = gj_store_one_int(e->store, "SELECT COUNT(*) FROM verification WHERE psn_no = $1 "
                                         "AND used = 0 AND attempts < $2",
                               GJ_PARAMS(P_TEXT(psn_no), P_INT(VERIFY_ATTEMPTS_MAX)), &open, st);
    if (err == GJ_E_OK && open >= VERIFY_OPEN_MAX)
        err = gj_fail(st, GJ_E_FORBIDDEN, "%d verifications in progress: try again in %d minutes",
                      VERIFY_OPEN_MAX, VERIFY_TTL_S / 60);
    return err;
}

gj_err gj_verification_start(gj_engine *e, const char *psn_no, const char *certno,
                             char *code_out, size_t code_len, json_t **out, gj_status *st) {
    char id[GJ_VERIFICATION_ID_MAX] = "V", code[GJ_OTP_MAX], hash[GJ_HASH_HEX];
    char expires[GJ_TIME_TEXT_MAX];
    gj_time now = gj_now();
    gj_err err = check_claim(e, psn_no, certno, st);
    if (err == GJ_E_OK) err = access_random_hex(VERIFY_ID_BYTES, id + 1, sizeof id - 1, st);
    if (err == GJ_E_OK) err = random_code(code, st);
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    code_hash(id, code, hash);
    err = check_open(e, psn_no, now, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "INSERT INTO verification (verification_id, psn_no, "
                                      "code_hash, created_at, expires_at, attempts, used) "
                                      "VALUES ($1,$2,$3,$4,$5,0,0)",
                            GJ_PARAMS(P_TEXT(id), P_TEXT(psn_no), P_TEXT(hash), P_INT(now),
                                      P_INT(now + VERIFY_TTL_S)), NULL, st);
    err = eng_finish(e, err, st);
    if (err != GJ_E_OK) return err;
    snprintf(code_out, code_len, "%s", code);
    *out = json_pack("{s:s, s:s}", "verification_id", id, "expires_at",
                     gj_time_format(now + VERIFY_TTL_S, expires, sizeof expires));
    return GJ_E_OK;
}

typedef struct {
    char psn_no[ACCESS_SUBJECT_MAX], hash[GJ_HASH_HEX];
    bool live;               /* unused, unexpired, attempts left */
    int64_t attempts;
} verification_row;

static gj_err load_verification(gj_engine *e, const char *id, verification_row *v,
                                gj_status *st) {
    gj_rows *rows = NULL;
    bool found = false;
    gj_err err = gj_store_query(e->store, "SELECT psn_no, code_hash, expires_at, attempts, used "
                                          "FROM verification WHERE verification_id = $1",
                                GJ_PARAMS(P_TEXT(id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if ((found = gj_rows_next(rows))) {
        snprintf(v->psn_no, sizeof v->psn_no, "%s", gj_rows_text(rows, 0));
        snprintf(v->hash, sizeof v->hash, "%s", gj_rows_text(rows, 1));
        v->attempts = gj_rows_int(rows, 3);
        v->live = gj_rows_int(rows, 2) > gj_now() && v->attempts < VERIFY_ATTEMPTS_MAX &&
                  gj_rows_int(rows, 4) == 0;
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err == GJ_E_OK && (!found || !v->live))
        err = gj_fail(st, GJ_E_FORBIDDEN, "verification unknown, expired or used up: start again");
    return err;
}

/* A wrong code: count the attempt (committed), then refuse. */
static gj_err wrong_code(gj_engine *e, const char *id, int64_t attempts, gj_status *st) {
    gj_err err = gj_store_exec(e->store, "UPDATE verification SET attempts = attempts + 1 "
                                         "WHERE verification_id = $1",
                               GJ_PARAMS(P_TEXT(id)), NULL, st);
    err = eng_finish(e, err, st);
    if (err != GJ_E_OK) return err;
    return gj_fail(st, GJ_E_FORBIDDEN, "wrong code (%lld attempts left)",
                   (long long)(VERIFY_ATTEMPTS_MAX - attempts - 1));
}

gj_err gj_verification_finish(gj_engine *e, const char *verification_id, const char *code,
                              unsigned ttl_s, json_t **out, gj_status *st) {
    verification_row v;
    char hash[GJ_HASH_HEX];
    json_t *session = NULL;
    if (verification_id == NULL || code == NULL ||
        strlen(verification_id) >= GJ_VERIFICATION_ID_MAX)
        return gj_fail(st, GJ_E_FORBIDDEN, "verification unknown, expired or used up: start again");
    gj_err err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = load_verification(e, verification_id, &v, st);
    if (err != GJ_E_OK) return eng_finish(e, err, st);
    code_hash(verification_id, code, hash);
    if (!access_equal(hash, v.hash)) return wrong_code(e, verification_id, v.attempts, st);
    err = gj_store_exec(e->store, "UPDATE verification SET used = 1 WHERE verification_id = $1",
                        GJ_PARAMS(P_TEXT(verification_id)), NULL, st);
    if (err == GJ_E_OK)
        err = access_session_open(e, "person", v.psn_no, "", verification_id, ttl_s, &session, st);
    err = eng_finish(e, err, st);
    if (err != GJ_E_OK) {
        json_decref(session);
        return err;
    }
    json_object_set_new(session, "psn_no", json_string(v.psn_no));
    json_object_set_new(session, "verification_id", json_string(verification_id));
    *out = session;
    return GJ_E_OK;
}

gj_err gj_settlement_visible(gj_engine *e, const char *setl_id, const char *psn_no,
                             gj_status *st) {
    int64_t n = 0;
    gj_err err = gj_store_one_int(
        e->store, "SELECT (SELECT COUNT(*) FROM settlement WHERE setl_id = $1 AND psn_no = $2) + "
                  "(SELECT COUNT(*) FROM settlement_source WHERE setl_id = $1 AND donor = $2)",
        GJ_PARAMS(P_TEXT(setl_id), P_TEXT(psn_no)), &n, st);
    if (err == GJ_E_OK && n == 0) err = gj_fail(st, GJ_E_NOT_FOUND, "settlement not found");
    return err;
}

gj_err gj_pool_visible(gj_engine *e, const char *creator, const char *psn_no, gj_status *st) {
    int64_t n = 0;
    gj_err err = gj_store_one_int(
        e->store,
        strcmp(creator, psn_no) == 0
            ? "SELECT COUNT(*) FROM network WHERE creator = $1 AND creator = $2"
            : "SELECT COUNT(*) FROM network n WHERE n.creator = $1 AND ("
              "EXISTS (SELECT 1 FROM binding b WHERE b.network_id = n.network_id "
              "AND b.status = 'active' AND (b.member = $2 OR b.donor = $2)) OR "
              "EXISTS (SELECT 1 FROM family_pool f JOIN account a ON a.kind = 'pool' "
              "AND a.owner = $2 AND a.code LIKE 'pool:' || f.pool_id || ':%' "
              "WHERE f.network_id = n.network_id))",
        GJ_PARAMS(P_TEXT(creator), P_TEXT(psn_no)), &n, st);
    if (err == GJ_E_OK && n == 0) err = gj_fail(st, GJ_E_NOT_FOUND, "family pool not found");
    return err;
}
