/**
 * @file drill/unit.h
 * @brief Units: the enterprises, schools, government organs and communities
 * that must drill, and their classes.
 *
 * A registry holds units by a stable string id. Each unit has a UTF-8 name,
 * an area path ("大连市/中山区/青泥洼桥街道": city / district / street or
 * township, separated by '/'), a class, headcount, address, contact and
 * phone, a risk level, flood-prone and key-fire-unit flags, and blackout
 * dates on which it cannot drill. The district of a unit is the first two
 * components of its area path; the scheduler's observer capacity is per
 * district.
 *
 * ## Classes
 *
 * Built in (id, flags, default scenario): hazardous-chemicals, mining,
 * metallurgy, construction, urban-rail (production, high risk); hotel,
 * mall, entertainment, scenic-area (production, high risk, crowded venue);
 * key-fire-unit (production, key fire-safety unit); enterprise (production);
 * hospital, community (public); government (government organ); township
 * (township or sub-district office); school (primary and secondary),
 * kindergarten, boarding-school, special-school (public, with terms);
 * high-rise-public (production) and high-rise-residential (public). Rules
 * select units by class id or by these flags; callers add their own classes.
 *
 * Key fire-safety units by class (MPS order 61 art. 13): hazardous-chemicals,
 * urban-rail, hotel, mall, entertainment, key-fire-unit, hospital,
 * government, kindergarten, boarding-school and high-rise-public carry
 * DRILL_CLASS_KEY_FIRE. A unit's key_fire field overrides its class: 1 makes
 * any unit a key unit, -1 takes a unit of a key class out, 0 follows the class.
 *
 * ## Terms and breaks
 *
 * A class with DRILL_CLASS_TERMS (schools, kindergartens) drills in term,
 * not in its breaks: the plan puts its drills in the longest run of term
 * days of each window, and a month or quarter with fewer than five term
 * days is not required. A class's breaks are its dated breaks
 * (drill_units_add_break(), or a terms CSV) and its yearly breaks; in a
 * year with a dated break of the same name (that year's 寒假), the yearly
 * one gives way to it. The second window of a rolling rule follows the first drill's day
 * and is not cut to term. The built-in classes with terms start
 * with the Dalian default (approximate, from recent Dalian school
 * calendars): winter break January 20 - February 20, summer break July 11 -
 * August 31. Terms CSV: a header row naming `class`, `from`, `to`, `name`;
 * `from` and `to` are `YYYY-MM-DD` (a dated break) or `MM-DD` (a yearly break).
 *
 * ## Units CSV
 *
 * UTF-8 with or without a BOM, RFC 4180 quoting (embedded commas, quotes and
 * newlines), a header row naming the columns in any order; unknown columns
 * are ignored. Required: `id`, `name`, `area`, `class`. Optional: `headcount`
 * (a whole number), `address`, `contact`, `phone`, `risk` (`1`-`4`, `low`,
 * `general`, `higher`, `major`, or 低, 一般, 较大, 重大; empty = unset),
 * `flood_prone` and `key_fire` (`1`/`0`, `yes`/`no`, `true`/`false`,
 * 是/否; empty = no; `key_fire` `-1`: not a key unit whatever its class, `0`:
 * as its class), `blackouts` (dates `YYYY-MM-DD` or ranges
 * `YYYY-MM-DD..YYYY-MM-DD`, separated by `;`). drill_units_export_csv()
 * writes every column, so an export imports back to the same registry.
 */
#ifndef DRILL_UNIT_H
#define DRILL_UNIT_H

#include <stddef.h>
#include "common.h"
#include "date.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A registry of units and classes (opaque). One thread at a time. */
typedef struct drill_units drill_units;

/** Risk level (China's four-colour grading). */
typedef enum drill_risk {
    DRILL_RISK_UNSET = 0,   /**< not graded */
    DRILL_RISK_LOW = 1,     /**< 低风险 (blue) */
    DRILL_RISK_GENERAL = 2, /**< 一般风险 (yellow) */
    DRILL_RISK_HIGHER = 3,  /**< 较大风险 (orange) */
    DRILL_RISK_MAJOR = 4    /**< 重大风险 (red) */
} drill_risk;

