/* sim_table.c — the simulation report on the terminal: what was simulated (year, population,
 * each policy's source, version ids and verify result, git revision), then one line per figure
 * with a column per policy and the difference with the first — every total, the main figures
 * per region and per relation, refusals by action, code and rule, and mutual aid per month. */
#include "sim_table.h"

#include <stdlib.h>
#include <string.h>

#include "gongji/sim.h"
#include "text.h"

enum { LABEL_WIDTH = 56, VALUE_WIDTH = 16 };

static const struct {
    const char *section, *title;
} sections[] = {
    {"totals", "Totals"},
    {"by_region", "By region (patient's region for bills and premiums, donor's for networks)"},
    {"by_relation", "By relation (the member's relation to their donor)"},
    {"refusals", "Refusals (action: code and rule)"},
    {"monthly", "Mutual aid per month (yuan)"},
};

/* In the region and relation sections only these figures are shown (all are in --json/--csv). */
static const char *const breakdown_metrics[] = {"families_using_mutual_aid", "bindings",
                                                "invitations_refused", "mutual_aid_yuan",
                                                "premiums_paid_for_relatives", "members_at_limit"};

static bool shown(const gj_sim_row *r) {
    if (strcmp(r->section, "by_region") != 0 && strcmp(r->section, "by_relation") != 0) return true;
    for (size_t i = 0; i < sizeof breakdown_metrics / sizeof breakdown_metrics[0]; i++)
        if (strcmp(r->metric, breakdown_metrics[i]) == 0) return true;
    return false;
}

static void label_of(const gj_sim_row *r, char *buf, size_t size) {
    char metric[64];
    size_t n = strlen(r->metric);
    bool yuan = n > 5 && strcmp(r->metric + n - 5, "_yuan") == 0;
    snprintf(metric, sizeof metric, "%.*s%s", (int)(yuan ? n - 5 : n), r->metric, yuan ? " (yuan)" : "");
    for (char *p = metric; *p && strcmp(r->section, "refusals") != 0; p++)
        if (*p == '_') *p = ' ';
    if (strcmp(r->section, "monthly") == 0) snprintf(buf, size, "  %s", r->key);
    else if (r->key[0] != '\0') snprintf(buf, size, "  %s%s %s", r->key, strcmp(r->section, "refusals") ? "" : ":", metric);
    else snprintf(buf, size, "  %s", metric);
}

static void value(FILE *f, long long v, bool money, bool sign) {
    char text[64], signed_text[72];
    gj_sim_format(v, money, true, text, sizeof text);
    snprintf(signed_text, sizeof signed_text, "%s%s", sign && v > 0 ? "+" : "", text);
    text_pad(f, signed_text, VALUE_WIDTH, true);
}

static void header(FILE *f, const json_t *report, int policies) {
    const json_t *pop = json_object_get(report, "population"), *list = json_object_get(report, "policies");
    fprintf(f, "What-if simulation %lld (gongji revision %s)\n",
            (long long)json_integer_value(json_object_get(report, "year")),
            json_string_value(json_object_get(report, "git_revision")));
    fprintf(f, "Population: %s — %lld persons in %lld families, %lld events\n",
            json_string_value(json_object_get(pop, "source")),
            (long long)json_integer_value(json_object_get(pop, "persons")),
            (long long)json_integer_value(json_object_get(pop, "families")),
            (long long)json_integer_value(json_object_get(pop, "events")));
    for (int p = 0; p < policies; p++) {
        const json_t *pol = json_array_get(list, (size_t)p), *ids = json_object_get(pol, "version_ids");
        fprintf(f, "%c: %s (verify %s)\n", 'A' + p, json_string_value(json_object_get(pol, "source")),
                json_string_value(json_object_get(pol, "verify")));
        json_t *seen = json_object(), *versions;
        const char *region;
        json_object_foreach((json_t *)ids, region, versions) {
            for (size_t v = 0; v < json_array_size(versions); v++) {
                const char *id = json_string_value(json_array_get(versions, v));
                if (json_object_get(seen, id) == NULL) fprintf(f, "   version %s\n", id);
                json_object_set_new(seen, id, json_true());
            }
        }
        json_decref(seen);
    }
}

static void column_titles(FILE *f, int policies) {
    text_pad(f, "", LABEL_WIDTH, false);
    for (int p = 0; p < policies; p++) fprintf(f, "%*c", VALUE_WIDTH, 'A' + p);
    for (int p = 1; p < policies; p++) fprintf(f, "%*c - A", VALUE_WIDTH - 4, 'A' + p);
    fputc('\n', f);
}

static void section(FILE *f, const char *name, const char *title, const gj_sim_row *rows, int n,
                    int policies) {
    bool titled = false;
    for (int i = 0; i < n; i++) {
        const gj_sim_row *r = &rows[i];
        if (strcmp(r->section, name) != 0 || !shown(r)) continue;
        if (!titled) fprintf(f, "%s\n", title);
        titled = true;
        char label[160];
        label_of(r, label, sizeof label);
        text_pad(f, label, LABEL_WIDTH, false);
        for (int p = 0; p < policies; p++) value(f, r->value[p], r->money, false);
        for (int p = 1; p < policies; p++) value(f, r->value[p] - r->value[0], r->money, true);
        fputc('\n', f);
    }
}

void sim_table_print(FILE *f, const json_t *report) {
    gj_sim_row *rows = NULL;
    int policies = 0, n = gj_sim_rows(report, &rows, &policies);
    header(f, report, policies);
    fputc('\n', f);
    column_titles(f, policies);
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++)
        section(f, sections[s].section, sections[s].title, rows, n, policies);
    free(rows);
}
