/* gen_internal.h — what the generator's files share: a small deterministic random number
 * generator (splitmix64), integer draws (uniform, per-mille, weighted, roughly exponential
 * multipliers) and the age band of an age. No floating point: the same seed gives the same
 * numbers on every machine. */
#ifndef GONGJI_GEN_INTERNAL_H
#define GONGJI_GEN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "gongji/gen.h"

typedef struct {
    uint64_t state;
} gen_rng;

/* A generator for one stream: the seed mixed with up to three stream numbers. */
gen_rng gen_rng_for(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);
uint64_t gen_next(gen_rng *r);
int gen_uniform(gen_rng *r, int lo, int hi);              /* inclusive */
bool gen_chance(gen_rng *r, int permille);
/* Index drawn with probability weights[i] / sum(weights); weights ≥ 0, sum > 0. */
int gen_weighted(gen_rng *r, const int *weights, int count);
/* A multiplier in thousandths, distributed approximately Exp(1) (mean ≈ 996, at most 5545). */
int gen_exp_milli(gen_rng *r);
/* amount × milli / 1000 without overflow for generator-sized amounts. */
gj_fen gen_scale(gj_fen amount, int milli);

/* Consistency of a whole parameter set (gen_check.c), naming the key at fault. */
gj_err gen_params_check(const gj_gen_params *p, gj_status *st);

/* The failure of a generation stopped by the caller (gj_gen_stopped), naming the signal. */
gj_err gen_stopped_failure(const gj_gen_params *p, gj_status *st);

/* Index of the age band `age` falls in (p->age_bands are increasing lower bounds). */
int gen_age_band(const gj_gen_params *p, int age);

#endif
