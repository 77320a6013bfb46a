/* Shared by the holiday-loader fuzz targets: build a calendar, load the
 * input, check the documented contract with abort(), query what was loaded.
 * Uses the public API only. */
#ifndef DRILL_FUZZ_COMMON_H
#define DRILL_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "drill/drill.h"

#define FUZZ_NYEARS (DRILL_DATE_MAX_YEAR - DRILL_DATE_MIN_YEAR + 1)
/* loaded years whose every day is queried, per input */
#define FUZZ_MAX_YEARS_QUERIED 3

/* a contract violation: say which, then abort() so libFuzzer keeps the input */
#define FUZZ_CHECK(cond)                                                                              \
    do {                                                                                              \
        if (!(cond)) {                                                                                \
            const drill_error *e_ = drill_error_last();                                               \
            fprintf(stderr, "%s:%d: invariant failed: %s\n  last error: code %d at %s:%d:%d: %s\n",   \
                    __FILE__, __LINE__, #cond, e_->code, e_->source, e_->line, e_->column,            \
                    e_->message);                                                                     \
            abort();                                                                                  \
        }                                                                                             \
    } while (0)

/* FNV-1a: picks the variant (base calendar, options) deterministically from the input */
static inline uint32_t fuzz_hash(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h;
}

/* a fresh calendar, or a copy of the China one (built once), answering
 * uncovered years from weekends */
static inline drill_calendar *fuzz_calendar(int china)
{
    static drill_calendar *cn;
    drill_calendar *cal = NULL;
    if (china) {
        if (!cn)
            FUZZ_CHECK(drill_calendar_new_china(&cn) == 0);
        FUZZ_CHECK(drill_calendar_dup(&cal, cn) == 0);
    } else {
        FUZZ_CHECK(drill_calendar_new(&cal) == 0);
    }
    FUZZ_CHECK(drill_calendar_set_policy(cal, DRILL_UNCOVERED_WEEKENDS) == 0);
    return cal;
}

static inline void fuzz_coverage(uint8_t out[FUZZ_NYEARS], const drill_calendar *cal)
{
    for (int y = DRILL_DATE_MIN_YEAR; y <= DRILL_DATE_MAX_YEAR; y++) {
        int c = -1;
        FUZZ_CHECK(drill_calendar_is_covered(&c, cal, y) == 0);
        FUZZ_CHECK(c == 0 || c == 1);
        out[y - DRILL_DATE_MIN_YEAR] = (uint8_t)c;
    }
}

/* A return code outside the function's documented list is worth a report but
 * not worth stopping the run for: say so once per code, with the input. */
static inline void fuzz_note_undocumented(const char *fn, int rc, const uint8_t *data, size_t size)
{
    static int seen[64];
    int i = -rc;
    if (i < 0 || i >= 64 || seen[i]++)
        return;
    const drill_error *e = drill_error_last();
    fprintf(stderr, "UNDOCUMENTED: %s returned %d (%s), not among its documented codes: %s:%d:%d: %s\n  input:",
            fn, rc, drill_strerror(rc), e->source, e->line, e->column, e->message);
    for (size_t k = 0; k < size && k < 400; k++)
        fputc(data[k] >= 0x20 && data[k] < 0x7f ? data[k] : data[k] == '\n' ? '|' : '.', stderr);
    fputs(size > 400 ? "...\n" : "\n", stderr);
}

/* the documented contract of a failed load */
static inline void fuzz_check_failure(int rc, const char *source)
{
    FUZZ_CHECK(rc < 0);
    const drill_error *e = drill_error_last();
    FUZZ_CHECK(e->code == rc);
    FUZZ_CHECK(e->message != NULL && e->message[0] != '\0');
    FUZZ_CHECK(e->source != NULL);
    if (rc == DRILL_EPARSE) {
        FUZZ_CHECK(e->line >= 1);
        FUZZ_CHECK(e->column >= 1);
        FUZZ_CHECK(strcmp(e->source, source) == 0);
    }
}

static inline void fuzz_check_stats(const drill_calendar_load_stats *st)
{
    FUZZ_CHECK(st->entries >= 0 && st->holidays >= 0 && st->workdays >= 0);
    FUZZ_CHECK(st->skipped >= 0 && st->tolerated >= 0);
    FUZZ_CHECK(st->entries == st->holidays + st->workdays);
}

static inline int fuzz_is_working_kind(drill_day_kind k)
{
    return k == DRILL_DAY_WORKDAY || k == DRILL_DAY_MAKEUP_WORKDAY;
}

/* every day of one covered year: day_info agrees with itself, with
 * is_working_day and with count_working_days; next/prev land on working days */
