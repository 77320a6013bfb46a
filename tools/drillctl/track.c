/* drillctl: tracking: record, action and cancel. */
#include "drillctl.h"

static const char H_RECORD[] =
    "usage: drillctl record DRILL-ID --held DATE [--start HH:MM] [--end HH:MM] [--kind K]\n"
    "                [--form F] [--participants N] [--absent N] [--observers TEXT]\n"
    "                [--evacuation SECONDS] [--evacuation-target SECONDS] [--headcount SECONDS]\n"
    "                [--headcount-target SECONDS] [--score 0-100] [--notes TEXT] [--close]\n"
    "                [--reason TEXT]\n"
    "       drillctl record --from FILE.csv [--year Y]\n"
    "\n"
    "Record a drill held, with its outcome. Start and end default to its scheduled\n"
    "time, kind and form to the rule's. --score evaluates it too; --close then\n"
    "closes it (a drill with corrective actions closes when they are closed).\n"
    "--from records one drill a row, all or nothing: columns drill_id and held,\n"
    "and any of start, end, kind, form, participants, absent, observers,\n"
    "evacuation, evacuation_target, headcount, headcount_target, score, notes,\n"
    "close (1/0), reason, actor. Bad rows are reported as FILE:LINE:COLUMN.\n";

static const char H_ACTION[] =
    "usage: drillctl action add DRILL-ID --finding TEXT --action TEXT --owner TEXT --due DATE\n"
    "                [--capability TEXT] [--status open|in-progress] [--reason TEXT]\n"
    "       drillctl action close DRILL-ID NUMBER [--status done|verified|waived] [--date DATE]\n"
    "                [--today DATE] [--keep-open] [--reason TEXT]\n"
    "       drillctl action add|close --from FILE.csv [--year Y] [--today DATE]\n"
    "\n"
    "add    a finding of a held or evaluated drill and its corrective action; prints\n"
    "       the action's number.\n"
    "close  mark an action done (or verified, or waived) on --date (--today, else the\n"
    "       real date). When that was the last open action of an evaluated drill, the\n"
    "       drill is closed too (--keep-open leaves it evaluated).\n"
    "--from one a row, all or nothing: add takes drill_id, finding, action, owner,\n"
    "       due and any of capability, status, reason, actor; close takes drill_id,\n"
    "       number and any of status, date, reason, actor.\n";

static const char H_CANCEL[] = "usage: drillctl cancel DRILL-ID --reason TEXT [--year Y]\n\n"
                               "Cancel a planned or scheduled drill; the reason is kept in its audit trail.\n"
                               "--year: the plan to look in (the year in DRILL-ID, else the latest).\n";

/* ---- tracking ---- */

/* one drill held, as a command or a row gives it; -1 (or NULL) where not given */
typedef struct held_in {
    const char *id;
    drill_date held;
    int start, end, kind, form, participants, absent, evacuation, evacuation_target, headcount, headcount_target,
        score, close;
    const char *observers, *notes, *reason, *actor;
} held_in;

#define HELD_IN_INIT { NULL, { 0, 0, 0 }, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1, -1, 0, NULL, NULL, NULL, NULL }

/* record it: held, then evaluated with a score, then closed if asked */
static int record_held(drill_plan *plan, const held_in *h)
{
    size_t i;
    drill_item it = DRILL_ITEM_INIT;
    int rc = drill_plan_find(&i, plan, h->id);
    if (rc)
        return rc;
    drill_plan_get(&it, plan, i);
    int scheduled = it.status == DRILL_STATUS_SCHEDULED;
    drill_outcome o = DRILL_OUTCOME_INIT;
    o.date = h->held;
    o.start_minute = h->start >= 0 ? h->start : scheduled ? it.start_minute : 9 * 60;
    o.end_minute = h->end >= 0 ? h->end : o.start_minute + (scheduled ? it.duration_minutes : 120);
    if (o.end_minute > 24 * 60)
        o.end_minute = 24 * 60;
    o.kind = h->kind ? (drill_kind)h->kind : it.kind;
    o.form = h->form ? (drill_form)h->form : it.form;
    o.participants = h->participants;
    o.non_participants = h->absent;
    o.observers = h->observers;
    o.evacuation_seconds = h->evacuation;
    o.evacuation_target = h->evacuation_target;
    o.headcount_seconds = h->headcount;
    o.headcount_target = h->headcount_target;
    o.notes = h->notes;
    const char *who = h->actor ? h->actor : actor();
    if ((rc = drill_track_hold(plan, h->id, &o, who, h->reason)))
        return rc;
    if (h->score >= 0 && (rc = drill_track_evaluate(plan, h->id, h->score, NULL, who, h->reason)))
        return rc;
    if (h->close) /* without a score this fails: a drill is evaluated before it closes */
        rc = drill_track_close(plan, h->id, who, h->reason);
    return rc;
}

