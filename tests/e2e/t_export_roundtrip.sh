#!/bin/sh
# t_export_roundtrip.sh - whatever the commands can write, export writes and
# import takes back: imported into an empty store, an export exports again
# byte for byte and verifies (docs/export.md), and import still refuses what
# no command could have made.  Each case is a hostile tester's store that
# import refused: a second approval after the first approver lost the role,
# an approval of a stage with no accountable role, stamps of a clock that
# went backwards; and a tagged string taken as a number.
. "$(dirname "$0")/lib.sh"

# roundtrip NAME [LIFECYCLE]: export this store to $T_DIR/NAME.yaml, import
# it into a new store (made with LIFECYCLE if given), export that again:
# the same bytes, and the copy verifies
roundtrip() {
	run export -o "$T_DIR/$1.yaml"
	expect_rc 0
	_c=$(new_store "$1")
	if [ $# -gt 1 ]; then
		run --db "$_c" init --lifecycle "$2"
		expect_rc 0
	fi
	run --db "$_c" import "$T_DIR/$1.yaml"
	expect_rc 0
	run --db "$_c" export -o "$T_DIR/$1-again.yaml"
	expect_rc 0
	cmp -s "$T_DIR/$1.yaml" "$T_DIR/$1-again.yaml" ||
		_fail "the re-export differs" "$(diff "$T_DIR/$1.yaml" "$T_DIR/$1-again.yaml" | head -10)"
	run --db "$_c" verify
	expect_rc 0
}

# refused FILE SUBSTRING: importing FILE into a new store exits 6 with
# SUBSTRING in its message and leaves that store as it was
N_REFUSED=0
refused() {
	N_REFUSED=$((N_REFUSED + 1))
	_c=$(new_store "refused$N_REFUSED")
	snap "$_c"
	run --db "$_c" import "$1"
	expect_rc 6
	expect_err_has "$2"
	expect_unchanged "$_c"
}

at 2026-01-01T00:00:00.000Z
run init
expect_rc 0

begin "a second approval in one epoch, after the first approver was unassigned, round-trips"
ok project create un
ok role assign un sponsor Ana
ok --actor Ana gate approve un
ok role unassign un sponsor Ana
ok role assign un sponsor Bo
run --actor Bo gate approve un
expect_rc 0
expect_out "Approved the gate of feasibility on 'un' as sponsor"
roundtrip unassign

begin "the same after role reassign, and a rename after it"
ok project create re
ok role assign re sponsor Ana
ok --actor Ana gate approve re
ok role reassign Ana Bo --project re
ok --actor Bo gate approve re
ok person rename Bo Bob
roundtrip reassign

begin "a second approval after the first approver was renamed, then unassigned under the new name, round-trips"
ok project create rn
ok role assign rn sponsor Old
ok --actor Old gate approve rn
ok person rename Old New
ok role unassign rn sponsor New
ok role assign rn sponsor Sue
ok --actor Sue gate approve rn
roundtrip renamed_then_unassigned

begin "the same after a merge: the approver merged into another, who is then unassigned"
ok project create mg
ok role assign mg sponsor A1
ok --actor A1 gate approve mg
ok person add B1
ok person merge A1 B1
ok role unassign mg sponsor B1
ok role assign mg sponsor Sue
ok --actor Sue gate approve mg
roundtrip merged_then_unassigned
# and copy --merge, which imports: into a store that holds other projects
_m=$(new_store merge_into)
run --db "$_m" project create other
expect_rc 0
run copy --to "$_m" --merge
expect_rc 0

begin "an approver merged into someone who held the role later, then renamed back: the approval round-trips"
# the assignment kept is the other's, made after the approval
ok project create mb
ok role assign mb sponsor Ann2
ok --actor Ann2 gate approve mb
ok role assign mb sponsor W2
ok person merge Ann2 W2
ok person rename W2 Ann2
roundtrip merged_renamed_back

begin "a decision in the same millisecond as the advance it may have come before: round-trips"
ok project create same
ok role assign same sponsor Sam
ok role assign same ai-engineer Bob
ok decide same make --cost 10 --reason r
ok kpi add same acc --target '>= 0.9'
ok gate done same 1 2 3 4
ok --actor Sam gate approve same
# the clock ahead for the advance, then back: the next commands take the
# project's latest time, the advance's millisecond
AIPROJ_NOW=2099-01-01T00:00:00.000Z "$AIPROJ" -q stage advance same || _fail "the advance"
ok stage back same --to feasibility --reason redo
ok decide same make --reason 'no cost yet'
roundtrip same_millisecond

begin "import still refuses a second approval while the first counts"
# the unassign event made a rename's (which takes nothing away: the person
# holds the role under the new name, and gate approve says already approved)
awk '/detail: Ana/ { print; getline; print "    note: renamed '\''Ann'\''"; next } { print }' \
	"$T_DIR/unassign.yaml" >"$T_DIR/renamed.yaml"
grep -q "note: renamed 'Ann'" "$T_DIR/renamed.yaml" || _fail "the fixture edit did not apply"
refused "$T_DIR/renamed.yaml" "a second approval in epoch 0"
# Ana given the role again before Bo's approval: hers counts again
awk '{ print } /^  assignments:/ { print "  - role: sponsor"; print "    person: Ana"
	print "    assigned_at: \"2026-01-01T00:00:00.000Z\"" }' \
	"$T_DIR/unassign.yaml" >"$T_DIR/again.yaml"
