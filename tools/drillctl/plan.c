/* drillctl: plan, reschedule, drills, show and feeds. */
#include "drillctl.h"

static const char H_PLAN[] =
    "usage: drillctl plan YEAR [--capacity N] [--spacing DAYS] [--today DATE] [--allow-uncovered]\n"
    "                          [--campaign-days N] [--campaign-widen DAYS] [--replace] [--csv OUT.csv]\n"
    "       drillctl plan YEAR --units FILE.csv [--holidays FILE]... [options]   (no store)\n"
    "\n"
    "Make YEAR's drills from the store's units and rules, schedule them on working\n"
    "days and save the plan; print the quality report. --capacity: observer-attended\n"
    "drills a district can take a day (30); --spacing: least days between two drills\n"
    "of a unit (7; 0 = none); --today: nothing is placed on or before it (the real\n"
    "date); --campaign-days: a campaign window with fewer working days (a campaign\n"
    "day on a weekend) grows a day each side at a time until it has them (5; 0 =\n"
    "never), by --campaign-widen days each side at most (7). A year without a\n"
    "holiday arrangement is refused unless\n"
    "--allow-uncovered (weekends only). A plan that exists is kept unless --replace\n"
    "(which discards its tracking); drillctl reschedule updates it instead. --csv\n"
    "also writes every drill. With --units, plans a CSV without a store.\n";

static const char H_RESCHEDULE[] =
    "usage: drillctl reschedule [YEAR] [--capacity N] [--spacing DAYS] [--today DATE]\n"
    "                           [--campaign-days N] [--campaign-widen DAYS]\n"
    "                           [--close DATE]... [--district PATH] [--busy FILE.ics]\n"
    "\n"
    "Bring a plan (the latest, or YEAR's) up to date with the store's units, rules\n"
    "and holidays and schedule it again: drills whose day is still valid keep it,\n"
    "new ones are placed, held ones stay. Nothing moves onto a day on or before\n"
    "--today (the real date), and a drill whose day has come without a record stays\n"
    "there (overdue): only drills on later days move. --close closes a day (in --district, or\n"
    "everywhere); --busy closes every day an event of another agency's calendar\n"
    "covers. Capacity, spacing and the campaign widening (see drillctl plan) stay\n"
    "as the plan's unless given.\n";

static const char H_DRILLS[] =
    "usage: drillctl drills [--year Y] [--status S] [--district PATH] [--unit ID] [--rule ID]\n"
    "                       [--campaign ID] [--from DATE] [--to DATE] [--csv] [--limit N]\n"
    "\n"
    "The plan's drills that match, read from the store without loading the plan:\n"
    "--status planned|scheduled|held|evaluated|closed|cancelled, or several separated\n"
    "by commas (held,evaluated); --from/--to: scheduled in the range, or unplaced\n"
    "with a window in it. Text shows the first 50 (--limit 0: all); --csv writes\n"
    "every match.\n";

static const char H_SHOW[] = "usage: drillctl show DRILL-ID [--year Y]\n\n"
                             "One drill: its window and day, outcome, corrective actions and audit trail.\n"
                             "--year: the plan to look in (the year in DRILL-ID, else the latest).\n";

static const char H_FEEDS[] =
    "usage: drillctl feeds export DIR [--by district|unit|campaign] [--year Y] [--en]\n"
    "                                 [--name NAME] [--alarm MINUTES] [--organizer MAILTO]\n"
    "\n"
    "Write the plan's iCalendar feeds into DIR: all.ics for the city and one per\n"
    "district (or unit, or campaign). Each is written atomically, and only when it\n"
    "changed, so subscribers never see half a feed.\n";

/* ---- plan, reschedule ---- */

