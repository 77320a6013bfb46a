"""The binding as an analyst in a notebook uses it: one set of enum types,
None for missing values, records with outcome and unit columns, filters,
the audit trail, typed reports, DataFrames, HTML and plots. pandas and
matplotlib are optional dependencies: their tests are skipped without
them (Debian's python3-pandas and python3-matplotlib, which `make deps`
installs, have them). Typed: `mypy --strict` checks this file."""

import datetime
import gc
import importlib
import os
import shutil
import tempfile
import unittest
import warnings
from typing import Any, ClassVar, Dict, List

import drill

D = datetime.date
UNITS = 300

# DRILL_PY_NO_OPTIONAL=1 (set by check-python-valgrind) leaves pandas and
# matplotlib out: importing them leaves blocks the interpreter never frees,
# which memcheck reports as lost; the C the DataFrames are built from is
# tested without them (Records.test_arrays)
OPTIONAL = not os.environ.get("DRILL_PY_NO_OPTIONAL")
pandas: Any = None
matplotlib: Any = None
plt: Any = None
if OPTIONAL:
    try:
        pandas = importlib.import_module("pandas")
    except ImportError:  # pragma: no cover - depends on the machine
        pass
    try:
        matplotlib = importlib.import_module("matplotlib")
        matplotlib.use("Agg")
        importlib.import_module("matplotlib.image")
        plt = importlib.import_module("matplotlib.pyplot")
    except ImportError:  # pragma: no cover
        matplotlib = None


def tracked_plan() -> drill.Plan:
    """A scheduled plan with some drills held (one evaluated, one with an
    action), one cancelled, in the first quarter."""
    units = drill.Units()
    units.generate(count=UNITS)
    plan = drill.Plan(units, drill.Rules(), year=2026)
    plan.schedule()
    first = [d for d in plan.select(status="scheduled", end=D(2026, 3, 31))][:12]
    for d in first[:10]:
        d.hold(date=d.date, actor="clerk", participants=40, evacuation_seconds=180, evacuation_target=240,
               observers="王五")
    first[0].evaluate(85, actor="inspector", notes="good")
    first[1].add_action(finding="blocked exit", action="clear it", owner="安全科", due=D(2026, 4, 30),
                        actor="inspector")
    plan.cancel(first[11].id, "clerk", "unit closed")
    return plan


class Shared(unittest.TestCase):
    plan: ClassVar[drill.Plan]

    @classmethod
    def setUpClass(cls) -> None:
        cls.plan = tracked_plan()

    @classmethod
    def tearDownClass(cls) -> None:
        # freed now, not at interpreter exit (where SWIG's module teardown
        # leaks a block memcheck reports)
        del cls.plan
        gc.collect()


