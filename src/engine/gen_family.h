/* gen_family.h — one synthetic family as a small tree: a head (always an employee, so every
 * family has someone who can fund relatives), spouse, children, grandchildren, the head's and
 * the spouse's parents, the head's grandparents and siblings. Links (father, mother, spouse) are
 * what relations are derived from; a parent who is not alive stays as a node (not insured) so
 * siblings and grandparents still connect. */
#ifndef GONGJI_GEN_FAMILY_H
#define GONGJI_GEN_FAMILY_H

#include "gen_internal.h"

enum { GEN_FAMILY_MAX = 24 };

typedef struct {
    const char *role;        /* head, spouse, child, grandchild, parent, parent_in_law, grandparent, sibling */
    int sex;                 /* 1 male, 2 female */
    int age;
    bool insured, employee;
    int region;              /* index into params.regions */
    int father, mother, spouse;   /* node indices, -1 when absent */
} gen_node;

typedef struct {
    gen_node n[GEN_FAMILY_MAX];
    int count;
} gen_family;

/* Draw family number `index` (its own random stream: the same seed gives the same family). */
void gen_family_draw(const gj_gen_params *p, long index, gen_family *f);

#endif
