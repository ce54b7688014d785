# Bad import files (docs/export.md): every file in tests/e2e/import-bad/ has one
# problem, named for it.  Each gives exit 6, nothing on stdout, stderr lines
# of the form FILE:LINE:COLUMN: message (the first after "aiproj: error: ")
# at the line and column listed below, and a byte-identical store.  Files
# too big to commit (over 16 MiB, millions of nodes) are made here.
. "$(dirname "$0")/lib.sh"
T_CMD="(no command yet)" RC="" # _fail reads them (set -u)

BAD=$(cd "$(dirname "$0")/import-bad" && pwd)

# name|LINE:COLUMN (or LINE, or empty: anywhere)|a substring of that line's
# message (compared without regard to case)
CASES="active-outcome-bought|6:12|is closed, not active
active-with-buy|10:5|a buy decision closes the project
active-with-status-reason|6:18|an active project has no 'status_reason'
alias|43:13|aliases are not allowed
anchor|26:13|anchors are not allowed
anchor-on-mapping|10:5|anchors are not allowed
advance-approval-of-earlier-visit|60:5|in that visit (epoch 2)
advance-decision-no-cost|48:5|no make decision with a cost was in force
advance-kpi-after-move|48:5|no KPI was defined then
advance-without-approval|42:5|had no approval by the sponsor in that visit (epoch 0)
advance-without-decision|43:5|no make decision with a cost was in force
approval-after-epoch-ended|46:9|later than the move that ended its epoch
approval-before-epoch-began|49:9|earlier than the move that began its epoch
approval-epoch-past-history|41:5|epoch 2
approval-not-assigned|43:13|'Mallory' approved as sponsor but is not assigned as sponsor
approval-twice-in-epoch|47:5|a second approval in epoch 0
approval-wrong-role|44:11|accountable role 'sponsor', not 'ai-engineer'
approval-wrong-stage|41:12|the project was at 'feasibility'
approval-before-assignment|46:9|approved as sponsor at 2026-01-02T03:04:05.500Z, before they were assigned sponsor
approvals-out-of-order|51:12|epoch 0 after epoch 1
assigned-after-close|29:18|'assigned_at' 2026-01-02T03:04:07.600Z is later than the project's status_at
assigned-as-case|12:18|'assigned_as' 'bo c' is not another name of 'bo chen'
assigned-as-is-person|12:18|'assigned_as' is 'Bo Chen', the assignment's person
assigned-as-not-other-name|12:18|'assigned_as' 'Ana Lima' is not another name of 'Bo Chen'
assigned-as-unlisted|12:18|'people' does not list 'Bo Chen'
assigned-before-project|27:18|earlier than the project's created_at
back-without-reason|58:13|a 'back' move needs a reason
bad-component-name-slash|29:11|invalid component name 'model/v2'
bad-component-owner|30:12|unknown role 'Data-Scientist'
bad-decision-kind|10:11|'rent'
bad-kpi-name-utf8|16:11|invalid KPI name
bad-kpi-op|17:9|'=>'
bad-person-c1-control|43:13|control character
bad-person-empty|13:12|person name is empty
bad-person-newline|26:13|control character
bad-person-too-long|26:13|129 bytes
bad-project-name-65-chars|3:9|65 characters
bad-project-name-leading-dash|3:9|invalid project name '-base'
bad-project-name-space|3:9|invalid project name 'base line'
bad-role-slug|25:11|unknown role 'boss'
bad-stage-display-name|6:10|unknown stage 'Data preparation'
bad-stage-prefix|34:12|unknown stage 'feas'
bad-stamp-feb-30|23:11|time stamp
bad-stamp-hour-25|27:18|time stamp
bad-stamp-month-13|19:17|time stamp
bad-stamp-no-millis|7:15|time stamp
bad-stamp-offset|8:15|time stamp
bad-stamp-unquoted-date|14:9|time stamp
bad-stamp-word|46:9|time stamp
bad-status|5:11|'paused'
bad-text-4097-bytes|4:16|4097 bytes
bad-text-control|12:13|control character 0x07
bad-text-escape|39:11|control character 0x1b
bad-transition-kind|50:11|'jump'
bought-reason-differs|6:18|the reason of its buy decision
bought-status-at-not-decision|7:14|the time of its buy decision
closed-without-reason|5:11|closed needs a 'status_reason'
comments-only|1:1|empty
criterion-done-after-close|40:14|'done_at' 2026-01-02T03:04:07.600Z is later than the project's status_at
criterion-done-before-created|38:14|earlier than the project's created_at
criterion-done-without-done-by|37:14|a done criterion needs 'done_by'
criterion-id-zero|33:9|'id' must be 1 or more
criterion-open-with-done-by|37:14|not done: 'done_by' must be null
decision-after-buy|17:5|no decision can follow a buy decision
decision-at-non-deciding-stage|10:5|make or buy is not decided
decisions-out-of-order|19:9|earlier than the decision before
depth-65|54:73|nesting deeper than 64
duplicate-assignment|28:5|duplicate assignment
duplicate-component|32:5|duplicate component 'model'
duplicate-criterion-id|40:5|duplicate criterion id
duplicate-key|6:3|duplicate key 'status'
duplicate-key-top|54:1|duplicate key 'aiproj'
duplicate-kpi|24:5|duplicate KPI 'auc'
duplicate-project|54:3|duplicate project 'base'
empty|1:1|empty
empty-criterion-text|35|text
empty-decision-reason|12|reason
empty-decision-reason-quoted|12:13|reason
entered-at-not-created-at|7:15|is not created_at
entered-at-not-last-move|7:15|is not the time of the last move
forced-without-reason|52:13|a 'forced' move needs a reason
history-advance-skips|48:5|cannot go from 'feasibility' to 'prototyping-testing'
history-back-goes-forward|48:5|cannot go from 'feasibility' to 'data-preparation'
history-not-chained|54:5|starts at 'prototyping-testing'
history-starts-late|48:5|feasibility
history-time-backwards|59:9|earlier than the move before
invalid-utf8|12:20|UTF-8
invalid-utf8-overlong|12:20|UTF-8
invalid-utf8-surrogate|12:20|UTF-8
kpi-after-close|21:17|'created_at' 2026-01-02T03:04:07.500Z is later than the project's status_at
kpi-before-project|19:17|earlier than the project's created_at
mapping-key-not-scalar|5:5|keys must be scalars
missing-aiproj|1:1|missing key 'aiproj'
missing-decision-reason|10:5|missing key 'reason'
missing-history-at|48:5|missing key 'at'
missing-kpi-target|16:5|missing key 'target'
missing-project-name|3:3|missing key 'name'
missing-projects|1:1|missing key 'projects'
missing-stage|3:3|missing key 'stage'
negative-cost|11:11|'cost' cannot be negative
nul-byte|12:21|NUL
nul-escape|12:13|NUL
on-hold-without-reason|5:11|on-hold needs a 'status_reason'
outcome-bought-without-buy|7:12|needs a buy decision as the last decision
outcome-not-bought|7:12|not 'delivered'
people-history-kind|11:11|'kind' must be one of add, set, rename, merge, reassign, not 'split'
people-other-name-of-two|14:5|'Ana L' is another name of both 'Ana Lima' and 'Bo Chen'
project-not-a-mapping|3:3|must be a mapping
projects-not-a-list|3:3|'projects' must be a list
reading-after-close|25:11|'at' 2026-01-02T03:04:07.600Z is later than the project's status_at
reading-before-kpi|23:11|earlier than the KPI's created_at
release-after-close|192:9|'at' 2026-01-02T03:04:12.000Z is later than the project's status_at (2026-01-02T03:04:11.000Z), when it was closed
root-is-a-list|1:1|expected a mapping
root-is-a-scalar|1:1|expected a mapping
scalar-70-KiB|4:16|longer than 65536 bytes
second-project-bad|76:11|unknown role 'boss'
stage-not-where-history-ends|6:10|not where the history ends
stage-without-history|6:10|data-preparation
status-at-before-approval|7:14|earlier than its last approval
status-at-before-created|6:14|earlier than the project's created_at
status-at-before-decision|7:14|earlier than its last decision
status-at-before-move|7:14|earlier than its entered_at
syntax-bad-indent|6:9|mapping values are not allowed
syntax-tab-indent|5:1|tab
syntax-unclosed-quote|14:10|
tag-local|11:11|tags are not allowed
tag-python|4:16|tags are not allowed
three-problems|5:11|'paused'
two-documents|54:1|only one YAML document
type-actor-null|13:12|null
type-cost-hex|11:11|must be a number
type-cost-quoted|11:11|must be a number
type-cost-word|11:11|must be a number
type-description-mapping|4:16|not a mapping
type-description-null|4:16|not null
type-done-quoted|36:11|true or false
type-done-yes|36:11|true or false
type-epoch-negative|42:12|whole number
type-id-fraction|33:9|whole number
type-id-leading-zero|33:9|whole number
type-kpi-name-null|16:11|null
type-kpis-mapping|15:9|'kpis' must be a list
type-name-list|3:9|not a list
type-person-null|26:13|null
type-project-name-null|3:9|null
type-reading-actor-null|22:14|null
type-readings-scalar|20:15|'readings' must be a list
type-status-empty|5:10|'status' must be one of
type-target-inf|18:13|must be a number
type-value-huge|21:14|must be a number
unknown-key-case|5:3|unknown key 'Status'
unknown-key-criterion|37:5|unknown key 'done_when'
unknown-key-decision|12:5|unknown key 'currency'
unknown-key-history|51:5|unknown key 'forced'
unknown-key-project|6:3|unknown key 'owner'
unknown-key-reading|23:7|unknown key 'unit'
unknown-key-top|2:1|unknown key 'exported_by'
utf16-bom|1:1|UTF-8
version-3|1:9|version
version-quoted|1:9|the number unquoted
version-string|1:9|version"

