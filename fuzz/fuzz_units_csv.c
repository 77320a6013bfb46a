/* libFuzzer target: drill_units_import_csv_buffer() on arbitrary bytes, into
 * a fresh registry or (for about one input in four) a copy of one that
 * already holds a few units, so ids clashing with existing units are
 * exercised; with the default options, all_errors, skip_bad_rows or a small
 * max_errors, picked from the input. Checks the error, the report and all or
 * nothing; after a successful import, exports the registry, imports the
 * export into a fresh registry and checks every unit and its blackout days
 * came back the same. Every documented promise that fails aborts (see
 * fuzz_common.h). */
#include <unistd.h>
#include "fuzz_common.h"

#define SOURCE "fuzz.csv"
/* at most this many (unit, day) blackout queries per input on each registry */
#define FUZZ_MAX_BLACKOUT_QUERIES 200000
/* the years whose every day is compared: 2026, 2027 and up to this many more found in the input */
#define FUZZ_MAX_EXTRA_YEARS 4

/* drill_units_import_csv_buffer's documented failures for a valid call */
static const int documented[] = { DRILL_EPARSE, DRILL_EEXISTS, DRILL_ENOTFOUND, DRILL_ENOMEM, 0 };

static int is_documented(int rc)
{
    for (const int *c = documented; *c; c++)
        if (*c == rc)
            return 1;
    return 0;
}

/* a registry holding a few units (built once): their ids are the seeds' ids */
static drill_units *fuzz_units(int populated)
{
    static drill_units *base;
    drill_units *u = NULL;
    if (!populated) {
        FUZZ_CHECK(drill_units_new(&u) == 0);
        return u;
    }
    if (!base) {
        FUZZ_CHECK(drill_units_new(&base) == 0);
        drill_unit a = DRILL_UNIT_INIT;
        a.id = "U001";
        a.name = "大连港集团";
        a.area = "大连市/中山区/人民路街道";
        a.unit_class = "hazardous-chemicals";
        a.address = "人民路1号";
        a.contact = "王伟";
        a.phone = "0411-82000000";
        a.headcount = 350;
        a.risk = DRILL_RISK_MAJOR;
        a.flood_prone = 1;
        FUZZ_CHECK(drill_units_add(base, &a) == 0);
        drill_date f, t;
        FUZZ_CHECK(drill_date_make(&f, 2026, 10, 1) == 0 && drill_date_make(&t, 2026, 10, 7) == 0);
        FUZZ_CHECK(drill_units_add_blackout(base, "U001", f, t) == 0);
        drill_unit b = DRILL_UNIT_INIT;
        b.id = "DL000001";
        b.name = "大连市第一中学";
        b.area = "大连市/西岗区";
        b.unit_class = "school";
        b.headcount = 2400;
        FUZZ_CHECK(drill_units_add(base, &b) == 0);
        FUZZ_CHECK(drill_date_make(&f, 2027, 7, 15) == 0);
        FUZZ_CHECK(drill_units_add_blackout(base, "DL000001", f, f) == 0);
        drill_unit c = DRILL_UNIT_INIT;
        c.id = "商场-7";
        c.name = "\"万达\", 广场";
        c.area = "大连市/沙河口区/星海湾街道";
        c.unit_class = "key-fire-unit";
        c.contact = " 李 娜 ";
        c.risk = DRILL_RISK_LOW;
        FUZZ_CHECK(drill_units_add(base, &c) == 0);
    }
    FUZZ_CHECK(drill_units_dup(&u, base) == 0);
    return u;
}

/* the documented contract of a failed import */
static void check_failure(int rc, const uint8_t *data, size_t size)
{
    fuzz_check_failure(rc, SOURCE); /* rc < 0, == drill_error_last()->code, a message */
    const drill_error *e = drill_error_last();
    if (rc == DRILL_EPARSE || rc == DRILL_EEXISTS || rc == DRILL_ENOTFOUND) {
        FUZZ_CHECK(e->line >= 1);
        FUZZ_CHECK(e->column >= 1);
        FUZZ_CHECK(strcmp(e->source, SOURCE) == 0);
    }
    if (!is_documented(rc))
        fuzz_note_undocumented("drill_units_import_csv_buffer", rc, data, size);
}

static void check_report(const drill_import_report *rep, const drill_import_options *o, const uint8_t *data,
                         size_t size)
{
    size_t n = drill_import_report_count(rep);
    int all = o && (o->all_errors || o->skip_bad_rows);
    size_t max = o && o->max_errors > 0 ? (size_t)o->max_errors : 1000;
    if (all)
        FUZZ_CHECK(n <= max);
    for (size_t i = 0; i < n; i++) {
        drill_import_error e = DRILL_IMPORT_ERROR_INIT;
        memset(&e, 0xAB, sizeof e);
        e.version = DRILL_IMPORT_ERROR_VERSION;
        FUZZ_CHECK(drill_import_report_get(&e, rep, i) == 0);
        FUZZ_CHECK(e.code < 0);
        FUZZ_CHECK(e.line >= 1);
        FUZZ_CHECK(e.column >= 1);
        FUZZ_CHECK(e.message != NULL && e.message[0] != '\0');
        if (!is_documented(e.code))
            fuzz_note_undocumented("drill_units_import_csv_buffer (a report entry)", e.code, data, size);
    }
    drill_import_error e = DRILL_IMPORT_ERROR_INIT;
    FUZZ_CHECK(drill_import_report_get(&e, rep, n) == DRILL_ENOTFOUND);
}

