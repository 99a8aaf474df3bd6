/* gongjid.c — the gongji HTTP service: `gongjid --db PATH --listen 127.0.0.1:8080`.
 * Opens the engine, serves until SIGTERM or SIGINT, then stops gracefully: no new
 * connections, in-flight requests finish, the database closes cleanly. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongji/gjtime.h"
#include "server.h"

int http_config_set(http_config *c, const char *key, const char *v);

static const char usage[] =
    "Usage: gongjid [--config FILE] [--db PATH] [--listen HOST:PORT] [--policies DIR]\n"
    "               [--threads N] [--web_dir DIR] [--demo] [--now \"yyyy-MM-dd HH:mm:ss\"]\n"
    "               [--SETTING VALUE ...]\n"
    "\n"
    "gongji HTTP service: the national interface for institutions (POST /fsi/api/callService),\n"
    "REST for insured people and agency staff (/api/v1/...), /healthz, /metrics, /openapi.json,\n"
    "and the web console: / for insured people, /staff/ for agency staff.\n"
    "\n"
    "  --config FILE      key = value settings (docs/operations.md); options given after it win\n"
    "  --db PATH          SQLite database (default: $GONGJI_DB, else gongji.db)\n"
    "  --listen HOST:PORT IPv4 address to listen on (default 127.0.0.1:8080; port 0: any free)\n"
    "  --policies DIR     policy directory (default: $GONGJI_POLICIES, else built in)\n"
    "  --threads N        request threads, 1..64 (default 4)\n"
    "  --web_dir DIR      the web console's files (default: the source tree's web/)\n"
    "  --provinces FILE   province map, PP = URL lines: provinces on their own PostgreSQL\n"
    "                     databases; --db must be one of them. In-doubt cross-province\n"
    "                     transactions are resolved at start (default: $GONGJI_PROVINCES)\n"
    "  --in_doubt_check_s N  with --provinces: also end in-doubt transactions older than N s\n"
    "                        every N s, 0..86400 (default 60; 0: only at start)\n"
    "  --sim_report_dir DIR  where gongji simulate wrote last.json and last.svg: the staff\n"
    "                        console's last simulation report (default: none)\n"
    "  --max_connections N       concurrent connections, more refused (default 512)\n"
    "  --connection_timeout_s N  idle or slow connection timeout in seconds (default 30)\n"
    "  --body_max_bytes N        larger request bodies get 413 TOO_LARGE (default 1048576)\n"
    "  --shutdown_grace_s N      on SIGTERM, seconds in-flight requests may take (default 10)\n"
    "  --signature_window_s N    accepted clock skew of signed institution requests (default 300)\n"
    "  --token_ttl_s N           bearer token lifetime in seconds, 60..86400 (default 1800)\n"
    "  --idempotency_retention_s N  how long the answer to a request with an\n"
    "                               Idempotency-Key is kept for its retries, 60..2592000 s\n"
    "                               (default 86400, a day); a retry after it is a new request\n"
    "  --batch_max N             write pipeline: requests per group commit, 1..4096 (default 256)\n"
    "  --batch_wait_us N         write pipeline: wait for a batch to fill, 0..1000 (default 0)\n"
    "  --readers N               reader threads (own connections) for GET requests,\n"
    "                            0..64 (default 4; 0: GETs go through the write pipeline)\n"
    "  --demo             demo mode: the identity verifier logs one-time codes (never in production)\n"
    "  --now TIME         fix the clock (tests only; else $GONGJI_NOW)\n"
    "\n"
    "Environment: GONGJI_DB, GONGJI_POLICIES, GONGJI_PROVINCES, GONGJI_NOW (see above); options win over them.\n"
    "  Tests only: GONGJI_TEST_READ_DELAY_MS=N makes each GET wait N ms on its reader.\n"
    "Logs: JSON lines on standard output, without personal data (docs/operations.md).\n"
    "Stops gracefully on SIGTERM or SIGINT: no new connections, in-flight requests finish (up to\n"
    "shutdown_grace_s), the database closes, exit 0. Example:\n"
    "  gongjid --db demo/gongji.db --listen 127.0.0.1:8080 --demo\n";

static int parse_args(int argc, char **argv, http_config *c) {
    char why[256];
    const char *env_db = getenv("GONGJI_DB"), *env_pol = getenv("GONGJI_POLICIES");
    const char *env_now = getenv("GONGJI_NOW");   /* --now, read below, wins over it */
    const char *env_prov = getenv("GONGJI_PROVINCES");
    if (env_prov && *env_prov) snprintf(c->provinces, sizeof c->provinces, "%s", env_prov);
    gj_time t;
    if (env_now && *env_now && gj_time_parse(env_now, &t) == GJ_E_OK) gj_clock_fix(t);
    if (env_db && *env_db) snprintf(c->db_url, sizeof c->db_url, "%s", env_db);
    if (env_pol && *env_pol) snprintf(c->policy_dir, sizeof c->policy_dir, "%s", env_pol);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            exit(0);
        } else if (!strcmp(a, "--demo")) {
            c->demo = 1;
        } else if (!strcmp(a, "--config") && v) {
            if (http_config_file(c, v, why, sizeof why) != 0) {
                fprintf(stderr, "gongjid: %s\n", why);
                return -1;
            }
            i++;
        } else if (!strcmp(a, "--now") && v) {
            if (gj_time_parse(v, &t) != GJ_E_OK) return fprintf(stderr, "gongjid: bad --now\n"), -1;
            gj_clock_fix(t);
            i++;
        } else if (!strncmp(a, "--", 2) && v && http_config_set(c, a + 2, v) == 0) {
            i++;
        } else {
            fprintf(stderr, "gongjid: bad option or value: %s\n%s", a, usage);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    static http_server server;
    char why[256];
    gj_status st;
    http_config_defaults(&server.config);
    if (parse_args(argc, argv, &server.config) != 0) return 2;
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);   /* every thread inherits the mask */
    signal(SIGPIPE, SIG_IGN);
    if (gj_engine_open(server.config.db_url, server.config.policy_dir, &server.engine, &st) != GJ_E_OK) {
        fprintf(stderr, "gongjid: %s: %s\n", gj_err_name(st.code), st.detail);
        return 5;
    }
    if (server.config.provinces[0] != '\0' && http_in_doubt_start(&server, &st) != GJ_E_OK) {
        fprintf(stderr, "gongjid: %s: %s\n", gj_err_name(st.code), st.detail);
        gj_engine_close(server.engine);
        return 5;
    }
    if (http_server_start(&server, why, sizeof why) != 0) {
        fprintf(stderr, "gongjid: %s\n", why);
        gj_engine_close(server.engine);
        return 5;
    }
    snprintf(why, sizeof why, "http://%s:%u", server.config.listen_host, server.config.listen_port);
    http_log_event("listening", why);
    int sig = 0;
    sigwait(&signals, &sig);
    http_log_event("stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    http_server_stop(&server);
    http_in_doubt_stop(&server);
    gj_engine_close(server.engine);
    http_log_event("stopped", "");
    return 0;
}
