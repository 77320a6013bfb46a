/* The store: save and load everything, write-through tracking, schema
 * versions and migrations, corrupt and foreign files.
 *
 * One suite for both backends: DRILL_TEST_STORE=postgresql runs it against
 * the PostgreSQL server that tests/pg_env.sh started (DRILL_TEST_PG), each
 * test on databases of its own, and adds the server's failure tests (the
 * server stopped mid-batch, a refused connection); otherwise on SQLite
 * files. What a test does to a store behind the library's back (damage, an
 * old schema) it does through raw_exec() in the backend's dialect. */
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

#define STORE_SCHEMA 11 /* the schema this libdrill writes */
/* SQL that takes a store back from schema 10 to what schema 4 had */
#define UNDO_5_9                                                                                                     \
    "CREATE INDEX drills_year ON drills(year);"                                                                     \
    "ALTER TABLE drills DROP COLUMN win_start; ALTER TABLE drills DROP COLUMN start_minute;"                        \
    "ALTER TABLE drills DROP COLUMN duration; ALTER TABLE drills DROP COLUMN observer;"                            \
    "DROP TABLE breaks; ALTER TABLE rules DROP COLUMN satisfied_by_kinds;"                                          \
    "ALTER TABLE rules DROP COLUMN satisfied_by_scenarios;"                                                         \
    "DROP TABLE drill_counts; DROP INDEX drills_due; DROP INDEX drills_date;"                                         \
    "ALTER TABLE drills DROP COLUMN unit_id; ALTER TABLE drills DROP COLUMN rule_id;"                               \
    "ALTER TABLE drills DROP COLUMN campaign; ALTER TABLE drills DROP COLUMN district;"                             \
    "ALTER TABLE drills DROP COLUMN class; ALTER TABLE drills DROP COLUMN tier; ALTER TABLE drills DROP COLUMN win_end; ALTER TABLE drills DROP COLUMN credits;" \
    "ALTER TABLE plans DROP COLUMN counted; ALTER TABLE plans DROP COLUMN today;"                                   \
    "ALTER TABLE plans DROP COLUMN day_slots; ALTER TABLE plans DROP COLUMN slot_minutes;"                          \
    "ALTER TABLE plans DROP COLUMN avoid_after_breaks;" \
    "ALTER TABLE plans DROP COLUMN campaign_min_days; ALTER TABLE plans DROP COLUMN campaign_widen_days;" \
    "DROP INDEX IF EXISTS actions_drill; DROP INDEX history_unit; DELETE FROM meta WHERE key = 'store_id';"
/* the same on PostgreSQL */
#define UNDO_5_9_PG                                                                                                  \
    "CREATE INDEX drills_year ON drills(year);"                                                                     \
    "ALTER TABLE drills ADD FOREIGN KEY(year) REFERENCES plans(year) ON DELETE CASCADE;"                           \
    "DROP INDEX audit_seq, audit_pending; ALTER TABLE audit DROP CONSTRAINT audit_pkey, DROP COLUMN id,"             \
    " ALTER COLUMN seq SET NOT NULL, ADD PRIMARY KEY(year, seq);"                                                   \
    "ALTER TABLE drills DROP COLUMN win_start, DROP COLUMN start_minute, DROP COLUMN duration, DROP COLUMN observer;" \
    "DROP TABLE breaks; ALTER TABLE rules DROP COLUMN satisfied_by_kinds, DROP COLUMN satisfied_by_scenarios;"        \
    "DROP TABLE drill_counts; DROP INDEX drills_due, drills_date, history_unit;"                                   \
    "ALTER TABLE drills DROP COLUMN unit_id, DROP COLUMN rule_id, DROP COLUMN campaign, DROP COLUMN district,"        \
    " DROP COLUMN class, DROP COLUMN tier, DROP COLUMN win_end, DROP COLUMN credits;"                                \
    "ALTER TABLE plans DROP COLUMN counted, DROP COLUMN today, DROP COLUMN day_slots, DROP COLUMN slot_minutes,"      \
    " DROP COLUMN avoid_after_breaks, DROP COLUMN campaign_min_days, DROP COLUMN campaign_widen_days;"              \
    "DELETE FROM meta WHERE key = 'store_id';"

static int pg;                 /* 1: the suite runs on PostgreSQL */
static const char *pg_server;  /* DRILL_TEST_PG: conninfo without a dbname */

/* a connection to a database of the test server (dbname NULL: the maintenance one) */
static PGconn *pg_connect(const char *conninfo)
{
    char buf[512];
    if (!strstr(conninfo, "dbname=")) {
        snprintf(buf, sizeof buf, "%s dbname=postgres", conninfo);
        conninfo = buf;
    }
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("cannot connect to the test server (%s): %s", conninfo, PQerrorMessage(c));
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    return c;
}

/* SQL on a store behind the library's back: the rows it changed, or -1 if
 * the database refused it */
static int raw_exec(const char *path, const char *sql_sqlite, const char *sql_pg)
{
    if (!pg) {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        int rc = sqlite3_exec(db, sql_sqlite, NULL, NULL, NULL);
        int changes = sqlite3_changes(db);
        sqlite3_close(db);
        return rc == SQLITE_OK ? changes : -1;
    }
    PGconn *c = pg_connect(path);
    PGresult *r = PQexec(c, sql_pg);
    ExecStatusType st = PQresultStatus(r);
    int changes = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? atoi(PQcmdTuples(r)) : -1;
    PQclear(r);
    PQfinish(c);
    return changes;
}

/* a number a query answers */
static long long raw_int(const char *path, const char *sql_sqlite, const char *sql_pg)
{
    long long v = -1;
    if (!pg) {
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, sql_sqlite, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return v;
    }
    PGconn *c = pg_connect(path);
    PGresult *r = PQexec(c, sql_pg);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        fail_msg("%s: %s", sql_pg, PQerrorMessage(c));
    v = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return v;
}

/* the database name of a test store's conninfo */
static const char *pg_dbname(const char *path)
{
    const char *d = strstr(path, "dbname=");
    assert_non_null(d);
    return d + 7;
}

static void pg_admin(const char *fmt, const char *a, const char *b)
{
    char sql[256];
    snprintf(sql, sizeof sql, fmt, a, b);
    PGconn *c = pg_connect(pg_server);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* drill_store_load() of a year into all of a world */
static int load_world(world *w, drill_store *s, int year)
{
    return drill_store_load(&w->plan, &w->units, &w->rules, &w->campaigns, &w->cal, s, year);
}

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
    static drill_item it = DRILL_ITEM_INIT;
    for (size_t i = 0; i < drill_plan_count(w->plan); i++) {
        drill_plan_get(&it, w->plan, i);
        if (it.status == DRILL_STATUS_SCHEDULED && skip-- == 0)
            return it.id;
    }
    fail_msg("not enough scheduled drills");
    return NULL;
}

/* the rules as a store before schema 5 kept them: without satisfied_by (a
 * version 1 rule), so that a migrated store can give the same plan back */
static void as_before_schema5(world *w)
{
    for (size_t i = 0; i < drill_rules_count(w->rules); i++) {
        drill_rule r = DRILL_RULE_INIT;
        assert_int_equal(drill_rules_get(&r, w->rules, i), 0);
        r.version = 1;
        assert_int_equal(drill_rules_update(w->rules, &r), 0);
    }
    assert_int_equal(drill_plan_refresh(w->plan), 0);
    assert_int_equal(drill_plan_schedule(NULL, w->plan, NULL), 0);
}

