/* money.h — money as int64 fen (1 yuan = 100 fen); exact parsing and formatting of yuan.
 *
 * No floating point ever touches an amount. Interfaces carry yuan with at most two decimals,
 * as a JSON number (12.3) or a string ("12.30"); both parse to exactly 1230 fen. */
#ifndef GONGJI_MONEY_H
#define GONGJI_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gongji/error.h"

typedef int64_t gj_fen;

/* Largest amount accepted anywhere: 10^13 yuan in fen fits comfortably in int64 sums. */
#define GJ_FEN_MAX ((gj_fen)1000000000000000LL)  /* 10 trillion yuan */
enum { GJ_YUAN_TEXT_MAX = 32 };                  /* "-10000000000000.00" + NUL fits */

/* Parse yuan text such as "12", "12.3", "12.30", "-0.5", "+3". Rejects: empty, spaces,
 * exponents, a bare sign, a point without digits on both sides ("1." and ".5" → BAD_AMOUNT),
 * more than 2 decimals ("1.234" → BAD_AMOUNT, even "1.230"), magnitude above GJ_FEN_MAX
 * (AMOUNT_OVERFLOW), leading/trailing junk. `len` bytes of `text` are read. */
gj_err gj_money_parse(const char *text, size_t len, gj_fen *out_fen);

/* Format fen as yuan with exactly two decimals ("12.30", "-0.05") into buf (≥ GJ_YUAN_TEXT_MAX).
 * Returns buf. */
char *gj_money_format(gj_fen fen, char *buf, size_t buf_len);

/* Checked arithmetic: false (and *out untouched) when the result leaves ±GJ_FEN_MAX. */
bool gj_fen_add(gj_fen a, gj_fen b, gj_fen *out);
bool gj_fen_sub(gj_fen a, gj_fen b, gj_fen *out);

/* amount × ratio / 10000, rounded half up, ratio in basis points of 1/10000 (7000 = 70%).
 * Halves round away from zero for negative amounts, so apply(-a, r) == -apply(a, r). */
gj_fen gj_fen_apply_ratio(gj_fen amount_fen, int32_t ratio_bp);

/* Parse a ratio "0.7", "0.70", "0.9500", "1" into basis points (7000); at most 4 decimals,
 * between 0 and 1, one integer digit ("1.", ".5", "+0.5" refused); refusals → BAD_FIELD. */
gj_err gj_ratio_parse(const char *text, int32_t *out_bp);

static inline gj_fen gj_fen_min(gj_fen a, gj_fen b) { return a < b ? a : b; }
static inline gj_fen gj_fen_max(gj_fen a, gj_fen b) { return a > b ? a : b; }

#endif
