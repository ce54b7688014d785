# lib.sh - the end-to-end test harness, sourced by every tests/e2e/t_*.sh.
#
# Each test file runs in its own shell with a fresh temp dir and store:
#
#   begin "what this test proves"
#   run project create x          # runs $AIPROJ; sets $RC, $OUT, $ERR
#   expect_rc 0
#   expect_out "Created project 'x' at stage feasibility ..."  # exact
#   expect_out_has "feasibility"  # substring of stdout
#   expect_err ""                 # exact stderr ("" = empty)
#   expect_err_has "no project"   # substring of stderr
#   snap; run ...; expect_unchanged   # the store file is byte-identical
#   jq_out '.stage' feasibility   # a jq filter over stdout, exact result
#
# With $AIPROJ_E2E_PG set to a PostgreSQL URL of a role that may CREATE
# DATABASE (tests/pg/cluster.sh prints one), the same tests run against a
# PostgreSQL store: each file gets a database of its own as $AIPROJ_DB
# (its tables made and `allow_actor` set, so --actor and $AIPROJ_ACTOR count
# as on a file store), snap/expect_unchanged compare pg_dump's output, and
# store_sql runs a query on either backend.  What only a file store has
# (paths, modes, bytes, SQLite's own tools) is guarded by `file_store ||`
# / `if file_store; then`, or the whole file by `file_store_only REASON`;
# each guarded test is counted as skipped.
# A failing assertion prints what differed and the temp dir is kept.
# `finish` (at the end of every file) writes the tally for run.sh.

set -u
: "${AIPROJ:?set AIPROJ to the aiproj binary}"
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aiproj-e2e.XXXXXX")
T_NAME=""
T_CMD=""
RC=""
T_FAILED=0
T_PASS=0
T_FAIL=0
T_FILE=$(basename "$0")
T_SKIP=0
export AIPROJ_DB="$T_DIR/store.db"
export AIPROJ_ACTOR=tester
export HOME="$T_DIR/home"
unset XDG_DATA_HOME AIPROJ_NOW NO_COLOR PGPASSWORD AIPROJ_HOOKS AIPROJ_HOOK_TIMEOUT XDG_CONFIG_HOME
mkdir -p "$HOME"

_psql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

