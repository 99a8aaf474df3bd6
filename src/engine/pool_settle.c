/* pool_settle.c — a family pool as a source of a settlement (R7.2): a binding in a pool-model
 * region pays from its network's pool, not from the donor's account; each contributor's share
 * becomes one source, so the domain's donor order puts the creator's contributions first and
 * every draw keeps its provenance. */
#include <stdio.h>
#include <string.h>

#include "gongji/strcopy.h"
#include "regions_internal.h"
#include "settle_facts.h"

gj_err pool_sources(gj_engine *e, const gj_binding_row *b, const gj_donor_facts *base,
                    gj_donor_facts *out, int room, int *n, gj_status *st) {
    char pool_id[GJ_BINDING_ID_MAX];
    pool_codes codes;
    bool found = false;
    gj_rows *rows = NULL;
    *n = 0;
    gj_err err = pool_open_of(e, b->network_id, pool_id, &found, st);
    if (err != GJ_E_OK) return err;
    err = pool_accounts(e, found ? pool_id : "-", true, &codes, &rows, st);
    if (err != GJ_E_OK) return err;
    while (gj_rows_next(rows)) {
        const char *who = gj_rows_text(rows, 1), *layer = strrchr(gj_rows_text(rows, 0), ':') + 1;
        bool same = *n > 0 && strcmp(out[*n - 1].psn_no, who) == 0;
        if (!same && *n == room) break;
        if (!same) {
            out[*n] = *base;
            memset(&out[*n].acct, 0, sizeof out[*n].acct);
            gj_copy_text(out[*n].psn_no, sizeof out[*n].psn_no, who);
            gj_copy_text(out[*n].pool_id, sizeof out[*n].pool_id, pool_id);
            out[*n].is_creator = b->donor_is_creator && strcmp(who, b->donor) == 0;
            /* the pool's money already left the account: a low balance does not stop it */
            if (out[*n].unusable == GJ_E_DONOR_NO_BALANCE) out[*n].unusable = GJ_E_OK;
            (*n)++;
        }
        out[*n - 1].acct.layer_fen[strcmp(layer, "prior") == 0 ? GJ_LAYER_PRIOR : GJ_LAYER_CURRENT] =
            gj_rows_int(rows, 2);
    }
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    if (*n == 0 && room > 0) {   /* an empty pool still explains why nothing is paid */
        out[0] = *base;
        memset(&out[0].acct, 0, sizeof out[0].acct);
        gj_copy_text(out[0].pool_id, sizeof out[0].pool_id, found ? pool_id : "-");
        *n = 1;
    }
    return err;
}