/** What a class is, for rules to select by. */
typedef enum drill_class_flag {
    DRILL_CLASS_PRODUCTION = 1 << 0, /**< a production or business unit (plan rules Art. 33) */
    DRILL_CLASS_HIGH_RISK = 1 << 1,  /**< a decree 708 Art. 8 industry or crowded venue */
    DRILL_CLASS_CROWDED = 1 << 2,    /**< a crowded venue: hotel, mall, entertainment venue, scenic area */
    DRILL_CLASS_KEY_FIRE = 1 << 3,   /**< a key fire-safety unit */
    DRILL_CLASS_GOVERNMENT = 1 << 4, /**< a government organ or department */
    DRILL_CLASS_TOWNSHIP = 1 << 5,   /**< a township or sub-district office */
    DRILL_CLASS_PUBLIC = 1 << 6,     /**< a school, hospital or community: the public */
    DRILL_CLASS_TERMS = 1 << 7       /**< a school or kindergarten: drills fall in term, not in its breaks */
} drill_class_flag;

/** A unit class. Strings are copied by drill_units_add_class(). */
typedef struct drill_class_def {
    unsigned int version; /**< DRILL_CLASS_DEF_VERSION */
    const char *id;       /**< 1-63 of [A-Za-z0-9._-] */
    const char *name;     /**< UTF-8 name, required */
    const char *name_en;  /**< English name or NULL */
    unsigned int flags;   /**< drill_class_flag bits */
    const char *scenario; /**< default drill scenario for the class (see drill/rule.h), or NULL for "fire" */
} drill_class_def;

#define DRILL_CLASS_DEF_VERSION 1
#define DRILL_CLASS_DEF_INIT { DRILL_CLASS_DEF_VERSION, NULL, NULL, NULL, 0, NULL }

/**
 * Fill a drill_class_def with the defaults of DRILL_CLASS_DEF_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_CLASS_DEF_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_class_def_init(drill_class_def *out, unsigned int version);

/** A unit. To add one, strings are copied; from drill_units_get(), they are borrowed. */
typedef struct drill_unit {
    unsigned int version;   /**< DRILL_UNIT_VERSION */
    const char *id;         /**< stable id: 1-127 bytes of UTF-8 without control characters, required */
    const char *name;       /**< UTF-8 name, required */
    const char *area;       /**< area path "city/district/street", at least "city/district", at most 511 bytes, required */
    const char *unit_class; /**< a class id in the registry, required */
    const char *address;    /**< or NULL */
    const char *contact;    /**< the responsible person, or NULL */
    const char *phone;      /**< or NULL */
    int headcount;          /**< people on site, >= 0 */
    drill_risk risk;        /**< risk level */
    int flood_prone;        /**< 1 if flood-prone */
    int key_fire;           /**< the unit's own say: 1 a key fire-safety unit, -1 not one whatever its class,
                                 0 as its class (DRILL_CLASS_KEY_FIRE). drill_units_get() returns this own
                                 value, so writing a unit read back changes nothing; drill_units_is_key_fire()
                                 answers whether it is one */
} drill_unit;

#define DRILL_UNIT_VERSION 1
#define DRILL_UNIT_INIT { DRILL_UNIT_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, DRILL_RISK_UNSET, 0, 0 }

/**
 * Fill a drill_unit with the defaults of DRILL_UNIT_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_UNIT_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_unit_init(drill_unit *out, unsigned int version);

/** One problem found in an import. */
typedef struct drill_import_error {
    unsigned int version; /**< DRILL_IMPORT_ERROR_VERSION: set by the caller (DRILL_IMPORT_ERROR_INIT), kept by the library */
    int code;            /**< DRILL_EPARSE, DRILL_EEXISTS, ... */
    int line;            /**< 1-based line */
    int column;          /**< 1-based column in characters */
    const char *message; /**< what is wrong; borrowed from the report */
} drill_import_error;

