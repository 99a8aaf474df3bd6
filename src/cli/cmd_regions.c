/* cmd_regions.c — regional fund models and violations (R7.2, R9.2): freeze / unfreeze a
 * binding or account, recover misused mutual aid, list recoveries, and the family pool's
 * contribute / show / close, the medical-insurance wallet's transfer / show / premium (R7.3),
 * and remote-care registrations (R8.2). */
#include <string.h>

#include "cli.h"

static gj_err run_freeze_or_unfreeze(cli_ctx *c, bool freeze, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_freeze(e, &c->actor, cli_pos(c, 0), cli_pos(c, 1), freeze, cli_opt(c, "reason"),
                        out, st);
    return err;
}

static gj_err run_freeze(cli_ctx *c, json_t **out, gj_status *st) {
    return run_freeze_or_unfreeze(c, true, out, st);
}

static gj_err run_unfreeze(cli_ctx *c, json_t **out, gj_status *st) {
    return run_freeze_or_unfreeze(c, false, out, st);
}

/* `recover --in-doubt`: in-doubt cross-province transactions, on every database of the map. */
static gj_err run_recover_in_doubt(cli_ctx *c, json_t **out, gj_status *st) {
    if (cli_pos(c, 0) != NULL || cli_opt(c, "amount") != NULL || cli_opt(c, "reason") != NULL)
        return gj_fail(st, GJ_E_USAGE, "--in-doubt takes no SETL_ID, DONOR, --amount or --reason");
    if (c->provinces == NULL)
        return gj_fail(st, GJ_E_USAGE, "--in-doubt needs the province map (--provinces FILE or $GONGJI_PROVINCES)");
    gj_err err = gj_recover_in_doubt(c->provinces, 0, out, st);
    if (err == GJ_E_OK && json_integer_value(json_object_get(*out, "databases_failed")) > 0)
        c->exit_code = gj_err_exit_code(GJ_E_STORE);   /* incomplete: some database unreachable */
    return err;
}

