#!/bin/sh
# drillctl from the shell: every command against a store in a temporary
# directory, on 200 synthetic units. Outputs are checked by value; usage
# errors must exit 2, bad input 3 (with file:line:column for a bad file);
# a command that fails must leave the store as it was; progress is shown on
# a terminal only. Run by `make test` with DRILLCTL (build/drillctl) and
# RUNNER (valgrind under check-valgrind), from the repository root.
set -u

DRILLCTL=${DRILLCTL:-build/drillctl}
RUNNER=${RUNNER:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/drillctl-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
export DRILL_STORE="$tmp/s.db" DRILL_ACTOR=tester
checks=0
failed=0

. "$(dirname "$0")/cli_lib.sh"

# everything in the store, as SQL text (read with Python's sqlite3, not with drillctl)
snapshot() {
    python3 -c 'import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
sys.stdout.write("\n".join(db.iterdump()))' "$DRILL_STORE" >"$1" || fail "cannot read $DRILL_STORE with python3"
    checks=$((checks + 1))
    grep -q '^INSERT INTO "plans"' "$1" || fail "the snapshot of the store has no registries"
}
unchanged() { # the store is as the snapshot in $tmp/before says
    snapshot "$tmp/after"
    checks=$((checks + 1))
    cmp -s "$tmp/before" "$tmp/after" || { fail "the store changed after: $*"; diff "$tmp/before" "$tmp/after" | head -10; }
}

# a cell of a CSV on stdout: csv_cell ROW-MATCH COLUMN (awk, no quoted commas before COLUMN)
csv_cell() {
    tr -d '\r' <"$tmp/out" | awk -F, -v m="$1" -v c="$2" '$1 == m { print $c; exit }'
}

# ---- a PostgreSQL store: run alone, beside the server of tests/pg_env.sh ----
if [ "${DRILL_CLI_PART:-}" = postgresql ]; then
    : "${DRILL_TEST_PG:?run under tests/pg_env.sh}"
    pgdb() { # a new empty database on the test server; its conninfo on stdout
        psql -qAtX -v ON_ERROR_STOP=1 -d "$DRILL_TEST_PG dbname=postgres" -c "CREATE DATABASE $1" >/dev/null 2>&1 ||
            fail "cannot create the database $1"
        printf '%s dbname=%s' "$DRILL_TEST_PG" "$1"
    }
    a=$(pgdb cli_a_$$)
    b=$(pgdb cli_b_$$)
    expect 0 units generate "$tmp/u.csv" --count 200 --blackout-year 2026
    expect 0 init "$DRILL_STORE"
    expect 0 units import "$tmp/u.csv"
    expect 0 plan 2026 --today 2025-12-01
    expect 0 drills --status scheduled --from 2026-03-02 --to 2026-03-06 --csv
    id1=$(tr -d '\r' <"$tmp/out" | sed -n 2p | cut -d, -f1)
    day1=$(tr -d '\r' <"$tmp/out" | sed -n 2p | cut -d, -f2)
    id2=$(tr -d '\r' <"$tmp/out" | sed -n 3p | cut -d, -f1)
    expect 0 record "$id1" --held "$day1" --start 09:10 --end 11:20 --participants 80 --score 85
    expect 0 action add "$id1" --finding "出口堵塞" --action "清理通道" --owner 物业 --due 2026-06-01
    expect 0 info
    grep -v '^store ' "$tmp/out" >"$tmp/info-file"
    # init on a server store, then every command on it
    expect 0 init "$a"
    out "initialised $a"
    expect 3 init "$a"
    err "initialised already"
    expect 0 --store "$a" units import "$tmp/u.csv"
    expect 0 --store "$a" plan 2026 --today 2025-12-01
    expect 0 --store "$a" cancel "$id2" --reason "停业整顿"
    expect 0 --store "$a" show "$id2"
    out "cancelled"
    # six inits racing on one new database: the schema is made once (an advisory lock), none fails inside
    c=$(pgdb cli_c_$$)
    for k in 1 2 3 4 5 6; do
        ( $RUNNER "$DRILLCTL" init "$c" >"$tmp/init$k.out" 2>&1; echo $? >"$tmp/init$k.rc" ) &
    done
    wait
    for k in 1 2 3 4 5 6; do
        checks=$((checks + 1))
        case $(cat "$tmp/init$k.rc") in
        0 | 3) ;;
        *) fail "a racing init exited $(cat "$tmp/init$k.rc"): $(cat "$tmp/init$k.out")" ;;
        esac
    done
    expect 0 --store "$c" info
    out "(schema 11, libdrill"
    out "$(grep '^rules ' "$tmp/info-file")" # the presets, as init gave the file store
    # the file store copied into an empty database, checked, and changed there
    expect 3 copy "$DRILL_STORE" "$a"
    err "is not empty"
    expect 0 copy "$DRILL_STORE" "$b"
    out "verified"
    out "plan 2026"
    expect 0 --store "$b" info
    grep -v '^store ' "$tmp/out" >"$tmp/info-pg"
    checks=$((checks + 1))
    cmp -s "$tmp/info-file" "$tmp/info-pg" || { fail "info differs after the copy"; diff "$tmp/info-file" "$tmp/info-pg"; }
    expect 0 --store "$b" show "$id1"
    out "清理通道"
    # the check: sound, then a row something else wrote (a drill of a year with no plan)
    expect 0 --store "$b" check
    outline "store $b: sound"
    psql -qAtX -v ON_ERROR_STOP=1 -d "$b" -c "INSERT INTO drills(id, year, status, reason) VALUES('X/Y/Z', 1999, 0, 0)" \
        >/dev/null 2>&1 || fail "cannot write a stray drill"
    expect 3 --store "$b" check
    err "is not sound: drills: 1 row of a year with no plan"
    psql -qAtX -v ON_ERROR_STOP=1 -d "$b" -c "DELETE FROM drills WHERE year = 1999" >/dev/null 2>&1
    expect 0 --store "$b" check
    expect 0 --store "$b" cancel "$id2" --reason "停业整顿"
    # and back into a new file: the change made on the server came along
    expect 0 copy "$b" "$tmp/back.db"
    out "verified"
    expect 0 --store "$tmp/back.db" show "$id2"
    out "cancelled"
    expect 0 --store "$tmp/back.db" report coverage --today 2026-07-15
    # DRILL_STORE as a URI, and the password never printed
    pguser=$(printf '%s' "$DRILL_TEST_PG" | sed 's/.*user=\([^ ]*\).*/\1/')
    uri="postgresql://$pguser:s3cret@/cli_b_$$?host=$(printf '%s' "$DRILL_TEST_PG" | sed 's/^host=\([^ ]*\).*/\1/')&port=$(printf '%s' "$DRILL_TEST_PG" | sed 's/.*port=\([0-9]*\).*/\1/')"
    checks=$((checks + 1))
    DRILL_STORE="$uri" $RUNNER "$DRILLCTL" info >"$tmp/out" 2>"$tmp/err" || fail "info on $uri failed: $(cat "$tmp/err")"
    out "postgresql://$pguser:***@/cli_b_$$"
    checks=$((checks + 1))
    ! grep -q s3cret "$tmp/out" "$tmp/err" || fail "the password was printed"
    mkdir "$tmp/nosock"
    expect 4 --store "postgresql://drill:s3cret@/nodb?host=$tmp/nosock" info
    err "cannot connect to postgresql://drill:***@/nodb"
    checks=$((checks + 1))
    ! grep -q s3cret "$tmp/err" || fail "the password was printed"
    expect 4 copy "$DRILL_STORE" "host=$tmp/nosock dbname=x password=s3cret"
    err "password=***"
    checks=$((checks + 1))
    ! grep -q s3cret "$tmp/err" || fail "the password was printed"
    echo "test_cli.sh (PostgreSQL): $checks checks, $failed failed"
    [ "$failed" -eq 0 ]
    exit
