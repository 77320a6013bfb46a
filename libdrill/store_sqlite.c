/* The SQLite backend of the store, and every SQL statement of libdrill.
 * One file; WAL so readers are not blocked by the writer; foreign keys on;
 * synchronous=FULL so a committed change survives a crash or power loss;
 * only prepared statements with bound values. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "store_backend.h"

#define SCHEMA_VERSION 11

/* a counter row's columns n0..n5 (its drills in each state, drill_status's
 * order, migration 11) for N drills in status S */
#define COUNT_VALUES(S, N) \
    "(" S " = 0) * " N ", (" S " = 1) * " N ", (" S " = 2) * " N ", (" S " = 3) * " N ", (" S " = 4) * " N  \
    ", (" S " = 5) * " N
#define COUNT_ADDED \
    "n0 = n0 + excluded.n0, n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3,"  \
    " n4 = n4 + excluded.n4, n5 = n5 + excluded.n5"

/* migrations[v] takes a store from version v - 1 to v */
static const char *const migrations[SCHEMA_VERSION + 1] = {
    NULL,
    /* 1: the tables; every plan keeps the registries it was made from */
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
    "CREATE TABLE plans(year INTEGER PRIMARY KEY, allow_uncovered INTEGER, policy INTEGER, capacity INTEGER,"
    " spacing INTEGER, observer_min_risk INTEGER, observe_comprehensive INTEGER, start1 INTEGER, start2 INTEGER,"
    " start3 INTEGER, duration1 INTEGER, duration2 INTEGER, duration3 INTEGER, tabletop INTEGER,"
    " scheduled INTEGER);"
    "CREATE TABLE classes(plan_year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " id TEXT NOT NULL, name TEXT NOT NULL, name_en TEXT, flags INTEGER NOT NULL, scenario TEXT NOT NULL,"
    " PRIMARY KEY(plan_year, id));"
    "CREATE TABLE units(plan_year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " id TEXT NOT NULL, name TEXT NOT NULL, area TEXT NOT NULL, class TEXT NOT NULL, address TEXT, contact TEXT,"
    " phone TEXT, headcount INTEGER NOT NULL, risk INTEGER NOT NULL, flood_prone INTEGER NOT NULL,"
    " key_fire INTEGER NOT NULL, PRIMARY KEY(plan_year, id),"
    " FOREIGN KEY(plan_year, class) REFERENCES classes(plan_year, id) DEFERRABLE INITIALLY DEFERRED);"
    "CREATE TABLE blackouts(plan_year INTEGER NOT NULL, unit_id TEXT NOT NULL, from_date TEXT NOT NULL,"
    " to_date TEXT NOT NULL,"
    " FOREIGN KEY(plan_year, unit_id) REFERENCES units(plan_year, id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);"
    "CREATE TABLE rules(plan_year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " id TEXT NOT NULL, name TEXT NOT NULL, name_en TEXT, source TEXT, classes TEXT, class_flags INTEGER, area TEXT,"
    " min_risk INTEGER, flood_prone INTEGER, key_fire INTEGER, kind INTEGER, form INTEGER, scenario TEXT,"
    " frequency INTEGER, campaign TEXT, due_from INTEGER, PRIMARY KEY(plan_year, id));"
    "CREATE TABLE campaigns(plan_year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, name_en TEXT, source TEXT, rule INTEGER,"
    " month INTEGER, day INTEGER, end_month INTEGER, end_day INTEGER, nth INTEGER, weekday INTEGER,"
    " length_days INTEGER, align_weekday INTEGER, base TEXT, start_offset INTEGER, end_offset INTEGER,"
    " first_year INTEGER, last_year INTEGER, estimated INTEGER, PRIMARY KEY(plan_year, id));"
    "CREATE TABLE campaign_years(plan_year INTEGER NOT NULL, campaign_id TEXT NOT NULL, year INTEGER NOT NULL,"
    " start TEXT NOT NULL, end TEXT NOT NULL, FOREIGN KEY(plan_year, campaign_id)"
    " REFERENCES campaigns(plan_year, id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);"
    "CREATE TABLE holidays(plan_year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " date TEXT NOT NULL, kind INTEGER NOT NULL, name TEXT NOT NULL, name_en TEXT, year INTEGER NOT NULL,"
    " PRIMARY KEY(plan_year, date));"
    "CREATE TABLE covered_years(plan_year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " year INTEGER NOT NULL, PRIMARY KEY(plan_year, year));"
    "CREATE TABLE plan_capacity(year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " district TEXT NOT NULL, capacity INTEGER NOT NULL);"
    "CREATE TABLE plan_closed(year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE, district TEXT,"
    " date TEXT NOT NULL);"
    "CREATE TABLE plan_history(year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " unit_id TEXT NOT NULL, rule_id TEXT NOT NULL, planned TEXT, held TEXT);"
    "CREATE TABLE drills(id TEXT NOT NULL PRIMARY KEY, year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " status INTEGER NOT NULL, date TEXT, reason INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE tracks(drill_id TEXT NOT NULL PRIMARY KEY,"
    " year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " status INTEGER NOT NULL, has_outcome INTEGER NOT NULL, date TEXT, start_minute INTEGER, end_minute INTEGER,"
    " kind INTEGER, form INTEGER, participants INTEGER, non_participants INTEGER, observers TEXT,"
    " evacuation INTEGER, evacuation_target INTEGER, headcount INTEGER, headcount_target INTEGER, score INTEGER,"
    " notes TEXT, cancel_reason TEXT);"
    "CREATE TABLE actions(drill_id TEXT NOT NULL REFERENCES tracks(drill_id) ON DELETE CASCADE,"
    " number INTEGER NOT NULL, finding TEXT NOT NULL, capability TEXT, action TEXT NOT NULL, owner TEXT NOT NULL,"
    " due TEXT NOT NULL, status INTEGER NOT NULL, closed TEXT, PRIMARY KEY(drill_id, number));"
    "CREATE TABLE audit(seq INTEGER NOT NULL, year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " time TEXT NOT NULL, actor TEXT NOT NULL,"
    " drill_id TEXT NOT NULL, field TEXT NOT NULL, old_value TEXT, new_value TEXT, reason TEXT,"
    " PRIMARY KEY(year, seq));"
    "INSERT INTO meta VALUES('application', 'libdrill');",
    /* 2: look-ups by year and by drill */
    "CREATE INDEX drills_year ON drills(year);"
    "CREATE INDEX tracks_year ON tracks(year);"
    "CREATE INDEX audit_drill ON audit(drill_id);",
    /* 3: feeds need each drill's revision and the plan's creation time */
    "ALTER TABLE drills ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE plans ADD COLUMN created TEXT;",
    /* 4: the child keys of the registries' foreign keys, indexed. Replacing a
     * scope's registries (a plan saved again, the working registries) deletes
     * its units, and without these each deleted unit scanned every blackout
     * of the file: 20,737 units took a second. */
    "CREATE INDEX blackouts_unit ON blackouts(plan_year, unit_id);"
    "CREATE INDEX units_class ON units(plan_year, class);"
    "CREATE INDEX campaign_years_campaign ON campaign_years(plan_year, campaign_id);",
    /* 5: the store's identity (a plan knows which store it was read from), and
     * the tracking rows of one drill found without a scan */
    "INSERT OR IGNORE INTO meta VALUES('store_id', lower(hex(randomblob(16))));"
    "CREATE INDEX IF NOT EXISTS actions_drill ON actions(drill_id, number);"
    "CREATE INDEX IF NOT EXISTS history_unit ON plan_history(year, unit_id);",
    /* 6: each drill's unit, rule and groups, and the year's counts by group,
     * state and window end, kept with every change: a coverage report reads
     * a few hundred rows, not the year. A plan saved by an older libdrill
     * has none (counted 0) until it is saved again. */
    "ALTER TABLE drills ADD COLUMN unit_id TEXT;"
    "ALTER TABLE drills ADD COLUMN rule_id TEXT;"
    "ALTER TABLE drills ADD COLUMN campaign TEXT;"
    "ALTER TABLE drills ADD COLUMN district TEXT;"
    "ALTER TABLE drills ADD COLUMN class TEXT;"
    "ALTER TABLE drills ADD COLUMN tier TEXT;"
    "ALTER TABLE drills ADD COLUMN win_end TEXT;"
    "ALTER TABLE drills ADD COLUMN credits TEXT;"
    "ALTER TABLE plans ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE plans ADD COLUMN today TEXT;"
    "ALTER TABLE plans ADD COLUMN day_slots INTEGER;"
    "ALTER TABLE plans ADD COLUMN slot_minutes INTEGER;"
    "ALTER TABLE plans ADD COLUMN avoid_after_breaks INTEGER;"
    "CREATE TABLE drill_counts(year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " grouping INTEGER NOT NULL, grp TEXT NOT NULL, status INTEGER NOT NULL, win_end TEXT NOT NULL,"
    " credit INTEGER NOT NULL, ord INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY(year, grouping, grp, status, win_end, credit)) WITHOUT ROWID;"
    "CREATE INDEX drills_due ON drills(year, status, win_end);"
    "CREATE INDEX drills_date ON drills(year, date);",
    /* 7: rules that one drill satisfies together (drill_rule version 2), and school breaks */
    "ALTER TABLE rules ADD COLUMN satisfied_by_kinds INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE rules ADD COLUMN satisfied_by_scenarios TEXT;"
    "CREATE TABLE breaks(plan_year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " class TEXT NOT NULL, yearly INTEGER NOT NULL, from_date TEXT NOT NULL, to_date TEXT NOT NULL,"
    " name TEXT NOT NULL, PRIMARY KEY(plan_year, seq));",
    /* 8: each drill's window start, start time, duration and observer, for
     * lists straight from the store; a plan saved before has none of them,
     * so it is not counted (store reports and lists refuse it) until saved again */
    "ALTER TABLE drills ADD COLUMN win_start TEXT;"
    "ALTER TABLE drills ADD COLUMN start_minute INTEGER;"
    "ALTER TABLE drills ADD COLUMN duration INTEGER;"
    "ALTER TABLE drills ADD COLUMN observer INTEGER;"
    "UPDATE plans SET counted = 0;",
    /* 9: the campaign widening of the schedule options (version 3; NULL: the defaults) */
    "ALTER TABLE plans ADD COLUMN campaign_min_days INTEGER;"
    "ALTER TABLE plans ADD COLUMN campaign_widen_days INTEGER;",
    /* 10: drills_year goes: drills_due and drills_date lead with the year,
     * and every save and change kept one index more up to date */
    "DROP INDEX IF EXISTS drills_year;",
    /* 11: what a tracking change writes, in fewer pages (each one more to
     * log and sync costs a writer about 20 us while the others wait):
     * - a counter row holds a group's drills of one window end in every
     *   state, so a change of state moves one row, in place; and the rows
     *   of one window end are kept together (a drill's groupings all share
     *   it: one page, where keyed by grouping first they took four);
     * - tracking rows and the audit trail are kept in their keys' order
     *   (WITHOUT ROWID): a row and one index entry each, not a row and two
     *   (actions go along, their foreign key naming the new tracks; their
     *   own key already leads with the drill, so actions_drill goes). Long
     *   notes or reasons spill into overflow pages, as they did before.
     * The rows are copied as they are: migrate() runs with the foreign keys
     * off, so a row something else wrote that names what the store lacks
     * is kept (drill_store_check() finds it) instead of failing the open. */
    "CREATE TABLE counts(year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " grouping INTEGER NOT NULL, grp TEXT NOT NULL, win_end TEXT NOT NULL, credit INTEGER NOT NULL,"
    " ord INTEGER NOT NULL, n0 INTEGER NOT NULL, n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL,"
    " n4 INTEGER NOT NULL, n5 INTEGER NOT NULL, PRIMARY KEY(year, win_end, grouping, grp, credit)) WITHOUT ROWID;"
    "INSERT INTO counts SELECT year, grouping, grp, win_end, credit, min(ord),"
    " sum(n * (status = 0)), sum(n * (status = 1)), sum(n * (status = 2)), sum(n * (status = 3)),"
    " sum(n * (status = 4)), sum(n * (status = 5))"
    " FROM drill_counts GROUP BY year, grouping, grp, win_end, credit;"
    "DROP TABLE drill_counts;"
    "ALTER TABLE counts RENAME TO drill_counts;"
    "ALTER TABLE tracks RENAME TO tracks_10;"
    "CREATE TABLE tracks(drill_id TEXT NOT NULL PRIMARY KEY,"
    " year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " status INTEGER NOT NULL, has_outcome INTEGER NOT NULL, date TEXT, start_minute INTEGER, end_minute INTEGER,"
    " kind INTEGER, form INTEGER, participants INTEGER, non_participants INTEGER, observers TEXT,"
    " evacuation INTEGER, evacuation_target INTEGER, headcount INTEGER, headcount_target INTEGER, score INTEGER,"
    " notes TEXT, cancel_reason TEXT) WITHOUT ROWID;"
    "INSERT INTO tracks SELECT * FROM tracks_10;"
    "ALTER TABLE actions RENAME TO actions_10;"
    "CREATE TABLE actions(drill_id TEXT NOT NULL REFERENCES tracks(drill_id) ON DELETE CASCADE,"
    " number INTEGER NOT NULL, finding TEXT NOT NULL, capability TEXT, action TEXT NOT NULL, owner TEXT NOT NULL,"
    " due TEXT NOT NULL, status INTEGER NOT NULL, closed TEXT, PRIMARY KEY(drill_id, number)) WITHOUT ROWID;"
    "INSERT INTO actions SELECT * FROM actions_10;"
    "DROP TABLE actions_10;"
    "DROP TABLE tracks_10;"
    "CREATE INDEX tracks_year ON tracks(year);"
    "ALTER TABLE audit RENAME TO audit_10;"
    "CREATE TABLE audit(seq INTEGER NOT NULL, year INTEGER NOT NULL REFERENCES plans(year) ON DELETE CASCADE,"
    " time TEXT NOT NULL, actor TEXT NOT NULL,"
    " drill_id TEXT NOT NULL, field TEXT NOT NULL, old_value TEXT, new_value TEXT, reason TEXT,"
    " PRIMARY KEY(year, seq)) WITHOUT ROWID;"
    "INSERT INTO audit SELECT seq, year, time, actor, drill_id, field, old_value, new_value, reason FROM audit_10;"
    "DROP TABLE audit_10;"
    "CREATE INDEX audit_drill ON audit(drill_id);",
};

