# Hostile, careless and CI use of the fixes of "nothing changes on failure,
# and the CI gate cannot be fooled": what a second round of attacks found.
# Each case checks the exit code, the exact message and, after a failure,
# an unchanged store; on either store.
. "$(dirname "$0")/lib.sh"

# --- import: a criterion ticked before the move back that reopened it ----
# `stage back --to S` reopens the criteria of S and of every later stage, so
# a criterion of such a stage cannot be done with a done_at before that
# move.  A file that says so would let `stage check --gate` hold on ticks
# made before the project went back.

# reopened DONE_AT: project rj, advanced at :03 and sent back to
# feasibility at :04, re-approved at :05, its four criteria done at DONE_AT
reopened() {
	cat <<-YAML
	aiproj: 1
	projects:
	- name: rj
	  status: active
	  stage: feasibility
	  entered_at: "2026-01-01T00:00:04.000Z"
	  created_at: "2026-01-01T00:00:00.000Z"
	  decisions:
	  - {kind: make, cost: 1, reason: r, actor: Ana, at: "2026-01-01T00:00:01.000Z"}
	  kpis:
	  - {name: auc, op: '>=', target: 1, created_at: "2026-01-01T00:00:01.000Z", readings: []}
	  assignments:
	  - {role: ai-engineer, person: Bo, assigned_at: "2026-01-01T00:00:01.000Z"}
	  - {role: sponsor, person: Ana, assigned_at: "2026-01-01T00:00:01.000Z"}
	  criteria:
	YAML
	for _i in 1 2 3 4; do
		echo "  - {id: $_i, stage: feasibility, text: c$_i, done: true, done_by: Ana, done_at: \"$1\"}"
	done
	cat <<-YAML
	  approvals:
	  - {stage: feasibility, epoch: 0, person: Ana, role: sponsor, at: "2026-01-01T00:00:02.000Z"}
	  - {stage: feasibility, epoch: 2, person: Ana, role: sponsor, at: "2026-01-01T00:00:05.000Z"}
	  history:
	  - {from: feasibility, to: data-preparation, kind: advance, actor: Ana, at: "2026-01-01T00:00:03.000Z"}
	  - {from: data-preparation, to: feasibility, kind: back, actor: Ana, reason: again, at: "2026-01-01T00:00:04.000Z"}
	YAML
}

begin "import refuses a criterion done before the move back that reopened its stage"
run init
expect_rc 0
reopened 2026-01-01T00:00:02.000Z >"$T_DIR/forged.yaml"
snap
run import "$T_DIR/forged.yaml"
expect_rc 6
expect_out ""
_m="is earlier than the move back (2026-01-01T00:00:04.000Z) that reopened the gate of 'feasibility'"
expect_err "aiproj: error: $T_DIR/forged.yaml:16:78: 'done_at' 2026-01-01T00:00:02.000Z $_m: criterion 1 would be open
$T_DIR/forged.yaml:17:78: 'done_at' 2026-01-01T00:00:02.000Z $_m: criterion 2 would be open
$T_DIR/forged.yaml:18:78: 'done_at' 2026-01-01T00:00:02.000Z $_m: criterion 3 would be open
$T_DIR/forged.yaml:19:78: 'done_at' 2026-01-01T00:00:02.000Z $_m: criterion 4 would be open"
expect_unchanged
run -q stage check rj --gate
expect_rc 3
expect_err "aiproj: error: no project 'rj'"

begin "a criterion ticked at or after the move back is imported, and its gate holds"
reopened 2026-01-01T00:00:04.000Z >"$T_DIR/ok.yaml"
run import "$T_DIR/ok.yaml"
expect_rc 0
expect_out "Imported $T_DIR/ok.yaml: 1 created, 0 replaced, 0 unchanged"
run -q stage check rj --gate
expect_rc 0
expect_err ""

begin "a criterion of a stage the move back did not reopen keeps its older tick"
run init
reopened 2026-01-01T00:00:02.000Z |
	sed 's/^- name: rj/- name: rk/; s/to: feasibility, kind: back/to: data-preparation, kind: back/' >"$T_DIR/x.yaml"
run import "$T_DIR/x.yaml" --dry-run
expect_rc 6
expect_err_has "a move of kind 'back' cannot go from 'data-preparation' to 'data-preparation'"
case $ERR in *"reopened"*) _fail "a back move that reopened no feasibility criterion was counted" ;; esac

