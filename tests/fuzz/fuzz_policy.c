/* fuzz_policy.c — libFuzzer target: policy-file loading. The input is written as a region file
 * into a private directory beside copies of the real national and Hunan files, and
 * gj_policy_set_load validates the set (every version of every file must resolve); a set that
 * loads is then resolved for Changsha and the file's own region on a few dates and its
 * lookups run. A refusal names the file. */
#include <stdlib.h>
#include <string.h>

#include "gongji/policy.h"
#include "harness.h"

static char dir[64], input_path[96];

static void copy_policy(const char *name) {
    char from[512], to[128], buf[1 << 14];
    snprintf(from, sizeof from, "%s/%s", GJ_POLICY_DIR, name);
    snprintf(to, sizeof to, "%s/%s", dir, name);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    harness_check(in != NULL && out != NULL, "copy a policy file", from);
    for (size_t n; (n = fread(buf, 1, sizeof buf, in)) > 0;) fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
}

static void cleanup(void) {
    remove(input_path);
    char path[128];
    snprintf(path, sizeof path, "%s/national.json", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/430000-hunan.json", dir);
    remove(path);
    remove(dir);
}

static void setup(void) {
    snprintf(dir, sizeof dir, "/tmp/gongji-fuzz-policy-XXXXXX");
    harness_check(mkdtemp(dir) != NULL, "mkdtemp", dir);
    copy_policy("national.json");
    copy_policy("430000-hunan.json");
    snprintf(input_path, sizeof input_path, "%s/fuzz-input.json", dir);
    atexit(cleanup);
}

static void use(gj_policy_set *set, const char *admdvs) {
    static const int years[] = {2021, 2024, 2026};
    gj_status st;
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        const gj_policy *p = NULL;
        gj_status_clear(&st);
        if (gj_policy_resolve(set, admdvs, gj_date_from_ymd(years[i], 6, 1), &p, &st) != GJ_E_OK) continue;
        gj_policy_fund_rule(p, "310", "11");
        gj_policy_premium(p, years[i]);
        gj_policy_product(p, "P1");
        gj_policy_donor_scheme(p, "310");
        for (int r = 0; r < GJ_REL_COUNT; r++) gj_policy_relation_allowed(p, (gj_relation)r, GJ_MODE_PAYMENT);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (dir[0] == '\0') setup();
    FILE *f = fopen(input_path, "wb");
    harness_check(f != NULL, "write the input", input_path);
    fwrite(data, 1, size, f);
    fclose(f);
    gj_policy_set *set = NULL;
    gj_status st;
    gj_status_clear(&st);
    if (gj_policy_set_load(dir, &set, &st) == GJ_E_OK) {
        use(set, "430102");
        for (int i = 0; i < gj_policy_set_count(set); i++) {
            const char *region, *name, *file;
            int versions = 0;
            gj_policy_set_entry(set, i, &region, &name, &file, &versions);
            for (int v = 0; v < versions; v++) gj_policy_set_version_date(set, i, v);
            use(set, region);
        }
        gj_policy_set_free(set);
    } else {
        harness_check(st.detail[0] != '\0', "a refusal without a reason", NULL);
    }
    return 0;
}
