/* The plan and the scheduler: requirements, ids, placement, constraints
 * (checked here independently, through the public API), reasons,
 * determinism, incremental rescheduling, queries. */
#include "testutil.h"

static void world_init(world *w, size_t generated)
{
    *w = (world){ 0 };
    assert_int_equal(drill_units_new(&w->units), 0);
    assert_int_equal(drill_rules_new_presets(&w->rules), 0);
    assert_int_equal(drill_campaigns_new_builtin(&w->campaigns, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&w->cal), 0);
    if (generated) {
        drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
        g.count = generated;
        g.blackout_year = 2026;
        assert_int_equal(drill_units_generate(w->units, &g), 0);
    }
}

static drill_plan *plan_for(world *w, int year)
{
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = year;
    drill_plan *p = NULL;
    if (drill_plan_new(&p, w->units, w->rules, w->campaigns, w->cal, &o))
        fail_msg("plan: %s", drill_error_last()->message);
    return p;
}

static void add_unit(world *w, const char *id, const char *area, const char *cls, drill_risk risk, int flood)
{
    drill_unit u = DRILL_UNIT_INIT;
    u.id = id;
    u.name = id;
    u.area = area;
    u.unit_class = cls;
    u.risk = risk;
    u.flood_prone = flood;
    assert_int_equal(drill_units_add(w->units, &u), 0);
}

static int cmp_date(drill_date a, drill_date b)
{
    int c = 0;
    drill_date_compare(&c, a, b);
    return c;
}

/* every constraint, checked from the public API alone */
static void check_schedule(const world *w, const drill_plan *p, int capacity, int spacing)
{
    size_t n = drill_plan_count(p);
    /* observer drills per (district, day of year) */
    size_t nd = drill_units_district_count(w->units);
    int *observed = calloc(nd * 366, sizeof *observed);
    assert_non_null(observed);
    drill_item prev = DRILL_ITEM_INIT;
    memset(&prev, 0, sizeof prev);
    for (size_t i = 0; i < n; i++) {
        drill_item it = DRILL_ITEM_INIT;
        assert_int_equal(drill_plan_get(&it, p, i), 0);
        if (it.status != DRILL_STATUS_SCHEDULED) {
            assert_true(it.reason != DRILL_REASON_NONE);
            continue;
        }
        assert_int_equal(it.reason, DRILL_REASON_NONE);
        assert_true(cmp_date(it.date, it.window_start) >= 0);
        assert_true(cmp_date(it.date, it.window_end) <= 0);
        int working = 0, blacked = 1;
        assert_int_equal(drill_calendar_is_working_day(&working, w->cal, it.date), 0);
        assert_true(working);
        assert_int_equal(drill_units_is_blacked_out(&blacked, w->units, it.unit_index, it.date), 0);
        assert_false(blacked);
        assert_true(it.start_minute > 0 && it.duration_minutes > 0);
        if (it.needs_observer) {
            size_t d;
            int doy;
            assert_int_equal(drill_units_district_of(&d, NULL, w->units, it.unit_index), 0);
            drill_date_diff(&doy, (drill_date){ it.date.year, 1, 1 }, it.date);
            observed[d * 366 + (size_t)doy]++;
        }
        /* spacing: against every other scheduled drill of the same unit */
        for (size_t j = i + 1; j < n; j++) {
            drill_item other = DRILL_ITEM_INIT;
            assert_int_equal(drill_plan_get(&other, p, j), 0);
            if (other.unit_index != it.unit_index)
                break; /* a unit's drills are together */
            if (other.status == DRILL_STATUS_SCHEDULED) {
                int gap;
                drill_date_diff(&gap, it.date, other.date);
                if (abs(gap) < spacing)
                    fail_msg("%s and %s are %d days apart", it.id, other.id, abs(gap));
            }
        }
    }
    for (size_t k = 0; k < nd * 366; k++)
        assert_true(observed[k] <= capacity);
    free(observed);
    size_t violations = 99;
    assert_int_equal(drill_plan_validate(&violations, p), 0);
    assert_int_equal(violations, 0);
}

