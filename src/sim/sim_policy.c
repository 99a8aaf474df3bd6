/* sim_policy.c — the policy versions a simulation compares. A --policy argument is a policy
 * directory, used as it is, or one policy file: then the run uses a copy of the base directory
 * in which that file replaces the file of the same region (so "Hunan with a member limit of 5"
 * is one edited file). The report names the version ids in force in the population's regions
 * during the year. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "gongji/policy.h"
#include "sim_internal.h"

static bool is_json(const char *name) {
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* The "region" of a policy file, "" when unreadable. */
static void file_region(const char *path, char region[7]) {
    json_t *doc = json_load_file(path, 0, NULL);
    const char *r = json_string_value(json_object_get(doc, "region"));
    snprintf(region, 7, "%s", r != NULL ? r : "");
    json_decref(doc);
}

static gj_err copy_base(const char *base, const char *dir, const char *replaced, gj_status *st) {
    DIR *d = opendir(base);
    if (d == NULL) return gj_fail(st, GJ_E_NOT_FOUND, "%s: %s", base, strerror(errno));
    gj_err err = GJ_E_OK;
    for (struct dirent *e; err == GJ_E_OK && (e = readdir(d)) != NULL;) {
        char from[SIM_PATH_MAX + 256], to[SIM_PATH_MAX + 256], region[7];
        if (!is_json(e->d_name)) continue;
        snprintf(from, sizeof from, "%s/%s", base, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dir, e->d_name);
        file_region(from, region);
        if (strcmp(region, replaced) != 0) err = sim_copy_file(from, to, st);
    }
    closedir(d);
    return err;
}

gj_err sim_policy_dir(const char *arg, const char *base, const char *work_dir, int index,
                      char *out, size_t size, gj_status *st) {
    struct stat sb;
    char region[7], to[SIM_PATH_MAX + 64];
    if (stat(arg, &sb) != 0) return gj_fail(st, GJ_E_NOT_FOUND, "--policy %s: %s", arg, strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        snprintf(out, size, "%s", arg);
        return GJ_E_OK;
    }
    file_region(arg, region);
    if (region[0] == '\0') return gj_fail(st, GJ_E_BAD_POLICY, "--policy %s: no \"region\"", arg);
    snprintf(out, size, "%s/policies-%c", work_dir, 'A' + index);
    if (mkdir(out, 0777) != 0) return gj_fail(st, GJ_E_INTERNAL, "%s: %s", out, strerror(errno));
    gj_err err = copy_base(base, out, region, st);
    snprintf(to, sizeof to, "%s/%s-%s.json", out, region, "replaced");
    return err != GJ_E_OK ? err : sim_copy_file(arg, to, st);
}

gj_err sim_policy_versions(const char *dir, const sim_population *pop, int year, json_t **out,
                           gj_status *st) {
    gj_policy_set *set = NULL;
    gj_err err = gj_policy_set_load(dir, &set, st);
    if (err != GJ_E_OK) return err;
    *out = json_object();
    for (int r = 0; err == GJ_E_OK && r < pop->region_count; r++) {
        json_t *ids = json_array();
        for (int month = 1; err == GJ_E_OK && month <= 12; month++) {
            const gj_policy *p = NULL;
            err = gj_policy_resolve(set, pop->regions[r], gj_date_from_ymd(year, month, 1), &p, st);
            json_t *last = json_array_get(ids, json_array_size(ids) - 1);
            if (err == GJ_E_OK && (last == NULL || strcmp(json_string_value(last), p->version_id) != 0))
                json_array_append_new(ids, json_string(p->version_id));
        }
        json_object_set_new(*out, pop->regions[r], ids);
    }
    gj_policy_set_free(set);
    return err;
}