# a store with one project; every case starts from a copy of it
run init
run project create keep --description 'must survive every bad import'
# (a server store cannot be copied as a file: there every case must leave
# it unchanged, which each case checks anyway)
PRISTINE=$T_DIR/pristine.db
is_file_store && cp "$AIPROJ_DB" "$PRISTINE"
restore() {
	is_file_store || return 0
	rm -f "$AIPROJ_DB" "$AIPROJ_DB-wal" "$AIPROJ_DB-shm"
	cp "$PRISTINE" "$AIPROJ_DB"
}

# expect_located FILE [LOC [TEXT]] : stderr is nothing but FILE:LINE:COLUMN:
# message lines (the first after "aiproj: error: "); the first is at LOC
# (LINE:COLUMN or LINE) and holds TEXT (any case)
expect_located() {
	_bad=$(printf '%s\n' "$ERR" | awk -v f="$1:" '
		NR == 1 && index($0, "aiproj: error: ") == 1 { $0 = substr($0, 16) }
		index($0, f) != 1 || substr($0, length(f) + 1) !~ /^[1-9][0-9]*:[1-9][0-9]*: [^ ]/ {
			print NR ": " $0
		}')
	[ -z "$_bad" ] || _fail "not FILE:LINE:COLUMN: message" "$_bad"
	[ -n "$ERR" ] || _fail "nothing on stderr"
	_first=$(printf '%s\n' "$ERR" | head -n 1 | sed "s/^aiproj: error: //")
	_first=${_first#"$1:"}
	case ${2:-} in
	"") ;;
	*:*) case $_first in "$2: "*) ;; *) _fail "first problem is not at $2";; esac ;;
	*) case $_first in "$2:"*) ;; *) _fail "first problem is not on line $2";; esac ;;
	esac
	if [ -n "${3:-}" ]; then
		printf '%s\n' "$_first" | grep -qiF -- "$3" || _fail "first problem lacks '$3'"
	fi
}