static void test_requirements_and_ids(void **state)
{
    (void)state;
    world w;
    world_init(&w, 0);
    add_unit(&w, "H1", "大连市/中山区/人民路街道", "hotel", DRILL_RISK_GENERAL, 0);
    add_unit(&w, "S1", "大连市/金州区/友谊街道", "school", DRILL_RISK_LOW, 1);
    drill_plan *p = plan_for(&w, 2026);
    /* hotel (a key fire unit by class): art33-onsite H1 H2 (which also meet decree708-high-risk H1 H2),
     * fire-key-unit H1, work safety month (which also meets art33-annual), fire month (which also meets
     * fire-key-unit H2) = 5 drills for 9 requirements;
     * school: fire-other, the MOE monthly drill in the term months but May, June and October (met by the
     * disaster week, work safety month and IDDRR drills; no August: summer break), work safety month,
     * disaster week, pre-flood (which also meets city-pre-flood-public), IDDRR = 13 drills for 17 */
    assert_int_equal(drill_plan_count(p), 18);
    static const char *const ids[] = {
        "H1/art33-onsite/2026H1", "H1/art33-onsite/2026H2", "H1/fire-key-unit/2026H1",
        "H1/city-work-safety-month/2026", "H1/city-fire-month/2026", "S1/fire-other/2026",
        "S1/moe-school-monthly/2026M01", "S1/moe-school-monthly/2026M02", "S1/moe-school-monthly/2026M03",
        "S1/moe-school-monthly/2026M04", "S1/moe-school-monthly/2026M07", "S1/moe-school-monthly/2026M09",
        "S1/moe-school-monthly/2026M11", "S1/moe-school-monthly/2026M12", "S1/city-work-safety-month/2026",
        "S1/city-disaster-week/2026", "S1/city-pre-flood/2026", "S1/city-iddrr/2026",
    };
    for (size_t i = 0; i < 18; i++) {
        drill_item it = DRILL_ITEM_INIT;
        assert_int_equal(drill_plan_get(&it, p, i), 0);
        assert_string_equal(it.id, ids[i]);
        assert_int_equal(it.status, DRILL_STATUS_PLANNED);
        size_t found = 99;
        assert_int_equal(drill_plan_find(&found, p, ids[i]), 0);
        assert_int_equal(found, i);
    }
    drill_item it = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_get(&it, p, 0), 0);
    assert_string_equal(it.unit_id, "H1");
    assert_string_equal(it.district, "大连市/中山区");
    assert_string_equal(it.rule_id, "art33-onsite");
    assert_string_equal(it.period, "2026H1");
    assert_int_equal(it.kind, DRILL_KIND_ONSITE);
    assert_string_equal(it.scenario, "fire"); /* the hotel class's default */
    assert_string_equal(it.campaign, "");
    assert_date(it.window_start, 2026, 1, 1);
    assert_date(it.window_end, 2026, 6, 30);
    assert_non_null(strstr(it.source, "第三十三条"));
    assert_int_equal(drill_plan_get(&it, p, 1), 0);
    assert_date(it.window_start, 2026, 7, 1);
    /* a school's drills fall in term (the Dalian default breaks: January 20 - February 20, July 11 - August 31) */
    assert_int_equal(drill_plan_get(&it, p, 5), 0);
    assert_date(it.window_start, 2026, 2, 21);
    assert_date(it.window_end, 2026, 7, 10);
    assert_int_equal(drill_plan_get(&it, p, 7), 0);
    assert_string_equal(it.period, "2026M02");
    assert_date(it.window_start, 2026, 2, 21);
    assert_date(it.window_end, 2026, 2, 28);
    assert_string_equal(it.scenario, "evacuation");
    assert_int_equal(drill_plan_get(&it, p, 10), 0);
    assert_date(it.window_start, 2026, 7, 1);
    assert_date(it.window_end, 2026, 7, 10);
    assert_int_equal(drill_plan_get(&it, p, 15), 0); /* the disaster week is estimated for 2026 */
    assert_string_equal(it.campaign, "disaster-reduction-week");
    assert_date(it.window_start, 2026, 5, 9);
    assert_date(it.window_end, 2026, 5, 15);
    assert_string_equal(it.scenario, "earthquake");
    assert_int_equal(drill_plan_get(&it, p, 16), 0); /* before the flood season, and before the summer break */
    assert_date(it.window_start, 2026, 4, 1);
    assert_date(it.window_end, 2026, 7, 10);
    size_t i;
    assert_fails_with(drill_plan_find(&i, p, "H1/art33-annual/2027"), DRILL_ENOTFOUND, "H1/art33-annual/2027");
    assert_fails_with(drill_plan_find(&i, p, "nonsense"), DRILL_ENOTFOUND, "nonsense");
    assert_fails_with(drill_plan_find(&i, p, "X9/art33-annual/2026"), DRILL_ENOTFOUND, "X9");
    assert_fails_with(drill_plan_get(&it, p, 18), DRILL_ENOTFOUND, "index 18");
    assert_int_equal(drill_plan_year(p), 2026);
    drill_plan_free(p);
    world_free(&w);
}

static void test_schedule_city(void **state)
{
    (void)state;
    world w;
    world_init(&w, 3000);
    drill_plan *p = plan_for(&w, 2026);
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.required, drill_plan_count(p));
    assert_true(q.required > 10000);
    size_t unplaced = 0;
    for (int r = 1; r < DRILL_REASON_COUNT; r++)
        unplaced += q.unplaced[r];
    assert_int_equal(q.placed + unplaced, q.required);
    assert_true(q.placed * 100 >= q.required * 99);
    assert_int_equal(q.violations, 0);
    assert_int_equal(q.covered, 1);
    check_schedule(&w, p, 30, 7);
    /* spread: every district's busiest day is at or near the lower bound */
    for (size_t d = 0; d < drill_units_district_count(w.units); d++) {
        drill_district_quality dq = DRILL_DISTRICT_QUALITY_INIT;
        assert_int_equal(drill_plan_district_quality(&dq, p, d), 0);
        /* the bound and the busiest day of the load the observers' capacity constrains */
        assert_true(dq.busiest_observed >= dq.lower_bound);
        if (dq.busiest_observed > dq.lower_bound + 2 && dq.busiest_observed > dq.lower_bound * 11 / 10)
            fail_msg("%s: busiest observed %d, lower bound %d", dq.district, dq.busiest_observed, dq.lower_bound);
        assert_true(dq.busiest_observed <= dq.capacity);
    }
    /* the kinds start and last as documented */
    drill_item it = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_get(&it, p, 0), 0);
    if (it.status == DRILL_STATUS_SCHEDULED && it.kind == DRILL_KIND_COMPREHENSIVE) {
        /* 09:00 in one of the three default slots an hour apart */
        assert_true(it.start_minute == 9 * 60 || it.start_minute == 10 * 60 || it.start_minute == 11 * 60);
        assert_int_equal(it.duration_minutes, 180);
    }
    drill_plan_free(p);
    world_free(&w);
}

static void test_deterministic(void **state)
{
    (void)state;
    world a, b;
    world_init(&a, 1500);
    world_init(&b, 1500);
    drill_plan *pa = plan_for(&a, 2026), *pb = plan_for(&b, 2026);
    assert_int_equal(drill_plan_schedule(NULL, pa, NULL), 0);
    assert_int_equal(drill_plan_schedule(NULL, pb, NULL), 0);
    assert_int_equal(drill_plan_count(pa), drill_plan_count(pb));
    for (size_t i = 0; i < drill_plan_count(pa); i++) {
        drill_item x = DRILL_ITEM_INIT, y = DRILL_ITEM_INIT;
        drill_plan_get(&x, pa, i);
        drill_plan_get(&y, pb, i);
        assert_string_equal(x.id, y.id);
        assert_int_equal(x.status, y.status);
        assert_memory_equal(&x.date, &y.date, sizeof x.date);
        assert_int_equal(x.start_minute, y.start_minute);
        assert_int_equal(x.reason, y.reason);
    }
    drill_plan_free(pa);
    drill_plan_free(pb);
    world_free(&a);
    world_free(&b);
}

