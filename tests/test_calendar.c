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
    drill_day_info info = DRILL_DAY_INFO_INIT;
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

    drill_day_info info = DRILL_DAY_INFO_INIT;
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
    /* 2027 has no notice: answered provisionally from the law (New Year's Day, then a weekend) */
    assert_int_equal(drill_calendar_next_working_day(&d, cal, D(2026, 12, 31)), 0);
    assert_date(d, 2027, 1, 4);
    int prov = -1;
    assert_int_equal(drill_calendar_is_provisional(&prov, cal, 2027), 0);
    assert_int_equal(prov, 1);
    assert_int_equal(drill_calendar_is_provisional(&prov, cal, 2026), 0);
    assert_int_equal(prov, 0); /* covered by its notice */
    /* under the error policy the search stops at an uncovered year rather than guess */
    assert_int_equal(drill_calendar_set_policy(cal, DRILL_UNCOVERED_ERROR), 0);
    assert_fails_with(drill_calendar_next_working_day(&d, cal, D(2026, 12, 31)), DRILL_ENODATA, "2027");
    assert_int_equal(drill_calendar_is_provisional(&prov, cal, 2027), 0);
    assert_int_equal(prov, 0);
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
    drill_day_info info = DRILL_DAY_INFO_INIT;
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
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    assert_int_equal(drill_calendar_load_csv_buffer(&st, cal, csv, strlen(csv), "mine.csv"), 0);
    assert_int_equal(st.entries, 3);
    assert_int_equal(st.holidays, 2);
    assert_int_equal(st.workdays, 1);
    drill_day_info info = DRILL_DAY_INFO_INIT;
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
        drill_calendar_load_stats st = { DRILL_CALENDAR_LOAD_STATS_VERSION, 7, 7, 7, 7, 7 };
        drill_error_clear();
        int rc = drill_calendar_load_csv_buffer(&st, cal, cases[i].csv, strlen(cases[i].csv), "bad.csv");
        const drill_error *e = drill_error_last();
        if (rc != cases[i].code || e->line != cases[i].line || e->column != cases[i].column ||
            !strstr(e->message, cases[i].needle))
            fail_msg("case %zu: rc %d %s:%d:%d %s", i, rc, e->source, e->line, e->column, e->message);
        assert_string_equal(e->source, "bad.csv");
        assert_int_equal(st.entries, 7); /* stats untouched on failure */
        /* nothing of the good rows before the bad one was kept */
        drill_day_info info = DRILL_DAY_INFO_INIT;
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
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    assert_int_equal(drill_calendar_load_ics(&st, cal, fixture("holidays-quirks.ics", path, sizeof path), NULL), 0);
    /* 2030-12-31..2031-01-01, 2031-01-04, 2031-01-22..24 (DURATION); the timed meeting skipped */
    assert_int_equal(st.holidays, 5);
    assert_int_equal(st.workdays, 1);
    assert_int_equal(st.entries, 6);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.tolerated, 1); /* DTSTAMP;VALUE=DATE */
    drill_day_info info = DRILL_DAY_INFO_INIT;
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
        drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
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
            drill_day_info a = DRILL_DAY_INFO_INIT, b = DRILL_DAY_INFO_INIT;
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
    drill_day_info info = DRILL_DAY_INFO_INIT;
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

/* ---- the provisional calendar from the law ---- */

