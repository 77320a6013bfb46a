/**
 * @file drill/plan.h
 * @brief The year's drill plan and the scheduler.
 *
 * A plan crosses units with rules for one year: every (unit, rule, period)
 * that a rule requires of a unit is a drill with a stable id
 * "UNIT/RULE/PERIOD" (PERIOD is 2027, 2027H1, 2027H2, 2027R1, 2027R2 or
 * 2027B), so the same requirement has the same id every time.
 *
 * ## Windows
 *
 * A yearly drill may fall anywhere in the year, or in its campaign's window
 * that year; a campaign window with fewer than five working days (a
 * campaign day on a weekend, a one-day campaign for a whole city) grows by
 * a day on each side at a time, up to a week each side, until it has five,
 * so that its drills find the nearest working days and spread over them.
 * Half-yearly drills fall in January-June and July-December. Rolling
 * rules give two drills a year: the first within six months of the unit's
 * last drill under the rule (drill_plan_set_last(); January-June if none is
 * known), the second within six months of where the first was placed.
 * Biennial drills fall in a year when the last drill under the rule is two
 * or more years old or, with no history, in every other year by a stable
 * hash of the unit id, so a city's organs split over the two years.
 *
 * ## Scheduling
 *
 * drill_plan_schedule() puts each drill on a working day of its window with
 * a start time and duration that depend on its kind. Drills that need an
 * observer (comprehensive drills, and drills of units at or above a risk
 * level) are limited to `capacity` a day in each district, configurable per
 * district; a unit's drills are at least `spacing_days` apart; a unit's
 * blackout days and every non-working day are avoided, and with a `today`
 * every day up to it. Tighter windows go first (then comprehensive drills,
 * then by risk). Each drill takes the day nearest its aim whose load is
 * under its district's lower bounds: the interval bound of every drill, and
 * for an observed drill also that of the observed drills, the load the
 * observer capacity constrains (drill_district_quality.lower_bound);
 * when every day of its window is at the bound or its observers are fully
 * booked, other drills are moved within their own windows to make room (an
 * augmenting path, as in a b-matching), and a drill blocked by spacing may
 * move one of its unit's drills. Only then does it go over the bound or stay
 * unplaced. Its aim: the second of a half-yearly or rolling pair six months
 * after the first; a comprehensive drill free to go anywhere, a campaign
 * window; any other drill, a working day at least the unit's target gap
 * (the year over its drills) from its other drills, near a day drawn from
 * the unit and rule, so that no side of a window and no weekday is
 * preferred. Make-up working days take a third of the bound before they are
 * used like other days; with avoid_after_breaks, the first working day after
 * a break of seven days or more is used last. Start times spread over
 * day_slots slots: each drill prefers a slot drawn from its identity, and
 * the observed drills starting in one slot of a district's day never
 * outnumber the district's observers for a slot (its capacity over the
 * slots, rounded up); where more prefer one slot, those drawn first keep
 * it and the rest take the next slot with room. The same input gives the
 * same plan.
 *
 * A drill that cannot be placed stays unplaced with a reason. Scheduling
 * again (after a unit's new blackout, a new unit, a closed day, a new
 * holiday in the calendar, a changed capacity) keeps every drill whose day
 * is still valid and places only the rest; with a today, a scheduled drill
 * whose day is on or before it stays there (overdue until it is recorded)
 * and nothing moves onto such a day.
 *
 * The plan borrows the units, rules, campaigns and calendar it was made
 * with: they must outlive it. Call drill_plan_refresh() after changing the
 * units or rules.
 */
#ifndef DRILL_PLAN_H
#define DRILL_PLAN_H

#include <stddef.h>
#include "common.h"
#include "date.h"
#include "calendar.h"
#include "campaign.h"
#include "unit.h"
#include "rule.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A year's plan (opaque). One thread at a time. */
typedef struct drill_plan drill_plan;

/** Longest drill id, with its NUL. */
#define DRILL_ID_MAX 256

/** Where a drill stands (drill/track.h moves it through these). A drill
 * is *overdue* when it is planned or scheduled and its window has passed. */