static void print_quality(const drill_plan *plan, const drill_units *units, const drill_calendar *cal,
                          const drill_quality *q, int rescheduled)
{
    printf("plan %d: %zu units, %zu drills required\n", drill_plan_year(plan), drill_units_count(units), q->required);
    int provisional = 0;
    drill_calendar_is_provisional(&provisional, cal, drill_plan_year(plan));
    if (!q->covered && provisional)
        printf("NOTE: no State Council notice for %d is loaded: the calendar is PROVISIONAL, from the law\n"
               "      (its statutory holidays and the weekends; the notice's bridging days and make-up working\n"
               "      days are not known). Once it is published: drillctl holidays import FILE, then\n"
               "      drillctl reschedule, which keeps every drill whose day is still a working day.\n",
               drill_plan_year(plan));
    else if (!q->covered)
        printf("NOTE: no holiday arrangement for %d is loaded: working days count weekends only\n"
               "      (drillctl holidays import FILE, then drillctl reschedule, once it is published).\n",
               drill_plan_year(plan));
    size_t live = q->required - q->cancelled, unplaced = live - q->placed;
    /* tenths of a percent in integers: "%.1f" follows LC_NUMERIC */
    size_t tenths = (1000 * q->placed + (live ? live : 1) / 2) / (live ? live : 1);
    printf("placed %zu (%zu.%zu%%), unplaced %zu: no working day %zu, blackouts %zu, observer capacity %zu, "
           "spacing %zu\n",
           q->placed, tenths / 10, tenths % 10, unplaced,
           q->unplaced[DRILL_REASON_NO_WORKING_DAY], q->unplaced[DRILL_REASON_BLACKOUT],
           q->unplaced[DRILL_REASON_CAPACITY], q->unplaced[DRILL_REASON_SPACING]);
    if (q->held || q->cancelled)
        printf("held %zu, cancelled %zu\n", q->held, q->cancelled);
    if (rescheduled)
        printf("kept on their day %zu, moved or newly placed or unplaced %zu\n", q->kept, q->moved);
    printf("constraint violations (independent check): %zu\n\n", q->violations);
    print_cell("district", 20, 0);
    /* the observed drills' busiest day against their bound (what the
     * observer capacity constrains); every drill's busiest day beside it */
    printf(" %8s %8s %8s %11s %8s %6s %6s %8s\n", "drills", "observed", "busiest", "on", "obs-busy", "bound",
           "ratio", "capacity");
    for (size_t d = 0; d < drill_units_district_count(units); d++) {
        drill_district_quality dq = DRILL_DISTRICT_QUALITY_INIT;
        char day[DRILL_DATE_STRLEN] = "-";
        if (drill_plan_district_quality(&dq, plan, d))
            continue;
        if (dq.busiest)
            drill_date_format(day, sizeof day, dq.busiest_day);
        print_cell(dq.district, 20, 0);
        printf(" %8zu %8zu %8d %11s %8d %6d %6.2f %8d\n", dq.drills, dq.observed, dq.busiest, day,
               dq.busiest_observed, dq.lower_bound,
               dq.lower_bound ? (double)dq.busiest_observed / dq.lower_bound : 0.0, dq.capacity);
    }
}

static int plan_csv(FILE *f, void *arg)
{
    const drill_plan *plan = arg;
    fprintf(f, "id,unit_id,unit_name,district,rule,kind,form,scenario,campaign,window_start,window_end,"
               "status,date,start,duration_minutes,observer,reason\r\n");
    for (size_t i = 0; i < drill_plan_count(plan); i++) {
        drill_item it = DRILL_ITEM_INIT;
        char a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN], d[DRILL_DATE_STRLEN] = "";
        drill_plan_get(&it, plan, i);
        drill_date_format(a, sizeof a, it.window_start);
        drill_date_format(b, sizeof b, it.window_end);
        int placed = it.status >= DRILL_STATUS_SCHEDULED && it.status <= DRILL_STATUS_CLOSED;
        if (placed)
            drill_date_format(d, sizeof d, it.date);
        const char *texts[] = { it.id, it.unit_id, it.unit_name, it.district, it.rule_id };
        for (size_t k = 0; k < 5; k++) {
            csv_field(f, texts[k]);
            fputc(',', f);
        }
        fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s,", drill_kind_name(it.kind, 1), drill_form_name(it.form, 1),
                it.scenario, it.campaign, a, b, drill_status_name(it.status), d);
        if (placed)
            fprintf(f, "%02d:%02d,%d,", it.start_minute / 60, it.start_minute % 60, it.duration_minutes);
        else
            fputs(",,", f);
        fprintf(f, "%d,%s\r\n", it.needs_observer, it.reason == DRILL_REASON_NONE ? "" : drill_reason_name(it.reason));
    }
    return 0;
}

