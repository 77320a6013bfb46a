/* The per-thread last error (libgit2's giterr model). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

static _Thread_local struct {
    drill_error pub;
    char message[1024];
    char source[512];
} last = { { 0, "", "", 0, 0 }, "", "" };

unsigned int drill_version(void) { return DRILL_VERSION_NUMBER; }

#define STR2(x) #x
#define STR(x) STR2(x)
const char *drill_version_string(void)
{
    return STR(DRILL_VERSION_MAJOR) "." STR(DRILL_VERSION_MINOR) "." STR(DRILL_VERSION_PATCH);
}

const char *drill_strerror(int code)
{
    switch (code) {
    case DRILL_OK: return "success";
    case DRILL_EINVAL: return "invalid argument";
    case DRILL_ENOMEM: return "out of memory";
    case DRILL_ENOTFOUND: return "not found";
    case DRILL_EEXISTS: return "already exists";
    case DRILL_EPARSE: return "parse error";
    case DRILL_ERANGE: return "out of range";
    case DRILL_ESTATE: return "not allowed in this state";
    case DRILL_ECONFLICT: return "changed by another writer";
    case DRILL_EIO: return "I/O error";
    case DRILL_EVERSION: return "unsupported version";
    case DRILL_ENODATA: return "no data";
    case DRILL_ECORRUPT: return "corrupt or foreign file";
    default: return "unknown error";
    }
}

const drill_error *drill_error_last(void)
{
    last.pub.message = last.message;
    last.pub.source = last.source;
    return &last.pub;
}

void drill_error_clear(void)
{
    last.pub.code = 0;
    last.pub.line = last.pub.column = 0;
    last.message[0] = '\0';
    last.source[0] = '\0';
}

/* src into dst as valid UTF-8: a byte that is not part of a character is
 * written as \xNN, and what does not fit is cut between characters, so a
 * message never breaks a decoder (Python's UnicodeDecodeError) */
static void clean_utf8(char *dst, size_t size, const char *src, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned c = (unsigned char)src[i];
        size_t n = drill__utf8_seq_len((unsigned char)c);
        if (i + n > len || !drill__utf8_valid(src + i, n)) {
            if (o + 4 >= size)
                break;
            snprintf(dst + o, size - o, "\\x%02X", c);
            o += 4;
            i++;
            continue;
        }
        if (o + n >= size)
            break;
        memcpy(dst + o, src + i, n);
        o += n;
        i += n;
    }
    dst[o] = '\0';
}

static int record(int code, const char *source, int line, int column, const char *fmt, va_list ap)
{
    /* format into a temporary first: the arguments may be the last message itself */
    char raw[sizeof last.message], message[sizeof last.message], where[sizeof last.source];
    int n = vsnprintf(raw, sizeof raw, fmt, ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof raw ? (size_t)n : drill__utf8_cut(raw, sizeof raw - 1);
    clean_utf8(message, sizeof message, raw, len);
    source = source ? source : "";
    clean_utf8(where, sizeof where, source, strlen(source));
    last.pub.code = code;
    last.pub.line = line;
    last.pub.column = column;
    memcpy(last.message, message, sizeof message);
    memcpy(last.source, where, sizeof where);
    return code;
}

int drill__error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

int drill__error_at(const char *source, int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(DRILL_EPARSE, source, line, column, fmt, ap);
    va_end(ap);
    return DRILL_EPARSE;
}

int drill__error_code_at(int code, const char *source, int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(code, source, line, column, fmt, ap);
    va_end(ap);
    return code;
}

int drill__error_null(const char *what)
{
    return drill__error(DRILL_EINVAL, "%s must not be NULL", what);
}
