/* Reading a plan: one drill, a drill by id, selections, reason names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "internal.h"
#include "rule_internal.h"
#include "unit_internal.h"

#include "plan_internal.h"

static const char *const period_suffix[] = { "", "H1", "H2", "R1", "R2", "B", "M01", "M02", "M03", "M04", "M05", "M06",
                                              "M07", "M08", "M09", "M10", "M11", "M12", "Q1", "Q2", "Q3", "Q4" };

const char *drill__period_suffix(int period)
{
    return period >= 0 && period < P_END ? period_suffix[period] : "";
}

static const char *scenario_of(const drill_plan *p, const drill_rec *d)
{
    const drill_rule *r = drill__plan_rule_of(p, d);
    return r->scenario ? r->scenario : p->units->classes[drill__plan_unit_of(p, d)->cls].scenario;
}

int drill_plan_get(drill_item *out_caller, const drill_plan *plan, size_t index)
{
    DRILL__OUT_BEGIN(out, drill_item);
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    if (index >= plan->count)
        return drill__error(DRILL_ENOTFOUND, "no drill at index %zu (the plan has %zu)", index, plan->count);
    const drill_rec *d = &plan->drills[index];
    const drill_rule *r = drill__plan_rule_of(plan, d);
    const drill_units *units = plan->units;
    const unit_rec *u = drill__plan_unit_of(plan, d);
    /* UNIT/RULE/YEARSUFFIX without printf: feeds ask for millions; unit ids
     * are at most 127 bytes and rule ids 63, so it always fits */
    {
        char *o = out->id;
        size_t n = strlen(units->pool + u->id), m = strlen(r->id), k = strlen(period_suffix[d->period]);
        memcpy(o, units->pool + u->id, n);
        o += n;
        *o++ = '/';
        memcpy(o, r->id, m);
        o += m;
        *o++ = '/';
        for (int v = plan->year, i = 3; i >= 0; i--, v /= 10)
            o[i] = (char)('0' + v % 10);
        o += 4;
        memcpy(o, period_suffix[d->period], k + 1);
    }
    out->unit_index = d->unit;
    out->unit_id = units->pool + u->id;
    out->unit_name = units->pool + u->name;
    out->district = units->pool + units->districts[drill__unit_district(units, d->unit)];
    out->rule_index = d->rule;
    out->rule_id = r->id;
    out->source = r->source ? r->source : "";
    out->period = strchr(out->id + strlen(out->unit_id) + 1, '/') + 1;
    out->kind = r->kind;
    out->form = r->form;
    out->scenario = scenario_of(plan, d);
    out->campaign = r->campaign ? r->campaign : "";
    if (d->win_start <= d->win_end) {
        drill__from_serial(plan->y0 + d->win_start, &out->window_start);
        drill__from_serial(plan->y0 + d->win_end, &out->window_end);
    } else { /* an empty window: shown as the year */
        drill__from_serial(plan->y0, &out->window_start);
        drill__from_serial(plan->y0 + plan->ndays - 1, &out->window_end);
    }
    out->status = (drill_status)d->status;
    out->revision = d->revision;
    out->needs_observer = d->observer;
    out->reason = (drill_reason)d->reason;
    if (d->status >= DRILL_STATUS_HELD && d->status <= DRILL_STATUS_CLOSED && d->day < 0)
        drill__track_held_date(plan, out->id, &out->date); /* held outside the plan's year */
    /* a cancelled drill keeps the day it was on (its feed event stays there, cancelled) */
    int day = d->day >= 0 ? d->day : d->status == DRILL_STATUS_CANCELLED ? d->cancelled_day : -1;
    if (day >= 0) {
        drill__from_serial(plan->y0 + day, &out->date);
        int k = r->kind;
        out->start_minute = plan->opts.start_minute[k] + d->slot * plan->opts.slot_minutes;
        out->duration_minutes = r->form == DRILL_FORM_TABLETOP ? plan->opts.tabletop_minutes
                                                               : plan->opts.duration_minutes[k];
    }
    int rc = DRILL__OUT_END(out, drill_item);
    if (rc == 0) /* period points into the item's own id: the caller's */
        out_caller->period = out_caller->id + (out->period - out->id);
    return rc;
}

long drill__plan_index(const drill_plan *plan, const char *id)
{
    /* UNIT/RULE/PERIOD: the unit id may itself contain '/', so cut from the right */
    size_t len = strlen(id), second = len, first;
    while (second > 0 && id[second - 1] != '/')
        second--;
    first = second ? second - 1 : 0;
    while (first > 0 && id[first - 1] != '/')
        first--;
    /* id[second - 1] and id[first - 1] are the two last slashes */
    if (second < 2 || first < 2 || second - first < 2)
        return -2;
    char unit[DRILL_ID_MAX], rule[DRILL_ID_MAX];
    size_t ul = first - 1, rl = second - first - 1;
    if (ul >= sizeof unit || rl >= sizeof rule)
        return -1;
    memcpy(unit, id, ul);
    unit[ul] = '\0';
    memcpy(rule, id + first, rl);
    rule[rl] = '\0';
    const char *period_text = id + second;
    size_t u, r;
    if (!drill__units_lookup(plan->units, unit, &u) || u >= plan->nunits || !drill__rules_lookup(plan->rules, rule, &r))
        return -1;
    for (uint32_t i = plan->unit_first[u]; i < plan->unit_first[u + 1]; i++) {
        const drill_rec *d = &plan->drills[i];
        char period[32];
        snprintf(period, sizeof period, "%d%s", plan->year, period_suffix[d->period]);
        if (d->rule == r && strcmp(period, period_text) == 0)
            return (long)i;
    }
    return -1;
}

