/* The scheduler: places the plan's drills on days.
 *
 * Each district keeps two segment trees over the year's days (all drills;
 * observer-attended drills with capacity), so the least-loaded day of a
 * window is found in O(log days) and a whole city's year is placed in one
 * pass. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "rule_internal.h"
#include "unit_internal.h"

#include "plan_internal.h"

/* ---- the scheduler ---- */

static void tree_set(uint32_t *tree, int day, uint32_t key)
{
    size_t i = TREE_LEAVES + (size_t)day;
    tree[i] = key;
    for (i /= 2; i >= 1; i /= 2) {
        uint32_t a = tree[2 * i], b = tree[2 * i + 1];
        tree[i] = a < b ? a : b;
    }
}

/* the leftmost day in [a, b] with the least key; INF when all are INF */
static uint32_t tree_argmin(const uint32_t *tree, size_t node, int lo, int hi, int a, int b, int *day)
{
    if (b < lo || hi < a || tree[node] == INF)
        return INF;
    if (lo == hi) {
        *day = lo;
        return tree[node];
    }
    int mid = (lo + hi) / 2, dl = -1, dr = -1;
    uint32_t l = tree_argmin(tree, 2 * node, lo, mid, a, b, &dl);
    /* the right half cannot beat a left minimum equal to the whole node's */
    if (l == tree[node] && a <= lo && mid <= b) {
        *day = dl;
        return l;
    }
    uint32_t r = tree_argmin(tree, 2 * node + 1, mid + 1, hi, a, b, &dr);
    if (r < l) {
        *day = dr;
        return r;
    }
    *day = dl;
    return l;
}

typedef struct sched {
    drill_plan *p;
    district_load **load; /* per district, made when first needed */
    int capacity_default, spacing;
    drill_risk observer_min_risk;
    int observe_comprehensive;
} sched;

/* observed drills first, then all drills; capacity <= 65535 keeps a
 * day that is not full below INF */
static uint32_t obs_key(const district_load *l, int day)
{
    uint32_t total = l->total[day] < 0xFFFF ? l->total[day] : 0xFFFF;
    return l->observed[day] >= (uint32_t)l->capacity ? INF : (l->observed[day] << 16) | total;
}

static district_load *load_of(sched *s, uint32_t district)
{
    district_load *l = s->load[district];
    if (l)
        return l;
    l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    int over = s->p->capacity_override[district];
    l->capacity = over >= 0 ? over : s->capacity_default;
    for (size_t i = 0; i < 2 * TREE_LEAVES; i++)
        l->all[i] = l->obs[i] = INF;
    for (int d = 0; d < s->p->ndays; d++)
        l->open[d] = s->p->working[d] && !drill__plan_is_closed(s->p, district, d);
    for (int d = 0; d < s->p->ndays; d++)
        if (l->open[d]) {
            tree_set(l->all, d, 0);
            tree_set(l->obs, d, obs_key(l, d));
        }
    s->load[district] = l;
    return l;
}

static void book(district_load *l, int day, int observer)
{
    l->total[day]++;
    l->observed[day] += (uint32_t)observer;
    tree_set(l->all, day, l->total[day] < INF - 1 ? l->total[day] : INF - 1);
    tree_set(l->obs, day, obs_key(l, day));
}

static int spaced(const sched *s, const drill_rec *d, int day)
{
    if (s->spacing <= 0)
        return 1;
    const drill_plan *p = s->p;
    for (uint32_t i = p->unit_first[d->unit]; i < p->unit_first[d->unit + 1]; i++) {
        const drill_rec *o = &p->drills[i];
        if (o != d && o->day >= 0 && abs(o->day - day) < s->spacing)
            return 0;
    }
    return 1;
}

static int blacked_out(const sched *s, const drill_rec *d, int day)
{
    return s->p->units->units[d->unit].blackout && drill__unit_blacked_out(s->p->units, d->unit, s->p->y0 + day);
}

/* may d be held on day, given what is booked? */
static int feasible(const sched *s, const district_load *l, const drill_rec *d, int day)
{
    return day >= d->win_start && day <= d->win_end && l->open[day] && !blacked_out(s, d, day) &&
           spaced(s, d, day) && (!d->observer || l->observed[day] < (uint32_t)l->capacity);
}

