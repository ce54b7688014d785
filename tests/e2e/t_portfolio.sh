# Portfolio answers without jq (issue 17): a 20-project portfolio built at
# fixed times (AIPROJ_NOW), then one command per question, its output
# checked byte for byte: stuck longest, most back-jumps, gaps now and
# ahead, stale projects, filters by stage, status, person and role, sort
# and limit, the overloaded (report people --over), the overdue, the flow
# per week; unknown filter values are refused with exit 2 and the valid
# ones listed.  On either store.
. "$(dirname "$0")/lib.sh"


# project  created  now (2026-02-15)                 people
# p01-p05  day 1-5  1 feasibility                    Ana Lima (ai-engineer); Eli Park sponsor of p01, p02
#                   p03 on hold (day 10), p04 closed (day 12)
# p06-p10  day 6-10 2 data-preparation (day 21)      Bo Chen (data-engineer; data-analyst of p06); Eli Park sponsor of p06
# p11-p15           3 prototyping-testing (day 22)   'eli park' sponsor of p11
#                   p12 back to 2 (day 26)
# p16-p18           4 productization (day 23)        Cy Diaz (devops); 'Eli  Park' data-engineer of p16
# p19               5 deployment (day 24)            Cy Diaz (devops)
# p20               1 feasibility, two back-jumps (days 25, 27)
begin "the 20-project portfolio builds"
day() { AIPROJ_NOW="2026-01-$1T09:00:00.000Z"; export AIPROJ_NOW; }
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
	day $i
	ok project create "p$i"
	case $i in
	0[1-5]) ok role assign "p$i" ai-engineer 'Ana Lima' ;;
	0[6-9] | 10) ok role assign "p$i" data-engineer 'Bo Chen' ;;
	1[6-9]) ok role assign "p$i" devops 'Cy Diaz' ;;
	esac
done
day 01; ok role assign p01 sponsor 'Eli Park'
day 02; ok role assign p02 sponsor 'Eli Park'
day 06; ok role assign p06 sponsor 'Eli Park'; ok role assign p06 data-analyst 'Bo Chen'
day 11; ok role assign p11 sponsor 'eli park'
day 16; ok role assign p16 data-engineer 'Eli  Park'
day 10; ok project hold p03 --reason 'waiting for data'
day 12; ok project close p04 --reason 'cancelled'
day 21; for p in p06 p07 p08 p09 p10; do fwd $p 1; done
day 22; for p in p11 p12 p13 p14 p15; do fwd $p 2; done
day 23; for p in p16 p17 p18; do fwd $p 3; done
day 24; fwd p19 4
day 25; fwd p20 2; ok stage back p20 --to feasibility --reason redo
day 26; ok stage back p12 --to data-preparation --reason 'bad data'
day 27; fwd p20 1; ok stage back p20 --to feasibility --reason 'again'
AIPROJ_NOW=2026-02-15T09:00:00.000Z; export AIPROJ_NOW

begin "stuck longest: report status --sort -days --limit 5"
# the five longest in their stage; p04 is closed, so left out
run report status --sort '-days' --limit 5
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
PROJECT STATUS  STAGE              DAYS GATE BACK GAPS    LATER
p01     active  1 feasibility      45.0 2/9  0    -       7
p02     active  1 feasibility      44.0 2/9  0    -       7
p03     on-hold 1 feasibility      43.0 1/9  0    sponsor 7
p05     active  1 feasibility      41.0 1/9  0    sponsor 7
p06     active  2 data-preparation 25.0 2/6  0    -       5
EOF
)"

begin "stuck longest by the index (--sort -days --limit N) as by a sort of every project"
# -days alone with a limit, over projects not closed, walks the index of
# entered_at; -days,name sorts every project: the same rows, ties by name
for f in "" "--stage 2" "--status on-hold" "--role data-engineer" "--stage 1 --stage 3 --stale 10"; do
	# shellcheck disable=SC2086 # the filter's words
	run report status --sort -days --limit 7 $f --format csv
	expect_rc 0
	fast=$OUT
	# shellcheck disable=SC2086
	run report status --sort -days,name --limit 7 $f --format csv
	[ "$fast" = "$OUT" ] || _fail "--sort -days --limit 7 $f differs from -days,name" "$fast
---
$OUT"
done

begin "most back-jumps: --sort -back_jumps,name --limit 3 (csv)"
# p20 jumped back twice, p12 once; then by name
run report status --sort '-back_jumps,name' --limit 3 --format csv
expect_rc 0
expect_err ""
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "$(cat <<'EOF'
project,status,stage_number,stage,days_in_stage,gate,back_jumps,gaps,later_gaps,due,days_overdue
p20,active,1,feasibility,19.0,0/9,2,"sponsor,ai-engineer",9,,0
p12,active,2,data-preparation,20.0,0/6,1,"data-analyst,data-engineer",7,,0
p01,active,1,feasibility,45.0,2/9,0,,7,,0
EOF
)"

