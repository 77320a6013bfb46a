/* Checking a plan: one drill's day (for moves), every constraint of the
 * whole schedule, and the quality report. */
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "internal.h"
#include "rule_internal.h"
#include "unit_internal.h"

#include "plan_internal.h"

int drill__plan_day_ok(const drill_plan *p, size_t i, int day)
{
    const drill_rec *d = &p->drills[i];
    uint32_t district = drill__unit_district(p->units, d->unit);
    char date[DRILL_DATE_STRLEN];
    drill_date dd;
    drill__from_serial(p->y0 + (day >= 0 && day < p->ndays ? day : 0), &dd);
    drill_date_format(date, sizeof date, dd); /* a day of the plan's year: valid */
    if (day < d->win_start || day > d->win_end || day < 0 || day >= p->ndays)
        return drill__error(DRILL_ERANGE, "the day is outside the drill's window");
    if (!p->working[day] || drill__plan_is_closed(p, district, day))
        return drill__error(DRILL_ERANGE, "%s is not a working day for the district", date);
    if (drill__unit_blacked_out(p->units, d->unit, p->y0 + day))
        return drill__error(DRILL_ERANGE, "%s is a blackout day of the unit", date);
    int spacing = p->opts.spacing_days < 0 ? 0 : p->opts.spacing_days;
    for (uint32_t j = p->unit_first[d->unit]; j < p->unit_first[d->unit + 1]; j++)
        if (j != i && p->drills[j].day >= 0 && abs(p->drills[j].day - day) < spacing)
            return drill__error(DRILL_ERANGE, "%s is less than %d days from another drill of the unit", date, spacing);
    if (drill__plan_needs_observer(p, d)) {
        int cap = drill__plan_capacity(p, district);
        int booked = 0;
        for (size_t j = 0; j < p->count; j++)
            booked += j != i && p->drills[j].day == day && drill__plan_needs_observer(p, &p->drills[j]) &&
                      drill__unit_district(p->units, p->drills[j].unit) == district;
        if (booked >= cap)
            return drill__error(DRILL_ERANGE, "the district's observers are fully booked on %s (%d)", date, cap);
    }
    return 0;
}

/* ---- checking and reporting ---- */

int drill_plan_validate(size_t *out, const drill_plan *plan)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    const drill_units *units = plan->units;
    size_t violations = 0, nd = units->ndistricts;
    /* observer-attended drills per district and day, counted afresh; a held
     * drill is a fact, not a choice: only scheduled drills can violate */
    uint32_t *observed = calloc(nd * 366 + 1, sizeof *observed);
    uint8_t *chosen = calloc(nd * 366 + 1, 1);
    /* and per start slot of each such day */
    size_t slots = (size_t)drill__plan_day_slots(plan);
    uint32_t *in_slot = calloc(nd * 366 * slots + 1, sizeof *in_slot);
    uint8_t *chosen_slot = calloc(nd * 366 * slots + 1, 1);
    if (!observed || !chosen || !in_slot || !chosen_slot) {
        free(observed);
        free(chosen);
        free(in_slot);
        free(chosen_slot);
        return drill__error(DRILL_ENOMEM, "out of memory validating a plan");
    }
    int spacing = plan->opts.spacing_days < 0 ? 0 : plan->opts.spacing_days;
    int today = drill__schedule_today(plan, &plan->opts);
    for (size_t u = 0; u < plan->nunits; u++) {
        for (uint32_t i = plan->unit_first[u]; i < plan->unit_first[u + 1]; i++) {
            const drill_rec *d = &plan->drills[i];
            if (d->day < 0)
                continue;
            size_t slot = drill__unit_district(units, u) * 366 + (size_t)d->day;
            size_t start = slot * slots + (d->slot < slots ? d->slot : slots - 1);
            if (drill__plan_needs_observer(plan, d)) {
                observed[slot]++;
                in_slot[start]++;
            }
            if (d->status != DRILL_STATUS_SCHEDULED)
                continue;
            if (d->day <= today) { /* a day gone by is a fact, as a held drill is, unless a schedule put it there */
                violations += (d->flags & DREC_MOVED) != 0;
                continue;
            }
            int serial = plan->y0 + d->day, covered;
            drill_day_kind k = drill__calendar_kind(plan->cal, serial, &covered);
            violations += d->day < d->win_start || d->day > d->win_end;
            violations += k != DRILL_DAY_WORKDAY && k != DRILL_DAY_MAKEUP_WORKDAY;
            violations += drill__plan_is_closed(plan, drill__unit_district(units, u), d->day);
            violations += drill__unit_blacked_out(units, u, serial);
            for (uint32_t j = plan->unit_first[u]; j < plan->unit_first[u + 1]; j++) {
                const drill_rec *o = &plan->drills[j];
                /* each pair once: a later scheduled drill, or any held or gone-by one */
                if (j == i || o->day < 0 || (o->status == DRILL_STATUS_SCHEDULED && o->day > today && j < i))
                    continue;
                violations += spacing && abs(o->day - d->day) < spacing;
            }
            chosen[slot] |= (uint8_t)drill__plan_needs_observer(plan, d);
            chosen_slot[start] |= (uint8_t)drill__plan_needs_observer(plan, d);
            violations += d->slot >= slots; /* a start past the day's last slot */
        }
    }
    for (size_t dist = 0; dist < nd && dist < plan->ndistricts; dist++) {
        int cap = drill__plan_capacity(plan, (uint32_t)dist);
        for (size_t day = 0; day < 366; day++)
            violations += chosen[dist * 366 + day] && observed[dist * 366 + day] > (uint32_t)cap;
        /* the observed drills starting in one slot: within the district's observers */
        uint32_t per_slot = (uint32_t)drill__schedule_slot_cap(plan, (uint32_t)dist);
        for (size_t k = dist * 366 * slots; k < (dist + 1) * 366 * slots; k++)
            violations += chosen_slot[k] && in_slot[k] > per_slot;
    }
    free(observed);
    free(chosen);
    free(in_slot);
    free(chosen_slot);
    *out = violations;
    return 0;
}

