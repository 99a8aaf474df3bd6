/* sim_relation.c — relations derived from the family tree (R2.1): the member's relation to the
 * donor — spouse, parent, child, sibling (a shared parent), grandparent or grandchild on the
 * father's (祖父母 / 孙子女) or the mother's side (外祖父母 / 外孙子女). Anyone else (a spouse's
 * parent, an uncle) is no relation at all. */
#include "sim_internal.h"

static const sim_node *node(const sim_population *pop, int32_t i) {
    return i >= 0 ? &pop->nodes[i] : NULL;
}

/* Is `parent` the father or mother of `child`? */
static bool is_parent(const sim_population *pop, int32_t parent, int32_t child) {
    const sim_node *c = node(pop, child);
    return c != NULL && parent >= 0 && (c->father == parent || c->mother == parent);
}

static bool share_parent(const sim_node *a, const sim_node *b) {
    return (a->father >= 0 && a->father == b->father) || (a->mother >= 0 && a->mother == b->mother);
}

int sim_relation(const sim_population *pop, int32_t donor, int32_t member) {
    const sim_node *d = node(pop, donor), *m = node(pop, member);
    if (d == NULL || m == NULL || donor == member) return -1;
    if (d->spouse == member) return GJ_REL_SPOUSE;
    if (is_parent(pop, member, donor)) return GJ_REL_PARENT;
    if (is_parent(pop, donor, member)) return GJ_REL_CHILD;
    if (share_parent(d, m)) return GJ_REL_SIBLING;
    if (is_parent(pop, member, d->father)) return GJ_REL_GRANDPARENT_PATERNAL;
    if (is_parent(pop, member, d->mother)) return GJ_REL_GRANDPARENT_MATERNAL;
    if (is_parent(pop, donor, m->father)) return GJ_REL_GRANDCHILD_PATERNAL;
    if (is_parent(pop, donor, m->mother)) return GJ_REL_GRANDCHILD_MATERNAL;
    return -1;
}