/* the drills' list (STMT_LIST_DRILLS): its columns, and its filter after the year (and unit) */
#define LIST_COLUMNS \
    "SELECT d.id, d.unit_id, u.name, d.district, d.campaign, d.rule_id, d.status, d.date, d.reason, d.win_start,"  \
    " d.win_end, d.revision, d.start_minute, d.duration, r.kind, r.form, coalesce(r.scenario, c.scenario),"  \
    " d.observer FROM drills d JOIN units u ON u.plan_year = d.year AND u.id = d.unit_id JOIN rules r ON"  \
    " r.plan_year = d.year AND r.id = d.rule_id JOIN classes c ON c.plan_year = d.year AND c.id = u.class"
#define LIST_FILTER \
    " AND (?2 IS NULL OR d.district = ?2) AND (?3 IS NULL OR d.campaign = ?3) AND (?4 IS NULL OR d.rule_id = ?4)"  \
    " AND (?5 = 0 OR (?5 >> d.status) & 1 = 1) AND (?6 IS NULL OR (d.date IS NOT NULL AND d.status <> 5 AND"  \
    " d.date >= ?6 AND d.date <= ?7) OR ((d.date IS NULL OR d.status = 5) AND d.win_end >= ?6 AND (d.win_start IS"  \
    " NULL OR d.win_start <= ?7))) ORDER BY u.seq, r.seq, d.id"

