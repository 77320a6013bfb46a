/**
 * @file drill/store.h
 * @brief The store: units, rules, campaigns, holidays, plans, tracking and
 * the audit trail in one SQLite file.
 *
 * drill_store_save() writes a plan and everything it was made from (its
 * units, classes, rules, campaigns and holidays, kept per year) in one
 * transaction, replacing what the store held for that year;
 * drill_store_load() makes them all again.
 *
 * Besides the plans' own copies, a store keeps one set of *working
 * registries*: the units, rules, campaigns and holidays being maintained
 * before any plan exists and between plans (drill_store_save_registries(),
 * drill_store_load_registries()). A new plan is made from them; an existing
 * plan takes them in with drill_store_load_plan(), which puts the plan's
 * state (days, tracking, audit trail) onto them. While a plan is attached
 * (drill_store_attach()), every tracking call (drill/track.h) writes
 * through: it is durable when it returns, or it fails and changes nothing.
 * Scheduling, refreshing and the plan's setters are not written through:
 * save the plan after them (a tracking call on a drill the store does not
 * have yet fails with DRILL_ESTATE).
 *
 * The file is SQLite in WAL mode (readers are not blocked by the writer)
 * with foreign keys on and synchronous=FULL. It carries a schema version:
 * an older file is migrated forward when opened writable; a file written by
 * a newer libdrill is refused with DRILL_EVERSION; a damaged file, or an
 * SQLite database that is not a libdrill store, with DRILL_ECORRUPT. All SQL
 * lives behind a small storage interface (libdrill/store_backend.h) so that
 * another database can be added without touching the rest.
 */
#ifndef DRILL_STORE_H
#define DRILL_STORE_H

#include <stddef.h>
#include "common.h"
#include "calendar.h"
#include "campaign.h"
#include "unit.h"
#include "rule.h"
#include "plan.h"
#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open store (opaque). One thread at a time. */
typedef struct drill_store drill_store;

/** Options for drill_store_open(). */
typedef struct drill_store_options {
    unsigned int version; /**< DRILL_STORE_OPTIONS_VERSION (1 and 2 are accepted) */
    /** 1: open an existing store for reading only. A store on read-only
     *  media, or in a folder the user cannot write, is then read as
     *  immutable (SQLite's immutable mode: nobody can be writing it). */
    int read_only;
    /** version 2: 1 to refuse a missing or empty file with DRILL_ENOTFOUND
     *  instead of making a store of it (only drill_store_open() by a
     *  program that makes stores should create one) */
    int existing_only;
} drill_store_options;

#define DRILL_STORE_OPTIONS_VERSION 2
#define DRILL_STORE_OPTIONS_INIT { DRILL_STORE_OPTIONS_VERSION, 0, 0 }

/**
 * Fill a drill_store_options with the defaults of DRILL_STORE_OPTIONS_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_STORE_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_store_options_init(drill_store_options *out, unsigned int version);

/**
 * Open a store, creating the file (writable) if it does not exist. Two
 * processes making or migrating one store at once are safe: one migrates,
 * the other finds it done.
 *
 * The name chooses the database: a `postgresql://` or `postgres://` URI, or
 * a libpq conninfo string (`host=... dbname=...`), opens a PostgreSQL
 * store (the schema is created in an empty database, in the first schema
 * of its search_path; read-only or with existing_only, an empty database is
 * DRILL_ENOTFOUND); anything else is an SQLite file. A PostgreSQL server
 * that cannot be reached fails with DRILL_EIO and libpq's message after
 * connect_timeout (10 s unless the conninfo or PGCONNECT_TIMEOUT says
 * otherwise); TLS and authentication are whatever the conninfo, ~/.pgpass,
 * PGPASSFILE or PGSERVICE say. Messages never show a password.
 * @param out receives the store; close it with drill_store_close()
 * @param path the file, or a PostgreSQL URI or conninfo
 * @param opts options, or NULL for DRILL_STORE_OPTIONS_INIT
 * @return 0; DRILL_EINVAL for a NULL pointer, a path that is a directory,
 *         FIFO, device or socket (refused at once, never opened), or a file
 *         with more than one hard link opened writable; DRILL_ENOTFOUND for
 *         an empty file opened read-only, or a missing or empty one with
 *         existing_only; DRILL_EVERSION for a store of a newer libdrill (or
 *         an old one opened read-only); DRILL_ECORRUPT for a damaged or
 *         foreign file; DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_open(drill_store **out, const char *path, const drill_store_options *opts);

/**
 * Whether a store's name names a database server (a PostgreSQL URI or
 * conninfo) rather than a file: a server store needs no file lock, the
 * database serialises its writers.
 * @param name a store's name, as given to drill_store_open()
 * @return 1 for a server store, 0 for a file (and for NULL)
 */