int drill_plan_find(size_t *out, const drill_plan *plan, const char *id)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(id);
    long i = drill__plan_index(plan, id);
    if (i < 0) {
        if (i == -2)
            return drill__error(DRILL_ENOTFOUND, "no drill '%s': an id reads UNIT/RULE/PERIOD", id);
        return drill__error(DRILL_ENOTFOUND, "no drill '%s' in the %d plan", id, plan->year);
    }
    *out = (size_t)i;
    return 0;
}

struct drill_selection {
    uint32_t *index;
    size_t count;
};

int drill_plan_select(drill_selection **out, const drill_plan *plan, const drill_filter *filter)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(filter);
    DRILL__VERSIONED(filter, drill_filter, DRILL_FILTER_INIT);
    if (filter->version != DRILL_FILTER_VERSION)
        return drill__error(DRILL_EVERSION, "drill_filter version %u is not %d", filter->version,
                            DRILL_FILTER_VERSION);
    int from = 0, to = 0, rc;
    if (filter->has_range && ((rc = drill_date_to_serial(&from, filter->from)) ||
                              (rc = drill_date_to_serial(&to, filter->to))))
        return rc;
    from -= plan->y0;
    to -= plan->y0;
    size_t unit = 0, rule = 0;
    int want_unit = filter->unit_id != NULL, want_rule = filter->rule_id != NULL;
    drill_selection *sel = calloc(1, sizeof *sel);
    if (!sel)
        return drill__error(DRILL_ENOMEM, "out of memory selecting drills");
    if ((want_unit && drill_units_find(&unit, plan->units, filter->unit_id)) ||
        (want_rule && drill_rules_find(&rule, plan->rules, filter->rule_id))) {
        *out = sel; /* an unknown unit or rule selects nothing */
        return 0;
    }
    size_t lo = 0, hi = plan->count;
    if (want_unit) {
        lo = unit < plan->nunits ? plan->unit_first[unit] : 0;
        hi = unit < plan->nunits ? plan->unit_first[unit + 1] : 0;
    }
    sel->index = malloc((hi > lo ? hi - lo : 1) * sizeof *sel->index);
    if (!sel->index) {
        free(sel);
        return drill__error(DRILL_ENOMEM, "out of memory selecting drills");
    }
    for (size_t i = lo; i < hi; i++) {
        const drill_rec *d = &plan->drills[i];
        if (want_rule && d->rule != rule)
            continue;
        if (filter->district && strcmp(plan->units->pool + plan->units->districts[drill__unit_district(plan->units, d->unit)],
                                       filter->district) != 0)
            continue;
        if (filter->campaign) {
            const char *c = drill__plan_rule_of(plan, d)->campaign;
            if (*filter->campaign ? !c || strcmp(c, filter->campaign) != 0 : c != NULL)
                continue;
        }
        if (filter->statuses ? !(filter->statuses & DRILL_STATUS_BIT(d->status))
                             : filter->status >= 0 && filter->status != d->status)
            continue;
        if (filter->has_range) {
            int in = d->day >= 0 ? d->day >= from && d->day <= to
                                 : d->win_start <= d->win_end && d->win_start <= to && d->win_end >= from;
            if (!in)
                continue;
        }
        sel->index[sel->count++] = (uint32_t)i;
    }
    *out = sel;
    return 0;
}

size_t drill_selection_count(const drill_selection *sel)
{
    return sel ? sel->count : 0;
}

int drill_selection_index(size_t *out, const drill_selection *sel, size_t n)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(sel);
    if (n >= sel->count)
        return drill__error(DRILL_ENOTFOUND, "no drill at position %zu (the selection has %zu)", n, sel->count);
    *out = sel->index[n];
    return 0;
}

void drill_selection_free(drill_selection *sel)
{
    if (!sel)
        return;
    free(sel->index);
    free(sel);
}

const char *drill_reason_name(drill_reason reason)
{
    switch (reason) {
    case DRILL_REASON_NONE: return "none";
    case DRILL_REASON_NO_WORKING_DAY: return "no working day in the window";
    case DRILL_REASON_BLACKOUT: return "blackout days cover the window";
    case DRILL_REASON_CAPACITY: return "observer capacity exhausted";
    case DRILL_REASON_SPACING: return "too close to the unit's other drills";
    default: return "unknown";
    }
}