static const char *const sql[STMT_COUNT] = {
    [STMT_INSERT_CLASS] = "INSERT INTO classes VALUES(?,?,?,?,?,?)",
    [STMT_INSERT_UNIT] = "INSERT INTO units VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [STMT_INSERT_BLACKOUT] = "INSERT INTO blackouts VALUES(?,?,?,?)",
    [STMT_INSERT_RULE] = "INSERT INTO rules VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [STMT_INSERT_BREAK] = "INSERT INTO breaks VALUES(?,?,?,?,?,?,?)",
    [STMT_INSERT_CAMPAIGN] = "INSERT INTO campaigns VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [STMT_INSERT_CAMPAIGN_YEAR] = "INSERT INTO campaign_years VALUES(?,?,?,?,?)",
    [STMT_INSERT_HOLIDAY] = "INSERT INTO holidays VALUES(?,?,?,?,?,?)",
    [STMT_INSERT_COVERED] = "INSERT INTO covered_years VALUES(?,?)",
    [STMT_SET_META] = "INSERT INTO meta VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [STMT_CLEAR_PLAN] = "DELETE FROM plans WHERE year = ?1",
    [STMT_INSERT_PLAN] = "INSERT INTO plans VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?,?)",
    [STMT_INSERT_CAPACITY] = "INSERT INTO plan_capacity VALUES(?,?,?)",
    [STMT_INSERT_CLOSED] = "INSERT INTO plan_closed VALUES(?,?,?)",
    [STMT_INSERT_HISTORY] = "INSERT INTO plan_history VALUES(?,?,?,?,?)",
    [STMT_INSERT_DRILL] = "INSERT INTO drills VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [STMT_INSERT_COUNT] = "INSERT INTO drill_counts VALUES(?1, ?2, ?3, ?5, ?6, ?7, " COUNT_VALUES("?4", "?8") ")"
                          " ON CONFLICT(year, win_end, grouping, grp, credit) DO UPDATE SET " COUNT_ADDED,
    /* a row a tracking change adds has no order of its own (STMT_SELECT_COUNTS) */
    [STMT_ADD_COUNT] = "INSERT INTO drill_counts VALUES(?1, ?2, ?3, ?5, ?6, 2147483647, " COUNT_VALUES("?4", "?7") ")"
                       " ON CONFLICT(year, win_end, grouping, grp, credit) DO UPDATE SET " COUNT_ADDED,
    [STMT_MOVE_COUNT] = "UPDATE drill_counts SET n0 = n0 - (?6 = 0) + (?7 = 0), n1 = n1 - (?6 = 1) + (?7 = 1),"
                        " n2 = n2 - (?6 = 2) + (?7 = 2), n3 = n3 - (?6 = 3) + (?7 = 3),"
                        " n4 = n4 - (?6 = 4) + (?7 = 4), n5 = n5 - (?6 = 5) + (?7 = 5)"
                        " WHERE year = ?1 AND win_end = ?5 AND grouping = ?2 AND grp = ?3 AND credit = ?4",
    [STMT_SET_COUNTED] = "UPDATE plans SET counted = 1 WHERE year = ?1",
    [STMT_GET_COUNTED] = "SELECT counted FROM plans WHERE year = ?1",
    [STMT_SELECT_OVERDUE] = "SELECT d.unit_id, u.name, d.district, d.id, d.rule_id, d.win_end, d.status, d.date,"
                            " d.reason FROM drills d JOIN units u ON u.plan_year = d.year AND u.id = d.unit_id"
                            " JOIN rules r ON r.plan_year = d.year AND r.id = d.rule_id"
                            " WHERE d.year = ?1 AND d.status IN (0, 1) AND d.win_end < ?2"
                            " ORDER BY u.seq, r.seq, d.id",
    /* a group's order is the least of all its rows' (counted or not) */
    [STMT_SELECT_COUNTS] = "SELECT grp, status, win_end, n, credit FROM (SELECT min(ord) OVER (PARTITION BY grp) AS o,"
                           " grp, s.column1 AS status, win_end, CASE s.column1 WHEN 0 THEN n0 WHEN 1 THEN n1 WHEN 2"
                           " THEN n2 WHEN 3 THEN n3 WHEN 4 THEN n4 ELSE n5 END AS n, credit FROM drill_counts,"
                           " (VALUES (0), (1), (2), (3), (4), (5)) s WHERE year = ?1 AND grouping = ?2)"
                           " WHERE n <> 0 ORDER BY o, grp",
    [STMT_UPSERT_TRACK] = "INSERT OR REPLACE INTO tracks VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [STMT_CLEAR_ACTIONS] = "DELETE FROM actions WHERE drill_id = ?1",
    [STMT_INSERT_ACTION] = "INSERT INTO actions VALUES(?,?,?,?,?,?,?,?,?)",
    [STMT_INSERT_AUDIT] = "INSERT INTO audit VALUES(?,?,?,?,?,?,?,?,?)",
    [STMT_UPDATE_DRILL] = "UPDATE drills SET status = ?2, date = ?3, reason = ?4, revision = ?5, win_end = ?7,"
                          " win_start = ?8, start_minute = ?9, duration = ?10 WHERE id = ?1 AND revision = ?6",
    /* ?3 is the date stored: not set, so drills_date is not written */
    [STMT_UPDATE_DRILL_SAME_DAY] = "UPDATE drills SET status = ?2, reason = ?4, revision = ?5, win_end = ?7,"
                                   " win_start = ?8, start_minute = ?9, duration = ?10"
                                   " WHERE id = ?1 AND revision = ?6 AND ?3 IS date",
    [STMT_APPEND_AUDIT] = "INSERT INTO audit SELECT coalesce(max(seq), 0) + 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8"
                          " FROM audit WHERE year = ?1 RETURNING seq",
    [STMT_GET_META] = "SELECT value FROM meta WHERE key = ?1",
    [STMT_SELECT_CLASSES] = "SELECT id, name, name_en, flags, scenario FROM classes WHERE plan_year = ?1"
                            " ORDER BY rowid",
    [STMT_SELECT_UNITS] = "SELECT id, name, area, class, address, contact, phone, headcount, risk, flood_prone,"
                          " key_fire FROM units WHERE plan_year = ?1 ORDER BY seq",
    [STMT_SELECT_BREAKS] = "SELECT class, yearly, from_date, to_date, name FROM breaks WHERE plan_year = ?1 ORDER BY seq",
    [STMT_SELECT_BLACKOUTS] = "SELECT unit_id, from_date, to_date FROM blackouts WHERE plan_year = ?1 ORDER BY rowid",
    [STMT_SELECT_RULES] = "SELECT id, name, name_en, source, classes, class_flags, area, min_risk, flood_prone,"
                          " key_fire, kind, form, scenario, frequency, campaign, due_from, satisfied_by_kinds,"
                          " satisfied_by_scenarios FROM rules"
                          " WHERE plan_year = ?1 ORDER BY seq",
    [STMT_SELECT_CAMPAIGNS] = "SELECT id, name, name_en, source, rule, month, day, end_month, end_day, nth, weekday,"
                              " length_days, align_weekday, base, start_offset, end_offset, first_year, last_year,"
                              " estimated FROM campaigns WHERE plan_year = ?1 ORDER BY seq",
    [STMT_SELECT_CAMPAIGN_YEARS] = "SELECT campaign_id, year, start, end FROM campaign_years WHERE plan_year = ?1"
                                   " ORDER BY rowid",
    [STMT_SELECT_HOLIDAYS] = "SELECT date, kind, name, name_en, year FROM holidays WHERE plan_year = ?1 ORDER BY date",
    [STMT_SELECT_COVERED] = "SELECT year FROM covered_years WHERE plan_year = ?1 ORDER BY year",
    [STMT_SELECT_PLAN] = "SELECT allow_uncovered, policy, capacity, spacing, observer_min_risk,"
                         " observe_comprehensive, start1, start2, start3, duration1, duration2, duration3, tabletop,"
                         " scheduled, created, today, day_slots, slot_minutes, avoid_after_breaks, campaign_min_days,"
                         " campaign_widen_days FROM plans WHERE year = ?1",
    [STMT_SELECT_PLANS] = "SELECT year FROM plans WHERE year <> ?1 ORDER BY year",
    [STMT_SELECT_CAPACITY] = "SELECT district, capacity FROM plan_capacity WHERE year = ?1 ORDER BY rowid",
    [STMT_SELECT_CLOSED] = "SELECT district, date FROM plan_closed WHERE year = ?1 ORDER BY rowid",
    [STMT_SELECT_HISTORY] = "SELECT unit_id, rule_id, planned, held FROM plan_history WHERE year = ?1 ORDER BY rowid",
    [STMT_SELECT_DRILLS] = "SELECT id, status, date, reason, revision, start_minute FROM drills WHERE year = ?1",
    [STMT_SELECT_TRACKS] = "SELECT drill_id, status, has_outcome, date, start_minute, end_minute, kind, form,"
                           " participants, non_participants, observers, evacuation, evacuation_target, headcount,"
                           " headcount_target, score, notes, cancel_reason FROM tracks WHERE year = ?1"
                           " ORDER BY drill_id",
    [STMT_SELECT_ACTIONS] = "SELECT a.drill_id, a.number, a.finding, a.capability, a.action, a.owner, a.due,"
                            " a.status, a.closed FROM actions a JOIN tracks t ON t.drill_id = a.drill_id"
                            " WHERE t.year = ?1 ORDER BY a.drill_id, a.number",
    [STMT_SELECT_AUDIT] = "SELECT seq, time, actor, drill_id, field, old_value, new_value, reason FROM audit"
                          " WHERE year = ?1 ORDER BY seq",
    [STMT_SELECT_DRILL] = "SELECT id, status, date, reason, revision, year, campaign, district, class, tier,"
                          " rule_id, win_end, credits FROM drills WHERE id = ?1",
    [STMT_SELECT_TRACK] = "SELECT drill_id, status, has_outcome, date, start_minute, end_minute, kind, form,"
                          " participants, non_participants, observers, evacuation, evacuation_target, headcount,"
                          " headcount_target, score, notes, cancel_reason FROM tracks WHERE drill_id = ?1",
    [STMT_SELECT_DRILL_ACTIONS] = "SELECT drill_id, number, finding, capability, action, owner, due, status, closed"
                                  " FROM actions WHERE drill_id = ?1 ORDER BY number",
    [STMT_SELECT_DRILL_AUDIT] = "SELECT seq, time, actor, drill_id, field, old_value, new_value, reason FROM audit"
                                " WHERE drill_id = ?1 ORDER BY seq",
    [STMT_SELECT_AUDIT_SINCE] = "SELECT seq, time, actor, drill_id, field, old_value, new_value, reason FROM audit"
                                " WHERE year = ?1 AND seq > ?2 ORDER BY seq",
    [STMT_SELECT_AUDIT_LAST] = "SELECT coalesce(max(seq), 0) FROM audit WHERE year = ?1",
    [STMT_SELECT_UNIT] = "SELECT id, name, area, class, address, contact, phone, headcount, risk, flood_prone,"
                         " key_fire FROM units WHERE plan_year = ?1 AND id = ?2",
    [STMT_SELECT_UNIT_BLACKOUTS] = "SELECT unit_id, from_date, to_date FROM blackouts WHERE plan_year = ?1"
                                   " AND unit_id = ?2 ORDER BY rowid",
    [STMT_SELECT_UNIT_HISTORY] = "SELECT unit_id, rule_id, planned, held FROM plan_history WHERE year = ?1"
                                 " AND unit_id = ?2 ORDER BY rowid",
    /* +year: by the ids' range, never by an index that leads with the year (a scan of the year) */
    [STMT_SELECT_RANGE_DRILLS] = "SELECT id, status, date, reason, revision, start_minute FROM drills"
                                 " WHERE id >= ?2 AND id < ?3"
                                 " AND +year = ?1",
    [STMT_SELECT_RANGE_TRACKS] = "SELECT drill_id, status, has_outcome, date, start_minute, end_minute, kind, form,"
                                 " participants, non_participants, observers, evacuation, evacuation_target,"
                                 " headcount, headcount_target, score, notes, cancel_reason FROM tracks"
                                 " WHERE drill_id >= ?2 AND drill_id < ?3 AND +year = ?1",
    [STMT_SELECT_RANGE_ACTIONS] = "SELECT drill_id, number, finding, capability, action, owner, due, status, closed"
                                  " FROM actions WHERE drill_id >= ?1 AND drill_id < ?2 ORDER BY drill_id, number",
    [STMT_SELECT_RANGE_AUDIT] = "SELECT seq, time, actor, drill_id, field, old_value, new_value, reason FROM audit"
                                " WHERE drill_id >= ?2 AND drill_id < ?3 AND +year = ?1 ORDER BY seq",
    [STMT_LIST_DRILLS] = LIST_COLUMNS " WHERE d.year = ?1" LIST_FILTER,
    [STMT_LIST_UNIT_DRILLS] = LIST_COLUMNS " WHERE +d.year = ?1 AND d.id >= ?8 AND d.id < ?9" LIST_FILTER,
    [STMT_SELECT_REMINDERS] = "SELECT t, day, id, unit_id, name, district, contact, phone, kind, scenario, rule_id,"
                              " number, action, owner FROM (SELECT 0 AS t, d.date AS day, d.id, d.unit_id, u.name,"
                              " d.district, u.contact, u.phone, r.kind, coalesce(r.scenario, c.scenario) AS scenario,"
                              " d.rule_id, 0 AS number, NULL AS action, NULL AS owner, u.seq AS us, r.seq AS rs FROM"
                              " drills d JOIN units u ON u.plan_year = d.year AND u.id = d.unit_id JOIN rules r ON"
                              " r.plan_year = d.year AND r.id = d.rule_id JOIN classes c ON c.plan_year = d.year AND"
                              " c.id = u.class WHERE d.year = ?1 AND d.status = 1 AND d.date >= ?2 AND d.date <= ?3"
                              " UNION ALL SELECT 1, d.win_end, d.id, d.unit_id, u.name, d.district, u.contact,"
                              " u.phone, r.kind, coalesce(r.scenario, c.scenario), d.rule_id, 0, NULL, NULL, u.seq,"
                              " r.seq FROM drills d JOIN units u ON u.plan_year = d.year AND u.id = d.unit_id JOIN"
                              " rules r ON r.plan_year = d.year AND r.id = d.rule_id JOIN classes c ON c.plan_year ="
                              " d.year AND c.id = u.class WHERE d.year = ?1 AND d.status IN (0, 1) AND d.win_end < ?2"
                              " UNION ALL SELECT 2, a.due, d.id, d.unit_id, u.name, d.district, u.contact, u.phone,"
                              " r.kind, coalesce(r.scenario, c.scenario), d.rule_id, a.number, a.action, a.owner,"
                              " u.seq, r.seq FROM drills d JOIN units u ON u.plan_year = d.year AND u.id = d.unit_id"
                              " JOIN rules r ON r.plan_year = d.year AND r.id = d.rule_id JOIN classes c ON"
                              " c.plan_year = d.year AND c.id = u.class JOIN actions a ON a.drill_id = d.id WHERE"
                              " d.year = ?1 AND d.status IN (2, 3, 4) AND a.status < 2 AND a.due < ?2) x ORDER BY us,"
                              " rs, id, t, number",
    [STMT_SELECT_YEAR_ACTIONS] = "SELECT a.drill_id, d.unit_id, a.number, a.finding, a.capability, a.action, a.owner,"
                                 " a.due, a.status, a.closed FROM actions a JOIN drills d ON d.id = a.drill_id JOIN"
                                 " units u ON u.plan_year = d.year AND u.id = d.unit_id JOIN rules r ON r.plan_year ="
                                 " d.year AND r.id = d.rule_id WHERE d.year = ?1 AND d.status IN (2, 3, 4) ORDER BY"
                                 " u.seq, r.seq, d.id, a.number",
};