typedef enum drill_status {
    DRILL_STATUS_PLANNED = 0,   /**< required, no day yet */
    DRILL_STATUS_SCHEDULED = 1, /**< placed on a day */
    DRILL_STATUS_HELD = 2,      /**< held: its outcome is recorded; the scheduler no longer moves it */
    DRILL_STATUS_EVALUATED = 3, /**< evaluated: scored, findings and corrective actions recorded */
    DRILL_STATUS_CLOSED = 4,    /**< closed: every corrective action done, verified or waived */
    DRILL_STATUS_CANCELLED = 5  /**< cancelled, with a reason; never placed */
} drill_status;

/** Why a drill could not be placed. */
typedef enum drill_reason {
    DRILL_REASON_NONE = 0,           /**< placed, or not scheduled yet */
    DRILL_REASON_NO_WORKING_DAY = 1, /**< its window has no working day */
    DRILL_REASON_BLACKOUT = 2,       /**< every working day of its window is a blackout day of the unit */
    DRILL_REASON_CAPACITY = 3,       /**< the district's observers are fully booked on every remaining day */
    DRILL_REASON_SPACING = 4         /**< every remaining day is too close to the unit's other drills */
} drill_reason;

#define DRILL_REASON_COUNT 5

/** One drill. Strings are borrowed from the plan (and its units and rules). */
typedef struct drill_item {
    unsigned int version; /**< DRILL_ITEM_VERSION: set by the caller (DRILL_ITEM_INIT), kept by the library */
    char id[DRILL_ID_MAX];   /**< "UNIT/RULE/PERIOD" */
    size_t unit_index;       /**< index in the units */
    const char *unit_id;     /**< the unit's id */
    const char *unit_name;   /**< the unit's name */
    const char *district;    /**< the unit's district path */
    size_t rule_index;       /**< index in the rules as the plan last read them (drill_plan_new(), drill_plan_refresh()) */
    const char *rule_id;     /**< the rule it satisfies */
    const char *source;      /**< the rule's legal source, "" if none */
    const char *period;      /**< "2027", "2027H1", ...: points into this item's own id */
    drill_kind kind;         /**< what kind of drill */
    drill_form form;         /**< live or tabletop */
    const char *scenario;    /**< scenario id */
    const char *campaign;    /**< campaign id, "" if none */
    drill_date window_start; /**< first day it may be held */
    drill_date window_end;   /**< last day it may be held */
    drill_status status;     /**< where it stands */
    drill_date date;         /**< its day, when scheduled, or the day it was held; a cancelled drill's, the day it was on when cancelled (year 0 if none) */
    int start_minute;        /**< start, minutes after midnight, when scheduled */
    int duration_minutes;    /**< how long, when scheduled */
    int needs_observer;      /**< 1 if it counts against the district's observer capacity */
    drill_reason reason;     /**< why it is not placed, DRILL_REASON_NONE otherwise */
    int revision;            /**< rises with every material change (day, state): a feed's SEQUENCE */
} drill_item;

#define DRILL_ITEM_VERSION 1
/** A drill_item to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_ITEM_INIT { .version = DRILL_ITEM_VERSION }

/**
 * Set up a drill_item for a function to fill, for bindings and languages that
 * cannot use DRILL_ITEM_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_ITEM_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_item_init(drill_item *out, unsigned int version);

/** Options for drill_plan_new(). */
typedef struct drill_plan_options {
    unsigned int version; /**< DRILL_PLAN_OPTIONS_VERSION */
    int year;             /**< the year to plan, required */
    /** 1: plan a year whose holiday arrangement is not loaded, from what the
     *  calendar answers (drill_plan_quality() says so); 0: fail with
     *  DRILL_ENODATA, unless the calendar answers the year provisionally from
     *  the law (drill_calendar_is_provisional(): drill_calendar_new_china()'s
     *  default), which is planned without it */
    int allow_uncovered;
} drill_plan_options;

#define DRILL_PLAN_OPTIONS_VERSION 1
#define DRILL_PLAN_OPTIONS_INIT { DRILL_PLAN_OPTIONS_VERSION, 0, 0 }

