/* drillctl: init, info and copy. */
#include "drillctl.h"

static const char H_INIT[] =
    "usage: drillctl init STORE [--no-holidays]\n"
    "\n"
    "Make a store with no units, the eighteen preset rules, the built-in campaigns\n"
    "(Dalian's flood season) and China's holiday arrangements built into libdrill\n"
    "(2022-2026; --no-holidays starts with none). Refused if STORE already has\n"
    "working registries. STORE may also come from --store or DRILL_STORE.\n";

static const char H_COPY[] =
    "usage: drillctl copy FROM TO\n"
    "\n"
    "Copy every plan (with its registries, tracking and audit trail) and the\n"
    "working registries from the store FROM into the store TO, which must be\n"
    "empty (a new file, or a database that drillctl init has not filled), then\n"
    "read TO back and compare it with FROM: units, classes, rules, campaigns,\n"
    "covered years, and each plan's drills, placed, held and cancelled ones,\n"
    "corrective actions and audit entries. Either may be an SQLite file or a\n"
    "PostgreSQL URI or conninfo: this moves a file store into PostgreSQL and\n"
    "back. FROM is only read. Exit 3 if TO is not empty, 4 if the counts differ.\n";

static const char H_INFO[] = "usage: drillctl info\n\nThe store's schema, its working registries and its plans.\n";

/* ---- init, info ---- */

int cmd_init(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "init", H_INIT, argc, argv, "no-holidays", 0, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    if (c.npos)
        set_store(c.pos[0]);
    if ((rc = need_store(&c)))
        return rc;
    world w = { 0 };
    progress("making %s...", G.store);
    if (G.read_only)
        return usage_error(&c, "--read-only: init makes a store");
    /* two inits of one file: the second waits, then finds it initialised */
    if ((rc = lock_store(1)))
        return rc;
    if ((rc = drill_store_open(&w.store, G.store_name, NULL))) {
        rc = fail(rc);
        goto done;
    }
    drill_units *u = NULL;
    drill_rules *r = NULL;
    drill_campaigns *k = NULL;
    drill_calendar *cal = NULL;
    rc = drill_store_load_registries(&u, &r, &k, &cal, w.store);
    drill_units_free(u);
    drill_rules_free(r);
    drill_campaigns_free(k);
    drill_calendar_free(cal);
    if (rc == 0) {
        rc = input_error("%s is initialised already", G.store);
        goto done;
    }
    if (rc != DRILL_ENOTFOUND) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = drill_units_new(&w.units)) || (rc = drill_rules_new_presets(&w.rules)) ||
        (rc = drill_campaigns_new_builtin(&w.campaigns, NULL)) ||
        (rc = opt(&c, "no-holidays") ? drill_calendar_new(&w.cal) : drill_calendar_new_china(&w.cal))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = save_registries(&w)))
        goto done;
    printf("initialised %s: %zu preset rules, %zu campaigns, holidays for ", G.store, drill_rules_count(w.rules),
           drill_campaigns_count(w.campaigns));
    print_covered(w.cal);
    printf("\nnext: drillctl units import FILE.csv, then drillctl plan YEAR\n");
done:
    world_close(&w);
    return rc;
}

int cmd_info(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "info", H_INFO, argc, argv, "", 0, 0);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    world w = { 0 };
    int version = 0;
    if ((rc = open_store(&w, &c, 0)))
        goto done;
    if ((rc = drill_store_schema_version(&version, w.store))) {
        rc = fail(rc);
        goto done;
    }
    printf("store      %s (schema %d, libdrill %s)\n", G.store, version, drill_version_string());
    rc = drill_store_load_registries(&w.units, &w.rules, &w.campaigns, &w.cal, w.store);
    progress_clear();
    if (rc == 0) {
        printf("units      %zu in %zu districts\n", drill_units_count(w.units), drill_units_district_count(w.units));
        printf("rules      %zu\ncampaigns  %zu\nholidays   ", drill_rules_count(w.rules),
               drill_campaigns_count(w.campaigns));
        print_covered(w.cal);
        putchar('\n');
    } else if (rc == DRILL_ENOTFOUND) {
        printf("registries none (not made by drillctl init)\n");
    } else {
        rc = fail(rc);
        goto done;
    }
    int years[DRILL_DATE_MAX_YEAR - DRILL_DATE_MIN_YEAR + 1];
    size_t n = 0;
    if ((rc = drill_store_plan_years(years, sizeof years / sizeof *years, &n, w.store))) {
        rc = fail(rc);
        goto done;
    }
    if (n == 0)
        printf("plans      none\n");
    for (size_t i = 0; i < n; i++) {
        world p = { 0 };
        progress("loading the plan of %d...", years[i]);
        rc = drill_store_load(&p.plan, &p.units, &p.rules, &p.campaigns, &p.cal, w.store, years[i]);
        progress_clear();
        drill_quality q = DRILL_QUALITY_INIT;
        if (rc || (rc = drill_plan_quality(&q, p.plan))) {
            world_close(&p);
            rc = fail(rc);
            goto done;
        }
        printf("plan %d  %zu drills: %zu placed, %zu held, %zu cancelled, %zu unplaced%s\n", years[i], q.required,
               q.placed, q.held, q.cancelled, q.required - q.placed - q.cancelled,
               q.covered ? "" : " (no holiday arrangement: see drillctl plan's note)");
        world_close(&p);
    }
    rc = 0;
