/* regions.c — pure rules of the regional fund models (R7): the transferable part of an
 * account above the reserve floor. */
#include "gongji/regions.h"

gj_fen gj_region_above_reserve(const gj_policy *p, const gj_acct_view *acct) {
    gj_fen total = acct->layer_fen[GJ_LAYER_CURRENT] + acct->layer_fen[GJ_LAYER_PRIOR];
    gj_fen shareable = 0;
    for (int l = 0; l < GJ_LAYER_COUNT; l++)
        if (p->donor.shareable[l]) shareable += acct->layer_fen[l];
    return gj_fen_min(shareable, gj_fen_max(0, total - p->donor.reserve_floor_fen));
}
