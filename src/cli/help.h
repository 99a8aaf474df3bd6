/* help.h — usage texts generated from the command table: the overview (`gongji --help`), a
 * command group (`gongji bind --help`) and one command (`gongji bind invite --help`). */
#ifndef GONGJI_CLI_HELP_H
#define GONGJI_CLI_HELP_H

#include <stdio.h>

#include "cli.h"

void cli_help_overview(FILE *f);
void cli_help_group(FILE *f, const char *group);
void cli_help_command(FILE *f, const cli_command *cmd);

#endif
