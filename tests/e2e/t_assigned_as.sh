#!/bin/sh
# t_assigned_as.sh - an assignment's original name survives export and
# import (docs/export.md, assignments): person rename and person merge
# move a person's assignments to the name they keep, each keeping once the
# name it was made to (schemas/018-assigned-name.sql), and the log and the
# event feed go on showing that name.  The export writes it as
# `assigned_as` when it differs from `person` (only then: an export
# without renames is as before), import checks it is one of the person's
# other names in the file's people (exit 6 at its place, nothing written)
# and keeps it; so after export | import and copy --merge, log, events
# and the re-export are the same.  A project that differs from the store
# only in an assigned_as is not unchanged: a conflict, or replaced.
. "$(dirname "$0")/lib.sh"

at 2026-06-01T09:00:00.000Z
ok init
ok project create alpha
ok role assign alpha sponsor 'Ana Lima'
ok role assign alpha ai-engineer 'Eve Ong'
ok role assign alpha data-scientist 'Gil Roy' --title lead
at 2026-06-01T09:10:00.000Z
ok project create beta
ok role assign beta sponsor 'Eve Ong'
ok role assign beta ai-engineer 'Dee Ng'
ok role assign beta data-scientist 'Eve Ong'
ok role assign beta data-scientist 'Dee Ng'
ok project create gamma
ok role assign gamma sponsor 'Bo Chen'
at 2026-06-02T10:00:00.000Z
# twice: the assignment keeps the first name
ok person rename 'Ana Lima' 'Ana Souza'
ok person rename 'Ana Souza' 'Ana Reis'
# and back: the name it was made to is its person's again
ok person rename 'Gil Roy' 'Gil R'
ok person rename 'Gil R' 'Gil Roy'
# both held data-scientist in beta: one assignment, Dee Ng's
ok person merge 'Eve Ong' 'Dee Ng'
unset AIPROJ_NOW

# the feed of store $1 without its ids (an import numbers it in the order
# it writes), sorted
feed() {
	"$AIPROJ" --db "$1" events --format csv | cut -d, -f2- | LC_ALL=C sort
}
expect_err_lacks() { case $ERR in *"$1"*) _fail "stderr has '$1'" ;; esac; }

begin "before: log and events name each assignment as it was made"
run --format csv log alpha
expect_rc 0
expect_out_has ",assign,-,sponsor: Ana Lima,"
expect_out_has ",assign,-,ai-engineer: Eve Ong,"
expect_out_has ",assign,-,data-scientist: Gil Roy,"
expect_out_lacks ",assign,-,sponsor: Ana Reis,"
run log alpha
LOG_ALPHA=$OUT
run --format csv log beta
expect_out_has ",assign,-,sponsor: Eve Ong,"
run log beta
LOG_BETA=$OUT
FEED=$(feed "$AIPROJ_DB")
printf '%s\n' "$FEED" >"$T_DIR/feed.want"
printf '%s\n' "$FEED" | grep -q "assign,-,sponsor: Ana Lima" || _fail "the feed lacks Ana Lima's assignment"

begin "export: assigned_as where a rename or merge moved the assignment, nowhere else"
run export -o "$T_DIR/all.yaml"
expect_rc 0
run --format json export
jq_out '[.projects[] | .name as $p | .assignments[] | select(.assigned_as) | "\($p):\(.role):\(.person)<-\(.assigned_as)"] | join(" ")' \
	"alpha:ai-engineer:Dee Ng<-Eve Ong alpha:sponsor:Ana Reis<-Ana Lima beta:sponsor:Dee Ng<-Eve Ong"
jq_out '[.projects[] | .assignments[] | select(.assigned_as == null) | .person] | join(",")' \
	"Gil Roy,Dee Ng,Dee Ng,Bo Chen"
jq_out '[.people[] | "\(.name)=\(.names // [] | join("+"))"] | join(" ")' \
	"Ana Reis=Ana Lima+Ana Souza Bo Chen= Dee Ng=Eve Ong Gil Roy=Gil R"
# the key comes after person, and the other keys are where they were
grep -A1 '^    person: Ana Reis$' "$T_DIR/all.yaml" | grep -q '^    assigned_as: Ana Lima$' ||
	_fail "assigned_as is not after person" "$(grep -A2 'person: Ana Reis' "$T_DIR/all.yaml")"
run export gamma
expect_out_lacks "assigned_as"

for how in import copy; do
	begin "$how: into a new store, log, events and the re-export are the same"
	NEW=$(new_store "new_$how")
	if [ "$how" = import ]; then
		run --db "$NEW" import "$T_DIR/all.yaml"
		expect_rc 0
		expect_out "Imported $T_DIR/all.yaml: 3 created, 0 replaced, 0 unchanged"
	else
		run copy --to "$NEW" --merge
		expect_rc 0
	fi
	run --db "$NEW" log alpha
	[ "$OUT" = "$LOG_ALPHA" ] || _fail "log alpha differs" "$(printf '%s\n' "$LOG_ALPHA" | diff - "$T_DIR/out" | head)"
	run --db "$NEW" log beta
	[ "$OUT" = "$LOG_BETA" ] || _fail "log beta differs" "$(printf '%s\n' "$LOG_BETA" | diff - "$T_DIR/out" | head)"
	got=$(feed "$NEW")
	[ "$got" = "$FEED" ] || _fail "the events differ" "$(printf '%s\n' "$got" | diff -u "$T_DIR/feed.want" - | head -20)"
	run --db "$NEW" export -o "$T_DIR/again.yaml"
	expect_rc 0
	cmp -s "$T_DIR/all.yaml" "$T_DIR/again.yaml" ||
		_fail "the re-export differs" "$(diff "$T_DIR/all.yaml" "$T_DIR/again.yaml" | head -20)"
	run --db "$NEW" verify
	expect_rc 0
