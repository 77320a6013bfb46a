/* Tracking: the drill lifecycle, outcomes, corrective actions, the audit
 * trail. A drill's state is the plan's (drill_rec.status, plan.c): a change
 * here checks it and writes it there; the tracking record keeps only what
 * tracking adds, the outcome, the cancel reason, the actions and the time
 * of the last change. Records are keyed by drill id, so they survive a plan
 * refresh; each change is undone if the attached store cannot write it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "abi.h"
#include "internal.h"
#include "plan_internal.h"
#include "unit_internal.h"
#include "vec.h"

typedef struct action_rec {
    char *finding, *capability, *action, *owner;
    int due, closed; /* serials; closed -1 while open */
    uint8_t status;
} action_rec;

struct track_rec {
    char *id;
    const char *changed; /* the time of its last audit entry (owned by the trail) */
    int has_outcome;
    drill_outcome outcome; /* observers and notes owned */
    char *cancel_reason;
    action_rec *actions;
    size_t nactions, cap;
};

struct audit_rec {
    char *time, *actor, *drill_id, *field, *old_value, *new_value, *reason;
    size_t seq; /* its number in the store's trail, 0 until a store has it */
};

typedef struct track_rec track_rec;
typedef struct audit_rec audit_rec;

const char *drill_status_name(drill_status s)
{
    static const char *const names[] = { "planned", "scheduled", "held", "evaluated", "closed", "cancelled" };
    return (unsigned)s < 6 ? names[s] : "unknown";
}

const char *drill_action_status_name(drill_action_status s)
{
    static const char *const names[] = { "open", "in progress", "done", "verified", "waived" };
    return (unsigned)s < 5 ? names[s] : "unknown";
}

static char *dup_or_null(const char *s, int *failed)
{
    if (!s)
        return NULL;
    char *c = drill__strdup(s);
    *failed |= !c;
    return c;
}

static void action_clear(action_rec *a)
{
    free(a->finding);
    free(a->capability);
    free(a->action);
    free(a->owner);
}

static void track_clear(track_rec *t)
{
    free(t->id);
    free((char *)t->outcome.observers);
    free((char *)t->outcome.notes);
    free(t->cancel_reason);
    for (size_t i = 0; i < t->nactions; i++)
        action_clear(&t->actions[i]);
    free(t->actions);
    memset(t, 0, sizeof *t);
}

static int track_clone(track_rec *dst, const track_rec *src)
{
    int failed = 0;
    *dst = *src;
    dst->id = dup_or_null(src->id, &failed);
    dst->outcome.observers = dup_or_null(src->outcome.observers, &failed);
    dst->outcome.notes = dup_or_null(src->outcome.notes, &failed);
    dst->cancel_reason = dup_or_null(src->cancel_reason, &failed);
    dst->actions = src->nactions ? calloc(src->nactions, sizeof *dst->actions) : NULL;
    dst->cap = src->nactions;
    failed |= src->nactions && !dst->actions;
    for (size_t i = 0; dst->actions && i < src->nactions; i++) {
        const action_rec *a = &src->actions[i];
        dst->actions[i] = (action_rec){ dup_or_null(a->finding, &failed), dup_or_null(a->capability, &failed),
                                        dup_or_null(a->action, &failed), dup_or_null(a->owner, &failed), a->due,
                                        a->closed, a->status };
    }
    if (!dst->actions)
        dst->nactions = 0;
    if (failed) {
        track_clear(dst);
        return drill__error(DRILL_ENOMEM, "out of memory tracking a drill");
    }
    return 0;
}

static void audit_clear(audit_rec *a)
{
    free(a->time);
    free(a->actor);
    free(a->drill_id);
    free(a->field);
    free(a->old_value);
    free(a->new_value);
    free(a->reason);
}

/* the plan's tracking, when the plan goes (drill_plan.tracking_free) */
static void tracking_free(drill_plan *p)
{
    for (size_t i = 0; i < p->ntracks; i++)
        track_clear(&p->tracks[i]);
    free(p->tracks);
    drill__map_free(&p->track_map);
    for (size_t i = 0; i < p->naudit; i++)
        audit_clear(&p->audit[i]);
    free(p->audit);
}

/* ---- finding records ---- */

static const char *track_id(const void *p, size_t i)
{
    return ((const drill_plan *)p)->tracks[i].id;
}

static track_rec *find_track(const drill_plan *p, const char *id)
{
    size_t i;
    return drill__map_get(&i, &p->track_map, id, track_id, p) ? &p->tracks[i] : NULL;
}

