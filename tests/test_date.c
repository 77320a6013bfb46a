/* Civil dates: validation, arithmetic, weekdays, ISO weeks, parse and format. */
#include "testutil.h"

/* Zeller's congruence, an independent weekday (1 = Monday .. 7 = Sunday) */
static int zeller(int y, int m, int d)
{
    if (m < 3) {
        m += 12;
        y -= 1;
    }
    int h = (d + 13 * (m + 1) / 5 + y % 100 + (y % 100) / 4 + (y / 100) / 4 + 5 * (y / 100)) % 7;
    return (h + 5) % 7 + 1; /* h: 0 = Saturday */
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static void test_every_day_round_trips(void **state)
{
    (void)state;
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int serial = 0;
    for (int y = 1900; y <= 2200; y++) {
        for (int m = 1; m <= 12; m++) {
            int dim = mdays[m - 1] + (m == 2 && is_leap(y));
            for (int d = 1; d <= dim; d++, serial++) {
                drill_date date, back;
                assert_int_equal(drill_date_make(&date, y, m, d), 0);
                int s = -1;
                assert_int_equal(drill_date_to_serial(&s, date), 0);
                assert_int_equal(s, serial);
                assert_int_equal(drill_date_from_serial(&back, s), 0);
                assert_memory_equal(&back, &date, sizeof date);
                char text[DRILL_DATE_STRLEN], expect[32];
                assert_int_equal(drill_date_format(text, sizeof text, date), 0);
                snprintf(expect, sizeof expect, "%04d-%02d-%02d", y, m, d);
                assert_string_equal(text, expect);
                assert_int_equal(drill_date_parse(&back, text), 0);
                assert_memory_equal(&back, &date, sizeof date);
                int wd;
                assert_int_equal(drill_date_weekday(&wd, date), 0);
                assert_int_equal(wd, zeller(y, m, d));
                /* next day by arithmetic */
                if (serial > 0) {
                    drill_date prev;
                    assert_int_equal(drill_date_add_days(&prev, date, -1), 0);
                    int ps;
                    drill_date_to_serial(&ps, prev);
                    assert_int_equal(ps, serial - 1);
                }
            }
            /* the day after the month's last does not exist */
            assert_int_equal(drill_date_check(D(y, m, dim + 1)), DRILL_ERANGE);
        }
    }
    assert_int_equal(serial, 109938);
}

static void test_known_weekdays(void **state)
{
    (void)state;
    static const struct { int y, m, d, wd; } known[] = {
        { 1900, 1, 1, DRILL_MONDAY },   { 1949, 10, 1, DRILL_SATURDAY }, { 2000, 1, 1, DRILL_SATURDAY },
        { 2008, 5, 12, DRILL_MONDAY },  { 2026, 11, 28, DRILL_SATURDAY }, { 2200, 12, 31, DRILL_WEDNESDAY },
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        int wd = 0;
        assert_int_equal(drill_date_weekday(&wd, D(known[i].y, known[i].m, known[i].d)), 0);
        assert_int_equal(wd, known[i].wd);
    }
}

/* ISO week by the ordinal-date rule, independent of the library's Thursday rule */
static void iso_by_ordinal(int y, int m, int d, int *wy, int *ww)
{
    static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    int ordinal = before[m - 1] + d + (m > 2 && is_leap(y));
    int wd = zeller(y, m, d);
    int w = (ordinal - wd + 10) / 7;
    if (w < 1) {
        int py = y - 1, pwd = zeller(py, 12, 31), pord = 365 + is_leap(py);
        *wy = py;
        *ww = (pord - pwd + 10) / 7;
        return;
    }
    /* weeks in y: 53 if Jan 1 is a Thursday, or a Wednesday in a leap year */
    int jan1 = zeller(y, 1, 1);
    int weeks = 52 + (jan1 == 4 || (jan1 == 3 && is_leap(y)));
    if (w > weeks) {
        *wy = y + 1;
        *ww = 1;
    } else {
        *wy = y;
        *ww = w;
    }
}

static void test_iso_week(void **state)
{
    (void)state;
    static const struct { int y, m, d, wy, ww; } known[] = {
        { 2021, 1, 3, 2020, 53 }, { 2024, 12, 30, 2025, 1 }, { 2026, 12, 31, 2026, 53 },
        { 1900, 12, 31, 1901, 1 }, { 2200, 12, 31, 2201, 1 }, { 2000, 1, 1, 1999, 52 }, { 2026, 11, 28, 2026, 48 },
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        int wy, ww;
        assert_int_equal(drill_date_iso_week(&wy, &ww, D(known[i].y, known[i].m, known[i].d)), 0);
        assert_int_equal(wy, known[i].wy);
        assert_int_equal(ww, known[i].ww);
    }
    for (int s = 0; s <= 109937; s++) {
        drill_date d;
        drill_date_from_serial(&d, s);
        int wy, ww, ey, ew;
        assert_int_equal(drill_date_iso_week(&wy, &ww, d), 0);
        iso_by_ordinal(d.year, d.month, d.day, &ey, &ew);
        assert_int_equal(wy, ey);
        assert_int_equal(ww, ew);
    }
}

static void test_month_and_half(void **state)
{
    (void)state;
    drill_date out;
    int n;
    assert_int_equal(drill_date_month_first(&out, D(2024, 2, 17)), 0);
    assert_date(out, 2024, 2, 1);
    assert_int_equal(drill_date_month_last(&out, D(2024, 2, 17)), 0);
    assert_date(out, 2024, 2, 29);
    assert_int_equal(drill_date_month_last(&out, D(2100, 2, 1)), 0);
    assert_int_equal(out.day, 28); /* 2100 is not a leap year */
    assert_int_equal(drill_date_half(&n, D(2026, 6, 30)), 0);
    assert_int_equal(n, 1);
    assert_int_equal(drill_date_half(&n, D(2026, 7, 1)), 0);
    assert_int_equal(n, 2);
    assert_int_equal(drill_date_half_first(&out, D(2026, 9, 9)), 0);
    assert_date(out, 2026, 7, 1);
    assert_int_equal(drill_date_half_last(&out, D(2026, 3, 9)), 0);
    assert_date(out, 2026, 6, 30);
    assert_int_equal(drill_date_half_last(&out, D(2026, 7, 1)), 0);
    assert_date(out, 2026, 12, 31);
    assert_int_equal(drill_date_days_in_month(&n, 2000, 2), 0);
    assert_int_equal(n, 29);
    assert_int_equal(drill_date_days_in_month(&n, 1900, 2), 0);
    assert_int_equal(n, 28);
    assert_int_equal(drill_date_is_leap_year(2000), 1);
    assert_int_equal(drill_date_is_leap_year(1900), 0);
    assert_int_equal(drill_date_is_leap_year(2024), 1);
}

static void test_arithmetic(void **state)
{
    (void)state;
    drill_date out;
    int n;
    assert_int_equal(drill_date_add_days(&out, D(2024, 2, 28), 1), 0);
    assert_date(out, 2024, 2, 29);
    assert_int_equal(drill_date_add_days(&out, D(2023, 2, 28), 1), 0);
    assert_date(out, 2023, 3, 1);
    assert_int_equal(drill_date_add_days(&out, D(2026, 1, 1), -1), 0);
    assert_date(out, 2025, 12, 31);
    assert_int_equal(drill_date_diff(&n, D(2026, 1, 1), D(2027, 1, 1)), 0);
    assert_int_equal(n, 365);
    assert_int_equal(drill_date_diff(&n, D(2024, 3, 1), D(2024, 2, 1)), 0);
    assert_int_equal(n, -29);
    assert_int_equal(drill_date_compare(&n, D(2026, 5, 12), D(2026, 5, 13)), 0);
    assert_int_equal(n, -1);
    assert_int_equal(drill_date_compare(&n, D(2026, 5, 12), D(2026, 5, 12)), 0);
    assert_int_equal(n, 0);
    assert_int_equal(drill_date_compare(&n, D(2027, 1, 1), D(2026, 5, 12)), 0);
    assert_int_equal(n, 1);
    assert_fails_with(drill_date_add_days(&out, D(2200, 12, 31), 1), DRILL_ERANGE, "outside");
    assert_fails_with(drill_date_add_days(&out, D(1900, 1, 1), -1), DRILL_ERANGE, "outside");
    assert_fails_with(drill_date_add_days(&out, D(2026, 1, 1), 2000000000), DRILL_ERANGE, "outside");
}

static void test_invalid_dates(void **state)
{
    (void)state;
    drill_date out = { 1, 1, 1 };
    int n;
    assert_fails_with(drill_date_make(&out, 2023, 2, 29), DRILL_ERANGE, "not a leap year");
    assert_fails_with(drill_date_make(&out, 2100, 2, 29), DRILL_ERANGE, "not a leap year");
    assert_int_equal(drill_date_make(&out, 2000, 2, 29), 0);
    assert_fails_with(drill_date_make(&out, 2026, 13, 1), DRILL_ERANGE, "month 13");
    assert_fails_with(drill_date_make(&out, 2026, 0, 1), DRILL_ERANGE, "month 0");
    assert_fails_with(drill_date_make(&out, 2026, 4, 31), DRILL_ERANGE, "day 31");
    assert_fails_with(drill_date_make(&out, 2026, 4, 0), DRILL_ERANGE, "day 0");
    assert_fails_with(drill_date_make(&out, 1899, 12, 31), DRILL_ERANGE, "year 1899");
    assert_fails_with(drill_date_make(&out, 2201, 1, 1), DRILL_ERANGE, "year 2201");
    assert_fails_with(drill_date_weekday(&n, D(2026, 2, 30)), DRILL_ERANGE, "day 30");
    assert_fails_with(drill_date_to_serial(&n, D(2026, 2, 30)), DRILL_ERANGE, "day 30");
    assert_fails_with(drill_date_from_serial(&out, -1), DRILL_ERANGE, "outside");
    assert_fails_with(drill_date_from_serial(&out, 109938), DRILL_ERANGE, "outside");
    assert_fails_with(drill_date_diff(&n, D(2026, 1, 1), D(2026, 1, 32)), DRILL_ERANGE, "day 32");
    assert_fails_with(drill_date_month_last(&out, D(2026, 0, 1)), DRILL_ERANGE, "month");
    assert_fails_with(drill_date_days_in_month(&n, 2026, 13), DRILL_ERANGE, "month");
    /* a failing call leaves its output alone */
    assert_date(out, 2000, 2, 29);
}

static void test_null_arguments(void **state)
{
    (void)state;
    drill_date d = { 2026, 1, 1 };
    int n;
    assert_fails_with(drill_date_make(NULL, 2026, 1, 1), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_to_serial(NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_from_serial(NULL, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_add_days(NULL, d, 1), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_diff(NULL, d, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_compare(NULL, d, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_weekday(NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_iso_week(NULL, &n, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_iso_week(&n, NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_month_first(NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_month_last(NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_half(NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_half_first(NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_half_last(NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_days_in_month(NULL, 2026, 1), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_parse(NULL, "2026-01-01"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_parse(&d, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_date_format(NULL, 11, d), DRILL_EINVAL, "NULL");
    char small[10];
    assert_fails_with(drill_date_format(small, sizeof small, d), DRILL_EINVAL, "buffer");
}

static void test_parse_errors_point_at_column(void **state)
{
    (void)state;
    static const struct { const char *text; int code, column; const char *needle; } cases[] = {
        { "", DRILL_EPARSE, 1, "year" },
        { "2026", DRILL_EPARSE, 5, "year" },
        { "20x6-01-01", DRILL_EPARSE, 3, "year" },
        { "2026/01/01", DRILL_EPARSE, 5, "'-'" },
        { "2026-1-01", DRILL_EPARSE, 7, "month" },
        { "2026-01", DRILL_EPARSE, 8, "'-'" },
        { "2026-01-1", DRILL_EPARSE, 10, "day" },
        { "2026-01-01T00:00", DRILL_EPARSE, 11, "after the date" },
        { "2026-01-01 ", DRILL_EPARSE, 11, "after the date" },
        { " 2026-01-01", DRILL_EPARSE, 1, "year" },
        { "2026-13-01", DRILL_EPARSE, 6, "month 13" },
        { "2026-00-10", DRILL_EPARSE, 6, "month 00" },
        { "2023-02-29", DRILL_EPARSE, 9, "not a leap year" },
        { "2026-04-31", DRILL_EPARSE, 9, "day 31" },
        { "1899-12-31", DRILL_ERANGE, 1, "outside" },
        { "2201-01-01", DRILL_ERANGE, 1, "outside" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        drill_date d = { 1, 2, 3 };
        drill_error_clear();
        int rc = drill_date_parse(&d, cases[i].text);
        if (rc != cases[i].code || drill_error_last()->column != cases[i].column ||
            !strstr(drill_error_last()->message, cases[i].needle))
            fail_msg("'%s': rc %d column %d message '%s'", cases[i].text, rc, drill_error_last()->column,
                     drill_error_last()->message);
        assert_int_equal(drill_error_last()->line, 1);
        assert_string_equal(drill_error_last()->source, "date");
        assert_date(d, 1, 2, 3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_day_round_trips),
        cmocka_unit_test(test_known_weekdays),
        cmocka_unit_test(test_iso_week),
        cmocka_unit_test(test_month_and_half),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_invalid_dates),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_parse_errors_point_at_column),
    };
    return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
