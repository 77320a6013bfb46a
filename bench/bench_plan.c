/* make bench: requirement generation and scheduling for the Dalian data and
 * for 100,000 and 1,000,000 units. Prints figures against the targets; it
 * never fails on time.
 *
 * Each size runs in its own child process so that its peak memory
 * (getrusage ru_maxrss) is its own. Observer capacity grows with the number
 * of units (30 a district a day for Dalian's 20,737), so every size carries
 * the same load per observer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <drill/drill.h>
#include "bench_util.h"

typedef struct result {
    size_t units, drills, placed;
    double gen_s, sched_s;
    long base_kib, peak_kib;
} result;

static result run(size_t count, int repeats)
{
    result r = { count, 0, 0, 1e9, 1e9, 0, 0 };
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = count;
    g.blackout_year = 2026;
    if (drill_units_new(&units) || drill_units_generate(units, &g) || drill_rules_new_presets(&rules) ||
        drill_campaigns_new_builtin(&campaigns, NULL) || drill_calendar_new_china(&cal))
        die("setup");
    r.base_kib = peak_kib();
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = 2026;
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.capacity = (int)((30 * count + 20736) / 20737);
    for (int i = 0; i < repeats; i++) {
        drill_plan *plan;
        drill_quality q;
        double t0 = now();
        if (drill_plan_new(&plan, units, rules, campaigns, cal, &po))
            die("plan");
        double t1 = now();
        if (drill_plan_schedule(&q, plan, &so))
            die("schedule");
        double t2 = now();
        if (t1 - t0 < r.gen_s)
            r.gen_s = t1 - t0;
        if (t2 - t1 < r.sched_s)
            r.sched_s = t2 - t1;
        r.drills = q.required;
        r.placed = q.placed;
        if (q.violations)
            die("violations");
        drill_plan_free(plan);
    }
    r.peak_kib = peak_kib();
    drill_calendar_free(cal);
    drill_campaigns_free(campaigns);
    drill_rules_free(rules);
    drill_units_free(units);
    return r;
}

typedef struct size_args {
    size_t count;
    int repeats;
} size_args;

static void run_size(void *out, const void *arg)
{
    const size_args *a = arg;
    *(result *)out = run(a->count, a->repeats);
}

/* run one size in a child (bench_util.h) */
static result measure(size_t count, int repeats)
{
    size_args a = { count, repeats };
    result r;
    char what[64];
    memset(&r, 0, sizeof r);
    snprintf(what, sizeof what, "the %zu-unit run", count);
    in_child(&r, sizeof r, run_size, &a, what);
    return r;
}

static void print(const char *label, const result *r)
{
    double total = r->gen_s + r->sched_s;
    double per_drill = (double)(r->peak_kib - r->base_kib) * 1024.0 / (double)r->drills;
    printf("%-18s %9zu units %9zu drills (%5.1f%% placed)  requirements %8.1f ms  schedule %8.1f ms  "
           "total %8.1f ms  %6.2f M drills/s  %6.0f ns/drill  plan memory %5.0f B/drill  "
           "process peak %5.0f B/drill\n",
           label, r->units, r->drills, 100.0 * (double)r->placed / (double)r->drills, r->gen_s * 1e3,
           r->sched_s * 1e3, total * 1e3, (double)r->drills / r->sched_s / 1e6, total * 1e9 / (double)r->drills,
           per_drill, (double)r->peak_kib * 1024.0 / (double)r->drills);
}

int main(int argc, char **argv)
{
    size_t big = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1000000;
    printf("libdrill %s: plan and schedule the year 2026 with the preset rules (best of the runs)\n",
           drill_version_string());
    result dalian = measure(20737, 10);
    result mid = measure(big / 10, 3);
    result large = measure(big, 3);
    print("Dalian", &dalian);
    print("1/10 size", &mid);
    print("full size", &large);
    double dalian_ms = (dalian.gen_s + dalian.sched_s) * 1e3;
    double rate = (double)large.drills / large.sched_s;
    double bytes = (double)(large.peak_kib - large.base_kib) * 1024.0 / (double)large.drills;
    double growth = (large.gen_s + large.sched_s) / (mid.gen_s + mid.sched_s);
    double n_ratio = (double)large.drills / (double)mid.drills;
    double nlogn = n_ratio * (__builtin_log((double)large.drills) / __builtin_log((double)mid.drills));
    printf("\ntargets (figures, not assertions):\n");
    printf("  Dalian's whole year under 100 ms:        %8.1f ms   %s\n", dalian_ms, dalian_ms < 100 ? "met" : "MISSED");
    printf("  at least 1,000,000 drills placed per s:   %8.2f M/s  %s\n", rate / 1e6, rate >= 1e6 ? "met" : "MISSED");
    double all = (double)large.peak_kib * 1024.0 / (double)large.drills;
    printf("  under 256 bytes of memory per drill:      %8.0f B    %s (the whole process, units included: %.0f B)\n",
           bytes, bytes < 256 ? "met" : "MISSED", all);
    printf("  growth %zu -> %zu drills (x%.1f): time x%.2f; n log n would be x%.2f   %s\n", mid.drills,
           large.drills, n_ratio, growth, nlogn, growth <= nlogn * 1.1 ? "met" : "MISSED");
    return 0;
}