/* a new empty record for id */
static int add_track(drill_plan *p, const char *id, track_rec **out)
{
    track_rec t = { 0 };
    p->tracking_free = tracking_free; /* before the first allocation: a failed one may leave room */
    if (DRILL__VEC_RESERVE(p->tracks, p->tracks_cap, p->ntracks + 1) ||
        drill__map_reserve(&p->track_map, p->ntracks + 1) || !(t.id = drill__strdup(id)))
        return drill__error(DRILL_ENOMEM, "out of memory tracking a drill");
    p->tracks[p->ntracks] = t;
    (void)drill__map_put(&p->track_map, id, p->ntracks); /* room reserved */
    *out = &p->tracks[p->ntracks++];
    return 0;
}

/* the last record added goes again (an undone change) */
static void drop_last_track(drill_plan *p)
{
    track_rec *t = &p->tracks[--p->ntracks];
    drill__map_remove(&p->track_map, drill__map_hash(t->id), p->ntracks);
    track_clear(t);
}

/* drill k of the plan takes a state tracking gives it: held and later on
 * the day it was held (none outside the plan's year), cancelled off its day
 * (kept for the feed, never booked), reinstated planned and unplaced */
static void set_state(drill_plan *p, long k, drill_status status, const track_rec *t)
{
    drill_rec *d = &p->drills[k];
    if (status >= DRILL_STATUS_HELD && status <= DRILL_STATUS_CLOSED) {
        int s = drill__serial(t->outcome.date.year, t->outcome.date.month, t->outcome.date.day) - p->y0;
        d->day = (int16_t)(s >= 0 && s < p->ndays ? s : -1);
    } else if (status == DRILL_STATUS_CANCELLED) {
        if (d->day >= 0)
            d->cancelled_day = d->day;
        d->day = -1;
    } else {
        d->day = -1;
        d->cancelled_day = -1;
    }
    d->status = (uint8_t)status;
}

/* ---- one change: validate, apply, audit, journal; undo on failure ---- */

typedef struct change {
    drill_plan *p;
    long index;        /* the drill in the plan */
    track_rec *t;      /* its record */
    track_rec saved;   /* the record before, to undo */
    int created;       /* the record is new */
    drill_rec drill;   /* the drill before */
    drill_rec next;    /* and the one after it (a first rolling drill's second, whose window follows) */
} change;

static int text_ok(const char *s, const char *what);

/* Start a change of a drill: check who makes it and why, find the drill and
 * keep what undo() needs. c is always initialised, so fail(c) is right after
 * any error, this one's included. */
static int begin(change *c, drill_plan *p, const char *id, const char *actor, const char *reason)
{
    memset(c, 0, sizeof *c);
    DRILL_CHECK_NULL(p);
    DRILL_CHECK_NULL(id);
    DRILL_CHECK_NULL(actor);
    if (!*actor || !drill__utf8_valid(actor, strlen(actor)))
        return drill__error(DRILL_EINVAL, "a change needs an actor (UTF-8)");
    int reason_rc = text_ok(reason, "reason");
    if (reason_rc)
        return reason_rc;
    c->p = p;
    c->index = drill__plan_index(p, id);
    if (c->index < 0)
        return drill__error(DRILL_ENOTFOUND, "no drill '%s' in the %d plan", id, p->year);
    c->drill = p->drills[c->index];
    c->next = c->index + 1 < (long)p->count ? p->drills[c->index + 1] : c->drill;
    c->t = find_track(p, id);
    if (c->t) {
        int rc = track_clone(&c->saved, c->t);
        if (rc)
            c->t = NULL; /* nothing changed yet: nothing to undo */
        return rc;
    }
    int rc = add_track(p, id, &c->t);
    if (rc)
        return rc;
    c->created = 1;
    return 0;
}

/* the state of the drill being changed: the plan's, the only one */
static drill_status state_of(const change *c)
{
    return (drill_status)c->p->drills[c->index].status;
}

static void undo(change *c)
{
    if (!c->t)
        return;
    c->p->drills[c->index] = c->drill;
    if (c->index + 1 < (long)c->p->count)
        c->p->drills[c->index + 1] = c->next;
    if (c->created) {
        drop_last_track(c->p);
    } else {
        track_clear(c->t);
        *c->t = c->saved;
        memset(&c->saved, 0, sizeof c->saved);
    }
    c->t = NULL;
}

