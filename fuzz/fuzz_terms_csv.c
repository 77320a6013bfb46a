/* libFuzzer target: drill_units_load_terms_csv_buffer() on arbitrary bytes,
 * into a registry with the built-in classes and their Dalian default breaks
 * (and, for about one input in two, a dated winter break of 2027 already).
 * Checks the documented contract: a documented code with a message and,
 * for parse errors, the source and a line and column inside the text; all
 * or nothing (a failed load leaves every break and every in-term answer as
 * it was); after a successful load, the count of breaks read, every break
 * listed and in-term answers for each class with terms on every third day
 * of 2026-2028. Every documented promise that fails aborts (see
 * fuzz_common.h). */
#include "fuzz_common.h"

#define SOURCE "terms.csv"

static const int documented[] = { DRILL_EPARSE, DRILL_EEXISTS, DRILL_ENOTFOUND, DRILL_EINVAL, DRILL_ERANGE,
                                  DRILL_ENOMEM, 0 };

static drill_units *fuzz_registry(int dated)
{
    drill_units *u = NULL;
    FUZZ_CHECK(drill_units_new(&u) == 0);
    static const char *const classes[] = { "school", "kindergarten", "boarding-school", "special-school" };
    for (size_t i = 0; i < 4; i++) {
        drill_unit x = DRILL_UNIT_INIT;
        x.id = classes[i];
        x.name = classes[i];
        x.area = "大连市/中山区";
        x.unit_class = classes[i];
        FUZZ_CHECK(drill_units_add(u, &x) == 0);
    }
    if (dated) {
        drill_date a, b;
        FUZZ_CHECK(drill_date_make(&a, 2027, 1, 16) == 0 && drill_date_make(&b, 2027, 2, 21) == 0);
        FUZZ_CHECK(drill_units_add_break(u, "school", a, b, "寒假") == 0);
    }
    return u;
}

/* in-term answers of the four units on every third day of 2026-2028, packed */
static void in_term_map(uint8_t *out, const drill_units *u)
{
    size_t k = 0;
    for (size_t i = 0; i < 4; i++) {
        drill_date d;
        FUZZ_CHECK(drill_date_make(&d, 2026, 1, 1) == 0);
        for (int n = 0; n < 366; n++) {
            int t = -1;
            FUZZ_CHECK(drill_units_is_in_term(&t, u, i, d) == 0);
            FUZZ_CHECK(t == 0 || t == 1);
            out[k++] = (uint8_t)t;
            FUZZ_CHECK(drill_date_add_days(&d, d, 3) == 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    drill_units *u = fuzz_registry((int)(fuzz_hash(data, size) & 1));
    static uint8_t before[4 * 366], after[4 * 366];
    in_term_map(before, u);
    size_t nbefore = drill_units_break_count(u), loaded = (size_t)-1;
    int rc = drill_units_load_terms_csv_buffer(&loaded, u, (const char *)data, size, SOURCE);
    const drill_error *e = drill_error_last();
    if (rc) {
        int ok = 0;
        for (const int *c = documented; *c; c++)
            ok |= *c == rc;
        FUZZ_CHECK(ok);
        FUZZ_CHECK(e->code == rc && e->message && *e->message);
        if (rc == DRILL_EPARSE) {
            FUZZ_CHECK(strcmp(e->source, SOURCE) == 0);
            FUZZ_CHECK(e->line >= 1 && e->column >= 1);
        }
        FUZZ_CHECK(loaded == (size_t)-1); /* not written on failure */
        FUZZ_CHECK(drill_units_break_count(u) == nbefore);
        in_term_map(after, u);
        FUZZ_CHECK(memcmp(before, after, sizeof before) == 0);
    } else {
        FUZZ_CHECK(loaded <= drill_units_break_count(u) + 8); /* yearly ones replace by name */
        FUZZ_CHECK(drill_units_break_count(u) <= nbefore + loaded);
        for (size_t i = 0; i < drill_units_break_count(u); i++) {
            drill_break b = DRILL_BREAK_INIT;
            FUZZ_CHECK(drill_units_break_at(&b, u, i) == 0);
            FUZZ_CHECK(b.class_id && *b.class_id && b.name && *b.name);
            FUZZ_CHECK(b.yearly == 0 || b.yearly == 1);
            if (!b.yearly)
                FUZZ_CHECK(drill_date_check(b.from) == 0 && drill_date_check(b.to) == 0);
        }
        in_term_map(after, u);
    }
    drill_units_free(u);
    return 0;
}
