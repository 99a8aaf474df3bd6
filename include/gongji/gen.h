/* gen.h — a deterministic synthetic population (families, schemes, balances) written as the
 * person CSV that `gongji import persons` reads. The same seed gives the same file. */
#ifndef GONGJI_GEN_H
#define GONGJI_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gongji/gjtime.h"

enum { GJ_GEN_FAMILIES_MAX = 5000000 };

typedef struct {
    uint64_t seed;
    long families;            /* 1..GJ_GEN_FAMILIES_MAX */
    gj_date today;            /* ages are computed against this date */
    bool with_demo_people;    /* first rows: the README's named people */
    bool progress;
} gj_gen_params;

/* Write the header and every person; returns the number of persons written, -1 on bad params. */
long gj_gen_persons(FILE *out, const gj_gen_params *p);

#endif
