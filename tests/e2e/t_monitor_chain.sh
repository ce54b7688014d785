#!/bin/sh
# t_monitor_chain.sh - the monitoring records in the hash chains
# (docs/security.md, schemas/019-monitor-chain.sql): a release (its end
# included), a KPI change and a reading's breach flag changed behind
# aiproj's back are found by verify and fail stage check --verified; an
# export edited there is refused unless import --rehash; a format 1 file
# with monitoring data the commands could not have made is refused; a
# store from the version before verifies after its migration.
. "$(dirname "$0")/lib.sh"

# story P: P at deployment; release 1.0, a breach (0.7 while 1.0 is
# live), a reading that meets, 1.1 supersedes 1.0 and is retired, then
# the target is relaxed: four chains (history, readings, changes,
# releases) of nine rows
story() {
	at 2026-03-01T00:00:00.000Z
	ok project create "$1"
	ok kpi add "$1" auc --target '>= 0.8'
	fwd "$1" 4
	at 2026-03-02T00:00:00.000Z
	ok release add "$1" 1.0
	at 2026-03-03T00:00:00.000Z
	ok kpi record "$1" auc 0.7
	at 2026-03-04T00:00:00.000Z
	ok kpi record "$1" auc 0.9
	at 2026-03-05T00:00:00.000Z
	ok release add "$1" 1.1
	at 2026-03-06T00:00:00.000Z
	ok release retire "$1" 1.1 --reason rollback
	at 2026-03-07T00:00:00.000Z
	ok kpi set "$1" auc --target '>= 0.6' --reason relaxed
	unset AIPROJ_NOW
}
# rid P TABLE: the id of P's last row of TABLE
rid() {
	store_sql "SELECT max(id) FROM $2 WHERE project_id =
		(SELECT id FROM project WHERE name = '$1')"
}

begin "verify: releases, KPI changes and breaches are chained; a clean store verifies"
run init
story clean
run verify clean
expect_rc 0
expect_out "intact: 4 chains, 9 rows"
run --format json verify clean
jq_out '[.intact, .chains, .rows] | map(tostring) | join(" ")' "true 4 9"
run -q stage check clean --live --verified
expect_rc 1 # (no release is live: 1.1 was retired)
run -q stage check clean --verified
expect_rc 0

begin "verify: a retired release brought back outside aiproj is found; stage check --verified fails"
story unretired
id=$(rid unretired prod_release)
store_sql "UPDATE prod_release SET ended = NULL, ended_by = NULL,
	ended_at = NULL, end_reason = NULL WHERE id = $id"
run verify unretired
expect_rc 1
expect_out "PROJECT   CHAIN   ROW ID PROBLEM
unretired release 2   $id  changed
1 of 4 chains do not verify: a row changed, inserted or removed outside aiproj"
expect_err ""
run stage check unretired --live=1.1 --verified
expect_rc 1
expect_out "unretired: 1 of 2 conditions do not hold
  FAIL verified: release row 2 changed (1 of 4 chains does not verify)
  ok   live 1.1: 1.1 is live since 2026-03-05T00:00:00.000Z"

begin "verify: a release's end changed outside aiproj (who, when) is found"
story reended
id=$(rid reended prod_release)
store_sql "UPDATE prod_release SET ended_by = 'mallory' WHERE id = $id"
run --format json verify reended
expect_rc 1
jq_out '.broken[0] | [.chain, .row, .id, .problem] | map(tostring) | join(" ")' "release 2 $id changed"