/* every month of 1949-2099 against python3-lunardate, an independent table */
static void test_lunar_months_against_lunardate(void **state)
{
    (void)state;
    char script[512], cmd[700];
    fixture("../lunar_oracle.py", script, sizeof script);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' 1949 2099", script);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    /* where the table and the computation disagree, none on a statutory holiday:
     * 1978's eighth month: the new moon came at 00:08 Beijing time on September 3, so Mid-Autumn is
     *   September 17 (the table, with a new moon before midnight, says September 16; Mid-Autumn was
     *   not a statutory holiday before 2008);
     * 1954's and 1956's eleventh months: the table starts them a day after the new moons (20:30 on
     *   November 25, 1954 and 16:12 on December 2, 1956, Beijing time); unexplained by rounding. */
    static const struct { int year, month; drill_date computed, table; } known[] = {
        { 1954, 11, { 1954, 11, 25 }, { 1954, 11, 26 } },
        { 1956, 11, { 1956, 12, 2 }, { 1956, 12, 3 } },
        { 1978, 8, { 1978, 9, 3 }, { 1978, 9, 2 } },
    };
    int year, month, leap, lines = 0, differ = 0, leaps = 0;
    drill_date want, got;
    while (fscanf(f, "%d %d %d %d-%d-%d", &year, &month, &leap, &want.year, &want.month, &want.day) == 6) {
        lines++;
        leaps += leap;
        if (drill_lunar_to_date(&got, year, month, 1, leap))
            fail_msg("%d %s%d: %s", year, leap ? "leap " : "", month, drill_error_last()->message);
        if (got.year == want.year && got.month == want.month && got.day == want.day)
            continue;
        size_t k = 0;
        while (k < 3 && !(known[k].year == year && known[k].month == month && !leap))
            k++;
        if (k == 3 || memcmp(&got, &known[k].computed, sizeof got) || memcmp(&want, &known[k].table, sizeof want))
            fail_msg("%d %s%d: computed %04d-%02d-%02d, python3-lunardate %04d-%02d-%02d", year,
                     leap ? "leap " : "", month, got.year, got.month, got.day, want.year, want.month, want.day);
        differ++;
    }
    assert_int_equal(pclose(f), 0); /* python3-lunardate is installed (make deps) */
    assert_int_equal(lines, 151 * 12 + leaps);
    assert_int_equal(leaps, 56); /* 151 years hold 56 leap months */
    assert_int_equal(differ, 3);
    /* 2100, past the table: the lunar new year falls between January 21 and February 20 */
    assert_int_equal(drill_lunar_to_date(&got, 2100, 1, 1, 0), 0);
    assert_true(got.year == 2100 && ((got.month == 1 && got.day >= 21) || (got.month == 2 && got.day <= 20)));
}

/* Qingming against the 寿星 formula (a different method: floor(Y * 0.2422 + C) - floor(Y / 4) with C 5.59 in
 * the 20th century and 4.81 in the 21st) and against the notices */
static void test_qingming(void **state)
{
    (void)state;
    for (int y = 1949; y <= 2099; y++) {
        int yy = y % 100;
        int day = (int)((double)yy * 0.2422 + (y < 2000 ? 5.59 : 4.81)) - yy / 4;
        drill_date d;
        assert_int_equal(drill_solar_term_date(&d, y, 15), 0);
        if (d.year != y || d.month != 4 || d.day != day)
            fail_msg("Qingming %d: computed %04d-%02d-%02d, the formula April %d", y, d.year, d.month, d.day, day);
    }
    static const int notices[][2] = { { 2022, 5 }, { 2023, 5 }, { 2024, 4 }, { 2025, 4 }, { 2026, 5 } };
    for (size_t i = 0; i < 5; i++) {
        drill_date d;
        assert_int_equal(drill_solar_term_date(&d, notices[i][0], 15), 0);
        assert_date(d, notices[i][0], 4, notices[i][1]);
    }
    drill_date d;
    assert_int_equal(drill_solar_term_date(&d, 2026, 270), 0); /* the winter solstice */
    assert_date(d, 2026, 12, 22);
    assert_fails_with(drill_solar_term_date(&d, 2026, 10), DRILL_EINVAL, "multiple of 15");
    assert_fails_with(drill_solar_term_date(&d, 2026, 360), DRILL_EINVAL, "360");
    assert_fails_with(drill_solar_term_date(&d, 1948, 15), DRILL_ERANGE, "1948");
    assert_fails_with(drill_solar_term_date(&d, 2101, 15), DRILL_ERANGE, "2101");
    assert_fails_with(drill_solar_term_date(NULL, 2026, 15), DRILL_EINVAL, "NULL");
}

static drill_calendar *provisional(void)
{
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new(&cal), 0);
    assert_int_equal(drill_calendar_set_policy(cal, DRILL_UNCOVERED_PROVISIONAL), 0);
    return cal;
}