class Types(Shared):
    def test_named_enums(self) -> None:
        self.assertIs(drill.Status("held"), drill.Status.HELD)
        self.assertIs(drill.Status("HELD"), drill.Status.HELD)
        self.assertIs(drill.Status.from_code(drill.Status.CLOSED.code), drill.Status.CLOSED)
        self.assertIs(drill.ActionStatus("in progress"), drill.ActionStatus.IN_PROGRESS)
        self.assertEqual(drill.Status.HELD, "held")
        self.assertEqual(str(drill.Kind.ONSITE), "onsite")
        self.assertEqual("%s" % drill.Form.TABLETOP, "tabletop")
        self.assertEqual(hash(drill.Status.HELD), hash("held"))  # a dict finds one by the other
        with self.assertRaises(ValueError):
            drill.Status("finished")
        with self.assertRaises(drill.InvalidArgumentError) as cm:
            self.plan.select(status="finished")
        self.assertIn("'held'", str(cm.exception))
        self.assertEqual(drill.Reason.CAPACITY.description, "observer capacity exhausted")

    def test_one_type_everywhere(self) -> None:
        held = next(d for d in self.plan if d.status == drill.Status.HELD)
        record = self.plan.records(unit_id=held.unit_id, fields=["id", "status", "kind", "held_kind"])
        row = next(r for r in record if r["id"] == held.id)
        info = held.tracking
        assert info.outcome is not None
        for value, cls in ((held.status, drill.Status), (row["status"], drill.Status), (info.status, drill.Status),
                           (held.kind, drill.Kind), (row["kind"], drill.Kind), (row["held_kind"], drill.Kind),
                           (info.outcome["kind"], drill.Kind), (info.outcome["form"], drill.Form)):
            self.assertIsInstance(value, cls)
        self.assertEqual(row["status"], info.status)
        self.assertIsInstance(self.plan.rules[0].frequency, drill.Frequency)
        quality = self.plan.quality
        self.assertTrue(all(isinstance(k, drill.Reason) for k in quality.unplaced))
        self.assertNotIn(drill.Reason.NONE, quality.unplaced)

    def test_missing_is_none(self) -> None:
        held = [d for d in self.plan if d.status in ("held", "evaluated")]
        scores = {d.id: d.tracking.outcome["score"] for d in held if d.tracking.outcome}
        self.assertEqual(sorted(s for s in scores.values() if s is not None), [85])
        self.assertEqual(sum(s is None for s in scores.values()), len(held) - 1)
        records = self.plan.records()
        self.assertTrue(all(r["campaign"] is None or r["campaign"] != "" for r in records))
        self.assertTrue(any(r["campaign"] is None for r in records))
        planned = next(r for r in records if r["status"] == "scheduled")
        self.assertIsNone(planned["held_date"])
        self.assertIsNone(planned["score"])
        self.assertIsNone(planned["observers"])
        self.assertIsNone(planned["reason"])
        self.assertIsNone(planned["cancel_reason"])
        cancelled = next(r for r in records if r["status"] == drill.Status.CANCELLED)
        self.assertEqual(cancelled["cancel_reason"], "unit closed")
        self.assertIsNone(cancelled["date"])

    def test_times_have_zones(self) -> None:
        d = next(d for d in self.plan if d.date is not None)
        start, end = d.start, d.end
        assert start is not None and end is not None and d.duration_minutes is not None
        self.assertEqual(start.utcoffset(), datetime.timedelta(hours=8))
        self.assertEqual((end - start).total_seconds(), d.duration_minutes * 60)
        entry = self.plan.audit[0]
        self.assertEqual(entry.time.utcoffset(), datetime.timedelta(0))


