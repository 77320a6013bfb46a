/* The plan's layout, shared by plan.c (requirements), schedule.c (the
 * scheduler), validate.c (checks, quality), plan_query.c (queries), track.c
 * (tracking) and store.c (persistence); never installed. */
#ifndef DRILL_PLAN_INTERNAL_H
#define DRILL_PLAN_INTERNAL_H

#include <stdint.h>
#include "drill/plan.h"
#include "rule_internal.h"
#include "unit_internal.h"

enum { P_YEAR, P_H1, P_H2, P_R1, P_R2, P_BIENNIAL, P_M1, P_Q1 = P_M1 + 12, P_END = P_Q1 + 4 };

/* a requirement (unit, rule, period) met by another rule's drill, so that
 * no drill of its own is generated: the coverage report credits it */
typedef struct credit_rec {
    uint32_t drill; /* index of the drill that satisfies it */
    uint16_t rule;
    uint8_t period;
} credit_rec;

typedef struct drill_rec {
    uint32_t unit;
    uint16_t rule;
    uint8_t period;
    uint8_t reason;
    int16_t win_start, win_end; /* days of the year, both included; start > end: empty */
    int16_t day;                /* day of the year, -1 unplaced */
    uint8_t observer;           /* needs an observer */
    uint8_t status;             /* drill_status, its one copy: the scheduler plans and schedules,
                                   tracking (track.c) holds and later, cancels, reinstates;
                                   HELD and later are fixed, CANCELLED is never placed */
    uint16_t revision;          /* rises with every material change: the feed's SEQUENCE */
    uint16_t stored;            /* the revision the store held when the plan last read or wrote it
                                   (store.c): the base a written-through change is checked against */
    uint8_t flags;              /* DREC_* */
    uint8_t slot;               /* its start slot of the day (schedule.c): see drill__schedule_assign_slots() */
    int16_t cancelled_day;      /* a cancelled drill: the day it was on, -1 none (never booked; feeds keep it there) */
} drill_rec;

enum {
    DREC_MOVED = 1, /* the last schedule put it on a new day: never one on or before that schedule's today */
    DREC_KEPT = 2   /* while scheduling: kept on its day; only a drill that would stay unplaced moves it */
};

/* a drill the requirements no longer hold whose state is a fact (held,
 * evaluated, closed, cancelled): kept by id for its tracking record, and
 * carried back if it is required again (plan.c) */
typedef struct gone_rec {
    char *id;
    uint8_t status, reason;
    int16_t day, cancelled_day;
    uint16_t revision, stored;
} gone_rec;

typedef struct last_rec {
    uint32_t unit;
    char *rule;          /* rule id: rule indexes change at refresh */
    int planned, held;   /* serials of the last drill planned and held; -1 unknown */
} last_rec;

typedef struct closed_day {
    int32_t district; /* -1: every district */
    int16_t day;      /* day of the year */
} closed_day;

