# Gates, decisions, KPIs and stage check: the happy paths, the refusals and
# the CI answers (exit 0/1, -q, json, github).
. "$(dirname "$0")/lib.sh"

export AIPROJ_NOW=2026-03-01T12:00:00.000Z
run project create g

# ---- gate ----

begin "gate show (text and JSON) of the current stage"
run gate show g
expect_rc 0
expect_err ""
expect_out_has "g at feasibility"
expect_out_has "Gate of feasibility: 0 of 9 met"
expect_out_has "[ ] 1 "
expect_out_has "Goals set for re-training"
run --format json gate show g
expect_rc 0
jq_out '.aiproj' 1
jq_out '.project' g
jq_out '.stage' feasibility
jq_out '.criteria | length' 9
jq_out '[.criteria[] | select(.kind == "manual") | .id] | join(",")' 1,2,3,4
jq_out '[.criteria[] | select(.done)] | length' 0

begin "gate show --stage shows another stage's gate"
run --format json gate show g --stage deployment
expect_rc 0
jq_out '.stage' deployment
jq_out '[.criteria[] | select(.kind == "manual") | .text] | join("|")' \
	"Security and environment ready|Orchestration and scheduling in place|Operation, monitoring and support set up"
jq_out '[.criteria[] | select(.kind == "role") | .id] | join(",")' role:devops

begin "gate done and reopen tick and untick a criterion; repeating is harmless"
run gate done g 1 --note "see ADR-12"
expect_rc 0
expect_out "Criterion 1 of feasibility on 'g' is now done"
expect_err ""
run --format json gate show g
jq_out '.criteria[] | select(.id == "1") | .done' true
snap
run gate done g 1
expect_rc 0
expect_out "Criterion 1 of feasibility on 'g' was already done"
run --format json gate done g 1
expect_rc 0
jq_out '.changed' false
jq_out '.done' true
expect_unchanged
run gate reopen g 1
expect_rc 0
expect_out "Criterion 1 of feasibility on 'g' is now open"
run --format json gate show g
jq_out '.criteria[] | select(.id == "1") | .done' false
run gate reopen g 1
expect_rc 0
expect_out "Criterion 1 of feasibility on 'g' was already open"

begin "gate done/reopen of an unknown criterion id: exit 3"
snap
run gate done g 999
expect_rc 3
expect_out ""
expect_err "aiproj: error: no criterion 999 on project 'g' (see 'aiproj gate show g')"
run gate reopen g 999
expect_rc 3
expect_one_line_error
# another project's criterion is not this project's
run project create other
snap
run --format json gate show other
other_ids=$(printf '%s' "$OUT" | jq -r '[.criteria[] | select(.kind == "manual") | .id] | join(",")')
run --format json gate add g --stage deployment "Only on g"
expect_rc 0
gid=$(printf '%s' "$OUT" | jq -r .id)
snap
run gate done other "$gid"
case ",$other_ids," in
*",$gid,"*) _fail "criterion ids overlap, cannot test" ;;
esac
expect_rc 3
expect_one_line_error
run gate done nosuch 1
expect_rc 3
expect_err "aiproj: error: no project 'nosuch'"
expect_unchanged

begin "gate done with a malformed id: exit 2"
snap
for bad in abc 0 1x -1 ""; do
	run gate done g "$bad"
	expect_rc 2
	expect_out ""
	expect_one_line_error
done
run gate done g abc
expect_err "aiproj: error: invalid criterion id 'abc': expected a whole number from 1 to 9007199254740991 (digits only)"
run gate reopen g abc
expect_rc 2
expect_unchanged

begin "gate add: a criterion for a stage's gate"
run gate add g --stage feasibility "Legal reviewed the data use"
expect_rc 0
expect_err ""
expect_out_has "Added criterion "
expect_out_has " to the gate of feasibility on 'g'"
run --format json gate show g
jq_out '[.criteria[] | select(.kind == "manual")] | length' 5
jq_out '[.criteria[] | select(.kind == "manual") | .text] | last' "Legal reviewed the data use"
run --format json gate add g --stage proto "Bias checked"
expect_rc 0
jq_out '.stage' prototyping-testing
jq_out '.text' "Bias checked"
id=$(printf '%s' "$OUT" | jq -r .id)
run --format json gate show g --stage 3
jq_out ".criteria[] | select(.id == \"$id\") | .text" "Bias checked"

