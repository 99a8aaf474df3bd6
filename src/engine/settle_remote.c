/* settle_remote.c — the donor side of a settlement when the donor's account is in another
 * province's database (provinces on their own databases, xa.c). Each database stays balanced
 * on its own: the home database posts the draw to clear:<donor's province> instead of the
 * donor's layer; the donor's database posts psn:<donor>:<layer> −amount against
 * clear:<home province> +amount under a journal record `settle.remote` naming the settlement
 * and msgid. Across the two databases the clearing accounts cancel out. */
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "xa_internal.h"

static void clearing_code(char out[GJ_ACCOUNT_CODE_MAX], const char *province) {
    gj_join_text(out, GJ_ACCOUNT_CODE_MAX, "clear:", province, NULL);
}

void settle_donor_account(const gj_engine *e, const char *psn_no, gj_layer layer,
                          char out[GJ_ACCOUNT_CODE_MAX]) {
    const char *province = xa_remote_province(e, psn_no);
    if (province != NULL) clearing_code(out, province);
    else ledger_personal_code(out, psn_no, layer);
}

gj_err xa_person_layers(gj_engine *e, const char *psn_no, const char *admdvs, gj_acct_view *acct,
                        bool *exists, gj_status *st) {
    gj_store *s = NULL;
    bool remote = false;
    gj_err err = xa_store_for(e, admdvs, &s, &remote, st);
    if (err == GJ_E_OK) err = ledger_layers(s, psn_no, acct, exists, st);
    if (err == GJ_E_OK && remote) {
        char province[3] = {admdvs[0], admdvs[1], '\0'};
        xa_note_remote(e, psn_no, province);
    }
    return err;
}

/* The donors' draws of the settlement from province's database, as one balanced entry there. */
static gj_fen remote_entry(const gj_engine *e, const char *province, const gj_settle_facts *f,
                           const gj_settle_result *r, gj_entry *entry) {
    gj_fen total = 0;
    char code[GJ_ACCOUNT_CODE_MAX];
    entry->count = 0;
    for (int i = 0; i < r->draw_count; i++) {
        const gj_draw *d = &r->draws[i];
        if (d->donor < 0 || f->donors[d->donor].pool_id[0] != '\0') continue;
        const char *p = xa_remote_province(e, f->donors[d->donor].psn_no);
        if (p == NULL || strcmp(p, province) != 0) continue;
        ledger_personal_code(code, f->donors[d->donor].psn_no, d->layer);
        ledger_add(entry, code, -d->amount_fen);
        total += d->amount_fen;
    }
    clearing_code(code, xa_home(e));
    ledger_add(entry, code, total);
    return total;
}

gj_err settle_post_remote(gj_engine *e, const char *setl_id, const char *msgid,
                          const gj_settle_facts *f, const gj_settle_result *r, gj_time at,
                          gj_status *st) {
    gj_err err = GJ_E_OK;
    for (int i = 0; err == GJ_E_OK && i < f->donor_count; i++) {
        const char *province = xa_remote_province(e, f->donors[i].psn_no);
        bool first = province != NULL;
        for (int k = 0; first && k < i; k++) {   /* one entry per province */
            const char *earlier = xa_remote_province(e, f->donors[k].psn_no);
            first = earlier == NULL || strcmp(earlier, province) != 0;
        }
        gj_entry entry;
        if (!first || remote_entry(e, province, f, r, &entry) == 0) continue;
        char admdvs[7] = {province[0], province[1], '0', '0', '0', '0', '\0'}, clearing[GJ_ACCOUNT_CODE_MAX];
        gj_engine there = *e;   /* the engine's ledger and journal, on the donor's database */
        bool remote = false;
        int64_t entry_id = 0;
        gj_actor who = {.actor = xa_home(e), .channel = "his"};
        clearing_code(clearing, xa_home(e));
        err = xa_store_for(e, admdvs, &there.store, &remote, st);
        if (err == GJ_E_OK) err = ledger_ensure(there.store, clearing, "clearing", xa_home(e), st);
        if (err == GJ_E_OK)
            err = eng_post_and_journal(&there, &who, "settle.remote", setl_id, &entry,
                                       json_pack("{s:s, s:s, s:s}", "msgid", msgid, "home_province",
                                                 xa_home(e), "setl_id", setl_id),
                                       at, &entry_id, st);
        if (err == GJ_E_OK) xa_wrote(e, there.store);
    }
    return err;
}
