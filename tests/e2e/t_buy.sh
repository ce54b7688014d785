# The buy path (docs/yaml.md: on_buy): "The outcome of this stage is a
# BUY/MAKE decision."  A bought product still has to be connected to the
# system and put in production, so `decide PROJECT buy` moves the project
# to the lifecycle's on_buy stage (productization by default): a transition
# of kind buy, the stages between shown as skipped in history, log and
# events; with on_buy: close it closes the project as bought.  A buy is a
# decision: the decide rule, no gate.  Refused buys leave the store as it
# was; export, import and export again give the same bytes.
. "$(dirname "$0")/lib.sh"

T0=2026-02-01T10:00:00.000Z
T1=2026-02-03T10:00:00.000Z

begin "decide buy: to productization, data-preparation and prototyping-testing skipped, no gate asked"
at $T0
run project create vendor --description 'a vendor tool'
# the gate of feasibility does not hold (nobody assigned, no KPI): a buy
# is a decision, it asks no gate
run --format json gate show vendor
jq_out '.passed' false
at $T1
run decide vendor buy --cost 4000 --reason 'SaaS fits'
expect_rc 0
expect_err ""
expect_out "Decision for 'vendor': buy, cost 4000
vendor: feasibility -> productization (buy; skipped: data-preparation,
  prototyping-testing)"
run --format json project show vendor
jq_out '[.status, .stage, (.outcome | tostring), .decision.kind] | join(" ")' \
	"active productization null buy"

begin "decide buy --format json: from, to and the stages skipped"
run project create vendor2
run --format json decide vendor2 buy --reason 'cheaper'
expect_rc 0
expect_out "{
  \"aiproj\": 1,
  \"project\": \"vendor2\",
  \"decision\": \"buy\",
  \"cost\": null,
  \"reason\": \"cheaper\",
  \"status\": \"active\",
  \"outcome\": null,
  \"from\": \"feasibility\",
  \"to\": \"productization\",
  \"skipped\": [
    \"data-preparation\",
    \"prototyping-testing\"
  ]
}"

begin "stage history: the buy, then a row for each stage it skipped (text and JSON)"
run stage history vendor
expect_rc 0
expect_out_has "2026-02-03T10:00:00.000Z feasibility ->"
expect_out_has "2026-02-03T10:00:00.000Z data-preparation"
expect_out_has " skipped "
[ "$(printf '%s\n' "$OUT" | grep -c ' skipped ')" = 2 ] || _fail "expected two skipped rows" "$OUT"
run --format json stage history vendor
expect_rc 0
jq_out '.transitions | length' 1
jq_out '.transitions[0] | [.from, .to, .kind, .reason] | join("|")' \
	"feasibility|productization|buy|SaaS fits"
jq_out '.transitions[0].skipped | join(",")' "data-preparation,prototyping-testing"
jq_out '.stage' productization

begin "log and events: the buy move names what it skipped"
run log vendor --format json
expect_rc 0
jq_out '[.events[] | .event] | join(",")' "created,decide,buy"
jq_out '.events[2].what' \
	"feasibility -> productization (skipped: data-preparation, prototyping-testing)"
run --format json events vendor
expect_rc 0
jq_out 'select(.event == "buy") | [.subject, .detail, .note] | join("|")' \
	"feasibility|productization|SaaS fits"

begin "report timeline: the visit entered by the buy, the stages it skipped before it"
run report timeline vendor
expect_rc 0
expect_out "# STAGE               ENTERED          LEFT             DAYS BY
1 feasibility         2026-02-01 10:00 2026-02-03 10:00 2.0  created
- data-preparation    -                -                -    skipped
- prototyping-testing -                -                -    skipped
2 productization      2026-02-03 10:00 now              0.0  buy"
run --format json report timeline vendor
jq_out '.visits[1] | [.stage, .entered_by, (.skipped | join(","))] | join("|")' \
	"productization|buy|data-preparation,prototyping-testing"
