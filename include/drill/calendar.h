/**
 * @file drill/calendar.h
 * @brief The working-day calendar: weekends, statutory holidays and make-up
 * working days (调休).
 *
 * A day is a working day when it is a Monday-Friday that is not a loaded
 * holiday, or a loaded make-up working day (a weekend day the State Council
 * turned into a working day). Every loaded entry keeps its name, Chinese and
 * English, so a report can say why a day is excluded.
 *
 * Holiday arrangements are published year by year (China's around November
 * of the year before). A year is *covered* once its arrangement is loaded.
 * Asking about a day of an uncovered year is never answered by a silent
 * guess: under DRILL_UNCOVERED_ERROR (drill_calendar_new()'s default) the
 * query fails with DRILL_ENODATA naming the year; under
 * DRILL_UNCOVERED_PROVISIONAL (drill_calendar_new_china()'s default) it is
 * answered from the law and the weekends; under DRILL_UNCOVERED_WEEKENDS
 * from weekends alone. drill_day_info.covered is 0 either way and
 * drill_calendar_is_provisional() says which.
 *
 * ## The provisional calendar
 *
 * 全国年节及纪念日放假办法 fixes the statutory holidays whatever a year's
 * notice adds: as amended in 2024 (in force 2025) 13 days: New Year's Day;
 * Spring Festival eve and the first three days of the first lunar month;
 * Qingming (the solar term); May 1-2; Dragon Boat (5th day of the 5th
 * lunar month); Mid-Autumn (15th day of the 8th); October 1-3. Earlier
 * years follow the text in force then: 1949 (New Year, Spring Festival
 * days 1-3, May 1, October 1-2), 1999 (October 1-3 from 1999; May 1-3 in
 * 2000-2007), 2007 (from 2008: Spring Festival eve and days 1-2, Qingming,
 * May 1, Dragon Boat, Mid-Autumn) and 2013 (from 2014: Spring Festival days
 * 1-3 again). The lunar dates and Qingming are computed (lunar.c: new moons
 * and the sun after Meeus, the rules of GB/T 33661-2017) for 1949-2100.
 * Only the bridging days and the make-up working days need the notice; a
 * provisional year has none, so every Saturday and Sunday is a day off.
 * Loading the year's notice covers the year and replaces the provisional
 * answer.
 *
 * ## Holidays CSV
 *
 * UTF-8 (a leading BOM is skipped), RFC 4180 quoting, a header row naming
 * the columns in any order; unknown columns are ignored:
 *
 * | column  | required | meaning |
 * |---------|----------|---------|
 * | date    | yes | YYYY-MM-DD |
 * | kind    | yes | `holiday` (a day off) or `workday` (a make-up working day); also `休` / `班` |
 * | name    | yes | the name, e.g. 春节 |
 * | name_en | no  | the English name, e.g. Spring Festival |
 * | year    | no  | the arrangement year the row belongs to (default: the date's year), e.g. 2023 for 2022-12-31 |
 *
 * ## Holiday iCalendar feeds
 *
 * All-day VEVENTs (DTSTART;VALUE=DATE, DTEND exclusive, or DURATION) are
 * read; each day they cover becomes an entry named by SUMMARY. Which events
 * are make-up working days is decided by drill_ics_holiday_options:
 * an event whose SUMMARY contains one of `workday_markers` ("上班|补班" by
 * default, as the holiday-cn feeds write `上班(补春节假期)`) is a working day;
 * any other all-day event is a holiday (or, when `holiday_markers` is set,
 * only those whose SUMMARY contains one of them; the rest are skipped).
 * Timed events are skipped. An event that spans New Year belongs to the
 * arrangement of the year it ends in. libical's complaints about properties
 * the import does not use (the holiday-cn feeds' `DTSTAMP;VALUE=DATE`) are
 * tolerated and counted; a broken DTSTART, DTEND or SUMMARY is an error.
 *
 * Loading is all or nothing: on any error the calendar is left as it was.
 */
#ifndef DRILL_CALENDAR_H
#define DRILL_CALENDAR_H

#include <stddef.h>
#include "common.h"
#include "date.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A working-day calendar (opaque). One thread at a time. */
typedef struct drill_calendar drill_calendar;

/** What kind of day a date is. */
typedef enum drill_day_kind {
    DRILL_DAY_WORKDAY = 0,        /**< an ordinary Monday-Friday */
    DRILL_DAY_WEEKEND = 1,        /**< an ordinary Saturday or Sunday */
    DRILL_DAY_HOLIDAY = 2,        /**< a loaded holiday (a day off) */
    DRILL_DAY_MAKEUP_WORKDAY = 3  /**< a loaded make-up working day (调休) */
} drill_day_kind;

