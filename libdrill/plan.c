/* The year's plan: requirements from units x rules, and the scheduler.
 *
 * Drills are 16-byte records grouped by unit, with windows and days as
 * offsets into the year. Each district keeps two segment trees over the
 * year's days (all drills; observer-attended drills with capacity), so the
 * least-loaded day of a window is found in O(log days) and a whole city's
 * year is placed in one pass. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "rule_internal.h"
#include "unit_internal.h"

#include "plan_internal.h"

static const char *const period_suffix[] = { "", "H1", "H2", "R1", "R2", "B" };

static int check_options(drill_schedule_options *o, const drill_schedule_options *in);
static void count_quality(const drill_plan *p, drill_quality *q);

/* ---- small helpers ---- */

static int grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * size);
    if (!p)
        return drill__error(DRILL_ENOMEM, "out of memory growing a plan");
    *items = p;
    *cap = n;
    return 0;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static const drill_rule *rule_of(const drill_plan *p, const drill_rec *d)
{
    return &p->rules->items[d->rule].r;
}

static const unit_rec *unit_of(const drill_plan *p, const drill_rec *d)
{
    return &p->units->units[d->unit];
}

/* serial six months after s, minus one day (the last day a rolling drill is due) */
static int six_months_after(int s)
{
    drill_date d;
    drill__from_serial(s, &d);
    int m = d.month + 6, y = d.year + (m > 12);
    m = m > 12 ? m - 12 : m;
    if (y > DRILL_DATE_MAX_YEAR)
        return DRILL__SERIAL_MAX;
    int dim = drill__days_in_month(y, m);
    return drill__serial(y, m, d.day < dim ? d.day : dim) - 1;
}

static size_t last_slot(const drill_plan *p, uint32_t unit, const char *rule)
{
    size_t mask = p->last_slots_cap - 1;
    size_t i = (size_t)((hash_str(rule) ^ (unit * 0x9E3779B97F4A7C15ULL)) & mask);
    for (;; i = (i + 1) & mask) {
        uint32_t v = p->last_slots[i];
        if (!v || (p->last[v - 1].unit == unit && strcmp(p->last[v - 1].rule, rule) == 0))
            return i;
    }
}

static last_rec *lookup_last(const drill_plan *p, uint32_t unit, const char *rule)
{
    if (!p->last_slots_cap)
        return NULL;
    uint32_t v = p->last_slots[last_slot(p, unit, rule)];
    return v ? &p->last[v - 1] : NULL;
}

/* the previous drill the rule's next due date counts from, or -1 */
static int find_last(const drill_plan *p, uint32_t unit, uint16_t rule)
{
    const drill_rule *r = &p->rules->items[rule].r;
    const last_rec *l = lookup_last(p, unit, r->id);
    return !l ? -1 : r->due_from == DRILL_DUE_FROM_HELD ? l->held : l->planned;
}

static void clip(drill_plan *p, int a, int b, int16_t *start, int16_t *end)
{
    a -= p->y0;
    b -= p->y0;
    if (a < 0)
        a = 0;
    if (b > p->ndays - 1)
        b = p->ndays - 1;
    if (a > b || b < 0 || a > p->ndays - 1) {
        *start = 1;
        *end = 0;
        return;
    }
    *start = (int16_t)a;
    *end = (int16_t)b;
}

/* R2's window follows where R1 (the drill just before it) was placed: within
 * six months of it, and not before July, so that next year's first drill can
 * still come within six months of it */
static void rolling_window(drill_plan *p, drill_rec *r2)
{
    const drill_rec *r1 = r2 - 1;
    int jul1 = drill__serial(p->year, 7, 1), dec31 = p->y0 + p->ndays - 1;
    if (r1->day < 0) {
        clip(p, jul1, dec31, &r2->win_start, &r2->win_end);
        return;
    }
    int start = p->y0 + r1->day + 1;
    clip(p, start > jul1 ? start : jul1, six_months_after(p->y0 + r1->day), &r2->win_start, &r2->win_end);
}

/* ---- requirements ---- */

