/* cmd_access.c — access commands for gongjid: `operator add` creates an agency operator
 * (window clerk, reviewer, auditor, administrator) with a password read from a file or stdin,
 * never from the command line (where other users could see it in the process list). */
#include <openssl/crypto.h>
#include <string.h>

#include "cli.h"
#include "gongji/access.h"

enum { PASSWORD_LINE_MAX = 512 };

/* The first line of --password-file FILE or of stdin (--password-stdin), without its end. */
static gj_err read_password(const cli_ctx *c, char *buf, size_t len, gj_status *st) {
    const char *path = cli_opt(c, "password-file");
    bool from_stdin = cli_flag(c, "password-stdin");
    if ((path != NULL) == from_stdin)
        return gj_fail(st, GJ_E_USAGE,
                       "give exactly one of --password-file FILE, --password-stdin");
    FILE *f = NULL;
    gj_err err = cli_open_input(from_stdin ? "-" : path, &f, st);
    if (err != GJ_E_OK) return err;
    bool got = fgets(buf, (int)len, f) != NULL;
    cli_close_input(f);
    if (!got) return gj_fail(st, GJ_E_BAD_FIELD, "password: nothing to read");
    buf[strcspn(buf, "\r\n")] = '\0';
    return GJ_E_OK;
}

static gj_err run_operator_add(cli_ctx *c, json_t **out, gj_status *st) {
    char password[PASSWORD_LINE_MAX];
    gj_engine *e = NULL;
    gj_err err = read_password(c, password, sizeof password, st);
    if (err == GJ_E_OK) err = cli_engine(c, &e, st);
    if (err == GJ_E_OK)
        err = gj_operator_add(e, &c->actor, cli_pos(c, 0), cli_opt(c, "name"), cli_opt(c, "role"),
                              password, out, st);
    OPENSSL_cleanse(password, sizeof password);
    return err;
}

const cli_command cli_access_commands[] = {
    {"operator", "add", "Create an agency operator for gongjid / 新增经办人员",
     "Roles: clerk (window clerk: files applications, looks people up), reviewer (reviews\n"
     "applications), auditor (reconciliation, verify), admin (operators, institutions, imports,\n"
     "person status). The password (at least 8 bytes) is the first line of --password-file or\n"
     "of stdin; it is stored as a salted PBKDF2-HMAC-SHA256 hash. Staff sign in with\n"
     "POST /api/v1/staff/login (docs/api.md).",
     CLI_ARGS({"OPERATOR_ID", "operator id (1..32 letters, digits, _ . -)", false}),
     CLI_OPTS({"name", "NAME", "the operator's name", true},
              {"role", "ROLE", "clerk | reviewer | auditor | admin", true},
              {"password-file", "FILE", "read the password from the first line of FILE", false},
              {"password-stdin", NULL, "read the password from the first line of stdin", false}),
     "printf '%s\\n' \"$PASSWORD\" | gongji operator add OP01 --name 王敏 --role clerk "
     "--password-stdin",
     NULL, run_operator_add, NULL},
    CLI_END,
};
