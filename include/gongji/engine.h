/* engine.h — the one entry point of gongji: typed commands in, JSON results out.
 *
 * Every command runs in one store transaction: it loads the facts, asks the domain (pure rules)
 * for a decision, writes postings, records and a journal entry, and commits — or changes
 * nothing and returns a refusal (gj_status: code, rule via gj_err_rule, detail). Results are
 * Jansson objects owned by the caller (json_decref). The CLI and the HTTP server both call
 * these functions; neither knows SQL. Time comes from gj_now() (injectable). */
#ifndef GONGJI_ENGINE_H
#define GONGJI_ENGINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "gongji/error.h"
#include "gongji/gjtime.h"
#include "gongji/money.h"
#include "gongji/policy.h"
#include "gongji/store.h"

typedef struct gj_engine gj_engine;

/* Who acts and through which channel (R2.7, R9.3): actor is a psn_no, an operator id or an
 * institution code; channel one of "app", "window", "his", "cli", "household_graph". */
typedef struct {
    const char *actor;
    const char *channel;
} gj_actor;

/* Open the store at `db_url` (see gj_store_open) and load policies from `policy_dir`. */
gj_err gj_engine_open(const char *db_url, const char *policy_dir, gj_engine **out, gj_status *st);
/* The same with policies already loaded, which the engine borrows: they must outlive it (the
 * caller frees them after gj_engine_close). A simulation worker loads each policy version once
 * for its hundreds of runs (src/sim/sim_run.c). */
gj_err gj_engine_open_with(const char *db_url, gj_policy_set *policies, gj_engine **out, gj_status *st);
void gj_engine_close(gj_engine *e);
/* Provinces on their own PostgreSQL databases (docs/operations.md): read the province map at
 * map_path (`PP = URL` lines); db_url, the URL e was opened with, must be in it — its province
 * is e's home. From then on a settlement drawing on a donor whose account is in another
 * province's database writes to both, atomically (two-phase commit, src/engine/xa.c). */
gj_err gj_engine_set_provinces(gj_engine *e, const char *db_url, const char *map_path, gj_status *st);
/* End every in-doubt cross-province transaction on the databases of the map at map_path: commit
 * those whose decision was logged as commit, roll back the rest — those prepared at least
 * min_age_s seconds ago (0: all; periodic checks leave live coordinators alone). Idempotent. A database that
 * cannot be reached is skipped and reported (error in its line, databases_failed > 0); fails
 * only on a bad map. Result: {databases: [{province, in_doubt_found, error?}],
 * resolved: [{gid, province, outcome}], committed, rolled_back, databases_failed}. */
gj_err gj_recover_in_doubt(const char *map_path, int min_age_s, json_t **out, gj_status *st);
gj_store *gj_engine_store(gj_engine *e);
gj_policy_set *gj_engine_policies(gj_engine *e);

/* ---- registry (R1) ---- */

/* Import people from CSV (columns: docs/import.md). All-or-nothing: the first bad row is
 * reported as "line N: reason" and nothing is imported. `progress` draws a bar on a terminal.
 * Result: {"imported": n}. */
gj_err gj_import_persons(gj_engine *e, const gj_actor *who, FILE *csv, bool progress,
                         json_t **out, gj_status *st);
/* A person with accounts by layer and card balance. */
gj_err gj_person_show(gj_engine *e, const char *psn_no, json_t **out, gj_status *st);
/* status: active | suspended | terminated (R3.9: bindings stop working at once). */
gj_err gj_person_set_status(gj_engine *e, const gj_actor *who, const char *psn_no,
                            const char *status, json_t **out, gj_status *st);
/* Credit a personal-account layer (annual allocation 划入); source is the region's allocation
 * account. */
gj_err gj_account_deposit(gj_engine *e, const gj_actor *who, const char *psn_no,
                          const char *layer, gj_fen amount_fen, json_t **out, gj_status *st);
/* Register a designated institution (R4.7). code: the national fixmedins_code, 12 letters or
 * digits (BAD_FIELD); kind: hospital | pharmacy. */
gj_err gj_institution_add(gj_engine *e, const gj_actor *who, const char *code, const char *name,
                          const char *kind, const char *admdvs, json_t **out, gj_status *st);

/* ---- family networks (R2, R3) ---- */

/* R3.1: create the organizer's network: commitment signed and identity verified. */
gj_err gj_network_create(gj_engine *e, const gj_actor *who, const char *psn_no,
                         bool commitment_signed, const char *verify_method,
                         const char *verify_ref, json_t **out, gj_status *st);

