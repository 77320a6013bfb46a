/* The Chinese calendar and the law's statutory holidays (lunar.c); never installed. */
#ifndef DRILL_LUNAR_H
#define DRILL_LUNAR_H

#define DRILL__LUNAR_MIN_YEAR 1949
#define DRILL__LUNAR_MAX_YEAR 2100

/* 全国年节及纪念日放假办法's holidays */
enum {
    DRILL__LAW_NEW_YEAR,
    DRILL__LAW_SPRING,
    DRILL__LAW_QINGMING,
    DRILL__LAW_LABOUR,
    DRILL__LAW_DRAGON_BOAT,
    DRILL__LAW_MID_AUTUMN,
    DRILL__LAW_NATIONAL,
    DRILL__LAW_COUNT
};
typedef struct drill__law_day {
    int serial, which;
} drill__law_day;
/* the statutory holidays of a year (1949-2100) under the law in force then,
 * up to max of them into out; returns how many there are, or a negative
 * DRILL_E* code (recorded). A day may appear twice (Mid-Autumn on October 1,
 * after National Day). */
int drill__law_holidays(drill__law_day *out, int max, int year);
const char *drill__law_name(int which, int en);

#endif
