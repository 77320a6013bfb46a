/* Tracking: lifecycle, outcomes, corrective actions, the audit trail. */
#include "testutil.h"

static void setup(world *w)
{
    world_generate(w, 200);
    world_plan(w);
}

/* the first scheduled drill of a rule */
static drill_item first_of(const world *w, const char *rule)
{
    drill_item it = DRILL_ITEM_INIT;
    for (size_t i = 0; i < drill_plan_count(w->plan); i++) {
        drill_plan_get(&it, w->plan, i);
        if (strcmp(it.rule_id, rule) == 0 && it.status == DRILL_STATUS_SCHEDULED)
            return it;
    }
    fail_msg("no scheduled %s drill", rule);
    return it;
}

static drill_outcome held_on(drill_date d)
{
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = d;
    o.start_minute = 9 * 60;
    o.end_minute = 11 * 60 + 30;
    o.kind = DRILL_KIND_COMPREHENSIVE;
    o.participants = 120;
    o.non_participants = 3;
    o.observers = "区应急管理局 王伟";
    o.evacuation_seconds = 245;
    o.evacuation_target = 300;
    o.headcount_seconds = 420;
    o.headcount_target = 360;
    o.notes = "广播系统二楼不清晰";
    return o;
}

static drill_action an_action(const char *what)
{
    drill_action a = DRILL_ACTION_INIT;
    a.finding = "二楼广播听不清";
    a.capability = "communication";
    a.action = what;
    a.owner = "行政部 李强";
    a.due = D(2026, 9, 30);
    return a;
}

