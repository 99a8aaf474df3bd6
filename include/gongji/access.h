/* access.h — engine commands behind gongjid's authentication: institution signing credentials
 * and nonce replay protection (src/engine/signing.c), agency operators with roles, sessions
 * (bearer tokens) and identity verification of insured people (src/engine/access.c).
 * Secrets never appear in logs or the journal; tokens and codes are stored only as hashes. */
#ifndef GONGJI_ACCESS_H
#define GONGJI_ACCESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "gongji/engine.h"

enum {
    GJ_SECRET_MAX = 80,
    GJ_TOKEN_MAX = 80,
    GJ_ROLE_MAX = 16,
    GJ_VERIFICATION_ID_MAX = 32,
    GJ_OTP_MAX = 8,          /* buffer for a one-time code (6 digits + NUL) */
};

/* ---- institutions (signing.c) ---- */
/* Issue a new credential for a registered institution: {paasid, secret} (shown once). */
gj_err gj_institution_credential(gj_engine *e, const gj_actor *who, const char *fixmedins_code,
                                 json_t **out, gj_status *st);
/* The institution and secret of a credential (not revoked); NOT_FOUND otherwise. */
gj_err gj_institution_secret(gj_engine *e, const char *paasid, char *fixmedins_code,
                             size_t code_len, char *secret, size_t secret_len, gj_status *st);
/* Record a nonce in its own transaction; DUPLICATE ("nonce reused") if this paasid used it
 * within the retention window. Nonces are kept for 2 × window_s (a timestamp may be window_s
 * ahead and stays acceptable window_s later), then forgotten. */
gj_err gj_nonce_use(gj_engine *e, const char *paasid, const char *nonce, gj_time at,
                    unsigned window_s, gj_status *st);

/* ---- operators, sessions, verification (access.c) ---- */
/* role: clerk | reviewer | auditor | admin. Password ≥ 8 chars, stored as salted PBKDF2. */
gj_err gj_operator_add(gj_engine *e, const gj_actor *who, const char *operator_id,
                       const char *name, const char *role, const char *password, json_t **out,
                       gj_status *st);
/* {token, role, expires_at}; FORBIDDEN on a wrong id or password (same answer for both).
 * gj_operator_check_password then gj_operator_open_session, on one engine. */
gj_err gj_operator_login(gj_engine *e, const char *operator_id, const char *password,
                         unsigned ttl_s, json_t **out, gj_status *st);
/* What a checked password proves: the operator's stored password hash (hex) as the check read
 * it. */
enum { GJ_PASSWORD_HASH_HEX = 65 };
typedef struct {
    char password_hash[GJ_PASSWORD_HASH_HEX];
} gj_operator_proof;
/* A sign-in's costly half (PBKDF2, ~25 ms; only reads, so any engine: gongjid runs it on a
 * reader, not on its one writer): OK and *proof when the operator exists, is not disabled and
 * the password is theirs; FORBIDDEN otherwise (the same answer, and the same work, for a wrong
 * id and a wrong password). */
gj_err gj_operator_check_password(gj_engine *e, const char *operator_id, const char *password,
                                  gj_operator_proof *proof, gj_status *st);
/* A sign-in's session, once gj_operator_check_password passed (on any engine, at any time
 * before): {token, role, expires_at, operator_id}; FORBIDDEN, as for a wrong password, when the
 * operator was disabled or their password changed since the check. */
gj_err gj_operator_open_session(gj_engine *e, const char *operator_id,
                                const gj_operator_proof *proof, unsigned ttl_s, json_t **out,
                                gj_status *st);
/* Start identity verification of an insured person: {verification_id}; the one-time code is
 * returned in *code_out for the verifier to deliver (demo: logged). Refusals do not reveal
 * whether the person exists. */
gj_err gj_verification_start(gj_engine *e, const char *psn_no, const char *certno,
                             char *code_out, size_t code_len, json_t **out, gj_status *st);
/* OK when psn_no is a registered person whose certificate number is certno (a final 'x' in
 * either case); NOT_FOUND, with one and the same detail, for an unknown person and for a wrong
 * number — so a caller learns nothing about a person whose number they do not know (the app's
 * invitation and wallet transfer: R6.2). */
gj_err gj_person_identified(gj_engine *e, const char *psn_no, const char *certno, gj_status *st);
/* Finish it with the code: a person session {token, psn_no, expires_at, verification_id}. */
gj_err gj_verification_finish(gj_engine *e, const char *verification_id, const char *code,
                              unsigned ttl_s, json_t **out, gj_status *st);
/* Resolve a bearer token: kind "person" | "staff", subject, role ("" for persons). */
gj_err gj_session_lookup(gj_engine *e, const char *token, char *kind, size_t kind_len,
                         char *subject, size_t subject_len, char *role, size_t role_len,
                         gj_status *st);
/* The identity verification a person's session was opened with (the verify_ref of what the
 * person does in that session: network create, accept). FORBIDDEN like an unknown token for
 * staff sessions. */
gj_err gj_session_verification(gj_engine *e, const char *token, char *verification_id,
                               size_t len, gj_status *st);
/* R6.2: may this person see this settlement — its patient, or a donor whose money paid part
 * of it? NOT_FOUND otherwise: the same answer as for a settlement that does not exist. */
gj_err gj_settlement_visible(gj_engine *e, const char *setl_id, const char *psn_no,
                             gj_status *st);
/* R7.2, R6.2: may this person see the family pool of the network `creator` created — the
 * creator, a party to an active binding in that network, or anyone who ever contributed to
 * one of its pools? NOT_FOUND otherwise, with the same detail as for a creator without a
 * network or a person who does not exist (no existence leak). */
gj_err gj_pool_visible(gj_engine *e, const char *creator, const char *psn_no, gj_status *st);

#endif
