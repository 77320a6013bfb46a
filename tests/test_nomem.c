/* Out of memory: every allocation libdrill makes is failed in turn; each
 * call must answer DRILL_ENOMEM (never crash), leak nothing, and leave its
 * target as it was. Linked with --wrap so only libdrill's own allocations
 * (not libical's or cmocka's) are counted and failed. */
#include "testutil.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static long countdown = -1; /* allocations left before one fails; -1 = never */
static int failed_one;      /* an allocation was made to fail */

static int should_fail(void)
{
    if (countdown < 0)
        return 0;
    if (countdown-- != 0)
        return 0;
    failed_one = 1;
    return 1;
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return should_fail() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }

static const char *csv = "date,kind,name,name_en\n2030-01-01,holiday,元旦,New Year\n2030-01-05,workday,上班,\n"
                         "2030-02-01,holiday,春节,Spring Festival\n";
static const char *ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:元旦\nDTSTART;VALUE=DATE:20300101\n"
                         "DTEND;VALUE=DATE:20300104\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:上班\n"
                         "DTSTART;VALUE=DATE:20300105\nEND:VEVENT\nEND:VCALENDAR\n";

/* run op with the nth allocation failing, for every n until it succeeds;
 * unchanged (when given) says whether the target is as it was before op:
 * it must hold after every failure and must not after the success, so a
 * check that cannot tell the two apart fails the test. told: op must fail
 * for every allocation that fails (some may be absorbed on purpose, as a
 * memo that only saves time is; a tracking change absorbs none) */
static void each_failure_of(int (*op)(void *), void *arg, int (*unchanged)(void *), int told)
{
    if (unchanged && !unchanged(arg))
        fail_msg("the target does not pass its own unchanged check before the first call");
    int failures = 0;
    for (long n = 0;; n++) {
        countdown = n;
        failed_one = 0;
        int rc = op(arg);
        countdown = -1;
        if (rc == 0 && failed_one && told) /* a failure swallowed: the op went on without what it asked for */
            fail_msg("allocation %ld failed, and the op still said it succeeded", n);
        if (rc == 0) {
            if (unchanged && unchanged(arg))
                fail_msg("op succeeded after %ld failures without changing the target: the check cannot fail", n);
            break;
        }
        if (rc != DRILL_ENOMEM)
            fail_msg("allocation %ld failed: rc %d (%s)", n, rc, drill_error_last()->message);
        if (unchanged && !unchanged(arg))
            fail_msg("allocation %ld failed and the target was changed", n);
        failures++;
    }
    assert_true(failures > 0);
}

static void each_failure(int (*op)(void *), void *arg, int (*unchanged)(void *))
{
    each_failure_of(op, arg, unchanged, 0);
}

static int op_new_china(void *arg)
{
    (void)arg;
    drill_calendar *cal = NULL;
    int rc = drill_calendar_new_china(&cal);
    drill_calendar_free(cal);
    return rc;
}

static int op_builtin(void *arg)
{
    (void)arg;
    drill_campaigns *set = NULL;
    int rc = drill_campaigns_new_builtin(&set, NULL);
    drill_campaigns_free(set);
    return rc;
}

static int op_load_csv(void *arg)
{
    return drill_calendar_load_csv_buffer(NULL, arg, csv, strlen(csv), "t.csv");
}

static int op_load_ics(void *arg)
{
    return drill_calendar_load_ics_buffer(NULL, arg, ics, strlen(ics), "t.ics", NULL);
}

static int not_covered_2030(void *arg)
{
    int covered = 1;
    return drill_calendar_is_covered(&covered, arg, 2030) == 0 && covered == 0;
}

static void test_constructors(void **state)
{
    (void)state;
    each_failure(op_new_china, NULL, NULL);
    each_failure(op_builtin, NULL, NULL);
}

static void test_loads(void **state)
{
    (void)state;
    drill_calendar *cal;
    assert_int_equal(drill_calendar_new_china(&cal), 0);
    each_failure(op_load_csv, cal, not_covered_2030);
    drill_calendar_free(cal);
    assert_int_equal(drill_calendar_new_china(&cal), 0);
    each_failure(op_load_ics, cal, not_covered_2030);
    drill_calendar_free(cal);
}

