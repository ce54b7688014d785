#!/bin/sh
# t_policy.sh - the authorization policy: init --policy, policy show and
# policy set, what `roles` refuses and allows, and the log of refusals
# (docs/security.md).  A refused command changes nothing but the log of
# refusals, which is its record.
. "$(dirname "$0")/lib.sh"

# proj_state P: what a refusal must leave as it was
proj_state() {
	"$AIPROJ" --format json project show "$1" | jq -c 'del(.aiproj)'
	"$AIPROJ" --format json stage history "$1" | jq -c '.transitions'
	"$AIPROJ" --format json gate show "$1" | jq -c '.approvals'
}

begin "init --policy roles: policy show says so, in text and JSON"
run init --policy roles
expect_rc 0
expect_out_has "Policy: roles"
run policy show
expect_rc 0
expect_out "Policy: roles (each writing command needs what 'aiproj policy rules' says)"
run --format json policy show
expect_rc 0
jq_out '.policy' roles
jq_out '.refusals | length' 0

begin "roles: a move by someone without an A or R role is refused (exit 4) and logged"
run project create p
expect_rc 0
run role assign p sponsor alice
run role assign p ai-engineer bob
before=$(proj_state p)
run --actor carol stage advance p
expect_rc 4
expect_out ""
expect_err "aiproj: error: policy 'roles': 'carol' may not advance on 'p' at 'feasibility': that needs the accountable or a responsible role (sponsor, ai-engineer)"
[ "$(proj_state p)" = "$before" ] || _fail "the refused move changed the project"
run --format json policy show
jq_out '.refusals | length' 1
jq_out '.refusals[0] | [.actor, .action, .project, .stage] | join(" ")' "carol advance p feasibility"
jq_out '.refusals[0].detail' "policy 'roles': 'carol' may not advance on 'p' at 'feasibility': that needs the accountable or a responsible role (sponsor, ai-engineer)"

begin "roles: only the accountable role forces a move past a gate that does not hold"
before=$(proj_state p)
run --actor bob stage advance p --force --reason "data is there"
expect_rc 4
expect_out ""
expect_err "aiproj: error: policy 'roles': 'bob' may not force a move past the gate on 'p' at 'feasibility': that needs the accountable role (sponsor)"
[ "$(proj_state p)" = "$before" ] || _fail "the refused force changed the project"
run --actor alice stage advance p --force --reason "data is there"
expect_rc 0
expect_out "p: feasibility -> data-preparation (forced: data is there)"

begin "roles: back and approve need an A or R role of the stage; refused ones are logged newest first"
before=$(proj_state p)
run --actor bob stage back p --to feasibility --reason "not bob's stage"
expect_rc 4
expect_err_has "'bob' may not back on 'p' at 'data-preparation': that needs the accountable or a responsible role (data-analyst, data-engineer)"
run --actor dave gate approve p
expect_rc 4
expect_err_has "'dave' may not approve on 'p' at 'data-preparation'"
[ "$(proj_state p)" = "$before" ] || _fail "a refused command changed the project"
run --format json policy show
jq_out '[.refusals[] | .actor + ":" + .action] | join(",")' "dave:approve,bob:back,bob:force a move past the gate,carol:advance"
run policy show
expect_out_has "Recent refusals (newest first):"

begin "roles: the accountable role approves"
run role assign p data-engineer erin
run --actor erin gate approve p
expect_rc 0
expect_out "Approved the gate of data-preparation on 'p' as data-engineer"

begin "policy set open: anyone moves again; the log of refusals stays"
run policy set open
expect_rc 0
expect_out "Policy: open"
run --actor zoe stage back p --to feasibility --reason "open now"
expect_rc 0
run --format json policy show
jq_out '.policy' open
jq_out '.refusals | length' 4

begin "policy set with a bad value: exit 2, the store unchanged"
for bad in bogus ROLES "" "roles open"; do
	snap
	run policy set "$bad"
	expect_rc 2
	expect_out ""
	expect_unchanged
done
run policy set bogus
expect_err "aiproj: error: invalid policy 'bogus': expected open or roles"

begin "init --policy with a bad value creates no store"
if is_file_store; then
	run --db "$T_DIR/new.db" init --policy bogus
	expect_rc 2
	expect_err "aiproj: error: invalid policy 'bogus': expected open or roles"
	[ ! -e "$T_DIR/new.db" ] || _fail "a store was created"