/* a rule of one drill for units of one class in a campaign */
static void only_rule(world *w, const char *campaign, drill_kind kind, const char *classes)
{
    drill_rules_free(w->rules);
    assert_int_equal(drill_rules_new(&w->rules), 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "r";
    r.name = "r";
    r.kind = kind;
    r.campaign = campaign;
    r.classes = classes;
    assert_int_equal(drill_rules_add(w->rules, &r), 0);
}

static void test_capacity_and_spread(void **state)
{
    (void)state;
    world w;
    world_init(&w, 0);
    only_rule(&w, "work-safety-month", DRILL_KIND_COMPREHENSIVE, NULL);
    char id[16];
    for (int i = 0; i < 100; i++) {
        snprintf(id, sizeof id, "E%03d", i);
        add_unit(&w, id, "大连市/西岗区", "enterprise", DRILL_RISK_LOW, 0);
    }
    drill_plan *p = plan_for(&w, 2026);
    /* June 2026 has 21 working days: 100 comprehensive drills at 4 a day fit (84 do) */
    drill_schedule_options o = DRILL_SCHEDULE_OPTIONS_INIT;
    o.capacity = 4;
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, p, &o), 0);
    assert_int_equal(q.placed, 84);
    assert_int_equal(q.unplaced[DRILL_REASON_CAPACITY], 16);
    check_schedule(&w, p, 4, 7);
    drill_item it = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_get(&it, p, 99), 0);
    assert_int_equal(it.status, DRILL_STATUS_PLANNED);
    assert_int_equal(it.reason, DRILL_REASON_CAPACITY);
    assert_string_equal(drill_reason_name(it.reason), "observer capacity exhausted");
    /* a district's own capacity */
    assert_int_equal(drill_plan_set_capacity(p, "大连市/西岗区", 5), 0);
    assert_int_equal(drill_plan_schedule(&q, p, &o), 0);
    assert_int_equal(q.placed, 100);
    assert_int_equal(q.kept, 84); /* the earlier days stay */
    check_schedule(&w, p, 5, 7);
    drill_district_quality dq = DRILL_DISTRICT_QUALITY_INIT;
    assert_int_equal(drill_plan_district_quality(&dq, p, 0), 0);
    assert_int_equal(dq.capacity, 5);
    assert_int_equal(dq.lower_bound, 5); /* ceil(100 / 21) */
    assert_int_equal(dq.busiest, 5);
    assert_fails_with(drill_plan_set_capacity(p, "大连市/中山区", 5), DRILL_ENOTFOUND, "中山区");
    assert_fails_with(drill_plan_set_capacity(p, "大连市/西岗区", -1), DRILL_EINVAL, "0-65535");
    assert_fails_with(drill_plan_set_capacity(p, "大连市/西岗区", 70000), DRILL_EINVAL, "0-65535");
    drill_plan_free(p);

    /* without observers the same drills spread evenly: 100 over 21 days is 4 or 5 a day */
    o.observe_comprehensive = -1;
    p = plan_for(&w, 2026);
    assert_int_equal(drill_plan_schedule(&q, p, &o), 0);
    assert_int_equal(q.placed, 100);
    assert_int_equal(drill_plan_district_quality(&dq, p, 0), 0);
    assert_int_equal(dq.observed, 0);
    assert_int_equal(dq.busiest, 5);
    drill_plan_free(p);
    world_free(&w);
}

static void test_reasons(void **state)
{
    (void)state;
    world w;
    world_init(&w, 0);
    /* a campaign on a holiday: its window grows to the nearest working days */
    drill_campaign_def d = DRILL_CAMPAIGN_DEF_INIT;
    d.id = "national-day";
    d.name = "国庆";
    d.month = 10;
    d.day = 1;
    d.length_days = 3;
    assert_int_equal(drill_campaigns_add(w.campaigns, &d), 0);
    only_rule(&w, "national-day", DRILL_KIND_SPECIAL, NULL);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "june";
    r.name = "june";
    r.campaign = "work-safety-month";
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    d.id = "one-day";
    d.name = "one day";
    d.month = 6;
    d.day = 2;
    d.length_days = 1;
    assert_int_equal(drill_campaigns_add(w.campaigns, &d), 0);
    r.id = "june2a";
    r.campaign = "one-day";
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    r.id = "june2b";
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    add_unit(&w, "U1", "大连市/中山区", "enterprise", DRILL_RISK_LOW, 0);
    add_unit(&w, "U2", "大连市/中山区", "enterprise", DRILL_RISK_LOW, 0);
    assert_int_equal(drill_units_add_blackout(w.units, "U2", D(2026, 5, 25), D(2026, 7, 5)), 0);
    drill_plan *p = plan_for(&w, 2026);
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    static const struct { const char *id; drill_reason reason; } expect[] = {
        { "U1/r/2026", DRILL_REASON_NONE },
        { "U1/june/2026", DRILL_REASON_NONE },
        { "U1/june2a/2026", DRILL_REASON_NONE },
        { "U1/june2b/2026", DRILL_REASON_SPACING }, /* the same single day as june2a */
        { "U2/june/2026", DRILL_REASON_BLACKOUT },
        { "U2/june2a/2026", DRILL_REASON_BLACKOUT },
    };
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        size_t k;
        drill_item it = DRILL_ITEM_INIT;
        assert_int_equal(drill_plan_find(&k, p, expect[i].id), 0);
        assert_int_equal(drill_plan_get(&it, p, k), 0);
        if (it.reason != expect[i].reason)
            fail_msg("%s: reason %d (%s)", it.id, it.reason, drill_reason_name(it.reason));
    }
    assert_int_equal(q.unplaced[DRILL_REASON_NO_WORKING_DAY], 0);
    assert_int_equal(q.unplaced[DRILL_REASON_SPACING], 1);
    {   /* National Day's days off grew a day each side until five working days: 09-25 .. 10-09 */
        size_t k;
        drill_item it = DRILL_ITEM_INIT;
        assert_int_equal(drill_plan_find(&k, p, "U1/r/2026"), 0);
        assert_int_equal(drill_plan_get(&it, p, k), 0);
        assert_date(it.window_start, 2026, 9, 25);
        assert_date(it.window_end, 2026, 10, 9);
    }
    assert_int_equal(q.unplaced[DRILL_REASON_BLACKOUT], 3);
    check_schedule(&w, p, 30, 7);
    drill_plan_free(p);
    world_free(&w);
}

