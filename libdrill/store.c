/* The store: objects to rows and back, through the storage interface
 * (store_backend.h). No SQL here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include "abi.h"
#include "internal.h"
#include "map.h"
#include "plan_internal.h"
#include "report_internal.h"
#include "rule_internal.h"
#include "store_backend.h"
#include "unit_internal.h"
#include "vec.h"

struct drill_store {
    const drill__backend *be;
    void *db;
    int read_only;
    drill_plan *attached;
    char id[40]; /* the store's identity (meta store_id): which plans it holds as they are */
    int grouped; /* inside drill_store_begin(): written-through changes share its transaction */
    int group_failed; /* a change of the group failed: its statements may be in the transaction, so it
                         can only be rolled back */
};

#define I(x) ((drill__value){ DRILL__INT, (long long)(x), NULL })
#define T(x) ((drill__value){ DRILL__TEXT, 0, (x) })
#define NUL ((drill__value){ DRILL__NULL, 0, NULL })
#define EXEC(st, stmt, ...)                                                                          \
    ((st)->be->exec((st)->db, (stmt), (const drill__value[]){ __VA_ARGS__ },                         \
                    sizeof((const drill__value[]){ __VA_ARGS__ }) / sizeof(drill__value), NULL))

/* a date as text, or NULL for year 0 */
static drill__value date_value(char *buf, drill_date d)
{
    if (!d.year)
        return NUL;
    snprintf(buf, DRILL_DATE_STRLEN, "%04d-%02d-%02d", d.year, d.month, d.day);
    return T(buf);
}

static drill__value serial_value(char *buf, int serial)
{
    drill_date d = { 0, 0, 0 };
    if (serial >= 0)
        drill__from_serial(serial, &d);
    return date_value(buf, d);
}

static int row_store_id(void *ctx, const drill__value *c, size_t n)
{
    drill_store *s = ctx;
    (void)n;
    snprintf(s->id, sizeof s->id, "%s", c[0].s ? c[0].s : "");
    return 0;
}

int drill_store_open(drill_store **out, const char *path, const drill_store_options *opts)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(path);
    DRILL__VERSIONED(opts, drill_store_options, DRILL_STORE_OPTIONS_INIT);
    drill_store_options defaults = DRILL_STORE_OPTIONS_INIT;
    const drill_store_options *o = opts ? opts : &defaults; /* of the current version */
    drill_store *s = calloc(1, sizeof *s);
    if (!s)
        return drill__error(DRILL_ENOMEM, "out of memory opening a store");
    s->be = drill__pg_is_conninfo(path) ? &drill__pg_backend : &drill__sqlite_backend;
    s->read_only = o->read_only;
    struct stat st;
    int server = drill__pg_is_conninfo(path);
    if (o->existing_only && server && !o->read_only) {
        /* a database without a store: refused as a read-only open refuses it, before anything is made */
        void *probe = NULL;
        int rc = s->be->open(&probe, path, 1);
        if (rc == 0)
            s->be->close(probe);
        if (rc && rc != DRILL_EVERSION) { /* EVERSION: an older store, migrated by the open below */
            free(s);
            return rc;
        }
    }
    if (o->existing_only && !server &&
        (stat(path, &st) != 0 || (S_ISREG(st.st_mode) && st.st_size == 0))) {
        free(s);
        return drill__error(DRILL_ENOTFOUND, "no libdrill store at %s%s", path,
                            stat(path, &st) == 0 ? " (the file is empty)" : "");
    }
    int rc = s->be->open(&s->db, path, o->read_only);
    if (rc) {
        free(s);
        return rc;
    }
    drill__value key = T("store_id");
    if ((rc = s->be->query(s->db, STMT_GET_META, &key, 1, row_store_id, s))) {
        drill_store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

int drill_store_is_server(const char *name)
{
    return name && drill__pg_is_conninfo(name);
}

int drill_store_display_name(char *out, size_t size, const char *name)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(name);
    if (!size)
        return drill__error(DRILL_EINVAL, "size must not be 0");
    if (!drill__pg_is_conninfo(name)) {
        if (strlen(name) >= size) {
            out[0] = '\0';
            return drill__error(DRILL_ERANGE, "the store's name is longer than %zu bytes", size - 1);
        }
        memcpy(out, name, strlen(name) + 1);
        return 0;
    }
    if (drill__pg_mask(out, size, name))
        return drill__error(DRILL_ERANGE, "the store's name is longer than %zu bytes", size - 1);
    return 0;
}

/* the journal of a plan whose store was closed: every tracking call fails
 * rather than succeed in memory only */
static int journal_closed(void *ctx, const drill_plan *plan, const char *drill_id)
{
    (void)ctx;
    if (plan->stale)
        return drill__error(DRILL_ESTATE, "the plan's store rolled its changes back: '%s' was not changed (load "
                                          "the plan again)", drill_id);
    return drill__error(DRILL_ESTATE, "the plan's store is closed: '%s' was not changed (attach the plan to an "
                                      "open store)", drill_id);
}

void drill_store_close(drill_store *store)
{
    if (!store)
        return;
    drill_store_rollback(store);
    drill_plan *p = store->attached;
    drill_store_detach(store);
    if (p)
        p->journal = journal_closed;
    store->be->close(store->db);
    free(store);
}

int drill_store_schema_version(int *out, drill_store *store)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(store);
    return store->be->schema_version(store->db, out);
}

int drill_store_check_detail(int *out_ok, char *out_detail, size_t size, drill_store *store)
{
    DRILL_CHECK_NULL(out_ok);
    DRILL_CHECK_NULL(out_detail);
    DRILL_CHECK_NULL(store);
    if (size == 0)
        return drill__error(DRILL_EINVAL, "a detail buffer of size 0");
    char detail[1024] = "";
    *out_ok = 0;
    int rc = store->be->check(store->db, out_ok, detail, sizeof detail);
    if (rc)
        *out_ok = 0;
    drill__utf8_copy(out_detail, size, rc ? "" : detail);
    return rc;
}

int drill_store_check(int *out_ok, drill_store *store)
{
    char detail[1];
    return drill_store_check_detail(out_ok, detail, sizeof detail, store);
}

/* ---- saving ---- */

typedef struct holiday_ctx {
    drill_store *s;
    const drill_calendar *cal;
    int year, rc;
} holiday_ctx;

static void save_holiday(void *ctx, int serial, int kind, const char *name, const char *name_en)
{
    holiday_ctx *h = ctx;
    if (h->rc)
        return;
    char date[DRILL_DATE_STRLEN];
    drill_date d;
    drill__from_serial(serial, &d);
    h->rc = EXEC(h->s, STMT_INSERT_HOLIDAY, I(h->year), date_value(date, d), I(kind), T(name),
                 name_en ? T(name_en) : NUL, I(d.year));
}

/* registries under a scope: a plan's year (the ones it was made from, its
 * rules as it last read them) or DRILL__SCOPE_WORKING */
typedef struct registries {
    const drill_units *units;
    const drill_rules *rules;
    const drill_campaigns *campaigns;
    const drill_calendar *cal;
} registries;

static int save_registries(drill_store *s, int scope, const registries *g)
{
    const drill_units *u = g->units;
    const drill__value Y = I(scope);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < u->nclasses; i++) {
        const class_rec *c = &u->classes[i];
        rc = EXEC(s, STMT_INSERT_CLASS, Y, T(c->id), T(c->name), c->name_en ? T(c->name_en) : NUL, I(c->flags),
                  T(c->scenario));
    }
    for (size_t i = 0; rc == 0 && i < u->count; i++) {
        drill_unit x = DRILL_UNIT_INIT;
        drill_units_get(&x, u, i);
        const unit_rec *r = &u->units[i];
        rc = EXEC(s, STMT_INSERT_UNIT, Y, I(i), T(x.id), T(x.name), T(x.area), T(x.unit_class), T(x.address),
                  T(x.contact), T(x.phone), I(x.headcount), I(x.risk), I(x.flood_prone), I(x.key_fire));
        for (uint32_t l = r->blackout; rc == 0 && l; l = u->blackouts[l - 1].next) {
            char a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN];
            rc = EXEC(s, STMT_INSERT_BLACKOUT, Y, T(x.id), serial_value(a, u->blackouts[l - 1].from),
                      serial_value(b, u->blackouts[l - 1].to));
        }
    }
    for (size_t i = 0; rc == 0 && i < g->rules->count; i++) {
        const drill_rule *r = &g->rules->items[i].r;
        rc = EXEC(s, STMT_INSERT_RULE, Y, I(i), T(r->id), T(r->name), T(r->name_en), T(r->source), T(r->classes),
                  I(r->class_flags), T(r->area), I(r->min_risk), I(r->flood_prone), I(r->key_fire), I(r->kind),
                  I(r->form), T(r->scenario), I(r->frequency), T(r->campaign), I(r->due_from),
                  I(r->satisfied_by_kinds), T(r->satisfied_by_scenarios));
    }
    for (size_t i = 0; rc == 0 && i < u->nbreaks; i++) {
        drill_break b = DRILL_BREAK_INIT;
        char a[DRILL_DATE_STRLEN], z[DRILL_DATE_STRLEN];
        drill_units_break_at(&b, u, i);
        if (b.yearly) {
            snprintf(a, sizeof a, "%02d-%02d", b.from.month, b.from.day);
            snprintf(z, sizeof z, "%02d-%02d", b.to.month, b.to.day);
        } else {
            drill_date_format(a, sizeof a, b.from);
            drill_date_format(z, sizeof z, b.to);
        }
        rc = EXEC(s, STMT_INSERT_BREAK, Y, I(i), T(b.class_id), I(b.yearly), T(a), T(z), T(b.name));
    }
    drill_campaign_def c = DRILL_CAMPAIGN_DEF_INIT;
    size_t years;
    for (size_t i = 0; rc == 0 && drill__campaigns_def(g->campaigns, i, &c, &years) == 0; i++) {
        rc = EXEC(s, STMT_INSERT_CAMPAIGN, Y, I(i), T(c.id), T(c.name), T(c.name_en), T(c.source), I(c.rule), I(c.month),
                  I(c.day), I(c.end_month), I(c.end_day), I(c.nth), I(c.weekday), I(c.length_days),
                  I(c.align_weekday), T(c.base), I(c.start_offset), I(c.end_offset), I(c.first_year),
                  I(c.last_year), I(c.estimated_without_data));
        for (size_t k = 0; rc == 0 && k < years; k++) {
            int year, a, b;
            char x[DRILL_DATE_STRLEN], y[DRILL_DATE_STRLEN];
            drill__campaigns_year(g->campaigns, i, k, &year, &a, &b);
            rc = EXEC(s, STMT_INSERT_CAMPAIGN_YEAR, Y, T(c.id), I(year), serial_value(x, a), serial_value(y, b));
        }
    }
    holiday_ctx h = { s, g->cal, scope, rc };
    drill__calendar_each(g->cal, save_holiday, &h);
    rc = h.rc;
    for (int y = DRILL_DATE_MIN_YEAR; rc == 0 && y <= DRILL_DATE_MAX_YEAR; y++) {
        int covered = 0;
        drill_calendar_is_covered(&covered, g->cal, y);
        if (covered)
            rc = EXEC(s, STMT_INSERT_COVERED, Y, I(y));
    }
    if (rc == 0) {
        char version[16];
        snprintf(version, sizeof version, "%s", drill_version_string());
        rc = EXEC(s, STMT_SET_META, T("written_by"), T(version));
    }
    return rc;
}

