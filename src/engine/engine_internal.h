/* engine_internal.h — what the engine's modules share: the engine struct, transactions,
 * the ledger, the journal and fact loading. Private to src/engine. */
#ifndef GONGJI_ENGINE_INTERNAL_H
#define GONGJI_ENGINE_INTERNAL_H

#include <jansson.h>

#include "gongji/engine.h"
#include "gongji/family.h"
#include "gongji/jsonx.h"
#include "gongji/settle.h"

struct gj_engine {
    gj_store *store;
    gj_policy_set *policies;
    bool policies_borrowed;   /* gj_engine_open_with: the caller frees them */
    struct gj_xa *xa;            /* province databases and two-phase commit (xa.c), or NULL */
    /* A settlement's facts and result (settle_cmd.c), kept from one settlement to the next:
     * 42 KB that were allocated and freed per settlement, each a large request that made
     * glibc consolidate its fast bins. An engine settles one request at a time, like its
     * store; settle_busy asserts it. */
    gj_settle_facts *settle_facts;
    gj_settle_result *settle_result;
    bool settle_busy;
};

enum { GJ_POSTINGS_MAX = 2 * GJ_DRAWS_MAX + 4, GJ_ACCOUNT_CODE_MAX = 64, GJ_HASH_HEX = 65 };
enum { GJ_FROZEN_REASON_MAX = 201 };   /* a freeze reason, bytes + NUL (R9.2) */

/* ---- transactions (engine.c) ---- */
gj_err eng_begin(gj_engine *e, gj_status *st);
/* Commit when err is OK, else roll back; returns the final status. */
gj_err eng_finish(gj_engine *e, gj_err err, gj_status *st);

/* ---- rows kept for a while (prune.c) ---- */
typedef enum {
    ENG_PRUNE_USED_NONCE,      /* used_nonce.at: when the nonce was used */
    ENG_PRUNE_SESSION,         /* session.expires_at */
    ENG_PRUNE_VERIFICATION,    /* verification.expires_at */
    ENG_PRUNE_REST_REQUEST,    /* rest_request.at: when the answer was remembered */
    ENG_PRUNE_KINDS
} eng_prune_kind;
/* Inside the caller's transaction: delete the rows of `kind` whose time lies at or before
 * `until` (an expiry: now; a retention of keep_s: now - keep_s). */
gj_err eng_prune(gj_engine *e, eng_prune_kind kind, gj_time until, gj_status *st);

/* ---- ledger (ledger.c) ---- */
typedef struct {
    char account[GJ_ACCOUNT_CODE_MAX];
    gj_fen amount_fen;            /* + credit to the account's balance, − debit */
} gj_posting;

typedef struct {
    gj_posting lines[GJ_POSTINGS_MAX];
    int count;
} gj_entry;

void ledger_personal_code(char out[GJ_ACCOUNT_CODE_MAX], const char *psn_no, gj_layer layer);
void ledger_add(gj_entry *entry, const char *account, gj_fen amount_fen);
/* Create the account if missing (kind, owner). */
gj_err ledger_ensure(gj_store *s, const char *code, const char *kind, const char *owner,
                     gj_status *st);
/* The postings digest of a journal record: SHA-256 over "entry_id|line|account|amount\n" for
 * every posting of every entry written under that record, in (entry_id, line) order. */
typedef struct {
    void *ctx;   /* EVP_MD_CTX: one of the thread's digest contexts (gj_sha256_begin) */
} gj_digest;
/* Every init is followed by a final on the same thread: the digest holds one of the thread's
 * GJ_SHA256_OPEN_MAX contexts until then. */
void ledger_digest_init(gj_digest *d);
void ledger_digest_final(gj_digest *d, char out[GJ_HASH_HEX]);
/* Feed the lines of the entry written under id `entry_id`: ledger_post's own digest, and the
 * bulk import's (import_ledger.c), which writes its entries by other means. */
