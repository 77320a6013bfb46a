/* make bench: the PostgreSQL store beside the SQLite one, and beside the
 * server's own ceiling measured in the same run.
 *
 *   bench_pg DIR [saves|writers]   (under tests/pg_env.sh, which exports
 *                                   DRILL_TEST_PG and DRILL_TEST_PG_BIN;
 *                                   one part only when named)
 *
 * 1. Saving the Dalian plan (20,737 units) and a 10 times Dalian plan into
 *    PostgreSQL (COPY) and into an SQLite file.
 * 2. One durable tracking change through the library: p50 and p99.
 * 3. 1, 4 and 8 writer processes changing distinct drills at once: total
 *    changes per second on each backend; beside them pgbench running a
 *    plain single-row UPDATE with as many clients, and the same plain
 *    UPDATE on an SQLite file (WAL, synchronous=FULL).
 *
 * 4. One change's rows alone (the drill, its tracking row, its audit entry,
 *    its counter rows) in one PL/pgSQL call run by pgbench at 8 clients:
 *    what the server spends on them, apart from the client, the round
 *    trips and the audit numbering, against the plain UPDATE; then without
 *    the counter rows, and without them but with the one write numbering
 *    cannot do without (the entry updated with its number).
 *
 * The writers share one plan (5,000 units), each changing drills of its
 * own (drill i goes to writer i mod W): every change takes the year's
 * audit numbering, so the writers meet where the store makes them meet.
 *
 * Figures and ratios, not assertions: nothing here fails on time. */
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <drill/drill.h>
#include "bench_util.h"

#define WRITER_UNITS 5000
#define CHANGES_PER_WRITER 600
#define LATENCY_CHANGES 400
#define PGBENCH_SECONDS 5

static const char *pg_server; /* conninfo without dbname */
static const char *dir;

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* a fresh database on the server; its conninfo in buf */
static void pg_fresh(char *buf, size_t size, const char *name)
{
    char conn[512], sql[256];
    snprintf(conn, sizeof conn, "%s dbname=postgres", pg_server);
    PGconn *c = PQconnectdb(conn);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "bench: %s\n", PQerrorMessage(c));
        exit(1);
    }
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    PQclear(PQexec(c, sql));
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fprintf(stderr, "bench: %s: %s\n", sql, PQerrorMessage(c));
        exit(1);
    }
    PQclear(r);
    PQfinish(c);
    snprintf(buf, size, "%s dbname=%s", pg_server, name);
}

static void file_fresh(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s.db", dir, name);
    remove_store(buf);
}

static void fresh(char *buf, size_t size, int pg, const char *name)
{
    if (pg)
        pg_fresh(buf, size, name);
    else
        file_fresh(buf, size, name);
}

static void make_world(world *w, size_t units, int year)
{
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = units;
    g.blackout_year = 2026;
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = year;
    po.allow_uncovered = 1;
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.capacity = bench_capacity(units);
    so.today = (drill_date){ year - 1, 12, 1 }; /* the whole year ahead, whatever the real date */
    world_registries(w, &g);
    if (drill_calendar_set_policy(w->cal, DRILL_UNCOVERED_WEEKENDS))
        die("setup");
    world_plan(w, &po, &so);
}

/* the next scheduled drill from *i on whose index is k modulo w, held */
static double hold_next_of(drill_plan *plan, size_t *i, size_t k, size_t w)
{
    for (; *i < drill_plan_count(plan); (*i)++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, plan, *i);
        if (*i % w != k || it.status != DRILL_STATUS_SCHEDULED)
            continue;
        drill_outcome o = DRILL_OUTCOME_INIT;
        o.date = it.date;
        o.start_minute = it.start_minute;
        o.end_minute = it.start_minute + 60;
        double a = now();
        int rc = drill_track_hold(plan, it.id, &o, "bench", NULL);
        (*i)++;
        return rc ? -1 : (now() - a) * 1e3;
    }
    fprintf(stderr, "bench: no scheduled drill left\n");
    exit(1);
}

static double hold_next(drill_plan *plan, size_t *i)
{
    return hold_next_of(plan, i, 0, 1);
}

/* ---- 1 and 2: a save, and one change ---- */

typedef struct save_result {
    size_t drills;
    double save_s, p50_ms, p99_ms;
} save_result;

typedef struct save_args {
    size_t units;
    int pg, changes;
} save_args;

