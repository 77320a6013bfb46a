/* The year's plan: requirements from units x rules, the plan object and
 * its inputs (last drills, closed days, capacity overrides), and what the
 * store puts back. The scheduler is in schedule.c, the checks and the
 * quality report in validate.c, the queries in plan_query.c.
 *
 * A drill's state (drill_rec.status, with its day) lives here, once: the
 * scheduler plans and schedules, tracking (track.c) holds, evaluates,
 * closes, cancels and reinstates, each writing it in the drill's record.
 * A refresh carries states over; a drill no longer required whose state is
 * a fact (held and later, cancelled) is kept in the gone list and takes its
 * state back if it is required again. The plan calls nothing in tracking.
 *
 * Drills are 20-byte records grouped by unit, with windows and days as
 * offsets into the year. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "abi.h"
#include "internal.h"
#include "map.h"
#include "rule_internal.h"
#include "unit_internal.h"
#include "vec.h"

#include "plan_internal.h"

/* ---- small helpers ---- */

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

/* last drills are found by (unit, rule) */
static uint32_t last_hash(uint32_t unit, const char *rule)
{
    return drill__map_mix(drill__fnv1a(DRILL__FNV_OFFSET, rule) ^ (unit * 0x9E3779B97F4A7C15ULL));
}

static int last_eq(const void *ctx, size_t i, const void *key)
{
    const last_rec *l = &((const last_rec *)ctx)[i], *k = key;
    return l->unit == k->unit && strcmp(l->rule, k->rule) == 0;
}

