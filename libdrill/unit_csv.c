/* Units CSV import (all or nothing, or row by row) and export. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "csv.h"
#include "abi.h"
#include "internal.h"
#include "unit_internal.h"
#include "vec.h"

/* ---- import reports ---- */

struct drill_import_report {
    drill_import_error *errors;
    size_t count, cap;
};

size_t drill_import_report_count(const drill_import_report *report)
{
    return report ? report->count : 0;
}

int drill_import_report_get(drill_import_error *out, const drill_import_report *report, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(report);
    int rc = drill__out_check(out, &drill__abi_drill_import_error);
    if (rc)
        return rc;
    if (index >= report->count)
        return drill__error(DRILL_ENOTFOUND, "no error at index %zu (the report has %zu)", index, report->count);
    return drill__out_fill(out, &report->errors[index], &drill__abi_drill_import_error);
}

void drill_import_report_free(drill_import_report *report)
{
    if (!report)
        return;
    for (size_t i = 0; i < report->count; i++)
        free((char *)report->errors[i].message);
    free(report->errors);
    free(report);
}

/* record the thread's last error in the report */
static int report_add(drill_import_report *r)
{
    const drill_error *e = drill_error_last();
    if (DRILL__VEC_RESERVE(r->errors, r->cap, r->count + 1))
        return drill__error(DRILL_ENOMEM, "out of memory recording an import error");
    char *msg = drill__strdup(e->message);
    if (!msg)
        return drill__error(DRILL_ENOMEM, "out of memory recording an import error");
    r->errors[r->count++] = (drill_import_error){ DRILL_IMPORT_ERROR_VERSION, e->code, e->line, e->column, msg };
    return 0;
}

/* ---- parsing fields ---- */

enum { C_ID, C_NAME, C_AREA, C_CLASS, C_HEADCOUNT, C_ADDRESS, C_CONTACT, C_PHONE, C_RISK, C_FLOOD, C_KEYFIRE,
       C_BLACKOUTS, NCOLS };
static const char *const column_names[NCOLS] = { "id", "name", "area", "class", "headcount", "address",
                                                 "contact", "phone", "risk", "flood_prone", "key_fire",
                                                 "blackouts" };

typedef struct row_ctx {
    drill__csv *r;
    int col[NCOLS];
} row_ctx;

static const drill__csv_field *field(const row_ctx *c, int which)
{
    int i = c->col[which];
    return i >= 0 && (size_t)i < c->r->nfields ? &c->r->fields[i] : NULL;
}

static const char *text(const row_ctx *c, int which)
{
    const drill__csv_field *f = field(c, which);
    return f ? f->text : "";
}