static void finish(change *c)
{
    if (!c->created)
        track_clear(&c->saved);
}

static int append_audit(drill_plan *p, const char *id, const char *actor, const char *field, const char *old_value,
                        const char *new_value, const char *reason)
{
    p->tracking_free = tracking_free; /* before the first allocation: a failed one may leave room */
    if (DRILL__VEC_RESERVE(p->audit, p->audit_cap, p->naudit + 1))
        return drill__error(DRILL_ENOMEM, "out of memory auditing a change");
    audit_rec a;
    memset(&a, 0, sizeof a);
    time_t now = time(NULL);
    struct tm tm;
    char stamp[24];
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int failed = 0;
    a.time = dup_or_null(stamp, &failed);
    a.actor = dup_or_null(actor, &failed);
    a.drill_id = dup_or_null(id, &failed);
    a.field = dup_or_null(field, &failed);
    a.old_value = dup_or_null(old_value ? old_value : "", &failed);
    a.new_value = dup_or_null(new_value ? new_value : "", &failed);
    a.reason = dup_or_null(reason ? reason : "", &failed);
    if (failed) {
        audit_clear(&a);
        return drill__error(DRILL_ENOMEM, "out of memory auditing a change");
    }
    p->audit[p->naudit++] = a;
    return 0;
}

/* audit the change, write it through to the store, or undo all of it */
static int commit(change *c, const char *id, const char *actor, const char *field, const char *old_value,
                  const char *new_value, const char *reason)
{
    drill_plan *p = c->p;
    if (p->drills[c->index].revision < 65535)
        p->drills[c->index].revision++;
    const char *changed = c->t->changed;
    int rc = append_audit(p, id, actor, field, old_value, new_value, reason);
    if (rc == 0)
        c->t->changed = p->audit[p->naudit - 1].time;
    if (rc == 0 && p->journal && (rc = p->journal(p->journal_ctx, p, id)) != 0) {
        c->t->changed = changed;
        audit_clear(&p->audit[--p->naudit]);
    }
    if (rc)
        undo(c);
    else
        finish(c);
    return rc;
}

static int fail(change *c, int rc)
{
    undo(c);
    return rc;
}

static int state_error(change *c, const char *id, drill_status to)
{
    return fail(c, drill__error(DRILL_ESTATE, "drill '%s' cannot go from %s to %s", id,
                                drill_status_name(state_of(c)), drill_status_name(to)));
}

static int text_ok(const char *s, const char *what)
{
    if (!drill__utf8_text_ok(s))
        return drill__error(DRILL_EINVAL, "%s is not UTF-8", what);
    return 0;
}

static int check_outcome(const drill_outcome *o)
{
    if (o->version != DRILL_OUTCOME_VERSION)
        return drill__error(DRILL_EVERSION, "drill_outcome version %u is not %d", o->version, DRILL_OUTCOME_VERSION);
    int rc = drill_date_check(o->date);
    if (rc)
        return rc;
    if (o->start_minute < 0 || o->start_minute >= 24 * 60 || o->end_minute < o->start_minute ||
        o->end_minute > 24 * 60)
        return drill__error(DRILL_EINVAL, "outcome: start %d and end %d minutes are not a time span within a day",
                            o->start_minute, o->end_minute);
    if (o->kind < DRILL_KIND_COMPREHENSIVE || o->kind > DRILL_KIND_ONSITE)
        return drill__error(DRILL_EINVAL, "outcome: unknown kind %d", (int)o->kind);
    if (o->form != DRILL_FORM_LIVE && o->form != DRILL_FORM_TABLETOP)
        return drill__error(DRILL_EINVAL, "outcome: unknown form %d", (int)o->form);
    if (o->participants < 0 || o->non_participants < 0)
        return drill__error(DRILL_EINVAL, "outcome: participants and non_participants must not be negative");
    const int seconds[] = { o->evacuation_seconds, o->evacuation_target, o->headcount_seconds, o->headcount_target };
    for (size_t i = 0; i < 4; i++)
        if (seconds[i] < -1)
            return drill__error(DRILL_EINVAL, "outcome: times are seconds >= 0, or -1 when not measured");
    if (o->score < -1 || o->score > 100)
        return drill__error(DRILL_EINVAL, "outcome: score %d is not 0-100 (or -1)", o->score);
    if ((rc = text_ok(o->observers, "outcome: observers")) || (rc = text_ok(o->notes, "outcome: notes")))
        return rc;
    return 0;
}

