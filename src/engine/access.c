/* access.c — agency operators and sessions (access.h): operators with a role and a salted
 * PBKDF2-HMAC-SHA256 password, staff sign-in, bearer tokens kept only as their SHA-256 with
 * an expiry, and resolving a token to its caller. A wrong operator id and a wrong password get
 * the same answer. Creating an operator is journaled (who granted which role, R9.3); sign-ins
 * are not (the journal is for money, bindings and the access to them). Identity verification
 * of insured people: access_verify.c. */
#include <assert.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "gongji/hex.h"
#include "gongji/sha256.h"
#include "access_internal.h"

enum {
    /* PBKDF2 work factor for new passwords; each operator row keeps the count it was hashed
     * with, so raising it here affects only passwords set afterwards. */
    ACCESS_PBKDF2_ITERATIONS = 100000,
    ACCESS_PBKDF2_ITERATIONS_MAX = 10000000,
    ACCESS_SALT_BYTES = 16,
    ACCESS_HASH_BYTES = 32,
    ACCESS_PASSWORD_MIN = 8,
    ACCESS_PASSWORD_MAX = 256,
    ACCESS_OPERATOR_ID_MAX = 32,
    ACCESS_NAME_MAX = 100,
};

static const char *const roles[] = {"clerk", "reviewer", "auditor", "admin"};

_Static_assert((int)GJ_PASSWORD_HASH_HEX == (int)GJ_HASH_HEX, "a proof holds a stored password hash");

gj_err access_random_hex(size_t bytes, char *out, size_t out_len, gj_status *st) {
    unsigned char raw[ACCESS_RANDOM_MAX];
    if (bytes > sizeof raw || out_len < 2 * bytes + 1 || RAND_bytes(raw, (int)bytes) != 1)
        return gj_fail(st, GJ_E_INTERNAL, "no secure random bytes");
    gj_hex_encode(raw, bytes, out);
    return GJ_E_OK;
}

bool access_equal(const char *a, const char *b) {
    size_t n = strlen(a);
    return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}

/* The salt is the hex text of 16 random bytes, used as stored. */
static gj_err password_hash(const char *password, const char *salt, int iterations,
                            char out[GJ_HASH_HEX], gj_status *st) {
    unsigned char dk[ACCESS_HASH_BYTES];
    if (PKCS5_PBKDF2_HMAC(password, (int)strlen(password), (const unsigned char *)salt,
                          (int)strlen(salt), iterations, gj_sha256(), (int)sizeof dk, dk) != 1)
        return gj_fail(st, GJ_E_INTERNAL, "password hashing failed");
    gj_hex_encode(dk, sizeof dk, out);
    return GJ_E_OK;
}

static bool operator_id_ok(const char *id) {
    size_t n = id ? strlen(id) : 0;
    return n > 0 && n <= ACCESS_OPERATOR_ID_MAX &&
           strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

static bool role_ok(const char *role) {
    for (size_t i = 0; role != NULL && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(role, roles[i]) == 0) return true;
    return false;
}

static gj_err check_operator(const char *id, const char *name, const char *role,
                             const char *password, gj_status *st) {
    if (!operator_id_ok(id))
        return gj_fail(st, GJ_E_BAD_FIELD, "operator_id: 1..%d letters, digits, _ . -",
                       ACCESS_OPERATOR_ID_MAX);
    if (name == NULL || *name == '\0' || strlen(name) > ACCESS_NAME_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "name: 1..%d bytes", ACCESS_NAME_MAX);
    if (!role_ok(role))
        return gj_fail(st, GJ_E_BAD_CODE, "role: clerk, reviewer, auditor or admin");
    size_t n = password ? strlen(password) : 0;
    if (n < ACCESS_PASSWORD_MIN || n > ACCESS_PASSWORD_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "password: %d..%d bytes", ACCESS_PASSWORD_MIN,
                       ACCESS_PASSWORD_MAX);
    return GJ_E_OK;
}

gj_err gj_operator_add(gj_engine *e, const gj_actor *who, const char *operator_id,
                       const char *name, const char *role, const char *password, json_t **out,
                       gj_status *st) {
    char salt[2 * ACCESS_SALT_BYTES + 1], hash[GJ_HASH_HEX];
    gj_time now = gj_now();
    gj_err err = check_operator(operator_id, name, role, password, st);
    if (err == GJ_E_OK) err = access_random_hex(ACCESS_SALT_BYTES, salt, sizeof salt, st);
    if (err == GJ_E_OK) err = password_hash(password, salt, ACCESS_PBKDF2_ITERATIONS, hash, st);
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = gj_store_exec(e->store, "INSERT INTO operator (operator_id, name, role, salt, "
                                  "password_hash, iterations, disabled, created_at) "
                                  "VALUES ($1,$2,$3,$4,$5,$6,0,$7)",
                        GJ_PARAMS(P_TEXT(operator_id), P_TEXT(name), P_TEXT(role), P_TEXT(salt),
                                  P_TEXT(hash), P_INT(ACCESS_PBKDF2_ITERATIONS), P_INT(now)),
                        NULL, st);
    if (err == GJ_E_DUPLICATE) gj_fail(st, err, "operator %s already exists", operator_id);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "operator.add", operator_id, json_pack("{s:s}", "role", role),
                          now, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:s, s:i}", "operator_id", operator_id, "name", name,
                         "role", role, "iterations", ACCESS_PBKDF2_ITERATIONS);
    return err;
}

