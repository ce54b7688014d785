# --format json: an error is one JSON object line on stderr,
# {"aiproj":1,"error":{"code":N,"message":"..."}}, so a script parses one
# format; stdout stays empty and the exit code is the usual one.  stage
# check's "does not hold" (exit 1) is its answer: the document on stdout,
# no error object.
. "$(dirname "$0")/lib.sh"

# jq_err FILTER EXPECTED: jq -r FILTER over stderr, which must be exactly
# one line of JSON
jq_err() {
	[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || _fail "stderr is not one line"
	_got=$(printf '%s' "$ERR" | jq -r "$1" 2>&1) || { _fail "stderr is not JSON for jq '$1'" "$_got"; return; }
	[ "$_got" = "$2" ] || _fail "jq '$1' on stderr gave '$_got', expected '$2'"
}

run project create p
run project create held
run project hold held --reason wait
expect_rc 0

begin "not found (3), usage (2), conflict (5), refused (4): a JSON error, store unchanged"
snap
run --format json project show nope
expect_rc 3
expect_out ""
expect_err '{"aiproj":1,"error":{"code":3,"message":"no project '"'nope'"'"}}'
jq_err '.aiproj' 1
run project show nope --format=json
expect_rc 3
jq_err '[.error.code, .error.message] | map(tostring) | join("|")' "3|no project 'nope'"
run --format json project create 'a b'
expect_rc 2
jq_err '.error.code' 2
jq_err '.error.message | startswith("invalid project name")' true
run --format json project create p
expect_rc 5
expect_out ""
jq_err '.error.message' "project 'p' already exists"
run --format json stage advance held --force --reason r
expect_rc 4
jq_err '.error | "\(.code) \(.message)"' "4 cannot advance 'held': project is on-hold; only active projects move"
run --format json stage advance p
expect_rc 4
jq_err '.error.code' 4
expect_unchanged

begin "a multi-line message is one line of JSON with its newlines escaped"
snap
run --format json project list --bogus
expect_rc 2
expect_out ""
jq_err '.error.message' "unknown option '--bogus' for 'project list'
usage: aiproj project list [--stage STAGE] [--status active|on-hold|closed|all] [--all] [--person PERSON] [--role ROLE] [--stale DAYS] [--overdue] [--sort FIELDS] [--limit N]
Run 'aiproj project list --help' for more."
run --format json stage advance p
jq_err '.error.message | split("\n") | length > 1' true
# no usage text beside the object
run --format json project
expect_rc 2
expect_err '{"aiproj":1,"error":{"code":2,"message":"'"'project'"' needs a subcommand"}}'
run --format json
expect_rc 2
expect_err '{"aiproj":1,"error":{"code":2,"message":"no command given"}}'
expect_unchanged

begin "bad input (6): quotes, backslashes and bytes that are not UTF-8 stay valid JSON"
printf 'projects: [\xff' >"$T_DIR/bad\"q\\.yaml"
snap
run --format json import "$T_DIR/bad\"q\\.yaml"
expect_rc 6
expect_out ""
jq_err '.error.code' 6
jq_err '.error.message | startswith("'"$T_DIR"'/bad\"q\\.yaml:")' true
run --format json import "$T_DIR/$(printf 'no\377such')"
expect_rc 3
jq_err '.error.message' "cannot read '$T_DIR/no?such': No such file or directory"
expect_unchanged

begin "stage check that does not hold: its document on stdout, no error object"
run --format json stage check p --gate
expect_rc 1
expect_err ""
jq_out '.holds' false
run --format json stage check nope --gate
expect_rc 3
expect_out ""
jq_err '.error.code' 3

begin "-q prints no result, and still the error as JSON"
run -q --format json project show nope
expect_rc 3
expect_out ""
jq_err '.error.code' 3

begin "the last --format wins; an error before --format json is read is text"
run --format json project show nope --format text
expect_rc 3
expect_err "aiproj: error: no project 'nope'"
run --format text project show nope --format json
expect_rc 3
jq_err '.error.code' 3
run --bogus --format json project list
expect_rc 2
expect_err_has "aiproj: error: unknown option '--bogus'"
# --format yaml keeps text errors
run --format yaml project show nope
expect_rc 3
expect_err "aiproj: error: no project 'nope'"

finish
