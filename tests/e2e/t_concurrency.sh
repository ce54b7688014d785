# Concurrency: W processes x N mixed commands (stage advance/back with
# --expect, gate done/reopen, role assign, kpi record, stage show) on one
# store at the same time.  Afterwards the store is intact, the history holds
# exactly the moves that exited 0 (and nothing of those that failed), the
# readings and assignments match the successes, and every failure was an
# expected, clearly worded one (4 refused, 5 --expect conflict, 8 busy).
#
# AIPROJ_CONC_WORKERS (default 8) and AIPROJ_CONC_OPS (default 200) scale it;
# AIPROJ_CONC_SEED (0..999999) picks the random plan (default: a new one each
# run, printed at the end).  AIPROJ_CONC_LANES is how many commands each
# worker has in flight at once, each its own client connection (default 1 on
# a file store, 2 on a server store: 8 workers x 2 connections); a worker's
# plan is dealt out to its lanes by command number.
. "$(dirname "$0")/lib.sh"

W=${AIPROJ_CONC_WORKERS:-8}
N=${AIPROJ_CONC_OPS:-200}
SEED=${AIPROJ_CONC_SEED:-$(($(od -An -N4 -tu4 /dev/urandom) % 1000000))}
if is_file_store; then L=${AIPROJ_CONC_LANES:-1}; else L=${AIPROJ_CONC_LANES:-2}; fi
PROJECTS="c1 c2 c3 c4"
NPROJ=4
CD=$T_DIR/conc
mkdir -p "$CD/lane"
# a private copy: a rebuild of $AIPROJ while this runs cannot disturb it
cp "$AIPROJ" "$T_DIR/aiproj.bin" && AIPROJ=$T_DIR/aiproj.bin

# ---- setup ----
begin "setup: $NPROJ projects, each with a KPI"
# shellcheck disable=SC2086 # a list of words
projects_with_kpi $PROJECTS
run --format json stage list
expect_rc 0
STAGES=$(printf '%s' "$OUT" | jq -r '.stages[].slug')
NST=0
for s in $STAGES; do
	eval "S$NST=\$s"
	NST=$((NST + 1))
done
[ "$NST" -ge 2 ] || _fail "stage list gave $NST stages"
FIRST=$S0
NCRIT=$(store_sql "SELECT max(id) FROM criterion WHERE project_id = (SELECT id FROM project WHERE name = 'c1')")
[ "${NCRIT:-0}" -ge 1 ] || _fail "no criteria on c1"

# stage_index SLUG -> $IDX (-1 when unknown)
stage_index() {
	IDX=-1
	_k=0
	while [ "$_k" -lt "$NST" ]; do
		eval "_s=\$S$_k"
		if [ "$_s" = "$1" ]; then IDX=$_k; return; fi
		_k=$((_k + 1))
	done
}