static void run_save(void *out, const void *arg)
{
    const save_args *a = arg;
    save_result *r = out;
    world w;
    make_world(&w, a->units, 2026);
    char name[600];
    fresh(name, sizeof name, a->pg, "bench_save");
    drill_store *s;
    if (drill_store_open(&s, name, NULL))
        die("open");
    r->drills = drill_plan_count(w.plan);
    double t0 = now();
    if (drill_store_save(s, w.plan))
        die("save");
    r->save_s = now() - t0;
    if (a->changes) {
        double *lat = calloc((size_t)a->changes, sizeof *lat);
        size_t i = 0;
        if (!lat || drill_store_attach(s, w.plan))
            die("attach");
        for (int k = 0; k < a->changes; k++)
            if ((lat[k] = hold_next(w.plan, &i)) < 0)
                die("hold");
        qsort(lat, (size_t)a->changes, sizeof *lat, by_double);
        r->p50_ms = lat[a->changes / 2];
        r->p99_ms = lat[a->changes * 99 / 100];
        free(lat);
    }
    drill_store_close(s);
    world_free(&w);
}

/* ---- 3: writers at once ---- */

/* a store holding the writers' plan (2030) */
static void prepare_writers(const char *name)
{
    drill_store *s;
    world w;
    make_world(&w, WRITER_UNITS, 2030);
    if (drill_store_open(&s, name, NULL) || drill_store_save(s, w.plan))
        die("save the writers' plan");
    world_free(&w);
    drill_store_close(s);
}

/* W processes: each loads its plan and says so, waits for the start, tries
 * CHANGES_PER_WRITER changes; the time from the start to the last one's
 * end, and in *out_done the changes made (a change the store refused, as
 * SQLite's busy timeout does under load, is counted in *out_refused) */
static double run_writers(const char *name, int writers, int *out_done, int *out_refused)
{
    int ready[2], go[2], counts[2];
    fflush(stdout);
    if (pipe(ready) || pipe(go) || pipe(counts))
        die("pipe");
    pid_t pids[8];
    for (int k = 0; k < writers; k++) {
        pids[k] = fork();
        if (pids[k] < 0)
            die("fork");
        if (pids[k] == 0) {
            close(ready[0]);
            close(go[1]);
            drill_store *s;
            drill_plan *p;
            drill_units *u;
            drill_rules *r;
            drill_campaigns *c;
            drill_calendar *cal;
            if (drill_store_open(&s, name, NULL) || drill_store_load(&p, &u, &r, &c, &cal, s, 2030) ||
                drill_store_attach(s, p))
                die("a writer's set-up");
            char byte = 'r';
            if (write(ready[1], &byte, 1) != 1 || read(go[0], &byte, 1) != 0) /* go: the pipe closes */
                _exit(2);
            size_t i = 0;
            int done[2] = { 0, 0 };
            for (int n = 0; n < CHANGES_PER_WRITER; n++)
                done[hold_next_of(p, &i, (size_t)k, (size_t)writers) < 0]++;
            drill_store_close(s);
            _exit(write(counts[1], done, sizeof done) == sizeof done ? 0 : 2);
        }
    }
    close(ready[1]);
    close(go[0]);
    close(counts[1]);
    char byte;
    for (int k = 0; k < writers; k++)
        if (read(ready[0], &byte, 1) != 1)
            die("a writer did not start");
    close(ready[0]);
    double t0 = now();
    close(go[1]);
    wait_children(pids, writers, "a writer");
    double t = now() - t0;
    *out_done = *out_refused = 0;
    int done[2];
    while (read(counts[0], done, sizeof done) == sizeof done) {
        *out_done += done[0];
        *out_refused += done[1];
    }
    close(counts[0]);
    return t;
}

