/* facts_memo.c — facts this connection has seen hold in the database and that, once committed,
 * hold for ever: an account exists, an institution is registered, journal record N has hash H
 * (no row of account, institution or journal is ever deleted or changed by gongji; the journal
 * keeps only its last record's under one key, journal.c). The engine
 * asks the memo before it asks the database, saving a statement per settlement for each.
 *
 * A fact may have been seen inside this connection's own transaction, before it committed; so
 * whatever could undo what this connection wrote forgets the facts learnt since the undone
 * work began (each fact carries the memo's count of puts when it was learnt, store.c keeps the
 * count as a transaction and a command's savepoint begin): a command's rollback those since
 * the command began, a batch's or an outer rollback and a failed commit those since the
 * transaction began. Facts learnt before stay: they were read from rows the rollback keeps (a
 * savepoint's rollback keeps the batch's earlier commands, every rollback keeps what was
 * committed). Two-phase commit's prepare and finish forget everything. Other connections cannot
 * make a fact untrue, since they only ever add rows.
 *
 * Direct-mapped: STORE_FACTS_SLOTS slots, a key's hash picks its slot and a new fact replaces
 * whatever was there; keys and values longer than their limits are simply not remembered. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "store_backend.h"

static size_t slot_of(const char *key) {
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) h = (h ^ *p) * 1099511628211ull;
    return (size_t)(h % STORE_FACTS_SLOTS);
}

void store_facts_drop(gj_store *s) { store_facts_drop_since(s, 0); }

void store_facts_drop_since(gj_store *s, uint64_t mark) {
    assert(mark <= s->facts_learnt);
    if (mark == s->facts_learnt) return;   /* nothing learnt since */
    for (size_t i = 0; i < STORE_FACTS_SLOTS; i++)
        if (s->facts[i].learnt > mark) s->facts[i].key[0] = '\0';
}

bool gj_store_fact_get(const gj_store *s, const char *key, const char **value) {
    assert(key[0] != '\0');
    const store_fact *f = &s->facts[slot_of(key)];
    if (strcmp(f->key, key) != 0) return false;
    if (value != NULL) *value = f->value;
    return true;
}

void gj_store_fact_put(gj_store *s, const char *key, const char *value) {
    assert(key[0] != '\0' && value != NULL);
    size_t key_len = strlen(key), value_len = strlen(value);
    if (key_len >= STORE_FACT_KEY_MAX || value_len >= STORE_FACT_VALUE_MAX) return;
    store_fact *f = &s->facts[slot_of(key)];
    memcpy(f->key, key, key_len + 1);
    memcpy(f->value, value, value_len + 1);
    f->learnt = ++s->facts_learnt;
}
