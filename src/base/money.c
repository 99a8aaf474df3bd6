/* money.c — exact yuan text ⇄ int64 fen, checked fen arithmetic, ratios in basis points.
 *
 * Integer arithmetic only: no floating point touches an amount or a ratio. */
#include "gongji/money.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

/* 128-bit intermediate for amount × ratio (GCC/Clang extension, marked so -Wpedantic is quiet). */
__extension__ typedef __int128 gj_wide;

enum { FEN_PER_YUAN = 100, BP_PER_UNIT = 10000, YUAN_DECIMALS_MAX = 2, RATIO_DECIMALS_MAX = 4 };
/* Fractions longer than the allowed decimals are refused, so their value only needs a cap. */
enum { FRACTION_CAP = 1000000 };

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* A run of decimal digits starting at text[*pos] (at most up to len). Accumulates into *value,
 * saturating at `cap` + 1 so callers can tell "too big" without overflowing. Returns the
 * number of digits read and advances *pos past them. */
static size_t read_digits(const char *text, size_t len, size_t *pos, uint64_t cap,
                          uint64_t *value) {
    size_t count = 0;
    while (*pos < len && is_digit(text[*pos])) {
        uint64_t digit = (uint64_t)(text[*pos] - '0');
        if (*value <= cap) {
            *value = *value * 10u + digit;
        }
        if (*value > cap) {
            *value = cap + 1u;
        }
        (*pos)++;
        count++;
    }
    return count;
}

/* Scales `decimals` digits of a fraction to `scale_digits` (e.g. "3" of 2 → 30). */
static uint64_t scale_fraction(uint64_t fraction, size_t decimals, size_t scale_digits) {
    assert(decimals <= scale_digits);
    for (size_t i = decimals; i < scale_digits; i++) {
        fraction *= 10u;
    }
    return fraction;
}

gj_err gj_money_parse(const char *text, size_t len, gj_fen *out_fen) {
    const uint64_t max_fen = (uint64_t)GJ_FEN_MAX;
    if (text == NULL || len == 0) {
        return GJ_E_BAD_AMOUNT;
    }
    size_t pos = 0;
    bool negative = false;
    if (text[0] == '+' || text[0] == '-') {
        negative = text[0] == '-';
        pos++;
    }
    uint64_t yuan = 0;
    if (read_digits(text, len, &pos, max_fen / FEN_PER_YUAN, &yuan) == 0) {
        return GJ_E_BAD_AMOUNT;   /* "", "-", ".5" */
    }
    uint64_t fraction = 0;
    size_t decimals = 0;
    if (pos < len && text[pos] == '.') {
        pos++;
        decimals = read_digits(text, len, &pos, FRACTION_CAP, &fraction);
        if (decimals == 0 || decimals > YUAN_DECIMALS_MAX) {
            return GJ_E_BAD_AMOUNT;   /* "1.", "1.234", "1.230" */
        }
    }
    if (pos != len) {
        return GJ_E_BAD_AMOUNT;       /* junk: spaces, exponents, second point, NUL */
    }
    if (yuan > max_fen / FEN_PER_YUAN) {
        return GJ_E_AMOUNT_OVERFLOW;
    }
    uint64_t fen = yuan * FEN_PER_YUAN + scale_fraction(fraction, decimals, YUAN_DECIMALS_MAX);
    if (fen > max_fen) {
        return GJ_E_AMOUNT_OVERFLOW;
    }
    *out_fen = negative ? -(gj_fen)fen : (gj_fen)fen;
    return GJ_E_OK;
}

char *gj_money_format(gj_fen fen, char *buf, size_t buf_len) {
    assert(buf != NULL && buf_len > 0);
    /* Magnitude in unsigned arithmetic so INT64_MIN formats too. */
    uint64_t magnitude = fen < 0 ? 0u - (uint64_t)fen : (uint64_t)fen;
    /* Digits from the right, without printf (a settlement formats ~40 amounts). */
    char text[GJ_YUAN_TEXT_MAX];
    char *p = text + sizeof text;
    *--p = '\0';
    *--p = (char)('0' + magnitude % 10);
    *--p = (char)('0' + magnitude / 10 % 10);
    *--p = '.';
    uint64_t yuan = magnitude / FEN_PER_YUAN;
    do {
        *--p = (char)('0' + yuan % 10);
        yuan /= 10;
    } while (yuan > 0);
    if (fen < 0) *--p = '-';
    size_t len = (size_t)(text + sizeof text - p);   /* with the NUL */
    if (len > buf_len) len = buf_len;                /* truncated like snprintf */
    memcpy(buf, p, len);
    buf[len - 1] = '\0';
    return buf;
}

static bool fen_in_range(gj_fen v) { return v >= -GJ_FEN_MAX && v <= GJ_FEN_MAX; }

bool gj_fen_add(gj_fen a, gj_fen b, gj_fen *out) {
    gj_fen sum;
    if (__builtin_add_overflow(a, b, &sum) || !fen_in_range(sum)) {
        return false;
    }
    *out = sum;
    return true;
}

bool gj_fen_sub(gj_fen a, gj_fen b, gj_fen *out) {
    gj_fen difference;
    if (__builtin_sub_overflow(a, b, &difference) || !fen_in_range(difference)) {
        return false;
    }
    *out = difference;
    return true;
}

/* Half up on the magnitude (half away from zero), so apply(-a, r) == -apply(a, r) and a
 * reversal exactly cancels the original. */
gj_fen gj_fen_apply_ratio(gj_fen amount_fen, int32_t ratio_bp) {
    gj_wide product = (gj_wide)amount_fen * ratio_bp;
    bool negative = product < 0;
    gj_wide magnitude = negative ? -product : product;
    gj_wide rounded = (magnitude + BP_PER_UNIT / 2) / BP_PER_UNIT;
    gj_wide result = negative ? -rounded : rounded;
    /* |ratio| ≤ 10000 always fits; larger ratios are a caller's bug if they overflow. */
    assert(result >= INT64_MIN && result <= INT64_MAX);
    return (gj_fen)result;
}

gj_err gj_ratio_parse(const char *text, int32_t *out_bp) {
    if (text == NULL || (text[0] != '0' && text[0] != '1')) {
        return GJ_E_BAD_FIELD;        /* one integer digit, 0 or 1; no sign, no ".5" */
    }
    uint64_t bp = (uint64_t)(text[0] - '0') * BP_PER_UNIT;
    size_t pos = 1;
    if (text[pos] == '.') {
        pos++;
        uint64_t fraction = 0;
        size_t decimals = read_digits(text, SIZE_MAX, &pos, FRACTION_CAP, &fraction);
        if (decimals == 0 || decimals > RATIO_DECIMALS_MAX) {
            return GJ_E_BAD_FIELD;    /* "1.", "0.12345" */
        }
        bp += scale_fraction(fraction, decimals, RATIO_DECIMALS_MAX);
    }
    if (text[pos] != '\0' || bp > BP_PER_UNIT) {
        return GJ_E_BAD_FIELD;
    }
    *out_bp = (int32_t)bp;
    return GJ_E_OK;
}