static void track_some(world *w)
{
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", scheduled_id(w, 0));
    drill_item it = DRILL_ITEM_INIT;
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

/* the registries of two worlds are the same */
static void assert_same_registries(const world *a, const world *b)
{
    assert_int_equal(drill_units_count(a->units), drill_units_count(b->units));
    for (size_t i = 0; i < drill_units_count(a->units); i++) {
        drill_unit x = DRILL_UNIT_INIT, y = DRILL_UNIT_INIT;
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
        for (int day = 1; day <= 365; day += 3) { /* the blackouts of 2026 */
            drill_date d;
            int p, q;
            drill_date_add_days(&d, D(2026, 1, 1), day - 1);
            assert_int_equal(drill_units_is_blacked_out(&p, a->units, i, d), 0);
            assert_int_equal(drill_units_is_blacked_out(&q, b->units, i, d), 0);
            assert_int_equal(p, q);
        }
    }
    assert_int_equal(drill_units_class_count(a->units), drill_units_class_count(b->units));
    assert_int_equal(drill_rules_count(a->rules), drill_rules_count(b->rules));
    for (size_t i = 0; i < drill_rules_count(a->rules); i++) {
        drill_rule x = DRILL_RULE_INIT, y = DRILL_RULE_INIT;
        drill_rules_get(&x, a->rules, i);
        drill_rules_get(&y, b->rules, i);
        assert_string_equal(x.id, y.id);
        assert_string_equal(x.name, y.name);
        assert_int_equal(x.frequency, y.frequency);
        assert_int_equal(x.due_from, y.due_from);
        assert_int_equal(x.class_flags, y.class_flags);
    }
    assert_int_equal(drill_campaigns_count(a->campaigns), drill_campaigns_count(b->campaigns));
    for (size_t i = 0; i < drill_campaigns_count(a->campaigns); i++) {
        drill_campaign_window x = DRILL_CAMPAIGN_WINDOW_INIT, y = DRILL_CAMPAIGN_WINDOW_INIT;
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
}

/* every observable part of two worlds is the same */
static void assert_same(const world *a, const world *b)
{
    assert_same_registries(a, b);
    assert_int_equal(drill_plan_count(a->plan), drill_plan_count(b->plan));
    for (size_t i = 0; i < drill_plan_count(a->plan); i++) {
        drill_item x = DRILL_ITEM_INIT, y = DRILL_ITEM_INIT;
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
        drill_track_info s = DRILL_TRACK_INFO_INIT, t = DRILL_TRACK_INFO_INIT;
        int rs = drill_track_get(&s, a->plan, x.id), rt = drill_track_get(&t, b->plan, y.id);
        assert_int_equal(rs, rt);
        assert_int_equal(s.status, t.status);
        assert_int_equal(s.has_outcome, t.has_outcome);
        assert_int_equal(s.actions, t.actions);
        assert_string_equal(s.cancel_reason, t.cancel_reason);
        if (s.has_outcome) {
            drill_outcome so = DRILL_OUTCOME_INIT, to = DRILL_OUTCOME_INIT;
            assert_int_equal(drill_track_outcome(&so, a->plan, x.id), 0);
            assert_int_equal(drill_track_outcome(&to, b->plan, y.id), 0);
            assert_memory_equal(&so.date, &to.date, sizeof so.date);
            assert_int_equal(so.score, to.score);
            assert_int_equal(so.evacuation_target, to.evacuation_target);
            assert_string_equal(so.observers, to.observers);
            assert_string_equal(so.notes, to.notes);
        }
        for (size_t n = 1; n <= s.actions; n++) {
            drill_action p = DRILL_ACTION_INIT, q = DRILL_ACTION_INIT;
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
        drill_audit_entry x = DRILL_AUDIT_ENTRY_INIT, y = DRILL_AUDIT_ENTRY_INIT;
        drill_audit_get(&x, a->plan, i);
        drill_audit_get(&y, b->plan, i);
        assert_string_equal(x.time, y.time);
        assert_string_equal(x.actor, y.actor);
        assert_string_equal(x.field, y.field);
        assert_string_equal(x.old_value, y.old_value);
        assert_string_equal(x.new_value, y.new_value);
        assert_string_equal(x.reason, y.reason);
    }
    drill_quality p = DRILL_QUALITY_INIT, q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_quality(&p, a->plan), 0);
    assert_int_equal(drill_plan_quality(&q, b->plan), 0);
    assert_int_equal(p.placed, q.placed);
    assert_int_equal(p.held, q.held);
    assert_int_equal(p.cancelled, q.cancelled);
    assert_int_equal(q.violations, 0);
}

/* a new, empty store: a file name, or an empty database on the test server */
static char *temp_path(char *buf, size_t n)
{
    if (pg) {
        static int count;
        char name[64];
        snprintf(name, sizeof name, "drill_test_%d_%d", (int)getpid(), ++count);
        pg_admin("CREATE DATABASE %s%s", name, "");
        snprintf(buf, n, "%s dbname=%s", pg_server, name);
        return buf;
    }
    snprintf(buf, n, "/tmp/drill-store-%d-XXXXXX", (int)getpid());
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    close(fd);
    remove(buf); /* the store creates it */
    return buf;
}

/* the store gone; on the server an empty database is left in its place,
 * so that the name can be used again */
static void remove_store(const char *path)
{
    if (pg) {
        pg_admin("DROP DATABASE IF EXISTS %s%s WITH (FORCE)", pg_dbname(path), "");
        pg_admin("CREATE DATABASE %s%s", pg_dbname(path), "");
        return;
    }
    char p[600];
    remove(path);
    snprintf(p, sizeof p, "%s-wal", path);
    remove(p);
    snprintf(p, sizeof p, "%s-shm", path);
    remove(p);
}

/* A held drill whose rule goes keeps its state and its record through a
 * save and a load (the tracks table holds the state of a drill the drills
 * table no longer has), and comes back evaluated on its day when its rule
 * does. */
static void test_gone_drill_keeps_its_state(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b;
    make_world(&a);
    track_some(&a);
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT; /* the first change of track_some: held and evaluated */
    assert_int_equal(drill_audit_get(&e, a.plan, 0), 0);
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", e.drill_id);
    size_t k;
    drill_item held = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, a.plan, id), 0);
    assert_int_equal(drill_plan_get(&held, a.plan, k), 0);
    drill_rules *kept;
    drill_rule r = DRILL_RULE_INIT;
    assert_int_equal(drill_rules_new(&kept), 0);
    assert_int_equal(drill_rules_find(&k, a.rules, held.rule_id), 0);
    assert_int_equal(drill_rules_get(&r, a.rules, k), 0);
    assert_int_equal(drill_rules_add(kept, &r), 0);
    assert_int_equal(drill_rules_remove(a.rules, r.id), 0);
    assert_int_equal(drill_plan_refresh(a.plan), 0);
    assert_fails_with(drill_plan_find(&k, a.plan, id), DRILL_ENOTFOUND, id);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    assert_int_equal(load_world(&b, s, 2026), 0);
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&t, b.plan, id), 0);
    assert_int_equal(t.status, DRILL_STATUS_EVALUATED);
    assert_int_equal(t.actions, 1);
    assert_int_equal(drill_audit_count(b.plan), drill_audit_count(a.plan));
    assert_int_equal(drill_rules_get(&r, kept, 0), 0);
    assert_int_equal(drill_rules_add(b.rules, &r), 0);
    assert_int_equal(drill_plan_refresh(b.plan), 0);
    drill_item back = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, b.plan, id), 0);
    assert_int_equal(drill_plan_get(&back, b.plan, k), 0);
    assert_int_equal(back.status, DRILL_STATUS_EVALUATED);
    assert_memory_equal(&back.date, &held.date, sizeof held.date);
    assert_int_equal(drill_track_close(b.plan, id, "王伟", NULL), DRILL_ESTATE); /* its action is open */
    drill_rules_free(kept);
    drill_store_close(s);
    world_free(&b);
    world_free(&a);
    remove_store(path);
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
    assert_int_equal(version, STORE_SCHEMA);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    assert_fails_with(load_world(&b, s, 2025), DRILL_ENOTFOUND,
                      "2025");
    assert_int_equal(drill_store_check(&ok, s), 0);
    assert_int_equal(ok, 1);
    drill_store_close(s);
    /* read-only, in another handle */
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    assert_int_equal(drill_store_open(&s, path, &ro), 0);
    assert_int_equal(load_world(&b, s, 2026), 0);
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
    assert_int_equal(load_world(&b, r, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    drill_store_close(r);
    /* a change the store cannot write fails and changes nothing */
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", scheduled_id(&a, 5));
    size_t audit = drill_audit_count(a.plan);
    assert_true(raw_exec(path, "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN "
                               "SELECT RAISE(ABORT, 'audit is full'); END;",
                         "CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS"
                         " $$BEGIN RAISE EXCEPTION 'audit is full'; END$$;"
                         "CREATE TRIGGER no_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION no_audit()")
                >= 0);
    assert_fails_with(drill_track_cancel(a.plan, id, "x", "disk full"), DRILL_EIO, "audit is full");
    drill_track_info info = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&info, a.plan, id), 0);
    assert_int_equal(info.status, DRILL_STATUS_SCHEDULED);
    assert_int_equal(drill_audit_count(a.plan), audit);
    /* the first statement of a change failing (PostgreSQL sends it without
     * waiting, in a pipeline): the change fails whole, and the next one on
     * the same store goes through */
    assert_true(raw_exec(path, "DROP TRIGGER no_audit; CREATE TRIGGER no_track BEFORE INSERT ON tracks BEGIN "
                               "SELECT RAISE(ABORT, 'tracks are full'); END;",
                         "DROP TRIGGER no_audit ON audit; CREATE FUNCTION no_track() RETURNS trigger LANGUAGE"
                         " plpgsql AS $$BEGIN RAISE EXCEPTION 'tracks are full'; END$$;"
                         "CREATE TRIGGER no_track BEFORE INSERT ON tracks FOR EACH ROW EXECUTE FUNCTION no_track()")
                >= 0);
    assert_fails_with(drill_track_cancel(a.plan, id, "x", "disk full"), DRILL_EIO, "tracks are full");
    assert_int_equal(drill_track_get(&info, a.plan, id), 0);
    assert_int_equal(info.status, DRILL_STATUS_SCHEDULED);
    assert_int_equal(drill_audit_count(a.plan), audit);
    assert_true(raw_exec(path, "DROP TRIGGER no_track;", "DROP TRIGGER no_track ON tracks") >= 0);
    assert_int_equal(drill_track_cancel(a.plan, id, "x", "written now"), 0);
    assert_int_equal(drill_audit_count(a.plan), audit + 1);
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    snprintf(id, sizeof id, "%s", scheduled_id(&a, 6));
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
    /* an older store is migrated forward when opened: back to what version 1 was */
    assert_true(raw_exec(path, UNDO_5_9 "DROP INDEX drills_year; DROP INDEX tracks_year; DROP INDEX audit_drill;"
                               "DROP INDEX blackouts_unit; DROP INDEX units_class;"
                               "DROP INDEX campaign_years_campaign;"
                               "ALTER TABLE drills DROP COLUMN revision; ALTER TABLE plans DROP COLUMN created;"
                               "PRAGMA user_version = 1;",
                         UNDO_5_9_PG "DROP INDEX drills_year, tracks_year, audit_drill, plan_capacity_year,"
                         " plan_closed_year, plan_history_year, blackouts_unit, campaign_years_campaign;"
                         "ALTER TABLE drills DROP COLUMN revision; ALTER TABLE plans DROP COLUMN created;"
                         "UPDATE meta SET value = '1' WHERE key = 'schema_version'") >= 0);
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    assert_fails_with(drill_store_open(&s, path, &ro), DRILL_EVERSION, "writable");
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    int version = 0;
    drill_store_schema_version(&version, s);
    assert_int_equal(version, STORE_SCHEMA);
    drill_store_close(s);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name IN ('audit_drill', 'blackouts_unit')",
                             "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                             " AND indexname IN ('audit_drill', 'blackouts_unit')"),
                     2);
    /* a store from a newer libdrill */
    assert_true(raw_exec(path, "PRAGMA user_version = 99", "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
                >= 0);
    assert_fails_with(drill_store_open(&s, path, NULL), DRILL_EVERSION, "newer libdrill");
    remove_store(path);
    /* some other database */
    assert_int_equal(raw_exec(path, "CREATE TABLE t(x)", "CREATE TABLE t(x integer)"), 0);
    assert_fails_with(drill_store_open(&s, path, NULL), DRILL_ECORRUPT, "not a libdrill store");
    remove_store(path);
    /* a meta table of some other application */
    assert_int_equal(raw_exec(path, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); PRAGMA user_version = 4;"
                                    "INSERT INTO meta VALUES('application', 'other')",
                              "CREATE TABLE meta(key text PRIMARY KEY, value text);"
                              "INSERT INTO meta VALUES('application', 'other'), ('schema_version', '4')") > 0,
                     1);
    assert_fails_with(drill_store_open(&s, path, NULL), DRILL_ECORRUPT, "not a libdrill store");
    remove_store(path);
    if (pg) { /* files only from here */
        assert_fails_with(drill_store_open(&s, "/nonexistent/dir/x.db", NULL), DRILL_EIO, "nonexistent");
        return;
    }
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
        char detail[256];
        int crc = drill_store_check_detail(&ok, detail, sizeof detail, s);
        int lrc = load_world(&b, s, 2026);
        assert_true(crc != 0 || !ok);
        if (crc == 0) /* what is wrong, said: its first problem, on one line */
            assert_true(detail[0] && strcmp(detail, "ok") != 0 && !strchr(detail, '\n') &&
                        strncmp(detail, "***", 3) != 0);
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
    assert_int_equal(load_world(&b, s2, 2026), 0);
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
    drill_item it = DRILL_ITEM_INIT;
    size_t k;
    assert_int_equal(drill_plan_find(&k, a.plan, "LATE1/art33-onsite/2026H1"), 0);
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
    assert_int_equal(load_world(&b, s2, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    assert_int_equal(load_world(&b, s2, 2025), 0);
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
        if (raw_exec(path2, bad[i], bad[i]) < 0)
            continue; /* the schema refused it: fine too */
        assert_int_equal(drill_store_open(&s2, path2, NULL), 0);
        drill_error_clear();
        int lrc = load_world(&b, s2, 2026);
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

/* a drill of a rule in a district that is scheduled, or NULL */
static const char *scheduled_in(const drill_plan *p, const char *district, const char *not_rule, drill_item *it)
{
    for (size_t i = 0; i < drill_plan_count(p); i++) {
        drill_plan_get(it, p, i);
        if (it->status == DRILL_STATUS_SCHEDULED && strcmp(it->district, district) == 0 &&
            strcmp(it->rule_id, not_rule) != 0)
            return it->id;
    }
    return NULL;
}

/* the working registries: kept apart from the plans, replaced whole */
static void test_working_registries(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b = { 0 };
    make_world(&a);
    /* a 2027 arrangement and the weekends policy travel with the calendar */
    assert_int_equal(drill_calendar_add(a.cal, D(2027, 1, 1), DRILL_ENTRY_HOLIDAY, "元旦", "New Year", 0), 0);
    assert_int_equal(drill_calendar_set_policy(a.cal, DRILL_UNCOVERED_WEEKENDS), 0);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_fails_with(drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s), DRILL_ENOTFOUND,
                      "no working registries");
    assert_null(b.units);
    size_t n = 99;
    int years[301];
    assert_int_equal(drill_store_plan_years(years, 301, &n, s), 0);
    assert_int_equal(n, 0);
    assert_int_equal(drill_store_save_registries(s, a.units, a.rules, a.campaigns, a.cal), 0);
    assert_int_equal(drill_store_plan_years(NULL, 0, &n, s), 0);
    assert_int_equal(n, 0); /* the working registries are not a plan */
    assert_int_equal(drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s), 0);
    assert_same_registries(&a, &b);
    drill_day_info info = DRILL_DAY_INFO_INIT;
    assert_int_equal(drill_calendar_day_info(&info, b.cal, D(2027, 1, 1)), 0);
    assert_int_equal(info.kind, DRILL_DAY_HOLIDAY);
    assert_string_equal(info.name_en, "New Year");
    assert_int_equal(drill_calendar_day_info(&info, b.cal, D(2030, 1, 1)), 0); /* the policy came back */
    assert_int_equal(info.covered, 0);
    size_t k;
    assert_int_equal(drill_units_find(&k, b.units, "PORT1"), 0);
    assert_int_equal(drill_rules_find(&k, b.rules, "typhoon-roll"), 0);
    world_free(&b);

    /* plans and the working registries do not touch each other */
    assert_int_equal(drill_store_save(s, a.plan), 0);
    world small = { 0 };
    assert_int_equal(drill_units_new(&small.units), 0);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "ONE";
    u.name = "唯一";
    u.area = "大连市/西岗区";
    u.unit_class = "school";
    assert_int_equal(drill_units_add(small.units, &u), 0);
    assert_int_equal(drill_rules_new(&small.rules), 0);
    assert_int_equal(drill_campaigns_new(&small.campaigns), 0);
    assert_int_equal(drill_calendar_new(&small.cal), 0);
    assert_int_equal(drill_store_save_registries(s, small.units, small.rules, small.campaigns, small.cal), 0);
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_same(&a, &b); /* the plan's own registries are untouched */
    world_free(&b);
    assert_int_equal(drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s), 0);
    assert_int_equal(drill_units_count(b.units), 1); /* replaced whole, not merged */
    assert_int_equal(drill_rules_count(b.rules), 0);
    assert_int_equal(drill_campaigns_count(b.campaigns), 0);
    int covered = 1;
    assert_int_equal(drill_calendar_is_covered(&covered, b.cal, 2026), 0);
    assert_int_equal(covered, 0);
    world_free(&b);
    assert_int_equal(drill_store_save(s, a.plan), 0); /* saving a plan again leaves them alone */
    assert_int_equal(drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s), 0);
    assert_int_equal(drill_units_count(b.units), 1);
    world_free(&b);

    /* the plan years, ascending, and a buffer too short for them */
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2025;
    assert_int_equal(drill_plan_new(&b.plan, a.units, a.rules, a.campaigns, a.cal, &o), 0);
    assert_int_equal(drill_store_save(s, b.plan), 0);
    drill_plan_free(b.plan);
    b.plan = NULL;
    assert_int_equal(drill_store_plan_years(years, 301, &n, s), 0);
    assert_int_equal(n, 2);
    assert_int_equal(years[0], 2025);
    assert_int_equal(years[1], 2026);
    years[1] = 0;
    assert_int_equal(drill_store_plan_years(years, 1, &n, s), 0);
    assert_int_equal(n, 2);
    assert_int_equal(years[1], 0); /* nothing written past size */
    /* year 0 is no plan's year */
    assert_fails_with(load_world(&b, s, 0), DRILL_ERANGE, "year 0");
    assert_fails_with(drill_store_load_plan(&b.plan, s, 0, a.units, a.rules, a.campaigns, a.cal), DRILL_ERANGE,
                      "year 0");
    assert_null(b.plan);
    drill_store_close(s);

    /* read-only: loading works, saving is refused */
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    assert_int_equal(drill_store_open(&s, path, &ro), 0);
    assert_int_equal(drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s), 0);
    assert_fails_with(drill_store_save_registries(s, b.units, b.rules, b.campaigns, b.cal), DRILL_ESTATE, "read-only");
    world_free(&b);
    assert_fails_with(drill_store_save_registries(s, NULL, a.rules, a.campaigns, a.cal), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_save_registries(NULL, a.units, a.rules, a.campaigns, a.cal), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_load_registries(&b.units, &b.rules, NULL, &b.cal, s), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_load_plan(NULL, s, 2026, a.units, a.rules, a.campaigns, a.cal), DRILL_EINVAL,
                      "NULL");
    assert_fails_with(drill_store_load_plan(&b.plan, s, 2026, a.units, a.rules, a.campaigns, NULL), DRILL_EINVAL,
                      "NULL");
    assert_fails_with(drill_store_plan_years(NULL, 3, &n, s), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_plan_years(years, 3, NULL, s), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_plan_years(years, 3, &n, NULL), DRILL_EINVAL, "NULL");
    drill_store_close(s);
    world_free(&small);
    world_free(&a);
    remove_store(path);
}

