/* config.c — gongjid settings: defaults (named limits) and the "key = value" config file
 * described in docs/operations.md. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

enum {
    DEFAULT_PORT = 8080,
    DEFAULT_THREADS = 4,
    DEFAULT_MAX_CONNECTIONS = 512,
    DEFAULT_CONNECTION_TIMEOUT_S = 30,
    DEFAULT_SHUTDOWN_GRACE_S = 10,
    DEFAULT_SIGNATURE_WINDOW_S = 300,
    DEFAULT_TOKEN_TTL_S = 1800,
    /* Idempotency-Key answers: clients retry within minutes (a timeout, a lost connection, the
     * console's confirmation sent again); a day covers a retry the next morning after a night's
     * outage, and keeps the table to about one day of keyed writes. */
    DEFAULT_IDEMPOTENCY_RETENTION_S = 86400,
    IDEMPOTENCY_RETENTION_MAX_S = 30 * 86400,
    CONFIG_LINE_MAX = 1024,
    DEFAULT_BATCH_MAX = 256,
    DEFAULT_BATCH_WAIT_US = 0,     /* batches fill while the previous commit syncs */
    DEFAULT_READERS = 4,
    DEFAULT_IN_DOUBT_CHECK_S = 60,
};

void http_config_defaults(http_config *c) {
    memset(c, 0, sizeof *c);
    snprintf(c->db_url, sizeof c->db_url, "gongji.db");
    snprintf(c->policy_dir, sizeof c->policy_dir, "%s", GJ_POLICY_DIR);
    snprintf(c->web_dir, sizeof c->web_dir, "%s", GJ_WEB_DIR);
    snprintf(c->listen_host, sizeof c->listen_host, "127.0.0.1");
    c->listen_port = DEFAULT_PORT;
    c->threads = DEFAULT_THREADS;
    c->max_connections = DEFAULT_MAX_CONNECTIONS;
    c->connection_timeout_s = DEFAULT_CONNECTION_TIMEOUT_S;
    c->body_max_bytes = HTTP_BODY_MAX_BYTES;
    c->shutdown_grace_s = DEFAULT_SHUTDOWN_GRACE_S;
    c->signature_window_s = DEFAULT_SIGNATURE_WINDOW_S;
    c->token_ttl_s = DEFAULT_TOKEN_TTL_S;
    c->idempotency_retention_s = DEFAULT_IDEMPOTENCY_RETENTION_S;
    c->batch_max = DEFAULT_BATCH_MAX;
    c->batch_wait_us = DEFAULT_BATCH_WAIT_US;
    c->readers = DEFAULT_READERS;
    c->in_doubt_check_s = DEFAULT_IN_DOUBT_CHECK_S;
}

static int parse_unsigned(const char *v, unsigned long lo, unsigned long hi, unsigned long *out) {
    char *end = NULL;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *v == '\0' || *end != '\0' || n < lo || n > hi) return -1;
    *out = n;
    return 0;
}

/* "127.0.0.1:8080" → host and port. */
int http_config_listen(http_config *c, const char *v);
int http_config_listen(http_config *c, const char *v) {
    const char *colon = strrchr(v, ':');
    unsigned long port = 0;
    if (colon == NULL || (size_t)(colon - v) >= sizeof c->listen_host ||
        parse_unsigned(colon + 1, 0, 65535, &port) != 0)
        return -1;
    snprintf(c->listen_host, sizeof c->listen_host, "%.*s", (int)(colon - v), v);
    c->listen_port = (uint16_t)port;
    return 0;
}

/* Apply one setting; -1 on an unknown key or a bad value. */
int http_config_set(http_config *c, const char *key, const char *v);
int http_config_set(http_config *c, const char *key, const char *v) {
    unsigned long n = 0;
    if (!strcmp(key, "db")) return snprintf(c->db_url, sizeof c->db_url, "%s", v) < (int)sizeof c->db_url ? 0 : -1;
    if (!strcmp(key, "policies")) return snprintf(c->policy_dir, sizeof c->policy_dir, "%s", v) < (int)sizeof c->policy_dir ? 0 : -1;
    if (!strcmp(key, "web_dir")) return snprintf(c->web_dir, sizeof c->web_dir, "%s", v) < (int)sizeof c->web_dir ? 0 : -1;
    if (!strcmp(key, "provinces")) return snprintf(c->provinces, sizeof c->provinces, "%s", v) < (int)sizeof c->provinces ? 0 : -1;
    if (!strcmp(key, "sim_report_dir")) return snprintf(c->sim_report_dir, sizeof c->sim_report_dir, "%s", v) < (int)sizeof c->sim_report_dir ? 0 : -1;
    if (!strcmp(key, "listen")) return http_config_listen(c, v);
    if (!strcmp(key, "demo")) return parse_unsigned(v, 0, 1, &n) ? -1 : (c->demo = (int)n, 0);
    struct { const char *key; unsigned long lo, hi; unsigned *field; } ints[] = {
        {"threads", 1, 64, &c->threads},
        {"max_connections", 1, 100000, &c->max_connections},
        {"connection_timeout_s", 1, 3600, &c->connection_timeout_s},
        {"shutdown_grace_s", 0, 600, &c->shutdown_grace_s},
        {"signature_window_s", 1, 3600, &c->signature_window_s},
        {"token_ttl_s", 60, 86400, &c->token_ttl_s},
        {"idempotency_retention_s", 60, IDEMPOTENCY_RETENTION_MAX_S, &c->idempotency_retention_s},
        {"batch_max", 1, GJ_PIPELINE_BATCH_MAX_LIMIT, &c->batch_max},
        {"batch_wait_us", 0, GJ_PIPELINE_WAIT_MAX_US, &c->batch_wait_us},
        {"readers", 0, HTTP_READERS_MAX, &c->readers},
        {"in_doubt_check_s", 0, 86400, &c->in_doubt_check_s},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (strcmp(key, ints[i].key) != 0) continue;
        if (parse_unsigned(v, ints[i].lo, ints[i].hi, &n)) return -1;
        *ints[i].field = (unsigned)n;
        return 0;
    }
    if (!strcmp(key, "body_max_bytes")) {
        if (parse_unsigned(v, 1024, 64ul << 20, &n)) return -1;
        c->body_max_bytes = n;
        return 0;
    }
    return -1;
}

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1])) *--end = '\0';
    return s;
}

int http_config_file(http_config *c, const char *path, char *why, size_t why_len) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(why, why_len, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char line[CONFIG_LINE_MAX];
    int line_no = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        line_no++;
        char *s = trim(line);
        if (*s == '\0' || *s == '#') continue;
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            snprintf(why, why_len, "%s:%d: key = value expected", path, line_no);
            rc = -1;
            break;
        }
        *eq = '\0';
        if (http_config_set(c, trim(s), trim(eq + 1)) != 0) {
            snprintf(why, why_len, "%s:%d: unknown key or bad value", path, line_no);
            rc = -1;
        }
    }
    fclose(f);
    return rc;
}
