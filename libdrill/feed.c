/* iCalendar export, written by hand event by event: escaping and folding
 * are done here because libical 3.0.16 folds mixed Chinese/ASCII text
 * wrongly and leaves ',' and ';' unescaped in X- and CATEGORIES values
 * (see DOMAIN notes); libical only supplies the VTIMEZONE. */
#include <errno.h>
#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "internal.h"
#include "plan_internal.h"
#include "rule_internal.h"
#include "unit_internal.h"

/* ---- lines: escape, fold at 75 octets on UTF-8 boundaries, CRLF ---- */

typedef struct writer {
    FILE *f;
    char out[65536]; /* physical lines waiting to be written */
    size_t olen;
    size_t col;      /* octets on the current physical line, a continuation's space included */
    int open;        /* a logical line is started and not yet ended */
    int failed;
} writer;

static void flush_out(writer *w)
{
    if (w->olen && fwrite(w->out, 1, w->olen, w->f) != w->olen)
        w->failed = 1;
    w->olen = 0;
}

/* add to the logical line, straight into the output: a line that would pass
 * 75 octets is folded (CRLF and a space) before the UTF-8 sequence that
 * would cross it. Callers never split a UTF-8 sequence between two calls. */
static void raw_folding(writer *w, const char *s, size_t n)
{
    while (n) {
        if (sizeof w->out - w->olen < 80) /* room for a whole physical line and its fold */
            flush_out(w);
        size_t k = n, room = 75 - w->col;
        if (k > room) {
            k = room;
            while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
                k--;
            if (k == 0 && w->col <= 1) /* no character boundary within a whole line: not UTF-8, split */
                k = room;
        }
        memcpy(w->out + w->olen, s, k);
        w->olen += k;
        w->col += k;
        s += k;
        n -= k;
        if (n) {
            memcpy(w->out + w->olen, "\r\n ", 3);
            w->olen += 3;
            w->col = 1;
        }
    }
}

/* the common case, a piece that fits on the current line, without a loop */
static inline void raw(writer *w, const char *s, size_t n)
{
    w->open = 1;
    if (n <= 75 - w->col && n <= sizeof w->out - w->olen) {
        memcpy(w->out + w->olen, s, n);
        w->olen += n;
        w->col += n;
    } else
        raw_folding(w, s, n);
}

static inline void raws(writer *w, const char *s)
{
    raw(w, s, strlen(s));
}

