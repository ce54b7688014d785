# The clock of a project in its stage (issue 13, "time in stage stops at
# close"): `report status` and `stage show` count time in the stage from
# entered_at to now, or, for a closed project, to when it was closed
# (status_at); on hold the clock runs on.  status_at is set by create, hold,
# resume, close and a buy decision, kept by export and import, given by
# import to older files without it, and filled when an older store is
# upgraded.  Times are pinned with AIPROJ_NOW.
. "$(dirname "$0")/lib.sh"

T0=2025-01-01T00:00:00.000Z
T1=2025-01-11T00:00:00.000Z
TA=2025-01-20T00:00:00.000Z
T2=2025-01-31T00:00:00.000Z
T3=2026-01-01T00:00:00.000Z

# project   created advanced held/closed            at T3: days in stage
# shut      T0      T1       closed T2              T2-T1 = 20.0
# held      T0      T1       on hold T2             T3-T1 = 355.0 (runs on)
# bought    T0      -        closed by buy at T2    T2-T0 = 30.0
# back-on   T0      -        held T1, resumed T2    T3-T0 = 365.0
begin "the fixture builds"
# a buy closes the project here: the default lifecycle with on_buy: close
sed 's/^on_buy: .*/on_buy: close/' "$(dirname "$0")/../../schemas/lifecycle.yaml" >"$T_DIR/close.yaml"
ok init --lifecycle "$T_DIR/close.yaml"
at $T0
for p in shut held bought back-on; do ok project create $p; done
at $T1
ok stage advance shut --force --reason go
ok stage advance held --force --reason go
ok project hold back-on --reason 'waiting for data'
at $TA
ok role assign shut sponsor 'Ana Lima'
at $T2
ok project close shut --reason 'cancelled'
ok project hold held --reason 'budget freeze'
ok decide bought buy --reason 'a vendor fits'
ok project resume back-on
at $T3

begin "report status --all (text): a closed project's days stop at its close; on hold they run"
run report status --all
expect_rc 0
expect_err ""
expect_out "PROJECT STATUS  STAGE              DAYS  GATE BACK GAPS            LATER
back-on active  1 feasibility      365.0 0/9  0    sponsor +1      9
bought  closed  1 feasibility      30.0  0/9  0    -               0
held    on-hold 2 data-preparation 355.0 0/6  0    data-analyst +1 7
shut    closed  2 data-preparation 20.0  0/6  0    -               0"

begin "report status --all --format csv: the same days"
run report status --all --format csv
expect_rc 0
# (CSV lines end in CRLF)
OUT=$(printf '%s\n' "$OUT" | tr -d '\r')
expect_out "project,status,stage_number,stage,days_in_stage,gate,back_jumps,gaps,later_gaps,due,days_overdue
back-on,active,1,feasibility,365.0,0/9,0,\"sponsor,ai-engineer\",9,,0
bought,closed,1,feasibility,30.0,0/9,0,,0,,0
held,on-hold,2,data-preparation,355.0,0/6,0,\"data-analyst,data-engineer\",7,,0
shut,closed,2,data-preparation,20.0,0/6,0,,0,,0"

begin "report status --all --format markdown: the same days"
run report status --all --format markdown
expect_rc 0
expect_out_has "| shut | closed | 2 data-preparation | 20.0 |"
expect_out_has "| bought | closed | 1 feasibility | 30.0 |"
expect_out_has "| held | on-hold | 2 data-preparation | 355.0 |"

begin "report status --all --format json: days_in_stage and status_at"
run report status --all --format json
expect_rc 0
jq_out '[.projects[] | "\(.project)=\(.days_in_stage)@\(.status_at)"] | join(" ")' \
	"back-on=365@$T2 bought=30@$T2 held=355@$T2 shut=20@$T2"

begin "report status --all --format yaml: status_at and days_in_stage"
run report status --all --format yaml
expect_rc 0
expect_out_has "- project: shut
  status: closed
  stage: data-preparation
  stage_number: 2
  entered_at: \"$T1\"
  status_at: \"$T2\"
  days_in_stage: 20"

begin "the closed project's days do not grow: a year later they are the same"
at 2027-01-01T00:00:00.000Z
run report status --all --format csv
expect_rc 0
expect_out_has "shut,closed,2,data-preparation,20.0,"
expect_out_has "held,on-hold,2,data-preparation,720.0,"
at $T3