begin "gate add without --stage, or with empty text: exit 2"
snap
run gate add g "No stage given"
expect_rc 2
expect_out ""
expect_err "aiproj: error: gate add needs --stage STAGE: the stage whose gate gets the criterion"
run gate add g --stage 1 ""
expect_rc 2
expect_one_line_error
run gate add g --stage d "ambiguous"
expect_rc 2
expect_one_line_error
expect_unchanged

begin "gate approve: only the accountable person, approving twice is idempotent"
run role assign g sponsor sam
expect_rc 0
snap
run gate approve g
expect_rc 4
expect_out ""
expect_err "aiproj: error: 'tester' may not approve the gate of 'feasibility' on 'g': only a person assigned as sponsor may"
run role assign g ai-engineer ann
snap
run --actor ann gate approve g
expect_rc 4
expect_one_line_error
expect_unchanged
run --actor sam gate approve g --note "looks good"
expect_rc 0
expect_out "Approved the gate of feasibility on 'g' as sponsor"
expect_err ""
snap
run --actor sam gate approve g
expect_rc 0
expect_out "Already approved the gate of feasibility on 'g' as sponsor"
run --format json --actor sam gate approve g
expect_rc 0
jq_out '.changed' false
jq_out '.approved_by' sam
expect_unchanged
run --format json gate show g
jq_out '.criteria[] | select(.kind == "approval") | .done' true
run gate approve nosuch
expect_rc 3
expect_one_line_error

begin "gate approve: the approver is --actor, else \$AIPROJ_ACTOR"
run project create who
run role assign who sponsor sam
export AIPROJ_ACTOR=sam
snap
run --actor tess gate approve who # --actor wins over the environment
expect_rc 4
expect_err_has "'tess' may not approve"
expect_unchanged
run --format json gate approve who
expect_rc 0
jq_out '.approved_by' sam
jq_out '.changed' true
export AIPROJ_ACTOR=tester
run --format json gate show who
jq_out '.criteria[] | select(.kind == "approval") | .done' true

begin "an approval survives hold and resume"
run project hold who --reason "vacation"
run project resume who
expect_rc 0
run --format json gate show who
jq_out '.criteria[] | select(.kind == "approval") | .done' true

begin "gate approve of a project on hold or closed: exit 4"
run project create paused
run role assign paused sponsor sam
run project hold paused --reason "budget freeze"
snap
run --actor sam gate approve paused
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot approve the gate of 'paused': project is on-hold; only active projects move"
expect_unchanged
run project resume paused
run project close paused --reason "cancelled"
snap
run --actor sam gate approve paused
expect_rc 4
expect_one_line_error
expect_unchanged

# ---- decide ----

begin "decide: a bad kind is a usage error"
snap
for bad in maybe MAKE ""; do
	run decide g "$bad" --cost 1 --reason r
	expect_rc 2
	expect_out ""
	expect_one_line_error
done
run decide g maybe --reason r
expect_err "aiproj: error: invalid decision 'maybe': expected make or buy"
expect_unchanged

begin "decide without --reason or with a bad cost: exit 2"
snap
run decide g make --cost 100
expect_rc 2
expect_out ""
expect_err "aiproj: error: decide needs --reason TEXT: say why"
run decide g make --cost -5 --reason r
expect_rc 2
expect_err "aiproj: error: invalid cost '-5': it cannot be negative"
for bad in abc 1e400 nan ""; do
	run decide g make --cost "$bad" --reason r
	expect_rc 2
	expect_one_line_error
done
run decide nosuch make --cost 1 --reason r
expect_rc 3
expect_one_line_error
expect_unchanged

begin "decide make without a cost leaves the decision criterion open"
run decide g make --reason "no vendor"
expect_rc 0
expect_out "Decision for 'g': make"
run --format json gate show g
jq_out '.criteria[] | select(.kind == "decision") | .done' false
run --format json decide g make --cost 120000.5 --reason "no vendor fits"
expect_rc 0
jq_out '.decision' make
jq_out '.cost' 120000.5
jq_out '.status' active
run --format json gate show g
jq_out '.criteria[] | select(.kind == "decision") | .done' true

begin "decide at a stage that does not decide: exit 4"
run project create later
run stage advance later --force --reason skip
snap
run decide later make --cost 1 --reason r
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot record a decision for 'later' at 'data-preparation': make/buy is decided at 'feasibility'"
run decide later buy --reason r
expect_rc 4
expect_unchanged
run --format json project show later
jq_out '.status' active

# ---- kpi ----

