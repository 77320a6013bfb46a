/* The ABI of the versioned structs: drill_*_init() fills the INIT defaults
 * for a version it knows and refuses others; every function taking a
 * versioned struct refuses version 0 and versions newer than the library,
 * and reads no byte past the caller's version (checked under valgrind and
 * ASan: the structs below are allocated at exactly that size). The structs
 * the library fills: every getter writes its caller's version's bytes and no
 * more (guard bytes), and refuses version 0 and newer versions writing
 * nothing. */
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

    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    memset(&so, 0xA5, sizeof so);
    assert_int_equal(drill_schedule_options_init(&so, DRILL_SCHEDULE_OPTIONS_VERSION), 0);
    assert_int_equal(so.capacity, 0);
    assert_int_equal(so.observer_min_risk, DRILL_RISK_UNSET);
    assert_int_equal(so.start_minute[3], 0);

    drill_filter f;
    memset(&f, 0xA5, sizeof f);
    assert_int_equal(drill_filter_init(&f, DRILL_FILTER_VERSION), 0);
    assert_null(f.unit_id);

    drill_outcome o = DRILL_OUTCOME_INIT;
    assert_int_equal(drill_outcome_init(&o, DRILL_OUTCOME_VERSION), 0);
    assert_int_equal(o.kind, DRILL_KIND_SPECIAL);

    drill_unit u = DRILL_UNIT_INIT;
    assert_int_equal(drill_unit_init(&u, DRILL_UNIT_VERSION), 0);
    assert_null(u.id);
    assert_int_equal(u.risk, DRILL_RISK_UNSET);

    /* a version the library does not know */
    assert_fails_with(drill_plan_options_init(&po, 0), DRILL_EVERSION, "drill_plan_options version 0");
    assert_fails_with(drill_feed_options_init(NULL, 1), DRILL_EINVAL, "out");
    drill_store_options st;
    assert_fails_with(drill_store_options_init(&st, DRILL_STORE_OPTIONS_VERSION + 1), DRILL_EVERSION, "version");
    drill_rule r = DRILL_RULE_INIT;
    assert_fails_with(drill_rule_init(&r, DRILL_RULE_VERSION + 1), DRILL_EVERSION, "version");
    drill_action a = DRILL_ACTION_INIT;
    assert_int_equal(drill_action_init(&a, DRILL_ACTION_VERSION), 0);
    drill_class_def cd = DRILL_CLASS_DEF_INIT;
    assert_int_equal(drill_class_def_init(&cd, DRILL_CLASS_DEF_VERSION), 0);
    drill_campaign_def cpd = DRILL_CAMPAIGN_DEF_INIT;
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
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    assert_int_equal(drill_schedule_options_init(&so, DRILL_SCHEDULE_OPTIONS_VERSION), 0);
    so.capacity = 3;
    drill_schedule_options *sp = exact(&so, sizeof so);
    assert_int_equal(drill_plan_schedule(NULL, plan, sp), 0);
    drill_schedule_options back = DRILL_SCHEDULE_OPTIONS_INIT;
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

/* ---- structs the library fills ---- */

/* what the getters below read from */
typedef struct {
    world w;
    char drill_id[DRILL_ID_MAX]; /* a drill held, with an action */
    drill_import_report *report; /* an import with one error */
    char dir[64];                /* a folder for the feeds */
    char feed[96];               /* a feed of the plan in it */
    drill_feed_reader *reader;
} getters;

typedef int (*fill_fn)(void *out, getters *g);

