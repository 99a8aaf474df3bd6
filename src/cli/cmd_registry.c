/* cmd_registry.c — registry commands (R1): init, import persons, person show / set-status,
 * account deposit, institution add. (gen persons: cmd_sim.c.) */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static gj_err run_init(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    if (err != GJ_E_OK) return err;
    *out = json_pack("{s:s, s:s, s:s, s:i}", "db", c->db_url, "backend",
                     gj_store_backend(gj_engine_store(e)), "policies", c->policy_dir,
                     "policy_files", gj_policy_set_count(gj_engine_policies(e)));
    return GJ_E_OK;
}

static gj_err run_import_persons(cli_ctx *c, json_t **out, gj_status *st) {
    FILE *csv = NULL;
    gj_engine *e = NULL;
    gj_err err = cli_open_input(cli_pos(c, 0), &csv, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_import_persons(e, &c->actor, csv, isatty(STDERR_FILENO) != 0, out, st);
    cli_close_input(csv);
    return err;
}

static gj_err run_person_show(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_person_show(e, cli_pos(c, 0), out, st) : err;
}

static gj_err run_person_set_status(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_person_set_status(e, &c->actor, cli_pos(c, 0), cli_pos(c, 1), out, st);
    return err;
}

static gj_err run_account_deposit(cli_ctx *c, json_t **out, gj_status *st) {
    gj_fen amount_fen = 0;
    gj_engine *e = NULL;
    gj_err err = cli_amount(c, "amount", false, NULL, &amount_fen, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_account_deposit(e, &c->actor, cli_pos(c, 0), cli_opt(c, "layer"), amount_fen,
                                 out, st);
    return err;
}

static gj_err run_institution_add(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_institution_add(e, &c->actor, cli_pos(c, 0), cli_pos(c, 1), cli_opt(c, "kind"),
                                 cli_opt(c, "admdvs"), out, st);
    return err;
}

#define ARG_PSN {"PSN_NO", "personal number (人员编号)", false}

const cli_command cli_registry_commands[] = {
    {"init", NULL, "Create or migrate the database / 创建或升级数据库",
     "Opens the engine: creates the database if needed, applies pending schema migrations and\n"
     "loads the policies; prints the database path.",
     NULL, NULL, "gongji --db demo.db init", NULL, run_init, NULL},
    {"import", "persons", "Import people from a CSV file / 导入参保人员 (R1.1)",
     "All or nothing: the first bad row is reported as \"line N: reason\" and nothing is\n"
     "imported; into an empty database an ID number given twice is found after the last row,\n"
     "so a bad row after it is reported first. Columns: docs/import.md. A progress bar is\n"
     "drawn when stderr is a terminal.",
     CLI_ARGS({"FILE.csv", "CSV file, or - for stdin", false}), NULL,
     "gongji import persons persons.csv", NULL, run_import_persons, NULL},
    {"person", "show", "Show a person with accounts by layer / 查询参保人及个人账户",
     NULL, CLI_ARGS(ARG_PSN), NULL, "gongji person show P0000000001", NULL, run_person_show, NULL},
    {"person", "set-status", "Change insurance status / 变更参保状态 (R3.9)",
     "Suspending or terminating stops the person's bindings at once (R3.9).",
     CLI_ARGS(ARG_PSN, {"STATUS", "active | suspended | terminated", false}), NULL,
     "gongji person set-status P0000000002 suspended", NULL, run_person_set_status, NULL},
    {"account", "deposit", "Credit a personal-account layer / 个人账户划入",
     "Annual allocation (划入) into the current-year (当年) or prior-years (历年结余) layer; the\n"
     "source is the region's allocation account.",
     CLI_ARGS(ARG_PSN),
     CLI_OPTS({"layer", "current|prior", "account layer: current (当年) or prior (历年结余)", true},
              {"amount", "YUAN", "amount in yuan, at most 2 decimals", true}),
     "gongji account deposit P0000000001 --layer current --amount 3000", NULL,
     run_account_deposit, NULL},
    {"institution", "add", "Register a designated institution / 登记定点医药机构 (R4.7)",
     NULL,
     CLI_ARGS({"CODE", "institution code (定点医药机构编号, 12 letters or digits)", false},
              {"NAME", "institution name", false}),
     CLI_OPTS({"kind", "hospital|pharmacy", "hospital (定点医疗机构), pharmacy (定点零售药店)",
               true},
              {"admdvs", "CODE", "6-digit region code (医保区划) of the institution", true}),
     "gongji institution add H43010000001 \"长沙市第一医院\" --kind hospital --admdvs 430100",
     NULL, run_institution_add, NULL},
    CLI_END,
};
