/* Reading feeds back, one VEVENT at a time (libdrill/ics.c cuts the stream,
 * libical parses each event). */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "ics.h"
#include "internal.h"
#include "plan_internal.h"
#include "unit_internal.h"

struct drill_feed_reader {
    FILE *f;
    char *path;
    drill__ics ics;
    icalcomponent *event; /* the current event: the strings handed out live in it */
    size_t tolerated;
    char note[256];
};

int drill_feed_reader_open(drill_feed_reader **out, const char *path)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(path);
    drill_feed_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = drill__strdup(path))) {
        free(r);
        return drill__error(DRILL_ENOMEM, "out of memory opening %s", path);
    }
    if (!(r->f = fopen(path, "rb"))) {
        int rc = drill__error(DRILL_EIO, "cannot open %s", path);
        free(r->path);
        free(r);
        return rc;
    }
    drill__ics_open_file(&r->ics, r->f, r->path);
    *out = r;
    return 0;
}

void drill_feed_reader_free(drill_feed_reader *r)
{
    if (!r)
        return;
    if (r->event)
        icalcomponent_free(r->event);
    drill__ics_close(&r->ics);
    if (r->f)
        fclose(r->f);
    free(r->path);
    free(r);
}

static void tolerate(drill_feed_reader *r, const char *what)
{
    r->tolerated++;
    snprintf(r->note, sizeof r->note, "%s", what);
}

size_t drill_feed_reader_tolerated(const char **out_description, const drill_feed_reader *r)
{
    if (!r)
        return 0;
    size_t n = r->tolerated + (r->ics.bare_lf ? 1 : 0) + (size_t)r->ics.unended;
    if (out_description)
        *out_description = r->ics.bare_lf ? "lines ending in LF alone" : r->ics.unended ? "no END:VCALENDAR" : r->note;
    return n;
}

static const char *x_prop(icalcomponent *e, const char *name)
{
    for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(e, ICAL_X_PROPERTY))
        if (drill__ascii_casecmp(icalproperty_get_x_name(p), name) == 0) {
            const char *v = icalproperty_get_x(p);
            return v ? v : "";
        }
    return "";
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* properties the reader uses: a complaint about one of them is an error */
static const char *used_property_in(const char *msg)
{
    static const char *const used[] = { "DTSTART", "DTEND", "SUMMARY", "X-DRILL", "SEQUENCE", "UID", "STATUS" };
    for (size_t i = 0; i < sizeof used / sizeof *used; i++)
        if (strstr(msg, used[i]))
            return used[i];
    return NULL;
}

static int date_of(const char *s, drill_date *out)
{
    /* YYYYMMDD */
    if (strlen(s) < 8)
        return -1;
    for (int i = 0; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    drill_date d = { (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'),
                     (s[4] - '0') * 10 + (s[5] - '0'), (s[6] - '0') * 10 + (s[7] - '0') };
    if (drill_date_check(d))
        return -1;
    *out = d;
    return 0;
}

int drill_feed_reader_next(drill_feed_event *out_caller, drill_feed_reader *r)
{
    DRILL__OUT_BEGIN(out, drill_feed_event);
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(r);
    if (r->event) {
        icalcomponent_free(r->event);
        r->event = NULL;
    }
    const char *block;
    int line, rc = drill__ics_next_event(&r->ics, &block, &line);
    if (rc <= 0)
        return rc;
    icalcomponent *e = icalparser_parse_string(block);
    if (!e || icalcomponent_isa(e) != ICAL_VEVENT_COMPONENT) {
        if (e)
            icalcomponent_free(e);
        return drill__error_at(r->path, line, 1, "a VEVENT that libical cannot read");
    }
    r->event = e;
    for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_XLICERROR_PROPERTY); p;
         p = icalcomponent_get_next_property(e, ICAL_XLICERROR_PROPERTY)) {
        const char *msg = icalproperty_get_xlicerror(p), *prop = msg ? used_property_in(msg) : NULL;
        if (prop)
            return drill__error_at(r->path, drill__ics_property_line(block, line, prop), 1, "%s", msg);
        tolerate(r, msg ? msg : "a property libical could not read");
    }
    icalproperty *ps = icalcomponent_get_first_property(e, ICAL_DTSTART_PROPERTY);
    if (!ps)
        return drill__error_at(r->path, line, 1, "event has no DTSTART");
    out->line = line;
    struct icaltimetype s = icalproperty_get_dtstart(ps), t = icalcomponent_get_dtend(e);
    out->all_day = s.is_date;
    out->start = (drill_date){ s.year, s.month, s.day };
    if ((rc = drill_date_check(out->start)))
        return drill__error_at(r->path, drill__ics_property_line(block, line, "DTSTART"), 1, "DTSTART: %s",
                               drill_error_last()->message);
    if (icaltime_is_null_time(t))
        t = s;
    out->end = (drill_date){ t.year, t.month, t.day };
    int last_day_end = s.is_date && t.is_date && t.year == DRILL_DATE_MAX_YEAR + 1 && t.month == 1 && t.day == 1;
    if (!last_day_end && drill_date_check(out->end))
        return drill__error_at(r->path, drill__ics_property_line(block, line, "DTEND"), 1, "DTEND is not a date");
    /* libical takes T335900 as it comes: a time must exist (an end may be 24:00) */
    if (!s.is_date && (s.hour < 0 || s.minute < 0 || s.second < 0 || s.hour > 23 || s.minute > 59 || s.second > 60))
        return drill__error_at(r->path, drill__ics_property_line(block, line, "DTSTART"), 1,
                               "DTSTART has no such time %02d:%02d:%02d", s.hour, s.minute, s.second);
    if (!t.is_date && (t.hour < 0 || t.minute < 0 || t.second < 0 || t.hour > 24 || t.minute > 59 || t.second > 60 ||
                       (t.hour == 24 && (t.minute || t.second))))
        return drill__error_at(r->path, drill__ics_property_line(block, line, "DTEND"), 1,
                               "DTEND has no such time %02d:%02d:%02d", t.hour, t.minute, t.second);
    out->start_minute = s.is_date ? 0 : s.hour * 60 + s.minute;
    out->end_minute = s.is_date ? 0 : t.hour * 60 + t.minute;
    icalparameter *tz = s.is_date ? NULL : icalproperty_get_first_parameter(ps, ICAL_TZID_PARAMETER);
    out->tzid = tz ? or_empty(icalparameter_get_tzid(tz)) : "";
    out->uid = or_empty(icalcomponent_get_uid(e));
    out->summary = or_empty(icalcomponent_get_summary(e));
    out->description = or_empty(icalcomponent_get_description(e));
    out->location = or_empty(icalcomponent_get_location(e));
    icalproperty *st = icalcomponent_get_first_property(e, ICAL_STATUS_PROPERTY);
    out->status = st ? or_empty(icalproperty_status_to_string(icalproperty_get_status(st))) : "";
    out->sequence = icalcomponent_get_sequence(e);
    out->drill_id = x_prop(e, "X-DRILL-ID");
    out->is_drill = *out->drill_id != '\0';
    out->unit_id = x_prop(e, "X-DRILL-UNIT");
    out->rule_id = x_prop(e, "X-DRILL-RULE");
    out->period = x_prop(e, "X-DRILL-PERIOD");
    out->district = x_prop(e, "X-DRILL-DISTRICT");
    out->kind = x_prop(e, "X-DRILL-KIND");
    out->form = x_prop(e, "X-DRILL-FORM");
    out->scenario = x_prop(e, "X-DRILL-SCENARIO");
    out->campaign = x_prop(e, "X-DRILL-CAMPAIGN");
    out->drill_status = x_prop(e, "X-DRILL-STATUS");
    out->observer = strcmp(x_prop(e, "X-DRILL-OBSERVER"), "1") == 0;
    const char *window = x_prop(e, "X-DRILL-WINDOW");
    if (*window) {
        const char *slash = strchr(window, '/');
        if (!slash || date_of(window, &out->window_start) || date_of(slash + 1, &out->window_end))
            return drill__error_at(r->path, drill__ics_property_line(block, line, "X-DRILL-WINDOW"), 1,
                                   "X-DRILL-WINDOW '%s' is not YYYYMMDD/YYYYMMDD", window);
    }
    rc = DRILL__OUT_END(out, drill_feed_event);
    return rc ? rc : 1;
}

