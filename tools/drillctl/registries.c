/* drillctl: the working registries: holidays, campaigns, school terms, units and rules. */
#include "drillctl.h"

static const char H_HOLIDAYS[] =
    "usage: drillctl holidays import FILE.csv|FILE.ics [--workday-markers M] [--holiday-markers M]\n"
    "       drillctl holidays list [YEAR]\n"
    "\n"
    "import  add a holiday arrangement to the store's calendar: a CSV\n"
    "        (date,kind,name[,name_en,year]) or, for a name ending in .ics, an\n"
    "        iCalendar holiday feed (--workday-markers: '|'-separated words of a\n"
    "        SUMMARY that mark make-up working days, default 上班|补班). All or\n"
    "        nothing. Plans take it in at the next drillctl reschedule.\n"
    "list    the covered years, or the holidays and make-up working days of YEAR.\n";

static const char H_CAMPAIGNS[] =
    "usage: drillctl campaigns YEAR [--en] [--holidays FILE]...\n"
    "       drillctl campaigns set ID FROM TO\n"
    "       drillctl campaigns set flood-season MM-DD MM-DD [--lead-days N]\n"
    "       drillctl campaigns add ID --name NAME (--date MM-DD [--days N] | --from MM-DD --to MM-DD |\n"
    "                --base ID --start-offset N --end-offset N) [--name-en NAME] [--source TEXT]\n"
    "                [--first-year Y] [--last-year Y]\n"
    "       drillctl campaigns remove ID\n"
    "\n"
    "YEAR    the campaign windows of YEAR with their working days and the holidays\n"
    "        inside each, from the store's campaigns and calendar when a store is\n"
    "        given, else from the built-in ones. --holidays adds an arrangement for\n"
    "        this listing only.\n"
    "set     a year's announced window of a campaign (FROM and TO are YYYY-MM-DD:\n"
    "        the disaster-reduction week of a year, say), or the region's main flood\n"
    "        season and the length of the pre-flood window before it (--lead-days;\n"
    "        kept when not given).\n"
    "add     a campaign of your own: a fixed day (--days long), a range in each year,\n"
    "        or a window offset in days from another campaign's first day.\n"
    "remove  a campaign no rule names.\n"
    "Changes go to the store's working registries; plans take them in at\n"
    "drillctl reschedule.\n";

static const char H_TERMS[] =
    "usage: drillctl terms import FILE.csv\n"
    "       drillctl terms import FILE.ics --class ID [--markers M]\n"
    "       drillctl terms list\n"
    "\n"
    "Schools and kindergartens (classes with terms) drill in term, not in their\n"
    "breaks. The built-in classes start with the Dalian default: winter break\n"
    "January 20 - February 20, summer break July 11 - August 31.\n"
    "import  breaks from a CSV with the columns class,from,to,name: from and to\n"
    "        YYYY-MM-DD for a year's break (in that year it replaces the yearly\n"
    "        break of its name), or MM-DD for a break every year (replacing the\n"
    "        yearly break of the same name). All or nothing; errors print\n"
    "        file:line:column. A school calendar as an iCalendar feed (FILE.ics)\n"
    "        gives the breaks of --class: each all-day event whose SUMMARY holds\n"
    "        one of --markers (default 假|break|holiday|vacation) is a break.\n"
    "        Plans take them in at drillctl reschedule.\n"
    "list    the breaks of every class.\n";

static const char H_UNITS[] =
    "usage: drillctl units import FILE.csv [--replace] [--all-errors] [--skip-bad-rows]\n"
    "       drillctl units export [FILE.csv]\n"
    "       drillctl units generate OUT.csv [--count N] [--seed S] [--blackout-year Y]\n"
    "\n"
    "import    add the units of a CSV (id,name,area,class,...; see drillctl(1)).\n"
    "          All or nothing: the first bad row is reported as FILE:LINE:COLUMN and\n"
    "          nothing is imported; --all-errors reports every bad row; --skip-bad-rows\n"
    "          imports the good ones. --replace makes the file the whole registry.\n"
    "export    write every unit as CSV to FILE, or to standard output.\n"
    "generate  write a synthetic Dalian (20,737 units by default) as a units CSV; no store.\n";

static const char H_RULES[] =
    "usage: drillctl rules list [--en]\n"
    "       drillctl rules add PRESET-ID\n"
    "       drillctl rules add ID --name NAME [--kind K] [--form F] [--frequency F]\n"
    "                [--classes A|B] [--flags F,G] [--area PATH] [--min-risk R] [--flood-prone]\n"
    "                [--key-fire yes|no] [--scenario S] [--campaign C] [--due-from planned|held]\n"
    "                [--name-en NAME] [--source TEXT] [--met-by-kinds K,L] [--met-by-scenarios S|T|*]\n"
    "       drillctl rules remove ID\n"
    "\n"
    "list    the store's rules.\n"
    "add     add one of the eighteen presets by its id, or a rule of your own:\n"
    "        --kind comprehensive|special|onsite (special), --form live|tabletop (live),\n"
    "        --frequency yearly|half-yearly|rolling|biennial|monthly|quarterly (yearly), --flags of\n"
    "        production,high-risk,crowded,key-fire,government,township,public,terms,\n"
    "        --min-risk low|general|higher|major. --met-by-kinds and --met-by-scenarios\n"
    "        let another rule's drill of those kinds and scenarios (* for any) inside this\n"
    "        rule's window meet it, so that one drill serves both (Art. 33 para. 2 and\n"
    "        decree 708 art. 8 para. 2 are one duty).\n"
    "remove  remove a rule. Plans take rule changes in at the next drillctl reschedule.\n";