/* through the library's safe-file routine, as every file drillctl writes */
static int write_plan_csv(const drill_plan *plan, const char *path)
{
    /* a folder that is not there is a bad argument, not a failing disk */
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        struct stat st;
        char *dir = strndup(path, (size_t)(slash - path));
        int missing = dir && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode));
        free(dir);
        if (missing)
            return input_error("cannot write %s: no folder %.*s", path, (int)(slash - path), path);
    }
    int rc = drill_file_write(path, plan_csv, (void *)plan);
    return rc ? fail(rc) : 0;
}

static int schedule_options(const cmdline *c, drill_schedule_options *so)
{
    int spacing = -2, campaign_days = -2, rc = opt_int(c, "capacity", 1, 65535, &so->capacity);
    so->today = today_local();
    if (rc || (rc = opt_int(c, "spacing", 0, 366, &spacing)) || (rc = opt_date(c, "today", &so->today)) ||
        (rc = opt_int(c, "campaign-days", 0, 60, &campaign_days)) ||
        (rc = opt_int(c, "campaign-widen", 1, 183, &so->campaign_widen_days)))
        return rc;
    if (spacing != -2)
        so->spacing_days = spacing ? spacing : -1;
    if (campaign_days != -2)
        so->campaign_min_days = campaign_days ? campaign_days : -1;
    return 0;
}

/* plan a units CSV with the built-in registries, no store (drillctl 0.1's plan) */
static int plan_without_store(const cmdline *c, int year, const drill_schedule_options *so)
{
    world w = { 0 };
    size_t imported = 0;
    const char *units_path = opt(c, "units"), *csv = opt(c, "csv");
    int rc = readable(units_path);
    if (rc)
        return rc;
    progress("importing %s...", units_path);
    if ((rc = drill_units_new(&w.units)) || (rc = drill_units_import_csv(NULL, &imported, w.units, units_path, NULL)) ||
        (rc = drill_rules_new_presets(&w.rules)) || (rc = drill_campaigns_new_builtin(&w.campaigns, NULL)) ||
        (rc = drill_calendar_new_china(&w.cal))) {
        rc = fail(rc);
        goto done;
    }
    for (int i = 0; i < c->nopt; i++)
        if (c->opt[i].len == 8 && strncmp(c->opt[i].name, "holidays", 8) == 0 &&
            (rc = load_holidays(NULL, w.cal, c->opt[i].value, NULL)))
            goto done;
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = year;
    po.allow_uncovered = opt(c, "allow-uncovered") != NULL;
    drill_quality q = DRILL_QUALITY_INIT;
    progress("planning %d...", year);
    if ((rc = drill_plan_new(&w.plan, w.units, w.rules, w.campaigns, w.cal, &po)) ||
        (rc = drill_plan_schedule(&q, w.plan, so))) {
        rc = fail(rc);
        goto done;
    }
    progress_clear();
    print_quality(w.plan, w.units, w.cal, &q, 0);
    if (csv && (rc = write_plan_csv(w.plan, csv)) == 0)
        printf("\nwrote every drill to %s\n", csv);
done:
    world_close(&w);
    return rc;
}

