# Stages: the lifecycle table, stage show, stage names, and every way a move
# can be refused (exit code, one-line error, store untouched).
. "$(dirname "$0")/lib.sh"

# sorted comma list: "b,a" -> "a,b" ("-" stays "-")
sorted() { printf '%s\n' "$1" | tr ',' '\n' | sort | paste -sd, -; }

# the RACI table of the default lifecycle: number slug "name" A R C (R sorted)
DEFAULT_TABLE='1|feasibility|Feasibility|sponsor|ai-engineer|data-analyst
2|data-preparation|Data preparation|data-engineer|data-analyst|-
3|prototyping-testing|Prototyping & testing|data-scientist|ai-engineer,data-engineer|-
4|productization|Productization|data-engineer|ai-engineer,devops|data-analyst
5|deployment|Deployment|devops|-|-'

begin "stage list (text): five stages with the RACI of the seed"
run init
expect_rc 0
run stage list
expect_rc 0
expect_err ""
[ "$(printf '%s\n' "$OUT" | wc -l)" = 6 ] || _fail "expected a header and 5 rows"
got=$(printf '%s\n' "$OUT" | sed 1d | while read -r n slug a r c rest; do
	printf '%s|%s|%s|%s|%s\n' "$n" "$slug" "$a" "$(sorted "$r")" "$c"
done)
want=$(printf '%s\n' "$DEFAULT_TABLE" | awk -F'|' '{print $1"|"$2"|"$4"|"$5"|"$6}')
[ "$got" = "$want" ] || _fail "stage list rows differ" "got: $got"

begin "stage list (text): aligned columns"
run stage list
expect_rc 0
expect_aligned

begin "stage list (JSON): five stages with the RACI of the seed"
run --format json stage list
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
jq_out '.stages | length' 5
got=$(printf '%s' "$OUT" | jq -r '.stages[] | [(.number | tostring), .slug, .name,
	(.accountable | join(",")), (.responsible | sort | join(",")),
	(.consulted | join(","))] | map(if . == "" then "-" else . end) | join("|")')
[ "$got" = "$DEFAULT_TABLE" ] || _fail "stage list JSON differs" "got: $got"

begin "role list: every other role is informed"
run --format json role list
expect_rc 0
jq_out '[.roles[].slug] | join(",")' "sponsor,data-analyst,data-engineer,data-scientist,ai-engineer,devops"
jq_out '[.roles[] | .slug + ":" + ([.raci[]] | join(""))] | join(" ")' \
	"sponsor:AIIII data-analyst:CRICI data-engineer:IARAI data-scientist:IIAII ai-engineer:RIRRI devops:IIIRA"

export AIPROJ_NOW=2026-02-01T08:00:00.000Z
run project create x

begin "stage show (text): the stages and the gate checklist"
run stage show x
expect_rc 0
expect_err ""
expect_out_has "x  active  stage 1 of 5: Feasibility"
expect_out_has "[>] feasibility  since 2026-02-01T08:00:00.000Z"
expect_out_has "[ ] deployment"
expect_out_has "Gate of feasibility: 0 of 9 met"
expect_out_has "Goals set for re-training"
expect_out_has "What-if scenarios reviewed"
expect_out_has "sponsor (accountable) has someone assigned"
expect_out_has "approved by the sponsor since the stage was entered"
[ "$(printf '%s\n' "$OUT" | grep -c '^  \[ \] ')" -ge 9 ] || _fail "expected 9 open checklist lines"

begin "stage show (JSON): the documented keys"
run --format json stage show x
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
jq_out '.project' x
jq_out '.stage' feasibility
jq_out '.status' active
jq_out '.entered_at' 2026-02-01T08:00:00.000Z
jq_out '.gate.passed' false
jq_out '.gate.criteria | length' 9
jq_out '[.gate.criteria[] | (.id | type) + (.kind | type) + (.text | type) + (.done | type)] | unique | join(",")' \
	stringstringstringboolean
