#!/bin/sh
# t_import_fast.sh - the paths that make an import fast keep its behaviour:
# a store the import makes is not read back (but a name twice in the file
# still is a problem), a store with projects is still compared with, people
# are looked up once, and on PostgreSQL a project's rows are pipelined: a
# row the server refuses mid-project gives the error it gives unpipelined,
# before any problem of a later project, and a project's id foretold is
# checked.
. "$(dirname "$0")/lib.sh"

GEN=$(dirname "$0")/../bench/gen_export.sh
sh "$GEN" 3 >"$T_DIR/g3.yaml"

# the file with project 1's first assignment `what` (an extra one, first)
with_assignment() {
	python3 - "$T_DIR/g3.yaml" "$1" <<'EOF'
import sys
s = open(sys.argv[1]).read()
i = s.index('  assignments:\n') + len('  assignments:\n')
sys.stdout.write(s[:i] + sys.argv[2] + s[i:])
EOF
}

# fresh NAME: the location of a store that does not exist yet (a file, or
# a database without tables)
fresh() {
	if is_file_store; then
		printf '%s\n' "$T_DIR/$1.db"
	else
		_psql "$AIPROJ_E2E_PG" -c "DROP DATABASE IF EXISTS ${T_PGDB}_$1" \
			-c "CREATE DATABASE ${T_PGDB}_$1" >/dev/null
		printf '%s\n' "${AIPROJ_E2E_PG%/*}/${T_PGDB}_$1"
	fi
}

begin "import into a store it makes: every project created, then all unchanged"
AIPROJ_DB=$(fresh made)
run import "$T_DIR/g3.yaml"
expect_rc 0
expect_out "Imported $T_DIR/g3.yaml: 3 created, 0 replaced, 0 unchanged"
run import "$T_DIR/g3.yaml"
expect_rc 0
expect_out "Imported $T_DIR/g3.yaml: 0 created, 0 replaced, 3 unchanged"

begin "a store with projects: a changed one is a conflict, --replace replaces it"
sed 's/^  description: Synthetic project 2$/  description: Changed/' \
	"$T_DIR/g3.yaml" >"$T_DIR/changed.yaml"
snap
run import "$T_DIR/changed.yaml"
expect_rc 5
expect_err_has "project 'p000002-fraud-alerts' exists and differs"
expect_unchanged
run import --replace "$T_DIR/changed.yaml"
expect_rc 0
expect_out "Imported $T_DIR/changed.yaml: 0 created, 1 replaced, 2 unchanged"

begin "a project twice in the file, into a store the import makes: exit 6"
AIPROJ_DB=$(fresh twice)
{
	cat "$T_DIR/g3.yaml"
	sed -n '/^- name: p000001/,/^- name: p000002/p' "$T_DIR/g3.yaml" | sed '$d'
} >"$T_DIR/twice.yaml"
run import "$T_DIR/twice.yaml"
expect_rc 6
expect_err_has "duplicate project 'p000001-churn-model'"
if is_file_store && [ -e "$AIPROJ_DB" ]; then
	_fail "the store was made"
fi

begin "the same person written two ways in one project: the store's conflict"
AIPROJ_DB=$(new_store dup)
with_assignment '  - role: sponsor
    person: bo patel
    assigned_at: "2020-01-01T00:47:30.001Z"
' >"$T_DIR/dup.yaml"
snap
run import "$T_DIR/dup.yaml"
expect_rc 5
expect_err "aiproj: error: 'bo patel' is already assigned as sponsor"
expect_unchanged

begin "two people written two ways in one project: the first conflict is told"
# (PostgreSQL: a project's assignments go out as one statement; the row
# named is the first that inserted nothing, with rows after it)
AIPROJ_DB=$(new_store dup2)
with_assignment '  - role: ai-engineer
    person: ana silva
    assigned_at: "2020-01-01T00:41:30.001Z"
  - role: sponsor
    person: BO PATEL
    assigned_at: "2020-01-01T00:41:40.001Z"
' >"$T_DIR/dup2.yaml"
snap
run import "$T_DIR/dup2.yaml"
expect_rc 5
expect_err "aiproj: error: 'ana silva' is already assigned as ai-engineer"
expect_unchanged

begin "people met in an earlier project are the same people in a later one"
AIPROJ_DB=$(fresh people)
run import "$T_DIR/g3.yaml"
expect_rc 0
OUT=$(store_sql "SELECT (SELECT count(*) FROM person) = (SELECT count(DISTINCT
	person) FROM assignment), (SELECT count(*) FROM assignment)")
case $OUT in 1\|18 | t\|18) ;; *) _fail "people and assignments: $OUT" ;; esac

