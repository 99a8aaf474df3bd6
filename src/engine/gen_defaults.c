/* gen_defaults.c — the generator's default parameters. Each figure names its source where a
 * public one exists; everything else is an assumption (docs/simulation.md lists them all):
 *   [S1] NHSA 2022 statistical bulletin: 134,592 万 insured, 36,243 万 in employee insurance
 *        (26.9 %).
 *   [S2] End-2024: 354 million employees with personal accounts, 1.447 trillion yuan
 *        accumulated → about 4,100 yuan per account.
 *   [S3] NHC 《2023年我国卫生健康事业发展统计公报》: 95.5 亿 visits (6.8 per resident), 30,187.3 万
 *        admissions (0.21 per resident), hospital averages 361.6 yuan per outpatient visit and
 *        10,315.8 yuan per admission, life expectancy 78.6 years.
 *   [S4] policies/national.json and seed 004: resident premiums collected September–December. */
#include <string.h>

#include "gen_internal.h"

static const gj_gen_region default_regions[] = {   /* weights: assumption (rough city sizes) */
    {"430100", 10, {"430102", "430103", "430104", "430105"}, 4},   /* 长沙 */
    {"430200", 4, {"430202", "430203"}, 2},                        /* 株洲 */
    {"430300", 3, {"430302", "430304"}, 2},                        /* 湘潭 */
    {"310000", 10, {"310101", "310104", "310105", "310115"}, 4},   /* 上海 */
    {"350100", 5, {"350102", "350103"}, 2},                        /* 福州 */
    {"350200", 3, {"350203", "350206"}, 2},                        /* 厦门 */
    {"440300", 8, {"440303", "440304", "440305"}, 3},              /* 深圳 */
    {"330100", 6, {"330102", "330106"}, 2},                        /* 杭州 */
    {"520100", 3, {"520102", "520103"}, 2},                        /* 贵阳 */
    {"650100", 2, {"650102", "650103"}, 2},                        /* 乌鲁木齐 */
    {"210900", 1, {"210902", "210903"}, 2},                        /* 阜新 */
    {"450100", 3, {"450102", "450103"}, 2},                        /* 南宁 */
};

static const gj_gen_visit default_visits[] = {
    /* outpatient: rates average ≈ 6.8 a year [S3], age profile assumed; 361.6 yuan [S3];
     * self-pay shares and excluded lines: assumption */
    {"outpatient", "2207", "11", {8000, 3500, 4500, 7000, 11000, 14000}, 36160, 80, 20, 60, 10},
    /* inpatient: rates average ≈ 0.2 a year [S3], age profile assumed; 10,315.8 yuan [S3] */
    {"inpatient", "2207", "21", {150, 50, 120, 180, 350, 550}, 1031580, 60, 10, 80, 0},
    /* retail pharmacy purchases: all assumption */
    {"pharmacy", "2102", "41", {2000, 1500, 3000, 4000, 6000, 7000}, 12000, 150, 0, 0, 50},
};

static const gj_gen_category default_categories[] = {   /* excluded lines: assumption */
    {"wellness", 4}, {"health_checkup", 2}, {"vaccination", 1}, {"rehabilitation", 2},
    {"cosmetology", 1},
};

static void default_family(gj_gen_params *p) {   /* all assumption */
    p->family.head_age_min = 25;
    p->family.head_age_max = 60;
    p->family.spouse_permille = 800;
    const int children[] = {150, 450, 350, 50}, siblings[] = {300, 400, 200, 100};
    memcpy(p->family.children_permille, children, sizeof children);
    memcpy(p->family.siblings_permille, siblings, sizeof siblings);
    p->family.grandchild_permille = 400;
    /* < 60, 60s, 70s, 80s, 90s, 100+: chosen to fit a life expectancy of 78.6 [S3] */
    const int alive[] = {990, 960, 880, 650, 300, 0};
    memcpy(p->family.alive_permille, alive, sizeof alive);
    p->family.other_city_permille = 100;
    p->family.other_province_permille = 50;
}

void gj_gen_params_default(gj_gen_params *p) {
    memset(p, 0, sizeof *p);
    p->seed = 1;
    p->families = 2000;
    memcpy(p->regions, default_regions, sizeof default_regions);
    p->region_count = (int)(sizeof default_regions / sizeof default_regions[0]);
    default_family(p);
    /* employees: working 18–59 and retirees 60+, tuned so that with every family drawn
     * around an employee about 27 % of the insured are employees [S1] */
    p->employee.working_permille = 250;
    p->employee.retired_permille = 200;
    p->accounts.prior_mean_fen = 410000;     /* [S2] */
    p->accounts.current_mean_fen = 120000;   /* the year's allocation: assumption */
    p->accounts.card_max_fen = 30000;        /* legacy card balance: assumption */
    const int bands[] = {0, 7, 18, 45, 60, 75};
    memcpy(p->age_bands, bands, sizeof bands);
    memcpy(p->visits, default_visits, sizeof default_visits);
    p->visit_count = (int)(sizeof default_visits / sizeof default_visits[0]);
    memcpy(p->categories, default_categories, sizeof default_categories);
    p->category_count = (int)(sizeof default_categories / sizeof default_categories[0]);
    p->premium.window_from[0] = 9;           /* [S4] */
    p->premium.window_from[1] = 1;
    p->premium.window_to[0] = 12;
    p->premium.window_to[1] = 31;
    p->premium.permille = 1000;              /* every resident's premium falls due: assumption */
}
