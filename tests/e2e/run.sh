#!/bin/sh
# run.sh [t_FILE.sh...] - run the end-to-end tests against $AIPROJ and print
# "e2e: N passed, M failed" (", K skipped" when some were).  Exits non-zero
# when any test failed.  With $AIPROJ_E2E_PG set (see lib.sh) the store is
# a PostgreSQL database; tests of what only a file store has are skipped.
#
# The files run $E2E_JOBS at a time (default: the number of processors);
# each file's output is printed whole when it ends, so files never
# interleave.  Every file has its own directory and, on PostgreSQL, its own
# database (lib.sh), so they do not see each other.
set -u
: "${AIPROJ:?set AIPROJ to the aiproj binary}"
here=$(cd "$(dirname "$0")" && pwd)

# --one FILE (run by xargs below): one file, its output kept, then printed
# whole under a lock; a file that dies counts as a failure
if [ "${1:-}" = --one ]; then
	_o=$E2E_OUT/$(basename "$2").out
	{
		printf '%s\n' "-- $(basename "$2")"
		sh "$2" 2>&1 || echo "0 1" >>"$E2E_RESULTS"
	} >"$_o"
	if command -v flock >/dev/null; then
		flock "$E2E_OUT" cat "$_o"
	else
		cat "$_o"
	fi
	exit 0
fi

E2E_RESULTS=$(mktemp)
out=$(mktemp -d)
export E2E_RESULTS AIPROJ
files=${*:-$(ls "$here"/t_*.sh)}
jobs=${E2E_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac

if [ "$jobs" -le 1 ]; then
	for f in $files; do
		printf '%s\n' "-- $(basename "$f")"
		sh "$f" || echo "0 1" >>"$E2E_RESULTS"
	done
else
	E2E_OUT=$out
	export E2E_OUT
	# shellcheck disable=SC2086 # one file a word
	printf '%s\n' $files | xargs -P "$jobs" -I{} sh "$here/run.sh" --one {}
fi
rm -rf "$out"
pass=0
fail=0
skip=0
while read -r p f s; do
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + ${s:-0}))
done <"$E2E_RESULTS"
rm -f "$E2E_RESULTS"
backend=
[ -n "${AIPROJ_E2E_PG:-}" ] && backend=" (PostgreSQL store)"
if [ "$skip" -gt 0 ]; then
	echo "e2e$backend: $pass passed, $fail failed, $skip skipped"
else
	echo "e2e$backend: $pass passed, $fail failed"
fi
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