typedef struct {
    const char *donor, *member, *relation;   /* relation code (domain.h) */
    const char *modes;                       /* "payment,contribution" */
    bool temporary;
    bool has_authorized; gj_fen authorized_fen;
    bool has_limit; gj_fen limit_fen;
    const char *declared_by;                 /* who declared the relation (default: actor) */
    const char *proof;                       /* e.g. "household_register:…" or "" */
} gj_invite;

/* R3.2: invite; members under the consent age join at once, others are pending. */
gj_err gj_bind_invite(gj_engine *e, const gj_actor *who, const gj_invite *inv, json_t **out,
                      gj_status *st);
/* The member accepts with their own identity verification (also upgrades a temporary member).
 * NOT_PENDING when there is nothing to accept; FROZEN while staff have frozen the binding (R9.2). */
gj_err gj_bind_accept(gj_engine *e, const gj_actor *who, const char *binding_id,
                      const char *verify_method, const char *verify_ref, json_t **out,
                      gj_status *st);
gj_err gj_bind_reject(gj_engine *e, const gj_actor *who, const char *binding_id, json_t **out,
                      gj_status *st);

typedef struct {
    const char *modes;                       /* NULL: unchanged */
    bool set_authorized; gj_fen authorized_fen;   /* -1 clears */
    bool set_limit; gj_fen limit_fen;             /* -1 clears */
    bool set_priority; int priority;
} gj_binding_change;

gj_err gj_bind_set(gj_engine *e, const gj_actor *who, const char *binding_id,
                   const gj_binding_change *chg, json_t **out, gj_status *st);
/* R3.6: ends at 00:00 the next day (policy). Donor or member may unbind. */
gj_err gj_bind_unbind(gj_engine *e, const gj_actor *who, const char *binding_id, json_t **out,
                      gj_status *st);
/* R3.8: the network a person belongs to, as donor and as member. */
gj_err gj_network_show(gj_engine *e, const char *psn_no, json_t **out, gj_status *st);

/* R3.7: offline application at an agency window; approval creates an active binding. */
gj_err gj_apply_submit(gj_engine *e, const gj_actor *who, const gj_invite *inv, json_t **out,
                       gj_status *st);
gj_err gj_apply_review(gj_engine *e, const gj_actor *who, const char *app_id, bool approve,
                       const char *reason, json_t **out, gj_status *st);
gj_err gj_apply_list(gj_engine *e, const char *status, json_t **out, gj_status *st);

/* ---- the national interface (R4, R6.4) ---- */

/* Handle one national-style request envelope ({infno, msgid, fixmedins_code, input, …}) and
 * return the response envelope ({infcode, inf_refmsgid, err_msg, output, …}); NULL only when
 * memory runs out. Every refusal is an envelope too: infcode -1 with err_msg "CODE (rule): 中文 / English: detail", plus the
 * gongji fields err_code and err_rule. Supports 9001/9002 (sign-in), 1101 (person),
 * 2101-2103 and 2206-2208 (settlement), 2201-2205 (outpatient visits and fees), 2301-2305 and
 * 2401-2405 (inpatient stays), 2601 (reversal), 3201/3202 (reconciliation): docs/nhsa.md.
 * The caller has established that the sender may act for the envelope's fixmedins_code. */
json_t *gj_nhsa_call(gj_engine *e, json_t *request);
/* The refusal envelope for a request that never reached gj_nhsa_call (bad JSON, a sender not
 * allowed to act for the envelope's institution), shaped like gj_nhsa_call's refusals.
 * `request` may be NULL. */
json_t *gj_nhsa_refusal(json_t *request, const gj_status *st);
/* The same two as compact JSON text (malloc'd; the caller frees it), as gongji writes and
 * stores them: no tree is built for a settlement's answer (the HTTP interface and the
 * simulation take these). NULL only when memory runs out. */
char *gj_nhsa_call_text(gj_engine *e, json_t *request);
char *gj_nhsa_refusal_text(json_t *request, const gj_status *st);
/* gj_nhsa_call_text in two steps, so that the one writer does only what needs the store: a
 * server decodes the envelope and hashes the request on its own thread (gj_nhsa_prepare: no
 * store, thread-safe; NULL only when memory runs out; it holds a reference to `request`), then
 * runs it on the writer (gj_nhsa_call_prepared: the same answer gj_nhsa_call_text gives, a bad
 * envelope's refusal included), and frees it (any thread; NULL is allowed). */
typedef struct gj_nhsa_prepared gj_nhsa_prepared;
gj_nhsa_prepared *gj_nhsa_prepare(json_t *request);
char *gj_nhsa_call_prepared(gj_engine *e, const gj_nhsa_prepared *p);
void gj_nhsa_prepared_free(gj_nhsa_prepared *p);

