# Project commands: create, list, show, rename, hold/resume/close, delete,
# and the validation of names and texts.
. "$(dirname "$0")/lib.sh"

export AIPROJ_NOW=2026-01-02T03:04:05.678Z
NOW=$AIPROJ_NOW

# expect_out_glob PATTERN : stdout matches a shell pattern
expect_out_glob() {
	# shellcheck disable=SC2254
	case $OUT in $1) ;; *) _fail "stdout does not match" "pattern: $1";; esac
}

# a failed command: exit RC, nothing on stdout, one-line error, store unchanged
expect_refused() {
	expect_rc "$1"
	expect_out ""
	expect_one_line_error
	expect_unchanged
}

# ---- create ----

begin "project list on an empty store"
run init
expect_rc 0
run project list
expect_rc 0
expect_err ""
expect_out "No projects."
run --format json project list
expect_rc 0
jq_out '.aiproj' 1
jq_out '.projects | length' 0

begin "project create (text)"
run project create churn --description 'Predict churn'
expect_rc 0
expect_err ""
expect_out_glob "Created project 'churn' at stage feasibility ([1-9]* criteria, [0-9]* components)"

begin "project create (JSON keys)"
run --format json project create fraud
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
jq_out '.project' fraud
jq_out '.status' active
jq_out '.stage' feasibility
jq_out '.stage_name' Feasibility
jq_out '.stage_number' 1
jq_out '.description' ""
jq_out '.entered_at' "$NOW"
jq_out '.created_at' "$NOW"
jq_out '.criteria > 0' true

begin "duplicate name: exit 5, unchanged"
snap
run project create churn
expect_refused 5
expect_err "aiproj: error: project 'churn' already exists"

begin "a 64-character name is accepted"
N64=$(printf 'n%.0s' $(seq 64))
run project create "$N64"
expect_rc 0
expect_out_has "'$N64'"
run project delete "$N64" --yes
expect_rc 0

begin "a name of all allowed characters"
run project create 9Aa.b_c-d
expect_rc 0
run project delete 9Aa.b_c-d --yes
expect_rc 0

# ---- bad names ----

bad_name() { # bad_name LABEL NAME
	begin "create refuses a bad name: $1"
	snap
	run project create "$2"
	expect_refused 2
	expect_err_has "project name"
}
bad_name "empty" ""
bad_name "65 characters" "$(printf 'x%.0s' $(seq 65))"
bad_name "../x" "../x"
bad_name "a space" "a b"
bad_name "SQL" "'; DROP TABLE project; --"
bad_name "a newline" "$(printf 'a\nb')"
bad_name "invalid UTF-8" "$(printf 'a\377')"
bad_name "non-ASCII" "$(printf 'caf\303\251')"
bad_name "leading dot" ".hidden"
bad_name "a slash" "a/b"
bad_name "a tab" "$(printf 'a\tb')"

begin "create refuses a bad name: leading dash (after --)"
snap
run project create -- -x
expect_refused 2
expect_err_has "invalid project name '-x'"

begin "bad name errors say what is allowed"
run project create 'a b'
expect_err "aiproj: error: invalid project name 'a b': use 1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit"
run project create ''
expect_err "aiproj: error: project name is empty"
run project create "$(printf 'y%.0s' $(seq 65))"
expect_err_has "65 characters"

begin "after all refusals the store still holds just the two projects"
run --format json project list
jq_out '[.projects[].project] | sort | join(",")' churn,fraud

# ---- descriptions ----

begin "a description of 4096 bytes is accepted"
D4096=$(printf '%4096s' '' | tr ' ' d)
run -q project create d4096 --description "$D4096"
expect_rc 0
run --format json project show d4096
jq_out '.description | length' 4096
run project delete d4096 --yes

begin "a description over 4096 bytes: exit 2, unchanged"
snap
run project create d4097 --description "${D4096}d"
expect_refused 2
expect_err "aiproj: error: description is 4097 bytes long; at most 4096 are allowed"

bad_desc() { # bad_desc LABEL TEXT
	begin "create refuses a description with $1"
	snap
	run project create baddesc --description "$2"
	expect_refused 2
	expect_err_has "description"
}
bad_desc "a control character" "$(printf 'a\001b')"
bad_desc "an escape sequence" "$(printf 'red \033[31mtext')"
bad_desc "DEL" "$(printf 'a\177b')"
bad_desc "a carriage return" "$(printf 'a\rb')"
bad_desc "invalid UTF-8" "$(printf 'a\377b')"

