/* journal.c — the hash-chained audit journal (R9.3): every command that changes money or
 * bindings appends who, which channel, when, what; each record's hash covers the previous
 * record's hash, so a changed, removed or inserted record breaks the chain. */
#include <assert.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/hex.h"
#include "gongji/json_writer.h"
#include "gongji/sha256.h"
#include "gongji/strcopy.h"
#include "engine_internal.h"

static const char GENESIS_HASH[] = "0000000000000000000000000000000000000000000000000000000000000000";

void sha256_hex(const void *data, size_t len, char out[GJ_HASH_HEX]) {
    unsigned char md[GJ_SHA256_BYTES];
    EVP_MD_CTX *ctx = gj_sha256_begin();
    EVP_DigestUpdate(ctx, data, len);
    gj_sha256_end(ctx, md);
    gj_hex_encode(md, sizeof md, out);
}

void journal_hash(int64_t seq, gj_time at, const char *actor, const char *channel,
                  const char *action, const char *subject, const char *detail,
                  const char *prev_hash, char out[GJ_HASH_HEX]) {
    EVP_MD_CTX *ctx = gj_sha256_begin();
    char head[2 * GJ_INT_TEXT_MAX + 2], *p = head;   /* "seq|at|" */
    p += gj_int_text(p, seq);
    *p++ = '|';
    p += gj_int_text(p, at);
    *p++ = '|';
    EVP_DigestUpdate(ctx, head, (size_t)(p - head));
    const char *parts[] = {actor, channel, action, subject, detail, prev_hash};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
        EVP_DigestUpdate(ctx, "|", 1);   /* field separator; lengths differ → hashes differ */
    }
    unsigned char md[GJ_SHA256_BYTES];
    gj_sha256_end(ctx, md);
    gj_hex_encode(md, sizeof md, out);
}

/* Sequence numbers come from counter 'journal', which thereby also records how long the journal
 * is: removing records from its end breaks no link, so verify compares the two. A database from
 * before the counter starts it after its last record. */
gj_err journal_next_seq(gj_store *s, int64_t *seq, gj_status *st) {
    assert(gj_store_in_tx(s));
    bool found = false;
    gj_err e = gj_store_next_existing_id(s, "journal", seq, &found, st);
    if (e != GJ_E_OK || found) return e;
    e = gj_store_exec(s, "INSERT INTO counter (name, next_value) "
                         "SELECT 'journal', COALESCE(MAX(seq), 0) + 1 FROM journal",
                      GJ_NO_PARAMS, NULL, st);
    return e != GJ_E_OK ? e : gj_store_next_id(s, "journal", seq, st);
}

/* The store fact "journal" = "SEQ:HASH", the last record this connection wrote (journal
 * records never change): one fact, replaced at every append, instead of one per record, whose
 * keys took a new memo slot each time and pushed the institutions' and accounts' facts out. */
static const char journal_fact[] = "journal";

/* Writes "SEQ:" (the journal fact's prefix for record seq) into out; returns its length. */
static size_t journal_fact_prefix(char out[GJ_INT_TEXT_MAX + 1], int64_t seq) {
    size_t n = gj_int_text(out, seq);
    out[n++] = ':';
    out[n] = '\0';
    return n;
}

/* The hash of record seq - 1: remembered when this connection wrote it, else read. */
static gj_err previous_hash(gj_store *s, int64_t seq, char out[GJ_HASH_HEX], gj_status *st) {
    char prefix[GJ_INT_TEXT_MAX + 1];
    const char *known = NULL;
    gj_copy_text(out, GJ_HASH_HEX, GENESIS_HASH);
    if (seq == 1) return GJ_E_OK;
    size_t n = journal_fact_prefix(prefix, seq - 1);
    if (gj_store_fact_get(s, journal_fact, &known) && strncmp(known, prefix, n) == 0) {
        assert(strlen(known + n) == GJ_HASH_HEX - 1);
        gj_copy_text(out, GJ_HASH_HEX, known + n);
        return GJ_E_OK;
    }
    gj_rows *rows = NULL;
    gj_err e = gj_store_query(s, "SELECT hash FROM journal WHERE seq = $1",
                              GJ_PARAMS(P_INT(seq - 1)), &rows, st);
    if (e != GJ_E_OK) return e;
    if (gj_rows_next(rows)) gj_copy_text(out, GJ_HASH_HEX, gj_rows_text(rows, 0));
    else e = gj_fail(st, GJ_E_CHAIN_BROKEN, "journal record %lld missing", (long long)(seq - 1));
    gj_rows_end(rows);
    return e;
}

