# Crashes: aiproj processes are killed with SIGKILL at random moments during
# a write-heavy loop (two killed writers at a time, next to one that runs to
# the end), and while stores are being created.  Afterwards every store is
# intact and usable, history and state agree (stage = the `to` of the last
# transition, epoch = the number of transitions, each transition starts
# where the previous one ended), whole commands are either there or not
# (a project has all its criteria and components or does not exist), and
# every command that was not killed and exited 0 is in the store.
# On a PostgreSQL store (see lib.sh) the clients are killed the same way:
# the server must roll back whatever a dead client left unfinished, and each
# store created in the last part is an empty database of its own.
#
# AIPROJ_CRASH_KILLS (default 200) is the least number of kills in the loop
# (which runs at least twice as many rounds, each with two killable writers);
# AIPROJ_CRASH_SEED (0..999999) picks the random plan.
. "$(dirname "$0")/lib.sh"

KILLS=${AIPROJ_CRASH_KILLS:-200}
SEED=${AIPROJ_CRASH_SEED:-$(($(od -An -N4 -tu4 /dev/urandom) % 1000000))}
BUDGET=45 # seconds for the kill loop
CR=$T_DIR/crash
mkdir -p "$CR"
# a private copy: a rebuild of $AIPROJ while this runs cannot disturb it
cp "$AIPROJ" "$T_DIR/aiproj.bin" && AIPROJ=$T_DIR/aiproj.bin

raw_re='database is locked|database table is locked|SQLITE|disk I/O error|malformed|unable to open database|readonly database|within a transaction|no such table|constraint failed|Sanitizer|runtime error|internal error'
# (and what PostgreSQL would say)
raw_re="$raw_re|duplicate key|violates|deadlock|could not serialize|transaction is aborted|closed the connection|terminating connection|relation \"|does not exist"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

begin "setup: 3 projects with a KPI; time one write"
projects_with_kpi k1 k2 k3
run --format json stage list
expect_rc 0
FIRST=$(printf '%s' "$OUT" | jq -r '.stages[0].slug')
NCRIT=$(store_sql "SELECT count(*) FROM criterion WHERE project_id = (SELECT id FROM project WHERE name = 'k1')")
NCOMP=$(store_sql "SELECT count(*) FROM component WHERE project_id = (SELECT id FROM project WHERE name = 'k1')")
[ "$NCRIT" -gt 0 ] || _fail "k1 has no criteria"
t0=$(now_ms)
for i in 1 2 3; do
	"$AIPROJ" project create "calib$i" >/dev/null 2>&1 </dev/null
	"$AIPROJ" stage advance "calib$i" --force --reason calib >/dev/null 2>&1 </dev/null
	"$AIPROJ" stage back "calib$i" --to "$FIRST" --reason calib >/dev/null 2>&1 </dev/null
	"$AIPROJ" kpi record k1 auc 0.5 >/dev/null 2>&1 </dev/null
done
# delays are drawn from 0 .. 2 x the time of one write (plus the start-up
# of `timeout`), so most kills land inside a command
TW=$((($(now_ms) - t0) / 12))
[ "$TW" -ge 2 ] || TW=2
echo "  one write: ${TW}ms" >&2

# the plan: "i op1 d1 op2 d2 p1 p2 p3 r" ; d in microseconds
awk -v seed="$SEED" -v n=4000 -v tw="$TW" 'BEGIN {
	srand(seed)
	split("create force back kpi role done decide force back kpi", ops, " ")
	for (i = 1; i <= n; i++)
		printf "%d %s %d %s %d k%d k%d k%d %d\n", i,
			ops[1 + int(rand() * 10)], int(rand() * tw * 2000),
			ops[1 + int(rand() * 10)], int(rand() * tw * 2000),
			1 + int(rand() * 3), 1 + int(rand() * 3), 1 + int(rand() * 3),
			int(rand() * 1000)
}' >"$CR/plan"