fi

# ---- no store yet ----
expect 0 --help
out "usage: drillctl"
expect 0 --version
out "drillctl (libdrill) "
for c in init info check copy holidays campaigns units rules plan reschedule drills show feeds record action cancel report; do
    expect 0 "$c" --help
    out "usage: drillctl $c"
done
expect 2
expect 2 frobnicate
err "unknown command 'frobnicate'"
expect 2 plan 2026 --frobnicate
err "unknown option '--frobnicate'"
expect 2 plan 20x6
err "YEAR must be 1900-2200"
unset DRILL_STORE
expect 2 info
err "no store: give --store FILE or set DRILL_STORE"
export DRILL_STORE="$tmp/s.db"
expect 3 --store "$tmp/none.db" info
err "no store at $tmp/none.db"
# libpq is loaded for a server store only (ld.so's own account, drillctl
# run directly: LD_DEBUG=libs names every library it loads), and a missing
# one is an error of the server store alone (DRILL_LIBPQ names the file)
mkdir "$tmp/nosock"
LD_DEBUG=libs "$DRILLCTL" --store "$tmp/none.db" info >/dev/null 2>"$tmp/ld-file"
LD_DEBUG=libs "$DRILLCTL" --store "host=$tmp/nosock dbname=x" info >/dev/null 2>"$tmp/ld-server"
checks=$((checks + 2))
! grep -q "libpq\.so" "$tmp/ld-file" || fail "drillctl loaded libpq for a store file"
grep -q "init: .*libpq\.so" "$tmp/ld-server" || fail "drillctl did not load libpq for a server store"
export DRILL_LIBPQ="$tmp/nosock/libpq.so.5"
expect 4 --store "host=$tmp/nosock dbname=x" info
err "PostgreSQL's client library cannot be loaded (DRILL_LIBPQ: $tmp/nosock/libpq.so.5"
err "install libpq5, or set DRILL_LIBPQ"
expect 4 --store "host=$tmp/nosock dbname=x" init # drillctl's own lock
err "cannot lock host=$tmp/nosock dbname=x: PostgreSQL's client library cannot be loaded"
unset DRILL_LIBPQ
checks=$((checks + 1))
[ ! -e "$tmp/none.db" ] || fail "a failed command made a store"
printf 'this is not a store\n%.0s' $(seq 1 300) >"$tmp/text.db"
expect 3 --store "$tmp/text.db" info
err "not a sound libdrill store"

expect 0 units generate "$tmp/u.csv" --count 200 --blackout-year 2026
out "wrote 200 units in 10 districts to $tmp/u.csv"
expect 2 units generate "$tmp/x.csv" --count many
err "--count: 'many' is not a whole number"

# ---- a store: init, holidays, units, rules ----
expect 0 init "$DRILL_STORE"
out "initialised $DRILL_STORE: 18 preset rules, 8 campaigns, holidays for 2022-2026"
quiet
expect 3 init "$DRILL_STORE"
err "initialised already"
expect 0 info
out "units      0 in 0 districts"
out "rules      18"
out "holidays   2022-2026"
out "plans      none"
expect 0 holidays import data/holidays-cn.csv
out "180 days (147 holidays, 33 make-up working days)"
out "years covered: 2022-2026"
expect 0 holidays import tests/data/holidays-quirks.ics
out "6 days (5 holidays, 1 make-up working days), 1 events skipped"
out "years covered: 2022-2026, 2031"
expect 0 holidays list 2026
out "2026-10-01  holiday  国庆节"
out "2026-02-14  workday  春节"
expect 0 holidays list 2027
out "no holiday arrangement for 2027"
snapshot "$tmp/before"
printf 'date,kind,name\n2027-01-01,holiday,元旦\n2027-10-32,holiday,国庆节\n' >"$tmp/bad-holidays.csv"
expect 3 holidays import "$tmp/bad-holidays.csv"
err "$tmp/bad-holidays.csv:3:9:"
unchanged "holidays import of a bad CSV"
expect 3 holidays import "$tmp/missing.csv"
err "$tmp/missing.csv: No such file"

expect 0 units import "$tmp/u.csv"
out "imported 200 units from $tmp/u.csv; the store has 200 units in 10 districts"
quiet
expect 0 units export "$tmp/exported.csv"
checks=$((checks + 1))
cmp -s "$tmp/u.csv" "$tmp/exported.csv" || fail "units export differs from the CSV imported"
expect 0 units export
checks=$((checks + 1))
cmp -s "$tmp/u.csv" "$tmp/out" || fail "units export to standard output differs from the CSV imported"
snapshot "$tmp/before"
printf 'id,name,area,class\nN1,新单位,大连市/中山区,school\nN2,"坏, 单位",大连市/中山区,no-such-class\nN3,x,大连市,school\n' >"$tmp/bad-units.csv"
expect 3 units import "$tmp/bad-units.csv"
err "$tmp/bad-units.csv:3:"
err "no-such-class"
unchanged "units import of a bad CSV"
expect 3 units import "$tmp/bad-units.csv" --all-errors
err "$tmp/bad-units.csv:3:"
err "$tmp/bad-units.csv:4:"
err "2 bad rows; nothing imported"
unchanged "units import --all-errors of a bad CSV"
expect 3 units import "$tmp/u.csv"
err "$tmp/u.csv:2:1:"
unchanged "units import of units already there"
expect 2 units import
expect 2 units frob

