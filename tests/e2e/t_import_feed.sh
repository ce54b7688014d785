#!/bin/sh
# t_import_feed.sh - an import gives each row it writes the feed id the
# store's triggers give a row written by a command (schemas/009-feed.sql,
# 011-releases.sql): the next after the store's last, in the order the
# import writes them.  On SQLite the import writes the ids itself, its
# connection's triggers off for its transaction (store_feed_bulk()), and
# does what the summary triggers would have done (schemas/020-summary.sql,
# 022-people-summary.sql); the ids, checked here against the triggers'
# ones, are the same on both stores, the summary rows are what their views
# compute, and the store's schema is left as it was (or the import failed).
. "$(dirname "$0")/lib.sh"

begin "the fixture: every kind of row in the feed, then an export"
at 2026-03-01T09:00:00.000Z
ok project create churn --description 'every kind of event'
ok role assign churn sponsor 'Ana Lima'
ok decide churn make --cost 100 --reason 'no vendor fits'
ok kpi add churn auc --target '>= 0.8'
ok kpi add churn latency --target '<= 200'
ok gate done churn 1 --note 'see ADR-12'
ok note churn 'vendor demo'
ok --actor 'Ana Lima' gate approve churn
at 2026-03-02T09:00:00.000Z
ok kpi record churn auc 0.83
ok kpi record churn auc 0.7
ok kpi set churn auc --target '>= 0.75' --reason 'relaxed'
ok kpi remove churn latency --reason 'not measured'
fwd churn 4
ok project hold churn --reason 'waiting'
ok project resume churn
at 2026-03-03T09:00:00.000Z
ok release add churn 1.0
ok release add churn 2.0
ok project create quiet
run export -o "$T_DIR/all.yaml"
expect_rc 0

# the feed of store $1, as `events --format csv` prints it
feed_of() {
	run --db "$1" events --format csv
	expect_rc 0
	crlf
}

# the triggers' ids (the import of aiproj before it wrote them itself)
FEED='id,at,project,event,actor,what,note
1,2026-03-04T09:00:00.000Z,other,created,-,at feasibility,
2,2026-03-01T09:00:00.000Z,churn,created,-,at feasibility,
3,2026-03-01T09:00:00.000Z,churn,decide,tester,"make, cost 100",no vendor fits
4,2026-03-01T09:00:00.000Z,churn,kpi,-,auc >= 0.8,
5,2026-03-02T09:00:00.000Z,churn,reading,tester,auc = 0.83,
6,2026-03-02T09:00:00.000Z,churn,reading,tester,auc = 0.7,
7,2026-03-02T09:00:00.000Z,churn,kpi-set,tester,auc >= 0.75,relaxed
8,2026-03-01T09:00:00.000Z,churn,kpi,-,latency <= 200,
9,2026-03-02T09:00:00.000Z,churn,kpi-remove,tester,latency,not measured
10,2026-03-01T09:00:00.000Z,churn,assign,-,sponsor: Ana Lima,
11,2026-03-01T09:00:00.000Z,churn,tick,tester,#1 Goals set for re-training,see ADR-12
12,2026-03-01T09:00:00.000Z,churn,approve,Ana Lima,feasibility as sponsor,
13,2026-03-02T09:00:00.000Z,churn,forced,tester,feasibility -> data-preparation,go
14,2026-03-02T09:00:00.000Z,churn,forced,tester,data-preparation -> prototyping-testing,go
15,2026-03-02T09:00:00.000Z,churn,forced,tester,prototyping-testing -> productization,go
16,2026-03-02T09:00:00.000Z,churn,forced,tester,productization -> deployment,go
17,2026-03-01T09:00:00.000Z,churn,note,tester,,vendor demo
18,2026-03-02T09:00:00.000Z,churn,hold,tester,,waiting
19,2026-03-02T09:00:00.000Z,churn,resume,tester,,
20,2026-03-03T09:00:00.000Z,churn,release,tester,1.0 live,
21,2026-03-03T09:00:00.000Z,churn,supersede,tester,1.0,superseded by 2.0
22,2026-03-03T09:00:00.000Z,churn,release,tester,2.0 live,
23,2026-03-03T09:00:00.000Z,quiet,created,-,at feasibility,'

begin "import after a store's own rows: the ids the triggers give, in order"
DB2=$(new_store second)
at 2026-03-04T09:00:00.000Z
run --db "$DB2" project create other
expect_rc 0
run --db "$DB2" import "$T_DIR/all.yaml"
expect_rc 0
feed_of "$DB2"
expect_out "$FEED"

