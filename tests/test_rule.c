/* Rules: presets, validation, which units a rule applies to. */
#include "testutil.h"

static void test_presets(void **state)
{
    (void)state;
    drill_rules *rules = NULL;
    assert_int_equal(drill_rules_new_presets(&rules), 0);
    static const char *const ids[] = { "art33-annual", "art33-onsite", "decree708-high-risk", "decree708-government",
                                       "fire-key-unit", "fire-other", "highrise-annual", "highrise-100m",
                                       "highrise-subplan", "highrise-residential", "moe-school-monthly",
                                       "moe-kindergarten-quarterly", "city-work-safety-month", "city-disaster-week",
                                       "city-pre-flood", "city-pre-flood-public", "city-iddrr", "city-fire-month" };
    assert_int_equal(drill_rules_count(rules), 18);
    for (size_t i = 0; i < 18; i++) {
        drill_rule r = DRILL_RULE_INIT;
        assert_int_equal(drill_rules_get(&r, rules, i), 0);
        assert_string_equal(r.id, ids[i]);
        assert_non_null(r.source);
        assert_true(strlen(r.source) > 10); /* every preset names its source */
        assert_null(strstr(r.source, "unverified"));
    }
    drill_rule r = DRILL_RULE_INIT;
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
    assert_int_equal(drill_rules_find(&i, rules, "highrise-annual"), 0);
    assert_int_equal(drill_rules_get(&r, rules, i), 0);
    assert_int_equal(r.kind, DRILL_KIND_COMPREHENSIVE);
    assert_non_null(strstr(r.source, "第四十四条"));
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
    static const int expect[18][8] = {
        { 1, 0, 0, 1, 0, 0, 1, 0 }, /* art33-annual: production units */
        { 1, 0, 0, 1, 0, 0, 1, 0 }, /* art33-onsite */
        { 1, 0, 0, 0, 0, 0, 0, 0 }, /* decree708-high-risk */
        { 0, 0, 1, 0, 0, 0, 0, 0 }, /* decree708-government */
        { 1, 0, 1, 1, 1, 0, 1, 0 }, /* fire-key-unit: art. 13 classes and the flagged shop, not the clinic */
        { 0, 1, 0, 0, 0, 1, 0, 1 }, /* fire-other */
        { 0, 0, 0, 0, 0, 0, 1, 0 }, /* highrise-annual */
        { 0, 0, 0, 0, 0, 0, 0, 0 }, /* highrise-100m */
        { 0, 0, 0, 0, 0, 0, 0, 0 }, /* highrise-subplan */
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
    for (size_t r = 0; r < 18; r++)
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
    assert_int_equal(drill_rules_applies(&out, rules, 18, units, 0), 0);
    assert_int_equal(out, 0);
    a.area = "大连市/中山区";
    a.min_risk = DRILL_RISK_GENERAL;
    assert_int_equal(drill_rules_update(rules, &a), 0);
    assert_int_equal(drill_rules_applies(&out, rules, 18, units, 0), 0);
    assert_int_equal(out, 1);
    assert_int_equal(drill_rules_applies(&out, rules, 18, units, 1), 0);
    assert_int_equal(out, 0);
    assert_fails_with(drill_rules_applies(&out, rules, 19, units, 0), DRILL_ENOTFOUND, "rule");
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
    drill_rule g = DRILL_RULE_INIT;
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
    drill_rule g = DRILL_RULE_INIT;
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

/* ---- the presets against the texts: what a unit of each class must do in a year ---- */

/* requirements of each rule for one unit in 2026 (drills of its own and requirements another rule's
 * drill meets), from the coverage report by rule; the count of drills in *out_drills */
static void requirements(const char *cls, int flood, int key_fire, int year, const char *rule_ids[], int counts[],
                         size_t nrules, size_t *out_drills)
{
    world w = { 0 };
    world_generate(&w, 0);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "U";
    u.name = "单位";
    u.area = "大连市/中山区/人民路街道";
    u.unit_class = cls;
    u.risk = DRILL_RISK_GENERAL;
    u.flood_prone = flood;
    u.key_fire = key_fire;
    assert_int_equal(drill_units_add(w.units, &u), 0);
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = year;
    assert_int_equal(drill_plan_new(&w.plan, w.units, w.rules, w.campaigns, w.cal, &o), 0);
    *out_drills = drill_plan_count(w.plan);
    drill_table *t;
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_RULE, D(year, 1, 1)), 0);
    for (size_t r = 0; r < nrules; r++) {
        counts[r] = 0;
        for (size_t row = 0; row + 1 < drill_table_rows(t); row++) {
            const char *g, *n;
            assert_int_equal(drill_table_cell(&g, t, row, 0), 0);
            assert_int_equal(drill_table_cell(&n, t, row, 1), 0);
            if (strcmp(g, rule_ids[r]) == 0)
                counts[r] = atoi(n);
        }
    }
    drill_table_free(t);
    world_free(&w);
}

