/* The C side of bench_python.py: the same bulk work the Python benchmark
 * does through the binding (a plan of N generated units scheduled, and its
 * feed written, and read back event by event), timed here in C, best of
 * three, printed as "schedule SECONDS", "export SECONDS", "read SECONDS"
 * (CPU seconds) and "events N" lines for the script to compare.
 *
 *     bench_python_c UNITS FEED-PATH
 */
#include <string.h>
#include <time.h>
#include "bench_util.h"

/* this process's CPU seconds: the feed reading is compared on CPU time, so
 * other work on a shared machine does not skew the ratio */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_python_c UNITS FEED-PATH\n");
        return 2;
    }
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    drill_generate_options gen = DRILL_GENERATE_OPTIONS_INIT;
    gen.count = (size_t)strtoul(argv[1], NULL, 10);
    if (drill_units_new(&units) || drill_units_generate(units, &gen) || drill_rules_new_presets(&rules) ||
        drill_campaigns_new_builtin(&campaigns, NULL) || drill_calendar_new_china(&cal))
        die("setting up");
    double best_schedule = 1e9, best_export = 1e9, best_read = 1e9;
    size_t events = 0;
    for (int round = 0; round < 3; round++) {
        drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
        po.year = 2026;
        drill_plan *plan;
        double t0 = now();
        if (drill_plan_new(&plan, units, rules, campaigns, cal, &po) || drill_plan_schedule(NULL, plan, NULL))
            die("planning");
        double t1 = now();
        remove(argv[2]); /* an unchanged file is not rewritten: always write */
        if (drill_feed_write_file(NULL, plan, argv[2], NULL))
            die("exporting");
        double t2 = now(), c0 = cpu_now();
        drill_feed_reader *reader;
        drill_feed_event ev = DRILL_FEED_EVENT_INIT;
        int rc;
        if (drill_feed_reader_open(&reader, argv[2]))
            die("opening the feed");
        for (events = 0; (rc = drill_feed_reader_next(&ev, reader)) == 1;)
            events++;
        drill_feed_reader_free(reader);
        if (rc < 0)
            die("reading the feed");
        double c1 = cpu_now();
        if (c1 - c0 < best_read)
            best_read = c1 - c0;
        if (t1 - t0 < best_schedule)
            best_schedule = t1 - t0;
        if (t2 - t1 < best_export)
            best_export = t2 - t1;
        drill_plan_free(plan);
    }
    printf("schedule %.6f\nexport %.6f\nread %.6f\nevents %zu\n", best_schedule, best_export, best_read, events);
    drill_calendar_free(cal);
    drill_campaigns_free(campaigns);
    drill_rules_free(rules);
    drill_units_free(units);
    return 0;
}