class Records(Shared):
    def test_outcome_and_unit_columns(self) -> None:
        names = [n for n, _, _ in drill.RECORD_FIELDS]
        for name in ("participants", "evacuation_seconds", "score", "unit_class", "risk", "headcount",
                     "flood_prone"):
            self.assertIn(name, names)
        records = self.plan.records()
        self.assertEqual(len(records), len(self.plan))
        self.assertEqual(list(records[0]), names)
        by_id = {r["id"]: r for r in records}
        for d in self.plan.select(status=["held", "evaluated"]):
            r = by_id[d.id]
            info = d.tracking
            assert info.outcome is not None
            self.assertEqual((r["participants"], r["evacuation_seconds"], r["evacuation_target"], r["observers"]),
                             (40, 180, 240, "王五"))
            self.assertEqual(r["held_date"], info.outcome["date"])
            unit = self.plan.units[d.unit_id]
            self.assertEqual((r["unit_class"], r["headcount"], r["flood_prone"]),
                             (unit.unit_class, unit.headcount, unit.flood_prone))
            self.assertEqual(r["risk"], unit.risk if unit.risk else None)
        with_action = [r for r in records if r["actions"]]
        self.assertEqual([(r["actions"], r["open_actions"]) for r in with_action], [(1, 1)])

    def test_arrays(self) -> None:
        """The C arrays to_pandas() reads, decoded without pandas: int64 per
        cell, days since 1970-01-01 for dates, INT64_MIN where missing."""
        import array
        cols = drill.capi.plan_arrays(self.plan._h, self.plan.units._h, None, 3)
        records = self.plan.records(columns=True)
        epoch = datetime.date(1970, 1, 1)
        missing = -(2 ** 63)
        for name, _group, kind, _enum in drill.capi.record_columns():
            values = cols[name]
            if kind == "str":
                self.assertEqual(values, records[name], name)
                continue
            numbers = array.array("q", values)
            self.assertEqual(len(numbers), len(self.plan), name)
            want: List[Any] = records[name]
            got: List[Any] = []
            for n, w in zip(numbers, want):
                if n == missing:
                    got.append(None)
                elif kind == "date":
                    got.append(epoch + datetime.timedelta(days=n))
                elif kind == "enum":
                    got.append(type(w).from_code(n) if not isinstance(w, int) else type(w)(n))
                elif kind == "bool":
                    got.append(bool(n))
                else:
                    got.append(n)
            self.assertEqual(got, want, name)
        some = self.plan.select(status=["held", "evaluated"])
        part = drill.capi.plan_arrays(self.plan._h, self.plan.units._h, some._idx, 1)
        self.assertEqual(part["id"], [d.id for d in some])
        self.assertNotIn("unit_class", part)

    def test_fields(self) -> None:
        rows = self.plan.records(fields=["id", "score"])
        self.assertEqual(list(rows[0]), ["id", "score"])
        cols = self.plan.records(columns=True, fields=["unit"])
        self.assertEqual(list(cols), [n for n, g, _ in drill.RECORD_FIELDS if g == "unit"])
        self.assertEqual(len(cols["risk"]), len(self.plan))
        with self.assertRaises(drill.InvalidArgumentError):
            self.plan.records(fields=["nope"])

    def test_units_records(self) -> None:
        rows = self.plan.units.records()
        self.assertEqual(len(rows), UNITS)
        first = self.plan.units[0]
        self.assertEqual((rows[0]["id"], rows[0]["unit_class"], rows[0]["headcount"]),
                         (first.id, first.unit_class, first.headcount))
        self.assertEqual(rows[0]["district"], self.plan.units.district_of(first.id))
        self.assertEqual(self.plan.units.records(columns=True)["id"], [r["id"] for r in rows])

    def test_status_lists_and_ranges(self) -> None:
        records = self.plan.records()
        done = self.plan.select(status=["held", drill.Status.EVALUATED])
        self.assertEqual([d.id for d in done], [r["id"] for r in records if r["status"] in ("held", "evaluated")])
        self.assertEqual(len(done), 10)
        with self.assertRaises(drill.InvalidArgumentError) as cm:
            self.plan.records(start="2026-06-01", end="2026-05-01")
        self.assertIn("reversed", str(cm.exception))
        june = self.plan.records(start=D(2026, 6, 1), end=D(2026, 6, 7))
        self.assertTrue(june)
        self.assertTrue(all(r["date"] is not None and D(2026, 6, 1) <= r["date"] <= D(2026, 6, 7) for r in june))
        with_undated = self.plan.records(start=D(2026, 6, 1), end=D(2026, 6, 7), include_undated=True)
        self.assertGreaterEqual(len(with_undated), len(june))
        self.assertEqual({r["id"] for r in with_undated if r["date"] is not None}, {r["id"] for r in june})
        with self.assertRaises(TypeError) as te:
            self.plan.select(stauts="held")
        self.assertIn("'stauts'", str(te.exception))
        self.assertNotIn("_filter", str(te.exception))