typedef struct {
    char salt[2 * ACCESS_SALT_BYTES + 1];
    char hash[GJ_HASH_HEX];
    char role[GJ_ROLE_MAX];
    int iterations;
    bool usable;             /* exists and is not disabled */
} operator_row;

static gj_err load_operator(gj_engine *e, const char *operator_id, operator_row *op,
                            gj_status *st) {
    gj_rows *rows = NULL;
    memset(op, 0, sizeof *op);
    memset(op->salt, '0', sizeof op->salt - 1);   /* unknown id: hash anyway, same time */
    op->iterations = ACCESS_PBKDF2_ITERATIONS;
    gj_err err = gj_store_query(e->store, "SELECT salt, password_hash, role, iterations, disabled "
                                          "FROM operator WHERE operator_id = $1",
                                GJ_PARAMS(P_TEXT(operator_id)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        int64_t iterations = gj_rows_int(rows, 3);
        snprintf(op->salt, sizeof op->salt, "%s", gj_rows_text(rows, 0));
        snprintf(op->hash, sizeof op->hash, "%s", gj_rows_text(rows, 1));
        snprintf(op->role, sizeof op->role, "%s", gj_rows_text(rows, 2));
        op->usable = gj_rows_int(rows, 4) == 0 && iterations > 0 &&
                     iterations <= ACCESS_PBKDF2_ITERATIONS_MAX;
        if (op->usable) op->iterations = (int)iterations;
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

gj_err gj_operator_check_password(gj_engine *e, const char *operator_id, const char *password,
                                  gj_operator_proof *proof, gj_status *st) {
    operator_row op;
    char hash[GJ_HASH_HEX];
    gj_err err = load_operator(e, operator_id ? operator_id : "", &op, st);
    if (err == GJ_E_OK)
        err = password_hash(password ? password : "", op.salt, op.iterations, hash, st);
    if (err != GJ_E_OK) return err;
    if (!op.usable || !access_equal(hash, op.hash))
        return gj_fail(st, GJ_E_FORBIDDEN, "operator id or password is wrong");
    assert(strlen(op.hash) + 1 == sizeof proof->password_hash);
    memcpy(proof->password_hash, op.hash, sizeof proof->password_hash);
    return GJ_E_OK;
}

gj_err gj_operator_open_session(gj_engine *e, const char *operator_id,
                                const gj_operator_proof *proof, unsigned ttl_s, json_t **out,
                                gj_status *st) {
    operator_row op;
    gj_err err = load_operator(e, operator_id ? operator_id : "", &op, st);
    if (err != GJ_E_OK) return err;
    if (!op.usable || !access_equal(proof->password_hash, op.hash))   /* disabled, or a new password */
        return gj_fail(st, GJ_E_FORBIDDEN, "operator id or password is wrong");
    json_t *session = NULL;
    err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = access_session_open(e, "staff", operator_id, op.role, NULL, ttl_s, &session, st);
    err = eng_finish(e, err, st);
    if (err != GJ_E_OK) {
        json_decref(session);
        return err;
    }
    json_object_set_new(session, "operator_id", json_string(operator_id));
    json_object_set_new(session, "role", json_string(op.role));
    *out = session;
    return GJ_E_OK;
}

gj_err gj_operator_login(gj_engine *e, const char *operator_id, const char *password,
                         unsigned ttl_s, json_t **out, gj_status *st) {
    gj_operator_proof proof;
    gj_err err = gj_operator_check_password(e, operator_id, password, &proof, st);
    return err == GJ_E_OK ? gj_operator_open_session(e, operator_id, &proof, ttl_s, out, st) : err;
}

gj_err access_session_open(gj_engine *e, const char *kind, const char *subject, const char *role,
                           const char *verification_id, unsigned ttl_s, json_t **out,
                           gj_status *st) {
    char token[2 * ACCESS_TOKEN_BYTES + 1], token_hash[GJ_HASH_HEX], expires[GJ_TIME_TEXT_MAX];
    gj_time now = gj_now(), expires_at = now + (gj_time)ttl_s;
    gj_err err = access_random_hex(ACCESS_TOKEN_BYTES, token, sizeof token, st);
    if (err != GJ_E_OK) return err;
    sha256_hex(token, strlen(token), token_hash);
    err = eng_prune(e, ENG_PRUNE_SESSION, now, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "INSERT INTO session (token_hash, subject_kind, subject, "
                                      "role, verification_id, created_at, expires_at) "
                                      "VALUES ($1,$2,$3,$4,$5,$6,$7)",
                            GJ_PARAMS(P_TEXT(token_hash), P_TEXT(kind), P_TEXT(subject),
                                      P_TEXT(role), P_TEXT(verification_id), P_INT(now),
                                      P_INT(expires_at)), NULL, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s}", "token", token, "expires_at",
                         gj_time_format(expires_at, expires, sizeof expires));
    return err;
}

typedef struct {
    char kind[GJ_ROLE_MAX], subject[ACCESS_SUBJECT_MAX], role[GJ_ROLE_MAX];
    char verification_id[GJ_VERIFICATION_ID_MAX];
} session_row;

/* A live session by token (staff: the operator must not be disabled). */
static gj_err find_session(gj_engine *e, const char *token, session_row *s, gj_status *st) {
    static const char unknown[] = "unknown or expired token: sign in again";
    char token_hash[GJ_HASH_HEX];
    size_t n = token ? strlen(token) : 0;
    if (n != 2 * ACCESS_TOKEN_BYTES || strspn(token, "0123456789abcdef") != n)
        return gj_fail(st, GJ_E_FORBIDDEN, unknown);
    sha256_hex(token, n, token_hash);
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(
        e->store, "SELECT s.subject_kind, s.subject, s.role, COALESCE(s.verification_id, '') "
                  "FROM session s LEFT JOIN operator o ON s.subject_kind = 'staff' "
                  "AND o.operator_id = s.subject WHERE s.token_hash = $1 AND s.expires_at > $2 "
                  "AND COALESCE(o.disabled, 0) = 0",
        GJ_PARAMS(P_TEXT(token_hash), P_INT(gj_now())), &rows, st);
    if (err != GJ_E_OK) return err;
    bool found = gj_rows_next(rows);
    if (found) {
        snprintf(s->kind, sizeof s->kind, "%s", gj_rows_text(rows, 0));
        snprintf(s->subject, sizeof s->subject, "%s", gj_rows_text(rows, 1));
        snprintf(s->role, sizeof s->role, "%s", gj_rows_text(rows, 2));
        snprintf(s->verification_id, sizeof s->verification_id, "%s", gj_rows_text(rows, 3));
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (err == GJ_E_OK && !found) err = gj_fail(st, GJ_E_FORBIDDEN, unknown);
    return err;
}

gj_err gj_session_lookup(gj_engine *e, const char *token, char *kind, size_t kind_len,
                         char *subject, size_t subject_len, char *role, size_t role_len,
                         gj_status *st) {
    session_row s;
    gj_err err = find_session(e, token, &s, st);
    if (err != GJ_E_OK) return err;
    snprintf(kind, kind_len, "%s", s.kind);
    snprintf(subject, subject_len, "%s", s.subject);
    snprintf(role, role_len, "%s", s.role);
    return GJ_E_OK;
}

gj_err gj_session_verification(gj_engine *e, const char *token, char *verification_id,
                               size_t len, gj_status *st) {
    session_row s;
    gj_err err = find_session(e, token, &s, st);
    if (err == GJ_E_OK && (strcmp(s.kind, "person") != 0 || s.verification_id[0] == '\0'))
        err = gj_fail(st, GJ_E_FORBIDDEN, "not a verified person's session");
    if (err == GJ_E_OK) snprintf(verification_id, len, "%s", s.verification_id);
    return err;
}
