/* What report.c shares with the store (store.c keeps each drill's groups
 * and counts per group, so that a coverage report needs no plan); never
 * installed. */
#ifndef DRILL_REPORT_INTERNAL_H
#define DRILL_REPORT_INTERNAL_H

#include "drill/report.h"
#include "drill/rule.h"
#include "drill/track.h"

/* the group of a requirement of drill i's unit under a rule (the drill's
 * own, or one it meets: plan->credits) and a grouping (borrowed from the plan) */
const char *drill__report_group(const drill_plan *p, size_t i, size_t rule, drill_group_by by);

/* one row of a coverage report before it is text */
typedef struct drill__coverage {
    const char *group;
    size_t required, scheduled, held, overdue, cancelled;
} drill__coverage;

/* the coverage table of these groups, in this order, and a last row of
 * the total (which counts drills: a credit counts in its group only) */
int drill__coverage_table(drill_table **out, const drill__coverage *groups, size_t n, const drill__coverage *total);

/* the overdue list (drill_report_noncompliant()): its table, and a row of
 * it; day is the drill's day, or NULL for one never scheduled */
int drill__noncompliant_new(drill_table **out);
int drill__noncompliant_row(drill_table *t, const char *unit_id, const char *unit_name, const char *district,
                            const char *drill_id, const char *rule, const char *window_end, drill_status status,
                            const char *day, drill_reason reason);

/* a table of these columns (copied), and a row of ncolumns cells (copied; NULL is "") */
int drill__table_new(drill_table **out, const char *const *columns, size_t n);
int drill__table_row(drill_table *t, const char *const *cells);
/* a report's end: t to *out when rc is 0, else t freed (it may be NULL) and rc */
int drill__table_out(drill_table **out, drill_table *t, int rc);

/* the reminders (drill_report_reminders()): its table, and a row of it, whose
 * "what" is made of kind, scenario and rule_id, or for an action of its
 * number, action and owner */
typedef enum drill__reminder { DRILL__DUE, DRILL__OVERDUE, DRILL__ACTION_OVERDUE } drill__reminder;
int drill__reminders_new(drill_table **out);
int drill__reminder_row(drill_table *t, drill__reminder type, const char *date, const char *drill_id,
                        const char *unit_id, const char *unit_name, const char *district, const char *contact,
                        const char *phone, drill_kind kind, const char *scenario, const char *rule_id,
                        size_t action_number, const char *action, const char *owner);
/* the actions list (drill_report_actions()): its table, and a row of it */
int drill__actions_new(drill_table **out);
int drill__action_row(drill_table *t, const char *drill_id, const char *unit_id, size_t number, const char *finding,
                      const char *capability, const char *action, const char *owner, const char *due,
                      drill_action_status status, const char *closed, int late);
#endif
