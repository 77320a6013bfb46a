/* drillctl: libdrill from the shell, built on the public API only.
 *
 * Exit status: 0 success, 2 usage error, 3 bad input (a file that does not
 * parse, an impossible date, missing data), 4 internal failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <drill/drill.h>

enum { EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_INTERNAL = 4 };

static int fail(int rc)
{
    const drill_error *e = drill_error_last();
    if (e->line > 0)
        fprintf(stderr, "drillctl: %s:%d:%d: %s\n", e->source, e->line, e->column, e->message);
    else
        fprintf(stderr, "drillctl: %s (%s)\n", e->message, drill_strerror(rc));
    return rc == DRILL_ENOMEM || rc == DRILL_EIO ? EXIT_INTERNAL : EXIT_INPUT;
}

static int usage(FILE *to, int status)
{
    fprintf(to,
            "usage: drillctl campaigns YEAR [--holidays FILE]... [--en]\n"
            "       drillctl units generate OUT.csv [--count N] [--seed S] [--blackout-year Y]\n"
            "       drillctl plan YEAR --units FILE.csv [--holidays FILE]... [--capacity N]\n"
            "                     [--spacing DAYS] [--allow-uncovered] [--csv OUT.csv]\n"
            "       drillctl --version | --help\n"
            "\n"
            "campaigns       list the campaigns of YEAR with their windows, working days and\n"
            "                the holidays inside each; China's arrangements for 2022-2026 are\n"
            "                built in, --holidays adds another (a CSV date,kind,name or an\n"
            "                iCalendar holiday feed); --en prints English names.\n"
            "units generate  write a synthetic Dalian (20,737 units by default) as a units CSV.\n"
            "plan            plan YEAR for the units with the preset rules and schedule it;\n"
            "                print the quality report (--csv also writes every drill).\n"
            "                --allow-uncovered plans a year without a holiday arrangement\n"
            "                from weekends alone.\n");
    return status;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* the holidays inside a window, as runs: "春节 02-06..02-13" */
static void print_holidays(const drill_calendar *cal, const drill_campaign_window *w, int en)
{
    int first = 1;
    drill_date d = w->start, run_start = w->start;
    const char *run_name = NULL;
    for (int i = 0; i <= w->days; i++) {
        drill_day_info info = { DRILL_DAY_WORKDAY, 1, 1, "", "" };
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

static int cmd_campaigns(int argc, char **argv)
{
    int year = 0, en = 0, rc, status = 0;
    const char *files[16];
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "--en") == 0)
            en = 1;
        else if (strcmp(argv[i], "--holidays") == 0 && i + 1 < argc && nfiles < 16)
            files[nfiles++] = argv[++i];
        else if (!year && argv[i][0] != '-') {
            char *end;
            long y = strtol(argv[i], &end, 10);
            if (*end || y < DRILL_DATE_MIN_YEAR || y > DRILL_DATE_MAX_YEAR) {
                fprintf(stderr, "drillctl: YEAR must be %d-%d, not '%s'\n", DRILL_DATE_MIN_YEAR,
                        DRILL_DATE_MAX_YEAR, argv[i]);
                return EXIT_USAGE;
            }
            year = (int)y;
        } else
            return usage(stderr, EXIT_USAGE);
    }
    if (!year)
        return usage(stderr, EXIT_USAGE);

    drill_calendar *cal = NULL;
    drill_campaigns *set = NULL;
    if ((rc = drill_calendar_new_china(&cal)) || (rc = drill_campaigns_new_builtin(&set, NULL))) {
        status = fail(rc);
        goto done;
    }
    for (int i = 0; i < nfiles; i++) {
        rc = ends_with(files[i], ".ics") ? drill_calendar_load_ics(NULL, cal, files[i], NULL)
                                         : drill_calendar_load_csv(NULL, cal, files[i]);
        if (rc) {
            status = fail(rc);
            goto done;
        }
    }
    drill_calendar_set_policy(cal, DRILL_UNCOVERED_WEEKENDS);
    int covered = 0;
    drill_calendar_is_covered(&covered, cal, year);
    printf("%s %d (%s)\n", en ? "Campaigns of" : "演练活动窗口", year,
           en ? "Dalian defaults" : "大连默认配置");
    if (!covered)
        printf(en ? "NOTE: no holiday arrangement for %d is loaded: working days count weekends only,\n"
                    "      statutory holidays are missing. Load the State Council notice with --holidays FILE.\n"
                  : "注意: 未载入 %d 年节假日安排, 工作日仅按周末计算, 法定节假日缺失。"
                    "请用 --holidays FILE 载入国务院通知。\n",
               year);
    for (size_t i = 0; i < drill_campaigns_count(set); i++) {
        drill_campaign_window w;
        rc = drill_campaigns_window_at(&w, set, i, year, cal);
        if (rc == DRILL_ENOTFOUND)
            continue;
        if (rc) {
            status = fail(rc);
            goto done;
        }
        char a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN];
        drill_date_format(a, sizeof a, w.start);
        drill_date_format(b, sizeof b, w.end);
        printf("\n%s%s\n", en && *w.name_en ? w.name_en : w.name,
               w.origin == DRILL_WINDOW_ESTIMATED ? (en ? "  [estimated: dates not yet announced]"
                                                        : "  [估计: 日期尚未公布]")
                                                  : "");
        printf("  %s %s .. %s   %s %d   %s %d%s\n", en ? "window" : "窗口", a, b, en ? "days" : "天数", w.days,
               en ? "working days" : "工作日", w.working_days, w.covered ? "" : "*");
        printf("  %s ", en ? "holidays:" : "节假日:");
        print_holidays(cal, &w, en);
    }