/* a drill's tracking record, its actions, and its row in drills */
static int save_track(drill_store *s, const drill_plan *p, const char *id)
{
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    int rc = drill_track_get(&t, p, id);
    if (rc)
        return rc;
    drill_outcome outcome = DRILL_OUTCOME_INIT; /* the defaults while not held */
    if (t.has_outcome && (rc = drill_track_outcome(&outcome, p, id)))
        return rc;
    const drill_outcome *o = &outcome;
    char date[DRILL_DATE_STRLEN];
    int out = t.has_outcome;
    rc = EXEC(s, STMT_UPSERT_TRACK, T(id), I(p->year), I(t.status), I(out), out ? date_value(date, o->date) : NUL,
              I(o->start_minute), I(o->end_minute), I(o->kind), I(o->form), I(o->participants), I(o->non_participants),
              out ? T(o->observers) : NUL, I(o->evacuation_seconds), I(o->evacuation_target), I(o->headcount_seconds),
              I(o->headcount_target), I(o->score), out ? T(o->notes) : NUL, T(t.cancel_reason));
    if (rc == 0)
        rc = EXEC(s, STMT_CLEAR_ACTIONS, T(id));
    for (size_t n = 1; rc == 0 && n <= t.actions; n++) {
        drill_action a = DRILL_ACTION_INIT;
        char due[DRILL_DATE_STRLEN], closed[DRILL_DATE_STRLEN];
        drill_track_action(&a, p, id, n);
        rc = EXEC(s, STMT_INSERT_ACTION, T(id), I(n), T(a.finding), T(a.capability), T(a.action), T(a.owner),
                  date_value(due, a.due), I(a.status), date_value(closed, a.closed));
    }
    return rc;
}

/* a whole plan's trail is written in its order, numbered 1, 2, ... */
static int save_audit_entry(drill_store *s, const drill_plan *p, size_t i)
{
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    drill_audit_get(&e, p, i);
    return EXEC(s, STMT_INSERT_AUDIT, I(i + 1), I(p->year), T(e.time), T(e.actor), T(e.drill_id), T(e.field),
                T(e.old_value), T(e.new_value), T(e.reason));
}

/* ---- the year's counts by group, state and window end ---- */

#define DRILL_GROUPINGS 5 /* drill_group_by: campaign, district, class, tier, rule */
#define STATES 6

/* a drill has a day to store: booked, or the day a cancelled drill was on (its feed event stays there) */
static int dated(const drill_plan *p, size_t i, const drill_item *it)
{
    return p->drills[i].day >= 0 || (it->status == DRILL_STATUS_CANCELLED && it->date.year);
}

/* a drill's last day as text, or NULL for an empty window */
static drill__value window_end(char *buf, const drill_plan *p, size_t i)
{
    const drill_rec *d = &p->drills[i];
    return d->win_start <= d->win_end ? serial_value(buf, p->y0 + d->win_end) : NUL;
}

/* its first day, or NULL */
static drill__value window_start(char *buf, const drill_plan *p, size_t i)
{
    const drill_rec *d = &p->drills[i];
    return d->win_start <= d->win_end ? serial_value(buf, p->y0 + d->win_start) : NUL;
}

/* The counts of a plan being saved whole: group names interned per
 * grouping (in the order they first appear: the report's order), and a
 * count per (group, state, window end). */
typedef struct counter {
    const char **names; /* interned group names, any grouping */
    uint8_t *by;
    size_t nnames, names_cap, by_cap, cells_cap;
    drill__map index; /* (grouping, text) -> index in names */
    uint32_t *cells; /* [name][credit][state][window end + 1]: 367 ends (none, day 0..365) */
} counter;

#define ENDS 367

static int counter_init(counter *k)
{
    memset(k, 0, sizeof *k);
    return drill__map_reserve(&k->index, 512) ? drill__error(DRILL_ENOMEM, "out of memory counting the plan") : 0;
}

static void counter_free(counter *k)
{
    free(k->names);
    free(k->by);
    drill__map_free(&k->index);
    free(k->cells);
}

typedef struct group_key {
    int by;
    const char *text;
} group_key;

static uint32_t group_hash(int by, const char *text)
{
    return drill__map_mix(drill__fnv1a(DRILL__FNV_OFFSET ^ (uint64_t)by, text));
}

static int group_eq(const void *ctx, size_t i, const void *key)
{
    const counter *k = ctx;
    const group_key *g = key;
    return k->by[i] == g->by && strcmp(k->names[i], g->text) == 0;
}

/* the index of a group name, interned on first sight */
static int intern(counter *k, int by, const char *text, size_t *out)
{
    group_key key = { by, text };
    uint32_t h = group_hash(by, text);
    if (drill__map_find(out, &k->index, h, group_eq, k, &key))
        return 0;
    if (DRILL__VEC_RESERVE(k->names, k->names_cap, k->nnames + 1) ||
        DRILL__VEC_RESERVE(k->by, k->by_cap, k->nnames + 1) ||
        drill__vec_reserve(&k->cells, &k->cells_cap, k->nnames + 1, 2 * STATES * ENDS * sizeof *k->cells) ||
        drill__map_add(&k->index, h, k->nnames))
        return drill__error(DRILL_ENOMEM, "out of memory counting the plan");
    memset(k->cells + k->nnames * 2 * STATES * ENDS, 0, 2 * STATES * ENDS * sizeof *k->cells);
    k->names[k->nnames] = text;
    k->by[k->nnames] = (uint8_t)by;
    *out = k->nnames++;
    return 0;
}

static int counter_add(counter *k, int by, const char *group, int credit, drill_status status, int win_end)
{
    size_t g = 0;
    int rc = intern(k, by, group, &g);
    if (rc == 0)
        k->cells[((g * 2 + (size_t)credit) * STATES + (size_t)status) * ENDS + (size_t)(win_end + 1)]++;
    return rc;
}

static int counter_save(const counter *k, drill_store *s, const drill_plan *p)
{
    int rc = 0;
    for (size_t g = 0; rc == 0 && g < k->nnames; g++)
        for (int credit = 0; rc == 0 && credit < 2; credit++)
            for (int st = 0; rc == 0 && st < STATES; st++)
                for (int e = 0; rc == 0 && e < ENDS; e++) {
                    uint32_t n = k->cells[((g * 2 + (size_t)credit) * STATES + (size_t)st) * ENDS + (size_t)e];
                    char end[DRILL_DATE_STRLEN] = "";
                    if (!n)
                        continue;
                    if (e > 0)
                        serial_value(end, p->y0 + e - 1);
                    rc = EXEC(s, STMT_INSERT_COUNT, I(p->year), I(k->by[g]), T(k->names[g]), I(st), T(end), I(credit),
                              I(g), I(n));
                }
    return rc;
}

/* the plan's credits in the order of the drills they credit (the plan
 * keeps them unit by unit, in the order the rules merged): a counting sort
 * by drill, stable and linear */
static int credits_by_drill(uint32_t **out, const drill_plan *p)
{
    uint32_t *order = malloc((p->ncredits ? p->ncredits : 1) * sizeof *order);
    uint32_t *next = calloc(p->count + 1, sizeof *next);
    if (!order || !next) {
        free(order);
        free(next);
        return drill__error(DRILL_ENOMEM, "out of memory saving a plan");
    }
    for (size_t j = 0; j < p->ncredits; j++)
        next[p->credits[j].drill + 1]++;
    for (size_t i = 0; i < p->count; i++)
        next[i + 1] += next[i];
    for (size_t j = 0; j < p->ncredits; j++)
        order[next[p->credits[j].drill]++] = (uint32_t)j;
    free(next);
    *out = order;
    return 0;
}

/* the groups drill i is credited in (credits order[from .. to - 1] are its own):
 * "BY\x1fGROUP\x1e" entries, the ones that differ from its own groups;
 * "" when none. *buf is reused from drill to drill. */
static int credit_groups(char **buf, size_t *cap, const drill_plan *p, size_t i, const uint32_t *order, size_t from,
                         size_t to)
{
    size_t len = 0;
    if (*buf)
        (*buf)[0] = '\0';
    for (size_t j = from; j < to; j++)
        for (int by = 0; by < DRILL_GROUPINGS; by++) {
            const char *name = drill__report_group(p, i, p->credits[order[j]].rule, (drill_group_by)by);
            if (strcmp(name, drill__report_group(p, i, p->drills[i].rule, (drill_group_by)by)) == 0)
                continue;
            size_t n = strlen(name);
            if (DRILL__VEC_RESERVE(*buf, *cap, len + n + 4)) /* "B", 0x1f, name, 0x1e, NUL */
                return drill__error(DRILL_ENOMEM, "out of memory saving a plan");
            len += (size_t)sprintf(*buf + len, "%d\x1f%s\x1e", by, name);
        }
    if (!*buf && DRILL__VEC_RESERVE(*buf, *cap, 1))
        return drill__error(DRILL_ENOMEM, "out of memory saving a plan");
    (*buf)[len] = '\0';
    return 0;
}

