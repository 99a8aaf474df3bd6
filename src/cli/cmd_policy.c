/* cmd_policy.c — policy commands (R7, R8.3): check, list and show the regional policy files.
 * They need only the policy set (no database). Text mode of `policy show` is a bilingual
 * summary of the resolved settings. */
#include <string.h>

#include "cli.h"
#include "gongji/policy_json.h"
#include "text.h"

static gj_err run_policy_check(cli_ctx *c, json_t **out, gj_status *st) {
    gj_policy_set *set = NULL;
    gj_err err = cli_policies(c, &set, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:i, s:b}", "dir", c->policy_dir, "files",
                         gj_policy_set_count(set), "ok", 1);
    return err;
}

static void print_policy_check(FILE *f, const json_t *out) {
    json_int_t files = json_integer_value(json_object_get(out, "files"));
    fprintf(f, "%" JSON_INTEGER_FORMAT " files OK\n", files);
}

static gj_err run_policy_list(cli_ctx *c, json_t **out, gj_status *st) {
    gj_policy_set *set = NULL;
    gj_err err = cli_policies(c, &set, st);
    if (err == GJ_E_OK)
        *out = json_pack("{s:s, s:o}", "dir", c->policy_dir, "policies", gj_policy_list_json(set));
    return err;
}

static gj_err run_policy_show(cli_ctx *c, json_t **out, gj_status *st) {
    gj_date on = gj_time_date(gj_now());
    gj_policy_set *set = NULL;
    gj_err err = cli_date(c, "on", NULL, &on, st);
    if (err == GJ_E_OK) err = cli_policies(c, &set, st);
    if (err == GJ_E_OK) err = gj_policy_show_json(set, cli_pos(c, 0), on, out, st);
    return err;
}

/* ---- text summary of `policy show` ---- */

typedef struct {
    const char *path, *zh, *en;
} summary_row;

static const summary_row summary_rows[] = {
    {"region", "区划", "region"},
    {"on", "日期", "on"},
    {"version_id", "版本", "version"},
    {"settings.fund_model", "资金模式", "fund model"},
    {"settings.donor.schemes", "共济人险种", "donor schemes"},
    {"settings.donor.min_balance_yuan", "最低余额", "minimum balance"},
    {"settings.donor.reserve_floor_yuan", "保留余额", "reserve floor"},
    {"settings.donor.shareable_layers", "可共济账户", "shareable layers"},
    {"settings.donor.layer_order", "共济扣款顺序", "donor layer order"},
    {"settings.relations.payment", "共济支付亲属", "relations for payment"},
    {"settings.relations.contribution", "共济缴费亲属", "relations for contribution"},
    {"settings.relations.children_minor_only", "仅限未成年子女", "minor children only"},
    {"settings.relations.minor_age", "成年年龄", "age of majority"},
    {"settings.geography.scope", "地域范围", "geographic scope"},
    {"settings.network.max_members", "成员上限", "members per donor"},
    {"settings.network.donors_per_member", "每人共济人数", "donors per member"},
    {"settings.network.one_direction", "单向绑定", "one direction"},
    {"settings.network.consent_age", "本人确认年龄", "consent age"},
    {"settings.network.temporary_members", "临时成员", "temporary members"},
    {"settings.network.modes", "共济方式", "modes"},
    {"settings.network.commitment_required", "须签承诺书", "commitment required"},
    {"settings.network.authorized_amount", "授权金额", "authorized amount"},
    {"settings.network.consumption_limit_default_yuan", "默认消费限额", "default limit"},
    {"settings.network.consumption_limit_max_yuan", "消费限额上限", "maximum consumption limit"},
    {"settings.unbind.effect", "解绑生效", "unbind takes effect"},
    {"settings.unbind.rebind", "重新绑定", "rebinding"},
    {"settings.settlement.own_layer_order", "本人扣款顺序", "own layer order"},
    {"settings.settlement.donor_order", "共济人顺序", "donor order"},
    {"settings.settlement.own_payable_classes", "本人账户可付", "own account pays"},
    {"settings.settlement.mulaid_payable_classes", "共济可付", "mutual aid pays"},
    {"settings.settlement.mulaid_in_acct_pay", "共济计入账户支付", "acct_pay includes mutual aid"},
    {"settings.settlement.excluded_categories", "不得支付项目", "excluded spending"},
    {"settings.settlement.relief_exclusion", "不纳入减负", "excluded from relief"},
    {"settings.premium.late_payment_allowed", "征缴期外缴费", "late payment allowed"},
    {"settings.premium.late_waiting_months", "等待期(月)", "late waiting months"},
    {"settings.premium.min_remaining_yuan", "缴费后最低余额", "minimum remaining balance"},
};