int cmd_plan(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "plan", H_PLAN, argc, argv,
                   "capacity= spacing= today= campaign-days= campaign-widen= allow-uncovered replace csv= units= holidays=", 1, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    int year = 0;
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    if ((rc = parse_year(&c, c.pos[0], &year)) || (rc = schedule_options(&c, &so)))
        return rc;
    if (opt(&c, "units"))
        return plan_without_store(&c, year, &so);
    if (opt(&c, "holidays"))
        return usage_error(&c, "--holidays goes with --units; a store's holidays come from drillctl holidays import");
    world w = { 0 };
    if ((rc = open_store(&w, &c, 1)) || (rc = load_registries(&w)))
        goto done;
    if (drill_units_count(w.units) == 0) {
        rc = input_error("%s has no units: drillctl units import FILE.csv first", G.store);
        goto done;
    }
    int exists = 0;
    w.year = year;
    if ((rc = has_plan(&w, &exists)))
        goto done;
    if (exists && !opt(&c, "replace")) {
        rc = input_error("%s has a plan for %d already: drillctl reschedule %d updates it, keeping its "
                         "tracking; plan %d --replace discards it", G.store, year, year, year);
        goto done;
    }
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = year;
    po.allow_uncovered = opt(&c, "allow-uncovered") != NULL;
    w.year = year;
    drill_quality q = DRILL_QUALITY_INIT;
    progress("planning %d: the requirements of %zu units...", year, drill_units_count(w.units));
    rc = drill_plan_new(&w.plan, w.units, w.rules, w.campaigns, w.cal, &po);
    if (rc == DRILL_ENODATA) {
        fail(rc);
        fprintf(stderr, "drillctl: import %d's arrangement with drillctl holidays import FILE, or plan from "
                        "weekends alone with --allow-uncovered\n", year);
        rc = EXIT_INPUT;
        goto done;
    }
    if (rc == 0) {
        progress("planning %d: scheduling %zu drills...", year, drill_plan_count(w.plan));
        rc = drill_plan_schedule(&q, w.plan, &so);
    }
    if (rc) {
        rc = fail(rc);
        goto done;
    }
    /* the CSV first: a command that fails leaves the store as it was */
    if (opt(&c, "csv") && (rc = write_plan_csv(w.plan, opt(&c, "csv"))))
        goto done;
    if ((rc = save_plan(&w)))
        goto done;
    print_quality(w.plan, w.units, w.cal, &q, 0);
    printf("\nsaved the plan of %d to %s\n", year, G.store);
    if (opt(&c, "csv"))
        printf("wrote every drill to %s\n", opt(&c, "csv"));
done:
    world_close(&w);
    return rc;
}

int cmd_reschedule(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "reschedule", H_RESCHEDULE, argc, argv, "capacity= spacing= today= campaign-days= campaign-widen= close= district= busy=", 0,
                   1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    world w = { 0 };
    if (c.npos && (rc = parse_year(&c, c.pos[0], &w.year)))
        return rc;
    for (int i = 0; i < c.nopt; i++) { /* check the days before touching the store */
        drill_date d;
        if (c.opt[i].len == 5 && strncmp(c.opt[i].name, "close", 5) == 0 && drill_date_parse(&d, c.opt[i].value))
            return usage_error(&c, "--close: '%s' is not a date YYYY-MM-DD", c.opt[i].value);
    }
    if (opt(&c, "busy") && (rc = readable(opt(&c, "busy"))))
        return rc;
    if ((rc = open_store(&w, &c, 1)) || (!c.npos && (rc = plan_year(&w, &c, NULL, &w.year))))
        goto done;
    int exists = 0;
    if ((rc = has_plan(&w, &exists)))
        goto done;
    if (!exists) {
        rc = input_error("%s has no plan for %d: make one with drillctl plan %d", G.store, w.year, w.year);
        goto done;
    }
    if ((rc = load_registries(&w)))
        goto done;
    progress("loading the plan of %d onto the working registries...", w.year);
    rc = drill_store_load_plan(&w.plan, w.store, w.year, w.units, w.rules, w.campaigns, w.cal);
    if (rc) {
        rc = fail(rc);
        goto done;
    }
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    drill_plan_schedule_options_v2(&so, w.plan, DRILL_SCHEDULE_OPTIONS_VERSION);
    if ((rc = schedule_options(&c, &so)))
        goto done;
    const char *district = opt(&c, "district");
    size_t closed = 0;
    for (int i = 0; i < c.nopt; i++) {
        drill_date d;
        if (c.opt[i].len != 5 || strncmp(c.opt[i].name, "close", 5) != 0)
            continue;
        drill_date_parse(&d, c.opt[i].value);
        if ((rc = drill_plan_close_day(w.plan, district, d))) {
            rc = fail(rc);
            goto done;
        }
        closed++;
    }
    if (opt(&c, "busy")) {
        size_t days = 0;
        if ((rc = drill_feed_import_busy(&days, w.plan, opt(&c, "busy"), district))) {
            rc = fail(rc);
            goto done;
        }
        closed += days;
    }
    drill_quality q = DRILL_QUALITY_INIT;
    progress("rescheduling %zu drills of %d...", drill_plan_count(w.plan), w.year);
    if ((rc = drill_plan_schedule(&q, w.plan, &so))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = save_plan_rescheduled(&w, &q, &so)))
        goto done;
    if (closed)
        printf("closed %zu day%s%s%s\n", closed, closed == 1 ? "" : "s", district ? " in " : "",
               district ? district : "");
    print_quality(w.plan, w.units, w.cal, &q, 1);
    printf("\nsaved the plan of %d to %s\n", w.year, G.store);