typedef struct queue queue;

typedef struct db {
    sqlite3 *h;
    sqlite3_stmt *stmts[STMT_COUNT];
    char *path;
    queue *q;         /* the store's writers' queue, or NULL (see below) */
    int queued;       /* this connection holds its place at the head of it */
    int qfd;          /* its file, held open (and share-locked) while q is mapped */
    char qname[64];
} db;

static int fail_db(db *d, int rc, const char *what)
{
    const char *msg = d && d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc);
    int primary = rc & 0xFF;
    const char *path = d && d->path ? d->path : "";
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
        return drill__error(DRILL_ECORRUPT, "%s: %s is not a sound libdrill store: %s", what, path, msg);
    if (primary == SQLITE_NOMEM)
        return drill__error(DRILL_ENOMEM, "%s: out of memory", what);
    return drill__error(DRILL_EIO, "%s %s: %s", what, path, msg);
}

static int run(db *d, const char *text, const char *what)
{
    char *err = NULL;
    int rc = sqlite3_exec(d->h, text, NULL, NULL, &err);
    sqlite3_free(err);
    return rc == SQLITE_OK ? 0 : fail_db(d, rc, what);
}

static int int_query(db *d, const char *text, long long *out, int *found)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, text, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail_db(d, rc, "reading the store");
    rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail_db(d, rc, "reading the store");
}