/** The kind of a loaded entry. */
typedef enum drill_entry_kind {
    DRILL_ENTRY_HOLIDAY = 1, /**< a day off */
    DRILL_ENTRY_WORKDAY = 2  /**< a make-up working day */
} drill_entry_kind;

/** How a calendar answers for a day whose year has no arrangement loaded. */
typedef enum drill_uncovered_policy {
    DRILL_UNCOVERED_ERROR = 0,      /**< fail with DRILL_ENODATA (drill_calendar_new()'s default) */
    DRILL_UNCOVERED_WEEKENDS = 1,   /**< answer from weekends alone; info.covered is 0 */
    DRILL_UNCOVERED_PROVISIONAL = 2 /**< answer from the law's statutory holidays and the weekends (years
                                         1949-2100; other years fail with DRILL_ENODATA); info.covered is 0 */
} drill_uncovered_policy;

/** Everything the calendar knows about one day. */
typedef struct drill_day_info {
    unsigned int version; /**< DRILL_DAY_INFO_VERSION: set by the caller (DRILL_DAY_INFO_INIT), kept by the library */
    drill_day_kind kind; /**< what kind of day it is */
    int working;         /**< 1 for a working day, 0 otherwise */
    int covered;         /**< 1 if the day's year has an arrangement loaded */
    const char *name;    /**< the entry's name for holidays and make-up days, else ""; borrowed from the
                              calendar until it is next added to, loaded into or freed */
    const char *name_en; /**< the entry's English name, "" if none; borrowed likewise */
} drill_day_info;

#define DRILL_DAY_INFO_VERSION 1
/** A drill_day_info to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_DAY_INFO_INIT { .version = DRILL_DAY_INFO_VERSION }

/**
 * Set up a drill_day_info for a function to fill, for bindings and languages that
 * cannot use DRILL_DAY_INFO_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_DAY_INFO_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_day_info_init(drill_day_info *out, unsigned int version);

/** What a load read. */
typedef struct drill_calendar_load_stats {
    unsigned int version; /**< DRILL_CALENDAR_LOAD_STATS_VERSION: set by the caller (DRILL_CALENDAR_LOAD_STATS_INIT), kept by the library */
    int entries;   /**< days added or confirmed (one per day, not per event) */
    int holidays;  /**< of which holidays */
    int workdays;  /**< of which make-up working days */
    int skipped;   /**< events skipped: timed, or not matching holiday_markers */
    int tolerated; /**< libical complaints about properties not used (e.g. DTSTAMP;VALUE=DATE) */
} drill_calendar_load_stats;

#define DRILL_CALENDAR_LOAD_STATS_VERSION 1
/** A drill_calendar_load_stats to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_CALENDAR_LOAD_STATS_INIT { .version = DRILL_CALENDAR_LOAD_STATS_VERSION }

/**
 * Set up a drill_calendar_load_stats for a function to fill, for bindings and languages that
 * cannot use DRILL_CALENDAR_LOAD_STATS_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_CALENDAR_LOAD_STATS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_calendar_load_stats_init(drill_calendar_load_stats *out, unsigned int version);

/** Options for drill_calendar_load_ics(). */
typedef struct drill_ics_holiday_options {
    unsigned int version;        /**< DRILL_ICS_HOLIDAY_OPTIONS_VERSION */
    const char *workday_markers; /**< '|'-separated substrings of SUMMARY marking make-up working days; NULL = "上班|补班" */
    const char *holiday_markers; /**< '|'-separated substrings marking holidays; NULL = every other all-day event */
} drill_ics_holiday_options;

#define DRILL_ICS_HOLIDAY_OPTIONS_VERSION 1
/** Default options: workday markers "上班|补班", every other all-day event a holiday. */
#define DRILL_ICS_HOLIDAY_OPTIONS_INIT { DRILL_ICS_HOLIDAY_OPTIONS_VERSION, NULL, NULL }

/**
 * Fill a drill_ics_holiday_options with the defaults of DRILL_ICS_HOLIDAY_OPTIONS_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_ICS_HOLIDAY_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_ics_holiday_options_init(drill_ics_holiday_options *out, unsigned int version);

/**
 * A calendar with weekends only and no year covered.
 * @param out receives the calendar; free it with drill_calendar_free()
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_calendar_new(drill_calendar **out);

/**
 * A calendar with China's State Council holiday arrangements that ship with
 * the library (data/holidays-cn.csv, compiled in; 2022-2026), answering for
 * other years provisionally from the law (DRILL_UNCOVERED_PROVISIONAL).
 * @param out receives the calendar; free it with drill_calendar_free()
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_calendar_new_china(drill_calendar **out);

/** Free a calendar; NULL is allowed. */
DRILL_EXTERN void drill_calendar_free(drill_calendar *cal);