static inline void fuzz_query_year(const drill_calendar *cal, int year)
{
    drill_date d, first, last;
    FUZZ_CHECK(drill_date_make(&first, year, 1, 1) == 0);
    FUZZ_CHECK(drill_date_make(&last, year, 12, 31) == 0);
    int working = 0;
    for (d = first;;) {
        drill_day_info info = DRILL_DAY_INFO_INIT;
        FUZZ_CHECK(drill_calendar_day_info(&info, cal, d) == 0);
        FUZZ_CHECK(info.covered == 1);
        FUZZ_CHECK(info.working == fuzz_is_working_kind(info.kind));
        FUZZ_CHECK(info.name != NULL && info.name_en != NULL);
        if (info.kind == DRILL_DAY_HOLIDAY || info.kind == DRILL_DAY_MAKEUP_WORKDAY)
            FUZZ_CHECK(info.name[0] != '\0');
        else
            FUZZ_CHECK(info.name[0] == '\0' && info.name_en[0] == '\0');
        int w = -1;
        FUZZ_CHECK(drill_calendar_is_working_day(&w, cal, d) == 0);
        FUZZ_CHECK(w == info.working);
        working += info.working;
        if (d.month == 12 && d.day == 31)
            break;
        FUZZ_CHECK(drill_date_add_days(&d, d, 1) == 0);
    }
    int n = -1;
    FUZZ_CHECK(drill_calendar_count_working_days(&n, cal, first, last) == 0);
    FUZZ_CHECK(n == working);

    drill_date next, prev;
    int cmp = 0, w = 0, rc = drill_calendar_next_working_day(&next, cal, first);
    FUZZ_CHECK(rc == 0 || rc == DRILL_ERANGE);
    if (rc == 0) {
        FUZZ_CHECK(drill_date_compare(&cmp, next, first) == 0 && cmp > 0);
        FUZZ_CHECK(drill_calendar_is_working_day(&w, cal, next) == 0 && w == 1);
    }
    rc = drill_calendar_prev_working_day(&prev, cal, last);
    FUZZ_CHECK(rc == 0 || rc == DRILL_ERANGE);
    if (rc == 0) {
        FUZZ_CHECK(drill_date_compare(&cmp, prev, last) == 0 && cmp < 0);
        FUZZ_CHECK(drill_calendar_is_working_day(&w, cal, prev) == 0 && w == 1);
    }
}

/* after a successful load: query the years it covered (newly covered first),
 * and check an uncovered year is answered from weekends */
static inline void fuzz_query_loaded(const drill_calendar *cal, const uint8_t before[FUZZ_NYEARS],
                                     const uint8_t after[FUZZ_NYEARS], const drill_calendar_load_stats *st)
{
    int queried = 0, newly = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < FUZZ_NYEARS && queried < FUZZ_MAX_YEARS_QUERIED; i++) {
            FUZZ_CHECK(after[i] >= before[i]); /* loading never uncovers a year */
            if (after[i] && (pass == 0) == !before[i]) {
                newly += pass == 0;
                fuzz_query_year(cal, DRILL_DATE_MIN_YEAR + i);
                queried++;
            }
        }
    }
    /* a load that added days to a calendar with no year covered covered one */
    int any_before = 0;
    for (int i = 0; i < FUZZ_NYEARS; i++)
        any_before |= before[i];
    if (!any_before && st->entries > 0)
        FUZZ_CHECK(newly > 0);
    for (int i = 0; i < FUZZ_NYEARS; i++) {
        if (!after[i]) {
            drill_date d;
            drill_day_info info = DRILL_DAY_INFO_INIT;
            FUZZ_CHECK(drill_date_make(&d, DRILL_DATE_MIN_YEAR + i, 6, 15) == 0);
            FUZZ_CHECK(drill_calendar_day_info(&info, cal, d) == 0);
            FUZZ_CHECK(info.covered == 0);
            FUZZ_CHECK(info.working == fuzz_is_working_kind(info.kind));
            break;
        }
    }
}

/* load function under test, as a closure over its options */
typedef int (*fuzz_load_fn)(drill_calendar_load_stats *st, drill_calendar *cal, const char *data, size_t len,
                            const char *source, const void *ctx);

/* The whole round: load; on failure check the error and that nothing
 * changed; on success check the stats, query, and for one input in four
 * reload (adding the same days again must succeed and read the same: only
 * one in four because each load copies the whole calendar, the main cost
 * per input). One input in four loads into the China calendar rather than a
 * fresh one; h (fuzz_hash of the input) decides both. documented[] lists
 * the function's documented failure codes and ends with 0. */
static inline void fuzz_round(const char *fn, fuzz_load_fn load, const void *ctx, const int *documented,
                              uint32_t h, const uint8_t *data, size_t size, const char *source)
{
    drill_calendar *cal = fuzz_calendar((h & 3) == 0);
    uint8_t before[FUZZ_NYEARS], after[FUZZ_NYEARS];
    fuzz_coverage(before, cal);
    drill_calendar_load_stats st = DRILL_CALENDAR_LOAD_STATS_INIT;
    memset(&st, 0xAB, sizeof st);
    st.version = DRILL_CALENDAR_LOAD_STATS_VERSION;
    drill_error_clear();
    int rc = load(&st, cal, (const char *)data, size, source, ctx);
    fuzz_coverage(after, cal);
    if (rc != 0) {
        fuzz_check_failure(rc, source);
        int known = 0;
        for (const int *c = documented; *c; c++)
            known |= *c == rc;
        if (!known)
            fuzz_note_undocumented(fn, rc, data, size);
        FUZZ_CHECK(memcmp(before, after, sizeof before) == 0); /* all or nothing */
    } else {
        fuzz_check_stats(&st);
        fuzz_query_loaded(cal, before, after, &st);
    }
    if (rc == 0 && ((h >> 8) & 3) == 0) {
        drill_calendar_load_stats again = DRILL_CALENDAR_LOAD_STATS_INIT;
        rc = load(&again, cal, (const char *)data, size, source, ctx);
        FUZZ_CHECK(rc == 0);
        FUZZ_CHECK(memcmp(&st, &again, sizeof st) == 0);
    }
    drill_calendar_free(cal);
}

#endif