/**
 * Fill a drill_plan_options with the defaults of DRILL_PLAN_OPTIONS_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_PLAN_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_plan_options_init(drill_plan_options *out, unsigned int version);

/** Options for drill_plan_schedule(). */
typedef struct drill_schedule_options {
    unsigned int version;   /**< DRILL_SCHEDULE_OPTIONS_VERSION */
    int capacity;           /**< observer-attended drills a district can take a day; 0 = 30 */
    int spacing_days;       /**< least days between two drills of a unit; 0 = 7; -1 = no spacing */
    drill_risk observer_min_risk; /**< units at or above this risk need an observer; 0 = DRILL_RISK_HIGHER */
    int observe_comprehensive; /**< 1 or 0 (default): comprehensive drills need an observer; -1: they do not */
    int start_minute[4];    /**< by kind (index drill_kind): start, minutes after midnight; 0 = 09:00, 09:30, 14:30 */
    int duration_minutes[4]; /**< by kind: live drills' duration; 0 = 180, 120, 60 */
    int tabletop_minutes;   /**< tabletop drills' duration; 0 = 90 */
    /* version 2 */
    /** the day it is: nothing is placed on or before it; a scheduled drill
     *  whose day is on or before it stays there (overdue until recorded);
     *  only drills on later days move. {0, 0, 0}: no today, every day of the
     *  year is open (drillctl passes the real date) */
    drill_date today;
    /** start slots a day: a drill starts at its kind's start_minute plus
     *  slot_minutes times its slot, 0 .. day_slots - 1. Each observer
     *  attends one drill a slot: a district's observed drills of a day
     *  starting in one slot are at most its capacity over day_slots,
     *  rounded up. A drill takes the slot drawn from its identity (so it
     *  stays when other drills move) unless that slot is full that day;
     *  0 = 3, 1 = every drill of a kind at its kind's start */
    int day_slots;
    int slot_minutes;       /**< minutes between two slots; 0 = 60 */
    /** 1: avoid the first working day after a break of seven days or more
     *  (Spring Festival, National Day) unless nothing else fits; 0 (default)
     *  or -1: no such preference */
    int avoid_after_breaks;
    /* version 3 */
    /** a campaign window with fewer working days than this (a campaign day
     *  on a weekend or a holiday, one day for a whole city's units) grows
     *  by a day on each side at a time until it has them, so that its
     *  drills spread over the nearest working days; 0 = 5; -1 = it never
     *  grows; at most 60 */
    int campaign_min_days;
    /** the most days such a window grows on each side; 0 = 7 (a week each
     *  side); 1-183. E.g. 3 with campaign_min_days 5: the week around a
     *  campaign day, and no further */
    int campaign_widen_days;
} drill_schedule_options;

#define DRILL_SCHEDULE_OPTIONS_VERSION 3
#define DRILL_SCHEDULE_OPTIONS_INIT                                                                               \
    { DRILL_SCHEDULE_OPTIONS_VERSION, 0, 0, DRILL_RISK_UNSET, 0, { 0 }, { 0 }, 0, { 0, 0, 0 }, 0, 0, 0, 0, 0 }

/**
 * Fill a drill_schedule_options with the defaults of DRILL_SCHEDULE_OPTIONS_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_SCHEDULE_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_schedule_options_init(drill_schedule_options *out, unsigned int version);

/** What a schedule achieved. */
typedef struct drill_quality {
    unsigned int version; /**< DRILL_QUALITY_VERSION: set by the caller (DRILL_QUALITY_INIT), kept by the library */
    size_t required;                       /**< drills in the plan */
    size_t placed;                         /**< of which on a day */
    size_t unplaced[DRILL_REASON_COUNT];   /**< the rest, by reason (index DRILL_REASON_NONE unused) */
    size_t held;                           /**< of the placed, drills already held (and evaluated or closed) */
    size_t cancelled;                      /**< drills cancelled (neither placed nor unplaced) */
    size_t moved;                          /**< drills a reschedule moved or unplaced */
    size_t kept;                           /**< drills a reschedule kept on their day */
    size_t violations;                     /**< constraint violations found by an independent check: always 0 */
    int covered;                           /**< 1 if the calendar covers the year; 0 if weekends alone were used */
} drill_quality;