jq_out '.visits[0] | has("skipped")' false
# CSV and markdown carry the skipped stages too, as rows of their own
run --format csv report timeline vendor
crlf
expect_out "project,visit,stage_number,stage,entered_at,left_at,days,entered_by
vendor,1,1,feasibility,2026-02-01T10:00:00.000Z,2026-02-03T10:00:00.000Z,2.0,created
vendor,,2,data-preparation,,,,skipped
vendor,,3,prototyping-testing,,,,skipped
vendor,2,4,productization,2026-02-03T10:00:00.000Z,,0.0,buy"
run --format markdown report timeline vendor
expect_out_has "| - | data-preparation | - | - | - | skipped |
| - | prototyping-testing | - | - | - | skipped |
| 2 | productization |"

begin "after the buy the project goes on as any other: no second decision at productization"
snap
run decide vendor make --reason again
expect_rc 4
expect_err "aiproj: error: cannot record a decision for 'vendor' at 'productization': make/buy is decided at 'feasibility'"
expect_unchanged
run --format json stage show vendor
jq_out '.stage' productization

begin "hooks: decide buy fires pre-move and post-move with kind buy"
H=$T_DIR/hooks
mkdir -p "$H"
for e in pre-move post-move post-close; do
	printf '#!/bin/sh\ncat >"%s/%s.json"\n' "$T_DIR" "$e" >"$H/$e"
	chmod +x "$H/$e"
done
run project create hooked
run --hooks "$H" decide hooked buy --reason 'vendor'
expect_rc 0
[ -e "$T_DIR/post-close.json" ] && _fail "post-close fired for a buy that moved"
OUT=$(cat "$T_DIR/post-move.json")
jq_out '[.event, .project, .from, .to, .kind, .reason, (.skipped | join(","))] | join("|")' \
	"post-move|hooked|feasibility|productization|buy|vendor|data-preparation,prototyping-testing"
OUT=$(cat "$T_DIR/pre-move.json")
jq_out '.event + " " + .kind' "pre-move buy"

begin "refused: a buy on a project on hold, and without --reason: exit 4 and 2, unchanged"
run project create held
run project hold held --reason 'budget'
snap
run decide held buy --reason r
expect_rc 4
expect_err "aiproj: error: cannot record a decision for 'held': project is on-hold; only active projects move"
expect_out ""
run decide held buy
expect_rc 2
expect_out ""
expect_unchanged

begin "export, import into an empty store, export again: the same bytes, the buy move in the file"
run export
expect_rc 0
printf '%s\n' "$OUT" >"$T_DIR/e1.yaml"
grep -q 'kind: buy' "$T_DIR/e1.yaml" || _fail "no buy move in the export"
S2=$(new_store s2)
run --db "$S2" import "$T_DIR/e1.yaml"
expect_rc 0
run --db "$S2" export
expect_rc 0
printf '%s\n' "$OUT" >"$T_DIR/e2.yaml"
cmp -s "$T_DIR/e1.yaml" "$T_DIR/e2.yaml" || _fail "export differs after import" "$(diff "$T_DIR/e1.yaml" "$T_DIR/e2.yaml" | head -20)"
run --db "$S2" --format json stage history vendor
jq_out '.transitions[0].skipped | join(",")' "data-preparation,prototyping-testing"

begin "import: a buy move without its buy decision, or not forward, is refused (exit 6), unchanged"
S3=$(new_store s3)
sed '/^  decisions:/,/^  [a-z]*:/{/kind: buy/s/kind: buy/kind: make/}' "$T_DIR/e1.yaml" >"$T_DIR/nodecision.yaml"
snap "$S3"
run --db "$S3" import "$T_DIR/nodecision.yaml"
expect_rc 6
expect_err_has "a move of kind 'buy' needs a buy decision at its time"
expect_unchanged "$S3"

# ---- on_buy in a lifecycle of its own ----
cat >"$T_DIR/close.yaml" <<'EOF'
aiproj-lifecycle: 1
roles:
  - slug: owner
    name: Owner
stages:
  - slug: idea
    name: Idea
    accountable: owner
    requires: [decision]
  - slug: build
    name: Build
    accountable: owner
  - slug: connect
    name: Connect
    accountable: owner
  - slug: run
    name: Run
    accountable: owner
on_buy: close
EOF
sed 's/^on_buy: close$/on_buy: connect/' "$T_DIR/close.yaml" >"$T_DIR/connect.yaml"

