/* xa_internal.h — province databases and the two-phase commit across them (provinces.c, xa.c,
 * xa_recover.c, settle_remote.c). Private to src/engine.
 *
 * A province map names the database of each province (first two digits of admdvs). The engine's
 * own database is the home province's. When a command needs a row of another province's
 * database (a donor's account), that database joins the command's transaction; at commit the
 * coordinator runs two-phase commit over every database written (docs/operations.md). */
#ifndef GONGJI_XA_INTERNAL_H
#define GONGJI_XA_INTERNAL_H

#include "engine_internal.h"

enum { GJ_PROVINCES_MAX = 40, GJ_PROVINCE_URL_MAX = 1024 };

typedef struct {
    char code[3];                    /* "13" */
    char url[GJ_PROVINCE_URL_MAX];
} gj_province_db;

typedef struct {
    gj_province_db dbs[GJ_PROVINCES_MAX];
    int count;
} gj_province_map;

/* ---- provinces.c ---- */
/* Read a map file: one `PP = URL` a line (PP two digits, URL a postgres:// or postgresql://
 * URL), `#` comments, blank lines. BAD_FIELD naming the line for anything else, a province
 * twice, or an empty map. */
gj_err provinces_load(const char *path, gj_province_map *m, gj_status *st);
/* The URL of a province, NULL when the map has none. */
const char *provinces_url(const gj_province_map *m, const char *province);
/* The province whose URL is exactly url, NULL when none. */
const char *provinces_of_url(const gj_province_map *m, const char *url);

/* ---- xa.c ---- */
typedef struct gj_xa gj_xa;
/* Attach a coordinator for `home` (the province of e's own database) to e's store. */
gj_err xa_attach(gj_engine *e, const gj_province_map *m, const char *home, gj_status *st);
void xa_free(gj_xa *x);
/* The store holding `admdvs`'s province: e's own (*remote false) when that is the home province
 * or the map has no database for it; else the province's database, joined to the open
 * transaction (opened on first use, its store lock taken, lock_timeout bounding the wait).
 * Outside a transaction always e's own store. */
gj_err xa_store_for(gj_engine *e, const char *admdvs, gj_store **out, bool *remote, gj_status *st);
/* The command wrote to remote store s: it takes part in the two-phase commit. */
void xa_wrote(gj_engine *e, gj_store *s);
/* Remember, for the open command, that psn_no's account was read from province `province`;
 * xa_remote_province answers it (NULL: the account is in e's own database). */
void xa_note_remote(gj_engine *e, const char *psn_no, const char *province);
const char *xa_remote_province(const gj_engine *e, const char *psn_no);
/* The home province ("" without a map). */
const char *xa_home(const gj_engine *e);

/* ---- xa_recover.c ---- */
/* Log a decision for key in the coordinator's database `decisions` (autocommit, outside any
 * transaction) unless one is logged: 'commit' if want_commit, else 'abort' (presumed abort).
 * *commit gets the decision that stands — the first one logged. */
gj_err xa_decide(gj_store *decisions, const char *gid, bool want_commit, const char *participants,
                 bool *commit, gj_status *st);

/* ---- settle_remote.c ---- */
/* The ledger account a draw from donor psn_no's layer is posted to in the home database:
 * psn:<psn_no>:<layer>, or clear:<province> when the donor's account is in another province. */
void settle_donor_account(const gj_engine *e, const char *psn_no, gj_layer layer,
                          char out[GJ_ACCOUNT_CODE_MAX]);
/* psn_no's layers (insured in admdvs) from the database of their province when a transaction
 * is open (another province's database joins it, and psn_no is noted as remote), else from e's
 * own database. *exists: the person has an account there. */
gj_err xa_person_layers(gj_engine *e, const char *psn_no, const char *admdvs, gj_acct_view *acct,
                        bool *exists, gj_status *st);
/* Post, in each other province's database, the donors' debits of a settlement against that
 * database's clearing account for the home province, journalled there (settle.remote). */
gj_err settle_post_remote(gj_engine *e, const char *setl_id, const char *msgid,
                          const gj_settle_facts *f, const gj_settle_result *r, gj_time at,
                          gj_status *st);

#endif