done:
    world_close(&w);
    return rc;
}

/* ---- drills, show ---- */

/* one drill as `drills` prints it, from the store's list or from a plan */
typedef struct listed {
    const char *id, *date, *t0, *t1, *status, *unit_id, *district, *rule, *kind, *form, *scenario, *campaign,
        *window_start, *window_end, *observer, *reason, *unit_name;
} listed;

static void print_listed(const listed *d, int csv, int idw)
{
    int dated = strcmp(d->status, "planned") != 0 && strcmp(d->status, "cancelled") != 0;
    if (csv) {
        printf("%s,%s,%s,%s,%s,", d->id, dated ? d->date : "", dated ? d->t0 : "", dated ? d->t1 : "", d->status);
        csv_field(stdout, d->unit_id);
        putchar(',');
        csv_field(stdout, d->district);
        printf(",%s,%s,%s,%s,%s,%s,%s,%s,%s,", d->rule, d->kind, d->form, d->scenario, d->campaign, d->window_start,
               d->window_end, d->observer, strcmp(d->reason, drill_reason_name(DRILL_REASON_NONE)) ? d->reason : "");
        csv_field(stdout, d->unit_name);
        fputs("\r\n", stdout);
        return;
    }
    char when[40] = "-";
    if (dated && *d->t0)
        snprintf(when, sizeof when, "%s-%s", d->t0, d->t1);
    printf("%-*s %-10s %-11s %-9s %s\n", idw, d->id, dated && *d->date ? d->date : "-", when, d->status, d->unit_name);
}

static void print_header(int csv, int idw)
{
    if (csv)
        fputs("id,date,start,end,status,unit_id,district,rule,kind,form,scenario,campaign,window_start,window_end,"
              "observer,reason,unit_name\r\n",
              stdout);
    else
        printf("%-*s %-10s %-11s %-9s %s\n", idw, "id", "date", "time", "status", "unit");
}

static void print_footer(int csv, size_t n, size_t shown)
{
    if (!csv)
        printf("%zu drill%s%s\n", n, n == 1 ? "" : "s", shown < n ? " (--limit 0 shows all)" : "");
}

/* the store's list (drill_store_list_drills()): the same cost whatever the
 * store's size for one unit, one pass over the year's rows otherwise */
static void print_table_drills(const drill_table *t, int csv, size_t limit)
{
    size_t n = drill_table_rows(t), shown = csv || !limit || limit > n ? n : limit;
    const char *c[18];
    int idw = 2; /* the id column as wide as the longest id shown */
    for (size_t r = 0; !csv && r < shown; r++)
        if (drill_table_cell(&c[0], t, r, 0) == 0 && (int)strlen(c[0]) > idw)
            idw = (int)strlen(c[0]);
    print_header(csv, idw);
    for (size_t r = 0; r < shown; r++) {
        for (size_t k = 0; k < 18; k++)
            if (drill_table_cell(&c[k], t, r, k))
                c[k] = "";
        /* the list's columns: id, unit_id, unit_name, district, campaign, rule_id, status, date, reason,
         * window_start, window_end, revision, start, end, kind, form, scenario, observer */
        listed d = { c[0], c[7], c[12], c[13], c[6], c[1], c[3], c[5], c[14], c[15], c[16], c[4], c[9], c[10],
                     c[17], c[8], c[2] };
        print_listed(&d, csv, idw);
    }
    print_footer(csv, n, shown);
}

