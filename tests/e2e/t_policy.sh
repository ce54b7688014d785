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
expect_out_has "Policy: roles (moves and approvals need an A or R role of the stage, decisions"
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
run --actor carol stage advance p --force --reason "not mine"
expect_rc 4
expect_out ""
expect_err "aiproj: error: policy 'roles': 'carol' may not advance on 'p' at 'feasibility': that needs the accountable or a responsible role (sponsor, ai-engineer)"
[ "$(proj_state p)" = "$before" ] || _fail "the refused move changed the project"
run --format json policy show
jq_out '.refusals | length' 1
jq_out '.refusals[0] | [.actor, .action, .project, .stage] | join(" ")' "carol advance p feasibility"
jq_out '.refusals[0].detail' "policy 'roles': 'carol' may not advance on 'p' at 'feasibility': that needs the accountable or a responsible role (sponsor, ai-engineer)"

begin "roles: the responsible role moves the project"
run --actor bob stage advance p --force --reason "data is there"
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
jq_out '[.refusals[] | .actor + ":" + .action] | join(",")' "dave:approve,bob:back,carol:advance"
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
jq_out '.refusals | length' 3

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

finish
