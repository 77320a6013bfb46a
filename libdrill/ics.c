/* Cutting iCalendar streams into VEVENT blocks; see ics.h. */
#include <stdlib.h>
#include <string.h>
#include "ics.h"
#include "internal.h"
#include "vec.h"

void drill__ics_open_buffer(drill__ics *r, const char *data, size_t len, const char *source)
{
    memset(r, 0, sizeof *r);
    r->buf = data;
    r->end = data + len;
    r->source = source ? source : "<buffer>";
    r->phys_len = -1;
}

void drill__ics_open_file(drill__ics *r, FILE *f, const char *source)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->source = source ? source : "<stream>";
    r->phys_len = -1;
}

void drill__ics_close(drill__ics *r)
{
    free(r->phys);
    free(r->block);
    r->phys = r->block = NULL;
}

/* the next physical line, without its line end, into r->phys: 1, 0 at the end, < 0 error */
static int read_physical(drill__ics *r)
{
    if (r->phys_len >= 0)
        return 1;
    const char *start, *nl;
    size_t n;
    if (r->f) {
        ssize_t got = getline(&r->phys, &r->phys_cap, r->f);
        if (got < 0)
            return ferror(r->f) ? drill__error(DRILL_EIO, "cannot read %s", r->source) : 0;
        n = (size_t)got;
        start = r->phys;
        nl = n && start[n - 1] == '\n' ? start + n - 1 : NULL;
    } else {
        if (r->buf >= r->end)
            return 0;
        start = r->buf;
        nl = memchr(start, '\n', (size_t)(r->end - start));
        n = nl ? (size_t)(nl - start) + 1 : (size_t)(r->end - start);
        r->buf += n;
    }
    r->line++;
    size_t text = nl ? (size_t)(nl - start) : n;
    if (r->line == 1 && text >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 BOM: not part of the text */
        start += 3;
        text -= 3;
        r->bom = 1;
    }
    if (text > DRILL__ICS_LINE_MAX) /* libical takes seconds per megabyte of one line */
        return drill__error_at(r->source, r->line, 1, "line %d is %zu bytes long; at most %d are read", r->line, text,
                               DRILL__ICS_LINE_MAX);
    if (nl && !(text && start[text - 1] == '\r'))
        r->bare_lf++;
    if (text && start[text - 1] == '\r')
        text--;
    if (memchr(start, '\0', text))
        return drill__error_at(r->source, r->line, 1, "NUL byte in an iCalendar stream");
    if (!drill__utf8_valid(start, text))
        return drill__error_at(r->source, r->line, 1, "an iCalendar stream must be UTF-8");
    if (r->f && start != r->phys) /* the BOM skipped in the stream's own buffer */
        memmove(r->phys, start, text);
    if (!r->f) { /* copy out of the buffer */
        if (DRILL__VEC_RESERVE(r->phys, r->phys_cap, text + 1)) /* the capacity getline() keeps too */
            return drill__error(DRILL_ENOMEM, "out of memory reading %s", r->source);
        memmove(r->phys, start, text);
    }
    r->phys[text] = '\0';
    r->phys_len = (long)text;
    r->phys_line = r->line;
    return 1;
}

static int append(drill__ics *r, const char *s, size_t n)
{
    if (r->block_len + n > DRILL__ICS_EVENT_MAX)
        return drill__error_at(r->source, r->block_line, 1, "the VEVENT starting on line %d is longer than %d bytes",
                               r->block_line, DRILL__ICS_EVENT_MAX);
    if (DRILL__VEC_RESERVE(r->block, r->block_cap, r->block_len + n + 3))
        return drill__error(DRILL_ENOMEM, "out of memory reading %s", r->source);
    memcpy(r->block + r->block_len, s, n);
    r->block_len += n;
    r->block[r->block_len] = '\0';
    return 0;
}

