# One timeline per project (issue 17): `aiproj log` shows every event of a
# project's life with who and when, in every format, on both stores;
# `note` adds a comment; `stage due` sets a due day.  Events the other
# tables do not keep (notes, status changes, reopenings, unassignments,
# component changes, due days) survive export and import.  Times are
# pinned with AIPROJ_NOW.
. "$(dirname "$0")/lib.sh"


begin "the fixture builds: a project's life, and a second project"
at 2026-01-01T09:00:00.000Z
ok project create churn
at 2026-01-01T10:00:00.000Z
ok project create other
at 2026-01-02T09:00:00.000Z
ok role assign churn sponsor 'Ana Lima'
ok role assign churn data-analyst 'Bo Chen'
at 2026-01-02T10:00:00.000Z
ok decide churn make --cost 120000 --reason 'no vendor fits'
at 2026-01-03T10:00:00.000Z
ok kpi add churn auc --target '>= 0.8'
at 2026-01-03T11:00:00.000Z
ok gate done churn 2 --note 'see ADR-12'
at 2026-01-03T11:30:00.000Z
ok gate done churn 1
at 2026-01-03T12:00:00.000Z
ok gate reopen churn 1
at 2026-01-04T12:00:00.000Z
run stage due churn 2026-01-10
expect_rc 0
expect_out "Stage feasibility of 'churn' is due by 2026-01-10"
at 2026-01-04T13:00:00.000Z
run note churn 'vendor demo on Friday'
expect_rc 0
expect_out "Noted on 'churn' by tester"
at 2026-01-05T08:00:00.000Z
ok --actor 'Ana Lima' gate approve churn
ok kpi record churn auc 0.83
at 2026-01-05T13:00:00.000Z
ok stage advance churn --force --reason hurry
at 2026-01-06T13:00:00.000Z
ok stage back churn --to feasibility --reason 'cost was wrong'
ok project hold other --reason 'waiting for data'
at 2026-01-07T13:00:00.000Z
ok component add churn fs --owner data-engineer
ok component remove churn fs
ok role unassign churn data-analyst 'Bo Chen'
ok project resume other
at 2026-01-08T13:00:00.000Z
ok project close other --reason cancelled

# (the tick of criterion 2 went when stage back reopened the gate, and Bo
# Chen's assignment with his unassignment: the log shows what the store
# keeps)
begin "log PROJECT (csv): every event in order, with who and when"
run log churn --format csv
expect_rc 0
expect_err ""
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "at,project,event,actor,what,note
2026-01-01T09:00:00.000Z,churn,created,-,at feasibility,
2026-01-02T09:00:00.000Z,churn,assign,-,sponsor: Ana Lima,
2026-01-02T10:00:00.000Z,churn,decide,tester,\"make, cost 120000\",no vendor fits
2026-01-03T10:00:00.000Z,churn,kpi,-,auc >= 0.8,
2026-01-03T12:00:00.000Z,churn,reopen,tester,#1,
2026-01-04T12:00:00.000Z,churn,due,tester,feasibility by 2026-01-10,
2026-01-04T13:00:00.000Z,churn,note,tester,,vendor demo on Friday
2026-01-05T08:00:00.000Z,churn,approve,Ana Lima,feasibility as sponsor,
2026-01-05T08:00:00.000Z,churn,reading,tester,auc = 0.83,
2026-01-05T13:00:00.000Z,churn,forced,tester,feasibility -> data-preparation,hurry
2026-01-06T13:00:00.000Z,churn,back,tester,data-preparation -> feasibility,cost was wrong
2026-01-07T13:00:00.000Z,churn,component-add,tester,fs (owner data-engineer),
2026-01-07T13:00:00.000Z,churn,component-remove,tester,fs,
2026-01-07T13:00:00.000Z,churn,unassign,tester,data-analyst: Bo Chen,"

begin "log with no project: the whole portfolio interleaved by time; --since and --until keep whole days"
run log --since 2026-01-06 --until 2026-01-07 --format markdown
expect_rc 0
expect_err ""
expect_out "| AT | PROJECT | EVENT | ACTOR | WHAT | NOTE |
|---|---|---|---|---|---|
| 2026-01-06T13:00:00.000Z | churn | back | tester | data-preparation -> feasibility | cost was wrong |
| 2026-01-06T13:00:00.000Z | other | hold | tester |  | waiting for data |
| 2026-01-07T13:00:00.000Z | churn | component-add | tester | fs (owner data-engineer) |  |
| 2026-01-07T13:00:00.000Z | churn | component-remove | tester | fs |  |
| 2026-01-07T13:00:00.000Z | churn | unassign | tester | data-analyst: Bo Chen |  |
| 2026-01-07T13:00:00.000Z | other | resume | tester |  |  |"

begin "log (text) of a closed project; json and yaml carry the same events"
run log other --wide
expect_rc 0
OUT=$(printf '%s\n' "$OUT" | sed 's/ *$//')
expect_out "AT                       PROJECT      EVENT   ACTOR      WHAT                     NOTE
2026-01-01T10:00:00.000Z other        created -          at feasibility
2026-01-06T13:00:00.000Z other        hold    tester                              waiting for data
2026-01-07T13:00:00.000Z other        resume  tester
2026-01-08T13:00:00.000Z other        close   tester                              cancelled"
run log other --format json
expect_rc 0
jq_out '[.events[] | "\(.event)/\(.actor)/\(.note)"] | join(" ")' \
	"created/null/null hold/tester/waiting for data resume/tester/null close/tester/cancelled"
run log other --format yaml
expect_rc 0
expect_out_has "  event: close"

begin "log: no events in range; a bad date or an unknown project is refused"
run log --since 2027-01-01
expect_rc 0
expect_out "No events."
run log --until 2026-02-30
expect_rc 2
expect_err "aiproj: error: invalid date '2026-02-30': expected a day as YYYY-MM-DD"
run log --since 2026-02-02 --until 2026-02-01
expect_rc 2
expect_err "aiproj: error: --since 2026-02-02 is after --until 2026-02-01"
run log churn nosuch
expect_rc 3
expect_out ""
run note churn ''
expect_rc 2
run stage due other 2026-02-01
expect_rc 4
expect_err_has "closed"

begin "export and import keep every event: the timeline is the same after a round trip"
run log --format csv
WANT=$OUT
copy_store again
grep -q '  - kind: note' "$T_DIR/all.yaml" || _fail "no note in the export"
run --db "$COPY" log --format csv
expect_out "$WANT"
run --db "$COPY" export -o "$T_DIR/again.yaml"
cmp -s "$T_DIR/all.yaml" "$T_DIR/again.yaml" || _fail "the second export differs"

finish