/* ---- holidays, campaigns ---- */

int load_holidays(drill_calendar_load_stats *st, drill_calendar *cal, const char *path,
                         const drill_ics_holiday_options *o)
{
    int rc = readable(path);
    if (rc)
        return rc;
    progress("reading %s...", path);
    rc = ends_with(path, ".ics") || ends_with(path, ".ical") ? drill_calendar_load_ics(st, cal, path, o)
                                                             : drill_calendar_load_csv(st, cal, path);
    return rc ? fail(rc) : 0;
}

int cmd_holidays(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "holidays", H_HOLIDAYS, argc, argv, "workday-markers= holiday-markers=", 1, 2);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    int import = strcmp(c.pos[0], "import") == 0;
    if (!import && strcmp(c.pos[0], "list") != 0)
        return usage_error(&c, "unknown subcommand '%s' (import or list)", c.pos[0]);
    if (import && c.npos != 2)
        return usage_error(&c, "import needs a FILE");
    int year = 0;
    if (!import && c.npos == 2 && (rc = parse_year(&c, c.pos[1], &year)))
        return rc;
    world w = { 0 };
    if ((rc = open_store(&w, &c, import)) || (rc = load_registries(&w)))
        goto done;
    if (import) {
        drill_ics_holiday_options o = DRILL_ICS_HOLIDAY_OPTIONS_INIT;
        o.workday_markers = opt(&c, "workday-markers");
        o.holiday_markers = opt(&c, "holiday-markers");
        drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
        if ((rc = load_holidays(&st, w.cal, c.pos[1], &o)) || (rc = save_registries(&w)))
            goto done;
        printf("imported %s: %d days (%d holidays, %d make-up working days)", c.pos[1], st.entries, st.holidays,
               st.workdays);
        if (st.skipped)
            printf(", %d events skipped", st.skipped);
        printf("\nyears covered: ");
        print_covered(w.cal);
        printf("\n");
        goto done;
    }
    progress_clear();
    if (!year) {
        printf("years covered: ");
        print_covered(w.cal);
        printf("\n");
        goto done;
    }
    int covered = 0;
    drill_calendar_is_covered(&covered, w.cal, year);
    if (!covered) {
        printf("no holiday arrangement for %d is loaded: working days are Monday-Friday only\n", year);
        goto done;
    }
    for (int k = 0; k < (drill_date_is_leap_year(year) ? 366 : 365); k++) {
        drill_date d;
        drill_day_info info = DRILL_DAY_INFO_INIT;
        char day[DRILL_DATE_STRLEN];
        drill_date_add_days(&d, (drill_date){ year, 1, 1 }, k);
        if (drill_calendar_day_info(&info, w.cal, d) || (info.kind != DRILL_DAY_HOLIDAY &&
                                                         info.kind != DRILL_DAY_MAKEUP_WORKDAY))
            continue;
        drill_date_format(day, sizeof day, d);
        printf("%s  %-7s  %s%s%s\n", day, info.kind == DRILL_DAY_HOLIDAY ? "holiday" : "workday", info.name,
               *info.name_en ? "  " : "", info.name_en);
    }
done:
    world_close(&w);
    return rc;
}

/* the holidays inside a window, as runs: "春节 02-06..02-13" */
static void print_holidays(const drill_calendar *cal, const drill_campaign_window *w, int en)
{
    int first = 1;
    drill_date d = w->start, run_start = w->start;
    const char *run_name = NULL;
    for (int i = 0; i <= w->days; i++) {
        drill_day_info info = { DRILL_DAY_INFO_VERSION, DRILL_DAY_WORKDAY, 1, 1, "", "" };
        const char *name = NULL;
        if (i < w->days && drill_calendar_day_info(&info, cal, d) == 0 && info.kind == DRILL_DAY_HOLIDAY)
            name = en && *info.name_en ? info.name_en : info.name;
        if (run_name && (!name || strcmp(name, run_name) != 0)) {
            drill_date last;
            drill_date_add_days(&last, d, -1);
            printf("%s%s %02d-%02d..%02d-%02d", first ? "" : "; ", run_name, run_start.month, run_start.day,
                   last.month, last.day);
            first = 0;
            run_name = NULL;
        }
        if (name && !run_name) {
            run_name = name;
            run_start = d;
        }
        if (i < w->days)
            drill_date_add_days(&d, d, 1);
    }
    printf("%s\n", first ? "-" : "");
}