#define DRILL_IMPORT_ERROR_VERSION 1
/** A drill_import_error to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_IMPORT_ERROR_INIT { .version = DRILL_IMPORT_ERROR_VERSION }

/**
 * Set up a drill_import_error for a function to fill, for bindings and languages that
 * cannot use DRILL_IMPORT_ERROR_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_IMPORT_ERROR_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_import_error_init(drill_import_error *out, unsigned int version);

/** The errors of an import (opaque); free with drill_import_report_free(). */
typedef struct drill_import_report drill_import_report;

/** Import options. */
typedef struct drill_import_options {
    unsigned int version; /**< DRILL_IMPORT_OPTIONS_VERSION */
    int all_errors;       /**< 1: go on after a bad row and report every error (up to max_errors) */
    int skip_bad_rows;    /**< 1: import the good rows even when some are bad (implies all_errors) */
    int max_errors;       /**< report at most this many errors (0 = 1000); with skip_bad_rows the good rows after them are still imported */
} drill_import_options;

#define DRILL_IMPORT_OPTIONS_VERSION 1
/* Defaults: stop at the first bad row and import nothing. */
#define DRILL_IMPORT_OPTIONS_INIT { DRILL_IMPORT_OPTIONS_VERSION, 0, 0, 0 }

/**
 * Fill a drill_import_options with the defaults of DRILL_IMPORT_OPTIONS_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_IMPORT_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_import_options_init(drill_import_options *out, unsigned int version);

/**
 * An empty registry with the built-in classes.
 * @param out receives the registry; free it with drill_units_free()
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_new(drill_units **out);

/** Free a registry; NULL is allowed. */
DRILL_EXTERN void drill_units_free(drill_units *units);

/**
 * Copy a registry.
 * @param out receives the copy; free it with drill_units_free()
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_dup(drill_units **out, const drill_units *units);

/**
 * Add a class.
 * @return 0; DRILL_EINVAL for a NULL pointer, a bad id or a missing name;
 *         DRILL_EVERSION; DRILL_EEXISTS if the id is taken; DRILL_ERANGE past
 *         65535 classes; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_add_class(drill_units *units, const drill_class_def *def);

/** Number of classes. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_units_class_count(const drill_units *units);

/**
 * A class by index (0 .. drill_units_class_count() - 1).
 * @param out receives the class; its strings are borrowed from units until
 *        (its version set with DRILL_CLASS_DEF_INIT (or drill_class_def_init()); the fields of that version are written)
 *        the registry is next changed or freed
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_units_class_at(drill_class_def *out, const drill_units *units, size_t index);

/**
 * Add a unit.
 * @return 0; DRILL_EINVAL for a NULL pointer, a missing or malformed field
 *         (the message names it); DRILL_EVERSION; DRILL_ENOTFOUND for an
 *         unknown class; DRILL_EEXISTS for an id already in the registry;
 *         DRILL_ERANGE past 4294967294 units; DRILL_ENOMEM (also past 4 GiB of text)
 */
DRILL_EXTERN int drill_units_add(drill_units *units, const drill_unit *unit);

/**
 * Replace the fields of the unit with unit->id (its blackouts are kept).
 * @return as drill_units_add(), but DRILL_ENOTFOUND for an unknown id
 */
DRILL_EXTERN int drill_units_update(drill_units *units, const drill_unit *unit);

/** Number of units. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_units_count(const drill_units *units);

/**
 * Find a unit by id.
 * @param out receives its index
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND
 */
DRILL_EXTERN int drill_units_find(size_t *out, const drill_units *units, const char *id);

