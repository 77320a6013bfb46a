/* The PostgreSQL backend of the store (libpq), for agencies that outgrow
 * one file: the same statements as store_sqlite.c in PostgreSQL's dialect.
 *
 * - Prepared statements only (PQprepare/PQexecPrepared, values bound as
 *   parameters, never spliced into SQL). Inside a write transaction the
 *   rows of the bulk inserts are gathered per table and sent with COPY
 *   (a million drills in one stream) before the next other statement, read
 *   or commit; a handful of rows go as prepared INSERTs instead.
 * - Inside a write transaction the statements whose answers nobody waits
 *   for go in libpq's pipeline mode with the next one that needs its
 *   answer: a tracking change is four round trips (BEGIN; its track, its
 *   locks and the drill read; the drill's update; the count changes, the
 *   audit entry unnumbered, COMMIT and the entry's numbering,
 *   db_query_commit()).
 * - Writes run in READ COMMITTED transactions, reads in REPEATABLE READ
 *   READ ONLY ones: everything a load reads is one state of the store.
 * - The schema version is meta's 'schema_version' row; migrations run in
 *   one transaction under an advisory lock, so two processes that open a
 *   new database at once do not race. A newer schema is DRILL_EVERSION, a
 *   schema (search_path) holding other tables DRILL_ECORRUPT.
 * - A server that cannot be reached is DRILL_EIO with libpq's message,
 *   after connect_timeout (10 s unless the conninfo, PGCONNECT_TIMEOUT or a
 *   service file says otherwise). A connection lost mid-transaction fails
 *   that operation (the server rolls it back); the next one reconnects.
 * - Messages name the store by its masked form: a password never appears.
 *   TLS, authentication, ~/.pgpass, PGSERVICE: whatever the conninfo and
 *   libpq's environment say. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "libpq_dl.h" /* libpq, loaded by the first server store opened */
#include "store_backend.h"
#include "vec.h"

#define SCHEMA_VERSION 11
/* pg_advisory_xact_lock key serialising schema creation and migration: "drill" */
#define MIGRATION_LOCK "6472696c6c"
/* the first key of the scopes' pg_advisory_xact_lock(int, int): "dril" */
#define SCOPE_LOCK "1685219692"
/* and of the years' audit numbering: "drim" */
#define AUDIT_LOCK "1685219693"

/* migrations[v] takes a database from version v - 1 to v: the SQLite
 * file's steps up to 9, each backend its own since (rid columns keep
 * insertion order where SQLite's rowid did, and every child key of a
 * cascading foreign key is indexed).
 * Text compares byte by byte (COLLATE "C"), as in SQLite: ids and ISO
 * dates sort the same on both, whatever the database's locale, and the
 * keys' indexes need no locale's rules. */
static const char *const migrations[SCHEMA_VERSION + 1] = {
    NULL,
    "CREATE TABLE meta(key text COLLATE \"C\" PRIMARY KEY, value text COLLATE \"C\" NOT NULL);"
    "CREATE TABLE plans(year bigint PRIMARY KEY, allow_uncovered bigint, policy bigint, capacity bigint, spacing"
    " bigint, observer_min_risk bigint, observe_comprehensive bigint, start1 bigint, start2 bigint, start3"
    " bigint, duration1 bigint, duration2 bigint, duration3 bigint, tabletop bigint, scheduled bigint);"
    "CREATE TABLE classes(plan_year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, id text COLLATE"
    " \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL, name_en text COLLATE \"C\", flags bigint NOT NULL,"
    " scenario text COLLATE \"C\" NOT NULL, rid bigserial, PRIMARY KEY(plan_year, id));"
    "CREATE TABLE units(plan_year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, seq bigint NOT NULL,"
    " id text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL, area text COLLATE \"C\" NOT NULL, class"
    " text COLLATE \"C\" NOT NULL, address text COLLATE \"C\", contact text COLLATE \"C\", phone text COLLATE"
    " \"C\", headcount bigint NOT NULL, risk bigint NOT NULL, flood_prone bigint NOT NULL, key_fire bigint NOT"
    " NULL, PRIMARY KEY(plan_year, id), FOREIGN KEY(plan_year, class) REFERENCES classes(plan_year, id)"
    " DEFERRABLE INITIALLY DEFERRED);"
    "CREATE TABLE blackouts(plan_year bigint NOT NULL, unit_id text COLLATE \"C\" NOT NULL, from_date text"
    " COLLATE \"C\" NOT NULL, to_date text COLLATE \"C\" NOT NULL, rid bigserial, FOREIGN KEY(plan_year,"
    " unit_id) REFERENCES units(plan_year, id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);"
    "CREATE TABLE rules(plan_year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, seq bigint NOT NULL,"
    " id text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL, name_en text COLLATE \"C\", source text"
    " COLLATE \"C\", classes text COLLATE \"C\", class_flags bigint, area text COLLATE \"C\", min_risk bigint,"
    " flood_prone bigint, key_fire bigint, kind bigint, form bigint, scenario text COLLATE \"C\", frequency"
    " bigint, campaign text COLLATE \"C\", due_from bigint, PRIMARY KEY(plan_year, id));"
    "CREATE TABLE campaigns(plan_year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, seq bigint NOT"
    " NULL, id text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL, name_en text COLLATE \"C\", source"
    " text COLLATE \"C\", rule bigint, month bigint, day bigint, end_month bigint, end_day bigint, nth bigint,"
    " weekday bigint, length_days bigint, align_weekday bigint, base text COLLATE \"C\", start_offset bigint,"
    " end_offset bigint, first_year bigint, last_year bigint, estimated bigint, PRIMARY KEY(plan_year, id));"
    "CREATE TABLE campaign_years(plan_year bigint NOT NULL, campaign_id text COLLATE \"C\" NOT NULL, year bigint"
    " NOT NULL, start text COLLATE \"C\" NOT NULL, \"end\" text COLLATE \"C\" NOT NULL, rid bigserial, FOREIGN"
    " KEY(plan_year, campaign_id) REFERENCES campaigns(plan_year, id) ON DELETE CASCADE DEFERRABLE INITIALLY"
    " DEFERRED);"
    "CREATE TABLE holidays(plan_year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, date text COLLATE"
    " \"C\" NOT NULL, kind bigint NOT NULL, name text COLLATE \"C\" NOT NULL, name_en text COLLATE \"C\", year"
    " bigint NOT NULL, PRIMARY KEY(plan_year, date));"
    "CREATE TABLE covered_years(plan_year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, year bigint"
    " NOT NULL, PRIMARY KEY(plan_year, year));"
    "CREATE TABLE plan_capacity(year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, district text"
    " COLLATE \"C\" NOT NULL, capacity bigint NOT NULL, rid bigserial);"
    "CREATE TABLE plan_closed(year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, district text"
    " COLLATE \"C\", date text COLLATE \"C\" NOT NULL, rid bigserial);"
    "CREATE TABLE plan_history(year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, unit_id text"
    " COLLATE \"C\" NOT NULL, rule_id text COLLATE \"C\" NOT NULL, planned text COLLATE \"C\", held text COLLATE"
    " \"C\", rid bigserial);"
    "CREATE TABLE drills(id text COLLATE \"C\" NOT NULL PRIMARY KEY, year bigint NOT NULL REFERENCES plans(year)"
    " ON DELETE CASCADE, status bigint NOT NULL, date text COLLATE \"C\", reason bigint NOT NULL);"
    "CREATE TABLE tracks(drill_id text COLLATE \"C\" NOT NULL PRIMARY KEY, year bigint NOT NULL REFERENCES"
    " plans(year) ON DELETE CASCADE, status bigint NOT NULL, has_outcome bigint NOT NULL, date text COLLATE"
    " \"C\", start_minute bigint, end_minute bigint, kind bigint, form bigint, participants bigint,"
    " non_participants bigint, observers text COLLATE \"C\", evacuation bigint, evacuation_target bigint,"
    " headcount bigint, headcount_target bigint, score bigint, notes text COLLATE \"C\", cancel_reason text"
    " COLLATE \"C\", rid bigserial);"
    "CREATE TABLE actions(drill_id text COLLATE \"C\" NOT NULL REFERENCES tracks(drill_id) ON DELETE CASCADE,"
    " number bigint NOT NULL, finding text COLLATE \"C\" NOT NULL, capability text COLLATE \"C\", action text"
    " COLLATE \"C\" NOT NULL, owner text COLLATE \"C\" NOT NULL, due text COLLATE \"C\" NOT NULL, status bigint"
    " NOT NULL, closed text COLLATE \"C\", PRIMARY KEY(drill_id, number));"
    "CREATE TABLE audit(seq bigint NOT NULL, year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, time"
    " text COLLATE \"C\" NOT NULL, actor text COLLATE \"C\" NOT NULL, drill_id text COLLATE \"C\" NOT NULL,"
    " field text COLLATE \"C\" NOT NULL, old_value text COLLATE \"C\", new_value text COLLATE \"C\", reason text"
    " COLLATE \"C\", PRIMARY KEY(year, seq));"
    "INSERT INTO meta VALUES('application', 'libdrill');",
    /* 2: look-ups by year and by drill (and the year keys that cascade) */
    "CREATE INDEX drills_year ON drills(year);"
    "CREATE INDEX tracks_year ON tracks(year);"
    "CREATE INDEX audit_drill ON audit(drill_id);"
    "CREATE INDEX plan_capacity_year ON plan_capacity(year);"
    "CREATE INDEX plan_closed_year ON plan_closed(year);"
    "CREATE INDEX plan_history_year ON plan_history(year);",
    /* 3: feeds need each drill's revision and the plan's creation time */
    "ALTER TABLE drills ADD COLUMN revision bigint NOT NULL DEFAULT 0;"
    "ALTER TABLE plans ADD COLUMN created text COLLATE \"C\";",
    /* 4: the child keys of the registries' foreign keys */
    "CREATE INDEX blackouts_unit ON blackouts(plan_year, unit_id);"
    "CREATE INDEX units_class ON units(plan_year, class);"
    "CREATE INDEX campaign_years_campaign ON campaign_years(plan_year, campaign_id);",
    /* 5: the store's identity (a plan knows which store it was read from), and
     * the tracking rows of one drill found without a scan */
    "INSERT INTO meta VALUES('store_id', replace(gen_random_uuid()::text, '-', '')) ON CONFLICT(key) DO NOTHING;"
    "CREATE INDEX IF NOT EXISTS actions_drill ON actions(drill_id, number);"
    "CREATE INDEX IF NOT EXISTS history_unit ON plan_history(year, unit_id);",
    /* 6: each drill's unit, rule and groups, and the year's counts by group,
     * state and window end, kept with every change */
    "ALTER TABLE drills ADD COLUMN unit_id text COLLATE \"C\", ADD COLUMN rule_id text COLLATE \"C\","
    " ADD COLUMN campaign text COLLATE \"C\", ADD COLUMN district text COLLATE \"C\","
    " ADD COLUMN class text COLLATE \"C\", ADD COLUMN tier text COLLATE \"C\", ADD COLUMN win_end text COLLATE \"C\","
    " ADD COLUMN credits text COLLATE \"C\";"
    "ALTER TABLE plans ADD COLUMN counted bigint NOT NULL DEFAULT 0, ADD COLUMN today text COLLATE \"C\","
    " ADD COLUMN day_slots bigint, ADD COLUMN slot_minutes bigint, ADD COLUMN avoid_after_breaks bigint;"
    "CREATE TABLE drill_counts(year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " \"grouping\" bigint NOT NULL, grp text COLLATE \"C\" NOT NULL, status bigint NOT NULL,"
    " win_end text COLLATE \"C\" NOT NULL, credit bigint NOT NULL, ord bigint NOT NULL, n bigint NOT NULL,"
    " PRIMARY KEY(year, \"grouping\", grp, status, win_end, credit));"
    "CREATE INDEX drills_due ON drills(year, status, win_end);"
    "CREATE INDEX drills_date ON drills(year, date);",
    /* 7: rules that one drill satisfies together (drill_rule version 2), and school breaks */
    "ALTER TABLE rules ADD COLUMN satisfied_by_kinds bigint NOT NULL DEFAULT 0,"
    " ADD COLUMN satisfied_by_scenarios text COLLATE \"C\";"
    "CREATE TABLE breaks(plan_year bigint NOT NULL REFERENCES plans(year) ON DELETE CASCADE, seq bigint NOT NULL,"
    " class text COLLATE \"C\" NOT NULL, yearly bigint NOT NULL, from_date text COLLATE \"C\" NOT NULL,"
    " to_date text COLLATE \"C\" NOT NULL, name text COLLATE \"C\" NOT NULL, PRIMARY KEY(plan_year, seq));",
    /* 8: each drill's window start, start time, duration and observer, for
     * lists straight from the store; a plan saved before has none of them,
     * so it is not counted (store reports and lists refuse it) until saved again */
    "ALTER TABLE drills ADD COLUMN win_start text COLLATE \"C\", ADD COLUMN start_minute bigint,"
    " ADD COLUMN duration bigint, ADD COLUMN observer bigint;"
    "UPDATE plans SET counted = 0;",
    /* 9: the campaign widening of the schedule options (version 3; NULL: the defaults) */
    "ALTER TABLE plans ADD COLUMN campaign_min_days bigint, ADD COLUMN campaign_widen_days bigint;",
    /* 10: writers of one year commit together. drills_year goes (drills_due
     * and drills_date lead with the year; a million-drill save kept four
     * indexes up). The counts are striped: each connection moves drills in
     * the rows of its own slot (the backend's pid modulo COUNT_SLOTS), so
     * two writers of a year meet on no counter row; a report sums the
     * slots. An audit entry of a tracking change is written unnumbered (seq
     * NULL, in the change's transaction) and numbered just after by a short
     * one under the year's audit lock (db_query_commit()): the changes'
     * commits share their WAL flushes, and the numbering stays gapless and
     * in order of visibility. */
    "DROP INDEX IF EXISTS drills_year;"
    "ALTER TABLE drill_counts ADD COLUMN slot bigint NOT NULL DEFAULT 0;"
    "ALTER TABLE drill_counts DROP CONSTRAINT drill_counts_pkey,"
    " ADD PRIMARY KEY(year, \"grouping\", grp, status, win_end, credit, slot);"
    "ALTER TABLE audit ADD COLUMN id bigserial;"
    "ALTER TABLE audit DROP CONSTRAINT audit_pkey, ALTER COLUMN seq DROP NOT NULL, ADD PRIMARY KEY(id);"
    "CREATE UNIQUE INDEX audit_seq ON audit(year, seq);"
    "CREATE INDEX audit_pending ON audit(year, id) WHERE seq IS NULL;"
    /* a million drills saved checked their year's plans row one by one (a
     * trigger each): the drills of a year go with their plan in
     * STMT_CLEAR_PLAN instead */
    "ALTER TABLE drills DROP CONSTRAINT IF EXISTS drills_year_fkey;",
    /* 11: the units of a plan (207,370 at ten times Dalian) checked their
     * plans row and their class one by one (two triggers each, 2.2 s of a
     * 10.6 s save), and every tracking change's audit entry, new tracking
     * row and new counter row checked the year's plans row, each taking a
     * share lock on that one row (concurrent writers' locks on it make
     * multixacts). The rows of a year go with their plan in
     * STMT_CLEAR_PLAN instead, a unit's class is checked by the load that
     * reads it, and drill_store_check() reports rows of a year with no
     * plan and units of a class their year lacks. units_class served the
     * class key's check when a class was deleted; actions_drill repeated
     * the actions' own key. */
    "ALTER TABLE units DROP CONSTRAINT IF EXISTS units_plan_year_fkey,"
    " DROP CONSTRAINT IF EXISTS units_plan_year_class_fkey;"
    "DROP INDEX IF EXISTS units_class;"
    "ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_year_fkey;"
    "ALTER TABLE audit DROP CONSTRAINT IF EXISTS audit_year_fkey;"
    "ALTER TABLE drill_counts DROP CONSTRAINT IF EXISTS drill_counts_year_fkey;"
    "DROP INDEX IF EXISTS actions_drill;",
};