static int get_day_info(void *out, getters *g) { return drill_calendar_day_info(out, g->w.cal, D(2026, 10, 1)); }
static int get_load_stats(void *out, getters *g)
{
    static const char csv[] = "date,kind,name\n2030-01-01,holiday,元旦\n";
    return drill_calendar_load_csv_buffer(out, g->w.cal, csv, strlen(csv), "x.csv");
}
static int get_window(void *out, getters *g)
{
    return drill_campaigns_window(out, g->w.campaigns, "work-safety-month", 2026, g->w.cal);
}
static int get_window_at(void *out, getters *g) { return drill_campaigns_window_at(out, g->w.campaigns, 0, 2026, NULL); }
static int get_campaign_def(void *out, getters *g) { return drill_campaigns_get(out, NULL, g->w.campaigns, 0); }
static int get_set_stats(void *out, getters *g)
{
    return drill_feed_write_set(out, g->w.plan, g->dir, DRILL_SPLIT_DISTRICT, NULL);
}
static int get_feed_event(void *out, getters *g)
{
    int rc = drill_feed_reader_next(out, g->reader);
    return rc == 1 ? 0 : rc < 0 ? rc : -100;
}
static int get_item(void *out, getters *g) { return drill_plan_get(out, g->w.plan, 0); }
static int get_schedule(void *out, getters *g) { return drill_plan_schedule(out, g->w.plan, NULL); }
static int get_quality(void *out, getters *g) { return drill_plan_quality(out, g->w.plan); }
static int get_district_quality(void *out, getters *g) { return drill_plan_district_quality(out, g->w.plan, 0); }
static int get_track_info(void *out, getters *g) { return drill_track_get(out, g->w.plan, g->drill_id); }
static int get_outcome(void *out, getters *g) { return drill_track_outcome(out, g->w.plan, g->drill_id); }
static int get_action(void *out, getters *g) { return drill_track_action(out, g->w.plan, g->drill_id, 1); }
static int get_audit(void *out, getters *g) { return drill_audit_get(out, g->w.plan, 0); }
static int get_import_error(void *out, getters *g) { return drill_import_report_get(out, g->report, 0); }
static int get_break(void *out, getters *g) { return drill_units_break_at(out, g->w.units, 0); }
static int get_unit(void *out, getters *g) { return drill_units_get(out, g->w.units, 0); }
static int get_class(void *out, getters *g) { return drill_units_class_at(out, g->w.units, 0); }
static int get_rule(void *out, getters *g) { return drill_rules_get(out, g->w.rules, 0); }
static int get_schedule_options(void *out, getters *g) { return drill_plan_schedule_options(out, g->w.plan); }

#define GUARD 64

/* a heap buffer of the struct's size and GUARD bytes more, all 0xA5 but the version */
static unsigned char *guarded(size_t size, unsigned int version)
{
    unsigned char *b = malloc(size + GUARD);
    assert_non_null(b);
    memset(b, 0xA5, size + GUARD);
    memcpy(b, &version, sizeof version);
    return b;
}

static void assert_guarded(const char *name, const unsigned char *b, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (b[i] != 0xA5)
            fail_msg("%s: byte %zu (past %zu) was written", name, i, from);
}

/* one getter: its version is filled and nothing past the struct; version
 * 0 and a newer one are refused and write nothing; with older_size, version
 * 1 of a struct that has grown since gets exactly its first older_size bytes */
static void check_getter(const char *name, fill_fn fn, getters *g, size_t size, unsigned int version,
                         size_t older_size)
{
    unsigned char *b = guarded(size, version);
    if (fn(b, g) != 0)
        fail_msg("%s: %s", name, drill_error_last()->message);
    unsigned int v;
    memcpy(&v, b, sizeof v);
    assert_int_equal(v, version);
    int written = 0;
    for (size_t i = sizeof v; i < size; i++)
        written |= b[i] != 0xA5;
    if (!written)
        fail_msg("%s: nothing was filled", name);
    assert_guarded(name, b, size, size + GUARD);
    free(b);

    unsigned int bad[] = { 0, version + 1, 1000 };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        b = guarded(size, bad[k]);
        drill_error_clear();
        int rc = fn(b, g);
        if (rc != DRILL_EVERSION)
            fail_msg("%s version %u: %d, not DRILL_EVERSION", name, bad[k], rc);
        const char *msg = drill_error_last()->message;
        if (!strstr(msg, name) || !strstr(msg, bad[k] ? "newer than this libdrill" : "was not set up"))
            fail_msg("%s version %u: message '%s'", name, bad[k], msg);
        assert_guarded(name, b, sizeof(unsigned int), size + GUARD);
        free(b);
    }

    if (older_size) { /* a program built when the struct was version 1 gives that much room */
        b = guarded(size, 1);
        if (fn(b, g) != 0)
            fail_msg("%s version 1: %s", name, drill_error_last()->message);
        assert_guarded(name, b, older_size, size + GUARD);
        free(b);
    }
}

