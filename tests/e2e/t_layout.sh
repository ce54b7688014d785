#!/bin/sh
# t_layout.sh - text tables as a person reads them (the rule: fit() in
# src/output.c): at 80 columns (COLUMNS unset) and at 50, tokens without
# spaces (timestamps, project and stage names, numbers) stay whole while
# prose wraps at its spaces; every line fits when whole tokens allow;
# nothing is lost; continuation lines line up.
. "$(dirname "$0")/lib.sh"
GEN="$(dirname "$0")/../bench/gen_export.sh"
T_CMD="(no command yet)" RC="" # _fail reads them (set -u)

# widest: the longest line of stdout (the text here is ASCII)
widest() { printf '%s\n' "$OUT" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }
# stamps: the whole timestamps in stdout
stamps() {
	printf '%s\n' "$OUT" |
		grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z' |
		wc -l
}
# fits N: no line of stdout is wider than N columns
fits() {
	[ "$(widest)" -le "$1" ] || _fail "a line of $(widest) columns, over $1"
}
# rows ARGS...: the rows of a command's CSV (without its header)
rows() {
	"$AIPROJ" --format csv "$@" | tr -d '\r' | sed 1d | wc -l
}
# w80 ARGS...: run with COLUMNS unset (80 columns)
w80() {
	T_CMD="aiproj $* (COLUMNS unset)"
	env -u COLUMNS "$AIPROJ" "$@" >"$T_DIR/out" 2>"$T_DIR/err" </dev/null
	RC=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
}
# w50 ARGS...: run at COLUMNS=50
w50() {
	T_CMD="COLUMNS=50 aiproj $*"
	COLUMNS=50 "$AIPROJ" "$@" >"$T_DIR/out" 2>"$T_DIR/err" </dev/null
	RC=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
}

begin "a portfolio of 20 generated projects"
sh "$GEN" 20 >"$T_DIR/p.yaml" || _fail "gen_export.sh failed"
run import "$T_DIR/p.yaml"
expect_rc 0
P=p000003-churn-model

begin "log at 80 columns: every timestamp whole, every line within 80"
n=$(rows log)
[ "$n" -gt 100 ] || _fail "only $n events"
w80 log
expect_rc 0
[ "$(stamps)" = "$n" ] || _fail "$(stamps) whole timestamps of $n events"
fits 80
expect_out_lacks "2020-01-
"

begin "events at 80 columns: every timestamp whole, every line within 80"
n=$(rows events)
w80 events
expect_rc 0
[ "$(stamps)" = "$n" ] || _fail "$(stamps) whole timestamps of $n events"
fits 80

begin "log and events at 80 keep project names and stages whole"
for cmd in log events; do
	w80 $cmd
	for p in $("$AIPROJ" --format csv project list | tr -d '\r' | sed 1d | cut -d, -f1); do
		want=$("$AIPROJ" --format csv $cmd | tr -d '\r' | grep -c ",$p,")
		got=$(printf '%s\n' "$OUT" | grep -c " $p ")
		[ "$got" = "$want" ] || _fail "$cmd: $p whole on $got lines of $want"
	done
done

begin "stage history at 80 columns: a long reason wraps, the timestamps stay whole"
run stage back "$P" --to feasibility \
	--reason "drift in production data after the migration of the core banking system to the new platform"
expect_rc 0
w80 stage history "$P"
expect_rc 0
[ "$(stamps)" = "$(rows stage history "$P")" ] || _fail "a timestamp split"
fits 80
expect_out_has "drift in"

begin "report status at 80 columns with due dates: every stage name whole"
run stage due p000001-churn-model 2021-01-01
expect_rc 0
w80 report status
expect_rc 0
fits 80
for s in data-preparation prototyping-testing productization feasibility deployment; do
	want=$("$AIPROJ" --format csv report status | tr -d '\r' | grep -c ",$s,")
	got=$(printf '%s\n' "$OUT" | grep -cE "(^| )$s( |$)")
	[ "$got" = "$want" ] || _fail "$s whole on $got lines of $want"
