/* idcard.h — resident identity numbers (GB 11643-1999): checksum, birth date, gender. */
#ifndef GONGJI_IDCARD_H
#define GONGJI_IDCARD_H

#include <stddef.h>

#include "gongji/error.h"
#include "gongji/gjtime.h"

enum { GJ_IDCARD_LEN = 18 };

typedef struct {
    char admdvs[7];   /* issuing region, the first 6 digits */
    gj_date birth;
    int gender;       /* national gend code: 1 male, 2 female */
} gj_idcard;

/* Validate an 18-character resident ID: 17 digits + check character (0-9 or X/x), a real
 * birth date not after `today`, the ISO 7064 MOD 11-2 checksum. Fills *out when non-NULL.
 * Returns GJ_E_BAD_ID_NUMBER (with the reason in st->detail: length, digits, date, checksum). */
gj_err gj_idcard_parse(const char *text, size_t len, gj_date today, gj_idcard *out,
                       gj_status *st);

/* An ID that gj_idcard_parse accepted, in the form it is stored and compared in: a check
 * character 'x' written 'X' (GB 11643 prints it uppercase; card readers and typists send
 * either). In place; anything else is left as it is. */
void gj_idcard_canonical(char *id);

/* The check character for 17 digits (for generators and tests). */
char gj_idcard_check_char(const char digits17[17]);

/* Mask for logs and receipts: "4301**********123X" (first 4, last 4). */
char *gj_idcard_mask(const char *id, char *buf, size_t buf_len);

#endif