/* one busy event's days, serials a..b, shifted to an occurrence, closed in the plan's year */
typedef struct busy_ctx {
    drill_plan *plan;
    const char *district;
    int a, b, year;
    size_t days; /* newly closed */
} busy_ctx;

static int close_busy(void *ctx, int shift)
{
    busy_ctx *x = ctx;
    for (int s = x->a + shift; s <= x->b + shift; s++) {
        drill_date d;
        if (drill_date_from_serial(&d, s) != 0 || d.year != x->year)
            continue;
        size_t before = x->plan->nclosed;
        int rc = drill_plan_close_day(x->plan, x->district, d);
        if (rc < 0)
            return rc;
        x->days += x->plan->nclosed > before; /* a day newly closed: one that two events cover counts once */
    }
    return 0;
}

int drill_feed_import_busy(size_t *out_days, drill_plan *plan, const char *path, const char *district)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(path);
    int year = drill_plan_year(plan), rc, known = !district;
    for (size_t d = 0; !known && d < plan->units->ndistricts; d++)
        known = strcmp(plan->units->pool + plan->units->districts[d], district) == 0;
    if (!known)
        return drill__error(DRILL_ENOTFOUND, "no unit is in district '%s'", district);
    drill_feed_reader *r;
    if ((rc = drill_feed_reader_open(&r, path)))
        return rc;
    busy_ctx x = { plan, district, 0, 0, year, 0 };
    long budget = DRILL__ICS_EXPAND_BUDGET;
    drill_feed_event ev = DRILL_FEED_EVENT_INIT;
    while ((rc = drill_feed_reader_next(&ev, r)) == 1) {
        if (strcmp(ev.status, "CANCELLED") == 0)
            continue;
        drill_date_to_serial(&x.a, ev.start);
        if (drill_date_to_serial(&x.b, ev.end) != 0) /* the exclusive end after 2200-12-31 */
            drill_date_to_serial(&x.b, (drill_date){ DRILL_DATE_MAX_YEAR, 12, 31 }), x.b++;
        if (ev.all_day && x.b > x.a)
            x.b--; /* an all-day DTEND is exclusive */
        if (!drill__ics_is_recurring(r->event))
            rc = close_busy(&x, 0);
        else /* the occurrences that start in the plan's year, or in the one before and run into it */
            rc = drill__ics_occurrences(NULL, r->event, r->ics.block, ev.line, r->path, year - 1, year, &budget,
                                        close_busy, &x);
        if (rc < 0)
            break;
    }
    drill_feed_reader_free(r);
    if (rc < 0)
        return rc;
    if (out_days)
        *out_days = x.days;
    return 0;
}