static last_rec *lookup_last(const drill_plan *p, uint32_t unit, const char *rule)
{
    last_rec key = { unit, (char *)rule, -1, -1 };
    size_t i;
    return drill__map_find(&i, &p->last_map, last_hash(unit, rule), last_eq, p->last, &key) ? &p->last[i] : NULL;
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
void drill__plan_rolling_window(drill_plan *p, drill_rec *r2)
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

/* One requirement of a unit before the rules that one drill can satisfy
 * together are merged (drill_rule.satisfied_by_kinds and _scenarios). */
typedef struct cand {
    uint16_t rule;
    uint8_t period;
    uint8_t keep;        /* 0 undecided, 1 a drill of its own, 2 met by candidate `by` */
    int16_t start, end;  /* the window, days of the year; start > end: empty */
    uint16_t by;
    uint32_t drill;      /* keep == 1: the drill's index in the plan */
} cand;

typedef struct gen_ctx {
    rule_ctx *rules;
    cand *c;
    size_t n, cap;
    uint8_t *term;       /* per class, ndays bytes: 1 on an in-term day (classes with terms only) */
    uint8_t *has_term;   /* per class */
    size_t ncredits, credits_cap; /* credits_cap: what the filling pass allocated */
    /* merge() depends only on the class and the candidates (rule, period,
     * window): units alike share its answer through this memo */
    struct memo_slot {
        uint64_t hash;
        uint32_t off, n; /* into memo_pool: n keys, then n answers */
        uint16_t cls;
    } *memo;
    size_t memo_cap, memo_count;
    uint64_t *memo_pool; /* key: rule | period << 16 | start << 24 | end << 40; answer: keep | by << 8 */
    size_t memo_pool_len, memo_pool_cap;
} gen_ctx;

/* a month or quarter of a class with terms is required only if it has a school week in term */
#define MIN_TERM_DAYS 5

static int push(drill_plan *p, gen_ctx *g, uint16_t rule, uint8_t period, int a, int b, const uint8_t *term,
                int whole_period)
{
    int16_t s, e;
    clip(p, a, b, &s, &e);
    if (term && s <= e) { /* a school's drills fall in term: the longest run of term days in the window */
        int bs = 1, be = 0, run = -1;
        for (int d = s; d <= e + 1; d++) {
            if (d <= e && term[d]) {
                if (run < 0)
                    run = d;
            } else if (run >= 0) {
                if (d - 1 - run > be - bs) {
                    bs = run;
                    be = d - 1;
                }
                run = -1;
            }
        }
        if (whole_period && be - bs + 1 < MIN_TERM_DAYS)
            return 0; /* a month or quarter in the breaks: not required */
        s = (int16_t)bs;
        e = (int16_t)be;
    }
    if (DRILL__VEC_RESERVE(g->c, g->cap, g->n + 1))
        return drill__error(DRILL_ENOMEM, "out of memory making a plan");
    if (g->n >= UINT16_MAX)
        return drill__error(DRILL_ERANGE, "a unit has more than %d requirements", UINT16_MAX - 1);
    g->c[g->n++] = (cand){ rule, period, 0, s, e, 0, 0 };
    return 0;
}

static int collect_rule(drill_plan *p, gen_ctx *g, const rule_ctx *ctx, uint32_t u, uint16_t r)
{
    const drill_rule *rule = &p->rules->items[r].r;
    const uint8_t *term = NULL;
    uint16_t cls = p->units->units[u].cls;
    if (g->has_term[cls])
        term = g->term + (size_t)cls * (size_t)p->ndays;
    int jan1 = p->y0, dec31 = p->y0 + p->ndays - 1, jun30 = drill__serial(p->year, 6, 30);
    int a = ctx->has_campaign ? ctx->cstart : jan1, b = ctx->has_campaign ? ctx->cend : dec31;
    int last, rc;
    switch (rule->frequency) {
    case DRILL_FREQ_YEARLY:
        return push(p, g, r, P_YEAR, a, b, term, 0);
    case DRILL_FREQ_HALF_YEARLY:
        if ((rc = push(p, g, r, P_H1, jan1, jun30, term, 0)))
            return rc;
        return push(p, g, r, P_H2, jun30 + 1, dec31, term, 0);
    case DRILL_FREQ_MONTHLY:
        for (int m = 1; m <= 12; m++)
            if ((rc = push(p, g, r, (uint8_t)(P_M1 + m - 1), drill__serial(p->year, m, 1),
                           drill__serial(p->year, m, drill__days_in_month(p->year, m)), term, 1)))
                return rc;
        return 0;
    case DRILL_FREQ_QUARTERLY:
        for (int q = 0; q < 4; q++)
            if ((rc = push(p, g, r, (uint8_t)(P_Q1 + q), drill__serial(p->year, 3 * q + 1, 1),
                           drill__serial(p->year, 3 * q + 3, drill__days_in_month(p->year, 3 * q + 3)), term, 1)))
                return rc;
        return 0;
    case DRILL_FREQ_ROLLING: {
        last = find_last(p, u, r);
        int due = last >= 0 ? six_months_after(last) : jun30, jan31 = drill__serial(p->year, 1, 31);
        if (due < jan31) /* overdue, or due in the year's first days: January */
            due = jan31;
        if ((rc = push(p, g, r, P_R1, jan1, due, NULL, 0)))
            return rc;
        return push(p, g, r, P_R2, jun30 + 1, dec31, NULL, 0); /* the window follows R1's day when scheduled */
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
            uint64_t h = drill__fnv1a(DRILL__FNV_OFFSET, id) * 0x9E3779B97F4A7C15ULL;
            due = (int)((h >> 63) ^ ((uint64_t)p->year & 1)) == 0;
        }
        return due ? push(p, g, r, P_BIENNIAL, a, b, term, 0) : 0;
    }
    }
}

/* A campaign window with fewer working days than the schedule options'
 * campaign_min_days (a campaign day on a weekend, or a single day for a
 * whole city's units) grows by a day on each side at a time, up to
 * campaign_widen_days each side, so that its drills find the nearest
 * working days and spread over them rather than all fall on one day. */
static void widen_campaign(const drill_plan *p, int *start, int *end)
{
    int jan1 = p->y0, dec31 = p->y0 + p->ndays - 1;
    int min_days = p->opts.campaign_min_days, widen = p->opts.campaign_widen_days;
    if (*start > *end || *end < jan1 || *start > dec31 || min_days <= 0)
        return;
    for (int k = 0;; k++) {
        int working = 0;
        for (int s = *start > jan1 ? *start : jan1; s <= *end && s <= dec31; s++)
            working += p->working[s - jan1];
        if (working >= min_days || k >= widen)
            return;
        *start -= *start > jan1;
        *end += *end < dec31;
    }
}

static const char *rule_scenario(const drill_plan *p, const drill_rule *r, uint32_t u)
{
    return r->scenario ? r->scenario : p->units->classes[p->units->units[u].cls].scenario;
}

