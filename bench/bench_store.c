/* make bench: the store. Saving and loading the Dalian plan and a plan of
 * about 1,000,000 drills (rows/s, peak memory), and the latency of one
 * durable tracking update. Figures, not assertions. Each size runs in its
 * own process so that its peak memory is its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <drill/drill.h>
#include "bench_util.h"

typedef struct result {
    size_t units, drills;
    double save_s, load_s, update_median_ms, update_p99_ms;
    long peak_kib;
} result;

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static result run(size_t count, const char *path, int updates)
{
    result r;
    memset(&r, 0, sizeof r);
    world w;
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = count;
    g.blackout_year = 2026;
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = 2026;
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.capacity = bench_capacity(count);
    world_registries(&w, &g);
    world_plan(&w, &po, &so);
    r.units = count;
    r.drills = drill_plan_count(w.plan);
    remove_store(path);
    drill_store *s;
    if (drill_store_open(&s, path, NULL))
        die("open");
    double t0 = now();
    if (drill_store_save(s, w.plan))
        die("save");
    r.save_s = now() - t0;
    world w2;
    t0 = now();
    if (drill_store_load(&w2.plan, &w2.units, &w2.rules, &w2.campaigns, &w2.cal, s, 2026))
        die("load");
    r.load_s = now() - t0;
    if (drill_plan_count(w2.plan) != r.drills)
        die("load count");
    world_free(&w2);
    if (updates) {
        if (drill_store_attach(s, w.plan))
            die("attach");
        double *lat = calloc((size_t)updates, sizeof *lat);
        int done = 0;
        for (size_t i = 0; i < drill_plan_count(w.plan) && done < updates; i++) {
            drill_item it = DRILL_ITEM_INIT;
            drill_plan_get(&it, w.plan, i);
            if (it.status != DRILL_STATUS_SCHEDULED)
                continue;
            drill_outcome o = DRILL_OUTCOME_INIT;
            o.date = it.date;
            o.start_minute = it.start_minute;
            o.end_minute = it.start_minute + 60;
            double a = now();
            if (drill_track_hold(w.plan, it.id, &o, "bench", NULL))
                die("hold");
            lat[done++] = (now() - a) * 1e3;
        }
        qsort(lat, (size_t)done, sizeof *lat, by_double);
        r.update_median_ms = lat[done / 2];
        r.update_p99_ms = lat[done * 99 / 100];
        free(lat);
    }
    drill_store_close(s);
    r.peak_kib = peak_kib();
    world_free(&w);
    remove_store(path);
    return r;
}

typedef struct size_args {
    size_t count;
    const char *path;
    int updates;
} size_args;

static void run_size(void *out, const void *arg)
{
    const size_args *a = arg;
    *(result *)out = run(a->count, a->path, a->updates);
}

/* run one size in a child (bench_util.h) */
static result measure(size_t count, const char *path, int updates)
{
    size_args a = { count, path, updates };
    result r;
    char what[64];
    memset(&r, 0, sizeof r);
    snprintf(what, sizeof what, "the %zu-unit run", count);
    in_child(&r, sizeof r, run_size, &a, what);
    return r;
}

static void print(const char *label, const result *r)
{
    printf("%-14s %8zu units %9zu drills  save %7.0f ms (%8.0f drill rows/s)  load %7.0f ms (%8.0f drills/s)  "
           "peak %6.0f MiB\n",
           label, r->units, r->drills, r->save_s * 1e3, (double)r->drills / r->save_s, r->load_s * 1e3,
           (double)r->drills / r->load_s, (double)r->peak_kib / 1024.0);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    size_t big = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 181000; /* about 1,000,000 drills */
    char path[512];
    snprintf(path, sizeof path, "%s/bench-store.db", dir);
    printf("libdrill %s: the SQLite store in %s (synchronous=FULL, WAL)\n", drill_version_string(), dir);
    result dalian = measure(20737, path, 300);
    result large = measure(big, path, 0);
    print("Dalian", &dalian);
    print("large", &large);
    double rate = (double)large.drills / large.save_s;
    printf("\ntargets (figures, not assertions):\n");
    printf("  at least 300,000 drill rows saved per second in bulk: %8.0f rows/s  %s\n", rate,
           rate >= 300000 ? "met" : "MISSED");
    printf("  one durable tracking update under 5 ms:               median %.2f ms, p99 %.2f ms  %s\n",
           dalian.update_median_ms, dalian.update_p99_ms, dalian.update_median_ms < 5 ? "met" : "MISSED");
    return 0;
}
