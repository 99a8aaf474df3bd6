/* policy_json.h — a resolved gj_policy as JSON in the shape of a policy file's "settings"
 * (docs/policies.md), so `gongji policy show --json` reads like the files it came from. */
#ifndef GONGJI_CLI_POLICY_JSON_H
#define GONGJI_CLI_POLICY_JSON_H

#include <jansson.h>

#include "gongji/policy.h"

json_t *cli_policy_json(const gj_policy *p);

#endif