/* whether candidate s's drill, held in its window, meets candidate r: r's
 * rule names what satisfies it, and s is another rule's drill inside r's
 * window, of a kind and scenario r accepts, live for a live rule. Rolling rules neither merge nor are merged: their second
 * window moves with the first drill's day. */
static int satisfies(const drill_plan *p, uint32_t u, const cand *s, const cand *r)
{
    const drill_rule *rs = &p->rules->items[s->rule].r, *rr = &p->rules->items[r->rule].r;
    if (s->rule == r->rule || rs->frequency == DRILL_FREQ_ROLLING || rr->frequency == DRILL_FREQ_ROLLING)
        return 0;
    if (!rr->satisfied_by_kinds && !rr->satisfied_by_scenarios)
        return 0; /* a rule that says nothing is met by its own drills only */
    if (s->start > s->end || s->start < r->start || s->end > r->end)
        return 0;
    if (rs->form != rr->form && !(rr->form == DRILL_FORM_TABLETOP && rs->form == DRILL_FORM_LIVE))
        return 0;
    unsigned kinds = rr->satisfied_by_kinds ? rr->satisfied_by_kinds : DRILL_KIND_BIT(rr->kind);
    if (!(kinds & DRILL_KIND_BIT(rs->kind)))
        return 0;
    const char *list = rr->satisfied_by_scenarios, *ss = rule_scenario(p, rs, u);
    if (list && strcmp(list, "*") == 0)
        return 1;
    return strcmp(ss, rule_scenario(p, rr, u)) == 0 || (list && drill__in_bar_list(list, ss));
}

/* whether kept candidate j already meets another period of rule */
static int used_for(const gen_ctx *g, size_t j, uint16_t rule)
{
    for (size_t k = 0; k < g->n; k++)
        if (g->c[k].keep == 2 && g->c[k].by == j && g->c[k].rule == rule)
            return 1;
    return 0;
}

/* Decide which of a unit's requirements get a drill of their own: those no
 * other requirement's drill can meet first, then, in rule order, the first
 * not yet met; each drill meets at most one period of each other rule. Every
 * requirement left without a drill is met by a drill that is kept. */
static void merge(const drill_plan *p, gen_ctx *g, uint32_t u)
{
    size_t n = g->n;
    for (size_t i = 0; i < n; i++) {
        g->c[i].keep = 1;
        for (size_t j = 0; j < n && g->c[i].keep; j++)
            if (j != i && satisfies(p, u, &g->c[j], &g->c[i]))
                g->c[i].keep = 0;
    }
    for (;;) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n && g->c[i].keep == 0; j++)
                if (g->c[j].keep == 1 && satisfies(p, u, &g->c[j], &g->c[i]) && !used_for(g, j, g->c[i].rule)) {
                    g->c[i].keep = 2;
                    g->c[i].by = (uint16_t)j;
                }
        size_t i = 0;
        while (i < n && g->c[i].keep)
            i++;
        if (i == n)
            return;
        g->c[i].keep = 1;
    }
}

static uint64_t cand_key(const cand *c)
{
    return (uint64_t)c->rule | (uint64_t)c->period << 16 | (uint64_t)(uint16_t)c->start << 24 |
           (uint64_t)(uint16_t)c->end << 40;
}