static int save_plan(drill_store *s, const drill_plan *p)
{
    const drill_schedule_options *o = &p->opts;
    char today[DRILL_DATE_STRLEN];
    int rc = EXEC(s, STMT_CLEAR_PLAN, I(p->year));
    if (rc == 0)
        rc = EXEC(s, STMT_INSERT_PLAN, I(p->year), I(p->allow_uncovered), I(drill__calendar_policy(p->cal)),
                  I(o->capacity), I(o->spacing_days), I(o->observer_min_risk), I(o->observe_comprehensive),
                  I(o->start_minute[1]), I(o->start_minute[2]), I(o->start_minute[3]), I(o->duration_minutes[1]),
                  I(o->duration_minutes[2]), I(o->duration_minutes[3]), I(o->tabletop_minutes), I(p->scheduled),
                  T(p->created), date_value(today, o->today), I(o->day_slots), I(o->slot_minutes),
                  I(o->avoid_after_breaks), I(o->campaign_min_days), I(o->campaign_widen_days));
    const registries g = { p->units, p->rules, p->campaigns, p->cal };
    if (rc == 0)
        rc = save_registries(s, p->year, &g);
    for (size_t d = 0; rc == 0 && d < p->ndistricts; d++)
        if (p->capacity_override[d] >= 0)
            rc = EXEC(s, STMT_INSERT_CAPACITY, I(p->year), T(p->units->pool + p->units->districts[d]),
                      I(p->capacity_override[d]));
    for (size_t i = 0; rc == 0 && i < p->nclosed; i++) {
        char date[DRILL_DATE_STRLEN];
        const closed_day *c = &p->closed[i];
        rc = EXEC(s, STMT_INSERT_CLOSED, I(p->year),
                  c->district < 0 ? NUL : T(p->units->pool + p->units->districts[c->district]),
                  serial_value(date, p->y0 + c->day));
    }
    for (size_t i = 0; rc == 0 && i < p->nlast; i++) {
        char a[DRILL_DATE_STRLEN], b[DRILL_DATE_STRLEN];
        const last_rec *l = &p->last[i];
        rc = EXEC(s, STMT_INSERT_HISTORY, I(p->year), T(p->units->pool + p->units->units[l->unit].id), T(l->rule),
                  serial_value(a, l->planned), serial_value(b, l->held));
    }
    counter k = { 0 };
    char *credits = NULL;
    size_t credits_cap = 0;
    uint32_t *order = NULL; /* the credits by drill */
    if (rc == 0 && (rc = counter_init(&k)) == 0)
        rc = credits_by_drill(&order, p);
    size_t c = 0;
    for (size_t i = 0; rc == 0 && i < p->count; i++) {
        drill_item it = DRILL_ITEM_INIT;
        char date[DRILL_DATE_STRLEN], start[DRILL_DATE_STRLEN], end[DRILL_DATE_STRLEN];
        drill_plan_get(&it, p, i);
        const drill_rec *d = &p->drills[i];
        int last = d->win_start <= d->win_end ? d->win_end : -1;
        const char *grp[DRILL_GROUPINGS];
        for (int by = 0; rc == 0 && by < DRILL_GROUPINGS; by++)
            rc = counter_add(&k, by, grp[by] = drill__report_group(p, i, d->rule, (drill_group_by)by), 0, it.status,
                             last);
        size_t from = c;
        while (c < p->ncredits && p->credits[order[c]].drill == i)
            c++;
        if (rc == 0)
            rc = credit_groups(&credits, &credits_cap, p, i, order, from, c);
        drill__value win_end = window_end(end, p, i);
        if (rc == 0)
            rc = EXEC(s, STMT_INSERT_DRILL, T(it.id), I(p->year), I(it.status),
                      dated(p, i, &it) ? date_value(date, it.date) : NUL, I(it.reason), I(it.revision), T(it.unit_id),
                      T(it.rule_id), T(grp[DRILL_BY_CAMPAIGN]), T(grp[DRILL_BY_DISTRICT]), T(grp[DRILL_BY_CLASS]),
                      T(grp[DRILL_BY_TIER]), win_end, T(credits), window_start(start, p, i), I(it.start_minute),
                      I(it.duration_minutes), I(it.needs_observer));
    }
    /* the credited groups after every drill's own: the report's order */
    for (size_t j = 0; rc == 0 && j < p->ncredits; j++) {
        const drill_rec *d = &p->drills[p->credits[j].drill];
        for (int by = 0; rc == 0 && by < DRILL_GROUPINGS; by++) {
            const char *name = drill__report_group(p, p->credits[j].drill, p->credits[j].rule, (drill_group_by)by);
            if (strcmp(name, drill__report_group(p, p->credits[j].drill, d->rule, (drill_group_by)by)) != 0)
                rc = counter_add(&k, by, name, 1, (drill_status)d->status, d->win_start <= d->win_end ? d->win_end : -1);
        }
    }
    free(credits);
    free(order);
    if (rc == 0)
        rc = counter_save(&k, s, p);
    counter_free(&k);
    if (rc == 0)
        rc = EXEC(s, STMT_SET_COUNTED, I(p->year));
    for (size_t i = 0; rc == 0 && i < drill__track_count(p); i++)
        rc = save_track(s, p, drill__track_id(p, i));
    for (size_t i = 0; rc == 0 && i < p->naudit; i++)
        rc = save_audit_entry(s, p, i);
    return rc;
}

static int in_transaction(drill_store *s, const void *arg, int (*fn)(drill_store *, const void *))
{
    if (s->read_only)
        return drill__error(DRILL_ESTATE, "the store is open read-only");
    int rc = s->be->begin(s->db);
    if (rc)
        return rc;
    if ((rc = fn(s, arg)) || (rc = s->be->commit(s->db)))
        s->be->rollback(s->db);
    return rc;
}

/* drills another writer changed since the plan read them from this store */
typedef struct conflicts {
    const drill_plan *p;
    size_t count;
    char first[DRILL_ID_MAX];
    int store_revision, base;
} conflicts;

static int row_conflict(void *ctx, const drill__value *c, size_t n)
{
    conflicts *k = ctx;
    (void)n;
    if (!c[0].s)
        return 0;
    long i = drill__plan_index(k->p, c[0].s);
    if (i < 0 || k->p->drills[i].stored == (int)c[4].i)
        return 0;
    if (!k->count++) {
        snprintf(k->first, sizeof k->first, "%s", c[0].s);
        k->store_revision = (int)c[4].i;
        k->base = k->p->drills[i].stored;
    }
    return 0;
}

/* A plan read from this store replaces the year only if no drill changed
 * there since: a drill recorded meanwhile is never overwritten. A plan made
 * afresh (or read from another store) replaces the year as it is. */
static int save_all(drill_store *s, const void *arg)
{
    const drill_plan *p = arg;
    if (s->id[0] && strcmp(p->synced_store, s->id) == 0) {
        conflicts k = { p, 0, "", 0, 0 };
        drill__value year = I(p->year);
        int rc = s->be->query(s->db, STMT_SELECT_DRILLS, &year, 1, row_conflict, &k);
        if (rc)
            return rc;
        if (k.count)
            return drill__error(DRILL_ECONFLICT,
                                "%zu drill%s of %d changed in the store since this plan read them ('%s' has revision "
                                "%d there, the plan's is based on %d): nothing was saved; refresh the plan "
                                "(drill_store_refresh()) and save again",
                                k.count, k.count == 1 ? "" : "s", p->year, k.first, k.store_revision, k.base);
    }
    return save_plan(s, p);
}

/* after a save: the store holds the plan exactly as it is */
static void mark_synced(drill_store *s, drill_plan *p)
{
    for (size_t i = 0; i < p->count; i++)
        p->drills[i].stored = p->drills[i].revision;
    for (size_t i = 0; i < p->naudit; i++)
        drill__audit_set_seq(p, i, i + 1);
    p->audit_seen = p->naudit;
    snprintf(p->synced_store, sizeof p->synced_store, "%s", s->id);
    p->synced = p->generation;
}

/* the store holds the plan as it is: nothing to write */
static int in_sync(const drill_store *s, const drill_plan *p)
{
    if (!s->id[0] || strcmp(p->synced_store, s->id) != 0 || p->synced != p->generation)
        return 0;
    for (size_t i = 0; i < p->count; i++)
        if (p->drills[i].stored != p->drills[i].revision)
            return 0;
    for (size_t i = 0; i < p->naudit; i++)
        if (!drill__audit_seq(p, i))
            return 0;
    return 1;
}

static int partial_error(const drill_plan *p)
{
    if (p->stale)
        return drill__error(DRILL_ESTATE, "the %d plan keeps changes its store rolled back: load it again", p->year);
    return drill__error(DRILL_ESTATE, "this is one unit's part of the %d plan (drill_store_load_unit()): it is never "
                                      "saved whole; attach it to write its tracking changes through", p->year);
}

/* the plan was read from (or saved to) this store and changed since only
 * by tracking: saving writes those changes alone (save_changed()) */
static int tracking_only(const drill_store *s, const drill_plan *p)
{
    return s->id[0] && strcmp(p->synced_store, s->id) == 0 && p->synced == p->generation;
}

static int save_changed(drill_store *s, drill_plan *p);

/* the plan into the store: its tracking changes alone, or the year whole */
static int save_plan_into(drill_store *s, drill_plan *p)
{
    if (p->stale)
        return partial_error(p);
    if (tracking_only(s, p))
        return save_changed(s, p);
    if (p->partial)
        return partial_error(p);
    int rc = in_transaction(s, p, save_all);
    if (rc == 0)
        mark_synced(s, p);
    return rc;
}

int drill_store_save(drill_store *store, drill_plan *plan)
{
    DRILL_CHECK_NULL(store);
    DRILL_CHECK_NULL(plan);
    return save_plan_into(store, plan);
}

/* the working registries: their scope's row in plans (only the calendar
 * policy and the time are kept), then the registries under it */
static int save_working(drill_store *s, const void *arg)
{
    const registries *g = arg;
    char now[24];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int rc = EXEC(s, STMT_CLEAR_PLAN, I(DRILL__SCOPE_WORKING));
    if (rc == 0)
        rc = EXEC(s, STMT_INSERT_PLAN, I(DRILL__SCOPE_WORKING), NUL, I(drill__calendar_policy(g->cal)), NUL, NUL,
                  NUL, NUL, NUL, NUL, NUL, NUL, NUL, NUL, NUL, NUL, T(now), NUL, NUL, NUL, NUL, NUL, NUL);
    return rc ? rc : save_registries(s, DRILL__SCOPE_WORKING, g);
}

int drill_store_save_registries(drill_store *store, const drill_units *units, const drill_rules *rules,
                                const drill_campaigns *campaigns, const drill_calendar *cal)
{
    DRILL_CHECK_NULL(store);
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(campaigns);
    DRILL_CHECK_NULL(cal);
    const registries g = { units, rules, campaigns, cal };
    return in_transaction(store, &g, save_working);
}

typedef struct years_ctx {
    int *out;
    size_t size, count;
} years_ctx;

static int row_year(void *ctx, const drill__value *c, size_t n)
{
    years_ctx *y = ctx;
    (void)n;
    if (y->count < y->size)
        y->out[y->count] = (int)c[0].i;
    y->count++;
    return 0;
}

int drill_store_plan_years(int *out_years, size_t size, size_t *out_count, drill_store *store)
{
    DRILL_CHECK_NULL(out_count);
    DRILL_CHECK_NULL(store);
    if (size && !out_years)
        return drill__error_null("out_years");
    years_ctx y = { out_years, size, 0 };
    drill__value working = I(DRILL__SCOPE_WORKING);
    int rc = store->be->query(store->db, STMT_SELECT_PLANS, &working, 1, row_year, &y);
    if (rc == 0)
        *out_count = y.count;
    return rc;
}

/* ---- writing through ---- */

/* a drill's row as the store has it: its revision, state, window end and groups */
typedef struct drill_row {
    int found, revision, status;
    char date[DRILL_DATE_STRLEN], win_end[DRILL_DATE_STRLEN]; /* "" for none */
    char *groups[DRILL_GROUPINGS]; /* NULL: a plan an older libdrill saved (not counted) */
    char *credits;                 /* the groups it is credited in (see STMT_INSERT_DRILL) */
} drill_row;

