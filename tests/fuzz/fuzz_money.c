/* fuzz_money.c — libFuzzer target: amounts. gj_money_parse on the raw bytes: an accepted text
 * has the documented shape ([+-]digits[.d or .dd]) and a value within ±GJ_FEN_MAX, and
 * gj_money_format gives text that parses back to the same value. gj_ratio_parse on the bytes
 * up to the first NUL: a ratio is 0..10000 basis points, and gj_fen_apply_ratio is symmetric
 * (apply(-a) == -apply(a)), as reversals rely on. */
#include <string.h>

#include "gongji/money.h"
#include "harness.h"

/* The shape the header promises: optional sign, digits, optionally a point and 1-2 digits. */
static bool amount_shape(const uint8_t *t, size_t n) {
    size_t i = n > 0 && (t[0] == '+' || t[0] == '-') ? 1 : 0, digits = 0, decimals = 0;
    for (; i < n && t[i] >= '0' && t[i] <= '9'; i++) digits++;
    if (i < n && t[i] == '.')
        for (i++; i < n && t[i] >= '0' && t[i] <= '9'; i++) decimals++;
    bool point = memchr(t, '.', n) != NULL;
    return i == n && digits > 0 && (!point || (decimals >= 1 && decimals <= 2));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    gj_fen fen = 0, again = 0;
    char text[GJ_YUAN_TEXT_MAX];
    if (gj_money_parse((const char *)data, size, &fen) == GJ_E_OK) {
        harness_check(amount_shape(data, size), "gj_money_parse accepted a malformed amount", NULL);
        harness_check(fen >= -GJ_FEN_MAX && fen <= GJ_FEN_MAX, "amount beyond GJ_FEN_MAX", NULL);
        gj_money_format(fen, text, sizeof text);
        harness_check(gj_money_parse(text, strlen(text), &again) == GJ_E_OK && again == fen,
                      "format then parse does not give the amount back", text);
    }
    char ratio[64];
    size_t len = strnlen((const char *)data, size < sizeof ratio - 1 ? size : sizeof ratio - 1);
    memcpy(ratio, data, len);
    ratio[len] = '\0';
    int32_t bp = 0;
    if (gj_ratio_parse(ratio, &bp) == GJ_E_OK) {
        harness_check(bp >= 0 && bp <= 10000, "ratio outside 0..1", ratio);
        harness_check(gj_fen_apply_ratio(-fen, bp) == -gj_fen_apply_ratio(fen, bp),
                      "apply_ratio is not symmetric", ratio);
    }
    return 0;
}