class Audit(Shared):
    def test_filters(self) -> None:
        trail = self.plan.audit
        self.assertEqual(len(trail), len(trail.records()))
        self.assertEqual(trail[0].seq, 1)
        evaluated = next(d for d in self.plan if d.status == "evaluated")
        own = evaluated.audit
        self.assertEqual({e.drill_id for e in own}, {evaluated.id})
        self.assertEqual([(e.actor, e.old_value) for e in own], [("clerk", "scheduled"), ("inspector", "held")])
        self.assertEqual(own[1].seq, 11)  # after the ten holds
        inspector = trail(actor="inspector")
        self.assertEqual({e.actor for e in inspector}, {"inspector"})
        self.assertEqual(len(inspector) + len(trail(actor="clerk")), len(trail))
        first = trail[0].time
        self.assertEqual(len(trail(since=first)), len(trail))
        self.assertEqual(len(trail(until=first)), 0)
        self.assertEqual(len(trail(since=first + datetime.timedelta(days=1))), 0)
        self.assertEqual(len(trail(drill=evaluated.id, actor="inspector")),
                         sum(e.actor == "inspector" for e in own))
        with self.assertRaises(drill.InvalidArgumentError):
            trail(since=first, until=first - datetime.timedelta(seconds=1))
        cancelled = trail(drill=next(d.id for d in self.plan if d.status == "cancelled"))
        self.assertEqual([e.reason for e in cancelled], ["unit closed"])


class Cancel(unittest.TestCase):
    def test_argument_order(self) -> None:
        plan = tracked_plan()
        a, b, c = [d.id for d in plan.select(status="scheduled")][:3]
        plan.cancel(a, "clerk", "moved away")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            plan.cancel(b, "closed for works", actor="clerk")  # the old order
        self.assertTrue(any(issubclass(w.category, DeprecationWarning) for w in caught))
        plan[c].cancel("clerk", reason="merged")
        for drill_id, reason in ((a, "moved away"), (b, "closed for works"), (c, "merged")):
            entry = plan.audit(drill=drill_id)[-1]
            self.assertEqual((entry.actor, entry.reason), ("clerk", reason))
            self.assertEqual(plan[drill_id].status, "cancelled")
        with self.assertRaises(TypeError):
            plan.cancel(a)


class StoreReads(Shared):
    """A stored year read without loading it: one drill, one unit's drills
    filtered, the coverage report; each the same as the loaded plan says."""

    def test_point_reads(self) -> None:
        work = tempfile.mkdtemp(prefix="drill-store-")
        try:
            path = os.path.join(work, "year.db")
            with drill.Store(path) as store:
                store.save(self.plan)
            with drill.Store(path, read_only=True) as store:
                whole = store.load(2026)
                evaluated = next(d for d in whole if d.status == "evaluated")
                one = store.drill(evaluated.id)
                self.assertEqual(one.as_dict(), evaluated.as_dict())
                self.assertEqual(one.tracking.as_dict(), evaluated.tracking.as_dict())
                self.assertEqual([e.as_dict() for e in one.audit], [e.as_dict() for e in evaluated.audit])
                self.assertLess(len(one.plan), len(whole))  # its unit's part only
                unit = evaluated.unit_id
                done = store.drills(2026, unit, status=["held", "evaluated"])
                self.assertEqual([d.id for d in done],
                                 [d.id for d in whole.select(unit_id=unit, status=["held", "evaluated"])])
                self.assertIn(evaluated.id, [d.id for d in done])
                self.assertEqual(done.records(fields=["id", "score"]),
                                 whole.records(unit_id=unit, status=["held", "evaluated"], fields=["id", "score"]))
                today = D(2026, 7, 1)
                self.assertEqual(store.coverage(2026, by="district", today=today).records(),
                                 whole.coverage(by="district", today=today).records())
                with self.assertRaises(drill.NotFoundError):
                    store.drill("NO-SUCH-UNIT/art33-annual/2026")
                with self.assertRaises(drill.InvalidArgumentError):
                    store.drill("not-a-drill-id")
        finally:
            shutil.rmtree(work, ignore_errors=True)


