#!/bin/sh
# Run a command beside a throwaway PostgreSQL server.
#
#   sh tests/pg_env.sh COMMAND [ARGS...]
#
# initdb into a new temporary folder, start the server listening only on a
# Unix socket in that folder (listen_addresses=''), run COMMAND with
#   DRILL_TEST_PG      conninfo of the server without a dbname
#                      ("host=FOLDER port=PORT user=USER"); the tests add
#                      dbname=... for the databases they make
#   DRILL_TEST_PG_CTL  a command prefix that runs pg_ctl on that server as
#                      its owner ("$DRILL_TEST_PG_CTL stop -m immediate")
# and stop the server and remove the folder when COMMAND ends, fails or is
# interrupted (a trap). PostgreSQL refuses to run as root: as root (CI) the
# server runs as the 'postgres' system user that Debian's package creates.
#
# When no server can be started the PostgreSQL tests are skipped and this
# says so loudly; under CI=true a skip is a failure (exit 1). COMMAND's exit
# status is this script's otherwise.
set -u

skip() {
    echo "****************************************************************" >&2
    echo "SKIP: PostgreSQL tests not run: $*" >&2
    echo "****************************************************************" >&2
    if [ "${CI:-}" = true ]; then
        echo "pg_env.sh: CI=true, and a skipped PostgreSQL test is a failure" >&2
        exit 1
    fi
    exit 0
}

[ $# -gt 0 ] || { echo "usage: sh tests/pg_env.sh COMMAND [ARGS...]" >&2; exit 2; }

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
done
[ -n "$bindir" ] || skip "no PostgreSQL server binaries under /usr/lib/postgresql (make deps installs postgresql)"

# as root, the server and its files belong to the postgres system user
as_owner=""
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no 'postgres' user to run the server as"
    command -v runuser >/dev/null 2>&1 || skip "running as root and there is no runuser (util-linux)"
    owner=postgres
    as_owner="runuser -u postgres --"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/drill-pg.XXXXXX") || skip "cannot make a temporary folder"
started=0
cleanup() {
    if [ "$started" = 1 ]; then
        $as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

[ -n "$as_owner" ] && chown postgres "$dir"
chmod 700 "$dir"
# a port number only names the socket file here (no TCP): one per run
port=$(( 20000 + $$ % 20000 ))
if ! $as_owner "$bindir/initdb" -D "$dir/data" -U "$owner" --auth=trust --encoding=UTF8 --locale=C \
        >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    skip "initdb failed"
fi
cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
fsync = on
synchronous_commit = on
max_connections = 40
shared_buffers = 64MB
EOF
if ! $as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
    cat "$dir/server.log" >&2
    skip "the server did not start"
fi
started=1
export DRILL_TEST_PG="host=$dir port=$port user=$owner"
export DRILL_TEST_PG_CTL="$as_owner $bindir/pg_ctl -D $dir/data -l $dir/server.log -w"
export DRILL_TEST_PG_BIN="$bindir"
echo "pg_env.sh: PostgreSQL $("$bindir/postgres" --version | awk "{print \$3}") on $dir (socket only), running: $*"
"$@"