/* no cheap day fits this unit: look at every day of the window, and if none
 * fits, say which constraint ruled the window out */
static int scan(const sched *s, const district_load *l, drill_rec *d)
{
    int best = -1, working = 0, blackout = 0, capacity = 0;
    uint32_t best_key = INF;
    for (int day = d->win_start; day <= d->win_end; day++) {
        if (!l->open[day])
            continue;
        working++;
        if (blacked_out(s, d, day)) {
            blackout++;
            continue;
        }
        if (!spaced(s, d, day))
            continue;
        if (d->observer && l->observed[day] >= (uint32_t)l->capacity) {
            capacity++;
            continue;
        }
        uint32_t key = d->observer ? obs_key(l, day) : l->total[day];
        if (key < best_key) {
            best_key = key;
            best = day;
        }
    }
    if (best < 0)
        d->reason = !working ? DRILL_REASON_NO_WORKING_DAY
                    : blackout == working ? DRILL_REASON_BLACKOUT
                    : capacity ? DRILL_REASON_CAPACITY
                               : DRILL_REASON_SPACING;
    return best;
}

static int place(sched *s, drill_rec *d)
{
    d->reason = DRILL_REASON_NONE;
    if (d->win_start > d->win_end) {
        d->reason = DRILL_REASON_NO_WORKING_DAY;
        return 0;
    }
    district_load *l = load_of(s, drill__unit_district(s->p->units, d->unit));
    if (!l)
        return drill__error(DRILL_ENOMEM, "out of memory scheduling");
    int day = -1;
    uint32_t key = tree_argmin(d->observer ? l->obs : l->all, 1, 0, TREE_LEAVES - 1, d->win_start, d->win_end, &day);
    if (key == INF && !s->p->units->units[d->unit].blackout) {
        /* every working day of the window is full (or there is none): no need to look at each */
        uint32_t any = tree_argmin(l->all, 1, 0, TREE_LEAVES - 1, d->win_start, d->win_end, &day);
        d->reason = any == INF ? DRILL_REASON_NO_WORKING_DAY : DRILL_REASON_CAPACITY;
        return 0;
    }
    if (key == INF || !feasible(s, l, d, day))
        day = scan(s, l, d);
    if (day >= 0) {
        d->day = (int16_t)day;
        book(l, day, d->observer);
    }
    return 0;
}

/* keep a drill's previous day if it is still valid */
static int keep(sched *s, drill_rec *d, int day)
{
    if (day < 0)
        return 0;
    district_load *l = load_of(s, drill__unit_district(s->p->units, d->unit));
    if (!l)
        return drill__error(DRILL_ENOMEM, "out of memory scheduling");
    if (!feasible(s, l, d, day))
        return 0;
    d->day = (int16_t)day;
    book(l, day, d->observer);
    return 0;
}


/* comprehensive first, then by risk, then tighter windows first: a 13-bit key */
#define PRIORITY_KEYS (1u << 13)
static unsigned priority(const drill_plan *p, const drill_rec *d)
{
    unsigned comprehensive = drill__plan_rule_of(p, d)->kind == DRILL_KIND_COMPREHENSIVE ? 0 : 1;
    unsigned risk = 4u - drill__plan_unit_of(p, d)->risk;
    unsigned width = d->win_start > d->win_end ? 0 : (unsigned)(d->win_end - d->win_start);
    return comprehensive << 12 | risk << 9 | width;
}

/* the drills to place (all but, or only, the second rolling drills) in
 * priority order; a counting sort, stable, so ties keep plan order */
static size_t order_drills(const drill_plan *p, int second_rolling, uint32_t *out, uint32_t *count)
{
    memset(count, 0, (PRIORITY_KEYS + 1) * sizeof *count);
    size_t n = 0;
    for (size_t i = 0; i < p->count; i++)
        if ((p->drills[i].period == P_R2) == second_rolling && p->drills[i].status <= DRILL_STATUS_SCHEDULED) {
            count[priority(p, &p->drills[i]) + 1]++;
            n++;
        }
    for (unsigned k = 1; k <= PRIORITY_KEYS; k++)
        count[k] += count[k - 1];
    for (size_t i = 0; i < p->count; i++)
        if ((p->drills[i].period == P_R2) == second_rolling && p->drills[i].status <= DRILL_STATUS_SCHEDULED)
            out[count[priority(p, &p->drills[i])]++] = (uint32_t)i;
    return n;
}