typedef struct rule_ctx {
    unsigned char *class_mask, *area_mask;
    int has_campaign, cstart, cend; /* the campaign window this year, serials; cstart > cend: none */
} rule_ctx;

static int emit(drill_plan *p, uint32_t unit, uint16_t rule, uint8_t period, int a, int b)
{
    if (!p->drills) { /* the counting pass */
        p->count++;
        return 0;
    }
    drill_rec *d = &p->drills[p->count++];
    memset(d, 0, sizeof *d);
    d->unit = unit;
    d->rule = rule;
    d->period = period;
    d->day = -1;
    d->cancelled_day = -1;
    clip(p, a, b, &d->win_start, &d->win_end);
    return 0;
}

static int emit_rule(drill_plan *p, const rule_ctx *ctx, uint32_t u, uint16_t r)
{
    const drill_rule *rule = &p->rules->items[r].r;
    int jan1 = p->y0, dec31 = p->y0 + p->ndays - 1, jun30 = drill__serial(p->year, 6, 30);
    int a = ctx->has_campaign ? ctx->cstart : jan1, b = ctx->has_campaign ? ctx->cend : dec31;
    int last, rc;
    switch (rule->frequency) {
    case DRILL_FREQ_YEARLY:
        return emit(p, u, r, P_YEAR, a, b);
    case DRILL_FREQ_HALF_YEARLY:
        if ((rc = emit(p, u, r, P_H1, jan1, jun30)))
            return rc;
        return emit(p, u, r, P_H2, jun30 + 1, dec31);
    case DRILL_FREQ_ROLLING: {
        last = find_last(p, u, r);
        int due = last >= 0 ? six_months_after(last) : jun30, jan31 = drill__serial(p->year, 1, 31);
        if (due < jan31) /* overdue, or due in the year's first days: January */
            due = jan31;
        if ((rc = emit(p, u, r, P_R1, jan1, due)))
            return rc;
        return emit(p, u, r, P_R2, jun30 + 1, dec31); /* the window follows R1's day when scheduled */
    }
    default: { /* DRILL_FREQ_BIENNIAL */
        drill_date l;
        int due;
        if ((last = find_last(p, u, r)) >= 0) {
            drill__from_serial(last, &l);
            due = l.year <= p->year - 2;
        } else {
            const char *id = p->units->pool + p->units->units[u].id;
            /* the top bit of a multiplicative mix: FNV's low bit is only a parity of the bytes */
            uint64_t h = hash_str(id) * 0x9E3779B97F4A7C15ULL;
            due = (int)((h >> 63) ^ ((uint64_t)p->year & 1)) == 0;
        }
        return due ? emit(p, u, r, P_BIENNIAL, a, b) : 0;
    }
    }
}

