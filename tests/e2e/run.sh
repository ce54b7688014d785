#!/bin/sh
# run.sh [t_FILE.sh...] - run the end-to-end tests against $AIPROJ and print
# "e2e: N passed, M failed".  Exits non-zero when any test failed.
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
while read -r p f; do
	pass=$((pass + p))
	fail=$((fail + f))
done <"$E2E_RESULTS"
rm -f "$E2E_RESULTS"
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
