# Opening a store: a command that only reads never creates or converts
# anything; writes create a missing store whole (0600, new folders 0700);
# --db is a path, never a URI; a store read where it cannot be written
# leaves nothing beside it; parallel first commands all succeed.
. "$(dirname "$0")/lib.sh"

expect_mode() {
	_m=$(stat -c %a "$1" 2>/dev/null)
	[ "$_m" = "$2" ] || _fail "mode of $1 is '$_m', expected $2"
}
expect_missing() {
	[ ! -e "$1" ] && [ ! -L "$1" ] || _fail "exists but should not: $1"
}
# nothing in $T_DIR but what was there: no store, no -wal, -shm, temp file
expect_dir_listing() {
	_now=$(cd "$T_DIR" && ls -A | grep -v -e '^out$' -e '^err$' | tr '\n' ' ')
	[ "$_now" = "$1" ] || _fail "files in T_DIR: '$_now', expected '$1'"
}
nostore() {
	expect_err "aiproj: error: no aiproj store at '$1': 'aiproj init' creates one"
}

# a portfolio with one project, to import
mkport() {
	printf 'aiproj: 1\nprojects:\n- name: %s\n  stage: feasibility\n  status: active\n  entered_at: 2026-01-01T00:00:00.000Z\n  created_at: 2026-01-01T00:00:00.000Z\n' "$1"
}
mkport imp >"$T_DIR/imp.yaml"
run --db "$T_DIR/probe.db" import "$T_DIR/imp.yaml"
if [ "$RC" != 0 ]; then
	# the fixture follows the export format: make it with aiproj itself
	"$AIPROJ" --db "$T_DIR/fx.db" project create imp >/dev/null &&
		"$AIPROJ" --db "$T_DIR/fx.db" export imp >"$T_DIR/imp.yaml" ||
		{ echo "t_open: cannot make the import fixture" >&2; exit 1; }
fi
rm -f "$T_DIR/probe.db" "$T_DIR/fx.db"
# port NAME: imp.yaml with the project renamed
port() { sed "s/^- name: imp\$/- name: $1/" "$T_DIR/imp.yaml"; }
mkdir "$T_DIR/p"
BASE="home imp.yaml p"

# ---- a server store without aiproj's tables ----
if ! is_file_store; then
	# bare NAME: a new database without tables (cleaned up by finish)
	bare() {
		_psql "$AIPROJ_E2E_PG" -c "DROP DATABASE IF EXISTS ${T_PGDB}_$1" \
			-c "CREATE DATABASE ${T_PGDB}_$1" >/dev/null &&
			echo "${AIPROJ_E2E_PG%/*}/${T_PGDB}_$1"
	}
	tables() { _psql "$1" -c "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"; }

	begin "a database without aiproj's tables: reads exit 7, make no table"
	B=$(bare bare1)
	for cmd in "project list" "stage list" "report status" "export" \
		"stage advance x"; do
		# shellcheck disable=SC2086
		run --db "$B" $cmd
		expect_rc 7
		expect_out ""
		nostore "$B"
	done
	# a dry run tells what an import would make of the new store
	run --db "$B" import --dry-run "$T_DIR/imp.yaml"
	expect_rc 0
	expect_out "Would import $T_DIR/imp.yaml: 1 created, 0 replaced, 0 unchanged"
	[ "$(tables "$B")" = 0 ] || _fail "tables were made"

	begin "a database without tables: a failed first command makes no table"
	run --db "$B" project create 'a b'
	expect_rc 2
	printf 'aiproj: 1\nprojects: [\n' >"$T_DIR/bad.yaml"
	run --db "$B" import "$T_DIR/bad.yaml"
	expect_rc 6
	[ "$(tables "$B")" = 0 ] || _fail "tables were made"
	run --db "$B" init
	expect_rc 0
	expect_out "Initialized empty aiproj store at $B"
fi