/**
 * A unit by index, in the order units were added.
 * @param out receives the unit; its strings are borrowed from units and live
 *        (its version set with DRILL_UNIT_INIT (or drill_unit_init()); the fields of that version are written)
 *        until the registry is changed or freed
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_units_get(drill_unit *out, const drill_units *units, size_t index);

/**
 * Whether a unit is a key fire-safety unit: flagged itself (drill_unit.key_fire)
 * or of a class with DRILL_CLASS_KEY_FIRE. Rules with key_fire match on this.
 * @param out receives 1 or 0
 * @param units the registry
 * @param index the unit's index
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 */
DRILL_EXTERN int drill_units_is_key_fire(int *out, const drill_units *units, size_t index);

/**
 * The district of a unit (the first two components of its area path) and
 * its index among the registry's districts.
 * @param out_district receives the district's index, or NULL
 * @param out_name receives the district path, borrowed, or NULL
 * @return 0; DRILL_EINVAL if units is NULL; DRILL_ENOTFOUND for an index out of range
 */
DRILL_EXTERN int drill_units_district_of(size_t *out_district, const char **out_name, const drill_units *units,
                                         size_t index);

/** Number of distinct districts. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_units_district_count(const drill_units *units);

/**
 * A district's path ("大连市/中山区") by index.
 * @param out receives the name, borrowed from units
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 */
DRILL_EXTERN int drill_units_district_name(const char **out, const drill_units *units, size_t district);

/**
 * Add blackout days (from .. to, both included) to a unit.
 * @return 0; DRILL_EINVAL for a NULL pointer or to before from; DRILL_ERANGE
 *         for an invalid date; DRILL_ENOTFOUND for an unknown id; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_add_blackout(drill_units *units, const char *id, drill_date from, drill_date to);

/**
 * Whether a unit is blacked out on a day.
 * @param out receives 1 or 0
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index
 *         out of range; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_units_is_blacked_out(int *out, const drill_units *units, size_t index, drill_date day);

/**
 * Import units from a CSV file (format in the file comment).
 *
 * By default the first bad row stops the import and nothing is imported;
 * drill_error_last() names its line and column. With opts->all_errors every
 * bad row is reported in *out_report; with opts->skip_bad_rows the good rows
 * are imported all the same (and the call returns 0 if any row was good).
 *
 * @param out_report receives the errors (also when there are none), or NULL;
 *        free it with drill_import_report_free()
 * @param out_imported receives the number of units imported, or NULL
 * @param units the registry
 * @param path the file
 * @param opts options or NULL for DRILL_IMPORT_OPTIONS_INIT
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EVERSION; DRILL_EIO;
 *         DRILL_EPARSE for a malformed file or row (a bad field, a control
 *         character in an id, a too long id or area); DRILL_EEXISTS for a
 *         duplicate id; DRILL_ENOTFOUND for an unknown class; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_import_csv(drill_import_report **out_report, size_t *out_imported, drill_units *units,
                                        const char *path, const drill_import_options *opts);

/**
 * Import units from CSV text in memory; as drill_units_import_csv().
 * @param out_report receives the rows' errors, or NULL (as drill_units_import_csv())
 * @param out_imported receives the number of units added, or NULL
 * @param units the set to add to
 * @param data the text, len bytes (no terminating NUL needed), read only during the call
 * @param len its length in bytes
 * @param source the name errors give for the text; NULL = "<buffer>"
 * @param opts options, or NULL (as drill_units_import_csv())
 * @return as drill_units_import_csv()
 */
DRILL_EXTERN int drill_units_import_csv_buffer(drill_import_report **out_report, size_t *out_imported,
                                               drill_units *units, const char *data, size_t len,
                                               const char *source, const drill_import_options *opts);

/**
 * Write every unit as CSV (UTF-8, no BOM, CRLF line ends, a header row),
 * to a temporary file renamed over path when complete.
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO
 */
DRILL_EXTERN int drill_units_export_csv(const drill_units *units, const char *path);

/** Number of errors in a report. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_import_report_count(const drill_import_report *report);

/**
 * An error of a report by index.
 * @param out receives the error; its message is borrowed from the report
 *        (its version set with DRILL_IMPORT_ERROR_INIT (or drill_import_error_init()); the fields of that version are written)
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_import_report_get(drill_import_error *out, const drill_import_report *report, size_t index);

/** Free a report; NULL is allowed. */
DRILL_EXTERN void drill_import_report_free(drill_import_report *report);

