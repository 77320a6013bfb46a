/* drillctl: reports. */
#include "drillctl.h"

static const char H_REPORT[] =
    "usage: drillctl report coverage [--by district|campaign|class|tier|rule] [options]\n"
    "       drillctl report overdue [options]\n"
    "       drillctl report reminders [--days N] [options]\n"
    "       drillctl report actions [--open] [options]\n"
    "options: [--year Y] [--today DATE] [--csv] [--output FILE.csv] [--limit N]\n"
    "\n"
    "coverage   required, scheduled, held, overdue and cancelled drills and the share\n"
    "           held, per district (default) or other group, and in total.\n"
    "overdue    every drill whose window ended before today without being held.\n"
    "reminders  drills due in the next --days (14), overdue drills and overdue\n"
    "           corrective actions, with the unit's contact.\n"
    "actions    every corrective action (--open: those open or in progress).\n"
    "As of --today (default: the real date). Text shows the first 50 rows (--limit 0:\n"
    "all); --csv writes CSV to standard output, --output FILE to a file.\n";

/* ---- reports ---- */

typedef struct open_rows {
    const drill_table *t;
    const row_filter *f;
} open_rows;

static int write_open_rows(FILE *out, void *arg)
{
    const open_rows *r = arg;
    csv_rows(out, r->t, r->f);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "report", H_REPORT, argc, argv, "by= year= today= csv output= limit= days= open", 1, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    static const char *const kinds[] = { "coverage", "overdue", "reminders", "actions" };
    static const char *const groups[] = { "campaign", "district", "class", "tier", "rule" };
    int kind = lookup(c.pos[0], kinds, 4), by = DRILL_BY_DISTRICT, days = 14, limit = 50;
    if (kind < 0)
        return usage_error(&c, "unknown report '%s' (coverage, overdue, reminders or actions)", c.pos[0]);
    drill_date today = today_local();
    const char *v;
    if ((v = opt(&c, "by")) && (by = lookup(v, groups, 5)) < 0)
        return usage_error(&c, "--by: '%s' is not district, campaign, class, tier or rule", v);
    if ((rc = opt_date(&c, "today", &today)) || (rc = opt_int(&c, "days", 0, 366, &days)) ||
        (rc = opt_int(&c, "limit", 0, 100000000, &limit)))
        return rc;
    world w = { 0 };
    drill_table *t = NULL;
    /* every report comes from the store (coverage from its counts, the
     * others by index), without loading the plan; a plan an older libdrill
     * saved is not counted: then from the loaded plan */
    if ((rc = open_store(&w, &c, 0)) == 0 && (rc = plan_year(&w, &c, NULL, &w.year)) == 0) {
        switch (kind) {
        case 0: rc = drill_store_report_coverage(&t, w.store, w.year, (drill_group_by)by, today); break;
        case 1: rc = drill_store_report_overdue(&t, w.store, w.year, today); break;
        case 2: rc = drill_store_report_reminders(&t, w.store, w.year, today, days); break;
        default: rc = drill_store_report_actions(&t, w.store, w.year, today); break;
        }
        if (rc == DRILL_ENOTFOUND) {
            rc = input_error("%s has no plan for %d", G.store, w.year);
            goto done;
        }
    }
    if (rc && rc != DRILL_ENODATA) {
        rc = rc < 0 ? fail(rc) : rc;
        goto done;
    }
    if (!t) {
        world_close(&w);
        if ((rc = load_plan(&w, &c, 0, NULL)))
            goto done;
    }
    progress("computing the report...");
    switch (t ? -1 : kind) {
    case -1: break;
    case 0: rc = drill_report_coverage(&t, w.plan, (drill_group_by)by, today); break;
    case 1: rc = drill_report_noncompliant(&t, w.plan, today); break;
    case 2: rc = drill_report_reminders(&t, w.plan, today, days); break;
    default: rc = drill_report_actions(&t, w.plan, today); break;
    }
    progress_clear();
    if (rc) {
        rc = fail(rc);
        goto done;
    }
    row_filter f = { (size_t)-1 };
    for (size_t k = 0; kind == 3 && opt(&c, "open") && k < drill_table_columns(t); k++)
        if (strcmp(drill_table_column(t, k), "status") == 0)
            f.column = k;
    char day[DRILL_DATE_STRLEN];
    drill_date_format(day, sizeof day, today);
    const char *out = opt(&c, "output");
    if (out && f.column == (size_t)-1) {
        rc = drill_table_write_csv(t, out);
    } else if (out) { /* the open actions: through the library's safe-file routine */
        open_rows rows = { t, &f };
        rc = drill_file_write(out, write_open_rows, &rows);
    }
    if (rc) {
        rc = fail(rc);
        goto done;
    }
    if (out) {
        printf("wrote the %s report of %d as of %s to %s\n", kinds[kind], w.year, day, out);
        goto done;
    }
    if (opt(&c, "csv")) {
        csv_rows(stdout, t, &f);
        goto done;
    }
    printf("%s%s of the plan of %d%s%s as of %s\n", f.column == (size_t)-1 ? "" : "open ", kinds[kind], w.year,
           kind == 0 ? " by " : "", kind == 0 ? groups[by] : "", day);
    size_t rows = print_table(t, &f, (size_t)limit);
    if (kind != 0)
        printf("%zu %s\n", rows, kind == 1 ? "overdue drills" : kind == 2 ? "reminders" : "corrective actions");
done:
    drill_table_free(t);
    world_close(&w);
    return rc;
}
