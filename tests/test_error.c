/* The error model: codes, names, the per-thread last error, the version. */
#include <pthread.h>
#include "testutil.h"

static void test_strerror_names_every_code(void **state)
{
    (void)state;
    static const struct { int code; const char *name; } names[] = {
        { DRILL_OK, "success" },           { DRILL_EINVAL, "invalid argument" },
        { DRILL_ENOMEM, "out of memory" }, { DRILL_ENOTFOUND, "not found" },
        { DRILL_EEXISTS, "already exists" }, { DRILL_EPARSE, "parse error" },
        { DRILL_ERANGE, "out of range" },  { DRILL_ESTATE, "not allowed in this state" },
        { DRILL_EIO, "I/O error" },        { DRILL_EVERSION, "unsupported version" },
        { DRILL_ENODATA, "no data" },       { DRILL_ECORRUPT, "corrupt or foreign file" },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        assert_string_equal(drill_strerror(names[i].code), names[i].name);
    assert_string_equal(drill_strerror(-999), "unknown error");
    assert_string_equal(drill_strerror(5), "unknown error");
}

static void test_last_error_and_clear(void **state)
{
    (void)state;
    drill_error_clear();
    const drill_error *e = drill_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, 0);
    assert_string_equal(e->message, "");
    assert_string_equal(e->source, "");
    drill_date d;
    assert_int_equal(drill_date_parse(&d, "2026-02-30"), DRILL_EPARSE);
    e = drill_error_last();
    assert_int_equal(e->code, DRILL_EPARSE);
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 9);
    /* success does not clear it */
    assert_int_equal(drill_date_parse(&d, "2026-02-28"), 0);
    assert_int_equal(drill_error_last()->code, DRILL_EPARSE);
    /* a later failure without a position resets line and column */
    assert_int_equal(drill_date_make(NULL, 2026, 1, 1), DRILL_EINVAL);
    assert_int_equal(drill_error_last()->line, 0);
    assert_int_equal(drill_error_last()->column, 0);
    assert_string_equal(drill_error_last()->source, "");
    drill_error_clear();
    assert_int_equal(drill_error_last()->code, 0);
}

static void *other_thread(void *arg)
{
    (void)arg;
    drill_date d;
    drill_date_make(&d, 2023, 2, 29); /* DRILL_ERANGE on this thread only */
    int ok = drill_error_last()->code == DRILL_ERANGE && strstr(drill_error_last()->message, "leap");
    return ok ? (void *)1 : NULL;
}

static void test_error_is_per_thread(void **state)
{
    (void)state;
    assert_int_equal(drill_date_make(NULL, 1, 1, 1), DRILL_EINVAL);
    pthread_t t;
    void *ok = NULL;
    assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
    assert_int_equal(pthread_join(t, &ok), 0);
    assert_non_null(ok);
    assert_int_equal(drill_error_last()->code, DRILL_EINVAL);
    assert_non_null(strstr(drill_error_last()->message, "NULL"));
}

static void test_version(void **state)
{
    (void)state;
    char expect[32];
    assert_int_equal(drill_version(), DRILL_VERSION_NUMBER);
    snprintf(expect, sizeof expect, "%d.%d.%d", DRILL_VERSION_MAJOR, DRILL_VERSION_MINOR, DRILL_VERSION_PATCH);
    assert_string_equal(drill_version_string(), expect);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_names_every_code),
        cmocka_unit_test(test_last_error_and_clear),
        cmocka_unit_test(test_error_is_per_thread),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
