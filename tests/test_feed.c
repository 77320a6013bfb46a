/* Feeds: what a calendar client sees, byte by byte and through libical.
 * Every feed written here is also kept in $DRILL_FEED_DIR for make check
 * to run python3-icalendar and ical.js over. */
#include <dirent.h>
#include <fcntl.h>
#include <libical/ical.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "testutil.h"

static const char *feed_dir(void)
{
    const char *d = getenv("DRILL_FEED_DIR");
    d = d ? d : "/tmp/drill-test-feeds";
    mkdir(d, 0755);
    return d;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* CRLF only, at most 75 octets a line, valid UTF-8, no empty continuation,
 * no line that is not a property, every BEGIN matched */
static void check_bytes(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    int depth = 0;
    while (p < end) {
        const char *crlf = strstr(p, "\r\n");
        assert_non_null(crlf);
        size_t n = (size_t)(crlf - p);
        if (n > 75)
            fail_msg("line of %zu octets: %.80s", n, p);
        assert_true(memchr(p, '\r', n) == NULL && memchr(p, '\n', n) == NULL);
        assert_true(n > 0);
        if (p[0] == ' ')
            assert_true(n > 1); /* no empty continuation line */
        else {
            const char *colon = memchr(p, ':', n);
            assert_non_null(colon);
            for (const char *q = p; q < colon && *q != ';'; q++)
                if (!((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '-'))
                    fail_msg("not a property name: %.*s", (int)n, p);
            depth += strncmp(p, "BEGIN:", 6) == 0;
            depth -= strncmp(p, "END:", 4) == 0;
        }
        p = crlf + 2;
    }
    assert_int_equal(depth, 0);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static const char *x_prop(icalcomponent *e, const char *name)
{
    for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(e, ICAL_X_PROPERTY))
        if (strcmp(icalproperty_get_x_name(p), name) == 0)
            return icalproperty_get_x(p);
    return "";
}

/* what libical read of each event, for python3-icalendar and ical.js to agree with (make check) */
static void write_expectations(icalcomponent *c, const char *path)
{
    char name[600];
    snprintf(name, sizeof name, "%s.expect.jsonl", path);
    FILE *f = fopen(name, "wb");
    assert_non_null(f);
    for (icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT)) {
        struct icaltimetype s = icalcomponent_get_dtstart(e), t = icalcomponent_get_dtend(e);
        char start[32], end[32];
        if (s.is_date) {
            snprintf(start, sizeof start, "%04d-%02d-%02d", s.year, s.month, s.day);
            snprintf(end, sizeof end, "%04d-%02d-%02d", t.year, t.month, t.day);
        } else {
            snprintf(start, sizeof start, "%04d-%02d-%02dT%02d:%02d:%02d", s.year, s.month, s.day, s.hour, s.minute,
                     s.second);
            snprintf(end, sizeof end, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour, t.minute,
                     t.second);
        }
        const char *keys[] = { "uid", "summary", "description", "location", "status", "id", "start", "end" };
        const char *values[] = { icalcomponent_get_uid(e), icalcomponent_get_summary(e),
                                 icalcomponent_get_description(e), icalcomponent_get_location(e),
                                 icalproperty_status_to_string(icalcomponent_get_status(e)), x_prop(e, "X-DRILL-ID"),
                                 start, end };
        fputc('{', f);
        for (size_t k = 0; k < 8; k++) {
            json_string(f, keys[k]);
            fputc(':', f);
            json_string(f, values[k] ? values[k] : "");
            fputc(',', f);
        }
        fprintf(f, "\"sequence\":%d}\n", icalcomponent_get_sequence(e));
    }
    fclose(f);
}

/* libical reads it with no error marker */
static icalcomponent *check_libical(const char *text)
{
    icalcomponent *c = icalparser_parse_string(text);
    assert_non_null(c);
    assert_int_equal(icalcomponent_count_errors(c), 0);
    return c;
}

static char *write_feed(const world *w, const char *name, const drill_feed_options *o, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", feed_dir(), name);
    remove(path); /* a fresh feed: a file left by an earlier run would carry its SEQUENCEs on */
    int written = -1;
    assert_int_equal(drill_feed_write_file(&written, w->plan, path, o), 0);
    char *text = slurp(path, len);
    check_bytes(text, *len);
    icalcomponent *c = check_libical(text);
    write_expectations(c, path);
    icalcomponent_free(c);
    return text;
}

static void test_city_feed(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 120);
    world_plan(&w);
    /* some of every state */
    drill_item it = DRILL_ITEM_INIT;
    size_t n = drill_plan_count(w.plan), held = 0, cancelled = 0;
    for (size_t i = 0; i < n; i++) {
        drill_plan_get(&it, w.plan, i);
        if (it.status != DRILL_STATUS_SCHEDULED)
            continue;
        if (i % 7 == 0 && held < 5) {
            drill_outcome o = DRILL_OUTCOME_INIT;
            o.date = it.date;
            o.start_minute = 600;
            o.end_minute = 690;
            assert_int_equal(drill_track_hold(w.plan, it.id, &o, "t", NULL), 0);
            held++;
        } else if (i % 11 == 0 && cancelled < 3) {
            assert_int_equal(drill_track_cancel(w.plan, it.id, "t", "停业"), 0);
            cancelled++;
        }
    }
    drill_feed_options o = DRILL_FEED_OPTIONS_INIT;
    o.alarm_minutes = 1440;
    o.color = "darkred";
    o.organizer = "mailto:yjj@dl.gov.cn";
    o.organizer_name = "大连市应急管理局; \"值班室\"";
    size_t len;
    char *text = write_feed(&w, "city.ics", &o, &len);
    icalcomponent *c = check_libical(text);
    assert_int_equal(icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT), (int)n);
    assert_int_equal(icalcomponent_count_components(c, ICAL_VTIMEZONE_COMPONENT), 1);
    assert_non_null(strstr(text, "\r\nTZID:Asia/Shanghai\r\n"));
    assert_non_null(strstr(text, "\r\nMETHOD:PUBLISH\r\n"));
    assert_non_null(strstr(text, "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT720M\r\n"));
    assert_non_null(strstr(text, "\r\nCOLOR:darkred\r\n"));
    assert_null(strstr(text, "freeassociation"));
    /* every event: UID, SEQUENCE, the right STATUS; X-DRILL-ID round trip */
    size_t tentative = 0, cancelled_seen = 0;
    for (icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT)) {
        const char *id = NULL;
        for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_X_PROPERTY); p;
             p = icalcomponent_get_next_property(e, ICAL_X_PROPERTY))
            if (strcmp(icalproperty_get_x_name(p), "X-DRILL-ID") == 0)
                id = icalproperty_get_x(p);
        assert_non_null(id);
        size_t k;
        assert_int_equal(drill_plan_find(&k, w.plan, id), 0);
        drill_plan_get(&it, w.plan, k);
        icalproperty_status st = icalcomponent_get_status(e);
        if (it.status == DRILL_STATUS_CANCELLED) {
            assert_int_equal(st, ICAL_STATUS_CANCELLED);
            cancelled_seen++;
        } else if (it.status == DRILL_STATUS_PLANNED) {
            assert_int_equal(st, ICAL_STATUS_TENTATIVE);
            tentative++;
        } else {
            assert_int_equal(st, ICAL_STATUS_CONFIRMED);
            struct icaltimetype s = icalcomponent_get_dtstart(e);
            assert_int_equal(s.year, it.date.year);
            assert_int_equal(s.month, it.date.month);
            assert_int_equal(s.day, it.date.day);
            assert_false(s.is_date);
        }
        assert_non_null(icalcomponent_get_uid(e));
        assert_true(icalcomponent_get_sequence(e) >= 1);
    }
    assert_int_equal(cancelled_seen, cancelled);
    (void)tentative;
    icalcomponent_free(c);
    free(text);
    world_free(&w);
}