/* a stored plan put onto changed registries keeps its state and takes in the changes */
static void test_load_plan_onto(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, w = { 0 }, b = { 0 };
    make_world(&a);
    track_some(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);

    /* the working registries: one unit more, one rule less, a new holiday on a drill's day */
    assert_int_equal(drill_units_dup(&w.units, a.units), 0);
    drill_unit u = DRILL_UNIT_INIT;
    u.id = "NEW1";
    u.name = "新开酒店";
    u.area = "大连市/中山区/桃源街道";
    u.unit_class = "hotel";
    assert_int_equal(drill_units_add(w.units, &u), 0);
    assert_int_equal(drill_rules_new_presets(&w.rules), 0);
    drill_rule r = DRILL_RULE_INIT;
    size_t k;
    assert_int_equal(drill_rules_find(&k, a.rules, "typhoon-roll"), 0);
    assert_int_equal(drill_rules_get(&r, a.rules, k), 0);
    assert_int_equal(drill_rules_add(w.rules, &r), 0);
    assert_int_equal(drill_rules_remove(w.rules, "city-iddrr"), 0);
    assert_int_equal(drill_campaigns_new_builtin(&w.campaigns, NULL), 0);
    assert_int_equal(drill_campaigns_set_year(w.campaigns, "disaster-reduction-week", D(2026, 5, 9), D(2026, 5, 15)), 0);
    assert_int_equal(drill_calendar_new_china(&w.cal), 0);
    drill_item moved = DRILL_ITEM_INIT, kept = DRILL_ITEM_INIT;
    char moved_id[DRILL_ID_MAX], kept_id[DRILL_ID_MAX];
    assert_non_null(scheduled_in(a.plan, "大连市/西岗区", "", &moved));
    snprintf(moved_id, sizeof moved_id, "%s", moved.id);
    assert_int_equal(drill_calendar_add(w.cal, moved.date, DRILL_ENTRY_HOLIDAY, "停电检修", NULL, 2026), 0);
    assert_non_null(scheduled_in(a.plan, "大连市/沙河口区", "city-iddrr", &kept));
    snprintf(kept_id, sizeof kept_id, "%s", kept.id);
    if (kept.date.month == moved.date.month && kept.date.day == moved.date.day)
        skip(); /* the generator put both on the same day: nothing to tell apart */

    assert_int_equal(drill_store_load_plan(&b.plan, s, 2026, w.units, w.rules, w.campaigns, w.cal), 0);
    /* tracking, audit and the kept days came back */
    assert_int_equal(drill_audit_count(b.plan), drill_audit_count(a.plan));
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT; /* the first change of track_some: the drill it held and evaluated */
    assert_int_equal(drill_audit_get(&e, a.plan, 0), 0);
    assert_int_equal(drill_track_get(&t, b.plan, e.drill_id), 0);
    assert_int_equal(t.status, DRILL_STATUS_EVALUATED);
    assert_int_equal(t.actions, 1);
    drill_outcome oc = DRILL_OUTCOME_INIT;
    assert_int_equal(drill_track_outcome(&oc, b.plan, e.drill_id), 0);
    assert_int_equal(oc.score, 77);
    drill_item x = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, b.plan, kept_id), 0);
    assert_int_equal(drill_plan_get(&x, b.plan, k), 0);
    assert_int_equal(x.status, DRILL_STATUS_SCHEDULED);
    assert_date(x.date, kept.date.year, kept.date.month, kept.date.day);
    assert_int_equal(x.revision, kept.revision);
    /* the new unit's drills are there, unplaced; the removed rule's are gone */
    assert_int_equal(drill_plan_find(&k, b.plan, "NEW1/art33-onsite/2026H1"), 0);
    assert_int_equal(drill_plan_get(&x, b.plan, k), 0);
    assert_int_equal(x.status, DRILL_STATUS_PLANNED);
    drill_filter f = DRILL_FILTER_INIT;
    f.rule_id = "city-iddrr";
    drill_selection *sel;
    assert_int_equal(drill_plan_select(&sel, b.plan, &f), 0);
    assert_int_equal(drill_selection_count(sel), 0);
    drill_selection_free(sel);
    /* the drill on the new holiday stays until the next schedule, counted as a violation */
    drill_quality q = DRILL_QUALITY_INIT;
    assert_int_equal(drill_plan_quality(&q, b.plan), 0);
    assert_true(q.violations >= 1);
    /* the stored options, capacities and closed days came back: scheduling again moves what must move */
    drill_schedule_options o = DRILL_SCHEDULE_OPTIONS_INIT;
    assert_int_equal(drill_plan_schedule_options(&o, b.plan), 0);
    assert_int_equal(o.spacing_days, 5);
    drill_district_quality dq = DRILL_DISTRICT_QUALITY_INIT;
    size_t jinzhou = SIZE_MAX;
    for (size_t d = 0; d < drill_units_district_count(w.units); d++) {
        assert_int_equal(drill_plan_district_quality(&dq, b.plan, d), 0);
        if (strcmp(dq.district, "大连市/金州区") == 0)
            jinzhou = d;
    }
    assert_int_not_equal(jinzhou, SIZE_MAX);
    assert_int_equal(drill_plan_district_quality(&dq, b.plan, jinzhou), 0);
    assert_int_equal(dq.capacity, 7);
    assert_int_equal(drill_plan_schedule(&q, b.plan, &o), 0);
    assert_int_equal(q.violations, 0);
    assert_true(q.kept > q.moved);
    assert_int_equal(drill_plan_find(&k, b.plan, moved_id), 0);
    assert_int_equal(drill_plan_get(&x, b.plan, k), 0);
    assert_true(x.date.month != moved.date.month || x.date.day != moved.date.day);
    assert_int_equal(drill_plan_find(&k, b.plan, "NEW1/art33-onsite/2026H1"), 0);
    assert_int_equal(drill_plan_get(&x, b.plan, k), 0);
    assert_int_equal(x.status, DRILL_STATUS_SCHEDULED);
    /* saved, the plan's registries are now these */
    assert_int_equal(drill_store_save(s, b.plan), 0);
    drill_plan_free(b.plan);
    b.plan = NULL;
    world c;
    assert_int_equal(load_world(&c, s, 2026), 0);
    assert_int_equal(drill_units_count(c.units), drill_units_count(a.units) + 1);
    assert_int_equal(drill_rules_count(c.rules), drill_rules_count(a.rules) - 1);
    world_free(&c);

    /* registries without most districts: their capacities and closed days are dropped, not an error */
    world one = { 0 };
    assert_int_equal(drill_units_new(&one.units), 0);
    u.id = "ONLY";
    u.area = "大连市/西岗区";
    assert_int_equal(drill_units_add(one.units, &u), 0);
    assert_int_equal(drill_store_load_plan(&b.plan, s, 2026, one.units, w.rules, w.campaigns, w.cal), 0);
    assert_int_equal(drill_units_district_count(one.units), 1);
    assert_true(drill_plan_count(b.plan) > 0);
    drill_plan_free(b.plan);
    b.plan = NULL;
    /* registries that cannot make the plan: the plan's own error */
    drill_campaigns *none;
    assert_int_equal(drill_campaigns_new(&none), 0);
    assert_fails_with(drill_store_load_plan(&b.plan, s, 2026, w.units, w.rules, none, w.cal), DRILL_ENOTFOUND,
                      "campaign");
    drill_campaigns_free(none);
    drill_calendar *bare;
    assert_int_equal(drill_calendar_new(&bare), 0);
    assert_fails_with(drill_store_load_plan(&b.plan, s, 2026, w.units, w.rules, w.campaigns, bare), DRILL_ENODATA,
                      "2026");
    drill_calendar_free(bare);
    assert_fails_with(drill_store_load_plan(&b.plan, s, 2024, w.units, w.rules, w.campaigns, w.cal), DRILL_ENOTFOUND,
                      "no plan for 2024");
    assert_null(b.plan);
    drill_store_close(s);
    world_free(&one);
    world_free(&w);
    world_free(&a);
    remove_store(path);
}

/* a schema-3 store (plans only) migrates to 4 and gains working registries;
 * damaged working registries are reported, nothing half handed over */
static void test_registries_v3_and_damage(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b = { 0 };
    make_world(&a);
    as_before_schema5(&a);
    track_some(&a);
    drill_store *s;
    /* a store as libdrill 0.1 (schema 3) wrote it: plans only, no foreign-key indexes */
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    drill_store_close(s);
    assert_true(raw_exec(path, UNDO_5_9 "DROP INDEX blackouts_unit; DROP INDEX units_class;"
                               "DROP INDEX campaign_years_campaign; PRAGMA user_version = 3;",
                         UNDO_5_9_PG "DROP INDEX blackouts_unit, campaign_years_campaign;"
                         "UPDATE meta SET value = '3' WHERE key = 'schema_version'") >= 0);
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    int version = 0;
    assert_int_equal(drill_store_schema_version(&version, s), 0);
    assert_int_equal(version, STORE_SCHEMA);
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_same(&a, &b); /* the plan came through the migration whole */
    world_free(&b);
    assert_fails_with(drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s), DRILL_ENOTFOUND,
                      "no working registries");
    assert_int_equal(drill_store_save_registries(s, a.units, a.rules, a.campaigns, a.cal), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0); /* replacing the plan's registries, with the indexes */
    drill_store_close(s);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN"
                                   " ('blackouts_unit', 'units_class', 'campaign_years_campaign')",
                             "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN"
                             " ('blackouts_unit', 'units_class', 'campaign_years_campaign')"),
                     pg ? 2 : 3); /* PostgreSQL's units keep no foreign key to their class since schema 11 */
    static const char *const bad[] = {
        "UPDATE units SET class = 'no-such-class' WHERE plan_year = 0 AND id = 'PORT1'",
        "UPDATE holidays SET date = '2026-02-30' WHERE plan_year = 0 AND date = '2026-10-01'",
        "UPDATE plans SET policy = 7 WHERE year = 0",
        "UPDATE rules SET frequency = 99 WHERE plan_year = 0 AND id = 'art33-annual'",
        "UPDATE campaigns SET id = NULL WHERE plan_year = 0 AND id = 'iddrr'",
        "INSERT INTO blackouts VALUES(0, 'PORT1', '2026-05-01', 'soon')",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char copy[300];
        if (pg) { /* a copy of the database */
            snprintf(copy, sizeof copy, "%s_copy", path);
            pg_admin("DROP DATABASE IF EXISTS %s%s WITH (FORCE)", pg_dbname(copy), "");
            pg_admin("CREATE DATABASE %s TEMPLATE %s", pg_dbname(copy), pg_dbname(path));
        } else {
            snprintf(copy, sizeof copy, "%s-copy", path);
            remove_store(copy);
            char vacuum[400];
            snprintf(vacuum, sizeof vacuum, "VACUUM INTO '%s'", copy);
            assert_int_equal(raw_exec(path, vacuum, NULL), 0);
        }
        int rc = raw_exec(copy, bad[i], bad[i]);
        assert_int_not_equal(rc, 0);
        if (rc < 0)
            continue; /* the schema refused it: fine too */

        if (drill_store_open(&s, copy, NULL))
            fail_msg("damage %zu: %s", i, drill_error_last()->message);
        drill_error_clear();
        int lrc = drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s);
        if (lrc != DRILL_ECORRUPT)
            fail_msg("damage %zu: rc %d, '%s'", i, lrc, drill_error_last()->message);
        assert_null(b.units);
        assert_null(b.rules);
        assert_null(b.campaigns);
        assert_null(b.cal);
        /* the plan's own registries are not affected */
        assert_int_equal(load_world(&b, s, 2026), 0);
        world_free(&b);
        drill_store_close(s);
        remove_store(copy);
    }
    /* the scope's row gone, its rows orphaned: there are no working registries */
    /* (PostgreSQL: a session that turns the foreign keys' triggers off) */
    assert_int_equal(raw_exec(path, "DELETE FROM plans WHERE year = 0",
                              "SET session_replication_role = replica; DELETE FROM plans WHERE year = 0"),
                     1);
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_fails_with(drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s), DRILL_ENOTFOUND,
                      "no working registries");
    /* the orphans (only a writer without foreign keys makes them) stand in the way of
     * saving: it fails whole, nothing written */
    assert_int_not_equal(drill_store_save_registries(s, a.units, a.rules, a.campaigns, a.cal), 0);
    assert_fails_with(drill_store_load_registries(&b.units, &b.rules, &b.campaigns, &b.cal, s), DRILL_ENOTFOUND,
                      "no working registries");
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    drill_store_close(s);
    world_free(&a);
    remove_store(path);
}

/* the audit entries of a store's year, as numbered there: 1..n, no gap, no duplicate */
static size_t assert_trail_numbered(const char *path, int year)
{
    static const char *const what[] = { "count(*)", "count(DISTINCT seq)", "coalesce(min(seq), 1)",
                                        "coalesce(max(seq), 0)" };
    long long v[4];
    for (int i = 0; i < 4; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT %s FROM audit WHERE year = %d", what[i], year);
        v[i] = raw_int(path, sql, sql);
    }
    size_t n = (size_t)v[0];
    assert_int_equal(v[1], n);
    assert_int_equal(v[2], 1);
    assert_int_equal(v[3], n);
    return n;
}

static void hold(drill_plan *p, const char *id, int score)
{
    drill_item it = DRILL_ITEM_INIT;
    size_t k;
    assert_int_equal(drill_plan_find(&k, p, id), 0);
    drill_plan_get(&it, p, k);
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = it.date;
    o.start_minute = 600;
    o.end_minute = 660;
    o.participants = 10 + score;
    o.score = score;
    assert_int_equal(drill_track_hold(p, id, &o, "clerk", NULL), 0);
}

/* Two programs on one store, each with the plan loaded and attached: a
 * change based on a revision another writer replaced fails with
 * DRILL_ECONFLICT and writes nothing; the plan catches up and the change
 * can be made again; the trail stays numbered 1..n. */
