/* cmd_records.c — records and audit (R6, R9.3): usage records per member and per donor,
 * authorization history, receipts, yearly statements, institution reconciliation, and verify. */
#include "cli.h"

enum { YEAR_MIN = 2000, YEAR_MAX = 2100 };

typedef gj_err (*records_fn)(gj_engine *, const char *, const gj_record_filter *, json_t **,
                             gj_status *);

static gj_err run_records(cli_ctx *c, records_fn query, json_t **out, gj_status *st) {
    gj_record_filter filter = {.admdvs = cli_opt(c, "region"), .med_type = cli_opt(c, "med-type")};
    gj_engine *e = NULL;
    gj_err err = cli_int(c, "year", YEAR_MIN, YEAR_MAX, NULL, &filter.year, st);
    if (err == GJ_E_OK) err = cli_engine_for_person(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? query(e, cli_pos(c, 0), &filter, out, st) : err;
}

static gj_err run_records_member(cli_ctx *c, json_t **out, gj_status *st) {
    return run_records(c, gj_records_member, out, st);
}

static gj_err run_records_donor(cli_ctx *c, json_t **out, gj_status *st) {
    return run_records(c, gj_records_donor, out, st);
}

static gj_err run_records_bindings(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine_for_person(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? gj_records_bindings(e, cli_pos(c, 0), out, st) : err;
}

static gj_err run_receipt(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine_for_settlement(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? gj_receipt(e, cli_pos(c, 0), out, st) : err;
}

static gj_err run_statement(cli_ctx *c, json_t **out, gj_status *st) {
    int year = 0;
    gj_engine *e = NULL;
    gj_err err = cli_int(c, "year", YEAR_MIN, YEAR_MAX, NULL, &year, st);
    if (err == GJ_E_OK) err = cli_engine_for_person(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? gj_statement(e, cli_pos(c, 0), year, out, st) : err;
}

typedef gj_err (*recon_fn)(gj_engine *, const char *, gj_date, gj_date, json_t **, gj_status *);

static gj_err run_recon(cli_ctx *c, recon_fn query, json_t **out, gj_status *st) {
    gj_date from = 0, to = 0;
    bool has_to = false;
    gj_engine *e = NULL;
    gj_err err = cli_date(c, "from", NULL, &from, st);
    if (err == GJ_E_OK) err = cli_date(c, "to", &has_to, &to, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = query(e, cli_opt(c, "institution"), from, has_to ? to : from, out, st);
    return err;
}

static gj_err run_recon_totals(cli_ctx *c, json_t **out, gj_status *st) {
    return run_recon(c, gj_recon_totals, out, st);
}

static gj_err run_recon_details(cli_ctx *c, json_t **out, gj_status *st) {
    return run_recon(c, gj_recon_details, out, st);
}

static gj_err run_verify(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_verify(e, out, st) : err;
}

#define ARG_PSN {"PSN_NO", "personal number (人员编号)", false}
#define OPTS_FILTER                                                                         \
    CLI_OPTS({"year", "YYYY", "only this year", false},                                     \
             {"region", "ADMDVS",                                                           \
              "only patients insured here (医保区划; BAD_ADMDVS if invalid)", false},        \
             {"med-type", "CODE",                                                           \
              "only this visit type (med_type: 11, 21, 41…; BAD_CODE if unknown)", false})
#define OPTS_RECON                                                                          \
    CLI_OPTS({"institution", "CODE", "institution code (fixmedins_code)", true},            \
             {"from", "DATE", "first day yyyy-MM-dd", true},                                \
             {"to", "DATE", "last day yyyy-MM-dd (default: --from)", false})

const cli_command cli_records_commands[] = {
    {"records", "member", "A member's usage records / 成员使用记录 (R6.1)",
     "Time, institution, visit type and amounts by source for the member's own settlements.",
     CLI_ARGS(ARG_PSN), OPTS_FILTER, "gongji records member P0000000002 --year 2025 --med-type 11",
     NULL, run_records_member, NULL},
    {"records", "donor", "Every use of a donor's funds / 共济人资金使用记录 (R6.1, R6.2)", NULL,
     CLI_ARGS(ARG_PSN), OPTS_FILTER, "gongji records donor P0000000001 --year 2025", NULL,
     run_records_donor, NULL},
    {"records", "bindings", "Authorization history with its journal trail / 授权记录 (R3.8)", NULL,
     CLI_ARGS(ARG_PSN), NULL, "gongji records bindings P0000000001", NULL, run_records_bindings,
     NULL},
    {"receipt", NULL, "Print a settlement receipt / 打印结算单 (R4.9, R6.3)",
     "Mutual-aid payment appears inside 个人账户支付 and as acct_mulaid_pay.",
     CLI_ARGS({"SETL_ID", "settlement id (setl_id)", false}), NULL, "gongji receipt S0000000001",
     NULL, run_receipt, NULL},
    {"statement", NULL, "A person's yearly statement / 年度对账单 (R6.3)", NULL, CLI_ARGS(ARG_PSN),
     CLI_OPTS({"year", "YYYY", "statement year", true}), "gongji statement P0000000001 --year 2025",
     NULL, run_statement, NULL},
    {"recon", "totals", "Per-day settlement totals of an institution / 对总账 (R6.4, 3201)", NULL,
     NULL, OPTS_RECON, "gongji recon totals --institution H43010000001 --from 2025-03-01", NULL,
     run_recon_totals, NULL},
    {"recon", "details", "Settlement details of an institution / 对明细账 (R6.4, 3202)", NULL, NULL,
     OPTS_RECON,
     "gongji recon details --institution H43010000001 --from 2025-03-01 --to 2025-03-31", NULL,
     run_recon_details, NULL},
    {"verify", NULL, "Check the books and the audit chain / 账务与审计链校验 (R9.3)",
     "Books balanced, balances equal postings, journal chain intact. Exit 6 naming the first bad\n"
     "record when not. Institution codes stored before their form (12 letters or digits) was\n"
     "checked are listed in nonconforming_institution_codes, without failing.",
     NULL, NULL, "gongji verify", NULL, run_verify, NULL},
    CLI_END,
};
