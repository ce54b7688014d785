# Races: several aiproj processes on one store at the same moment.  Exactly
# one `stage advance --expect` wins, the others get exit 5; nothing is lost
# and "database is locked" never reaches the user.
. "$(dirname "$0")/lib.sh"

RACE=$T_DIR/race
mkdir -p "$RACE"

# race_round PROJECT N: start N racers that wait for one go signal, then all
# run `stage advance PROJECT --expect feasibility --force --reason race`.
# Leaves $RACE/rc.I, $RACE/out.I, $RACE/err.I.
race_round() {
	_p=$1
	_n=$2
	rm -f "$RACE"/go "$RACE"/rc.* "$RACE"/out.* "$RACE"/err.* "$RACE"/ready.*
	_i=1
	while [ "$_i" -le "$_n" ]; do
		(
			: >"$RACE/ready.$_i"
			while [ ! -e "$RACE/go" ]; do :; done
			"$AIPROJ" --actor "racer$_i" stage advance "$_p" \
				--expect feasibility --force --reason race \
				>"$RACE/out.$_i" 2>"$RACE/err.$_i" </dev/null
			echo $? >"$RACE/rc.$_i"
		) &
		_i=$((_i + 1))
	done
	# all racers are spinning before the signal
	while [ "$(ls "$RACE" | grep -c '^ready\.')" -lt "$_n" ]; do sleep 0.01; done
	: >"$RACE/go"
	wait
}

# check_round PROJECT N: one winner, N-1 conflicts, one transition
check_round() {
	_p=$1
	_n=$2
	T_CMD="$_n x aiproj stage advance $_p --expect feasibility --force --reason race"
	RC=$(cat "$RACE"/rc.* | sort | paste -sd' ' -)
	OUT=$(cat "$RACE"/out.*)
	ERR=$(cat "$RACE"/err.*)
	: >"$T_DIR/out"
	: >"$T_DIR/err"
	cat "$RACE"/out.* >"$T_DIR/out"
	cat "$RACE"/err.* >"$T_DIR/err"
	_want="0"
	_i=2
	while [ "$_i" -le "$_n" ]; do
		_want="$_want 5"
		_i=$((_i + 1))
	done
	[ "$RC" = "$_want" ] || _fail "exit codes '$RC', expected '$_want'"
	case $ERR in
	*"database is locked"* | *"SQLITE_BUSY"* | *"busy"*) _fail "a lock error reached the user" ;;
	esac
	# the winner printed the move, each loser one --expect error line
	_i=1
	_winner=""
	while [ "$_i" -le "$_n" ]; do
		_rc=$(cat "$RACE/rc.$_i")
		if [ "$_rc" = 0 ]; then
			_winner=racer$_i
			[ "$(cat "$RACE/out.$_i")" = "$_p: feasibility -> data-preparation (forced: race)" ] ||
				_fail "winner racer$_i printed: $(cat "$RACE/out.$_i")"
			[ -s "$RACE/err.$_i" ] && _fail "winner racer$_i wrote to stderr"
		elif [ "$_rc" = 5 ]; then
			[ "$(cat "$RACE/err.$_i")" = "aiproj: error: project '$_p' is at 'data-preparation', not at 'feasibility' as expected" ] ||
				_fail "loser racer$_i said: $(cat "$RACE/err.$_i")"
			[ -s "$RACE/out.$_i" ] && _fail "loser racer$_i wrote to stdout"
		fi
		_i=$((_i + 1))
	done
	# the store agrees: one transition, by the winner
	_h=$("$AIPROJ" --format json stage history "$_p")
	[ "$(printf '%s' "$_h" | jq '.transitions | length')" = 1 ] ||
		_fail "history has not exactly one transition" "$_h"
	[ "$(printf '%s' "$_h" | jq -r '.transitions[0] | [.from, .to, .kind, .actor, .reason] | join("|")')" = \
		"feasibility|data-preparation|forced|$_winner|race" ] ||
		_fail "history transition differs" "$_h"
	[ "$(printf '%s' "$_h" | jq -r .stage)" = data-preparation ] ||
		_fail "project is not at data-preparation" "$_h"
}

run init
expect_rc 0

for n in 2 4; do
	begin "$n processes race to advance one project, 10 rounds: one wins"
	r=1
	while [ "$r" -le 10 ]; do
		p=race$n-$r
		run project create "$p"
		expect_rc 0
		race_round "$p" "$n"
		check_round "$p" "$n"
		r=$((r + 1))
	done
done

begin "8 processes race once: one wins"
run project create race8
race_round race8 8
check_round race8 8

begin "the racers did not disturb the other projects"
run --format json project list
expect_rc 0
jq_out '[.projects[] | select(.stage != "data-preparation")] | length' 0
jq_out '.projects | length' 21

begin "concurrent writers on one project: no committed change is lost"
run project create many
rm -f "$RACE"/go "$RACE"/rc.* "$RACE"/ready.*
i=1
while [ "$i" -le 8 ]; do
	(
		: >"$RACE/ready.$i"
		while [ ! -e "$RACE/go" ]; do :; done
		"$AIPROJ" gate add many --stage deployment "Parallel criterion $i" \
			>/dev/null 2>"$RACE/err.$i" </dev/null
		echo $? >"$RACE/rc.$i"
	) &
	i=$((i + 1))
done
while [ "$(ls "$RACE" | grep -c '^ready\.')" -lt 8 ]; do sleep 0.01; done
: >"$RACE/go"
wait
T_CMD="8 x aiproj gate add many --stage deployment ..."
RC=$(cat "$RACE"/rc.* | sort -u | paste -sd' ' -)
ERR=$(cat "$RACE"/err.*)
cat "$RACE"/err.* >"$T_DIR/err"
[ "$RC" = 0 ] || _fail "exit codes '$RC', expected all 0"
[ -z "$ERR" ] || _fail "stderr not empty"
run --format json gate show many --stage deployment
jq_out '[.criteria[] | select(.text | startswith("Parallel criterion")) | .text] | sort | join(",")' \
	"Parallel criterion 1,Parallel criterion 2,Parallel criterion 3,Parallel criterion 4,Parallel criterion 5,Parallel criterion 6,Parallel criterion 7,Parallel criterion 8"
jq_out '[.criteria[] | select(.kind == "manual") | .id] | unique | length' 11

finish
