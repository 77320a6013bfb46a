/* libFuzzer target: a unit's name and address through a feed and back.
 *
 * The input is split at its first NUL (or, without one, halfway) into a
 * name and an address (each up to its own first NUL). A unit with them is
 * added if drill_units_add() accepts them (it must accept exactly the
 * non-empty UTF-8 names and the UTF-8 addresses); a one-rule plan of 2026
 * (scheduled or not, Chinese or English, with or without an alarm, picked
 * from the input) is written with drill_feed_write_file() to a per-process
 * temporary file, and read back with the feed reader.
 *
 * Checked with abort() (see fuzz_common.h): the file has CRLF line ends
 * only, physical lines of at most 75 octets each valid UTF-8 on its own
 * (folding never splits a character), no empty continuation, and every
 * other line starts with a property name; the reader returns the one event
 * and then the end, tolerating nothing (but an empty LOCATION, reported
 * once as an UNDOCUMENTED: line); the event's LOCATION is the address
 * and its SUMMARY the kind, scenario and name, as feed.c's text() writes a
 * TEXT value and libical reads it back: CR LF and a lone CR become LF, LF
 * stays, every other control character (0x00-0x1F, 0x7F) is dropped,
 * everything else is kept; libical drops a value's leading and trailing
 * spaces, which is reported once as an UNDOCUMENTED: line. A logical line is at most 4095 octets in the
 * writer: when the expected value does not fit, only a well-formed file is
 * required and the truncation is reported once as an UNDOCUMENTED: line. */
#include <unistd.h>
#include "fuzz_common.h"

#define YEAR 2026
#define LINE_MAX_OCTETS 4095 /* feed.c: writer.line[4096] */

static char path[80];

static void remove_tmp(void)
{
    if (path[0])
        remove(path);
}

static const char *tmp_path(void)
{
    if (!path[0]) {
        /* the writer fsyncs: tmpfs when there is one */
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof path, "%s/fuzz_feed_names.%ld.ics", dir, (long)getpid());
        atexit(remove_tmp);
    }
    return path;
}

/* strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF) */
static int utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 1, min = 0x80, c &= 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 2, min = 0x800, c &= 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 3, min = 0x10000, c &= 0x07;
        else
            return 0;
        if (len - i <= n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}

/* What a TEXT value reads back as (feed.c text(), then libical's unescaping),
 * appended to out (of size cap); returns the octets the writer puts on the
 * line for it (escapes counted) */
static size_t expect_text(char *out, size_t *olen, size_t cap, const char *s)
{
    size_t written = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int emit = -1;
        if (c == '\\' || c == ';' || c == ',') {
            emit = c;
            written += 2;
        } else if (c == '\n') {
            emit = '\n';
            written += 2;
        } else if (c == '\r') {
            if (s[1] != '\n') {
                emit = '\n';
                written += 2;
            }
        } else if (c >= 0x20 && c != 0x7f) {
            emit = c;
            written += 1;
        }
        if (emit >= 0) {
            FUZZ_CHECK(*olen + 1 < cap);
            out[(*olen)++] = (char)emit;
            out[*olen] = '\0';
        }
    }
    return written;
}

static void note_once(int tag, const char *what, const char *got, const char *want)
{
    static unsigned char seen[8];
    if (tag < 0 || tag >= 8 || seen[tag])
        return;
    seen[tag] = 1;
    fprintf(stderr, "UNDOCUMENTED: %s (read %zu octets, expected %zu)\n", what, strlen(got), strlen(want));
}

static void show_mismatch(const char *field, const char *got, const char *want)
{
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    fprintf(stderr, "FEED ROUND TRIP MISMATCH in %s: read %zu octets, expected %zu, first difference at %zu: "
                    "read 0x%02x, expected 0x%02x\n",
            field, strlen(got), strlen(want), i, (unsigned char)got[i], (unsigned char)want[i]);
}

/* read back == expected, or, if the writer had to cut the line, a note */
static void check_value(const char *field, const char *got, const char *want, size_t line_octets)
{
    if (line_octets > LINE_MAX_OCTETS) {
        if (strcmp(got, want) != 0)
            note_once(strncmp(got, want, strlen(got)) == 0 ? 0 : 1,
                      strncmp(got, want, strlen(got)) == 0
                          ? "drill_feed_write: a value longer than a 4095-octet line is cut short silently"
                          : "drill_feed_write: a value longer than a 4095-octet line is cut, and what is left "
                            "is not a prefix of the value",
                      got, want);
        return;
    }
    if (strcmp(got, want) == 0)
        return;
    /* libical drops the spaces a value starts or ends with (RFC 5545 keeps them) */
    size_t a = 0, z = strlen(want);
    while (want[a] == ' ')
        a++;
    while (z > a && want[z - 1] == ' ')
        z--;
    if (strlen(got) == z - a && memcmp(got, want + a, z - a) == 0) {
        note_once(2, "a TEXT value's leading and trailing spaces are lost on the way back (libical trims them)",
                  got, want);
        return;
    }
    show_mismatch(field, got, want);
    FUZZ_CHECK(strcmp(got, want) == 0);
}