begin "stage show: time in stage stops at the close (text and JSON)"
run stage show shut
expect_rc 0
expect_out_has "[>] data-preparation  since $T1 (20d 0h)"
run stage show shut --format json
expect_rc 0
jq_out '"\(.seconds_in_stage) \(.status)"' "1728000 closed"
run stage show held --format json
jq_out '.seconds_in_stage' 30672000
run stage show bought --format json
jq_out '.seconds_in_stage' 2592000

begin "project show and project list carry status_at"
run project show shut --format json
expect_rc 0
jq_out '"\(.status) \(.status_at) \(.entered_at)"' "closed $T2 $T1"
run project list --all --format json
expect_rc 0
jq_out '[.projects[] | "\(.project)=\(.status_at)"] | join(" ")' \
	"back-on=$T2 bought=$T2 held=$T2 shut=$T2"
at 2025-06-01T00:00:00.000Z
run project create fresh --format json
expect_rc 0
jq_out '.status_at' 2025-06-01T00:00:00.000Z
at $T3

# every refused status change: exit 4, its message, and status_at (like
# everything else) unchanged
for c in "project close shut --reason again|cannot close 'shut': it is closed" \
	"project hold shut --reason x|cannot hold 'shut': it is closed" \
	"project resume shut|cannot resume 'shut': it is closed" \
	"project hold held --reason x|cannot hold 'held': it is already on hold" \
	"project resume back-on|cannot resume 'back-on': it is not on hold" \
	"decide bought buy --reason again|cannot record a decision for 'bought': project is closed; only active projects move" \
	"project close held|project close needs --reason TEXT"; do
	cmd=${c%%|*} msg=${c#*|}
	begin "refused: $cmd: exit code, message, store unchanged"
	snap
	# shellcheck disable=SC2086 # word splitting wanted
	run $cmd
	case $msg in *needs*) expect_rc 2 ;; *) expect_rc 4 ;; esac
	expect_err "aiproj: error: $msg"
	expect_out ""
	expect_unchanged
done

begin "export writes status_at; import gives it back, with the same days"
copy_store other
grep -q "^  status_at: \"$T2\"" "$T_DIR/all.yaml" || _fail "export lacks status_at"
run --db "$COPY" report status --all --format csv
expect_rc 0
expect_out_has "shut,closed,2,data-preparation,20.0,"
expect_out_has "bought,closed,1,feasibility,30.0,"
run --db "$COPY" export -o "$T_DIR/again.yaml"
cmp -s "$T_DIR/all.yaml" "$T_DIR/again.yaml" || _fail "the round trip changed the export"

begin "an older export without status_at imports; each project gets the upgrade's time"
sed '/^  status_at: /d' "$T_DIR/all.yaml" >"$T_DIR/old.yaml"
grep -q status_at "$T_DIR/old.yaml" && _fail "status_at left in the old file"
OLD=$(new_store old)
run --db "$OLD" import "$T_DIR/old.yaml"
expect_rc 0
run --db "$OLD" project list --all --format json
# active: created_at; on hold: entered_at (no decision, no approval);
# closed: its last record (shut: the assignment at TA; bought: the decision)
jq_out '[.projects[] | "\(.project)=\(.status_at)"] | join(" ")' \
	"back-on=$T0 bought=$T2 fresh=2025-06-01T00:00:00.000Z held=$T1 shut=$TA"
run --db "$OLD" report status --all --format csv
expect_out_has "shut,closed,2,data-preparation,9.0,"
begin "the older file imports again as unchanged (it is compared with the time import gives)"
snap "$OLD"
run --db "$OLD" import "$T_DIR/old.yaml"
expect_rc 0
expect_unchanged "$OLD"

begin "a store of schema version 3 upgrades: status_at is added and filled"
UP=$(new_store up)
run --db "$UP" import "$T_DIR/all.yaml"
expect_rc 0
# what later versions added (schemas/010-person.sql and 011-releases.sql,
# dropped first; schemas/007-hash-chain.sql, on PostgreSQL
# schemas/pg/008-server-policy.sql)
later=$(later_sql)
chains=""
for t in transition approval kpi_reading audit; do
	chains="$chains ALTER TABLE $t DROP COLUMN prev; ALTER TABLE $t DROP COLUMN hash;"
