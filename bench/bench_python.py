"""The Python binding against C on the same bulk work, in the same run.

    python3 bench/bench_python.py BUILD-DIR [UNITS] [BIG-UNITS]

- plan + schedule the generated Dalian (20,737 units) and write its feed,
  through drill and through bench_python_c (C), best of three each: the
  target is Python at most 1.5x the C time;
- that feed read back event by event, drill.FeedReader against the C
  reader: the target is at least 0.8x the C rate (events a CPU second:
  other work on a shared machine does not skew it);
- that plan (about 114,000 drills) into a typed pandas DataFrame with
  to_pandas(), when pandas is installed: the target is under 0.5 s;
- 1,000,000 drills (about 185,000 units) into records: rows (a list of
  dicts) and columns (a dict of lists); the target is under 2 seconds. The
  floor for rows is CPython's own cost of making a million 20-key dicts,
  measured here too.
Figures, never assertions.
"""

import gc
import os
import subprocess
import sys
import time

import drill

build = sys.argv[1] if len(sys.argv) > 1 else "build"
units_n = int(sys.argv[2]) if len(sys.argv) > 2 else 20737
big_n = int(sys.argv[3]) if len(sys.argv) > 3 else 185000
feed = os.path.join(build, "bench", "python-bench.ics")


def best_of(n, func, clock=time.perf_counter):
    best = None
    for _ in range(n):
        t = clock()
        func()
        t = clock() - t
        best = t if best is None or t < best else best
    return best


c_out = subprocess.run([os.path.join(build, "bench", "bench_python_c"), str(units_n), feed],
                       check=True, capture_output=True, text=True).stdout
c_times = dict((name, float(value)) for name, value in (line.split() for line in c_out.splitlines()))
c_events = int(c_times["events"])

units = drill.Units()
units.generate(count=units_n)
rules, campaigns, calendar = drill.Rules(), drill.Campaigns(), drill.Calendar()
plans = []


def schedule():
    plan = drill.Plan(units, rules, campaigns, calendar, year=2026)
    plan.schedule()
    plans.append(plan)


def export():
    if os.path.exists(feed):
        os.remove(feed)
    plans[-1].write_feed(feed)


py_schedule = best_of(3, schedule)
py_export = best_of(3, export)
drills = len(plans[-1])
print("Python binding vs C, %d units, %d drills (best of 3):" % (units_n, drills))
for name, py, c in (("plan + schedule", py_schedule, c_times["schedule"]),
                    ("feed export", py_export, c_times["export"])):
    print("  %-16s Python %7.1f ms   C %7.1f ms   x%.2f of C (target <= x1.5)" % (name, py * 1e3, c * 1e3, py / c))


def read():
    with drill.FeedReader(feed) as reader:
        n = sum(1 for _ in reader)
    assert n == c_events, (n, c_events)


py_read = best_of(3, read, time.process_time)  # CPU time, as the C side measures it
c_rate, py_rate = c_events / c_times["read"], c_events / py_read
print("  %-16s Python %7.0f events/s   C %7.0f events/s   x%.2f of C (CPU time; target >= x0.8)"
      % ("feed reading", py_rate, c_rate, py_rate / c_rate))
os.remove(feed)
try:
    import pandas  # noqa: F401 (to_pandas needs it)
except ImportError:
    print("  to_pandas: skipped, pandas is not installed (Debian: python3-pandas)")
else:
    gc.collect()
    frame_time = best_of(3, lambda: plans[-1].to_pandas())
    print("  %-16s %d drills, %d typed columns in %.2f s (target under 0.5 s) %s"
          % ("to_pandas", drills, len(plans[-1].to_pandas().columns), frame_time,
             "met" if frame_time < 0.5 else "MISSED"))
del plans[:]

big = drill.Units()
big.generate(count=big_n)
plan = drill.Plan(big, rules, campaigns, calendar, year=2026)
plan.schedule()
n = len(plan)
gc.collect()
# the drill's own 20 columns (fields="drill"), as before the outcome and unit
# columns were added: comparable with the CPython floor below
rows = best_of(3, lambda: plan.records(fields="drill"))
columns = best_of(3, lambda: plan.records(columns=True, fields="drill"))
template = dict.fromkeys(plan.records(fields="drill")[0])
floor = best_of(3, lambda: [template.copy() for _ in range(n)])
print("%d drills into records (best of 3; target under 2 s):" % n)
print("  columns (dict of lists)  %.2f s  %s" % (columns, "met" if columns < 2 else "MISSED"))
print("  rows (list of dicts)     %.2f s  %s; CPython alone copies %d empty 20-key dicts in %.2f s"
      % (rows, "met" if rows < 2 else "MISSED", n, floor))