begin "kpi add: targets with every operator"
run kpi add g auc --target '>= 0.8'
expect_rc 0
expect_out "KPI 'auc' on 'g': target >= 0.8"
expect_err ""
run kpi add g latency_ms --target '<200'
expect_rc 0
expect_out "KPI 'latency_ms' on 'g': target < 200"
run kpi add g errors --target ' == 0 '
expect_rc 0
expect_out "KPI 'errors' on 'g': target == 0"
run kpi add g drift --target '> -10'
expect_rc 0
run kpi add g cost.k --target '<= 5'
expect_rc 0
run --format json gate show g
jq_out '.criteria[] | select(.kind == "kpi") | .done' true

begin "kpi add: a bad target is a usage error"
snap
for bad in abc '=> 5' '<' '!= 3' '< 5x' '>= inf' '>= nan' ''; do
	run kpi add g k1 --target "$bad"
	expect_rc 2
	expect_out ""
	expect_one_line_error
done
run kpi add g k1 --target '=> 5'
expect_err "aiproj: error: invalid KPI target '=> 5': use 'OP NUMBER' with OP one of >= > <= < =="
run kpi add g k1
expect_rc 2
expect_err "aiproj: error: kpi add needs --target 'OP NUMBER', e.g. --target '>= 0.8'"
expect_unchanged

begin "kpi add: a duplicate name is a conflict (exit 5)"
snap
run kpi add g auc --target '>= 0.9'
expect_rc 5
expect_out ""
expect_one_line_error
expect_err_has "'auc'"
expect_unchanged

begin "kpi add: a bad name is a usage error"
snap
for bad in "bad name" "_x" "a/b" "$(printf 'x%.0s' $(seq 65))"; do
	run kpi add g "$bad" --target '> 1'
	expect_rc 2
	expect_out ""
	expect_one_line_error
done
run kpi add g "bad name" --target '> 1'
expect_err "aiproj: error: invalid KPI name 'bad name': use 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit"
run kpi add nosuch k --target '> 1'
expect_rc 3
expect_one_line_error
expect_unchanged

begin "kpi record: unknown KPI (exit 3), not a number (exit 2)"
snap
run kpi record g nosuch 1
expect_rc 3
expect_out ""
expect_err "aiproj: error: no KPI 'nosuch' on project 'g' (add it with 'aiproj kpi add')"
run kpi record nosuch auc 1
expect_rc 3
expect_one_line_error
for bad in abc "" nan inf 1e400 0.8x; do
	run kpi record g auc "$bad"
	expect_rc 2
	expect_out ""
	expect_one_line_error
done
run kpi record g auc abc
expect_err "aiproj: error: invalid KPI value 'abc': expected a decimal number like 12, -0.5 or 2.5e-3"
expect_unchanged

begin "kpi record: a negative value works as a positional"
run kpi record g drift -5
expect_rc 0
expect_out "KPI 'drift' on 'g': -5 (meets target > -10)"
expect_err ""
run kpi record g drift -12.5
expect_rc 0
expect_out "KPI 'drift' on 'g': -12.5 (misses target > -10)"
run --format json kpi record g drift -3
expect_rc 0
jq_out '.value' -3
jq_out '.meets_target' true

begin "kpi list (text): target, latest reading, meets"
run kpi record g auc 0.9
run kpi record g auc 0.7 # same time stamp: the later reading is the latest
expect_out "KPI 'auc' on 'g': 0.7 (misses target >= 0.8)"
run kpi list g
expect_rc 0
expect_err ""
[ "$(printf '%s\n' "$OUT" | wc -l)" = 6 ] || _fail "expected a header and 5 KPIs"
row() { printf '%s\n' "$OUT" | awk -v k="$1" '$1 == k {print $2, $3, $4, $5, $6}'; }
[ "$(row auc)" = ">= 0.8 0.7 no $AIPROJ_NOW" ] || _fail "auc row: $(row auc)"
[ "$(row drift)" = "> -10 -3 yes $AIPROJ_NOW" ] || _fail "drift row: $(row drift)"
[ "$(row errors)" = "== 0 - - -" ] || _fail "errors row: $(row errors)"

begin "kpi list (text): aligned columns, long names included"
run project create wide
run kpi add wide p99_latency_milliseconds_overall --target '<= 250.5'
run kpi add wide auc --target '>= 0.8'
run kpi record wide p99_latency_milliseconds_overall 1234567.25
run --wide kpi list wide
expect_rc 0
expect_out_has "p99_latency_milliseconds_overall"
expect_aligned