/**
 * Copy a calendar, entries, coverage and policy included.
 * @param out receives the copy; free it with drill_calendar_free()
 * @return 0; DRILL_EINVAL if a pointer is NULL; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_calendar_dup(drill_calendar **out, const drill_calendar *cal);

/**
 * Choose how days of uncovered years are answered (see the file comment).
 * @return 0; DRILL_EINVAL if cal is NULL or the policy is unknown
 */
DRILL_EXTERN int drill_calendar_set_policy(drill_calendar *cal, drill_uncovered_policy policy);

/**
 * Whether a year is answered provisionally from the law: not covered, and
 * the policy is DRILL_UNCOVERED_PROVISIONAL, and the year is 1949-2100.
 * @param out receives 1 or 0
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ERANGE for a year outside 1900-2200
 */
DRILL_EXTERN int drill_calendar_is_provisional(int *out, const drill_calendar *cal, int year);

/**
 * The Gregorian date of a day of the Chinese lunar calendar (农历), computed
 * as the file comment says.
 * @param out receives the date
 * @param lunar_year the lunar year (the Gregorian year its first month begins in), 1949-2100
 * @param month 1-12
 * @param day 1-30
 * @param leap 1 for the leap month after month, 0 otherwise
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for a year, month or
 *         day out of range (day 30 of a 29-day month); DRILL_ENOTFOUND for a
 *         leap month the year does not have
 */
DRILL_EXTERN int drill_lunar_to_date(drill_date *out, int lunar_year, int month, int day, int leap);

/**
 * The day (Beijing time) the sun's apparent longitude reaches a solar term's.
 * @param out receives the date
 * @param year 1949-2100
 * @param degrees the term's longitude, a multiple of 15 in 0-345 (15: Qingming, 270: winter solstice)
 * @return 0; DRILL_EINVAL if out is NULL or degrees is not a multiple of 15
 *         in 0-345; DRILL_ERANGE for a year outside 1949-2100
 */
DRILL_EXTERN int drill_solar_term_date(drill_date *out, int year, int degrees);

/**
 * How the calendar answers for days of uncovered years.
 * @param out receives the policy
 * @return 0; DRILL_EINVAL for a NULL pointer
 */
DRILL_EXTERN int drill_calendar_get_policy(drill_uncovered_policy *out, const drill_calendar *cal);

/**
 * Add one day of an arrangement and mark its arrangement year covered.
 *
 * Adding a day that is already loaded with the same kind changes nothing;
 * with the other kind it is a conflict.
 *
 * @param cal the calendar
 * @param date the day
 * @param kind DRILL_ENTRY_HOLIDAY or DRILL_ENTRY_WORKDAY
 * @param name UTF-8 name, not NULL (copied)
 * @param name_en English name or NULL (copied)
 * @param year the arrangement year the day belongs to (the date's year, or the
 *        one before or after it), or 0 for the date's year
 * @return 0; DRILL_EINVAL for a NULL pointer, an unknown kind or a name that is
 *         not UTF-8; DRILL_ERANGE for an invalid date, a year more than one
 *         away from the date's, or more than 65535 distinct names;
 *         DRILL_EEXISTS if the day is loaded with the other kind; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_calendar_add(drill_calendar *cal, drill_date date, drill_entry_kind kind,
                                    const char *name, const char *name_en, int year);

/**
 * Declare a year's arrangement loaded although it has no entries (a region
 * without holidays that year).
 * @return 0; DRILL_EINVAL if cal is NULL; DRILL_ERANGE for a year outside 1900-2200
 */
DRILL_EXTERN int drill_calendar_mark_covered(drill_calendar *cal, int year);

/**
 * Whether a year's arrangement is loaded.
 * @param out receives 1 or 0
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ERANGE for a year outside 1900-2200
 */
DRILL_EXTERN int drill_calendar_is_covered(int *out, const drill_calendar *cal, int year);

