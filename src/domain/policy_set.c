/* policy_set.c — loading policy files from a directory, validating every version, and
 * resolving the settings in force for a region on a date (national → province → city), with a
 * cache so each distinct combination of versions is parsed once. */
#include <assert.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/admdvs.h"
#include "policy_internal.h"

enum { POLICY_VERSIONS_MAX = 32, POLICY_FILE_BYTES_MAX = 1 << 20, RECENT_SLOTS = 64 };

typedef struct {
    char region[7];
    char name[64];
    char file[256];
    json_t *root;
    int version_count;
    gj_date from[POLICY_VERSIONS_MAX];
    char from_text[POLICY_VERSIONS_MAX][11];
    json_t *settings[POLICY_VERSIONS_MAX];   /* borrowed from root */
} policy_file;

typedef struct {
    char key[GJ_POLICY_VERSION_ID_MAX];
    gj_policy policy;
} cache_slot;

/* A region and day already resolved (admdvs "" while the slot is empty). */
typedef struct {
    char admdvs[7];
    gj_date on;
    const gj_policy *policy;
} recent_slot;

struct gj_policy_set {
    policy_file files[GJ_POLICY_FILES_MAX];
    int file_count;
    cache_slot cache[GJ_POLICY_CACHE_MAX];
    int cache_count;   /* slots are never evicted: resolved pointers stay valid */
    /* (region, day) → its cache slot's policy, direct-mapped: a settlement resolves the
     * patient's and every donor's region on the same day, and building the version key of
     * each (the layers' files, their versions on that day) cost ~2.4 % of a simulated year's
     * instructions (callgrind). Policy files do not change while the set is loaded. */
    recent_slot recent[RECENT_SLOTS];
};

static const policy_file *find_file(const gj_policy_set *set, const char *region) {
    for (int i = 0; i < set->file_count; i++)
        if (strcmp(set->files[i].region, region) == 0) return &set->files[i];
    return NULL;
}

static gj_err file_fail(gj_status *st, const char *file, const char *why) {
    return gj_fail(st, GJ_E_BAD_POLICY, "%s: %s", file, why);
}

static gj_err read_versions(policy_file *f, json_t *versions, gj_status *st) {
    static const char *const keys[] = {"effective_from", "note", "settings"};
    if (!json_is_array(versions) || json_array_size(versions) == 0 ||
        json_array_size(versions) > POLICY_VERSIONS_MAX)
        return file_fail(st, f->file, "versions: 1 to 32 versions expected");
    for (size_t i = 0; i < json_array_size(versions); i++) {
        json_t *v = json_array_get(versions, i);
        const char *from = json_string_value(json_object_get(v, "effective_from"));
        json_t *settings = json_object_get(v, "settings");
        const char *key;
        json_t *value;
        json_object_foreach(v, key, value) {
            if (strcmp(key, keys[0]) && strcmp(key, keys[1]) && strcmp(key, keys[2]))
                return gj_fail(st, GJ_E_BAD_POLICY, "%s: versions[%zu].%s: unknown key", f->file, i, key);
        }
        if (from == NULL || gj_date_parse(from, &f->from[i]) != GJ_E_OK || strlen(from) != 10)
            return gj_fail(st, GJ_E_BAD_POLICY, "%s: versions[%zu].effective_from: bad date", f->file, i);
        if (i > 0 && f->from[i] <= f->from[i - 1])
            return gj_fail(st, GJ_E_BAD_POLICY, "%s: versions[%zu]: dates must increase", f->file, i);
        if (!json_is_object(settings))
            return gj_fail(st, GJ_E_BAD_POLICY, "%s: versions[%zu].settings: object expected", f->file, i);
        snprintf(f->from_text[i], sizeof f->from_text[i], "%s", from);
        f->settings[i] = settings;
    }
    f->version_count = (int)json_array_size(versions);
    return GJ_E_OK;
}

static gj_err read_file(policy_file *f, gj_status *st) {
    json_error_t jerr;
    f->root = json_load_file(f->file, JSON_REJECT_DUPLICATES, &jerr);
    if (f->root == NULL)
        return gj_fail(st, GJ_E_BAD_POLICY, "%s:%d:%d: %s", f->file, jerr.line, jerr.column, jerr.text);
    const char *format = json_string_value(json_object_get(f->root, "format"));
    const char *region = json_string_value(json_object_get(f->root, "region"));
    const char *name = json_string_value(json_object_get(f->root, "name"));
    const char *key;
    json_t *value;
    json_object_foreach(f->root, key, value) {
        if (strcmp(key, "format") && strcmp(key, "region") && strcmp(key, "name") &&
            strcmp(key, "sources") && strcmp(key, "versions"))
            return gj_fail(st, GJ_E_BAD_POLICY, "%s: %s: unknown key", f->file, key);
    }
    if (format == NULL || strcmp(format, "gongji-policy/1") != 0)
        return file_fail(st, f->file, "format: \"gongji-policy/1\" expected");
    if (region == NULL || !gj_admdvs_valid(region))
        return file_fail(st, f->file, "region: 6-digit admdvs expected");
    /* Resolution layers national, province (xx0000) and city (xxyy00, or the municipality
     * itself): a file for any other code would never be applied nor validated. */
    char province[7], city[7];
    gj_admdvs_province(region, province);
    gj_admdvs_city(region, city);
    if (strcmp(region, "000000") != 0 && strcmp(region, province) != 0 && strcmp(region, city) != 0)
        return file_fail(st, f->file, "region: a province or city code expected (districts are not policy layers)");
    if (name == NULL) return file_fail(st, f->file, "name: missing");
    snprintf(f->region, sizeof f->region, "%s", region);
    snprintf(f->name, sizeof f->name, "%s", name);
    return read_versions(f, json_object_get(f->root, "versions"), st);
}