static int generate(drill_plan *p)
{
    const drill_units *units = p->units;
    size_t nrules = p->rules->count;
    rule_ctx *ctx = calloc(nrules ? nrules : 1, sizeof *ctx);
    if (!ctx)
        return drill__error(DRILL_ENOMEM, "out of memory making a plan");
    int rc = 0;
    for (size_t r = 0; r < nrules && rc == 0; r++) {
        const drill_rule *rule = &p->rules->items[r].r;
        ctx[r].class_mask = malloc(units->nclasses + 1);
        ctx[r].area_mask = malloc(units->nareas + 1);
        if (!ctx[r].class_mask || !ctx[r].area_mask) {
            rc = drill__error(DRILL_ENOMEM, "out of memory making a plan");
            break;
        }
        drill__rule_class_mask(rule, units, ctx[r].class_mask);
        drill__rule_area_mask(rule, units, ctx[r].area_mask);
        if (rule->campaign) {
            if (!drill__campaigns_has(p->campaigns, rule->campaign)) {
                rc = drill__error(DRILL_ENOTFOUND, "rule '%s' names campaign '%s', which is not in the campaign set",
                                  rule->id, rule->campaign);
                break;
            }
            drill_campaign_window w;
            ctx[r].has_campaign = 1;
            ctx[r].cstart = 1;
            ctx[r].cend = 0; /* does not occur this year: an empty window */
            if (drill_campaigns_window(&w, p->campaigns, rule->campaign, p->year, NULL) == 0) {
                drill_date_to_serial(&ctx[r].cstart, w.start);
                drill_date_to_serial(&ctx[r].cend, w.end);
            }
        }
    }
    p->nunits = units->count;
    uint32_t *first = rc ? NULL : malloc((units->count + 1) * sizeof *first);
    if (!rc && !first)
        rc = drill__error(DRILL_ENOMEM, "out of memory making a plan");
    /* two passes: count, allocate once, fill */
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        if (pass == 1) {
            if (p->count > UINT32_MAX - 1) {
                rc = drill__error(DRILL_ERANGE, "a plan holds at most %u drills", UINT32_MAX - 1);
                break;
            }
            p->drills = drill__alloc_large((p->count ? p->count : 1) * sizeof *p->drills);
            if (!p->drills) {
                rc = drill__error(DRILL_ENOMEM, "out of memory making a plan of %zu drills", p->count);
                break;
            }
            p->cap = p->count;
        }
        p->count = 0;
        for (size_t u = 0; u < units->count && rc == 0; u++) {
            const unit_rec *ur = &units->units[u];
            first[u] = (uint32_t)p->count;
            for (size_t r = 0; r < nrules && rc == 0; r++)
                if (ctx[r].class_mask[ur->cls] && ctx[r].area_mask[ur->area] &&
                    drill__rule_unit_ok(&p->rules->items[r].r, units, u))
                    rc = emit_rule(p, &ctx[r], (uint32_t)u, (uint16_t)r);
        }
        first[units->count] = (uint32_t)p->count;
    }
    for (size_t r = 0; r < nrules; r++) {
        free(ctx[r].class_mask);
        free(ctx[r].area_mask);
    }
    free(ctx);
    if (rc) {
        free(first);
        return rc;
    }
    free(p->unit_first);
    p->unit_first = first;
    return 0;
}

/* the day-by-day working calendar of the year */
static int load_year(drill_plan *p)
{
    p->y0 = drill__serial(p->year, 1, 1);
    p->ndays = drill_date_is_leap_year(p->year) ? 366 : 365;
    int covered = 1;
    for (int i = 0; i < p->ndays; i++) {
        int c;
        drill_day_kind k = drill__calendar_kind(p->cal, p->y0 + i, &c);
        p->working[i] = k == DRILL_DAY_WORKDAY || k == DRILL_DAY_MAKEUP_WORKDAY;
        covered &= c;
    }
    p->covered = covered;
    if (!covered && !p->allow_uncovered)
        return drill__error(DRILL_ENODATA,
                            "no holiday arrangement is loaded for %d: load it, or plan with allow_uncovered "
                            "to count weekends alone",
                            p->year);
    return 0;
}

/* carry each drill's day over from the previous requirements (same unit, rule id, period) */
static void carry_days(drill_plan *p, const drill_rec *old, size_t nold, const uint32_t *old_first, size_t old_units,
                       const int *rule_map)
{
    for (size_t u = 0; u < p->nunits && u < old_units; u++)
        for (uint32_t i = p->unit_first[u]; i < p->unit_first[u + 1]; i++)
            for (uint32_t j = old_first[u]; j < old_first[u + 1] && j < nold; j++)
                if (rule_map[old[j].rule] == p->drills[i].rule && old[j].period == p->drills[i].period) {
                    p->drills[i].day = old[j].day;
                    p->drills[i].cancelled_day = old[j].cancelled_day;
                    p->drills[i].status = old[j].status;
                    p->drills[i].revision = old[j].revision;
                    break;
                }
}

/* one capacity override per district of the units (units can move into new districts) */
static int sync_districts(drill_plan *p)
{
    size_t nd = p->units->ndistricts;
    if (nd <= p->ndistricts)
        return 0;
    int *c = realloc(p->capacity_override, nd * sizeof *c);
    if (!c)
        return drill__error(DRILL_ENOMEM, "out of memory for %zu districts", nd);
    for (size_t i = p->ndistricts; i < nd; i++)
        c[i] = -1;
    p->capacity_override = c;
    p->ndistricts = nd;
    return 0;
}

