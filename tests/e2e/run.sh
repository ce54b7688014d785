#!/bin/sh
# run.sh [t_FILE.sh...] - run the end-to-end tests against $AIPROJ and print
# "e2e: N passed, M failed" (", K skipped" when some were).  Exits non-zero
# when any test failed.  With $AIPROJ_E2E_PG set (see lib.sh) the store is
# a PostgreSQL database; tests of what only a file store has are skipped.
#
# The files run $E2E_JOBS at a time (default: the number of processors;
# E2E_JOBS=1 runs them one after another, their output as it comes); each
# file's output is printed whole when it ends, so files never interleave.
# Every file has its own directory and, on PostgreSQL, its own database
# (lib.sh), so they do not see each other.  A file that dies, or ends
# without its counts (lib.sh's finish), counts as a failure, and so does a
# file that never ran.
set -u
: "${AIPROJ:?set AIPROJ to the aiproj binary}"
here=$(cd "$(dirname "$0")" && pwd)

# --one N FILE (run by xargs below): file number N, its output kept and
# then printed whole under a lock, its counts in $E2E_OUT/N.res
if [ "${1:-}" = --one ]; then
	E2E_RESULTS=$E2E_OUT/$2.res
	export E2E_RESULTS
	{
		printf '%s\n' "-- $(basename "$3")"
		sh "$3" 2>&1
	} >"$E2E_OUT/$2.out"
	if command -v flock >/dev/null; then
		flock "$E2E_OUT" cat "$E2E_OUT/$2.out"
	else
		cat "$E2E_OUT/$2.out"
	fi
	exit 0
fi

E2E_OUT=$(mktemp -d)
export E2E_OUT AIPROJ
trap 'rm -rf "$E2E_OUT"' EXIT
trap 'exit 130' INT TERM
files=${*:-$(ls "$here"/t_*.sh)}
jobs=${E2E_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac

# the files numbered, a line each: "N FILE"
n=0
for f in $files; do
	n=$((n + 1))
	printf '%s\n%s\n' "$n" "$f"
done >"$E2E_OUT/list"

if [ "$jobs" -le 1 ]; then
	while read -r i && read -r f; do
		printf '%s\n' "-- $(basename "$f")"
		E2E_RESULTS=$E2E_OUT/$i.res sh "$f" </dev/null
	done <"$E2E_OUT/list"
else
	# (one argument a line, no quote processing; a file that never ran
	# is found below by its missing counts)
	xargs -d '\n' -n 2 -P "$jobs" sh "$here/run.sh" --one <"$E2E_OUT/list" ||
		echo "run.sh: xargs stopped (exit $?): files may not have run" >&2
fi

pass=0
fail=0
skip=0
i=0
for f in $files; do
	i=$((i + 1))
	if [ ! -s "$E2E_OUT/$i.res" ]; then
		echo "FAIL: $(basename "$f"): ended without its counts (died, or never ran)"
		fail=$((fail + 1))
		continue
	fi
	while read -r p fl s; do
		pass=$((pass + p))
		fail=$((fail + fl))
		skip=$((skip + ${s:-0}))
	done <"$E2E_OUT/$i.res"
done
backend=
[ -n "${AIPROJ_E2E_PG:-}" ] && backend=" (PostgreSQL store)"
if [ "$skip" -gt 0 ]; then
	echo "e2e$backend: $pass passed, $fail failed, $skip skipped"
else
	echo "e2e$backend: $pass passed, $fail failed"
fi
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