/* a batch file read, its columns found (the first, drill_id, in every
 * batch), and the plan of its first row's drill loaded for writing */
static int batch_load(csv_file *f, world *w, const cmdline *c, const char *const *cols, int ncols)
{
    int rc = csv_read(f, opt(c, "from"));
    if (rc || (rc = csv_columns(f, cols, ncols)))
        return rc;
    const csv_cell *first = f->nrows > 1 ? csv_get(f, 1, 0) : NULL;
    return load_plan(w, c, 1, first ? first->text : NULL);
}

static int cmd_record_batch(const cmdline *c)
{
    static const char *const cols[] = { "drill_id!", "held!",    "start",    "end",       "kind",
                                         "form",      "participants", "absent", "observers", "evacuation",
                                         "evacuation_target", "headcount", "headcount_target", "score", "notes",
                                         "close",     "reason",   "actor" };
    enum { C_ID, C_HELD, C_START, C_END, C_KIND, C_FORM, C_PART, C_ABSENT, C_OBS, C_EVAC, C_EVACT, C_HEAD, C_HEADT,
           C_SCORE, C_NOTES, C_CLOSE, C_REASON, C_ACTOR, C_N };
    const char *path = opt(c, "from");
    csv_file f;
    world w = { 0 };
    batch b = { path, 0, 0 };
    size_t evaluated = 0, closed = 0;
    int rc = batch_load(&f, &w, c, cols, C_N);
    if (rc)
        goto done;
    for (size_t r = 1; r < f.nrows; r++) {
        if (r % 500 == 0)
            progress("recording %s: row %zu of %zu...", path, r, f.nrows - 1);
        held_in h = HELD_IN_INIT;
        const csv_cell *id = csv_get(&f, r, C_ID), *t;
        int line = f.cells[f.rows[r]].line;
        if (!id || !csv_get(&f, r, C_HELD)) {
            batch_error(&b, id, line, "drill_id and held are required");
            continue;
        }
        h.id = id->text;
        int bad = cell_date(&b, csv_get(&f, r, C_HELD), &h.held);
        if ((t = csv_get(&f, r, C_START)) && parse_time(t->text, &h.start))
            bad = 1, batch_error(&b, t, 0, "'%s' is not a time HH:MM", t->text);
        if ((t = csv_get(&f, r, C_END)) && parse_time(t->text, &h.end))
            bad = 1, batch_error(&b, t, 0, "'%s' is not a time HH:MM", t->text);
        bad |= cell_name(&b, csv_get(&f, r, C_KIND), KIND_NAMES, 4, "kind (comprehensive, special, onsite)", &h.kind);
        bad |= cell_name(&b, csv_get(&f, r, C_FORM), FORM_NAMES, 3, "form (live, tabletop)", &h.form);
        bad |= cell_int(&b, csv_get(&f, r, C_PART), 0, 10000000, &h.participants);
        bad |= cell_int(&b, csv_get(&f, r, C_ABSENT), 0, 10000000, &h.absent);
        bad |= cell_int(&b, csv_get(&f, r, C_EVAC), 0, 86400, &h.evacuation);
        bad |= cell_int(&b, csv_get(&f, r, C_EVACT), 0, 86400, &h.evacuation_target);
        bad |= cell_int(&b, csv_get(&f, r, C_HEAD), 0, 86400, &h.headcount);
        bad |= cell_int(&b, csv_get(&f, r, C_HEADT), 0, 86400, &h.headcount_target);
        bad |= cell_int(&b, csv_get(&f, r, C_SCORE), 0, 100, &h.score);
        bad |= cell_int(&b, csv_get(&f, r, C_CLOSE), 0, 1, &h.close);
        h.observers = (t = csv_get(&f, r, C_OBS)) ? t->text : NULL;
        h.notes = (t = csv_get(&f, r, C_NOTES)) ? t->text : NULL;
        h.reason = (t = csv_get(&f, r, C_REASON)) ? t->text : NULL;
        h.actor = (t = csv_get(&f, r, C_ACTOR)) ? t->text : NULL;
        if (bad)
            continue;
        if (year_of_id(h.id) && year_of_id(h.id) != w.year) {
            batch_error(&b, id, 0, "drill '%s' is not in the plan of %d (one year a file)", h.id, w.year);
            continue;
        }
        if ((rc = record_held(w.plan, &h))) {
            batch_fail(&b, id, 0, rc);
            continue;
        }
        evaluated += h.score >= 0;
        closed += h.close;
    }
    if ((rc = batch_end(&b, "recorded")) || (rc = save_plan(&w)))
        goto done;
    printf("recorded %zu drills held (%zu evaluated, %zu closed) from %s in the plan of %d\n", f.nrows - 1, evaluated,
           closed, path, w.year);
done:
    csv_free(&f);
    world_close(&w);
    return rc;
}

