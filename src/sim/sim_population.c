/* sim_population.c — loading a population directory (gen.h) into memory: persons (number,
 * credential, region, scheme), the family tree (families.csv, families in consecutive rows),
 * the institutions, and the number of events in the year's bill file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/admdvs.h"
#include "sim_internal.h"

typedef gj_err (*row_fn)(sim_population *pop, const gj_csv_record *rec, gj_status *st);

typedef struct {
    sim_population *pop;
    row_fn fn;
} row_reader;

static gj_err each_row(void *ctx, const gj_csv_record *rec, gj_status *st) {
    row_reader *r = ctx;
    return r->fn(r->pop, rec, st);
}

/* Call `fn` for every record of DIR/name after its header; errors name the file. */
static gj_err read_csv(sim_population *pop, const char *name, const char *header, row_fn fn,
                       gj_status *st) {
    char path[SIM_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", pop->dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL) return gj_fail(st, GJ_E_NOT_FOUND, "%s: %s", path, strerror(errno));
    row_reader reader = {.pop = pop, .fn = fn};
    gj_err err = gj_csv_each(f, header, each_row, &reader, st);
    fclose(f);
    return err != GJ_E_OK ? gj_status_prefix(st, name) : GJ_E_OK;
}

/* A new zeroed item at the end of *array (`size` bytes each, *count used; capacity 1024,
 * doubled whenever the count reaches a power of two) for a record of `columns` fields. */
static void *append(void **array, size_t *count, size_t size, const gj_csv_record *rec,
                    size_t columns, gj_status *st) {
    if (rec->count != columns) {
        gj_fail(st, GJ_E_BAD_FIELD, "line %ld: %zu columns, %zu expected", rec->line_no, rec->count, columns);
        return NULL;
    }
    if (*count == 0 || (*count >= 1024 && (*count & (*count - 1)) == 0)) {
        void *grown = realloc(*array, (*count == 0 ? 1024 : *count * 2) * size);
        if (grown == NULL) {
            gj_fail(st, GJ_E_INTERNAL, "out of memory");
            return NULL;
        }
        *array = grown;
    }
    char *item = (char *)*array + (*count)++ * size;
    memset(item, 0, size);
    return item;
}

static int region_index(sim_population *pop, const char *admdvs) {
    for (int i = 0; i < pop->region_count; i++)
        if (strcmp(pop->regions[i], admdvs) == 0) return i;
    if (pop->region_count == SIM_REGIONS_MAX) return -1;
    snprintf(pop->regions[pop->region_count], 7, "%s", admdvs);
    return pop->region_count++;
}

static gj_err person_row(sim_population *pop, const gj_csv_record *rec, gj_status *st) {
    sim_person *p = append((void **)&pop->persons, &pop->person_count, sizeof *p, rec, 14, st);
    if (p == NULL) return st->code;
    snprintf(p->psn_no, sizeof p->psn_no, "%.31s", rec->field[0]);
    snprintf(p->ecert, sizeof p->ecert, "%.31s", rec->field[12]);
    p->employee = strcmp(rec->field[7], "310") == 0;
    p->node = -1;
    if (strlen(rec->field[6]) != 6 || (p->region = region_index(pop, rec->field[6])) < 0)
        return gj_fail(st, GJ_E_BAD_ADMDVS, "line %ld: insuplc_admdvs (at most %d regions)",
                       rec->line_no, SIM_REGIONS_MAX);
    return GJ_E_OK;
}

/* families.csv, first pass: the nodes (family, id, insured). */
static gj_err node_row(sim_population *pop, const gj_csv_record *rec, gj_status *st) {
    sim_node *n = append((void **)&pop->nodes, &pop->node_count, sizeof *n, rec, 9, st);
    if (n == NULL) return st->code;
    snprintf(n->id, sizeof n->id, "%.31s", rec->field[1]);
    n->family = (int32_t)strtol(rec->field[0], NULL, 10);
    n->person = strcmp(rec->field[5], "1") == 0 ? 0 : -1;   /* resolved in index_nodes */
    n->father = n->mother = n->spouse = -1;
    return GJ_E_OK;
}

static gj_err link_one(const sim_population *pop, const gj_csv_record *rec, int col, int32_t *out,
                       gj_status *st) {
    if (rec->field[col][0] == '\0') return GJ_E_OK;
    if ((*out = sim_map_get(&pop->by_node, rec->field[col])) < 0)
        return gj_fail(st, GJ_E_NOT_FOUND, "line %ld: %s is not in the file", rec->line_no, rec->field[col]);
    return GJ_E_OK;
}

/* families.csv, second pass (same order): father, mother, spouse as node indices. */
static gj_err link_row(sim_population *pop, const gj_csv_record *rec, gj_status *st) {
    sim_node *n = &pop->nodes[pop->link_cursor++];
    gj_err e;
    if ((e = link_one(pop, rec, 6, &n->father, st)) || (e = link_one(pop, rec, 7, &n->mother, st)) ||
        (e = link_one(pop, rec, 8, &n->spouse, st)))
        return e;
    return GJ_E_OK;
}

static gj_err institution_row(sim_population *pop, const gj_csv_record *rec, gj_status *st) {
    sim_institution *i = append((void **)&pop->institutions, &pop->institution_count, sizeof *i, rec, 4, st);
    if (i == NULL) return st->code;
    snprintf(i->code, sizeof i->code, "%.31s", rec->field[0]);
    snprintf(i->name, sizeof i->name, "%.95s", rec->field[1]);
    snprintf(i->kind, sizeof i->kind, "%.15s", rec->field[2]);
    snprintf(i->admdvs, sizeof i->admdvs, "%.6s", rec->field[3]);
    return GJ_E_OK;
}

static long count_lines(const char *path) {
    FILE *f = fopen(path, "r");
    long n = 0;
    char buf[1 << 16];
    size_t got;
    if (f == NULL) return -1;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < got; i++) n += buf[i] == '\n';
    fclose(f);
    return n;
}

