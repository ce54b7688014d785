#!/bin/sh
# t_people_export.sh - export and import keep everything about people
# (docs/export.md, people): a person's other names, left by person rename
# and person merge, still make the approvals given under them count after
# export | import and copy --merge; people without a role, an email or a
# handle come across; since and history too, so person list, person show
# and the re-export are the same.  Other names are checked (exit 6 at their
# place), one that finds another person of the store is a conflict (exit 5),
# nothing written either way; --dry-run reports the people; an export from
# before (no since, names, history, assigned_as) still imports.
. "$(dirname "$0")/lib.sh"

# a gate that holds but for its approval (docs: stage check --gate)
gate_ready() {
	ok project create "$1"
	ok role assign "$1" sponsor "$2"
	ok role assign "$1" ai-engineer 'Bo Chen'
	ok decide "$1" make --cost 10 --reason r
	ok kpi add "$1" acc --target '>= 0.9'
	ok kpi record "$1" acc 0.95
	for id in $("$AIPROJ" --format json gate show "$1" | jq -r '.criteria[] | select(.kind == "manual") | .id'); do
		ok gate done "$1" "$id"
	done
}

at 2026-05-01T09:00:00.000Z
ok init
ok person add 'Cy Diaz' --email cy@example.com
at 2026-05-01T09:10:00.000Z
ok person add 'Dee Ng' --handle @dee
ok person add 'Role Less'
at 2026-05-01T09:20:00.000Z
gate_ready renamed 'Ana Lima'
ok --actor 'Ana Lima' gate approve renamed
gate_ready merged 'Eve Ong'
ok --actor 'Eve Ong' gate approve merged
at 2026-05-02T10:00:00.000Z
ok person rename 'Ana Lima' 'Ana Souza'
ok person merge 'Eve Ong' 'Dee Ng'
ok person merge 'Cy Diaz' 'Role Less'
unset AIPROJ_NOW

begin "before: the approvals given under the old names count"
run stage check renamed --gate
expect_rc 0
run stage check merged --gate
expect_rc 0

begin "export: every person, with since, their other names and their history"
run export -o "$T_DIR/all.yaml"
expect_rc 0
run --format json export
jq_out '[.people[].name] | join(",")' "Ana Souza,Bo Chen,Dee Ng,Role Less"
jq_out '[.people[] | "\(.name)=\(.names // [] | join("+"))"] | join(" ")' \
	"Ana Souza=Ana Lima Bo Chen= Dee Ng=Eve Ong Role Less=Cy Diaz"
jq_out '.people[] | select(.name == "Role Less") | "\(.email)|\(.handle)|\(.since)"' \
	"cy@example.com|null|2026-05-01T09:10:00.000Z"
jq_out '[.people[] | select(.name == "Dee Ng") | .history[] | "\(.kind):\(.subject)"] | join(" ")' \
	"add:null merge:Eve Ong"

for backend in import copy; do
	begin "$backend: into a new store, the gates still hold; people, person show and the export are the same"
	NEW=$(new_store "new_$backend")
	if [ "$backend" = import ]; then
		run --db "$NEW" import "$T_DIR/all.yaml"
		expect_rc 0
		expect_out "Imported $T_DIR/all.yaml: 2 created, 0 replaced, 0 unchanged"
	else
		run copy --to "$NEW" --merge
		expect_rc 0
	fi
	run --db "$NEW" stage check renamed --gate
	expect_rc 0
	run --db "$NEW" stage check merged --gate
	expect_rc 0
	for fmt in text json; do
		run --format "$fmt" person list
		want=$OUT
		run --db "$NEW" --format "$fmt" person list
		[ "$OUT" = "$want" ] || _fail "person list ($fmt) differs" "$(printf '%s\n' "$want" | diff - "$T_DIR/out" | head)"
	done
	for p in 'Ana Souza' 'Dee Ng' 'Role Less' 'Bo Chen'; do
		run person show "$p"
		want=$OUT
		run --db "$NEW" person show "$p"
		expect_rc 0
		[ "$OUT" = "$want" ] || _fail "person show '$p' differs" "$(printf '%s\n' "$want" | diff - "$T_DIR/out" | head)"
	done
	run --db "$NEW" export -o "$T_DIR/again.yaml"
	expect_rc 0
	cmp -s "$T_DIR/all.yaml" "$T_DIR/again.yaml" ||
		_fail "the re-export differs" "$(diff "$T_DIR/all.yaml" "$T_DIR/again.yaml" | head -20)"
	run --db "$NEW" verify
	expect_rc 0
done

begin "into a file store (from PostgreSQL when it is the store under test): the same export"
"$AIPROJ" --db "$T_DIR/file.db" init >/dev/null
run copy --to "$T_DIR/file.db" --merge
expect_rc 0
run --db "$T_DIR/file.db" export -o "$T_DIR/file.yaml"
expect_rc 0
cmp -s "$T_DIR/all.yaml" "$T_DIR/file.yaml" ||
	_fail "the file store's export differs" "$(diff "$T_DIR/all.yaml" "$T_DIR/file.yaml" | head -20)"
