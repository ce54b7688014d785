# Arguments: an empty word or value never silently means something, a list
# of projects names each once, every number follows one grammar (NUMBERS in
# aiproj(1)), and a lifecycle file that makes a name ambiguous is refused.
# Every refusal leaves the store unchanged.
. "$(dirname "$0")/lib.sh"
export AIPROJ_NOW=2026-05-06T07:08:09.010Z

# refused RC MESSAGE ARGS...: exit RC, nothing on stdout, stderr exactly
# "aiproj: error: MESSAGE", the store unchanged
refused() { refused_as expect_err "$@"; }
# refused_has RC TEXT ARGS...: the same, stderr holding TEXT (with usage)
refused_has() { refused_as expect_err_has "$@"; }
# refused_as CHECK RC TEXT ARGS...: exit RC, nothing on stdout, stderr
# checked by CHECK against "aiproj: error: TEXT", the store unchanged
refused_as() {
	_check=$1 _rc=$2 _msg=$3
	shift 3
	snap
	run "$@"
	expect_rc "$_rc"
	expect_out ""
	"$_check" "aiproj: error: $_msg"
	expect_unchanged
}

run init
run project create n1
run project create n2
run kpi add n1 auc --target '>= 0.8'

# ---- empty command words ----

begin "an empty verb is an unknown subcommand, not the group's first verb"
refused_has 2 "unknown subcommand '' for 'project'" project '' foo
run project list
expect_out_lacks foo
refused_has 2 "unknown subcommand '' for 'gate'" gate '' n1
refused_has 2 "unknown subcommand ' ' for 'project'" project ' ' foo

begin "an empty command word is an unknown command"
refused_has 2 "unknown command ''" '' foo
refused_has 2 "unknown command ''" -- '' project create foo

begin "help with an empty verb: exit 2"
run help project ''
expect_rc 2
expect_out ""
expect_err "aiproj: error: unknown subcommand '' for 'project'
Run 'aiproj help project' for its subcommands."

# ---- empty option values ----

begin "an option with an empty or blank value: exit 2 naming the option"
while read -r opt args; do
	for v in '' ' ' '	'; do
		# shellcheck disable=SC2086
		refused 2 "option --$opt is empty: give it a value or leave it out" \
			$args "--$opt" "$v"
	done
	# shellcheck disable=SC2086
	refused 2 "option --$opt is empty: give it a value or leave it out" \
		$args "--$opt="
done <<'LIST'
actor project create x
format project list
db project list
expect stage advance n1
reason project hold n1
to stage back n1 --reason r
cost decide n1 make --reason r
target kpi add n1 acc
owner component add n1 extra
stage gate show n1
at-least stage check n1
is stage check n1
policy init
lifecycle init
LIST
refused 2 "option --output is empty: give it a value or leave it out" export -o ''

begin "--note '' and --description '' mean no note, no description"
run gate done n1 1 --note ''
expect_rc 0
run gate reopen n1 1
expect_rc 0
run project create n3 --description ''
expect_rc 0
run project delete n3 --yes
expect_rc 0

begin "a criterion text of only spaces is empty"
refused 2 "criterion text is empty" gate add n1 --stage 1 '   '
refused 2 "criterion text is empty" gate add n1 --stage 1 "$(printf ' \n\t')"

begin "a text of only invisible characters or wide spaces is empty"
# a zero-width space, a word joiner, a no-break space, an ideographic space
for t in "$(printf '\342\200\213')" "$(printf '\342\201\240 ')" \
	"$(printf '\302\240')" "$(printf '\343\200\200')"; do
	refused 2 "criterion text is empty (it has no visible character)" \
		gate add n1 --stage 1 "$t"
	refused 2 "reason is empty (it has no visible character)" \
		stage advance n1 --force --reason "$t"
done
run gate add n1 --stage 1 "$(printf '\342\200\213ok')"
expect_rc 0

# ---- empty environment variables ----

