/* drillctl: libdrill from the shell, on a store file, built on the public
 * API only.
 *
 * Exit status: 0 success, 2 usage error (an unknown command or option, a
 * missing argument, a value that is not a number, date or name), 3 bad
 * input (a file that does not parse, an unknown drill, a change its state
 * does not allow, missing data), 4 internal failure (out of memory, a disk
 * or database that fails). A command that fails changes nothing in the
 * store: every change is made in memory and saved in one transaction. */
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
static struct {
    const char *store;  /* --store, else $DRILL_STORE, as shown: a password masked */
    const char *store_name; /* the same as given, for opening only */
    char store_shown[4200];
    const char *actor;  /* --actor, else $DRILL_ACTOR, $USER, "drillctl" */
    int tty;            /* standard error is a terminal: show progress */
    int progress_shown; /* a progress line is on the terminal */
    const char *wait;   /* --wait SECONDS: how long a writer waits for the store's lock */
    int read_only;      /* --read-only: never write the store (read-only media) */
} G;

/* the store to work on: opened by its name, shown with any password masked */
static void set_store(const char *name)
{
    G.store_name = name;
    G.store = NULL;
    if (name) {
        drill_store_display_name(G.store_shown, sizeof G.store_shown, name);
        G.store = *name && !*G.store_shown ? "(a store whose name is too long to show)" : G.store_shown;
    }
}

/* ---- messages ---- */

static FILE *real_stdout, *real_stderr; /* set while stdout, stderr go through the terminal filter */

/* drillctl's own control sequence (back to the line's start, clear it): past the filter */
static void clear_line(void)
{
    FILE *raw = real_stderr ? real_stderr : stderr;
    fputs("\r\033[K", raw);
    fflush(raw);
}

static void progress(const char *fmt, ...)
{
    if (!G.tty)
        return;
    va_list ap;
    va_start(ap, fmt);
    clear_line();
    vfprintf(stderr, fmt, ap); /* the text, paths included, through the filter */
    fflush(stderr);
    va_end(ap);
    G.progress_shown = 1;
}

static void progress_clear(void)
{
    if (G.progress_shown) {
        clear_line();
        G.progress_shown = 0;
    }
}

/* the exit status for a library error code */
static int status_of(int rc)
{
    return rc == DRILL_ENOMEM || rc == DRILL_EIO ? EXIT_INTERNAL : EXIT_INPUT;
}

/* report the library's last error: file:line:column: message where it has a place */
static int fail(int rc)
{
    const drill_error *e = drill_error_last();
    progress_clear();
    if (e->line > 0)
        fprintf(stderr, "drillctl: %s:%d:%d: %s\n", e->source, e->line, e->column, e->message);
    else
        fprintf(stderr, "drillctl: %s (%s)\n", *e->message ? e->message : drill_strerror(rc), drill_strerror(rc));
    return status_of(rc);
}

static int input_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    progress_clear();
    fputs("drillctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_INPUT;
}

static int internal_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    progress_clear();
    fputs("drillctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_INTERNAL;
}

/* ---- command lines ---- */

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

static int usage_error(const cmdline *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "drillctl %s: ", c->cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'drillctl %s --help'.\n", c->cmd);
    va_end(ap);
    return EXIT_USAGE;
}

/* spec: the command's options, space-separated, with a trailing '=' for
 * those that take a value ("capacity= csv"); --store, --actor and --help
 * are every command's. Options may come anywhere, as --name VALUE or
 * --name=VALUE; "--" ends them. Returns 0, HELP_SHOWN or EXIT_USAGE. */
static int parse(cmdline *c, const char *cmd, const char *help, int argc, char **argv, const char *spec,
                 int min_pos, int max_pos)
{
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (c->npos >= max_pos)
                return usage_error(c, "unexpected argument '%s'", a);
            c->pos[c->npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(help, stdout);
            return HELP_SHOWN;
        }
        if (a[1] != '-')
            return usage_error(c, "unknown option '%s'", a);
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int takes = -1;
        if ((len == 5 && strncmp(name, "store", 5) == 0) || (len == 5 && strncmp(name, "actor", 5) == 0) ||
            (len == 4 && strncmp(name, "wait", 4) == 0))
            takes = 1;
        else if (len == 9 && strncmp(name, "read-only", 9) == 0)
            takes = 0;
        for (const char *p = spec; takes < 0 && *p;) {
            while (*p == ' ')
                p++;
            size_t n = strcspn(p, " =");
            if (n && n == len && strncmp(p, name, len) == 0)
                takes = p[n] == '=';
            p += n;
            if (*p == '=')
                p++;
        }
        if (takes < 0)
            return usage_error(c, "unknown option '--%.*s'", (int)len, name);
        const char *value = "";
        if (takes) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return usage_error(c, "--%.*s needs a value", (int)len, name);
        } else if (eq) {
            return usage_error(c, "--%.*s takes no value", (int)len, name);
        }
        if (len == 5 && strncmp(name, "store", 5) == 0)
            set_store(value);
        else if (len == 5 && strncmp(name, "actor", 5) == 0)
            G.actor = value;
        else if (len == 4 && strncmp(name, "wait", 4) == 0)
            G.wait = value;
        else if (len == 9 && strncmp(name, "read-only", 9) == 0)
            G.read_only = 1;
        else {
            if (c->nopt >= 64)
                return usage_error(c, "too many options");
            c->opt[c->nopt].name = name;
            c->opt[c->nopt].len = len;
            c->opt[c->nopt].value = value;
            c->nopt++;
        }
    }
    if (c->npos < min_pos)
        return usage_error(c, "missing argument");
    return 0;
}

