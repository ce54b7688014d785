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
