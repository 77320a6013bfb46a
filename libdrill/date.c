/* Civil dates, 1900-2200, and their serial numbers (days since 1900-01-01). */
#include <stdio.h>
#include "internal.h"

/* days from 0000-03-01 to y-m-d in the proleptic Gregorian calendar
 * (the era arithmetic of H. Hinnant's days_from_civil, for y >= 0) */
static int days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe;
}

#define SERIAL_BASE 693901 /* days_from_civil(1900, 1, 1) */

int drill_date_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int drill__days_in_month(int year, int month)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && drill_date_is_leap_year(year) ? 29 : mdays[month - 1];
}

int drill__serial(int year, int month, int day)
{
    return days_from_civil(year, month, day) - SERIAL_BASE;
}

void drill__from_serial(int serial, drill_date *out)
{
    int z = serial + SERIAL_BASE;
    int era = z / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    out->year = yoe + era * 400 + (m <= 2);
    out->month = m;
    out->day = d;
}

static int check(drill_date d)
{
    if (d.year < DRILL_DATE_MIN_YEAR || d.year > DRILL_DATE_MAX_YEAR)
        return drill__error(DRILL_ERANGE, "year %d is outside %d-%d", d.year,
                            DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR);
    if (d.month < 1 || d.month > 12)
        return drill__error(DRILL_ERANGE, "month %d is not 1-12", d.month);
    int dim = drill__days_in_month(d.year, d.month);
    if (d.day < 1 || d.day > dim) {
        if (d.month == 2 && d.day == 29)
            return drill__error(DRILL_ERANGE, "%04d-02-29 does not exist: %d is not a leap year",
                                d.year, d.year);
        return drill__error(DRILL_ERANGE, "day %d is not 1-%d in %04d-%02d", d.day, dim, d.year, d.month);
    }
    return 0;
}

int drill_date_check(drill_date date) { return check(date); }

int drill_date_make(drill_date *out, int year, int month, int day)
{
    DRILL_CHECK_NULL(out);
    drill_date d = { year, month, day };
    int rc = check(d);
    if (rc == 0)
        *out = d;
    return rc;
}

int drill_date_days_in_month(int *out, int year, int month)
{
    DRILL_CHECK_NULL(out);
    int rc = check((drill_date){ year, month, 1 });
    if (rc == 0)
        *out = drill__days_in_month(year, month);
    return rc;
}

int drill_date_to_serial(int *out, drill_date date)
{
    DRILL_CHECK_NULL(out);
    int rc = check(date);
    if (rc == 0)
        *out = drill__serial(date.year, date.month, date.day);
    return rc;
}

int drill_date_from_serial(drill_date *out, int serial)
{
    DRILL_CHECK_NULL(out);
    if (serial < 0 || serial > DRILL__SERIAL_MAX)
        return drill__error(DRILL_ERANGE, "day serial %d is outside 1900-01-01 .. 2200-12-31 (0..%d)",
                            serial, DRILL__SERIAL_MAX);
    drill__from_serial(serial, out);
    return 0;
}

int drill_date_add_days(drill_date *out, drill_date date, int days)
{
    DRILL_CHECK_NULL(out);
    int rc = check(date);
    if (rc)
        return rc;
    long s = (long)drill__serial(date.year, date.month, date.day) + days;
    if (s < 0 || s > DRILL__SERIAL_MAX)
        return drill__error(DRILL_ERANGE, "%04d-%02d-%02d %+d days falls outside 1900-2200",
                            date.year, date.month, date.day, days);
    drill__from_serial((int)s, out);
    return 0;
}

int drill_date_diff(int *out, drill_date from, drill_date to)
{
    DRILL_CHECK_NULL(out);
    int rc = check(from);
    if (rc == 0)
        rc = check(to);
    if (rc == 0)
        *out = drill__serial(to.year, to.month, to.day) - drill__serial(from.year, from.month, from.day);
    return rc;
}

int drill_date_compare(int *out, drill_date a, drill_date b)
{
    DRILL_CHECK_NULL(out);
    int diff = 0;
    int rc = drill_date_diff(&diff, b, a);
    if (rc == 0)
        *out = (diff > 0) - (diff < 0);
    return rc;
}

int drill_date_weekday(int *out, drill_date date)
{
    DRILL_CHECK_NULL(out);
    int rc = check(date);
    if (rc == 0)
        *out = drill__weekday(drill__serial(date.year, date.month, date.day));
    return rc;
}

int drill_date_iso_week(int *out_year, int *out_week, drill_date date)
{
    DRILL_CHECK_NULL(out_year);
    DRILL_CHECK_NULL(out_week);
    int rc = check(date);
    if (rc)
        return rc;
    /* the ISO week belongs to the year of its Thursday */
    int s = drill__serial(date.year, date.month, date.day);
    int thursday = s - drill__weekday(s) + 4;
    int y = date.year + (thursday >= drill__serial(date.year + 1, 1, 1))
            - (thursday < drill__serial(date.year, 1, 1));
    *out_year = y;
    *out_week = (thursday - drill__serial(y, 1, 1)) / 7 + 1;
    return 0;
}