/* "MM-DD", a day that exists in some year */
static int parse_month_day(const char *s, int *month, int *day)
{
    long m, d;
    if (strlen(s) != 5 || s[2] != '-')
        return -1;
    char a[3] = { s[0], s[1], 0 }, b[3] = { s[3], s[4], 0 };
    if (parse_long(a, 1, 12, &m) || parse_long(b, 1, 31, &d))
        return -1;
    static const int dim[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (d > dim[m - 1])
        return -1;
    *month = (int)m;
    *day = (int)d;
    return 0;
}

/* whether a rule of the store names a campaign; *rule_id its id */
static int campaign_used(const drill_rules *rules, const char *id, const char **rule_id)
{
    for (size_t i = 0; i < drill_rules_count(rules); i++) {
        drill_rule r = DRILL_RULE_INIT;
        if (drill_rules_get(&r, rules, i) == 0 && r.campaign && strcmp(r.campaign, id) == 0) {
            *rule_id = r.id;
            return 1;
        }
    }
    return 0;
}

static int campaigns_set_flood(const cmdline *c, world *w)
{
    int m, d, em, ed, lead = 0;
    if (parse_month_day(c->pos[2], &m, &d))
        return usage_error(c, "'%s' is not a day MM-DD", c->pos[2]);
    if (parse_month_day(c->pos[3], &em, &ed))
        return usage_error(c, "'%s' is not a day MM-DD", c->pos[3]);
    if (opt(c, "lead-days") && opt_int(c, "lead-days", 1, 366, &lead))
        return EXIT_USAGE;
    size_t main_i, pre_i;
    drill_campaign_def main_def = DRILL_CAMPAIGN_DEF_INIT, pre_def = DRILL_CAMPAIGN_DEF_INIT;
    int rc;
    if ((rc = drill_campaigns_find(&main_i, w->campaigns, "main-flood-season")) ||
        (rc = drill_campaigns_find(&pre_i, w->campaigns, "pre-flood-season")) ||
        (rc = drill_campaigns_get(&main_def, NULL, w->campaigns, main_i)) ||
        (rc = drill_campaigns_get(&pre_def, NULL, w->campaigns, pre_i)))
        return fail(rc);
    if (main_def.rule != DRILL_CAMPAIGN_RANGE || pre_def.rule != DRILL_CAMPAIGN_OFFSET)
        return input_error("the store's flood-season campaigns are not the built-in kind (a range and an "
                           "offset from it): change them with campaigns remove and add");
    if (!lead)
        lead = -pre_def.start_offset;
    main_def.month = m;
    main_def.day = d;
    main_def.end_month = em;
    main_def.end_day = ed;
    pre_def.start_offset = -lead;
    pre_def.end_offset = -1;
    if ((rc = drill_campaigns_update(w->campaigns, &main_def)) || (rc = drill_campaigns_update(w->campaigns, &pre_def)))
        return fail(rc);
    if ((rc = save_registries(w)))
        return rc;
    printf("main flood season %02d-%02d .. %02d-%02d, pre-flood window the %d days before it (plans take it in "
           "at drillctl reschedule)\n",
           m, d, em, ed, lead);
    return 0;
}

static int campaigns_add(const cmdline *c, world *w, const char *id)
{
    drill_campaign_def def = DRILL_CAMPAIGN_DEF_INIT;
    def.id = id;
    def.name = opt(c, "name");
    def.name_en = opt(c, "name-en");
    def.source = opt(c, "source");
    if (!def.name)
        return usage_error(c, "add needs --name");
    const char *date = opt(c, "date"), *from = opt(c, "from"), *to = opt(c, "to"), *base = opt(c, "base");
    if (!!date + !!(from || to) + !!base != 1)
        return usage_error(c, "add needs one of --date, --from with --to, or --base");
    if (date) {
        def.rule = DRILL_CAMPAIGN_FIXED;
        if (parse_month_day(date, &def.month, &def.day))
            return usage_error(c, "--date: '%s' is not a day MM-DD", date);
        if (opt(c, "days") && opt_int(c, "days", 1, 366, &def.length_days))
            return EXIT_USAGE;
    } else if (from) {
        def.rule = DRILL_CAMPAIGN_RANGE;
        if (!to)
            return usage_error(c, "--from needs --to");
        if (parse_month_day(from, &def.month, &def.day))
            return usage_error(c, "--from: '%s' is not a day MM-DD", from);
        if (parse_month_day(to, &def.end_month, &def.end_day))
            return usage_error(c, "--to: '%s' is not a day MM-DD", to);
    } else if (to) {
        return usage_error(c, "--to needs --from");
    } else {
        def.rule = DRILL_CAMPAIGN_OFFSET;
        def.base = base;
        if (!opt(c, "start-offset") || !opt(c, "end-offset"))
            return usage_error(c, "--base needs --start-offset and --end-offset");
        if (opt_int(c, "start-offset", -366, 366, &def.start_offset) ||
            opt_int(c, "end-offset", -366, 366, &def.end_offset))
            return EXIT_USAGE;
    }
    if ((opt(c, "first-year") && opt_int(c, "first-year", DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, &def.first_year)) ||
        (opt(c, "last-year") && opt_int(c, "last-year", DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, &def.last_year)))
        return EXIT_USAGE;
    int rc = drill_campaigns_add(w->campaigns, &def);
    if (rc)
        return fail(rc);
    if ((rc = save_registries(w)))
        return rc;
    printf("added campaign %s (%s); rules name it with --campaign %s\n", id, def.name, id);
    return 0;
}

static int campaigns_edit(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "campaigns", H_CAMPAIGNS, argc, argv,
                   "name= name-en= source= date= days= from= to= base= start-offset= end-offset= first-year= "
                   "last-year= lead-days=",
                   2, 4);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    const char *sub = c.pos[0], *id = c.pos[1];
    int set = strcmp(sub, "set") == 0, flood = set && strcmp(id, "flood-season") == 0;
    if (set && c.npos != 4)
        return usage_error(&c, flood ? "set flood-season needs the season's first and last days, MM-DD MM-DD"
                                     : "set needs a campaign ID and its window FROM TO (YYYY-MM-DD)");
    if (!set && c.npos != 2)
        return usage_error(&c, "%s takes one campaign ID", sub);
    if (!flood && opt(&c, "lead-days"))
        return usage_error(&c, "--lead-days goes with set flood-season");
    drill_date from, to;
    if (set && !flood) {
        if (drill_date_parse(&from, c.pos[2]) || drill_date_parse(&to, c.pos[3]))
            return usage_error(&c, "'%s %s' is not a window YYYY-MM-DD YYYY-MM-DD", c.pos[2], c.pos[3]);
        if (from.year != to.year)
            return usage_error(&c, "a year's window starts and ends in that year");
    }
    world w = { 0 };
    if ((rc = open_store(&w, &c, 1)) || (rc = load_registries(&w)))
        goto done;
    progress_clear();
    if (flood) {
        rc = campaigns_set_flood(&c, &w);
    } else if (set) {
        if ((rc = drill_campaigns_set_year(w.campaigns, id, from, to))) {
            rc = fail(rc);
            goto done;
        }
        if ((rc = save_registries(&w)))
            goto done;
        printf("campaign %s in %d: %s .. %s, as announced (plans take it in at drillctl reschedule)\n", id,
               from.year, c.pos[2], c.pos[3]);
    } else if (strcmp(sub, "add") == 0) {
        rc = campaigns_add(&c, &w, id);
    } else {
        const char *rule = NULL;
        if (campaign_used(w.rules, id, &rule)) {
            rc = input_error("rule %s names campaign %s: remove or change the rule first", rule, id);
            goto done;
        }
        if ((rc = drill_campaigns_remove(w.campaigns, id))) {
            rc = fail(rc);
            goto done;
        }
        if ((rc = save_registries(&w)))
            goto done;
        printf("removed campaign %s; %zu campaigns left\n", id, drill_campaigns_count(w.campaigns));
    }
done:
    world_close(&w);
    return rc;
}