/* a plan's selection: a plan an older libdrill saved, which the store
 * cannot list until it is saved again */
static void print_plan_drills(const drill_plan *p, const drill_selection *sel, int csv, size_t limit)
{
    size_t n = drill_selection_count(sel), shown = csv || !limit || limit > n ? n : limit;
    int idw = 2;
    for (size_t k = 0; !csv && k < shown; k++) {
        size_t i;
        drill_item it = DRILL_ITEM_INIT;
        drill_selection_index(&i, sel, k);
        drill_plan_get(&it, p, i);
        idw = (int)strlen(it.id) > idw ? (int)strlen(it.id) : idw;
    }
    print_header(csv, idw);
    for (size_t k = 0; k < shown; k++) {
        size_t i;
        drill_item it = DRILL_ITEM_INIT;
        drill_selection_index(&i, sel, k);
        drill_plan_get(&it, p, i);
        char day[DRILL_DATE_STRLEN] = "", a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN], t0[16] = "", t1[16] = "";
        if (it.date.year)
            drill_date_format(day, sizeof day, it.date);
        if (it.duration_minutes > 0) {
            int end = it.start_minute + it.duration_minutes;
            snprintf(t0, sizeof t0, "%02d:%02d", it.start_minute / 60 % 24, it.start_minute % 60);
            snprintf(t1, sizeof t1, "%02d:%02d", end / 60, end % 60);
        }
        drill_date_format(a, sizeof a, it.window_start);
        drill_date_format(b, sizeof b, it.window_end);
        listed d = { it.id, day, t0, t1, drill_status_name(it.status), it.unit_id, it.district, it.rule_id,
                     KIND_NAMES[it.kind], FORM_NAMES[it.form], it.scenario, it.campaign, a, b,
                     it.needs_observer ? "1" : "0", drill_reason_name(it.reason), it.unit_name };
        print_listed(&d, csv, idw);
    }
    print_footer(csv, n, shown);
}

int cmd_drills(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "drills", H_DRILLS, argc, argv,
                   "year= status= district= unit= rule= campaign= from= to= csv limit=", 0, 0);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    drill_filter f = DRILL_FILTER_INIT;
    int limit = 50;
    const char *v;
    f.district = opt(&c, "district");
    f.unit_id = opt(&c, "unit");
    f.rule_id = opt(&c, "rule");
    f.campaign = opt(&c, "campaign");
    for (const char *s = (v = opt(&c, "status")); s && *s;) { /* one state, or several: held,evaluated */
        size_t len = strcspn(s, ",");
        int k = -1; /* the library's names, the one table of drill statuses */
        for (int i = DRILL_STATUS_PLANNED; i <= DRILL_STATUS_CANCELLED; i++) {
            const char *name = drill_status_name((drill_status)i);
            if (strlen(name) == len && strncmp(s, name, len) == 0)
                k = i;
        }
        if (k < 0)
            return usage_error(&c, "--status: '%s' is not planned, scheduled, held, evaluated, closed or cancelled "
                                   "(or several of them, separated by commas)", v);
        f.statuses |= DRILL_STATUS_BIT(k);
        s += len + (s[len] == ',');
    }
    if ((rc = opt_date(&c, "from", &f.from)) || (rc = opt_date(&c, "to", &f.to)) ||
        (rc = opt_int(&c, "limit", 0, 100000000, &limit)))
        return rc;
    if (opt(&c, "from") || opt(&c, "to")) {
        f.has_range = 1;
        if (!opt(&c, "from"))
            f.from = (drill_date){ DRILL_DATE_MIN_YEAR, 1, 1 };
        if (!opt(&c, "to"))
            f.to = (drill_date){ DRILL_DATE_MAX_YEAR, 12, 31 };
    }
    int csv = opt(&c, "csv") != NULL;
    world w = { 0 };
    drill_table *t = NULL;
    drill_selection *sel = NULL;
    if ((rc = open_store_as(&w, &c, 0, 0)) == 0 && (rc = plan_year(&w, &c, NULL, &w.year)) == 0)
        rc = drill_store_list_drills(&t, w.store, w.year, &f);
    if (rc == DRILL_ENOTFOUND) {
        rc = input_error("%s has no plan for %d", G.store, w.year);
    } else if (rc == DRILL_ENODATA) { /* saved by an older libdrill: from the plan */
        world_close(&w);
        if ((rc = load_plan(&w, &c, 0, NULL)) == 0 && (rc = drill_plan_select(&sel, w.plan, &f)))
            rc = fail(rc);
        progress_clear();
        if (rc == 0)
            print_plan_drills(w.plan, sel, csv, (size_t)limit);
    } else if (rc < 0) {
        rc = fail(rc);
    } else if (rc == 0) {
        print_table_drills(t, csv, (size_t)limit);
    }
    drill_selection_free(sel);
    drill_table_free(t);
    world_close(&w);
    return rc;
}

