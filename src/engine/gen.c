/* gen.c — writing generated populations: every insured family member as a person CSV row
 * (docs/import.md) with a valid resident ID number (GB 11643 checksum, unique per district and
 * birth date), scheme and personal-account balances by layer; the family tree as families.csv;
 * a hospital and a pharmacy per region as institutions.csv; the parameters as params.json. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen_family.h"
#include "gongji/idcard.h"
#include "gongji/progress.h"

enum { BIRTH_DAYS = 120 * 366, DISTRICT_SLOTS = GJ_GEN_REGIONS_MAX * GJ_GEN_DISTRICTS_MAX,
       ID_SEQ_FIRST = 100 };

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"};
static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
                                    "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"};

typedef struct {
    const gj_gen_params *p;
    FILE *persons, *families;          /* families may be NULL */
    long psn_seq, other_seq, persons_written;
    uint16_t *id_seq;                  /* [district slot][days before as_of]: IDs handed out */
} writer;

static const char *person_header =
    "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,current_yuan,"
    "prior_yuan,card_yuan,ecert_no,card_no\n";

/* A resident ID number unique within the population: the sequence part counts the people
 * born on that day in that district (odd for men, even for women). */
static void make_id(writer *w, gen_rng *r, const gen_node *n, gj_date birth, char id[32]) {
    const gj_gen_region *region = &w->p->regions[n->region];
    int district = gen_uniform(r, 0, region->district_count - 1);
    int y, m, d;
    gj_date_to_ymd(birth, &y, &m, &d);
    size_t slot = (size_t)(n->region * GJ_GEN_DISTRICTS_MAX + district) * BIRTH_DAYS +
                  (size_t)(w->p->as_of - birth);
    int seq = ID_SEQ_FIRST + w->id_seq[slot]++ * 2 + (n->sex == 1 ? 1 : 0);
    assert(seq < 1000 && y >= 1000 && y <= 9999);
    snprintf(id, 32, "%.6s%04d%02d%02d%03d", region->districts[district], y % 10000, m % 100,
             d % 100, seq % 1000);
    id[17] = gj_idcard_check_char(id);
    id[18] = '\0';
}

static void balances(gen_rng *r, const gj_gen_params *p, bool employee, char *buf, size_t size) {
    char current[GJ_YUAN_TEXT_MAX], prior[GJ_YUAN_TEXT_MAX], card[GJ_YUAN_TEXT_MAX];
    gj_money_format(gen_uniform(r, 0, (int)p->accounts.card_max_fen), card, sizeof card);
    if (!employee) {   /* only employees have a personal account (R1.2) */
        snprintf(buf, size, ",,%s", card);
        return;
    }
    gj_money_format(gen_scale(p->accounts.current_mean_fen, gen_uniform(r, 500, 1500)), current,
                    sizeof current);
    gj_money_format(gen_scale(p->accounts.prior_mean_fen, gen_exp_milli(r)), prior, sizeof prior);
    snprintf(buf, size, "%s,%s,%s", current, prior, card);
}

static void write_person(writer *w, gen_rng *r, const gen_node *n, int surname, const char *psn_no) {
    char id[32], money[3 * GJ_YUAN_TEXT_MAX];
    gj_date birth = gj_date_add_months(w->p->as_of, -12 * n->age) - gen_uniform(r, 0, 364);
    if (w->p->as_of - birth >= BIRTH_DAYS) birth = w->p->as_of - BIRTH_DAYS + 1;
    make_id(w, r, n, birth, id);
    balances(r, w->p, n->employee, money, sizeof money);
    fprintf(w->persons, "%s,%s%s,01,%s,,,%s,%s,active,%s,EC%s,\n", psn_no, surnames[surname],
            given[gen_uniform(r, 0, 19)], id, w->p->regions[n->region].admdvs,
            n->employee ? "310" : "390", money, psn_no);
    w->persons_written++;
}

static void write_family(writer *w, long index) {
    gen_family f;
    gen_family_draw(w->p, index, &f);
    gen_rng r = gen_rng_for(w->p->seed, 2, (uint64_t)index, 0);
    char ids[GEN_FAMILY_MAX][24];
    int surname = gen_uniform(&r, 0, 19);
    for (int i = 0; i < f.count; i++) {
        if (f.n[i].insured) snprintf(ids[i], sizeof ids[i], "P%010ld", ++w->psn_seq);
        else snprintf(ids[i], sizeof ids[i], "X%010ld", ++w->other_seq);
        if (f.n[i].insured) write_person(w, &r, &f.n[i], f.n[i].sex == 1 ? surname : gen_uniform(&r, 0, 19), ids[i]);
    }
    for (int i = 0; w->families != NULL && i < f.count; i++) {
        const gen_node *n = &f.n[i];
        fprintf(w->families, "%ld,%s,%s,%d,%d,%d,%s,%s,%s\n", index + 1, ids[i], n->role, n->sex,
                n->age, n->insured, n->father >= 0 ? ids[n->father] : "",
                n->mother >= 0 ? ids[n->mother] : "", n->spouse >= 0 ? ids[n->spouse] : "");
    }
}

