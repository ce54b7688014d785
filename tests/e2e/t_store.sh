# The store: where it lives, how it is created, and what it refuses to touch.
. "$(dirname "$0")/lib.sh"

# cmp FILE against its copy FILE.orig
expect_same_bytes() {
	cmp -s "$1" "$1.orig" || _fail "file bytes changed: $1"
}
expect_mode() {
	_m=$(stat -c %a "$1" 2>/dev/null)
	[ "$_m" = "$2" ] || _fail "mode of $1 is '$_m', expected $2"
}
expect_missing() {
	[ ! -e "$1" ] || _fail "exists but should not: $1"
}

# ---- location precedence ----

begin "--db beats AIPROJ_DB"
runsh "AIPROJ_DB='$T_DIR/env1.db' \"\$AIPROJ\" --db '$T_DIR/opt1.db' init"
expect_rc 0
expect_err ""
expect_out "Initialized empty aiproj store at $T_DIR/opt1.db"
[ -f "$T_DIR/opt1.db" ] || _fail "opt1.db not created"
expect_missing "$T_DIR/env1.db"

begin "AIPROJ_DB beats XDG_DATA_HOME"
mkdir -p "$T_DIR/h2"
runsh "AIPROJ_DB='$T_DIR/env2.db' XDG_DATA_HOME='$T_DIR/xdg2' HOME='$T_DIR/h2' \"\$AIPROJ\" init"
expect_rc 0
expect_err ""
expect_out "Initialized empty aiproj store at $T_DIR/env2.db"
[ -f "$T_DIR/env2.db" ] || _fail "env2.db not created"
expect_missing "$T_DIR/xdg2"
expect_missing "$T_DIR/h2/.local"

begin "XDG_DATA_HOME beats HOME; new directories 0700, file 0600"
mkdir -p "$T_DIR/h3"
runsh "unset AIPROJ_DB; umask 000; XDG_DATA_HOME='$T_DIR/xdg3' HOME='$T_DIR/h3' \"\$AIPROJ\" init"
expect_rc 0
expect_err ""
expect_out "Initialized empty aiproj store at $T_DIR/xdg3/aiproj/aiproj.db"
expect_mode "$T_DIR/xdg3" 700
expect_mode "$T_DIR/xdg3/aiproj" 700
expect_mode "$T_DIR/xdg3/aiproj/aiproj.db" 600
expect_missing "$T_DIR/h3/.local"

begin "HOME/.local/share/aiproj/aiproj.db last; new directories 0700, file 0600"
mkdir -p "$T_DIR/h4"
runsh "unset AIPROJ_DB XDG_DATA_HOME; umask 000; HOME='$T_DIR/h4' \"\$AIPROJ\" init"
expect_rc 0
expect_err ""
expect_out "Initialized empty aiproj store at $T_DIR/h4/.local/share/aiproj/aiproj.db"
expect_mode "$T_DIR/h4/.local" 700
expect_mode "$T_DIR/h4/.local/share" 700
expect_mode "$T_DIR/h4/.local/share/aiproj" 700
expect_mode "$T_DIR/h4/.local/share/aiproj/aiproj.db" 600

begin "the default store is the one later commands use"
runsh "unset AIPROJ_DB XDG_DATA_HOME; HOME='$T_DIR/h4' \"\$AIPROJ\" project create athome"
expect_rc 0
runsh "unset AIPROJ_DB; XDG_DATA_HOME='' HOME='$T_DIR/h4' \"\$AIPROJ\" project list --format json"
expect_rc 0
jq_out '[.projects[].project] | join(",")' athome
run --db "$T_DIR/h4/.local/share/aiproj/aiproj.db" project list --format json
jq_out '[.projects[].project] | join(",")' athome

begin "existing directories keep their mode"
mkdir -p "$T_DIR/h5/.local/share"
chmod 755 "$T_DIR/h5/.local" "$T_DIR/h5/.local/share"
runsh "unset AIPROJ_DB XDG_DATA_HOME; HOME='$T_DIR/h5' \"\$AIPROJ\" init"
expect_rc 0
expect_mode "$T_DIR/h5/.local" 755
expect_mode "$T_DIR/h5/.local/share" 755
expect_mode "$T_DIR/h5/.local/share/aiproj" 700

