/* RFC 4180 reader; see csv.h for what it accepts and why it is hand-written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "csv.h"
#include <drill/csv.h>
#include "internal.h"
#include "vec.h"

void drill__csv_init(drill__csv *r, const char *data, size_t len, const char *source)
{
    memset(r, 0, sizeof *r);
    r->p = data;
    r->end = data + len;
    r->source = source ? source : "<buffer>";
    r->line = 1;
    r->column = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->clean = !memchr(data, '\0', len) && drill__utf8_valid(data, len);
}

void drill__csv_free(drill__csv *r)
{
    free(r->fields);
    free(r->buf);
    r->fields = NULL;
    r->buf = NULL;
}

static int put(drill__csv *r, const char *s, size_t n)
{
    if (n >= SIZE_MAX - r->buf_len || DRILL__VEC_RESERVE(r->buf, r->buf_cap, r->buf_len + n + 1))
        return drill__error(DRILL_ENOMEM, "out of memory reading %s", r->source);
    memcpy(r->buf + r->buf_len, s, n);
    r->buf_len += n;
    return 0;
}

/* advance over one character of text, keeping line and column; returns its byte length */
static size_t step(drill__csv *r, const char *p)
{
    unsigned char c = (unsigned char)*p;
    size_t n = drill__utf8_seq_len(c);
    if ((size_t)(r->end - p) < n)
        n = (size_t)(r->end - p);
    if (c == '\n' || (c == '\r' && !(p + 1 < r->end && p[1] == '\n'))) {
        r->line++;
        r->column = 1;
    } else if (c != '\r') {
        r->column++;
    }
    return n;
}

static int check_char(drill__csv *r, const char *p)
{
    if (r->clean)
        return 0;
    unsigned char c = (unsigned char)*p;
    if (c == 0)
        return drill__error_at(r->source, r->line, r->column, "NUL byte in text");
    if (c >= 0x80) {
        size_t n = drill__utf8_seq_len(c);
        if ((size_t)(r->end - p) < n || !drill__utf8_valid(p, n))
            return drill__error_at(r->source, r->line, r->column, "invalid UTF-8");
    }
    return 0;
}

/* copy the text up to the next quote (and, outside quotes, the next comma
 * or line break) into the record in one piece, keeping line and column */
static int copy_run(drill__csv *r, int quoted)
{
    const char *start = r->p;
    while (r->p < r->end && *r->p != '"' && (quoted || (*r->p != ',' && *r->p != '\r' && *r->p != '\n'))) {
        int rc = check_char(r, r->p);
        if (rc)
            return rc;
        r->p += step(r, r->p);
    }
    return put(r, start, (size_t)(r->p - start));
}

static int add_field(drill__csv *r, size_t start, int line, int column, int quoted)
{
    if (DRILL__VEC_RESERVE(r->fields, r->fields_cap, r->nfields + 1))
        return drill__error(DRILL_ENOMEM, "out of memory reading %s", r->source);
    int rc = put(r, "", 1); /* NUL terminator */
    if (rc)
        return rc;
    /* text is set once the record is complete: buf may still move */
    r->fields[r->nfields++] = (drill__csv_field){ NULL, start, r->buf_len - 1 - start, line, column, quoted };
    return 0;
}

int drill__csv_next(drill__csv *r)
{
    r->nfields = 0;
    r->buf_len = 0;
    for (;;) { /* skip empty lines */
        if (r->p >= r->end)
            return 0;
        if (*r->p == '\r' || *r->p == '\n')
            r->p += step(r, r->p);
        else
            break;
    }
    r->record_line = r->line;
    for (;;) {
        size_t start = r->buf_len;
        int fline = r->line, fcol = r->column, rc;
        int quoted = r->p < r->end && *r->p == '"';
        if (r->p < r->end && *r->p == '"') {
            r->p += step(r, r->p);
            for (;;) {
                if (r->p >= r->end)
                    return drill__error_at(r->source, fline, fcol, "quoted field is never closed");
                if (*r->p == '"') {
                    if (r->p + 1 < r->end && r->p[1] == '"') {
                        if ((rc = put(r, "\"", 1)))
                            return rc;
                        r->p += step(r, r->p);
                        r->p += step(r, r->p);
                        continue;
                    }
                    r->p += step(r, r->p);
                    break;
                }
                if ((rc = copy_run(r, 1)))
                    return rc;
            }
            if (r->p < r->end && *r->p != ',' && *r->p != '\r' && *r->p != '\n')
                return drill__error_at(r->source, r->line, r->column,
                                       "unexpected text after a closing quote (a quote inside a quoted field is written \"\")");
        } else {
            if ((rc = copy_run(r, 0)))
                return rc;
            if (r->p < r->end && *r->p == '"')
                return drill__error_at(r->source, r->line, r->column,
                                       "quote inside an unquoted field (quote the whole field)");
        }
        if ((rc = add_field(r, start, fline, fcol, quoted)))
            return rc;
        if (r->p < r->end && *r->p == ',') {
            r->p += step(r, r->p);
            continue;
        }
        /* end of record: consume one line break */
        if (r->p < r->end && *r->p == '\r')
            r->p += step(r, r->p);
        if (r->p < r->end && *r->p == '\n')
            r->p += step(r, r->p);
        break;
    }
    for (size_t i = 0; i < r->nfields; i++)
        r->fields[i].text = r->buf + r->fields[i].offset;
    return 1;
}

