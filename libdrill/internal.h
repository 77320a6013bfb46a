/* Private helpers shared by libdrill's modules; never installed. */
#ifndef DRILL_INTERNAL_H
#define DRILL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "drill/drill.h"

#if defined(__GNUC__) || defined(__clang__)
#define DRILL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DRILL_PRINTF(a, b)
#endif

/* error.c: record the thread's last error and return code. */
int drill__error(int code, const char *fmt, ...) DRILL_PRINTF(2, 3);
/* record a parse error at source:line:column and return DRILL_EPARSE */
int drill__error_at(const char *source, int line, int column, const char *fmt, ...) DRILL_PRINTF(4, 5);
/* as drill__error_at with any code */
int drill__error_code_at(int code, const char *source, int line, int column, const char *fmt, ...)
    DRILL_PRINTF(5, 6);
/* NULL-argument guard: records "NAME must not be NULL" */
int drill__error_null(const char *what);
#define DRILL_CHECK_NULL(p) do { if ((p) == NULL) return drill__error_null(#p); } while (0)

/* date.c */
#define DRILL__SERIAL_MAX 109937 /* 2200-12-31 */
int drill__days_in_month(int year, int month);
/* serial of a date known to be valid */
int drill__serial(int year, int month, int day);
void drill__from_serial(int serial, drill_date *out);
/* 1 = Monday .. 7 = Sunday */
static inline int drill__weekday(int serial) { return (serial % 7) + 1; } /* 1900-01-01 was a Monday */
/* parse exactly len bytes "YYYY-MM-DD"; on error *bad_col is the 1-based offending byte */
int drill__date_parse_n(drill_date *out, const char *s, size_t len, int *bad_col);

/* calendar.c: the kind of a day by serial; *covered receives whether its year is loaded */
drill_day_kind drill__calendar_kind(const drill_calendar *cal, int serial, int *covered);

/* campaign.c: whether a campaign id is in the set */
int drill__campaigns_has(const drill_campaigns *set, const char *id);
/* the definition at i (strings borrowed) and how many per-year windows it has; -1 past the end */
int drill__campaigns_def(const drill_campaigns *set, size_t i, drill_campaign_def *out, size_t *out_years);
/* per-year window k of campaign i, as serials */
void drill__campaigns_year(const drill_campaigns *set, size_t i, size_t k, int *year, int *start, int *end);

/* calendar.c: every loaded entry in date order, and the uncovered-year policy */
typedef void (*drill__calendar_entry_fn)(void *ctx, int serial, int kind, const char *name, const char *name_en);
void drill__calendar_each(const drill_calendar *cal, drill__calendar_entry_fn fn, void *ctx);
int drill__calendar_policy(const drill_calendar *cal);

/* util.c */
/* malloc for arrays of many MiB (transparent huge pages where Linux offers
 * them); release with free() */
void *drill__alloc_large(size_t size);
char *drill__strdup(const char *s);
int drill__utf8_valid(const char *s, size_t len);
/* 1 if s is NULL or valid UTF-8 (an optional text field) */
int drill__utf8_text_ok(const char *s);
/* the length of the UTF-8 sequence lead byte c starts (1 for ASCII; what it
 * claims for any other byte, to be checked with drill__utf8_valid) */
static inline size_t drill__utf8_seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}
/* case-insensitive comparison of ASCII letters only, whatever the locale
 * (strcasecmp follows LC_CTYPE: under tr_TR "ID" and "id" differ) */
int drill__ascii_casecmp(const char *a, const char *b);
int drill__ascii_ncasecmp(const char *a, const char *b, size_t n);
/* an id of campaigns, rules, classes and scenarios: 1 to max bytes of
 * [A-Za-z0-9._-] (NULL: not valid) */
int drill__id_valid(const char *id, size_t max);
/* whether id is one of the '|'-separated entries of list (NULL: none) */
int drill__in_bar_list(const char *list, const char *id);
/* The one place UTF-8 text is cut: the length of the longest prefix of
 * s[0..len) that does not end inside a character (s is UTF-8; s[len] is
 * not read). "%.*s" with drill__utf8_cut(s, strnlen(s, 40)) quotes at most
 * 40 bytes of whole characters. */
size_t drill__utf8_cut(const char *s, size_t len);
/* snprintf that, when the text does not fit, cuts it at a character
 * boundary (drill__utf8_cut) instead of inside one; returns as snprintf */
int drill__format(char *buf, size_t size, const char *fmt, ...) DRILL_PRINTF(3, 4);
/* as much of s as fits in out[size], cut by drill__utf8_cut; returns out */
static inline char *drill__utf8_copy(char *out, size_t size, const char *s)
{
    size_t k = drill__utf8_cut(s, strnlen(s, size - 1));
    memcpy(out, s, k);
    out[k] = '\0';
    return out;
}
/* at most max bytes of s, cut by drill__utf8_cut, for "%.*s" */
#define DRILL__CUT(s, max) (int)drill__utf8_cut((s), strnlen((s), (max))), (s)
/* whole file into a NUL-terminated buffer; records DRILL_EIO/ENOMEM */
int drill__read_file(char **out, size_t *out_len, const char *path);
/* write a file through write(f, arg): to an unpredictable temporary name in
 * its folder (O_EXCL|O_NOFOLLOW, locked), fsynced, given the old file's mode,
 * renamed over path, the folder fsynced, so a reader never sees half a file
 * and nothing planted in the folder is followed; temporaries of killed runs
 * (and an earlier version's PATH.tmp.PID of a dead process) are removed. A FIFO or device at path (or a symlink to one, or to a file),
 * owned by the caller or root, is written in place instead. Records
 * DRILL_EIO, DRILL_EINVAL (a name too long for a temporary) or DRILL_ENOMEM
 * (and whatever write() returns); on error nothing is left behind. With
 * out_written, a regular file whose content would not change is left alone
 * and *out_written says whether it was written (1) or not (0); without, it
 * is always replaced. */
#define DRILL__TMP_RANDOM 16
/* the longest file name drill__write_atomic can replace: NAME_MAX less ".", ".", the random part, ".tmp" */
#define DRILL__FILE_NAME_MAX (255 - 2 - DRILL__TMP_RANDOM - 4)
int drill__write_atomic(int *out_written, const char *path, int (*write)(FILE *f, const void *arg), const void *arg);
/* the same without the look for stale temporaries: for many files into one
 * folder, after one drill__remove_stale_temporaries() of it */
int drill__write_atomic_noclean(int *out_written, const char *path, int (*write)(FILE *f, const void *arg),
                                const void *arg);
/* remove every unlocked temporary drill__write_atomic left in dir */
void drill__remove_stale_temporaries(const char *dir);

#endif
