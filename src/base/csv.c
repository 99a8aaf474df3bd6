/* csv.c — a strict RFC 4180 record reader: quoted fields with "" escapes and embedded commas,
 * CR/LF; records end at LF or CRLF; a UTF-8 BOM at the start of the file is skipped.
 *
 * Choices beyond RFC 4180: empty lines carry no data and are skipped (their lines still
 * count); a CR outside quotes must be followed by LF; NUL bytes are refused. Syntax errors
 * are GJ_E_BAD_FIELD, limit errors (fields, record length) GJ_E_TOO_LARGE, a read error
 * GJ_E_INTERNAL; the detail starts with "line N" (the record's first physical line). After a
 * limit error the whole record has been consumed, after a syntax error the rest of its
 * physical line, so the next call continues with the following record. */
#include "gongji/csv.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Results of the character readers besides ordinary bytes and EOF (all negative). */
enum {
    CSV_BARE_CR = -2,          /* CR outside quotes not followed by LF */
    CSV_STRAY_QUOTE = -3,      /* a quote inside an unquoted field */
    CSV_AFTER_QUOTE = -4,      /* something other than , or end of record after a closing quote */
    CSV_UNTERMINATED = -5,     /* end of file inside a quoted field */
    CSV_NUL_BYTE = -6,
};
static_assert(EOF == -1, "the CSV_* codes must not collide with EOF");

typedef struct {
    gj_csv_reader *reader;
    gj_csv_record *rec;
    int pending[3];            /* bytes read while looking for a BOM that was not there */
    size_t pending_len, pending_pos;
    size_t used;               /* bytes of rec->buf in use */
    bool too_long, too_many;   /* limits hit: stop storing, keep parsing to the record's end */
} csv_parser;

void gj_csv_open(gj_csv_reader *r, FILE *file) {
    assert(r != NULL && file != NULL);
    r->file = file;
    r->line_no = 0;
}

/* ---- characters ---------------------------------------------------------------------- */

/* Every byte of a record comes through here; line feeds are counted as they are consumed. A
 * reader's file is read by one thread only: getc without taking the FILE's lock each byte. */
static int next_byte(csv_parser *p) {
    int c = p->pending_pos < p->pending_len ? p->pending[p->pending_pos++]
                                            : getc_unlocked(p->reader->file);
    if (c == '\n') {
        p->reader->line_no++;
    }
    return c;
}

/* Outside quotes: CRLF reads as '\n', a lone CR as CSV_BARE_CR, NUL as CSV_NUL_BYTE. */
static int next_char(csv_parser *p) {
    int c = next_byte(p);
    if (c == '\r') {
        return next_byte(p) == '\n' ? '\n' : CSV_BARE_CR;
    }
    return c == '\0' ? CSV_NUL_BYTE : c;
}

/* Only before the first record: a BOM is dropped, other bytes wait in `pending` as data. */
static void skip_bom(csv_parser *p) {
    static const int bom[3] = {0xEF, 0xBB, 0xBF};
    for (size_t i = 0; i < 3; i++) {
        int c = getc_unlocked(p->reader->file);
        if (c != EOF) {
            p->pending[p->pending_len++] = c;
        }
        if (c != bom[i]) {
            return;
        }
    }
    p->pending_len = 0;
}

/* ---- storage ------------------------------------------------------------------------- */

static bool storing(const csv_parser *p) { return !p->too_long && !p->too_many; }

static void begin_field(csv_parser *p) {
    if (!storing(p)) {
        return;
    }
    if (p->rec->count == GJ_CSV_FIELDS_MAX) {
        p->too_many = true;
        return;
    }
    p->rec->field[p->rec->count++] = p->rec->buf + p->used;
}

/* Appends a byte, always leaving room for the field's terminating NUL. */
static void put_byte(csv_parser *p, int c) {
    if (!storing(p)) {
        return;
    }
    if (p->used + 2 > GJ_CSV_LINE_MAX) {
        p->too_long = true;
        return;
    }
    p->rec->buf[p->used++] = (char)c;
}

static void end_field(csv_parser *p) {
    if (!storing(p)) {
        return;
    }
    if (p->used + 1 > GJ_CSV_LINE_MAX) {
        p->too_long = true;
        return;
    }
    p->rec->buf[p->used++] = '\0';
}

/* ---- fields -------------------------------------------------------------------------- */

/* An unquoted field whose first character `c` was already read. Returns what ended it:
 * ',', '\n', EOF or an error code. */
static int read_unquoted(csv_parser *p, int c) {
    for (;; c = next_char(p)) {
        if (c == ',' || c == '\n' || c <= EOF) {
            return c;
        }
        if (c == '"') {
            return CSV_STRAY_QUOTE;
        }
        put_byte(p, c);
    }
}

