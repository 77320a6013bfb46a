/* The C quick start: plan a year for 500 units, schedule it, record a drill
 * held, print coverage by district and write a feed per district.
 *   cc quickstart.c -o quickstart $(pkg-config --cflags --libs libdrill) */
#include <stdio.h>
#include <drill/drill.h>

#define TRY(call) do { if ((rc = (call)) < 0) goto done; } while (0)

int main(void)
{
    drill_units *units = NULL;
    drill_rules *rules = NULL;
    drill_campaigns *campaigns = NULL;
    drill_calendar *cal = NULL;
    drill_plan *plan = NULL;
    drill_table *coverage = NULL;
    int rc;

    drill_generate_options gen = DRILL_GENERATE_OPTIONS_INIT;
    gen.count = 500; /* a synthetic Dalian; drill_units_import_csv() reads yours */
    TRY(drill_units_new(&units));
    TRY(drill_units_generate(units, &gen));
    TRY(drill_rules_new_presets(&rules));               /* the legal presets */
    TRY(drill_campaigns_new_builtin(&campaigns, NULL)); /* national campaigns, Dalian's flood season */
    TRY(drill_calendar_new_china(&cal));                /* holidays and make-up working days */

    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = 2026;
    TRY(drill_plan_new(&plan, units, rules, campaigns, cal, &po));
    drill_quality q = DRILL_QUALITY_INIT; /* structs the library fills carry their version */
    TRY(drill_plan_schedule(&q, plan, NULL)); /* 30 observed drills a district a day, 7 days apart */
    printf("%zu drills, %zu placed, %zu constraint violations\n", q.required, q.placed, q.violations);

    drill_item first = DRILL_ITEM_INIT;
    TRY(drill_plan_get(&first, plan, 0));
    drill_outcome held = DRILL_OUTCOME_INIT;
    held.date = first.date;
    held.start_minute = 9 * 60;
    held.end_minute = 11 * 60;
    held.participants = 120;
    held.kind = first.kind;
    TRY(drill_track_hold(plan, first.id, &held, "王伟", "held as planned"));
    printf("%s held on %04d-%02d-%02d\n", first.id, held.date.year, held.date.month, held.date.day);

    drill_date today = { 2026, 12, 31 };
    TRY(drill_report_coverage(&coverage, plan, DRILL_BY_DISTRICT, today));
    for (size_t r = 0; r < drill_table_rows(coverage); r++) {
        const char *group, *held_n, *required;
        TRY(drill_table_cell(&group, coverage, r, 0));
        TRY(drill_table_cell(&required, coverage, r, 1));
        TRY(drill_table_cell(&held_n, coverage, r, 3));
        printf("  %-20s %5s required %3s held\n", group, required, held_n);
    }

    drill_feed_set_stats st = DRILL_FEED_SET_STATS_INIT;
    TRY(drill_feed_write_set(&st, plan, "/tmp/drill-quickstart-feeds", DRILL_SPLIT_DISTRICT, NULL));
    printf("%zu feeds written\n", st.feeds);

done:
    if (rc < 0)
        fprintf(stderr, "error: %s\n", drill_error_last()->message);
    drill_table_free(coverage);
    drill_plan_free(plan); /* the plan first: it borrows the rest */
    drill_calendar_free(cal);
    drill_campaigns_free(campaigns);
    drill_rules_free(rules);
    drill_units_free(units);
    return rc < 0 ? 1 : 0;
}
