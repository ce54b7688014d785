#!/bin/sh
# t_policy_admin.sh - an administrator is a person (docs/security.md,
# "Administrators"), whatever the case and spacing of the name, as a role
# holder is: the right of the actor, admin add and admin remove, and the
# right moved by person rename and person merge.
. "$(dirname "$0")/lib.sh"

admins() {
	"$AIPROJ" --format json admin list | jq -r '[.admins[].person] | join(",")'
}

ok init --policy roles
ok admin add Admin

begin "the admin right is the person's: --actor admin is Admin"
ok admin remove tester
run --actor admin project create p
expect_rc 0
run --actor 'ADMIN' project rename p p2
expect_rc 0
run --actor eve project create q
expect_rc 4
expect_err "aiproj: error: policy 'roles': 'eve' may not project create: that needs the admin right (aiproj admin list)"

begin "admin add of an administrator in another spelling adds no second one"
snap
run --actor Admin admin add ADMIN
expect_rc 0
expect_out "'Admin' is already an administrator"
run --actor Admin --format json admin add ' admin'
expect_rc 2
run --actor Admin --format json admin add 'admin'
expect_rc 0
jq_out '.admin + "|" + (.changed | tostring)' "Admin|false"
expect_unchanged
[ "$(admins)" = Admin ] || _fail "the administrators are $(admins)"

begin "admin remove takes the right from the person, in whatever spelling it was added"
ok --actor Admin admin add Eve
run --actor Admin admin remove EVE
expect_rc 0
expect_out "Removed 'Eve' as an administrator"
[ "$(admins)" = Admin ] || _fail "the administrators are $(admins)"
run --actor Admin admin remove eve
expect_rc 3
expect_err "aiproj: error: 'eve' is not an administrator (aiproj admin list)"
snap
run --actor Admin admin remove ADMIN
expect_rc 4
expect_err "aiproj: error: cannot remove 'Admin': the store's last administrator (add another first)"
expect_unchanged

begin "person merge moves the right to the person merged into, whatever its spelling"
ok --actor Admin admin add Zed
ok --actor Admin person add zed
ok --actor Admin person add Ana
run --actor Admin person merge zed Ana
expect_rc 0
[ "$(admins)" = Admin,Ana ] || _fail "the administrators are $(admins)"
run --actor ana project create r
expect_rc 0
run --actor zed project create s
expect_rc 4

begin "person merge into an administrator in another spelling: one right, no second row"
ok --actor Admin admin add 'Bo'
ok --actor Admin admin add 'CY'
ok --actor Admin person add bo
ok --actor Admin person add cy
run --actor Admin person merge bo cy
expect_rc 0
[ "$(admins)" = Admin,Ana,CY ] || _fail "the administrators are $(admins)"

begin "person rename moves the right, whatever its spelling"
ok --actor Admin person add 'Dee Dee'
ok --actor Admin admin add 'DEE  DEE'
run --actor Admin person rename 'dee dee' 'Dee Ray'
expect_rc 0
[ "$(admins)" = "Admin,Ana,CY,Dee Ray" ] || _fail "the administrators are $(admins)"
run --actor 'dee ray' project create t
expect_rc 0

begin "a store that holds one person under two spellings (written before): admin remove takes both"
store_sql "INSERT INTO admin (person, added_by, added_at) VALUES ('FAY', 'x', '2026-01-01T00:00:00.000Z'), ('fay', 'x', '2026-01-01T00:00:00.000Z')" >/dev/null
run --actor fay project create u
expect_rc 0
run --actor Admin admin remove Fay
expect_rc 0
expect_out "Removed 'FAY' as an administrator"
[ "$(admins)" = "Admin,Ana,CY,Dee Ray" ] || _fail "the administrators are $(admins)"
run --actor fay project create v
expect_rc 4

finish
