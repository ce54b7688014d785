# What a hostile tester found in checks, names and hints: a lifecycle
# whose signoffs name the stage's accountable role is refused; component
# names are unique ignoring case and found in any case; the gate of a
# stage started early does not offer an approval gate approve cannot give;
# --format github annotates every failure; init counts one role as one;
# the timeline marks the current visit entered by a jump back critical.
. "$(dirname "$0")/lib.sh"
export AIPROJ_NOW=2026-05-04T05:06:07.089Z
ok init

begin "init --lifecycle: signoffs naming the accountable role are refused, the store unchanged"
cat >"$T_DIR/lc1.yaml" <<'YAML'
aiproj-lifecycle: 1
roles:
  - slug: boss
    name: Boss
stages:
  - slug: only
    name: Only
    accountable: boss
    signoffs: [boss]
YAML
S=$(new_store lc)
snap "$S"
run --db "$S" init --lifecycle "$T_DIR/lc1.yaml"
expect_rc 6
expect_out ""
expect_err "aiproj: error: $T_DIR/lc1.yaml:9:16: the stage's accountable role approves its gate; a sign-off must come from another role 'boss'"
expect_unchanged "$S"

begin "init --lifecycle: one role is one role"
sed '$d' "$T_DIR/lc1.yaml" >"$T_DIR/lc2.yaml"
run --db "$S" init --lifecycle "$T_DIR/lc2.yaml"
expect_rc 0
expect_out_has "Lifecycle: 1 stage, 1 role from $T_DIR/lc2.yaml"

begin "component add: names unique ignoring case; the store unchanged"
ok project create f
snap
run component add f Model --owner devops
expect_rc 5
expect_out ""
expect_err "aiproj: error: component 'model' already exists (names are unique ignoring case) on project 'f'"
run component add f model --owner devops
expect_rc 5
expect_err "aiproj: error: component 'model' already exists on project 'f'"
expect_unchanged

begin "component handover and remove find a component whatever its case, by its own name"
run --format json component handover f MODEL --to devops --reason 'in production'
expect_rc 0
jq_out '[.component, .from, .to] | join(" ")' "model data-scientist devops"
run --format json component list f
jq_out '[.components[] | select(.name == "model") | .owner] | .[0]' devops
run log f
expect_out_has "model"
run component remove f Model
expect_rc 0
expect_out "Removed component 'model' from 'f'"
run component remove f model
expect_rc 3
expect_err "aiproj: error: no component 'model' on project 'f'"
ok component add f MODEL --owner devops
run component list f
expect_out_has "MODEL"

begin "import: component names that differ only in case are refused"
run export -o "$T_DIR/all.yaml"
expect_rc 0
sed 's/- name: data-out/- name: Data-In/' "$T_DIR/all.yaml" >"$T_DIR/case.yaml"
line=$(grep -n -- '- name: Data-In' "$T_DIR/case.yaml" | head -1 | cut -d: -f1)
E=$(new_store empty)
snap "$E"
run --db "$E" import "$T_DIR/case.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/case.yaml:$line:5: duplicate component 'Data-In': 'data-in' differs only in case (component names are unique ignoring case)"
expect_unchanged "$E"

begin "gate show --stage of a stage started early: the approval hint says when it can be given"
ok project create x
fwd x 1
ok stage start x prototyping-testing
run --format json gate show x --stage prototyping-testing
jq_out '[.criteria[] | select(.kind == "approval") | .hint] | .[0]' \
	"given only while 'x' is at prototyping-testing (approvals count from when it enters the stage; advance into it first): then aiproj --actor PERSON gate approve x (PERSON assigned as data-scientist)"
run --format json gate show x
jq_out '[.criteria[] | select(.kind == "approval") | .hint] | .[0]' \
	"aiproj --actor PERSON gate approve x (PERSON assigned as data-engineer)"
# and what it says is so: advanced into the stage, the data scientist approves it
ok role assign x data-scientist 'Di Sci'
snap
run --actor 'Di Sci' gate approve x
expect_rc 4
expect_unchanged
ok stage advance x --force --reason 'data ready'
run --actor 'Di Sci' gate approve x
expect_rc 0
expect_out_has "gate of prototyping-testing"

begin "--format github: a check that cannot be made is an ::error annotation too"
run --format github stage check nope --gate
expect_rc 3
expect_out "::error title=aiproj::no project 'nope'"
expect_err "aiproj: error: no project 'nope'"
run stage check x --gate --format github --at-least nowhere
expect_rc 3
expect_out "::error title=aiproj::unknown stage 'nowhere' (one of: feasibility, data-preparation, prototyping-testing, productization, deployment)"
run --format github stage check x --gate --bogus
expect_rc 2
expect_out_has "::error title=aiproj::unknown option '--bogus'"
run --format github stage check x --started prototyping-testing
expect_rc 0
expect_out "::notice title=aiproj stage check::x: started prototyping-testing holds: at prototyping-testing (3), at or past prototyping-testing (3)"

begin "report timeline --format mermaid: the current visit entered by a jump back is critical and active"
ok project create tb
fwd tb 2
ok stage back tb --to data-preparation --reason redo
run --format mermaid report timeline tb
expect_rc 0
expect_out_has ":done, v1,"
expect_out_has ":done, v2,"
expect_out_has ":done, v3,"
expect_out_has ":crit, active, v4,"
fwd tb 1
ok stage back tb --to data-preparation --reason again
fwd tb 1
run --format mermaid report timeline tb
expect_out_has ":crit, v4,"
expect_out_has ":crit, v6,"
expect_out_has ":active, v7,"

begin "report page: the filters as given"
run report page --status closed -o "$T_DIR/p.html"
expect_rc 0
grep -q '<code>--status closed</code>\.</p>' "$T_DIR/p.html" || _fail "filters line: $(grep filters "$T_DIR/p.html")"

finish