int drill__schedule_check_options(drill_schedule_options *o, const drill_schedule_options *in)
{
    drill_schedule_options defaults = DRILL_SCHEDULE_OPTIONS_INIT;
    *o = in ? *in : defaults;
    if (o->version != DRILL_SCHEDULE_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_schedule_options version %u is not %d", o->version,
                            DRILL_SCHEDULE_OPTIONS_VERSION);
    if (o->capacity < 0 || o->capacity > 65535)
        return drill__error(DRILL_EINVAL, "capacity %d is not 0-65535", o->capacity);
    if (o->spacing_days < -1 || o->spacing_days > 366)
        return drill__error(DRILL_EINVAL, "spacing_days %d is not -1-366", o->spacing_days);
    if ((int)o->observer_min_risk < 0 || o->observer_min_risk > DRILL_RISK_MAJOR)
        return drill__error(DRILL_EINVAL, "observer_min_risk %d is not 0-4", (int)o->observer_min_risk);
    if (o->observe_comprehensive < -1 || o->observe_comprehensive > 1)
        return drill__error(DRILL_EINVAL, "observe_comprehensive %d is not -1, 0 or 1", o->observe_comprehensive);
    /* defaults first, then every drill must end by midnight */
    static const int start[4] = { 0, 9 * 60, 9 * 60 + 30, 14 * 60 + 30 }, length[4] = { 0, 180, 120, 60 };
    if (!o->tabletop_minutes)
        o->tabletop_minutes = 90;
    for (int k = 1; k <= 3; k++) {
        if (o->start_minute[k] < 0 || o->duration_minutes[k] < 0 || o->tabletop_minutes < 0)
            return drill__error(DRILL_EINVAL, "start_minute[%d], duration_minutes[%d] and tabletop_minutes must "
                                "not be negative", k, k);
        if (!o->start_minute[k])
            o->start_minute[k] = start[k];
        if (!o->duration_minutes[k])
            o->duration_minutes[k] = length[k];
        int longest = o->duration_minutes[k] > o->tabletop_minutes ? o->duration_minutes[k] : o->tabletop_minutes;
        if (o->start_minute[k] + longest > 24 * 60)
            return drill__error(DRILL_EINVAL, "a %s drill starting at minute %d and lasting %d minutes runs past "
                                "midnight", drill_kind_name(k, 1), o->start_minute[k], longest);
    }
    if (!o->capacity)
        o->capacity = 30;
    if (!o->spacing_days)
        o->spacing_days = 7;
    if (!o->observer_min_risk)
        o->observer_min_risk = DRILL_RISK_HIGHER;
    if (!o->observe_comprehensive)
        o->observe_comprehensive = 1;
    return 0;
}

int drill__plan_needs_observer(const drill_plan *p, const drill_rec *d)
{
    return (p->opts.observe_comprehensive == 1 && drill__plan_rule_of(p, d)->kind == DRILL_KIND_COMPREHENSIVE) ||
           drill__plan_unit_of(p, d)->risk >= p->opts.observer_min_risk;
}

