# CLI front end: help, usage errors, global options and their forms.
. "$(dirname "$0")/lib.sh"

USAGE='usage: aiproj [--db PATH] [--format FMT] [--actor NAME] [-q] COMMAND [ARGS]'
CREATE_USAGE='usage: aiproj project create NAME [--description TEXT]'
LIST_USAGE='usage: aiproj project list [--stage STAGE] [--status active|on-hold|closed|all] [--all] [--person PERSON] [--role ROLE] [--stale DAYS] [--overdue] [--sort FIELDS] [--limit N]'

# first line of stdout / stderr
out_line1() { printf '%s\n' "$OUT" | head -n 1; }
err_line1() { printf '%s\n' "$ERR" | head -n 1; }
expect_out_line1() {
	[ "$(out_line1)" = "$1" ] || _fail "first stdout line differs" "expected: $1"
}
expect_err_line1() {
	[ "$(err_line1)" = "$1" ] || _fail "first stderr line differs" "expected: $1"
}
expect_err_lacks() {
	case $ERR in *"$1"*) _fail "stderr has: $1";; esac
}
# no store file was created by a command that only prints help or fails early
expect_no_store() {
	[ ! -e "$AIPROJ_DB" ] || _fail "store was created: $AIPROJ_DB"
}

# ---- help ----

begin "--help prints the full usage on stdout, exit 0"
run --help
expect_rc 0
expect_err ""
expect_out_line1 "$USAGE"
expect_out_has "  project create "
expect_out_has "  stage advance "
expect_out_has "Global options:"
expect_out_has "Exit status:"
HELP=$OUT
expect_no_store

begin "-h prints the same usage as --help"
run -h
expect_rc 0
expect_err ""
expect_out "$HELP"

begin "'aiproj help' prints the same usage as --help"
run help
expect_rc 0
expect_err ""
expect_out "$HELP"

begin "'aiproj help project create' prints the command's usage on stdout"
run help project create
expect_rc 0
expect_err ""
expect_out_line1 "$CREATE_USAGE"
expect_out_has "example:"
expect_out_has "aiproj project create churn-model"
CHELP=$OUT
expect_no_store

begin "'aiproj project create --help' equals 'aiproj help project create'"
run project create --help
expect_rc 0
expect_err ""
expect_out "$CHELP"
expect_no_store

begin "-h after the command words also gives the command's help"
run project create -h
expect_rc 0
expect_err ""
expect_out "$CHELP"

begin "--help wins over arguments: nothing is created"
run project create helpme --help
expect_rc 0
expect_out "$CHELP"
expect_no_store

begin "'aiproj help project' and 'aiproj project --help' print the group usage"
run help project
expect_rc 0
expect_err ""
expect_out_line1 "usage: aiproj project COMMAND [ARGS]"
expect_out_has "  aiproj project create NAME [--description TEXT]"
expect_out_has "  aiproj project delete NAME --yes"
GHELP=$OUT
run project --help
expect_rc 0
expect_err ""
expect_out "$GHELP"

begin "'aiproj --help project' prints the group usage too (global --help first)"
run --help project
expect_rc 0
expect_err ""
expect_out "$GHELP"

begin "'aiproj help init' works for a command without subcommands"
run help init
expect_rc 0
expect_err ""
expect_out_line1 "usage: aiproj init [--policy open|roles] [--lifecycle FILE]"

begin "'aiproj help help' explains help rather than failing"
run help help
expect_rc 0
expect_err ""
expect_out_has "usage: aiproj"

begin "'aiproj help NOSUCH' is a usage error"
run help nosuch
expect_rc 2
expect_out ""
expect_err_line1 "aiproj: error: unknown command 'nosuch'"

begin "'aiproj help project NOSUCH' is a usage error naming the subcommand"
run help project nosuch
expect_rc 2
expect_out ""
expect_err_has "aiproj: error: "
expect_err_has "'nosuch'"

begin "--version works before and after the command words"
run --version
expect_rc 0
expect_err ""
V=$OUT
case $V in "aiproj "[0-9]*) ;; *) _fail "version line: $V";; esac
run project list --version
expect_rc 0
expect_err ""
expect_out "$V"
expect_no_store

# ---- usage errors ----

begin "no command: usage on stderr, nothing on stdout, exit 2"
run
expect_rc 2
expect_out ""
expect_err_line1 "$USAGE"
[ "$(printf '%s\n' "$ERR" | tail -n 1)" = "aiproj: error: no command given" ] ||
	_fail "last stderr line is not 'aiproj: error: no command given'"
expect_no_store

begin "no command after global options is still exit 2"
run --format=json
expect_rc 2
expect_out ""
expect_err '{"aiproj":1,"error":{"code":2,"message":"no command given"}}'
expect_no_store
run --format=text
expect_rc 2
expect_err_has "aiproj: error: no command given"
expect_no_store

