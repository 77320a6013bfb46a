/**
 * @file drill/campaign.h
 * @brief Campaigns: the yearly windows in which drills should fall.
 *
 * A campaign set holds definitions; a definition resolves to a window (first
 * and last day, both included) for any year. Built-in campaigns:
 *
 * | id                      | name | window |
 * |-------------------------|------|--------|
 * | work-safety-month       | 安全生产月 Work Safety Month | June 1-30, since 2002 |
 * | disaster-reduction-day  | 全国防灾减灾日 National Disaster Prevention and Reduction Day | May 12, since 2009 |
 * | disaster-reduction-week | 防灾减灾宣传周 its publicity week | per-year data (2020-2025); other years estimated (see below) |
 * | iddrr                   | 国际减灾日 International Day for Disaster Risk Reduction | October 13 since 2010 (UNGA 64/200); 1990-2009 the second Wednesday of October (2009: October 14) |
 * | main-flood-season       | 主汛期 main flood season | per region; Dalian default July 23 - August 11 (Liaoning's average) |
 * | pre-flood-season        | 主汛期前 before the main flood season | the lead_days before main-flood-season starts; Dalian default April 1 - July 22 |
 * | fire-safety-day         | 全国消防日 China Fire Safety Day (119) | November 9, since 1992 |
 * | fire-month              | 消防宣传月 November fire-publicity month | November 1-30 |
 *
 * The publicity week's dates move every year and are published per year.
 * For a year without data the week is *estimated* (origin
 * DRILL_WINDOW_ESTIMATED) by the fallback rule: the seven days starting on
 * the Saturday on or before May 12 (right for 2020-2023, not for 2025, which
 * ran Monday to Sunday, May 12-18). Add the real dates with
 * drill_campaigns_set_year() when they are announced.
 *
 * The pre-flood window is regional configuration, not national fact: each
 * province sets its flood season. The Dalian default is a default.
 *
 * User-defined campaigns use the same four rules: a fixed date (with a
 * length), a date range, the nth weekday of a month, or a window offset
 * from another campaign.
 */
#ifndef DRILL_CAMPAIGN_H
#define DRILL_CAMPAIGN_H

#include <stddef.h>
#include "common.h"
#include "date.h"
#include "calendar.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A set of campaign definitions (opaque). One thread at a time. */
typedef struct drill_campaigns drill_campaigns;

/** How a campaign's window is computed for a year. */
typedef enum drill_campaign_rule {
    /** month/day, lasting length_days; with align_weekday set, the start
     *  moves back to that weekday on or before month/day. A February 29
     *  campaign does not occur in other years. */
    DRILL_CAMPAIGN_FIXED = 1,
    /** month/day to end_month/end_day of the same year; a day past the
     *  month's end (February 29) means the month's last day. */
    DRILL_CAMPAIGN_RANGE = 2,
    /** the nth (1-5, or -1 for the last) weekday of month, lasting
     *  length_days; does not occur in a month without a 5th such weekday. */
    DRILL_CAMPAIGN_NTH_WEEKDAY = 3,
    /** from base's first day + start_offset to base's first day + end_offset */
    DRILL_CAMPAIGN_OFFSET = 4
} drill_campaign_rule;

/** A campaign definition. Strings are copied by drill_campaigns_add(). */
typedef struct drill_campaign_def {
    unsigned int version;  /**< DRILL_CAMPAIGN_DEF_VERSION */
    const char *id;        /**< stable id: 1-63 of [A-Za-z0-9._-] */
    const char *name;      /**< UTF-8 name (Chinese), required */
    const char *name_en;   /**< English name, or NULL */
    const char *source;    /**< where the campaign comes from (law, notice), or NULL */
    drill_campaign_rule rule; /**< how the window is computed */
    int month, day;        /**< FIXED, RANGE: the first day; NTH_WEEKDAY: month */
    int end_month, end_day;/**< RANGE: the last day */
    int nth, weekday;      /**< NTH_WEEKDAY: 1-5 or -1, and DRILL_MONDAY..DRILL_SUNDAY */
    int length_days;       /**< FIXED, NTH_WEEKDAY: days in the window, 1-366 (0 means 1) */
    int align_weekday;     /**< FIXED: 0, or the weekday the start moves back to */
    const char *base;      /**< OFFSET: id of a campaign already in the set */
    int start_offset, end_offset; /**< OFFSET: days from base's first day, -366..366 */
    int first_year, last_year;    /**< the years it exists; 0 = unbounded */
    /** 1 if the rule only estimates years that have no per-year data */
    int estimated_without_data;
} drill_campaign_def;