jq_out '[.gate.criteria[].kind] | unique | join(",")' approval,decision,kpi,manual,role
jq_out '[.gate.criteria[] | select(.kind == "manual") | .text] | join("|")' \
	"Goals set for re-training|Goals set for feedback|Goals set for monitoring and alerting|What-if scenarios reviewed"

begin "stage show of an unknown project: exit 3"
snap
run stage show nosuch
expect_rc 3
expect_out ""
expect_err "aiproj: error: no project 'nosuch'"
expect_unchanged

begin "a stage is named by slug, display name (any case), number or prefix"
for arg in data-preparation "Data preparation" "DATA PREPARATION" "data preparation" 2; do
	run --format json gate show x --stage "$arg"
	expect_rc 0
	jq_out '.stage' data-preparation
done
for arg in proto "Prototyping & testing" 3 prototyping-testing; do
	run --format json gate show x --stage "$arg"
	expect_rc 0
	jq_out '.stage' prototyping-testing
done
run --format json gate show x --stage f
expect_rc 0
jq_out '.stage' feasibility
run stage check x --is 1 --at-least Feasibility
expect_rc 0
run stage check x --is FEASIBILITY
expect_rc 0

begin "stage names work for back --to and --expect too"
run stage advance x --force --reason "skip ahead" --expect Feasibility
expect_rc 0
run stage advance x --force --reason "skip ahead" --expect 2
expect_rc 0
expect_out "x: data-preparation -> prototyping-testing (forced: skip ahead)"
run stage back x --to "Data Preparation" --reason "redo" --expect proto
expect_rc 0
expect_out "x: prototyping-testing -> data-preparation (back; gates of 4 stages reopened)"
run stage back x --to 1 --reason "redo again"
expect_rc 0
expect_out "x: data-preparation -> feasibility (back; gates of 5 stages reopened)"

begin "an unknown stage: exit 3, one line, nothing written"
snap
for cmd in "gate show x --stage nope" "stage back x --to nope --reason r" \
	"stage advance x --expect nope" "stage check x --at-least nope" \
	"stage check x --is nope" "gate add x --stage nope text"; do
	# shellcheck disable=SC2086
	run $cmd
	expect_rc 3
	expect_out ""
	expect_err "aiproj: error: unknown stage 'nope' (one of: feasibility, data-preparation, prototyping-testing, productization, deployment)"
done
for n in 0 6 99; do
	run gate show x --stage "$n"
	expect_rc 3
	expect_one_line_error
	expect_err_has "'$n'"
done
expect_unchanged

begin "an ambiguous stage prefix: exit 2, names the candidates"
snap
run gate show x --stage d
expect_rc 2
expect_out ""
expect_err "aiproj: error: ambiguous stage 'd': could be 'data-preparation', 'deployment'"
run stage advance x --force --reason r --expect p
expect_rc 2
expect_err "aiproj: error: ambiguous stage 'p': could be 'prototyping-testing', 'productization'"
run stage back x --to p --reason r
expect_rc 2
expect_one_line_error
expect_unchanged
run --format json stage show x
jq_out '.stage' feasibility

begin "back to the same stage: exit 4"
snap
run stage back x --to feasibility --reason r
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot move 'x' back to 'feasibility': it is not earlier than the current stage 'feasibility'"
expect_unchanged

begin "back to a later stage: exit 4"
run stage advance x --force --reason "skip"
expect_rc 0
snap
run stage back x --to deployment --reason r
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot move 'x' back to 'deployment': it is not earlier than the current stage 'data-preparation'"
run stage back x --to data-preparation --reason r
expect_rc 4
expect_one_line_error
expect_unchanged

begin "back without --reason (or an empty one): exit 2"
snap
run stage back x --to feasibility
expect_rc 2
expect_out ""
expect_err "aiproj: error: stage back needs --reason TEXT: say why the project goes back"
run stage back x --to feasibility --reason ""
expect_rc 2
expect_one_line_error
expect_unchanged