static gj_err run_recover(cli_ctx *c, json_t **out, gj_status *st) {
    if (cli_flag(c, "in-doubt")) return run_recover_in_doubt(c, out, st);
    if (cli_pos(c, 1) == NULL) return gj_fail(st, GJ_E_USAGE, "missing %s", cli_pos(c, 0) ? "DONOR" : "SETL_ID");
    if (cli_opt(c, "amount") == NULL || cli_opt(c, "reason") == NULL)
        return gj_fail(st, GJ_E_USAGE, "missing --%s", cli_opt(c, "amount") == NULL ? "amount" : "reason");
    gj_fen amount_fen = 0;
    gj_engine *e = NULL;
    gj_err err = cli_amount(c, "amount", false, NULL, &amount_fen, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_recover(e, &c->actor, cli_pos(c, 0), cli_pos(c, 1), amount_fen, cli_opt(c, "reason"),
                         out, st);
    return err;
}

static gj_err run_recoveries(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine_for_person(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? gj_recoveries(e, cli_pos(c, 0), out, st) : err;
}

static gj_err run_pool_contribute(cli_ctx *c, json_t **out, gj_status *st) {
    gj_fen amount_fen = 0;
    gj_engine *e = NULL;
    const char *donor = cli_opt(c, "from") != NULL ? cli_opt(c, "from") : cli_pos(c, 0);
    gj_err err = cli_amount(c, "amount", false, NULL, &amount_fen, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK) err = gj_pool_contribute(e, &c->actor, cli_pos(c, 0), donor, amount_fen, out, st);
    return err;
}

static gj_err run_pool_show(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine_for_person(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? gj_pool_show(e, cli_pos(c, 0), out, st) : err;
}

static gj_err run_pool_close(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_pool_close(e, &c->actor, cli_pos(c, 0), out, st) : err;
}

static gj_err run_wallet_transfer(cli_ctx *c, json_t **out, gj_status *st) {
    gj_fen amount_fen = 0;
    gj_engine *e = NULL;
    gj_err err = cli_amount(c, "amount", false, NULL, &amount_fen, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_wallet_transfer(e, &c->actor, cli_pos(c, 0), cli_pos(c, 1), cli_opt(c, "relation"),
                                 amount_fen, out, st);
    return err;
}

static gj_err run_wallet_show(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine_for_person(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? gj_wallet_show(e, cli_pos(c, 0), out, st) : err;
}

static gj_err run_wallet_premium(cli_ctx *c, json_t **out, gj_status *st) {
    int year = 0;
    gj_engine *e = NULL;
    gj_err err = cli_int(c, "year", 2000, 2100, NULL, &year, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK) err = gj_premium_pay_wallet(e, &c->actor, cli_pos(c, 0), year, out, st);
    return err;
}

static gj_err run_remote_care_add(cli_ctx *c, json_t **out, gj_status *st) {
    gj_date from = 0, to = 0;
    gj_engine *e = NULL;
    gj_err err = cli_date(c, "from", NULL, &from, st);
    if (err == GJ_E_OK) err = cli_date(c, "to", NULL, &to, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_remote_care_add(e, &c->actor, cli_pos(c, 0), cli_opt(c, "place"), from, to, out, st);
    return err;
}

static gj_err run_remote_care_list(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine_for_person(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? gj_remote_care_list(e, cli_pos(c, 0), out, st) : err;
}

#define ARG_KIND {"KIND", "binding | account", false}
#define ARG_TARGET {"TARGET", "a binding id (binding) or a psn_no (account)", false}
#define OPT_REASON {"reason", "TEXT", "why (kept with the binding or account and in the journal)", true}
#define ARG_OWNER {"CREATOR", "psn_no of the network's creator (组建人)", false}

static const char freeze_about[] =
    "A frozen binding or account pays no mutual aid: settlements pay the rest in cash with the\n"
    "reason FROZEN in the explanation, premiums are refused with FROZEN, a frozen invitation\n"
    "cannot be accepted (FROZEN), and the reason is shown in network show / person show. Staff\n"
    "only (refused in the app channel). R9.2.";

static const char recover_about[] =
    "Two uses.\n"
    "\n"
    "recover SETL_ID DONOR --amount YUAN --reason TEXT (R9.2, violations): credits the donor's\n"
    "account layers the settlement drew from and debits the patient's recovery receivable\n"
    "recv:<psn_no> (what the user owes, R9.1). At most what the donor paid in that settlement and\n"
    "is not yet recovered. The donor sees it in recoveries and records donor. Staff only.\n"
    "\n"
    "recover --in-doubt (provinces on their own databases, --provinces FILE): ends every\n"
    "cross-province transaction a crashed coordinator left prepared on any database of the map:\n"
    "committed where the coordinator's database logged the decision commit, rolled back\n"
    "everywhere else. Idempotent; gongjid runs it at start. A database that cannot be reached\n"
    "is reported and skipped (exit 5): run it again when it is back. See docs/operations.md.";

static const char wallet_about[] =
    "Medical-insurance wallet (医保钱包, R7.3), in regions whose fund_model is wallet: money moves\n"
    "from the donor's personal account (above any reserve) into a near relative's wallet without\n"
    "a binding. The wallet pays only its owner's medical costs (after their own account; a\n"
    "resident has none, so the wallet first) and their resident premium. wallet.employee_to_\n"
    "resident_only and wallet.cross_province (both regions) restrict transfers. The agency names\n"
    "the recipient by psn_no; in the app (POST /api/v1/wallet/transfers) the donor also gives\n"
    "the recipient's ID number, and a wrong one answers like a person who does not exist (R6.2).";

static const char pool_about[] =
    "Family pool (家庭共济账户, R7.2), in regions whose fund_model is pool: the creator or a\n"
    "bound member moves money above the reserve floor into the pool; members' bills draw the\n"
    "pool after their own account, the creator's contributions first; closing returns every\n"
    "remaining fen to the account and layer it came from.";

const cli_command cli_regions_commands[] = {
    {"freeze", NULL, "Freeze a binding or an account / 冻结共济关系或账户 (R9.2)", freeze_about,
     CLI_ARGS(ARG_KIND, ARG_TARGET), CLI_OPTS(OPT_REASON),
     "gongji --actor OP01 freeze binding B0000000001 --reason \"冒名就医 impersonation\"", "window",
     run_freeze, NULL},
    {"unfreeze", NULL, "Unfreeze a binding or an account / 解除冻结 (R9.2)", freeze_about,
     CLI_ARGS(ARG_KIND, ARG_TARGET), CLI_OPTS(OPT_REASON),
     "gongji --actor OP01 unfreeze binding B0000000001 --reason \"reviewed\"", "window",
     run_unfreeze, NULL},
    {"recover", NULL, "Recover misused mutual aid to the donor / 追回违规共济资金 (R9.2)",
     recover_about,
     CLI_ARGS({"SETL_ID", "the settlement the aid was paid in (not with --in-doubt)", true},
              {"DONOR", "psn_no of the donor whose money is returned (not with --in-doubt)", true}),
     CLI_OPTS({"amount", "YUAN", "amount to recover (required without --in-doubt)", false},
              {"reason", "TEXT", "why, kept in the journal (required without --in-doubt)", false},
              {"in-doubt", NULL, "instead: end in-doubt cross-province transactions (needs --provinces)", false}),
     "gongji --actor OP01 recover S0000000001 P0000000001 --amount 120 --reason 冒名就医\n"
     "gongji --provinces /etc/gongji/provinces.conf recover --in-doubt", "window",
     run_recover, NULL},
    {"recoveries", NULL, "Recoveries as donor or user / 追回记录 (R9.2)", NULL,
     CLI_ARGS({"PSN_NO", "personal number (人员编号)", false}), NULL, "gongji recoveries P0000000001",
     NULL, run_recoveries, NULL},
    {"pool", "contribute", "Move money above the reserve into the family pool / 划入家庭共济账户 (R7.2)",
     pool_about, CLI_ARGS(ARG_OWNER),
     CLI_OPTS({"from", "PSN_NO", "contributor (default: the creator)", false},
              {"amount", "YUAN", "amount to move", true}),
     "gongji pool contribute P0000000001 --amount 500\n"
     "gongji pool contribute P0000000001 --from P0000000002 --amount 100",
     NULL, run_pool_contribute, NULL},
    {"pool", "show", "The family pool: balance by contributor and statement / 查询家庭共济账户 (R7.2)",
     NULL, CLI_ARGS(ARG_OWNER), NULL, "gongji pool show P0000000001", NULL, run_pool_show, NULL},
    {"pool", "close", "Close the pool, returning the rest by provenance / 注销家庭共济账户 (R7.2)",
     pool_about, CLI_ARGS(ARG_OWNER), NULL, "gongji pool close P0000000001", NULL, run_pool_close,
     NULL},
    {"wallet", "transfer", "Transfer into a relative's wallet / 转入亲属医保钱包 (R7.3)", wallet_about,
     CLI_ARGS({"DONOR", "psn_no of the employee whose personal account pays", false},
              {"RECIPIENT", "psn_no of the relative whose wallet receives", false}),
     CLI_OPTS({"relation", "REL", "recipient's relation to the donor, as declared by the donor", true},
              {"amount", "YUAN", "amount to transfer", true}),
     "gongji wallet transfer P0000000001 P0000000002 --relation child --amount 300", NULL,
     run_wallet_transfer, NULL},
    {"wallet", "show", "A wallet: balance, transfers in and out, statement / 查询医保钱包 (R7.3)", NULL,
     CLI_ARGS({"PSN_NO", "the wallet's owner", false}), NULL, "gongji wallet show P0000000002", NULL,
     run_wallet_show, NULL},
    {"wallet", "premium", "Pay one's own resident premium from the wallet / 医保钱包缴费 (R7.3, R5)",
     NULL, CLI_ARGS({"PSN_NO", "the wallet's owner (resident scheme 390)", false}),
     CLI_OPTS({"year", "YYYY", "benefit year of the premium", true}),
     "gongji wallet premium P0000000002 --year 2025", NULL, run_wallet_premium, NULL},
    {"remote-care", "add", "Record a remote-care registration / 异地就医备案 (R8.2)",
     "Cross-province mutual aid (both regions with geography.cross_province) pays for a member\n"
     "only on days a registration covers, where the donor's region requires it\n"
     "(geography.remote_care_required); otherwise the aid part is cash with REMOTE_CARE_REQUIRED.",
     CLI_ARGS({"PSN_NO", "the member who seeks care away from home", false}),
     CLI_OPTS({"place", "ADMDVS", "region code of the place of care (就医地)", true},
              {"from", "DATE", "first day covered", true}, {"to", "DATE", "last day covered", true}),
     "gongji remote-care add P0000000002 --place 130100 --from 2024-12-01 --to 2025-11-30", NULL,
     run_remote_care_add, NULL},
    {"remote-care", "list", "A person's remote-care registrations / 查询异地就医备案 (R8.2)", NULL,
     CLI_ARGS({"PSN_NO", "personal number (人员编号)", false}), NULL,
     "gongji remote-care list P0000000002", NULL, run_remote_care_list, NULL},
    CLI_END,
};
