/* regions.h — pure rules of the regional fund models (R7): what part of a donor's account may
 * leave it for relatives. */
#ifndef GONGJI_REGIONS_H
#define GONGJI_REGIONS_H

#include "gongji/settle.h"

/* The part of an account that may go to relatives: its shareable layers (R1.3), never taking
 * the total below the region's reserve floor (R4.5, R7.2). */
gj_fen gj_region_above_reserve(const gj_policy *p, const gj_acct_view *acct);

#endif
