/* Campaigns: built-ins for any year, user rules, per-year data, windows. */
#include "testutil.h"

static drill_campaigns *builtin(void)
{
    drill_campaigns *set = NULL;
    assert_int_equal(drill_campaigns_new_builtin(&set, NULL), 0);
    return set;
}

static drill_campaign_window window(const drill_campaigns *set, const char *id, int year, const drill_calendar *cal)
{
    drill_campaign_window w = DRILL_CAMPAIGN_WINDOW_INIT;
    if (drill_campaigns_window(&w, set, id, year, cal))
        fail_msg("%s %d: %s", id, year, drill_error_last()->message);
    return w;
}

#define assert_window(w_, sy, sm, sd, ey, em, ed) \
    do {                                          \
        assert_date((w_).start, sy, sm, sd);      \
        assert_date((w_).end, ey, em, ed);        \
    } while (0)

static void test_builtin_windows(void **state)
{
    (void)state;
    drill_campaigns *set = builtin();
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new_china(&cal), 0);
    assert_int_equal(drill_campaigns_count(set), 8);

    drill_campaign_window w = window(set, "work-safety-month", 2026, cal);
    assert_window(w, 2026, 6, 1, 2026, 6, 30);
    assert_string_equal(w.name, "安全生产月");
    assert_string_equal(w.name_en, "Work Safety Month");
    assert_non_null(strstr(w.source, "2002"));
    assert_int_equal(w.days, 30);
    assert_int_equal(w.working_days, 21); /* 22 weekdays less Dragon Boat Festival, Friday June 19 */
    assert_int_equal(w.holidays, 3);
    assert_int_equal(w.covered, 1);
    assert_int_equal(w.origin, DRILL_WINDOW_RULE);

    w = window(set, "disaster-reduction-day", 2026, NULL);
    assert_window(w, 2026, 5, 12, 2026, 5, 12);
    assert_int_equal(w.working_days, -1);
    assert_int_equal(w.covered, -1);

    w = window(set, "iddrr", 2026, NULL);
    assert_window(w, 2026, 10, 13, 2026, 10, 13);
    w = window(set, "iddrr", 2005, NULL); /* second Wednesday of October before 2009 */
    assert_window(w, 2005, 10, 12, 2005, 10, 12);
    assert_int_equal(w.origin, DRILL_WINDOW_DATA);
    w = window(set, "iddrr", 2009, NULL); /* still the second Wednesday: UNGA 64/200 fixed October 13 from 2010 */
    assert_window(w, 2009, 10, 14, 2009, 10, 14);
    assert_int_equal(w.origin, DRILL_WINDOW_DATA);
    w = window(set, "iddrr", 2010, NULL);
    assert_window(w, 2010, 10, 13, 2010, 10, 13);
    assert_int_equal(w.origin, DRILL_WINDOW_RULE);
    w = window(set, "iddrr", 1990, NULL); /* the first: Wednesday, October 10, 1990 */
    assert_window(w, 1990, 10, 10, 1990, 10, 10);

    w = window(set, "main-flood-season", 2026, NULL);
    assert_window(w, 2026, 7, 23, 2026, 8, 11);
    w = window(set, "pre-flood-season", 2026, cal);
    assert_window(w, 2026, 4, 1, 2026, 7, 22);
    assert_int_equal(w.holidays, 11); /* Qingming 3, Labour Day 5, Dragon Boat 3 */

    w = window(set, "fire-safety-day", 2027, NULL);
    assert_window(w, 2027, 11, 9, 2027, 11, 9);
    w = window(set, "fire-month", 2027, NULL);
    assert_window(w, 2027, 11, 1, 2027, 11, 30);

    /* campaigns that did not exist yet */
    drill_campaign_window out = DRILL_CAMPAIGN_WINDOW_INIT;
    assert_fails_with(drill_campaigns_window(&out, set, "work-safety-month", 2001, NULL), DRILL_ENOTFOUND, "2001");
    assert_fails_with(drill_campaigns_window(&out, set, "disaster-reduction-day", 2008, NULL), DRILL_ENOTFOUND,
                      "2008");
    assert_fails_with(drill_campaigns_window(&out, set, "iddrr", 1989, NULL), DRILL_ENOTFOUND, "1989");
    assert_fails_with(drill_campaigns_window(&out, set, "no-such", 2026, NULL), DRILL_ENOTFOUND, "no-such");
    assert_fails_with(drill_campaigns_window(&out, set, "fire-month", 2201, NULL), DRILL_ERANGE, "2201");

    /* next year without a notice: provisional, from the law (Dragon Boat, Wednesday June 9, 2027), and the
     * window says it is not covered */
    w = window(set, "work-safety-month", 2027, cal);
    assert_int_equal(w.covered, 0);
    assert_int_equal(w.working_days, 21);
    assert_int_equal(w.holidays, 1);
    /* from weekends alone, 22 */
    assert_int_equal(drill_calendar_set_policy(cal, DRILL_UNCOVERED_WEEKENDS), 0);
    w = window(set, "work-safety-month", 2027, cal);
    assert_int_equal(w.working_days, 22);
    drill_calendar_free(cal);
    drill_campaigns_free(set);
}

