/* The working-day calendar: weekends plus loaded holidays and make-up
 * working days, one byte per day from 1900 to 2200 so that the scheduler's
 * is-working-day question is one array read. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libical/ical.h>
#include "csv.h"
#include "ics.h"
#include "abi.h"
#include "internal.h"
#include "lunar.h"
#include "vec.h"

#define NDAYS (DRILL__SERIAL_MAX + 1)
#define NYEARS (DRILL_DATE_MAX_YEAR - DRILL_DATE_MIN_YEAR + 1)
#define MAX_NAMES 65535

typedef struct name_pair {
    char *name;
    char *name_en;
} name_pair;

struct drill_calendar {
    uint8_t *kind;    /* per day: 0, DRILL_ENTRY_HOLIDAY or DRILL_ENTRY_WORKDAY */
    uint16_t *name;   /* per day: index into names, for days with a kind */
    name_pair *names;
    size_t nnames, names_cap;
    uint8_t covered[NYEARS];
    drill_uncovered_policy policy;
};

int drill_calendar_new(drill_calendar **out)
{
    DRILL_CHECK_NULL(out);
    drill_calendar *cal = calloc(1, sizeof *cal);
    if (cal) {
        cal->kind = calloc(NDAYS, sizeof *cal->kind);
        cal->name = calloc(NDAYS, sizeof *cal->name);
    }
    if (!cal || !cal->kind || !cal->name) {
        drill_calendar_free(cal);
        return drill__error(DRILL_ENOMEM, "out of memory creating a calendar");
    }
    *out = cal;
    return 0;
}

void drill_calendar_free(drill_calendar *cal)
{
    if (!cal)
        return;
    for (size_t i = 0; i < cal->nnames; i++) {
        free(cal->names[i].name);
        free(cal->names[i].name_en);
    }
    free(cal->names);
    free(cal->kind);
    free(cal->name);
    free(cal);
}

int drill_calendar_dup(drill_calendar **out, const drill_calendar *cal)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(cal);
    drill_calendar *c;
    int rc = drill_calendar_new(&c);
    if (rc)
        return rc;
    memcpy(c->kind, cal->kind, NDAYS * sizeof *c->kind);
    memcpy(c->name, cal->name, NDAYS * sizeof *c->name);
    memcpy(c->covered, cal->covered, sizeof c->covered);
    c->policy = cal->policy;
    if (cal->nnames) {
        c->names = calloc(cal->nnames, sizeof *c->names);
        if (!c->names)
            goto nomem;
        c->names_cap = cal->nnames;
        for (; c->nnames < cal->nnames; c->nnames++) {
            name_pair *d = &c->names[c->nnames];
            const name_pair *s = &cal->names[c->nnames];
            d->name = drill__strdup(s->name);
            d->name_en = s->name_en ? drill__strdup(s->name_en) : NULL;
            if (!d->name || (s->name_en && !d->name_en)) {
                c->nnames++;
                goto nomem;
            }
        }
    }
    *out = c;
    return 0;
nomem:
    drill_calendar_free(c);
    return drill__error(DRILL_ENOMEM, "out of memory copying a calendar");
}

static int year_ok(int year);

int drill_calendar_set_policy(drill_calendar *cal, drill_uncovered_policy policy)
{
    DRILL_CHECK_NULL(cal);
    if (policy != DRILL_UNCOVERED_ERROR && policy != DRILL_UNCOVERED_WEEKENDS &&
        policy != DRILL_UNCOVERED_PROVISIONAL)
        return drill__error(DRILL_EINVAL, "unknown uncovered-year policy %d", (int)policy);
    cal->policy = policy;
    return 0;
}

int drill_calendar_is_provisional(int *out, const drill_calendar *cal, int year)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(cal);
    int rc = year_ok(year);
    if (rc == 0)
        *out = cal->policy == DRILL_UNCOVERED_PROVISIONAL && !cal->covered[year - DRILL_DATE_MIN_YEAR] &&
               year >= DRILL__LUNAR_MIN_YEAR && year <= DRILL__LUNAR_MAX_YEAR;
    return rc;
}

int drill_calendar_get_policy(drill_uncovered_policy *out, const drill_calendar *cal)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(cal);
    *out = cal->policy;
    return 0;
}

