/* sim_files.c — the simulation's temporary files and stores: a work directory under $TMPDIR
 * (or /tmp), copying a file, removing the work directory with everything in it, and where each
 * run's throwaway store lives (memory or a file). */
#include <assert.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_internal.h"

gj_err sim_mkdtemp(char *out, size_t size, gj_status *st) {
    const char *tmp = getenv("TMPDIR");
    snprintf(out, size, "%s/gongji-sim-XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(out) == NULL) return gj_fail(st, GJ_E_INTERNAL, "%s: %s", out, strerror(errno));
    return GJ_E_OK;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void sim_remove_tree(const char *dir) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

gj_err sim_copy_file(const char *from, const char *to, gj_status *st) {
    FILE *in = fopen(from, "rb"), *out = in != NULL ? fopen(to, "wb") : NULL;
    char buf[1 << 16];
    size_t got;
    bool ok = in != NULL && out != NULL;
    while (ok && (got = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, got, out) == got;
    ok = ok && !ferror(in);
    if (in != NULL) fclose(in);
    if (out != NULL && fclose(out) != 0) ok = false;
    return ok ? GJ_E_OK : gj_fail(st, GJ_E_BAD_FIELD, "copying %s to %s failed", from, to);
}

bool sim_store_in_memory(gj_sim_store store, int jobs, size_t insured) {
    if (store != GJ_SIM_STORE_AUTO) return store == GJ_SIM_STORE_MEMORY;
    assert(jobs >= 1);
    long pages = sysconf(_SC_PHYS_PAGES), page_bytes = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_bytes <= 0) return false;
    double needed_bytes = (double)jobs * (double)insured * SIM_MEMORY_PER_INSURED_BYTES;
    return needed_bytes <= (double)pages * (double)page_bytes / 2;
}

void sim_store_url(bool memory, bool rollback, const char *run_dir, char *out, size_t size) {
    const char *options = rollback ? "?sync=off" : "?sync=off&rollback=off";
    if (memory) snprintf(out, size, "sqlite::memory:%s", options);
    else snprintf(out, size, "sqlite:%s/sim.db%s", run_dir, options);
}
