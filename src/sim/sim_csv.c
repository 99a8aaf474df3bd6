/* sim_csv.c — the report's figures as CSV for analysts: one row per section, key and metric,
 * a column per policy (A, B, …) and a difference column per later policy (B-A, …); amounts in
 * yuan with two decimals, counts as integers; text fields quoted where RFC 4180 needs it. */
#include <stdlib.h>

#include "gongji/csv.h"
#include "gongji/sim.h"

void gj_sim_write_csv(FILE *f, const json_t *report) {
    gj_sim_row *rows = NULL;
    int policies = 0, n = gj_sim_rows(report, &rows, &policies);
    fputs("section,key,metric", f);
    for (int p = 0; p < policies; p++) fprintf(f, ",%c", 'A' + p);
    for (int p = 1; p < policies; p++) fprintf(f, ",%c-A", 'A' + p);
    fputc('\n', f);
    for (int i = 0; i < n; i++) {
        char text[64];
        gj_csv_write_field(f, rows[i].section);
        fputc(',', f);
        gj_csv_write_field(f, rows[i].key);
        fputc(',', f);
        gj_csv_write_field(f, rows[i].metric);
        for (int p = 0; p < policies; p++) {
            gj_sim_format(rows[i].value[p], rows[i].money, false, text, sizeof text);
            fprintf(f, ",%s", text);
        }
        for (int p = 1; p < policies; p++) {
            gj_sim_format(rows[i].value[p] - rows[i].value[0], rows[i].money, false, text, sizeof text);
            fprintf(f, ",%s", text);
        }
        fputc('\n', f);
    }
    free(rows);
}
