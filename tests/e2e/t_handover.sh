# Handovers and people (issue 16): component handover changes a
# component's owner role and keeps the handover in history (component
# list, log, events, JSON); components carry a version; role assign
# --title is kept and shown where people are listed; gate done takes
# several ids, all or none, and gate show shows the notes.  A refused
# command leaves the store as it was; export, import, export: same bytes.
. "$(dirname "$0")/lib.sh"


at 2026-03-01T09:00:00.000Z
run project create churn
run role assign churn sponsor 'Ana Lima' --title requester
run role assign churn data-scientist sam
run role assign churn data-engineer dave
run role assign churn data-analyst 'Bo Chen' --title 'data architect'

begin "component add --version: shown in component list (text and JSON)"
run component add churn scorer --owner data-scientist --version 1.2 \
	--description 'batch scoring job'
expect_rc 0
expect_out "Added component 'scorer' (version 1.2) to 'churn', owned by data-scientist"
run --format json component add churn notebook --owner data-scientist
expect_rc 0
jq_out '.version // "none"' none
run component list churn
expect_rc 0
expect_out "COMPONENT VERSION OWNER          DESCRIPTION
data-in           data-engineer  Data feeds into the product, fixed or rejected
                                 when undesirable
data-out          ai-engineer    Outputs, accepted only when acceptable under
                                 the circumstances
model             data-scientist The ML/DL model and its re-training
notebook          data-scientist 
scorer    1.2     data-scientist batch scoring job"
run --format json component list churn
jq_out '[.components[] | .version // "-"] | join(",")' "-,-,-,-,1.2"

begin "component handover: the owner changes, the handover is kept"
at 2026-03-02T10:00:00.000Z
run --actor sam component handover churn model --to data-engineer \
	--reason 'handed over to the data engineering team'
expect_rc 0
expect_out "Handed component 'model' on 'churn' over from data-scientist to data-engineer"
at 2026-03-03T10:00:00.000Z
run --format json --actor sam component handover churn scorer --to devops \
	--reason 'runs in production'
expect_rc 0
jq_out '[.component, .from, .to, .by, .at, .reason] | join("|")' \
	"scorer|data-scientist|devops|sam|2026-03-03T10:00:00.000Z|runs in production"
run component list churn
expect_rc 0
expect_out_has "model             data-engineer  The ML/DL model and its re-training"
expect_out_has "scorer    1.2     devops         batch scoring job"
expect_out_has "Handovers:
  model: data-scientist -> data-engineer by sam at 2026-03-02T10:00:00.000Z:
    handed over to the data engineering team
  scorer: data-scientist -> devops by sam at 2026-03-03T10:00:00.000Z: runs in
    production"
run --format json component list churn
jq_out '.components[] | select(.name == "model") | .handovers | map([.from, .to, .by, .at, .reason] | join("|")) | join(";")' \
	"data-scientist|data-engineer|sam|2026-03-02T10:00:00.000Z|handed over to the data engineering team"
jq_out '[.components[] | select(.handovers) | .name] | join(",")' "model,scorer"

begin "a second handover starts from the owner the first gave"
at 2026-03-04T10:00:00.000Z
run --actor dave component handover churn model --to ai-engineer --reason 'retraining'
expect_rc 0
expect_out "Handed component 'model' on 'churn' over from data-engineer to ai-engineer"
run --format json component list churn
jq_out '.components[] | select(.name == "model") | [.handovers[] | .from + ">" + .to] | join(",")' \
	"data-scientist>data-engineer,data-engineer>ai-engineer"

begin "the log and the events feed show the handover"
run log churn --since 2026-03-02
expect_rc 0
expect_out_has "handover"
expect_out_has "model to"
run --format json log churn --since 2026-03-02
jq_out '[.events[] | select(.event == "handover") | [.subject, .detail, .actor, .note] | join("|")] | join(";")' \
	"model|data-engineer|sam|handed over to the data engineering team;scorer|devops|sam|runs in production;model|ai-engineer|dave|retraining"