int drill__csv_find(const drill__csv *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->nfields; i++) {
        const char *t = r->fields[i].text;
        size_t len = r->fields[i].len;
        while (len && (*t == ' ' || *t == '\t')) { t++; len--; }
        while (len && (t[len - 1] == ' ' || t[len - 1] == '\t')) len--;
        if (len == n && drill__ascii_ncasecmp(t, name, n) == 0)
            return (int)i;
    }
    return -1;
}

int drill__csv_end_column(const drill__csv_field *f)
{
    int chars = 0;
    for (size_t i = 0; i < f->len; i++)
        chars += ((unsigned char)f->text[i] & 0xC0) != 0x80;
    return f->column + chars + 2 * f->quoted;
}

void drill__csv_write_field(FILE *f, const char *s)
{
    int quote = s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ');
    for (const char *p = s; *p && !quote; p++)
        quote = *p == ',' || *p == '"' || *p == '\r' || *p == '\n';
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

/* ---- the public reader (drill/csv.h): the same reader over a copy of the text ---- */

struct drill_csv {
    drill__csv r;
    char *data;   /* the text, owned */
    char *source; /* the source name, owned */
    int failed;   /* the error every later call repeats */
};

static int csv_new(drill_csv **out, char *data, size_t len, const char *source)
{
    drill_csv *c = calloc(1, sizeof *c);
    if (!c || !(c->source = drill__strdup(source ? source : "<buffer>"))) {
        free(c);
        free(data);
        return drill__error(DRILL_ENOMEM, "out of memory reading %s", source ? source : "<buffer>");
    }
    c->data = data;
    drill__csv_init(&c->r, data, len, c->source);
    *out = c;
    return 0;
}

int drill_csv_open(drill_csv **out, const char *path)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(path);
    char *data;
    size_t len;
    int rc = drill__read_file(&data, &len, path);
    return rc ? rc : csv_new(out, data, len, path);
}

int drill_csv_open_buffer(drill_csv **out, const char *data, size_t len, const char *source)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(data);
    char *copy = malloc(len + 1);
    if (!copy)
        return drill__error(DRILL_ENOMEM, "out of memory reading %s", source ? source : "<buffer>");
    memcpy(copy, data, len);
    copy[len] = '\0';
    return csv_new(out, copy, len, source);
}

int drill_csv_next(size_t *out, drill_csv *reader)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(reader);
    *out = 0;
    if (reader->failed) /* the position of the error is lost: say where reading stopped */
        return drill__error_code_at(reader->failed, reader->source, reader->r.line, reader->r.column,
                                    "reading stopped at an earlier error");
    int rc = drill__csv_next(&reader->r);
    if (rc < 0) {
        reader->failed = rc;
        reader->r.nfields = 0;
        return rc;
    }
    *out = rc ? reader->r.nfields : 0;
    return 0;
}

static int field_ok(const drill_csv *reader, size_t index)
{
    if (index >= reader->r.nfields)
        return drill__error(DRILL_ENOTFOUND, "%s: no field %zu in the current record (it has %zu)", reader->source,
                            index, reader->r.nfields);
    return 0;
}

int drill_csv_field(const char **out, const drill_csv *reader, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(reader);
    int rc = field_ok(reader, index);
    if (rc)
        return rc;
    *out = reader->r.fields[index].text;
    return 0;
}

int drill_csv_field_position(int *out_line, int *out_column, const drill_csv *reader, size_t index)
{
    DRILL_CHECK_NULL(reader);
    int rc = field_ok(reader, index);
    if (rc)
        return rc;
    if (out_line)
        *out_line = reader->r.fields[index].line;
    if (out_column)
        *out_column = reader->r.fields[index].column;
    return 0;
}

void drill_csv_free(drill_csv *reader)
{
    if (!reader)
        return;
    drill__csv_free(&reader->r);
    free(reader->data);
    free(reader->source);
    free(reader);
}
