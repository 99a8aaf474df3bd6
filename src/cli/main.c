/* main.c — the gongji command-line tool: finds the command words (global options may come
 * before or after them), prints help, parses the options, applies the global settings
 * (database, policies, clock, actor, channel), runs the handler and maps the outcome to an
 * exit code (error.h: gj_err_exit_code). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gongji/utf8.h"
#include "help.h"
#include "print.h"

#ifndef GJ_POLICY_DIR
#define GJ_POLICY_DIR "policies"
#endif

enum { COMMAND_WORDS_MAX = 3, ARGV_MAX = 256 };

const cli_opt_spec cli_global_opts[] = {
    {"db", "URL", "SQLite file, sqlite:PATH, :memory: or postgres://…; else $GONGJI_DB, else ./gongji.db",
     false},
    {"provinces", "FILE", "province map (PP = URL lines) for provinces on their own PostgreSQL databases; else $GONGJI_PROVINCES",
     false},
    {"policies", "DIR", "policy directory; else $GONGJI_POLICIES, else the built-in policies/",
     false},
    {"json", NULL, "print the result as JSON (indented, keys sorted)", false},
    {"now", "TIME", "fix the clock, \"yyyy-MM-dd HH:mm:ss\"; else $GONGJI_NOW, else system time",
     false},
    {"actor", "ID", "who acts: a psn_no, operator id or institution code (default cli)", false},
    {"channel", "CH", "cli | app | window | his | household_graph (default cli)", false},
    {"help", NULL, "show help (also -h)", false},
    {NULL, NULL, NULL, false},
};

static const char *const channels[] = {"cli", "app", "window", "his", "household_graph"};

static bool global_takes_value(const char *arg) {
    for (const cli_opt_spec *o = cli_global_opts; o->name != NULL; o++)
        if (o->value_name != NULL && strncmp(arg, "--", 2) == 0 && strcmp(arg + 2, o->name) == 0)
            return true;
    return false;
}

/* Indices of the first non-option words (the command words), skipping global options. */
static int find_command_words(int argc, char **argv, int words[COMMAND_WORDS_MAX]) {
    int n = 0;
    for (int i = 1; i < argc && n < COMMAND_WORDS_MAX && strcmp(argv[i], "--") != 0; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            if (global_takes_value(argv[i])) i++;
        } else {
            words[n++] = i;
        }
    }
    return n;
}

static int usage_error(const cli_ctx *c, const char *hint, gj_status *st) {
    cli_print_outcome(c, NULL, GJ_E_USAGE, st);
    fprintf(stderr, "Try '%s --help'.\n", hint);
    return gj_err_exit_code(GJ_E_USAGE);
}

static const char *setting(const char *option, const char *env_name, const char *fallback) {
    const char *env = getenv(env_name);
    if (option != NULL) return option;
    return env != NULL && env[0] != '\0' ? env : fallback;
}

static gj_err apply_clock(const char *now_text, gj_status *st) {
    if (now_text == NULL) return GJ_E_OK;
    gj_time now = 0;
    if (gj_time_parse(now_text, &now) != GJ_E_OK)
        return gj_fail(st, GJ_E_BAD_DATE, "--now: \"%s\" (yyyy-MM-dd HH:mm:ss)", now_text);
    gj_clock_fix(now);
    return GJ_E_OK;
}

static gj_err apply_globals(cli_ctx *c, gj_status *st) {
    const char *channel = cli_opt(c, "channel");
    c->db_url = setting(cli_opt(c, "db"), "GONGJI_DB", "gongji.db");
    c->policy_dir = setting(cli_opt(c, "policies"), "GONGJI_POLICIES", GJ_POLICY_DIR);
    c->provinces = setting(cli_opt(c, "provinces"), "GONGJI_PROVINCES", NULL);
    c->actor.actor = cli_opt(c, "actor") != NULL ? cli_opt(c, "actor") : "cli";
    if (channel == NULL) channel = c->cmd->channel != NULL ? c->cmd->channel : "cli";
    c->actor.channel = channel;
    bool known = false;
    for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++)
        known = known || strcmp(c->actor.channel, channels[i]) == 0;
    if (!known)
        return gj_fail(st, GJ_E_BAD_CODE, "--channel: \"%s\" (cli|app|window|his|household_graph)",
                       c->actor.channel);
    return apply_clock(setting(cli_opt(c, "now"), "GONGJI_NOW", NULL), st);
}

static gj_err check_positionals(const cli_ctx *c, gj_status *st) {
    int required = 0, allowed = 0;
    for (const cli_arg_spec *a = c->cmd->args; a != NULL && a->name != NULL; a++, allowed++)
        if (!a->optional) required++;
    if (c->args.pos_count < required)
        return gj_fail(st, GJ_E_USAGE, "missing %s", c->cmd->args[c->args.pos_count].name);
    if (c->args.pos_count > allowed)
        return gj_fail(st, GJ_E_USAGE, "unexpected argument '%s'", c->args.pos[allowed]);
    return GJ_E_OK;
}