begin "gaps at one stage: report gaps --stage productization"
# p16 has its data-engineer (Eli  Park) and devops; p17 and p18 only devops
run report gaps --stage productization
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
PROJECT STAGE            ROLE          RACI WHEN
p16     4 productization ai-engineer   R    now
p17     4 productization data-engineer A    now
p17     4 productization ai-engineer   R    now
p18     4 productization data-engineer A    now
p18     4 productization ai-engineer   R    now
EOF
)"

begin "gaps soonest first, two projects: report gaps --limit 2 (csv)"
# p01 and p02 are staffed now: their gaps start one stage ahead
run report gaps --limit 2 --format csv
expect_rc 0
expect_err ""
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "$(cat <<'EOF'
project,status,stage_number,stage,stages_ahead,role,raci
p01,active,2,data-preparation,1,data-analyst,R
p01,active,2,data-preparation,1,data-engineer,A
p02,active,2,data-preparation,1,data-analyst,R
p02,active,2,data-preparation,1,data-engineer,A
p01,active,3,prototyping-testing,2,data-engineer,R
p01,active,3,prototyping-testing,2,data-scientist,A
p02,active,3,prototyping-testing,2,data-engineer,R
p02,active,3,prototyping-testing,2,data-scientist,A
p01,active,4,productization,3,data-engineer,A
p01,active,4,productization,3,devops,R
p02,active,4,productization,3,data-engineer,A
p02,active,4,productization,3,devops,R
p01,active,5,deployment,4,devops,A
p02,active,5,deployment,4,devops,A
EOF
)"

begin "stale: --stale 30 --sort activity"
# nothing since before 2026-01-16: p03's last activity is its hold (day 10)
run report status --stale 30 --sort activity
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
PROJECT STATUS  STAGE         DAYS GATE BACK GAPS    LATER
p01     active  1 feasibility 45.0 2/9  0    -       7
p02     active  1 feasibility 44.0 2/9  0    -       7
p05     active  1 feasibility 41.0 1/9  0    sponsor 7
p03     on-hold 1 feasibility 43.0 1/9  0    sponsor 7
EOF
)"

begin "two stages, by stage then name descending: project list"
# --stage repeats and takes prefixes and numbers
run project list --stage 2 --stage proto --sort 'stage,-name'
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
PROJECT                  STAGE                STATUS   ENTERED
p12                      data-preparation     active   2026-01-26T09:00:00.000Z
p10                      data-preparation     active   2026-01-21T09:00:00.000Z
p09                      data-preparation     active   2026-01-21T09:00:00.000Z
p08                      data-preparation     active   2026-01-21T09:00:00.000Z
p07                      data-preparation     active   2026-01-21T09:00:00.000Z
p06                      data-preparation     active   2026-01-21T09:00:00.000Z
p15                      prototyping-testing  active   2026-01-22T09:00:00.000Z
p14                      prototyping-testing  active   2026-01-22T09:00:00.000Z
p13                      prototyping-testing  active   2026-01-22T09:00:00.000Z
p11                      prototyping-testing  active   2026-01-22T09:00:00.000Z
EOF
)"

begin "one person in any case and spacing: report people --person 'ELI  PARK'"
# three spellings of one name are one person, shown as first written
run report people --person 'ELI  PARK' --format csv
expect_rc 0
expect_err ""
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "$(cat <<'EOF'
person,project,status,role,stage,raci_now,on_the_hook,sole
Eli Park,p01,active,sponsor,feasibility,A,yes,yes
Eli Park,p02,active,sponsor,feasibility,A,yes,yes
Eli Park,p06,active,sponsor,data-preparation,I,no,no
Eli Park,p11,active,sponsor,prototyping-testing,I,no,no
Eli Park,p16,active,data-engineer,productization,A,yes,yes
EOF
)"

begin "the same filter on report status (markdown)"
run report status --person 'eli park' --format markdown
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
| Project | Status | Stage | Days in stage | Gate | Back-jumps | Gaps | Later gaps | Due | Days overdue |
|---|---|---|---|---|---|---|---|---|---|
| p01 | active | 1 feasibility | 45.0 | 2/9 | 0 | - | 7 | - | - |
| p02 | active | 1 feasibility | 44.0 | 2/9 | 0 | - | 7 | - | - |
| p06 | active | 2 data-preparation | 25.0 | 2/6 | 0 | - | 5 | - | - |
| p11 | active | 3 prototyping-testing | 24.0 | 0/8 | 0 | data-engineer,data-scientist,ai-engineer | 4 | - | - |
| p16 | active | 4 productization | 23.0 | 2/9 | 0 | ai-engineer | 0 | - | - |
EOF
)"