#define DRILL_QUALITY_VERSION 1
/** A drill_quality to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_QUALITY_INIT { .version = DRILL_QUALITY_VERSION }

/**
 * Set up a drill_quality for a function to fill, for bindings and languages that
 * cannot use DRILL_QUALITY_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_QUALITY_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_quality_init(drill_quality *out, unsigned int version);

/** Load of one district. */
typedef struct drill_district_quality {
    unsigned int version; /**< DRILL_DISTRICT_QUALITY_VERSION: set by the caller (DRILL_DISTRICT_QUALITY_INIT), kept by the library */
    const char *district;   /**< the district path, borrowed */
    int capacity;           /**< its observer capacity a day */
    size_t drills;          /**< drills of its units */
    size_t observed;        /**< of which need an observer */
    drill_date busiest_day; /**< the day with most drills */
    int busiest;            /**< drills on that day */
    int lower_bound;        /**< no schedule can do better than this on its busiest day of
                                 observer-attended drills (busiest_observed), the load its observer
                                 capacity constrains: for every interval of days, the observed drills
                                 that must fall in it (every one to place, held and overdue ones on
                                 their days) over its open working days, rounded up; the last
                                 schedule's today counts */
    int busiest_observed;   /**< the most observer-attended drills on one day (<= capacity), which
                                 the scheduler keeps at lower_bound (one more where spacing forces it) */
} drill_district_quality;

#define DRILL_DISTRICT_QUALITY_VERSION 1
/** A drill_district_quality to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_DISTRICT_QUALITY_INIT { .version = DRILL_DISTRICT_QUALITY_VERSION }

/**
 * Set up a drill_district_quality for a function to fill, for bindings and languages that
 * cannot use DRILL_DISTRICT_QUALITY_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_DISTRICT_QUALITY_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_district_quality_init(drill_district_quality *out, unsigned int version);

/** Which drills drill_plan_select() returns: every condition set must hold. */
typedef struct drill_filter {
    unsigned int version;   /**< DRILL_FILTER_VERSION */
    const char *unit_id;    /**< a unit, or NULL */
    const char *district;   /**< a district path ("大连市/中山区"), or NULL */
    const char *campaign;   /**< a campaign id, "" for drills without a campaign, or NULL */
    const char *rule_id;    /**< a rule, or NULL */
    int has_range;          /**< 1: only drills scheduled in from..to, or unplaced with a window overlapping it */
    drill_date from, to;    /**< the range, both included */
    int status;             /**< a drill_status, or -1 for any */
    /** version 2: several states at once, a mask of DRILL_STATUS_BIT(status) bits; 0: status decides */
    unsigned int statuses;
} drill_filter;

/** A drill_status's bit in drill_filter.statuses */
#define DRILL_STATUS_BIT(status) (1u << (unsigned)(status))
#define DRILL_FILTER_VERSION 2
#define DRILL_FILTER_INIT { DRILL_FILTER_VERSION, NULL, NULL, NULL, NULL, 0, { 0, 0, 0 }, { 0, 0, 0 }, -1, 0 }

/**
 * Fill a drill_filter with the defaults of DRILL_FILTER_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_FILTER_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_filter_init(drill_filter *out, unsigned int version);

/** The drills a query selected (opaque); free with drill_selection_free(). */
typedef struct drill_selection drill_selection;

/**
 * Make the year's requirements: units x rules.
 * @param out receives the plan; free it with drill_plan_free()
 * @param units, rules, campaigns, cal borrowed; they must outlive the plan
 * @param opts options; year is required
 * @return 0; DRILL_EINVAL for a NULL pointer or a missing year; DRILL_EVERSION;
 *         DRILL_ERANGE for a year outside 1900-2200; DRILL_ENOTFOUND if a rule
 *         names a campaign that is not in campaigns; DRILL_ENODATA if the
 *         calendar does not cover the year, does not answer it provisionally
 *         and allow_uncovered is 0; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_plan_new(drill_plan **out, const drill_units *units, const drill_rules *rules,
                                const drill_campaigns *campaigns, const drill_calendar *cal,
                                const drill_plan_options *opts);

/** Free a plan; NULL is allowed. */
DRILL_EXTERN void drill_plan_free(drill_plan *plan);