int drill_track_hold(drill_plan *plan, const char *drill_id, const drill_outcome *outcome, const char *actor,
                     const char *reason)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    DRILL_CHECK_NULL(actor);
    DRILL_CHECK_NULL(outcome);
    DRILL__VERSIONED(outcome, drill_outcome, DRILL_OUTCOME_INIT);
    int rc = check_outcome(outcome);
    if (rc)
        return rc;
    if (outcome->date.year < plan->year - 1 || outcome->date.year > plan->year + 1)
        return drill__error(DRILL_ERANGE, "%s: held on %04d-%02d-%02d, more than a year from the plan's year %d",
                            drill_id, outcome->date.year, outcome->date.month, outcome->date.day, plan->year);
    change c;
    if ((rc = begin(&c, plan, drill_id, actor, reason)))
        return fail(&c, rc);
    if (state_of(&c) > DRILL_STATUS_SCHEDULED)
        return state_error(&c, drill_id, DRILL_STATUS_HELD);
    int failed = 0;
    char *observers = dup_or_null(outcome->observers, &failed), *notes = dup_or_null(outcome->notes, &failed);
    if (failed) {
        free(observers);
        free(notes);
        return fail(&c, drill__error(DRILL_ENOMEM, "out of memory recording an outcome"));
    }
    drill_status old = state_of(&c);
    c.t->outcome = *outcome;
    c.t->outcome.observers = observers;
    c.t->outcome.notes = notes;
    c.t->has_outcome = 1;
    set_state(plan, c.index, DRILL_STATUS_HELD, c.t);
    /* a fact: the second drill moves if it must (never refused); the day's
     * start slots are shared again, which can run out of memory */
    if ((rc = drill__plan_follow_rolling(plan, (size_t)c.index, 0)))
        return fail(&c, rc);
    char value[160], date[DRILL_DATE_STRLEN];
    drill_date_format(date, sizeof date, outcome->date);
    snprintf(value, sizeof value, "held %s %02d:%02d-%02d:%02d, %d took part, %d did not", date,
             outcome->start_minute / 60, outcome->start_minute % 60, outcome->end_minute / 60,
             outcome->end_minute % 60, outcome->participants, outcome->non_participants);
    return commit(&c, drill_id, actor, "state", drill_status_name(old), value, reason);
}

int drill_track_evaluate(drill_plan *plan, const char *drill_id, int score, const char *notes, const char *actor,
                         const char *reason)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    DRILL_CHECK_NULL(actor);
    if (score < 0 || score > 100)
        return drill__error(DRILL_EINVAL, "score %d is not 0-100", score);
    int rc = text_ok(notes, "notes");
    if (rc)
        return rc;
    change c;
    if ((rc = begin(&c, plan, drill_id, actor, reason)))
        return fail(&c, rc);
    if (state_of(&c) != DRILL_STATUS_HELD)
        return state_error(&c, drill_id, DRILL_STATUS_EVALUATED);
    if (notes) {
        char *n = drill__strdup(notes);
        if (!n)
            return fail(&c, drill__error(DRILL_ENOMEM, "out of memory evaluating a drill"));
        free((char *)c.t->outcome.notes);
        c.t->outcome.notes = n;
    }
    c.t->outcome.score = score;
    set_state(plan, c.index, DRILL_STATUS_EVALUATED, c.t);
    char value[64];
    snprintf(value, sizeof value, "evaluated, score %d", score);
    return commit(&c, drill_id, actor, "state", drill_status_name(DRILL_STATUS_HELD), value, reason);
}

static int check_action(const drill_action *a)
{
    if (a->version != DRILL_ACTION_VERSION)
        return drill__error(DRILL_EVERSION, "drill_action version %u is not %d", a->version, DRILL_ACTION_VERSION);
    const char *required[] = { a->finding, a->action, a->owner };
    const char *names[] = { "finding", "action", "owner" };
    for (size_t i = 0; i < 3; i++)
        if (!required[i] || !*required[i])
            return drill__error(DRILL_EINVAL, "a corrective action needs a %s", names[i]);
    int rc;
    if ((rc = text_ok(a->finding, "finding")) || (rc = text_ok(a->capability, "capability")) ||
        (rc = text_ok(a->action, "action")) || (rc = text_ok(a->owner, "owner")) || (rc = drill_date_check(a->due)))
        return rc;
    if ((unsigned)a->status > DRILL_ACTION_WAIVED)
        return drill__error(DRILL_EINVAL, "unknown action status %d", (int)a->status);
    if (a->status >= DRILL_ACTION_DONE && (rc = drill_date_check(a->closed)))
        return rc;
    return 0;
}

