/* The store: save and load everything, write-through tracking, schema
 * versions and migrations, corrupt and foreign files. */
#include <sqlite3.h>
#include <unistd.h>
#include "testutil.h"

static void make_world(world *w)
{
    assert_int_equal(drill_units_new(&w->units), 0);
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = 300;
    g.blackout_year = 2026;
    assert_int_equal(drill_units_generate(w->units, &g), 0);
    drill_class_def c = DRILL_CLASS_DEF_INIT;
    c.id = "port";
    c.name = "港口";
    c.flags = DRILL_CLASS_PRODUCTION | DRILL_CLASS_HIGH_RISK;
    c.scenario = "typhoon";
    assert_int_equal(drill_units_add_class(w->units, &c), 0);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "PORT1";
    u.name = "大连港 \"一号\", 码头";
    u.area = "大连市/甘井子区/大连湾街道";
    u.unit_class = "port";
    u.risk = DRILL_RISK_MAJOR;
    u.key_fire = 1;
    assert_int_equal(drill_units_add(w->units, &u), 0);
    assert_int_equal(drill_rules_new_presets(&w->rules), 0);
    drill_rule r = DRILL_RULE_INIT;
    r.id = "typhoon-roll";
    r.name = "防台风";
    r.classes = "port";
    r.scenario = "typhoon";
    r.frequency = DRILL_FREQ_ROLLING;
    r.due_from = DRILL_DUE_FROM_HELD;
    assert_int_equal(drill_rules_add(w->rules, &r), 0);
    assert_int_equal(drill_campaigns_new_builtin(&w->campaigns, NULL), 0);
    assert_int_equal(drill_campaigns_set_year(w->campaigns, "disaster-reduction-week", D(2026, 5, 9), D(2026, 5, 15)), 0);
    assert_int_equal(drill_calendar_new_china(&w->cal), 0);
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2026;
    assert_int_equal(drill_plan_new(&w->plan, w->units, w->rules, w->campaigns, w->cal, &o), 0);
    assert_int_equal(drill_plan_set_last(w->plan, "PORT1", "typhoon-roll", D(2025, 10, 1), 1), 0);
    assert_int_equal(drill_plan_close_day(w->plan, "大连市/中山区", D(2026, 3, 3)), 0);
    assert_int_equal(drill_plan_set_capacity(w->plan, "大连市/金州区", 7), 0);
    assert_int_equal(drill_plan_refresh(w->plan), 0);
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.spacing_days = 5;
    assert_int_equal(drill_plan_schedule(NULL, w->plan, &so), 0);
}

static const char *scheduled_id(const world *w, size_t skip)
{
    static drill_item it;
    for (size_t i = 0; i < drill_plan_count(w->plan); i++) {
        drill_plan_get(&it, w->plan, i);
        if (it.status == DRILL_STATUS_SCHEDULED && skip-- == 0)
            return it.id;
    }
    fail_msg("not enough scheduled drills");
    return NULL;
}

static void track_some(world *w)
{
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", scheduled_id(w, 0));
    drill_item it;
    size_t k;
    drill_plan_find(&k, w->plan, id);
    drill_plan_get(&it, w->plan, k);
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = it.date;
    o.start_minute = 540;
    o.end_minute = 700;
    o.participants = 80;
    o.observers = "王伟, 李强";
    o.evacuation_seconds = 200;
    o.evacuation_target = 240;
    o.notes = "notes; with \\ and \"quotes\"";
    assert_int_equal(drill_track_hold(w->plan, id, &o, "王伟", "as planned"), 0);
    drill_action a = DRILL_ACTION_INIT;
    a.finding = "出口堵塞";
    a.action = "清理通道";
    a.owner = "物业";
    a.due = D(2026, 12, 1);
    assert_int_equal(drill_track_add_action(NULL, w->plan, id, &a, "王伟", NULL), 0);
    assert_int_equal(drill_track_evaluate(w->plan, id, 77, NULL, "专家", NULL), 0);
    snprintf(id, sizeof id, "%s", scheduled_id(w, 3));
    assert_int_equal(drill_track_cancel(w->plan, id, "调度", "停业"), 0);
}

