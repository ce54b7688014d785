#!/bin/sh
# cluster.sh start|stop|status|url|psql - a throwaway PostgreSQL cluster for
# the PostgreSQL store's tests (tests/pg/compare.sh, .ci/run).
#
#   start   initdb + pg_ctl start, listening on 127.0.0.1 only; creates the
#           test role (trust on loopback, CREATEDB) with its own database,
#           and a role with a password (to check that it is never shown).
#           Prints the test role's URL on stdout.
#   stop    stop the server and remove the cluster's directory.
#   status  exit 0 when the server runs.
#   url     print the test role's URL.
#   psql ARGS...  psql as the superuser, over the cluster's socket.
#
# Settings (environment):
#   AIPROJ_PG_DIR   the cluster's directory    (default /tmp/aiproj-pg)
#   AIPROJ_PG_PORT  the TCP port on 127.0.0.1  (default 54329)
#   AIPROJ_PG_OSUSER  who runs the server when started as root (default
#                   postgres, else nobody); the server never runs as root.
#   PGBIN           the server binaries (default: pg_config --bindir, else
#                   /usr/lib/postgresql/15/bin)
set -eu
cmd=${1:-}
dir=${AIPROJ_PG_DIR:-/tmp/aiproj-pg}
port=${AIPROJ_PG_PORT:-54329}
role=aiproj_test
pwrole=aiproj_pw
pwsecret=aiproj-Secret-pw1

if [ -z "${PGBIN:-}" ]; then
	PGBIN=/usr/lib/postgresql/15/bin
	for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
		[ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { PGBIN=$d; break; }
	done
fi

# run a command as the cluster's owner (never as root)
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		osuser=${AIPROJ_PG_OSUSER:-}
		if [ -z "$osuser" ]; then
			if id postgres >/dev/null 2>&1; then osuser=postgres; else osuser=nobody; fi
		fi
		setpriv --reuid="$osuser" --regid="$(id -g "$osuser")" --init-groups \
			env HOME="$dir" "$@"
	else
		"$@"
	fi
}

url() { printf 'postgresql://%s@127.0.0.1:%s/%s\n' "$role" "$port" "$role"; }

running() { [ -f "$dir/data/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

su_psql() {
	as_owner "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$port" \
		-U postgres -d postgres "$@"
}

case $cmd in
start)
	if running; then url; exit 0; fi
	rm -rf "$dir"
	mkdir -p "$dir/sock"
	chmod 0700 "$dir"
	if [ "$(id -u)" = 0 ]; then
		osuser=${AIPROJ_PG_OSUSER:-}
		if [ -z "$osuser" ]; then
			if id postgres >/dev/null 2>&1; then osuser=postgres; else osuser=nobody; fi
		fi
		chown -R "$osuser" "$dir"
	fi
	as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 \
		--no-locale --auth-local=trust --auth-host=reject \
		--no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	# loopback only: the test role is trusted, everyone else needs a
	# password
	cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
host all $role 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
HBA
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
		start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	su_psql <<SQL
CREATE ROLE $role LOGIN CREATEDB;
CREATE DATABASE $role OWNER $role;
SET password_encryption = 'scram-sha-256';
CREATE ROLE $pwrole LOGIN PASSWORD '$pwsecret';
CREATE DATABASE $pwrole OWNER $pwrole;
SQL
	url
	;;
stop)
	if running; then
		as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	fi
	rm -rf "$dir"
	;;
status)
	running
	;;
url)
	url
	;;
psql)
	shift
	su_psql "$@"
	;;
*)
	echo "usage: $0 start|stop|status|url|psql [ARGS...]" >&2
	exit 2
	;;
esac