/* merge() through the memo; a memo that cannot grow only costs time */
static void merge_memo(const drill_plan *p, gen_ctx *g, uint32_t u)
{
    uint16_t cls = p->units->units[u].cls;
    uint64_t h = DRILL__FNV_OFFSET ^ cls;
    for (size_t i = 0; i < g->n; i++)
        h = (h ^ cand_key(&g->c[i])) * 0x100000001B3ULL;
    if (!g->memo) {
        g->memo_cap = 16384;
        g->memo = calloc(g->memo_cap, sizeof *g->memo);
    }
    size_t mask = g->memo_cap - 1, i = (size_t)h & mask;
    for (; g->memo && g->memo[i].n; i = (i + 1) & mask) {
        const struct memo_slot *m = &g->memo[i];
        if (m->hash != h || m->cls != cls || m->n != g->n)
            continue;
        const uint64_t *k = g->memo_pool + m->off;
        size_t j = 0;
        while (j < g->n && k[j] == cand_key(&g->c[j]))
            j++;
        if (j < g->n)
            continue;
        for (j = 0; j < g->n; j++) {
            g->c[j].keep = (uint8_t)(k[g->n + j] & 0xFF);
            g->c[j].by = (uint16_t)(k[g->n + j] >> 8);
        }
        return;
    }
    merge(p, g, u);
    if (!g->memo || g->memo_count * 2 >= g->memo_cap || g->n == 0)
        return; /* full enough: no more entries (lookups stay short) */
    size_t need = g->memo_pool_len + 2 * g->n;
    if (DRILL__VEC_RESERVE(g->memo_pool, g->memo_pool_cap, need))
        return;
    uint64_t *k = g->memo_pool + g->memo_pool_len;
    for (size_t j = 0; j < g->n; j++) {
        k[j] = cand_key(&g->c[j]);
        k[g->n + j] = (uint64_t)g->c[j].keep | (uint64_t)g->c[j].by << 8;
    }
    g->memo[i] = (struct memo_slot){ h, (uint32_t)g->memo_pool_len, (uint32_t)g->n, cls };
    g->memo_pool_len = need;
    g->memo_count++;
}

static void emit(drill_plan *p, uint32_t unit, cand *c)
{
    c->drill = (uint32_t)p->count;
    if (!p->drills) { /* the counting pass */
        p->count++;
        return;
    }
    drill_rec *d = &p->drills[p->count++];
    memset(d, 0, sizeof *d);
    d->unit = unit;
    d->rule = c->rule;
    d->period = c->period;
    d->day = -1;
    d->cancelled_day = -1;
    d->win_start = c->start;
    d->win_end = c->end;
}

static int generate_unit(drill_plan *p, gen_ctx *g, size_t nrules, uint32_t u, credit_rec *credits)
{
    const unit_rec *ur = &p->units->units[u];
    int rc = 0;
    g->n = 0;
    for (size_t r = 0; r < nrules && rc == 0; r++)
        if (g->rules[r].class_mask[ur->cls] && g->rules[r].area_mask[ur->area] &&
            drill__rule_unit_ok(&p->rules->items[r].r, p->units, u))
            rc = collect_rule(p, g, &g->rules[r], u, (uint16_t)r);
    if (rc)
        return rc;
    merge_memo(p, g, u);
    for (size_t i = 0; i < g->n; i++)
        if (g->c[i].keep == 1)
            emit(p, u, &g->c[i]);
    for (size_t i = 0; i < g->n; i++)
        if (g->c[i].keep == 2) {
            if (credits && g->ncredits >= g->credits_cap) /* the passes disagree: never, but never write past */
                return drill__error(DRILL_ERANGE, "the plan's credits changed between its two passes");
            if (credits)
                credits[g->ncredits] = (credit_rec){ g->c[g->c[i].by].drill, g->c[i].rule, g->c[i].period };
            g->ncredits++;
        }
    return 0;
}