int cmd_campaigns(int argc, char **argv)
{
    if (argc > 0 && (strcmp(argv[0], "set") == 0 || strcmp(argv[0], "add") == 0 || strcmp(argv[0], "remove") == 0))
        return campaigns_edit(argc, argv);
    cmdline c;
    int rc = parse(&c, "campaigns", H_CAMPAIGNS, argc, argv, "en holidays=", 1, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    int year = 0, en = opt(&c, "en") != NULL;
    if ((rc = parse_year(&c, c.pos[0], &year)))
        return rc;
    world w = { 0 };
    if (G.store && *G.store) {
        if ((rc = open_store(&w, &c, 0)) || (rc = load_registries(&w)))
            goto done;
        progress_clear();
    } else if ((rc = drill_calendar_new_china(&w.cal)) || (rc = drill_campaigns_new_builtin(&w.campaigns, NULL))) {
        rc = fail(rc);
        goto done;
    }
    for (int i = 0; i < c.nopt; i++)
        if (c.opt[i].len == 8 && strncmp(c.opt[i].name, "holidays", 8) == 0 &&
            (rc = load_holidays(NULL, w.cal, c.opt[i].value, NULL)))
            goto done;
    progress_clear();
    drill_uncovered_policy policy = DRILL_UNCOVERED_ERROR;
    drill_calendar_get_policy(&policy, w.cal);
    if (policy == DRILL_UNCOVERED_ERROR) /* a listing counts what it can, and says so */
        drill_calendar_set_policy(w.cal, DRILL_UNCOVERED_WEEKENDS);
    int covered = 0, provisional = 0;
    drill_calendar_is_covered(&covered, w.cal, year);
    drill_calendar_is_provisional(&provisional, w.cal, year);
    printf("%s %d (%s)\n", en ? "Campaigns of" : "演练活动窗口", year,
           G.store ? G.store : en ? "Dalian defaults" : "大连默认配置");
    if (provisional)
        printf(en ? "NOTE: no State Council notice for %d is loaded: working days are PROVISIONAL, from the\n"
                    "      law's statutory holidays and the weekends (bridging days and make-up working days\n"
                    "      need the notice: drillctl holidays import FILE).\n"
                  : "注意: 未载入 %d 年国务院放假通知: 工作日为依《全国年节及纪念日放假办法》推算的临时安排"
                    "(法定节假日与周末; 调休需待通知公布后用 drillctl holidays import FILE 载入)。\n",
               year);
    else if (!covered)
        printf(en ? "NOTE: no holiday arrangement for %d is loaded: working days count weekends only,\n"
                    "      statutory holidays are missing. Load the State Council notice with\n"
                    "      drillctl holidays import FILE.\n"
                  : "注意: 未载入 %d 年节假日安排, 工作日仅按周末计算, 法定节假日缺失。"
                    "请用 drillctl holidays import FILE 载入国务院通知。\n",
               year);
    for (size_t i = 0; i < drill_campaigns_count(w.campaigns); i++) {
        drill_campaign_window win = DRILL_CAMPAIGN_WINDOW_INIT;
        rc = drill_campaigns_window_at(&win, w.campaigns, i, year, w.cal);
        if (rc == DRILL_ENOTFOUND)
            continue;
        if (rc) {
            rc = fail(rc);
            goto done;
        }
        char a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN];
        drill_date_format(a, sizeof a, win.start);
        drill_date_format(b, sizeof b, win.end);
        printf("\n%s%s\n", en && *win.name_en ? win.name_en : win.name,
               win.origin == DRILL_WINDOW_ESTIMATED ? (en ? "  [estimated: dates not yet announced]"
                                                          : "  [估计: 日期尚未公布]")
                                                    : "");
        printf("  %s %s .. %s   %s %d   %s %d%s\n", en ? "window" : "窗口", a, b, en ? "days" : "天数", win.days,
               en ? "working days" : "工作日", win.working_days, win.covered ? "" : "*");
        printf("  %s ", en ? "holidays:" : "节假日:");
        print_holidays(w.cal, &win, en);
    }
    rc = 0;
done:
    world_close(&w);
    return rc;
}