DRILL_EXTERN int drill_store_is_server(const char *name);

/**
 * A store's name as it may be shown: a PostgreSQL URI or conninfo with its
 * password replaced by `***`; a file name as it is.
 * @param out receives the name, NUL-terminated
 * @param size the size of out
 * @param name a store's name, as given to drill_store_open()
 * @return 0; DRILL_EINVAL for a NULL pointer or a size of 0; DRILL_ERANGE
 *         if the name does not fit (out then holds an empty string, or for
 *         a server a placeholder that shows nothing of the name)
 */
DRILL_EXTERN int drill_store_display_name(char *out, size_t size, const char *name);

/** Close a store (detaching its plan); NULL is allowed. */
DRILL_EXTERN void drill_store_close(drill_store *store);

/**
 * The store's schema version.
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO
 */
DRILL_EXTERN int drill_store_schema_version(int *out, drill_store *store);

/**
 * A full consistency check of the store: of an SQLite file its pages
 * (integrity_check) and its rows' references (foreign_key_check); of a
 * PostgreSQL database its tables, and rows something other than libdrill
 * wrote that name what the store lacks (rows of a year with no plan, a
 * unit of a class its year lacks). Reads the whole store.
 * @param out_ok receives 1 if the store is sound
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO
 */
DRILL_EXTERN int drill_store_check(int *out_ok, drill_store *store);

/**
 * drill_store_check(), and what it found: "ok" for a sound store, else the
 * first problem, on one line, led by the table it is in where there is one
 * (PostgreSQL: "tracks: 2 rows of a year with no plan"; SQLite: "tracks: a
 * row names a row of plans that is not there"; of a damaged SQLite file
 * the first problem its integrity_check finds, "On tree page 16 cell 65:
 * ..." and the like).
 * @param out_ok receives 1 if the store is sound
 * @param out_detail receives the finding, NUL-terminated, cut at a
 *        character boundary to fit; empty when the check itself fails
 * @param size the size of out_detail
 * @return 0; DRILL_EINVAL for a NULL pointer or a size of 0; DRILL_EIO
 */
DRILL_EXTERN int drill_store_check_detail(int *out_ok, char *out_detail, size_t size, drill_store *store);