/* the counter slots of drill_counts (migration 10) */
#define COUNT_SLOTS "64"
/* an audit entry's number as read: an unnumbered one's after every
 * numbered one (DRILL__SEQ_PENDING plus its id) */
#define PENDING_SEQ "coalesce(seq, 4611686018427387904 + id)"
_Static_assert(DRILL__SEQ_PENDING == 4611686018427387904LL, "PENDING_SEQ spells DRILL__SEQ_PENDING");

/* the bulk inserts: a table and its columns, sent as COPY or as a prepared INSERT */
typedef struct bulk {
    const char *table, *columns;
    int n;
} bulk;

static const bulk bulks[STMT_COUNT] = {
    [STMT_INSERT_CLASS] = { "classes", "plan_year, id, name, name_en, flags, scenario", 6 },
    [STMT_INSERT_UNIT] = { "units", "plan_year, seq, id, name, area, class, address, contact, phone, headcount,"
                                    " risk, flood_prone, key_fire", 13 },
    [STMT_INSERT_BLACKOUT] = { "blackouts", "plan_year, unit_id, from_date, to_date", 4 },
    [STMT_INSERT_RULE] = { "rules", "plan_year, seq, id, name, name_en, source, classes, class_flags, area,"
                                    " min_risk, flood_prone, key_fire, kind, form, scenario, frequency, campaign,"
                                    " due_from, satisfied_by_kinds, satisfied_by_scenarios", 20 },
    [STMT_INSERT_BREAK] = { "breaks", "plan_year, seq, class, yearly, from_date, to_date, name", 7 },
    [STMT_INSERT_CAMPAIGN] = { "campaigns", "plan_year, seq, id, name, name_en, source, rule, month, day,"
                                            " end_month, end_day, nth, weekday, length_days, align_weekday, base,"
                                            " start_offset, end_offset, first_year, last_year, estimated", 21 },
    [STMT_INSERT_CAMPAIGN_YEAR] = { "campaign_years", "plan_year, campaign_id, year, start, \"end\"", 5 },
    [STMT_INSERT_HOLIDAY] = { "holidays", "plan_year, date, kind, name, name_en, year", 6 },
    [STMT_INSERT_COVERED] = { "covered_years", "plan_year, year", 2 },
    [STMT_INSERT_CAPACITY] = { "plan_capacity", "year, district, capacity", 3 },
    [STMT_INSERT_CLOSED] = { "plan_closed", "year, district, date", 3 },
    [STMT_INSERT_HISTORY] = { "plan_history", "year, unit_id, rule_id, planned, held", 5 },
    [STMT_INSERT_DRILL] = { "drills", "id, year, status, date, reason, revision, unit_id, rule_id, campaign,"
                                      " district, class, tier, win_end, credits, win_start, start_minute, duration,"
                                      " observer", 18 },
    [STMT_INSERT_COUNT] = { "drill_counts", "year, \"grouping\", grp, status, win_end, credit, ord, n", 8 },
    [STMT_INSERT_ACTION] = { "actions", "drill_id, number, finding, capability, action, owner, due, status,"
                                        " closed", 9 },
    [STMT_INSERT_AUDIT] = { "audit", "seq, year, time, actor, drill_id, field, old_value, new_value, reason", 9 },
};

/* the drills' list (STMT_LIST_DRILLS): its columns, and its filter after the year (and unit) */
#define LIST_COLUMNS \
    "SELECT d.id, d.unit_id, u.name, d.district, d.campaign, d.rule_id, d.status, d.date, d.reason, d.win_start,"  \
    " d.win_end, d.revision, d.start_minute, d.duration, r.kind, r.form, coalesce(r.scenario, c.scenario),"  \
    " d.observer FROM drills d JOIN units u ON u.plan_year = d.year AND u.id = d.unit_id JOIN rules r ON"  \
    " r.plan_year = d.year AND r.id = d.rule_id JOIN classes c ON c.plan_year = d.year AND c.id = u.class"
#define LIST_FILTER \
    " AND ($2::text IS NULL OR d.district = $2) AND ($3::text IS NULL OR d.campaign = $3) AND ($4::text IS NULL OR"  \
    " d.rule_id = $4) AND ($5::bigint = 0 OR ($5::bigint >> d.status::integer) & 1 = 1) AND ($6::text IS NULL OR"  \
    " (d.date IS NOT NULL AND d.status <> 5 AND d.date >= $6 AND d.date <= $7) OR ((d.date IS NULL OR d.status ="  \
    " 5) AND d.win_end >= $6 AND (d.win_start IS NULL OR d.win_start <= $7))) ORDER BY u.seq, r.seq, d.id"

/* every other statement, in PostgreSQL's dialect */
#define UPDATE_DRILL                                                                                              \
    "UPDATE drills SET status = $2, date = $3, reason = $4, revision = $5, win_end = $7, win_start = $8,"        \
    " start_minute = $9, duration = $10 WHERE id = $1 AND revision = $6"

