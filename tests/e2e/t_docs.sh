# Docs that cannot rot: the man page lints clean and covers every command,
# option and format the binary knows; every command's --help teaches (usage,
# summary, a runnable example); docs/json.md's examples re-run and match.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
man="$root/docs/aiproj.1"

all_commands >"$T_DIR/commands"
rendered=$(mandoc -Tutf8 "$man" 2>/dev/null | col -bx)

begin "the binary lists its commands (the list the checks below use)"
[ "$(wc -l <"$T_DIR/commands")" -ge 30 ] ||
	_fail "too few commands: $(cat "$T_DIR/commands")"
grep -qx "report lifecycle" "$T_DIR/commands" || _fail "no 'report lifecycle'"
grep -q "__complete" "$T_DIR/commands" && _fail "the hidden command is listed"

begin "man page: mandoc -Tlint -W warning is clean"
runsh "mandoc -Tlint -W warning '$man'"
expect_rc 0
expect_out ""
expect_err ""

begin "man page: the sections a man page needs"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "GLOBAL OPTIONS" "SHELL COMPLETION" \
	ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	grep -qx ".Sh $s" "$man" || _fail "no section $s"
done

begin "man page: every command the binary knows has an entry"
while read -r w; do
	grep -Eq "^\.(It )?Nm Cm $w( |$)" "$man" ||
		_fail "no entry for '$w' in docs/aiproj.1"
	case $rendered in *"aiproj $w"*) ;; *) _fail "'aiproj $w' not in the rendered page" ;; esac
done <"$T_DIR/commands"

begin "man page: every command it documents exists"
grep -E '^\.(It )?Nm Cm ' "$man" | sed -E 's/^\.(It )?Nm Cm //' |
	awk '{ w = $1; if ($2 ~ /^[a-z]+$/ && $2 != "Ar") w = w " " $2; print w }' |
	sort -u | while read -r w; do
	grep -qx "$w" "$T_DIR/commands" || echo "$w"
done >"$T_DIR/stale"
[ -s "$T_DIR/stale" ] && _fail "documented but unknown: $(cat "$T_DIR/stale")"

begin "man page: every option of every command is described"
while read -r w; do
	# shellcheck disable=SC2086
	"$AIPROJ" __complete options $w
done <"$T_DIR/commands" | sort -u >"$T_DIR/options"
[ "$(wc -l <"$T_DIR/options")" -ge 25 ] || _fail "too few options"
while read -r o; do
	n=${o#--}
	esc=$(printf '%s' "$n" | sed 's/-/\\\\-/g')
	grep -Eq "Fl \\\\-$esc( |$)" "$man" || _fail "option $o not in docs/aiproj.1"
done <"$T_DIR/options"

begin "man page: every output format is named"
for f in $("$AIPROJ" __complete formats report lifecycle) \
	$("$AIPROJ" __complete formats stage check) csv markdown; do
	grep -Eq "Cm $f( |$)" "$man" || _fail "format $f not in docs/aiproj.1"
done

begin "man page: every exit status and environment variable"
for code in 0 1 2 3 4 5 6 7 8 9; do
	sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$man" | grep -qx ".It $code" ||
		_fail "exit status $code not described"
done
for v in AIPROJ_DB AIPROJ_ACTOR AIPROJ_BUSY_TIMEOUT XDG_DATA_HOME NO_COLOR \
	AIPROJ_HOOKS AIPROJ_HOOK_TIMEOUT XDG_CONFIG_HOME; do
	sed -n '/^\.Sh ENVIRONMENT/,/^\.Sh /p' "$man" | grep -qx ".It Ev $v" ||
		_fail "$v not in ENVIRONMENT"
done

begin "every command's --help: usage, a one-line summary, an example"
while read -r w; do
	# shellcheck disable=SC2086
	run $w --help
	expect_rc 0
	expect_err ""
	first=$(printf '%s\n' "$OUT" | sed -n 1p)
	case $first in "usage: aiproj $w"*) ;; *) _fail "'$w --help' starts: $first" ;; esac
	# (the usage may wrap: the summary is the paragraph after it)
	summary=$(printf '%s\n' "$OUT" | awk 'NF == 0 { b++; next } b == 1 { print; exit }')
	[ -n "$summary" ] || _fail "'$w --help' has no summary"
	ex=$(printf '%s\n' "$OUT" | sed -n '/^example:$/{n;p;}')
	case $ex in "  aiproj "*) ;; *) _fail "'$w --help' has no example" ;; esac
	# the example runs this very command (global options may come first)
	words=$(printf '%s\n' "$ex" | sed -E "s/^  aiproj //; s/(--(actor|db|format) ('[^']*'|[^ ]+) |-q )//g")
	case "$words " in "$w "*) ;; *) _fail "'$w' example runs another command: $ex" ;; esac
	# shellcheck disable=SC2086
	help=$("$AIPROJ" help $w)
	[ "$help" = "$OUT" ] || _fail "'aiproj help $w' differs from '$w --help'"