else
	snap
	run init --policy bogus
	expect_rc 2
	expect_unchanged
fi


# ---- every writing command under `roles` (the engine's table) ----

# the store but its log of refusals, which a refusal adds to on purpose
state_but_audit() {
	if is_file_store; then
		sqlite3 "$AIPROJ_DB" .dump | grep -v '^INSERT INTO audit '
	else
		pg_dump --no-owner --no-privileges --exclude-table-data=audit "$AIPROJ_DB" 2>&1 |
			grep -v -e '^--' -e 'pg_catalog.setval' -e '^\\restrict' -e '^\\unrestrict' -e '^$'
	fi
}
refusals() { store_sql "SELECT count(*) FROM audit"; }
TESTED=""

# refused ACTOR ACTION COMMAND...: exit 4 naming what would have allowed it,
# nothing but the log changed, and the log's newest entry is this refusal
refused() {
	_who=$1 _act=$2
	shift 2
	_before=$(state_but_audit) _n=$(refusals)
	run --actor "$_who" "$@"
	expect_rc 4
	expect_out ""
	expect_err_has "aiproj: error: policy 'roles': '$_who' may not $_act"
	case $ERR in
	*"admin right"* | *" role ("*) ;;
	*) _fail "the refusal names no role or admin right" "$ERR" ;;
	esac
	_err=$ERR
	[ "$(state_but_audit)" = "$_before" ] || _fail "the refused '$*' changed the store"
	[ "$(refusals)" = $((_n + 1)) ] || _fail "the refused '$*' was not logged once"
	run --format json policy show
	jq_out '.refusals[0] | .actor + "|" + .action' "$_who|$_act"
	ERR=$_err
}
# allowed ACTOR COMMAND...: exit 0; the command is counted as tested
allowed() {
	_who=$1
	shift
	run --actor "$_who" "$@"
	expect_rc 0
	expect_err ""
	TESTED="$TESTED|$1|$1 ${2:-}"
}

begin "roles: the administrators are the actor of init and those added"
run --format json admin list
expect_rc 0
jq_out '[.admins[].person] | join(",")' tester
run policy set roles
expect_rc 0

begin "roles: policy, admin, project create/rename/delete and import need the admin right"
refused rob "policy set" policy set open
allowed tester policy set roles
refused rob "admin add" admin add rob
allowed tester admin add boss
expect_out "Added 'boss' as an administrator"
refused rob "admin remove" admin remove boss
allowed boss admin remove boss
expect_out "Removed 'boss' as an administrator"
refused rob "project create" project create q
allowed tester project create q
run project create x
refused ann "project rename" project rename x x2
allowed tester project rename x x2
refused ann "project delete" project delete x2 --yes
run role assign q sponsor ann
run role assign q ai-engineer rob
run role assign q data-analyst cara
run export q -o "$T_DIR/q.yaml"
expect_rc 0
refused rob import import "$T_DIR/q.yaml"
allowed tester import "$T_DIR/q.yaml"
refused rob init init
allowed tester init
# copy into the store: its admin right (t_policy_copy.sh has the rest);
# an admin passes the rule and meets the copy's own check (not empty)
CS=$(new_store cs)
refused rob copy copy --from "$CS"
run --actor tester copy --from "$CS"
expect_rc 4
expect_err_has "cannot copy into store '$AIPROJ_DB': it holds"
TESTED="$TESTED|copy"

begin "roles: the accountable role (or an admin) holds, resumes, closes, adds criteria and KPIs, staffs"
refused rob hold project hold q --reason r
allowed ann project hold q --reason r
refused rob resume project resume q
allowed ann project resume q
refused rob "gate add" gate add q --stage feasibility 'Legal ok'
allowed ann gate add q --stage feasibility 'Legal ok'
refused rob "kpi add" kpi add q auc --target '>= 0.8'
allowed ann kpi add q auc --target '>= 0.8'
refused rob "role assign" role assign q devops dan
allowed ann role assign q devops dan
refused ann "role assign" role assign q ai-engineer ann
expect_err_has "on 'q' to themselves: that needs the admin right"
refused rob "role unassign" role unassign q devops dan
allowed ann role unassign q devops dan
allowed tester role assign q devops tester
refused rob close project close x2 --reason r
expect_err_has "that needs the accountable role (sponsor) or the admin right"
allowed tester project close x2 --reason r
allowed tester project delete x2 --yes

