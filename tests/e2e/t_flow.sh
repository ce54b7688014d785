# Dates and flow over time (issue 17): a 20-project portfolio built at fixed
# times (AIPROJ_NOW), then each question a portfolio manager asks answered
# by one command, no jq, its output checked byte for byte: who is
# overloaded, where the gaps are, what is stuck longest, which projects
# jumped back most, which are overdue, and how the work flowed week by
# week.  Also stage check --on-time, stage history's days with the clock
# stopped at hold and close, and gate show's who and when.  On either store.
. "$(dirname "$0")/lib.sh"


# The weeks start on Mondays 2026-01-05, -12, -19 and -26; now is
# 2026-01-30 (a Friday).
# project  created         moves                                       people
# p01-p08  p01-p04 Jan 5-8, stay at 1 feasibility                       Ana Lima ai-engineer (8 projects)
#          the rest Jan 9
#                          p01 due Jan 20 (10 days late), p02 due Feb 15
#                          p05 on hold Jan 13, resumed Jan 20; p06 closed Jan 16 (due Jan 10)
# p09-p12  Jan 5-8         2 data-preparation on Jan 12                Bo Chen data-engineer
#                          p10 due Jan 25 (5 days late)
# p13-p14  Jan 9           3 prototyping-testing on Jan 14             Cy Diaz devops
#          (all the rest are created on Jan 9)
# p15-p16  Jan 9           4 productization on Jan 20; p16 back to 2 on Jan 22
# p17      Jan 9           to 4 on Jan 21, back to 1 on Jan 23, to 2 and back to 1 on Jan 27
# p18-p20  Jan 9           stay at 1; p18-p20 sponsor Eli Park
begin "the 20-project portfolio builds"
day() { AIPROJ_NOW="2026-01-$1T09:00:00.000Z"; export AIPROJ_NOW; }
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20; do
	case $i in
	01 | 09) d=05 ;;
	02 | 10) d=06 ;;
	03 | 11) d=07 ;;
	04 | 12) d=08 ;;
	*) d=09 ;;
	esac
	day "$d"
	ok project create "p$i"
	case $i in
	0[1-8]) ok role assign "p$i" ai-engineer 'Ana Lima' ;;
	09 | 1[0-2]) ok role assign "p$i" data-engineer 'Bo Chen' ;;
	1[3-4]) ok role assign "p$i" devops 'Cy Diaz' ;;
	1[8-9] | 20) ok role assign "p$i" sponsor 'Eli Park' ;;
	esac
done
day 09; ok stage due p01 2026-01-20; ok stage due p02 2026-02-15
ok stage due p06 2026-01-10
day 12; for p in p09 p10 p11 p12; do fwd $p 1; done
ok stage due p10 2026-01-25
day 13; ok project hold p05 --reason 'waiting for data'
day 14; fwd p13 2; fwd p14 2; fwd p15 2; fwd p16 2
day 16; ok project close p06 --reason cancelled
day 20; ok project resume p05; fwd p15 1; fwd p16 1
day 21; fwd p17 3
day 22; ok stage back p16 --to data-preparation --reason 'bad data'
day 23; ok stage back p17 --to feasibility --reason redo
day 27; fwd p17 1; ok stage back p17 --to feasibility --reason again
AIPROJ_NOW=2026-01-30T09:00:00.000Z; export AIPROJ_NOW
run project list --all --format csv
[ "$(printf '%s\n' "$OUT" | grep -c '^p[0-9]')" = 20 ] || _fail "not 20 projects" "$OUT"

begin "overload: report people --person names everything Ana Lima is on the hook for"
run report people --person 'ana lima' --limit 3
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
PERSON   PROJECT ROLE        ON THE HOOK NOW
Ana Lima p01     ai-engineer R feasibility (sole)
         p02     ai-engineer R feasibility (sole)
         p03     ai-engineer R feasibility (sole)

On the hook now: A accountable or R responsible for the project's current
stage; (sole): the only person in that role - a single point of failure.
EOF
)"

begin "gaps: report gaps --stage 4, now and ahead"
run report gaps --stage 4 --format csv
expect_rc 0
expect_err ""
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "$(cat <<'EOF'
project,status,stage_number,stage,stages_ahead,role,raci
p15,active,4,productization,0,data-engineer,A
p15,active,4,productization,0,ai-engineer,R
p15,active,4,productization,0,devops,R
p15,active,5,deployment,1,devops,A
EOF
)"

begin "stuck longest: report status --sort -days --limit 3"
run report status --sort -days --limit 3 --format csv
expect_rc 0
expect_err ""
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "$(cat <<'EOF'
project,status,stage_number,stage,days_in_stage,gate,back_jumps,gaps,later_gaps,due,days_overdue
p01,active,1,feasibility,25.0,1/9,0,sponsor,7,2026-01-20,10
p02,active,1,feasibility,24.0,1/9,0,sponsor,7,2026-02-15,0
p03,active,1,feasibility,23.0,1/9,0,sponsor,7,,0
EOF
)"