begin "kpi list (JSON): latest and meets_target"
run --format json kpi list g
expect_rc 0
jq_out '.project' g
jq_out '.kpis | length' 5
jq_out '.kpis[] | select(.name == "auc") | [.op, .target, .latest, .meets_target] | map(tostring) | join(" ")' ">= 0.8 0.7 false"
jq_out '.kpis[] | select(.name == "drift") | [.latest, .meets_target] | map(tostring) | join(" ")' "-3 true"
jq_out '.kpis[] | select(.name == "errors") | [.latest, .meets_target] | map(tostring) | join(" ")' "null null"
run kpi list other
expect_rc 0
expect_out "No KPIs on 'other' (add one with 'aiproj kpi add')"
run --format json kpi list other
jq_out '.kpis | length' 0

# ---- stage check ----

# a project whose gate holds and whose only KPI meets its target
run project create ok
run role assign ok sponsor sue
run role assign ok ai-engineer ai
run decide ok make --cost 10 --reason r
run kpi add ok acc --target '>= 0.9'
run kpi record ok acc 0.95
for id in $("$AIPROJ" --format json gate show ok | jq -r '.criteria[] | select(.kind == "manual") | .id'); do
	run gate done ok "$id"
done
run --actor sue gate approve ok

begin "stage check: every condition holds -> exit 0"
snap
run stage check ok --gate --kpis --at-least 1 --is feasibility
expect_rc 0
expect_err ""
expect_out_has "ok: all 4 conditions hold"
expect_out_has "ok   gate"
expect_out_has "ok   kpis"
run stage check ok --gate
expect_rc 0
run stage check ok --kpis
expect_rc 0
run stage check ok --at-least Feasibility
expect_rc 0
expect_unchanged

begin "stage check: one condition fails -> exit 1"
snap
run stage check ok --at-least data-preparation
expect_rc 1
expect_err ""
expect_out_has "ok: 1 of 1 conditions do not hold"
expect_out_has "FAIL at-least data-preparation"
run stage check ok --is 2
expect_rc 1
expect_out_has "FAIL is data-preparation: at feasibility"
run stage check ok --gate --kpis --is deployment
expect_rc 1
expect_out_has "ok: 1 of 3 conditions do not hold"
run --wide stage check g --gate
expect_rc 1
expect_out_has "FAIL gate"
expect_out_has "unmet: Goals set for re-training"
run stage check g --kpis
expect_rc 1
expect_out_has "auc latest 0.7 misses >= 0.8"
expect_out_has "errors has no reading"
expect_unchanged

begin "stage check --kpis follows the latest reading"
run kpi record ok acc 0.5
run stage check ok --kpis
expect_rc 1
run stage check ok --gate
expect_rc 0
run kpi record ok acc 0.91
run stage check ok --kpis
expect_rc 0

begin "stage check --at-least is met past the stage"
run stage advance ok --expect feasibility
expect_rc 0
run stage check ok --at-least feasibility --at-least data-preparation
expect_rc 0
run stage check ok --at-least 1 --is 2
expect_rc 0
run stage check ok --at-least proto
expect_rc 1
run stage check ok --gate
expect_rc 1

begin "stage check -q prints nothing"
run -q stage check ok --at-least proto
expect_rc 1
expect_out ""
expect_err ""
run -q stage check ok --is 2
expect_rc 0
expect_out ""
expect_err ""
run -q stage check nosuch --gate
expect_rc 3
expect_out ""

begin "stage check of an unknown project: exit 3"
snap
run stage check nosuch --gate
expect_rc 3
expect_out ""
expect_err "aiproj: error: no project 'nosuch'"
expect_unchanged

begin "stage check without a condition: exit 2"
snap
run stage check ok
expect_rc 2
expect_out ""
expect_err "aiproj: error: stage check needs a condition: --at-least STAGE, --is STAGE, --started STAGE, --gate, --kpis, --verified, --on-time or --live[=VERSION]"
expect_unchanged

begin "stage check --format json: the result object"
run --format json stage check ok --is 2 --gate --kpis --at-least 1
expect_rc 1
expect_err ""
jq_out '.aiproj' 1
jq_out '.project' ok
jq_out '.holds' false
jq_out '.conditions | length' 4
jq_out '[.conditions[].name] | sort | join(",")' at-least,gate,is,kpis
jq_out '[.conditions[] | "\(.name)=\(.holds)"] | sort | join(",")' at-least=true,gate=false,is=true,kpis=true
jq_out '[.conditions[] | .detail | type] | unique | join(",")' string
jq_out '.conditions[] | select(.name == "gate") | .detail | test("unmet")' true
run --format json stage check ok --is 2
expect_rc 0
jq_out '.holds' true
jq_out '.conditions[0] | [.name, .holds, .detail] | map(tostring) | join("|")' "is|true|at data-preparation"