static void test_incremental(void **state)
{
    (void)state;
    world w;
    world_init(&w, 800);
    drill_plan *p = plan_for(&w, 2026);
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    size_t n = drill_plan_count(p);
    drill_item *before = calloc(n, sizeof *before);
    for (size_t i = 0; i < n; i++) {
        before[i] = (drill_item)DRILL_ITEM_INIT;
        drill_plan_get(&before[i], p, i);
    }
    /* a blackout over one drill's day moves only that unit's drills that must move */
    size_t victim = 0;
    while (before[victim].status != DRILL_STATUS_SCHEDULED)
        victim++;
    assert_int_equal(drill_units_add_blackout(w.units, before[victim].unit_id, before[victim].date,
                                              before[victim].date), 0);
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.moved, 1);
    assert_int_equal(q.kept, q.placed - 1);
    drill_item now = DRILL_ITEM_INIT;
    for (size_t i = 0; i < n; i++) {
        drill_plan_get(&now, p, i);
        if (i == victim)
            assert_true(now.status != DRILL_STATUS_SCHEDULED || cmp_date(now.date, before[i].date) != 0);
        else if (before[i].status == DRILL_STATUS_SCHEDULED)
            assert_memory_equal(&now.date, &before[i].date, sizeof now.date);
    }
    check_schedule(&w, p, 30, 7);
    /* a new unit: its drills are added and placed, nothing else moves */
    add_unit(&w, "NEW1", "大连市/甘井子区/周水子街道", "hazardous-chemicals", DRILL_RISK_MAJOR, 1);
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_true(drill_plan_count(p) > n);
    assert_int_equal(q.moved, 0);
    size_t k;
    assert_int_equal(drill_plan_find(&k, p, "NEW1/art33-onsite/2026H2"), 0);
    drill_plan_get(&now, p, k);
    assert_int_equal(now.status, DRILL_STATUS_SCHEDULED);
    assert_int_equal(now.needs_observer, 1); /* major risk */
    for (size_t i = 0; i < n; i++) {
        if (before[i].status != DRILL_STATUS_SCHEDULED || i == victim)
            continue;
        assert_int_equal(drill_plan_find(&k, p, before[i].id), 0);
        drill_plan_get(&now, p, k);
        assert_memory_equal(&now.date, &before[i].date, sizeof now.date);
    }
    check_schedule(&w, p, 30, 7);
    /* a rule removed and refreshed: its drills go, the rest stay */
    assert_int_equal(drill_rules_remove(w.rules, "fire-other"), 0);
    assert_int_equal(drill_plan_refresh(p), 0);
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.moved, 0);
    assert_fails_with(drill_plan_find(&k, p, "NEW1/fire-other/2026"), DRILL_ENOTFOUND, "fire-other");
    free(before);
    drill_plan_free(p);
    world_free(&w);
}

static void test_rolling_and_biennial(void **state)
{
    (void)state;
    world w;
    world_init(&w, 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "roll";
    r.name = "roll";
    r.frequency = DRILL_FREQ_ROLLING;
    r.classes = "workshop";
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    /* a class of no preset's: with Art. 33's half-yearly drills beside it, the scheduler can put R1 so
     * early that R2's window closes on the H2 drill's spacing (a scheduler matter, not a rolling one) */
    drill_class_def c = DRILL_CLASS_DEF_INIT;
    c.id = "workshop";
    c.name = "车间";
    assert_int_equal(drill_units_add_class(w.units, &c), 0);
    add_unit(&w, "E1", "大连市/中山区", "workshop", DRILL_RISK_LOW, 0);
    add_unit(&w, "E2", "大连市/中山区", "workshop", DRILL_RISK_LOW, 0);
    char id[64];
    for (int i = 0; i < 60; i++) {
        snprintf(id, sizeof id, "G%02d", i);
        add_unit(&w, id, "大连市/西岗区", "government", DRILL_RISK_LOW, 0);
    }
    drill_plan *p = plan_for(&w, 2026);
    assert_int_equal(drill_plan_set_last(p, "E1", "roll", D(2025, 11, 20), 0), 0);
    assert_int_equal(drill_plan_set_last(p, "G00", "decree708-government", D(2025, 5, 1), 0), 0);
    assert_int_equal(drill_plan_set_last(p, "G01", "decree708-government", D(2024, 5, 1), 0), 0);
    assert_int_equal(drill_plan_refresh(p), 0);
    assert_int_equal(drill_plan_schedule(NULL, p, NULL), 0);
    size_t k;
    drill_item r1 = DRILL_ITEM_INIT, r2 = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, p, "E1/roll/2026R1"), 0);
    drill_plan_get(&r1, p, k);
    assert_date(r1.window_end, 2026, 5, 19); /* six months after 2025-11-20, less a day */
    assert_int_equal(drill_plan_find(&k, p, "E1/roll/2026R2"), 0);
    drill_plan_get(&r2, p, k);
    assert_int_equal(r1.status, DRILL_STATUS_SCHEDULED);
    assert_int_equal(r2.status, DRILL_STATUS_SCHEDULED);
    assert_true(cmp_date(r2.window_start, r1.date) > 0);
    /* R2 is due within six months of where R1 went, and within the year */
    int m = r1.date.month + 6, y = r1.date.year + (m > 12), dim;
    m = m > 12 ? m - 12 : m;
    drill_date_days_in_month(&dim, y, m);
    drill_date due = { y, m, r1.date.day < dim ? r1.date.day : dim };
    drill_date_add_days(&due, due, -1);
    if (cmp_date(due, D(2026, 12, 31)) > 0)
        due = D(2026, 12, 31);
    assert_memory_equal(&r2.window_end, &due, sizeof due);
    assert_int_equal(drill_plan_find(&k, p, "E2/roll/2026R1"), 0);
    drill_plan_get(&r1, p, k);
    assert_date(r1.window_end, 2026, 6, 30); /* no history */
    /* biennial: G00 drilled in 2025, so not due; G01 in 2024, so due; the rest split */
    assert_fails_with(drill_plan_find(&k, p, "G00/decree708-government/2026B"), DRILL_ENOTFOUND, "G00");
    assert_int_equal(drill_plan_find(&k, p, "G01/decree708-government/2026B"), 0);
    int due_count = 0;
    for (int i = 2; i < 60; i++) {
        snprintf(id, sizeof id, "G%02d/decree708-government/2026B", i);
        due_count += drill_plan_find(&k, p, id) == 0;
    }
    assert_true(due_count > 15 && due_count < 43);
    drill_plan *next = plan_for(&w, 2025); /* the other half drills in the years between */
    int due_next = 0;
    for (int i = 2; i < 60; i++) {
        snprintf(id, sizeof id, "G%02d/decree708-government/2025B", i);
        due_next += drill_plan_find(&k, next, id) == 0;
    }
    assert_int_equal(due_count + due_next, 58);
    assert_fails_with(drill_plan_set_last(p, "E1", "roll", D(2026, 1, 5), 0), DRILL_ERANGE, "before 2026");
    assert_fails_with(drill_plan_set_last(p, "E9", "roll", D(2025, 1, 5), 0), DRILL_ENOTFOUND, "E9");
    assert_fails_with(drill_plan_set_last(p, "E1", "nope", D(2025, 1, 5), 0), DRILL_ENOTFOUND, "nope");
    drill_plan_free(next);
    drill_plan_free(p);
    world_free(&w);
}