void ledger_digest_entry(gj_digest *d, int64_t entry_id, const gj_entry *entry);
/* Add amount_fen (either sign) to account `code`'s cached balance, refusing without a change
 * when a debit would take a never_negative account below zero or finds no such account
 * (INSUFFICIENT_BALANCE), when the account is otherwise missing (INTERNAL) or when the balance
 * would leave int64 (AMOUNT_OVERFLOW). */
gj_err ledger_move_balance(gj_store *s, const char *code, gj_fen amount_fen, bool never_negative,
                           gj_status *st);

/* Write a balanced entry (asserted) under journal record `journal_seq`, update balances;
 * personal accounts may not go negative (INSUFFICIENT_BALANCE). Feeds `digest`. */
gj_err ledger_post(gj_store *s, const char *kind, const char *ref, gj_time at, int64_t journal_seq,
                   const gj_entry *entry, int64_t *entry_id, gj_digest *digest, gj_status *st);
/* Every posting, by journal record, entry and line (verify): one statement read alongside the
 * journal, instead of one statement per record (which cost about a third of verify). */
typedef struct {
    gj_rows *rows;
    bool has_row;       /* rows stands on a posting not yet taken */
    int64_t last_seq;   /* the record asked for last */
} ledger_stream;
gj_err ledger_stream_open(gj_store *s, ledger_stream *ls, gj_status *st);
/* Recompute the digest of journal record `journal_seq` (greater than the last one asked for)
 * from its stored postings; also returns their sum and how many entries there are. Postings of
 * earlier records not asked for (no such record in the journal) are passed over. */
gj_err ledger_stream_digest(ledger_stream *ls, int64_t journal_seq, char out[GJ_HASH_HEX],
                            gj_fen *sum_fen, int64_t *entries, gj_status *st);
void ledger_stream_close(ledger_stream *ls);
gj_err ledger_layers(gj_store *s, const char *psn_no, gj_acct_view *out, bool *exists,
                     gj_status *st);

/* ---- journal (journal.c) ---- */
/* Take the sequence number of the next journal record (inside the write transaction). Each call
 * takes a new number: append the record it names, or roll back (verify counts the numbers). */
gj_err journal_next_seq(gj_store *s, int64_t *seq, gj_status *st);
/* Append record `seq` (from journal_next_seq). `detail` is stolen. */
gj_err journal_append(gj_store *s, int64_t seq, gj_time at, const gj_actor *who,
                      const char *action, const char *subject, json_t *detail, gj_status *st);
/* The hash of a record from its fields (verify recomputes it). */
void journal_hash(int64_t seq, gj_time at, const char *actor, const char *channel,
                  const char *action, const char *subject, const char *detail,
                  const char *prev_hash, char out[GJ_HASH_HEX]);
void sha256_hex(const void *data, size_t len, char out[GJ_HASH_HEX]);

/* A money-moving command's record: posts `entry` and journals it with its digest. */
gj_err eng_post_and_journal(gj_engine *e, const gj_actor *who, const char *action,
                            const char *subject, const gj_entry *entry, json_t *detail,
                            gj_time at, int64_t *entry_id, gj_status *st);
/* The same with the detail as the compact text of an object (no tree): entry_id and
 * postings_sha256 are appended after its members. */
gj_err eng_post_and_journal_text(gj_engine *e, const gj_actor *who, const char *action,
                                 const char *subject, const gj_entry *entry, const char *detail_text,
                                 gj_time at, int64_t *entry_id, gj_status *st);
/* A command that changes bindings but not money. */
gj_err eng_journal(gj_engine *e, const gj_actor *who, const char *action, const char *subject,
                   json_t *detail, gj_time at, gj_status *st);

/* ---- facts (facts.c) ---- */
gj_err facts_person(gj_engine *e, const char *psn_no, gj_person_facts *out, gj_status *st);
/* Column 4 of every person query of facts_person_account: how many remote-care registrations
 * (R8) cover $3, today — read with the person row instead of by a statement of its own, which
 * cost every person a settlement reads (the patient, each donor) a second statement. */