static int rebuild(drill_plan *p)
{
    drill_rules *rules = NULL, *old_rules = p->rules;
    int rc = sync_districts(p);
    if (rc || (rc = drill__rules_dup(&rules, p->rules_src)))
        return rc;
    /* the old drills, to carry their days over */
    drill_rec *old = p->drills;
    size_t nold = p->count, old_units = p->nunits;
    uint32_t *old_first = p->unit_first;
    int *rule_map = NULL;
    if (old_rules && old_rules->count) {
        rule_map = malloc(old_rules->count * sizeof *rule_map);
        if (!rule_map) {
            drill_rules_free(rules);
            return drill__error(DRILL_ENOMEM, "out of memory refreshing a plan");
        }
        for (size_t r = 0; r < old_rules->count; r++) {
            size_t n;
            rule_map[r] = drill_rules_find(&n, rules, old_rules->items[r].r.id) == 0 ? (int)n : -1;
        }
    }
    p->rules = rules;
    p->drills = NULL;
    p->count = p->cap = 0;
    p->unit_first = NULL;
    rc = generate(p);
    if (rc) { /* put everything back */
        free(p->drills);
        drill_rules_free(rules);
        p->rules = old_rules;
        p->drills = old;
        p->count = p->cap = nold;
        p->unit_first = old_first;
        p->nunits = old_units;
        free(rule_map);
        return rc;
    }
    if (old && rule_map)
        carry_days(p, old, nold, old_first, old_units, rule_map);
    drill__track_apply(p);
    for (size_t i = 0; i < p->count; i++)
        if (p->drills[i].period == P_R2)
            rolling_window(p, &p->drills[i]);
    free(rule_map);
    free(old);
    free(old_first);
    drill_rules_free(old_rules);
    return 0;
}

int drill_plan_refresh(drill_plan *plan)
{
    DRILL_CHECK_NULL(plan);
    return rebuild(plan);
}