static int year_ok(int year)
{
    if (year < DRILL_DATE_MIN_YEAR || year > DRILL_DATE_MAX_YEAR)
        return drill__error(DRILL_ERANGE, "year %d is outside %d-%d", year, DRILL_DATE_MIN_YEAR,
                            DRILL_DATE_MAX_YEAR);
    return 0;
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int intern(drill_calendar *cal, const char *name, const char *name_en, uint16_t *out)
{
    if (name_en && !*name_en)
        name_en = NULL;
    for (size_t i = 0; i < cal->nnames; i++) {
        if (strcmp(cal->names[i].name, name) == 0 && same(cal->names[i].name_en, name_en)) {
            *out = (uint16_t)i;
            return 0;
        }
    }
    if (cal->nnames == MAX_NAMES)
        return drill__error(DRILL_ERANGE, "a calendar holds at most %d distinct names", MAX_NAMES);
    if (DRILL__VEC_RESERVE(cal->names, cal->names_cap, cal->nnames + 1))
        return drill__error(DRILL_ENOMEM, "out of memory adding a holiday name");
    name_pair p = { drill__strdup(name), name_en ? drill__strdup(name_en) : NULL };
    if (!p.name || (name_en && !p.name_en)) {
        free(p.name);
        free(p.name_en);
        return drill__error(DRILL_ENOMEM, "out of memory adding a holiday name");
    }
    cal->names[cal->nnames] = p;
    *out = (uint16_t)cal->nnames++;
    return 0;
}

static const char *kind_word(int kind)
{
    return kind == DRILL_ENTRY_HOLIDAY ? "holiday" : "make-up working day";
}

int drill_calendar_add(drill_calendar *cal, drill_date date, drill_entry_kind kind, const char *name,
                       const char *name_en, int year)
{
    DRILL_CHECK_NULL(cal);
    DRILL_CHECK_NULL(name);
    int rc = drill_date_check(date);
    if (rc)
        return rc;
    if (kind != DRILL_ENTRY_HOLIDAY && kind != DRILL_ENTRY_WORKDAY)
        return drill__error(DRILL_EINVAL, "unknown calendar entry kind %d", (int)kind);
    if (!*name)
        return drill__error(DRILL_EINVAL, "a calendar entry needs a name");
    if (!drill__utf8_valid(name, strlen(name)) || !drill__utf8_text_ok(name_en))
        return drill__error(DRILL_EINVAL, "calendar entry names must be UTF-8");
    if (year == 0)
        year = date.year;
    if ((rc = year_ok(year)))
        return rc;
    if (year < date.year - 1 || year > date.year + 1)
        return drill__error(DRILL_ERANGE, "%04d-%02d-%02d cannot belong to the %d arrangement (at most a year apart)",
                            date.year, date.month, date.day, year);
    int s = drill__serial(date.year, date.month, date.day);
    if (cal->kind[s] && cal->kind[s] != kind)
        return drill__error(DRILL_EEXISTS, "%04d-%02d-%02d is already a %s (%s) and cannot also be a %s (%s)",
                            date.year, date.month, date.day, kind_word(cal->kind[s]),
                            cal->names[cal->name[s]].name, kind_word(kind), name);
    if (!cal->kind[s]) {
        uint16_t idx = 0;
        if ((rc = intern(cal, name, name_en, &idx)))
            return rc;
        cal->kind[s] = (uint8_t)kind;
        cal->name[s] = idx;
    }
    cal->covered[year - DRILL_DATE_MIN_YEAR] = 1;
    return 0;
}

int drill_calendar_mark_covered(drill_calendar *cal, int year)
{
    DRILL_CHECK_NULL(cal);
    int rc = year_ok(year);
    if (rc == 0)
        cal->covered[year - DRILL_DATE_MIN_YEAR] = 1;
    return rc;
}

int drill_calendar_is_covered(int *out, const drill_calendar *cal, int year)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(cal);
    int rc = year_ok(year);
    if (rc == 0)
        *out = cal->covered[year - DRILL_DATE_MIN_YEAR];
    return rc;
}

static int serial_year(int serial)
{
    drill_date d;
    drill__from_serial(serial, &d);
    return d.year;
}

