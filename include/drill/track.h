/**
 * @file drill/track.h
 * @brief Tracking drills to closure: outcomes, findings, corrective actions
 * and an append-only audit trail.
 *
 * A drill moves through drill_status:
 *
 *     planned <-> scheduled -> held -> evaluated -> closed
 *        \\            \\
 *         +-> cancelled <-+      (cancelled -> planned reinstates it)
 *
 * A planned drill may also be recorded held directly (held on a day of the
 * unit's own choosing). Any other move is refused with DRILL_ESTATE and a
 * message naming both states. A held drill keeps its day: the scheduler no
 * longer moves it, and counts it in the district's load. A drill is closed
 * only when each of its corrective actions is done, verified or waived.
 *
 * Every change is appended to the plan's audit trail with the actor, the UTC
 * time, the old and new values and the reason. When the plan is attached to
 * a store (drill/store.h) each call is durable when it returns; if the store
 * cannot write it, the call fails and the plan is left as it was.
 */
#ifndef DRILL_TRACK_H
#define DRILL_TRACK_H

#include <stddef.h>
#include "common.h"
#include "date.h"
#include "plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What was recorded of a held drill. Strings are copied. */
typedef struct drill_outcome {
    unsigned int version;      /**< DRILL_OUTCOME_VERSION */
    drill_date date;           /**< the day it was held (required; it may fall outside the window, even in the year before or after the plan's) */
    int start_minute;          /**< start, minutes after midnight */
    int end_minute;            /**< end, minutes after midnight, >= start_minute */
    drill_kind kind;           /**< the kind actually held */
    drill_form form;           /**< live or tabletop, as actually held */
    int participants;          /**< people who took part, >= 0 */
    int non_participants;      /**< people on site who did not, >= 0 */
    const char *observers;     /**< who observed, or NULL */
    int evacuation_seconds;    /**< time to evacuate; -1 = not measured */
    int evacuation_target;     /**< its target in seconds; -1 = none */
    int headcount_seconds;     /**< time to a full headcount; -1 = not measured */
    int headcount_target;      /**< its target in seconds; -1 = none */
    int score;                 /**< 0-100 once evaluated; -1 = not yet */
    const char *notes;         /**< or NULL */
} drill_outcome;

#define DRILL_OUTCOME_VERSION 1
#define DRILL_OUTCOME_INIT { DRILL_OUTCOME_VERSION, { 0, 0, 0 }, 0, 0, DRILL_KIND_SPECIAL, DRILL_FORM_LIVE, 0, 0, \
    NULL, -1, -1, -1, -1, -1, NULL }

/**
 * Fill a drill_outcome with the defaults of DRILL_OUTCOME_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_OUTCOME_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_outcome_init(drill_outcome *out, unsigned int version);

/** Where a corrective action stands. */
typedef enum drill_action_status {
    DRILL_ACTION_OPEN = 0,        /**< not started */
    DRILL_ACTION_IN_PROGRESS = 1, /**< being worked on */
    DRILL_ACTION_DONE = 2,        /**< done */
    DRILL_ACTION_VERIFIED = 3,    /**< done and verified */
    DRILL_ACTION_WAIVED = 4       /**< explicitly waived */
} drill_action_status;

/** A finding and its corrective action (the improvement plan). Strings are copied. */
typedef struct drill_action {
    unsigned int version;       /**< DRILL_ACTION_VERSION */
    const char *finding;        /**< what was found, required */
    const char *capability;     /**< the capability area (communication, evacuation, ...), or NULL */
    const char *action;         /**< the corrective action, required */
    const char *owner;          /**< responsible organisation or person, required */
    drill_date due;             /**< due date, required */
    drill_action_status status; /**< where it stands */
    drill_date closed;          /**< when it was done, verified or waived; year 0 while open */
} drill_action;

#define DRILL_ACTION_VERSION 1
#define DRILL_ACTION_INIT { DRILL_ACTION_VERSION, NULL, NULL, NULL, NULL, { 0, 0, 0 }, DRILL_ACTION_OPEN, { 0, 0, 0 } }