/**
 * Record the unit's last drill under a rule before this year, for rolling
 * and biennial rules: the date it was planned for (held = 0) or the date it
 * was actually held (held = 1). A rule counts its next due date from the one
 * its due_from names; without that one the unit has no history under it.
 * Takes effect at the next drill_plan_refresh().
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an unknown
 *         unit or rule; DRILL_ERANGE for an invalid date or one not before the
 *         year; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_plan_set_last(drill_plan *plan, const char *unit_id, const char *rule_id, drill_date last,
                                     int held);

/**
 * Close a day: no drill is placed on it (in one district, or everywhere),
 * e.g. when a typhoon or an inspection takes the observers away. Takes
 * effect at the next drill_plan_schedule(), which moves the drills on it.
 * Closing a day that is closed already (for the same district, or for
 * every district) changes nothing.
 * @param district a district path, or NULL for every district
 * @return 0; DRILL_EINVAL for a NULL plan; DRILL_ERANGE for an invalid date
 *         or one outside the plan's year; DRILL_ENOTFOUND for a district no
 *         unit is in; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_plan_close_day(drill_plan *plan, const char *district, drill_date day);

/**
 * Set one district's observer capacity, overriding the schedule option.
 * @return 0; DRILL_EINVAL for a NULL pointer or a capacity below 0;
 *         DRILL_ENOTFOUND for a district no unit is in
 */
DRILL_EXTERN int drill_plan_set_capacity(drill_plan *plan, const char *district, int capacity);

/**
 * Re-read the units and rules: drills of new units or rules are added,
 * drills no longer required are dropped, the others keep their day.
 * @return as drill_plan_new()
 */
DRILL_EXTERN int drill_plan_refresh(drill_plan *plan);

/**
 * Place the drills (see the file comment). Drills already placed keep their
 * day if it is still valid.
 * @param out_quality receives what was achieved, or NULL
 *        (its version set with DRILL_QUALITY_INIT (or drill_quality_init()); the fields of that version are written)
 * @param plan the plan
 * @param opts options, or NULL for DRILL_SCHEDULE_OPTIONS_INIT
 * The calendar is read again, and units added since are taken in first (as
 * drill_plan_refresh() would), so this can also fail as drill_plan_new().
 * On any failure the previous schedule is left as it was.
 * @return 0 (also when some drills stay unplaced: see the quality);
 *         DRILL_EINVAL for a NULL plan or a bad option; DRILL_EVERSION;
 *         DRILL_ENODATA, DRILL_ENOTFOUND, DRILL_ERANGE as drill_plan_new(); DRILL_ENOMEM
 *         (and DRILL_EVERSION for out_quality's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_plan_schedule(drill_quality *out_quality, drill_plan *plan, const drill_schedule_options *opts);

/**
 * The options the plan was last scheduled with, every default filled in
 * (the defaults before its first schedule); a plan loaded from a store has
 * the ones it was saved with. Pass them to drill_plan_schedule() to
 * schedule again the same way.
 * @param out receives the options
 *        (its version set with DRILL_SCHEDULE_OPTIONS_INIT (or drill_schedule_options_init()); the fields of that version are written)
 * @param plan the plan
 * @return 0; DRILL_EINVAL for a NULL pointer
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_plan_schedule_options(drill_schedule_options *out, const drill_plan *plan);

/**
 * The options the plan was last scheduled with, as drill_plan_schedule_options(),
 * for the version given rather than out's (which it sets): for bindings
 * that pass an uninitialised struct. Pass them to drill_plan_schedule() to
 * schedule again the same way.
 * @param out receives the options: the fields of version `version`, and
 *        version itself; nothing past them is written
 * @param plan the plan
 * @param version the version the caller was built with, DRILL_SCHEDULE_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EVERSION for 0 or a
 *         version newer than the library
 */