static void test_conflicts(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b, c;
    make_world(&a);
    drill_store *sa, *sb;
    assert_int_equal(drill_store_open(&sa, path, NULL), 0);
    assert_int_equal(drill_store_save(sa, a.plan), 0);
    assert_int_equal(drill_store_open(&sb, path, NULL), 0);
    assert_int_equal(load_world(&b, sb, 2026), 0);
    assert_int_equal(drill_store_attach(sa, a.plan), 0);
    assert_int_equal(drill_store_attach(sb, b.plan), 0);
    drill_store *of = NULL;
    assert_int_equal(drill_store_attachment(&of, b.plan), DRILL_ATTACHED);
    assert_ptr_equal(of, sb);
    char one[DRILL_ID_MAX], two[DRILL_ID_MAX];
    snprintf(one, sizeof one, "%s", scheduled_id(&a, 1));
    snprintf(two, sizeof two, "%s", scheduled_id(&a, 2));
    /* different drills: both go through */
    hold(a.plan, one, 1);
    hold(b.plan, two, 2);
    /* the same drill: the later writer's change was based on a replaced revision */
    size_t audit = drill_audit_count(b.plan);
    drill_track_info before = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&before, b.plan, one), 0);
    assert_int_equal(before.status, DRILL_STATUS_SCHEDULED);
    assert_fails_with(drill_track_cancel(b.plan, one, "clerk b", "closed"), DRILL_ECONFLICT, one);
    assert_non_null(strstr(drill_error_last()->message, "revision"));
    assert_int_equal(drill_audit_count(b.plan), audit); /* undone in memory too */
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&t, b.plan, one), 0);
    assert_int_equal(t.status, DRILL_STATUS_SCHEDULED);
    /* b catches up with that drill, sees it held, and evaluates it */
    assert_fails_with(drill_store_refresh_drill(sb, b.plan, "NO-SUCH/art33-onsite/2026H1"), DRILL_ENOTFOUND,
                      "NO-SUCH");
    assert_int_equal(drill_store_refresh_drill(sb, b.plan, one), 0);
    assert_int_equal(drill_track_get(&t, b.plan, one), 0);
    assert_int_equal(t.status, DRILL_STATUS_HELD);
    drill_outcome o = DRILL_OUTCOME_INIT;
    assert_int_equal(drill_track_outcome(&o, b.plan, one), 0);
    assert_int_equal(o.participants, 11);
    assert_int_equal(drill_track_evaluate(b.plan, one, 90, NULL, "clerk b", NULL), 0);
    /* a catches up with everything b did, its trail in the store's order */
    size_t changes = 0;
    assert_fails_with(drill_track_cancel(a.plan, two, "clerk a", "closed"), DRILL_ECONFLICT, two);
    assert_int_equal(drill_store_refresh(&changes, sa, a.plan), 0);
    assert_int_equal(changes, 2); /* b's hold of two, b's evaluation of one (a's own entry comes back too) */
    assert_int_equal(drill_track_get(&t, a.plan, one), 0);
    assert_int_equal(t.status, DRILL_STATUS_EVALUATED);
    assert_int_equal(drill_track_evaluate(a.plan, two, 50, NULL, "clerk a", NULL), 0);
    size_t n = assert_trail_numbered(path, 2026);
    assert_int_equal(n, drill_audit_count(a.plan));
    for (size_t i = 0; i < n; i++) {
        drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
        assert_int_equal(drill_audit_get(&e, a.plan, i), 0);
        assert_int_equal(e.seq, i + 1);
    }
    /* what every writer acknowledged is in the store, once */
    assert_int_equal(drill_store_open(&of, path, NULL), 0);
    assert_int_equal(load_world(&c, of, 2026), 0);
    assert_same(&a, &c);
    assert_int_equal(drill_track_get(&t, c.plan, two), 0);
    assert_int_equal(drill_track_outcome(&o, c.plan, two), 0);
    assert_int_equal(o.score, 50);
    world_free(&c);
    drill_store_close(of);
    /* refreshing a plan the store did not give */
    world d;
    make_world(&d);
    assert_fails_with(drill_store_refresh(NULL, sb, d.plan), DRILL_ESTATE, "not read from this store");
    world_free(&d);
    drill_store_close(sb);
    drill_store_close(sa);
    world_free(&b);
    world_free(&a);
    remove_store(path);
}

/* A plan read from the store and changed in memory is not saved over a
 * drill another writer changed meanwhile; after a refresh it is, and the
 * other writer's change stays. Attaching a plan the store holds as it is
 * writes nothing (so it cannot undo another writer's change either). */
static void test_save_conflict_and_cheap_attach(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b, c;
    make_world(&a);
    drill_store *s, *sb;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    world_free(&a);
    assert_int_equal(load_world(&a, s, 2026), 0);
    assert_int_equal(drill_store_open(&sb, path, NULL), 0);
    assert_int_equal(load_world(&b, sb, 2026), 0);
    assert_int_equal(drill_store_attach(sb, b.plan), 0);
    char one[DRILL_ID_MAX];
    snprintf(one, sizeof one, "%s", scheduled_id(&b, 4));
    hold(b.plan, one, 7);
    /* a, loaded before, holds the store as it was: attaching writes nothing */
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_store_refresh(NULL, s, a.plan), 0);
    assert_int_equal(drill_track_get(&t, a.plan, one), 0);
    assert_int_equal(t.status, DRILL_STATUS_HELD);
    drill_store_detach(s);
    assert_int_equal(drill_store_attachment(NULL, a.plan), DRILL_DETACHED);
    /* b records another drill; a, detached, cancels one in memory and saves:
     * the save writes a's change alone, so b's stays */
    char two[DRILL_ID_MAX], three[DRILL_ID_MAX];
    snprintf(two, sizeof two, "%s", scheduled_id(&b, 5));
    snprintf(three, sizeof three, "%s", scheduled_id(&b, 6));
    hold(b.plan, two, 8);
    assert_int_equal(drill_track_cancel(a.plan, three, "a", "renovation"), 0);
    /* a mark on a drill nobody changed: a save that rewrote the year would wipe it */
    char sql[512];
    const char *untouched = scheduled_id(&b, 9);
    snprintf(sql, sizeof sql, "UPDATE drills SET reason = 77 WHERE id = '%s'", untouched);
    assert_int_equal(raw_exec(path, sql, sql), 1);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    snprintf(sql, sizeof sql, "SELECT reason FROM drills WHERE id = '%s'", untouched);
    assert_int_equal(raw_int(path, sql, sql), 77);
    snprintf(sql, sizeof sql, "UPDATE drills SET reason = 0 WHERE id = '%s'", untouched);
    assert_int_equal(raw_exec(path, sql, sql), 1);
    /* a drill both changed: a's save is refused, nothing of it written (its
     * other change neither), and a takes b's change in and saves again */
    char four[DRILL_ID_MAX], five[DRILL_ID_MAX];
    snprintf(four, sizeof four, "%s", scheduled_id(&b, 7));
    snprintf(five, sizeof five, "%s", scheduled_id(&b, 8));
    assert_int_equal(drill_track_cancel(a.plan, four, "a", "works"), 0);
    hold(a.plan, five, 55);
    hold(b.plan, five, 66);
    size_t trail = assert_trail_numbered(path, 2026);
    assert_fails_with(drill_store_save(s, a.plan), DRILL_ECONFLICT, five);
    assert_int_equal(assert_trail_numbered(path, 2026), trail);
    assert_fails_with(drill_store_refresh(NULL, s, a.plan), DRILL_ESTATE, "save it");
    world_free(&a);
    assert_int_equal(load_world(&a, s, 2026), 0);
    assert_int_equal(drill_track_get(&t, a.plan, four), 0);
    assert_int_equal(t.status, DRILL_STATUS_SCHEDULED); /* the refused save wrote nothing */
    assert_int_equal(drill_track_get(&t, a.plan, five), 0);
    drill_outcome held5 = DRILL_OUTCOME_INIT;
    assert_int_equal(drill_track_outcome(&held5, a.plan, five), 0);
    assert_int_equal(held5.score, 66);
    assert_int_equal(drill_track_cancel(a.plan, four, "a", "works"), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    assert_int_equal(load_world(&c, sb, 2026), 0);
    assert_int_equal(drill_track_get(&t, c.plan, two), 0);
    assert_int_equal(t.status, DRILL_STATUS_HELD);
    assert_int_equal(drill_track_get(&t, c.plan, three), 0);
    assert_int_equal(t.status, DRILL_STATUS_CANCELLED);
    assert_int_equal(drill_track_get(&t, c.plan, four), 0);
    assert_int_equal(t.status, DRILL_STATUS_CANCELLED);
    assert_trail_numbered(path, 2026);
    world_free(&c);
    /* b's next change is checked against what it read: the saves wrote
     * nothing of b's drills and renumbered nothing */
    assert_int_equal(drill_track_evaluate(b.plan, two, 60, NULL, "b", NULL), 0);
    /* closing b's store: b's plan refuses changes instead of keeping them in memory */
    drill_store_close(sb);
    assert_int_equal(drill_store_attachment(NULL, b.plan), DRILL_STORE_CLOSED);
    size_t audit = drill_audit_count(b.plan);
    assert_fails_with(drill_track_evaluate(b.plan, one, 60, NULL, "b", NULL), DRILL_ESTATE, "store is closed");
    assert_int_equal(drill_audit_count(b.plan), audit);
    assert_int_equal(drill_track_get(&t, b.plan, one), 0);
    assert_int_equal(t.status, DRILL_STATUS_HELD);
    /* attached again (to an open store) it goes on */
    assert_int_equal(drill_store_attach(s, b.plan), 0);
    assert_int_equal(drill_track_evaluate(b.plan, one, 60, NULL, "b", NULL), 0);
    assert_trail_numbered(path, 2026);
    drill_store_close(s);
    world_free(&b);
    world_free(&a);
    remove_store(path);
}

/* the drills of one unit in two plans are the same, with their tracking */
static void assert_same_unit(const drill_plan *whole, const drill_plan *part, const char *unit)
{
    size_t n = 0;
    for (size_t i = 0; i < drill_plan_count(whole); i++) {
        drill_item a = DRILL_ITEM_INIT, b = DRILL_ITEM_INIT;
        drill_plan_get(&a, whole, i);
        if (strcmp(a.unit_id, unit) != 0)
            continue;
        size_t k;
        assert_int_equal(drill_plan_find(&k, part, a.id), 0);
        drill_plan_get(&b, part, k);
        assert_string_equal(a.id, b.id);
        assert_int_equal(a.status, b.status);
        assert_memory_equal(&a.date, &b.date, sizeof a.date);
        assert_memory_equal(&a.window_start, &b.window_start, sizeof a.window_start);
        assert_memory_equal(&a.window_end, &b.window_end, sizeof a.window_end);
        assert_int_equal(a.revision, b.revision);
        assert_int_equal(a.needs_observer, b.needs_observer);
        assert_int_equal(a.start_minute, b.start_minute);
        assert_string_equal(a.unit_name, b.unit_name);
        drill_track_info x = DRILL_TRACK_INFO_INIT, y = DRILL_TRACK_INFO_INIT;
        assert_int_equal(drill_track_get(&x, whole, a.id), 0);
        assert_int_equal(drill_track_get(&y, part, a.id), 0);
        assert_int_equal(x.status, y.status);
        assert_int_equal(x.actions, y.actions);
        assert_int_equal(x.has_outcome, y.has_outcome);
        n++;
    }
    assert_int_equal(n, drill_plan_count(part));
    /* its audit entries, in the store's order and numbering */
    size_t k = 0;
    for (size_t i = 0; i < drill_audit_count(whole); i++) {
        drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT, f = DRILL_AUDIT_ENTRY_INIT;
        drill_audit_get(&e, whole, i);
        size_t found;
        if (drill_plan_find(&found, part, e.drill_id) != 0)
            continue;
        assert_int_equal(drill_audit_get(&f, part, k++), 0);
        assert_int_equal(e.seq, f.seq);
        assert_string_equal(e.new_value, f.new_value);
    }
    assert_int_equal(k, drill_audit_count(part));
}

/* One unit's part of a stored plan: the same drills and tracking as the
 * whole plan; its changes written through with the revision check; never
 * saved whole; a unit whose id continues another's after '/' kept apart. */
