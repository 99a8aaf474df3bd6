/* text.c — the generic JSON-to-text printer declared in text.h. */
#include "text.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum { TABLE_COLUMNS_MAX = 32, TABLE_GAP = 2 };

/* ---- widths ---- */

static bool wide_code_point(uint32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Decode one UTF-8 sequence at s; returns its length (1 for a stray byte). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp) {
    size_t len = s[0] < 0x80          ? 1
                 : (s[0] >> 5) == 0x6  ? 2
                 : (s[0] >> 4) == 0xE  ? 3
                 : (s[0] >> 3) == 0x1E ? 4
                                       : 1;
    uint32_t v = len == 1 ? s[0] : (uint32_t)(s[0] & (0x7F >> len));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = s[0];
            return 1;
        }
        v = (v << 6) | (uint32_t)(s[i] & 0x3F);
    }
    *cp = v;
    return len;
}

size_t text_width(const char *s) {
    size_t width = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
        uint32_t cp = 0;
        p += utf8_decode(p, &cp);
        width += wide_code_point(cp) ? 2 : 1;
    }
    return width;
}

static void spaces(FILE *f, size_t n) {
    for (size_t i = 0; i < n; i++) fputc(' ', f);
}

void text_pad(FILE *f, const char *s, size_t width, bool right) {
    size_t w = text_width(s);
    if (right) spaces(f, width > w ? width - w : 0);
    fputs(s, f);
    if (!right) spaces(f, width > w ? width - w : 0);
}

/* ---- scalars ---- */

static bool is_scalar(const json_t *v) { return !json_is_object(v) && !json_is_array(v); }

static bool is_flat_list(const json_t *v) {
    if (!json_is_array(v)) return false;
    for (size_t i = 0; i < json_array_size(v); i++)
        if (!is_scalar(json_array_get(v, i))) return false;
    return true;
}

static bool is_inline(const json_t *v) {
    return is_scalar(v) || is_flat_list(v) || (json_is_object(v) && json_object_size(v) == 0);
}

static const char *scalar_text(const json_t *v, char *buf, size_t buf_len) {
    switch (json_typeof(v)) {
    case JSON_STRING: return json_string_value(v);
    case JSON_INTEGER:
        snprintf(buf, buf_len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    case JSON_REAL:
        snprintf(buf, buf_len, "%.17g", json_real_value(v));
        return buf;
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return "-";
    }
}

const char *text_inline(const json_t *v, char *buf, size_t buf_len) {
    if (!json_is_array(v)) return json_is_object(v) ? "-" : scalar_text(v, buf, buf_len);
    if (json_array_size(v) == 0) return "-";
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(v) && used < buf_len; i++) {
        char item[64];
        const char *t = scalar_text(json_array_get(v, i), item, sizeof item);
        int n = snprintf(buf + used, buf_len - used, "%s%s", i > 0 ? ", " : "", t);
        used += n > 0 ? (size_t)n : 0;
    }
    return buf;
}

static bool looks_numeric(const char *s) {
    if (*s == '-') s++;
    if (!isdigit((unsigned char)*s)) return false;
    while (isdigit((unsigned char)*s)) s++;
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s)) return false;
        while (isdigit((unsigned char)*s)) s++;
    }
    return *s == '\0';
}

/* Amounts ("12.30", "-0.05") and integers right-align in tables; codes ("310") do not. */
static bool right_aligned_cell(const json_t *v, const char *text) {
    if (json_is_integer(v) || json_is_real(v)) return true;
    return json_is_string(v) && strchr(text, '.') != NULL && looks_numeric(text);
}

/* ---- tables ---- */

typedef struct {
    const char *key[TABLE_COLUMNS_MAX];
    size_t width[TABLE_COLUMNS_MAX];
    bool numeric[TABLE_COLUMNS_MAX];
    int count;
} table_columns;

static int column_index(const table_columns *t, const char *key) {
    for (int i = 0; i < t->count; i++)
        if (strcmp(t->key[i], key) == 0) return i;
    return -1;
}

