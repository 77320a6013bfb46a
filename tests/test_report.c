/* Reports: coverage by every grouping, out of compliance, reminders, actions, CSV. */
#include <unistd.h>
#include "testutil.h"
#include "csv.h"

static void add_unit(world *w, const char *id, const char *area, const char *cls, drill_risk risk)
{
    drill_unit u = DRILL_UNIT_INIT;
    u.id = id;
    u.name = id;
    u.area = area;
    u.unit_class = cls;
    u.risk = risk;
    u.contact = "张伟";
    u.phone = "13900000000";
    assert_int_equal(drill_units_add(w->units, &u), 0);
}

static void setup(world *w)
{
    assert_int_equal(drill_units_new(&w->units), 0);
    assert_int_equal(drill_rules_new(&w->rules), 0);
    assert_int_equal(drill_campaigns_new_builtin(&w->campaigns, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&w->cal), 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "half";
    r.name = "half";
    r.kind = DRILL_KIND_ONSITE;
    r.frequency = DRILL_FREQ_HALF_YEARLY;
    assert_int_equal(drill_rules_add(w->rules, &r), 0);
    r.id = "june";
    r.frequency = DRILL_FREQ_YEARLY;
    r.campaign = "work-safety-month";
    assert_int_equal(drill_rules_add(w->rules, &r), 0);
    add_unit(w, "A", "大连市/中山区/x", "hotel", DRILL_RISK_MAJOR);   /* key enterprise */
    add_unit(w, "B", "大连市/西岗区/y", "enterprise", DRILL_RISK_LOW); /* other enterprise */
    add_unit(w, "C", "大连市/西岗区/z", "government", DRILL_RISK_LOW); /* department */
    world_plan(w);
}

static const char *cell(const drill_table *t, size_t row, const char *column)
{
    for (size_t c = 0; c < drill_table_columns(t); c++)
        if (strcmp(drill_table_column(t, c), column) == 0) {
            const char *s = NULL;
            assert_int_equal(drill_table_cell(&s, t, row, c), 0);
            return s;
        }
    fail_msg("no column %s", column);
    return NULL;
}

static size_t row_of(const drill_table *t, const char *column, const char *value)
{
    for (size_t r = 0; r < drill_table_rows(t); r++)
        if (strcmp(cell(t, r, column), value) == 0)
            return r;
    fail_msg("no row with %s = %s", column, value);
    return 0;
}

static void hold(world *w, const char *id, drill_date when)
{
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = when;
    o.start_minute = 600;
    o.end_minute = 660;
    assert_int_equal(drill_track_hold(w->plan, id, &o, "tester", NULL), 0);
}

static void test_coverage(void **state)
{
    (void)state;
    world w;
    setup(&w);
    /* 9 drills: A, B, C each half H1, H2 and june */
    assert_int_equal(drill_plan_count(w.plan), 9);
    hold(&w, "A/half/2026H1", D(2026, 3, 10));
    hold(&w, "A/june/2026", D(2026, 6, 10));
    hold(&w, "B/half/2026H1", D(2026, 4, 10));
    assert_int_equal(drill_track_cancel(w.plan, "C/june/2026", "tester", "合并到区政府演练"), 0);
    drill_table *t;
    /* as of August 1: every H1 drill's window has ended; C's H1 is overdue */
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_TIER, D(2026, 8, 1)), 0);
    assert_int_equal(drill_table_columns(t), 7);
    size_t r = row_of(t, "group", "key enterprises");
    assert_string_equal(cell(t, r, "required"), "3");
    assert_string_equal(cell(t, r, "held"), "2");
    assert_string_equal(cell(t, r, "coverage_percent"), "66.7");
    r = row_of(t, "group", "departments");
    assert_string_equal(cell(t, r, "required"), "2");
    assert_string_equal(cell(t, r, "cancelled"), "1");
    assert_string_equal(cell(t, r, "overdue"), "1");
    r = row_of(t, "group", "total");
    assert_int_equal(r, drill_table_rows(t) - 1);
    assert_string_equal(cell(t, r, "required"), "8");
    assert_string_equal(cell(t, r, "held"), "3");
    assert_string_equal(cell(t, r, "overdue"), "2"); /* C H1 and B june */
    assert_string_equal(cell(t, r, "scheduled"), "5");
    drill_table_free(t);
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_DISTRICT, D(2026, 8, 1)), 0);
    assert_int_equal(drill_table_rows(t), 3);
    r = row_of(t, "group", "大连市/西岗区");
    assert_string_equal(cell(t, r, "required"), "5");
    drill_table_free(t);
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_CAMPAIGN, D(2026, 8, 1)), 0);
    r = row_of(t, "group", "work-safety-month");
    assert_string_equal(cell(t, r, "required"), "2");
    assert_string_equal(cell(t, r, "coverage_percent"), "50.0");
    drill_table_free(t);
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_CLASS, D(2026, 8, 1)), 0);
    row_of(t, "group", "hotel");
    drill_table_free(t);
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_RULE, D(2026, 8, 1)), 0);
    row_of(t, "group", "half");
    drill_table_free(t);
    assert_fails_with(drill_report_coverage(&t, w.plan, 9, D(2026, 8, 1)), DRILL_EINVAL, "grouping");
    assert_fails_with(drill_report_coverage(&t, w.plan, DRILL_BY_TIER, D(2026, 2, 30)), DRILL_ERANGE, "day 30");
    world_free(&w);
}