DRILL_EXTERN int drill_plan_schedule_options_v2(drill_schedule_options *out, const drill_plan *plan,
                                                unsigned int version);

/**
 * The last schedule's quality, with violations counted afresh.
 * @param out the struct to fill, its version set with DRILL_QUALITY_INIT (or drill_quality_init()): the fields of that version are written
 * @param plan the plan
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOMEM (counting the violations)
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_plan_quality(drill_quality *out, const drill_plan *plan);

/**
 * Load of a district (0 .. drill_units_district_count() - 1).
 * @param out the struct to fill, its version set with DRILL_DISTRICT_QUALITY_INIT (or drill_district_quality_init()): the fields of that version are written
 *        (district is borrowed from the plan's units)
 * @param plan the plan
 * @param district the district's index
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range; DRILL_ENOMEM
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_plan_district_quality(drill_district_quality *out, const drill_plan *plan, size_t district);

/**
 * Check every placed drill against every constraint, independently of the
 * scheduler's bookkeeping: in its window, on a working day, not on a
 * blackout day, spaced from the unit's other drills, within the district's
 * observer capacity, its start slot within the district's observers for a
 * slot (capacity over day_slots, rounded up), and not moved by the last schedule onto a day on or
 * before its today. A scheduled drill on or before that today stayed there
 * (overdue) and counts as a held one does: a fact, not a choice.
 * @param out receives the number of violations (0 for a correct schedule)
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_plan_validate(size_t *out, const drill_plan *plan);

/** The plan's year. @return the year; 0 for NULL */
DRILL_EXTERN int drill_plan_year(const drill_plan *plan);

/** Number of drills. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_plan_count(const drill_plan *plan);

/**
 * A drill by index. Indexes change at drill_plan_refresh(); ids do not.
 * @param out the struct to fill, its version set with DRILL_ITEM_INIT (or drill_item_init()): the fields of that version are written
 *        (its strings are borrowed from the plan and its units, as drill_item says)
 * @param plan the plan
 * @param index 0 .. drill_plan_count() - 1
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_plan_get(drill_item *out, const drill_plan *plan, size_t index);

/**
 * How many requirements of other rules a drill also meets (rules that name
 * its kind and scenario in satisfied_by_kinds and satisfied_by_scenarios;
 * the plan generated no drill of their own for these).
 * @param out receives the count
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 */
DRILL_EXTERN int drill_plan_credit_count(size_t *out, const drill_plan *plan, size_t index);

/**
 * The k-th requirement a drill also meets (0 .. drill_plan_credit_count() - 1).
 * @param out_rule receives the rule's id, borrowed from the plan until it is refreshed
 * @param out_period receives the period ("2026", "2026H2", "2026M03"), NUL-terminated
 * @param size the size of out_period; 16 is enough
 * @return 0; DRILL_EINVAL for a NULL pointer or a buffer too small; DRILL_ENOTFOUND
 *         for an index or k out of range
 */
DRILL_EXTERN int drill_plan_credit_get(const char **out_rule, char *out_period, size_t size, const drill_plan *plan,
                                       size_t index, size_t k);

/**
 * Find a drill by id.
 * @param out receives its index
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND
 */
DRILL_EXTERN int drill_plan_find(size_t *out, const drill_plan *plan, const char *id);

/**
 * The drills that match a filter, in plan order.
 * @param out receives the selection; free it with drill_selection_free()
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EVERSION; DRILL_ERANGE
 *         for an invalid range date; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_plan_select(drill_selection **out, const drill_plan *plan, const drill_filter *filter);

/** Number of drills selected. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_selection_count(const drill_selection *sel);

/**
 * The plan index of the nth drill selected.
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for n out of range
 */
DRILL_EXTERN int drill_selection_index(size_t *out, const drill_selection *sel, size_t n);

/** Free a selection; NULL is allowed. */
DRILL_EXTERN void drill_selection_free(drill_selection *sel);

/** Name of a reason ("capacity exhausted", ...). @return a static string */
DRILL_EXTERN const char *drill_reason_name(drill_reason reason);

#ifdef __cplusplus
}
#endif
#endif