int cmd_record(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "record", H_RECORD, argc, argv,
                   "held= start= end= kind= form= participants= absent= observers= evacuation= evacuation-target= "
                   "headcount= headcount-target= score= notes= close reason= from= year=",
                   0, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    if (opt(&c, "from")) {
        if (c.npos || opt(&c, "held"))
            return usage_error(&c, "--from takes no DRILL-ID or --held: the file gives them");
        return cmd_record_batch(&c);
    }
    if (c.npos != 1)
        return usage_error(&c, "missing DRILL-ID");
    if (!opt(&c, "held"))
        return usage_error(&c, "missing --held DATE");
    held_in h = HELD_IN_INIT;
    const char *v;
    h.id = c.pos[0];
    if ((rc = opt_date(&c, "held", &h.held)))
        return rc;
    if ((v = opt(&c, "start")) && parse_time(v, &h.start))
        return usage_error(&c, "--start: '%s' is not a time HH:MM", v);
    if ((v = opt(&c, "end")) && parse_time(v, &h.end))
        return usage_error(&c, "--end: '%s' is not a time HH:MM", v);
    if ((rc = opt_name(&c, "kind", KIND_NAMES, 4, 0, "comprehensive, special or onsite", &h.kind)) ||
        (rc = opt_name(&c, "form", FORM_NAMES, 3, 0, "live or tabletop", &h.form)))
        return rc;
    if ((rc = opt_int(&c, "participants", 0, 10000000, &h.participants)) ||
        (rc = opt_int(&c, "absent", 0, 10000000, &h.absent)) || (rc = opt_int(&c, "evacuation", 0, 86400, &h.evacuation)) ||
        (rc = opt_int(&c, "evacuation-target", 0, 86400, &h.evacuation_target)) ||
        (rc = opt_int(&c, "headcount", 0, 86400, &h.headcount)) ||
        (rc = opt_int(&c, "headcount-target", 0, 86400, &h.headcount_target)) ||
        (rc = opt_int(&c, "score", 0, 100, &h.score)))
        return rc;
    if (opt(&c, "close") && h.score < 0)
        return usage_error(&c, "--close needs --score: a drill is evaluated before it closes");
    h.close = opt(&c, "close") != NULL;
    h.observers = opt(&c, "observers");
    h.notes = opt(&c, "notes");
    h.reason = opt(&c, "reason");
    world w = { 0 };
    if ((rc = load_unit_plan(&w, &c, 1, h.id)))
        goto done;
    if ((rc = record_held(w.plan, &h))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = commit_unit(&w)))
        goto done;
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    drill_track_get(&t, w.plan, h.id);
    printf("%s: %s\n", h.id, drill_status_name(t.status));
done:
    world_close(&w);
    return rc;
}

/* close a drill whose last open action was just closed, if it is evaluated */
static int close_if_done(drill_plan *plan, const char *id, const char *who, int *closed)
{
    drill_track_info t = DRILL_TRACK_INFO_INIT;
    int rc = drill_track_get(&t, plan, id);
    if (rc || t.status != DRILL_STATUS_EVALUATED || t.open_actions)
        return rc;
    *closed += 1;
    return drill_track_close(plan, id, who, "every corrective action closed");
}