static void report_unit_mismatch(const char *field, size_t index, const char *a, const char *b)
{
    fprintf(stderr, "ROUND TRIP MISMATCH: unit %zu, field %s: imported '%s', after export and import '%s'\n",
            index, field, a, b);
}

/* unit index of a and b: the same fields */
static void check_same_unit(const drill_units *a, const drill_units *b, size_t i)
{
    drill_unit x = DRILL_UNIT_INIT, y = DRILL_UNIT_INIT;
    FUZZ_CHECK(drill_units_get(&x, a, i) == 0);
    FUZZ_CHECK(drill_units_get(&y, b, i) == 0);
    const char *names[] = { "id", "name", "area", "unit_class", "address", "contact", "phone" };
    const char *xs[] = { x.id, x.name, x.area, x.unit_class, x.address, x.contact, x.phone };
    const char *ys[] = { y.id, y.name, y.area, y.unit_class, y.address, y.contact, y.phone };
    for (int k = 0; k < 7; k++) {
        FUZZ_CHECK(xs[k] != NULL && ys[k] != NULL);
        if (strcmp(xs[k], ys[k]) != 0)
            report_unit_mismatch(names[k], i, xs[k], ys[k]);
        FUZZ_CHECK(strcmp(xs[k], ys[k]) == 0);
    }
    char xb[32], yb[32];
    const char *inames[] = { "headcount", "risk", "flood_prone", "key_fire" };
    int xi[] = { x.headcount, (int)x.risk, x.flood_prone, x.key_fire };
    int yi[] = { y.headcount, (int)y.risk, y.flood_prone, y.key_fire };
    for (int k = 0; k < 4; k++) {
        if (xi[k] != yi[k]) {
            snprintf(xb, sizeof xb, "%d", xi[k]);
            snprintf(yb, sizeof yb, "%d", yi[k]);
            report_unit_mismatch(inames[k], i, xb, yb);
        }
        FUZZ_CHECK(xi[k] == yi[k]);
    }
    size_t at = (size_t)-1;
    FUZZ_CHECK(drill_units_find(&at, b, y.id) == 0 && at == i);
}

/* the years to compare blackouts over: 2026, 2027 and the first few others
 * written as a date start ("YYYY-") in the input */
static int blackout_years(int years[], const uint8_t *data, size_t size)
{
    int n = 0;
    years[n++] = 2026;
    years[n++] = 2027;
    for (size_t i = 0; i + 4 < size && n < 2 + FUZZ_MAX_EXTRA_YEARS; i++) {
        if (i > 0 && data[i - 1] >= '0' && data[i - 1] <= '9')
            continue;
        int y = 0, k;
        for (k = 0; k < 4 && data[i + k] >= '0' && data[i + k] <= '9'; k++)
            y = y * 10 + (data[i + k] - '0');
        if (k < 4 || data[i + 4] != '-' || y < DRILL_DATE_MIN_YEAR || y > DRILL_DATE_MAX_YEAR)
            continue;
        int seen = 0;
        for (int j = 0; j < n; j++)
            seen |= years[j] == y;
        if (!seen)
            years[n++] = y;
    }
    return n;
}

/* every day of the years: a and b agree on each unit's blackouts (within the query budget) */
static void check_same_blackouts(const drill_units *a, const drill_units *b, const uint8_t *data, size_t size)
{
    int years[2 + FUZZ_MAX_EXTRA_YEARS];
    int ny = blackout_years(years, data, size);
    size_t count = drill_units_count(a);
    if (!count)
        return;
    size_t per_unit = (size_t)ny * 366;
    size_t stride = (count * per_unit + FUZZ_MAX_BLACKOUT_QUERIES - 1) / FUZZ_MAX_BLACKOUT_QUERIES;
    if (stride < 1)
        stride = 1;
    for (int k = 0; k < ny; k++) {
        drill_date first;
        int s0, s1;
        FUZZ_CHECK(drill_date_make(&first, years[k], 1, 1) == 0);
        FUZZ_CHECK(drill_date_to_serial(&s0, first) == 0);
        s1 = s0 + 365 + drill_date_is_leap_year(years[k]);
        for (int s = s0; s < s1; s++) {
            drill_date d;
            FUZZ_CHECK(drill_date_from_serial(&d, s) == 0);
            for (size_t i = (size_t)(s % (int)stride) % count; i < count; i += stride) {
                int x = -1, y = -1;
                FUZZ_CHECK(drill_units_is_blacked_out(&x, a, i, d) == 0);
                FUZZ_CHECK(drill_units_is_blacked_out(&y, b, i, d) == 0);
                FUZZ_CHECK(x == 0 || x == 1);
                if (x != y)
                    fprintf(stderr, "ROUND TRIP MISMATCH: unit %zu, blackout on %04d-%02d-%02d: imported %d, "
                                    "after export and import %d\n",
                            i, d.year, d.month, d.day, x, y);
                FUZZ_CHECK(x == y);
            }
        }
    }
}

