/**
 * @file drill/report.h
 * @brief Reports: coverage, units out of compliance, overdue drills,
 * reminders and corrective actions, as tables for programs and as CSV.
 *
 * Every report is a drill_table: named columns and rows of UTF-8 cells
 * (numbers written in decimal), read cell by cell or written as CSV.
 * Reports are computed "as of" a day: a drill is *overdue* when it is
 * planned or scheduled and its window ended before that day.
 *
 * Coverage counts drills: `required` excludes cancelled drills, `held`
 * counts held, evaluated and closed ones, `coverage_percent` is held over
 * required. A drill that also meets other rules' requirements (see
 * drill_rule.satisfied_by_kinds) is credited to each: grouped by rule or by
 * campaign, such a requirement counts in its own group with the state of
 * the drill that meets it; it never counts twice in one group, and the
 * total row counts drills. The tier of a unit follows the Dalian bulletin's groups:
 * "departments" (government organs), "townships" (township and
 * sub-district offices), "key enterprises" (production units of a
 * high-risk class, at risk level 3-4, or key fire-safety units), "other
 * enterprises" (other production units), "public" (schools, hospitals,
 * communities and other classes).
 */
#ifndef DRILL_REPORT_H
#define DRILL_REPORT_H

#include <stddef.h>
#include "common.h"
#include "date.h"
#include "plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A report (opaque); free with drill_table_free(). */
typedef struct drill_table drill_table;

/** How a coverage report groups drills. */
typedef enum drill_group_by {
    DRILL_BY_CAMPAIGN = 0, /**< by campaign id ("" for drills without one) */
    DRILL_BY_DISTRICT = 1, /**< by district path */
    DRILL_BY_CLASS = 2,    /**< by unit class id */
    DRILL_BY_TIER = 3,     /**< by tier (see the file comment) */
    DRILL_BY_RULE = 4      /**< by rule id */
} drill_group_by;

/**
 * Coverage of the plan's year as of a day, one row per group plus a last
 * row "total": group, required, scheduled, held, overdue, cancelled,
 * coverage_percent (one decimal).
 * @return 0; DRILL_EINVAL for a NULL pointer or an unknown grouping;
 *         DRILL_ERANGE for an invalid date; DRILL_ENOMEM
 */
DRILL_EXTERN int drill_report_coverage(drill_table **out, const drill_plan *plan, drill_group_by by, drill_date today);

/**
 * Units out of compliance as of a day: one row per required drill whose
 * window has ended without it being held: unit_id, unit_name, district,
 * drill_id, rule, window_end, status, why.
 * @return as drill_report_coverage()
 */
DRILL_EXTERN int drill_report_noncompliant(drill_table **out, const drill_plan *plan, drill_date today);

/**
 * Reminders as of a day: drills scheduled in the next days_ahead days
 * ("due"), drills overdue ("overdue"), and corrective actions past their
 * due date ("action overdue"), each with the unit's contact: type, date,
 * drill_id, unit_id, unit_name, district, contact, phone, what.
 * @return as drill_report_coverage(); DRILL_EINVAL for days_ahead < 0
 */
DRILL_EXTERN int drill_report_reminders(drill_table **out, const drill_plan *plan, drill_date today, int days_ahead);

/**
 * Every corrective action of the plan's drills (a tracked drill no longer
 * required by the rules is left out): drill_id, unit_id, number, finding, capability,
 * action, owner, due, status, closed, overdue (1 if open past its due date).
 * @return as drill_report_coverage()
 */
DRILL_EXTERN int drill_report_actions(drill_table **out, const drill_plan *plan, drill_date today);

/** Number of columns. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_table_columns(const drill_table *table);
/** Number of rows. @return the count; 0 for NULL */
DRILL_EXTERN size_t drill_table_rows(const drill_table *table);

/**
 * A column's name.
 * @return the name, borrowed from the table; NULL for NULL or an index out of range
 */
DRILL_EXTERN const char *drill_table_column(const drill_table *table, size_t column);

/**
 * A cell.
 * @param out receives the text, borrowed from the table
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_ENOTFOUND for a row or column out of range
 */
DRILL_EXTERN int drill_table_cell(const char **out, const drill_table *table, size_t row, size_t column);

/**
 * Write a table as CSV (UTF-8, a header row, CRLF, RFC 4180 quoting) to a
 * temporary file renamed over path.
 * @return 0; DRILL_EINVAL for a NULL pointer; DRILL_EIO
 */
DRILL_EXTERN int drill_table_write_csv(const drill_table *table, const char *path);

/** Free a table; NULL is allowed. */
DRILL_EXTERN void drill_table_free(drill_table *table);

#ifdef __cplusplus
}
#endif
#endif
