/* Shared by the cmocka tests. */
#ifndef DRILL_TESTUTIL_H
#define DRILL_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <locale.h>
#include <drill/drill.h>

/* every test program runs in the locale of its environment (make check runs
 * the suites again under tr_TR.UTF-8 and de_DE.UTF-8): the library must not
 * depend on it */
__attribute__((constructor)) static void drill_test_locale(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_MESSAGES, "C"); /* as drillctl: messages stay English */
}

/* assert a call fails with code, and that the message is set and mentions needle */
#define assert_fails_with(call, expect_, needle_)                                          \
    do {                                                                                  \
        drill_error_clear();                                                              \
        int rc_ = (call);                                                                 \
        if (rc_ != (expect_) || drill_error_last()->code != (expect_) ||                  \
            !strstr(drill_error_last()->message, (needle_)))                              \
            fail_msg("%s: rc %d (want %d), message '%s' (want '%s')", #call, rc_, (expect_), \
                     drill_error_last()->message, (needle_));                             \
    } while (0)

/* assert a date equals y-m-d */
#define assert_date(d_, y_, m_, day_)                                                    \
    do {                                                                                  \
        drill_date x_ = (d_);                                                             \
        if (x_.year != (y_) || x_.month != (m_) || x_.day != (day_))                      \
            fail_msg("%s is %04d-%02d-%02d, want %04d-%02d-%02d", #d_, x_.year, x_.month, \
                     x_.day, (y_), (m_), (day_));                                         \
    } while (0)

static inline drill_date D(int y, int m, int d)
{
    drill_date x = { y, m, d };
    return x;
}

/* the path of a fixture under DRILL_TEST_DATA (tests/data when unset); a
 * missing fixture fails the test, it never skips it */
static inline const char *test_data_path(char *buf, size_t n, const char *rel)
{
    const char *base = getenv("DRILL_TEST_DATA");
    snprintf(buf, n, "%s/%s", base ? base : "tests/data", rel);
    FILE *f = fopen(buf, "rb");
    if (!f)
        fail_msg("test fixture %s is missing", buf);
    fclose(f);
    return buf;
}

/* 1 when the suite runs again under a slow runner or another locale
 * (DRILL_TEST_QUICK, set by make check-asan, check-valgrind and
 * check-locales): the tests that repeat a case many times, or plan a whole
 * city, take fewer rounds or a smaller city; `make test` runs them full
 * size. Every path still runs. */
static inline int test_quick(void)
{
    const char *q = getenv("DRILL_TEST_QUICK");
    return q && *q && strcmp(q, "0") != 0;
}

/* n, or a tenth of it (at least 1) in a quick run */
static inline int test_rounds(int n)
{
    return test_quick() ? (n / 10 > 0 ? n / 10 : 1) : n;
}

/* the registries a test plans from, and its plan; each test fills them */
typedef struct world {
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    drill_plan *plan;
} world;

/* fill an empty world's registries: count generated units (none when 0),
 * the preset rules, the built-in campaigns and China's calendar */
static inline void world_generate(world *w, size_t count)
{
    assert_int_equal(drill_units_new(&w->units), 0);
    if (count) {
        drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
        g.count = count;
        assert_int_equal(drill_units_generate(w->units, &g), 0);
    }
    assert_int_equal(drill_rules_new_presets(&w->rules), 0);
    assert_int_equal(drill_campaigns_new_builtin(&w->campaigns, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&w->cal), 0);
}

/* plan 2026 from the world's registries and schedule it with the defaults */
static inline void world_plan(world *w)
{
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2026;
    assert_int_equal(drill_plan_new(&w->plan, w->units, w->rules, w->campaigns, w->cal, &o), 0);
    assert_int_equal(drill_plan_schedule(NULL, w->plan, NULL), 0);
}

/* free all of the world and leave it empty */
static inline void world_free(world *w)
{
    drill_plan_free(w->plan);
    drill_calendar_free(w->cal);
    drill_campaigns_free(w->campaigns);
    drill_rules_free(w->rules);
    drill_units_free(w->units);
    memset(w, 0, sizeof *w);
}

#endif
