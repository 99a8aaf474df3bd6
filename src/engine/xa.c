/* xa.c — two-phase commit across province databases, with the engine's own database (the home
 * province's) as coordinator. Presumed abort:
 *
 *   1. a command reaches another province's database through xa_store_for: that database
 *      joins the open transaction (BEGIN and its store lock; a savepoint per command in a batch);
 *   2. at commit, databases only read are rolled back; if any was written, each written one
 *      and then the home database run PREPARE TRANSACTION 'gj:<home>:<unique>:<province>';
 *      a failure before every PREPARE succeeded rolls everything back;
 *   3. the decision 'commit' is inserted into xa_decision in the home database, in its own
 *      committed transaction (the home session is free again after its PREPARE); the first
 *      decision for a transaction wins, so a concurrent `gongji recover --in-doubt`, which
 *      inserts 'abort' for a transaction it finds undecided, and the coordinator never disagree;
 *   4. COMMIT PREPARED everywhere (or ROLLBACK PREPARED if recovery decided first), done = 1.
 *
 * A crash anywhere leaves at most prepared transactions that `gongji recover --in-doubt`
 * (xa_recover.c; gongjid at start) ends by the logged decision, aborting the undecided.
 * Test only: GONGJI_2PC_CRASH_AFTER=prepare|decision makes the process _exit(70) right after
 * every PREPARE / right after the decision, so tests can stop a coordinator between the two. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "xa_internal.h"

enum { XA_CRASH_EXIT = 70, XA_PARTICIPANTS_TEXT = GJ_PROVINCES_MAX * 3 + 1 };

typedef struct {
    char province[3];
    gj_store *store;
    bool wrote_cmd;      /* the open command wrote here */
    bool wrote;          /* a finished command of the open batch wrote here */
} xa_part;

typedef struct {
    char psn_no[GJ_PSN_NO_MAX];
    char province[3];
} xa_note;

struct gj_xa {
    gj_province_map map;
    char home[3];
    xa_part parts[GJ_PROVINCES_MAX];
    int count;
    xa_note notes[GJ_DONORS_MAX];
    int note_count;
    unsigned long serial;
    bool broken;         /* a joined database lost a finished command's writes: the batch must fail */
    gj_store_coordinator coord;
};

static bool part_open(const xa_part *p) {
    return p->store != NULL && (gj_store_in_tx(p->store) || gj_store_in_batch(p->store));
}

/* End p's transaction without keeping anything (read-only, or the unit of work failed). */
static void part_release(xa_part *p) {
    if (p->store != NULL && gj_store_in_tx(p->store)) gj_store_rollback(p->store);
    if (p->store != NULL && gj_store_in_batch(p->store)) gj_store_batch_rollback(p->store);
    p->wrote = p->wrote_cmd = false;
}

static void release_all(gj_xa *x) {
    for (int i = 0; i < x->count; i++) part_release(&x->parts[i]);
    x->note_count = 0;
    x->broken = false;
}

static bool hook_writes(void *ctx) {
    gj_xa *x = ctx;
    if (x->broken) return true;   /* hook_commit refuses the batch */
    for (int i = 0; i < x->count; i++)
        if (x->parts[i].wrote || x->parts[i].wrote_cmd) return true;
    return false;
}

static void hook_command_end(void *ctx, bool committed) {
    gj_xa *x = ctx;
    for (int i = 0; i < x->count; i++) {
        xa_part *p = &x->parts[i];
        if (p->store == NULL || !gj_store_in_tx(p->store)) continue;
        gj_status ignored;
        if (!committed) gj_store_rollback(p->store);
        else if (gj_store_commit(p->store, &ignored) == GJ_E_OK) p->wrote = p->wrote || p->wrote_cmd;
        else x->broken = x->broken || p->wrote_cmd;   /* home kept what this database lost */
        p->wrote_cmd = false;
    }
    x->note_count = 0;
}

static void hook_ended(void *ctx) { release_all(ctx); }

static void maybe_crash(const char *point) {
    const char *want = getenv("GONGJI_2PC_CRASH_AFTER");
    if (want != NULL && strcmp(want, point) == 0) _exit(XA_CRASH_EXIT);
}

/* "gj:<home>:<µs since epoch>-<pid>-<serial>": the decision key; participants append ":PP". */
static void new_key(gj_xa *x, char key[GJ_GID_MAX]) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    snprintf(key, GJ_GID_MAX, "gj:%s:%lld%06ld-%ld-%lu", x->home, (long long)tv.tv_sec, (long)tv.tv_usec,
             (long)getpid(), ++x->serial);
}

