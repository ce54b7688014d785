# Roles and components: role list, assign/unassign/show, component
# add/list/remove, and their errors (aiproj(1): Arguments, role, EXIT STATUS).
. "$(dirname "$0")/lib.sh"

export AIPROJ_NOW=2026-01-02T03:04:05.678Z
ZOE='Zoë "Z" Ng, PhD'

# refused CODE ARGS... : exit CODE, one error line, store byte-identical
refused() {
	_code=$1
	shift
	snap
	run "$@"
	expect_rc "$_code"
	expect_one_line_error
	expect_unchanged
}

# the RACI letters of the default lifecycle, role by role, stages 1..5
DEFAULT_RACI="sponsor:AIIII data-analyst:CRICI data-engineer:IARAI data-scientist:IIAII ai-engineer:RIRRI devops:IIIRA"

run project create churn
run project create fraud
run project create old
run role assign old sponsor 'Old Timer'
run project close old --reason 'no longer needed'

# ---- role list ----

begin "role list (text) shows every role with the RACI letters of the default lifecycle"
run role list
expect_rc 0
expect_err ""
got=$(printf '%s\n' "$OUT" | awk '$2 ~ /^[ARCI]$/ { printf "%s%s:%s%s%s%s%s", sep, $1, $2, $3, $4, $5, $6; sep = " " }')
[ "$got" = "$DEFAULT_RACI" ] || _fail "RACI matrix differs" "got: $got"
expect_out_has "1=feasibility"
expect_out_has "5=deployment"

begin "role list (text) is a catalog with each role's description"
run role list
expect_rc 0
# a phrase from each description in schemas/lifecycle.yaml (seed)
expect_out_has "Asks for the product or pushes it into the portfolio"
expect_out_has "Includes data architects and modelers"
expect_out_has "robust distributed"
expect_out_has "Experts in statistical, machine and deep learning"
expect_out_has "Solves complex machine learning problems"
expect_out_has "Puts everything in production"

begin "role list --format json: slugs, names, descriptions, RACI per stage"
run role list --format json
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
jq_out '[.roles[] | .slug + ":" + ([.raci[]] | join(""))] | join(" ")' "$DEFAULT_RACI"
jq_out '.roles[0].raci | keys_unsorted | join(",")' \
	"feasibility,data-preparation,prototyping-testing,productization,deployment"
jq_out '.roles[] | select(.slug == "ai-engineer") | .name' "AI engineer"
jq_out '.roles[] | select(.slug == "devops") | .description | startswith("Puts everything in production")' true
jq_out '[.roles[] | select((.description | length) < 40)] | length' 0

# ---- assign / unassign / show ----

begin "role assign prints what it did"
run role assign churn sponsor 'Ana Lima'
expect_rc 0
expect_out "Assigned 'Ana Lima' as sponsor on 'churn'"
expect_err ""

begin "role assign --format json"
run --format json role assign churn data-scientist 'Ana Lima'
expect_rc 0
jq_out '[.project, .role, .person, .assigned] | map(tostring) | join("|")' \
	"churn|data-scientist|Ana Lima|true"

begin "a person may hold several roles on one project"
run role show churn --format json
expect_rc 0
jq_out '[.assignments[] | select(.person == "Ana Lima") | .role] | sort | join(",")' \
	"data-scientist,sponsor"
jq_out '.assignments[0].assigned_at' "2026-01-02T03:04:05.678Z"

begin "a role may have several people (UTF-8, comma and quotes in a name)"
run role assign churn ai-engineer 'Bo Chen'
expect_rc 0
run role assign churn ai-engineer "$ZOE"
expect_rc 0
expect_out "Assigned '$ZOE' as ai-engineer on 'churn'"
run role show churn --format json
jq_out '[.assignments[] | select(.role == "ai-engineer") | .person] | sort | join("/")' \
	"Bo Chen/$ZOE"
run role show churn --format yaml
expect_rc 0
got=$(printf '%s\n' "$OUT" | /usr/bin/python3 -c 'import sys, yaml
d = yaml.safe_load(sys.stdin)
print(sorted(a["person"] for a in d["assignments"] if a["role"] == "ai-engineer")[1])' 2>&1)
[ "$got" = "$ZOE" ] || _fail "YAML role show: $got"

begin "a person may work on several projects"
run role assign fraud ai-engineer "$ZOE"
expect_rc 0
run role assign fraud devops 'Ana Lima'
expect_rc 0
run role show fraud --format json
jq_out '[.assignments[] | .role + "=" + .person] | sort | join(";")' \
	"ai-engineer=$ZOE;devops=Ana Lima"
run role show churn --format json
jq_out '.assignments | length' 4

begin "role show (text) lists each assignment"
run role show churn
expect_rc 0
expect_out_has "ROLE"
expect_out_has "Bo Chen"
expect_out_has "$ZOE"
expect_out_has "data-scientist"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 5 ] || _fail "expected a header and 4 rows"