done <"$T_DIR/commands"

begin "every --help example is a valid command line (never a usage error)"
mkdir -p "$T_DIR/ex"
(
	cd "$T_DIR/ex" || exit 1
	# shellcheck disable=SC2030 # the examples get a store of their own
	export AIPROJ_DB="$T_DIR/ex/ex.db"
	"$AIPROJ" -q project create churn-model
	"$AIPROJ" -q kpi add churn-model auc --target '>= 0.8'
	"$AIPROJ" -q export -o portfolio.yaml
)
while read -r w; do
	# (member: a PostgreSQL store's only, and these stores are files)
	case $w in member*) continue ;; esac
	# shellcheck disable=SC2086
	ex=$("$AIPROJ" help $w | sed -n '/^example:$/{n;s/^  aiproj //;p;}')
	# each in a copy of the fixture store, so no example spoils the next
	cp "$T_DIR/ex/ex.db" "$T_DIR/ex/run.db"
	T_CMD="aiproj $ex"
	( cd "$T_DIR/ex" && AIPROJ_DB="$T_DIR/ex/run.db" EX="$ex" \
		sh -c 'eval "set -- $EX"; exec "$AIPROJ" "$@"' ) \
		>"$T_DIR/out" 2>"$T_DIR/err" </dev/null
	RC=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
	[ "$RC" = 2 ] && _fail "the example of '$w' is a usage error"
	case $ERR in *Sanitizer*|*"runtime error"*) _fail "sanitizer report" ;; esac
done <"$T_DIR/commands"

begin "typos get a suggestion: commands, verbs"
run stgae list
expect_rc 2
expect_out ""
expect_err_has "unknown command 'stgae'; did you mean 'stage'?"
run stage advnce x
expect_rc 2
expect_err "aiproj: error: unknown subcommand 'advnce' for 'stage'; did you mean 'advance'?"
run report lifecylce x
expect_rc 2
expect_err "aiproj: error: unknown subcommand 'lifecylce' for 'report'; did you mean 'lifecycle'?"

begin "the hidden completion command is never suggested"
# shellcheck disable=SC3044 # `complete` is an aiproj word here
run complete
expect_rc 2
expect_out ""
expect_err_lacks() { case $ERR in *"$1"*) _fail "stderr has: $1" ;; esac; }
expect_err_lacks "__complete"

# docs/json.md: the setup block, then each "<!-- example: aiproj ARGS -->"
# with the JSON block under it, run in order in one shell
begin "docs/json.md: every example re-runs and prints what the page shows"
mkdir -p "$T_DIR/json/bin" "$T_DIR/json/tmp"
ln -s "$AIPROJ" "$T_DIR/json/bin/aiproj"
awk -v d="$T_DIR/json" '
/^<!-- setup -->/ { mode = "setup"; next }
/^<!-- example: / { sub(/^<!-- example: /, ""); sub(/ -->$/, "")
	n++; print > (d "/cmd." n); mode = "ex"; next }
