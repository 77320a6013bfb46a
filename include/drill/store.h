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

#ifdef __cplusplus
extern "C" {
#endif

/** An open store (opaque). One thread at a time. */
typedef struct drill_store drill_store;

/** Options for drill_store_open(). */
typedef struct drill_store_options {
    unsigned int version; /**< DRILL_STORE_OPTIONS_VERSION */
    int read_only;        /**< 1: open an existing store for reading only */
} drill_store_options;

#define DRILL_STORE_OPTIONS_VERSION 1
#define DRILL_STORE_OPTIONS_INIT { DRILL_STORE_OPTIONS_VERSION, 0 }

/**
 * Open a store, creating the file (writable) if it does not exist.
 *
 * The name chooses the database: a `postgresql://` or `postgres://` URI, or
 * a libpq conninfo string (`host=... dbname=...`), opens a PostgreSQL
 * store (the schema is created in an empty database, in the first schema
 * of its search_path); anything else is an SQLite file. A PostgreSQL
 * server that cannot be reached fails with DRILL_EIO and libpq's message
 * after connect_timeout (10 s unless the conninfo or PGCONNECT_TIMEOUT
 * says otherwise); TLS and authentication are whatever the conninfo,
 * ~/.pgpass, PGPASSFILE or PGSERVICE say. Messages never show a password.
 * @param out receives the store; close it with drill_store_close()
 * @param path the file, or a PostgreSQL URI or conninfo
 * @param opts options, or NULL for DRILL_STORE_OPTIONS_INIT
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EVERSION for a store
 *         of a newer libdrill (or an old one opened read-only); DRILL_ECORRUPT
 *         for a damaged or foreign file; DRILL_EIO; DRILL_ENOMEM
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
 * A full consistency check of the file (SQLite's integrity_check).
 * @param out_ok receives 1 if the file is sound
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO
 */
DRILL_EXTERN int drill_store_check(int *out_ok, drill_store *store);

/**
 * Save a plan with its units, rules, campaigns and calendar, replacing
 * that year's plan and registries, in one transaction.
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ESTATE for a read-only
 *         store; DRILL_EIO or DRILL_ECORRUPT from the file (nothing is
 *         written); DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_save(drill_store *store, const drill_plan *plan);

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
 * attachments. Freeing the plan or closing the store ends the attachment.
 * @return as drill_store_save()
 */
DRILL_EXTERN int drill_store_attach(drill_store *store, drill_plan *plan);

/** Stop writing a plan's changes through; NULL is allowed. */
DRILL_EXTERN void drill_store_detach(drill_store *store);

#ifdef __cplusplus
}
#endif
#endif
