# What is live in production, and monitoring: the seed's "Monitoring ...
# re-training" as a story.  A project is deployed and release 1.0 goes
# live; a KPI reading misses its target (a breach); the project goes back
# for retraining with `stage back --breach` while 1.0 keeps serving; the
# retrained model meets the target and 2.0 supersedes 1.0.  Each step's
# JSON is checked, and a refused command leaves the store as it was.
. "$(dirname "$0")/lib.sh"

P=churn
DIG=sha256:$(printf '%064d' 7)

begin "setup: a project with a KPI, forced through to deployment"
export AIPROJ_NOW=2026-02-01T09:00:00.000Z
run project create "$P"
expect_rc 0
run kpi add "$P" auc --target '>= 0.8'
expect_rc 0
run kpi add "$P" latency --target '<= 200'
expect_rc 0
for st in data-preparation prototyping-testing productization; do
	run stage advance "$P" --force --reason "setup"
	expect_rc 0
	expect_out_has "-> $st (forced: setup)"
done

begin "release add is refused before the last stage; the store is unchanged"
snap
run release add "$P" 1.0
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot record a release of '$P' at 'productization': what goes live is recorded at 'deployment', the last stage"
expect_unchanged
run --format json release list "$P"
expect_rc 0
jq_out '.releases | length' 0

begin "deploy; a bad digest, commit, version or artifact is refused (exit 2)"
export AIPROJ_NOW=2026-02-02T09:00:00.000Z
run stage advance "$P" --force --reason "setup"
expect_rc 0
expect_out "$P: productization -> deployment (forced: setup)"
snap
run release add "$P" 1.0 --digest sha256:abc
expect_rc 2
expect_err "aiproj: error: invalid digest 'sha256:abc': sha256 takes 64 hex digits"
run release add "$P" 1.0 --digest whirlpool:abc
expect_rc 2
expect_err_has "use ALGO:HEX with ALGO one of md5 sha1 sha224 sha256 sha384 sha512"
run release add "$P" 1.0 --commit xyz1234
expect_rc 2
expect_err "aiproj: error: invalid commit 'xyz1234': use 7 to 64 hex digits"
run release add "$P" '-1.0'
expect_rc 2
run release add "$P" 'v 1'
expect_rc 2
expect_err_has "invalid version 'v 1'"
run release add "$P" 1.0 --artifact 'no scheme'
expect_rc 2
expect_err_has "invalid artifact 'no scheme'"
expect_unchanged

begin "release 1.0 goes live (JSON)"
export AIPROJ_NOW=2026-02-03T09:00:00.000Z
run --format json release add "$P" 1.0 --artifact oci://models/churn:1.0 \
	--digest "$DIG" --commit 0a1b2c3d --note "first model"
expect_rc 0
expect_err ""
jq_out '[.project, .version, .artifact, .digest, .commit, .note, .actor, .at] | join(" ")' \
	"$P 1.0 oci://models/churn:1.0 $DIG 0a1b2c3d first model tester 2026-02-03T09:00:00.000Z"
jq_out '.superseded' null
run stage show "$P"
expect_out_has "  live: 1.0 (since 2026-02-03T09:00:00.000Z)"
run --format json project show "$P"
jq_out '.live | "\(.version) \(.since)"' "1.0 2026-02-03T09:00:00.000Z"
run project show "$P"
expect_out_has "Live:        1.0 (since 2026-02-03T09:00:00.000Z)"
run --format json stage check "$P" --live
expect_rc 0
jq_out '.conditions[0] | "\(.name) \(.holds) \(.detail)"' \
	"live true 1.0 is live since 2026-02-03T09:00:00.000Z"
run --format json stage check "$P" --live=1.0
expect_rc 0
jq_out '.conditions[0].version' 1.0
run stage check "$P" --live=2.0
expect_rc 1
expect_out_has "FAIL live 2.0: 1.0 is live (since 2026-02-03T09:00:00.000Z), not 2.0"

begin "a version is recorded once"
snap
run release add "$P" 1.0
expect_rc 5
expect_err "aiproj: error: release '1.0' already exists on project '$P'"
expect_unchanged

begin "a reading that meets its target is no breach"
export AIPROJ_NOW=2026-02-04T09:00:00.000Z
run --format json kpi record "$P" auc 0.86
expect_rc 0
jq_out '"\(.meets_target) \(.breach) \(.live)"' "true false 1.0"

begin "a reading that misses with a live release is a breach: exit 0, says so"
export AIPROJ_NOW=2026-02-05T09:00:00.000Z
run kpi record "$P" auc 0.71
expect_rc 0
expect_out "KPI 'auc' on '$P': 0.71 (breach: misses target >= 0.8 while 1.0 is live)"
expect_err ""
export AIPROJ_NOW=2026-02-05T10:00:00.000Z
run --format json kpi record "$P" auc 0.7
expect_rc 0
jq_out '"\(.meets_target) \(.breach) \(.live)"' "false true 1.0"
run --format json kpi record "$P" latency 150
jq_out '.breach' false

