/* gen_family.c — drawing one family (gen_family.h): structure by the family.* parameters,
 * ages consistent across generations, survival of older relatives by age, schemes by age
 * (employee.*), and where relatives are insured (same city, another city of the province, or
 * another province). */
#include <assert.h>
#include <string.h>

#include "gen_family.h"

typedef struct {
    const gj_gen_params *p;
    gen_rng rng;
    gen_family *f;
    int home;                /* the head's region */
} drawing;

static int add(drawing *d, const char *role, int sex, int age, int region, bool alive) {
    assert(d->f->count < GEN_FAMILY_MAX);
    int i = d->f->count++;
    d->f->n[i] = (gen_node){.role = role, .sex = sex, .age = age < 0 ? 0 : age, .insured = alive,
                            .region = region, .father = -1, .mother = -1, .spouse = -1};
    return i;
}

static bool alive_at(drawing *d, int age) {
    int band = age < 60 ? 0 : (age - 50) / 10;
    if (band >= GJ_GEN_ALIVE_BANDS) band = GJ_GEN_ALIVE_BANDS - 1;
    return gen_chance(&d->rng, d->p->family.alive_permille[band]);
}

/* Another region of the same province (or any other province's), when there is one. */
static int other_region(drawing *d, bool same_province) {
    int candidates[GJ_GEN_REGIONS_MAX], weights[GJ_GEN_REGIONS_MAX], n = 0;
    const char *home = d->p->regions[d->home].admdvs;
    for (int i = 0; i < d->p->region_count; i++) {
        bool same = strncmp(d->p->regions[i].admdvs, home, 2) == 0;
        if (i != d->home && same == same_province && d->p->regions[i].weight > 0) {
            candidates[n] = i;
            weights[n++] = d->p->regions[i].weight;
        }
    }
    return n == 0 ? d->home : candidates[gen_weighted(&d->rng, weights, n)];
}

/* Where a relative outside the household (parent, grandparent, sibling) is insured. */
static int relative_region(drawing *d) {
    int u = gen_uniform(&d->rng, 0, 999);
    if (u < d->p->family.other_province_permille) return other_region(d, false);
    if (u < d->p->family.other_province_permille + d->p->family.other_city_permille)
        return other_region(d, true);
    return d->home;
}

/* A couple of parents for `child` (ages from the child's), linked; returns the father. */
static int add_parents(drawing *d, int child, const char *role, bool keep_dead) {
    int age = d->f->n[child].age, region = relative_region(d);
    int father_age = age + gen_uniform(&d->rng, 24, 34);
    int mother_age = father_age - gen_uniform(&d->rng, -2, 5);
    if (mother_age < age + 18) mother_age = age + 18;
    bool father_alive = alive_at(d, father_age), mother_alive = alive_at(d, mother_age);
    int father = -1, mother = -1;
    if (father_alive || keep_dead) father = add(d, role, 1, father_age, region, father_alive);
    if (mother_alive || keep_dead) mother = add(d, role, 2, mother_age, region, mother_alive);
    d->f->n[child].father = father;
    d->f->n[child].mother = mother;
    if (father >= 0 && mother >= 0) {
        d->f->n[father].spouse = mother;
        d->f->n[mother].spouse = father;
    }
    return father;
}

static void add_children(drawing *d, int head, int spouse) {
    int mother = d->f->n[head].sex == 2 ? head : spouse, father = head + spouse - mother;
    int count = gen_weighted(&d->rng, d->p->family.children_permille, GJ_GEN_CHILDREN_MAX + 1);
    int age = d->f->n[mother].age - gen_uniform(&d->rng, 23, 34);
    for (int c = 0; c < count && age >= 0; c++, age -= gen_uniform(&d->rng, 1, 6)) {
        int child = add(d, "child", gen_uniform(&d->rng, 1, 2), age, d->home, true);
        d->f->n[child].father = father;
        d->f->n[child].mother = mother;
    }
}

static void add_grandchildren(drawing *d) {
    for (int i = 0, n = d->f->count; i < n; i++) {
        const gen_node *c = &d->f->n[i];
        if (strcmp(c->role, "child") != 0 || c->age < 25 ||
            !gen_chance(&d->rng, d->p->family.grandchild_permille))
            continue;
        int g = add(d, "grandchild", gen_uniform(&d->rng, 1, 2), gen_uniform(&d->rng, 0, c->age - 24),
                    d->home, true);
        if (d->f->n[i].sex == 1) d->f->n[g].father = i;
        else d->f->n[g].mother = i;
    }
}

static void add_grandparents(drawing *d, int head) {
    int father = d->f->n[head].father, mother = d->f->n[head].mother;
    if (father >= 0) add_parents(d, father, "grandparent", false);
    if (mother >= 0) add_parents(d, mother, "grandparent", false);
}

static void add_siblings(drawing *d, int head) {
    int count = gen_weighted(&d->rng, d->p->family.siblings_permille, GJ_GEN_SIBLINGS_MAX + 1);
    for (int s = 0; s < count; s++) {
        int age = d->f->n[head].age + gen_uniform(&d->rng, -8, 8);
        int sib = add(d, "sibling", gen_uniform(&d->rng, 1, 2), age, relative_region(d), true);
        d->f->n[sib].father = d->f->n[head].father;
        d->f->n[sib].mother = d->f->n[head].mother;
    }
}

static void decide_schemes(drawing *d) {
    for (int i = 1; i < d->f->count; i++) {
        gen_node *n = &d->f->n[i];
        int permille = n->age < 18 ? 0 : n->age < 60 ? d->p->employee.working_permille
                                                     : d->p->employee.retired_permille;
        n->employee = n->insured && gen_chance(&d->rng, permille);
    }
}

void gen_family_draw(const gj_gen_params *p, long index, gen_family *f) {
    int weights[GJ_GEN_REGIONS_MAX];
    for (int i = 0; i < p->region_count; i++) weights[i] = p->regions[i].weight;
    drawing d = {.p = p, .rng = gen_rng_for(p->seed, 1, (uint64_t)index, 0), .f = f};
    f->count = 0;
    d.home = gen_weighted(&d.rng, weights, p->region_count);
    int head = add(&d, "head", gen_uniform(&d.rng, 1, 2),
                   gen_uniform(&d.rng, p->family.head_age_min, p->family.head_age_max), d.home, true);
    f->n[head].employee = true;
    if (gen_chance(&d.rng, p->family.spouse_permille)) {
        int age = f->n[head].age + gen_uniform(&d.rng, -3, 3);
        int spouse = add(&d, "spouse", 3 - f->n[head].sex, age < 18 ? 18 : age, d.home, true);
        f->n[head].spouse = spouse;
        f->n[spouse].spouse = head;
        add_children(&d, head, spouse);
        add_grandchildren(&d);
        add_parents(&d, head, "parent", true);
        add_parents(&d, spouse, "parent_in_law", false);
    } else {
        add_parents(&d, head, "parent", true);
    }
    add_grandparents(&d, head);
    add_siblings(&d, head);
    decide_schemes(&d);
}