/* the plain single-row UPDATE on an SQLite file (WAL, synchronous=FULL), W processes */
static double sqlite_ceiling(int writers, int per_writer)
{
    fflush(stdout);
    char path[600];
    file_fresh(path, sizeof path, "bench_ceiling");
    sqlite3 *db;
    if (sqlite3_open(path, &db) ||
        sqlite3_exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER);"
                         "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 100000)"
                         " INSERT INTO t SELECT i, 0 FROM k;", NULL, NULL, NULL))
        die("sqlite ceiling set-up");
    sqlite3_close(db);
    int go[2];
    if (pipe(go))
        die("pipe");
    pid_t pids[8];
    for (int k = 0; k < writers; k++) {
        if ((pids[k] = fork()) == 0) {
            close(go[1]);
            sqlite3 *h;
            sqlite3_stmt *st;
            char byte;
            if (sqlite3_open(path, &h) || sqlite3_busy_timeout(h, 10000) ||
                sqlite3_exec(h, "PRAGMA synchronous = FULL", NULL, NULL, NULL) ||
                sqlite3_prepare_v2(h, "UPDATE t SET n = n + 1 WHERE id = ?", -1, &st, NULL) ||
                read(go[0], &byte, 1) != 0)
                _exit(2);
            for (int n = 0; n < per_writer; n++) {
                sqlite3_bind_int(st, 1, 1 + (k * per_writer + n) % 100000);
                int rc;
                /* a busy timeout that runs out under load: that transaction again */
                while ((rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL)) == SQLITE_BUSY)
                    ;
                if (rc || sqlite3_step(st) != SQLITE_DONE || sqlite3_exec(h, "COMMIT", NULL, NULL, NULL))
                    _exit(3);
                sqlite3_reset(st);
            }
            sqlite3_finalize(st);
            sqlite3_close(h);
            _exit(0);
        }
    }
    close(go[0]);
    double t0 = now();
    close(go[1]);
    wait_children(pids, writers, "an SQLite ceiling writer");
    return writers * per_writer / (now() - t0);
}

/* pgbench's transactions per second for a plain single-row UPDATE */
/* pgbench running a one-transaction script with as many clients, for
 * PGBENCH_SECONDS: transactions a second */
static double pgbench_script(const char *conn, int clients, const char *body)
{
    const char *bin = getenv("DRILL_TEST_PG_BIN");
    char script[600], cmd[2048], line[512];
    snprintf(script, sizeof script, "%s/bench_pg_script.sql", dir);
    FILE *f = fopen(script, "w");
    if (!f || fputs(body, f) < 0 || fclose(f) != 0)
        die("the pgbench script");
    /* conn is "host=H port=P user=U dbname=D": pgbench takes the conninfo as its dbname */
    snprintf(cmd, sizeof cmd, "%s/pgbench -n -M prepared -c %d -j %d -T %d -f %s '%s' 2>&1", bin ? bin : "/usr/bin",
             clients, clients, PGBENCH_SECONDS, script, conn);
    FILE *p = popen(cmd, "r");
    double tps = -1;
    while (p && fgets(line, sizeof line, p))
        if (strncmp(line, "tps = ", 6) == 0)
            tps = atof(line + 6);
    if (!p || pclose(p) != 0 || tps < 0) {
        fprintf(stderr, "bench: %s failed\n", cmd);
        exit(1);
    }
    return tps;
}

/* the server's ceiling: a plain single-row UPDATE */
static double pgbench(const char *conn, int clients)
{
    return pgbench_script(conn, clients,
                          "\\set aid random(1, 100000)\n"
                          "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n");
}

/* What one change's rows cost the server, apart from the client, the round
 * trips and the audit numbering's lock: a PL/pgSQL function (the bench's
 * own, in the writers' database, the plan saved afresh) that, in one call
 * and one transaction, reads a scheduled drill, moves its state, upserts
 * its tracking row, clears its actions, writes its audit entry unnumbered,
 * with numbered updates the entry with a number (the second write of an
 * entry numbered after its commit) and, with counters, moves its five
 * groupings' counter rows as a tracking change does; run by pgbench
 * itself. A bound on any design that keeps those rows with every change. */
