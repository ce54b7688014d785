# The README's tour and CI snippets run as written (docs that run).
. "$(dirname "$0")/lib.sh"
readme="$(dirname "$0")/../../README.md"
mkdir -p "$T_DIR/bin"
ln -s "$AIPROJ" "$T_DIR/bin/aiproj"
PATH="$T_DIR/bin:$PATH"

# the fenced sh block under a heading, comments and blank lines dropped
block() {
	sed -n "/^## $1/,/^## /p" "$readme" | sed -n '/^```sh$/,/^```$/p' |
		grep -v '^```' | sed 's/[[:space:]]*#.*$//' | grep -v '^[[:space:]]*$'
}

begin "the tour: every line runs; only the first advance is refused"
block "A two-minute tour" >"$T_DIR/tour"
[ "$(wc -l <"$T_DIR/tour")" -ge 15 ] || _fail "tour block not found"
# one shell runs the tour, as a reader would; each line's exit code noted
sed -e "s#/tmp/tour.db#$T_DIR/tour.db#" \
    -e "s#\$# ; echo \$? >>$T_DIR/codes#" "$T_DIR/tour" >"$T_DIR/tour.sh"
# the history is checked line by line: no wrapping
runsh "COLUMNS=200 sh $T_DIR/tour.sh"
codes=$(tr '\n' ' ' <"$T_DIR/codes")
# export, init, create, show, advance (refused: 4), then every line 0
case $codes in "0 0 0 0 4 "*) ;; *) _fail "exit codes: $codes" ;; esac
rest=${codes#"0 0 0 0 4 "}
case $rest in *[1-9]*) _fail "a later tour line failed: $codes" ;; esac
case $ERR in *Sanitizer*|*"runtime error"*) _fail "sanitizer report" ;; esac

begin "the tour ends with the history of both moves"
expect_out_has "feasibility -> data-preparation"
expect_out_has "data-preparation -> feasibility"
expect_out_has "cost estimate was wrong"

begin "the CI snippet's check answers 1 while the gate is unmet"
export AIPROJ_DB="$T_DIR/tour.db"
run -q stage check churn-model --at-least productization --gate
expect_rc 1
expect_out ""
run --format json stage check churn-model --kpis
jq_out '.aiproj' 1
run --format github stage check churn-model --gate
expect_rc 1
expect_out_has "::error title=aiproj stage check::churn-model: gate"

begin "In production: the block runs as written on a deployed project"
AIPROJ_DB=$(new_store prod)
export AIPROJ_DB
ok project create churn-model
ok kpi add churn-model auc --target '>= 0.80'
fwd churn-model 4
block "In production" >"$T_DIR/prod"
[ "$(wc -l <"$T_DIR/prod")" -ge 7 ] || _fail "production block not found"
# a command continued over lines is one line for the exit codes
sed -e :a -e '/\\$/N; s/\\\n//; ta' "$T_DIR/prod" |
	sed "s#\$# ; echo \$? >>$T_DIR/pcodes#" >"$T_DIR/prod.sh"
runsh "COLUMNS=200 sh $T_DIR/prod.sh"
codes=$(tr '\n' ' ' <"$T_DIR/pcodes")
# the last check fails: auc's latest reading misses its target
[ "$codes" = "0 0 0 0 0 1 " ] || _fail "exit codes: $codes" "$ERR"
expect_out_has "breach"
run --format json release list churn-model
jq_out '.releases[0].digest' sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08

finish