static int op_campaign_add(void *arg)
{
    drill_campaign_def d = DRILL_CAMPAIGN_DEF_INIT;
    d.id = "drill-day";
    d.name = "演练日";
    d.name_en = "Drill day";
    d.source = "city notice";
    d.month = 3;
    d.day = 1;
    return drill_campaigns_add(arg, &d);
}

static int no_drill_day(void *arg)
{
    drill_campaign_window w = DRILL_CAMPAIGN_WINDOW_INIT;
    return drill_campaigns_count(arg) == 0 && drill_campaigns_window(&w, arg, "drill-day", 2030, NULL) == DRILL_ENOTFOUND;
}

static int op_set_year(void *arg)
{
    return drill_campaigns_set_year(arg, "drill-day", D(2030, 3, 2), D(2030, 3, 2));
}

static int op_set_year_again(void *arg)
{
    return drill_campaigns_set_year(arg, "drill-day", D(2030, 3, 9), D(2030, 3, 10));
}

/* drill-day's 2030 window starts on start_day of March, from where */
static int window_2030(void *arg, int start_day, drill_window_origin origin)
{
    drill_campaign_window w = DRILL_CAMPAIGN_WINDOW_INIT;
    return drill_campaigns_count(arg) == 1 && drill_campaigns_window(&w, arg, "drill-day", 2030, NULL) == 0 &&
           w.origin == origin && w.start.month == 3 && w.start.day == start_day;
}

static int by_rule(void *arg) { return window_2030(arg, 1, DRILL_WINDOW_RULE); }
static int by_data(void *arg) { return window_2030(arg, 2, DRILL_WINDOW_DATA); }

/* each edit fails alone; the checks read what the failed call left, nothing undoes it */
static void test_campaign_edits(void **state)
{
    (void)state;
    drill_campaigns *set;
    assert_int_equal(drill_campaigns_new(&set), 0);
    each_failure(op_campaign_add, set, no_drill_day);
    each_failure(op_set_year, set, by_rule);
    /* replacing a year's data allocates nothing (it reuses its slot): one call */
    assert_int_equal(op_set_year_again(set), 0);
    assert_false(by_data(set));
    assert_true(window_2030(set, 9, DRILL_WINDOW_DATA));
    drill_campaigns_free(set);
}

/* a plan over a small generated city */
typedef struct plan_world {
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    drill_plan *plan;
    int16_t days[4096];
    size_t count, violations; /* at the snapshot */
} plan_world;

static int op_plan_new(void *arg)
{
    plan_world *w = arg;
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2026;
    drill_plan *p = NULL;
    int rc = drill_plan_new(&p, w->units, w->rules, w->campaigns, w->cal, &o);
    drill_plan_free(p);
    return rc;
}

static void snapshot(plan_world *w)
{
    assert_int_equal(drill_plan_validate(&w->violations, w->plan), 0);
    w->count = drill_plan_count(w->plan);
    assert_true(w->count <= 4096);
    for (size_t i = 0; i < w->count; i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, w->plan, i);
        w->days[i] = (int16_t)(it.status == DRILL_STATUS_SCHEDULED ? it.date.month * 32 + it.date.day : -1);
    }
}

static int same_schedule(void *arg)
{
    plan_world *w = arg;
    if (drill_plan_count(w->plan) != w->count)
        return 0;
    for (size_t i = 0; i < w->count; i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, w->plan, i);
        int16_t d = (int16_t)(it.status == DRILL_STATUS_SCHEDULED ? it.date.month * 32 + it.date.day : -1);
        if (d != w->days[i])
            return 0;
    }
    size_t v = w->violations + 1;
    return drill_plan_validate(&v, w->plan) == 0 && v == w->violations;
}

static int op_reschedule(void *arg)
{
    plan_world *w = arg;
    drill_schedule_options o = DRILL_SCHEDULE_OPTIONS_INIT;
    o.capacity = 1; /* a change that moves drills (the success is checked to move some) */
    o.spacing_days = 90;
    return drill_plan_schedule(NULL, w->plan, &o);
}

static int op_evaluate_again(void *arg)
{
    plan_world *w = arg;
    drill_item it = DRILL_ITEM_INIT;
    drill_plan_get(&it, w->plan, 0);
    return drill_track_evaluate(w->plan, it.id, 80, "二次评估", "x", "again");
}

/* a scheduled drill moved by hand to another day of its window (found before) */
static size_t move_index;
static drill_date move_to;