static void test_lifecycle(void **state)
{
    (void)state;
    world w;
    setup(&w);
    drill_item it = first_of(&w, "art33-onsite");
    drill_outcome o = held_on(it.date);
    assert_int_equal(drill_track_hold(w.plan, it.id, &o, "王伟", "held as planned"), 0);
    drill_track_info info = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&info, w.plan, it.id), 0);
    assert_int_equal(info.status, DRILL_STATUS_HELD);
    assert_int_equal(info.has_outcome, 1);
    drill_outcome held = DRILL_OUTCOME_INIT;
    assert_int_equal(drill_track_outcome(&held, w.plan, it.id), 0);
    assert_int_equal(held.participants, 120);
    assert_int_equal(held.evacuation_seconds, 245);
    assert_int_equal(held.headcount_target, 360);
    assert_int_equal(held.score, -1);
    assert_string_equal(held.observers, "区应急管理局 王伟");
    size_t k;
    drill_item now = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, w.plan, it.id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_HELD);
    assert_memory_equal(&now.date, &it.date, sizeof now.date);
    assert_int_equal(now.revision, it.revision + 1); /* every change is a new revision */

    /* findings and actions; closing waits for them */
    size_t n1 = 0, n2 = 0;
    drill_action a = an_action("更换二楼广播喇叭");
    assert_int_equal(drill_track_add_action(&n1, w.plan, it.id, &a, "王伟", NULL), 0);
    a = an_action("补充疏散引导员培训");
    assert_int_equal(drill_track_add_action(&n2, w.plan, it.id, &a, "王伟", NULL), 0);
    assert_int_equal(n1, 1);
    assert_int_equal(n2, 2);
    assert_fails_with(drill_track_close(w.plan, it.id, "王伟", NULL), DRILL_ESTATE, "from held to closed");
    assert_int_equal(drill_track_evaluate(w.plan, it.id, 86, "总体良好", "专家组", NULL), 0);
    assert_fails_with(drill_track_close(w.plan, it.id, "王伟", NULL), DRILL_ESTATE, "action 1");
    assert_int_equal(drill_track_set_action(w.plan, it.id, 1, DRILL_ACTION_IN_PROGRESS, D(0, 0, 0), "李强", NULL), 0);
    assert_int_equal(drill_track_set_action(w.plan, it.id, 1, DRILL_ACTION_DONE, D(2026, 8, 1), "李强", NULL), 0);
    assert_fails_with(drill_track_close(w.plan, it.id, "王伟", NULL), DRILL_ESTATE, "action 2");
    assert_int_equal(drill_track_set_action(w.plan, it.id, 2, DRILL_ACTION_WAIVED, D(2026, 8, 2), "王伟",
                                            "培训已并入年度计划"), 0);
    assert_int_equal(drill_track_set_action(w.plan, it.id, 1, DRILL_ACTION_VERIFIED, D(2026, 8, 5), "专家组", NULL), 0);
    assert_fails_with(drill_track_set_action(w.plan, it.id, 1, DRILL_ACTION_OPEN, D(0, 0, 0), "x", NULL), DRILL_ESTATE,
                      "verified");
    assert_int_equal(drill_track_close(w.plan, it.id, "王伟", "all actions done"), 0);
    assert_int_equal(drill_track_get(&info, w.plan, it.id), 0);
    assert_int_equal(info.status, DRILL_STATUS_CLOSED);
    assert_int_equal(drill_track_outcome(&held, w.plan, it.id), 0);
    assert_int_equal(held.score, 86);
    assert_string_equal(held.notes, "总体良好");
    assert_int_equal(info.actions, 2);
    assert_int_equal(info.open_actions, 0);
    drill_action got = DRILL_ACTION_INIT;
    assert_int_equal(drill_track_action(&got, w.plan, it.id, 1), 0);
    assert_int_equal(got.status, DRILL_ACTION_VERIFIED);
    assert_date(got.closed, 2026, 8, 5);
    assert_date(got.due, 2026, 9, 30);
    assert_string_equal(got.owner, "行政部 李强");
    assert_fails_with(drill_track_action(&got, w.plan, it.id, 3), DRILL_ENOTFOUND, "action 3");
    assert_fails_with(drill_track_set_action(w.plan, it.id, 2, DRILL_ACTION_DONE, D(2026, 9, 1), "x", NULL),
                      DRILL_ESTATE, "closed");

    /* the audit trail, in order, with actors, values and reasons */
    static const struct { const char *field, *old_value, *new_value_start, *actor; } expect[] = {
        { "state", "scheduled", "held ", "王伟" },     { "action 1", "", "open: 更换", "王伟" },
        { "action 2", "", "open: 补充", "王伟" },      { "state", "held", "evaluated, score 86", "专家组" },
        { "action 1", "open", "in progress", "李强" }, { "action 1", "in progress", "done 2026-08-01", "李强" },
        { "action 2", "open", "waived 2026-08-02", "王伟" }, { "action 1", "done", "verified 2026-08-05", "专家组" },
        { "state", "evaluated", "closed", "王伟" },
    };
    assert_int_equal(drill_audit_count(w.plan), 9);
    for (size_t i = 0; i < 9; i++) {
        drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
        assert_int_equal(drill_audit_get(&e, w.plan, i), 0);
        assert_int_equal(e.seq, i + 1);
        assert_string_equal(e.drill_id, it.id);
        assert_string_equal(e.field, expect[i].field);
        assert_string_equal(e.old_value, expect[i].old_value);
        assert_true(strncmp(e.new_value, expect[i].new_value_start, strlen(expect[i].new_value_start)) == 0);
        assert_string_equal(e.actor, expect[i].actor);
        assert_int_equal(strlen(e.time), 20);
        assert_true(e.time[10] == 'T' && e.time[19] == 'Z');
    }
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    assert_int_equal(drill_audit_get(&e, w.plan, 6), 0);
    assert_string_equal(e.reason, "培训已并入年度计划");
    assert_fails_with(drill_audit_get(&e, w.plan, 9), DRILL_ENOTFOUND, "9");
    world_free(&w);
}

