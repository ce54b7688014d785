#!/bin/sh
# t_import_feed.sh - an import gives each row it writes the feed id the
# store's triggers give a row written by a command (schemas/009-feed.sql,
# 011-releases.sql): the next after the store's last, in the order the
# import writes them.  On SQLite the import writes the ids itself, the
# triggers dropped for its transaction (store_feed_bulk()); the ids,
# checked here against the triggers' ones, are the same on both stores,
# and so are the triggers once the import is over (or has failed).
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

begin "the triggers made again are the ones dropped, word for word"
if file_store; then
	trig() { sqlite3 "$1" "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"; }
	want=$(trig "$(new_store empty)")
	[ -n "$want" ] || _fail "no triggers in a new store"
	[ "$(trig "$DB2")" = "$want" ] || _fail "the triggers differ after an import" "$(trig "$DB2")"
fi

begin "the projects' summary rows after imports (the summary triggers dropped too): the same as the live view"
# (an import that replaces a project, deleted and inserted again: quiet,
# changed since by the note and the tick above)
run --db "$DB2" import --replace "$T_DIR/all.yaml"
expect_rc 0
expect_out_has "1 replaced"
for q in "SELECT count(*) FROM (SELECT * FROM project_summary EXCEPT SELECT * FROM summary_live) AS d" \
	"SELECT count(*) FROM (SELECT * FROM summary_live EXCEPT SELECT * FROM project_summary) AS d" \
	"SELECT count(*) FROM summary_dirty"; do
	n=$(AIPROJ_DB=$DB2; store_sql "$q")
	[ "$n" = 0 ] || _fail "summary rows differ: $q" "$n"
done

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

finish