/* The law's holidays (lunar.h), 1 + which per day, 0 none: one table for
 * the process, shared by every calendar, filled a year at a time when a day
 * of that year is first asked. Computing all of 1949-2100 costs milliseconds,
 * which a program that reads one drill should not pay. */
enum { LAW_YEARS = DRILL__LUNAR_MAX_YEAR - DRILL__LUNAR_MIN_YEAR + 1 };
static uint8_t law_table[NDAYS];
static atomic_uchar law_filled[LAW_YEARS];
static pthread_mutex_t law_lock = PTHREAD_MUTEX_INITIALIZER;

/* year's days in law_table, from the holiday lists of year and its
 * neighbours (a holiday never reaches another year today, but the table
 * must not depend on it) */
static void fill_law_year(int year)
{
    for (int y = year - 1; y <= year + 1; y++) {
        drill__law_day days[24];
        int n = y < DRILL__LUNAR_MIN_YEAR || y > DRILL__LUNAR_MAX_YEAR ? 0 : drill__law_holidays(days, 24, y);
        for (int i = 0; i < n && i < 24; i++) /* first wins: Mid-Autumn on October 1 stays National Day */
            if (serial_year(days[i].serial) == year && !law_table[days[i].serial])
                law_table[days[i].serial] = (uint8_t)(1 + days[i].which);
    }
}

static int law_of(int serial)
{
    int year = serial_year(serial);
    if (year < DRILL__LUNAR_MIN_YEAR || year > DRILL__LUNAR_MAX_YEAR)
        return 0;
    atomic_uchar *filled = &law_filled[year - DRILL__LUNAR_MIN_YEAR];
    if (!atomic_load_explicit(filled, memory_order_acquire)) {
        pthread_mutex_lock(&law_lock);
        if (!atomic_load_explicit(filled, memory_order_relaxed)) {
            fill_law_year(year);
            atomic_store_explicit(filled, 1, memory_order_release);
        }
        pthread_mutex_unlock(&law_lock);
    }
    return law_table[serial];
}

/* the law's holiday on a day of an uncovered year under the provisional policy, or 0 */
static int law_day(const drill_calendar *cal, int serial, int covered)
{
    return !covered && cal->policy == DRILL_UNCOVERED_PROVISIONAL ? law_of(serial) : 0;
}

drill_day_kind drill__calendar_kind(const drill_calendar *cal, int serial, int *covered)
{
    int c = cal->covered[serial_year(serial) - DRILL_DATE_MIN_YEAR];
    if (covered)
        *covered = c;
    switch (cal->kind[serial]) {
    case DRILL_ENTRY_HOLIDAY: return DRILL_DAY_HOLIDAY;
    case DRILL_ENTRY_WORKDAY: return DRILL_DAY_MAKEUP_WORKDAY;
    default:
        if (law_day(cal, serial, c))
            return DRILL_DAY_HOLIDAY;
        return drill__weekday(serial) >= DRILL_SATURDAY ? DRILL_DAY_WEEKEND : DRILL_DAY_WORKDAY;
    }
}

static int is_working(drill_day_kind k)
{
    return k == DRILL_DAY_WORKDAY || k == DRILL_DAY_MAKEUP_WORKDAY;
}

/* the kind of a day, or DRILL_ENODATA under the error policy for an uncovered year */
static int day_kind(const drill_calendar *cal, int serial, drill_day_kind *out, int *covered)
{
    *out = drill__calendar_kind(cal, serial, covered);
    if (!*covered && (cal->policy == DRILL_UNCOVERED_ERROR ||
                      (cal->policy == DRILL_UNCOVERED_PROVISIONAL &&
                       (serial_year(serial) < DRILL__LUNAR_MIN_YEAR || serial_year(serial) > DRILL__LUNAR_MAX_YEAR))))
        return drill__error(DRILL_ENODATA,
                            "no holiday arrangement is loaded for %d: load one, or choose "
                            "DRILL_UNCOVERED_PROVISIONAL (the law's holidays, 1949-2100) or "
                            "DRILL_UNCOVERED_WEEKENDS (weekends alone)",
                            serial_year(serial));
    return 0;
}