/* every observable part of two worlds is the same */
static void assert_same(const world *a, const world *b)
{
    assert_int_equal(drill_units_count(a->units), drill_units_count(b->units));
    for (size_t i = 0; i < drill_units_count(a->units); i++) {
        drill_unit x, y;
        drill_units_get(&x, a->units, i);
        drill_units_get(&y, b->units, i);
        assert_string_equal(x.id, y.id);
        assert_string_equal(x.name, y.name);
        assert_string_equal(x.area, y.area);
        assert_string_equal(x.unit_class, y.unit_class);
        assert_string_equal(x.contact, y.contact);
        assert_int_equal(x.risk, y.risk);
        assert_int_equal(x.key_fire, y.key_fire);
        assert_int_equal(x.flood_prone, y.flood_prone);
    }
    assert_int_equal(drill_rules_count(a->rules), drill_rules_count(b->rules));
    assert_int_equal(drill_campaigns_count(a->campaigns), drill_campaigns_count(b->campaigns));
    for (size_t i = 0; i < drill_campaigns_count(a->campaigns); i++) {
        drill_campaign_window x, y;
        int rx = drill_campaigns_window_at(&x, a->campaigns, i, 2026, a->cal);
        int ry = drill_campaigns_window_at(&y, b->campaigns, i, 2026, b->cal);
        assert_int_equal(rx, ry);
        if (rx == 0) {
            assert_string_equal(x.id, y.id);
            assert_memory_equal(&x.start, &y.start, sizeof x.start);
            assert_memory_equal(&x.end, &y.end, sizeof x.end);
            assert_int_equal(x.working_days, y.working_days);
            assert_int_equal(x.origin, y.origin);
        }
    }
    for (int year = 2021; year <= 2027; year++) {
        int p, q;
        drill_calendar_is_covered(&p, a->cal, year);
        drill_calendar_is_covered(&q, b->cal, year);
        assert_int_equal(p, q);
    }
    assert_int_equal(drill_plan_count(a->plan), drill_plan_count(b->plan));
    for (size_t i = 0; i < drill_plan_count(a->plan); i++) {
        drill_item x, y;
        drill_plan_get(&x, a->plan, i);
        drill_plan_get(&y, b->plan, i);
        assert_string_equal(x.id, y.id);
        assert_int_equal(x.status, y.status);
        assert_int_equal(x.reason, y.reason);
        assert_int_equal(x.revision, y.revision);
        assert_memory_equal(&x.window_start, &y.window_start, sizeof x.window_start);
        assert_memory_equal(&x.window_end, &y.window_end, sizeof x.window_end);
        if (x.status == DRILL_STATUS_SCHEDULED || x.status >= DRILL_STATUS_HELD) {
            assert_memory_equal(&x.date, &y.date, sizeof x.date);
            assert_int_equal(x.start_minute, y.start_minute);
            assert_int_equal(x.duration_minutes, y.duration_minutes);
        }
        drill_track_info s, t;
        int rs = drill_track_get(&s, a->plan, x.id), rt = drill_track_get(&t, b->plan, y.id);
        assert_int_equal(rs, rt);
        assert_int_equal(s.status, t.status);
        assert_int_equal(s.has_outcome, t.has_outcome);
        assert_int_equal(s.actions, t.actions);
        assert_string_equal(s.cancel_reason, t.cancel_reason);
        if (s.has_outcome) {
            assert_memory_equal(&s.outcome.date, &t.outcome.date, sizeof s.outcome.date);
            assert_int_equal(s.outcome.score, t.outcome.score);
            assert_int_equal(s.outcome.evacuation_target, t.outcome.evacuation_target);
            assert_string_equal(s.outcome.observers, t.outcome.observers);
            assert_string_equal(s.outcome.notes, t.outcome.notes);
        }
        for (size_t n = 1; n <= s.actions; n++) {
            drill_action p, q;
            drill_track_action(&p, a->plan, x.id, n);
            drill_track_action(&q, b->plan, y.id, n);
            assert_string_equal(p.finding, q.finding);
            assert_string_equal(p.owner, q.owner);
            assert_int_equal(p.status, q.status);
            assert_memory_equal(&p.due, &q.due, sizeof p.due);
        }
    }
    assert_int_equal(drill_audit_count(a->plan), drill_audit_count(b->plan));
    for (size_t i = 0; i < drill_audit_count(a->plan); i++) {
        drill_audit_entry x, y;
        drill_audit_get(&x, a->plan, i);
        drill_audit_get(&y, b->plan, i);
        assert_string_equal(x.time, y.time);
        assert_string_equal(x.actor, y.actor);
        assert_string_equal(x.field, y.field);
        assert_string_equal(x.old_value, y.old_value);
        assert_string_equal(x.new_value, y.new_value);
        assert_string_equal(x.reason, y.reason);
    }
    drill_quality p, q;
    assert_int_equal(drill_plan_quality(&p, a->plan), 0);
    assert_int_equal(drill_plan_quality(&q, b->plan), 0);
    assert_int_equal(p.placed, q.placed);
    assert_int_equal(p.held, q.held);
    assert_int_equal(p.cancelled, q.cancelled);
    assert_int_equal(q.violations, 0);
}

static char *temp_path(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/drill-store-%d-XXXXXX", (int)getpid());
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    close(fd);
    remove(buf); /* the store creates it */
    return buf;
}

