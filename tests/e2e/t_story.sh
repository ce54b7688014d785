# Story: one project walks the whole seed lifecycle, from feasibility to
# deployment, goes back to prototyping after a KPI misses, and the history
# tells it all.
. "$(dirname "$0")/lib.sh"

P=churn

# ids of the manual criteria of STAGE (default: the current one), one a line
manual_ids() {
	if [ $# -gt 0 ]; then
		"$AIPROJ" --format json gate show "$P" --stage "$1"
	else
		"$AIPROJ" --format json gate show "$P"
	fi | jq -r '.criteria[] | select(.kind == "manual") | .id'
}

# tick every manual criterion of the current stage; each must say "is now done"
tick_all() {
	_ids=$(manual_ids)
	[ -n "$_ids" ] || _fail "no manual criteria found at the current stage"
	for _id in $_ids; do
		run gate done "$P" "$_id" --note "checked in review"
		expect_rc 0
		expect_out_has "Criterion $_id of "
		expect_out_has " on '$P' is now done"
		expect_err ""
	done
}

# the whole gate of the current stage holds (JSON and stage check agree)
expect_gate_passes() {
	run --format json gate show "$P"
	expect_rc 0
	jq_out '.passed' true
	jq_out '[.criteria[] | select(.done | not)] | length' 0
	run stage check "$P" --gate
	expect_rc 0
}

export AIPROJ_NOW=2026-01-05T09:00:00.000Z

begin "create the project at feasibility"
run project create "$P" --description "Predict churn of subscribers"
expect_rc 0
expect_out_has "Created project '$P' at stage feasibility"
expect_err ""
run --format json stage show "$P"
expect_rc 0
jq_out '.stage' feasibility
jq_out '.status' active
jq_out '.entered_at' 2026-01-05T09:00:00.000Z
jq_out '.gate.passed' false

begin "advancing a fresh project is refused, one line per unmet criterion"
snap
run stage advance "$P"
expect_rc 4
expect_out ""
expect_err_has "aiproj: error: cannot advance '$P': gate of 'feasibility' is unmet"
# the first line is the error, then one line per unmet criterion
n_unmet=$(printf '%s\n' "$ERR" | grep -c '^  unmet: ')
[ "$n_unmet" = 9 ] || _fail "expected 9 unmet lines, got $n_unmet"
[ "$(printf '%s\n' "$ERR" | wc -l)" = 10 ] || _fail "expected 10 stderr lines"
for want in \
	"sponsor (accountable) has someone assigned" \
	"ai-engineer (responsible) has someone assigned" \
	"a make decision with a cost estimate is recorded" \
	"at least one KPI with a target is defined" \
	"Goals set for re-training" \
	"Goals set for feedback" \
	"Goals set for monitoring and alerting" \
	"What-if scenarios reviewed" \
	"approved by the sponsor since the stage was entered"; do
	printf '%s\n' "$ERR" | grep -q "^  unmet: $want" ||
		_fail "no unmet line for: $want"
done
expect_unchanged

begin "staff the feasibility roles"
run role assign "$P" sponsor "Ana Lima"
expect_rc 0
expect_out "Assigned 'Ana Lima' as sponsor on '$P'"
expect_err ""
run role assign "$P" ai-engineer bo
expect_rc 0
expect_out "Assigned 'bo' as ai-engineer on '$P'"
run role assign "$P" data-analyst al
expect_rc 0
run --format json role show "$P"
expect_rc 0
jq_out '[.assignments[] | "\(.role)=\(.person)"] | sort | join(",")' \
	"ai-engineer=bo,data-analyst=al,sponsor=Ana Lima"

begin "decide make with a cost"
run decide "$P" make --cost 120000 --reason "no vendor fits"
expect_rc 0
expect_out "Decision for '$P': make, cost 120000"
expect_err ""

begin "add a KPI with a target"
run kpi add "$P" auc --target '>= 0.8'
expect_rc 0
expect_out "KPI 'auc' on '$P': target >= 0.8"
expect_err ""

begin "tick every feasibility criterion; only the approval is left"
tick_all
run --format json gate show "$P"
expect_rc 0
jq_out '[.criteria[] | select(.done | not) | .kind] | join(",")' approval
run stage advance "$P"
expect_rc 4
expect_err_has "(8 of 9 criteria met)"
[ "$(printf '%s\n' "$ERR" | grep -c '^  unmet: ')" = 1 ] || _fail "expected one unmet line"
expect_err_has "  unmet: approved by the sponsor since the stage was entered"

begin "someone without the accountable role may not approve"
snap
run --actor bo gate approve "$P"
expect_rc 4
expect_out ""
expect_err "aiproj: error: 'bo' may not approve the gate of 'feasibility' on '$P': only a person assigned as sponsor may"
expect_unchanged
run gate approve "$P" # as $AIPROJ_ACTOR, who holds no role at all
expect_rc 4
expect_err_has "'tester' may not approve"
expect_unchanged
run --format json gate show "$P"
jq_out '.criteria[] | select(.kind == "approval") | .done' false

begin "the sponsor approves and the gate holds"
run --actor "Ana Lima" gate approve "$P" --note "go"
expect_rc 0
expect_out "Approved the gate of feasibility on '$P' as sponsor"
expect_err ""
expect_gate_passes

begin "advance to data preparation"
export AIPROJ_NOW=2026-01-06T10:00:00.001Z
run --actor "Ana Lima" stage advance "$P" --expect feasibility --reason "kick-off done"
expect_rc 0
expect_out "$P: feasibility -> data-preparation"
expect_err ""
run --format json stage show "$P"
jq_out '.stage' data-preparation
jq_out '.entered_at' 2026-01-06T10:00:00.001Z
jq_out '.gate.passed' false

begin "a passed stage keeps its approval: gate show --stage feasibility"
# the project has not re-entered feasibility since the sponsor approved it
run --format json gate show "$P" --stage feasibility
expect_rc 0
jq_out '.stage' feasibility
jq_out '[.criteria[] | select(.done | not) | .id] | join(",")' ""
jq_out '.criteria[] | select(.kind == "approval") | .done' true

begin "data preparation: the gate of the new stage starts open"
run stage advance "$P"
expect_rc 4
expect_err_has "gate of 'data-preparation' is unmet"
expect_err_has "  unmet: data-engineer (accountable) has someone assigned"
expect_err_has "  unmet: The data process is idempotent"
expect_err_has "  unmet: approved by the data-engineer since the stage was entered"

begin "data preparation: staff, tick, approve, advance"
run role assign "$P" data-engineer dee
expect_rc 0
tick_all
run --actor "Ana Lima" gate approve "$P"
expect_rc 4
expect_err_has "only a person assigned as data-engineer may"
run --actor dee gate approve "$P"
expect_rc 0
expect_out "Approved the gate of data-preparation on '$P' as data-engineer"
expect_gate_passes
export AIPROJ_NOW=2026-01-07T10:00:00.002Z
run stage advance "$P"
expect_rc 0
expect_out "$P: data-preparation -> prototyping-testing"
expect_err ""

begin "prototyping & testing: staff, tick, approve, advance"
run role assign "$P" data-scientist sci
expect_rc 0
tick_all
run --actor dee gate approve "$P"
expect_rc 4
run --actor sci gate approve "$P"
expect_rc 0
expect_out "Approved the gate of prototyping-testing on '$P' as data-scientist"
expect_gate_passes
export AIPROJ_NOW=2026-01-08T10:00:00.003Z
run --actor sci stage advance "$P"
expect_rc 0
expect_out "$P: prototyping-testing -> productization"

begin "productization: the devops gap blocks, then staff, tick, approve, sign off, advance"
tick_all
run --actor dee gate approve "$P"
expect_rc 0
# "AI engineers ... decide on deployment readiness and monitoring."
run --actor bo gate approve "$P" --as ai-engineer
expect_rc 0
expect_out "Signed off the gate of productization on '$P' as ai-engineer"
run stage advance "$P"
expect_rc 4
expect_err_has "  unmet: devops (responsible) has someone assigned"
[ "$(printf '%s\n' "$ERR" | grep -c '^  unmet: ')" = 1 ] || _fail "expected one unmet line"
run role assign "$P" devops ops
expect_rc 0
expect_gate_passes
export AIPROJ_NOW=2026-01-09T10:00:00.004Z
run stage advance "$P"
expect_rc 0
expect_out "$P: productization -> deployment"

begin "deployment: tick, approve; advancing from the last stage is refused"
tick_all
run --actor ops gate approve "$P"
expect_rc 0
expect_out "Approved the gate of deployment on '$P' as devops"
expect_gate_passes
snap
run stage advance "$P"
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot advance '$P': 'deployment' is the last stage"
expect_unchanged
run stage check "$P" --is deployment --at-least productization
expect_rc 0

begin "a KPI reading that meets its target: stage check --kpis holds"
export AIPROJ_NOW=2026-01-10T10:00:00.005Z
run kpi record "$P" auc 0.85
expect_rc 0
expect_out "KPI 'auc' on '$P': 0.85 (meets target >= 0.8)"
expect_err ""
run stage check "$P" --kpis
expect_rc 0
expect_out_has "all 1 conditions hold"
expect_err ""

begin "a KPI reading that misses its target: stage check --kpis exits 1"
export AIPROJ_NOW=2026-01-11T10:00:00.006Z
run kpi record "$P" auc 0.7
expect_rc 0
expect_out "KPI 'auc' on '$P': 0.7 (misses target >= 0.8)"
run stage check "$P" --kpis
expect_rc 1
expect_out_has "1 of 1 conditions do not hold"
expect_out_has "auc latest 0.7 misses >= 0.8"
expect_err ""
run --format json kpi list "$P"
jq_out '.kpis[0].latest' 0.7
jq_out '.kpis[0].meets_target' false

begin "back to prototyping & testing by prefix, with a reason"
export AIPROJ_NOW=2026-01-12T10:00:00.007Z
run --actor sci stage back "$P" --to proto --reason "auc drifted below 0.8"
expect_rc 0
expect_out "$P: deployment -> prototyping-testing (back; gates of 3 stages reopened)"
expect_err ""
run --format json stage show "$P"
jq_out '.stage' prototyping-testing
jq_out '.entered_at' 2026-01-12T10:00:00.007Z
jq_out '.gate.passed' false

begin "the criteria of the target stage and every later one are reopened"
for st in prototyping-testing productization deployment; do
	run --format json gate show "$P" --stage "$st"
	expect_rc 0
	jq_out '.stage' "$st"
	jq_out '[.criteria[] | select(.kind == "manual")] | length > 0' true
	jq_out '[.criteria[] | select(.kind == "manual" and .done)] | length' 0
	jq_out '.criteria[] | select(.kind == "approval") | .done' false
	jq_out '.passed' false
done
run gate show "$P" --stage productization
expect_rc 0
expect_out_has "[ ]"
expect_out_lacks "[x] 1"
# earlier stages keep their ticks
run --format json gate show "$P" --stage data-preparation
jq_out '[.criteria[] | select(.kind == "manual" and (.done | not))] | length' 0

begin "the stages before the back-jump are not reopened, approvals included"
for st in feasibility data-preparation; do
	run --format json gate show "$P" --stage "$st"
	expect_rc 0
	jq_out '[.criteria[] | select(.done | not) | .id] | join(",")' ""
done

begin "the old approval of prototyping & testing no longer counts"
tick_all
run stage advance "$P"
expect_rc 4
[ "$(printf '%s\n' "$ERR" | grep -c '^  unmet: ')" = 1 ] || _fail "expected one unmet line"
expect_err_has "  unmet: approved by the data-scientist since the stage was entered"
run --actor sci gate approve "$P"
expect_rc 0
expect_out "Approved the gate of prototyping-testing on '$P' as data-scientist"
export AIPROJ_NOW=2026-01-13T10:00:00.008Z
run stage advance "$P" --expect prototyping-testing
expect_rc 0
expect_out "$P: prototyping-testing -> productization"

begin "at productization again the earlier approval does not count either"
run --format json gate show "$P"
jq_out '.stage' productization
jq_out '.criteria[] | select(.kind == "approval") | .done' false
jq_out '[.criteria[] | select(.kind == "manual" and .done)] | length' 0
run stage check "$P" --gate
expect_rc 1

begin "stage history lists every transition in order (JSON)"
run --format json stage history "$P"
expect_rc 0
expect_err ""
jq_out '.project' "$P"
jq_out '.transitions | length' 6
jq_out '[.transitions[].kind] | join(",")' advance,advance,advance,advance,back,advance
jq_out '[.transitions[] | "\(.from)>\(.to)"] | join(" ")' \
	"feasibility>data-preparation data-preparation>prototyping-testing prototyping-testing>productization productization>deployment deployment>prototyping-testing prototyping-testing>productization"
jq_out '[.transitions[].actor] | join(",")' "Ana Lima,tester,sci,tester,sci,tester"
jq_out '.transitions[0].reason' "kick-off done"
jq_out '.transitions[4].reason' "auc drifted below 0.8"
jq_out '[.transitions[].at] | join(",")' \
	"2026-01-06T10:00:00.001Z,2026-01-07T10:00:00.002Z,2026-01-08T10:00:00.003Z,2026-01-09T10:00:00.004Z,2026-01-12T10:00:00.007Z,2026-01-13T10:00:00.008Z"

begin "stage history lists every transition in order (text)"
run --wide stage history "$P"
expect_rc 0
expect_err ""
# six moves, then the stage it is in: the days of each visit, held apart
[ "$(printf '%s\n' "$OUT" | wc -l)" = 8 ] || _fail "expected a header and 7 lines"
lines=$(printf '%s\n' "$OUT" | sed 1d | awk '{print $1, $2, $3, $4, $5, $6, $7}')
want="2026-01-06T10:00:00.001Z feasibility -> data-preparation 1.0 0.0 advance
2026-01-07T10:00:00.002Z data-preparation -> prototyping-testing 1.0 0.0 advance
2026-01-08T10:00:00.003Z prototyping-testing -> productization 1.0 0.0 advance
2026-01-09T10:00:00.004Z productization -> deployment 1.0 0.0 advance
2026-01-12T10:00:00.007Z deployment -> prototyping-testing 3.0 0.0 back
2026-01-13T10:00:00.008Z prototyping-testing -> productization 1.0 0.0 advance
2026-01-13T10:00:00.008Z in productization 0.0 0.0 now -"
[ "$lines" = "$want" ] || _fail "history lines differ" "got: $lines"
expect_out_has "auc drifted below 0.8"
expect_out_has "Ana Lima"

finish