int drill_plan_new(drill_plan **out, const drill_units *units, const drill_rules *rules,
                   const drill_campaigns *campaigns, const drill_calendar *cal, const drill_plan_options *opts)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(campaigns);
    DRILL_CHECK_NULL(cal);
    DRILL_CHECK_NULL(opts);
    if (opts->version != DRILL_PLAN_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_plan_options version %u is not %d", opts->version,
                            DRILL_PLAN_OPTIONS_VERSION);
    if (opts->year == 0)
        return drill__error(DRILL_EINVAL, "drill_plan_options.year is required");
    if (opts->year < DRILL_DATE_MIN_YEAR || opts->year > DRILL_DATE_MAX_YEAR)
        return drill__error(DRILL_ERANGE, "year %d is outside %d-%d", opts->year, DRILL_DATE_MIN_YEAR,
                            DRILL_DATE_MAX_YEAR);
    drill_plan *p = calloc(1, sizeof *p);
    if (!p)
        return drill__error(DRILL_ENOMEM, "out of memory making a plan");
    p->units = units;
    p->rules_src = rules;
    p->campaigns = campaigns;
    p->cal = cal;
    p->year = opts->year;
    p->allow_uncovered = opts->allow_uncovered;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(p->created, sizeof p->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int rc = check_options(&p->opts, NULL); /* the defaults until the first schedule */
    if (rc == 0)
        rc = load_year(p);
    if (rc == 0)
        rc = rebuild(p);
    if (rc) {
        drill_plan_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void drill_plan_free(drill_plan *plan)
{
    if (!plan)
        return;
    if (plan->journal_forget)
        plan->journal_forget(plan->journal_ctx, plan);
    drill_rules_free(plan->rules);
    free(plan->drills);
    free(plan->unit_first);
    for (size_t i = 0; i < plan->nlast; i++)
        free(plan->last[i].rule);
    free(plan->last);
    free(plan->last_slots);
    free(plan->closed);
    free(plan->capacity_override);
    drill__track_free(plan);
    free(plan);
}

int drill_plan_set_last(drill_plan *plan, const char *unit_id, const char *rule_id, drill_date last, int held)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(unit_id);
    DRILL_CHECK_NULL(rule_id);
    size_t u, r;
    int s, rc;
    if ((rc = drill_date_to_serial(&s, last)) || (rc = drill_units_find(&u, plan->units, unit_id)) ||
        (rc = drill_rules_find(&r, plan->rules_src, rule_id)))
        return rc;
    if (last.year >= plan->year)
        return drill__error(DRILL_ERANGE, "the last drill before the %d plan must be dated before %d", plan->year,
                            plan->year);
    last_rec *l = lookup_last(plan, (uint32_t)u, rule_id);
    if (!l) {
        if ((plan->nlast + 1) * 2 > plan->last_slots_cap) { /* keep the table at most half full */
            size_t cap = plan->last_slots_cap ? plan->last_slots_cap * 2 : 64;
            uint32_t *slots = calloc(cap, sizeof *slots);
            if (!slots)
                return drill__error(DRILL_ENOMEM, "out of memory recording a last drill");
            free(plan->last_slots);
            plan->last_slots = slots;
            plan->last_slots_cap = cap;
            for (size_t i = 0; i < plan->nlast; i++)
                slots[last_slot(plan, plan->last[i].unit, plan->last[i].rule)] = (uint32_t)i + 1;
        }
        if ((rc = grow((void **)&plan->last, &plan->last_cap, plan->nlast + 1, sizeof *plan->last)))
            return rc;
        char *id = drill__strdup(rule_id);
        if (!id)
            return drill__error(DRILL_ENOMEM, "out of memory recording a last drill");
        plan->last[plan->nlast] = (last_rec){ (uint32_t)u, id, -1, -1 };
        plan->last_slots[last_slot(plan, (uint32_t)u, rule_id)] = (uint32_t)plan->nlast + 1;
        l = &plan->last[plan->nlast++];
    }
    if (held)
        l->held = s;
    else
        l->planned = s;
    return 0;
}

int drill_plan_close_day(drill_plan *plan, const char *district, drill_date day)
{
    DRILL_CHECK_NULL(plan);
    int s, rc, d = -1;
    if ((rc = drill_date_to_serial(&s, day)))
        return rc;
    if (day.year != plan->year)
        return drill__error(DRILL_ERANGE, "%04d-%02d-%02d is not in the %d plan", day.year, day.month, day.day,
                            plan->year);
    if (district) {
        for (size_t i = 0; i < plan->units->ndistricts && d < 0; i++)
            if (strcmp(plan->units->pool + plan->units->districts[i], district) == 0)
                d = (int)i;
        if (d < 0)
            return drill__error(DRILL_ENOTFOUND, "no unit is in district '%s'", district);
    }
    if ((rc = grow((void **)&plan->closed, &plan->closed_cap, plan->nclosed + 1, sizeof *plan->closed)))
        return rc;
    plan->closed[plan->nclosed++] = (closed_day){ d, (int16_t)(s - plan->y0) };
    return 0;
}

static int is_closed(const drill_plan *p, uint32_t district, int day)
{
    for (size_t i = 0; i < p->nclosed; i++)
        if (p->closed[i].day == day && (p->closed[i].district < 0 || (uint32_t)p->closed[i].district == district))
            return 1;
    return 0;
}

int drill_plan_set_capacity(drill_plan *plan, const char *district, int capacity)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(district);
    if (capacity < 0 || capacity > 65535)
        return drill__error(DRILL_EINVAL, "capacity %d is not 0-65535", capacity);
    for (size_t d = 0; d < plan->units->ndistricts && d < plan->ndistricts; d++)
        if (strcmp(plan->units->pool + plan->units->districts[d], district) == 0) {
            plan->capacity_override[d] = capacity;
            return 0;
        }
    return drill__error(DRILL_ENOTFOUND, "no unit is in district '%s'", district);
}

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
        l->open[d] = s->p->working[d] && !is_closed(s->p, district, d);
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
    unsigned comprehensive = rule_of(p, d)->kind == DRILL_KIND_COMPREHENSIVE ? 0 : 1;
    unsigned risk = 4u - unit_of(p, d)->risk;
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

