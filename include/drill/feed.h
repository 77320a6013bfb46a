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
 * the TZID (an end at 24:00 or later on the next day), or, for a drill not
 * yet on a day, its window as an all-day event (DTEND exclusive); SUMMARY, DESCRIPTION, LOCATION, CATEGORIES, STATUS
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
 * | X-DRILL-HASH | 16 hex digits: a digest of everything else the event says |
 *
 * Written to a file (drill_feed_write_file(), drill_feed_write_set()), the
 * feed continues the one it replaces: an event whose X-DRILL-HASH is
 * unchanged keeps its SEQUENCE, LAST-MODIFIED and CREATED; one that changed
 * in any way a subscriber sees (a move, a new status, a renamed unit or
 * district, other options) gets SEQUENCE one above its last (or its
 * revision, if higher) and the export's time as LAST-MODIFIED. A SEQUENCE
 * never falls for a UID, a replaced plan included. (Feeds written before
 * X-DRILL-HASH existed count as changed once.)
 *
 * The text is written by libdrill itself, event by event, so memory does not
 * grow with the feed (drill_feed_write_file() keeps 48 bytes per event of
 * the feed it replaces): TEXT values escape backslash, ';', ',' and newlines
 * and keep tabs;
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

/**
 * Fill a drill_feed_options with the defaults of DRILL_FEED_OPTIONS_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_FEED_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_feed_options_init(drill_feed_options *out, unsigned int version);

/** How drill_feed_write_set() splits the plan. */
typedef enum drill_feed_split {
    DRILL_SPLIT_DISTRICT = 0, /**< one feed per district */
    DRILL_SPLIT_UNIT = 1,     /**< one feed per unit */
    DRILL_SPLIT_CAMPAIGN = 2  /**< one feed per campaign (drills without one in "none") */
} drill_feed_split;

/** What drill_feed_write_set() did. */
typedef struct drill_feed_set_stats {
    unsigned int version; /**< DRILL_FEED_SET_STATS_VERSION: set by the caller (DRILL_FEED_SET_STATS_INIT), kept by the library */
    size_t feeds;     /**< feed files in the set, the city feed included */
    size_t written;   /**< of which written because new or changed */
    size_t unchanged; /**< of which left alone, their content unchanged */
    size_t events;    /**< events in the city feed */
    size_t removed;   /**< feed files of groups that no longer have drills, removed */
} drill_feed_set_stats;

#define DRILL_FEED_SET_STATS_VERSION 1
/** A drill_feed_set_stats to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_FEED_SET_STATS_INIT { .version = DRILL_FEED_SET_STATS_VERSION }

/**
 * Set up a drill_feed_set_stats for a function to fill, for bindings and languages that
 * cannot use DRILL_FEED_SET_STATS_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_FEED_SET_STATS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_feed_set_stats_init(drill_feed_set_stats *out, unsigned int version);

/**
 * Write a feed of the plan to a stream, event by event.
 * @param out the stream (the caller's: not closed)
 * @param plan the plan
 * @param opts options, or NULL for DRILL_FEED_OPTIONS_INIT
 * @return 0; DRILL_EINVAL for a NULL pointer or a bad option; DRILL_EVERSION;
 *         DRILL_ENOTFOUND for a zone libical does not know; DRILL_EIO if the
 *         stream fails; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_feed_write(FILE *out, const drill_plan *plan, const drill_feed_options *opts);

/**
 * Write a feed to a file through drill_file_write() (an unpredictable
 * temporary name, synced and renamed, so a subscriber never sees half a
 * feed and nothing planted in the folder is followed); a file whose content
 * would not change is left alone. SEQUENCE and LAST-MODIFIED continue those
 * of the feed the file held (see above).
 * @param out_written receives 1 if the file was (re)written, 0 if unchanged; or NULL
 * @return as drill_feed_write()
 */
DRILL_EXTERN int drill_feed_write_file(int *out_written, const drill_plan *plan, const char *path,
                                       const drill_feed_options *opts);

