/* The scheduler: places the plan's drills on days.
 *
 * The drills go narrowest window first (an earliest-deadline-first order for
 * the nested windows of the rules: a wide window can always give way, a
 * narrow one cannot). Each district keeps two min-trees over the year's days
 * (every drill; observer-attended drills, a full day counting as infinite),
 * keyed by the day's load plus a penalty for days that are usable but not
 * preferred (make-up working days, optionally the first day after a long
 * break). A drill takes the open day nearest its aim (target()) whose load is
 * still under the district's lower bound -- the interval bound of
 * validate.c, which no schedule can beat -- found in O(log days). An
 * observed drill also keeps under the bound of the observed drills alone
 * (the load the observer capacity constrains, which the quality report
 * gives): a day at it counts as over the bound in the observed tree, the
 * augmenting paths below keep it, and the fallback takes the day least over
 * it first.
 *
 * When no day fits like that, repair() looks for an augmenting path, as in a
 * bipartite b-matching: a chain of drills, each moved to another day of its
 * own window, that ends on a day with room -- under the bound (never moving
 * a drill that kept its day), or, when the observers are fully booked, with
 * an observer free. Only then does a drill take the least-loaded day over
 * the bound, or, if spacing alone rules days out, move one of its unit's
 * drills (unblock()), or stay unplaced with its reason.
 *
 * Today: nothing is placed on or before it; a scheduled drill whose day is
 * on or before it stays there, as every held drill does, and counts on its
 * day.
 *
 * Start times: once the days are set, each district's day shares its
 * observed drills over the day's start slots, at most the district's
 * observers for a slot (capacity over day_slots, rounded up) in each: a
 * drill keeps the slot drawn from its identity unless more drills of that
 * day prefer it than it has room for (drill__schedule_assign_slots()). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "abi.h"
#include "internal.h"
#include "rule_internal.h"
#include "unit_internal.h"
#include "vec.h"

#include "plan_internal.h"

#define TREE_LEAVES 512 /* >= 366 days */
#define INF 0xFFFFFFFFu
#define AVOID 0x40000000u /* the penalty of a day to avoid: never under the bound */
#define MAX_CAMPAIGN_WINDOWS 32
#define LOAD_MISSES 64

typedef struct district_load {
    uint32_t total[TREE_LEAVES], observed[TREE_LEAVES], penalty[TREE_LEAVES];
    uint8_t open[TREE_LEAVES]; /* a working day not closed for the district */
    uint32_t all[2 * TREE_LEAVES], obs[2 * TREE_LEAVES]; /* min-trees; leaves at TREE_LEAVES + day */
    int capacity, bound;
    int obs_bound; /* the bound of the observed drills alone, which the capacity constrains */
    int load_misses; /* load repairs that found no room: after LOAD_MISSES, no more */
    /* the days the last capacity repair that failed reached, and the
     * bookings it saw: a drill whose every possible day is among them fails
     * the same way until something is booked or unbooked */
    uint32_t gen, failed_gen;
    uint8_t failed_reached[TREE_LEAVES];
    int32_t *head; /* per day, the first drill booked on it (repair()'s lists), -1 none; NULL until needed */
} district_load;

typedef struct sched {
    drill_plan *p;
    district_load **load; /* per district, made when first needed */
    int capacity_default, spacing, today, pass;
    int *bounds;          /* per district */
    int *obs_bounds;      /* per district, of the observed drills */
    uint8_t makeup[TREE_LEAVES], avoid[TREE_LEAVES];
    int16_t wrank[TREE_LEAVES + 1], wday[TREE_LEAVES]; /* working days before a day; the nth working day */
    int nworking;
    int32_t *next;        /* repair()'s lists: the next drill booked on the same day, -1 none */
    int ncw;              /* campaign windows of the year, for steering comprehensive drills */
    int16_t cw_start[MAX_CAMPAIGN_WINDOWS], cw_end[MAX_CAMPAIGN_WINDOWS];
} sched;

/* ---- min-trees over the days ---- */

static void tree_set(uint32_t *tree, int day, uint32_t key)
{
    size_t i = TREE_LEAVES + (size_t)day;
    tree[i] = key;
    for (i /= 2; i >= 1; i /= 2) {
        uint32_t a = tree[2 * i], b = tree[2 * i + 1];
        tree[i] = a < b ? a : b;
    }
}

/* the first day in [a, b] whose key is below thr, -1 if none */
static int first_below(const uint32_t *tree, size_t node, int lo, int hi, int a, int b, uint32_t thr)
{
    if (b < lo || hi < a || tree[node] >= thr)
        return -1;
    if (lo == hi)
        return lo;
    int mid = (lo + hi) / 2, d = first_below(tree, 2 * node, lo, mid, a, b, thr);
    return d >= 0 ? d : first_below(tree, 2 * node + 1, mid + 1, hi, a, b, thr);
}

/* the last day in [a, b] whose key is below thr, -1 if none */
static int last_below(const uint32_t *tree, size_t node, int lo, int hi, int a, int b, uint32_t thr)
{
    if (b < lo || hi < a || tree[node] >= thr)
        return -1;
    if (lo == hi)
        return lo;
    int mid = (lo + hi) / 2, d = last_below(tree, 2 * node + 1, mid + 1, hi, a, b, thr);
    return d >= 0 ? d : last_below(tree, 2 * node, lo, mid, a, b, thr);
}

/* ---- the districts' loads ---- */

static uint32_t all_key(const district_load *l, int day)
{
    uint64_t k = (uint64_t)l->total[day] + l->penalty[day];
    return !l->open[day] ? INF : k < INF - 1 ? (uint32_t)k : INF - 1;
}

/* the load without the preference against make-up days: what the bound is about */
static uint32_t raw_key(const district_load *l, int day)
{
    return l->total[day] + (l->penalty[day] >= AVOID ? AVOID : 0);
}

/* an observed drill's key: a day whose observers are fully booked is
 * infinite; one whose observed drills are at their bound is over the bound
 * of every drill too, so that an observed drill looks there last */
static uint32_t obs_key(const district_load *l, int day)
{
    if (l->observed[day] >= (uint32_t)l->capacity)
        return INF;
    uint32_t k = all_key(l, day);
    if (l->observed[day] >= (uint32_t)l->obs_bound && k < INF - 1)
        k = k + (uint32_t)l->bound + AVOID < INF - 1 ? k + (uint32_t)l->bound + AVOID : INF - 1;
    return k;
}

/* may drill d move onto day (as the last of a chain, or any link): not over
 * the observed drills' bound if it is one of them */
static int obs_room(const district_load *l, const drill_rec *d, int day)
{
    return !d->observer || l->observed[day] < (uint32_t)l->obs_bound;
}