begin "on_buy: close: a buy closes the project as bought, and fires post-close"
S4=$(new_store s4)
run --db "$S4" init --lifecycle "$T_DIR/close.yaml"
expect_rc 0
run --db "$S4" project create b
rm -f "$T_DIR"/post-*.json "$T_DIR"/pre-*.json
run --db "$S4" --hooks "$H" decide b buy --reason 'off the shelf'
expect_rc 0
expect_out "Decision for 'b': buy
Project 'b' is closed: bought"
[ -e "$T_DIR/post-move.json" ] && _fail "post-move fired for a buy that closed"
OUT=$(cat "$T_DIR/post-close.json")
jq_out '[.event, .decision, .status, .outcome, .reason] | join("|")' \
	"post-close|buy|closed|bought|off the shelf"
run --db "$S4" --format json project show b
jq_out '[.status, .stage, .outcome, .status_reason] | join("|")' "closed|idea|bought|off the shelf"
run --db "$S4" --format json stage history b
jq_out '.transitions | length' 0
# the log and the feed see the close, as after project close
run --db "$S4" --format json log b
jq_out '[.. | objects | select(.event? == "close") | "\(.actor)|\(.note)"] | join(",")' "tester|off the shelf"
run --db "$S4" --format json events
[ "$(printf '%s\n' "$OUT" | jq -r -s '[.[] | .event] | join(",")')" = "created,decide,close" ] ||
	_fail "the feed lacks the close" "$OUT"
run --db "$S4" export -o "$T_DIR/bought.yaml"
expect_rc 0
_b=$(new_store bought)
run --db "$_b" init --lifecycle "$T_DIR/close.yaml"
run --db "$_b" import "$T_DIR/bought.yaml"
expect_rc 0
run --db "$_b" export -o "$T_DIR/bought2.yaml"
cmp -s "$T_DIR/bought.yaml" "$T_DIR/bought2.yaml" || _fail "the re-export differs"

begin "on_buy: STAGE of a lifecycle of its own: the stages between are skipped"
S5=$(new_store s5)
run --db "$S5" init --lifecycle "$T_DIR/connect.yaml"
expect_rc 0
run --db "$S5" project create c
run --db "$S5" --format json decide c buy --reason 'a vendor'
expect_rc 0
jq_out '[.status, .from, .to, (.skipped | join(","))] | join("|")' "active|idea|connect|build"

begin "on_buy errors in a lifecycle file: file:line:col, exit 6, nothing made"
S6=$(new_store s6)
snap "$S6"
sed 's/^on_buy: close$/on_buy: nowhere/' "$T_DIR/close.yaml" >"$T_DIR/bad1.yaml"
run --db "$S6" init --lifecycle "$T_DIR/bad1.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/bad1.yaml:19:9: unknown stage 'nowhere'"
sed 's/^on_buy: close$/on_buy: idea/' "$T_DIR/close.yaml" >"$T_DIR/bad2.yaml"
run --db "$S6" init --lifecycle "$T_DIR/bad2.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/bad2.yaml:19:9: on_buy names no stage later than where make or buy is decided 'idea'"
sed 's/^on_buy: close$/on_buy: [run]/' "$T_DIR/close.yaml" >"$T_DIR/bad3.yaml"
run --db "$S6" init --lifecycle "$T_DIR/bad3.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/bad3.yaml:19:9: expected close or a stage slug for on_buy"
expect_unchanged "$S6"

begin "policy roles: a buy needs the decide rule (feasibility's accountable sponsor), not the gate"
run project create ruled
run role assign ruled sponsor sue
run admin add root
run --actor root policy set roles
expect_rc 0
run --actor bob decide ruled buy --reason r
expect_rc 4
expect_err "aiproj: error: policy 'roles': 'bob' may not decide on 'ruled' at 'feasibility': that needs the accountable role (sponsor)"
# (the refusal is audited; the project is as it was)
run --format json project show ruled
jq_out '[.stage, (.decision | tostring)] | join("|")' "feasibility|null"
run --format json stage history ruled
jq_out '.transitions | length' 0
run --actor sue decide ruled buy --reason r
expect_rc 0
run --format json stage history ruled
jq_out '.transitions[0] | [.kind, .actor, .to] | join("|")' "buy|sue|productization"

finish