begin "role unassign takes one role from one person, nothing else"
run role unassign churn ai-engineer 'Bo Chen'
expect_rc 0
expect_out "Unassigned 'Bo Chen' from ai-engineer on 'churn'"
expect_err ""
run role show churn --format json
jq_out '[.assignments[] | .role + "=" + .person] | sort | join(";")' \
	"ai-engineer=$ZOE;data-scientist=Ana Lima;sponsor=Ana Lima"
run role show fraud --format json
jq_out '.assignments | length' 2

begin "role show on a project with nobody assigned"
run project create blank
run role show blank
expect_rc 0
expect_out "Nobody is assigned on 'blank'"
run role show blank --format json
jq_out '.assignments | length' 0

# ---- role errors ----

begin "unknown role on assign: exit 3 with a suggestion, store unchanged"
refused 3 role assign churn sponsr 'Ana Lima'
expect_err "aiproj: error: unknown role 'sponsr'; did you mean 'sponsor'?"

begin "unknown role with no close match: exit 3 listing the roles"
refused 3 role assign churn boss 'Ana Lima'
expect_err "aiproj: error: unknown role 'boss' (one of: sponsor, data-analyst, data-engineer, data-scientist, ai-engineer, devops)"

begin "unknown role on unassign: exit 3"
refused 3 role unassign churn sponsr 'Ana Lima'
expect_err_has "unknown role 'sponsr'"

begin "unknown person on unassign: exit 3, store unchanged"
refused 3 role unassign churn sponsor 'Nobody Here'
expect_err "aiproj: error: 'Nobody Here' is not assigned as sponsor on project 'churn'"

begin "unassign a person from a role they do not hold: exit 3"
refused 3 role unassign churn devops 'Ana Lima'
expect_err "aiproj: error: 'Ana Lima' is not assigned as devops on project 'churn'"

begin "duplicate assignment: exit 5, store unchanged"
refused 5 role assign churn sponsor 'Ana Lima'
expect_err "aiproj: error: 'Ana Lima' is already assigned as sponsor on project 'churn'"

begin "duplicate assignment of the UTF-8 name: exit 5"
refused 5 role assign churn ai-engineer "$ZOE"
expect_err "aiproj: error: '$ZOE' is already assigned as ai-engineer on project 'churn'"

begin "unknown project on assign, unassign and show: exit 3"
refused 3 role assign nope sponsor 'Ana Lima'
expect_err "aiproj: error: no project 'nope'"
refused 3 role unassign nope sponsor 'Ana Lima'
refused 3 role show nope

begin "empty person name: exit 2, store unchanged"
refused 2 role assign churn devops ''
expect_err "aiproj: error: person name is empty"

begin "person name with a tab: exit 2"
refused 2 role assign churn devops "$(printf 'Ana\tLima')"
expect_err_has "control character"

begin "person name with a newline: exit 2"
refused 2 role assign churn devops "Ana
Lima"

begin "person name with ESC: exit 2"
refused 2 role assign churn devops "$(printf 'Ana\033[31mLima')"

begin "person name with DEL: exit 2"
refused 2 role assign churn devops "$(printf 'Ana\177Lima')"

begin "person name with a C1 control character (U+009B CSI): exit 2"
refused 2 role assign churn devops "$(printf 'Ana\302\233Lima')"

begin "person name that is not UTF-8: exit 2"
refused 2 role assign churn devops "$(printf 'Ana\377Lima')"

begin "person name of 129 bytes: exit 2"
refused 2 role assign churn devops "$(printf '%0129d' 0 | tr 0 x)"
expect_err_has "129"

begin "person name of 129 bytes in 2-byte characters: exit 2"
refused 2 role assign churn devops "$(printf '%064d' 0 | sed 's/0/é/g')x"

