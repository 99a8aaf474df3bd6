/* commands.c — the dispatch table: every command group's table (cmd_*.c) in the order
 * `gongji --help` lists them, and lookups by group and subcommand. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_command *const command_tables[] = {
    cli_registry_commands, cli_policy_commands, cli_network_commands,
    cli_settle_commands,   cli_records_commands,  cli_access_commands,
    cli_institution_access_commands, cli_sim_commands,
    cli_sign_commands,
    cli_regions_commands,
};
enum { TABLE_COUNT = sizeof command_tables / sizeof command_tables[0] };

int cli_command_count(void) {
    int n = 0;
    for (size_t t = 0; t < TABLE_COUNT; t++)
        for (const cli_command *cmd = command_tables[t]; cmd->group != NULL; cmd++) n++;
    return n;
}

const cli_command *cli_command_at(int i) {
    for (size_t t = 0; t < TABLE_COUNT; t++)
        for (const cli_command *cmd = command_tables[t]; cmd->group != NULL; cmd++)
            if (i-- == 0) return cmd;
    return NULL;
}

static bool same(const char *a, const char *b) {
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

const cli_command *cli_command_find(const char *group, const char *sub) {
    for (int i = 0; i < cli_command_count(); i++) {
        const cli_command *cmd = cli_command_at(i);
        if (strcmp(cmd->group, group) == 0 && same(cmd->sub, sub)) return cmd;
    }
    return NULL;
}

bool cli_group_exists(const char *group) {
    for (int i = 0; i < cli_command_count(); i++)
        if (strcmp(cli_command_at(i)->group, group) == 0) return true;
    return false;
}

const char *cli_command_name(const cli_command *cmd, char *buf, size_t buf_len) {
    snprintf(buf, buf_len, "%s%s%s", cmd->group, cmd->sub != NULL ? " " : "",
             cmd->sub != NULL ? cmd->sub : "");
    return buf;
}

bool cli_group_has_subs(const char *group) {
    for (int i = 0; i < cli_command_count(); i++) {
        const cli_command *cmd = cli_command_at(i);
        if (strcmp(cmd->group, group) == 0 && cmd->sub != NULL) return true;
    }
    return false;
}