int drill_calendar_day_info(drill_day_info *out_caller, const drill_calendar *cal, drill_date date)
{
    DRILL__OUT_BEGIN(out, drill_day_info);
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(cal);
    int rc = drill_date_check(date), covered;
    if (rc)
        return rc;
    int s = drill__serial(date.year, date.month, date.day);
    drill_day_kind k;
    if ((rc = day_kind(cal, s, &k, &covered)))
        return rc;
    out->kind = k;
    out->working = is_working(k);
    out->covered = covered;
    out->name = "";
    out->name_en = "";
    if (cal->kind[s]) {
        const name_pair *p = &cal->names[cal->name[s]];
        out->name = p->name;
        out->name_en = p->name_en ? p->name_en : "";
    } else if (law_day(cal, s, covered)) {
        out->name = drill__law_name(law_of(s) - 1, 0);
        out->name_en = drill__law_name(law_of(s) - 1, 1);
    }
    return DRILL__OUT_END(out, drill_day_info);
}

int drill_calendar_is_working_day(int *out, const drill_calendar *cal, drill_date date)
{
    DRILL_CHECK_NULL(out);
    drill_day_info info = DRILL_DAY_INFO_INIT;
    int rc = drill_calendar_day_info(&info, cal, date);
    if (rc == 0)
        *out = info.working;
    return rc;
}

static int step_working(drill_date *out, const drill_calendar *cal, drill_date date, int dir)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(cal);
    int rc = drill_date_check(date), covered;
    if (rc)
        return rc;
    for (int s = drill__serial(date.year, date.month, date.day) + dir; s >= 0 && s <= DRILL__SERIAL_MAX;
         s += dir) {
        drill_day_kind k;
        if ((rc = day_kind(cal, s, &k, &covered)))
            return rc;
        if (is_working(k)) {
            drill__from_serial(s, out);
            return 0;
        }
    }
    return drill__error(DRILL_ERANGE, "no working day %s %04d-%02d-%02d within 1900-2200",
                        dir > 0 ? "after" : "before", date.year, date.month, date.day);
}

int drill_calendar_next_working_day(drill_date *out, const drill_calendar *cal, drill_date date)
{
    return step_working(out, cal, date, 1);
}

int drill_calendar_prev_working_day(drill_date *out, const drill_calendar *cal, drill_date date)
{
    return step_working(out, cal, date, -1);
}

int drill_calendar_count_working_days(int *out, const drill_calendar *cal, drill_date from, drill_date to)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(cal);
    int a, b, rc, covered, n = 0;
    if ((rc = drill_date_to_serial(&a, from)) || (rc = drill_date_to_serial(&b, to)))
        return rc;
    for (int s = a; s <= b; s++) {
        drill_day_kind k;
        if ((rc = day_kind(cal, s, &k, &covered)))
            return rc;
        n += is_working(k);
    }
    *out = n;
    return 0;
}

/* ---- loading: into a copy, swapped in only when everything was read ---- */

static void swap_in(drill_calendar *cal, drill_calendar *tmp)
{
    drill_calendar t = *cal;
    *cal = *tmp;
    *tmp = t;
    drill_calendar_free(tmp);
}

static void count(drill_calendar_load_stats *st, drill_entry_kind kind)
{
    st->entries++;
    if (kind == DRILL_ENTRY_HOLIDAY)
        st->holidays++;
    else
        st->workdays++;
}

static int parse_kind(const char *s, drill_entry_kind *out)
{
    if (drill__ascii_casecmp(s, "holiday") == 0 || strcmp(s, "休") == 0)
        *out = DRILL_ENTRY_HOLIDAY;
    else if (drill__ascii_casecmp(s, "workday") == 0 || strcmp(s, "班") == 0)
        *out = DRILL_ENTRY_WORKDAY;
    else
        return -1;
    return 0;
}

/* position of a field's text, for error messages */
#define FIELD_AT(r, f) (r)->source, (f)->line, drill__csv_text_column(f)

