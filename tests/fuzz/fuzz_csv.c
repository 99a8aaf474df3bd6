/* fuzz_csv.c — libFuzzer target: the CSV record reader. gj_csv_next over the bytes as a
 * stream, continuing after malformed records as the importer's reader may: a record has at
 * most GJ_CSV_FIELDS_MAX fields, every field is a NUL-terminated string inside the record's
 * buffer, line numbers never go back, and the reader always reaches the end. */
#include <stdlib.h>
#include <string.h>

#include "gongji/csv.h"
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *f = harness_file(data, size);
    if (f == NULL) return 0;
    gj_csv_reader reader;
    gj_csv_record *rec = malloc(sizeof *rec);
    gj_status st;
    long last_line = 0;
    int got = 1;
    gj_csv_open(&reader, f);
    /* each call consumes at least one byte, so size + 1 calls reach the end */
    for (size_t calls = 0; got != 0 && calls <= size + 1; calls++) {
        gj_status_clear(&st);
        got = gj_csv_next(&reader, rec, &st);
        harness_check(rec->line_no >= last_line, "line numbers went back", NULL);
        last_line = rec->line_no;
        if (got < 0) {
            harness_check(strncmp(st.detail, "line ", 5) == 0, "error without its line", st.detail);
            continue;
        }
        harness_check(rec->count <= GJ_CSV_FIELDS_MAX, "too many fields", NULL);
        for (size_t i = 0; i < rec->count; i++) {
            const char *field = rec->field[i];
            harness_check(field >= rec->buf && field < rec->buf + GJ_CSV_LINE_MAX, "field outside the buffer", NULL);
            harness_check(memchr(field, '\0', (size_t)(rec->buf + GJ_CSV_LINE_MAX - field)) != NULL,
                          "field not terminated", NULL);
        }
    }
    harness_check(got == 0, "the reader did not reach the end of the input", NULL);
    free(rec);
    fclose(f);
    return 0;
}
