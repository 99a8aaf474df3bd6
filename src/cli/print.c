/* print.c — result and error output for the CLI (see print.h). */
#include "print.h"

#include <stdlib.h>

#include "text.h"

enum { JSON_FLAGS = JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY };

void cli_print_json(FILE *f, const json_t *v) {
    char *text = json_dumps(v, JSON_FLAGS);
    if (text != NULL) fprintf(f, "%s\n", text);
    free(text);
}

void cli_print_json_text(FILE *f, const json_t *v) { cli_print_json(f, v); }

json_t *cli_error_json(const gj_status *st) {
    return json_pack("{s:{s:s, s:s, s:s, s:s, s:s}}", "error", "code", gj_err_name(st->code),
                     "rule", gj_err_rule(st->code), "message_zh", gj_err_zh(st->code),
                     "message_en", gj_err_en(st->code), "detail", st->detail);
}

void cli_print_error_line(FILE *f, const gj_status *st) {
    const char *rule = gj_err_rule(st->code);
    fprintf(f, "gongji: %s", gj_err_name(st->code));
    if (rule[0] != '\0') fprintf(f, " (rule %s)", rule);
    fprintf(f, ": %s / %s", gj_err_zh(st->code), gj_err_en(st->code));
    if (st->detail[0] != '\0') fprintf(f, ": %s", st->detail);
    fputc('\n', f);
}

static void print_json_outcome(json_t *out, gj_err err, const gj_status *st) {
    json_t *error = err != GJ_E_OK ? cli_error_json(st) : NULL;
    if (error != NULL && json_is_object(out)) {
        json_object_update(out, error);      /* one document: the report and its error */
        json_decref(error);
        error = NULL;
    }
    if (out != NULL) cli_print_json(stdout, out);
    if (error != NULL) cli_print_json(stdout, error);
    json_decref(error);
}

void cli_print_outcome(const cli_ctx *c, json_t *out, gj_err err, const gj_status *st) {
    if (c->json) {
        print_json_outcome(out, err, st);
    } else if (out != NULL) {
        bool own_printer = c->cmd != NULL && c->cmd->print_text != NULL;
        cli_text_fn print = own_printer ? c->cmd->print_text : text_print;
        print(stdout, out);
    }
    fflush(stdout);
    if (err != GJ_E_OK) cli_print_error_line(stderr, st);
    json_decref(out);
}
