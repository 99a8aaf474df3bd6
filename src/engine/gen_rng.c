/* gen_rng.c — the generator's random numbers: splitmix64 streams and integer draws
 * (gen_internal.h). The exponential multipliers come from a fixed quantile table, so no
 * floating point is involved and every machine draws the same values. */
#include <assert.h>

#include "gen_internal.h"

/* −ln(1 − i/64) × 1000 for i = 0..63, then −ln(1/256) × 1000 as the tail's end. */
static const int exp_quantile_milli[65] = {
    0,    16,   32,   48,   65,   81,   98,   116,  134,  152,  170,  189,  208,
    227,  247,  267,  288,  309,  330,  352,  375,  398,  421,  445,  470,  495,
    521,  548,  575,  604,  633,  662,  693,  725,  758,  792,  827,  863,  901,
    940,  981,  1023, 1068, 1114, 1163, 1214, 1269, 1326, 1386, 1451, 1520, 1594,
    1674, 1761, 1856, 1962, 2079, 2213, 2367, 2549, 2773, 3060, 3466, 4159, 5545};

static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

gen_rng gen_rng_for(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
    uint64_t s = mix(seed + 0x9E3779B97F4A7C15ull);
    s = mix(s ^ (a * 0xD1B54A32D192ED03ull));
    s = mix(s ^ (b * 0x8CB92BA72F3D8DD7ull));
    return (gen_rng){.state = mix(s ^ (c * 0xABC98388FB8FAC03ull))};
}

uint64_t gen_next(gen_rng *r) {
    r->state += 0x9E3779B97F4A7C15ull;
    return mix(r->state);
}

int gen_uniform(gen_rng *r, int lo, int hi) {
    assert(hi >= lo);
    return lo + (int)(gen_next(r) % (uint64_t)((int64_t)hi - lo + 1));
}

bool gen_chance(gen_rng *r, int permille) { return gen_uniform(r, 0, 999) < permille; }

int gen_weighted(gen_rng *r, const int *weights, int count) {
    long total = 0;
    for (int i = 0; i < count; i++) total += weights[i];
    assert(total > 0);
    long pick = (long)(gen_next(r) % (uint64_t)total);
    for (int i = 0; i < count; i++) {
        if (pick < weights[i]) return i;
        pick -= weights[i];
    }
    return count - 1;
}

int gen_exp_milli(gen_rng *r) {
    int u = gen_uniform(r, 0, 64 * 1024 - 1), bucket = u >> 10, frac = u & 1023;
    int lo = exp_quantile_milli[bucket], hi = exp_quantile_milli[bucket + 1];
    return lo + (hi - lo) * frac / 1024;
}

gj_fen gen_scale(gj_fen amount, int milli) {
    assert(amount >= 0 && amount < GJ_FEN_MAX / 10000 && milli >= 0 && milli <= 10000);
    return amount * milli / 1000;
}

int gen_age_band(const gj_gen_params *p, int age) {
    int band = 0;
    while (band + 1 < GJ_GEN_AGE_BANDS && age >= p->age_bands[band + 1]) band++;
    return band;
}