static void remove_store(const char *path)
{
    char p[600];
    remove(path);
    snprintf(p, sizeof p, "%s-wal", path);
    remove(p);
    snprintf(p, sizeof p, "%s-shm", path);
    remove(p);
}

static void test_save_and_load(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b;
    make_world(&a);
    track_some(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    int version = 0, ok = 0;
    assert_int_equal(drill_store_schema_version(&version, s), 0);
    assert_int_equal(version, 3);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    assert_int_equal(drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, s, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    assert_fails_with(drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, s, 2025), DRILL_ENOTFOUND,
                      "2025");
    assert_int_equal(drill_store_check(&ok, s), 0);
    assert_int_equal(ok, 1);
    drill_store_close(s);
    /* read-only, in another handle */
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    assert_int_equal(drill_store_open(&s, path, &ro), 0);
    assert_int_equal(drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, s, 2026), 0);
    assert_same(&a, &b);
    assert_fails_with(drill_store_save(s, b.plan), DRILL_ESTATE, "read-only");
    world_free(&b);
    drill_store_close(s);
    world_free(&a);
    remove_store(path);
}

static void test_write_through(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b;
    make_world(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    track_some(&a); /* every change written as it happens, no save */
    drill_store *r;
    assert_int_equal(drill_store_open(&r, path, NULL), 0);
    assert_int_equal(drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, r, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    drill_store_close(r);
    /* a change the store cannot write fails and changes nothing */
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", scheduled_id(&a, 5));
    size_t audit = drill_audit_count(a.plan);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN "
                                      "SELECT RAISE(ABORT, 'audit is full'); END;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_fails_with(drill_track_cancel(a.plan, id, "x", "disk full"), DRILL_EIO, "audit is full");
    drill_track_info info;
    assert_int_equal(drill_track_get(&info, a.plan, id), 0);
    assert_int_equal(info.status, DRILL_STATUS_SCHEDULED);
    assert_int_equal(drill_audit_count(a.plan), audit);
    drill_store_detach(s);
    assert_int_equal(drill_track_cancel(a.plan, id, "x", "offline now"), 0); /* detached: memory only */
    drill_store_close(s);
    world_free(&a);
    remove_store(path);
}

static void test_versions_and_damage(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    drill_store *s = NULL;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    drill_store_close(s);
    /* an older store is migrated forward when opened */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* back to what version 1 was */
    assert_int_equal(sqlite3_exec(db, "DROP INDEX drills_year; DROP INDEX tracks_year; DROP INDEX audit_drill;"
                                      "ALTER TABLE drills DROP COLUMN revision; ALTER TABLE plans DROP COLUMN created;"
                                      "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    assert_fails_with(drill_store_open(&s, path, &ro), DRILL_EVERSION, "writable");
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    int version = 0;
    drill_store_schema_version(&version, s);
    assert_int_equal(version, 3);
    drill_store_close(s);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_drill'", -1, &st, NULL);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    /* a store from a newer libdrill */
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_fails_with(drill_store_open(&s, path, NULL), DRILL_EVERSION, "newer libdrill");
    remove_store(path);
    /* some other SQLite database */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_fails_with(drill_store_open(&s, path, NULL), DRILL_ECORRUPT, "not a libdrill store");
    remove_store(path);
    /* not a database at all */
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 400; i++)
        fputs("this is not a database, just text. ", f);
    fclose(f);
    assert_fails_with(drill_store_open(&s, path, NULL), DRILL_ECORRUPT, "not a sound libdrill store");
    remove_store(path);
    /* a store whose pages were damaged */
    world a;
    make_world(&a);
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    drill_store_close(s);
    world_free(&a);
    f = fopen(path, "r+b");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    for (long off = 4096; off < size; off += 8192) { /* scribble over every other page after the first */
        fseek(f, off + 100, SEEK_SET);
        fputs("garbage garbage garbage garbage garbage garbage garbage", f);
    }
    fclose(f);
    world b = { 0 };
    int rc = drill_store_open(&s, path, NULL);
    if (rc == 0) {
        int ok = 1;
        int crc = drill_store_check(&ok, s);
        int lrc = drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, s, 2026);
        assert_true(crc != 0 || !ok);
        assert_true(lrc != 0 || !ok); /* never a crash; damage is reported */
        world_free(&b);
        drill_store_close(s);
    } else {
        assert_int_equal(rc, DRILL_ECORRUPT);
    }
    remove_store(path);
    assert_fails_with(drill_store_open(&s, "/nonexistent/dir/x.db", NULL), DRILL_EIO, "nonexistent");
    assert_fails_with(drill_store_open(NULL, path, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_save(NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_load(NULL, NULL, NULL, NULL, NULL, NULL, 2026), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_attach(NULL, NULL), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_check(NULL, NULL), DRILL_EINVAL, "NULL");
    drill_store_close(NULL);
    drill_store_detach(NULL);
}

static void test_review_cases(void **state)
{
    (void)state;
    char path[256], path2[256];
    temp_path(path, sizeof path);
    temp_path(path2, sizeof path2);
    world a, b;
    make_world(&a);
    /* a plan freed while attached, then the store closed: no dangling plan */
    drill_store *s, *s2;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    drill_plan_free(a.plan);
    a.plan = NULL;
    drill_store_close(s);
    world_free(&a);
    /* attached to one store, then another: changes go to the second */
    make_world(&a);
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_open(&s2, path2, NULL), 0);
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    assert_int_equal(drill_store_attach(s2, a.plan), 0);
    drill_store_close(s);
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", scheduled_id(&a, 2));
    assert_int_equal(drill_track_cancel(a.plan, id, "x", "moved"), 0);
    assert_int_equal(drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, s2, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    /* a unit added after attaching: its drills are not in the store yet, so tracking one says so */
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "LATE1";
    u.name = "新单位";
    u.area = "大连市/中山区/桃源街道";
    u.unit_class = "hotel";
    assert_int_equal(drill_units_add(a.units, &u), 0);
    assert_int_equal(drill_plan_refresh(a.plan), 0);
    assert_int_equal(drill_plan_schedule(NULL, a.plan, NULL), 0);
    drill_item it;
    size_t k;
    assert_int_equal(drill_plan_find(&k, a.plan, "LATE1/art33-annual/2026"), 0);
    drill_plan_get(&it, a.plan, k);
    size_t audit = drill_audit_count(a.plan);
    assert_fails_with(drill_track_cancel(a.plan, it.id, "x", "r"), DRILL_ESTATE, "save the plan first");
    assert_int_equal(drill_audit_count(a.plan), audit);
    drill_plan_get(&it, a.plan, k);
    assert_int_equal(it.status, DRILL_STATUS_SCHEDULED);
    assert_int_equal(drill_store_save(s2, a.plan), 0);
    assert_int_equal(drill_track_cancel(a.plan, it.id, "x", "r"), 0);
    /* two years in one store keep their own registries */
    world c;
    memset(&c, 0, sizeof c);
    assert_int_equal(drill_units_new(&c.units), 0);
    drill_unit v = DRILL_UNIT_INIT;
    v.id = "ONLY2027";
    v.name = "x";
    v.area = "大连市/西岗区";
    v.unit_class = "school";
    assert_int_equal(drill_units_add(c.units, &v), 0);
    assert_int_equal(drill_rules_new_presets(&c.rules), 0);
    assert_int_equal(drill_campaigns_new_builtin(&c.campaigns, NULL), 0);
    assert_int_equal(drill_calendar_new_china(&c.cal), 0);
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2025;
    assert_int_equal(drill_plan_new(&c.plan, c.units, c.rules, c.campaigns, c.cal, &o), 0);
    assert_int_equal(drill_store_save(s2, c.plan), 0);
    assert_int_equal(drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, s2, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    assert_int_equal(drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, s2, 2025), 0);
    assert_int_equal(drill_units_count(b.units), 1);
    world_free(&b);
    world_free(&c);
    drill_store_close(s2);
    world_free(&a);
    /* rows without keys, or out of range, are damage, not crashes */
    static const char *const bad[] = {
        "INSERT INTO tracks(drill_id, year, status, has_outcome) VALUES(NULL, 2026, 0, 0)",
        "UPDATE tracks SET has_outcome = 1, date = '2026-03-03', score = 1000",
        "INSERT INTO classes VALUES(2026, NULL, 'n', NULL, 0, 'fire')",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path2, &db), SQLITE_OK);
        int rc = sqlite3_exec(db, bad[i], NULL, NULL, NULL);
        sqlite3_close(db);
        if (rc != SQLITE_OK)
            continue; /* the schema refused it: fine too */
        assert_int_equal(drill_store_open(&s2, path2, NULL), 0);
        drill_error_clear();
        int lrc = drill_store_load(&b.plan, &b.units, &b.rules, &b.campaigns, &b.cal, s2, 2026);
        if (i == 1)
            assert_int_equal(lrc, DRILL_ECORRUPT);
        else
            assert_true(lrc == 0 || lrc == DRILL_ECORRUPT);
        if (lrc == 0)
            world_free(&b);
        drill_store_close(s2);
    }
    remove_store(path);
    remove_store(path2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_and_load),
        cmocka_unit_test(test_write_through),
        cmocka_unit_test(test_versions_and_damage),
        cmocka_unit_test(test_review_cases),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