/* the statutory holidays a provisional calendar gives a year, in date order */
static int law_days(const drill_calendar *cal, int year, drill_date *out, const char **names, int max)
{
    int n = 0;
    drill_date d = { year, 1, 1 };
    for (int k = 0; k < 366 && d.year == year; k++) {
        drill_day_info info = DRILL_DAY_INFO_INIT;
        assert_int_equal(drill_calendar_day_info(&info, cal, d), 0);
        assert_int_equal(info.covered, 0);
        if (info.kind == DRILL_DAY_HOLIDAY) {
            assert_true(n < max);
            out[n] = d;
            names[n++] = info.name;
        }
        drill_date_add_days(&d, d, 1);
    }
    return n;
}

/* every statutory holiday of 2022-2026 is a day off in that year's State Council notice, under its festival */
static void test_law_against_notices(void **state)
{
    (void)state;
    drill_calendar *law = provisional();
    static const int expect[] = { 11, 11, 11, 13, 13 }; /* the 2013 text; the 2024 text from 2025 */
    for (int y = 2022; y <= 2026; y++) {
        char name[64], path[512];
        snprintf(name, sizeof name, "holiday-cn/%d.ics", y);
        drill_calendar *notice;
        assert_int_equal(drill_calendar_new(&notice), 0);
        assert_int_equal(drill_calendar_load_ics(NULL, notice, fixture(name, path, sizeof path), NULL), 0);
        drill_date days[32];
        const char *names[32];
        int n = law_days(law, y, days, names, 32);
        assert_int_equal(n, expect[y - 2022]);
        for (int i = 0; i < n; i++) {
            drill_day_info info = DRILL_DAY_INFO_INIT;
            assert_int_equal(drill_calendar_day_info(&info, notice, days[i]), 0);
            if (info.kind != DRILL_DAY_HOLIDAY || !strstr(info.name, names[i]))
                fail_msg("%04d-%02d-%02d: the law's %s, the notice's '%s' (kind %d)", days[i].year, days[i].month,
                         days[i].day, names[i], info.name, (int)info.kind);
        }
        drill_calendar_free(notice);
    }
    /* 2025: the amended law's 13 days, named */
    drill_date days[32];
    const char *names[32];
    assert_int_equal(law_days(law, 2025, days, names, 32), 13);
    static const struct { int m, d; const char *name; } y2025[] = {
        { 1, 1, "元旦" },   { 1, 28, "春节" },   { 1, 29, "春节" }, { 1, 30, "春节" }, { 1, 31, "春节" },
        { 4, 4, "清明节" }, { 5, 1, "劳动节" }, { 5, 2, "劳动节" }, { 5, 31, "端午节" }, { 10, 1, "国庆节" },
        { 10, 2, "国庆节" }, { 10, 3, "国庆节" }, { 10, 6, "中秋节" },
    };
    for (int i = 0; i < 13; i++) {
        assert_date(days[i], 2025, y2025[i].m, y2025[i].d);
        assert_string_equal(names[i], y2025[i].name);
    }
    drill_calendar_free(law);
}