static int load_csv_rows(drill_calendar *cal, drill__csv *r, drill_calendar_load_stats *st)
{
    int rc = drill__csv_next(r);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return drill__error_at(r->source, 1, 1, "empty file: expected a header row date,kind,name");
    int cdate = drill__csv_find(r, "date"), ckind = drill__csv_find(r, "kind");
    int cname = drill__csv_find(r, "name"), cen = drill__csv_find(r, "name_en");
    int cyear = drill__csv_find(r, "year");
    const char *missing = cdate < 0 ? "date" : ckind < 0 ? "kind" : cname < 0 ? "name" : NULL;
    if (missing)
        return drill__error_at(r->source, r->record_line, 1,
                               "the header has no '%s' column (required: date, kind, name)", missing);
    int need = cdate > ckind ? cdate : ckind;
    need = need > cname ? need : cname;
    while ((rc = drill__csv_next(r)) == 1) {
        if ((int)r->nfields <= need) {
            const drill__csv_field *last = &r->fields[r->nfields - 1];
            return drill__error_at(r->source, last->line, drill__csv_end_column(last),
                                   "the row has %zu fields, the header names column %d", r->nfields, need + 1);
        }
        const drill__csv_field *fd = &r->fields[cdate], *fk = &r->fields[ckind], *fn = &r->fields[cname];
        drill_date date;
        int bad = 0;
        if (drill__date_parse_n(&date, fd->text, fd->len, &bad))
            return drill__error_at(r->source, fd->line, drill__csv_text_column(fd) + bad - 1, "date: %s",
                                   drill_error_last()->message);
        drill_entry_kind kind;
        if (parse_kind(fk->text, &kind))
            return drill__error_at(FIELD_AT(r, fk), "kind '%s' is not 'holiday' or 'workday'", fk->text);
        if (fn->len == 0)
            return drill__error_at(FIELD_AT(r, fn), "the name is empty");
        const char *name_en = cen >= 0 && cen < (int)r->nfields ? r->fields[cen].text : NULL;
        int year = 0;
        if (cyear >= 0 && cyear < (int)r->nfields && r->fields[cyear].len) {
            const drill__csv_field *fy = &r->fields[cyear];
            char *end;
            long y = strtol(fy->text, &end, 10);
            if (*end || y < DRILL_DATE_MIN_YEAR || y > DRILL_DATE_MAX_YEAR)
                return drill__error_at(FIELD_AT(r, fy), "year '%s' is not a year 1900-2200", fy->text);
            year = (int)y;
        }
        if ((rc = drill_calendar_add(cal, date, kind, fn->text, name_en, year)))
            return drill__error_code_at(rc, FIELD_AT(r, fd), "%s", drill_error_last()->message);
        count(st, kind);
    }
    return rc;
}

int drill_calendar_load_csv_buffer(drill_calendar_load_stats *out_stats, drill_calendar *cal, const char *data,
                                   size_t len, const char *source)
{
    DRILL_CHECK_NULL(cal);
    DRILL_CHECK_NULL(data);
    int vrc = drill__out_check(out_stats, &drill__abi_drill_calendar_load_stats);
    if (vrc)
        return vrc;
    drill_calendar *tmp;
    int rc = drill_calendar_dup(&tmp, cal);
    if (rc)
        return rc;
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    drill__csv r;
    drill__csv_init(&r, data, len, source);
    rc = load_csv_rows(tmp, &r, &st);
    drill__csv_free(&r);
    if (rc) {
        drill_calendar_free(tmp);
        return rc;
    }
    swap_in(cal, tmp);
    return drill__out_fill(out_stats, &st, &drill__abi_drill_calendar_load_stats);
}

int drill_calendar_load_csv(drill_calendar_load_stats *out_stats, drill_calendar *cal, const char *path)
{
    DRILL_CHECK_NULL(cal);
    DRILL_CHECK_NULL(path);
    char *buf;
    size_t len;
    int rc = drill__read_file(&buf, &len, path);
    if (rc)
        return rc;
    rc = drill_calendar_load_csv_buffer(out_stats, cal, buf, len, path);
    free(buf);
    return rc;
}

/* the compiled-in copy of data/holidays-cn.csv (holidays_cn.S) */
extern const char drill__holidays_cn_csv[];
extern const char drill__holidays_cn_csv_end[];

int drill_calendar_new_china(drill_calendar **out)
{
    DRILL_CHECK_NULL(out);
    drill_calendar *cal;
    int rc = drill_calendar_new(&cal);
    if (rc)
        return rc;
    rc = drill_calendar_load_csv_buffer(NULL, cal, drill__holidays_cn_csv,
                                        (size_t)(drill__holidays_cn_csv_end - drill__holidays_cn_csv),
                                        "data/holidays-cn.csv");
    if (rc == 0) /* years without a notice: the law's holidays and the weekends, marked provisional */
        rc = drill_calendar_set_policy(cal, DRILL_UNCOVERED_PROVISIONAL);
    if (rc) {
        drill_calendar_free(cal);
        return rc;
    }
    *out = cal;
    return 0;
}

