/* help.c — usage texts built from the command table (help.h). */
#include "help.h"

#include <string.h>

#include "text.h"

enum { NAME_COLUMN = 24, OPTION_COLUMN = 26 };   /* names up to 22 characters keep a gap */

static const char overview_intro[] =
    "gongji — 职工医保个人账户家庭共济 / family mutual aid for employee medical-insurance\n"
    "personal accounts: registry, family networks, settlement, premiums, records, audit.\n";

static const char overview_tail[] =
    "Exit codes:\n"
    "    0  ok\n"
    "    2  usage error (unknown command or option, missing argument)\n"
    "    3  refused by a rule, or bad input (bad amount, date, code, policy)\n"
    "    4  not found\n"
    "    5  storage or internal error\n"
    "    6  verify failed (books unbalanced or audit chain broken)\n"
    "  130  stopped by SIGINT or SIGTERM (simulate; its files removed)\n"
    "\n"
    "Environment:\n"
    "  GONGJI_DB        database when --db is not given (default: ./gongji.db)\n"
    "  GONGJI_POLICIES  policy directory when --policies is not given\n"
    "  GONGJI_NOW       fixed clock \"yyyy-MM-dd HH:mm:ss\" when --now is not given\n"
    "  GONGJI_NO_PROGRESS  set to hide the import progress bar\n"
    "\n"
    "Example:\n"
    "  gongji --db demo.db --now \"2025-03-01 09:00:00\" person show P0000000001\n"
    "\n"
    "Run 'gongji COMMAND --help' for a command's arguments, options and an example.\n";

static void print_command_row(FILE *f, const cli_command *cmd) {
    char name[CLI_NAME_MAX];
    fputs("  ", f);
    text_pad(f, cli_command_name(cmd, name, sizeof name), NAME_COLUMN, false);
    fprintf(f, "%s\n", cmd->summary);
}

static void print_option_rows(FILE *f, const cli_opt_spec *opts) {
    for (const cli_opt_spec *o = opts; o != NULL && o->name != NULL; o++) {
        char left[96];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->value_name != NULL ? " " : "",
                 o->value_name != NULL ? o->value_name : "");
        fputs("  ", f);
        if (text_width(left) >= OPTION_COLUMN) fprintf(f, "%s\n  %*s", left, OPTION_COLUMN, "");
        else text_pad(f, left, OPTION_COLUMN, false);
        fprintf(f, "%s%s\n", o->help, o->required ? " (required)" : "");
    }
}

void cli_help_overview(FILE *f) {
    fprintf(f, "Usage: gongji [GLOBAL OPTIONS] COMMAND [SUBCOMMAND] [ARGS] [OPTIONS]\n\n%s\n",
            overview_intro);
    fputs("Commands:\n", f);
    for (int i = 0; i < cli_command_count(); i++) print_command_row(f, cli_command_at(i));
    fputs("\nGlobal options (before or after the command):\n", f);
    print_option_rows(f, cli_global_opts);
    fputc('\n', f);
    fputs(overview_tail, f);
}

void cli_help_group(FILE *f, const char *group) {
    fprintf(f, "Usage: gongji %s SUBCOMMAND [ARGS] [OPTIONS]\n\nSubcommands:\n", group);
    for (int i = 0; i < cli_command_count(); i++) {
        const cli_command *cmd = cli_command_at(i);
        if (strcmp(cmd->group, group) == 0) print_command_row(f, cmd);
    }
    fprintf(f, "\nRun 'gongji %s SUBCOMMAND --help' for details and an example.\n", group);
}

static void print_synopsis(FILE *f, const cli_command *cmd) {
    char name[CLI_NAME_MAX];
    fprintf(f, "Usage: gongji %s", cli_command_name(cmd, name, sizeof name));
    for (const cli_arg_spec *a = cmd->args; a != NULL && a->name != NULL; a++)
        fprintf(f, a->optional ? " [%s]" : " %s", a->name);
    for (const cli_opt_spec *o = cmd->opts; o != NULL && o->name != NULL; o++) {
        fprintf(f, " %s--%s", o->required ? "" : "[", o->name);
        if (o->value_name != NULL) fprintf(f, " %s", o->value_name);
        if (!o->required) fputc(']', f);
    }
    fputs(" [GLOBAL OPTIONS]\n", f);
}

static void print_arguments(FILE *f, const cli_arg_spec *args) {
    if (args == NULL || args->name == NULL) return;
    fputs("\nArguments:\n", f);
    for (const cli_arg_spec *a = args; a->name != NULL; a++) {
        fputs("  ", f);
        text_pad(f, a->name, OPTION_COLUMN, false);
        fprintf(f, "%s%s\n", a->help, a->optional ? " (optional)" : "");
    }
}

static void print_example(FILE *f, const char *example) {
    fputs("\nExample:\n", f);
    for (const char *line = example; *line != '\0';) {
        size_t n = strcspn(line, "\n");
        fprintf(f, "  %.*s\n", (int)n, line);
        line += n + (line[n] == '\n' ? 1 : 0);
    }
}

void cli_help_command(FILE *f, const cli_command *cmd) {
    print_synopsis(f, cmd);
    fprintf(f, "\n%s\n", cmd->summary);
    if (cmd->about != NULL) fprintf(f, "%s\n", cmd->about);
    print_arguments(f, cmd->args);
    if (cmd->opts != NULL && cmd->opts->name != NULL) {
        fputs("\nOptions:\n", f);
        print_option_rows(f, cmd->opts);
    }
    if (cmd->channel != NULL) fprintf(f, "\nDefault channel for this command: %s\n", cmd->channel);
    fputs("\nGlobal options: --db PATH --policies DIR --json --now TIME --actor ID --channel CH\n"
          "(see 'gongji --help'; exit codes: 0 ok, 2 usage, 3 refused, 4 not found, 5 storage, "
          "6 verify failed)\n", f);
    print_example(f, cmd->example);
}
