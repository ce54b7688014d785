#!/bin/sh
# demo.sh AIPROJ - a scripted tour of one project's lifecycle on a
# throwaway store.  Every command is printed before it runs.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(mktemp -d "${TMPDIR:-/tmp}/aiproj-demo.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export AIPROJ_DB="$dir/demo.db" AIPROJ_ACTOR=lead NO_COLOR=1

# print a command line with its arguments quoted as a shell would need
show() {
	printf '\n$ aiproj'
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9._/=-]*) printf " '%s'" "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
}
step() {
	show "$@"
	"$bin" "$@"
	rc=$?
	[ $rc -ne 0 ] && echo "(exit $rc)"
	return 0
}
say() { printf '\n# %s\n' "$*"; }
# tick every open manual criterion of the current stage
tick_all() {
	for id in $("$bin" --format json gate show "$1" | sed -n 's/^ *"id": "\([0-9][0-9]*\)",$/\1/p'); do
		"$bin" -q gate done "$1" "$id"
	done
	echo "(ticked the manual criteria of the current stage)"
}

say "A throwaway store: $AIPROJ_DB"
step init
step project create churn-model --description "Predict which customers will leave"
say "The gate of feasibility does not hold yet: advancing is refused (exit 4)"
step stage advance churn-model
say "Staff the stage, decide make with a cost, set a KPI, tick the criteria"
step role assign churn-model sponsor "Ana Lima"
step role assign churn-model ai-engineer "Bo Chen"
step decide churn-model make --cost 120000 --reason "no vendor model fits our data"
step kpi add churn-model auc --target ">= 0.80"
tick_all churn-model
say "Approving needs the accountable role: the lead is refused, the sponsor approves"
step gate approve churn-model
step --actor "Ana Lima" gate approve churn-model
step stage advance churn-model --expect feasibility
say "Data preparation: data engineer accountable, data analyst responsible"
step role assign churn-model data-engineer "Dee Park"
step role assign churn-model data-analyst "Eli Roth"
tick_all churn-model
step --actor "Dee Park" gate approve churn-model
step stage advance churn-model
step stage show churn-model
say "A CI job gates on the stage (exit 0 when every condition holds, 1 when not)"
step stage check churn-model --at-least data-preparation
step stage check churn-model --at-least productization --gate
say "Forward with --force (recorded as forced), then back with a reason"
step stage advance churn-model --force --reason "spike approved by the sponsor"
step stage back churn-model --to data --reason "the feed is not idempotent yet"
step stage history churn-model
step --format json stage check churn-model --is data-preparation
say "Done: the store is removed on exit."
