/* regions.c — pure rules of the regional fund models (R7): the transferable part of an
 * account above the reserve floor and the layers a transfer takes it from. */
#include <assert.h>

#include "gongji/regions.h"

void gj_region_layer_takes(const gj_policy *p, const gj_acct_view *acct, gj_fen amount_fen,
                           gj_fen take[GJ_LAYER_COUNT]) {
    assert(amount_fen >= 0 && amount_fen <= gj_region_above_reserve(p, acct));
    for (int l = 0; l < GJ_LAYER_COUNT; l++) take[l] = 0;
    for (int i = 0; i < GJ_LAYER_COUNT && amount_fen > 0; i++) {
        gj_layer l = p->donor.layer_order[i];
        take[l] = p->donor.shareable[l] ? gj_fen_min(amount_fen, acct->layer_fen[l]) : 0;
        amount_fen -= take[l];
    }
    assert(amount_fen == 0);
}

gj_fen gj_region_above_reserve(const gj_policy *p, const gj_acct_view *acct) {
    gj_fen total = acct->layer_fen[GJ_LAYER_CURRENT] + acct->layer_fen[GJ_LAYER_PRIOR];
    gj_fen shareable = 0;
    for (int l = 0; l < GJ_LAYER_COUNT; l++)
        if (p->donor.shareable[l]) shareable += acct->layer_fen[l];
    return gj_fen_min(shareable, gj_fen_max(0, total - p->donor.reserve_floor_fen));
}