begin "AIPROJ_ACTOR set but empty or blank: exit 2, not the login name"
for v in '' ' '; do
	AIPROJ_ACTOR=$v
	refused 2 "AIPROJ_ACTOR is empty: set it to a person's name or unset it" project create x
done
AIPROJ_ACTOR=tester
run --actor someone project create x
expect_rc 0
run project delete x --yes

begin "AIPROJ_NOW set but empty: exit 2"
AIPROJ_NOW=
refused 2 "AIPROJ_NOW '' is not a time stamp like 2026-01-02T03:04:05.678Z" project create x
AIPROJ_NOW=2026-05-06T07:08:09.010Z

begin "AIPROJ_BUSY_TIMEOUT: whole milliseconds from 0 to 3600000, else exit 2"
export AIPROJ_BUSY_TIMEOUT
for v in '' abc -1 +5 1e3 0x10 1.5 ' 5' 3600001 99999999999999999999; do
	AIPROJ_BUSY_TIMEOUT=$v
	refused 2 "invalid AIPROJ_BUSY_TIMEOUT '$v': expected a whole number from 0 to 3600000 (digits only)" project create x
done
for v in 0 3600000 250; do
	AIPROJ_BUSY_TIMEOUT=$v
	run project list
	expect_rc 0
done
unset AIPROJ_BUSY_TIMEOUT

# ---- lists of projects ----

begin "export n1 n1: the project once, and the export imports"
run export n1 n1 -o "$T_DIR/twice.yaml"
expect_rc 0
run --db "$(new_store twice)" import "$T_DIR/twice.yaml"
expect_rc 0
expect_out "Imported $T_DIR/twice.yaml: 1 created, 0 replaced, 0 unchanged"
run --format json export n2 n1 n2 n1
expect_rc 0
jq_out '[.projects[].name] | join(",")' "n2,n1"

begin "report roles n1 n1: the project once (the report sorts by name)"
run --format json report roles n2 n1 n1 n2
expect_rc 0
jq_out '[.projects[].project] | join(",")' "n1,n2"

# ---- numbers ----

ID_MSG="expected a whole number from 1 to 9007199254740991 (digits only)"
DEC_MSG="expected a decimal number like 12, -0.5 or 2.5e-3"
RANGE_MSG="out of range (0, or from 1e-15 to 1e15 either side of it)"

begin "criterion ids: digits only, from 1 to 2^53-1"
for v in 0 -1 +1 0x10 1e3 1.0 ' 1' '1 ' '' 9007199254740992 99999999999999999999; do
	refused 2 "invalid criterion id '$v': $ID_MSG" gate done n1 "$v"
	refused 2 "invalid criterion id '$v': $ID_MSG" gate reopen n1 "$v"
done
run gate done n1 01
expect_rc 0
expect_out "Criterion 1 of feasibility on 'n1' is now done"
run gate reopen n1 1
expect_rc 0

begin "costs: a decimal, not negative, at most 1e15"
for v in nan inf +5 .5 5. 0x10 1,000 ' 5' 5e 1e+ 1e3.5; do
	refused 2 "invalid cost '$v': $DEC_MSG" decide n1 make --cost "$v" --reason r
done
for v in 1e16 1000000000000001 1e-16 1e-400; do
	refused 2 "invalid cost '$v': $RANGE_MSG" decide n1 make --cost "$v" --reason r
done
refused 2 "invalid cost '-5': it cannot be negative" decide n1 make --cost -5 --reason r

begin "KPI targets: the same decimals"
for v in nan inf 0x1 1e; do
	refused 2 "invalid KPI target '>= $v': use 'OP NUMBER' with OP one of >= > <= < ==" kpi add n1 k --target ">= $v"
done
for v in +1 .5 5.; do
	refused 2 "invalid KPI target number '$v': $DEC_MSG" kpi add n1 k --target ">= $v"
done
refused 2 "invalid KPI target number '1e16': $RANGE_MSG" kpi add n1 k --target '< 1e16'
run kpi add n1 k --target '< 1e15'
expect_rc 0