static int setup_getters(void **state)
{
    getters *g = calloc(1, sizeof *g);
    assert_non_null(g);
    world *w = &g->w;
    assert_int_equal(drill_units_new(&w->units), 0);
    assert_int_equal(drill_rules_new_presets(&w->rules), 0);
    assert_int_equal(drill_campaigns_new_builtin(&w->campaigns, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&w->cal), 0);
    drill_generate_options go = DRILL_GENERATE_OPTIONS_INIT;
    go.count = 60;
    assert_int_equal(drill_units_generate(w->units, &go), 0);
    assert_int_equal(drill_units_add_break(w->units, "school", D(2026, 1, 23), D(2026, 2, 28), "寒假"), 0);
    world_plan(w);
    /* a drill held, with an action */
    drill_item it = DRILL_ITEM_INIT;
    size_t i = 0;
    for (; i < drill_plan_count(w->plan); i++)
        if (drill_plan_get(&it, w->plan, i) == 0 && it.status == DRILL_STATUS_SCHEDULED)
            break;
    assert_true(i < drill_plan_count(w->plan));
    strcpy(g->drill_id, it.id);
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = it.date;
    o.start_minute = 9 * 60;
    o.end_minute = 10 * 60;
    o.participants = 10;
    assert_int_equal(drill_track_hold(w->plan, g->drill_id, &o, "a", NULL), 0);
    drill_action a = DRILL_ACTION_INIT;
    a.finding = "f";
    a.action = "do";
    a.owner = "o";
    a.due = D(2026, 12, 1);
    assert_int_equal(drill_track_add_action(NULL, w->plan, g->drill_id, &a, "a", NULL), 0);
    static const char bad_csv[] = "id,name,area,class\nX1,x,大连市/中山区,no-such-class\nX2,y,大连市/中山区,school\n";
    drill_import_options io = DRILL_IMPORT_OPTIONS_INIT;
    io.skip_bad_rows = 1;
    drill_error_clear();
    assert_int_equal(drill_units_import_csv_buffer(&g->report, NULL, w->units, bad_csv, strlen(bad_csv), "u.csv", &io),
                     0);
    assert_true(drill_import_report_count(g->report) > 0);
    strcpy(g->dir, "/tmp/test_abi.XXXXXX");
    assert_non_null(mkdtemp(g->dir));
    snprintf(g->feed, sizeof g->feed, "%s/plan.ics", g->dir);
    assert_int_equal(drill_feed_write_file(NULL, w->plan, g->feed, NULL), 0);
    assert_int_equal(drill_feed_reader_open(&g->reader, g->feed), 0);
    *state = g;
    return 0;
}

static int teardown_getters(void **state)
{
    getters *g = *state;
    drill_feed_reader_free(g->reader);
    drill_import_report_free(g->report);
    world_free(&g->w);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g->dir);
    if (system(cmd) != 0)
        return -1;
    free(g);
    return 0;
}

static void test_output_structs(void **state)
{
    getters *g = *state;
    check_getter("drill_day_info", get_day_info, g, sizeof(drill_day_info), DRILL_DAY_INFO_VERSION, 0);
    check_getter("drill_calendar_load_stats", get_load_stats, g, sizeof(drill_calendar_load_stats),
                 DRILL_CALENDAR_LOAD_STATS_VERSION, 0);
    check_getter("drill_campaign_window", get_window, g, sizeof(drill_campaign_window), DRILL_CAMPAIGN_WINDOW_VERSION,
                 0);
    check_getter("drill_campaign_window", get_window_at, g, sizeof(drill_campaign_window),
                 DRILL_CAMPAIGN_WINDOW_VERSION, 0);
    check_getter("drill_campaign_def", get_campaign_def, g, sizeof(drill_campaign_def), DRILL_CAMPAIGN_DEF_VERSION,
                 0);
    check_getter("drill_feed_set_stats", get_set_stats, g, sizeof(drill_feed_set_stats), DRILL_FEED_SET_STATS_VERSION,
                 0);
    check_getter("drill_feed_event", get_feed_event, g, sizeof(drill_feed_event), DRILL_FEED_EVENT_VERSION, 0);
    check_getter("drill_item", get_item, g, sizeof(drill_item), DRILL_ITEM_VERSION, 0);
    check_getter("drill_quality", get_schedule, g, sizeof(drill_quality), DRILL_QUALITY_VERSION, 0);
    check_getter("drill_quality", get_quality, g, sizeof(drill_quality), DRILL_QUALITY_VERSION, 0);
    check_getter("drill_district_quality", get_district_quality, g, sizeof(drill_district_quality),
                 DRILL_DISTRICT_QUALITY_VERSION, 0);
    check_getter("drill_track_info", get_track_info, g, sizeof(drill_track_info), DRILL_TRACK_INFO_VERSION, 0);
    check_getter("drill_outcome", get_outcome, g, sizeof(drill_outcome), DRILL_OUTCOME_VERSION, 0);
    check_getter("drill_action", get_action, g, sizeof(drill_action), DRILL_ACTION_VERSION, 0);
    check_getter("drill_audit_entry", get_audit, g, sizeof(drill_audit_entry), DRILL_AUDIT_ENTRY_VERSION, 0);
    check_getter("drill_import_error", get_import_error, g, sizeof(drill_import_error), DRILL_IMPORT_ERROR_VERSION, 0);
    check_getter("drill_break", get_break, g, sizeof(drill_break), DRILL_BREAK_VERSION, 0);
    check_getter("drill_unit", get_unit, g, sizeof(drill_unit), DRILL_UNIT_VERSION, 0);
    check_getter("drill_class_def", get_class, g, sizeof(drill_class_def), DRILL_CLASS_DEF_VERSION, 0);
    /* two structs that have grown since their version 1 */
    check_getter("drill_rule", get_rule, g, sizeof(drill_rule), DRILL_RULE_VERSION,
                 offsetof(drill_rule, satisfied_by_kinds));
    check_getter("drill_schedule_options", get_schedule_options, g, sizeof(drill_schedule_options),
                 DRILL_SCHEDULE_OPTIONS_VERSION, offsetof(drill_schedule_options, today));
}