static double change_rows_alone(int clients, int counters, int numbered)
{
    char conn[600];
    fresh(conn, sizeof conn, 1, "bench_writers");
    prepare_writers(conn);
    PGconn *c = PQconnectdb(conn);
    static const char *const setup[] = {
        "SET client_min_messages = warning",
        "CREATE TABLE bench_ids AS SELECT row_number() OVER (ORDER BY id) AS i, id, campaign, district, class,"
        " tier, rule_id, coalesce(win_end, '') AS win_end FROM drills WHERE status = 1",
        "CREATE UNIQUE INDEX ON bench_ids(i)",
        "CREATE OR REPLACE FUNCTION bench_change(k bigint, counters boolean, numbered boolean) RETURNS void"
        " LANGUAGE plpgsql AS $$ DECLARE d bench_ids; s bigint; a bigint; BEGIN"
        " SELECT * INTO d FROM bench_ids WHERE i = k;"
        " SELECT status INTO s FROM drills WHERE id = d.id;"
        " UPDATE drills SET status = 3 - s, revision = revision + 1 WHERE id = d.id;"
        " INSERT INTO tracks(drill_id, year, status, has_outcome) VALUES(d.id, 2030, 3 - s, 1)"
        "  ON CONFLICT(drill_id) DO UPDATE SET status = excluded.status;"
        " DELETE FROM actions WHERE drill_id = d.id;"
        " INSERT INTO audit(year, time, actor, drill_id, field, old_value, new_value)"
        "  VALUES(2030, '2030-01-01T00:00:00Z', 'bench', d.id, 'state', 'scheduled', 'held') RETURNING id INTO a;"
        " IF numbered THEN" /* the numbering's own write: the entry updated with its number (no lock here) */
        "  UPDATE audit SET seq = -a WHERE id = a;"
        " END IF;"
        " IF counters THEN"
        "  INSERT INTO drill_counts AS c(year, \"grouping\", grp, status, win_end, credit, ord, n, slot)"
        "  SELECT 2030, g, grp, st, d.win_end, 0, 2147483647, dn, pg_backend_pid() % 64" /* store_pg.c's slots */
        "  FROM (VALUES (0, d.campaign), (1, d.district), (2, d.class), (3, d.tier), (4, d.rule_id)) x(g, grp),"
        "  (VALUES (s, -1), (3 - s, 1)) y(st, dn) WHERE grp IS NOT NULL ORDER BY 1, 2, 3, 4"
        "  ON CONFLICT(year, \"grouping\", grp, status, win_end, credit, slot) DO UPDATE SET n = c.n + excluded.n;"
        " END IF; END $$",
    };
    for (size_t i = 0; i < sizeof setup / sizeof *setup && PQstatus(c) == CONNECTION_OK; i++) {
        PGresult *r = PQexec(c, setup[i]);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
            fprintf(stderr, "bench: %s", PQerrorMessage(c));
            exit(1);
        }
        PQclear(r);
    }
    PQfinish(c);
    char body[200];
    /* the first 5,000 of the plan's scheduled drills (it has about five a unit) */
    snprintf(body, sizeof body, "\\set k random(1, %d)\nSELECT bench_change(:k, %s, %s);\n", WRITER_UNITS,
             counters ? "true" : "false", numbered ? "true" : "false");
    return pgbench_script(conn, clients, body);
}

