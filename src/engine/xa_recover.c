/* xa_recover.c — ending in-doubt cross-province transactions (`gongji recover --in-doubt`,
 * gongjid at start). On every database of the province map: each prepared transaction whose
 * gid starts with "gj:" is committed if its coordinator's database logged 'commit' for it, and
 * rolled back otherwise — recovery first logs 'abort' for an undecided one, so a coordinator
 * still running cannot commit it afterwards (xa.c). Idempotent: a second run finds nothing.
 * A database that cannot be reached is reported and skipped (the rest are still resolved, so a
 * province down does not keep the others' store locks held); run again when it is back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xa_internal.h"

enum { XA_LIST_MAX = 1024 };

gj_err xa_decide(gj_store *decisions, const char *key, bool want_commit, const char *participants,
                 bool *commit, gj_status *st) {
    int64_t is_commit = 0;
    gj_err err = gj_store_exec(decisions, "INSERT INTO xa_decision (gid, decision, at, participants, done) "
                                          "VALUES ($1, $2, $3, $4, 0) ON CONFLICT (gid) DO NOTHING",
                               GJ_PARAMS(P_TEXT(key), P_TEXT(want_commit ? "commit" : "abort"),
                                         P_INT(gj_now()), P_TEXT(participants)), NULL, st);
    if (err == GJ_E_OK)
        err = gj_store_one_int(decisions, "SELECT CASE WHEN decision = 'commit' THEN 1 ELSE 0 END "
                                          "FROM xa_decision WHERE gid = $1",
                               GJ_PARAMS(P_TEXT(key)), &is_commit, st);
    *commit = err == GJ_E_OK && is_commit == 1;
    return err;
}

/* "gj:<coordinator>:<unique>:<participant>" → coordinator and the decision key (without
 * ":<participant>"). */
static bool parse_gid(const char *gid, char coordinator[3], char key[GJ_GID_MAX]) {
    size_t n = strlen(gid);
    if (!gj_store_gid_valid(gid) || n < 10 || gid[5] != ':' || gid[n - 3] != ':') return false;
    snprintf(coordinator, 3, "%.2s", gid + 3);
    snprintf(key, GJ_GID_MAX, "%.*s", (int)(n - 3), gid);
    return true;
}

typedef struct {
    gj_province_map map;
    gj_store *stores[GJ_PROVINCES_MAX];         /* NULL: could not be opened (errors[i]) */
    char errors[GJ_PROVINCES_MAX][GJ_STATUS_DETAIL_MAX];
} xa_dbs;

static void dbs_close(xa_dbs *d) {
    for (int i = 0; i < d->map.count; i++) gj_store_close(d->stores[i]);
}

/* The open store of province, NULL when it is not in the map or could not be opened. */
static gj_store *db_of(xa_dbs *d, const char *province) {
    for (int i = 0; i < d->map.count; i++)
        if (strcmp(d->map.dbs[i].code, province) == 0) return d->stores[i];
    return NULL;
}

/* The gj: transactions prepared in database s (its own, not the cluster's other databases) at
 * least min_age_s seconds ago. */
static gj_err list_prepared(gj_store *s, int min_age_s, char (*gids)[GJ_GID_MAX], int *n, gj_status *st) {
    gj_rows *rows = NULL;
    *n = 0;
    gj_err err = gj_store_query(s, "SELECT gid FROM pg_prepared_xacts WHERE gid LIKE 'gj:%' "
                                   "AND database = current_database() "
                                   "AND prepared <= now() - make_interval(secs => $1) ORDER BY prepared, gid",
                                GJ_PARAMS(P_INT(min_age_s)), &rows, st);
    if (err != GJ_E_OK) return err;
    while (*n < XA_LIST_MAX && gj_rows_next(rows)) snprintf(gids[(*n)++], GJ_GID_MAX, "%s", gj_rows_text(rows, 0));
    err = gj_rows_error(rows, st);
    gj_rows_end(rows);
    return err;
}