/* ---- iCalendar holiday feeds ----
 *
 * libical keeps no line numbers, so the stream is cut into its top-level
 * VEVENT blocks here and each block is parsed on its own: an error then
 * names the line of the event, or of the property, that caused it, and
 * memory holds one event at a time. */

/* does text contain one of the '|'-separated markers? */
static int has_marker(const char *text, const char *markers)
{
    while (*markers) {
        const char *bar = strchr(markers, '|');
        size_t n = bar ? (size_t)(bar - markers) : strlen(markers);
        if (n) {
            for (const char *t = text; *t; t++)
                if (strncmp(t, markers, n) == 0)
                    return 1;
        }
        if (!bar)
            break;
        markers = bar + 1;
    }
    return 0;
}

/* libical drops a property it cannot parse and leaves an X-LIC-ERROR whose
 * text names it; the import reads only these */
static const char *used_property_in(const char *msg)
{
    static const char *const used[] = { "DTSTART", "DTEND", "DURATION", "SUMMARY", "RRULE", "RDATE", "EXDATE" };
    for (size_t i = 0; i < sizeof used / sizeof *used; i++)
        if (strstr(msg, used[i]))
            return used[i];
    return NULL;
}

/* Recurring events (RRULE, RDATE) wait for the end of the feed: their
 * occurrences are taken within the years the feed's other events cover (or,
 * with none, the years their own DTSTARTs fall in), so a yearly rule with no
 * end neither stops at its first year nor fills every year to 2200 (which
 * would mark those years' arrangements as published). */
typedef struct recurring {
    char **blocks;
    int *lines;
    size_t n, blocks_cap, lines_cap;
    int ymin, ymax; /* the years of the entries added; ymin 0: none yet */
    int first_year, last_year; /* of the recurring events' DTSTARTs */
} recurring;

static void recurring_free(recurring *rec)
{
    for (size_t i = 0; i < rec->n; i++)
        free(rec->blocks[i]);
    free(rec->blocks);
    free(rec->lines);
}

/* the days of one parsed all-day event become entries; shift moves it to an
 * occurrence that many days after DTSTART; with rec, a recurring event is
 * kept there for later instead */