done:
    world_close(&w);
    return rc;
}

static const char H_CHECK[] =
    "usage: drillctl check\n"
    "\n"
    "A full consistency check of the store, reading all of it: of an SQLite file\n"
    "its pages and its rows' references; of a PostgreSQL database its tables, and\n"
    "rows written by something other than libdrill that name what the store lacks.\n"
    "Says the store is sound; else it says the first problem found and exits 3.\n";

int cmd_check(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "check", H_CHECK, argc, argv, "", 0, 0);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    world w = { 0 };
    int ok = 0;
    char detail[1024];
    if ((rc = open_store(&w, &c, 0)))
        goto done;
    progress("checking %s...", G.store);
    rc = drill_store_check_detail(&ok, detail, sizeof detail, w.store);
    progress_clear();
    if (rc)
        rc = fail(rc);
    else if (!ok)
        rc = input_error("%s is not sound: %s", G.store, detail);
    else
        printf("store %s: sound\n", G.store);
done:
    world_close(&w);
    return rc;
}

/* ---- copy ---- */

/* what a store holds, counted */
typedef struct tally {
    size_t units, classes, rules, campaigns, covered;
    size_t drills, placed, held, cancelled, actions, audit;
} tally;

static void tally_registries(tally *t, const world *w)
{
    t->units = drill_units_count(w->units);
    t->classes = drill_units_class_count(w->units);
    t->rules = drill_rules_count(w->rules);
    t->campaigns = drill_campaigns_count(w->campaigns);
    t->covered = 0;
    for (int y = DRILL_DATE_MIN_YEAR; y <= DRILL_DATE_MAX_YEAR; y++) {
        int c = 0;
        drill_calendar_is_covered(&c, w->cal, y);
        t->covered += c;
    }
}

static int tally_plan(tally *t, const world *w)
{
    drill_quality q = DRILL_QUALITY_INIT;
    int rc = drill_plan_quality(&q, w->plan);
    if (rc)
        return rc;
    tally_registries(t, w);
    t->drills = drill_plan_count(w->plan);
    t->placed = q.placed;
    t->held = q.held;
    t->cancelled = q.cancelled;
    t->audit = drill_audit_count(w->plan);
    t->actions = 0;
    for (size_t i = 0; i < t->drills; i++) {
        drill_item it = DRILL_ITEM_INIT;
        drill_track_info info = DRILL_TRACK_INFO_INIT;
        if ((rc = drill_plan_get(&it, w->plan, i)) || (rc = drill_track_get(&info, w->plan, it.id)))
            return rc;
        t->actions += info.actions;
    }
    return 0;
}

/* the two tallies side by side; 0 if they agree */
static int compare_tallies(const char *what, const tally *a, const tally *b, int plan)
{
    static const char *const names[] = { "units", "classes", "rules", "campaigns", "covered years", "drills",
                                         "placed", "held", "cancelled", "actions", "audit entries" };
    const size_t *x = &a->units, *y = &b->units;
    size_t n = plan ? 11 : 5;
    int bad = 0;
    printf("%-20s", what);
    for (size_t i = 0; i < n; i++) {
        printf(" %s %zu", names[i], x[i]);
        if (x[i] != y[i]) {
            printf(" (copy has %zu!)", y[i]);
            bad = 1;
        }
        putchar(i + 1 < n ? ',' : '\n');
    }
    return bad;
}

/* a file TO is held against drillctl writers while it is filled (the
 * descriptor stays open to the end, as lock_store()'s does) */
static int lock_copy_target(const char *path, const char *shown)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return input_error("cannot open %s: %s", shown, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0)
        return errno == EWOULDBLOCK ? input_error("%s is being written by another drillctl", shown)
                                    : internal_error("cannot lock %s: %s", shown, strerror(errno));
    return 0;
}

