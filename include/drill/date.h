/**
 * @file drill/date.h
 * @brief Civil (proleptic Gregorian) dates from 1900-01-01 to 2200-12-31.
 *
 * A drill_date is a plain value: year, month 1-12, day 1-31. Every function
 * that takes one checks it first and answers DRILL_ERANGE for a date that
 * does not exist (2023-02-29, 2024-13-01) or lies outside 1900-2200, so an
 * impossible date never travels further into the library.
 *
 * Days are also numbered as a "serial": days since 1900-01-01 (serial 0).
 */
#ifndef DRILL_DATE_H
#define DRILL_DATE_H

#include <stddef.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRILL_DATE_MIN_YEAR 1900 /**< first supported year */
#define DRILL_DATE_MAX_YEAR 2200 /**< last supported year */
/** Bytes needed to format a date: "YYYY-MM-DD" and its NUL. */
#define DRILL_DATE_STRLEN 11

/** A civil date. */
typedef struct drill_date {
    int year;  /**< 1900-2200 */
    int month; /**< 1-12 */
    int day;   /**< 1-28..31 */
} drill_date;

/** ISO 8601 weekday numbers returned by drill_date_weekday(). */
typedef enum drill_weekday {
    DRILL_MONDAY = 1, DRILL_TUESDAY, DRILL_WEDNESDAY, DRILL_THURSDAY,
    DRILL_FRIDAY, DRILL_SATURDAY, DRILL_SUNDAY
} drill_weekday;

/**
 * Build and check a date.
 * @param out receives the date
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE if the date does not exist
 */
DRILL_EXTERN int drill_date_make(drill_date *out, int year, int month, int day);

/**
 * Check a date.
 * @return 0 if it exists and lies in 1900-2200, DRILL_ERANGE otherwise
 */
DRILL_EXTERN int drill_date_check(drill_date date);

/**
 * Whether a year is a Gregorian leap year (any year, no range check).
 * @return 1 or 0
 */
DRILL_EXTERN int drill_date_is_leap_year(int year);

/**
 * Number of days in a month.
 * @param out receives 28-31
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for a bad year or month
 */
DRILL_EXTERN int drill_date_days_in_month(int *out, int year, int month);

/**
 * The serial number of a date: days since 1900-01-01.
 * @param out receives 0 (1900-01-01) .. 109937 (2200-12-31)
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_to_serial(int *out, drill_date date);

/**
 * The date of a serial number.
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE if serial is outside 1900-2200
 */
DRILL_EXTERN int drill_date_from_serial(drill_date *out, int serial);

/**
 * Add (or with a negative count, subtract) days.
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE if date is invalid or
 *         the result falls outside 1900-2200
 */
DRILL_EXTERN int drill_date_add_days(drill_date *out, drill_date date, int days);

/**
 * Days from one date to another: to - from (negative when to is earlier).
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_diff(int *out, drill_date from, drill_date to);

/**
 * Compare two valid dates.
 * @param out receives -1, 0 or 1 as a is before, equal to or after b
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_compare(int *out, drill_date a, drill_date b);

/**
 * ISO 8601 weekday.
 * @param out receives DRILL_MONDAY (1) .. DRILL_SUNDAY (7)
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_weekday(int *out, drill_date date);

/**
 * ISO 8601 week: the week-numbering year (which can differ from the calendar
 * year around New Year) and the week 1-53.
 * @return 0; DRILL_EINVAL if an out pointer is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_iso_week(int *out_year, int *out_week, drill_date date);

/**
 * First day of the date's month.
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_month_first(drill_date *out, drill_date date);

/**
 * Last day of the date's month.
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_month_last(drill_date *out, drill_date date);

/**
 * Which calendar half-year the date is in.
 * @param out receives 1 (January-June) or 2 (July-December)
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_half(int *out, drill_date date);

/**
 * First day of the date's calendar half-year (January 1 or July 1).
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_half_first(drill_date *out, drill_date date);

/**
 * Last day of the date's calendar half-year (June 30 or December 31).
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_half_last(drill_date *out, drill_date date);

/**
 * Parse an ISO 8601 calendar date, exactly "YYYY-MM-DD" and nothing after it.
 *
 * On failure drill_error_last() names the 1-based column of the first bad
 * character (or of the field that is out of range) with source "date".
 *
 * @param out receives the date (untouched on failure)
 * @param text NUL-terminated text
 * @return 0; DRILL_EINVAL if a pointer is NULL; DRILL_EPARSE for malformed
 *         text or an impossible date (2023-02-29); DRILL_ERANGE for a
 *         well-formed date outside 1900-2200
 */
DRILL_EXTERN int drill_date_parse(drill_date *out, const char *text);

/**
 * Format a date as "YYYY-MM-DD".
 * @param out a buffer of at least DRILL_DATE_STRLEN bytes
 * @param size the buffer's size
 * @return 0; DRILL_EINVAL if out is NULL or size < DRILL_DATE_STRLEN;
 *         DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_date_format(char *out, size_t size, drill_date date);

#ifdef __cplusplus
}
#endif
#endif
