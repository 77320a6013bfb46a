/**
 * @file drill/feed.h
 * @brief iCalendar feeds of a plan: streaming export that calendar clients
 * accept, feed sets written atomically, and import.
 *
 * A feed is a VCALENDAR (PUBLISH) with NAME, X-WR-CALNAME, X-WR-TIMEZONE,
 * REFRESH-INTERVAL and X-PUBLISHED-TTL, one VTIMEZONE for its zone (libical's
 * built-in zone, truncated to the plan's years and with a plain IANA TZID),
 * and one VEVENT per drill: a stable UID (a name-based UUID of the drill id),
 * DTSTAMP, CREATED and LAST-MODIFIED (the drill's last change), SEQUENCE
 * (its revision, rising with every material change), DTSTART and DTEND with
 * the TZID, or, for a drill not yet on a day, its window as an all-day event
 * (DTEND exclusive); SUMMARY, DESCRIPTION, LOCATION, CATEGORIES, STATUS
 * (TENTATIVE when planned, CONFIRMED when scheduled or held, CANCELLED kept in
 * the feed), ORGANIZER, an optional VALARM, and X-DRILL-* properties with
 * what a round trip needs:
 *
 * | property | value |
 * |----------|-------|
 * | X-DRILL-ID | the drill id UNIT/RULE/PERIOD |
 * | X-DRILL-UNIT, X-DRILL-RULE, X-DRILL-PERIOD | its parts |
 * | X-DRILL-DISTRICT | the unit's district path |
 * | X-DRILL-KIND, X-DRILL-FORM, X-DRILL-SCENARIO | comprehensive/special/onsite, live/tabletop, scenario id |
 * | X-DRILL-CAMPAIGN | campaign id (absent without one) |
 * | X-DRILL-WINDOW | first/last day of the window, YYYYMMDD/YYYYMMDD |
 * | X-DRILL-STATUS | planned, scheduled, held, evaluated, closed, cancelled |
 * | X-DRILL-OBSERVER | 1 if the drill needs an observer |
 *
 * The text is written by libdrill itself, event by event, so memory does not
 * grow with the feed: TEXT values escape backslash, ';', ',' and newlines;
 * lines end in CRLF and are folded at 75 octets without splitting a UTF-8
 * sequence; no value can start a new line or property.
 */
#ifndef DRILL_FEED_H
#define DRILL_FEED_H

#include <stddef.h>
#include <stdio.h>
#include "common.h"
#include "plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options of an export. Strings are read during the call only. */
typedef struct drill_feed_options {
    unsigned int version;    /**< DRILL_FEED_OPTIONS_VERSION */
    const char *name;        /**< the calendar's name; NULL: "应急演练 YEAR" (or "Emergency drills YEAR") */
    const char *tzid;        /**< an IANA zone; NULL: "Asia/Shanghai" */
    const char *color;       /**< an RFC 7986 COLOR (a CSS3 colour name), or NULL */
    int english;             /**< 1: English summaries and descriptions; 0: Chinese */
    int refresh_minutes;     /**< how often subscribers should refresh; 0: 720 */
    int alarm_minutes;       /**< a VALARM this many minutes before each scheduled drill; 0: none */
    const char *organizer;   /**< a mailto: address; NULL: "mailto:drills@localhost" */
    const char *organizer_name; /**< its CN, or NULL */
    const drill_filter *filter; /**< which drills, or NULL for all */
} drill_feed_options;

#define DRILL_FEED_OPTIONS_VERSION 1
#define DRILL_FEED_OPTIONS_INIT { DRILL_FEED_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL }

/** How drill_feed_write_set() splits the plan. */
typedef enum drill_feed_split {
    DRILL_SPLIT_DISTRICT = 0, /**< one feed per district */
    DRILL_SPLIT_UNIT = 1,     /**< one feed per unit */
    DRILL_SPLIT_CAMPAIGN = 2  /**< one feed per campaign (drills without one in "none") */
} drill_feed_split;

/** What drill_feed_write_set() did. */
typedef struct drill_feed_set_stats {
    size_t feeds;     /**< feed files in the set, the city feed included */
    size_t written;   /**< of which written because new or changed */
    size_t unchanged; /**< of which left alone, their content unchanged */
    size_t events;    /**< events in the city feed */
} drill_feed_set_stats;

/**
 * Write a feed of the plan to a stream, event by event.
 * @return 0; DRILL_EINVAL for a NULL pointer or a bad option; DRILL_EVERSION;
 *         DRILL_ENOTFOUND for a zone libical does not know; DRILL_EIO if the
 *         stream fails; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_feed_write(FILE *out, const drill_plan *plan, const drill_feed_options *opts);

/**
 * Write a feed to a file: to a temporary name, synced and renamed, so a
 * subscriber never sees half a feed; a file whose content would not change
 * is left alone.
 * @param out_written receives 1 if the file was (re)written, 0 if unchanged; or NULL
 * @return as drill_feed_write()
 */
DRILL_EXTERN int drill_feed_write_file(int *out_written, const drill_plan *plan, const char *path,
                                       const drill_feed_options *opts);

/**
 * Write a feed per district, unit or campaign into a directory, plus the
 * city feed "all.ics". Files are named by the group (path separators and
 * unsafe characters replaced by '_'), each written as drill_feed_write_file() does.
 * @param out_stats receives what was done, or NULL
 * @return as drill_feed_write(); DRILL_EIO if the directory cannot be written
 */
DRILL_EXTERN int drill_feed_write_set(drill_feed_set_stats *out_stats, const drill_plan *plan, const char *dir,
                                      drill_feed_split split, const drill_feed_options *opts);

#ifdef __cplusplus
}
#endif
#endif