static void test_disaster_week_data_and_fallback(void **state)
{
    (void)state;
    drill_campaigns *set = builtin();
    static const int data[][3] = { { 2020, 9, 15 }, { 2021, 8, 14 }, { 2022, 7, 13 }, { 2023, 6, 12 }, { 2025, 12, 18 } };
    for (size_t i = 0; i < 5; i++) {
        drill_campaign_window w = window(set, "disaster-reduction-week", data[i][0], NULL);
        assert_window(w, data[i][0], 5, data[i][1], data[i][0], 5, data[i][2]);
        assert_int_equal(w.origin, DRILL_WINDOW_DATA);
    }
    drill_campaign_window w = window(set, "disaster-reduction-week", 2026, NULL);
    assert_int_equal(w.origin, DRILL_WINDOW_ESTIMATED);
    assert_window(w, 2026, 5, 9, 2026, 5, 15); /* the Saturday on or before May 12 */
    w = window(set, "disaster-reduction-week", 2024, NULL); /* as announced, no longer estimated */
    assert_int_equal(w.origin, DRILL_WINDOW_DATA);
    assert_window(w, 2024, 5, 11, 2024, 5, 17);
    w = window(set, "disaster-reduction-week", 2019, NULL);
    assert_int_equal(w.origin, DRILL_WINDOW_ESTIMATED);

    /* the documented fallback rule, as a user campaign, matches 2020-2023 but not 2025 */
    drill_campaign_def d = DRILL_CAMPAIGN_DEF_INIT;
    d.id = "fallback";
    d.name = "fallback";
    d.rule = DRILL_CAMPAIGN_FIXED;
    d.month = 5;
    d.day = 12;
    d.length_days = 7;
    d.align_weekday = DRILL_SATURDAY;
    assert_int_equal(drill_campaigns_add(set, &d), 0);
    for (size_t i = 0; i < 5; i++) {
        drill_campaign_window f = window(set, "fallback", data[i][0], NULL);
        assert_int_equal(f.origin, DRILL_WINDOW_RULE);
        assert_int_equal(f.start.day == data[i][1], data[i][0] != 2025);
    }
    /* announced dates replace the estimate, and can be corrected */
    assert_int_equal(drill_campaigns_set_year(set, "disaster-reduction-week", D(2026, 5, 10), D(2026, 5, 16)), 0);
    assert_int_equal(drill_campaigns_set_year(set, "disaster-reduction-week", D(2026, 5, 11), D(2026, 5, 17)), 0);
    w = window(set, "disaster-reduction-week", 2026, NULL);
    assert_int_equal(w.origin, DRILL_WINDOW_DATA);
    assert_window(w, 2026, 5, 11, 2026, 5, 17);
    assert_fails_with(drill_campaigns_set_year(set, "disaster-reduction-week", D(2026, 5, 17), D(2026, 5, 11)),
                      DRILL_EINVAL, "before");
    assert_fails_with(drill_campaigns_set_year(set, "disaster-reduction-week", D(2026, 1, 1), D(2027, 6, 1)),
                      DRILL_EINVAL, "366");
    assert_fails_with(drill_campaigns_set_year(set, "nope", D(2026, 5, 1), D(2026, 5, 2)), DRILL_ENOTFOUND, "nope");
    assert_fails_with(drill_campaigns_set_year(set, "fallback", D(2026, 2, 29), D(2026, 3, 2)), DRILL_ERANGE, "leap");
    drill_campaigns_free(set);
}

