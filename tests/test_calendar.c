/* The working-day calendar: weekends, holidays, make-up days, coverage,
 * CSV and iCalendar loading. */
#include "testutil.h"

static drill_calendar *china(void)
{
    drill_calendar *cal = NULL;
    assert_int_equal(drill_calendar_new_china(&cal), 0);
    assert_non_null(cal);
    return cal;
}

static int working(const drill_calendar *cal, drill_date d)
{
    int w = -1;
    assert_int_equal(drill_calendar_is_working_day(&w, cal, d), 0);
    return w;
}

static void test_weekends_and_uncovered_years(void **state)
{
    (void)state;
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new(&cal), 0);
    int w, covered = 1;
    assert_int_equal(drill_calendar_is_covered(&covered, cal, 2027), 0);
    assert_int_equal(covered, 0);
    /* the default policy refuses to guess */
    assert_fails_with(drill_calendar_is_working_day(&w, cal, D(2027, 3, 1)), DRILL_ENODATA, "2027");
    drill_date out;
    assert_fails_with(drill_calendar_next_working_day(&out, cal, D(2027, 3, 1)), DRILL_ENODATA, "2027");
    assert_fails_with(drill_calendar_count_working_days(&w, cal, D(2027, 3, 1), D(2027, 3, 31)), DRILL_ENODATA,
                      "2027");
    drill_uncovered_policy policy = DRILL_UNCOVERED_WEEKENDS;
    assert_int_equal(drill_calendar_get_policy(&policy, cal), 0);
    assert_int_equal(policy, DRILL_UNCOVERED_ERROR);
    assert_int_equal(drill_calendar_set_policy(cal, DRILL_UNCOVERED_WEEKENDS), 0);
    assert_int_equal(drill_calendar_get_policy(&policy, cal), 0);
    assert_int_equal(policy, DRILL_UNCOVERED_WEEKENDS);
    assert_fails_with(drill_calendar_get_policy(NULL, cal), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_get_policy(&policy, NULL), DRILL_EINVAL, "NULL");
    drill_day_info info;
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2027, 3, 6)), 0); /* a Saturday */
    assert_int_equal(info.kind, DRILL_DAY_WEEKEND);
    assert_int_equal(info.working, 0);
    assert_int_equal(info.covered, 0);
    assert_string_equal(info.name, "");
    assert_int_equal(working(cal, D(2027, 3, 8)), 1);
    assert_int_equal(drill_calendar_count_working_days(&w, cal, D(2027, 3, 1), D(2027, 3, 31)), 0);
    assert_int_equal(w, 23);
    assert_int_equal(drill_calendar_count_working_days(&w, cal, D(2027, 3, 31), D(2027, 3, 1)), 0);
    assert_int_equal(w, 0);
    /* a region without holidays that year can say so */
    assert_int_equal(drill_calendar_mark_covered(cal, 2027), 0);
    assert_int_equal(drill_calendar_set_policy(cal, DRILL_UNCOVERED_ERROR), 0);
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2027, 3, 6)), 0);
    assert_int_equal(info.covered, 1);
    assert_fails_with(drill_calendar_set_policy(cal, 7), DRILL_EINVAL, "policy");
    assert_fails_with(drill_calendar_mark_covered(cal, 2201), DRILL_ERANGE, "2201");
    assert_fails_with(drill_calendar_is_covered(&w, cal, 1899), DRILL_ERANGE, "1899");
    drill_calendar_free(cal);
    drill_calendar_free(NULL);
}

