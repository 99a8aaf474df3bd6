/* print.h — how a command's outcome reaches the user: the result as indented, key-sorted JSON
 * (--json) or as text (the command's printer or the generic one), and refusals as
 * "gongji: CODE (rule R4.1): 中文 / English: detail" on stderr (and {"error": …} on stdout
 * with --json). */
#ifndef GONGJI_CLI_PRINT_H
#define GONGJI_CLI_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "cli.h"

void cli_print_json(FILE *f, const json_t *v);
void cli_print_json_text(FILE *f, const json_t *v);     /* a cli_text_fn: always JSON */
json_t *cli_error_json(const gj_status *st);             /* {"code","rule","message_zh",…} */
void cli_print_error_line(FILE *f, const gj_status *st);
/* Print `out` (may be NULL) and, when err is not OK, the refusal; consumes `out`. */
void cli_print_outcome(const cli_ctx *c, json_t *out, gj_err err, const gj_status *st);

#endif
