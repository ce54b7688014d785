#!/bin/sh
# t_copy.sh - aiproj copy: a whole store into another, SQLite or
# PostgreSQL either way (docs/postgresql.md, Moving a store).  The copy
# exports the same bytes and verifies as the source, and so does a copy
# of the copy; every table comes across (its rows, ids, hashes, feed ids,
# settings and administrators); a destination that holds anything, the
# store itself, a failure midway, bad arguments: refused, the destination
# unchanged; --merge imports the source's projects by import's rules;
# --dry-run writes nothing.  With $AIPROJ_E2E_PG set, a 10k-project store
# goes to PostgreSQL and back (the plain binary only).
. "$(dirname "$0")/lib.sh"

# a store that fills every table: its own lifecycle, roles policy,
# administrators, people, releases, KPIs (readings, changes), decisions,
# approvals, events, the audit log; text with tabs, backslashes, newlines
seven=$(dirname "$0")/lifecycles/seven.yaml
ok init --lifecycle "$seven"
ok project create churn-model --description "$(printf 'tab\there back\\slash\nnew line é')"
ok project create fraud-check
ok person add 'Ana Lima' --email ana@example.com --handle @ana
ok role assign churn-model sponsor 'Ana Lima' --title requester
ok decide churn-model make --cost 120000.5 --reason 'no vendor fits'
ok kpi add churn-model auc --target '>= 0.80'
ok kpi record churn-model auc 0.1
ok kpi record churn-model auc 0.8125
ok kpi set churn-model auc --target '> 0.7' --reason tuned
ok gate done churn-model 1 --note "$(printf 'a\tb')"
ok --actor 'Ana Lima' gate approve churn-model --note 'fine by me'
ok component add churn-model feature-store --owner data-engineer --description 'the features'
ok stage advance churn-model --force --reason go
ok stage back churn-model --to intake --reason 'cost was wrong'
ok stage due fraud-check 2031-01-31
ok note fraud-check "$(printf 'line one\nline two \\ end')"
ok project hold fraud-check --reason waiting
ok project resume fraud-check
ok role assign fraud-check devops 'Bo Chen'
ok person rename 'Bo Chen' 'Bo Chan'
ok admin add 'Ana Lima'
fwd fraud-check 6
ok release add fraud-check 1.0 --artifact oci://m/f:1.0 --digest sha256:"$(printf '%064d' 7)"
ok release add fraud-check 1.1
ok kpi add fraud-check p99 --target '<= 250'
ok kpi record fraud-check p99 300
ok policy set roles
# a refusal under roles: logged in the audit log
run --actor nobody stage advance churn-model
[ "$RC" = 0 ] && _fail "a stranger moved a project under roles"

begin "the store under test fills every table the copy knows"
for t in project transition criterion assignment decision kpi kpi_reading \
	approval component audit admin event person person_name person_event \
	prod_release kpi_change; do
	n=$(store_sql "SELECT count(*) FROM $t")
	[ "$n" -gt 0 ] || _fail "table $t is empty"
done
[ "$(store_sql "SELECT count(*) FROM assignment WHERE assigned_name IS NOT NULL")" = 1 ] ||
	_fail "no assignment keeps the name it was made to"

run export -o "$T_DIR/orig.yaml"
expect_rc 0
run log
LOG=$OUT
run events
EVENTS=$OUT
run verify
VERIFY=$OUT

# same_as_orig STORE: STORE exports the same bytes, has the same log and
# feed, and verifies
same_as_orig() {
	run --db "$1" export -o "$T_DIR/got.yaml"
	expect_rc 0
	cmp -s "$T_DIR/orig.yaml" "$T_DIR/got.yaml" ||
		_fail "the export of $1 differs" "$(diff "$T_DIR/orig.yaml" "$T_DIR/got.yaml" | head -10)"
	run --db "$1" log
	[ "$OUT" = "$LOG" ] || _fail "the log of $1 differs"
	run --db "$1" events
	[ "$OUT" = "$EVENTS" ] || _fail "the event feed of $1 differs"
	run --db "$1" verify
	expect_rc 0
	expect_out "$VERIFY"
	expect_out_has "intact:"
}
# rows STORE: every row of an SQLite store, sorted
rows() { sqlite3 "$1" .dump | grep '^INSERT' | sort; }