static void test_china_arrangements(void **state)
{
    (void)state;
    drill_calendar *cal = china();
    for (int y = 2022; y <= 2026; y++) {
        int covered = 0;
        assert_int_equal(drill_calendar_is_covered(&covered, cal, y), 0);
        assert_int_equal(covered, 1);
    }
    int covered = 1;
    drill_calendar_is_covered(&covered, cal, 2021);
    assert_int_equal(covered, 0);
    drill_calendar_is_covered(&covered, cal, 2027);
    assert_int_equal(covered, 0);

    drill_day_info info;
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2026, 2, 28)), 0); /* a Saturday made a working day */
    assert_int_equal(info.kind, DRILL_DAY_MAKEUP_WORKDAY);
    assert_int_equal(info.working, 1);
    assert_string_equal(info.name, "春节");
    assert_string_equal(info.name_en, "Spring Festival");
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2026, 2, 17)), 0); /* a Tuesday off */
    assert_int_equal(info.kind, DRILL_DAY_HOLIDAY);
    assert_int_equal(info.working, 0);
    assert_string_equal(info.name, "春节");
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2026, 10, 8)), 0);
    assert_int_equal(info.kind, DRILL_DAY_WORKDAY);
    assert_int_equal(working(cal, D(2026, 10, 1)), 0);
    assert_int_equal(working(cal, D(2026, 10, 10)), 1); /* Saturday, make-up day */
    /* 2022-12-31 belongs to the 2023 New Year arrangement */
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2022, 12, 31)), 0);
    assert_int_equal(info.kind, DRILL_DAY_HOLIDAY);
    assert_string_equal(info.name, "元旦");

    /* working days per year, counted from the State Council notices independently */
    static const int per_year[][2] = { { 2022, 249 }, { 2023, 249 }, { 2024, 251 }, { 2025, 248 }, { 2026, 248 } };
    for (size_t i = 0; i < 5; i++) {
        int n = 0;
        assert_int_equal(drill_calendar_count_working_days(&n, cal, D(per_year[i][0], 1, 1),
                                                           D(per_year[i][0], 12, 31)), 0);
        assert_int_equal(n, per_year[i][1]);
    }
    drill_date d;
    assert_int_equal(drill_calendar_next_working_day(&d, cal, D(2026, 9, 30)), 0);
    assert_date(d, 2026, 10, 8);
    assert_int_equal(drill_calendar_prev_working_day(&d, cal, D(2026, 10, 9)), 0);
    assert_date(d, 2026, 10, 8);
    assert_int_equal(drill_calendar_next_working_day(&d, cal, D(2026, 2, 13)), 0);
    assert_date(d, 2026, 2, 14);
    assert_int_equal(drill_calendar_prev_working_day(&d, cal, D(2026, 2, 24)), 0);
    assert_date(d, 2026, 2, 14);
    /* the search stops at an uncovered year rather than guess */
    assert_fails_with(drill_calendar_next_working_day(&d, cal, D(2026, 12, 31)), DRILL_ENODATA, "2027");
    drill_calendar_free(cal);
}

static void test_add_and_conflicts(void **state)
{
    (void)state;
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new(&cal), 0);
    assert_int_equal(drill_calendar_add(cal, D(2030, 5, 1), DRILL_ENTRY_HOLIDAY, "劳动节", "Labour Day", 0), 0);
    assert_int_equal(drill_calendar_add(cal, D(2030, 5, 1), DRILL_ENTRY_HOLIDAY, "劳动节", NULL, 0), 0);
    assert_fails_with(drill_calendar_add(cal, D(2030, 5, 1), DRILL_ENTRY_WORKDAY, "上班", NULL, 0), DRILL_EEXISTS,
                      "already a holiday (劳动节)");
    assert_fails_with(drill_calendar_add(cal, D(2030, 2, 29), DRILL_ENTRY_HOLIDAY, "x", NULL, 0), DRILL_ERANGE,
                      "leap");
    assert_fails_with(drill_calendar_add(cal, D(2030, 5, 2), 9, "x", NULL, 0), DRILL_EINVAL, "kind");
    assert_fails_with(drill_calendar_add(cal, D(2030, 5, 2), DRILL_ENTRY_HOLIDAY, "", NULL, 0), DRILL_EINVAL, "name");
    assert_fails_with(drill_calendar_add(cal, D(2030, 5, 2), DRILL_ENTRY_HOLIDAY, "\xff", NULL, 0), DRILL_EINVAL,
                      "UTF-8");
    assert_fails_with(drill_calendar_add(cal, D(2030, 5, 2), DRILL_ENTRY_HOLIDAY, "x", NULL, 1800), DRILL_ERANGE,
                      "1800");
    assert_fails_with(drill_calendar_add(cal, D(2030, 5, 2), DRILL_ENTRY_HOLIDAY, "x", NULL, 1950), DRILL_ERANGE,
                      "a year apart");
    /* the arrangement year, not the date's, becomes covered */
    assert_int_equal(drill_calendar_add(cal, D(2031, 12, 31), DRILL_ENTRY_HOLIDAY, "元旦", NULL, 2032), 0);
    int covered = 1;
    drill_calendar_is_covered(&covered, cal, 2031);
    assert_int_equal(covered, 0);
    drill_calendar_is_covered(&covered, cal, 2032);
    assert_int_equal(covered, 1);
    /* a copy is independent */
    drill_calendar *copy;
    assert_int_equal(drill_calendar_dup(&copy, cal), 0);
    assert_int_equal(drill_calendar_add(copy, D(2030, 5, 2), DRILL_ENTRY_HOLIDAY, "劳动节", "Labour Day", 0), 0);
    drill_day_info info;
    assert_int_equal(drill_calendar_day_info(&info, copy, D(2030, 5, 1)), 0);
    assert_string_equal(info.name_en, "Labour Day");
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2030, 5, 2)), 0);
    assert_int_equal(info.kind, DRILL_DAY_WORKDAY);
    drill_calendar_free(copy);
    drill_calendar_free(cal);
}