/* the text in force each year: 1949, the 1999, 2007, 2013 and 2024 amendments */
static void test_law_history(void **state)
{
    (void)state;
    drill_calendar *law = provisional();
    drill_date days[32];
    const char *names[32];
    assert_int_equal(law_days(law, 1998, days, names, 32), 7);  /* Jan 1, SF 1-3, May 1, Oct 1-2 */
    assert_int_equal(law_days(law, 1999, days, names, 32), 8);  /* October 1-3 from 1999 */
    assert_int_equal(law_days(law, 2007, days, names, 32), 10); /* May 1-3 */
    assert_int_equal(law_days(law, 2008, days, names, 32), 11); /* eve and SF 1-2, Qingming, DBF, MAF */
    assert_date(days[1], 2008, 2, 6);                          /* 2008's eve */
    assert_int_equal(law_days(law, 2014, days, names, 32), 11); /* SF 1-3 again */
    assert_date(days[1], 2014, 1, 31);                         /* no eve */
    assert_int_equal(law_days(law, 2027, days, names, 32), 13); /* next year, without a notice */
    static const struct { int m, d; } y2027[] = { { 1, 1 },  { 2, 5 },  { 2, 6 },  { 2, 7 },   { 2, 8 },
                                                  { 4, 5 },  { 5, 1 },  { 5, 2 },  { 6, 9 },   { 9, 15 },
                                                  { 10, 1 }, { 10, 2 }, { 10, 3 } };
    for (int i = 0; i < 13; i++)
        assert_date(days[i], 2027, y2027[i].m, y2027[i].d);
    /* Mid-Autumn on National Day (2020-10-01) is one day off, named once */
    assert_int_equal(law_days(law, 2020, days, names, 32), 10);
    drill_day_info info = DRILL_DAY_INFO_INIT;
    assert_int_equal(drill_calendar_day_info(&info, law, D(2020, 10, 1)), 0);
    assert_string_equal(info.name, "国庆节");
    assert_string_equal(info.name_en, "National Day");
    /* a provisional year has no make-up working days: every weekend is off */
    assert_int_equal(drill_calendar_day_info(&info, law, D(2027, 2, 20)), 0); /* a Saturday */
    assert_int_equal(info.kind, DRILL_DAY_WEEKEND);
    int prov = 0;
    assert_int_equal(drill_calendar_is_provisional(&prov, law, 2027), 0);
    assert_int_equal(prov, 1);
    /* outside 1949-2100 the law's holidays are not computed: refused, not guessed */
    assert_fails_with(drill_calendar_day_info(&info, law, D(2101, 3, 1)), DRILL_ENODATA, "2101");
    assert_fails_with(drill_calendar_day_info(&info, law, D(1948, 3, 1)), DRILL_ENODATA, "1948");
    assert_int_equal(drill_calendar_is_provisional(&prov, law, 2101), 0);
    assert_int_equal(prov, 0);
    /* a loaded year answers from its notice: a make-up working day on a Saturday */
    assert_int_equal(drill_calendar_add(law, D(2027, 2, 20), DRILL_ENTRY_WORKDAY, "春节", NULL, 0), 0);
    assert_int_equal(drill_calendar_day_info(&info, law, D(2027, 2, 20)), 0);
    assert_int_equal(info.kind, DRILL_DAY_MAKEUP_WORKDAY);
    assert_int_equal(info.covered, 1);
    assert_int_equal(drill_calendar_day_info(&info, law, D(2027, 6, 9)), 0); /* not in that notice */
    assert_int_equal(info.kind, DRILL_DAY_WORKDAY);
    assert_int_equal(drill_calendar_is_provisional(&prov, law, 2027), 0);
    assert_int_equal(prov, 0);
    /* a copy keeps the law */
    drill_calendar *copy;
    assert_int_equal(drill_calendar_dup(&copy, law), 0);
    assert_int_equal(drill_calendar_day_info(&info, copy, D(2028, 10, 3)), 0);
    assert_int_equal(info.kind, DRILL_DAY_HOLIDAY);
    drill_calendar_free(copy);
    assert_fails_with(drill_calendar_set_policy(law, (drill_uncovered_policy)3), DRILL_EINVAL, "policy");
    assert_fails_with(drill_calendar_is_provisional(&prov, law, 2201), DRILL_ERANGE, "2201");
    assert_fails_with(drill_calendar_is_provisional(NULL, law, 2027), DRILL_EINVAL, "NULL");
    drill_calendar_free(law);
    /* lunar dates: errors */
    drill_date d;
    assert_int_equal(drill_lunar_to_date(&d, 2025, 6, 1, 1), 0); /* 2025 has a leap sixth month */
    assert_date(d, 2025, 7, 25);
    assert_fails_with(drill_lunar_to_date(&d, 2025, 5, 1, 1), DRILL_ENOTFOUND, "leap month 5");
    assert_int_equal(drill_lunar_to_date(&d, 2033, 11, 1, 1), 0); /* the "2033 problem": a leap eleventh month */
    assert_date(d, 2033, 12, 22);
    assert_int_equal(drill_lunar_to_date(&d, 2034, 1, 1, 0), 0);
    assert_date(d, 2034, 2, 19);
    assert_fails_with(drill_lunar_to_date(&d, 1948, 1, 1, 0), DRILL_ERANGE, "1948");
    assert_fails_with(drill_lunar_to_date(&d, 2026, 13, 1, 0), DRILL_ERANGE, "month 13");
    assert_fails_with(drill_lunar_to_date(&d, 2026, 1, 31, 0), DRILL_ERANGE, "day 31");
    assert_fails_with(drill_lunar_to_date(NULL, 2026, 1, 1, 0), DRILL_EINVAL, "NULL");
}