begin "--status on-hold"
run report status --status 'on-hold'
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
PROJECT STATUS  STAGE         DAYS GATE BACK GAPS    LATER
p03     on-hold 1 feasibility 43.0 1/9  0    sponsor 7
EOF
)"

begin "--status closed (json)"
run report status --status closed --format json
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
{
  "aiproj": 1,
  "projects": [
    {
      "project": "p04",
      "status": "closed",
      "stage": "feasibility",
      "stage_number": 1,
      "entered_at": "2026-01-04T09:00:00.000Z",
      "status_at": "2026-01-12T09:00:00.000Z",
      "days_in_stage": 8,
      "gate": {
        "met": 1,
        "total": 9,
        "passed": false
      },
      "back_jumps": 0,
      "gaps": [],
      "later_gaps": [],
      "due": null,
      "overdue": false,
      "days_overdue": 0,
      "live": null,
      "open_breaches": 0
    }
  ]
}
EOF
)"

begin "--role devops on report people, by name descending"
# Cy Diaz is the sole devops of four projects
run report people --role devops --sort '-name' --format csv
expect_rc 0
expect_err ""
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "$(cat <<'EOF'
person,project,status,role,stage,raci_now,on_the_hook,sole
Cy Diaz,p19,active,devops,deployment,A,yes,yes
Cy Diaz,p18,active,devops,productization,R,yes,yes
Cy Diaz,p17,active,devops,productization,R,yes,yes
Cy Diaz,p16,active,devops,productization,R,yes,yes
EOF
)"

begin "--role and --stage together on report gaps (yaml)"
# projects at feasibility with a sponsor: p11 has moved on, the last by name is p02
run report gaps --role sponsor --stage 1 --sort '-name' --limit 1 --format yaml
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
aiproj: 1
gaps:
- project: p02
  status: active
  stage: data-preparation
  stage_number: 2
  stages_ahead: 1
  role: data-analyst
  raci: R
- project: p02
  status: active
  stage: data-preparation
  stage_number: 2
  stages_ahead: 1
  role: data-engineer
  raci: A
- project: p02
  status: active
  stage: prototyping-testing
  stage_number: 3
  stages_ahead: 2
  role: data-engineer
  raci: R
- project: p02
  status: active
  stage: prototyping-testing
  stage_number: 3
  stages_ahead: 2
  role: data-scientist
  raci: A
- project: p02
  status: active
  stage: productization
  stage_number: 4
  stages_ahead: 3
  role: data-engineer
  raci: A
- project: p02
  status: active
  stage: productization
  stage_number: 4
  stages_ahead: 3
  role: devops
  raci: R
- project: p02
  status: active
  stage: deployment
  stage_number: 5
  stages_ahead: 4
  role: devops
  raci: A
EOF
)"

begin "unknown sort field, status, role, stage, bad limit: exit 2, the valid ones listed"
run report status --sort -days,bogus
expect_rc 2
expect_out ""
expect_err "aiproj: error: invalid sort field 'bogus': expected name, stage, status, days, back_jumps, activity, due (-FIELD: descending)"
run report gaps --status done
expect_rc 2
expect_err "aiproj: error: invalid status 'done': expected active, on-hold, closed or all"
run report people --role boss
expect_rc 2
expect_err "aiproj: error: unknown role 'boss' (one of: sponsor, data-analyst, data-engineer, data-scientist, ai-engineer, devops)"
run project list --stage nine
expect_rc 2
expect_err "aiproj: error: unknown stage 'nine' (one of: feasibility, data-preparation, prototyping-testing, productization, deployment)"
run report roles --limit 0
expect_rc 2
expect_one_line_error
expect_err_has "limit"
run report status --sort name,stage,days
expect_rc 2
expect_err "aiproj: error: invalid sort 'name,stage,days': at most 2 fields"

begin "help names the sort fields"
run report status --help
expect_rc 0
expect_out_has "sort fields: name, stage, status, days, back_jumps, activity, due"

begin "person names complete (role assign, --person), each person once"
run __complete next -- report status --person ''
expect_rc 0
expect_out "Ana Lima
Bo Chen
Cy Diaz
Eli Park"
run __complete next -- role assign p01 devops ''
expect_out_has "Cy Diaz"

