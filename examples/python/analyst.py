"""An analyst's year with libdrill, from units to coverage.

    python3 examples/python/analyst.py [OUTPUT-DIR]

Generates a synthetic Dalian (swap in `units.import_csv("your-units.csv")`),
plans 2026 with the preset rules, tries three observer capacities, records
some drills as held (one with a finding and its corrective action), prints
coverage per district and the overdue drills, and writes a feed per district.
If pandas is installed, the plan also goes into a DataFrame.
"""

import collections
import datetime
import os
import sys

import drill

out_dir = sys.argv[1] if len(sys.argv) > 1 else "analyst-output"
os.makedirs(out_dir, exist_ok=True)

# 1. Units: 2,000 of them keep the example quick; generate() alone gives all 20,737.
units = drill.Units()
units.generate(count=2000)
units.export_csv(os.path.join(out_dir, "units.csv"))
print(units)

# 2. Which observer capacity places everything? Plan once per capacity.
rules = drill.Rules()  # the legal presets: Art. 33, decree 708, fire, campaigns
for capacity in (1, 2, 30):
    trial = drill.Plan(units, rules, year=2026)
    quality = trial.schedule(capacity=capacity)
    print("capacity %2d: %5d of %5d drills placed, %d unplaced for capacity"
          % (capacity, quality.placed, quality.required, quality.unplaced[drill.Reason.CAPACITY]))

plan = drill.Plan(units, rules, year=2026)
quality = plan.schedule(capacity=30)
assert quality.violations == 0

# 3. Record the first-quarter drills of every fourth unit as held.
first_quarter = [d for d in plan.select(status="scheduled", end=datetime.date(2026, 3, 31))
                 if int(d.unit_id[2:]) % 4 == 0]
for d in first_quarter:
    d.hold(date=d.date, actor="analyst", participants=60, evacuation_seconds=200, evacuation_target=240)
found = first_quarter[0]
found.evaluate(78, actor="analyst", notes="the east stairwell was blocked")
found.add_action(finding="east stairwell blocked by stock", action="clear it and mark it",
                 owner=found.unit_name, due=datetime.date(2026, 4, 30), actor="analyst")
print("held %d drills; %s has %d open action(s)"
      % (len(first_quarter), found.id, found.tracking.open_actions))

# 4. Coverage per district and the overdue list, as of mid-July (the first half is over).
today = datetime.date(2026, 7, 15)
print("\ncoverage as of %s" % today)
for row in plan.coverage(by="district", today=today):
    print("  %-12s %5s required %5s held %4s overdue %5s%%"
          % (row["group"].split("/")[-1], row["required"], row["held"], row["overdue"], row["coverage_percent"]))
overdue = plan.noncompliant(today=today)
print("%d drills overdue; by rule: %s"
      % (len(overdue), dict(collections.Counter(row["rule"] for row in overdue))))
overdue.write_csv(os.path.join(out_dir, "overdue.csv"))

# 5. Feeds staff subscribe to: one per district and the city feed all.ics.
stats = plan.write_feeds(os.path.join(out_dir, "feeds"), by="district")
print("\n%(feeds)d feeds (%(events)d events in the city feed)" % stats)

# 6. The whole plan for pandas, in one call (typed columns; see walkthrough.py for more).
try:
    frame = plan.to_pandas()
except ImportError:
    print("%d drill records (install python3-pandas for a DataFrame)" % len(plan.records()))
else:
    print(frame.groupby("kind", observed=True)["id"].count())
    print("median evacuation of the held drills: %s s" % frame.evacuation_seconds.median())
print("output in %s/" % out_dir)
