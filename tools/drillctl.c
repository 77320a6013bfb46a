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
            "usage: drillctl campaigns YEAR [--holidays FILE.csv|FILE.ics]... [--en]\n"
            "       drillctl --version | --help\n"
            "\n"
            "campaigns  list the campaigns of YEAR with their windows, working days and\n"
            "           the holidays inside each; China's arrangements for 2022-2026 are\n"
            "           built in, --holidays adds another (a CSV date,kind,name or an\n"
            "           iCalendar holiday feed); --en prints English names.\n");
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
    fprintf(stderr, "drillctl: unknown command '%s'\n", argv[1]);
    return usage(stderr, EXIT_USAGE);
}