begin "copy --to a new file: every row, the same export, log, feed and chains"
run copy --to "$T_DIR/c1.db"
expect_rc 0
expect_out_has "Copied 2 projects ("
expect_out_has " from $AIPROJ_DB to $T_DIR/c1.db"
expect_err ""
same_as_orig "$T_DIR/c1.db"
[ "$(stat -c %a "$T_DIR/c1.db")" = 600 ] || _fail "the new store is not 0600"
# every row, the audit log's too (which no export holds)
if file_store; then
	[ "$(rows "$AIPROJ_DB")" = "$(rows "$T_DIR/c1.db")" ] || _fail "the rows differ"
fi
# its settings and administrators are the source's
run --db "$T_DIR/c1.db" policy show
expect_out_has roles
run --db "$T_DIR/c1.db" admin list
expect_out_has 'Ana Lima'
[ "$(sqlite3 "$T_DIR/c1.db" "SELECT value FROM meta WHERE key = 'lifecycle'")" = \
	"$(store_sql "SELECT value FROM meta WHERE key = 'lifecycle'")" ] ||
	_fail "the copy's lifecycle differs"
# ids go on after the copied ones
run --db "$T_DIR/c1.db" --actor 'Ana Lima' note churn-model 'after the copy'
expect_rc 0
run --db "$T_DIR/c1.db" verify
expect_rc 0

begin "copy --from into a new store, and a copy of the copy: the same again"
run --db "$T_DIR/c1.db" copy --from "$AIPROJ_DB"
expect_rc 4
expect_err_has "it holds 2 projects"
run --db "$T_DIR/c2new.db" copy --from "$AIPROJ_DB"
expect_rc 0
same_as_orig "$T_DIR/c2new.db"
C2=$(new_store c2)
run --db "$C2" copy --from "$T_DIR/c2new.db"
expect_rc 0
same_as_orig "$C2"

begin "a new store of the kind under test (its settings and administrator only) takes a copy"
C3=$(new_store c3)
run copy --to "$C3"
expect_rc 0
expect_out_has "Copied 2 projects"
same_as_orig "$C3"
run --db "$C3" admin list
expect_out_has 'Ana Lima'
# and back into a new file
run --db "$T_DIR/back.db" copy --from "$C3"
expect_rc 0
same_as_orig "$T_DIR/back.db"
if file_store; then
	[ "$(rows "$AIPROJ_DB")" = "$(rows "$T_DIR/back.db")" ] || _fail "the rows differ after the way back"
fi

begin "--format json: the tables and their rows"
run --format json copy --to "$T_DIR/c4.db"
expect_rc 0
jq_out '.projects' 2
jq_out '.dry_run' false
jq_out '.tables.project' 2
jq_out '.tables | keys | length' 18
jq_out "[.tables[]] | add" "$(printf '%s' "$OUT" | jq '.rows')"

begin "-q prints nothing"
run -q copy --to "$T_DIR/c5.db"
expect_rc 0
expect_out ""
expect_err ""

begin "--dry-run: counts, creates nothing"
run copy --to "$T_DIR/dry.db" --dry-run
expect_rc 0
expect_out_has "Would copy 2 projects"
[ -e "$T_DIR/dry.db" ] && _fail "a dry run made a store"
snap "$C2"
run copy --to "$C2" --dry-run
expect_rc 4
expect_unchanged "$C2"

begin "a destination with projects is refused (exit 4), unchanged"
snap "$T_DIR/c1.db"
run copy --to "$T_DIR/c1.db"
expect_rc 4
expect_err "aiproj: error: cannot copy into store '$T_DIR/c1.db': it holds 2 projects; copy into a new store, or add the projects with --merge"
expect_unchanged "$T_DIR/c1.db"