int cmd_copy(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "copy", H_COPY, argc, argv, "", 2, 2);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    const char *from = c.pos[0], *to = c.pos[1];
    char from_shown[4200], to_shown[4200];
    drill_store_display_name(from_shown, sizeof from_shown, from);
    drill_store_display_name(to_shown, sizeof to_shown, to);
    drill_store *src = NULL, *dst = NULL;
    world w = { 0 }, back = { 0 };
    tally a, b;
    struct stat st;
    if (strcmp(from, to) == 0)
        return usage_error(&c, "FROM and TO are the same store");
    if (!drill_store_is_server(from) && stat(from, &st) != 0)
        return input_error("no store at %s", from_shown);
    drill_store_options ro = DRILL_STORE_OPTIONS_INIT;
    ro.read_only = 1;
    ro.existing_only = 1;
    progress("opening %s...", from_shown);
    if ((rc = drill_store_open(&src, from, &ro)) == DRILL_EVERSION) {
        ro.read_only = 0; /* an older store: migrated by a writable open */
        rc = drill_store_open(&src, from, &ro);
    }
    if (rc) {
        rc = rc == DRILL_ENOTFOUND ? input_error("%s is not a libdrill store: %s", from_shown,
                                                 drill_error_last()->message)
                                   : fail(rc);
        goto done;
    }
    progress("opening %s...", to_shown);
    if ((rc = drill_store_open(&dst, to, NULL))) {
        rc = fail(rc);
        goto done;
    }
    if (!drill_store_is_server(to) && (rc = lock_copy_target(to, to_shown)))
        goto done;
    /* TO must be empty: no working registries, no plan */
    size_t nyears = 0;
    rc = drill_store_load_registries(&w.units, &w.rules, &w.campaigns, &w.cal, dst);
    world_close(&w);
    if (rc != DRILL_ENOTFOUND || (rc = drill_store_plan_years(NULL, 0, &nyears, dst)) || nyears) {
        rc = rc && rc != DRILL_ENOTFOUND ? fail(rc)
                                         : input_error("%s is not empty (it has registries or plans): copy needs an"
                                                       " empty store", to_shown);
        goto done;
    }
    int years[DRILL_DATE_MAX_YEAR - DRILL_DATE_MIN_YEAR + 1];
    if ((rc = drill_store_plan_years(years, sizeof years / sizeof *years, &nyears, src))) {
        rc = fail(rc);
        goto done;
    }
    int bad = 0;
    memset(&a, 0, sizeof a);
    /* the working registries */
    progress("copying the working registries...");
    rc = drill_store_load_registries(&w.units, &w.rules, &w.campaigns, &w.cal, src);
    if (rc == 0) {
        if ((rc = drill_store_save_registries(dst, w.units, w.rules, w.campaigns, w.cal)) ||
            (rc = drill_store_load_registries(&back.units, &back.rules, &back.campaigns, &back.cal, dst))) {
            rc = fail(rc);
            goto done;
        }
        tally_registries(&a, &w);
        tally_registries(&b, &back);
        progress_clear();
        bad |= compare_tallies("working registries", &a, &b, 0);
    } else if (rc == DRILL_ENOTFOUND) {
        printf("%-20s none\n", "working registries");
    } else {
        rc = fail(rc);
        goto done;
    }
    world_close(&w);
    world_close(&back);
    /* each plan with its own registries, tracking and audit trail */
    for (size_t i = 0; i < nyears; i++) {
        char what[32];
        snprintf(what, sizeof what, "plan %d", years[i]);
        progress("copying the plan of %d...", years[i]);
        if ((rc = drill_store_load(&w.plan, &w.units, &w.rules, &w.campaigns, &w.cal, src, years[i])) ||
            (rc = drill_store_save(dst, w.plan)) ||
            (rc = drill_store_load(&back.plan, &back.units, &back.rules, &back.campaigns, &back.cal, dst, years[i])) ||
            (rc = tally_plan(&a, &w)) || (rc = tally_plan(&b, &back))) {
            rc = fail(rc);
            goto done;
        }
        progress_clear();
        bad |= compare_tallies(what, &a, &b, 1);
        world_close(&w);
        world_close(&back);
    }
    if (bad) {
        rc = internal_error("the copy in %s differs from %s (see above)", to_shown, from_shown);
        goto done;
    }
    printf("copied %s to %s: %zu plan%s%s, verified\n", from_shown, to_shown, nyears, nyears == 1 ? "" : "s",
           a.units || a.rules ? " and the working registries" : "");
    rc = 0;
done:
    world_close(&w);
    world_close(&back);
    drill_store_close(src);
    drill_store_close(dst);
    return rc;
}