static const char *const sql[STMT_COUNT] = {
    [STMT_SET_META] = "INSERT INTO meta VALUES($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    /* these rows of the year have no foreign key to their plan (migrations
     * 10, 11); a year's actions go with its tracking rows */
    [STMT_CLEAR_PLAN] = "WITH drills_gone AS (DELETE FROM drills WHERE year = $1), units_gone AS (DELETE FROM units"
                        " WHERE plan_year = $1), tracks_gone AS (DELETE FROM tracks WHERE year = $1), audit_gone AS"
                        " (DELETE FROM audit WHERE year = $1), counts_gone AS (DELETE FROM drill_counts WHERE year = $1)"
                        " DELETE FROM plans WHERE year = $1",
    [STMT_INSERT_PLAN] = "INSERT INTO plans(year, allow_uncovered, policy, capacity, spacing, observer_min_risk,"
                         " observe_comprehensive, start1, start2, start3, duration1, duration2, duration3, tabletop,"
                         " scheduled, created, today, day_slots, slot_minutes, avoid_after_breaks, campaign_min_days,"
                         " campaign_widen_days) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
                         " $15, $16, $17, $18, $19, $20, $21, $22)",
    /* SQLite's INSERT OR REPLACE: the row moves last in order (its actions are
     * replaced by STMT_CLEAR_ACTIONS and STMT_INSERT_ACTION, which follow) */
    [STMT_UPSERT_TRACK] = "INSERT INTO tracks(drill_id, year, status, has_outcome, date, start_minute, end_minute,"
                          " kind, form, participants, non_participants, observers, evacuation, evacuation_target,"
                          " headcount, headcount_target, score, notes, cancel_reason) VALUES($1, $2, $3, $4, $5, $6,"
                          " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) ON CONFLICT(drill_id)"
                          " DO UPDATE SET year = excluded.year, status = excluded.status,"
                          " has_outcome = excluded.has_outcome, date = excluded.date,"
                          " start_minute = excluded.start_minute, end_minute = excluded.end_minute,"
                          " kind = excluded.kind, form = excluded.form, participants = excluded.participants,"
                          " non_participants = excluded.non_participants, observers = excluded.observers,"
                          " evacuation = excluded.evacuation, evacuation_target = excluded.evacuation_target,"
                          " headcount = excluded.headcount, headcount_target = excluded.headcount_target,"
                          " score = excluded.score, notes = excluded.notes, cancel_reason = excluded.cancel_reason,"
                          " rid = DEFAULT",
    [STMT_CLEAR_ACTIONS] = "DELETE FROM actions WHERE drill_id = $1",
    [STMT_UPDATE_DRILL] = UPDATE_DRILL,
    /* the same: a drill's state is in drills_due, so no change of it is a
     * HOT update, and every index gets the new row version anyway */
    [STMT_UPDATE_DRILL_SAME_DAY] = UPDATE_DRILL,
    [STMT_ADD_COUNT] = "INSERT INTO drill_counts(year, \"grouping\", grp, status, win_end, credit, ord, n, slot)"
                       " SELECT $1::bigint, $2::bigint, $3::text, $4::bigint, $5::text,"
                       " $6::bigint, 2147483647, $7::bigint,"
                       " pg_backend_pid() % " COUNT_SLOTS
                       " ON CONFLICT(year, \"grouping\", grp, status, win_end, credit, slot)"
                       " DO UPDATE SET n = drill_counts.n + excluded.n",
    [STMT_SET_COUNTED] = "UPDATE plans SET counted = 1 WHERE year = $1",
    [STMT_GET_COUNTED] = "SELECT counted FROM plans WHERE year = $1",
    [STMT_SELECT_OVERDUE] = "SELECT d.unit_id, u.name, d.district, d.id, d.rule_id, d.win_end, d.status, d.date,"
                            " d.reason FROM drills d JOIN units u ON u.plan_year = d.year AND u.id = d.unit_id"
                            " JOIN rules r ON r.plan_year = d.year AND r.id = d.rule_id"
                            " WHERE d.year = $1 AND d.status IN (0, 1) AND d.win_end < $2"
                            " ORDER BY u.seq, r.seq, d.id",
    /* the slots summed; a group's order is the least of all its rows' (rows
     * a tracking change adds have none of their own: 2147483647), counted or not */
    [STMT_SELECT_COUNTS] = "SELECT grp, status, win_end, n, credit FROM (SELECT grp, status, win_end, credit,"
                           " sum(n)::bigint AS n, min(min(ord)) OVER (PARTITION BY grp) AS o FROM drill_counts"
                           " WHERE year = $1 AND \"grouping\" = $2 GROUP BY grp, status, win_end, credit) c"
                           " WHERE n <> 0 ORDER BY o, grp",
    [STMT_SELECT_BREAKS] = "SELECT class, yearly, from_date, to_date, name FROM breaks WHERE plan_year = $1"
                           " ORDER BY seq",
    /* numbered under the year's audit lock (lock_year()), taken just before
     * (a tracking change's entry is numbered after its commit instead:
     * PENDING_AUDIT, NUMBER_AUDIT) */
    [STMT_APPEND_AUDIT] = "INSERT INTO audit(seq, year, time, actor, drill_id, field, old_value, new_value, reason)"
                          " SELECT coalesce(max(seq), 0) + 1, $1::bigint, $2::text, $3::text, $4::text, $5::text,"
                          " $6::text, $7::text, $8::text FROM audit WHERE year = $1::bigint RETURNING seq",
    [STMT_GET_META] = "SELECT value FROM meta WHERE key = $1",
    [STMT_SELECT_CLASSES] = "SELECT id, name, name_en, flags, scenario FROM classes WHERE plan_year = $1 ORDER BY rid",
    [STMT_SELECT_UNITS] = "SELECT id, name, area, class, address, contact, phone, headcount, risk, flood_prone,"
                          " key_fire FROM units WHERE plan_year = $1 ORDER BY seq",
    [STMT_SELECT_BLACKOUTS] = "SELECT unit_id, from_date, to_date FROM blackouts WHERE plan_year = $1 ORDER BY rid",
    [STMT_SELECT_RULES] = "SELECT id, name, name_en, source, classes, class_flags, area, min_risk, flood_prone,"
                          " key_fire, kind, form, scenario, frequency, campaign, due_from, satisfied_by_kinds,"
                          " satisfied_by_scenarios FROM rules WHERE plan_year = $1 ORDER BY seq",
    [STMT_SELECT_CAMPAIGNS] = "SELECT id, name, name_en, source, rule, month, day, end_month, end_day, nth, weekday,"
                              " length_days, align_weekday, base, start_offset, end_offset, first_year, last_year,"
                              " estimated FROM campaigns WHERE plan_year = $1 ORDER BY seq",
    [STMT_SELECT_CAMPAIGN_YEARS] = "SELECT campaign_id, year, start, \"end\" FROM campaign_years"
                                   " WHERE plan_year = $1 ORDER BY rid",
    [STMT_SELECT_HOLIDAYS] = "SELECT date, kind, name, name_en, year FROM holidays WHERE plan_year = $1"
                             " ORDER BY date COLLATE \"C\"",
    [STMT_SELECT_COVERED] = "SELECT year FROM covered_years WHERE plan_year = $1 ORDER BY year",
    [STMT_SELECT_PLAN] = "SELECT allow_uncovered, policy, capacity, spacing, observer_min_risk,"
                         " observe_comprehensive, start1, start2, start3, duration1, duration2, duration3, tabletop,"
                         " scheduled, created, today, day_slots, slot_minutes, avoid_after_breaks, campaign_min_days,"
                         " campaign_widen_days FROM plans WHERE year = $1",
    [STMT_SELECT_PLANS] = "SELECT year FROM plans WHERE year <> $1 ORDER BY year",
    [STMT_SELECT_CAPACITY] = "SELECT district, capacity FROM plan_capacity WHERE year = $1 ORDER BY rid",
    [STMT_SELECT_CLOSED] = "SELECT district, date FROM plan_closed WHERE year = $1 ORDER BY rid",
    [STMT_SELECT_HISTORY] = "SELECT unit_id, rule_id, planned, held FROM plan_history WHERE year = $1 ORDER BY rid",
    [STMT_SELECT_DRILLS] = "SELECT id, status, date, reason, revision, start_minute FROM drills WHERE year = $1",
    [STMT_SELECT_TRACKS] = "SELECT drill_id, status, has_outcome, date, start_minute, end_minute, kind, form,"
                           " participants, non_participants, observers, evacuation, evacuation_target, headcount,"
                           " headcount_target, score, notes, cancel_reason FROM tracks WHERE year = $1"
                           " ORDER BY rid",
    [STMT_SELECT_ACTIONS] = "SELECT a.drill_id, a.number, a.finding, a.capability, a.action, a.owner, a.due,"
                            " a.status, a.closed FROM actions a JOIN tracks t ON t.drill_id = a.drill_id"
                            " WHERE t.year = $1 ORDER BY a.drill_id COLLATE \"C\", a.number",
    [STMT_SELECT_AUDIT] = "SELECT " PENDING_SEQ ", time, actor, drill_id, field, old_value, new_value, reason FROM audit"
                          " WHERE year = $1 ORDER BY seq, id",
    [STMT_SELECT_DRILL] = "SELECT id, status, date, reason, revision, year, campaign, district, class, tier,"
                          " rule_id, win_end, credits FROM drills WHERE id = $1",
    [STMT_SELECT_TRACK] = "SELECT drill_id, status, has_outcome, date, start_minute, end_minute, kind, form,"
                          " participants, non_participants, observers, evacuation, evacuation_target, headcount,"
                          " headcount_target, score, notes, cancel_reason FROM tracks WHERE drill_id = $1",
    [STMT_SELECT_DRILL_ACTIONS] = "SELECT drill_id, number, finding, capability, action, owner, due, status, closed"
                                  " FROM actions WHERE drill_id = $1 ORDER BY number",
    [STMT_SELECT_DRILL_AUDIT] = "SELECT " PENDING_SEQ ", time, actor, drill_id, field, old_value, new_value, reason FROM audit"
                                " WHERE drill_id = $1 ORDER BY seq, id",
    [STMT_SELECT_AUDIT_SINCE] = "SELECT seq, time, actor, drill_id, field, old_value, new_value, reason FROM audit"
                                " WHERE year = $1 AND seq > $2 ORDER BY seq",
    [STMT_SELECT_AUDIT_LAST] = "SELECT coalesce(max(seq), 0) FROM audit WHERE year = $1",
    [STMT_SELECT_UNIT] = "SELECT id, name, area, class, address, contact, phone, headcount, risk, flood_prone,"
                         " key_fire FROM units WHERE plan_year = $1 AND id = $2",
    [STMT_SELECT_UNIT_BLACKOUTS] = "SELECT unit_id, from_date, to_date FROM blackouts WHERE plan_year = $1"
                                   " AND unit_id = $2 ORDER BY rid",
    [STMT_SELECT_UNIT_HISTORY] = "SELECT unit_id, rule_id, planned, held FROM plan_history WHERE year = $1"
                                 " AND unit_id = $2 ORDER BY rid",
    /* year + 0: by the ids' range, never by an index that leads with the year
     * (a fresh table's missing statistics once chose a scan of the year) */
    /* ids compare byte by byte (COLLATE "C"): "UNIT/" <= a unit's ids < "UNIT0" */
    [STMT_SELECT_RANGE_DRILLS] = "SELECT id, status, date, reason, revision, start_minute FROM drills"
                                 " WHERE id >= $2 AND id < $3"
                                 " AND year + 0 = $1",
    [STMT_SELECT_RANGE_TRACKS] = "SELECT drill_id, status, has_outcome, date, start_minute, end_minute, kind, form,"
                                 " participants, non_participants, observers, evacuation, evacuation_target,"
                                 " headcount, headcount_target, score, notes, cancel_reason FROM tracks"
                                 " WHERE drill_id >= $2 AND drill_id < $3 AND year + 0 = $1 ORDER BY rid",
    [STMT_SELECT_RANGE_ACTIONS] = "SELECT drill_id, number, finding, capability, action, owner, due, status, closed"
                                  " FROM actions WHERE drill_id >= $1 AND drill_id < $2 ORDER BY drill_id, number",
    [STMT_SELECT_RANGE_AUDIT] = "SELECT " PENDING_SEQ ", time, actor, drill_id, field, old_value, new_value, reason FROM audit"
                                " WHERE drill_id >= $2 AND drill_id < $3 AND year + 0 = $1 ORDER BY seq, id",
    [STMT_LIST_DRILLS] = LIST_COLUMNS " WHERE d.year = $1" LIST_FILTER,
    [STMT_LIST_UNIT_DRILLS] = LIST_COLUMNS " WHERE d.year + 0 = $1 AND d.id >= $8 AND d.id < $9" LIST_FILTER,
    [STMT_SELECT_REMINDERS] = "SELECT t, day, id, unit_id, name, district, contact, phone, kind, scenario, rule_id,"
                              " number, action, owner FROM (SELECT 0 AS t, d.date AS day, d.id, d.unit_id, u.name,"
                              " d.district, u.contact, u.phone, r.kind, coalesce(r.scenario, c.scenario) AS scenario,"
                              " d.rule_id, 0 AS number, NULL::text AS action, NULL::text AS owner, u.seq AS us, r.seq"
                              " AS rs FROM drills d JOIN units u ON u.plan_year = d.year AND u.id = d.unit_id JOIN"
                              " rules r ON r.plan_year = d.year AND r.id = d.rule_id JOIN classes c ON c.plan_year ="
                              " d.year AND c.id = u.class WHERE d.year = $1 AND d.status = 1 AND d.date >= $2::text"
                              " AND d.date <= $3::text UNION ALL SELECT 1, d.win_end, d.id, d.unit_id, u.name,"
                              " d.district, u.contact, u.phone, r.kind, coalesce(r.scenario, c.scenario), d.rule_id,"
                              " 0, NULL, NULL, u.seq, r.seq FROM drills d JOIN units u ON u.plan_year = d.year AND"
                              " u.id = d.unit_id JOIN rules r ON r.plan_year = d.year AND r.id = d.rule_id JOIN"
                              " classes c ON c.plan_year = d.year AND c.id = u.class WHERE d.year = $1 AND d.status"
                              " IN (0, 1) AND d.win_end < $2 UNION ALL SELECT 2, a.due, d.id, d.unit_id, u.name,"
                              " d.district, u.contact, u.phone, r.kind, coalesce(r.scenario, c.scenario), d.rule_id,"
                              " a.number, a.action, a.owner, u.seq, r.seq FROM drills d JOIN units u ON u.plan_year ="
                              " d.year AND u.id = d.unit_id JOIN rules r ON r.plan_year = d.year AND r.id = d.rule_id"
                              " JOIN classes c ON c.plan_year = d.year AND c.id = u.class JOIN actions a ON"
                              " a.drill_id = d.id WHERE d.year = $1 AND d.status IN (2, 3, 4) AND a.status < 2 AND"
                              " a.due < $2) x ORDER BY us, rs, id, t, number",
    [STMT_SELECT_YEAR_ACTIONS] = "SELECT a.drill_id, d.unit_id, a.number, a.finding, a.capability, a.action, a.owner,"
                                 " a.due, a.status, a.closed FROM actions a JOIN drills d ON d.id = a.drill_id JOIN"
                                 " units u ON u.plan_year = d.year AND u.id = d.unit_id JOIN rules r ON r.plan_year ="
                                 " d.year AND r.id = d.rule_id WHERE d.year = $1 AND d.status IN (2, 3, 4) ORDER BY"
                                 " u.seq, r.seq, d.id, a.number",
};