static void test_region_options(void **state)
{
    (void)state;
    drill_region_options r = DRILL_REGION_OPTIONS_INIT;
    r.flood_month = 6;
    r.flood_day = 15;
    r.flood_end_month = 8;
    r.flood_end_day = 31;
    r.flood_lead_days = 30;
    drill_campaigns *set = NULL;
    assert_int_equal(drill_campaigns_new_builtin(&set, &r), 0);
    drill_campaign_window w = window(set, "pre-flood-season", 2026, NULL);
    assert_window(w, 2026, 5, 16, 2026, 6, 14);
    drill_campaigns_free(set);
    set = NULL;
    r.flood_lead_days = 0;
    assert_fails_with(drill_campaigns_new_builtin(&set, &r), DRILL_EINVAL, "flood_lead_days");
    r.flood_lead_days = 30;
    r.flood_month = 13;
    assert_fails_with(drill_campaigns_new_builtin(&set, &r), DRILL_EINVAL, "region");
    r.flood_month = 9; /* ends before it starts */
    assert_fails_with(drill_campaigns_new_builtin(&set, &r), DRILL_EINVAL, "before");
    r.version = 2;
    assert_fails_with(drill_campaigns_new_builtin(&set, &r), DRILL_EVERSION, "version");
    assert_null(set);
}

static drill_campaign_def def(const char *id, drill_campaign_rule rule)
{
    drill_campaign_def d = DRILL_CAMPAIGN_DEF_INIT;
    d.id = id;
    d.name = "自定义";
    d.name_en = "custom";
    d.rule = rule;
    return d;
}

