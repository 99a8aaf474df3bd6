/* admdvs.h — 6-digit medical-insurance region codes (GB/T 2260): validity, province, city. */
#ifndef GONGJI_ADMDVS_H
#define GONGJI_ADMDVS_H

#include <stdbool.h>
#include <stddef.h>

#include "gongji/error.h"

enum { GJ_ADMDVS_LEN = 6 };

/* Exactly 6 digits, province part one of the 34 GB/T 2260 provincial codes (11..82),
 * 000000 is the national code. */
bool gj_admdvs_valid(const char *code);
/* "430100" → "430000" (buf ≥ 7). */
void gj_admdvs_province(const char *code, char buf[7]);
/* "430102" → "430100": the prefecture-level (pooling) region; municipalities (11,12,31,50)
 * are their own province. */
void gj_admdvs_city(const char *code, char buf[7]);
bool gj_admdvs_same_province(const char *a, const char *b);
bool gj_admdvs_same_city(const char *a, const char *b);
/* Chinese name of the province ("湖南省") or NULL. */
const char *gj_admdvs_province_name(const char *code);

#endif
