/* args.h — a small getopt_long-like parser for the gongji command line: long options as
 * `--name value` or `--name=value`, flags as `--name`, `-h` for `--help`, `--` ending the
 * options, and positional arguments in order. Option specs are {NULL}-terminated arrays. */
#ifndef GONGJI_CLI_ARGS_H
#define GONGJI_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "gongji/error.h"

enum { CLI_POSITIONAL_MAX = 16, CLI_OPTIONS_MAX = 32, CLI_GIVEN_MAX = 64 };

typedef struct {
    const char *name;         /* "amount" for --amount */
    const char *value_name;   /* "YUAN" shown in help; NULL for a flag */
    const char *help;         /* one line */
    bool required;
} cli_opt_spec;

typedef struct {
    const cli_opt_spec *spec[CLI_OPTIONS_MAX];
    const char *value[CLI_OPTIONS_MAX];   /* NULL: absent; "" for a present flag */
    int spec_count;
    const char *pos[CLI_POSITIONAL_MAX];
    int pos_count;
    int given_spec[CLI_GIVEN_MAX];        /* every option as given, in order (repeats too) */
    const char *given_value[CLI_GIVEN_MAX];
    int given_count;
} cli_args;

void cli_args_init(cli_args *a);
/* Accept the options of a {NULL}-terminated spec array (call once per array). */
void cli_args_accept(cli_args *a, const cli_opt_spec *specs);
/* Parse argv[0..argc). Unknown options, a missing value, a value given to a flag or too many
 * positionals → GJ_E_USAGE naming the option. A repeated option keeps its last value
 * (cli_args_values lists them all). */
gj_err cli_args_parse(cli_args *a, int argc, char **argv, gj_status *st);
/* Every required option present? → GJ_E_USAGE "missing --name VALUE". */
gj_err cli_args_check_required(const cli_args *a, gj_status *st);

const char *cli_args_value(const cli_args *a, const char *name);   /* NULL when absent */
bool cli_args_flag(const cli_args *a, const char *name);
/* Every value of a repeatable option (`--policy A --policy B`), in order; returns the count. */
int cli_args_values(const cli_args *a, const char *name, const char **out, int max);

/* Does raw argv hold this flag before any `--`? (for --help and --json, which must work even
 * when the rest of the command line is wrong). `alias` may be NULL. */
bool cli_argv_has_flag(int argc, char **argv, const char *flag, const char *alias);

#endif
