/* drillctl: libdrill from the shell, on a store file, built on the public
 * API only.
 *
 * Exit status: 0 success, 2 usage error (an unknown command or option, a
 * missing argument, a value that is not a number, date or name), 3 bad
 * input (a file that does not parse, an unknown drill, a change its state
 * does not allow, missing data), 4 internal failure (out of memory, a disk
 * or database that fails). A command that fails changes nothing in the
 * store: its changes are written in one transaction. */
#include "drillctl.h"

/* ---- help ---- */

static const char USAGE[] =
    "usage: drillctl [--store STORE] [--actor NAME] [--wait SECONDS] [--read-only] COMMAND [ARGS] [--help]\n"
    "\n"
    "The store (--store STORE, or the DRILL_STORE environment variable) holds the\n"
    "units, rules and holidays, and each year's plan with its tracking: an SQLite\n"
    "file, or a PostgreSQL database named by a postgresql:// URI or a conninfo\n"
    "string (\"host=... dbname=...\"). A command\n"
    "that changes it waits --wait seconds (30) at most for another writer;\n"
    "--read-only reads a store on read-only media and refuses every change.\n"
    "--actor NAME (else DRILL_ACTOR, else USER) is who changes it, for the audit trail.\n"
    "\n"
    "  init STORE                         make a store: preset rules, campaigns, China's holidays\n"
    "  info                               what the store holds\n"
    "  check                              a full consistency check of the store\n"
    "  copy FROM TO                       every plan, registry and audit entry into an empty store\n"
    "  holidays import FILE.csv|FILE.ics  add a holiday arrangement\n"
    "  holidays list [YEAR]               covered years, or a year's holidays and make-up days\n"
    "  campaigns YEAR                     the campaign windows of a year\n"
    "  campaigns set|add|remove ...       a year's announced week, the flood season, campaigns of your own\n"
    "  terms import FILE.csv|.ics | list  school terms and breaks\n"
    "  units import FILE.csv              add units (--replace: the file becomes the registry)\n"
    "  units export [FILE.csv]            every unit as CSV\n"
    "  units generate OUT.csv             a synthetic Dalian (no store needed)\n"
    "  rules list | add ID | remove ID    the rules, with the eighteen presets\n"
    "  plan YEAR                          the year's drills, scheduled; prints the quality report\n"
    "  reschedule [YEAR]                  take in changed units, rules, holidays, closed days\n"
    "  drills [--status S] ...            list a plan's drills\n"
    "  show DRILL-ID                      one drill: its day, outcome, actions, audit trail\n"
    "  feeds export DIR                   iCalendar feeds: the city and one per district\n"
    "  record DRILL-ID --held DATE ...    a drill held, with its outcome (or --from FILE.csv)\n"
    "  action add|close ...               corrective actions (or --from FILE.csv)\n"
    "  cancel DRILL-ID --reason TEXT      cancel a drill\n"
    "  report coverage|overdue|reminders|actions [--today DATE] [--csv]\n"
    "\n"
    "Every command takes --help. Exit status: 0 success, 2 usage error, 3 bad input\n"
    "(errors print file:line:column where there is one), 4 internal failure.\n"
    "Progress is shown on standard error when it is a terminal. See drillctl(1).\n";

int main(int argc, char **argv)
{
    /* the user's locale, so the suites run under tr_TR and de_DE show the
     * library does not depend on it; messages stay English throughout, the
     * system's (strerror) included */
    setlocale(LC_ALL, "");
    setlocale(LC_MESSAGES, "C");
    G.tty = isatty(STDERR_FILENO);
    set_store(getenv("DRILL_STORE"));
    escape_terminal_output();
    /* global options before the command */
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("drillctl (libdrill) %s\n", drill_version_string());
            return 0;
        }
        if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
            set_store(argv[i + 1]);
            i += 2;
        } else if ((strcmp(argv[i], "--actor") == 0 || strcmp(argv[i], "--wait") == 0) && i + 1 < argc) {
            *(argv[i][2] == 'a' ? &G.actor : &G.wait) = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--store=", 8) == 0) {
            set_store(argv[i++] + 8);
        } else if (strncmp(argv[i], "--actor=", 8) == 0) {
            G.actor = argv[i++] + 8;
        } else if (strncmp(argv[i], "--wait=", 7) == 0) {
            G.wait = argv[i++] + 7;
        } else if (strcmp(argv[i], "--read-only") == 0) {
            G.read_only = 1;
            i++;
        } else {
            fprintf(stderr, "drillctl: unknown option '%s'\n", argv[i]);
            fputs(USAGE, stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {
        { "init", cmd_init },         { "info", cmd_info },       { "check", cmd_check },
        { "holidays", cmd_holidays }, { "copy", cmd_copy },
        { "campaigns", cmd_campaigns }, { "units", cmd_units },   { "rules", cmd_rules },
        { "terms", cmd_terms },
        { "plan", cmd_plan },         { "reschedule", cmd_reschedule }, { "drills", cmd_drills },
        { "show", cmd_show },         { "feeds", cmd_feeds },     { "record", cmd_record },
        { "action", cmd_action },     { "cancel", cmd_cancel },   { "report", cmd_report },
    };
    const char *cmd = argv[i];
    if (strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(cmd, commands[k].name) == 0) {
            int rc = commands[k].fn(argc - i - 1, argv + i + 1);
            progress_clear();
            if ((fflush(stdout) != 0 || ferror(stdout) || end_terminal_output() != 0) && rc == 0) {
                fprintf(stderr, "drillctl: writing the output failed: %s\n", strerror(errno));
                rc = EXIT_INTERNAL;
            }
            return rc;
        }
    fprintf(stderr, "drillctl: unknown command '%s'\nTry 'drillctl --help'.\n", cmd);
    return EXIT_USAGE;
}
