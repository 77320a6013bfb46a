/* What report.c shares with the store (store.c keeps each drill's groups
 * and counts per group, so that a coverage report needs no plan); never
 * installed. */
#ifndef DRILL_REPORT_INTERNAL_H
#define DRILL_REPORT_INTERNAL_H

#include "drill/report.h"

/* the group of drill i of the plan under a grouping (borrowed from the plan) */
const char *drill__report_group(const drill_plan *p, size_t i, drill_group_by by);

/* one row of a coverage report before it is text */
typedef struct drill__coverage {
    const char *group;
    size_t required, scheduled, held, overdue, cancelled;
} drill__coverage;

/* the coverage table of these groups, in this order, and a last row "total" */
int drill__coverage_table(drill_table **out, const drill__coverage *groups, size_t n);

#endif
