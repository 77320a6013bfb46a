"""The Python binding: an analyst's year end to end, error mapping for each
code, iteration, dates, the store, and ownership. Run by `make check` on the
just-built module (PYTHONPATH=build/python)."""

import collections
import datetime
import gc
import os
import shutil
import ctypes
import sqlite3
import sys
import tempfile
import unittest

import drill

D = datetime.date
DATA = os.environ.get("DRILL_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))
UNITS = 400  # small enough for valgrind, big enough for every rule and district


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def c_heap_in_use():
    """Bytes the C heap has handed out and not taken back (glibc mallinfo2)."""
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = _Mallinfo2
    info = libc.mallinfo2()
    return info.uordblks + info.hblkhd


def capi_id(plan, index):
    """A drill's id straight from the C layer."""
    return drill.capi.drill_plan_get(plan._h, index)["id"]


def make_plan(count=UNITS, year=2026, **schedule):
    units = drill.Units()
    units.generate(count=count)
    plan = drill.Plan(units, drill.Rules(), year=year)
    plan.schedule(**schedule)
    return plan


class TempDir(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="drill-py-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)


class AnalystYear(TempDir):
    """units CSV -> plan -> schedule -> outcomes -> coverage -> feeds, by value."""

    def test_year(self):
        # units: generated, written as CSV, imported back unchanged
        generated = drill.Units()
        generated.generate(count=UNITS, blackout_year=2026)
        generated.export_csv(self.path("units.csv"))
        units = drill.Units()
        result = units.import_csv(self.path("units.csv"))
        self.assertEqual(result.imported, UNITS)
        self.assertEqual(result.errors, [])
        self.assertEqual([u.as_dict() for u in units], [u.as_dict() for u in generated])

        # plan and schedule
        plan = drill.Plan(units, drill.Rules(), year=2026)
        quality = plan.schedule(capacity=25)
        self.assertEqual(quality.required, len(plan))
        self.assertEqual(quality.placed + quality.unplaced_total, quality.required)
        self.assertEqual(quality.violations, 0)
        self.assertEqual(plan.validate(), 0)
        self.assertTrue(quality.covered)
        records = plan.records()
        self.assertEqual(len(records), len(plan))
        cal = drill.Calendar()
        for r in records:
            self.assertLessEqual(r["window_start"], r["window_end"])
            if r["status"] == "scheduled":
                self.assertTrue(r["window_start"] <= r["date"] <= r["window_end"], r["id"])
                self.assertTrue(cal.is_working_day(r["date"]), r["id"])
                self.assertFalse(units.is_blacked_out(r["unit_id"], r["date"]), r["id"])
            else:
                self.assertIsNone(r["date"])
                self.assertIsNotNone(r["reason"])
        # the capacity: at most 25 observed drills a district a day
        load = collections.Counter((r["district"], r["date"]) for r in records
                                   if r["needs_observer"] and r["date"] is not None)
        self.assertLessEqual(max(load.values()), 25)

        # outcomes: hold the first-half drills of every third unit, one with a finding
        first_half = [r for r in records if r["status"] == "scheduled" and r["date"] < D(2026, 7, 1)]
        held = first_half[::3]
        for r in held:
            plan.hold(r["id"], date=r["date"], actor="analyst", participants=40, start_minute=540,
                      end_minute=600, evacuation_seconds=180, evacuation_target=240)
        drill_with_finding = plan[held[0]["id"]]
        drill_with_finding.evaluate(82, actor="analyst", notes="slow headcount")
        number = drill_with_finding.add_action(finding="headcount took 6 minutes", action="assign wardens",
                                               owner="safety office", due=D(2026, 9, 30), actor="analyst")
        self.assertEqual(number, 1)
        self.assertEqual(drill_with_finding.status, "evaluated")
        self.assertEqual([a.status for a in drill_with_finding.actions], [drill.ActionStatus.OPEN])
        with self.assertRaises(drill.StateError):
            drill_with_finding.close(actor="analyst")
        drill_with_finding.set_action(1, "done", actor="analyst", when=D(2026, 8, 1))
        drill_with_finding.close(actor="analyst")
        self.assertEqual(drill_with_finding.status, "closed")
        info = drill_with_finding.tracking
        self.assertEqual(info.status, drill.Status.CLOSED)
        self.assertEqual(info.outcome["participants"], 40)
        self.assertEqual(info.outcome["date"], held[0]["date"])
        self.assertEqual(info.open_actions, 0)
        cancelled = first_half[1]["id"]
        plan.cancel(cancelled, reason="unit closed for renovation", actor="analyst")
        self.assertEqual(plan.tracking(cancelled).cancel_reason, "unit closed for renovation")
        audit = plan.audit
        self.assertEqual([a.seq for a in audit], list(range(1, len(audit) + 1)))
        self.assertTrue(any(a.drill_id == cancelled and a.reason == "unit closed for renovation" for a in audit))

        # coverage, checked against the records
        today = D(2026, 7, 1)
        records = plan.records()
        by_district = {row["group"]: row for row in plan.coverage(by="district", today=today).records()}
        for district in units.districts:
            mine = [r for r in records if r["district"] == district]
            required = [r for r in mine if r["status"] != "cancelled"]
            held_n = sum(r["status"] in ("held", "evaluated", "closed") for r in required)
            overdue = sum(r["status"] in ("planned", "scheduled") and r["window_end"] < today for r in required)
            row = by_district[district]
            self.assertEqual(row["required"], len(required), district)
            self.assertEqual(row["held"], held_n, district)
            self.assertEqual(row["overdue"], overdue, district)
            self.assertEqual(row["coverage_percent"], round(100.0 * held_n / len(required), 1))
        total = by_district["total"]
        self.assertEqual(int(total["held"]), len(held))
        self.assertEqual(int(total["cancelled"]), 1)
        columns = plan.coverage(by="tier", today=today).records(columns=True)
        self.assertEqual(sum(map(int, columns["required"][:-1])), int(columns["required"][-1]))
        overdue_ids = {row["drill_id"] for row in plan.noncompliant(today=today)}
        self.assertEqual(overdue_ids, {r["id"] for r in records if r["status"] in ("planned", "scheduled")
                                       and r["window_end"] < today})
        actions = plan.actions_report(today=today).records()
        self.assertEqual([(a["drill_id"], a["status"]) for a in actions], [(held[0]["id"], "done")])
        reminders = plan.reminders(today=today, days_ahead=7).records()
        due = {r["drill_id"] for r in reminders if r["type"] == "due"}
        self.assertEqual(due, {r["id"] for r in records if r["status"] == "scheduled"
                               and today <= r["date"] <= today + datetime.timedelta(days=7)})

        # feeds: a set by district, read back and compared with the records
        stats = plan.write_feeds(self.path("feeds"), by="district", english=True)
        self.assertEqual(stats["feeds"], len(units.districts) + 1)
        self.assertEqual(stats["written"], stats["feeds"])
        self.assertEqual(stats["events"], len(plan))
        again = plan.write_feeds(self.path("feeds"), by="district", english=True)
        self.assertEqual(again["unchanged"], again["feeds"])
        events = {e.drill_id: e for e in drill.read_feed(self.path("feeds/all.ics"))}
        self.assertEqual(set(events), {r["id"] for r in records})
        for r in records:
            e = events[r["id"]]
            self.assertEqual(e.drill_status, r["status"])
            self.assertEqual(e.district, r["district"])
            self.assertEqual((e.window_start, e.window_end), (r["window_start"], r["window_end"]))
            self.assertEqual(e.sequence, r["revision"])
            if r["status"] in ("held", "evaluated", "closed"):
                self.assertEqual((e.start, e.start_minute, e.end_minute), (r["date"], 540, 600))
            elif r["date"] is not None:
                self.assertEqual((e.start, e.start_minute), (r["date"], r["start_minute"]))
        text = plan.feed_text(filter={"district": units.districts[0]}, alarm_minutes=30)
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertEqual(text.count("BEGIN:VEVENT"), len(plan.select(district=units.districts[0])))


class Errors(TempDir):
    """Every failure raises the drill.Error subclass for its code, with the message."""

    def test_each_code(self):
        units = drill.Units()
        units.add("U1", "一号单位", "大连市/中山区/青泥洼桥街道", "enterprise")
        cases = [
            (drill.InvalidArgumentError, drill.capi.DRILL_EINVAL,
             lambda: units.add("bad\nid", "x", "大连市/中山区", "enterprise")),
            (drill.NotFoundError, drill.capi.DRILL_ENOTFOUND, lambda: units["nope"]),
            (drill.ExistsError, drill.capi.DRILL_EEXISTS,
             lambda: units.add("U1", "again", "大连市/中山区", "enterprise")),
            (drill.ParseError, drill.capi.DRILL_EPARSE,
             lambda: units.import_csv_text("id,name,area,class\nU2,x,大连市/中山区,enterprise,\"open\n")),
            (drill.RangeError, drill.capi.DRILL_ERANGE, lambda: drill.Calendar().is_working_day("1850-01-01")),
            (drill.FileError, drill.capi.DRILL_EIO, lambda: units.import_csv(self.path("missing.csv"))),
            (drill.NoDataError, drill.capi.DRILL_ENODATA, lambda: drill.Calendar().day(D(2101, 1, 2))),
        ]
        for cls, code, call in cases:
            with self.assertRaises(cls) as caught:
                call()
            self.assertIsInstance(caught.exception, drill.Error)
            self.assertEqual(caught.exception.code, code)
            self.assertTrue(caught.exception.message)
        self.assertEqual(len(units), 1, "failed calls changed the registry")

    def test_parse_error_position(self):
        with self.assertRaises(drill.ParseError) as caught:
            drill.Units().import_csv_text("id,name,area,class\nU1,一,大连市/中山区,enterprise\nU2,二,大连市,enterprise\n",
                                          source="units.csv")
        e = caught.exception
        self.assertEqual((e.source, e.line), ("units.csv", 3))
        self.assertGreater(e.column, 0)
        self.assertTrue(str(e).startswith("units.csv:3:%d: " % e.column))
        with self.assertRaises(drill.ParseError) as caught:
            drill.parse_date("2026-02-30")
        self.assertEqual((caught.exception.line, caught.exception.column), (1, 9))

    def test_import_reports_every_bad_row(self):
        text = "id,name,area,class\nU1,一,大连市/中山区,enterprise\nU2,二,大连市,enterprise\nU3,三,大连市/西岗区,nope\n"
        units = drill.Units()
        result = units.import_csv_text(text, all_errors=True, skip_bad_rows=True)
        self.assertEqual(result.imported, 1)
        self.assertEqual([(e["line"], e["code"]) for e in result.errors],
                         [(3, drill.capi.DRILL_EPARSE), (4, drill.capi.DRILL_ENOTFOUND)])

    def test_state_and_store_codes(self):
        plan = make_plan(count=50)
        first = plan[0]
        first.cancel(reason="closed", actor="t")
        with self.assertRaises(drill.StateError):
            first.hold(date=D(2026, 3, 2), actor="t")
        with open(self.path("junk.sqlite"), "wb") as f:
            f.write(b"this is not a database" * 100)
        with self.assertRaises(drill.CorruptError):
            drill.Store(self.path("junk.sqlite"))
        with drill.Store(self.path("new.sqlite")):
            pass
        db = sqlite3.connect(self.path("new.sqlite"))
        db.execute("PRAGMA user_version = 999")
        db.commit()
        db.close()
        with self.assertRaises(drill.VersionError):
            drill.Store(self.path("new.sqlite"))

    def test_all_errors_on_the_exception(self):
        text = "id,name,area,class\nU1,一,大连市,enterprise\nU2,二,大连市/西岗区,nope\n"
        units = drill.Units()
        with self.assertRaises(drill.ParseError) as caught:
            units.import_csv_text(text, all_errors=True)
        self.assertEqual([(e["line"], e["code"]) for e in caught.exception.errors],
                         [(2, drill.capi.DRILL_EPARSE), (3, drill.capi.DRILL_ENOTFOUND)])
        self.assertEqual(len(units), 0)

    def test_int_ranges(self):
        plan = make_plan(count=10)
        with self.assertRaises(OverflowError):
            plan.schedule(capacity=2 ** 32)
        with self.assertRaises(OverflowError):
            plan.schedule(start_minute=(0, 2 ** 32 + 600, 0, 0))

    def test_wrong_types(self):
        with self.assertRaises(TypeError):
            drill.Calendar().is_working_day(20260101)
        with self.assertRaises(TypeError):
            drill.Units().add("U1", "x", "大连市/中山区", "enterprise", colour="red")
        with self.assertRaises(drill.InvalidArgumentError):
            make_plan(count=10).coverage(by="planet")

    def test_error_last(self):
        with self.assertRaises(drill.NotFoundError):
            drill.Rules()["nope"]
        last = drill.capi.error_last()
        self.assertEqual(last["code"], drill.capi.DRILL_ENOTFOUND)
        self.assertIn("nope", last["message"])


class Iteration(unittest.TestCase):
    def test_iterators(self):
        plan = make_plan(count=60)
        drills = list(plan)
        self.assertEqual(len(drills), len(plan))
        self.assertEqual([d.as_dict() for d in drills], plan.records(fields="drill"))
        self.assertEqual([d.id for d in drills[:3]], [capi_id(plan, i) for i in range(3)])
        it = iter(plan.units)
        self.assertEqual(sum(1 for _ in it), 60)
        with self.assertRaises(StopIteration):
            next(it)
        self.assertEqual(len(list(plan.rules)), len(plan.rules))
        district = plan.units.districts[0]
        sel = plan.select(district=district, status="scheduled")
        self.assertEqual([d.id for d in sel], [r["id"] for r in plan.records()
                                               if r["district"] == district and r["status"] == "scheduled"])
        self.assertEqual(sel.records(), plan.records(district=district, status=drill.Status.SCHEDULED))
        june = plan.select(start=D(2026, 6, 1), end=D(2026, 6, 30), status="scheduled")
        self.assertTrue(all(D(2026, 6, 1) <= d.date <= D(2026, 6, 30) for d in june))
        table = plan.coverage(by="rule", today=D(2026, 12, 31))
        rows = list(table)
        self.assertEqual(rows, table.records())
        self.assertEqual(rows[-1]["group"], "total")
        columns = table.records(columns=True)
        self.assertEqual(list(columns), table.columns)
        self.assertEqual(columns["group"], [r["group"] for r in rows])
        cols = plan.records(columns=True)
        self.assertEqual([dict(zip(cols, values)) for values in zip(*cols.values())], plan.records())

    def test_campaigns_and_calendar(self):
        cal = drill.Calendar()
        self.assertIn(2026, cal.covered_years)
        day = cal.day(D(2026, 10, 1))
        self.assertEqual((day.kind, day.working, day.name_en), (drill.DayKind.HOLIDAY, False, "National Day"))
        self.assertEqual(cal.next_working_day(D(2026, 10, 1)), D(2026, 10, 8))
        self.assertEqual(cal.count_working_days(D(2026, 6, 1), D(2026, 6, 30)),
                         sum(cal.is_working_day(D(2026, 6, d)) for d in range(1, 31)))
        campaigns = drill.Campaigns()
        windows = {w.id: w for w in campaigns.windows(2026, cal)}
        self.assertEqual((windows["work-safety-month"].start, windows["work-safety-month"].end),
                         (D(2026, 6, 1), D(2026, 6, 30)))
        self.assertEqual(windows["iddrr"].start, D(2026, 10, 13))
        campaigns.add("city-day", "城市安全日", rule="fixed", month=9, day=1, length_days=3)
        w = campaigns.window("city-day", 2027)
        self.assertEqual((w.start, w.end, w.working_days), (D(2027, 9, 1), D(2027, 9, 3), -1))
        quirks = drill.Calendar(china=False)
        stats = quirks.load_ics(os.path.join(DATA, "holidays-quirks.ics"))
        self.assertGreater(stats["entries"], 0)
        self.assertEqual(drill.iso_week(D(2027, 1, 1)), (2026, 53))
        self.assertEqual(drill.half_year_bounds("2026-08-08"), (D(2026, 7, 1), D(2026, 12, 31)))
        self.assertEqual(drill.date_from_serial(drill.date_serial(D(2026, 3, 4))), D(2026, 3, 4))

    def test_dates_cross_as_dates(self):
        plan = make_plan(count=20)
        d = next(d for d in plan if d.date is not None)
        self.assertIsInstance(d.date, datetime.date)
        self.assertIsInstance(d.start, datetime.datetime)
        self.assertEqual(d.end - d.start, datetime.timedelta(minutes=d.duration_minutes))
        when = datetime.datetime.combine(d.date, datetime.time(10, 0))
        plan.hold(d.id, date=when, actor="t")  # a datetime is taken as its date
        self.assertEqual(plan.tracking(d.id).outcome["date"], d.date)


class Registries(TempDir):
    """The rest of the API, each call checked by value."""

    def test_rules(self):
        rules = drill.Rules(presets=False)
        rules.add("drill-a", "甲", kind="comprehensive", form=drill.Form.TABLETOP, frequency="yearly",
                  classes="school|hospital", campaign="work-safety-month", source="notice 1")
        rules.update("drill-a", name_en="A", kind=drill.Kind.SPECIAL)
        r = rules["drill-a"]
        self.assertEqual((r.name, r.name_en, r.kind, r.form, r.frequency, r.campaign),
                         ("甲", "A", drill.Kind.SPECIAL, drill.Form.TABLETOP, drill.Frequency.YEARLY,
                          "work-safety-month"))
        units = drill.Units()
        units.add("S1", "一中", "大连市/中山区/桃源街道", "school", headcount=900, risk="general")
        units.add("E1", "一厂", "大连市/中山区/桃源街道", "enterprise")
        self.assertTrue(rules.applies("drill-a", units, "S1"))
        self.assertFalse(rules.applies("drill-a", units, "E1"))
        with self.assertRaises(drill.InvalidArgumentError):
            rules.add("bad", "乙", frequency="half_yearly", campaign="work-safety-month")
        rules.remove("drill-a")
        self.assertEqual(len(rules), 0)
        self.assertEqual(drill.kind_name("onsite", english=True), "on-site response")
        self.assertEqual(drill.scenario_name("fire"), "火灾")
        presets = drill.Rules()
        self.assertIn("art33-annual", presets)
        self.assertTrue(all(rule.source for rule in presets))

    def test_units(self):
        units = drill.Units()
        units.add_class("port", "港口", flags=drill.ClassFlag.PRODUCTION | drill.ClassFlag.HIGH_RISK)
        self.assertEqual(units.classes[-1]["flags"], drill.ClassFlag.PRODUCTION | drill.ClassFlag.HIGH_RISK)
        units.add("P1", "大港", "大连市/中山区/海军广场街道", "port", risk=drill.Risk.MAJOR, flood_prone=True)
        units.update("P1", phone="0411-1", headcount=12)
        u = units["P1"]
        self.assertEqual((u.phone, u.headcount, u.risk, u.flood_prone, u.key_fire),
                         ("0411-1", 12, drill.Risk.MAJOR, True, False))
        self.assertEqual(units.district_of("P1"), "大连市/中山区")
        # key_fire is the unit's own flag: writing back what was read changes nothing
        kf = units.copy()
        kf.add("K1", "消防重点", "大连市/中山区/海军广场街道", "key-fire-unit")
        self.assertEqual((kf["K1"].key_fire, kf.is_key_fire("K1")), (False, True))
        kf.update("K1", headcount=3)
        kf.update("K1", unit_class="port")
        self.assertEqual((kf["K1"].key_fire, kf.is_key_fire("K1")), (False, False))
        units.add_blackout("P1", D(2026, 5, 1), D(2026, 5, 3))
        self.assertEqual([units.is_blacked_out("P1", D(2026, 5, d)) for d in (1, 3, 4)], [True, True, False])
        units.export_csv(self.path("u.csv"))
        again = drill.Units()
        again.add_class("port", "港口", flags=drill.ClassFlag.PRODUCTION | drill.ClassFlag.HIGH_RISK)
        self.assertEqual(again.import_csv(self.path("u.csv")).imported, 1)
        self.assertTrue(again.is_blacked_out("P1", D(2026, 5, 2)))
        copy = units.copy()
        copy.add("P2", "小港", "大连市/西岗区/白云街道", "port")
        self.assertEqual((len(units), len(copy)), (1, 2))
        self.assertEqual(units[-1].id, "P1")

    def test_calendar_and_campaigns(self):
        cal = drill.Calendar(china=False)
        with self.assertRaises(drill.NoDataError):
            cal.is_working_day(D(2027, 1, 4))
        cal.load_csv_text("date,kind,name,name_en\n2027-01-01,holiday,元旦,New Year\n2027-01-09,workday,补班,\n")
        self.assertTrue(cal.is_working_day(D(2027, 1, 9)))  # a Saturday made a working day
        self.assertEqual(cal.day(D(2027, 1, 1)).name_en, "New Year")
        cal.add(D(2027, 2, 1), "自定", kind="holiday")
        self.assertEqual(cal.prev_working_day(D(2027, 2, 2)), D(2027, 1, 29))
        cal.mark_covered(2028)
        self.assertTrue(cal.is_covered(2028))
        self.assertEqual(cal.covered_years, [2027, 2028])
        weekends = cal.copy()
        weekends.uncovered_weekends = True
        self.assertFalse(weekends.day(D(2030, 1, 5)).covered)
        # a year without a notice, provisionally from the law: Dragon Boat 2030 is June 5
        law = drill.Calendar()
        self.assertTrue(law.provisional)
        self.assertTrue(law.is_provisional(2030))
        self.assertFalse(law.is_provisional(2026))
        self.assertEqual(law.day(D(2030, 6, 5)).name_en, "Dragon Boat Festival")
        self.assertFalse(law.is_working_day(D(2030, 6, 5)))
        self.assertEqual(drill.lunar_to_date(2030, 5, 5), D(2030, 6, 5))
        self.assertEqual(drill.lunar_to_date(2025, 6, 1, leap=True), D(2025, 7, 25))
        self.assertEqual(drill.solar_term_date(2030, 15), D(2030, 4, 5))
        with self.assertRaises(drill.NotFoundError):
            drill.lunar_to_date(2025, 5, 1, leap=True)
        # school terms: the Dalian default, a year's own break, a feed
        units = drill.Units()
        units.add("S1", "学校", "大连市/中山区", "school")
        self.assertTrue(drill.ClassFlag.TERMS in [c for c in units.classes if c["id"] == "school"][0]["flags"])
        self.assertFalse(units.in_term("S1", D(2027, 8, 1)))
        winter = [b for b in units.breaks if b["class_id"] == "school" and b["name"] == "寒假"][0]
        self.assertEqual((winter["yearly"], winter["from"], winter["to"]), (1, D(2000, 1, 20), D(2000, 2, 20)))
        units.add_break("school", D(2027, 1, 10), D(2027, 2, 28), "寒假")
        self.assertFalse(units.in_term("S1", D(2027, 1, 15)))
        self.assertTrue(units.in_term("S1", D(2028, 1, 15)))
        units.set_yearly_break("school", "暑假", 7, 1, 8, 31)
        self.assertFalse(units.in_term("S1", D(2028, 7, 2)))
        self.assertEqual(units.load_terms_ics("kindergarten", os.path.join(DATA, "terms-school-2027.ics")), 2)
        with self.assertRaises(drill.ParseError) as caught:
            units.load_terms_csv(os.path.join(DATA, "holidays-quirks.ics"))
        units.clear_breaks("school")
        self.assertTrue(units.in_term("S1", D(2027, 8, 1)))
        with self.assertRaises(drill.ParseError) as caught:
            cal.load_csv_text("date,kind,name\n2027-13-01,holiday,x\n", source="h.csv")
        self.assertEqual((caught.exception.source, caught.exception.line), ("h.csv", 2))
        campaigns = drill.Campaigns(flood_month=6, flood_day=15, flood_end_month=8, flood_end_day=15,
                                    flood_lead_days=30)
        pre = campaigns.window("pre-flood-season", 2026)
        self.assertEqual((pre.start, pre.end), (D(2026, 5, 16), D(2026, 6, 14)))
        campaigns.add("after-flood", "汛后", rule="offset", base="main-flood-season", start_offset=70,
                      end_offset=80)
        self.assertEqual(campaigns.window("after-flood", 2026).start, D(2026, 8, 24))
        campaigns.set_year("disaster-reduction-week", D(2027, 5, 10), D(2027, 5, 16))
        self.assertEqual(campaigns.window("disaster-reduction-week", 2027).origin, drill.WindowOrigin.DATA)
        self.assertTrue(campaigns.window("disaster-reduction-week", 2031).estimated)
        campaigns.remove("after-flood")
        with self.assertRaises(drill.NotFoundError):
            campaigns.window("after-flood", 2026)

    def test_plan_controls(self):
        plan = make_plan(count=120)
        district = plan.units.districts[0]
        busy = plan.import_busy(os.path.join(DATA, "agency-busy.ics"), district=district)
        self.assertEqual(busy, 3)  # Sep 15-16 and Jul 8 (the cancelled and next-year events are skipped)
        self.assertEqual(plan.import_busy(os.path.join(DATA, "agency-busy.ics"), district=district), 0)  # closed already
        plan.close_day(D(2026, 6, 2))
        plan.set_capacity(district, 2)
        quality = plan.schedule()
        self.assertEqual(plan.validate(), 0)
        on_closed = [d for d in plan if d.date in (D(2026, 6, 2), D(2026, 9, 15), D(2026, 9, 16))
                     and (d.date == D(2026, 6, 2) or d.district == district)]
        self.assertEqual([d.id for d in on_closed if d.status == "scheduled"], [])
        dq = {q.district: q for q in plan.district_quality()}
        self.assertEqual(dq[district].capacity, 2)
        self.assertLessEqual(dq[district].busiest_observed, 2)
        self.assertEqual(sum(q.drills for q in dq.values()), quality.required)
        # a drill moved by hand to a working day of its window where the unit
        # has no other drill within the spacing, in a district with room
        plan.set_capacity(district, 30)
        plan.schedule()
        by_unit = collections.defaultdict(list)
        for r in plan.records():
            if r["date"] is not None:
                by_unit[r["unit_id"]].append(r["date"])
        d = next(d for d in plan.select(status="scheduled") if not d.needs_observer and d.campaign is None)
        others = [x for x in by_unit[d.unit_id] if x != d.date]
        day = d.window_start
        while not (plan.calendar.is_working_day(day) and day != d.date
                   and all(abs((day - x).days) >= 7 for x in others)):
            day += datetime.timedelta(days=1)
        d.reschedule(day, actor="t", reason="inspection")
        self.assertEqual((d.date, d.status), (day, "scheduled"))
        self.assertEqual(plan.audit[-1].reason, "inspection")
        with self.assertRaises(drill.RangeError):
            d.reschedule(d.window_end + datetime.timedelta(days=1), actor="t")
        d.cancel("t", "closed")
        d.reinstate(actor="t")
        self.assertEqual(d.status, "planned")
        plan.set_last("DL000001", "art33-onsite", D(2025, 10, 1))
        plan.refresh()
        self.assertGreater(len(plan.audit), 0)

    def test_feed_reader(self):
        with drill.FeedReader(os.path.join(DATA, "agency-busy.ics")) as reader:
            events = list(reader)
            count, text = reader.tolerated
        self.assertEqual([e.uid for e in events][:2], ["inspection-1@agency", "meeting-2@agency"])
        self.assertTrue(events[0].all_day)
        self.assertEqual((events[1].start, events[1].start_minute, events[1].tzid),
                         (D(2026, 7, 8), 14 * 60, "Asia/Shanghai"))
        self.assertGreater(count, 0)
        self.assertTrue(text)
        with open(self.path("broken.ics"), "w") as f:
            f.write("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:2026BAD\nEND:VEVENT\nEND:VCALENDAR\n")
        with self.assertRaises(drill.ParseError) as caught:
            drill.read_feed(self.path("broken.ics"))
        self.assertGreater(caught.exception.line, 0)


class StoreTests(TempDir):
    def test_save_load_attach(self):
        plan = make_plan(count=80)
        path = self.path("drills.sqlite")
        with drill.Store(path) as store:
            self.assertTrue(store.check())
            self.assertEqual(store.check_detail(), (True, "ok"))
            store.attach(plan)
            d = plan[0]
            d.hold(date=d.date or d.window_start, actor="clerk", participants=12)
        with self.assertRaises(drill.StateError):
            store.save(plan)  # closed
        # a row another program wrote, naming a year with no plan: what is wrong, said
        raw = sqlite3.connect(path)
        raw.execute("INSERT INTO drills(id, year, status, reason) VALUES('X/Y/Z', 1999, 0, 0)")
        raw.commit()
        with drill.Store(path, read_only=True) as store:
            ok, detail = store.check_detail()
            self.assertFalse(ok)
            self.assertTrue(detail.startswith("drills: "), detail)
            self.assertFalse(store.check())
        raw.execute("DELETE FROM drills WHERE year = 1999")
        raw.commit()
        raw.close()
        with drill.Store(path, read_only=True) as store:
            loaded = store.load(2026)
            self.assertEqual(loaded.records(), plan.records())
            self.assertEqual(loaded.tracking(d.id).outcome["participants"], 12)
            self.assertEqual(len(loaded.units), 80)
            with self.assertRaises(drill.NotFoundError):
                store.load(2030)
        # the loaded plan outlives its store and keeps its registries
        del store
        gc.collect()
        self.assertEqual(loaded[d.id].status, "held")
        self.assertIn("2026", repr(loaded))


class SystemOfRecord(TempDir):
    """Many writers on one store: conflicts, catching up, closed stores, one unit, groups."""

    def test_conflict_refresh_and_closed_store(self):
        plan = make_plan(count=60)
        path = self.path("s.sqlite")
        with drill.Store(path) as a, drill.Store(path) as b:
            a.save(plan)
            one = b.load(2026)
            two = b.load(2026)
            b.attach(one)
            ids = [d.id for d in one if d.status == "scheduled"][:2]
            one.hold(ids[0], date=one[ids[0]].date, actor="clerk one")
            a.attach(two)  # a second program, loaded before the hold
            self.assertIs(two.store, a)
            with self.assertRaises(drill.ConflictError) as caught:
                two.cancel(ids[0], "clerk two", "closed for works")
            self.assertIn(ids[0], str(caught.exception))
            self.assertEqual(two[ids[0]].status, "scheduled")  # nothing changed in memory
            self.assertEqual(a.refresh(two), 1)
            self.assertEqual(two[ids[0]].status, "held")
            two.evaluate(ids[0], 80, actor="clerk two")
            b.refresh_drill(one, ids[0])
            self.assertEqual(one.tracking(ids[0]).status, drill.Status.EVALUATED)
            # the coverage report straight from the store is the plan's
            day = D(2026, 12, 31)
            self.assertEqual(a.coverage(2026, by="rule", today=day).records(),
                             two.coverage(by="rule", today=day).records())
            self.assertEqual(a.overdue(2026, today=day).records(), two.noncompliant(today=day).records())
            self.assertEqual(a.reminders(2026, today=D(2026, 6, 1), days_ahead=30).records(),
                             two.reminders(today=D(2026, 6, 1), days_ahead=30).records())
            self.assertEqual(a.actions_report(2026, today=day).records(), two.actions_report(today=day).records())
            # lists straight from the store: the plan's selection, several states at once
            both = a.list(2026, status=["held", "evaluated"])
            self.assertEqual([r["id"] for r in both], [d.id for d in two.select(status=["held", "evaluated"])])
            self.assertEqual([r["status"] for r in both], [drill.Status.EVALUATED])
            unit = two[ids[1]].unit_id
            self.assertEqual([r["id"] for r in a.list(2026, unit_id=unit)], [d.id for d in two.select(unit_id=unit)])
            june = a.list(2026, start="2026-06-01", end="2026-06-30", status="scheduled")
            self.assertEqual([r["id"] for r in june],
                             [d.id for d in two.select(start="2026-06-01", end="2026-06-30", status="scheduled")])
            self.assertTrue(all(D(2026, 6, 1) <= r["date"] <= D(2026, 6, 30) for r in june))
            with self.assertRaises(TypeError):
                a.list(2026, colour="red")
        # the store closed: tracking raises instead of changing memory only
        self.assertIsNone(two.store)
        with self.assertRaises(drill.StateError):
            two.hold(ids[1], date=two[ids[1]].date, actor="late")
        self.assertEqual(two[ids[1]].status, "scheduled")

    def test_schedule_options_of_version_2(self):
        plan = make_plan(count=40, today=D(2026, 3, 1), day_slots=2, slot_minutes=30, avoid_after_breaks=True)
        o = plan.schedule_options
        self.assertEqual((o["today"], o["day_slots"], o["slot_minutes"], o["avoid_after_breaks"]),
                         (D(2026, 3, 1), 2, 30, 1))
        self.assertTrue(all(d.date > D(2026, 3, 1) for d in plan if d.status == "scheduled"))
        with drill.Store(self.path("s.sqlite")) as store:
            store.save(plan)
            self.assertEqual(store.load(2026).schedule_options, o)

    def test_observed_bound(self):
        plan = make_plan(count=400)
        for q in plan.district_quality():
            self.assertLessEqual(q.busiest_observed, q.capacity)
            if q.observed:
                self.assertEqual(q.ratio, q.busiest_observed / q.lower_bound)
                self.assertGreaterEqual(q.ratio, 1.0)  # no schedule beats the bound
                self.assertLessEqual(q.busiest_observed, q.lower_bound + 1)

    def test_campaign_widening(self):
        plan = make_plan(count=40, campaign_min_days=10, campaign_widen_days=4)
        o = plan.schedule_options
        self.assertEqual((o["campaign_min_days"], o["campaign_widen_days"]), (10, 4))
        with drill.Store(self.path("w.sqlite")) as store:
            store.save(plan)
            self.assertEqual(store.load(2026).schedule_options, o)
        plan.schedule(campaign_min_days=-1)
        self.assertEqual(plan.schedule_options["campaign_min_days"], -1)
        self.assertEqual(plan.schedule_options["campaign_widen_days"], 7)
        with self.assertRaises(drill.InvalidArgumentError):
            plan.schedule(campaign_widen_days=184)

    def test_file_write(self):
        path = self.path("out.txt")
        drill.capi.drill_file_write_text(path, "一行\n")
        with open(path, encoding="utf-8") as f:
            self.assertEqual(f.read(), "一行\n")
        with self.assertRaises(drill.FileError):
            drill.capi.drill_file_write_text(self.path("no/such/dir/x"), "x")
        self.assertEqual(os.listdir(self.dir), ["out.txt"])  # no temporary left behind

    def test_one_unit_and_groups(self):
        plan = make_plan(count=40)
        path = self.path("s.sqlite")
        with drill.Store(path) as store:
            store.save(plan)
            first = plan[0]
            part = store.load_unit(2026, first.unit_id)
            self.assertEqual(len(part.units), 1)
            self.assertEqual({d.id for d in part}, {d.id for d in plan if d.unit_id == first.unit_id})
            store.save(part)  # saving writes only what changed: nothing here
            moved = store.load_unit(2026, first.unit_id)
            moved.schedule()
            with self.assertRaises(drill.StateError):
                store.save(moved)  # one unit's part is never saved whole
            store.attach(part)
            drills = [d.id for d in part if d.status == "scheduled"]
            with self.assertRaises(RuntimeError):
                with store.group():
                    part.hold(drills[0], date=part[drills[0]].date, actor="x")
                    raise RuntimeError("the form was not sent")
            again = store.load(2026)
            self.assertEqual(again[drills[0]].status, "scheduled")  # rolled back
            part = store.load_unit(2026, first.unit_id)
            store.attach(part)
            with store.group():
                part.hold(drills[0], date=part[drills[0]].date, actor="x")
                part.evaluate(drills[0], 70, actor="x")
            self.assertEqual(store.load(2026)[drills[0]].status, "evaluated")
            with self.assertRaises(drill.NotFoundError):
                store.load_unit(2026, "NO-SUCH-UNIT")


class WorkingRegistries(TempDir):
    def test_registries_and_plan_over_them(self):
        units = drill.Units()
        units.generate(count=40)
        rules = drill.Rules()
        plan = drill.Plan(units, rules, year=2026)
        plan.schedule(capacity=12, spacing_days=5)
        with drill.Store(self.path("s.sqlite")) as store:
            self.assertEqual(store.years, [])
            store.save_registries(units, rules)
            store.save(plan)
            self.assertEqual(store.years, [2026])
            units2, rules2, campaigns2, cal2 = store.load_registries()
            self.assertEqual([u.as_dict() for u in units2], [u.as_dict() for u in units])
            units2.add("NEW", "新单位", "大连市/中山区/青泥洼桥街道", "enterprise")
            again = store.load_plan(2026, units2, rules2, campaigns2, cal2)
        del units2, rules2, campaigns2, cal2
        gc.collect()
        self.assertEqual(again.schedule_options["capacity"], 12)
        self.assertEqual(again.schedule_options["spacing_days"], 5)
        self.assertEqual({r["id"] for r in again.records()} - {r["id"] for r in plan.records()},
                         {r["id"] for r in again.records(unit_id="NEW")})
        self.assertGreater(len(again.select(unit_id="NEW")), 0)


class Ownership(unittest.TestCase):
    def test_children_keep_parents_alive(self):
        plan = make_plan(count=30)
        d = plan[5]
        table = plan.coverage(today=D(2026, 12, 31))
        sel = plan.select(status="scheduled")
        units = plan.units
        del plan
        gc.collect()
        self.assertEqual(d.reload().id, d.id)
        self.assertEqual(table.records()[-1]["group"], "total")
        self.assertEqual(len(list(sel)), len(sel))
        self.assertEqual(len(units), 30)

    def test_no_growth(self):
        """Create and drop 100,000 objects: memory does not grow, neither
        Python's (live blocks) nor the C heap's (glibc's bytes in use)."""
        plan = make_plan(count=30)
        feed = os.path.join(DATA, "agency-busy.ics")

        def churn(n):
            for i in range(n):
                d = plan[i % len(plan)]
                t = plan.tracking(d.id)
                s = plan.select(unit_id=d.unit_id)
                if i % 100 == 0:
                    c = drill.Calendar(china=False)
                    u = drill.Units()
                    tab = plan.coverage(today=D(2026, 12, 31))
                    events = drill.read_feed(feed)
                    try:
                        plan["no/such/drill"]
                    except drill.NotFoundError as e:
                        err = e
                    rows = plan.records(), plan.records(columns=True), tab.records(), tab.records(True)
                    text = plan.feed_text(filter={"unit_id": d.unit_id})
                    try:
                        u.import_csv_text("id,name,area,class\nX,x,大连市,enterprise\n", all_errors=True)
                    except drill.ParseError as e:
                        err = e
                    del c, u, tab, events, err, rows, text
                del d, t, s

        rounds = int(os.environ.get("DRILL_PY_CHURN", "100000"))
        # libical's parser keeps up to 2,500 temporary buffers a thread (its
        # icalmemory ring), so the first thousands of feeds read grow the heap
        # until the ring is full and its slots have their largest sizes
        for _ in range(20):
            before = c_heap_in_use()
            for _ in range(500):
                drill.read_feed(feed)
            if c_heap_in_use() <= before:
                break
        churn(rounds)  # the first round fills the allocators' free lists
        gc.collect()
        before_blocks, before_heap = sys.getallocatedblocks(), c_heap_in_use()
        churn(rounds)
        gc.collect()
        after_blocks, after_heap = sys.getallocatedblocks(), c_heap_in_use()
        self.assertLess(after_blocks - before_blocks, 100, "Python objects leaked")
        self.assertLess(after_heap - before_heap, 64 * 1024, "the C heap grew (bytes)")

    def test_plan_registries_are_read_only(self):
        plan = make_plan(count=10)
        for name in ("units", "rules", "campaigns", "calendar"):
            with self.assertRaises(AttributeError):
                setattr(plan, name, None)
        gc.collect()
        self.assertEqual(len(plan.records()), len(plan))

    def test_calendar_policy_survives_copy_and_store(self):
        cal = drill.Calendar(uncovered_weekends=True)
        self.assertTrue(cal.copy().uncovered_weekends)
        units = drill.Units()
        units.generate(count=10)
        plan = drill.Plan(units, drill.Rules(), calendar=cal, year=2027, allow_uncovered=True)
        with tempfile.TemporaryDirectory() as tmp:
            with drill.Store(os.path.join(tmp, "s.sqlite")) as store:
                store.save(plan)
                self.assertTrue(store.load(2027).calendar.uncovered_weekends)

    def test_two_stores(self):
        """Attaching a plan to a second store moves it there; closing the
        first does not cut the second's write-through."""
        plan = make_plan(count=20)
        with tempfile.TemporaryDirectory() as tmp:
            a = drill.Store(os.path.join(tmp, "a.sqlite"))
            a.attach(plan)
            drill.Store(os.path.join(tmp, "b.sqlite")).attach(plan)
            a.close()
            gc.collect()
            d = plan.select(status="scheduled").records()[0]
            plan.hold(d["id"], date=d["date"], actor="t")
            with drill.Store(os.path.join(tmp, "b.sqlite"), read_only=True) as b:
                self.assertEqual(b.load(2026)[d["id"]].status, "held")
            plan._store.close()

    def test_store_closes_once(self):
        with tempfile.TemporaryDirectory() as tmp:
            store = drill.Store(os.path.join(tmp, "s.sqlite"))
            store.close()
            store.close()
            self.assertIn("closed", repr(store))


class Docs(unittest.TestCase):
    def test_docstrings_from_headers(self):
        self.assertIn("Place the drills", drill.Plan.schedule.__doc__)
        self.assertIn("drill_plan_schedule", drill.Plan.schedule.__doc__)
        self.assertIn("Record a drill held", drill.capi.drill_track_hold.__doc__)
        self.assertIn("year's drill plan", drill.Plan.__doc__)

    def test_reprs(self):
        plan = make_plan(count=10)
        self.assertRegex(repr(plan), r"<drill.Plan 2026: \d+ drills, \d+ placed>")
        self.assertRegex(repr(plan[0]), r"<drill.Drill DL000001/\S+: \w+ \w+, (planned|scheduled)")
        self.assertIn("10 units", repr(plan.units))
        self.assertIn("rules", repr(plan.rules))

    def test_options_init_and_csv_reader(self):
        """drill_*_init(version) gives a version's defaults; the CSV reader reads as the library does."""
        c = drill.capi
        self.assertEqual(c.drill_region_options_init(c.DRILL_REGION_OPTIONS_VERSION)["flood_lead_days"], 113)
        with self.assertRaises(drill.VersionError):
            c.drill_plan_options_init(c.DRILL_PLAN_OPTIONS_VERSION + 1)
        r = c.drill_csv_open_buffer('a,b\r1,"x""y"\n', "t.csv")
        self.assertEqual([c.drill_csv_next(r), c.drill_csv_next(r)], [2, 2])
        self.assertEqual((c.drill_csv_field(r, 1), c.drill_csv_field_position(r, 1)), ('x"y', [2, 3]))
        self.assertEqual(c.drill_csv_next(r), 0)
        r = c.drill_csv_open_buffer("a\n\0", "nul.csv")
        self.assertEqual(c.drill_csv_next(r), 1)
        with self.assertRaises(drill.ParseError):
            c.drill_csv_next(r)

    def test_every_c_function_is_reachable(self):
        """Every exported drill_* function is in drill.capi, or is a destructor's
        job (the *_free functions), or has a documented replacement."""
        header_dir = os.path.join(os.path.dirname(__file__), "..", "..", "include", "drill")
        import re
        names = set()
        for name in os.listdir(header_dir):
            with open(os.path.join(header_dir, name), encoding="utf-8") as f:
                names.update(re.findall(r"DRILL_EXTERN\s+[^;(]*?\b(drill_\w+)\s*\(", f.read()))
        replaced = {"drill_feed_write": "feed_text", "drill_error_last": "error_last",
                    "drill_file_write": "drill_file_write_text"}
        in_python = {"drill_store_attachment": drill.Plan.store}  # the Python layer's own answer
        missing = [n for n in sorted(names) if not hasattr(drill.capi, n) and not n.endswith("_free")
                   and not hasattr(drill.capi, replaced.get(n, "-")) and n not in in_python]
        self.assertEqual(missing, [])
        self.assertGreater(len(names), 100)


if __name__ == "__main__":
    unittest.main()
