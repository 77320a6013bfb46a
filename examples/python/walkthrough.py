# %% [markdown]
# # libdrill in a notebook: a stored year as DataFrames and charts
#
#     python3 examples/python/walkthrough.py [STORE] [OUTPUT-DIR]
#
# A notebook-style walk-through (cells in the "percent" format that Jupyter,
# VS Code and jupytext open as a notebook; run as a script it does them all):
# load the store `make demo` writes (build/demo/dalian.db), look at the plan,
# build DataFrames of the drills, their outcomes and the audit trail, and
# draw the charts: a district's drills per working day against its observer
# capacity, coverage by district and by class, the year's campaign calendar.
# Everything goes to OUTPUT-DIR (walkthrough-output).
#
# Without a STORE (as `make check-python` runs it) it first writes a small
# one of the same shape as the demo's: generated units, a scheduled year, the
# first five months' drills held with outcomes, a finding, two cancellations.
#
# Needs pandas and matplotlib (Debian: python3-pandas, python3-matplotlib).

# %%
import datetime
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files, not windows: drop this line in a notebook
import matplotlib.pyplot as plt
import pandas as pd

import drill

store_path = sys.argv[1] if len(sys.argv) > 1 else ""
out_dir = sys.argv[2] if len(sys.argv) > 2 else "walkthrough-output"
os.makedirs(out_dir, exist_ok=True)


def small_demo_store(path: str) -> None:
    """A store like make demo's, smaller: 1,500 units, next year planned,
    January to May held (with outcomes), one finding, two cancellations."""
    year = datetime.date.today().year + 1
    units = drill.Units()
    units.generate(count=1500, blackout_year=year)
    calendar = drill.Calendar(uncovered_weekends=True)  # a year without a published arrangement
    plan = drill.Plan(units, drill.Rules(), calendar=calendar, year=year, allow_uncovered=True)
    plan.schedule()
    held = plan.select(status="scheduled", end=datetime.date(year, 5, 31))
    for n, d in enumerate(held):
        assert d.date is not None
        d.hold(date=d.date, actor="demo", participants=30 + n % 90, non_participants=n % 7,
               evacuation_seconds=150 + n % 140, evacuation_target=240, headcount_seconds=60 + n % 200,
               headcount_target=180, observers="区应急管理局" if d.needs_observer else None)
        if n % 3 == 0:
            d.evaluate(60 + n % 41, actor="demo")
    first = next(iter(held))
    first.add_action(finding="east stairwell blocked", action="clear and mark it", owner=first.unit_name,
                     due=datetime.date(year, 6, 30), actor="demo")
    for d in list(plan.select(status="scheduled", start=datetime.date(year, 9, 1)))[:2]:
        d.cancel("demo", "企业停产搬迁")
    with drill.Store(path) as store:
        store.save(plan)


if not store_path:
    store_path = os.path.join(out_dir, "small-demo.db")
    if os.path.exists(store_path):
        os.remove(store_path)
    small_demo_store(store_path)

# %% [markdown]
# ## The stored plan
# `Store.load(year)` gives the plan with its units, rules, campaigns and
# calendar; read-only is enough for analysis. In a notebook, `plan` alone
# shows a summary table.

# %%
with drill.Store(store_path, read_only=True) as store:
    year = store.years[-1]
    plan = store.load(year)
print(plan)
print(plan.quality)

# %% [markdown]
# ## The drills as a DataFrame
# One call: typed columns (dates as datetime64, `start`/`end` in
# Asia/Shanghai, enums as categoricals, counts as nullable integers), the
# outcome columns and the unit's class, risk and headcount included.

# %%
df = plan.to_pandas()
print(df.dtypes.astype(str).value_counts().to_string())
held = df[df.status.isin([drill.Status.HELD, drill.Status.EVALUATED, drill.Status.CLOSED])]
print("%d drills, %d held" % (len(df), len(held)))

by_class = held.groupby("unit_class", observed=True).agg(
    drills=("id", "size"), median_evacuation_s=("evacuation_seconds", "median"),
    on_target=("evacuation_seconds", lambda s: float((s <= 240).mean())), mean_score=("score", "mean"))
print(by_class.sort_values("drills", ascending=False).to_string())
by_class.to_csv(os.path.join(out_dir, "held-by-class.csv"))

dated = df.dropna(subset=["date"])
month = dated.groupby(dated.date.dt.month).size()
print("drills per month:", month.to_dict())

# %% [markdown]
# ## Reports and the audit trail
# Reports are typed tables; the audit trail filters by drill, actor and time.

# %%
today = datetime.date(year, 5, 31)
coverage = plan.coverage(by="district", today=today).to_pandas()
print(coverage.sort_values("coverage_percent").to_string(index=False))
overdue = plan.noncompliant(today=today).to_pandas()
print("%d drills overdue on %s" % (len(overdue), today))

audit = plan.audit.to_pandas()
print("%d changes by %s" % (len(audit), ", ".join(sorted(audit.actor.unique()))))
cancelled = df[df.status == "cancelled"]
for drill_id in cancelled.id:
    for entry in plan[drill_id].audit:
        print(" ", entry.time.isoformat(), entry.drill_id, entry.field, entry.new_value, entry.reason)

# %% [markdown]
# ## Charts
# Each returns its matplotlib Axes; `ax.figure.savefig()` writes it.

# %%
busiest = max(plan.district_quality(), key=lambda q: q.busiest)
charts = {
    "load.png": plan.plot_load(busiest.district),
    "coverage-by-district.png": plan.plot_coverage(by="district", today=today),
    "coverage-by-class.png": plan.plot_coverage(by="class", today=today),
    "campaigns.png": plan.plot_campaigns(),
}
for name, ax in charts.items():
    ax.figure.savefig(os.path.join(out_dir, name), dpi=80, bbox_inches="tight")
    plt.close(ax.figure)
print("charts:", ", ".join(sorted(charts)), "in", out_dir)

# %%
assert isinstance(df, pd.DataFrame) and len(df) == len(plan)
assert int((df.status == drill.Status.HELD).sum()) == int((df.status == "held").sum())