static int check_options(drill_schedule_options *o, const drill_schedule_options *in)
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

static int needs_observer(const drill_plan *p, const drill_rec *d)
{
    return (p->opts.observe_comprehensive == 1 && rule_of(p, d)->kind == DRILL_KIND_COMPREHENSIVE) ||
           unit_of(p, d)->risk >= p->opts.observer_min_risk;
}

int drill_plan_schedule(drill_quality *out_quality, drill_plan *plan, const drill_schedule_options *opts)
{
    DRILL_CHECK_NULL(plan);
    drill_schedule_options o;
    int rc = check_options(&o, opts);
    if (rc)
        return rc;
    /* the calendar may have changed (a new holiday), and units may have been
     * added since the plan was made: take both in first */
    if ((rc = load_year(plan)) || (plan->units->count != plan->nunits && (rc = rebuild(plan))) ||
        (rc = sync_districts(plan)))
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
        d->observer = (uint8_t)needs_observer(plan, d);
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
                    rolling_window(plan, &plan->drills[i]);
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
    count_quality(plan, &q);
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
            d->observer = (uint8_t)needs_observer(plan, d);
            if (d->period == P_R2)
                rolling_window(plan, d);
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

int drill__plan_day_ok(const drill_plan *p, size_t i, int day)
{
    const drill_rec *d = &p->drills[i];
    uint32_t district = drill__unit_district(p->units, d->unit);
    char date[DRILL_DATE_STRLEN];
    drill_date dd;
    drill__from_serial(p->y0 + (day >= 0 && day < p->ndays ? day : 0), &dd);
    snprintf(date, sizeof date, "%04d-%02d-%02d", dd.year, dd.month, dd.day);
    if (day < d->win_start || day > d->win_end || day < 0 || day >= p->ndays)
        return drill__error(DRILL_ERANGE, "the day is outside the drill's window");
    if (!p->working[day] || is_closed(p, district, day))
        return drill__error(DRILL_ERANGE, "%s is not a working day for the district", date);
    if (drill__unit_blacked_out(p->units, d->unit, p->y0 + day))
        return drill__error(DRILL_ERANGE, "%s is a blackout day of the unit", date);
    int spacing = p->opts.spacing_days < 0 ? 0 : p->opts.spacing_days;
    for (uint32_t j = p->unit_first[d->unit]; j < p->unit_first[d->unit + 1]; j++)
        if (j != i && p->drills[j].day >= 0 && abs(p->drills[j].day - day) < spacing)
            return drill__error(DRILL_ERANGE, "%s is less than %d days from another drill of the unit", date, spacing);
    if (needs_observer(p, d)) {
        int cap = p->capacity_override && district < p->ndistricts && p->capacity_override[district] >= 0
                      ? p->capacity_override[district]
                      : p->opts.capacity;
        int booked = 0;
        for (size_t j = 0; j < p->count; j++)
            booked += j != i && p->drills[j].day == day && needs_observer(p, &p->drills[j]) &&
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
    if (!observed || !chosen) {
        free(observed);
        free(chosen);
        return drill__error(DRILL_ENOMEM, "out of memory validating a plan");
    }
    int spacing = plan->opts.spacing_days < 0 ? 0 : plan->opts.spacing_days;
    for (size_t u = 0; u < plan->nunits; u++) {
        for (uint32_t i = plan->unit_first[u]; i < plan->unit_first[u + 1]; i++) {
            const drill_rec *d = &plan->drills[i];
            if (d->day < 0)
                continue;
            size_t slot = drill__unit_district(units, u) * 366 + (size_t)d->day;
            if (needs_observer(plan, d))
                observed[slot]++;
            if (d->status != DRILL_STATUS_SCHEDULED)
                continue;
            int serial = plan->y0 + d->day, covered;
            drill_day_kind k = drill__calendar_kind(plan->cal, serial, &covered);
            violations += d->day < d->win_start || d->day > d->win_end;
            violations += k != DRILL_DAY_WORKDAY && k != DRILL_DAY_MAKEUP_WORKDAY;
            violations += is_closed(plan, drill__unit_district(units, u), d->day);
            violations += drill__unit_blacked_out(units, u, serial);
            for (uint32_t j = plan->unit_first[u]; j < plan->unit_first[u + 1]; j++) {
                const drill_rec *o = &plan->drills[j];
                /* each pair once: a later scheduled drill, or any held one */
                if (j == i || o->day < 0 || (o->status == DRILL_STATUS_SCHEDULED && j < i))
                    continue;
                violations += spacing && abs(o->day - d->day) < spacing;
            }
            chosen[slot] |= (uint8_t)needs_observer(plan, d);
        }
    }
    for (size_t dist = 0; dist < nd && dist < plan->ndistricts; dist++) {
        int cap = plan->capacity_override[dist] >= 0 ? plan->capacity_override[dist] : plan->opts.capacity;
        for (size_t day = 0; day < 366; day++)
            violations += chosen[dist * 366 + day] && observed[dist * 366 + day] > (uint32_t)cap;
    }
    free(observed);
    free(chosen);
    *out = violations;
    return 0;
}

/* the counts of a quality report from the drills as they stand now */
static void count_quality(const drill_plan *p, drill_quality *q)
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

int drill_plan_schedule_options(drill_schedule_options *out, const drill_plan *plan)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    *out = plan->opts;
    return 0;
}

int drill_plan_quality(drill_quality *out, const drill_plan *plan)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    drill_quality q = plan->quality; /* moved and kept are the last schedule's */
    count_quality(plan, &q);
    int rc = drill_plan_validate(&q.violations, plan);
    if (rc == 0)
        *out = q;
    return rc;
}