/** A school break, as drill_units_break_at() gives it. Strings are borrowed from the registry. */
typedef struct drill_break {
    unsigned int version; /**< DRILL_BREAK_VERSION: set by the caller (DRILL_BREAK_INIT), kept by the library */
    const char *class_id; /**< the class */
    const char *name;     /**< e.g. 寒假 */
    int yearly;           /**< 1: every year (from and to carry the year 2000; only month and day count); 0: dated */
    drill_date from, to;  /**< first and last day of the break */
} drill_break;

#define DRILL_BREAK_VERSION 1
/** A drill_break to pass to the function that fills it (the library writes only the fields of its version) */
#define DRILL_BREAK_INIT { .version = DRILL_BREAK_VERSION }

/**
 * Set up a drill_break for a function to fill, for bindings and languages that
 * cannot use DRILL_BREAK_INIT: zeroes it and sets its version.
 * @param out the struct: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_BREAK_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_break_init(drill_break *out, unsigned int version);

/**
 * Add a dated break to a class with terms. In the years it touches, it
 * replaces the class's yearly break of the same name.
 * @param name UTF-8 name, copied
 * @return 0; DRILL_EINVAL for a NULL pointer, a class without terms, a bad
 *         name, to before from or a break longer than 183 days; DRILL_ERANGE
 *         for an invalid date; DRILL_ENOTFOUND for an unknown class;
 *         DRILL_EEXISTS if it overlaps a dated break of the class; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_add_break(drill_units *units, const char *class_id, drill_date from, drill_date to,
                                       const char *name);

/**
 * Set a yearly break of a class with terms (month-day to month-day in one
 * year; February 29 means the month's last day); a yearly break of the same
 * name is replaced.
 * @param units the set
 * @param class_id a class with terms
 * @param name the break's name (a yearly break of this name is replaced)
 * @param month the first day's month, 1-12
 * @param day the first day's day of that month
 * @param end_month the last day's month, 1-12, not before month
 * @param end_day the last day's day of end_month (the range ends in its year)
 * @return 0; DRILL_EINVAL for a NULL pointer, a class without terms, a bad
 *         name or a range that ends before it starts; DRILL_ERANGE for a
 *         month or day out of range; DRILL_ENOTFOUND; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_set_yearly_break(drill_units *units, const char *class_id, const char *name,
                                              int month, int day, int end_month, int end_day);

/**
 * Remove a class's breaks.
 * @param yearly 0: the dated breaks, 1: the yearly ones, 2: both
 * @return 0; DRILL_EINVAL for a NULL pointer, a class without terms or a bad
 *         yearly; DRILL_ENOTFOUND for an unknown class
 */
DRILL_EXTERN int drill_units_clear_breaks(drill_units *units, const char *class_id, int yearly);

/** Number of breaks of all classes. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_units_break_count(const drill_units *units);

/**
 * A break by index, in the order added.
 * @param out receives the break; strings borrowed until the registry changes
 *        (its version set with DRILL_BREAK_INIT (or drill_break_init()); the fields of that version are written)
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index out of range
 *         (and DRILL_EVERSION for out's version 0 or newer than the library, nothing done)
 */
DRILL_EXTERN int drill_units_break_at(drill_break *out, const drill_units *units, size_t index);

/**
 * Whether a day is in term for a unit (always 1 for a class without terms).
 * @param out receives 1 or 0
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for an index
 *         out of range; DRILL_ERANGE for an invalid date
 */
DRILL_EXTERN int drill_units_is_in_term(int *out, const drill_units *units, size_t index, drill_date day);