static void test_due_from_held(void **state)
{
    (void)state;
    world w;
    world_init(&w, 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "by-plan";
    r.name = "by-plan";
    r.frequency = DRILL_FREQ_ROLLING;
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    r.id = "by-held";
    r.due_from = DRILL_DUE_FROM_HELD;
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    add_unit(&w, "E1", "大连市/中山区", "enterprise", DRILL_RISK_LOW, 0);
    drill_plan *p = plan_for(&w, 2026);
    /* last year's drill was planned for November 20 but held on September 1 */
    assert_int_equal(drill_plan_set_last(p, "E1", "by-plan", D(2025, 11, 20), 0), 0);
    assert_int_equal(drill_plan_set_last(p, "E1", "by-plan", D(2025, 9, 1), 1), 0);
    assert_int_equal(drill_plan_set_last(p, "E1", "by-held", D(2025, 11, 20), 0), 0);
    assert_int_equal(drill_plan_set_last(p, "E1", "by-held", D(2025, 9, 1), 1), 0);
    assert_int_equal(drill_plan_refresh(p), 0);
    size_t k;
    drill_item it = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, p, "E1/by-plan/2026R1"), 0);
    drill_plan_get(&it, p, k);
    assert_date(it.window_end, 2026, 5, 19);
    assert_int_equal(drill_plan_find(&k, p, "E1/by-held/2026R1"), 0);
    drill_plan_get(&it, p, k);
    assert_date(it.window_end, 2026, 2, 28);
    drill_plan_free(p);
    world_free(&w);
}

static void test_closed_days_and_new_holidays(void **state)
{
    (void)state;
    world w;
    world_init(&w, 400);
    drill_plan *p = plan_for(&w, 2026);
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    /* the busiest day of one district is closed there: its drills move, nothing else */
    drill_district_quality dq = DRILL_DISTRICT_QUALITY_INIT;
    assert_int_equal(drill_plan_district_quality(&dq, p, 0), 0);
    size_t on_day = 0;
    for (size_t i = 0; i < drill_plan_count(p); i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, p, i);
        on_day += it.status == DRILL_STATUS_SCHEDULED && strcmp(it.district, dq.district) == 0 &&
                  cmp_date(it.date, dq.busiest_day) == 0;
    }
    assert_true(on_day > 0);
    assert_int_equal(drill_plan_close_day(p, dq.district, dq.busiest_day), 0);
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.moved, on_day);
    for (size_t i = 0; i < drill_plan_count(p); i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, p, i);
        if (it.status == DRILL_STATUS_SCHEDULED && strcmp(it.district, dq.district) == 0)
            assert_true(cmp_date(it.date, dq.busiest_day) != 0);
    }
    assert_int_equal(q.violations, 0);
    /* a day made a holiday in the calendar (a typhoon day off) empties everywhere */
    drill_date day = D(2026, 9, 15);
    size_t before = 0;
    for (size_t i = 0; i < drill_plan_count(p); i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, p, i);
        before += it.status == DRILL_STATUS_SCHEDULED && cmp_date(it.date, day) == 0;
    }
    assert_true(before > 0);
    assert_int_equal(drill_calendar_add(w.cal, day, DRILL_ENTRY_HOLIDAY, "台风停工", "Typhoon day off", 0), 0);
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.moved, before);
    check_schedule(&w, p, 30, 7);
    /* closing a day everywhere */
    assert_int_equal(drill_plan_close_day(p, NULL, D(2026, 3, 3)), 0);
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_true(q.moved > 0);
    assert_int_equal(q.violations, 0);
    assert_fails_with(drill_plan_close_day(p, "大连市/无此区", D(2026, 3, 3)), DRILL_ENOTFOUND, "无此区");
    assert_fails_with(drill_plan_close_day(p, NULL, D(2027, 3, 3)), DRILL_ERANGE, "2026");
    assert_fails_with(drill_plan_close_day(NULL, NULL, D(2026, 3, 3)), DRILL_EINVAL, "NULL");
    drill_plan_free(p);
    world_free(&w);
}

