/* cmd_migrate.c — `gongji migrate --from URL --to URL [--force]`: move a deployment from one
 * database to another (an embedded SQLite file into PostgreSQL), with the copy verified on both
 * sides (gj_migrate_copy). A progress bar is drawn when stderr is a terminal. */
#include <unistd.h>

#include "cli.h"

static gj_err run_migrate(cli_ctx *c, json_t **out, gj_status *st) {
    const char *from = cli_opt(c, "from"), *to = cli_opt(c, "to");
    if (from == NULL || to == NULL) return gj_fail(st, GJ_E_USAGE, "--from and --to are required");
    gj_err err = gj_migrate_copy(from, to, c->policy_dir, cli_flag(c, "force"),
                                 isatty(STDERR_FILENO) != 0, out, st);
    if (err == GJ_E_OK) json_object_set_new(*out, "from", json_string(from));
    return err;
}

const cli_command cli_migrate_commands[] = {
    {"migrate", NULL, "Copy a database into another, verified / 数据迁移 (SQLite → PostgreSQL)",
     "Copies every table (people, accounts, bindings, settlements, postings, the journal with\n"
     "its hash chain) in one transaction, then checks per table the row count and a digest of\n"
     "the rows on both sides and runs verify on both (same chain head). Refuses a target that\n"
     "holds data unless --force (which replaces it). Exit 6 when the copy differs.",
     NULL,
     CLI_OPTS({"from", "URL", "source database (sqlite:PATH, PATH or postgres://…)", false},
              {"to", "URL", "target database (postgres://… or sqlite:PATH)", false},
              {"force", NULL, "replace the contents of a non-empty target", false}),
     "gongji migrate --from sqlite:demo/gongji.db --to postgresql:///gongji?host=/var/run/postgresql",
     NULL, run_migrate, NULL},
    CLI_END,
};