/* the counts of a quality report from the drills as they stand now */
void drill__plan_count_quality(const drill_plan *p, drill_quality *q)
{
    q->required = p->count;
    q->covered = p->covered;
    q->placed = q->held = q->cancelled = 0;
    memset(q->unplaced, 0, sizeof q->unplaced);
    for (size_t i = 0; i < p->count; i++) {
        const drill_rec *d = &p->drills[i];
        int held = d->status >= DRILL_STATUS_HELD && d->status <= DRILL_STATUS_CLOSED;
        if (d->status == DRILL_STATUS_CANCELLED)
            q->cancelled++;
        else if (d->day >= 0 || held) /* held outside the plan's year is held all the same */
            q->placed++;
        else
            q->unplaced[d->reason]++;
        q->held += held;
    }
}

int drill_plan_quality(drill_quality *out, const drill_plan *plan)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    int rc = drill__out_check(out, &drill__abi_drill_quality);
    if (rc)
        return rc;
    drill_quality q = plan->quality; /* moved and kept are the last schedule's */
    drill__plan_count_quality(plan, &q);
    rc = drill_plan_validate(&q.violations, plan);
    return rc ? rc : drill__out_fill(out, &q, &drill__abi_drill_quality);
}

/* the window a drill must fall in for the bound: its day if it stays there
 * (held, or scheduled on or before today), else what is left of its window;
 * 0 if it adds no load to an open day (cancelled, held elsewhere, no open
 * day of its window left, blacked out all through) */
static int bound_window(const drill_plan *p, const drill_rec *d, int today, const uint8_t *open, const int *open_before,
                        int *lo, int *hi)
{
    if (d->status == DRILL_STATUS_CANCELLED)
        return 0;
    if (d->status > DRILL_STATUS_SCHEDULED || (d->status == DRILL_STATUS_SCHEDULED && d->day >= 0 && d->day <= today)) {
        *lo = *hi = d->day;
        return d->day >= 0 && open[d->day];
    }
    *lo = d->win_start > today + 1 ? d->win_start : today + 1;
    *hi = d->win_end;
    if (*lo > *hi || open_before[*hi + 1] == open_before[*lo])
        return 0;
    if (!p->units->units[d->unit].blackout)
        return 1;
    for (int day = *lo; day <= *hi; day++)
        if (open[day] && !drill__unit_blacked_out(p->units, d->unit, p->y0 + day))
            return 1;
    return 0;
}