static void set_keys(district_load *l, int day)
{
    tree_set(l->all, day, all_key(l, day));
    tree_set(l->obs, day, obs_key(l, day));
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
    l->bound = s->bounds[district] > 0 ? s->bounds[district] : 1;
    l->obs_bound = s->obs_bounds[district] > 0 ? s->obs_bounds[district] : 1;
    /* a make-up working day takes a third of the bound before the fallback fills it */
    uint32_t makeup = (uint32_t)(l->bound - l->bound / 3);
    for (size_t i = 0; i < 2 * TREE_LEAVES; i++)
        l->all[i] = l->obs[i] = INF;
    for (int d = 0; d < s->p->ndays; d++) {
        l->open[d] = s->p->working[d] && !drill__plan_is_closed(s->p, district, d);
        l->penalty[d] = s->avoid[d] ? AVOID : s->makeup[d] ? makeup : 0;
        if (l->open[d])
            set_keys(l, d);
    }
    s->load[district] = l;
    return l;
}

static district_load *load_of_drill(sched *s, const drill_rec *d)
{
    return load_of(s, drill__unit_district(s->p->units, d->unit));
}

static void book(sched *s, district_load *l, drill_rec *d, int day)
{
    l->gen++;
    d->day = (int16_t)day;
    l->total[day]++;
    l->observed[day] += d->observer;
    set_keys(l, day);
    if (l->head) {
        int32_t i = (int32_t)(d - s->p->drills);
        s->next[i] = l->head[day];
        l->head[day] = i;
    }
}

static void unbook(sched *s, district_load *l, drill_rec *d)
{
    int day = d->day;
    l->gen++;
    l->total[day]--;
    l->observed[day] -= d->observer;
    set_keys(l, day);
    if (l->head) {
        int32_t i = (int32_t)(d - s->p->drills), *at = &l->head[day];
        while (*at != i)
            at = &s->next[*at];
        *at = s->next[i];
    }
    d->day = -1;
}

/* ---- constraints ---- */

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

/* may d be held on day, given what is booked? (its window and today are the caller's) */
static int fits(const sched *s, const district_load *l, const drill_rec *d, int day)
{
    return l->open[day] && !blacked_out(s, d, day) && spaced(s, d, day) &&
           (!d->observer || l->observed[day] < (uint32_t)l->capacity);
}

/* the first day a drill may move to or be placed on */
static int first_day(const sched *s, const drill_rec *d)
{
    return d->win_start > s->today + 1 ? d->win_start : s->today + 1;
}

/* ---- where a drill would like to be ---- */

static uint32_t mix(uint32_t a, uint32_t b)
{
    /* splitmix64's finaliser over the pair */
    uint64_t z = ((uint64_t)a << 32 | b) + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* The day a drill aims at, in [lo, hi]:
 * - the second of a half-yearly or rolling pair: six months after the first
 *   (the first of a pair: six months before the second, if that is placed);
 * - a comprehensive drill free to go anywhere: a day of a campaign window
 *   inside its window, chosen by the unit (the campaigns ask for them);
 * - otherwise a day at least the unit's target gap (the year over its
 *   drills) from its other drills, as near as can be to a day chosen by the
 *   unit and rule, so that no side of a window is preferred. */
/* the working day nearest day (either side, as bit says), by rank */
static int working_near(const sched *s, int day, uint32_t bit)
{
    const drill_plan *p = s->p;
    if (day < 0 || day >= p->ndays || p->working[day] || !s->nworking)
        return day;
    int r = s->wrank[day]; /* the next working day's rank */
    if (r >= s->nworking || (r > 0 && (bit & 1)))
        r--;
    return s->wday[r];
}

/* the working day `by` working days from day (which is one), clipped to the year's */
static int working_step(const sched *s, int day, int by)
{
    int r = s->wrank[day] + by;
    r = r < 0 ? 0 : r >= s->nworking ? s->nworking - 1 : r;
    return s->wday[r];
}

static int target(const sched *s, const drill_rec *d, int lo, int hi)
{
    const drill_plan *p = s->p;
    const drill_rec *first = &p->drills[p->unit_first[d->unit]], *end = &p->drills[p->unit_first[d->unit + 1]];
    uint32_t h = mix(d->unit, (uint32_t)d->rule << 8 | d->period);
    if ((d->period == P_H2 || d->period == P_R2) && d > first && d[-1].rule == d->rule && d[-1].day >= 0)
        return working_near(s, d[-1].day + 182, h >> 7);
    if ((d->period == P_H1 || d->period == P_R1) && d + 1 < end && d[1].rule == d->rule && d[1].day >= 0)
        return working_near(s, d[1].day - 182, h >> 7);
    if (!s->nworking)
        return lo;
    /* working days are counted by rank, so that no weekday is preferred */
    int rlo = s->wrank[lo], rhi = s->wrank[hi + 1] - 1;
    if (rlo > rhi)
        return lo;
    const drill_rule *r = drill__plan_rule_of(p, d);
    if (r->kind == DRILL_KIND_COMPREHENSIVE && !r->campaign) {
        int fit[MAX_CAMPAIGN_WINDOWS], nfit = 0;
        for (int k = 0; k < s->ncw; k++)
            if (s->cw_start[k] >= lo && s->cw_end[k] <= hi && s->wrank[s->cw_end[k] + 1] > s->wrank[s->cw_start[k]])
                fit[nfit++] = k;
        if (nfit) {
            int k = fit[h % (uint32_t)nfit], a = s->wrank[s->cw_start[k]], b = s->wrank[s->cw_end[k] + 1];
            return s->wday[a + (int)((h >> 16) % (uint32_t)(b - a))];
        }
    }
    int mates[64], n = 0, drills = 0;
    for (const drill_rec *o = first; o < end; o++) {
        drills += o->status != DRILL_STATUS_CANCELLED;
        if (o != d && o->day >= 0 && n < 64)
            mates[n++] = o->day;
    }
    /* a first rolling drill aims at the later half of its window: the second
     * must come in July or later and within six months of it */
    if (d->period == P_R1 && rhi > rlo)
        rlo += (rhi - rlo + 1) / 2;
    int pick = s->wday[rlo + (int)(h % (uint32_t)(rhi - rlo + 1))];
    if (!n)
        return pick;
    /* the unit's target gap in working days; distances are in days */
    int gap = s->nworking / (drills > 1 ? drills : 2), best = pick, best_score = -1, best_off = 0;
    int day_gap = p->ndays / (drills > 1 ? drills : 2);
    /* candidates: the unit's own pick, a gap either side of each other drill, the window's ends */
    for (int c = -1; c < 2 * n + 2; c++) {
        int x;
        if (c < 0)
            x = pick;
        else if (c < 2 * n)
            x = working_step(s, working_near(s, mates[c / 2], (uint32_t)c), c % 2 ? gap : -gap);
        else
            x = s->wday[c == 2 * n ? rlo : rhi];
        x = x < lo ? s->wday[rlo] : x > hi ? s->wday[rhi] : x;
        int score = day_gap;
        for (int m = 0; m < n; m++)
            if (abs(x - mates[m]) < score)
                score = abs(x - mates[m]);
        int off = abs(x - pick);
        if (score > best_score || (score == best_score && off < best_off)) {
            best = x;
            best_score = score;
            best_off = off;
        }
    }
    return best;
}