static void test_load_unit(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b, u, v;
    make_world(&a);
    drill_unit x = DRILL_UNIT_INIT;
    x.id = "PORT1/B";
    x.name = "二号码头";
    x.area = "大连市/甘井子区/大连湾街道";
    x.unit_class = "port";
    x.risk = DRILL_RISK_MAJOR;
    assert_int_equal(drill_units_add(a.units, &x), 0);
    assert_int_equal(drill_plan_refresh(a.plan), 0);
    assert_int_equal(drill_plan_schedule(NULL, a.plan, NULL), 0);
    track_some(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    const char *units[] = { "PORT1", "PORT1/B", "DL000001", "DL000150" };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2026, units[i]), 0);
        assert_int_equal(drill_units_count(u.units), 1);
        assert_true(drill_plan_count(u.plan) > 0);
        assert_same_unit(a.plan, u.plan, units[i]);
        world_free(&u);
    }
    /* the unit of the tracked drill: its outcome, actions and trail */
    char held[DRILL_ID_MAX], unit[DRILL_ID_MAX];
    snprintf(held, sizeof held, "%s", scheduled_id(&a, 0)); /* held by track_some: scheduled_id skips it now */
    for (size_t i = 0; i < drill_audit_count(a.plan); i++) {
        drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
        drill_audit_get(&e, a.plan, i);
        if (strstr(e.new_value, "evaluated")) {
            snprintf(held, sizeof held, "%s", e.drill_id);
            break;
        }
    }
    size_t k;
    drill_item it = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_find(&k, a.plan, held), 0);
    drill_plan_get(&it, a.plan, k);
    snprintf(unit, sizeof unit, "%s", it.unit_id);
    assert_int_equal(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2026, unit), 0);
    assert_same_unit(a.plan, u.plan, unit);
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&t, u.plan, held), 0);
    assert_int_equal(t.status, DRILL_STATUS_EVALUATED);
    assert_int_equal(t.actions, 1);
    /* saved, it writes only its changes (none here); rescheduled, it is
     * never saved whole; attached, it writes through */
    assert_int_equal(drill_store_save(s, u.plan), 0);
    world r;
    assert_int_equal(drill_store_load_unit(&r.plan, &r.units, &r.rules, &r.campaigns, &r.cal, s, 2026, unit), 0);
    assert_int_equal(drill_plan_schedule(NULL, r.plan, NULL), 0);
    assert_fails_with(drill_store_save(s, r.plan), DRILL_ESTATE, "one unit");
    world_free(&r);
    assert_int_equal(drill_store_attach(s, u.plan), 0);
    assert_int_equal(drill_track_set_action(u.plan, held, 1, DRILL_ACTION_DONE, D(2026, 11, 1), "u", NULL), 0);
    /* a second program with the same unit: its change is stale now */
    drill_store *s2;
    assert_int_equal(drill_store_open(&s2, path, NULL), 0);
    assert_int_equal(drill_store_load_unit(&v.plan, &v.units, &v.rules, &v.campaigns, &v.cal, s2, 2026, unit), 0);
    assert_int_equal(drill_store_attach(s2, v.plan), 0);
    assert_int_equal(drill_track_close(u.plan, held, "u", NULL), 0);
    assert_fails_with(drill_track_close(v.plan, held, "v", NULL), DRILL_ECONFLICT, held);
    size_t changes = 0;
    assert_int_equal(drill_store_refresh(&changes, s2, v.plan), 0);
    assert_int_equal(changes, 1); /* the close (the action was done before v read the unit) */
    assert_int_equal(drill_track_get(&t, v.plan, held), 0);
    assert_int_equal(t.status, DRILL_STATUS_CLOSED);
    world_free(&v);
    drill_store_close(s2);
    /* the whole plan read again has every change once */
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_int_equal(drill_track_get(&t, b.plan, held), 0);
    assert_int_equal(t.status, DRILL_STATUS_CLOSED);
    assert_same_unit(b.plan, u.plan, unit);
    assert_trail_numbered(path, 2026);
    world_free(&b);
    world_free(&u);
    /* no such unit, no such plan, bad ids */
    assert_fails_with(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2026, "NOPE"),
                      DRILL_ENOTFOUND, "NOPE");
    assert_fails_with(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2027, "PORT1"),
                      DRILL_ENOTFOUND, "2027");
    assert_fails_with(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2026, ""),
                      DRILL_EINVAL, "unit id");
    assert_fails_with(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2026, NULL),
                      DRILL_EINVAL, "unit_id");
    drill_store_close(s);
    world_free(&a);
    remove_store(path);
}

/* Several changes in one transaction: all durable, or none; a plan whose
 * group was rolled back keeps changes the store does not have, so it
 * refuses to go on. */
static void test_groups(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b;
    make_world(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_fails_with(drill_store_begin(s), DRILL_ESTATE, "no plan");
    assert_fails_with(drill_store_commit(s), DRILL_ESTATE, "without");
    drill_store_rollback(s); /* outside a group: nothing */
    drill_store_rollback(NULL);
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    char one[DRILL_ID_MAX], two[DRILL_ID_MAX];
    snprintf(one, sizeof one, "%s", scheduled_id(&a, 1));
    snprintf(two, sizeof two, "%s", scheduled_id(&a, 2));
    size_t before = assert_trail_numbered(path, 2026);
    assert_int_equal(drill_store_begin(s), 0);
    assert_fails_with(drill_store_begin(s), DRILL_ESTATE, "twice");
    hold(a.plan, one, 5);
    assert_int_equal(drill_track_evaluate(a.plan, one, 80, NULL, "x", NULL), 0);
    /* another reader sees none of it before the commit */
    drill_store *r;
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    assert_int_equal(drill_store_open(&r, path, &ro), 0);
    assert_int_equal(load_world(&b, r, 2026), 0);
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&t, b.plan, one), 0);
    assert_int_equal(t.status, DRILL_STATUS_SCHEDULED);
    world_free(&b);
    assert_int_equal(drill_store_commit(s), 0);
    assert_int_equal(load_world(&b, r, 2026), 0);
    assert_int_equal(drill_track_get(&t, b.plan, one), 0);
    assert_int_equal(t.status, DRILL_STATUS_EVALUATED);
    world_free(&b);
    assert_int_equal(assert_trail_numbered(path, 2026), before + 2);
    /* rolled back: the store as it was, the plan refuses to go on */
    assert_int_equal(drill_store_begin(s), 0);
    hold(a.plan, two, 6);
    drill_store_rollback(s);
    assert_int_equal(assert_trail_numbered(path, 2026), before + 2);
    assert_int_equal(load_world(&b, r, 2026), 0);
    assert_int_equal(drill_track_get(&t, b.plan, two), 0);
    assert_int_equal(t.status, DRILL_STATUS_SCHEDULED);
    world_free(&b);
    assert_int_equal(drill_store_attachment(NULL, a.plan), DRILL_STORE_CLOSED);
    assert_fails_with(drill_track_close(a.plan, one, "x", NULL), DRILL_ESTATE, "rolled");
    assert_fails_with(drill_store_attach(s, a.plan), DRILL_ESTATE, "load it again");
    assert_fails_with(drill_store_save(s, a.plan), DRILL_ESTATE, "load it again");
    /* a change of the group refused: the group is all or nothing */
    world c;
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_int_equal(load_world(&c, r, 2026), 0);
    char three[DRILL_ID_MAX];
    snprintf(three, sizeof three, "%s", scheduled_id(&b, 3));
    drill_store *s2;
    assert_int_equal(drill_store_open(&s2, path, NULL), 0);
    assert_int_equal(drill_store_attach(s2, c.plan), 0);
    hold(c.plan, three, 9); /* another writer first */
    assert_int_equal(drill_store_attach(s, b.plan), 0);
    assert_int_equal(drill_store_begin(s), 0);
    assert_int_equal(drill_track_close(b.plan, one, "x", NULL), 0);
    assert_fails_with(drill_track_cancel(b.plan, three, "x", "late"), DRILL_ECONFLICT, three);
    assert_fails_with(drill_store_commit(s), DRILL_ESTATE, "rolled back");
    assert_int_equal(assert_trail_numbered(path, 2026), before + 3); /* the other writer's hold alone */
    world_free(&c);
    drill_store_close(s2);
    world_free(&b);
    /* closing a store inside a group drops the group */
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_int_equal(drill_store_attach(s, b.plan), 0);
    assert_int_equal(drill_store_begin(s), 0);
    assert_int_equal(drill_track_close(b.plan, one, "x", NULL), 0);
    drill_store_close(s);
    assert_int_equal(assert_trail_numbered(path, 2026), before + 3);
    world_free(&b);
    drill_store_close(r);
    world_free(&a);
    remove_store(path);
}

/* A plan scheduled again while another writer records a drill: the save
 * refuses, the plan takes the change in, is scheduled around it and saved;
 * the recorded drill keeps its state and day. */
static void test_reschedule_after_conflict(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b, c;
    make_world(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    assert_int_equal(load_world(&b, s, 2026), 0);
    char one[DRILL_ID_MAX];
    snprintf(one, sizeof one, "%s", scheduled_id(&b, 3));
    /* the clerk's program records a drill of a unit */
    drill_item it = DRILL_ITEM_INIT;
    size_t k;
    assert_int_equal(drill_plan_find(&k, b.plan, one), 0);
    drill_plan_get(&it, b.plan, k);
    assert_int_equal(drill_store_load_unit(&c.plan, &c.units, &c.rules, &c.campaigns, &c.cal, s, 2026, it.unit_id), 0);
    assert_int_equal(drill_store_attach(s, c.plan), 0);
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = D(2026, 2, 27); /* a day of its own choosing */
    o.start_minute = 600;
    o.end_minute = 660;
    assert_int_equal(drill_track_hold(c.plan, one, &o, "clerk", NULL), 0);
    world_free(&c);
    /* the planner's reschedule, read before */
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.spacing_days = 10;
    so.day_slots = 2;
    so.slot_minutes = 45;
    so.avoid_after_breaks = 1;
    so.today = D(2026, 2, 1);
    so.campaign_min_days = 10;
    so.campaign_widen_days = 4;
    assert_int_equal(drill_plan_schedule(NULL, b.plan, &so), 0);
    assert_fails_with(drill_store_save(s, b.plan), DRILL_ECONFLICT, one);
    size_t changes = 0;
    assert_int_equal(drill_store_refresh(&changes, s, b.plan), 0);
    assert_int_equal(changes, 1);
    assert_int_equal(drill_plan_schedule(NULL, b.plan, &so), 0);
    assert_int_equal(drill_store_save(s, b.plan), 0);
    world_free(&b);
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_int_equal(drill_plan_find(&k, b.plan, one), 0);
    drill_plan_get(&it, b.plan, k);
    assert_int_equal(it.status, DRILL_STATUS_HELD);
    assert_memory_equal(&it.date, &o.date, sizeof o.date);
    drill_schedule_options got = DRILL_SCHEDULE_OPTIONS_INIT;
    assert_int_equal(drill_plan_schedule_options_v2(&got, b.plan, DRILL_SCHEDULE_OPTIONS_VERSION), 0);
    assert_int_equal(got.campaign_min_days, 10);
    assert_int_equal(got.campaign_widen_days, 4);
    assert_int_equal(got.spacing_days, 10);
    assert_int_equal(got.day_slots, 2);
    assert_int_equal(got.slot_minutes, 45);
    assert_int_equal(got.avoid_after_breaks, 1);
    assert_date(got.today, 2026, 2, 1);
    assert_trail_numbered(path, 2026);
    world_free(&b);
    drill_store_close(s);
    world_free(&a);
    remove_store(path);
}

/* two tables have the same columns, rows and cells, in the same order */
static void assert_same_table(const drill_table *a, const drill_table *b)
{
    assert_int_equal(drill_table_columns(a), drill_table_columns(b));
    assert_int_equal(drill_table_rows(a), drill_table_rows(b));
    for (size_t r = 0; r < drill_table_rows(a); r++)
        for (size_t c = 0; c < drill_table_columns(a); c++) {
            const char *x, *y;
            assert_int_equal(drill_table_cell(&x, a, r, c), 0);
            assert_int_equal(drill_table_cell(&y, b, r, c), 0);
            if (strcmp(x, y) != 0)
                fail_msg("row %zu column %s: the plan says '%s', the store '%s'", r, drill_table_column(a, c), x, y);
        }
}

/* the store's list of drills is the plan's selection, cell by cell */
static void assert_same_list(drill_store *s, const world *w, const drill_filter *f)
{
    drill_selection *sel;
    drill_table *t;
    assert_int_equal(drill_plan_select(&sel, w->plan, f), 0);
    assert_int_equal(drill_store_list_drills(&t, s, 2026, f), 0);
    if (drill_table_rows(t) != drill_selection_count(sel))
        fail_msg("the store lists %zu drills, the plan selects %zu (unit %s, district %s, campaign %s, rule %s, "
                 "status %d, statuses %#x, range %d)",
                 drill_table_rows(t), drill_selection_count(sel), f->unit_id ? f->unit_id : "-",
                 f->district ? f->district : "-", f->campaign ? f->campaign : "-", f->rule_id ? f->rule_id : "-",
                 f->status, f->statuses, f->has_range);
    for (size_t r = 0; r < drill_selection_count(sel); r++) {
        size_t k;
        drill_item it = DRILL_ITEM_INIT;
        assert_int_equal(drill_selection_index(&k, sel, r), 0);
        assert_int_equal(drill_plan_get(&it, w->plan, k), 0);
        char date[16] = "", start[16], end[16], revision[16], t0[16] = "", t1[16] = "";
        if (it.duration_minutes > 0) {
            int e = it.start_minute + it.duration_minutes;
            snprintf(t0, sizeof t0, "%02d:%02d", it.start_minute / 60 % 24, it.start_minute % 60);
            snprintf(t1, sizeof t1, "%02d:%02d", e / 60, e % 60);
        }
        static const char *const kinds[] = { "", "comprehensive", "special", "onsite" };
        if (it.date.year)
            snprintf(date, sizeof date, "%04d-%02d-%02d", it.date.year, it.date.month, it.date.day);
        snprintf(start, sizeof start, "%04d-%02d-%02d", it.window_start.year, it.window_start.month,
                 it.window_start.day);
        snprintf(end, sizeof end, "%04d-%02d-%02d", it.window_end.year, it.window_end.month, it.window_end.day);
        snprintf(revision, sizeof revision, "%d", (int)it.revision);
        const char *want[] = { it.id, it.unit_id, it.unit_name, it.district, it.campaign, it.rule_id,
                               drill_status_name(it.status), date, drill_reason_name(it.reason), start, end, revision,
                               t0, t1, kinds[it.kind], it.form == DRILL_FORM_TABLETOP ? "tabletop" : "live",
                               it.scenario, it.needs_observer ? "1" : "0" };
        for (size_t c = 0; c < 18; c++) {
            const char *got;
            assert_int_equal(drill_table_cell(&got, t, r, c), 0);
            if (strcmp(got, want[c]) != 0)
                fail_msg("%s, column %s: the plan says '%s', the store '%s'", it.id, drill_table_column(t, c), want[c],
                         got);
        }
    }
    drill_table_free(t);
    drill_selection_free(sel);
}

/* lists by every kind of filter, alone and together */
static void assert_store_lists(drill_store *s, const world *w)
{
    drill_item first = DRILL_ITEM_INIT, held = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_get(&first, w->plan, 0), 0);
    held = first;
    for (size_t i = 0; i < drill_plan_count(w->plan); i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, w->plan, i);
        if (it.status == DRILL_STATUS_HELD || it.status == DRILL_STATUS_EVALUATED) {
            held = it;
            break;
        }
    }
    drill_filter f = DRILL_FILTER_INIT;
    assert_same_list(s, w, &f);
    f.unit_id = held.unit_id;
    assert_same_list(s, w, &f);
    f.unit_id = NULL;
    f.district = held.district;
    assert_same_list(s, w, &f);
    f.statuses = DRILL_STATUS_BIT(DRILL_STATUS_HELD) | DRILL_STATUS_BIT(DRILL_STATUS_EVALUATED) |
                 DRILL_STATUS_BIT(DRILL_STATUS_CANCELLED);
    assert_same_list(s, w, &f);
    f.district = NULL;
    assert_same_list(s, w, &f);
    f.statuses = 0;
    f.status = DRILL_STATUS_PLANNED;
    assert_same_list(s, w, &f);
    f.status = -1;
    f.campaign = "";
    assert_same_list(s, w, &f);
    f.campaign = "work-safety-month";
    assert_same_list(s, w, &f);
    f.campaign = NULL;
    f.rule_id = first.rule_id;
    assert_same_list(s, w, &f);
    f.rule_id = NULL;
    f.has_range = 1;
    f.from = D(2026, 6, 1);
    f.to = D(2026, 6, 30);
    assert_same_list(s, w, &f);
    f.unit_id = first.unit_id;
    assert_same_list(s, w, &f);
    f.unit_id = "NO-SUCH-UNIT";
    assert_same_list(s, w, &f);
    drill_table *t = NULL;
    f.has_range = 0;
    f.unit_id = NULL;
    f.statuses = 1u << 9;
    assert_fails_with(drill_store_list_drills(&t, s, 2026, &f), DRILL_EINVAL, "state");
    f.statuses = 0;
    f.version = 99;
    assert_fails_with(drill_store_list_drills(&t, s, 2026, &f), DRILL_EVERSION, "");
    assert_fails_with(drill_store_report_reminders(&t, s, 2026, D(2026, 7, 1), -1), DRILL_EINVAL, "days_ahead");
    assert_fails_with(drill_store_report_actions(&t, s, 2026, D(2026, 2, 30)), DRILL_ERANGE, "");
    assert_fails_with(drill_store_list_drills(&t, s, 2031, NULL), DRILL_ENOTFOUND, "2031");
    assert_null(t);
}