static int compare_codes(const void *a, const void *b) { return strcmp(a, b); }

/* Regions in code order, so reports list them the same way whatever the file order. */
static gj_err sort_regions(sim_population *pop, gj_status *st) {
    char sorted[SIM_REGIONS_MAX][7];
    int map[SIM_REGIONS_MAX];
    memcpy(sorted, pop->regions, sizeof sorted);
    qsort(sorted, (size_t)pop->region_count, sizeof sorted[0], compare_codes);
    for (int i = 0; i < pop->region_count; i++)
        for (int j = 0; j < pop->region_count; j++)
            if (strcmp(pop->regions[i], sorted[j]) == 0) map[i] = j;
    for (size_t i = 0; i < pop->person_count; i++) pop->persons[i].region = map[pop->persons[i].region];
    memcpy(pop->regions, sorted, sizeof sorted);
    return pop->person_count > 0 ? GJ_E_OK : gj_fail(st, GJ_E_BAD_FIELD, "persons.csv: nobody");
}

/* Families are runs of rows with the same family number; nodes know their person and back. */
static gj_err index_nodes(sim_population *pop, gj_status *st) {
    if (!sim_map_init(&pop->by_psn, pop->person_count) || !sim_map_init(&pop->by_node, pop->node_count))
        return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < pop->person_count; i++) sim_map_put(&pop->by_psn, pop->persons[i].psn_no, (int32_t)i);
    pop->family_first = malloc((pop->node_count + 1) * sizeof *pop->family_first);
    if (pop->family_first == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    int32_t number = 0;   /* the family number of the previous row */
    for (size_t i = 0; i < pop->node_count; i++) {
        sim_node *n = &pop->nodes[i];
        if (i == 0 || n->family != number) pop->family_first[pop->family_count++] = i;
        number = n->family;
        n->family = (int32_t)pop->family_count - 1;
        if (sim_map_get(&pop->by_node, n->id) >= 0)
            return gj_fail(st, GJ_E_DUPLICATE, "families.csv: %s appears twice", n->id);
        sim_map_put(&pop->by_node, n->id, (int32_t)i);
        if (n->person < 0) continue;
        if ((n->person = sim_map_get(&pop->by_psn, n->id)) < 0)
            return gj_fail(st, GJ_E_NOT_FOUND, "families.csv: %s is insured but not in persons.csv", n->id);
        pop->persons[n->person].node = (int32_t)i;
    }
    pop->family_first[pop->family_count] = pop->node_count;
    return GJ_E_OK;
}

gj_err sim_population_load(const char *dir, int year, sim_population *pop, gj_status *st) {
    char bills[SIM_PATH_MAX + 32];
    memset(pop, 0, sizeof *pop);
    snprintf(pop->dir, sizeof pop->dir, "%s", dir);
    gj_err e;
    if ((e = read_csv(pop, GJ_GEN_PERSONS_FILE, "psn_no", person_row, st)) || (e = sort_regions(pop, st)) ||
        (e = read_csv(pop, GJ_GEN_FAMILIES_FILE, "family", node_row, st)) ||
        (e = index_nodes(pop, st)) || (e = read_csv(pop, GJ_GEN_FAMILIES_FILE, "family", link_row, st)) ||
        (e = read_csv(pop, GJ_GEN_INSTITUTIONS_FILE, "fixmedins_code", institution_row, st)))
        return e;
    gj_gen_year_path(dir, year, bills, sizeof bills);
    pop->events = count_lines(bills) - 1;
    if (pop->events < 0) return gj_fail(st, GJ_E_NOT_FOUND, "%s: no bills for %d", bills, year);
    return GJ_E_OK;
}

void sim_population_free(sim_population *pop) {
    sim_map_free(&pop->by_psn);
    sim_map_free(&pop->by_node);
    free(pop->persons);
    free(pop->nodes);
    free(pop->family_first);
    free(pop->institutions);
    memset(pop, 0, sizeof *pop);
}

int sim_family_region(const sim_population *pop, size_t family) {
    for (size_t i = pop->family_first[family]; i < pop->family_first[family + 1]; i++)
        if (pop->nodes[i].person >= 0) return pop->persons[pop->nodes[i].person].region;
    return -1;
}
