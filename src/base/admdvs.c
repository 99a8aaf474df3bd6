/* admdvs.c — 6-digit region codes (GB/T 2260): the 34 provincial codes and their names,
 * validity, and the province / prefecture (pooling) region a code belongs to.
 *
 * Province and city of an invalid code are "" so they never compare equal to anything. */
#include "gongji/admdvs.h"

#include <assert.h>
#include <string.h>

static const struct {
    char code[3];
    const char *name;
} provinces[] = {
    {"11", "北京市"}, {"12", "天津市"}, {"13", "河北省"}, {"14", "山西省"},
    {"15", "内蒙古自治区"},
    {"21", "辽宁省"}, {"22", "吉林省"}, {"23", "黑龙江省"},
    {"31", "上海市"}, {"32", "江苏省"}, {"33", "浙江省"}, {"34", "安徽省"},
    {"35", "福建省"}, {"36", "江西省"}, {"37", "山东省"},
    {"41", "河南省"}, {"42", "湖北省"}, {"43", "湖南省"}, {"44", "广东省"},
    {"45", "广西壮族自治区"}, {"46", "海南省"},
    {"50", "重庆市"}, {"51", "四川省"}, {"52", "贵州省"}, {"53", "云南省"},
    {"54", "西藏自治区"},
    {"61", "陕西省"}, {"62", "甘肃省"}, {"63", "青海省"}, {"64", "宁夏回族自治区"},
    {"65", "新疆维吾尔自治区"},
    {"71", "台湾省"}, {"81", "香港特别行政区"}, {"82", "澳门特别行政区"},
};

/* Municipalities directly under the central government: the whole province is one city. */
static const char municipalities[][3] = {"11", "12", "31", "50"};

static const char national_code[] = "000000";

/* Index into provinces[] for the code's first two digits, or -1. */
static int province_index(const char *code) {
    for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
        if (memcmp(code, provinces[i].code, 2) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static bool is_municipality(const char *code) {
    for (size_t i = 0; i < sizeof municipalities / sizeof municipalities[0]; i++) {
        if (memcmp(code, municipalities[i], 2) == 0) {
            return true;
        }
    }
    return false;
}

static bool six_digits(const char *code) {
    if (strnlen(code, GJ_ADMDVS_LEN + 1) != GJ_ADMDVS_LEN) {
        return false;
    }
    for (size_t i = 0; i < GJ_ADMDVS_LEN; i++) {
        if (code[i] < '0' || code[i] > '9') {
            return false;
        }
    }
    return true;
}

bool gj_admdvs_valid(const char *code) {
    if (code == NULL || !six_digits(code)) {
        return false;
    }
    return strcmp(code, national_code) == 0 || province_index(code) >= 0;
}

/* The first `keep` digits of a valid code, padded with zeros to 6; "" when invalid. */
static void code_prefix(const char *code, size_t keep, char buf[7]) {
    assert(buf != NULL && keep <= GJ_ADMDVS_LEN);
    if (!gj_admdvs_valid(code)) {
        buf[0] = '\0';
        return;
    }
    memcpy(buf, code, keep);
    memset(buf + keep, '0', GJ_ADMDVS_LEN - keep);
    buf[GJ_ADMDVS_LEN] = '\0';
}

void gj_admdvs_province(const char *code, char buf[7]) { code_prefix(code, 2, buf); }

void gj_admdvs_city(const char *code, char buf[7]) {
    bool municipality = gj_admdvs_valid(code) && is_municipality(code);
    code_prefix(code, municipality ? 2 : 4, buf);
}

static bool same_region(const char *a, const char *b, void (*region)(const char *, char[7])) {
    char region_a[7], region_b[7];
    region(a, region_a);
    region(b, region_b);
    return region_a[0] != '\0' && strcmp(region_a, region_b) == 0;
}

bool gj_admdvs_same_province(const char *a, const char *b) {
    return same_region(a, b, gj_admdvs_province);
}

bool gj_admdvs_same_city(const char *a, const char *b) {
    return same_region(a, b, gj_admdvs_city);
}

/* The national code 000000 is not a province: NULL. */
const char *gj_admdvs_province_name(const char *code) {
    if (!gj_admdvs_valid(code)) {
        return NULL;
    }
    int index = province_index(code);
    return index >= 0 ? provinces[index].name : NULL;
}
