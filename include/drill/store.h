/**
 * @file drill/store.h
 * @brief The store: units, rules, campaigns, holidays, plans, tracking and
 * the audit trail in one SQLite file.
 *
 * drill_store_save() writes a plan and everything it was made from (its
 * units, classes, rules, campaigns and holidays, kept per year) in one
 * transaction, replacing what the store held for that year;
 * drill_store_load() makes them all again. While a plan is attached
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
 * @param out receives the store; close it with drill_store_close()
 * @param path the file
 * @param opts options, or NULL for DRILL_STORE_OPTIONS_INIT
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EVERSION for a store
 *         of a newer libdrill (or an old one opened read-only); DRILL_ECORRUPT
 *         for a damaged or foreign file; DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_open(drill_store **out, const char *path, const drill_store_options *opts);

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
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND if the store
 *         has no plan for the year; DRILL_ECORRUPT for rows that do not make
 *         a valid plan; DRILL_EIO; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_store_load(drill_plan **out_plan, drill_units **out_units, drill_rules **out_rules,
                                  drill_campaigns **out_campaigns, drill_calendar **out_cal, drill_store *store,
                                  int year);

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