done

begin "kpi history at 50 columns: words whole, no line over 50"
w50 kpi history "$P"
expect_rc 0
fits 50
want=$("$AIPROJ" --format csv kpi history "$P" | tr -d '\r' | grep -c ',reading,')
got=$(printf '%s\n' "$OUT" | grep -c ' reading ')
[ "$got" = "$want" ] || _fail "'reading' whole on $got lines of $want"

begin "person show at 80: '(on the hook)' not split at every word, lines within 80"
who=$("$AIPROJ" --format csv report people | tr -d '\r' | awk -F, '$7 == "yes" { print $1; exit }')
[ -n "$who" ] || _fail "nobody on the hook"
w80 person show "$who"
expect_rc 0
fits 80
[ "$(printf '%s\n' "$OUT" | grep -c '(on the')" -ge 1 ] &&
	[ "$(printf '%s\n' "$OUT" | grep -c '(on the')" = "$(printf '%s\n' "$OUT" | grep -c '(on')" ] ||
	_fail "'(on the hook)' split at every word"
[ "$(stamps)" -ge 1 ] || _fail "no whole timestamp"

begin "every listed table fits 50 and 80 columns"
for cols in 50 80; do
	for cmd in "log" "events" "stage history $P" "report status" "project list" \
		"kpi list $P" "person list" "report people" "policy rules" \
		"gate show $P" "stage show $P"; do
		# shellcheck disable=SC2086
		COLUMNS=$cols "$AIPROJ" $cmd >"$T_DIR/out" 2>&1
		OUT=$(cat "$T_DIR/out")
		T_CMD="COLUMNS=$cols aiproj $cmd"
		# a table of more columns than 50 allows may print wider
		case "$cols $cmd" in "50 log" | "50 events" | "50 stage history"* | "50 report status") continue ;; esac
		fits "$cols"
	done
done

begin "policy rules wraps its rule under itself at 80 columns"
w80 policy rules
expect_rc 0
fits 80
bad=$(printf '%s\n' "$OUT" | awk '
	/^component handover / { col = index($0, "a holder"); next }
	col { if (match($0, /[^ ]/) != col) print; col = 0 }')
[ -z "$bad" ] || _fail "the rule does not continue under itself" "$bad"
expect_out_has "component handover"

begin "gate show: a wrapped hint continues under the command"
run project create customer-churn-prediction-for-retail-banking
expect_rc 0
w80 gate show customer-churn-prediction-for-retail-banking
expect_rc 0
fits 80
# each line after "-> aiproj ..." that continues it starts where "aiproj" does
bad=$(printf '%s\n' "$OUT" | awk '
	prev != "" && /^ +[^ [-]/ && $0 !~ /^ +(->|ticked|note:|approved)/ {
		if (match($0, /[^ ]/) != col) print
	}
	{ prev = ""; i = index($0, "-> aiproj"); if (i) { prev = $0; col = i + 3 } }')
[ -z "$bad" ] || _fail "continued elsewhere than under the command" "$bad"
expect_out_has "customer-churn-prediction-for-retail-banking (PERSON"

begin "stage show: the stage started early lines up with the current one"
run project create early
expect_rc 0
run stage advance early --force --reason x
expect_rc 0
run stage start early prototyping-testing
expect_rc 0
w80 stage show early
expect_rc 0
a=$(printf '%s\n' "$OUT" | grep '\[>\] data-preparation' | awk '{ print index($0, "since") }')
b=$(printf '%s\n' "$OUT" | grep '\[>\] prototyping-testing' | awk '{ print index($0, "started early") }')
[ -n "$a" ] && [ "$a" = "$b" ] || _fail "since at $a, started early at $b"

begin "report status: the releases under the table fit 80 columns"
run stage advance "$P" --force --reason x
run stage advance "$P" --force --reason x
run stage advance "$P" --force --reason x
run stage advance "$P" --force --reason x
run release add "$P" 1.0
expect_rc 0
w80 report status
expect_rc 0
expect_out_has "In production:"
fits 80

finish