# worker WID LANE: runs its lane of the plan $CD/lane/plan.WID.LANE, logs
# every command to $CD/lane/log.WID.LANE as tab-separated: i op project from
# to rc, stdout lines to out.WID.LANE and stderr lines to err.WID.LANE, each
# prefixed with i.
worker() {
	_w=$1
	_log=$CD/lane/log.$_w.$2
	_olog=$CD/lane/out.$_w.$2
	_elog=$CD/lane/err.$_w.$2
	_o=$CD/lane/o.$_w.$2
	_e=$CD/lane/e.$_w.$2
	: >"$_log"
	: >"$_olog"
	: >"$_elog"
	for _p in $PROJECTS; do eval "G_$_p=\$FIRST"; done
	while read -r _i _op _p _r1 _r2 _r3; do
		eval "_g=\$G_$_p"
		stage_index "$_g"
		_gi=$IDX
		[ "$_gi" -ge 0 ] || _gi=0
		# 80%: the stage we believe the project is in; 20%: any stage
		if [ "$_r3" -lt 20 ]; then _gi=$((_r1 % NST)); fi
		eval "_exp=\$S$_gi"
		_from=-
		_to=-
		_tag="w$_w-i$_i"
		case $_op in
		adv)
			_from=$_exp
			if [ $((_gi + 1)) -lt "$NST" ]; then
				eval "_to=\$S$((_gi + 1))"
			else
				_to=none
			fi
			if [ "$_r2" -lt 60 ]; then
				_op=force
				"$AIPROJ" --actor "w$_w" stage advance "$_p" --expect "$_exp" \
					--force --reason "$_tag" >"$_o" 2>"$_e" </dev/null
			else
				"$AIPROJ" --actor "w$_w" stage advance "$_p" --expect "$_exp" \
					--reason "$_tag" >"$_o" 2>"$_e" </dev/null
			fi
			;;
		back)
			_from=$_exp
			# a stage before the expected one (the first stage when
			# there is none: a refusal)
			if [ "$_gi" -gt 0 ]; then _ti=$((_r2 % _gi)); else _ti=0; fi
			eval "_to=\$S$_ti"
			"$AIPROJ" --actor "w$_w" stage back "$_p" --to "$_to" \
				--expect "$_exp" --reason "$_tag" >"$_o" 2>"$_e" </dev/null
			;;
		done)
			"$AIPROJ" --actor "w$_w" gate done "$_p" $((_r1 % NCRIT + 1)) \
				--note "$_tag" >"$_o" 2>"$_e" </dev/null
			;;
		reopen)
			"$AIPROJ" --actor "w$_w" gate reopen "$_p" $((_r1 % NCRIT + 1)) \
				>"$_o" 2>"$_e" </dev/null
			;;
		role)
			case $((_r1 % 6)) in
			0) _role=sponsor ;; 1) _role=data-analyst ;;
			2) _role=data-engineer ;; 3) _role=data-scientist ;;
			4) _role=ai-engineer ;; *) _role=devops ;;
			esac
			_to="Person $_tag"
			"$AIPROJ" --actor "w$_w" role assign "$_p" "$_role" "Person $_tag" \
				>"$_o" 2>"$_e" </dev/null
			;;
		kpi)
			# a unique value per command: w.iiii
			_to=$_w.$((10000 + _i))
			"$AIPROJ" --actor "w$_w" kpi record "$_p" auc "$_to" \
				>"$_o" 2>"$_e" </dev/null
			;;
		show)
			"$AIPROJ" --format json stage show "$_p" >"$_o" 2>"$_e" </dev/null
			;;
		esac
		_rc=$?
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$_i" "$_op" "$_p" "$_from" "$_to" "$_rc" >>"$_log"
		while IFS= read -r _l; do
			printf '%s\t%s\n' "$_i" "$_l"
		done <"$_o" >>"$_olog"
		_e1=
		while IFS= read -r _l; do
			[ -n "$_e1" ] || _e1=$_l
			printf '%s\t%s\n' "$_i" "$_l"
		done <"$_e" >>"$_elog"
		# learn where the project is, as a CI script would
		case $_op in
		adv | force | back)
			if [ "$_rc" = 0 ]; then
				eval "G_$_p=\$_to"
			else
				case $_e1 in
				*"' is at '"*)
					_s=${_e1#*"' is at '"}
					_s=${_s%%"'"*}
					eval "G_$_p=\$_s"
					;;
				esac
			fi
			;;
		show)
			if [ "$_rc" = 0 ]; then
				while IFS= read -r _l; do
					case $_l in
					'  "stage": "'*)
						_s=${_l#*'"stage": "'}
						eval "G_$_p=\${_s%%'\"'*}"
						break
						;;
					esac
				done <"$_o"
			fi
			;;
		esac
	done <"$CD/lane/plan.$_w.$2"
}

# the plan of worker w: "i op project r1 r2 r3", r* random in 0..99999/0..99
k=1
while [ "$k" -le "$W" ]; do
	awk -v seed="$((SEED * 64 + k))" -v n="$N" -v np="$NPROJ" 'BEGIN {
		srand(seed)
		for (i = 1; i <= n; i++) {
			x = int(rand() * 100)
			if (x < 30) op = "adv"
			else if (x < 45) op = "back"
			else if (x < 57) op = "done"
			else if (x < 65) op = "reopen"
			else if (x < 75) op = "role"
			else if (x < 90) op = "kpi"
			else op = "show"
			printf "%d %s c%d %d %d %d\n", i, op, 1 + int(rand() * np),
				int(rand() * 100000), int(rand() * 100), int(rand() * 100)
		}
	}' >"$CD/plan.$k"
	for l in $(seq 1 "$L"); do
		awk -v L="$L" -v l="$l" '$1 % L == l % L' "$CD/plan.$k" >"$CD/lane/plan.$k.$l"
	done
	k=$((k + 1))
done

begin "$W workers x $N mixed commands run in parallel ($L at a time each)"
started=$(date +%s)
k=1
while [ "$k" -le "$W" ]; do
	for l in $(seq 1 "$L"); do
		worker "$k" "$l" &
	done
	k=$((k + 1))
