/* libFuzzer target: the streaming feed reader (drill_feed_reader_open/next/
 * tolerated/free) on arbitrary bytes, and, for about one input in four,
 * drill_feed_import_busy() of the same bytes into a small scheduled plan.
 *
 * The reader takes a path: each input is written to a per-process temporary
 * file (/tmp/fuzz_feed_read.PID.ics, overwritten every run, removed at exit).
 *
 * Checked with abort() (see fuzz_common.h): every failure is negative, is
 * drill_error_last()->code and has a message; DRILL_EPARSE names the path, a
 * line >= 1 within the input and a column >= 1; every event has valid dates,
 * minutes in 0..1440, no NULL string, a line >= 1 within the input, a valid
 * window or none; at the end, next keeps answering 0; tolerated() never
 * crashes and gives a description. The import answers what the reader
 * answered (or DRILL_ENOTFOUND for an unknown district), closes as many days
 * as the events cover in the plan's year, and the plan schedules again with
 * no violation and no drill of the district on a day the import closed.
 * Deviations from the header's wording that are not crashes are printed
 * once each as UNDOCUMENTED: lines. */
#include <unistd.h>
#include "fuzz_common.h"

#define YEAR 2026
#define NDAYS 366

static char path[64];

static void remove_tmp(void)
{
    if (path[0])
        remove(path);
}

static const char *tmp_path(void)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/fuzz_feed_read.%ld.ics", (long)getpid());
        atexit(remove_tmp);
    }
    return path;
}