static void drill_row_free(drill_row *r)
{
    for (int by = 0; by < DRILL_GROUPINGS; by++)
        free(r->groups[by]);
    free(r->credits);
}

static int row_drill_now(void *ctx, const drill__value *c, size_t n)
{
    drill_row *r = ctx;
    (void)n;
    r->found = 1;
    r->status = (int)c[1].i;
    r->revision = (int)c[4].i;
    snprintf(r->date, sizeof r->date, "%s", c[2].s ? c[2].s : "");
    snprintf(r->win_end, sizeof r->win_end, "%s", c[11].s ? c[11].s : "");
    /* the columns campaign, district, class, tier, rule_id: drill_group_by's order */
    for (int by = 0; by < DRILL_GROUPINGS && c[6].s; by++)
        if (!(r->groups[by] = drill__strdup(c[6 + by].s ? c[6 + by].s : "")))
            return drill__error(DRILL_ENOMEM, "out of memory writing a drill");
    if (!(r->credits = drill__strdup(c[12].s ? c[12].s : "")))
        return drill__error(DRILL_ENOMEM, "out of memory writing a drill");
    return 0;
}

/* one drill leaves (delta -1) or joins (+1) a count */
static int add_count(drill_store *s, int year, int by, const char *group, int credit, int status, const char *end,
                     int delta)
{
    const drill__value v[] = { I(year), I(by), T(group), I(status), T(end), I(credit), I(delta) };
    return s->be->exec(s->db, STMT_ADD_COUNT, v, 7, NULL);
}

/* one drill of a group moves from its old state and window end to new ones:
 * within the counter that holds it when its window end stays (one row, no
 * look-up of the group's order), else out of one count and into another */
static int move_count(drill_store *s, int year, int by, const char *group, int credit, const drill_row *old,
                      int status, const char *end)
{
    int moved = 0, rc = 0;
    if (strcmp(old->win_end, end) == 0) {
        const drill__value v[] = { I(year), I(by), T(group), I(credit), T(end), I(old->status), I(status) };
        rc = s->be->exec(s->db, STMT_MOVE_COUNT, v, 7, &moved);
    }
    if (rc == 0 && !moved && (rc = add_count(s, year, by, group, credit, old->status, old->win_end, -1)) == 0)
        rc = add_count(s, year, by, group, credit, status, end, 1);
    return rc;
}

/* a drill's state or window end changed: its counts, and its credits', follow */
static int move_counts(drill_store *s, int year, drill_row *old, int status, const char *end)
{
    int rc = 0;
    for (int by = 0; rc == 0 && by < DRILL_GROUPINGS; by++)
        rc = move_count(s, year, by, old->groups[by], 0, old, status, end);
    for (char *e = old->credits; rc == 0 && e && *e;) { /* "BY\x1fGROUP\x1e" entries */
        char *sep = strchr(e, '\x1f'), *stop = sep ? strchr(sep, '\x1e') : NULL;
        if (!stop)
            return drill__error(DRILL_ECORRUPT, "the store holds a drill whose credits are damaged");
        *stop = '\0';
        rc = move_count(s, year, atoi(e), sep + 1, 1, old, status, end);
        e = stop + 1;
    }
    return rc;
}

/* a drill's row in drills, if it is still at the revision the plan read,
 * and the year's counts moved with its state and window */
static int update_drill(drill_store *s, const drill_plan *p, size_t i)
{
    drill_item it = DRILL_ITEM_INIT;
    char date[DRILL_DATE_STRLEN], start[DRILL_DATE_STRLEN], end[DRILL_DATE_STRLEN];
    drill_plan_get(&it, p, i);
    drill_row old = { 0 };
    drill__value key = T(it.id);
    int rc = s->be->query(s->db, STMT_SELECT_DRILL, &key, 1, row_drill_now, &old);
    if (rc == 0 && !old.found)
        rc = drill__error(DRILL_ESTATE, "the store has no drill '%s' (added since the plan was saved): "
                                        "save the plan first", it.id);
    if (rc == 0 && old.revision != p->drills[i].stored)
        rc = drill__error(DRILL_ECONFLICT, "drill '%s' was changed by another writer: the store has revision %d, "
                                           "this change was based on revision %d; nothing was written (refresh "
                                           "the drill and try again)",
                          it.id, old.revision, p->drills[i].stored);
    drill__value win_end = window_end(end, p, i);
    int changed = 0;
    const drill__value v[] = { T(it.id), I(it.status), dated(p, i, &it) ? date_value(date, it.date) : NUL,
                               I(it.reason), I(it.revision), I(p->drills[i].stored), win_end,
                               window_start(start, p, i), I(it.start_minute), I(it.duration_minutes) };
    /* a drill that keeps its day (a hold on the day planned) leaves the
     * index of days alone; a day stored in another form (written by
     * something else) is not the same day, and is written */
    int same_day = rc == 0 && strcmp(old.date, v[2].s ? v[2].s : "") == 0;
    if (same_day)
        rc = s->be->exec(s->db, STMT_UPDATE_DRILL_SAME_DAY, v, 10, &changed);
    if (rc == 0 && !changed)
        rc = s->be->exec(s->db, STMT_UPDATE_DRILL, v, 10, &changed);
    if (rc == 0 && !changed) /* its revision was read in this transaction (SQLite: under the write lock) */
        rc = drill__error(DRILL_ECONFLICT, "drill '%s' was changed by another writer", it.id);
    const char *new_end = win_end.s ? win_end.s : "";
    if (rc == 0 && old.groups[0] && (old.status != (int)it.status || strcmp(old.win_end, new_end) != 0))
        rc = move_counts(s, p->year, &old, (int)it.status, new_end);
    drill_row_free(&old);
    return rc;
}

/* the number the store gave an audit entry */
static int row_seq(void *ctx, const drill__value *c, size_t n)
{
    (void)n;
    *(size_t *)ctx = (size_t)c[0].i;
    return 0;
}

/* drill i is a first rolling drill and i + 1 its second */
static int rolling_second(const drill_plan *p, long i)
{
    return i >= 0 && (size_t)i + 1 < p->count && p->drills[i].period == P_R1 && p->drills[i + 1].period == P_R2 &&
           p->drills[i + 1].unit == p->drills[i].unit;
}

/* the plan's audit entry i at the end of the year's trail, numbered by the
 * store; commit: the transaction ends with it and is committed
 * (query_commit(): the year's numbering is held for the commit only) */
static int append_audit(drill_store *s, const drill_plan *p, size_t i, size_t *out_seq, int commit)
{
    drill_audit_entry e = DRILL_AUDIT_ENTRY_INIT;
    drill_audit_get(&e, p, i);
    const drill__value v[] = { I(p->year), T(e.time), T(e.actor), T(e.drill_id), T(e.field), T(e.old_value),
                               T(e.new_value), T(e.reason) };
    *out_seq = 0;
    int rc = commit ? s->be->query_commit(s->db, STMT_APPEND_AUDIT, v, 8, row_seq, out_seq)
                    : s->be->query(s->db, STMT_APPEND_AUDIT, v, 8, row_seq, out_seq);
    if (rc == 0 && !*out_seq)
        rc = drill__error(DRILL_EIO, "the store did not number an audit entry");
    return rc;
}

/* *commit (1 on entry): end the transaction with the audit entry and commit
 * it; 0 on return if there was no entry to end with, and the caller commits */
static int journal_write(drill_store *s, const drill_plan *p, const char *id, size_t *out_seq, int *commit)
{
    int rc = save_track(s, p, id);
    long i = drill__plan_index(p, id);
    if (rc == 0 && i >= 0)
        rc = update_drill(s, p, (size_t)i);
    /* a first rolling drill moves the window, maybe the day, of the second */
    if (rc == 0 && rolling_second(p, i))
        rc = update_drill(s, p, (size_t)i + 1);
    if (rc == 0 && p->naudit)
        rc = append_audit(s, p, p->naudit - 1, out_seq, *commit);
    else
        *commit = 0;
    return rc;
}

/* A plan the store holds as it is but for tracking changes made while it
 * was not attached: the drills whose revision is not the one the store has
 * (each only if the store still has the revision the plan read:
 * DRILL_ECONFLICT otherwise, and nothing is written), their tracking rows,
 * and the audit entries not yet in the store, at the end of the year's
 * trail. A drill another writer changed meanwhile is neither read nor
 * overwritten. */
typedef struct changed {
    const drill_plan *p;
    size_t *seqs; /* the numbers the store gave the new audit entries */
} changed;

static int write_changed(drill_store *s, const void *arg)
{
    const changed *c = arg;
    const drill_plan *p = c->p;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->count; i++) {
        if (p->drills[i].stored == p->drills[i].revision)
            continue;
        drill_item it = DRILL_ITEM_INIT;
        drill_plan_get(&it, p, i);
        if ((rc = save_track(s, p, it.id)) == 0)
            rc = update_drill(s, p, i);
    }
    for (size_t i = 0, k = 0; rc == 0 && i < p->naudit; i++)
        if (!drill__audit_seq(p, i))
            rc = append_audit(s, p, i, &c->seqs[k++], 0);
    return rc;
}

/* the plan's audit entry i has the store's number seq; a trail the plan has
 * read without a gap up to seq moves audit_seen on */
static void audit_numbered(drill_plan *p, size_t i, size_t seq)
{
    drill__audit_set_seq(p, i, seq);
    if (seq == p->audit_seen + 1)
        p->audit_seen = seq;
}

static int save_changed(drill_store *s, drill_plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->naudit; i++)
        n += !drill__audit_seq(p, i);
    changed c = { p, calloc(n ? n : 1, sizeof *c.seqs) };
    if (!c.seqs)
        return drill__error(DRILL_ENOMEM, "out of memory saving a plan");
    int rc = in_transaction(s, &c, write_changed);
    if (rc == 0) { /* the plan knows the store has them */
        for (size_t i = 0; i < p->count; i++)
            p->drills[i].stored = p->drills[i].revision;
        for (size_t i = 0, k = 0; i < p->naudit; i++)
            if (!drill__audit_seq(p, i))
                audit_numbered(p, i, c.seqs[k++]);
    }
    free(c.seqs);
    return rc;
}

/* one tracking change in one transaction, applied only to the revisions the
 * plan read; then the plan knows the store has them */
static int journal(void *ctx, const drill_plan *plan, const char *drill_id)
{
    drill_store *s = ctx;
    drill_plan *p = s->attached; /* the plan itself, which the store may update */
    size_t seq = 0;
    int rc = s->grouped ? 0 : s->be->begin(s->db), committed = !s->grouped;
    if (rc)
        return rc;
    if ((rc = journal_write(s, plan, drill_id, &seq, &committed)) ||
        (!s->grouped && !committed && (rc = s->be->commit(s->db)))) {
        if (!s->grouped)
            s->be->rollback(s->db);
        s->group_failed = s->grouped;
        return rc;
    }
    long i = drill__plan_index(p, drill_id);
    if (i >= 0)
        p->drills[i].stored = p->drills[i].revision;
    if (rolling_second(p, i))
        p->drills[i + 1].stored = p->drills[i + 1].revision;
    if (p->naudit)
        audit_numbered(p, p->naudit - 1, seq);
    return 0;
}

