/* policy_internal.h — shared between the policy loader and its parser (src/domain only). */
#ifndef GONGJI_POLICY_INTERNAL_H
#define GONGJI_POLICY_INTERNAL_H

#include <jansson.h>

#include "gongji/policy.h"

/* Parse fully merged settings strictly; paths in errors start with "settings". */
gj_err gj_policy_parse_settings(json_t *settings, gj_policy *p, gj_status *st);

#endif
