/* test_csv.c — unit tests for csv.h: plain and quoted fields, "" escapes, embedded commas and
 * line breaks, CRLF, BOM, empty lines, line numbers, limits and malformed records. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "gongji/csv.h"

/* Per-test reader over `len` bytes of `data` (a temporary file, so NUL bytes work too). */
static FILE *csv_file;
static gj_csv_reader reader;
static gj_csv_record rec;
static gj_status st;

static void open_bytes(const char *data, size_t len) {
    csv_file = tmpfile();
    cr_assert_not_null(csv_file);
    cr_assert_eq(fwrite(data, 1, len, csv_file), len);
    rewind(csv_file);
    gj_csv_open(&reader, csv_file);
    gj_status_clear(&st);
}

static void open_text(const char *text) { open_bytes(text, strlen(text)); }

static void close_file(void) {
    if (csv_file != NULL) {
        fclose(csv_file);
        csv_file = NULL;
    }
}

TestSuite(csv, .fini = close_file);

static int next(void) { return gj_csv_next(&reader, &rec, &st); }

/* Expects a record on `line` with exactly the given fields (NULL-terminated list). */
static void expect_record(long line, const char *const *fields) {
    int got = next();
    cr_assert_eq(got, 1, "expected a record at line %ld, got %d (%s)", line, got, st.detail);
    cr_assert_eq(rec.line_no, line, "record line %ld, expected %ld", rec.line_no, line);
    size_t n = 0;
    while (fields[n] != NULL) {
        n++;
    }
    cr_assert_eq(rec.count, n, "line %ld: %zu fields, expected %zu", line, rec.count, n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(rec.field[i], fields[i], "line %ld field %zu", line, i);
    }
}

#define RECORD(line, ...) expect_record(line, (const char *const[]){__VA_ARGS__, NULL})

static void expect_end(void) {
    cr_assert_eq(next(), 0);
    cr_assert_eq(next(), 0, "end of file is sticky");
}

static void expect_error(gj_err code, const char *detail) {
    cr_assert_eq(next(), -1);
    cr_assert_eq(st.code, code, "code %s", gj_err_name(st.code));
    cr_assert(strstr(st.detail, detail) != NULL, "detail \"%s\" lacks \"%s\"", st.detail, detail);
}

Test(csv, plain_records_lf) {
    open_text("a,b,c\n1,2,3\n");
    RECORD(1, "a", "b", "c");
    RECORD(2, "1", "2", "3");
    expect_end();
}

Test(csv, last_record_without_newline) {
    open_text("a,b\n1,2");
    RECORD(1, "a", "b");
    RECORD(2, "1", "2");
    expect_end();
}

Test(csv, crlf_records) {
    open_text("a,b\r\n1,2\r\n");
    RECORD(1, "a", "b");
    RECORD(2, "1", "2");
    expect_end();
}

Test(csv, empty_fields) {
    open_text(",,\na,,b\n\"\"\n,\n");
    RECORD(1, "", "", "");
    RECORD(2, "a", "", "b");
    RECORD(3, "");
    RECORD(4, "", "");
    expect_end();
}

Test(csv, trailing_comma_before_eof_is_an_empty_field) {
    open_text("a,");
    RECORD(1, "a", "");
    expect_end();
}

Test(csv, quoted_fields_with_escapes_and_commas) {
    open_text("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\",plain\n");
    RECORD(1, "a,b", "say \"hi\"", "\"", "plain");
    expect_end();
}

Test(csv, quoted_field_with_line_breaks_keeps_them_and_counts_lines) {
    open_text("h1,h2\n\"line1\nline2\",x\n\"a\r\nb\",y\r\nlast,z\n");
    RECORD(1, "h1", "h2");
    RECORD(2, "line1\nline2", "x");
    RECORD(4, "a\r\nb", "y");
    RECORD(6, "last", "z");
    expect_end();
}

