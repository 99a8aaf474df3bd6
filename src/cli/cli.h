/* cli.h — what every part of the gongji command-line tool shares: the command table entry
 * (names, help text, option specs, handler, text printer), the run context (global options,
 * parsed arguments, the engine opened on demand) and the helpers handlers use to turn option
 * values into engine inputs (amounts, dates, years, METHOD:REF, invitations). */
#ifndef GONGJI_CLI_H
#define GONGJI_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "args.h"
#include "gongji/engine.h"

typedef struct cli_ctx cli_ctx;

enum { CLI_NAME_MAX = 64 };   /* "gongji " + group + " " + subcommand */

/* A handler parses its arguments, calls one engine function and hands back its JSON result
 * (also on failure when the engine produced a report, e.g. verify). */
typedef gj_err (*cli_run_fn)(cli_ctx *c, json_t **out, gj_status *st);
/* Prints a result in text mode; NULL in the table means the generic printer (text.h). */
typedef void (*cli_text_fn)(FILE *f, const json_t *out);

typedef struct {
    const char *name;         /* "PSN_NO" */
    const char *help;
    bool optional;
} cli_arg_spec;

typedef struct {
    const char *group;        /* "account" */
    const char *sub;          /* "deposit"; NULL for a command without subcommands */
    const char *summary;      /* one line, shown in `gongji --help` */
    const char *about;        /* further description for the command's --help; may be NULL */
    const cli_arg_spec *args; /* {NULL}-terminated; may be NULL */
    const cli_opt_spec *opts; /* {NULL}-terminated; may be NULL */
    const char *example;      /* one or more command lines, '\n'-separated */
    const char *channel;      /* default --channel; NULL: "cli" */
    cli_run_fn run;
    cli_text_fn print_text;
} cli_command;

/* {NULL}-terminated spec arrays for the tables: CLI_ARGS({"PSN_NO", "…", false}, …). */
#define CLI_ARGS(...) ((const cli_arg_spec[]){__VA_ARGS__, {NULL, NULL, false}})
#define CLI_OPTS(...) ((const cli_opt_spec[]){__VA_ARGS__, {NULL, NULL, NULL, false}})
#define CLI_END {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

struct cli_ctx {
    const cli_command *cmd;
    cli_args args;
    const char *db_url, *policy_dir;
    const char *provinces;      /* province map file (--provinces, $GONGJI_PROVINCES) or NULL */
    bool json;
    gj_actor actor;
    gj_engine *engine;          /* opened by cli_engine() */
    gj_policy_set *policies;    /* loaded by cli_policies() when no engine is needed */
    int exit_code;              /* ≥ 0 overrides the exit code of a successful handler */
};

/* The global options (main.c) and the command tables (commands.c, cmd_*.c). */
extern const cli_opt_spec cli_global_opts[];
extern const cli_command cli_registry_commands[], cli_policy_commands[],
    cli_network_commands[], cli_settle_commands[], cli_records_commands[], cli_access_commands[];
extern const cli_command cli_institution_access_commands[];
extern const cli_command cli_sim_commands[];   /* cmd_sim.c: gen, simulate */
extern const cli_command cli_sign_commands[];  /* cmd_sign.c: sign */
extern const cli_command cli_regions_commands[];   /* cmd_regions.c: freeze, recover, pool */
extern const cli_command cli_migrate_commands[];   /* cmd_migrate.c: migrate */
int cli_command_count(void);
const cli_command *cli_command_at(int i);
const cli_command *cli_command_find(const char *group, const char *sub);
bool cli_group_exists(const char *group);
bool cli_group_has_subs(const char *group);
/* "account deposit" (or "init") into buf. */
const char *cli_command_name(const cli_command *cmd, char *buf, size_t buf_len);

/* ---- input.c: arguments → engine inputs. "Absent" leaves *present false and *out untouched;
 * a malformed value is refused with the code of the kind (BAD_AMOUNT, BAD_DATE, BAD_FIELD,
 * BAD_CODE) and the option in the detail. ---- */
const char *cli_pos(const cli_ctx *c, int i);           /* positional i or NULL */
const char *cli_opt(const cli_ctx *c, const char *name);
bool cli_flag(const cli_ctx *c, const char *name);
/* Yuan with ≤ 2 decimals; with allow_none, "none" gives -1 (clear a limit). */
gj_err cli_amount(const cli_ctx *c, const char *name, bool allow_none, bool *present,
                  gj_fen *out_fen, gj_status *st);
gj_err cli_date(const cli_ctx *c, const char *name, bool *present, gj_date *out, gj_status *st);
gj_err cli_int(const cli_ctx *c, const char *name, int lo, int hi, bool *present, int *out,
               gj_status *st);
/* --verify METHOD:REF split at the first ':' into buf; both NULL when absent. */
gj_err cli_verify(const cli_ctx *c, char *buf, size_t buf_len, const char **method,
                  const char **ref, gj_status *st);
/* DONOR MEMBER positionals and --relation --modes --temporary --authorized --limit
 * --declared-by --proof (bind invite, apply submit). */
gj_err cli_invite(const cli_ctx *c, gj_invite *inv, gj_status *st);

/* An input file named on the command line, "-" for stdin; a missing file is NOT_FOUND. */
gj_err cli_open_input(const char *path, FILE **out, gj_status *st);
void cli_close_input(FILE *f);

/* The engine (opened once, on first use) and the policy set alone (policy commands). */
gj_err cli_engine(cli_ctx *c, gj_engine **out, gj_status *st);
gj_err cli_policies(cli_ctx *c, gj_policy_set **out, gj_status *st);

/* The engine for a read about one person (R6.2): in the app channel the actor must be that
 * person, else FORBIDDEN; staff channels (cli, window) read anyone. */
gj_err cli_engine_for_person(cli_ctx *c, const char *psn_no, gj_engine **out, gj_status *st);
/* The same for one settlement: in the app channel its patient or a donor who paid part of it,
 * else NOT_FOUND, as for a settlement that does not exist. */
gj_err cli_engine_for_settlement(cli_ctx *c, const char *setl_id, gj_engine **out, gj_status *st);

#endif