/* the plan is being freed or attached elsewhere: stop writing it through */
static void forget(void *ctx, const drill_plan *plan)
{
    drill_store *s = ctx;
    if (s->attached == plan)
        drill_store_detach(s);
}

int drill_store_attach(drill_store *store, drill_plan *plan)
{
    DRILL_CHECK_NULL(store);
    DRILL_CHECK_NULL(plan);
    if (store->read_only)
        return drill__error(DRILL_ESTATE, "the store is open read-only");
    if (store->grouped)
        return drill__error(DRILL_ESTATE, "the store's changes are grouped (drill_store_begin()): commit first");
    if (plan->stale)
        return partial_error(plan);
    int rc = in_sync(store, plan) ? 0 : save_plan_into(store, plan);
    if (rc)
        return rc;
    drill_store_detach(store); /* its previous plan */
    if (plan->journal_forget)  /* this plan's previous store */
        plan->journal_forget(plan->journal_ctx, plan);
    plan->journal = journal;
    plan->journal_forget = forget;
    plan->journal_ctx = store;
    store->attached = plan;
    return 0;
}

void drill_store_detach(drill_store *store)
{
    if (!store || !store->attached)
        return;
    store->attached->journal = NULL;
    store->attached->journal_forget = NULL;
    store->attached->journal_ctx = NULL;
    store->attached = NULL;
}

/* ---- loading ---- */

typedef struct loader {
    /* the registries loaded (owned by the loader until handed over) */
    drill_units *units;
    drill_rules *rules;
    drill_campaigns *campaigns;
    drill_calendar *cal;
    /* the registries the plan is made from: those, or the caller's */
    registries from;
    int onto; /* 1: the caller's registries, which may lack what the plan's had */
    drill_plan *plan;
    drill_schedule_options opts;
    int year, found, allow_uncovered, policy, scheduled;
    size_t breaks_read; /* school breaks read so far */
    char created[24];
    size_t matched, unmatched, last_seq; /* drill rows that are, or are not, the plan's; the trail's last entry */
    const char *unit;  /* one unit's part of the plan (drill_store_load_unit()), or NULL */
    char lo[DRILL_ID_MAX + 1], hi[DRILL_ID_MAX + 1]; /* its drills' ids lie in [lo, hi) */
    int *starts; /* one unit's part: its drills' start times as the store has them, -1 none */
} loader;

/* a row of one unit's id range that is not that unit's drill (a unit whose
 * id continues this one's after a '/'), or a drill its rules no longer
 * require: not part of a one-unit plan */
static int foreign(const loader *l, const char *drill_id)
{
    return l->unit && drill_id && drill__plan_index(l->plan, drill_id) < 0;
}

static const char *text(const drill__value *v)
{
    return v->type == DRILL__NULL ? NULL : v->s;
}

static int int_of(const drill__value *v)
{
    return (int)v->i;
}

static int date_of(const drill__value *v, drill_date *out)
{
    if (v->type == DRILL__NULL || !v->s) {
        *out = (drill_date){ 0, 0, 0 };
        return 0;
    }
    if (drill_date_parse(out, v->s))
        return drill__error(DRILL_ECORRUPT, "the store holds a bad date '%s'", v->s);
    return 0;
}

/* a row that the library refuses is a damaged store */
static int corrupt(int rc, const char *what)
{
    if (rc == 0 || rc == DRILL_ENOMEM || rc == DRILL_EIO || rc == DRILL_ECORRUPT)
        return rc;
    return drill__error(DRILL_ECORRUPT, "the store holds a bad %s: %s", what, drill_error_last()->message);
}

/* every row's first column is its key: never NULL in a sound store */
#define KEY(c) \
    do { \
        if ((c)[0].type == DRILL__NULL || !(c)[0].s) \
            return drill__error(DRILL_ECORRUPT, "the store holds a row without its key"); \
    } while (0)

static int row_class(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    (void)n;
    KEY(c);
    if (drill__units_class_index(l->units, text(&c[0])) >= 0)
        return 0; /* built in */
    drill_class_def d = { DRILL_CLASS_DEF_VERSION, text(&c[0]), text(&c[1]), text(&c[2]), (unsigned)c[3].i,
                          text(&c[4]) };
    return corrupt(drill_units_add_class(l->units, &d), "class");
}

static int row_unit(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    (void)n;
    drill_unit u = { DRILL_UNIT_VERSION, text(&c[0]), text(&c[1]), text(&c[2]), text(&c[3]), text(&c[4]),
                     text(&c[5]), text(&c[6]), int_of(&c[7]), (drill_risk)int_of(&c[8]), int_of(&c[9]),
                     int_of(&c[10]) };
    return corrupt(drill_units_add(l->units, &u), "unit");
}

static int row_blackout(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    drill_date a, b;
    (void)n;
    int rc = date_of(&c[1], &a);
    if (rc == 0)
        rc = date_of(&c[2], &b);
    return rc ? rc : corrupt(drill_units_add_blackout(l->units, text(&c[0]), a, b), "blackout");
}

/* a school break; the first replaces the defaults drill_units_new() put in */
static int row_break(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    (void)n;
    if (!l->breaks_read++)
        for (size_t k = 0; k < l->units->nclasses; k++)
            if (l->units->classes[k].flags & DRILL_CLASS_TERMS)
                drill_units_clear_breaks(l->units, l->units->classes[k].id, 2);
    const char *a = text(&c[2]), *z = text(&c[3]);
    if (int_of(&c[1])) {
        int m, d, em, ed;
        if (!a || !z || sscanf(a, "%2d-%2d", &m, &d) != 2 || sscanf(z, "%2d-%2d", &em, &ed) != 2)
            return corrupt(DRILL_EPARSE, "break");
        return corrupt(drill_units_set_yearly_break(l->units, text(&c[0]), text(&c[4]), m, d, em, ed), "break");
    }
    drill_date from, to;
    int rc = date_of(&c[2], &from);
    if (rc == 0)
        rc = date_of(&c[3], &to);
    return rc ? rc : corrupt(drill_units_add_break(l->units, text(&c[0]), from, to, text(&c[4])), "break");
}

static int row_rule(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    (void)n;
    drill_rule r = { DRILL_RULE_VERSION, text(&c[0]), text(&c[1]), text(&c[2]), text(&c[3]), text(&c[4]),
                     (unsigned)c[5].i, text(&c[6]), (drill_risk)int_of(&c[7]), int_of(&c[8]), int_of(&c[9]),
                     (drill_kind)int_of(&c[10]), (drill_form)int_of(&c[11]), text(&c[12]),
                     (drill_frequency)int_of(&c[13]), text(&c[14]), (drill_due_from)int_of(&c[15]), (unsigned)int_of(&c[16]), text(&c[17]) };
    return corrupt(drill_rules_add(l->rules, &r), "rule");
}

static int row_campaign(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    (void)n;
    drill_campaign_def d = { DRILL_CAMPAIGN_DEF_VERSION, text(&c[0]), text(&c[1]), text(&c[2]), text(&c[3]),
                             (drill_campaign_rule)int_of(&c[4]), int_of(&c[5]), int_of(&c[6]), int_of(&c[7]),
                             int_of(&c[8]), int_of(&c[9]), int_of(&c[10]), int_of(&c[11]), int_of(&c[12]),
                             text(&c[13]), int_of(&c[14]), int_of(&c[15]), int_of(&c[16]), int_of(&c[17]),
                             int_of(&c[18]) };
    return corrupt(drill_campaigns_add(l->campaigns, &d), "campaign");
}

static int row_campaign_year(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    drill_date a, b;
    (void)n;
    int rc = date_of(&c[2], &a);
    if (rc == 0)
        rc = date_of(&c[3], &b);
    return rc ? rc : corrupt(drill_campaigns_set_year(l->campaigns, text(&c[0]), a, b), "campaign year");
}

static int row_covered(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    (void)n;
    return corrupt(drill_calendar_mark_covered(l->cal, int_of(&c[0])), "covered year");
}

static int row_holiday(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    drill_date d;
    (void)n;
    int rc = date_of(&c[0], &d);
    if (rc)
        return rc;
    /* the arrangement the day belongs to: its own year, or a covered neighbour (New Year runs) */
    int year = d.year, covered = 0;
    drill_calendar_is_covered(&covered, l->cal, year);
    for (int k = -1; !covered && k <= 1; k += 2)
        if (drill_calendar_is_covered(&covered, l->cal, d.year + k) == 0 && covered)
            year = d.year + k;
    return corrupt(drill_calendar_add(l->cal, d, (drill_entry_kind)int_of(&c[1]), text(&c[2]), text(&c[3]), year),
                   "holiday");
}

static int row_plan(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    (void)n;
    l->found = 1;
    l->allow_uncovered = int_of(&c[0]);
    l->policy = int_of(&c[1]);
    drill_schedule_options o = DRILL_SCHEDULE_OPTIONS_INIT;
    o.capacity = int_of(&c[2]);
    o.spacing_days = int_of(&c[3]);
    o.observer_min_risk = (drill_risk)int_of(&c[4]);
    o.observe_comprehensive = int_of(&c[5]);
    for (int k = 0; k < 3; k++) {
        o.start_minute[k + 1] = int_of(&c[6 + k]);
        o.duration_minutes[k + 1] = int_of(&c[9 + k]);
    }
    o.tabletop_minutes = int_of(&c[12]);
    l->scheduled = int_of(&c[13]);
    snprintf(l->created, sizeof l->created, "%s", text(&c[14]) ? text(&c[14]) : "");
    /* schema 6: the options of version 2 (NULL in a plan an older libdrill saved: the defaults) */
    int rc = date_of(&c[15], &o.today);
    o.day_slots = int_of(&c[16]);
    o.slot_minutes = int_of(&c[17]);
    o.avoid_after_breaks = int_of(&c[18]);
    /* schema 8: version 3's campaign widening (NULL: the defaults) */
    o.campaign_min_days = int_of(&c[19]);
    o.campaign_widen_days = int_of(&c[20]);
    l->opts = o;
    return rc;
}

/* loading onto the caller's registries, a district, unit or rule they no
 * longer have drops what the plan kept about it */
static int dropped(const loader *l, int rc)
{
    return l->onto && rc == DRILL_ENOTFOUND ? 0 : rc;
}

static int row_capacity(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    (void)n;
    return corrupt(dropped(l, drill_plan_set_capacity(l->plan, text(&c[0]), int_of(&c[1]))), "capacity");
}

static int row_closed(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    drill_date d;
    (void)n;
    int rc = date_of(&c[1], &d);
    return rc ? rc : corrupt(dropped(l, drill_plan_close_day(l->plan, text(&c[0]), d)), "closed day");
}