#define FACTS_REMOTE_CARE_COLUMN                                                               \
    "(SELECT COUNT(*) FROM remote_care r WHERE r.psn_no = person.psn_no AND r.valid_from <= $3 " \
    "AND r.valid_to >= $3)"
/* More of the person row, read by the same query: `sql` selects insutype, admdvs, status,
 * birth_date, FACTS_REMOTE_CARE_COLUMN and then the caller's columns (from column 5) FROM
 * person WHERE psn_no = $1 ($2: `arg`, $3: today); `row` reads the caller's columns of the row
 * found. */
typedef struct {
    const char *sql;
    const char *arg;
    void (*row)(gj_rows *rows, void *ctx);
    void *ctx;
} facts_person_query;
/* facts_person, also handing back the account layers it read (*exists: the person has any), so
 * a caller that needs them per layer does not read them again; q (or NULL) reads more columns. */
gj_err facts_person_account(gj_engine *e, const char *psn_no, gj_person_facts *out,
                            gj_acct_view *acct, bool *exists, const facts_person_query *q,
                            gj_status *st);
gj_err facts_policy(gj_engine *e, const char *admdvs, gj_date on, const gj_policy **out,
                    gj_status *st);

typedef struct {
    char binding_id[GJ_BINDING_ID_MAX];
    char network_id[GJ_BINDING_ID_MAX];
    char donor[GJ_PSN_NO_MAX], member[GJ_PSN_NO_MAX];
    gj_binding_facts facts;
    gj_fen authorized_fen, limit_fen;   /* -1: none */
    int priority;
    gj_time created_at;
    bool donor_is_creator;
    char frozen_reason[GJ_FROZEN_REASON_MAX];   /* R9.2, "" when not frozen */
} gj_binding_row;

/* Columns read by facts_binding_from_row; append a WHERE clause. */
#define BINDING_SELECT                                                                          \
    "SELECT b.binding_id, b.network_id, b.donor, b.member, b.relation, b.mode_payment, "       \
    "b.mode_contribution, b.temporary, b.authorized_fen, b.limit_fen, b.priority, b.status, "  \
    "b.created_at, b.active_from, b.active_until, b.frozen, n.creator, b.frozen_reason "       \
    "FROM binding b JOIN network n ON n.network_id = b.network_id "
void facts_binding_from_row(gj_rows *rows, gj_binding_row *b);
/* NOT_FOUND with FACTS_BINDING_NOT_FOUND when there is no such binding. */
#define FACTS_BINDING_NOT_FOUND "binding not found"
gj_err facts_binding(gj_engine *e, const char *binding_id, gj_binding_row *out, gj_status *st);

/* binding_use.c: a binding's use as running totals per settlement year (schema 010). */
/* Add a source a settlement drew under binding_id (amount_fen > 0) to `year`'s total. */
gj_err binding_use_add(gj_store *s, const char *binding_id, int year, gj_fen amount_fen,
                       gj_status *st);
/* Take the sources of settlement setl_id off its year's totals (the settlement is cancelled). */
gj_err binding_use_cancel(gj_store *s, const char *setl_id, gj_status *st);
/* Amount paid under a binding by settlements still in force: all time and in `year`. */
gj_err binding_use_read(gj_store *s, const char *binding_id, int year, gj_fen *total_fen,
                        gj_fen *year_fen, gj_status *st);
/* LEDGER_UNBALANCED naming the first binding and year whose total is not what the sources of
 * its settled settlements make. */
gj_err binding_use_check(gj_store *s, gj_status *st);
/* The binding as JSON (for results and listings). */
json_t *binding_json(const gj_binding_row *b);

/* Identifiers: prefix + zero-padded counter ("B000000012"). */
gj_err eng_new_id(gj_engine *e, const char *counter, const char *prefix, char *out, size_t len,
                  gj_status *st);

#endif