/* ---- the writers' queue ----
 *
 * SQLite's write lock has no queue: a writer that finds it taken sleeps and
 * tries again (busy()), and eight writers on two cores spent their time
 * waking to find it still taken, while the one holding it waited for a
 * core. libdrill's writers of a store line up instead on a robust,
 * process-shared mutex in a small shared-memory file named after the
 * store's device and inode (/dev/shm/libdrill-DEV-INO: one per store,
 * whatever path reaches it), and the kernel wakes the next as one commits.
 *
 * It only orders libdrill's writers: SQLite's lock stays the lock, and
 * another program's writer is waited for in busy() as before. Where there
 * is no such file to be had (no /dev/shm, a file another user made) a
 * writer goes without, as before. A writer that dies in its place gives it
 * up (the mutex is robust); one that is stopped keeps it, and the others
 * wait the busy limit for it, then go on to SQLite's lock. */
#define WAIT_SECONDS 30 /* the busy limit: busy()'s steps add up to it too */

enum { QUEUE_NEW, QUEUE_MAKING, QUEUE_READY }; /* a file of zeros is new */

struct queue {
    uint32_t state; /* QUEUE_*, changed atomically: the first to come makes m */
    pthread_mutex_t m;
};

/* the file's mutex, made by the first to come; NULL if it cannot be had
 * (one that died making it leaves it unmade: the others go without) */