run --format json events
expect_rc 0
OUT=$(printf '%s' "$OUT" | jq -s -c .)
jq_out '[.[] | select(.event == "handover") | .subject + ">" + .detail] | join(",")' \
	"model>data-engineer,scorer>devops,model>ai-engineer"

begin "handover refused: no such component, the same owner, a closed project"
snap
run component handover churn nope --to devops --reason x
expect_rc 3
expect_one_line_error
expect_err "aiproj: error: no component 'nope' on project 'churn' (see 'aiproj component list churn')"
expect_unchanged
run component handover churn model --to ai-engineer --reason x
expect_rc 5
expect_err "aiproj: error: component 'model' on project 'churn' is already owned by ai-engineer"
expect_unchanged
run component handover churn model --to nobody --reason x
expect_rc 3
expect_unchanged
run component handover churn model --to devops
expect_rc 2
expect_unchanged

begin "policy roles: a holder of the owner role, the stage's A or an admin"
run policy set roles
expect_rc 0
run --actor 'Bo Chen' component handover churn model --to devops --reason x
expect_rc 4
expect_one_line_error
expect_err "aiproj: error: policy 'roles': 'Bo Chen' may not hand over a component on 'churn' at 'feasibility': that needs the accountable role (sponsor; or ai-engineer, the component's owner) or the admin right"
run --format json component list churn
jq_out '.components[] | select(.name == "model") | .owner + " " + (.handovers | length | tostring)' "ai-engineer 2"
run role assign churn ai-engineer eve
at 2026-03-05T10:00:00.000Z
run --actor eve component handover churn model --to devops --reason 'eve owns it'
expect_rc 0
run --actor 'Ana Lima' component handover churn model --to ai-engineer --reason 'the sponsor decides'
expect_rc 0
run --actor tester component handover churn model --to data-engineer --reason 'admin'
expect_rc 0

begin "policy roles: gate done with several ids is judged at each criterion's stage"
run --format json gate add churn --stage data-preparation 'Schema agreed'
expect_rc 0
prep=$(printf '%s' "$OUT" | jq -r .id)
run --format json gate show churn
feas=$(printf '%s' "$OUT" | jq -r '[.criteria[] | select(.kind == "manual") | .id][0]')
run --actor eve gate done churn "$feas" "$prep"
expect_rc 4
expect_one_line_error
expect_err "aiproj: error: policy 'roles': 'eve' may not gate done on 'churn' at 'data-preparation': that needs the accountable or a responsible role (data-analyst, data-engineer)"
run --actor dave gate done churn "$prep" "$feas"
expect_rc 4
expect_err "aiproj: error: policy 'roles': 'dave' may not gate done on 'churn' at 'feasibility': that needs the accountable or a responsible role (sponsor, ai-engineer)"
run --format json gate show churn --stage data-preparation
jq_out "[.criteria[] | select(.kind == \"manual\") | .done] | any | tostring" false
run --format json gate show churn
jq_out "[.criteria[] | select(.kind == \"manual\") | .done] | any | tostring" false
run --actor eve gate done churn "$feas"
expect_rc 0
run --actor eve gate reopen churn "$feas"
expect_rc 0
run policy set open
expect_rc 0

begin "titles: role show, project show, report roles, report people (text and JSON)"
run role show churn
expect_rc 0
expect_out_has "sponsor          Ana Lima (requester)"
expect_out_has "data-analyst     Bo Chen (data architect)"
run --format json role show churn
jq_out '[.assignments[] | .person + ":" + (.title // "-")] | join(",")' \
	"eve:-,Bo Chen:data architect,dave:-,sam:-,Ana Lima:requester"
run project show churn
expect_out_has "  sponsor          Ana Lima (requester)"
run --format json project show churn
jq_out '[.assignments[] | select(.title) | .title] | join(",")' "data architect,requester"
run report roles churn
expect_out_has "Titles:
  sponsor          Ana Lima: requester
  data-analyst     Bo Chen: data architect"
run --format json report roles churn
jq_out '[.projects[0].titles[] | .role + "/" + .person + "/" + .title] | join(",")' \
	"sponsor/Ana Lima/requester,data-analyst/Bo Chen/data architect"