Test(csv, spaces_are_data) {
    open_text(" a , b \n");
    RECORD(1, " a ", " b ");
    expect_end();
}

Test(csv, utf8_content) {
    open_text("姓名,地区\n张三,长沙市\n");
    RECORD(1, "姓名", "地区");
    RECORD(2, "张三", "长沙市");
    expect_end();
}

Test(csv, empty_lines_skipped_but_counted) {
    open_text("\na,b\n\n\r\n1,2\n\n");
    RECORD(2, "a", "b");
    RECORD(5, "1", "2");
    expect_end();
}

Test(csv, empty_file) {
    open_text("");
    expect_end();
}

Test(csv, only_empty_lines) {
    open_text("\n\r\n\n");
    expect_end();
}

Test(csv, bom_skipped_at_start) {
    open_text("\xEF\xBB\xBFname,id\nx,1\n");
    RECORD(1, "name", "id");
    RECORD(2, "x", "1");
    expect_end();
}

Test(csv, bom_only_file) {
    open_text("\xEF\xBB\xBF");
    expect_end();
}

Test(csv, bom_then_quoted_field) {
    open_text("\xEF\xBB\xBF\"a\",b\n");
    RECORD(1, "a", "b");
    expect_end();
}

Test(csv, bom_elsewhere_is_data) {
    open_text("a\n\xEF\xBB\xBF" "b\n");
    RECORD(1, "a");
    RECORD(2, "\xEF\xBB\xBF" "b");
    expect_end();
}

Test(csv, partial_bom_at_start_is_data) {
    /* U+FF0C FULLWIDTH COMMA starts with 0xEF like a BOM. */
    open_text("\xEF\xBC\x8C,x\n");
    RECORD(1, "\xEF\xBC\x8C", "x");
    expect_end();
    close_file();
    open_text("\xEF\xBB" "A\n");
    RECORD(1, "\xEF\xBB" "A");
    expect_end();
    close_file();
    open_text("\xEF\nb\n");
    RECORD(1, "\xEF");
    RECORD(2, "b");
    expect_end();
    close_file();
    open_text("\xEF");
    RECORD(1, "\xEF");
    expect_end();
}

Test(csv, unterminated_quote) {
    open_text("a,b\n\"open,c\nmore\n");
    RECORD(1, "a", "b");
    expect_error(GJ_E_BAD_FIELD, "line 2: unterminated");
    expect_end();
}

Test(csv, quote_inside_unquoted_field) {
    open_text("ab\"c,d\nnext,1\n");
    expect_error(GJ_E_BAD_FIELD, "line 1: quote inside");
    RECORD(2, "next", "1");
    expect_end();
}

Test(csv, character_after_closing_quote) {
    open_text("\"ab\"c,d\n\"ab\" ,d\nok\n");
    expect_error(GJ_E_BAD_FIELD, "line 1: character after");
    expect_error(GJ_E_BAD_FIELD, "line 2: character after");
    RECORD(3, "ok");
    expect_end();
}

Test(csv, bare_carriage_return_refused) {
    open_text("a\rb\nok\n");
    expect_error(GJ_E_BAD_FIELD, "line 1: carriage return");
    RECORD(2, "ok");
    expect_end();
    close_file();
    open_text("a\r");
    expect_error(GJ_E_BAD_FIELD, "carriage return");
    expect_end();
}

Test(csv, nul_byte_refused) {
    open_bytes("a\0b,c\nok\n", 9);
    expect_error(GJ_E_BAD_FIELD, "line 1: NUL");
    RECORD(2, "ok");
    expect_end();
    close_file();
    open_bytes("\"a\0b\"\n", 6);
    expect_error(GJ_E_BAD_FIELD, "NUL");
}

static void open_fields(size_t n) {
    static char text[1024];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(text + len, sizeof text - len, i == 0 ? "f%zu" : ",f%zu", i);
    }
    snprintf(text + len, sizeof text - len, "\nafter\n");
    open_text(text);
}

