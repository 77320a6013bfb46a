/* The ABI of the versioned structs: drill_*_init() fills the INIT defaults
 * for a version it knows and refuses others; every function taking a
 * versioned struct refuses version 0 and versions newer than the library,
 * and reads no byte past the caller's version (checked under valgrind and
 * ASan: the structs below are allocated at exactly that size). */
#include "testutil.h"

/* a heap copy of exactly n bytes of s, so reading past it is caught */
static void *exact(const void *s, size_t n)
{
    void *p = malloc(n);
    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static void test_init_functions(void **state)
{
    (void)state;
    drill_plan_options po;
    memset(&po, 0xA5, sizeof po);
    assert_int_equal(drill_plan_options_init(&po, DRILL_PLAN_OPTIONS_VERSION), 0);
    assert_int_equal(po.version, DRILL_PLAN_OPTIONS_VERSION);
    assert_int_equal(po.year, 0);
    assert_int_equal(po.allow_uncovered, 0);

    drill_region_options ro, rd = DRILL_REGION_OPTIONS_INIT;
    memset(&ro, 0xA5, sizeof ro);
    assert_int_equal(drill_region_options_init(&ro, DRILL_REGION_OPTIONS_VERSION), 0);
    assert_int_equal(ro.flood_lead_days, rd.flood_lead_days);
    assert_int_equal(ro.flood_month, rd.flood_month);

    drill_schedule_options so;
    memset(&so, 0xA5, sizeof so);
    assert_int_equal(drill_schedule_options_init(&so, DRILL_SCHEDULE_OPTIONS_VERSION), 0);
    assert_int_equal(so.capacity, 0);
    assert_int_equal(so.observer_min_risk, DRILL_RISK_UNSET);
    assert_int_equal(so.start_minute[3], 0);

    drill_filter f;
    memset(&f, 0xA5, sizeof f);
    assert_int_equal(drill_filter_init(&f, DRILL_FILTER_VERSION), 0);
    assert_null(f.unit_id);

    drill_outcome o;
    assert_int_equal(drill_outcome_init(&o, DRILL_OUTCOME_VERSION), 0);
    assert_int_equal(o.kind, DRILL_KIND_SPECIAL);

    drill_unit u;
    assert_int_equal(drill_unit_init(&u, DRILL_UNIT_VERSION), 0);
    assert_null(u.id);
    assert_int_equal(u.risk, DRILL_RISK_UNSET);

    /* a version the library does not know */
    assert_fails_with(drill_plan_options_init(&po, 0), DRILL_EVERSION, "drill_plan_options version 0");
    assert_fails_with(drill_feed_options_init(NULL, 1), DRILL_EINVAL, "out");
    drill_store_options st;
    assert_fails_with(drill_store_options_init(&st, DRILL_STORE_OPTIONS_VERSION + 1), DRILL_EVERSION, "version");
    drill_rule r;
    assert_fails_with(drill_rule_init(&r, DRILL_RULE_VERSION + 1), DRILL_EVERSION, "version");
    drill_action a;
    assert_int_equal(drill_action_init(&a, DRILL_ACTION_VERSION), 0);
    drill_class_def cd;
    assert_int_equal(drill_class_def_init(&cd, DRILL_CLASS_DEF_VERSION), 0);
    drill_campaign_def cpd;
    assert_int_equal(drill_campaign_def_init(&cpd, DRILL_CAMPAIGN_DEF_VERSION), 0);
    drill_import_options io;
    assert_int_equal(drill_import_options_init(&io, DRILL_IMPORT_OPTIONS_VERSION), 0);
    drill_generate_options go;
    assert_int_equal(drill_generate_options_init(&go, DRILL_GENERATE_OPTIONS_VERSION), 0);
    assert_int_equal(go.count, 0);
    drill_ics_holiday_options ho;
    assert_int_equal(drill_ics_holiday_options_init(&ho, DRILL_ICS_HOLIDAY_OPTIONS_VERSION), 0);
    drill_feed_options fo;
    assert_int_equal(drill_feed_options_init(&fo, DRILL_FEED_OPTIONS_VERSION), 0);
    assert_int_equal(drill_store_options_init(&st, DRILL_STORE_OPTIONS_VERSION), 0);
}

/* structs filled by drill_*_init() work with the functions that take them,
 * read from exactly-sized copies; a newer version is refused before anything happens */
static void test_versions_accepted_and_refused(void **state)
{
    (void)state;
    drill_units *units;
    assert_int_equal(drill_units_new(&units), 0);
    drill_generate_options go;
    assert_int_equal(drill_generate_options_init(&go, DRILL_GENERATE_OPTIONS_VERSION), 0);
    go.count = 20;
    drill_generate_options *gp = exact(&go, sizeof go);
    assert_int_equal(drill_units_generate(units, gp), 0);
    assert_int_equal(drill_units_count(units), 20);
    gp->version = DRILL_GENERATE_OPTIONS_VERSION + 1;
    assert_fails_with(drill_units_generate(units, gp), DRILL_EVERSION, "drill_generate_options version");
    gp->version = 0;
    assert_fails_with(drill_units_generate(units, gp), DRILL_EVERSION, "drill_generate_options version 0");
    assert_int_equal(drill_units_count(units), 20); /* nothing added by the refused calls */
    free(gp);

    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    assert_int_equal(drill_rules_new_presets(&rules), 0);
    drill_region_options ro;
    assert_int_equal(drill_region_options_init(&ro, DRILL_REGION_OPTIONS_VERSION), 0);
    drill_region_options *rp = exact(&ro, sizeof ro);
    assert_int_equal(drill_campaigns_new_builtin(&campaigns, rp), 0);
    free(rp);
    assert_int_equal(drill_calendar_new_china(&cal), 0);

    drill_plan_options po;
    assert_int_equal(drill_plan_options_init(&po, DRILL_PLAN_OPTIONS_VERSION), 0);
    po.year = 2026;
    drill_plan_options *pp = exact(&po, sizeof po);
    drill_plan *plan = NULL;
    pp->version = DRILL_PLAN_OPTIONS_VERSION + 1;
    assert_fails_with(drill_plan_new(&plan, units, rules, campaigns, cal, pp), DRILL_EVERSION, "drill_plan_options");
    assert_null(plan);
    pp->version = DRILL_PLAN_OPTIONS_VERSION;
    assert_int_equal(drill_plan_new(&plan, units, rules, campaigns, cal, pp), 0);
    free(pp);
    drill_schedule_options so;
    assert_int_equal(drill_schedule_options_init(&so, DRILL_SCHEDULE_OPTIONS_VERSION), 0);
    so.capacity = 3;
    drill_schedule_options *sp = exact(&so, sizeof so);
    assert_int_equal(drill_plan_schedule(NULL, plan, sp), 0);
    drill_schedule_options back;
    assert_int_equal(drill_plan_schedule_options(&back, plan), 0);
    assert_int_equal(back.capacity, 3);
    free(sp);

    drill_filter f;
    assert_int_equal(drill_filter_init(&f, DRILL_FILTER_VERSION), 0);
    drill_filter *fp = exact(&f, sizeof f);
    drill_selection *sel;
    assert_int_equal(drill_plan_select(&sel, plan, fp), 0);
    assert_int_equal(drill_selection_count(sel), drill_plan_count(plan));
    drill_selection_free(sel);
    fp->version = 7;
    assert_fails_with(drill_plan_select(&sel, plan, fp), DRILL_EVERSION, "drill_filter version 7 is not 1-");
    free(fp);

    drill_plan_free(plan);
    drill_calendar_free(cal);
    drill_campaigns_free(campaigns);
    drill_rules_free(rules);
    drill_units_free(units);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_functions),
        cmocka_unit_test(test_versions_accepted_and_refused),
    };
    return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