static int action_status(const cmdline *c, const char *v, int closing, int *out)
{
    int i = lookup(v, ACTION_NAMES, 5);
    if (i < 0 || (closing && i < DRILL_ACTION_DONE) || (!closing && i > DRILL_ACTION_IN_PROGRESS))
        return usage_error(c, "--status: '%s' is not %s", v, closing ? "done, verified or waived" : "open or in-progress");
    *out = i;
    return 0;
}

static int cmd_action_batch(const cmdline *c, int add, drill_date today)
{
    static const char *const add_cols[] = { "drill_id!", "finding!", "action!", "owner!", "due!", "capability",
                                            "status", "reason", "actor" };
    static const char *const close_cols[] = { "drill_id!", "number!", "status", "date", "reason", "actor" };
    const char *path = opt(c, "from");
    csv_file f;
    world w = { 0 };
    batch b = { path, 0, 0 };
    int closed_drills = 0, keep_open = opt(c, "keep-open") != NULL;
    int rc = batch_load(&f, &w, c, add ? add_cols : close_cols, add ? 9 : 6);
    if (rc)
        goto done;
    for (size_t r = 1; r < f.nrows; r++) {
        if (r % 500 == 0)
            progress("%s: row %zu of %zu...", path, r, f.nrows - 1);
        const csv_cell *id = csv_get(&f, r, 0), *t;
        int line = f.cells[f.rows[r]].line, bad = 0;
        if (!id) {
            batch_error(&b, NULL, line, "drill_id is required");
            continue;
        }
        if (year_of_id(id->text) && year_of_id(id->text) != w.year) {
            batch_error(&b, id, 0, "drill '%s' is not in the plan of %d (one year a file)", id->text, w.year);
            continue;
        }
        if (add) {
            drill_action a = DRILL_ACTION_INIT;
            int status = 0;
            for (int k = 1; k <= 3; k++)
                if (!csv_get(&f, r, k)) {
                    batch_error(&b, NULL, line, "%.*s is required", (int)strcspn(add_cols[k], "!"), add_cols[k]);
                    bad = 1;
                }
            if (bad)
                continue;
            a.finding = csv_get(&f, r, 1)->text;
            a.action = csv_get(&f, r, 2)->text;
            a.owner = csv_get(&f, r, 3)->text;
            a.capability = (t = csv_get(&f, r, 5)) ? t->text : NULL;
            if (!csv_get(&f, r, 4)) {
                batch_error(&b, NULL, line, "due is required");
                continue;
            }
            bad |= cell_date(&b, csv_get(&f, r, 4), &a.due);
            bad |= cell_name(&b, csv_get(&f, r, 6), ACTION_NAMES, 2, "status (open, in-progress)", &status);
            if (bad)
                continue;
            a.status = (drill_action_status)status;
            const char *reason = (t = csv_get(&f, r, 7)) ? t->text : NULL;
            const char *who = (t = csv_get(&f, r, 8)) ? t->text : actor();
            if ((rc = drill_track_add_action(NULL, w.plan, id->text, &a, who, reason)))
                batch_fail(&b, id, 0, rc);
        } else {
            int number = 0, status = DRILL_ACTION_DONE;
            drill_date when = today;
            const csv_cell *num = csv_get(&f, r, 1);
            if (!num) {
                batch_error(&b, NULL, line, "number is required");
                continue;
            }
            bad |= cell_int(&b, num, 1, 100000, &number);
            bad |= cell_name(&b, csv_get(&f, r, 2), ACTION_NAMES, 5, "status (done, verified, waived)", &status);
            if ((t = csv_get(&f, r, 2)) && status < DRILL_ACTION_DONE && !bad)
                bad = 1, batch_error(&b, t, 0, "'%s' does not close an action (done, verified, waived)", t->text);
            bad |= cell_date(&b, csv_get(&f, r, 3), &when);
            if (bad)
                continue;
            const char *reason = (t = csv_get(&f, r, 4)) ? t->text : NULL;
            const char *who = (t = csv_get(&f, r, 5)) ? t->text : actor();
            if ((rc = drill_track_set_action(w.plan, id->text, (size_t)number, (drill_action_status)status, when, who,
                                             reason)) ||
                (!keep_open && (rc = close_if_done(w.plan, id->text, who, &closed_drills))))
                batch_fail(&b, id, 0, rc);
        }
    }
    if ((rc = batch_end(&b, add ? "added" : "closed")) || (rc = save_plan(&w)))
        goto done;
    if (add)
        printf("added %zu corrective actions from %s\n", f.nrows - 1, path);
    else
        printf("closed %zu corrective actions from %s; %d drills closed with them\n", f.nrows - 1, path,
               closed_drills);
done:
    csv_free(&f);
    world_close(&w);
    return rc;
}