static int generate(drill_plan *p)
{
    const drill_units *units = p->units;
    size_t nrules = p->rules->count;
    gen_ctx g = { 0 };
    g.rules = calloc(nrules ? nrules : 1, sizeof *g.rules);
    g.has_term = calloc(units->nclasses + 1, 1);
    g.term = calloc((units->nclasses + 1) * (size_t)p->ndays, 1);
    credit_rec *credits = NULL;
    int rc = 0;
    if (!g.rules || !g.has_term || !g.term)
        rc = drill__error(DRILL_ENOMEM, "out of memory making a plan");
    for (size_t c = 0; rc == 0 && c < units->nclasses; c++)
        g.has_term[c] = (uint8_t)drill__units_term_days(units, c, p->year, g.term + c * (size_t)p->ndays);
    for (size_t r = 0; r < nrules && rc == 0; r++) {
        const drill_rule *rule = &p->rules->items[r].r;
        rule_ctx *ctx = g.rules;
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
            drill_campaign_window w = DRILL_CAMPAIGN_WINDOW_INIT;
            ctx[r].has_campaign = 1;
            ctx[r].cstart = 1;
            ctx[r].cend = 0; /* does not occur this year: an empty window */
            if (drill_campaigns_window(&w, p->campaigns, rule->campaign, p->year, NULL) == 0) {
                drill_date_to_serial(&ctx[r].cstart, w.start);
                drill_date_to_serial(&ctx[r].cend, w.end);
                widen_campaign(p, &ctx[r].cstart, &ctx[r].cend);
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
            g.credits_cap = g.ncredits;
            credits = malloc((g.ncredits ? g.ncredits : 1) * sizeof *credits);
            if (!p->drills || !credits) {
                rc = drill__error(DRILL_ENOMEM, "out of memory making a plan of %zu drills", p->count);
                break;
            }
            p->cap = p->count;
        }
        p->count = 0;
        g.ncredits = 0;
        for (size_t u = 0; u < units->count && rc == 0; u++) {
            first[u] = (uint32_t)p->count;
            rc = generate_unit(p, &g, nrules, (uint32_t)u, credits);
        }
        first[units->count] = (uint32_t)p->count;
    }
    for (size_t r = 0; g.rules && r < nrules; r++) {
        free(g.rules[r].class_mask);
        free(g.rules[r].area_mask);
    }
    free(g.rules);
    free(g.c);
    free(g.memo);
    free(g.memo_pool);
    free(g.term);
    free(g.has_term);
    if (rc) {
        free(credits);
        free(first);
        return rc;
    }
    free(p->unit_first);
    p->unit_first = first;
    free(p->credits);
    p->credits = credits;
    p->ncredits = g.ncredits;
    return 0;
}

/* the day-by-day working calendar of the year */
int drill__plan_load_year(drill_plan *p)
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
    int provisional = 0; /* the law's holidays and the weekends: honest, so allowed */
    drill_calendar_is_provisional(&provisional, p->cal, p->year);
    if (!covered && !p->allow_uncovered && !provisional)
        return drill__error(DRILL_ENODATA,
                            "no holiday arrangement is loaded for %d: load it, or plan with allow_uncovered "
                            "to count weekends alone",
                            p->year);
    return 0;
}


/* carry each drill's day over from the previous requirements (same unit,
 * rule id, period); carried[j]: old drill j found its new self */
static void carry_days(drill_plan *p, const drill_rec *old, size_t nold, const uint32_t *old_first, size_t old_units,
                       const int *rule_map, uint8_t *carried)
{
    for (size_t u = 0; u < p->nunits && u < old_units; u++)
        for (uint32_t i = p->unit_first[u]; i < p->unit_first[u + 1]; i++)
            for (uint32_t j = old_first[u]; j < old_first[u + 1] && j < nold; j++)
                if (rule_map[old[j].rule] == p->drills[i].rule && old[j].period == p->drills[i].period) {
                    p->drills[i].day = old[j].day;
                    p->drills[i].cancelled_day = old[j].cancelled_day;
                    p->drills[i].status = old[j].status;
                    p->drills[i].reason = old[j].reason;
                    p->drills[i].flags = old[j].flags;
                    p->drills[i].revision = old[j].revision;
                    p->drills[i].stored = old[j].stored;
                    carried[j] = 1;
                    break;
                }
}

/* ---- drills no longer required ---- */

/* held, evaluated, closed or cancelled: a fact, kept when the rules no
 * longer require the drill; planned and scheduled go with the requirement */
static int is_fact(int status)
{
    return status > DRILL_STATUS_SCHEDULED;
}

static long find_gone(const drill_plan *p, const char *id)
{
    for (size_t i = 0; i < p->ngone; i++)
        if (strcmp(p->gone[i].id, id) == 0)
            return (long)i;
    return -1;
}

int drill__plan_gone_status(const drill_plan *p, const char *id)
{
    long g = find_gone(p, id);
    return g < 0 ? -1 : p->gone[g].status;
}

static void gone_remove(drill_plan *p, size_t g)
{
    free(p->gone[g].id);
    p->gone[g] = p->gone[--p->ngone];
}

/* what the gone list keeps of drill d (id owned by the list), and d back from it */
static gone_rec gone_of(char *id, const drill_rec *d)
{
    return (gone_rec){ id, d->status, d->reason, d->day, d->cancelled_day, d->revision, d->stored };
}