/* A quoted field after its opening quote. Returns what followed the closing quote. */
static int read_quoted(csv_parser *p) {
    for (;;) {
        int c = next_byte(p);
        if (c == EOF) {
            return CSV_UNTERMINATED;
        }
        if (c == '\0') {
            return CSV_NUL_BYTE;
        }
        if (c == '"') {
            int after = next_char(p);
            if (after != '"') {
                return after == ',' || after == '\n' || after <= EOF ? after : CSV_AFTER_QUOTE;
            }
        }
        put_byte(p, c);
    }
}

/* ---- records ------------------------------------------------------------------------- */

static const char *error_text(int code) {
    switch (code) {
    case CSV_BARE_CR: return "carriage return not followed by line feed";
    case CSV_STRAY_QUOTE: return "quote inside an unquoted field";
    case CSV_AFTER_QUOTE: return "character after a closing quote";
    case CSV_UNTERMINATED: return "unterminated quoted field";
    default: assert(code == CSV_NUL_BYTE); return "NUL byte";
    }
}

static void skip_rest_of_line(csv_parser *p) {
    int c;
    do {
        c = next_byte(p);
    } while (c != '\n' && c != EOF);
}

static int syntax_error(csv_parser *p, int code, gj_status *st) {
    if (code != CSV_UNTERMINATED) {
        skip_rest_of_line(p);
    }
    gj_fail(st, GJ_E_BAD_FIELD, "line %ld: %s", p->rec->line_no, error_text(code));
    return -1;
}

static int finish_record(csv_parser *p, gj_status *st) {
    const gj_csv_record *rec = p->rec;
    if (ferror(p->reader->file)) {
        gj_fail(st, GJ_E_INTERNAL, "line %ld: read error", rec->line_no);
        return -1;
    }
    if (p->too_many) {
        gj_fail(st, GJ_E_TOO_LARGE, "line %ld: more than %d fields", rec->line_no,
                GJ_CSV_FIELDS_MAX);
        return -1;
    }
    if (p->too_long) {
        gj_fail(st, GJ_E_TOO_LARGE, "line %ld: record longer than %d bytes", rec->line_no,
                GJ_CSV_LINE_MAX);
        return -1;
    }
    return 1;
}

/* First character of the next non-empty line (its line number in rec->line_no), or EOF. */
static int skip_empty_lines(csv_parser *p) {
    int c;
    do {
        p->rec->line_no = p->reader->line_no + 1;
        c = next_char(p);
    } while (c == '\n');
    return c;
}

int gj_csv_next(gj_csv_reader *r, gj_csv_record *rec, gj_status *st) {
    assert(r != NULL && r->file != NULL && rec != NULL);
    csv_parser p = {.reader = r, .rec = rec};
    rec->count = 0;
    if (r->line_no == 0) {
        skip_bom(&p);
    }
    int c = skip_empty_lines(&p);
    if (c == EOF) {
        return finish_record(&p, st) < 0 ? -1 : 0;
    }
    for (;;) {
        begin_field(&p);
        int end = c == '"' ? read_quoted(&p) : read_unquoted(&p, c);
        end_field(&p);
        if (end < EOF) {
            return syntax_error(&p, end, st);
        }
        if (end != ',') {
            return finish_record(&p, st);   /* '\n' or EOF */
        }
        c = next_char(&p);
    }
}

gj_err gj_csv_each(FILE *file, const char *header, gj_csv_fn fn, void *ctx, gj_status *st) {
    gj_csv_reader reader;
    gj_csv_record *rec = malloc(sizeof *rec);   /* 4 KiB + pointers: not on the stack */
    if (rec == NULL) return gj_fail(st, GJ_E_INTERNAL, "out of memory");
    gj_err err = GJ_E_OK;
    int got = 0;
    gj_csv_open(&reader, file);
    while (err == GJ_E_OK && (got = gj_csv_next(&reader, rec, st)) == 1) {
        bool is_header = rec->line_no == 1 && header != NULL && rec->count > 0 &&
                         strcmp(rec->field[0], header) == 0;
        if (!is_header) err = fn(ctx, rec, st);
    }
    if (err == GJ_E_OK && got < 0) err = GJ_E_BAD_FIELD;
    free(rec);
    return err;
}

void gj_csv_write_field(FILE *f, const char *text) {
    assert(f != NULL && text != NULL);
    if (strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, f);
        return;
    }
    fputc('"', f);
    for (const char *c = text; *c; c++) {
        if (*c == '"') fputc('"', f);
        fputc(*c, f);
    }
    fputc('"', f);
}