done
wait
elapsed=$(($(date +%s) - started))
# each worker's lanes merged back in command order
for k in $(seq 1 "$W"); do
	for f in log out err; do
		sort -s -n -k1,1 "$CD/lane/$f.$k".* >"$CD/$f.$k"
	done
done
cat "$CD"/log.* >"$CD/all.log"
cat "$CD"/err.* >"$CD/all.err"
T_CMD="$W x $N commands, $L lanes each (seed $SEED, ${elapsed}s)"
RC=-
: >"$T_DIR/out"
cp "$CD/all.err" "$T_DIR/err"
total=$(wc -l <"$CD/all.log")
[ "$total" -eq $((W * N)) ] || _fail "$total commands logged, expected $((W * N))"

begin "the store is intact (integrity and foreign keys)"
ic=$(store_integrity 2>&1)
[ "$ic" = ok ] || _fail "integrity: $ic"

begin "every failure has an expected exit code (moves 4/5/8, others 8 busy only)"
bad=$(awk -F'\t' '
	($2 == "adv" || $2 == "force" || $2 == "back") && ($6 == 0 || $6 == 4 || $6 == 5 || $6 == 8) { next }
	$6 == 0 || $6 == 8 { next }
	{ print FILENAME ": " $0 }' "$CD"/log.*)
[ -z "$bad" ] || _fail "unexpected exit codes" "$(printf '%s\n' "$bad" | head -20)"

begin "no raw SQLite message, no sanitizer report, every error is an aiproj error"
# (and none of PostgreSQL's: deadlocks, serialization failures, timeouts)
raw=$(grep -iE 'database is locked|database table is locked|SQLITE|disk I/O error|malformed|unable to open database|readonly database|within a transaction|no such table|constraint failed|deadlock|could not serialize|canceling statement|lock timeout|too many (clients|connections)|duplicate key|violates|Sanitizer|runtime error|internal error' "$CD"/err.* | head -20)
[ -z "$raw" ] || _fail "raw messages on stderr" "$raw"
# the first stderr line of every command is "aiproj: error: ..."
notours=$(awk -F'\t' '!seen[FILENAME, $1]++ && $2 !~ /^aiproj: error: / { print FILENAME ": " $0 }' \
	"$CD"/err.* | head -20)
[ -z "$notours" ] || _fail "stderr lines that are not aiproj errors" "$notours"

begin "exit 0 means silent stderr; a failure always says why"
for k in $(seq 1 "$W"); do
	awk -F'\t' -v w="$k" '
		FILENAME ~ /err\./ { haserr[$1] = 1; if (!first[$1]) first[$1] = $2; next }
		{ if ($6 == 0 && haserr[$1]) print "w" w " i" $1 " exit 0 with stderr: " first[$1]
		  if ($6 != 0 && !haserr[$1]) print "w" w " i" $1 " exit " $6 " without a message"
		  if ($6 == 5 && first[$1] !~ /as expected/) print "w" w " i" $1 " exit 5: " first[$1]
		  if ($6 == 8 && first[$1] !~ /busy.*try again/) print "w" w " i" $1 " exit 8: " first[$1]
		}' "$CD/err.$k" "$CD/log.$k"
done >"$CD/bad.msg"
[ ! -s "$CD/bad.msg" ] || _fail "bad messages" "$(head -20 "$CD/bad.msg")"

begin "each successful move printed its from -> to"
for k in $(seq 1 "$W"); do
	awk -F'\t' -v w="$k" '
		FILENAME ~ /out\./ { if (!first[$1]) first[$1] = $2; next }
		($2 == "adv" || $2 == "force" || $2 == "back") && $6 == 0 {
			want = $3 ": " $4 " -> " $5
			if (index(first[$1], want) != 1) print "w" w " i" $1 " printed \"" first[$1] "\", expected \"" want "...\""
		}' "$CD/out.$k" "$CD/log.$k"
done >"$CD/bad.out"
[ ! -s "$CD/bad.out" ] || _fail "move output differs" "$(head -20 "$CD/bad.out")"

begin "the history holds exactly the successful moves, each once, as attempted"
# successful moves: tag project from to kind actor
awk -F'\t' '($2 == "adv" || $2 == "force" || $2 == "back") && $6 == 0 {
	w = FILENAME; sub(/.*log\./, "", w)
	kind = $2 == "adv" ? "advance" : $2 == "force" ? "forced" : "back"
	print "w" w "-i" $1 "|" $3 "|" $4 "|" $5 "|" kind "|w" w }' "$CD"/log.* | sort >"$CD/moves.log"
