/* codes.c — code tables of the domain vocabulary (domain.h) and of the national interface. */
#include <assert.h>
#include <string.h>

#include "gongji/domain.h"

typedef struct {
    const char *code, *zh;
} code_name;

static const code_name relations[GJ_REL_COUNT] = {
    {"spouse", "配偶"}, {"parent", "父母"}, {"child", "子女"}, {"sibling", "兄弟姐妹"},
    {"grandparent_paternal", "祖父母"}, {"grandparent_maternal", "外祖父母"},
    {"grandchild_paternal", "孙子女"}, {"grandchild_maternal", "外孙子女"},
};
static const code_name layers[GJ_LAYER_COUNT] = {{"current", "当年账户"}, {"prior", "历年结余"}};
static const code_name classes[GJ_CLASS_COUNT] = {
    {"fulamt_ownpay", "全自费"}, {"overlmt_selfpay", "超限价自费"},
    {"preselfpay", "先行自付"}, {"inscp_self", "政策范围内个人负担"},
};
static const code_name categories[GJ_CAT_COUNT] = {
    {"public_health", "公共卫生"}, {"fitness", "体育健身"}, {"wellness", "养生保健"},
    {"cosmetology", "医疗美容"}, {"cosmetic_surgery", "非功能性整形"}, {"weight_loss", "减肥"},
    {"bodybuilding", "健美"}, {"health_checkup", "健康体检"}, {"vaccination", "预防接种"},
    {"rehabilitation", "康复"},
};

static int find_code(const code_name *table, int n, const char *code) {
    if (code == NULL) return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(table[i].code, code) == 0) return i;
    return -1;
}

const char *gj_relation_code(gj_relation r) { assert(r < GJ_REL_COUNT); return relations[r].code; }
const char *gj_relation_zh(gj_relation r) { assert(r < GJ_REL_COUNT); return relations[r].zh; }
int gj_relation_parse(const char *code) { return find_code(relations, GJ_REL_COUNT, code); }
const char *gj_layer_code(gj_layer l) { assert(l < GJ_LAYER_COUNT); return layers[l].code; }
const char *gj_layer_zh(gj_layer l) { assert(l < GJ_LAYER_COUNT); return layers[l].zh; }
int gj_layer_parse(const char *code) { return find_code(layers, GJ_LAYER_COUNT, code); }
const char *gj_class_code(gj_bill_class c) { assert(c < GJ_CLASS_COUNT); return classes[c].code; }
const char *gj_class_zh(gj_bill_class c) { assert(c < GJ_CLASS_COUNT); return classes[c].zh; }
int gj_class_parse(const char *code) { return find_code(classes, GJ_CLASS_COUNT, code); }
const char *gj_category_code(gj_category c) { assert(c < GJ_CAT_COUNT); return categories[c].code; }
const char *gj_category_zh(gj_category c) { assert(c < GJ_CAT_COUNT); return categories[c].zh; }
int gj_category_parse(const char *code) { return find_code(categories, GJ_CAT_COUNT, code); }

int gj_mode_parse(const char *code) {
    if (code == NULL) return -1;
    if (strcmp(code, "payment") == 0) return GJ_MODE_PAYMENT;
    if (strcmp(code, "contribution") == 0) return GJ_MODE_CONTRIBUTION;
    return -1;
}

int gj_modes_parse(const char *list) {
    if (list == NULL || *list == '\0') return -1;
    int mask = 0;
    char word[16];
    for (const char *p = list; *p != '\0';) {
        size_t n = strcspn(p, ",");
        if (n == 0 || n >= sizeof word) return -1;
        memcpy(word, p, n);
        word[n] = '\0';
        int m = gj_mode_parse(word);
        if (m < 0) return -1;
        mask |= m;
        p += n;
        if (*p == ',') p++;
    }
    return mask;
}

static bool in_list(const char *const *list, const char *code) {
    if (code == NULL) return false;
    for (; *list != NULL; list++)
        if (strcmp(*list, code) == 0) return true;
    return false;
}

bool gj_insutype_known(const char *code) {
    static const char *const list[] = {"310", "320", "330", "340", "370", "390", "391", "392",
                                       "399", NULL};
    return in_list(list, code);
}
bool gj_med_type_known(const char *code) {
    static const char *const list[] = {"11", "12", "13", "14", "15", "16", "21", "22", "23",
                                       "24", "25", "26", "28", "41", "51", "52", NULL};
    return in_list(list, code);
}
bool gj_cert_type_known(const char *code) {
    static const char *const list[] = {"01", "02", "03", "04", "05", "06", "07", "08", "90",
                                       "99", NULL};
    return in_list(list, code);
}
bool gj_mdtrt_cert_type_known(const char *code) {
    static const char *const list[] = {"01", "02", "03", NULL};
    return in_list(list, code);
}

static bool ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool gj_fixmedins_code_valid(const char *code) {
    enum { FIXMEDINS_CODE_LEN = 12 };
    if (code == NULL || strlen(code) != FIXMEDINS_CODE_LEN) return false;
    for (const char *p = code; *p != '\0'; p++)
        if (!ascii_alnum(*p)) return false;
    return true;
}
