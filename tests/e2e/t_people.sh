# People are people, not strings: one person per name whatever its case
# and spacing, person add/set/list/show/rename/merge, role reassign,
# report people --over, --person by person (aiproj(1): person, role).
. "$(dirname "$0")/lib.sh"

export AIPROJ_NOW=2026-02-03T04:05:06.789Z
T=$AIPROJ_NOW
NBSP=$(printf '\302\240')

# crlf: CSV's line ends made plain, for exact comparisons

# refused CODE ARGS... : exit CODE, one error line, store unchanged
refused() {
	_code=$1
	shift
	snap
	run "$@"
	expect_rc "$_code"
	expect_one_line_error
	expect_unchanged
}

run project create churn
run project create fraud
run project create old

begin "role assign: one person whatever the case and the spaces, shown as first written"
run role assign churn sponsor 'Eli Park'
expect_rc 0
expect_out "Assigned 'Eli Park' as sponsor on 'churn'"
run role assign churn ai-engineer 'eli  park'
expect_out "Assigned 'Eli Park' as ai-engineer on 'churn'"
run role assign fraud sponsor "ELI${NBSP}PARK"
expect_out "Assigned 'Eli Park' as sponsor on 'fraud'"
run role assign churn data-analyst 'Ana Lima'
run role assign old sponsor 'Ana Lima'
run project close old --reason gone
expect_rc 0
run role show churn
expect_out "ROLE             PERSON                           SINCE                    NOTE
ai-engineer      Eli Park                         $T 
data-analyst     Ana Lima                         $T 
sponsor          Eli Park                         $T "

begin "role assign: the same person again in another spelling is a conflict (exit 5), nothing changes"
refused 5 role assign churn sponsor 'eli park'
expect_err "aiproj: error: 'Eli Park' is already assigned as sponsor on project 'churn'"

begin "role unassign: the person in any spelling"
run role assign churn devops 'Dee Ng'
run role unassign churn devops 'DEE  NG'
expect_rc 0
expect_out "Unassigned 'Dee Ng' from devops on 'churn'"
refused 3 role unassign churn devops 'dee ng'
expect_err "aiproj: error: 'Dee Ng' is not assigned as devops on project 'churn'"

begin "person add: email and handle; the same person in another spelling is exit 5"
run person add 'Bo Chen' --email bo@example.com --handle @bo
expect_rc 0
expect_err ""
expect_out "Added person 'Bo Chen'"
refused 5 person add 'ana  LIMA'
expect_err "aiproj: error: person 'ana  LIMA' already exists, as 'Ana Lima'"

begin "person add: bad names, emails and handles are refused before the store (exit 2)"
refused 2 person add "Bad$(printf '\342\200\256')Name"
expect_err "aiproj: error: person name holds the invisible format character U+202E; it could make the name display as another, so it is not allowed"
refused 2 person add "Zed$(printf '\342\200\213')"
expect_err_has "U+200B"
refused 2 person add Cy --email nope
expect_err "aiproj: error: invalid email 'nope': expected NAME@DOMAIN"
refused 2 person add Cy --email 'c y@example.com'
expect_err "aiproj: error: invalid email 'c y@example.com': printable ASCII without spaces only"
refused 2 person add Cy --handle "c${NBSP}y"
expect_err_has "invalid handle"

begin "person set: email or handle ('' clears); neither is exit 2; nobody is exit 3"
run person set 'ana  lima' --handle @ana
expect_rc 0
expect_out "Person 'Ana Lima': handle @ana"
run person set 'Bo Chen' --email '' --format json
expect_out '{
  "aiproj": 1,
  "person": "Bo Chen",
  "email": null,
  "handle": "@bo",
  "changed": true
}'
run person set 'Bo Chen' --email bo@example.com
expect_out "Person 'Bo Chen': email bo@example.com"
refused 2 person set 'Bo Chen'
expect_err "aiproj: error: person set needs --email EMAIL or --handle HANDLE ('' clears one)"
refused 3 person set nobody --handle x
expect_err "aiproj: error: no person 'nobody' (aiproj person list)"