int cmd_action(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "action", H_ACTION, argc, argv,
                   "finding= action= owner= due= capability= status= reason= date= today= keep-open from= year=", 1, 3);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    int add = strcmp(c.pos[0], "add") == 0;
    if (!add && strcmp(c.pos[0], "close") != 0)
        return usage_error(&c, "unknown subcommand '%s' (add or close)", c.pos[0]);
    drill_date today = today_local();
    if ((rc = opt_date(&c, "today", &today)))
        return rc;
    if (opt(&c, "from")) {
        if (c.npos > 1)
            return usage_error(&c, "--from takes no DRILL-ID: the file gives them");
        return cmd_action_batch(&c, add, today);
    }
    if (c.npos < 2)
        return usage_error(&c, "missing DRILL-ID");
    const char *id = c.pos[1], *reason = opt(&c, "reason");
    world w = { 0 };
    if (add) {
        if (c.npos != 2)
            return usage_error(&c, "add takes one DRILL-ID");
        drill_action a = DRILL_ACTION_INIT;
        int status = 0;
        a.finding = opt(&c, "finding");
        a.action = opt(&c, "action");
        a.owner = opt(&c, "owner");
        a.capability = opt(&c, "capability");
        if (!a.finding || !a.action || !a.owner || !opt(&c, "due"))
            return usage_error(&c, "add needs --finding, --action, --owner and --due");
        if ((rc = opt_date(&c, "due", &a.due)) || (opt(&c, "status") && (rc = action_status(&c, opt(&c, "status"), 0, &status))))
            return rc;
        a.status = (drill_action_status)status;
        size_t number = 0;
        if ((rc = load_unit_plan(&w, &c, 1, id)))
            goto done;
        if ((rc = drill_track_add_action(&number, w.plan, id, &a, actor(), reason))) {
            rc = fail(rc);
            goto done;
        }
        if ((rc = commit_unit(&w)))
            goto done;
        printf("%s: action %zu added\n", id, number);
        goto done;
    }
    long number;
    int status = DRILL_ACTION_DONE, closed = 0;
    drill_date when = today;
    if (c.npos != 3 || parse_long(c.pos[2], 1, 100000, &number))
        return usage_error(&c, "close needs DRILL-ID and the action's NUMBER");
    if ((opt(&c, "status") && (rc = action_status(&c, opt(&c, "status"), 1, &status))) ||
        (rc = opt_date(&c, "date", &when)))
        return rc;
    if ((rc = load_unit_plan(&w, &c, 1, id)))
        goto done;
    if ((rc = drill_track_set_action(w.plan, id, (size_t)number, (drill_action_status)status, when, actor(), reason)) ||
        (!opt(&c, "keep-open") && (rc = close_if_done(w.plan, id, actor(), &closed)))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = commit_unit(&w)))
        goto done;
    printf("%s: action %ld %s%s\n", id, number, drill_action_status_name(status),
           closed ? "; every action is closed, so the drill is closed" : "");
done:
    world_close(&w);
    return rc;
}

int cmd_cancel(int argc, char **argv)
{
    cmdline c;
    int rc = parse(&c, "cancel", H_CANCEL, argc, argv, "reason= year=", 1, 1);
    if (rc)
        return rc == HELP_SHOWN ? 0 : rc;
    const char *reason = opt(&c, "reason");
    if (!reason || !*reason)
        return usage_error(&c, "a cancellation needs --reason TEXT");
    world w = { 0 };
    if ((rc = load_unit_plan(&w, &c, 1, c.pos[0])))
        goto done;
    if ((rc = drill_track_cancel(w.plan, c.pos[0], actor(), reason))) {
        rc = fail(rc);
        goto done;
    }
    if ((rc = commit_unit(&w)))
        goto done;
    printf("%s: cancelled (%s)\n", c.pos[0], reason);
done:
    world_close(&w);
    return rc;
}