if is_file_store; then
	# ---- a missing store file ----
	begin "reads of a missing store: exit 7 naming it, nothing created"
	for cmd in "project list" "project show x" "stage list" "report status" \
		"export" "policy show"; do
		# shellcheck disable=SC2086
		run --db "$T_DIR/p/a/b/s.db" $cmd
		expect_rc 7
		expect_out ""
		nostore "$T_DIR/p/a/b/s.db"
	done
	# a dry run tells what an import would make of the new store
	run --db "$T_DIR/p/a/b/s.db" import --dry-run "$T_DIR/imp.yaml"
	expect_rc 0
	expect_out "Would import $T_DIR/imp.yaml: 1 created, 0 replaced, 0 unchanged"
	expect_missing "$T_DIR/p/a"
	runsh "AIPROJ_DB='$T_DIR/p/env.db' \"\$AIPROJ\" project list"
	expect_rc 7
	nostore "$T_DIR/p/env.db"
	expect_missing "$T_DIR/p/env.db"
	expect_dir_listing "$BASE "

	begin "the default location: a read is exit 7, makes no folder"
	runsh "unset AIPROJ_DB XDG_DATA_HOME; HOME='$T_DIR/p/h' \"\$AIPROJ\" project list"
	expect_rc 7
	nostore "$T_DIR/p/h/.local/share/aiproj/aiproj.db"
	expect_missing "$T_DIR/p/h"
	runsh "unset AIPROJ_DB; XDG_DATA_HOME='$T_DIR/p/x' \"\$AIPROJ\" report status"
	expect_rc 7
	nostore "$T_DIR/p/x/aiproj/aiproj.db"
	expect_missing "$T_DIR/p/x"

	begin "a write that does not create: exit 7, nothing created"
	for cmd in "stage advance x" "kpi record x k 1" "project delete x" \
		"role assign x sponsor Ana"; do
		# shellcheck disable=SC2086
		run --db "$T_DIR/p/w.db" $cmd
		expect_rc 7
		expect_out ""
		nostore "$T_DIR/p/w.db"
	done
	expect_dir_listing "$BASE "

	begin "a first write makes the store 0600 and missing folders 0700"
	runsh "umask 000; \"\$AIPROJ\" --db '$T_DIR/p/n1/n2/s.db' project create x"
	expect_rc 0
	expect_err ""
	expect_mode "$T_DIR/p/n1" 700
	expect_mode "$T_DIR/p/n1/n2" 700
	expect_mode "$T_DIR/p/n1/n2/s.db" 600
	[ "$(ls -A "$T_DIR/p/n1/n2")" = s.db ] || _fail "other files: $(ls -A "$T_DIR/p/n1/n2")"
	[ "$(store_integrity "$T_DIR/p/n1/n2/s.db")" = ok ] || _fail "integrity"
	runsh "umask 000; cd '$T_DIR/p' && \"\$AIPROJ\" --db r1/r2.db init"
	expect_rc 0
	expect_out "Initialized empty aiproj store at r1/r2.db"
	expect_mode "$T_DIR/p/r1" 700
	expect_mode "$T_DIR/p/r1/r2.db" 600
	runsh "umask 000; unset AIPROJ_DB XDG_DATA_HOME; HOME='$T_DIR/p/h9' \"\$AIPROJ\" policy set open"
	expect_rc 0
	expect_mode "$T_DIR/p/h9/.local" 700
	expect_mode "$T_DIR/p/h9/.local/share/aiproj/aiproj.db" 600
	rm -rf "$T_DIR/p/n1" "$T_DIR/p/r1" "$T_DIR/p/h9"

	begin "a failed first command leaves no store and no folder behind"
	printf 'aiproj: 1\nprojects: [\n' >"$T_DIR/p/bad.yaml"
	run --db "$T_DIR/p/f1/s.db" import "$T_DIR/p/bad.yaml"
	expect_rc 6
	expect_out ""
	runsh "\"\$AIPROJ\" --db '$T_DIR/p/f1/s.db' import - <'$T_DIR/p/bad.yaml'"
	expect_rc 6
	expect_out ""
	run --db "$T_DIR/p/f1/s.db" init --lifecycle "$T_DIR/p/bad.yaml"
	expect_rc 6
	run --db "$T_DIR/p/f1/s.db" init --policy bad
	expect_rc 2
	run --db "$T_DIR/p/f1/s.db" project create 'a b'
	expect_rc 2
	run --db "$T_DIR/p/f1/s.db" policy set nobody
	expect_rc 2
	expect_missing "$T_DIR/p/f1"
	rm -f "$T_DIR/p/bad.yaml"
	expect_dir_listing "$BASE "

	begin "a path that names a directory makes no store and no folder"
	for db in "$T_DIR/p/d1/d2/" "$T_DIR/p/d1/." "$T_DIR/p/d1/.." "$T_DIR/p/"; do
		for cmd in init "project create x" "policy set open" "import $T_DIR/imp.yaml"; do
			# shellcheck disable=SC2086
			run --db "$db" $cmd
			expect_rc 7
			expect_out ""
			case $db in
			"$T_DIR/p/") ;; # an existing directory: it says so
			*) expect_err "aiproj: error: cannot create store '$db': the path names a directory, not a file (give a file name, such as '$db$(case $db in */) ;; *) printf / ;; esac)aiproj.db')" ;;
			esac
		done
	done
	expect_missing "$T_DIR/p/d1"
	[ -z "$(ls -A "$T_DIR/p")" ] || _fail "left in p: $(ls -A "$T_DIR/p")"

	begin "a dry run fails where the command itself would"
	"$AIPROJ" --db "$T_DIR/p/src.db" project create a >/dev/null || _fail "src store"
	# say CMD...: the real command and its dry run give the same exit and
	# error, and make nothing
	same() {
		run "$@"
		_rc=$RC _err=$ERR
		run "$@" --dry-run
		[ "$RC" = "$_rc" ] && [ "$ERR" = "$_err" ] ||
			_fail "$*: dry run exit $RC '$ERR', real exit $_rc '$_err'"
		expect_rc 7
		expect_out ""
	}
	: >"$T_DIR/p/w.db-wal"
	same --db "$T_DIR/p/w.db" import "$T_DIR/imp.yaml"
	expect_err_has "'$T_DIR/p/w.db-wal' is there"
	same --db "$T_DIR/p/src.db" copy --to "$T_DIR/p/w.db"
	rm "$T_DIR/p/w.db-wal"
	: >"$T_DIR/p/w.db-journal"
	same --db "$T_DIR/p/w.db" import "$T_DIR/imp.yaml"
	expect_err_has "'$T_DIR/p/w.db-journal' is there"
	rm "$T_DIR/p/w.db-journal"
	ln -s "$T_DIR/p/nodir/t.db" "$T_DIR/p/l.db"
	same --db "$T_DIR/p/l.db" import "$T_DIR/imp.yaml"
	expect_err "aiproj: error: cannot create store '$T_DIR/p/l.db': No such file or directory"
	same --db "$T_DIR/p/src.db" copy --to "$T_DIR/p/l.db"
	same --db "$T_DIR/p/src.db" copy --to "$T_DIR/p/nodir/c.db"
	same --db "$T_DIR/p/src.db" copy --to "$T_DIR/p/nodir/"
	same --db "$T_DIR/p/d9/" import "$T_DIR/imp.yaml"
	rm "$T_DIR/p/l.db" "$T_DIR/p/src.db"
	[ -z "$(ls -A "$T_DIR/p")" ] || _fail "left in p: $(ls -A "$T_DIR/p")"

	begin "folders a failed first write made are taken away again"
	long=$(printf '%0300d' 0)
	# the second folder cannot be made: the first is removed
	run --db "$T_DIR/p/m1/$long/s.db" init
	expect_rc 7
	expect_err_has "cannot create directory '$T_DIR/p/m1/"
	# the folders are made, the store file cannot be: both removed
	run --db "$T_DIR/p/m2/m3/$long.db" project create x
	expect_rc 7
	expect_err_has "cannot open store '$T_DIR/p/m2/m3/"
	expect_missing "$T_DIR/p/m1"
	expect_missing "$T_DIR/p/m2"
	expect_dir_listing "$BASE "

	begin "import - into a missing store: the input is read once, the store made whole"
	port fromstdin >"$T_DIR/p/in.yaml"
	runsh "cat '$T_DIR/p/in.yaml' | \"\$AIPROJ\" --db '$T_DIR/p/in.db' import -"
	expect_rc 0
	expect_err ""
	run --db "$T_DIR/p/in.db" --format json project list
	expect_rc 0
	jq_out '[.projects[].project] | join(",")' fromstdin
	expect_mode "$T_DIR/p/in.db" 600
	rm -f "$T_DIR/p/in.db" "$T_DIR/p/in.yaml"

	# ---- an empty file, a file that is not a store ----
	begin "a zero-byte file: reads and other writes exit 7 and leave it; init adopts it (0600)"
	: >"$T_DIR/p/zero.db"
	chmod 644 "$T_DIR/p/zero.db"
	for cmd in "project list" "project create x" "policy set open" \
		"import $T_DIR/imp.yaml"; do
		# shellcheck disable=SC2086
		run --db "$T_DIR/p/zero.db" $cmd
		expect_rc 7
		expect_out ""
		expect_err "aiproj: error: '$T_DIR/p/zero.db' is an empty file, not an aiproj store: 'aiproj init' makes it one"
		[ -s "$T_DIR/p/zero.db" ] && _fail "the empty file was written"
		expect_mode "$T_DIR/p/zero.db" 644
	done
	[ "$(ls "$T_DIR/p")" = zero.db ] || _fail "files beside: $(ls "$T_DIR/p")"
	run --db "$T_DIR/p/zero.db" init --lifecycle "$T_DIR/imp.yaml"
	expect_rc 6
	[ -s "$T_DIR/p/zero.db" ] && _fail "a failed init wrote the empty file"
	expect_mode "$T_DIR/p/zero.db" 644
	run --db "$T_DIR/p/zero.db" init
	expect_rc 0
	expect_out "Initialized empty aiproj store at $T_DIR/p/zero.db"
	expect_mode "$T_DIR/p/zero.db" 600
	run --db "$T_DIR/p/zero.db" project create x
	expect_rc 0
	[ "$(store_integrity "$T_DIR/p/zero.db")" = ok ] || _fail "integrity"
	rm -f "$T_DIR/p/zero.db"

	begin "a non-empty file that is not a store: every command exits 7, bytes unchanged"
	printf 'my notes\n' >"$T_DIR/p/notes.db"
	chmod 644 "$T_DIR/p/notes.db"
	snap "$T_DIR/p/notes.db"
	for cmd in "init" "project create x" "project list" "import $T_DIR/imp.yaml"; do
		# shellcheck disable=SC2086
		run --db "$T_DIR/p/notes.db" $cmd
		expect_rc 7
		expect_out ""
		expect_err "aiproj: error: '$T_DIR/p/notes.db' is not an aiproj store (not an SQLite database)"
		expect_unchanged "$T_DIR/p/notes.db"
		expect_mode "$T_DIR/p/notes.db" 644
	done
	rm -f "$T_DIR/p/notes.db"

	# ---- --db is a path, never a URI ----
	begin "--db 'file:...?vfs=...' is a file of that name; the file it names is untouched"
	"$AIPROJ" --db "$T_DIR/p/real.db" project create r >/dev/null
	cp "$T_DIR/p/real.db" "$T_DIR/real.orig"
	runsh "cd '$T_DIR/p' && \"\$AIPROJ\" --db 'file:real.db?vfs=unix-none' project list"
	expect_rc 7
	nostore "file:real.db?vfs=unix-none"
	runsh "cd '$T_DIR/p' && \"\$AIPROJ\" --db 'file:real.db?vfs=unix-none' project create u"
	expect_rc 0
	[ -f "$T_DIR/p/file:real.db?vfs=unix-none" ] || _fail "no file named 'file:real.db?vfs=unix-none'"
	runsh "cd '$T_DIR/p' && \"\$AIPROJ\" --db 'file:real.db?vfs=unix-none' --format json project list"
	jq_out '[.projects[].project] | join(",")' u
	cmp -s "$T_DIR/p/real.db" "$T_DIR/real.orig" || _fail "real.db changed"

	begin "--db 'real.db?nolock=1' and 'file:real.db?mode=memory' are files of those names"
	for n in 'real.db?nolock=1' 'file:real.db?mode=memory' 'file:///real.db' '?x'; do
		runsh "cd '$T_DIR/p' && \"\$AIPROJ\" --db '$n' project create q"
		expect_rc 0
		[ -f "$T_DIR/p/$n" ] || _fail "no file named '$n'"
		runsh "cd '$T_DIR/p' && \"\$AIPROJ\" --db '$n' --format json project list"
		jq_out '[.projects[].project] | join(",")' q
	done
	cmp -s "$T_DIR/p/real.db" "$T_DIR/real.orig" || _fail "real.db changed"
	rm -f "$T_DIR/real.orig"

	begin "--db :memory: is a file named ':memory:' that keeps what is written"
	runsh "cd '$T_DIR/p' && \"\$AIPROJ\" --db :memory: project list"
	expect_rc 7
	nostore ":memory:"
	runsh "cd '$T_DIR/p' && \"\$AIPROJ\" --db :memory: project create mem"
	expect_rc 0
	expect_mode "$T_DIR/p/:memory:" 600
	runsh "cd '$T_DIR/p' && \"\$AIPROJ\" --db :memory: --format json project list"
	expect_rc 0
	jq_out '[.projects[].project] | join(",")' mem
	runsh "cd '$T_DIR/p' && AIPROJ_DB=:memory: \"\$AIPROJ\" --format json project list"
	jq_out '[.projects[].project] | join(",")' mem
	rm -rf "$T_DIR/p/"*

	begin "--db '' and AIPROJ_DB='' are usage errors (exit 2)"
	run --db '' init
	expect_rc 2
	expect_err_has "option --db is empty"
	runsh "AIPROJ_DB= \"\$AIPROJ\" project create x"
	expect_rc 2
	expect_err_has "store path is empty"
	expect_dir_listing "$BASE "