/* bytes a TEXT value cannot carry as they are: control characters, '\\', ';', ',' */
static const unsigned char special[256] = {
    [0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1, [8] = 1, [9] = 1, [10] = 1,
    [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1, [16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1,
    [21] = 1, [22] = 1, [23] = 1, [24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, [29] = 1, [30] = 1,
    [31] = 1, [0x7f] = 1, ['\\'] = 1, [';'] = 1, [','] = 1,
};

/* a TEXT value: backslash, ';', ',' and newlines escaped; other control characters dropped */
static void text(writer *w, const char *s)
{
    while (s && *s) {
        size_t run = 0; /* bytes that need no escaping go in one piece */
        while (!special[(unsigned char)s[run]])
            run++;
        if (run) {
            raw(w, s, run);
            s += run;
            continue;
        }
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',') {
            char e[2] = { '\\', (char)c };
            raw(w, e, 2);
        } else if (c == '\n') {
            raw(w, "\\n", 2);
        } else if (c == '\r') {
            if (s[1] != '\n')
                raw(w, "\\n", 2);
        }
        s++;
    }
}

/* a parameter value: quoted, without DQUOTE or control characters */
static void param(writer *w, const char *s)
{
    raw(w, "\"", 1);
    while (s && *s) {
        size_t run = 0;
        while ((unsigned char)s[run] >= 0x20 && s[run] != 0x7f && s[run] != '"')
            run++;
        raw(w, s, run);
        s += run;
        if (*s)
            s++;
    }
    raw(w, "\"", 1);
}

/* end the logical line */
static inline void end_line(writer *w)
{
    if (!w->open)
        return;
    if (sizeof w->out - w->olen < 2)
        flush_out(w);
    memcpy(w->out + w->olen, "\r\n", 2);
    w->olen += 2;
    w->col = 0;
    w->open = 0;
}

static void prop(writer *w, const char *name, const char *value)
{
    raws(w, name);
    raw(w, ":", 1);
    text(w, value);
    end_line(w);
}

static void prop_raw(writer *w, const char *name_and_value)
{
    raws(w, name_and_value);
    end_line(w);
}

/* ---- the zone ---- */

/* libical's built-in zone cache is global and has had first-load races: its use is serialised here */
static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;

/* the VTIMEZONE lines, truncated to the years around the plan, TZID renamed */
static int zone_text(char **out, const char *tzid, int year)
{
    pthread_mutex_lock(&zone_lock);
    icaltimezone *z = icaltimezone_get_builtin_timezone(tzid);
    icalcomponent *c = z ? icalcomponent_new_clone(icaltimezone_get_component(z)) : NULL;
    char *text_out = NULL;
    if (c) {
        char from[32], to[32];
        snprintf(from, sizeof from, "%04d0101T000000", year - 1);
        snprintf(to, sizeof to, "%04d0101T000000", year + 2);
        icaltimezone_truncate_vtimezone(c, icaltime_from_string(from), icaltime_from_string(to), 1);
        icalproperty *p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
        if (p)
            icalproperty_set_tzid(p, tzid);
        icalproperty *until;
        while ((until = icalcomponent_get_first_property(c, ICAL_TZUNTIL_PROPERTY)))
            icalcomponent_remove_property(c, until), icalproperty_free(until);
        text_out = icalcomponent_as_ical_string_r(c);
        icalcomponent_free(c);
    }
    pthread_mutex_unlock(&zone_lock);
    if (!z)
        return drill__error(DRILL_ENOTFOUND, "libical knows no time zone '%s'", tzid);
    if (!text_out)
        return drill__error(DRILL_ENOMEM, "out of memory writing a time zone");
    *out = text_out;
    return 0;
}

/* ---- the events ---- */

/* a fixed namespace for drill UIDs */
static const uuid_t drill_namespace = { 0x6b, 0x1f, 0x3c, 0x2e, 0x9a, 0x47, 0x4d, 0x5e,
                                        0x8f, 0x10, 0x2a, 0x64, 0xc3, 0x55, 0x7e, 0x01 };

static void uid_of(char out[37], const char *drill_id)
{
    static const char hex[] = "0123456789abcdef";
    uuid_t u;
    uuid_generate_sha1(u, (unsigned char *)drill_namespace, drill_id, strlen(drill_id));
    for (int i = 0, k = 0; i < 16; i++) { /* uuid_unparse_lower, without its printf */
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[k++] = '-';
        out[k++] = hex[u[i] >> 4];
        out[k++] = hex[u[i] & 15];
    }
    out[36] = '\0';
}

/* "2026-06-12T01:02:03Z" -> "20260612T010203Z" */
static void utc_basic(char out[17], const char *iso)
{
    if (strlen(iso) < 20) {
        memcpy(out, "19700101T000000Z", 17);
        return;
    }
    static const int from[] = { 0, 1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 14, 15, 17, 18, 19 };
    for (int i = 0; i < 16; i++)
        out[i] = iso[from[i]];
    out[16] = '\0';
}

/* the time of a drill's last change: its last audit entry, or the plan's creation */
static const char *last_change(const drill_plan *p, const char *id)
{
    const char *t = p->ntracks ? drill__track_changed(p, id) : NULL;
    return t ? t : p->created;
}

/* small formatters: the event loop writes millions of these, printf-free */
static char *put_digits(char *o, int v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        o[i] = (char)('0' + v % 10);
    return o + width;
}

static void date8(char *o, drill_date d)
{
    o = put_digits(o, d.year, 4);
    o = put_digits(o, d.month, 2);
    o = put_digits(o, d.day, 2);
    *o = '\0';
}

/* NAME;TZID=zone:YYYYMMDDTHHMM00 */
static void zoned_time(writer *w, const char *name, const char *tzid, drill_date d, int minute)
{
    char b[24];
    raws(w, name);
    raws(w, ";TZID=");
    raws(w, tzid);
    raw(w, ":", 1);
    date8(b, d);
    b[8] = 'T';
    put_digits(b + 9, minute / 60, 2);
    put_digits(b + 11, minute % 60, 2);
    memcpy(b + 13, "00", 3);
    raws(w, b);
    end_line(w);
}

static void all_day(writer *w, const char *name, drill_date d)
{
    char b[12];
    raws(w, name);
    raws(w, ";VALUE=DATE:");
    date8(b, d);
    raws(w, b);
    end_line(w);
}

static void number(writer *w, const char *name, int v)
{
    char b[16];
    int n = 0;
    unsigned u = v < 0 ? 0u : (unsigned)v;
    do
        b[15 - n++] = (char)('0' + u % 10);
    while ((u /= 10) && n < 15);
    raws(w, name);
    raw(w, ":", 1);
    raw(w, b + 16 - n, (size_t)n);
    end_line(w);
}

static const char *status_word(drill_status s)
{
    return drill_status_name(s);
}

static const char *kind_word(drill_kind k)
{
    return k == DRILL_KIND_COMPREHENSIVE ? "comprehensive" : k == DRILL_KIND_SPECIAL ? "special" : "onsite";
}

static void event(writer *w, const drill_plan *p, size_t index, const drill_feed_options *o, const char *tzid,
                  const char *const *campaign_names)
{
    drill_item it;
    drill_plan_get(&it, p, index);
    const unit_rec *u = &p->units->units[it.unit_index];
    const char *address = p->units->pool + u->address;
    int en = o->english;
    char uid[37], stamp[17], buf[512];
    uid_of(uid, it.id);
    utc_basic(stamp, last_change(p, it.id));

    prop_raw(w, "BEGIN:VEVENT");
    raws(w, "UID:");
    raws(w, uid);
    end_line(w);
    raws(w, "DTSTAMP:");
    raws(w, stamp);
    end_line(w);
    raws(w, "LAST-MODIFIED:");
    raws(w, stamp);
    end_line(w);
    char created[17];
    utc_basic(created, p->created);
    raws(w, "CREATED:");
    raws(w, created);
    end_line(w);
    number(w, "SEQUENCE", it.revision);
    int timed = it.status != DRILL_STATUS_PLANNED && it.status != DRILL_STATUS_CANCELLED;
    if (it.status == DRILL_STATUS_CANCELLED && p->drills[index].day >= 0)
        timed = 1;
    if (timed) {
        int start = it.start_minute, end = it.start_minute + it.duration_minutes;
        drill_track_info t;
        if (it.status >= DRILL_STATUS_HELD && drill_track_get(&t, p, it.id) == 0 && t.has_outcome) {
            start = t.outcome.start_minute;
            end = t.outcome.end_minute;
        }
        if (end >= 24 * 60)
            end = 24 * 60 - 1;
        zoned_time(w, "DTSTART", tzid, it.date, start);
        zoned_time(w, "DTEND", tzid, it.date, end);
    } else { /* not on a day yet: the window, all day, the end exclusive */
        drill_date after = { 2201, 1, 1 }; /* the exclusive end of 2200-12-31 lies past the date range */
        drill_date_add_days(&after, it.window_end, 1);
        all_day(w, "DTSTART", it.window_start);
        all_day(w, "DTEND", after);
    }
    const char *kind = drill_kind_name(it.kind, en), *scenario = drill_scenario_name(it.scenario, en);
    raws(w, "SUMMARY:");
    text(w, kind);
    raws(w, en ? " drill (" : "·");
    text(w, scenario);
    raws(w, en ? "): " : "：");
    text(w, it.unit_name);
    end_line(w);
    const char *campaign = campaign_names[it.rule_index];
    char window[32], *wp = window; /* YYYY-MM-DD .. YYYY-MM-DD */
    for (int k = 0; k < 2; k++) {
        drill_date d = k ? it.window_end : it.window_start;
        wp = put_digits(wp, d.year, 4);
        *wp++ = '-';
        wp = put_digits(wp, d.month, 2);
        *wp++ = '-';
        wp = put_digits(wp, d.day, 2);
        if (!k) {
            memcpy(wp, " .. ", 4);
            wp += 4;
        }
    }
    *wp = '\0';
    raws(w, "DESCRIPTION:");
    const char *labels[][2] = { { "单位", "Unit" }, { "区域", "District" }, { "类型", "Kind" }, { "形式", "Form" },
                                { "场景", "Scenario" }, { "活动", "Campaign" }, { "窗口", "Window" },
                                { "依据", "Legal basis" }, { "编号", "Drill" } };
    const char *values[] = { it.unit_name, it.district, kind, drill_form_name(it.form, en), scenario, campaign,
                             window, it.source, it.id };
    for (size_t k = 0; k < sizeof values / sizeof *values; k++) {
        if (!*values[k])
            continue;
        raws(w, labels[k][en]); /* labels and separators need no escaping */
        raws(w, en ? ": " : "：");
        text(w, values[k]);
        raw(w, "\\n", 2);
    }
    end_line(w);
    int printable = 0; /* a LOCATION of control characters and blanks alone would read back empty */
    for (const char *a = address; *a && !printable; a++)
        printable = (unsigned char)*a > 0x20 && *a != 0x7f;
    if (printable)
        prop(w, "LOCATION", address);
    raws(w, "CATEGORIES:");
    if (*it.campaign) {
        text(w, it.campaign);
        raw(w, ",", 1);
    }
    text(w, kind_word(it.kind));
    end_line(w);
    prop_raw(w, it.status == DRILL_STATUS_CANCELLED ? "STATUS:CANCELLED"
                : it.status == DRILL_STATUS_PLANNED ? "STATUS:TENTATIVE"
                                                    : "STATUS:CONFIRMED");
    raws(w, "ORGANIZER");
    if (o->organizer_name) {
        raws(w, ";CN=");
        param(w, o->organizer_name);
    }
    raw(w, ":", 1);
    text(w, o->organizer ? o->organizer : "mailto:drills@localhost");
    end_line(w);
    prop(w, "X-DRILL-ID", it.id);
    prop(w, "X-DRILL-UNIT", it.unit_id);
    prop(w, "X-DRILL-RULE", it.rule_id);
    prop(w, "X-DRILL-PERIOD", it.period);
    prop(w, "X-DRILL-DISTRICT", it.district);
    prop(w, "X-DRILL-KIND", kind_word(it.kind));
    prop(w, "X-DRILL-FORM", it.form == DRILL_FORM_TABLETOP ? "tabletop" : "live");
    prop(w, "X-DRILL-SCENARIO", it.scenario);
    if (*it.campaign)
        prop(w, "X-DRILL-CAMPAIGN", it.campaign);
    date8(buf, it.window_start);
    buf[8] = '/';
    date8(buf + 9, it.window_end);
    prop(w, "X-DRILL-WINDOW", buf);
    prop(w, "X-DRILL-STATUS", status_word(it.status));
    prop(w, "X-DRILL-OBSERVER", it.needs_observer ? "1" : "0");
    if (o->alarm_minutes > 0 && it.status == DRILL_STATUS_SCHEDULED) {
        prop_raw(w, "BEGIN:VALARM");
        prop_raw(w, "ACTION:DISPLAY");
        snprintf(buf, sizeof buf, "TRIGGER:-PT%dM", o->alarm_minutes);
        prop_raw(w, buf);
        raws(w, "DESCRIPTION:");
        text(w, en ? "Drill: " : "演练：");
        text(w, it.unit_name);
        end_line(w);
        prop_raw(w, "END:VALARM");
    }
    prop_raw(w, "END:VEVENT");
}

static int check_feed_options(const drill_feed_options *o)
{
    if (o->version != DRILL_FEED_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_feed_options version %u is not %d", o->version,
                            DRILL_FEED_OPTIONS_VERSION);
    const char *texts[] = { o->name, o->tzid, o->color, o->organizer, o->organizer_name };
    for (size_t i = 0; i < 5; i++)
        if (texts[i] && !drill__utf8_valid(texts[i], strlen(texts[i])))
            return drill__error(DRILL_EINVAL, "feed options must be UTF-8");
    if (o->refresh_minutes < 0 || o->alarm_minutes < 0)
        return drill__error(DRILL_EINVAL, "refresh_minutes and alarm_minutes must not be negative");
    if (o->tzid && (!*o->tzid || strpbrk(o->tzid, ":;,\"\r\n")))
        return drill__error(DRILL_EINVAL, "'%s' is not a time zone name", o->tzid);
    if (o->color && strpbrk(o->color, ":;,\"\r\n"))
        return drill__error(DRILL_EINVAL, "'%s' is not a colour name", o->color);
    return 0;
}

int drill_feed_write(FILE *out, const drill_plan *plan, const drill_feed_options *opts)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    drill_feed_options defaults = DRILL_FEED_OPTIONS_INIT;
    const drill_feed_options *o = opts ? opts : &defaults;
    int rc = check_feed_options(o);
    if (rc)
        return rc;
    const char *tzid = o->tzid ? o->tzid : "Asia/Shanghai";
    char *zone = NULL;
    drill_selection *sel = NULL;
    if ((rc = zone_text(&zone, tzid, plan->year)))
        return rc;
    if (o->filter && (rc = drill_plan_select(&sel, plan, o->filter))) {
        free(zone);
        return rc;
    }
    writer *w = calloc(1, sizeof *w);
    if (!w) {
        free(zone);
        drill_selection_free(sel);
        return drill__error(DRILL_ENOMEM, "out of memory writing a feed");
    }
    w->f = out;
    char generated[64], buf[320];
    snprintf(generated, sizeof generated, o->english ? "Emergency drills %d" : "应急演练 %d", plan->year);
    const char *name = o->name ? o->name : generated; /* any length: folded, never cut */
    snprintf(buf, sizeof buf, "PRODID:-//libdrill//libdrill %s//%s", drill_version_string(), o->english ? "EN" : "ZH");
    prop_raw(w, "BEGIN:VCALENDAR");
    prop_raw(w, buf);
    prop_raw(w, "VERSION:2.0");
    prop_raw(w, "CALSCALE:GREGORIAN");
    prop_raw(w, "METHOD:PUBLISH");
    prop(w, "NAME", name);
    prop(w, "X-WR-CALNAME", name);
    prop(w, "X-WR-TIMEZONE", tzid);
    int refresh = o->refresh_minutes ? o->refresh_minutes : 720;
    snprintf(buf, sizeof buf, "REFRESH-INTERVAL;VALUE=DURATION:PT%dM", refresh);
    prop_raw(w, buf);
    snprintf(buf, sizeof buf, "X-PUBLISHED-TTL:PT%dM", refresh);
    prop_raw(w, buf);
    if (o->color)
        prop(w, "COLOR", o->color);
    /* the zone as libical wrote it, unfolded again and refolded here */
    for (char *line = zone, *next; line && *line; line = next) {
        next = strstr(line, "\r\n");
        size_t n = next ? (size_t)(next - line) : strlen(line);
        if (line[0] == ' ' && w->open) /* a continuation of the previous line */
            raw(w, line + 1, n - 1);
        else {
            end_line(w);
            raw(w, line, n);
        }
        next = next ? next + 2 : NULL;
    }
    end_line(w);
    /* each rule's campaign name, once */
    const char **campaign_names = calloc(plan->rules->count + 1, sizeof *campaign_names);
    if (!campaign_names) {
        free(w);
        free(zone);
        drill_selection_free(sel);
        return drill__error(DRILL_ENOMEM, "out of memory writing a feed");
    }
    for (size_t r = 0; r < plan->rules->count; r++) {
        const char *id = plan->rules->items[r].r.campaign;
        drill_campaign_window cw;
        campaign_names[r] = id && drill_campaigns_window(&cw, plan->campaigns, id, plan->year, NULL) == 0
                                ? (o->english && *cw.name_en ? cw.name_en : cw.name)
                                : "";
    }
    size_t n = sel ? drill_selection_count(sel) : plan->count;
    for (size_t k = 0; k < n && !w->failed; k++) {
        size_t i = k;
        if (sel)
            drill_selection_index(&i, sel, k);
        event(w, plan, i, o, tzid, campaign_names);
    }
    free(campaign_names);
    prop_raw(w, "END:VCALENDAR");
    flush_out(w);
    int failed = w->failed || ferror(out);
    free(w);
    free(zone);
    drill_selection_free(sel);
    if (failed)
        return drill__error(DRILL_EIO, "cannot write the feed: %s", strerror(errno));
    return 0;
}

/* ---- files ---- */

/* do two files hold the same bytes? */
static int same_content(const char *a, const char *b)
{
    FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
    int same = x && y;
    char p[65536], q[65536];
    while (same) {
        size_t n = fread(p, 1, sizeof p, x), m = fread(q, 1, sizeof q, y);
        if (n != m || memcmp(p, q, n) != 0)
            same = 0;
        if (n == 0)
            break;
    }
    if (x)
        fclose(x);
    if (y)
        fclose(y);
    return same;
}

int drill_feed_write_file(int *out_written, const drill_plan *plan, const char *path, const drill_feed_options *opts)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(path);
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return drill__error(DRILL_ENOMEM, "out of memory writing %s", path);
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int rc = drill__error(DRILL_EIO, "cannot write %s: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    int rc = drill_feed_write(f, plan, opts);
    if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        rc = drill__error(DRILL_EIO, "cannot write %s: %s", tmp, strerror(errno));
    if (fclose(f) != 0 && rc == 0)
        rc = drill__error(DRILL_EIO, "cannot write %s: %s", tmp, strerror(errno));
    int written = 0;
    if (rc == 0 && same_content(tmp, path)) {
        remove(tmp); /* unchanged: subscribers' caches stay valid */
    } else if (rc == 0) {
        if (rename(tmp, path) != 0)
            rc = drill__error(DRILL_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        else
            written = 1;
    }
    if (rc)
        remove(tmp);
    free(tmp);
    if (rc == 0 && out_written)
        *out_written = written;
    return rc;
}

/* a file name for a group: letters, digits, '-', '_', '.' and any UTF-8 kept; the rest '_' */
static void file_name(char *out, size_t n, const char *group)
{
    size_t k = 0;
    for (const char *s = group; *s && k + 1 < n - 4; s++) {
        unsigned char c = (unsigned char)*s;
        int ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || (c == '.' && k > 0);
        if (c >= 0x80 && k + 4 >= n - 4) /* do not cut a character */
            break;
        out[k++] = ok ? (char)c : '_';
    }
    if (k == 0)
        out[k++] = '_';
    snprintf(out + k, n - k, ".ics");
}

int drill_feed_write_set(drill_feed_set_stats *out_stats, const drill_plan *plan, const char *dir,
                         drill_feed_split split, const drill_feed_options *opts)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(dir);
    if ((unsigned)split > DRILL_SPLIT_CAMPAIGN)
        return drill__error(DRILL_EINVAL, "unknown split %d", (int)split);
    drill_feed_options defaults = DRILL_FEED_OPTIONS_INIT;
    drill_feed_options o = opts ? *opts : defaults;
    int rc = check_feed_options(&o);
    if (rc)
        return rc;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return drill__error(DRILL_EIO, "cannot make %s: %s", dir, strerror(errno));
    drill_feed_set_stats st = { 0, 0, 0, 0 };
    char path[4096], name[512];
    int written = 0;
    /* the city feed */
    snprintf(path, sizeof path, "%s/all.ics", dir);
    if ((rc = drill_feed_write_file(&written, plan, path, &o)))
        return rc;
    st.feeds++;
    st.written += written;
    st.unchanged += !written;
    st.events = o.filter ? 0 : plan->count;
    /* one per group */
    const drill_units *u = plan->units;
    size_t groups = split == DRILL_SPLIT_DISTRICT ? u->ndistricts
                    : split == DRILL_SPLIT_UNIT    ? u->count
                                                   : drill_campaigns_count(plan->campaigns) + 1;
    for (size_t g = 0; g < groups && rc == 0; g++) {
        drill_filter f = o.filter ? *o.filter : (drill_filter)DRILL_FILTER_INIT;
        const char *group, *label = NULL;
        drill_campaign_def def;
        size_t years;
        if (split == DRILL_SPLIT_DISTRICT) {
            group = f.district = u->pool + u->districts[g];
        } else if (split == DRILL_SPLIT_UNIT) {
            group = f.unit_id = u->pool + u->units[g].id;
        } else if (g < drill_campaigns_count(plan->campaigns) && drill__campaigns_def(plan->campaigns, g, &def, &years) == 0) {
            group = f.campaign = def.id;
            label = o.english && def.name_en ? def.name_en : def.name;
        } else {
            group = "none";
            f.campaign = ""; /* drills without a campaign */
        }
        drill_selection *sel;
        if ((rc = drill_plan_select(&sel, plan, &f)))
            break;
        size_t count = drill_selection_count(sel);
        drill_selection_free(sel);
        if (!count)
            continue;
        drill_feed_options go = o;
        char title[1280]; /* a district path is at most 511 bytes: never cut */
        snprintf(title, sizeof title, "%s %d: %s", o.english ? "Emergency drills" : "应急演练", plan->year,
                 label ? label : group);
        go.name = o.name ? o.name : title;
        go.filter = &f;
        file_name(name, sizeof name, group);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if ((rc = drill_feed_write_file(&written, plan, path, &go)) == 0) {
            st.feeds++;
            st.written += written;
            st.unchanged += !written;
        }
    }
    if (rc == 0 && out_stats)
        *out_stats = st;
    return rc;
}