/* the tables of a store, for the foreign-database test and the check */
static const char *const tables[] = {
    "meta", "plans", "classes", "units", "blackouts", "rules", "campaigns", "campaign_years", "holidays",
    "covered_years", "plan_capacity", "plan_closed", "plan_history", "drills", "tracks", "actions", "audit",
    "drill_counts", "breaks",
};

/* rows of one bulk insert waiting to be sent, as COPY text */
typedef struct pending {
    char *buf;
    size_t len, cap, rows;
} pending;

/* below this many rows a bulk insert goes as prepared INSERTs (a COPY costs a round trip more) */
#define COPY_MIN_ROWS 16
/* a bulk insert's buffer is sent when it reaches this size */
#define COPY_CHUNK (256u << 10)

/* statements sent in one pipeline at most, before their results are read */
#define QUEUE_MAX 64

/* the year locks of a writing transaction (lock_year()) */
enum { LOCK_SHARED, LOCK_EXCLUSIVE, LOCK_AUDIT };

typedef struct db {
    PGconn *conn;
    char *conninfo; /* as given: handed to libpq only */
    char *name;     /* masked: the password replaced, for messages */
    int read_only, in_tx, writing, broken, lock_prepared, counts_prepared, audit_prepared;
    struct {
        long long year;
        int mode;
    } locks[16]; /* the year locks this transaction holds */
    int nlocks;
    unsigned char prepared[STMT_COUNT];
    pending pend[STMT_COUNT];
    /* STMT_ADD_COUNT's values gathered as seven array literals, sent as one
     * statement (add_counts(), db_query_commit()) */
    pending counts[7];
    size_t ncounts;
    long long count_years[8];
    int ncount_years;
    /* statements sent in pipeline mode whose results are not read yet (pipe_send()) */
    struct {
        int expect;        /* the status that is success; -1: the caller judges (keep); AFTER_COMMIT:
                              the caller judges, and its failure (or the pipeline's) is not this one's */
        const char *what;  /* for the message: "writing to", ... */
        PGresult **keep;   /* the result, handed back by pipe_sync() */
    } q[QUEUE_MAX];
    int nq, piping;
    /* the bulk insert whose COPY is open (streaming its chunks), or STMT_COUNT */
    drill__stmt copying;
} db;

/* ---- the store's name, masked ---- */

int drill__pg_is_conninfo(const char *name)
{
    if (strncmp(name, "postgresql://", 13) == 0 || strncmp(name, "postgres://", 11) == 0)
        return 1;
    /* "keyword = value ...": a letter or underscore, more of them, maybe spaces, then '=' */
    const char *p = name;
    while (*p == ' ' || *p == '\t')
        p++;
    /* ASCII only, whatever the locale (isalpha() takes é under latin-1 locales) */
#define KEYWORD_START(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || (c) == '_')
    if (!KEYWORD_START(*p))
        return 0;
    while (KEYWORD_START(*p) || (*p >= '0' && *p <= '9'))
        p++;
#undef KEYWORD_START
    while (*p == ' ' || *p == '\t')
        p++;
    return *p == '=';
}

static int append(char *out, size_t size, size_t *len, const char *s, size_t n)
{
    if (*len + n >= size)
        return -1;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
    return 0;
}

/* a URI: postgresql://user:SECRET@host/db?password=SECRET&... */
static int mask_uri(char *out, size_t size, const char *s)
{
    size_t len = 0;
    const char *scheme_end = strstr(s, "://") + 3;
    const char *end = scheme_end + strcspn(scheme_end, "/?");
    const char *at = NULL;
    for (const char *q = scheme_end; q < end; q++)
        if (*q == '@')
            at = q;
    if (append(out, size, &len, s, (size_t)(scheme_end - s)))
        return -1;
    const char *rest = scheme_end;
    if (at) {
        const char *colon = memchr(scheme_end, ':', (size_t)(at - scheme_end));
        if (colon) {
            if (append(out, size, &len, scheme_end, (size_t)(colon - scheme_end) + 1) ||
                append(out, size, &len, "***", 3))
                return -1;
            rest = at;
        }
    }
    /* the query: password=... masked */
    const char *qm = strchr(rest, '?');
    if (!qm)
        return append(out, size, &len, rest, strlen(rest));
    if (append(out, size, &len, rest, (size_t)(qm - rest) + 1))
        return -1;
    for (const char *p = qm + 1; *p;) {
        size_t n = strcspn(p, "&");
        if (n >= 9 && strncmp(p, "password=", 9) == 0) {
            if (append(out, size, &len, "password=***", 12))
                return -1;
        } else if (append(out, size, &len, p, n)) {
            return -1;
        }
        p += n;
        if (*p == '&') {
            if (append(out, size, &len, "&", 1))
                return -1;
            p++;
        }
    }
    return 0;
}

/* keyword=value pairs: password's value (bare or quoted) masked */
static int mask_pairs(char *out, size_t size, const char *s)
{
    size_t len = 0;
    const char *p = s;
    while (*p) {
        const char *ws = p;
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        const char *key = p;
        while (*p && *p != '=' && *p != ' ' && *p != '\t')
            p++;
        size_t keylen = (size_t)(p - key);
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=') /* not a pair: keep the rest as it is */
            return append(out, size, &len, ws, strlen(ws));
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        const char *val = p;
        if (*p == '\'') {
            for (p++; *p && *p != '\''; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p == '\'')
                p++;
            if (*p && *p != ' ' && *p != '\t' && *p != '\n') /* not as libpq reads it: show none of the rest */
                return append(out, size, &len, ws, (size_t)(val - ws)) ? -1 : append(out, size, &len, "***", 3);
        } else {
            while (*p && *p != ' ' && *p != '\t' && *p != '\n')
                p++;
        }
        if (append(out, size, &len, ws, (size_t)(val - ws)))
            return -1;
        if (keylen == 8 && strncmp(key, "password", 8) == 0) {
            if (append(out, size, &len, "***", 3))
                return -1;
        } else if (append(out, size, &len, val, (size_t)(p - val))) {
            return -1;
        }
    }
    return 0;
}

int drill__pg_mask(char *out, size_t size, const char *name)
{
    if (!size)
        return -1;
    out[0] = '\0';
    int uri = strstr(name, "://") && drill__pg_is_conninfo(name);
    int rc = uri ? mask_uri(out, size, name) : mask_pairs(out, size, name);
    if (rc)
        snprintf(out, size, "%s", "(PostgreSQL store)"); /* too long to show: show nothing of it */
    return rc;
}

/* ---- errors ---- */

/* libpq's message without its trailing newline */
static const char *pq_message(const PGconn *c, const PGresult *r, char *buf, size_t size)
{
    const char *m = r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : c ? PQerrorMessage(c) : "";
    snprintf(buf, size, "%s", m && *m ? m : "unknown error");
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    for (char *q = buf; *q; q++) /* libpq's multi-line messages on one line */
        if (*q == '\n' || *q == '\t')
            *q = ' ';
    return buf;
}

static int fail_pg(db *d, const PGresult *r, const char *what)
{
    char msg[1024];
    pq_message(d->conn, r, msg, sizeof msg);
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    /* the connection is gone, or going (no SQLSTATE: libpq's own failure;
     * 08: connection exception; 57P: the server shutting down) */
    if (PQstatus(d->conn) != CONNECTION_OK || !state || strncmp(state, "08", 2) == 0 ||
        strncmp(state, "57P", 3) == 0)
        d->broken = 1;
    if (state && strcmp(state, "XX001") == 0) /* data_corrupted */
        return drill__error(DRILL_ECORRUPT, "%s: %s is not a sound libdrill store: %s", what, d->name, msg);
    if (state && strcmp(state, "53200") == 0) /* out_of_memory */
        return drill__error(DRILL_ENOMEM, "%s %s: the server is out of memory: %s", what, d->name, msg);
    return drill__error(DRILL_EIO, "%s %s: %s", what, d->name, msg);
}

/* run a fixed statement (no values) and check its status */
static int run(db *d, const char *text, const char *what)
{
    PGresult *r = PQexec(d->conn, text);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : fail_pg(d, r, what);
    PQclear(r);
    return rc;
}

/* ---- connecting ---- */

static int set_up_session(db *d)
{
    memset(d->prepared, 0, sizeof d->prepared);
    d->lock_prepared = 0;
    d->counts_prepared = 0;
    d->audit_prepared = 0;
    if (PQsetClientEncoding(d->conn, "UTF8") != 0)
        return fail_pg(d, NULL, "setting UTF-8 on");
    /* dates and times are text; nothing the session's locale or time zone says matters */
    return run(d, d->read_only ? "SET default_transaction_read_only = on" : "SET default_transaction_read_only = off",
               "setting up the session of");
}

/* the server's notices (a shutdown's WARNING) are not the library's to print */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int connect_db(db *d)
{
    const char *keys[5], *vals[5];
    int k = 0;
    /* a default connect_timeout that the conninfo (later, so it wins) or PGCONNECT_TIMEOUT overrides */
    if (!getenv("PGCONNECT_TIMEOUT")) {
        keys[k] = "connect_timeout";
        vals[k++] = "10";
    }
    keys[k] = "fallback_application_name";
    vals[k++] = "libdrill";
    keys[k] = "dbname";
    vals[k++] = d->conninfo;
    keys[k] = NULL;
    vals[k] = NULL;
    if (d->conn)
        PQfinish(d->conn);
    d->nq = d->piping = 0;
    d->copying = STMT_COUNT;
    d->conn = PQconnectdbParams(keys, vals, 1);
    if (!d->conn)
        return drill__error(DRILL_ENOMEM, "out of memory connecting to %s", d->name);
    if (PQstatus(d->conn) != CONNECTION_OK) {
        char msg[1024];
        pq_message(d->conn, NULL, msg, sizeof msg);
        d->broken = 1;
        return drill__error(DRILL_EIO, "cannot connect to %s: %s", d->name, msg);
    }
    d->broken = 0;
    PQsetNoticeProcessor(d->conn, quiet, NULL);
    return set_up_session(d);
}

