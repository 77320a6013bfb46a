/* Small helpers: strings, UTF-8 validation, reading a file whole, large arrays. */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include <errno.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

char *drill__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
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
        if (cap - len < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return drill__error(DRILL_ENOMEM, "out of memory reading %s", path);
            }
            buf = nb;
            cap *= 2;
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

/* whether two files hold the same bytes (0 if either cannot be read) */
static int same_content(const char *a, const char *b)
{
    FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
    int same = x && y;
    char p[65536], q[65536];
    while (same) {
        size_t n = fread(p, 1, sizeof p, x), m = fread(q, 1, sizeof q, y);
        if (n != m || memcmp(p, q, n) != 0)
            same = 0;
        if (n == 0)
            break;
    }
    if (x)
        fclose(x);
    if (y)
        fclose(y);
    return same;
}

int drill__write_atomic(int *out_written, const char *path, int (*write)(FILE *f, const void *arg), const void *arg)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return drill__error(DRILL_ENOMEM, "out of memory writing %s", path);
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int rc = drill__error(DRILL_EIO, "cannot write %s: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    int rc = write(f, arg);
    if (rc == 0 && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0))
        rc = drill__error(DRILL_EIO, "cannot write %s: %s", tmp, strerror(errno));
    if (fclose(f) != 0 && rc == 0)
        rc = drill__error(DRILL_EIO, "cannot write %s: %s", tmp, strerror(errno));
    int written = 0;
    if (rc == 0 && out_written && same_content(tmp, path)) {
        remove(tmp);
    } else if (rc == 0) {
        if (rename(tmp, path) != 0)
            rc = drill__error(DRILL_EIO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        else
            written = 1;
    }
    if (rc)
        remove(tmp);
    free(tmp);
    if (rc == 0 && out_written)
        *out_written = written;
    return rc;
}