/**
 * Save a plan with its units, rules, campaigns and calendar, replacing
 * that year's plan and registries, in one transaction.
 *
 * A plan read from this store (drill_store_load(), drill_store_load_plan(),
 * drill_store_load_unit()) and changed since only by tracking calls writes
 * those changes alone: the drills whose revision moved, each only if the
 * store still has the revision the plan read, their tracking rows and
 * actions, and the new audit entries at the end of the year's trail; a
 * drill another writer changed meanwhile is neither read nor overwritten.
 * A plan read from this store and rescheduled or refreshed since is saved
 * whole, but only if no drill changed in the store since the plan read it
 * (each drill's revision is compared): a drill another writer recorded
 * meanwhile is never overwritten or moved back (one unit's part is never
 * saved whole: DRILL_ESTATE). Either save fails with DRILL_ECONFLICT
 * naming the first drill and both revisions, and writes nothing;
 * drill_store_refresh() takes the other writers' changes in, and the save
 * can be made again. A plan made afresh, or read from another store,
 * replaces the year as it is. Units or rules changed after the plan was
 * made reach the store when the plan takes them in (drill_plan_refresh()).
 * Afterwards the plan records that the store holds it (so
 * drill_store_attach() need not write it again).
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ESTATE for a read-only
 *         store; DRILL_ECONFLICT as above; DRILL_EIO or DRILL_ECORRUPT from
 *         the file (nothing is written); DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_save(drill_store *store, drill_plan *plan);

/**
 * Load a year's plan and everything it was made from. The plan borrows
 * the other four objects; the caller frees all five (the plan first).
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ERANGE for a year
 *         outside 1900-2200; DRILL_ENOTFOUND if the store has no plan for
 *         the year; DRILL_ECORRUPT for rows that do not make a valid plan;
 *         DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_load(drill_plan **out_plan, drill_units **out_units, drill_rules **out_rules,
                                  drill_campaigns **out_campaigns, drill_calendar **out_cal, drill_store *store,
                                  int year);

/**
 * Save the working registries, replacing the ones the store held, in one
 * transaction. Plans and their own registries are left alone.
 * @param store the store
 * @param units the units and their classes and blackouts
 * @param rules the rules
 * @param campaigns the campaigns with their per-year windows
 * @param cal the calendar: its holidays, make-up working days, covered
 *        years and uncovered-year policy
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ESTATE for a read-only
 *         store; DRILL_EIO or DRILL_ECORRUPT from the file (nothing is
 *         written); DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_save_registries(drill_store *store, const drill_units *units, const drill_rules *rules,
                                             const drill_campaigns *campaigns, const drill_calendar *cal);

/**
 * Load the working registries saved with drill_store_save_registries().
 * Nothing is handed over on failure.
 * @param out_units receives the units; free with drill_units_free()
 * @param out_rules receives the rules; free with drill_rules_free()
 * @param out_campaigns receives the campaigns; free with drill_campaigns_free()
 * @param out_cal receives the calendar; free with drill_calendar_free()
 * @param store the store
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND if none were
 *         ever saved (a store that holds only plans); DRILL_ECORRUPT for
 *         rows that do not make valid registries; DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_load_registries(drill_units **out_units, drill_rules **out_rules,
                                             drill_campaigns **out_campaigns, drill_calendar **out_cal,
                                             drill_store *store);

/**
 * Load one unit's part of a year's plan: the plan as drill_store_load()
 * makes it, but of that unit alone (its drills with their days, states,
 * revisions, tracking records and actions, and their audit entries), on
 * the registries the plan was saved with (that unit, every class, rule and
 * campaign, the calendar). It reads a few rows by index, so it costs the
 * same on a store of any size: the way to show one drill, or to make one
 * tracking change, without loading the year.
 *
 * Attach it (drill_store_attach(), which writes nothing for it) and its
 * tracking calls are written through with the revision check of
 * drill_store_attach(). It is never saved whole (drill_store_save() fails
 * with DRILL_ESTATE), and moving a drill by hand (drill_track_reschedule())
 * checks only this unit's constraints, not the district's observer
 * capacity: use the whole plan for that. drill_store_refresh() takes in
 * this unit's changes only.
 * @param out_plan, out_units, out_rules, out_campaigns, out_cal receive the
 *        plan and the registries it borrows; the caller frees all five (the
 *        plan first); nothing is handed over on failure
 * @param store the store
 * @param year the plan's year
 * @param unit_id the unit
 * @return 0; DRILL_EINVAL for a NULL pointer or an empty or over-long unit
 *         id; DRILL_ERANGE for a year outside 1900-2200; DRILL_ENOTFOUND if
 *         the store has no plan for the year, or the plan no such unit;
 *         DRILL_ECORRUPT; DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_load_unit(drill_plan **out_plan, drill_units **out_units, drill_rules **out_rules,
                                       drill_campaigns **out_campaigns, drill_calendar **out_cal, drill_store *store,
                                       int year, const char *unit_id);

/**
 * Load a year's plan onto registries the caller gives (the working ones,
 * typically) instead of the ones it was saved with: the drills they
 * require are made afresh, and each one the stored plan had keeps its day,
 * state, revision and tracking record; the audit trail, closed days,
 * district capacities, history and schedule options come back too. Drills
 * the registries no longer require leave the plan (their tracking records
 * are kept, as after drill_plan_refresh()); drills they newly require are
 * planned, unplaced; closed days and capacities of districts, and history
 * of units or rules, they no longer have are dropped. A kept day that is no
 * longer valid (a new holiday, blackout or spacing) stays until the next
 * drill_plan_schedule() moves it, and drill_plan_quality() counts it
 * among the violations meanwhile. drill_store_save() then writes the plan
 * with these registries as its own.
 * @param out receives the plan, which borrows the four registries (they
 *        must outlive it); free it with drill_plan_free()
 * @param store the store
 * @param year the plan's year
 * @param units, rules, campaigns, cal the registries
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ERANGE for a year
 *         outside 1900-2200; DRILL_ENOTFOUND if the store has no plan for
 *         the year, or a rule names a campaign that is not in campaigns;
 *         DRILL_ENODATA if the calendar does not cover the year and the
 *         plan was not made with allow_uncovered; DRILL_ECORRUPT for rows
 *         that do not make a valid plan; DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_load_plan(drill_plan **out, drill_store *store, int year, const drill_units *units,
                                       const drill_rules *rules, const drill_campaigns *campaigns,
                                       const drill_calendar *cal);

/**
 * The years the store has a plan for, in ascending order.
 * @param out_years receives up to size years; may be NULL when size is 0.
 *        A store has at most DRILL_DATE_MAX_YEAR - DRILL_DATE_MIN_YEAR + 1
 *        (301) plans, so an array that long always suffices.
 * @param size the number of ints out_years has room for
 * @param out_count receives the number of plans (which may exceed size)
 * @param store the store
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO
 */