static void part_gid(const char *key, const char *province, char gid[GJ_GID_MAX]) {
    snprintf(gid, GJ_GID_MAX, "%.100s:%.2s", key, province);   /* keys are ~40 bytes */
}

/* ROLLBACK PREPARED the first n written participants (prepared under key). */
static void abort_prepared(const char *key, xa_part *const *w, int n) {
    char gid[GJ_GID_MAX];
    gj_status ignored;
    for (int i = 0; i < n; i++) {
        part_gid(key, w[i]->province, gid);
        gj_store_finish_prepared(w[i]->store, gid, false, &ignored);
    }
}

/* Phase two: end every prepared participant and the home database by the decision. */
static gj_err finish(gj_xa *x, gj_store *home, const char *key, bool commit, xa_part *const *w, int n,
                     gj_status *st) {
    char gid[GJ_GID_MAX];
    gj_status ignored;
    bool all = true;
    for (int i = 0; i < n; i++) {
        part_gid(key, w[i]->province, gid);
        all = gj_store_finish_prepared(w[i]->store, gid, commit, &ignored) == GJ_E_OK && all;
    }
    part_gid(key, x->home, gid);
    all = gj_store_finish_prepared(home, gid, commit, &ignored) == GJ_E_OK && all;
    if (commit && all)
        gj_store_exec(home, "UPDATE xa_decision SET done = 1 WHERE gid = $1", GJ_PARAMS(P_TEXT(key)),
                      NULL, &ignored);
    if (!commit)
        return gj_fail(st, GJ_E_STORE, "cross-province transaction %s was aborted by a recovery", key);
    return GJ_E_OK;   /* decided: a participant not ended now is ended by recovery */
}

/* The written participants into w (and their provinces after home's into participants);
 * the others, only read, are rolled back. Returns how many. */
static int collect_writers(gj_xa *x, xa_part **w, char participants[XA_PARTICIPANTS_TEXT]) {
    int n = 0;
    snprintf(participants, XA_PARTICIPANTS_TEXT, "%s", x->home);
    for (int i = 0; i < x->count; i++) {
        xa_part *p = &x->parts[i];
        if (!p->wrote && !p->wrote_cmd) {
            part_release(p);
            continue;
        }
        w[n++] = p;
        size_t used = strlen(participants);
        snprintf(participants + used, XA_PARTICIPANTS_TEXT - used, ",%s", p->province);
    }
    x->note_count = 0;
    return n;
}

/* Phase one: PREPARE every written participant, then home. On failure everything is rolled
 * back (prepared ones with ROLLBACK PREPARED) and the error returned. */
static gj_err prepare_all(gj_xa *x, gj_store *home, const char *key, xa_part *const *w, int n,
                          gj_status *st) {
    char gid[GJ_GID_MAX];
    gj_err err = GJ_E_OK;
    int done = 0;
    for (; err == GJ_E_OK && done < n; done++) {
        part_gid(key, w[done]->province, gid);
        err = gj_store_prepare(w[done]->store, gid, st);   /* ends w[done]'s transaction either way */
        w[done]->wrote = w[done]->wrote_cmd = false;
    }
    if (err != GJ_E_OK) {   /* w[done - 1] failed and was rolled back; w[done..] still open */
        for (int i = done; i < n; i++) part_release(w[i]);
        abort_prepared(key, w, done - 1);
        gj_store_rollback_outer(home);
        return err;
    }
    part_gid(key, x->home, gid);
    if ((err = gj_store_prepare(home, gid, st)) != GJ_E_OK) abort_prepared(key, w, n);
    return err;
}

static gj_err hook_commit(void *ctx, gj_store *home, gj_status *st) {
    gj_xa *x = ctx;
    if (x->broken) {
        release_all(x);
        gj_store_rollback_outer(home);
        return gj_fail(st, GJ_E_STORE, "a province database failed during the batch: rolled back");
    }
    xa_part *w[GJ_PROVINCES_MAX];
    char key[GJ_GID_MAX], participants[XA_PARTICIPANTS_TEXT];
    int n = collect_writers(x, w, participants);
    assert(n > 0 && "hook_writes said a joined database was written");
    new_key(x, key);
    gj_err err = prepare_all(x, home, key, w, n, st);
    if (err != GJ_E_OK) return err;
    maybe_crash("prepare");
    bool commit = false;
    if (xa_decide(home, key, true, participants, &commit, st) != GJ_E_OK) {
        char why[GJ_STATUS_DETAIL_MAX];
        snprintf(why, sizeof why, "%s", st->detail);
        return gj_fail(st, GJ_E_IN_DOUBT, "%s: the decision could not be logged (%s); run "
                       "gongji recover --in-doubt", key, why);
    }
    maybe_crash("decision");
    return finish(x, home, key, commit, w, n, st);
}

