/* What report.c shares with the store (store.c keeps each drill's groups
 * and counts per group, so that a coverage report needs no plan); never
 * installed. */
#ifndef DRILL_REPORT_INTERNAL_H
#define DRILL_REPORT_INTERNAL_H

#include "drill/report.h"

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

#endif
