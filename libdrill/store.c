/* The store: objects to rows and back, through the storage interface
 * (store_backend.h). No SQL here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "plan_internal.h"
#include "rule_internal.h"
#include "store_backend.h"
#include "unit_internal.h"

struct drill_store {
    const drill__backend *be;
    void *db;
    int read_only;
    drill_plan *attached;
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

int drill_store_open(drill_store **out, const char *path, const drill_store_options *opts)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(path);
    drill_store_options defaults = DRILL_STORE_OPTIONS_INIT;
    const drill_store_options *o = opts ? opts : &defaults;
    if (o->version != DRILL_STORE_OPTIONS_VERSION)
        return drill__error(DRILL_EVERSION, "drill_store_options version %u is not %d", o->version,
                            DRILL_STORE_OPTIONS_VERSION);
    drill_store *s = calloc(1, sizeof *s);
    if (!s)
        return drill__error(DRILL_ENOMEM, "out of memory opening a store");
    s->be = drill__pg_is_conninfo(path) ? &drill__pg_backend : &drill__sqlite_backend;
    s->read_only = o->read_only;
    int rc = s->be->open(&s->db, path, o->read_only);
    if (rc) {
        free(s);
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

void drill_store_close(drill_store *store)
{
    if (!store)
        return;
    drill_store_detach(store);
    store->be->close(store->db);
    free(store);
}

int drill_store_schema_version(int *out, drill_store *store)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(store);
    return store->be->schema_version(store->db, out);
}

int drill_store_check(int *out_ok, drill_store *store)
{
    DRILL_CHECK_NULL(out_ok);
    DRILL_CHECK_NULL(store);
    char detail[256];
    return store->be->check(store->db, out_ok, detail, sizeof detail);
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
        drill_unit x;
        drill_units_get(&x, u, i);
        const unit_rec *r = &u->units[i];
        rc = EXEC(s, STMT_INSERT_UNIT, Y, I(i), T(x.id), T(x.name), T(x.area), T(x.unit_class), T(x.address),
                  T(x.contact), T(x.phone), I(x.headcount), I(x.risk), I(x.flood_prone), I(r->flags & UNIT_KEY_FIRE));
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
                  I(r->form), T(r->scenario), I(r->frequency), T(r->campaign), I(r->due_from));
    }
    drill_campaign_def c;
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
    drill_track_info t;
    int rc = drill_track_get(&t, p, id);
    if (rc)
        return rc;
    const drill_outcome *o = &t.outcome;
    char date[DRILL_DATE_STRLEN];
    int out = t.has_outcome;
    rc = EXEC(s, STMT_UPSERT_TRACK, T(id), I(p->year), I(t.status), I(out), out ? date_value(date, o->date) : NUL,
              I(o->start_minute), I(o->end_minute), I(o->kind), I(o->form), I(o->participants), I(o->non_participants),
              out ? T(o->observers) : NUL, I(o->evacuation_seconds), I(o->evacuation_target), I(o->headcount_seconds),
              I(o->headcount_target), I(o->score), out ? T(o->notes) : NUL, T(t.cancel_reason));
    if (rc == 0)
        rc = EXEC(s, STMT_CLEAR_ACTIONS, T(id));
    for (size_t n = 1; rc == 0 && n <= t.actions; n++) {
        drill_action a;
        char due[DRILL_DATE_STRLEN], closed[DRILL_DATE_STRLEN];
        drill_track_action(&a, p, id, n);
        rc = EXEC(s, STMT_INSERT_ACTION, T(id), I(n), T(a.finding), T(a.capability), T(a.action), T(a.owner),
                  date_value(due, a.due), I(a.status), date_value(closed, a.closed));
    }
    return rc;
}

static int save_audit_entry(drill_store *s, const drill_plan *p, size_t i)
{
    drill_audit_entry e;
    drill_audit_get(&e, p, i);
    return EXEC(s, STMT_INSERT_AUDIT, I(e.seq), I(p->year), T(e.time), T(e.actor), T(e.drill_id), T(e.field),
                T(e.old_value), T(e.new_value), T(e.reason));
}

static int save_plan(drill_store *s, const drill_plan *p)
{
    const drill_schedule_options *o = &p->opts;
    int rc = EXEC(s, STMT_CLEAR_PLAN, I(p->year));
    if (rc == 0)
        rc = EXEC(s, STMT_INSERT_PLAN, I(p->year), I(p->allow_uncovered), I(drill__calendar_policy(p->cal)),
                  I(o->capacity), I(o->spacing_days), I(o->observer_min_risk), I(o->observe_comprehensive),
                  I(o->start_minute[1]), I(o->start_minute[2]), I(o->start_minute[3]), I(o->duration_minutes[1]),
                  I(o->duration_minutes[2]), I(o->duration_minutes[3]), I(o->tabletop_minutes), I(p->scheduled),
                  T(p->created));
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
    for (size_t i = 0; rc == 0 && i < p->count; i++) {
        drill_item it;
        char date[DRILL_DATE_STRLEN];
        drill_plan_get(&it, p, i);
        rc = EXEC(s, STMT_INSERT_DRILL, T(it.id), I(p->year), I(it.status),
                  p->drills[i].day >= 0 ? date_value(date, it.date) : NUL, I(it.reason), I(it.revision));
    }
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

static int save_all(drill_store *s, const void *plan)
{
    return save_plan(s, plan);
}

int drill_store_save(drill_store *store, const drill_plan *plan)
{
    DRILL_CHECK_NULL(store);
    DRILL_CHECK_NULL(plan);
    return in_transaction(store, plan, save_all);
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
                  NUL, NUL, NUL, NUL, NUL, NUL, NUL, NUL, NUL, NUL, T(now));
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

typedef struct journal_ctx {
    drill_store *s;
    const char *id;
} journal_ctx;

/* a drill's row in drills */
static int update_drill(drill_store *s, const drill_plan *p, size_t i)
{
    drill_item it;
    char date[DRILL_DATE_STRLEN];
    drill_plan_get(&it, p, i);
    int changed = 0;
    const drill__value v[] = { T(it.id), I(it.status), p->drills[i].day >= 0 ? date_value(date, it.date) : NUL,
                               I(it.reason), I(it.revision) };
    int rc = s->be->exec(s->db, STMT_UPDATE_DRILL, v, 5, &changed);
    if (rc == 0 && !changed)
        rc = drill__error(DRILL_ESTATE, "the store has no drill '%s' (added since the plan was saved): "
                                        "save the plan first", it.id);
    return rc;
}