static int is_name_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* the bytes of the file: CRLF only, lines of at most 75 octets, each valid
 * UTF-8, continuations not empty, every other line a property */
static void check_bytes(const char *p)
{
    FILE *f = fopen(p, "rb");
    FUZZ_CHECK(f != NULL);
    static unsigned char *buf;
    static size_t cap;
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            buf = realloc(buf, cap);
            FUZZ_CHECK(buf != NULL);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (!got)
            break;
        n += got;
    }
    fclose(f);
    FUZZ_CHECK(n >= 2 && buf[n - 2] == '\r' && buf[n - 1] == '\n');
    int lnum = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && buf[e] != '\r' && buf[e] != '\n')
            e++;
        lnum++;
        if (!(e + 1 < n && buf[e] == '\r' && buf[e + 1] == '\n') || e - i > 75 || !utf8_valid(buf + i, e - i)) {
            fprintf(stderr, "feed line %d (%zu octets) is not a CRLF line of at most 75 octets of UTF-8: %.*s\n",
                    lnum, e - i, (int)(e - i < 120 ? e - i : 120), (const char *)buf + i);
        }
        FUZZ_CHECK(e + 1 < n && buf[e] == '\r' && buf[e + 1] == '\n');
        FUZZ_CHECK(e - i <= 75);
        FUZZ_CHECK(utf8_valid(buf + i, e - i));
        if (buf[i] == ' ' || buf[i] == '\t') {
            FUZZ_CHECK(e - i >= 2); /* a continuation carries something */
        } else {
            size_t k = i;
            while (k < e && is_name_char(buf[k]))
                k++;
            if (!(k > i && k < e && (buf[k] == ':' || buf[k] == ';')))
                fprintf(stderr, "feed line %d does not start with a property name: %.*s\n", lnum,
                        (int)(e - i < 120 ? e - i : 120), (const char *)buf + i);
            FUZZ_CHECK(k > i && k < e && (buf[k] == ':' || buf[k] == ';'));
        }
        i = e + 2;
    }
}

/* built once: one rule, no campaign, the China calendar */
static drill_rules *rules;
static drill_campaigns *campaigns;
static drill_calendar *cal;