static void test_user_rules(void **state)
{
    (void)state;
    drill_campaigns *set = builtin();
    drill_campaign_def d = def("leap-day", DRILL_CAMPAIGN_FIXED);
    d.month = 2;
    d.day = 29;
    assert_int_equal(drill_campaigns_add(set, &d), 0);
    drill_campaign_window w = window(set, "leap-day", 2028, NULL);
    assert_window(w, 2028, 2, 29, 2028, 2, 29);
    drill_campaign_window out = DRILL_CAMPAIGN_WINDOW_INIT;
    assert_fails_with(drill_campaigns_window(&out, set, "leap-day", 2027, NULL), DRILL_ENOTFOUND, "2027");

    d = def("february", DRILL_CAMPAIGN_RANGE);
    d.month = 2;
    d.day = 1;
    d.end_month = 2;
    d.end_day = 29;
    assert_int_equal(drill_campaigns_add(set, &d), 0);
    w = window(set, "february", 2027, NULL);
    assert_window(w, 2027, 2, 1, 2027, 2, 28);

    d = def("second-wednesday", DRILL_CAMPAIGN_NTH_WEEKDAY);
    d.month = 10;
    d.nth = 2;
    d.weekday = DRILL_WEDNESDAY;
    assert_int_equal(drill_campaigns_add(set, &d), 0);
    w = window(set, "second-wednesday", 2026, NULL);
    assert_window(w, 2026, 10, 14, 2026, 10, 14);

    d = def("last-friday", DRILL_CAMPAIGN_NTH_WEEKDAY);
    d.month = 11;
    d.nth = -1;
    d.weekday = DRILL_FRIDAY;
    d.length_days = 3;
    assert_int_equal(drill_campaigns_add(set, &d), 0);
    w = window(set, "last-friday", 2026, NULL);
    assert_window(w, 2026, 11, 27, 2026, 11, 29);

    d = def("fifth-monday", DRILL_CAMPAIGN_NTH_WEEKDAY);
    d.month = 2;
    d.nth = 5;
    d.weekday = DRILL_MONDAY;
    assert_int_equal(drill_campaigns_add(set, &d), 0);
    assert_fails_with(drill_campaigns_window(&out, set, "fifth-monday", 2026, NULL), DRILL_ENOTFOUND, "2026");
    w = window(set, "fifth-monday", 2044, NULL); /* February 2044 starts on a Monday and has 29 days */
    assert_window(w, 2044, 2, 29, 2044, 2, 29);

    d = def("week-before-119", DRILL_CAMPAIGN_OFFSET);
    d.base = "fire-safety-day";
    d.start_offset = -7;
    d.end_offset = -1;
    assert_int_equal(drill_campaigns_add(set, &d), 0);
    w = window(set, "week-before-119", 2026, NULL);
    assert_window(w, 2026, 11, 2, 2026, 11, 8);
    assert_fails_with(drill_campaigns_window(&out, set, "week-before-119", 1991, NULL), DRILL_ENOTFOUND, "1991");

    d = def("bounded", DRILL_CAMPAIGN_FIXED);
    d.month = 3;
    d.day = 1;
    d.first_year = 2020;
    d.last_year = 2022;
    assert_int_equal(drill_campaigns_add(set, &d), 0);
    assert_fails_with(drill_campaigns_window(&out, set, "bounded", 2023, NULL), DRILL_ENOTFOUND, "2023");
    w = window(set, "bounded", 2021, NULL);
    assert_window(w, 2021, 3, 1, 2021, 3, 1);

    /* an OFFSET base cannot go while something hangs off it */
    assert_fails_with(drill_campaigns_remove(set, "fire-safety-day"), DRILL_ESTATE, "week-before-119");
    size_t before = drill_campaigns_count(set);
    assert_int_equal(drill_campaigns_remove(set, "leap-day"), 0);
    assert_int_equal(drill_campaigns_count(set), before - 1);
    /* indices shift; the offset campaign still finds its base */
    w = window(set, "week-before-119", 2026, NULL);
    assert_window(w, 2026, 11, 2, 2026, 11, 8);
    assert_int_equal(drill_campaigns_remove(set, "week-before-119"), 0);
    assert_int_equal(drill_campaigns_remove(set, "fire-safety-day"), 0);
    assert_fails_with(drill_campaigns_remove(set, "fire-safety-day"), DRILL_ENOTFOUND, "fire-safety-day");
    drill_campaigns_free(set);
}

static void test_bad_definitions(void **state)
{
    (void)state;
    drill_campaigns *set = builtin();
    static const struct { const char *field; int value; const char *needle; } fixed_cases[] = {
        { "month", 13, "month 13" }, { "day", 32, "day 32" }, { "align", 8, "align_weekday" },
        { "length", 400, "length_days" }, { "first", 1800, "first_year" },
    };
    for (size_t i = 0; i < sizeof fixed_cases / sizeof *fixed_cases; i++) {
        drill_campaign_def d = def("x", DRILL_CAMPAIGN_FIXED);
        d.month = 4;
        d.day = 31; /* April 31 never exists */
        if (i == 0) d.month = 13;
        else if (i == 1) { d.month = 1; d.day = 32; }
        else { d.month = 1; d.day = 1; }
        if (i == 2) d.align_weekday = 8;
        if (i == 3) d.length_days = 400;
        if (i == 4) d.first_year = 1800;
        assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, fixed_cases[i].needle);
    }
    drill_campaign_def d = def("x", DRILL_CAMPAIGN_FIXED);
    d.month = 4;
    d.day = 31;
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "day 31");
    d = def("x", DRILL_CAMPAIGN_NTH_WEEKDAY);
    d.month = 5;
    d.nth = 0;
    d.weekday = 1;
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "nth");
    d.nth = 1;
    d.weekday = 8;
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "weekday");
    d = def("x", DRILL_CAMPAIGN_OFFSET);
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "base");
    d.base = "nope";
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_ENOTFOUND, "nope");
    d.base = "iddrr";
    d.start_offset = 5;
    d.end_offset = 1;
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "end_offset");
    d = def("x", 42);
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "rule");
    d = def("x", DRILL_CAMPAIGN_FIXED);
    d.month = 1;
    d.day = 1;
    d.first_year = 2020;
    d.last_year = 2019;
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "last_year");
    d.last_year = 0;
    d.id = "has space";
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "id");
    d.id = "";
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "id");
    d.id = NULL;
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "(null)");
    d.id = "iddrr";
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EEXISTS, "iddrr");
    d.id = "x";
    d.name = NULL;
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "name");
    d.name = "\xff";
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EINVAL, "UTF-8");
    d.name = "ok";
    d.version = 7;
    assert_fails_with(drill_campaigns_add(set, &d), DRILL_EVERSION, "version");
    assert_int_equal(drill_campaigns_count(set), 8); /* nothing was added */
    drill_campaigns_free(set);
}

