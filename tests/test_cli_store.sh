#!/bin/sh
# drillctl and the store file: what may be a store (no FIFO, device,
# directory or second hard link; an empty or foreign file is never turned
# into a store by a command that only reads), two inits racing, a writer
# waiting for a stopped one at most --wait seconds, a store in a folder the
# user cannot write read through --read-only. Run by `make test` with
# DRILLCTL and RUNNER, like tests/test_cli.sh; with DRILL_CLI_PART=postgresql
# (make test-pg, beside tests/pg_env.sh's server) the same lock for a server
# store instead. No step waits on time: the lock holder says when it holds
# the lock, through a FIFO.
set -u

DRILLCTL=${DRILLCTL:-build/drillctl}
RUNNER=${RUNNER:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/drillctl-store.XXXXXX") || exit 1
holder=""
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null
    chmod -R u+w "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
export DRILL_ACTOR=tester
unset DRILL_STORE
checks=0
failed=0

. "$(dirname "$0")/cli_lib.sh"

# ---- a server store (DRILL_CLI_PART=postgresql, beside tests/pg_env.sh's
# server): its writers exclude each other as a file's do, by a session-level
# advisory lock, with the same --wait limit and exit 4 naming the holder ----
if [ "${DRILL_CLI_PART:-}" = postgresql ]; then
    : "${DRILL_TEST_PG:?run under tests/pg_env.sh}"
    PSQL="${DRILL_TEST_PG_BIN:+$DRILL_TEST_PG_BIN/}psql"
    "$PSQL" -qAtX -v ON_ERROR_STOP=1 -d "$DRILL_TEST_PG dbname=postgres" -c "CREATE DATABASE cli_lock_$$" \
        >/dev/null 2>&1 || { echo "FAIL: cannot create the database cli_lock_$$"; exit 1; }
    s="$DRILL_TEST_PG dbname=cli_lock_$$"
    expect 0 init "$s"
    expect 0 units generate "$tmp/u.csv" --count 30 --blackout-year 2026
    # a drillctl that holds the lock: units import of a FIFO opens it after
    # taking the lock and reading the registries, so the open here returns
    # when it holds the lock (the event), and it waits for its input
    mkfifo "$tmp/units.fifo"
    $RUNNER "$DRILLCTL" --store "$s" units import "$tmp/units.fifo" >"$tmp/holder.out" 2>"$tmp/holder.err" &
    holder=$!
    exec 7>"$tmp/units.fifo"
    expect 4 --store "$s" --wait 1 rules remove art33-annual
    err "still holds"
    err "after 1 s"
    err "'drillctl pid $holder on " # the holder by its pid and host (its application_name)
    err "server process"
    err "client local)" # a Unix socket
    expect 4 --store "$s" --wait 0 holidays import /dev/null
    err "still holds"
    expect 0 --store "$s" rules list # readers need no lock
    # a writer that waits gets the lock when the holder ends, and both changes
    # stay; its standard error comes through a FIFO: its first line says it waits
    mkfifo "$tmp/waiting"
    # (without the FIFO's writing end, fd 7: the holder's input ends when this shell closes it)
    ( exec 7>&-; $RUNNER "$DRILLCTL" --store "$s" --wait 120 rules remove art33-annual >"$tmp/w.out" 2>"$tmp/waiting";
      echo $? >"$tmp/w.rc" ) &
    waiter=$!
    exec 6<"$tmp/waiting"
    read -r line <&6
    equal "the second writer's first words" "$(printf '%s' "$line" | cut -c1-35)" "drillctl: waiting for another drill"
    cat "$tmp/u.csv" >&7
    exec 7>&-
    wait "$holder"
    equal "the holder's exit status" "$?" 0
    holder=""
    cat <&6 >"$tmp/w.err"
    exec 6<&-
    wait "$waiter"
    equal "the waiting writer's exit status" "$(cat "$tmp/w.rc")" 0
    [ "$(cat "$tmp/w.rc")" = 0 ] || cat "$tmp/w.err"
    expect 0 --store "$s" units export
    checks=$((checks + 1))
    [ "$(tr -d '\r' <"$tmp/out" | grep -c '^DL0000')" -eq 30 ] || fail "the holder's 30 units are not all there"
    expect 0 --store "$s" rules list
    checks=$((checks + 1))
    ! grep -q "art33-annual" "$tmp/out" || fail "the waiting writer's change was lost"
    # a holder whose connection closes frees the lock (the server releases it
    # when the session ends; the next writer waits for that if it must)
    "$PSQL" -qAtX -d "$s" -c "SELECT pg_advisory_lock(1685219694, hashtext(current_schema()))" -c "SELECT 1" \
        >/dev/null 2>&1 || fail "psql could not take the lock"
    expect 0 --store "$s" --wait 60 rules remove fire-key-unit
    # one store's lock is not another's: a writer of a second database goes on
    "$PSQL" -qAtX -v ON_ERROR_STOP=1 -d "$DRILL_TEST_PG dbname=postgres" -c "CREATE DATABASE cli_lock2_$$" \
        >/dev/null 2>&1 || fail "cannot create the database cli_lock2_$$"
    s2="$DRILL_TEST_PG dbname=cli_lock2_$$"
    expect 0 init "$s2"
    $RUNNER "$DRILLCTL" --store "$s2" units import "$tmp/units.fifo" >"$tmp/holder.out" 2>"$tmp/holder.err" &
    holder=$!
    exec 7>"$tmp/units.fifo"
    expect 4 --store "$s2" --wait 0 rules remove art33-annual
    expect 0 --store "$s" --wait 0 rules remove art33-onsite
    cat "$tmp/u.csv" >&7
    exec 7>&-
    wait "$holder"
    equal "the second holder's exit status" "$?" 0
    holder=""
    echo "test_cli_store.sh (PostgreSQL): $checks checks, $failed failed"
    [ "$failed" -eq 0 ]
    exit
fi

same() { # same FILE SUM: a file is unchanged
    checks=$((checks + 1))
    [ "$(cksum <"$1")" = "$2" ] || fail "$1 changed"
}

# not a store file: refused at once (a FIFO would hang an open), nothing written
mkfifo "$tmp/fifo"
expect 3 --store "$tmp/fifo" info
err "not a regular file"
expect 3 --store "$tmp/fifo" cancel X/Y/2026 --reason r
mkdir "$tmp/dir"
expect 3 --store "$tmp/dir" info
err "not a regular file"
: >"$tmp/empty"
for cmd in info "rules list" "drills"; do
    # shellcheck disable=SC2086
    expect 3 --store "$tmp/empty" $cmd
done
err "not a libdrill store"
checks=$((checks + 1))
[ ! -s "$tmp/empty" ] || fail "a command that reads turned an empty file into a store"
expect 3 --store "$tmp/empty" rules remove art33-annual
checks=$((checks + 1))
[ ! -s "$tmp/empty" ] || fail "a writing command turned an empty file into a store"
printf 'not a store\n' >"$tmp/foreign"
sum=$(cksum <"$tmp/foreign")
expect 3 --store "$tmp/foreign" info
err "not a sound libdrill store"
same "$tmp/foreign" "$sum"

# two inits of one new file, many times over: one makes it, the others say so
for round in 1 2 3; do
    s="$tmp/race$round.db"
    pids=""
    for k in 1 2 3 4; do
        $RUNNER "$DRILLCTL" init "$s" >"$tmp/race.$k.out" 2>"$tmp/race.$k.err" &
        pids="$pids $!"
    done
    made=0
    for p in $pids; do
        wait "$p"
        rc=$?
        checks=$((checks + 1))
        case $rc in
        0) made=$((made + 1)) ;;
        3) ;;
        *) fail "init race: exit $rc"; cat "$tmp"/race.*.err ;;
        esac
    done
    checks=$((checks + 1))
    [ "$made" -eq 1 ] || fail "init race $round: $made inits made the store, want 1"
    checks=$((checks + 1))
    grep -qF "initialised already" "$tmp"/race.*.err || fail "init race: no loser said the store exists"
    expect 0 --store "$s" info