/* the store's coverage of 2026 is the loaded plan's, by every grouping and as of several days */
static void assert_store_coverage(drill_store *s)
{
    world w;
    assert_int_equal(load_world(&w, s, 2026), 0);
    const drill_date days[] = { D(2026, 1, 1), D(2026, 7, 1), D(2026, 7, 2), D(2026, 12, 31), D(2027, 3, 1) };
    for (int by = DRILL_BY_CAMPAIGN; by <= DRILL_BY_RULE; by++)
        for (size_t d = 0; d < sizeof days / sizeof *days; d++) {
            drill_table *a, *b;
            assert_int_equal(drill_report_coverage(&a, w.plan, (drill_group_by)by, days[d]), 0);
            assert_int_equal(drill_store_report_coverage(&b, s, 2026, (drill_group_by)by, days[d]), 0);
            assert_same_table(a, b);
            drill_table_free(a);
            drill_table_free(b);
        }
    for (size_t d = 0; d < sizeof days / sizeof *days; d++) { /* and the overdue list, reminders, actions */
        drill_table *a, *b;
        assert_int_equal(drill_report_noncompliant(&a, w.plan, days[d]), 0);
        assert_int_equal(drill_store_report_overdue(&b, s, 2026, days[d]), 0);
        assert_same_table(a, b);
        drill_table_free(a);
        drill_table_free(b);
        for (int ahead = 0; ahead <= 30; ahead += 15) {
            assert_int_equal(drill_report_reminders(&a, w.plan, days[d], ahead), 0);
            assert_int_equal(drill_store_report_reminders(&b, s, 2026, days[d], ahead), 0);
            assert_same_table(a, b);
            drill_table_free(a);
            drill_table_free(b);
        }
        assert_int_equal(drill_report_actions(&a, w.plan, days[d]), 0);
        assert_int_equal(drill_store_report_actions(&b, s, 2026, days[d]), 0);
        assert_same_table(a, b);
        drill_table_free(a);
        drill_table_free(b);
    }
    assert_store_lists(s, &w);
    world_free(&w);
}

/* Rows written behind the library's back that name what the store lacks
 * (rows of a year with no plan, a unit of a class its year lacks; on
 * PostgreSQL no foreign key keeps them out since schemas 10 and 11):
 * drill_store_check() says the store is not sound, on both backends */
static void test_check_finds_strays(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a;
    make_world(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    int ok = -1;
    char detail[256], small[4];
    assert_int_equal(drill_store_check(&ok, s), 0);
    assert_int_equal(ok, 1);
    assert_int_equal(drill_store_check_detail(&ok, detail, sizeof detail, s), 0);
    assert_int_equal(ok, 1);
    assert_string_equal(detail, "ok");
    assert_fails_with(drill_store_check_detail(&ok, NULL, 8, s), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_check_detail(&ok, detail, 0, s), DRILL_EINVAL, "size");
    /* each stray, and the table the check names first */
    static const char *const table[] = { "drills", "units", "units", "tracks", "audit", "drill_counts" };
    static const char *const stray[][3] = { /* written on SQLite, on PostgreSQL; taken away */
        { "INSERT INTO drills(id, year, status, reason) VALUES('X/Y/Z', 1999, 0, 0)", NULL,
          "DELETE FROM drills WHERE id = 'X/Y/Z'" },
        { "INSERT INTO units(plan_year, seq, id, name, area, class, headcount, risk, flood_prone, key_fire)"
          " VALUES(1999, 0, 'X', 'x', 'x', 'x', 1, 1, 0, 0)", NULL, "DELETE FROM units WHERE plan_year = 1999" },
        { "INSERT INTO units(plan_year, seq, id, name, area, class, headcount, risk, flood_prone, key_fire)"
          " VALUES(2026, 99999, 'X', 'x', 'x', 'no-such-class', 1, 1, 0, 0)", NULL,
          "DELETE FROM units WHERE plan_year = 2026 AND id = 'X'" },
        { "INSERT INTO tracks(drill_id, year, status, has_outcome) VALUES('X/Y/Z', 1999, 2, 0)", NULL,
          "DELETE FROM tracks WHERE year = 1999" },
        { "INSERT INTO audit(seq, year, time, actor, drill_id, field) VALUES(1, 1999, 't', 'a', 'X/Y/Z', 'status')",
          NULL, "DELETE FROM audit WHERE year = 1999" },
        { "INSERT INTO drill_counts VALUES(1999, 0, 'g', '', 0, 0, 1, 0, 0, 0, 0, 0)",
          "INSERT INTO drill_counts(year, \"grouping\", grp, status, win_end, credit, ord, n)"
          " VALUES(1999, 0, 'g', 1, '', 0, 0, 1)", "DELETE FROM drill_counts WHERE year = 1999" },
    };
    for (size_t i = 0; i < sizeof stray / sizeof *stray; i++) {
        assert_int_equal(raw_exec(path, stray[i][0], stray[i][1] ? stray[i][1] : stray[i][0]), 1);
        assert_int_equal(drill_store_check(&ok, s), 0);
        if (ok != 0)
            fail_msg("stray %zu: the check found the store sound", i);
        ok = 1;
        assert_int_equal(drill_store_check_detail(&ok, detail, sizeof detail, s), 0);
        assert_int_equal(ok, 0);
        size_t len = strlen(table[i]);
        if (strncmp(detail, table[i], len) != 0 || detail[len] != ':')
            fail_msg("stray %zu: the check said \"%s\", not a problem in %s", i, detail, table[i]);
        assert_int_equal(drill_store_check_detail(&ok, small, sizeof small, s), 0); /* cut to fit */
        assert_int_equal(ok, 0);
        assert_int_equal(strlen(small), 3);
        assert_memory_equal(small, detail, 3);
        assert_int_equal(raw_exec(path, stray[i][2], stray[i][2]), 1);
        assert_int_equal(drill_store_check(&ok, s), 0);
        assert_int_equal(ok, 1);
    }
    drill_store_close(s);
    world_free(&a);
    remove_store(path);
}

/* a schema-11 file store's counters, a row per state */
#define COUNTER_ROWS                                                                                                  \
    "SELECT * FROM (SELECT year, grouping, grp, s.column1 AS status, win_end, credit, ord, CASE s.column1 WHEN 0"    \
    " THEN n0 WHEN 1 THEN n1 WHEN 2 THEN n2 WHEN 3 THEN n3 WHEN 4 THEN n4 ELSE n5 END AS n FROM drill_counts,"       \
    " (VALUES (0), (1), (2), (3), (4), (5)) s) WHERE n <> 0"

/* SQL that takes a file store back from schema 11 to schema 10: counters
 * one row per state, keyed by grouping first; tracks, actions and the audit
 * trail in rowid tables, with the indexes they had */
#define UNDO_11                                                                                                       \
    "CREATE TABLE c10(year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE, grouping INTEGER NOT NULL,"    \
    " grp TEXT NOT NULL, status INTEGER NOT NULL, win_end TEXT NOT NULL, credit INTEGER NOT NULL,"                    \
    " ord INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(year, grouping, grp, status, win_end, credit))"          \
    " WITHOUT ROWID;"                                                                                                 \
    "INSERT INTO c10 " COUNTER_ROWS ";"                                                                              \
    "DROP TABLE drill_counts; ALTER TABLE c10 RENAME TO drill_counts;"                                              \
    "ALTER TABLE tracks RENAME TO t11;"                                                                               \
    "CREATE TABLE tracks(drill_id TEXT NOT NULL PRIMARY KEY,"                                                         \
    " year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"                                                \
    " status INTEGER NOT NULL, has_outcome INTEGER NOT NULL, date TEXT, start_minute INTEGER, end_minute INTEGER,"   \
    " kind INTEGER, form INTEGER, participants INTEGER, non_participants INTEGER, observers TEXT,"                    \
    " evacuation INTEGER, evacuation_target INTEGER, headcount INTEGER, headcount_target INTEGER, score INTEGER,"     \
    " notes TEXT, cancel_reason TEXT);"                                                                               \
    "INSERT INTO tracks SELECT * FROM t11; ALTER TABLE actions RENAME TO a11;"                                        \
    "CREATE TABLE actions(drill_id TEXT NOT NULL REFERENCES tracks(drill_id) ON DELETE CASCADE,"                      \
    " number INTEGER NOT NULL, finding TEXT NOT NULL, capability TEXT, action TEXT NOT NULL, owner TEXT NOT NULL,"   \
    " due TEXT NOT NULL, status INTEGER NOT NULL, closed TEXT, PRIMARY KEY(drill_id, number));"                       \
    "INSERT INTO actions SELECT * FROM a11; DROP TABLE a11; DROP TABLE t11;"                                          \
    "CREATE INDEX tracks_year ON tracks(year); CREATE INDEX actions_drill ON actions(drill_id, number);"              \
    "ALTER TABLE audit RENAME TO au11;"                                                                               \
    "CREATE TABLE audit(seq INTEGER NOT NULL, year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"       \
    " time TEXT NOT NULL, actor TEXT NOT NULL, drill_id TEXT NOT NULL, field TEXT NOT NULL, old_value TEXT,"          \
    " new_value TEXT, reason TEXT, PRIMARY KEY(year, seq));"                                                          \
    "INSERT INTO audit SELECT * FROM au11; DROP TABLE au11; CREATE INDEX audit_drill ON audit(drill_id);"            \
    "PRAGMA user_version = 10;"

/* the tables of a file store kept in their keys' order */
#define WITHOUT_ROWID_TABLES                                                                                          \
    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('drill_counts', 'tracks', 'actions',"      \
    " 'audit') AND sql LIKE '%WITHOUT ROWID%'"

/* A schema-10 file store, with tracking, actions, a trail and counters,
 * migrated to 11 (counters a row per window end, tracks, actions and the
 * trail WITHOUT ROWID): every plan, report and list as before, and
 * written on as before */
static void test_schema_10_file_store(void **state)
{
    (void)state;
    if (pg) /* a file store's migration */
        return;
    char path[256];
    temp_path(path, sizeof path);
    world a, b;
    make_world(&a);
    track_some(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    for (size_t k = 5; k < 30; k += 4) { /* counters of several states and window ends */
        char id[DRILL_ID_MAX];
        snprintf(id, sizeof id, "%s", scheduled_id(&a, k));
        if (k % 3 == 0)
            assert_int_equal(drill_track_cancel(a.plan, id, "x", "why"), 0);
        else
            hold(a.plan, id, (int)k);
    }
    drill_store_close(s);
    /* the counters as they were, a row per state, to compare with after */
    assert_true(raw_exec(path, "CREATE TABLE counted AS " COUNTER_ROWS, NULL) >= 0);
    assert_true(raw_int(path, "SELECT count(DISTINCT status) FROM counted", NULL) >= 4);
    assert_true(raw_exec(path, UNDO_11, NULL) >= 0);
    assert_int_equal(raw_int(path, "PRAGMA user_version", NULL), 10);
    /* rows something else wrote that name what the store lacks: the migration keeps them */
    assert_int_equal(raw_exec(path, "INSERT INTO tracks(drill_id, year, status, has_outcome) VALUES('X/Y/Z', 1999, 2, 0);"
                                    "INSERT INTO actions VALUES('X/Y/W', 1, 'f', NULL, 'a', 'o', '2026-01-01', 0, NULL);"
                                    "INSERT INTO audit VALUES(1, 1999, 't', 'a', 'X/Y/Z', 'state', NULL, NULL, NULL)",
                              NULL), 1);
    assert_int_equal(raw_int(path, WITHOUT_ROWID_TABLES, NULL), 1); /* the old counters only */
    assert_int_equal(raw_int(path, "SELECT count(*) FROM pragma_table_info('drill_counts') WHERE name = 'status'",
                             NULL), 1);
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    int version = 0;
    assert_int_equal(drill_store_schema_version(&version, s), 0);
    assert_int_equal(version, 11);
    assert_int_equal(raw_int(path, WITHOUT_ROWID_TABLES, NULL), 4);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name IN ('tracks_year', 'audit_drill',"
                                   " 'actions_drill', 't11', 'a11', 'au11', 'tracks_10', 'actions_10', 'audit_10')",
                             NULL), 2);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM (SELECT * FROM counted EXCEPT " COUNTER_ROWS ")", NULL), 0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM (" COUNTER_ROWS " EXCEPT SELECT * FROM counted)", NULL), 0);
    assert_true(raw_exec(path, "DROP TABLE counted", NULL) >= 0);
    int ok = -1;
    assert_int_equal(drill_store_check(&ok, s), 0);
    assert_int_equal(ok, 0);
    assert_int_equal(raw_exec(path, "DELETE FROM tracks WHERE year = 1999; DELETE FROM audit WHERE year = 1999;"
                                    "DELETE FROM actions WHERE drill_id = 'X/Y/W'", NULL), 1);
    assert_int_equal(drill_store_check(&ok, s), 0);
    assert_int_equal(ok, 1);
    assert_store_coverage(s);
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_same(&a, &b);
    world_free(&b);
    /* written on: a change of state, an action, a cancel; the counters and the trail follow */
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s", scheduled_id(&a, 40));
    hold(a.plan, id, 40);
    drill_action act = DRILL_ACTION_INIT;
    act.finding = "警报听不清";
    act.action = "加装广播";
    act.owner = "安全科";
    act.due = D(2026, 11, 1);
    assert_int_equal(drill_track_add_action(NULL, a.plan, id, &act, "x", NULL), 0);
    snprintf(id, sizeof id, "%s", scheduled_id(&a, 44));
    assert_int_equal(drill_track_cancel(a.plan, id, "x", "why"), 0);
    assert_store_coverage(s);
    assert_int_equal(load_world(&b, s, 2026), 0);
    assert_same(&a, &b);
    assert_trail_numbered(path, 2026);
    world_free(&b);
    drill_store_close(s);
    world_free(&a);
    remove_store(path);
}

