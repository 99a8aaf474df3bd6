/* policy_json.h — regional policies as JSON, shared by the CLI (`gongji policy list / show`)
 * and gongjid (GET /api/v1/staff/policies): a resolved gj_policy in the shape of a policy
 * file's "settings" (docs/policies.md), the list of policy files, and the policy in force for a
 * region on a date. */
#ifndef GONGJI_POLICY_JSON_H
#define GONGJI_POLICY_JSON_H

#include <jansson.h>

#include "gongji/error.h"
#include "gongji/gjtime.h"
#include "gongji/policy.h"

/* The settings of a resolved policy: enums as codes, masks as code lists, fen as yuan strings,
 * basis points as ratio strings. */
json_t *gj_policy_json(const gj_policy *p);
/* [{region, name, file (base name), versions: [effective dates]}, …] */
json_t *gj_policy_list_json(const gj_policy_set *set);
/* {region, on, version_id, settings} for `admdvs` on `on`; NOT_FOUND when no version is in
 * force on that date (before the first: a well-formed question without an answer). */
gj_err gj_policy_show_json(gj_policy_set *set, const char *admdvs, gj_date on, json_t **out,
                           gj_status *st);

#endif