done:
    drill_campaigns_free(set);
    drill_calendar_free(cal);
    return status;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) {
        fprintf(stderr, "drillctl: '%s' is not a number %ld-%ld\n", s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int cmd_units_generate(int argc, char **argv)
{
    drill_generate_options g = DRILL_GENERATE_OPTIONS_INIT;
    const char *out = NULL;
    long v;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
            if (parse_int(argv[++i], 1, 100000000, &v))
                return EXIT_USAGE;
            g.count = (size_t)v;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (parse_int(argv[++i], 0, 2147483647, &v))
                return EXIT_USAGE;
            g.seed = (unsigned long long)v;
        } else if (strcmp(argv[i], "--blackout-year") == 0 && i + 1 < argc) {
            if (parse_int(argv[++i], DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, &v))
                return EXIT_USAGE;
            g.blackout_year = (int)v;
        } else if (!out && argv[i][0] != '-')
            out = argv[i];
        else
            return usage(stderr, EXIT_USAGE);
    }
    if (!out)
        return usage(stderr, EXIT_USAGE);
    drill_units *units = NULL;
    int rc = drill_units_new(&units);
    if (rc == 0)
        rc = drill_units_generate(units, &g);
    if (rc == 0)
        rc = drill_units_export_csv(units, out);
    int status = rc ? fail(rc) : 0;
    if (!rc)
        printf("wrote %zu units in %zu districts to %s\n", drill_units_count(units), drill_units_district_count(units),
               out);
    drill_units_free(units);
    return status;
}

static void csv_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int write_plan_csv(const drill_plan *plan, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "drillctl: cannot write %s\n", path);
        return EXIT_INTERNAL;
    }
    fprintf(f, "id,unit_id,unit_name,district,rule,kind,form,scenario,campaign,window_start,window_end,"
               "status,date,start,duration_minutes,observer,reason\r\n");
    for (size_t i = 0; i < drill_plan_count(plan); i++) {
        drill_item it;
        char a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN], d[DRILL_DATE_STRLEN] = "";
        drill_plan_get(&it, plan, i);
        drill_date_format(a, sizeof a, it.window_start);
        drill_date_format(b, sizeof b, it.window_end);
        if (it.status == DRILL_STATUS_SCHEDULED)
            drill_date_format(d, sizeof d, it.date);
        const char *texts[] = { it.id, it.unit_id, it.unit_name, it.district, it.rule_id };
        for (size_t k = 0; k < 5; k++) {
            csv_text(f, texts[k]);
            fputc(',', f);
        }
        fprintf(f, "%s,%s,%s,%s,%s,%s,%s,%s,", drill_kind_name(it.kind, 1), drill_form_name(it.form, 1), it.scenario,
                it.campaign, a, b, it.status == DRILL_STATUS_SCHEDULED ? "scheduled" : "planned", d);
        if (it.status == DRILL_STATUS_SCHEDULED)
            fprintf(f, "%02d:%02d,%d,", it.start_minute / 60, it.start_minute % 60, it.duration_minutes);
        else
            fputs(",,", f);
        fprintf(f, "%d,%s\r\n", it.needs_observer,
                it.reason == DRILL_REASON_NONE ? "" : drill_reason_name(it.reason));
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "drillctl: cannot write %s\n", path);
        return EXIT_INTERNAL;
    }
    return 0;
}

/* print s left-aligned in width terminal columns (CJK characters take two) */
static void print_padded(const char *s, int width)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            cols += *p >= 0xE0 ? 2 : 1;
    fputs(s, stdout);
    for (; cols < width; cols++)
        fputc(' ', stdout);
}