static queue *queue_map(int fd, off_t size)
{
    queue *q = NULL;
    if ((size < (off_t)sizeof *q && ftruncate(fd, sizeof *q) != 0) ||
        (q = mmap(NULL, sizeof *q, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED)
        return NULL;
    uint32_t seen = QUEUE_NEW;
    if (__atomic_compare_exchange_n(&q->state, &seen, QUEUE_MAKING, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        pthread_mutexattr_t a;
        int ok = pthread_mutexattr_init(&a) == 0;
        if (ok) {
            ok = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) == 0 &&
                 pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) == 0 &&
                 pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK) == 0 && pthread_mutex_init(&q->m, &a) == 0;
            pthread_mutexattr_destroy(&a);
        }
        __atomic_store_n(&q->state, ok ? QUEUE_READY : QUEUE_NEW, __ATOMIC_RELEASE);
    }
    for (int spins = 0; __atomic_load_n(&q->state, __ATOMIC_ACQUIRE) == QUEUE_MAKING && spins < 10000; spins++)
        sched_yield();
    if (__atomic_load_n(&q->state, __ATOMIC_ACQUIRE) != QUEUE_READY) {
        munmap(q, sizeof *q);
        return NULL;
    }
    return q;
}

/* The queue of the store at path, if it can be had. Each connection holds
 * the file open with a shared flock; the last to close removes it (as
 * SQLite does its -shm), so a store's queue lasts while someone writes it.
 * One that opened the file just as the last closer removed it finds the
 * name gone or another file's, and opens again. */