struct drill_plan {
    const drill_units *units;
    const drill_campaigns *campaigns;
    const drill_calendar *cal;
    const drill_rules *rules_src; /* the caller's rules, read at refresh */
    drill_rules *rules;           /* a private copy, taken at refresh */
    int year, y0, ndays, covered, allow_uncovered;
    char created[24];             /* UTC "YYYY-MM-DDTHH:MM:SSZ" the plan was made (or stored) */
    uint8_t working[366];
    drill_rec *drills;
    size_t count, cap;
    gone_rec *gone;       /* drills no longer required, their states facts */
    size_t ngone, gone_cap;
    uint32_t *unit_first; /* unit u's drills are unit_first[u] .. unit_first[u + 1] - 1 */
    /* each unit's district, as units had it at revision unit_district_rev
     * (drill__plan_unit_districts()) */
    uint32_t *unit_district;
    size_t unit_district_n;
    const drill_units *unit_district_of;
    unsigned long unit_district_rev;
    /* the observed drills of each district's day (district * 366 + day) as
     * they were when built, for giving one day its start slots
     * (drill__schedule_assign_day_slots()): kept while generation is
     * dayidx_gen and dayidx_ok; a drill a tracking change has put on a day
     * since is in dayidx_more, and one that has left a day is passed over */
    uint32_t *dayidx_first, *dayidx, *dayidx_more;
    size_t dayidx_more_n, dayidx_more_cap, dayidx_districts;
    unsigned long dayidx_gen, dayidx_rev; /* the plan's generation and the units' revision it was built at */
    int dayidx_ok;
    credit_rec *credits;  /* requirements met by another rule's drill, by drill */
    size_t ncredits;
    size_t nunits;
    last_rec *last;
    size_t nlast, last_cap;
    drill__map last_map; /* (unit, rule) -> index in last */
    closed_day *closed;
    size_t nclosed, closed_cap;
    int *capacity_override; /* per district, -1 = the schedule option */
    size_t ndistricts, capacity_override_cap;
    /* the last schedule */
    drill_schedule_options opts;
    int scheduled;
    drill_quality quality;
    /* tracking (track.c), freed by tracking_free, which track.c sets once it
     * keeps something here: the plan frees it without calling into tracking */
    void (*tracking_free)(drill_plan *plan);
    struct track_rec *tracks;
    size_t ntracks, tracks_cap;
    drill__map track_map; /* drill id -> index in tracks */
    struct audit_rec *audit;
    size_t naudit, audit_cap;
    /* a store's write-through journal (store.c), or NULL; journal_forget
     * tells the store the plan is going (freed, or attached elsewhere) */
    int (*journal)(void *ctx, const drill_plan *plan, const char *drill_id);
    void (*journal_forget)(void *ctx, const drill_plan *plan);
    void *journal_ctx;
    /* the store the plan was last read from or written to (its store_id),
     * "" if none; generation counts the changes of everything but tracking
     * (schedule, refresh, setters) and synced is its value at that moment,
     * so attaching a plan the store already holds costs nothing */
    char synced_store[40];
    unsigned long generation, synced;
    size_t audit_seen; /* the store's audit entries up to this seq are in the plan's trail */
    int partial;       /* one unit's part of a stored plan (drill_store_load_unit()): never saved whole */
    int stale;         /* its store dropped changes it kept (drill_store_rollback()): never saved or attached */
};


/* plan.c */
/* a period's suffix in drill ids: "", "H1", ..., "M01", ..., "Q4" */
const char *drill__period_suffix(int period);
/* the index of the drill with this id, -1 if there is none, -2 if the id is
 * not UNIT/RULE/PERIOD (no error recorded) */
long drill__plan_index(const drill_plan *p, const char *id);
/* 0 if day (of the year) is a feasible day for drill i given the other
 * drills as they are, else DRILL_ERANGE saying which constraint fails */
int drill__plan_day_ok(const drill_plan *p, size_t i, int day);

/* the state of a drill the plan no longer holds (drill__plan_index() < 0)
 * but kept because it is a fact, -1 if there is none */
int drill__plan_gone_status(const drill_plan *p, const char *id);

/* putting a stored plan back: each drill's state, then the options; the
 * state of a drill the plan no longer holds is kept if it is a fact */
int drill__plan_restore_drill(drill_plan *p, const char *id, int status, int serial, int reason, int revision);
int drill__plan_restore_done(drill_plan *p, const drill_schedule_options *o, int scheduled);

/* track.c: the tracked drills (saving), and putting records back (loading) */
size_t drill__track_count(const drill_plan *p);
const char *drill__track_id(const drill_plan *p, size_t i);
/* status: the tracks table's; the plan's state (the drills table's) is the
 * one kept, and this one only for a drill the plan neither holds nor keeps */
int drill__track_restore(drill_plan *p, const char *id, drill_status status, const drill_outcome *outcome,
                         const char *cancel_reason);
int drill__track_restore_action(drill_plan *p, const char *id, const drill_action *a);
int drill__audit_restore(drill_plan *p, const drill_audit_entry *e);
/* a drill's actions go (before the store's are put back) */
void drill__track_clear_actions(drill_plan *p, const char *id);
/* the store's sequence number of audit entry i (0: not in a store yet),
 * and setting it once the store has the entry */
size_t drill__audit_seq(const drill_plan *p, size_t i);
void drill__audit_set_seq(drill_plan *p, size_t i, size_t seq);
/* the plan's trail from entry n on goes (replaced by the store's entries) */
void drill__audit_truncate(drill_plan *p, size_t n);
/* the time of a drill's last tracked change, or NULL */
const char *drill__track_changed(const drill_plan *p, const char *id);
/* the day a tracked drill was held */
void drill__track_held_date(const drill_plan *p, const char *id, drill_date *out);
/* plan.c: after drill i moved (by hand), the start slots of its new day
 * are given again, and if it is a first rolling drill the window of the
 * second follows; strict: fail with DRILL_ERANGE if the second's day no
 * longer fits, else unplace it */