/* recurring holiday events: every RDATE and RRULE occurrence within the
 * feed's years, less every EXDATE (one walk of each property kind: adding an
 * occurrence's days once cut the walk after its first RDATE) */
static void test_recurring_holidays(void **state)
{
    (void)state;
    static const char feed[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:国庆节\r\nDTSTART;VALUE=DATE:20261001\r\n"
        "DTEND;VALUE=DATE:20261004\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:国庆节\r\nDTSTART;VALUE=DATE:20271001\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:元旦\r\nDTSTART;VALUE=DATE:20250101\r\n"
        "RRULE:FREQ=YEARLY\r\nEXDATE;VALUE=DATE:20270101\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:清明节\r\nDTSTART;VALUE=DATE:20260404\r\n"
        "RDATE;VALUE=DATE:20260406,20270405,20270406\r\nEXDATE;VALUE=DATE:20270406\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new(&cal), 0);
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    assert_int_equal(drill_calendar_load_ics_buffer(&st, cal, feed, sizeof feed - 1, "recurring.ics", NULL), 0);
    static const struct { int y, m, d, holiday; } days[] = {
        { 2026, 10, 1, 1 }, { 2026, 10, 3, 1 }, { 2027, 10, 1, 1 }, { 2026, 1, 1, 1 }, { 2027, 1, 1, 0 },
        { 2026, 4, 4, 1 },  { 2026, 4, 6, 1 },  { 2027, 4, 5, 1 },  { 2027, 4, 6, 0 },
    };
    for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
        drill_day_info info = DRILL_DAY_INFO_INIT;
        assert_int_equal(drill_calendar_day_info(&info, cal, D(days[i].y, days[i].m, days[i].d)), 0);
        if ((info.kind == DRILL_DAY_HOLIDAY) != days[i].holiday)
            fail_msg("%d-%02d-%02d: kind %d", days[i].y, days[i].m, days[i].d, (int)info.kind);
    }
    /* 2025, before the feed's years, is not filled by the yearly rule */
    drill_day_info info = DRILL_DAY_INFO_INIT;
    int rc = drill_calendar_day_info(&info, cal, D(2025, 1, 1));
    assert_true(rc != 0 || info.kind != DRILL_DAY_HOLIDAY);
    assert_int_equal(st.holidays, 3 + 1 + 1 + 3);
    drill_calendar_free(cal);
}

/* a day's kind in a calendar, as a letter: H holiday, W make-up working day, - neither */
static char day_kind(const drill_calendar *cal, int y, int m, int d)
{
    drill_day_info info = DRILL_DAY_INFO_INIT;
    int rc = drill_calendar_day_info(&info, cal, D(y, m, d));
    if (rc == DRILL_ENODATA) /* a year with no entry at all */
        return '-';
    assert_int_equal(rc, 0);
    return info.kind == DRILL_DAY_HOLIDAY ? 'H' : info.kind == DRILL_DAY_MAKEUP_WORKDAY ? 'W' : '-';
}