begin "unknown command near a real one suggests it"
run projct list
expect_rc 2
expect_out ""
expect_err "aiproj: error: unknown command 'projct'; did you mean 'project'?
Run 'aiproj --help' for the commands."
expect_no_store

begin "unknown command far from any: no suggestion, usage line"
run zzzzzzzz
expect_rc 2
expect_out ""
expect_err "aiproj: error: unknown command 'zzzzzzzz'
$USAGE
Run 'aiproj --help' for the commands."

begin "unknown subcommand: exit 2, names it and the group"
run project frobnicate
expect_rc 2
expect_out ""
expect_err_has "aiproj: error: unknown subcommand 'frobnicate' for 'project'"
expect_err_has "  aiproj project create NAME"
expect_no_store

begin "unknown subcommand near a real one suggests it"
run project creat x
expect_rc 2
expect_out ""
expect_err "aiproj: error: unknown subcommand 'creat' for 'project'; did you mean 'create'?"
expect_no_store

begin "a group without a subcommand: exit 2"
run project
expect_rc 2
expect_out ""
expect_err_has "aiproj: error: 'project' needs a subcommand"

begin "unknown global option: exit 2, usage line on stderr"
run --bogus project list
expect_rc 2
expect_out ""
expect_err "aiproj: error: unknown option '--bogus'
$USAGE
Run 'aiproj --help' for the commands."
expect_no_store

begin "unknown short option: exit 2"
run -x project list
expect_rc 2
expect_out ""
expect_err_line1 "aiproj: error: unknown option '-x'"

begin "unknown command option: exit 2, the command's usage line on stderr"
run project list --bogus
expect_rc 2
expect_out ""
expect_err "aiproj: error: unknown option '--bogus' for 'project list'
$LIST_USAGE
Run 'aiproj project list --help' for more."
expect_no_store

begin "an option of another command is unknown here"
run project list --reason x
expect_rc 2
expect_out ""
expect_err_line1 "aiproj: error: unknown option '--reason' for 'project list'"

begin "missing argument: exit 2 with the usage line"
run project create
expect_rc 2
expect_out ""
expect_err_has "aiproj: error: missing argument"
expect_err_has "$CREATE_USAGE"
expect_no_store

begin "missing second argument of rename: exit 2"
run project rename onlyone
expect_rc 2
expect_out ""
expect_err_has "aiproj: error: missing argument"
expect_err_has "usage: aiproj project rename OLD NEW"

begin "extra argument: exit 2, names it, nothing created"
run project create a b
expect_rc 2
expect_out ""
expect_err "aiproj: error: unexpected argument 'b' for 'project create'
$CREATE_USAGE
Run 'aiproj project create --help' for more."
expect_no_store

begin "missing option value: exit 2"
run --db
expect_rc 2
expect_out ""
expect_err_line1 "aiproj: error: missing value for option '--db'"
run project list --stage
expect_rc 2
expect_out ""
expect_err_line1 "aiproj: error: missing value for option '--stage' for 'project list'"
expect_no_store

begin "a flag given a value: exit 2"
run project list --all=yes
expect_rc 2
expect_out ""
expect_err_line1 "aiproj: error: option takes no value '--all=yes' for 'project list'"

begin "--format bad: exit 2, one-line error naming the format"
run --format bad project list
expect_rc 2
expect_out ""
expect_one_line_error
expect_err_has "'bad'"
expect_err_has "json"
expect_no_store

begin "--format bad after the command: exit 2"
run project list --format=bad
expect_rc 2
expect_out ""
expect_one_line_error
expect_err_has "'bad'"

# ---- output formats ----

begin "--format json: one valid JSON object with \"aiproj\": 1 (list, create, show)"
run init
expect_rc 0
run --format json project list
expect_rc 0
expect_err ""
printf '%s' "$OUT" | jq -e 'type == "object"' >/dev/null 2>&1 || _fail "not one JSON object"
jq_out '.aiproj' 1
jq_out '.projects | length' 0
run --format json project create j1
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
jq_out '.project' j1
run --format json project show j1
expect_rc 0
jq_out '.aiproj' 1
jq_out '.project' j1
run --format json project list
jq_out '.aiproj' 1
jq_out '[.projects[].project] | join(",")' j1

begin "--format json for init: \"aiproj\": 1, the store path"
run --format json init
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
jq_out '.store' "$AIPROJ_DB"

begin "--format=json and --format json give the same bytes"
run project create f1
run --format=json project show f1
A1=$OUT
run --format json project show f1
expect_rc 0
expect_out "$A1"

begin "--format text is the default"
run project create t1
run project list
T1=$OUT
run --format text project list
expect_rc 0
expect_out "$T1"
expect_out_has "PROJECT"