static void test_hostile_names(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 0);
    static const char *const names[] = {
        "Evil\r\nATTENDEE:mailto:x@y.z", "a;b,c:d\\e", "line1\nline2\rline3", "\"quoted\" ; name",
        "tab\there", "END:VEVENT", "\r\nBEGIN:VEVENT\r\nUID:fake", "控制\x01字符\x7f",
    };
    char id[32];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        drill_unit u = DRILL_UNIT_INIT;
        snprintf(id, sizeof id, "H%zu", i);
        u.id = id;
        u.name = names[i];
        u.area = "大连市/中山区";
        u.unit_class = "hotel";
        u.address = names[i];
        assert_int_equal(drill_units_add(w.units, &u), 0);
    }
    /* a value far longer than any line buffer: found by fuzz/fuzz_feed_names.c, once cut short */
    static char longest[9000];
    size_t k = 0;
    while (k < sizeof longest - 8) {
        const char *piece = (k / 3) % 5 == 0 ? "中," : "ab;";
        memcpy(longest + k, piece, strlen(piece));
        k += strlen(piece);
    }
    longest[k] = '\0';
    drill_unit lu = DRILL_UNIT_INIT;
    lu.id = "LONG";
    lu.name = "long";
    lu.area = "大连市/中山区";
    lu.unit_class = "hotel";
    lu.address = longest;
    assert_int_equal(drill_units_add(w.units, &lu), 0);
    world_plan(&w);
    size_t len;
    char *text = write_feed(&w, "hostile.ics", NULL, &len);
    assert_null(strstr(text, "\r\nATTENDEE"));
    icalcomponent *c = check_libical(text);
    size_t events = (size_t)icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT);
    assert_int_equal(events, drill_plan_count(w.plan));
    /* the names come back as they were (control characters aside, CR LF as newline) */
    icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
    const char *loc = icalcomponent_get_location(e);
    assert_string_equal(loc, "Evil\nATTENDEE:mailto:x@y.z");
    for (; e; e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT))
        if (strstr(icalcomponent_get_summary(e), "long"))
            assert_string_equal(icalcomponent_get_location(e), longest);
    icalcomponent_free(c);
    free(text);
    world_free(&w);
}

static void test_every_length(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 0);
    /* mixed Chinese and ASCII of every length 0..300: where libical 3.0.16's own folding breaks */
    static const char *const pieces[] = { "演", "a", "练", "1", "大连", "x;", "港,", "\\" };
    char name[2048], id[32];
    for (int len = 0; len <= 300; len++) {
        size_t k = 0, chars = 0;
        name[0] = '\0';
        while ((int)chars < len) {
            const char *piece = pieces[(chars * 7 + (size_t)len) % 8];
            size_t n = strlen(piece);
            memcpy(name + k, piece, n);
            k += n;
            chars++;
        }
        name[k] = '\0';
        drill_unit u = DRILL_UNIT_INIT;
        snprintf(id, sizeof id, "L%03d", len);
        u.id = id;
        u.name = len ? name : "x";
        u.address = name;
        u.area = "大连市/中山区";
        u.unit_class = "community";
        assert_int_equal(drill_units_add(w.units, &u), 0);
    }
    drill_rules_free(w.rules);
    assert_int_equal(drill_rules_new(&w.rules), 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "y";
    r.name = "y";
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    world_plan(&w);
    size_t len;
    char *text = write_feed(&w, "lengths.ics", NULL, &len);
    icalcomponent *c = check_libical(text);
    size_t i = 0;
    for (icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT), i++) {
        drill_unit u = DRILL_UNIT_INIT;
        drill_units_get(&u, w.units, i);
        const char *loc = icalcomponent_get_location(e);
        if (*u.address)
            assert_string_equal(loc, u.address);
    }
    assert_int_equal(i, 301);
    icalcomponent_free(c);
    free(text);
    world_free(&w);
}

/* the UIDs are libuuid's name-based UUIDs of the drill ids (the feed hashes
 * with nettle): ids of every length a unit id can have, so every SHA-1
 * padding case, with UTF-8. No ';', ',' or '\' in them: make check-feeds
 * would fail on the readers, not on the UIDs (ical.js leaves X-DRILL-ID
 * escaped; python3-icalendar 4.0.3 reads "\\\;" as ";") */
static void test_uids_as_libuuid(void **state)
{
    (void)state;
    static const uuid_t ns = { 0x6b, 0x1f, 0x3c, 0x2e, 0x9a, 0x47, 0x4d, 0x5e,
                               0x8f, 0x10, 0x2a, 0x64, 0xc3, 0x55, 0x7e, 0x01 };
    static const char *const pieces[] = { "a", "演", "7", ".", "/", "é", "-", "Z" };
    world w;
    world_generate(&w, 300);
    char id[160];
    for (size_t len = 1; len <= 127; len++) {
        size_t k = 0;
        for (size_t i = 0; k < len; i++) {
            const char *piece = pieces[(i * 5 + len) % 8];
            if (k + strlen(piece) > len)
                piece = "x";
            memcpy(id + k, piece, strlen(piece));
            k += strlen(piece);
        }
        id[k] = '\0';
        drill_unit u = DRILL_UNIT_INIT;
        u.id = id;
        u.name = id;
        u.area = "大连市/中山区";
        u.unit_class = "community";
        assert_int_equal(drill_units_add(w.units, &u), 0);
    }
    drill_rule r = DRILL_RULE_INIT; /* the longest rule id, for the longest drill ids */
    r.id = "r23456789012345678901234567890123456789012345678901234567890123";
    r.name = "long";
    r.classes = "community";
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    world_plan(&w);
    size_t len, events = 0;
    char *text = write_feed(&w, "uids.ics", NULL, &len);
    icalcomponent *c = check_libical(text);
    for (icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT), events++) {
        const char *drill_id = NULL;
        for (icalproperty *p = icalcomponent_get_first_property(e, ICAL_X_PROPERTY); p;
             p = icalcomponent_get_next_property(e, ICAL_X_PROPERTY))
            if (strcmp(icalproperty_get_x_name(p), "X-DRILL-ID") == 0)
                drill_id = icalproperty_get_x(p);
        assert_non_null(drill_id);
        uuid_t u;
        char want[37];
        uuid_generate_sha1(u, (unsigned char *)ns, drill_id, strlen(drill_id));
        uuid_unparse_lower(u, want);
        assert_string_equal(icalcomponent_get_uid(e), want);
    }
    assert_int_equal(events, drill_plan_count(w.plan));
    assert_true(events > 2000);
    icalcomponent_free(c);
    free(text);
    world_free(&w);
}