begin "person list: every format"
run person list
expect_rc 0
expect_out "PERSON           EMAIL          HANDLE PROJECTS ROLES SINCE
Ana Lima                        @ana   2        2     $T
Bo Chen          bo@example.com @bo    0        0     $T
Dee Ng                                 0        0     $T
Eli Park                               2        3     $T"
run person list --format csv
crlf
expect_out "person,email,handle,projects,roles,since
Ana Lima,,'@ana,2,2,$T
Bo Chen,bo@example.com,'@bo,0,0,$T
Dee Ng,,,0,0,$T
Eli Park,,,2,3,$T"
run person list --format markdown
expect_out "| PERSON | EMAIL | HANDLE | PROJECTS | ROLES | SINCE |
|---|---|---|---|---|---|
| Ana Lima |  | @ana | 2 | 2 | $T |
| Bo Chen | bo@example.com | @bo | 0 | 0 | $T |
| Dee Ng |  |  | 0 | 0 | $T |
| Eli Park |  |  | 2 | 3 | $T |"
run person list --format json
jq_out '[.people[] | "\(.name)|\(.email)|\(.handle)|\(.projects)|\(.roles)"] | join(" ")' \
	"Ana Lima|null|@ana|2|2 Bo Chen|bo@example.com|@bo|0|0 Dee Ng|null|null|0|0 Eli Park|null|null|2|3"
run person list --format yaml
expect_out_has "- name: Bo Chen
  email: bo@example.com
  handle: '@bo'
  projects: 0
  roles: 0
  since: \"$T\""

begin "gate approve: the person approves, in any spelling; person show lists it"
run --actor 'ELI  PARK' gate approve churn
expect_rc 0
expect_out "Approved the gate of feasibility on 'churn' as sponsor"
run person show 'eli park'
expect_rc 0
expect_out "Person: Eli Park
Since:  $T

Roles:
PROJECT ROLE        STAGE       STATUS NOW             SINCE
churn   ai-engineer feasibility active R (on the hook) $T
churn   sponsor     feasibility active A (on the hook) $T
fraud   sponsor     feasibility active A (on the hook) $T
On the hook now: 2 projects

Approved:
AT                       PROJECT STAGE       ROLE    NOTE
$T churn   feasibility sponsor 

History:
  nothing recorded"
run person show 'Ana Lima' --format json
jq_out '[.roles[] | "\(.project):\(.role):\(.raci):\(.on_the_hook)"] | join(" ")' \
	"churn:data-analyst:C:false old:sponsor:A:false"
jq_out '.on_the_hook' 0
jq_out '.handle' '@ana'
refused 3 person show nobody
expect_err "aiproj: error: no person 'nobody' (aiproj person list)"

begin "report people --over N: only those on the hook for more than N"
run report people --over 1
expect_rc 0
expect_out "PERSON   PROJECT ROLE        ON THE HOOK NOW
Eli Park churn   ai-engineer R feasibility (sole)
         churn   sponsor     A feasibility (sole)
         fraud   sponsor     A feasibility (sole)

On the hook now: A accountable or R responsible for the project's current
stage; (sole): the only person in that role - a single point of failure."
run report people --over 3
expect_out "Nobody is on the hook for more than 3."
run report people --over 0 --format csv --all
crlf
expect_out "person,project,status,role,stage,raci_now,on_the_hook,sole
Eli Park,churn,active,ai-engineer,feasibility,R,yes,yes
Eli Park,churn,active,sponsor,feasibility,A,yes,yes
Eli Park,fraud,active,sponsor,feasibility,A,yes,yes"
# projects, not roles: Eli holds three roles on two projects
run report people --over 1 --format json
jq_out '[.people[].person] | unique | join(",")' "Eli Park"
run report people --over 2 --format json
jq_out '.people | length' 0
run report people --totals --format json
jq_out '.people[] | select(.person == "Eli Park") | "\(.projects) \(.accountable) \(.responsible) \(.on_the_hook)"' "2 2 1 2"
refused 2 report people --over -1