static void queue_open(db *d, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    snprintf(d->qname, sizeof d->qname, "/dev/shm/libdrill-%llx-%llx", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    for (int tries = 0; tries < 3 && !d->q; tries++) {
        int fd = open(d->qname, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            return;
        struct stat qs, now;
        /* ours, and a plain file: nobody else's mutex to wait on */
        if (fstat(fd, &qs) != 0 || !S_ISREG(qs.st_mode) || qs.st_uid != geteuid() || flock(fd, LOCK_SH) != 0) {
            close(fd);
            return;
        }
        if (stat(d->qname, &now) == 0 && now.st_ino == qs.st_ino && now.st_dev == qs.st_dev) {
            if ((d->q = queue_map(fd, qs.st_size)))
                d->qfd = fd;
            else
                close(fd);
            return;
        }
        close(fd);
    }
}

static void queue_close(db *d)
{
    if (!d->q)
        return;
    munmap(d->q, sizeof *d->q);
    d->q = NULL;
    if (flock(d->qfd, LOCK_EX | LOCK_NB) == 0) /* the last connection to the store's queue */
        unlink(d->qname);
    close(d->qfd);
}

/* wait for this connection's turn among libdrill's writers of the store */
static void queue_enter(db *d)
{
    if (!d->q || d->queued)
        return;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += WAIT_SECONDS;
    int r = pthread_mutex_timedlock(&d->q->m, &until);
    if (r == EOWNERDEAD) /* its holder died: the place is free, nothing it guarded is left half done */
        r = pthread_mutex_consistent(&d->q->m);
    /* ETIMEDOUT (a stopped holder), EDEADLK (this thread's other connection
     * is at the head): on to SQLite's lock without a place */
    d->queued = r == 0;
}

static void queue_leave(db *d)
{
    if (d->queued)
        pthread_mutex_unlock(&d->q->m);
    d->queued = 0;
}

static void db_close(void *p)
{
    db *d = p;
    if (!d)
        return;
    queue_leave(d);
    queue_close(d);
    for (int i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(d->stmts[i]);
    sqlite3_close(d->h);
    free(d->path);
    free(d);
}

static int schema_version(void *p, int *out)
{
    db *d = p;
    long long v = 0;
    int found = 0, rc = int_query(d, "PRAGMA user_version", &v, &found);
    if (rc == 0)
        *out = (int)v;
    return rc;
}

/* bring the file to SCHEMA_VERSION, or say why it cannot be */
static int migrate(db *d, int read_only)
{
    long long tables = 0;
    int found, version, rc;
    if ((rc = schema_version(d, &version)) ||
        (rc = int_query(d, "SELECT count(*) FROM sqlite_schema", &tables, &found)))
        return rc;
    if (version > SCHEMA_VERSION)
        return drill__error(DRILL_EVERSION, "%s was written by a newer libdrill (store schema %d; this one knows up to %d)",
                            d->path, version, SCHEMA_VERSION);
    if (version == 0 && tables > 0)
        return drill__error(DRILL_ECORRUPT, "%s is an SQLite database but not a libdrill store", d->path);
    if (version > 0) {
        sqlite3_stmt *st;
        int ok = 0;
        if (sqlite3_prepare_v2(d->h, "SELECT value FROM meta WHERE key = 'application'", -1, &st, NULL) == SQLITE_OK) {
            ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
                 strcmp((const char *)sqlite3_column_text(st, 0), "libdrill") == 0;
            sqlite3_finalize(st);
        }
        if (!ok)
            return drill__error(DRILL_ECORRUPT, "%s is an SQLite database but not a libdrill store", d->path);
    }
    if (version == SCHEMA_VERSION)
        return 0;
    if (read_only && version == 0)
        return drill__error(DRILL_ENOTFOUND, "%s is empty: not a libdrill store yet", d->path);
    if (read_only)
        return drill__error(DRILL_EVERSION, "%s has store schema %d and needs migrating to %d: open it writable",
                            d->path, version, SCHEMA_VERSION);
    /* another process may have migrated it meanwhile (two first opens of a
     * new file): read the version again under the write lock. The foreign
     * keys are off meanwhile (they cannot change inside a transaction), as
     * SQLite's way of rebuilding a table asks: a table dropped is not
     * emptied through its keys' cascades, and rows are copied as they are. */
    if ((rc = run(d, "PRAGMA foreign_keys = OFF", "migrating")))
        return rc;
    if ((rc = run(d, "BEGIN IMMEDIATE", "migrating")) || (rc = schema_version(d, &version))) {
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_exec(d->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
        return rc;
    }
    for (int v = version + 1; v <= SCHEMA_VERSION && rc == 0; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
        if ((rc = run(d, migrations[v], "migrating")) == 0)
            rc = run(d, pragma, "migrating");
    }
    if (rc == 0)
        rc = run(d, "COMMIT", "migrating");
    else
        sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
    int on = run(d, "PRAGMA foreign_keys = ON", "migrating");
    return rc ? rc : on;
}

/* What a store file may be: a regular file (or a link to one) with one
 * name. A FIFO or device would hang or be clobbered; a second hard link
 * would give the file two write-ahead logs (SQLite names the -wal after the
 * path), so a crash could lose a committed change. */
static int check_file(const char *path, int read_only)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0; /* made by the open, or its error */
    const char *what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                       : !S_ISREG(st.st_mode) ? "not a regular file"
                                              : NULL;
    if (what)
        return drill__error(DRILL_EINVAL, "%s is %s, not a store file", path, what);
    if (!read_only && st.st_nlink > 1)
        return drill__error(DRILL_EINVAL, "%s has %lu hard links: SQLite keeps its write-ahead log beside the path, "
                            "so writing through two names could lose a committed change; use one name (a "
                            "symbolic link is fine)", path, (unsigned long)st.st_nlink);
    return 0;
}

/* "file:" URI of a path, for SQLite's immutable mode */
static char *file_uri(const char *path, const char *query)
{
    size_t n = strlen(path), q = strlen(query);
    char *u = malloc(5 + 3 * n + q + 1), *o = u;
    if (!u)
        return NULL;
    o += sprintf(o, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        o += (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7F) ? sprintf(o, "%%%02X", *p)
                                                                              : sprintf(o, "%c", *p);
    memcpy(o, query, q + 1);
    return u;
}

/* Another connection writes: wait for it in steps of 0.2 ms, 30 s at most.
 * SQLite's own busy timeout sleeps 1, 2, 5 ... 100 ms at a time, so a
 * writer that waits behind another (a change takes well under a
 * millisecond) slept for ten times as long as the change took. */
static int busy(void *ctx, int count)
{
    (void)ctx;
    enum { STEP_NS = 200000, LIMIT_STEPS = WAIT_SECONDS * 5000 };
    if (count >= LIMIT_STEPS)
        return 0; /* SQLITE_BUSY: the caller says the store is busy */
    struct timespec t = { 0, STEP_NS };
    nanosleep(&t, NULL);
    return 1;
}

static int open_handle(db *d, const char *name, int flags, int read_only)
{
    int rc = sqlite3_open_v2(name, &d->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return fail_db(d, rc, "cannot open");
    sqlite3_extended_result_codes(d->h, 1);
    sqlite3_busy_handler(d->h, busy, NULL);
    if ((rc = run(d, "PRAGMA foreign_keys = ON", "opening")) ||
        (!read_only && (rc = run(d, "PRAGMA journal_mode = WAL", "opening"))) ||
        (rc = run(d, "PRAGMA synchronous = FULL", "opening")) || (rc = migrate(d, read_only)))
        return rc;
    return 0;
}

static int db_open(void **out, const char *path, int read_only)
{
    int rc = check_file(path, read_only);
    if (rc)
        return rc;
    db *d = calloc(1, sizeof *d);
    if (!d || !(d->path = drill__strdup(path))) {
        free(d);
        return drill__error(DRILL_ENOMEM, "out of memory opening a store");
    }
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    rc = open_handle(d, path, flags, read_only);
    if (rc == DRILL_EIO && read_only) {
        /* read-only media, or a folder this user cannot write: a WAL reader
         * cannot make its shared-memory file there. Nobody can be writing
         * such a store, so it is read as immutable. */
        char *uri = file_uri(path, "?immutable=1");
        sqlite3_close(d->h);
        d->h = NULL;
        rc = uri ? open_handle(d, uri, flags | SQLITE_OPEN_URI, read_only)
                 : drill__error(DRILL_ENOMEM, "out of memory opening a store");
        free(uri);
    }
    if (rc) {
        db_close(d);
        return rc;
    }
    if (!read_only)
        queue_open(d, path);
    *out = d;
    return 0;
}

static int db_begin(void *p)
{
    db *d = p;
    queue_enter(d);
    int rc = run(d, "BEGIN IMMEDIATE", "starting a transaction in");
    if (rc)
        queue_leave(d);
    return rc;
}

static int db_commit(void *p)
{
    db *d = p;
    int rc = run(d, "COMMIT", "committing to");
    if (sqlite3_get_autocommit(d->h)) /* the transaction is over (else the caller rolls it back) */
        queue_leave(d);
    return rc;
}

static void db_rollback(void *p)
{
    db *d = p;
    sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
    queue_leave(d);
}

/* WAL: the snapshot is taken at the first read after BEGIN and kept to the end */
static int db_begin_read(void *p)
{
    return run(p, "BEGIN DEFERRED", "starting to read");
}

static void db_end_read(void *p)
{
    db *d = p;
    sqlite3_exec(d->h, "COMMIT", NULL, NULL, NULL);
}

static int prepare(db *d, drill__stmt s, sqlite3_stmt **out)
{
    if (!d->stmts[s]) {
        int rc = sqlite3_prepare_v3(d->h, sql[s], -1, SQLITE_PREPARE_PERSISTENT, &d->stmts[s], NULL);
        if (rc != SQLITE_OK)
            return fail_db(d, rc, "preparing a statement for");
    }
    *out = d->stmts[s];
    return 0;
}

static int bind(db *d, sqlite3_stmt *st, const drill__value *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc = v[i].type == DRILL__INT    ? sqlite3_bind_int64(st, (int)i + 1, v[i].i)
                 : v[i].type == DRILL__TEXT && v[i].s ? sqlite3_bind_text(st, (int)i + 1, v[i].s, -1, SQLITE_STATIC)
                                                      : sqlite3_bind_null(st, (int)i + 1);
        if (rc != SQLITE_OK)
            return fail_db(d, rc, "binding a value for");
    }
    return 0;
}

static int db_exec(void *p, drill__stmt s, const drill__value *params, size_t n, int *out_changes)
{
    db *d = p;
    sqlite3_stmt *st = NULL;
    int rc = prepare(d, s, &st);
    if (rc || (rc = bind(d, st, params, n)))
        return rc;
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE && out_changes)
        *out_changes = sqlite3_changes(d->h);
    return rc == SQLITE_DONE ? 0 : fail_db(d, rc, "writing to");
}

static int db_query(void *p, drill__stmt s, const drill__value *params, size_t n, drill__row_fn row, void *ctx)
{
    db *d = p;
    sqlite3_stmt *st = NULL;
    int rc = prepare(d, s, &st);
    if (rc || (rc = bind(d, st, params, n)))
        return rc;
    drill__value cols[32];
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int nc = sqlite3_column_count(st);
        for (int c = 0; c < nc && c < 32; c++) {
            int t = sqlite3_column_type(st, c);
            cols[c].type = t == SQLITE_NULL ? DRILL__NULL : t == SQLITE_INTEGER ? DRILL__INT : DRILL__TEXT;
            cols[c].i = sqlite3_column_int64(st, c);
            cols[c].s = t == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(st, c);
        }
        if ((rc = row(ctx, cols, (size_t)(nc < 32 ? nc : 32))))
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = fail_db(d, step, "reading");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int db_check(void *p, int *out_ok, char *detail, size_t size)
{
    db *d = p;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->h, "PRAGMA integrity_check", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail_db(d, rc, "checking");
    rc = sqlite3_step(st);
    const char *text = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    *out_ok = text && strcmp(text, "ok") == 0;
    /* its first problem alone: the row holds them all, a line each, after
     * a heading "*** in database main ***" */
    if (text && strncmp(text, "*** ", 4) == 0 && strchr(text, '\n'))
        text = strchr(text, '\n') + 1;
    const char *what = text ? text : sqlite3_errmsg(d->h);
    drill__format(detail, size, "%.*s", (int)strcspn(what, "\n"), what);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && (rc & 0xFF) != SQLITE_CORRUPT && (rc & 0xFF) != SQLITE_NOTADB)
        return fail_db(d, rc, "checking");
    if (!*out_ok)
        return 0;
    /* rows written behind the library's back that name a plan, unit,
     * class or tracking row the store lacks (a drill of a year with no plan) */
    if ((rc = sqlite3_prepare_v2(d->h, "PRAGMA foreign_key_check", -1, &st, NULL)) != SQLITE_OK)
        return fail_db(d, rc, "checking");
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *child = (const char *)sqlite3_column_text(st, 0), *parent = (const char *)sqlite3_column_text(st, 2);
        *out_ok = 0;
        drill__format(detail, size, "%s: a row names a row of %s that is not there", child ? child : "a table",
                      parent ? parent : "another table");
    } else if (rc != SQLITE_DONE) {
        *out_ok = 0;
        drill__format(detail, size, "%s", sqlite3_errmsg(d->h));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && (rc & 0xFF) != SQLITE_CORRUPT && (rc & 0xFF) != SQLITE_NOTADB)
        return fail_db(d, rc, "checking");
    return 0;
}

/* SQLite has no round trip to save: the statement, then the commit */
static int db_query_commit(void *p, drill__stmt s, const drill__value *params, size_t n, drill__row_fn row, void *ctx)
{
    int rc = db_query(p, s, params, n, row, ctx);
    return rc ? rc : db_commit(p);
}

const drill__backend drill__sqlite_backend = {
    "sqlite", db_open, db_close, db_begin, db_commit, db_rollback, db_begin_read, db_end_read, db_exec, db_query,
    schema_version, db_check, db_query_commit,
};