/* journal_append with the detail already encoded (compact JSON text of an object). */
static gj_err append_text(gj_store *s, int64_t seq, gj_time at, const gj_actor *who,
                          const char *action, const char *subject, const char *text, gj_status *st) {
    assert(who != NULL && who->actor != NULL && who->channel != NULL && text[0] == '{');
    char prev[GJ_HASH_HEX], hash[GJ_HASH_HEX];
    gj_err e = previous_hash(s, seq, prev, st);
    if (e != GJ_E_OK) return e;
    journal_hash(seq, at, who->actor, who->channel, action, subject, text, prev, hash);
    e = gj_store_exec(s, "INSERT INTO journal (seq, at, actor, channel, action, subject, "
                         "detail, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                      GJ_PARAMS(P_INT(seq), P_INT(at), P_TEXT(who->actor), P_TEXT(who->channel),
                                P_TEXT(action), P_TEXT(subject), P_TEXT(text), P_TEXT(prev),
                                P_TEXT(hash)), NULL, st);
    if (e == GJ_E_OK) {   /* the next record's previous hash */
        char fact[GJ_INT_TEXT_MAX + GJ_HASH_HEX + 1];
        size_t n = journal_fact_prefix(fact, seq);
        memcpy(fact + n, hash, GJ_HASH_HEX);
        gj_store_fact_put(s, journal_fact, fact);
    }
    return e;
}

gj_err journal_append(gj_store *s, int64_t seq, gj_time at, const gj_actor *who,
                      const char *action, const char *subject, json_t *detail, gj_status *st) {
    char *text = gj_json_encode(detail, true);
    json_decref(detail);
    if (text == NULL) return gj_fail(st, GJ_E_INTERNAL, "journal detail");
    gj_err e = append_text(s, seq, at, who, action, subject, text, st);
    free(text);
    return e;
}

/* Post `entry` for the journal record it takes (*seq): *entry_id and the postings' digest. */
static gj_err post_entry(gj_engine *e, const char *action, const char *subject, const gj_entry *entry,
                         gj_time at, int64_t *seq, int64_t *entry_id, char digest[GJ_HASH_HEX],
                         gj_status *st) {
    gj_digest d;
    gj_err err = journal_next_seq(e->store, seq, st);
    ledger_digest_init(&d);
    if (err == GJ_E_OK)
        err = ledger_post(e->store, action, subject, at, *seq, entry, entry_id, &d, st);
    ledger_digest_final(&d, digest);
    return err;
}

gj_err eng_post_and_journal(gj_engine *e, const gj_actor *who, const char *action,
                            const char *subject, const gj_entry *entry, json_t *detail,
                            gj_time at, int64_t *entry_id, gj_status *st) {
    int64_t seq = 0;
    char digest[GJ_HASH_HEX];
    gj_err err = post_entry(e, action, subject, entry, at, &seq, entry_id, digest, st);
    if (err != GJ_E_OK) {
        json_decref(detail);
        return err;
    }
    json_object_set_new(detail, "entry_id", json_integer(*entry_id));
    json_object_set_new(detail, "postings_sha256", json_string(digest));
    return journal_append(e->store, seq, at, who, action, subject, detail, st);
}

gj_err eng_post_and_journal_text(gj_engine *e, const gj_actor *who, const char *action,
                                 const char *subject, const gj_entry *entry, const char *detail_text,
                                 gj_time at, int64_t *entry_id, gj_status *st) {
    size_t n = strlen(detail_text);
    assert(n >= 2 && detail_text[0] == '{' && detail_text[n - 1] == '}');
    int64_t seq = 0;
    char digest[GJ_HASH_HEX];
    gj_err err = post_entry(e, action, subject, entry, at, &seq, entry_id, digest, st);
    if (err != GJ_E_OK) return err;
    gj_jw w;
    gj_jw_init(&w);
    gj_jw_put(&w, detail_text, n - 1);
    if (n > 2) GJ_JW_PUT_LITERAL(&w, ",");   /* the detail had members before */
    GJ_JW_PUT_LITERAL(&w, "\"entry_id\":");
    gj_jw_put_int(&w, *entry_id);
    GJ_JW_PUT_LITERAL(&w, ",\"postings_sha256\":");
    gj_jw_put_string(&w, digest, strlen(digest), false);
    GJ_JW_PUT_LITERAL(&w, "}");
    char *text = gj_jw_finish(&w);
    if (text == NULL) return gj_fail(st, GJ_E_INTERNAL, "journal detail");
    err = append_text(e->store, seq, at, who, action, subject, text, st);
    free(text);
    return err;
}

gj_err eng_journal(gj_engine *e, const gj_actor *who, const char *action, const char *subject,
                   json_t *detail, gj_time at, gj_status *st) {
    int64_t seq = 0;
    gj_err err = journal_next_seq(e->store, &seq, st);
    if (err != GJ_E_OK) {
        json_decref(detail);
        return err;
    }
    return journal_append(e->store, seq, at, who, action, subject, detail, st);
}
