/* Many writers and readers on one store at once, as an agency runs it:
 * library programs and drillctl change random drills (often the same
 * ones), readers check that every drill they see agrees with its own last
 * audit entry. At the end every acknowledged change is in the store once,
 * every refused one was refused with DRILL_ECONFLICT, and the audit trail
 * is numbered 1..n without a gap or a duplicate.
 *
 * The processes start together at a barrier (a pipe) and each makes a
 * fixed number of changes: nothing waits on time. drillctl writers run when
 * DRILLCTL names the program (make test sets it).
 *
 * The same on PostgreSQL with `test_concurrency postgresql` beside the
 * server of tests/pg_env.sh (DRILL_TEST_PG): the store is a new database. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"

#define LIB_WRITERS 5
#define CLI_WRITERS 2
#define READERS 2
#define CHANGES test_rounds(60) /* per writer; fewer in a quick run */
#define READS test_rounds(40)   /* per reader */
#define HOT 40     /* the drills changed: library writers take the first 30, drillctl the last 20 */

typedef struct shared {
    char dir[256], store[512];
    int pg; /* the store is a PostgreSQL database */
    char hot[HOT][DRILL_ID_MAX];
    char unit[HOT][DRILL_ID_MAX];
} shared;

static shared S;

static void make_store(void)
{
    world w = { 0 };
    world_generate(&w, 200);
    world_plan(&w);
    /* the hot drills: scheduled ones of a few units */
    size_t n = 0;
    for (size_t i = 0; i < drill_plan_count(w.plan) && n < HOT; i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, w.plan, i);
        if (it.status == DRILL_STATUS_SCHEDULED && it.unit_index % 23 == 0) {
            snprintf(S.hot[n], sizeof S.hot[n], "%s", it.id);
            snprintf(S.unit[n], sizeof S.unit[n], "%s", it.unit_id);
            n++;
        }
    }
    assert_int_equal(n, HOT);
    drill_store *s;
    assert_int_equal(drill_store_open(&s, S.store, NULL), 0);
    assert_int_equal(drill_store_save(s, w.plan), 0);
    drill_store_close(s);
    world_free(&w);
}