refused "$T_DIR/again.yaml" "a second approval in epoch 0"

begin "three approvals in one epoch, the first approver given the role back after the third, round-trip"
at 2026-01-02T00:00:01.000Z
ok project create three
ok role assign three sponsor Di
ok --actor Di gate approve three
at 2026-01-02T00:00:02.000Z
ok role unassign three sponsor Di
ok role assign three sponsor Ed
ok --actor Ed gate approve three
at 2026-01-02T00:00:03.000Z
ok role unassign three sponsor Ed
ok role assign three sponsor Fy
at 2026-01-02T00:00:04.000Z
ok --actor Fy gate approve three
at 2026-01-02T00:00:05.000Z
run role assign three sponsor Di
expect_rc 0
run export three -o "$T_DIR/three.yaml"
expect_rc 0
roundtrip three

begin "import refuses the third approval when the first approver held the role again before it"
# Di given the role back at :03, before Fy's approval at :04: hers counts
# again (gate approve then says already approved)
sed 's/^    assigned_at: "2026-01-02T00:00:05.000Z"$/    assigned_at: "2026-01-02T00:00:03.500Z"/' \
	"$T_DIR/three.yaml" >"$T_DIR/three-back.yaml"
grep -q '03.500Z' "$T_DIR/three-back.yaml" || _fail "the fixture edit did not apply"
refused "$T_DIR/three-back.yaml" "a second approval in epoch 0"
at 2026-01-01T00:00:00.000Z

begin "gate approve refuses again while the first approval counts (the rule import follows)"
ok project create twice
ok role assign twice sponsor Ana
ok role assign twice sponsor Cy
ok --actor Ana gate approve twice
run --actor Cy gate approve twice
expect_rc 0
expect_out "Already approved the gate of feasibility on 'twice' as sponsor"
run export twice
expect_rc 0
[ "$(printf '%s\n' "$OUT" | grep -c '^  - stage: feasibility$')" = 1 ] ||
	_fail "more than one approval exported"

begin "an approval of a stage with no accountable role (role '') round-trips"
printf 'aiproj-lifecycle: 1\nroles: []\nstages:\n  - slug: only\n    name: Only\n' >"$T_DIR/lc.yaml"
NOACC=$(new_store noacc)
run --db "$NOACC" init --lifecycle "$T_DIR/lc.yaml"
expect_rc 0
ok --db "$NOACC" project create x
run --db "$NOACC" --actor Ann gate approve x
expect_rc 0
expect_out "Approved the gate of only on 'x' (the stage has no accountable role)"
run --db "$NOACC" gate show x
expect_out_has "approved by Ann on "
expect_out_lacks "Ann ()"
SAVED=$AIPROJ_DB
AIPROJ_DB=$NOACC
roundtrip noacc "$T_DIR/lc.yaml"
AIPROJ_DB=$SAVED

begin "import refuses role '' where the stage has an accountable role, and a role where it has none"
sed '0,/^    role: sponsor$/s//    role: ""/' "$T_DIR/unassign.yaml" >"$T_DIR/empty-role.yaml"
refused "$T_DIR/empty-role.yaml" "accountable role 'sponsor', not ''"
# a lifecycle with a role, which its one stage does not make accountable
printf 'aiproj-lifecycle: 1\nroles:\n  - slug: boss\n    name: Boss\nstages:\n  - slug: only\n    name: Only\n' >"$T_DIR/lc-boss.yaml"
awk '/^  assignments: \[\]$/ { print "  assignments:\n  - role: boss\n    person: Ann\n    assigned_at: \"2026-01-01T00:00:00.000Z\""; next } { print }' \
	"$T_DIR/noacc.yaml" | sed 's/^    role: ""$/    role: boss/' >"$T_DIR/noacc-role.yaml"
grep -q '^    role: boss$' "$T_DIR/noacc-role.yaml" || _fail "the fixture edit did not apply"
_c=$(new_store noacc_role)
run --db "$_c" init --lifecycle "$T_DIR/lc-boss.yaml"
expect_rc 0
snap "$_c"
run --db "$_c" import "$T_DIR/noacc-role.yaml"
expect_rc 6
expect_err_has "the gate of 'only' has no accountable role: its approval has role '', not 'boss'"
expect_unchanged "$_c"
# the same file with role '' imports into that store
sed 's/^    role: boss$/    role: ""/' "$T_DIR/noacc-role.yaml" >"$T_DIR/noacc-empty.yaml"
run --db "$_c" import "$T_DIR/noacc-empty.yaml"
expect_rc 0