begin "--person: the person in any spelling, Unicode spaces too"
run project list --all --person "ANA${NBSP}${NBSP}lima"
expect_rc 0
expect_out "PROJECT                  STAGE                STATUS   ENTERED
churn                    feasibility          active   $T
old                      feasibility          closed   $T"
run report people --person "eli park${NBSP}" --format csv
crlf
expect_out "person,project,status,role,stage,raci_now,on_the_hook,sole
Eli Park,churn,active,ai-engineer,feasibility,R,yes,yes
Eli Park,churn,active,sponsor,feasibility,A,yes,yes
Eli Park,fraud,active,sponsor,feasibility,A,yes,yes"

begin "person rename: roles follow, the approval still counts"
run person rename 'eli park' 'Elias Park'
expect_rc 0
expect_out "Renamed person 'Eli Park' to 'Elias Park'"
run role show fraud
expect_out "ROLE             PERSON                           SINCE                    NOTE
sponsor          Elias Park                       $T "
run --format json gate show churn
jq_out '.criteria[] | select(.kind == "approval") | .done' true
jq_out '[.approvals[] | .counts] | @csv' 'true'
run gate show churn
expect_out_has "approval sponsor by"
expect_out_lacks "withdrawn"
run person rename 'Elias Park' 'ELIAS PARK'
expect_out "Renamed person 'Elias Park' to 'ELIAS PARK'"
refused 5 person rename 'elias park' 'ana lima'
expect_err "aiproj: error: person 'ana lima' already exists (aiproj person merge joins two)"
refused 2 person rename 'ELIAS PARK' 'ELIAS PARK'
expect_err "aiproj: error: 'ELIAS PARK' is already the name"
refused 3 person rename nobody x
refused 2 person rename 'ELIAS PARK' ' spaced'

begin "a name another person had is theirs whatever its case and spacing: a new person under it is exit 5"
# 'Eli Park' is an other name of ELIAS PARK now: what was recorded under it
# counts for them, so no one else may be called so in another spelling
refused 5 person add 'ELI  park'
expect_err "aiproj: error: 'ELI  park' is another name of 'ELIAS PARK' (written 'Eli Park'): what was recorded under it counts for them (choose a name no one has had, or aiproj person merge joins two)"
refused 5 person add 'Eli Park'
expect_err "aiproj: error: 'Eli Park' is another name of 'ELIAS PARK': what was recorded under it counts for them (choose a name no one has had, or aiproj person merge joins two)"
refused 5 person rename 'ana lima' 'ELI PARK'
# their own other name is theirs to take back, in any spelling (in a
# store of its own: the rest of this file reads this store's history)
_o=$(new_store own)
run --db "$_o" person add 'Eli Park'
run --db "$_o" person rename 'Eli Park' 'Elias Park'
run --db "$_o" person rename 'Elias Park' 'ELI park'
expect_rc 0
expect_out "Renamed person 'Elias Park' to 'ELI park'"

begin "merging stores: another name of one person that is another's name, in any spelling, is refused both ways"
_x=$(new_store xnames)
_y=$(new_store ynames)
run --db "$_x" project create px
run --db "$_x" role assign px sponsor Ann
run --db "$_x" person rename Ann Anna
run --db "$_y" project create py
run --db "$_y" role assign py sponsor ann
snap "$_y"
run --db "$_x" copy --to "$_y" --merge
expect_rc 5
expect_err_has "'Ann' is the name of another person, whatever its case and spacing"
expect_unchanged "$_y"
snap "$_x"
run --db "$_y" copy --to "$_x" --merge
expect_rc 5
expect_err_has "'ann' is another name of 'Anna' (written 'Ann')"
expect_unchanged "$_x"