static void test_presets_per_class(void **state)
{
    (void)state;
    static const char *ids[] = { "art33-annual", "art33-onsite", "decree708-high-risk", "decree708-government",
                                 "fire-key-unit", "fire-other", "highrise-annual", "highrise-100m", "highrise-subplan",
                                 "highrise-residential", "moe-school-monthly", "moe-kindergarten-quarterly",
                                 "city-work-safety-month", "city-disaster-week", "city-pre-flood",
                                 "city-pre-flood-public", "city-iddrr", "city-fire-month" };
    /* per class, each rule's requirements in 2026 as the texts ask them (the biennial duty apart):
     * Art. 33 para. 1: production units, one comprehensive-or-special drill a year and an on-site drill
     *   each half year; para. 2 (= decree 708 art. 8 para. 2): high-risk industries and crowded venues a
     *   drill each half year;
     * MPS 61 art. 40: key fire units (art. 13 classes) each half year, others yearly;
     * MEM order 5 art. 44: high-rise buildings a comprehensive drill yearly, over 100 m each half year, with
     *   sub-plans quarterly; art. 41: high-rise residential buildings an evacuation drill yearly;
     * MOE guide: schools monthly in term (11 months: no August), kindergartens quarterly;
     * the seed: every unit in Work Safety Month; organs and the public in the disaster week, before the
     *   flood season and on IDDRR; key fire units in November. */
    static const struct { const char *cls; int n[18]; } expect[] = {
        /*                          a33 on h708 gov key oth hra 100 sub hrr sch kg  wsm dw  pf  pfp idr fm */
        { "hazardous-chemicals",  { 1, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
        { "mining",               { 1, 2, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 } },
        { "metallurgy",           { 1, 2, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 } },
        { "construction",         { 1, 2, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 } },
        { "urban-rail",           { 1, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
        { "hotel",                { 1, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
        { "mall",                 { 1, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
        { "entertainment",        { 1, 2, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
        { "scenic-area",          { 1, 2, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 } },
        { "key-fire-unit",        { 1, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
        { "enterprise",           { 1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0 } },
        { "school",               { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 11, 0, 1, 1, 0, 1, 1, 0 } },
        { "hospital",             { 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1 } },
        { "community",            { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0 } },
        { "government",           { 0, 0, 0, -1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1 } },
        { "township",             { 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0 } },
        { "kindergarten",         { 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 4, 1, 1, 0, 1, 1, 1 } },
        { "boarding-school",      { 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 11, 0, 1, 1, 0, 1, 1, 1 } },
        { "special-school",       { 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 11, 0, 1, 1, 0, 1, 1, 0 } },
        { "high-rise-public",     { 1, 2, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
        { "high-rise-residential",{ 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0 } },
        { "high-rise-public-100m",{ 1, 2, 0, 0, 2, 0, 1, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
        { "high-rise-complex",    { 1, 2, 0, 0, 2, 0, 1, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 1 } },
    };
    drill_units *units;
    assert_int_equal(drill_units_new(&units), 0);
    assert_int_equal(drill_units_class_count(units), sizeof expect / sizeof *expect); /* every built-in class */
    drill_units_free(units);
    for (size_t c = 0; c < sizeof expect / sizeof *expect; c++) {
        int got[18], next[18];
        size_t drills, drills_next;
        requirements(expect[c].cls, 0, 0, 2026, ids, got, 18, &drills);
        requirements(expect[c].cls, 0, 0, 2027, ids, next, 18, &drills_next);
        int total = 0;
        for (size_t r = 0; r < 18; r++) {
            if (expect[c].n[r] < 0) { /* decree 708 art. 8 para. 1: once in every two years */
                if (got[r] + next[r] != 1)
                    fail_msg("%s %s: %d in 2026 and %d in 2027, want one of the two", expect[c].cls, ids[r],
                             got[r], next[r]);
                total += got[r];
                continue;
            }
            if (got[r] != expect[c].n[r])
                fail_msg("%s %s: %d requirements in 2026, the text asks %d", expect[c].cls, ids[r], got[r],
                         expect[c].n[r]);
            total += got[r];
        }
        /* one drill meets the duties that are one (never more drills than requirements) */
        assert_true(drills <= (size_t)total);
    }
    /* the hotel: 9 requirements, 5 drills (on-site drills meet decree 708, the Work Safety Month drill meets
     * Art. 33's yearly duty, the November drill the second half's fire drill) */
    int got[18];
    size_t drills;
    requirements("hotel", 0, 0, 2026, ids, got, 18, &drills);
    assert_int_equal(drills, 5);
    /* a flood-prone school drills once before the flood season for both flood rules */
    requirements("school", 1, 0, 2026, ids, got, 18, &drills);
    assert_int_equal(got[14], 1);
    assert_int_equal(got[15], 1);
    assert_int_equal(drills, 13);
    /* a residential high-rise: 7 requirements; its comprehensive fire drill is also the residents'
     * evacuation drill (art. 41) and the yearly fire drill of MPS 61 art. 40 */
    requirements("high-rise-residential", 0, 0, 2026, ids, got, 18, &drills);
    assert_int_equal(drills, 5);
    /* over 100 m: the half-yearly comprehensive drills meet the yearly one */
    requirements("high-rise-public-100m", 0, 0, 2026, ids, got, 18, &drills);
    assert_int_equal(got[6], 1);
    assert_int_equal(got[7], 2);
    /* the per-unit flag overrides the class: a hospital taken out drills yearly (fire-other) */
    requirements("hospital", 0, -1, 2026, ids, got, 18, &drills);
    assert_int_equal(got[4], 0);
    assert_int_equal(got[5], 1);
    assert_int_equal(got[17], 0);
    requirements("enterprise", 0, 1, 2026, ids, got, 18, &drills);
    assert_int_equal(got[4], 2);
    assert_int_equal(got[5], 0);
}

/* the seed: "organize Party and government organs and the general public to conduct emergency drills for
 * Work Safety Month, National Disaster Reduction Day, International Disaster Reduction Day and before
 * the main flood season": each campaign has a rule for organs and one for the public */
static void test_seed_campaigns_reach_organs_and_public(void **state)
{
    (void)state;
    drill_units *units;
    drill_rules *rules;
    assert_int_equal(drill_units_new(&units), 0);
    assert_int_equal(drill_rules_new_presets(&rules), 0);
    static const char *const classes[] = { "government", "township", "community", "school" };
    for (size_t i = 0; i < 4; i++) {
        drill_unit u = DRILL_UNIT_INIT;
        u.id = classes[i];
        u.name = classes[i];
        u.area = "大连市/中山区";
        u.unit_class = classes[i];
        assert_int_equal(drill_units_add(units, &u), 0);
    }
    static const char *const campaigns[] = { "work-safety-month", "disaster-reduction-week", "iddrr",
                                             "pre-flood-season" };
    for (size_t c = 0; c < 4; c++)
        for (size_t u = 0; u < 4; u++) {
            int found = 0;
            for (size_t r = 0; r < drill_rules_count(rules); r++) {
                drill_rule rule = DRILL_RULE_INIT;
                int applies;
                assert_int_equal(drill_rules_get(&rule, rules, r), 0);
                assert_int_equal(drill_rules_applies(&applies, rules, r, units, u), 0);
                found |= applies && rule.campaign && strcmp(rule.campaign, campaigns[c]) == 0;
            }
            if (!found)
                fail_msg("no %s drill for a %s", campaigns[c], classes[u]);
        }
    drill_rules_free(rules);
    drill_units_free(units);
}

/* the MOE guide asks boarding and special schools for more drills without a number: an agency adds
 * its own rule, here a night-time evacuation drill each quarter in term for boarding schools */
static void test_agency_rule_for_boarding_schools(void **state)
{
    (void)state;
    static const char *ids[] = { "moe-school-monthly", "boarding-night" };
    world w = { 0 };
    world_generate(&w, 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "boarding-night";
    r.name = "寄宿制学校夜间疏散演练";
    r.source = "本局要求 (the agency's own)";
    r.classes = "boarding-school";
    r.scenario = "night-evacuation";
    r.frequency = DRILL_FREQ_QUARTERLY;
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "B1";
    u.name = "寄宿学校";
    u.area = "大连市/中山区";
    u.unit_class = "boarding-school";
    assert_int_equal(drill_units_add(w.units, &u), 0);
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2026;
    assert_int_equal(drill_plan_new(&w.plan, w.units, w.rules, w.campaigns, w.cal, &o), 0);
    drill_table *t;
    assert_int_equal(drill_report_coverage(&t, w.plan, DRILL_BY_RULE, D(2026, 1, 1)), 0);
    int found[2] = { 0, 0 };
    for (size_t row = 0; row + 1 < drill_table_rows(t); row++) {
        const char *g, *n;
        drill_table_cell(&g, t, row, 0);
        drill_table_cell(&n, t, row, 1);
        for (int k = 0; k < 2; k++)
            if (strcmp(g, ids[k]) == 0)
                found[k] = atoi(n);
    }
    assert_int_equal(found[0], 11); /* monthly in term */
    assert_int_equal(found[1], 4);  /* and the agency's four, not merged into them (another scenario) */
    drill_table_free(t);
    world_free(&w);
}

/* a version 1 rule carries no satisfied_by: it is met by its own drills only */
static void test_version1_rule(void **state)
{
    (void)state;
    drill_rules *rules;
    assert_int_equal(drill_rules_new(&rules), 0);
    drill_rule r = DRILL_RULE_INIT;
    r.version = 1;
    r.id = "old";
    r.name = "old";
    r.satisfied_by_kinds = 0xFFFF; /* past a version 1 struct: never read */
    r.satisfied_by_scenarios = "not read";
    assert_int_equal(drill_rules_add(rules, &r), 0);
    drill_rule g = DRILL_RULE_INIT;
    assert_int_equal(drill_rules_get(&g, rules, 0), 0);
    assert_int_equal(g.version, DRILL_RULE_VERSION);
    assert_int_equal(g.satisfied_by_kinds, 0);
    assert_null(g.satisfied_by_scenarios);
    drill_rules_free(rules);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presets_per_class),
        cmocka_unit_test(test_seed_campaigns_reach_organs_and_public),
        cmocka_unit_test(test_version1_rule),
        cmocka_unit_test(test_agency_rule_for_boarding_schools),
        cmocka_unit_test(test_presets),   cmocka_unit_test(test_applies), cmocka_unit_test(test_add_update_remove),
        cmocka_unit_test(test_bad_rules), cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("rule", tests, NULL, NULL);
}