begin "control character error names the character"
run project create baddesc --description "$(printf 'a\001b')"
expect_err "aiproj: error: description holds control character 0x01; only newline and tab are allowed"

begin "newline, tab, UTF-8 and quotes are fine in descriptions"
DESC=$(printf "line one\n\tline 'two'; DROP TABLE project; -- caf\303\251")
run project create texty --description "$DESC"
expect_rc 0
run --format json project show texty
jq_out '.description' "$DESC"
run project list --format json
jq_out '.projects | length' 3

# ---- list ----

begin "project list shows a table"
run project list
expect_rc 0
expect_err ""
expect_out "PROJECT                  STAGE                STATUS   ENTERED
churn                    feasibility          active   $NOW
fraud                    feasibility          active   $NOW
texty                    feasibility          active   $NOW"

begin "project list --format json"
run project list --format json
expect_rc 0
jq_out '.aiproj' 1
jq_out '[.projects[].project] | join(",")' churn,fraud,texty
jq_out '[.projects[].stage] | unique | join(",")' feasibility
jq_out '[.projects[].status] | unique | join(",")' active

begin "project list --stage: slug, prefix, number, display name"
run stage advance fraud --force --reason 'test setup'
expect_rc 0
run project list --stage data
expect_rc 0
expect_err ""
expect_out "PROJECT                  STAGE                STATUS   ENTERED
fraud                    data-preparation     active   $NOW"
run project list --stage data-preparation --format json
jq_out '[.projects[].project] | join(",")' fraud
run project list --stage 2 --format json
jq_out '[.projects[].project] | join(",")' fraud
run project list --stage 'Data preparation' --format json
jq_out '[.projects[].project] | join(",")' fraud
run project list --stage feasibility --format json
jq_out '[.projects[].project] | join(",")' churn,texty

begin "project list --stage with no match"
run project list --stage deployment
expect_rc 0
expect_err ""
expect_out "No projects at deployment."

begin "project list --stage unknown: exit 2, the stages listed; ambiguous prefix: exit 2"
run project list --stage nosuch
expect_rc 2
expect_err_has "(one of: feasibility, data-preparation,"
expect_out ""
expect_one_line_error
expect_err_has "'nosuch'"
run project list --stage p
expect_rc 2
expect_out ""
expect_one_line_error
expect_err_has "ambiguous"

# ---- show ----

begin "project show (text)"
run project show churn
expect_rc 0
expect_err ""
expect_out "Project:     churn
Description: Predict churn
Status:      active
Stage:       1/5 feasibility (Feasibility) since $NOW
Created:     $NOW
People:
  (nobody assigned)
KPIs:
  (none)"

begin "project show (JSON)"
run --format json project show churn
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
jq_out '.project' churn
jq_out '.description' "Predict churn"
jq_out '.status' active
jq_out '.stage' feasibility
jq_out '.entered_at' "$NOW"
jq_out '.created_at' "$NOW"
jq_out '.status_reason' null
jq_out '.decision' null
jq_out '.assignments | length' 0
jq_out '.kpis | length' 0

# ---- rename ----

begin "project rename"
run project create old1
run project rename old1 new1
expect_rc 0
expect_err ""
expect_out "Renamed project 'old1' to 'new1'"
run project show new1
expect_rc 0
run project show old1
expect_rc 3
expect_err "aiproj: error: no project 'old1'"

begin "project rename (JSON)"
run --format json project rename new1 new2
expect_rc 0
jq_out '.aiproj' 1
jq_out '.project' new2
jq_out '.old_name' new1

begin "rename to a taken name: exit 5, unchanged"
snap
run project rename new2 churn
expect_refused 5
expect_err "aiproj: error: project 'churn' already exists"

begin "rename to a bad name: exit 2, unchanged"
snap
run project rename new2 'bad name'
expect_refused 2
expect_err_has "invalid project name 'bad name'"
run project rename new2 ''
expect_refused 2
run project rename new2 "$(printf 'a\nb')"
expect_refused 2

# ---- hold / resume / close ----

begin "hold needs --reason: exit 2, unchanged"
snap
run project hold churn
expect_refused 2
expect_err "aiproj: error: project hold needs --reason TEXT"
run project hold churn --reason ''
expect_refused 2

