/* The plan's layout, shared by plan.c (requirements, scheduler), track.c
 * (tracking) and store.c (persistence); never installed. */
#ifndef DRILL_PLAN_INTERNAL_H
#define DRILL_PLAN_INTERNAL_H

#include <stdint.h>
#include "drill/plan.h"

enum { P_YEAR, P_H1, P_H2, P_R1, P_R2, P_BIENNIAL };

typedef struct drill_rec {
    uint32_t unit;
    uint16_t rule;
    uint8_t period;
    uint8_t reason;
    int16_t win_start, win_end; /* days of the year, both included; start > end: empty */
    int16_t day;                /* day of the year, -1 unplaced */
    uint8_t observer;           /* needs an observer */
    uint8_t status;             /* drill_status: HELD and later are fixed, CANCELLED is never placed */
    uint16_t revision;          /* rises with every material change: the feed's SEQUENCE */
    int16_t cancelled_day;      /* a cancelled drill: the day it was on, -1 none (never booked; feeds keep it there) */
} drill_rec;

typedef struct last_rec {
    uint32_t unit;
    char *rule;          /* rule id: rule indexes change at refresh */
    int planned, held;   /* serials of the last drill planned and held; -1 unknown */
} last_rec;

typedef struct closed_day {
    int32_t district; /* -1: every district */
    int16_t day;      /* day of the year */
} closed_day;

#define TREE_LEAVES 512 /* >= 366 days */
#define INF 0xFFFFFFFFu

typedef struct district_load {
    uint32_t total[TREE_LEAVES], observed[TREE_LEAVES];
    uint8_t open[TREE_LEAVES]; /* a working day not closed for the district */
    uint32_t all[2 * TREE_LEAVES], obs[2 * TREE_LEAVES]; /* min-trees; leaves at TREE_LEAVES + day */
    int capacity;
} district_load;

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
    uint32_t *unit_first; /* unit u's drills are unit_first[u] .. unit_first[u + 1] - 1 */
    size_t nunits;
    last_rec *last;
    size_t nlast, last_cap;
    uint32_t *last_slots; /* open addressing over last: 1 + index, 0 empty */
    size_t last_slots_cap;
    closed_day *closed;
    size_t nclosed, closed_cap;
    int *capacity_override; /* per district, -1 = the schedule option */
    size_t ndistricts;
    /* the last schedule */
    drill_schedule_options opts;
    int scheduled;
    drill_quality quality;
    /* tracking (track.c) */
    struct track_rec *tracks;
    size_t ntracks, tracks_cap;
    uint32_t *track_slots; /* open addressing by drill id: 1 + index, 0 empty */
    size_t track_slots_cap;
    struct audit_rec *audit;
    size_t naudit, audit_cap;
    /* a store's write-through journal (store.c), or NULL; journal_forget
     * tells the store the plan is going (freed, or attached elsewhere) */
    int (*journal)(void *ctx, const drill_plan *plan, const char *drill_id);
    void (*journal_forget)(void *ctx, const drill_plan *plan);
    void *journal_ctx;
};


/* plan.c */
/* the index of the drill with this id, -1 if there is none, -2 if the id is
 * not UNIT/RULE/PERIOD (no error recorded) */
long drill__plan_index(const drill_plan *p, const char *id);
/* 0 if day (of the year) is a feasible day for drill i given the other
 * drills as they are, else DRILL_ERANGE saying which constraint fails */
int drill__plan_day_ok(const drill_plan *p, size_t i, int day);

/* putting a stored plan back: each drill's state, then the options */
int drill__plan_restore_drill(drill_plan *p, const char *id, int status, int serial, int reason, int revision);
int drill__plan_restore_done(drill_plan *p, const drill_schedule_options *o, int scheduled);

/* track.c: the tracked drills (saving), and putting records back (loading) */
size_t drill__track_count(const drill_plan *p);
const char *drill__track_id(const drill_plan *p, size_t i);
int drill__track_restore(drill_plan *p, const char *id, drill_status status, const drill_outcome *outcome,
                         const char *cancel_reason);
int drill__track_restore_action(drill_plan *p, const char *id, const drill_action *a);
int drill__audit_restore(drill_plan *p, const drill_audit_entry *e);
/* re-apply tracked states after the requirements were rebuilt */
void drill__track_apply(drill_plan *p);
void drill__track_free(drill_plan *p);
/* the time of a drill's last tracked change, or NULL */
const char *drill__track_changed(const drill_plan *p, const char *id);
/* the day a tracked drill was held */
void drill__track_held_date(const drill_plan *p, const char *id, drill_date *out);
/* plan.c: after drill i (a first rolling drill) moved, the window of the
 * second follows; strict: fail with DRILL_ERANGE if the second's day no
 * longer fits, else unplace it */
int drill__plan_follow_rolling(drill_plan *p, size_t i, int strict);

#endif