/* read a whole file; NULL if it cannot */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* export units, import the file into a fresh registry: the same units and
 * blackouts; exporting that gives the same bytes */
static void check_round_trip(const drill_units *units, const uint8_t *data, size_t size)
{
    static char path[64], path2[64];
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/fuzz_units_csv.%ld.csv", (long)getpid());
        snprintf(path2, sizeof path2, "/tmp/fuzz_units_csv.%ld.again.csv", (long)getpid());
    }
    FUZZ_CHECK(drill_units_export_csv(units, path) == 0);
    drill_units *back = NULL;
    FUZZ_CHECK(drill_units_new(&back) == 0);
    drill_import_report *rep = NULL;
    size_t n = (size_t)-1;
    int rc = drill_units_import_csv(&rep, &n, back, path, NULL);
    if (rc != 0) {
        const drill_error *e = drill_error_last();
        fprintf(stderr, "ROUND TRIP: the export does not import: %d at line %d column %d: %s\n", rc, e->line,
                e->column, e->message);
    }
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(drill_import_report_count(rep) == 0);
    drill_import_report_free(rep);
    FUZZ_CHECK(n == drill_units_count(units));
    FUZZ_CHECK(drill_units_count(back) == drill_units_count(units));
    for (size_t i = 0; i < n; i++)
        check_same_unit(units, back, i);
    check_same_blackouts(units, back, data, size);

    FUZZ_CHECK(drill_units_export_csv(back, path2) == 0);
    size_t l1 = 0, l2 = 0;
    char *b1 = slurp(path, &l1), *b2 = slurp(path2, &l2);
    FUZZ_CHECK(b1 != NULL && b2 != NULL);
    if (l1 != l2 || memcmp(b1, b2, l1) != 0)
        fprintf(stderr, "ROUND TRIP MISMATCH: exporting the re-imported registry gives other bytes\n");
    FUZZ_CHECK(l1 == l2 && memcmp(b1, b2, l1) == 0);
    free(b1);
    free(b2);
    remove(path);
    remove(path2);
    drill_units_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t h = fuzz_hash(data, size);
    /* the options: defaults (NULL or INIT), all_errors, skip_bad_rows, or a small max_errors */
    drill_import_options opts = DRILL_IMPORT_OPTIONS_INIT;
    const drill_import_options *o = &opts;
    switch ((h >> 2) & 3) {
    case 0:
        if (h & 16)
            o = NULL;
        break;
    case 1:
        opts.all_errors = 1;
        break;
    case 2:
        opts.skip_bad_rows = 1;
        break;
    case 3:
        opts.all_errors = 1;
        opts.skip_bad_rows = (h >> 4) & 1;
        opts.max_errors = 1 + (int)((h >> 5) % 3);
        break;
    }
    drill_units *units = fuzz_units((h & 3) == 0);
    size_t before = drill_units_count(units);
    char id0[128] = ""; /* the first unit's id, copied: borrowed strings go stale when the registry changes */
    if (before) {
        drill_unit u = DRILL_UNIT_INIT;
        FUZZ_CHECK(drill_units_get(&u, units, 0) == 0);
        snprintf(id0, sizeof id0, "%s", u.id);
    }

    drill_import_report *rep = NULL;
    size_t imported = (size_t)-1;
    drill_error_clear();
    int rc = drill_units_import_csv_buffer(&rep, &imported, units, (const char *)data, size, SOURCE, o);
    size_t after = drill_units_count(units);
    if (rc != 0) {
        check_failure(rc, data, size);
        FUZZ_CHECK(after == before); /* all or nothing */
        FUZZ_CHECK(imported == 0);
    } else {
        FUZZ_CHECK(imported != (size_t)-1);
        FUZZ_CHECK(after == before + imported);
    }
    if (rc != DRILL_ENOMEM) {
        FUZZ_CHECK(rep != NULL); /* also when there are no errors */
        check_report(rep, o, data, size);
        if (rc == 0 && !(o && o->skip_bad_rows))
            FUZZ_CHECK(drill_import_report_count(rep) == 0);
        if (rc != 0 && o && (o->all_errors || o->skip_bad_rows))
            FUZZ_CHECK(drill_import_report_count(rep) >= 1); /* every bad row is reported */
    }
    drill_import_report_free(rep);
    if (before) { /* the units there before are still there, first */
        drill_unit u = DRILL_UNIT_INIT;
        FUZZ_CHECK(drill_units_get(&u, units, 0) == 0);
        FUZZ_CHECK(strcmp(u.id, id0) == 0);
    }
    if (rc == 0)
        check_round_trip(units, data, size);
    drill_units_free(units);
    return 0;
}