begin "a reason with a control character: exit 2, unchanged"
snap
run project hold churn --reason "$(printf 'wait\001')"
expect_refused 2
expect_err_has "reason"

begin "hold"
run project hold churn --reason 'waiting for data'
expect_rc 0
expect_err ""
expect_out "Project 'churn' is on-hold: waiting for data"
run --format json project show churn
jq_out '.status' on-hold
jq_out '.status_reason' "waiting for data"

begin "hold twice: exit 4, unchanged"
snap
run project hold churn --reason again
expect_refused 4
expect_err "aiproj: error: cannot hold 'churn': it is already on hold"

begin "an on-hold project is listed without --all"
run project list --format json
jq_out '[.projects[] | select(.project == "churn") | .status] | join(",")' on-hold

begin "resume"
run project resume churn
expect_rc 0
expect_err ""
expect_out "Project 'churn' is active"
run --format json project show churn
jq_out '.status' active

begin "resume an active project: exit 4, unchanged"
snap
run project resume churn
expect_refused 4
expect_err "aiproj: error: cannot resume 'churn': it is not on hold"

begin "hold and resume (JSON)"
run --format json project hold texty --reason r1
expect_rc 0
jq_out '.aiproj' 1
jq_out '.project' texty
jq_out '.status' on-hold
jq_out '.previous_status' active
jq_out '.reason' r1
run --format json project resume texty
expect_rc 0
jq_out '.status' active
jq_out '.previous_status' on-hold

begin "close needs --reason: exit 2, unchanged"
snap
run project close texty
expect_refused 2
expect_err "aiproj: error: project close needs --reason TEXT"

begin "close"
run project close texty --reason 'replaced by vendor tool'
expect_rc 0
expect_err ""
expect_out "Project 'texty' is closed: replaced by vendor tool"

begin "close a closed project: exit 4, unchanged"
snap
run project close texty --reason again
expect_refused 4
expect_err "aiproj: error: cannot close 'texty': it is closed"

begin "a closed project cannot be resumed or held: exit 4, unchanged"
snap
run project resume texty
expect_refused 4
expect_err "aiproj: error: cannot resume 'texty': it is closed"
run project hold texty --reason x
expect_refused 4
expect_err "aiproj: error: cannot hold 'texty': it is closed"

begin "an on-hold project can be closed"
run project create held
run project hold held --reason r
run project close held --reason 'done'
expect_rc 0
expect_out "Project 'held' is closed: done"

begin "project list hides closed projects; --all shows them"
run project list --format json
expect_rc 0
jq_out '[.projects[].project] | join(",")' churn,fraud,new2
run project list --all
expect_rc 0
expect_out_has "texty                    feasibility          closed   $NOW"
expect_out_has "held                     feasibility          closed   $NOW"
run project list --all --format json
jq_out '[.projects[].project] | sort | join(",")' churn,fraud,held,new2,texty
run project list --all --stage feasibility --format json
jq_out '[.projects[].project] | sort | join(",")' churn,held,new2,texty

begin "a closed project can still be shown"
run project show texty
expect_rc 0
expect_out_has "Status:      closed: replaced by vendor tool"

# ---- delete ----

begin "delete without --yes: exit 2, unchanged"
snap
run project delete new2
expect_refused 2
expect_err_has "'new2'"
expect_err_has "--yes"
run project show new2
expect_rc 0

begin "delete --yes"
run project delete new2 --yes
expect_rc 0
expect_err ""
expect_out "Deleted project 'new2'"
run project show new2
expect_rc 3
expect_out ""
expect_err "aiproj: error: no project 'new2'"
run project list --all --format json
jq_out '[.projects[].project] | sort | join(",")' churn,fraud,held,texty

begin "delete --yes (JSON), also of a closed project"
run --format json project delete texty --yes
expect_rc 0
jq_out '.aiproj' 1
jq_out '.project' texty
jq_out '.deleted' true

begin "a deleted name can be used again"
run project create new2
expect_rc 0

# ---- unknown project ----

for v in "show nope" "rename nope other" "hold nope --reason r" "resume nope" \
	"close nope --reason r" "delete nope --yes" "delete nope"; do
	begin "unknown project: project $v -> exit 3, unchanged"
	snap
	# shellcheck disable=SC2086
	run project $v
	expect_refused 3
	expect_err "aiproj: error: no project 'nope'"
done

begin "names are matched exactly (no prefix match)"
snap
run project show chur
expect_refused 3

finish