run --db "$T_DIR/file.db" stage check renamed --gate
expect_rc 0

begin "import again, into the store it came from: people unchanged, store untouched"
snap
run --format json import "$T_DIR/all.yaml" --dry-run
expect_rc 0
jq_out '"\(.people.created | length) \(.people.changed | length) \(.people.unchanged | join(","))"' \
	"0 0 Ana Souza,Bo Chen,Dee Ng,Role Less"
run import "$T_DIR/all.yaml"
expect_rc 0
expect_out "Imported $T_DIR/all.yaml: 0 created, 0 replaced, 2 unchanged"
expect_unchanged

begin "--dry-run reports the people, writes nothing"
DRY=$(new_store dry)
snap "$DRY"
run --db "$DRY" import "$T_DIR/all.yaml" --dry-run
expect_rc 0
expect_out "Would import $T_DIR/all.yaml: 2 created, 0 replaced, 0 unchanged
People: 4 created, 0 changed, 0 unchanged"
expect_unchanged "$DRY"

begin "into a store that has some of the people: names and history added once, its since kept"
SOME=$(new_store some)
at 2026-04-01T08:00:00.000Z
ok --db "$SOME" person add 'Ana Souza' --email old@example.com
ok --db "$SOME" person add 'Fay Wu'
unset AIPROJ_NOW
run --db "$SOME" --format json import "$T_DIR/all.yaml"
expect_rc 0
jq_out '"\(.people.created | join(",")) / \(.people.changed | join(",")) / \(.people.unchanged | join(","))"' \
	"Bo Chen,Dee Ng,Role Less / Ana Souza / "
run --db "$SOME" --format json person show 'Ana Souza'
jq_out '"\(.name)|\(.email)|\(.since)"' "Ana Souza|old@example.com|2026-04-01T08:00:00.000Z"
jq_out '[.history[].kind] | join(",")' "add,rename"
jq_out '[.approvals[].as] | join(",")' "Ana Lima"
run --db "$SOME" stage check renamed --gate
expect_rc 0
snap "$SOME"
run --db "$SOME" --format json import "$T_DIR/all.yaml"
expect_rc 0
jq_out '.people.unchanged | length' 4
expect_unchanged "$SOME"

begin "an other name that is another person's in the store: conflict, exit 5, nothing imported"
TAKEN=$(new_store taken)
ok --db "$TAKEN" person add 'Ana Lima'
ok --db "$TAKEN" person add 'Zed Oz'
ok --db "$TAKEN" person rename 'Zed Oz' 'Zed Ox'
# Eve Ong's name is Zed Ox's now
ok --db "$TAKEN" person rename 'Zed Ox' 'Eve Ong'
ok --db "$TAKEN" person rename 'Eve Ong' 'Zed Ox'
snap "$TAKEN"
run --db "$TAKEN" import "$T_DIR/all.yaml"
expect_rc 5
expect_out ""
line_of() { grep -n "^  - $1\$" "$T_DIR/all.yaml" | cut -d: -f1; }
expect_err "aiproj: error: nothing imported: people in '$T_DIR/all.yaml' have names that find other people in the store (aiproj person merge joins two)
$T_DIR/all.yaml:$(line_of 'Ana Lima'):5: 'Ana Lima', another name of 'Ana Souza', is a name of 'Ana Lima' in the store
$T_DIR/all.yaml:$(line_of 'Eve Ong'):5: 'Eve Ong', another name of 'Dee Ng', is a name of 'Zed Ox' in the store"
expect_unchanged "$TAKEN"
run --db "$TAKEN" import "$T_DIR/all.yaml" --dry-run
expect_rc 5
expect_unchanged "$TAKEN"
run --db "$TAKEN" project list
expect_out_lacks "renamed"

begin "the file's other names are checked: each finds one person (exit 6 at its place)"
EMPTY=$(new_store empty)
snap "$EMPTY"
bad() { # bad SED-SCRIPT MESSAGE...
	sed "$1" "$T_DIR/all.yaml" >"$T_DIR/bad.yaml"
	run --db "$EMPTY" import "$T_DIR/bad.yaml"
	expect_rc 6
	expect_out ""
	shift
	for m in "$@"; do
		expect_err_has "$m"
	done
	expect_unchanged "$EMPTY"
}
L=$(line_of 'Eve Ong')
bad "s/^  - Eve Ong\$/  - Bo Chen/" \
	"bad.yaml:$L:5: 'Bo Chen' is the name of person 'Bo Chen', not another name of 'Dee Ng' (a name finds one person)"
bad "s/^  - Eve Ong\$/  - Ana Lima/" \
	"bad.yaml:$L:5: 'Ana Lima' is another name of both 'Ana Souza' and 'Dee Ng' (a name finds one person)"
bad "s/^  - Eve Ong\$/  - Dee Ng/" \
	"bad.yaml:$L:5: 'Dee Ng' is the name of 'Dee Ng': 'names' lists the other names a person had"
