/* network_rules.h — creating and changing bindings, shared by the app flow (invite) and the
 * agency flow (offline application approval), so both channels produce the same records. */
#ifndef GONGJI_NETWORK_RULES_H
#define GONGJI_NETWORK_RULES_H

#include "engine_internal.h"

/* Inside a transaction: check every rule and insert the binding. `offline`: approved at an
 * agency window, effective at once without the member's online acceptance (R3.7). */
gj_err rules_create_binding(gj_engine *e, const gj_actor *who, const gj_invite *inv, bool offline,
                            char binding_id[GJ_BINDING_ID_MAX], gj_status *st);
/* Inside a transaction: apply a change of modes, authorized amount, limit or priority. */
gj_err rules_change_binding(gj_engine *e, const gj_actor *who, const gj_binding_row *row,
                            const gj_binding_change *chg, gj_status *st);
/* The modes of a request ("payment,contribution"; NULL: both) as GJ_MODE_* bits; BAD_CODE for
 * an unknown mode or an empty list. */
gj_err rules_parse_modes(const char *list, int *modes, gj_status *st);
/* A relation code of the dictionary (domain.h: spouse, parent, child, sibling, grandparents,
 * grandchildren) → *rel. NULL: BAD_FIELD (required); any other code, whether a relation R2.1
 * never admits (a spouse's parent, an uncle) or a typo: RELATION_NOT_ALLOWED, naming R2.1 — as
 * a known relation the region's policy does not allow is later, from the rules (R2.2). */
gj_err rules_parse_relation(const char *code, gj_relation *rel, gj_status *st);
/* App channel: the actor must be one of the two people; agency channels may act for anyone. */
gj_err eng_actor_may(const gj_actor *who, const char *psn_a, const char *psn_b, gj_status *st);

#endif