/* the day nearest t in [lo, hi] with a key below thr on which d fits, -1 if none */
static int nearest(const sched *s, const district_load *l, const drill_rec *d, int lo, int hi, int t, uint32_t thr)
{
    const uint32_t *tree = d->observer ? l->obs : l->all;
    t = t < lo ? lo : t > hi ? hi : t;
    int r = first_below(tree, 1, 0, TREE_LEAVES - 1, t, hi, thr);
    int left = last_below(tree, 1, 0, TREE_LEAVES - 1, lo, t - 1, thr);
    while (r >= 0 || left >= 0) {
        int take_right = left < 0 || (r >= 0 && r - t <= t - left);
        int day = take_right ? r : left;
        if (fits(s, l, d, day))
            return day;
        if (take_right)
            r = day < hi ? first_below(tree, 1, 0, TREE_LEAVES - 1, day + 1, hi, thr) : -1;
        else
            left = day > lo ? last_below(tree, 1, 0, TREE_LEAVES - 1, lo, day - 1, thr) : -1;
    }
    return -1;
}

/* the least-loaded day of [lo, hi] on which d fits, nearest t among equals
 * (an observed drill: the day least over the observed drills' bound first);
 * -1 if none */
static int least_loaded(const sched *s, const district_load *l, const drill_rec *d, int lo, int hi, int t)
{
    int best = -1;
    uint64_t best_key = UINT64_MAX;
    for (int day = lo; day <= hi; day++) {
        if (!fits(s, l, d, day))
            continue;
        uint64_t over = d->observer && l->observed[day] >= (uint32_t)l->obs_bound
                            ? l->observed[day] - (uint32_t)l->obs_bound + 1
                            : 0;
        uint64_t key = over << 32 | raw_key(l, day);
        if (key < best_key || (key == best_key && abs(day - t) < abs(best - t))) {
            best = day;
            best_key = key;
        }
    }
    return best;
}

/* why no day of [lo, hi] fits d */
static drill_reason why_not(const sched *s, const district_load *l, const drill_rec *d, int lo, int hi)
{
    int working = 0, blackout = 0, capacity = 0;
    for (int day = lo; day <= hi; day++) {
        if (!l->open[day])
            continue;
        working++;
        if (blacked_out(s, d, day))
            blackout++;
        else if (spaced(s, d, day))
            capacity++; /* it fits but for the observers */
    }
    return !working ? DRILL_REASON_NO_WORKING_DAY
           : blackout == working ? DRILL_REASON_BLACKOUT
           : capacity ? DRILL_REASON_CAPACITY
                      : DRILL_REASON_SPACING;
}

/* is some day of [lo, hi] ruled out for d by spacing alone (so that moving
 * one of its unit's drills could open it)? */
static int spacing_only(const sched *s, const district_load *l, const drill_rec *d, int lo, int hi)
{
    for (int day = lo; day <= hi; day++)
        if (l->open[day] && (!d->observer || l->observed[day] < (uint32_t)l->capacity) && !blacked_out(s, d, day) &&
            !spaced(s, d, day))
            return 1;
    return 0;
}

/* ---- augmenting paths ---- */

/* repair()'s lists of the drills booked on each day of the district */
static int make_lists(sched *s, district_load *l, uint32_t district)
{
    drill_plan *p = s->p;
    if (!s->next) {
        s->next = drill__alloc_large((p->count ? p->count : 1) * sizeof *s->next);
        if (!s->next)
            return drill__error(DRILL_ENOMEM, "out of memory scheduling");
    }
    l->head = malloc(TREE_LEAVES * sizeof *l->head);
    if (!l->head)
        return drill__error(DRILL_ENOMEM, "out of memory scheduling");
    for (int day = 0; day < TREE_LEAVES; day++)
        l->head[day] = -1;
    for (size_t i = p->count; i-- > 0;) {
        const drill_rec *d = &p->drills[i];
        if (d->day >= 0 && drill__unit_district(p->units, d->unit) == district) {
            s->next[i] = l->head[d->day];
            l->head[d->day] = (int32_t)i;
        }
    }
    return 0;
}

/* the next day >= day not yet reached, in a union-find over the days */
static int next_free(int *up, int day)
{
    int root = day;
    while (up[root] != root)
        root = up[root];
    while (up[day] != root) {
        int n = up[day];
        up[day] = root;
        day = n;
    }
    return root;
}

/* An augmenting path, as in a b-matching. load 0: d finds every day of
 * [lo, hi] full of observed drills; look for a chain of observed drills,
 * each moving to another day of its own window, that ends on a day with an
 * observer free. load 1: d finds every day of [lo, hi] at the district's
 * bound; look for a chain of drills that ends on a day under it. Breadth
 * first over the days, each day reached once. Places d (*out_placed = 1) if
 * there is one. */