static int op_move_by_hand(void *arg)
{
    plan_world *w = arg;
    drill_item it = DRILL_ITEM_INIT;
    drill_plan_get(&it, w->plan, move_index);
    return drill_track_reschedule(w->plan, it.id, move_to, "x", "moved");
}

/* a scheduled drill, and a day of its window it can move to (and back) */
static void find_move(plan_world *w)
{
    for (size_t i = 0; i < drill_plan_count(w->plan); i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, w->plan, i);
        if (it.status != DRILL_STATUS_SCHEDULED)
            continue;
        int len = 0;
        drill_date_diff(&len, it.window_start, it.window_end);
        for (int k = 0; k <= len; k++) {
            drill_date d;
            drill_date_add_days(&d, it.window_start, k);
            int same = 1;
            drill_date_compare(&same, d, it.date);
            if (same == 0 || drill_track_reschedule(w->plan, it.id, d, "x", "try"))
                continue;
            assert_int_equal(drill_track_reschedule(w->plan, it.id, it.date, "x", "back"), 0);
            move_index = i;
            move_to = d;
            return;
        }
    }
    fail_msg("no scheduled drill can move");
}

/* the drill moved by hand, held on the day it was moved from (another
 * day's start slots shared again) */
static drill_date moved_from;

static int op_hold_elsewhere(void *arg)
{
    plan_world *w = arg;
    drill_item it = DRILL_ITEM_INIT;
    drill_plan_get(&it, w->plan, move_index);
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = moved_from;
    o.start_minute = 540;
    o.end_minute = 600;
    o.notes = "held on the day first planned";
    return drill_track_hold(w->plan, it.id, &o, "x", NULL);
}

static int evaluated_once(void *arg)
{
    plan_world *w = arg;
    drill_item it = DRILL_ITEM_INIT;
    drill_track_info info = DRILL_TRACK_INFO_INIT;
    drill_plan_get(&it, w->plan, 0);
    return drill_track_get(&info, w->plan, it.id) == 0 && info.status == DRILL_STATUS_HELD && info.has_outcome &&
           drill_audit_count(w->plan) == 1;
}

static void test_plan(void **state)
{
    (void)state;
    plan_world w;
    memset(&w, 0, sizeof w);
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = 150;
    assert_int_equal(drill_units_new(&w.units), 0);
    assert_int_equal(drill_units_generate(w.units, &g), 0);
    assert_int_equal(drill_rules_new_presets(&w.rules), 0);
    assert_int_equal(drill_campaigns_new_builtin(&w.campaigns, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&w.cal), 0);
    each_failure(op_plan_new, &w, NULL);
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2026;
    assert_int_equal(drill_plan_new(&w.plan, w.units, w.rules, w.campaigns, w.cal, &o), 0);
    assert_int_equal(drill_plan_schedule(NULL, w.plan, NULL), 0);
    snapshot(&w);
    assert_int_equal(w.violations, 0);
    /* a failed reschedule leaves the previous schedule exactly as it was */
    each_failure(op_reschedule, &w, same_schedule);
    /* a failed tracking change on a drill with a record leaves the record as it was */
    drill_item it = DRILL_ITEM_INIT;
    drill_plan_get(&it, w.plan, 0);
    drill_outcome held = DRILL_OUTCOME_INIT;
    held.date = it.date.year ? it.date : (drill_date){ 2026, 3, 3 };
    held.end_minute = 60;
    held.notes = "first";
    assert_int_equal(drill_track_hold(w.plan, it.id, &held, "x", NULL), 0);
    each_failure_of(op_evaluate_again, &w, evaluated_once, 1);
    /* a failed move by hand (its day's start slots shared again) leaves every drill where it was */
    find_move(&w);
    drill_plan_get(&it, w.plan, move_index);
    moved_from = it.date;
    snapshot(&w);
    each_failure_of(op_move_by_hand, &w, same_schedule, 1);
    /* a failed hold on another day (that day's slots shared again) leaves every drill as it was */
    snapshot(&w);
    each_failure_of(op_hold_elsewhere, &w, same_schedule, 1);
    drill_plan_free(w.plan);
    drill_calendar_free(w.cal);
    drill_campaigns_free(w.campaigns);
    drill_rules_free(w.rules);
    drill_units_free(w.units);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constructors),
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_campaign_edits),
        cmocka_unit_test(test_plan),
    };
    return cmocka_run_group_tests_name("nomem", tests, NULL, NULL);
}
