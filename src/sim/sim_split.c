/* sim_split.c — writing the shards' files (sim_shard.c): one pass over persons.csv and one over
 * the year's bills, every record copied (quoted where RFC 4180 needs it) to the file of the
 * shard its person belongs to, in file order, under the same header. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sim_internal.h"

typedef struct {
    const sim_population *pop;
    sim_shards *shards;
    FILE **files;
    size_t column;               /* the psn_no field */
    bool events;                 /* the bills: count each shard's events */
    const char *name;            /* for errors */
} splitter;

static gj_err split_row(void *ctx, const gj_csv_record *rec, gj_status *st) {
    splitter *s = ctx;
    if (rec->count <= s->column)
        return gj_fail(st, GJ_E_BAD_FIELD, "%s line %ld: %zu columns", s->name, rec->line_no, rec->count);
    int32_t who = sim_map_get(&s->pop->by_psn, rec->field[s->column]);
    if (who < 0)
        return gj_fail(st, GJ_E_NOT_FOUND, "%s line %ld: %s is not in persons.csv", s->name, rec->line_no,
                       rec->field[s->column]);
    int k = s->shards->of_person[who];
    FILE *f = s->files[k];
    for (size_t i = 0; i < rec->count; i++) {
        if (i > 0) fputc(',', f);
        gj_csv_write_field(f, rec->field[i]);
    }
    fputc('\n', f);
    if (s->events) s->shards->shards[k].events++;
    return GJ_E_OK;
}

/* The source's first line (its header) into every shard's file. */
static gj_err copy_header(FILE *in, FILE **files, int n, const char *name, gj_status *st) {
    char line[GJ_CSV_LINE_MAX];
    if (fgets(line, sizeof line, in) == NULL) return gj_fail(st, GJ_E_BAD_FIELD, "%s: empty", name);
    for (int k = 0; k < n; k++) fputs(line, files[k]);
    rewind(in);
    return GJ_E_OK;
}

static gj_err close_all(FILE **files, int n, gj_err err, gj_status *st) {
    for (int k = 0; k < n; k++)
        if (files[k] != NULL && fclose(files[k]) != 0 && err == GJ_E_OK)
            err = gj_fail(st, GJ_E_INTERNAL, "writing a shard's files failed: %s", strerror(errno));
    free(files);
    return err;
}

enum { SPARE_FILES = 64 };   /* descriptors the process holds besides the shards' files */

/* Every shard's file is open at once: the soft limit on open files raised towards the hard
 * one when the shards need more (2,000 shards for a million insured; a common soft limit is
 * 1,024), else an error that says what to change. */
static gj_err enough_files(int shard_count, gj_status *st) {
    struct rlimit lim;
    rlim_t needed = (rlim_t)shard_count + SPARE_FILES;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= needed) return GJ_E_OK;
    rlim_t soft = lim.rlim_cur;   /* below needed, so finite: the figure the error gives */
    if (lim.rlim_max == RLIM_INFINITY || lim.rlim_max >= needed) {
        lim.rlim_cur = needed;
        if (setrlimit(RLIMIT_NOFILE, &lim) == 0) return GJ_E_OK;
    }
    return gj_fail(st, GJ_E_USAGE, "%d shards need %llu open files and the limit is %llu: raise it "
                   "(ulimit -n) or give a larger --shard-insured", shard_count,
                   (unsigned long long)needed, (unsigned long long)soft);
}

/* Split `from` (records keyed by the psn_no in `column`) into every shard's dir/name; `events`:
 * count the records per shard. */
static gj_err split(const sim_population *pop, sim_shards *shards, const char *from,
                    const char *name, const char *header, size_t column, bool events,
                    gj_status *st) {
    char path[SIM_PATH_MAX + 64];
    FILE *in = fopen(from, "r");
    if (in == NULL) return gj_fail(st, GJ_E_NOT_FOUND, "%s: %s", from, strerror(errno));
    FILE **files = calloc((size_t)shards->count, sizeof *files);
    gj_err err = files != NULL ? GJ_E_OK : gj_fail(st, GJ_E_INTERNAL, "out of memory");
    if (err == GJ_E_OK) err = enough_files(shards->count, st);
    for (int k = 0; err == GJ_E_OK && k < shards->count; k++) {
        snprintf(path, sizeof path, "%s/%s", shards->shards[k].dir, name);
        if ((files[k] = fopen(path, "w")) == NULL) err = gj_fail(st, GJ_E_INTERNAL, "%s: %s", path, strerror(errno));
    }
    if (err == GJ_E_OK) err = copy_header(in, files, shards->count, name, st);
    splitter s = {.pop = pop, .shards = shards, .files = files, .column = column,
                  .events = events, .name = name};
    if (err == GJ_E_OK) err = gj_csv_each(in, header, split_row, &s, st);
    fclose(in);
    return files != NULL ? close_all(files, shards->count, err, st) : err;
}

gj_err sim_split_files(const sim_population *pop, sim_shards *shards, int year, gj_status *st) {
    char from[SIM_PATH_MAX + 64], name[64];
    snprintf(from, sizeof from, "%s/%s", pop->dir, GJ_GEN_PERSONS_FILE);
    gj_err err = split(pop, shards, from, GJ_GEN_PERSONS_FILE, "psn_no", 0, false, st);
    gj_gen_year_path(pop->dir, year, from, sizeof from);
    const char *slash = strrchr(from, '/');
    snprintf(name, sizeof name, "%.60s", slash != NULL ? slash + 1 : from);
    if (err == GJ_E_OK) err = split(pop, shards, from, name, "time", 3, true, st);
    return err;
}