begin "roles: the accountable or a responsible role ticks, records, moves; the accountable role approves and decides"
id=$("$AIPROJ" --format json gate show q | jq -r '[.criteria[] | select(.kind == "manual")][0].id')
refused cara "gate done" gate done q "$id"
allowed rob gate done q "$id"
refused cara "gate reopen" gate reopen q "$id"
allowed rob gate reopen q "$id"
refused cara "kpi record" kpi record q auc 0.9
allowed rob kpi record q auc 0.9
refused cara "component add" component add q api --owner devops
allowed rob component add q api --owner devops
refused cara "component remove" component remove q api
allowed rob component remove q api
refused cara "hand over a component" component handover q model --to devops --reason r
expect_err_has "that needs the accountable role (sponsor; or data-scientist, the component's owner) or the admin right"
allowed ann component handover q model --to ai-engineer --reason r
allowed rob component handover q model --to devops --reason r
refused cara note note q 'a word'
allowed rob note q 'a word'
refused rob "stage due" stage due q 2027-01-01
allowed ann stage due q 2027-01-01
refused rob decide decide q make --cost 1 --reason r
allowed ann decide q make --cost 1 --reason r
refused rob approve gate approve q
expect_err_has "that needs the accountable role (sponsor)"
refused tester approve gate approve q
allowed ann gate approve q
refused cara "force a move past the gate" stage advance q --force --reason r
refused rob "force a move past the gate" stage advance q --force --reason r
expect_err_has "that needs the accountable role (sponsor)"
allowed ann stage advance q --force --reason r
TESTED="$TESTED|stage advance --force"
run role assign q data-engineer erin
refused rob back stage back q --to feasibility --reason r
allowed erin stage back q --to feasibility --reason r
allowed ann stage advance q --force --reason r
refused rob start stage start q prototyping-testing
expect_err_has "that needs the accountable or a responsible role (data-analyst, data-engineer)"
allowed erin stage start q prototyping-testing
allowed erin stage advance q --force --reason r
refused erin "force a move past the gate" stage advance q --force --reason r
expect_err_has "that needs the accountable role (data-scientist)"
run role assign q data-scientist sam
allowed sam stage advance q --force --reason r

begin "roles: a --force the gate does not need is an ordinary advance, by a responsible role too"
run project create g
for a in "sponsor s1" "ai-engineer r1"; do
	# shellcheck disable=SC2086
	run role assign g $a
	expect_rc 0
done
run --actor s1 decide g make --cost 1 --reason r
expect_rc 0
run --actor s1 kpi add g auc --target '>= 0.8'
expect_rc 0
run --actor r1 gate done g 1 2 3 4
expect_rc 0
run --actor s1 gate approve g
expect_rc 0
allowed r1 stage advance g --force --reason "ready anyway"
expect_out "g: feasibility -> data-preparation"
run --format json stage history g
jq_out '.transitions[-1].kind' advance
refused ann "sign off" gate approve q --as ai-engineer
expect_err_has "that needs the sign-off role (ai-engineer)"
allowed rob gate approve q --as ai-engineer
TESTED="$TESTED|gate approve --as"

begin "roles: nobody assigns a role to themselves in another spelling: one person"
NBSP=$(printf '\302\240')
refused ann "role assign" role assign q ai-engineer ANN
expect_err "aiproj: error: policy 'roles': 'ann' may not role assign on 'q' to themselves: that needs the admin right (aiproj admin list)"
refused ann "role assign" role assign q ai-engineer "ann$NBSP"
expect_err_has "to themselves"
refused "Ann" "role assign" role assign q ai-engineer "aNN"
expect_err_has "to themselves"