begin "back without --to: exit 2"
snap
run stage back x --reason r
expect_rc 2
expect_out ""
expect_err "aiproj: error: stage back needs --to STAGE: the earlier stage to jump to"
expect_unchanged

begin "--expect mismatch: exit 5 on advance and back"
snap
run stage advance x --expect feasibility --force --reason r
expect_rc 5
expect_out ""
expect_err "aiproj: error: project 'x' is at 'data-preparation', not at 'feasibility' as expected"
run stage back x --to 1 --reason r --expect productization
expect_rc 5
expect_err "aiproj: error: project 'x' is at 'data-preparation', not at 'productization' as expected"
expect_unchanged

begin "--force without --reason (or an empty one): exit 2"
snap
run stage advance x --force
expect_rc 2
expect_out ""
expect_err "aiproj: error: --force needs --reason TEXT: a forced move is recorded with its reason"
run stage advance x --force --reason ""
expect_rc 2
expect_one_line_error
expect_unchanged

begin "unknown project on advance/back/history: exit 3"
snap
run stage advance nosuch --force --reason r
expect_rc 3
expect_err "aiproj: error: no project 'nosuch'"
run stage back nosuch --to 1 --reason r
expect_rc 3
expect_one_line_error
run stage history nosuch
expect_rc 3
expect_one_line_error
expect_unchanged

begin "a forced advance is recorded as forced, with its reason"
export AIPROJ_NOW=2026-02-02T08:00:00.123Z
run --actor boss stage advance x --force --reason "deadline" --expect data-preparation
expect_rc 0
expect_out "x: data-preparation -> prototyping-testing (forced: deadline)"
expect_err ""
run --format json stage history x
expect_rc 0
jq_out '.transitions[-1] | [.from, .to, .kind, .actor, .reason, .at] | join("|")' \
	"data-preparation|prototyping-testing|forced|boss|deadline|2026-02-02T08:00:00.123Z"
jq_out '[.transitions[].kind] | join(",")' forced,forced,back,back,forced,forced
run --wide stage history x
expect_rc 0
expect_out_has "data-preparation -> prototyping-testing"
expect_out_has "forced"
expect_out_has "deadline"

begin "--format json of a move"
run --format json --actor boss stage advance x --force --reason "go on"
expect_rc 0
jq_out '[.project, .from, .to, .kind, .actor, .reason] | join("|")' \
	"x|prototyping-testing|productization|forced|boss|go on"

begin "advance from the last stage: exit 4, forced or not"
run stage advance x --force --reason "ship it"
expect_rc 0
expect_out "x: productization -> deployment (forced: ship it)"
snap
run stage advance x
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot advance 'x': 'deployment' is the last stage"
run stage advance x --force --reason "beyond"
expect_rc 4
expect_err "aiproj: error: cannot advance 'x': 'deployment' is the last stage"
expect_unchanged

begin "a project on hold does not move (advance, forced advance, back)"
run project create held
run project hold held --reason "waiting for data access"
expect_rc 0
snap
run stage advance held --force --reason r
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot advance 'held': project is on-hold; only active projects move"
run stage advance held
expect_rc 4
expect_one_line_error
run project resume held
run stage advance held --force --reason r
expect_rc 0
run project hold held --reason "again"
snap
run stage back held --to 1 --reason r
expect_rc 4
expect_err "aiproj: error: cannot move back 'held': project is on-hold; only active projects move"
expect_unchanged

begin "a closed project does not move"
run project create shut
run stage advance shut --force --reason r
run project close shut --reason "cancelled"
expect_rc 0
snap
run stage advance shut --force --reason r
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot advance 'shut': project is closed; only active projects move"
run stage back shut --to 1 --reason r
expect_rc 4
expect_err "aiproj: error: cannot move back 'shut': project is closed; only active projects move"
expect_unchanged