gj_err xa_attach(gj_engine *e, const gj_province_map *m, const char *home, gj_status *st) {
    if (strcmp(gj_store_backend(e->store), "postgresql") != 0)
        return gj_fail(st, GJ_E_USAGE, "province databases need PostgreSQL (the database is %s)",
                       gj_store_backend(e->store));
    gj_xa *x = calloc(1, sizeof *x);
    if (x == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    x->map = *m;
    snprintf(x->home, sizeof x->home, "%s", home);
    x->coord = (gj_store_coordinator){.ctx = x, .writes = hook_writes, .command_end = hook_command_end,
                                      .commit = hook_commit, .ended = hook_ended};
    xa_free(e->xa);
    e->xa = x;
    gj_store_set_coordinator(e->store, &x->coord);
    return GJ_E_OK;
}

void xa_free(gj_xa *x) {
    if (x == NULL) return;
    for (int i = 0; i < x->count; i++) gj_store_close(x->parts[i].store);
    free(x);
}

const char *xa_home(const gj_engine *e) { return e->xa != NULL ? e->xa->home : ""; }

/* The participant of province, its connection opened on first use (lock_timeout bounds the
 * wait for its store lock: two coordinators locking each other's databases in opposite order
 * fail one command instead of waiting forever). */
static gj_err part_for(gj_xa *x, const char *province, const char *url, xa_part **out, gj_status *st) {
    for (int i = 0; i < x->count; i++)
        if (strcmp(x->parts[i].province, province) == 0) {
            *out = &x->parts[i];
            return GJ_E_OK;
        }
    assert(x->count < GJ_PROVINCES_MAX);
    xa_part *p = &x->parts[x->count];
    memset(p, 0, sizeof *p);
    gj_err err = gj_store_open(url, &p->store, st);
    if (err == GJ_E_OK) err = gj_store_script(p->store, "SET lock_timeout = '5s'", st);
    if (err != GJ_E_OK) {
        gj_store_close(p->store);
        return err;
    }
    snprintf(p->province, sizeof p->province, "%s", province);
    x->count++;
    *out = p;
    return GJ_E_OK;
}

gj_err xa_store_for(gj_engine *e, const char *admdvs, gj_store **out, bool *remote, gj_status *st) {
    gj_xa *x = e->xa;
    *out = e->store;
    *remote = false;
    char province[3] = {admdvs[0], admdvs[0] != '\0' ? admdvs[1] : '\0', '\0'};
    const char *url = x != NULL ? provinces_url(&x->map, province) : NULL;
    if (url == NULL || strcmp(province, x->home) == 0 || !gj_store_in_tx(e->store)) return GJ_E_OK;
    xa_part *p = NULL;
    gj_err err = part_for(x, province, url, &p, st);
    if (err == GJ_E_OK && gj_store_in_batch(e->store) && !gj_store_in_batch(p->store))
        err = gj_store_batch_begin(p->store, st);
    if (err == GJ_E_OK && !gj_store_in_tx(p->store)) err = gj_store_begin(p->store, st);
    if (err != GJ_E_OK) return err;
    assert(part_open(p));
    *out = p->store;
    *remote = true;
    return GJ_E_OK;
}

void xa_wrote(gj_engine *e, gj_store *s) {
    for (int i = 0; e->xa != NULL && i < e->xa->count; i++)
        if (e->xa->parts[i].store == s) e->xa->parts[i].wrote_cmd = true;
}

void xa_note_remote(gj_engine *e, const char *psn_no, const char *province) {
    gj_xa *x = e->xa;
    if (x == NULL || xa_remote_province(e, psn_no) != NULL || x->note_count >= GJ_DONORS_MAX) return;
    snprintf(x->notes[x->note_count].psn_no, GJ_PSN_NO_MAX, "%s", psn_no);
    snprintf(x->notes[x->note_count].province, 3, "%s", province);
    x->note_count++;
}

const char *xa_remote_province(const gj_engine *e, const char *psn_no) {
    for (int i = 0; e->xa != NULL && i < e->xa->note_count; i++)
        if (strcmp(e->xa->notes[i].psn_no, psn_no) == 0) return e->xa->notes[i].province;
    return NULL;
}