int drill_track_add_action(size_t *out_number, drill_plan *plan, const char *drill_id, const drill_action *action,
                           const char *actor, const char *reason)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    DRILL_CHECK_NULL(actor);
    DRILL_CHECK_NULL(action);
    DRILL__VERSIONED(action, drill_action, DRILL_ACTION_INIT);
    int rc = check_action(action);
    if (rc)
        return rc;
    change c;
    if ((rc = begin(&c, plan, drill_id, actor, reason)))
        return fail(&c, rc);
    if (state_of(&c) != DRILL_STATUS_HELD && state_of(&c) != DRILL_STATUS_EVALUATED)
        return fail(&c, drill__error(DRILL_ESTATE, "drill '%s' is %s: findings are recorded once it is held", drill_id,
                                     drill_status_name(state_of(&c))));
    if (DRILL__VEC_RESERVE(c.t->actions, c.t->cap, c.t->nactions + 1))
        return fail(&c, drill__error(DRILL_ENOMEM, "out of memory adding an action"));
    int failed = 0;
    action_rec a = { dup_or_null(action->finding, &failed), dup_or_null(action->capability, &failed),
                     dup_or_null(action->action, &failed), dup_or_null(action->owner, &failed),
                     drill__serial(action->due.year, action->due.month, action->due.day),
                     action->status >= DRILL_ACTION_DONE
                         ? drill__serial(action->closed.year, action->closed.month, action->closed.day)
                         : -1,
                     (uint8_t)action->status };
    if (failed) {
        action_clear(&a);
        return fail(&c, drill__error(DRILL_ENOMEM, "out of memory adding an action"));
    }
    c.t->actions[c.t->nactions++] = a;
    size_t number = c.t->nactions;
    char field[32], value[600];
    snprintf(field, sizeof field, "action %zu", number);
    drill__format(value, sizeof value, "%s: %s (%s)", drill_action_status_name(action->status), action->action,
                  action->owner);
    rc = commit(&c, drill_id, actor, field, "", value, reason);
    if (rc == 0 && out_number)
        *out_number = number;
    return rc;
}

int drill_track_set_action(drill_plan *plan, const char *drill_id, size_t number, drill_action_status status,
                           drill_date when, const char *actor, const char *reason)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    DRILL_CHECK_NULL(actor);
    if ((unsigned)status > DRILL_ACTION_WAIVED)
        return drill__error(DRILL_EINVAL, "unknown action status %d", (int)status);
    int rc = status >= DRILL_ACTION_DONE ? drill_date_check(when) : 0;
    if (rc)
        return rc;
    change c;
    if ((rc = begin(&c, plan, drill_id, actor, reason)))
        return fail(&c, rc);
    if (number < 1 || number > c.t->nactions)
        return fail(&c, drill__error(DRILL_ENOTFOUND, "drill '%s' has no action %zu", drill_id, number));
    if (state_of(&c) == DRILL_STATUS_CLOSED)
        return fail(&c, drill__error(DRILL_ESTATE, "drill '%s' is closed", drill_id));
    action_rec *a = &c.t->actions[number - 1];
    if (a->status == DRILL_ACTION_VERIFIED && status != DRILL_ACTION_VERIFIED)
        return fail(&c, drill__error(DRILL_ESTATE, "action %zu of '%s' is verified and cannot become %s", number,
                                     drill_id, drill_action_status_name(status)));
    drill_action_status old = (drill_action_status)a->status;
    a->status = (uint8_t)status;
    a->closed = status >= DRILL_ACTION_DONE ? drill__serial(when.year, when.month, when.day) : -1;
    char field[32], value[64];
    snprintf(field, sizeof field, "action %zu", number);
    if (status >= DRILL_ACTION_DONE) {
        char date[DRILL_DATE_STRLEN];
        drill_date_format(date, sizeof date, when);
        snprintf(value, sizeof value, "%s %s", drill_action_status_name(status), date);
    } else {
        snprintf(value, sizeof value, "%s", drill_action_status_name(status));
    }
    return commit(&c, drill_id, actor, field, drill_action_status_name(old), value, reason);
}