begin "a relative XDG_DATA_HOME is ignored (XDG spec): HOME is used"
mkdir -p "$T_DIR/h6" "$T_DIR/cwd6"
runsh "cd '$T_DIR/cwd6' && unset AIPROJ_DB && XDG_DATA_HOME=rel HOME='$T_DIR/h6' \"\$AIPROJ\" init"
expect_rc 0
expect_out "Initialized empty aiproj store at $T_DIR/h6/.local/share/aiproj/aiproj.db"
expect_missing "$T_DIR/cwd6/rel"

begin "--db with a new file: mode 0600 even with umask 000"
runsh "umask 000; \"\$AIPROJ\" --db '$T_DIR/um.db' project create m1"
expect_rc 0
expect_mode "$T_DIR/um.db" 600

begin "init prints the path; a second init says it is ready and changes nothing"
run init
expect_rc 0
expect_err ""
expect_out "$FIRST_INIT"
snap
run init
expect_rc 0
expect_err ""
expect_out "aiproj store at $AIPROJ_DB is ready"
expect_unchanged

begin "init --format json: store, created"
run --format json --db "$T_DIR/j.db" init
expect_rc 0
jq_out '.aiproj' 1
jq_out '.store' "$T_DIR/j.db"
jq_out '.created' true
run --format json --db "$T_DIR/j.db" init
jq_out '.created' false

# ---- files that are not (usable) aiproj stores ----

begin "a text file as --db: exit 7, one-line error, bytes unchanged"
printf 'hello, I am a text file\n' >"$T_DIR/text.db"
cp "$T_DIR/text.db" "$T_DIR/text.db.orig"
snap "$T_DIR/text.db"
for cmd in "project list" "project create x" "init"; do
	# shellcheck disable=SC2086
	run --db "$T_DIR/text.db" $cmd
	expect_rc 7
	expect_out ""
	expect_one_line_error
	expect_err "aiproj: error: '$T_DIR/text.db' is not an aiproj store (not an SQLite database)"
done
expect_same_bytes "$T_DIR/text.db"
expect_unchanged "$T_DIR/text.db"

begin "an SQLite database that is not an aiproj store: exit 7, unchanged"
sqlite3 "$T_DIR/foreign.db" 'create table t(x); insert into t values (42)'
cp "$T_DIR/foreign.db" "$T_DIR/foreign.db.orig"
snap "$T_DIR/foreign.db"
for cmd in "project list" "project create x" "init"; do
	# shellcheck disable=SC2086
	run --db "$T_DIR/foreign.db" $cmd
	expect_rc 7
	expect_out ""
	expect_one_line_error
	expect_err_has "'$T_DIR/foreign.db' is an SQLite database but not an aiproj store"
done
expect_same_bytes "$T_DIR/foreign.db"
expect_unchanged "$T_DIR/foreign.db"
[ "$(sqlite3 "$T_DIR/foreign.db" 'select name from sqlite_master')" = t ] ||
	_fail "foreign database gained objects"

begin "a store with a newer schema (user_version 99): exit 7, unchanged"
run --db "$T_DIR/newer.db" project create keep
expect_rc 0
sqlite3 "$T_DIR/newer.db" 'pragma user_version=99'
cp "$T_DIR/newer.db" "$T_DIR/newer.db.orig"
snap "$T_DIR/newer.db"
for cmd in "project list" "project create x" "project show keep" "init"; do
	# shellcheck disable=SC2086
	run --db "$T_DIR/newer.db" $cmd
	expect_rc 7
	expect_out ""
	expect_one_line_error
	expect_err_has "schema version 99"
	expect_err_has "$T_DIR/newer.db"
done
expect_same_bytes "$T_DIR/newer.db"
expect_unchanged "$T_DIR/newer.db"
[ "$(sqlite3 "$T_DIR/newer.db" 'pragma user_version')" = 99 ] || _fail "user_version changed"

begin "a truncated (corrupt) store: exit 7, unchanged"
run --db "$T_DIR/trunc-src.db" project create c1
head -c 45056 "$T_DIR/trunc-src.db" >"$T_DIR/trunc.db"
cp "$T_DIR/trunc.db" "$T_DIR/trunc.db.orig"
snap "$T_DIR/trunc.db"
for cmd in "project list" "project create x"; do
	# shellcheck disable=SC2086
	run --db "$T_DIR/trunc.db" $cmd
	expect_rc 7
	expect_out ""
	expect_one_line_error
	expect_err_has "$T_DIR/trunc.db"