int cmd_show(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "show", H_SHOW, argc, argv, "year=", 1, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    const char *id = c.pos[0];
    world w = { 0 };
    if ((rc = load_unit_plan(&w, &c, 0, id)))
        goto done;
    progress_clear();
    size_t i;
    drill_item it = DRILL_ITEM_INIT;
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    int tracked = drill_track_get(&t, w.plan, id) == 0;
    if (drill_plan_find(&i, w.plan, id) != 0) {
        if (!tracked) {
            rc = input_error("the plan of %d has no drill '%s'", w.year, id);
            goto done;
        }
        printf("%s (no longer required by the rules)\n", id);
    } else {
        char a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN], d[DRILL_DATE_STRLEN];
        drill_plan_get(&it, w.plan, i);
        drill_date_format(a, sizeof a, it.window_start);
        drill_date_format(b, sizeof b, it.window_end);
        printf("%s\n", it.id);
        printf("  unit       %s %s (%s)\n", it.unit_id, it.unit_name, it.district);
        printf("  drill      %s, %s, %s%s%s%s\n", KIND_NAMES[it.kind], FORM_NAMES[it.form], it.scenario,
               *it.campaign ? ", campaign " : "", it.campaign, it.needs_observer ? ", needs an observer" : "");
        printf("  rule       %s%s%s\n", it.rule_id, *it.source ? ": " : "", it.source);
        size_t credits = 0;
        drill_plan_credit_count(&credits, w.plan, i);
        for (size_t k = 0; k < credits; k++) {
            const char *rule;
            char period[16];
            if (drill_plan_credit_get(&rule, period, sizeof period, w.plan, i, k) == 0)
                printf("  %-10s %s %s\n", k ? "" : "also meets", rule, period);
        }
        printf("  window     %s .. %s\n", a, b);
        printf("  status     %s", drill_status_name(it.status));
        if (it.status >= DRILL_STATUS_SCHEDULED && it.status <= DRILL_STATUS_CLOSED) {
            drill_date_format(d, sizeof d, it.date);
            int end = it.start_minute + it.duration_minutes;
            printf(", %s %02d:%02d-%02d:%02d", d, it.start_minute / 60, it.start_minute % 60, end / 60, end % 60);
        }
        if (it.reason)
            printf(" (%s)", drill_reason_name(it.reason));
        printf(", revision %d\n", it.revision);
    }
    drill_outcome outcome = DRILL_OUTCOME_INIT;
    if (tracked && t.has_outcome && drill_track_outcome(&outcome, w.plan, id) == 0) {
        const drill_outcome *o = &outcome;
        char d[DRILL_DATE_STRLEN];
        drill_date_format(d, sizeof d, o->date);
        printf("  held       %s %02d:%02d-%02d:%02d, %s %s; %d took part, %d did not\n", d, o->start_minute / 60,
               o->start_minute % 60, o->end_minute / 60, o->end_minute % 60, KIND_NAMES[o->kind], FORM_NAMES[o->form],
               o->participants, o->non_participants);
        if (o->evacuation_seconds >= 0 || o->headcount_seconds >= 0) {
            printf("  times     ");
            if (o->evacuation_seconds >= 0)
                printf(" evacuation %d s", o->evacuation_seconds);
            if (o->evacuation_target >= 0)
                printf(" (target %d s)", o->evacuation_target);
            if (o->headcount_seconds >= 0)
                printf(" headcount %d s", o->headcount_seconds);
            if (o->headcount_target >= 0)
                printf(" (target %d s)", o->headcount_target);
            putchar('\n');
        }
        if (o->score >= 0)
            printf("  score      %d\n", o->score);
        if (o->observers && *o->observers)
            printf("  observers  %s\n", o->observers);
        if (o->notes && *o->notes)
            printf("  notes      %s\n", o->notes);
    }
    if (tracked && *t.cancel_reason)
        printf("  cancelled  %s\n", t.cancel_reason);
    for (size_t n = 1; tracked && n <= t.actions; n++) {
        drill_action a = DRILL_ACTION_INIT;
        char due[DRILL_DATE_STRLEN], closed[DRILL_DATE_STRLEN] = "";
        drill_track_action(&a, w.plan, id, n);
        drill_date_format(due, sizeof due, a.due);
        if (a.closed.year)
            drill_date_format(closed, sizeof closed, a.closed);
        printf("  action %zu   [%s%s%s] %s -> %s (%s%s%s, due %s)\n", n, drill_action_status_name(a.status),
               *closed ? " " : "", closed, a.finding, a.action, a.owner, a.capability && *a.capability ? "; " : "",
               a.capability ? a.capability : "", due);
    }
    int header = 0;
    for (size_t k = 0; k < drill_audit_count(w.plan); k++) {
        drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
        drill_audit_get(&e, w.plan, k);
        if (strcmp(e.drill_id, id) != 0)
            continue;
        if (!header++)
            printf("  audit\n");
        printf("    %s %s %s: %s -> %s", e.time, e.actor, e.field, *e.old_value ? e.old_value : "-", e.new_value);
        if (*e.reason)
            printf(" (%s)", e.reason);
        putchar('\n');
    }
