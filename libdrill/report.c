/* Reports as tables of text cells; CSV on request. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "internal.h"
#include "map.h"
#include "plan_internal.h"
#include "report_internal.h"
#include "rule_internal.h"
#include "unit_internal.h"
#include "vec.h"

struct drill_table {
    char **columns;
    size_t ncolumns;
    char **cells; /* row-major */
    size_t nrows, cap;
};

void drill_table_free(drill_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncolumns; i++)
        free(t->columns[i]);
    for (size_t i = 0; i < t->nrows * t->ncolumns; i++)
        free(t->cells[i]);
    free(t->columns);
    free(t->cells);
    free(t);
}

int drill__table_new(drill_table **out, const char *const *columns, size_t n)
{
    drill_table *t = calloc(1, sizeof *t);
    if (!t || !(t->columns = calloc(n, sizeof *t->columns))) {
        free(t);
        return drill__error(DRILL_ENOMEM, "out of memory making a report");
    }
    for (size_t i = 0; i < n; i++) {
        if (!(t->columns[i] = drill__strdup(columns[i]))) {
            t->ncolumns = i;
            drill_table_free(t);
            return drill__error(DRILL_ENOMEM, "out of memory making a report");
        }
    }
    t->ncolumns = n;
    *out = t;
    return 0;
}

/* append a row of ncolumns cells */
int drill__table_row(drill_table *t, const char *const *cells)
{
    /* rows of ncolumns cells each */
    if (drill__vec_reserve(&t->cells, &t->cap, t->nrows + 1, t->ncolumns * sizeof *t->cells))
        return drill__error(DRILL_ENOMEM, "out of memory making a report");
    char **row = t->cells + t->nrows * t->ncolumns;
    for (size_t i = 0; i < t->ncolumns; i++) {
        if (!(row[i] = drill__strdup(cells[i] ? cells[i] : ""))) {
            while (i--)
                free(row[i]);
            return drill__error(DRILL_ENOMEM, "out of memory making a report");
        }
    }
    t->nrows++;
    return 0;
}

int drill__table_out(drill_table **out, drill_table *t, int rc)
{
    if (rc) {
        drill_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

size_t drill_table_columns(const drill_table *t) { return t ? t->ncolumns : 0; }
size_t drill_table_rows(const drill_table *t) { return t ? t->nrows : 0; }

const char *drill_table_column(const drill_table *t, size_t column)
{
    return t && column < t->ncolumns ? t->columns[column] : NULL;
}

int drill_table_cell(const char **out, const drill_table *t, size_t row, size_t column)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(t);
    if (row >= t->nrows || column >= t->ncolumns)
        return drill__error(DRILL_ENOTFOUND, "no cell (%zu, %zu) in a table of %zu x %zu", row, column, t->nrows,
                            t->ncolumns);
    *out = t->cells[row * t->ncolumns + column];
    return 0;
}

static int write_table(FILE *f, const void *arg)
{
    const drill_table *t = arg;
    for (size_t c = 0; c < t->ncolumns; c++) {
        drill__csv_write_field(f, t->columns[c]);
        fputs(c + 1 < t->ncolumns ? "," : "\r\n", f);
    }
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncolumns; c++) {
            drill__csv_write_field(f, t->cells[r * t->ncolumns + c]);
            fputs(c + 1 < t->ncolumns ? "," : "\r\n", f);
        }
    return 0;
}

int drill_table_write_csv(const drill_table *table, const char *path)
{
    DRILL_CHECK_NULL(table);
    DRILL_CHECK_NULL(path);
    return drill__write_atomic(NULL, path, write_table, table);
}

/* ---- helpers over the plan ---- */

static int today_of(const drill_plan *p, drill_date today, int *out)
{
    (void)p;
    return drill_date_to_serial(out, today);
}

static int overdue(const drill_plan *p, const drill_rec *d, int today)
{
    return d->status <= DRILL_STATUS_SCHEDULED && d->win_start <= d->win_end && p->y0 + d->win_end < today;
}

static int is_held(const drill_rec *d)
{
    return d->status >= DRILL_STATUS_HELD && d->status <= DRILL_STATUS_CLOSED;
}