done

begin "into a file store (from PostgreSQL when it is the store under test): the same export"
"$AIPROJ" --db "$T_DIR/file.db" init >/dev/null
run --db "$T_DIR/file.db" import "$T_DIR/all.yaml"
expect_rc 0
run --db "$T_DIR/file.db" copy --to "$T_DIR/file2.db" --merge
expect_rc 0
run --db "$T_DIR/file2.db" export -o "$T_DIR/file.yaml"
expect_rc 0
cmp -s "$T_DIR/all.yaml" "$T_DIR/file.yaml" ||
	_fail "the file store's export differs" "$(diff "$T_DIR/all.yaml" "$T_DIR/file.yaml" | head -20)"

begin "import again, into the store it came from: unchanged, store untouched"
snap
run import "$T_DIR/all.yaml"
expect_rc 0
expect_out "Imported $T_DIR/all.yaml: 0 created, 0 replaced, 3 unchanged"
expect_unchanged

begin "a project that differs only in an assigned_as: a conflict, and --replace takes the file's"
# (assignments carry no hash: a format 2 file still imports)
sed '/^    assigned_as: Ana Lima$/d' "$T_DIR/all.yaml" >"$T_DIR/lost.yaml"
snap
run import "$T_DIR/lost.yaml"
expect_rc 5
expect_err_has "project 'alpha' exists and differs"
expect_err_lacks "'beta'"
expect_unchanged
run import "$T_DIR/lost.yaml" --replace
expect_rc 0
expect_out "Imported $T_DIR/lost.yaml: 0 created, 1 replaced, 2 unchanged"
run --format csv log alpha
expect_out_has ",assign,-,sponsor: Ana Reis,"
expect_out_lacks ",assign,-,sponsor: Ana Lima,"
run import "$T_DIR/all.yaml" --replace
expect_rc 0
expect_out "Imported $T_DIR/all.yaml: 0 created, 1 replaced, 2 unchanged"
run --format csv log alpha
expect_out_has ",assign,-,sponsor: Ana Lima,"
run export
printf '%s\n' "$OUT" | cmp -s - "$T_DIR/all.yaml" || _fail "the export after --replace differs"

begin "assigned_as is checked against the people (exit 6 at its place, nothing written)"
EMPTY=$(new_store empty)
snap "$EMPTY"
L=$(grep -n '^    assigned_as: Ana Lima$' "$T_DIR/all.yaml" | cut -d: -f1)
bad() { # bad SED-SCRIPT MESSAGE
	sed "$1" "$T_DIR/all.yaml" >"$T_DIR/bad.yaml"
	run --db "$EMPTY" import "$T_DIR/bad.yaml"
	expect_rc 6
	expect_out ""
	expect_err_has "$2"
	expect_unchanged "$EMPTY"
}
# another person's other name
bad "s/^    assigned_as: Ana Lima\$/    assigned_as: Eve Ong/" \
	"bad.yaml:$L:18: 'assigned_as' 'Eve Ong' is not another name of 'Ana Reis'"
# another person's own name
bad "s/^    assigned_as: Ana Lima\$/    assigned_as: Bo Chen/" \
	"bad.yaml:$L:18: 'assigned_as' 'Bo Chen' is not another name of 'Ana Reis'"
# the person's own name
bad "s/^    assigned_as: Ana Lima\$/    assigned_as: Ana Reis/" \
	"bad.yaml:$L:18: 'assigned_as' is 'Ana Reis', the assignment's person"
# names are as written
bad "s/^    assigned_as: Ana Lima\$/    assigned_as: ana lima/" \
	"bad.yaml:$L:18: 'assigned_as' 'ana lima' is not another name of 'Ana Reis'"
bad "s/^    assigned_as: Ana Lima\$/    assigned_as: ' Ana Lima'/" "bad.yaml:$L:18:"
# the person's other names dropped from the people
bad "/^  - Ana Lima\$/d" \
	"bad.yaml:$L:18: 'assigned_as' 'Ana Lima' is not another name of 'Ana Reis'"
# no people at all (an export of a store before people)
bad '/^people:$/,/^end:$/{/^end:$/!d}' \
	"bad.yaml:$L:18: 'assigned_as' 'Ana Lima' must be another name of 'Ana Reis', but 'people' does not list 'Ana Reis'"
# and into a store that holds the project: still refused, not a conflict
snap
sed "s/^    assigned_as: Ana Lima\$/    assigned_as: Eve Ong/" "$T_DIR/all.yaml" >"$T_DIR/bad.yaml"
run import "$T_DIR/bad.yaml" --replace
expect_rc 6
expect_unchanged

finish