class Reports(Shared):
    def test_typed_cells(self) -> None:
        cov = self.plan.coverage(by="district", today=D(2026, 7, 1))
        rows = cov.records()
        total = rows[-1]
        self.assertEqual(total["group"], "total")
        self.assertIsInstance(total["required"], int)
        self.assertIsInstance(total["coverage_percent"], float)
        self.assertEqual(sum(r["required"] for r in rows[:-1]), total["required"])
        self.assertEqual(sorted(r["required"] for r in rows), sorted(int(cov.text(i, "required"))
                                                                     for i in range(len(cov))))
        over = self.plan.noncompliant(today=D(2026, 7, 1))
        self.assertTrue(all(isinstance(r["window_end"], D) for r in over))
        self.assertTrue(all(isinstance(r["status"], drill.Status) for r in over))
        acts = self.plan.actions_report(today=D(2026, 7, 1)).records()
        self.assertEqual([a["status"] for a in acts], [drill.ActionStatus.OPEN])
        self.assertIsInstance(acts[0]["due"], D)
        with self.assertRaises(drill.NotFoundError):
            cov.cell(0, "nope")


class Html(Shared):
    def test_reprs(self) -> None:
        page = self.plan._repr_html_()
        self.assertIn("<table", page)
        self.assertIn("<td>%d</td>" % len(self.plan), page)
        sel = self.plan.select(status=["held", "evaluated"])
        self.assertIn("<td>held</td>", sel._repr_html_())
        self.assertIn("10 drills", repr(sel))
        table = self.plan.coverage(today=D(2026, 7, 1))._repr_html_()
        self.assertIn("<th>coverage_percent</th>", table)
        one = self.plan[0]
        self.assertIn(one.id, one._repr_html_())
        self.assertIn(one.id, repr(one))
        # text is escaped
        units = drill.Units()
        units.add("X<1>", "<b>&co</b>", "大连市/中山区", "enterprise")
        plan = drill.Plan(units, drill.Rules(), year=2026)
        self.assertIn("&lt;b&gt;&amp;co&lt;/b&gt;", plan.select()._repr_html_())


@unittest.skipIf(pandas is None, "pandas is not installed (Debian: python3-pandas)")
class Frames(Shared):
    def test_plan_frame(self) -> None:
        df = self.plan.to_pandas()
        self.assertEqual(len(df), len(self.plan))
        self.assertEqual(str(df["date"].dtype), "datetime64[ns]")
        self.assertEqual(str(df["start"].dtype), "datetime64[ns, Asia/Shanghai]")
        self.assertEqual(str(df["status"].dtype), "category")
        self.assertEqual(str(df["score"].dtype), "Int64")
        self.assertEqual(str(df["needs_observer"].dtype), "bool")
        records = self.plan.records()
        for status in drill.Status:
            want = sum(r["status"] == status for r in records)
            self.assertEqual(int((df.status == status).sum()), want, status)
            self.assertEqual(int((df.status == status.value).sum()), want, status)
        self.assertEqual(int(df.score.notna().sum()), 1)
        self.assertEqual(int(df.participants.notna().sum()), 10)
        self.assertEqual(int(df.date.isna().sum()), sum(r["date"] is None for r in records))
        row = df.iloc[0]
        self.assertEqual(row["date"].date(), records[0]["date"])
        self.assertEqual(row["start"].hour * 60 + row["start"].minute, records[0]["start_minute"])
        self.assertIsNotNone(df.date.min())  # undated drills are NaT, not None

    def test_other_frames(self) -> None:
        sel = self.plan.select(status=["held", "evaluated"]).to_pandas(fields=["id", "held_date", "score"])
        self.assertEqual(list(sel.columns), ["id", "held_date", "score"])
        self.assertEqual(len(sel), 10)
        units = self.plan.units.to_pandas()
        self.assertEqual(len(units), UNITS)
        self.assertEqual(str(units["headcount"].dtype), "Int64")
        audit = self.plan.audit.to_pandas()
        self.assertEqual(str(audit["time"].dtype), "datetime64[ns, UTC]")
        self.assertEqual(len(audit), len(self.plan.audit))
        cov = self.plan.coverage(by="class", today=D(2026, 7, 1)).to_pandas()
        self.assertEqual(str(cov["required"].dtype), "Int64")
        self.assertEqual(str(cov["coverage_percent"].dtype), "Float64")
        over = self.plan.noncompliant(today=D(2026, 7, 1)).to_pandas()
        self.assertEqual(str(over["window_end"].dtype), "datetime64[ns]")
        sorted_required = cov.sort_values("required")["required"].tolist()
        self.assertEqual(sorted_required, sorted(sorted_required))

    def test_dataframe_of_objects(self) -> None:
        """pandas.DataFrame() of a selection, the audit trail or the units has a
        column per field: records are mappings."""
        sel = self.plan.select(status="held")
        frame = pandas.DataFrame(sel)
        self.assertEqual(len(frame), len(sel))
        self.assertEqual(sorted(frame["id"]), sorted(d.id for d in sel))
        self.assertIn("status", frame.columns)
        self.assertIn("actor", pandas.DataFrame(self.plan.audit).columns)
        self.assertEqual(len(pandas.DataFrame(self.plan.units)), UNITS)


