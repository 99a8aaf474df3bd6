/* args.c — the command-line option parser declared in args.h. */
#include "args.h"

#include <assert.h>
#include <string.h>

void cli_args_init(cli_args *a) { memset(a, 0, sizeof *a); }

void cli_args_accept(cli_args *a, const cli_opt_spec *specs) {
    for (const cli_opt_spec *s = specs; s != NULL && s->name != NULL; s++) {
        assert(a->spec_count < CLI_OPTIONS_MAX);
        a->spec[a->spec_count++] = s;
    }
}

static int find_option(const cli_args *a, const char *name, size_t name_len) {
    for (int i = 0; i < a->spec_count; i++) {
        const char *spec_name = a->spec[i]->name;
        if (strlen(spec_name) == name_len && strncmp(spec_name, name, name_len) == 0) return i;
    }
    return -1;
}

static gj_err add_positional(cli_args *a, const char *arg, gj_status *st) {
    if (a->pos_count >= CLI_POSITIONAL_MAX)
        return gj_fail(st, GJ_E_USAGE, "too many arguments (at most %d)", CLI_POSITIONAL_MAX);
    a->pos[a->pos_count++] = arg;
    return GJ_E_OK;
}

/* One `--name[=value]` (or `-h`) at argv[*i]; consumes the next argv for a separate value. */
static gj_err parse_option(cli_args *a, int argc, char **argv, int *i, gj_status *st) {
    const char *arg = argv[*i];
    const char *name = strcmp(arg, "-h") == 0 ? "help" : arg + 2;
    const char *eq = strchr(name, '=');
    size_t name_len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    int k = arg[1] == '-' || strcmp(arg, "-h") == 0 ? find_option(a, name, name_len) : -1;
    if (k < 0) return gj_fail(st, GJ_E_USAGE, "unknown option %s", arg);
    const cli_opt_spec *s = a->spec[k];
    if (s->value_name == NULL) {
        if (eq != NULL) return gj_fail(st, GJ_E_USAGE, "--%s takes no value", s->name);
        a->value[k] = "";
    } else if (eq != NULL) {
        a->value[k] = eq + 1;
    } else if (*i + 1 < argc) {
        a->value[k] = argv[++*i];
    } else {
        return gj_fail(st, GJ_E_USAGE, "--%s needs a value (%s)", s->name, s->value_name);
    }
    if (a->given_count >= CLI_GIVEN_MAX)
        return gj_fail(st, GJ_E_USAGE, "too many options (at most %d)", CLI_GIVEN_MAX);
    a->given_spec[a->given_count] = k;
    a->given_value[a->given_count++] = a->value[k];
    return GJ_E_OK;
}

gj_err cli_args_parse(cli_args *a, int argc, char **argv, gj_status *st) {
    bool options_done = false;
    gj_err err = GJ_E_OK;
    for (int i = 0; i < argc && err == GJ_E_OK; i++) {
        const char *arg = argv[i];
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = true;
        } else if (!options_done && arg[0] == '-' && arg[1] != '\0') {
            err = parse_option(a, argc, argv, &i, st);
        } else {
            err = add_positional(a, arg, st);
        }
    }
    return err;
}

gj_err cli_args_check_required(const cli_args *a, gj_status *st) {
    for (int i = 0; i < a->spec_count; i++) {
        const cli_opt_spec *s = a->spec[i];
        if (s->required && a->value[i] == NULL)
            return gj_fail(st, GJ_E_USAGE, "missing --%s %s", s->name,
                           s->value_name != NULL ? s->value_name : "");
    }
    return GJ_E_OK;
}

const char *cli_args_value(const cli_args *a, const char *name) {
    int k = find_option(a, name, strlen(name));
    return k >= 0 ? a->value[k] : NULL;
}

bool cli_args_flag(const cli_args *a, const char *name) { return cli_args_value(a, name) != NULL; }

int cli_args_values(const cli_args *a, const char *name, const char **out, int max) {
    int k = find_option(a, name, strlen(name)), n = 0;
    for (int i = 0; i < a->given_count && k >= 0; i++)
        if (a->given_spec[i] == k && n < max) out[n++] = a->given_value[i];
    return n;
}

bool cli_argv_has_flag(int argc, char **argv, const char *flag, const char *alias) {
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], flag) == 0 || (alias != NULL && strcmp(argv[i], alias) == 0))
            return true;
    }
    return false;
}