/* before an operation: a connection that was lost is made again */
static int ensure_connected(db *d)
{
    if (!d->broken && PQstatus(d->conn) == CONNECTION_OK)
        return 0;
    return connect_db(d);
}

/* ---- the bulk inserts ---- */

static int grow(pending *p, size_t more)
{
    if (more > SIZE_MAX - p->len || DRILL__VEC_RESERVE(p->buf, p->cap, p->len + more))
        return drill__error(DRILL_ENOMEM, "out of memory gathering rows for the store");
    return 0;
}

/* one row in COPY's text format: tab between columns, \N for NULL, escapes */
static int add_row(pending *p, const drill__value *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char num[32];
        const char *s = NULL;
        size_t len = 0, extra = 0;
        if (v[i].type == DRILL__INT) {
            len = (size_t)snprintf(num, sizeof num, "%lld", v[i].i);
            s = num;
        } else if (v[i].type == DRILL__TEXT && v[i].s) {
            s = v[i].s;
            len = strlen(s);
            for (size_t k = 0; k < len; k++)
                extra += s[k] == '\\' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r';
        }
        if (grow(p, len + extra + 3))
            return DRILL_ENOMEM;
        if (i)
            p->buf[p->len++] = '\t';
        if (!s) {
            memcpy(p->buf + p->len, "\\N", 2);
            p->len += 2;
            continue;
        }
        for (size_t k = 0; k < len; k++) {
            char ch = s[k];
            if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
                p->buf[p->len++] = '\\';
                ch = ch == '\t' ? 't' : ch == '\n' ? 'n' : ch == '\r' ? 'r' : '\\';
            }
            p->buf[p->len++] = ch;
        }
    }
    if (grow(p, 1))
        return DRILL_ENOMEM;
    p->buf[p->len++] = '\n';
    p->rows++;
    return 0;
}

/* ---- the pipeline of a writing transaction ----
 *
 * In a writing transaction the statements nobody waits for (the year
 * locks, rows written, the count changes) are sent in libpq's pipeline
 * mode and not waited for; the next one that needs an answer (a read, an
 * UPDATE whose row count is checked, COMMIT) goes into the same pipeline,
 * and one round trip brings every result back. The first failure is that
 * call's failure (the server skips the rest: the transaction is aborted,
 * and the caller rolls back); a deferred statement's failure fails the
 * call that reads it, within the same operation. Reads outside a writing
 * transaction, COPY and the schema's statements run one at a time. */

static const char committing[] = "committing to"; /* a pipeline's COMMIT, for its messages */
/* a statement sent after a COMMIT in the same pipeline (pipe_send()'s expect) */
#define AFTER_COMMIT (-2)

static int piped(const db *d)
{
    return d->in_tx && d->writing;
}

static int pipe_sync(db *d);

/* send a prepared statement (name) or a fixed one (text) into the
 * pipeline; keep: where pipe_sync() hands its result back (expect -1) */
static int pipe_send(db *d, const char *name, const char *text, int n, const char *const *vals, int expect,
                     const char *what, PGresult **keep)
{
    int rc;
    if (d->nq == QUEUE_MAX && (rc = pipe_sync(d)))
        return rc;
    if (!d->piping) {
        if (PQenterPipelineMode(d->conn) != 1)
            return fail_pg(d, NULL, what);
        d->piping = 1;
    }
    int ok = name ? PQsendQueryPrepared(d->conn, name, n, vals, NULL, NULL, 0)
                  : PQsendQueryParams(d->conn, text, 0, NULL, NULL, NULL, NULL, 0);
    if (ok != 1) {
        rc = fail_pg(d, NULL, what);
        d->broken = 1; /* a pipeline half sent: the connection is not used again */
        return rc;
    }
    if (keep)
        *keep = NULL;
    d->q[d->nq].expect = expect;
    d->q[d->nq].what = what;
    d->q[d->nq++].keep = keep;
    return 0;
}

/* the end of the pipeline: its sync, every result read, out of pipeline
 * mode. report 0: nothing is said (a rollback after a failure keeps its
 * message). The results kept are the caller's (cleared on a failure). */
static int pipe_finish(db *d, int report)
{
    if (!d->piping)
        return 0;
    int rc = 0, nq = d->nq;
    d->nq = 0;
    if (PQpipelineSync(d->conn) != 1) {
        if (report)
            rc = fail_pg(d, NULL, "writing to");
        d->broken = 1;
    }
    for (int i = 0; i < nq && !d->broken; i++) {
        PGresult *r = PQgetResult(d->conn);
        if (!r) { /* the connection went */
            char msg[1024];
            if (report && rc == 0 && d->q[i].expect != AFTER_COMMIT)
                rc = d->q[i].what == committing
                         ? drill__error(DRILL_EIO, "committing to %s: the connection was lost during COMMIT (the "
                                                   "change may or may not have been applied): %s", d->name,
                                        pq_message(d->conn, NULL, msg, sizeof msg))
                         : fail_pg(d, NULL, d->q[i].what);
            d->broken = 1;
            break;
        }
        ExecStatusType st = PQresultStatus(r);
        if (d->q[i].expect == AFTER_COMMIT)
            ; /* the caller's to judge */
        else if (report && rc == 0 && st == PGRES_PIPELINE_ABORTED) /* after a failure already read: cannot be */
            rc = drill__error(DRILL_EIO, "%s %s: the transaction failed", d->q[i].what, d->name);
        else if (report && rc == 0 && d->q[i].expect >= 0 && st != (ExecStatusType)d->q[i].expect)
            rc = fail_pg(d, r, d->q[i].what);
        if (d->q[i].keep && st != PGRES_PIPELINE_ABORTED) {
            *d->q[i].keep = r;
            r = NULL;
        }
        PQclear(r);
        while ((r = PQgetResult(d->conn))) /* the end of this statement's results */
            PQclear(r);
    }
    if (!d->broken) {
        PGresult *r = PQgetResult(d->conn);
        if (!r || PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
            if (report && rc == 0)
                rc = fail_pg(d, r, "writing to");
            d->broken = 1;
        }
        PQclear(r);
    }
    if (PQexitPipelineMode(d->conn) != 1)
        d->broken = 1;
    d->piping = 0;
    for (int i = 0; rc && i < nq; i++)
        if (d->q[i].keep) {
            PQclear(*d->q[i].keep);
            *d->q[i].keep = NULL;
        }
    return rc;
}

static int pipe_sync(db *d)
{
    return pipe_finish(d, 1);
}