int drill_plan_schedule(drill_quality *out_quality, drill_plan *plan, const drill_schedule_options *opts)
{
    DRILL_CHECK_NULL(plan);
    plan->generation++;
    drill_schedule_options o;
    int rc = drill__schedule_check_options(&o, opts);
    if (rc)
        return rc;
    /* the calendar may have changed (a new holiday), and units may have been
     * added since the plan was made: take both in first */
    if ((rc = drill__plan_load_year(plan)) || (plan->units->count != plan->nunits && (rc = drill__plan_rebuild(plan))) ||
        (rc = drill__plan_sync_districts(plan)))
        return rc;
    drill_schedule_options old_opts = plan->opts;
    plan->opts = o;
    sched s = { plan, calloc(plan->ndistricts ? plan->ndistricts : 1, sizeof *s.load), o.capacity,
                o.spacing_days < 0 ? 0 : o.spacing_days, o.observer_min_risk, o.observe_comprehensive };
    uint32_t *ord = drill__alloc_large((plan->count ? plan->count : 1) * sizeof *ord);
    uint32_t *count = malloc((PRIORITY_KEYS + 1) * sizeof *count);
    int16_t *before = malloc((plan->count ? plan->count : 1) * sizeof *before);
    uint8_t *before_status = malloc(2 * (plan->count ? plan->count : 1)); /* status, then reason */
    uint16_t *before_revision = malloc((plan->count ? plan->count : 1) * sizeof *before_revision);
    drill_quality old_quality = plan->quality;
    int touched = 0, old_scheduled = plan->scheduled;
    if (!s.load || !ord || !count || !before || !before_status || !before_revision) {
        rc = drill__error(DRILL_ENOMEM, "out of memory scheduling");
        goto done;
    }
    for (size_t i = 0; i < plan->count; i++) {
        drill_rec *d = &plan->drills[i];
        before[i] = d->day;
        before_status[i] = d->status;
        before_status[plan->count + i] = d->reason;
        before_revision[i] = d->revision;
        d->observer = (uint8_t)drill__plan_needs_observer(plan, d);
        if (d->status <= DRILL_STATUS_SCHEDULED || d->status == DRILL_STATUS_CANCELLED)
            d->day = -1;
    }
    touched = 1;
    /* held drills stay where they were held and take their share of the load */
    for (size_t i = 0; i < plan->count && rc == 0; i++) {
        drill_rec *d = &plan->drills[i];
        if (d->day >= 0) {
            district_load *l = load_of(&s, drill__unit_district(plan->units, d->unit));
            if (!l)
                rc = drill__error(DRILL_ENOMEM, "out of memory scheduling");
            else
                book(l, d->day, d->observer);
        }
    }
    /* keep what is still valid, then place the rest; then the same for the
     * second rolling drills, whose windows follow where the first went */
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        if (pass == 1)
            for (size_t i = 0; i < plan->count; i++)
                if (plan->drills[i].period == P_R2)
                    drill__plan_rolling_window(plan, &plan->drills[i]);
        size_t n = order_drills(plan, pass, ord, count);
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = keep(&s, &plan->drills[ord[i]], before[ord[i]]);
        for (size_t i = 0; i < n && rc == 0; i++)
            if (plan->drills[ord[i]].day < 0)
                rc = place(&s, &plan->drills[ord[i]]);
    }
    if (rc)
        goto done;
    drill_quality q;
    memset(&q, 0, sizeof q);
    q.required = plan->count;
    q.covered = plan->covered;
    for (size_t i = 0; i < plan->count; i++) {
        drill_rec *d = &plan->drills[i];
        if (d->status <= DRILL_STATUS_SCHEDULED)
            d->status = d->day >= 0 ? DRILL_STATUS_SCHEDULED : DRILL_STATUS_PLANNED;
        if (before[i] >= 0 && d->status <= DRILL_STATUS_SCHEDULED)
            *(before[i] == d->day ? &q.kept : &q.moved) += 1;
        if (before[i] != d->day && d->revision < 65535)
            d->revision++;
    }
    drill__plan_count_quality(plan, &q);
    if ((rc = drill_plan_validate(&q.violations, plan)) == 0) {
        plan->quality = q;
        plan->scheduled = 1;
        if (out_quality)
            *out_quality = q;
    }
done:
    if (rc) { /* a failure leaves the previous schedule as it was */
        plan->opts = old_opts;
        plan->quality = old_quality;
        plan->scheduled = old_scheduled;
        for (size_t i = 0; touched && i < plan->count; i++) {
            drill_rec *d = &plan->drills[i];
            d->day = before[i];
            d->status = before_status[i];
            d->reason = before_status[plan->count + i];
            d->revision = before_revision[i];
            d->observer = (uint8_t)drill__plan_needs_observer(plan, d);
            if (d->period == P_R2)
                drill__plan_rolling_window(plan, d);
        }
    }
    if (s.load)
        for (size_t d = 0; d < plan->ndistricts; d++)
            free(s.load[d]);
    free(s.load);
    free(ord);
    free(count);
    free(before);
    free(before_status);
    free(before_revision);
    return rc;
}

int drill_plan_schedule_options(drill_schedule_options *out, const drill_plan *plan)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    *out = plan->opts;
    return 0;
}