done

# a second hard link: writing through it could lose a change; reading is fine
s="$tmp/s.db"
expect 0 init "$s"
ln "$s" "$tmp/link.db"
expect 0 --store "$tmp/link.db" info
expect 3 --store "$tmp/link.db" rules remove art33-annual
err "hard links"
rm "$tmp/link.db"

# a writer waits for the lock at most --wait seconds, naming the holder; the
# holder says through a FIFO when it holds the lock, and stays until killed
mkfifo "$tmp/held"
# (the shell takes the lock on its descriptor 9 and becomes a holder that
# waits for nothing, until it is killed)
sh -c 'exec 9<"$1"; flock 9; echo held >"$2"; exec tail -f /dev/null' sh "$s" "$tmp/held" </dev/null >/dev/null 2>&1 &
holder=$!
read -r _ <"$tmp/held"
expect 4 --store "$s" --wait 1 rules remove art33-annual
err "still holds"
err "after 1 s"
expect 4 --store "$s" --wait 0 rules remove art33-annual
expect 2 --store "$s" --wait soon rules remove art33-annual
expect 0 --store "$s" rules list # readers need no lock
kill "$holder"
wait "$holder" 2>/dev/null
holder=""
expect 0 --store "$s" --wait 1 rules remove art33-annual

# a store in a folder its user cannot write (read-only media): readable, never written
if command -v runuser >/dev/null && id nobody >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    mkdir "$tmp/ro"
    cp "$s" "$tmp/ro/s.db"
    chmod 755 "$tmp" && chmod 555 "$tmp/ro" && chmod 444 "$tmp/ro/s.db"
    sum=$(cksum <"$tmp/ro/s.db")
    checks=$((checks + 1))
    runuser -u nobody -- "$DRILLCTL" --store "$tmp/ro/s.db" --read-only rules list >"$tmp/out" 2>"$tmp/err" ||
        { fail "a store in an unwritable folder is not readable"; cat "$tmp/err"; }
    checks=$((checks + 1))
    grep -q "art33-onsite" "$tmp/out" || fail "the rules of the read-only store were not listed"
    checks=$((checks + 1))
    runuser -u nobody -- "$DRILLCTL" --store "$tmp/ro/s.db" info >/dev/null 2>"$tmp/err" ||
        { fail "info on a store in an unwritable folder failed"; cat "$tmp/err"; }
    expect 2 --store "$tmp/ro/s.db" --read-only rules remove art33-onsite
    err "--read-only"
    same "$tmp/ro/s.db" "$sum"
    checks=$((checks + 1))
    [ "$(ls "$tmp/ro")" = "s.db" ] || fail "reading left files beside the read-only store: $(ls "$tmp/ro")"
else
    echo "test_cli_store: the unwritable-folder case needs root, runuser and the nobody user: not run"
fi

echo "test_cli_store.sh: $checks checks, $failed failed"
echo "$((checks - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
