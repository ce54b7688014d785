# Parallel stages and sign-offs (docs/yaml.md: starts_after, signoffs):
# stage start opens a later stage early once the stage it starts after is
# passed; the project stays at its earliest open stage; a back-jump closes
# what was started; a gate that asks sign-offs holds only with each of them,
# given by someone who still holds the role.  JSON of each step; a refused
# command leaves the store as it was.
. "$(dirname "$0")/lib.sh"

# ---- a lifecycle where one started stage is the start of another ----
cat >"$T_DIR/chain.yaml" <<'EOF'
aiproj-lifecycle: 1
roles:
  - slug: lead
    name: Lead
stages:
  - slug: a
    name: Stage A
    accountable: lead
  - slug: b
    name: Stage B
    accountable: lead
  - slug: c
    name: Stage C
    accountable: lead
    starts_after: a
  - slug: d
    name: Stage D
    accountable: lead
    starts_after: c
EOF

begin "lifecycle: starts_after and signoffs in stage list"
run init --lifecycle "$T_DIR/chain.yaml"
expect_rc 0
run --format json stage list
expect_rc 0
jq_out '[.stages[] | .starts_after // "-"] | join(",")' "-,-,a,c"
jq_out '[.stages[].signoffs | length] | add' 0

begin "a stage cannot be passed while an earlier stage is open"
export AIPROJ_NOW=2026-01-01T00:00:00.000Z
run project create w
run role assign w lead lee
run stage advance w --force --reason skip
expect_rc 0
run --format json stage start w c
expect_rc 0
jq_out '.kind' start
snap
run stage start w d
expect_rc 4
expect_one_line_error
expect_err "aiproj: error: cannot start 'd' on 'w' yet: it starts after 'c', which cannot be passed while 'b', an earlier stage, is open"
expect_unchanged

begin "a bad starts_after: not an earlier stage"
sed 's/starts_after: a/starts_after: d/' "$T_DIR/chain.yaml" >"$T_DIR/bad.yaml"
run --db "$T_DIR/bad.db" init --lifecycle "$T_DIR/bad.yaml"
expect_rc 6
expect_err_has "starts_after names no earlier stage 'd'"

# ---- the default lifecycle ----
D=$(new_store dflt)
export AIPROJ_DB="$D"
export AIPROJ_NOW=2026-02-01T08:00:00.000Z
run project create p
for rp in sponsor:sue data-engineer:dave data-analyst:ann data-scientist:sam \
	ai-engineer:eve devops:dan; do
	run role assign p "${rp%%:*}" "${rp#*:}"
	expect_rc 0
done

begin "stage start: refused before the stage it starts after is passed"
snap
run stage start p prototyping-testing
expect_rc 4
expect_one_line_error
expect_err "aiproj: error: cannot start 'prototyping-testing' on 'p' yet: it starts after 'feasibility', whose gate has not been passed (the project is at 'feasibility')"
expect_unchanged
run stage start p data-preparation
expect_rc 4
expect_err "aiproj: error: cannot start 'data-preparation' on 'p' early: the lifecycle gives it no starts_after, so only an advance enters it"
expect_unchanged

begin "stage start: once feasibility is passed, prototyping starts early"
run stage advance p --force --reason 'goals are set'
expect_rc 0
export AIPROJ_NOW=2026-02-02T08:00:00.000Z
run --format json stage start p proto --reason 'feed is being built' --expect data-preparation
expect_rc 0
expect_err ""
jq_out '[.project, .from, .to, .kind, .actor, .reason, .at] | join("|")' \
	"p|data-preparation|prototyping-testing|start|tester|feed is being built|2026-02-02T08:00:00.000Z"
run stage show p
expect_out_has "[>] data-preparation     since 2026-02-01T08:00:00.000Z"
expect_out_has "[>] prototyping-testing  started early 2026-02-02T08:00:00.000Z"
expect_out_has "[ ] productization"

begin "stage show (JSON): the earliest open stage is the project's; open lists both"
run --format json stage show p
expect_rc 0
jq_out '.stage' data-preparation
jq_out '[.open[] | "\(.stage)@\(.since)@\(.early)"] | join(" ")' \
	"data-preparation@2026-02-01T08:00:00.000Z@false prototyping-testing@2026-02-02T08:00:00.000Z@true"

begin "stage start: twice, or with a wrong --expect, is refused"
snap
run stage start p prototyping-testing
expect_rc 4
expect_err "aiproj: error: cannot start 'prototyping-testing' on 'p': it was started already"
expect_unchanged
run stage start p data-preparation
expect_rc 4
expect_err "aiproj: error: cannot start 'data-preparation' on 'p': the project has reached it (it is at 'data-preparation')"
run stage start p productization --expect feasibility
expect_rc 5
expect_unchanged