static void test_refused_moves_change_nothing(void **state)
{
    (void)state;
    world w;
    setup(&w);
    drill_item it = first_of(&w, "art33-onsite");
    drill_outcome o = held_on(it.date);
    drill_action a = an_action("x");
    size_t before = drill_audit_count(w.plan);
    assert_fails_with(drill_track_evaluate(w.plan, it.id, 80, NULL, "a", NULL), DRILL_ESTATE,
                      "from scheduled to evaluated");
    assert_fails_with(drill_track_close(w.plan, it.id, "a", NULL), DRILL_ESTATE, "from scheduled to closed");
    assert_fails_with(drill_track_reinstate(w.plan, it.id, "a", NULL), DRILL_ESTATE, "from scheduled to planned");
    assert_fails_with(drill_track_add_action(NULL, w.plan, it.id, &a, "a", NULL), DRILL_ESTATE, "once it is held");
    assert_fails_with(drill_track_cancel(w.plan, it.id, "a", NULL), DRILL_EINVAL, "reason");
    assert_fails_with(drill_track_cancel(w.plan, it.id, "a", ""), DRILL_EINVAL, "reason");
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "", NULL), DRILL_EINVAL, "actor");
    assert_fails_with(drill_track_hold(w.plan, "nope/x/2026", &o, "a", NULL), DRILL_ENOTFOUND, "nope/x/2026");
    o.score = 101;
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "a", NULL), DRILL_EINVAL, "score");
    o = held_on(it.date);
    o.end_minute = o.start_minute - 1;
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "a", NULL), DRILL_EINVAL, "time span");
    o = held_on(D(2026, 2, 30));
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "a", NULL), DRILL_ERANGE, "day 30");
    o = held_on(D(2028, 1, 1)); /* late or early, but not by more than a year */
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "a", NULL), DRILL_ERANGE,
                      "more than a year from the plan's year 2026");
    o = held_on(D(2024, 12, 31));
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "a", NULL), DRILL_ERANGE, "more than a year");
    o = held_on(it.date);
    o.participants = -1;
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "a", NULL), DRILL_EINVAL, "participants");
    o = held_on(it.date);
    o.version = 0;
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "a", NULL), DRILL_EVERSION, "version");
    assert_fails_with(drill_track_evaluate(w.plan, it.id, 101, NULL, "a", NULL), DRILL_EINVAL, "score");
    drill_track_info info = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&info, w.plan, it.id), 0);
    assert_int_equal(info.status, DRILL_STATUS_SCHEDULED);
    assert_int_equal(info.has_outcome, 0);
    assert_int_equal(drill_audit_count(w.plan), before);
    /* held drills cannot be cancelled or rescheduled */
    o = held_on(it.date);
    assert_int_equal(drill_track_hold(w.plan, it.id, &o, "a", NULL), 0);
    assert_fails_with(drill_track_hold(w.plan, it.id, &o, "a", NULL), DRILL_ESTATE, "from held to held");
    assert_fails_with(drill_track_cancel(w.plan, it.id, "a", "rain"), DRILL_ESTATE, "from held to cancelled");
    assert_fails_with(drill_track_reschedule(w.plan, it.id, it.date, "a", NULL), DRILL_ESTATE,
                      "from held to scheduled");
    a.finding = NULL;
    assert_fails_with(drill_track_add_action(NULL, w.plan, it.id, &a, "a", NULL), DRILL_EINVAL, "finding");
    a = an_action("x");
    a.due = D(2026, 13, 1);
    assert_fails_with(drill_track_add_action(NULL, w.plan, it.id, &a, "a", NULL), DRILL_ERANGE, "month");
    assert_fails_with(drill_track_set_action(w.plan, it.id, 1, DRILL_ACTION_DONE, D(2026, 8, 1), "a", NULL),
                      DRILL_ENOTFOUND, "no action 1");
    world_free(&w);
}