int drill__plan_follow_rolling(drill_plan *p, size_t i, int strict);

/* plan.c: the plan's parts the scheduler and the checks use */
/* the day-by-day working calendar of the year */
int drill__plan_load_year(drill_plan *p);
/* one capacity override per district of the units */
int drill__plan_sync_districts(drill_plan *p);
/* the requirements made afresh from units x rules, days carried over */
int drill__plan_rebuild(drill_plan *p);
/* R2's window from where R1 (the drill just before it) was placed */
void drill__plan_rolling_window(drill_plan *p, drill_rec *r2);
/* is day closed for the district (or for every district)? */
int drill__plan_is_closed(const drill_plan *p, uint32_t district, int day);

/* schedule.c: the options with their defaults filled in (in NULL: the defaults) */
int drill__schedule_check_options(drill_schedule_options *o, const drill_schedule_options *in);
/* does drill d need an observer under the plan's options? */
int drill__plan_needs_observer(const drill_plan *p, const drill_rec *d);

/* the day index of the options' today: -1 without one (or before the year), ndays after the year */
int drill__schedule_today(const drill_plan *p, const drill_schedule_options *o);
/* a district's observer capacity a day: its override, else the options' */
static inline int drill__plan_capacity(const drill_plan *p, uint32_t district)
{
    return p->capacity_override && district < p->ndistricts && p->capacity_override[district] >= 0
               ? p->capacity_override[district]
               : p->opts.capacity;
}
/* the start slots of a day under the last schedule's options (at least one) */
static inline int drill__plan_day_slots(const drill_plan *p)
{
    return p->opts.day_slots > 0 ? p->opts.day_slots : 1;
}
/* a district's observers in one start slot: its capacity a day spread over
 * the day's slots, rounded up (each observer attends one drill a slot) */
int drill__schedule_slot_cap(const drill_plan *p, uint32_t district);
/* a drill's preferred start slot, 0 .. day_slots - 1: a mix of the drill's
 * identity (unit and rule ids, period), the same in a plan of any units */
int drill__schedule_slot(const drill_plan *p, const drill_rec *d);
/* Every drill's start slot (drill_rec.slot): its preferred slot, except
 * that on a day of a district where more observed drills prefer one slot
 * than the district has observers for a slot, those with the highest
 * priority (a mix of their identity) keep it and the others take the next
 * slot with room. The same for the same drills on the same days, whatever
 * else the plan holds; a drill whose day's slots are not oversubscribed
 * starts at its preferred slot. Allocates nothing once the slots are
 * written: DRILL_ENOMEM before any is. */
int drill__schedule_assign_slots(drill_plan *p);
/* drill i's start slot from a start time a store keeps (one unit's part of a
 * plan takes the whole plan's assignment); a time that is no slot of its
 * kind leaves the slot as it is */
void drill__schedule_take_start(drill_plan *p, size_t i, int start_minute);
/* the same for the observed drills on one day of one district only (after
 * one drill was moved or held there by hand) */
int drill__schedule_assign_day_slots(drill_plan *p, size_t i);
/* plan.c: each of the plan's units' district (drill__unit_district()), in
 * one array kept while the units do not change; NULL when out of memory */
const uint32_t *drill__plan_unit_districts(drill_plan *p);

/* validate.c: the counts of a quality report from the drills as they stand now */
void drill__plan_count_quality(const drill_plan *p, drill_quality *q);
/* every district's busiest-day lower bound: for every interval of days, the
 * drills that must fall inside it over its open working days, rounded up;
 * over every drill to place (observed_only: every observer-attended one, the
 * load the observer capacity constrains), held and overdue drills on their
 * days, days on or before today (a day index, -1 none) left out; out has
 * ndistricts entries */
int drill__plan_bounds(int *out, const drill_plan *p, int today, int observed_only);

static inline const drill_rule *drill__plan_rule_of(const drill_plan *p, const drill_rec *d)
{
    return &p->rules->items[d->rule].r;
}

static inline const unit_rec *drill__plan_unit_of(const drill_plan *p, const drill_rec *d)
{
    return &p->units->units[d->unit];
}

#endif