static void test_noncompliant_reminders_actions(void **state)
{
    (void)state;
    world w;
    setup(&w);
    hold(&w, "A/half/2026H1", D(2026, 3, 10));
    drill_action a = DRILL_ACTION_INIT;
    a.finding = "报警器不响";
    a.action = "更换报警器";
    a.owner = "物业";
    a.due = D(2026, 5, 1);
    assert_int_equal(drill_track_add_action(NULL, w.plan, "A/half/2026H1", &a, "tester", NULL), 0);
    a.due = D(2026, 12, 1);
    a.action = "复查";
    assert_int_equal(drill_track_add_action(NULL, w.plan, "A/half/2026H1", &a, "tester", NULL), 0);
    drill_table *t;
    assert_int_equal(drill_report_noncompliant(&t, w.plan, D(2026, 7, 1)), 0);
    assert_int_equal(drill_table_rows(t), 5); /* B and C H1, and the three June drills */
    size_t r = row_of(t, "drill_id", "B/half/2026H1");
    assert_string_equal(cell(t, r, "window_end"), "2026-06-30");
    assert_non_null(strstr(cell(t, r, "why"), "not recorded as held"));
    drill_table_free(t);

    /* reminders on June 1: June drills due within 30 days, H1 not yet overdue, action 1 overdue */
    assert_int_equal(drill_report_reminders(&t, w.plan, D(2026, 6, 1), 30), 0);
    size_t due = 0, late = 0, action = 0;
    for (size_t i = 0; i < drill_table_rows(t); i++) {
        const char *type = cell(t, i, "type");
        due += strcmp(type, "due") == 0;
        late += strcmp(type, "overdue") == 0;
        action += strcmp(type, "action overdue") == 0;
        assert_string_equal(cell(t, i, "contact"), "张伟");
        assert_string_equal(cell(t, i, "phone"), "13900000000");
    }
    assert_true(due >= 3); /* the three june drills at least */
    assert_int_equal(late, 0);
    assert_int_equal(action, 1);
    r = row_of(t, "type", "action overdue");
    assert_string_equal(cell(t, r, "date"), "2026-05-01");
    assert_non_null(strstr(cell(t, r, "what"), "更换报警器"));
    drill_table_free(t);
    assert_fails_with(drill_report_reminders(&t, w.plan, D(2026, 6, 1), -1), DRILL_EINVAL, "negative");

    assert_int_equal(drill_report_actions(&t, w.plan, D(2026, 6, 1)), 0);
    assert_int_equal(drill_table_rows(t), 2);
    assert_string_equal(cell(t, 0, "overdue"), "1");
    assert_string_equal(cell(t, 1, "overdue"), "0");
    assert_string_equal(cell(t, 0, "status"), "open");

    /* CSV: written whole, read back cell for cell */
    char path[] = "/tmp/drill-report-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(drill_table_write_csv(t, path), 0);
    FILE *f = fopen(path, "rb");
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    drill__csv rd;
    drill__csv_init(&rd, buf, n, path);
    assert_int_equal(drill__csv_next(&rd), 1);
    assert_int_equal(rd.nfields, drill_table_columns(t));
    for (size_t row = 0; row < drill_table_rows(t); row++) {
        assert_int_equal(drill__csv_next(&rd), 1);
        for (size_t c = 0; c < drill_table_columns(t); c++) {
            const char *s;
            drill_table_cell(&s, t, row, c);
            assert_string_equal(rd.fields[c].text, s);
        }
    }
    assert_int_equal(drill__csv_next(&rd), 0);
    drill__csv_free(&rd);
    remove(path);
    assert_fails_with(drill_table_write_csv(t, "/nonexistent/r.csv"), DRILL_EIO, "nonexistent");
    const char *s;
    assert_fails_with(drill_table_cell(&s, t, 9, 0), DRILL_ENOTFOUND, "cell");
    assert_null(drill_table_column(t, 99));
    drill_table_free(t);
    assert_fails_with(drill_report_actions(NULL, w.plan, D(2026, 6, 1)), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_report_noncompliant(&t, NULL, D(2026, 6, 1)), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_table_write_csv(NULL, path), DRILL_EINVAL, "NULL");
    assert_int_equal(drill_table_rows(NULL), 0);
    assert_int_equal(drill_table_columns(NULL), 0);
    drill_table_free(NULL);
    world_free(&w);
}

