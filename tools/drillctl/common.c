/* drillctl: what every command shares: messages, command lines, text and CSV output, batch files, the store. */
#include "drillctl.h"
#include "libpq_dl.h" /* a server store's lock (lock_server()): libpq loaded for it alone */
#include <stdint.h>

struct drillctl_globals G;

/* the store to work on: opened by its name, shown with any password masked */
void set_store(const char *name)
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

void progress(const char *fmt, ...)
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

void progress_clear(void)
{
    if (G.progress_shown) {
        clear_line();
        G.progress_shown = 0;
    }
}

/* the exit status for a library error code */
int status_of(int rc)
{
    return rc == DRILL_ENOMEM || rc == DRILL_EIO ? EXIT_INTERNAL : EXIT_INPUT;
}

/* report the library's last error: file:line:column: message where it has a place */
int fail(int rc)
{
    const drill_error *e = drill_error_last();
    progress_clear();
    if (e->line > 0)
        fprintf(stderr, "drillctl: %s:%d:%d: %s\n", e->source, e->line, e->column, e->message);
    else
        fprintf(stderr, "drillctl: %s (%s)\n", *e->message ? e->message : drill_strerror(rc), drill_strerror(rc));
    return status_of(rc);
}

/* "drillctl: MESSAGE" on stderr; returns status */
static int say_error(int status, const char *fmt, va_list ap)
{
    progress_clear();
    fputs("drillctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    return status;
}

int input_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int status = say_error(EXIT_INPUT, fmt, ap);
    va_end(ap);
    return status;
}

int internal_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int status = say_error(EXIT_INTERNAL, fmt, ap);
    va_end(ap);
    return status;
}

/* ---- command lines ---- */