# killable OP PROJECT TAG DELAY_US SLOT: run one write under timeout -s KILL;
# "TAG OP RC" goes to $CR/killed.log, stderr to $CR/kerr.TAG
killable() {
	_d=$(printf '%d.%06d' $(($4 / 1000000)) $(($4 % 1000000)))
	case $1 in
	create) set -- "$1" "$2" "$3" "$_d" "$AIPROJ" project create "n$3" --description "$3" ;;
	force) set -- "$1" "$2" "$3" "$_d" "$AIPROJ" stage advance "$2" --force --reason "$3" ;;
	back) set -- "$1" "$2" "$3" "$_d" "$AIPROJ" stage back "$2" --to "$FIRST" --reason "$3" ;;
	kpi) set -- "$1" "$2" "$3" "$_d" "$AIPROJ" kpi record "$2" auc "0.$(echo "$3" | tr -dc 0-9)" ;;
	role) set -- "$1" "$2" "$3" "$_d" "$AIPROJ" role assign "$2" devops "P $3" ;;
	done) set -- "$1" "$2" "$3" "$_d" "$AIPROJ" gate done "$2" "$(($(echo "$3" | tr -dc 0-9) % NCRIT + 1))" --note "$3" ;;
	decide) set -- "$1" "$2" "$3" "$_d" "$AIPROJ" decide "$2" make --cost 100 --reason "$3" ;;
	esac
	_op=$1
	_tag=$3
	shift 3
	timeout -s KILL "$@" >/dev/null 2>"$CR/kerr.$_tag" </dev/null
	echo "$_tag $_op $?" >>"$CR/killed.log"
}

begin "SIGKILL at random moments during a write-heavy loop (>= $KILLS kills)"
: >"$CR/killed.log"
: >"$CR/sure.log"
: >"$CR/sure.err"
start=$(date +%s)
kills=0
iters=0
while read -r i op1 d1 op2 d2 p1 p2 p3 r; do
	[ "$kills" -lt "$KILLS" ] || [ "$iters" -lt $((2 * KILLS)) ] || break
	[ $(($(date +%s) - start)) -lt "$BUDGET" ] || break
	iters=$i
	killable "$op1" "$p1" "a$i" "$d1" &
	killable "$op2" "$p2" "b$i" "$d2" &
	# next to them, one writer that is not killed: it must work
	case $((r % 3)) in
	0) set -- kpi record "$p3" auc "$((1000 + i))" ;;
	1) set -- --format json stage advance "$p3" --force --reason "s$i" ;;
	*) set -- stage back "$p3" --to "$FIRST" --reason "s$i" ;;
	esac
	"$AIPROJ" "$@" >/dev/null 2>"$CR/serr" </dev/null
	_rc=$?
	echo "s$i $1 $_rc $p3 $((1000 + i))" >>"$CR/sure.log"
	sed "s/^/s$i /" "$CR/serr" >>"$CR/sure.err"
	wait
	kills=$(grep -c ' 137$' "$CR/killed.log")
done <"$CR/plan"
elapsed=$(($(date +%s) - start))
T_CMD="kill loop (seed $SEED): $iters rounds, $kills kills in ${elapsed}s"
RC=-
[ "$kills" -ge "$KILLS" ] || _fail "only $kills kills in $iters rounds"

begin "the writers that were not killed: exit 0 (or 4 at an end), clean stderr"
bad=$(awk '!($3 == 0 || ($2 != "kpi" && $3 == 4))' "$CR/sure.log" | head -10)
[ -z "$bad" ] || _fail "unexpected exit codes" "$bad"
raw=$(grep -E "$raw_re" "$CR/sure.err" | head -10)
[ -z "$raw" ] || _fail "raw messages" "$raw"
# (an error of a --format json command is one JSON object line)
raw=$(awk '$2 != "aiproj:" && $0 !~ /^s[0-9]+ \{"aiproj":1,"error":\{"code":[0-9]+,"message":".*"\}\}$/' "$CR/sure.err" |
	grep -v '^s[0-9]*   unmet: ' | head -10)
[ -z "$raw" ] || _fail "stderr that is not an aiproj error" "$raw"

