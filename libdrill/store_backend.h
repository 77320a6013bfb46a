/* The storage interface: everything store.c needs from a database, and the
 * only place a database is named. store_sqlite.c implements it with SQLite
 * and holds every SQL statement of the library; a PostgreSQL backend (the
 * server Debian ships) implements the same table of functions with the
 * same statements in its dialect, and nothing else changes.
 *
 * Statements are named by drill__stmt; each takes its parameters as an
 * array of drill__value in the order its comment gives, and a query
 * delivers each row to a callback as an array of values in the order of
 * its columns. Dates are "YYYY-MM-DD" text, times UTC ISO 8601 text.
 *
 * Every function returns 0 or a DRILL_E* code with drill_error_last() set:
 * DRILL_EIO for a failing disk or database, DRILL_ECORRUPT for a damaged or
 * foreign file, DRILL_EVERSION for a store written by a newer libdrill. */
#ifndef DRILL_STORE_BACKEND_H
#define DRILL_STORE_BACKEND_H

#include <stddef.h>

typedef enum drill__type { DRILL__NULL, DRILL__INT, DRILL__TEXT } drill__type;

typedef struct drill__value {
    drill__type type;
    long long i;   /* DRILL__INT */
    const char *s; /* DRILL__TEXT; borrowed for the call (or the callback) */
} drill__value;

/* Registries (classes, units, blackouts, rules, campaigns, holidays,
 * covered years) are kept under a scope, the plan_year leading each row:
 * a plan's year for the registries that plan was made from, or
 * DRILL__SCOPE_WORKING for the working registries a store keeps between
 * plans (drill_store_save_registries()). Each scope has its row in plans;
 * the working scope's row carries only the calendar policy and the time it
 * was saved, and is never listed as a plan. */
#define DRILL__SCOPE_WORKING 0

/* The number an audit entry reads as while the store holds it unnumbered
 * (PostgreSQL numbers a tracking change's entry just after the change
 * commits): DRILL__SEQ_PENDING plus the entry's id, after every numbered
 * entry, and never among the entries after N (STMT_SELECT_AUDIT_SINCE) or
 * the last one (STMT_SELECT_AUDIT_LAST). A plan holding it reads it again,
 * numbered, when it catches up (drill_store_refresh()). */
#define DRILL__SEQ_PENDING (1LL << 62)