static void gone_back(drill_rec *d, const gone_rec *x)
{
    d->status = x->status;
    d->reason = x->reason;
    d->day = x->day;
    d->cancelled_day = x->cancelled_day;
    d->revision = x->revision;
    d->stored = x->stored;
}

static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

/* drill d of the plan being replaced, its id (rules: the ones it was made
 * with; units never go, so its unit index still holds) */
static char *old_drill_id(const drill_plan *p, const drill_rules *rules, const drill_rec *d)
{
    char id[DRILL_ID_MAX];
    snprintf(id, sizeof id, "%s/%s/%d%s", p->units->pool + p->units->units[d->unit].id, rules->items[d->rule].r.id,
             p->year, drill__period_suffix(d->period));
    return drill__strdup(id);
}

/* the old drills whose states are facts, their ids, and room for them in
 * the gone list: taken before the requirements are rebuilt, so that running
 * out of memory leaves the plan as it was */
static int facts_before(char ***out, drill_plan *p, const drill_rules *rules)
{
    size_t n = 0;
    *out = NULL;
    for (size_t i = 0; rules && i < p->count; i++)
        n += is_fact(p->drills[i].status);
    if (n == 0)
        return 0;
    char **ids = calloc(p->count, sizeof *ids);
    int failed = !ids || DRILL__VEC_RESERVE(p->gone, p->gone_cap, p->ngone + n);
    for (size_t i = 0; !failed && i < p->count; i++)
        if (is_fact(p->drills[i].status))
            failed = !(ids[i] = old_drill_id(p, rules, &p->drills[i]));
    if (failed) {
        free_ids(ids, p->count);
        return drill__error(DRILL_ENOMEM, "out of memory refreshing a plan");
    }
    *out = ids;
    return 0;
}

/* After the requirements were rebuilt: drills kept in the gone list that
 * are required again take their states back; old drills that no longer are
 * (not carried) and whose states are facts join the list. ids: the old
 * drills' ids from facts_before() (room reserved), freed here. */
static void facts_after(drill_plan *p, const drill_rec *old, size_t nold, char **ids, const uint8_t *carried)
{
    for (size_t g = p->ngone; g-- > 0;) {
        long k = drill__plan_index(p, p->gone[g].id);
        if (k < 0)
            continue;
        gone_back(&p->drills[k], &p->gone[g]);
        gone_remove(p, g);
    }
    for (size_t j = 0; ids && j < nold; j++)
        if (ids[j] && !(carried && carried[j]) && find_gone(p, ids[j]) < 0) {
            p->gone[p->ngone++] = gone_of(ids[j], &old[j]);
            ids[j] = NULL;
        }
    free_ids(ids, nold);
}

/* one capacity override per district of the units (units can move into new districts) */

int drill__plan_sync_districts(drill_plan *p)
{
    size_t nd = p->units->ndistricts;
    if (nd <= p->ndistricts)
        return 0;
    if (DRILL__VEC_RESERVE(p->capacity_override, p->capacity_override_cap, nd))
        return drill__error(DRILL_ENOMEM, "out of memory for %zu districts", nd);
    for (size_t i = p->ndistricts; i < nd; i++)
        p->capacity_override[i] = -1;
    p->ndistricts = nd;
    return 0;
}