DRILL_EXTERN int drill_store_plan_years(int *out_years, size_t size, size_t *out_count, drill_store *store);

/**
 * Save a plan and keep writing its tracking changes through to the store,
 * each durable when its call returns. A store writes one plan through at a
 * time and a plan goes to one store: attaching replaces both earlier
 * attachments. A plan the store already holds as it is (just loaded from
 * it, or saved to it) is not written again.
 *
 * Each written-through change is applied only if the drill is still at the
 * revision the plan read: if another writer changed it first, the call
 * fails with DRILL_ECONFLICT (naming the drill and both revisions), the
 * plan and the store are left as they were, and drill_store_refresh_drill()
 * or drill_store_refresh() catch the plan up. Audit entries are numbered by
 * the store, so writers never collide.
 *
 * Freeing the plan or drill_store_detach() ends the attachment; closing the
 * store leaves the plan refusing tracking calls with DRILL_ESTATE ("the
 * plan's store is closed") rather than changing it in memory only.
 * @param store the store; it borrows the plan until the attachment ends
 * @param plan the plan to save and write through (still the caller's to free)
 * @return as drill_store_save(); DRILL_ESTATE for a read-only store
 */
DRILL_EXTERN int drill_store_attach(drill_store *store, drill_plan *plan);

/**
 * Stop writing a plan's changes through.
 * @param store the store whose attached plan is let go (the plan stays the
 *        caller's); NULL, or a store without a plan, is allowed
 */
DRILL_EXTERN void drill_store_detach(drill_store *store);

/**
 * Group the attached plan's next written-through changes into one
 * transaction, until drill_store_commit(): all of them are durable, or none
 * (several changes that belong together, such as a drill held, evaluated
 * and closed in one form). Other writers wait meanwhile: keep groups short.
 * @param store the store with the attached plan
 * @return 0; DRILL_EINVAL for NULL; DRILL_ESTATE without an attached plan
 *         or inside a group already; DRILL_EIO
 */
DRILL_EXTERN int drill_store_begin(drill_store *store);

/**
 * Make a group's changes durable. If that fails, or if a change of the
 * group failed (it was refused, say with DRILL_ECONFLICT), the group is
 * rolled back as by drill_store_rollback(): all of it, or none.
 * @param store the store inside a group
 * @return 0; DRILL_EINVAL for NULL; DRILL_ESTATE outside a group, or after
 *         a change of the group failed; DRILL_EIO
 */
DRILL_EXTERN int drill_store_commit(drill_store *store);

/**
 * Drop a group's changes from the store. The attached plan still has them
 * in memory, so it no longer shows the store: it is detached, and refuses
 * tracking calls with DRILL_ESTATE until loaded again.
 * @param store the store inside a group; NULL, or a store outside a group,
 *        is allowed (nothing happens)
 */
DRILL_EXTERN void drill_store_rollback(drill_store *store);

/**
 * The coverage report of drill_report_coverage(), straight from the store:
 * the same table (rows, order and cells) without loading the plan. The
 * store keeps the year's drills counted by group, state and window end,
 * moved with every change, so this reads a few hundred rows on a store of
 * any size, inside one read transaction.
 * @param out receives the table; free it with drill_table_free()
 * @param store the store
 * @param year the plan's year
 * @param by the grouping
 * @param today the day overdue drills are counted against
 * @return 0; DRILL_EINVAL for a NULL pointer or an unknown grouping;
 *         DRILL_ERANGE for a year outside 1900-2200 or an invalid date;
 *         DRILL_ENOTFOUND if the store has no plan for the year;
 *         DRILL_ENODATA for a plan an older libdrill saved (not counted
 *         until it is saved again: use drill_report_coverage() on the
 *         loaded plan); DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_report_coverage(drill_table **out, drill_store *store, int year, drill_group_by by,
                                             drill_date today);

/**
 * The overdue list of drill_report_noncompliant(), straight from the
 * store: the same table (rows, order and cells) without loading the plan,
 * read by index (the drills planned or scheduled whose window ended before
 * today), inside one read transaction.
 * @param out receives the table; free it with drill_table_free()
 * @param store the store
 * @param year the plan's year
 * @param today the day before which a window must have ended
 * @return as drill_store_report_coverage()
 */
DRILL_EXTERN int drill_store_report_overdue(drill_table **out, drill_store *store, int year, drill_date today);