expect 0 rules list
out "18 rules"
out "art33-annual"
out "city-fire-month"
expect 0 rules remove city-iddrr
out "removed rule city-iddrr; 17 rules left"
expect 0 rules add city-iddrr
out "added rule city-iddrr (preset)"
expect 0 rules add typhoon-hotels --name 酒店防台风 --classes hotel --kind special --scenario typhoon \
    --frequency yearly --campaign main-flood-season --flags crowded --min-risk general
out "added rule typhoon-hotels: yearly live special drill, main-flood-season, for hotel,crowded risk>=general"
expect 0 rules list
out "19 rules"
out "typhoon-hotels"
snapshot "$tmp/before"
expect 3 rules add typhoon-hotels --name again
err "typhoon-hotels"
expect 3 rules add no-campaign --name x --campaign no-such-campaign
err "no campaign 'no-such-campaign'"
expect 2 rules add not-a-preset
err "not a preset"
expect 2 rules add x --name x --frequency weekly
err "--frequency: 'weekly'"
expect 3 rules remove no-such-rule
unchanged "failed rules commands"
expect 0 rules remove typhoon-hotels

expect 0 campaigns 2026
out "安全生产月"
out "窗口 2026-06-01 .. 2026-06-30"
expect 0 campaigns 2026 --en
out "Work Safety Month"
out "holidays: Dragon Boat Festival 06-19..06-21"

# ---- a plan ----
expect 3 plan 2101 # past the years the law's holidays are computed for (2027 is planned provisionally)
err "no holiday arrangement"
err "--allow-uncovered"
expect 2 plan 2026 --capacity 0
err "--capacity: '0'"
expect 0 plan 2026 --today 2025-12-01 --csv "$tmp/plan.csv"
quiet
out "plan 2026: 200 units, 1045 drills required"
out "placed 1045 (100.0%), unplaced 0"
out "constraint violations (independent check): 0"
out "saved the plan of 2026 to $DRILL_STORE"
required=$(grep -c '' "$tmp/plan.csv")
equal "drills in plan.csv (with its header)" "$required" 1046
expect 0 plan 2026 --today 2025-12-01 --units "$tmp/u.csv"
out "plan 2026: 200 units, 1045 drills required" # the same without a store
expect 3 plan 2026
err "has a plan for 2026 already"
expect 0 info
out "plan 2026  1045 drills: 1045 placed, 0 held, 0 cancelled, 0 unplaced"

expect 0 drills --status scheduled --from 2026-03-02 --to 2026-03-06 --csv
tr -d '\r' <"$tmp/out" | sed 1d | cut -d, -f1,2 >"$tmp/week.txt"
n=$(grep -c '' "$tmp/week.txt")
checks=$((checks + 1))
[ "$n" -ge 8 ] || fail "only $n drills scheduled in the first week of March"
checks=$((checks + 1))
awk -F, '$2 < "2026-03-02" || $2 > "2026-03-06" { bad = 1 } END { exit bad }' "$tmp/week.txt" ||
    fail "drills --from --to listed a drill outside the range"
id1=$(sed -n 1p "$tmp/week.txt" | cut -d, -f1)
day1=$(sed -n 1p "$tmp/week.txt" | cut -d, -f2)
id2=$(sed -n 2p "$tmp/week.txt" | cut -d, -f1)
id3=$(sed -n 3p "$tmp/week.txt" | cut -d, -f1)
id4=$(sed -n 4p "$tmp/week.txt" | cut -d, -f1)
id5=$(sed -n 5p "$tmp/week.txt" | cut -d, -f1)
id6=$(sed -n 6p "$tmp/week.txt" | cut -d, -f1)
expect 0 drills --district 大连市/长海县 --limit 3
out "(--limit 0 shows all)"
expect 2 drills --status finished

# ---- tracking ----
expect 0 record "$id1" --held "$day1" --start 09:10 --end 11:20 --participants 80 --absent 3 \
    --evacuation 200 --evacuation-target 240 --observers "王伟, 李强" --notes "按计划" --score 85
out "$id1: evaluated"
quiet
expect 0 show "$id1"
out "status     evaluated, $day1"
out "held       $day1 09:10-11:20"
out "80 took part, 3 did not"
out "evacuation 200 s (target 240 s)"
out "score      85"
out "observers  王伟, 李强"
out "tester state: scheduled -> held $day1 09:10-11:20"
snapshot "$tmp/before"
expect 3 record "$id1" --held "$day1"
err "cannot go from evaluated to held"
expect 3 record NOPE/art33-annual/2026 --held 2026-03-02
err "no drill 'NOPE/art33-annual/2026'"
expect 2 record "$id2" --held 2026-02-30
err "--held: '2026-02-30' is not a date"
expect 2 record "$id2"
err "missing --held"
expect 2 record "$id2" --held 2026-03-02 --start 9am
expect 2 record "$id2" --held 2026-03-02 --close
err "--close needs --score"
expect 3 record "$id2" --held 2026-03-02 --start 11:00 --end 10:00
err "not a time span"
expect 3 action add "$id2" --finding f --action a --owner o --due 2026-04-01
err "findings are recorded once it is held"
expect 2 action add "$id1" --finding f --action a
err "needs --finding, --action, --owner and --due"
expect 3 action close "$id1" 1
err "has no action 1"
expect 2 cancel "$id2"
err "needs --reason"
expect 3 record "$id2" --held 2031-06-01
err "more than a year from the plan's year 2026"
expect 3 record "$id2" --held 2024-12-31
err "more than a year from the plan's year 2026"
expect 3 plan 2025 --csv "$tmp/no/such/dir/plan.csv"
err "cannot write"
expect 2 rules add art33-annual --kind special
err "a preset is added as it is"
unchanged "failed tracking commands"
if [ -w /dev/full ]; then
    checks=$((checks + 1))
    $RUNNER "$DRILLCTL" drills --csv >/dev/full 2>"$tmp/err"
    [ $? -eq 4 ] || fail "output to a full disk did not exit 4"
