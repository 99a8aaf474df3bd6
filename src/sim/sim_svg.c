/* sim_svg.c — the report as a chart that opens in any browser: hand-written SVG, no scripts,
 * no fonts to fetch. Top: mutual-aid amounts per month, one bar series per policy. Bottom:
 * refusals by code and rule (all actions), one bar per policy. Pixel positions are integers. */
#include <stdlib.h>
#include <string.h>

#include "gongji/sim.h"

enum { WIDTH = 960, LEFT = 90, RIGHT = 930, LEGEND_H = 18, HEIGHT1 = 280, LABEL_W = 300, ROW_H = 16,
       CODES_MAX = 64 };

static const char *const colors[GJ_SIM_POLICIES_MAX] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759"};

static void xml_text(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '&') fputs("&amp;", f);
        else if (*s == '<') fputs("&lt;", f);
        else if (*s == '>') fputs("&gt;", f);
        else if (*s == '"') fputs("&quot;", f);
        else fputc(*s, f);
    }
}

/* A round axis maximum at least `max`: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k. */
static long long nice_max(long long max) {
    static const int tenths[] = {10, 15, 20, 25, 30, 40, 50, 60, 80, 100};
    long long scale = 1;
    while (scale * 10 <= max) scale *= 10;
    for (size_t i = 0; i < sizeof tenths / sizeof tenths[0]; i++)
        if (scale * tenths[i] / 10 >= max) return scale * tenths[i] / 10;
    return scale * 10;
}

static void header(FILE *f, const json_t *report, int height, int policies) {
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            WIDTH, height, WIDTH, height);
    fprintf(f, "<text x=\"20\" y=\"28\" font-size=\"16\" font-weight=\"bold\">gongji what-if simulation %d "
               "(revision ", (int)json_integer_value(json_object_get(report, "year")));
    xml_text(f, json_string_value(json_object_get(report, "git_revision")));
    fputs(")</text>\n", f);
    const json_t *list = json_object_get(report, "policies");
    for (int p = 0; p < policies; p++) {
        const json_t *policy = json_array_get(list, (size_t)p);
        const char *source = json_string_value(json_object_get(policy, "source"));
        fprintf(f, "<rect x=\"20\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"38\" y=\"%d\">%c: ",
                40 + p * LEGEND_H, colors[p], 51 + p * LEGEND_H, 'A' + p);
        xml_text(f, source != NULL ? source : "");
        fputs(" (verify ", f);
        xml_text(f, json_string_value(json_object_get(policy, "verify")) ? json_string_value(json_object_get(policy, "verify")) : "");
        fputs(")</text>\n", f);
    }
}

static void axis_label(FILE *f, int x, int y, long long value, bool money, const char *anchor) {
    char text[64];
    gj_sim_format(money ? value - value % 100 : value, money, true, text, sizeof text);
    if (money) text[strcspn(text, ".")] = '\0';
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" fill=\"#555\">%s</text>\n", x, y, anchor, text);
}

static void monthly_chart(FILE *f, long long values[12][GJ_SIM_POLICIES_MAX], int policies, int top) {
    long long max = 100;
    for (int m = 0; m < 12; m++)
        for (int p = 0; p < policies; p++) max = values[m][p] > max ? values[m][p] : max;
    max = nice_max(max);
    int bottom = top + HEIGHT1, group = (RIGHT - LEFT) / 12, bar = group * 4 / 5 / policies;
    fprintf(f, "<text x=\"20\" y=\"%d\" font-size=\"14\">Mutual aid paid per month (yuan)</text>\n", top - 12);
    for (int t = 0; t <= 5; t++) {
        int y = bottom - HEIGHT1 * t / 5;
        fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n", LEFT, y, RIGHT, y);
        axis_label(f, LEFT - 6, y + 4, max * t / 5, true, "end");
    }
    for (int m = 0; m < 12; m++) {
        int x0 = LEFT + m * group + group / 10;
        for (int p = 0; p < policies; p++) {
            int h = (int)(values[m][p] * HEIGHT1 / max);
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", x0 + p * bar,
                    bottom - h, bar - 1, h, colors[p]);
        }
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", LEFT + m * group + group / 2,
                bottom + 16, m + 1);
    }
}

static void refusal_chart(FILE *f, int top, char codes[][64], long long counts[][GJ_SIM_POLICIES_MAX],
                         int n, int policies) {
    long long max = 1;
    for (int c = 0; c < n; c++)
        for (int p = 0; p < policies; p++) max = counts[c][p] > max ? counts[c][p] : max;
    max = nice_max(max);
    int x0 = 20 + LABEL_W, span = RIGHT - x0, y = top + 10;
    fprintf(f, "<text x=\"20\" y=\"%d\" font-size=\"14\">Refusals by code and rule</text>\n", top - 12);
    if (n == 0) fprintf(f, "<text x=\"20\" y=\"%d\">none</text>\n", y + 12);
    for (int c = 0; c < n; c++, y += ROW_H * policies + 10) {
        fprintf(f, "<text x=\"20\" y=\"%d\">", y + ROW_H * policies / 2 + 4);
        xml_text(f, codes[c]);
        fputs("</text>\n", f);
        for (int p = 0; p < policies; p++) {
            int w = (int)(counts[c][p] * span / max);
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", x0, y + p * ROW_H, w,
                    ROW_H - 2, colors[p]);
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%lld</text>\n", x0 + w + 4,
                    y + p * ROW_H + ROW_H - 4, counts[c][p]);
        }
    }
}

/* Refusals summed over actions, per code, in the order first seen. */
static int collect_refusals(const gj_sim_row *rows, int n, int policies, char codes[][64],
                            long long counts[][GJ_SIM_POLICIES_MAX]) {
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(rows[i].section, "refusals") != 0) continue;
        int c = 0;
        while (c < k && strcmp(codes[c], rows[i].metric) != 0) c++;
        if (c == k && k == CODES_MAX) continue;
        if (c == k) {
            snprintf(codes[k], 64, "%s", rows[i].metric);
            memset(counts[k++], 0, sizeof counts[0]);
        }
        for (int p = 0; p < policies; p++) counts[c][p] += rows[i].value[p];
    }
    return k;
}

void gj_sim_write_svg(FILE *f, const json_t *report) {
    gj_sim_row *rows = NULL;
    int policies = 0, n = gj_sim_rows(report, &rows, &policies);
    if (policies == 0) policies = 1;   /* an empty report still draws its axes */
    long long monthly[12][GJ_SIM_POLICIES_MAX] = {{0}};
    char codes[CODES_MAX][64];
    long long counts[CODES_MAX][GJ_SIM_POLICIES_MAX];
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].section, "monthly") == 0)
            memcpy(monthly[atoi(rows[i].key) - 1], rows[i].value, sizeof monthly[0]);
    int k = collect_refusals(rows, n, policies, codes, counts);
    int top1 = 70 + policies * LEGEND_H, top2 = top1 + HEIGHT1 + 70, height = top2 + 30 + (k > 0 ? k : 1) * (ROW_H * policies + 10);
    header(f, report, height, policies);
    monthly_chart(f, monthly, policies, top1);
    refusal_chart(f, top2, codes, counts, k, policies);
    fputs("</svg>\n", f);
    free(rows);
}