/**
 * The reminders of drill_report_reminders(), straight from the store: the
 * same table (rows, order and cells) without loading the plan, read by
 * index (drills scheduled from today to today + days_ahead, drills overdue,
 * open corrective actions past their due date), inside one read
 * transaction.
 * @param out receives the table; free it with drill_table_free()
 * @param store the store
 * @param year the plan's year
 * @param today the day the reminders are for
 * @param days_ahead how many days ahead a scheduled drill is "due"
 * @return as drill_store_report_coverage(); DRILL_EINVAL for days_ahead < 0
 */
DRILL_EXTERN int drill_store_report_reminders(drill_table **out, drill_store *store, int year, drill_date today,
                                              int days_ahead);

/**
 * The corrective actions of drill_report_actions(), straight from the
 * store: the same table (rows, order and cells) without loading the plan,
 * inside one read transaction.
 * @param out receives the table; free it with drill_table_free()
 * @param store the store
 * @param year the plan's year
 * @param today the day an open action is overdue after its due date
 * @return as drill_store_report_coverage()
 */
DRILL_EXTERN int drill_store_report_actions(drill_table **out, drill_store *store, int year, drill_date today);

/**
 * A year's drills straight from the store, without loading the plan: one
 * row per drill the filter selects, in the plan's order (by unit, then
 * rule, then period), with the columns id, unit_id, unit_name, district,
 * campaign, rule_id, status, date, reason, window_start, window_end,
 * revision, start, end (HH:MM, empty without a day), kind, form (as the
 * feeds name them: comprehensive, special, onsite; live, tabletop),
 * scenario and observer (1 if it counts against the district's observers):
 * status and reason by drill_status_name() and drill_reason_name(), date
 * and window empty where there is none. The
 * filter means what it means to drill_plan_select(): unit, district,
 * campaign ("" for none), rule, several states at once (statuses), and a
 * date range (drills on a day in it, and unplaced drills whose window
 * overlaps it). With a unit the rows are read by index (the same cost on
 * a store of any size); otherwise the year's rows are read once. One read
 * transaction.
 * @param out receives the table; free it with drill_table_free()
 * @param store the store
 * @param year the plan's year
 * @param filter what to select (NULL: every drill)
 * @return as drill_store_report_coverage(); DRILL_EVERSION for a filter
 *         version this library does not know
 */
DRILL_EXTERN int drill_store_list_drills(drill_table **out, drill_store *store, int year, const drill_filter *filter);

/** Where a plan's tracking changes go (drill_store_attachment()). */
typedef enum drill_attachment {
    DRILL_DETACHED = 0,     /**< nowhere: the plan is an in-memory copy */
    DRILL_ATTACHED = 1,     /**< written through to an open store */
    DRILL_STORE_CLOSED = 2  /**< its store was closed: every tracking call fails with DRILL_ESTATE
                                 until the plan is attached to an open store */
} drill_attachment;

/**
 * Whether, and to what, a plan is attached.
 * @param out_store receives the store it is attached to (borrowed), or NULL;
 *        may itself be NULL
 * @param plan the plan
 * @return a drill_attachment (>= 0); DRILL_EINVAL for a NULL plan
 */
DRILL_EXTERN int drill_store_attachment(drill_store **out_store, const drill_plan *plan);

/**
 * Take in every change other writers made to the plan's year since the plan
 * last read the store or wrote to it: each changed drill's day, state,
 * revision, tracking record and actions, and their audit entries (the
 * plan's trail then follows the store's numbering). Reads one state of the
 * store; costs what changed, not the plan's size.
 *
 * A write-through change that failed with DRILL_ECONFLICT can be made again
 * after this (or after drill_store_refresh_drill()).
 * @param out_changes receives the number of audit entries taken in; may be NULL
 * @param store the store the plan was read from
 * @param plan the plan
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ESTATE if the plan was
 *         not read from this store, or has changes the store does not have
 *         yet (save or attach it first); DRILL_ECORRUPT; DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_refresh(size_t *out_changes, drill_store *store, drill_plan *plan);

/**
 * Take in one drill as the store has it now (its day, state, revision,
 * tracking record and actions). Its audit entries join the plan's trail at
 * the next drill_store_refresh().
 * @param store the store the plan was read from
 * @param plan the plan
 * @param drill_id the drill's id
 * @return as drill_store_refresh(); DRILL_ENOTFOUND if the plan or the
 *         store has no such drill
 */
DRILL_EXTERN int drill_store_refresh_drill(drill_store *store, drill_plan *plan, const char *drill_id);

#ifdef __cplusplus
}
#endif
#endif