static void test_cancel_reinstate_and_the_scheduler(void **state)
{
    (void)state;
    world w;
    setup(&w);
    drill_item c = first_of(&w, "fire-other"), h = first_of(&w, "art33-onsite");
    assert_int_equal(drill_track_cancel(w.plan, c.id, "调度员", "单位停产搬迁"), 0);
    drill_outcome o = held_on(D(2026, 3, 7)); /* held on a Saturday, outside the plan: a fact */
    assert_int_equal(drill_track_hold(w.plan, h.id, &o, "调度员", "held early"), 0);
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, w.plan, NULL), 0);
    assert_int_equal(q.cancelled, 1);
    assert_int_equal(q.held, 1);
    assert_int_equal(q.violations, 0);
    size_t k;
    drill_item now = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, w.plan, c.id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_CANCELLED);
    drill_track_info info = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&info, w.plan, c.id), 0);
    assert_string_equal(info.cancel_reason, "单位停产搬迁");
    assert_int_equal(drill_plan_find(&k, w.plan, h.id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_HELD);
    assert_date(now.date, 2026, 3, 7);
    /* reinstated, it is planned and the next schedule places it */
    assert_int_equal(drill_track_reinstate(w.plan, c.id, "调度员", "搬迁推迟"), 0);
    assert_int_equal(drill_plan_schedule(&q, w.plan, NULL), 0);
    assert_int_equal(q.cancelled, 0);
    assert_int_equal(drill_plan_find(&k, w.plan, c.id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_SCHEDULED);
    /* tracking survives a refresh */
    assert_int_equal(drill_plan_refresh(w.plan), 0);
    assert_int_equal(drill_plan_find(&k, w.plan, h.id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_HELD);
    /* and the filter sees states */
    drill_filter f = DRILL_FILTER_INIT;
    f.status = DRILL_STATUS_HELD;
    drill_selection *sel;
    assert_int_equal(drill_plan_select(&sel, w.plan, &f), 0);
    assert_int_equal(drill_selection_count(sel), 1);
    drill_selection_free(sel);
    world_free(&w);
}

static void test_reschedule_by_hand(void **state)
{
    (void)state;
    world w;
    setup(&w);
    drill_item it = first_of(&w, "city-work-safety-month");
    size_t n = drill_audit_count(w.plan);
    /* a Sunday, a day outside the window, an impossible date */
    assert_fails_with(drill_track_reschedule(w.plan, it.id, D(2026, 6, 7), "a", NULL), DRILL_ERANGE,
                      "not a working day");
    assert_fails_with(drill_track_reschedule(w.plan, it.id, D(2026, 7, 7), "a", NULL), DRILL_ERANGE, "window");
    assert_fails_with(drill_track_reschedule(w.plan, it.id, D(2026, 6, 31), "a", NULL), DRILL_ERANGE, "day 31");
    assert_int_equal(drill_audit_count(w.plan), n);
    /* a free working day in June that keeps the spacing */
    drill_date target = { 0, 0, 0 };
    for (int day = 1; day <= 30 && !target.year; day++) {
        drill_date d = { 2026, 6, day };
        if (drill_track_reschedule(w.plan, it.id, d, "调度员", "observer on leave") == 0)
            target = d;
    }
    assert_true(target.year == 2026);
    size_t k;
    drill_item now = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, w.plan, it.id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_string_equal(now.id, it.id); /* same id */
    assert_memory_equal(&now.date, &target, sizeof target);
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    assert_int_equal(drill_audit_get(&e, w.plan, drill_audit_count(w.plan) - 1), 0);
    assert_string_equal(e.field, "schedule");
    assert_string_equal(e.reason, "observer on leave");
    /* the next schedule keeps the hand-made day */
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, w.plan, NULL), 0);
    drill_plan_get(&now, w.plan, k);
    assert_memory_equal(&now.date, &target, sizeof target);
    assert_int_equal(q.violations, 0);
    world_free(&w);
}

