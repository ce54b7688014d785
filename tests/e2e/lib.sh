# lib.sh - the end-to-end test harness, sourced by every tests/e2e/t_*.sh.
#
# Each test file runs in its own shell with a fresh temp dir and store:
#
#   begin "what this test proves"
#   run project create x          # runs $AIPROJ; sets $RC, $OUT, $ERR
#   expect_rc 0
#   expect_out "Created project 'x' at stage feasibility ..."  # exact
#   expect_out_has "feasibility"  # substring of stdout
#   expect_err ""                 # exact stderr ("" = empty)
#   expect_err_has "no project"   # substring of stderr
#   snap; run ...; expect_unchanged   # the store file is byte-identical
#   jq_out '.stage' feasibility   # a jq filter over stdout, exact result
#
# A failing assertion prints what differed and the temp dir is kept.
# `finish` (at the end of every file) writes the tally for run.sh.

set -u
: "${AIPROJ:?set AIPROJ to the aiproj binary}"
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aiproj-e2e.XXXXXX")
T_NAME=""
T_CMD=""
RC=""
T_FAILED=0
T_PASS=0
T_FAIL=0
T_FILE=$(basename "$0")
export AIPROJ_DB="$T_DIR/store.db"
export AIPROJ_ACTOR=tester
export HOME="$T_DIR/home"
unset XDG_DATA_HOME AIPROJ_NOW NO_COLOR
mkdir -p "$HOME"

_tally() {
	[ -n "$T_NAME" ] || return 0
	if [ "$T_FAILED" = 0 ]; then
		T_PASS=$((T_PASS + 1))
	else
		T_FAIL=$((T_FAIL + 1))
		echo "FAIL: $T_FILE: $T_NAME" >&2
	fi
	T_NAME=""
}

begin() {
	_tally
	T_NAME=$1
	T_FAILED=0
}

_fail() {
	T_FAILED=1
	printf '  %s: %s: %s\n' "$T_FILE" "$T_NAME" "$1" >&2
	[ $# -gt 1 ] && printf '    %s\n' "$2" >&2
	printf '    command: %s\n' "$T_CMD" >&2
	printf '    rc=%s\n    stdout: %s\n    stderr: %s\n' "$RC" \
		"$(head -c 2000 "$T_DIR/out")" "$(head -c 2000 "$T_DIR/err")" >&2
}

# run ARGS... : run aiproj; stdin from /dev/null unless RUN_STDIN is set
run() {
	T_CMD="aiproj $*"
	"$AIPROJ" "$@" >"$T_DIR/out" 2>"$T_DIR/err" </dev/null
	RC=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
}

# runsh 'shell command' : run a command line (for env, pipes, redirections)
runsh() {
	T_CMD=$1
	sh -c "$1" >"$T_DIR/out" 2>"$T_DIR/err" </dev/null
	RC=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
}

expect_rc() {
	[ "$RC" = "$1" ] || _fail "exit code $RC, expected $1"
	# sanitizer reports never pass
	case $ERR in *Sanitizer*|*"runtime error"*) _fail "sanitizer report";; esac
}

expect_out() {
	[ "$OUT" = "$1" ] || _fail "stdout differs" "expected: $1"
}

expect_out_has() {
	case $OUT in *"$1"*) ;; *) _fail "stdout lacks: $1";; esac
}

expect_out_lacks() {
	case $OUT in *"$1"*) _fail "stdout has: $1";; esac
}

expect_err() {
	[ "$ERR" = "$1" ] || _fail "stderr differs" "expected: $1"
}

expect_err_has() {
	case $ERR in *"$1"*) ;; *) _fail "stderr lacks: $1";; esac
}

# one line on stderr, starting with "aiproj: error: "
expect_one_line_error() {
	case $ERR in "aiproj: error: "*) ;; *) _fail "stderr is not an aiproj error";; esac
	[ "$(printf '%s\n' "$ERR" | wc -l)" -eq 1 ] || _fail "stderr has more than one line"
}

# jq_out FILTER EXPECTED : jq -r FILTER over stdout equals EXPECTED
jq_out() {
	_got=$(printf '%s' "$OUT" | jq -r "$1" 2>&1) || { _fail "stdout is not JSON for jq '$1'" "$_got"; return; }
	[ "$_got" = "$2" ] || _fail "jq '$1' gave '$_got', expected '$2'"
}

# snap [FILE] / expect_unchanged [FILE]: the store file is byte-identical
snap() {
	_f=${1:-$AIPROJ_DB}
	T_SNAP=$(cat "$_f" 2>/dev/null | cksum)
	T_SNAP_LS=$(ls "$_f"* 2>/dev/null)
}

expect_unchanged() {
	_f=${1:-$AIPROJ_DB}
	[ "$(cat "$_f" 2>/dev/null | cksum)" = "$T_SNAP" ] || _fail "store changed: $_f"
	[ "$(ls "$_f"* 2>/dev/null)" = "$T_SNAP_LS" ] || _fail "store files changed: $(ls "$_f"*)"
}

finish() {
	_tally
	echo "$T_PASS $T_FAIL" >>"${E2E_RESULTS:-/dev/null}"
	if [ "$T_FAIL" = 0 ]; then
		rm -rf "$T_DIR"
	else
		echo "  kept $T_DIR" >&2
	fi
	exit 0
}