begin "person merge: roles, names and history move; the approval still counts"
refused 2 person merge 'Bo Chen' 'bo  chen'
expect_err "aiproj: error: 'Bo Chen' and 'bo  chen' are the same person"
refused 3 person merge 'Bo Chen' nobody
run person merge 'elias park' 'Bo Chen'
expect_rc 0
expect_out "Merged 'ELIAS PARK' into 'Bo Chen' (3 roles moved)"
run --format json gate show churn
jq_out '.criteria[] | select(.kind == "approval") | .done' true
jq_out '[.approvals[] | .counts] | @csv' 'true'
run gate show churn
expect_out_has "approval sponsor by"
expect_out_lacks "withdrawn"
run person show 'bo chen'
expect_out "Person: Bo Chen
Email:  bo@example.com
Handle: @bo
Since:  $T

Roles:
PROJECT ROLE        STAGE       STATUS NOW             SINCE
churn   ai-engineer feasibility active R (on the hook) $T
churn   sponsor     feasibility active A (on the hook) $T
fraud   sponsor     feasibility active A (on the hook) $T
On the hook now: 2 projects

Approved:
AT                       PROJECT STAGE       ROLE    NOTE
$T churn   feasibility sponsor 

History:
AT                       WHAT   DETAIL                           BY
$T add    email bo@example.com, handle @bo tester
$T set    email cleared                    tester
$T set    email bo@example.com             tester
$T rename 'Eli Park'                       tester
$T rename 'Elias Park'                     tester
$T merge  'ELIAS PARK'                     tester"
refused 3 person show 'Elias Park'

begin "role reassign: one project, one role, or every open project"
run role reassign 'Bo Chen' 'Fay Wu' --project fraud
expect_rc 0
expect_out "Reassigned 1 role from 'Bo Chen' to 'Fay Wu': fraud sponsor"
run log fraud --format csv
crlf
expect_out "at,project,event,actor,what,note
$T,fraud,created,-,at feasibility,
$T,fraud,assign,-,sponsor: Fay Wu,
$T,fraud,unassign,tester,sponsor: Eli Park,renamed 'Elias Park'
$T,fraud,unassign,tester,sponsor: Elias Park,renamed 'ELIAS PARK'
$T,fraud,unassign,tester,sponsor: ELIAS PARK,merged into 'Bo Chen'
$T,fraud,unassign,tester,sponsor: Bo Chen,"
refused 3 role reassign 'Bo Chen' 'Fay Wu' --role devops
expect_err "aiproj: error: 'Bo Chen' holds no role devops on an open project to reassign"
refused 4 role reassign 'ana lima' 'Fay Wu' --project old
expect_err "aiproj: error: cannot reassign a role: project 'old' is closed"
refused 2 role reassign 'bo chen' 'BO CHEN'
refused 3 role reassign nobody 'Fay Wu'
refused 3 role reassign 'Bo Chen' 'Fay Wu' --role nosuch
run role reassign 'Bo Chen' 'ana lima' --format json
expect_out '{
  "aiproj": 1,
  "from": "Bo Chen",
  "to": "Ana Lima",
  "reassigned": [
    {
      "project": "churn",
      "role": "ai-engineer"
    },
    {
      "project": "churn",
      "role": "sponsor"
    }
  ]
}'
run --format json person show 'Ana Lima'
jq_out '[.history[] | "\(.kind):\(.subject):\(.detail)"] | join(" ")' \
	"set:null:handle @ana reassign:Bo Chen:churn ai-engineer, churn sponsor"
jq_out '.on_the_hook' 1 # one project, two roles on it

begin "__complete: person names from the person table"
run __complete next -- person show ''
expect_rc 0
expect_out "Ana Lima
Bo Chen
Dee Ng
Fay Wu"

begin "export: every person after the projects, with since, other names and history"
run person set 'Fay Wu' --email fay@example.com
run export
expect_rc 0
# (Dee Ng holds no role and has no email or handle: listed all the same)
printf '%s\n' "$OUT" | sed -n '/^people:$/,$p' >"$T_DIR/people.got"
cat >"$T_DIR/people.want" <<EOF
people:
- name: Ana Lima
  email: null
  handle: '@ana'
  since: "$T"
  history:
  - kind: set
    subject: null
    detail: handle @ana
    actor: tester
    at: "$T"
  - kind: reassign
    subject: Bo Chen
    detail: churn ai-engineer, churn sponsor
    actor: tester
    at: "$T"