typedef enum drill__stmt {
    /* one scope: STMT_CLEAR_PLAN deletes its plans row and everything
     * under it (registries included), then the row and its registries
     * (each row led by the scope) are inserted */
    STMT_CLEAR_PLAN,      /* year */
    STMT_INSERT_CLASS,    /* plan_year, id, name, name_en, flags, scenario */
    STMT_INSERT_UNIT,     /* plan_year, seq, id, name, area, class, address, contact, phone, headcount, risk,
                             flood_prone, key_fire */
    STMT_INSERT_BLACKOUT, /* plan_year, unit_id, from, to */
    STMT_INSERT_BREAK,    /* plan_year, seq, class, yearly, from, to, name (yearly: MM-DD) */
    STMT_INSERT_RULE,     /* plan_year, seq, id, name, name_en, source, classes, class_flags, area, min_risk,
                             flood_prone, key_fire, kind, form, scenario, frequency, campaign, due_from,
                             satisfied_by_kinds, satisfied_by_scenarios */
    STMT_INSERT_CAMPAIGN, /* plan_year, seq, id, name, name_en, source, rule, month, day, end_month, end_day, nth,
                             weekday, length_days, align_weekday, base, start_offset, end_offset, first_year,
                             last_year, estimated */
    STMT_INSERT_CAMPAIGN_YEAR, /* plan_year, campaign_id, year, start, end */
    STMT_INSERT_HOLIDAY,  /* plan_year, date, kind, name, name_en, year */
    STMT_INSERT_COVERED,  /* plan_year, year */
    STMT_SET_META,        /* key, value */
    STMT_INSERT_PLAN,     /* year, allow_uncovered, policy, capacity, spacing, observer_min_risk,
                             observe_comprehensive, start1, start2, start3, duration1, duration2, duration3,
                             tabletop, scheduled, created, today, day_slots, slot_minutes, avoid_after_breaks,
                             campaign_min_days, campaign_widen_days */
    STMT_INSERT_CAPACITY, /* year, district, capacity */
    STMT_INSERT_CLOSED,   /* year, district (NULL: all), date */
    STMT_INSERT_HISTORY,  /* year, unit_id, rule_id, planned, held */
    STMT_INSERT_DRILL,    /* id, year, status, date, reason, revision, unit_id, rule_id, and its groups
                             campaign, district, class, tier (drill__report_group()), win_end (NULL: an
                             empty window), credits (the other groups it is counted in as meeting
                             another rule: "BY\x1fGROUP" entries, each ended by \x1e), win_start (NULL: an
                             empty window), start_minute, duration, observer (drill_item's) */
    STMT_INSERT_COUNT,    /* year, grouping, group, status, win_end ("" for none), credit, ord, n: the
                             drills of the year by group, state and window end (credit 1: counted as
                             meeting another rule, not in the total); ord orders the groups */
    STMT_ADD_COUNT,       /* year, grouping, group, status, win_end, credit, delta: one drill moved in or out */
    STMT_MOVE_COUNT,      /* year, grouping, group, credit, win_end, old status, new status: one drill of the
                             counter changes state and keeps its window end; 0 changes: the backend has no
                             row holding both to move it within (the caller adds and takes away instead) */
    STMT_SET_COUNTED,     /* year: the plan's counts are kept (saved whole by this libdrill) */
    STMT_UPSERT_TRACK,    /* drill_id, year, status, has_outcome, date, start, end, kind, form, participants,
                             non_participants, observers, evacuation, evacuation_target, headcount,
                             headcount_target, score, notes, cancel_reason */
    STMT_CLEAR_ACTIONS,   /* drill_id */
    STMT_INSERT_ACTION,   /* drill_id, number, finding, capability, action, owner, due, status, closed */
    STMT_INSERT_AUDIT,    /* seq, year, time, actor, drill_id, field, old_value, new_value, reason */
    STMT_UPDATE_DRILL,    /* id, status, date, reason, revision, base, win_end, win_start, start_minute,
                             duration: only while its revision is base */
    STMT_UPDATE_DRILL_SAME_DAY, /* the same, for a drill whose date (the third value) is the one stored:
                             a backend may leave the index of days alone (0 changes: the caller
                             writes it with STMT_UPDATE_DRILL) */
    STMT_APPEND_AUDIT,    /* year, time, actor, drill_id, field, old_value, new_value, reason -> seq: the
                             next number of the year's trail, taken in the writing transaction */
    /* reading */
    STMT_GET_META,        /* key -> value */
    STMT_SELECT_CLASSES,  /* plan_year -> id, name, name_en, flags, scenario */
    STMT_SELECT_UNITS,    /* plan_year -> id, name, area, class, address, contact, phone, headcount, risk,
                             flood_prone, key_fire */
    STMT_SELECT_BLACKOUTS,/* plan_year -> unit_id, from, to */
    STMT_SELECT_BREAKS,   /* plan_year -> class, yearly, from, to, name */
    STMT_SELECT_RULES,    /* plan_year -> the STMT_INSERT_RULE columns from id on */
    STMT_SELECT_CAMPAIGNS,/* plan_year -> the STMT_INSERT_CAMPAIGN columns from id on */
    STMT_SELECT_CAMPAIGN_YEARS, /* plan_year -> campaign_id, year, start, end */
    STMT_SELECT_HOLIDAYS, /* plan_year -> date, kind, name, name_en, year */
    STMT_SELECT_COVERED,  /* plan_year -> year */
    STMT_SELECT_PLAN,     /* year -> the STMT_INSERT_PLAN columns from allow_uncovered on */
    STMT_SELECT_PLANS,    /* DRILL__SCOPE_WORKING -> year of every plan */
    STMT_SELECT_CAPACITY, /* year -> district, capacity */
    STMT_SELECT_CLOSED,   /* year -> district, date */
    STMT_SELECT_HISTORY,  /* year -> unit_id, rule_id, planned, held */
    STMT_SELECT_DRILLS,   /* year -> id, status, date, reason, revision, start_minute */
    STMT_SELECT_TRACKS,   /* year -> the STMT_UPSERT_TRACK columns except year */
    STMT_SELECT_ACTIONS,  /* year -> drill_id, number, finding, capability, action, owner, due, status, closed */
    STMT_SELECT_AUDIT,    /* year -> seq, time, actor, drill_id, field, old_value, new_value, reason */
    /* one drill, and what changed since */
    STMT_SELECT_DRILL,    /* id -> id, status, date, reason, revision, year, campaign, district, class, tier,
                             rule_id, win_end, credits */
    STMT_GET_COUNTED,     /* year -> counted (1: the counts are kept) */
    STMT_SELECT_COUNTS,   /* year, grouping -> group, status, win_end, n, credit, by the groups' ord */
    STMT_SELECT_OVERDUE,  /* year, today -> unit_id, unit_name, district, id, rule_id, win_end, status, date,
                             reason: the drills planned or scheduled whose window ended before today, in the
                             plan's order (the units', then the rules', then the period's) */
    STMT_SELECT_TRACK,    /* id -> the STMT_SELECT_TRACKS columns */
    STMT_SELECT_DRILL_ACTIONS, /* id -> the STMT_SELECT_ACTIONS columns */
    STMT_SELECT_DRILL_AUDIT, /* id -> the STMT_SELECT_AUDIT columns, by seq */
    STMT_SELECT_AUDIT_SINCE, /* year, seq -> the STMT_SELECT_AUDIT columns of the entries after seq */
    STMT_SELECT_AUDIT_LAST, /* year -> the number of the year's last audit entry (0: none) */
    /* one unit's part of a plan: its registry rows, and the drills, tracking
     * and audit entries whose ids lie in [lo, hi) (the ids "UNIT/..." sort
     * there, byte by byte: "UNIT/" and "UNIT0") */
    STMT_SELECT_UNIT,     /* plan_year, id -> the STMT_SELECT_UNITS columns */
    STMT_SELECT_UNIT_BLACKOUTS, /* plan_year, unit_id -> unit_id, from, to */
    STMT_SELECT_UNIT_HISTORY, /* year, unit_id -> unit_id, rule_id, planned, held */
    STMT_SELECT_RANGE_DRILLS, /* year, lo, hi -> the STMT_SELECT_DRILLS columns */
    STMT_SELECT_RANGE_TRACKS, /* year, lo, hi -> the STMT_SELECT_TRACKS columns */
    STMT_SELECT_RANGE_ACTIONS, /* lo, hi -> the STMT_SELECT_ACTIONS columns */
    STMT_SELECT_RANGE_AUDIT, /* year, lo, hi -> the STMT_SELECT_AUDIT columns, by seq */
    /* lists and reports straight from the store, in the plan's order (the
     * units', then the rules', then the period's) */
    STMT_LIST_DRILLS,     /* year, district, campaign, rule_id, statuses (a mask of 1 << status, 0: any), from,
                             to (NULL: any day) -> id, unit_id, unit_name, district, campaign, rule_id, status,
                             date, reason, win_start, win_end, revision, start_minute, duration, kind, form,
                             scenario, observer */
    STMT_LIST_UNIT_DRILLS, /* the same, then lo, hi: the ids of one unit (see STMT_SELECT_RANGE_DRILLS) */
    STMT_SELECT_REMINDERS, /* year, today, last day due -> type (0 due, 1 overdue, 2 action overdue), date,
                             id, unit_id, unit_name, district, contact, phone, kind, scenario, rule_id,
                             action number, action, owner */
    STMT_SELECT_YEAR_ACTIONS, /* year -> drill_id, unit_id, number, finding, capability, action, owner, due,
                             status, closed: the actions of the year's held drills */
    STMT_COUNT
} drill__stmt;