begin "a buy decision moves the project to on_buy (productization), skipping the stages between"
run project create vendor
run decide vendor buy --reason "vendor X fits"
expect_rc 0
expect_out "Decision for 'vendor': buy
vendor: feasibility -> productization (buy; skipped: data-preparation,
  prototyping-testing)"
expect_err ""
run --format json project show vendor
expect_rc 0
jq_out '.status' active
jq_out '.outcome' null
jq_out '.stage' productization
jq_out '.decision.kind' buy
run --format json stage history vendor
jq_out '[.transitions[] | .kind, .reason] | join(",")' 'buy,vendor X fits'
jq_out '.transitions[0].skipped | join(",")' 'data-preparation,prototyping-testing'

begin "advance --reason without --force records the reason"
run project create why
run role assign why sponsor sue
run role assign why ai-engineer ai
run decide why make --cost 1 --reason r
run kpi add why acc --target '>= 0.9'
for id in $("$AIPROJ" --format json gate show why | jq -r '.criteria[] | select(.kind == "manual") | .id'); do
	run gate done why "$id"
done
run --actor sue gate approve why
expect_rc 0
run stage advance why --reason "gate review on Monday"
expect_rc 0
expect_out "why: feasibility -> data-preparation"
run --format json stage history why
jq_out '.transitions[0] | [.kind, .reason] | join("|")' "advance|gate review on Monday"

begin "a missing --reason is a usage error (exit 2) whatever the project's state"
# usage is checked before the lifecycle: the fix for the user is the same
snap
run stage advance x --force # x is at the last stage
expect_rc 2
expect_one_line_error
expect_err_has "--reason"
run stage advance held --force # held is on hold
expect_rc 2
expect_one_line_error
expect_err_has "--reason"
run stage back held --to 1 # held is on hold
expect_rc 2
expect_one_line_error
expect_err_has "--reason"
run stage back x --to deployment # not earlier than deployment
expect_rc 2
expect_one_line_error
expect_err_has "--reason"
expect_unchanged

begin "history time stamps are UTC with milliseconds (real clock)"
unset AIPROJ_NOW
run project create clock
run stage advance clock --force --reason tick
expect_rc 0
run --format json stage history clock
jq_out '.transitions[0].at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")' true
run --format json stage show clock
jq_out '.entered_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")' true

begin "stage history (text): aligned columns, long names included"
run --actor "Maria-Fernanda Lopez-Garcia" stage advance clock --force --reason "long actor"
expect_rc 0
run stage back clock --to feasibility --reason "and back"
expect_rc 0
run --wide stage history clock
expect_rc 0
expect_out_has "Maria-Fernanda Lopez-Garcia"
expect_aligned

begin "--force on a gate that already holds is recorded as advance"
run project create forced-ok
run role assign forced-ok sponsor sue
run role assign forced-ok ai-engineer ai
run decide forced-ok make --cost 1 --reason r
run kpi add forced-ok acc --target '>= 0.9'
for id in $("$AIPROJ" --format json gate show forced-ok | jq -r '.criteria[] | select(.kind == "manual") | .id'); do
	run gate done forced-ok "$id"
done
run --actor sue gate approve forced-ok
run stage check forced-ok --gate
expect_rc 0
run stage advance forced-ok --force --reason "belt and braces"
expect_rc 0
expect_out "forced-ok: feasibility -> data-preparation"
run --format json stage history forced-ok
jq_out '.transitions[0] | [.kind, .reason] | join("|")' "advance|belt and braces"
# the next gate is unmet: the same --force is a forced move
run --format json stage advance forced-ok --force --reason "deadline"
expect_rc 0
jq_out '.kind' forced
run --format json stage history forced-ok
jq_out '[.transitions[].kind] | join(",")' "advance,forced"

finish