- name: Bo Chen
  email: bo@example.com
  handle: '@bo'
  since: "$T"
  names:
  - ELIAS PARK
  - Eli Park
  - Elias Park
  history:
  - kind: add
    subject: null
    detail: email bo@example.com, handle @bo
    actor: tester
    at: "$T"
  - kind: set
    subject: null
    detail: email cleared
    actor: tester
    at: "$T"
  - kind: set
    subject: null
    detail: email bo@example.com
    actor: tester
    at: "$T"
  - kind: rename
    subject: Eli Park
    detail: null
    actor: tester
    at: "$T"
  - kind: rename
    subject: Elias Park
    detail: null
    actor: tester
    at: "$T"
  - kind: merge
    subject: ELIAS PARK
    detail: null
    actor: tester
    at: "$T"
- name: Dee Ng
  email: null
  handle: null
  since: "$T"
- name: Fay Wu
  email: fay@example.com
  handle: null
  since: "$T"
  history:
  - kind: reassign
    subject: Bo Chen
    detail: fraud sponsor
    actor: tester
    at: "$T"
  - kind: set
    subject: null
    detail: email fay@example.com
    actor: tester
    at: "$T"
end:
  projects: 3
EOF
cmp -s "$T_DIR/people.want" "$T_DIR/people.got" ||
	_fail "the export does not end with its people, then the end record" "$(diff "$T_DIR/people.want" "$T_DIR/people.got" | head -20)"
run export churn
expect_rc 0
case $OUT in
*"
people:
- name: Ana Lima
  email: null
  handle: '@ana'
  since: \"$T\"
  history:
  - kind: set"*"
end:
  projects: 1") ;;
*) _fail "an export of churn does not start its people with Ana Lima, or does not end with the end record" ;;
esac
# (its people: who holds a role in churn, and who holds none anywhere)
run --format json export churn
jq_out '[.people[].name] | join(",")' "Ana Lima,Bo Chen,Dee Ng"

begin "import: the people round-trip byte for byte, approvals of renamed people too"
run export -o "$T_DIR/all.yaml"
expect_rc 0
COPY=$(new_store copy)
run --db "$COPY" import "$T_DIR/all.yaml"
expect_rc 0
expect_out "Imported $T_DIR/all.yaml: 3 created, 0 replaced, 0 unchanged"
run --db "$COPY" export -o "$T_DIR/again.yaml"
cmp -s "$T_DIR/all.yaml" "$T_DIR/again.yaml" || _fail "the round trip changed the export" "$(diff "$T_DIR/all.yaml" "$T_DIR/again.yaml" | head -10)"
run --db "$COPY" person list --format csv
crlf
expect_out "person,email,handle,projects,roles,since
Ana Lima,,'@ana,2,4,$T
Bo Chen,bo@example.com,'@bo,0,0,$T
Dee Ng,,,0,0,$T
Fay Wu,fay@example.com,,1,1,$T"
run --db "$COPY" import "$T_DIR/all.yaml"
expect_out "Imported $T_DIR/all.yaml: 0 created, 0 replaced, 3 unchanged"

begin "import: a bad or twice-listed person is refused, nothing imported"
EMPTY=$(new_store empty)
sed 's/^  email: fay@example.com$/  email: fay/' "$T_DIR/all.yaml" >"$T_DIR/bad.yaml"
snap "$EMPTY"
run --db "$EMPTY" import "$T_DIR/bad.yaml"
expect_rc 6
expect_err_has "invalid email 'fay': expected NAME@DOMAIN"
expect_unchanged "$EMPTY"
# (the people come before the end record)
sed '/^end:$/i - name: fay  WU\n  email: null\n  handle: '"'@f'" "$T_DIR/all.yaml" >"$T_DIR/twice.yaml"
run --db "$EMPTY" import "$T_DIR/twice.yaml"
expect_rc 6
expect_err_has "person 'fay  WU' is listed twice (as 'Fay Wu')"
expect_unchanged "$EMPTY"