/* End one prepared transaction of province db's database; its line in *resolved. */
static gj_err resolve_one(xa_dbs *d, const gj_province_db *db, gj_store *s, const char *gid,
                          json_t *resolved, gj_status *st) {
    char coordinator[3], key[GJ_GID_MAX];
    if (!parse_gid(gid, coordinator, key)) return GJ_E_OK;   /* not ours */
    gj_store *decisions = db_of(d, coordinator);
    if (decisions == NULL) {
        json_array_append_new(resolved, json_pack("{s:s, s:s, s:s}", "gid", gid, "province", db->code,
                                                  "outcome", "left: its coordinator's database is not reachable or not in the map"));
        return GJ_E_OK;
    }
    bool commit = false;
    gj_err err = xa_decide(decisions, key, false, "recovery", &commit, st);
    if (err == GJ_E_OK) err = gj_store_finish_prepared(s, gid, commit, st);
    if (err == GJ_E_NOT_FOUND) err = GJ_E_OK;   /* ended meanwhile by its coordinator */
    if (err == GJ_E_OK)
        json_array_append_new(resolved, json_pack("{s:s, s:s, s:s}", "gid", gid, "province", db->code,
                                                  "outcome", commit ? "committed" : "rolled_back"));
    return err;
}

/* done = 1 for every decision once no database holds a gj: transaction prepared any more
 * (while some are, coordinators may still be finishing theirs: leave the flags). */
static void mark_done(xa_dbs *d) {
    gj_status ignored;
    char (*gids)[GJ_GID_MAX] = calloc(XA_LIST_MAX, GJ_GID_MAX);
    int total = gids != NULL ? 0 : 1, n = 0;
    for (int k = 0; gids != NULL && k < d->map.count; k++)
        total += d->stores[k] != NULL && list_prepared(d->stores[k], 0, gids, &n, &ignored) == GJ_E_OK ? n : 1;
    free(gids);
    for (int i = 0; total == 0 && i < d->map.count; i++)
        gj_store_exec(d->stores[i], "UPDATE xa_decision SET done = 1 WHERE done = 0", GJ_NO_PARAMS,
                      NULL, &ignored);
}

/* Every reachable database: its prepared gj: transactions, ended by their decisions. One that
 * cannot be opened or read is listed with its error and left for the next run. */
static void recover_all(xa_dbs *d, int min_age_s, json_t *resolved, json_t *databases) {
    char (*gids)[GJ_GID_MAX] = calloc(XA_LIST_MAX, GJ_GID_MAX);
    for (int i = 0; i < d->map.count; i++) {
        gj_status st;
        int n = 0;
        gj_err err = gids == NULL ? gj_fail(&st, GJ_E_INTERNAL, "out of memory")
                     : d->stores[i] == NULL ? gj_fail(&st, GJ_E_STORE, "%s", d->errors[i])
                                            : list_prepared(d->stores[i], min_age_s, gids, &n, &st);
        for (int k = 0; err == GJ_E_OK && k < n; k++)
            err = resolve_one(d, &d->map.dbs[i], d->stores[i], gids[k], resolved, &st);
        json_t *line = json_pack("{s:s, s:i}", "province", d->map.dbs[i].code, "in_doubt_found", n);
        if (err != GJ_E_OK) json_object_set_new(line, "error", json_string(st.detail));
        json_array_append_new(databases, line);
    }
    free(gids);
}

static int count_where(json_t *list, const char *key, const char *value) {
    int n = 0;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *v = json_string_value(json_object_get(json_array_get(list, i), key));
        n += value == NULL ? v != NULL : v != NULL && strcmp(v, value) == 0;
    }
    return n;
}

gj_err gj_recover_in_doubt(const char *map_path, int min_age_s, json_t **out, gj_status *st) {
    xa_dbs *d = calloc(1, sizeof *d);
    if (d == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    gj_err err = provinces_load(map_path, &d->map, st);
    if (err != GJ_E_OK) {
        free(d);
        return err;
    }
    for (int i = 0; i < d->map.count; i++) {
        gj_status why;
        if (gj_store_open(d->map.dbs[i].url, &d->stores[i], &why) != GJ_E_OK)
            snprintf(d->errors[i], sizeof d->errors[i], "%s", why.detail);
    }
    json_t *resolved = json_array(), *databases = json_array();
    recover_all(d, min_age_s, resolved, databases);
    int failed = count_where(databases, "error", NULL);
    if (failed == 0) mark_done(d);
    *out = json_pack("{s:o, s:o, s:i, s:i, s:i}", "databases", databases, "resolved", resolved,
                     "committed", count_where(resolved, "outcome", "committed"),
                     "rolled_back", count_where(resolved, "outcome", "rolled_back"),
                     "databases_failed", failed);
    dbs_close(d);
    free(d);
    return GJ_E_OK;
}