/* 1 for BEGIN:X, -1 for END:X, 0 otherwise; comp receives X in capitals */
static int begin_or_end(const char *l, char *comp, size_t size)
{
    int begin = drill__ascii_ncasecmp(l, "BEGIN:", 6) == 0, end = drill__ascii_ncasecmp(l, "END:", 4) == 0;
    if (!begin && !end)
        return 0;
    const char *v = l + (begin ? 6 : 4);
    size_t n = 0;
    while (v[n] && v[n] != ' ' && v[n] != '\t' && n + 1 < size) {
        comp[n] = (char)(v[n] >= 'a' && v[n] <= 'z' ? v[n] - 32 : v[n]);
        n++;
    }
    comp[n] = '\0';
    return begin ? 1 : -1;
}

int drill__ics_next_event(drill__ics *r, const char **block, int *line)
{
    int rc;
    while ((rc = read_physical(r)) == 1) {
        /* a physical line that is not a continuation starts a logical line */
        char *l = r->phys;
        int lnum = r->phys_line;
        r->phys_len = -1;
        if (r->in_event) { /* keep the block as it was written, folds and all, CRLF */
            if ((rc = append(r, l, strlen(l))) || (rc = append(r, "\r\n", 2)))
                return rc;
        }
        if (l[0] == ' ' || l[0] == '\t')
            continue;
        char comp[32];
        int be = begin_or_end(l, comp, sizeof comp);
        if (r->depth == 0) {
            if (be == 1 && strcmp(comp, "VCALENDAR") == 0) {
                strcpy(r->stack[r->depth++], comp);
                r->calendars++;
            } else if (l[strspn(l, " \t")] != '\0') {
                return drill__error_at(r->source, lnum, 1, "expected BEGIN:VCALENDAR");
            }
        } else if (be == 1) {
            if (r->depth == 8)
                return drill__error_at(r->source, lnum, 1, "components nested too deeply");
            if (r->depth == 1 && strcmp(comp, "VEVENT") == 0) {
                r->in_event = 1;
                r->block_len = 0;
                r->block_line = lnum;
                if ((rc = append(r, l, strlen(l))) || (rc = append(r, "\r\n", 2)))
                    return rc;
            }
            strcpy(r->stack[r->depth++], comp);
        } else if (be == -1) {
            if (strcmp(comp, r->stack[r->depth - 1]) != 0)
                return drill__error_at(r->source, lnum, 1, "END:%s where END:%s was expected", comp,
                                       r->stack[r->depth - 1]);
            if (--r->depth == 1 && r->in_event) {
                r->in_event = 0;
                *block = r->block;
                *line = r->block_line;
                return 1;
            }
        }
    }
    if (rc < 0)
        return rc;
    if (r->in_event)
        return drill__error_at(r->source, r->block_line, 1, "BEGIN:VEVENT is never ended");
    if (!r->calendars)
        return drill__error_at(r->source, 1, 1, "not an iCalendar stream: no BEGIN:VCALENDAR");
    r->unended = r->depth > 0;
    return 0;
}

int drill__ics_property_line(const char *block, int first, const char *name)
{
    size_t n = strlen(name);
    int line = first;
    for (const char *p = block; *p; line++) {
        if (p[0] != ' ' && p[0] != '\t' && drill__ascii_ncasecmp(p, name, n) == 0 && (p[n] == ':' || p[n] == ';'))
            return line;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return first;
}

/* ---- recurring events ---- */

int drill__ics_is_recurring(icalcomponent *ev)
{
    return icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) ||
           icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY);
}

/* the event's EXDATEs, read once before the other properties are walked:
 * a component has one property iterator, so walking the EXDATEs while
 * walking the RDATEs (or RRULEs) would end that walk after its first */
typedef struct exdates {
    struct icaltimetype *d;
    size_t n;
} exdates;

