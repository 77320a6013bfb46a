/**
 * @file drill/csv.h
 * @brief The library's CSV reader, for programs that read CSV files of
 * their own (drillctl's batch files) exactly as libdrill reads its own.
 *
 * Strict RFC 4180 over UTF-8 text, the reader drill_units_import_csv() and
 * drill_calendar_load_csv() use. Accepted: a UTF-8 BOM at the start
 * (skipped); CRLF, LF or a lone CR ending a record; a missing final line
 * break; empty lines (skipped). Refused with DRILL_EPARSE at the exact line
 * and column (drill_error_last()): a NUL byte, invalid UTF-8, a quote inside
 * an unquoted field, text after a closing quote, an unclosed quote.
 * Columns count characters (code points) from 1.
 *
 * @code
 * drill_csv *r;
 * size_t n;
 * if (drill_csv_open(&r, "batch.csv") == 0) {
 *     while (drill_csv_next(&n, r) == 0 && n > 0)
 *         for (size_t i = 0; i < n; i++) { const char *text; drill_csv_field(&text, r, i); ... }
 *     drill_csv_free(r);
 * }
 * @endcode
 */
#ifndef DRILL_CSV_H
#define DRILL_CSV_H

#include <stddef.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A CSV reader over one file or buffer (opaque); free with drill_csv_free(). */
typedef struct drill_csv drill_csv;

/**
 * Read a whole file and start reading its records.
 * @param out receives the reader; free it with drill_csv_free()
 * @param path the file; also the source name in error positions
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO if the file cannot
 *         be read; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_csv_open(drill_csv **out, const char *path);

/**
 * Start reading records from a buffer (copied: the caller may free it).
 * @param out receives the reader; free it with drill_csv_free()
 * @param data the text, len bytes (it may contain NUL bytes: they are reported)
 * @param len its length in bytes
 * @param source the name error positions give, or NULL for "<buffer>"
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_csv_open_buffer(drill_csv **out, const char *data, size_t len, const char *source);

/**
 * Read the next record.
 * @param out receives its number of fields (at least 1), or 0 at the end of the input
 * @param reader the reader
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EPARSE with the line and
 *         column for malformed text (the reader stays at the error: every
 *         later call fails the same way); DRILL_ENOMEM
 */
DRILL_EXTERN int drill_csv_next(size_t *out, drill_csv *reader);

/**
 * A field of the current record.
 * @param out receives its unescaped, NUL-terminated text, borrowed from the
 *        reader until the next drill_csv_next() or drill_csv_free()
 * @param reader the reader
 * @param index 0 .. the record's number of fields - 1
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index
 *         out of range (or before the first record)
 */
DRILL_EXTERN int drill_csv_field(const char **out, const drill_csv *reader, size_t index);

/**
 * Where a field of the current record starts (its opening quote, if quoted).
 * @param out_line receives its 1-based line, or NULL
 * @param out_column receives its 1-based column in characters, or NULL
 * @param reader the reader
 * @param index 0 .. the record's number of fields - 1
 * @return 0; DRILL_EINVAL for a NULL reader; DRILL_ENOTFOUND for an index out of range
 */
DRILL_EXTERN int drill_csv_field_position(int *out_line, int *out_column, const drill_csv *reader, size_t index);

/** Free a reader; NULL is allowed. */
DRILL_EXTERN void drill_csv_free(drill_csv *reader);

#ifdef __cplusplus
}
#endif
#endif