begin "person name of 128 bytes (64 two-byte characters) is accepted"
name128=$(printf '%064d' 0 | sed 's/0/é/g')
run role assign churn devops "$name128"
expect_rc 0
run role show churn --format json
jq_out "[.assignments[] | select(.role == \"devops\" and .person == \"$name128\")] | length" 1
run role unassign churn devops "$name128"
expect_rc 0

begin "assign on a closed project is refused (exit 4), store unchanged"
refused 4 role assign old sponsor 'Ana Lima'
expect_err_has "closed"

# ---- components ----

begin "a new project starts with the seed's components data-in, model, data-out"
run component list fraud --format json
expect_rc 0
jq_out '[.components[] | .name + ":" + .owner] | sort | join(" ")' \
	"data-in:data-engineer data-out:ai-engineer model:data-scientist"
jq_out '[.components[] | select((.description | length) == 0)] | length' 0
run component list fraud
expect_rc 0
expect_out_has "data-in"
expect_out_has "model"
expect_out_has "data-out"

begin "component add, owned by a role, with a description"
run component add churn feature-store --owner data-engineer --description 'Features, "fresh" daily'
expect_rc 0
expect_out "Added component 'feature-store' to 'churn', owned by data-engineer"
run component list churn --format json
jq_out '.components[] | select(.name == "feature-store") | .owner + "|" + .description' \
	'data-engineer|Features, "fresh" daily'
jq_out '.components | length' 4

begin "component add --format json"
run --format json component add churn monitor --owner devops
expect_rc 0
jq_out '[.project, .component, .owner] | join("|")' "churn|monitor|devops"

begin "component remove"
run component remove churn monitor
expect_rc 0
expect_out "Removed component 'monitor' from 'churn'"
run component remove churn model
expect_rc 0
run component list churn --format json
jq_out '[.components[] | .name] | sort | join(",")' "data-in,data-out,feature-store"
run component list fraud --format json
jq_out '.components | length' 3

begin "component list on a project with no components"
run component remove fraud data-in
run component remove fraud data-out
run component remove fraud model
run component list fraud
expect_rc 0
expect_out "No components on 'fraud'"

begin "duplicate component: exit 5, store unchanged"
refused 5 component add churn data-in --owner data-engineer
expect_err "aiproj: error: component 'data-in' already exists on project 'churn'"

begin "remove an unknown component: exit 3, store unchanged"
refused 3 component remove churn nosuch
expect_err "aiproj: error: no component 'nosuch' on project 'churn'"

begin "unknown owner role: exit 3, store unchanged"
refused 3 component add churn dashboard --owner boss
expect_err "aiproj: error: unknown role 'boss' (one of: sponsor, data-analyst, data-engineer, data-scientist, ai-engineer, devops)"

begin "bad component names: exit 2, store unchanged"
refused 2 component add churn 'bad name' --owner devops
expect_err_has "'bad name'"
refused 2 component add churn _x --owner devops
refused 2 component add churn "$(printf '%065d' 0 | tr 0 a)" --owner devops
refused 2 component remove churn 'bad/name'

begin "component add without --owner: exit 2"
refused 2 component add churn dashboard

begin "component on an unknown project: exit 3"
refused 3 component add nope dashboard --owner devops
refused 3 component list nope
refused 3 component remove nope data-in

# ---- reports: unknown project, --all ----

begin "report roles on an unknown project: exit 3, store unchanged"
refused 3 report roles nope
expect_err "aiproj: error: no project 'nope'"
refused 3 report roles churn nope
expect_out ""

begin "report roles/status/people leave out closed projects"
run report roles --format json
expect_rc 0
jq_out '[.projects[].project] | join(",")' "blank,churn,fraud"
run report status --format json
jq_out '[.projects[].project] | join(",")' "blank,churn,fraud"
run report people --format json
expect_rc 0
expect_out_lacks "Old Timer"

begin "report roles/status/people --all include closed projects"
run report roles --all --format json
expect_rc 0
jq_out '[.projects[].project] | join(",")' "blank,churn,fraud,old"
jq_out '.projects[] | select(.project == "old") | .status' closed
run report status --all --format json
expect_rc 0
jq_out '[.projects[].project] | join(",")' "blank,churn,fraud,old"
run report status --all
expect_rc 0
expect_out_has "old"
expect_out_has "closed"
run report people --all --format json
expect_rc 0
jq_out '.people[] | select(.person == "Old Timer") | .assignments[0].project' old

begin "report roles names a closed project explicitly"
run report roles old --format json
expect_rc 0
jq_out '[.projects[].project] | join(",")' "old"

finish
