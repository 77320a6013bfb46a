/* Text and locale: every cut at a UTF-8 boundary, messages always UTF-8,
 * nothing that depends on LC_CTYPE or LC_NUMERIC (issue 15, items 3 and 4).
 * Links the static library: it also tests the private helpers of util.c and
 * error.c. */
#include <locale.h>
#include "internal.h"
#include "testutil.h"

static int valid(const char *s)
{
    return drill__utf8_valid(s, strlen(s));
}

static void assert_valid_message(void)
{
    const char *m = drill_error_last()->message;
    if (!valid(m))
        fail_msg("the message is not UTF-8: '%s'", m);
}

/* n copies of a piece */
static char *repeat(const char *piece, size_t n)
{
    size_t k = strlen(piece);
    char *s = malloc(k * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * k, piece, k);
    s[k * n] = '\0';
    return s;
}

static void test_cut(void **state)
{
    (void)state;
    /* 中 is 3 bytes, é 2, 😀 4 */
    assert_int_equal(drill__utf8_cut("abc", 2), 2);
    assert_int_equal(drill__utf8_cut("中文", 3), 3);
    assert_int_equal(drill__utf8_cut("中文", 4), 3);
    assert_int_equal(drill__utf8_cut("中文", 5), 3);
    assert_int_equal(drill__utf8_cut("中文", 6), 6);
    assert_int_equal(drill__utf8_cut("a中", 2), 1);
    assert_int_equal(drill__utf8_cut("é", 1), 0);
    for (size_t k = 1; k < 4; k++)
        assert_int_equal(drill__utf8_cut("x\xF0\x9F\x98\x80", 1 + k), 1);
    assert_int_equal(drill__utf8_cut("x\xF0\x9F\x98\x80", 5), 5);
    assert_int_equal(drill__utf8_cut("", 0), 0);
    /* every cut of a mixed text is a prefix of whole characters */
    const char *mixed = "a中é😀b大连市/中山区";
    for (size_t len = 0; len <= strlen(mixed); len++) {
        size_t k = drill__utf8_cut(mixed, len);
        assert_true(k <= len && len - k < 4);
        assert_true(drill__utf8_valid(mixed, k));
    }
    /* the public form, for drillctl and other programs */
    assert_int_equal(drill_utf8_cut("中文", 4), 3);
    assert_int_equal(drill_utf8_cut("中文", 100), 6);
    assert_int_equal(drill_utf8_cut("ab", 1), 1);
    assert_int_equal(drill_utf8_cut(NULL, 5), 0);
    char buf[8];
    assert_int_equal(drill__format(buf, sizeof buf, "%s", "中中中"), 9);
    assert_string_equal(buf, "中中");
    assert_int_equal(drill__format(buf, sizeof buf, "%s", "ab中中"), 8);
    assert_string_equal(buf, "ab中");
    char head[41];
    char *long_id = repeat("中", 60);
    drill__utf8_copy(head, sizeof head, long_id);
    assert_int_equal(strlen(head), 39);
    assert_true(valid(head));
    free(long_id);
}

static void test_messages(void **state)
{
    (void)state;
    drill_units *units;
    assert_int_equal(drill_units_new(&units), 0);
    /* an over-long id and area: quoted with whole characters (once '%.40s', cut inside 中) */
    char *id = repeat("中", 60);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = id;
    u.name = "x";
    u.area = "大连市/中山区";
    u.unit_class = "hotel";
    assert_fails_with(drill_units_add(units, &u), DRILL_EINVAL, "中中中中中中中中中中中中中...' is longer");
    assert_valid_message();
    u.id = "ok";
    char *districts = repeat("区", 200), *area = malloc(strlen(districts) + 16);
    sprintf(area, "大连市/%s", districts);
    free(districts);
    u.area = area;
    assert_fails_with(drill_units_add(units, &u), DRILL_EINVAL, "is longer than 511 bytes");
    assert_valid_message();
    /* the same through the CSV reader */
    size_t n = strlen(id) + strlen(area) + 100;
    char *csv = malloc(n);
    snprintf(csv, n, "id,name,area,class\n%s,x,大连市/中山区,hotel\n", id);
    assert_fails_with(drill_units_import_csv_buffer(NULL, NULL, units, csv, strlen(csv), "u.csv", NULL), DRILL_EPARSE,
                      "longer than 127 bytes");
    assert_valid_message();
    snprintf(csv, n, "id,name,area,class\nok,x,%s,hotel\n", area);
    assert_fails_with(drill_units_import_csv_buffer(NULL, NULL, units, csv, strlen(csv), "u.csv", NULL), DRILL_EPARSE,
                      "longer than 511 bytes");
    assert_valid_message();
    /* a message longer than the buffer ends on a whole character */
    char *huge = repeat("中", 700);
    drill__error(DRILL_EINVAL, "x%s", huge);
    assert_valid_message();
    assert_true(strlen(drill_error_last()->message) > 1000);
    drill__error_at(huge, 3, 4, "bad");
    assert_true(valid(drill_error_last()->source));
    /* bytes that are not UTF-8 in a message are written out, never passed on */
    drill__error(DRILL_EINVAL, "bad '%s'", "a\xff\xfe" "b\xe4\xb8");
    assert_valid_message();
    assert_string_equal(drill_error_last()->message, "bad 'a\\xFF\\xFEb\\xE4\\xB8'");
    free(huge);
    free(csv);
    free(area);
    free(id);
    drill_units_free(units);
}