int usage_error(const cmdline *c, const char *fmt, ...)
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
int parse(cmdline *c, const char *cmd, const char *help, int argc, char **argv, const char *spec,
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
const char *opt(const cmdline *c, const char *name)
{
    size_t len = strlen(name);
    for (int i = c->nopt - 1; i >= 0; i--)
        if (c->opt[i].len == len && strncmp(c->opt[i].name, name, len) == 0)
            return c->opt[i].value;
    return NULL;
}

int parse_long(const char *s, long lo, long hi, long *out)
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
int opt_int(const cmdline *c, const char *name, long lo, long hi, int *out)
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

int opt_date(const cmdline *c, const char *name, drill_date *out)
{
    const char *v = opt(c, name);
    if (!v)
        return 0;
    if (drill_date_parse(out, v))
        return usage_error(c, "--%s: '%s' is not a date YYYY-MM-DD: %s", name, v, drill_error_last()->message);
    return 0;
}

int parse_year(const cmdline *c, const char *s, int *out)
{
    long y;
    if (parse_long(s, DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, &y))
        return usage_error(c, "YEAR must be %d-%d, not '%s'", DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR, s);
    *out = (int)y;
    return 0;
}

/* "HH:MM" as minutes after midnight (24:00 allowed, for an end) */
int parse_time(const char *s, int *out)
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
int lookup(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* a named option: the index of its value among names (at least lo), or a
 * usage error saying which values it takes; absent leaves *out alone */
int opt_name(const cmdline *c, const char *name, const char *const *names, int n, int lo, const char *which, int *out)
{
    const char *v = opt(c, name);
    int i;
    if (!v)
        return 0;
    if ((i = lookup(v, names, n)) < lo)
        return usage_error(c, "--%s: '%s' is not %s", name, v, which);
    *out = i;
    return 0;
}

const char *const KIND_NAMES[] = { NULL, "comprehensive", "special", "onsite" };
const char *const FORM_NAMES[] = { NULL, "live", "tabletop" };
const char *const FREQ_NAMES[] = { NULL, "yearly", "half-yearly", "rolling", "biennial", "monthly", "quarterly" };
const char *const ACTION_NAMES[] = { "open", "in-progress", "done", "verified", "waived" };
const char *const RISK_NAMES[] = { "unset", "low", "general", "higher", "major" };

drill_date today_local(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    drill_date d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
    return d;
}

const char *actor(void)
{
    if (G.actor && *G.actor)
        return G.actor;
    const char *a = getenv("DRILL_ACTOR");
    if (a && *a)
        return a;
    a = getenv("USER");
    return a && *a ? a : "drillctl";
}

int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* an input file must be there before the library reads it: a missing file
 * is bad input. Not opened here: a named pipe is opened once, by its
 * reader (opening it here and again later would let its writer start
 * between the two and die of SIGPIPE; units import reads it after taking
 * the store's lock) */
int readable(const char *path)
{
    if (access(path, R_OK) != 0)
        return input_error("%s: %s", path, strerror(errno));
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
void escape_terminal_output(void)
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
int end_terminal_output(void)
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
void print_cell(const char *s, int width, int right)
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

/* quoted where RFC 4180 needs it, and where a space begins or ends the
 * cell (spreadsheets trim unquoted ones), as drill_table_write_csv() does */
void csv_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
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

static int keep_row(const drill_table *t, const row_filter *f, size_t r)
{
    const char *s;
    if (f->column == (size_t)-1 || drill_table_cell(&s, t, r, f->column))
        return 1;
    return strcmp(s, "open") == 0 || strcmp(s, "in progress") == 0;
}

void csv_rows(FILE *out, const drill_table *t, const row_filter *f)
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
size_t print_table(const drill_table *t, const row_filter *f, size_t limit)
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

void csv_free(csv_file *f)
{
    for (size_t i = 0; i < f->ncells; i++)
        free(f->cells[i].text);
    free(f->cells);
    free(f->rows);
}

/* room for need elements of size bytes. drillctl is built on libdrill's
 * public API only, so it cannot call the library's growable array
 * (libdrill/vec.h); this is drillctl's one copy of its rule: doubling,
 * overflow checked, nothing changed on failure */
static int csv_push(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (c > SIZE_MAX / size)
        return -1;
    void *p = realloc(*items, c * size);
    if (!p)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

/* read a whole CSV file into cells with their line and column */
int csv_read(csv_file *f, const char *path)
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
            if (csv_push((void **)&f->cells, &f->cap, f->ncells + 1, sizeof *f->cells))
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
int csv_columns(csv_file *f, const char *const *wanted, int n)
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
const csv_cell *csv_get(const csv_file *f, size_t r, int w)
{
    if (f->header[w] < 0)
        return NULL;
    size_t i = f->rows[r] + (size_t)f->header[w];
    if (i >= f->rows[r + 1] || !*f->cells[i].text)
        return NULL;
    return &f->cells[i];
}

void batch_error(batch *b, const csv_cell *at, int line, const char *fmt, ...)
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
void batch_fail(batch *b, const csv_cell *at, int line, int rc)
{
    if (rc == DRILL_ENOMEM || rc == DRILL_EIO)
        b->internal = 1;
    batch_error(b, at, line, "%s", drill_error_last()->message);
}

int batch_end(const batch *b, const char *what)
{
    if (!b->errors)
        return 0;
    progress_clear();
    if (b->errors > MAX_BATCH_ERRORS)
        fprintf(stderr, "drillctl: %s: %d more errors not shown\n", b->path, b->errors - MAX_BATCH_ERRORS);
    fprintf(stderr, "drillctl: %s: %d error%s; nothing %s\n", b->path, b->errors, b->errors == 1 ? "" : "s", what);
    return b->internal ? EXIT_INTERNAL : EXIT_INPUT;
}

int cell_int(batch *b, const csv_cell *c, long lo, long hi, int *out)
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

int cell_date(batch *b, const csv_cell *c, drill_date *out)
{
    if (!c)
        return 0;
    if (drill_date_parse(out, c->text)) {
        batch_error(b, c, 0, "'%s' is not a date YYYY-MM-DD", c->text);
        return -1;
    }
    return 0;
}

int cell_name(batch *b, const csv_cell *c, const char *const *names, int n, const char *what, int *out)
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

void world_close(world *w)
{
    drill_plan_free(w->plan);
    drill_calendar_free(w->cal);
    drill_campaigns_free(w->campaigns);
    drill_rules_free(w->rules);
    drill_units_free(w->units);
    drill_store_close(w->store);
    memset(w, 0, sizeof *w);
}

int need_store(const cmdline *c)
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

/* ---- a server store's lock: a session-level advisory lock ---- */

/* pg_advisory_lock(int, int)'s first key, "drin" (store_pg.c's own year and
 * migration locks use "dril", "drim" and a bigint key: never this one); the
 * second is the hash of the schema the store lives in (libpq's search_path),
 * so the stores of one database in different schemas do not wait for each
 * other, and the key exists before the store does (init) */
#define SERVER_LOCK "1685219694"
#define SERVER_KEY "hashtext(current_schema())"

/* the sessions holding the store's lock, named for a message: the server
 * process, its client's application_name (drillctl's own says its pid and
 * host) and address ('local': a Unix socket; 'not shown' to a role that
 * may not see it); "" when none is seen (it went meanwhile) */
static void server_holder(PGconn *c, char *out, size_t size)
{
    PGresult *r = PQexec(c, "SELECT a.pid, coalesce(a.application_name, ''), CASE WHEN a.client_port = -1 THEN 'local'"
                            " ELSE coalesce(host(a.client_addr), 'not shown') END"
                            " FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid"
                            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
                            " AND l.database = (SELECT oid FROM pg_catalog.pg_database"
                            " WHERE datname = current_database())"
                            " AND l.classid = " SERVER_LOCK "::bigint::oid"
                            " AND l.objid = (" SERVER_KEY "::bigint & 4294967295)::oid"
                            " AND l.pid <> pg_backend_pid() LIMIT 1");
    out[0] = '\0';
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        const char *app = PQgetvalue(r, 0, 1);
        snprintf(out, size, " (%s%s%sserver process %s, client %s)", *app ? "'" : "", app, *app ? "', " : "",
                 PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 2));
    }
    PQclear(r);
}

/* libpq's message on one line, without its trailing newline */
static const char *pq_text(PGconn *c, const PGresult *r, char *buf, size_t size)
{
    const char *m = r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(c);
    snprintf(buf, size, "%s", m && *m ? m : "unknown error");
    for (char *q = buf; *q; q++)
        if (*q == '\n' || *q == '\t')
            *q = ' ';
    for (size_t n = strlen(buf); n && buf[n - 1] == ' ';)
        buf[--n] = '\0';
    return buf;
}

/* The file's flock for a server store: a session-level advisory lock on a
 * connection of drillctl's own, held until drillctl exits (the server
 * releases it when the connection closes, a crashed drillctl's too). The
 * same --wait limit (the server's lock_timeout) and exit status 4 naming
 * the holder as for a file. */
static int lock_server(long wait)
{
    static PGconn *held; /* open to the end: closing it would release the lock */
    if (held)
        return 0;
    char why[512];
    if (drill__pq_load(why, sizeof why))
        return internal_error("cannot lock %s: PostgreSQL's client library cannot be loaded (%s): install libpq5, "
                              "or set DRILL_LIBPQ to its file", G.store, why);
    char app[96], host[40] = ""; /* the server keeps 63 bytes of it: the pid comes first */
    gethostname(host, sizeof host - 1);
    snprintf(app, sizeof app, "drillctl pid %ld on %s", (long)getpid(), host);
    const char *keys[4], *vals[4];
    int k = 0;
    if (!getenv("PGCONNECT_TIMEOUT")) { /* as the library's own connection: 10 s unless told otherwise */
        keys[k] = "connect_timeout";
        vals[k++] = "10";
    }
    keys[k] = "application_name"; /* before the store's name: a conninfo's own application_name wins */
    vals[k++] = app;
    keys[k] = "dbname";
    vals[k++] = G.store_name;
    keys[k] = vals[k] = NULL;
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    char msg[1024], who[200];
    if (!c)
        return internal_error("cannot lock %s: out of memory", G.store);
    if (PQstatus(c) != CONNECTION_OK) {
        internal_error("cannot connect to %s to lock it: %s", G.store, pq_text(c, NULL, msg, sizeof msg));
        PQfinish(c);
        return EXIT_INTERNAL;
    }
    PGresult *r = PQexec(c, "SELECT pg_try_advisory_lock(" SERVER_LOCK ", " SERVER_KEY ")");
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = internal_error("cannot lock %s: %s", G.store, pq_text(c, r, msg, sizeof msg));
    } else if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        server_holder(c, who, sizeof who);
        fprintf(stderr, "drillctl: waiting for another drillctl%s writing %s, %ld s at most...\n", who, G.store,
                wait);
        char set[64];
        snprintf(set, sizeof set, "SET lock_timeout = '%lds'", wait);
        PQclear(r);
        r = wait ? PQexec(c, set) : NULL;
        if (r && PQresultStatus(r) == PGRES_COMMAND_OK) {
            PQclear(r);
            r = PQexec(c, "SELECT pg_advisory_lock(" SERVER_LOCK ", " SERVER_KEY ")");
        }
        if (r && PQresultStatus(r) == PGRES_TUPLES_OK) {
            PQclear(r);
            r = PQexec(c, "SET lock_timeout = 0");
        } else {
            const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "55P03";
            if (state && strcmp(state, "55P03") == 0) { /* lock_not_available: the wait ran out */
                server_holder(c, who, sizeof who);
                rc = internal_error("another drillctl%s still holds %s after %ld s (--wait): try again later, or "
                                    "stop it", who, G.store, wait);
            } else {
                rc = internal_error("cannot lock %s: %s", G.store, pq_text(c, r, msg, sizeof msg));
            }
        }
    }
    PQclear(r);
    if (rc) {
        PQfinish(c);
        return rc;
    }
    held = c;
    return 0;
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
 * A server store (PostgreSQL) has no file to lock: a session-level
 * advisory lock on the server stands for it (lock_server()). */
int lock_store(int create)
{
    static int fd = -1;
    if (fd >= 0)
        return 0;
    long wait = 30;
    if (G.wait && (parse_long(G.wait, 0, 86400, &wait) != 0)) {
        fprintf(stderr, "drillctl: --wait %s: give whole seconds, 0-86400\n", G.wait);
        return EXIT_USAGE;
    }
    if (drill_store_is_server(G.store_name))
        return lock_server(wait);
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
int open_store_as(world *w, const cmdline *c, int writable, int lock)
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

int open_store(world *w, const cmdline *c, int writable)
{
    return open_store_as(w, c, writable, writable);
}

/* the store's working registries */
int load_registries(world *w)
{
    progress("reading the registries of %s...", G.store);
    int rc = drill_store_load_registries(&w->units, &w->rules, &w->campaigns, &w->cal, w->store);
    if (rc == DRILL_ENOTFOUND)
        return input_error("%s has no working registries (units, rules, holidays): it was not made by "
                           "drillctl init", G.store);
    return rc ? fail(rc) : 0;
}

/* the year of a drill id UNIT/RULE/PERIOD (2027, 2027H1, ...), or 0 */
int year_of_id(const char *id)
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
int plan_year(world *w, const cmdline *c, const char *drill_id, int *out)
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
int has_plan(world *w, int *out)
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
int load_plan(world *w, const cmdline *c, int writable, const char *drill_id)
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
int load_unit_plan(world *w, const cmdline *c, int writable, const char *drill_id)
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

int commit_unit(world *w)
{
    int rc = drill_store_commit(w->store);
    return rc ? fail(rc) : 0;
}

int save_plan(world *w)
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
int save_plan_rescheduled(world *w, drill_quality *q, const drill_schedule_options *so)
{
    progress("saving the plan of %d to %s...", w->year, G.store);
    int rc;
    for (int tries = 0; (rc = drill_store_save(w->store, w->plan)) == DRILL_ECONFLICT && tries < 10; tries++)
        if ((rc = drill_store_refresh(NULL, w->store, w->plan)) || (rc = drill_plan_schedule(q, w->plan, so)))
            break;
    progress_clear();
    return rc ? fail(rc) : 0;
}

int save_registries(world *w)
{
    progress("saving the registries to %s...", G.store);
    int rc = drill_store_save_registries(w->store, w->units, w->rules, w->campaigns, w->cal);
    progress_clear();
    return rc ? fail(rc) : 0;
}

/* covered years as ranges: "2022-2026, 2028" */
void print_covered(const drill_calendar *cal)
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