static int repair(sched *s, district_load *l, drill_rec *d, int lo, int hi, int load, int *out_placed)
{
    drill_plan *p = s->p;
    *out_placed = 0;
    if (!l->head) {
        int rc = make_lists(s, l, drill__unit_district(p->units, d->unit));
        if (rc)
            return rc;
    }
    int up[TREE_LEAVES + 1], parent[TREE_LEAVES], queue[TREE_LEAVES], nq = 0;
    int32_t via[TREE_LEAVES];
    for (int day = 0; day <= TREE_LEAVES; day++)
        up[day] = day;
    for (int day = 0; day < TREE_LEAVES; day++)
        if (day >= p->ndays || !l->open[day] || day <= s->today || (load && l->penalty[day] >= AVOID))
            up[day] = day + 1; /* never reachable */
    int known = !load && l->failed_gen == l->gen; /* nothing booked since a repair failed */
    for (int day = next_free(up, lo); day <= hi; day = next_free(up, day + 1)) {
        if (blacked_out(s, d, day) || !spaced(s, d, day) ||
            (load && d->observer && l->observed[day] >= (uint32_t)l->capacity))
            continue;
        known &= l->failed_reached[day];
        if (load && raw_key(l, day) < (uint32_t)l->bound && obs_room(l, d, day)) { /* a make-up day still under the bounds */
            book(s, l, d, day);
            *out_placed = 1;
            return 0;
        }
        up[day] = day + 1;
        parent[day] = -1;
        via[day] = -1;
        queue[nq++] = day;
    }
    if (known && nq)
        return 0; /* the same days reach the same days: no room */
    int found = -1;
    for (int q = 0; q < nq && found < 0; q++) {
        int e = queue[q];
        for (int32_t i = l->head[e]; i >= 0 && found < 0; i = s->next[i]) {
            drill_rec *y = &p->drills[i];
            /* held drills and drills whose day has come stay; in the second
             * pass a first rolling drill stays, its second follows it */
            /* balancing the load moves no drill that kept its day */
            if ((!load && !y->observer) || (load && (y->flags & DREC_KEPT)) || y->status > DRILL_STATUS_SCHEDULED ||
                y->day <= s->today || y == d || (s->pass == 1 && y->period == P_R1))
                continue;
            /* balancing the load: an observed d that takes the place of a
             * drill not observed adds one to its day's observed drills */
            if (load && parent[e] < 0 && !y->observer && !obs_room(l, d, e))
                continue;
            for (int f = next_free(up, first_day(s, y)); f <= y->win_end; f = next_free(up, f + 1)) {
                if (blacked_out(s, y, f) || !spaced(s, y, f) ||
                    (load && y->observer && l->observed[f] >= (uint32_t)l->capacity) || (load && !obs_room(l, y, f)))
                    continue;
                up[f] = f + 1;
                parent[f] = e;
                via[f] = i;
                if (load ? raw_key(l, f) < (uint32_t)l->bound : l->observed[f] < (uint32_t)l->capacity) {
                    found = f;
                    break;
                }
                queue[nq++] = f;
            }
        }
    }
    if (found < 0) {
        if (!load) {
            memset(l->failed_reached, 0, sizeof l->failed_reached);
            for (int q = 0; q < nq; q++)
                l->failed_reached[queue[q]] = 1;
            l->failed_gen = l->gen;
        }
        return 0;
    }
    /* move the chain from its free end back to d's day; every move is
     * checked again (two drills of one unit on the chain could clash) */
    int32_t moved[TREE_LEAVES];
    int16_t from[TREE_LEAVES];
    int nmoved = 0, day = found, ok = 1;
    while (parent[day] >= 0) {
        drill_rec *y = &p->drills[via[day]];
        int old = y->day;
        unbook(s, l, y);
        if (!fits(s, l, y, day)) {
            book(s, l, y, old);
            ok = 0;
            break;
        }
        book(s, l, y, day);
        moved[nmoved] = via[day];
        from[nmoved++] = (int16_t)old;
        day = old;
    }
    if (ok && fits(s, l, d, day)) {
        book(s, l, d, day);
        *out_placed = 1;
        return 0;
    }
    while (nmoved-- > 0) { /* put the chain back */
        drill_rec *y = &p->drills[moved[nmoved]];
        unbook(s, l, y);
        book(s, l, y, from[nmoved]);
    }
    return 0;
}

/* ---- placing ---- */

/* the day d would take in [lo, hi] as things stand: the nearest its target
 * under the bound, else the least-loaded nearest it; -1 if none fits */
static int find_day(const sched *s, const district_load *l, const drill_rec *d, int lo, int hi)
{
    if (lo > hi)
        return -1;
    int t = target(s, d, lo, hi);
    int day = nearest(s, l, d, lo, hi, t, (uint32_t)l->bound);
    if (day < 0) /* over the bound: the least-loaded day, make-up days counted as any other */
        day = least_loaded(s, l, d, lo, hi, t);
    return day;
}

/* d is too close to the unit's other drills on every day left: move one of
 * them elsewhere in its own window if that makes room, trying d on every day
 * that would then fit it, best day first. Returns 1 if d was placed. */
static int unblock(sched *s, district_load *l, drill_rec *d, int lo, int hi)
{
    drill_plan *p = s->p;
    for (uint32_t i = p->unit_first[d->unit]; i < p->unit_first[d->unit + 1]; i++) {
        drill_rec *m = &p->drills[i];
        if (m == d || m->day < 0 || m->status > DRILL_STATUS_SCHEDULED || m->day <= s->today ||
            (s->pass == 1 && m->period == P_R1))
            continue;
        int old = m->day;
        unbook(s, l, m);
        int first = find_day(s, l, d, lo, hi);
        for (int k = lo - 1; first >= 0 && k <= hi; k++) {
            int day = k < lo ? first : k; /* find_day's choice, then every other day */
            if ((k >= lo && (day == first || !fits(s, l, d, day))))
                continue;
            book(s, l, d, day);
            int elsewhere = find_day(s, l, m, first_day(s, m), m->win_end), placed = 0;
            if (elsewhere >= 0) {
                book(s, l, m, elsewhere);
                return 1;
            }
            if (m->observer && repair(s, l, m, first_day(s, m), m->win_end, 0, &placed) == 0 && placed)
                return 1;
            unbook(s, l, d);
        }
        book(s, l, m, old);
    }
    return 0;
}

static int place(sched *s, drill_rec *d)
{
    d->reason = DRILL_REASON_NONE;
    int lo = first_day(s, d), hi = d->win_end;
    if (lo > hi) {
        d->reason = DRILL_REASON_NO_WORKING_DAY; /* an empty window, or one that has passed */
        return 0;
    }
    district_load *l = load_of_drill(s, d);
    if (!l)
        return drill__error(DRILL_ENOMEM, "out of memory scheduling");
    int placed = 0, rc;
    int day = nearest(s, l, d, lo, hi, target(s, d, lo, hi), (uint32_t)l->bound);
    if (day < 0 && l->load_misses < LOAD_MISSES) {
        /* every day is at the bound: make room under it before going over */
        if ((rc = repair(s, l, d, lo, hi, 1, &placed)) || placed)
            return rc;
        l->load_misses++;
    }
    if (day < 0)
        day = find_day(s, l, d, lo, hi);
    if (day >= 0) {
        book(s, l, d, day);
        return 0;
    }
    drill_reason why = why_not(s, l, d, lo, hi);
    if (why == DRILL_REASON_CAPACITY && d->observer && ((rc = repair(s, l, d, lo, hi, 0, &placed)) || placed))
        return rc;
    if ((why == DRILL_REASON_SPACING || (why == DRILL_REASON_CAPACITY && spacing_only(s, l, d, lo, hi))) &&
        unblock(s, l, d, lo, hi))
        return 0;
    d->reason = (uint8_t)why;
    return 0;
}

/* keep a drill's previous day if it is still valid and still to come */
static int keep(sched *s, drill_rec *d, int day)
{
    if (day < 0 || day < first_day(s, d) || day > d->win_end)
        return 0;
    district_load *l = load_of_drill(s, d);
    if (!l)
        return drill__error(DRILL_ENOMEM, "out of memory scheduling");
    if (fits(s, l, d, day)) {
        book(s, l, d, day);
        d->flags |= DREC_KEPT;
    }
    return 0;
}

/* narrowest window first (the window still to come), then comprehensive
 * drills, then by risk: a 13-bit key */