if ! is_file_store; then
	begin "PostgreSQL: a row the server refuses mid-project, pipelined or not"
	AIPROJ_DB=$(new_store refuse)
	store_sql "CREATE FUNCTION imp_refuse() RETURNS trigger LANGUAGE plpgsql AS
		\$\$ BEGIN IF NEW.value = 0.73 AND NEW.project_id > 1 THEN
		RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END \$\$;
		CREATE TRIGGER imp_refuse BEFORE INSERT ON kpi_reading
		FOR EACH ROW EXECUTE FUNCTION imp_refuse()" >/dev/null
	snap
	run import "$T_DIR/g3.yaml"
	expect_rc 7
	expect_err "aiproj: error: store '$AIPROJ_DB': cannot record the KPI reading: refused by the test"
	expect_unchanged
	piped_err=$ERR
	export AIPROJ_PG_NO_PIPELINE=1
	run import "$T_DIR/g3.yaml"
	unset AIPROJ_PG_NO_PIPELINE
	expect_rc 7
	[ "$ERR" = "$piped_err" ] || _fail "unpipelined: $ERR"
	expect_unchanged

	begin "PostgreSQL: a row refused, then a problem in a later project: the refusal is told"
	# (a project's rows are not waited for: the server writes them while
	# the next project is read and checked)
	sed '/^- name: p000003/,$ s/^  status: active$/  status: bogus/' \
		"$T_DIR/g3.yaml" >"$T_DIR/late.yaml"
	AIPROJ_DB=$(new_store late)
	run import "$T_DIR/late.yaml"
	expect_rc 6
	expect_err_has "'status' must be one of active, on-hold, closed, not 'bogus'"
	store_sql "CREATE FUNCTION imp_refuse2() RETURNS trigger LANGUAGE plpgsql AS
		\$\$ BEGIN IF NEW.project_id = (SELECT id FROM project
		WHERE name = 'p000002-fraud-alerts') THEN
		RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END \$\$;
		CREATE TRIGGER imp_refuse2 BEFORE INSERT ON transition
		FOR EACH ROW EXECUTE FUNCTION imp_refuse2()" >/dev/null
	snap
	run import "$T_DIR/late.yaml"
	expect_rc 7
	expect_err "aiproj: error: store '$AIPROJ_DB': cannot record the transition: refused by the test"
	expect_unchanged
	export AIPROJ_PG_NO_PIPELINE=1
	run import "$T_DIR/late.yaml"
	unset AIPROJ_PG_NO_PIPELINE
	expect_rc 7
	expect_err "aiproj: error: store '$AIPROJ_DB': cannot record the transition: refused by the test"
	expect_unchanged

	# a project's id is foretold (the one after the last, once two in a
	# row counted up by one), not waited for: checked when its rows are
	begin "PostgreSQL: ids that count up by two are not foretold"
	AIPROJ_DB=$(fresh step1)
	run import "$T_DIR/g3.yaml"
	expect_rc 0
	run export -o "$T_DIR/step1.yaml"
	expect_rc 0
	AIPROJ_DB=$(fresh step2)
	"$AIPROJ" --db "$AIPROJ_DB" init >/dev/null
	store_sql "ALTER TABLE project ALTER COLUMN id SET INCREMENT BY 2" >/dev/null
	run import "$T_DIR/g3.yaml"
	expect_rc 0
	expect_out "Imported $T_DIR/g3.yaml: 3 created, 0 replaced, 0 unchanged"
	OUT=$(store_sql "SELECT string_agg(p.id || ':' || (SELECT count(*) FROM
		criterion c WHERE c.project_id = p.id), ' ' ORDER BY p.id) FROM project p")
	[ "$OUT" = "1:18 3:18 5:18" ] || _fail "ids and their rows: $OUT"
	run export -o "$T_DIR/step2.yaml"
	expect_rc 0
	cmp -s "$T_DIR/step1.yaml" "$T_DIR/step2.yaml" || _fail "the export differs"

	begin "PostgreSQL: an id taken by another writer mid-import: busy, nothing written"
	AIPROJ_DB=$(new_store taken)
	store_sql "CREATE FUNCTION imp_take() RETURNS trigger LANGUAGE plpgsql AS
		\$\$ BEGIN IF NEW.name = 'p000002-fraud-alerts' THEN
		PERFORM nextval(pg_get_serial_sequence('project', 'id'));
		END IF; RETURN NULL; END \$\$;
		CREATE TRIGGER imp_take AFTER INSERT ON project
		FOR EACH ROW EXECUTE FUNCTION imp_take()" >/dev/null
	snap
	run import "$T_DIR/g3.yaml"
	expect_rc 8
	expect_err "aiproj: error: store '$AIPROJ_DB' is busy: another connection wrote a project meanwhile; try again"
	expect_unchanged
fi

finish