begin "report status and stage check --kpis show the open breach"
run --format json report status
expect_rc 0
jq_out ".projects[] | select(.project == \"$P\") | \"\(.live.version) \(.open_breaches)\"" "1.0 1"
run report status
expect_rc 0
expect_out_has "In production:"
expect_out_has "  $P  live: 1.0 (since 2026-02-03T09:00:00.000Z), 1 open breach"
run --format json stage check "$P" --kpis
expect_rc 1
jq_out '.conditions[0].detail' \
	"auc in breach since 2026-02-05T10:00:00.000Z: latest 0.7 misses >= 0.8"

begin "kpi history: who, when, value, met or breach (JSON and text)"
run --format json kpi history "$P" auc
expect_rc 0
jq_out '[.history[] | "\(.event):\(.value):\(.result):\(.actor)"] | join(" ")' \
	"add:null:null:null reading:0.86:met:tester reading:0.71:breach:tester reading:0.7:breach:tester"
run kpi history "$P"
expect_rc 0
expect_out_has "latency"
expect_aligned
run kpi history "$P" nope
expect_rc 3
expect_err "aiproj: error: no KPI 'nope' on project '$P'"

begin "stage back --breach: refused with --to; without a breach on another project"
snap
run stage back "$P" --breach --to feasibility
expect_rc 2
expect_err_has "stage back takes --breach or --to STAGE, not both"
run project create other
run stage back other --breach
expect_rc 4
expect_err "aiproj: error: cannot move 'other' back for a breach: no breach is open (aiproj kpi history other)"
run stage back "$P"
expect_rc 2
expect_err "aiproj: error: stage back needs --to STAGE: the earlier stage to jump to"

begin "stage back --breach goes to on_breach with the breach as its reason"
export AIPROJ_NOW=2026-02-06T09:00:00.000Z
run --format json stage back "$P" --breach
expect_rc 0
expect_err ""
jq_out '"\(.from) \(.to) \(.kind)"' "deployment prototyping-testing back"
jq_out '.reason' "breach of auc: 0.7 misses >= 0.8 (since 2026-02-05T10:00:00.000Z)"
jq_out '.reopened_stages' 3

begin "the live release stays in place while the project retrains"
run --format json stage show "$P"
jq_out '"\(.stage) \(.live.version)"' "prototyping-testing 1.0"
run stage check "$P" --live=1.0
expect_rc 0
run --format json report status
jq_out ".projects[] | select(.project == \"$P\") | \"\(.live.version) \(.open_breaches)\"" "1.0 0"
run stage check "$P" --kpis
expect_rc 1
expect_out_has "auc latest 0.7 misses >= 0.8"

begin "kpi set and kpi remove change the definitions, in history"
export AIPROJ_NOW=2026-02-07T09:00:00.000Z
run --format json kpi set "$P" auc --target '>= 0.82' --reason "raise the bar"
expect_rc 0
jq_out '"\(.op) \(.target) \(.was_op) \(.was_target) \(.reason)"' ">= 0.82 >= 0.8 raise the bar"
snap
run kpi remove "$P" latency
expect_rc 2
expect_err "aiproj: error: kpi remove needs --reason TEXT: say why"
run kpi set "$P" nope --target '>= 1'
expect_rc 3
expect_unchanged
run --format json kpi remove "$P" latency --reason "measured by the platform"
expect_rc 0
jq_out '"\(.kpi) \(.removed) \(.reason)"' "latency true measured by the platform"
run --format json kpi list "$P"
jq_out '[.kpis[].name] | join(",")' auc
run kpi record "$P" latency 100
expect_rc 3
run --format json kpi history "$P"
jq_out '[.history[] | select(.event != "reading") | "\(.kpi):\(.event):\(.op) \(.target)"] | join(" ")' \
	"auc:add:>= 0.8 latency:add:<= 200 auc:set:>= 0.82 latency:remove:<= 200"
jq_out '[.history[] | select(.kpi == "auc" and .event == "reading") | "\(.target):\(.result)"] | join(" ")' \
	"0.8:met 0.8:breach 0.8:breach"

begin "retraining: a reading that meets the target; back to deployment"
export AIPROJ_NOW=2026-02-08T09:00:00.000Z
run --format json kpi record "$P" auc 0.9
jq_out '"\(.meets_target) \(.breach)"' "true false"
run stage check "$P" --kpis --live
expect_rc 0
for st in productization deployment; do
	run stage advance "$P" --force --reason "retrained"
	expect_rc 0
done

begin "release 2.0 supersedes 1.0, in output and in history"
export AIPROJ_NOW=2026-02-09T09:00:00.000Z
run release add "$P" 2.0 --commit 0a1b2c3d4e
expect_rc 0
expect_out "Release 2.0 of '$P' is live; it supersedes 1.0"
run --format json release list "$P"
jq_out '[.releases[] | "\(.version):\(.state):\(.ended_at):\(.end_reason)"] | join(" ")' \
	"1.0:superseded:2026-02-09T09:00:00.000Z:superseded by 2.0 2.0:live:null:null"