static int add_event_days(drill_calendar *cal, icalcomponent *ev, const char *block, int line, const char *source,
                          const drill_ics_holiday_options *o, drill_calendar_load_stats *st, int shift,
                          recurring *rec)
{
    icalproperty *ps = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    icalproperty *pn = icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY);
    if (!ps)
        return drill__error_at(source, line, 1, "event has no DTSTART");
    struct icaltimetype start = icalproperty_get_dtstart(ps);
    if (!start.is_date) {
        st->skipped++;
        return 0;
    }
    const char *summary = pn ? icalproperty_get_summary(pn) : NULL;
    if (!summary || !*summary)
        return drill__error_at(source, line, 1, "all-day event on %04d-%02d-%02d has no SUMMARY to name it",
                               start.year, start.month, start.day);
    drill_entry_kind kind = DRILL_ENTRY_HOLIDAY;
    if (has_marker(summary, o->workday_markers ? o->workday_markers : "上班|补班"))
        kind = DRILL_ENTRY_WORKDAY;
    else if (o->holiday_markers && !has_marker(summary, o->holiday_markers)) {
        st->skipped++;
        return 0;
    }
    drill_date first = { start.year, start.month, start.day };
    int a, b, rc;
    if ((rc = drill_date_to_serial(&a, first)))
        return drill__error_at(source, drill__ics_property_line(block, line, "DTSTART"), 1, "DTSTART: %s",
                               drill_error_last()->message);
    if (rec && drill__ics_is_recurring(ev)) {
        if (DRILL__VEC_RESERVE(rec->blocks, rec->blocks_cap, rec->n + 1) ||
            DRILL__VEC_RESERVE(rec->lines, rec->lines_cap, rec->n + 1))
            return drill__error(DRILL_ENOMEM, "out of memory reading %s", source);
        if (!(rec->blocks[rec->n] = drill__strdup(block)))
            return drill__error(DRILL_ENOMEM, "out of memory reading %s", source);
        rec->lines[rec->n++] = line;
        if (!rec->first_year || first.year < rec->first_year)
            rec->first_year = first.year;
        if (first.year > rec->last_year)
            rec->last_year = first.year;
        return 0;
    }
    b = a;
    struct icaltimetype end = icalcomponent_get_dtend(ev);
    if (!icaltime_is_null_time(end)) {
        drill_date last = { end.year, end.month, end.day };
        if ((rc = drill_date_to_serial(&b, last)))
            return drill__error_at(source, drill__ics_property_line(block, line, "DTEND"), 1, "DTEND: %s",
                                   drill_error_last()->message);
        b -= 1; /* DTEND of an all-day event is exclusive */
        if (b < a)
            return drill__error_at(source, drill__ics_property_line(block, line, "DTEND"), 1, "'%s': DTEND is not after DTSTART",
                                   summary);
        if (b - a > 366)
            return drill__error_at(source, line, 1, "'%s' lasts %d days: not a holiday", summary, b - a + 1);
    }
    a += shift;
    b += shift;
    if (a < 0 || b > DRILL__SERIAL_MAX)
        return 0; /* an occurrence past the date range */
    drill_date last_day;
    drill__from_serial(b, &last_day);
    if (rec) {
        drill_date d0;
        drill__from_serial(a, &d0);
        if (!rec->ymin || d0.year < rec->ymin)
            rec->ymin = d0.year;
        if (last_day.year > rec->ymax)
            rec->ymax = last_day.year;
    }
    for (int s = a; s <= b; s++) {
        drill_date d;
        drill__from_serial(s, &d);
        /* a run across New Year belongs to the arrangement of the year it ends in */
        if ((rc = drill_calendar_add(cal, d, kind, summary, NULL, last_day.year)))
            return drill__error_code_at(rc, source, line, 1, "%s", drill_error_last()->message);
        count(st, kind);
    }
    return 0;
}

/* occurrences of a recurring holiday event: its days, shifted */
typedef struct expand_ctx {
    drill_calendar *cal;
    icalcomponent *ev;
    const char *block, *source;
    int line;
    const drill_ics_holiday_options *o;
    drill_calendar_load_stats *st;
} expand_ctx;

static int expand_occurrence(void *ctx, int shift)
{
    expand_ctx *x = ctx;
    return add_event_days(x->cal, x->ev, x->block, x->line, x->source, x->o, x->st, shift, NULL);
}

/* the occurrences of a recurring event within years ymin..ymax
 * (drill__ics_occurrences(): DTSTART, the RRULE's, the RDATEs', less the
 * EXDATEs), each added as the event's days */
static int expand_event(drill_calendar *cal, icalcomponent *ev, const char *block, int line, const char *source,
                        const drill_ics_holiday_options *o, drill_calendar_load_stats *st, int ymin, int ymax,
                        long *budget)
{
    icalproperty *ps = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    if (!ps)
        return drill__error_at(source, line, 1, "event has no DTSTART");
    if (!icalproperty_get_dtstart(ps).is_date) {
        st->skipped++;
        return 0;
    }
    const drill_calendar_load_stats before = *st;
    expand_ctx x = { cal, ev, block, source, line, o, st };
    int added = 0, rc = drill__ics_occurrences(&added, ev, block, line, source, ymin, ymax, budget,
                                               expand_occurrence, &x);
    if (rc == 0 && st->skipped > before.skipped) /* a marker mismatch counts once, not per occurrence */
        st->skipped = before.skipped + 1;
    else if (rc == 0 && !added)
        st->skipped++; /* no occurrence in the feed's years */
    return rc;
}