static void test_review_cases(void **state)
{
    (void)state;
    world w;
    setup(&w);
    /* audit strings stay put while the trail grows */
    drill_item it = first_of(&w, "art33-onsite");
    drill_outcome o = held_on(it.date);
    assert_int_equal(drill_track_hold(w.plan, it.id, &o, "a", NULL), 0);
    drill_audit_entry first = DRILL_AUDIT_ENTRY_INIT;
    assert_int_equal(drill_audit_get(&first, w.plan, 0), 0);
    char kept[32];
    snprintf(kept, sizeof kept, "%s", first.time);
    for (int i = 0; i < 80; i++) {
        drill_action a = an_action("x");
        assert_int_equal(drill_track_add_action(NULL, w.plan, it.id, &a, "a", NULL), 0);
    }
    assert_string_equal(first.time, kept);
    /* held outside the plan's year: held, and placed, with that date */
    drill_item other = first_of(&w, "art33-onsite");
    o = held_on(D(2025, 12, 30));
    drill_quality before = DRILL_QUALITY_INIT, after = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_quality(&before, w.plan), 0);
    assert_int_equal(drill_track_hold(w.plan, other.id, &o, "a", NULL), 0);
    assert_int_equal(drill_plan_quality(&after, w.plan), 0);
    assert_int_equal(after.placed, before.placed);
    assert_int_equal(after.held, before.held + 1);
    assert_int_equal(after.unplaced[DRILL_REASON_NONE], 0);
    size_t k;
    drill_plan_find(&k, w.plan, other.id);
    drill_plan_get(&other, w.plan, k);
    assert_date(other.date, 2025, 12, 30);
    /* reminders as far ahead as one likes */
    drill_table *t;
    assert_int_equal(drill_report_reminders(&t, w.plan, D(2026, 6, 1), 2147483647), 0);
    assert_true(drill_table_rows(t) > 0);
    drill_table_free(t);
    world_free(&w);

    /* rolling: moving the first drill by hand may not strand the second; holding it late moves the second */
    world r;
    assert_int_equal(drill_units_new(&r.units), 0);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "R1U";
    u.name = "r";
    u.area = "大连市/中山区";
    u.unit_class = "community";
    assert_int_equal(drill_units_add(r.units, &u), 0);
    assert_int_equal(drill_rules_new(&r.rules), 0);
    drill_rule rule = DRILL_RULE_INIT;
    rule.id = "roll";
    rule.name = "roll";
    rule.frequency = DRILL_FREQ_ROLLING;
    assert_int_equal(drill_rules_add(r.rules, &rule), 0);
    assert_int_equal(drill_campaigns_new_builtin(&r.campaigns, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&r.cal), 0);
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = 2026;
    assert_int_equal(drill_plan_new(&r.plan, r.units, r.rules, r.campaigns, r.cal, &po), 0);
    assert_int_equal(drill_plan_schedule(NULL, r.plan, NULL), 0);
    assert_int_equal(drill_track_reschedule(r.plan, "R1U/roll/2026R1", D(2026, 6, 15), "a", NULL), 0);
    assert_int_equal(drill_track_reschedule(r.plan, "R1U/roll/2026R2", D(2026, 12, 11), "a", NULL), 0);
    assert_fails_with(drill_track_reschedule(r.plan, "R1U/roll/2026R1", D(2026, 1, 26), "a", NULL), DRILL_ERANGE,
                      "six months");
    drill_item r1 = DRILL_ITEM_INIT, r2 = DRILL_ITEM_INIT;
    drill_plan_find(&k, r.plan, "R1U/roll/2026R1");
    drill_plan_get(&r1, r.plan, k);
    assert_date(r1.date, 2026, 6, 15); /* unchanged */
    drill_plan_find(&k, r.plan, "R1U/roll/2026R2");
    drill_plan_get(&r2, r.plan, k);
    assert_int_equal(r2.status, DRILL_STATUS_SCHEDULED);
    assert_date(r2.date, 2026, 12, 11);
    assert_date(r2.window_end, 2026, 12, 14);
    o = held_on(D(2026, 1, 20)); /* held early: December is more than six months on */
    assert_int_equal(drill_track_hold(r.plan, "R1U/roll/2026R1", &o, "a", NULL), 0);
    drill_plan_get(&r2, r.plan, k);
    assert_int_equal(r2.status, DRILL_STATUS_PLANNED);
    size_t v = 9;
    assert_int_equal(drill_plan_validate(&v, r.plan), 0);
    assert_int_equal(v, 0);
    assert_int_equal(drill_plan_schedule(NULL, r.plan, NULL), 0);
    drill_plan_get(&r2, r.plan, k);
    assert_int_equal(r2.status, DRILL_STATUS_SCHEDULED);
    assert_true(r2.date.month == 7 && r2.date.day <= 19);
    world_free(&r);
}