typedef struct window_count {
    int16_t start, end;
    size_t drills;
} window_count;

int drill_plan_district_quality(drill_district_quality *out, const drill_plan *plan, size_t district)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    const drill_units *units = plan->units;
    if (district >= units->ndistricts || district >= plan->ndistricts)
        return drill__error(DRILL_ENOTFOUND, "no district at index %zu", district);
    int total[366] = { 0 }, observed[366] = { 0 };
    window_count *w = NULL;
    size_t nw = 0, wcap = 0;
    drill_district_quality q;
    memset(&q, 0, sizeof q);
    q.district = units->pool + units->districts[district];
    q.capacity = plan->capacity_override[district] >= 0 ? plan->capacity_override[district] : plan->opts.capacity;
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
        /* the bound is for the drills placed: unplaced ones add no load */
        if (d->period == P_R2 || d->win_start > d->win_end)
            continue;
        size_t k = 0;
        while (k < nw && (w[k].start != d->win_start || w[k].end != d->win_end))
            k++;
        if (k == nw) {
            if (grow((void **)&w, &wcap, nw + 1, sizeof *w)) {
                free(w);
                return DRILL_ENOMEM;
            }
            w[nw++] = (window_count){ d->win_start, d->win_end, 0 };
        }
        w[k].drills++;
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
    /* no schedule beats ceil(n / working days) for the drills confined to any window */
    for (size_t a = 0; a < nw; a++) {
        size_t inside = 0;
        int days = 0;
        for (size_t b = 0; b < nw; b++)
            if (w[b].start >= w[a].start && w[b].end <= w[a].end)
                inside += w[b].drills;
        for (int day = w[a].start; day <= w[a].end; day++)
            days += plan->working[day];
        if (days) {
            int bound = (int)((inside + (size_t)days - 1) / (size_t)days);
            if (bound > q.lower_bound)
                q.lower_bound = bound;
        }
    }
    free(w);
    *out = q;
    return 0;
}

int drill_plan_year(const drill_plan *plan)
{
    return plan ? plan->year : 0;
}