static void test_holiday_recurrence(void **state)
{
    (void)state;
    /* a feed covering 2025 and 2026 with one yearly event from 2020 and one with an end and an exception */
    static const char feed[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:y\r\nDTSTART;VALUE=DATE:20200101\r\nDTEND;VALUE=DATE:20200102\r\n"
        "RRULE:FREQ=YEARLY\r\nSUMMARY:元旦\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:l25\r\nDTSTART;VALUE=DATE:20250501\r\nDTEND;VALUE=DATE:20250506\r\nSUMMARY:劳动节\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:l26\r\nDTSTART;VALUE=DATE:20260501\r\nDTEND;VALUE=DATE:20260506\r\nSUMMARY:劳动节\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:m\r\nDTSTART;VALUE=DATE:20250910\r\nDTEND;VALUE=DATE:20250912\r\n"
        "RRULE:FREQ=MONTHLY;COUNT=4\r\nEXDATE;VALUE=DATE:20251010\r\nRDATE;VALUE=DATE:20260301\r\n"
        "SUMMARY:纪念日\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new(&cal), 0);
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    int rc = drill_calendar_load_ics_buffer(&st, cal, feed, sizeof feed - 1, "recurring.ics", NULL);
    if (rc)
        fail_msg("%s", drill_error_last()->message);
    /* every occurrence in the feed's years, none outside them */
    assert_int_equal(day_kind(cal, 2025, 1, 1), 'H');
    assert_int_equal(day_kind(cal, 2026, 1, 1), 'H');
    assert_int_equal(day_kind(cal, 2024, 1, 1), '-');
    assert_int_equal(day_kind(cal, 2027, 1, 1), '-');
    int covered = 1; /* 2027 has no arrangement: the yearly rule did not make one */
    rc = drill_calendar_is_covered(&covered, cal, 2027);
    assert_true(rc == DRILL_ENODATA || (rc == 0 && covered == 0));
    /* monthly, four times, less the exception, and one more date, each two days long */
    assert_int_equal(day_kind(cal, 2025, 9, 10), 'H');
    assert_int_equal(day_kind(cal, 2025, 9, 11), 'H');
    assert_int_equal(day_kind(cal, 2025, 10, 10), '-');
    assert_int_equal(day_kind(cal, 2025, 11, 10), 'H');
    assert_int_equal(day_kind(cal, 2025, 12, 11), 'H');
    assert_int_equal(day_kind(cal, 2026, 1, 10), '-');
    assert_int_equal(day_kind(cal, 2026, 3, 1), 'H');
    assert_int_equal(day_kind(cal, 2026, 3, 2), 'H');
    assert_int_equal(st.holidays, 2 + 10 + 2 + 2 + 2 + 2);
    drill_calendar_free(cal);
    /* a rule with more occurrences than any holiday feed: refused on its line, not expanded for ever */
    static const char busy[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:s\r\nDTSTART;VALUE=DATE:20250101\r\n"
                               "RRULE:FREQ=SECONDLY\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
                               "BEGIN:VEVENT\r\nUID:t\r\nDTSTART;VALUE=DATE:20261001\r\nSUMMARY:y\r\nEND:VEVENT\r\n"
                               "END:VCALENDAR\r\n";
    assert_int_equal(drill_calendar_new(&cal), 0);
    assert_fails_with(drill_calendar_load_ics_buffer(NULL, cal, busy, sizeof busy - 1, "busy.ics", NULL), DRILL_EPARSE,
                      "occurrences");
    assert_int_equal(drill_error_last()->line, 5);
    drill_calendar_free(cal);
    /* a rule libical cannot read is an error on its line, not a single day */
    static const char bad[] = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20260101\r\n"
                              "RRULE:FREQ=SOMETIMES\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_int_equal(drill_calendar_new(&cal), 0);
    assert_fails_with(drill_calendar_load_ics_buffer(NULL, cal, bad, sizeof bad - 1, "bad.ics", NULL), DRILL_EPARSE,
                      "RRULE");
    assert_int_equal(drill_error_last()->line, 5);
    drill_calendar_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekends_and_uncovered_years),
        cmocka_unit_test(test_recurring_holidays),
        cmocka_unit_test(test_holiday_recurrence),
        cmocka_unit_test(test_china_arrangements),
        cmocka_unit_test(test_add_and_conflicts),
        cmocka_unit_test(test_load_csv),
        cmocka_unit_test(test_load_csv_errors_change_nothing),
        cmocka_unit_test(test_load_ics_quirks),
        cmocka_unit_test(test_load_ics_errors),
        cmocka_unit_test(test_shared_feeds_agree_with_shipped_data),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_lunar_months_against_lunardate),
        cmocka_unit_test(test_qingming),
        cmocka_unit_test(test_law_against_notices),
        cmocka_unit_test(test_law_history),
    };
    return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
