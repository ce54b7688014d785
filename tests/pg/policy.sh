#!/bin/sh
# policy.sh - the policy as the PostgreSQL server enforces it
# (schemas/pg/008-server-policy.sql, and for the person tables
# schemas/pg/010-person.sql), with real login roles:
#
#   1. the setup block of docs/postgresql.md ("## Members") runs as it is;
#   2. as members in psql, INSERT, UPDATE and DELETE on every table are
#      refused and change nothing (pg_dump before and after), the
#      projects' summary rows (schemas/pg/020-summary.sql) included;
#   3. through aiproj, members under `roles` are allowed and refused
#      exactly as the same actors on an SQLite store;
#   4. the server's own refusal (the declared actor may, the
#      authenticated one may not), a project deleted by an administrator
#      member is logged, member remove takes the rights away.
#
#   AIPROJ=build/aiproj sh tests/pg/policy.sh
#
# CREATE ROLE needs the cluster's superuser: this runs `cluster.sh psql`
# (the cluster of $AIPROJ_PG_DIR and $AIPROJ_PG_PORT).  With
# $AIPROJ_PG_URL unset it starts a throwaway cluster (and stops it);
# otherwise $AIPROJ_PG_URL is a role of that cluster that may CREATE
# DATABASE, and owns the stores made here (a server whose superuser
# cluster.sh cannot reach: skipped, saying so).  Roles and databases are named
# after this process, and dropped at the end.  Prints "policy: N passed, M
# failed"; exits non-zero when any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
AIPROJ=${AIPROJ:-$root/build/aiproj}
case $AIPROJ in /*) ;; *) AIPROJ=$(pwd)/$AIPROJ ;; esac
[ -x "$AIPROJ" ] || { echo "policy: no aiproj binary at $AIPROJ" >&2; exit 2; }
command -v psql >/dev/null || { echo "policy: psql is needed" >&2; exit 2; }
command -v pg_dump >/dev/null || { echo "policy: pg_dump is needed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/aiproj-pgpol.XXXXXX")
P=aiproj_pol_$$ # the prefix of this run's roles and databases
started=0
PASS=0
FAIL=0
su() { sh "$here/cluster.sh" psql "$@"; }
cleanup() {
	if [ -n "${OWNER_URL:-}" ]; then
		sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
		for r in ana bob cara dan eve; do
			su -c "DROP ROLE IF EXISTS ${P}_$r" >/dev/null 2>&1
		done
	fi
	[ "$started" = 1 ] && sh "$here/cluster.sh" stop
	if [ "$FAIL" = 0 ]; then rm -rf "$work"; else echo "policy: kept $work" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${AIPROJ_PG_URL:-}" ]; then
	AIPROJ_PG_URL=$(sh "$here/cluster.sh" start) || { echo "policy: cannot start a cluster" >&2; exit 2; }
	started=1
fi
# (a server given by $AIPROJ_PG_URL alone: no superuser to make roles)
if ! su -c "SELECT 1" >/dev/null 2>&1; then
	echo "policy: skipped: no superuser of this server to CREATE ROLE (set AIPROJ_PG_DIR and AIPROJ_PG_PORT of its cluster.sh cluster)" >&2
	[ "$started" = 0 ] && exit 0
	exit 2
fi
export HOME="$work" PGCONNECT_TIMEOUT=10
unset AIPROJ_DB AIPROJ_ACTOR AIPROJ_NOW PGPASSWORD XDG_DATA_HOME
owner=${AIPROJ_PG_URL#*://}
owner=${owner%%@*}
BASE=${AIPROJ_PG_URL%/*} # postgresql://USER@HOST:PORT
HOSTPORT=${BASE#*@}
db=${P}_db
OWNER_URL=$BASE/$db

sql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
ok() { PASS=$((PASS + 1)); }
bad() {
	FAIL=$((FAIL + 1))
	printf 'FAIL: %s\n' "$1" >&2
	[ $# -gt 1 ] && printf '%s\n' "$2" | head -20 >&2
}
check() {
	_what=$1
	shift
	if "$@"; then ok; else bad "$_what"; fi
}
# url ROLE: the store as that member
url() { printf 'postgresql://%s_%s@%s/%s' "$P" "$1" "$HOSTPORT" "$db"; }
# as ROLE ARGS...: aiproj as a member (its password: its name, -secret)
as() {
	_r=$1
	shift
	PGPASSWORD=${P}_$_r-secret "$AIPROJ" --db "$(url "$_r")" "$@"
}
# dump: the store, but for the ids a refused insert used up
dump() {
	pg_dump --no-owner --no-privileges "$OWNER_URL" 2>&1 |
		grep -v -e '^--' -e 'pg_catalog.setval' -e '^\\restrict' -e '^\\unrestrict' -e '^$'
}

sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null ||
	{ echo "policy: cannot create database $db" >&2; exit 2; }

echo "== the setup block of docs/postgresql.md"
fence='```'
sed -n '/^## Members$/,/^## /p' "$root/docs/postgresql.md" |
	sed -n "/^${fence}sh\$/,/^$fence\$/p" | sed "/^$fence/d" >"$work/setup.sh"
check "the block is there" grep -q "member add ana" "$work/setup.sh"
# the block's variables: the store as its owner ($OWNER_URL) and as ana
ANA_URL=$(url ana)
export OWNER_URL ANA_URL
# roles are the cluster's, shared: the block's "ana" is this run's
sed -i "s/\bana\b/${P}_ana/g" "$work/setup.sh"
(
	# the server's administrator, over the cluster's socket
	# shellcheck disable=SC2317 # called by the block
	psql() { su "$@"; }
	# shellcheck disable=SC2317
	aiproj() { "$AIPROJ" "$@"; }
	# shellcheck disable=SC1090,SC1091
	. "$work/setup.sh"
) >"$work/setup.out" 2>&1
check "the block runs" test "$?" = 0
check "member list names ana" grep -qx "${P}_ana" "$work/setup.out"

echo "== members and their roles"
for r in bob cara dan eve; do
	su -c "CREATE ROLE ${P}_$r LOGIN PASSWORD '${P}_$r-secret'" >/dev/null
	"$AIPROJ" --db "$OWNER_URL" member add "${P}_$r" >/dev/null
done
"$AIPROJ" --db "$OWNER_URL" member list >"$work/members"
check "member list: all five" test "$(wc -l <"$work/members")" = 5
"$AIPROJ" --db "$OWNER_URL" member add "${P}_bob" >"$work/o"
check "member add again: unchanged" grep -qx "'${P}_bob' is already a member of the store" "$work/o"
"$AIPROJ" --db "$OWNER_URL" member add "${P}_nobody" >"$work/o" 2>"$work/e"
check "member add of a missing role: exit 3" test "$?" = 3
check "member add of a missing role: says so" grep -q "no role '${P}_nobody' on the server: its login role is made first" "$work/e"
q() { "$AIPROJ" --db "$OWNER_URL" -q "$@" || bad "setup: aiproj $*"; }
q admin add "${P}_eve"
q person add 'Pat Doe' --email pat@example.com
q role assign churn-model ai-engineer "${P}_bob"
q role assign churn-model data-engineer "${P}_cara"
as ana decide churn-model make --cost 10 --reason r >/dev/null
as bob kpi record churn-model auc 0.9 >/dev/null
as ana gate approve churn-model >/dev/null
as ana note churn-model 'a word' >/dev/null
as ana stage advance churn-model --force --reason seed >/dev/null
as cara stage back churn-model --to feasibility --reason seed >/dev/null
as dan note churn-model refused 2>/dev/null
check "members write through aiproj" test "$(sql "$OWNER_URL" -c "SELECT count(*) FROM approval")/$(sql "$OWNER_URL" -c "SELECT count(*) FROM transition")/$(sql "$OWNER_URL" -c "SELECT count(*) FROM audit")" = 1/2/1

echo "== psql as a member: every write refused, nothing changed"
pid="(SELECT id FROM project WHERE name = 'churn-model')"
# every write a member tries; a block "# ROLE may: ..." up to the next
# "#" line is left out for ROLE, whose rules allow it
writes() {
	me=$1
	cat <<EOF
INSERT INTO meta (key, value) VALUES ('allow_actor', 'true')
UPDATE meta SET value = 'open' WHERE key = 'policy'
DELETE FROM meta WHERE key = 'policy'
INSERT INTO admin (person, added_by, added_at) VALUES ('$me', '$me', 'x')
UPDATE admin SET person = '$me'
DELETE FROM admin
INSERT INTO project (name, stage, entered_at, created_at, status_at) VALUES ('mine', 'deployment', 'x', 'x', 'x')
UPDATE project SET stage = 'deployment', epoch = epoch + 1
UPDATE project SET stage = 'data-preparation', epoch = epoch + 1
INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, at) VALUES ($pid, 'feasibility', 'deployment', 'forced', '$me', 'x')
UPDATE project SET name = 'taken'
UPDATE project SET status = 'closed'
UPDATE project SET description = 'x'
DELETE FROM project
INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, at) VALUES ($pid, 'data-preparation', 'deployment', 'forced', '$me', 'x')
INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, at) VALUES ($pid, 'feasibility', 'data-preparation', 'advance', '${P}_ana', 'x')
INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, at) VALUES ($pid, 'feasibility', 'productization', 'buy', '$me', 'x')
UPDATE transition SET reason = 'rewritten'
DELETE FROM transition
INSERT INTO criterion (project_id, id, stage, text) VALUES ($pid, 99, 'data-preparation', 'x')
UPDATE criterion SET done = 1, done_by = '$me' WHERE stage = 'data-preparation'
UPDATE criterion SET text = 'x'
DELETE FROM criterion
INSERT INTO assignment (project_id, role, person, assigned_at) VALUES ($pid, 'sponsor', '$me', 'x')
UPDATE assignment SET person = '$me'
DELETE FROM assignment
INSERT INTO decision (project_id, kind, cost, reason, actor, at) VALUES ($pid, 'buy', 1, 'x', '$me', 'x')
UPDATE decision SET cost = 0
DELETE FROM decision
INSERT INTO kpi (project_id, name, op, target, created_at) VALUES ($pid, 'mine', '>=', 0, 'x')
UPDATE kpi SET target = 0
DELETE FROM kpi
INSERT INTO kpi_reading (project_id, kpi, value, actor, at) VALUES ($pid, 'auc', 1, '${P}_ana', 'x')
UPDATE kpi_reading SET value = 1
DELETE FROM kpi_reading
INSERT INTO approval (project_id, stage, epoch, person, role, at) SELECT id, stage, epoch, '$me', 'sponsor', 'x' FROM project
UPDATE approval SET person = '$me'
DELETE FROM approval
UPDATE component SET owner = 'devops'
# bob may: component add and remove (an R role of feasibility)
INSERT INTO component (project_id, name, owner) VALUES ($pid, 'mine', 'devops')
DELETE FROM component
#
INSERT INTO event (project_id, kind, actor, at) VALUES ($pid, 'note', '${P}_ana', 'x')
INSERT INTO event (project_id, kind, subject, detail, actor, at) VALUES ($pid, 'due', 'data-preparation', '2030-01-01', '$me', 'x')
UPDATE event SET note = 'x'
DELETE FROM event
INSERT INTO audit (at, actor, action, project, stage, detail) VALUES ('x', '${P}_ana', 'x', '', '', 'x')
UPDATE audit SET detail = 'x'
DELETE FROM audit
INSERT INTO prod_release (project_id, version, actor, at) VALUES ($pid, '9', '$me', 'x')
UPDATE prod_release SET ended = 'retired', ended_by = '$me', ended_at = 'x'
UPDATE prod_release SET note = 'x'
DELETE FROM prod_release
INSERT INTO kpi_change (project_id, kpi, kind, op, target, was_op, was_target, actor, at) VALUES ($pid, 'auc', 'remove', '>=', 0.8, '>=', 0.8, '$me', 'x')
UPDATE kpi_change SET reason = 'x'
DELETE FROM kpi_change
UPDATE kpi SET removed_at = 'x'
INSERT INTO auth_rule (command, who, admins, self, claim) VALUES ('x', 'admin', true, false, false)
UPDATE auth_rule SET who = 'stage-ar'
DELETE FROM auth_rule
INSERT INTO raci (stage, role, raci) VALUES ('feasibility', 'devops', 'A')
UPDATE raci SET raci = 'A'
DELETE FROM raci
INSERT INTO person (key, name, created_at) VALUES ('mine', 'mine', 'x')
UPDATE person SET email = 'me@example.com'
DELETE FROM person
INSERT INTO person_name (name, person_id) SELECT 'mine', id FROM person LIMIT 1
UPDATE person_name SET name = 'mine'
DELETE FROM person_name
INSERT INTO person_event (person_id, kind, actor, at) SELECT id, 'add', '$me', 'x' FROM person LIMIT 1
UPDATE person_event SET detail = 'x'
DELETE FROM person_event
INSERT INTO project_summary SELECT * FROM summary_live WHERE false
UPDATE project_summary SET criteria = '9:9', approvals = '1:sponsor'
DELETE FROM project_summary
INSERT INTO summary_dirty VALUES (-1)
DELETE FROM summary_dirty
UPDATE summary_live SET status = 'closed'
TRUNCATE project CASCADE
ALTER TABLE project DISABLE TRIGGER aiproj_guard
SET session_replication_role = replica
EOF
}
# rows of schemas/pg/011-releases.sql's tables to try (the owner's: not
# checked), taken away after
sql "$OWNER_URL" -c "INSERT INTO prod_release (project_id, version, actor, at) VALUES ($pid, '0.9', 'seed', 'x')" \
	-c "INSERT INTO kpi_change (project_id, kpi, kind, op, target, was_op, was_target, actor, at) VALUES ($pid, 'auc', 'set', '>=', 0.8, '>=', 0.8, 'seed', 'x')" >/dev/null
before=$(dump)
for r in dan bob; do
	me=${P}_$r
	while IFS= read -r stmt; do
		[ -n "$stmt" ] || continue
		if PGPASSWORD=${P}_$r-secret sql "$(url "$r")" -c "$stmt" >/dev/null 2>"$work/e"; then
			bad "$r may: $stmt"
		else
			ok
		fi
	done <<EOF
$(writes "$me" | sed "/^# $r may:/,/^#/d" | grep -v "^#")
EOF
done
after=$(dump)
if [ "$before" = "$after" ]; then ok; else bad "a refused write changed the store" "$(printf '%s\n' "$before" | diff - /dev/fd/3 3<<EOF
$after
EOF
)"; fi
sql "$OWNER_URL" -c "DELETE FROM prod_release" -c "DELETE FROM kpi_change" >/dev/null

echo "== through aiproj: the same allow and refuse as on SQLite"
SQ=$work/same.db
rm -f "$SQ"
sq() { "$AIPROJ" --db "$SQ" -q "$@" || bad "sqlite setup: aiproj $*"; }
sq --actor "$owner" init --policy roles
for cmd in "project create churn-model" "role assign churn-model sponsor ${P}_ana" \
	"admin add ${P}_eve" "role assign churn-model ai-engineer ${P}_bob" \
	"role assign churn-model data-engineer ${P}_cara"; do
	# shellcheck disable=SC2086
	sq --actor "$owner" $cmd
done
sq --actor "${P}_ana" kpi add churn-model auc --target '>= 0.8'
sq --actor "${P}_ana" decide churn-model make --cost 10 --reason r
sq --actor "${P}_bob" kpi record churn-model auc 0.9
sq --actor "${P}_ana" gate approve churn-model
sq --actor "${P}_ana" note churn-model 'a word'
sq --actor "${P}_ana" stage advance churn-model --force --reason seed
sq --actor "${P}_cara" stage back churn-model --to feasibility --reason seed
"$AIPROJ" --db "$SQ" --actor "${P}_dan" note churn-model refused 2>/dev/null
n=0 allowed=0 refused=0
while IFS='|' read -r who args; do
	[ -n "$who" ] || continue
	n=$((n + 1))
	# shellcheck disable=SC2086
	eval "set -- $args"
	as "$who" "$@" >"$work/pg.o" 2>"$work/pg.e"
	pg=$?
	"$AIPROJ" --db "$SQ" --actor "${P}_$who" "$@" >"$work/sq.o" 2>"$work/sq.e"
	sqrc=$?
	[ -n "${POLICY_TRACE:-}" ] && echo "pair: $who $args -> $pg" >&2
	case $pg in 0) allowed=$((allowed + 1)) ;; 4) refused=$((refused + 1)) ;; esac
	if [ "$pg" = "$sqrc" ] && cmp -s "$work/pg.e" "$work/sq.e"; then
		ok
	else
		bad "$who $args: PostgreSQL $pg, SQLite $sqrc" "$(cat "$work/pg.e" "$work/sq.e")"
	fi
done <<EOF
dan|role assign churn-model devops ${P}_dan
ana|role assign churn-model devops ${P}_dan
bob|role assign churn-model devops ${P}_bob
dan|note churn-model hi
bob|note churn-model hi
dan|kpi add churn-model latency --target '<= 200'
ana|kpi add churn-model latency --target '<= 200'
dan|kpi record churn-model auc 0.5
bob|kpi record churn-model latency 150
cara|gate done churn-model 1
bob|gate done churn-model 1
bob|gate reopen churn-model 1
bob|gate done churn-model 1
bob|gate add churn-model --stage data-preparation 'Schema agreed'
cara|gate add churn-model --stage data-preparation 'Schema agreed'
bob|decide churn-model make --cost 5 --reason r
bob|gate approve churn-model
eve|gate approve churn-model
dan|project hold churn-model --reason r
ana|project hold churn-model --reason r
dan|project resume churn-model
eve|project resume churn-model
dan|stage due churn-model 2030-01-01
ana|stage due churn-model 2030-01-01
bob|stage due churn-model 2030-02-01 --stage data-preparation
cara|stage due churn-model 2030-02-01 --stage data-preparation
dan|component add churn-model api --owner devops
bob|component add churn-model api --owner devops
dan|component remove churn-model api
eve|component remove churn-model api
dan|stage advance churn-model --force --reason r
bob|stage advance churn-model --force --reason r
ana|stage advance churn-model --force --reason r
bob|stage back churn-model --to feasibility --reason r
cara|stage back churn-model --to feasibility --reason r
dan|project create other
eve|project create other
dan|project rename other other2
eve|project rename other other2
dan|project close other2 --reason r
eve|project close other2 --reason r
dan|policy set open
eve|policy set roles
dan|admin add ${P}_dan
eve|admin add ${P}_cara
dan|person add 'Pat Roe'
eve|person add 'Pat Roe'
dan|person set 'Pat Roe' --email pat@example.com
eve|person set 'Pat Roe' --email pat@example.com
eve|role assign churn-model data-analyst 'Pat Roe'
dan|person rename 'Pat Roe' 'Pat Poe'
eve|person rename 'Pat Roe' 'Pat Poe'
dan|role reassign 'Pat Poe' 'Pat Loe'
eve|role reassign 'Pat Poe' 'Pat Loe'
dan|person merge 'Pat Poe' 'Pat Loe'
eve|person merge 'Pat Poe' 'Pat Loe'
cara|admin remove ${P}_cara
ana|role unassign churn-model devops ${P}_dan
dan|project delete other2 --yes
eve|project delete other2 --yes
eve|project create rel
eve|role assign rel ai-engineer ${P}_bob
eve|role assign rel data-engineer ${P}_cara
eve|role assign rel devops ${P}_dan
eve|role assign rel sponsor ${P}_ana
eve|role assign rel data-scientist ${P}_dan
bob|stage advance rel --force --reason r
ana|stage advance rel --force --reason r
cara|stage advance rel --force --reason r
dan|stage advance rel --force --reason r
cara|stage advance rel --force --reason r
bob|release add rel 1.0
dan|release add rel 1.0
dan|release add rel 1.1
eve|kpi add rel auc --target '>= 0.8'
dan|kpi record rel auc 0.5
bob|kpi set rel auc --target '>= 0.7' --reason r
eve|kpi set rel auc --target '>= 0.7' --reason r
cara|release retire rel 1.1 --reason r
eve|release retire rel 1.1 --reason r
bob|kpi remove rel auc --reason r
eve|kpi remove rel auc --reason r
eve|project create par
eve|role assign par sponsor ${P}_ana
eve|role assign par data-engineer ${P}_cara
eve|role assign par ai-engineer ${P}_bob
eve|role assign par data-scientist ${P}_dan
ana|stage advance par --force --reason r
bob|stage start par prototyping-testing
cara|stage start par prototyping-testing
cara|stage advance par --force --reason r
dan|stage advance par --force --reason r
dan|gate approve par --as ai-engineer
bob|gate approve par --as ai-engineer
eve|project create hand
eve|role assign hand data-engineer ${P}_cara
eve|role assign hand ai-engineer ${P}_bob
bob|component handover hand data-in --to ai-engineer --reason r
cara|component handover hand data-in --to ai-engineer --reason r
cara|component handover hand data-in --to devops --reason r
bob|component handover hand data-in --to devops --reason r
eve|component handover hand model --to devops --reason r
dan|role assign hand data-analyst ${P}_dan --title architect
eve|role assign hand sponsor ${P}_ana --title requester
ana|component handover hand data-out --to devops --reason r
eve|project create buy
eve|role assign buy sponsor ${P}_ana
bob|decide buy buy --reason r
ana|decide buy buy --reason r
EOF
check "through aiproj: every pair tried" test "$n" = 109
check "through aiproj: both allowed and refused" test "$allowed" -ge 20 -a "$refused" -ge 20

echo "== the server's gate: an advance only past a gate that holds"
# (schemas/pg/015-server-gate.sql) gt: ana is its sponsor, feasibility's A
as eve project create gt >/dev/null
as eve role assign gt sponsor "${P}_ana" >/dev/null
as eve role assign gt ai-engineer "${P}_bob" >/dev/null
gt="(SELECT id FROM project WHERE name = 'gt')"
advance_sql="UPDATE project SET stage = 'data-preparation', entered_at = 'x', epoch = epoch + 1 WHERE name = 'gt'; INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, at) VALUES ($gt, 'feasibility', 'data-preparation', 'advance', '${P}_ana', 'x')"
before=$(dump)
PGPASSWORD=${P}_ana-secret sql "$(url ana)" -c "BEGIN; $advance_sql; COMMIT" >/dev/null 2>"$work/e"
check "psql: an advance past an unmet gate is refused" test "$?" != 0
check "psql: says what is missing" grep -q "may not record an advance of 'gt' past the gate of feasibility: nobody is assigned\|may not record an advance of 'gt' past the gate of feasibility: no make decision" "$work/e"
check "psql: nothing changed" test "$before" = "$(dump)"
as ana stage advance gt >"$work/o" 2>"$work/e"
check "aiproj: the unmet gate refuses the advance first (exit 4)" test "$?" = 4
# a forced move past the unmet gate is the accountable role's: bob, a
# responsible role, may not write one (schemas/pg/017-guard-split.sql)
forced_sql="UPDATE project SET stage = 'data-preparation', entered_at = 'x', epoch = epoch + 1 WHERE name = 'gt'; INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, reason, at) VALUES ($gt, 'feasibility', 'data-preparation', 'forced', '${P}_bob', 'r', 'x')"
before=$(dump)
PGPASSWORD=${P}_bob-secret sql "$(url bob)" -c "BEGIN; $forced_sql; COMMIT" >/dev/null 2>"$work/e"
check "psql: a forced move by a responsible role is refused" test "$?" != 0
check "psql: by the policy" grep -q "may not insert rows of table transition" "$work/e"
check "psql: nothing changed" test "$before" = "$(dump)"
as bob stage advance gt --force --reason r >"$work/o" 2>"$work/e"
check "aiproj: a responsible role's force is refused first (exit 4)" test "$?" = 4
check "aiproj: says whose it is" grep -q "may not force a move past the gate on 'gt' at 'feasibility': that needs the accountable role (sponsor)" "$work/e"
# the gate made to hold, through aiproj
as ana decide gt make --cost 1 --reason r >/dev/null
as ana kpi add gt auc --target '>= 0.8' >/dev/null
for i in 1 2 3 4; do as ana gate done gt "$i" >/dev/null; done
as ana gate approve gt >/dev/null
check "the gate holds" test "$(as ana --format json gate show gt | jq -r .passed)" = true
# a forged advance that does not move the project
before=$(dump)
PGPASSWORD=${P}_ana-secret sql "$(url ana)" -c "INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, at) VALUES ($gt, 'feasibility', 'data-preparation', 'advance', '${P}_ana', 'x')" >/dev/null 2>"$work/e"
check "psql: an advance without the move is refused" grep -q "may not record an advance of a project that has not moved" "$work/e"
check "psql: nothing changed" test "$before" = "$(dump)"
as ana stage advance gt >"$work/o" 2>"$work/e"
check "aiproj: an advance past a gate that holds is allowed by the server" test "$?" = 0
check "aiproj: the project moved" test "$(sql "$OWNER_URL" -c "SELECT stage || ' ' || (SELECT kind FROM transition WHERE project_id = p.id ORDER BY id DESC LIMIT 1) FROM project p WHERE name = 'gt'")" = "data-preparation advance"

echo "== what only the server sees"
# a buy's move needs its buy decision at the same time, even from the
# holder of the decide rule (ana, feasibility's sponsor on churn-model)
before=$(dump)
for stmt in "INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, at) VALUES ($pid, 'feasibility', 'productization', 'buy', '${P}_ana', 'y')" \
	"UPDATE project SET stage = 'productization', epoch = epoch + 1, entered_at = 'y' WHERE name = 'churn-model'"; do
	if PGPASSWORD=${P}_ana-secret sql "$(url ana)" -c "$stmt" >/dev/null 2>&1; then
		bad "ana may without a buy decision: $stmt"
	else
		ok
	fi
done
check "a buy move without its decision: nothing changed" test "$before" = "$(dump)"
# the declared actor may, the authenticated one may not: the server refuses
sql "$OWNER_URL" -c "INSERT INTO meta (key, value) VALUES ('allow_actor', 'true')" >/dev/null
before=$(dump)
as dan --actor "${P}_ana" kpi add churn-model cost --target '<= 5' >"$work/o" 2>"$work/e"
check "the server refuses: exit 4" test "$?" = 4
check "the server refuses: names the user" grep -q "store '.*': policy 'roles': '${P}_dan' may not insert rows of table kpi (aiproj policy rules)" "$work/e"
check "the server refuses: nothing changed" test "$before" = "$(dump)"
as ana --actor "${P}_ana" kpi add churn-model cost --target '<= 5' >/dev/null
check "both may: allowed" test "$?" = 0
sql "$OWNER_URL" -c "DELETE FROM meta WHERE key = 'allow_actor'" >/dev/null
# a project deleted by an administrator member is in the audit log
check "project delete: logged by the server" test "$(sql "$OWNER_URL" -c "SELECT count(*) FROM audit WHERE action = 'project delete' AND project = 'other2' AND actor = '${P}_eve'")" = 1
# member remove: no rights left
"$AIPROJ" --db "$OWNER_URL" member remove "${P}_dan" >"$work/o"
check "member remove" grep -qx "Revoked the rights of '${P}_dan' on the store" "$work/o"
as dan project list >"$work/o" 2>"$work/e"
check "a removed member cannot read" test "$?" = 7
as dan member add "${P}_dan" >"$work/o" 2>"$work/e"
check "member add by a non-administrator: exit 7 (no rights) or 4" test "$?" -ne 0
as bob member add "${P}_dan" >"$work/o" 2>"$work/e"
check "member add by a member: refused (exit 4)" test "$?" = 4
as eve member add "${P}_dan" >"$work/o" 2>"$work/e"
check "member add by an administrator member" test "$?" = 0
"$AIPROJ" --db "$work/x.db" member list >"$work/o" 2>"$work/e"
check "member on SQLite: exit 2" test "$?" = 2
check "member on SQLite: says why" grep -qx "aiproj: error: 'member list' applies to PostgreSQL stores only: who may use an SQLite store is who may write its file" "$work/e"

# copy (docs/postgresql.md, Moving a store): a member may copy the store
# out (its rows as they are: the feed's last id from the rows, not the
# sequence a member may not read), not into one: that is the owner's
echo "== copy as a member"
as eve copy --to "$work/member-copy.db" >"$work/o" 2>"$work/e"
check "copy out as a member" test "$?" = 0
"$AIPROJ" --db "$OWNER_URL" export >"$work/a.yaml" 2>/dev/null
"$AIPROJ" --db "$work/member-copy.db" export >"$work/b.yaml" 2>/dev/null
check "copy out as a member: the same export" cmp -s "$work/a.yaml" "$work/b.yaml"
"$AIPROJ" --db "$work/member-copy.db" verify >/dev/null
check "copy out as a member: verifies" test "$?" = 0
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}2" -c "CREATE DATABASE ${db}2" >/dev/null
"$AIPROJ" --db "$BASE/${db}2" init >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}2" member add "${P}_eve" >/dev/null
before=$(pg_dump --no-owner --no-privileges "$BASE/${db}2" 2>&1 | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict')
PGPASSWORD=${P}_eve-secret "$AIPROJ" --db "postgresql://${P}_eve@$HOSTPORT/${db}2" copy --from "$work/member-copy.db" >"$work/o" 2>"$work/e"
check "copy into a store as a member: refused (exit 4)" test "$?" = 4
check "copy into a store as a member: says whose it is" grep -q "may not copy into it: a copy writes rows as they are (ids, hashes), with the store's triggers off, which only the owner of its tables ('$owner') may do" "$work/e"
check "copy into a store as a member: nothing changed" test "$before" = "$(pg_dump --no-owner --no-privileges "$BASE/${db}2" 2>&1 | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict')"
"$AIPROJ" --db "$BASE/${db}2" copy --from "$work/member-copy.db" >/dev/null
check "copy into it as the owner" test "$?" = 0
"$AIPROJ" --db "$BASE/${db}2" export >"$work/c.yaml" 2>/dev/null
check "copy into it as the owner: the same export" cmp -s "$work/a.yaml" "$work/c.yaml"
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}2" >/dev/null
# into a store under roles: the destination's admin right (rule copy),
# judged before the owner's, against the authenticated user; logged
dump_but_audit() {
	pg_dump --no-owner --no-privileges --exclude-table-data=audit "$1" 2>&1 |
		grep -v -e '^--' -e 'pg_catalog.setval' -e '^\\restrict' -e '^\\unrestrict'
}
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}2" -c "CREATE DATABASE ${db}2" >/dev/null
"$AIPROJ" --db "$BASE/${db}2" init --policy roles >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}2" member add "${P}_eve" >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}2" admin add "${P}_ana" >/dev/null
before=$(dump_but_audit "$BASE/${db}2")
PGPASSWORD=${P}_eve-secret "$AIPROJ" --db "postgresql://${P}_eve@$HOSTPORT/${db}2" copy --from "$work/member-copy.db" >"$work/o" 2>"$work/e"
check "copy into a roles store as a member, no administrator: refused (exit 4)" test "$?" = 4
check "copy into a roles store as a member: the policy's refusal" grep -q "policy 'roles': '${P}_eve' may not copy: that needs the admin right" "$work/e"
check "copy into a roles store as a member: logged, in the member's name" test "$(sql "$BASE/${db}2" -c "SELECT actor || '|' || action FROM audit")" = "${P}_eve|copy"
check "copy into a roles store as a member: nothing else changed" test "$before" = "$(dump_but_audit "$BASE/${db}2")"
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}2" -c "CREATE DATABASE ${db}2" >/dev/null
"$AIPROJ" --db "$BASE/${db}2" init --policy roles >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}2" admin add "${P}_ana" >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}2" admin remove "$owner" >/dev/null
before=$(dump_but_audit "$BASE/${db}2")
"$AIPROJ" --db "$BASE/${db}2" copy --from "$work/member-copy.db" >"$work/o" 2>"$work/e"
check "copy into a roles store as its owner, no longer an administrator: refused (exit 4)" test "$?" = 4
check "copy as the owner, no administrator: the policy's refusal" grep -q "policy 'roles': '$owner' may not copy: that needs the admin right" "$work/e"
check "copy as the owner, no administrator: nothing else changed" test "$before" = "$(dump_but_audit "$BASE/${db}2")"
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}2" >/dev/null

# import as a member: every row through the server's triggers (a
# project's rows of one table go as one multi-row INSERT: the guards still
# see each row)
echo "== import as a member"
sh "$root/tests/bench/gen_export.sh" 3 >"$work/g3.yaml"
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}3" -c "CREATE DATABASE ${db}3" >/dev/null
if ! { "$AIPROJ" --db "$BASE/${db}3" init >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}3" member add "${P}_eve" >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}3" member add "${P}_bob" >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}3" admin add "${P}_eve" >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}3" policy set roles >/dev/null; }; then
	bad "import as a member: setup"
fi
EVE3="postgresql://${P}_eve@$HOSTPORT/${db}3"
BOB3="postgresql://${P}_bob@$HOSTPORT/${db}3"
dump3() { pg_dump --no-owner --no-privileges "$BASE/${db}3" 2>&1 | grep -v -e '^--' -e 'pg_catalog.setval' -e '^\\restrict' -e '^\\unrestrict' -e '^$'; }
sql "$BASE/${db}3" -c "INSERT INTO meta (key, value) VALUES ('allow_actor', 'true')" >/dev/null
before=$(dump3)
PGPASSWORD=${P}_bob-secret "$AIPROJ" --db "$BOB3" --actor "${P}_eve" import "$work/g3.yaml" >"$work/o" 2>"$work/e"
check "import as a member who may not, the declared actor may: the server refuses (exit 4)" test "$?" = 4
check "import refused by the server: names the user" grep -q "policy 'roles': '${P}_bob' may not insert rows of table project" "$work/e"
check "import refused by the server: nothing changed" test "$before" = "$(dump3)"
sql "$BASE/${db}3" -c "DELETE FROM meta WHERE key = 'allow_actor'" >/dev/null
PGPASSWORD=${P}_eve-secret "$AIPROJ" --db "$EVE3" import "$work/g3.yaml" >"$work/o" 2>"$work/e"
check "import as an administrator member" test "$?" = 0
rm -f "$work/g3.db"
"$AIPROJ" --db "$work/g3.db" import "$work/g3.yaml" >/dev/null 2>&1
for c in export "report status" "events --since 0"; do
	# shellcheck disable=SC2086 # the command's words
	"$AIPROJ" --db "$BASE/${db}3" $c >"$work/a" 2>&1
	# shellcheck disable=SC2086
	"$AIPROJ" --db "$work/g3.db" $c >"$work/b" 2>&1
	check "import as a member: $c as on SQLite" cmp -s "$work/a" "$work/b"
done
"$AIPROJ" --db "$BASE/${db}3" verify >/dev/null
check "import as a member: verifies" test "$?" = 0
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}3" >/dev/null

# The trigger functions that run with the owner's rights and set no
# search_path (schemas/pg/024-trigger-path.sql) name all they use in full:
# a writer's search_path that puts its own functions, operators and tables
# before pg_catalog's and the store's finds none of them used.
# a custom stage without an accountable role (or with no role at all):
# the administrators stand in, in aiproj (engine_auth.c) and on the
# server (schemas/pg/025-stand-in.sql: without it the server refused the
# administrator's move at a stage that names no role)
echo "== a stage without the role a rule asks for: the administrators stand in"
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}5" -c "CREATE DATABASE ${db}5" >/dev/null
if ! { "$AIPROJ" --db "$BASE/${db}5" init --lifecycle "$root/tests/e2e/lifecycles/noacc.yaml" --policy roles >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}5" member add "${P}_eve" >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}5" member add "${P}_bob" >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}5" admin add "${P}_eve" >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}5" project create c >/dev/null &&
	"$AIPROJ" --db "$BASE/${db}5" role assign c dev "${P}_bob" >/dev/null; }; then
	bad "stand-in: setup"
fi
EVE5="postgresql://${P}_eve@$HOSTPORT/${db}5"
BOB5="postgresql://${P}_bob@$HOSTPORT/${db}5"
PGPASSWORD=${P}_bob-secret "$AIPROJ" --db "$BOB5" gate approve c >"$work/o" 2>"$work/e"
check "stand-in: a member without the admin right may not approve at idea (exit 4)" test "$?" = 4
PGPASSWORD=${P}_eve-secret "$AIPROJ" --db "$EVE5" decide c make --cost 1 --reason r >"$work/o" 2>"$work/e"
check "stand-in: the administrator decides at idea, the server agreeing" test "$?" = 0 || cat "$work/e" >&2
PGPASSWORD=${P}_eve-secret "$AIPROJ" --db "$EVE5" kpi add c auc --target '>= 0.8' >/dev/null 2>&1
PGPASSWORD=${P}_eve-secret "$AIPROJ" --db "$EVE5" gate approve c >"$work/o" 2>"$work/e"
check "stand-in: the administrator approves at idea, the server agreeing" test "$?" = 0 || cat "$work/e" >&2
PGPASSWORD=${P}_bob-secret "$AIPROJ" --db "$BOB5" stage advance c >"$work/o" 2>"$work/e"
check "stand-in: idea's responsible role advances past the gate" test "$?" = 0 || cat "$work/e" >&2
PGPASSWORD=${P}_eve-secret "$AIPROJ" --db "$EVE5" gate approve c >"$work/o" 2>"$work/e" &&
	PGPASSWORD=${P}_eve-secret "$AIPROJ" --db "$EVE5" stage advance c >"$work/o" 2>"$work/e"
check "stand-in: at build, which names no role, the administrator approves and advances" test "$?" = 0 || cat "$work/e" >&2
check "stand-in: the project is done" test "$(sql "$BASE/${db}5" -c "SELECT stage FROM project WHERE name = 'c'")" = done
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}5" >/dev/null

echo "== a hostile search_path: the owner's trigger functions use none of it"
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}4" -c "CREATE DATABASE ${db}4" >/dev/null
"$AIPROJ" --db "$BASE/${db}4" init >/dev/null || bad "hostile search_path: setup"
sql "$BASE/${db}4" >"$work/o" 2>"$work/e" <<'EOF'
CREATE SCHEMA evil;
CREATE TABLE evil.hit (what TEXT);
CREATE FUNCTION evil.nextval(regclass) RETURNS bigint LANGUAGE sql
	AS $$ INSERT INTO evil.hit VALUES ('nextval') RETURNING 424242::bigint $$;
CREATE FUNCTION evil.pg_notify(text, text) RETURNS void LANGUAGE sql
	AS $$ INSERT INTO evil.hit VALUES ('pg_notify') $$;
CREATE FUNCTION evil.pg_advisory_xact_lock(bigint) RETURNS void
	LANGUAGE sql AS $$ INSERT INTO evil.hit VALUES ('lock') $$;
CREATE FUNCTION evil.t_cmp(text, text) RETURNS boolean LANGUAGE sql
	AS $$ INSERT INTO evil.hit VALUES ('text op') RETURNING true $$;
CREATE FUNCTION evil.i_cmp(bigint, bigint) RETURNS boolean LANGUAGE sql
	AS $$ INSERT INTO evil.hit VALUES ('bigint op') RETURNING true $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.t_cmp);
CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.t_cmp);
CREATE OPERATOR evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = evil.i_cmp);
CREATE TABLE evil.summary_dirty (id BIGINT PRIMARY KEY);
CREATE TABLE evil.project_summary (id BIGINT PRIMARY KEY);
SET search_path = evil, pg_catalog, public;
INSERT INTO public.project (name, stage, entered_at, created_at, status_at)
	VALUES ('hostile', 'feasibility', 'x', 'x', 'x');
INSERT INTO public.decision (project_id, kind, cost, reason, actor, at)
	SELECT id, 'make', 1, 'r', 'a', 'x' FROM public.project;
UPDATE public.project SET description = 'd';
DELETE FROM public.project;
SET search_path = public;
SELECT 'hits:' || count(*) FROM evil.hit;
SELECT 'evil rows:' || (SELECT count(*) FROM evil.summary_dirty)
	+ (SELECT count(*) FROM evil.project_summary);
SELECT 'feed:' || pg_catalog.nextval('public.feed_seq');
EOF
check "hostile search_path: the writes ran" test "$?" = 0
check "hostile search_path: none of its functions or operators ran" grep -qx "hits:0" "$work/o"
check "hostile search_path: none of its tables written" grep -qx "evil rows:0" "$work/o"
# the project's and the decision's ids, then this one
check "hostile search_path: the feed's ids from the store's sequence" grep -qx "feed:3" "$work/o"
sql "$AIPROJ_PG_URL" -c "DROP DATABASE IF EXISTS ${db}4" >/dev/null

echo "policy: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
