#!/bin/sh
# t_export_merge.sh - the export of every project reads each list once for
# the whole portfolio, merged with the projects in name order
# (src/store_export.c): projects whose ids are not in name order (renamed
# ones), projects with no rows in a list beside ones with many, a deleted
# project's place, KPIs whose readings interleave.  The export of every
# project must be the export of each named project (read a project at a
# time), in name order, byte for byte.
. "$(dirname "$0")/lib.sh"

# ids 1..5 in creation order; renames put them out of name order
at 2026-01-01T00:00:00.000Z
run init
for p in zeta alpha mid beta omega; do ok project create "$p"; done
at 2026-01-02T00:00:00.000Z
# zeta: a KPI with readings, a decision, a role, a hold and a resume
ok kpi add zeta auc --target '>= 0.8'
for v in 0.5 0.6 0.7; do ok kpi record zeta auc "$v"; done
ok decide zeta make --cost 100 --reason build
ok role assign zeta sponsor 'Ana Lima'
ok project hold zeta --reason wait
ok project resume zeta
# alpha: a history of many moves, one back
fwd alpha 3
ok stage back alpha --to feasibility --reason redo
ok role assign alpha ai-engineer 'Bo Chen'
ok role assign alpha sponsor 'Ana Lima'
# mid: rows in every list it can have, then deleted with them
ok kpi add mid auc --target '>= 0.8'
ok kpi record mid auc 0.9
fwd mid 1
ok project delete mid --yes
# beta: nothing but what create gives (criteria, components)
# omega: two KPIs whose readings interleave, and a decision
ok kpi add omega latency --target '< 250'
ok kpi add omega auc --target '>= 0.8'
ok kpi record omega latency 300
ok kpi record omega auc 0.7
ok kpi record omega latency 200
ok decide omega make --cost 5 --reason cheap
# names out of id order: the last made first, the second last
ok project rename omega aaa
ok project rename alpha zz-last

begin "export of every project: each named one's export, in name order"
run export
expect_rc 0
all=$OUT
run export aaa beta zeta zz-last
expect_rc 0
[ "$all" = "$OUT" ] || _fail "export differs from the named projects' export" \
	"$(printf '%s\n' "$all" | diff - "$T_DIR/out" | head -20)"

begin "export of every project: each project's lists as stored"
run --format json export
expect_rc 0
jq_out '.projects[] | [.name, (.decisions | length),
	(.kpis | map(.name + ":" + (.readings | map(.value | tostring) | join(","))) | join(" ")),
	(.assignments | map(.role) | join(",")), (.components | length),
	(.criteria | length), (.approvals | length),
	(.history | map(.kind) | join(",")), (.events // [] | map(.kind) | join(","))]
	| map(tostring) | join("|")' \
'aaa|1|auc:0.7 latency:300,200||3|18|0||
beta|0|||3|18|0||
zeta|1|auc:0.5,0.6,0.7|sponsor|3|18|0||hold,resume
zz-last|0||ai-engineer,sponsor|3|18|0|forced,forced,forced,back|'

begin "export of every project: the end record counts them"
run export
expect_rc 0
expect_out_has "end:
  projects: 4"

finish
