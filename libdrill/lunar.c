/* The Chinese calendar and the statutory holidays of 全国年节及纪念日放假办法,
 * computed, for the provisional calendar of a year without a State Council
 * notice.
 *
 * The lunar calendar follows the rules of GB/T 33661-2017 (农历的编算和颁行):
 * a month begins on the day (Beijing time, UTC+8) of a new moon; the month
 * holding the winter solstice is the eleventh; when thirteen months lie
 * between two such months, the first of them without a principal term
 * (中气, a solar longitude that is a multiple of 30 degrees) is a leap month
 * and takes the number of the month before it. Qingming is the day the
 * sun's apparent longitude reaches 15 degrees.
 *
 * Astronomy after Jean Meeus, Astronomical Algorithms (2nd ed., 1998):
 * new moons by chapter 49 (its periodic and planetary terms; error well
 * under a minute), the sun by chapter 25's series (about 0.01 degree, a
 * quarter of an hour in time), Delta T by the polynomials of Espenak and
 * Meeus (NASA, 2006). tests/test_calendar.c checks every Spring Festival,
 * Dragon Boat and Mid-Autumn day of 1949-2099 against python3-lunardate (an
 * independent table) and the holidays of 2022-2026 against the State
 * Council notices. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "internal.h"
#include "lunar.h"

#define PI 3.14159265358979323846
#define JD_SERIAL0 2415020.5 /* 1900-01-01 00:00 UT, serial 0 */
#define BEIJING (8.0 / 24.0)

static double rad(double deg)
{
    return deg * PI / 180.0;
}

static double norm360(double deg)
{
    deg = fmod(deg, 360.0);
    return deg < 0 ? deg + 360.0 : deg;
}

/* TT - UT in days, Espenak and Meeus (2006) for 1941-2150 */
static double delta_t(double jd)
{
    double y = 2000.0 + (jd - 2451544.5) / 365.2425, t, s;
    if (y < 1961) {
        t = y - 1950;
        s = 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
    } else if (y < 1986) {
        t = y - 1975;
        s = 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
    } else if (y < 2005) {
        t = y - 2000;
        s = 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t + 0.000651814 * t * t * t * t +
            0.00002373599 * t * t * t * t * t;
    } else if (y < 2050) {
        t = y - 2000;
        s = 62.92 + 0.32217 * t + 0.005589 * t * t;
    } else {
        t = (y - 1820) / 100;
        s = -20 + 32 * t * t - 0.5628 * (2150 - y);
    }
    return s / 86400.0;
}

/* the Beijing day (serial) of a moment given in TT */
static int beijing_day(double jde)
{
    double jd = jde - delta_t(jde);
    return (int)floor(jd + BEIJING - JD_SERIAL0);
}