static int cmd_plan(int argc, char **argv)
{
    int year = 0, allow = 0, status = 0, rc, nfiles = 0;
    const char *units_path = NULL, *csv = NULL, *files[16];
    drill_schedule_options so = DRILL_SCHEDULE_OPTIONS_INIT;
    long v;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0)
            return usage(stdout, 0);
        if (strcmp(argv[i], "--units") == 0 && i + 1 < argc)
            units_path = argv[++i];
        else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
            csv = argv[++i];
        else if (strcmp(argv[i], "--holidays") == 0 && i + 1 < argc && nfiles < 16)
            files[nfiles++] = argv[++i];
        else if (strcmp(argv[i], "--allow-uncovered") == 0)
            allow = 1;
        else if (strcmp(argv[i], "--capacity") == 0 && i + 1 < argc) {
            if (parse_int(argv[++i], 1, 65535, &v))
                return EXIT_USAGE;
            so.capacity = (int)v;
        } else if (strcmp(argv[i], "--spacing") == 0 && i + 1 < argc) {
            if (parse_int(argv[++i], 0, 366, &v))
                return EXIT_USAGE;
            so.spacing_days = v ? (int)v : -1;
        } else if (!year && argv[i][0] != '-') {
            if (parse_int(argv[i], DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, &v))
                return EXIT_USAGE;
            year = (int)v;
        } else
            return usage(stderr, EXIT_USAGE);
    }
    if (!year || !units_path)
        return usage(stderr, EXIT_USAGE);
    drill_units *units = NULL;
    drill_rules *rules = NULL;
    drill_campaigns *campaigns = NULL;
    drill_calendar *cal = NULL;
    drill_plan *plan = NULL;
    size_t imported = 0;
    if ((rc = drill_units_new(&units)) || (rc = drill_units_import_csv(NULL, &imported, units, units_path, NULL)) ||
        (rc = drill_rules_new_presets(&rules)) || (rc = drill_campaigns_new_builtin(&campaigns, NULL)) ||
        (rc = drill_calendar_new_china(&cal))) {
        status = fail(rc);
        goto done;
    }
    for (int i = 0; i < nfiles; i++) {
        rc = ends_with(files[i], ".ics") ? drill_calendar_load_ics(NULL, cal, files[i], NULL)
                                         : drill_calendar_load_csv(NULL, cal, files[i]);
        if (rc) {
            status = fail(rc);
            goto done;
        }
    }
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = year;
    po.allow_uncovered = allow;
    drill_quality q;
    if ((rc = drill_plan_new(&plan, units, rules, campaigns, cal, &po)) ||
        (rc = drill_plan_schedule(&q, plan, &so))) {
        status = fail(rc);
        goto done;
    }
    printf("plan %d: %zu units, %zu rules, %zu drills required\n", year, imported, drill_rules_count(rules),
           q.required);
    if (!q.covered)
        printf("NOTE: no holiday arrangement for %d is loaded: working days count weekends only.\n", year);
    printf("placed %zu (%.1f%%), unplaced %zu: no working day %zu, blackouts %zu, observer capacity %zu, spacing %zu\n",
           q.placed, 100.0 * (double)q.placed / (double)(q.required ? q.required : 1), q.required - q.placed,
           q.unplaced[DRILL_REASON_NO_WORKING_DAY], q.unplaced[DRILL_REASON_BLACKOUT],
           q.unplaced[DRILL_REASON_CAPACITY], q.unplaced[DRILL_REASON_SPACING]);
    printf("constraint violations (independent check): %zu\n\n", q.violations);
    print_padded("district", 20);
    printf(" %8s %8s %8s %11s %6s %8s\n", "drills", "observed", "busiest", "on", "bound", "obs/cap");
    for (size_t d = 0; d < drill_units_district_count(units); d++) {
        drill_district_quality dq;
        char day[DRILL_DATE_STRLEN];
        drill_plan_district_quality(&dq, plan, d);
        drill_date_format(day, sizeof day, dq.busiest_day);
        print_padded(dq.district, 20);
        printf(" %8zu %8zu %8d %11s %6d %5d/%d\n", dq.drills, dq.observed, dq.busiest, day, dq.lower_bound,
               dq.busiest_observed, dq.capacity);
    }
    if (csv && (status = write_plan_csv(plan, csv)) == 0)
        printf("\nwrote every drill to %s\n", csv);
done:
    drill_plan_free(plan);
    drill_calendar_free(cal);
    drill_campaigns_free(campaigns);
    drill_rules_free(rules);
    drill_units_free(units);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr, EXIT_USAGE);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
        return usage(stdout, 0);
    if (strcmp(argv[1], "--version") == 0) {
        printf("drillctl (libdrill) %s\n", drill_version_string());
        return 0;
    }
    if (strcmp(argv[1], "campaigns") == 0)
        return cmd_campaigns(argc - 2, argv + 2);
    if (strcmp(argv[1], "units") == 0 && argc > 2 && strcmp(argv[2], "generate") == 0)
        return cmd_units_generate(argc - 3, argv + 3);
    if (strcmp(argv[1], "plan") == 0)
        return cmd_plan(argc - 2, argv + 2);
    fprintf(stderr, "drillctl: unknown command '%s'\n", argv[1]);
    return usage(stderr, EXIT_USAGE);
}
