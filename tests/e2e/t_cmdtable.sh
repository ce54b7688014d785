# The command table: what --help shows of a command is what the parser
# takes, what completion offers and what the checks before the store ask
# for.  Every command the binary lists is walked, so a new command or
# option is covered without a new test.
. "$(dirname "$0")/lib.sh"
export AIPROJ_NOW=2026-05-06T07:08:09.010Z
cd "$T_DIR" || exit 1 # export -o writes a relative FILE here

all_commands >"$T_DIR/commands"

# usage WORDS: the arguments of the usage line of 'aiproj help WORDS', its
# wrapped lines joined
usage() {
	# shellcheck disable=SC2086
	"$AIPROJ" help $1 | awk 'NF == 0 { exit } { printf "%s ", $0 }' |
		tr -s ' ' | sed -e "s/^usage: aiproj $1 *//" -e 's/ $//'
}
# the options of a usage line, one a line ("-o" as it is shown)
usage_opts() {
	printf '%s\n' "$1" | tr -d '[]' | tr ' ' '\n' | grep -E '^--?[a-z]'
}
# the long names of the global options --help lists
"$AIPROJ" --help | sed -n '/^Global options:/,/^$/p' |
	grep -oE -- '--[a-z][a-z-]*' >"$T_DIR/globals"

run init
run project create alpha

begin "the table lists enough commands to walk"
[ "$(wc -l <"$T_DIR/commands")" -ge 30 ] || _fail "too few: $(cat "$T_DIR/commands")"

begin "completion offers exactly the options --help shows, then the global ones"
while read -r w; do
	u=$(usage "$w")
	# shellcheck disable=SC2086
	got=$("$AIPROJ" __complete options $w)
	want=$(usage_opts "$u")
	n=$(printf '%s\n' "$want" | grep -c .)
	printf '%s\n' "$got" | head -n "$n" >"$T_DIR/cmdopts"
	printf '%s\n' "$got" | tail -n +"$((n + 1))" >"$T_DIR/globopts"
	# (--help lists -h and --version last)
	[ "$(sort "$T_DIR/globopts")" = "$(sort "$T_DIR/globals")" ] ||
		_fail "$w: global options differ from --help: $(cat "$T_DIR/globopts")"
	# a short form shown (-o) is the long option starting with its letter
	printf '%s\n' "$want" | grep . | paste - "$T_DIR/cmdopts" |
		while read -r shown long; do
			case $shown in
			--*) [ "$shown" = "$long" ] ;;
			-?) case $long in --"${shown#-}"*) true ;; *) false ;; esac ;;
			esac || echo "$w: usage shows $shown, completion offers $long"
		done >"$T_DIR/mismatch"
	[ -s "$T_DIR/mismatch" ] && _fail "$(cat "$T_DIR/mismatch")"
done <"$T_DIR/commands"

begin "every option --help shows is one the parser takes, with its value"
while read -r w; do
	u=$(usage "$w")
	for o in $(usage_opts "$u"); do
		# the word after the option in the usage: its value, if any
		v=$(printf '%s\n' "$u" | tr -d '[]' | tr ' ' '\n' |
			awk -v o="$o" 'p { print; exit } $0 == o { p = 1 }')
		case $v in '' | -*) set -- "$o" ;; *) set -- "$o" x ;; esac
		# (a follower waits for ever: the store's one event, then stop)
		[ "$w $o" = "events --follow" ] && set -- "$@" --limit 1
		# shellcheck disable=SC2086
		run $w "$@"
		case $ERR in
		*"unknown option"* | *"takes no value"* | *"missing value"*)
			_fail "aiproj $w $*: $ERR"
			;;
		esac
	done
done <"$T_DIR/commands"
while read -r o; do
	run project list "$o" x
	case $ERR in *"unknown option"* | *"takes no value"*) _fail "global $o: $ERR" ;; esac
done <"$T_DIR/globals"

# a value for each placeholder that passes the checks made before the
# store opens
value_for() {
	case $1 in
	ID | VALUE) echo 1 ;;
	make*) echo make ;;
	open*) echo open ;;
	ROLE) echo sponsor ;;
	*) echo alpha ;;
	esac
}

begin "every option a usage shows without brackets is needed: exit 2 naming it"
while read -r w; do
	u=$(usage "$w")
	case $w in __complete) continue ;; esac
	req=$(printf '%s\n' "$u" | sed 's/\[[^]]*\]//g' | tr ' ' '\n' | grep -E '^--')
	[ -n "$req" ] || continue
	for o in $req; do
		# the usage without its brackets and without o: each
		# placeholder given a value
		set --
		for a in $(printf '%s\n' "$u" | sed -e 's/\[[^]]*\]//g' \
			-e "s/'\([^' ]*\) \([^']*\)'/\1_\2/g" |
			awk -v o="$o" '{ for (i = 1; i <= NF; i++)
				if ($i == o) i++; else print $i }'); do
			case $a in -*) set -- "$@" "$a" ;; *) set -- "$@" "$(value_for "$a")" ;; esac
		done
		snap
		# shellcheck disable=SC2086
		run $w "$@"
		expect_rc 2
		expect_out ""
		case $ERR in
		*"needs $o"* | *"without $o"*) ;;
		*) _fail "not refused for want of $o" ;;
		esac
		expect_unchanged
		echo "$w $o" >>"$T_DIR/needed"
	done
done <"$T_DIR/commands"
[ "$(wc -l <"$T_DIR/needed")" -ge 9 ] || _fail "too few needed options: $(cat "$T_DIR/needed")"

begin "a missing argument's message quotes the usage --help shows"
while read -r w; do
	u=$(usage "$w")
	case $u in "" | "["* | "--"*) continue ;; esac
	# shellcheck disable=SC2086
	run $w
	expect_rc 2
	expect_err_has "aiproj: error: missing argument: expected '$u' for '$w'"
	expect_err_has "usage: aiproj $w $u"
done <"$T_DIR/commands"

begin "completion of a command's first argument follows its type"
run __complete next -- project rename ''
expect_out "alpha"
run __complete next -- project rename alpha ''
expect_out ""
run __complete next -- project create ''
expect_out ""
run __complete next -- policy set ''
expect_out "open
roles"
run __complete next -- init --policy ''
expect_out "open
roles"
run __complete next -- init --lifecycle ''
expect_out ":file"
run __complete next -- export -o ''
expect_out ":file"
run __complete next -- component add alpha x --owner ''
expect_out_has "data-engineer"
run __complete next -- __complete ''
expect_out "commands
verbs
options
formats
stages
roles
projects
next"

cd / || exit 1 # finish removes T_DIR
finish