static void test_listing_a_year(void **state)
{
    (void)state;
    drill_campaigns *set = builtin();
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new_china(&cal), 0);
    const char *expect[] = { "work-safety-month", "disaster-reduction-day", "disaster-reduction-week", "iddrr",
                             "main-flood-season", "pre-flood-season", "fire-safety-day", "fire-month" };
    for (size_t i = 0; i < drill_campaigns_count(set); i++) {
        drill_campaign_window w = DRILL_CAMPAIGN_WINDOW_INIT;
        assert_int_equal(drill_campaigns_window_at(&w, set, i, 2026, cal), 0);
        assert_string_equal(w.id, expect[i]);
        assert_int_equal(w.year, 2026);
        assert_true(w.working_days >= 0 && w.working_days <= w.days);
    }
    /* in 2000 only some existed */
    int found = 0;
    for (size_t i = 0; i < drill_campaigns_count(set); i++) {
        drill_campaign_window w = DRILL_CAMPAIGN_WINDOW_INIT;
        int rc = drill_campaigns_window_at(&w, set, i, 2000, NULL);
        assert_true(rc == 0 || rc == DRILL_ENOTFOUND);
        found += rc == 0;
    }
    assert_int_equal(found, 5); /* iddrr, both flood windows, fire day and month */
    drill_campaign_window w = DRILL_CAMPAIGN_WINDOW_INIT;
    assert_fails_with(drill_campaigns_window_at(&w, set, 8, 2026, NULL), DRILL_ENOTFOUND, "index 8");
    drill_calendar_free(cal);
    drill_campaigns_free(set);
}