begin "project list takes --format yaml, csv and markdown (aiproj(1) --format)"
run project create y1
run --format yaml project list
expect_rc 0
expect_err ""
expect_out_has "aiproj: 1"
expect_out_has "y1"
run --format csv project list
expect_rc 0
expect_err ""
expect_out_has "y1"
run --format markdown project list
expect_rc 0
expect_err ""
expect_out_has "| y1"

begin "markdown: a name is text, never HTML ('<' and '&' as entities, '|' escaped)"
run role assign y1 sponsor '<img src=x onerror=alert(1)> R&D | ops'
expect_rc 0
run --format markdown report roles y1
expect_rc 0
expect_out_has "&lt;img src=x onerror=alert(1)> R&amp;D \\| ops"
expect_out_lacks "<img"
run --format markdown report people
expect_rc 0
expect_out_has "&lt;img src=x onerror=alert(1)> R&amp;D \\| ops"
expect_out_lacks "<img"

# ---- option value forms and positions ----

begin "--db=PATH and --db PATH both select the store"
run --db="$T_DIR/eq.db" init
expect_rc 0
expect_err ""
expect_out "Initialized empty aiproj store at $T_DIR/eq.db"
run --db "$T_DIR/sp.db" init
expect_rc 0
expect_err ""
expect_out "Initialized empty aiproj store at $T_DIR/sp.db"
{ [ -f "$T_DIR/eq.db" ] && [ -f "$T_DIR/sp.db" ]; } || _fail "stores not created"
run --db "$T_DIR/sp.db" project create onsp
run --db="$T_DIR/sp.db" project list
expect_rc 0
expect_out_has "onsp"
run --db="$T_DIR/eq.db" project list
expect_out "No projects."

begin "global options after the command words"
run project list --format json
expect_rc 0
expect_err ""
jq_out '.aiproj' 1
run project create late --db "$T_DIR/late.db" -q
expect_rc 0
expect_out ""
expect_err ""
run project list --db="$T_DIR/late.db" --format=json
expect_rc 0
jq_out '[.projects[].project] | join(",")' late

begin "the last of a repeated option wins"
run --format text project list --format json
expect_rc 0
jq_out '.aiproj' 1

begin "-q prints nothing on success"
run -q project create quiet1
expect_rc 0
expect_out ""
expect_err ""
run --quiet project list
expect_rc 0
expect_out ""
expect_err ""
run project show quiet1 -q
expect_rc 0
expect_out ""
expect_err ""
run -q --format json project show quiet1
expect_rc 0
expect_out ""
run project show quiet1
expect_rc 0
expect_out_has "quiet1"

begin "-q still reports errors on stderr"
snap
run -q project create quiet1
expect_rc 5
expect_out ""
expect_err "aiproj: error: project 'quiet1' already exists"
expect_unchanged

# the actor shows in the recorded decision (project show --format json)
begin "--actor beats AIPROJ_ACTOR"
run project create act
runsh "AIPROJ_ACTOR=envperson \"\$AIPROJ\" --actor 'Opt Person' decide act make --cost 1 --reason r"
expect_rc 0
run --format json project show act
jq_out '.decision.actor' "Opt Person"

begin "AIPROJ_ACTOR is used without --actor"
runsh "AIPROJ_ACTOR=envperson \"\$AIPROJ\" decide act make --cost 2 --reason r"
expect_rc 0
run --format json project show act
jq_out '.decision.actor' envperson

begin "--actor after the command words"
run decide act make --cost 3 --reason r --actor=late-actor
expect_rc 0
run --format json project show act
jq_out '.decision.actor' late-actor

begin "without --actor and AIPROJ_ACTOR the login name acts"
runsh "unset AIPROJ_ACTOR; \"\$AIPROJ\" decide act make --cost 4 --reason r"
expect_rc 0
run --format json project show act
jq_out '.decision.actor' "$(id -un)"

begin "an invalid actor is a usage error, nothing written"
snap
run --actor "$(printf 'bad\001actor')" decide act make --cost 5 --reason r
expect_rc 2
expect_out ""
expect_one_line_error
expect_err_has "actor"
expect_unchanged
runsh "AIPROJ_ACTOR=\"\$(printf 'x\\001')\" \"\$AIPROJ\" decide act make --cost 5 --reason r"
expect_rc 2
expect_one_line_error
expect_unchanged

# ---- -- ends options ----

begin "-- ends options: a following --all is an argument"
run project list -- --all
expect_rc 2
expect_out ""
expect_err_line1 "aiproj: error: unexpected argument '--all' for 'project list'"

begin "-- ends options: '-x' after it is a (bad) name, not an option"
snap
run project create -- -x
expect_rc 2
expect_out ""
expect_one_line_error
expect_err_has "invalid project name '-x'"
expect_unchanged

begin "-- before the command words"
run -- project list --format json
expect_rc 0
jq_out '.aiproj' 1

begin "an option value may start with a dash"
run project create dashdesc --description -starts-with-dash
expect_rc 0
run --format json project show dashdesc
jq_out '.description' "-starts-with-dash"

finish