/* The stored explanation of a settlement. */
gj_err gj_settle_explain(gj_engine *e, const char *setl_id, json_t **out, gj_status *st);

/* ---- contributions (R5) ---- */
gj_err gj_premium_pay(gj_engine *e, const gj_actor *who, const char *donor, const char *member,
                      int year, json_t **out, gj_status *st);
gj_err gj_product_buy(gj_engine *e, const gj_actor *who, const char *donor, const char *member,
                      const char *product, gj_fen amount_fen, json_t **out, gj_status *st);

/* ---- records (R6) ---- */
typedef struct {
    int year;                /* 0: any */
    const char *admdvs;      /* insured region of the patient, NULL: any */
    const char *med_type;    /* NULL: any */
} gj_record_filter;

/* A filter naming an invalid region code is refused with BAD_ADMDVS, an unknown med_type with
 * BAD_CODE (never answered with an empty list). A donor's contributions (premiums, products)
 * follow the year filter, as their benefit year; region and visit type filter uses only. */
gj_err gj_records_member(gj_engine *e, const char *psn_no, const gj_record_filter *f,
                         json_t **out, gj_status *st);
gj_err gj_records_donor(gj_engine *e, const char *psn_no, const gj_record_filter *f,
                        json_t **out, gj_status *st);
/* Authorization history: every binding and its journal trail (R3.8). */
gj_err gj_records_bindings(gj_engine *e, const char *psn_no, json_t **out, gj_status *st);
gj_err gj_receipt(gj_engine *e, const char *setl_id, json_t **out, gj_status *st);
gj_err gj_statement(gj_engine *e, const char *psn_no, int year, json_t **out, gj_status *st);
/* Per-institution daily totals and details (3201/3202 figures) of the days from..to: BAD_DATE
 * when to < from, TOO_LARGE over 366 days, NOT_FOUND for an institution not registered. */
gj_err gj_recon_totals(gj_engine *e, const char *fixmedins_code, gj_date from, gj_date to,
                       json_t **out, gj_status *st);
gj_err gj_recon_details(gj_engine *e, const char *fixmedins_code, gj_date from, gj_date to,
                        json_t **out, gj_status *st);

/* ---- ledger and audit (R9.3) ---- */
/* Books balanced, balances equal postings, journal chain intact. On failure returns
 * LEDGER_UNBALANCED or CHAIN_BROKEN naming the first bad record; *out has the report. */
gj_err gj_verify(gj_engine *e, json_t **out, gj_status *st);

/* ---- violations (R9.2) ---- */

/* Freeze (freeze true) or unfreeze a binding (kind "binding", target a binding_id) or a
 * person's shareable personal account (kind "account", target a psn_no), with a reason kept on
 * the binding or account and in the journal. A frozen binding or account pays no mutual aid
 * (FROZEN). Staff only: the app channel gets FORBIDDEN. ALREADY_FROZEN / NOT_FROZEN when there
 * is nothing to change. */
gj_err gj_freeze(gj_engine *e, const gj_actor *who, const char *kind, const char *target,
                 bool freeze, const char *reason, json_t **out, gj_status *st);
/* Recover (追回) `amount_fen` of the mutual aid `donor` paid in settlement `setl_id`: the
 * donor's account layers it came from are credited back, the patient's recovery receivable
 * (recv:<psn_no>, what the user owes, R9.1) is debited. At most what the donor paid there and
 * is not yet recovered (RECOVERY_EXCEEDS). Staff only. */
gj_err gj_recover(gj_engine *e, const gj_actor *who, const char *setl_id, const char *donor,
                  gj_fen amount_fen, const char *reason, json_t **out, gj_status *st);
/* Recoveries where `psn_no` is the donor or the user, newest first. */
gj_err gj_recoveries(gj_engine *e, const char *psn_no, json_t **out, gj_status *st);

/* ---- family pool (R7.2) ---- */

/* `donor` moves `amount_fen` into the family pool of the network `owner` created (opened on
 * the first contribution). Only in pool-model regions (NOT_POOL_REGION), only the creator or a
 * bound member (NOT_POOL_MEMBER), only the part of the shareable balance above the reserve
 * floor (ABOVE_RESERVE_ONLY). Members' bills then draw on the pool after their own account,
 * the creator's contributions first. */
gj_err gj_pool_contribute(gj_engine *e, const gj_actor *who, const char *owner,
                          const char *donor, gj_fen amount_fen, json_t **out, gj_status *st);
/* The same with everything above the reserve (ABOVE_RESERVE_ONLY when that is nothing). */
gj_err gj_pool_contribute_all(gj_engine *e, const gj_actor *who, const char *owner,
                              const char *donor, json_t **out, gj_status *st);
