/* cmd_settle.c — settlement and contributions (R4, R5): `call` sends one national-interface
 * envelope through the engine, `settle explain` prints the stored explanation one rule per
 * line, `premium pay` / `premium product` pay for a member from the donor's account. */
#include <string.h>

#include "cli.h"
#include "gongji/jsonx.h"
#include "print.h"
#include "text.h"

enum { YEAR_MIN = 2000, YEAR_MAX = 2100, EXPLAIN_GAP = 2,
       CALL_REFUSED_EXIT = 3 };

/* infcode -1 (number or string, as clients send both) marks a refused request. */
static bool call_refused(const json_t *response) {
    const json_t *code = json_object_get(response, "infcode");
    return (json_is_integer(code) && json_integer_value(code) == -1) ||
           (json_is_string(code) && strcmp(json_string_value(code), "-1") == 0);
}

static const char *string_or_empty(const json_t *v) {
    return json_is_string(v) ? json_string_value(v) : "";
}

static bool err_from_name(const char *name, size_t name_len, gj_err *out) {
    for (int code = 0; code < GJ_E_COUNT_; code++) {
        const char *candidate = gj_err_name((gj_err)code);
        if (strlen(candidate) == name_len && strncmp(candidate, name, name_len) == 0) {
            *out = (gj_err)code;
            return true;
        }
    }
    return false;
}

/* A refused response (err_code, err_detail) back to a status, so it prints like every other
 * refusal: the catalogue supplies the messages, err_detail the particulars. */
static void status_from_response(const json_t *response, gj_status *st) {
    const char *name = string_or_empty(json_object_get(response, "err_code"));
    gj_err code = GJ_E_INTERNAL;
    if (!err_from_name(name, strlen(name), &code)) {
        gj_fail(st, code, "%s", string_or_empty(json_object_get(response, "err_msg")));
        return;
    }
    gj_fail(st, code, "%s", string_or_empty(json_object_get(response, "err_detail")));
}

static gj_err run_call(cli_ctx *c, json_t **out, gj_status *st) {
    json_t *request = NULL;
    gj_engine *e = NULL;
    gj_err err = gj_json_load_file_exact(cli_pos(c, 0), &request, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK) {
        *out = gj_nhsa_call(e, request);
        if (call_refused(*out)) {
            gj_status refusal;
            status_from_response(*out, &refusal);
            cli_print_error_line(stderr, &refusal);
            c->exit_code = CALL_REFUSED_EXIT;
        }
    }
    json_decref(request);
    return err;
}

static gj_err run_settle_explain(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_settle_explain(e, cli_pos(c, 0), out, st) : err;
}

static void explain_text(const json_t *line, char *buf, size_t buf_len) {
    snprintf(buf, buf_len, "%s / %s", string_or_empty(json_object_get(line, "zh")),
             string_or_empty(json_object_get(line, "en")));
}

/* "R4.4  先由本人个人账户支付 … / own personal account first …  12.30" with aligned amounts. */
static void print_explain_lines(FILE *f, const json_t *lines) {
    char text[TEXT_CELL_MAX], amount[TEXT_CELL_MAX];
    size_t rule_columns = 0, text_columns = 0;
    for (size_t i = 0; i < json_array_size(lines); i++) {
        const json_t *line = json_array_get(lines, i);
        size_t rule_width = text_width(string_or_empty(json_object_get(line, "rule")));
        explain_text(line, text, sizeof text);
        if (text_width(text) > text_columns) text_columns = text_width(text);
        if (rule_width > rule_columns) rule_columns = rule_width;
    }
    for (size_t i = 0; i < json_array_size(lines); i++) {
        const json_t *line = json_array_get(lines, i);
        const json_t *yuan = json_object_get(line, "amount_yuan");
        explain_text(line, text, sizeof text);
        const char *rule = string_or_empty(json_object_get(line, "rule"));
        text_pad(f, rule, rule_columns + EXPLAIN_GAP, false);
        if (yuan == NULL || json_is_null(yuan)) {
            fprintf(f, "%s\n", text);
            continue;
        }
        text_pad(f, text, text_columns + EXPLAIN_GAP, false);
        fprintf(f, "%s\n", text_inline(yuan, amount, sizeof amount));
    }
}

static void print_settle_explain(FILE *f, const json_t *out) {
    json_t *rest = json_copy((json_t *)out);
    json_object_del(rest, "explain");
    if (json_object_size(rest) > 0) {
        text_print(f, rest);
        fputc('\n', f);
    }
    json_decref(rest);
    print_explain_lines(f, json_object_get(out, "explain"));
}

static gj_err run_premium_pay(cli_ctx *c, json_t **out, gj_status *st) {
    int year = 0;
    gj_engine *e = NULL;
    gj_err err = cli_int(c, "year", YEAR_MIN, YEAR_MAX, NULL, &year, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_premium_pay(e, &c->actor, cli_pos(c, 0), cli_pos(c, 1), year, out, st);
    return err;
}

static gj_err run_premium_product(cli_ctx *c, json_t **out, gj_status *st) {
    gj_fen amount_fen = 0;
    gj_engine *e = NULL;
    gj_err err = cli_amount(c, "amount", false, NULL, &amount_fen, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_product_buy(e, &c->actor, cli_pos(c, 0), cli_pos(c, 1), cli_opt(c, "product"),
                             amount_fen, out, st);
    return err;
}

#define ARG_DONOR {"DONOR", "the donor's psn_no (共济人)", false}
#define ARG_MEMBER {"MEMBER", "the member's psn_no (共济成员)", false}

const cli_command cli_settle_commands[] = {
    {"call", NULL, "Send one national-interface request / 调用国家接口报文 (R4, R6.4)",
     "FILE holds one envelope {\"infno\", \"msgid\", \"fixmedins_code\", \"input\": {…}}:\n"
     "2206/2207/2208 outpatient pre-settle/settle/cancel, 2101/2102/2103 pharmacy,\n"
     "3201/3202 reconciliation. The response is always printed as JSON; exit 3 when infcode is -1.",
     CLI_ARGS({"FILE.json", "request envelope, or - for stdin", false}), NULL,
     "gongji --now \"2025-03-01 10:00:00\" call docs/examples/pharmacy-2102.json\n"
     "gongji call - < request.json",
     NULL, run_call, cli_print_json_text},
    {"settle", "explain", "Explain a settlement rule by rule / 结算说明 (R4.2–R4.6)",
     "One line per rule applied: rule id, Chinese / English text, amount moved.",
     CLI_ARGS({"SETL_ID", "settlement id (setl_id)", false}), NULL,
     "gongji settle explain S0000000001",
     NULL, run_settle_explain, print_settle_explain},
    {"premium", "pay", "Pay a member's resident premium from the donor's account / 共济缴费 (R5)",
     "At the member's region standard for the year, within the collection period (集中征缴期).",
     CLI_ARGS(ARG_DONOR, ARG_MEMBER),
     CLI_OPTS({"year", "YYYY", "benefit year of the premium", true}),
     "gongji premium pay P0000000001 P0000000003 --year 2025", NULL, run_premium_pay, NULL},
    {"premium", "product", "Buy an exclusive commercial product for a member / 购买专属商保 (R5.5)",
     NULL, CLI_ARGS(ARG_DONOR, ARG_MEMBER),
     CLI_OPTS({"product", "CODE", "product code offered by the region's policy", true},
              {"amount", "YUAN", "price in yuan, at most 2 decimals", true}),
     "gongji premium product P0000000001 P0000000002 --product HUIMIN2025 --amount 129", NULL,
     run_premium_product, NULL},
    CLI_END,
};
