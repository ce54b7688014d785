#!/bin/sh
# t_verify.sh - the hash chains (docs/security.md): `verify` finds a row
# of the history changed, inserted, removed or reordered behind aiproj's
# back (with the sqlite3 shell, or psql on a server store), and a clean
# store verifies.
. "$(dirname "$0")/lib.sh"

# history P: three transitions of a new project P
history() {
	run project create "$1"
	run stage advance "$1" --force --reason one
	run stage back "$1" --to feasibility --reason two
	run stage advance "$1" --force --reason three
	expect_rc 0
}
# nth P N: the id of P's Nth transition
nth() {
	store_sql "SELECT id FROM transition WHERE project_id =
		(SELECT id FROM project WHERE name = '$1') ORDER BY id
		LIMIT 1 OFFSET $(($2 - 1))"
}

begin "verify: a clean store verifies (exit 0), in text and JSON"
run init
history clean
run kpi add clean auc --target '>= 0.8'
run kpi record clean auc 0.5
run kpi record clean auc 0.9
run verify
expect_rc 0
expect_out "intact: 2 chains, 5 rows"
expect_err ""
run --format json verify clean
expect_rc 0
jq_out '[.intact, .chains, .rows, (.broken | length)] | map(tostring) | join(" ")' "true 2 5 0"

begin "verify: an unknown project is exit 3"
run verify nosuch
expect_rc 3
expect_err "aiproj: error: no project 'nosuch'"

begin "verify: a history row edited outside aiproj is named (exit 1)"
history edited
store_sql "UPDATE transition SET reason = 'rewritten' WHERE id = $(nth edited 2)"
run verify edited
expect_rc 1
expect_out "PROJECT CHAIN   ROW ID PROBLEM
edited  history 2   $(nth edited 2)  changed
1 of 1 chains do not verify: a row changed, inserted or removed outside aiproj"
expect_err ""
run --format json verify edited
expect_rc 1
jq_out '.broken[0] | [.project, .chain, .row, .problem] | map(tostring) | join(" ")' "edited history 2 changed"
run verify clean
expect_rc 0

begin "verify: a history row removed outside aiproj is found at the row after it"
history removed
store_sql "DELETE FROM transition WHERE id = $(nth removed 2)"
run --format csv verify removed
expect_rc 1
want="project,chain,row,id,problem
removed,history,2,$(nth removed 2),removed before"
[ "$(printf '%s\n' "$OUT" | tr -d '\r')" = "$want" ] || _fail "csv differs" "$OUT"

begin "verify: a row inserted outside aiproj in the middle of a history"
run project create ins
run stage advance ins --force --reason one
run project create other
run stage advance other --force --reason gap
run stage back ins --to feasibility --reason two
gap=$(nth other 1)
store_sql "DELETE FROM transition WHERE id = $gap"
if is_file_store; then
	store_sql "INSERT INTO transition (id, project_id, from_stage, to_stage,
		kind, actor, reason, at) SELECT $gap, id, 'feasibility',
		'deployment', 'advance', 'mallory', NULL, created_at
		FROM project WHERE name = 'ins'"
else
	store_sql "INSERT INTO transition (id, project_id, from_stage, to_stage,
		kind, actor, reason, at) OVERRIDING SYSTEM VALUE SELECT $gap, id,
		'feasibility', 'deployment', 'advance', 'mallory', NULL,
		created_at FROM project WHERE name = 'ins'"
fi
run --format json verify ins
expect_rc 1
jq_out '.broken[0] | [.chain, .row, .id, .problem] | map(tostring) | join(" ")' "history 2 $gap inserted"

begin "verify: two history rows swapped outside aiproj are out of order"
history swapped
a=$(nth swapped 1)
b=$(nth swapped 2)
store_sql "CREATE TABLE swap AS SELECT * FROM transition WHERE id IN ($a, $b);
	UPDATE transition SET from_stage = (SELECT from_stage FROM swap s WHERE s.id = $a + $b - transition.id),
	to_stage = (SELECT to_stage FROM swap s WHERE s.id = $a + $b - transition.id),
	kind = (SELECT kind FROM swap s WHERE s.id = $a + $b - transition.id),
	reason = (SELECT reason FROM swap s WHERE s.id = $a + $b - transition.id),
	at = (SELECT at FROM swap s WHERE s.id = $a + $b - transition.id),
	prev = (SELECT prev FROM swap s WHERE s.id = $a + $b - transition.id),
	hash = (SELECT hash FROM swap s WHERE s.id = $a + $b - transition.id)
	WHERE id IN ($a, $b); DROP TABLE swap" >/dev/null
run --format json verify swapped
expect_rc 1
jq_out '.broken[0] | [.chain, .row, .problem] | map(tostring) | join(" ")' "history 1 out of order"

begin "verify: an approval, a reading and the audit log are chained too"
run project create chained
run role assign chained sponsor ann
run --actor ann gate approve chained
run kpi add chained auc --target '>= 0.8'
run kpi record chained auc 0.5
run kpi record chained auc 0.7
store_sql "UPDATE approval SET person = 'bob'"
store_sql "UPDATE kpi_reading SET value = 0.95 WHERE id = (SELECT max(id) FROM kpi_reading WHERE kpi = 'auc' AND project_id = (SELECT id FROM project WHERE name = 'chained'))"
run --format json verify chained
expect_rc 1
jq_out '[.broken[] | .chain + ":" + (.kpi // "") + ":" + (.row | tostring) + ":" + .problem] | join(",")' "approval::1:changed,reading:auc:2:changed"
run policy set roles
run --actor eve stage advance chained
expect_rc 4
run verify
expect_rc 1
expect_out_has "chained approval    1   1  changed"
store_sql "UPDATE audit SET actor = 'someone'"
run --format json verify
expect_rc 1
jq_out '[.broken[] | select(.chain == "audit") | .project, .row, .problem] | map(tostring) | join(" ")' "null 1 changed"

finish