/* ---- school terms ---- */

int cmd_terms(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "terms", H_TERMS, argc, argv, "class= markers=", 1, 2);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    const char *sub = c.pos[0];
    int import = strcmp(sub, "import") == 0, list = strcmp(sub, "list") == 0;
    if (!import && !list)
        return usage_error(&c, "unknown subcommand '%s' (import or list)", sub);
    if (import != (c.npos == 2))
        return usage_error(&c, import ? "import needs a FILE.csv" : "list takes no argument");
    int ics = import && ends_with(c.pos[1], ".ics");
    if (ics && !opt(&c, "class"))
        return usage_error(&c, "an iCalendar school calendar needs --class (the class whose breaks it gives)");
    if (!ics && (opt(&c, "class") || opt(&c, "markers")))
        return usage_error(&c, "--class and --markers go with an .ics school calendar");
    if (import && (rc = readable(c.pos[1])))
        return rc;
    world w = { 0 };
    if ((rc = open_store(&w, &c, import)) || (rc = load_registries(&w)))
        goto done;
    progress_clear();
    if (import) {
        size_t n = 0;
        if ((rc = ics ? drill_units_load_terms_ics(&n, w.units, opt(&c, "class"), c.pos[1], opt(&c, "markers"))
                      : drill_units_load_terms_csv(&n, w.units, c.pos[1]))) {
            rc = fail(rc);
            goto done;
        }
        if ((rc = save_registries(&w)))
            goto done;
        printf("imported %zu breaks from %s (plans take them in at drillctl reschedule)\n", n, c.pos[1]);
        goto done;
    }
    printf("%-22s %-10s %s\n", "class", "break", "days");
    for (size_t i = 0; i < drill_units_break_count(w.units); i++) {
        drill_break b = DRILL_BREAK_INIT;
        if ((rc = drill_units_break_at(&b, w.units, i))) {
            rc = fail(rc);
            goto done;
        }
        printf("%-22s ", b.class_id);
        print_cell(b.name, 10, 0);
        if (b.yearly)
            printf(" every year %02d-%02d .. %02d-%02d\n", b.from.month, b.from.day, b.to.month, b.to.day);
        else
            printf(" %04d-%02d-%02d .. %04d-%02d-%02d\n", b.from.year, b.from.month, b.from.day, b.to.year,
                   b.to.month, b.to.day);
    }
    printf("%zu breaks\n", drill_units_break_count(w.units));
done:
    world_close(&w);
    return rc;
}

/* ---- units ---- */

static int cmd_units_generate(cmdline *c)
{
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    int count = 0, seed = (int)g.seed, year = 0, rc;
    if (c->npos != 2)
        return usage_error(c, "generate needs OUT.csv");
    if ((rc = opt_int(c, "count", 1, 100000000, &count)) || (rc = opt_int(c, "seed", 0, 2147483647, &seed)) ||
        (rc = opt_int(c, "blackout-year", DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, &year)))
        return rc;
    g.count = (size_t)count;
    g.seed = (unsigned long long)seed;
    g.blackout_year = year;
    drill_units *units = NULL;
    rc = drill_units_new(&units);
    if (rc == 0)
        rc = drill_units_generate(units, &g);
    if (rc == 0)
        rc = drill_units_export_csv(units, c->pos[1]);
    int status = rc ? fail(rc) : 0;
    if (!rc)
        printf("wrote %zu units in %zu districts to %s\n", drill_units_count(units),
               drill_units_district_count(units), c->pos[1]);
    drill_units_free(units);
    return status;
}

