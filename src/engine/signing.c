/* signing.c — institutions' signing credentials and nonce replay protection for gongjid's
 * national interface (docs/nhsa.md, "Signing"). A credential is a paasid ("PA" + 16 hex) and a
 * 32-byte random secret (64 hex), both from OpenSSL's RAND_bytes; staff issue it and the
 * journal records the issue without the secret. An institution may hold several credentials
 * (rotation); each signs for that institution only. */
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "gongji/hex.h"
#include "gongji/access.h"
#include "nhsa_settle.h"

enum { PAASID_RANDOM_BYTES = 8, SECRET_RANDOM_BYTES = 32, PAASID_MAX = 24 };

static gj_err random_hex(unsigned char *raw, size_t n, char *out, gj_status *st) {
    if (RAND_bytes(raw, (int)n) != 1) return gj_fail(st, GJ_E_INTERNAL, "no randomness available");
    gj_hex_encode(raw, n, out);
    return GJ_E_OK;
}

gj_err gj_institution_credential(gj_engine *e, const gj_actor *who, const char *fixmedins_code,
                                 json_t **out, gj_status *st) {
    unsigned char raw[SECRET_RANDOM_BYTES];
    char paasid[PAASID_MAX] = "PA", secret[2 * SECRET_RANDOM_BYTES + 1];
    gj_time now = gj_now();
    if (fixmedins_code == NULL || *fixmedins_code == '\0')
        return gj_fail(st, GJ_E_BAD_FIELD, "fixmedins_code: required");
    gj_err err = random_hex(raw, PAASID_RANDOM_BYTES, paasid + 2, st);
    if (err == GJ_E_OK) err = random_hex(raw, SECRET_RANDOM_BYTES, secret, st);
    OPENSSL_cleanse(raw, sizeof raw);
    if (err == GJ_E_OK) err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = nhsa_check_institution(e, fixmedins_code, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "INSERT INTO institution_credential (paasid, fixmedins_code, secret, "
                                      "created_at, revoked) VALUES ($1, $2, $3, $4, 0)",
                            GJ_PARAMS(P_TEXT(paasid), P_TEXT(fixmedins_code), P_TEXT(secret), P_INT(now)),
                            NULL, st);
    if (err == GJ_E_OK)
        err = eng_journal(e, who, "institution.credential", fixmedins_code,
                          json_pack("{s:s}", "paasid", paasid), now, st);
    err = eng_finish(e, err, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:s, s:s}", "fixmedins_code", fixmedins_code, "paasid", paasid,
                         "secret", secret);
    OPENSSL_cleanse(secret, sizeof secret);
    return err;
}

gj_err gj_institution_secret(gj_engine *e, const char *paasid, char *fixmedins_code,
                             size_t code_len, char *secret, size_t secret_len, gj_status *st) {
    gj_rows *rows = NULL;
    gj_err err = gj_store_query(e->store, "SELECT fixmedins_code, secret FROM institution_credential "
                                          "WHERE paasid = $1 AND revoked = 0",
                                GJ_PARAMS(P_TEXT(paasid)), &rows, st);
    if (err != GJ_E_OK) return err;
    if (gj_rows_next(rows)) {
        snprintf(fixmedins_code, code_len, "%s", gj_rows_text(rows, 0));
        snprintf(secret, secret_len, "%s", gj_rows_text(rows, 1));
    } else if ((err = gj_rows_error(rows, st)) == GJ_E_OK) {
        err = gj_fail(st, GJ_E_NOT_FOUND, "no such credential");
    }
    gj_rows_end(rows);
    return err;
}

/* A nonce must be remembered as long as a request carrying it could still pass the timestamp
 * check: its timestamp may lie window_s ahead of the first use, and stays acceptable for
 * window_s after that — so nonces are kept for twice the window, that last second included
 * (pruned: used at or before at - 2 × window_s - 1). */
gj_err gj_nonce_use(gj_engine *e, const char *paasid, const char *nonce, gj_time at,
                    unsigned window_s, gj_status *st) {
    gj_err err = eng_begin(e, st);
    if (err != GJ_E_OK) return err;
    err = eng_prune(e, ENG_PRUNE_USED_NONCE, at - 2 * (gj_time)window_s - 1, st);
    if (err == GJ_E_OK)
        err = gj_store_exec(e->store, "INSERT INTO used_nonce (paasid, nonce, at) VALUES ($1, $2, $3)",
                            GJ_PARAMS(P_TEXT(paasid), P_TEXT(nonce), P_INT(at)), NULL, st);
    if (err == GJ_E_DUPLICATE) gj_fail(st, err, "nonce reused");
    return eng_finish(e, err, st);
}
