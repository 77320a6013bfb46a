/* make bench: the store as a system of record, on Dalian (20,737 units)
 * and on ten times Dalian (207,370 units). Beside each figure, the
 * machine's ceiling measured in the same run: a plain single-row SQLite
 * update transaction (WAL, synchronous=FULL) in the same folder.
 *
 *  - one durable tracking change through the library: a program holding
 *    the plan attached (a service), and a fresh one that reads the drill's
 *    unit by index first (drill_store_load_unit), p50 and p99;
 *  - one show through the library (the unit read by index) and one
 *    drillctl show and record (a whole process each), p50 and p99;
 *  - 8 writer processes changing distinct drills at once: changes a second
 *    in total, against the ceiling measured again just before them.
 *
 * Figures, not assertions. Usage: bench_sor DIR DRILLCTL [SCALE...] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <drill/drill.h>
#include "bench_util.h"

#define SAMPLES 400
#define CLI_SAMPLES 60
#define WRITERS 8
#define PER_WRITER 150

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct stat2 {
    double p50, p99;
} stat2;

static stat2 percentiles(double *ms, int n)
{
    qsort(ms, (size_t)n, sizeof *ms, by_double);
    stat2 s = { ms[n / 2], ms[n * 99 / 100] };
    return s;
}

/* the ceiling: plain single-row update transactions, one process */
static stat2 ceiling(const char *dir, double *out_rate)
{
    char path[600];
    snprintf(path, sizeof path, "%s/bench-ceiling.db", dir);
    remove_store(path);
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                         "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER);"
                         "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000)"
                         " INSERT INTO t SELECT x, 0 FROM c;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "UPDATE t SET v = v + 1 WHERE id = ?1", -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench: ceiling: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    double ms[SAMPLES * 4];
    double t0 = now();
    for (int i = 0; i < SAMPLES * 4; i++) {
        double a = now();
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_int(st, 1, 1 + (i * 7919) % 10000);
        sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        ms[i] = (now() - a) * 1e3;
    }
    *out_rate = SAMPLES * 4 / (now() - t0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    remove_store(path);
    return percentiles(ms, SAMPLES * 4);
}

/* the store of a city of count units, planned for 2026 (working registries too, for drillctl) */
static void make_store(const char *path, size_t count, size_t *out_drills, double *out_save_s)
{
    world w;
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = count;
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = 2026;
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.capacity = bench_capacity(count);
    world_registries(&w, &g);
    world_plan(&w, &po, &so);
    remove_store(path);
    drill_store *s;
    double t0 = now();
    if (drill_store_open(&s, path, NULL) || drill_store_save(s, w.plan) ||
        drill_store_save_registries(s, w.units, w.rules, w.campaigns, w.cal))
        die("save");
    *out_save_s = now() - t0;
    *out_drills = drill_plan_count(w.plan);
    drill_store_close(s);
    world_free(&w);
}

/* the ids of scheduled drills, every step-th, of a stored plan */
static char (*scheduled_ids(const char *path, int want, int step, int *out_n))[DRILL_ID_MAX]
{
    world w;
    drill_store *s;
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    if (drill_store_open(&s, path, &ro) || drill_store_load(&w.plan, &w.units, &w.rules, &w.campaigns, &w.cal, s, 2026))
        die("load");
    char(*ids)[DRILL_ID_MAX] = calloc((size_t)want, DRILL_ID_MAX);
    int n = 0;
    for (size_t i = 0; i < drill_plan_count(w.plan) && n < want; i += (size_t)step) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, w.plan, i);
        if (it.status == DRILL_STATUS_SCHEDULED)
            snprintf(ids[n++], DRILL_ID_MAX, "%s", it.id);
    }
    world_free(&w);
    drill_store_close(s);
    *out_n = n;
    return ids;
}

static void unit_of(char *out, const char *id)
{
    const char *period = strrchr(id, '/'), *rule = period;
    while (rule > id && rule[-1] != '/')
        rule--;
    memcpy(out, id, (size_t)(rule - 1 - id));
    out[rule - 1 - id] = '\0';
}

static int hold_in(drill_plan *p, const char *id)
{
    size_t k;
    drill_item it = DRILL_ITEM_INIT;
    if (drill_plan_find(&k, p, id))
        return -1;
    drill_plan_get(&it, p, k);
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = it.date;
    o.start_minute = 540;
    o.end_minute = 600;
    return drill_track_hold(p, id, &o, "bench", NULL);
}

/* a fresh program's change: the unit by index, attached, held */
static int point_change(drill_store *s, const char *id)
{
    world w;
    char unit[DRILL_ID_MAX];
    unit_of(unit, id);
    int rc = drill_store_load_unit(&w.plan, &w.units, &w.rules, &w.campaigns, &w.cal, s, 2026, unit);
    if (rc == 0 && (rc = drill_store_attach(s, w.plan)) == 0)
        rc = hold_in(w.plan, id);
    if (rc == 0 || rc == DRILL_ESTATE)
        world_free(&w);
    return rc;
}