/* one held drill satisfies every rule whose requirement it meets, and the coverage report credits each */
static void test_coverage_credits_each_rule(void **state)
{
    (void)state;
    world w = { 0 };
    assert_int_equal(drill_units_new(&w.units), 0);
    assert_int_equal(drill_rules_new_presets(&w.rules), 0);
    assert_int_equal(drill_campaigns_new_builtin(&w.campaigns, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&w.cal), 0);
    add_unit(&w, "H", "大连市/中山区/x", "hotel", DRILL_RISK_GENERAL);
    world_plan(&w);
    /* Art. 33 para. 2 and decree 708 art. 8 para. 2 are one duty: the on-site drill of each half meets both */
    assert_fails_with(drill_plan_find(&(size_t){ 0 }, w.plan, "H/decree708-high-risk/2026H1"), DRILL_ENOTFOUND,
                      "decree708");
    assert_int_equal(drill_plan_count(w.plan), 5);
    /* which requirements each drill meets besides its own */
    size_t k, n = 99;
    const char *rule;
    char period[16];
    assert_int_equal(drill_plan_find(&k, w.plan, "H/art33-onsite/2026H1"), 0);
    assert_int_equal(drill_plan_credit_count(&n, w.plan, k), 0);
    assert_int_equal(n, 1);
    assert_int_equal(drill_plan_credit_get(&rule, period, sizeof period, w.plan, k, 0), 0);
    assert_string_equal(rule, "decree708-high-risk");
    assert_string_equal(period, "2026H1");
    assert_fails_with(drill_plan_credit_get(&rule, period, sizeof period, w.plan, k, 1), DRILL_ENOTFOUND, "not 2");
    assert_fails_with(drill_plan_credit_get(&rule, period, 4, w.plan, k, 0), DRILL_EINVAL, "buffer");
    assert_int_equal(drill_plan_find(&k, w.plan, "H/city-fire-month/2026"), 0);
    assert_int_equal(drill_plan_credit_get(&rule, period, sizeof period, w.plan, k, 0), 0);
    assert_string_equal(rule, "fire-key-unit");
    assert_string_equal(period, "2026H2");
    assert_int_equal(drill_plan_find(&k, w.plan, "H/fire-key-unit/2026H1"), 0);
    assert_int_equal(drill_plan_credit_count(&n, w.plan, k), 0);
    assert_int_equal(n, 0);
    assert_fails_with(drill_plan_credit_count(&n, w.plan, 99), DRILL_ENOTFOUND, "99");
    assert_fails_with(drill_plan_credit_count(NULL, w.plan, 0), DRILL_EINVAL, "NULL");
    hold(&w, "H/art33-onsite/2026H1", D(2026, 3, 10));
    drill_table *t;
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_RULE, D(2026, 7, 15)), 0);
    size_t r = row_of(t, "group", "art33-onsite");
    assert_string_equal(cell(t, r, "required"), "2");
    assert_string_equal(cell(t, r, "held"), "1");
    r = row_of(t, "group", "decree708-high-risk"); /* credited with the on-site drills' state */
    assert_string_equal(cell(t, r, "required"), "2");
    assert_string_equal(cell(t, r, "held"), "1");
    assert_string_equal(cell(t, r, "coverage_percent"), "50.0");
    r = row_of(t, "group", "art33-annual"); /* met by the Work Safety Month drill, scheduled */
    assert_string_equal(cell(t, r, "required"), "1");
    assert_string_equal(cell(t, r, "held"), "0");
    r = row_of(t, "group", "fire-key-unit"); /* H1 a drill of its own, H2 met by the November drill */
    assert_string_equal(cell(t, r, "required"), "2");
    r = row_of(t, "group", "total"); /* the total counts drills, as the plan does */
    assert_string_equal(cell(t, r, "required"), "5");
    assert_string_equal(cell(t, r, "held"), "1");
    drill_table_free(t);
    /* by district a drill is one drill, whatever it meets */
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_DISTRICT, D(2026, 7, 15)), 0);
    r = row_of(t, "group", "大连市/中山区");
    assert_string_equal(cell(t, r, "required"), "5");
    drill_table_free(t);
    /* by campaign: a credit in another campaign's group counts there (Art. 33's duty has none: "") */
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_CAMPAIGN, D(2026, 7, 15)), 0);
    r = row_of(t, "group", "work-safety-month");
    assert_string_equal(cell(t, r, "required"), "1");
    r = row_of(t, "group", "");
    /* the on-site drills and fire-key H1 (3), plus the requirements without a campaign that campaign drills
     * meet: art33-annual (Work Safety Month) and fire-key H2 (November); decree 708's, met by drills of
     * this same group, do not count twice */
    assert_string_equal(cell(t, r, "required"), "5");
    drill_table_free(t);
    world_free(&w);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_coverage_credits_each_rule),
        cmocka_unit_test(test_noncompliant_reminders_actions),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
