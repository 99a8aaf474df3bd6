/* replay.c — runs a fuzz target without libFuzzer: LLVMFuzzerTestOneInput once on every
 * regular file named, or found directly inside a directory named, in name order. Linked with
 * each target in every build (gcc too), CTest runs it over tests/fuzz/corpus/<target>/, so
 * every corpus entry, and each crash once added there, is a regression test.
 * Usage: replay_<target> FILE|DIR... */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static int replayed;

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    struct stat sb;
    size_t size = fstat(fileno(f), &sb) == 0 ? (size_t)sb.st_size : 0;
    uint8_t *data = malloc(size + 1);   /* +1: never malloc(0) */
    size_t got = data != NULL ? fread(data, 1, size, f) : 0;
    fclose(f);
    if (data == NULL || got != size) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(data);
        return 1;
    }
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    replayed++;
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_dir(const char *dir) {
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, by_name), failed = 0;
    if (n < 0) {
        perror(dir);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) failed |= run_file(path);
        free(names[i]);
    }
    free(names);
    return failed;
}

int main(int argc, char **argv) {
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            perror(argv[i]);
            failed = 1;
        } else {
            failed |= S_ISDIR(sb.st_mode) ? run_dir(argv[i]) : run_file(argv[i]);
        }
    }
    printf("replayed %d inputs\n", replayed);
    return failed || replayed == 0;
}