begin "history and log: a start is a transition of kind start"
run --format json stage history p
jq_out '[.transitions[].kind] | join(",")' "forced,start"
run --format json log p
expect_rc 0
jq_out '[.. | objects | select(.event? == "start") | .actor] | join(",")' tester

begin "timeline and flow: a start is no move, the project stays in its stage"
run --format json report timeline p
expect_rc 0
jq_out '[.visits[] | "\(.stage):\(.entered_by)"] | join(",")' \
	"feasibility:created,data-preparation:forced"
run --format json report flow
expect_rc 0
jq_out '[.stages[] | select(.stage == "prototyping-testing") | .entries] | add' 0
# stage history: the start ends no visit (no days of its own)
run --format json stage history p
jq_out '[.transitions[] | "\(.kind):\(.days)"] | join(",")' "forced:0,start:null"
run stage history p
expect_out_has "start "
printf '%s\n' "$OUT" | grep -q -- '-    -    start' || _fail "the start row has days" "$OUT"
# report lifecycle: one move; the start counted apart, no visit
run --format json report lifecycle p
jq_out '"\(.moves) \(.starts) \(.path | join(">"))"' "1 1 feasibility>data-preparation"
jq_out '[.nodes[] | select(.stage == "prototyping-testing") | "\(.visits)/\(.started)"] | join(",")' "0/1"
run report lifecycle p
expect_out_has "1 move: 1 forward (1 forced), 0 back; 1 stage started early (no move)"

begin "criteria of both open stages can be ticked"
run --format json gate done p 5
expect_rc 0
jq_out '.stage' data-preparation
run --format json gate done p 8
expect_rc 0
jq_out '.stage' prototyping-testing
run --format json gate show p --stage prototyping-testing
jq_out '[.criteria[] | select(.id == "8") | .done] | join(",")' true

begin "stage check --started"
run --format json stage check p --started prototyping-testing
expect_rc 0
jq_out '.conditions[0] | [.name, .stage, .holds] | join(",")' "started,prototyping-testing,true"
run --format json stage check p --started data-preparation
expect_rc 0
run --format json stage check p --started productization
expect_rc 1
jq_out '.conditions[0].detail' "at data-preparation (2), not started productization (4)"

begin "stage back: closes the started stage and reopens its gate"
run --format json stage back p --to feasibility --reason 'costs were wrong'
expect_rc 0
jq_out '.closed | join(",")' prototyping-testing
jq_out '.reopened_stages' 5
run --format json stage show p
jq_out '[.open[].stage] | join(",")' feasibility
run --format json gate show p --stage prototyping-testing
jq_out '[.criteria[] | select(.id == "8") | .done] | join(",")' false
run stage check p --started prototyping-testing
expect_rc 1

begin "stage advance into a stage already started keeps its ticks"
run stage advance p --force --reason again
run stage start p prototyping-testing
expect_rc 0
run gate done p 9
run --format json stage advance p --force --reason 'feed done'
expect_rc 0
jq_out '.to' prototyping-testing
run --format json stage show p
jq_out '[.open[].stage] | join(",")' prototyping-testing
jq_out '[.gate.criteria[] | select(.id == "9") | .done] | join(",")' true

# ---- sign-offs ----
begin "productization asks an ai-engineer sign-off beside the approval"
run stage advance p --force --reason 'prototype accepted'
for id in 12 13 14 15; do run gate done p $id; done
run --actor dave gate approve p
expect_rc 0
run --format json gate show p
jq_out '.passed' false
jq_out '[.criteria[] | select(.done | not) | "\(.id) \(.kind)"] | join(",")' "signoff:ai-engineer signoff"
run --format json report status
jq_out '.projects[] | select(.project == "p") | .gate | "\(.met)/\(.total) \(.passed)"' "8/9 false"
snap
run stage advance p
expect_rc 4
expect_err_has "signed off by the ai-engineer since the stage was entered"
expect_unchanged

begin "gate approve --as: only a holder of a role the gate asks may sign off"
run --actor dan gate approve p --as ai-engineer
expect_rc 4
expect_one_line_error
expect_err "aiproj: error: 'dan' may not sign off the gate of 'productization' on 'p' as ai-engineer: only a person assigned as ai-engineer may"
expect_unchanged
run --actor dan gate approve p --as devops
expect_rc 4
expect_err "aiproj: error: the gate of 'productization' on 'p' asks no sign-off of devops (sign-offs it asks: ai-engineer)"
expect_unchanged
run --actor eve gate approve p --as nobody
expect_rc 3
expect_unchanged