static int prepare(db *d, drill__stmt s)
{
    if (d->prepared[s])
        return 0;
    int rc0 = pipe_sync(d); /* PQprepare waits for its answer: not in pipeline mode */
    if (rc0)
        return rc0;
    char name[16], text[1024];
    const char *q = sql[s];
    if (!q) { /* a bulk insert as one prepared INSERT */
        size_t len = (size_t)snprintf(text, sizeof text, "INSERT INTO %s(%s) VALUES(", bulks[s].table,
                                      bulks[s].columns);
        for (int i = 1; i <= bulks[s].n; i++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s$%d", i > 1 ? ", " : "", i);
        snprintf(text + len, sizeof text - len, ")");
        q = text;
    }
    snprintf(name, sizeof name, "drill_%d", (int)s);
    PGresult *r = PQprepare(d->conn, name, q, 0, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail_pg(d, r, "preparing a statement for");
    PQclear(r);
    if (rc == 0)
        d->prepared[s] = 1;
    return rc;
}

/* a statement's values as libpq's text parameters (numbers written into nums) */
static int to_params(const char **vals, char (*nums)[24], const drill__value *v, size_t n)
{
    if (n > 32)
        return drill__error(DRILL_EINVAL, "a statement with %zu values", n);
    for (size_t i = 0; i < n; i++) {
        if (v[i].type == DRILL__INT) {
            snprintf(nums[i], sizeof nums[i], "%lld", v[i].i);
            vals[i] = nums[i];
        } else {
            vals[i] = v[i].type == DRILL__TEXT ? v[i].s : NULL;
        }
    }
    return 0;
}

/* run a prepared statement with values; *out receives the result (caller clears) */
static int exec_prepared(db *d, drill__stmt s, const drill__value *v, size_t n, PGresult **out)
{
    const char *vals[32];
    char nums[32][24];
    int rc = prepare(d, s);
    if (rc || (rc = to_params(vals, nums, v, n)))
        return rc;
    char name[16];
    snprintf(name, sizeof name, "drill_%d", (int)s);
    if (!piped(d)) {
        *out = PQexecPrepared(d->conn, name, (int)n, vals, NULL, NULL, 0);
        return 0;
    }
    /* the statements queued before it, and it, in one round trip */
    if ((rc = pipe_send(d, name, NULL, (int)n, vals, -1, "writing to", out)) || (rc = pipe_sync(d)))
        return rc;
    return *out ? 0 : drill__error(DRILL_EIO, "writing to %s: no answer from the server", d->name);
}

/* a statement whose result nobody waits for: into the pipeline, or run */
static int exec_deferred(db *d, drill__stmt s, const drill__value *v, size_t n)
{
    if (!piped(d)) {
        PGresult *r = NULL;
        int rc = exec_prepared(d, s, v, n, &r);
        if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = fail_pg(d, r, "writing to");
        PQclear(r);
        return rc;
    }
    const char *vals[32];
    char nums[32][24], name[16];
    int rc = prepare(d, s);
    if (rc || (rc = to_params(vals, nums, v, n)))
        return rc;
    snprintf(name, sizeof name, "drill_%d", (int)s);
    return pipe_send(d, name, NULL, (int)n, vals, PGRES_COMMAND_OK, "writing to", NULL);
}

/* a bulk insert's rows back from COPY text, one prepared INSERT each (few rows) */
static int send_as_inserts(db *d, drill__stmt s, pending *p)
{
    drill__value v[32];
    char *line = p->buf, *end = p->buf + p->len;
    int rc = 0;
    while (rc == 0 && line < end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        *nl = '\0';
        int n = 0;
        for (char *f = line;; n++) {
            char *tab = strchr(f, '\t');
            if (tab)
                *tab = '\0';
            if (strcmp(f, "\\N") == 0) {
                v[n] = (drill__value){ DRILL__NULL, 0, NULL };
            } else {
                char *o = f; /* unescape in place */
                for (char *q = f; *q; q++) {
                    if (*q == '\\' && q[1]) {
                        q++;
                        *o++ = *q == 't' ? '\t' : *q == 'n' ? '\n' : *q == 'r' ? '\r' : *q;
                    } else {
                        *o++ = *q;
                    }
                }
                *o = '\0';
                v[n] = (drill__value){ DRILL__TEXT, 0, f };
            }
            if (!tab)
                break;
            f = tab + 1;
        }
        rc = exec_deferred(d, s, v, (size_t)n + 1);
        line = nl + 1;
    }
    return rc;
}

/* A bulk insert's rows stream through one COPY as its buffer fills
 * (copy_chunk()): the server stores a chunk while the next is written,
 * where a COPY per chunk had each side wait for the other. The COPY ends
 * (copy_end()) before any other statement, COPY or row of another table
 * is sent. */
static int copy_start(db *d, drill__stmt s)
{
    int rc = pipe_sync(d); /* COPY is not for pipeline mode */
    if (rc)
        return rc;
    char text[512];
    snprintf(text, sizeof text, "COPY %s(%s) FROM STDIN", bulks[s].table, bulks[s].columns);
    PGresult *r = PQexec(d->conn, text);
    rc = PQresultStatus(r) == PGRES_COPY_IN ? 0 : fail_pg(d, r, "writing to");
    PQclear(r);
    if (rc == 0)
        d->copying = s;
    return rc;
}

/* the open COPY ends: abandon (a rollback) makes the server drop it */
static int copy_end(db *d, int abandon)
{
    if (d->copying == STMT_COUNT)
        return 0;
    d->copying = STMT_COUNT;
    int rc = 0;
    if (PQputCopyEnd(d->conn, abandon ? "abandoned" : NULL) != 1)
        rc = fail_pg(d, NULL, "writing to");
    PGresult *r;
    while ((r = PQgetResult(d->conn))) {
        ExecStatusType st = PQresultStatus(r);
        if (rc == 0 && !abandon && st != PGRES_COMMAND_OK)
            rc = fail_pg(d, r, "writing to");
        PQclear(r);
        /* still copying: the end did not get through (a lost connection); give up on it */
        if (st == PGRES_COPY_IN && PQputCopyEnd(d->conn, "abandoned") != 1) {
            d->broken = 1;
            break;
        }
    }
    return rc;
}

/* a bulk insert's buffer into its COPY, opened if need be */
static int copy_chunk(db *d, drill__stmt s, pending *p)
{
    int rc = d->copying == s ? 0 : copy_end(d, 0);
    if (rc == 0 && d->copying != s)
        rc = copy_start(d, s);
    if (rc == 0 && p->len && PQputCopyData(d->conn, p->buf, (int)p->len) != 1)
        rc = fail_pg(d, NULL, "writing to");
    p->len = p->rows = 0;
    return rc;
}

static int flush_one(db *d, drill__stmt s)
{
    pending *p = &d->pend[s];
    int rc = 0;
    if (d->copying == s) /* the rest of its rows, and the end */
        rc = copy_chunk(d, s, p);
    else if (p->rows)
        rc = p->rows < COPY_MIN_ROWS ? send_as_inserts(d, s, p) : copy_chunk(d, s, p);
    if (rc == 0)
        rc = copy_end(d, 0);
    p->len = p->rows = 0;
    if (p->cap > (1u << 20)) { /* a save's buffers are not kept for the small changes after it */
        free(p->buf);
        p->buf = NULL;
        p->cap = 0;
    }
    return rc;
}

/* one value into an array literal: numbers as they are, text quoted */
static int add_element(pending *p, const drill__value *v)
{
    char num[32];
    const char *s = num;
    size_t len;
    int text = v->type == DRILL__TEXT && v->s;
    if (text) {
        s = v->s;
        len = strlen(s);
    } else {
        len = (size_t)snprintf(num, sizeof num, "%lld", v->type == DRILL__INT ? v->i : 0);
    }
    if (grow(p, 2 * len + 4))
        return DRILL_ENOMEM;
    char sep = p->len ? ',' : '{';
    p->buf[p->len++] = sep;
    if (text)
        p->buf[p->len++] = '"';
    for (size_t k = 0; k < len; k++) {
        if (text && (s[k] == '"' || s[k] == '\\'))
            p->buf[p->len++] = '\\';
        p->buf[p->len++] = s[k];
    }
    if (text)
        p->buf[p->len++] = '"';
    return 0;
}

/* STMT_ADD_COUNT (year, grouping, group, status, win_end, credit, delta), gathered */
static int gather_count(db *d, const drill__value *v, size_t n)
{
    if (n != 7)
        return drill__error(DRILL_EINVAL, "a count change with %zu values", n);
    for (int k = 0; k < 7; k++)
        if (add_element(&d->counts[k], &v[k]))
            return DRILL_ENOMEM;
    d->ncounts++;
    int known = 0;
    for (int i = 0; i < d->ncount_years; i++)
        known |= d->count_years[i] == v[0].i;
    if (!known && d->ncount_years < 8)
        d->count_years[d->ncount_years++] = v[0].i;
    return 0;
}

/* The gathered count changes in one statement, summed per counter: one
 * round trip, however many groupings a change moves a drill between, its
 * rows in key order. Outside a tracking change's own pipeline
 * (db_query_commit()) the year's audit lock comes first (lock_year()). */
static int lock_year(db *d, long long year, int mode);

/* the gathered count changes as the seven arrays of drill_add_counts, its
 * statement prepared */
static int count_params(db *d, const char **vals)
{
    for (int k = 0; k < 7; k++) {
        if (grow(&d->counts[k], 2))
            return DRILL_ENOMEM;
        d->counts[k].buf[d->counts[k].len] = '}';
        d->counts[k].buf[d->counts[k].len + 1] = '\0';
        vals[k] = d->counts[k].buf;
    }
    if (d->counts_prepared)
        return 0;
    int rc0 = pipe_sync(d);
    if (rc0)
        return rc0;
    /* the rows in key order: two writers whose slots meet lock them in one order */
    PGresult *r = PQprepare(d->conn, "drill_add_counts",
        "INSERT INTO drill_counts AS c(year, \"grouping\", grp, status, win_end, credit, ord, n, slot)"
        " SELECT v.year, v.g, v.grp, v.status, v.win_end, v.credit, 2147483647, v.n,"
        " pg_backend_pid() % " COUNT_SLOTS
        " FROM (SELECT u.year, u.g, u.grp COLLATE \"C\" AS grp, u.status, u.win_end COLLATE \"C\" AS win_end,"
        " u.credit, sum(u.n)::bigint AS n FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[],"
        " $5::text[], $6::bigint[], $7::bigint[]) AS u(year, g, grp, status, win_end, credit, n)"
        " GROUP BY 1, 2, 3, 4, 5, 6) v ORDER BY 1, 2, 3, 4, 5, 6"
        " ON CONFLICT(year, \"grouping\", grp, status, win_end, credit, slot) DO UPDATE SET n = c.n + excluded.n",
        7, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail_pg(d, r, "preparing a statement for");
    PQclear(r);
    d->counts_prepared = rc == 0;
    return rc;
}

static void clear_counts(db *d)
{
    for (int k = 0; k < 7; k++)
        d->counts[k].len = 0;
    d->ncounts = 0;
    d->ncount_years = 0;
}

static int add_counts(db *d)
{
    if (!d->ncounts)
        return 0;
    int rc = 0;
    for (int i = 0; rc == 0 && i < d->ncount_years; i++)
        if ((rc = lock_year(d, d->count_years[i], LOCK_SHARED)) == 0)
            rc = lock_year(d, d->count_years[i], LOCK_AUDIT);
    const char *vals[7];
    if (rc == 0)
        rc = count_params(d, vals);
    if (rc == 0 && piped(d)) {
        rc = pipe_send(d, "drill_add_counts", NULL, 7, vals, PGRES_COMMAND_OK, "writing to", NULL);
    } else if (rc == 0) {
        PGresult *r = PQexecPrepared(d->conn, "drill_add_counts", 7, vals, NULL, NULL, 0);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail_pg(d, r, "writing to");
        PQclear(r);
    }
    clear_counts(d);
    return rc;
}

/* the gathered bulk rows (not the count changes) */
static int flush_rows(db *d)
{
    int rc = d->copying == STMT_COUNT ? 0 : flush_one(d, d->copying);
    for (int s = 0; s < STMT_COUNT; s++) {
        int r = flush_one(d, (drill__stmt)s);
        if (rc == 0)
            rc = r;
    }
    return rc;
}

/* every gathered row, before anything that might read or depend on them */
static int flush(db *d)
{
    int rc = flush_rows(d), r = add_counts(d);
    return rc ? rc : r;
}

/* the gathered count changes wait for the commit (or the statements that
 * touch the counts): sent earlier, they would take the year's audit lock
 * early and hold it for the rest of the transaction */
static int before(db *d, drill__stmt s)
{
    int rc = flush_rows(d);
    if (rc == 0 && (s == STMT_CLEAR_PLAN || s == STMT_SELECT_COUNTS || s == STMT_INSERT_COUNT))
        rc = add_counts(d);
    return rc;
}

static void drop_pending(db *d)
{
    copy_end(d, 1);
    for (int s = 0; s < STMT_COUNT; s++)
        d->pend[s].len = d->pend[s].rows = 0;
    clear_counts(d);
}

/* ---- schema ---- */

static int text_query(db *d, const char *text, const char *param, char *out, size_t size, int *found)
{
    const char *vals[1] = { param };
    PGresult *r = PQexecParams(d->conn, text, param ? 1 : 0, NULL, vals, NULL, NULL, 0);
    int rc = 0;
    *found = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fail_pg(d, r, "reading");
    } else if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
        *found = 1;
        snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
    }
    PQclear(r);
    return rc;
}

/* the version in the database: 0 for none; -1 in *foreign for a schema holding other tables */
static int read_version(db *d, int *out, int *foreign)
{
    char buf[64];
    int found, rc;
    *out = 0;
    *foreign = 0;
    if ((rc = text_query(d, "SELECT to_regclass('meta') IS NOT NULL", NULL, buf, sizeof buf, &found)))
        return rc;
    if (strcmp(buf, "t") != 0) {
        /* no meta: an empty schema, or some other application's tables */
        if ((rc = text_query(d, "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                                " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                                " AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
                             NULL, buf, sizeof buf, &found)))
            return rc;
        *foreign = atoi(buf) > 0;
        return 0;
    }
    if ((rc = text_query(d, "SELECT value FROM meta WHERE key = $1", "application", buf, sizeof buf, &found)))
        return rc;
    if (!found || strcmp(buf, "libdrill") != 0) {
        *foreign = 1;
        return 0;
    }
    if ((rc = text_query(d, "SELECT value FROM meta WHERE key = $1", "schema_version", buf, sizeof buf, &found)))
        return rc;
    *out = found ? atoi(buf) : 0;
    if (*out <= 0)
        *foreign = 1;
    return 0;
}

static int schema_version(void *p, int *out)
{
    db *d = p;
    int foreign, rc = ensure_connected(d);
    return rc ? rc : read_version(d, out, &foreign);
}

static int check_version(db *d, int version, int foreign)
{
    if (foreign)
        return drill__error(DRILL_ECORRUPT, "%s is a PostgreSQL database but not a libdrill store (schema %s"
                                            " holds other tables)", d->name, "in the search_path");
    if (version > SCHEMA_VERSION)
        return drill__error(DRILL_EVERSION, "%s was written by a newer libdrill (store schema %d; this one knows up"
                                            " to %d)", d->name, version, SCHEMA_VERSION);
    return 0;
}

static int migrate(db *d)
{
    int version, foreign, rc;
    if ((rc = read_version(d, &version, &foreign)) || (rc = check_version(d, version, foreign)))
        return rc;
    if (version == SCHEMA_VERSION)
        return 0;
    if (d->read_only && version == 0)
        return drill__error(DRILL_ENOTFOUND, "%s is empty: not a libdrill store yet", d->name);
    if (d->read_only)
        return drill__error(DRILL_EVERSION, "%s has store schema %d and needs migrating to %d: open it writable",
                            d->name, version, SCHEMA_VERSION);
    if ((rc = run(d, "BEGIN", "migrating")))
        return rc;
    /* one migrator at a time; the version read again under the lock */
    if ((rc = run(d, "SELECT pg_advisory_xact_lock(x'" MIGRATION_LOCK "'::bigint)", "migrating")) ||
        (rc = read_version(d, &version, &foreign)) || (rc = check_version(d, version, foreign)))
        goto out;
    for (int v = version + 1; v <= SCHEMA_VERSION && rc == 0; v++) {
        char num[16];
        int found;
        snprintf(num, sizeof num, "%d", v);
        if ((rc = run(d, migrations[v], "migrating")) == 0)
            rc = text_query(d, "INSERT INTO meta VALUES('schema_version', $1) ON CONFLICT(key) DO UPDATE"
                               " SET value = excluded.value RETURNING value",
                            num, num, sizeof num, &found);
    }
out:
    if (rc) {
        PQclear(PQexec(d->conn, "ROLLBACK"));
        return rc;
    }
    return run(d, "COMMIT", "migrating");
}

/* ---- the interface ---- */

static void db_close(void *p)
{
    db *d = p;
    if (!d)
        return;
    if (d->conn)
        PQfinish(d->conn);
    for (int s = 0; s < STMT_COUNT; s++)
        free(d->pend[s].buf);
    for (int k = 0; k < 7; k++)
        free(d->counts[k].buf);
    free(d->conninfo);
    free(d->name);
    free(d);
}

static int db_open(void **out, const char *conninfo, int read_only)
{
    char masked[512], why[512];
    drill__pg_mask(masked, sizeof masked, conninfo);
    if (drill__pq_load(why, sizeof why))
        return drill__error(DRILL_EIO, "cannot open %s: PostgreSQL's client library cannot be loaded (%s): install "
                                       "libpq5, or set DRILL_LIBPQ to its file", masked, why);
    db *d = calloc(1, sizeof *d);
    if (!d || !(d->conninfo = drill__strdup(conninfo)) || !(d->name = drill__strdup(masked))) {
        db_close(d);
        return drill__error(DRILL_ENOMEM, "out of memory opening a store");
    }
    d->read_only = read_only;
    d->copying = STMT_COUNT;
    int rc = connect_db(d);
    if (rc == 0)
        rc = migrate(d);
    if (rc) {
        db_close(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* BEGIN on a connection that may have been lost since the last operation:
 * nothing has happened yet, so a lost one is made again and BEGIN retried */
static int begin_with(db *d, const char *text)
{
    int rc = ensure_connected(d);
    if (rc)
        return rc;
    drop_pending(d);
    PGresult *r = PQexec(d->conn, text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) { /* nothing has happened yet: once more on a new connection */
        PQclear(r);
        if ((rc = connect_db(d)))
            return rc;
        r = PQexec(d->conn, text);
    }
    rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail_pg(d, r, "starting a transaction in");
    PQclear(r);
    d->in_tx = rc == 0;
    d->nlocks = 0;
    return rc;
}

static int db_begin(void *p)
{
    db *d = p;
    int rc = begin_with(d, "BEGIN ISOLATION LEVEL READ COMMITTED");
    d->writing = rc == 0;
    return rc;
}

static void db_rollback(void *p);

static int db_begin_read(void *p)
{
    db *d = p;
    d->writing = 0;
    return begin_with(d, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

static void db_end_read(void *p)
{
    db_rollback(p); /* nothing to keep: the transaction only read */
}

static int db_commit(void *p)
{
    db *d = p;
    int rc = flush(d);
    PGresult *r = NULL;
    if (rc == 0 && d->piping && (rc = pipe_send(d, NULL, "COMMIT", 0, NULL, -1, committing, &r)) == 0 &&
        (rc = pipe_sync(d)) == 0 && !r)
        rc = drill__error(DRILL_EIO, "committing to %s: no answer from the server", d->name);
    if (rc) {
        if (d->broken)
            d->in_tx = 0; /* the server rolls it back when the connection goes */
        return rc;
    }
    if (!r)
        r = PQexec(d->conn, "COMMIT");
    /* COMMIT of a failed transaction answers ROLLBACK: that is a failure */
    if (PQresultStatus(r) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        char msg[1024];
        rc = PQstatus(d->conn) != CONNECTION_OK
                 ? drill__error(DRILL_EIO, "committing to %s: the connection was lost during COMMIT (the change may"
                                           " or may not have been applied): %s", d->name,
                                pq_message(d->conn, NULL, msg, sizeof msg))
                 : fail_pg(d, r, "committing to");
    }
    if (rc && PQstatus(d->conn) != CONNECTION_OK)
        d->broken = 1;
    PQclear(r);
    d->in_tx = 0;
    return rc;
}

static void db_rollback(void *p)
{
    db *d = p;
    drop_pending(d);
    pipe_finish(d, 0); /* what was sent is read and dropped; the failure's message stays */
    d->in_tx = 0;
    if (d->broken || PQstatus(d->conn) != CONNECTION_OK) {
        d->broken = 1; /* the server rolled it back when the connection went */
        return;
    }
    PQclear(PQexec(d->conn, "ROLLBACK"));
}

/* Writers of one year under READ COMMITTED, with SQLite's guarantees:
 *
 * - Replacing a scope (a plan saved whole, the working registries) takes
 *   the year's lock exclusively, at its check of the stored revisions
 *   (STMT_SELECT_DRILLS in a writing transaction) or its delete
 *   (STMT_CLEAR_PLAN): no change to one of its drills can commit between
 *   the check and the replacement, and its DELETE (a new statement, a new
 *   snapshot) sees what the writer before it committed.
 * - A change to single drills takes the year's lock shared, at its first
 *   statement naming the year: changes to different drills run at once,
 *   and none runs beside a replacement of its year. The revision check of
 *   STMT_UPDATE_DRILL ("WHERE revision = base", re-read after a concurrent
 *   update) refuses a stale change.
 * - Numbering an audit entry takes the year's audit lock: numbers without
 *   gap or duplicate, and committed in their order (a reader of the entries
 *   after N never misses one committed late). A tracking change writes its
 *   entry unnumbered and numbers it in a short transaction of its own just
 *   after its commit (db_query_commit()); any other writing transaction
 *   numbers its entries itself (STMT_APPEND_AUDIT), holding the lock to its
 *   commit, and moves its counters (STMT_ADD_COUNT, gathered until the
 *   commit or a statement that reads the counts: add_counts()) under it.
 *   Counter rows are changed in key order, in the connection's own slot
 *   (migration 10): two changes moving drills in opposite directions (a
 *   cancel, a reinstatement) never lock the same rows in opposite orders.
 *
 * pg_advisory_xact_lock(key, year): released at commit or rollback. */
static const char *const lock_names[] = { "drill_lock_s", "drill_lock_x", "drill_lock_a" };

/* this transaction holds the year's lock in mode (or a stronger one) */
static int holds(const db *d, long long year, int mode)
{
    for (int i = 0; i < d->nlocks; i++)
        if (d->locks[i].year == year && (d->locks[i].mode == mode ||
                                         (mode == LOCK_SHARED && d->locks[i].mode == LOCK_EXCLUSIVE)))
            return 1;
    return 0;
}

static void held(db *d, long long year, int mode)
{
    if (d->nlocks < (int)(sizeof d->locks / sizeof *d->locks)) {
        d->locks[d->nlocks].year = year;
        d->locks[d->nlocks++].mode = mode;
    }
}

static int prepare_lock(db *d, int mode)
{
    static const char *const text[] = {
        "SELECT pg_advisory_xact_lock_shared(" SCOPE_LOCK ", $1::integer)",
        "SELECT pg_advisory_xact_lock(" SCOPE_LOCK ", $1::integer)",
        "SELECT pg_advisory_xact_lock(" AUDIT_LOCK ", $1::integer)",
    };
    if (d->lock_prepared & (1 << mode))
        return 0;
    int rc0 = pipe_sync(d);
    if (rc0)
        return rc0;
    PGresult *r = PQprepare(d->conn, lock_names[mode], text[mode], 1, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail_pg(d, r, "preparing a statement for");
    PQclear(r);
    if (rc == 0)
        d->lock_prepared |= 1 << mode;
    return rc;
}

static int lock_year(db *d, long long year, int mode)
{
    if (holds(d, year, mode))
        return 0;
    int rc = prepare_lock(d, mode);
    if (rc)
        return rc;
    char num[24];
    snprintf(num, sizeof num, "%lld", year);
    const char *vals[1] = { num };
    if (piped(d)) { /* held once the server runs it; a failure fails the transaction */
        if ((rc = pipe_send(d, lock_names[mode], NULL, 1, vals, PGRES_TUPLES_OK, "locking a plan in", NULL)) == 0)
            held(d, year, mode);
        return rc;
    }
    PGresult *r = PQexecPrepared(d->conn, lock_names[mode], 1, vals, NULL, NULL, 0);
    rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : fail_pg(d, r, "locking a plan in");
    PQclear(r);
    if (rc == 0)
        held(d, year, mode);
    return rc;
}

/* the year locks a statement takes in a writing transaction (see above) */
static int lock_for(db *d, drill__stmt s, const drill__value *v, size_t n)
{
    if (!d->in_tx || !d->writing)
        return 0;
    switch (s) {
    case STMT_CLEAR_PLAN:
    case STMT_SELECT_DRILLS:
        return n >= 1 ? lock_year(d, v[0].i, LOCK_EXCLUSIVE) : 0;
    case STMT_UPSERT_TRACK:
        return n >= 2 ? lock_year(d, v[1].i, LOCK_SHARED) : 0;
    case STMT_APPEND_AUDIT: {
        int rc = n >= 1 ? lock_year(d, v[0].i, LOCK_SHARED) : 0;
        return rc || n < 1 ? rc : lock_year(d, v[0].i, LOCK_AUDIT);
    }
    default:
        return 0;
    }
}

static int db_exec(void *p, drill__stmt s, const drill__value *params, size_t n, int *out_changes)
{
    db *d = p;
    int rc;
    if (!d->in_tx && (rc = ensure_connected(d)))
        return rc;
    if (s == STMT_MOVE_COUNT) { /* a counter row per state (and slot): a move is a count added and one taken */
        if (out_changes)
            *out_changes = 0;
        return 0;
    }
    if (d->in_tx && s == STMT_ADD_COUNT) {
        if (out_changes)
            *out_changes = 1;
        return gather_count(d, params, n);
    }
    if (d->in_tx && bulks[s].table && (size_t)bulks[s].n == n) {
        pending *pd = &d->pend[s];
        if ((rc = add_row(pd, params, n)))
            return rc;
        if (out_changes)
            *out_changes = 1;
        return pd->len >= COPY_CHUNK ? copy_chunk(d, s, pd) : 0;
    }
    if ((rc = before(d, s)) || (rc = lock_for(d, s, params, n)))
        return rc;
    if (!out_changes && piped(d))
        return exec_deferred(d, s, params, n);
    PGresult *r = NULL;
    if ((rc = exec_prepared(d, s, params, n, &r)))
        return rc;
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = fail_pg(d, r, "writing to");
    else if (out_changes)
        *out_changes = atoi(PQcmdTuples(r));
    PQclear(r);
    return rc;
}

static int deliver(const PGresult *r, drill__row_fn row, void *ctx);

static int db_query(void *p, drill__stmt s, const drill__value *params, size_t n, drill__row_fn row, void *ctx)
{
    db *d = p;
    int rc;
    if ((!d->in_tx && (rc = ensure_connected(d))) || (rc = before(d, s)) || (rc = lock_for(d, s, params, n)))
        return rc;
    PGresult *r = NULL;
    if ((rc = exec_prepared(d, s, params, n, &r)))
        return rc;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        rc = fail_pg(d, r, "reading");
        PQclear(r);
        return rc;
    }
    rc = deliver(r, row, ctx);
    PQclear(r);
    return rc;
}

/* a result's rows to the callback, as values: int8, int2 and int4 columns as numbers */
static int deliver(const PGresult *r, drill__row_fn row, void *ctx)
{
    int rc = 0, rows = PQntuples(r), nc = PQnfields(r);
    if (nc > 32)
        nc = 32;
    int is_int[32];
    for (int c = 0; c < nc; c++) {
        Oid t = PQftype(r, c);
        is_int[c] = t == 20 || t == 21 || t == 23; /* int8, int2, int4 */
    }
    drill__value cols[32];
    for (int i = 0; rc == 0 && i < rows; i++) {
        for (int c = 0; c < nc; c++) {
            if (PQgetisnull(r, i, c)) {
                cols[c] = (drill__value){ DRILL__NULL, 0, NULL };
            } else {
                const char *v = PQgetvalue(r, i, c);
                cols[c] = is_int[c] ? (drill__value){ DRILL__INT, strtoll(v, NULL, 10), v }
                                    : (drill__value){ DRILL__TEXT, strtoll(v, NULL, 10), v };
            }
        }
        rc = row(ctx, cols, (size_t)nc);
    }
    return rc;
}

/* PostgreSQL has no integrity_check a client may run: the store's tables are
 * all there and each is read whole (with data checksums on, a damaged page
 * fails the read) */
static int db_check(void *p, int *out_ok, char *detail, size_t size)
{
    db *d = p;
    int rc = ensure_connected(d);
    if (rc)
        return rc;
    *out_ok = 0;
    if ((rc = begin_with(d, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")))
        return rc;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char text[128], buf[32];
        int found;
        snprintf(text, sizeof text, "SELECT to_regclass('%s') IS NOT NULL", tables[i]);
        if ((rc = text_query(d, text, NULL, buf, sizeof buf, &found)))
            goto out;
        if (strcmp(buf, "t") != 0) {
            drill__format(detail, size, "%s: the table is missing", tables[i]);
            goto out;
        }
        snprintf(text, sizeof text, "SELECT count(*) FROM %s", tables[i]);
        if ((rc = text_query(d, text, NULL, buf, sizeof buf, &found))) {
            if (rc == DRILL_ECORRUPT) {
                drill__format(detail, size, "%s: %s", tables[i], drill_error_last()->message);
                rc = 0;
            }
            goto out;
        }
    }
    /* rows that keep their plan by STMT_CLEAR_PLAN, and a unit its class
     * by the load, not by foreign keys (migrations 10, 11) */
#define NO_PLAN(table, year)                                                                                   \
    { "SELECT count(*) FROM " table " x WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.year = x." year ")",  \
      table, "of a year with no plan" }
    static const struct {
        const char *sql, *table, *what;
    } orphans[] = {
        NO_PLAN("drills", "year"),
        NO_PLAN("units", "plan_year"),
        NO_PLAN("tracks", "year"),
        NO_PLAN("audit", "year"),
        NO_PLAN("drill_counts", "year"),
        { "SELECT count(*) FROM units u WHERE NOT EXISTS (SELECT 1 FROM classes c WHERE c.plan_year = u.plan_year"
          " AND c.id = u.class)", "units", "of a class their year's registries lack" },
    };
#undef NO_PLAN
    for (size_t i = 0; i < sizeof orphans / sizeof *orphans; i++) {
        char buf[32];
        int found;
        if ((rc = text_query(d, orphans[i].sql, NULL, buf, sizeof buf, &found)))
            goto out;
        if (strcmp(buf, "0") != 0) {
            drill__format(detail, size, "%s: %s row%s %s", orphans[i].table, buf, strcmp(buf, "1") ? "s" : "",
                          orphans[i].what);
            goto out;
        }
    }
    *out_ok = 1;
    drill__format(detail, size, "ok");
out:
    db_rollback(d);
    return rc;
}

/* A tracking change's audit entry is written unnumbered by its transaction
 * (PENDING_AUDIT) and numbered just after its commit, in a short
 * transaction of its own under the year's audit lock (NUMBER_AUDIT): every
 * entry of the year still unnumbered, in the order written, after the
 * year's last number. Only the numbering waits for the lock, and it
 * commits without waiting for its WAL flush (the lock is held for the
 * server's work alone); a transaction that only takes an id follows,
 * committed as usual, so the numbers are on disk before the call returns.
 * The changes of a year thus commit at once and share their flushes; the
 * numbers stay gapless, and a number is seen only once every number before
 * it is committed. (A number is visible for the length of one flush before
 * it is durable: a server crash in that moment leaves those entries
 * unnumbered, to be numbered again by the next change.) The entry's
 * number is this session's last audit id's (currval), whoever numbered it. */
static const char *const audit_sql[] = {
    "INSERT INTO audit(year, time, actor, drill_id, field, old_value, new_value, reason)"
    " VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
    "WITH me AS MATERIALIZED (SELECT currval('audit_id_seq') AS id),"
    " last AS (SELECT coalesce(max(seq), 0) AS m FROM audit WHERE year = $1),"
    " todo AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM audit WHERE year = $1 AND seq IS NULL),"
    " done AS (UPDATE audit a SET seq = last.m + todo.k FROM last, todo WHERE a.id = todo.id RETURNING a.id, a.seq)"
    " SELECT done.seq FROM done JOIN me ON done.id = me.id"
    " UNION ALL SELECT a.seq FROM audit a JOIN me ON a.id = me.id WHERE a.seq IS NOT NULL",
};
static const char *const audit_names[] = { "drill_pending_audit", "drill_number_audit" };
enum { PENDING_AUDIT, NUMBER_AUDIT };

static int prepare_audit(db *d)
{
    if (d->audit_prepared)
        return 0;
    int rc = pipe_sync(d);
    for (int k = 0; rc == 0 && k < 2; k++) {
        PGresult *r = PQprepare(d->conn, audit_names[k], audit_sql[k], k ? 1 : 8, NULL);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail_pg(d, r, "preparing a statement for");
        PQclear(r);
    }
    d->audit_prepared = rc == 0;
    return rc;
}

/* the numbering's answer: its row (a number) if it committed and was
 * flushed (f), else the entry is left for the next numbering and reads as
 * pending meanwhile */
static long long numbered(db *d, PGresult *r, PGresult *c, PGresult *f)
{
    if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && c &&
        PQresultStatus(c) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(c), "COMMIT") == 0 && f &&
        PQresultStatus(f) == PGRES_TUPLES_OK)
        return strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    if (!d->broken && PQstatus(d->conn) == CONNECTION_OK) { /* a failed numbering's transaction ends */
        PGresult *x = PQexec(d->conn, "ROLLBACK");
        PQclear(x);
    }
    return DRILL__SEQ_PENDING;
}

/* The last statement of a writing transaction and COMMIT in one pipeline.
 * A tracking change's: the year's shared lock, the gathered count changes
 * (its own slot's rows), its audit entry unnumbered and COMMIT; then, in
 * the same pipeline, the entry's numbering (BEGIN, the year's locks,
 * NUMBER_AUDIT, COMMIT). All reach the server at once: one round trip. */
static int db_query_commit(void *p, drill__stmt s, const drill__value *params, size_t n, drill__row_fn row, void *ctx)
{
    db *d = p;
    int rc;
    if (!piped(d) || s != STMT_APPEND_AUDIT || n != 8 || holds(d, params[0].i, LOCK_AUDIT)) {
        /* nothing to gain (or numbered under the lock already): one after the other */
        rc = db_query(p, s, params, n, row, ctx);
        return rc ? rc : db_commit(p);
    }
    const char *vals[32], *cvals[7];
    char nums[32][24];
    long long years[9];
    int nyears = 0, known = 0;
    for (int i = 0; i < d->ncount_years; i++)
        years[nyears++] = d->count_years[i];
    for (int i = 0; i < nyears; i++)
        known |= years[i] == params[0].i;
    if (!known)
        years[nyears++] = params[0].i;
    /* rows gathered, statements prepared (a round trip the first time only) */
    if ((rc = flush_rows(d)) || (rc = prepare_audit(d)) || (rc = to_params(vals, nums, params, n)) ||
        (rc = prepare_lock(d, LOCK_AUDIT)) || (rc = prepare_lock(d, LOCK_SHARED)) ||
        (d->ncounts && (rc = count_params(d, cvals))))
        return rc;
    for (int i = 0; i < nyears && rc == 0; i++)
        rc = lock_year(d, years[i], LOCK_SHARED);
    if (rc == 0 && d->ncounts)
        rc = pipe_send(d, "drill_add_counts", NULL, 7, cvals, PGRES_COMMAND_OK, "writing to", NULL);
    clear_counts(d);
    PGresult *c = NULL, *r2 = NULL, *c2 = NULL, *f = NULL;
    if (rc == 0)
        rc = pipe_send(d, audit_names[PENDING_AUDIT], NULL, 8, vals, PGRES_COMMAND_OK, "writing to", NULL);
    if (rc == 0)
        rc = pipe_send(d, NULL, "COMMIT", 0, NULL, -1, committing, &c);
    /* the numbering: vals[0] is the year */
    if (rc == 0)
        rc = pipe_send(d, NULL, "BEGIN ISOLATION LEVEL READ COMMITTED", 0, NULL, AFTER_COMMIT, "numbering in", NULL);
    if (rc == 0)
        rc = pipe_send(d, NULL, "SET LOCAL synchronous_commit TO off", 0, NULL, AFTER_COMMIT, "numbering in", NULL);
    if (rc == 0)
        rc = pipe_send(d, lock_names[LOCK_SHARED], NULL, 1, vals, AFTER_COMMIT, "numbering in", NULL);
    if (rc == 0)
        rc = pipe_send(d, lock_names[LOCK_AUDIT], NULL, 1, vals, AFTER_COMMIT, "numbering in", NULL);
    if (rc == 0)
        rc = pipe_send(d, audit_names[NUMBER_AUDIT], NULL, 1, vals, AFTER_COMMIT, "numbering in", &r2);
    if (rc == 0)
        rc = pipe_send(d, NULL, "COMMIT", 0, NULL, AFTER_COMMIT, "numbering in", &c2);
    if (rc == 0) /* the numbers flushed, the lock long free */
        rc = pipe_send(d, NULL, "SELECT pg_current_xact_id()", 0, NULL, AFTER_COMMIT, "numbering in", &f);
    if (rc == 0)
        rc = pipe_sync(d);
    if (rc == 0 && (!c || PQresultStatus(c) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(c), "COMMIT") != 0))
        rc = c && PQresultStatus(c) != PGRES_COMMAND_OK ? fail_pg(d, c, committing)
                                                         : drill__error(DRILL_EIO, "committing to %s: the server "
                                                                                   "rolled the transaction back",
                                                                        d->name);
    if (rc == 0) { /* committed: the change is made, numbered or not */
        d->in_tx = 0;
        char num[24];
        long long number = numbered(d, r2, c2, f);
        snprintf(num, sizeof num, "%lld", number);
        const drill__value seq = { DRILL__INT, number, num };
        rc = row(ctx, &seq, 1);
    } else if (d->broken) {
        d->in_tx = 0; /* the server rolls it back when the connection goes */
    }
    PQclear(c);
    PQclear(r2);
    PQclear(c2);
    PQclear(f);
    return rc;
}

const drill__backend drill__pg_backend = {
    "postgresql", db_open, db_close, db_begin, db_commit, db_rollback, db_begin_read, db_end_read, db_exec, db_query,
    schema_version, db_check, db_query_commit,
};