begin "KPI readings: the same decimals, and the limits themselves are fine"
for v in nan inf +1 .5 5. 0x10 1e3x ' 1' -; do
	refused 2 "invalid KPI value '$v': $DEC_MSG" kpi record n1 auc "$v"
done
for v in 1e16 -1e16 1e-16 -1e-400; do
	refused 2 "invalid KPI value '$v': $RANGE_MSG" kpi record n1 auc "$v"
done
for v in 1e15 -1e15 1e-15 0 -0.5 2.5e-3 2.5E+3; do
	run kpi record n1 auc "$v"
	expect_rc 0
done

# ---- lifecycle files that make a name ambiguous ----

# lc_file NAME: a lifecycle file of one role (owner) and a first stage
# (idea), the rest of it from standard input
lc_file() {
	{
		printf 'aiproj-lifecycle: 1\nroles:\n  - slug: owner\n'
		printf '    name: Owner\nstages:\n  - slug: idea\n    name: Idea\n'
		cat
	} >"$T_DIR/$1.yaml"
}

# lc_refused FILE MESSAGE...: init --lifecycle FILE is exit 6 with exactly
# these problems, the store unchanged
lc_refused() {
	_f=$T_DIR/$1.yaml
	shift
	_want=""
	for _m in "$@"; do
		_want="$_want${_want:+
}$_f:$_m"
	done
	refused 6 "$_want" init --lifecycle "$_f"
}

begin "lifecycle: a stage name that is a number would shadow stage numbers"
lc_file num <<'YAML'
  - slug: build
    name: "1"
  - slug: run
    name: "007"
YAML
lc_refused num "9:11: stage name is a number, which would shadow stage numbers '1'" \
	"11:11: stage name is a number, which would shadow stage numbers '007'"

begin "lifecycle: a stage name equal to another stage's slug, either way round, in any case"
lc_file slug <<'YAML'
  - slug: build
    name: IDEA-X
  - slug: idea-x
    name: Later
  - slug: run
    name: Build
  - slug: ship
    name: idea
YAML
lc_refused slug "10:11: stage slug equal to the name of another stage 'idea-x'" \
	"13:11: stage name equal to the slug of another stage 'Build'" \
	"15:11: duplicate stage name 'idea'"

begin "lifecycle: stage and role names with a space at an end or a control character"
printf 'aiproj-lifecycle: 1\nroles:\n  - slug: owner\n    name: "Owner "\nstages:\n  - slug: idea\n    name: " Idea"\n  - slug: run\n    name: "R\\tun"\n' >"$T_DIR/space.yaml"
lc_refused space "4:11: role name starts or ends with a space 'Owner '" \
	"7:11: stage name starts or ends with a space ' Idea'" \
	"9:11: stage name holds a control character"

begin "lifecycle: role names alike in any case, or equal to another role's slug"
cat >"$T_DIR/roles.yaml" <<'YAML'
aiproj-lifecycle: 1
roles:
  - slug: owner
    name: Owner
  - slug: boss
    name: OWNER
  - slug: builder
    name: Boss
  - slug: "7"
    name: Seven
stages:
  - slug: idea
    name: Idea
YAML
lc_refused roles "6:11: duplicate role name (in any case) 'OWNER'" \
	"8:11: role name equal to the slug of another role 'Boss'" \
	"9:11: invalid role slug (use a-z 0-9 -, not only digits) '7'"

begin "lifecycle: criteria alike in a stage, a blank criterion, components alike in any case"
lc_file crit <<'YAML'
    criteria:
      - Problem written down
      - problem written down
      - "   "
  - slug: run
    name: Run
    criteria:
      - Problem written down
components:
  - name: Model
    owner: owner
  - name: model
    owner: owner
YAML
lc_refused crit "10:9: duplicate criterion in the stage 'problem written down'" \
	"11:9: expected a criterion text (1-4096 bytes, not only spaces)" \
	"19:11: duplicate component 'model'"

finish