/**
 * Fill a drill_action with the defaults of DRILL_ACTION_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_ACTION_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_action_init(drill_action *out, unsigned int version);

/** The tracking record of a drill. Strings are borrowed from the plan until its next change. */
typedef struct drill_track_info {
    unsigned int version; /**< DRILL_TRACK_INFO_VERSION: set by the caller (DRILL_TRACK_INFO_INIT), kept by the library */
    drill_status status;     /**< where it stands */
    int has_outcome;         /**< 1 once held: drill_track_outcome() gives the outcome (a versioned struct of
                                  its own, so it can grow without moving the fields here) */
    const char *cancel_reason; /**< why it was cancelled, "" otherwise */
    size_t actions;          /**< corrective actions recorded */
    size_t open_actions;     /**< of which open or in progress */
} drill_track_info;

#define DRILL_TRACK_INFO_VERSION 1
/** A drill_track_info to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_TRACK_INFO_INIT { .version = DRILL_TRACK_INFO_VERSION }

/**
 * Set up a drill_track_info for a function to fill, for bindings and languages that
 * cannot use DRILL_TRACK_INFO_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_TRACK_INFO_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_track_info_init(drill_track_info *out, unsigned int version);

/** One audit entry. Strings are borrowed from the plan. */
typedef struct drill_audit_entry {
    unsigned int version; /**< DRILL_AUDIT_ENTRY_VERSION: set by the caller (DRILL_AUDIT_ENTRY_INIT), kept by the library */
    size_t seq;            /**< 1, 2, ... in the order of the changes */
    const char *time;      /**< UTC, "YYYY-MM-DDTHH:MM:SSZ"; every string here lives as long as the plan */
    const char *actor;     /**< who */
    const char *drill_id;  /**< which drill */
    const char *field;     /**< "state", "schedule", "outcome", "action N" */
    const char *old_value; /**< before, "" if none */
    const char *new_value; /**< after */
    const char *reason;    /**< why, "" if none given */
} drill_audit_entry;

#define DRILL_AUDIT_ENTRY_VERSION 1
/** A drill_audit_entry to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_AUDIT_ENTRY_INIT { .version = DRILL_AUDIT_ENTRY_VERSION }

/**
 * Set up a drill_audit_entry for a function to fill, for bindings and languages that
 * cannot use DRILL_AUDIT_ENTRY_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_AUDIT_ENTRY_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_audit_entry_init(drill_audit_entry *out, unsigned int version);

/**
 * Record a drill held (from planned or scheduled).
 * @param plan the plan
 * @param drill_id the drill
 * @param outcome what happened (date required; score may be -1)
 * @param actor who records it, required
 * @param reason why, or NULL
 * @return 0; DRILL_EINVAL for a NULL pointer or a bad outcome field (the
 *         message names it); DRILL_EVERSION; DRILL_ERANGE for an invalid date
 *         or one more than a year from the plan's year; DRILL_ENOTFOUND for an unknown drill; DRILL_ESTATE from another state,
 *         or for a drill the attached store does not have yet; DRILL_EIO or
 *         DRILL_ECORRUPT if the attached store cannot write it; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_track_hold(drill_plan *plan, const char *drill_id, const drill_outcome *outcome,
                                  const char *actor, const char *reason);

/**
 * Evaluate a held drill: its score (0-100) and an optional note.
 * @return as drill_track_hold(); DRILL_ESTATE unless held
 */
DRILL_EXTERN int drill_track_evaluate(drill_plan *plan, const char *drill_id, int score, const char *notes,
                                      const char *actor, const char *reason);

/**
 * Add a finding with its corrective action to a held or evaluated drill.
 * @param out_number receives the action's number (1, 2, ...), or NULL
 * @return as drill_track_hold(); DRILL_ESTATE unless held or evaluated
 */
DRILL_EXTERN int drill_track_add_action(size_t *out_number, drill_plan *plan, const char *drill_id,
                                        const drill_action *action, const char *actor, const char *reason);

/**
 * Move a corrective action to a new status; done, verified and waived take
 * the date it happened.
 * @return as drill_track_hold(); DRILL_ENOTFOUND for an unknown action number;
 *         DRILL_ESTATE for a closed drill, or for reopening a verified action
 */
