#!/bin/sh
# t_policy_copy.sh - copy under the destination's policy (docs/security.md,
# "Copying" and "Refusals"): a whole copy replaces the destination's policy
# and administrators, so into a store under `roles` only one of its
# administrators copies (--from: the store; --to: DEST), refused before
# anything else, the destination unchanged but for the refusal in its log;
# a store under `open`, or one the copy makes, takes it from anyone.  Every
# refusal by the policy is logged: a dry run's (import, copy) and a
# --merge's (as the import it is) too.
. "$(dirname "$0")/lib.sh"

# the destination but its log of refusals, which a refusal adds to
state_but_audit() {
	if is_file_store; then
		sqlite3 "$1" .dump | grep -v '^INSERT INTO audit '
	else
		pg_dump --no-owner --no-privileges --exclude-table-data=audit "$1" 2>&1 |
			grep -v -e '^--' -e 'pg_catalog.setval' -e '^\\restrict' -e '^\\unrestrict' -e '^$'
	fi
}
refusals() { "$AIPROJ" --db "$1" --format json policy show | jq '.refusals | length'; }

# refused_into DEST N ACTION ARGS...: exit 4 naming the admin right, DEST
# unchanged but its log, which holds one more refusal (N before), the
# newest by eve for ACTION
refused_into() {
	_dest=$1 _n=$2 _act=$3
	shift 3
	_before=$(state_but_audit "$_dest")
	run --actor eve "$@"
	expect_rc 4
	expect_out ""
	expect_err "aiproj: error: policy 'roles': 'eve' may not $_act: that needs the admin right (aiproj admin list)"
	[ "$(state_but_audit "$_dest")" = "$_before" ] || _fail "the refused '$*' changed the destination"
	[ "$(refusals "$_dest")" = $((_n + 1)) ] || _fail "the refused '$*' was not logged once in the destination"
	run --db "$_dest" --format json policy show
	jq_out '.policy' roles
	jq_out '.refusals[0] | .actor + "|" + .action' "eve|$_act"
}

ok init --policy roles
SRC=$(new_store src)
ok --db "$SRC" project create other
ok --db "$SRC" export -o "$T_DIR/src.yaml"

begin "copy --from into a roles store by one who is not its administrator: refused (exit 4), logged, nothing else changed"
refused_into "$AIPROJ_DB" 0 copy copy --from "$SRC"
run --format json admin list
jq_out '[.admins[].person] | join(",")' tester
run --format json project list --status all
jq_out '.projects | length' 0

begin "copy --to a roles store: the actor writing it is judged there, and logged there"
refused_into "$AIPROJ_DB" 1 copy --db "$SRC" copy --to "$AIPROJ_DB"
[ "$(refusals "$SRC")" = 0 ] || _fail "the source logged the destination's refusal"

begin "copy --dry-run refused by the policy: logged, as every refusal"
refused_into "$AIPROJ_DB" 2 copy copy --from "$SRC" --dry-run

begin "copy --merge refused by the policy (the destination's import): logged, dry run or not"
refused_into "$AIPROJ_DB" 3 import --db "$SRC" copy --to "$AIPROJ_DB" --merge
refused_into "$AIPROJ_DB" 4 import --db "$SRC" copy --to "$AIPROJ_DB" --merge --dry-run

begin "import --dry-run refused by the policy: logged, as the import itself"
refused_into "$AIPROJ_DB" 5 import import "$T_DIR/src.yaml" --dry-run
refused_into "$AIPROJ_DB" 6 import import "$T_DIR/src.yaml"

begin "an administrator of a roles store, in any spelling, copies into it: the source's policy and administrators come"
D=$(new_store d)
ok --db "$D" policy set roles
run --db "$D" --actor TESTER copy --from "$SRC"
expect_rc 0
expect_out_has "Copied 1 project"
run --db "$D" --format json policy show
jq_out '.policy' open
run --db "$D" verify
expect_rc 0

begin "a store under open, and a store the copy makes, take a copy from anyone"
O=$(new_store o)
run --db "$O" --actor eve copy --from "$SRC"
expect_rc 0
expect_out_has "Copied 1 project"
if is_file_store; then
	run --db "$T_DIR/made.db" --actor eve copy --from "$SRC"
	expect_rc 0
	run --db "$T_DIR/made.db" project list
	expect_out_has other
fi

begin "policy rules: copy has its rule, the destination's admin right"
run --format json policy rules
expect_rc 0
jq_out '.rules[] | select(.command == "copy") | .who' "an admin of the destination (anyone when the copy creates it)"

finish