#define DRILL_CAMPAIGN_DEF_VERSION 1
#define DRILL_CAMPAIGN_DEF_INIT { DRILL_CAMPAIGN_DEF_VERSION, NULL, NULL, NULL, NULL, \
    DRILL_CAMPAIGN_FIXED, 0, 0, 0, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, 0 }

/**
 * Fill a drill_campaign_def with the defaults of DRILL_CAMPAIGN_DEF_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_CAMPAIGN_DEF_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_campaign_def_init(drill_campaign_def *out, unsigned int version);

/** Regional configuration of the built-in campaigns. */
typedef struct drill_region_options {
    unsigned int version;      /**< DRILL_REGION_OPTIONS_VERSION */
    int flood_month, flood_day;         /**< main flood season's first day */
    int flood_end_month, flood_end_day; /**< main flood season's last day */
    int flood_lead_days;       /**< length of the pre-flood window, 1-366 */
} drill_region_options;

#define DRILL_REGION_OPTIONS_VERSION 1
/** Dalian's defaults: main flood season July 23 - August 11, pre-flood window April 1 - July 22. */
#define DRILL_REGION_OPTIONS_INIT { DRILL_REGION_OPTIONS_VERSION, 7, 23, 8, 11, 113 }

/**
 * Fill a drill_region_options with the defaults of DRILL_REGION_OPTIONS_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_REGION_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_region_options_init(drill_region_options *out, unsigned int version);

/** Where a window came from. */
typedef enum drill_window_origin {
    DRILL_WINDOW_RULE = 0,     /**< computed from the definition */
    DRILL_WINDOW_DATA = 1,     /**< per-year data (drill_campaigns_set_year()) */
    DRILL_WINDOW_ESTIMATED = 2 /**< the fallback rule, for a year without data */
} drill_window_origin;

/** A campaign resolved for one year. Strings are borrowed from the set. */
typedef struct drill_campaign_window {
    unsigned int version; /**< DRILL_CAMPAIGN_WINDOW_VERSION: set by the caller (DRILL_CAMPAIGN_WINDOW_INIT), kept by the library */
    const char *id;       /**< the campaign's id */
    const char *name;     /**< its UTF-8 name */
    const char *name_en;  /**< its English name, "" if none */
    const char *source;   /**< its source, "" if none */
    int year;             /**< the year asked for */
    drill_date start;     /**< first day */
    drill_date end;       /**< last day (included) */
    drill_window_origin origin; /**< where the window came from */
    int days;             /**< calendar days in the window */
    int working_days;     /**< working days in it, or -1 when no calendar was given */
    int holidays;         /**< loaded holidays in it, or -1 when no calendar was given */
    int covered;          /**< 1 if the calendar covers every day (working_days exact), 0 if
                               some year had no arrangement (counted from weekends alone), -1 without calendar */
} drill_campaign_window;

#define DRILL_CAMPAIGN_WINDOW_VERSION 1
/** A drill_campaign_window to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_CAMPAIGN_WINDOW_INIT { .version = DRILL_CAMPAIGN_WINDOW_VERSION }

/**
 * Set up a drill_campaign_window for a function to fill, for bindings and languages that
 * cannot use DRILL_CAMPAIGN_WINDOW_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_CAMPAIGN_WINDOW_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_campaign_window_init(drill_campaign_window *out, unsigned int version);

/**
 * An empty campaign set.
 * @param out receives the set; free it with drill_campaigns_free()
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_campaigns_new(drill_campaigns **out);

/**
 * The built-in campaigns (see the file comment) for a region.
 * @param out receives the set; free it with drill_campaigns_free()
 * @param region regional options, or NULL for DRILL_REGION_OPTIONS_INIT (Dalian)
 * @return 0; DRILL_EINVAL if out is NULL or a region value is out of range;
 *         DRILL_EVERSION for unknown options; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_campaigns_new_builtin(drill_campaigns **out, const drill_region_options *region);

/** Free a campaign set; NULL is allowed. */
DRILL_EXTERN void drill_campaigns_free(drill_campaigns *set);