static const char *tier_of(const drill_plan *p, const unit_rec *u)
{
    unsigned flags = p->units->classes[u->cls].flags;
    if (flags & DRILL_CLASS_GOVERNMENT)
        return "departments";
    if (flags & DRILL_CLASS_TOWNSHIP)
        return "townships";
    if (flags & DRILL_CLASS_PRODUCTION)
        return (flags & DRILL_CLASS_HIGH_RISK) || u->risk >= DRILL_RISK_HIGHER || drill__unit_key_fire(p->units, u)
                   ? "key enterprises"
                   : "other enterprises";
    return "public";
}

const char *drill__report_group(const drill_plan *p, size_t i, size_t rule, drill_group_by by)
{
    const drill_rec *d = &p->drills[i];
    const unit_rec *u = &p->units->units[d->unit];
    const drill_rule *r = &p->rules->items[rule].r;
    switch (by) {
    case DRILL_BY_CAMPAIGN: return r->campaign ? r->campaign : "";
    case DRILL_BY_DISTRICT: return p->units->pool + p->units->districts[drill__unit_district(p->units, d->unit)];
    case DRILL_BY_CLASS: return p->units->classes[u->cls].id;
    case DRILL_BY_TIER: return tier_of(p, u);
    default: return r->id;
    }
}

typedef drill__coverage group_count;

static int coverage_row(drill_table *t, const group_count *g)
{
    char n[5][24], pct[48];
    const size_t v[5] = { g->required, g->scheduled, g->held, g->overdue, g->cancelled };
    for (int i = 0; i < 5; i++)
        snprintf(n[i], sizeof n[i], "%zu", v[i]);
    /* tenths of a percent, rounded half up, in integers: "%.1f" would follow LC_NUMERIC ("0,4" under de_DE) */
    unsigned long long tenths = g->required ? (1000ull * g->held + g->required / 2) / g->required : 1000;
    snprintf(pct, sizeof pct, "%llu.%llu", tenths / 10, tenths % 10);
    const char *cells[] = { g->group, n[0], n[1], n[2], n[3], n[4], pct };
    return drill__table_row(t, cells);
}

static const char *group_name(const void *groups, size_t i)
{
    return ((const group_count *)groups)[i].group;
}

int drill_report_coverage(drill_table **out, const drill_plan *plan, drill_group_by by, drill_date today)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    if ((unsigned)by > DRILL_BY_RULE)
        return drill__error(DRILL_EINVAL, "unknown grouping %d", (int)by);
    int now, rc = today_of(plan, today, &now);
    if (rc)
        return rc;
    group_count *groups = NULL;
    size_t ngroups = 0, cap = 0;
    drill__map by_name = DRILL__MAP_INIT;
    group_count total = { "total", 0, 0, 0, 0, 0 };
    /* every drill, then every requirement another rule's drill meets, credited
     * with that drill's state: one held drill satisfies each rule it meets. A
     * credit counts in its group when that is not the drill's own group (by
     * rule, or by campaign), never twice in one group nor in the total: the
     * total counts drills, as the plan and the overdue list do */
    for (size_t i = 0; i < plan->count + plan->ncredits; i++) {
        size_t k = i < plan->count ? i : plan->credits[i - plan->count].drill;
        const drill_rec *d = &plan->drills[k];
        size_t rule = i < plan->count ? d->rule : plan->credits[i - plan->count].rule;
        const char *name = drill__report_group(plan, k, rule, by);
        if (i >= plan->count && strcmp(name, drill__report_group(plan, k, d->rule, by)) == 0)
            continue;
        size_t g = 0;
        if (!drill__map_get(&g, &by_name, name, group_name, groups)) {
            if (DRILL__VEC_RESERVE(groups, cap, ngroups + 1) || drill__map_put(&by_name, name, ngroups)) {
                free(groups);
                drill__map_free(&by_name);
                return drill__error(DRILL_ENOMEM, "out of memory making a report");
            }
            g = ngroups;
            groups[ngroups++] = (group_count){ name, 0, 0, 0, 0, 0 };
        }
        group_count *c[2] = { &groups[g], &total };
        for (int t = 0; t < (i < plan->count ? 2 : 1); t++) {
            if (d->status == DRILL_STATUS_CANCELLED) {
                c[t]->cancelled++;
                continue;
            }
            c[t]->required++;
            c[t]->scheduled += d->status == DRILL_STATUS_SCHEDULED;
            c[t]->held += is_held(d);
            c[t]->overdue += overdue(plan, d, now);
        }
    }
    rc = drill__coverage_table(out, groups, ngroups, &total);
    free(groups);
    drill__map_free(&by_name);
    return rc;
}