static void test_stable_and_unchanged(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 40);
    world_plan(&w);
    char path[512];
    snprintf(path, sizeof path, "%s/stable.ics", feed_dir());
    remove(path);
    int written = -1;
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    assert_int_equal(written, 1);
    size_t len1, len2;
    char *a = slurp(path, &len1);
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    assert_int_equal(written, 0); /* nothing changed: the file is left alone */
    /* a change: the drill's SEQUENCE rises, its UID stays */
    drill_item it = DRILL_ITEM_INIT;
    drill_plan_get(&it, w.plan, 0);
    assert_int_equal(drill_track_cancel(w.plan, it.id, "t", "合并"), 0);
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    assert_int_equal(written, 1);
    char *b = slurp(path, &len2);
    char *ua = strstr(a, "UID:"), *ub = strstr(b, "UID:");
    assert_memory_equal(ua, ub, 40);
    int sa = atoi(strstr(a, "SEQUENCE:") + 9), sb = atoi(strstr(b, "SEQUENCE:") + 9);
    assert_int_equal(sb, sa + 1);
    assert_non_null(strstr(b, "STATUS:CANCELLED"));
    free(a);
    free(b);
    /* a feed set: one per district and the city feed; again, nothing rewritten */
    char dir[256];
    snprintf(dir, sizeof dir, "%s/set", feed_dir());
    drill_feed_set_stats st = DRILL_FEED_SET_STATS_INIT;
    assert_int_equal(drill_feed_write_set(&st, w.plan, dir, DRILL_SPLIT_DISTRICT, NULL), 0);
    assert_int_equal(st.feeds, 1 + drill_units_district_count(w.units));
    assert_int_equal(drill_feed_write_set(&st, w.plan, dir, DRILL_SPLIT_DISTRICT, NULL), 0);
    assert_int_equal(st.written, 0);
    assert_int_equal(st.unchanged, st.feeds);
    snprintf(path, sizeof path, "%s/大连市_中山区.ics", dir);
    char *z = slurp(path, &len1);
    check_bytes(z, len1);
    icalcomponent *c = check_libical(z);
    assert_true(icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT) > 0);
    icalcomponent_free(c);
    free(z);
    drill_feed_set_stats cs = DRILL_FEED_SET_STATS_INIT;
    snprintf(dir, sizeof dir, "%s/campaigns", feed_dir());
    assert_int_equal(drill_feed_write_set(&cs, w.plan, dir, DRILL_SPLIT_CAMPAIGN, NULL), 0);
    snprintf(path, sizeof path, "%s/work-safety-month.ics", dir);
    z = slurp(path, &len1);
    assert_non_null(strstr(z, "X-DRILL-CAMPAIGN:work-safety-month"));
    free(z);
    /* English, another zone */
    drill_feed_options o = DRILL_FEED_OPTIONS_INIT;
    o.english = 1;
    o.tzid = "America/New_York";
    z = write_feed(&w, "english-newyork.ics", &o, &len1);
    assert_non_null(strstr(z, "DTSTART;TZID=America/New_York:"));
    assert_non_null(strstr(z, "NAME:Emergency drills 2026"));
    c = check_libical(z);
    icalcomponent_free(c);
    free(z);
    o.tzid = "Mars/Olympus_Mons";
    assert_fails_with(drill_feed_write_file(NULL, w.plan, path, &o), DRILL_ENOTFOUND, "Mars");
    o.tzid = "a:b";
    assert_fails_with(drill_feed_write_file(NULL, w.plan, path, &o), DRILL_EINVAL, "time zone");
    o.tzid = NULL;
    o.version = 0;
    assert_fails_with(drill_feed_write_file(NULL, w.plan, path, &o), DRILL_EVERSION, "version");
    assert_fails_with(drill_feed_write_file(NULL, w.plan, "/nonexistent/x.ics", NULL), DRILL_EIO, "nonexistent");
    assert_fails_with(drill_feed_write(NULL, w.plan, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_feed_write_set(NULL, w.plan, dir, 7, NULL), DRILL_EINVAL, "split");
    world_free(&w);
}

static const char *kind_word(drill_kind k)
{
    return k == DRILL_KIND_COMPREHENSIVE ? "comprehensive" : k == DRILL_KIND_SPECIAL ? "special" : "onsite";
}