static void test_review_cases(void **state)
{
    (void)state;
    world w;
    world_init(&w, 0);
    /* ids with '/' in the unit id still round-trip through find */
    add_unit(&w, "A/B/1", "大连市/中山区", "enterprise", DRILL_RISK_LOW, 0);
    add_unit(&w, "M1", "大连市/中山区", "hotel", DRILL_RISK_MAJOR, 0);
    drill_plan *p = plan_for(&w, 2026);
    assert_int_equal(drill_plan_schedule(NULL, p, NULL), 0);
    size_t k;
    assert_int_equal(drill_plan_find(&k, p, "A/B/1/art33-onsite/2026H1"), 0);
    drill_item it = DRILL_ITEM_INIT;
    drill_plan_get(&it, p, k);
    assert_string_equal(it.unit_id, "A/B/1");
    assert_string_equal(it.period, "2026H1");
    assert_fails_with(drill_plan_find(&k, p, "/art33-annual/2026"), DRILL_ENOTFOUND, "UNIT/RULE/PERIOD");
    assert_fails_with(drill_plan_find(&k, p, "art33-annual/2026"), DRILL_ENOTFOUND, "UNIT/RULE/PERIOD");
    assert_fails_with(drill_plan_find(&k, p, "M1//2026"), DRILL_ENOTFOUND, "UNIT/RULE/PERIOD");
    /* a unit moved into a district the registry had not seen: schedules cleanly */
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "M1";
    u.name = "M1";
    u.area = "大连市/长海县/大长山岛镇";
    u.unit_class = "hotel";
    u.risk = DRILL_RISK_MAJOR;
    assert_int_equal(drill_units_update(w.units, &u), 0);
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.violations, 0);
    drill_district_quality dq = DRILL_DISTRICT_QUALITY_INIT;
    assert_int_equal(drill_plan_district_quality(&dq, p, 1), 0);
    assert_string_equal(dq.district, "大连市/长海县");
    assert_int_equal(drill_plan_set_capacity(p, "大连市/长海县", 3), 0);
    drill_plan_free(p);
    world_free(&w);

    /* biennial duty splits sequential ids over the two years */
    world_init(&w, 0);
    char id[64];
    for (int i = 1; i <= 40; i++) {
        snprintf(id, sizeof id, "ZS%02d", i);
        add_unit(&w, id, "大连市/中山区", "government", DRILL_RISK_LOW, 0);
    }
    p = plan_for(&w, 2026);
    int due = 0;
    for (int i = 1; i <= 40; i++) {
        snprintf(id, sizeof id, "ZS%02d/decree708-government/2026B", i);
        due += drill_plan_find(&k, p, id) == 0;
    }
    assert_true(due >= 10 && due <= 30);
    drill_plan_free(p);
    world_free(&w);

    /* rolling: the second drill is in the second half, and a refresh keeps the schedule valid */
    world_init(&w, 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "roll";
    r.name = "roll";
    r.frequency = DRILL_FREQ_ROLLING;
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    for (int i = 1; i <= 30; i++) {
        snprintf(id, sizeof id, "R%02d", i);
        add_unit(&w, id, "大连市/中山区", "community", DRILL_RISK_LOW, 0);
    }
    p = plan_for(&w, 2026);
    assert_int_equal(drill_plan_set_last(p, "R01", "roll", D(2025, 7, 2), 0), 0); /* due on New Year's Day */
    assert_int_equal(drill_plan_refresh(p), 0);
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.unplaced[DRILL_REASON_NO_WORKING_DAY], 0);
    for (int i = 1; i <= 30; i++) {
        drill_item r1 = DRILL_ITEM_INIT, r2 = DRILL_ITEM_INIT;
        snprintf(id, sizeof id, "R%02d/roll/2026R1", i);
        assert_int_equal(drill_plan_find(&k, p, id), 0);
        drill_plan_get(&r1, p, k);
        drill_plan_get(&r2, p, k + 1);
        if (r2.status != DRILL_STATUS_SCHEDULED)
            fail_msg("%s on %04d-%02d-%02d, %s %s: window %04d-%02d-%02d..%04d-%02d-%02d", r1.id, r1.date.year,
                     r1.date.month, r1.date.day, r2.id, drill_reason_name(r2.reason), r2.window_start.year,
                     r2.window_start.month, r2.window_start.day, r2.window_end.year, r2.window_end.month,
                     r2.window_end.day);
        assert_true(r2.date.month >= 7);
        int gap;
        drill_date_diff(&gap, r1.date, r2.date);
        assert_true(gap > 0 && gap <= 184);
    }
    assert_int_equal(drill_plan_refresh(p), 0);
    size_t v = 9;
    assert_int_equal(drill_plan_validate(&v, p), 0);
    assert_int_equal(v, 0);
    drill_plan_free(p);
    world_free(&w);
}

