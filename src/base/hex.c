/* hex.c — bytes as lowercase hexadecimal: a table lookup per nibble (snprintf("%02x") per byte
 * cost ~1,000 instructions, 64 k per SHA-256 digest, on every settlement's hash chain). */
#include <assert.h>

#include "gongji/hex.h"

void gj_hex_encode(const unsigned char *raw, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    assert(raw != NULL || n == 0);
    assert(out != NULL);
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[raw[i] >> 4];
        out[2 * i + 1] = digits[raw[i] & 0x0f];
    }
    out[2 * n] = '\0';
}