static double run_cli(const char *drillctl, const char *store, const char *const *args)
{
    double a = now();
    fflush(stdout); /* or the child's freopen() writes what stdout holds again */
    pid_t pid = fork();
    if (pid == 0) {
        const char *argv[12] = { drillctl, "--store", store };
        int n = 3;
        for (int i = 0; args[i]; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        if (!freopen("/dev/null", "w", stdout))
            _exit(126);
        execv(drillctl, (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench: drillctl %s %s failed\n", args[0], args[1]);
        exit(1);
    }
    return (now() - a) * 1e3;
}

/* 8 processes, each changing its own drills (its units read once, then attached in turn) */
static double writers(const char *path, char (*ids)[DRILL_ID_MAX], int n)
{
    int per = n / WRITERS < PER_WRITER ? n / WRITERS : PER_WRITER;
    int gate[2], ready[2];
    if (pipe(gate) || pipe(ready))
        exit(1);
    pid_t pids[WRITERS];
    fflush(stdout);
    for (int k = 0; k < WRITERS; k++) {
        if ((pids[k] = fork()) == 0) {
            close(gate[1]);
            close(ready[0]);
            drill_store *s;
            if (drill_store_open(&s, path, NULL))
                die("writer open");
            world *w = calloc((size_t)per, sizeof *w);
            for (int i = 0; i < per; i++) {
                char unit[DRILL_ID_MAX];
                unit_of(unit, ids[k * per + i]);
                if (drill_store_load_unit(&w[i].plan, &w[i].units, &w[i].rules, &w[i].campaigns, &w[i].cal, s, 2026,
                                          unit))
                    die("writer load");
            }
            char go = 1; /* its units are read: the clock may start */
            if (write(ready[1], &go, 1) != 1 || read(gate[0], &go, 1) != 1)
                _exit(2);
            for (int i = 0; i < per; i++)
                if (drill_store_attach(s, w[i].plan) || hold_in(w[i].plan, ids[k * per + i]))
                    die("writer change");
            _exit(0);
        }
    }
    close(gate[0]);
    close(ready[1]);
    char go[WRITERS] = { 0 };
    for (int k = 0; k < WRITERS; k++) /* every writer has read its units */
        if (read(ready[0], go, 1) != 1)
            die("a writer process failed before the start");
    double t0 = now();
    if (write(gate[1], go, WRITERS) != WRITERS)
        exit(1);
    close(gate[1]);
    for (int k = 0; k < WRITERS; k++) {
        int st;
        waitpid(pids[k], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            die("a writer process failed");
    }
    return WRITERS * per / (now() - t0);
}

static void measure(const char *dir, const char *drillctl, size_t units, double ceiling_p50, double ceiling_rate)
{
    char path[600];
    snprintf(path, sizeof path, "%s/bench-sor.db", dir);
    size_t drills;
    double save_s;
    make_store(path, units, &drills, &save_s);
    int n;
    char(*ids)[DRILL_ID_MAX] = scheduled_ids(path, 2 * SAMPLES + 2 * CLI_SAMPLES + WRITERS * PER_WRITER,
                                             (int)(drills / (2 * SAMPLES + 2 * CLI_SAMPLES + WRITERS * PER_WRITER) / 2 + 1),
                                             &n);
    if (n < 2 * SAMPLES + 2 * CLI_SAMPLES + WRITERS * 20)
        die("too few scheduled drills");
    printf("%zu units, %zu drills (saved in %.1f s)\n", units, drills, save_s);
    drill_store *s;
    if (drill_store_open(&s, path, NULL))
        die("open");
    double ms[SAMPLES];
    int used = 0;
    /* a service: the whole plan loaded and attached */
    world w;
    double t0 = now();
    if (drill_store_load(&w.plan, &w.units, &w.rules, &w.campaigns, &w.cal, s, 2026) || drill_store_attach(s, w.plan))
        die("load");
    double load_s = now() - t0;
    for (int i = 0; i < SAMPLES; i++) {
        double a = now();
        if (hold_in(w.plan, ids[used++]))
            die("hold");
        ms[i] = (now() - a) * 1e3;
    }
    stat2 held = percentiles(ms, SAMPLES);
    world_free(&w);
    /* a fresh program: the unit by index, then the change */
    for (int i = 0; i < SAMPLES; i++) {
        double a = now();
        if (point_change(s, ids[used++]))
            die("point change");
        ms[i] = (now() - a) * 1e3;
    }
    stat2 point = percentiles(ms, SAMPLES);
    /* one show through the library: the unit read by index */
    for (int i = 0; i < SAMPLES; i++) {
        char unit[DRILL_ID_MAX];
        unit_of(unit, ids[i]);
        double a = now();
        if (drill_store_load_unit(&w.plan, &w.units, &w.rules, &w.campaigns, &w.cal, s, 2026, unit))
            die("show");
        drill_track_info t = DRILL_TRACK_INFO_INIT;
        drill_track_get(&t, w.plan, ids[i]);
        world_free(&w);
        ms[i] = (now() - a) * 1e3;
    }
    stat2 show = percentiles(ms, SAMPLES);
    drill_store_close(s);
    /* drillctl, a whole process each */
    double cms[CLI_SAMPLES];
    for (int i = 0; i < CLI_SAMPLES; i++)
        cms[i] = run_cli(drillctl, path, (const char *const[]){ "show", ids[i], NULL });
    stat2 cshow = percentiles(cms, CLI_SAMPLES);
    for (int i = 0; i < CLI_SAMPLES; i++)
        cms[i] = run_cli(drillctl, path, (const char *const[]){ "record", ids[used++], "--held", "2026-06-02", NULL });
    stat2 crecord = percentiles(cms, CLI_SAMPLES);
    for (int i = 0; i < 5; i++)
        cms[i] = run_cli(drillctl, path, (const char *const[]){ "--version", NULL, NULL });
    stat2 start = percentiles(cms, 5);
    for (int i = 0; i < CLI_SAMPLES; i++) {
        char unit[DRILL_ID_MAX];
        unit_of(unit, ids[i]);
        cms[i] = run_cli(drillctl, path, (const char *const[]){ "drills", "--unit", unit, NULL });
    }
    stat2 cdrills = percentiles(cms, CLI_SAMPLES);
    t0 = now();
    run_cli(drillctl, path, (const char *const[]){ "report", "coverage", "--today", "2026-07-01", NULL });
    double report_ms = (now() - t0) * 1e3;
    t0 = now();
    run_cli(drillctl, path, (const char *const[]){ "report", "reminders", "--today", "2026-03-02", NULL });
    double reminders_ms = (now() - t0) * 1e3;
    /* the writers against the ceiling measured just before them: the disk's
     * sync time drifts over a run by a third on a shared machine */
    double ceiling_now;
    ceiling(dir, &ceiling_now);
    double rate = writers(path, ids + used, n - used);
    printf("  whole plan loaded once (a service)     %8.0f ms\n", load_s * 1e3);
    printf("  one change, plan attached (service)    p50 %6.3f ms  p99 %6.3f ms  (x%.1f the ceiling's p50)\n",
           held.p50, held.p99, held.p50 / ceiling_p50);
    printf("  one change, unit read first            p50 %6.3f ms  p99 %6.3f ms  (x%.1f the ceiling's p50)\n",
           point.p50, point.p99, point.p50 / ceiling_p50);
    printf("  one show, unit read by index           p50 %6.3f ms  p99 %6.3f ms\n", show.p50, show.p99);
    printf("  drillctl show                          p50 %6.1f ms  p99 %6.1f ms  (drillctl --version %.1f ms)\n",
           cshow.p50, cshow.p99, start.p50);
    printf("  drillctl record                        p50 %6.1f ms  p99 %6.1f ms\n", crecord.p50, crecord.p99);
    printf("  drillctl drills --unit                 p50 %6.1f ms  p99 %6.1f ms\n", cdrills.p50, cdrills.p99);
    printf("  drillctl report coverage               %8.0f ms (the store's counts)\n", report_ms);
    printf("  drillctl report reminders              %8.0f ms (as of March 2: the next 14 days' drills, by index)\n", reminders_ms);
    printf("  %d writer processes, distinct drills    %8.0f changes/s  (%.0f%% of the ceiling's %.0f/s measured just"
           " before; %.0f%% of the first)\n", WRITERS, rate, 100 * rate / ceiling_now, ceiling_now,
           100 * rate / ceiling_rate);
    free(ids);
    remove_store(path);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_sor DIR DRILLCTL [UNITS...]\n");
        return 2;
    }
    const char *dir = argv[1], *drillctl = argv[2];
    double rate;
    stat2 c = ceiling(dir, &rate);
    printf("libdrill %s: the store as a system of record, in %s\n", drill_version_string(), dir);
    printf("ceiling: a plain single-row SQLite update transaction (WAL, synchronous=FULL): p50 %.3f ms, p99 %.3f ms, "
           "%.0f a second\n\n", c.p50, c.p99, rate);
    if (argc == 3) {
        measure(dir, drillctl, 20737, c.p50, rate);
        measure(dir, drillctl, 207370, c.p50, rate);
    }
    for (int i = 3; i < argc; i++)
        measure(dir, drillctl, (size_t)strtoul(argv[i], NULL, 10), c.p50, rate);
    printf("\ntargets (figures, not assertions): a change through the library p50 under 1 ms and within x5 the\n"
           "ceiling; a drillctl command under 20 ms at both sizes; flat in size; the coverage report under\n"
           "100 ms at ten times Dalian; %d writers at least 50%% of the ceiling's rate\n", WRITERS);
    return 0;
}