/* json_object_get along a dotted path ("settings.donor.schemes"). */
static const json_t *json_path(const json_t *v, const char *path) {
    char key[64];
    while (v != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        v = json_object_get(v, key);
        path += n + (path[n] == '.' ? 1 : 0);
    }
    return v;
}

static const char *summary_label(const summary_row *row, char *buf, size_t buf_len) {
    snprintf(buf, buf_len, "%s / %s:", row->zh, row->en);
    return buf;
}

/* fund {insutype: {med_type: rule}} as rows for a table. */
static json_t *fund_rows(const json_t *fund) {
    json_t *rows = json_array();
    const char *insutype, *med_type;
    json_t *scheme, *rule;
    json_object_foreach((json_t *)fund, insutype, scheme) {
        json_object_foreach(scheme, med_type, rule) {
            json_t *row = json_pack("{s:s, s:s}", "insutype", insutype, "med_type", med_type);
            json_object_update(row, rule);
            json_array_append_new(rows, row);
        }
    }
    return rows;
}

static json_t *premium_rows(const json_t *standards) {
    json_t *rows = json_array();
    const char *year;
    json_t *standard;
    json_object_foreach((json_t *)standards, year, standard) {
        json_t *row = json_pack("{s:s}", "year", year);
        json_object_update(row, standard);
        json_array_append_new(rows, row);
    }
    return rows;
}

static void print_section(FILE *f, const char *zh, const char *en, json_t *rows) {
    fprintf(f, "\n%s / %s:\n", zh, en);
    if (json_array_size(rows) == 0) fputs("  -\n", f);
    else text_print_list(f, rows, TEXT_INDENT_STEP);
    json_decref(rows);
}

static void print_policy_show(FILE *f, const json_t *out) {
    enum { ROW_COUNT = sizeof summary_rows / sizeof summary_rows[0] };
    char buf[TEXT_CELL_MAX], label[TEXT_CELL_MAX];
    size_t label_columns = 0;
    for (size_t i = 0; i < ROW_COUNT; i++) {
        size_t w = text_width(summary_label(&summary_rows[i], label, sizeof label));
        if (w > label_columns) label_columns = w;
    }
    for (size_t i = 0; i < ROW_COUNT; i++) {
        text_pad(f, summary_label(&summary_rows[i], label, sizeof label), label_columns + 1, false);
        fprintf(f, "%s\n", text_inline(json_path(out, summary_rows[i].path), buf, sizeof buf));
    }
    print_section(f, "基金支付", "pooled fund", fund_rows(json_path(out, "settings.fund")));
    print_section(f, "居民保费标准", "premium standards",
                  premium_rows(json_path(out, "settings.premium.standards")));
    print_section(f, "商业健康保险专属产品", "exclusive commercial products",
                  json_incref((json_t *)json_path(out, "settings.commercial.products")));
}


const cli_command cli_policy_commands[] = {
    {"policy", "check", "Load and validate every policy file / 校验政策文件",
     "Prints \"N files OK\", or the first problem (file, JSON path, reason) and exits 3.",
     NULL, NULL, "gongji policy check --policies policies/", NULL, run_policy_check,
     print_policy_check},
    {"policy", "list", "List regional policy files and version dates / 列出政策文件",
     NULL, NULL, NULL, "gongji policy list", NULL, run_policy_list, NULL},
    {"policy", "show", "Show the settings in force for a region on a date / 查询生效政策",
     "Resolves national → province → city versions in force on the date (docs/policies.md) and\n"
     "prints the version id and the settings (--json: in the policy-file shape).",
     CLI_ARGS({"REGION", "6-digit region code (医保区划), e.g. 430100", false}),
     CLI_OPTS({"on", "DATE", "date yyyy-MM-dd (default: today, see --now)", false}),
     "gongji policy show 430100 --on 2025-03-01\ngongji policy show 310000 --on 2025-03-01 --json",
     NULL, run_policy_show, print_policy_show},
    CLI_END,
};