begin "the corpus: at least 30 bad files, each listed here and each listed one present"
n=0
for f in "$BAD"/*.yaml; do
	n=$((n + 1))
	b=$(basename "$f" .yaml)
	printf '%s\n' "$CASES" | grep -q "^$b|" || _fail "no expectation for $b.yaml"
done
[ "$n" -ge 30 ] || _fail "only $n bad files"
printf '%s\n' "$CASES" | while IFS='|' read -r b loc text; do
	[ -f "$BAD/$b.yaml" ] || echo "$b"
done >"$T_DIR/missing"
[ -s "$T_DIR/missing" ] && _fail "listed but missing: $(cat "$T_DIR/missing")"

printf '%s\n' "$CASES" >"$T_DIR/cases"
while IFS='|' read -r b loc text; do
	f=$BAD/$b.yaml
	begin "bad file $b.yaml: exit 6, FILE:LINE:COLUMN at ${loc:-anywhere}, store unchanged"
	restore
	snap
	run import "$f"
	expect_rc 6
	expect_out ""
	expect_located "$f" "$loc" "$text"
	expect_unchanged
	# the same under --dry-run (nothing to roll back: nothing may be written)
	run import --dry-run "$f"
	expect_rc 6
	expect_unchanged
done <"$T_DIR/cases"
restore

begin "three problems in one file: three lines, in file order, each located"
run import "$BAD/three-problems.yaml"
expect_rc 6
expect_located "$BAD/three-problems.yaml" 5:11 "'paused'"
[ "$(printf '%s\n' "$ERR" | wc -l)" = 3 ] || _fail "expected three lines"
got=$(printf '%s\n' "$ERR" | sed "s/^aiproj: error: //; s|^$BAD/three-problems.yaml:||" | cut -d: -f1,2 | paste -sd' ' -)
[ "$got" = "5:11 11:11 26:13" ] || _fail "problems at $got"
printf '%s\n' "$ERR" | sed -n 2p | grep -q "must be a number" || _fail "line 2 is not the cost"
printf '%s\n' "$ERR" | sed -n 3p | grep -q "person name is empty" || _fail "line 3 is not the person"

begin "a relative path is reported as given"
restore
snap
runsh "cd '$BAD' && '$AIPROJ' import alias.yaml"
expect_rc 6
expect_located "alias.yaml" 43:13 "aliases"
expect_unchanged

begin "a bad file from stdin: located in '-'"
runsh "'$AIPROJ' import - <'$BAD/duplicate-key.yaml'"
expect_rc 6
expect_located "-" 6:3 "duplicate key"
expect_unchanged

begin "an endless input of NUL bytes (/dev/zero, a pipe of them) fails at the first: exit 6, store unchanged"
restore
snap
# (files capped at 10 MB: a reader that copied it all would be stopped)
runsh "ulimit -f 20000; timeout 60 '$AIPROJ' import /dev/zero"
expect_rc 6
expect_err "aiproj: error: /dev/zero:1:1: invalid UTF-8 or NUL byte"
expect_unchanged
runsh "ulimit -f 20000; { printf 'aiproj: 1\nprojects:\n- name: a\n'; cat /dev/zero; } | timeout 60 '$AIPROJ' import -"
expect_rc 6
expect_err "aiproj: error: -:4:1: invalid UTF-8 or NUL byte"
expect_unchanged

begin "nesting of exactly 64 levels is not refused as nesting"
{
	sed '$d' "$BAD/depth-65.yaml"
	printf '  outcome: %s%s\n' "$(head -c 61 /dev/zero | tr '\0' '[')" "$(head -c 61 /dev/zero | tr '\0' ']')"
} >"$T_DIR/depth-64.yaml"
run import "$T_DIR/depth-64.yaml"
expect_rc 6
expect_located "$T_DIR/depth-64.yaml" 54:12 "'outcome' must be a single value"
case $ERR in *nesting*) _fail "64 levels refused as nesting";; esac
expect_unchanged

# a valid document of exactly N bytes: a comment pads it
sized() {
	printf 'aiproj: 1\nprojects: []\n#' >"$2"
	head -c $(($1 - 25)) /dev/zero | tr '\0' 'x' >>"$2"
	printf '\n' >>"$2"
}

begin "a document of exactly 16 MiB is read (and holds no projects)"
sized 16777216 "$T_DIR/16mib.yaml"
[ "$(wc -c <"$T_DIR/16mib.yaml")" = 16777216 ] || _fail "the file is not 16 MiB"
run import "$T_DIR/16mib.yaml"
expect_rc 0
expect_out "Imported $T_DIR/16mib.yaml: 0 created, 0 replaced, 0 unchanged"
expect_unchanged

begin "a document over 16 MiB is read too: there is no limit on the whole"
sized 16777217 "$T_DIR/over.yaml"
run import "$T_DIR/over.yaml"
expect_rc 0
expect_out "Imported $T_DIR/over.yaml: 0 created, 0 replaced, 0 unchanged"
expect_unchanged

begin "a document over 16 MiB on stdin is read too"
runsh "'$AIPROJ' import - <'$T_DIR/over.yaml'"
expect_rc 0
expect_out "Imported -: 0 created, 0 replaced, 0 unchanged"
expect_unchanged

begin "a 64 MiB document of spaces is read through: exit 6, empty, store unchanged"
head -c 67108864 /dev/zero | tr '\0' ' ' >"$T_DIR/huge.yaml"
run import "$T_DIR/huge.yaml"
expect_rc 6
expect_located "$T_DIR/huge.yaml" 1:1 "document is empty"
expect_unchanged
rm -f "$T_DIR/huge.yaml" "$T_DIR/over.yaml" "$T_DIR/16mib.yaml"

begin "a NUL byte after 16 MiB is found, wherever the YAML goes wrong first"
{
	printf 'aiproj: 1\nprojects: [\n'
	head -c 17000000 /dev/zero | tr '\0' ' '
	printf '\n- bad: \000\n'
} >"$T_DIR/late-nul.yaml"
run import "$T_DIR/late-nul.yaml"
expect_rc 6
expect_located "$T_DIR/late-nul.yaml" 4:8 "invalid UTF-8 or NUL byte"
expect_unchanged
rm -f "$T_DIR/late-nul.yaml"

begin "millions of nodes in one project: exit 6 within 20 seconds"
{
	printf 'aiproj: 1\nprojects:\n- name: big\n  history: ['
	awk 'BEGIN { s = "1,"; while (length(s) < 8000000) s = s s; printf "%s", s }'
	printf '1]\n'
} >"$T_DIR/nodes.yaml"
runsh "timeout 20 '$AIPROJ' import '$T_DIR/nodes.yaml'"
expect_rc 6
expect_located "$T_DIR/nodes.yaml" 4 "too many"
expect_unchanged
rm -f "$T_DIR/nodes.yaml"

begin "40000 projects (700 KB) are validated in under 15 seconds (no quadratic check)"
awk 'BEGIN { print "aiproj: 1"; print "projects:"; for (i = 0; i < 40000; i++) print "- {name: p" i "}" }' >"$T_DIR/many.yaml"
runsh "timeout 15 '$AIPROJ' import '$T_DIR/many.yaml' 2>'$T_DIR/many.err'"
expect_rc 6
head -n 1 "$T_DIR/many.err" | grep -qF "$T_DIR/many.yaml:3:3: missing key 'status' in project" ||
	_fail "first problem: $(head -c 300 "$T_DIR/many.err")"
expect_unchanged
rm -f "$T_DIR/many.yaml"

# empty_projects N FILE: a document of N projects, each an empty mapping
# (five missing keys each), in flow style: three bytes a project
empty_projects() {
	awk -v n="$1" 'BEGIN { printf "aiproj: 1\nprojects: ["
		for (i = 1; i < n; i++) printf "{},"
		print "{}]" }' >"$2"
}

# expect_capped FILE SHOWN REST: stderr is SHOWN located problems, then
# "... and REST more problems" (no such line when REST is 0)
expect_capped() {
	_n=$(printf '%s\n' "$ERR" | wc -l)
	[ "$_n" = $(($2 + ($3 > 0))) ] || _fail "$_n lines on stderr, not $(($2 + ($3 > 0)))"
	_bad=$(printf '%s\n' "$ERR" | head -n "$2" | sed 's/^aiproj: error: //' |
		grep -vcF "$1:2:") || true
	[ "$_bad" = 0 ] || _fail "$_bad of the first $2 lines are not located at $1:2:..."
	_last=$(printf '%s\n' "$ERR" | tail -n 1)
	case $3 in
	0) case $_last in "..."*) _fail "a '... and more' line: $_last";; esac ;;
	1) [ "$_last" = "... and 1 more problem" ] || _fail "last line: $_last" ;;
	*) [ "$_last" = "... and $3 more problems" ] || _fail "last line: $_last" ;;
	esac
}

begin "exactly 100 problems are all listed"
empty_projects 20 "$T_DIR/p100.yaml"
run import "$T_DIR/p100.yaml"
expect_rc 6
expect_out ""
expect_capped "$T_DIR/p100.yaml" 100 0
expect_unchanged

begin "101 to 105 problems: the first 100 listed, then '... and 5 more problems'"
empty_projects 21 "$T_DIR/p105.yaml"
run import "$T_DIR/p105.yaml"
expect_rc 6
expect_out ""
expect_capped "$T_DIR/p105.yaml" 100 5
expect_unchanged

begin "1.9 million empty projects (5.7 MB): 100 problems, the rest counted, no flood"
empty_projects 1900001 "$T_DIR/empty-maps.yaml"
[ "$(wc -c <"$T_DIR/empty-maps.yaml")" -gt 5700000 ] || _fail "the file is not 5.7 MB"
runsh "timeout 20 '$AIPROJ' import '$T_DIR/empty-maps.yaml'"
expect_rc 6
expect_out ""
expect_capped "$T_DIR/empty-maps.yaml" 100 9499905
printf '%s\n' "$ERR" | head -n 1 |
	grep -qF "aiproj: error: $T_DIR/empty-maps.yaml:2:12: missing key 'name' in project" ||
	_fail "first problem: $(printf '%s\n' "$ERR" | head -n 1)"
expect_unchanged
rm -f "$T_DIR/empty-maps.yaml"

begin "a bad file leaves a missing store uncreated"
rm -rf "$T_DIR/fresh"
mkdir "$T_DIR/fresh"
run --db "$T_DIR/fresh/s.db" import "$BAD/alias.yaml"
expect_rc 6
[ -z "$(ls -A "$T_DIR/fresh")" ] || _fail "created: $(ls -A "$T_DIR/fresh")"

finish
