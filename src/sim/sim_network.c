/* sim_network.c — building the family networks by one deterministic rule, the same under every
 * policy: in each family of the run's shard, every employee in file order (the head first) who
 * has relatives without a personal account not yet bound creates a network and invites them,
 * closest first (spouse, children, parents, grandparents, grandchildren, siblings; file order
 * within a relation), asking for payment and contribution — or, when the relation is in scope
 * for one mode only, for that mode. Members old enough accept. What the policy refuses is
 * counted by action and code; that is where scope and member limits show. */
#include <stdio.h>
#include <string.h>

#include "sim_internal.h"

typedef struct {
    int32_t node;
    int relation;
} candidate;

static const int closeness[GJ_REL_COUNT] = {
    [GJ_REL_SPOUSE] = 0, [GJ_REL_CHILD] = 1, [GJ_REL_PARENT] = 2,
    [GJ_REL_GRANDPARENT_PATERNAL] = 3, [GJ_REL_GRANDPARENT_MATERNAL] = 3,
    [GJ_REL_GRANDCHILD_PATERNAL] = 4, [GJ_REL_GRANDCHILD_MATERNAL] = 4, [GJ_REL_SIBLING] = 5};

static bool before(const candidate *a, const candidate *b) {
    int ra = closeness[a->relation], rb = closeness[b->relation];
    return ra < rb || (ra == rb && a->node < b->node);
}

/* The donor's relatives to invite, in order; returns how many. */
static int candidates(const sim_run *r, size_t family, int32_t donor, candidate *out, int max) {
    const sim_population *pop = r->pop;
    int n = 0;
    for (size_t i = pop->family_first[family]; i < pop->family_first[family + 1] && n < max; i++) {
        const sim_node *m = &pop->nodes[i];
        int relation = sim_relation(pop, donor, (int32_t)i);
        if (m->person < 0 || pop->persons[m->person].employee || r->donor_of[m->person] >= 0 || relation < 0)
            continue;
        candidate c = {.node = (int32_t)i, .relation = relation};
        int j = n++;
        for (; j > 0 && before(&c, &out[j - 1]); j--) out[j] = out[j - 1];
        out[j] = c;
    }
    return n;
}

/* Ask for both modes; a relation in scope for one mode only is asked again for that mode. */
static gj_err ask(sim_run *r, const gj_actor *who, gj_invite *inv, json_t **out, gj_status *st) {
    static const char *const modes[] = {"payment,contribution", "payment", "contribution"};
    gj_err err = GJ_E_OK;
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        inv->modes = modes[m];
        err = gj_bind_invite(r->engine, who, inv, out, st);
        if (err != GJ_E_RELATION_NOT_ALLOWED) break;
    }
    return err;
}

static gj_err accept(sim_run *r, const sim_person *member, json_t *binding, gj_status *st) {
    gj_actor who = {.actor = member->psn_no, .channel = "app"};
    json_t *out = NULL;
    const char *id = json_string_value(json_object_get(binding, "binding_id"));
    gj_err err = gj_bind_accept(r->engine, &who, id, "face", member->psn_no, &out, st);
    json_decref(out);
    return err;
}

/* The binding's yearly consumption limit (消费限额), -1 when it has none. */
static gj_fen binding_limit(json_t *binding) {
    gj_fen fen = -1;
    json_t *limit = json_object_get(binding, "limit_yuan");
    const char *text = json_string_value(limit);
    if (text == NULL || gj_money_parse(text, strlen(text), &fen) != GJ_E_OK) fen = -1;
    return fen;
}

static gj_err invite(sim_run *r, int32_t donor, const candidate *c, gj_status *st) {
    const sim_person *d = &r->pop->persons[donor];
    int32_t member = r->pop->nodes[c->node].person;
    const sim_person *m = &r->pop->persons[member];
    gj_actor who = {.actor = d->psn_no, .channel = "app"};
    gj_invite inv = {.donor = d->psn_no, .member = m->psn_no, .declared_by = d->psn_no, .proof = "",
                     .relation = gj_relation_code((gj_relation)c->relation)};
    json_t *out = NULL;
    sim_action stage = SIM_ACT_INVITE;
    gj_err err = ask(r, &who, &inv, &out, st);
    if (err == GJ_E_OK && strcmp(json_string_value(json_object_get(out, "status")), "pending") == 0) {
        stage = SIM_ACT_ACCEPT;
        err = accept(r, m, out, st);
    }
    if (!sim_fatal(err)) SIM_COUNT(&r->stats, d->region, c->relation, invitations, 1);
    if (err == GJ_E_OK) {
        SIM_COUNT(&r->stats, d->region, c->relation, bindings, 1);
        r->donor_of[member] = donor;
        r->relation_of[member] = (int8_t)c->relation;
        r->limit_fen[member] = binding_limit(out);
    } else if (!sim_fatal(err)) {
        sim_refused(r, stage, err);
        SIM_COUNT(&r->stats, d->region, c->relation, invitations_refused, 1);
    }
    json_decref(out);
    return sim_fatal(err) ? err : GJ_E_OK;
}

static gj_err create_network(sim_run *r, int32_t donor, bool *created, gj_status *st) {
    const sim_person *d = &r->pop->persons[donor];
    gj_actor who = {.actor = d->psn_no, .channel = "app"};
    json_t *out = NULL;
    gj_err err = gj_network_create(r->engine, &who, d->psn_no, true, "face", d->psn_no, &out, st);
    json_decref(out);
    *created = err == GJ_E_OK;
    if (err == GJ_E_OK) {
        SIM_COUNT(&r->stats, d->region, -1, networks, 1);
        r->donor_networked[donor] = true;
    } else if (!sim_fatal(err)) {
        sim_refused(r, SIM_ACT_NETWORK, err);
    }
    return sim_fatal(err) ? err : GJ_E_OK;
}

/* R7.2: in a family-pool region the organizer moves everything above the reserve into the
 * pool once the network is formed (elsewhere, or with nothing above it, nothing happens). */
static gj_err fill_pool(sim_run *r, int32_t donor, gj_status *st) {
    const sim_person *d = &r->pop->persons[donor];
    gj_actor who = {.actor = d->psn_no, .channel = "app"};
    json_t *out = NULL;
    gj_err err = gj_pool_contribute_all(r->engine, &who, d->psn_no, d->psn_no, &out, st);
    json_decref(out);
    return sim_fatal(err) ? err : GJ_E_OK;
}

static gj_err family_networks(sim_run *r, size_t family, gj_status *st) {
    const sim_population *pop = r->pop;
    candidate list[64];
    gj_err err = GJ_E_OK;
    for (size_t i = pop->family_first[family]; err == GJ_E_OK && i < pop->family_first[family + 1]; i++) {
        int32_t donor = pop->nodes[i].person;
        if (donor < 0 || !pop->persons[donor].employee) continue;
        int n = candidates(r, family, (int32_t)i, list, 64);
        bool created = false;
        if (n > 0) err = create_network(r, donor, &created, st);
        for (int k = 0; created && err == GJ_E_OK && k < n; k++) err = invite(r, donor, &list[k], st);
        if (created && err == GJ_E_OK) err = fill_pool(r, donor, st);
    }
    return err;
}

gj_err sim_build_networks(sim_run *r, gj_status *st) {
    gj_err err = GJ_E_OK;
    for (size_t f = r->shard->family_begin; err == GJ_E_OK && f < r->shard->family_end; f++) {
        err = family_networks(r, f, st);
        sim_tick(r, 1);
    }
    return err;
}