# --- import: numbers out of the range the commands take -------------------
# A cost, KPI target or reading is 0 or from 1e-15 to 1e15 either side of it
# (aiproj(1), Numbers); `decide --cost`, `kpi add --target` and `kpi record`
# refuse anything else, so import does too.

# numbers COST TARGET VALUE: project nr with one decision, KPI and reading
numbers() {
	cat <<-YAML
	aiproj: 1
	projects:
	- name: nr
	  status: active
	  stage: feasibility
	  entered_at: "2026-01-01T00:00:00.000Z"
	  created_at: "2026-01-01T00:00:00.000Z"
	  decisions:
	  - {kind: make, cost: $1, reason: r, actor: Ana, at: "2026-01-01T00:00:01.000Z"}
	  kpis:
	  - name: auc
	    op: '>='
	    target: $2
	    created_at: "2026-01-01T00:00:01.000Z"
	    readings:
	    - {value: $3, actor: Ana, at: "2026-01-01T00:00:02.000Z"}
	YAML
}
_range="is out of range (0, or from 1e-15 to 1e15 either side of it)"

begin "import refuses a cost, target or reading past 1e15 or nearer 0 than 1e-15"
run init
numbers 1e16 1e-16 -9007199254740993 >"$T_DIR/n.yaml"
snap
run import "$T_DIR/n.yaml"
expect_rc 6
expect_out ""
expect_err "aiproj: error: $T_DIR/n.yaml:9:24: 'cost' 1e16 $_range
$T_DIR/n.yaml:13:13: 'target' 1e-16 $_range
$T_DIR/n.yaml:16:15: 'value' -9007199254740993 $_range"
expect_unchanged
run import "$T_DIR/n.yaml" --dry-run
expect_rc 6
expect_unchanged
# the commands refuse the same numbers
run project create nr
expect_rc 0
snap
run decide nr make --cost 1e16 --reason r
expect_rc 2
expect_err "aiproj: error: invalid cost '1e16': out of range (0, or from 1e-15 to 1e15 either side of it)"
run kpi add nr auc --target '>= 1e-16'
expect_rc 2
expect_err "aiproj: error: invalid KPI target number '1e-16': out of range (0, or from 1e-15 to 1e15 either side of it)"
expect_unchanged

begin "import takes the ends of the range, and 0"
numbers 1e15 -1e-15 0 | sed 's/name: nr/name: ns/' >"$T_DIR/ends.yaml"
run import "$T_DIR/ends.yaml"
expect_rc 0
expect_out "Imported $T_DIR/ends.yaml: 1 created, 0 replaced, 0 unchanged"
run --format json kpi list ns
jq_out '.kpis[0].target, .kpis[0].latest' "-1e-15
0"

# --- init --lifecycle, run again -------------------------------------------
# A CI job that runs `aiproj init --lifecycle FILE` at every start: once the
# store holds projects, the same file changes nothing and is not an error;
# a different one is still refused (exit 4), the store untouched.
LC=$(cd "$(dirname "$0")/../../schemas" && pwd)/lifecycle.yaml

begin "init --lifecycle with the store's own lifecycle succeeds on a store with projects, changing nothing"
run project create lc-kept
expect_rc 0
cp "$LC" "$T_DIR/lc.yaml"
snap
run init --lifecycle "$T_DIR/lc.yaml"
expect_rc 0
expect_out "aiproj store at $AIPROJ_DB is ready
Lifecycle: 5 stages, 6 roles from $T_DIR/lc.yaml"
expect_err ""
expect_unchanged

begin "init --lifecycle with another lifecycle is refused on a store with projects"
sed 's/name: Sponsor$/name: Sponsor (renamed)/' "$LC" >"$T_DIR/lc2.yaml"
cmp -s "$LC" "$T_DIR/lc2.yaml" && _fail "the changed lifecycle is the same file"
_n=$(store_sql "SELECT count(*) FROM project")
snap
run init --lifecycle "$T_DIR/lc2.yaml"
expect_rc 4
expect_out ""
expect_err "aiproj: error: cannot change the lifecycle of store '$AIPROJ_DB': it holds $_n projects (export them, init a new store with the lifecycle, import)"
expect_unchanged

finish
