#!/bin/sh
# compare.sh - run the same scripted lifecycle against an SQLite store and a
# PostgreSQL store and require identical stdout, stderr and exit codes.
#
#   AIPROJ=build/aiproj sh tests/pg/compare.sh
#
# With $AIPROJ_PG_URL unset it starts a throwaway cluster with
# tests/pg/cluster.sh (and stops it at the end); otherwise $AIPROJ_PG_URL is
# a role that may CREATE DATABASE (postgresql://USER@HOST:PORT/DB).  Each
# scenario gets a fresh SQLite file and a fresh database.  The store's
# location is the one thing allowed to differ: it is replaced by STORE in
# both outputs before they are compared.
#
# Scenarios: the seed story through every stage and back, every report and
# list in every format, export and import, the error paths (usage, not
# found, refused, conflict, bad input, foreign and newer stores, busy),
# races of 8 processes (--expect, names taken, counting), and what only a
# server store has (connection errors, passwords never shown, the
# authenticated actor, concurrent first runs, migration from version 1).
# Prints "compare: N passed, M failed"; exits non-zero when any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
AIPROJ=${AIPROJ:-$root/build/aiproj}
case $AIPROJ in /*) ;; *) AIPROJ=$(pwd)/$AIPROJ ;; esac
[ -x "$AIPROJ" ] || { echo "compare: no aiproj binary at $AIPROJ" >&2; exit 2; }
command -v jq >/dev/null || { echo "compare: jq is needed" >&2; exit 2; }
command -v psql >/dev/null || { echo "compare: psql is needed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/aiproj-pgcmp.XXXXXX")
chmod 0755 "$work"
# databases of this run: runs side by side on one server do not meet
DBP=aiproj_cmp_$$
started=0
cleanup() {
	[ "$started" = 1 ] && sh "$here/cluster.sh" stop
	if [ "${FAIL:-1}" = 0 ]; then rm -rf "$work"; else echo "compare: kept $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${AIPROJ_PG_URL:-}" ]; then
	AIPROJ_PG_URL=$(sh "$here/cluster.sh" start) || { echo "compare: cannot start a cluster" >&2; exit 2; }
	started=1
fi
BASE=${AIPROJ_PG_URL%/*}   # postgresql://USER@HOST:PORT
ADMIN=$AIPROJ_PG_URL

export AIPROJ_ACTOR=tester HOME="$work/home" PGCONNECT_TIMEOUT=10
unset XDG_DATA_HOME NO_COLOR AIPROJ_DB AIPROJ_NOW AIPROJ_BUSY_TIMEOUT PGPASSWORD
mkdir -p "$HOME"
PASS=0
FAIL=0
NOW_N=0

# a fixed clock, moved forward on demand, so both stores get the same stamps
tick() {
	NOW_N=$((NOW_N + 1))
	AIPROJ_NOW=$(printf '2026-02-%02dT%02d:%02d:00.%03dZ' $((1 + NOW_N / 24 % 27)) $((NOW_N % 24)) $((NOW_N % 60)) $((NOW_N % 1000)))
	export AIPROJ_NOW
}
tick

sql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }

# fresh NAME: a new SQLite file $SQ and a new database $PGU
fresh() {
	SCEN=$1
	SQ="$work/$1.db"
	rm -f "$SQ" "$SQ-wal" "$SQ-shm"
	db="${DBP}_$1"
	sql "$ADMIN" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null ||
		{ echo "compare: cannot create database $db" >&2; exit 2; }
	PGU="$BASE/$db"
	echo "== $1"
}

# the PostgreSQL store takes --actor, as the SQLite one does (meta
# allow_actor), and its administrator is the actor that made the SQLite one
allow_actor() {
	sql "$PGU" -c "INSERT INTO meta (key, value) VALUES ('allow_actor', 'true') ON CONFLICT (key) DO UPDATE SET value = excluded.value" \
		-c "UPDATE admin SET person = '$AIPROJ_ACTOR', added_by = '$AIPROJ_ACTOR'" >/dev/null
}

lit() { printf '%s' "$1" | sed 's/[][\/.^$*&|]/\\&/g'; }

# normalize FILE STORE: the store's location becomes STORE, the work dir WORK
norm() {
	sed -e "s|$(lit "$2")|STORE|g" -e "s|$(lit "$work")|WORK|g" "$1"
}

ok() { PASS=$((PASS + 1)); }
bad() {
	FAIL=$((FAIL + 1))
	printf 'FAIL: %s: %s\n' "$SCEN" "$1" >&2
	[ $# -gt 1 ] && printf '%s\n' "$2" | head -40 >&2
}

# run1 STORE ARGS...: one run; $RC, files $work/o and $work/e (normalized)
run1() {
	_s=$1
	shift
	"$AIPROJ" --db "$_s" "$@" >"$work/o.raw" 2>"$work/e.raw" </dev/null
	RC=$?
	norm "$work/o.raw" "$_s" >"$work/o"
	norm "$work/e.raw" "$_s" >"$work/e"
	if grep -q -e Sanitizer -e "runtime error" "$work/e"; then
		bad "aiproj $* on $_s: sanitizer report" "$(cat "$work/e")"
	fi
}

# both ARGS...: the same command on both stores; identical or a failure
both() {
	run1 "$SQ" "$@"
	SRC=$RC
	mv "$work/o" "$work/sq.o"
	mv "$work/e" "$work/sq.e"
	run1 "$PGU" "$@"
	PRC=$RC
	mv "$work/o" "$work/pg.o"
	mv "$work/e" "$work/pg.e"
	if [ "$SRC" != "$PRC" ]; then
		bad "aiproj $*: exit $SRC on SQLite, $PRC on PostgreSQL" \
			"$(cat "$work/sq.e" "$work/pg.e")"
	elif ! cmp -s "$work/sq.o" "$work/pg.o"; then
		bad "aiproj $*: stdout differs" "$(diff -u "$work/sq.o" "$work/pg.o")"
	elif ! cmp -s "$work/sq.e" "$work/pg.e"; then
		bad "aiproj $*: stderr differs" "$(diff -u "$work/sq.e" "$work/pg.e")"
	else
		ok
	fi
	[ -n "${WANT:-}" ] && { [ "$SRC" = "$WANT" ] || bad "aiproj $*: exit $SRC, expected $WANT" "$(cat "$work/sq.e")"; }
	WANT=
}
# want RC ARGS...: both, and the exit code must be RC
want() { WANT=$1; shift; both "$@"; }

# check NAME CONDITION...: a PostgreSQL-only assertion
check() {
	_n=$1
	shift
	if "$@"; then ok; else bad "$_n" "rc=$RC stdout: $(head -c 600 "$work/o") stderr: $(head -c 600 "$work/e")"; fi
}

FORMATS="text json yaml csv markdown"

# the ids of the open manual criteria of project $1's current stage
open_ids() {
	"$AIPROJ" --db "$SQ" --format json gate show "$1" |
		jq -r '.criteria[] | select(.kind == "manual" and (.done | not)) | .id'
}
tick_all() {
	for _id in $(open_ids "$1"); do want 0 gate done "$1" "$_id" --note "checked in review"; done
}

# ---------------------------------------------------------------- story --
fresh story
want 0 init
allow_actor
P=churn
want 0 project create "$P" --description "Predict churn of subscribers"
want 0 --format json stage show "$P"
want 4 stage advance "$P"
want 0 role assign "$P" sponsor "Ana Lima"
want 0 role assign "$P" ai-engineer bo
want 0 role assign "$P" data-analyst al
want 0 decide "$P" make --cost 120000 --reason "no vendor fits"
want 0 kpi add "$P" auc --target '>= 0.8'
tick
tick_all "$P"
want 4 stage advance "$P"
want 4 --actor bo gate approve "$P"
want 4 gate approve "$P"
want 0 --actor "Ana Lima" gate approve "$P" --note go
want 0 --format json gate show "$P"
want 0 stage check "$P" --gate
tick
want 0 --actor "Ana Lima" stage advance "$P" --expect feasibility --reason "kick-off done"
want 0 --format json gate show "$P" --stage feasibility
want 4 stage advance "$P"
want 0 role assign "$P" data-engineer dee
tick_all "$P"
want 4 --actor "Ana Lima" gate approve "$P"
want 0 --actor dee gate approve "$P"
tick
want 0 stage advance "$P"
want 0 role assign "$P" data-scientist sci
tick_all "$P"
want 0 --actor sci gate approve "$P"
tick
want 0 --actor sci stage advance "$P"
tick_all "$P"
want 4 stage advance "$P"
want 0 role assign "$P" devops ops
want 0 --actor dee gate approve "$P"
want 4 stage advance "$P" --expect productization   # no ai-engineer sign-off yet
want 0 --actor bo gate approve "$P" --as ai-engineer
tick
want 0 stage advance "$P" --expect productization
want 0 kpi record "$P" auc 0.83
tick
want 0 kpi record "$P" auc 0.71
want 1 stage check "$P" --kpis
want 1 --format json stage check "$P" --kpis --at-least productization
want 0 --format json stage check "$P" --at-least productization
tick
want 0 stage back "$P" --to proto --reason "auc dropped below target in production"
want 0 stage show "$P"
want 4 stage back "$P" --to deployment --reason "forward is not back"
want 0 gate add "$P" --stage deployment "On-call rota agreed"
want 0 gate add "$P" --stage prototyping-testing "Bias review"
want 0 component add "$P" feature-store --owner data-engineer --description "Shared features"
want 0 component add "$P" scorer --owner data-scientist --version 1.2
want 0 --actor sci component handover "$P" model --to data-engineer --reason "in production"
want 5 component handover "$P" model --to data-engineer --reason again
want 3 component handover "$P" nope --to devops --reason x
want 0 --format json component list "$P"
want 0 component list "$P"
want 3 gate done "$P" 1 999999 --note x
want 0 role assign "$P" data-analyst "Dee Ark" --title "data architect"
want 0 --actor sci stage advance "$P" --force --reason "hotfix approved by the sponsor"
want 0 project create beta --description "Second project"
want 0 role assign beta sponsor "Émile Zola"
want 0 role assign beta sponsor "zed"
# one person whatever the case: "Zed" is "zed", assigned already
want 5 role assign beta sponsor "Zed"
want 0 role assign beta data-analyst "al"
want 0 role assign beta devops "Ana Lima"
want 0 project create alpha-9
want 0 project create 0x10 --description "hex-looking name"
want 0 project create held
want 0 project hold held --reason "waiting for data access"
want 0 kpi add beta latency --target '< 120'
want 0 kpi add beta precision --target '== 0.1'
want 0 kpi add beta tiny --target '>= 1e-7'
want 0 kpi add beta big --target '<= 1e15'
both kpi add beta bigger --target '<= 1e300'
both kpi add beta huge --target '<= 1.7976931348623157e308'
want 0 kpi add beta third --target '> 0.30000000000000004'
want 0 kpi add beta neg --target '>= -0'
want 0 kpi add beta many --target '>= 0.1234567890123456789'
both kpi record beta neg -0
both kpi record beta neg -- -0
both kpi record beta neg -- -2.5e-3
want 0 kpi record beta third 0.1
want 0 kpi record beta tiny 123456789.123456789
want 0 kpi record beta many 1e-15
both kpi record beta many 2e-308
want 0 kpi record beta big 999999999999999
both kpi record beta big 9007199254740993
want 0 kpi list beta
want 0 --format json kpi list beta
both --format json stage check beta --kpis
want 0 decide beta make --cost 1234567.891 --reason "in house"
want 0 --format yaml project show beta
want 0 role unassign beta sponsor zed
want 0 decide beta buy --reason "vendor is cheaper"
both role unassign beta sponsor Zed
for f in $FORMATS; do
	for cmd in "stage history $P" "kpi list beta" "kpi list $P" "role show $P" \
		"role show beta" "component list $P" "project list" "project list --all" \
		"project list --stage feasibility" "stage list" "role list" \
		"report roles" "report roles $P beta" "report roles --all" \
		"report people" "report people --all" "report status" "report status --all" \
		"project show $P" "project show beta" "stage show $P" "gate show $P" \
		"gate show $P --stage deployment" "policy show" "report lifecycle $P" \
		"stage check $P --at-least proto --gate --kpis"; do
		# shellcheck disable=SC2086
		both --format "$f" $cmd
	done
done
want 1 --format github stage check "$P" --gate
want 1 --format github stage check "$P" --is deployment
want 0 -q stage check "$P" --at-least data-preparation
want 0 project rename alpha-9 alpha-10
want 5 project rename alpha-10 beta
want 0 project rename alpha-10 alpha-10
want 0 project resume held
want 0 project close held --reason "replaced by vendor tool"
want 4 stage advance held
want 0 gate reopen "$P" 1
want 0 gate done "$P" 1
want 0 component remove "$P" feature-store
want 0 project delete 0x10 --yes
want 0 report status --all
want 0 --format json report people --all
want 0 project list --all
want 0 export
want 0 --format json export

# --------------------------------------------------------------- errors --
fresh errors
want 0 project create p1
allow_actor
want 0 role assign p1 sponsor s
want 3 project show nope
want 3 stage show nope
want 3 stage advance nope
want 3 gate show p1 --stage nosuch
want 3 role assign p1 wizard bob
want 3 role assign nope sponsor bob
want 5 project create p1
want 5 role assign p1 sponsor s
want 3 role unassign p1 sponsor nobody
want 3 kpi record p1 nokpi 1
want 0 kpi add p1 acc --target '>= 0.9'
want 5 kpi add p1 acc --target '>= 0.5'
want 0 component add p1 api --owner devops
want 5 component add p1 api --owner devops
want 3 component remove p1 nothere
want 3 gate done p1 999
want 3 gate reopen p1 999
want 5 stage advance p1 --expect data-preparation --force --reason r
want 5 stage back p1 --to feasibility --reason r --expect deployment
want 4 stage back p1 --to feasibility --reason "no earlier stage"
want 2 stage back p1 --to feasibility
want 2 stage advance p1 --force
want 2 project create "bad name"
want 2 project create ""
want 2 role assign p1 sponsor ""
want 2 kpi add p1 x --target 'about 3'
want 2 kpi record p1 acc abc
want 2 kpi record p1 acc nan
want 2 kpi record p1 acc inf
want 2 decide p1 make --cost -5 --reason r
want 2 decide p1 maybe --reason r
want 2 --format xml project list
want 2 frobnicate
want 2 project delete p1
want 0 project hold p1 --reason "pause"
want 4 stage advance p1 --force --reason r
both role assign p1 ai-engineer x
want 0 project resume p1
want 0 policy set roles
want 4 --actor mallory stage advance p1 --force --reason "sneaky"
want 4 --actor mallory decide p1 make --cost 1 --reason r
want 0 policy show
want 0 --format json policy show
want 0 --actor s decide p1 buy --reason "vendor"
want 4 stage advance p1 --force --reason r
want 0 project list --all
want 0 --format json project show p1
printf 'aiproj: 1\nprojects:\n  - name: [unclosed\n' >"$work/bad.yaml"
want 6 import "$work/bad.yaml"
printf 'aiproj: 1\nprojects:\n  - name: ok\n    stage: nowhere\n' >"$work/bad2.yaml"
want 6 import "$work/bad2.yaml"
want 3 import "$work/missing.yaml"
want 6 import "$work/bad.yaml" --dry-run

# -------------------------------------------------------- export/import --
fresh export
want 0 project create e1 --description "line one
line two	tabbed"
allow_actor
want 0 role assign e1 sponsor "Ana Lima"
want 0 role assign e1 ai-engineer "Bo Chen"
want 0 decide e1 make --cost 0.1 --reason "null"
want 0 kpi add e1 auc --target '>= 0.80'
want 0 kpi record e1 auc 0.5
want 0 kpi record e1 auc 1e-7
want 0 kpi add e1 yes --target '> 3'
want 0 project create e2
want 0 gate add e2 --stage feasibility "no"
tick_all e1
want 0 --actor "Ana Lima" gate approve e1
tick
want 0 stage advance e1
tick
want 0 stage back e1 --to feasibility --reason "cost estimate was wrong"
want 0 project close e2 --reason "null"
for f in yaml json; do want 0 --format "$f" export; done
want 0 export e1
want 3 export nope
want 0 export -o "$work/exp-SIDE.yaml"
"$AIPROJ" --db "$SQ" export -o "$work/sq-export.yaml" 2>/dev/null
"$AIPROJ" --db "$PGU" export -o "$work/pg-export.yaml" 2>/dev/null
if cmp -s "$work/sq-export.yaml" "$work/pg-export.yaml"; then ok; else bad "export files differ" "$(diff -u "$work/sq-export.yaml" "$work/pg-export.yaml")"; fi
keep_sq=$SQ keep_pg=$PGU
fresh import
want 0 import "$work/sq-export.yaml" --dry-run   # no store yet: what a new one would get, on both
want 0 import "$work/sq-export.yaml"
want 0 import "$work/sq-export.yaml"
want 0 --format json import "$work/sq-export.yaml"
"$AIPROJ" --db "$PGU" export -o "$work/pg-again.yaml" 2>/dev/null
if cmp -s "$work/sq-export.yaml" "$work/pg-again.yaml"; then ok; else bad "export, import, export: bytes differ" "$(diff -u "$work/sq-export.yaml" "$work/pg-again.yaml")"; fi
want 0 project rename e1 e1x
want 0 project rename e1x e1
want 0 kpi record e1 auc 0.9
want 5 import "$work/sq-export.yaml"
want 0 report status --all
want 0 --format csv report roles --all
SQ=$keep_sq PGU=$keep_pg

# a portfolio larger than one cursor batch (1000 rows): every list and
# report streams it in the same order, and it exports to the same bytes
fresh large
# (the export's end record counts the copies; the hashes hold: no row's
# hash covers its project's name; the people, listed after the projects,
# once)
awk 'NR <= 2 { print; next } /^people:$/ { ppl = 1 } /^end:$/ { end = 1 }
	!ppl && !end { body = body $0 "\n"; if (/^- name: /) n++ }
	ppl && !end { people = people $0 "\n" }
	END { for (i = 1; i <= 600; i++) { b = body; gsub(/\n- name: /, "\n- name: n" i "-", b);
		sub(/^- name: /, "- name: n" i "-", b); printf "%s", b }
		printf "%send:\n  projects: %d\n", people, 600 * n }' \
	"$work/sq-export.yaml" >"$work/large.yaml"
want 0 import "$work/large.yaml"
allow_actor
want 0 project list --all
want 0 project list --stage feasibility
want 0 --format csv report status --all
want 0 --format json report people --all
want 0 --format json report roles --all
want 0 report roles n77-e1 n1-e2 n600-e1
"$AIPROJ" --db "$SQ" export -o "$work/large-sq.yaml" 2>/dev/null
"$AIPROJ" --db "$PGU" export -o "$work/large-pg.yaml" 2>/dev/null
if cmp -s "$work/large-sq.yaml" "$work/large-pg.yaml"; then ok; else bad "large export differs" "$(diff "$work/large-sq.yaml" "$work/large-pg.yaml" | head -20)"; fi

# ------------------------------------------------------ own lifecycle --
fresh custom
lcdir=$root/tests/e2e/lifecycles
want 0 init --lifecycle "$lcdir/three.yaml"
allow_actor
want 0 stage list
want 0 --format json role list
want 0 project create c1
both init --lifecycle "$lcdir/seven.yaml"
want 0 --format markdown report roles c1
want 0 --format csv report status
want 0 stage advance c1 --force --reason "three stages"
want 0 --format yaml stage history c1
fresh custom7
want 0 init --lifecycle "$lcdir/seven.yaml"
allow_actor
want 0 project create c7
want 0 stage advance c7 --force --reason r
want 0 report roles c7
want 0 --format json gate show c7

# ---------------------------------------------------------------- races --
# run N copies of one command at once on STORE; lines "RC<TAB>stderr"
race() {
	_store=$1 _n=$2
	shift 2
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		( "$AIPROJ" --db "$_store" "$@" >"$work/race.$_i.o" 2>"$work/race.$_i.e" </dev/null
		  echo $? >"$work/race.$_i.rc" ) &
		_i=$((_i + 1))
	done
	wait
	if cat "$work"/race.*.e | grep -q -e Sanitizer -e "runtime error"; then
		bad "race: aiproj $* on $_store: sanitizer report" "$(cat "$work"/race.*.e)"
	fi
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		printf '%s\t%s\t%s\n' "$(cat "$work/race.$_i.rc")" \
			"$(norm "$work/race.$_i.o" "$_store" | tr '\n' ' ')" \
			"$(norm "$work/race.$_i.e" "$_store" | tr '\n' ' ')"
		_i=$((_i + 1))
	done | sort
}
# both_race N ARGS...: the sorted outcomes must be the same on both stores
both_race() {
	_n=$1
	shift
	race "$SQ" "$_n" "$@" >"$work/race.sq"
	race "$PGU" "$_n" "$@" >"$work/race.pg"
	if cmp -s "$work/race.sq" "$work/race.pg"; then ok; else bad "race x$_n: aiproj $*" "$(diff -u "$work/race.sq" "$work/race.pg")"; fi
}
fresh races
want 0 init
allow_actor
want 0 project create r1
both_race 8 stage advance r1 --expect feasibility --force --reason "race"
if grep -c '^0	' "$work/race.pg" | grep -qx 1; then ok; else bad "--expect race: not exactly one winner" "$(cat "$work/race.pg")"; fi
want 0 stage history r1
both_race 8 stage back r1 --to feasibility --expect data-preparation --reason "race back"
want 0 stage history r1
both_race 8 role assign r1 sponsor "Same Person"
if grep -c '^0	' "$work/race.pg" | grep -qx 1; then ok; else bad "assign race: not exactly one winner" "$(cat "$work/race.pg")"; fi
both_race 8 project create racer
want 0 kpi add r1 n --target '>= 0'
both_race 8 kpi record r1 n 1
both_race 8 gate add r1 --stage deployment "Same text"
want 0 --format json gate show r1 --stage deployment
# 8 processes x 25 readings each: none lost
for side in "$SQ" "$PGU"; do
	_i=0
	while [ "$_i" -lt 8 ]; do
		( _j=0; while [ "$_j" -lt 25 ]; do "$AIPROJ" --db "$side" -q kpi record r1 n "$_j" || echo lost; _j=$((_j + 1)); done ) >"$work/count.$_i" 2>&1 &
		_i=$((_i + 1))
	done
	wait
	if [ -z "$(cat "$work"/count.*)" ]; then ok; else bad "counting race on $side: failures" "$(cat "$work"/count.*)"; fi
done
n=$("$AIPROJ" --db "$PGU" --format json export r1 | jq '[.projects[0].kpis[0].readings[]] | length')
if [ "$n" = 208 ]; then ok; else bad "counting race: $n readings on PostgreSQL, expected 208"; fi

# ----------------------------------------------------------------- busy --
fresh busy
want 0 project create b1
allow_actor
# hold the writers' lock for 3 s: SQLite with BEGIN IMMEDIATE, PostgreSQL
# with the advisory lock aiproj takes
( printf 'BEGIN IMMEDIATE;\nINSERT INTO meta VALUES ('"'"'x'"'"', '"'"'y'"'"');\n'; sleep 3; printf 'ROLLBACK;\n' ) | sqlite3 "$SQ" &
( printf 'BEGIN;\nSELECT pg_advisory_xact_lock(%s);\n' $((0x41495052)); sleep 3; printf 'ROLLBACK;\n' ) | psql -X -q "$PGU" >/dev/null &
sleep 1
export AIPROJ_BUSY_TIMEOUT=300
want 8 stage advance b1 --force --reason "busy"
AIPROJ_BUSY_TIMEOUT=0
want 8 role assign b1 sponsor x
unset AIPROJ_BUSY_TIMEOUT
want 0 project list
want 0 stage show b1
wait
want 0 stage advance b1 --force --reason "free again"

# ------------------------------------------------------- via AIPROJ_DB --
fresh envdb
for s in "$SQ" "$PGU"; do
	AIPROJ_DB=$s "$AIPROJ" project create viaenv >"$work/o.raw" 2>"$work/e.raw"
	RC=$?
	norm "$work/o.raw" "$s" >"$work/o"
	norm "$work/e.raw" "$s" >"$work/e"
	check "AIPROJ_DB=$s project create" grep -qx "Created project 'viaenv' at stage feasibility (18 criteria, 3 components)" "$work/o"
done
want 0 project list
want 0 --format json init

# ------------------------------------------------- PostgreSQL only --
fresh pgonly
SCEN=pgonly
# the authenticated user acts unless the admin allows --actor
run1 "$PGU" project create who
run1 "$PGU" --actor "Someone Else" stage advance who --force --reason "who acts"
user=${BASE#*://}
user=${user%%@*}
user=${user%%:*}
run1 "$PGU" --format json stage history who
check "the actor is the database user" test "$(jq -r '.transitions[0].actor' "$work/o")" = "$user"
allow_actor
run1 "$PGU" --actor "Someone Else" stage back who --to feasibility --reason "now allowed"
run1 "$PGU" --format json stage history who
check "allow_actor: --actor counts" test "$(jq -r '.transitions[1].actor' "$work/o")" = "Someone Else"

# connection failures: exit 7, libpq's first line, the URI shown
port=${BASE##*:}
run1 "postgresql://$user@127.0.0.1:1/x" project list
check "refused connection: exit 8 (try again)" test "$RC" = 8
check "refused connection: message" grep -q "^aiproj: error: store 'STORE' is unavailable: connection to server at \"127.0.0.1\", port 1 failed: Connection refused; try again$" "$work/e"
run1 "$BASE/no_such_database_here" project list
check "unknown database: exit 7" test "$RC" = 7
check "unknown database: message" grep -q 'database "no_such_database_here" does not exist' "$work/e"
check "one line" test "$(wc -l <"$work/e")" = 1

# a password is never shown, neither on failure nor in init's output
secret=aiproj-Secret-pw1
pwurl="postgresql://aiproj_pw:$secret@127.0.0.1:$port/aiproj_pw?password=$secret&connect_timeout=5"
"$AIPROJ" --db "$pwurl" init >"$work/o" 2>"$work/e"
RC=$?
if [ "$RC" = 0 ]; then
	shown="postgresql://aiproj_pw@127.0.0.1:$port/aiproj_pw?connect_timeout=5"
	check "password role: init" grep -Fqx -e "Initialized empty aiproj store at $shown" -e "aiproj store at $shown is ready" "$work/o"
	"$AIPROJ" --db "$pwurl" --format json init >"$work/o" 2>"$work/e"
	check "password: not in JSON" test "$(jq -r .store "$work/o")" = "postgresql://aiproj_pw@127.0.0.1:$port/aiproj_pw?connect_timeout=5"
	"$AIPROJ" --db "postgresql://aiproj_pw:wrong-$secret@127.0.0.1:$port/aiproj_pw" project list >"$work/o" 2>"$work/e"
	RC=$?
	check "wrong password: exit 7" test "$RC" = 7
	check "wrong password: message" grep -q "^aiproj: error: cannot open store 'postgresql://aiproj_pw@127.0.0.1:$port/aiproj_pw': .*password authentication failed" "$work/e"
	check "wrong password: not shown" sh -c "! grep -q Secret '$work/o' '$work/e'"
	AIPROJ_DB=$pwurl "$AIPROJ" project show nope >"$work/o" 2>"$work/e"
	check "password: not in errors" sh -c "! grep -q Secret '$work/o' '$work/e'"
else
	echo "compare: no password role on this server: skipped those checks" >&2
fi

# passwords in malformed URIs: never shown, whole or in part
for u in "postgresql://u:pa/ss3cr3t@127.0.0.1:$port/db" "postgresql://u:p@ss3cr3t@127.0.0.1:$port/db" \
	"postgresql://u:ss3cr3t%zz@127.0.0.1:$port/db" "postgresql://127.0.0.1:$port/db?password=ss3cr3t%zz" \
	"postgresql://127.0.0.1:$port/db?pass%77ord=ss3cr3t" "postgresql://u:ss3cr3t@127.0.0.1:1/db" \
	"postgres://u:ss3cr3t@127.0.0.1:1/db?password=ss3cr3t&connect_timeout=3"; do
	"$AIPROJ" --db "$u" project list >"$work/o" 2>"$work/e"
	RC=$?
	# (port 1: nothing listens there, a refused connection is exit 8)
	case $u in *@127.0.0.1:1/*) want_rc=8 ;; *) want_rc=7 ;; esac
	check "password in $u: exit $want_rc" test "$RC" = "$want_rc"
	check "password in $u: not shown" sh -c "! grep -q -e 3cr3t -e 'pa\b' -e '\"ss' '$work/e'"
done

# a team store: the owner creates it, a member with only DML grants (and
# SELECT on meta) works in it as the database user, and cannot change the
# policy or allow --actor
fresh shared
if [ -n "${shown:-}" ]; then
	run1 "$PGU" project create team
	sql "$PGU" -c "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO aiproj_pw" \
		-c "REVOKE INSERT, UPDATE, DELETE ON meta FROM aiproj_pw" >/dev/null
	member="postgresql://aiproj_pw:$secret@127.0.0.1:$port/${DBP}_shared"
	"$AIPROJ" --db "$member" role assign team sponsor aiproj_pw >"$work/o" 2>"$work/e"
	RC=$?
	check "member: assigns" test "$RC" = 0
	"$AIPROJ" --db "$member" --actor "Ana Lima" stage advance team --force --reason "as member" >"$work/o" 2>"$work/e"
	"$AIPROJ" --db "$member" --format json stage history team >"$work/o" 2>"$work/e"
	check "member: acts as the database user" test "$(jq -r '.transitions[0].actor' "$work/o")" = aiproj_pw
	"$AIPROJ" --db "$member" policy set roles >"$work/o" 2>"$work/e"
	RC=$?
	check "member: cannot change the policy" test "$RC" = 7
	check "member: permission message" grep -qx "aiproj: error: store 'postgresql://aiproj_pw@127.0.0.1:$port/${DBP}_shared': cannot save a setting: permission denied for table meta" "$work/e"
fi

# a store in its own schema (search_path), beside another application's
# tables; a search_path without a schema is refused
fresh schema
sql "$PGU" -c "CREATE TABLE invoices (id int)" -c "CREATE SCHEMA aiproj" >/dev/null
run1 "$PGU?options=-csearch_path%3Daiproj" project create in-schema
check "own schema: created" test "$RC" = 0
check "own schema: tables there" test "$(sql "$PGU" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'aiproj'")" = 24
run1 "$PGU?options=-csearch_path%3Dnone_such" project list
check "no schema: exit 7" test "$RC" = 7
check "no schema: message" grep -q "^aiproj: error: cannot open store 'postgresql://.*': no schema to use (check the role's search_path)$" "$work/e"

# a database with other tables is not an aiproj store: refused, untouched
fresh foreign
sql "$PGU" -c "CREATE TABLE invoices (id int)" >/dev/null
run1 "$PGU" init
check "foreign database: exit 7" test "$RC" = 7
check "foreign database: message" grep -qx "aiproj: error: 'STORE' is a PostgreSQL database but not an aiproj store; refusing to touch it" "$work/e"
check "foreign database: untouched" test "$(sql "$PGU" -c "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'")" = invoices
sql "$PGU" -c "DROP TABLE invoices; CREATE TABLE meta (key text, value text); INSERT INTO meta VALUES ('application', 'other')" >/dev/null
run1 "$PGU" project list
check "another application's meta: exit 7" test "$RC" = 7
sql "$PGU" -c "DROP TABLE meta; CREATE TABLE meta (k int)" >/dev/null
run1 "$PGU" project list
check "a meta of another shape: exit 7" test "$RC" = 7
check "a meta of another shape: message" grep -q "is a PostgreSQL database but not an aiproj store" "$work/e"

# a newer schema is refused untouched, with SQLite's message
fresh newer
want 0 project create n1
sqlite3 "$SQ" "PRAGMA user_version = 99"
sql "$PGU" -c "UPDATE meta SET value = '99' WHERE key = 'schema_version'" >/dev/null
want 7 project list
want 7 project create n2
check "newer: untouched" test "$(sql "$PGU" -c "SELECT count(*) FROM project")" = 1

# an older store (version 1, no audit table, no status_at, no hash chains)
# is migrated forward
fresh older
want 0 project create o1
# back to what schemas/pg/001-initial.sql alone makes
sql "$PGU" -c "DROP FUNCTION aiproj_summary_mark,
		aiproj_summary_mark_project, aiproj_summary_mark_name,
		aiproj_summary_mark_person, aiproj_summary_refresh CASCADE;
	DROP VIEW summary_live; DROP TABLE project_summary, summary_dirty;
	DROP INDEX approval_person; DROP INDEX kpi_reading_breach;
	DROP TABLE person_event, person_name, person;
	DROP FUNCTION aiproj_release_fields, aiproj_change_fields,
		aiproj_reading_fields, aiproj_chain_release,
		aiproj_chain_change CASCADE;
	DROP TABLE prod_release; DROP TABLE kpi_change;
	ALTER TABLE kpi DROP COLUMN removed_at; ALTER TABLE kpi_reading DROP COLUMN breach;
	ALTER TABLE component DROP COLUMN version; ALTER TABLE assignment DROP COLUMN title;
	ALTER TABLE assignment DROP COLUMN assigned_name;
	DROP FUNCTION aiproj_owner;
	DROP FUNCTION aiproj_feed_end; DROP FUNCTION aiproj_feed_next CASCADE; DROP SEQUENCE feed_seq;
	ALTER TABLE project DROP COLUMN feed_id; ALTER TABLE transition DROP COLUMN feed_id;
	ALTER TABLE criterion DROP COLUMN feed_id; ALTER TABLE approval DROP COLUMN feed_id;
	ALTER TABLE decision DROP COLUMN feed_id; ALTER TABLE kpi DROP COLUMN feed_id;
	ALTER TABLE kpi_reading DROP COLUMN feed_id; ALTER TABLE assignment DROP COLUMN feed_id;
	DROP FUNCTION aiproj_guard(), aiproj_moved() CASCADE;
	DROP FUNCTION aiproj_may, aiproj_changed, aiproj_member;
	DROP TABLE auth_rule, raci, lc_stage, lc_signoff;
	DROP FUNCTION aiproj_gate_check() CASCADE;
	DROP FUNCTION aiproj_gate_missing, aiproj_gate_given;
	ALTER TABLE project DROP COLUMN status_at;
	DROP TABLE audit; DROP TABLE admin; DROP TABLE event; DROP INDEX IF EXISTS transition_back;
	DROP INDEX criterion_stage; CREATE INDEX criterion_stage ON criterion (project_id, stage);
	DROP INDEX approval_project; CREATE INDEX approval_project ON approval (project_id, epoch);
	DROP INDEX approval_chain;
	ALTER TABLE transition DROP COLUMN prev, DROP COLUMN hash;
	ALTER TABLE approval DROP COLUMN prev, DROP COLUMN hash;
	ALTER TABLE kpi_reading DROP COLUMN prev, DROP COLUMN hash;
	DROP FUNCTION aiproj_chain_transition, aiproj_chain_approval,
		aiproj_chain_reading, aiproj_chain_audit CASCADE;
	DROP FUNCTION aiproj_chain_hash, aiproj_chain_field, aiproj_chain_genesis;
	UPDATE meta SET value = '1' WHERE key = 'schema_version'" >/dev/null
# a command that only reads reads it migrated, and converts nothing
run1 "$PGU" policy show
check "read at version 1" test "$RC" = 0
check "a read leaves version 1" test "$(sql "$PGU" -c "SELECT value FROM meta WHERE key = 'schema_version'")" = 1
# a command that writes and commits keeps the migration
run1 "$PGU" init
check "migrated from version 1" test "$RC" = 0
check "at SQLite's version now" test "$(sql "$PGU" -c "SELECT value FROM meta WHERE key = 'schema_version'")" = "$(sqlite3 "$SQ" "PRAGMA user_version")"
check "status_at filled (an active project: created_at)" test "$(sql "$PGU" -c "SELECT status_at = created_at FROM project WHERE name = 'o1'")" = t
want 0 --format json init

# a role that may not create tables: a clear error, nothing created
fresh noperm
if [ -n "${shown:-}" ]; then
	"$AIPROJ" --db "postgresql://aiproj_pw:$secret@127.0.0.1:$port/${DBP}_noperm" init >"$work/o" 2>"$work/e"
	RC=$?
	check "no CREATE privilege: exit 7" test "$RC" = 7
	check "no CREATE privilege: message" grep -qx "aiproj: error: store 'postgresql://aiproj_pw@127.0.0.1:$port/${DBP}_noperm': cannot migrate the store: permission denied for schema public" "$work/e"
	check "no CREATE privilege: nothing created" test "$(sql "$PGU" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0
fi

# eight first runs at once on an empty database: one creates the schema
fresh first
race "$PGU" 8 init >"$work/first"
check "first runs: all succeed" test "$(grep -c '^0	' "$work/first")" = 8
check "first runs: one created it" test "$(grep -c 'Initialized empty' "$work/first")" = 1
# (not compared with SQLite: there, "created" is whether the file existed
# before the open, and two first runs can both see it missing)

echo "compare: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