/* The README's walkthrough people: a son in Changsha (employee) and his mother (resident). */
static void write_demo_people(writer *w) {
    fprintf(w->persons, "P0000000001,张伟,01,430102198503150030,,,430100,310,active,1200.00,3800.00,50.00,EC0001,SSC0001\n");
    fprintf(w->persons, "P0000000002,李秀英,01,43010219580820004X,,,430100,390,active,,,20.00,EC0002,SSC0002\n");
    fprintf(w->persons, "P0000000003,张小明,01,430102201509090053,,,430100,390,active,,,,EC0003,SSC0003\n");
    w->psn_seq = 100;
    w->persons_written = 3;
}

static bool write_families(writer *w) {
    gj_progress bar;
    gj_progress_start(&bar, "generate families", (uint64_t)w->p->families);
    if (!w->p->progress) bar.enabled = false;
    w->id_seq = calloc((size_t)DISTRICT_SLOTS * BIRTH_DAYS, sizeof *w->id_seq);
    if (w->id_seq == NULL) return false;
    fputs(person_header, w->persons);
    if (w->families != NULL) fputs("family,id,role,sex,age,insured,father,mother,spouse\n", w->families);
    if (w->p->with_demo_people) write_demo_people(w);
    for (long f = 0; f < w->p->families; f++) {
        write_family(w, f);
        if ((f & 1023) != 0) continue;
        gj_progress_update(&bar, (uint64_t)f);
        if (gj_gen_stopped(w->p)) break;
    }
    gj_progress_finish(&bar);
    free(w->id_seq);
    return true;
}

gj_err gen_stopped_failure(const gj_gen_params *p, gj_status *st) {
    assert(gj_gen_stopped(p));
    return gj_fail(st, GJ_E_STOPPED, "generation stopped by signal %d", (int)*p->stop);
}

/* The error when families were not all written: stopped by the caller, or out of memory. */
static gj_err families_failed(const gj_gen_params *p, gj_status *st) {
    return gj_gen_stopped(p) ? gen_stopped_failure(p, st) : gj_fail(st, GJ_E_INTERNAL, "out of memory");
}

long gj_gen_persons(FILE *out, const gj_gen_params *p) {
    if (p->families < 1 || p->families > GJ_GEN_FAMILIES_MAX || p->region_count < 1) return -1;
    writer w = {.p = p, .persons = out};
    return write_families(&w) && !gj_gen_stopped(p) ? w.persons_written : -1;
}

void gj_gen_institution_code(bool pharmacy, const char *admdvs, char *buf, size_t size) {
    snprintf(buf, size, "%c%.6s00001", pharmacy ? 'Y' : 'H', admdvs);
}

static void write_institutions(FILE *f, const gj_gen_params *p) {
    fputs("fixmedins_code,name,kind,admdvs\n", f);
    for (int i = 0; i < p->region_count; i++) {
        for (int k = 0; k < 2; k++) {
            char code[16];
            gj_gen_institution_code(k == 1, p->regions[i].admdvs, code, sizeof code);
            fprintf(f, "%s,%s%s,%s,%s\n", code, p->regions[i].admdvs, k ? "模拟药房" : "模拟医院",
                    k ? "pharmacy" : "hospital", p->regions[i].admdvs);
        }
    }
}

static FILE *open_in(const char *dir, const char *name, gj_status *st) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL) gj_fail(st, GJ_E_BAD_FIELD, "%s: %s", path, strerror(errno));
    return f;
}

static gj_err close_all(FILE **files, int n, gj_err err, gj_status *st) {
    for (int i = 0; i < n; i++)
        if (files[i] != NULL && fclose(files[i]) != 0 && err == GJ_E_OK)
            err = gj_fail(st, GJ_E_INTERNAL, "writing the population failed");
    return err;
}

gj_err gj_gen_population(const char *dir, const gj_gen_params *p, gj_gen_counts *out,
                         gj_status *st) {
    if (p->families < 1 || p->families > GJ_GEN_FAMILIES_MAX || p->region_count < 1)
        return gj_fail(st, GJ_E_BAD_FIELD, "families: 1..%d", GJ_GEN_FAMILIES_MAX);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s: %s", dir, strerror(errno));
    FILE *files[4] = {open_in(dir, GJ_GEN_PERSONS_FILE, st), open_in(dir, GJ_GEN_FAMILIES_FILE, st),
                      open_in(dir, GJ_GEN_INSTITUTIONS_FILE, st), open_in(dir, GJ_GEN_PARAMS_FILE, st)};
    gj_err err = files[0] && files[1] && files[2] && files[3] ? GJ_E_OK : GJ_E_BAD_FIELD;
    writer w = {.p = p, .persons = files[0], .families = files[1]};
    if (err == GJ_E_OK && (!write_families(&w) || gj_gen_stopped(p))) err = families_failed(p, st);
    if (err == GJ_E_OK) {
        write_institutions(files[2], p);
        json_t *doc = gj_gen_params_json(p);
        json_dumpf(doc, files[3], JSON_INDENT(2) | JSON_SORT_KEYS);
        fputc('\n', files[3]);
        json_decref(doc);
    }
    *out = (gj_gen_counts){.families = p->families, .persons = w.persons_written};
    return close_all(files, 4, err, st);
}