/* Every argument is UTF-8: gongji keeps text as UTF-8, and a name typed in a GBK terminal was
 * stored as bytes no JSON answer can carry (found by an audit: `institution add` with a GBK
 * name failed as INTERNAL, "journal detail"). */
static gj_err check_utf8(int argc, char **argv, gj_status *st) {
    for (int i = 1; i < argc; i++)
        if (!gj_utf8_valid(argv[i]))
            return gj_fail(st, GJ_E_BAD_FIELD, "argument %d is not UTF-8 (from a GBK terminal? "
                           "iconv -f GBK -t UTF-8 converts it)", i);
    return GJ_E_OK;
}

static int run_command(cli_ctx *c, int argc, char **argv) {
    gj_status st;
    gj_status_clear(&st);
    char name[CLI_NAME_MAX], hint[CLI_NAME_MAX + 8];
    snprintf(hint, sizeof hint, "gongji %s", cli_command_name(c->cmd, name, sizeof name));
    cli_args_init(&c->args);
    cli_args_accept(&c->args, cli_global_opts);
    cli_args_accept(&c->args, c->cmd->opts);
    gj_err err = cli_args_parse(&c->args, argc, argv, &st);
    if (err == GJ_E_OK) err = check_positionals(c, &st);
    if (err == GJ_E_OK) err = cli_args_check_required(&c->args, &st);
    if (err != GJ_E_OK) return usage_error(c, hint, &st);
    json_t *out = NULL;
    err = check_utf8(argc, argv, &st);
    if (err == GJ_E_OK) err = apply_globals(c, &st);
    if (err == GJ_E_OK) err = c->cmd->run(c, &out, &st);
    cli_print_outcome(c, out, err, &st);
    if (err == GJ_E_USAGE) fprintf(stderr, "Try '%s --help'.\n", hint);
    if (err != GJ_E_OK) return gj_err_exit_code(err);
    return c->exit_code >= 0 ? c->exit_code : 0;
}

/* Command words resolved to a table entry, or help printed / a usage error reported. */
static int dispatch(cli_ctx *c, int argc, char **argv) {
    gj_status st;
    gj_status_clear(&st);
    int words[COMMAND_WORDS_MAX];
    int n = find_command_words(argc, argv, words), used = 0;
    bool help = cli_argv_has_flag(argc, argv, "--help", "-h");
    if (n > 0 && strcmp(argv[words[0]], "help") == 0) {
        help = true;
        used = 1;
    }
    if (used == n) {
        cli_help_overview(help ? stdout : stderr);
        return help ? 0 : gj_err_exit_code(GJ_E_USAGE);
    }
    const char *group = argv[words[used++]], *sub = NULL;
    if (!cli_group_exists(group)) {
        gj_fail(&st, GJ_E_USAGE, "unknown command '%s'", group);
        return usage_error(c, "gongji", &st);
    }
    if (cli_group_has_subs(group)) {
        if (used == n && help) {
            cli_help_group(stdout, group);
            return 0;
        }
        if (used == n) gj_fail(&st, GJ_E_USAGE, "'%s' needs a subcommand", group);
        else sub = argv[words[used++]];
    }
    if (st.code == GJ_E_OK && (c->cmd = cli_command_find(group, sub)) == NULL)
        gj_fail(&st, GJ_E_USAGE, "unknown command '%s %s'", group, sub);
    if (st.code != GJ_E_OK) {
        char hint[CLI_NAME_MAX + 8];
        snprintf(hint, sizeof hint, "gongji %.*s", CLI_NAME_MAX, group);
        return usage_error(c, hint, &st);
    }
    if (help) {
        cli_help_command(stdout, c->cmd);
        return 0;
    }
    char *rest[ARGV_MAX];
    int rest_count = 0;
    for (int i = 1, w = 0; i < argc && rest_count < ARGV_MAX; i++) {
        if (w < used && i == words[w]) w++;
        else rest[rest_count++] = argv[i];
    }
    return run_command(c, rest_count, rest);
}

int main(int argc, char **argv) {
    cli_ctx c;
    memset(&c, 0, sizeof c);
    c.exit_code = -1;
    c.json = cli_argv_has_flag(argc, argv, "--json", NULL);
    if (argc > ARGV_MAX) {
        gj_status st;
        gj_fail(&st, GJ_E_USAGE, "too many arguments (at most %d)", ARGV_MAX);
        return usage_error(&c, "gongji", &st);
    }
    int code = dispatch(&c, argc, argv);
    gj_engine_close(c.engine);
    gj_policy_set_free(c.policies);
    return code;
}
