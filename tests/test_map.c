/* The string map (libdrill/map.c): many keys, collisions, removal, growth,
 * out of memory, keys in a pool that moves. */
#include "testutil.h"
#include "map.h"
#include "vec.h"

/* calloc can be failed (linked with --wrap, see the Makefile) */
void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
static int fail_next;
void *__wrap_calloc(size_t n, size_t size)
{
    if (fail_next) {
        fail_next = 0;
        return NULL;
    }
    return __real_calloc(n, size);
}
void *__wrap_malloc(size_t n)
{
    if (fail_next) {
        fail_next = 0;
        return NULL;
    }
    return __real_malloc(n);
}

/* keys as offsets into one pool that moves as it grows, as unit.c keeps them */
typedef struct keys {
    char *pool;
    size_t len, cap;
    uint32_t *off;
    size_t n, off_cap;
} keys;

static const char *key_of(const void *ctx, size_t i)
{
    const keys *k = ctx;
    return k->pool + k->off[i];
}

static void add_key(keys *k, const char *s)
{
    size_t n = strlen(s) + 1;
    assert_int_equal(DRILL__VEC_RESERVE(k->pool, k->cap, k->len + n), 0);
    assert_int_equal(DRILL__VEC_RESERVE(k->off, k->off_cap, k->n + 1), 0);
    memcpy(k->pool + k->len, s, n);
    k->off[k->n++] = (uint32_t)k->len;
    k->len += n;
}

static void test_many_keys(void **state)
{
    (void)state;
    keys k = { 0 };
    drill__map m = DRILL__MAP_INIT;
    char s[32];
    const size_t N = 300000;
    for (size_t i = 0; i < N; i++) {
        snprintf(s, sizeof s, "unit-%zu", i);
        size_t found;
        assert_int_equal(drill__map_get(&found, &m, s, key_of, &k), 0);
        add_key(&k, s);
        assert_int_equal(drill__map_put(&m, s, k.n - 1), 0);
        assert_true(m.count * 4 <= m.cap * 3); /* at most three quarters full */
    }
    assert_int_equal(m.count, N);
    assert_true(m.cap <= 4 * N); /* and not much emptier than half */
    for (size_t i = 0; i < N; i++) {
        snprintf(s, sizeof s, "unit-%zu", i);
        size_t found = SIZE_MAX;
        assert_int_equal(drill__map_get(&found, &m, s, key_of, &k), 1);
        assert_int_equal(found, i);
        snprintf(s, sizeof s, "unit-%zu-", i);
        assert_int_equal(drill__map_get(&found, &m, s, key_of, &k), 0);
    }
    /* empty key and UTF-8 keys */
    add_key(&k, "");
    assert_int_equal(drill__map_put(&m, "", k.n - 1), 0);
    add_key(&k, "甘井子区");
    assert_int_equal(drill__map_put(&m, "甘井子区", k.n - 1), 0);
    size_t found;
    assert_int_equal(drill__map_get(&found, &m, "", key_of, &k), 1);
    assert_int_equal(found, N);
    assert_int_equal(drill__map_get(&found, &m, "甘井子区", key_of, &k), 1);
    assert_int_equal(found, N + 1);
    assert_int_equal(drill__map_get(&found, &m, "甘井子", key_of, &k), 0);
    drill__map_free(&m);
    assert_null(m.slots);
    assert_int_equal(drill__map_get(&found, &m, "unit-1", key_of, &k), 0);
    free(k.pool);
    free(k.off);
}

/* entries keyed by an int, hashed by a function the test chooses */
static int int_eq(const void *ctx, size_t index, const void *key)
{
    const int *vals = ctx;
    return vals[index] == *(const int *)key;
}

static uint32_t bad_hash(int v)
{
    /* three hashes for everything, at the table's very end, so probe runs wrap round */
    return 0xFFFFFFFFu - (uint32_t)(v % 3);
}