begin "the triggers are back: a command's rows get the next ids"
at 2026-03-05T09:00:00.000Z
run --db "$DB2" note quiet 'after the import'
expect_rc 0
run --db "$DB2" gate done quiet 1
expect_rc 0
run --db "$DB2" events --format csv --since 23
expect_rc 0
crlf
expect_out 'id,at,project,event,actor,what,note
24,2026-03-05T09:00:00.000Z,quiet,note,tester,,after the import
25,2026-03-05T09:00:00.000Z,quiet,tick,tester,#1 Goals set for re-training,'

begin "the store's schema untouched by the imports: as a new store's, in its order, its version too"
if file_store; then
	schema() { sqlite3 "$1" "PRAGMA schema_version; SELECT type, name, sql FROM sqlite_master ORDER BY rowid"; }
	want=$(schema "$(new_store empty)")
	[ -n "$want" ] || _fail "no schema in a new store"
	[ "$(schema "$DB2")" = "$want" ] || _fail "the schema differs after an import" "$(schema "$DB2")"
fi

# summaries_agree STORE: the projects' summary rows are what their view
# computes now, none is left listed, and on a file store the assignments'
# rows (people_summary) are what theirs computes
summaries_agree() {
	for q in "SELECT count(*) FROM (SELECT * FROM project_summary EXCEPT SELECT * FROM summary_live) AS d" \
		"SELECT count(*) FROM (SELECT * FROM summary_live EXCEPT SELECT * FROM project_summary) AS d" \
		"SELECT count(*) FROM summary_dirty"; do
		n=$(AIPROJ_DB=$1; store_sql "$q")
		[ "$n" = 0 ] || _fail "summary rows differ: $q" "$n"
	done
	is_file_store || return 0
	for q in "SELECT count(*) FROM (SELECT * FROM people_summary EXCEPT SELECT * FROM people_live) AS d" \
		"SELECT count(*) FROM (SELECT * FROM people_live EXCEPT SELECT * FROM people_summary) AS d"; do
		n=$(sqlite3 "$1" "$q")
		[ "$n" = 0 ] || _fail "people summary rows differ: $q" "$n"
	done
}

# every feed id of a file store's rows, and their count in feed_counter
FEED_IDS="SELECT feed_id FROM project UNION ALL SELECT feed_id FROM transition
	UNION ALL SELECT feed_id FROM criterion UNION ALL SELECT feed_id FROM approval
	UNION ALL SELECT feed_id FROM decision UNION ALL SELECT feed_id FROM kpi
	UNION ALL SELECT feed_id FROM kpi_reading UNION ALL SELECT feed_id FROM assignment
	UNION ALL SELECT feed_id FROM event UNION ALL SELECT feed_id FROM prod_release
	UNION ALL SELECT end_feed_id FROM prod_release UNION ALL SELECT feed_id FROM kpi_change"