#define PRIORITY_KEYS (1u << 13)
static unsigned priority(const sched *s, const drill_rec *d)
{
    const drill_plan *p = s->p;
    int lo = first_day(s, d);
    unsigned width = lo > d->win_end ? 0 : (unsigned)(d->win_end - lo);
    unsigned comprehensive = drill__plan_rule_of(p, d)->kind == DRILL_KIND_COMPREHENSIVE ? 0 : 1;
    unsigned risk = 4u - drill__plan_unit_of(p, d)->risk;
    return width << 4 | comprehensive << 3 | risk;
}

/* the drills to place (all but, or only, the second rolling drills) in
 * priority order; a counting sort, stable, so ties keep plan order */
static size_t order_drills(const sched *s, int second_rolling, uint32_t *out, uint32_t *count)
{
    const drill_plan *p = s->p;
    memset(count, 0, (PRIORITY_KEYS + 1) * sizeof *count);
    size_t n = 0;
#define TO_PLACE(d) (((d)->period == P_R2) == second_rolling && (d)->status <= DRILL_STATUS_SCHEDULED && (d)->day < 0)
    for (size_t i = 0; i < p->count; i++)
        if (TO_PLACE(&p->drills[i])) {
            count[priority(s, &p->drills[i]) + 1]++;
            n++;
        }
    for (unsigned k = 1; k <= PRIORITY_KEYS; k++)
        count[k] += count[k - 1];
    for (size_t i = 0; i < p->count; i++)
        if (TO_PLACE(&p->drills[i]))
            out[count[priority(s, &p->drills[i])]++] = (uint32_t)i;
#undef TO_PLACE
    return n;
}

/* ---- options ---- */

/* in is of the current version (drill_plan_schedule() copied the caller's
 * by its version, abi.h), or NULL for the defaults */
