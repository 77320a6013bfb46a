/* Rules: presets, validation, which units a rule applies to. */
#include "testutil.h"

static void test_presets(void **state)
{
    (void)state;
    drill_rules *rules = NULL;
    assert_int_equal(drill_rules_new_presets(&rules), 0);
    static const char *const ids[] = { "art33-annual", "art33-onsite", "decree708-high-risk", "decree708-government",
                                       "fire-key-unit", "fire-other", "highrise-public", "highrise-residential",
                                       "moe-school-monthly", "moe-kindergarten-quarterly", "city-work-safety-month",
                                       "city-disaster-week", "city-pre-flood", "city-pre-flood-public", "city-iddrr",
                                       "city-fire-month" };
    assert_int_equal(drill_rules_count(rules), 16);
    for (size_t i = 0; i < 16; i++) {
        drill_rule r;
        assert_int_equal(drill_rules_get(&r, rules, i), 0);
        assert_string_equal(r.id, ids[i]);
        assert_non_null(r.source);
        assert_true(strlen(r.source) > 10); /* every preset names its source */
        assert_null(strstr(r.source, "unverified"));
    }
    drill_rule r;
    size_t i;
    /* Art. 33: comprehensive OR special, so either kind and any hazard satisfies it */
    assert_int_equal(drill_rules_find(&i, rules, "art33-annual"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_int_equal(r.kind, DRILL_KIND_SPECIAL);
    assert_int_equal(r.satisfied_by_kinds, DRILL_KIND_BIT(DRILL_KIND_COMPREHENSIVE) | DRILL_KIND_BIT(DRILL_KIND_SPECIAL));
    assert_string_equal(r.satisfied_by_scenarios, "*");
    assert_non_null(strstr(r.name_en, "comprehensive or special"));
    assert_int_equal(drill_rules_find(&i, rules, "art33-onsite"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_int_equal(r.kind, DRILL_KIND_ONSITE);
    assert_int_equal(r.frequency, DRILL_FREQ_HALF_YEARLY);
    assert_non_null(strstr(r.source, "第三十三条"));
    /* decree 708 art. 8 para. 2 is Art. 33 para. 2: any plan's drill, so the on-site drills meet it */
    assert_int_equal(drill_rules_find(&i, rules, "decree708-high-risk"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_true(r.satisfied_by_kinds & DRILL_KIND_BIT(DRILL_KIND_ONSITE));
    assert_non_null(strstr(r.source, "第三十三条第二款"));
    assert_non_null(strstr(r.source, "第八条第二款"));
    assert_int_equal(drill_rules_find(&i, rules, "decree708-government"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_int_equal(r.frequency, DRILL_FREQ_BIENNIAL);
    assert_non_null(strstr(r.source, "708"));
    assert_int_equal(drill_rules_find(&i, rules, "fire-key-unit"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_non_null(strstr(r.source, "第四十条"));
    assert_int_equal(drill_rules_find(&i, rules, "moe-school-monthly"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_int_equal(r.frequency, DRILL_FREQ_MONTHLY);
    assert_non_null(strstr(r.source, "教基一厅〔2014〕2号"));
    assert_int_equal(drill_rules_find(&i, rules, "moe-kindergarten-quarterly"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_int_equal(r.frequency, DRILL_FREQ_QUARTERLY);
    assert_int_equal(drill_rules_find(&i, rules, "city-iddrr"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_string_equal(r.campaign, "iddrr");
    drill_rules_free(rules);
}

static void test_applies(void **state)
{
    (void)state;
    drill_units *units;
    drill_rules *rules;
    assert_int_equal(drill_units_new(&units), 0);
    assert_int_equal(drill_rules_new_presets(&rules), 0);
    static const struct { const char *id, *cls; drill_risk risk; int flood, key_fire; } us[] = {
        { "hotel", "hotel", DRILL_RISK_GENERAL, 0, 0 },
        { "school", "school", DRILL_RISK_LOW, 1, 0 },
        { "gov", "government", DRILL_RISK_LOW, 0, 0 },
        { "shop", "enterprise", DRILL_RISK_LOW, 0, 1 },
        { "kg", "kindergarten", DRILL_RISK_LOW, 0, 0 },
        { "clinic", "hospital", DRILL_RISK_LOW, 0, -1 }, /* a hospital the fire service does not list */
        { "tower", "high-rise-public", DRILL_RISK_LOW, 0, 0 },
        { "comm", "community", DRILL_RISK_LOW, 0, 0 },
    };
    for (size_t i = 0; i < 8; i++) {
        drill_unit u = DRILL_UNIT_INIT;
        u.id = us[i].id;
        u.name = us[i].id;
        u.area = "大连市/中山区/人民路街道";
        u.unit_class = us[i].cls;
        u.risk = us[i].risk;
        u.flood_prone = us[i].flood;
        u.key_fire = us[i].key_fire;
        assert_int_equal(drill_units_add(units, &u), 0);
    }
    /* rows: rules in preset order; columns: hotel, school, gov, shop, kg, clinic, tower, comm */
    static const int expect[16][8] = {
        { 1, 0, 0, 1, 0, 0, 1, 0 }, /* art33-annual: production units */
        { 1, 0, 0, 1, 0, 0, 1, 0 }, /* art33-onsite */
        { 1, 0, 0, 0, 0, 0, 0, 0 }, /* decree708-high-risk */
        { 0, 0, 1, 0, 0, 0, 0, 0 }, /* decree708-government */
        { 1, 0, 1, 1, 1, 0, 1, 0 }, /* fire-key-unit: art. 13 classes and the flagged shop, not the clinic */
        { 0, 1, 0, 0, 0, 1, 0, 1 }, /* fire-other */
        { 0, 0, 0, 0, 0, 0, 1, 0 }, /* highrise-public */
        { 0, 0, 0, 0, 0, 0, 0, 0 }, /* highrise-residential */
        { 0, 1, 0, 0, 0, 0, 0, 0 }, /* moe-school-monthly */
        { 0, 0, 0, 0, 1, 0, 0, 0 }, /* moe-kindergarten-quarterly */
        { 1, 1, 1, 1, 1, 1, 1, 1 }, /* city-work-safety-month */
        { 0, 1, 1, 0, 1, 1, 0, 1 }, /* city-disaster-week: organs and the public */
        { 0, 1, 0, 0, 0, 0, 0, 0 }, /* city-pre-flood: flood-prone */
        { 0, 1, 1, 0, 1, 1, 0, 1 }, /* city-pre-flood-public: organs and the public */
        { 0, 1, 1, 0, 1, 1, 0, 1 }, /* city-iddrr: organs and the public */
        { 1, 0, 1, 1, 1, 0, 1, 0 }, /* city-fire-month: key fire units */
    };
    for (size_t r = 0; r < 16; r++)
        for (size_t u = 0; u < 8; u++) {
            int out = -1;
            assert_int_equal(drill_rules_applies(&out, rules, r, units, u), 0);
            if (out != expect[r][u])
                fail_msg("rule %zu unit %zu: %d", r, u, out);
        }
    /* area prefixes end at a path boundary; min_risk */
    drill_rule a = DRILL_RULE_INIT;
    a.id = "zs";
    a.name = "中山区";
    a.area = "大连市/中山";
    assert_int_equal(drill_rules_add(rules, &a), 0);
    int out;
    assert_int_equal(drill_rules_applies(&out, rules, 16, units, 0), 0);
    assert_int_equal(out, 0);
    a.area = "大连市/中山区";
    a.min_risk = DRILL_RISK_GENERAL;
    assert_int_equal(drill_rules_update(rules, &a), 0);
    assert_int_equal(drill_rules_applies(&out, rules, 16, units, 0), 0);
    assert_int_equal(out, 1);
    assert_int_equal(drill_rules_applies(&out, rules, 16, units, 1), 0);
    assert_int_equal(out, 0);
    assert_fails_with(drill_rules_applies(&out, rules, 17, units, 0), DRILL_ENOTFOUND, "rule");
    assert_fails_with(drill_rules_applies(&out, rules, 0, units, 8), DRILL_ENOTFOUND, "unit");
    drill_rules_free(rules);
    drill_units_free(units);
}

static void test_add_update_remove(void **state)
{
    (void)state;
    drill_rules *rules;
    assert_int_equal(drill_rules_new(&rules), 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "port-typhoon";
    r.name = "港口防台风演练";
    r.classes = "hazardous-chemicals|construction";
    r.scenario = "typhoon";
    r.frequency = DRILL_FREQ_ROLLING;
    r.due_from = DRILL_DUE_FROM_HELD;
    assert_int_equal(drill_rules_add(rules, &r), 0);
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EEXISTS, "port-typhoon");
    r.name = "港口防台演练";
    r.form = DRILL_FORM_TABLETOP;
    assert_int_equal(drill_rules_update(rules, &r), 0);
    drill_rule g;
    assert_int_equal(drill_rules_get(&g, rules, 0), 0);
    assert_string_equal(g.name, "港口防台演练");
    assert_string_equal(g.classes, "hazardous-chemicals|construction");
    assert_int_equal(g.form, DRILL_FORM_TABLETOP);
    assert_int_equal(g.due_from, DRILL_DUE_FROM_HELD);
    r.id = "other";
    assert_fails_with(drill_rules_update(rules, &r), DRILL_ENOTFOUND, "other");
    assert_int_equal(drill_rules_remove(rules, "port-typhoon"), 0);
    assert_int_equal(drill_rules_count(rules), 0);
    assert_fails_with(drill_rules_remove(rules, "port-typhoon"), DRILL_ENOTFOUND, "port-typhoon");
    drill_rules_free(rules);
}

static void test_bad_rules(void **state)
{
    (void)state;
    drill_rules *rules;
    assert_int_equal(drill_rules_new(&rules), 0);
    drill_rule base = DRILL_RULE_INIT;
    base.id = "x";
    base.name = "x";
    drill_rule r = base;
    r.id = "a b";
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "rule id");
    r = base;
    r.name = NULL;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "name");
    r = base;
    r.classes = "school||hotel";
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "classes");
    r = base;
    r.class_flags = 0x100;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "class_flags");
    r = base;
    r.min_risk = 7;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "min_risk");
    r = base;
    r.key_fire = 2;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "key_fire");
    r = base;
    r.flood_prone = -1;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "flood_prone");
    r = base;
    r.kind = 0;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "kind");
    r = base;
    r.form = 3;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "form");
    r = base;
    r.scenario = "水灾";
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "scenario");
    r = base;
    r.frequency = 9;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "frequency");
    r = base;
    r.frequency = DRILL_FREQ_HALF_YEARLY;
    r.campaign = "work-safety-month";
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "campaign");
    r = base;
    r.due_from = 5;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "due_from");
    r = base;
    r.frequency = DRILL_FREQ_MONTHLY;
    r.campaign = "work-safety-month";
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "campaign");
    r = base;
    r.satisfied_by_kinds = 1u; /* bit 0 is no kind */
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "satisfied_by_kinds");
    r = base;
    r.satisfied_by_scenarios = "fire||flood";
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EINVAL, "satisfied_by_scenarios");
    r = base;
    r.version = 3;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EVERSION, "version");
    r = base;
    r.version = 0;
    assert_fails_with(drill_rules_add(rules, &r), DRILL_EVERSION, "version");
    assert_int_equal(drill_rules_count(rules), 0);
    drill_rule g;
    size_t i;
    int out;
    assert_fails_with(drill_rules_new(NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_rules_new_presets(NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_rules_add(NULL, &base), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_rules_add(rules, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_rules_update(rules, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_rules_remove(rules, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_rules_get(NULL, rules, 0), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_rules_get(&g, rules, 0), DRILL_ENOTFOUND, "index 0");
    assert_fails_with(drill_rules_find(&i, rules, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_rules_applies(&out, NULL, 0, NULL, 0), DRILL_EINVAL, "NULL");
    assert_int_equal(drill_rules_count(NULL), 0);
    drill_rules_free(NULL);
    drill_rules_free(rules);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(drill_kind_name(DRILL_KIND_COMPREHENSIVE, 0), "综合演练");
    assert_string_equal(drill_kind_name(DRILL_KIND_ONSITE, 1), "on-site response");
    assert_string_equal(drill_form_name(DRILL_FORM_TABLETOP, 0), "桌面");
    assert_string_equal(drill_scenario_name("chemical-release", 1), "hazardous-chemical release");
    assert_string_equal(drill_scenario_name("earthquake", 0), "地震");
    assert_string_equal(drill_scenario_name("custom-thing", 0), "custom-thing");
    assert_string_equal(drill_scenario_name(NULL, 0), "");
    assert_string_equal(drill_kind_name(0, 1), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presets),   cmocka_unit_test(test_applies), cmocka_unit_test(test_add_update_remove),
        cmocka_unit_test(test_bad_rules), cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("rule", tests, NULL, NULL);
}
