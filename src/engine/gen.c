/* gen.c — the synthetic population generator: families of a donor (employee), spouse,
 * children and parents in the regions the policy files describe, with valid resident ID
 * numbers (GB 11643 checksum), schemes and personal-account balances by layer. Assumptions
 * (documented in docs/import.md): employees hold 500–3,000 yuan in the current year and
 * 0–12,000 yuan of prior years (about 4,100 yuan on average at end-2024 nationally). */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "gongji/gen.h"
#include "gongji/idcard.h"
#include "gongji/progress.h"

typedef struct {
    uint64_t state;
} rng;

/* splitmix64: small, fast, deterministic. */
static uint64_t next_u64(rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int uniform(rng *r, int lo, int hi) {   /* inclusive */
    assert(hi >= lo);
    return lo + (int)(next_u64(r) % (uint64_t)(hi - lo + 1));
}

static const char *const regions[] = {"430102", "430103", "310101", "310104", "350102",
                                      "650102", "440304", "210902", "520102", "330106"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"};
static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
                                    "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"};

typedef struct {
    long psn_seq;
    gj_date today;
    FILE *out;
} writer;

static void make_id(rng *r, const char *region, gj_date birth, int gender, char id[32]) {
    int y, m, d;
    gj_date_to_ymd(birth, &y, &m, &d);
    assert(y >= 1000 && y <= 9999);
    int seq = uniform(r, 0, 499) * 2 + (gender == 1 ? 1 : 0);
    snprintf(id, 32, "%.6s%04d%02d%02d%03d", region, y % 10000, m % 100, d % 100, seq % 1000);
    id[17] = gj_idcard_check_char(id);
    id[18] = '\0';
}

static void write_person(writer *w, rng *r, const char *region, const char *surname, int age,
                         int gender, bool employee) {
    char id[32], psn_no[24], name[32], balances[64] = ",";
    gj_date birth = w->today - age * 365 - uniform(r, 0, 364);
    make_id(r, region, birth, gender, id);
    snprintf(psn_no, sizeof psn_no, "P%010ld", ++w->psn_seq);
    snprintf(name, sizeof name, "%s%s", surname, given[uniform(r, 0, 19)]);
    char city[7];
    snprintf(city, sizeof city, "%.4s00", region);
    if (!strncmp(region, "31", 2)) snprintf(city, sizeof city, "310000");
    if (employee)   /* only employees have a personal account (R1.2) */
        snprintf(balances, sizeof balances, "%d.%02d,%d.00", uniform(r, 500, 3000), uniform(r, 0, 99),
                 uniform(r, 0, 12000));
    fprintf(w->out, "%s,%s,01,%s,,,%s,%s,active,%s,%d.00,EC%s,\n", psn_no, name, id, city,
            employee ? "310" : "390", balances, uniform(r, 0, 300), psn_no);
}

static void write_family(writer *w, rng *r) {
    const char *region = regions[uniform(r, 0, (int)(sizeof regions / sizeof regions[0]) - 1)];
    const char *surname = surnames[uniform(r, 0, 19)];
    int donor_age = uniform(r, 25, 58);
    int donor_gender = uniform(r, 1, 2);
    write_person(w, r, region, surname, donor_age, donor_gender, true);
    if (uniform(r, 0, 9) < 8)
        write_person(w, r, region, surnames[uniform(r, 0, 19)], donor_age + uniform(r, -3, 3),
                     3 - donor_gender, uniform(r, 0, 1) == 1);
    for (int c = uniform(r, 0, 2); c > 0 && donor_age > 22; c--)
        write_person(w, r, region, surname, uniform(r, 0, donor_age - 22), uniform(r, 1, 2), false);
    for (int p = uniform(r, 0, 2); p > 0; p--)
        write_person(w, r, region, p == 1 ? surname : surnames[uniform(r, 0, 19)],
                     donor_age + uniform(r, 22, 32), p, uniform(r, 0, 3) == 0);
}

/* The README's walkthrough people: a son in Changsha (employee) and his mother (resident). */
static void write_demo_people(writer *w) {
    fprintf(w->out, "P0000000001,张伟,01,430102198503150030,,,430100,310,active,1200.00,3800.00,50.00,EC0001,SSC0001\n");
    fprintf(w->out, "P0000000002,李秀英,01,43010219580820004X,,,430100,390,active,,,20.00,EC0002,SSC0002\n");
    fprintf(w->out, "P0000000003,张小明,01,430102201509090053,,,430100,390,active,,,,EC0003,SSC0003\n");
    w->psn_seq = 100;
}

long gj_gen_persons(FILE *out, const gj_gen_params *p) {
    if (p->families < 1 || p->families > GJ_GEN_FAMILIES_MAX) return -1;
    writer w = {.psn_seq = 0, .today = p->today, .out = out};
    rng r = {.state = p->seed};
    gj_progress bar;
    gj_progress_start(&bar, "generate families", (uint64_t)p->families);
    if (!p->progress) bar.enabled = false;
    fprintf(out, "psn_no,name,psn_cert_type,certno,brdy,gend,insuplc_admdvs,insutype,status,"
                 "current_yuan,prior_yuan,card_yuan,ecert_no,card_no\n");
    if (p->with_demo_people) write_demo_people(&w);
    long written_before = w.psn_seq;
    for (long f = 0; f < p->families; f++) {
        write_family(&w, &r);
        if ((f & 1023) == 0) gj_progress_update(&bar, (uint64_t)f);
    }
    gj_progress_finish(&bar);
    return (p->with_demo_people ? 3 : 0) + (w.psn_seq - written_before);
}