int drill_date_month_first(drill_date *out, drill_date date)
{
    DRILL_CHECK_NULL(out);
    int rc = check(date);
    if (rc == 0)
        *out = (drill_date){ date.year, date.month, 1 };
    return rc;
}

int drill_date_month_last(drill_date *out, drill_date date)
{
    DRILL_CHECK_NULL(out);
    int rc = check(date);
    if (rc == 0)
        *out = (drill_date){ date.year, date.month, drill__days_in_month(date.year, date.month) };
    return rc;
}

int drill_date_half(int *out, drill_date date)
{
    DRILL_CHECK_NULL(out);
    int rc = check(date);
    if (rc == 0)
        *out = date.month <= 6 ? 1 : 2;
    return rc;
}

int drill_date_half_first(drill_date *out, drill_date date)
{
    DRILL_CHECK_NULL(out);
    int rc = check(date);
    if (rc == 0)
        *out = (drill_date){ date.year, date.month <= 6 ? 1 : 7, 1 };
    return rc;
}

int drill_date_half_last(drill_date *out, drill_date date)
{
    DRILL_CHECK_NULL(out);
    int rc = check(date);
    if (rc == 0)
        *out = date.month <= 6 ? (drill_date){ date.year, 6, 30 } : (drill_date){ date.year, 12, 31 };
    return rc;
}

/* n digits at s[off]; on failure *col is the 1-based column of the first
 * non-digit, or just past the end of a text that is too short */
static int digits(const char *s, size_t len, size_t off, size_t n, int *value, int *col)
{
    int v = 0;
    for (size_t i = off; i < off + n; i++) {
        if (i >= len || s[i] < '0' || s[i] > '9') {
            *col = (int)i + 1;
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 0;
}

static int dash(const char *s, size_t len, size_t off, int *col)
{
    if (off < len && s[off] == '-')
        return 0;
    *col = (int)off + 1;
    return -1;
}

int drill__date_parse_n(drill_date *out, const char *s, size_t len, int *bad_col)
{
    int y = 0, m = 0, d = 0;
    if (digits(s, len, 0, 4, &y, bad_col))
        return drill__error(DRILL_EPARSE, "expected a date YYYY-MM-DD: a 4-digit year at column %d", *bad_col);
    if (dash(s, len, 4, bad_col))
        return drill__error(DRILL_EPARSE, "expected '-' after the year at column 5");
    if (digits(s, len, 5, 2, &m, bad_col))
        return drill__error(DRILL_EPARSE, "expected a 2-digit month at column %d", *bad_col);
    if (dash(s, len, 7, bad_col))
        return drill__error(DRILL_EPARSE, "expected '-' after the month at column 8");
    if (digits(s, len, 8, 2, &d, bad_col))
        return drill__error(DRILL_EPARSE, "expected a 2-digit day at column %d", *bad_col);
    if (len > 10) {
        *bad_col = 11;
        return drill__error(DRILL_EPARSE, "unexpected text after the date at column 11");
    }
    if (y < DRILL_DATE_MIN_YEAR || y > DRILL_DATE_MAX_YEAR) {
        *bad_col = 1;
        return drill__error(DRILL_ERANGE, "year %d is outside %d-%d", y, DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR);
    }
    if (m < 1 || m > 12) {
        *bad_col = 6;
        return drill__error(DRILL_EPARSE, "month %02d is not 01-12 at column 6", m);
    }
    if (d < 1 || d > drill__days_in_month(y, m)) {
        *bad_col = 9;
        if (m == 2 && d == 29)
            return drill__error(DRILL_EPARSE, "%04d-02-29 does not exist: %d is not a leap year (column 9)", y, y);
        return drill__error(DRILL_EPARSE, "day %02d does not exist in %04d-%02d (column 9)", d, y, m);
    }
    out->year = y;
    out->month = m;
    out->day = d;
    return 0;
}

int drill_date_parse(drill_date *out, const char *text)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(text);
    size_t len = 0;
    while (text[len] && len < 11)
        len++;
    int col = 0;
    drill_date d;
    int rc = drill__date_parse_n(&d, text, len, &col);
    if (rc) /* keep the message, add the position */
        return drill__error_code_at(rc, "date", 1, col, "%s", drill_error_last()->message);
    *out = d;
    return 0;
}

int drill_date_format(char *out, size_t size, drill_date date)
{
    DRILL_CHECK_NULL(out);
    if (size < DRILL_DATE_STRLEN)
        return drill__error(DRILL_EINVAL, "a date needs a buffer of %d bytes, got %zu", DRILL_DATE_STRLEN, size);
    int rc = check(date);
    if (rc == 0)
        snprintf(out, size, "%04d-%02d-%02d", date.year, date.month, date.day);
    return rc;
}
