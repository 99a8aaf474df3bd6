/* text.h — the generic, readable rendering of an engine result for text mode: objects as
 * aligned "key: value" lines with nested objects indented, lists of scalars joined with ", ",
 * lists of flat objects as aligned tables, other lists as numbered blocks. Column alignment
 * counts Chinese characters as two columns. */
#ifndef GONGJI_CLI_TEXT_H
#define GONGJI_CLI_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { TEXT_CELL_MAX = 512, TEXT_INDENT_STEP = 2 };

/* Terminal columns taken by UTF-8 text (wide East Asian characters count 2). */
size_t text_width(const char *s);
/* Print s, then spaces up to `width` columns (or right-aligned when right is true). */
void text_pad(FILE *f, const char *s, size_t width, bool right);
/* A scalar or a list of scalars as one line ("-" for null and empty). */
const char *text_inline(const json_t *v, char *buf, size_t buf_len);

void text_print(FILE *f, const json_t *v);                 /* any value, at indent 0 */
void text_print_value(FILE *f, const json_t *v, int indent);
/* A list of flat objects as a table when possible, numbered blocks otherwise. */
void text_print_list(FILE *f, const json_t *list, int indent);

#endif
