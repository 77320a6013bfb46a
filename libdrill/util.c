/* Small helpers: strings, UTF-8 validation, reading a file whole, large arrays. */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE, flock, O_NOFOLLOW, getrandom */
#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "vec.h"

char *drill__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int drill__utf8_text_ok(const char *s)
{
    return !s || drill__utf8_valid(s, strlen(s));
}

int drill__utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    while (s < end) {
        unsigned c = *s;
        size_t n;
        unsigned min;
        if (c < 0x80) { s++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { n = 1; min = 0x80; c &= 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; min = 0x800; c &= 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; min = 0x10000; c &= 0x07; }
        else return 0;
        if ((size_t)(end - s) <= n)
            return 0;
        for (size_t i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            c = (c << 6) | (s[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        s += n + 1;
    }
    return 1;
}

static inline unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

int drill__ascii_ncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = ascii_lower((unsigned char)a[i]), y = ascii_lower((unsigned char)b[i]);
        if (x != y || !x)
            return (int)x - (int)y;
    }
    return 0;
}

int drill__ascii_casecmp(const char *a, const char *b)
{
    return drill__ascii_ncasecmp(a, b, SIZE_MAX);
}

int drill__id_valid(const char *id, size_t max)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > max)
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-'))
            return 0;
    return 1;
}

int drill__in_bar_list(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *s = list; s && *s;) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        if (len == n && strncmp(s, id, n) == 0)
            return 1;
        s = bar ? bar + 1 : NULL;
    }
    return 0;
}

size_t drill__utf8_cut(const char *s, size_t len)
{
    /* back over the continuation bytes at the end to the character they belong to */
    size_t k = len, back = 0;
    while (k > 0 && back < 3 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--, back++;
    if (k == 0)
        return len;
    unsigned c = (unsigned char)s[k - 1];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return c >= 0x80 && (k - 1) + need > len ? k - 1 : len;
}

size_t drill_utf8_cut(const char *s, size_t max)
{
    return s ? drill__utf8_cut(s, strnlen(s, max)) : 0;
}

int drill__format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n >= size && size > 0)
        buf[drill__utf8_cut(buf, size - 1)] = '\0';
    return n;
}