int drill__schedule_check_options(drill_schedule_options *o, const drill_schedule_options *in)
{
    drill_schedule_options defaults = DRILL_SCHEDULE_OPTIONS_INIT;
    *o = in ? *in : defaults;
    if (o->capacity < 0 || o->capacity > 65535)
        return drill__error(DRILL_EINVAL, "capacity %d is not 0-65535", o->capacity);
    if (o->spacing_days < -1 || o->spacing_days > 366)
        return drill__error(DRILL_EINVAL, "spacing_days %d is not -1-366", o->spacing_days);
    if ((int)o->observer_min_risk < 0 || o->observer_min_risk > DRILL_RISK_MAJOR)
        return drill__error(DRILL_EINVAL, "observer_min_risk %d is not 0-4", (int)o->observer_min_risk);
    if (o->observe_comprehensive < -1 || o->observe_comprehensive > 1)
        return drill__error(DRILL_EINVAL, "observe_comprehensive %d is not -1, 0 or 1", o->observe_comprehensive);
    if (o->today.year || o->today.month || o->today.day) {
        int serial;
        if (drill_date_to_serial(&serial, o->today))
            return drill__error(DRILL_EINVAL, "today %04d-%02d-%02d is not a date", o->today.year, o->today.month,
                                o->today.day);
    }
    if (o->day_slots < 0 || o->day_slots > 16)
        return drill__error(DRILL_EINVAL, "day_slots %d is not 0-16", o->day_slots);
    if (o->slot_minutes < 0 || o->slot_minutes > 12 * 60)
        return drill__error(DRILL_EINVAL, "slot_minutes %d is not 0-720", o->slot_minutes);
    if (o->avoid_after_breaks < -1 || o->avoid_after_breaks > 1)
        return drill__error(DRILL_EINVAL, "avoid_after_breaks %d is not -1, 0 or 1", o->avoid_after_breaks);
    if (o->campaign_min_days < -1 || o->campaign_min_days > 60)
        return drill__error(DRILL_EINVAL, "campaign_min_days %d is not -1-60", o->campaign_min_days);
    if (o->campaign_widen_days < 0 || o->campaign_widen_days > 183)
        return drill__error(DRILL_EINVAL, "campaign_widen_days %d is not 0-183", o->campaign_widen_days);
    if (!o->campaign_min_days)
        o->campaign_min_days = 5;
    if (!o->campaign_widen_days)
        o->campaign_widen_days = 7;
    if (!o->day_slots)
        o->day_slots = 3;
    if (!o->slot_minutes)
        o->slot_minutes = 60;
    if (!o->avoid_after_breaks)
        o->avoid_after_breaks = -1;
    /* defaults first, then every drill must end by midnight, from its last slot too */
    static const int start[4] = { 0, 9 * 60, 9 * 60 + 30, 14 * 60 + 30 }, length[4] = { 0, 180, 120, 60 };
    if (!o->tabletop_minutes)
        o->tabletop_minutes = 90;
    int last_slot = (o->day_slots - 1) * o->slot_minutes;
    for (int k = 1; k <= 3; k++) {
        if (o->start_minute[k] < 0 || o->duration_minutes[k] < 0 || o->tabletop_minutes < 0)
            return drill__error(DRILL_EINVAL, "start_minute[%d], duration_minutes[%d] and tabletop_minutes must "
                                "not be negative", k, k);
        if (!o->start_minute[k])
            o->start_minute[k] = start[k];
        if (!o->duration_minutes[k])
            o->duration_minutes[k] = length[k];
        int longest = o->duration_minutes[k] > o->tabletop_minutes ? o->duration_minutes[k] : o->tabletop_minutes;
        if (o->start_minute[k] + last_slot + longest > 24 * 60)
            return drill__error(DRILL_EINVAL, "a %s drill starting at minute %d (its last slot %d minutes later) "
                                "and lasting %d minutes runs past midnight", drill_kind_name(k, 1),
                                o->start_minute[k], last_slot, longest);
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

int drill__schedule_today(const drill_plan *p, const drill_schedule_options *o)
{
    int serial;
    if (!o->today.year || drill_date_to_serial(&serial, o->today))
        return -1;
    serial -= p->y0;
    return serial < -1 ? -1 : serial > p->ndays ? p->ndays : serial;
}

int drill__plan_needs_observer(const drill_plan *p, const drill_rec *d)
{
    return (p->opts.observe_comprehensive == 1 && drill__plan_rule_of(p, d)->kind == DRILL_KIND_COMPREHENSIVE) ||
           drill__plan_unit_of(p, d)->risk >= p->opts.observer_min_risk;
}

static uint32_t fnv(const char *c)
{
    uint32_t h = 2166136261u;
    for (; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    return h;
}

/* the drill's identity: from the unit's and the rule's ids (their hashes),
 * not their indexes, so the same in a plan of any units (one unit's part
 * read from a store, drill_store_load_unit) */
static uint32_t identity_of(uint32_t unit_hash, uint32_t rule_hash)
{
    return mix(unit_hash, rule_hash);
}

static uint32_t identity(const drill_plan *p, const drill_rec *d)
{
    return identity_of(fnv(p->units->pool + p->units->units[d->unit].id), fnv(drill__plan_rule_of(p, d)->id));
}

static int preferred_slot(const drill_plan *p, uint32_t id, const drill_rec *d)
{
    unsigned slots = (unsigned)drill__plan_day_slots(p);
    return (int)(mix(id, (uint32_t)d->period) % slots);
}

int drill__schedule_slot(const drill_plan *p, const drill_rec *d)
{
    return preferred_slot(p, identity(p, d), d);
}

void drill__schedule_take_start(drill_plan *p, size_t i, int start_minute)
{
    drill_rec *d = &p->drills[i];
    int off = start_minute - p->opts.start_minute[drill__plan_rule_of(p, d)->kind];
    int step = p->opts.slot_minutes, slots = drill__plan_day_slots(p);
    if (step > 0 && off >= 0 && off % step == 0 && off / step < slots)
        d->slot = (uint8_t)(off / step);
}

int drill__schedule_slot_cap(const drill_plan *p, uint32_t district)
{
    int slots = drill__plan_day_slots(p), cap = drill__plan_capacity(p, district);
    return (cap + slots - 1) / slots;
}

/* ---- start slots ---- */

typedef struct slot_member {
    uint64_t priority; /* higher first */
    uint32_t drill;
} slot_member;

static int by_priority(const void *a, const void *b)
{
    const slot_member *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    return x->drill < y->drill ? -1 : x->drill > y->drill;
}

static uint64_t slot_priority(const drill_plan *p, const drill_rec *d)
{
    uint32_t h = identity(p, d);
    return (uint64_t)mix(h ^ 0x85EBCA6Bu, d->period) << 32 | mix(d->period, h);
}

/* the observed drills idx[0 .. n - 1] of one day of one district, each at
 * its preferred slot already: if a slot holds more than cap, those with the
 * highest priority keep it and the others take the next slot with room;
 * scratch has room for n */
static void assign_group(drill_plan *p, const uint32_t *idx, size_t n, int cap, slot_member *scratch)
{
    int slots = drill__plan_day_slots(p), count[16] = { 0 }, over = 0;
    if (cap <= 0) /* no observers (held drills on a day closed to new ones): nothing to share */
        return;
    for (size_t k = 0; k < n; k++)
        over |= ++count[p->drills[idx[k]].slot] > cap;
    if (!over)
        return;
    slot_member *m = scratch;
    for (size_t k = 0; k < n; k++)
        m[k] = (slot_member){ slot_priority(p, &p->drills[idx[k]]), idx[k] };
    qsort(m, n, sizeof *m, by_priority);
    memset(count, 0, sizeof count);
    size_t left = 0; /* those that lost their slot, moved to the front, in priority order */
    for (size_t k = 0; k < n; k++) {
        drill_rec *d = &p->drills[m[k].drill];
        if (count[d->slot] < cap)
            count[d->slot]++;
        else
            m[left++] = m[k];
    }
    for (size_t k = 0; k < left; k++) {
        drill_rec *d = &p->drills[m[k].drill];
        for (int step = 1; step < slots; step++) {
            int s = (d->slot + step) % slots;
            if (count[s] < cap) {
                d->slot = (uint8_t)s;
                count[s]++;
                break;
            }
        } /* no slot with room (a day over its capacity, held drills): it stays where it prefers */
    }
}

static int observed_on_day(const drill_plan *p, const drill_rec *d)
{
    return d->day >= 0 && d->status != DRILL_STATUS_CANCELLED && drill__plan_needs_observer(p, d);
}

static uint32_t group_of(const drill_plan *p, size_t nd, const drill_rec *d)
{
    uint32_t dist = drill__unit_district(p->units, d->unit);
    return (dist < nd ? dist : (uint32_t)nd - 1) * 366 + (uint32_t)d->day;
}

int drill__schedule_assign_slots(drill_plan *p)
{
    size_t nd = p->ndistricts ? p->ndistricts : 1, keys = nd * 366, largest = 0;
    uint32_t *first = calloc(keys + 1, sizeof *first);
    /* the ids' hashes, once per unit and rule */
    uint32_t *unit_hash = malloc((p->nunits ? p->nunits : 1) * sizeof *unit_hash);
    uint32_t *rule_hash = malloc((p->rules && p->rules->count ? p->rules->count : 1) * sizeof *rule_hash);
    uint32_t *idx = NULL;
    slot_member *scratch = NULL;
    if (first && unit_hash && rule_hash) {
        for (size_t i = 0; i < p->count; i++)
            if (observed_on_day(p, &p->drills[i]))
                first[group_of(p, nd, &p->drills[i]) + 1]++;
        for (size_t k = 0; k < keys; k++) {
            largest = first[k + 1] > largest ? first[k + 1] : largest;
            first[k + 1] += first[k];
        }
        /* the drills by group (4 bytes a drill), and room to sort the largest group */
        idx = drill__alloc_large((first[keys] ? first[keys] : 1) * sizeof *idx);
        scratch = malloc((largest ? largest : 1) * sizeof *scratch);
    }
    if (!first || !unit_hash || !rule_hash || !idx || !scratch) {
        free(first);
        free(unit_hash);
        free(rule_hash);
        free(idx);
        free(scratch);
        return drill__error(DRILL_ENOMEM, "out of memory giving drills their start times");
    }
    for (size_t u = 0; u < p->nunits; u++)
        unit_hash[u] = fnv(p->units->pool + p->units->units[u].id);
    for (size_t r = 0; p->rules && r < p->rules->count; r++)
        rule_hash[r] = fnv(p->rules->items[r].r.id);
    for (size_t i = 0; i < p->count; i++) {
        drill_rec *d = &p->drills[i];
        d->slot = (uint8_t)preferred_slot(p, identity_of(unit_hash[d->unit], rule_hash[d->rule]), d);
        if (observed_on_day(p, d))
            idx[first[group_of(p, nd, d)]++] = (uint32_t)i;
    }
    /* first[k] is now where group k + 1 starts */
    for (size_t k = 0, start = 0; k < keys; start = first[k++])
        if (first[k] > start)
            assign_group(p, idx + start, first[k] - start, drill__schedule_slot_cap(p, (uint32_t)(k / 366)), scratch);
    free(first);
    free(unit_hash);
    free(rule_hash);
    free(idx);
    free(scratch);
    return 0;
}

static int by_index(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* the plan's day index (drill_plan.dayidx_*), made again if the plan has
 * changed since, or if a tracking change has added many drills to it */
static int day_index(drill_plan *p, const uint32_t *unit_district)
{
    if (p->dayidx_ok && p->dayidx_gen == p->generation && p->dayidx_rev == p->unit_district_rev &&
        p->dayidx_more_n < 4096)
        return 0;
    size_t nd = p->units->ndistricts ? p->units->ndistricts : 1, buckets = nd * 366, n = 0;
    uint32_t *first = calloc(buckets + 1, sizeof *first);
    for (size_t i = 0; first && i < p->count; i++) {
        const drill_rec *d = &p->drills[i];
        if (observed_on_day(p, d) && unit_district[d->unit] < nd) {
            first[unit_district[d->unit] * 366 + (size_t)d->day + 1]++;
            n++;
        }
    }
    uint32_t *idx = first ? malloc((n ? n : 1) * sizeof *idx) : NULL;
    if (!idx) {
        free(first);
        return drill__error(DRILL_ENOMEM, "out of memory giving drills their start times");
    }
    for (size_t k = 0; k < buckets; k++)
        first[k + 1] += first[k];
    for (size_t i = 0; i < p->count; i++) { /* in the plan's order, each bucket from its start */
        const drill_rec *d = &p->drills[i];
        if (observed_on_day(p, d) && unit_district[d->unit] < nd)
            idx[first[unit_district[d->unit] * 366 + (size_t)d->day]++] = (uint32_t)i;
    }
    for (size_t k = buckets; k > 0; k--) /* the fill moved each start to the next bucket's */
        first[k] = first[k - 1];
    first[0] = 0;
    free(p->dayidx_first);
    free(p->dayidx);
    p->dayidx_first = first;
    p->dayidx = idx;
    p->dayidx_more_n = 0;
    p->dayidx_districts = nd;
    p->dayidx_gen = p->generation;
    p->dayidx_rev = p->unit_district_rev;
    p->dayidx_ok = 1;
    return 0;
}

/* Drill i was put on its day by hand (held, moved): the start slots of the
 * observed drills of its district's day, from the plan's day index, not a
 * look at every drill (a million at ten times Dalian). */
int drill__schedule_assign_day_slots(drill_plan *p, size_t i)
{
    const uint32_t *unit_district = drill__plan_unit_districts(p);
    if (!unit_district)
        return DRILL_ENOMEM;
    int rc = day_index(p, unit_district);
    if (rc)
        return rc;
    if (DRILL__VEC_RESERVE(p->dayidx_more, p->dayidx_more_cap, p->dayidx_more_n + 1))
        return drill__error(DRILL_ENOMEM, "out of memory giving drills their start times");
    p->dayidx_more[p->dayidx_more_n++] = (uint32_t)i;
    uint32_t district = unit_district[p->drills[i].unit];
    int day = p->drills[i].day;
    if (district >= p->dayidx_districts || day < 0 || day >= 366)
        return 0; /* no district's day: no slots to share */
    size_t key = (size_t)district * 366 + (size_t)day, lo = p->dayidx_first[key], hi = p->dayidx_first[key + 1];
    size_t n = 0, most = hi - lo + p->dayidx_more_n;
    uint32_t *idx = malloc(most * sizeof *idx);
    slot_member *scratch = malloc(most * sizeof *scratch);
    if (!idx || !scratch) {
        free(idx);
        free(scratch);
        return drill__error(DRILL_ENOMEM, "out of memory giving drills their start times");
    }
    /* those still on the day, each once, in the plan's order */
    for (size_t k = 0; k < most; k++) {
        uint32_t j = k < hi - lo ? p->dayidx[lo + k] : p->dayidx_more[k - (hi - lo)];
        const drill_rec *d = &p->drills[j];
        if (d->day == day && observed_on_day(p, d) && unit_district[d->unit] == district)
            idx[n++] = j;
    }
    qsort(idx, n, sizeof *idx, by_index);
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (m == 0 || idx[k] != idx[m - 1])
            idx[m++] = idx[k];
    for (size_t k = 0; k < m; k++) /* from the preferred slots, as drill__schedule_assign_slots() */
        p->drills[idx[k]].slot = (uint8_t)drill__schedule_slot(p, &p->drills[idx[k]]);
    if (m)
        assign_group(p, idx, m, drill__schedule_slot_cap(p, district), scratch);
    free(idx);
    free(scratch);
    return 0;
}

/* the days that are usable but not preferred */
static void day_penalties(sched *s)
{
    const drill_plan *p = s->p;
    int run = 0;
    s->nworking = 0;
    for (int d = 0; d < p->ndays; d++) {
        s->wrank[d] = (int16_t)s->nworking;
        if (p->working[d])
            s->wday[s->nworking++] = (int16_t)d;
        int covered;
        s->makeup[d] = drill__calendar_kind(p->cal, p->y0 + d, &covered) == DRILL_DAY_MAKEUP_WORKDAY;
        s->avoid[d] = p->opts.avoid_after_breaks == 1 && p->working[d] && run >= 7;
        run = p->working[d] ? 0 : run + 1;
    }
    s->wrank[p->ndays] = (int16_t)s->nworking;
}

/* the campaign windows of the year (those of the rules' campaign drills) */
static void campaign_windows(sched *s)
{
    const drill_plan *p = s->p;
    s->ncw = 0;
    for (size_t i = 0; i < p->count && s->ncw < MAX_CAMPAIGN_WINDOWS; i++) {
        const drill_rec *d = &p->drills[i];
        if (!drill__plan_rule_of(p, d)->campaign || d->win_start > d->win_end)
            continue;
        int k = 0;
        while (k < s->ncw && (s->cw_start[k] != d->win_start || s->cw_end[k] != d->win_end))
            k++;
        if (k == s->ncw) {
            s->cw_start[k] = d->win_start;
            s->cw_end[k] = d->win_end;
            s->ncw++;
        }
    }
}

int drill_plan_schedule(drill_quality *out_quality, drill_plan *plan, const drill_schedule_options *opts)
{
    DRILL_CHECK_NULL(plan);
    DRILL__VERSIONED(opts, drill_schedule_options, DRILL_SCHEDULE_OPTIONS_INIT);
    int vrc = drill__out_check(out_quality, &drill__abi_drill_quality);
    if (vrc)
        return vrc;
    plan->generation++;
    drill_schedule_options o = DRILL_SCHEDULE_OPTIONS_INIT;
    int rc = drill__schedule_check_options(&o, opts);
    if (rc)
        return rc;
    /* the calendar may have changed (a new holiday), and units may have been
     * added since the plan was made: take both in first */
    drill_schedule_options old_opts = plan->opts;
    /* a new campaign widening makes the campaign drills' windows afresh */
    int widened = o.campaign_min_days != old_opts.campaign_min_days ||
                  o.campaign_widen_days != old_opts.campaign_widen_days;
    plan->opts.campaign_min_days = o.campaign_min_days;
    plan->opts.campaign_widen_days = o.campaign_widen_days;
    if ((rc = drill__plan_load_year(plan)) ||
        ((widened || plan->units->count != plan->nunits) && (rc = drill__plan_rebuild(plan))) ||
        (rc = drill__plan_sync_districts(plan))) {
        plan->opts = old_opts;
        return rc;
    }
    plan->opts = o;
    size_t nd = plan->ndistricts ? plan->ndistricts : 1;
    sched s;
    memset(&s, 0, sizeof s);
    s.p = plan;
    s.load = calloc(nd, sizeof *s.load);
    s.bounds = calloc(nd, sizeof *s.bounds);
    s.obs_bounds = calloc(nd, sizeof *s.obs_bounds);
    s.capacity_default = o.capacity;
    s.spacing = o.spacing_days < 0 ? 0 : o.spacing_days;
    s.today = drill__schedule_today(plan, &o);
    uint32_t *ord = drill__alloc_large((plan->count ? plan->count : 1) * sizeof *ord);
    uint32_t *count = malloc((PRIORITY_KEYS + 1) * sizeof *count);
    int16_t *before = malloc((plan->count ? plan->count : 1) * sizeof *before);
    uint8_t *before_status = malloc(4 * (plan->count ? plan->count : 1)); /* status, reason, flags, slot */
    uint16_t *before_revision = malloc((plan->count ? plan->count : 1) * sizeof *before_revision);
    drill_quality old_quality = plan->quality;
    int touched = 0, old_scheduled = plan->scheduled;
    if (!s.load || !s.bounds || !s.obs_bounds || !ord || !count || !before || !before_status || !before_revision) {
        rc = drill__error(DRILL_ENOMEM, "out of memory scheduling");
        goto done;
    }
    for (size_t i = 0; i < plan->count; i++) {
        drill_rec *d = &plan->drills[i];
        before[i] = d->day;
        before_status[i] = d->status;
        before_status[plan->count + i] = d->reason;
        before_status[2 * plan->count + i] = d->flags;
        before_status[3 * plan->count + i] = d->slot;
        before_revision[i] = d->revision;
        d->observer = (uint8_t)drill__plan_needs_observer(plan, d);
        d->flags = 0;
        /* held drills, and scheduled ones whose day has come, stay */
        int passed = d->status == DRILL_STATUS_SCHEDULED && d->day >= 0 && d->day <= s.today;
        if ((d->status <= DRILL_STATUS_SCHEDULED && !passed) || d->status == DRILL_STATUS_CANCELLED)
            d->day = -1;
        if (passed)
            d->reason = DRILL_REASON_NONE;
    }
    touched = 1;
    /* the R2 windows follow the R1 days that stay */
    for (size_t i = 0; i < plan->count; i++)
        if (plan->drills[i].period == P_R2)
            drill__plan_rolling_window(plan, &plan->drills[i]);
    if ((rc = drill__plan_bounds(s.bounds, plan, s.today, 0)) ||
        (rc = drill__plan_bounds(s.obs_bounds, plan, s.today, 1)))
        goto done;
    day_penalties(&s);
    campaign_windows(&s);
    /* the drills that stay take their share of the load */
    for (size_t i = 0; i < plan->count && rc == 0; i++) {
        drill_rec *d = &plan->drills[i];
        if (d->day >= 0) {
            district_load *l = load_of_drill(&s, d);
            if (!l)
                rc = drill__error(DRILL_ENOMEM, "out of memory scheduling");
            else
                book(&s, l, d, d->day);
        }
    }
    /* keep what is still valid, then place the rest; then the same for the
     * second rolling drills, whose windows follow where the first went */
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        s.pass = pass;
        if (pass == 1)
            for (size_t i = 0; i < plan->count; i++)
                if (plan->drills[i].period == P_R2 && plan->drills[i].day < 0)
                    drill__plan_rolling_window(plan, &plan->drills[i]);
        size_t n = order_drills(&s, pass, ord, count);
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = keep(&s, &plan->drills[ord[i]], before[ord[i]]);
        for (size_t i = 0; i < n && rc == 0; i++)
            if (plan->drills[ord[i]].day < 0)
                rc = place(&s, &plan->drills[ord[i]]);
    }
    if (rc)
        goto done;
    /* the start slots of the days as they now are (allocates first: a
     * failure changes no slot) */
    if ((rc = drill__schedule_assign_slots(plan)))
        goto done;
    drill_quality q = DRILL_QUALITY_INIT;
    memset(&q, 0, sizeof q);
    q.required = plan->count;
    q.covered = plan->covered;
    for (size_t i = 0; i < plan->count; i++) {
        drill_rec *d = &plan->drills[i];
        if (d->status <= DRILL_STATUS_SCHEDULED)
            d->status = d->day >= 0 ? DRILL_STATUS_SCHEDULED : DRILL_STATUS_PLANNED;
        if (d->day >= 0)
            d->reason = DRILL_REASON_NONE;
        d->flags &= (uint8_t)~DREC_KEPT;
        if (before[i] >= 0 && d->status <= DRILL_STATUS_SCHEDULED)
            *(before[i] == d->day ? &q.kept : &q.moved) += 1;
        if (before[i] != d->day) {
            if (d->day >= 0 && d->status == DRILL_STATUS_SCHEDULED)
                d->flags |= DREC_MOVED;
            if (d->revision < 65535)
                d->revision++;
        } else if (d->day >= 0 && d->status == DRILL_STATUS_SCHEDULED && d->slot != before_status[3 * plan->count + i] &&
                   d->revision < 65535) {
            d->revision++; /* a new start time on the same day: a feed's SEQUENCE rises too */
        }
    }
    drill__plan_count_quality(plan, &q);
    if ((rc = drill_plan_validate(&q.violations, plan)) == 0) {
        plan->quality = q;
        plan->scheduled = 1;
        drill__out_fill(out_quality, &q, &drill__abi_drill_quality); /* checked above: cannot fail */
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
            d->flags = before_status[2 * plan->count + i];
            d->revision = before_revision[i];
            d->observer = (uint8_t)drill__plan_needs_observer(plan, d);
            if (d->period == P_R2)
                drill__plan_rolling_window(plan, d);
        }
        /* the campaign windows of the previous widening, the days carried
         * over (out of memory here leaves the new windows) */
        if (widened)
            drill__plan_rebuild(plan); /* which gives the start slots again */
        else
            drill__schedule_assign_slots(plan);
    }
    if (s.load)
        for (size_t d = 0; d < nd; d++) {
            if (s.load[d])
                free(s.load[d]->head);
            free(s.load[d]);
        }
    free(s.load);
    free(s.bounds);
    free(s.obs_bounds);
    free(s.next);
    free(ord);
    free(count);
    free(before);
    free(before_status);
    free(before_revision);
    return rc;
}

int drill_plan_schedule_options_v2(drill_schedule_options *out, const drill_plan *plan, unsigned int version)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    int rc = drill__out_check(&version, &drill__abi_drill_schedule_options); /* the version first */
    if (rc)
        return rc;
    out->version = version;
    return drill__out_fill(out, &plan->opts, &drill__abi_drill_schedule_options);
}

int drill_plan_schedule_options(drill_schedule_options *out, const drill_plan *plan)
{
    DRILL_CHECK_NULL(out);
    return drill_plan_schedule_options_v2(out, plan, out->version); /* the fields of the caller's version */
}