done
# (schemas/009-feed.sql)
feed=$(unfeed_sql)
if is_file_store; then
	sqlite3 "$UP" "$later $feed ALTER TABLE project DROP COLUMN status_at;
		DROP TABLE event; DROP TABLE admin;
		DROP INDEX approval_chain; $chains PRAGMA user_version = 3" ||
		_fail "cannot make a version-3 store"
else
	_psql "$UP" -c "$later
		DROP FUNCTION aiproj_feed_next CASCADE; $feed
		DROP FUNCTION aiproj_guard(), aiproj_moved() CASCADE;
		DROP FUNCTION aiproj_may, aiproj_changed, aiproj_member;
		DROP TABLE auth_rule, raci, lc_stage;
		ALTER TABLE project DROP COLUMN status_at;
		DROP TABLE event; DROP TABLE admin;
		DROP INDEX approval_chain; $chains
		DROP FUNCTION aiproj_chain_transition, aiproj_chain_approval,
			aiproj_chain_reading, aiproj_chain_audit CASCADE;
		DROP FUNCTION aiproj_chain_hash, aiproj_chain_field,
			aiproj_chain_genesis;
		UPDATE meta SET value = '3' WHERE key = 'schema_version'" ||
		_fail "cannot make a version-3 store"
fi
run --db "$UP" project list --all --format json
expect_rc 0
expect_err ""
jq_out '[.projects[] | "\(.project)=\(.status_at)"] | join(" ")' \
	"back-on=$T0 bought=$T2 fresh=2025-06-01T00:00:00.000Z held=$T1 shut=$TA"
V=$("$AIPROJ" --db "$(new_store v)" --format json init | jq -r .schema_version)
# a command that only reads upgraded it in its transaction, and rolled that
# back: the store is as it was until a command that writes commits
if is_file_store; then
	[ "$(sqlite3 "$UP" 'PRAGMA user_version')" = 3 ] || _fail "a read upgraded the store"
else
	[ "$(_psql "$UP" -c "SELECT value FROM meta WHERE key = 'schema_version'")" = 3 ] ||
		_fail "a read upgraded the store"
fi
# nor does a command that fails, reading or writing
run --db "$UP" project show nope
expect_rc 3
run --db "$UP" stage advance nope
expect_rc 3
run --db "$UP" project hold shut --reason again
expect_rc 4
if is_file_store; then
	[ "$(sqlite3 "$UP" 'PRAGMA user_version')" = 3 ] || _fail "a failed command upgraded the store"
else
	[ "$(_psql "$UP" -c "SELECT value FROM meta WHERE key = 'schema_version'")" = 3 ] ||
		_fail "a failed command upgraded the store"
fi
run --db "$UP" init
expect_rc 0
if is_file_store; then
	[ "$(sqlite3 "$UP" 'PRAGMA user_version')" = "$V" ] || _fail "not version $V"
else
	[ "$(_psql "$UP" -c "SELECT value FROM meta WHERE key = 'schema_version'")" = "$V" ] ||
		_fail "not version $V"
fi
# (a store from before administrators has none: docs/security.md)
run --db "$UP" admin list
expect_out "No administrator: the first 'aiproj admin add NAME' may be run by anyone"
run --db "$UP" report status --all --format csv
expect_out_has "shut,closed,2,data-preparation,9.0,"
# the rows it held got their hash chains on the way
run --db "$UP" verify
expect_rc 0
expect_out_has "intact: "

# a migration statement that changes more than a statement journal holds
# in memory spills it to a temporary file: that must work (an SQLite
# setting once made every such spill fail as "disk full")
if is_file_store; then
	begin "a store of 2,000 projects from before the hash chains migrates whole and verifies"
	big=$T_DIR/big.db
	sh "$(dirname "$0")/../bench/gen.sh" 2000 "$big" "$AIPROJ" >/dev/null 2>&1 ||
		_fail "tests/bench/gen.sh made no store"
	sqlite3 "$big" "$(later_sql) $(unfeed_sql) DROP INDEX approval_chain;
		$chains PRAGMA user_version = 6" || _fail "cannot make a version-6 store"
	run --db "$big" -q verify
	expect_rc 0
	expect_err ""
	[ "$(sqlite3 "$big" 'PRAGMA user_version')" = 6 ] || _fail "verify upgraded the store"
	run --db "$big" -q init
	expect_rc 0
	[ "$(sqlite3 "$big" 'PRAGMA user_version')" = "$V" ] || _fail "not version $V"
	run --db "$big" -q verify
	expect_rc 0
fi

finish