/* Recursive merge: objects merge key by key, anything else is replaced. */
static void merge_into(json_t *dst, json_t *src) {
    const char *key;
    json_t *value;
    json_object_foreach(src, key, value) {
        json_t *old = json_object_get(dst, key);
        if (json_is_object(old) && json_is_object(value)) merge_into(old, value);
        else json_object_set_new(dst, key, json_deep_copy(value));
    }
}

/* Index of the last version in force on `on`, or -1 when the file starts later. */
static int version_on(const policy_file *f, gj_date on) {
    int v = -1;
    for (int i = 0; i < f->version_count && f->from[i] <= on; i++) v = i;
    return v;
}

/* The layer files of a region: national, province, city (absent ones NULL). */
static void layer_files(const gj_policy_set *set, const char *admdvs, const policy_file *out[3]) {
    char province[7], city[7];
    gj_admdvs_province(admdvs, province);
    gj_admdvs_city(admdvs, city);
    out[0] = find_file(set, "000000");
    out[1] = strcmp(province, "000000") ? find_file(set, province) : NULL;
    out[2] = strcmp(city, province) ? find_file(set, city) : NULL;
}

/* Append "[+]region@from" to key, truncated to size like snprintf (on every settlement's path:
 * no printf). */
static void append_key(char *key, size_t size, const policy_file *f, int v) {
    size_t len = strlen(key);
    assert(len < size);
    const char *parts[] = {len ? "+" : "", f->region, "@", f->from_text[v]};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t n = strlen(parts[i]);
        if (n > size - 1 - len) n = size - 1 - len;
        memcpy(key + len, parts[i], n);
        len += n;
    }
    key[len] = '\0';
}

/* The version id of a region on a date, and (when `merge`) the merged settings it names;
 * without `merge` only the id is built (cheap: the cache is keyed by it) and NULL returned. */
static json_t *merged_settings(const gj_policy_set *set, const char *admdvs, gj_date on,
                               char key[GJ_POLICY_VERSION_ID_MAX], bool merge) {
    const policy_file *layers[3];
    layer_files(set, admdvs, layers);
    json_t *merged = merge ? json_object() : NULL;
    key[0] = '\0';
    for (int l = 0; l < 3; l++) {
        if (layers[l] == NULL) continue;
        int last = version_on(layers[l], on);
        for (int v = 0; merge && v <= last; v++) merge_into(merged, layers[l]->settings[v]);
        if (last >= 0) append_key(key, GJ_POLICY_VERSION_ID_MAX, layers[l], last);
    }
    return merged;
}

static const gj_policy *cache_find(const gj_policy_set *set, const char *key) {
    for (int i = 0; i < set->cache_count; i++)
        if (strcmp(set->cache[i].key, key) == 0) return &set->cache[i].policy;
    return NULL;
}

static recent_slot *recent_slot_of(gj_policy_set *set, const char *admdvs, gj_date on) {
    uint32_t h = (uint32_t)on;
    for (int i = 0; i < 6; i++) h = h * 31u + (unsigned char)admdvs[i];
    return &set->recent[h % RECENT_SLOTS];
}

static gj_err resolve_slow(gj_policy_set *set, const char *admdvs, gj_date on,
                           const gj_policy **out, gj_status *st);

gj_err gj_policy_resolve(gj_policy_set *set, const char *admdvs, gj_date on,
                         const gj_policy **out, gj_status *st) {
    if (!gj_admdvs_valid(admdvs)) return gj_fail(st, GJ_E_BAD_ADMDVS, "region %s", admdvs);
    recent_slot *r = recent_slot_of(set, admdvs, on);
    if (r->on == on && memcmp(r->admdvs, admdvs, 7) == 0) {
        assert(r->policy != NULL);
        *out = r->policy;
        return GJ_E_OK;
    }
    gj_err e = resolve_slow(set, admdvs, on, out, st);
    if (e == GJ_E_OK) {
        memcpy(r->admdvs, admdvs, 7);
        r->on = on;
        r->policy = *out;
    }
    return e;
}