begin "back-jumps: report status --sort -back_jumps,name --limit 3"
run --wide report status --sort -back_jumps,name --limit 3
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
PROJECT STATUS STAGE              DAYS GATE BACK GAPS            LATER DUE        LATE
p17     active 1 feasibility      3.0  0/9  2    sponsor +1      9     -          -
p16     active 2 data-preparation 8.0  0/6  1    data-analyst +1 7     -          -
p01     active 1 feasibility      25.0 1/9  0    sponsor         7     2026-01-20 10
EOF
)"

begin "overdue: report status --overdue (markdown), soonest due first"
run report status --overdue --sort due --format markdown
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
| Project | Status | Stage | Days in stage | Gate | Back-jumps | Gaps | Later gaps | Due | Days overdue |
|---|---|---|---|---|---|---|---|---|---|
| p01 | active | 1 feasibility | 25.0 | 1/9 | 0 | sponsor | 7 | 2026-01-20 | 10 |
| p10 | active | 2 data-preparation | 18.0 | 1/6 | 0 | data-analyst | 5 | 2026-01-25 | 5 |
EOF
)"
# the same filter on project list; a closed project is never overdue
run project list --overdue --all
expect_rc 0
expect_out "$(cat <<'EOF'
PROJECT                  STAGE                STATUS   ENTERED
p01                      feasibility          active   2026-01-05T09:00:00.000Z
p10                      data-preparation     active   2026-01-12T09:00:00.000Z
EOF
)"
# --sort -due: the latest due first, those without one still last
run report status --sort -due --limit 3 --format csv
OUT=$(printf '%s\n' "$OUT" | tr -d '\r' | cut -d, -f1,10,11)
expect_out "$(cat <<'EOF'
project,due,days_overdue
p02,2026-02-15,0
p10,2026-01-25,5
p01,2026-01-20,10
EOF
)"

begin "flow per week: report flow --by week --since 2026-01-05"
run report flow --by week --since 2026-01-05
expect_rc 0
expect_err ""
expect_out "$(cat <<'EOF'
Flow of 20 projects by week, 2026-01-05 to 2026-02-01

STAGE                 IN OUT BACK IN BACK OUT MEDIAN P90 WIP
1 feasibility         22 10  2       0        5.0    7.0 11
2 data-preparation    11 6   1       1        0.0    0.0 5
3 prototyping-testing 5  3   0       0        6.0    6.0 2
4 productization      3  2   0       2        2.0    2.0 1
5 deployment          0  0   0       0        -      -   0

IN, OUT: projects that entered, left the stage; BACK IN, OUT: back-jumps into,
out of it; MEDIAN, P90: days of the visits that ended (nearest rank, time on
hold not counted); WIP: projects in it at the end.

WEEK OF       1   2   3   4   5
2026-01-05 0/20 0/0 0/0 0/0 0/0
2026-01-12 8/11 4/4 0/4 0/0 0/0
2026-01-19 1/11 1/5 3/2 2/1 0/0
2026-01-26 1/11 1/5 0/2 0/1 0/0

Each stage: projects that left it in the week / projects in it at the end of the
week (or now).
EOF
)"

begin "report flow: the same numbers as CSV, JSON and YAML"
run report flow --by week --since 2026-01-19 --stage 1 --format csv
expect_rc 0
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "$(cat <<'EOF'
period,stage_number,stage,entries,exits,back_in,back_out,visits,median_days,p90_days,wip
all,1,feasibility,2,2,2,0,2,4.0,12.0,11
all,2,data-preparation,2,2,0,1,2,0.0,0.0,0
all,3,prototyping-testing,1,1,0,0,1,0.0,0.0,0
all,4,productization,1,1,0,1,1,2.0,2.0,0
all,5,deployment,0,0,0,0,0,,,0
2026-01-19,1,feasibility,1,1,1,0,1,12.0,12.0,11
2026-01-19,2,data-preparation,1,1,0,0,1,0.0,0.0,0
2026-01-19,3,prototyping-testing,1,1,0,0,1,0.0,0.0,0
2026-01-19,4,productization,1,1,0,1,1,2.0,2.0,0
2026-01-19,5,deployment,0,0,0,0,0,,,0
2026-01-26,1,feasibility,1,1,1,0,1,4.0,4.0,11
2026-01-26,2,data-preparation,1,1,0,1,1,0.0,0.0,0
2026-01-26,3,prototyping-testing,0,0,0,0,0,,,0
2026-01-26,4,productization,0,0,0,0,0,,,0
2026-01-26,5,deployment,0,0,0,0,0,,,0
EOF
)"
run report flow --by month --format json
expect_rc 0
jq_out '[.since, .until, .by, .projects, (.periods | length)] | @csv' \
	'"2025-02-01","2026-01-31","month",20,12'
