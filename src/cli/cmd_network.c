/* cmd_network.c — family-network commands (R2, R3): network create / show, bind invite /
 * accept / reject / set / unbind, and the offline window's apply submit / review / list. */
#include <string.h>

#include "cli.h"

enum { VERIFY_TEXT_MAX = 128, PRIORITY_MAX = 9999 };

static gj_err run_network_create(cli_ctx *c, json_t **out, gj_status *st) {
    char verify[VERIFY_TEXT_MAX];
    const char *method = NULL, *ref = NULL;
    gj_engine *e = NULL;
    gj_err err = cli_verify(c, verify, sizeof verify, &method, &ref, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_network_create(e, &c->actor, cli_pos(c, 0), cli_flag(c, "commitment"), method, ref,
                                out, st);
    return err;
}

static gj_err run_network_show(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine_for_person(c, cli_pos(c, 0), &e, st);
    return err == GJ_E_OK ? gj_network_show(e, cli_pos(c, 0), out, st) : err;
}

static gj_err run_bind_invite(cli_ctx *c, json_t **out, gj_status *st) {
    gj_invite inv;
    gj_engine *e = NULL;
    gj_err err = cli_invite(c, &inv, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_bind_invite(e, &c->actor, &inv, out, st) : err;
}

static gj_err run_bind_accept(cli_ctx *c, json_t **out, gj_status *st) {
    char verify[VERIFY_TEXT_MAX];
    const char *method = NULL, *ref = NULL;
    gj_engine *e = NULL;
    gj_err err = cli_verify(c, verify, sizeof verify, &method, &ref, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK) err = gj_bind_accept(e, &c->actor, cli_pos(c, 0), method, ref, out, st);
    return err;
}

static gj_err run_bind_reject(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_bind_reject(e, &c->actor, cli_pos(c, 0), out, st) : err;
}

static gj_err binding_change(const cli_ctx *c, gj_binding_change *chg, gj_status *st) {
    memset(chg, 0, sizeof *chg);
    chg->modes = cli_opt(c, "modes");
    gj_err err = cli_amount(c, "authorized", true, &chg->set_authorized, &chg->authorized_fen, st);
    if (err == GJ_E_OK) err = cli_amount(c, "limit", true, &chg->set_limit, &chg->limit_fen, st);
    if (err == GJ_E_OK)
        err = cli_int(c, "priority", 0, PRIORITY_MAX, &chg->set_priority, &chg->priority, st);
    bool any = chg->modes != NULL || chg->set_authorized || chg->set_limit || chg->set_priority;
    if (err == GJ_E_OK && !any)
        err = gj_fail(st, GJ_E_USAGE,
                      "nothing to change: give --modes, --authorized, --limit or --priority");
    return err;
}

static gj_err run_bind_set(cli_ctx *c, json_t **out, gj_status *st) {
    gj_binding_change chg;
    gj_engine *e = NULL;
    gj_err err = binding_change(c, &chg, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_bind_set(e, &c->actor, cli_pos(c, 0), &chg, out, st) : err;
}

static gj_err run_bind_unbind(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_bind_unbind(e, &c->actor, cli_pos(c, 0), out, st) : err;
}

static gj_err run_apply_submit(cli_ctx *c, json_t **out, gj_status *st) {
    gj_invite inv;
    gj_engine *e = NULL;
    gj_err err = cli_invite(c, &inv, st);
    if (cli_opt(c, "declared-by") == NULL) inv.declared_by = NULL;   /* the engine's default: the donor */
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_apply_submit(e, &c->actor, &inv, out, st) : err;
}

static gj_err run_apply_review(cli_ctx *c, json_t **out, gj_status *st) {
    const char *decision = cli_pos(c, 1);
    bool approve = strcmp(decision, "approve") == 0;
    gj_engine *e = NULL;
    if (!approve && strcmp(decision, "reject") != 0)
        return gj_fail(st, GJ_E_BAD_CODE, "decision: \"%s\" (approve|reject)", decision);
    gj_err err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_apply_review(e, &c->actor, cli_pos(c, 0), approve, cli_opt(c, "reason"), out, st);
    return err;
}

static gj_err run_apply_list(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_apply_list(e, cli_opt(c, "status"), out, st) : err;
}

#define ARG_PSN {"PSN_NO", "personal number (人员编号)", false}
#define ARG_DONOR {"DONOR", "the donor's psn_no (共济人)", false}
#define ARG_MEMBER {"MEMBER", "the member's psn_no (共济成员)", false}
#define ARG_BINDING {"BINDING_ID", "binding id, as printed by bind invite / network show", false}
#define OPT_VERIFY(req) \
    {"verify", "METHOD:REF", "identity verification, e.g. face:F123 (身份核验)", req}
#define OPT_RELATION \
    {"relation", "REL", "spouse | parent | child | sibling | grandparent_paternal | …", true}
#define OPT_MODES(req) {"modes", "LIST", "payment,contribution (共济支付 / 共济缴费)", req}
#define OPT_PROOF {"proof", "TEXT", "proof of relation, e.g. household_register:HR123", false}
#define OPT_DECLARED {"declared-by", "ID", "who declared the relation (default: --actor)", false}
#define OPT_DECLARED_AT_WINDOW \
    {"declared-by", "ID", "who declared the relation: the donor or the member (default: donor)", false}

static const char invite_about[] =
    "Members aged 16 or more (policy consent_age) stay pending until they accept with their own\n"
    "verification; younger members join at once (R3.2). Limits: --authorized is the binding's\n"
    "authorized amount (授权金额), --limit the member's yearly consumption limit (消费限额)\n"
    "(R3.5).";

const cli_command cli_network_commands[] = {
    {"network", "create", "Create the organizer's family network / 组建家庭共济网 (R3.1)",
     "The organizer signs the commitment (承诺书, --commitment) and passes identity verification.",
     CLI_ARGS(ARG_PSN),
     CLI_OPTS({"commitment", NULL, "the commitment (承诺书) is signed", false}, OPT_VERIFY(false)),
     "gongji network create P0000000001 --commitment --verify face:F123", NULL,
     run_network_create, NULL},
    {"network", "show", "Show a person's network as donor and member / 查询家庭共济网 (R3.8)",
     NULL, CLI_ARGS(ARG_PSN), NULL, "gongji network show P0000000001", NULL, run_network_show,
     NULL},
    {"bind", "invite", "Invite a relative into the donor's network / 邀请共济成员 (R3.2)",
     invite_about, CLI_ARGS(ARG_DONOR, ARG_MEMBER),
     CLI_OPTS(OPT_RELATION, OPT_MODES(true),
              {"temporary", NULL, "temporary member, contribution only (临时成员, R3.3)", false},
              {"authorized", "YUAN", "authorized amount for this binding (授权金额)", false},
              {"limit", "YUAN", "member's consumption limit per year (消费限额)", false},
              OPT_DECLARED, OPT_PROOF),
     "gongji bind invite P0000000001 P0000000002 --relation spouse \\\n"
     "    --modes payment,contribution --limit 500",
     NULL, run_bind_invite, NULL},
    {"bind", "accept", "Accept an invitation with identity verification / 确认共济邀请 (R3.2)",
     "Also upgrades a temporary member (R3.3). Run with --actor set to the member. Refused with\n"
     "FROZEN while staff have frozen the binding (R9.2).",
     CLI_ARGS(ARG_BINDING), CLI_OPTS(OPT_VERIFY(false)),
     "gongji --actor P0000000002 --channel app bind accept B0000000001 --verify face:F456", NULL,
     run_bind_accept, NULL},
    {"bind", "reject", "Reject an invitation / 拒绝共济邀请", NULL, CLI_ARGS(ARG_BINDING), NULL,
     "gongji --actor P0000000002 bind reject B0000000001", NULL, run_bind_reject, NULL},
    {"bind", "set", "Change a binding's modes, amounts or priority / 修改共济设置 (R3.4, R3.5)",
     "\"none\" clears an authorized amount or a limit (a limit only where the region sets no\n"
     "maximum).", CLI_ARGS(ARG_BINDING),
     CLI_OPTS(OPT_MODES(false),
              {"authorized", "YUAN|none", "authorized amount (授权金额)", false},
              {"limit", "YUAN|none", "consumption limit per year (消费限额)", false},
              {"priority", "N", "order among the member's donors (member_choice regions)", false}),
     "gongji bind set B0000000001 --modes payment --limit 800", NULL, run_bind_set, NULL},
    {"bind", "unbind", "End a binding / 解除共济关系 (R3.6)",
     "Takes effect at 00:00 the next day where the policy says so; the binding stays valid for\n"
     "the rest of the day and the pair may rebind only from the next day. Donor or member may\n"
     "unbind.",
     CLI_ARGS(ARG_BINDING), NULL, "gongji --actor P0000000001 bind unbind B0000000001", NULL,
     run_bind_unbind, NULL},
    {"apply", "submit", "File an offline application at an agency window / 窗口申请 (R3.7)",
     "The application carries the proof documents and waits for review; approval creates an\n"
     "active binding at once.",
     CLI_ARGS(ARG_DONOR, ARG_MEMBER),
     CLI_OPTS(OPT_RELATION, OPT_MODES(true), OPT_PROOF, OPT_DECLARED_AT_WINDOW),
     "gongji --actor OP01 apply submit P0000000001 P0000000003 --relation parent \\\n"
     "    --modes payment \\\n"
     "    --proof household_register:HR123",
     "window", run_apply_submit, NULL},
    {"apply", "review", "Approve or reject an application / 审核窗口申请 (R3.7)", NULL,
     CLI_ARGS({"APP_ID", "application id", false}, {"DECISION", "approve | reject", false}),
     CLI_OPTS({"reason", "TEXT", "reason recorded with the decision", false}),
     "gongji --actor OP02 apply review A0000000001 approve", "window", run_apply_review, NULL},
    {"apply", "list", "List offline applications / 查询窗口申请", NULL, NULL,
     CLI_OPTS({"status", "STATUS", "submitted | approved | rejected (default: all)", false}),
     "gongji apply list --status submitted", NULL, run_apply_list, NULL},
    CLI_END,
};