else
	skipped_after "if is_file_store; then" "store files: creation, modes, paths (file store only)"
fi

# ---- a store read where it cannot be written, as nobody ----
AS_NOBODY=""
if is_file_store && [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	AS_NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"
fi
if [ -n "$AS_NOBODY" ]; then
	chmod 755 "$T_DIR"
	RO=$T_DIR/ro
	mkdir "$RO"
	chown nobody "$RO"
	# nb CMD...: aiproj as nobody on $RO/s.db
	nb() {
		runsh "cd '$RO' && $AS_NOBODY env AIPROJ_DB='$RO/s.db' AIPROJ_ACTOR=x \"\$AIPROJ\" $*"
	}
	nb project create ro1
	expect_rc 0
	nb project create ro2
	chmod 444 "$RO/s.db"

	begin "chmod 444 store, its owner reads: works, no -wal/-shm left"
	snap "$RO/s.db"
	nb --format json project list
	expect_rc 0
	expect_err ""
	jq_out '[.projects[].project] | join(",")' ro1,ro2
	nb report status
	expect_rc 0
	expect_missing "$RO/s.db-wal"
	expect_missing "$RO/s.db-shm"
	expect_unchanged "$RO/s.db"

	begin "chmod 444 store: a write is exit 7 (read-only), nothing left beside it"
	nb project create ro3
	expect_rc 7
	expect_err "aiproj: error: store '$RO/s.db' is read-only: cannot write (no write permission)"
	expect_missing "$RO/s.db-wal"
	expect_missing "$RO/s.db-shm"
	expect_unchanged "$RO/s.db"

	begin "after the reads, writable again: the owner's next write works"
	chmod 644 "$RO/s.db"
	nb project create ro3
	expect_rc 0
	nb --format json project list
	jq_out '[.projects[].project] | join(",")' ro1,ro2,ro3
	[ "$(store_integrity "$RO/s.db")" = ok ] || _fail "integrity"

	begin "another user's store in a folder all may write: a read leaves nothing, its owner writes on"
	chown root "$RO/s.db"
	chmod 644 "$RO/s.db"
	chmod 1777 "$RO"
	snap "$RO/s.db"
	nb --format json project list
	expect_rc 0
	jq_out '[.projects[].project] | join(",")' ro1,ro2,ro3
	expect_missing "$RO/s.db-wal"
	expect_missing "$RO/s.db-shm"
	expect_unchanged "$RO/s.db"
	run --db "$RO/s.db" project create ro4
	expect_rc 0
	chmod 700 "$T_DIR"
else
	echo "  skipped: read-only stores (needs root, setpriv and a file store)" >&2
fi

# ---- parallel first commands ----
# ROUNDS rounds of 16 first commands of mixed kinds on a new store: all exit
# 0, and the store is whole with every project
ROUNDS=4
i=0
while [ $i -lt 16 ]; do
	port "par$i" >"$T_DIR/par$i.yaml"
	i=$((i + 1))
done
begin "16 parallel first commands (init, project create, import, policy set): all succeed, $ROUNDS rounds"
r=0
while [ $r -lt $ROUNDS ]; do
	if is_file_store; then
		S=$T_DIR/par/r$r/s.db
	else
		S=$(_psql "$AIPROJ_E2E_PG" -c "CREATE DATABASE ${T_PGDB}_par$r" >/dev/null &&
			echo "${AIPROJ_E2E_PG%/*}/${T_PGDB}_par$r")
	fi
	i=0
	while [ $i -lt 16 ]; do
		case $((i % 4)) in
		0) set -- init ;;
		1) set -- project create "par$i" ;;
		2) set -- import "$T_DIR/par$i.yaml" ;;
		3) set -- policy set open ;;
		esac
		("$AIPROJ" --db "$S" "$@" >"$T_DIR/par.out$i" 2>"$T_DIR/par.err$i" </dev/null
			echo $? >"$T_DIR/par.rc$i") &
		i=$((i + 1))
	done
	wait
	i=0
	want=""
	while [ $i -lt 16 ]; do
		T_CMD="round $r command $i"
		RC=$(cat "$T_DIR/par.rc$i") ERR=$(cat "$T_DIR/par.err$i")
		[ "$RC" = 0 ] && [ -z "$ERR" ] || _fail "round $r command $i: exit $RC: $ERR"
		case $((i % 4)) in 1 | 2) want="$want,par$i" ;; esac
		i=$((i + 1))
	done
	want=$(printf '%s\n' "${want#,}" | tr ',' '\n' | sort | paste -sd, -)
	run --db "$S" --format json project list
	expect_rc 0
	jq_out '[.projects[].project] | sort | join(",")' "$want"
	[ "$(store_integrity "$S")" = ok ] || _fail "round $r: $(store_integrity "$S")"
	inits=$(cat "$T_DIR"/par.out* | grep -c '^Initialized empty')
	[ "$inits" -le 1 ] || _fail "round $r: $inits inits said they made the store"
	if is_file_store; then
		[ "$(ls -A "$T_DIR/par/r$r")" = s.db ] || _fail "round $r: left beside the store: $(ls -A "$T_DIR/par/r$r")"
		expect_mode "$S" 600
	fi
	r=$((r + 1))
done

finish