int drill__coverage_table(drill_table **out, const drill__coverage *groups, size_t n, const drill__coverage *total)
{
    static const char *const columns[] = { "group", "required", "scheduled", "held", "overdue", "cancelled",
                                           "coverage_percent" };
    drill_table *t = NULL;
    int rc = drill__table_new(&t, columns, 7);
    for (size_t g = 0; rc == 0 && g < n; g++)
        rc = coverage_row(t, &groups[g]);
    if (rc == 0)
        rc = coverage_row(t, total);
    return drill__table_out(out, t, rc);
}

static void item_date(char *buf, size_t n, const drill_plan *p, int day)
{
    drill_date d;
    drill__from_serial(p->y0 + day, &d);
    snprintf(buf, n, "%04d-%02d-%02d", d.year, d.month, d.day);
}

int drill__noncompliant_new(drill_table **out)
{
    static const char *const columns[] = { "unit_id", "unit_name", "district", "drill_id", "rule", "window_end",
                                           "status", "why" };
    return drill__table_new(out, columns, 8);
}

int drill__noncompliant_row(drill_table *t, const char *unit_id, const char *unit_name, const char *district,
                            const char *drill_id, const char *rule, const char *window_end, drill_status status,
                            const char *day, drill_reason reason)
{
    char why[256];
    if (day)
        snprintf(why, sizeof why, "scheduled for %s but not recorded as held by %s", day, window_end);
    else
        snprintf(why, sizeof why, "never scheduled (%s); its window ended %s",
                 reason ? drill_reason_name(reason) : "not scheduled yet", window_end);
    const char *cells[] = { unit_id, unit_name, district, drill_id, rule, window_end, drill_status_name(status), why };
    return drill__table_row(t, cells);
}

int drill_report_noncompliant(drill_table **out, const drill_plan *plan, drill_date today)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    int now, rc = today_of(plan, today, &now);
    if (rc)
        return rc;
    drill_table *t = NULL;
    if ((rc = drill__noncompliant_new(&t)))
        return rc;
    for (size_t i = 0; i < plan->count && rc == 0; i++) {
        const drill_rec *d = &plan->drills[i];
        if (!overdue(plan, d, now))
            continue;
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, plan, i);
        char end[DRILL_DATE_STRLEN], day[DRILL_DATE_STRLEN];
        item_date(end, sizeof end, plan, d->win_end);
        if (d->day >= 0)
            item_date(day, sizeof day, plan, d->day);
        rc = drill__noncompliant_row(t, it.unit_id, it.unit_name, it.district, it.id, it.rule_id, end, it.status,
                                     d->day >= 0 ? day : NULL, (drill_reason)d->reason);
    }
    return drill__table_out(out, t, rc);
}

static const char *const reminder_columns[] = { "type", "date", "drill_id", "unit_id", "unit_name", "district",
                                                "contact", "phone", "what" };

int drill__reminders_new(drill_table **out)
{
    return drill__table_new(out, reminder_columns, 9);
}

int drill__reminder_row(drill_table *t, drill__reminder type, const char *date, const char *drill_id,
                        const char *unit_id, const char *unit_name, const char *district, const char *contact,
                        const char *phone, drill_kind kind, const char *scenario, const char *rule_id,
                        size_t action_number, const char *action, const char *owner)
{
    static const char *const types[] = { "due", "overdue", "action overdue" };
    char what[600];
    if (type == DRILL__ACTION_OVERDUE)
        drill__format(what, sizeof what, "action %zu: %s (%s)", action_number, action, owner);
    else
        drill__format(what, sizeof what, "%s %s (%s)", drill_kind_name(kind, 0), drill_scenario_name(scenario, 0),
                      rule_id);
    const char *cells[] = { types[type], date, drill_id, unit_id, unit_name, district, contact, phone, what };
    return drill__table_row(t, cells);
}