int drill_track_close(drill_plan *plan, const char *drill_id, const char *actor, const char *reason)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    DRILL_CHECK_NULL(actor);
    change c;
    int rc = begin(&c, plan, drill_id, actor, reason);
    if (rc)
        return fail(&c, rc);
    if (state_of(&c) != DRILL_STATUS_EVALUATED)
        return state_error(&c, drill_id, DRILL_STATUS_CLOSED);
    for (size_t i = 0; i < c.t->nactions; i++)
        if (c.t->actions[i].status < DRILL_ACTION_DONE)
            return fail(&c, drill__error(DRILL_ESTATE, "drill '%s' cannot close: action %zu (%s) is %s", drill_id, i + 1,
                                         c.t->actions[i].action,
                                         drill_action_status_name((drill_action_status)c.t->actions[i].status)));
    set_state(plan, c.index, DRILL_STATUS_CLOSED, c.t);
    return commit(&c, drill_id, actor, "state", drill_status_name(DRILL_STATUS_EVALUATED),
                  drill_status_name(DRILL_STATUS_CLOSED), reason);
}

int drill_track_cancel(drill_plan *plan, const char *drill_id, const char *actor, const char *reason)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    DRILL_CHECK_NULL(actor);
    if (!reason || !*reason)
        return drill__error(DRILL_EINVAL, "cancelling a drill needs a reason");
    change c;
    int rc = begin(&c, plan, drill_id, actor, reason);
    if (rc)
        return fail(&c, rc);
    if (state_of(&c) > DRILL_STATUS_SCHEDULED)
        return state_error(&c, drill_id, DRILL_STATUS_CANCELLED);
    char *r = drill__strdup(reason);
    if (!r)
        return fail(&c, drill__error(DRILL_ENOMEM, "out of memory cancelling a drill"));
    free(c.t->cancel_reason);
    c.t->cancel_reason = r;
    drill_status old = state_of(&c);
    set_state(plan, c.index, DRILL_STATUS_CANCELLED, c.t);
    return commit(&c, drill_id, actor, "state", drill_status_name(old), drill_status_name(DRILL_STATUS_CANCELLED),
                  reason);
}

int drill_track_reinstate(drill_plan *plan, const char *drill_id, const char *actor, const char *reason)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    DRILL_CHECK_NULL(actor);
    change c;
    int rc = begin(&c, plan, drill_id, actor, reason);
    if (rc)
        return fail(&c, rc);
    if (state_of(&c) != DRILL_STATUS_CANCELLED)
        return state_error(&c, drill_id, DRILL_STATUS_PLANNED);
    free(c.t->cancel_reason);
    c.t->cancel_reason = NULL;
    set_state(plan, c.index, DRILL_STATUS_PLANNED, c.t);
    return commit(&c, drill_id, actor, "state", drill_status_name(DRILL_STATUS_CANCELLED),
                  drill_status_name(DRILL_STATUS_PLANNED), reason);
}

int drill_track_reschedule(drill_plan *plan, const char *drill_id, drill_date day, const char *actor,
                           const char *reason)
{
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    DRILL_CHECK_NULL(actor);
    int rc = drill_date_check(day);
    if (rc)
        return rc;
    change c;
    if ((rc = begin(&c, plan, drill_id, actor, reason)))
        return fail(&c, rc);
    drill_rec *d = &plan->drills[c.index];
    if (state_of(&c) > DRILL_STATUS_SCHEDULED)
        return state_error(&c, drill_id, DRILL_STATUS_SCHEDULED);
    int s = drill__serial(day.year, day.month, day.day) - plan->y0;
    if ((rc = drill__plan_day_ok(plan, (size_t)c.index, s)))
        return fail(&c, rc);
    char old[DRILL_DATE_STRLEN] = "", now[DRILL_DATE_STRLEN];
    if (d->day >= 0) {
        drill_date o;
        drill__from_serial(plan->y0 + d->day, &o);
        drill_date_format(old, sizeof old, o);
    }
    drill_date_format(now, sizeof now, day);
    d->day = (int16_t)s;
    d->status = DRILL_STATUS_SCHEDULED;
    d->reason = DRILL_REASON_NONE;
    if ((rc = drill__plan_follow_rolling(plan, (size_t)c.index, 1)))
        return fail(&c, rc);
    return commit(&c, drill_id, actor, "schedule", old, now, reason);
}

/* ---- reading ---- */