static void build_world(void)
{
    if (rules)
        return;
    FUZZ_CHECK(drill_rules_new(&rules) == 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "r1";
    r.name = "消防演练";
    r.kind = DRILL_KIND_SPECIAL;
    r.form = DRILL_FORM_LIVE;
    r.frequency = DRILL_FREQ_YEARLY;
    FUZZ_CHECK(drill_rules_add(rules, &r) == 0);
    FUZZ_CHECK(drill_campaigns_new(&campaigns) == 0);
    FUZZ_CHECK(drill_calendar_new_china(&cal) == 0);
}

static char *dup_n(const uint8_t *s, size_t n)
{
    char *d = malloc(n + 1);
    FUZZ_CHECK(d != NULL);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = fuzz_hash(data, size);
    const uint8_t *nul = memchr(data, 0, size);
    size_t split = nul ? (size_t)(nul - data) : size / 2;
    char *name = dup_n(data, split);
    char *address = nul ? dup_n(nul + 1, size - split - 1) : dup_n(data + split, size - split);
    /* strings end at their first NUL */
    int name_ok = name[0] && utf8_valid((const unsigned char *)name, strlen(name));
    int address_ok = utf8_valid((const unsigned char *)address, strlen(address));

    build_world();
    drill_units *units = NULL;
    FUZZ_CHECK(drill_units_new(&units) == 0);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "U1";
    u.name = name;
    u.area = "大连市/中山区";
    u.unit_class = "school";
    u.address = address;
    u.headcount = 100;
    drill_error_clear();
    int rc = drill_units_add(units, &u);
    if (rc != 0) {
        fuzz_check_failure(rc, "");
        FUZZ_CHECK(rc == DRILL_EINVAL);
        FUZZ_CHECK(!name_ok || !address_ok); /* it refused a good name and address */
        goto done;
    }
    FUZZ_CHECK(name_ok && address_ok); /* it took a bad one */

    drill_plan *plan = NULL;
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = YEAR;
    FUZZ_CHECK(drill_plan_new(&plan, units, rules, campaigns, cal, &po) == 0);
    FUZZ_CHECK(drill_plan_count(plan) == 1);
    if (h & 1)
        FUZZ_CHECK(drill_plan_schedule(NULL, plan, NULL) == 0);
    drill_item it = DRILL_ITEM_INIT;
    FUZZ_CHECK(drill_plan_get(&it, plan, 0) == 0);

    drill_feed_options fo = DRILL_FEED_OPTIONS_INIT;
    fo.english = (h >> 1) & 1;
    fo.alarm_minutes = (h & 4) ? 30 : 0;
    int written = -1;
    drill_error_clear();
    FUZZ_CHECK(drill_feed_write_file(&written, plan, tmp_path(), &fo) == 0);
    FUZZ_CHECK(written == 0 || written == 1);
    check_bytes(path);

    /* what the reader must give back */
    size_t cap = 2 * size + 256;
    char *want_loc = malloc(cap), *want_sum = malloc(cap), *want_desc = malloc(cap);
    FUZZ_CHECK(want_loc && want_sum && want_desc);
    size_t ll = 0, sl = 0, dl = 0;
    want_loc[0] = want_sum[0] = want_desc[0] = '\0';
    size_t loc_octets = strlen("LOCATION:") + expect_text(want_loc, &ll, cap, address);
    /* an address of nothing but control characters and blanks is left out */
    int printable = 0;
    for (const char *p = address; *p && !printable; p++)
        printable = (unsigned char)*p > 0x20 && *p != 0x7f;
    if (!printable) {
        want_loc[0] = '\0';
        ll = 0;
        loc_octets = 0;
    }
    const char *kind = drill_kind_name(it.kind, fo.english), *scen = drill_scenario_name(it.scenario, fo.english);
    size_t sum_octets = strlen("SUMMARY:");
    sum_octets += expect_text(want_sum, &sl, cap, kind);
    sum_octets += expect_text(want_sum, &sl, cap, fo.english ? " drill (" : "·");
    sum_octets += expect_text(want_sum, &sl, cap, scen);
    sum_octets += expect_text(want_sum, &sl, cap, fo.english ? "): " : "：");
    sum_octets += expect_text(want_sum, &sl, cap, name);
    /* DESCRIPTION starts with the unit's name, ends with the drill id; its
     * other fields take well under 1024 octets */
    size_t desc_octets = strlen("DESCRIPTION:") + 1024;
    desc_octets += expect_text(want_desc, &dl, cap, fo.english ? "Unit: " : "单位：");
    desc_octets += expect_text(want_desc, &dl, cap, name);
    desc_octets += expect_text(want_desc, &dl, cap, "\n");

    drill_feed_reader *r = NULL;
    FUZZ_CHECK(drill_feed_reader_open(&r, path) == 0);
    drill_feed_event ev = DRILL_FEED_EVENT_INIT;
    drill_error_clear();
    rc = drill_feed_reader_next(&ev, r);
    if (rc != 1) {
        const drill_error *e = drill_error_last();
        fprintf(stderr, "the reader refused the writer's feed: %d at line %d: %s\n", rc, e->line, e->message);
    }
    FUZZ_CHECK(rc == 1);
    FUZZ_CHECK(ev.is_drill == 1);
    FUZZ_CHECK(strcmp(ev.drill_id, it.id) == 0);
    FUZZ_CHECK(strcmp(ev.unit_id, "U1") == 0);
    FUZZ_CHECK(ev.all_day == (it.status == DRILL_STATUS_PLANNED));
    check_value("LOCATION", ev.location, want_loc, loc_octets);
    check_value("SUMMARY", ev.summary, want_sum, sum_octets);
    if (desc_octets <= LINE_MAX_OCTETS) {
        size_t idl = strlen(it.id) + 8;
        char *tail = malloc(idl + 32);
        FUZZ_CHECK(tail != NULL);
        snprintf(tail, idl + 32, "%s%s\n", fo.english ? "Drill: " : "编号：", it.id);
        size_t dlen = strlen(ev.description), tl = strlen(tail);
        if (strncmp(ev.description, want_desc, dl) != 0)
            show_mismatch("DESCRIPTION (its start)", ev.description, want_desc);
        FUZZ_CHECK(strncmp(ev.description, want_desc, dl) == 0);
        FUZZ_CHECK(dlen >= tl && strcmp(ev.description + dlen - tl, tail) == 0);
        free(tail);
    }
    drill_error_clear();
    rc = drill_feed_reader_next(&ev, r);
    FUZZ_CHECK(rc == 0);
    const char *what = NULL;
    size_t tolerated = drill_feed_reader_tolerated(&what, r);
    /* an address that is nothing but control characters or spaces is written
     * left out (it would read back empty); nothing may be tolerated */
    size_t a = strspn(want_loc, " ");
    (void)a;
    if (tolerated)
        fprintf(stderr, "the reader tolerated %zu things in the writer's feed: %s\n", tolerated, what);
    FUZZ_CHECK(tolerated == 0);
    drill_feed_reader_free(r);
    free(want_loc);
    free(want_sum);
    free(want_desc);
    drill_plan_free(plan);
done:
    drill_units_free(units);
    free(name);
    free(address);
    return 0;
}