fi
# a writing command waits for another: it holds the store from load to save.
# No timing: flock(1) holds the lock until we write to the release FIFO, which
# we do only once drillctl has said on stderr (a FIFO read line by line) that
# it is waiting; a drillctl that never waits ends without that line and fails.
if command -v flock >/dev/null 2>&1; then
    mkfifo "$tmp/held" "$tmp/release" "$tmp/errpipe" || fail "mkfifo"
    flock "$DRILL_STORE" sh -c 'echo held; read -r x <"$1"' sh "$tmp/release" >"$tmp/held" &
    holder=$!
    read -r x <"$tmp/held" # the lock is held from here on
    checks=$((checks + 1))
    # shellcheck disable=SC2086 # the runner is a command line
    $RUNNER "$DRILLCTL" holidays import data/holidays-cn.csv >"$tmp/out" 2>"$tmp/errpipe" & # changes nothing
    waiter=$!
    : >"$tmp/err"
    released=0
    while IFS= read -r line; do
        printf '%s\n' "$line" >>"$tmp/err"
        case $line in
        *"waiting for another drillctl"*)
            [ $released -eq 1 ] || { echo go >"$tmp/release"; released=1; } ;;
        esac
    done <"$tmp/errpipe"
    wait "$waiter"
    got=$?
    [ $released -eq 1 ] || { echo go >"$tmp/release"; fail "drillctl did not wait for the lock holder"; }
    wait "$holder"
    [ "$got" -eq 0 ] || { fail "drillctl holidays import behind a lock: exit $got"; sed 's/^/    /' "$tmp/err"; }
    err "waiting for another drillctl"
    rm -f "$tmp/held" "$tmp/release" "$tmp/errpipe"
fi

expect 0 action add "$id1" --finding 出口堵塞 --action 清理通道 --owner 物业 --due 2026-04-01 --capability evacuation
out "$id1: action 1 added"
expect 0 action add "$id1" --finding 广播不清 --action 检修广播 --owner 设备部 --due 2026-04-15
out "$id1: action 2 added"
expect 0 action close "$id1" 1 --date 2026-03-20
out "$id1: action 1 done"
checks=$((checks + 1))
grep -q "drill is closed" "$tmp/out" && fail "the drill closed with an action still open"
expect 0 action close "$id1" 2 --status verified --date 2026-03-25
out "$id1: action 2 verified; every action is closed, so the drill is closed"
expect 0 show "$id1"
out "status     closed"
out "action 1   [done 2026-03-20] 出口堵塞 -> 清理通道 (物业; evacuation, due 2026-04-01)"
out "state: evaluated -> closed (every corrective action closed)"
expect 0 cancel "$id2" --reason "停业整顿"
out "$id2: cancelled (停业整顿)"
expect 3 cancel "$id2" --reason again
err "cannot go from cancelled"
# several states at once, straight from the store: exactly the closed and the cancelled drill
expect 0 drills --status closed,cancelled --csv
tr -d '\r' <"$tmp/out" | sed 1d | cut -d, -f1,5 | sort >"$tmp/states.txt"
printf '%s\n' "$id1,closed" "$id2,cancelled" | sort >"$tmp/states.want"
cmp -s "$tmp/states.txt" "$tmp/states.want" || fail "drills --status closed,cancelled: $(cat "$tmp/states.txt")"
checks=$((checks + 1))
expect 2 drills --status closed,finished
err "--status: 'closed,finished' is not planned"

# batches: all or nothing, every bad row reported with its place
cat >"$tmp/held.csv" <<EOF
drill_id,held,participants,score,close,evacuation,evacuation_target,notes
$id3,2026-03-03,50,90,1,,,
$id4,2026-03-04,60,,,150,180,"in time, well done"
EOF
cat >"$tmp/bad-held.csv" <<EOF
drill_id,held,participants,score,close
$id5,2026-03-04,40,,
$id6,2026-03-32,40,,
NOPE/x/2026,2026-03-04,40,,
$id5,2026-03-05,many,101,
EOF
snapshot "$tmp/before"
expect 3 record --from "$tmp/bad-held.csv"
err "$tmp/bad-held.csv:3:"
err "'2026-03-32' is not a date"
err "$tmp/bad-held.csv:4:1: no drill 'NOPE/x/2026'"
err "$tmp/bad-held.csv:5:"
err "'many' is not a whole number"
err "'101' is not a whole number 0-100"
err "errors; nothing recorded"
unchanged "record --from a file with bad rows"
printf 'drill,held\nx,2026-01-01\n' >"$tmp/no-id.csv"
expect 3 record --from "$tmp/no-id.csv"
err "$tmp/no-id.csv:1:1: the header has no 'drill_id' column"
# batch files are read by the library's CSV reader, as units import reads:
# a NUL byte is refused at its place (not cut: ok<NUL>HIDDEN stored as ok),
# a stray quote too, and a lone CR ends a record
printf 'drill_id,held,notes\n%s,2026-03-04,ok\000HIDDEN\n' "$id5" >"$tmp/nul-held.csv"
snapshot "$tmp/before"
expect 3 record --from "$tmp/nul-held.csv"
err "$tmp/nul-held.csv:2:"
err "NUL byte"
unchanged "record --from a file with a NUL byte"
printf 'id,name,area,class\nU1,a\000b,大连市/中山区,hotel\n' >"$tmp/nul-units.csv"
expect 3 units import "$tmp/nul-units.csv"
err "NUL byte"
printf 'drill_id,finding,action,owner,due\n%s,a"b,c,d,2026-04-01\n' "$id4" >"$tmp/quote-actions.csv"
expect 3 action add --from "$tmp/quote-actions.csv"
err "$tmp/quote-actions.csv:2:"
err "quote inside an unquoted field"
printf 'drill_id,number,status,date\r%s,9,done,2026-03-30\r' "$id4" >"$tmp/cr-close.csv"
expect 3 action close --from "$tmp/cr-close.csv"
err "$tmp/cr-close.csv:2:1: drill '$id4' has no action 9"
expect 3 record --from "$tmp/no-such-file.csv"
err "$tmp/no-such-file.csv: "
expect 2 record "$id5" --from "$tmp/held.csv"
expect 0 record --from "$tmp/held.csv"
out "recorded 2 drills held (1 evaluated, 1 closed) from $tmp/held.csv in the plan of 2026"
expect 0 show "$id4"
out "status     held"
out "evacuation 150 s (target 180 s)"
out "notes      in time, well done"
cat >"$tmp/actions.csv" <<EOF
drill_id,finding,action,owner,due,capability
$id4,"疏散慢, 楼梯窄",增设引导员,安全部,2026-04-04,evacuation
$id4,"灭火器过期 ",更换灭火器,物业,2026-03-31,
EOF
expect 0 action add --from "$tmp/actions.csv"
out "added 2 corrective actions"
printf 'drill_id,number,status,date\n%s,1,done,2026-03-30\n%s,9,done,2026-03-30\n' "$id4" "$id4" >"$tmp/bad-close.csv"
snapshot "$tmp/before"
expect 3 action close --from "$tmp/bad-close.csv"
err "$tmp/bad-close.csv:3:1: drill '$id4' has no action 9"
unchanged "action close --from a file with a bad row"
printf 'drill_id,number,status,date\n%s,1,done,2026-03-30\n' "$id4" >"$tmp/close.csv"
expect 0 action close --from "$tmp/close.csv" --today 2026-03-31
out "closed 1 corrective actions from $tmp/close.csv; 0 drills closed with them" # held, not evaluated: stays open