/* the value of an option's last occurrence ("" for a flag), or NULL */
static const char *opt(const cmdline *c, const char *name)
{
    size_t len = strlen(name);
    for (int i = c->nopt - 1; i >= 0; i--)
        if (c->opt[i].len == len && strncmp(c->opt[i].name, name, len) == 0)
            return c->opt[i].value;
    return NULL;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* an integer option: absent leaves *out alone */
static int opt_int(const cmdline *c, const char *name, long lo, long hi, int *out)
{
    const char *v = opt(c, name);
    long x;
    if (!v)
        return 0;
    if (parse_long(v, lo, hi, &x))
        return usage_error(c, "--%s: '%s' is not a whole number %ld-%ld", name, v, lo, hi);
    *out = (int)x;
    return 0;
}

static int opt_date(const cmdline *c, const char *name, drill_date *out)
{
    const char *v = opt(c, name);
    if (!v)
        return 0;
    if (drill_date_parse(out, v))
        return usage_error(c, "--%s: '%s' is not a date YYYY-MM-DD: %s", name, v, drill_error_last()->message);
    return 0;
}

static int parse_year(const cmdline *c, const char *s, int *out)
{
    long y;
    if (parse_long(s, DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, &y))
        return usage_error(c, "YEAR must be %d-%d, not '%s'", DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, s);
    *out = (int)y;
    return 0;
}

/* "HH:MM" as minutes after midnight (24:00 allowed, for an end) */
static int parse_time(const char *s, int *out)
{
    int h, m;
    char extra;
    if (strlen(s) != 5 || sscanf(s, "%2d:%2d%c", &h, &m, &extra) != 2 || s[2] != ':' || h < 0 || m < 0 ||
        m > 59 || h * 60 + m > 24 * 60)
        return -1;
    *out = h * 60 + m;
    return 0;
}

/* a name from a list: the index, or -1 */
static int lookup(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static const char *const KIND_NAMES[] = { NULL, "comprehensive", "special", "onsite" };
static const char *const FORM_NAMES[] = { NULL, "live", "tabletop" };
static const char *const FREQ_NAMES[] = { NULL, "yearly", "half-yearly", "rolling", "biennial", "monthly", "quarterly" };
static const char *const ACTION_NAMES[] = { "open", "in-progress", "done", "verified", "waived" };
static const char *const RISK_NAMES[] = { "unset", "low", "general", "higher", "major" };

static drill_date today_local(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    drill_date d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
    return d;
}

static const char *actor(void)
{
    if (G.actor && *G.actor)
        return G.actor;
    const char *a = getenv("DRILL_ACTOR");
    if (a && *a)
        return a;
    a = getenv("USER");
    return a && *a ? a : "drillctl";
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* an input file must be there before the library reads it: a missing file is bad input */
static int readable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return input_error("%s: %s", path, strerror(errno));
    fclose(f);
    return 0;
}

/* ---- text output ---- */

/* On a terminal, text from the store (unit names, reasons, notes) could
 * carry escape sequences that move the cursor, rewrite earlier lines or set
 * the window title: while stdout is a terminal it goes through this filter,
 * which writes control characters as \xNN (C0, DEL, bytes that are not
 * UTF-8) or \uNNNN (C1 controls, the bidirectional overrides and isolates
 * that reorder a line), and keeps line feeds, tabs and CR LF. Output to a
 * file or pipe (CSV, feeds) is never touched. */
typedef struct tty_filter {
    int fd;
    unsigned char pending[4]; /* an incomplete UTF-8 sequence, or a CR, carried to the next write */
    size_t npending;
} tty_filter;

static int put_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

/* escape what is in p[0..n); with final, an incomplete sequence at the end is escaped too */
static size_t tty_escape(char *out, const unsigned char *p, size_t n, size_t *used, int final)
{
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (c == '\r' && i + 1 == n && !final)
            break; /* is a line feed next? */
        if (len > 1 && i + len > n && !final)
            break;
        int valid = len > 0 && i + len <= n;
        for (size_t k = 1; valid && k < len; k++)
            valid = (p[i + k] & 0xC0) == 0x80;
        unsigned cp = c;
        if (valid && len > 1) {
            cp = c & (0xFF >> (len + 1));
            for (size_t k = 1; k < len; k++)
                cp = (cp << 6) | (p[i + k] & 0x3F);
            valid = cp >= (len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u) && cp <= 0x10FFFF &&
                    !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (!valid) {
            o += (size_t)sprintf(out + o, "\\x%02X", c);
            i++;
        } else if (len == 1 && ((c < 0x20 && c != '\n' && c != '\t' && !(c == '\r' && i + 1 < n && p[i + 1] == '\n')) ||
                                c == 0x7F)) {
            o += (size_t)sprintf(out + o, "\\x%02X", c);
            i++;
        } else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            o += (size_t)sprintf(out + o, "\\u%04X", cp);
            i += len;
        } else {
            memcpy(out + o, p + i, len);
            o += len;
            i += len;
        }
    }
    *used = i;
    return o;
}

static ssize_t tty_write(void *cookie, const char *buf, size_t size)
{
    tty_filter *t = cookie;
    size_t total = t->npending + size;
    unsigned char *in = malloc(total ? total : 1);
    char *out = malloc(total * 6 + 1);
    if (!in || !out) {
        free(in);
        free(out);
        errno = ENOMEM;
        return -1;
    }
    memcpy(in, t->pending, t->npending);
    memcpy(in + t->npending, buf, size);
    size_t used, n = tty_escape(out, in, total, &used, 0);
    int rc = put_all(t->fd, out, n);
    t->npending = total - used; /* at most 3 bytes: an incomplete sequence or a CR */
    memcpy(t->pending, in + used, t->npending);
    free(in);
    free(out);
    return rc ? -1 : (ssize_t)size;
}

static int tty_close(void *cookie)
{
    tty_filter *t = cookie;
    char out[32];
    size_t used, n = tty_escape(out, t->pending, t->npending, &used, 1);
    int rc = put_all(t->fd, out, n);
    free(t);
    return rc;
}

/* a filtered stream onto the terminal at fd, or NULL */
static FILE *tty_stream(int fd)
{
    if (!isatty(fd))
        return NULL;
    tty_filter *t = calloc(1, sizeof *t);
    cookie_io_functions_t io = { NULL, tty_write, NULL, tty_close };
    FILE *f = t ? fopencookie(t, "w", io) : NULL;
    if (!f) {
        free(t);
        return NULL;
    }
    t->fd = fd;
    setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

/* stdout and stderr through the filter when they are a terminal (messages quote names from files too) */
static void escape_terminal_output(void)
{
    FILE *f;
    if ((f = tty_stream(STDOUT_FILENO))) {
        real_stdout = stdout;
        stdout = f;
    }
    if ((f = tty_stream(STDERR_FILENO))) {
        real_stderr = stderr;
        stderr = f;
    }
}

/* the filters' last bytes out, and the real streams back */
static int end_terminal_output(void)
{
    int rc = 0;
    if (real_stdout) {
        rc = fclose(stdout);
        stdout = real_stdout;
        real_stdout = NULL;
    }
    if (real_stderr) {
        fclose(stderr);
        stderr = real_stderr;
        real_stderr = NULL;
    }
    return rc;
}

/* terminal columns of UTF-8 text: CJK and other 3- and 4-byte characters take two */
static int text_width(const char *s)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            cols += *p >= 0xE0 ? 2 : 1;
    return cols;
}

/* print s in width columns: padded (left or right aligned), or cut with "~" */
static void print_cell(const char *s, int width, int right)
{
    int w = text_width(s);
    if (w <= width) {
        if (right)
            printf("%*s", width - w, "");
        fputs(s, stdout);
        if (!right)
            printf("%*s", width - w, "");
        return;
    }
    int cols = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int cw = *p >= 0xE0 ? 2 : 1;
        if (cols + cw > width - 1)
            break;
        const unsigned char *q = p + 1;
        while ((*q & 0xC0) == 0x80)
            q++;
        fwrite(p, 1, (size_t)(q - p), stdout);
        cols += cw;
        p = q;
    }
    fputc('~', stdout);
    for (cols++; cols < width; cols++)
        fputc(' ', stdout);
}

static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* -?[0-9]+(.[0-9]+)?: a count or a percentage, right-aligned in text */
static int is_number(const char *s)
{
    s += *s == '-';
    if (*s < '0' || *s > '9')
        return 0;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.' && s[1] >= '0' && s[1] <= '9')
        for (s++; *s >= '0' && *s <= '9'; s++)
            ;
    return *s == '\0';
}

/* which rows of a report to show: all, or the open corrective actions */
typedef struct row_filter {
    size_t column; /* SIZE_MAX: every row */
} row_filter;

static int keep_row(const drill_table *t, const row_filter *f, size_t r)
{
    const char *s;
    if (f->column == (size_t)-1 || drill_table_cell(&s, t, r, f->column))
        return 1;
    return strcmp(s, "open") == 0 || strcmp(s, "in progress") == 0;
}

static void csv_rows(FILE *out, const drill_table *t, const row_filter *f)
{
    size_t nc = drill_table_columns(t), nr = drill_table_rows(t);
    const char *cell;
    for (size_t c = 0; c < nc; c++) {
        csv_field(out, drill_table_column(t, c));
        fputs(c + 1 < nc ? "," : "\r\n", out);
    }
    for (size_t r = 0; r < nr; r++)
        for (size_t c = 0; keep_row(t, f, r) && c < nc; c++) {
            drill_table_cell(&cell, t, r, c);
            csv_field(out, cell);
            fputs(c + 1 < nc ? "," : "\r\n", out);
        }
}

/* the width to print a cell in: the column's, but a last left-aligned column is not padded */
static int last_width(const char *cell, int width, int last)
{
    int w = text_width(cell);
    return last && w < width ? w : width;
}

/* a report as aligned text, at most limit rows (0: all); returns the rows kept */
static size_t print_table(const drill_table *t, const row_filter *f, size_t limit)
{
    size_t nc = drill_table_columns(t), nr = drill_table_rows(t), kept = 0;
    const char *cell;
    int width[32] = { 0 }, right[32] = { 0 };
    if (nc > 32)
        nc = 32;
    for (size_t c = 0; c < nc; c++)
        width[c] = text_width(drill_table_column(t, c)), right[c] = 1;
    for (size_t r = 0; r < nr; r++) {
        if (!keep_row(t, f, r) || (limit && kept >= limit))
            continue;
        kept++;
        for (size_t c = 0; c < nc; c++) {
            drill_table_cell(&cell, t, r, c);
            int w = text_width(cell);
            width[c] = w > width[c] ? w : width[c];
            right[c] &= is_number(cell) || !*cell;
        }
    }
    for (size_t c = 0; c < nc; c++) {
        if (width[c] > 44 && c + 1 < nc) /* the last column is never cut */
            width[c] = 44;
        right[c] &= kept > 0;
        print_cell(drill_table_column(t, c), last_width(drill_table_column(t, c), width[c], c + 1 == nc && !right[c]),
                   right[c]);
        fputs(c + 1 < nc ? "  " : "\n", stdout);
    }
    size_t shown = 0, total = 0;
    for (size_t r = 0; r < nr; r++) {
        if (!keep_row(t, f, r))
            continue;
        total++;
        if (limit && shown >= limit)
            continue;
        shown++;
        for (size_t c = 0; c < nc; c++) {
            drill_table_cell(&cell, t, r, c);
            print_cell(cell, last_width(cell, width[c], c + 1 == nc && !right[c]), right[c]);
            fputs(c + 1 < nc ? "  " : "\n", stdout);
        }
    }
    if (shown < total)
        printf("... and %zu more (--limit 0 shows all; --csv or --output FILE gives every column whole)\n",
               total - shown);
    return total;
}