/* what a version-1 caller gets is what a current one gets, up to its size;
 * the item's period points into the caller's own id */
static void test_output_older_version_values(void **state)
{
    getters *g = *state;
    drill_rule now = DRILL_RULE_INIT;
    assert_int_equal(drill_rules_get(&now, g->w.rules, 0), 0);
    unsigned char *b = guarded(sizeof(drill_rule), 1);
    assert_int_equal(drill_rules_get((drill_rule *)(void *)b, g->w.rules, 0), 0);
    drill_rule old;
    memcpy(&old, b, sizeof old);
    assert_int_equal(old.version, 1);
    assert_string_equal(old.id, now.id);
    assert_int_equal(old.frequency, now.frequency);
    assert_memory_equal((char *)&old + sizeof old.version, (char *)&now + sizeof now.version,
                        offsetof(drill_rule, satisfied_by_kinds) - sizeof now.version);
    free(b);

    drill_item it = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_get(&it, g->w.plan, 1), 0);
    assert_true(it.period > it.id && it.period < it.id + sizeof it.id);
    assert_ptr_equal(it.period, strrchr(it.id, '/') + 1);

    /* nothing is done for a struct it could not answer: the plan is not rescheduled, the calendar not loaded */
    drill_quality q = DRILL_QUALITY_INIT, before = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_quality(&before, g->w.plan), 0);
    q.version = DRILL_QUALITY_VERSION + 1;
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.capacity = 1;
    assert_fails_with(drill_plan_schedule(&q, g->w.plan, &so), DRILL_EVERSION, "drill_quality version 2");
    drill_schedule_options back = DRILL_SCHEDULE_OPTIONS_INIT;
    assert_int_equal(drill_plan_schedule_options(&back, g->w.plan), 0);
    assert_int_not_equal(back.capacity, 1);
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    st.version = 0;
    static const char csv[] = "date,kind,name\n2031-03-03,holiday,test day\n";
    assert_fails_with(drill_calendar_load_csv_buffer(&st, g->w.cal, csv, strlen(csv), "x.csv"), DRILL_EVERSION,
                      "drill_calendar_load_stats version 0");
    drill_day_info info = DRILL_DAY_INFO_INIT;
    assert_int_equal(drill_calendar_day_info(&info, g->w.cal, D(2031, 3, 3)), 0);
    assert_int_not_equal(info.kind, DRILL_DAY_HOLIDAY);

    /* drill_x_init() sets up a struct to fill */
    drill_item ii;
    memset(&ii, 0xA5, sizeof ii);
    assert_int_equal(drill_item_init(&ii, DRILL_ITEM_VERSION), 0);
    assert_int_equal(ii.version, DRILL_ITEM_VERSION);
    assert_null(ii.unit_id);
    assert_fails_with(drill_track_info_init(NULL, 1), DRILL_EINVAL, "out");
    drill_feed_event ev;
    assert_fails_with(drill_feed_event_init(&ev, DRILL_FEED_EVENT_VERSION + 1), DRILL_EVERSION, "drill_feed_event");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_functions),
        cmocka_unit_test(test_versions_accepted_and_refused),
        cmocka_unit_test_setup_teardown(test_output_structs, setup_getters, teardown_getters),
        cmocka_unit_test_setup_teardown(test_output_older_version_values, setup_getters, teardown_getters),
    };
    return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