static void test_load_csv(void **state)
{
    (void)state;
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new(&cal), 0);
    const char *csv = "\xEF\xBB\xBFnote,name,kind,date,name_en\r\n"
                      "ignored,\"国庆节, 中秋节\",holiday,2030-10-01,\"National Day, Mid-Autumn\"\r\n"
                      "x,国庆节,workday,2030-10-12,\r\n"
                      "y,春节,休,2030-02-04,Spring Festival\r\n";
    drill_calendar_load_stats st;
    assert_int_equal(drill_calendar_load_csv_buffer(&st, cal, csv, strlen(csv), "mine.csv"), 0);
    assert_int_equal(st.entries, 3);
    assert_int_equal(st.holidays, 2);
    assert_int_equal(st.workdays, 1);
    drill_day_info info;
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2030, 10, 1)), 0);
    assert_string_equal(info.name, "国庆节, 中秋节");
    assert_string_equal(info.name_en, "National Day, Mid-Autumn");
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2030, 10, 12)), 0);
    assert_int_equal(info.kind, DRILL_DAY_MAKEUP_WORKDAY);
    assert_string_equal(info.name_en, "");
    drill_calendar_free(cal);
}

static void test_load_csv_errors_change_nothing(void **state)
{
    (void)state;
    static const struct { const char *csv; int code, line, column; const char *needle; } cases[] = {
        { "", DRILL_EPARSE, 1, 1, "header" },
        { "date,name\n2030-01-01,x\n", DRILL_EPARSE, 1, 1, "'kind'" },
        { "date,kind,name\n2030-01-01,holiday,元旦\n2030-13-01,holiday,x\n", DRILL_EPARSE, 3, 6, "month 13" },
        { "date,kind,name\n2030-01-01,holiday,元旦\n\"2031-02-29\",holiday,x\n", DRILL_EPARSE, 3, 10, "leap" },
        { "date,kind,name\n2030-01-01,holiday,元旦\n2030-01-02,off,x\n", DRILL_EPARSE, 3, 12, "kind 'off'" },
        { "date,kind,name\n2030-01-01,holiday,元旦\n2030-01-02,holiday,\n", DRILL_EPARSE, 3, 20, "name is empty" },
        { "date,kind,name\n2030-01-01,holiday,元旦\n2030-01-02,holiday\n", DRILL_EPARSE, 3, 19, "2 fields" },
        { "date,kind,name,year\n2030-01-01,holiday,元旦,20x0\n", DRILL_EPARSE, 2, 23, "year '20x0'" },
        { "date,kind,name\n2030-01-01,holiday,元旦\n2030-01-01,workday,上班\n", DRILL_EEXISTS, 3, 1, "already" },
        { "date,kind,name\n2030-01-01,holiday,元旦\n2030-01-02,holiday,x\"y\n", DRILL_EPARSE, 3, 21, "quote" },
    };
    drill_calendar *cal = china();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        drill_calendar_load_stats st = { 7, 7, 7, 7, 7 };
        drill_error_clear();
        int rc = drill_calendar_load_csv_buffer(&st, cal, cases[i].csv, strlen(cases[i].csv), "bad.csv");
        const drill_error *e = drill_error_last();
        if (rc != cases[i].code || e->line != cases[i].line || e->column != cases[i].column ||
            !strstr(e->message, cases[i].needle))
            fail_msg("case %zu: rc %d %s:%d:%d %s", i, rc, e->source, e->line, e->column, e->message);
        assert_string_equal(e->source, "bad.csv");
        assert_int_equal(st.entries, 7); /* stats untouched on failure */
        /* nothing of the good rows before the bad one was kept */
        drill_day_info info;
        int covered = 1;
        drill_calendar_is_covered(&covered, cal, 2030);
        assert_int_equal(covered, 0);
        assert_int_equal(drill_calendar_set_policy(cal, DRILL_UNCOVERED_WEEKENDS), 0);
        assert_int_equal(drill_calendar_day_info(&info, cal, D(2030, 1, 1)), 0);
        assert_int_equal(info.kind, DRILL_DAY_WORKDAY);
        assert_int_equal(drill_calendar_set_policy(cal, DRILL_UNCOVERED_ERROR), 0);
    }
    /* the shipped data is still there */
    assert_int_equal(working(cal, D(2026, 2, 17)), 0);
    assert_fails_with(drill_calendar_load_csv(NULL, cal, "/nonexistent/h.csv"), DRILL_EIO, "/nonexistent/h.csv");
    drill_calendar_free(cal);
}