@unittest.skipIf(matplotlib is None, "matplotlib is not installed (Debian: python3-matplotlib)")
class Plots(Shared):
    def setUp(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="drill-plot-")
        # without a CJK font (Debian: fonts-noto-cjk) Chinese names draw as boxes, with a warning each
        warnings.filterwarnings("ignore", message="Glyph .* missing from current font")

    def tearDown(self) -> None:
        plt.close("all")
        shutil.rmtree(self.dir, ignore_errors=True)

    def png(self, ax: Any, name: str) -> Any:
        """Save a figure and read it back: the pixels (rows, columns, RGBA)."""
        path = os.path.join(self.dir, name)
        ax.figure.savefig(path, dpi=50)
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        pixels = matplotlib.image.imread(path)
        self.assertGreater(pixels.shape[0], 100)
        self.assertGreater(pixels.shape[1], 100)
        return pixels

    def test_load(self) -> None:
        district = self.plan.units.districts[0]
        ax = self.plan.plot_load(district)
        working = sum(self.plan.calendar.is_working_day(D(2026, 1, 1) + datetime.timedelta(days=i))
                      for i in range(365))
        self.assertEqual(len(ax.containers[0]), working)
        heights: List[float] = [float(b.get_height()) for b in ax.containers[0]]
        on_days = [r for r in self.plan.records(district=district) if r["date"] is not None]
        self.assertEqual(sum(heights), len(on_days))
        capacity = next(q.capacity for q in self.plan.district_quality() if q.district == district)
        self.assertEqual(ax.lines[0].get_ydata()[0], capacity)
        pixels = self.png(ax, "load.png")
        blue = ((pixels[:, :, 2] > 0.5) & (pixels[:, :, 0] < 0.3)).sum()
        self.assertGreater(blue, 50)  # the bars are drawn

    def test_coverage_and_campaigns(self) -> None:
        ax = self.plan.plot_coverage(by="district", today=D(2026, 7, 1))
        self.assertEqual(len(ax.containers[0]), len(self.plan.units.districts))
        self.png(ax, "coverage.png")
        ax = self.plan.plot_campaigns()
        windows = self.plan.campaigns.windows(2026, self.plan.calendar)
        self.assertEqual(len(ax.collections), len(windows))
        self.assertGreater(len(windows), 0)
        self.png(ax, "campaigns.png")


class Docs(unittest.TestCase):
    def test_python_docstrings(self) -> None:
        overview = drill.__doc__ or ""
        for word in ("to_pandas", "Status", "select"):
            self.assertIn(word, overview)
        for func in (drill.Plan.records, drill.Plan.select, drill.Plan.to_pandas, drill.Plan.hold):
            doc = func.__doc__ or ""
            self.assertNotIn("drill_free", doc)
            self.assertNotIn("out-param", doc)
            self.assertNotIn("Defaults: stop at the first bad row", doc)

    def test_typed_package(self) -> None:
        here = os.path.dirname(drill.__file__)
        self.assertTrue(os.path.exists(os.path.join(here, "py.typed")))


if __name__ == "__main__":
    unittest.main()