/* The coverage report straight from the store equals the plan's after a
 * save, after changes written through by a whole plan and by one unit's
 * part (a rolling drill held moves its second's window), and a plan saved
 * by an older libdrill is refused until saved again. */
static void test_store_coverage(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, u;
    make_world(&a);
    track_some(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    assert_store_coverage(s);
    /* written through by the whole plan */
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    char cancelled[DRILL_ID_MAX] = "";
    for (size_t k = 10; k < 40; k += 3) {
        char id[DRILL_ID_MAX];
        snprintf(id, sizeof id, "%s", scheduled_id(&a, k));
        if (k % 2) {
            assert_int_equal(drill_track_cancel(a.plan, id, "x", "why"), 0);
            snprintf(cancelled, sizeof cancelled, "%s", id);
        } else {
            hold(a.plan, id, (int)k);
        }
    }
    assert_store_coverage(s);
    assert_int_equal(drill_track_reinstate(a.plan, cancelled, "x", NULL), 0);
    assert_store_coverage(s);
    /* the rolling rule's first drill held: the second's window follows */
    assert_int_equal(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2026, "PORT1"), 0);
    assert_int_equal(drill_store_attach(s, u.plan), 0);
    size_t k;
    assert_int_equal(drill_plan_find(&k, u.plan, "PORT1/typhoon-roll/2026R1"), 0);
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = D(2026, 2, 10);
    o.start_minute = 540;
    o.end_minute = 600;
    assert_int_equal(drill_track_hold(u.plan, "PORT1/typhoon-roll/2026R1", &o, "x", NULL), 0);
    world_free(&u);
    assert_store_coverage(s);
    /* a plan an older libdrill saved: not counted until saved again */
    assert_true(raw_exec(path, "UPDATE plans SET counted = 0", "UPDATE plans SET counted = 0") > 0);
    drill_table *t = NULL;
    assert_fails_with(drill_store_report_coverage(&t, s, 2026, DRILL_BY_DISTRICT, D(2026, 7, 1)), DRILL_ENODATA,
                      "older libdrill");
    assert_fails_with(drill_store_report_overdue(&t, s, 2026, D(2026, 7, 1)), DRILL_ENODATA, "older libdrill");
    assert_fails_with(drill_store_report_overdue(&t, s, 2031, D(2026, 7, 1)), DRILL_ENOTFOUND, "2031");
    assert_fails_with(drill_store_report_coverage(&t, s, 2031, DRILL_BY_DISTRICT, D(2026, 7, 1)), DRILL_ENOTFOUND,
                      "2031");
    assert_fails_with(drill_store_report_coverage(&t, s, 2026, (drill_group_by)9, D(2026, 7, 1)), DRILL_EINVAL,
                      "grouping");
    assert_fails_with(drill_store_report_coverage(&t, s, 2026, DRILL_BY_TIER, D(2026, 2, 30)), DRILL_ERANGE, "");
    assert_fails_with(drill_store_report_coverage(NULL, s, 2026, DRILL_BY_TIER, D(2026, 2, 1)), DRILL_EINVAL, "out");
    /* the lists and the other reports answer the same for an older plan, a missing year and bad input */
    assert_fails_with(drill_store_report_reminders(&t, s, 2026, D(2026, 7, 1), 14), DRILL_ENODATA, "older libdrill");
    assert_fails_with(drill_store_report_actions(&t, s, 2026, D(2026, 7, 1)), DRILL_ENODATA, "older libdrill");
    assert_fails_with(drill_store_list_drills(&t, s, 2026, NULL), DRILL_ENODATA, "older libdrill");
    assert_fails_with(drill_store_report_reminders(&t, s, 2031, D(2026, 7, 1), 14), DRILL_ENOTFOUND, "2031");
    assert_fails_with(drill_store_report_actions(&t, s, 2031, D(2026, 7, 1)), DRILL_ENOTFOUND, "2031");
    assert_fails_with(drill_store_report_reminders(&t, s, 2026, D(2026, 2, 30), 14), DRILL_ERANGE, "");
    assert_fails_with(drill_store_report_actions(&t, s, 1800, D(2026, 7, 1)), DRILL_ERANGE, "");
    drill_filter f = DRILL_FILTER_INIT;
    f.unit_id = "";
    assert_fails_with(drill_store_list_drills(&t, s, 2026, &f), DRILL_EINVAL, "not a unit id");
    f.unit_id = NULL;
    f.status = 9;
    assert_fails_with(drill_store_list_drills(&t, s, 2026, &f), DRILL_EINVAL, "state");
    f.status = -1;
    f.has_range = 1;
    f.from = D(2026, 2, 30);
    f.to = D(2026, 3, 1);
    assert_fails_with(drill_store_list_drills(&t, s, 2026, &f), DRILL_ERANGE, "");
    assert_null(t);
    world b;
    assert_int_equal(load_world(&b, s, 2026), 0);
    drill_store_detach(s);
    world_free(&a);
    assert_int_equal(drill_plan_schedule(NULL, b.plan, NULL), 0);
    assert_int_equal(drill_store_save(s, b.plan), 0);
    world_free(&b);
    assert_store_coverage(s);
    drill_store_close(s);
    remove_store(path);
}

/* One unit's part of a plan starts its drills when the store says (the
 * whole plan's assignment of start slots), not as its own drills alone
 * would be spread */
static void test_unit_part_start_times(void **state)
{
    (void)state;
    char path[256], sql[512];
    temp_path(path, sizeof path);
    world a, u;
    make_world(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    drill_item it = DRILL_ITEM_INIT;
    size_t k;
    const char *id = scheduled_id(&a, 2);
    assert_int_equal(drill_plan_find(&k, a.plan, id), 0);
    assert_int_equal(drill_plan_get(&it, a.plan, k), 0);
    drill_schedule_options o = DRILL_SCHEDULE_OPTIONS_INIT;
    assert_int_equal(drill_plan_schedule_options(&o, a.plan), 0);
    int slots = o.day_slots, step = o.slot_minutes, base = o.start_minute[it.kind]; /* as the plan resolved them */
    assert_true(slots > 1 && step > 0 && base > 0);
    int other = base + ((it.start_minute - base) / step + 1) % slots * step; /* the next slot of its kind */
    snprintf(sql, sizeof sql, "UPDATE drills SET start_minute = %d WHERE id = '%s'", other, id);
    assert_int_equal(raw_exec(path, sql, sql), 1);
    assert_int_equal(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2026, it.unit_id), 0);
    assert_int_equal(drill_plan_find(&k, u.plan, id), 0);
    drill_item part = DRILL_ITEM_INIT;
    assert_int_equal(drill_plan_get(&part, u.plan, k), 0);
    assert_int_equal(part.start_minute, other);
    world_free(&u);
    /* a time that is no slot of its kind is not taken */
    snprintf(sql, sizeof sql, "UPDATE drills SET start_minute = %d WHERE id = '%s'", base + 1, id);
    assert_int_equal(raw_exec(path, sql, sql), 1);
    assert_int_equal(drill_store_load_unit(&u.plan, &u.units, &u.rules, &u.campaigns, &u.cal, s, 2026, it.unit_id), 0);
    assert_int_equal(drill_plan_get(&part, u.plan, k), 0);
    assert_true(part.start_minute != base + 1);
    world_free(&u);
    drill_store_close(s);
    world_free(&a);
    remove_store(path);
}

/* a store's name as it may be printed: no password, whatever the form */
static void test_names(void **state)
{
    (void)state;
    static const struct {
        const char *name, *shown;
        int server;
    } cases[] = {
        { "/var/lib/drill/dalian.db", "/var/lib/drill/dalian.db", 0 },
        { "plan=2027.db", "plan=2027.db", 1 }, /* a conninfo by its form, as libpq would read it */
        { "./a=b.db", "./a=b.db", 0 },
        { "postgresql://drill:s3cret@db.example/drills", "postgresql://drill:***@db.example/drills", 1 },
        { "postgres://drill@db.example:5433/drills?sslmode=require",
          "postgres://drill@db.example:5433/drills?sslmode=require", 1 },
        { "postgresql://drill:p%40ss@h/d?password=s3cret&sslmode=verify-full",
          "postgresql://drill:***@h/d?password=***&sslmode=verify-full", 1 },
        { "postgresql:///drills?host=/run/postgresql&password=s3cret",
          "postgresql:///drills?host=/run/postgresql&password=***", 1 },
        { "host=db dbname=drills user=drill password=s3cret sslmode=require",
          "host=db dbname=drills user=drill password=*** sslmode=require", 1 },
        { "host=db password = 'it\\'s s3cret' dbname=drills", "host=db password = *** dbname=drills", 1 },
        { "host=db password='s3cret'x dbname=drills", "host=db password=***", 1 }, /* libpq would refuse it */
        { "password='a \\' s3cret' host=db", "password=*** host=db", 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[256];
        assert_int_equal(drill_store_is_server(cases[i].name), cases[i].server);
        assert_int_equal(drill_store_display_name(out, sizeof out, cases[i].name), 0);
        assert_string_equal(out, cases[i].shown);
        assert_null(strstr(out, "s3cret"));
    }
    char small[12];
    assert_fails_with(drill_store_display_name(small, sizeof small, "/a/rather/long/file/name.db"), DRILL_ERANGE,
                      "longer");
    assert_string_equal(small, "");
    assert_fails_with(drill_store_display_name(small, sizeof small, "postgresql://u:s3cret@host/db"), DRILL_ERANGE,
                      "longer");
    assert_null(strstr(small, "s3cret"));
    assert_fails_with(drill_store_display_name(NULL, 1, "x"), DRILL_EINVAL, "NULL");
    assert_fails_with(drill_store_display_name(small, 0, "x"), DRILL_EINVAL, "0");
    assert_int_equal(drill_store_is_server(NULL), 0);
}

/* ---- PostgreSQL's failures ---- */

/* nothing listens: DRILL_EIO with libpq's message, and no password in it */
static void test_pg_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/drill-nopg-XXXXXX", name[256];
    assert_non_null(mkdtemp(dir));
    drill_store *s = NULL;
    snprintf(name, sizeof name, "host=%s port=5999 dbname=drills user=drill password=s3cret", dir);
    assert_fails_with(drill_store_open(&s, name, NULL), DRILL_EIO, "cannot connect");
    assert_null(strstr(drill_error_last()->message, "s3cret"));
    assert_non_null(strstr(drill_error_last()->message, "password=***"));
    assert_non_null(strstr(drill_error_last()->message, dir)); /* libpq's own words name the socket */
    snprintf(name, sizeof name, "postgresql://drill:s3cret@/drills?host=%s&port=5999", dir);
    assert_fails_with(drill_store_open(&s, name, NULL), DRILL_EIO, "No such file");
    assert_null(strstr(drill_error_last()->message, "s3cret"));
    assert_null(s);
    /* a server that takes the connection and never answers: connect_timeout ends the wait */
    char sock[sizeof((struct sockaddr_un *)0)->sun_path];
    snprintf(sock, sizeof sock, "%s/.s.PGSQL.5998", dir);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    memcpy(addr.sun_path, sock, sizeof sock);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(fd, 4), 0);
    snprintf(name, sizeof name, "host=%s port=5998 dbname=drills connect_timeout=2", dir);
    assert_fails_with(drill_store_open(&s, name, NULL), DRILL_EIO, "timeout");
    close(fd);
    remove(sock);
    rmdir(dir);
    /* the test server, a database that is not there: refused by the server */
    snprintf(name, sizeof name, "%s dbname=no_such_database", pg_server);
    assert_fails_with(drill_store_open(&s, name, NULL), DRILL_EIO, "no_such_database");
}

static void pg_ctl(const char *what)
{
    char cmd[1024];
    const char *ctl = getenv("DRILL_TEST_PG_CTL");
    assert_non_null(ctl);
    snprintf(cmd, sizeof cmd, "%s %s >/dev/null", ctl, what);
    if (system(cmd) != 0)
        fail_msg("%s failed", cmd);
}