/**
 * Load breaks from a terms CSV (format in the file comment). All or nothing:
 * dated breaks are added (an overlap with one of the class's dated breaks
 * is an error), yearly ones replace the class's yearly break of that name.
 * @param out_loaded receives the number of breaks read, or NULL
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO; DRILL_EPARSE with
 *         line and column for a malformed row; DRILL_ENOTFOUND (with line) for
 *         an unknown class; DRILL_EEXISTS for an overlap; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_load_terms_csv(size_t *out_loaded, drill_units *units, const char *path);

/**
 * Load a class's breaks from an iCalendar feed (a school calendar): each
 * all-day event whose SUMMARY contains one of markers is a dated break named
 * by it (a run of days across events of one name is one break); other
 * events (开学, timed events, and those a holiday feed would read as make-up
 * working days: 上班, 补班) are skipped. All or nothing.
 * @param out_loaded receives the number of breaks added, or NULL
 * @param class_id a class with terms
 * @param markers '|'-separated substrings of SUMMARY that mark a break, or
 *        NULL for "假|break|Break|holiday|Holiday|vacation|Vacation"
 * @return 0; DRILL_EINVAL for a NULL pointer or a class without terms;
 *         DRILL_ENOTFOUND for an unknown class; DRILL_EIO; DRILL_EPARSE
 *         with the line for a malformed feed; DRILL_EEXISTS for a break
 *         overlapping one of the class's dated breaks; DRILL_ERANGE; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_load_terms_ics(size_t *out_loaded, drill_units *units, const char *class_id,
                                            const char *path, const char *markers);

/**
 * Load a terms CSV from memory; as drill_units_load_terms_csv().
 * @param out_loaded receives the number of breaks read, or NULL
 * @param units the set whose classes get the breaks
 * @param data the text, len bytes (no terminating NUL needed), read only during the call
 * @param len its length in bytes
 * @param source the name errors give for the text; NULL = "<buffer>"
 * @return as drill_units_load_terms_csv()
 */
DRILL_EXTERN int drill_units_load_terms_csv_buffer(size_t *out_loaded, drill_units *units, const char *data,
                                                   size_t len, const char *source);

/** Options for drill_units_generate(). */
typedef struct drill_generate_options {
    unsigned int version; /**< DRILL_GENERATE_OPTIONS_VERSION */
    size_t count;         /**< units to make; 0 = 20737 (Dalian's enterprises under notice) */
    unsigned long long seed; /**< the same seed gives the same units */
    int blackout_year;    /**< give about 3% of units a blackout period in this year; 0 = none */
} drill_generate_options;

#define DRILL_GENERATE_OPTIONS_VERSION 1
#define DRILL_GENERATE_OPTIONS_INIT { DRILL_GENERATE_OPTIONS_VERSION, 0, 2022, 0 }

/**
 * Fill a drill_generate_options with the defaults of DRILL_GENERATE_OPTIONS_INIT, for bindings and
 * languages that cannot use the macro.
 * @param out the struct to fill: the first bytes of version `version`
 * @param version the version the caller was built with, DRILL_GENERATE_OPTIONS_VERSION
 * @return 0; DRILL_EINVAL if out is NULL; DRILL_EVERSION for 0 or a version newer than the library
 */
DRILL_EXTERN int drill_generate_options_init(drill_generate_options *out, unsigned int version);

/**
 * Add a synthetic Dalian to a registry, for demos, tests and benchmarks:
 * units spread over Dalian's districts and counties (Zhongshan, Xigang,
 * Shahekou, Ganjingzi, Lushunkou, Jinzhou, Pulandian, Wafangdian,
 * Zhuanghe, Changhai) and their streets and townships, with a believable
 * class mix, Chinese names, headcounts, risk levels, flood-prone and key
 * fire flags, ids "DL000001"... Deterministic from the seed. All or nothing.
 * @param units the registry to add to
 * @param opts options, or NULL for DRILL_GENERATE_OPTIONS_INIT
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EVERSION; DRILL_ERANGE
 *         for a blackout_year outside 1900-2200; DRILL_EEXISTS if a
 *         generated id is taken; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_units_generate(drill_units *units, const drill_generate_options *opts);

#ifdef __cplusplus
}
#endif
#endif