static int at(const row_ctx *c, int which, int code, const char *fmt, const char *value)
{
    const drill__csv_field *f = field(c, which);
    int line = c->r->record_line, column = 1;
    if (f) {
        line = f->line;
        column = drill__csv_text_column(f);
    } else if (c->r->nfields) { /* a short row: point past its last field */
        const drill__csv_field *last = &c->r->fields[c->r->nfields - 1];
        line = last->line;
        column = drill__csv_end_column(last);
    }
    return drill__error_code_at(code, c->r->source, line, column, fmt, column_names[which], value);
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_risk(const char *s, drill_risk *out)
{
    static const char *const words[][3] = { { "", "", "" },
                                            { "low", "低", "blue" },
                                            { "general", "一般", "yellow" },
                                            { "higher", "较大", "orange" },
                                            { "major", "重大", "red" } };
    long v;
    if (!*s) {
        *out = DRILL_RISK_UNSET;
        return 0;
    }
    if (parse_int(s, 0, 4, &v) == 0) {
        *out = (drill_risk)v;
        return 0;
    }
    for (int i = 1; i <= 4; i++)
        for (int k = 0; k < 3; k++)
            if (drill__ascii_casecmp(s, words[i][k]) == 0) {
                *out = (drill_risk)i;
                return 0;
            }
    return -1;
}

static int parse_flag(const char *s, int *out)
{
    static const char *const yes[] = { "1", "yes", "true", "y", "是" };
    static const char *const no[] = { "", "0", "no", "false", "n", "否" };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (drill__ascii_casecmp(s, yes[i]) == 0)
            return *out = 1, 0;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (drill__ascii_casecmp(s, no[i]) == 0)
            return *out = 0, 0;
    return -1;
}

typedef struct range {
    drill_date from, to;
} range;

/* "d1;d2..d3" into ranges; on error *bad is the byte offset of the bad item */
static int parse_blackouts(const char *s, range **out, size_t *n, size_t *bad)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (!*p)
            break;
        const char *end = p;
        while (*end && *end != ';')
            end++;
        const char *item_end = end;
        while (item_end > p && item_end[-1] == ' ')
            item_end--;
        const char *dots = NULL;
        for (const char *q = p; q + 1 < item_end; q++)
            if (q[0] == '.' && q[1] == '.') {
                dots = q;
                break;
            }
        range rg;
        int col;
        *bad = (size_t)(p - s);
        if (drill__date_parse_n(&rg.from, p, (size_t)((dots ? dots : item_end) - p), &col))
            return -1;
        rg.to = rg.from;
        if (dots) {
            *bad = (size_t)(dots + 2 - s);
            if (drill__date_parse_n(&rg.to, dots + 2, (size_t)(item_end - dots - 2), &col))
                return -1;
            int diff;
            drill_date_diff(&diff, rg.from, rg.to);
            if (diff < 0) {
                drill__error(DRILL_EPARSE, "the range ends before it starts");
                return -1;
            }
        }
        if (DRILL__VEC_RESERVE(*out, cap, *n + 1)) {
            drill__error(DRILL_ENOMEM, "out of memory reading blackouts");
            return -2;
        }
        (*out)[(*n)++] = rg;
        p = end;
    }
    return 0;
}