static void action_out(drill_action *out, const action_rec *a)
{
    drill_date due, closed = { 0, 0, 0 };
    drill__from_serial(a->due, &due);
    if (a->closed >= 0)
        drill__from_serial(a->closed, &closed);
    *out = (drill_action){ DRILL_ACTION_VERSION, a->finding, a->capability ? a->capability : "", a->action, a->owner,
                           due, (drill_action_status)a->status, closed };
}

int drill_track_get(drill_track_info *out_caller, const drill_plan *plan, const char *drill_id)
{
    DRILL__OUT_BEGIN(out, drill_track_info);
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    long k = drill__plan_index(plan, drill_id);
    const track_rec *t = find_track(plan, drill_id);
    if (k < 0 && !t)
        return drill__error(DRILL_ENOTFOUND, "no drill '%s' in the %d plan", drill_id, plan->year);
    /* the plan's state; a drill no longer required keeps a state that is a
     * fact (plan.c), and was neither planned nor scheduled otherwise */
    int gone = k < 0 ? drill__plan_gone_status(plan, drill_id) : -1;
    out->status = k >= 0 ? (drill_status)plan->drills[k].status
                         : gone >= 0 ? (drill_status)gone : DRILL_STATUS_PLANNED;
    out->has_outcome = t && t->has_outcome;
    out->cancel_reason = t && t->cancel_reason ? t->cancel_reason : "";
    for (size_t i = 0; t && i < t->nactions; i++) {
        out->actions++;
        out->open_actions += t->actions[i].status < DRILL_ACTION_DONE;
    }
    return DRILL__OUT_END(out, drill_track_info);
}

int drill_track_outcome(drill_outcome *out, const drill_plan *plan, const char *drill_id)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    int rc = drill__out_check(out, &drill__abi_drill_outcome);
    if (rc)
        return rc;
    const track_rec *t = find_track(plan, drill_id);
    if (!t && drill__plan_index(plan, drill_id) < 0)
        return drill__error(DRILL_ENOTFOUND, "no drill '%s' in the %d plan", drill_id, plan->year);
    if (!t || !t->has_outcome)
        return drill__error(DRILL_ENODATA, "drill '%s' has no outcome: it was not held", drill_id);
    drill_outcome o = t->outcome;
    o.observers = o.observers ? o.observers : "";
    o.notes = o.notes ? o.notes : "";
    return drill__out_fill(out, &o, &drill__abi_drill_outcome);
}

int drill_track_action(drill_action *out, const drill_plan *plan, const char *drill_id, size_t number)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    DRILL_CHECK_NULL(drill_id);
    int rc = drill__out_check(out, &drill__abi_drill_action);
    if (rc)
        return rc;
    const track_rec *t = find_track(plan, drill_id);
    if (!t || number < 1 || number > t->nactions)
        return drill__error(DRILL_ENOTFOUND, "drill '%s' has no action %zu", drill_id, number);
    drill_action a = DRILL_ACTION_INIT;
    action_out(&a, &t->actions[number - 1]);
    return drill__out_fill(out, &a, &drill__abi_drill_action);
}

size_t drill_audit_count(const drill_plan *plan)
{
    return plan ? plan->naudit : 0;
}

int drill_audit_get(drill_audit_entry *out, const drill_plan *plan, size_t index)
{
    DRILL_CHECK_NULL(out);
    DRILL_CHECK_NULL(plan);
    int rc = drill__out_check(out, &drill__abi_drill_audit_entry);
    if (rc)
        return rc;
    if (index >= plan->naudit)
        return drill__error(DRILL_ENOTFOUND, "no audit entry %zu (the trail has %zu)", index, plan->naudit);
    const audit_rec *a = &plan->audit[index];
    drill_audit_entry e = { DRILL_AUDIT_ENTRY_VERSION, a->seq ? a->seq : index + 1, a->time, a->actor, a->drill_id,
                            a->field, a->old_value, a->new_value, a->reason };
    return drill__out_fill(out, &e, &drill__abi_drill_audit_entry);
}

/* ---- for the store ---- */

size_t drill__track_count(const drill_plan *p)
{
    return p->ntracks;
}

const char *drill__track_id(const drill_plan *p, size_t i)
{
    return p->tracks[i].id;
}