static char *fixture(const char *name, char *buf, size_t n)
{
    const char *dir = getenv("DRILL_TEST_DATA");
    snprintf(buf, n, "%s/%s", dir ? dir : "tests/data", name);
    return buf;
}

static void test_load_ics_quirks(void **state)
{
    (void)state;
    drill_calendar *cal;
    char path[512];
    assert_int_equal(drill_calendar_new(&cal), 0);
    drill_calendar_load_stats st;
    assert_int_equal(drill_calendar_load_ics(&st, cal, fixture("holidays-quirks.ics", path, sizeof path), NULL), 0);
    /* 2030-12-31..2031-01-01, 2031-01-04, 2031-01-22..24 (DURATION); the timed meeting skipped */
    assert_int_equal(st.holidays, 5);
    assert_int_equal(st.workdays, 1);
    assert_int_equal(st.entries, 6);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.tolerated, 1); /* DTSTAMP;VALUE=DATE */
    drill_day_info info;
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2031, 1, 4)), 0);
    assert_int_equal(info.kind, DRILL_DAY_MAKEUP_WORKDAY);
    assert_string_equal(info.name, "上班(补元旦假期)");
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2031, 1, 24)), 0);
    assert_int_equal(info.kind, DRILL_DAY_HOLIDAY);
    assert_int_equal(drill_calendar_day_info(&info, cal, D(2031, 1, 25)), 0);
    assert_int_equal(info.kind, DRILL_DAY_WEEKEND);
    /* the New Year run belongs to 2031, so 2030 is not covered by it */
    int covered = 1;
    drill_calendar_is_covered(&covered, cal, 2030);
    assert_int_equal(covered, 0);
    drill_calendar_free(cal);

    /* configurable markers: only 春节 is a holiday, and "meeting" marks working days */
    drill_ics_holiday_options o = DRILL_ICS_HOLIDAY_OPTIONS_INIT;
    o.holiday_markers = "春节|Spring";
    o.workday_markers = "补";
    assert_int_equal(drill_calendar_new(&cal), 0);
    assert_int_equal(drill_calendar_load_ics(&st, cal, path, &o), 0);
    assert_int_equal(st.holidays, 3);
    assert_int_equal(st.workdays, 1);
    assert_int_equal(st.skipped, 2);
    o.version = 99;
    assert_fails_with(drill_calendar_load_ics(&st, cal, path, &o), DRILL_EVERSION, "version");
    drill_calendar_free(cal);
}

