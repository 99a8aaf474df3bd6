/* utf8.h — UTF-8 as JSON texts must carry it (RFC 8259 §8.1): no overlong forms, no surrogates,
 * nothing above U+10FFFF. Inline: the JSON writer checks every character of every answer. */
#ifndef GONGJI_UTF8_H
#define GONGJI_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length (1-4) of the valid UTF-8 character at s, or 0 when s starts no valid character.
 * Reads at most as far as the character's bytes are valid, so a NUL-terminated s is safe. */
static inline size_t gj_utf8_char_len(const unsigned char *s) {
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
             : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    unsigned char lo = s[0] == 0xE0 ? 0xA0 : s[0] == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = s[0] == 0xED ? 0x9F : s[0] == 0xF4 ? 0x8F : 0xBF;
    for (size_t i = 1; i < n; i++)
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF)) return 0;
    return n;
}

/* Whether the NUL-terminated s is valid UTF-8 throughout. */
static inline bool gj_utf8_valid(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t n = 0; *u != '\0'; u += n)
        if ((n = gj_utf8_char_len(u)) == 0) return false;
    return true;
}

#endif