static void test_collisions_and_removal(void **state)
{
    (void)state;
    enum { N = 2000 };
    static int vals[N];
    static int present[N];
    drill__map m = DRILL__MAP_INIT;
    for (int i = 0; i < N; i++) {
        vals[i] = i * 10;
        assert_int_equal(drill__map_add(&m, bad_hash(vals[i]), (size_t)i), 0);
        present[i] = 1;
    }
    /* a seeded pseudo-random walk of removals and re-additions, checked against the model */
    uint32_t x = 12345;
    for (int step = 0; step < 20000; step++) {
        x = x * 1103515245u + 12345u;
        int i = (int)((x >> 8) % N);
        if (present[i]) {
            drill__map_remove(&m, bad_hash(vals[i]), (size_t)i);
            present[i] = 0;
        } else {
            assert_int_equal(drill__map_add(&m, bad_hash(vals[i]), (size_t)i), 0);
            present[i] = 1;
        }
        if (step % 997 == 0) {
            size_t count = 0;
            for (int j = 0; j < N; j++) {
                size_t found = SIZE_MAX;
                int has = drill__map_find(&found, &m, bad_hash(vals[j]), int_eq, vals, &vals[j]);
                assert_int_equal(has, present[j]);
                if (has)
                    assert_int_equal(found, (size_t)j);
                count += (size_t)present[j];
            }
            assert_int_equal(m.count, count);
        }
    }
    /* removing what is not there changes nothing */
    size_t before = m.count;
    for (int j = 0; j < N; j++)
        if (!present[j])
            drill__map_remove(&m, bad_hash(vals[j]), (size_t)j);
    assert_int_equal(m.count, before);
    drill__map_remove(&m, 7, 5 * N);
    assert_int_equal(m.count, before);
    /* a copy finds the same, and clear empties */
    drill__map c;
    assert_int_equal(drill__map_copy(&c, &m), 0);
    for (int j = 0; j < N; j++) {
        size_t found;
        assert_int_equal(drill__map_find(&found, &c, bad_hash(vals[j]), int_eq, vals, &vals[j]), present[j]);
    }
    drill__map_clear(&c);
    assert_int_equal(c.count, 0);
    for (int j = 0; j < N; j++) {
        size_t found;
        assert_int_equal(drill__map_find(&found, &c, bad_hash(vals[j]), int_eq, vals, &vals[j]), 0);
    }
    drill__map_free(&c);
    drill__map_free(&m);
}

static void test_out_of_memory_changes_nothing(void **state)
{
    (void)state;
    keys k = { 0 };
    drill__map m = DRILL__MAP_INIT;
    char s[32];
    int failures = 0;
    for (size_t i = 0; i < 5000; i++) {
        snprintf(s, sizeof s, "k%zu", i);
        add_key(&k, s);
        if ((m.count + 1) * 4 > m.cap * 3) { /* this one grows the table: fail it first */
            drill__map was = m;
            fail_next = 1;
            assert_fails_with(drill__map_put(&m, s, i), DRILL_ENOMEM, "out of memory");
            assert_memory_equal(&m, &was, sizeof m);
            size_t found;
            assert_int_equal(drill__map_get(&found, &m, s, key_of, &k), 0);
            for (size_t j = 0; j < i; j += 97) {
                assert_int_equal(drill__map_get(&found, &m, key_of(&k, j), key_of, &k), 1);
                assert_int_equal(found, j);
            }
            failures++;
        }
        assert_int_equal(drill__map_put(&m, s, i), 0);
    }
    assert_true(failures >= 5);
    /* a failed copy leaves its target alone */
    drill__map c = { (drill__map_slot *)&failures, 1, 2 };
    fail_next = 1;
    assert_fails_with(drill__map_copy(&c, &m), DRILL_ENOMEM, "out of memory");
    assert_ptr_equal(c.slots, (drill__map_slot *)&failures);
    assert_int_equal(c.cap, 1);
    /* reserving past what can be addressed */
    assert_fails_with(drill__map_reserve(&m, SIZE_MAX / 2), DRILL_ENOMEM, "out of memory");
    assert_int_equal(m.count, 5000);
    drill__map_free(&m);
    free(k.pool);
    free(k.off);
}

static void test_index_range(void **state)
{
    (void)state;
    drill__map m = DRILL__MAP_INIT;
    assert_fails_with(drill__map_add(&m, 1, DRILL__MAP_MAX), DRILL_ERANGE, "at most");
    assert_int_equal(m.count, 0);
    assert_int_equal(drill__map_add(&m, 1, DRILL__MAP_MAX - 1), 0);
    assert_int_equal(m.count, 1);
    drill__map_remove(&m, 1, DRILL__MAP_MAX - 1);
    assert_int_equal(m.count, 0);
    drill__map_free(&m);
}

static void test_hash(void **state)
{
    (void)state;
    /* FNV-1a's published test values, from FNV's own offset basis */
    const uint64_t basis = 0xcbf29ce484222325ULL;
    assert_true(drill__fnv1a(basis, "") == basis);
    assert_true(drill__fnv1a(basis, "a") == 0xaf63dc4c8601ec8cULL);
    assert_true(drill__fnv1a(basis, "foobar") == 0x85944171f73967e8ULL);
    /* continuing a hash is hashing the concatenation */
    assert_true(drill__fnv1a(drill__fnv1a(basis, "foo"), "bar") == 0x85944171f73967e8ULL);
    /* libdrill's own start (map.h), on which plans' biennial years depend */
    assert_true(drill__fnv1a(DRILL__FNV_OFFSET, "") == 1469598103934665603ULL);
    /* keys that differ in one byte spread over the low bits the table uses */
    int seen[64] = { 0 }, distinct = 0;
    char s[8] = "key-0";
    for (int c = 0; c < 64; c++) {
        s[4] = (char)('0' + c);
        int b = (int)(drill__map_hash(s) & 63);
        distinct += !seen[b];
        seen[b] = 1;
    }
    assert_true(distinct > 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_collisions_and_removal),
        cmocka_unit_test(test_out_of_memory_changes_nothing),
        cmocka_unit_test(test_index_range),
        cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