/^```/ && mode != "" && !inblock { inblock = 1; next }
/^```/ && inblock { inblock = 0; mode = ""; next }
inblock && mode == "setup" { print > (d "/setup.sh") }
inblock && mode == "ex" { print > (d "/want." n) }
' "$root/docs/json.md"
n=$(ls "$T_DIR/json" | grep -c '^cmd\.')
[ "$n" -ge 40 ] || _fail "only $n examples found in docs/json.md"
{
	cat "$T_DIR/json/setup.sh"
	i=1
	while [ "$i" -le "$n" ]; do
		printf '%s >"%s/got.%s" 2>"%s/err.%s"\n' "$(cat "$T_DIR/json/cmd.$i")" \
			"$T_DIR/json" "$i" "$T_DIR/json" "$i"
		i=$((i + 1))
	done
} >"$T_DIR/json/run.sh"
runsh "PATH='$T_DIR/json/bin':\$PATH TMPDIR='$T_DIR/json/tmp' sh '$T_DIR/json/run.sh'"
i=1
while [ "$i" -le "$n" ]; do
	if ! cmp -s "$T_DIR/json/want.$i" "$T_DIR/json/got.$i"; then
		_fail "example $i differs: $(cat "$T_DIR/json/cmd.$i")" \
			"$(diff "$T_DIR/json/want.$i" "$T_DIR/json/got.$i" | head -20)"
	fi
	[ -s "$T_DIR/json/err.$i" ] &&
		_fail "example $i wrote to stderr: $(cat "$T_DIR/json/err.$i")"
	i=$((i + 1))
done

# docs/ci.md: each ```sh block under "<!-- ci: recipe -->", as written there,
# run with `sh -e` against three fixture stores: a store without the
# project (must fail), the project with its gate and KPIs unmet (must fail),
# and the project at productization with every condition met (must pass).
# Each run gets a fresh copy of its fixture (a recipe may move the project).
begin "docs/ci.md: every recipe fails on a missing project and an unmet gate, passes on a met one"
mkdir -p "$T_DIR/ci/bin"
ln -s "$AIPROJ" "$T_DIR/ci/bin/aiproj"
awk -v d="$T_DIR/ci" '
/^<!-- ci: recipe -->/ { want = 1; next }
/^```sh$/ && want { n++; inblock = 1; want = 0; next }
/^```/ && inblock { inblock = 0; next }
inblock { print > (d "/recipe." n) }
' "$root/docs/ci.md"
n=$(ls "$T_DIR/ci" | grep -c '^recipe\.')
[ "$n" -ge 5 ] || _fail "only $n recipes found in docs/ci.md"
(
	q() { "$AIPROJ" -q "$@" || echo "fixture: aiproj $* failed" >&2; }
	# shellcheck disable=SC2031 # a subshell of its own, on purpose
	export AIPROJ_DB="$T_DIR/ci/missing.db"
	q project create other-model
	export AIPROJ_DB="$T_DIR/ci/unmet.db"
	q project create churn-model
	q kpi add churn-model auc --target '>= 0.8'
	export AIPROJ_DB="$T_DIR/ci/met.db"
	q project create churn-model
	for s in 1 2 3; do q stage advance churn-model --force --reason "pilot $s"; done
	q role assign churn-model data-engineer 'Dee Ng'
	q role assign churn-model ai-engineer 'Bo Chen'
	q role assign churn-model devops 'Ops Team'
	for id in $("$AIPROJ" --format json gate show churn-model |
		jq -r '.criteria[] | select(.kind == "manual") | .id'); do
		q gate done churn-model "$id"
	done
	q --actor 'Dee Ng' gate approve churn-model
	q --actor 'Bo Chen' gate approve churn-model --as ai-engineer
	q kpi add churn-model auc --target '>= 0.8'
	q kpi record churn-model auc 0.91
)
i=1
while [ "$i" -le "$n" ]; do
	for fx in missing unmet met; do
		cp "$T_DIR/ci/$fx.db" "$T_DIR/ci/run.db"
		auc=0.7
		[ "$fx" = met ] && auc=0.93
		T_CMD="docs/ci.md recipe $i on the $fx fixture: $(cat "$T_DIR/ci/recipe.$i")"
		(cd "$T_DIR/ci" && env -u AIPROJ_NOW PATH="$T_DIR/ci/bin:$PATH" \
			AIPROJ_DB="$T_DIR/ci/run.db" PROJECT=churn-model AUC=$auc \
			AIPROJ_BUSY_TIMEOUT=200 sh -e "$T_DIR/ci/recipe.$i") \
			>"$T_DIR/out" 2>"$T_DIR/err" </dev/null
		RC=$?
		case $fx in
		met) [ "$RC" = 0 ] || _fail "recipe $i fails although every condition is met" ;;
		*) [ "$RC" != 0 ] || _fail "recipe $i passes on the $fx fixture" ;;
		esac
	done
	i=$((i + 1))