begin "a destination with any other row is refused too"
E1=$(new_store e1)
ok --db "$E1" person add 'Solo Person'
snap "$E1"
run copy --to "$E1"
expect_rc 4
expect_err_has "it is not empty (table person has rows)"
expect_unchanged "$E1"

begin "the store into itself: refused (exit 2), by any name"
run copy --to "$AIPROJ_DB"
expect_rc 2
expect_err_has "into itself"
if file_store; then
	ln -s "$AIPROJ_DB" "$T_DIR/link.db"
	run copy --to "$T_DIR/link.db"
	expect_rc 2
	expect_err "aiproj: error: cannot copy store '$AIPROJ_DB' into itself"
fi

begin "bad arguments: neither or both of --to and --from, an empty location"
run copy
expect_rc 2
expect_err "aiproj: error: copy: give one of --to DEST (from the store) and --from SRC (into the store)"
run copy --to "$T_DIR/x.db" --from "$T_DIR/y.db"
expect_rc 2
run copy --to ''
expect_rc 2
run copy --to
expect_rc 2
[ -e "$T_DIR/x.db" ] && _fail "a refused copy made a store"

begin "a missing source: exit 7, no destination made"
run --db "$T_DIR/none.db" copy --to "$T_DIR/x.db"
expect_rc 7
expect_err "aiproj: error: no aiproj store at '$T_DIR/none.db': 'aiproj init' creates one"
[ -e "$T_DIR/x.db" ] && _fail "a failed copy made a store"

begin "an unreachable destination: exit 8, the source untouched"
snap
run copy --to postgresql://nobody@127.0.0.1:1/none
expect_rc 8
expect_err_has "is unavailable"
expect_unchanged

begin "a failure midway (a row the destination refuses): nothing written"
if file_store; then
	cp "$AIPROJ_DB" "$T_DIR/bad.db"
	# a decision of no project: written with foreign keys off, refused
	# by the destination after the tables before it were copied
	sqlite3 "$T_DIR/bad.db" "INSERT INTO decision (project_id, kind, cost, reason, actor, at) VALUES (999, 'make', 1, 'x', 'y', '2026-01-01T00:00:00.000Z')"
	run --db "$T_DIR/bad.db" copy --to "$T_DIR/bad-copy.db"
	expect_rc 7
	expect_err_has "FOREIGN KEY"
	[ -e "$T_DIR/bad-copy.db" ] && _fail "a failed copy left a store"
	E2=$(new_store e2)
	snap "$E2"
	run --db "$T_DIR/bad.db" copy --to "$E2"
	expect_rc 7
	expect_unchanged "$E2"
fi

begin "a copy into a new file ended by a signal (TERM, HUP) leaves no file behind"
# (3,000 generated projects: a copy long enough to be caught midway; a
# copy that ends first is a failure here, not a pass)
sh "$(dirname "$0")/../bench/gen.sh" 3000 "$T_DIR/big.db" "$AIPROJ" >/dev/null 2>&1 ||
	_fail "tests/bench/gen.sh did not make the store"