/* The pool of `owner`'s network: balance by contributor and layer, and its statement (every
 * movement with its contributor). */
gj_err gj_pool_show(gj_engine *e, const char *owner, json_t **out, gj_status *st);
/* Close the pool: every remaining fen returns to the account and layer it came from. */
gj_err gj_pool_close(gj_engine *e, const gj_actor *who, const char *owner, json_t **out,
                     gj_status *st);

/* ---- medical-insurance wallet (R7.3) ---- */

/* `donor` moves `amount_fen` from their personal account (shareable layers in payment order,
 * above the reserve: ABOVE_RESERVE_ONLY) into `recipient`'s wallet, declaring `relation`; no
 * binding. Refusals from gj_family_check_wallet (NOT_WALLET_REGION, relation scope,
 * WALLET_EMPLOYEE_TO_RESIDENT_ONLY, WALLET_CROSS_PROVINCE). In the app only one's own money.
 * Answers the recipient's wallet (gj_wallet_show) with transfer_id. */
gj_err gj_wallet_transfer(gj_engine *e, const gj_actor *who, const char *donor,
                          const char *recipient, const char *relation, gj_fen amount_fen,
                          json_t **out, gj_status *st);
/* A person's wallet: balance, transfers in and out (who, relation, when, by whom), statement. */
gj_err gj_wallet_show(gj_engine *e, const char *psn_no, json_t **out, gj_status *st);
/* R7.3/R5: pay `psn_no`'s own resident premium for `year` from their wallet (window, standard
 * and once-a-year rules as gj_premium_pay; INSUFFICIENT_BALANCE when the wallet is short). */
gj_err gj_premium_pay_wallet(gj_engine *e, const gj_actor *who, const char *psn_no, int year,
                             json_t **out, gj_status *st);

/* ---- across regions (R8) ---- */

/* Record a remote-care registration (异地就医备案) of `psn_no` for care in `place_admdvs` from
 * `from` to `to` (inclusive). Cross-province mutual aid for a member needs one covering the day
 * of use where the donor's region says so (geography.remote_care_required). In the app channel
 * only for oneself. */
gj_err gj_remote_care_add(gj_engine *e, const gj_actor *who, const char *psn_no,
                          const char *place_admdvs, gj_date from, gj_date to, json_t **out,
                          gj_status *st);
/* A person's remote-care registrations, newest first. */
gj_err gj_remote_care_list(gj_engine *e, const char *psn_no, json_t **out, gj_status *st);

/* ---- REST retries (Idempotency-Key, docs/api.md) ---- */

enum { GJ_REST_KEY_MAX = 64, GJ_REST_CALLER_MAX = 80, GJ_REST_HASH_HEX = 65 };

/* The answer remembered for (caller, key): found false when there is none. */
typedef struct {
    bool found;
    int status;                              /* HTTP status of the first answer (2xx) */
    char request_hash[GJ_REST_HASH_HEX];     /* what the first request was (gj_rest_request_hash) */
    char *response;                          /* its compact JSON text (malloc'd; gj_rest_answer_free) */
} gj_rest_answer;

/* The hex SHA-256 of a request's method, path and body: equal for a retry of the same request. */
void gj_rest_request_hash(const char *method, const char *path, const char *body, size_t body_len,
                          char out[GJ_REST_HASH_HEX]);
/* Load the answer remembered for (caller, key) within the last retention_s seconds (an older
 * one is not found: a retry after that is a new request). */
gj_err gj_rest_answer_load(gj_engine *e, const char *caller, const char *key, unsigned retention_s,
                           gj_rest_answer *out, gj_status *st);
/* Remember a 2xx answer for (caller, key), as its own command: inside a batch it joins the
 * batch's transaction, so it is durable exactly when the request's effect is. First forgets
 * every answer remembered retention_s or more seconds ago (this key's too: an expired key is
 * taken anew). */
gj_err gj_rest_answer_remember(gj_engine *e, const char *caller, const char *key,
                               const char *request_hash, int status, const char *response,
                               unsigned retention_s, gj_status *st);
void gj_rest_answer_free(gj_rest_answer *a);

/* Copy every table of the database at from_url into the one at to_url (gongji migrate), then
 * compare row counts and row digests per table and verify both sides (same chain head).
 * Refuses (DUPLICATE) a target holding rows unless force, which replaces them. A copy that
 * differs gives LEDGER_UNBALANCED with the report in *out. */
gj_err gj_migrate_copy(const char *from_url, const char *to_url, const char *policy_dir, bool force,
                       bool progress, json_t **out, gj_status *st);

#endif