/* a registry with the classes of another (the built-in ones and those added) and no units */
static int units_like(drill_units **out, const drill_units *like)
{
    int rc = drill_units_new(out);
    for (size_t i = 0; rc == 0 && i < drill_units_class_count(like); i++) {
        drill_class_def d = DRILL_CLASS_DEF_INIT;
        drill_units_class_at(&d, like, i);
        rc = drill_units_add_class(*out, &d);
        if (rc == DRILL_EEXISTS)
            rc = 0;
    }
    return rc;
}

static int cmd_units_import(cmdline *c)
{
    if (c->npos != 2)
        return usage_error(c, "import needs FILE.csv");
    const char *path = c->pos[1];
    world w = { 0 };
    drill_units *into = NULL;
    drill_import_report *report = NULL;
    drill_import_options o = DRILL_IMPORT_OPTIONS_INIT;
    o.all_errors = opt(c, "all-errors") != NULL;
    o.skip_bad_rows = opt(c, "skip-bad-rows") != NULL;
    int replace = opt(c, "replace") != NULL;
    size_t imported = 0;
    int rc = readable(path);
    if (rc || (rc = open_store(&w, c, 1)) || (rc = load_registries(&w)))
        goto done;
    if (replace && (rc = units_like(&into, w.units))) {
        rc = fail(rc);
        goto done;
    }
    progress("importing %s...", path);
    rc = drill_units_import_csv(&report, &imported, replace ? into : w.units, path, &o);
    size_t nerr = drill_import_report_count(report);
    if (rc && nerr <= 1 && !o.all_errors && !o.skip_bad_rows) {
        rc = fail(rc);
        goto done;
    }
    progress_clear();
    for (size_t i = 0; i < nerr; i++) {
        drill_import_error e = DRILL_IMPORT_ERROR_INIT;
        drill_import_report_get(&e, report, i);
        fprintf(stderr, "drillctl: %s:%d:%d: %s\n", path, e.line, e.column, e.message);
    }
    if (rc) {
        fprintf(stderr, "drillctl: %s: %zu bad row%s; nothing imported\n", path, nerr, nerr == 1 ? "" : "s");
        rc = status_of(rc);
        goto done;
    }
    if (replace) {
        drill_units_free(w.units);
        w.units = into;
        into = NULL;
    }
    if ((rc = save_registries(&w)))
        goto done;
    printf("imported %zu units from %s%s; the store has %zu units in %zu districts\n", imported, path,
           nerr ? " (bad rows skipped)" : "", drill_units_count(w.units), drill_units_district_count(w.units));
done:
    drill_import_report_free(report);
    drill_units_free(into);
    world_close(&w);
    return rc;
}

static int copy_to_stdout(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return input_error("%s: %s", path, strerror(errno));
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            break;
    int bad = ferror(f) || ferror(stdout);
    fclose(f);
    return bad ? EXIT_INTERNAL : 0;
}

static int cmd_units_export(cmdline *c)
{
    world w = { 0 };
    char tmpdir[64] = "", tmp[96] = "";
    int rc = open_store(&w, c, 0);
    if (rc || (rc = load_registries(&w)))
        goto done;
    progress_clear();
    const char *path = c->npos == 2 ? c->pos[1] : NULL;
    if (!path) { /* the library writes files atomically: go through a temporary one, in a private folder */
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/drillctl-XXXXXX", base && *base && strlen(base) < 40 ? base : "/tmp");
        if (!mkdtemp(tmpdir)) {
            rc = internal_error("cannot make a temporary folder: %s", strerror(errno));
            tmpdir[0] = '\0';
            goto done;
        }
        snprintf(tmp, sizeof tmp, "%s/units.csv", tmpdir);
        path = tmp;
    }
    if ((rc = drill_units_export_csv(w.units, path))) {
        rc = fail(rc);
        goto done;
    }
    if (tmp[0])
        rc = copy_to_stdout(tmp);
    else
        printf("wrote %zu units to %s\n", drill_units_count(w.units), path);
done:
    if (tmp[0])
        remove(tmp);
    if (tmpdir[0])
        rmdir(tmpdir);
    world_close(&w);
    return rc;
}

int cmd_units(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "units", H_UNITS, argc, argv,
                   "replace all-errors skip-bad-rows count= seed= blackout-year=", 1, 2);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    if (strcmp(c.pos[0], "import") == 0)
        return cmd_units_import(&c);
    if (strcmp(c.pos[0], "export") == 0)
        return cmd_units_export(&c);
    if (strcmp(c.pos[0], "generate") == 0)
        return cmd_units_generate(&c);
    return usage_error(&c, "unknown subcommand '%s' (import, export or generate)", c.pos[0]);
}

/* ---- rules ---- */

