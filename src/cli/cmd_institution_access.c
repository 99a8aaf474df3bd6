/* cmd_institution_access.c — `institution credential CODE`: issue a signing credential (paasid
 * and secret) with which a registered institution signs its national-interface requests to
 * gongjid (docs/nhsa.md, "Signing"). The secret is printed once and never logged. */
#include "cli.h"
#include "gongji/access.h"

static gj_err run_institution_credential(cli_ctx *c, json_t **out, gj_status *st) {
    gj_engine *e = NULL;
    gj_err err = cli_engine(c, &e, st);
    return err == GJ_E_OK ? gj_institution_credential(e, &c->actor, cli_pos(c, 0), out, st) : err;
}

const cli_command cli_institution_access_commands[] = {
    {"institution", "credential", "Issue a signing credential for gongjid / 发放机构接口签名凭证",
     "Prints {fixmedins_code, paasid, secret}: the institution sends paasid as x-tif-paasid (or\n"
     "x-gj-key) and signs with the secret (docs/nhsa.md, Signing). The secret is shown only\n"
     "here; the journal records the issue without it. Issuing another credential keeps the\n"
     "earlier ones valid (rotation).",
     CLI_ARGS({"CODE", "institution code (定点医药机构编号) of a registered institution", false}),
     NULL, "gongji institution credential H43010000001", NULL, run_institution_credential, NULL},
    CLI_END,
};