feed_last() { sqlite3 "$1" "SELECT last FROM feed_counter"; }
# feed_dense STORE BEFORE: on a file store, the feed ids of every table are
# distinct, those given since the counter was BEFORE run from BEFORE + 1
# with no gap, the counter is the greatest, and every row that is an event
# has its id (a ticked criterion, an ended release its end's)
feed_dense() {
	file_store || return 0
	set -- "$1" "$2" "$(sqlite3 "$1" "WITH f(id) AS ($FEED_IDS)
		SELECT count(id) - count(DISTINCT id), count(CASE WHEN id > $2 THEN 1 END),
		min(CASE WHEN id > $2 THEN id END), max(id),
		(SELECT last FROM feed_counter) FROM f")"
	_dup=$(echo "$3" | cut -d'|' -f1) _n=$(echo "$3" | cut -d'|' -f2)
	[ "$_dup" = 0 ] && [ "$_n" -gt 0 ] &&
		[ "$3" = "0|$_n|$(($2 + 1))|$(($2 + _n))|$(($2 + _n))" ] ||
		_fail "feed ids after $2 not dense, or not counted (dup|n|min|max|last)" "$3"
	_missing=$(sqlite3 "$1" "SELECT
		(SELECT count(*) FROM project WHERE feed_id IS NULL)
		+ (SELECT count(*) FROM transition WHERE feed_id IS NULL)
		+ (SELECT count(*) FROM criterion WHERE done <> 0 AND feed_id IS NULL)
		+ (SELECT count(*) FROM approval WHERE feed_id IS NULL)
		+ (SELECT count(*) FROM decision WHERE feed_id IS NULL)
		+ (SELECT count(*) FROM kpi WHERE feed_id IS NULL)
		+ (SELECT count(*) FROM kpi_reading WHERE feed_id IS NULL)
		+ (SELECT count(*) FROM assignment WHERE feed_id IS NULL)
		+ (SELECT count(*) FROM event WHERE feed_id IS NULL)
		+ (SELECT count(*) FROM prod_release WHERE feed_id IS NULL
			OR (ended IS NOT NULL AND end_feed_id IS NULL))
		+ (SELECT count(*) FROM kpi_change WHERE feed_id IS NULL)")
	[ "$_missing" = 0 ] || _fail "rows without their feed id" "$_missing"
}

begin "the projects' summary rows after imports (the summary triggers off too): the same as the live view"
# (an import that replaces a project, deleted and inserted again: quiet,
# changed since by the note and the tick above)
is_file_store && B=$(feed_last "$DB2")
run --db "$DB2" import --replace "$T_DIR/all.yaml"
expect_rc 0
expect_out_has "1 replaced"
summaries_agree "$DB2"
is_file_store && feed_dense "$DB2" "$B"

begin "a failed import (a conflict after some projects were written) leaves the feed and its triggers as they were"
DB3=$(new_store third)
run --db "$DB3" project create quiet
expect_rc 0
run --db "$DB3" import "$T_DIR/all.yaml"
expect_rc 5
run --db "$DB3" project create later
expect_rc 0
run --db "$DB3" events --format csv
expect_rc 0
crlf
# (PostgreSQL's ids come from a sequence, which a rollback does not take
# back: there the next one is only later)
is_file_store || OUT=$(printf '%s\n' "$OUT" | sed 's/^[2-9][0-9]*,\(.*,later,\)/2,\1/')
expect_out 'id,at,project,event,actor,what,note
1,2026-03-05T09:00:00.000Z,quiet,created,-,at feasibility,
2,2026-03-05T09:00:00.000Z,later,created,-,at feasibility,'

begin "import into a new store: the same ids, from 1"
DB4=$T_DIR/fresh.db
is_file_store || DB4=$(new_store fourth)
run --db "$DB4" import "$T_DIR/all.yaml"
expect_rc 0
feed_of "$DB4"
expect_out "$(printf '%s\n' "$FEED" | awk -F, 'NR == 1 { print; next }
	$3 != "other" { $1 = $1 - 1; print }' OFS=,)"

begin "into a store with rows of its own, then two projects replaced (the second deleted with the triggers off): ids dense, summaries as their views"
DB5=$(new_store fifth)
at 2026-03-06T09:00:00.000Z
ok --db "$DB5" project create own
ok --db "$DB5" role assign own sponsor 'Ana Lima'
ok --db "$DB5" gate done own 1
ok --db "$DB5" --actor 'Ana Lima' gate approve own
ok --db "$DB5" kpi add own auc --target '>= 0.8'
for _i in 1 2 3 4; do ok --db "$DB5" stage advance own --force --reason go; done
ok --db "$DB5" release add own 1.0
ok --db "$DB5" release add own 2.0
is_file_store && B=$(feed_last "$DB5")
run --db "$DB5" import "$T_DIR/all.yaml"
expect_rc 0
expect_out_has "2 created"
summaries_agree "$DB5"
is_file_store && feed_dense "$DB5" "$B"
# two staffed projects (their assignments' summary rows go with them)
PAIR=$(new_store pair)
for p in alpha beta; do
	ok --db "$PAIR" project create $p
	ok --db "$PAIR" role assign $p sponsor 'Bo Chen'
	ok --db "$PAIR" role assign $p ai-engineer 'Cy Diaz'
done
ok --db "$PAIR" export -o "$T_DIR/pair.yaml"
is_file_store && B=$(feed_last "$DB5")
run --db "$DB5" import "$T_DIR/pair.yaml"
expect_rc 0
expect_out_has "2 created"
summaries_agree "$DB5"
is_file_store && feed_dense "$DB5" "$B"
# (beta's ai-engineer another person: its old assignment's row must go)
awk '/^- name: beta$/ { b = 1 } /^people:/ { b = 0 }
	b && $0 == "    person: Cy Diaz" { $0 = "    person: Dee Ng" }
	{ sub(/^  description: .*/, "  description: changed"); print }' \
	"$T_DIR/pair.yaml" >"$T_DIR/changed.yaml"
grep -q 'Dee Ng' "$T_DIR/changed.yaml" || _fail "changed.yaml: beta's assignment unchanged"
is_file_store && B=$(feed_last "$DB5")
run --db "$DB5" import --replace "$T_DIR/changed.yaml"
expect_rc 0
expect_out_has "0 created, 2 replaced, 0 unchanged"
summaries_agree "$DB5"
is_file_store && feed_dense "$DB5" "$B"
run --db "$DB5" --format json project show beta
jq_out '.description' changed

begin "a name the import adds to a person lists the projects it approved for (summary_person_name_ins): their summary rows count the approval"
# a source store: own's sponsor approved, then renamed: the approval, made
# under the old name, counts through the person's other name
SRC=$(new_store source)
at 2026-03-07T09:00:00.000Z
ok --db "$SRC" project create own
ok --db "$SRC" role assign own sponsor 'Ana Lima'
ok --db "$SRC" --actor 'Ana Lima' gate approve own
ok --db "$SRC" person rename 'Ana Lima' 'Ana Souza'
ok --db "$SRC" export own -o "$T_DIR/own.yaml"
ok --db "$SRC" project create more
ok --db "$SRC" export -o "$T_DIR/both.yaml"
# own alone as an export from before other names (none, and no assigned_as):
# there the approval counts for no one
sed '/^  names:$/,/^  [a-z]/{/^  names:$/d;/^  - /d}; /assigned_as:/d' \
	"$T_DIR/own.yaml" >"$T_DIR/own-old.yaml"
grep -q 'Ana Lima' "$T_DIR/own-old.yaml" && ! grep -q '^  - Ana Lima' "$T_DIR/own-old.yaml" ||
	_fail "own-old.yaml is not an export without other names"
DB6=$(new_store sixth)
run --db "$DB6" import "$T_DIR/own-old.yaml"
expect_rc 0
summaries_agree "$DB6"
[ "$(AIPROJ_DB=$DB6; store_sql "SELECT approvals FROM project_summary WHERE name = 'own'")" = "0:" ] ||
	_fail "the approval counts before its name is known"
# then both: own unchanged, more created (so the people are written with
# the triggers off), and Ana Souza's other name added: own's approval counts
sed '/assigned_as:/d' "$T_DIR/both.yaml" >"$T_DIR/both-now.yaml"
run --db "$DB6" import "$T_DIR/both-now.yaml"
expect_rc 0
expect_out_has "1 created, 0 replaced, 1 unchanged"
summaries_agree "$DB6"
[ "$(AIPROJ_DB=$DB6; store_sql "SELECT approvals FROM project_summary WHERE name = 'own'")" = "1:sponsor" ] ||
	_fail "the approval does not count once its name is known"

begin "a bad project late in the file (exit 6, after others were written): the store unchanged, the triggers back"
awk '/^- name: quiet$/ { q = 1 } q && /^  stage:/ { $0 = "  stage: nowhere" } { print }' \
	"$T_DIR/all.yaml" >"$T_DIR/late-bad.yaml"
DB7=$(new_store seventh)
at 2026-03-08T09:00:00.000Z
ok --db "$DB7" project create own
snap "$DB7"
run --db "$DB7" import "$T_DIR/late-bad.yaml"
expect_rc 6
expect_err_has "nowhere"
expect_unchanged "$DB7"
run --db "$DB7" note own 'after the failure'
expect_rc 0
run --db "$DB7" events --format csv --since 1
expect_rc 0
crlf
# (PostgreSQL: the ids the failed import took are not given back)
is_file_store || OUT=$(printf '%s\n' "$OUT" | sed 's/^[0-9]*,\(.*,own,note,\)/2,\1/')
expect_out 'id,at,project,event,actor,what,note
2,2026-03-08T09:00:00.000Z,own,note,tester,,after the failure'
summaries_agree "$DB7"

begin "the stores' schemas untouched by all these imports"
if file_store; then
	for d in "$DB2" "$DB5" "$DB6" "$DB7"; do
		[ "$(schema "$d")" = "$want" ] || _fail "the schema differs after an import: $d" "$(schema "$d")"
	done
fi

finish
