/* A strict RFC 4180 reader over a buffer in memory, private to libdrill.
 *
 * Why not libcsv (Debian's libcsv3): its callbacks do not say where a field
 * started, and every error here must name its line and column, including
 * fields after a quoted embedded newline. Records are read one at a time;
 * each field is unescaped into a per-record buffer and NUL-terminated.
 *
 * Accepts: a UTF-8 BOM at the start (skipped), CRLF, LF or a lone CR as the
 * record end, a missing final newline, empty lines (skipped). Refuses with
 * DRILL_EPARSE at the exact position: a quote inside an unquoted field, text
 * after a closing quote, an unclosed quote, invalid UTF-8, a NUL byte.
 * Columns count characters (code points), not bytes, from 1. */
#ifndef DRILL_CSV_INTERNAL_H
#define DRILL_CSV_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

typedef struct drill__csv_field {
    const char *text; /* NUL-terminated, unescaped; valid until the next record */
    size_t offset;    /* of text in the record buffer */
    size_t len;
    int line, column; /* where the field starts (its opening quote, if quoted) */
    int quoted;       /* 1 if the field was quoted: its text starts one column later */
} drill__csv_field;

typedef struct drill__csv {
    const char *p, *end;
    const char *source;
    int line, column;
    /* the current record */
    drill__csv_field *fields;
    size_t nfields, fields_cap;
    char *buf;
    size_t buf_len, buf_cap;
    int record_line; /* line the current record starts on */
    int clean;       /* the whole text is valid UTF-8 without NUL: skip per-character checks */
} drill__csv;

void drill__csv_init(drill__csv *r, const char *data, size_t len, const char *source);
void drill__csv_free(drill__csv *r);
/* 1: a record was read; 0: end of input; < 0: error (recorded) */
int drill__csv_next(drill__csv *r);
/* write one field, quoted (RFC 4180) when it holds a comma, quote, line
 * break, or leading or trailing blank */
void drill__csv_write_field(FILE *f, const char *s);
/* the column where a field's text starts (past its opening quote), for errors inside the field */
static inline int drill__csv_text_column(const drill__csv_field *f)
{
    return f->column + f->quoted;
}
/* the column just past a field (its closing quote included), for "missing field" errors */
int drill__csv_end_column(const drill__csv_field *f);
/* index of the header column named name (ASCII case-insensitive, surrounding
 * blanks ignored) in the current record, or -1 */
int drill__csv_find(const drill__csv *r, const char *name);

#endif