Test(csv, thirty_two_fields_allowed) {
    open_fields(GJ_CSV_FIELDS_MAX);
    cr_assert_eq(next(), 1);
    cr_assert_eq(rec.count, GJ_CSV_FIELDS_MAX);
    cr_assert_str_eq(rec.field[31], "f31");
    RECORD(2, "after");
}

Test(csv, thirty_three_fields_refused) {
    open_fields(GJ_CSV_FIELDS_MAX + 1);
    expect_error(GJ_E_TOO_LARGE, "line 1: more than 32 fields");
    RECORD(2, "after");
    expect_end();
}

/* A record of one field of `n` 'x' characters (optionally quoted) and a following record. */
static void open_long_field(size_t n, bool quoted) {
    static char text[2 * GJ_CSV_LINE_MAX];
    size_t len = 0;
    if (quoted) text[len++] = '"';
    memset(text + len, 'x', n);
    len += n;
    if (quoted) {
        memcpy(text + len, "\n,\"", 3);   /* embedded line break and a comma inside quotes */
        len += 3;
    }
    memcpy(text + len, "\nafter\n", 8);
    open_text(text);
}

Test(csv, longest_record_fits_exactly) {
    open_long_field(GJ_CSV_LINE_MAX - 1, false);   /* content + NUL = 4096 */
    cr_assert_eq(next(), 1);
    cr_assert_eq(rec.count, 1);
    cr_assert_eq(strlen(rec.field[0]), GJ_CSV_LINE_MAX - 1);
    RECORD(2, "after");
}

Test(csv, record_one_byte_too_long_refused) {
    open_long_field(GJ_CSV_LINE_MAX, false);
    expect_error(GJ_E_TOO_LARGE, "line 1: record longer than 4096 bytes");
    RECORD(2, "after");
    expect_end();
}

Test(csv, long_quoted_record_consumed_whole) {
    open_long_field(GJ_CSV_LINE_MAX + 100, true);
    expect_error(GJ_E_TOO_LARGE, "line 1: record longer");
    RECORD(3, "after");
    expect_end();
}

Test(csv, terminators_count_towards_length) {
    /* Two fields of 2047 bytes + 2 NULs = 4096 fit; one more byte does not. */
    static char text[2 * GJ_CSV_LINE_MAX];
    memset(text, 'a', 2047);
    text[2047] = ',';
    memset(text + 2048, 'b', 2047);
    memcpy(text + 4095, "\n", 2);
    open_text(text);
    cr_assert_eq(next(), 1);
    cr_assert_eq(rec.count, 2);
    cr_assert_eq(strlen(rec.field[1]), 2047);
    close_file();
    memset(text + 2048, 'b', 2048);
    memcpy(text + 4096, "\n", 2);
    open_text(text);
    expect_error(GJ_E_TOO_LARGE, "record longer");
}

Test(csv, many_empty_fields_hit_a_limit_not_a_crash) {
    /* 40 empty fields: the field limit triggers first. */
    open_text(",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n");
    expect_error(GJ_E_TOO_LARGE, "fields");
    expect_end();
}

Test(csv, status_may_be_null) {
    open_text("\"open\n");
    cr_assert_eq(gj_csv_next(&reader, &rec, NULL), -1);
}

Test(csv, written_fields_read_back_unchanged) {
    static const char *const fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "", "cr\r\nlf",
                                         NULL};
    csv_file = tmpfile();
    cr_assert_not_null(csv_file);
    for (int i = 0; fields[i] != NULL; i++) {
        if (i > 0) fputc(',', csv_file);
        gj_csv_write_field(csv_file, fields[i]);
    }
    fputc('\n', csv_file);
    rewind(csv_file);
    gj_csv_open(&reader, csv_file);
    gj_status_clear(&st);
    expect_record(1, fields);
    expect_end();
}