/* ---- CSV input, for batch files ---- */

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

static void csv_free(csv_file *f)
{
    for (size_t i = 0; i < f->ncells; i++)
        free(f->cells[i].text);
    free(f->cells);
    free(f->rows);
}

static int csv_push(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    void *p = realloc(*items, c * size);
    if (!p)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

/* read a whole CSV file into cells with their line and column */
static int csv_read(csv_file *f, const char *path)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    drill_csv *r;
    size_t n;
    int rc = readable(path); /* a file that is not there is bad input (3), as for units import */
    if (rc || (rc = drill_csv_open(&r, path)))
        return rc > 0 ? rc : fail(rc);
    while ((rc = drill_csv_next(&n, r)) == 0 && n > 0) {
        if (csv_push((void **)&f->rows, &f->rows_cap, f->nrows + 1, sizeof *f->rows))
            goto nomem;
        f->rows[f->nrows++] = f->ncells;
        for (size_t i = 0; i < n; i++) {
            const char *text;
            if (csv_push((void **)&f->cells, &f->cap, f->ncells, sizeof *f->cells))
                goto nomem;
            csv_cell *c = &f->cells[f->ncells];
            if ((rc = drill_csv_field(&text, r, i)) || (rc = drill_csv_field_position(&c->line, &c->column, r, i)))
                break;
            if (!(c->text = strdup(text)))
                goto nomem;
            f->ncells++;
        }
        if (rc)
            break;
    }
    drill_csv_free(r);
    if (rc)
        return fail(rc);
    if (csv_push((void **)&f->rows, &f->rows_cap, f->nrows + 1, sizeof *f->rows))
        return internal_error("%s: out of memory", path);
    f->rows[f->nrows] = f->ncells;
    if (f->nrows == 0)
        return input_error("%s:1:1: no header row", path);
    return 0;
nomem:
    drill_csv_free(r);
    return internal_error("%s: out of memory", path);
}

/* find the wanted columns in the header; a name ending in '!' is required */
static int csv_columns(csv_file *f, const char *const *wanted, int n)
{
    for (int w = 0; w < n; w++) {
        size_t len = strcspn(wanted[w], "!");
        f->header[w] = -1;
        for (size_t c = f->rows[0]; c < f->rows[1]; c++)
            if (strlen(f->cells[c].text) == len && strncmp(f->cells[c].text, wanted[w], len) == 0)
                f->header[w] = (int)(c - f->rows[0]);
        if (f->header[w] < 0 && wanted[w][len] == '!')
            return input_error("%s:1:1: the header has no '%.*s' column", f->path, (int)len, wanted[w]);
    }
    return 0;
}

/* the cell of wanted column w in row r (1 = the first after the header), or NULL when absent or empty */
static const csv_cell *csv_get(const csv_file *f, size_t r, int w)
{
    if (f->header[w] < 0)
        return NULL;
    size_t i = f->rows[r] + (size_t)f->header[w];
    if (i >= f->rows[r + 1] || !*f->cells[i].text)
        return NULL;
    return &f->cells[i];
}

/* a batch's errors: each as file:line:column, at most MAX_BATCH_ERRORS */
typedef struct batch {
    const char *path;
    int errors, internal;
} batch;