begin "roles: only an admin adds, sets, renames and merges people, and reassigns roles"
refused ann "person add" person add 'Pat Doe'
allowed tester person add 'Pat Doe'
refused ann "person set" person set 'pat doe' --email pat@example.com
allowed tester person set 'pat doe' --email pat@example.com
refused ann "person rename" person rename 'Pat Doe' 'Pat Roe'
allowed tester person rename 'Pat Doe' 'Pat Roe'
refused ann "person merge" person merge 'Pat Roe' dan
allowed tester person merge 'Pat Roe' dan
refused ann "role reassign" role reassign cara dan --project q
allowed tester role reassign cara dan --project q
expect_out "Reassigned 1 role from 'cara' to 'dan': q data-analyst"
begin "roles: criteria and due days are judged at their own stage, not the project's current one"
run project create r
run role assign r sponsor ann
run role assign r ai-engineer rob
run role assign r data-analyst cara
run role assign r data-engineer erin
refused ann "gate add" gate add r --stage data-preparation 'Schema agreed'
expect_err "aiproj: error: policy 'roles': 'ann' may not gate add on 'r' at 'data-preparation': that needs the accountable role (data-engineer) or the admin right"
run --format json policy show
jq_out '.refusals[0].stage' data-preparation
allowed erin gate add r --stage data-preparation 'Schema agreed'
expect_out_has " to the gate of data-preparation on 'r'"
id=$(printf '%s' "$OUT" | sed 's/^Added criterion \([0-9]*\) .*/\1/')
refused rob "gate done" gate done r "$id"
expect_err "aiproj: error: policy 'roles': 'rob' may not gate done on 'r' at 'data-preparation': that needs the accountable or a responsible role (data-analyst, data-engineer)"
allowed cara gate done r "$id"
refused ann "gate reopen" gate reopen r "$id"
allowed erin gate reopen r "$id"
refused cara "gate done" gate done r 1
expect_err_has "may not gate done on 'r' at 'feasibility'"
allowed rob gate done r 1
refused ann "stage due" stage due r 2027-01-01 --stage data-preparation
expect_err_has "may not stage due on 'r' at 'data-preparation': that needs the accountable role (data-engineer)"
allowed erin stage due r 2027-01-01 --stage data-preparation
refused erin "stage due" stage due r 2027-01-01
allowed ann stage due r 2027-01-01
refused cara "gate done" gate done r 99
expect_err_has "at 'feasibility'"
run --actor rob gate done r 99
expect_rc 3

begin "member: a PostgreSQL store's only; there, an administrator's"
if is_file_store; then
	for v in add remove; do
		snap
		run member "$v" ana
		expect_rc 2
		expect_out ""
		expect_err "aiproj: error: 'member $v' applies to PostgreSQL stores only: who may use an SQLite store is who may write its file"
		expect_unchanged
		TESTED="$TESTED|member|member $v"
	done
	run member list
	expect_rc 2
else
	refused rob "member add" member add aiproj_no_such_role
	refused rob "member remove" member remove aiproj_no_such_role
	TESTED="$TESTED|member|member add|member|member remove"
	run member add aiproj_no_such_role
	expect_rc 3
	expect_err_has "no role 'aiproj_no_such_role' on the server: its login role is made first"
	run member add "$(store_sql "SELECT session_user")"
	expect_rc 4
	expect_err_has "owns the store"
	run member list
	expect_rc 0
fi

begin "roles: KPI definitions by the accountable role; releases by deployment's A or R role, wherever the project is"
refused rob "kpi set" kpi set q auc --target '>= 0.9'
allowed erin kpi set q auc --target '>= 0.9'
refused rob "kpi remove" kpi remove q auc --reason r
allowed erin kpi remove q auc --reason r
allowed tester project create rel
for a in "sponsor ann" "ai-engineer rob" "data-engineer erin" "devops dan" \
	"data-scientist sam"; do
	# shellcheck disable=SC2086
	run role assign rel $a
	expect_rc 0
done
# (each stage's accountable role forces past its gate)
for who in ann erin sam erin; do
	run --actor "$who" stage advance rel --force --reason r
	expect_rc 0
done
refused rob "release add" release add rel 1.0
expect_err_has "that needs the accountable or a responsible role (devops)"
allowed dan release add rel 1.0
run --actor dan stage back rel --to productization --reason r
expect_rc 0
refused erin "release retire" release retire rel 1.0 --reason r
expect_err_has "at 'deployment': that needs the accountable or a responsible role (devops) or the admin right"
allowed dan release retire rel 1.0 --reason r

begin "roles: every writing command has a rule, and each was tried above"
run --format json policy rules
expect_rc 0
jq_out '[.rules[] | select(.action == null)] | length' 0
for cmd in $(printf '%s' "$OUT" | jq -r '.rules[].command | gsub(" "; "_")'); do
	cmd=$(printf '%s' "$cmd" | tr _ ' ')
	case "$TESTED|" in
	*"|$cmd|"*) ;;
	*) _fail "'$cmd' writes but was not tried under roles" ;;
	esac