static int same_day(struct icaltimetype a, struct icaltimetype b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

static int excluded(const exdates *x, struct icaltimetype d)
{
    for (size_t i = 0; i < x->n; i++)
        if (same_day(x->d[i], d))
            return 1;
    return 0;
}

/* fn for occurrence t if it is in the years, not excluded and a valid date */
static int occurrence(int *count, const exdates *ex, struct icaltimetype start, struct icaltimetype t, int ymin,
                      int ymax, drill__ics_occurrence_fn fn, void *ctx)
{
    if (t.year < ymin || t.year > ymax || excluded(ex, t) ||
        drill_date_check((drill_date){ t.year, t.month, t.day }) != 0)
        return 0;
    ++*count;
    return fn(ctx, drill__serial(t.year, t.month, t.day) - drill__serial(start.year, start.month, start.day));
}

/* the event's properties of one kind, collected before any is used: a
 * component has one property iterator, which fn (reading DTSTART, SUMMARY)
 * and the EXDATE check would reset in the middle of a walk */
static icalproperty **collect(size_t *n, icalcomponent *ev, icalproperty_kind kind)
{
    *n = (size_t)icalcomponent_count_properties(ev, kind);
    icalproperty **ps = malloc((*n ? *n : 1) * sizeof *ps);
    size_t k = 0;
    for (icalproperty *p = icalcomponent_get_first_property(ev, kind); ps && p && k < *n;
         p = icalcomponent_get_next_property(ev, kind))
        ps[k++] = p;
    *n = k;
    return ps;
}

int drill__ics_occurrences(int *out_count, icalcomponent *ev, const char *block, int line, const char *source,
                           int ymin, int ymax, long *budget, drill__ics_occurrence_fn fn, void *ctx)
{
    int count = 0, rc = 0;
    if (out_count)
        *out_count = 0;
    icalproperty *ps = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    if (!ps)
        return drill__error_at(source, line, 1, "event has no DTSTART");
    struct icaltimetype start = icalproperty_get_dtstart(ps);
    if (drill_date_check((drill_date){ start.year, start.month, start.day }) != 0)
        return drill__error_at(source, drill__ics_property_line(block, line, "DTSTART"), 1, "DTSTART: %s",
                               drill_error_last()->message);
    size_t nx, nr, nd;
    icalproperty **xs = collect(&nx, ev, ICAL_EXDATE_PROPERTY), **rs = collect(&nr, ev, ICAL_RRULE_PROPERTY),
                 **ds = collect(&nd, ev, ICAL_RDATE_PROPERTY);
    exdates ex = { malloc((nx ? nx : 1) * sizeof *ex.d), nx };
    if (!xs || !rs || !ds || !ex.d) {
        rc = drill__error(DRILL_ENOMEM, "out of memory reading %s", source);
        goto done;
    }
    for (size_t k = 0; k < nx; k++)
        ex.d[k] = icalproperty_get_exdate(xs[k]);
    rc = occurrence(&count, &ex, start, start, ymin, ymax, fn, ctx);
    for (size_t k = 0; k < nr && rc == 0; k++) {
        struct icalrecurrencetype rule = icalproperty_get_rrule(rs[k]);
        icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
        if (!it) {
            rc = drill__error_at(source, drill__ics_property_line(block, line, "RRULE"), 1,
                                 "RRULE: libical cannot expand it");
            break;
        }
        if (!rule.count && start.year < ymin) { /* straight to the first year asked for */
            struct icaltimetype from = start;
            from.year = ymin;
            from.month = from.day = 1;
            icalrecur_iterator_set_start(it, from);
        }
        struct icaltimetype t;
        while (rc == 0 && !icaltime_is_null_time(t = icalrecur_iterator_next(it)) && t.year <= ymax) {
            if (--*budget < 0) {
                rc = drill__error_at(source, drill__ics_property_line(block, line, "RRULE"), 1,
                                     "RRULE: more than %d occurrences to expand in %d-%d", DRILL__ICS_EXPAND_BUDGET,
                                     ymin, ymax);
                break;
            }
            if (!same_day(t, start))
                rc = occurrence(&count, &ex, start, t, ymin, ymax, fn, ctx);
        }
        icalrecur_iterator_free(it);
    }
    for (size_t k = 0; k < nd && rc == 0; k++) {
        struct icaldatetimeperiodtype r = icalproperty_get_rdate(ds[k]);
        struct icaltimetype t = icaltime_is_null_time(r.time) ? r.period.start : r.time;
        if (!icaltime_is_null_time(t) && !same_day(t, start))
            rc = occurrence(&count, &ex, start, t, ymin, ymax, fn, ctx);
    }
done:
    free(xs);
    free(rs);
    free(ds);
    free(ex.d);
    if (out_count)
        *out_count = count;
    return rc;
}
