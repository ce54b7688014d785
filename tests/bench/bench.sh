#!/bin/sh
# bench.sh - aiproj latency and memory against the sqlite3 shell doing the
# same SQL, on an empty store (1 project) and on 10k / 100k project stores.
#
#   sh tests/bench/bench.sh            (after `make`; ~2-5 minutes on 2 cores)
#
# Environment:
#   AIPROJ=build/aiproj    the binary under test
#   BENCH_RUNS=30          timed runs per single-project case
#   BENCH_ROUNDS=5         the runs of every case are spread over this many
#                          rounds through all the cases
#   BENCH_REPORT_SECS=8    time budget per whole-store case (3..20 runs)
#   BENCH_SIZES="10000 100000"   store sizes for the report cases; the
#                          single-project cases use the largest
#   BENCH_KEEP=1           keep the working stores in build/bench/work
#   BENCH_NO_HYPERFINE=1   time with the date +%s%N loop even if hyperfine is there
#   BENCH_PG_SIZE=1000     projects in the store of the PostgreSQL rows
#   BENCH_NO_PG=1          leave the PostgreSQL rows out
#   BENCH_IMPORT_RUNS=5    timed runs per import case (one per round)
#   BENCH_NO_IMPORT=1      leave the import rows out
#   BENCH_IMPORT_SIZES="1000 100000"   generated files (gen_export.sh) for
#                          the streaming import rows: peak memory, and time
#                          against the export of the store it made
#                          (and, with the PostgreSQL rows, the same file
#                          into a new database: against the SQLite import)
#   BENCH_IMPORT_WHOLE_RUNS=3   runs of each of those; each run also times
#                          the floor: the rows of the store the import
#                          made, written into a new store by SQLite alone
#                          (build/bench/floor, tests/bench/floor.c: no
#                          parsing, checks, hashes or summaries), printed
#                          beside the import and export rows
#   BENCH_FLOOR=PATH       that program (default build/bench/floor; the
#                          floor rows are left out when it is missing)
#   BENCH_PG_IMPORT_MAX=10000   the largest of those also imported into
#                          PostgreSQL (100k takes several minutes a run;
#                          the copy into PostgreSQL runs at every size)
#   AIPROJ_PG_URL          a PostgreSQL role that may CREATE DATABASE
#                          (postgresql://USER@HOST:PORT/DB); the bench makes
#                          its own database aiproj_bench there (dropped first,
#                          and at the end unless BENCH_KEEP=1).  Unset: a
#                          throwaway cluster from tests/pg/cluster.sh, on
#                          127.0.0.1:$AIPROJ_PG_PORT (54329) in $AIPROJ_PG_DIR
#                          (/tmp/aiproj-pg), stopped and removed at the end
#                          (one that already runs there is used and left
#                          running).
#
# Stores are made by tests/bench/gen.sh and cached in build/bench/ under a
# key hashing schemas/* and gen.sh; each run works on fresh copies in
# build/bench/work/.  Times come from hyperfine (--export-json, no shell)
# when it is installed, else from a loop around `date +%s%N`; peak memory
# from /usr/bin/time -f %M.  The table and the targets go to stdout, the
# raw results stay in build/bench/results.db.
#
# Baselines, run by the same harness in the same session:
#   sqlite3   the sqlite3 shell running the very SQL aiproj runs for the
#             command (mirrored from src/store_sqlite.c and src/cli.c): the
#             open-time pragmas (busy_timeout, application_id, user_version,
#             foreign_keys, journal_mode=WAL), the lifecycle read, the reads
#             of the command and its writes, in one BEGIN [IMMEDIATE] ...
#             COMMIT.  It is the floor for "one process, one transaction".
#   /bin/true process start and exit.
#
# PostgreSQL rows, measured in the same rounds as the rest: the same aiproj
# commands on a PostgreSQL database and on an SQLite file holding the same
# BENCH_PG_SIZE projects (a gen.sh store, loaded into PostgreSQL with
# `aiproj copy`: its data break rules `aiproj import` keeps, so its export
# does not import), each run a new process and, on
# PostgreSQL, a new connection over TCP.  Their ratio (pg/sqlite) is the
# cost of the server store; no absolute time is checked.  Without psql, the
# server binaries or a server that starts, one line says why they are
# skipped and the bench goes on.
#
# Import rows, in rounds of their own after the rest (BENCH_IMPORT_RUNS
# runs, no warm-up: a run takes about a second): `aiproj import FILE` of
# a gen_export.sh file of BENCH_PG_SIZE projects into an SQLite file and into a
# PostgreSQL database, both new and empty before every run (hyperfine
# --prepare deletes the file and its -wal/-shm, or drops and re-creates the
# database aiproj_bench_import; the import itself makes the tables).  Two
# SQLite baselines: `import --dry-run` into an empty store (init, untimed:
# it does all the inserts and rolls them back), and the
# same import into a copy of a store that already holds every project (all
# "unchanged": read, checked and compared with the store, nothing written).
# Without
# PostgreSQL the SQLite import rows still run.  Large imports have rows of
# their own: see "streaming import" below.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
AIPROJ=${AIPROJ:-$ROOT/build/aiproj}
case $AIPROJ in /*) ;; *) AIPROJ=$ROOT/$AIPROJ ;; esac
SQLITE3=${SQLITE3:-sqlite3}
FLOOR=${BENCH_FLOOR:-$ROOT/build/bench/floor}
RUNS=${BENCH_RUNS:-30}
REPORT_SECS=${BENCH_REPORT_SECS:-8}
SIZES=${BENCH_SIZES:-10000 100000}
B=$ROOT/build/bench
W=$B/work
RES=$B/results.db

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }
q() { "$SQLITE3" -init /dev/null -batch "$@"; }

# PostgreSQL: set up by pg_setup below; PG_SKIP says why there are no rows
CLUSTER=$ROOT/tests/pg/cluster.sh
PG_N=${BENCH_PG_SIZE:-1000}
PG_DB=aiproj_bench
PG_IDB=aiproj_bench_import
PG_SKIP='' PG_STARTED=0 PG_ADMIN='' PGU=''
case $PG_N in '' | *[!0-9]* | 0) die "BENCH_PG_SIZE must be a number of projects" ;; esac
PG_FILE=$W/pg-s$PG_N.db
EXPORT=$W/export-$PG_N.yaml
# the import rows: IMP_SKIP says why there are none
IMP_RUNS=${BENCH_IMPORT_RUNS:-5}
IMP_DB=$W/imp.db
IMP_REF=$W/imp-ref.db
IMP_SKIP=''
pg_sql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
	c_rc=$?
	if [ "$PG_STARTED" = 1 ]; then
		sh "$CLUSTER" stop >/dev/null 2>&1 ||
			say "could not stop the PostgreSQL cluster in ${AIPROJ_PG_DIR:-/tmp/aiproj-pg}"
	elif [ -n "$PGU" ] && [ "${BENCH_KEEP:-}" != 1 ]; then
		pg_sql "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
		pg_sql "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_IDB" >/dev/null 2>&1 || true
	fi
	exit "$c_rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$AIPROJ" ] || die "no $AIPROJ: run make first"
command -v "$SQLITE3" >/dev/null || die "the sqlite3 shell is needed (apt-get install sqlite3)"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed (apt-get install time)"
if [ -z "${BENCH_NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null 2>&1; then HF=1; else HF=0; say "no hyperfine: timing with date +%s%N"; fi

BIG=0
for n in $SIZES; do [ "$n" -gt "$BIG" ] && BIG=$n; done
[ "$BIG" -gt 0 ] || die "BENCH_SIZES is empty"

mkdir -p "$B"
rm -rf "$W"
mkdir -p "$W"
rm -f "$RES"
q "$RES" "CREATE TABLE res (grp TEXT, name TEXT, size INTEGER, who TEXT,
	runs INTEGER, median_ms REAL, rss_kib INTEGER, note TEXT)"

export AIPROJ_ACTOR=bench
export AIPROJ_BUSY_TIMEOUT=5000
unset AIPROJ_DB AIPROJ_NOW XDG_DATA_HOME
export NO_COLOR=1

# ---- stores ----

KEY=$(cat "$ROOT"/schemas/*.sql "$ROOT"/schemas/lifecycle.yaml "$HERE/gen.sh" |
	sha256sum | cut -c1-12)
store_for() { # N -> path of the cached store with N projects
	f=$B/store-$1-$KEY.db
	if [ ! -f "$f" ]; then
		rm -f "$B"/store-"$1"-*.db
		say "generating $1 projects (cached as $(basename "$f"))"
		start=$(date +%s)
		sh "$HERE/gen.sh" "$1" "$f.tmp" "$AIPROJ"
		mv "$f.tmp" "$f"
		say "  took $(($(date +%s) - start)) s"
	fi
	echo "$f"
}

# The one-project store, made through aiproj: a project with people, a
# decision, a KPI and readings, and 9 transitions, left at the second stage.
# The binary under test is copied first: a rebuild during the bench (others
# at work in the tree) must not change it half way.
cp "$AIPROJ" "$W/aiproj"
AIPROJ=$W/aiproj

make_empty() {
	db=$1
	a() { "$AIPROJ" --db "$db" -q "$@"; }
	a project create solo --description 'the only project'
	a role assign solo sponsor 'Ana Lima'
	a role assign solo ai-engineer 'Bo Chen'
	a role assign solo data-engineer 'Chen Okafor'
	a role assign solo data-analyst 'Dana Novak'
	a decide solo make --cost 120000 --reason 'no vendor fits'
	a kpi add solo auc --target '>= 0.8'
	a kpi record solo auc 0.79
	a kpi record solo auc 0.83
	for i in 1 2 3 4; do
		a stage advance solo --force --reason "round $i"
		a stage back solo --to "$S1" --reason "rework $i"
	done
	a stage advance solo --force --reason 'round 5'
}

EMPTY=$W/empty.db
rm -f "$EMPTY" "$EMPTY-wal" "$EMPTY-shm"
# (a command that only reads creates no store: init makes it)
"$AIPROJ" --db "$EMPTY" -q init
"$AIPROJ" --db "$EMPTY" --format json stage list >"$W/stages.json"
S1=$(q :memory: "SELECT json_extract(readfile('$W/stages.json'), '\$.stages[0].slug')")
S2=$(q :memory: "SELECT json_extract(readfile('$W/stages.json'), '\$.stages[1].slug')")
if [ -z "$S1" ] || [ -z "$S2" ]; then die "the lifecycle needs two stages"; fi
make_empty "$EMPTY"
# gen.sh writes the rows with SQL, without their hash chains: the working
# copies are made stores of the version before the chains
# (schemas/NNN-hash-chain.sql), which aiproj's migration then gives them.
CHAIN_SQL=$(basename "$(find "$ROOT/schemas" -maxdepth 1 -name '[0-9][0-9][0-9]-hash-chain.sql')")
CHAINLESS=$(find "$ROOT/schemas" -maxdepth 1 -name '[0-9][0-9][0-9]-*.sql' |
	awk -F/ -v c="$CHAIN_SQL" '$NF < c' | wc -l)
unchain() { # DB
	# (the migrations after the chains run again too: the people,
	# schemas/NNN-person.sql, the releases' objects,
	# schemas/NNN-releases.sql (their hash columns, of
	# schemas/NNN-monitor-chain.sql, go with them), a component's version
	# and an assignment's title, schemas/NNN-handover.sql, the name it was
	# made to, schemas/NNN-assigned-name.sql, and the event feed's,
	# schemas/NNN-feed.sql, go first; before them the projects' summary
	# rows, schemas/NNN-summary.sql, their view, triggers and indexes, and
	# the indexes put back as they were before
	# schemas/NNN-export-covering.sql, since they hold columns dropped here)
	# (the people's summary rows and the roles' lists,
	# schemas/NNN-people-summary.sql, first of all)
	u_sql='DROP TRIGGER summary_assignment_title; DROP TRIGGER summary_project_del_people;
		DROP TRIGGER summary_component_ins; DROP TRIGGER summary_component_upd;
		DROP TRIGGER summary_component_del; DROP VIEW people_live; DROP TABLE people_summary;'
	for u_t in project criterion decision kpi approval assignment transition event person_name; do
		u_sql="$u_sql DROP TRIGGER summary_${u_t}_ins; DROP TRIGGER summary_${u_t}_upd; DROP TRIGGER summary_${u_t}_del;"
	done
	u_sql="$u_sql DROP TRIGGER summary_person_upd; DROP TRIGGER summary_person_del;
		DROP VIEW summary_live; DROP TABLE project_summary; DROP TABLE summary_dirty;
		DROP INDEX approval_person; DROP INDEX kpi_reading_breach;"
	u_sql="$u_sql
		DROP INDEX decision_project;
		CREATE INDEX decision_project ON decision (project_id, id);
		DROP INDEX kpi_reading_kpi;
		CREATE INDEX kpi_reading_kpi ON kpi_reading (project_id, kpi, id);
		DROP INDEX approval_chain;
		CREATE INDEX approval_chain ON approval (project_id, id);
		DROP INDEX transition_project;
		CREATE INDEX transition_project ON transition (project_id, id);
		DROP INDEX event_project;
		CREATE INDEX event_project ON event (project_id, id);
		DROP TABLE person_event; DROP TABLE person_name; DROP TABLE person;
		DROP TABLE prod_release; DROP TABLE kpi_change;
		ALTER TABLE kpi DROP COLUMN removed_at;
		ALTER TABLE kpi_reading DROP COLUMN breach;
		ALTER TABLE component DROP COLUMN version;
		ALTER TABLE assignment DROP COLUMN title;
		ALTER TABLE assignment DROP COLUMN assigned_name;
		DROP TRIGGER criterion_feed_tick;"
	for u_t in project transition criterion approval decision kpi kpi_reading assignment event; do
		u_sql="$u_sql DROP TRIGGER ${u_t}_feed; DROP INDEX ${u_t}_feed_id; ALTER TABLE $u_t DROP COLUMN feed_id;"
	done
	u_sql="$u_sql DROP TABLE feed_counter; DROP INDEX approval_chain;"
	for u_t in transition approval kpi_reading audit; do
		u_sql="$u_sql ALTER TABLE $u_t DROP COLUMN prev; ALTER TABLE $u_t DROP COLUMN hash;"
	done
	q "$1" "$u_sql PRAGMA user_version = $CHAINLESS;" >/dev/null
	# (a command that writes keeps the migration; a read rolls it back)
	"$AIPROJ" --db "$1" -q init || die "$1: the migration failed"
	"$AIPROJ" --db "$1" -q verify || die "$1: the migrated chains do not verify"
}
for n in $SIZES; do
	src=$(store_for "$n")
	cp "$src" "$W/s$n.db"
	unchain "$W/s$n.db"
done

# ---- timing ----
#
# The cases are registered first, then run in BENCH_ROUNDS rounds, each round
# going once through every case (RUNS / ROUNDS timed runs each), so a change
# in the machine's load during the bench hits every case alike and the
# ratios stay fair.  The whole-store cases alternate aiproj and sqlite3 runs
# for the same reason.

# median of the times (seconds, one a line) in file $1, in ms
median_ms() {
	q :memory: "WITH t AS (SELECT CAST(value AS REAL) AS t FROM json_each('[' || rtrim(replace(readfile('$1'), char(10), ','), ',') || ']')),
		o AS (SELECT t, row_number() OVER (ORDER BY t) AS rn, count(*) OVER () AS n FROM t)
		SELECT printf('%.3f', avg(t) * 1000) FROM o WHERE rn IN ((n + 1) / 2, (n + 2) / 2)"
}

# time_cmd RUNS PREPARE CMD IGNORE OFFSET [WARMUP]: append the times of RUNS
# runs of CMD (a command line; {i} becomes OFFSET+1, OFFSET+2, ...) to
# $W/times, PREPARE (or '') before each run; WARMUP (1) untimed runs first
# when CMD has no {i}.  sh has no locals: each function's variables carry
# its own prefix.
time_cmd() {
	t_runs=$1 t_prep=$2 t_cmd=$3 t_ign=$4 t_off=$5 t_warm=${6:-1}
	if [ "$HF" = 1 ]; then
		set -- -N --style none --export-json "$W/hf.json"
		[ -n "$t_ign" ] && set -- "$@" -i
		[ -n "$t_prep" ] && set -- "$@" --prepare "$t_prep"
		case $t_cmd in
		*'{i}'*) set -- "$@" --runs 1 --parameter-scan i "$((t_off + 1))" "$((t_off + t_runs))" ;;
		*) set -- "$@" --warmup "$t_warm" --runs "$t_runs" ;;
		esac
		hyperfine "$@" "$t_cmd" >"$W/hf.log" 2>&1 ||
			{ cat "$W/hf.log" >&2; die "failed: $t_cmd"; }
		q :memory: "SELECT j.value FROM json_each(readfile('$W/hf.json'), '\$.results') r,
			json_each(r.value, '\$.times') j" >>"$W/times"
		return
	fi
	t_i=$t_off
	while [ "$t_i" -lt "$((t_off + t_runs))" ]; do
		t_i=$((t_i + 1))
		t_c=$(printf '%s' "$t_cmd" | sed "s/{i}/$t_i/g")
		[ -n "$t_prep" ] && eval "$t_prep" >/dev/null 2>&1
		t_0=$(date +%s%N)
		t_rc=0
		eval "$t_c" >/dev/null 2>&1 </dev/null || t_rc=$?
		t_1=$(date +%s%N)
		[ "$t_rc" = 0 ] || [ -n "$t_ign" ] || die "failed ($t_rc): $t_c"
		echo "$t_0 $t_1" | awk '{ printf "%.9f\n", ($2 - $1) / 1e9 }' >>"$W/times"
	done
}

# max RSS in KiB over 3 runs (after PREPARE each time)
rss_kib() {
	r_prep=$1 r_cmd=$2 r_max=0
	for r_i in 901 902 903; do
		r_c=$(printf '%s' "$r_cmd" | sed "s/{i}/$r_i/g")
		[ -n "$r_prep" ] && eval "$r_prep" >/dev/null 2>&1
		eval "/usr/bin/time -f %M -o '$W/rss' $r_c" >/dev/null 2>&1 </dev/null || true
		r_r=$(tail -n 1 "$W/rss")
		[ "$r_r" -gt "$r_max" ] && r_max=$r_r
	done
	echo "$r_max"
}

record() { # GROUP NAME SIZE WHO TIMESFILE RSS
	d_med=$(median_ms "$5")
	d_n=$(wc -l <"$5")
	q "$RES" "INSERT INTO res VALUES ('$1', '$2', $3, '$4', $d_n, $d_med, $6, NULL)"
	printf 'bench: %-9s %-26s %7s  %9.3f ms  %6s KiB  (%s runs)\n' "$4" "$2" "$3" "$d_med" "$6" "$d_n" >&2
}

NCASE=0
addcase() { # GROUP NAME SIZE WHO PREPARE CMD [IGNORE]
	NCASE=$((NCASE + 1))
	for a_f in grp name size who prep cmd ign; do
		eval "C_${NCASE}_$a_f=\${1:-}"
		[ $# -eq 0 ] || shift
	done
}

# run_cases [RUNS [WARMUP]]: the registered cases, RUNS (BENCH_RUNS) runs
# each, with WARMUP (1) untimed runs per case and round
# shellcheck disable=SC2154 # c_* are set by eval from the C_<n>_* fields
run_cases() {
	c_runs=${1:-$RUNS} c_warm=${2:-1}
	ROUNDS=${BENCH_ROUNDS:-5}
	[ "$ROUNDS" -le "$c_runs" ] || ROUNDS=$c_runs
	per=$(((c_runs + ROUNDS - 1) / ROUNDS))
	k=0
	while [ "$k" -lt "$NCASE" ]; do k=$((k + 1)); : >"$W/times.$k"; done
	rd=0
	while [ "$rd" -lt "$ROUNDS" ]; do
		rd=$((rd + 1))
		say "round $rd of $ROUNDS ($NCASE cases x $per runs)"
		k=0
		while [ "$k" -lt "$NCASE" ]; do
			k=$((k + 1))
			eval "c_prep=\$C_${k}_prep c_cmd=\$C_${k}_cmd c_ign=\$C_${k}_ign"
			: >"$W/times"
			time_cmd "$per" "$c_prep" "$c_cmd" "$c_ign" "$(((rd - 1) * per))" "$c_warm"
			cat "$W/times" >>"$W/times.$k"
		done
	done
	k=0
	while [ "$k" -lt "$NCASE" ]; do
		k=$((k + 1))
		eval "c_grp=\$C_${k}_grp c_name=\$C_${k}_name c_size=\$C_${k}_size c_who=\$C_${k}_who c_prep=\$C_${k}_prep c_cmd=\$C_${k}_cmd"
		record "$c_grp" "$c_name" "$c_size" "$c_who" "$W/times.$k" "$(rss_kib "$c_prep" "$c_cmd")"
	done
}

# ---- the mirrored SQL ----

OPEN_SQL="PRAGMA busy_timeout = 5000;
PRAGMA application_id;
PRAGMA user_version;
SELECT count(*) FROM sqlite_master;
PRAGMA foreign_keys = ON;
PRAGMA journal_mode = WAL;"
LC_SQL="SELECT value FROM meta WHERE key = 'lifecycle';"

# the reads of pstate_load (src/cli.c) for project id $1 named $2
pstate_sql() {
	cat <<EOF
SELECT id, name, description, status, status_reason, outcome, stage, epoch, entered_at, created_at FROM project WHERE name = '$2';
SELECT role, person, assigned_at FROM assignment WHERE project_id = $1 ORDER BY role, person;
SELECT id, stage, text, done, done_by, done_at, note FROM criterion WHERE project_id = $1 AND stage = (SELECT stage FROM project WHERE id = $1) ORDER BY id;
SELECT kind, cost, reason, actor, at FROM decision WHERE project_id = $1 ORDER BY id DESC LIMIT 1;
SELECT k.name, k.op, k.target, k.created_at, r.value, r.at, r.actor FROM kpi k LEFT JOIN kpi_reading r ON r.id = (SELECT max(id) FROM kpi_reading WHERE project_id = k.project_id AND kpi = k.name) WHERE k.project_id = $1 ORDER BY k.name;
SELECT count(*) FROM approval WHERE project_id = $1 AND epoch = (SELECT epoch FROM project WHERE id = $1) AND stage = (SELECT stage FROM project WHERE id = $1);
EOF
}

NOW="strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
# what every write transaction of aiproj ends with: the summary rows of the
# projects it changed made again (store_summary_refresh(), src/store_report.c)
SUMMARY_SQL="INSERT OR REPLACE INTO project_summary SELECT * FROM summary_live WHERE id IN (SELECT project_id FROM summary_dirty);
DELETE FROM people_summary WHERE project_id IN (SELECT project_id FROM summary_dirty);
INSERT OR REPLACE INTO people_summary SELECT * FROM people_live WHERE project_id IN (SELECT project_id FROM summary_dirty);
DELETE FROM summary_dirty;"

write_sql_files() { # DB TAG ID NAME
	db=$1 tag=$2 id=$3 name=$4
	{
		echo "$OPEN_SQL"; echo "BEGIN IMMEDIATE;"; echo "$LC_SQL"
		pstate_sql "$id" "$name"
		echo "UPDATE project SET stage = '$S2', entered_at = $NOW, epoch = epoch + 1 WHERE id = $id;"
		echo "INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, reason, at) VALUES ($id, '$S1', '$S2', 'forced', 'bench', 'bench', $NOW);"
		echo "$SUMMARY_SQL"
		echo "COMMIT;"
	} >"$W/$tag-advance.sql"
	{
		echo "$OPEN_SQL"; echo "BEGIN;"; echo "$LC_SQL"
		pstate_sql "$id" "$name"
		echo "COMMIT;"
	} >"$W/$tag-read.sql"
	# role assign: the project, then the insert
	{
		echo "$OPEN_SQL"; echo "BEGIN IMMEDIATE;"; echo "$LC_SQL"
		echo "SELECT id, name, description, status, status_reason, outcome, stage, epoch, entered_at, created_at FROM project WHERE name = '$name';"
		echo "INSERT INTO assignment (project_id, role, person, assigned_at) VALUES ($id, 'data-scientist', 'Base Person $tag-' || (SELECT count(*) FROM assignment WHERE project_id = $id), $NOW);"
		echo "$SUMMARY_SQL"
		echo "COMMIT;"
	} >"$W/$tag-assign.sql"
}

report_sql() { # status|roles -> file
	f=$W/report-$1.sql
	{
		echo "$OPEN_SQL"; echo "BEGIN;"; echo "$LC_SQL"
		if [ "$1" = status ]; then
			cat <<'EOF'
SELECT p.name AS name, p.status, p.stage, p.entered_at, p.status_at, p.criteria, p.decision,
 p.has_cost, p.kpis, p.approvals, p.back_jumps, p.staffed, p.due FROM project_summary p
 WHERE NOT EXISTS (SELECT 1 FROM summary_dirty x WHERE x.project_id = p.id)
UNION ALL SELECT p.name AS name, p.status, p.stage, p.entered_at, p.status_at, p.criteria,
 p.decision, p.has_cost, p.kpis, p.approvals, p.back_jumps, p.staffed, p.due
 FROM summary_live p WHERE p.id IN (SELECT project_id FROM summary_dirty) ORDER BY 1;
EOF
		else
			cat <<'EOF'
WITH r AS MATERIALIZED (SELECT p.name AS name, p.status, p.stage,
 (SELECT group_concat(role || char(31) || person, char(30)) FROM (SELECT role, person FROM assignment
  WHERE project_id = p.id ORDER BY role, person)),
 (SELECT group_concat(owner || char(31) || name || char(31) || description, char(30)) FROM (SELECT
  owner, name, description FROM component WHERE project_id = p.id ORDER BY owner, name))
 FROM project p
 WHERE CASE WHEN NULL IS NULL THEN (1 OR status <> 'closed')
  ELSE name IN (SELECT value FROM json_each(NULL)) END
 ORDER BY p.id)
 SELECT * FROM r ORDER BY name;
EOF
		fi
		echo "COMMIT;"
	} >"$f"
	echo "$f"
}

SQ="$SQLITE3 -init /dev/null -batch -bail"

# ---- single-project cases: the empty store vs the largest ----

single_cases() { # DB SIZE TAG
	db=$1 size=$2 tag=$3
	if [ "$size" = 1 ]; then
		name=solo
	else
		# an active project at the second stage, from the middle of the store
		name=$(q "$db" "SELECT name FROM project WHERE status = 'active' AND stage = '$S2'
			ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM project WHERE status = 'active' AND stage = '$S2')")
	fi
	[ -n "$name" ] || die "no active project at $S2 in $db"
	id=$(q "$db" "SELECT id FROM project WHERE name = '$name'")
	say "$tag store: project $name (id $id)"
	write_sql_files "$db" "$tag" "$id" "$name"
	A="$AIPROJ --db $db"
	back="$A -q stage back $name --to $S1 --reason bench-reset"

	addcase single "stage advance --force" "$size" aiproj "$back" \
		"$A -q stage advance $name --force --reason bench"
	addcase single "stage advance --force" "$size" sqlite3 "$back" \
		"$SQ $db '.read $W/$tag-advance.sql'"
	addcase single "stage check --gate" "$size" aiproj "" \
		"$A -q stage check $name --gate" ignore
	addcase single "stage check --gate" "$size" sqlite3 "" \
		"$SQ $db '.read $W/$tag-read.sql'"
	addcase single "stage show" "$size" aiproj "" \
		"$A stage show $name"
	addcase single "stage show" "$size" sqlite3 "" \
		"$SQ $db '.read $W/$tag-read.sql'"
	addcase single "role assign (new person)" "$size" aiproj "" \
		"$A -q role assign $name data-scientist 'Bench Person $tag {i}'"
	addcase single "role assign (new person)" "$size" sqlite3 "" \
		"$SQ $db '.read $W/$tag-assign.sql'"
}

# ---- PostgreSQL over TCP beside SQLite, the same portfolio on both ----

# pg_setup: a server and a fresh database $PGU holding the projects of the
# SQLite file $PG_FILE; or PG_SKIP set to the reason there is none.
pg_setup() {
	if [ -n "${BENCH_NO_PG:-}" ]; then PG_SKIP="BENCH_NO_PG is set"; return; fi
	if ! command -v psql >/dev/null 2>&1; then
		PG_SKIP="no psql (apt-get install postgresql-client)"; return
	fi
	if ! "$AIPROJ" copy --help >/dev/null 2>&1; then
		PG_SKIP="aiproj has no copy to load the store with"; return
	fi
	p_src=$(store_for "$PG_N")
	cp "$p_src" "$PG_FILE"
	export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
	if [ -n "${AIPROJ_PG_URL:-}" ]; then
		PG_ADMIN=$AIPROJ_PG_URL
	else
		# the server binaries, looked for as tests/pg/cluster.sh does
		p_bin=${PGBIN:-}
		if [ -z "$p_bin" ]; then
			for p_d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
				if [ -n "$p_d" ] && [ -x "$p_d/initdb" ] && [ -x "$p_d/pg_ctl" ]; then p_bin=$p_d; break; fi
			done
		fi
		if [ -z "$p_bin" ] || [ ! -x "$p_bin/initdb" ] || [ ! -x "$p_bin/pg_ctl" ]; then
			PG_SKIP="no PostgreSQL server binaries (initdb, pg_ctl: apt-get install postgresql), and AIPROJ_PG_URL is not set"
			return
		fi
		if sh "$CLUSTER" status 2>/dev/null; then
			# a cluster already runs in that directory: use it, leave it running
			PG_ADMIN=$(sh "$CLUSTER" url)
			say "PostgreSQL: using the cluster already running in ${AIPROJ_PG_DIR:-/tmp/aiproj-pg}"
		else
			PG_STARTED=1 # before start: a half-started cluster is removed too
			say "PostgreSQL: starting a throwaway cluster on 127.0.0.1:${AIPROJ_PG_PORT:-54329}"
			if ! PG_ADMIN=$(sh "$CLUSTER" start 2>"$W/pg.err"); then
				# the server's reason rather than pg_ctl's "could not start server"
				p_why=$(grep -v '^pg_ctl:' "$W/pg.err" | grep -E 'could not|FATAL|ERROR|PANIC|error' |
					head -n 1 | sed 's/^.*\] [A-Z]*: *//')
				[ -n "$p_why" ] || p_why=$(grep . "$W/pg.err" | tail -n 1)
				PG_SKIP="the PostgreSQL cluster did not start on 127.0.0.1:${AIPROJ_PG_PORT:-54329} (tests/pg/cluster.sh start: ${p_why:-no message})"
				return
			fi
		fi
	fi
	if ! PG_VER=$(pg_sql "$PG_ADMIN" -c 'SHOW server_version' 2>"$W/pg.err"); then
		PG_SKIP="cannot connect to PostgreSQL: $(grep . "$W/pg.err" | head -n 1)"; return
	fi
	PG_VER=${PG_VER%% *}
	PG_CONF=$(pg_sql "$PG_ADMIN" -c "SELECT 'fsync ' || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit')")
	if ! pg_sql "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >/dev/null 2>"$W/pg.err"; then
		PG_SKIP="cannot create the database $PG_DB: $(grep . "$W/pg.err" | head -n 1)"; return
	fi
	PGU=${PG_ADMIN%/*}/$PG_DB
	p_host=${PGU#*://}
	p_host=${p_host%%/*}
	PG_HOST=${p_host##*@}
	say "PostgreSQL $PG_VER at $PG_HOST ($PG_CONF): copying $PG_N projects into $PG_DB"
	p_start=$(date +%s)
	if ! "$AIPROJ" --db "$PG_FILE" -q copy --to "$PGU" 2>"$W/pg.err"; then
		PG_SKIP="aiproj copy into PostgreSQL failed: $(grep . "$W/pg.err" | head -n 1)"; return
	fi
	# statistics now, not from autovacuum half way through the timed runs
	p_tabs=$(pg_sql "$PGU" -c "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables WHERE schemaname = current_schema()")
	pg_sql "$PGU" -c "VACUUM (ANALYZE) $p_tabs" >/dev/null
	p_got=$(pg_sql "$PGU" -c 'SELECT count(*) FROM project')
	if [ "$p_got" != "$PG_N" ]; then
		PG_SKIP="the PostgreSQL store holds $p_got projects after the import, not $PG_N"; return
	fi
	say "  took $(($(date +%s) - p_start)) s"
}

# the cases: each command on the SQLite file (who aiproj), then on
# PostgreSQL (who aiproj-pg); the shapes are those of single_cases
pg_cases() {
	p_name=$(q "$PG_FILE" "SELECT name FROM project WHERE status = 'active' AND stage = '$S2'
		ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM project WHERE status = 'active' AND stage = '$S2')")
	[ -n "$p_name" ] || die "no active project at $S2 in $PG_FILE"
	say "PostgreSQL rows: project $p_name"
	p_s="$AIPROJ --db $PG_FILE"
	p_p="$AIPROJ --db '$PGU'"
	pg_pair "stage advance --force" "-q stage back $p_name --to $S1 --reason bench-reset" \
		"-q stage advance $p_name --force --reason bench"
	pg_pair "stage show" "" "stage show $p_name"
	pg_pair "project show" "" "project show $p_name"
	pg_pair "report status --all" "" "report status --all"
}
pg_pair() { # NAME PREPARE-ARGS COMMAND-ARGS: one case per store
	addcase pg "$1" "$PG_N" aiproj "${2:+$p_s $2}" "$p_s $3"
	addcase pg "$1" "$PG_N" aiproj-pg "${2:+$p_p $2}" "$p_p $3"
}

# ---- import: the same export into a new SQLite file and a new database ----

# export_once: $EXPORT, an export document of BENCH_PG_SIZE projects
# (gen_export.sh: a gen.sh store's export does not import), made once for
# the import rows
export_once() {
	[ ! -f "$EXPORT" ] || return 0
	sh "$HERE/gen_export.sh" "$PG_N" >"$EXPORT"
}

# imp_setup: the export file, and one import of it into a new SQLite file
# (it must go in whole); or IMP_SKIP set to the reason there are no rows
imp_setup() {
	if [ -n "${BENCH_NO_IMPORT:-}" ]; then IMP_SKIP="BENCH_NO_IMPORT is set"; return; fi
	if ! "$AIPROJ" import --help >/dev/null 2>&1 || ! "$AIPROJ" export --help >/dev/null 2>&1; then
		IMP_SKIP="aiproj has no export/import"; return
	fi
	case $IMP_RUNS in '' | *[!0-9]* | 0) die "BENCH_IMPORT_RUNS must be a number of runs" ;; esac
	export_once
	if ! "$AIPROJ" --db "$IMP_REF" -q import "$EXPORT" 2>"$W/imp.err"; then
		IMP_SKIP="aiproj import of the $PG_N-project export failed: $(grep . "$W/imp.err" | head -n 1)"; return
	fi
	i_got=$(q "$IMP_REF" 'SELECT count(*) FROM project')
	if [ "$i_got" != "$PG_N" ]; then
		IMP_SKIP="the SQLite store holds $i_got projects after the import, not $PG_N"; return
	fi
	say "import rows: $(basename "$EXPORT"), $(($(wc -c <"$EXPORT") / 1024)) KiB"
}

# the cases: the baselines and the import on SQLite (who aiproj), the
# import on PostgreSQL (who aiproj-pg); every run into a store made new by
# PREPARE (the one of "unchanged": a copy of $IMP_REF), the import making
# the tables itself
import_cases() {
	i_rm="rm -f $IMP_DB $IMP_DB-wal $IMP_DB-shm"
	addcase import "import, all unchanged (no writes)" "$PG_N" aiproj \
		"sh -c '$i_rm && cp $IMP_REF $IMP_DB'" \
		"$AIPROJ --db $IMP_DB -q import $EXPORT"
	# (into a store made by init: --dry-run into a missing store would
	# check against an empty store in memory)
	addcase import "import --dry-run (empty store)" "$PG_N" aiproj \
		"sh -c '$i_rm && $AIPROJ --db $IMP_DB -q init'" \
		"$AIPROJ --db $IMP_DB -q import --dry-run $EXPORT"
	addcase import "import (new store, makes tables)" "$PG_N" aiproj "$i_rm" \
		"$AIPROJ --db $IMP_DB -q import $EXPORT"
	[ -z "$PG_SKIP" ] || return 0
	addcase import "import (new store, makes tables)" "$PG_N" aiproj-pg \
		"psql -X -q -v ON_ERROR_STOP=1 '$PG_ADMIN' -c 'DROP DATABASE IF EXISTS $PG_IDB' -c 'CREATE DATABASE $PG_IDB'" \
		"$AIPROJ --db '${PG_ADMIN%/*}/$PG_IDB' -q import $EXPORT"
}

say "aiproj $("$AIPROJ" --version | cut -d' ' -f2), sqlite3 $("$SQLITE3" --version | cut -d' ' -f1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
addcase base "/bin/true (process start)" 0 true "" "/bin/true"
addcase base "start-up (--version, no store)" 0 aiproj "" "$AIPROJ --version"
addcase base "start-up (--version, no store)" 0 sqlite3 "" "$SQLITE3 -version"
single_cases "$EMPTY" 1 empty
single_cases "$W/s$BIG.db" "$BIG" big
pg_setup
if [ -z "$PG_SKIP" ]; then pg_cases; fi
imp_setup
run_cases
if [ -z "$IMP_SKIP" ]; then
	NCASE=0
	import_cases
	run_cases "$IMP_RUNS" 0
fi

# ---- whole-store cases ----

# One run under /usr/bin/time: "seconds maxrss_kib".
timed_once() {
	eval "/usr/bin/time -f '%e %M' -o '$W/tm' $1" >/dev/null 2>&1 </dev/null ||
		die "failed: $1"
	tail -n 1 "$W/tm"
}

# whole NAME SIZE AIPROJ_CMD [SQLITE3_CMD]: a first run of each under
# /usr/bin/time gives the peak memory and, from the slower, the run count
# (BENCH_REPORT_SECS / its time, within 3..20 - 2 from 15 s up; RUNS on the
# 1-project store).
# Then aiproj and sqlite3 take turns.  Cases of 1 s or more are timed by
# /usr/bin/time alone (10 ms resolution; the first run is a sample); faster
# ones by time_cmd, in BENCH_ROUNDS turns.
whole() {
	w_name=$1 w_size=$2 w_a=$3 w_s=${4:-}
	w_fa=$(timed_once "$w_a")
	w_t=${w_fa% *} w_ra=${w_fa#* } w_rs=
	if [ -n "$w_s" ]; then
		w_fs=$(timed_once "$w_s")
		w_rs=${w_fs#* }
		w_t=$(awk -v a="$w_t" -v b="${w_fs% *}" 'BEGIN { print (a > b ? a : b) }')
	fi
	if awk -v t="$w_t" 'BEGIN { exit !(t >= 1) }'; then
		w_runs=$(awk -v t="$w_t" -v b="$REPORT_SECS" 'BEGIN { n = int(b / t); print (n < 3 ? (t >= 15 ? 2 : 3) : (n > 20 ? 20 : n)) }')
		echo "${w_fa% *}" >"$W/ta"
		[ -z "$w_s" ] || echo "${w_fs% *}" >"$W/ts"
		w_i=1
		while [ "$w_i" -lt "$w_runs" ]; do
			w_i=$((w_i + 1))
			w_l=$(timed_once "$w_a")
			echo "${w_l% *}" >>"$W/ta"
			[ "${w_l#* }" -gt "$w_ra" ] && w_ra=${w_l#* }
			[ -n "$w_s" ] || continue
			w_l=$(timed_once "$w_s")
			echo "${w_l% *}" >>"$W/ts"
			[ "${w_l#* }" -gt "$w_rs" ] && w_rs=${w_l#* }
		done
	else
		w_runs=$(awk -v t="$w_t" -v b="$REPORT_SECS" 'BEGIN { n = int(b / (t + 0.001)); print (n < 5 ? 5 : (n > 20 ? 20 : n)) }')
		[ "$w_size" = 1 ] && w_runs=$RUNS
		w_rounds=${BENCH_ROUNDS:-5}
		[ "$w_rounds" -le "$w_runs" ] || w_rounds=$w_runs
		w_per=$(((w_runs + w_rounds - 1) / w_rounds))
		: >"$W/ta"
		: >"$W/ts"
		w_i=0
		while [ "$w_i" -lt "$w_rounds" ]; do
			w_i=$((w_i + 1))
			: >"$W/times"
			time_cmd "$w_per" "" "$w_a" "" 0
			cat "$W/times" >>"$W/ta"
			[ -n "$w_s" ] || continue
			: >"$W/times"
			time_cmd "$w_per" "" "$w_s" "" 0
			cat "$W/times" >>"$W/ts"
		done
	fi
	record report "$w_name" "$w_size" aiproj "$W/ta" "$w_ra"
	[ -z "$w_s" ] || record report "$w_name" "$w_size" sqlite3 "$W/ts" "$w_rs"
}

HAS_EXPORT=0
"$AIPROJ" export --help >/dev/null 2>&1 && HAS_EXPORT=1
for n in 1 $SIZES; do
	db=$W/s$n.db
	[ "$n" = 1 ] && db=$EMPTY
	for r in status roles; do
		whole "report $r --all" "$n" "$AIPROJ --db $db report $r --all" \
			"$SQ $db '.read $(report_sql "$r")'"
	done
	# issue 20: report people (every assignment of every project)
	whole "report people" "$n" "$AIPROJ --db $db report people"
	# the portfolio page (report page -o): its time, and its size as the note
	whole "page" "$n" "$AIPROJ --db $db report page -o $W/page.html"
	q "$RES" "UPDATE res SET note = '$(wc -c <"$W/page.html")' WHERE grp = 'report' AND name = 'page' AND size = $n"
	# issue 17: the flow report, and the projects stuck longest
	whole "flow" "$n" "$AIPROJ --db $db report flow"
	whole "stuck: status --sort -days --limit 10" "$n" \
		"$AIPROJ --db $db report status --sort -days --limit 10"
	# a follower's look at the feed when nothing is new (events --follow
	# looks again at every commit): the new rows', not the store's, cost
	whole "events: a look, nothing new" "$n" \
		"$AIPROJ --db $db events --since 9007199254740991"
	# (exit 1 counts: the sqlite3 baselines of the single-project cases
	# wrote rows without their hash chains)
	whole "verify" "$n" "sh -c '$AIPROJ --db $db verify; test \$? -le 1'"
	if [ "$HAS_EXPORT" = 1 ]; then
		# issue 20: against the sqlite3 shell's dump of the same store
		whole "export" "$n" "$AIPROJ --db $db export" "$SQ $db .dump"
	else
		q "$RES" "INSERT INTO res VALUES ('report', 'export', $n, 'aiproj', 0, NULL, NULL, 'n/a (export not built yet)')"
	fi
done

# ---- streaming import: a generated file into a new store, vs its export ----

# For each of BENCH_IMPORT_SIZES (1000 and the largest store size): a
# valid export document of that many projects from gen_export.sh (the
# gen.sh stores break rules import keeps), imported into a new SQLite file
# (file and -wal/-shm deleted before each run, untimed; the import makes
# the store), then the export of that store.  Each timed by /usr/bin/time
# (BENCH_IMPORT_WHOLE_RUNS, 3, runs: the median time, the largest RSS).
IW_SIZES=${BENCH_IMPORT_SIZES:-1000 $BIG}
IW_RUNS=${BENCH_IMPORT_WHOLE_RUNS:-3}
IW_PG_MAX=${BENCH_PG_IMPORT_MAX:-10000}
if [ "$HAS_EXPORT" = 1 ]; then
	for n in $IW_SIZES; do
		iw_f=$W/gen-$n.yaml iw_db=$W/imp-$n.db
		say "import of $n generated projects"
		sh "$HERE/gen_export.sh" "$n" >"$iw_f"
		: >"$W/ti"
		: >"$W/te"
		: >"$W/tp"
		: >"$W/tf"
		iw_ri=0 iw_re=0 iw_i=0 iw_rp=0 iw_rf=0
		while [ "$iw_i" -lt "$IW_RUNS" ]; do
			iw_i=$((iw_i + 1))
			rm -f "$iw_db" "$iw_db-wal" "$iw_db-shm"
			iw_l=$(timed_once "$AIPROJ --db $iw_db -q import $iw_f")
			echo "${iw_l% *}" >>"$W/ti"
			[ "${iw_l#* }" -le "$iw_ri" ] || iw_ri=${iw_l#* }
			iw_l=$(timed_once "$AIPROJ --db $iw_db export")
			echo "${iw_l% *}" >>"$W/te"
			[ "${iw_l#* }" -le "$iw_re" ] || iw_re=${iw_l#* }
			# ---- the floor: the rows of that store written into a
			# new one (made untimed) by SQLite alone (floor.c) ----
			if [ -x "$FLOOR" ]; then
				rm -f "$W/floor.db" "$W/floor.db-wal" "$W/floor.db-shm"
				"$AIPROJ" --db "$W/floor.db" -q init >/dev/null
				iw_l=$(timed_once "$FLOOR $iw_db $W/floor.db")
				echo "${iw_l% *}" >>"$W/tf"
				[ "${iw_l#* }" -le "$iw_rf" ] || iw_rf=${iw_l#* }
				rm -f "$W/floor.db" "$W/floor.db-wal" "$W/floor.db-shm"
			fi
			# ---- import into PostgreSQL (issue 20): the same file into
			# a database made new for each run (untimed), when the
			# PostgreSQL rows run ----
			if [ -z "$PG_SKIP" ] && [ "$n" -le "$IW_PG_MAX" ]; then
				iw_pu=${PG_ADMIN%/*}/aiproj_bench_impwhole
				pg_sql "$PG_ADMIN" -c "DROP DATABASE IF EXISTS aiproj_bench_impwhole" \
					-c "CREATE DATABASE aiproj_bench_impwhole" >/dev/null
				iw_l=$(timed_once "$AIPROJ --db '$iw_pu' -q import $iw_f")
				echo "${iw_l% *}" >>"$W/tp"
				[ "${iw_l#* }" -le "$iw_rp" ] || iw_rp=${iw_l#* }
				pg_sql "$PG_ADMIN" -c "DROP DATABASE IF EXISTS aiproj_bench_impwhole" >/dev/null
			fi
			# ---- end of import into PostgreSQL ----
		done
		record impwhole "import (new store)" "$n" aiproj "$W/ti" "$iw_ri"
		record impwhole "export (that store)" "$n" aiproj "$W/te" "$iw_re"
		[ ! -s "$W/tf" ] ||
			record impwhole "rows written alone (floor)" "$n" floor "$W/tf" "$iw_rf"
		[ ! -s "$W/tp" ] ||
			record impwhole "PostgreSQL import (new database)" "$n" aiproj "$W/tp" "$iw_rp"
		# ---- copy (issue 20): that store copied whole into a new
		# PostgreSQL database (made and dropped untimed), against the
		# import of the same projects into a new SQLite file above ----
		# (a server is enough: the PostgreSQL rows' own store need not
		# have loaded)
		cp_db=aiproj_bench_copy cp_r=0 cp_i=0
		: >"$W/tc"
		if [ -n "$PG_ADMIN" ]; then
			while [ "$cp_i" -lt "$IW_RUNS" ]; do
				cp_i=$((cp_i + 1))
				if ! pg_sql "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $cp_db" -c "CREATE DATABASE $cp_db" >/dev/null 2>&1; then
					say "copy rows skipped: cannot create the database $cp_db"
					break
				fi
				cp_l=$(timed_once "$AIPROJ --db $iw_db -q copy --to ${PG_ADMIN%/*}/$cp_db")
				echo "${cp_l% *}" >>"$W/tc"
				[ "${cp_l#* }" -le "$cp_r" ] || cp_r=${cp_l#* }
			done
			pg_sql "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $cp_db" >/dev/null 2>&1 || true
			[ -s "$W/tc" ] && record impwhole "copy --to PostgreSQL" "$n" aiproj "$W/tc" "$cp_r"
		fi
		# ---- end of copy ----
		rm -f "$iw_f" "$iw_db" "$iw_db-wal" "$iw_db-shm"
	done
fi

# ---- the table ----

exec 2>&1
echo
echo "aiproj benchmark: median of repeated runs; ratios from this same run"
echo "host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); timer: $([ "$HF" = 1 ] && hyperfine --version || echo 'date +%s%N')"
echo
q -column -header "$RES" "
WITH t AS (SELECT median_ms AS m FROM res WHERE who = 'true')
SELECT a.name AS 'case',
  CASE WHEN a.size = 0 THEN '-' WHEN a.size >= 1000 THEN (a.size / 1000) || 'k' ELSE a.size END AS store,
  CASE WHEN a.median_ms IS NULL THEN a.note ELSE printf('%.2f', a.median_ms) END AS 'aiproj ms',
  CASE WHEN s.median_ms IS NULL THEN '' ELSE printf('%.2f', s.median_ms) END AS 'sqlite3 ms',
  CASE WHEN s.median_ms IS NULL OR a.median_ms IS NULL THEN '' ELSE printf('%.2f', a.median_ms / s.median_ms) END AS 'x sqlite3',
  CASE WHEN e.median_ms IS NULL OR a.median_ms IS NULL THEN '' ELSE printf('%.2f', a.median_ms / e.median_ms) END AS 'x empty',
  CASE WHEN a.median_ms IS NULL OR a.who = 'true' THEN '' ELSE printf('%.1f', a.median_ms / t.m) END AS 'x true',
  coalesce(a.rss_kib, '') AS 'RSS KiB',
  coalesce(s.rss_kib, '') AS 'sqlite3 RSS',
  a.runs AS runs
FROM res a CROSS JOIN t
LEFT JOIN res s ON s.grp = a.grp AND s.size = a.size AND s.who = 'sqlite3'
  AND (s.name = a.name OR (a.grp = 'base' AND a.who = 'aiproj'))
LEFT JOIN res e ON e.grp = a.grp AND e.name = a.name AND e.size = 1 AND e.who = 'aiproj' AND a.size > 1
WHERE a.who IN ('aiproj', 'true') AND a.grp NOT IN ('pg', 'import', 'impwhole')
ORDER BY a.grp = 'report', a.rowid"
echo "aiproj ms / sqlite3 ms: medians; x sqlite3: aiproj / the sqlite3 shell running the"
echo "same SQL; x empty: aiproj on this store / on the 1-project store; x true: / /bin/true."
echo "RSS: max resident set (/usr/bin/time %M) of aiproj, and of the sqlite3 baseline."

# ---- PostgreSQL ----

echo
if [ -n "$PG_SKIP" ]; then
	echo "PostgreSQL rows skipped: $PG_SKIP"
else
	echo "aiproj on PostgreSQL $PG_VER at $PG_HOST over TCP ($PG_CONF) beside aiproj on SQLite, $PG_N projects in each:"
	q -column -header "$RES" "
WITH t AS (SELECT median_ms AS m FROM res WHERE who = 'true')
SELECT p.name AS 'case',
  CASE WHEN p.size % 1000 = 0 THEN (p.size / 1000) || 'k' ELSE p.size END AS store,
  printf('%.2f', s.median_ms) AS 'sqlite ms',
  printf('%.2f', p.median_ms) AS 'pg ms',
  printf('%.2f', p.median_ms / s.median_ms) AS 'pg/sqlite',
  printf('%.1f', p.median_ms / t.m) AS 'x true',
  s.rss_kib AS 'sqlite RSS',
  p.rss_kib AS 'pg RSS',
  p.runs AS runs
FROM res p CROSS JOIN t
JOIN res s ON s.grp = 'pg' AND s.who = 'aiproj' AND s.name = p.name AND s.size = p.size
WHERE p.grp = 'pg' AND p.who = 'aiproj-pg'
ORDER BY p.rowid"
	echo "store: projects in both stores, the same ones (a gen.sh store, and its aiproj copy"
	echo "into PostgreSQL); sqlite ms / pg ms: medians of aiproj on the SQLite file / on the"
	echo "PostgreSQL database, each run a new process (and connection); pg/sqlite: pg ms / sqlite"
	echo "ms, both from this run; x true: pg ms / /bin/true; RSS: max resident set in KiB."
fi

# ---- import ----

echo
if [ -n "$IMP_SKIP" ]; then
	echo "import rows skipped: $IMP_SKIP"
else
	echo "aiproj import of a generated export of $PG_N projects (gen_export.sh, $(($(wc -c <"$EXPORT") / 1024)) KiB), every run into a store made new for it:"
	q -column -header "$RES" "
WITH t AS (SELECT median_ms AS m FROM res WHERE who = 'true'),
  d AS (SELECT median_ms AS m FROM res WHERE grp = 'import' AND who = 'aiproj' AND name LIKE '%--dry-run%')
SELECT s.name AS 'case',
  CASE WHEN s.size % 1000 = 0 THEN (s.size / 1000) || 'k' ELSE s.size END AS store,
  printf('%.2f', s.median_ms) AS 'sqlite ms',
  CASE WHEN p.median_ms IS NULL THEN '' ELSE printf('%.2f', p.median_ms) END AS 'pg ms',
  CASE WHEN p.median_ms IS NULL THEN '' ELSE printf('%.2f', p.median_ms / s.median_ms) END AS 'pg/sqlite',
  printf('%.2f', s.median_ms / d.m) AS 'x dry-run',
  printf('%.1f', s.median_ms / t.m) AS 'x true',
  CASE WHEN p.median_ms IS NULL THEN '' ELSE printf('%.1f', p.median_ms / t.m) END AS 'pg x true',
  s.rss_kib AS 'sqlite RSS',
  coalesce(p.rss_kib, '') AS 'pg RSS',
  s.runs AS runs
FROM res s CROSS JOIN t CROSS JOIN d
LEFT JOIN res p ON p.grp = 'import' AND p.who = 'aiproj-pg' AND p.name = s.name AND p.size = s.size
WHERE s.grp = 'import' AND s.who = 'aiproj'
ORDER BY s.rowid"
	echo "sqlite ms / pg ms: medians of \`aiproj import FILE\` into a new SQLite file / a new"
	echo "PostgreSQL database (file and -wal/-shm deleted, database dropped and re-created, before"
	echo "each run, untimed); the import makes the tables itself on both. Baselines: --dry-run"
	echo "into an empty store (made by init, untimed) does the same inserts and rolls them back;"
	echo "\"all unchanged\" imports into a copy of a store holding every project: the file read,"
	echo "checked and compared with the store, nothing written. x dry-run: sqlite ms / the"
	echo "--dry-run's; pg/sqlite, x true (sqlite ms), pg x true (pg ms): as above."
	[ -z "$PG_SKIP" ] || echo "pg ms is empty: the PostgreSQL rows are skipped (above)."
fi

# ---- streaming import ----

if q "$RES" "SELECT 1 FROM res WHERE grp = 'impwhole'" | grep -q 1; then
	echo
	echo "aiproj import of a generated file (gen_export.sh) into a new SQLite file, and the export of that store:"
	q -column -header "$RES" "
SELECT name AS 'case', CASE WHEN size % 1000 = 0 THEN (size / 1000) || 'k' ELSE size END AS projects,
  printf('%.2f', median_ms / 1000) AS 's', rss_kib AS 'RSS KiB', runs
FROM res WHERE grp = 'impwhole' ORDER BY size, rowid"
fi

# ---- targets ----

echo
echo "targets:"
q -list "$RES" "
WITH a AS (SELECT * FROM res WHERE who = 'aiproj'), s AS (SELECT * FROM res WHERE who = 'sqlite3')
SELECT printf('  %-7s stage advance <= 1.1 x sqlite3 baseline, %s store: %.2f x',
    CASE WHEN a.median_ms <= 1.1 * s.median_ms THEN 'MET' ELSE 'NOT MET' END,
    CASE WHEN a.size = 1 THEN 'empty' ELSE (a.size / 1000) || 'k' END, a.median_ms / s.median_ms)
FROM a JOIN s USING (grp, name, size) WHERE a.name = 'stage advance --force'
UNION ALL
SELECT printf('  %-7s export <= 1.5 x sqlite3 .dump, %dk projects: %.2f s vs %.2f s, %.2f x',
    CASE WHEN a.median_ms <= 1.5 * s.median_ms THEN 'MET' ELSE 'NOT MET' END,
    a.size / 1000, a.median_ms / 1000, s.median_ms / 1000, a.median_ms / s.median_ms)
FROM a JOIN s USING (grp, name, size) WHERE a.grp = 'report' AND a.name = 'export' AND a.size > 1
UNION ALL
SELECT printf('  %-7s %s on %dk <= 1.3 x empty store: %.2f x',
    CASE WHEN a.median_ms <= 1.3 * e.median_ms THEN 'MET' ELSE 'NOT MET' END,
    a.name, a.size / 1000, a.median_ms / e.median_ms)
FROM a JOIN a e ON e.grp = a.grp AND e.name = a.name AND e.size = 1
WHERE a.grp = 'single' AND a.size > 1
UNION ALL
SELECT printf('  %-7s %s over %dk < 1 s: %.0f ms',
    CASE WHEN a.median_ms < 1000 THEN 'MET' ELSE 'NOT MET' END, a.name, a.size / 1000, a.median_ms)
FROM a WHERE a.grp = 'report' AND a.size = $BIG AND a.name LIKE 'report%'
UNION ALL
SELECT printf('  %-7s %s over %dk < %d ms: %.0f ms',
    CASE WHEN a.median_ms < t.ms THEN 'MET' ELSE 'NOT MET' END, a.name, a.size / 1000, t.ms, a.median_ms)
FROM a JOIN (SELECT 'report status --all' AS name, 250 AS ms
    UNION ALL SELECT 'report roles --all', 400 UNION ALL SELECT 'report people', 400) t USING (name)
WHERE a.grp = 'report' AND a.size = $BIG AND a.size >= 100000
UNION ALL
SELECT printf('  %-7s report page over %dk < 3 s: %.0f ms',
    CASE WHEN a.median_ms < 3000 THEN 'MET' ELSE 'NOT MET' END, a.size / 1000, a.median_ms)
FROM a WHERE a.grp = 'report' AND a.size = $BIG AND a.name = 'page'
UNION ALL
SELECT printf('  %-7s report page over %dk < 20 MB: %.1f MB',
    CASE WHEN CAST(a.note AS INTEGER) < 20000000 THEN 'MET' ELSE 'NOT MET' END, a.size / 1000,
    CAST(a.note AS INTEGER) / 1e6)
FROM a WHERE a.grp = 'report' AND a.size = $BIG AND a.name = 'page'
UNION ALL
SELECT printf('  %-7s report flow over %dk < 400 ms: %.0f ms',
    CASE WHEN a.median_ms < 400 THEN 'MET' ELSE 'NOT MET' END, a.size / 1000, a.median_ms)
FROM a WHERE a.grp = 'report' AND a.size = $BIG AND a.size >= 100000 AND a.name = 'flow'
UNION ALL
SELECT printf('  %-7s report status --sort -days --limit 10 over %dk < 50 ms: %.0f ms',
    CASE WHEN a.median_ms < 50 THEN 'MET' ELSE 'NOT MET' END, a.size / 1000, a.median_ms)
FROM a WHERE a.grp = 'report' AND a.size = $BIG AND a.size >= 100000 AND a.name LIKE 'stuck:%'
UNION ALL
SELECT printf('  %-7s events, a look with nothing new (a follower at each commit), over %dk < 50 ms: %.0f ms',
    CASE WHEN a.median_ms < 50 THEN 'MET' ELSE 'NOT MET' END, a.size / 1000, a.median_ms)
FROM a WHERE a.grp = 'report' AND a.size = $BIG AND a.size >= 100000 AND a.name LIKE 'events:%'
UNION ALL
SELECT printf('  %-7s verify over %dk < 2 s: %.0f ms',
    CASE WHEN a.median_ms < 2000 THEN 'MET' ELSE 'NOT MET' END, a.size / 1000, a.median_ms)
FROM a WHERE a.grp = 'report' AND a.size = 10000 AND a.name = 'verify'
UNION ALL
SELECT printf('  %-7s peak memory < 16 MiB for single-project commands: max %d KiB (%s, %s)',
    CASE WHEN max(rss_kib) < 16384 THEN 'MET' ELSE 'NOT MET' END, max(rss_kib), name,
    CASE WHEN size = 1 THEN 'empty' ELSE (size / 1000) || 'k' END)
FROM a WHERE grp = 'single'
UNION ALL
SELECT printf('  %-7s peak memory of import < 32 MiB, %dk projects: %d KiB',
    CASE WHEN rss_kib < 32768 THEN 'MET' ELSE 'NOT MET' END, size / 1000, rss_kib)
FROM a WHERE grp = 'impwhole' AND name LIKE 'import%'
UNION ALL
SELECT printf('  %-7s import into a new store <= 2 x export of it, %dk projects: %.2f s vs %.2f s, %.2f x',
    CASE WHEN i.median_ms <= 2 * e.median_ms THEN 'MET' ELSE 'NOT MET' END, i.size / 1000,
    i.median_ms / 1000, e.median_ms / 1000, i.median_ms / e.median_ms)
FROM a i JOIN a e ON e.grp = i.grp AND e.size = i.size AND e.name LIKE 'export%'
WHERE i.grp = 'impwhole' AND i.name LIKE 'import%'
UNION ALL
SELECT printf('  (floor) the same rows written by SQLite alone, %dk projects: %.2f s, %.2f x the export; the import %.2f x this',
    f.size / 1000, f.median_ms / 1000, f.median_ms / e.median_ms, i.median_ms / f.median_ms)
FROM res f JOIN a e ON e.grp = f.grp AND e.size = f.size AND e.name LIKE 'export%'
JOIN a i ON i.grp = f.grp AND i.size = f.size AND i.name = 'import (new store)'
WHERE f.grp = 'impwhole' AND f.name = 'rows written alone (floor)'
UNION ALL
SELECT printf('  %-7s import into PostgreSQL <= 3 x the SQLite import, %dk projects: %.2f s vs %.2f s, %.2f x',
    CASE WHEN p.median_ms <= 3 * i.median_ms THEN 'MET' ELSE 'NOT MET' END, p.size / 1000,
    p.median_ms / 1000, i.median_ms / 1000, p.median_ms / i.median_ms)
FROM a p JOIN a i ON i.grp = p.grp AND i.size = p.size AND i.name = 'import (new store)'
WHERE p.grp = 'impwhole' AND p.name = 'PostgreSQL import (new database)'"

# ---- copy (issue 20): into PostgreSQL <= 3 x the SQLite import ----
q -list "$RES" "
SELECT printf('  %-7s copy into PostgreSQL <= 3 x the SQLite import, %dk projects: %.2f s vs %.2f s, %.2f x',
    CASE WHEN c.median_ms <= 3 * i.median_ms THEN 'MET' ELSE 'NOT MET' END, c.size / 1000,
    c.median_ms / 1000, i.median_ms / 1000, c.median_ms / i.median_ms)
FROM res c JOIN res i ON i.grp = c.grp AND i.size = c.size AND i.name LIKE 'import%'
WHERE c.grp = 'impwhole' AND c.name = 'copy --to PostgreSQL'"
# ---- end of copy ----

if [ "${BENCH_KEEP:-}" != 1 ]; then
	rm -rf "$W"
fi