static void pgbench_init(const char *conn)
{
    const char *bin = getenv("DRILL_TEST_PG_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/pgbench -i -q -s 1 '%s' >/dev/null 2>&1", bin ? bin : "/usr/bin", conn);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench: %s failed\n", cmd);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    dir = argc > 1 ? argv[1] : "build/bench";
    pg_server = getenv("DRILL_TEST_PG");
    if (!pg_server) {
        fprintf(stderr, "bench_pg: no PostgreSQL server (run under tests/pg_env.sh)\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    printf("libdrill %s: the PostgreSQL store (libpq %d) beside the SQLite file in %s\n", drill_version_string(),
           PQlibVersion(), dir);

    const char *part = argc > 2 ? argv[2] : "";
    int saves = strcmp(part, "writers") != 0, writers = strcmp(part, "saves") != 0;
    /* 1 and 2 */
    static const size_t sizes[] = { 20737, 207370 };
    save_result res[2][2];
    memset(res, 0, sizeof res);
    for (int z = 0; saves && z < 2; z++)
        for (int pg = 0; pg < 2; pg++) {
            save_args a = { sizes[z], pg, z == 0 ? LATENCY_CHANGES : 0 };
            char what[64];
            snprintf(what, sizeof what, "the %zu-unit save on %s", sizes[z], pg ? "PostgreSQL" : "SQLite");
            fflush(stdout);
            in_child(&res[z][pg], sizeof res[z][pg], run_save, &a, what);
            printf("save %-16s %7zu units %9zu drills  %-10s %7.0f ms  (%8.0f drill rows/s)\n",
                   z ? "10 x Dalian" : "Dalian", sizes[z], res[z][pg].drills, pg ? "PostgreSQL" : "SQLite",
                   res[z][pg].save_s * 1e3, res[z][pg].drills / res[z][pg].save_s);
        }
    for (int pg = 0; saves && pg < 2; pg++)
        printf("one durable tracking change, %-10s p50 %.2f ms, p99 %.2f ms (%d changes, Dalian)\n",
               pg ? "PostgreSQL" : "SQLite", res[0][pg].p50_ms, res[0][pg].p99_ms, LATENCY_CHANGES);

    /* 3 */
    static const int counts[] = { 1, 4, 8 };
    double lib[2][3], ceiling[2][3];
    int refused[2][3];
    if (!writers)
        return 0;
    char name[600], bench_db[600];
    fflush(stdout);
    pg_fresh(bench_db, sizeof bench_db, "bench_pgbench");
    pgbench_init(bench_db);
    for (int pg = 0; pg < 2; pg++) {
        for (int k = 0; k < 3; k++) {
            fresh(name, sizeof name, pg, "bench_writers"); /* every run on the plan as saved */
            prepare_writers(name);
            int done;
            double t = run_writers(name, counts[k], &done, &refused[pg][k]);
            lib[pg][k] = done / t;
            ceiling[pg][k] = pg ? pgbench(bench_db, counts[k]) : sqlite_ceiling(counts[k], 2000);
        }
    }
    printf("\nwriters at once on distinct drills, total changes per second:\n");
    printf("%-8s %16s %24s %16s %24s\n", "writers", "libdrill on PG", "pgbench plain UPDATE", "libdrill SQLite",
           "SQLite plain UPDATE");
    for (int k = 0; k < 3; k++) {
        printf("%-8d %16.0f %17.0f (%3.0f%%) %16.0f %17.0f (%3.0f%%)\n", counts[k], lib[1][k], ceiling[1][k],
               100 * lib[1][k] / ceiling[1][k], lib[0][k], ceiling[0][k], 100 * lib[0][k] / ceiling[0][k]);
        for (int pg = 0; pg < 2; pg++)
            if (refused[pg][k])
                printf("         (%s, %d writers: %d of %d changes refused, e.g. a busy timeout)\n",
                       pg ? "PostgreSQL" : "SQLite", counts[k], refused[pg][k], counts[k] * CHANGES_PER_WRITER);
    }

    /* 4: the bound of the rows alone, at 8 clients */
    double rows = change_rows_alone(8, 1, 0), bare = change_rows_alone(8, 0, 0), numbered = change_rows_alone(8, 0, 1);
    printf("\none change's rows alone in one PL/pgSQL call, pgbench at 8 clients (no client, no round trips,\n"
           "no numbering): %.0f a second, %.0f%% of the plain UPDATE; without the counter rows %.0f, %.0f%%;\n"
           "without the counter rows but with the numbering's update of the entry (no lock): %.0f, %.0f%%\n",
           rows, 100 * rows / ceiling[1][2], bare, 100 * bare / ceiling[1][2], numbered,
           100 * numbered / ceiling[1][2]);

    printf("\ntargets (figures, not assertions):\n");
    printf("  PostgreSQL: 8 writers at least 1.8 x 1 writer:        %.2f x  %s\n", lib[1][2] / lib[1][0],
           lib[1][2] >= 1.8 * lib[1][0] ? "met" : "NOT MET");
    printf("  PostgreSQL: 8 writers at least 40%% of pgbench's rate: %.0f%%  %s\n", 100 * lib[1][2] / ceiling[1][2],
           lib[1][2] >= 0.4 * ceiling[1][2] ? "met" : "NOT MET");
    if (saves) {
        printf("  PostgreSQL: one change p50 under 2 ms:               %.2f ms  %s\n", res[0][1].p50_ms,
               res[0][1].p50_ms < 2 ? "met" : "NOT MET");
        printf("  PostgreSQL: 10 x Dalian saved in under 10 s:         %.1f s  %s\n", res[1][1].save_s,
               res[1][1].save_s < 10 ? "met" : "NOT MET");
        printf("  (SQLite beside it: 10 x Dalian saved in %.1f s; PostgreSQL / SQLite save time %.2f)\n",
               res[1][0].save_s, res[1][1].save_s / res[1][0].save_s);
    }
    file_fresh(name, sizeof name, "bench_writers");
    file_fresh(name, sizeof name, "bench_ceiling");
    file_fresh(name, sizeof name, "bench_save");
    return 0;
}
