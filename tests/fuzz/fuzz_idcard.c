/* fuzz_idcard.c — libFuzzer target: resident ID numbers. gj_idcard_parse on the raw bytes: an
 * accepted number is 18 characters, 17 digits and its check character, with a birth date not
 * after today and the gender its 17th digit says; gj_idcard_mask keeps at most the first and
 * last 4 characters and stars the rest, in any buffer size. */
#include <string.h>

#include "gongji/idcard.h"
#include "harness.h"

static void check_mask(const char *id, size_t buf_len) {
    char buf[40];
    size_t len = strlen(id);
    gj_idcard_mask(id, buf, buf_len);
    harness_check(strlen(buf) == (len < buf_len ? len : buf_len - 1), "mask length", buf);
    for (size_t i = 0; buf[i] != '\0'; i++) {
        bool kept = len > 8 && (i < 4 || i >= len - 4);
        harness_check(kept ? buf[i] == id[i] : buf[i] == '*', "mask reveals a hidden character", NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    gj_status st;
    gj_idcard card;
    gj_date today = gj_date_from_ymd(2026, 3, 10);
    gj_status_clear(&st);
    if (gj_idcard_parse((const char *)data, size, today, &card, &st) == GJ_E_OK) {
        const char *t = (const char *)data;
        harness_check(size == GJ_IDCARD_LEN, "accepted an ID that is not 18 characters", NULL);
        harness_check(gj_idcard_check_char(t) == (t[17] == 'x' ? 'X' : t[17]), "checksum", NULL);
        harness_check(card.birth <= today, "birth after today", NULL);
        harness_check(card.gender == ((t[16] - '0') % 2 == 1 ? 1 : 2), "gender", NULL);
        harness_check(strncmp(card.admdvs, t, 6) == 0 && strlen(card.admdvs) == 6, "region", NULL);
    } else {
        harness_check(strstr(st.detail, "id number:") == st.detail, "refusal without its reason", st.detail);
    }
    char id[32];
    size_t len = strnlen((const char *)data, size < sizeof id - 1 ? size : sizeof id - 1);
    memcpy(id, data, len);
    id[len] = '\0';
    for (size_t buf_len = 1; buf_len <= 24; buf_len += 7) check_mask(id, buf_len);
    check_mask(id, sizeof id + 8);
    return 0;
}
