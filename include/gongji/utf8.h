/* utf8.h — UTF-8 as JSON texts must carry it (RFC 8259 §8.1): no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
#ifndef GONGJI_UTF8_H
#define GONGJI_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 character at s, or 0 when s starts no valid character.
 * Reads at most as far as the character's bytes are valid, so a NUL-terminated s is safe. */
size_t gj_utf8_char_len(const unsigned char *s);

#endif