static void test_uncovered_and_errors(void **state)
{
    (void)state;
    world w;
    world_init(&w, 50);
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    drill_plan *p = NULL;
    o.year = 2027;
    /* without a notice and without the law, a year is refused */
    assert_int_equal(drill_calendar_set_policy(w.cal, DRILL_UNCOVERED_ERROR), 0);
    assert_fails_with(drill_plan_new(&p, w.units, w.rules, w.campaigns, w.cal, &o), DRILL_ENODATA, "2027");
    o.allow_uncovered = 1;
    assert_int_equal(drill_calendar_set_policy(w.cal, DRILL_UNCOVERED_WEEKENDS), 0);
    assert_int_equal(drill_plan_new(&p, w.units, w.rules, w.campaigns, w.cal, &o), 0);
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.covered, 0);
    drill_plan_free(p);
    p = NULL;
    /* the provisional calendar from the law is planned without allow_uncovered, and no drill lands on a
     * statutory holiday of 2027 */
    o.allow_uncovered = 0;
    assert_int_equal(drill_calendar_set_policy(w.cal, DRILL_UNCOVERED_PROVISIONAL), 0);
    assert_int_equal(drill_plan_new(&p, w.units, w.rules, w.campaigns, w.cal, &o), 0);
    assert_int_equal(drill_plan_schedule(&q, p, NULL), 0);
    assert_int_equal(q.covered, 0);
    assert_true(q.placed > 0);
    for (size_t i = 0; i < drill_plan_count(p); i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_day_info info = DRILL_DAY_INFO_INIT;
        assert_int_equal(drill_plan_get(&it, p, i), 0);
        if (it.status != DRILL_STATUS_SCHEDULED)
            continue;
        assert_int_equal(drill_calendar_day_info(&info, w.cal, it.date), 0);
        if (!info.working)
            fail_msg("%s on %04d-%02d-%02d (%s)", it.id, it.date.year, it.date.month, it.date.day, info.name);
    }
    drill_plan_free(p);
    p = NULL;
    o.year = 0;
    assert_fails_with(drill_plan_new(&p, w.units, w.rules, w.campaigns, w.cal, &o), DRILL_EINVAL, "year");
    o.year = 2300;
    assert_fails_with(drill_plan_new(&p, w.units, w.rules, w.campaigns, w.cal, &o), DRILL_ERANGE, "2300");
    o.year = 2026;
    o.version = 0;
    assert_fails_with(drill_plan_new(&p, w.units, w.rules, w.campaigns, w.cal, &o), DRILL_EVERSION, "version");
    o.version = DRILL_PLAN_OPTIONS_VERSION;
    drill_campaigns *none;
    assert_int_equal(drill_campaigns_new(&none), 0);
    assert_fails_with(drill_plan_new(&p, w.units, w.rules, none, w.cal, &o), DRILL_ENOTFOUND, "campaign");
    assert_null(p);
    drill_campaigns_free(none);
    assert_fails_with(drill_plan_new(NULL, w.units, w.rules, w.campaigns, w.cal, &o), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_new(&p, NULL, w.rules, w.campaigns, w.cal, &o), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_new(&p, w.units, NULL, w.campaigns, w.cal, &o), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_new(&p, w.units, w.rules, NULL, w.cal, &o), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_new(&p, w.units, w.rules, w.campaigns, NULL, &o), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_new(&p, w.units, w.rules, w.campaigns, w.cal, NULL), DRILL_EINVAL, "NULL");
    p = plan_for(&w, 2026);
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.capacity = -1;
    assert_fails_with(drill_plan_schedule(NULL, p, &so), DRILL_EINVAL, "capacity");
    so.capacity = 0;
    so.spacing_days = 400;
    assert_fails_with(drill_plan_schedule(NULL, p, &so), DRILL_EINVAL, "spacing");
    so.spacing_days = 0;
    so.start_minute[1] = -5;
    assert_fails_with(drill_plan_schedule(NULL, p, &so), DRILL_EINVAL, "negative");
    so.start_minute[1] = 23 * 60;
    so.duration_minutes[1] = 120;
    assert_fails_with(drill_plan_schedule(NULL, p, &so), DRILL_EINVAL, "midnight");
    so.duration_minutes[1] = 0; /* the default 180 minutes from 23:00 runs past midnight too */
    assert_fails_with(drill_plan_schedule(NULL, p, &so), DRILL_EINVAL, "midnight");
    so.start_minute[1] = 20 * 60;
    so.tabletop_minutes = 300; /* tabletop drills too */
    assert_fails_with(drill_plan_schedule(NULL, p, &so), DRILL_EINVAL, "midnight");
    so.tabletop_minutes = 0;
    so.start_minute[1] = 0;
    so.observe_comprehensive = 2;
    assert_fails_with(drill_plan_schedule(NULL, p, &so), DRILL_EINVAL, "observe_comprehensive");
    so.observe_comprehensive = 0;
    so.version = 9;
    assert_fails_with(drill_plan_schedule(NULL, p, &so), DRILL_EVERSION, "version");
    drill_item it = DRILL_ITEM_INIT;
    size_t n;
    drill_selection *sel;
    drill_filter f = DRILL_FILTER_INIT;
    drill_district_quality dq = DRILL_DISTRICT_QUALITY_INIT;
    assert_fails_with(drill_plan_schedule(NULL, NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_get(NULL, p, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_get(&it, NULL, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_find(&n, p, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_select(&sel, p, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_select(NULL, p, &f), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_validate(NULL, p), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_quality(NULL, p), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_district_quality(&dq, p, 99), DRILL_ENOTFOUND, "99");
    assert_fails_with(drill_plan_refresh(NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_set_last(p, NULL, "r", D(2025, 1, 1), 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_set_capacity(p, NULL, 1), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_selection_index(NULL, NULL, 0), DRILL_EINVAL, "NULL");
    assert_int_equal(drill_plan_count(NULL), 0);
    assert_int_equal(drill_plan_year(NULL), 0);
    assert_int_equal(drill_selection_count(NULL), 0);
    drill_selection_free(NULL);
    drill_plan_free(NULL);
    drill_plan_free(p);
    world_free(&w);
}

static void test_queries(void **state)
{
    (void)state;
    world w;
    world_init(&w, 600);
    drill_plan *p = plan_for(&w, 2026);
    assert_int_equal(drill_plan_schedule(NULL, p, NULL), 0);
    size_t n = drill_plan_count(p);
    /* each query agrees with a plain scan */
    drill_filter f = DRILL_FILTER_INIT;
    f.unit_id = "DL000007";
    drill_selection *sel;
    assert_int_equal(drill_plan_select(&sel, p, &f), 0);
    size_t expect = 0;
    for (size_t i = 0; i < n; i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, p, i);
        expect += strcmp(it.unit_id, "DL000007") == 0;
    }
    assert_true(expect > 0);
    assert_int_equal(drill_selection_count(sel), expect);
    drill_selection_free(sel);

    f = (drill_filter)DRILL_FILTER_INIT;
    f.district = "大连市/金州区";
    f.campaign = "work-safety-month";
    f.status = DRILL_STATUS_SCHEDULED;
    assert_int_equal(drill_plan_select(&sel, p, &f), 0);
    expect = 0;
    for (size_t i = 0; i < n; i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, p, i);
        expect += strcmp(it.district, "大连市/金州区") == 0 && strcmp(it.campaign, "work-safety-month") == 0 &&
                  it.status == DRILL_STATUS_SCHEDULED;
    }
    assert_true(expect > 0);
    assert_int_equal(drill_selection_count(sel), expect);
    for (size_t k = 0; k < drill_selection_count(sel); k++) {
        size_t i;
        drill_item it = DRILL_ITEM_INIT;
        assert_int_equal(drill_selection_index(&i, sel, k), 0);
        drill_plan_get(&it, p, i);
        assert_int_equal(it.date.month, 6);
    }
    size_t i;
    assert_fails_with(drill_selection_index(&i, sel, drill_selection_count(sel)), DRILL_ENOTFOUND, "position");
    drill_selection_free(sel);

    f = (drill_filter)DRILL_FILTER_INIT;
    f.has_range = 1;
    f.from = D(2026, 10, 12);
    f.to = D(2026, 10, 16);
    assert_int_equal(drill_plan_select(&sel, p, &f), 0);
    expect = 0;
    for (size_t k = 0; k < n; k++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, p, k);
        if (it.status == DRILL_STATUS_SCHEDULED)
            expect += cmp_date(it.date, f.from) >= 0 && cmp_date(it.date, f.to) <= 0;
        else
            expect += cmp_date(it.window_start, f.to) <= 0 && cmp_date(it.window_end, f.from) >= 0;
    }
    assert_int_equal(drill_selection_count(sel), expect);
    drill_selection_free(sel);
    f.from = D(2026, 2, 30);
    assert_fails_with(drill_plan_select(&sel, p, &f), DRILL_ERANGE, "day 30");
    f = (drill_filter)DRILL_FILTER_INIT;
    f.unit_id = "no-such-unit";
    assert_int_equal(drill_plan_select(&sel, p, &f), 0);
    assert_int_equal(drill_selection_count(sel), 0);
    drill_selection_free(sel);
    f.version = 0;
    assert_fails_with(drill_plan_select(&sel, p, &f), DRILL_EVERSION, "version");
    drill_plan_free(p);
    world_free(&w);
}

/* the options a plan was last scheduled with, defaults filled in */
static void test_schedule_options(void **state)
{
    (void)state;
    world w;
    world_init(&w, 200);
    drill_plan *p = plan_for(&w, 2026);
    drill_schedule_options o = DRILL_SCHEDULE_OPTIONS_INIT;
    /* before the first schedule: the defaults (_v2: the version given, o need not be set up) */
    assert_int_equal(drill_plan_schedule_options_v2(&o, p, DRILL_SCHEDULE_OPTIONS_VERSION), 0);
    assert_int_equal(o.version, DRILL_SCHEDULE_OPTIONS_VERSION);
    assert_int_equal(o.campaign_min_days, 5);
    assert_int_equal(o.campaign_widen_days, 7);
    assert_int_equal(o.capacity, 30);
    assert_int_equal(o.spacing_days, 7);
    assert_int_equal(o.observer_min_risk, DRILL_RISK_HIGHER);
    assert_int_equal(o.observe_comprehensive, 1);
    assert_int_equal(o.start_minute[DRILL_KIND_COMPREHENSIVE], 9 * 60);
    assert_int_equal(o.duration_minutes[DRILL_KIND_ONSITE], 60);
    assert_int_equal(o.tabletop_minutes, 90);
    drill_schedule_options in = DRILL_SCHEDULE_OPTIONS_INIT;
    in.capacity = 3;
    in.spacing_days = -1;
    in.tabletop_minutes = 45;
    drill_quality q1 = DRILL_QUALITY_INIT, q2 = DRILL_QUALITY_INIT;
    in.campaign_widen_days = 3;
    assert_int_equal(drill_plan_schedule(&q1, p, &in), 0);
    assert_int_equal(drill_plan_schedule_options_v2(&o, p, DRILL_SCHEDULE_OPTIONS_VERSION), 0);
    assert_int_equal(o.campaign_widen_days, 3);
    assert_int_equal(o.capacity, 3);
    assert_int_equal(o.spacing_days, -1);
    assert_int_equal(o.tabletop_minutes, 45);
    assert_int_equal(o.duration_minutes[DRILL_KIND_COMPREHENSIVE], 180);
    /* scheduling again with them keeps every drill where it is */
    assert_int_equal(drill_plan_schedule(&q2, p, &o), 0);
    assert_int_equal(q2.moved, 0);
    assert_int_equal(q2.placed, q1.placed);
    /* a failed schedule leaves them as they were */
    in.capacity = -5;
    assert_fails_with(drill_plan_schedule(NULL, p, &in), DRILL_EINVAL, "capacity");
    o.version = 2; /* a program built for version 2: its fields */
    assert_int_equal(drill_plan_schedule_options(&o, p), 0);
    assert_int_equal(o.version, 2);
    assert_int_equal(o.capacity, 3);
    assert_fails_with(drill_plan_schedule_options(NULL, p), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_plan_schedule_options(&o, NULL), DRILL_EINVAL, "NULL");
    drill_plan_free(p);
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requirements_and_ids), cmocka_unit_test(test_schedule_city),
        cmocka_unit_test(test_deterministic),        cmocka_unit_test(test_capacity_and_spread),
        cmocka_unit_test(test_reasons),              cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_rolling_and_biennial), cmocka_unit_test(test_due_from_held),
        cmocka_unit_test(test_closed_days_and_new_holidays), cmocka_unit_test(test_review_cases),
        cmocka_unit_test(test_uncovered_and_errors),
        cmocka_unit_test(test_queries),              cmocka_unit_test(test_schedule_options),
    };
    return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