mkdir "$T_DIR/sig"
for sig in TERM HUP; do
	"$AIPROJ" --db "$T_DIR/big.db" copy --to "$T_DIR/sig/c.db" >/dev/null 2>&1 &
	pid=$!
	i=0
	while ! ls -A "$T_DIR/sig" | grep -q '^c\.db\.new-' && [ $i -lt 1000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	kill -"$sig" "$pid" 2>/dev/null
	wait "$pid"
	RC=$?
	[ "$RC" -gt 128 ] || _fail "$sig: exit $RC, not by the signal"
	[ -z "$(ls -A "$T_DIR/sig")" ] || _fail "$sig: files left" "$(ls -A "$T_DIR/sig")"
done

begin "a table or column the copy does not know: refused, not left behind"
if file_store; then
	cp "$AIPROJ_DB" "$T_DIR/extra.db"
	sqlite3 "$T_DIR/extra.db" "CREATE TABLE extra (x TEXT)"
	run --db "$T_DIR/extra.db" copy --to "$T_DIR/extra-copy.db"
	expect_rc 7
	expect_err "aiproj: error: cannot copy store '$T_DIR/extra.db': it has a table extra that this copy does not know"
	cp "$AIPROJ_DB" "$T_DIR/col.db"
	sqlite3 "$T_DIR/col.db" "ALTER TABLE project ADD COLUMN colour TEXT"
	run --db "$T_DIR/col.db" copy --to "$T_DIR/col-copy.db"
	expect_rc 7
	expect_err_has "its table project has a column colour that this copy does not know"
	[ -e "$T_DIR/extra-copy.db" ] || [ -e "$T_DIR/col-copy.db" ] && _fail "a refused copy left a store"
fi

begin "--merge adds the source's projects by import's rules; the destination keeps its settings"
M=$(new_store m)
ok --db "$M" init --lifecycle "$seven"
ok --db "$M" project create own-project
run copy --to "$M" --merge
expect_rc 0
expect_out "Merged $AIPROJ_DB into $M: 2 created, 0 unchanged"
run --db "$M" project list --status all --format json
jq_out '[.projects[].project] | sort | join(",")' "churn-model,fraud-check,own-project"
run --db "$M" policy show
expect_out_lacks roles
run --db "$M" verify
expect_rc 0
run --format json copy --to "$M" --merge
expect_rc 0
jq_out '.created' 0
jq_out '.unchanged' 2

begin "--merge of a project that differs: refused (exit 5), nothing changed"
ok --db "$M" note churn-model 'only here'
snap "$M"
run --db "$M" copy --to "$AIPROJ_DB" --merge --dry-run
expect_rc 5
run copy --to "$M" --merge
expect_rc 5
expect_err_has "nothing imported: projects in '$AIPROJ_DB' differ from the store"
expect_unchanged "$M"

begin "--merge --dry-run: says what it would do, changes nothing"
M2=$(new_store m2)
ok --db "$M2" init --lifecycle "$seven"
snap "$M2"
run copy --to "$M2" --merge --dry-run
expect_rc 0
expect_out "Would merge $AIPROJ_DB into $M2: 2 created, 0 unchanged"
expect_unchanged "$M2"

# ---- 10k projects to PostgreSQL and back (the PostgreSQL suite) ----
big=0
if [ "$E2E_BACKEND" = pg ]; then
	case $AIPROJ in */asan/*) ;; *) big=1 ;; esac
fi
if [ "$big" = 1 ]; then
	begin "10k projects: SQLite to PostgreSQL and back, the same export byte for byte, chains intact"
	sh "$(dirname "$0")/../bench/gen_export.sh" 10000 >"$T_DIR/10k.yaml"
	run --db "$T_DIR/10k.db" import "$T_DIR/10k.yaml"
	expect_rc 0
	run --db "$T_DIR/10k.db" export -o "$T_DIR/10k-a.yaml"
	expect_rc 0
	P=$(new_store big)
	run --db "$T_DIR/10k.db" copy --to "$P"
	expect_rc 0
	expect_out_has "Copied 10000 projects"
	run --db "$P" verify
	expect_rc 0
	run --db "$P" export -o "$T_DIR/10k-b.yaml"
	expect_rc 0
	cmp -s "$T_DIR/10k-a.yaml" "$T_DIR/10k-b.yaml" || _fail "PostgreSQL's export differs"
	run --db "$T_DIR/10k-back.db" copy --from "$P"
	expect_rc 0
	run --db "$T_DIR/10k-back.db" verify
	expect_rc 0
	run --db "$T_DIR/10k-back.db" export -o "$T_DIR/10k-c.yaml"
	expect_rc 0
	cmp -s "$T_DIR/10k-a.yaml" "$T_DIR/10k-c.yaml" || _fail "the export after the way back differs"
	rm -f "$T_DIR"/10k*
fi

finish