/* JDE of new moon number k (k = 0: 2000-01-06), Meeus ch. 49 */
static double new_moon(double k)
{
    double t = k / 1236.85, t2 = t * t, t3 = t2 * t, t4 = t3 * t;
    double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * t2 - 0.000000150 * t3 + 0.00000000073 * t4;
    double e = 1 - 0.002516 * t - 0.0000074 * t2;
    double m = rad(2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3);
    double mp = rad(201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4);
    double f = rad(160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4);
    double om = rad(124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3);
    jde += -0.40720 * sin(mp) + 0.17241 * e * sin(m) + 0.01608 * sin(2 * mp) + 0.01039 * sin(2 * f) +
           0.00739 * e * sin(mp - m) - 0.00514 * e * sin(mp + m) + 0.00208 * e * e * sin(2 * m) -
           0.00111 * sin(mp - 2 * f) - 0.00057 * sin(mp + 2 * f) + 0.00056 * e * sin(2 * mp + m) -
           0.00042 * sin(3 * mp) + 0.00042 * e * sin(m + 2 * f) + 0.00038 * e * sin(m - 2 * f) -
           0.00024 * e * sin(2 * mp - m) - 0.00017 * sin(om) - 0.00007 * sin(mp + 2 * m) +
           0.00004 * sin(2 * mp - 2 * f) + 0.00004 * sin(3 * m) + 0.00003 * sin(mp + m - 2 * f) +
           0.00003 * sin(2 * mp + 2 * f) - 0.00003 * sin(mp + m + 2 * f) + 0.00003 * sin(mp - m + 2 * f) -
           0.00002 * sin(mp - m - 2 * f) - 0.00002 * sin(3 * mp + m) + 0.00002 * sin(4 * mp);
    static const double a0[14] = { 299.77, 251.88, 251.83, 349.42, 84.66, 141.74, 207.14,
                                   154.84, 34.52,  207.19, 291.34, 161.72, 239.56, 331.55 };
    static const double a1[14] = { 0.107408, 0.016321, 26.651886, 36.412478, 18.206239, 53.303771, 2.453732,
                                   7.306860, 27.261239, 0.121824, 1.844379, 24.198154, 25.513099, 3.592518 };
    static const double amp[14] = { 0.000325, 0.000165, 0.000164, 0.000126, 0.000110, 0.000062, 0.000060,
                                    0.000056, 0.000047, 0.000042, 0.000040, 0.000037, 0.000035, 0.000023 };
    for (int i = 0; i < 14; i++)
        jde += amp[i] * sin(rad(a0[i] + a1[i] * k - (i == 0 ? 0.009173 * t2 : 0)));
    return jde;
}

/* the sun's apparent geocentric longitude in degrees, Meeus ch. 25 */
static double sun_longitude(double jde)
{
    double t = (jde - 2451545.0) / 36525.0;
    double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
    double m = rad(357.52911 + 35999.05029 * t - 0.0001537 * t * t);
    double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(m) + (0.019993 - 0.000101 * t) * sin(2 * m) +
               0.000289 * sin(3 * m);
    double om = rad(125.04 - 1934.136 * t);
    return norm360(l0 + c - 0.00569 - 0.00478 * sin(om));
}

/* JDE at which the sun reaches longitude deg in Gregorian year year */
static double solar_term(int year, double deg)
{
    /* the March equinox of 2000 plus the tropical years and the part of one */
    double jde = 2451623.80984 + 365.2422 * (year - 2000) + deg / 360.0 * 365.2422;
    if (deg >= 285) /* after the December solstice the term falls in January of the next cycle */
        jde -= 365.2422;
    for (int i = 0; i < 50; i++) {
        double d = 58.13 * sin(rad(deg - sun_longitude(jde)));
        jde += d;
        if (fabs(d) < 1e-7)
            break;
    }
    return jde;
}

/* the Beijing day of new moon k */
static int new_moon_day(long k)
{
    return beijing_day(new_moon((double)k));
}

/* the number of the last new moon whose Beijing day is on or before day */
static long new_moon_on_or_before(int day)
{
    long k = (long)floor((day + JD_SERIAL0 - 2451550.09766) / 29.530588861);
    while (new_moon_day(k + 1) <= day)
        k++;
    while (new_moon_day(k) > day)
        k--;
    return k;
}

/* the quarter of the sun's longitude (multiples of 30 degrees) at the start of a Beijing day */
static int principal_term_index(int day)
{
    double jd = day + JD_SERIAL0 - BEIJING;
    return (int)floor(sun_longitude(jd + delta_t(jd)) / 30.0);
}

/* the months between the winter solstices of year - 1 and year: the first
 * is month 11 of the lunar year before; start[count] ends the last */
typedef struct sui_months {
    int count;
    uint8_t month[13], leap[13];
    int start[14]; /* serials of the months' first days (Beijing time) */
} sui_months;