# ---- reports ----
expect 0 report coverage --today 2026-07-15 --csv
quiet
equal "coverage total required" "$(csv_cell total 2)" 1044
equal "coverage total held" "$(csv_cell total 4)" 3
equal "coverage total cancelled" "$(csv_cell total 6)" 1
overdue=$(csv_cell total 5)
expect 0 report overdue --today 2026-07-15 --csv
equal "overdue rows" "$(tr -d '\r' <"$tmp/out" | sed 1d | grep -c '')" "$overdue"
checks=$((checks + 1))
[ "$overdue" -gt 100 ] || fail "only $overdue drills overdue by 2026-07-15"
expect 0 report overdue --today 2026-07-15 --limit 5
out "overdue of the plan of 2026 as of 2026-07-15"
out "... and $((overdue - 5)) more"
out "$overdue overdue drills"
expect 0 report coverage --by tier --today 2026-07-15
out "coverage of the plan of 2026 by tier as of 2026-07-15"
out "total"
expect 0 report actions --today 2026-04-10 --csv
equal "actions" "$(tr -d '\r' <"$tmp/out" | sed 1d | grep -c '')" 4
out ',"灭火器过期 ",' # a cell's edge spaces kept by quoting, as the library's own CSV does
expect 0 report actions --open --today 2026-04-10
out "更换灭火器"
out "1 corrective actions"
expect 0 report actions --open --today 2026-04-10 --output "$tmp/open.csv"
equal "open actions written" "$(tr -d '\r' <"$tmp/open.csv" | sed 1d | grep -c '')" 1
expect 0 drills --status scheduled --from 2026-03-01 --to 2026-03-04 --csv
sed 1d "$tmp/out" | cut -d, -f1 | sort >"$tmp/due-want"
expect 0 report reminders --today 2026-03-01 --days 3 --csv
checks=$((checks + 1))
[ -s "$tmp/due-want" ] || fail "no drill scheduled 2026-03-01..04 to be reminded of"
awk -F, '$1 == "due" { print $3 }' "$tmp/out" | sort | cmp -s - "$tmp/due-want" ||
    fail "the reminders' due drills are not the drills scheduled in the next 3 days"
expect 0 report coverage --output "$tmp/coverage.csv" --today 2026-07-15
checks=$((checks + 1))
head -1 "$tmp/coverage.csv" | grep -q "^group,required,scheduled,held,overdue,cancelled,coverage_percent" ||
    fail "report --output wrote no coverage header"
expect 2 report sideways
expect 2 report coverage --by colour
expect 2 report coverage --today yesterday

# ---- feeds ----
expect 0 feeds export "$tmp/feeds"
out "all.ics (the city, 1045 events) and 10 by district; 11 new or changed, 0 unchanged"
equal "events in all.ics" "$(grep -c '^BEGIN:VEVENT' "$tmp/feeds/all.ics")" 1045
equal "events in the district feeds" "$(cat "$tmp"/feeds/大连市_*.ics | grep -c '^BEGIN:VEVENT')" 1045
checks=$((checks + 1))
grep -q "X-DRILL-ID:$id1" "$tmp/feeds/all.ics" || fail "all.ics lacks $id1"
checks=$((checks + 1))
tr -d '\r' <"$tmp/feeds/all.ics" | grep -A12 "X-DRILL-ID:$id2" | grep -q '^X-DRILL-STATUS:cancelled' ||
    fail "the cancelled drill is not cancelled in all.ics"
equal "STATUS:CANCELLED events" "$(grep -c '^STATUS:CANCELLED' "$tmp/feeds/all.ics")" 1
expect 0 feeds export "$tmp/feeds"
out "0 new or changed, 11 unchanged"
expect 0 feeds export "$tmp/feeds-c" --by campaign --en
out "by campaign"
checks=$((checks + 1))
[ -f "$tmp/feeds-c/work-safety-month.ics" ] || fail "no work-safety-month.ics in the campaign feeds"
expect 2 feeds export "$tmp/f" --by colour

# ---- reschedule: a closed day, a new unit ----
busy=$(awk -F, 'NR > 1 && $12 == "scheduled" { print $13 }' "$tmp/plan.csv" | sort | uniq -c | sort -rn |
    awk 'NR == 1 { print $2 }')