/* the writers' queue of the SQLite store at path: its name in /dev/shm */
static void queue_name(char *out, size_t size, const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    snprintf(out, size, "/dev/shm/libdrill-%llx-%llx", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
}

/* SQLite: libdrill's writers of a store line up on a robust mutex in a
 * shared-memory file named after the store's inode. It lasts while the
 * store is open for writing; a writer killed in its place does not hold the
 * others up; a hostile symlink in its place is not followed, and the
 * writers go without the queue. */
static void test_writers_queue(void **state)
{
    (void)state;
    if (pg)
        skip();
    char path[256], qname[128];
    temp_path(path, sizeof path);
    world a;
    make_world(&a);
    drill_store *s, *r;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_save(s, a.plan), 0);
    queue_name(qname, sizeof qname, path);
    struct stat st;
    assert_int_equal(lstat(qname, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);
    /* a writer killed while it holds its place (and SQLite's lock) */
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        drill_store *w;
        world c;
        char byte = 'r';
        if (drill_store_open(&w, path, NULL) || load_world(&c, w, 2026) || drill_store_attach(w, c.plan) ||
            drill_store_begin(w) || write(ready[1], &byte, 1) != 1)
            _exit(2);
        for (;;)
            pause();
    }
    close(ready[1]);
    char byte;
    assert_int_equal(read(ready[0], &byte, 1), 1);
    close(ready[0]);
    assert_int_equal(kill(child, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    hold(a.plan, scheduled_id(&a, 1), 1);
    hold(a.plan, scheduled_id(&a, 1), 2);
    /* a reader alone makes no queue; the last writer to close removes it */
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    assert_int_equal(drill_store_open(&r, path, &ro), 0);
    drill_store_close(s);
    assert_int_equal(lstat(qname, &st), -1);
    drill_store_close(r);
    assert_int_equal(lstat(qname, &st), -1);
    /* a symlink where the queue goes: not followed, its target untouched */
    char target[300];
    snprintf(target, sizeof target, "%s.target", path);
    FILE *f = fopen(target, "w");
    assert_non_null(f);
    fputs("keep", f);
    fclose(f);
    assert_int_equal(symlink(target, qname), 0);
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(drill_store_attach(s, a.plan), 0);
    hold(a.plan, scheduled_id(&a, 1), 3);
    drill_store_close(s);
    assert_int_equal(lstat(qname, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_size, 4);
    assert_int_equal(unlink(qname), 0);
    assert_int_equal(unlink(target), 0);
    world_free(&a);
    remove_store(path);
}

/* PostgreSQL numbers a tracking change's audit entry just after the change
 * commits. An entry left unnumbered (the connection lost between the two)
 * reads after every numbered one, is not among the entries after N, and
 * the next change numbers it, in order and without a gap; a plan that read
 * it unnumbered reads it again numbered when it catches up. */
static void test_pg_unnumbered_entry(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b, c;
    make_world(&a);
    drill_store *sa, *sb, *sc;
    assert_int_equal(drill_store_open(&sa, path, NULL), 0);
    assert_int_equal(drill_store_save(sa, a.plan), 0);
    assert_int_equal(drill_store_attach(sa, a.plan), 0);
    assert_int_equal(drill_store_open(&sb, path, NULL), 0);
    assert_int_equal(load_world(&b, sb, 2026), 0);
    char one[DRILL_ID_MAX], two[DRILL_ID_MAX], sql[512];
    snprintf(one, sizeof one, "%s", scheduled_id(&a, 1));
    snprintf(two, sizeof two, "%s", scheduled_id(&a, 2));
    hold(a.plan, one, 1);
    snprintf(sql, sizeof sql, "INSERT INTO audit(year, time, actor, drill_id, field, old_value, new_value, reason)"
                              " VALUES(2026, '2026-03-02T08:00:00Z', 'lost', '%s', 'note', NULL, 'unnumbered', NULL)",
             one);
    assert_int_equal(raw_exec(path, sql, sql), 1);
    /* read: last, above every number */
    assert_int_equal(drill_store_open(&sc, path, NULL), 0);
    assert_int_equal(load_world(&c, sc, 2026), 0);
    assert_int_equal(drill_audit_count(c.plan), 2);
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    assert_int_equal(drill_audit_get(&e, c.plan, 1), 0);
    assert_string_equal(e.actor, "lost");
    assert_true(e.seq > ((size_t)1 << 62));
    /* not among the entries after 0 yet */
    size_t changes = 9;
    assert_int_equal(drill_store_refresh(&changes, sb, b.plan), 0);
    assert_int_equal(changes, 1);
    assert_int_equal(drill_audit_count(b.plan), 1);
    /* the next change numbers it, then its own */
    hold(a.plan, two, 2);
    assert_int_equal(assert_trail_numbered(path, 2026), 3);
    assert_int_equal(drill_audit_get(&e, a.plan, drill_audit_count(a.plan) - 1), 0);
    assert_int_equal(e.seq, 3);
    snprintf(sql, sizeof sql, "SELECT seq FROM audit WHERE actor = 'lost'");
    assert_int_equal(raw_int(path, sql, sql), 2);
    /* both readers catch up: 1, 2, 3 */
    world *readers[] = { &b, &c };
    drill_store *stores[] = { sb, sc };
    for (int r = 0; r < 2; r++) {
        assert_int_equal(drill_store_refresh(&changes, stores[r], readers[r]->plan), 0);
        assert_int_equal(drill_audit_count(readers[r]->plan), 3);
        for (size_t k = 0; k < 3; k++) {
            assert_int_equal(drill_audit_get(&e, readers[r]->plan, k), 0);
            assert_int_equal(e.seq, k + 1);
        }
    }
    /* a drill of a year with no plan (no foreign key keeps it out since schema 10): the check says so */
    int ok = -1;
    assert_int_equal(drill_store_check(&ok, sa), 0);
    assert_int_equal(ok, 1);
    snprintf(sql, sizeof sql, "INSERT INTO drills(id, year, status, reason) VALUES('X/Y/Z', 1999, 0, 0)");
    assert_int_equal(raw_exec(path, sql, sql), 1);
    assert_int_equal(drill_store_check(&ok, sa), 0);
    assert_int_equal(ok, 0);
    world_free(&c);
    world_free(&b);
    drill_store_close(sc);
    drill_store_close(sb);
    drill_store_close(sa);
    world_free(&a);
    remove_store(path);
}

/* the server stopped (pg_ctl stop -m immediate: no shutdown, as a crash)
 * while a writer changes drill after drill, and while a plan is being
 * saved; started again: every acknowledged change is there, no change is
 * half there, and the writer's next call reconnects */
static void test_pg_stopped_mid_batch(void **state)
{
    (void)state;
    char path[256];
    temp_path(path, sizeof path);
    world a, b;
    make_world(&a);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    if (drill_store_save(s, a.plan))
        fail_msg("save: %s", drill_error_last()->message);
    drill_store_close(s);
    int acks[2], go[2];
    assert_int_equal(pipe(acks), 0);
    assert_int_equal(pipe(go), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) { /* the writer: cancels drill after drill, says which, until one fails */
        close(acks[0]);
        close(go[1]);
        FILE *out = fdopen(acks[1], "w");
        drill_store *w;
        world c;
        if (drill_store_open(&w, path, NULL) ||
            load_world(&c, w, 2026) ||
            drill_store_attach(w, c.plan))
            _exit(3);
        size_t k = 0;
        for (;; k++) {
            const char *id = scheduled_id(&c, 0);
            char copy[DRILL_ID_MAX];
            snprintf(copy, sizeof copy, "%s", id);
            int rc = drill_track_cancel(c.plan, copy, "writer", "stop test");
            fprintf(out, "%s %s\n", rc ? "fail" : "ok", copy);
            if (rc)
                fprintf(stderr, "(the writer's call while the server is down: %s)\n", drill_error_last()->message);
            fflush(out);
            if (rc)
                break;
        }
        char byte;
        if (read(go[0], &byte, 1) != 1) /* the server is up again */
            _exit(4);
        const char *id = scheduled_id(&c, 1); /* not the one that failed */
        int rc = drill_track_cancel(c.plan, id, "writer", "after the restart");
        fprintf(out, "%s %s\n", rc ? "fail" : "ok", rc ? drill_error_last()->message : id);
        fclose(out);
        _exit(rc ? 5 : 0);
    }
    close(acks[1]);
    close(go[0]);
    FILE *in = fdopen(acks[0], "r");
    char line[256], failed[DRILL_ID_MAX] = "";
    char acked[400][DRILL_ID_MAX];
    size_t nacked = 0;
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "fail ", 5) == 0) {
            snprintf(failed, sizeof failed, "%s", line + 5);
            break;
        }
        assert_true(nacked < 400);
        snprintf(acked[nacked++], DRILL_ID_MAX, "%s", line + 3);
        if (nacked == 25)
            pg_ctl("stop -m immediate");
    }
    assert_string_not_equal(failed, "");
    pg_ctl("start");
    assert_int_equal(write(go[1], "g", 1), 1);
    assert_non_null(fgets(line, sizeof line, in)); /* the writer's call after the restart */
    line[strcspn(line, "\n")] = '\0';
    if (strncmp(line, "ok ", 3) != 0)
        fail_msg("the writer's call after the restart: %s", line);
    snprintf(acked[nacked++], DRILL_ID_MAX, "%s", line + 3);
    fclose(in);
    close(go[1]);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    assert_int_equal(drill_store_open(&s, path, NULL), 0);
    assert_int_equal(load_world(&b, s, 2026), 0);
    for (size_t i = 0; i < nacked; i++) {
        drill_track_info t = DRILL_TRACK_INFO_INIT;
        assert_int_equal(drill_track_get(&t, b.plan, acked[i]), 0);
        assert_int_equal(t.status, DRILL_STATUS_CANCELLED);
    }
    /* the change that failed is there whole (the server died after its COMMIT) or not at all */
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    assert_int_equal(drill_track_get(&t, b.plan, failed), 0);
    size_t entries = 0;
    for (size_t i = 0; i < drill_audit_count(b.plan); i++) {
        drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
        drill_audit_get(&e, b.plan, i);
        entries += strcmp(e.drill_id, failed) == 0;
    }
    assert_int_equal(entries, t.status == DRILL_STATUS_CANCELLED ? 1 : 0);
    assert_int_equal(drill_audit_count(b.plan), nacked + entries);

    /* a save in progress when the server goes: the old plan, or the new one whole */
    world big = { 0 }; /* 20,000 units: a save long enough to be cut */
    world_generate(&big, 20000);
    drill_plan_options o = DRILL_PLAN_OPTIONS_INIT;
    o.year = 2027;
    o.allow_uncovered = 1;
    assert_int_equal(drill_plan_new(&big.plan, big.units, big.rules, big.campaigns, big.cal, &o), 0);
    assert_int_equal(drill_plan_refresh(big.plan), 0);
    assert_true(drill_plan_count(big.plan) > 20000);
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t saver = fork();
    assert_true(saver >= 0);
    if (saver == 0) {
        close(ready[0]);
        drill_store *w;
        if (drill_store_open(&w, path, NULL))
            _exit(3);
        if (write(ready[1], "r", 1) != 1)
            _exit(4);
        int rc = drill_store_save(w, big.plan);
        _exit(rc == 0 ? 0 : rc == DRILL_EIO ? 1 : 2);
    }
    close(ready[1]);
    char byte;
    assert_int_equal(read(ready[0], &byte, 1), 1);
    close(ready[0]);
    pg_ctl("stop -m immediate");
    assert_int_equal(waitpid(saver, &status, 0), saver);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) <= 1);
    pg_ctl("start");
    world c;
    int lrc = load_world(&c, s, 2027); /* s reconnects */
    if (WEXITSTATUS(status) == 0) {
        assert_int_equal(lrc, 0);
    } else {
        if (lrc != 0 && lrc != DRILL_ENOTFOUND)
            fail_msg("loading after the restart: %s", drill_error_last()->message);
    }
    if (lrc == 0) {
        assert_int_equal(drill_plan_count(c.plan), drill_plan_count(big.plan));
        assert_int_equal(drill_units_count(c.units), drill_units_count(big.units));
        world_free(&c);
    }
    world_free(&big);
    drill_store_close(s);
    world_free(&b);
    world_free(&a);
    remove_store(path);
}

int main(int argc, char **argv)
{
    const char *backend = argc > 1 ? argv[1] : getenv("DRILL_TEST_STORE");
    pg = backend && strcmp(backend, "postgresql") == 0;
    if (pg && !(pg_server = getenv("DRILL_TEST_PG"))) {
        fprintf(stderr, "test_store: the postgresql backend needs DRILL_TEST_PG (run under tests/pg_env.sh)\n");
        return 2;
    }
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(test_pg_refused),
        cmocka_unit_test(test_pg_stopped_mid_batch),
        cmocka_unit_test(test_pg_unnumbered_entry),
    };
    if (pg) {
        int rc = cmocka_run_group_tests_name("store on PostgreSQL: the server's failures", pg_tests, NULL, NULL);
        if (rc)
            return rc;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_save_and_load),
        cmocka_unit_test(test_gone_drill_keeps_its_state),
        cmocka_unit_test(test_write_through),
        cmocka_unit_test(test_versions_and_damage),
        cmocka_unit_test(test_review_cases),
        cmocka_unit_test(test_working_registries),
        cmocka_unit_test(test_load_plan_onto),
        cmocka_unit_test(test_registries_v3_and_damage),
        cmocka_unit_test(test_conflicts),
        cmocka_unit_test(test_save_conflict_and_cheap_attach),
        cmocka_unit_test(test_load_unit),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_reschedule_after_conflict),
        cmocka_unit_test(test_store_coverage),
        cmocka_unit_test(test_schema_10_file_store),
        cmocka_unit_test(test_check_finds_strays),
        cmocka_unit_test(test_unit_part_start_times),
        cmocka_unit_test(test_writers_queue),
    };
    return cmocka_run_group_tests_name(pg ? "store on PostgreSQL" : "store on SQLite", tests, NULL, NULL);
}
