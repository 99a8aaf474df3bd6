/* hex.h — bytes as lowercase hexadecimal (digests, keys, signatures), without printf. */
#ifndef GONGJI_HEX_H
#define GONGJI_HEX_H

#include <stddef.h>

/* Write 2 * n hex digits and a NUL to out (which holds 2 * n + 1 bytes). */
void gj_hex_encode(const unsigned char *raw, size_t n, char *out);

#endif
