# Monitoring's rules, every command agreeing: a breach is open while its
# KPI's latest reading still misses the target in force now (kpi set
# re-judges it), the project has not gone back since, and is not closed
# (closing ends monitoring); the log shows a KPI's target at creation; a
# removed KPI's name is refused with why.
. "$(dirname "$0")/lib.sh"

ok init 2>/dev/null
export AIPROJ_NOW=2026-04-01T09:00:00.000Z

begin "setup: deployed, release live, a reading in breach"
ok project create kb
ok kpi add kb lat --target '< 100'
fwd kb 4
ok release add kb 1.0
run kpi record kb lat 500
expect_rc 0
expect_out "KPI 'lat' on 'kb': 500 (breach: misses target < 100 while 1.0 is live)"
run stage check kb --kpis
expect_rc 1
run --format json stage check kb --kpis
jq_out '.conditions[0].detail' "lat in breach since 2026-04-01T09:00:00.000Z: latest 500 misses < 100"
run --format json report status
jq_out '.projects[0].open_breaches' 1

begin "kpi set to a target the reading meets closes the breach: list, check, report, page, back agree"
ok kpi set kb lat --target '< 1000' --reason relax
run --format json kpi list kb
jq_out '.kpis[0].meets_target' true
run stage check kb --kpis
expect_rc 0
expect_out "kb: all 1 conditions hold
  ok   kpis: all 1 KPIs meet their targets"
run --format json report status
jq_out '.projects[0].open_breaches' 0
run report status
expect_out_lacks "open breach"
run report page -o "$T_DIR/p.html"
expect_rc 0
grep -q 'data-breaches="0"' "$T_DIR/p.html" || _fail "the page counts a breach"
snap
run stage back kb --breach
expect_rc 4
expect_err "aiproj: error: cannot move 'kb' back for a breach: no breach is open (aiproj kpi history kb)"
expect_unchanged

begin "a target the reading misses too reopens it, named with the target in force"
ok kpi set kb lat --target '< 200' --reason tighter
run --format json kpi list kb
jq_out '.kpis[0].meets_target' false
run stage check kb --kpis
expect_rc 1
run --format json stage check kb --kpis
jq_out '.conditions[0].detail' "lat in breach since 2026-04-01T09:00:00.000Z: latest 500 misses < 200"
run --format json report status
jq_out '.projects[0].open_breaches' 1
run --format json stage back kb --breach
expect_rc 0
jq_out .reason "breach of lat: 500 misses < 200 (since 2026-04-01T09:00:00.000Z)"

begin "closing a project ends its monitoring: report, check and page count no breach"
ok project create kc
ok kpi add kc auc --target '>= 0.8'
fwd kc 4
ok release add kc 1.0
ok kpi record kc auc 0.5
run --format json report status --all
jq_out '[.projects[] | select(.project == "kc") | .open_breaches] | .[0]' 1
ok release retire kc 1.0 --reason 'switched off'
run report status --all
expect_out_has "kc  no release live, 1 open breach"
ok project close kc --reason 'retired'
run --format json report status --all
jq_out '[.projects[] | select(.project == "kc") | .open_breaches] | .[0]' 0
run report status --all
expect_out_lacks "kc  no release live"
run --format json stage check kc --kpis
expect_rc 1
jq_out '[.conditions[] | select(.name == "kpis") | .detail] | .[0]' "auc latest 0.5 misses >= 0.8"
run report page --all -o "$T_DIR/c.html"
expect_rc 0
grep -q 'data-breaches="1"' "$T_DIR/c.html" && _fail "the page counts a closed project's breach"
run --format json kpi history kc auc
jq_out '[.history[].result] | join(",")' ",breach"

begin "log and events: a KPI's creation row shows its target then, not now"
ok project create kl
ok kpi add kl auc --target '>= 0.8'
ok kpi set kl auc --target '>= 0.4' --reason lower
ok kpi set kl auc --target '>= 0.5' --reason higher
run --format json log kl
jq_out '[.events[] | select(.event | startswith("kpi")) | "\(.event) \(.detail) \(.value)"] | join(",")' \
	"kpi >= 0.8,kpi-set >= 0.4,kpi-set >= 0.5"
run --format json events kl
expect_rc 0
got=$(printf '%s\n' "$OUT" | jq -r 'select(.event | startswith("kpi")) | "\(.event) \(.detail) \(.value)"' | tr '\n' ,)
[ "$got" = "kpi >= 0.8,kpi-set >= 0.4,kpi-set >= 0.5," ] || _fail "events: $got"
run kpi history kl auc
expect_out_has ">= 0.8"

begin "a removed KPI: record, add, set and remove say it was removed"
ok kpi remove kl auc --reason 'measured elsewhere'
snap
for cmd in "kpi record kl auc 1" "kpi add kl auc --target >=1" "kpi set kl auc --target >=1" "kpi remove kl auc --reason again"; do
	# shellcheck disable=SC2086 # the words of the command
	run $cmd
	case $cmd in "kpi add"*) expect_rc 5 ;; *) expect_rc 3 ;; esac
	expect_err "aiproj: error: KPI 'auc' on project 'kl' was removed at 2026-04-01T09:00:00.000Z (aiproj kpi history kl auc): its name cannot be used again; add a KPI under another name"
done
expect_unchanged
run kpi record kl nope 1
expect_rc 3
expect_err "aiproj: error: no KPI 'nope' on project 'kl' (add it with 'aiproj kpi add')"
ok kpi add kl auc2 --target '>= 0.8'

finish