int drill__track_restore(drill_plan *p, const char *id, drill_status status, const drill_outcome *outcome,
                         const char *cancel_reason)
{
    if (outcome && check_outcome(outcome))
        return drill__error(DRILL_ECORRUPT, "the stored outcome of '%s' is invalid: %s", id,
                            drill_error_last()->message);
    /* the state is the plan's, which the drills table holds; a drill that
     * table does not (no longer required, saved whole) keeps it from here */
    int rc = 0, failed = 0;
    if (drill__plan_index(p, id) == -1 && drill__plan_gone_status(p, id) < 0 &&
        (rc = drill__plan_restore_drill(p, id, status,
                                        outcome ? drill__serial(outcome->date.year, outcome->date.month,
                                                                outcome->date.day)
                                                : -1,
                                        DRILL_REASON_NONE, 0)))
        return rc;
    track_rec *t = find_track(p, id);
    if (!t && (rc = add_track(p, id, &t)))
        return rc;
    if (outcome) {
        free((char *)t->outcome.observers);
        free((char *)t->outcome.notes);
        t->outcome = *outcome;
        t->outcome.observers = dup_or_null(outcome->observers, &failed);
        t->outcome.notes = dup_or_null(outcome->notes, &failed);
        t->has_outcome = 1;
    }
    free(t->cancel_reason);
    t->cancel_reason = dup_or_null(cancel_reason, &failed);
    return failed ? drill__error(DRILL_ENOMEM, "out of memory loading tracking") : 0;
}

int drill__track_restore_action(drill_plan *p, const char *id, const drill_action *action)
{
    if (check_action(action))
        return drill__error(DRILL_ECORRUPT, "a stored action of '%s' is invalid: %s", id, drill_error_last()->message);
    track_rec *t = find_track(p, id);
    if (!t)
        return drill__error(DRILL_ECORRUPT, "an action of '%s', which has no tracking record", id);
    if (DRILL__VEC_RESERVE(t->actions, t->cap, t->nactions + 1))
        return drill__error(DRILL_ENOMEM, "out of memory loading tracking");
    int failed = 0;
    action_rec a = { dup_or_null(action->finding, &failed), dup_or_null(action->capability, &failed),
                     dup_or_null(action->action, &failed), dup_or_null(action->owner, &failed),
                     drill__serial(action->due.year, action->due.month, action->due.day),
                     action->closed.year ? drill__serial(action->closed.year, action->closed.month, action->closed.day)
                                         : -1,
                     (uint8_t)action->status };
    if (failed) {
        action_clear(&a);
        return drill__error(DRILL_ENOMEM, "out of memory loading tracking");
    }
    t->actions[t->nactions++] = a;
    return 0;
}

int drill__audit_restore(drill_plan *p, const drill_audit_entry *e)
{
    if (!e->time || !e->actor || !e->drill_id || !e->field)
        return drill__error(DRILL_ECORRUPT, "the store holds an incomplete audit entry %zu", e->seq);
    int rc = append_audit(p, e->drill_id, e->actor, e->field, e->old_value, e->new_value, e->reason);
    if (rc == 0) {
        char *t = drill__strdup(e->time);
        if (!t) {
            audit_clear(&p->audit[--p->naudit]);
            return drill__error(DRILL_ENOMEM, "out of memory loading the audit trail");
        }
        free(p->audit[p->naudit - 1].time);
        p->audit[p->naudit - 1].time = t;
        p->audit[p->naudit - 1].seq = e->seq;
        track_rec *tr = find_track(p, e->drill_id);
        if (tr)
            tr->changed = t;
    }
    return rc;
}

void drill__track_clear_actions(drill_plan *p, const char *id)
{
    track_rec *t = find_track(p, id);
    for (size_t i = 0; t && i < t->nactions; i++)
        action_clear(&t->actions[i]);
    if (t)
        t->nactions = 0;
}

size_t drill__audit_seq(const drill_plan *p, size_t i)
{
    return p->audit[i].seq;
}

void drill__audit_set_seq(drill_plan *p, size_t i, size_t seq)
{
    p->audit[i].seq = seq;
}

void drill__audit_truncate(drill_plan *p, size_t n)
{
    while (p->naudit > n) {
        audit_rec *a = &p->audit[--p->naudit];
        for (size_t i = 0; i < p->ntracks; i++) /* its time may be a record's last change */
            if (p->tracks[i].changed == a->time)
                p->tracks[i].changed = NULL;
        audit_clear(a);
    }
}

const char *drill__track_changed(const drill_plan *p, const char *id)
{
    const track_rec *t = find_track(p, id);
    return t ? t->changed : NULL;
}

void drill__track_held_date(const drill_plan *p, const char *id, drill_date *out)
{
    const track_rec *t = find_track(p, id);
    if (t && t->has_outcome)
        *out = t->outcome.date;
}