static void rule_who(char *buf, size_t n, const drill_rule *r)
{
    static const char *const flags[] = { "production", "high-risk", "crowded", "key-fire", "government",
                                         "township", "public", "terms" };
    size_t len = 0;
    buf[0] = '\0';
    if (r->classes)
        len += (size_t)snprintf(buf + len, n - len, "%s", r->classes);
    for (int b = 0; b < 8 && len < n; b++)
        if (r->class_flags & (1u << b))
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "," : "", flags[b]);
    if (r->area && len < n)
        len += (size_t)snprintf(buf + len, n - len, "%sin %s", len ? " " : "", r->area);
    if (r->min_risk && len < n)
        len += (size_t)snprintf(buf + len, n - len, "%srisk>=%s", len ? " " : "", RISK_NAMES[r->min_risk]);
    if (r->flood_prone && len < n)
        len += (size_t)snprintf(buf + len, n - len, "%sflood-prone", len ? " " : "");
    if (r->key_fire && len < n)
        len += (size_t)snprintf(buf + len, n - len, "%s%skey-fire", len ? " " : "", r->key_fire < 0 ? "not " : "");
    if (!buf[0])
        snprintf(buf, n, "every unit");
    buf[drill_utf8_cut(buf, n - 1)] = '\0'; /* a long area path: never half a character */
}

static int rules_list(world *w, int en)
{
    printf("%-24s %-11s %-13s %-8s %-11s %-24s %s\n", "id", "frequency", "kind", "form", "scenario", "campaign",
           "who");
    for (size_t i = 0; i < drill_rules_count(w->rules); i++) {
        drill_rule r = DRILL_RULE_INIT;
        char who[256];
        drill_rules_get(&r, w->rules, i);
        rule_who(who, sizeof who, &r);
        printf("%-24s %-11s %-13s %-8s %-11s %-24s %s\n", r.id, FREQ_NAMES[r.frequency], KIND_NAMES[r.kind],
               FORM_NAMES[r.form], r.scenario ? r.scenario : "(class's)", r.campaign ? r.campaign : "-", who);
        printf("%-24s %s%s%s\n", "", en && r.name_en ? r.name_en : r.name, r.source ? " - " : "",
               r.source ? r.source : "");
        if (r.satisfied_by_kinds || r.satisfied_by_scenarios) {
            printf("%-24s also met by another rule's drill of kind", "");
            for (int k = 1; k < 4; k++)
                if ((r.satisfied_by_kinds ? r.satisfied_by_kinds : DRILL_KIND_BIT(r.kind)) & DRILL_KIND_BIT(k))
                    printf(" %s", KIND_NAMES[k]);
            printf(", scenario %s\n", !r.satisfied_by_scenarios ? (r.scenario ? r.scenario : "(class's)")
                                       : strcmp(r.satisfied_by_scenarios, "*") == 0 ? "any"
                                                                                     : r.satisfied_by_scenarios);
        }
    }
    printf("%zu rules\n", drill_rules_count(w->rules));
    return 0;
}

static int parse_flags(const cmdline *c, const char *s, unsigned int *out)
{
    static const char *const names[] = { "production", "high-risk", "crowded", "key-fire", "government",
                                         "township", "public", "terms" };
    *out = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        int found = -1;
        for (int b = 0; b < 8; b++)
            if (strlen(names[b]) == n && strncmp(s, names[b], n) == 0)
                found = b;
        if (found < 0)
            return usage_error(c, "--flags: '%.*s' is not one of production, high-risk, crowded, key-fire, "
                                  "government, township, public, terms", (int)n, s);
        *out |= 1u << found;
        s += n + (s[n] == ',');
    }
    return 0;
}

/* a rule of one's own from the options */
static int rule_from_options(const cmdline *c, drill_rule *r)
{
    const char *v;
    int kind = (int)r->kind, form = (int)r->form, frequency = (int)r->frequency, min_risk = (int)r->min_risk, rc;
    r->name = opt(c, "name");
    r->name_en = opt(c, "name-en");
    r->source = opt(c, "source");
    r->classes = opt(c, "classes");
    r->area = opt(c, "area");
    r->scenario = opt(c, "scenario");
    r->campaign = opt(c, "campaign");
    r->flood_prone = opt(c, "flood-prone") != NULL;
    if ((rc = opt_name(c, "kind", KIND_NAMES, 4, 0, "comprehensive, special or onsite", &kind)) ||
        (rc = opt_name(c, "form", FORM_NAMES, 3, 0, "live or tabletop", &form)) ||
        (rc = opt_name(c, "frequency", FREQ_NAMES, 7, 0, "yearly, half-yearly, rolling, biennial, monthly or quarterly",
                       &frequency)) ||
        (rc = opt_name(c, "min-risk", RISK_NAMES, 5, 1, "low, general, higher or major", &min_risk)))
        return rc;
    r->kind = (drill_kind)kind;
    r->form = (drill_form)form;
    r->frequency = (drill_frequency)frequency;
    r->min_risk = (drill_risk)min_risk;
    if ((v = opt(c, "key-fire"))) {
        if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
            return usage_error(c, "--key-fire: '%s' is not yes or no", v);
        r->key_fire = strcmp(v, "yes") == 0 ? 1 : -1;
    }
    if ((v = opt(c, "due-from"))) {
        if (strcmp(v, "planned") != 0 && strcmp(v, "held") != 0)
            return usage_error(c, "--due-from: '%s' is not planned or held", v);
        r->due_from = strcmp(v, "held") == 0 ? DRILL_DUE_FROM_HELD : DRILL_DUE_FROM_PLANNED;
    }
    r->satisfied_by_scenarios = opt(c, "met-by-scenarios");
    if ((v = opt(c, "met-by-kinds"))) {
        while (*v) { /* comprehensive,special,onsite */
            size_t n = strcspn(v, ",");
            int k = 0;
            for (int j = 1; j < 4 && !k; j++)
                if (strlen(KIND_NAMES[j]) == n && strncmp(v, KIND_NAMES[j], n) == 0)
                    k = j;
            if (!k)
                return usage_error(c, "--met-by-kinds: '%.*s' is not comprehensive, special or onsite", (int)n, v);
            r->satisfied_by_kinds |= DRILL_KIND_BIT(k);
            v += n + (v[n] == ',');
        }
    }
    if ((v = opt(c, "flags")))
        return parse_flags(c, v, &r->class_flags);
    return 0;
}