static int row_history(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    drill_date planned, held;
    int rc;
    (void)n;
    if ((rc = date_of(&c[2], &planned)) || (rc = date_of(&c[3], &held)))
        return rc;
    if (planned.year && (rc = dropped(l, drill_plan_set_last(l->plan, text(&c[0]), text(&c[1]), planned, 0))))
        return corrupt(rc, "history");
    if (held.year && (rc = dropped(l, drill_plan_set_last(l->plan, text(&c[0]), text(&c[1]), held, 1))))
        return corrupt(rc, "history");
    return 0;
}

static int row_drill(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    drill_date d;
    int serial = -1;
    (void)n;
    int rc = date_of(&c[2], &d);
    if (rc == 0 && d.year)
        rc = drill_date_to_serial(&serial, d);
    if (rc)
        return corrupt(rc, "drill date");
    if (foreign(l, text(&c[0])))
        return 0;
    long i = drill__plan_index(l->plan, text(&c[0]));
    if (i >= 0)
        l->matched++;
    else
        l->unmatched++;
    if (i >= 0 && l->starts && c[5].type != DRILL__NULL)
        l->starts[i] = int_of(&c[5]);
    return drill__plan_restore_drill(l->plan, text(&c[0]), int_of(&c[1]), serial, int_of(&c[3]), int_of(&c[4]));
}

static int row_track(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    (void)n;
    if (foreign(l, text(&c[0])))
        return 0;
    drill_outcome o = DRILL_OUTCOME_INIT;
    int rc = date_of(&c[3], &o.date);
    if (rc)
        return rc;
    o.start_minute = int_of(&c[4]);
    o.end_minute = int_of(&c[5]);
    o.kind = (drill_kind)int_of(&c[6]);
    o.form = (drill_form)int_of(&c[7]);
    o.participants = int_of(&c[8]);
    o.non_participants = int_of(&c[9]);
    o.observers = text(&c[10]);
    o.evacuation_seconds = int_of(&c[11]);
    o.evacuation_target = int_of(&c[12]);
    o.headcount_seconds = int_of(&c[13]);
    o.headcount_target = int_of(&c[14]);
    o.score = int_of(&c[15]);
    o.notes = text(&c[16]);
    int status = int_of(&c[1]);
    if (status < DRILL_STATUS_PLANNED || status > DRILL_STATUS_CANCELLED)
        return drill__error(DRILL_ECORRUPT, "tracking of '%s' has status %d", text(&c[0]), status);
    const char *reason = text(&c[17]);
    return drill__track_restore(l->plan, text(&c[0]), (drill_status)status, int_of(&c[2]) ? &o : NULL,
                                reason && *reason ? reason : NULL);
}

static int row_action(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    (void)n;
    if (foreign(l, text(&c[0])))
        return 0;
    drill_action a = DRILL_ACTION_INIT;
    int rc = date_of(&c[6], &a.due);
    if (rc == 0)
        rc = date_of(&c[8], &a.closed);
    if (rc)
        return rc;
    a.finding = text(&c[2]);
    a.capability = text(&c[3]);
    a.action = text(&c[4]);
    a.owner = text(&c[5]);
    a.status = (drill_action_status)int_of(&c[7]);
    return drill__track_restore_action(l->plan, text(&c[0]), &a);
}

static int row_audit(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    (void)n;
    drill_audit_entry e = { DRILL_AUDIT_ENTRY_VERSION, (size_t)c[0].i, text(&c[1]), text(&c[2]), text(&c[3]), text(&c[4]), text(&c[5]),
                            text(&c[6]), text(&c[7]) };
    if (foreign(l, e.drill_id))
        return 0;
    return drill__audit_restore(l->plan, &e);
}

static int row_last_seq(void *ctx, const drill__value *c, size_t n)
{
    (void)n;
    ((loader *)ctx)->last_seq = (size_t)c[0].i;
    return 0;
}

/* the scope's row in plans: a plan's options, or the working registries' policy */
static int load_scope_row(drill_store *s, loader *l, int scope)
{
    drill__value v = I(scope);
    return s->be->query(s->db, STMT_SELECT_PLAN, &v, 1, row_plan, l);
}

/* the registries under a scope, into new objects owned by the loader */
static int load_registries(drill_store *s, loader *l, int scope)
{
    const drill__backend *be = s->be;
    drill__value v = I(scope);
    int rc;
    if ((rc = drill_units_new(&l->units)) || (rc = drill_rules_new(&l->rules)) ||
        (rc = drill_campaigns_new(&l->campaigns)) || (rc = drill_calendar_new(&l->cal)))
        return rc;
    const drill__value unit[] = { v, T(l->unit) };
    if ((rc = be->query(s->db, STMT_SELECT_CLASSES, &v, 1, row_class, l)) ||
        (rc = l->unit ? be->query(s->db, STMT_SELECT_UNIT, unit, 2, row_unit, l)
                      : be->query(s->db, STMT_SELECT_UNITS, &v, 1, row_unit, l)) ||
        (rc = l->unit ? be->query(s->db, STMT_SELECT_UNIT_BLACKOUTS, unit, 2, row_blackout, l)
                      : be->query(s->db, STMT_SELECT_BLACKOUTS, &v, 1, row_blackout, l)) ||
        (rc = be->query(s->db, STMT_SELECT_BREAKS, &v, 1, row_break, l)) ||
        (rc = be->query(s->db, STMT_SELECT_RULES, &v, 1, row_rule, l)) ||
        (rc = be->query(s->db, STMT_SELECT_CAMPAIGNS, &v, 1, row_campaign, l)) ||
        (rc = be->query(s->db, STMT_SELECT_CAMPAIGN_YEARS, &v, 1, row_campaign_year, l)) ||
        (rc = be->query(s->db, STMT_SELECT_COVERED, &v, 1, row_covered, l)) ||
        (rc = be->query(s->db, STMT_SELECT_HOLIDAYS, &v, 1, row_holiday, l)))
        return rc;
    if ((rc = drill_calendar_set_policy(l->cal, (drill_uncovered_policy)l->policy)))
        return corrupt(rc, "calendar policy");
    l->from = (registries){ l->units, l->rules, l->campaigns, l->cal };
    return 0;
}

/* the plan of l->year (its row read already) on l->from */
static int load_plan_state(drill_store *s, loader *l)
{
    const drill__backend *be = s->be;
    drill__value year = I(l->year);
    drill_plan_options po = DRILL_PLAN_OPTIONS_INIT;
    po.year = l->year;
    po.allow_uncovered = l->allow_uncovered;
    int rc = drill_plan_new(&l->plan, l->from.units, l->from.rules, l->from.campaigns, l->from.cal, &po);
    if (rc)
        /* the caller's registries may not make this plan (a rule naming a campaign they lack) */
        return l->onto ? rc : corrupt(rc, "plan");
    if (l->unit) { /* one unit: its history and its drills' rows (capacities and closed days only schedule) */
        const drill__value unit[] = { year, T(l->unit) }, range[] = { year, T(l->lo), T(l->hi) };
        if ((rc = be->query(s->db, STMT_SELECT_UNIT_HISTORY, unit, 2, row_history, l)) ||
            (rc = drill_plan_refresh(l->plan)))
            return rc;
        /* its drills start when the city's assignment of start slots says
         * (the store keeps it), not as its own few drills alone would */
        size_t n = drill_plan_count(l->plan);
        if (!(l->starts = malloc((n ? n : 1) * sizeof *l->starts)))
            return drill__error(DRILL_ENOMEM, "out of memory loading a plan");
        for (size_t i = 0; i < n; i++)
            l->starts[i] = -1;
        if ((rc = be->query(s->db, STMT_SELECT_RANGE_DRILLS, range, 3, row_drill, l)) ||
            (rc = be->query(s->db, STMT_SELECT_RANGE_TRACKS, range, 3, row_track, l)) ||
            (rc = be->query(s->db, STMT_SELECT_RANGE_ACTIONS, range + 1, 2, row_action, l)) ||
            (rc = be->query(s->db, STMT_SELECT_RANGE_AUDIT, range, 3, row_audit, l)) ||
            (rc = be->query(s->db, STMT_SELECT_AUDIT_LAST, &year, 1, row_last_seq, l))) {
            free(l->starts);
            l->starts = NULL;
            return rc;
        }
        l->plan->partial = 1;
    } else if ((rc = be->query(s->db, STMT_SELECT_CAPACITY, &year, 1, row_capacity, l)) ||
               (rc = be->query(s->db, STMT_SELECT_CLOSED, &year, 1, row_closed, l)) ||
               (rc = be->query(s->db, STMT_SELECT_HISTORY, &year, 1, row_history, l)) ||
               (rc = drill_plan_refresh(l->plan)) ||
               (rc = be->query(s->db, STMT_SELECT_DRILLS, &year, 1, row_drill, l)) ||
               (rc = be->query(s->db, STMT_SELECT_TRACKS, &year, 1, row_track, l)) ||
               (rc = be->query(s->db, STMT_SELECT_ACTIONS, &year, 1, row_action, l)) ||
               (rc = be->query(s->db, STMT_SELECT_AUDIT, &year, 1, row_audit, l)) ||
               (rc = be->query(s->db, STMT_SELECT_AUDIT_LAST, &year, 1, row_last_seq, l))) {
        return rc;
    }
    if (l->created[0])
        snprintf(l->plan->created, sizeof l->plan->created, "%s", l->created);
    rc = drill__plan_restore_done(l->plan, &l->opts, l->scheduled);
    for (size_t i = 0; rc == 0 && l->starts && i < l->plan->count; i++)
        if (l->starts[i] >= 0)
            drill__schedule_take_start(l->plan, i, l->starts[i]);
    free(l->starts);
    l->starts = NULL;
    if (rc)
        return rc;
    /* read from this store: its changes are checked against what was read;
     * and the store holds it exactly when it was made from the store's own
     * registries and has each of its drills */
    drill_plan *p = l->plan;
    snprintf(p->synced_store, sizeof p->synced_store, "%s", s->id);
    p->audit_seen = l->last_seq;
    p->synced = !l->onto && l->matched == p->count && !l->unmatched ? p->generation : p->generation - 1;
    return 0;
}

static void loader_free(loader *l)
{
    drill_plan_free(l->plan);
    drill_calendar_free(l->cal);
    drill_campaigns_free(l->campaigns);
    drill_rules_free(l->rules);
    drill_units_free(l->units);
}

static int check_year(int year)
{
    if (year < DRILL_DATE_MIN_YEAR || year > DRILL_DATE_MAX_YEAR)
        return drill__error(DRILL_ERANGE, "year %d is outside %d-%d", year, DRILL_DATE_MIN_YEAR, DRILL_DATE_MAX_YEAR);
    return 0;
}

/* the ids of a unit's drills, which lie in [lo, hi) (both DRILL_ID_MAX + 1
 * bytes): "unit/..." ('0' follows '/') */
