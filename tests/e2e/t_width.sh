#!/bin/sh
# t_width.sh - what a person reads in a terminal: text fits $COLUMNS (80
# when unset) by display width (CJK and emoji 2 columns, combining marks 0),
# nothing is lost, multi-line and invisible characters cannot disguise
# themselves, CSV cells cannot run as spreadsheet formulas.
. "$(dirname "$0")/lib.sh"

# widest FILE: the widest line's display width, by Unicode's own tables
# (East Asian Wide/Fullwidth 2, combining marks and format characters 0)
widest() {
	python3 - "$1" <<-'PY'
	import sys, unicodedata
	def w(s):
	    n = 0
	    for c in s:
	        if unicodedata.category(c) in ("Mn", "Me", "Cf"):
	            continue
	        n += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
	    return n
	print(max([w(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")] + [0]))
	PY
}

P=$(printf 'p%063d' 0 | tr 0 a)          # 64 characters
Q=$(printf 'q%063d' 0 | tr 0 b)
# persons of 128 bytes in several scripts
CJK=$(python3 -c 'print(("李小龍" * 15)[:42] + "xx")')
CYR=$(python3 -c 'print(("Анна Лима " * 13)[:58])')
EMO=$(python3 -c 'print("Ana 👍 " + "é" * 59)')
MIX=$(python3 -c 'print("José Müller-Ødegård 王小明 " + "e\u0301" * 30 + "x" * 4)')
for v in "$CJK" "$CYR" "$EMO" "$MIX"; do
	[ "$(printf %s "$v" | wc -c)" -le 128 ] || echo "t_width: a person is too long: $v" >&2
done
REASON=$(printf 'first line of the reason\nsecond line: why we skipped the gate\nthird')

begin "a store with long names, long persons, multi-line reasons, 10 people a cell"
run init
expect_rc 0
run project create "$P" --description "$(printf 'goal one\ngoal two')"
expect_rc 0
run project create "$Q"
expect_rc 0
for i in 1 2 3 4 5 6; do
	run role assign "$P" sponsor "Sponsor $i $CYR" && expect_rc 0
done
for p in "$CJK" "$CYR" "$EMO" "$MIX"; do
	run role assign "$P" ai-engineer "$p" && expect_rc 0
	run role assign "$Q" data-engineer "$p" && expect_rc 0
done
run gate add "$P" --stage feasibility "$(printf 'a criterion\nover two lines')"
expect_rc 0
run kpi add "$P" accuracy_of_the_churn_model_on_the_holdout_set_q4 --target '>= 0.8'
expect_rc 0
run stage advance "$P" --force --reason "$REASON"
expect_rc 0
run component add "$P" a_component_with_a_name_of_sixty_four_characters_xxxxxxxxxxxxxx --owner ai-engineer
expect_rc 0

cmds="stage show $P
stage history $P
stage list
gate show $P
gate show $P --stage feasibility
report roles
report status
report people
project list
project show $P
role list
role show $P
kpi list $P
component list $P"

for cols in 80 120; do
	begin "every text command fits COLUMNS=$cols"
	echo "$cmds" | while IFS= read -r line; do
		# shellcheck disable=SC2086
		COLUMNS=$cols "$AIPROJ" $line >"$T_DIR/w.out" 2>"$T_DIR/w.err" ||
			echo "$line: exit $?" >>"$T_DIR/w.bad"
		w=$(widest "$T_DIR/w.out")
		[ "$w" -le "$cols" ] || echo "$line: a line of $w columns" >>"$T_DIR/w.bad"
	done
	[ -f "$T_DIR/w.bad" ] && _fail "$(cat "$T_DIR/w.bad")"
	rm -f "$T_DIR/w.bad"
done

begin "every write command's message fits 80 columns with 64-character names"
R=$(printf 'r%063d' 0 | tr 0 c)
R2=$(printf 's%063d' 0 | tr 0 d)
K=accuracy_of_the_churn_model_on_the_holdout_set_q4_xxxxxxxxxxxxxx
C=a_component_with_a_name_of_sixty_four_characters_xxxxxxxxxxxxxx
: >"$T_DIR/wr.bad"
while IFS= read -r line; do
	eval "set -- $line"
	env -u COLUMNS "$AIPROJ" "$@" >"$T_DIR/w.out" 2>"$T_DIR/w.err" ||
		echo "$line: exit $?: $(cat "$T_DIR/w.err")" >>"$T_DIR/wr.bad"
	w=$(widest "$T_DIR/w.out")
	[ "$w" -le 80 ] || echo "$line: a line of $w columns" >>"$T_DIR/wr.bad"
done <<-EOF
	project create $R
	role assign $R sponsor '$CYR'
	role unassign $R sponsor '$CYR'
	role assign $R sponsor '$CYR'
	gate add $R --stage feasibility 'a criterion with a rather long text that goes on and on'
	kpi add $R $K --target '>= 0.8'
	kpi record $R $K 0.9
	kpi list $R
	component add $R $C --owner devops
	component remove $R $C
	component list $R
	project hold $R --reason 'waiting for the data access agreement to be signed by legal'
	project resume $R
	stage advance $R --force --reason 'we know what we are doing, really'
	stage back $R --to feasibility --reason 'drift in production data'
	decide $R make --reason 'no vendor fits the needs of the team'
	stage history $R
	project rename $R $R2
	project close $R2 --reason 'replaced by a vendor tool after all'
	project delete $R2 --yes
EOF
[ -s "$T_DIR/wr.bad" ] && _fail "$(cat "$T_DIR/wr.bad")"

begin "unset COLUMNS is 80; --wide has no limit and shows every value in full"
: >"$T_DIR/all"
echo "$cmds" | while IFS= read -r line; do
	# shellcheck disable=SC2086
	env -u COLUMNS "$AIPROJ" $line >"$T_DIR/w.out" 2>&1
	w=$(widest "$T_DIR/w.out")
	[ "$w" -le 80 ] || echo "$line: a line of $w columns" >>"$T_DIR/w.bad"
	# shellcheck disable=SC2086
	"$AIPROJ" --wide $line >>"$T_DIR/all" 2>&1
done
[ -f "$T_DIR/w.bad" ] && _fail "$(cat "$T_DIR/w.bad")"
rm -f "$T_DIR/w.bad"
for v in "$P" "$Q" "$CJK" "$CYR" "$EMO" "$MIX" "Sponsor 6 $CYR" \
	"first line of the reason⏎second line: why we skipped the gate⏎third" \
	"a criterion⏎over two lines" "goal one⏎goal two" \
	accuracy_of_the_churn_model_on_the_holdout_set_q4 \
	a_component_with_a_name_of_sixty_four_characters_xxxxxxxxxxxxxx; do
	grep -qF -- "$v" "$T_DIR/all" || _fail "--wide output lacks: $v"
done
w=$(widest "$T_DIR/all")
[ "$w" -gt 120 ] || _fail "--wide output is never wider than 120 columns ($w)"

begin "report roles at 80 columns: a shortened cell is marked and listed in full"
run report roles "$P"
expect_rc 0
expect_out_has "~ +5"
expect_out_has "People (in full):"
run --wide report roles "$P"
expect_rc 0
for i in 1 2 3 4 5 6; do expect_out_has "Sponsor $i $CYR"; done

begin "a table wraps a long cell within its column"
run stage history "$P"
expect_rc 0
expect_out_has "first line of"
[ "$(printf '%s\n' "$OUT" | wc -l)" -gt 2 ] || _fail "the reason did not wrap"

begin "multi-line text is one line with ⏎ in a table, whole in JSON and CSV"
run --wide stage history "$P"
expect_rc 0
expect_out_has "first line of the reason⏎second line: why we skipped the gate⏎third"
run --format json stage history "$P"
jq_out '.transitions[0].reason' "$REASON"
run --format csv stage history "$P"
expect_out_has "\"first line of the reason"

begin "a format character in a person is refused (exit 2), the store unchanged"
for bad in "$(printf 'Ana\342\200\256amiL')" "$(printf 'A\342\200\213na')" \
	"$(printf 'Ana\342\201\246Lima')" "$(printf 'Ana\342\200\250Lima')"; do
	snap
	run role assign "$P" sponsor "$bad"
	expect_rc 2
	expect_err_has "invisible format character U+"
	expect_unchanged
done

begin "a format character in --actor or AIPROJ_ACTOR is refused (exit 2)"
snap
run --actor "$(printf 'Ana\342\200\256amiL')" project hold "$Q" --reason x
expect_rc 2
expect_err_has "invalid actor: person name holds the invisible format character U+202E"
expect_unchanged
snap
AIPROJ_ACTOR=$(printf 'Bob\342\200\216') run project hold "$Q" --reason x
expect_rc 2
expect_err_has "U+200E"
expect_unchanged

begin "free text with a format character is kept, and shown escaped in text"
run stage back "$P" --to feasibility --reason "$(printf 'evil\342\200\256txt.exe')"
expect_rc 0
run --wide stage history "$P"
expect_out_has "evil<U+202E>txt.exe"
run --format json stage history "$P"
jq_out '.transitions[1].reason' "$(printf 'evil\342\200\256txt.exe')"

begin "markdown: a line end is <br>, a format character shown as text, | escaped"
run --format markdown stage history "$P"
expect_rc 0
expect_out_has "first line of the reason<br>second line: why we skipped the gate<br>third"
expect_out_has "evil&lt;U+202E&gt;txt.exe"
printf '%s\n' "$OUT" | grep -q "$(printf '\342\200\256')" && _fail "U+202E printed raw"
run stage advance "$P" --force --reason "a | b"
expect_rc 0
run --format markdown stage history "$P"
expect_out_has "a \\| b"
run stage back "$P" --to feasibility --reason "back again"
expect_rc 0

begin "project hold and close show their reason escaped on one line"
run --wide project hold "$Q" --reason "$(printf 'two\nlines \342\200\256x')"
expect_rc 0
expect_out "Project '$Q' is on-hold: two⏎lines <U+202E>x"
run project resume "$Q"
expect_rc 0

begin "CSV: a cell that could run as a formula gets a leading ', unless --raw-csv"
run role assign "$Q" sponsor "=HYPERLINK(1)"
expect_rc 0
run role assign "$Q" sponsor "@SUM(1)"
expect_rc 0
run role assign "$Q" sponsor "+cmd"
expect_rc 0
run --format csv report people
expect_rc 0
expect_out_has "'=HYPERLINK(1),"
expect_out_has "'@SUM(1),"
expect_out_has "'+cmd,"
run --format csv --raw-csv report people
expect_rc 0
expect_out_has "
=HYPERLINK(1),"
case $OUT in *"'="*) _fail "--raw-csv still prefixed a cell" ;; esac
run --format csv kpi list "$P"
expect_rc 0
case $OUT in *"'"*) _fail "a plain cell got a ': $OUT" ;; esac

finish