/* whether a campaign id is in the set: it has a window in some year */
static int has_campaign(const drill_campaigns *set, const char *id)
{
    drill_campaign_window win = DRILL_CAMPAIGN_WINDOW_INIT;
    for (int y = DRILL_DATE_MIN_YEAR; y <= DRILL_DATE_MAX_YEAR; y++)
        if (drill_campaigns_window(&win, set, id, y, NULL) == 0)
            return 1;
    return 0;
}

int cmd_rules(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "rules", H_RULES, argc, argv,
                   "en name= name-en= source= classes= flags= area= min-risk= flood-prone key-fire= kind= form= "
                   "scenario= frequency= campaign= due-from= met-by-kinds= met-by-scenarios=",
                   1, 2);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    const char *sub = c.pos[0];
    int list = strcmp(sub, "list") == 0, add = strcmp(sub, "add") == 0, remove_ = strcmp(sub, "remove") == 0;
    if (!list && !add && !remove_)
        return usage_error(&c, "unknown subcommand '%s' (list, add or remove)", sub);
    if (!list && c.npos != 2)
        return usage_error(&c, "%s needs a rule ID", sub);
    world w = { 0 };
    drill_rules *presets = NULL;
    if ((rc = open_store(&w, &c, !list)) || (rc = load_registries(&w)))
        goto done;
    progress_clear();
    if (list) {
        rc = rules_list(&w, opt(&c, "en") != NULL);
        goto done;
    }
    const char *id = c.pos[1];
    size_t k;
    if (remove_) {
        if ((rc = drill_rules_remove(w.rules, id))) {
            rc = fail(rc);
            goto done;
        }
        if ((rc = save_registries(&w)))
            goto done;
        printf("removed rule %s; %zu rules left (plans take the change at drillctl reschedule)\n", id,
               drill_rules_count(w.rules));
        goto done;
    }
    drill_rule r = DRILL_RULE_INIT;
    if ((rc = drill_rules_new_presets(&presets))) {
        rc = fail(rc);
        goto done;
    }
    int preset = drill_rules_find(&k, presets, id) == 0;
    if (!opt(&c, "name")) {
        static const char *const rule_options[] = { "name-en", "source", "classes", "flags", "area", "min-risk",
                                                    "flood-prone", "key-fire", "kind", "form", "scenario",
                                                    "frequency", "campaign", "due-from", "met-by-kinds",
                                                    "met-by-scenarios" };
        if (!preset) {
            rc = usage_error(&c, "'%s' is not a preset; a rule of your own needs at least --name", id);
            goto done;
        }
        for (size_t i = 0; i < sizeof rule_options / sizeof *rule_options; i++)
            if (opt(&c, rule_options[i])) {
                rc = usage_error(&c, "--%s with the preset %s: a preset is added as it is; give --name to "
                                     "define a rule of your own",
                                 rule_options[i], id);
                goto done;
            }
        drill_rules_get(&r, presets, k);
    } else if ((rc = rule_from_options(&c, &r))) {
        goto done;
    } else {
        r.id = id;
    }
    if (r.campaign && !has_campaign(w.campaigns, r.campaign)) { /* a plan would refuse the rule */
        rc = input_error("rule %s: the store has no campaign '%s' (drillctl campaigns YEAR lists them)", id,
                         r.campaign);
        goto done;
    }
    if ((rc = drill_rules_add(w.rules, &r))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = save_registries(&w)))
        goto done;
    char who[256];
    rule_who(who, sizeof who, &r);
    printf("added rule %s%s: %s %s %s drill, %s, for %s (plans take it in at drillctl reschedule)\n", id,
           opt(&c, "name") ? "" : " (preset)", FREQ_NAMES[r.frequency], FORM_NAMES[r.form], KIND_NAMES[r.kind],
           r.campaign ? r.campaign : "any time", who);
done:
    drill_rules_free(presets);
    world_close(&w);
    return rc;
}