run report roles churn --format markdown
expect_out_has "| sponsor | Ana Lima (requester) |"
expect_out_has "| data-analyst | Bo Chen (data architect) |"
run report people
expect_out_has "Ana Lima churn   sponsor (requester)"
run --format json report people
jq_out '[.people[] | .assignments[] | select(.title) | .title] | join(",")' "requester,data architect"
run --wide person show 'Ana Lima'
expect_out_has "churn   sponsor (requester)"
run --format json person show 'Ana Lima'
jq_out '.roles[0].title' requester
run --format json role assign churn devops dan --title 'on call'
jq_out '.title' "on call"

begin "gate done: several ids, all or none"
run --format json gate show churn
first=$(printf '%s' "$OUT" | jq -r '[.criteria[] | select(.kind == "manual") | .id][0]')
second=$(printf '%s' "$OUT" | jq -r '[.criteria[] | select(.kind == "manual") | .id][1]')
set -- "$first" "$second"
snap
run gate done churn "$1" "$2" 999 --note 'goals in words'
expect_rc 3
expect_one_line_error
expect_err "aiproj: error: no criterion 999 on project 'churn' (see 'aiproj gate show churn')"
expect_unchanged
run gate done churn "$1" x
expect_rc 2
expect_unchanged
at 2026-03-06T10:00:00.000Z
run gate done churn "$1" "$2" "$1" --note 'cut churn by 5% within a year'
expect_rc 0
expect_out "Criterion $1 of feasibility on 'churn' is now done
Criterion $2 of feasibility on 'churn' is now done"
run gate show churn
expect_out_has "ticked by tester on 2026-03-06 10:00
                        note: cut churn by 5% within a year"
run --format json gate show churn
jq_out "[.criteria[] | select(.id == \"$1\" or .id == \"$2\") | .note] | join(\",\")" \
	"cut churn by 5% within a year,cut churn by 5% within a year"
run --format json gate reopen churn "$1" "$2"
expect_rc 0
jq_out '[.criteria[] | .changed] | map(tostring) | join(",")' "true,true"
run --format json gate done churn "$1"
jq_out '[.id, .done, .changed] | map(tostring) | join(",")' "$1,true,true"

begin "export, import into an empty store, export again: the same bytes"
run export -o "$T_DIR/a.yaml"
expect_rc 0
grep -q 'title: requester' "$T_DIR/a.yaml" || _fail "no title in the export"
grep -q 'version: "1.2"' "$T_DIR/a.yaml" || _fail "no version in the export"
grep -q 'kind: handover' "$T_DIR/a.yaml" || _fail "no handover in the export"
E=$(new_store empty)
run --db "$E" import "$T_DIR/a.yaml"
expect_rc 0
run --db "$E" export -o "$T_DIR/b.yaml"
expect_rc 0
cmp -s "$T_DIR/a.yaml" "$T_DIR/b.yaml" || _fail "the second export differs" "$(diff "$T_DIR/a.yaml" "$T_DIR/b.yaml" | head)"
run --db "$E" --format json component list churn
jq_out '[.components[] | select(.handovers) | .name + ":" + (.handovers | length | tostring)] | join(",")' "model:5,scorer:1"

begin "an export without titles, versions or handovers imports as it was"
sed -e '/^ *title: /d' -e '/^ *version: "1.2"/d' "$T_DIR/a.yaml" >"$T_DIR/old.yaml"
O=$(new_store old)
run --db "$O" import "$T_DIR/old.yaml"
expect_rc 0
run --db "$O" --format json role show churn
jq_out '[.assignments[] | select(.title)] | length' 0

begin "role reassign: the title goes with the role"
run project create tt
run role assign tt sponsor 'Gil Moss' --title champion
expect_rc 0
run role reassign 'Gil Moss' 'Hal Ode' --project tt
expect_rc 0
run --format json role show tt
jq_out '[.assignments[] | .person + ":" + (.title // "-")] | join(",")' "Hal Ode:champion"

finish