/**
 * Everything known about a day: its kind, whether it is a working day, the
 * loaded entry's names, and whether its year is covered.
 * @param out receives the information; its strings are borrowed from cal
 *        (its version set with DRILL_DAY_INFO_INIT (or drill_day_info_init()); the fields of that version are written)
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ERANGE for an invalid date;
 *         DRILL_ENODATA if the year is not covered and the policy is DRILL_UNCOVERED_ERROR
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_calendar_day_info(drill_day_info *out, const drill_calendar *cal, drill_date date);

/**
 * Whether a day is a working day.
 * @param out receives 1 or 0
 * @return as drill_calendar_day_info()
 */
DRILL_EXTERN int drill_calendar_is_working_day(int *out, const drill_calendar *cal, drill_date date);

/**
 * The first working day strictly after a date.
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ERANGE for an invalid date
 *         or none before 2200-12-31; DRILL_ENODATA if the search reaches an
 *         uncovered year under DRILL_UNCOVERED_ERROR
 */
DRILL_EXTERN int drill_calendar_next_working_day(drill_date *out, const drill_calendar *cal, drill_date date);

/**
 * The last working day strictly before a date.
 * @return as drill_calendar_next_working_day(), searching back to 1900-01-01
 */
DRILL_EXTERN int drill_calendar_prev_working_day(drill_date *out, const drill_calendar *cal, drill_date date);

/**
 * Count the working days from one date to another, both included.
 * @param out receives the count (0 when to is before from)
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ERANGE for an invalid date;
 *         DRILL_ENODATA if the range touches an uncovered year under DRILL_UNCOVERED_ERROR
 */
DRILL_EXTERN int drill_calendar_count_working_days(int *out, const drill_calendar *cal,
                                                   drill_date from, drill_date to);

/**
 * Load a holidays CSV file (format in the file comment). All or nothing.
 * @param out_stats receives what was read, or NULL
 *        (its version set with DRILL_CALENDAR_LOAD_STATS_INIT (or drill_calendar_load_stats_init()); the fields of that version are written)
 * @param cal the calendar to add to
 * @param path the file
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO if the file cannot be
 *         read; DRILL_EPARSE with line and column for a malformed file, a
 *         missing column, a bad date or kind; DRILL_ERANGE (with line and
 *         column) for a year more than one year from its date; DRILL_EEXISTS
 *         for a day given both kinds; DRILL_ENOMEM
 *         (and DRILL_EVERSION for out_stats's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_calendar_load_csv(drill_calendar_load_stats *out_stats, drill_calendar *cal,
                                         const char *path);

/**
 * Load a holidays CSV from memory; as drill_calendar_load_csv().
 * @param out_stats receives what was read, or NULL (as drill_calendar_load_csv())
 * @param cal the calendar to add to
 * @param data the text, len bytes (no terminating NUL needed), read only during the call
 * @param len its length in bytes
 * @param source the name errors give for the text (e.g. a file name); NULL = "<buffer>"
 * @return as drill_calendar_load_csv()
 */
DRILL_EXTERN int drill_calendar_load_csv_buffer(drill_calendar_load_stats *out_stats, drill_calendar *cal,
                                                const char *data, size_t len, const char *source);

/**
 * Load a holiday iCalendar feed (rules in the file comment). All or nothing.
 * @param out_stats receives what was read, or NULL
 *        (its version set with DRILL_CALENDAR_LOAD_STATS_INIT (or drill_calendar_load_stats_init()); the fields of that version are written)
 * @param cal the calendar to add to
 * @param path the file
 * @param opts options, or NULL for DRILL_ICS_HOLIDAY_OPTIONS_INIT
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EVERSION for unknown
 *         options; DRILL_EIO; DRILL_EPARSE with the line of the offending
 *         event or property; DRILL_EEXISTS for a day given both kinds; DRILL_ENOMEM
 *         (and DRILL_EVERSION for out_stats's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_calendar_load_ics(drill_calendar_load_stats *out_stats, drill_calendar *cal,
                                         const char *path, const drill_ics_holiday_options *opts);

/**
 * Load a holiday iCalendar feed from memory; as drill_calendar_load_ics().
 * @param out_stats receives what was read, or NULL (as drill_calendar_load_ics())
 * @param cal the calendar to add to
 * @param data the text, len bytes (no terminating NUL needed), read only during the call
 * @param len its length in bytes
 * @param source the name errors give for the text; NULL = "<buffer>"
 * @param opts options, or NULL for DRILL_ICS_HOLIDAY_OPTIONS_INIT
 * @return as drill_calendar_load_ics()
 */
DRILL_EXTERN int drill_calendar_load_ics_buffer(drill_calendar_load_stats *out_stats, drill_calendar *cal,
                                                const char *data, size_t len, const char *source,
                                                const drill_ics_holiday_options *opts);

#ifdef __cplusplus
}
#endif
#endif
