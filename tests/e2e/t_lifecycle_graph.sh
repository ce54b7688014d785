# report lifecycle: the stage graph with a project's path through it, as
# text, JSON, Mermaid and DOT (rendered by Graphviz when it is installed).
. "$(dirname "$0")/lib.sh"

export AIPROJ_NOW=2026-02-01T08:00:00.000Z
q() { "$AIPROJ" -q "$@" </dev/null || _fail "setup failed: aiproj $*"; }

# p: feasibility passed properly once, then back, forced on, and a
# back-jump from prototyping-testing; it ends at prototyping-testing
begin "setup: a project with forward moves, forced moves and back-jumps"
q project create p
q role assign p sponsor 'Ana Lima'
q role assign p ai-engineer 'Bo Chen'
q decide p make --cost 1000 --reason 'cheaper than buying'
q kpi add p auc --target '>= 0.8'
for i in 1 2 3 4; do q gate done p "$i"; done
q --actor 'Ana Lima' gate approve p
q stage advance p
q stage back p --to feasibility --reason 'cost was wrong'
q stage advance p --force --reason 'exec call'
q stage advance p --force --reason 'no time'
q stage back p --to data-preparation --reason 'bad feed'
q stage advance p --force --reason 'feed fixed'
q project create fresh

begin "text: the path, the stages entered and the moves with counts"
snap
run report lifecycle p
expect_rc 0
expect_err ""
expect_out "p  active  at prototyping-testing (stage 3 of 5)
6 moves: 4 forward (3 forced), 2 back

Path: feasibility > data-preparation > feasibility > data-preparation >
      prototyping-testing > data-preparation > prototyping-testing

Stages:
  [x] feasibility          entered 2 times
  [x] data-preparation     entered 3 times
  [>] prototyping-testing  entered 2 times, now
  [ ] productization
  [ ] deployment

Moves:
  feasibility -> data-preparation          forward  2 (1 forced)
  data-preparation -> feasibility          back     1
  data-preparation -> prototyping-testing  forward  2 (2 forced)
  prototyping-testing -> data-preparation  back     1"
expect_unchanged

begin "mermaid: a flowchart, thick forward edges with counts, dotted back-jumps"
run --format mermaid report lifecycle p
expect_rc 0
expect_err ""
expect_out '%% aiproj report lifecycle p: active, at prototyping-testing, 6 moves (2 back)
flowchart LR
  s1["Feasibility"]
  s2["Data preparation"]
  s3["Prototyping #amp; testing"]
  s4["Productization"]
  s5["Deployment"]
  s1 ==>|"×2 (1 forced)"| s2
  s2 ==>|"×2 (2 forced)"| s3
  s3 --> s4
  s4 --> s5
  s2 -.->|"back ×1"| s1
  s3 -.->|"back ×1"| s2
  classDef visited fill:#e3f2fd,stroke:#1565c0
  classDef current fill:#ffd54f,stroke:#333,stroke-width:3px
  class s1,s2 visited
  class s3 current'

begin "mermaid: the format is also given after the command"
run report lifecycle p --format mermaid
expect_rc 0
expect_out_has 's3 -.->|"back ×1"| s2'

begin "dot: a digraph with the current stage highlighted and counts on edges"
run --format dot report lifecycle p
expect_rc 0
expect_err ""
expect_out 'digraph "p" {
  rankdir=LR;
  labelloc=t;
  fontname="Helvetica";
  label="p: active, at prototyping-testing, 6 moves (2 back)";
  node [shape=box, style=rounded, fontname="Helvetica"];
  edge [fontname="Helvetica"];
  s1 [label="Feasibility", style="rounded,filled", fillcolor="#e3f2fd"];
  s2 [label="Data preparation", style="rounded,filled", fillcolor="#e3f2fd"];
  s3 [label="Prototyping & testing", style="rounded,filled,bold", fillcolor="#ffd54f", penwidth=2];
  s4 [label="Productization"];
  s5 [label="Deployment"];
  s1 -> s2 [label="×2 (1 forced)", penwidth=2];
  s2 -> s3 [label="×2 (2 forced)", penwidth=2];
  s3 -> s4 [color=gray60];
  s4 -> s5 [color=gray60];
  s2 -> s1 [label="back ×1", style=dashed, color="#c62828", fontcolor="#c62828", constraint=false];
  s3 -> s2 [label="back ×1", style=dashed, color="#c62828", fontcolor="#c62828", constraint=false];
}'

begin "dot: Graphviz renders it to SVG"
if command -v dot >/dev/null 2>&1; then
	"$AIPROJ" --format dot report lifecycle p >"$T_DIR/p.dot"
	runsh "dot -Tsvg '$T_DIR/p.dot'"
	expect_rc 0
	expect_err ""
	expect_out_has "<svg"
	expect_out_has "Prototyping &amp; testing"
	expect_out_has "back ×1"
	expect_out_has "×2 (2 forced)"