done

# jq alone decides a pipe's status: -s makes empty input fail too
begin "docs/ci.md: the jq recipe fails closed in a shell without pipefail"
cp "$T_DIR/ci/missing.db" "$T_DIR/ci/run.db"
runsh "AIPROJ_DB='$T_DIR/ci/run.db' sh -e -c '\"\$AIPROJ\" --format json stage check churn-model --kpis | jq -e -s \".[0].holds == true\"'"
expect_rc 1
expect_out "false"

# ---- docs name only what the binary has ----
# docscan.py AIPROJ ROOT: every `aiproj WORD [WORD]` in the code of README.md,
# docs/*.md and docs/aiproj.1 (fenced blocks, inline code, literal displays,
# .Nm macros) is a command `aiproj help WORD [WORD]` knows; each option on
# such a command line is one of that command's (or a global one); and every
# --option anywhere in that code is one aiproj has (or another tool's, listed)
cat >"$T_DIR/docscan.py" <<'EOF_SCAN'
import os, re, subprocess, sys
aiproj, root = sys.argv[1:3]
def sh(*a):
    r = subprocess.run([aiproj] + list(a), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return r.returncode, r.stdout
groups = {}
for g in sh("__complete", "commands")[1].split():
    groups[g] = sh("__complete", "verbs", g)[1].split()
def opts(words):
    rc, out = sh("__complete", "options", *words)
    rc2, hl = sh("help", *words)
    return set(out.split()), hl
glob_long = set(sh("__complete", "options", "init")[1].split()) & set(sh("__complete", "options", "kpi", "list")[1].split())
_, glob_help = sh("--help")
all_long = set()
for g, vs in groups.items():
    for v in (vs or [None]):
        all_long |= opts([g] + ([v] if v else []))[0]
GLOBAL_TAKES = {"--db", "--format", "--actor"}
problems = []
# code in the docs: fenced blocks and inline spans of the Markdown files,
# literal displays and .Nm/.Fl macros of the man page
texts = []
for f in ["README.md"] + sorted("docs/" + x for x in os.listdir(os.path.join(root, "docs")) if x.endswith(".md")):
    t = open(os.path.join(root, f)).read()
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", t, re.S | re.M)
    rest = re.sub(r"^```[a-z]*\n(.*?)^```", "", t, flags=re.S | re.M)
    spans = re.findall(r"`([^`\n]+)`", rest)
    for b in blocks:
        for line in b.replace("\\\n", " ").split("\n"):
            texts.append((f, line))
    for s in spans:
        texts.append((f, s))
man = open(os.path.join(root, "docs/aiproj.1")).read()
for b in re.findall(r"^\.Bd -literal[^\n]*\n(.*?)^\.Ed", man, re.S | re.M):
    for line in b.replace("\\e\n", " ").split("\n"):
        texts.append(("docs/aiproj.1", line.replace("\\-", "-").replace("\\e", "\\")))
for line in man.split("\n"):
    m = re.match(r"^\.(?:It )?Nm (?:Cm )?([a-z]+(?: [a-z]+)?)(?: |$)", line)
    if m and m.group(1) != "aiproj":
        texts.append(("docs/aiproj.1", "aiproj " + m.group(1)))
seen = set()
for f, s in texts:
    for m in re.finditer(r"(?:^|[\s|;&(`$])aiproj((?:\s+\S+)*)", s):
        toks = m.group(1).split()
        # global options first
        i = 0
        while i < len(toks) and toks[i].startswith("-"):
            o = toks[i].split("=")[0]
            if o not in glob_long and o not in ("-q", "-h"):
                if o in ("--help", "--version"): pass
                else: problems.append("%s: unknown global option %s in: aiproj%s" % (f, o, m.group(1)))
            i += 2 if (o in GLOBAL_TAKES and "=" not in toks[i]) else 1
        if i >= len(toks) or not re.fullmatch(r"[a-z]+", toks[i]):
            continue
        w = [toks[i]]
        if w[0] not in groups:
            problems.append("%s: unknown command '%s' in: aiproj%s" % (f, w[0], m.group(1)))
            continue
        if groups[w[0]]:
            if i + 1 < len(toks) and re.fullmatch(r"[a-z]+", toks[i + 1]):
                if toks[i + 1] not in groups[w[0]]:
                    problems.append("%s: unknown command '%s %s' in: aiproj%s" % (f, w[0], toks[i + 1], m.group(1)))
                    continue
                w.append(toks[i + 1])
            else:
                continue  # a group named alone ("the stage commands")
        key = tuple(w)
        if key not in seen:
            seen.add(key)
            rc, _ = sh("help", *w)
            if rc != 0:
                problems.append("%s: 'aiproj help %s' fails" % (f, " ".join(w)))
        longs, helptext = opts(w)
        for t in toks[i + len(w):]:
            if t in ("|", ";", "&&", "||", ">", ">>", "#"):
                break
            if re.fullmatch(r"--[a-z][a-z-]*(=.*)?", t):
                o = t.split("=")[0]
                if o not in longs:
                    problems.append("%s: 'aiproj %s' has no option %s" % (f, " ".join(w), o))
            elif re.fullmatch(r"-[a-zA-Z]", t):
                if not re.search(r"(^|[\s\[,])%s\b" % re.escape(t), helptext + glob_help):
                    problems.append("%s: 'aiproj %s' has no option %s" % (f, " ".join(w), t))
# every --option anywhere in the code of the docs is one aiproj knows
# (other tools' options named in the docs are listed here)
others = {"--noprofile", "--norc", "--no-owner", "--no-privileges", "--set", "--dbname", "--username", "--host", "--port", "--prefix"}
for f, s in texts:
    for o in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", s):
        if o not in all_long and o not in others:
            problems.append("%s: unknown option %s in: %s" % (f, o, s.strip()))
print("\n".join(sorted(set(problems))))
print("checked %d command names" % len(seen), file=sys.stderr)
EOF_SCAN

begin "README.md and docs/ name only commands and options the binary has"
runsh "/usr/bin/python3 '$T_DIR/docscan.py' '$AIPROJ' '$root'"
expect_rc 0
expect_out ""
expect_err_has "checked "

begin "the scan finds a command or an option the binary does not have"
mkdir -p "$T_DIR/fake/docs"
printf '# x\n\n`aiproj stage frobnicate x`, `aiproj kpi list p --target 1`, `--no-such`\n' >"$T_DIR/fake/README.md"
printf '.Dd x\n' >"$T_DIR/fake/docs/aiproj.1"
runsh "/usr/bin/python3 '$T_DIR/docscan.py' '$AIPROJ' '$T_DIR/fake'"
expect_out "README.md: 'aiproj kpi list' has no option --target
README.md: unknown command 'stage frobnicate' in: aiproj stage frobnicate x
README.md: unknown option --no-such in: --no-such"

begin "README.md and docs/ promise nothing: no 'not built', 'planned', 'not yet'"
hits=$(grep -rniE 'not built|planned|not yet' "$root/README.md" "$root/docs" | sed "s|$root/||")
[ -z "$hits" ] || _fail "the docs speak of what is not there" "$hits"

finish