/**
 * Add a campaign.
 * @return 0; DRILL_EINVAL for a NULL pointer, a bad id, a missing name or a
 *         field out of range for its rule (the message names the field);
 *         DRILL_EVERSION for an unknown def version; DRILL_EEXISTS if the id
 *         is taken; DRILL_ENOTFOUND if an OFFSET base is not in the set; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_campaigns_add(drill_campaigns *set, const drill_campaign_def *def);

/**
 * Replace the definition of the campaign with def->id, keeping its place in
 * the set and its per-year data (how an operator moves the flood season).
 * @return as drill_campaigns_add(), but DRILL_ENOTFOUND for an unknown id or
 *         an OFFSET base that does not come before the campaign in the set
 */
DRILL_EXTERN int drill_campaigns_update(drill_campaigns *set, const drill_campaign_def *def);

/**
 * Remove a campaign and its per-year data.
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an unknown id;
 *         DRILL_ESTATE if another campaign is offset from it
 */
DRILL_EXTERN int drill_campaigns_remove(drill_campaigns *set, const char *id);

/**
 * Set a campaign's window for one year (the year of start), replacing the
 * rule for that year; setting it again replaces the earlier data.
 * @return 0; DRILL_EINVAL for a NULL pointer or end before start, or a window
 *         longer than 366 days; DRILL_ERANGE for an invalid date;
 *         DRILL_ENOTFOUND for an unknown id; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_campaigns_set_year(drill_campaigns *set, const char *id,
                                          drill_date start, drill_date end);

/**
 * A campaign's definition by index (0 .. drill_campaigns_count() - 1).
 * @param out receives the definition; its strings are borrowed from set until it changes
 *        (its version set with DRILL_CAMPAIGN_DEF_INIT (or drill_campaign_def_init()); the fields of that version are written)
 * @param out_years receives how many years have per-year data, or NULL
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_campaigns_get(drill_campaign_def *out, size_t *out_years, const drill_campaigns *set,
                                     size_t index);

/**
 * Find a campaign by id.
 * @param out receives its index
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND
 */
DRILL_EXTERN int drill_campaigns_find(size_t *out, const drill_campaigns *set, const char *id);

/**
 * Number of campaigns in the set.
 * @return the count; 0 for NULL
 */
DRILL_EXTERN size_t drill_campaigns_count(const drill_campaigns *set);

/**
 * Resolve a campaign for a year.
 * @param out receives the window; its strings are borrowed from set
 *        (its version set with DRILL_CAMPAIGN_WINDOW_INIT (or drill_campaign_window_init()); the fields of that version are written)
 * @param set the campaigns
 * @param id the campaign's id
 * @param year the year
 * @param cal a calendar to count working days and holidays with, or NULL
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an unknown
 *         id or a campaign that does not occur that year; DRILL_ERANGE if the
 *         window falls outside 1900-2200
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_campaigns_window(drill_campaign_window *out, const drill_campaigns *set,
                                        const char *id, int year, const drill_calendar *cal);

/**
 * Resolve the campaign at an index (0 .. drill_campaigns_count() - 1, in
 * the order they were added) for a year; as drill_campaigns_window().
 * Listing a year is a loop over the indices that skips DRILL_ENOTFOUND.
 * @return as drill_campaigns_window(); DRILL_ENOTFOUND also for an index out of range
 */
DRILL_EXTERN int drill_campaigns_window_at(drill_campaign_window *out, const drill_campaigns *set,
                                           size_t index, int year, const drill_calendar *cal);

#ifdef __cplusplus
}
#endif
#endif
