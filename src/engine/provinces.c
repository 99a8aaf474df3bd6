/* provinces.c — the province map: which PostgreSQL database holds which province (the first two
 * digits of admdvs), read from a small file (docs/operations.md "Provinces on their own
 * databases"):
 *
 *     # province = database URL
 *     32 = postgresql:///gongji_js?host=/var/run/postgresql
 *     13 = postgresql://gongji@pg-hebei/gongji
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "xa_internal.h"

enum { LINE_MAX_BYTES = GJ_PROVINCE_URL_MAX + 64 };

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

static bool pg_url(const char *url) {
    return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

/* One non-comment line "PP = URL" into the map. */
static gj_err parse_line(char *line, int number, const char *path, gj_province_map *m, gj_status *st) {
    char *eq = strchr(line, '=');
    if (eq == NULL) return gj_fail(st, GJ_E_BAD_FIELD, "%s:%d: expected PP = URL", path, number);
    *eq = '\0';
    char *code = trim(line), *url = trim(eq + 1);
    if (strlen(code) != 2 || !isdigit((unsigned char)code[0]) || !isdigit((unsigned char)code[1]))
        return gj_fail(st, GJ_E_BAD_FIELD, "%s:%d: province \"%s\": two digits expected", path, number, code);
    if (!pg_url(url))
        return gj_fail(st, GJ_E_BAD_FIELD, "%s:%d: a postgres:// or postgresql:// URL expected", path, number);
    if (strlen(url) >= GJ_PROVINCE_URL_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s:%d: URL too long", path, number);
    if (provinces_url(m, code) != NULL)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s:%d: province %s given twice", path, number, code);
    if (m->count >= GJ_PROVINCES_MAX)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s:%d: more than %d provinces", path, number, GJ_PROVINCES_MAX);
    gj_province_db *d = &m->dbs[m->count++];
    snprintf(d->code, sizeof d->code, "%s", code);
    snprintf(d->url, sizeof d->url, "%s", url);
    return GJ_E_OK;
}

gj_err provinces_load(const char *path, gj_province_map *m, gj_status *st) {
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "r");
    if (f == NULL) return gj_fail(st, GJ_E_NOT_FOUND, "province map %s: cannot open", path);
    char line[LINE_MAX_BYTES];
    gj_err err = GJ_E_OK;
    for (int number = 1; err == GJ_E_OK && fgets(line, sizeof line, f) != NULL; number++) {
        char *hash = strchr(line, '#');
        if (hash != NULL) *hash = '\0';
        char *text = trim(line);
        if (*text != '\0') err = parse_line(text, number, path, m, st);
    }
    fclose(f);
    if (err == GJ_E_OK && m->count == 0) err = gj_fail(st, GJ_E_BAD_FIELD, "%s: no province", path);
    return err;
}

const char *provinces_url(const gj_province_map *m, const char *province) {
    for (int i = 0; i < m->count; i++)
        if (strncmp(m->dbs[i].code, province, 2) == 0) return m->dbs[i].url;
    return NULL;
}

const char *provinces_of_url(const gj_province_map *m, const char *url) {
    for (int i = 0; i < m->count; i++)
        if (strcmp(m->dbs[i].url, url) == 0) return m->dbs[i].code;
    return NULL;
}

gj_err gj_engine_set_provinces(gj_engine *e, const char *db_url, const char *map_path, gj_status *st) {
    gj_province_map m;
    gj_err err = provinces_load(map_path, &m, st);
    if (err != GJ_E_OK) return err;
    const char *home = provinces_of_url(&m, db_url);
    if (home == NULL)
        return gj_fail(st, GJ_E_USAGE, "the database URL is not in the province map %s: list it "
                       "under its province, exactly as given to --db", map_path);
    return xa_attach(e, &m, home, st);
}
