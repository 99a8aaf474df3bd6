/* regions.h — pure rules of the regional fund models (R7): what part of a donor's account may
 * leave it for relatives. */
#ifndef GONGJI_REGIONS_H
#define GONGJI_REGIONS_H

#include "gongji/settle.h"

/* The part of an account that may go to relatives: its shareable layers (R1.3), never taking
 * the total below the region's reserve floor (R4.5, R7.2). */
gj_fen gj_region_above_reserve(const gj_policy *p, const gj_acct_view *acct);

/* What to take from each layer to move `amount_fen` out of an account: shareable layers in the
 * region's donor.layer_order (R1.3, R4.4). Precondition: amount ≤ gj_region_above_reserve. */
void gj_region_layer_takes(const gj_policy *p, const gj_acct_view *acct, gj_fen amount_fen,
                           gj_fen take[GJ_LAYER_COUNT]);

#endif