bad "s/^  - Eve Ong\$/  - Eve Ong\n  - Eve Ong/" \
	"bad.yaml:$((L + 1)):5: 'Eve Ong' is listed twice in the names of 'Dee Ng'"
bad "s/^  - Eve Ong\$/  - ' Eve'/" "bad.yaml:$L:5:"
bad "s/^  names:\$/  names: Eve Ong/; /^  - \(Ana Lima\|Eve Ong\|Cy Diaz\)\$/d" "'names' must be a list of names"
bad "0,/^  - kind: merge\$/s//  - kind: split/" "'kind' must be one of add, set, rename, merge, reassign, not 'split'"
bad "0,/^  since: .*/s//  since: yesterday/" "'since' must be a UTC time stamp"

begin "an export from before (no since, names, history or assigned_as) still imports"
OLD=$(new_store old)
awk '/^    assigned_as: / { next }
	/^people:$/ { p = 1 } /^end:$/ { p = 0 }
	p && /^  since: / { next }
	p && /^  (names|history):$/ { skip = 1; next }
	skip && /^  (- |  )/ { next }
	{ skip = 0; print }' "$T_DIR/all.yaml" >"$T_DIR/old.yaml"
sed -n '/^people:$/,$p' "$T_DIR/old.yaml" | grep -q -e '^  since:' -e '^  names:' -e '^  history:' -e '^  - ' && _fail "old.yaml still has the new keys"
grep -q '^    assigned_as:' "$T_DIR/old.yaml" && _fail "old.yaml still has assigned_as"
run --db "$OLD" import "$T_DIR/old.yaml"
expect_rc 0
expect_out "Imported $T_DIR/old.yaml: 2 created, 0 replaced, 0 unchanged"
run --db "$OLD" --format json person list
jq_out '[.people[] | "\(.name)|\(.email)|\(.handle)"] | join(" ")' \
	"Ana Souza|null|null Bo Chen|null|null Dee Ng|null|@dee Role Less|cy@example.com|null"
# (without the other name, the approval given as Ana Lima no longer counts)
run --db "$OLD" stage check renamed --gate
expect_rc 1

begin "an export of named projects: who holds a role in one, and who holds none anywhere"
run --format json export renamed
jq_out '[.people[].name] | join(",")' "Ana Souza,Bo Chen,Role Less"
jq_out '.people[0].names | join(",")' "Ana Lima"
PARTS=$(new_store parts)
for p in renamed merged; do
	runsh "'$AIPROJ' export $p | '$AIPROJ' --db '$PARTS' import -"
	expect_rc 0
done
run --db "$PARTS" export
printf '%s\n' "$OUT" | cmp -s - "$T_DIR/all.yaml" ||
	_fail "the export of a store moved in parts differs" "$(printf '%s\n' "$OUT" | diff "$T_DIR/all.yaml" - | head -20)"

begin "a person of the file whose name is another person's other name in the store: conflict, exit 5, nothing imported"
# (the store's Ana Souza was Ana Lima, whose approval counts for her; a
# file from elsewhere with an unrelated Ana Lima must not take it)
ELSE=$(new_store else)
ok --db "$ELSE" init
ok --db "$ELSE" person add 'Ana Lima'
ok --db "$ELSE" export -o "$T_DIR/else.yaml"
snap
run import "$T_DIR/else.yaml"
expect_rc 5
expect_err_has "'Ana Lima' is another name of 'Ana Souza'"
expect_unchanged
run import --dry-run "$T_DIR/else.yaml"
expect_rc 5
run stage check renamed --gate
expect_rc 0

begin "person add, person rename and role assign refuse another person's other name (exit 5, unchanged)"
snap
run person add 'Ana Lima'
expect_rc 5
expect_err_has "'Ana Lima' is another name of 'Ana Souza'"
run person rename 'Bo Chen' 'Eve Ong'
expect_rc 5
expect_err_has "'Eve Ong' is another name of 'Dee Ng'"
run role assign renamed data-analyst 'Ana Lima'
expect_rc 5
expect_unchanged
# (a person's own other name is theirs to take back)
run person rename 'Ana Souza' 'Ana Lima'
expect_rc 0
run person rename 'Ana Lima' 'Ana Souza'
expect_rc 0
run stage check renamed --gate
expect_rc 0

begin "import keeps an email or handle the file has not (null): merging loses no contact"
MERGE=$(new_store merge)
ok --db "$MERGE" init
ok --db "$MERGE" person add 'Bo Chen' --email bo@example.com --handle @bo
run --db "$MERGE" import "$T_DIR/all.yaml"
expect_rc 0
run --db "$MERGE" --format json person show 'Bo Chen'
jq_out '"\(.email)|\(.handle)"' "bo@example.com|@bo"
# (one the file gives is set)
ok --db "$MERGE" person set 'Dee Ng' --handle @old
run --db "$MERGE" import "$T_DIR/all.yaml"
expect_rc 0
run --db "$MERGE" --format json person show 'Dee Ng'
jq_out '.handle' "@dee"

finish