static void test_load_ics_errors(void **state)
{
    (void)state;
    static const struct { const char *ics; int code, line; const char *needle; } cases[] = {
        { "hello\n", DRILL_EPARSE, 1, "BEGIN:VCALENDAR" },
        { "", DRILL_EPARSE, 1, "BEGIN:VCALENDAR" },
        { "\r\n\nBEGIN:VTODO\n", DRILL_EPARSE, 3, "BEGIN:VCALENDAR" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART;VALUE=DATE:20300101\n", DRILL_EPARSE, 2,
          "never ended" },
        /* the line of the bad property, not just of its event */
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:ok\nDTSTART;VALUE=DATE:20300101\nEND:VEVENT\n"
          "BEGIN:VEVENT\nSUMMARY:x\nDTSTART;VALUE=DATE:2030xx01\nEND:VEVENT\nEND:VCALENDAR\n",
          DRILL_EPARSE, 8, "DTSTART" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", DRILL_EPARSE, 2, "no DTSTART" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20300101\nEND:VEVENT\nEND:VCALENDAR\n", DRILL_EPARSE, 2,
          "no SUMMARY" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART;VALUE=DATE:20300105\nDTEND;VALUE=DATE:20300101\n"
          "END:VEVENT\nEND:VCALENDAR\n", DRILL_EPARSE, 5, "DTEND" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART;VALUE=DATE:22010101\nEND:VEVENT\nEND:VCALENDAR\n",
          DRILL_EPARSE, 4, "2201" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:long\nDTSTART;VALUE=DATE:20300101\nDTEND;VALUE=DATE:20320101\n"
          "END:VEVENT\nEND:VCALENDAR\n", DRILL_EPARSE, 2, "days" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:a\nDTSTART;VALUE=DATE:20300101\nEND:VEVENT\n"
          "BEGIN:VEVENT\nSUMMARY:上班\nDTSTART;VALUE=DATE:20300101\nEND:VEVENT\nEND:VCALENDAR\n",
          DRILL_EEXISTS, 6, "already" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:\xff\nDTSTART;VALUE=DATE:20300101\nEND:VEVENT\nEND:VCALENDAR\n",
          DRILL_EPARSE, 3, "UTF-8" },
        /* found by the fuzzer: components libical reads differently from a plain count of BEGIN:VEVENT lines */
        { "BEGIN:VCALENDAR\nBEGIN:VEVENTX\nSUMMARY:x\nDTSTART;VALUE=DATE:2026\nEND:VEVENT\nEND:VCALENDAR\n",
          DRILL_EPARSE, 5, "END:VEVENT where END:VEVENTX" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT \nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n", DRILL_EPARSE, 2, "no DTSTART" },
        { "BEGIN:VCALENDAR\nBEGIN:VTODO\nBEGIN:VEVENT\nSUMMARY:inner\nEND:VEVENT\nEND:VTODO\n"
          "BEGIN:VEVENT\nSUMMARY:x\nDTSTART;VALUE=DATE:2030\nEND:VEVENT\nEND:VCALENDAR\n", DRILL_EPARSE, 9, "DTSTART" },
        { "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART;VALUE=DATE:20300101\nEND:VTODO\n", DRILL_EPARSE, 5,
          "END:VTODO" },
    };
    drill_calendar *cal = china();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        drill_error_clear();
        int rc = drill_calendar_load_ics_buffer(NULL, cal, cases[i].ics, strlen(cases[i].ics), "bad.ics", NULL);
        const drill_error *e = drill_error_last();
        if (rc != cases[i].code || e->line != cases[i].line || !strstr(e->message, cases[i].needle))
            fail_msg("case %zu: rc %d %s:%d:%d %s", i, rc, e->source, e->line, e->column, e->message);
        int covered = 1;
        drill_calendar_is_covered(&covered, cal, 2030);
        assert_int_equal(covered, 0);
    }
    assert_fails_with(drill_calendar_load_ics_buffer(NULL, cal, "x\0y", 3, "nul.ics", NULL), DRILL_EPARSE, "NUL");
    assert_fails_with(drill_calendar_load_ics(NULL, cal, "/nonexistent/h.ics", NULL), DRILL_EIO, "nonexistent");
    drill_calendar_free(cal);
}