static void test_round_trip(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 60);
    drill_unit u0 = DRILL_UNIT_INIT; /* away all June: its Work Safety Month drill stays planned */
    u0.id = "AWAY";
    u0.name = "停产单位";
    u0.area = "大连市/西岗区";
    u0.unit_class = "enterprise";
    assert_int_equal(drill_units_add(w.units, &u0), 0);
    assert_int_equal(drill_units_add_blackout(w.units, "AWAY", D(2026, 6, 1), D(2026, 6, 30)), 0);
    world_plan(&w);
    /* every state: held (with its own times), cancelled, planned, scheduled */
    drill_item it = DRILL_ITEM_INIT;
    size_t n = drill_plan_count(w.plan);
    int held = 0, cancelled = 0;
    for (size_t i = 0; i < n; i++) {
        drill_plan_get(&it, w.plan, i);
        if (it.status != DRILL_STATUS_SCHEDULED)
            continue;
        if (held < 3) {
            drill_outcome o = DRILL_OUTCOME_INIT;
            o.date = it.date;
            o.start_minute = 8 * 60 + 15;
            o.end_minute = 10 * 60 + 45;
            assert_int_equal(drill_track_hold(w.plan, it.id, &o, "t", NULL), 0);
            held++;
        } else if (cancelled < 2) {
            assert_int_equal(drill_track_cancel(w.plan, it.id, "t", "r"), 0);
            cancelled++;
        }
    }
    assert_int_equal(drill_plan_close_day(w.plan, NULL, D(2026, 6, 1)), 0);
    assert_int_equal(drill_plan_schedule(NULL, w.plan, NULL), 0);
    char path[512];
    size_t tlen;
    free(write_feed(&w, "roundtrip.ics", NULL, &tlen)); /* checked, and left for make check's other parsers */
    snprintf(path, sizeof path, "%s/roundtrip.ics", feed_dir());
    drill_feed_reader *r;
    assert_int_equal(drill_feed_reader_open(&r, path), 0);
    drill_feed_event ev = DRILL_FEED_EVENT_INIT;
    size_t k = 0, planned = 0;
    int rc;
    while ((rc = drill_feed_reader_next(&ev, r)) == 1) {
        drill_plan_get(&it, w.plan, k++);
        assert_int_equal(ev.is_drill, 1);
        assert_string_equal(ev.drill_id, it.id);
        assert_string_equal(ev.unit_id, it.unit_id);
        assert_string_equal(ev.rule_id, it.rule_id);
        assert_string_equal(ev.period, it.period);
        assert_string_equal(ev.district, it.district);
        assert_string_equal(ev.kind, kind_word(it.kind));
        assert_string_equal(ev.form, it.form == DRILL_FORM_TABLETOP ? "tabletop" : "live");
        assert_string_equal(ev.scenario, it.scenario);
        assert_string_equal(ev.campaign, it.campaign);
        assert_string_equal(ev.drill_status, drill_status_name(it.status));
        assert_memory_equal(&ev.window_start, &it.window_start, sizeof ev.window_start);
        assert_memory_equal(&ev.window_end, &it.window_end, sizeof ev.window_end);
        assert_int_equal(ev.observer, it.needs_observer);
        assert_int_equal(ev.sequence, it.revision);
        assert_int_equal(strlen(ev.uid), 36);
        assert_non_null(strstr(ev.summary, it.unit_name));
        assert_non_null(strstr(ev.description, it.id));
        drill_unit u = DRILL_UNIT_INIT;
        drill_units_get(&u, w.units, it.unit_index);
        assert_string_equal(ev.location, u.address);
        if (it.status == DRILL_STATUS_PLANNED || (it.status == DRILL_STATUS_CANCELLED && !it.date.year)) {
            assert_int_equal(ev.all_day, 1);
            assert_memory_equal(&ev.start, &it.window_start, sizeof ev.start);
            drill_date after;
            drill_date_add_days(&after, it.window_end, 1);
            assert_memory_equal(&ev.end, &after, sizeof ev.end);
            planned += it.status == DRILL_STATUS_PLANNED;
            assert_string_equal(ev.status, it.status == DRILL_STATUS_PLANNED ? "TENTATIVE" : "CANCELLED");
        } else {
            assert_int_equal(ev.all_day, 0);
            assert_string_equal(ev.tzid, "Asia/Shanghai");
            assert_memory_equal(&ev.start, &it.date, sizeof ev.start);
            if (it.status == DRILL_STATUS_HELD) {
                assert_int_equal(ev.start_minute, 8 * 60 + 15);
                assert_int_equal(ev.end_minute, 10 * 60 + 45);
            } else {
                assert_int_equal(ev.start_minute, it.start_minute);
                assert_int_equal(ev.end_minute, it.start_minute + it.duration_minutes);
            }
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(k, n);
    assert_true(planned > 0);
    assert_int_equal(drill_feed_reader_tolerated(NULL, r), 0);
    drill_feed_reader_free(r);
    world_free(&w);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

/* import a busy-day feed of one VEVENT (the lines between BEGIN and END) for district */
static size_t import_busy_event(drill_plan *plan, const char *district, const char *event_lines)
{
    char path[512], text[2048];
    snprintf(path, sizeof path, "%s/busy-recurring.ics", feed_dir());
    snprintf(text, sizeof text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
                                "UID:busy@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:busy\r\n%sEND:VEVENT\r\n"
                                "END:VCALENDAR\r\n", event_lines);
    write_text(path, text);
    size_t days = 99;
    if (drill_feed_import_busy(&days, plan, path, district) != 0)
        fail_msg("import: %s", drill_error_last()->message);
    return days;
}

/* 1 if day d was closed for district already: closing it again closes nothing (it stays closed) */
static int was_closed(drill_plan *plan, const char *district, drill_date d)
{
    char line[96];
    snprintf(line, sizeof line, "DTSTART;VALUE=DATE:%04d%02d%02d\r\n", d.year, d.month, d.day);
    return import_busy_event(plan, district, line) == 0;
}

/* busy days from recurring events: expanded as holiday feeds are (libical's
 * icalrecur_iterator), within the plan's year */
static void test_busy_recurring(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 40);
    world_plan(&w);
    const char *zs = "大连市/中山区", *gjz = "大连市/甘井子区";
    /* every Monday of January 2026 but the 19th: the 5th, 12th and 26th */
    assert_int_equal(import_busy_event(w.plan, zs, "DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260106\r\n"
                                                   "RRULE:FREQ=WEEKLY;UNTIL=20260131\r\n"
                                                   "EXDATE;VALUE=DATE:20260119\r\n"),
                     3);
    for (int day = 1; day <= 31; day++) {
        int busy = day == 5 || day == 12 || day == 26;
        if (was_closed(w.plan, zs, D(2026, 1, day)) != busy)
            fail_msg("2026-01-%02d: closed %d, expected %d", day, !busy, busy);
    }
    /* a weekly rule without end from 2025: every Tuesday of 2026 (52), none past the year */
    assert_int_equal(import_busy_event(w.plan, gjz, "DTSTART;VALUE=DATE:20250107\r\nRRULE:FREQ=WEEKLY\r\n"), 52);
    assert_true(was_closed(w.plan, gjz, D(2026, 12, 29)));
    assert_false(was_closed(w.plan, gjz, D(2026, 12, 30)));
    /* a daily rule without end from 1950 stops at the plan's year too: its 365 days, quickly */
    assert_int_equal(import_busy_event(w.plan, "大连市/西岗区", "DTSTART;VALUE=DATE:19500101\r\nRRULE:FREQ=DAILY\r\n"),
                     365);
    /* occurrences from the year before count for their days in the plan's year: Dec 30 - Jan 1 yearly */
    assert_int_equal(import_busy_event(w.plan, "大连市/沙河口区", "DTSTART;VALUE=DATE:20251230\r\n"
                                                                "DTEND;VALUE=DATE:20260102\r\nRRULE:FREQ=YEARLY\r\n"),
                     3); /* 2026-01-01, 2026-12-30, 2026-12-31 */
    /* RDATE and COUNT; a timed weekly meeting closes its days too */
    assert_int_equal(import_busy_event(w.plan, "大连市/金州区", "DTSTART;VALUE=DATE:20260302\r\n"
                                                              "RDATE;VALUE=DATE:20260310,20260320\r\n"),
                     3);
    assert_int_equal(import_busy_event(w.plan, "大连市/旅顺口区", "DTSTART;TZID=Asia/Shanghai:20260401T090000\r\n"
                                                                "DTEND;TZID=Asia/Shanghai:20260401T100000\r\n"
                                                                "RRULE:FREQ=WEEKLY;COUNT=4\r\n"),
                     4);
    assert_true(was_closed(w.plan, "大连市/旅顺口区", D(2026, 4, 22)));
    assert_false(was_closed(w.plan, "大连市/旅顺口区", D(2026, 4, 29)));
    world_free(&w);
}

static void test_reading_foreign_and_broken(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 50);
    world_plan(&w);
    char path[512];
    const char *data = getenv("DRILL_TEST_DATA");
    snprintf(path, sizeof path, "%s/agency-busy.ics", data ? data : "tests/data");
    /* another agency's calendar: LF endings, a DATE DTSTAMP, no VERSION, no END:VCALENDAR */
    drill_feed_reader *r;
    assert_int_equal(drill_feed_reader_open(&r, path), 0);
    drill_feed_event ev = DRILL_FEED_EVENT_INIT;
    assert_int_equal(drill_feed_reader_next(&ev, r), 1);
    assert_int_equal(ev.is_drill, 0);
    assert_string_equal(ev.summary, "Provincial inspection");
    assert_int_equal(ev.all_day, 1);
    assert_int_equal(drill_feed_reader_next(&ev, r), 1);
    assert_int_equal(ev.start_minute, 14 * 60);
    assert_string_equal(ev.tzid, "Asia/Shanghai");
    while (drill_feed_reader_next(&ev, r) == 1)
        ;
    const char *what = NULL;
    assert_true(drill_feed_reader_tolerated(&what, r) >= 2);
    assert_non_null(what);
    drill_feed_reader_free(r);
    /* as busy days of a district: Sept 15-16 and July 8; the cancelled one and next year's skipped */
    size_t days = 0;
    assert_int_equal(drill_feed_import_busy(&days, w.plan, path, "大连市/中山区"), 0);
    assert_int_equal(days, 3);
    /* the days it closed, each once: read again, it closes none */
    assert_int_equal(drill_feed_import_busy(&days, w.plan, path, "大连市/中山区"), 0);
    assert_int_equal(days, 0);
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, w.plan, NULL), 0);
    for (size_t i = 0; i < drill_plan_count(w.plan); i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, w.plan, i);
        if (it.status == DRILL_STATUS_SCHEDULED && strcmp(it.district, "大连市/中山区") == 0)
            assert_false(it.date.month == 9 && (it.date.day == 15 || it.date.day == 16));
    }
    assert_fails_with(drill_feed_import_busy(NULL, w.plan, path, "大连市/无此区"), DRILL_ENOTFOUND, "无此区");
    /* broken feeds: the line of the event or of the property */
    char bad[512];
    snprintf(bad, sizeof bad, "%s/broken.ics", feed_dir());
    static const struct { const char *text; int line; const char *needle; } cases[] = {
        { "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:x\r\nDTSTART:2026xx01T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
          5, "DTSTART" },
        { "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T090000\r\nX-DRILL-ID:a/b/2026\r\n"
          "X-DRILL-WINDOW:2026-01-01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 6, "X-DRILL-WINDOW" },
        { "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 2, "no DTSTART" },
        { "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\n", 2, "never ended" },
        { "garbage\r\n", 1, "BEGIN:VCALENDAR" },
        /* found by fuzz/fuzz_feed_read.c: libical takes an hour of 33 as it comes */
        { "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART;TZID=Asia/Shanghai:20260301T335900\r\n"
          "END:VEVENT\r\nEND:VCALENDAR\r\n", 4, "no such time" },
        /* the exclusive end after 2200-12-31 is for all-day events alone */
        { "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:n\r\nDTSTART:20260301T235959Z\r\n"
          "DTEND;VALUE=DATE:22010101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 5, "DTEND is not a date" },
        /* and a negative one: T-40000 is hour -4 */
        { "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART;TZID=Asia/Shanghai:20260301T235900\r\n"
          "DTEND;TZID=Asia/Shanghai:20260302T-40000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 5, "DTEND has no such time" },
        { "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART:20260301T09-100\r\n"
          "END:VEVENT\r\nEND:VCALENDAR\r\n", 4, "no such time" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        write_text(bad, cases[i].text);
        assert_int_equal(drill_feed_reader_open(&r, bad), 0);
        int rc;
        while ((rc = drill_feed_reader_next(&ev, r)) == 1)
            ;
        const drill_error *e = drill_error_last();
        if (rc != DRILL_EPARSE || e->line != cases[i].line || !strstr(e->message, cases[i].needle))
            fail_msg("case %zu: rc %d %s:%d %s", i, rc, e->source, e->line, e->message);
        drill_feed_reader_free(r);
    }
    remove(bad);
    assert_fails_with(drill_feed_reader_open(&r, "/nonexistent/x.ics"), DRILL_EIO, "nonexistent");
    assert_fails_with(drill_feed_reader_open(NULL, path), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_feed_reader_next(NULL, NULL), DRILL_EINVAL, "NULL");
    assert_int_equal(drill_feed_reader_tolerated(NULL, NULL), 0);
    drill_feed_reader_free(NULL);
    world_free(&w);
}

/* ---- safe files and feed sets ---- */

/* a private folder for a test (not the feed folder check-feeds reads) */
static void private_dir(char *out, size_t n, const char *what)
{
    snprintf(out, n, "/tmp/drill-%s-XXXXXX", what);
    assert_non_null(mkdtemp(out));
}

static void rm_rf(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            rm_rf(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* how many entries of dir contain needle in their name */
static int entries_with(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strstr(e->d_name, needle) != NULL;
    closedir(d);
    return n;
}

static int entries(const char *dir)
{
    return entries_with(dir, "") - 2;
}

static void assert_file_text(const char *path, const char *text)
{
    size_t len;
    char *got = slurp(path, &len);
    assert_string_equal(got, text);
    free(got);
}

typedef struct pipe_reader {
    const char *path;
    char buf[1 << 16];
    size_t len;
} pipe_reader;

/* read a FIFO to its end: the writer's side of the test waits for nothing else */
static void *read_fifo(void *arg)
{
    pipe_reader *r = arg;
    int fd = open(r->path, O_RDONLY);
    if (fd < 0)
        return NULL;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
        size_t k = (size_t)n < sizeof r->buf - 1 - r->len ? (size_t)n : sizeof r->buf - 1 - r->len;
        memcpy(r->buf + r->len, chunk, k);
        r->len += k;
    }
    r->buf[r->len] = '\0';
    close(fd);
    return NULL;
}

/* a writer that fails half way, as a full disk would */
static int half_then_fail(FILE *f, void *arg)
{
    (void)arg;
    fputs("half", f);
    return DRILL_EIO;
}

static void test_safe_files(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 30);
    world_plan(&w);
    char dir[256], out[256], path[512], link[600], victim[512];
    private_dir(dir, sizeof dir, "safe");
    private_dir(out, sizeof out, "outside");
    snprintf(victim, sizeof victim, "%s/passwd", out);
    FILE *v = fopen(victim, "wb");
    fputs("root:x:0:0\n", v);
    fclose(v);
    /* symlinks at every name the old code used (PATH.tmp.PID), for pids around ours, and
     * at names shaped like the new temporaries: none may be followed */
    /* what a killed export of an earlier libdrill left: NAME.tmp.PID and drillctl's NAME.tmpPID of a dead process */
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    assert_true(child > 0);
    assert_int_equal(waitpid(child, NULL, 0), child);
    char legacy[3][600];
    snprintf(legacy[0], sizeof legacy[0], "%s/大连市_中山区.ics.tmp.%ld", dir, (long)child);
    snprintf(legacy[1], sizeof legacy[1], "%s/all.ics.tmp%ld", dir, (long)child);
    snprintf(legacy[2], sizeof legacy[2], "%s/notes.txt.tmp.%ld", dir, (long)child);
    for (int k = 0; k < 3; k++)
        write_text(legacy[k], "5 MB of half a feed");
    snprintf(path, sizeof path, "%s/all.ics", dir);
    for (long pid = (long)getpid() - 20; pid <= (long)getpid() + 20; pid++) {
        if (pid == (long)child)
            continue; /* its names hold the dead writer's leftovers */
        snprintf(link, sizeof link, "%s.tmp.%ld", path, pid);
        assert_int_equal(symlink(victim, link), 0);
        snprintf(link, sizeof link, "%s.tmp%ld", path, pid);
        assert_int_equal(symlink(victim, link), 0);
    }
    snprintf(link, sizeof link, "%s/.all.ics.0123456789abcdef.tmp", dir);
    assert_int_equal(symlink(victim, link), 0);
    /* a stale temporary of a killed run, and one a live writer still holds locked */
    char stale[512], live[512];
    snprintf(stale, sizeof stale, "%s/.all.ics.killedrun0000000.tmp", dir);
    snprintf(live, sizeof live, "%s/.all.ics.stillwriting0000.tmp", dir);
    write_text(stale, "half a feed");
    write_text(live, "being written");
    int lock = open(live, O_RDONLY);
    assert_true(lock >= 0);
    assert_int_equal(flock(lock, LOCK_EX), 0);
    drill_feed_set_stats st = DRILL_FEED_SET_STATS_INIT;
    assert_int_equal(drill_feed_write_set(&st, w.plan, dir, DRILL_SPLIT_DISTRICT, NULL), 0);
    assert_file_text(victim, "root:x:0:0\n");
    struct stat sb;
    assert_int_equal(lstat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(access(stale, F_OK), -1);  /* removed: nobody held it */
    assert_int_equal(lstat(link, &sb), -1);     /* the planted link at a temporary's name: removed, not followed */
    assert_int_equal(access(live, F_OK), 0);    /* kept: its writer is alive */
    close(lock);
    unlink(live);
    /* no temporary of this run is left; a link at an old-style name of a live
     * process (this one) is left alone, those of dead writers went */
    assert_int_equal(entries_with(dir, ".all.ics."), 0);
    snprintf(link, sizeof link, "%s.tmp.%ld", path, (long)getpid());
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_int_equal(lstat(legacy[0], &sb), -1);
    assert_int_equal(lstat(legacy[1], &sb), -1);
    assert_int_equal(lstat(legacy[2], &sb), 0); /* not a feed's: not ours to remove */
    unlink(legacy[2]);
    /* the file's mode is kept when it is rewritten */
    assert_int_equal(chmod(path, 0640), 0);
    drill_feed_options en = DRILL_FEED_OPTIONS_INIT;
    en.english = 1;
    int written = 0;
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, &en), 0);
    assert_int_equal(written, 1);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    /* a failed write leaves the old file and no temporary */
    drill_feed_options mars = DRILL_FEED_OPTIONS_INIT;
    mars.tzid = "Mars/Olympus_Mons";
    size_t before_len, after_len;
    char *before = slurp(path, &before_len);
    int n_entries = entries(dir);
    assert_fails_with(drill_feed_write_file(NULL, w.plan, path, &mars), DRILL_ENOTFOUND, "Mars");
    char *after = slurp(path, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    assert_int_equal(entries(dir), n_entries);
    free(before);
    free(after);
    /* a link someone else planted at the target itself is replaced, never written through
     * (only root can give a link to someone else) */
    if (geteuid() == 0) {
        snprintf(link, sizeof link, "%s/foreign.ics", dir);
        assert_int_equal(symlink(victim, link), 0);
        assert_int_equal(lchown(link, 65534, 65534), 0);
        assert_int_equal(drill_feed_write_file(NULL, w.plan, link, NULL), 0);
        assert_file_text(victim, "root:x:0:0\n");
        assert_int_equal(lstat(link, &sb), 0);
        assert_true(S_ISREG(sb.st_mode));
        /* and a FIFO someone else made there is not written into (a reader could hold the export) */
        snprintf(link, sizeof link, "%s/foreign-fifo.ics", dir);
        assert_int_equal(mkfifo(link, 0666), 0);
        assert_int_equal(lchown(link, 65534, 65534), 0);
        assert_int_equal(drill_feed_write_file(NULL, w.plan, link, NULL), 0);
        assert_int_equal(lstat(link, &sb), 0);
        assert_true(S_ISREG(sb.st_mode));
    }
    /* the caller's own FIFO, and a link to it, are written in place and stay what they are */
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/pipe", out);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(link, sizeof link, "%s/to-pipe.ics", dir);
    assert_int_equal(symlink(fifo, link), 0);
    const char *targets[] = { fifo, link };
    for (int k = 0; k < 2; k++) {
        pipe_reader *r = calloc(1, sizeof *r);
        r->path = fifo;
        pthread_t th;
        assert_int_equal(pthread_create(&th, NULL, read_fifo, r), 0);
        assert_int_equal(drill_feed_write_file(NULL, w.plan, targets[k], NULL), 0);
        pthread_join(th, NULL);
        assert_true(r->len > 100);
        assert_memory_equal(r->buf, "BEGIN:VCALENDAR\r\n", 17);
        free(r);
        assert_int_equal(lstat(fifo, &sb), 0);
        assert_true(S_ISFIFO(sb.st_mode));
    }
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    /* a device: /dev/null stays a device */
    assert_int_equal(drill_feed_write_file(NULL, w.plan, "/dev/null", NULL), 0);
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    assert_fails_with(drill_feed_write_file(NULL, w.plan, dir, NULL), DRILL_EIO, "folder");
    /* the public routine: text, and a writer that fails half way (the old file stays, no temporary) */
    snprintf(path, sizeof path, "%s/public.txt", dir);
    assert_int_equal(drill_file_write_text(path, "第一版\n"), 0);
    assert_file_text(path, "第一版\n");
    n_entries = entries(dir);
    assert_fails_with(drill_file_write(path, half_then_fail, NULL), DRILL_EIO, "public.txt");
    assert_file_text(path, "第一版\n");
    assert_int_equal(entries(dir), n_entries);
    assert_fails_with(drill_file_write_text(NULL, "x"), DRILL_EINVAL, "NULL");
    /* nothing outside the two folders' planted names changed */
    assert_file_text(victim, "root:x:0:0\n");
    assert_int_equal(entries(out), 2);
    rm_rf(dir);
    rm_rf(out);
    world_free(&w);
}

static void add_unit(drill_units *units, const char *id, const char *area)
{
    drill_unit u = DRILL_UNIT_INIT;
    u.id = id;
    u.name = id;
    u.area = area;
    u.unit_class = "hotel";
    assert_int_equal(drill_units_add(units, &u), 0);
}

static void assert_feed_of(const char *dir, const char *file, const char *property)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    size_t len;
    char *text = slurp(path, &len);
    if (!strstr(text, property))
        fail_msg("%s has no %s", file, property);
    free(text);
}

static void test_feed_set_names(void **state)
{
    (void)state;
    static const char *const ids[] = { "all", "a/b", "a_b", "a~5Fb", ".hidden", "none" };
    world w;
    world_generate(&w, 0);
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        add_unit(w.units, ids[i], i % 2 ? "大连市/甲 乙" : "大连市/甲,乙");
    world_plan(&w);
    char dir[256], path[512];
    private_dir(dir, sizeof dir, "names");
    drill_feed_set_stats st = DRILL_FEED_SET_STATS_INIT;
    assert_int_equal(drill_feed_write_set(&st, w.plan, dir, DRILL_SPLIT_UNIT, NULL), 0);
    assert_int_equal(st.feeds, 1 + 6);
    assert_int_equal(st.events, drill_plan_count(w.plan));
    /* one file each, none of them the city's */
    assert_feed_of(dir, "~61ll.ics", "X-DRILL-UNIT:all\r\n");
    assert_feed_of(dir, "a_b.ics", "X-DRILL-UNIT:a/b\r\n");
    assert_feed_of(dir, "a~5Fb.ics", "X-DRILL-UNIT:a_b\r\n");
    assert_feed_of(dir, "a~7E5Fb.ics", "X-DRILL-UNIT:a~5Fb\r\n");
    assert_feed_of(dir, "~2Ehidden.ics", "X-DRILL-UNIT:.hidden\r\n");
    assert_feed_of(dir, "none.ics", "X-DRILL-UNIT:none\r\n");
    snprintf(path, sizeof path, "%s/all.ics", dir);
    size_t len;
    char *city = slurp(path, &len);
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        char want[64];
        snprintf(want, sizeof want, "X-DRILL-UNIT:%s\r\n", ids[i]);
        assert_non_null(strstr(city, want));
    }
    free(city);
    /* districts that differ in a blank and a comma */
    assert_int_equal(drill_feed_write_set(&st, w.plan, dir, DRILL_SPLIT_DISTRICT, NULL), 0);
    assert_int_equal(st.feeds, 1 + 2);
    assert_int_equal(st.removed, 6); /* the unit feeds of the last export in this folder */
    assert_feed_of(dir, "大连市_甲~20乙.ics", "X-DRILL-DISTRICT:大连市/甲 乙\r\n");
    assert_feed_of(dir, "大连市_甲~2C乙.ics", "X-DRILL-DISTRICT:大连市/甲\\,乙\r\n");
    /* with a filter: the city feed's events are counted, not 0 */
    drill_filter f = DRILL_FILTER_INIT;
    f.district = "大连市/甲 乙";
    drill_feed_options o = DRILL_FEED_OPTIONS_INIT;
    o.filter = &f;
    drill_selection *sel;
    assert_int_equal(drill_plan_select(&sel, w.plan, &f), 0);
    size_t selected = drill_selection_count(sel);
    drill_selection_free(sel);
    assert_true(selected > 0 && selected < drill_plan_count(w.plan));
    assert_int_equal(drill_feed_write_set(&st, w.plan, dir, DRILL_SPLIT_DISTRICT, &o), 0);
    assert_int_equal(st.events, selected);
    /* the other district has no drill in this export: its old feed goes; a file of someone else's stays */
    assert_int_equal(st.removed, 1);
    assert_int_equal(st.feeds, 2);
    snprintf(path, sizeof path, "%s/大连市_甲~2C乙.ics", dir);
    assert_int_equal(access(path, F_OK), -1);
    world_free(&w);

    /* a district removed from the registry: its feed is removed by the next export, other files stay */
    snprintf(path, sizeof path, "%s/mine.ics", dir);
    write_text(path, "not libdrill's");
    world_generate(&w, 0);
    add_unit(w.units, "a_b", "大连市/甲,乙");
    world_plan(&w);
    assert_int_equal(drill_feed_write_set(&st, w.plan, dir, DRILL_SPLIT_DISTRICT, NULL), 0);
    assert_int_equal(st.removed, 1);
    snprintf(path, sizeof path, "%s/大连市_甲~20乙.ics", dir);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/mine.ics", dir);
    assert_file_text(path, "not libdrill's");
    world_free(&w);
    rm_rf(dir);

    /* names that would share a file on a case-insensitive file system, and a name too long
     * for a file: refused before anything is written */
    world_generate(&w, 0);
    add_unit(w.units, "Hotel-1", "大连市/中山区");
    add_unit(w.units, "hotel-1", "大连市/中山区");
    world_plan(&w);
    private_dir(dir, sizeof dir, "collide");
    snprintf(path, sizeof path, "%s/set", dir);
    assert_fails_with(drill_feed_write_set(&st, w.plan, path, DRILL_SPLIT_UNIT, NULL), DRILL_EEXISTS, "hotel-1");
    assert_int_equal(entries(dir), 0);
    world_free(&w);
    world_generate(&w, 0);
    add_unit(w.units, "ALL", "大连市/中山区"); /* against the city feed */
    world_plan(&w);
    assert_fails_with(drill_feed_write_set(&st, w.plan, path, DRILL_SPLIT_UNIT, NULL), DRILL_EEXISTS, "all.ics");
    world_free(&w);
    /* beyond ASCII: Unicode simple case folding, the same in every locale */
    static const char *const pairs[][2] = {
        { "Ä-werk", "ä-werk" }, { "ΣΧΟΛΕΙΟ", "σχολειο" }, { "οδος", "ΟΔΟΣ" }, /* final sigma folds to σ */
        { "Школа-1", "школа-1" }, { "Ｈｏｔｅｌ", "ｈｏｔｅｌ" },            /* fullwidth letters */
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        world_generate(&w, 0);
        add_unit(w.units, pairs[i][0], "大连市/中山区");
        add_unit(w.units, pairs[i][1], "大连市/中山区");
        world_plan(&w);
        drill_error_clear();
        if (drill_feed_write_set(&st, w.plan, path, DRILL_SPLIT_UNIT, NULL) != DRILL_EEXISTS ||
            !strstr(drill_error_last()->message, "where case is not told apart"))
            fail_msg("%s / %s: %s", pairs[i][0], pairs[i][1], drill_error_last()->message);
        assert_int_equal(entries(dir), 0);
        world_free(&w);
    }
    /* simple folding only: ß is not ss, dotless ı not i, 甲 not 乙; these each keep a file */
    world_generate(&w, 0);
    add_unit(w.units, "Straße", "大连市/中山区");
    add_unit(w.units, "STRASSE", "大连市/中山区");
    add_unit(w.units, "ılık", "大连市/中山区");
    add_unit(w.units, "ilik", "大连市/中山区");
    world_plan(&w);
    assert_int_equal(drill_feed_write_set(&st, w.plan, path, DRILL_SPLIT_UNIT, NULL), 0);
    assert_int_equal(st.feeds, 1 + 4);
    world_free(&w);
    rm_rf(path);
    char area[300] = "大连市/";
    while (strlen(area) < 250)
        strcat(area, "区");
    world_generate(&w, 0);
    add_unit(w.units, "u1", area);
    world_plan(&w);
    assert_fails_with(drill_feed_write_set(&st, w.plan, path, DRILL_SPLIT_DISTRICT, NULL), DRILL_ERANGE, "file name");
    assert_int_equal(entries(dir), 0);
    world_free(&w);
    rm_rf(dir);
}

/* the text of one event (from its X-DRILL-ID to the next END:VEVENT) */
static char *event_text(const char *feed, const char *drill_id)
{
    char key[320];
    snprintf(key, sizeof key, "X-DRILL-ID:%s\r\n", drill_id);
    const char *at = strstr(feed, key);
    assert_non_null(at);
    const char *begin = at;
    while (begin > feed && strncmp(begin, "BEGIN:VEVENT", 12) != 0)
        begin--;
    const char *end = strstr(at, "END:VEVENT");
    assert_non_null(end);
    char *out = malloc((size_t)(end - begin) + 1);
    memcpy(out, begin, (size_t)(end - begin));
    out[end - begin] = '\0';
    return out;
}

static void test_event_text_and_times(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 0);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "TAB1";
    u.name = "名称\t带制表符";
    u.area = "大连市/中山区";
    u.unit_class = "hotel";
    u.address = "一号\t二号";
    assert_int_equal(drill_units_add(w.units, &u), 0);
    world_plan(&w);
    /* a drill held until midnight */
    drill_item it = DRILL_ITEM_INIT;
    size_t i = 0;
    for (; i < drill_plan_count(w.plan); i++) {
        drill_plan_get(&it, w.plan, i);
        if (it.status == DRILL_STATUS_SCHEDULED && !(it.date.month == 12 && it.date.day == 31))
            break;
    }
    assert_true(i < drill_plan_count(w.plan));
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = it.date;
    o.start_minute = 22 * 60;
    o.end_minute = 24 * 60;
    o.kind = it.kind;
    o.participants = 5;
    assert_int_equal(drill_track_hold(w.plan, it.id, &o, "t", NULL), 0);
    size_t len;
    char *text = write_feed(&w, "tabs-midnight.ics", NULL, &len);
    char *ev = event_text(text, it.id);
    /* tabs kept (RFC 5545 TEXT allows them), 24:00 as the next day's 00:00 */
    assert_non_null(strstr(ev, "名称\t带制表符"));
    assert_non_null(strstr(ev, "LOCATION:一号\t二号\r\n"));
    drill_date next;
    assert_int_equal(drill_date_add_days(&next, it.date, 1), 0);
    char want[64];
    snprintf(want, sizeof want, "DTEND;TZID=Asia/Shanghai:%04d%02d%02dT000000\r\n", next.year, next.month, next.day);
    if (!strstr(ev, want))
        fail_msg("no %s in\n%s", want, ev);
    assert_null(strstr(ev, "T235900"));
    /* read back: libical sees the tabs, the reader the end on the next day */
    icalcomponent *c = check_libical(text);
    int seen = 0;
    for (icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT)) {
        if (strcmp(icalcomponent_get_location(e), "一号\t二号") != 0)
            continue;
        seen += strstr(icalcomponent_get_summary(e), "名称\t带制表符") != NULL;
    }
    assert_true(seen > 0);
    icalcomponent_free(c);
    char path[512];
    snprintf(path, sizeof path, "%s/tabs-midnight.ics", feed_dir());
    drill_feed_reader *r;
    drill_feed_event fe = DRILL_FEED_EVENT_INIT;
    assert_int_equal(drill_feed_reader_open(&r, path), 0);
    int found = 0;
    while (drill_feed_reader_next(&fe, r) == 1)
        if (strcmp(fe.drill_id, it.id) == 0) {
            found = 1;
            assert_int_equal(fe.start_minute, 22 * 60);
            assert_int_equal(fe.end_minute, 0);
            assert_date(fe.end, next.year, next.month, next.day);
        }
    assert_true(found);
    drill_feed_reader_free(r);
    free(ev);
    free(text);
    world_free(&w);
}

