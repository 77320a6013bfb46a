#!/bin/sh
# check-abi: the shared library's ABI against the baseline kept in the
# repository (abi/libdrill.abi, written by `make abi-update` with abidw from
# Debian's abigail-tools). Run by `make check-abi` as
#   sh tests/check_abi.sh BASELINE LIBRARY HEADERS-DIR MAJOR OUT.abi
# Fails when
#   - abidiff finds an incompatible change (a removed function, a changed
#     parameter or return type, a struct changed other than by growing at
#     its end): that needs a new SONAME major, never a silent release;
#   - the ABI differs from the baseline at all (added functions, grown
#     structs included): run `make abi-update` and describe the change in
#     CHANGELOG.md in the same commit;
#   - the baseline was changed without CHANGELOG.md (in a git checkout: the
#     last commit that changed it, or the uncommitted work tree);
#   - a symbol is exported outside the version node LIBDRILL_MAJOR.
set -u
baseline=$1 lib=$2 headers=$3 major=$4 current=$5
ABIDW_FLAGS="--headers-dir $headers --drop-private-types --drop-undefined-syms --no-corpus-path --no-comp-dir-path \
--no-show-locs --no-elf-needed --type-id-style hash"
failed=0

[ -f "$baseline" ] || { echo "check-abi: no baseline $baseline (make abi-update writes it)"; exit 1; }
# shellcheck disable=SC2086 # a list of flags
abidw $ABIDW_FLAGS --out-file "$current" "$lib" || { echo "check-abi: abidw failed on $lib"; exit 1; }

abidiff "$baseline" "$current" >"$current.diff" 2>&1
rc=$?
if [ $((rc & 3)) -ne 0 ]; then
    echo "check-abi: abidiff failed (exit $rc):"
    cat "$current.diff"
    exit 1
fi
if [ $((rc & 8)) -ne 0 ]; then
    echo "check-abi: INCOMPATIBLE ABI change against $baseline (abidiff):"
    sed 's/^/    /' "$current.diff"
    echo "    programs built against the baseline would break: keep the old function (add a _v2 one),"
    echo "    or raise DRILL_VERSION_MAJOR (a new SONAME) and then run make abi-update"
    failed=1
elif ! cmp -s "$baseline" "$current"; then
    echo "check-abi: the ABI differs from $baseline:"
    if [ -s "$current.diff" ] && ! grep -q '^Functions changes summary: 0 Removed, 0 Changed, 0 Added' "$current.diff"; then
        sed 's/^/    /' "$current.diff"
    else # a change abidiff files as harmless (a versioned struct grown at its end)
        diff "$baseline" "$current" | head -40 | sed 's/^/    /'
    fi
    echo "    if intended: make abi-update, and describe the change in CHANGELOG.md in the same commit"
    failed=1
fi

# which structs may grow: only versioned ones (libdrill/abi.h): the library
# reads of a caller's struct, and writes into one it fills, only the bytes
# of the caller's version (libdrill/abi.c); every other public struct
# (drill_date, drill_error) is frozen within a SONAME major
struct_sizes() {
    grep -o "<class-decl name='drill_[a-z0-9_]*' size-in-bits='[0-9]*'" "$1" |
        sed "s/.*name='\([^']*\)' size-in-bits='\([0-9]*\)'/\1 \2/" | sort -u
}
struct_sizes "$baseline" >"$current.old"
struct_sizes "$current" >"$current.new"
join "$current.old" "$current.new" >"$current.sizes"
while read -r name old new; do
    [ "$old" = "$new" ] && continue
    why=""
    if [ "$new" -lt "$old" ]; then
        why="it shrank"
    elif ! grep -q "X($name," libdrill/abi.h; then
        why="it is not a versioned struct (libdrill/abi.h), so the library cannot tell an older caller's size"
    fi
    if [ -n "$why" ]; then
        echo "check-abi: INCOMPATIBLE: struct $name changed size ($old -> $new bits): $why;"
        echo "    add a new struct and a _v2 function, or raise DRILL_VERSION_MAJOR"
        failed=1
    fi
done <"$current.sizes"

# the baseline changes only together with CHANGELOG.md
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && git ls-files --error-unmatch "$baseline" >/dev/null 2>&1; then
    if ! git diff --quiet HEAD -- "$baseline" && git diff --quiet HEAD -- CHANGELOG.md; then
        echo "check-abi: $baseline is changed in the work tree but CHANGELOG.md is not"
        failed=1
    fi
    last=$(git log -1 --format=%H -- "$baseline")
    # what that commit changed against its first parent (a merge too); all of it for the first commit
    changed=$(git diff --name-only "$last^1" "$last" 2>/dev/null || git show --name-only --format= "$last")
    if [ -n "$last" ] && ! printf '%s\n' "$changed" | grep -qx CHANGELOG.md; then
        echo "check-abi: commit $(git log -1 --format='%h %s' "$last" | cut -c1-70) changed $baseline without CHANGELOG.md"
        failed=1
    fi
fi

# every exported symbol is in the version node of the SONAME major
bad=$(objdump -T "$lib" | awk '$2 == "g" && $0 !~ /\*UND\*/ && $0 !~ /\*ABS\*/ { print $(NF-1), $NF }' | grep -v "^LIBDRILL_$major drill_" || true)
if [ -n "$bad" ]; then
    echo "check-abi: exported outside LIBDRILL_$major (libdrill/libdrill.map):"
    echo "$bad" | sed 's/^/    /'
    failed=1
fi
if [ $failed -eq 0 ]; then
    echo "check-abi: $(grep -c '<elf-symbol ' "$current") symbols, the same ABI as $baseline, all in LIBDRILL_$major"
fi
exit $failed
