/* The growable array (libdrill/vec.c): growth, overflow, out of memory. */
#include "testutil.h"
#include "vec.h"

/* allocations are counted and can be failed (linked with --wrap, see the Makefile) */
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
static long reallocs, fail_next;
void *__wrap_realloc(void *p, size_t n)
{
    reallocs++;
    if (fail_next) {
        fail_next = 0;
        return NULL;
    }
    return __real_realloc(p, n);
}

static void test_growth_keeps_elements(void **state)
{
    (void)state;
    long *a = NULL;
    size_t count = 0, cap = 0, last_cap = 0;
    int grew = 0;
    reallocs = 0;
    for (long i = 0; i < 1000000; i++) {
        assert_int_equal(DRILL__VEC_RESERVE(a, cap, count + 1), 0);
        assert_true(cap >= count + 1);
        if (cap != last_cap) {
            if (last_cap)
                assert_int_equal(cap, last_cap * 2); /* geometric */
            last_cap = cap;
            grew++;
        }
        a[count++] = i * 7;
    }
    for (size_t i = 0; i < count; i++)
        assert_int_equal(a[i], (long)i * 7);
    assert_int_equal(reallocs, grew);
    assert_true(grew <= 20); /* 16 << 16 > 1,000,000 */
    /* room already there: no allocation */
    assert_int_equal(DRILL__VEC_RESERVE(a, cap, 10), 0);
    assert_int_equal(reallocs, grew);
    free(a);
}

static void test_first_capacity(void **state)
{
    (void)state;
    char *bytes = NULL;
    size_t cap = 0;
    assert_int_equal(DRILL__VEC_RESERVE(bytes, cap, 1), 0);
    assert_int_equal(cap, 256);
    /* a large first need is met at once, in one allocation */
    reallocs = 0;
    assert_int_equal(DRILL__VEC_RESERVE(bytes, cap, 100000), 0);
    assert_int_equal(reallocs, 1);
    assert_true(cap >= 100000 && cap < 200000);
    free(bytes);
    struct big { char x[100]; } *b = NULL;
    cap = 0;
    assert_int_equal(DRILL__VEC_RESERVE(b, cap, 1), 0);
    assert_int_equal(cap, 16);
    free(b);
}

static void test_overflow(void **state)
{
    (void)state;
    uint64_t *a = NULL;
    size_t cap = 0;
    assert_int_equal(DRILL__VEC_RESERVE(a, cap, 3), 0);
    a[0] = 11;
    a[2] = 33;
    size_t before = cap;
    uint64_t *was = a;
    /* need * size overflows size_t */
    reallocs = 0;
    assert_fails_with(DRILL__VEC_RESERVE(a, cap, SIZE_MAX / 4), DRILL_ENOMEM, "out of memory");
    assert_int_equal(reallocs, 0);
    assert_ptr_equal(a, was);
    assert_int_equal(cap, before);
    /* no overflow, but more than any allocator gives (2^60 bytes) */
    assert_fails_with(DRILL__VEC_RESERVE(a, cap, ((size_t)1 << 60) / 8), DRILL_ENOMEM, "out of memory");
    assert_ptr_equal(a, was);
    assert_int_equal(cap, before);
    assert_int_equal(a[0], 11);
    assert_int_equal(a[2], 33);
    /* zero-sized elements are refused rather than divided by */
    assert_fails_with(drill__vec_reserve(&a, &cap, 1000, 0), DRILL_ENOMEM, "out of memory");
    assert_int_equal(cap, before);
    free(a);
}

static void test_out_of_memory_changes_nothing(void **state)
{
    (void)state;
    int *a = NULL;
    size_t count = 0, cap = 0;
    int failures = 0;
    for (int i = 0; i < 5000; i++) {
        if (count == cap) { /* every growth fails once first */
            int *was = a;
            size_t was_cap = cap;
            fail_next = 1;
            assert_fails_with(DRILL__VEC_RESERVE(a, cap, count + 1), DRILL_ENOMEM, "out of memory");
            assert_ptr_equal(a, was);
            assert_int_equal(cap, was_cap);
            for (size_t k = 0; k < count; k++)
                assert_int_equal(a[k], (int)k);
            failures++;
        }
        assert_int_equal(DRILL__VEC_RESERVE(a, cap, count + 1), 0);
        a[count++] = i;
    }
    assert_true(failures >= 8);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growth_keeps_elements),
        cmocka_unit_test(test_first_capacity),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_out_of_memory_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