static void test_bom_and_long_lines(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/bom.ics", feed_dir());
    /* a holiday feed and another agency's feed that start with a UTF-8 BOM */
    static const char holidays[] = "\xEF\xBB\xBF"
                                   "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:h1\r\n"
                                   "DTSTART;VALUE=DATE:20260501\r\nDTEND;VALUE=DATE:20260504\r\nSUMMARY:劳动节\r\n"
                                   "END:VEVENT\r\nEND:VCALENDAR\r\n";
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new(&cal), 0);
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    int rc = drill_calendar_load_ics_buffer(&st, cal, holidays, sizeof holidays - 1, "bom.ics", NULL);
    if (rc)
        fail_msg("%s", drill_error_last()->message);
    assert_int_equal(st.holidays, 3);
    write_text(path, holidays);
    drill_calendar_free(cal);
    assert_int_equal(drill_calendar_new(&cal), 0);
    assert_int_equal(drill_calendar_load_ics(&st, cal, path, NULL), 0);
    assert_int_equal(st.holidays, 3);
    drill_calendar_free(cal);
    drill_feed_reader *r;
    drill_feed_event ev = DRILL_FEED_EVENT_INIT;
    assert_int_equal(drill_feed_reader_open(&r, path), 0);
    assert_int_equal(drill_feed_reader_next(&ev, r), 1);
    assert_string_equal(ev.summary, "劳动节");
    assert_int_equal(drill_feed_reader_next(&ev, r), 0);
    drill_feed_reader_free(r);
    /* a BOM anywhere else is text, and text before BEGIN:VCALENDAR is an error */
    write_text(path, "\r\n\xEF\xBB\xBF" "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    assert_int_equal(drill_feed_reader_open(&r, path), 0);
    assert_int_equal(drill_feed_reader_next(&ev, r), DRILL_EPARSE);
    assert_int_equal(drill_error_last()->line, 2);
    drill_feed_reader_free(r);
    /* a line of 8 MB: refused at once, with its line */
    size_t big = 8u << 20;
    char *text = malloc(big + 256);
    int k = sprintf(text, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDESCRIPTION:");
    memset(text + k, 'a', big);
    strcpy(text + k + big, "\r\nDTSTART:20260101T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    write_text(path, text);
    assert_int_equal(drill_feed_reader_open(&r, path), 0);
    assert_fails_with(drill_feed_reader_next(&ev, r), DRILL_EPARSE, "bytes long");
    assert_int_equal(drill_error_last()->line, 4);
    drill_feed_reader_free(r);
    assert_int_equal(drill_calendar_new(&cal), 0);
    assert_fails_with(drill_calendar_load_ics_buffer(NULL, cal, text, strlen(text), "big.ics", NULL), DRILL_EPARSE,
                      "bytes long");
    drill_calendar_free(cal);
    /* an event of many lines, each short, past the cap */
    size_t at = (size_t)sprintf(text, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n");
    while (at < (2u << 20))
        at += (size_t)sprintf(text + at, "X-A:%s\r\n", "0123456789012345678901234567890123456789");
    strcpy(text + at, "END:VEVENT\r\nEND:VCALENDAR\r\n");
    write_text(path, text);
    assert_int_equal(drill_feed_reader_open(&r, path), 0);
    assert_fails_with(drill_feed_reader_next(&ev, r), DRILL_EPARSE, "longer than");
    assert_int_equal(drill_error_last()->line, 2);
    drill_feed_reader_free(r);
    free(text);
    remove(path);
}

/* SEQUENCE and LAST-MODIFIED of each event in a feed file, by X-DRILL-ID */
typedef struct stamps {
    char id[160];
    int sequence;
    char modified[20];
} stamps;

static size_t read_stamps(stamps *out, size_t max, const char *path)
{
    drill_feed_reader *r;
    drill_feed_event ev = DRILL_FEED_EVENT_INIT;
    assert_int_equal(drill_feed_reader_open(&r, path), 0);
    size_t n = 0;
    while (drill_feed_reader_next(&ev, r) == 1 && n < max) {
        snprintf(out[n].id, sizeof out[n].id, "%s", ev.drill_id);
        out[n].sequence = ev.sequence;
        n++;
    }
    drill_feed_reader_free(r);
    /* LAST-MODIFIED is not in drill_feed_event: from the text */
    size_t len;
    char *text = slurp(path, &len);
    const char *p = text;
    for (size_t k = 0; k < n; k++) {
        p = strstr(p, "LAST-MODIFIED:");
        assert_non_null(p);
        memcpy(out[k].modified, p + 14, 16);
        out[k].modified[16] = '\0';
        p += 14;
    }
    free(text);
    return n;
}

static const stamps *stamp_of(const stamps *s, size_t n, const char *id)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(s[k].id, id) == 0)
            return &s[k];
    fail_msg("no event %s", id);
    return NULL;
}

static void test_sequence_follows_changes(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 30);
    world_plan(&w);
    char dir[256], path[512];
    private_dir(dir, sizeof dir, "sequence");
    snprintf(path, sizeof path, "%s/all.ics", dir);
    enum { MAX = 400 };
    stamps *a = calloc(MAX, sizeof *a), *b = calloc(MAX, sizeof *b);
    int written = -1;
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    size_t n = read_stamps(a, MAX, path);
    assert_int_equal(n, drill_plan_count(w.plan));
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    assert_int_equal(written, 0);
    /* a unit renamed: SUMMARY and LOCATION of its drills change, so does their SEQUENCE; no other */
    drill_unit u = DRILL_UNIT_INIT;
    assert_int_equal(drill_units_get(&u, w.units, 0), 0);
    char unit_id[128], renamed[256];
    snprintf(unit_id, sizeof unit_id, "%s", u.id);
    snprintf(renamed, sizeof renamed, "%s（新名）", u.name);
    u.name = renamed;
    assert_int_equal(drill_units_update(w.units, &u), 0);
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    assert_int_equal(written, 1);
    assert_int_equal(read_stamps(b, MAX, path), n);
    size_t risen = 0;
    for (size_t k = 0; k < n; k++) {
        const stamps *was = stamp_of(a, n, b[k].id);
        int ours = strncmp(b[k].id, unit_id, strlen(unit_id)) == 0 && b[k].id[strlen(unit_id)] == '/';
        if (ours) {
            assert_int_equal(b[k].sequence, was->sequence + 1);
            assert_true(strcmp(b[k].modified, was->modified) >= 0);
            risen++;
        } else {
            assert_int_equal(b[k].sequence, was->sequence);
            assert_string_equal(b[k].modified, was->modified);
        }
    }
    assert_true(risen > 0);
    /* a drill moved by hand: its SEQUENCE rises once, LAST-MODIFIED does not go back */
    memcpy(a, b, n * sizeof *a);
    drill_item it = DRILL_ITEM_INIT;
    size_t i = 0;
    drill_date to = { 0, 0, 0 };
    for (; i < drill_plan_count(w.plan) && !to.year; i++) {
        drill_plan_get(&it, w.plan, i);
        if (it.status != DRILL_STATUS_SCHEDULED)
            continue;
        for (int d = -20; d <= 20 && !to.year; d++) {
            drill_date day;
            if (d && drill_date_add_days(&day, it.date, d) == 0 && day.year == 2026 &&
                drill_track_reschedule(w.plan, it.id, day, "t", "moved") == 0)
                to = day;
        }
    }
    assert_true(to.year != 0);
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    assert_int_equal(read_stamps(b, MAX, path), n);
    const stamps *moved = stamp_of(b, n, it.id), *before = stamp_of(a, n, it.id);
    assert_true(moved->sequence > before->sequence);
    assert_true(strcmp(moved->modified, before->modified) >= 0);
    /* the plan replaced by a new one (revisions start again at 0): no SEQUENCE falls */
    memcpy(a, b, n * sizeof *a);
    drill_plan_free(w.plan);
    w.plan = NULL;
    world_plan(&w);
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    size_t m = read_stamps(b, MAX, path);
    for (size_t k = 0; k < m; k++) {
        const stamps *was = stamp_of(a, n, b[k].id);
        if (b[k].sequence < was->sequence)
            fail_msg("%s: SEQUENCE %d after %d", b[k].id, b[k].sequence, was->sequence);
    }
    /* a file that is not a feed (or a broken one) is replaced as if new */
    write_text(path, "not a calendar\r\n\xff\xfe");
    assert_int_equal(drill_feed_write_file(&written, w.plan, path, NULL), 0);
    assert_int_equal(written, 1);
    assert_int_equal(read_stamps(b, MAX, path), m);
    free(a);
    free(b);
    rm_rf(dir);
    world_free(&w);
}