int drill__plan_bounds(int *out, const drill_plan *p, int today, int observed_only)
{
    size_t nd = p->ndistricts, n = p->count;
    memset(out, 0, nd * sizeof *out);
    if (!nd || !n)
        return 0;
    /* the drills by district (a counting sort), then per district the drills
     * by (first, last day) in a matrix, swept from the last first day down */
    uint32_t *first = calloc(nd + 1, sizeof *first), *order = drill__alloc_large(n * sizeof *order);
    uint32_t *m = calloc(366 * 366, sizeof *m), by_end[367];
    uint8_t open[367];
    int open_before[368];
    int rc = 0;
    if (!first || !order || !m) {
        rc = drill__error(DRILL_ENOMEM, "out of memory bounding a plan's load");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t dist = drill__unit_district(p->units, p->drills[i].unit);
        first[(dist < nd ? dist : nd - 1) + 1]++;
    }
    for (size_t k = 0; k < nd; k++)
        first[k + 1] += first[k];
    for (size_t i = 0; i < n; i++) { /* a district the plan has not taken in yet counts with the last */
        uint32_t dist = drill__unit_district(p->units, p->drills[i].unit);
        order[first[dist < nd ? dist : nd - 1]++] = (uint32_t)i;
    }
    for (size_t k = nd; k > 0; k--)
        first[k] = first[k - 1];
    first[0] = 0;
    for (size_t dist = 0; dist < nd; dist++) {
        open_before[0] = 0;
        for (int day = 0; day < p->ndays; day++) {
            open[day] = p->working[day] && !drill__plan_is_closed(p, (uint32_t)dist, day);
            open_before[day + 1] = open_before[day] + open[day];
        }
        uint8_t starts[366] = { 0 };
        int any = 0;
        for (uint32_t k = first[dist]; k < first[dist + 1]; k++) {
            int lo, hi;
            const drill_rec *d = &p->drills[order[k]];
            if ((!observed_only || drill__plan_needs_observer(p, d)) &&
                bound_window(p, d, today, open, open_before, &lo, &hi)) {
                m[lo * 366 + hi]++;
                starts[lo] = 1;
                any = 1;
            }
        }
        if (!any)
            continue;
        memset(by_end, 0, sizeof by_end);
        int bound = 0;
        for (int a = p->ndays - 1; a >= 0; a--) {
            if (!starts[a])
                continue;
            for (int e = a; e < p->ndays; e++) {
                by_end[e] += m[a * 366 + e];
                m[a * 366 + e] = 0;
            }
            uint64_t inside = 0;
            for (int b = a; b < p->ndays; b++) {
                inside += by_end[b];
                int days = open_before[b + 1] - open_before[a];
                if (inside && days) {
                    int need = (int)((inside + (uint64_t)days - 1) / (uint64_t)days);
                    if (need > bound)
                        bound = need;
                }
            }
        }
        out[dist] = bound;
    }
done:
    free(first);
    free(order);
    free(m);
    return rc;
}

int drill_plan_district_quality(drill_district_quality *out, const drill_plan *plan, size_t district)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    int rc = drill__out_check(out, &drill__abi_drill_district_quality);
    if (rc)
        return rc;
    const drill_units *units = plan->units;
    if (district >= units->ndistricts || district >= plan->ndistricts)
        return drill__error(DRILL_ENOTFOUND, "no district at index %zu", district);
    int total[366] = { 0 }, observed[366] = { 0 };
    drill_district_quality q = DRILL_DISTRICT_QUALITY_INIT;
    memset(&q, 0, sizeof q);
    q.district = units->pool + units->districts[district];
    q.capacity = drill__plan_capacity(plan, (uint32_t)district);
    for (size_t i = 0; i < plan->count; i++) {
        const drill_rec *d = &plan->drills[i];
        if (drill__unit_district(units, d->unit) != district)
            continue;
        q.drills++;
        q.observed += d->observer;
        if (d->day < 0)
            continue;
        total[d->day]++;
        observed[d->day] += d->observer;
    }
    int busiest = -1;
    for (int day = 0; day < plan->ndays; day++) {
        if (busiest < 0 || total[day] > total[busiest])
            busiest = day;
        if (observed[day] > q.busiest_observed)
            q.busiest_observed = observed[day];
    }
    q.busiest = total[busiest];
    drill__from_serial(plan->y0 + busiest, &q.busiest_day);
    /* no schedule beats ceil(n / open working days) for the drills confined to any interval */
    int *bounds = malloc(plan->ndistricts * sizeof *bounds);
    if (!bounds)
        return drill__error(DRILL_ENOMEM, "out of memory bounding a plan's load");
    rc = drill__plan_bounds(bounds, plan, drill__schedule_today(plan, &plan->opts), 1);
    q.lower_bound = bounds[district];
    free(bounds);
    return rc ? rc : drill__out_fill(out, &q, &drill__abi_drill_district_quality);
}
