# A store's own lifecycle (init --lifecycle): 3 and 7 stages drive
# advance, back, gates, checks and reports; bad files are refused.
. "$(dirname "$0")/lib.sh"
lcdir="$(cd "$(dirname "$0")" && pwd)/lifecycles"
export AIPROJ_NOW=2026-03-04T05:06:07.089Z

begin "init --lifecycle with three stages"
run init --lifecycle "$lcdir/three.yaml"
expect_rc 0
expect_out "$FIRST_INIT
Lifecycle: 3 stages, 3 roles from $lcdir/three.yaml"
run --format json stage list
jq_out '[.stages[].slug] | join(",")' "idea,build,run"
jq_out '.stages[1].accountable[0]' "builder"
jq_out '.stages[1].consulted[0]' "owner"

begin "three stages: a new project gets the file's criteria and components"
run project create p3
expect_rc 0
expect_out "Created project 'p3' at stage idea (3 criteria, 1 component)"
run --format json gate show p3
jq_out '[.criteria[].id] | join(",")' "role:owner,role:builder,decision,kpi,1,approval"
run component list p3
expect_out_has "pipeline"

begin "three stages: the gate holds only when staffed, decided, measured, ticked, approved"
run stage advance p3
expect_rc 4
expect_err_has "unmet: owner (accountable) has someone assigned"
run role assign p3 owner Olga
run role assign p3 builder Bram
run decide p3 make --cost 10 --reason "cheap enough"
run kpi add p3 acc --target ">= 0.9"
run gate done p3 1
run --actor Bram gate approve p3
expect_rc 4
expect_err_has "only a person assigned as owner may"
run --actor Olga gate approve p3
expect_rc 0
run stage advance p3 --expect idea
expect_rc 0
expect_out "p3: idea -> build"

begin "three stages: the last stage, then back with a reason"
run stage advance p3 --force --reason "demo"
expect_out "p3: build -> run (forced: demo)"
run stage advance p3 --force --reason "again"
expect_rc 4
expect_err "aiproj: error: cannot advance 'p3': 'run' is the last stage"
run stage back p3 --to idea --reason "start over"
expect_rc 0
expect_out "p3: run -> idea (back; gates of 3 stages reopened)"
run --format json gate show p3
jq_out '.passed' false
jq_out '[.criteria[] | select(.kind == "manual") | .done] | join(",")' "false"
run stage check p3 --is 1 --at-least idea
expect_rc 0
run stage check p3 --at-least run
expect_rc 1

begin "three stages: reports follow the lifecycle"
run --format json report roles p3
jq_out '[.projects[0].matrix[].stage] | join(",")' "idea,build,run"
jq_out '[.projects[0].matrix[0].cells[].role] | join(",")' "owner,builder,operator"
jq_out '[.projects[0].gaps[] | .stage + ":" + .role] | join(",")' "run:operator"
run --format csv report roles p3
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 10 ] || _fail "want 1 + 3x3 CSV rows"
run report status
expect_out_has "1 idea"
run role list
expect_out_has "Owner (owner)"

begin "three stages: names from the default lifecycle are unknown here"
snap
run stage advance p3 --expect feasibility
expect_rc 3
expect_err_has "unknown stage 'feasibility'"
run role assign p3 sponsor Sam
expect_rc 3
expect_unchanged

begin "the lifecycle cannot change under existing projects"
snap
run init --lifecycle "$lcdir/seven.yaml"
expect_rc 4
expect_err_has "it holds 1 project"
expect_unchanged

begin "seven stages: advance through all, back-jump, check, history"
AIPROJ_DB=$(new_store seven)
run init --lifecycle "$lcdir/seven.yaml"
expect_rc 0
expect_out_has "Lifecycle: 7 stages, 5 roles"
run project create p7
for s in intake data model review pilot production; do
	run stage advance p7 --expect "$s" --force --reason "walk $s"
	expect_rc 0
done
run stage show p7
expect_out_has "stage 7 of 7: Retired"
run stage back p7 --to review --reason "risk finding"
expect_out "p7: retired -> review (back; gates of 4 stages reopened)"
run --format json gate show p7
jq_out '[.criteria[] | select(.kind == "manual") | .text] | join(",")' "Model card written,Bias tested"
jq_out '[.criteria[] | select(.kind == "role") | .id] | join(",")' "role:risk-officer"
run stage check p7 --at-least pilot
expect_rc 1
run stage check p7 --is "Risk review"
expect_rc 0
run --format json stage history p7
jq_out '.transitions | length' 7
jq_out '.transitions[6].kind' back
run --format json report status
jq_out '.projects[0].stage_number' 4

begin "a bad lifecycle file: every problem as FILE:LINE:COLUMN, exit 6, no store"
cat >"$T_DIR/bad.yaml" <<'YAML'
aiproj-lifecycle: 1
roles:
  - slug: a
    name: A
stages:
  - slug: one
    accountable: [a, nobody]
    colour: red
  - slug: "2"
YAML
export AIPROJ_DB="$T_DIR/never.db"
run init --lifecycle "$T_DIR/bad.yaml"
expect_rc 6
expect_err_has "$T_DIR/bad.yaml:7:18: a stage has one accountable role"
expect_err_has "$T_DIR/bad.yaml:8:5: unknown key 'colour'"
expect_err_has "$T_DIR/bad.yaml:9:11: invalid stage slug"
[ ! -e "$T_DIR/never.db" ] || _fail "a store was left behind"

begin "a missing lifecycle file: exit 3"
run init --lifecycle "$T_DIR/nope.yaml"
expect_rc 3
expect_err_has "cannot read '$T_DIR/nope.yaml'"


begin "init --lifecycle from a pipe or a FIFO, into a directory not made yet: read once, kept"
mkdir -p "$T_DIR/lp"
runsh "cat '$lcdir/three.yaml' | '$AIPROJ' --db '$T_DIR/lp/a/b.db' init --lifecycle -"
expect_rc 0
expect_out_has "Lifecycle: 3 stages, 3 roles from -"
mkfifo "$T_DIR/lp/fifo"
(cat "$lcdir/three.yaml" >"$T_DIR/lp/fifo" &)
runsh "timeout 30 '$AIPROJ' --db '$T_DIR/lp/c/d.db' init --lifecycle '$T_DIR/lp/fifo'"
expect_rc 0
expect_out_has "Lifecycle: 3 stages, 3 roles from $T_DIR/lp/fifo"
run --db "$T_DIR/lp/c/d.db" --format json stage list
expect_rc 0
jq_out '[.stages[] | .slug] | length' 3
run init --lifecycle /dev/zero --db "$T_DIR/lp/z.db"
expect_rc 6
expect_err "aiproj: error: /dev/zero:1:1: document is over 16 MiB (16777216 bytes)"
[ ! -e "$T_DIR/lp/z.db" ] || _fail "a store was left behind"

finish