static void test_null_arguments(void **state)
{
    (void)state;
    drill_campaigns *set = builtin();
    drill_campaign_window w = DRILL_CAMPAIGN_WINDOW_INIT;
    drill_campaign_def d = def("x", DRILL_CAMPAIGN_FIXED);
    assert_fails_with(drill_campaigns_new(NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_new_builtin(NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_add(NULL, &d), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_add(set, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_remove(NULL, "x"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_remove(set, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_set_year(NULL, "x", D(2026, 1, 1), D(2026, 1, 2)), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_set_year(set, NULL, D(2026, 1, 1), D(2026, 1, 2)), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_window(NULL, set, "iddrr", 2026, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_window(&w, NULL, "iddrr", 2026, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_window(&w, set, NULL, 2026, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_window_at(NULL, set, 0, 2026, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_window_at(&w, NULL, 0, 2026, NULL), DRILL_EINVAL, "NULL");
    assert_int_equal(drill_campaigns_count(NULL), 0);
    drill_campaigns_free(NULL);
    drill_campaigns_free(set);
}

/* an operator moves the flood season: the definitions change in place, the per-year data stays */
static void test_update_get_find(void **state)
{
    (void)state;
    drill_campaigns *set = builtin();
    size_t i, years = 0;
    drill_campaign_def d = DRILL_CAMPAIGN_DEF_INIT;
    assert_int_equal(drill_campaigns_find(&i, set, "main-flood-season"), 0);
    assert_int_equal(drill_campaigns_get(&d, &years, set, i), 0);
    assert_string_equal(d.id, "main-flood-season");
    assert_int_equal(d.rule, DRILL_CAMPAIGN_RANGE);
    d.month = 7;
    d.day = 15;
    d.end_month = 8;
    d.end_day = 15;
    assert_int_equal(drill_campaigns_update(set, &d), 0);
    size_t j;
    assert_int_equal(drill_campaigns_find(&j, set, "main-flood-season"), 0);
    assert_int_equal(j, i); /* in its place */
    drill_campaign_window w = window(set, "pre-flood-season", 2027, NULL); /* follows its base */
    assert_window(w, 2027, 3, 24, 2027, 7, 14);
    assert_int_equal(drill_campaigns_find(&j, set, "pre-flood-season"), 0);
    assert_int_equal(drill_campaigns_get(&d, NULL, set, j), 0);
    d.start_offset = -30;
    assert_int_equal(drill_campaigns_update(set, &d), 0);
    w = window(set, "pre-flood-season", 2027, NULL);
    assert_window(w, 2027, 6, 15, 2027, 7, 14);
    /* the per-year data of a campaign survives an update of its definition */
    assert_int_equal(drill_campaigns_find(&j, set, "disaster-reduction-week"), 0);
    assert_int_equal(drill_campaigns_get(&d, &years, set, j), 0);
    assert_int_equal(years, 6);
    d.align_weekday = DRILL_MONDAY;
    assert_int_equal(drill_campaigns_update(set, &d), 0);
    w = window(set, "disaster-reduction-week", 2024, NULL);
    assert_window(w, 2024, 5, 11, 2024, 5, 17);
    assert_int_equal(w.origin, DRILL_WINDOW_DATA);
    w = window(set, "disaster-reduction-week", 2027, NULL); /* the Monday on or before May 12 */
    assert_window(w, 2027, 5, 10, 2027, 5, 16);
    /* errors change nothing */
    assert_int_equal(drill_campaigns_find(&i, set, "main-flood-season"), 0);
    assert_int_equal(drill_campaigns_get(&d, NULL, set, i), 0);
    drill_campaign_def bad = d;
    bad.end_month = 13;
    assert_fails_with(drill_campaigns_update(set, &bad), DRILL_EINVAL, "end_month");
    bad = d;
    bad.rule = DRILL_CAMPAIGN_OFFSET;
    bad.base = "pre-flood-season"; /* comes after it */
    bad.start_offset = -3;
    bad.end_offset = -1;
    assert_fails_with(drill_campaigns_update(set, &bad), DRILL_ENOTFOUND, "before it");
    bad.base = "main-flood-season";
    assert_fails_with(drill_campaigns_update(set, &bad), DRILL_EINVAL, "itself");
    bad = d;
    bad.id = "no-such";
    assert_fails_with(drill_campaigns_update(set, &bad), DRILL_ENOTFOUND, "no-such");
    bad = d;
    bad.version = 9;
    assert_fails_with(drill_campaigns_update(set, &bad), DRILL_EVERSION, "version");
    w = window(set, "main-flood-season", 2027, NULL);
    assert_window(w, 2027, 7, 15, 2027, 8, 15);
    assert_fails_with(drill_campaigns_get(&d, NULL, set, drill_campaigns_count(set)), DRILL_ENOTFOUND, "index");
    assert_fails_with(drill_campaigns_find(&i, set, "nope"), DRILL_ENOTFOUND, "nope");
    assert_fails_with(drill_campaigns_find(NULL, set, "iddrr"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_campaigns_update(NULL, &d), DRILL_EINVAL, "NULL");
    drill_campaigns_free(set);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_update_get_find),
        cmocka_unit_test(test_builtin_windows),
        cmocka_unit_test(test_disaster_week_data_and_fallback),
        cmocka_unit_test(test_region_options),
        cmocka_unit_test(test_user_rules),
        cmocka_unit_test(test_bad_definitions),
        cmocka_unit_test(test_listing_a_year),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests_name("campaign", tests, NULL, NULL);
}