begin "a store from before people: its names become people, merged by the key"
UP=$(new_store up)
run --db "$UP" project create p1
run --db "$UP" project create p2
run --db "$UP" role assign p1 sponsor 'Gil Moss'
run --db "$UP" --actor 'Gil Moss' gate approve p1
expect_rc 0
# (what came after the feed, people included: later_sql)
later=$(later_sql)
if is_file_store; then
	sqlite3 "$UP" "$later
		INSERT INTO assignment (project_id, role, person, assigned_at) SELECT id, 'sponsor', 'gil  moss', '2026-03-01T00:00:00.000Z' FROM project WHERE name = 'p2';
		INSERT INTO assignment (project_id, role, person, assigned_at) SELECT id, 'devops', 'GIL MOSS', '2026-03-01T00:00:00.000Z' FROM project WHERE name = 'p1';
		INSERT INTO assignment (project_id, role, person, assigned_at) SELECT id, 'ai-engineer', 'Hal Ode', '2026-03-01T00:00:00.000Z' FROM project WHERE name = 'p1';
		PRAGMA user_version = 9" || _fail "cannot make a version-9 store"
else
	_psql "$UP" -c "$later
		INSERT INTO assignment (project_id, role, person, assigned_at) SELECT id, 'sponsor', 'gil  moss', '2026-03-01T00:00:00.000Z' FROM project WHERE name = 'p2';
		INSERT INTO assignment (project_id, role, person, assigned_at) SELECT id, 'devops', 'GIL MOSS', '2026-03-01T00:00:00.000Z' FROM project WHERE name = 'p1';
		INSERT INTO assignment (project_id, role, person, assigned_at) SELECT id, 'ai-engineer', 'Hal Ode', '2026-03-01T00:00:00.000Z' FROM project WHERE name = 'p1';
		UPDATE meta SET value = '9' WHERE key = 'schema_version'" ||
		_fail "cannot make a version-9 store"
fi
run --db "$UP" person list --format csv
expect_rc 0
expect_err ""
crlf
expect_out "person,email,handle,projects,roles,since
Gil Moss,,,2,3,$T
Hal Ode,,,1,1,2026-03-01T00:00:00.000Z
$AIPROJ_ACTOR,,,0,0,$T"
run --db "$UP" role show p1
expect_out "ROLE             PERSON                           SINCE                    NOTE
ai-engineer      Hal Ode                          2026-03-01T00:00:00.000Z 
devops           Gil Moss                         2026-03-01T00:00:00.000Z 
sponsor          Gil Moss                         $T "
run --db "$UP" --format json person show 'GIL MOSS'
jq_out '[.approvals[] | .project + ":" + .as] | join(",")' "p1:Gil Moss"
run --db "$UP" verify
expect_rc 0

begin "person rename and merge: the feed and the log keep the name an assignment was made to"
run project create feed1
run role assign feed1 devops 'Gil Ray'
expect_rc 0
run --format json events feed1
before=$(printf '%s\n' "$OUT" | jq -c 'select(.event == "assign")')
run person rename 'Gil Ray' 'Gil Rae'
expect_rc 0
run person add 'Hal Oz'
run person merge 'gil rae' 'Hal Oz'
expect_rc 0
run --format json events feed1
after=$(printf '%s\n' "$OUT" | jq -c 'select(.event == "assign")')
[ -n "$before" ] && [ "$before" = "$after" ] || _fail "an assign event changed" "$before
$after"
run log feed1 --format csv
crlf
expect_out "at,project,event,actor,what,note
$T,feed1,created,-,at feasibility,
$T,feed1,assign,-,devops: Gil Ray,
$T,feed1,unassign,tester,devops: Gil Ray,renamed 'Gil Rae'
$T,feed1,unassign,tester,devops: Gil Rae,merged into 'Hal Oz'"
run --format json role show feed1
jq_out '.assignments[] | select(.role == "devops") | .person' "Hal Oz"

finish