static int unit_range(char *lo, char *hi, const char *unit)
{
    if (!*unit || strlen(unit) >= DRILL_ID_MAX)
        return drill__error(DRILL_EINVAL, "'%s' is not a unit id", unit);
    snprintf(lo, DRILL_ID_MAX + 1, "%s/", unit);
    snprintf(hi, DRILL_ID_MAX + 1, "%s0", unit);
    return 0;
}

/* a year's plan with its registries, or (unit not NULL) one unit's part,
 * read in one read transaction and handed over whole or not at all */
static int load_year(drill_plan **out_plan, drill_units **out_units, drill_rules **out_rules,
                     drill_campaigns **out_campaigns, drill_calendar **out_cal, drill_store *store, int year,
                     const char *unit)
{
    DRILL_CHECK_NULL(out_plan);
    DRILL_CHECK_NULL(out_units);
    DRILL_CHECK_NULL(out_rules);
    DRILL_CHECK_NULL(out_campaigns);
    DRILL_CHECK_NULL(out_cal);
    DRILL_CHECK_NULL(store);
    int rc = check_year(year);
    if (rc)
        return rc;
    loader l;
    memset(&l, 0, sizeof l);
    l.year = year;
    l.unit = unit;
    if (unit && (rc = unit_range(l.lo, l.hi, unit)))
        return rc;
    if ((rc = store->be->begin_read(store->db)))
        return rc;
    if ((rc = load_scope_row(store, &l, year)) == 0 && !l.found)
        rc = drill__error(DRILL_ENOTFOUND, "the store has no plan for %d", year);
    if (rc == 0 && (rc = load_registries(store, &l, year)) == 0 && unit && drill_units_count(l.units) == 0)
        rc = drill__error(DRILL_ENOTFOUND, "the %d plan has no unit '%s'", year, unit);
    if (rc == 0)
        rc = load_plan_state(store, &l);
    store->be->end_read(store->db);
    if (rc) {
        loader_free(&l);
        return rc;
    }
    *out_plan = l.plan;
    *out_units = l.units;
    *out_rules = l.rules;
    *out_campaigns = l.campaigns;
    *out_cal = l.cal;
    return 0;
}

int drill_store_load(drill_plan **out_plan, drill_units **out_units, drill_rules **out_rules,
                     drill_campaigns **out_campaigns, drill_calendar **out_cal, drill_store *store, int year)
{
    return load_year(out_plan, out_units, out_rules, out_campaigns, out_cal, store, year, NULL);
}

int drill_store_load_registries(drill_units **out_units, drill_rules **out_rules, drill_campaigns **out_campaigns,
                                drill_calendar **out_cal, drill_store *store)
{
    DRILL_CHECK_NULL(out_units);
    DRILL_CHECK_NULL(out_rules);
    DRILL_CHECK_NULL(out_campaigns);
    DRILL_CHECK_NULL(out_cal);
    DRILL_CHECK_NULL(store);
    loader l;
    memset(&l, 0, sizeof l);
    int rc = store->be->begin_read(store->db);
    if (rc)
        return rc;
    if ((rc = load_scope_row(store, &l, DRILL__SCOPE_WORKING)) == 0 && !l.found)
        rc = drill__error(DRILL_ENOTFOUND, "the store has no working registries (none were saved)");
    if (rc == 0)
        rc = load_registries(store, &l, DRILL__SCOPE_WORKING);
    store->be->end_read(store->db);
    if (rc) {
        loader_free(&l);
        return rc;
    }
    *out_units = l.units;
    *out_rules = l.rules;
    *out_campaigns = l.campaigns;
    *out_cal = l.cal;
    return 0;
}

int drill_store_load_plan(drill_plan **out, drill_store *store, int year, const drill_units *units,
                          const drill_rules *rules, const drill_campaigns *campaigns, const drill_calendar *cal)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(store);
    DRILL_CHECK_NULL(units);
    DRILL_CHECK_NULL(rules);
    DRILL_CHECK_NULL(campaigns);
    DRILL_CHECK_NULL(cal);
    int rc = check_year(year);
    if (rc)
        return rc;
    loader l;
    memset(&l, 0, sizeof l);
    l.year = year;
    l.onto = 1;
    l.from = (registries){ units, rules, campaigns, cal };
    if ((rc = store->be->begin_read(store->db)))
        return rc;
    if ((rc = load_scope_row(store, &l, year)) == 0 && !l.found)
        rc = drill__error(DRILL_ENOTFOUND, "the store has no plan for %d", year);
    if (rc == 0)
        rc = load_plan_state(store, &l);
    store->be->end_read(store->db);
    if (rc) {
        loader_free(&l);
        return rc;
    }
    *out = l.plan;
    return 0;
}

int drill_store_load_unit(drill_plan **out_plan, drill_units **out_units, drill_rules **out_rules,
                          drill_campaigns **out_campaigns, drill_calendar **out_cal, drill_store *store, int year,
                          const char *unit_id)
{
    DRILL_CHECK_NULL(unit_id);
    return load_year(out_plan, out_units, out_rules, out_campaigns, out_cal, store, year, unit_id);
}

/* ---- reports from the counts ---- */

typedef struct coverage_rows {
    drill__coverage *groups, total;
    size_t n, cap;
    char today[DRILL_DATE_STRLEN];
} coverage_rows;

static int row_counted(void *ctx, const drill__value *c, size_t n)
{
    (void)n;
    *(int *)ctx = c[0].i ? 1 : 0;
    return 0;
}

/* the year has a plan whose drills' groups, windows and counts are kept (saved
 * whole by this libdrill); read inside the caller's read transaction */
static int check_counted(drill_store *s, int year)
{
    int counted = -1;
    drill__value y = I(year);
    int rc = s->be->query(s->db, STMT_GET_COUNTED, &y, 1, row_counted, &counted);
    if (rc == 0 && counted < 0)
        rc = drill__error(DRILL_ENOTFOUND, "the store has no plan for %d", year);
    else if (rc == 0 && !counted)
        rc = drill__error(DRILL_ENODATA, "the plan of %d was saved by an older libdrill: its counts and windows are "
                                         "kept once it is saved again (load it, or reschedule it)", year);
    return rc;
}

static int row_count(void *ctx, const drill__value *c, size_t n)
{
    coverage_rows *r = ctx;
    (void)n;
    const char *name = c[0].s ? c[0].s : "", *end = c[2].s ? c[2].s : "";
    if (!r->n || strcmp(r->groups[r->n - 1].group, name) != 0) { /* rows come group by group */
        if (DRILL__VEC_RESERVE(r->groups, r->cap, r->n + 1))
            return drill__error(DRILL_ENOMEM, "out of memory making a report");
        drill__coverage *g = &r->groups[r->n];
        memset(g, 0, sizeof *g);
        if (!(g->group = drill__strdup(name)))
            return drill__error(DRILL_ENOMEM, "out of memory making a report");
        r->n++;
    }
    int status = (int)c[1].i;
    size_t count = (size_t)c[3].i;
    drill__coverage *to[2] = { &r->groups[r->n - 1], &r->total }; /* a credit is not in the total */
    for (int k = 0; k < (c[4].i ? 1 : 2); k++) {
        drill__coverage *g = to[k];
        if (status == DRILL_STATUS_CANCELLED) {
            g->cancelled += count;
            continue;
        }
        g->required += count;
        g->scheduled += status == DRILL_STATUS_SCHEDULED ? count : 0;
        g->held += status >= DRILL_STATUS_HELD && status <= DRILL_STATUS_CLOSED ? count : 0;
        g->overdue += status <= DRILL_STATUS_SCHEDULED && *end && strcmp(end, r->today) < 0 ? count : 0;
    }
    return 0;
}

/* one query's rows to fn, in a read transaction that finds the year's plan counted */
static int read_year(drill_store *s, int year, drill__stmt stmt, const drill__value *v, size_t n, drill__row_fn fn,
                     void *ctx)
{
    int rc = s->be->begin_read(s->db);
    if (rc)
        return rc;
    rc = check_counted(s, year);
    if (rc == 0)
        rc = s->be->query(s->db, stmt, v, n, fn, ctx);
    s->be->end_read(s->db);
    return rc;
}

/* a valid date as the store writes it */
static int date_text(char *buf, drill_date d)
{
    int rc = drill_date_check(d);
    if (rc == 0)
        date_value(buf, d);
    return rc;
}

/* what every report from the store checks: the year in range and today a
 * valid date, written as the store writes dates into day */
static int report_day(char *day, int year, drill_date today)
{
    int rc = check_year(year);
    return rc ? rc : date_text(day, today);
}

int drill_store_report_coverage(drill_table **out, drill_store *store, int year, drill_group_by by, drill_date today)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(store);
    if ((unsigned)by > DRILL_BY_RULE)
        return drill__error(DRILL_EINVAL, "unknown grouping %d", (int)by);
    coverage_rows r;
    memset(&r, 0, sizeof r);
    r.total.group = "total";
    int rc = report_day(r.today, year, today);
    if (rc)
        return rc;
    const drill__value v[] = { I(year), I(by) };
    rc = read_year(store, year, STMT_SELECT_COUNTS, v, 2, row_count, &r);
    if (rc == 0)
        rc = drill__coverage_table(out, r.groups, r.n, &r.total);
    for (size_t i = 0; i < r.n; i++)
        free((char *)r.groups[i].group);
    free(r.groups);
    return rc;
}

static int row_overdue(void *ctx, const drill__value *c, size_t n)
{
    (void)n;
    return drill__noncompliant_row(ctx, text(&c[0]), text(&c[1]), text(&c[2]), text(&c[3]), text(&c[4]),
                                   text(&c[5]), (drill_status)int_of(&c[6]), text(&c[7]), (drill_reason)int_of(&c[8]));
}

int drill_store_report_overdue(drill_table **out, drill_store *store, int year, drill_date today)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(store);
    char day[DRILL_DATE_STRLEN];
    int rc = report_day(day, year, today);
    if (rc)
        return rc;
    const drill__value v[] = { I(year), T(day) };
    drill_table *t = NULL;
    if ((rc = drill__noncompliant_new(&t)))
        return rc;
    return drill__table_out(out, t, read_year(store, year, STMT_SELECT_OVERDUE, v, 2, row_overdue, t));
}

static int row_reminder(void *ctx, const drill__value *c, size_t n)
{
    (void)n;
    return drill__reminder_row(ctx, (drill__reminder)int_of(&c[0]), text(&c[1]), text(&c[2]), text(&c[3]),
                               text(&c[4]), text(&c[5]), text(&c[6]), text(&c[7]), (drill_kind)int_of(&c[8]),
                               text(&c[9]), text(&c[10]), (size_t)int_of(&c[11]), text(&c[12]), text(&c[13]));
}