static int sui_of(sui_months *out, int year)
{
    int ws1 = beijing_day(solar_term(year - 1, 270)), ws2 = beijing_day(solar_term(year, 270));
    long k1 = new_moon_on_or_before(ws1), k2 = new_moon_on_or_before(ws2);
    int n = (int)(k2 - k1);
    if (n < 12 || n > 13)
        return drill__error(DRILL_ERANGE, "the lunar year %d has %d months between its winter solstices", year, n);
    int start[15];
    for (int i = 0; i <= n; i++)
        start[i] = new_moon_day(k1 + i);
    int leap = -1;
    for (int i = 1; n == 13 && i < n && leap < 0; i++)
        if (principal_term_index(start[i]) == principal_term_index(start[i + 1]))
            leap = i; /* no principal term begins in it */
    int num = 10;
    out->count = n;
    for (int i = 0; i < n; i++) {
        if (i != leap)
            num = num % 12 + 1;
        out->month[i] = (uint8_t)num;
        out->leap[i] = i == leap;
        out->start[i] = start[i];
    }
    out->start[n] = start[n];
    return 0;
}

/* day of month (leap) of lunar year in the months of the sui s (the sui of year, or of year + 1 for
 * months 11 and 12) */
static int day_in_sui(int *out, const sui_months *s, int year, int month, int day, int leap)
{
    int seen_one = 0;
    for (int i = 0; i < s->count; i++) {
        seen_one |= s->month[i] == 1;
        /* in the sui of Y, months 11 and 12 before month 1 belong to Y - 1 */
        int belongs = month >= 11 ? !seen_one : seen_one;
        if (belongs && s->month[i] == month && s->leap[i] == !!leap) {
            int len = s->start[i + 1] - s->start[i];
            if (day > len)
                return drill__error(DRILL_ERANGE, "month %s%d of lunar year %d has %d days", leap ? "leap " : "",
                                    month, year, len);
            *out = s->start[i] + day - 1;
            return 0;
        }
    }
    return drill__error(DRILL_ENOTFOUND, "lunar year %d has no %smonth %d", year, leap ? "leap " : "", month);
}

/* *out the serial of day of month (leap: the leap month) of lunar year;
 * DRILL_ERANGE or DRILL_ENOTFOUND (recorded) */
static int lunar_day(int *out, int year, int month, int day, int leap)
{
    if (year < DRILL__LUNAR_MIN_YEAR || year > DRILL__LUNAR_MAX_YEAR)
        return drill__error(DRILL_ERANGE, "lunar year %d is outside %d-%d", year, DRILL__LUNAR_MIN_YEAR,
                            DRILL__LUNAR_MAX_YEAR);
    if (month < 1 || month > 12 || day < 1 || day > 30)
        return drill__error(DRILL_ERANGE, "lunar month %d day %d is out of range", month, day);
    /* months 11 and 12 of lunar year Y begin after the winter solstice of Y */
    sui_months s;
    int rc = sui_of(&s, month >= 11 ? year + 1 : year);
    return rc ? rc : day_in_sui(out, &s, year, month, day, leap);
}

/* the Beijing day (serial) the sun reaches a longitude (degrees) in year */
static int solar_term_day(int year, int degrees)
{
    return beijing_day(solar_term(year, degrees));
}

/* ---- 全国年节及纪念日放假办法 ---- */

static const struct { const char *name, *name_en; } law_names[] = {
    [DRILL__LAW_NEW_YEAR] = { "元旦", "New Year's Day" },
    [DRILL__LAW_SPRING] = { "春节", "Spring Festival" },
    [DRILL__LAW_QINGMING] = { "清明节", "Qingming Festival" },
    [DRILL__LAW_LABOUR] = { "劳动节", "Labour Day" },
    [DRILL__LAW_DRAGON_BOAT] = { "端午节", "Dragon Boat Festival" },
    [DRILL__LAW_MID_AUTUMN] = { "中秋节", "Mid-Autumn Festival" },
    [DRILL__LAW_NATIONAL] = { "国庆节", "National Day" },
};

const char *drill__law_name(int which, int en)
{
    return en ? law_names[which].name_en : law_names[which].name;
}

