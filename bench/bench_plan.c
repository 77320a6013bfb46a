/* make bench: requirement generation and scheduling for the Dalian data and
 * for 100,000 and 1,000,000 units. Prints figures against the targets; it
 * never fails on time. Then the schedule's quality for Dalian 2026 (holiday
 * data) and 2027 (no notice yet: allow_uncovered, the calendar's provisional
 * answer from the law): placed of placeable, each district's busiest day
 * of observed drills against their lower bound (and the ratio), and the
 * rhythm figures.
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
    world w;
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.count = count;
    g.blackout_year = 2026;
    world_registries(&w, &g);
    r.base_kib = peak_kib();
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = 2026;
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    so.capacity = bench_capacity(count);
    for (int i = 0; i < repeats; i++) {
        drill_plan *plan;
        drill_quality q = DRILL_QUALITY_INIT;
        double t0 = now();
        if (drill_plan_new(&plan, w.units, w.rules, w.campaigns, w.cal, &po))
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
    world_free(&w);
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

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static int day_of(drill_date d)
{
    int k;
    drill_date_diff(&k, (drill_date){ d.year, 1, 1 }, d);
    return k;
}

/* the quality and rhythm of Dalian's year, through the public API */
static void quality(int year, int allow_uncovered)
{
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    drill_plan *plan;
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    g.blackout_year = year;
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = year;
    po.allow_uncovered = allow_uncovered;
    drill_quality q = DRILL_QUALITY_INIT;
    if (drill_units_new(&units) || drill_units_generate(units, &g) || drill_rules_new_presets(&rules) ||
        drill_campaigns_new_builtin(&campaigns, NULL) || drill_calendar_new_china(&cal) ||
        drill_plan_new(&plan, units, rules, campaigns, cal, &po) || drill_plan_schedule(&q, plan, NULL))
        die("quality setup");
    /* a drill whose window has no allowed day can be placed by no schedule */
    size_t placeable = q.required - q.cancelled - q.unplaced[DRILL_REASON_NO_WORKING_DAY] -
                       q.unplaced[DRILL_REASON_BLACKOUT];
    printf("\nDalian %d%s: placed %zu of %zu placeable (%zu required; unplaced for capacity %zu, spacing %zu)\n",
           year, allow_uncovered ? " (no notice yet: the provisional calendar)" : "", q.placed, placeable, q.required,
           q.unplaced[DRILL_REASON_CAPACITY], q.unplaced[DRILL_REASON_SPACING]);
    /* the observed drills, which the observers' capacity constrains: busiest
     * day against their interval bound, and every drill's busiest day */
    printf("  observed busiest/bound (ratio), every drill's busiest day:\n   ");
    double worst = 0;
    for (size_t d = 0; d < drill_units_district_count(units); d++) {
        drill_district_quality dq = DRILL_DISTRICT_QUALITY_INIT;
        if (drill_plan_district_quality(&dq, plan, d) == 0) {
            double ratio = dq.lower_bound ? (double)dq.busiest_observed / dq.lower_bound : 0;
            worst = ratio > worst ? ratio : worst;
            printf(" %s %d/%d (%.2f) %d%s", strrchr(dq.district, '/') ? strrchr(dq.district, '/') + 1 : dq.district,
                   dq.busiest_observed, dq.lower_bound, ratio, dq.busiest, d % 4 == 3 ? "\n   " : ";");
        }
    }
    printf("\n  the highest ratio %.2f\n", worst);
    size_t n = drill_plan_count(plan), gaps = 0, close_gaps = 0, units_n = 0, three = 0, comp = 0, comp_jan = 0,
           comp_campaign = 0, npairs = 0;
    int *pairs = malloc((n ? n : 1) * sizeof *pairs), makeup[366] = { 0 }, campaign_day[366] = { 0 };
    if (!pairs)
        die("memory");
    for (size_t i = 0; i < n; i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, plan, i);
        if (*it.campaign)
            for (int k = day_of(it.window_start); k <= day_of(it.window_end); k++)
                campaign_day[k] = 1;
    }
    for (size_t i = 0; i < n;) {
        drill_item it = DRILL_ITEM_INIT, prev = DRILL_ITEM_INIT;
        drill_plan_get(&it, plan, i);
        int days[64], nd = 0;
        size_t j = i;
        memset(&prev, 0, sizeof prev);
        for (; j < n; j++) {
            drill_item x = DRILL_ITEM_INIT;
            drill_plan_get(&x, plan, j);
            if (x.unit_index != it.unit_index)
                break;
            if (x.status == DRILL_STATUS_SCHEDULED) {
                int k = day_of(x.date);
                if (nd < 64)
                    days[nd++] = k;
                drill_day_info info = DRILL_DAY_INFO_INIT;
                if (drill_calendar_day_info(&info, cal, x.date) == 0 && info.kind == DRILL_DAY_MAKEUP_WORKDAY)
                    makeup[k]++;
                if (x.kind == DRILL_KIND_COMPREHENSIVE) {
                    comp++;
                    comp_jan += x.date.month == 1;
                    comp_campaign += campaign_day[k];
                }
                if (j > i && prev.status == DRILL_STATUS_SCHEDULED && strcmp(prev.rule_id, x.rule_id) == 0 &&
                    (strstr(x.period, "H2") || strstr(x.period, "R2")))
                    pairs[npairs++] = k - day_of(prev.date);
            }
            prev = x;
        }
        qsort(days, (size_t)nd, sizeof *days, cmp_int);
        units_n++;
        for (int k = 1; k < nd; k++) {
            gaps++;
            close_gaps += days[k] - days[k - 1] <= 8;
        }
        for (int k = 2; k < nd; k++)
            if (days[k] - days[k - 2] <= 15) {
                three++;
                break;
            }
        i = j;
    }
    qsort(pairs, npairs, sizeof *pairs, cmp_int);
    int most_makeup = 0;
    for (int k = 0; k < 366; k++)
        most_makeup = makeup[k] > most_makeup ? makeup[k] : most_makeup;
    printf("  rhythm: half-yearly and rolling pairs %zu, days apart p10 %d median %d p90 %d (min %d, max %d)\n",
           npairs, npairs ? pairs[npairs / 10] : 0, npairs ? pairs[npairs / 2] : 0,
           npairs ? pairs[npairs * 9 / 10] : 0, npairs ? pairs[0] : 0, npairs ? pairs[npairs - 1] : 0);
    printf("          a unit's consecutive drills 8 days apart or less %.1f%%; units with three drills in 15 days "
           "%.1f%%\n", 100.0 * (double)close_gaps / (double)(gaps ? gaps : 1),
           100.0 * (double)three / (double)(units_n ? units_n : 1));
    printf("          comprehensive drills in January %.1f%%, in campaign windows %.1f%% (of %zu); busiest make-up "
           "working day %d drills, an average working day %zu\n",
           100.0 * (double)comp_jan / (double)(comp ? comp : 1), 100.0 * (double)comp_campaign / (double)(comp ? comp : 1),
           comp, most_makeup, q.placed / 250);
    free(pairs);
    drill_plan_free(plan);
    drill_calendar_free(cal);
    drill_campaigns_free(campaigns);
    drill_rules_free(rules);
    drill_units_free(units);
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
    quality(2026, 0);
    quality(2027, 1);
    return 0;
}