/**
 * Write a feed per district, unit or campaign into a directory, plus the
 * city feed "all.ics", each written as drill_feed_write_file() does.
 *
 * File names: a group's id with ASCII letters, digits, '-', '.' (not first)
 * and UTF-8 characters kept, '/' written as '_', and every other byte ('_',
 * '~', blanks, ',', control characters...) as "~XX", its two upper-case hex
 * digits; ".ics" follows. "大连市/中山区" is "大连市_中山区.ics", "a_b" is
 * "a~5Fb.ics", "甲 乙" is "甲~20乙.ics". The mapping is one to one: no two
 * ids share a file. The names the set uses itself are never a group's: a
 * group called "all" (and, split by campaign, a campaign called "none") is
 * written with its first letter escaped ("~61ll.ics"). Drills without a
 * campaign go to "none.ics". Names that differ only in case, which would
 * share a file on a case-insensitive file system (macOS, Windows shares) -
 * compared by Unicode simple case folding, the same in every locale, so
 * "Ä"/"ä" and "Σ"/"σ"/"ς" collide but "ß"/"ss" do not - and names longer
 * than 233 bytes are refused before any file is written.
 *
 * The directory keeps a list of the files the export wrote (".drill-feeds");
 * the next export removes the ones it no longer writes (a group that left
 * the registry or has no drills left), never any other file.
 *
 * @param out_stats receives what was done, or NULL
 *        (its version set with DRILL_FEED_SET_STATS_INIT (or drill_feed_set_stats_init()); the fields of that version are written)
 * @return as drill_feed_write(); DRILL_EEXISTS if two groups' files differ
 *         only in case; DRILL_ERANGE if a group's file name would be too
 *         long; DRILL_EIO if the directory cannot be written
 *         (and DRILL_EVERSION for out_stats's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_feed_write_set(drill_feed_set_stats *out_stats, const drill_plan *plan, const char *dir,
                                      drill_feed_split split, const drill_feed_options *opts);

/** One event read from a feed. Strings are borrowed from the reader until its next event. */
typedef struct drill_feed_event {
    unsigned int version; /**< DRILL_FEED_EVENT_VERSION: set by the caller (DRILL_FEED_EVENT_INIT), kept by the library */
    int is_drill;           /**< 1 if it carries X-DRILL-ID (a libdrill drill) */
    const char *uid;        /**< UID, "" if none */
    const char *summary;    /**< SUMMARY, "" if none */
    const char *description;/**< DESCRIPTION, "" if none */
    const char *location;   /**< LOCATION, "" if none */
    const char *status;     /**< STATUS (TENTATIVE, CONFIRMED, CANCELLED), "" if none */
    int sequence;           /**< SEQUENCE, 0 if none */
    int all_day;            /**< 1 for VALUE=DATE events */
    drill_date start;       /**< DTSTART's date (as written, in its zone) */
    drill_date end;         /**< DTEND's date; exclusive for all-day events (so 2201-01-01 after a drill on 2200-12-31) */
    int start_minute;       /**< timed events: DTSTART's minutes after midnight */
    int end_minute;         /**< timed events: DTEND's minutes after midnight */
    const char *tzid;       /**< DTSTART's TZID, "" if UTC, floating or all-day */
    /* the X-DRILL-* properties, "" where absent */
    const char *drill_id, *unit_id, *rule_id, *period, *district, *kind, *form, *scenario, *campaign, *drill_status;
    drill_date window_start, window_end; /**< X-DRILL-WINDOW; year 0 if absent */
    int observer;           /**< X-DRILL-OBSERVER, 0 if absent */
    int line;               /**< the line its BEGIN:VEVENT is on */
} drill_feed_event;

#define DRILL_FEED_EVENT_VERSION 1
/** A drill_feed_event to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_FEED_EVENT_INIT { .version = DRILL_FEED_EVENT_VERSION }

/**
 * Set up a drill_feed_event for a function to fill, for bindings and languages that
 * cannot use DRILL_FEED_EVENT_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_FEED_EVENT_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_feed_event_init(drill_feed_event *out, unsigned int version);

/** A feed being read, event by event (opaque). */
typedef struct drill_feed_reader drill_feed_reader;

/**
 * Open a feed for reading, one VEVENT at a time (memory does not grow with
 * the file). Real-world deviations are tolerated and counted: bare LF line
 * ends, a missing VERSION or END:VCALENDAR, and libical's complaints about
 * properties the reader does not use (a DATE DTSTAMP, say).
 * @param out receives the reader; free it with drill_feed_reader_free()
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO if the file cannot be opened; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_feed_reader_open(drill_feed_reader **out, const char *path);

/**
 * The next event.
 * @param out receives the event: its version set with DRILL_FEED_EVENT_INIT (or
 *            drill_feed_event_init()); the fields of that version are written, and
 *            its strings are borrowed from the reader until the next call
 * @param reader the reader
 * @return 1 with *out filled; 0 at the end; DRILL_EPARSE with the line of
 *         the event or of the offending property (libical's X-LIC-ERROR
 *         markers on DTSTART, DTEND, SUMMARY and the X-DRILL-* properties are
 *         errors, never dropped); DRILL_EIO; DRILL_ENOMEM
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_feed_reader_next(drill_feed_event *out, drill_feed_reader *reader);

/**
 * What the reader tolerated so far, as a count and a one-line description.
 * @param out_description receives the description, or NULL; borrowed, it lives
 *        as long as the reader (until the next drill_feed_reader_next() at the most)
 * @param reader the reader, or NULL
 * @return the count; 0 for NULL
 */
DRILL_EXTERN size_t drill_feed_reader_tolerated(const char **out_description, const drill_feed_reader *reader);

/** Close a reader; NULL is allowed. */
DRILL_EXTERN void drill_feed_reader_free(drill_feed_reader *reader);

/**
 * Read another agency's calendar (or any feed) as busy days: every day an
 * event covers in the plan's year is closed for a district, or everywhere
 * (drill_plan_close_day()). Cancelled events are skipped. A recurring event
 * (RRULE, RDATE, less its EXDATEs; expanded by libical as holiday feeds
 * are) closes the days of each of its occurrences in the plan's year; a
 * rule without end stops there.
 * @param out_days receives how many days it closed (each day once, however
 *        many events cover it; days closed before are not counted), or NULL
 * @param district a district path, or NULL for every district
 * @return 0; as drill_feed_reader_next(); DRILL_ENOTFOUND for an unknown district
 */
DRILL_EXTERN int drill_feed_import_busy(size_t *out_days, drill_plan *plan, const char *path, const char *district);

#ifdef __cplusplus
}
#endif
#endif