int drill_report_reminders(drill_table **out, const drill_plan *plan, drill_date today, int days_ahead)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    if (days_ahead < 0)
        return drill__error(DRILL_EINVAL, "days_ahead %d is negative", days_ahead);
    int now, rc = today_of(plan, today, &now);
    if (rc)
        return rc;
    drill_table *t = NULL;
    if ((rc = drill__reminders_new(&t)))
        return rc;
    for (size_t i = 0; i < plan->count && rc == 0; i++) {
        const drill_rec *d = &plan->drills[i];
        const unit_rec *u = &plan->units->units[d->unit];
        const char *contact = plan->units->pool + u->contact, *phone = plan->units->pool + u->phone;
        drill_item it = DRILL_ITEM_INIT;
        char date[DRILL_DATE_STRLEN];
        int due = d->status == DRILL_STATUS_SCHEDULED && d->day >= 0 && plan->y0 + d->day >= now &&
                  plan->y0 + d->day - now <= days_ahead;
        if (due || overdue(plan, d, now)) {
            drill_plan_get(&it, plan, i);
            item_date(date, sizeof date, plan, due ? d->day : d->win_end);
            rc = drill__reminder_row(t, due ? DRILL__DUE : DRILL__OVERDUE, date, it.id, it.unit_id, it.unit_name,
                                     it.district, contact, phone, it.kind, it.scenario, it.rule_id, 0, NULL, NULL);
        }
        if (rc || !is_held(d))
            continue;
        drill_plan_get(&it, plan, i);
        drill_track_info info = DRILL_TRACK_INFO_INIT;
        if (drill_track_get(&info, plan, it.id) != 0)
            continue;
        for (size_t n = 1; n <= info.actions && rc == 0; n++) {
            drill_action a = DRILL_ACTION_INIT;
            drill_track_action(&a, plan, it.id, n);
            int s = drill__serial(a.due.year, a.due.month, a.due.day);
            if (a.status >= DRILL_ACTION_DONE || s >= now)
                continue;
            snprintf(date, sizeof date, "%04d-%02d-%02d", a.due.year, a.due.month, a.due.day);
            rc = drill__reminder_row(t, DRILL__ACTION_OVERDUE, date, it.id, it.unit_id, it.unit_name, it.district,
                                     contact, phone, it.kind, it.scenario, it.rule_id, n, a.action, a.owner);
        }
    }
    return drill__table_out(out, t, rc);
}

static const char *const action_columns[] = { "drill_id", "unit_id", "number", "finding", "capability", "action",
                                              "owner", "due", "status", "closed", "overdue" };

int drill__actions_new(drill_table **out)
{
    return drill__table_new(out, action_columns, 11);
}

int drill__action_row(drill_table *t, const char *drill_id, const char *unit_id, size_t number, const char *finding,
                      const char *capability, const char *action, const char *owner, const char *due,
                      drill_action_status status, const char *closed, int late)
{
    char num[24];
    snprintf(num, sizeof num, "%zu", number);
    const char *cells[] = { drill_id, unit_id, num, finding, capability, action, owner, due,
                            drill_action_status_name(status), closed, late ? "1" : "0" };
    return drill__table_row(t, cells);
}

int drill_report_actions(drill_table **out, const drill_plan *plan, drill_date today)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    int now, rc = today_of(plan, today, &now);
    if (rc)
        return rc;
    drill_table *t = NULL;
    if ((rc = drill__actions_new(&t)))
        return rc;
    for (size_t i = 0; i < plan->count && rc == 0; i++) {
        if (!is_held(&plan->drills[i]))
            continue;
        drill_item it = DRILL_ITEM_INIT;
        drill_track_info info = DRILL_TRACK_INFO_INIT;
        drill_plan_get(&it, plan, i);
        if (drill_track_get(&info, plan, it.id) != 0)
            continue;
        for (size_t n = 1; n <= info.actions && rc == 0; n++) {
            drill_action a = DRILL_ACTION_INIT;
            drill_track_action(&a, plan, it.id, n);
            char due[DRILL_DATE_STRLEN], closed[DRILL_DATE_STRLEN] = "";
            snprintf(due, sizeof due, "%04d-%02d-%02d", a.due.year, a.due.month, a.due.day);
            if (a.closed.year)
                snprintf(closed, sizeof closed, "%04d-%02d-%02d", a.closed.year, a.closed.month, a.closed.day);
            int late = a.status < DRILL_ACTION_DONE && drill__serial(a.due.year, a.due.month, a.due.day) < now;
            rc = drill__action_row(t, it.id, it.unit_id, n, a.finding, a.capability, a.action, a.owner, due,
                                   a.status, closed, late);
        }
    }
    return drill__table_out(out, t, rc);
}
