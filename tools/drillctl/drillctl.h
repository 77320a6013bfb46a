/* drillctl's common part, shared by its command groups (one file each:
 * admin.c, registries.c, plan.c, track.c, report.c; main.c dispatches).
 * drillctl is built on libdrill's public API only, and on libpq for the
 * lock a server store's writers take (common.c, lock_server()). */
#ifndef DRILLCTL_H
#define DRILLCTL_H

#define _GNU_SOURCE /* flock(), fopencookie() */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <drill/drill.h>

enum { EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_INTERNAL = 4 };
#define HELP_SHOWN (-1) /* parse(): --help was printed, exit 0 */
#define MAX_BATCH_ERRORS 20

/* what every command shares: the store, who acts, whether to show progress */
struct drillctl_globals {
    const char *store;  /* --store, else $DRILL_STORE, as shown: a password masked */
    const char *store_name; /* the same as given, for opening only */
    char store_shown[4200];
    const char *actor;  /* --actor, else $DRILL_ACTOR, $USER, "drillctl" */
    int tty;            /* standard error is a terminal: show progress */
    int progress_shown; /* a progress line is on the terminal */
    const char *wait;   /* --wait SECONDS: how long a writer waits for the store's lock */
    int read_only;      /* --read-only: never write the store (read-only media) */
};
extern struct drillctl_globals G;

typedef struct cmdline {
    const char *cmd; /* "units import", for messages */
    const char *pos[8];
    int npos;
    struct {
        const char *name; /* into argv, len bytes */
        size_t len;
        const char *value; /* "" for a flag */
    } opt[64];
    int nopt;
} cmdline;

/* which rows of a report to show: all, or the open corrective actions */
typedef struct row_filter {
    size_t column; /* SIZE_MAX: every row */
} row_filter;

/* read through the library's CSV reader (drill/csv.h), as `units import`
 * reads: the same BOM, line ends (CR alone too) and refusals (NUL bytes,
 * invalid UTF-8, stray quotes) with their line and column */
typedef struct csv_cell {
    char *text; /* owned */
    int line, column;
} csv_cell;

typedef struct csv_file {
    const char *path;
    csv_cell *cells;
    size_t ncells, cap;
    size_t *rows; /* index of each row's first cell; rows[nrows] = ncells */
    size_t nrows, rows_cap;
    int header[32]; /* per wanted column: its index in the header, or -1 */
} csv_file;

/* a batch's errors: each as file:line:column, at most MAX_BATCH_ERRORS */
typedef struct batch {
    const char *path;
    int errors, internal;
} batch;

typedef struct world {
    drill_store *store;
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    drill_plan *plan;
    int year;
} world;

/* names of enum values, as the command lines spell them */
extern const char *const KIND_NAMES[];
extern const char *const FORM_NAMES[];
extern const char *const FREQ_NAMES[];
extern const char *const ACTION_NAMES[];
extern const char *const RISK_NAMES[];

/* messages (standard error; the exit status of a failure) */
void set_store(const char *name);
void progress(const char *fmt, ...);
void progress_clear(void);
int status_of(int rc);
int fail(int rc);
int input_error(const char *fmt, ...);
int internal_error(const char *fmt, ...);
int usage_error(const cmdline *c, const char *fmt, ...);

/* command lines */
int parse(cmdline *c, const char *cmd, const char *help, int argc, char **argv, const char *spec, int min_pos, int max_pos);
const char *opt(const cmdline *c, const char *name);
int parse_long(const char *s, long lo, long hi, long *out);
int opt_int(const cmdline *c, const char *name, long lo, long hi, int *out);
int opt_date(const cmdline *c, const char *name, drill_date *out);
int parse_year(const cmdline *c, const char *s, int *out);
int parse_time(const char *s, int *out);
int lookup(const char *s, const char *const *names, int n);
int opt_name(const cmdline *c, const char *name, const char *const *names, int n, int lo, const char *which, int *out);
drill_date today_local(void);
const char *actor(void);
int ends_with(const char *s, const char *suffix);
int readable(const char *path);

/* text output: tables and CSV; control characters escaped on a terminal */
void escape_terminal_output(void);
int end_terminal_output(void);
void print_cell(const char *s, int width, int right);
void csv_field(FILE *f, const char *s);
void csv_rows(FILE *out, const drill_table *t, const row_filter *f);
size_t print_table(const drill_table *t, const row_filter *f, size_t limit);

/* batch files (record --from, action add|close --from) */
void csv_free(csv_file *f);
int csv_read(csv_file *f, const char *path);
int csv_columns(csv_file *f, const char *const *wanted, int n);
const csv_cell *csv_get(const csv_file *f, size_t r, int w);
void batch_error(batch *b, const csv_cell *at, int line, const char *fmt, ...);
void batch_fail(batch *b, const csv_cell *at, int line, int rc);
int batch_end(const batch *b, const char *what);
int cell_int(batch *b, const csv_cell *c, long lo, long hi, int *out);
int cell_date(batch *b, const csv_cell *c, drill_date *out);
int cell_name(batch *b, const csv_cell *c, const char *const *names, int n, const char *what, int *out);

/* the store: opening, its lock, the plan whole or one unit's part */
void world_close(world *w);
int need_store(const cmdline *c);
int lock_store(int create);
int open_store_as(world *w, const cmdline *c, int writable, int lock);
int open_store(world *w, const cmdline *c, int writable);
int load_registries(world *w);
int year_of_id(const char *id);
int plan_year(world *w, const cmdline *c, const char *drill_id, int *out);
int has_plan(world *w, int *out);
int load_plan(world *w, const cmdline *c, int writable, const char *drill_id);
int load_unit_plan(world *w, const cmdline *c, int writable, const char *drill_id);
int commit_unit(world *w);
int save_plan(world *w);
int save_plan_rescheduled(world *w, drill_quality *q, const drill_schedule_options *so);
int save_registries(world *w);
void print_covered(const drill_calendar *cal);
int load_holidays(drill_calendar_load_stats *st, drill_calendar *cal, const char *path, const drill_ics_holiday_options *o);

/* the commands: admin.c */
int cmd_init(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_copy(int argc, char **argv);

/* registries.c */
int cmd_holidays(int argc, char **argv);
int cmd_campaigns(int argc, char **argv);
int cmd_terms(int argc, char **argv);
int cmd_units(int argc, char **argv);
int cmd_rules(int argc, char **argv);

/* plan.c */
int cmd_plan(int argc, char **argv);
int cmd_reschedule(int argc, char **argv);
int cmd_drills(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_feeds(int argc, char **argv);

/* track.c */
int cmd_record(int argc, char **argv);
int cmd_action(int argc, char **argv);
int cmd_cancel(int argc, char **argv);

/* report.c */
int cmd_report(int argc, char **argv);

#endif