static int load_event(drill_calendar *cal, const char *block, int line, const char *source,
                      const drill_ics_holiday_options *o, drill_calendar_load_stats *st, recurring *rec,
                      int expand_from, int expand_to, long *budget)
{
    icalcomponent *ev = icalparser_parse_string(block);
    if (!ev || icalcomponent_isa(ev) != ICAL_VEVENT_COMPONENT) {
        if (ev)
            icalcomponent_free(ev);
        return drill__error_at(source, line, 1, "a VEVENT that libical cannot read");
    }
    int rc = 0;
    for (icalproperty *e = icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY); e && !rc;
         e = icalcomponent_get_next_property(ev, ICAL_XLICERROR_PROPERTY)) {
        const char *msg = icalproperty_get_xlicerror(e), *prop = msg ? used_property_in(msg) : NULL;
        if (prop)
            rc = drill__error_at(source, drill__ics_property_line(block, line, prop), 1, "%s", msg);
        else
            st->tolerated++;
    }
    if (rc == 0 && rec)
        rc = add_event_days(cal, ev, block, line, source, o, st, 0, rec);
    else if (rc == 0)
        rc = expand_event(cal, ev, block, line, source, o, st, expand_from, expand_to, budget);
    icalcomponent_free(ev);
    return rc;
}

static int load_ics_text(drill_calendar *cal, drill__ics *r, const char *source, const drill_ics_holiday_options *o,
                         drill_calendar_load_stats *st)
{
    const char *block;
    int line, rc;
    recurring rec = { NULL, NULL, 0, 0, 0, 0, 0, 0, 0 };
    while ((rc = drill__ics_next_event(r, &block, &line)) == 1)
        if ((rc = load_event(cal, block, line, source, o, st, &rec, 0, 0, NULL)))
            break;
    if (rc == 0)
        st->tolerated += r->unended; /* no END:VCALENDAR, but every event was whole */
    int from = rec.ymin, to = rec.ymax;
    if (!from) /* only recurring events: the years of their own DTSTARTs */
        from = rec.first_year, to = rec.last_year;
    long budget = DRILL__ICS_EXPAND_BUDGET;
    for (size_t i = 0; rc == 0 && i < rec.n; i++)
        rc = load_event(cal, rec.blocks[i], rec.lines[i], source, o, st, NULL, from, to, &budget);
    recurring_free(&rec);
    return rc;
}

int drill_calendar_load_ics_buffer(drill_calendar_load_stats *out_stats, drill_calendar *cal, const char *data,
                                   size_t len, const char *source, const drill_ics_holiday_options *opts)
{
    DRILL_CHECK_NULL(cal);
    DRILL_CHECK_NULL(data);
    int vrc = drill__out_check(out_stats, &drill__abi_drill_calendar_load_stats);
    if (vrc)
        return vrc;
    DRILL__VERSIONED(opts, drill_ics_holiday_options, DRILL_ICS_HOLIDAY_OPTIONS_INIT);
    drill_ics_holiday_options defaults = DRILL_ICS_HOLIDAY_OPTIONS_INIT;
    const drill_ics_holiday_options *o = opts ? opts : &defaults;
    if (o->version != DRILL_ICS_HOLIDAY_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_ics_holiday_options version %u is not %d", o->version,
                            DRILL_ICS_HOLIDAY_OPTIONS_VERSION);
    if (!source)
        source = "<buffer>";
    drill_calendar *tmp = NULL;
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    drill__ics r;
    drill__ics_open_buffer(&r, data, len, source);
    int rc = drill_calendar_dup(&tmp, cal);
    if (rc == 0)
        rc = load_ics_text(tmp, &r, source, o, &st);
    drill__ics_close(&r);
    if (rc) {
        drill_calendar_free(tmp);
        return rc;
    }
    swap_in(cal, tmp);
    return drill__out_fill(out_stats, &st, &drill__abi_drill_calendar_load_stats);
}

int drill_calendar_load_ics(drill_calendar_load_stats *out_stats, drill_calendar *cal, const char *path,
                            const drill_ics_holiday_options *opts)
{
    DRILL_CHECK_NULL(cal);
    DRILL_CHECK_NULL(path);
    char *buf;
    size_t len;
    int rc = drill__read_file(&buf, &len, path);
    if (rc)
        return rc;
    rc = drill_calendar_load_ics_buffer(out_stats, cal, buf, len, path, opts);
    free(buf);
    return rc;
}

void drill__calendar_each(const drill_calendar *cal, drill__calendar_entry_fn fn, void *ctx)
{
    for (int s = 0; s < NDAYS; s++)
        if (cal->kind[s]) {
            const name_pair *p = &cal->names[cal->name[s]];
            fn(ctx, s, cal->kind[s], p->name, p->name_en);
        }
}

int drill__calendar_policy(const drill_calendar *cal)
{
    return (int)cal->policy;
}