run --format json log "$P" --since 2026-02-09
jq_out '[.events[] | "\(.event) \(.subject) \(.note)"] | join(", ")' \
	"supersede 1.0 superseded by 2.0, release 2.0 null"
run release list "$P"
expect_aligned

begin "retire: only the live release, with a reason"
snap
run release retire "$P" 1.0 --reason "old"
expect_rc 4
expect_err "aiproj: error: release '1.0' is not live: it was superseded on project '$P'"
run release retire "$P" 9.9 --reason "none"
expect_rc 3
run release retire "$P" 2.0
expect_rc 2
expect_unchanged
export AIPROJ_NOW=2026-02-10T09:00:00.000Z
run --format json release retire "$P" 2.0 --reason "replaced by the rules engine"
expect_rc 0
jq_out '"\(.version) \(.state) \(.reason)"' "2.0 retired replaced by the rules engine"
run stage check "$P" --live
expect_rc 1
expect_out_has "FAIL live: no release is live"

begin "a miss without a live release is no breach"
run --format json kpi record "$P" auc 0.5
jq_out '.breach' false
run --format json kpi history "$P" auc
jq_out '.history[-1].result' missed

begin "log: releases, KPI changes and breaches"
run --format json log "$P"
jq_out '[.events[] | select(.event | test("release|supersede|retire|kpi-")) | .event] | join(",")' \
	"release,kpi-set,kpi-remove,supersede,release,retire"
jq_out '[.events[] | select(.event == "reading" and .detail == "breach")] | length' 2

begin "events: the feed carries them too (schemas/011-releases.sql)"
run --format json events "$P"
expect_rc 0
got=$(printf '%s\n' "$OUT" | jq -r 'select(.event | test("release|supersede|retire|kpi-")) | .event' | sort | tr '\n' ,)
[ "$got" = "kpi-remove,kpi-set,release,release,retire,supersede," ] ||
	_fail "events: release and KPI change events: $got"
got=$(printf '%s\n' "$OUT" | jq -s '[.[] | select(.event == "reading" and .detail == "breach")] | length')
[ "$got" = 2 ] || _fail "events: breach readings: $got"

begin "export, import into an empty store, export: the same bytes"
run export -o "$T_DIR/a.yaml"
expect_rc 0
grep -q "breach: true" "$T_DIR/a.yaml" || _fail "no breach in the export"
grep -q "^  releases:" "$T_DIR/a.yaml" || _fail "no releases in the export"
grep -q "kind: remove" "$T_DIR/a.yaml" || _fail "no KPI change in the export"
E=$(new_store empty)
run --db "$E" import "$T_DIR/a.yaml"
expect_rc 0
run --db "$E" export -o "$T_DIR/b.yaml"
expect_rc 0
cmp -s "$T_DIR/a.yaml" "$T_DIR/b.yaml" || _fail "export differs after import" \
	"$(diff "$T_DIR/a.yaml" "$T_DIR/b.yaml" | head -10)"
run --db "$E" --format json kpi history "$P" auc
jq_out '[.history[].result] | join(",")' ",met,breach,breach,,met,missed"

begin "import refuses two live releases"
sed 's/^    ended: retired$/    ended: null/; s/^    ended_by: tester$/    ended_by: null/' \
	"$T_DIR/a.yaml" >"$T_DIR/c.yaml"
run --db "$(new_store two)" import "$T_DIR/c.yaml" --dry-run
expect_rc 6
expect_err_has "is live: it has no ended_by or ended_at"

begin "a closed project's live release can still be retired; nothing else changes it"
export AIPROJ_NOW=2026-03-01T09:00:00.000Z
run project create shut
expect_rc 0
for st in 1 2 3 4; do
	run stage advance shut --force --reason "setup"
	expect_rc 0
done
run release add shut 3.1
expect_rc 0
run project close shut --reason "cancelled: the model keeps serving until it is replaced"
expect_rc 0
snap
run kpi add shut auc --target '>= 0.8'
expect_rc 4
expect_unchanged
export AIPROJ_NOW=2026-03-05T09:00:00.000Z
run --format json release retire shut 3.1 --reason "switched off"
expect_rc 0
jq_out '"\(.version) \(.state) \(.at)"' "3.1 retired 2026-03-05T09:00:00.000Z"
run --format json release list shut
jq_out '[.releases[] | .state] | join(",")' "retired"
snap
run release retire shut 3.1 --reason "again"
expect_rc 4
expect_unchanged
run export -o "$T_DIR/shut.yaml"
expect_rc 0
E=$(new_store shut)
run --db "$E" import "$T_DIR/shut.yaml"
expect_rc 0
run --db "$E" export -o "$T_DIR/shut2.yaml"
cmp -s "$T_DIR/shut.yaml" "$T_DIR/shut2.yaml" || _fail "export differs after import"

finish