# the backend under test: file (SQLite) or pg
if [ -n "${AIPROJ_E2E_PG:-}" ]; then
	E2E_BACKEND=pg
	export PGCONNECT_TIMEOUT=10
	T_PGDB=e2e_$(printf '%s' "${T_FILE%.sh}" | tr -c 'a-z0-9_' _)_$$
	# _pgstore DB: a new database with the tables made and self-declared
	# actors allowed, as on a file store; prints its URL
	_pgstore() {
		_psql "$AIPROJ_E2E_PG" -c "DROP DATABASE IF EXISTS $1" \
			-c "CREATE DATABASE $1" >/dev/null ||
			{ echo "lib.sh: cannot create database $1 at $AIPROJ_E2E_PG" >&2; exit 1; }
		_u=${AIPROJ_E2E_PG%/*}/$1
		# the harness's actor is the store's administrator, as the
		# actor of a file store's first init is
		"$AIPROJ" --db "$_u" init >/dev/null &&
			_psql "$_u" -c "INSERT INTO meta (key, value) VALUES ('allow_actor', 'true')" \
				-c "UPDATE admin SET person = '$AIPROJ_ACTOR', added_by = '$AIPROJ_ACTOR'" ||
			{ echo "lib.sh: cannot prepare the store $_u" >&2; exit 1; }
		printf '%s\n' "$_u"
	}
	AIPROJ_DB=$(_pgstore "$T_PGDB") || exit 1
else
	E2E_BACKEND="file"
fi
# what the first `init` on the store under test says (on a server store the
# harness already made the tables)
if [ "$E2E_BACKEND" = pg ]; then
	FIRST_INIT="aiproj store at $AIPROJ_DB is ready"
else
	FIRST_INIT="Initialized empty aiproj store at $AIPROJ_DB"
fi

# is_file_store: true on a file store (for a part of a test)
is_file_store() { [ "$E2E_BACKEND" = file ]; }

# new_store NAME: the location of another, empty store of the kind under
# test (a file in $T_DIR made by `init`, or a new database with its tables)
new_store() {
	if [ "$E2E_BACKEND" = pg ]; then
		_pgstore "${T_PGDB}_$1"
	else
		"$AIPROJ" --db "$T_DIR/$1.db" init >/dev/null ||
			{ echo "lib.sh: cannot init $T_DIR/$1.db" >&2; exit 1; }
		printf '%s\n' "$T_DIR/$1.db"
	fi
}

# file_store: true on a file store; on a server store counts the current
# test as skipped (use: `file_store || skip_rest`, `if file_store; then`)
file_store() {
	[ "$E2E_BACKEND" = file ] && return 0
	# (a test that already failed stays failed)
	[ -n "$T_NAME" ] && [ "$T_FAILED" = 0 ] && T_FAILED=skip
	return 1
}

# file_store_only REASON: the whole file is about a file store
file_store_only() {
	[ "$E2E_BACKEND" = file ] && return 0
	_n=$(grep -c '^[[:space:]]*begin ' "$0")
	echo "  skipped $_n tests: $1" >&2
	T_SKIP=$_n
	T_NAME=""
	finish
}

# skipped_after MARKER REASON: on a server store, the indented tests after
# the line MARKER of this file (the body of an `if file_store; then` there)
# are counted as skipped; a test inside a loop counts once
skipped_after() {
	_n=$(awk -v m="$1" 'index($0, m) == 1 { on = 1; next }
		on && /^[[:space:]]+begin /' "$0" | wc -l)
	T_SKIP=$((T_SKIP + _n))
	echo "  skipped $_n more tests: $2" >&2
}

# store_sql SQL: run a query on the store under test; rows on stdout, columns
# separated by '|'
store_sql() {
	if [ "$E2E_BACKEND" = pg ]; then
		_psql -F '|' "$AIPROJ_DB" -c "$1"
	else
		sqlite3 -separator '|' "$AIPROJ_DB" "$1"
	fi
}

# store_integrity [STORE]: prints "ok" when the store under test (or STORE,
# a file or a postgresql:// URL) is sound, else what is wrong.
# A file store: PRAGMA integrity_check is ok (pages, b-trees, indexes and
# their tables agree) and PRAGMA foreign_key_check finds no row whose parent
# is missing.
# A PostgreSQL store (the server keeps its own files consistent; this checks
# what is left: that aiproj's data holds together and can be read):
# every foreign-key constraint of the store's schema is validated (none
# NOT VALID), no row breaks one (each is checked with a query, as
# foreign_key_check does), and every table of the schema can be read whole,
# from the table itself with every value detoasted (a seq scan of `row::text`,
# index scans off).  It does not check indexes against their tables (that
# needs the amcheck extension), nor CHECK or UNIQUE constraints, which the
# server enforces on every write and which no NOT VALID applies to here.
store_integrity() {
	_st=${1:-$AIPROJ_DB}
	case $_st in
	postgres://* | postgresql://*)
		_out=$(_psql -F ' ' "$_st" 2>&1 <<-'EOF'
		SET enable_indexscan = off;
		SET enable_indexonlyscan = off;
		SET enable_bitmapscan = off;
		SELECT 'no aiproj tables in schema ' || current_schema()
		WHERE to_regclass('meta') IS NULL OR to_regclass('project') IS NULL;
		SELECT conrelid::regclass, conname, 'is NOT VALID' FROM pg_constraint
		WHERE contype = 'f' AND NOT convalidated
			AND connamespace = current_schema()::regnamespace;
		SELECT format('SELECT %L, count(*), %L FROM %s c WHERE %s'
			' AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s) HAVING count(*) > 0',
			conrelid::regclass, 'rows break ' || conname, conrelid::regclass,
			(SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ')
				FROM unnest(conkey) AS k(n)
				JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.n),
			confrelid::regclass,
			(SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')
				FROM unnest(conkey, confkey) AS k(cn, pn)
				JOIN pg_attribute ca ON ca.attrelid = conrelid AND ca.attnum = k.cn
				JOIN pg_attribute pa ON pa.attrelid = confrelid AND pa.attnum = k.pn))
		FROM pg_constraint
		WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
		\gexec
		SELECT format('SELECT %L, ''unreadable'' FROM %s r WHERE r::text IS NULL',
			oid::regclass, oid::regclass)
		FROM pg_class WHERE relkind IN ('r', 'p')
			AND relnamespace = current_schema()::regnamespace
		\gexec
		EOF
		) || _out="${_out:-psql failed}"
		if [ -z "$_out" ]; then echo ok; else printf '%s\n' "$_out"; fi
		;;
	*)
		_ic=$(sqlite3 "$_st" 'PRAGMA integrity_check' 2>&1)
		_fk=$(sqlite3 "$_st" 'PRAGMA foreign_key_check' 2>&1)
		if [ "$_ic" = ok ] && [ -z "$_fk" ]; then
			echo ok
		else
			[ "$_ic" = ok ] || printf 'integrity_check: %s\n' "$_ic"
			[ -z "$_fk" ] || printf 'foreign_key_check: %s\n' "$_fk"
		fi
		;;
	esac
}

_tally() {
	[ -n "$T_NAME" ] || return 0
	if [ "$T_FAILED" = skip ]; then
		T_SKIP=$((T_SKIP + 1))
	elif [ "$T_FAILED" = 0 ]; then
		T_PASS=$((T_PASS + 1))
	else
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL: $T_FILE: $T_NAME" >&2
	fi
	T_NAME=""
}

begin() {
	_tally
	T_NAME=$1
	T_FAILED=0
}

_fail() {
	T_FAILED=1
	printf '  %s: %s: %s\n' "$T_FILE" "$T_NAME" "$1" >&2
	[ $# -gt 1 ] && printf '    %s\n' "$2" >&2
	printf '    command: %s\n' "$T_CMD" >&2
	printf '    rc=%s\n    stdout: %s\n    stderr: %s\n' "$RC" \
		"$(head -c 2000 "$T_DIR/out")" "$(head -c 2000 "$T_DIR/err")" >&2
}

# run ARGS... : run aiproj; stdin from /dev/null unless RUN_STDIN is set
run() {
	T_CMD="aiproj $*"
	"$AIPROJ" "$@" >"$T_DIR/out" 2>"$T_DIR/err" </dev/null
	RC=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
}

# runsh 'shell command' : run a command line (for env, pipes, redirections)
runsh() {
	T_CMD=$1
	sh -c "$1" >"$T_DIR/out" 2>"$T_DIR/err" </dev/null
	RC=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
}

expect_rc() {
	[ "$RC" = "$1" ] || _fail "exit code $RC, expected $1"
	# sanitizer reports never pass
	case $ERR in *Sanitizer*|*"runtime error"*) _fail "sanitizer report";; esac
}

expect_out() {
	[ "$OUT" = "$1" ] || _fail "stdout differs" "expected: $1"
}

expect_out_has() {
	case $OUT in *"$1"*) ;; *) _fail "stdout lacks: $1";; esac
}

expect_out_lacks() {
	case $OUT in *"$1"*) _fail "stdout has: $1";; esac
}

expect_err() {
	[ "$ERR" = "$1" ] || _fail "stderr differs" "expected: $1"
}

expect_err_has() {
	case $ERR in *"$1"*) ;; *) _fail "stderr lacks: $1";; esac
}

# one line on stderr, starting with "aiproj: error: "
expect_one_line_error() {
	case $ERR in "aiproj: error: "*) ;; *) _fail "stderr is not an aiproj error";; esac
	[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || _fail "stderr has more than one line"
}

# jq_out FILTER EXPECTED : jq -r FILTER over stdout equals EXPECTED
# every row of a text table starts each column where the header does
expect_aligned() {
	_bad=$(printf '%s\n' "$OUT" | awk '
		NR == 1 {
			n = 0
			for (i = 2; i <= length($0); i++)
				if (substr($0, i - 1, 1) == " " && substr($0, i, 1) != " ")
					col[++n] = i
			next
		}
		$0 == "" { exit }
		{
			for (k = 1; k <= n; k++) {
				p = col[k]
				if (substr($0, p - 1, 1) != " " || substr($0, p, 1) == " ") {
					print "line " NR ", column " k " (at " p "): " $0
					break
				}
			}
		}')
	[ -z "$_bad" ] || _fail "columns are not aligned" "$_bad"
}

# projects_with_kpi NAME...: create each project with a KPI "auc >= 0.8"
projects_with_kpi() {
	for _p in "$@"; do
		run project create "$_p"
		expect_rc 0
		run kpi add "$_p" auc --target '>= 0.8'
		expect_rc 0
	done
}

# unfeed_sql: the SQL that takes away the event feed's objects
# (schemas/009-feed.sql), to fake a store from before it; on PostgreSQL
# the feed's triggers go with `DROP FUNCTION aiproj_feed_next CASCADE`
unfeed_sql() {
	_u=""
	is_file_store && _u="DROP TRIGGER criterion_feed_tick;"
	for _t in project transition criterion approval decision kpi kpi_reading assignment event; do
		is_file_store && _u="$_u DROP TRIGGER ${_t}_feed;"
		_u="$_u DROP INDEX ${_t}_feed_id; ALTER TABLE $_t DROP COLUMN feed_id;"
	done
	if is_file_store; then
		printf '%s DROP TABLE feed_counter;' "$_u"
	else
		printf '%s DROP SEQUENCE feed_seq;' "$_u"
	fi
}

# crlf: $OUT without the CRs of CSV's line ends
crlf() { OUT=$(printf '%s\n' "$OUT" | tr -d '\r'); }

# at STAMP: the clock of the commands that follow
at() { AIPROJ_NOW=$1; export AIPROJ_NOW; }

# ok CMD...: a fixture step, which must succeed
ok() {
	run "$@"
	[ "$RC" = 0 ] || _fail "fixture step failed: $*"
}

# fwd PROJECT N: N forced advances of PROJECT
fwd() {
	_n=$2
	while [ "$_n" -gt 0 ]; do
		ok stage advance "$1" --force --reason go
		_n=$((_n - 1))
	done
}

# copy_store NAME: export this store to $T_DIR/all.yaml and import that
# into a new store NAME, which $COPY then names
copy_store() {
	run export -o "$T_DIR/all.yaml"
	expect_rc 0
	COPY=$(new_store "$1")
	run --db "$COPY" import "$T_DIR/all.yaml"
	expect_rc 0
}

# every command of the binary as "group verb" or "command", one a line
all_commands() {
	"$AIPROJ" __complete commands | while read -r g; do
		[ "$g" = help ] && continue
		v=$("$AIPROJ" __complete verbs "$g")
		if [ -z "$v" ]; then
			echo "$g"
		else
			printf '%s\n' "$v" | sed "s/^/$g /"
		fi
	done
}

jq_out() {
	_got=$(printf '%s' "$OUT" | jq -r "$1" 2>&1) || { _fail "stdout is not JSON for jq '$1'" "$_got"; return; }
	[ "$_got" = "$2" ] || _fail "jq '$1' gave '$_got', expected '$2'"
}

# snap [STORE] / expect_unchanged [STORE]: the store file is byte-identical;
# a PostgreSQL store's dump (schema and rows) is identical.  Sequence
# positions are not compared: a rolled-back insert still uses up an id.
_pgdump() {
	pg_dump --no-owner --no-privileges "$1" 2>&1 |
		grep -v -e '^--' -e 'pg_catalog.setval' -e '^\\restrict' -e '^\\unrestrict' -e '^$'
}
snap() {
	_f=${1:-$AIPROJ_DB}
	case $_f in
	postgres://* | postgresql://*)
		_pgdump "$_f" >"$T_DIR/snap.sql"
		T_SNAP=pg
		;;
	*)
		T_SNAP=$(cksum 2>/dev/null <"$_f")
		T_SNAP_LS=$(ls "$_f"* 2>/dev/null)
		;;
	esac
}

expect_unchanged() {
	_f=${1:-$AIPROJ_DB}
	case $_f in
	postgres://* | postgresql://*)
		_pgdump "$_f" >"$T_DIR/now.sql"
		cmp -s "$T_DIR/snap.sql" "$T_DIR/now.sql" ||
			_fail "store changed: $_f" "$(diff "$T_DIR/snap.sql" "$T_DIR/now.sql" | head -10)"
		;;
	*)
		[ "$(cksum 2>/dev/null <"$_f")" = "$T_SNAP" ] || _fail "store changed: $_f"
		[ "$(ls "$_f"* 2>/dev/null)" = "$T_SNAP_LS" ] || _fail "store files changed: $(ls "$_f"*)"
		;;
	esac
}

finish() {
	_tally
	echo "$T_PASS $T_FAIL $T_SKIP" >>"${E2E_RESULTS:-/dev/null}"
	if [ "$T_FAIL" = 0 ]; then
		rm -rf "$T_DIR"
		if [ "$E2E_BACKEND" = pg ]; then
			for _d in $(_psql "$AIPROJ_E2E_PG" -c "SELECT datname FROM pg_database
				WHERE left(datname, length('$T_PGDB')) = '$T_PGDB'"); do
				_psql "$AIPROJ_E2E_PG" -c "DROP DATABASE IF EXISTS $_d" >/dev/null
			done
		fi
	else
		echo "  kept $T_DIR" >&2
		[ "$E2E_BACKEND" = pg ] && echo "  kept $AIPROJ_DB" >&2
	fi
	exit 0
}

# summary_sql: the SQL that takes away the projects' summary rows, their
# view and triggers (schemas/020-summary.sql), to fake a store from before
# them
summary_sql() {
	if is_file_store; then
		# (and the assignments' rows, schemas/022-people-summary.sql)
		printf '%s' "DROP TRIGGER summary_assignment_title;
			DROP TRIGGER summary_project_del_people;
			DROP TRIGGER summary_component_ins;
			DROP TRIGGER summary_component_upd;
			DROP TRIGGER summary_component_del;
			DROP VIEW people_live; DROP TABLE people_summary; "
		for t in project criterion decision kpi approval assignment \
			transition event person_name; do
			printf 'DROP TRIGGER summary_%s_ins; DROP TRIGGER summary_%s_upd; DROP TRIGGER summary_%s_del; ' "$t" "$t" "$t"
		done
		printf '%s' "DROP TRIGGER summary_person_upd;
			DROP TRIGGER summary_person_del; "
	else
		printf '%s' "DROP FUNCTION aiproj_summary_mark,
			aiproj_summary_mark_project, aiproj_summary_mark_name,
			aiproj_summary_mark_person, aiproj_summary_refresh CASCADE; "
	fi
	printf '%s' "DROP VIEW summary_live; DROP TABLE project_summary;
		DROP TABLE summary_dirty; DROP INDEX approval_person;
		DROP INDEX kpi_reading_breach; "
}

# uncover_sql: on a file store, the SQL that puts back the indexes as they
# were before schemas/021-export-covering.sql, which made them hold every
# column the export reads (SQLite drops no column an index holds), to fake
# a store from before it; later_sql runs it first
uncover_sql() {
	is_file_store || return 0
	printf '%s' "DROP INDEX decision_project;
		CREATE INDEX decision_project ON decision (project_id, id);
		DROP INDEX kpi_reading_kpi;
		CREATE INDEX kpi_reading_kpi ON kpi_reading (project_id, kpi, id);
		DROP INDEX kpi_change_project;
		CREATE INDEX kpi_change_project ON kpi_change (project_id, id);
		DROP INDEX approval_chain;
		CREATE INDEX approval_chain ON approval (project_id, id);
		DROP INDEX transition_project;
		CREATE INDEX transition_project ON transition (project_id, id);
		DROP INDEX event_project;
		CREATE INDEX event_project ON event (project_id, id);
		DROP INDEX prod_release_project; "
}

# later_sql: the SQL that takes away what came after the event feed (the
# people, schemas/010-person.sql; releases and KPI changes,
# schemas/011-releases.sql; a component's version and an assignment's
# title, schemas/014-handover.sql; the name an assignment was made to,
# schemas/018-assigned-name.sql; on PostgreSQL the sign-off roles of
# schemas/pg/012-stage-start.sql, the server's gate check of
# schemas/pg/015-server-gate.sql, and the rules' copy, which aiproj makes
# anew; the chains of the monitoring records, schemas/019-monitor-chain.sql,
# go with their tables), to fake a store from before them; run it before
# unfeed_sql's
later_sql() {
	uncover_sql
	summary_sql
	is_file_store || printf '%s' "DROP FUNCTION aiproj_release_fields,
		aiproj_change_fields, aiproj_reading_fields,
		aiproj_chain_release, aiproj_chain_change CASCADE; "
	printf '%s' "DROP TABLE person_event; DROP TABLE person_name;
		DROP TABLE person; DROP TABLE prod_release; DROP TABLE kpi_change;
		ALTER TABLE kpi DROP COLUMN removed_at;
		ALTER TABLE kpi_reading DROP COLUMN breach;
		ALTER TABLE component DROP COLUMN version;
		ALTER TABLE assignment DROP COLUMN title;
		ALTER TABLE assignment DROP COLUMN assigned_name;"
	is_file_store || printf '%s' " DROP FUNCTION aiproj_feed_end CASCADE;
		DROP TABLE lc_signoff; DELETE FROM auth_rule;
		DROP FUNCTION aiproj_gate_check() CASCADE;
		DROP FUNCTION aiproj_gate_missing, aiproj_gate_given;
		ALTER TABLE lc_stage DROP COLUMN requires_decision,
			DROP COLUMN requires_kpi;"
}