static void batch_error(batch *b, const csv_cell *at, int line, const char *fmt, ...)
{
    if (++b->errors > MAX_BATCH_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    progress_clear();
    fprintf(stderr, "drillctl: %s:%d:%d: ", b->path, at ? at->line : line, at ? at->column : 1);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* a library failure on a batch row, placed at the cell it concerns */
static void batch_fail(batch *b, const csv_cell *at, int line, int rc)
{
    if (rc == DRILL_ENOMEM || rc == DRILL_EIO)
        b->internal = 1;
    batch_error(b, at, line, "%s", drill_error_last()->message);
}

static int batch_end(const batch *b, const char *what)
{
    if (!b->errors)
        return 0;
    progress_clear();
    if (b->errors > MAX_BATCH_ERRORS)
        fprintf(stderr, "drillctl: %s: %d more errors not shown\n", b->path, b->errors - MAX_BATCH_ERRORS);
    fprintf(stderr, "drillctl: %s: %d error%s; nothing %s\n", b->path, b->errors, b->errors == 1 ? "" : "s", what);
    return b->internal ? EXIT_INTERNAL : EXIT_INPUT;
}

static int cell_int(batch *b, const csv_cell *c, long lo, long hi, int *out)
{
    long v;
    if (!c)
        return 0;
    if (parse_long(c->text, lo, hi, &v)) {
        batch_error(b, c, 0, "'%s' is not a whole number %ld-%ld", c->text, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int cell_date(batch *b, const csv_cell *c, drill_date *out)
{
    if (!c)
        return 0;
    if (drill_date_parse(out, c->text)) {
        batch_error(b, c, 0, "'%s' is not a date YYYY-MM-DD", c->text);
        return -1;
    }
    return 0;
}

static int cell_name(batch *b, const csv_cell *c, const char *const *names, int n, const char *what, int *out)
{
    if (!c)
        return 0;
    int i = lookup(c->text, names, n);
    if (i < 0) {
        batch_error(b, c, 0, "'%s' is not a %s", c->text, what);
        return -1;
    }
    *out = i;
    return 0;
}

/* ---- the store ---- */

typedef struct world {
    drill_store *store;
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    drill_plan *plan;
    int year;
} world;

static void world_close(world *w)
{
    drill_plan_free(w->plan);
    drill_calendar_free(w->cal);
    drill_campaigns_free(w->campaigns);
    drill_rules_free(w->rules);
    drill_units_free(w->units);
    drill_store_close(w->store);
    memset(w, 0, sizeof *w);
}

static int need_store(const cmdline *c)
{
    if (!G.store || !*G.store)
        return usage_error(c, "no store: give --store FILE or set DRILL_STORE");
    return 0;
}

/* The process holding an flock on the file, from /proc/locks (Linux), or 0 */
static long lock_holder(int fd)
{
    struct stat st;
    FILE *f = fstat(fd, &st) == 0 ? fopen("/proc/locks", "r") : NULL;
    if (!f)
        return 0;
    char line[256];
    long pid = 0;
    while (!pid && fgets(line, sizeof line, f)) {
        char type[16];
        long p;
        unsigned maj, min;
        unsigned long long ino;
        if (sscanf(line, "%*[^:]: %15s %*s %*s %ld %x:%x:%llu", type, &p, &maj, &min, &ino) == 5 &&
            strcmp(type, "FLOCK") == 0 && ino == (unsigned long long)st.st_ino && major(st.st_dev) == maj &&
            minor(st.st_dev) == min && p != (long)getpid())
            pid = p;
    }
    fclose(f);
    return pid;
}

static void on_alarm(int sig)
{
    (void)sig; /* only interrupts flock() */
}

/* A writing command reads the plan, changes it and saves it whole: two at
 * once would each save over the other's changes. So a writing command
 * holds an flock on the store file from before it reads until it exits
 * (SQLite's own locks are fcntl locks, which flock does not touch; the
 * descriptor stays open to the end, as closing another descriptor of the
 * file would drop SQLite's locks). Readers need no lock: WAL gives them a
 * consistent snapshot. A writer waits --wait seconds (30) at most: a
 * stopped holder (SIGSTOP, a hung network file system) must not block
 * every later writer for ever. create: the file may not exist yet (init).
 * A server store (PostgreSQL) takes no file lock: the database serialises
 * its writers, and a plan saved whole keeps the drills changed meanwhile
 * (the revision check). */
static int lock_store(int create)
{
    static int fd = -1;
    if (fd >= 0 || drill_store_is_server(G.store_name))
        return 0;
    long wait = 30;
    if (G.wait && (parse_long(G.wait, 0, 86400, &wait) != 0)) {
        fprintf(stderr, "drillctl: --wait %s: give whole seconds, 0-86400\n", G.wait);
        return EXIT_USAGE;
    }
    /* O_NONBLOCK: a FIFO given as the store must not hang the open */
    fd = open(G.store_name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (create ? O_CREAT : 0), 0644);
    if (fd < 0 && create && errno == EACCES)
        fd = open(G.store_name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return input_error("cannot open %s: %s", G.store, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return input_error("%s is not a regular file: not a store", G.store);
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno != EWOULDBLOCK)
        return internal_error("cannot lock %s: %s", G.store, strerror(errno));
    long holder = lock_holder(fd);
    char who[48] = "another drillctl";
    if (holder)
        snprintf(who, sizeof who, "another drillctl (process %ld)", holder);
    fprintf(stderr, "drillctl: waiting for %s writing %s, %ld s at most...\n", who, G.store, wait);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: the alarm interrupts flock() */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    alarm((unsigned)wait);
    int rc = wait ? flock(fd, LOCK_EX) : -1, err = wait ? errno : EWOULDBLOCK;
    alarm(0);
    sigaction(SIGALRM, &old, NULL);
    if (rc == 0)
        return 0;
    if (err != EINTR && err != EWOULDBLOCK)
        return internal_error("cannot lock %s: %s", G.store, strerror(err));
    if ((holder = lock_holder(fd)))
        snprintf(who, sizeof who, "another drillctl (process %ld)", holder);
    return internal_error("%s still holds %s after %ld s (--wait): try again later, or stop it", who, G.store, wait);
}

/* open the store, which must exist (drillctl init makes it); a writer that
 * replaces a plan whole holds the store's lock (lock), one that writes
 * single drills through needs none */
static int open_store_as(world *w, const cmdline *c, int writable, int lock)
{
    int rc = need_store(c);
    if (rc)
        return rc;
    struct stat st;
    int server = drill_store_is_server(G.store_name);
    if (!server && stat(G.store_name, &st) != 0)
        return input_error("no store at %s: make one with drillctl init %s", G.store, G.store);
    if (!server && !S_ISREG(st.st_mode))
        return input_error("%s is not a regular file: not a store", G.store);
    if (writable && G.read_only)
        return usage_error(c, "--read-only: %s changes the store", c->cmd);
    if (writable && lock && (rc = lock_store(0)))
        return rc;
    drill_store_options o = DRILL_STORE_OPTIONS_INIT;
    o.read_only = !writable;
    o.existing_only = 1;
    progress("opening %s...", G.store);
    rc = drill_store_open(&w->store, G.store_name, &o);
    if (rc == DRILL_EVERSION && o.read_only && !G.read_only) { /* an older store: migrated by a writable open */
        if ((rc = lock_store(0)))
            return rc;
        o.read_only = 0;
        rc = drill_store_open(&w->store, G.store_name, &o);
    }
    if (rc == DRILL_ENOTFOUND)
        return input_error("%s is not a libdrill store: %s (drillctl init makes one)", G.store,
                           drill_error_last()->message);
    return rc ? fail(rc) : 0;
}

static int open_store(world *w, const cmdline *c, int writable)
{
    return open_store_as(w, c, writable, writable);
}

/* the store's working registries */
static int load_registries(world *w)
{
    progress("reading the registries of %s...", G.store);
    int rc = drill_store_load_registries(&w->units, &w->rules, &w->campaigns, &w->cal, w->store);
    if (rc == DRILL_ENOTFOUND)
        return input_error("%s has no working registries (units, rules, holidays): it was not made by "
                           "drillctl init", G.store);
    return rc ? fail(rc) : 0;
}

/* the year of a drill id UNIT/RULE/PERIOD (2027, 2027H1, ...), or 0 */
static int year_of_id(const char *id)
{
    const char *p = strrchr(id, '/');
    long y;
    char year[5];
    if (!p || strlen(p + 1) < 4)
        return 0;
    memcpy(year, p + 1, 4);
    year[4] = '\0';
    return parse_long(year, DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, &y) ? 0 : (int)y;
}

/* which plan a command works on: --year, else the year in a drill id, else the latest */
static int plan_year(world *w, const cmdline *c, const char *drill_id, int *out)
{
    const char *y = opt(c, "year");
    if (y)
        return parse_year(c, y, out);
    if (drill_id && (*out = year_of_id(drill_id)) != 0)
        return 0;
    int years[DRILL_DATE_MAX_YEAR - DRILL_DATE_MIN_YEAR + 1];
    size_t n = 0;
    int rc = drill_store_plan_years(years, sizeof years / sizeof *years, &n, w->store);
    if (rc)
        return fail(rc);
    if (n == 0)
        return input_error("%s has no plan yet: make one with drillctl plan YEAR", G.store);
    *out = years[n - 1];
    /* a report as of a day is about that day's year, when there is a plan for it */
    const char *today = opt(c, "today");
    drill_date d;
    if (today && drill_date_parse(&d, today) == 0)
        for (size_t i = 0; i < n; i++)
            if (years[i] == d.year)
                *out = d.year;
    return 0;
}

/* whether the store has a plan for w->year */
static int has_plan(world *w, int *out)
{
    int years[DRILL_DATE_MAX_YEAR - DRILL_DATE_MIN_YEAR + 1];
    size_t n = 0;
    int rc = drill_store_plan_years(years, sizeof years / sizeof *years, &n, w->store);
    if (rc)
        return fail(rc);
    *out = 0;
    for (size_t i = 0; i < n; i++)
        *out |= years[i] == w->year;
    return 0;
}

/* a stored plan with the registries it was made from */
static int load_plan(world *w, const cmdline *c, int writable, const char *drill_id)
{
    int rc = open_store(w, c, writable);
    if (rc || (rc = plan_year(w, c, drill_id, &w->year)))
        return rc;
    progress("loading the plan of %d from %s...", w->year, G.store);
    rc = drill_store_load(&w->plan, &w->units, &w->rules, &w->campaigns, &w->cal, w->store, w->year);
    if (rc == DRILL_ENOTFOUND)
        return input_error("%s has no plan for %d", G.store, w->year);
    return rc ? fail(rc) : 0;
}

/* the unit of a drill id UNIT/RULE/PERIOD (the unit's id may hold '/') */
static int unit_of(char *out, size_t size, const char *drill_id)
{
    const char *period = strrchr(drill_id, '/');
    const char *rule = period ? period : drill_id;
    while (rule > drill_id && rule[-1] != '/')
        rule--;
    if (!period || rule <= drill_id + 1 || (size_t)(rule - 1 - drill_id) >= size)
        return -1;
    memcpy(out, drill_id, (size_t)(rule - 1 - drill_id));
    out[rule - 1 - drill_id] = '\0';
    return 0;
}

/* One drill's unit of the plan, read by index: the same cost on a store of
 * any size. A writing command attaches it and groups its changes: each is
 * written through with the revision check, all in one transaction
 * (committed by commit_unit(); dropped if the command fails), so it needs
 * no lock on the store: a drill another writer changed meanwhile is
 * refused, never overwritten. */
static int load_unit_plan(world *w, const cmdline *c, int writable, const char *drill_id)
{
    int rc = open_store_as(w, c, writable, 0);
    if (rc || (rc = plan_year(w, c, drill_id, &w->year)))
        return rc;
    char unit[DRILL_ID_MAX];
    if (unit_of(unit, sizeof unit, drill_id))
        return input_error("'%s' is not a drill id (UNIT/RULE/PERIOD)", drill_id);
    rc = drill_store_load_unit(&w->plan, &w->units, &w->rules, &w->campaigns, &w->cal, w->store, w->year, unit);
    if (rc == DRILL_ENOTFOUND)
        return input_error("the plan of %d has no drill '%s' (%s)", w->year, drill_id, drill_error_last()->message);
    if (rc == 0 && writable && ((rc = drill_store_attach(w->store, w->plan)) == 0))
        rc = drill_store_begin(w->store);
    return rc ? fail(rc) : 0;
}

static int commit_unit(world *w)
{
    int rc = drill_store_commit(w->store);
    return rc ? fail(rc) : 0;
}

static int save_plan(world *w)
{
    progress("saving the plan of %d to %s...", w->year, G.store);
    int rc = drill_store_save(w->store, w->plan);
    progress_clear();
    return rc ? fail(rc) : 0;
}

/* Save a plan that was scheduled again. Tracking commands write single
 * drills without the store's lock, so a drill may have been recorded since
 * the plan was read: the save then refuses (it never moves a recorded drill
 * back); the plan takes the other writers' changes in, is scheduled again
 * around them, and saved. */
static int save_plan_rescheduled(world *w, drill_quality *q, const drill_schedule_options *so)
{
    progress("saving the plan of %d to %s...", w->year, G.store);
    int rc;
    for (int tries = 0; (rc = drill_store_save(w->store, w->plan)) == DRILL_ECONFLICT && tries < 10; tries++)
        if ((rc = drill_store_refresh(NULL, w->store, w->plan)) || (rc = drill_plan_schedule(q, w->plan, so)))
            break;
    progress_clear();
    return rc ? fail(rc) : 0;
}

static int save_registries(world *w)
{
    progress("saving the registries to %s...", G.store);
    int rc = drill_store_save_registries(w->store, w->units, w->rules, w->campaigns, w->cal);
    progress_clear();
    return rc ? fail(rc) : 0;
}

/* covered years as ranges: "2022-2026, 2028" */
static void print_covered(const drill_calendar *cal)
{
    int first = 1, run = 0;
    for (int y = DRILL_DATE_MIN_YEAR; y <= DRILL_DATE_MAX_YEAR + 1; y++) {
        int covered = 0;
        if (y <= DRILL_DATE_MAX_YEAR)
            drill_calendar_is_covered(&covered, cal, y);
        if (covered && !run)
            run = y;
        if (!covered && run) {
            printf("%s%d", first ? "" : ", ", run);
            if (y - 1 > run)
                printf("-%d", y - 1);
            first = 0;
            run = 0;
        }
    }
    fputs(first ? "none" : "", stdout);
}

/* ---- help ---- */

static const char USAGE[] =
    "usage: drillctl [--store STORE] [--wait SECONDS] [--read-only] COMMAND [ARGS] [--help]\n"
    "\n"
    "The store (--store STORE, or the DRILL_STORE environment variable) holds the\n"
    "units, rules and holidays, and each year's plan with its tracking: an SQLite\n"
    "file, or a PostgreSQL database named by a postgresql:// URI or a conninfo\n"
    "string (\"host=... dbname=...\"). A command\n"
    "that changes it waits --wait seconds (30) at most for another writer;\n"
    "--read-only reads a store on read-only media and refuses every change.\n"
    "\n"
    "  init STORE                         make a store: preset rules, campaigns, China's holidays\n"
    "  info                               what the store holds\n"
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

static const char H_PLAN[] =
    "usage: drillctl plan YEAR [--capacity N] [--spacing DAYS] [--today DATE] [--allow-uncovered]\n"
    "                          [--replace] [--csv OUT.csv]\n"
    "       drillctl plan YEAR --units FILE.csv [--holidays FILE]... [options]   (no store)\n"
    "\n"
    "Make YEAR's drills from the store's units and rules, schedule them on working\n"
    "days and save the plan; print the quality report. --capacity: observer-attended\n"
    "drills a district can take a day (30); --spacing: least days between two drills\n"
    "of a unit (7; 0 = none); --today: nothing is placed on or before it (the real\n"
    "date). A year without a holiday arrangement is refused unless\n"
    "--allow-uncovered (weekends only). A plan that exists is kept unless --replace\n"
    "(which discards its tracking); drillctl reschedule updates it instead. --csv\n"
    "also writes every drill. With --units, plans a CSV without a store.\n";

static const char H_RESCHEDULE[] =
    "usage: drillctl reschedule [YEAR] [--capacity N] [--spacing DAYS] [--today DATE]\n"
    "                           [--close DATE]... [--district PATH] [--busy FILE.ics]\n"
    "\n"
    "Bring a plan (the latest, or YEAR's) up to date with the store's units, rules\n"
    "and holidays and schedule it again: drills whose day is still valid keep it,\n"
    "new ones are placed, held ones stay. Nothing moves onto a day on or before\n"
    "--today (the real date), and a drill whose day has come without a record stays\n"
    "there (overdue): only drills on later days move. --close closes a day (in --district, or\n"
    "everywhere); --busy closes every day an event of another agency's calendar\n"
    "covers. Capacity and spacing stay as the plan's unless given.\n";

static const char H_DRILLS[] =
    "usage: drillctl drills [--year Y] [--status S] [--district PATH] [--unit ID] [--rule ID]\n"
    "                       [--campaign ID] [--from DATE] [--to DATE] [--csv] [--limit N]\n"
    "\n"
    "The plan's drills that match: --status planned|scheduled|held|evaluated|closed|\n"
    "cancelled; --from/--to: scheduled in the range, or unplaced with a window in it.\n"
    "Text shows the first 50 (--limit 0: all); --csv writes every match.\n";

static const char H_SHOW[] = "usage: drillctl show DRILL-ID\n\nOne drill: its window and day, outcome, "
                             "corrective actions and audit trail.\n";

static const char H_FEEDS[] =
    "usage: drillctl feeds export DIR [--by district|unit|campaign] [--year Y] [--en]\n"
    "                                 [--name NAME] [--alarm MINUTES] [--organizer MAILTO]\n"
    "\n"
    "Write the plan's iCalendar feeds into DIR: all.ics for the city and one per\n"
    "district (or unit, or campaign). Each is written atomically, and only when it\n"
    "changed, so subscribers never see half a feed.\n";

static const char H_RECORD[] =
    "usage: drillctl record DRILL-ID --held DATE [--start HH:MM] [--end HH:MM] [--kind K]\n"
    "                [--form F] [--participants N] [--absent N] [--observers TEXT]\n"
    "                [--evacuation SECONDS] [--evacuation-target SECONDS] [--headcount SECONDS]\n"
    "                [--headcount-target SECONDS] [--score 0-100] [--notes TEXT] [--close]\n"
    "                [--reason TEXT]\n"
    "       drillctl record --from FILE.csv [--year Y]\n"
    "\n"
    "Record a drill held, with its outcome. Start and end default to its scheduled\n"
    "time, kind and form to the rule's. --score evaluates it too; --close then\n"
    "closes it (a drill with corrective actions closes when they are closed).\n"
    "--from records one drill a row, all or nothing: columns drill_id and held,\n"
    "and any of start, end, kind, form, participants, absent, observers,\n"
    "evacuation, evacuation_target, headcount, headcount_target, score, notes,\n"
    "close (1/0), reason, actor. Bad rows are reported as FILE:LINE:COLUMN.\n";

static const char H_ACTION[] =
    "usage: drillctl action add DRILL-ID --finding TEXT --action TEXT --owner TEXT --due DATE\n"
    "                [--capability TEXT] [--status open|in-progress] [--reason TEXT]\n"
    "       drillctl action close DRILL-ID NUMBER [--status done|verified|waived] [--date DATE]\n"
    "                [--keep-open] [--reason TEXT]\n"
    "       drillctl action add|close --from FILE.csv [--year Y]\n"
    "\n"
    "add    a finding of a held or evaluated drill and its corrective action; prints\n"
    "       the action's number.\n"
    "close  mark an action done (or verified, or waived) on --date (today). When that\n"
    "       was the last open action of an evaluated drill, the drill is closed too\n"
    "       (--keep-open leaves it evaluated).\n"
    "--from one a row, all or nothing: add takes drill_id, finding, action, owner,\n"
    "       due and any of capability, status, reason, actor; close takes drill_id,\n"
    "       number and any of status, date, reason, actor.\n";

static const char H_CANCEL[] = "usage: drillctl cancel DRILL-ID --reason TEXT\n\n"
                               "Cancel a planned or scheduled drill; the reason is kept in its audit trail.\n";

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

/* ---- init, info ---- */

static int cmd_init(int argc, char **argv)
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

static int cmd_info(int argc, char **argv)
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
        drill_quality q;
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
    drill_quality q;
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
        drill_item it;
        drill_track_info info;
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

static int cmd_copy(int argc, char **argv)
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

/* ---- holidays, campaigns ---- */

static int load_holidays(drill_calendar_load_stats *st, drill_calendar *cal, const char *path,
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

static int cmd_holidays(int argc, char **argv)
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
        drill_calendar_load_stats st;
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
        drill_day_info info;
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
        drill_rule r;
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
    drill_campaign_def main_def, pre_def;
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

static int cmd_campaigns(int argc, char **argv)
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
        drill_campaign_window win;
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

static int cmd_terms(int argc, char **argv)
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
        drill_break b;
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
        drill_class_def d;
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
        drill_import_error e;
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

static int cmd_units(int argc, char **argv)
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
        drill_rule r;
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
    int i;
    r->name = opt(c, "name");
    r->name_en = opt(c, "name-en");
    r->source = opt(c, "source");
    r->classes = opt(c, "classes");
    r->area = opt(c, "area");
    r->scenario = opt(c, "scenario");
    r->campaign = opt(c, "campaign");
    r->flood_prone = opt(c, "flood-prone") != NULL;
    if ((v = opt(c, "kind"))) {
        if ((i = lookup(v, KIND_NAMES, 4)) < 0)
            return usage_error(c, "--kind: '%s' is not comprehensive, special or onsite", v);
        r->kind = (drill_kind)i;
    }
    if ((v = opt(c, "form"))) {
        if ((i = lookup(v, FORM_NAMES, 3)) < 0)
            return usage_error(c, "--form: '%s' is not live or tabletop", v);
        r->form = (drill_form)i;
    }
    if ((v = opt(c, "frequency"))) {
        if ((i = lookup(v, FREQ_NAMES, 7)) < 0)
            return usage_error(c, "--frequency: '%s' is not yearly, half-yearly, rolling, biennial, monthly or quarterly", v);
        r->frequency = (drill_frequency)i;
    }
    if ((v = opt(c, "min-risk"))) {
        if ((i = lookup(v, RISK_NAMES, 5)) < 1)
            return usage_error(c, "--min-risk: '%s' is not low, general, higher or major", v);
        r->min_risk = (drill_risk)i;
    }
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
    drill_campaign_window win;
    for (int y = DRILL_DATE_MIN_YEAR; y <= DRILL_DATE_MAX_YEAR; y++)
        if (drill_campaigns_window(&win, set, id, y, NULL) == 0)
            return 1;
    return 0;
}

static int cmd_rules(int argc, char **argv)
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
    printf(" %8s %8s %8s %11s %6s %6s %8s\n", "drills", "observed", "busiest", "on", "bound", "ratio", "obs/cap");
    for (size_t d = 0; d < drill_units_district_count(units); d++) {
        drill_district_quality dq;
        char day[DRILL_DATE_STRLEN] = "-";
        if (drill_plan_district_quality(&dq, plan, d))
            continue;
        if (dq.busiest)
            drill_date_format(day, sizeof day, dq.busiest_day);
        print_cell(dq.district, 20, 0);
        printf(" %8zu %8zu %8d %11s %6d %6.2f %5d/%d\n", dq.drills, dq.observed, dq.busiest, day, dq.lower_bound,
               dq.lower_bound ? (double)dq.busiest / dq.lower_bound : 0.0, dq.busiest_observed, dq.capacity);
    }
}

static int plan_csv(FILE *f, void *arg)
{
    const drill_plan *plan = arg;
    fprintf(f, "id,unit_id,unit_name,district,rule,kind,form,scenario,campaign,window_start,window_end,"
               "status,date,start,duration_minutes,observer,reason\r\n");
    for (size_t i = 0; i < drill_plan_count(plan); i++) {
        drill_item it;
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
    int spacing = -2, rc = opt_int(c, "capacity", 1, 65535, &so->capacity);
    so->today = today_local();
    if (rc || (rc = opt_int(c, "spacing", 0, 366, &spacing)) || (rc = opt_date(c, "today", &so->today)))
        return rc;
    if (spacing != -2)
        so->spacing_days = spacing ? spacing : -1;
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
    drill_quality q;
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

static int cmd_plan(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "plan", H_PLAN, argc, argv,
                   "capacity= spacing= today= allow-uncovered replace csv= units= holidays=", 1, 1);
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
    drill_quality q;
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

static int cmd_reschedule(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "reschedule", H_RESCHEDULE, argc, argv, "capacity= spacing= today= close= district= busy=", 0,
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
    drill_schedule_options so;
    drill_plan_schedule_options(&so, w.plan);
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
    drill_quality q;
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

static int cmd_drills(int argc, char **argv)
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
    if ((v = opt(&c, "status"))) {
        static const char *const names[] = { "planned", "scheduled", "held", "evaluated", "closed", "cancelled" };
        if ((f.status = lookup(v, names, 6)) < 0)
            return usage_error(&c, "--status: '%s' is not planned, scheduled, held, evaluated, closed or cancelled", v);
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
    world w = { 0 };
    drill_selection *sel = NULL;
    /* one unit's drills: its part of the plan, read by index */
    if (f.unit_id && (rc = open_store_as(&w, &c, 0, 0)) == 0 && (rc = plan_year(&w, &c, NULL, &w.year)) == 0) {
        rc = drill_store_load_unit(&w.plan, &w.units, &w.rules, &w.campaigns, &w.cal, w.store, w.year, f.unit_id);
        int exists = 0;
        if (rc == DRILL_ENOTFOUND && has_plan(&w, &exists) == 0 && exists) { /* a unit the plan does not have */
            printf("0 drills\n");
            rc = 0;
            goto done;
        }
        if (rc == DRILL_ENOTFOUND)
            rc = input_error("%s", drill_error_last()->message);
        else if (rc)
            rc = fail(rc);
    } else if (!f.unit_id) {
        rc = load_plan(&w, &c, 0, NULL);
    }
    if (rc)
        goto done;
    progress_clear();
    if ((rc = drill_plan_select(&sel, w.plan, &f))) {
        rc = fail(rc);
        goto done;
    }
    int csv = opt(&c, "csv") != NULL;
    size_t n = drill_selection_count(sel), shown = csv || !limit || (size_t)limit > n ? n : (size_t)limit;
    int idw = 2; /* the id column as wide as the longest id shown */
    for (size_t k = 0; !csv && k < shown; k++) {
        size_t i;
        drill_item it;
        drill_selection_index(&i, sel, k);
        drill_plan_get(&it, w.plan, i);
        idw = (int)strlen(it.id) > idw ? (int)strlen(it.id) : idw;
    }
    if (csv)
        fputs("id,date,start,end,status,unit_id,district,rule,kind,form,scenario,campaign,window_start,window_end,"
              "observer,reason,unit_name\r\n", stdout);
    else
        printf("%-*s %-10s %-11s %-9s %s\n", idw, "id", "date", "time", "status", "unit");
    for (size_t k = 0; k < shown; k++) {
        size_t i;
        drill_item it;
        drill_selection_index(&i, sel, k);
        drill_plan_get(&it, w.plan, i);
        char day[DRILL_DATE_STRLEN] = "", a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN], t0[16] = "", t1[16] = "";
        if (it.status >= DRILL_STATUS_SCHEDULED && it.status <= DRILL_STATUS_CLOSED) {
            drill_date_format(day, sizeof day, it.date);
            int end = it.start_minute + it.duration_minutes;
            snprintf(t0, sizeof t0, "%02d:%02d", it.start_minute / 60 % 24, it.start_minute % 60);
            snprintf(t1, sizeof t1, "%02d:%02d", end / 60, end % 60);
        }
        drill_date_format(a, sizeof a, it.window_start);
        drill_date_format(b, sizeof b, it.window_end);
        if (csv) {
            printf("%s,%s,%s,%s,%s,", it.id, day, t0, t1, drill_status_name(it.status));
            csv_field(stdout, it.unit_id);
            putchar(',');
            csv_field(stdout, it.district);
            printf(",%s,%s,%s,%s,%s,%s,%s,%d,%s,", it.rule_id, KIND_NAMES[it.kind], FORM_NAMES[it.form], it.scenario,
                   it.campaign, a, b, it.needs_observer, it.reason ? drill_reason_name(it.reason) : "");
            csv_field(stdout, it.unit_name);
            fputs("\r\n", stdout);
        } else {
            char when[40] = "-";
            if (*t0)
                snprintf(when, sizeof when, "%s-%s", t0, t1);
            printf("%-*s %-10s %-11s %-9s %s\n", idw, it.id, *day ? day : "-", when, drill_status_name(it.status),
                   it.unit_name);
        }
    }
    if (!csv)
        printf("%zu drill%s%s\n", n, n == 1 ? "" : "s", shown < n ? " (--limit 0 shows all)" : "");
done:
    drill_selection_free(sel);
    world_close(&w);
    return rc;
}

static int cmd_show(int argc, char **argv)
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
    drill_item it;
    drill_track_info t;
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
    if (tracked && t.has_outcome) {
        const drill_outcome *o = &t.outcome;
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
        drill_action a;
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
        drill_audit_entry e;
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

static int cmd_feeds(int argc, char **argv)
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
    drill_feed_set_stats st;
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

/* ---- tracking ---- */

/* one drill held, as a command or a row gives it; -1 (or NULL) where not given */
typedef struct held_in {
    const char *id;
    drill_date held;
    int start, end, kind, form, participants, absent, evacuation, evacuation_target, headcount, headcount_target,
        score, close;
    const char *observers, *notes, *reason, *actor;
} held_in;

#define HELD_IN_INIT { NULL, { 0, 0, 0 }, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1, -1, 0, NULL, NULL, NULL, NULL }

/* record it: held, then evaluated with a score, then closed if asked */
static int record_held(drill_plan *plan, const held_in *h)
{
    size_t i;
    drill_item it;
    int rc = drill_plan_find(&i, plan, h->id);
    if (rc)
        return rc;
    drill_plan_get(&it, plan, i);
    int scheduled = it.status == DRILL_STATUS_SCHEDULED;
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = h->held;
    o.start_minute = h->start >= 0 ? h->start : scheduled ? it.start_minute : 9 * 60;
    o.end_minute = h->end >= 0 ? h->end : o.start_minute + (scheduled ? it.duration_minutes : 120);
    if (o.end_minute > 24 * 60)
        o.end_minute = 24 * 60;
    o.kind = h->kind ? (drill_kind)h->kind : it.kind;
    o.form = h->form ? (drill_form)h->form : it.form;
    o.participants = h->participants;
    o.non_participants = h->absent;
    o.observers = h->observers;
    o.evacuation_seconds = h->evacuation;
    o.evacuation_target = h->evacuation_target;
    o.headcount_seconds = h->headcount;
    o.headcount_target = h->headcount_target;
    o.notes = h->notes;
    const char *who = h->actor ? h->actor : actor();
    if ((rc = drill_track_hold(plan, h->id, &o, who, h->reason)))
        return rc;
    if (h->score >= 0 && (rc = drill_track_evaluate(plan, h->id, h->score, NULL, who, h->reason)))
        return rc;
    if (h->close) /* without a score this fails: a drill is evaluated before it closes */
        rc = drill_track_close(plan, h->id, who, h->reason);
    return rc;
}

static int cmd_record_batch(const cmdline *c)
{
    static const char *const cols[] = { "drill_id!", "held!",    "start",    "end",       "kind",
                                         "form",      "participants", "absent", "observers", "evacuation",
                                         "evacuation_target", "headcount", "headcount_target", "score", "notes",
                                         "close",     "reason",   "actor" };
    enum { C_ID, C_HELD, C_START, C_END, C_KIND, C_FORM, C_PART, C_ABSENT, C_OBS, C_EVAC, C_EVACT, C_HEAD, C_HEADT,
           C_SCORE, C_NOTES, C_CLOSE, C_REASON, C_ACTOR, C_N };
    const char *path = opt(c, "from");
    csv_file f;
    world w = { 0 };
    batch b = { path, 0, 0 };
    size_t evaluated = 0, closed = 0;
    int rc = csv_read(&f, path);
    if (rc || (rc = csv_columns(&f, cols, C_N)))
        goto done;
    const csv_cell *first = f.nrows > 1 ? csv_get(&f, 1, C_ID) : NULL;
    if ((rc = load_plan(&w, c, 1, first ? first->text : NULL)))
        goto done;
    for (size_t r = 1; r < f.nrows; r++) {
        if (r % 500 == 0)
            progress("recording %s: row %zu of %zu...", path, r, f.nrows - 1);
        held_in h = HELD_IN_INIT;
        const csv_cell *id = csv_get(&f, r, C_ID), *t;
        int line = f.cells[f.rows[r]].line;
        if (!id || !csv_get(&f, r, C_HELD)) {
            batch_error(&b, id, line, "drill_id and held are required");
            continue;
        }
        h.id = id->text;
        int bad = cell_date(&b, csv_get(&f, r, C_HELD), &h.held);
        if ((t = csv_get(&f, r, C_START)) && parse_time(t->text, &h.start))
            bad = 1, batch_error(&b, t, 0, "'%s' is not a time HH:MM", t->text);
        if ((t = csv_get(&f, r, C_END)) && parse_time(t->text, &h.end))
            bad = 1, batch_error(&b, t, 0, "'%s' is not a time HH:MM", t->text);
        bad |= cell_name(&b, csv_get(&f, r, C_KIND), KIND_NAMES, 4, "kind (comprehensive, special, onsite)", &h.kind);
        bad |= cell_name(&b, csv_get(&f, r, C_FORM), FORM_NAMES, 3, "form (live, tabletop)", &h.form);
        bad |= cell_int(&b, csv_get(&f, r, C_PART), 0, 10000000, &h.participants);
        bad |= cell_int(&b, csv_get(&f, r, C_ABSENT), 0, 10000000, &h.absent);
        bad |= cell_int(&b, csv_get(&f, r, C_EVAC), 0, 86400, &h.evacuation);
        bad |= cell_int(&b, csv_get(&f, r, C_EVACT), 0, 86400, &h.evacuation_target);
        bad |= cell_int(&b, csv_get(&f, r, C_HEAD), 0, 86400, &h.headcount);
        bad |= cell_int(&b, csv_get(&f, r, C_HEADT), 0, 86400, &h.headcount_target);
        bad |= cell_int(&b, csv_get(&f, r, C_SCORE), 0, 100, &h.score);
        bad |= cell_int(&b, csv_get(&f, r, C_CLOSE), 0, 1, &h.close);
        h.observers = (t = csv_get(&f, r, C_OBS)) ? t->text : NULL;
        h.notes = (t = csv_get(&f, r, C_NOTES)) ? t->text : NULL;
        h.reason = (t = csv_get(&f, r, C_REASON)) ? t->text : NULL;
        h.actor = (t = csv_get(&f, r, C_ACTOR)) ? t->text : NULL;
        if (bad)
            continue;
        if (year_of_id(h.id) && year_of_id(h.id) != w.year) {
            batch_error(&b, id, 0, "drill '%s' is not in the plan of %d (one year a file)", h.id, w.year);
            continue;
        }
        if ((rc = record_held(w.plan, &h))) {
            batch_fail(&b, id, 0, rc);
            continue;
        }
        evaluated += h.score >= 0;
        closed += h.close;
    }
    if ((rc = batch_end(&b, "recorded")) || (rc = save_plan(&w)))
        goto done;
    printf("recorded %zu drills held (%zu evaluated, %zu closed) from %s in the plan of %d\n", f.nrows - 1, evaluated,
           closed, path, w.year);
done:
    csv_free(&f);
    world_close(&w);
    return rc;
}

static int cmd_record(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "record", H_RECORD, argc, argv,
                   "held= start= end= kind= form= participants= absent= observers= evacuation= evacuation-target= "
                   "headcount= headcount-target= score= notes= close reason= from= year=",
                   0, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    if (opt(&c, "from")) {
        if (c.npos || opt(&c, "held"))
            return usage_error(&c, "--from takes no DRILL-ID or --held: the file gives them");
        return cmd_record_batch(&c);
    }
    if (c.npos != 1)
        return usage_error(&c, "missing DRILL-ID");
    if (!opt(&c, "held"))
        return usage_error(&c, "missing --held DATE");
    held_in h = HELD_IN_INIT;
    const char *v;
    h.id = c.pos[0];
    if ((rc = opt_date(&c, "held", &h.held)))
        return rc;
    if ((v = opt(&c, "start")) && parse_time(v, &h.start))
        return usage_error(&c, "--start: '%s' is not a time HH:MM", v);
    if ((v = opt(&c, "end")) && parse_time(v, &h.end))
        return usage_error(&c, "--end: '%s' is not a time HH:MM", v);
    if ((v = opt(&c, "kind")) && (h.kind = lookup(v, KIND_NAMES, 4)) < 0)
        return usage_error(&c, "--kind: '%s' is not comprehensive, special or onsite", v);
    if ((v = opt(&c, "form")) && (h.form = lookup(v, FORM_NAMES, 3)) < 0)
        return usage_error(&c, "--form: '%s' is not live or tabletop", v);
    if ((rc = opt_int(&c, "participants", 0, 10000000, &h.participants)) ||
        (rc = opt_int(&c, "absent", 0, 10000000, &h.absent)) || (rc = opt_int(&c, "evacuation", 0, 86400, &h.evacuation)) ||
        (rc = opt_int(&c, "evacuation-target", 0, 86400, &h.evacuation_target)) ||
        (rc = opt_int(&c, "headcount", 0, 86400, &h.headcount)) ||
        (rc = opt_int(&c, "headcount-target", 0, 86400, &h.headcount_target)) ||
        (rc = opt_int(&c, "score", 0, 100, &h.score)))
        return rc;
    if (opt(&c, "close") && h.score < 0)
        return usage_error(&c, "--close needs --score: a drill is evaluated before it closes");
    h.close = opt(&c, "close") != NULL;
    h.observers = opt(&c, "observers");
    h.notes = opt(&c, "notes");
    h.reason = opt(&c, "reason");
    world w = { 0 };
    if ((rc = load_unit_plan(&w, &c, 1, h.id)))
        goto done;
    if ((rc = record_held(w.plan, &h))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = commit_unit(&w)))
        goto done;
    drill_track_info t;
    drill_track_get(&t, w.plan, h.id);
    printf("%s: %s\n", h.id, drill_status_name(t.status));
done:
    world_close(&w);
    return rc;
}

/* close a drill whose last open action was just closed, if it is evaluated */
static int close_if_done(drill_plan *plan, const char *id, const char *who, int *closed)
{
    drill_track_info t;
    int rc = drill_track_get(&t, plan, id);
    if (rc || t.status != DRILL_STATUS_EVALUATED || t.open_actions)
        return rc;
    *closed += 1;
    return drill_track_close(plan, id, who, "every corrective action closed");
}

static int action_status(const cmdline *c, const char *v, int closing, int *out)
{
    int i = lookup(v, ACTION_NAMES, 5);
    if (i < 0 || (closing && i < DRILL_ACTION_DONE) || (!closing && i > DRILL_ACTION_IN_PROGRESS))
        return usage_error(c, "--status: '%s' is not %s", v, closing ? "done, verified or waived" : "open or in-progress");
    *out = i;
    return 0;
}

static int cmd_action_batch(const cmdline *c, int add, drill_date today)
{
    static const char *const add_cols[] = { "drill_id!", "finding!", "action!", "owner!", "due!", "capability",
                                            "status", "reason", "actor" };
    static const char *const close_cols[] = { "drill_id!", "number!", "status", "date", "reason", "actor" };
    const char *path = opt(c, "from");
    csv_file f;
    world w = { 0 };
    batch b = { path, 0, 0 };
    int closed_drills = 0, keep_open = opt(c, "keep-open") != NULL;
    int rc = csv_read(&f, path);
    if (rc || (rc = csv_columns(&f, add ? add_cols : close_cols, add ? 9 : 6)))
        goto done;
    const csv_cell *first = f.nrows > 1 ? csv_get(&f, 1, 0) : NULL;
    if ((rc = load_plan(&w, c, 1, first ? first->text : NULL)))
        goto done;
    for (size_t r = 1; r < f.nrows; r++) {
        if (r % 500 == 0)
            progress("%s: row %zu of %zu...", path, r, f.nrows - 1);
        const csv_cell *id = csv_get(&f, r, 0), *t;
        int line = f.cells[f.rows[r]].line, bad = 0;
        if (!id) {
            batch_error(&b, NULL, line, "drill_id is required");
            continue;
        }
        if (year_of_id(id->text) && year_of_id(id->text) != w.year) {
            batch_error(&b, id, 0, "drill '%s' is not in the plan of %d (one year a file)", id->text, w.year);
            continue;
        }
        if (add) {
            drill_action a = DRILL_ACTION_INIT;
            int status = 0;
            for (int k = 1; k <= 3; k++)
                if (!csv_get(&f, r, k)) {
                    batch_error(&b, NULL, line, "%.*s is required", (int)strcspn(add_cols[k], "!"), add_cols[k]);
                    bad = 1;
                }
            if (bad)
                continue;
            a.finding = csv_get(&f, r, 1)->text;
            a.action = csv_get(&f, r, 2)->text;
            a.owner = csv_get(&f, r, 3)->text;
            a.capability = (t = csv_get(&f, r, 5)) ? t->text : NULL;
            if (!csv_get(&f, r, 4)) {
                batch_error(&b, NULL, line, "due is required");
                continue;
            }
            bad |= cell_date(&b, csv_get(&f, r, 4), &a.due);
            bad |= cell_name(&b, csv_get(&f, r, 6), ACTION_NAMES, 2, "status (open, in-progress)", &status);
            if (bad)
                continue;
            a.status = (drill_action_status)status;
            const char *reason = (t = csv_get(&f, r, 7)) ? t->text : NULL;
            const char *who = (t = csv_get(&f, r, 8)) ? t->text : actor();
            if ((rc = drill_track_add_action(NULL, w.plan, id->text, &a, who, reason)))
                batch_fail(&b, id, 0, rc);
        } else {
            int number = 0, status = DRILL_ACTION_DONE;
            drill_date when = today;
            const csv_cell *num = csv_get(&f, r, 1);
            if (!num) {
                batch_error(&b, NULL, line, "number is required");
                continue;
            }
            bad |= cell_int(&b, num, 1, 100000, &number);
            bad |= cell_name(&b, csv_get(&f, r, 2), ACTION_NAMES, 5, "status (done, verified, waived)", &status);
            if ((t = csv_get(&f, r, 2)) && status < DRILL_ACTION_DONE && !bad)
                bad = 1, batch_error(&b, t, 0, "'%s' does not close an action (done, verified, waived)", t->text);
            bad |= cell_date(&b, csv_get(&f, r, 3), &when);
            if (bad)
                continue;
            const char *reason = (t = csv_get(&f, r, 4)) ? t->text : NULL;
            const char *who = (t = csv_get(&f, r, 5)) ? t->text : actor();
            if ((rc = drill_track_set_action(w.plan, id->text, (size_t)number, (drill_action_status)status, when, who,
                                             reason)) ||
                (!keep_open && (rc = close_if_done(w.plan, id->text, who, &closed_drills))))
                batch_fail(&b, id, 0, rc);
        }
    }
    rc = 0;
    if ((rc = batch_end(&b, add ? "added" : "closed")) || (rc = save_plan(&w)))
        goto done;
    if (add)
        printf("added %zu corrective actions from %s\n", f.nrows - 1, path);
    else
        printf("closed %zu corrective actions from %s; %d drills closed with them\n", f.nrows - 1, path,
               closed_drills);
done:
    csv_free(&f);
    world_close(&w);
    return rc;
}

static int cmd_action(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "action", H_ACTION, argc, argv,
                   "finding= action= owner= due= capability= status= reason= date= today= keep-open from= year=", 1, 3);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    int add = strcmp(c.pos[0], "add") == 0;
    if (!add && strcmp(c.pos[0], "close") != 0)
        return usage_error(&c, "unknown subcommand '%s' (add or close)", c.pos[0]);
    drill_date today = today_local();
    if ((rc = opt_date(&c, "today", &today)))
        return rc;
    if (opt(&c, "from")) {
        if (c.npos > 1)
            return usage_error(&c, "--from takes no DRILL-ID: the file gives them");
        return cmd_action_batch(&c, add, today);
    }
    if (c.npos < 2)
        return usage_error(&c, "missing DRILL-ID");
    const char *id = c.pos[1], *reason = opt(&c, "reason");
    world w = { 0 };
    if (add) {
        if (c.npos != 2)
            return usage_error(&c, "add takes one DRILL-ID");
        drill_action a = DRILL_ACTION_INIT;
        int status = 0;
        a.finding = opt(&c, "finding");
        a.action = opt(&c, "action");
        a.owner = opt(&c, "owner");
        a.capability = opt(&c, "capability");
        if (!a.finding || !a.action || !a.owner || !opt(&c, "due"))
            return usage_error(&c, "add needs --finding, --action, --owner and --due");
        if ((rc = opt_date(&c, "due", &a.due)) || (opt(&c, "status") && (rc = action_status(&c, opt(&c, "status"), 0, &status))))
            return rc;
        a.status = (drill_action_status)status;
        size_t number = 0;
        if ((rc = load_unit_plan(&w, &c, 1, id)))
            goto done;
        if ((rc = drill_track_add_action(&number, w.plan, id, &a, actor(), reason))) {
            rc = fail(rc);
            goto done;
        }
        if ((rc = commit_unit(&w)))
            goto done;
        printf("%s: action %zu added\n", id, number);
        goto done;
    }
    long number;
    int status = DRILL_ACTION_DONE, closed = 0;
    drill_date when = today;
    if (c.npos != 3 || parse_long(c.pos[2], 1, 100000, &number))
        return usage_error(&c, "close needs DRILL-ID and the action's NUMBER");
    if ((opt(&c, "status") && (rc = action_status(&c, opt(&c, "status"), 1, &status))) ||
        (rc = opt_date(&c, "date", &when)))
        return rc;
    if ((rc = load_unit_plan(&w, &c, 1, id)))
        goto done;
    if ((rc = drill_track_set_action(w.plan, id, (size_t)number, (drill_action_status)status, when, actor(), reason)) ||
        (!opt(&c, "keep-open") && (rc = close_if_done(w.plan, id, actor(), &closed)))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = commit_unit(&w)))
        goto done;
    printf("%s: action %ld %s%s\n", id, number, drill_action_status_name(status),
           closed ? "; every action is closed, so the drill is closed" : "");
done:
    world_close(&w);
    return rc;
}

static int cmd_cancel(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "cancel", H_CANCEL, argc, argv, "reason= year=", 1, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    const char *reason = opt(&c, "reason");
    if (!reason || !*reason)
        return usage_error(&c, "a cancellation needs --reason TEXT");
    world w = { 0 };
    if ((rc = load_unit_plan(&w, &c, 1, c.pos[0])))
        goto done;
    if ((rc = drill_track_cancel(w.plan, c.pos[0], actor(), reason))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = commit_unit(&w)))
        goto done;
    printf("%s: cancelled (%s)\n", c.pos[0], reason);
done:
    world_close(&w);
    return rc;
}

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

static int cmd_report(int argc, char **argv)
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
    /* coverage comes from the store's counts, the same cost on any store;
     * a plan an older libdrill saved has none: then from the loaded plan */
    if (kind == 0 && (rc = open_store(&w, &c, 0)) == 0 && (rc = plan_year(&w, &c, NULL, &w.year)) == 0) {
        rc = drill_store_report_coverage(&t, w.store, w.year, (drill_group_by)by, today);
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
        { "init", cmd_init },         { "info", cmd_info },       { "holidays", cmd_holidays },
        { "copy", cmd_copy },
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
