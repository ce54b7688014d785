# Exit 8, "temporarily unavailable, try again": the store busy past the
# timeout (another writer holds the lock), a PostgreSQL server that refuses
# the connection.  A retrying CI job loops on 8 and on nothing else: 5 stays
# "--expect mismatch or a name taken", 7 a store that will not open however
# often one tries.  Nothing is changed by a command that exits 8.
. "$(dirname "$0")/lib.sh"

# hold_lock: hold the writers' lock of the store under test from another
# process (SQLite: BEGIN IMMEDIATE; PostgreSQL: the advisory lock aiproj
# takes) until release_lock
LOCK_KEY=$((0x41495052))
hold_lock() {
	rm -f "$T_DIR/release"
	mkfifo "$T_DIR/release"
	if is_file_store; then
		# (.timeout: the poll below may hold the lock for a moment)
		{ printf '.timeout 5000\nBEGIN IMMEDIATE;\n'; cat "$T_DIR/release"; printf 'ROLLBACK;\n'; } |
			sqlite3 "$AIPROJ_DB" >/dev/null &
	else
		{ printf 'BEGIN;\nSELECT pg_advisory_xact_lock(%s);\n' "$LOCK_KEY"; cat "$T_DIR/release"; printf 'ROLLBACK;\n'; } |
			_psql "$AIPROJ_DB" >/dev/null &
	fi
	HOLDER=$!
	# wait until the lock is taken
	_n=0
	while [ $_n -lt 100 ]; do
		if is_file_store; then
			sqlite3 "$AIPROJ_DB" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null || return 0
		else
			[ "$(_psql "$AIPROJ_DB" -c "SELECT pg_try_advisory_xact_lock($LOCK_KEY)")" = f ] && return 0
		fi
		sleep 0.1
		_n=$((_n + 1))
	done
	echo "t_unavailable.sh: the lock was never taken" >&2
}
release_lock() {
	echo >"$T_DIR/release"
	wait "$HOLDER"
}

run init
run project create p1
run kpi add p1 acc --target '>= 0.9'
expect_rc 0

begin "a write while another process holds the store: exit 8 after the busy timeout, nothing changed"
snap
hold_lock
runsh 'AIPROJ_BUSY_TIMEOUT=200 "$AIPROJ" stage advance p1 --force --reason busy'
expect_rc 8
expect_out ""
expect_err "aiproj: error: store '$AIPROJ_DB' is busy: another aiproj kept it locked past the timeout; try again"
runsh 'AIPROJ_BUSY_TIMEOUT=0 "$AIPROJ" kpi record p1 acc 0.5'
expect_rc 8
expect_one_line_error
runsh 'AIPROJ_BUSY_TIMEOUT=0 "$AIPROJ" --format json project create p2'
expect_rc 8
expect_out ""
_got=$(printf '%s' "$ERR" | jq -r '.error.code') || _fail "stderr is not JSON"
[ "$_got" = 8 ] || _fail "JSON error code '$_got', expected 8"
# reads are not blocked
run stage show p1
expect_rc 0
run stage check p1 --is 1
expect_rc 0
release_lock
expect_unchanged
# once the lock is gone the same command goes through
runsh 'AIPROJ_BUSY_TIMEOUT=200 "$AIPROJ" stage advance p1 --force --reason busy'
expect_rc 0

begin "the retry recipe: loop while the exit is 8, then the command's own answer"
hold_lock
( sleep 1; release_lock ) &
rc=8
tries=0
while [ "$rc" = 8 ] && [ "$tries" -lt 50 ]; do
	runsh 'AIPROJ_BUSY_TIMEOUT=100 "$AIPROJ" stage advance p1 --force --reason retried --expect data-preparation'
	rc=$RC
	tries=$((tries + 1))
done
wait
expect_rc 0
[ "$tries" -gt 1 ] || _fail "the first try went through: the lock was not held"
expect_out "p1: data-preparation -> prototyping-testing (forced: retried)"
# and --expect keeps its own 5 after the move
runsh 'AIPROJ_BUSY_TIMEOUT=100 "$AIPROJ" stage advance p1 --force --reason retried --expect data-preparation'
expect_rc 5
expect_err "aiproj: error: project 'p1' is at 'prototyping-testing', not at 'data-preparation' as expected"

begin "a PostgreSQL server that refuses the connection: exit 8"
# port 1 on the loopback: nothing listens there
run --db postgresql://aiproj@127.0.0.1:1/aiproj project list
expect_rc 8
expect_out ""
expect_err "aiproj: error: store 'postgresql://aiproj@127.0.0.1:1/aiproj' is unavailable: connection to server at \"127.0.0.1\", port 1 failed: Connection refused; try again"
run --db postgresql://aiproj@127.0.0.1:1/aiproj project create x
expect_rc 8
expect_one_line_error
# a Unix socket directory where no server runs
run --db "postgresql:///aiproj?host=$T_DIR" stage check x --is 1
expect_rc 8
expect_err_has "is unavailable: connection to server on socket"
expect_err_has "; try again"

begin "a server that answers but will not let us in is no 'try again': exit 7"
if is_file_store; then
	T_FAILED=skip # (a server store's test: needs the server)
else
	run --db "${AIPROJ_E2E_PG%/*}/e2e_no_such_database_here" project list
	expect_rc 7
	expect_err_has "database \"e2e_no_such_database_here\" does not exist"
fi

finish