/* a small plan, one drill held */
static void small_world(world *w)
{
    world_generate(w, 20);
    world_plan(w);
}

static void test_audit_and_reports(void **state)
{
    (void)state;
    world w;
    small_world(&w);
    drill_item it = DRILL_ITEM_INIT;
    size_t i = 0;
    for (; i < drill_plan_count(w.plan); i++) {
        drill_plan_get(&it, w.plan, i);
        if (it.status == DRILL_STATUS_SCHEDULED && it.date.month < 6)
            break;
    }
    assert_true(i < drill_plan_count(w.plan));
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = it.date;
    o.start_minute = 9 * 60;
    o.end_minute = 10 * 60;
    o.kind = it.kind;
    o.participants = 10;
    assert_int_equal(drill_track_hold(w.plan, it.id, &o, "tester", NULL), 0);
    /* an action text far longer than the audit entry's value: cut between characters */
    char *text = repeat("疏散通道堵塞", 60);
    drill_action a = DRILL_ACTION_INIT;
    a.finding = "通道";
    a.action = text;
    a.owner = "物业";
    a.due = D(2026, 6, 30);
    assert_int_equal(drill_track_add_action(NULL, w.plan, it.id, &a, "tester", NULL), 0);
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    assert_int_equal(drill_audit_get(&e, w.plan, drill_audit_count(w.plan) - 1), 0);
    assert_true(strlen(e.new_value) > 500);
    if (!valid(e.new_value))
        fail_msg("the audit entry is not UTF-8: '%s'", e.new_value);
    /* the reminders name the overdue action: a cell of whole characters */
    drill_table *t;
    assert_int_equal(drill_report_reminders(&t, w.plan, D(2026, 9, 1), 14), 0);
    size_t found = 0;
    for (size_t r = 0; r < drill_table_rows(t); r++)
        for (size_t c = 0; c < drill_table_columns(t); c++) {
            const char *cell;
            assert_int_equal(drill_table_cell(&cell, t, r, c), 0);
            assert_true(valid(cell));
            found += strstr(cell, "疏散通道堵塞") != NULL;
        }
    assert_true(found > 0);
    drill_table_free(t);
    free(text);
    world_free(&w);
}

/* the library under another locale: headers still found, numbers still with a point */
static void test_locales(void **state)
{
    (void)state;
    static const char *const locales[] = { "tr_TR.UTF-8", "de_DE.UTF-8" };
    int tried = 0;
    for (size_t k = 0; k < 2; k++) {
        if (!setlocale(LC_ALL, locales[k])) {
            print_message("locale %s is not installed (make deps generates it): not tried\n", locales[k]);
            continue;
        }
        tried++;
        assert_int_equal(drill__ascii_casecmp("ID", "id"), 0);
        assert_int_equal(drill__ascii_casecmp("KIND", "kind"), 0);
        assert_true(drill__ascii_casecmp("I", "\xc4\xb1") != 0); /* dotless ı is not i */
        assert_int_equal(drill__ascii_ncasecmp("BEGIN:VEVENT", "begin:x", 6), 0);
        /* CSV headers in capitals (strcasecmp under tr_TR does not match "ID" with "id") */
        drill_units *units;
        assert_int_equal(drill_units_new(&units), 0);
        const char *csv = "ID,NAME,AREA,CLASS,RISK,FLOOD_PRONE\r\nU1,甲,大连市/中山区,hotel,MAJOR,YES\r\n";
        size_t imported = 0;
        int rc = drill_units_import_csv_buffer(NULL, &imported, units, csv, strlen(csv), "u.csv", NULL);
        if (rc)
            fail_msg("under %s: %s", locales[k], drill_error_last()->message);
        assert_int_equal(imported, 1);
        drill_units_free(units);
        /* the coverage percentage: "0.4", never "0,4" */
        world w;
        small_world(&w);
        drill_table *t;
        assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_DISTRICT, D(2026, 12, 31)), 0);
        size_t col = 0;
        while (strcmp(drill_table_column(t, col), "coverage_percent") != 0)
            col++;
        for (size_t r = 0; r < drill_table_rows(t); r++) {
            const char *cell;
            assert_int_equal(drill_table_cell(&cell, t, r, col), 0);
            assert_non_null(strchr(cell, '.'));
            assert_null(strchr(cell, ','));
        }
        drill_table_free(t);
        world_free(&w);
    }
    setlocale(LC_ALL, "");
    if (!tried)
        print_message("no other locale tried: run make deps\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_audit_and_reports),
        cmocka_unit_test(test_locales),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