expect 0 reschedule --today 2025-12-01 --close "$busy"
out "closed 1 day"
out "constraint violations (independent check): 0"
expect 0 drills --status scheduled --from "$busy" --to "$busy"
outline "0 drills"
printf 'id,name,area,class\nNEW1,新开酒店,大连市/中山区/桃源街道,hotel\n' >"$tmp/new.csv"
expect 0 units import "$tmp/new.csv"
out "the store has 201 units"
expect 0 drills --unit NEW1
outline "0 drills" # the plan takes the unit in at reschedule
expect 0 reschedule 2026 --today 2025-12-01 --capacity 25
out "plan 2026: 201 units"
out "constraint violations (independent check): 0"
expect 0 drills --unit NEW1 --status scheduled
checks=$((checks + 1))
grep -q "^NEW1/art33-onsite/2026H1 " "$tmp/out" || fail "the new unit's drills were not placed"
expect 0 show "$id1"
out "status     closed" # tracking survives a reschedule
expect 3 reschedule 2030
err "no plan for 2030"
expect 2 reschedule --close someday
expect 2 reschedule 2026 --campaign-widen 0
err "--campaign-widen: '0'"
expect 0 reschedule 2026 --today 2025-12-01 --campaign-days 10 --campaign-widen 3
out "constraint violations (independent check): 0"
expect 0 reschedule 2026 --today 2025-12-01 # the campaign widening stays the plan's
widening=$(python3 -c 'import sqlite3, sys
print(*sqlite3.connect(sys.argv[1]).execute("SELECT campaign_min_days, campaign_widen_days FROM plans"
                                            " WHERE year = 2026").fetchone())' "$DRILL_STORE")
equal "the stored campaign widening" "$widening" "10 3"

# ---- stores of other libdrill versions ----
cp "$DRILL_STORE" "$tmp/old.db"
python3 -c 'import sqlite3, sys
sqlite3.connect(sys.argv[1]).executescript("DROP TABLE drill_counts; DROP INDEX drills_due; DROP INDEX drills_date;"
    + "".join("ALTER TABLE drills DROP COLUMN %s;" % c
              for c in ("unit_id", "rule_id", "campaign", "district", "class", "tier", "win_end", "credits",
                        "win_start", "start_minute", "duration", "observer"))
    + "".join("ALTER TABLE plans DROP COLUMN %s;" % c
              for c in ("counted", "today", "day_slots", "slot_minutes", "avoid_after_breaks",
                        "campaign_min_days", "campaign_widen_days"))
    + "DROP INDEX IF EXISTS actions_drill; DROP INDEX history_unit;"
    "DROP TABLE breaks; ALTER TABLE rules DROP COLUMN satisfied_by_kinds;"
    "ALTER TABLE rules DROP COLUMN satisfied_by_scenarios;"
    "DELETE FROM meta WHERE key = \"store_id\";"
    "DROP INDEX blackouts_unit; DROP INDEX units_class;"
    "DROP INDEX campaign_years_campaign; PRAGMA user_version = 3;")' "$tmp/old.db"
expect 0 --store "$tmp/old.db" report coverage --today 2026-07-15 # a reading command migrates it
out "total"
expect 0 --store "$tmp/old.db" drills --status closed,cancelled # listed from the plan until saved again
out "$id1"
out "$id2"
expect 0 --store "$tmp/old.db" info
out "(schema 11, libdrill"
expect 0 --store "$tmp/old.db" check
outline "store $tmp/old.db: sound"
# a row another program wrote, naming a year with no plan
cp "$tmp/old.db" "$tmp/stray.db"
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO drills(id, year, status, reason) VALUES(?, 1999, 0, 0)", ("X/Y/Z",))
c.commit()' "$tmp/stray.db"
expect 3 --store "$tmp/stray.db" check
err "stray.db is not sound: drills: a row names a row of plans that is not there"
# pages scribbled over: the first problem SQLite finds, on one line
cp "$tmp/old.db" "$tmp/damaged.db"
python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    size = f.seek(0, 2)
    for off in range(4096, size, 8192):
        f.seek(off + 100)
        f.write(b"garbage garbage garbage garbage garbage")' "$tmp/damaged.db"
expect 3 --store "$tmp/damaged.db" check
err "damaged.db is not sound: "
checks=$((checks + 1))
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { fail "check said more than one line"; head -3 "$tmp/err"; }
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version = 99")' "$tmp/old.db"
expect 3 --store "$tmp/old.db" info
err "written by a newer libdrill"

# ---- the law, the campaigns and school terms ----
law="$tmp/law.db"
expect 0 init "$law"
out "18 preset rules"
expect 0 units generate "$tmp/law-units.csv" --count 150
expect 0 --store "$law" units import "$tmp/law-units.csv"
# a year's announced week, the region's flood season, a campaign of the city's own
expect 0 --store "$law" campaigns set disaster-reduction-week 2027-05-08 2027-05-14
out "campaign disaster-reduction-week in 2027: 2027-05-08 .. 2027-05-14, as announced"
expect 0 --store "$law" campaigns set flood-season 07-15 08-15 --lead-days 60
out "main flood season 07-15 .. 08-15, pre-flood window the 60 days before it"
expect 0 --store "$law" campaigns add city-safety-day --name 大连安全日 --date 09-01 --days 3
expect 0 --store "$law" rules add city-safety --name 安全日演练 --campaign city-safety-day --flags government
expect 0 --store "$law" campaigns 2027 --en
out "working days are PROVISIONAL"
out "Dragon Boat Festival 06-09..06-09"
out "window 2027-05-08 .. 2027-05-14"
out "window 2027-05-16 .. 2027-07-14"
out "window 2027-09-01 .. 2027-09-03"
snapshot "$tmp/before"
expect 3 --store "$law" campaigns remove city-safety-day
err "rule city-safety names campaign city-safety-day"
expect 3 --store "$law" campaigns set no-such 2027-01-01 2027-01-02
err "no campaign 'no-such'"
expect 2 --store "$law" campaigns set iddrr 2027-10-13 2028-01-02
err "starts and ends in that year"
expect 2 --store "$law" campaigns set flood-season 07-32 08-15
expect 2 --store "$law" campaigns add x --name x --date 09-01 --from 09-01 --to 09-02
expect 3 --store "$law" campaigns add x --name x --base no-such --start-offset -3 --end-offset -1
err "no campaign 'no-such'"
unchanged
# school terms: Dalian's 2027 winter break, a summer break every year
printf 'class,from,to,name\nschool,2027-01-16,2027-02-21,寒假\nschool,07-08,08-31,暑假\n' >"$tmp/terms.csv"
expect 0 --store "$law" terms import "$tmp/terms.csv"
out "imported 2 breaks from $tmp/terms.csv"
expect 0 --store "$law" terms list
out "2027-01-16 .. 2027-02-21"
out "every year 07-08 .. 08-31"
expect 2 --store "$law" terms import tests/data/terms-school-2027.ics
err "needs --class"
expect 0 --store "$law" terms import tests/data/terms-school-2027.ics --class kindergarten
out "imported 2 breaks from tests/data/terms-school-2027.ics"
expect 0 --store "$law" terms list
out "kindergarten           暑假       2027-07-08 .. 2027-08-31"
printf 'class,from,to,name\nschool,2027-13-16,2027-02-21,寒假\n' >"$tmp/bad-terms.csv"
snapshot "$tmp/before"
expect 3 --store "$law" terms import "$tmp/bad-terms.csv"
err "bad-terms.csv:2:13"
unchanged
# next year without a notice: planned from the law, and said so
expect 0 --store "$law" plan 2027
out "the calendar is PROVISIONAL, from the law"
out "constraint violations (independent check): 0"
expect 0 --store "$law" drills --csv --limit 0 --status scheduled
checks=$((checks + 1))
on_law=$(tr -d '\r' <"$tmp/out" | awk -F, 'NR > 1 && $2 ~ /^2027-(01-01|02-0[5-8]|04-05|05-0[12]|06-09|09-15|10-0[123])$/' | wc -l)
[ "$on_law" -eq 0 ] || fail "$on_law drills on the law's holidays of 2027"
checks=$((checks + 1))
schools=$(tr -d '\r' <"$tmp/out" | awk -F, 'NR > 1 && $8 == "moe-school-monthly"' | wc -l)
[ "$schools" -gt 0 ] || fail "no school drills in 2027"
checks=$((checks + 1))
in_break=$(tr -d '\r' <"$tmp/out" | awk -F, 'NR > 1 && $8 == "moe-school-monthly" && (($2 >= "2027-01-16" && $2 <= "2027-02-21") || ($2 >= "2027-07-08" && $2 <= "2027-08-31"))' | wc -l)
[ "$in_break" -eq 0 ] || fail "$in_break school drills in the breaks"
checks=$((checks + 1))
tr -d '\r' <"$tmp/out" | awk -F, 'NR > 1 && $8 == "city-pre-flood-public" && $13 != "2027-05-16" { bad = 1 } END { exit bad }' ||
    fail "a pre-flood window does not start on 2027-05-16"
# a drill that meets other rules' requirements says so
hotel=$(tr -d '\r' <"$tmp/out" | awk -F, 'NR > 1 && $8 == "art33-onsite" { print $1; exit }')
expect 0 --store "$law" show "$hotel"
out "also meets decree708-high-risk 2027H"
# the flood season moved: taken in at reschedule
expect 0 --store "$law" campaigns set flood-season 07-23 08-11 --lead-days 30
# the notice published: the law's days, bridging days and make-up working days
{
    printf 'date,kind,name\n2027-01-01,holiday,元旦\n'
    for d in 05 06 07 08 09 10 11; do printf '2027-02-%s,holiday,春节\n' "$d"; done
    printf '2027-02-20,workday,春节\n2027-04-05,holiday,清明节\n2027-05-01,holiday,劳动节\n2027-05-02,holiday,劳动节\n'
    printf '2027-05-03,holiday,劳动节\n2027-06-09,holiday,端午节\n2027-09-15,holiday,中秋节\n'
    for d in 01 02 03 04 05 06 07; do printf '2027-10-%s,holiday,国庆节\n' "$d"; done
    printf '2027-10-09,workday,国庆节\n'
} >"$tmp/notice-2027.csv"
expect 0 --store "$law" drills --csv --limit 0 --status scheduled
cp "$tmp/out" "$tmp/before-notice.csv"
expect 0 --store "$law" holidays import "$tmp/notice-2027.csv"
expect 0 --store "$law" reschedule 2027
out "constraint violations (independent check): 0"
outline "plan 2027: 150 units, $(tr -d '\r' <"$tmp/before-notice.csv" | sed 1d | grep -c '') drills required"
checks=$((checks + 1))
grep -q "PROVISIONAL" "$tmp/out" && fail "still provisional after the notice"
expect 0 --store "$law" drills --csv --limit 0 --status scheduled
checks=$((checks + 1))
# every drill whose day is still a working day kept it; only those on the notice's new days off moved,
# and the few drills of their units that the scheduler moves within their windows to make room for
# them when spacing leaves them no other day (full coverage first): at most 1% of the drills
moved=$(tr -d '\r' <"$tmp/before-notice.csv" | awk -F, 'NR > 1 { print $1 "," $2 }' | sort >"$tmp/a"; \
        tr -d '\r' <"$tmp/out" | awk -F, 'NR > 1 { print $1 "," $2 }' | sort >"$tmp/b"; \
        comm -23 "$tmp/a" "$tmp/b" | awk -F, '$1 !~ /pre-flood/ && $2 !~ /^2027-(02-(09|10|11)|05-03|10-0[4-7])$/' | wc -l)
total=$(tr -d '\r' <"$tmp/before-notice.csv" | sed 1d | grep -c '')
[ "$moved" -le $((total / 100)) ] || fail "$moved of $total drills moved though their day is still a working day"
checks=$((checks + 1))
tr -d '\r' <"$tmp/out" | awk -F, 'NR > 1 && $8 == "city-pre-flood-public" && $13 != "2027-06-23" { bad = 1 } END { exit bad }' ||
    fail "the moved flood season did not reach the plan"

# ---- progress on a terminal, nothing otherwise ----
if command -v script >/dev/null 2>&1 && [ -z "$RUNNER" ]; then
    checks=$((checks + 1))
    script -qec "$DRILLCTL feeds export $tmp/feeds-tty" /dev/null >"$tmp/tty" 2>&1
    grep -q "writing the feeds of 2026" "$tmp/tty" || fail "no progress on a terminal"
fi

# ---- hardening: safe output files, feed names, terminal escapes (issue 15) ----
# a store of its own: the units here would change the figures above
H="$tmp/h.db"
printf 'id,name,area,class\nall,城市酒店,大连市/中山区/桃源街道,hotel\na/b,甲,大连市/甲 乙/街道,hotel\na_b,乙,"大连市/甲,乙/街道",hotel\n' >"$tmp/h.csv"
printf 'ESC1,"\033[2J\033]0;owned\007酒店\302\233",大连市/中山区/桃源街道,hotel\n' >>"$tmp/h.csv"
expect 0 --store "$H" init "$H"
expect 0 --store "$H" holidays import data/holidays-cn.csv
expect 0 --store "$H" units import "$tmp/h.csv"
expect 0 --store "$H" plan 2026
# one file per unit, none of them the city feed
expect 0 --store "$H" feeds export "$tmp/hf" --by unit
out "and 4 by unit"
checks=$((checks + 1))
grep -q 'X-DRILL-UNIT:all' "$tmp/hf/~61ll.ics" && grep -q 'X-DRILL-UNIT:a/b' "$tmp/hf/a_b.ics" &&
    grep -q 'X-DRILL-UNIT:a_b' "$tmp/hf/a~5Fb.ics" || fail "unit feeds 'all', 'a/b', 'a_b' do not have files of their own"
equal "units in the city feed" "$(grep -c '^BEGIN:VEVENT' "$tmp/hf/all.ics")" \
    "$(cat "$tmp"/hf/~61ll.ics "$tmp"/hf/a_b.ics "$tmp"/hf/a~5Fb.ics "$tmp"/hf/ESC1.ics | grep -c '^BEGIN:VEVENT')"
expect 0 --store "$H" feeds export "$tmp/hf"
out "and 3 by district"
out "removed 4 feeds the last export wrote and this one does not"
checks=$((checks + 1))
[ -f "$tmp/hf/大连市_甲~20乙.ics" ] && [ -f "$tmp/hf/大连市_甲~2C乙.ics" ] && [ ! -e "$tmp/hf/a_b.ics" ] ||
    fail "district feeds '甲 乙' and '甲,乙' do not have files of their own, or the unit feeds were not removed"
# names that would share a file, or not fit in one: exit 3, nothing written
printf 'id,name,area,class\nHotel-1,x,大连市/中山区/街道,hotel\nhotel-1,y,大连市/中山区/街道,hotel\n' >"$tmp/case.csv"
long=$(printf '区%.0s' $(seq 1 80))
printf 'L1,z,大连市/%s/街道,hotel\n' "$long" >>"$tmp/case.csv"
expect 0 --store "$H" units import "$tmp/case.csv"
expect 0 --store "$H" reschedule 2026
expect 3 --store "$H" feeds export "$tmp/hc" --by unit
err "would share one file"
expect 3 --store "$H" feeds export "$tmp/hc"
err "file name"
checks=$((checks + 1))
[ ! -e "$tmp/hc" ] || fail "a refused feed export wrote $(ls "$tmp/hc")"
# --output onto a private FIFO (and a symlink to it) is written into, and stays a FIFO
mkfifo "$tmp/out.fifo"
ln -s "$tmp/out.fifo" "$tmp/out.link"
for target in "$tmp/out.fifo" "$tmp/out.link"; do
    cat "$tmp/out.fifo" >"$tmp/fifo.read" &
    reader=$!
    expect 0 --store "$H" report actions --open --today 2026-04-10 --output "$target"
    [ -s "$tmp/fifo.read" ] || : >"$tmp/out.fifo" # drillctl never opened it: end the reader
    wait "$reader"
    checks=$((checks + 1))
    head -1 "$tmp/fifo.read" | grep -q '^drill_id,' && [ -p "$tmp/out.fifo" ] && [ -L "$tmp/out.link" ] ||
        fail "report --output $target: not written through the FIFO, or the FIFO was replaced"
done
printf 'secret\n' >"$tmp/victim"
if [ "$(id -u)" = 0 ]; then
    # a private device node stays a device; a link someone else planted is replaced, not followed
    mknod "$tmp/null" c 1 3
    expect 0 --store "$H" report coverage --today 2026-04-10 --output "$tmp/null"
    checks=$((checks + 1))
    [ -c "$tmp/null" ] || fail "report --output onto a device node replaced it"
    ln -s "$tmp/victim" "$tmp/planted.csv"
    chown -h nobody "$tmp/planted.csv"
    expect 0 --store "$H" report coverage --today 2026-04-10 --output "$tmp/planted.csv"
    checks=$((checks + 1))
    [ "$(cat "$tmp/victim")" = secret ] && [ ! -L "$tmp/planted.csv" ] ||
        fail "report --output followed a link someone else planted"
fi
checks=$((checks + 1))
ls -a "$tmp" "$tmp/hf" | grep -q '\.tmp' && fail "temporary files left: $(ls -a "$tmp" "$tmp/hf" | grep '\.tmp')"
# escape sequences in names and reasons: raw into a pipe, escaped on a terminal
expect 0 --store "$H" drills --unit ESC1 --csv
esc_id=$(tr -d '\r' <"$tmp/out" | awk -F, 'NR == 2 { print $1 }')
checks=$((checks + 1))
grep -q "$(printf '\033')\\[2J" "$tmp/out" || fail "CSV output to a pipe lost the name's bytes"
expect 0 --store "$H" cancel "$esc_id" --reason "$(printf 'gone\033[31m red')"
if command -v script >/dev/null 2>&1 && [ -z "$RUNNER" ]; then
    for cmd in "show $esc_id" "drills --unit ESC1" "cancel $esc_id --reason x"; do
        # drillctl's own progress line on stderr ("\r ESC [K") aside
        script -qec "$DRILLCTL --store $H $cmd" /dev/null 2>&1 | sed "s/$(printf '\033')\\[K//g" >"$tmp/tty"
        checks=$((checks + 1))
        if grep -q "$(printf '[\033\007]')" "$tmp/tty" || grep -q "$(printf '\302\233')" "$tmp/tty"; then
            fail "drillctl $cmd wrote control characters to a terminal"
        fi
    done
    # an error on standard error quotes the file's bytes: escaped too
    printf 'id,name,area,class\nX\033]0;t\007,n,大连市/中山区/街道,hotel\n' >"$tmp/esc-id.csv"
    script -qec "$DRILLCTL --store $H units import $tmp/esc-id.csv" /dev/null 2>&1 |
        sed "s/$(printf '\033')\\[K//g" >"$tmp/tty"
    checks=$((checks + 1))
    if grep -q "$(printf '[\033\007]')" "$tmp/tty" || ! grep -qF 'X\x1B]0;t\x07' "$tmp/tty"; then
        fail "an error quoting control characters reached the terminal unescaped: $(cat -v "$tmp/tty")"
    fi
    script -qec "$DRILLCTL --store $H show $esc_id" /dev/null >"$tmp/tty" 2>&1
    checks=$((checks + 1))
    grep -qF '\x1B[2J\x1B]0;owned\x07酒店\u009B' "$tmp/tty" && grep -qF 'gone\x1B[31m red' "$tmp/tty" ||
        fail "the name and the reason are not shown escaped on a terminal: $(cat "$tmp/tty")"
fi

echo "test_cli.sh: $checks checks, $failed failed"
[ "$failed" -eq 0 ]
