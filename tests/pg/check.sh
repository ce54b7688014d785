#!/bin/sh
# check.sh BINARY... - every test that runs against a PostgreSQL store, for
# each binary given (plain, ASan, ...).  A unit test (build/test_store) runs
# its store tests a second time on a new database; for an aiproj binary:
#
#   1. the whole end-to-end suite (tests/e2e/run.sh with $AIPROJ_E2E_PG set:
#      each test file gets a database of its own; what only a file store
#      has is skipped, and counted);
#   2. tests/pg/compare.sh: the same commands on an SQLite file and on
#      PostgreSQL give the same stdout, stderr and exit codes;
#   3. tests/pg/policy.sh: the policy the server enforces, with real login
#      roles (it needs the cluster's superuser: cluster.sh psql).
#
# With $AIPROJ_PG_URL unset it starts a throwaway cluster with
# tests/pg/cluster.sh for the whole run and stops it at the end; otherwise
# $AIPROJ_PG_URL is a role that may CREATE DATABASE.  `make check-pg` runs
# it for build/test_store, build/aiproj and their ASan builds.  Exits non-zero when any test
# failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 BINARY..." >&2; exit 2; }

started=0
# shellcheck disable=SC2317 # run by the trap below
cleanup() { [ "$started" = 1 ] && sh "$here/cluster.sh" stop; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${AIPROJ_PG_URL:-}" ]; then
	AIPROJ_PG_URL=$(sh "$here/cluster.sh" start) || {
		echo "check-pg: cannot start a PostgreSQL cluster (see above)" >&2
		exit 2
	}
	started=1
fi
export AIPROJ_PG_URL
echo "== PostgreSQL store: $AIPROJ_PG_URL ($(psql -X -t -A -c 'SHOW server_version' "$AIPROJ_PG_URL" 2>&1))"

rc=0
for bin in "$@"; do
	case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
	[ -x "$bin" ] || { echo "check-pg: no binary at $bin" >&2; exit 2; }
	case $(basename "$bin") in
	test_*)
		echo "== unit tests on PostgreSQL: $bin"
		"$bin" || rc=1
		continue
		;;
	esac
	echo "== end-to-end on PostgreSQL: $bin"
	AIPROJ=$bin AIPROJ_E2E_PG=$AIPROJ_PG_URL sh "$here/../e2e/run.sh" || rc=1
	echo "== SQLite and PostgreSQL side by side: $bin"
	AIPROJ=$bin sh "$here/compare.sh" || rc=1
	echo "== the policy the server enforces, with real roles: $bin"
	AIPROJ=$bin sh "$here/policy.sh" || rc=1
done
exit $rc