static void write_input(const char *p, const uint8_t *data, size_t size)
{
    FILE *f = fopen(p, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(size == 0 || fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
}

/* physical lines as the reader counts them (getline: split at LF only); at least 1 */
static int count_lines(const uint8_t *data, size_t size)
{
    int n = 0;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    if (size && data[size - 1] != '\n')
        n++;
    return n ? n : 1;
}

/* a deviation from the header's wording that is not worth stopping for: once per tag */
static void note_once(int tag, const char *what, const uint8_t *data, size_t size)
{
    static unsigned char seen[32];
    if (tag < 0 || tag >= 32 || seen[tag])
        return;
    seen[tag] = 1;
    fprintf(stderr, "UNDOCUMENTED: %s\n  input:", what);
    for (size_t k = 0; k < size && k < 400; k++)
        fputc(data[k] >= 0x20 && data[k] < 0x7f ? data[k] : data[k] == '\n' ? '|' : '.', stderr);
    fputs(size > 400 ? "...\n" : "\n", stderr);
}

/* days of YEAR that the events (not cancelled) cover, as drill_feed_import_busy() documents */
typedef struct busy {
    unsigned char day[NDAYS]; /* by day of the year */
    size_t distinct;          /* days marked */
    size_t pairs;             /* (event, day) pairs: close_day calls */
    int first;                /* serial of January 1 */
    int ndays;
} busy;

static void busy_init(busy *b)
{
    memset(b, 0, sizeof *b);
    drill_date jan1;
    FUZZ_CHECK(drill_date_make(&jan1, YEAR, 1, 1) == 0);
    FUZZ_CHECK(drill_date_to_serial(&b->first, jan1) == 0);
    b->ndays = 365 + drill_date_is_leap_year(YEAR);
}

static void busy_add(busy *b, const drill_feed_event *ev)
{
    if (strcmp(ev->status, "CANCELLED") == 0)
        return;
    int a, z;
    FUZZ_CHECK(drill_date_to_serial(&a, ev->start) == 0);
    if (drill_date_to_serial(&z, ev->end) != 0) { /* the exclusive end after 2200-12-31 */
        FUZZ_CHECK(ev->all_day && ev->end.year == 2201);
        FUZZ_CHECK(drill_date_to_serial(&z, (drill_date){ 2200, 12, 31 }) == 0);
        z++;
    }
    if (ev->all_day && z > a)
        z--; /* an all-day DTEND is exclusive */
    if (a < b->first)
        a = b->first;
    if (z > b->first + b->ndays - 1)
        z = b->first + b->ndays - 1;
    for (int s = a; s <= z; s++) {
        b->pairs++;
        if (!b->day[s - b->first]++)
            b->distinct++;
    }
}

static void check_event(const drill_feed_event *ev, int nlines, const uint8_t *data, size_t size)
{
    FUZZ_CHECK(drill_date_check(ev->start) == 0);
    /* an all-day event's exclusive end may lie one day past 2200-12-31 */
    FUZZ_CHECK(drill_date_check(ev->end) == 0 ||
               (ev->all_day && ev->end.year == 2201 && ev->end.month == 1 && ev->end.day == 1));
    FUZZ_CHECK(ev->start_minute >= 0 && ev->start_minute <= 1440);
    FUZZ_CHECK(ev->end_minute >= 0 && ev->end_minute <= 1440);
    const char *strings[] = { ev->uid,    ev->summary,  ev->description, ev->location, ev->status,
                              ev->tzid,   ev->drill_id, ev->unit_id,     ev->rule_id,  ev->period,
                              ev->district, ev->kind,   ev->form,        ev->scenario, ev->campaign,
                              ev->drill_status };
    size_t total = 0;
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        FUZZ_CHECK(strings[i] != NULL);
        total += strlen(strings[i]); /* readable to its NUL (ASan) */
    }
    (void)total;
    FUZZ_CHECK(ev->line >= 1 && ev->line <= nlines);
    FUZZ_CHECK(ev->is_drill == (ev->drill_id[0] != '\0'));
    FUZZ_CHECK(ev->all_day == 0 || ev->all_day == 1);
    FUZZ_CHECK(ev->observer == 0 || ev->observer == 1);
    if (ev->window_start.year == 0 || ev->window_end.year == 0) {
        FUZZ_CHECK(ev->window_start.year == 0 && ev->window_end.year == 0);
    } else {
        FUZZ_CHECK(drill_date_check(ev->window_start) == 0);
        FUZZ_CHECK(drill_date_check(ev->window_end) == 0);
    }
    if (ev->all_day) {
        FUZZ_CHECK(ev->start_minute == 0 && ev->end_minute == 0);
        if (ev->tzid[0])
            note_once(0, "drill_feed_reader_next: an all-day event has a non-empty tzid (header: \"\" if all-day)",
                      data, size);
    }
}

/* the documented contract of a failure of the reader (or of the import) */
static void check_failure(const char *fn, int rc, int nlines, const uint8_t *data, size_t size)
{
    fuzz_check_failure(rc, path); /* < 0, the last error's code, a message; EPARSE: line, column, source */
    const drill_error *e = drill_error_last();
    if (rc == DRILL_EPARSE)
        FUZZ_CHECK(e->line <= nlines);
    if (rc != DRILL_EPARSE && rc != DRILL_EIO && rc != DRILL_ENOMEM && rc != DRILL_ENOTFOUND)
        fuzz_note_undocumented(fn, rc, data, size);
}

/* one pass of the reader over the file: the last answer of next (0 or < 0); events into *b */
static int read_all(busy *b, int nlines, const uint8_t *data, size_t size)
{
    drill_feed_reader *r = NULL;
    drill_error_clear();
    int rc = drill_feed_reader_open(&r, path);
    if (rc != 0) {
        check_failure("drill_feed_reader_open", rc, nlines, data, size);
        FUZZ_CHECK(rc != DRILL_EPARSE && rc != DRILL_ENOTFOUND);
        return rc;
    }
    FUZZ_CHECK(r != NULL);
    size_t last_tolerated = 0;
    for (;;) {
        drill_feed_event ev = DRILL_FEED_EVENT_INIT;
        memset(&ev, 0xAB, sizeof ev); /* what is not written shows */
        ev.version = DRILL_FEED_EVENT_VERSION;
        drill_error_clear();
        rc = drill_feed_reader_next(&ev, r);
        const char *what = NULL;
        size_t n = drill_feed_reader_tolerated(&what, r);
        FUZZ_CHECK(what != NULL);
        FUZZ_CHECK(n == drill_feed_reader_tolerated(NULL, r));
        if (n > 0 && (!what[0] || strchr(what, '\n')))
            note_once(1, "drill_feed_reader_tolerated: a count > 0 with an empty or multi-line description", data,
                      size);
        if (n < last_tolerated)
            note_once(2, "drill_feed_reader_tolerated: the count went down", data, size);
        last_tolerated = n;
        if (rc == 1) {
            check_event(&ev, nlines, data, size);
            busy_add(b, &ev);
            continue;
        }
        if (rc == 0) {
            drill_error_clear();
            FUZZ_CHECK(drill_feed_reader_next(&ev, r) == 0); /* the end stays the end */
            break;
        }
        check_failure("drill_feed_reader_next", rc, nlines, data, size);
        FUZZ_CHECK(rc != DRILL_ENOTFOUND);
        break;
    }
    FUZZ_CHECK(drill_feed_reader_tolerated(NULL, NULL) == 0);
    drill_feed_reader_free(r);
    return rc;
}

/* the plan's inputs, built once: 20 generated units, the presets, the
 * built-in campaigns, the China calendar */
static drill_units *units;
static drill_rules *rules;
static drill_campaigns *campaigns;
static drill_calendar *cal;

static void build_world(void)
{
    if (units)
        return;
    FUZZ_CHECK(drill_units_new(&units) == 0);
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = 20;
    FUZZ_CHECK(drill_units_generate(units, &g) == 0);
    FUZZ_CHECK(drill_rules_new_presets(&rules) == 0);
    FUZZ_CHECK(drill_campaigns_new_builtin(&campaigns, NULL) == 0);
    FUZZ_CHECK(drill_calendar_new_china(&cal) == 0);
}

/* a fresh scheduled plan for each import: closed days are for good */
static drill_plan *new_plan(void)
{
    build_world();
    drill_plan *p = NULL;
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = YEAR;
    FUZZ_CHECK(drill_plan_new(&p, units, rules, campaigns, cal, &o) == 0);
    FUZZ_CHECK(drill_plan_schedule(NULL, p, NULL) == 0);
    return p;
}

static void check_import(uint32_t h, int read_rc, const busy *b, int nlines, const uint8_t *data, size_t size)
{
    drill_plan *p = new_plan();
    const char *district = NULL;
    int unknown = ((h >> 2) & 7) == 7;
    if (unknown) {
        district = "大连市/无此区";
    } else if ((h >> 2) & 1) {
        size_t nd = drill_units_district_count(units);
        FUZZ_CHECK(nd > 0);
        FUZZ_CHECK(drill_units_district_name(&district, units, (h >> 5) % nd) == 0);
    }
    size_t days = (size_t)-1;
    drill_error_clear();
    int rc = drill_feed_import_busy(&days, p, path, district);
    if (rc != 0)
        check_failure("drill_feed_import_busy", rc, nlines, data, size);
    if (unknown) {
        FUZZ_CHECK(rc == DRILL_ENOTFOUND);
    } else {
        if (rc != read_rc) {
            const drill_error *e = drill_error_last();
            fprintf(stderr, "import_busy returned %d (%s at line %d), the reader %d\n", rc, e->message, e->line,
                    read_rc);
        }
        FUZZ_CHECK(rc == read_rc); /* it reads the same file */
        if (rc == 0) {
            FUZZ_CHECK(days >= b->distinct && days <= b->pairs);
        }
    }
    drill_quality q = DRILL_QUALITY_INIT;
    memset(&q, 0xAB, sizeof q);
    q.version = DRILL_QUALITY_VERSION;
    FUZZ_CHECK(drill_plan_schedule(&q, p, NULL) == 0);
    FUZZ_CHECK(q.violations == 0);
    size_t v = (size_t)-1;
    FUZZ_CHECK(drill_plan_validate(&v, p) == 0);
    FUZZ_CHECK(v == 0);
    if (rc == 0 && b->distinct) { /* no drill of the district on a day the import closed */
        for (size_t i = 0; i < drill_plan_count(p); i++) {
            drill_item it = DRILL_ITEM_INIT;
            FUZZ_CHECK(drill_plan_get(&it, p, i) == 0);
            if (it.status != DRILL_STATUS_SCHEDULED || (district && strcmp(it.district, district) != 0))
                continue;
            int s;
            FUZZ_CHECK(drill_date_to_serial(&s, it.date) == 0);
            if (s >= b->first && s < b->first + b->ndays && b->day[s - b->first]) {
                fprintf(stderr, "drill %s scheduled on %04d-%02d-%02d, a day the import closed\n", it.id,
                        it.date.year, it.date.month, it.date.day);
                FUZZ_CHECK(!b->day[s - b->first]);
            }
        }
    }
    drill_plan_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = fuzz_hash(data, size);
    write_input(tmp_path(), data, size);
    int nlines = count_lines(data, size);
    static busy b;
    busy_init(&b);
    int rc = read_all(&b, nlines, data, size);
    if ((h & 3) == 0)
        check_import(h, rc, &b, nlines, data, size);
    return 0;
}