size_t drill_plan_count(const drill_plan *plan)
{
    return plan ? plan->count : 0;
}

static const char *scenario_of(const drill_plan *p, const drill_rec *d)
{
    const drill_rule *r = rule_of(p, d);
    return r->scenario ? r->scenario : p->units->classes[unit_of(p, d)->cls].scenario;
}

int drill_plan_get(drill_item *out, const drill_plan *plan, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    if (index >= plan->count)
        return drill__error(DRILL_ENOTFOUND, "no drill at index %zu (the plan has %zu)", index, plan->count);
    const drill_rec *d = &plan->drills[index];
    const drill_rule *r = rule_of(plan, d);
    const drill_units *units = plan->units;
    const unit_rec *u = unit_of(plan, d);
    memset(out, 0, sizeof *out);
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
        out->start_minute = plan->opts.start_minute[k];
        out->duration_minutes = r->form == DRILL_FORM_TABLETOP ? plan->opts.tabletop_minutes
                                                               : plan->opts.duration_minutes[k];
    }
    return 0;
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
            const char *c = rule_of(plan, d)->campaign;
            if (*filter->campaign ? !c || strcmp(c, filter->campaign) != 0 : c != NULL)
                continue;
        }
        if (filter->status >= 0 && filter->status != d->status)
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

/* ---- for the store ---- */

int drill__plan_restore_drill(drill_plan *p, const char *id, int status, int serial, int reason, int revision)
{
    long i = drill__plan_index(p, id);
    if (i < 0)
        return 0; /* no longer required by the rules: its tracking record keeps the history */
    drill_rec *d = &p->drills[i];
    if (status < DRILL_STATUS_PLANNED || status > DRILL_STATUS_CANCELLED || reason < 0 || reason >= DRILL_REASON_COUNT)
        return drill__error(DRILL_ECORRUPT, "drill '%s' has status %d and reason %d", id, status, reason);
    d->status = (uint8_t)status;
    d->reason = (uint8_t)reason;
    d->revision = (uint16_t)(revision < 0 ? 0 : revision > 65535 ? 65535 : revision);
    d->day = (int16_t)(serial >= p->y0 && serial < p->y0 + p->ndays ? serial - p->y0 : -1);
    if (status == DRILL_STATUS_CANCELLED) { /* the day it was on: never booked */
        d->cancelled_day = d->day;
        d->day = -1;
    }
    return 0;
}

int drill__plan_restore_done(drill_plan *p, const drill_schedule_options *o, int scheduled)
{
    int rc = check_options(&p->opts, o);
    if (rc)
        return drill__error(DRILL_ECORRUPT, "stored schedule options: %s", drill_error_last()->message);
    drill__track_apply(p);
    for (size_t i = 0; i < p->count; i++) {
        drill_rec *d = &p->drills[i];
        d->observer = (uint8_t)needs_observer(p, d);
        if (d->period == P_R2)
            rolling_window(p, d);
    }
    memset(&p->quality, 0, sizeof p->quality);
    count_quality(p, &p->quality);
    p->scheduled = scheduled;
    return drill_plan_validate(&p->quality.violations, p);
}

int drill__plan_follow_rolling(drill_plan *p, size_t i, int strict)
{
    if (p->drills[i].period != P_R1 || i + 1 >= p->count || p->drills[i + 1].period != P_R2 ||
        p->drills[i + 1].unit != p->drills[i].unit || p->drills[i + 1].rule != p->drills[i].rule)
        return 0;
    drill_rec *r2 = &p->drills[i + 1];
    rolling_window(p, r2);
    if (r2->status != DRILL_STATUS_SCHEDULED || (r2->day >= r2->win_start && r2->day <= r2->win_end))
        return 0;
    if (strict)
        return drill__error(DRILL_ERANGE, "the unit's next rolling drill would fall outside the six months after it");
    r2->day = -1;
    r2->status = DRILL_STATUS_PLANNED;
    r2->reason = DRILL_REASON_NONE;
    if (r2->revision < 65535)
        r2->revision++;
    return 0;
}
