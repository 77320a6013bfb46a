# Shared by the drillctl suites (tests/test_cli.sh, tests/test_cli_store.sh),
# sourced after they set DRILLCTL, RUNNER, tmp, checks and failed: running
# drillctl and checking what it did.

fail() {
    failed=$((failed + 1))
    printf 'FAIL: %s\n' "$*"
}

# dc ARGS: drillctl under the runner, stdout to $tmp/out, stderr to $tmp/err
dc() {
    # shellcheck disable=SC2086 # the runner is a command line
    $RUNNER "$DRILLCTL" "$@" >"$tmp/out" 2>"$tmp/err"
}

# expect STATUS ARGS: run drillctl, check its exit status
expect() {
    want=$1
    shift
    checks=$((checks + 1))
    dc "$@"
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "drillctl $*: exit $got, want $want"
        sed 's/^/    /' "$tmp/err" | head -20
    fi
}

# out TEXT / err TEXT: the last run's stdout / stderr has a line containing TEXT
out() {
    checks=$((checks + 1))
    grep -qF -- "$1" "$tmp/out" || { fail "stdout of the last command lacks '$1'"; sed 's/^/    /' "$tmp/out" | head -20; }
}
# a whole line of stdout
outline() {
    checks=$((checks + 1))
    grep -qxF -- "$1" "$tmp/out" || { fail "stdout of the last command lacks the line '$1'"; sed 's/^/    /' "$tmp/out" | head -20; }
}
err() {
    checks=$((checks + 1))
    grep -qF -- "$1" "$tmp/err" || { fail "stderr of the last command lacks '$1'"; sed 's/^/    /' "$tmp/err" | head -20; }
}
quiet() { # nothing on stderr: no progress when it is not a terminal, no runner complaints
    checks=$((checks + 1))
    [ ! -s "$tmp/err" ] || { fail "stderr of the last command is not empty"; head -5 "$tmp/err"; }
}
equal() { # equal WHAT GOT WANT
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: '$2', want '$3'"
}

