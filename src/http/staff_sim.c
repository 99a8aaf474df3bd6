/* staff_sim.c — the last what-if simulation report for auditors and administrators (issue 9):
 * `gongji simulate --json-out DIR/last.json --svg DIR/last.svg` writes it into the directory of
 * the setting sim_report_dir; GET /api/v1/staff/simulation/last answers the JSON report and
 * …/last.svg its chart. 404 NO_SIMULATION_REPORT while the setting is empty
 * or the file is missing; 500 when the file is not a gongji simulation report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

enum { SIM_PATH_MAX = 600 };

static const char *const REPORT_FORMAT = "gongji-simulation/1";

/* The file `name` of the report directory, read whole; NULL (and a 404 in res) if there is none. */
static char *report_file(http_request *req, http_response *res, const char *name, size_t *len) {
    const char *dir = req->server->config.sim_report_dir;
    char path[SIM_PATH_MAX];
    char *body = NULL;
    if (dir[0] != '\0' && (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) < sizeof path)
        body = http_read_file(path, len);
    if (body == NULL)
        http_error(res, 404, GJ_E_NO_SIMULATION_REPORT,
                   "run gongji simulate --json-out <sim_report_dir>/last.json "
                   "--svg <sim_report_dir>/last.svg");
    return body;
}

static void get_last(http_request *req, http_response *res) {
    size_t len = 0;
    char *text = report_file(req, res, "last.json", &len);
    if (text == NULL) return;
    json_t *report = json_loadb(text, len, 0, NULL);
    free(text);
    const char *format = json_string_value(json_object_get(report, "format"));
    if (format == NULL || strcmp(format, REPORT_FORMAT) != 0) {
        json_decref(report);
        http_error(res, 500, GJ_E_INTERNAL, "last.json is not a gongji simulation report");
        return;
    }
    http_reply(res, 200, report);
}

static void get_last_svg(http_request *req, http_response *res) {
    size_t len = 0;
    char *svg = report_file(req, res, "last.svg", &len);
    if (svg == NULL) return;
    res->status = 200;
    res->raw = svg;
    res->raw_len = len;
    res->content_type = "image/svg+xml";
}

const http_route http_staff_sim_routes[] = {
    {"GET", "/api/v1/staff/simulation/last", AUTH_STAFF, ROLE_AUDITOR | ROLE_ADMIN, get_last,
     "the last what-if simulation report", NULL, NULL},
    {"GET", "/api/v1/staff/simulation/last.svg", AUTH_STAFF, ROLE_AUDITOR | ROLE_ADMIN,
     get_last_svg, "the last simulation report's chart (SVG)", NULL, NULL},
    {NULL, NULL, AUTH_PUBLIC, 0, NULL, NULL, NULL, NULL},
};