begin "an import from a later clock (2099), then commands: their stamps are the project's, and round-trip"
cat >"$T_DIR/future.yaml" <<'EOF'
aiproj: 1
projects:
- name: future
  status: active
  stage: feasibility
  entered_at: "2099-01-01T00:00:00.000Z"
  created_at: "2099-01-01T00:00:00.000Z"
EOF
run import "$T_DIR/future.yaml"
expect_rc 0
ok role assign future sponsor Ana
ok --actor Ana gate approve future
ok kpi add future auc --target '>= 0.8'
ok kpi record future auc 0.9
run stage advance future --force --reason go --format json
expect_rc 0
jq_out .at 2099-01-01T00:00:00.000Z
# no stamp of the project is earlier than its created_at
run export future
expect_rc 0
early=$(printf '%s\n' "$OUT" | sed '/^people:/,$d' | grep -E '(at|_at): "' | grep -v '"2099-01-01T00:00:00.000Z"')
[ -z "$early" ] || _fail "stamps earlier than the project's" "$early"
roundtrip future

begin "a clock that goes back: each command's stamps no earlier than the project's latest, and round-trip"
at 2026-03-01T00:00:00.000Z
ok project create back
# each step a minute earlier than the one before
M=59
earlier() { M=$((M - 1)); at "2026-02-27T12:$(printf %02d "$M"):00.000Z"; }
earlier; ok role assign back sponsor Ana
earlier; ok --actor Ana gate approve back
earlier; ok role unassign back sponsor Ana
earlier; ok role assign back sponsor Ed
earlier; ok --actor Ed gate approve back
earlier; ok role reassign Ed Fy --project back
earlier; ok gate add back --stage feasibility 'extra check'
earlier; ok gate done back 1
earlier; ok gate reopen back 1
earlier; ok gate done back 1
earlier; ok kpi add back auc --target '>= 0.8'
earlier; ok kpi record back auc 0.7
earlier; ok kpi set back auc --target '>= 0.6' --reason lower
earlier; ok decide back make --cost 5 --reason build
earlier; ok component add back feat --owner data-scientist
earlier; ok component handover back feat --to ai-engineer --reason move
earlier; ok component remove back feat
earlier; ok stage advance back --force --reason go
earlier; ok stage back back --to feasibility --reason redo
earlier; ok project hold back --reason wait
earlier; ok project resume back
earlier; fwd back 4
earlier; ok release add back 1.0
earlier; ok release retire back 1.0 --reason old
earlier; ok kpi remove back auc --reason gone
earlier; ok project close back --reason done
# every stamp of the project is 2026-03-01 (its creation), none earlier
run export back
expect_rc 0
early=$(printf '%s\n' "$OUT" | sed '/^people:/,$d' | grep -E '(at|_at): "' | grep -v '"2026-03-01T00:00:00.000Z"')
[ -z "$early" ] || _fail "stamps earlier than the project's" "$early"
roundtrip backwards
at 2026-01-01T00:00:00.000Z

begin "a !!str number is a string: refused where a number must be, like a quoted one"
cat >"$T_DIR/str-target.yaml" <<'EOF'
aiproj: 1
projects:
- name: tagged
  status: active
  stage: feasibility
  entered_at: "2026-01-01T00:00:00.000Z"
  created_at: "2026-01-01T00:00:00.000Z"
  kpis:
  - name: auc
    op: ">="
    target: !!str 5
    created_at: "2026-01-01T00:00:00.000Z"
EOF
refused "$T_DIR/str-target.yaml" "11:13: 'target' must be a number"
sed 's/!!str 5/"5"/' "$T_DIR/str-target.yaml" >"$T_DIR/quoted-target.yaml"
refused "$T_DIR/quoted-target.yaml" "11:13: 'target' must be a number"
# untagged, and with the core !!float tag, it is the number
for t in 5 '!!float 5'; do
	sed "s/!!str 5/$t/" "$T_DIR/str-target.yaml" >"$T_DIR/num-target.yaml"
	_c=$(new_store "num$(printf '%s' "$t" | tr -dc 'a-z0-9')")
	run --db "$_c" import "$T_DIR/num-target.yaml"
	expect_rc 0
done
# a !!str null is the text "null", not a null
sed 's/!!str 5/5\n    readings: []/' "$T_DIR/str-target.yaml" |
	sed 's/^  created_at: .*/&\n  decisions:\n  - kind: make\n    reason: !!str null\n    cost: 1\n    actor: Ana\n    at: "2026-01-01T00:00:00.000Z"/' >"$T_DIR/str-null.yaml"
_c=$(new_store strnull)
run --db "$_c" import "$T_DIR/str-null.yaml"
expect_rc 0
run --db "$_c" export tagged
expect_out_has "    reason: \"null\""

finish