begin "gate approve --as ai-engineer: the gate holds; gate show lists who and when"
export AIPROJ_NOW=2026-02-03T08:00:00.000Z
run --actor eve --format json gate approve p --as ai-engineer --note 'ready to deploy'
expect_rc 0
jq_out '[.signed_off_by, .role, .changed, .at] | join(",")' "eve,ai-engineer,true,2026-02-03T08:00:00.000Z"
run --actor eve --format json gate approve p --as ai-engineer
jq_out '.changed' false
run --format json report status
jq_out '.projects[] | select(.project == "p") | .gate | "\(.met)/\(.total) \(.passed)"' "9/9 true"
run --format json gate show p
jq_out '.passed' true
jq_out '[.approvals[] | "\(.kind):\(.role):\(.person):\(.counts)"] | join(" ")' \
	"approval:data-engineer:dave:true signoff:ai-engineer:eve:true"
jq_out '.approvals[1] | [.at, .note] | join(",")' "2026-02-03T08:00:00.000Z,ready to deploy"
run gate show p
expect_out_has "Approvals and sign-offs:"
expect_out_has "signoff  ai-engineer by eve at 2026-02-03T08:00:00.000Z"
run --format json log p
jq_out '[.. | objects | select(.event? == "approve") | .actor] | join(",")' "dave,eve"

begin "export -> import into an empty store -> export: the same bytes"
run export
expect_rc 0
cp "$T_DIR/out" "$T_DIR/e1.yaml"
grep -q "kind: start" "$T_DIR/e1.yaml" || _fail "no start in the export"
grep -q "role: ai-engineer" "$T_DIR/e1.yaml" || _fail "no sign-off in the export"
S2=$(new_store s2)
run --db "$S2" import "$T_DIR/e1.yaml"
expect_rc 0
run --db "$S2" export
cmp -s "$T_DIR/e1.yaml" "$T_DIR/out" || _fail "exports differ" "$(diff "$T_DIR/e1.yaml" "$T_DIR/out" | head)"
run --db "$S2" --format json gate show p
jq_out '.passed' true
run --db "$S2" --format json stage history p
jq_out '[.transitions[].kind] | join(",")' "forced,start,back,forced,start,forced,forced"

begin "import: a start the lifecycle does not allow is refused"
awk '/^    to: prototyping-testing$/ && !done { getline k
	if (k == "    kind: start") { print "    to: deployment"; done = 1 } else print
	print k; next } { print }' "$T_DIR/e1.yaml" >"$T_DIR/bad.yaml"
run --db "$S2" import "$T_DIR/bad.yaml" --dry-run --replace
expect_rc 6
expect_err_has "a move of kind 'start' cannot go from 'data-preparation' to 'deployment'"

begin "a sign-off is withdrawn when its signer no longer holds the role"
run role unassign p ai-engineer eve
expect_rc 0
run --format json gate show p
jq_out '.passed' false
jq_out '[.approvals[] | "\(.kind):\(.counts)"] | join(" ")' "approval:true signoff:false"
run stage check p --gate
expect_rc 1
# (the role is a gap now too)
run --format json report status
jq_out '.projects[] | select(.project == "p") | .gate | "\(.met)/\(.total) \(.passed)"' "7/9 false"

begin "a sign-off is no approval: the gate still asks the accountable role's"
run project create q
run role assign q sponsor sue
run role assign q ai-engineer eve
run stage advance q --force --reason a
run stage advance q --force --reason b
run stage advance q --force --reason c
run --actor eve gate approve q --as ai-engineer
expect_rc 0
run --format json gate show q
jq_out '[.criteria[] | select(.kind == "approval" or .kind == "signoff") | "\(.id)=\(.done)"] | join(" ")' \
	"approval=false signoff:ai-engineer=true"
run --format json report status
jq_out '[.projects[] | select(.project == "q") | .gate.passed] | join(",")' false

begin "policy roles: stage start as for advance; a sign-off needs its role"
run admin add root
run --actor root policy set roles
expect_rc 0
run role assign p ai-engineer ed
run --actor ed gate approve p --as ai-engineer
expect_rc 0
run --actor sue gate approve p --as ai-engineer
expect_rc 4
expect_err_has "policy 'roles': 'sue' may not sign off on 'p' at 'productization': that needs the sign-off role (ai-engineer)"

finish
