#!/bin/sh
# make demo: libdrill's main job from the shell, with drillctl on a store.
#
# A synthetic Dalian of 20,737 units; a store with China's holidays, the
# units and the preset rules; next year planned and scheduled; a feed per
# district and one for the city; the drills of the first five months
# recorded as held, with outcomes, findings and corrective actions; then
# coverage per district and the overdue list as of May 31.
#
# BUILD (build) is where drillctl is, YEAR (next year) the year planned,
# PLANNED (December 1 before YEAR) the day the demo pretends to plan it,
# TODAY (YEAR-05-31) the day the demo pretends it is after the first five
# months. Everything goes to $BUILD/demo.
set -eu

BUILD=${BUILD:-build}
YEAR=${YEAR:-$(($(date +%Y) + 1))}
TODAY=${TODAY:-$YEAR-05-31}
PLANNED=${PLANNED:-$((YEAR - 1))-12-01}
OUT=$BUILD/demo
D=$BUILD/drillctl
export DRILL_STORE="$OUT/dalian.db"
export DRILL_ACTOR="大连市应急管理局(演示)"
started=$(date +%s)

step() { printf '\n== %s\n\n' "$*"; }
run() {
    printf '$ drillctl %s\n' "$*"
    "$D" "$@"
}

rm -rf "$OUT"
mkdir -p "$OUT"

step "A synthetic Dalian: 20,737 units in 10 districts, some with blackout days in $YEAR"
run units generate "$OUT/dalian-units.csv" --blackout-year "$YEAR"

step "A store (DRILL_STORE=$DRILL_STORE): China's holidays, the units, the eighteen preset rules"
run init "$DRILL_STORE"
run holidays import data/holidays-cn.csv
run units import "$OUT/dalian-units.csv"
run info

step "The campaigns of $YEAR"
run campaigns "$YEAR"

if "$D" holidays list "$YEAR" | grep -q '^no holiday arrangement'; then
    step "Planning $YEAR: its holiday arrangement is not published yet, so the plan is PROVISIONAL, from
   the law's statutory holidays and the weekends, and the report says so; once it is out:
   drillctl holidays import FILE, then drillctl reschedule (which keeps every drill whose day
   is still a working day)"
else
    step "Planning $YEAR"
fi
run plan "$YEAR" --today "$PLANNED" --csv "$OUT/plan-$YEAR.csv"

step "Feeds: one per district and all.ics for the city"
run feeds export "$OUT/feeds" --by district

step "The first five months: drills held by $TODAY, with outcomes, findings and corrective actions"
"$D" drills --status scheduled --to "$TODAY" --csv >"$OUT/scheduled-by-$TODAY.csv"
awk -F, -v today="$TODAY" -v out="$OUT" -f tools/demo-sample.awk "$OUT/scheduled-by-$TODAY.csv"
run record --from "$OUT/held.csv"
run action add --from "$OUT/actions.csv"
run action close --from "$OUT/actions-closed.csv" --today "$TODAY"
"$D" drills --status scheduled --from "$YEAR-09-01" --to "$YEAR-09-30" --csv | sed -n '2,3p' | cut -d, -f1 >"$OUT/cancel.txt"
while read -r id; do
    run cancel "$id" --reason "企业停产搬迁"
done <"$OUT/cancel.txt"
shown=$(sed -n '2p' "$OUT/actions-closed.csv" | cut -d, -f1)
run show "$shown"

step "$TODAY: a typhoon warning closes $YEAR-06-10 everywhere; reschedule as of $TODAY: only the drills
   of that day move, never onto a day gone by, and the drills not recorded by $TODAY stay (overdue)"
run reschedule "$YEAR" --today "$TODAY" --close "$YEAR-06-10"

step "The feeds again, with the drills held and cancelled (a feed that did not change is left alone)"
run feeds export "$OUT/feeds" --by district

step "Where $YEAR stands on $TODAY"
run report coverage --today "$TODAY"
echo
run report overdue --today "$TODAY" --limit 10
"$D" report overdue --today "$TODAY" --output "$OUT/overdue-$TODAY.csv" >/dev/null
"$D" report actions --open --today "$TODAY" --output "$OUT/open-actions-$TODAY.csv" >/dev/null

step "Done in $(($(date +%s) - started)) s. The output is in $OUT/"
while read -r name what; do
    printf '  %-30s %s\n' "$name" "$what"
done <<EOF
dalian.db the store: units, rules, holidays, the $YEAR plan and its tracking
dalian-units.csv the synthetic units
plan-$YEAR.csv every drill of the plan as scheduled
feeds/ all.ics and one iCalendar feed per district, to subscribe to
held.csv the drills held (drillctl record --from)
actions.csv the corrective actions (drillctl action add --from)
actions-closed.csv those done (drillctl action close --from)
overdue-$TODAY.csv every overdue drill
open-actions-$TODAY.csv the corrective actions still open
EOF
cat <<EOF
Try: DRILL_STORE=$DRILL_STORE $D report reminders --today $TODAY
     DRILL_STORE=$DRILL_STORE $D drills --district 大连市/中山区 --from $TODAY --to $YEAR-06-07
EOF