done
run --format markdown policy rules
expect_rc 0
sed -n '/^| command | who may run it under `roles` |$/,/^$/p' "$(dirname "$0")/../../docs/security.md" |
	sed '/^$/d' >"$T_DIR/doc.md"
printf '%s\n' "$OUT" | cmp -s - "$T_DIR/doc.md" ||
	_fail "docs/security.md's table is not 'aiproj policy rules --format markdown'" \
		"$(printf '%s\n' "$OUT" | diff - "$T_DIR/doc.md")"

begin "roles: an approval counts only while its approver holds the accountable role"
run project create w
run role assign w sponsor ann
run --actor ann gate approve w
expect_rc 0
run --format json gate show w
jq_out '.criteria[] | select(.kind == "approval") | .done' true
run role unassign w sponsor ann
run role assign w sponsor sam
run gate show w
expect_out_has "the approval by 'ann' was withdrawn: ann no"
run --format json gate show w
jq_out '.criteria[] | select(.kind == "approval") | .done' false
jq_out '.criteria[] | select(.kind == "approval") | .hint' "the approval by 'ann' was withdrawn: ann no longer holds sponsor; aiproj --actor PERSON gate approve w (PERSON assigned as sponsor)"
run role assign w sponsor ann
run --format json gate show w
jq_out '.criteria[] | select(.kind == "approval") | .done' true

begin "admin: the last administrator stays; a store without one lets the first admin add through, logged"
run admin remove tester
expect_rc 4
expect_err "aiproj: error: cannot remove 'tester': the store's last administrator (add another first)"
run admin remove nobody
expect_rc 3
store_sql "DELETE FROM admin" >/dev/null
run admin list
expect_out "No administrator: the first 'aiproj admin add NAME' may be run by anyone"
run --actor zed admin add zed
expect_rc 0
run --format json policy show
jq_out '.refusals[0] | .actor + "|" + .action + "|" + .detail' "zed|admin add|the store had no administrator: 'zed' made 'zed' the first"
refused rob "admin add" admin add rob


begin "roles: where a custom stage has no role of the kind a rule asks for, the administrators stand in"
NA=$T_DIR/noacc-new.db
run --db "$NA" --actor Boss init --lifecycle "$(dirname "$0")/lifecycles/noacc.yaml"
expect_rc 0
run --db "$NA" --actor Boss policy set roles
expect_rc 0
run --db "$NA" --actor Boss project create c
expect_rc 0
run --db "$NA" --actor Boss role assign c dev Dee
expect_rc 0
# no accountable role at idea: an A rule is the administrators' (each
# refusal is logged: the one failure that leaves a trace)
run --db "$NA" --actor Stranger gate approve c
expect_rc 4
expect_err "aiproj: error: policy 'roles': 'Stranger' may not approve on 'c' at 'idea': that needs the accountable role (none in this lifecycle) or the admin right"
run --db "$NA" --actor Dee decide c make --cost 1 --reason r
expect_rc 4
expect_err_has "that needs the accountable role (none in this lifecycle) or the admin right"
run --db "$NA" --actor Dee stage advance c --force --reason late
expect_rc 4
run --db "$NA" --actor Boss decide c make --cost 1 --reason "no vendor"
expect_rc 0
run --db "$NA" --actor Boss kpi add c auc --target '>= 0.8'
expect_rc 0
run --db "$NA" --actor Boss gate approve c
expect_rc 0
# the R role still moves it; the administrator does not (idea has one)
run --db "$NA" --actor Boss stage advance c
expect_rc 4
expect_err_has "that needs the accountable or a responsible role (dev)"
run --db "$NA" --actor Dee stage advance c
expect_rc 0
# build names no role at all: the administrators stand in for A and R
run --db "$NA" --actor Dee gate approve c
expect_rc 4
run --db "$NA" --actor Boss gate approve c
expect_rc 0
run --db "$NA" --actor Dee stage advance c
expect_rc 4
expect_err_has "that needs the accountable or a responsible role (none in this lifecycle) or the admin right"
run --db "$NA" --actor Boss stage advance c
expect_rc 0
expect_out_has "-> done"

begin "completion: a PERSON of admin add and remove completes the administrators"
run __complete next -- admin remove ''
expect_rc 0
expect_out "zed"
run __complete next -- admin add ''
expect_out "zed"

finish