begin "verify: a breach cleared outside aiproj is found; stage check --verified fails"
story unbreached
id=$(store_sql "SELECT id FROM kpi_reading WHERE breach = 1 AND project_id =
	(SELECT id FROM project WHERE name = 'unbreached')")
store_sql "UPDATE kpi_reading SET breach = 0 WHERE id = $id"
run verify unbreached
expect_rc 1
expect_out "PROJECT    CHAIN       ROW ID PROBLEM
unbreached reading auc 1   $id  changed
1 of 4 chains do not verify: a row changed, inserted or removed outside aiproj"
run -q stage check unbreached --verified
expect_rc 1

begin "verify: a KPI target change rewritten outside aiproj is found; stage check --verified fails"
story retarget
id=$(rid retarget kpi_change)
store_sql "UPDATE kpi_change SET target = 0.1 WHERE id = $id"
run --format json verify retarget
expect_rc 1
jq_out '.broken[0] | [.chain, .kpi, .row, .id, .problem] | map(tostring) | join(" ")' "change auc 1 $id changed"
run stage check retarget --verified
expect_rc 1
expect_out "retarget: 1 of 1 conditions do not hold
  FAIL verified: change auc row 1 changed (1 of 4 chains does not verify)"

begin "export: releases and KPI changes carry their hashes, the store's own"
run export clean -o "$T_DIR/clean.yaml"
expect_rc 0
want=$(store_sql "SELECT hash FROM prod_release WHERE project_id =
	(SELECT id FROM project WHERE name = 'clean') ORDER BY id" | paste -sd' ' -)
got=$(sed -n '/^  releases:/,$p' "$T_DIR/clean.yaml" | sed -n 's/^    hash: "\{0,1\}\([0-9a-f]*\)"\{0,1\}$/\1/p' | paste -sd' ' -)
[ "$got" = "$want" ] || _fail "release hashes differ" "$got / $want"
[ "$(grep -c '^ *hash: ' "$T_DIR/clean.yaml")" = 9 ] || _fail "not 9 hashes" "$(grep hash "$T_DIR/clean.yaml")"
# the round trip: a new store gives the same bytes
S2=$(new_store rt)
run --db "$S2" import "$T_DIR/clean.yaml"
expect_rc 0
run --db "$S2" export -o "$T_DIR/rt.yaml"
cmp -s "$T_DIR/clean.yaml" "$T_DIR/rt.yaml" || _fail "round trip differs" "$(diff "$T_DIR/clean.yaml" "$T_DIR/rt.yaml")"

# edit SED NAME: the clean export edited, as $T_DIR/NAME.yaml
edit() { sed "$1" "$T_DIR/clean.yaml" >"$T_DIR/$2.yaml"; }
# (the release 1.1 is the file's last, with its end)
edit '/^  - version: "\{0,1\}1.1"\{0,1\}$/,/hash/{s/^    ended: retired$/    ended: null/;s/^    ended_by: .*/    ended_by: null/;s/^    ended_at: .*/    ended_at: null/;s/^    end_reason: .*/    end_reason: null/;}' unretired
edit 's/^      breach: true$/      breach: false/' unbreached
edit 's/^    target: 0.6$/    target: 0.1/;s/^      target: 0.6$/      target: 0.1/' retarget

begin "import: an export edited to un-retire a release is refused (exit 6), accepted with --rehash"
grep -q '^    ended: null' "$T_DIR/unretired.yaml" || _fail "the edit did not apply"
S3=$(new_store e1)
snap "$S3"
run --db "$S3" import "$T_DIR/unretired.yaml"
expect_rc 6
expect_err_has "release entry 2 of 'clean' does not match its hash: the file was changed after it was exported (import --rehash recomputes the hashes)"
expect_unchanged "$S3"
run --db "$S3" import --rehash "$T_DIR/unretired.yaml"
expect_rc 0
run --db "$S3" -q stage check clean --live=1.1 --verified
expect_rc 0

begin "import: an export edited to change a KPI target in both places is refused (exit 6), accepted with --rehash"
[ "$(grep -c 'target: 0.1' "$T_DIR/retarget.yaml")" = 2 ] || _fail "the edit did not apply"
S4=$(new_store e2)
snap "$S4"
run --db "$S4" import "$T_DIR/retarget.yaml"
expect_rc 6
expect_err_has "change 1 of KPI 'auc' of 'clean' does not match its hash"
expect_unchanged "$S4"
run --db "$S4" import --rehash "$T_DIR/retarget.yaml"
expect_rc 0
run --db "$S4" verify
expect_rc 0

begin "import: an export edited to drop a breach is refused (exit 6), with --rehash too: the commands would have recorded one"
grep -q 'breach: false' "$T_DIR/unbreached.yaml" || _fail "the edit did not apply"
S5=$(new_store e3)
snap "$S5"
for rehash in "" --rehash; do
	# shellcheck disable=SC2086 # (no option, or one)
	run --db "$S5" import $rehash "$T_DIR/unbreached.yaml"
	expect_rc 6
	expect_err "aiproj: error: $T_DIR/unbreached.yaml:19:7: reading 1 of KPI 'auc' misses the target in force at 2026-03-03T00:00:00.000Z while release '1.0' was live: it is a breach (breach: true)"
	expect_unchanged "$S5"
done

# v1 NAME RELEASES READINGS HISTORY: a format 1 file of project m at
# deployment (or feasibility, with no history)
v1() {
	cat >"$T_DIR/$1.yaml" <<-EOT
	aiproj: 1
	projects:
	- name: m
	  status: active
	  stage: ${5:-deployment}
	  entered_at: "2026-01-05T00:00:00.000Z"
	  created_at: "2026-01-01T00:00:00.000Z"
	  kpis:
	  - {name: auc, op: '>=', target: 0.8, created_at: "2026-01-01T00:00:00.000Z",
	     readings: [$3]}
	  history: [$4]
	  releases: [$2]
	EOT
}
HIST='{from: feasibility, to: data-preparation, kind: forced, actor: a, reason: test, at: "2026-01-02T00:00:00.000Z"},
	     {from: data-preparation, to: prototyping-testing, kind: forced, actor: a, reason: test, at: "2026-01-03T00:00:00.000Z"},
	     {from: prototyping-testing, to: productization, kind: forced, actor: a, reason: test, at: "2026-01-04T00:00:00.000Z"},
	     {from: productization, to: deployment, kind: forced, actor: a, reason: test, at: "2026-01-05T00:00:00.000Z"}'
REL='{version: "1.0", actor: a, at: "2026-01-06T00:00:00.000Z"}'

begin "import: a format 1 file with a breach on a reading that meets its target is refused"
v1 meets "$REL" '{value: 0.9, actor: a, at: "2026-01-07T00:00:00.000Z", breach: true}' "$HIST"
S6=$(new_store f1)
snap "$S6"
run --db "$S6" import "$T_DIR/meets.yaml"
expect_rc 6
expect_err_has "reading 1 of KPI 'auc' is a breach, but 0.9 meets the target in force at 2026-01-07T00:00:00.000Z: a breach misses it"
expect_unchanged "$S6"

begin "import: a format 1 file with a breach before any release is refused"
v1 early "$REL" '{value: 0.5, actor: a, at: "2026-01-05T12:00:00.000Z", breach: true}' "$HIST"
run --db "$S6" import "$T_DIR/early.yaml"
expect_rc 6
expect_err_has "reading 1 of KPI 'auc' is a breach, but no release was live at 2026-01-05T12:00:00.000Z: a breach misses the target while one is"
expect_unchanged "$S6"

begin "import: a format 1 file with a release recorded at feasibility is refused"
v1 feas "$REL" "" "" feasibility
run --db "$S6" import "$T_DIR/feas.yaml"
expect_rc 6
expect_err_has "release '1.0' at 2026-01-06T00:00:00.000Z: the project was at 'feasibility'; what goes live is recorded at 'deployment', the last stage"
expect_unchanged "$S6"
# and one recorded before the project reached deployment
v1 before '{version: "1.0", actor: a, at: "2026-01-03T12:00:00.000Z"}' "" "$HIST"
run --db "$S6" import "$T_DIR/before.yaml"
expect_rc 6
expect_err_has "release '1.0' at 2026-01-03T12:00:00.000Z: the project was at 'prototyping-testing'"
expect_unchanged "$S6"

begin "import: a format 1 file with a miss during a live release and no breach is refused; with the breach it imports"
v1 nobreach "$REL" '{value: 0.5, actor: a, at: "2026-01-07T00:00:00.000Z"}' "$HIST"
run --db "$S6" import "$T_DIR/nobreach.yaml"
expect_rc 6
expect_err_has "reading 1 of KPI 'auc' misses the target in force at 2026-01-07T00:00:00.000Z while release '1.0' was live: it is a breach (breach: true)"
expect_unchanged "$S6"
v1 good "$REL" '{value: 0.5, actor: a, at: "2026-01-07T00:00:00.000Z", breach: true}' "$HIST"
run --db "$S6" import "$T_DIR/good.yaml"
expect_rc 0
run --db "$S6" verify
expect_rc 0
expect_out "intact: 3 chains, 6 rows"

begin "migration: a store from the version before verifies after the upgrade; old rows keep their hashes"
OLD=$(new_store old)
AIPROJ_DB=$OLD
story old
ok kpi add old f1 --target '> 0.5'
ok kpi record old f1 0.9
keep=$(store_sql "SELECT hash FROM kpi_reading WHERE kpi = 'f1'")
if is_file_store; then
	# (the version before schemas/019-monitor-chain.sql; the indexes as
	# they were then)
	v=18
	store_sql "$(uncover_sql) $(summary_sql) ALTER TABLE prod_release DROP COLUMN prev;
		ALTER TABLE prod_release DROP COLUMN hash;
		DROP INDEX kpi_change_chain;
		ALTER TABLE kpi_change DROP COLUMN prev;
		ALTER TABLE kpi_change DROP COLUMN hash;
		UPDATE kpi_reading SET hash = 'old' WHERE kpi = 'auc';
		PRAGMA user_version = $v"
else
	v=18
	store_sql "$(summary_sql) DROP FUNCTION aiproj_release_fields, aiproj_change_fields,
			aiproj_reading_fields, aiproj_chain_release,
			aiproj_chain_change CASCADE;
		DROP INDEX kpi_change_chain;
		ALTER TABLE prod_release DROP COLUMN prev, DROP COLUMN hash;
		ALTER TABLE kpi_change DROP COLUMN prev, DROP COLUMN hash;
		UPDATE kpi_reading SET hash = 'old' WHERE kpi = 'auc';
		UPDATE meta SET value = '$v' WHERE key = 'schema_version'" >/dev/null
fi
run verify
expect_rc 0
expect_out "intact: 5 chains, 10 rows"
[ "$(store_sql "SELECT hash FROM kpi_reading WHERE kpi = 'f1'")" = "$keep" ] ||
	_fail "a reading that is no breach got a new hash"
run -q stage check old --verified
expect_rc 0
AIPROJ_DB=$T_DIR/store.db
is_file_store || AIPROJ_DB=${AIPROJ_E2E_PG%/*}/$T_PGDB

finish