int drill_store_report_reminders(drill_table **out, drill_store *store, int year, drill_date today, int days_ahead)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(store);
    if (days_ahead < 0)
        return drill__error(DRILL_EINVAL, "days_ahead %d is negative", days_ahead);
    char day[DRILL_DATE_STRLEN], last[DRILL_DATE_STRLEN];
    int now, rc = report_day(day, year, today);
    if (rc || (rc = drill_date_to_serial(&now, today)))
        return rc;
    if (now + (long)days_ahead > drill__serial(DRILL_DATE_MAX_YEAR, 12, 31))
        days_ahead = drill__serial(DRILL_DATE_MAX_YEAR, 12, 31) - now;
    serial_value(last, now + days_ahead);
    drill_table *t = NULL;
    if ((rc = drill__reminders_new(&t)))
        return rc;
    const drill__value v[] = { I(year), T(day), T(last) };
    return drill__table_out(out, t, read_year(store, year, STMT_SELECT_REMINDERS, v, 3, row_reminder, t));
}

typedef struct actions_rows {
    drill_table *t;
    const char *today;
} actions_rows;

static int row_year_action(void *ctx, const drill__value *c, size_t n)
{
    const actions_rows *r = ctx;
    (void)n;
    const char *due = text(&c[7]);
    int status = int_of(&c[8]);
    return drill__action_row(r->t, text(&c[0]), text(&c[1]), (size_t)int_of(&c[2]), text(&c[3]), text(&c[4]),
                             text(&c[5]), text(&c[6]), due, (drill_action_status)status, text(&c[9]),
                             status < DRILL_ACTION_DONE && strcmp(due, r->today) < 0);
}

int drill_store_report_actions(drill_table **out, drill_store *store, int year, drill_date today)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(store);
    char day[DRILL_DATE_STRLEN];
    int rc = report_day(day, year, today);
    if (rc)
        return rc;
    actions_rows r = { NULL, day };
    if ((rc = drill__actions_new(&r.t)))
        return rc;
    drill__value y = I(year);
    return drill__table_out(out, r.t,
                            read_year(store, year, STMT_SELECT_YEAR_ACTIONS, &y, 1, row_year_action, &r));
}

static int row_listed(void *ctx, const drill__value *c, size_t n)
{
    (void)n;
    char revision[24], start[24] = "", end[24] = "";
    snprintf(revision, sizeof revision, "%d", int_of(&c[11]));
    int minute = int_of(&c[12]), duration = int_of(&c[13]);
    if (duration > 0 && minute >= 0 && minute + duration < 100 * 60) { /* as the drill's day shows it */
        snprintf(start, sizeof start, "%02d:%02d", minute / 60 % 24, minute % 60);
        snprintf(end, sizeof end, "%02d:%02d", (minute + duration) / 60, (minute + duration) % 60);
    }
    const char *cells[] = { text(&c[0]), text(&c[1]), text(&c[2]), text(&c[3]), text(&c[4]), text(&c[5]),
                            drill_status_name((drill_status)int_of(&c[6])), text(&c[7]),
                            drill_reason_name((drill_reason)int_of(&c[8])), text(&c[9]), text(&c[10]), revision,
                            start, end, drill__kind_id((drill_kind)int_of(&c[14])),
                            drill__form_id((drill_form)int_of(&c[15])), text(&c[16]), int_of(&c[17]) ? "1" : "0" };
    return drill__table_row(ctx, cells);
}

int drill_store_list_drills(drill_table **out, drill_store *store, int year, const drill_filter *filter)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(store);
    DRILL__VERSIONED(filter, drill_filter, DRILL_FILTER_INIT);
    if (!filter) /* every drill */
        filter = &filter_versioned_;
    int rc = check_year(year);
    char from[DRILL_DATE_STRLEN], to[DRILL_DATE_STRLEN], lo[DRILL_ID_MAX + 1], hi[DRILL_ID_MAX + 1];
    if (rc || (filter->has_range && ((rc = date_text(from, filter->from)) || (rc = date_text(to, filter->to)))))
        return rc;
    if (filter->status < -1 || filter->status > DRILL_STATUS_CANCELLED ||
        filter->statuses >= DRILL_STATUS_BIT(DRILL_STATUS_CANCELLED + 1))
        return drill__error(DRILL_EINVAL, "the filter names a state that does not exist");
    unsigned statuses = filter->statuses ? filter->statuses
                        : filter->status >= 0 ? DRILL_STATUS_BIT(filter->status) : 0;
    const char *unit = filter->unit_id;
    if (unit && (rc = unit_range(lo, hi, unit)))
        return rc;
    static const char *const columns[] = { "id", "unit_id", "unit_name", "district", "campaign", "rule_id",
                                           "status", "date", "reason", "window_start", "window_end", "revision",
                                           "start", "end", "kind", "form", "scenario", "observer" };
    drill_table *t = NULL;
    if ((rc = drill__table_new(&t, columns, 18)))
        return rc;
    const drill__value v[] = { I(year), filter->district ? T(filter->district) : NUL,
                               filter->campaign ? T(filter->campaign) : NUL, filter->rule_id ? T(filter->rule_id) : NUL,
                               I(statuses), filter->has_range ? T(from) : NUL, filter->has_range ? T(to) : NUL,
                               T(lo), T(hi) };
    return drill__table_out(out, t, read_year(store, year, unit ? STMT_LIST_UNIT_DRILLS : STMT_LIST_DRILLS, v,
                                              unit ? 9 : 7, row_listed, t));
}

/* ---- catching up with other writers ---- */

/* one drill's row, tracking record and actions as the store has them now */
static int refresh_one(drill_store *s, loader *l, const char *id)
{
    drill__value key = T(id);
    int rc = s->be->query(s->db, STMT_SELECT_DRILL, &key, 1, row_drill, l);
    if (rc == 0) {
        drill__track_clear_actions(l->plan, id);
        rc = s->be->query(s->db, STMT_SELECT_TRACK, &key, 1, row_track, l);
    }
    return rc ? rc : s->be->query(s->db, STMT_SELECT_DRILL_ACTIONS, &key, 1, row_action, l);
}

/* a plan this store can bring up to date */
static int check_refresh(drill_store *s, const drill_plan *p)
{
    if (!s->id[0] || strcmp(p->synced_store, s->id) != 0)
        return drill__error(DRILL_ESTATE, "the %d plan was not read from this store: load it from the store", p->year);
    return 0;
}

int drill_store_refresh_drill(drill_store *store, drill_plan *plan, const char *drill_id)
{
    DRILL_CHECK_NULL(store);
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    int rc = check_refresh(store, plan);
    if (rc)
        return rc;
    if (drill__plan_index(plan, drill_id) < 0)
        return drill__error(DRILL_ENOTFOUND, "no drill '%s' in the %d plan", drill_id, plan->year);
    loader l;
    memset(&l, 0, sizeof l);
    l.plan = plan;
    l.year = plan->year;
    if ((rc = store->be->begin_read(store->db)))
        return rc;
    rc = refresh_one(store, &l, drill_id);
    store->be->end_read(store->db);
    if (rc == 0 && !l.matched)
        rc = drill__error(DRILL_ENOTFOUND, "the store has no drill '%s' (added to the plan since it was saved): save "
                                           "the plan first", drill_id);
    return rc;
}

typedef struct since {
    drill_store *s;
    loader *l;
    size_t changes;
} since;

static int row_since(void *ctx, const drill__value *c, size_t n)
{
    since *x = ctx;
    KEY(c + 3);
    if (x->l->plan->partial && drill__plan_index(x->l->plan, c[3].s) < 0) { /* another unit's */
        x->l->plan->audit_seen = (size_t)c[0].i;
        return 0;
    }
    int rc = refresh_one(x->s, x->l, c[3].s);
    if (rc == 0)
        rc = row_audit(x->l, c, n);
    if (rc == 0) {
        x->l->plan->audit_seen = (size_t)c[0].i;
        x->changes++;
    }
    return rc;
}

int drill_store_refresh(size_t *out_changes, drill_store *store, drill_plan *plan)
{
    DRILL_CHECK_NULL(store);
    DRILL_CHECK_NULL(plan);
    int rc = check_refresh(store, plan);
    if (rc)
        return rc;
    size_t n = drill_audit_count(plan), keep = n;
    for (size_t i = 0; i < n; i++)
        if (!drill__audit_seq(plan, i))
            return drill__error(DRILL_ESTATE, "the %d plan has changes the store does not have: save it (or attach "
                                              "it) before refreshing", plan->year);
    /* the plan's own entries the store numbered after others' come back in the store's order */
    while (keep > 0 && drill__audit_seq(plan, keep - 1) > plan->audit_seen)
        keep--;
    drill__audit_truncate(plan, keep);
    loader l;
    memset(&l, 0, sizeof l);
    l.plan = plan;
    l.year = plan->year;
    since x = { store, &l, 0 };
    const drill__value v[] = { I(plan->year), I(plan->audit_seen) };
    if ((rc = store->be->begin_read(store->db)))
        return rc;
    rc = store->be->query(store->db, STMT_SELECT_AUDIT_SINCE, v, 2, row_since, &x);
    store->be->end_read(store->db);
    if (rc == 0 && out_changes)
        *out_changes = x.changes;
    return rc;
}

int drill_store_begin(drill_store *store)
{
    DRILL_CHECK_NULL(store);
    if (!store->attached)
        return drill__error(DRILL_ESTATE, "no plan is attached to the store: nothing to group");
    if (store->grouped)
        return drill__error(DRILL_ESTATE, "the store's changes are grouped already (drill_store_begin() twice)");
    int rc = store->be->begin(store->db);
    if (rc == 0) {
        store->grouped = 1;
        store->group_failed = 0;
    }
    return rc;
}

int drill_store_commit(drill_store *store)
{
    DRILL_CHECK_NULL(store);
    if (!store->grouped)
        return drill__error(DRILL_ESTATE, "drill_store_commit() without drill_store_begin()");
    if (store->group_failed) {
        drill_store_rollback(store);
        return drill__error(DRILL_ESTATE, "a change of the group failed: the group was rolled back, nothing was "
                                          "written");
    }
    int rc = store->be->commit(store->db);
    if (rc)
        drill_store_rollback(store);
    store->grouped = 0;
    return rc;
}

void drill_store_rollback(drill_store *store)
{
    if (!store || !store->grouped)
        return;
    store->be->rollback(store->db);
    store->grouped = 0;
    /* the plan kept the changes the store just dropped: it no longer shows the store */
    drill_plan *p = store->attached;
    if (p) {
        drill_store_detach(store);
        p->stale = 1;
        p->journal = journal_closed;
    }
}

int drill_store_attachment(drill_store **out_store, const drill_plan *plan)
{
    DRILL_CHECK_NULL(plan);
    if (out_store)
        *out_store = plan->journal == journal ? plan->journal_ctx : NULL;
    return plan->journal == journal ? DRILL_ATTACHED : plan->journal == journal_closed ? DRILL_STORE_CLOSED
                                                                                      : DRILL_DETACHED;
}