store_sql "SELECT coalesce(t.reason, '(null)'), p.name, t.from_stage, t.to_stage, t.kind, t.actor
	FROM transition t JOIN project p ON p.id = t.project_id" | sort >"$CD/moves.db"
if ! cmp -s "$CD/moves.log" "$CD/moves.db"; then
	_fail "history differs from the successful moves (< log, > store)" \
		"$(diff "$CD/moves.log" "$CD/moves.db" | head -20)"
fi
nmoves=$(wc -l <"$CD/moves.log")
nfail=$(awk -F'\t' '($2 == "adv" || $2 == "force" || $2 == "back") && $6 != 0' "$CD"/log.* | wc -l)
for p in $PROJECTS; do
	a=$(grep -c "^[^|]*|$p|" "$CD/moves.log")
	b=$(store_sql "SELECT count(*) FROM transition WHERE project_id = (SELECT id FROM project WHERE name = '$p')")
	[ "$a" = "$b" ] || _fail "$p: $a successful moves, $b transitions"
done

begin "replaying the history gives each project's stage; epoch counts the moves"
for p in $PROJECTS; do
	run --format json stage history "$p"
	expect_rc 0
	got=$(printf '%s' "$OUT" | jq -r --arg first "$FIRST" '
		reduce .transitions[] as $t ({at: $first, ok: true};
			{at: $t.to, ok: (.ok and $t.from == .at)}) |
		"\(.ok) \(.at)"')
	cur=$(printf '%s' "$OUT" | jq -r .stage)
	[ "$got" = "true $cur" ] || _fail "$p: replay gives '$got', stage is '$cur'"
	ep=$(store_sql "SELECT CASE WHEN epoch = (SELECT count(*) FROM transition WHERE project_id = p.id) THEN 1 ELSE 0 END FROM project p WHERE name = '$p'")
	[ "$ep" = 1 ] || _fail "$p: epoch differs from the number of transitions"
done

begin "KPI readings: exactly the successful kpi records, with their values"
awk -F'\t' '$2 == "kpi" && $6 == 0 { printf "%s|%.5f\n", $3, $5 }' "$CD"/log.* | sort >"$CD/kpi.log"
store_sql "SELECT p.name, r.value FROM kpi_reading r
	JOIN project p ON p.id = r.project_id" | awk -F'|' '{ printf "%s|%.5f\n", $1, $2 }' | sort >"$CD/kpi.db"
nkpi=$(wc -l <"$CD/kpi.log")
cmp -s "$CD/kpi.log" "$CD/kpi.db" ||
	_fail "readings differ from successful records ($nkpi vs $(wc -l <"$CD/kpi.db"))" \
		"$(diff "$CD/kpi.log" "$CD/kpi.db" | head -20)"

begin "assignments: exactly the successful role assigns"
awk -F'\t' '$2 == "role" && $6 == 0 { print $3 "|" $5 }' "$CD"/log.* | sort >"$CD/role.log"
store_sql "SELECT p.name, a.person FROM assignment a
	JOIN project p ON p.id = a.project_id" | sort >"$CD/role.db"
cmp -s "$CD/role.log" "$CD/role.db" ||
	_fail "assignments differ from successful assigns" "$(diff "$CD/role.log" "$CD/role.db" | head -20)"

begin "the run exercised both outcomes and stayed within time"
n0=$(awk -F'\t' '$6 == 0' "$CD"/log.* | wc -l)
n4=$(awk -F'\t' '$6 == 4' "$CD"/log.* | wc -l)
n5=$(awk -F'\t' '$6 == 5' "$CD"/log.* | wc -l)
n8=$(awk -F'\t' '$6 == 8' "$CD"/log.* | wc -l)
[ "$nmoves" -gt 0 ] || _fail "no move succeeded"
[ "$nfail" -gt 0 ] || _fail "no move failed"
[ "$elapsed" -le 120 ] || _fail "took ${elapsed}s"
echo "  $total commands ($W workers, $L in flight each) in ${elapsed}s (seed $SEED): $n0 ok, $n4 refused, $n5 conflicts, $n8 busy;" \
	"$nmoves moves, $nkpi readings" >&2

finish