int drill__read_file(char **out, size_t *out_len, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return drill__error(DRILL_EIO, "cannot open %s: %s", path, strerror(errno));
    /* one read of the known size; a file that grows meanwhile is read on */
    size_t cap = 65536, len = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0)
            cap = (size_t)size + 2;
        rewind(f);
    }
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return drill__error(DRILL_ENOMEM, "out of memory reading %s", path);
    }
    for (;;) {
        if (cap - len < 2 && DRILL__VEC_RESERVE(buf, cap, len + 2)) {
            free(buf);
            fclose(f);
            return drill__error(DRILL_ENOMEM, "out of memory reading %s", path);
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return drill__error(DRILL_EIO, "cannot read %s", path);
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

void *drill__alloc_large(size_t size)
{
    enum { HUGE = 2u << 20 };
    if (size < 4 * (size_t)HUGE)
        return malloc(size);
    /* a first touch of a big array is one page fault per 4 KiB, which in a
     * virtual machine costs more than filling the page: ask Linux for
     * transparent huge pages (a hint; ignored where unsupported) */
    size_t rounded = (size + HUGE - 1) / HUGE * HUGE;
    void *p = aligned_alloc(HUGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p)
        madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

/* ---- the one routine that writes files ----
 *
 * A regular file (or a missing one) is replaced: the text goes to a new file
 * in the target's folder, named ".NAME.XXXXXXXXXXXXXXXX.tmp" with 16 random
 * characters (getrandom) and created with O_CREAT|O_EXCL|O_NOFOLLOW, so a
 * symlink or file planted at any name cannot be followed or reused; it is
 * flock()ed while it exists, fsynced, given the old file's permission bits,
 * renamed over the target, and the folder is fsynced. rename() replaces a
 * directory entry, so a symlink or hard link at the target's name is
 * replaced, never written through.
 *
 * A target that is not a regular file -- a FIFO, a character or block
 * device, or a symlink leading to one of them or to a regular file -- is
 * followed and written in place (--output /dev/stdout, a named pipe), but
 * only when it, and every symlink on the way, belongs to the caller or to
 * root (as the kernel's protected_symlinks does in shared folders): an object
 * someone else planted at the target's name is replaced instead.
 *
 * Temporaries of runs that were killed are removed by the next write into
 * the same folder: one is stale when nobody holds its lock. */


/* "." NAME "." 16 random characters ".tmp", for base name name (NULL: any) */
static int is_temporary_of(const char *entry, const char *name)
{
    size_t e = strlen(entry), n = name ? strlen(name) : e < 2 + DRILL__TMP_RANDOM + 4 ? 0 : e - 2 - DRILL__TMP_RANDOM - 4;
    if (e != 1 + n + 1 + DRILL__TMP_RANDOM + 4 || n == 0 || entry[0] != '.' ||
        (name && memcmp(entry + 1, name, n) != 0) || entry[1 + n] != '.' || memcmp(entry + e - 4, ".tmp", 4) != 0)
        return 0;
    for (size_t i = 2 + n; i < 2 + n + DRILL__TMP_RANDOM; i++) {
        char c = entry[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
            return 0;
    }
    return 1;
}

/* the pid of a temporary of libdrill before its safe files, NAME ".tmp." PID
 * (drill__write_atomic) or NAME ".tmp" PID (drillctl's report --output), for
 * base name name; with name NULL, of any NAME ending in ".ics" (a feed set's
 * folder holds nothing else of ours); 0 if entry is not one */
static long legacy_temporary_pid(const char *entry, const char *name)
{
    const char *t = NULL;
    if (name) {
        size_t n = strlen(name);
        if (n && strncmp(entry, name, n) == 0)
            t = entry + n;
    } else {
        for (const char *p = strstr(entry, ".ics.tmp"); p; p = strstr(p + 1, ".ics.tmp"))
            t = p + 4;
    }
    if (!t || t == entry || strncmp(t, ".tmp", 4) != 0)
        return 0;
    t += 4;
    if (*t == '.')
        t++;
    long pid = 0;
    for (; *t >= '0' && *t <= '9' && pid < 100000000; t++)
        pid = pid * 10 + (*t - '0');
    return *t == '\0' && pid > 0 ? pid : 0;
}

/* remove the unlocked temporaries of name left in folder dirfd by earlier runs, and
 * those of earlier versions whose process is gone */
static void remove_stale(int dirfd, const char *name)
{
    int fd2 = dup(dirfd);
    DIR *d = fd2 >= 0 ? fdopendir(fd2) : NULL;
    if (!d) {
        if (fd2 >= 0)
            close(fd2);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = legacy_temporary_pid(e->d_name, name);
        struct stat l;
        if (pid && fstatat(dirfd, e->d_name, &l, AT_SYMLINK_NOFOLLOW) == 0 &&
            (S_ISREG(l.st_mode) || S_ISLNK(l.st_mode)) && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
            unlinkat(dirfd, e->d_name, 0); /* its writer is dead (a link: someone's trap) */
            continue;
        }
        if (!is_temporary_of(e->d_name, name))
            continue;
        int fd = openat(dirfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        struct stat a, b;
        if (fd < 0) { /* a symlink someone planted: remove the link itself */
            if (errno == ELOOP)
                unlinkat(dirfd, e->d_name, 0);
            continue;
        }
        /* a writer holds its temporary locked: only the abandoned ones are free */
        if (fstat(fd, &a) == 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            fstatat(dirfd, e->d_name, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
            unlinkat(dirfd, e->d_name, 0);
        close(fd);
    }
    closedir(d);
}

/* 1 if st belongs to the caller or to root */
static int trusted(const struct stat *st)
{
    return st->st_uid == 0 || st->st_uid == geteuid();
}

/* whether the file open at fd holds the same bytes as the one at path (0 if it cannot be read) */
static int same_content(int fd, const char *path)
{
    int other = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat a, b;
    int same = other >= 0 && fstat(fd, &a) == 0 && fstat(other, &b) == 0 && S_ISREG(b.st_mode) &&
               a.st_size == b.st_size && lseek(fd, 0, SEEK_SET) == 0;
    char p[65536], q[65536];
    while (same) {
        ssize_t n = read(fd, p, sizeof p);
        if (n <= 0) {
            same = n == 0;
            break;
        }
        ssize_t m = 0;
        while (m < n) {
            ssize_t k = read(other, q + m, (size_t)(n - m));
            if (k <= 0)
                break;
            m += k;
        }
        same = m == n && memcmp(p, q, (size_t)n) == 0;
    }
    if (other >= 0)
        close(other);
    return same;
}

/* write through write() into an open descriptor; closes it */
static int write_to(int fd, const char *path, int sync, int (*write)(FILE *f, const void *arg), const void *arg)
{
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        return drill__error(DRILL_ENOMEM, "out of memory writing %s", path);
    }
    int rc = write(f, arg);
    if (rc == 0 && (fflush(f) != 0 || ferror(f)))
        rc = drill__error(DRILL_EIO, "cannot write %s: %s", path, strerror(errno));
    if (rc == 0 && sync && fsync(fd) != 0)
        rc = drill__error(DRILL_EIO, "cannot write %s: %s", path, strerror(errno));
    if (fclose(f) != 0 && rc == 0)
        rc = drill__error(DRILL_EIO, "cannot write %s: %s", path, strerror(errno));
    return rc;
}

/* a FIFO or device (or a symlink to one, or to a file) the caller may write through: written in place */
static int write_in_place(const char *path, const struct stat *target, int (*write)(FILE *f, const void *arg),
                          const void *arg)
{
    if (S_ISDIR(target->st_mode))
        return drill__error(DRILL_EIO, "cannot write %s: it is a folder", path);
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (S_ISREG(target->st_mode) ? O_TRUNC : 0));
    if (fd < 0)
        return drill__error(DRILL_EIO, "cannot write %s: %s", path, strerror(errno));
    struct stat now;
    if (fstat(fd, &now) != 0 || now.st_dev != target->st_dev || now.st_ino != target->st_ino) {
        close(fd);
        return drill__error(DRILL_EIO, "cannot write %s: it changed while being opened", path);
    }
    return write_to(fd, path, S_ISREG(now.st_mode), write, arg);
}

void drill__remove_stale_temporaries(const char *dir)
{
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd >= 0) {
        remove_stale(dirfd, NULL);
        close(dirfd);
    }
}

static int write_atomic(int *out_written, const char *path, int (*write)(FILE *f, const void *arg), const void *arg,
                        int clean)
{
    if (!*path)
        return drill__error(DRILL_EINVAL, "an empty file name");
    /* what is at the name now: followed only through objects the caller or root owns */
    struct stat st, target;
    int exists = lstat(path, &st) == 0, follow = 0;
    if (!exists && errno != ENOENT)
        return drill__error(DRILL_EIO, "cannot write %s: %s", path, strerror(errno));
    if (exists && S_ISDIR(st.st_mode))
        return drill__error(DRILL_EIO, "cannot write %s: it is a folder", path);
    if (exists && S_ISLNK(st.st_mode) && trusted(&st) && stat(path, &target) == 0) {
        char *real = realpath(path, NULL);
        follow = real != NULL;
        if (follow) {
            /* the chain of links at the name: one that someone else owns is not followed */
            char *cur = drill__strdup(path);
            for (int hops = 0; cur && follow && hops < 40; hops++) {
                struct stat l;
                if (lstat(cur, &l) != 0 || !S_ISLNK(l.st_mode))
                    break;
                if (!trusted(&l))
                    follow = 0;
                char buf[PATH_MAX];
                ssize_t n = readlink(cur, buf, sizeof buf - 1);
                if (n < 0) {
                    follow = 0;
                    break;
                }
                buf[n] = '\0';
                char *next;
                if (buf[0] == '/' || !strrchr(cur, '/'))
                    next = drill__strdup(buf);
                else {
                    size_t d = (size_t)(strrchr(cur, '/') - cur) + 1;
                    next = malloc(d + (size_t)n + 1);
                    if (next) {
                        memcpy(next, cur, d);
                        memcpy(next + d, buf, (size_t)n + 1);
                    }
                }
                free(cur);
                cur = next;
            }
            follow = follow && cur;
            free(cur);
        }
        if (follow && S_ISREG(target.st_mode)) { /* a link to a file: replace the file it names */
            int rc = write_atomic(out_written, real, write, arg, clean);
            free(real);
            return rc;
        }
        free(real);
    } else if (exists && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode) && trusted(&st)) {
        follow = 1;
        target = st;
    }
    if (follow) {
        int rc = write_in_place(path, &target, write, arg);
        if (rc == 0 && out_written)
            *out_written = 1;
        return rc;
    }
    /* replace: a temporary in the same folder */
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    if (!*name)
        return drill__error(DRILL_EIO, "cannot write %s: it names a folder", path);
    if (strlen(name) > DRILL__FILE_NAME_MAX)
        return drill__error(DRILL_EINVAL, "cannot write %s: the file name is longer than %d bytes", path,
                            DRILL__FILE_NAME_MAX);
    char *dir = malloc(dlen + 2);
    char *tmp = malloc(strlen(name) + DRILL__TMP_RANDOM + 8);
    if (!dir || !tmp) {
        free(dir);
        free(tmp);
        return drill__error(DRILL_ENOMEM, "out of memory writing %s", path);
    }
    if (slash && dlen == 0)
        strcpy(dir, "/");
    else if (slash) {
        memcpy(dir, path, dlen);
        dir[dlen] = '\0';
    } else
        strcpy(dir, ".");
    int rc = 0, fd = -1, dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        rc = drill__error(DRILL_EIO, "cannot write %s: %s: %s", path, dir, strerror(errno));
        goto done;
    }
    if (clean)
        remove_stale(dirfd, name);
    for (int attempt = 0; fd < 0; attempt++) {
        static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
        unsigned char rnd[DRILL__TMP_RANDOM];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
            rc = drill__error(DRILL_EIO, "cannot write %s: no random bytes for a temporary name", path);
            goto done;
        }
        char *o = tmp;
        *o++ = '.';
        memcpy(o, name, strlen(name));
        o += strlen(name);
        *o++ = '.';
        for (int i = 0; i < DRILL__TMP_RANDOM; i++)
            *o++ = alphabet[rnd[i] % 36];
        memcpy(o, ".tmp", 5);
        fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd < 0 && (errno != EEXIST || attempt == 100)) {
            rc = drill__error(DRILL_EIO, "cannot write %s: %s", path, strerror(errno));
            goto done;
        }
        struct stat mine, there;
        /* locked before anyone's cleanup could take it for stale; check it was not removed meanwhile */
        if (fd >= 0 && (flock(fd, LOCK_EX) != 0 || fstat(fd, &mine) != 0 ||
                        fstatat(dirfd, tmp, &there, AT_SYMLINK_NOFOLLOW) != 0 || mine.st_ino != there.st_ino ||
                        mine.st_dev != there.st_dev)) {
            close(fd);
            fd = -1;
            if (attempt == 100) {
                rc = drill__error(DRILL_EIO, "cannot write %s: its temporary file keeps disappearing", path);
                goto done;
            }
        }
    }
    /* the old file's permission bits are kept (a new file gets 0666 less the umask) */
    int keep = -1; /* write_to closes its descriptor; the lock stays with this one */
    if ((exists && S_ISREG(st.st_mode) && fchmod(fd, st.st_mode & 0777) != 0) || (keep = dup(fd)) < 0) {
        rc = drill__error(DRILL_EIO, "cannot write %s: %s", path, strerror(errno));
        unlinkat(dirfd, tmp, 0);
        goto done;
    }
    rc = write_to(fd, tmp, 1, write, arg);
    fd = keep;
    int written = 0;
    if (rc == 0 && out_written && exists && S_ISREG(st.st_mode) && same_content(fd, path)) {
        unlinkat(dirfd, tmp, 0); /* unchanged: left alone */
    } else if (rc == 0) {
        if (renameat(dirfd, tmp, dirfd, name) != 0)
            rc = drill__error(DRILL_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        else if (fsync(dirfd) != 0 && errno != EINVAL)
            rc = drill__error(DRILL_EIO, "cannot sync the folder of %s: %s", path, strerror(errno));
        else
            written = 1;
    }
    if (rc && !written)
        unlinkat(dirfd, tmp, 0);
    if (rc == 0 && out_written)
        *out_written = written;
done:
    if (fd >= 0)
        close(fd);
    if (dirfd >= 0)
        close(dirfd);
    free(dir);
    free(tmp);
    return rc;
}

int drill__write_atomic(int *out_written, const char *path, int (*write)(FILE *f, const void *arg), const void *arg)
{
    return write_atomic(out_written, path, write, arg, 1);
}

int drill__write_atomic_noclean(int *out_written, const char *path, int (*write)(FILE *f, const void *arg),
                                const void *arg)
{
    return write_atomic(out_written, path, write, arg, 0);
}

typedef struct public_write {
    drill_write_fn write;
    void *arg;
    const char *path;
} public_write;

static int call_public(FILE *f, const void *arg)
{
    const public_write *w = arg;
    drill_error_clear();
    int rc = w->write(f, w->arg);
    if (rc && drill_error_last()->code != rc) /* the writer recorded nothing of its own */
        rc = drill__error(rc < 0 ? rc : DRILL_EIO, "cannot write %s: %s", w->path, drill_strerror(rc));
    return rc;
}

static int put_text(FILE *f, const void *arg)
{
    const char *text = arg;
    size_t n = strlen(text);
    return fwrite(text, 1, n, f) == n ? 0 : drill__error(DRILL_EIO, "cannot write: %s", strerror(errno));
}

int drill_file_write_text(const char *path, const char *text)
{
    DRILL_CHECK_NULL(path);
    DRILL_CHECK_NULL(text);
    return drill__write_atomic(NULL, path, put_text, text);
}

int drill_file_write(const char *path, drill_write_fn write, void *arg)
{
    DRILL_CHECK_NULL(path);
    DRILL_CHECK_NULL(write);
    public_write w = { write, arg, path };
    return drill__write_atomic(NULL, path, call_public, &w);
}