jq_out '[.stages[] | .wip] | @csv' '11,5,2,1,0'
jq_out '.periods[11].stages[0] | [.entries, .exits, .median_days, .p90_days] | @csv' \
	'22,10,5,7'
run report flow --by month --format yaml
expect_rc 0
expect_out_has "by: month"

begin "report flow: unknown period, a date that is not one: exit 2; a year before 1000 written with four digits"
run report flow --by year
expect_rc 2
expect_err_has "invalid period 'year': expected week or month"
run report flow --since 2026-13-01
expect_rc 2
expect_err_has "invalid date '2026-13-01'"
run report flow --since 0999-01-01 --until 0999-03-01 --by month --format json
expect_rc 0
jq_out '[.since, .until] | @csv' '"0999-01-01","0999-03-31"'

begin "stage check --on-time fails when the current stage is overdue"
run stage check p01 --on-time
expect_rc 1
expect_out "$(cat <<'EOF'
p01: 1 of 1 conditions do not hold
  FAIL on-time: due 2026-01-20, 10 days overdue
EOF
)"
run stage check p02 --on-time --is 1
expect_rc 0
expect_out "$(cat <<'EOF'
p02: all 2 conditions hold
  ok   is feasibility: at feasibility
  ok   on-time: due 2026-02-15
EOF
)"
run stage check p03 --on-time --format json
expect_rc 0
jq_out '.conditions[0] | [.name, .holds, .detail] | @csv' '"on-time",true,"no due date"'

begin "stage history: days of each visit, the clock stopped at hold and close"
run stage history p05
expect_rc 0
expect_out "$(cat <<'EOF'
AT                       TRANSITION        DAYS HELD KIND    ACTOR        REASON
2026-01-30T09:00:00.000Z in feasibility    14.0 7.0  now     -            
EOF
)"
run --wide stage history p16
expect_rc 0
expect_out "$(cat <<'EOF'
AT                       TRANSITION                                 DAYS HELD KIND    ACTOR        REASON
2026-01-14T09:00:00.000Z feasibility -> data-preparation            5.0  0.0  forced  tester       go
2026-01-14T09:00:00.000Z data-preparation -> prototyping-testing    0.0  0.0  forced  tester       go
2026-01-20T09:00:00.000Z prototyping-testing -> productization      6.0  0.0  forced  tester       go
2026-01-22T09:00:00.000Z productization -> data-preparation         2.0  0.0  back    tester       bad data
2026-01-30T09:00:00.000Z in data-preparation                        8.0  0.0  now     -            
EOF
)"
run stage history p06 --format json
expect_rc 0
jq_out '[.days_in_stage, .held_days, (.transitions | length)] | @csv' '7,0,0'

begin "gate show: who ticked each criterion and who approved, and when"
day 28
ok role assign p18 ai-engineer 'Ana Lima'
ok --actor 'Bo Chen' gate done p18 2 --note 'checked'
ok --actor 'Eli Park' gate approve p18
AIPROJ_NOW=2026-01-30T09:00:00.000Z; export AIPROJ_NOW
run gate show p18
expect_rc 0
expect_out_has "$(cat <<'EOF'
  [x] 2                 Goals set for feedback
                        ticked by Bo Chen on 2026-01-28 09:00
EOF
)"
expect_out_has "$(cat <<'EOF'
  [x] approval          approved by the sponsor since the stage was entered
                        approved by Eli Park (sponsor) on 2026-01-28 09:00
EOF
)"
run gate show p18 --format json
expect_rc 0
jq_out '[.criteria[] | select(.id == "2") | .done_by, .done_at] | @csv' \
	'"Bo Chen","2026-01-28T09:00:00.000Z"'
jq_out '[.criteria[] | select(.id == "1") | .done_by] | @csv' ''
jq_out '.criteria[] | select(.id == "approval") | .approvals[0] | [.person, .role, .at] | @csv' \
	'"Eli Park","sponsor","2026-01-28T09:00:00.000Z"'


begin "a due date before 1970 is long overdue: stage check --on-time, report status"
ok stage due p18 1926-03-01
run stage check p18 --on-time
expect_rc 1
expect_out "$(cat <<'EOF'
p18: 1 of 1 conditions do not hold
  FAIL on-time: due 1926-03-01, 36495 days overdue
EOF
)"
run report status --format json
expect_rc 0
jq_out '.projects[] | select(.project == "p18") | [.due, .overdue, .days_overdue] | @csv' \
	'"1926-03-01",true,36495'
ok stage due p18 0000-01-01
run stage check p18 --on-time --format json
expect_rc 1
jq_out '.conditions[0] | [.holds, .detail] | @csv' \
	'false,"due 0000-01-01, 740011 days overdue"'
run project list --overdue
expect_out_has "p18"

finish