typedef int (*drill__row_fn)(void *ctx, const drill__value *cols, size_t n);

typedef struct drill__backend {
    const char *name;
    /* open or create the store at path, migrated to the current schema */
    int (*open)(void **db, const char *path, int read_only);
    void (*close)(void *db);
    int (*begin)(void *db); /* a writing transaction, serialised with other writers */
    int (*commit)(void *db);
    void (*rollback)(void *db);
    /* a reading transaction: every query until end_read sees one state of the store */
    int (*begin_read)(void *db);
    void (*end_read)(void *db);
    /* run a statement; *out_changes (if not NULL) receives the rows it changed */
    int (*exec)(void *db, drill__stmt stmt, const drill__value *params, size_t n, int *out_changes);
    int (*query)(void *db, drill__stmt stmt, const drill__value *params, size_t n, drill__row_fn row, void *ctx);
    int (*schema_version)(void *db, int *out);
    /* a full consistency check of the file: 1 if sound */
    int (*check)(void *db, int *out_ok, char *detail, size_t size);
    /* a writing transaction's last statement, its rows delivered, then the
     * commit: query() and commit() in one, so that a backend may send both
     * at once (PostgreSQL: one pipeline, the year's audit numbering held
     * for the commit only, not for a round trip to the client). On failure
     * the caller rolls back, as after a failed query() or commit(); row
     * must not fail (the commit may have happened when it is called). */
    int (*query_commit)(void *db, drill__stmt stmt, const drill__value *params, size_t n, drill__row_fn row,
                        void *ctx);
} drill__backend;

extern const drill__backend drill__sqlite_backend;
extern const drill__backend drill__pg_backend;

/* store_pg.c: 1 if a store's name is a PostgreSQL URI (postgresql://,
 * postgres://) or conninfo ("keyword=value ..."); anything else is a file */
int drill__pg_is_conninfo(const char *name);
/* the name with any password replaced by ***, NUL-terminated in out; -1
 * (and a placeholder) if it does not fit */
int drill__pg_mask(char *out, size_t size, const char *name);

#endif