static void test_null_arguments(void **state)
{
    (void)state;
    world w;
    setup(&w);
    drill_outcome o = DRILL_OUTCOME_INIT;
    drill_action a = DRILL_ACTION_INIT;
    drill_track_info info = DRILL_TRACK_INFO_INIT;
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    assert_fails_with(drill_track_hold(NULL, "x", &o, "a", NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_hold(w.plan, NULL, &o, "a", NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_hold(w.plan, "x", NULL, "a", NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_evaluate(w.plan, "x", 50, NULL, NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_add_action(NULL, w.plan, "x", NULL, "a", NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_add_action(NULL, w.plan, "x", &a, "a", NULL), DRILL_EINVAL, "finding");
    assert_fails_with(drill_track_set_action(NULL, "x", 1, DRILL_ACTION_OPEN, D(0, 0, 0), "a", NULL), DRILL_EINVAL,
                      "NULL");
    assert_fails_with(drill_track_set_action(w.plan, "x", 1, 9, D(0, 0, 0), "a", NULL), DRILL_EINVAL, "status");
    assert_fails_with(drill_track_close(NULL, "x", "a", NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_cancel(NULL, "x", "a", "r"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_reinstate(w.plan, NULL, "a", NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_reschedule(w.plan, "x", D(2026, 1, 5), NULL, NULL), DRILL_EINVAL, "NULL");
    /* a reason that is not UTF-8, for every change (the drill exists) */
    drill_item it = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_get(&it, w.plan, 0), 0);
    size_t audit = drill_audit_count(w.plan);
    const char *bad = "\xff\xfe";
    drill_outcome held = DRILL_OUTCOME_INIT;
    held.date = it.date;
    assert_fails_with(drill_track_hold(w.plan, it.id, &held, "a", bad), DRILL_EINVAL, "reason");
    assert_fails_with(drill_track_evaluate(w.plan, it.id, 50, NULL, "a", bad), DRILL_EINVAL, "reason");
    assert_fails_with(drill_track_close(w.plan, it.id, "a", bad), DRILL_EINVAL, "reason");
    assert_fails_with(drill_track_cancel(w.plan, it.id, "a", bad), DRILL_EINVAL, "reason");
    assert_fails_with(drill_track_reinstate(w.plan, it.id, "a", bad), DRILL_EINVAL, "reason");
    assert_fails_with(drill_track_reschedule(w.plan, it.id, it.date, "a", bad), DRILL_EINVAL, "reason");
    assert_int_equal(drill_audit_count(w.plan), audit);
    drill_track_info ti = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&ti, w.plan, it.id), 0);
    assert_int_equal(ti.status, DRILL_STATUS_SCHEDULED);
    assert_fails_with(drill_track_get(NULL, w.plan, "x"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_track_get(&info, w.plan, "x/y/2026"), DRILL_ENOTFOUND, "x/y/2026");
    assert_fails_with(drill_track_action(NULL, w.plan, "x", 1), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_audit_get(NULL, w.plan, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_audit_get(&e, NULL, 0), DRILL_EINVAL, "NULL");
    assert_int_equal(drill_audit_count(NULL), 0);
    assert_string_equal(drill_status_name(DRILL_STATUS_EVALUATED), "evaluated");
    assert_string_equal(drill_status_name(9), "unknown");
    assert_string_equal(drill_action_status_name(DRILL_ACTION_IN_PROGRESS), "in progress");
    world_free(&w);
}

/* The audit trail names the state a drill really left: a drill cancelled,
 * reinstated (planned), scheduled again and then held went from
 * "scheduled" to held, not from "planned" (the tracking record kept its own
 * copy of the state, which the scheduler did not update). */
static void test_audit_names_the_real_state(void **state)
{
    (void)state;
    world w;
    setup(&w);
    drill_item it = first_of(&w, "art33-onsite");
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", it.id);
    assert_int_equal(drill_track_cancel(w.plan, id, "x", "renovation"), 0);
    assert_int_equal(drill_track_reinstate(w.plan, id, "x", NULL), 0);
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&t, w.plan, id), 0);
    assert_int_equal(t.status, DRILL_STATUS_PLANNED);
    assert_int_equal(drill_plan_schedule(NULL, w.plan, NULL), 0);
    size_t k;
    assert_int_equal(drill_plan_find(&k, w.plan, id), 0);
    drill_plan_get(&it, w.plan, k);
    assert_int_equal(it.status, DRILL_STATUS_SCHEDULED);
    assert_int_equal(drill_track_get(&t, w.plan, id), 0);
    assert_int_equal(t.status, DRILL_STATUS_SCHEDULED);
    drill_outcome o = held_on(it.date);
    assert_int_equal(drill_track_hold(w.plan, id, &o, "x", NULL), 0);
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    assert_int_equal(drill_audit_get(&e, w.plan, drill_audit_count(w.plan) - 1), 0);
    assert_string_equal(e.old_value, "scheduled");
    /* and cancelling a scheduled drill that was planned when last tracked */
    it = first_of(&w, "fire-other");
    snprintf(id, sizeof id, "%s", it.id);
    assert_int_equal(drill_track_cancel(w.plan, id, "x", "renovation"), 0);
    assert_int_equal(drill_track_reinstate(w.plan, id, "x", NULL), 0);
    assert_int_equal(drill_plan_schedule(NULL, w.plan, NULL), 0);
    assert_int_equal(drill_track_cancel(w.plan, id, "x", "again"), 0);
    assert_int_equal(drill_audit_get(&e, w.plan, drill_audit_count(w.plan) - 1), 0);
    assert_string_equal(e.old_value, "scheduled");
    world_free(&w);
}

/* A drill's state is kept once, in the plan, and the audit names the state
 * the drill really left: a drill moved by hand and then unplaced by the
 * scheduler (its month closed) is planned when it is held; a drill held,
 * then no longer required (its rule removed) and required again, keeps its
 * record and comes back held on its day; a cancelled one comes back
 * cancelled. */
static void test_one_state_through_moves_and_refreshes(void **state)
{
    (void)state;
    world w;
    setup(&w);
    drill_item it = first_of(&w, "moe-school-monthly");
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", it.id);
    drill_date moved = { 0, 0, 0 };
    for (int day = 1; day <= 28 && !moved.year; day++) {
        drill_date d = { it.date.year, it.date.month, day };
        if (day != it.date.day && drill_track_reschedule(w.plan, id, d, "调度员", "by hand") == 0)
            moved = d;
    }
    assert_true(moved.year == 2026);
    for (int day = 1; day <= 31; day++) {
        drill_date d = { it.date.year, it.date.month, day };
        if (drill_date_check(d) == 0)
            assert_int_equal(drill_plan_close_day(w.plan, NULL, d), 0);
    }
    assert_int_equal(drill_plan_schedule(NULL, w.plan, NULL), 0);
    size_t k;
    drill_item now = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, w.plan, id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_PLANNED);
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&t, w.plan, id), 0);
    assert_int_equal(t.status, DRILL_STATUS_PLANNED);
    assert_int_equal(drill_plan_refresh(w.plan), 0);
    drill_outcome o = held_on(moved);
    assert_int_equal(drill_track_hold(w.plan, id, &o, "调度员", "held on the day moved to"), 0);
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    assert_int_equal(drill_audit_get(&e, w.plan, drill_audit_count(w.plan) - 1), 0);
    assert_string_equal(e.drill_id, id);
    assert_string_equal(e.old_value, "planned");

    /* held, then its rule goes: the record stays, and so does its state */
    drill_item h = first_of(&w, "art33-onsite"), c = first_of(&w, "fire-other");
    char held_id[DRILL_ID_MAX], cancelled_id[DRILL_ID_MAX];
    snprintf(held_id, sizeof held_id, "%s", h.id);
    snprintf(cancelled_id, sizeof cancelled_id, "%s", c.id);
    o = held_on(h.date);
    assert_int_equal(drill_track_hold(w.plan, held_id, &o, "调度员", NULL), 0);
    assert_int_equal(drill_track_cancel(w.plan, cancelled_id, "调度员", "停业"), 0);
    size_t audit = drill_audit_count(w.plan);
    drill_rules *saved;
    assert_int_equal(drill_rules_new_presets(&saved), 0); /* the rules as they were */
    assert_int_equal(drill_rules_remove(w.rules, "art33-onsite"), 0);
    assert_int_equal(drill_rules_remove(w.rules, "fire-other"), 0);
    assert_int_equal(drill_plan_refresh(w.plan), 0);
    assert_fails_with(drill_plan_find(&k, w.plan, held_id), DRILL_ENOTFOUND, "art33-onsite");
    assert_int_equal(drill_track_get(&t, w.plan, held_id), 0);
    assert_int_equal(t.status, DRILL_STATUS_HELD);
    assert_int_equal(t.has_outcome, 1);
    assert_int_equal(drill_track_get(&t, w.plan, cancelled_id), 0);
    assert_int_equal(t.status, DRILL_STATUS_CANCELLED);
    assert_string_equal(t.cancel_reason, "停业");
    assert_int_equal(drill_audit_count(w.plan), audit);
    assert_int_equal(drill_plan_schedule(NULL, w.plan, NULL), 0);
    /* required again: back held on its day, and cancelled */
    drill_rule r = DRILL_RULE_INIT;
    assert_int_equal(drill_rules_find(&k, saved, "art33-onsite"), 0);
    assert_int_equal(drill_rules_get(&r, saved, k), 0);
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    assert_int_equal(drill_rules_find(&k, saved, "fire-other"), 0);
    assert_int_equal(drill_rules_get(&r, saved, k), 0);
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    assert_int_equal(drill_plan_refresh(w.plan), 0);
    drill_rules_free(saved);
    assert_int_equal(drill_plan_find(&k, w.plan, held_id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_HELD);
    assert_memory_equal(&now.date, &h.date, sizeof h.date);
    assert_int_equal(drill_plan_find(&k, w.plan, cancelled_id), 0);
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_CANCELLED);
    assert_int_equal(drill_track_evaluate(w.plan, held_id, 80, NULL, "调度员", NULL), 0);
    assert_int_equal(drill_audit_get(&e, w.plan, drill_audit_count(w.plan) - 1), 0);
    assert_string_equal(e.old_value, "held");
    assert_int_equal(drill_track_reinstate(w.plan, cancelled_id, "调度员", NULL), 0);
    assert_int_equal(drill_audit_get(&e, w.plan, drill_audit_count(w.plan) - 1), 0);
    assert_string_equal(e.old_value, "cancelled");
    drill_plan_get(&now, w.plan, k);
    assert_int_equal(now.status, DRILL_STATUS_PLANNED);
    assert_int_equal(now.date.year, 0);
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_refused_moves_change_nothing),
        cmocka_unit_test(test_cancel_reinstate_and_the_scheduler),
        cmocka_unit_test(test_reschedule_by_hand),
        cmocka_unit_test(test_review_cases),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_audit_names_the_real_state),
        cmocka_unit_test(test_one_state_through_moves_and_refreshes),
    };
    return cmocka_run_group_tests_name("track", tests, NULL, NULL);
}
