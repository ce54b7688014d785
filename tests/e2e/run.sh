#!/bin/sh
# run.sh [t_FILE.sh...] - run the end-to-end tests against $AIPROJ and print
# "e2e: N passed, M failed" (", K skipped" when some were).  Exits non-zero
# when any test failed.  With $AIPROJ_E2E_PG set (see lib.sh) the store is
# a PostgreSQL database; tests of what only a file store has are skipped.
set -u
: "${AIPROJ:?set AIPROJ to the aiproj binary}"
here=$(cd "$(dirname "$0")" && pwd)
E2E_RESULTS=$(mktemp)
export E2E_RESULTS AIPROJ
files=${*:-$(ls "$here"/t_*.sh)}
for f in $files; do
	printf '%s\n' "-- $(basename "$f")"
	sh "$f" || echo "0 1" >>"$E2E_RESULTS" # a file that dies counts as a failure
done
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