static void test_cancelled_keeps_its_day(void **state)
{
    (void)state;
    world w;
    world_generate(&w, 20);
    world_plan(&w);
    drill_item it = DRILL_ITEM_INIT;
    size_t i = 0;
    for (; i < drill_plan_count(w.plan); i++) {
        drill_plan_get(&it, w.plan, i);
        if (it.status == DRILL_STATUS_SCHEDULED)
            break;
    }
    assert_true(i < drill_plan_count(w.plan));
    drill_date day = it.date;
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", it.id);
    assert_int_equal(drill_track_cancel(w.plan, id, "t", "停业"), 0);
    drill_plan_get(&it, w.plan, i);
    assert_int_equal(it.status, DRILL_STATUS_CANCELLED);
    assert_date(it.date, day.year, day.month, day.day);
    /* the feed keeps the event on its day, cancelled: never an all-day event over its window */
    char want[64];
    snprintf(want, sizeof want, "DTSTART;TZID=Asia/Shanghai:%04d%02d%02dT", day.year, day.month, day.day);
    size_t len;
    char *text = write_feed(&w, "cancelled-day.ics", NULL, &len);
    char *ev = event_text(text, id);
    if (!strstr(ev, want) || strstr(ev, "VALUE=DATE") || !strstr(ev, "STATUS:CANCELLED"))
        fail_msg("the cancelled drill is not on %04d-%02d-%02d:\n%s", day.year, day.month, day.day, ev);
    free(ev);
    free(text);
    /* and after a store round trip */
    char path[512];
    snprintf(path, sizeof path, "/tmp/drill-cancelled-%ld.db", (long)getpid());
    remove(path);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, w.plan), 0);
    world v;
    memset(&v, 0, sizeof v);
    assert_int_equal(drill_store_load(&v.plan, &v.units, &v.rules, &v.campaigns, &v.cal, s, 2026), 0);
    drill_store_close(s);
    drill_plan_get(&it, v.plan, i);
    assert_string_equal(it.id, id);
    assert_int_equal(it.status, DRILL_STATUS_CANCELLED);
    assert_date(it.date, day.year, day.month, day.day);
    /* the day is not booked: a reschedule may place another drill there; reinstated, it has no day */
    assert_int_equal(drill_plan_schedule(NULL, v.plan, NULL), 0);
    drill_plan_get(&it, v.plan, i);
    assert_date(it.date, day.year, day.month, day.day);
    assert_int_equal(drill_track_reinstate(v.plan, id, "t", "复业"), 0);
    drill_plan_get(&it, v.plan, i);
    assert_int_equal(it.status, DRILL_STATUS_PLANNED);
    assert_int_equal(it.date.year, 0);
    world_free(&v);
    remove(path);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    remove(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    remove(wal);
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_city_feed),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_every_length),
        cmocka_unit_test(test_uids_as_libuuid),
        cmocka_unit_test(test_stable_and_unchanged),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_reading_foreign_and_broken),
        cmocka_unit_test(test_busy_recurring),
        cmocka_unit_test(test_safe_files),
        cmocka_unit_test(test_feed_set_names),
        cmocka_unit_test(test_event_text_and_times),
        cmocka_unit_test(test_bom_and_long_lines),
        cmocka_unit_test(test_sequence_follows_changes),
        cmocka_unit_test(test_cancelled_keeps_its_day),
    };
    int rc = cmocka_run_group_tests_name("feed", tests, NULL, NULL);
    icaltimezone_free_builtin_timezones();
    return rc;
}