/* Columns in order of first appearance; false when the list is not a table of flat objects. */
static bool table_collect(const json_t *list, table_columns *t) {
    memset(t, 0, sizeof *t);
    if (json_array_size(list) == 0) return false;
    for (size_t r = 0; r < json_array_size(list); r++) {
        const json_t *row = json_array_get(list, r);
        const char *key;
        json_t *value;
        if (!json_is_object(row)) return false;
        json_object_foreach((json_t *)row, key, value) {
            if (!is_inline(value)) return false;
            if (column_index(t, key) >= 0) continue;
            if (t->count == TABLE_COLUMNS_MAX) return false;
            t->key[t->count] = key;
            t->width[t->count] = text_width(key);
            t->numeric[t->count++] = true;
        }
    }
    return true;
}

static void table_measure(const json_t *list, table_columns *t) {
    char buf[TEXT_CELL_MAX];
    for (size_t r = 0; r < json_array_size(list); r++) {
        for (int c = 0; c < t->count; c++) {
            const json_t *v = json_object_get(json_array_get(list, r), t->key[c]);
            const char *cell = text_inline(v, buf, sizeof buf);
            size_t w = text_width(cell);
            if (w > t->width[c]) t->width[c] = w;
            bool empty = v == NULL || json_is_null(v);
            if (!empty && !right_aligned_cell(v, cell)) t->numeric[c] = false;
        }
    }
}

static void table_row(FILE *f, const table_columns *t, const json_t *row, int indent) {
    char buf[TEXT_CELL_MAX];
    spaces(f, (size_t)indent);
    for (int c = 0; c < t->count; c++) {
        const json_t *value = row != NULL ? json_object_get(row, t->key[c]) : NULL;
        const char *cell = row == NULL ? t->key[c] : text_inline(value, buf, sizeof buf);
        bool last = c == t->count - 1;
        if (last && !t->numeric[c]) fputs(cell, f);
        else text_pad(f, cell, t->width[c], t->numeric[c] && row != NULL);
        if (!last) spaces(f, TABLE_GAP);
    }
    fputc('\n', f);
}

static void print_table(FILE *f, const json_t *list, table_columns *t, int indent) {
    table_measure(list, t);
    table_row(f, t, NULL, indent);
    for (size_t r = 0; r < json_array_size(list); r++)
        table_row(f, t, json_array_get(list, r), indent);
}

/* ---- objects and lists ---- */

static void print_object(FILE *f, const json_t *obj, int indent) {
    char buf[TEXT_CELL_MAX];
    const char *key;
    json_t *value;
    size_t key_width = 0;
    json_object_foreach((json_t *)obj, key, value) {
        if (is_inline(value) && text_width(key) > key_width) key_width = text_width(key);
    }
    json_object_foreach((json_t *)obj, key, value) {
        spaces(f, (size_t)indent);
        if (is_inline(value)) {
            fprintf(f, "%s:", key);
            spaces(f, key_width - text_width(key) + 1);
            fprintf(f, "%s\n", text_inline(value, buf, sizeof buf));
        } else {
            fprintf(f, "%s:\n", key);
            text_print_value(f, value, indent + TEXT_INDENT_STEP);
        }
    }
}

void text_print_list(FILE *f, const json_t *list, int indent) {
    char buf[TEXT_CELL_MAX];
    table_columns t;
    if (table_collect(list, &t)) {
        print_table(f, list, &t, indent);
        return;
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *item = json_array_get(list, i);
        spaces(f, (size_t)indent);
        if (is_inline(item)) {
            fprintf(f, "- %s\n", text_inline(item, buf, sizeof buf));
        } else {
            fprintf(f, "#%zu\n", i + 1);
            text_print_value(f, item, indent + TEXT_INDENT_STEP);
        }
    }
}

void text_print_value(FILE *f, const json_t *v, int indent) {
    char buf[TEXT_CELL_MAX];
    if (json_is_object(v) && json_object_size(v) > 0) {
        print_object(f, v, indent);
    } else if (json_is_array(v) && !is_flat_list(v)) {
        text_print_list(f, v, indent);
    } else {
        spaces(f, (size_t)indent);
        fprintf(f, "%s\n", text_inline(v, buf, sizeof buf));
    }
}

void text_print(FILE *f, const json_t *v) { text_print_value(f, v, 0); }