else
	_fail "graphviz is not installed (scripts/deps.sh test installs it)"
fi

begin "json: nodes with visits, edges with kinds and counts, the path"
run --format json report lifecycle p
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
jq_out '[.project, .status, .stage] | join(" ")' "p active prototyping-testing"
jq_out '[.moves, .forward, .back, .forced] | map(tostring) | join(" ")' "6 4 2 3"
jq_out '.path | join(" ")' "feasibility data-preparation feasibility data-preparation prototyping-testing data-preparation prototyping-testing"
jq_out '[.nodes[] | "\(.number):\(.stage):\(.visits):\(.current)"] | join(" ")' \
	"1:feasibility:2:false 2:data-preparation:3:false 3:prototyping-testing:2:true 4:productization:0:false 5:deployment:0:false"
jq_out '.nodes[2].name' "Prototyping & testing"
jq_out '[.edges[] | "\(.from)>\(.to):\(.kind):\(.count):\(.forced)"] | join(" ")' \
	"feasibility>data-preparation:forward:2:1 data-preparation>feasibility:back:1:0 data-preparation>prototyping-testing:forward:2:2 prototyping-testing>data-preparation:back:1:0"

begin "yaml: the same keys"
run --format yaml report lifecycle p
expect_rc 0
expect_err ""
expect_out_has "aiproj: 1"
expect_out_has "edges:"
expect_out_has "kind: back"

begin "a project that never moved: one visit, no moves"
run report lifecycle fresh
expect_rc 0
expect_err ""
expect_out "fresh  active  at feasibility (stage 1 of 5)
0 moves: 0 forward, 0 back

Path: feasibility

Stages:
  [>] feasibility  entered 1 time, now
  [ ] data-preparation
  [ ] prototyping-testing
  [ ] productization
  [ ] deployment"
run --format mermaid report lifecycle fresh
expect_rc 0
expect_out_lacks "==>"
expect_out_lacks "-.->"
[ "$(printf '%s\n' "$OUT" | grep -c '^  class ')" = 1 ] ||
	_fail "expected one class line (the current stage)"
expect_out_has "  s1 --> s2"
expect_out_has "  class s1 current"
run --format json report lifecycle fresh
jq_out '[.moves, (.path | length), (.edges | length), .nodes[0].visits] | map(tostring) | join(" ")' "0 1 0 1"

begin "a closed project still has its graph"
q project close fresh --reason 'dropped'
run --format dot report lifecycle fresh
expect_rc 0
expect_out_has 'label="fresh: closed, at feasibility, 0 moves (0 back)";'

begin "unknown project: exit 3, nothing on stdout, store untouched"
snap
for f in text json mermaid dot; do
	run --format "$f" report lifecycle nosuch
	expect_rc 3
	expect_out ""
	if [ "$f" = json ]; then
		expect_err '{"aiproj":1,"error":{"code":3,"message":"no project '"'nosuch'"'"}}'
	else
		expect_err "aiproj: error: no project 'nosuch'"
	fi
done
expect_unchanged

begin "a format the command does not take: exit 2 naming the ones it does"
snap
for f in csv markdown github svg; do
	run --format "$f" report lifecycle p
	expect_rc 2
	# (under --format github every failure is an ::error annotation too)
	if [ "$f" = github ]; then
		expect_out "::error title=aiproj::format 'github' is not available here (use one of: text, json, yaml, mermaid, dot)"
	else
		expect_out ""
	fi
	expect_err "aiproj: error: format '$f' is not available here (use one of: text, json, yaml, mermaid, dot)"
done
expect_unchanged

begin "mermaid and dot are refused by commands that print no graph"
run --format mermaid stage show p
expect_rc 2
expect_out ""
expect_err_has "format 'mermaid' is not available here"
run --format dot report status
expect_rc 2
expect_err_has "format 'dot' is not available here"

begin "arguments: the project is required, one only"
run report lifecycle
expect_rc 2
expect_out ""
expect_err_has "missing argument"
run report lifecycle p fresh
expect_rc 2
expect_out ""
expect_err_has "unexpected argument 'fresh'"

begin "--help: usage, summary, an example and the formats"
run report lifecycle --help
expect_rc 0
expect_err ""
expect_out_has "usage: aiproj report lifecycle PROJECT"
expect_out_has "the stage graph"
expect_out_has "example:
  aiproj report lifecycle churn-model --format mermaid"
expect_out_has "formats: text json yaml mermaid dot"

begin "report --help lists lifecycle; --help lists it too"
run report --help
expect_rc 0
expect_out_has "aiproj report lifecycle PROJECT"
run --help
expect_out_has "report lifecycle"

finish