DRILL_EXTERN int drill_track_set_action(drill_plan *plan, const char *drill_id, size_t number,
                                        drill_action_status status, drill_date when, const char *actor,
                                        const char *reason);

/**
 * Close an evaluated drill.
 * @return as drill_track_hold(); DRILL_ESTATE unless evaluated, or while an
 *         action is open or in progress (the message names it)
 */
DRILL_EXTERN int drill_track_close(drill_plan *plan, const char *drill_id, const char *actor, const char *reason);

/**
 * Cancel a planned or scheduled drill; the reason is required.
 * @return as drill_track_hold(); DRILL_EINVAL without a reason
 */
DRILL_EXTERN int drill_track_cancel(drill_plan *plan, const char *drill_id, const char *actor, const char *reason);

/**
 * Bring a cancelled drill back to planned (the next schedule places it).
 * @return as drill_track_hold(); DRILL_ESTATE unless cancelled
 */
DRILL_EXTERN int drill_track_reinstate(drill_plan *plan, const char *drill_id, const char *actor,
                                       const char *reason);

/**
 * Move a planned or scheduled drill to another day by hand; the day must
 * satisfy every constraint the scheduler keeps. The drill keeps its id.
 * Moving the first drill of a rolling rule moves the second's window; a
 * move that would leave the second scheduled outside it is refused.
 * (Recording the first held, a fact, instead unplaces the second for the
 * next schedule.)
 * @return as drill_track_hold(); DRILL_ERANGE for a day outside its window,
 *         not a working day, blacked out, too close to the unit's other
 *         drills or over the district's observer capacity (the message says which)
 */
DRILL_EXTERN int drill_track_reschedule(drill_plan *plan, const char *drill_id, drill_date day, const char *actor,
                                        const char *reason);

/**
 * The tracking record of a drill.
 * @param out the struct to fill, its version set with DRILL_TRACK_INFO_INIT (or drill_track_info_init()): the fields of that version are written
 * @param plan the plan
 * @param drill_id the drill's id, UNIT/RULE/PERIOD
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an unknown drill
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_track_get(drill_track_info *out, const drill_plan *plan, const char *drill_id);

/**
 * The outcome of a drill held (info.has_outcome).
 * @param out a drill_outcome set up with DRILL_OUTCOME_INIT (or drill_outcome_init()): receives the
 *        fields of its version; observers and notes ("" if none) are borrowed from the plan until its
 *        next change
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EVERSION for out's version 0 or newer than the
 *         library; DRILL_ENOTFOUND for an unknown drill; DRILL_ENODATA for a drill not held
 */
DRILL_EXTERN int drill_track_outcome(drill_outcome *out, const drill_plan *plan, const char *drill_id);

/**
 * A corrective action of a drill by number (1 .. info.actions).
 * @param out the struct to fill, its version set with DRILL_ACTION_INIT (or drill_action_init()): the fields of that version are written
 *        (its strings are borrowed from the plan until its next change)
 * @param plan the plan
 * @param drill_id the drill's id, UNIT/RULE/PERIOD
 * @param number the action's number, 1 .. info.actions
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_track_action(drill_action *out, const drill_plan *plan, const char *drill_id, size_t number);

/** Number of audit entries. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_audit_count(const drill_plan *plan);

/**
 * An audit entry (0 .. drill_audit_count() - 1, oldest first).
 * @param out the struct to fill, its version set with DRILL_AUDIT_ENTRY_INIT (or drill_audit_entry_init()): the fields of that version are written
 *        (its strings live as long as the plan)
 * @param plan the plan
 * @param index 0 .. drill_audit_count() - 1
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_audit_get(drill_audit_entry *out, const drill_plan *plan, size_t index);

/** Name of a status ("held" ...). @return a static string */
DRILL_EXTERN const char *drill_status_name(drill_status status);
/** Name of an action status ("in progress" ...). @return a static string */
DRILL_EXTERN const char *drill_action_status_name(drill_action_status status);

#ifdef __cplusplus
}
#endif
#endif