/* the third-party feeds in tests/data/holiday-cn (holiday-cn, MIT) agree with the shipped arrangements */
static void test_shared_feeds_agree_with_shipped_data(void **state)
{
    (void)state;
    char path[512];
    drill_calendar *shipped = china(), *feed;
    for (int y = 2022; y <= 2027; y++) {
        char name[64];
        snprintf(name, sizeof name, "holiday-cn/%d.ics", y);
        test_data_path(path, sizeof path, name);
        assert_int_equal(drill_calendar_new(&feed), 0);
        drill_calendar_load_stats st;
        if (drill_calendar_load_ics(&st, feed, path, NULL))
            fail_msg("%s: %s", path, drill_error_last()->message);
        /* next year's feed holds this year's last days when New Year's holiday starts early */
        char next[512];
        snprintf(name, sizeof name, "holiday-cn/%d.ics", y + 1);
        if (y < 2027 && drill_calendar_load_ics(NULL, feed, test_data_path(next, sizeof next, name), NULL))
            fail_msg("%s: %s", next, drill_error_last()->message);
        if (y == 2027) { /* published empty: the year stays uncovered */
            int covered = 1;
            drill_calendar_is_covered(&covered, feed, 2027);
            assert_int_equal(covered, 0);
            assert_int_equal(st.entries, 0);
            drill_calendar_free(feed);
            continue;
        }
        assert_true(st.tolerated > 0); /* DTSTAMP;VALUE=DATE in every event */
        assert_int_equal(drill_calendar_set_policy(feed, DRILL_UNCOVERED_WEEKENDS), 0);
        drill_date d = { y, 1, 1 };
        for (; d.year == y; drill_date_add_days(&d, d, 1)) {
            drill_day_info a, b;
            assert_int_equal(drill_calendar_day_info(&a, shipped, d), 0);
            assert_int_equal(drill_calendar_day_info(&b, feed, d), 0);
            if (a.kind != b.kind)
                fail_msg("%04d-%02d-%02d: shipped %d (%s), feed %d (%s)", d.year, d.month, d.day, a.kind, a.name,
                         b.kind, b.name);
        }
        drill_calendar_free(feed);
    }
    /* the combined feed loads on top of the shipped data without a conflict */
    test_data_path(path, sizeof path, "holiday-cn/holiday-cn.ics");
    assert_int_equal(drill_calendar_load_ics(NULL, shipped, path, NULL), 0);
    drill_calendar_free(shipped);
}

static void test_null_arguments(void **state)
{
    (void)state;
    drill_calendar *cal = china();
    drill_date d = { 2026, 1, 5 }, out;
    drill_day_info info;
    int n;
    assert_fails_with(drill_calendar_new(NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_new_china(NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_dup(NULL, cal), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_dup((drill_calendar **)&n, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_set_policy(NULL, DRILL_UNCOVERED_ERROR), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_add(NULL, d, DRILL_ENTRY_HOLIDAY, "x", NULL, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_add(cal, d, DRILL_ENTRY_HOLIDAY, NULL, NULL, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_mark_covered(NULL, 2026), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_is_covered(NULL, cal, 2026), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_is_covered(&n, NULL, 2026), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_day_info(NULL, cal, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_day_info(&info, NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_is_working_day(NULL, cal, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_is_working_day(&n, NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_next_working_day(NULL, cal, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_prev_working_day(&out, NULL, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_count_working_days(NULL, cal, d, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_count_working_days(&n, NULL, d, d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_load_csv(NULL, NULL, "x"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_load_csv(NULL, cal, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_load_csv_buffer(NULL, cal, NULL, 0, "x"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_load_ics(NULL, NULL, "x", NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_load_ics(NULL, cal, NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_calendar_load_ics_buffer(NULL, cal, NULL, 0, "x", NULL), DRILL_EINVAL, "NULL");
    /* invalid dates are refused, not looked up */
    assert_fails_with(drill_calendar_day_info(&info, cal, D(2026, 2, 29)), DRILL_ERANGE, "leap");
    assert_fails_with(drill_calendar_count_working_days(&n, cal, d, D(2026, 13, 1)), DRILL_ERANGE, "month");
    assert_fails_with(drill_calendar_next_working_day(&out, cal, D(2026, 0, 1)), DRILL_ERANGE, "month");
    drill_calendar_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekends_and_uncovered_years),
        cmocka_unit_test(test_china_arrangements),
        cmocka_unit_test(test_add_and_conflicts),
        cmocka_unit_test(test_load_csv),
        cmocka_unit_test(test_load_csv_errors_change_nothing),
        cmocka_unit_test(test_load_ics_quirks),
        cmocka_unit_test(test_load_ics_errors),
        cmocka_unit_test(test_shared_feeds_agree_with_shipped_data),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