static int add_day(drill__law_day *out, int n, int max, int serial, int which)
{
    if (n < max)
        out[n] = (drill__law_day){ serial, which };
    return n + 1;
}

int drill__law_holidays(drill__law_day *out, int max, int year)
{
    if (year < DRILL__LUNAR_MIN_YEAR || year > DRILL__LUNAR_MAX_YEAR)
        return drill__error(DRILL_ERANGE, "the law's holidays are computed for %d-%d, not %d", DRILL__LUNAR_MIN_YEAR,
                            DRILL__LUNAR_MAX_YEAR, year);
    int n = 0, sf, rc;
    sui_months sui; /* months 1-8 of lunar year Y all lie in the sui of Y: computed once */
    if ((rc = sui_of(&sui, year)) || (rc = day_in_sui(&sf, &sui, year, 1, 1, 0)))
        return rc;
    n = add_day(out, n, max, drill__serial(year, 1, 1), DRILL__LAW_NEW_YEAR);
    /* Spring Festival: the first three days; the eve too in 2008-2013 (not the third day) and from 2025 */
    int eve = (year >= 2008 && year <= 2013) || year >= 2025, third = !(year >= 2008 && year <= 2013);
    if (eve)
        n = add_day(out, n, max, sf - 1, DRILL__LAW_SPRING);
    n = add_day(out, n, max, sf, DRILL__LAW_SPRING);
    n = add_day(out, n, max, sf + 1, DRILL__LAW_SPRING);
    if (third)
        n = add_day(out, n, max, sf + 2, DRILL__LAW_SPRING);
    if (year >= 2008)
        n = add_day(out, n, max, solar_term_day(year, 15), DRILL__LAW_QINGMING);
    /* Labour Day: May 1; May 1-3 in 2000-2007; May 1-2 from 2025 */
    int labour = year >= 2000 && year <= 2007 ? 3 : year >= 2025 ? 2 : 1;
    for (int d = 1; d <= labour; d++)
        n = add_day(out, n, max, drill__serial(year, 5, d), DRILL__LAW_LABOUR);
    /* National Day: October 1-2 until the 1999 amendment (in force from September 18, 1999), then 1-3 */
    int national = year >= 1999 ? 3 : 2;
    for (int d = 1; d <= national; d++)
        n = add_day(out, n, max, drill__serial(year, 10, d), DRILL__LAW_NATIONAL);
    /* the lunar festivals last: Mid-Autumn on October 1 (2020) is named National Day */
    if (year >= 2008) {
        int dbf, maf;
        if ((rc = day_in_sui(&dbf, &sui, year, 5, 5, 0)) || (rc = day_in_sui(&maf, &sui, year, 8, 15, 0)))
            return rc;
        n = add_day(out, n, max, dbf, DRILL__LAW_DRAGON_BOAT);
        n = add_day(out, n, max, maf, DRILL__LAW_MID_AUTUMN);
    }
    return n;
}

/* ---- public ---- */

int drill_lunar_to_date(drill_date *out, int lunar_year, int month, int day, int leap)
{
    DRILL_CHECK_NULL(out);
    int s, rc = lunar_day(&s, lunar_year, month, day, leap);
    if (rc == 0)
        drill__from_serial(s, out);
    return rc;
}

int drill_solar_term_date(drill_date *out, int year, int degrees)
{
    DRILL_CHECK_NULL(out);
    if (degrees < 0 || degrees > 345 || degrees % 15)
        return drill__error(DRILL_EINVAL, "a solar term's longitude is a multiple of 15 in 0-345, not %d", degrees);
    if (year < DRILL__LUNAR_MIN_YEAR || year > DRILL__LUNAR_MAX_YEAR)
        return drill__error(DRILL_ERANGE, "solar terms are computed for %d-%d, not %d", DRILL__LUNAR_MIN_YEAR,
                            DRILL__LUNAR_MAX_YEAR, year);
    drill__from_serial(solar_term_day(year, degrees), out);
    return 0;
}