begin "killed writers that finished in time: expected exit codes, clean stderr"
bad=$(awk '!($3 == 137 || $3 == 0 || ($2 ~ /^(force|back|decide)$/ && $3 == 4))' "$CR/killed.log" | head -10)
[ -z "$bad" ] || _fail "unexpected exit codes" "$bad"
raw=$(cat "$CR"/kerr.* | grep -E "$raw_re" | head -10)
[ -z "$raw" ] || _fail "raw messages" "$raw"

begin "the store is intact (store_integrity); foreign keys hold"
ic=$(store_integrity)
[ "$ic" = ok ] || _fail "store_integrity" "$ic"

begin "the store is still usable after the kills"
run --format json project list --all
expect_rc 0
expect_err ""
jq_out '[.projects[].project] | map(select(. == "k1" or . == "k2" or . == "k3")) | length' 3
run kpi record k1 auc 0.9
expect_rc 0
expect_err ""

begin "history and state agree: stage = last 'to', epoch = number of moves"
bad=$(store_sql "SELECT name, stage, epoch,
	(SELECT count(*) FROM transition t WHERE t.project_id = p.id),
	coalesce((SELECT to_stage FROM transition t WHERE t.project_id = p.id
		ORDER BY id DESC LIMIT 1), '$FIRST')
	FROM project p" | awk -F'|' '$2 != $5 || $3 != $4')
[ -z "$bad" ] || _fail "name stage epoch transitions last-to" "$bad"
bad=$(store_sql "SELECT t.id FROM transition t WHERE t.from_stage <>
	coalesce((SELECT u.to_stage FROM transition u WHERE u.project_id = t.project_id
		AND u.id < t.id ORDER BY u.id DESC LIMIT 1), '$FIRST')")
[ -z "$bad" ] || _fail "transitions that do not start where the previous ended: $bad"
for p in k1 k2 k3; do
	run --format json stage history "$p"
	expect_rc 0
	got=$(printf '%s' "$OUT" | jq -r --arg first "$FIRST" '
		(reduce .transitions[] as $t ({at: $first, ok: true};
			{at: $t.to, ok: (.ok and $t.from == .at)}) | "\(.ok) \(.at)")
		+ " " + (.transitions | length | tostring)')
	want="true $(printf '%s' "$OUT" | jq -r .stage) $(store_sql "SELECT epoch FROM project WHERE name = '$p'")"
	[ "$got" = "$want" ] || _fail "$p: replay/moves '$got', stage/epoch '$want'"
done
nmoves=$(store_sql 'SELECT count(*) FROM transition')

begin "whole commands or nothing: each project has all its criteria and components"
bad=$(store_sql "SELECT name,
	(SELECT count(*) FROM criterion c WHERE c.project_id = p.id),
	(SELECT count(*) FROM component c WHERE c.project_id = p.id)
	FROM project p" | awk -F'|' -v c="$NCRIT" -v k="$NCOMP" '$2 != c || $3 != k')
[ -z "$bad" ] || _fail "projects with partial rows (name criteria components)" "$bad"
# a killed create either made its project, described, or nothing
bad=$(store_sql "SELECT name FROM project WHERE name LIKE 'n%' AND description <> substr(name, 2)")
[ -z "$bad" ] || _fail "created projects with a wrong description: $bad"
ncreated=$(store_sql "SELECT count(*) FROM project WHERE name LIKE 'n%'")

begin "no committed change is lost: every unkilled success is in the store"
awk '$3 == 0 && $2 == "kpi" { print $4 "|" $5 }' "$CR/sure.log" | sort >"$CR/kpi.want"
# (the values are whole numbers: SQLite prints 1001.0, PostgreSQL 1001)
store_sql "SELECT p.name, r.value FROM kpi_reading r
	JOIN project p ON p.id = r.project_id WHERE r.value >= 1000" |
	awk -F'|' '{ printf "%s|%d\n", $1, $2 }' | sort >"$CR/kpi.got"
cmp -s "$CR/kpi.want" "$CR/kpi.got" || _fail "readings of unkilled records differ" \
	"$(diff "$CR/kpi.want" "$CR/kpi.got" | head)"
awk '$3 == 0 && $2 != "kpi" { print $1 }' "$CR/sure.log" | sort >"$CR/move.want"
store_sql "SELECT reason FROM transition WHERE reason LIKE 's%'" | sort >"$CR/move.got"
cmp -s "$CR/move.want" "$CR/move.got" || _fail "moves of unkilled commands differ" \
	"$(diff "$CR/move.want" "$CR/move.got" | head)"
# and every killed command that exited 0 before its kill is there too
awk '$3 == 0 && ($2 == "force" || $2 == "back") { print $1 }' "$CR/killed.log" | sort >"$CR/kmove.want"
store_sql "SELECT reason FROM transition WHERE reason LIKE 'a%' OR reason LIKE 'b%'" | sort >"$CR/kmove.got"
missing=$(comm -23 "$CR/kmove.want" "$CR/kmove.got" | head)
[ -z "$missing" ] || _fail "moves that exited 0 are missing: $missing"
# (killed moves that had committed before the kill: for the summary)
awk '$3 == 137 { print $1 }' "$CR/killed.log" | sort >"$CR/kmove.killed"
late=$(comm -12 "$CR/kmove.killed" "$CR/kmove.got" | wc -l)

# ---- kills while a store is being created ----
# bare_store I: the path or URL of a new, empty store for round I (unlike
# new_store, without its tables: on
# PostgreSQL an empty database of its own, where `init` makes the tables);
# drop_bare_store I: remove it again (a file store's stay in $T_DIR)
bare_store() {
	if is_file_store; then
		echo "$T_DIR/new$1.db"
	else
		_psql "$AIPROJ_E2E_PG" -c "CREATE DATABASE ${T_PGDB}_n$1" >/dev/null &&
			echo "${AIPROJ_DB%/*}/${T_PGDB}_n$1"
	fi
}
drop_bare_store() {
	is_file_store || _psql "$AIPROJ_E2E_PG" -c "DROP DATABASE IF EXISTS ${T_PGDB}_n$1" >/dev/null
}

begin "SIGKILL while a new store is created: the store is then usable and intact"
# delays are drawn from 0 .. 2 x the time of one init of a new store (the
# fastest of 3)
TI=
for i in c1 c2 c3; do
	f=$(bare_store "$i")
	t0=$(now_ms)
	"$AIPROJ" --db "$f" init >/dev/null 2>&1 </dev/null || _fail "init of a new store failed"
	t0=$(($(now_ms) - t0))
	[ -n "$TI" ] && [ "$TI" -le "$t0" ] || TI=$t0
	drop_bare_store "$i"
done
[ "$TI" -ge 2 ] || TI=2
NINIT=60
is_file_store || NINIT=40 # (a database takes ~0.1 s to create)
ik=0
i=0
while [ "$i" -lt "$NINIT" ]; do
	i=$((i + 1))
	d=$(awk -v s="$((SEED * 64 + i))" -v t="$TI" 'BEGIN { srand(s); printf "%.6f", rand() * t * 2 / 1000 }')
	f=$(bare_store "$i") || { _fail "cannot make store $i"; break; }
	timeout -s KILL "$d" "$AIPROJ" --db "$f" init >/dev/null 2>&1 </dev/null
	[ $? = 137 ] && ik=$((ik + 1))
	run --db "$f" project create after
	expect_rc 0
	expect_err ""
	ic=$(store_integrity "$f")
	[ "$ic" = ok ] || _fail "$f: store_integrity" "$ic"
	if [ "$T_FAILED" = 0 ]; then drop_bare_store "$i"; else echo "  kept $f" >&2; fi
done
[ "$ik" -gt 0 ] || _fail "no init was killed"
echo "  $iters rounds in ${elapsed}s (seed $SEED): $kills kills in the loop, $ik of $NINIT" \
	"inits (${TI}ms each); $nmoves moves ($late by killed commands), $ncreated projects created" >&2

finish