done:
    world_close(&w);
    return rc;
}

/* ---- feeds ---- */

int cmd_feeds(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "feeds", H_FEEDS, argc, argv, "by= year= en name= alarm= organizer=", 2, 2);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    if (strcmp(c.pos[0], "export") != 0)
        return usage_error(&c, "unknown subcommand '%s' (export)", c.pos[0]);
    static const char *const splits[] = { "district", "unit", "campaign" };
    int split = 0, alarm = 0;
    const char *by = opt(&c, "by");
    if (by && (split = lookup(by, splits, 3)) < 0)
        return usage_error(&c, "--by: '%s' is not district, unit or campaign", by);
    if ((rc = opt_int(&c, "alarm", 0, 10080, &alarm)))
        return rc;
    drill_feed_options fo = DRILL_FEED_OPTIONS_INIT;
    fo.english = opt(&c, "en") != NULL;
    fo.name = opt(&c, "name");
    fo.alarm_minutes = alarm;
    fo.organizer = opt(&c, "organizer");
    world w = { 0 };
    if ((rc = load_plan(&w, &c, 0, NULL)))
        goto done;
    drill_feed_set_stats st = DRILL_FEED_SET_STATS_INIT;
    progress("writing the feeds of %d (%zu drills) to %s...", w.year, drill_plan_count(w.plan), c.pos[1]);
    if ((rc = drill_feed_write_set(&st, w.plan, c.pos[1], (drill_feed_split)split, &fo))) {
        rc = fail(rc);
        goto done;
    }
    progress_clear();
    printf("wrote the feeds of %d to %s: all.ics (the city, %zu events) and %zu by %s; %zu new or changed, "
           "%zu unchanged\n",
           w.year, c.pos[1], st.events, st.feeds - 1, splits[split], st.written, st.unchanged);
    if (st.removed)
        printf("removed %zu feed%s the last export wrote and this one does not\n", st.removed,
               st.removed == 1 ? "" : "s");
done:
    world_close(&w);
    return rc;
}