int drill__plan_rebuild(drill_plan *p)
{
    drill_rules *rules = NULL, *old_rules = p->rules;
    int rc = drill__plan_sync_districts(p);
    if (rc || (rc = drill__rules_dup(&rules, p->rules_src)))
        return rc;
    /* the old drills, to carry their days over, and the ids of those whose
     * states are facts, to keep them if they are no longer required */
    drill_rec *old = p->drills;
    size_t nold = p->count, old_units = p->nunits;
    uint32_t *old_first = p->unit_first;
    int *rule_map = NULL;
    uint8_t *carried = NULL;
    char **fact_ids = NULL;
    if (old_rules && old_rules->count) {
        rule_map = malloc(old_rules->count * sizeof *rule_map);
        carried = calloc(nold ? nold : 1, 1);
        if (!rule_map || !carried || facts_before(&fact_ids, p, old_rules)) {
            free(rule_map);
            free(carried);
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
        free(carried);
        free_ids(fact_ids, nold);
        return rc;
    }
    if (old && rule_map)
        carry_days(p, old, nold, old_first, old_units, rule_map, carried);
    facts_after(p, old, nold, fact_ids, carried);
    for (size_t i = 0; i < p->count; i++)
        if (p->drills[i].period == P_R2)
            drill__plan_rolling_window(p, &p->drills[i]);
    free(rule_map);
    free(carried);
    free(old);
    free(old_first);
    drill_rules_free(old_rules);
    /* the new requirements' start times (a failure leaves each at its preferred slot) */
    return drill__schedule_assign_slots(p);
}

int drill_plan_refresh(drill_plan *plan)
{
    DRILL_CHECK_NULL(plan);
    plan->generation++;
    return drill__plan_rebuild(plan);
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
    DRILL__VERSIONED(opts, drill_plan_options, DRILL_PLAN_OPTIONS_INIT);
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
    int rc = drill__schedule_check_options(&p->opts, NULL); /* the defaults until the first schedule */
    if (rc == 0)
        rc = drill__plan_load_year(p);
    if (rc == 0)
        rc = drill__plan_rebuild(p);
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
    for (size_t i = 0; i < plan->ngone; i++)
        free(plan->gone[i].id);
    free(plan->gone);
    free(plan->unit_first);
    free(plan->unit_district);
    free(plan->dayidx_first);
    free(plan->dayidx);
    free(plan->dayidx_more);
    free(plan->credits);
    for (size_t i = 0; i < plan->nlast; i++)
        free(plan->last[i].rule);
    free(plan->last);
    drill__map_free(&plan->last_map);
    free(plan->closed);
    free(plan->capacity_override);
    if (plan->tracking_free)
        plan->tracking_free(plan);
    free(plan);
}

const uint32_t *drill__plan_unit_districts(drill_plan *p)
{
    if (p->unit_district && p->unit_district_of == p->units && p->unit_district_rev == p->units->revision &&
        p->unit_district_n == p->nunits)
        return p->unit_district;
    uint32_t *d = malloc((p->nunits ? p->nunits : 1) * sizeof *d);
    if (!d) {
        drill__error(DRILL_ENOMEM, "out of memory for %zu units' districts", p->nunits);
        return NULL;
    }
    for (size_t u = 0; u < p->nunits; u++)
        d[u] = drill__unit_district(p->units, u);
    free(p->unit_district);
    p->unit_district = d;
    p->unit_district_n = p->nunits;
    p->unit_district_of = p->units;
    p->unit_district_rev = p->units->revision;
    return d;
}

int drill_plan_set_last(drill_plan *plan, const char *unit_id, const char *rule_id, drill_date last, int held)
{
    DRILL_CHECK_NULL(plan);
    plan->generation++;
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
        char *id = NULL;
        if (DRILL__VEC_RESERVE(plan->last, plan->last_cap, plan->nlast + 1) ||
            drill__map_reserve(&plan->last_map, plan->nlast + 1) || !(id = drill__strdup(rule_id)))
            return drill__error(DRILL_ENOMEM, "out of memory recording a last drill");
        plan->last[plan->nlast] = (last_rec){ (uint32_t)u, id, -1, -1 };
        (void)drill__map_add(&plan->last_map, last_hash((uint32_t)u, rule_id), plan->nlast); /* room reserved */
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
    plan->generation++;
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
    for (size_t i = 0; i < plan->nclosed; i++) /* closed already: once is enough */
        if (plan->closed[i].district == d && plan->closed[i].day == s - plan->y0)
            return 0;
    if ((rc = DRILL__VEC_RESERVE(plan->closed, plan->closed_cap, plan->nclosed + 1)))
        return rc;
    plan->closed[plan->nclosed++] = (closed_day){ d, (int16_t)(s - plan->y0) };
    return 0;
}

int drill__plan_is_closed(const drill_plan *p, uint32_t district, int day)
{
    for (size_t i = 0; i < p->nclosed; i++)
        if (p->closed[i].day == day && (p->closed[i].district < 0 || (uint32_t)p->closed[i].district == district))
            return 1;
    return 0;
}

int drill_plan_set_capacity(drill_plan *plan, const char *district, int capacity)
{
    DRILL_CHECK_NULL(plan);
    plan->generation++;
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

int drill_plan_year(const drill_plan *plan)
{
    return plan ? plan->year : 0;
}

size_t drill_plan_count(const drill_plan *plan)
{
    return plan ? plan->count : 0;
}

/* ---- for the store ---- */

int drill__plan_restore_drill(drill_plan *p, const char *id, int status, int serial, int reason, int revision)
{
    long i = drill__plan_index(p, id), g = -1;
    if (i == -2)
        return 0; /* not a drill id: nothing the plan could hold */
    if (status < DRILL_STATUS_PLANNED || status > DRILL_STATUS_CANCELLED || reason < 0 || reason >= DRILL_REASON_COUNT)
        return drill__error(DRILL_ECORRUPT, "drill '%s' has status %d and reason %d", id, status, reason);
    drill_rec one, *d = &one;
    if (i >= 0) {
        d = &p->drills[i];
    } else { /* no longer required by the rules: a fact is kept, beside its tracking record */
        g = find_gone(p, id);
        if (!is_fact(status)) {
            if (g >= 0)
                gone_remove(p, (size_t)g);
            return 0;
        }
        if (g < 0) {
            char *copy = NULL;
            if (DRILL__VEC_RESERVE(p->gone, p->gone_cap, p->ngone + 1) || !(copy = drill__strdup(id)))
                return drill__error(DRILL_ENOMEM, "out of memory loading a plan");
            g = (long)p->ngone++;
            p->gone[g] = (gone_rec){ copy, 0, 0, -1, -1, 0, 0 };
        }
        memset(&one, 0, sizeof one);
    }
    d->status = (uint8_t)status;
    d->reason = (uint8_t)reason;
    p->dayidx_ok = 0; /* its day may be another */
    d->revision = (uint16_t)(revision < 0 ? 0 : revision > 65535 ? 65535 : revision);
    d->stored = d->revision;
    d->day = (int16_t)(serial >= p->y0 && serial < p->y0 + p->ndays ? serial - p->y0 : -1);
    if (status == DRILL_STATUS_CANCELLED) { /* the day it was on: never booked */
        d->cancelled_day = d->day;
        d->day = -1;
    }
    if (g >= 0)
        p->gone[g] = gone_of(p->gone[g].id, d);
    return 0;
}

int drill__plan_restore_done(drill_plan *p, const drill_schedule_options *o, int scheduled)
{
    drill_schedule_options made = p->opts; /* the options the windows were made with */
    int rc = drill__schedule_check_options(&p->opts, o);
    if (rc)
        return drill__error(DRILL_ECORRUPT, "stored schedule options: %s", drill_error_last()->message);
    /* the campaign windows of the stored widening, the states read carried over */
    if ((p->opts.campaign_min_days != made.campaign_min_days ||
         p->opts.campaign_widen_days != made.campaign_widen_days) &&
        (rc = drill__plan_rebuild(p)))
        return rc;
    for (size_t i = 0; i < p->count; i++) {
        drill_rec *d = &p->drills[i];
        d->observer = (uint8_t)drill__plan_needs_observer(p, d);
        if (d->period == P_R2)
            drill__plan_rolling_window(p, d);
    }
    if ((rc = drill__schedule_assign_slots(p)))
        return rc;
    memset(&p->quality, 0, sizeof p->quality);
    drill__plan_count_quality(p, &p->quality);
    p->scheduled = scheduled;
    return drill_plan_validate(&p->quality.violations, p);
}

static int follow_rolling(drill_plan *p, size_t i, int strict)
{
    if (p->drills[i].period != P_R1 || i + 1 >= p->count || p->drills[i + 1].period != P_R2 ||
        p->drills[i + 1].unit != p->drills[i].unit || p->drills[i + 1].rule != p->drills[i].rule)
        return 0;
    drill_rec *r2 = &p->drills[i + 1];
    drill__plan_rolling_window(p, r2);
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

/* drill i was moved or held by hand: the window of its second rolling
 * drill, then the start slots of its day */
int drill__plan_follow_rolling(drill_plan *p, size_t i, int strict)
{
    int rc = follow_rolling(p, i, strict);
    if (rc == 0 && p->drills[i].day >= 0)
        rc = drill__schedule_assign_day_slots(p, i);
    return rc;
}