/* a number the store answers to a query (read behind the library's back) */
static long long count_of(const char *sql)
{
    long long v = -1;
    if (!S.pg) {
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(S.store, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return v;
    }
    PGconn *c = PQconnectdb(S.store);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    v = atoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return v;
}

/* a new database on the test server for the store */
static void pg_store(const char *server)
{
    char admin[512], sql[128];
    snprintf(admin, sizeof admin, "%s dbname=postgres", server);
    snprintf(sql, sizeof sql, "CREATE DATABASE drill_concurrency_%d", (int)getpid());
    PGconn *c = PQconnectdb(admin);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    snprintf(S.store, sizeof S.store, "%s dbname=drill_concurrency_%d", server, (int)getpid());
}

/* a line to a writer's log: "ACK seq drill" or "CONFLICT drill" */
static void log_line(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fflush(f);
}

/* the next change a drill's state allows; 0 if none */
static int next_change(drill_plan *p, const char *id, unsigned r, const char *actor)
{
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    if (drill_track_get(&t, p, id))
        return -100;
    drill_outcome o = DRILL_OUTCOME_INIT;
    switch (t.status) {
    case DRILL_STATUS_PLANNED:
    case DRILL_STATUS_SCHEDULED:
        if (r % 7 == 0)
            return drill_track_cancel(p, id, actor, "renovation");
        o.date = D(2026, 3, 1 + (int)(r % 28));
        o.start_minute = 540;
        o.end_minute = 600;
        o.participants = (int)(r % 500);
        return drill_track_hold(p, id, &o, actor, NULL);
    case DRILL_STATUS_HELD:
    case DRILL_STATUS_EVALUATED:
        if (r % 3 == 0 && t.actions < 3) { /* a finding */
            drill_action a = DRILL_ACTION_INIT;
            a.finding = "出口堵塞";
            a.action = "清理通道";
            a.owner = actor;
            a.due = D(2026, 6, 30);
            return drill_track_add_action(NULL, p, id, &a, actor, NULL);
        }
        for (size_t n = 1; n <= t.actions; n++) { /* an open action done */
            drill_action a = DRILL_ACTION_INIT;
            if (drill_track_action(&a, p, id, n) == 0 && a.status < DRILL_ACTION_DONE)
                return drill_track_set_action(p, id, n, DRILL_ACTION_DONE, D(2026, 5, 2), actor, NULL);
        }
        return t.status == DRILL_STATUS_HELD ? drill_track_evaluate(p, id, (int)(r % 101), NULL, actor, NULL)
                                             : drill_track_close(p, id, actor, NULL);
    case DRILL_STATUS_CANCELLED:
        return drill_track_reinstate(p, id, actor, "reopened");
    default:
        return 1; /* closed: nothing more to do */
    }
}

static int lib_writer(int k)
{
    char path[400], actor[32];
    snprintf(path, sizeof path, "%s/w%d.log", S.dir, k);
    snprintf(actor, sizeof actor, "lib%d", k);
    FILE *log = fopen(path, "w");
    if (!log)
        return 1;
    drill_store *s;
    if (drill_store_open(&s, S.store, NULL))
        return 2;
    unsigned r = 7919u * (unsigned)(k + 1);
    for (int i = 0; i < CHANGES; i++) {
        r = r * 1103515245u + 12345u;
        int h = (int)((r >> 8) % 30);
        world w = { 0 };
        int rc = drill_store_load_unit(&w.plan, &w.units, &w.rules, &w.campaigns, &w.cal, s, 2026, S.unit[h]);
        if (rc == 0)
            rc = drill_store_attach(s, w.plan);
        if (rc) {
            log_line(log, "ERR %d %s\n", rc, drill_error_last()->message);
            return 3;
        }
        rc = next_change(w.plan, S.hot[h], r >> 4, actor);
        if (rc == 0) {
            drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
            drill_audit_get(&e, w.plan, drill_audit_count(w.plan) - 1);
            log_line(log, "ACK %zu %s\n", e.seq, S.hot[h]);
        } else if (rc == DRILL_ECONFLICT) {
            log_line(log, "CONFLICT %s\n", S.hot[h]);
        } else if (rc < 0) {
            log_line(log, "ERR %d %s\n", rc, drill_error_last()->message);
            world_free(&w);
            drill_store_close(s);
            fclose(log);
            return 4;
        } else {
            log_line(log, "SKIP %s\n", S.hot[h]);
        }
        world_free(&w);
    }
    drill_store_close(s);
    fclose(log);
    return 0;
}

/* run drillctl, its output to /dev/null and its messages to err; its exit status */
static int run_drillctl(const char *drillctl, const char *actor, const char *const *args, const char *err)
{
    pid_t pid = fork();
    if (pid == 0) {
        const char *argv[16] = { drillctl, "--store", S.store, "--actor", actor };
        int n = 5;
        for (int i = 0; args[i] && n < 15; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        if (!freopen("/dev/null", "w", stdout) || !freopen(err, "w", stderr))
            _exit(126);
        execv(drillctl, (char *const *)argv);
        _exit(127);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* drillctl changes a drill: holds it, or cancels it; its changes counted by actor */
static int cli_writer(int k, const char *drillctl)
{
    char path[400], actor[32], date[16];
    snprintf(path, sizeof path, "%s/c%d.log", S.dir, k);
    snprintf(actor, sizeof actor, "cli%d", k);
    FILE *log = fopen(path, "w");
    if (!log)
        return 1;
    unsigned r = 104729u * (unsigned)(k + 1);
    for (int i = 0; i < CHANGES / 3; i++) {
        r = r * 1103515245u + 12345u;
        int h = 20 + (int)((r >> 8) % 20);
        snprintf(date, sizeof date, "2026-04-%02d", 1 + (int)(r % 28));
        const char *hold[] = { "record", S.hot[h], "--held", date, "--participants", "12", NULL };
        const char *cancel[] = { "cancel", S.hot[h], "--reason", "flooded", NULL };
        char err[400], msg[512] = "";
        snprintf(err, sizeof err, "%s/c%d.err", S.dir, k);
        int rc = run_drillctl(drillctl, actor, (r >> 4) % 4 == 0 ? cancel : hold, err);
        FILE *e = fopen(err, "r");
        if (e && !fgets(msg, sizeof msg, e))
            msg[0] = '\0';
        if (e)
            fclose(e);
        /* 0 done; 3 refused: changed by another writer, or a state that does not allow it */
        if (rc == 0)
            log_line(log, "ACK 0 %s\n", S.hot[h]);
        else if (rc == 3 && strstr(msg, "changed by another writer"))
            log_line(log, "CONFLICT %s\n", S.hot[h]);
        else if (rc == 3 && strstr(msg, "cannot go from"))
            log_line(log, "SKIP %s\n", S.hot[h]);
        else {
            log_line(log, "ERR exit %d: %s", rc, msg);
            return 5;
        }
    }
    fclose(log);
    return 0;
}

/* the status a drill's last state entry says, or -1 if it has none */
static int status_of_entry(const char *v)
{
    static const struct {
        const char *prefix;
        drill_status status;
    } map[] = { { "held", DRILL_STATUS_HELD },           { "evaluated", DRILL_STATUS_EVALUATED },
                { "closed", DRILL_STATUS_CLOSED },       { "cancelled", DRILL_STATUS_CANCELLED },
                { "planned", DRILL_STATUS_PLANNED } };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strncmp(v, map[i].prefix, strlen(map[i].prefix)) == 0)
            return (int)map[i].status;
    return -2;
}

static int reader(int k)
{
    char path[400];
    snprintf(path, sizeof path, "%s/r%d.log", S.dir, k);
    FILE *log = fopen(path, "w");
    drill_store_options o = DRILL_STORE_OPTIONS_INIT;
    o.read_only = 1;
    drill_store *s;
    if (!log || drill_store_open(&s, S.store, &o))
        return 1;
    unsigned r = 31u * (unsigned)(k + 1);
    int bad = 0;
    for (int i = 0; i < READS; i++) {
        r = r * 1103515245u + 12345u;
        world w = { 0 };
        if (drill_store_load_unit(&w.plan, &w.units, &w.rules, &w.campaigns, &w.cal, s, 2026,
                                  S.unit[(r >> 8) % HOT])) {
            log_line(log, "ERR %s\n", drill_error_last()->message);
            return 2;
        }
        for (size_t d = 0; d < drill_plan_count(w.plan); d++) {
            drill_item it = DRILL_ITEM_INIT;
            drill_plan_get(&it, w.plan, d);
            int want = -1;
            for (size_t a = drill_audit_count(w.plan); a-- > 0;) {
                drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
                drill_audit_get(&e, w.plan, a);
                if (strcmp(e.drill_id, it.id) == 0 && strcmp(e.field, "state") == 0) {
                    want = status_of_entry(e.new_value);
                    break;
                }
            }
            drill_track_info t = DRILL_TRACK_INFO_INIT;
            drill_track_get(&t, w.plan, it.id);
            int ok = want == -1 ? t.status <= DRILL_STATUS_SCHEDULED : (int)t.status == want;
            if (!ok) {
                log_line(log, "MISMATCH %s status %d, last entry says %d\n", it.id, (int)t.status, want);
                bad++;
            }
        }
        world_free(&w);
    }
    drill_store_close(s);
    fclose(log);
    return bad ? 6 : 0;
}

static void show_log(const char *name)
{
    char path[400], line[512];
    snprintf(path, sizeof path, "%s/%s", S.dir, name);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "ERR", 3) == 0 || strncmp(line, "MISMATCH", 8) == 0)
            printf("  %s: %s", name, line);
    if (f)
        fclose(f);
}

static void test_many_writers(void **state)
{
    (void)state;
    snprintf(S.dir, sizeof S.dir, "/tmp/drill-concurrency-XXXXXX");
    assert_non_null(mkdtemp(S.dir));
    if (S.pg)
        pg_store(getenv("DRILL_TEST_PG"));
    else
        snprintf(S.store, sizeof S.store, "%s/store.db", S.dir);
    make_store();
    const char *drillctl = getenv("DRILLCTL");
    int clis = drillctl && access(drillctl, X_OK) == 0 ? CLI_WRITERS : 0;
    if (!clis)
        printf("test_concurrency: DRILLCTL not given: library writers only\n");
    int gate[2];
    assert_int_equal(pipe(gate), 0);
    pid_t pids[LIB_WRITERS + CLI_WRITERS + READERS];
    int n = 0;
    for (int k = 0; k < LIB_WRITERS + clis + READERS; k++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            char go;
            close(gate[1]);
            if (read(gate[0], &go, 1) != 1) /* the start, for all at once */
                _exit(9);
            int rc = k < LIB_WRITERS ? lib_writer(k)
                     : k < LIB_WRITERS + clis ? cli_writer(k - LIB_WRITERS, drillctl)
                                               : reader(k - LIB_WRITERS - clis);
            _exit(rc);
        }
        pids[n++] = pid;
    }
    close(gate[0]);
    char go[LIB_WRITERS + CLI_WRITERS + READERS] = { 0 };
    assert_int_equal(write(gate[1], go, (size_t)n), n);
    close(gate[1]);
    int failed = 0;
    for (int k = 0; k < n; k++) {
        int st;
        assert_int_equal(waitpid(pids[k], &st, 0), pids[k]);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            printf("process %d ended with %d\n", k, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
            failed++;
        }
    }
    for (int k = 0; k < LIB_WRITERS; k++) {
        char name[32];
        snprintf(name, sizeof name, "w%d.log", k);
        show_log(name);
    }
    for (int k = 0; k < READERS; k++) {
        char name[32];
        snprintf(name, sizeof name, "r%d.log", k);
        show_log(name);
    }
    for (int k = 0; k < clis; k++) {
        char name[32];
        snprintf(name, sizeof name, "c%d.log", k);
        show_log(name);
    }
    assert_int_equal(failed, 0);

    /* the trail: 1..n, each acknowledged library change at its number, once */
    long long total = count_of("SELECT count(*) FROM audit WHERE year = 2026");
    assert_int_equal(count_of("SELECT count(DISTINCT seq) FROM audit WHERE year = 2026"), total);
    assert_int_equal(count_of("SELECT min(seq) FROM audit WHERE year = 2026"), 1);
    assert_int_equal(count_of("SELECT max(seq) FROM audit WHERE year = 2026"), total);
    long long acks = 0, conflicts = 0;
    for (int k = 0; k < LIB_WRITERS; k++) {
        char path[400], line[512], actor[32];
        snprintf(path, sizeof path, "%s/w%d.log", S.dir, k);
        snprintf(actor, sizeof actor, "lib%d", k);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        while (fgets(line, sizeof line, f)) {
            size_t seq;
            char id[DRILL_ID_MAX], sql[400];
            if (sscanf(line, "ACK %zu %127s", &seq, id) == 2) {
                assert_null(strchr(id, '\'')); /* ids this test made: no quote to escape */
                snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE year = 2026 AND seq = %zu AND"
                                          " drill_id = '%s' AND actor = '%s'", seq, id, actor);
                if (count_of(sql) != 1)
                    fail_msg("%s's change %zu of %s is not in the store once", actor, seq, id);
                acks++;
            } else if (strncmp(line, "CONFLICT", 8) == 0) {
                conflicts++;
            }
        }
        fclose(f);
    }
    /* drillctl's: as many entries by each as it acknowledged (a hold is one entry) */
    long long cli_acks = 0;
    for (int k = 0; k < clis; k++) {
        char path[400], line[512], sql[128];
        snprintf(path, sizeof path, "%s/c%d.log", S.dir, k);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        long long mine = 0;
        while (fgets(line, sizeof line, f)) {
            mine += strncmp(line, "ACK", 3) == 0;
            conflicts += strncmp(line, "CONFLICT", 8) == 0;
        }
        fclose(f);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE actor = 'cli%d'", k);
        assert_int_equal(count_of(sql), mine);
        cli_acks += mine;
    }
    /* nothing else was written, and nothing acknowledged was lost */
    assert_int_equal(total, acks + cli_acks);
    printf("test_concurrency: %lld changes acknowledged (%lld through drillctl), %lld refused as conflicts, "
           "%lld audit entries numbered 1..%lld%s\n", acks + cli_acks, cli_acks, conflicts, total, total,
           S.pg ? " (PostgreSQL)" : "");
    assert_true(acks > 0);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S.dir);
    assert_int_equal(system(cmd), 0);
}

int main(int argc, char **argv)
{
    const char *backend = argc > 1 ? argv[1] : getenv("DRILL_TEST_STORE");
    S.pg = backend && strcmp(backend, "postgresql") == 0;
    if (S.pg && !getenv("DRILL_TEST_PG")) {
        fprintf(stderr, "test_concurrency: the postgresql backend needs DRILL_TEST_PG (run under tests/pg_env.sh)\n");
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_writers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