begin "overloaded: report people --over 3 (csv): on the hook for more than 3"
run report people --over 3 --format csv
expect_rc 0
crlf
expect_out "$(cat <<'EOF'
person,project,status,role,stage,raci_now,on_the_hook,sole
Ana Lima,p01,active,ai-engineer,feasibility,R,yes,yes
Ana Lima,p02,active,ai-engineer,feasibility,R,yes,yes
Ana Lima,p03,on-hold,ai-engineer,feasibility,R,yes,yes
Ana Lima,p05,active,ai-engineer,feasibility,R,yes,yes
Bo Chen,p06,active,data-analyst,data-preparation,R,yes,yes
Bo Chen,p06,active,data-engineer,data-preparation,A,yes,yes
Bo Chen,p07,active,data-engineer,data-preparation,A,yes,yes
Bo Chen,p08,active,data-engineer,data-preparation,A,yes,yes
Bo Chen,p09,active,data-engineer,data-preparation,A,yes,yes
Bo Chen,p10,active,data-engineer,data-preparation,A,yes,yes
Cy Diaz,p16,active,devops,productization,R,yes,yes
Cy Diaz,p17,active,devops,productization,R,yes,yes
Cy Diaz,p18,active,devops,productization,R,yes,yes
Cy Diaz,p19,active,devops,deployment,A,yes,yes
EOF
)"

begin "each person's load: report people --totals"
run report people --totals
expect_rc 0
expect_out "$(cat <<'EOF'
PERSON   PROJECTS ACCOUNTABLE RESPONSIBLE ON THE HOOK
Ana Lima 4        0           4           4
Bo Chen  5        5           1           5
Cy Diaz  4        1           3           4
Eli Park 5        3           0           3

On the hook now: accountable (A) or responsible (R) for a project's
current stage, on an active or held project.
EOF
)"
run report people --totals --over 3 --format json
expect_rc 0
jq_out '[.people[] | "\(.person)=\(.on_the_hook)"] | join(" ")' 'Ana Lima=4 Bo Chen=5 Cy Diaz=4'
run report people --totals --role sponsor --format csv
expect_rc 0
crlf
expect_out "person,projects,accountable,responsible,on_the_hook
Eli Park,4,2,0,2"

begin "overdue: report status --overdue, after two due dates"
day 28; ok stage due p07 2026-02-01; ok stage due p13 2026-03-01
AIPROJ_NOW=2026-02-15T09:00:00.000Z; export AIPROJ_NOW
run report status --overdue
expect_rc 0
expect_out "$(cat <<'EOF'
PROJECT STATUS STAGE           DAYS GATE BACK GAPS         LATER DUE        LATE
p07     active 2               25.0 1/6  0    data-analyst 5     2026-02-01 14
               data-
               preparation
EOF
)"
run stage check p07 --on-time
expect_rc 1
run stage check p13 --on-time
expect_rc 0

begin "flow per week: report flow --by week (csv)"
run report flow --by week --since 2026-01-19 --until 2026-02-01 --format csv
expect_rc 0
crlf
expect_out "$(cat <<'EOF'
period,stage_number,stage,entries,exits,back_in,back_out,visits,median_days,p90_days,wip
all,1,feasibility,4,16,2,0,16,8.0,14.0,5
all,2,data-preparation,17,11,1,1,11,0.0,0.0,6
all,3,prototyping-testing,10,6,0,2,6,0.0,4.0,4
all,4,productization,4,1,0,0,1,0.0,0.0,3
all,5,deployment,1,0,0,0,0,,,1
2026-01-19,1,feasibility,3,15,1,0,15,9.0,14.0,5
2026-01-19,2,data-preparation,15,10,0,0,10,0.0,0.0,5
2026-01-19,3,prototyping-testing,10,5,0,1,5,0.0,0.0,5
2026-01-19,4,productization,4,1,0,0,1,0.0,0.0,3
2026-01-19,5,deployment,1,0,0,0,0,,,1
2026-01-26,1,feasibility,1,1,1,0,1,2.0,2.0,5
2026-01-26,2,data-preparation,2,1,1,1,1,0.0,0.0,6
2026-01-26,3,prototyping-testing,0,1,0,1,1,4.0,4.0,4
2026-01-26,4,productization,0,0,0,0,0,,,3
2026-01-26,5,deployment,0,0,0,0,0,,,1
EOF
)"

begin "the page of the portfolio: every project, its summary line"
run report page -o "$T_DIR/portfolio.html"
expect_rc 0
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
	grep -q ">p$i<" "$T_DIR/portfolio.html" || _fail "p$i is not on the page"
done
grep -q "20 projects: 18 active, 1 on hold, 1 closed; 1 overdue" "$T_DIR/portfolio.html" ||
	_fail "the summary line: $(grep -o '20 projects[^.]*' "$T_DIR/portfolio.html")"

finish