static int journal_write(drill_store *s, const drill_plan *p, const char *id)
{
    int rc = save_track(s, p, id);
    long i = drill__plan_index(p, id);
    if (rc == 0 && i >= 0)
        rc = update_drill(s, p, (size_t)i);
    /* a first rolling drill moves the window, maybe the day, of the second */
    if (rc == 0 && i >= 0 && (size_t)i + 1 < p->count && p->drills[i].period == P_R1 &&
        p->drills[i + 1].period == P_R2 && p->drills[i + 1].unit == p->drills[i].unit)
        rc = update_drill(s, p, (size_t)i + 1);
    if (rc == 0 && p->naudit)
        rc = save_audit_entry(s, p, p->naudit - 1);
    return rc;
}

static int journal(void *ctx, const drill_plan *plan, const char *drill_id)
{
    drill_store *s = ctx;
    int rc = s->be->begin(s->db);
    if (rc)
        return rc;
    if ((rc = journal_write(s, plan, drill_id)) || (rc = s->be->commit(s->db)))
        s->be->rollback(s->db);
    return rc;
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
    int rc = in_transaction(store, plan, save_all);
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
    char created[24];
} loader;

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

static int row_rule(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    (void)n;
    drill_rule r = { DRILL_RULE_VERSION, text(&c[0]), text(&c[1]), text(&c[2]), text(&c[3]), text(&c[4]),
                     (unsigned)c[5].i, text(&c[6]), (drill_risk)int_of(&c[7]), int_of(&c[8]), int_of(&c[9]),
                     (drill_kind)int_of(&c[10]), (drill_form)int_of(&c[11]), text(&c[12]),
                     (drill_frequency)int_of(&c[13]), text(&c[14]), (drill_due_from)int_of(&c[15]) };
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
    l->opts = o;
    return 0;
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
    return rc ? corrupt(rc, "drill date")
              : drill__plan_restore_drill(l->plan, text(&c[0]), int_of(&c[1]), serial, int_of(&c[3]), int_of(&c[4]));
}

static int row_track(void *ctx, const drill__value *c, size_t n)
{
    loader *l = ctx;
    KEY(c);
    (void)n;
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
    drill_audit_entry e = { (size_t)c[0].i, text(&c[1]), text(&c[2]), text(&c[3]), text(&c[4]), text(&c[5]),
                            text(&c[6]), text(&c[7]) };
    return drill__audit_restore(l->plan, &e);
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
    if ((rc = be->query(s->db, STMT_SELECT_CLASSES, &v, 1, row_class, l)) ||
        (rc = be->query(s->db, STMT_SELECT_UNITS, &v, 1, row_unit, l)) ||
        (rc = be->query(s->db, STMT_SELECT_BLACKOUTS, &v, 1, row_blackout, l)) ||
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
    if ((rc = be->query(s->db, STMT_SELECT_CAPACITY, &year, 1, row_capacity, l)) ||
        (rc = be->query(s->db, STMT_SELECT_CLOSED, &year, 1, row_closed, l)) ||
        (rc = be->query(s->db, STMT_SELECT_HISTORY, &year, 1, row_history, l)) ||
        (rc = drill_plan_refresh(l->plan)) ||
        (rc = be->query(s->db, STMT_SELECT_DRILLS, &year, 1, row_drill, l)) ||
        (rc = be->query(s->db, STMT_SELECT_TRACKS, &year, 1, row_track, l)) ||
        (rc = be->query(s->db, STMT_SELECT_ACTIONS, &year, 1, row_action, l)) ||
        (rc = be->query(s->db, STMT_SELECT_AUDIT, &year, 1, row_audit, l)))
        return rc;
    if (l->created[0])
        snprintf(l->plan->created, sizeof l->plan->created, "%s", l->created);
    return drill__plan_restore_done(l->plan, &l->opts, l->scheduled);
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

int drill_store_load(drill_plan **out_plan, drill_units **out_units, drill_rules **out_rules,
                     drill_campaigns **out_campaigns, drill_calendar **out_cal, drill_store *store, int year)
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
    if ((rc = store->be->begin_read(store->db)))
        return rc;
    if ((rc = load_scope_row(store, &l, year)) == 0 && !l.found)
        rc = drill__error(DRILL_ENOTFOUND, "the store has no plan for %d", year);
    if (rc == 0 && (rc = load_registries(store, &l, year)) == 0)
        rc = load_plan_state(store, &l);
    store->be->rollback(store->db); /* the read transaction ends */
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
    store->be->rollback(store->db); /* the read transaction ends */
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
    store->be->rollback(store->db); /* the read transaction ends */
    if (rc) {
        loader_free(&l);
        return rc;
    }
    *out = l.plan;
    return 0;
}