static gj_err resolve_slow(gj_policy_set *set, const char *admdvs, gj_date on,
                           const gj_policy **out, gj_status *st) {
    char key[GJ_POLICY_VERSION_ID_MAX];
    merged_settings(set, admdvs, on, key, false);   /* policy resolved once per version */
    const gj_policy *hit = cache_find(set, key);
    if (hit != NULL) {
        *out = hit;
        return GJ_E_OK;
    }
    if (key[0] == '\0') return gj_fail(st, GJ_E_BAD_POLICY, "no policy in force for %s on that date", admdvs);
    if (set->cache_count == GJ_POLICY_CACHE_MAX)
        return gj_fail(st, GJ_E_INTERNAL, "more than %d policy versions in use", GJ_POLICY_CACHE_MAX);
    cache_slot *slot = &set->cache[set->cache_count];
    memset(slot, 0, sizeof *slot);
    json_t *merged = merged_settings(set, admdvs, on, key, true);
    gj_err e = gj_policy_parse_settings(merged, &slot->policy, st);
    json_decref(merged);
    if (e != GJ_E_OK) return e;
    set->cache_count++;
    snprintf(slot->key, sizeof slot->key, "%s", key);
    snprintf(slot->policy.version_id, sizeof slot->policy.version_id, "%s", key);
    /* the most specific layer's region: the same for every code that shares these versions */
    const char *last = strrchr(key, '+');
    snprintf(slot->policy.region, sizeof slot->policy.region, "%.6s", last ? last + 1 : key);
    *out = &slot->policy;
    return GJ_E_OK;
}

bool gj_policy_in_force(const gj_policy_set *set, const char *admdvs, gj_date on) {
    char key[GJ_POLICY_VERSION_ID_MAX];
    if (!gj_admdvs_valid(admdvs)) return false;
    merged_settings(set, admdvs, on, key, false);
    return key[0] != '\0';
}

/* Every version of every file must resolve to a valid policy on its effective date. */
static gj_err validate_all(gj_policy_set *set, gj_status *st) {
    for (int i = 0; i < set->file_count; i++) {
        const policy_file *f = &set->files[i];
        for (int v = 0; v < f->version_count; v++) {
            const gj_policy *p = NULL;
            gj_err e = gj_policy_resolve(set, f->region, f->from[v], &p, st);
            if (e != GJ_E_OK) {
                char detail[GJ_STATUS_DETAIL_MAX];
                snprintf(detail, sizeof detail, "%s", st ? st->detail : "");
                return gj_fail(st, e, "%s (version %s): %s", f->file, f->from_text[v], detail);
            }
        }
    }
    return GJ_E_OK;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static gj_err load_dir(gj_policy_set *set, const char *dir, gj_status *st) {
    DIR *d = opendir(dir);
    if (d == NULL) return gj_fail(st, GJ_E_BAD_POLICY, "cannot open policy directory %s", dir);
    char *names[GJ_POLICY_FILES_MAX];
    int count = 0;
    gj_err e = GJ_E_OK;
    for (struct dirent *ent; (ent = readdir(d)) != NULL;) {
        size_t len = strlen(ent->d_name);
        if (len < 6 || strcmp(ent->d_name + len - 5, ".json") != 0) continue;
        if (count == GJ_POLICY_FILES_MAX) {
            e = gj_fail(st, GJ_E_BAD_POLICY, "more than %d policy files", GJ_POLICY_FILES_MAX);
            break;
        }
        names[count++] = strdup(ent->d_name);
    }
    closedir(d);
    qsort(names, (size_t)count, sizeof names[0], compare_names);
    for (int i = 0; i < count; i++) {
        policy_file *f = &set->files[set->file_count++];
        snprintf(f->file, sizeof f->file, "%s/%s", dir, names[i]);
        if (e == GJ_E_OK) e = read_file(f, st);
        if (e == GJ_E_OK && find_file(set, f->region) != f)
            e = file_fail(st, f->file, "a file for this region already exists");
        free(names[i]);
    }
    return e;
}

gj_err gj_policy_set_load(const char *dir, gj_policy_set **out, gj_status *st) {
    gj_policy_set *set = calloc(1, sizeof *set);
    if (set == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    gj_err e = load_dir(set, dir, st);
    if (e == GJ_E_OK && find_file(set, "000000") == NULL)
        e = gj_fail(st, GJ_E_BAD_POLICY, "%s: the national file (region 000000) is missing", dir);
    if (e == GJ_E_OK) e = validate_all(set, st);
    if (e != GJ_E_OK) {
        gj_policy_set_free(set);
        return e;
    }
    *out = set;
    return GJ_E_OK;
}

void gj_policy_set_free(gj_policy_set *set) {
    if (set == NULL) return;
    for (int i = 0; i < set->file_count; i++) json_decref(set->files[i].root);
    free(set);
}

int gj_policy_set_count(const gj_policy_set *set) { return set->file_count; }

void gj_policy_set_entry(const gj_policy_set *set, int i, const char **region, const char **name,
                         const char **file, int *version_count) {
    assert(i >= 0 && i < set->file_count);
    const policy_file *f = &set->files[i];
    *region = f->region;
    *name = f->name;
    *file = f->file;
    *version_count = f->version_count;
}

const char *gj_policy_set_version_date(const gj_policy_set *set, int i, int v) {
    assert(i >= 0 && i < set->file_count && v >= 0 && v < set->files[i].version_count);
    return set->files[i].from_text[v];
}