/* check and add one row; returns 0 or an error already recorded with its position */
static int import_row(drill_units *tmp, const row_ctx *c)
{
    drill_unit u = DRILL_UNIT_INIT;
    u.id = text(c, C_ID);
    u.name = text(c, C_NAME);
    u.area = text(c, C_AREA);
    u.unit_class = text(c, C_CLASS);
    u.address = text(c, C_ADDRESS);
    u.contact = text(c, C_CONTACT);
    u.phone = text(c, C_PHONE);
    static const int required[] = { C_ID, C_NAME, C_AREA, C_CLASS };
    for (size_t i = 0; i < 4; i++)
        if (!*text(c, required[i]))
            return at(c, required[i], DRILL_EPARSE, "%s is required%s", "");
    long v;
    if (*text(c, C_HEADCOUNT) && parse_int(text(c, C_HEADCOUNT), 0, 100000000, &v))
        return at(c, C_HEADCOUNT, DRILL_EPARSE, "%s '%s' is not a whole number 0-100000000", text(c, C_HEADCOUNT));
    u.headcount = *text(c, C_HEADCOUNT) ? (int)v : 0;
    if (parse_risk(text(c, C_RISK), &u.risk))
        return at(c, C_RISK, DRILL_EPARSE, "%s '%s' is not 1-4, low, general, higher or major", text(c, C_RISK));
    if (parse_flag(text(c, C_FLOOD), &u.flood_prone))
        return at(c, C_FLOOD, DRILL_EPARSE, "%s '%s' is not yes or no", text(c, C_FLOOD));
    if (strcmp(text(c, C_KEYFIRE), "-1") == 0) /* not one, whatever its class */
        u.key_fire = -1;
    else if (parse_flag(text(c, C_KEYFIRE), &u.key_fire))
        return at(c, C_KEYFIRE, DRILL_EPARSE, "%s '%s' is not yes, no or -1 (not one, whatever its class)", text(c, C_KEYFIRE));
    char head[41]; /* the start of an over-long value, quoted in the message */
    if (strlen(u.id) > 127)
        return at(c, C_ID, DRILL_EPARSE, "%s '%s...' is longer than 127 bytes", drill__utf8_copy(head, 41, u.id));
    for (const char *p = u.id; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return at(c, C_ID, DRILL_EPARSE, "%s '%s' contains a control character", u.id);
    int cls;
    if ((cls = drill__units_class_index(tmp, u.unit_class)) < 0)
        return at(c, C_CLASS, DRILL_ENOTFOUND, "%s '%s' is not a known class", u.unit_class);
    (void)cls;
    const char *slash = strchr(u.area, '/');
    if (!slash || slash == u.area || !slash[1] || slash[1] == '/')
        return at(c, C_AREA, DRILL_EPARSE, "%s '%s' is not a path city/district[/street]", u.area);
    if (strlen(u.area) > 511)
        return at(c, C_AREA, DRILL_EPARSE, "%s '%s...' is longer than 511 bytes", drill__utf8_copy(head, 41, u.area));
    size_t existing;
    if (drill_units_find(&existing, tmp, u.id) == 0)
        return at(c, C_ID, DRILL_EEXISTS, "%s '%s' is a duplicate", u.id);
    range *rg = NULL;
    size_t nrg = 0, bad = 0;
    int rc = parse_blackouts(text(c, C_BLACKOUTS), &rg, &nrg, &bad);
    if (rc) {
        free(rg);
        if (rc == -2)
            return DRILL_ENOMEM;
        const drill__csv_field *f = field(c, C_BLACKOUTS);
        /* columns count characters; the text before the bad item is ASCII dates */
        return drill__error_at(c->r->source, f->line, drill__csv_text_column(f) + (int)bad, "blackouts: %s",
                               drill_error_last()->message);
    }
    if ((rc = drill_units_add(tmp, &u))) { /* anything the checks above missed is still bad input */
        free(rg);
        return rc == DRILL_ENOMEM ? rc : at(c, C_ID, DRILL_EPARSE, "%s: %s", drill_error_last()->message);
    }
    for (size_t i = 0; rc == 0 && i < nrg; i++)
        rc = drill_units_add_blackout(tmp, u.id, rg[i].from, rg[i].to);
    free(rg);
    return rc;
}

int drill_units_import_csv_buffer(drill_import_report **out_report, size_t *out_imported, drill_units *units,
                                  const char *data, size_t len, const char *source, const drill_import_options *opts)
{
    if (out_report)
        *out_report = NULL;
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(data);
    DRILL__VERSIONED(opts, drill_import_options, DRILL_IMPORT_OPTIONS_INIT);
    drill_import_options defaults = DRILL_IMPORT_OPTIONS_INIT;
    const drill_import_options *o = opts ? opts : &defaults;
    if (o->version != DRILL_IMPORT_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_import_options version %u is not %d", o->version,
                            DRILL_IMPORT_OPTIONS_VERSION);
    int all = o->all_errors || o->skip_bad_rows;
    size_t max_errors = o->max_errors > 0 ? (size_t)o->max_errors : 1000;
    drill_import_report *report = calloc(1, sizeof *report);
    drill_units *tmp = NULL;
    if (!report)
        return drill__error(DRILL_ENOMEM, "out of memory importing units");
    int rc = drill_units_dup(&tmp, units), first = 0;
    size_t imported = 0;
    drill__csv r;
    drill__csv_init(&r, data, len, source);
    row_ctx c = { &r, { 0 } };
    if (rc)
        goto done;
    rc = drill__csv_next(&r);
    if (rc == 0)
        rc = drill__error_at(r.source, 1, 1, "empty file: expected a header row with id,name,area,class");
    if (rc < 0) {
        first = rc;
        rc = report_add(report);
        goto done;
    }
    rc = 0;
    for (int i = 0; i < NCOLS; i++)
        c.col[i] = drill__csv_find(&r, column_names[i]);
    for (int i = 0; i < 4; i++)
        if (c.col[i] < 0) {
            first = drill__error_at(r.source, r.record_line, 1,
                                    "the header has no '%s' column (required: id, name, area, class)",
                                    column_names[i]);
            rc = report_add(report);
            goto done;
        }
    for (;;) {
        int row = drill__csv_next(&r);
        if (row == 0)
            break;
        int err = row < 0 ? row : import_row(tmp, &c);
        if (err == DRILL_ENOMEM) {
            rc = err;
            goto done;
        }
        if (err == 0) {
            imported++;
            continue;
        }
        if (!first)
            first = err;
        if (report->count < max_errors && (rc = report_add(report)))
            goto done;
        /* a malformed CSV cannot be resynchronised: stop there; past
         * max_errors only good rows still matter (with skip_bad_rows) */
        if (!all || row < 0 || (report->count >= max_errors && !o->skip_bad_rows))
            break;
    }
done:
    drill__csv_free(&r);
    if (rc == 0 && first && !(o->skip_bad_rows && imported > 0))
        rc = first;
    if (rc) {
        drill_units_free(tmp);
        if (rc != DRILL_ENOMEM && report->count) { /* the first error is the one to tell */
            const drill_import_error *e = &report->errors[0];
            drill__error_code_at(e->code, r.source, e->line, e->column, "%s", e->message);
        }
        imported = 0;
    } else {
        drill__units_swap_in(units, tmp);
    }
    if (out_imported)
        *out_imported = imported;
    if (out_report && rc != DRILL_ENOMEM)
        *out_report = report;
    else
        drill_import_report_free(report);
    return rc;
}

int drill_units_import_csv(drill_import_report **out_report, size_t *out_imported, drill_units *units,
                           const char *path, const drill_import_options *opts)
{
    if (out_report)
        *out_report = NULL;
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(path);
    char *buf;
    size_t len;
    int rc = drill__read_file(&buf, &len, path);
    if (rc)
        return rc;
    rc = drill_units_import_csv_buffer(out_report, out_imported, units, buf, len, path, opts);
    free(buf);
    return rc;
}

/* ---- export ---- */

static int write_units(FILE *f, const void *arg)
{
    const drill_units *units = arg;
    for (int i = 0; i < NCOLS; i++)
        fprintf(f, "%s%s", column_names[i], i + 1 < NCOLS ? "," : "\r\n");
    for (size_t i = 0; i < units->count; i++) {
        drill_unit u = DRILL_UNIT_INIT;
        drill_units_get(&u, units, i);
        const char *texts[] = { u.id, u.name, u.area, u.unit_class };
        for (int k = 0; k < 4; k++) {
            drill__csv_write_field(f, texts[k]);
            fputc(',', f);
        }
        fprintf(f, "%d,", u.headcount);
        drill__csv_write_field(f, u.address);
        fputc(',', f);
        drill__csv_write_field(f, u.contact);
        fputc(',', f);
        drill__csv_write_field(f, u.phone);
        fprintf(f, ",%d,%d,%d,", (int)u.risk, u.flood_prone, u.key_fire);
        int first = 1;
        for (uint32_t l = units->units[i].blackout; l; l = units->blackouts[l - 1].next) {
            const blackout_rec *b = &units->blackouts[l - 1];
            drill_date a, z;
            drill__from_serial(b->from, &a);
            drill__from_serial(b->to, &z);
            fprintf(f, "%s%04d-%02d-%02d", first ? "" : ";", a.year, a.month, a.day);
            if (b->to != b->from)
                fprintf(f, "..%04d-%02d-%02d", z.year, z.month, z.day);
            first = 0;
        }
        fputs("\r\n", f);
    }
    return 0;
}

int drill_units_export_csv(const drill_units *units, const char *path)
{
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(path);
    return drill__write_atomic(NULL, path, write_units, units);
}