done
expect_same_bytes "$T_DIR/trunc.db"
expect_unchanged "$T_DIR/trunc.db"

begin "a directory as --db: exit 7, nothing created in it"
mkdir "$T_DIR/adir"
run --db "$T_DIR/adir" project list
expect_rc 7
expect_out ""
expect_one_line_error
expect_err "aiproj: error: cannot open store '$T_DIR/adir': it is a directory"
[ -z "$(ls -A "$T_DIR/adir")" ] || _fail "directory gained files"
expect_missing "$T_DIR/adir-wal"
expect_missing "$T_DIR/adir-journal"

begin "a device as --db: exit 7"
run --db /dev/null project list
expect_rc 7
expect_out ""
expect_one_line_error

begin "--db '' is a usage error (exit 2)"
run --db '' project list
expect_rc 2
expect_out ""
expect_one_line_error
expect_err_has "empty"
run --db= init
expect_rc 2
expect_one_line_error

begin "--db in a directory that does not exist: a read is exit 7, creates nothing"
run --db "$T_DIR/no/such/dir/s.db" project list
expect_rc 7
expect_out ""
expect_one_line_error
expect_err_has "$T_DIR/no/such/dir/s.db"
expect_missing "$T_DIR/no"

begin "refused input does not create a missing store (nothing is written)"
run --db "$T_DIR/never.db" project create 'bad name'
expect_rc 2
expect_one_line_error
expect_missing "$T_DIR/never.db"

# ---- failed commands leave the store byte-identical ----

begin "failed commands leave the store byte-identical"
run project create base
expect_rc 0
snap
run project create base
expect_rc 5
expect_unchanged
run project hold nope --reason r
expect_rc 3
expect_unchanged
run project hold base
expect_rc 2
expect_unchanged
run project resume base
expect_rc 4
expect_unchanged
run project create 'a b'
expect_rc 2
expect_unchanged
run project list --stage nosuch
expect_rc 2
expect_unchanged

# ---- a read-only store ----

# runs as an unprivileged user when we are root (root ignores file modes)
RO_AS=""
RO_OK=1
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1 &&
		setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
		RO_AS="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	else
		RO_OK=0
	fi
fi

if [ "$RO_OK" = 1 ]; then
	chmod 755 "$T_DIR"
	mkdir "$T_DIR/ro"
	run --db "$T_DIR/ro/s.db" project create ro1
	chmod 444 "$T_DIR/ro/s.db"
	chmod 755 "$T_DIR/ro"
	cp "$T_DIR/ro/s.db" "$T_DIR/ro.orig"

	begin "a read-only store: a write is refused with exit 7, store unchanged"
	snap "$T_DIR/ro/s.db"
	runsh "$RO_AS \"\$AIPROJ\" --db '$T_DIR/ro/s.db' project create ro2"
	expect_rc 7
	expect_out ""
	expect_one_line_error
	expect_err_has "read-only"
	expect_err_has "$T_DIR/ro/s.db"
	expect_unchanged "$T_DIR/ro/s.db"
	cmp -s "$T_DIR/ro/s.db" "$T_DIR/ro.orig" || _fail "store bytes changed"

	# SQLite needs the -shm file to read a WAL store; in a directory it may
	# not write, a read may fail.  Either it works or it fails clearly.
	begin "a read-only store: a read works or fails clearly (exit 7), unchanged"
	runsh "$RO_AS \"\$AIPROJ\" --db '$T_DIR/ro/s.db' project list"
	if [ "$RC" = 0 ]; then
		expect_out_has "ro1"
		echo "  note: read-only store served 'project list'" >&2
	else
		expect_rc 7
		expect_out ""
		expect_one_line_error
		expect_err_has "read-only"
		echo "  note: read-only store refused 'project list': $ERR" >&2
	fi
	expect_unchanged "$T_DIR/ro/s.db"
	cmp -s "$T_DIR/ro/s.db" "$T_DIR/ro.orig" || _fail "store bytes changed"
	chmod 700 "$T_DIR"
else
	echo "  skip: read-only store tests (running as root without setpriv)" >&2
fi

finish
