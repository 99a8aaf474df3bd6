/* sim_table.h — the simulation report as a readable terminal table (text mode of `simulate`). */
#ifndef GONGJI_CLI_SIM_TABLE_H
#define GONGJI_CLI_SIM_TABLE_H

#include <jansson.h>
#include <stdio.h>

void sim_table_print(FILE *f, const json_t *report);

#endif