begin "stage check --format github: ::error lines on failure"
run --format github stage check ok --is 2 --gate
expect_rc 1
expect_err ""
n_err=$(printf '%s\n' "$OUT" | grep -c '^::error')
[ "$n_err" = 1 ] || _fail "expected one ::error line, got $n_err"
printf '%s\n' "$OUT" | grep '^::error' | grep -q 'gate' || _fail "the ::error line is not about the gate"
printf '%s\n' "$OUT" | grep -q '^::error.*::.*ok' || _fail "the ::error line does not name the project"
run --format github stage check ok --is 2
expect_rc 0
printf '%s\n' "$OUT" | grep -q '^::error' && _fail "::error although the check holds"

begin "stage check: a project without KPIs does not hold --kpis"
run project create nokpi
snap
run stage check nokpi --kpis
expect_rc 1
expect_err ""
expect_out "nokpi: 1 of 1 conditions do not hold
  FAIL kpis: no KPIs defined"
run --format json stage check nokpi --kpis
expect_rc 1
expect_err ""
jq_out '[.holds, .conditions[0].holds, .conditions[0].detail] | map(tostring) | join("|")' "false|false|no KPIs defined"
expect_unchanged

# a copy of `ok` (everything holds at data-preparation) on hold, one closed
for p in held shut; do
	run project create $p
	run stage advance $p --force --reason r
	run kpi add $p acc --target '>= 0.9'
	run kpi record $p acc 0.95
done
run stage check held --at-least 1 --is 2 --kpis
expect_rc 0
run project hold held --reason "waiting for data"
run project close shut --reason "cancelled"

begin "stage check: a project on hold or closed never holds (exit 1, the reason named)"
snap
run stage check held --at-least 1 --is 2 --kpis
expect_rc 1
expect_err ""
expect_out "held: 1 of 4 conditions do not hold
  FAIL active: project is on-hold: only an active project passes a check
  ok   at-least feasibility: at data-preparation (2), at or past feasibility (1)
  ok   is data-preparation: at data-preparation
  ok   kpis: all 1 KPIs meet their targets"
run stage check shut --is 2
expect_rc 1
expect_out_has "shut: 1 of 2 conditions do not hold"
expect_out_has "FAIL active: project is closed: only an active project passes a check"
run -q stage check shut --at-least 1
expect_rc 1
expect_out ""
expect_err ""
run --format github stage check shut --is 2
expect_rc 1
expect_out_has "::error title=aiproj stage check::shut: active does not hold: project is closed: only an active project passes a check"
expect_unchanged

begin "stage check --format json carries status; an inactive project adds 'active'"
run --format json stage check ok --is 2
expect_rc 0
jq_out '.status' active
jq_out '[.conditions[].name] | join(",")' is
run --format json stage check shut --is 2
expect_rc 1
expect_err ""
jq_out '[.status, .holds] | map(tostring) | join("|")' "closed|false"
jq_out '[.conditions[] | "\(.name)=\(.holds)"] | join(",")' "active=false,is=true"
run --format json stage check held --kpis
expect_rc 1
jq_out '[.status, .holds] | map(tostring) | join("|")' "on-hold|false"
jq_out '.conditions[0].detail' "project is on-hold: only an active project passes a check"
# every condition at once: the active one is still asked first
run --format json stage check held --at-least 1 --is 2 --started 2 --gate \
	--kpis --verified --on-time --live
expect_rc 1
jq_out '[.conditions[] | .name] | join(",")' \
	"active,at-least,is,started,gate,kpis,verified,on-time,live"
run project resume held
run --format json stage check held --kpis
expect_rc 0
jq_out '[.status, .holds] | map(tostring) | join("|")' "active|true"

begin "stage check: a stage condition given twice is two conditions, both asked"
snap
run stage check ok --at-least productization --at-least feasibility
expect_rc 1
expect_out_has "ok: 1 of 2 conditions do not hold"
expect_out_has "FAIL at-least productization"
run --format json stage check held --started 1 --started 2 --is 2
expect_rc 0
jq_out '[.conditions[] | "\(.name) \(.stage)"] | join(",")' \
	"is data-preparation,started feasibility,started data-preparation"
run stage check ok --is 1 --is 2
expect_rc 1
expect_unchanged

finish
