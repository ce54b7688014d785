# A new user's first hour: make install into a temp prefix, then the
# installed binary, `man aiproj`, tab completion in bash (and zsh and fish
# when they are installed), the hidden __complete listing behind it, and the
# docs/ci.md workflows run step by step against fixture portfolios.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
# a make of our own, not a job of the make that may be running the tests
unset MAKEFLAGS MFLAGS MAKELEVEL DESTDIR MANPATH
export NO_COLOR=1
built=$AIPROJ
prefix="$T_DIR/prefix"
bashcomp=/usr/share/bash-completion/bash_completion
export AIPROJ_NOW=2026-03-01T09:00:00.000Z

INSTALLED="./usr/bin/aiproj
./usr/share/bash-completion/completions/aiproj
./usr/share/fish/vendor_completions.d/aiproj.fish
./usr/share/man/man1/aiproj.1
./usr/share/zsh/site-functions/_aiproj"

begin "make install DESTDIR=D PREFIX=/usr: binary, man page, three completions"
runsh "make -C '$root' --no-print-directory install DESTDIR='$T_DIR/dest' PREFIX=/usr"
expect_rc 0
got=$(cd "$T_DIR/dest" && find . -type f | sort)
[ "$got" = "$INSTALLED" ] || _fail "installed files differ" "got: $got"
[ "$(stat -c %a "$T_DIR/dest/usr/bin/aiproj")" = 755 ] || _fail "binary is not 0755"
for f in share/man/man1/aiproj.1 share/bash-completion/completions/aiproj \
	share/zsh/site-functions/_aiproj share/fish/vendor_completions.d/aiproj.fish; do
	[ "$(stat -c %a "$T_DIR/dest/usr/$f")" = 644 ] || _fail "$f is not 0644"
done
cmp -s "$T_DIR/dest/usr/share/man/man1/aiproj.1" "$root/docs/aiproj.1" ||
	_fail "installed man page differs from docs/aiproj.1"
cmp -s "$T_DIR/dest/usr/share/bash-completion/completions/aiproj" \
	"$root/completions/aiproj.bash" || _fail "installed bash completion differs"

begin "make uninstall DESTDIR=D PREFIX=/usr removes every file it installed"
runsh "make -C '$root' --no-print-directory uninstall DESTDIR='$T_DIR/dest' PREFIX=/usr"
expect_rc 0
left=$(cd "$T_DIR/dest" && find . -type f)
[ -z "$left" ] || _fail "left behind: $left"

begin "make install PREFIX=temp (no DESTDIR)"
runsh "make -C '$root' --no-print-directory install PREFIX='$prefix'"
expect_rc 0
[ -x "$prefix/bin/aiproj" ] || _fail "no $prefix/bin/aiproj"
PATH="$prefix/bin:$PATH"
export PATH
AIPROJ="$prefix/bin/aiproj" # the installed binary from here on

begin "the installed binary: aiproj --version, aiproj --help"
[ "$(command -v aiproj)" = "$prefix/bin/aiproj" ] || _fail "aiproj on PATH is $(command -v aiproj)"
run --version
expect_rc 0
expect_err ""
case $OUT in "aiproj "[0-9]*) ;; *) _fail "version: $OUT" ;; esac
run --help
expect_rc 0
expect_err ""
expect_out_has "usage: aiproj [--db PATH]"
expect_out_has "report lifecycle"
expect_out_has "See aiproj(1)."
expect_out_lacks "__complete"

begin "man aiproj: man-db finds the page beside the binary on PATH"
if command -v man >/dev/null 2>&1; then
	runsh "MANPAGER=cat MANWIDTH=80 man aiproj"
	expect_rc 0
	expect_err "" # groff says nothing: no line too long to break
	expect_out_has "AIPROJ(1)"
	expect_out_has "SHELL COMPLETION"
	expect_out_has "report lifecycle project"
	expect_out_has "EXIT STATUS"
	runsh "MANPAGER=cat man -l '$prefix/share/man/man1/aiproj.1'"
	expect_rc 0
	expect_out_has " track AI projects through their lifecycle"
	expect_err ""
else
	_fail "man is not installed (man-db)"
fi

begin "the installed page renders with mandoc without a warning"
runsh "mandoc -Tlint -W warning '$prefix/share/man/man1/aiproj.1'"
expect_rc 0
expect_out ""
expect_err ""
runsh "mandoc -Tutf8 '$prefix/share/man/man1/aiproj.1' | col -bx"
expect_rc 0
expect_out_has "aiproj report lifecycle"

# ---- a store for completion: projects, KPIs, criteria ----
q() { "$built" -q "$@" </dev/null || _fail "setup failed: aiproj $*"; }
q project create alpha
q project create beta
q project create gone
q project close gone --reason 'dropped'
q kpi add alpha auc --target '>= 0.8'
q kpi add alpha latency --target '<= 200'
q person add 'Ana Lima' --email ana@example.com
q person add bo
AIPROJ_DB="$T_DIR/other.db" q project create omega

AIPROJ=$built # the listings under test are the build's (sanitized under e2e-asan)
begin "__complete: commands (hidden itself), verbs, options, formats"
run __complete commands
expect_rc 0
expect_err ""
expect_out "init
policy
admin
member
project
stage
gate
decide
note
log
events
kpi
release
role
person
component
report
verify
export
import
copy
hooks
help"
run __complete verbs report
expect_out "roles
people
status
gaps
lifecycle
timeline
page
flow"
run __complete verbs component
expect_out "add
list
remove
handover"
run __complete options component handover
expect_out "--to
--reason
--db
--format
--actor
--quiet
--help
--version
--no-color
--wide
--raw-csv
--hooks
--strict-hooks"
run __complete options component add
expect_out_has "--description
--version
--db"
run __complete options stage back
expect_out "--to
--reason
--breach
--expect
--db
--format
--actor
--quiet
--help
--version
--no-color
--wide
--raw-csv
--hooks
--strict-hooks"
run __complete formats report lifecycle
expect_out "text
json
yaml
mermaid
dot"
run __complete --describe verbs stage
expect_out_has "advance	move one stage forward"

begin "__complete: stages and roles of the store's lifecycle, projects"
run __complete stages
expect_rc 0
expect_out "feasibility
data-preparation
prototyping-testing
productization
deployment"
run __complete roles
expect_out "sponsor
data-analyst
data-engineer
data-scientist
ai-engineer
devops"
run __complete projects
expect_out "alpha
beta
gone"

begin "__complete next: the candidates for the word being typed"
run __complete next -- stage advance ''
expect_out "alpha
beta
gone"
run __complete next -- stage check alpha --at-least ''
expect_out_has "productization"
run __complete next -- stage back alpha --to=pro
expect_out_has "prototyping-testing"
run __complete next -- kpi record alpha ''
expect_out "auc
latency"
run __complete next -- decide alpha ''
expect_out "make
buy"
run __complete next -- --db "$T_DIR/other.db" project show ''
expect_out "omega"
run __complete next -- --db "$T_DIR/nosuch.db" project show --db="$T_DIR/other.db" ''
expect_out "omega"
run __complete next -- import ''
expect_out ":file"
run __complete next -- role assign alpha sponsor ''
expect_rc 0
expect_out "Ana Lima
bo"
run __complete --describe next -- person show ''
expect_out "Ana Lima	ana@example.com
bo"

begin "__complete: a wrong listing is a usage error (exit 2)"
snap
run __complete bogus
expect_rc 2
expect_out ""
expect_err "aiproj: error: unknown listing 'bogus': expected commands, verbs, options, formats, stages, roles, projects or next"
run __complete verbs
expect_rc 2
expect_err "aiproj: error: wrong arguments for '__complete verbs' (usage: verbs GROUP)"
run __complete options nosuch
expect_rc 2
expect_err "aiproj: error: unknown command 'nosuch'"
run __complete
expect_rc 2
expect_out ""
expect_err_has "missing argument"
expect_unchanged

begin "__complete never creates a store"
runsh "env -u AIPROJ_DB HOME='$T_DIR/newhome' '$AIPROJ' __complete next -- stage show ''"
expect_rc 0
expect_out ""
[ -e "$T_DIR/newhome" ] && _fail "completion created $T_DIR/newhome"
runsh "'$AIPROJ' __complete next -- --db '$T_DIR/nosuch.db' stage show ''"
expect_rc 0
expect_out ""
[ -e "$T_DIR/nosuch.db" ] && _fail "completion created nosuch.db"

AIPROJ="$prefix/bin/aiproj"

# ---- bash ----
# comp LINE: what TAB offers for LINE (split on blanks and "=", as bash does)
cat >"$T_DIR/comp.bash" <<EOF
if [ -f $bashcomp ]; then
	. $bashcomp
	XDG_DATA_DIRS=$prefix/share:/usr/share
	__load_completion aiproj || echo "bash-completion did not load it" >&2
else
	echo "no bash-completion" >&2
fi
line=\$1
read -ra COMP_WORDS <<<"\${line//=/ = }"
[[ \$line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1))
COMP_LINE=\$line
COMP_POINT=\${#line}
\$(complete -p aiproj | sed -E 's/^complete -F ([^ ]+) .*/\1/') aiproj
printf '%s\n' "\${COMPREPLY[@]}"
EOF
comp() { runsh "bash --norc --noprofile '$T_DIR/comp.bash' '$1'"; }

begin "bash: bash-completion loads the installed completion on first use"
runsh "bash --norc --noprofile -c '. $bashcomp; XDG_DATA_DIRS=$prefix/share:/usr/share; __load_completion aiproj && complete -p aiproj'"
expect_rc 0
expect_out "complete -F _aiproj aiproj"

begin "bash: commands and verbs"
comp "aiproj "
expect_rc 0
expect_err ""
expect_out "$("$AIPROJ" __complete commands)"
comp "aiproj st"
expect_out "stage"
comp "aiproj stage a"
expect_out "advance"
comp "aiproj report "
expect_out "roles
people
status
gaps
lifecycle
timeline
page
flow"
comp "aiproj help rep"
expect_out "report"

begin "bash: options of the command, and global ones"
comp "aiproj stage advance alpha --e"
expect_out "--expect"
comp "aiproj stage check alpha --"
expect_out_has "--at-least"
expect_out_has "--kpis"
expect_out_has "--format"
expect_out_lacks "--to"
comp "aiproj --f"
expect_out "--format"

begin "bash: stage names, after a space or an '='"
comp "aiproj stage check alpha --at-least "
expect_out "feasibility
data-preparation
prototyping-testing
productization
deployment"
comp "aiproj stage check alpha --at-least prod"
expect_out "productization"
comp "aiproj stage back alpha --to=proto"
expect_out "prototyping-testing"
comp "aiproj gate show alpha --stage d"
expect_out "data-preparation
deployment"

begin "bash: role names"
comp "aiproj role assign alpha "
expect_out "sponsor
data-analyst
data-engineer
data-scientist
ai-engineer
devops"
comp "aiproj component add alpha api --owner dev"
expect_out "devops"

begin "bash: person names from the store"
comp "aiproj person show "
expect_out "Ana Lima
bo"
comp "aiproj role assign alpha sponsor A"
expect_out "Ana Lima"

begin "bash: project names from the store (AIPROJ_DB, or --db on the line)"
comp "aiproj stage show "
expect_out "alpha
beta
gone"
comp "aiproj project show a"
expect_out "alpha"
comp "aiproj --db $T_DIR/other.db stage show "
expect_out "omega"
comp "aiproj report lifecycle b"
expect_out "beta"

begin "bash: formats, KPIs, make|buy, file names"
comp "aiproj report lifecycle alpha --format "
expect_out "text
json
yaml
mermaid
dot"
comp "aiproj kpi record alpha "
expect_out "auc
latency"
comp "aiproj decide alpha "
expect_out "make
buy"
touch "$T_DIR/portfolio.yaml"
comp "aiproj import $T_DIR/portf"
expect_out "$T_DIR/portfolio.yaml"

begin "bash: TAB in an interactive shell completes the line"
cat >"$T_DIR/typetab.py" <<'EOF'
import os, pty, select, sys, time
line, want, rc = sys.argv[1], sys.argv[2], sys.argv[3]
pid, fd = pty.fork()
if pid == 0:
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
def read_until(s, t=10.0):
    buf, end = b"", time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                buf += os.read(fd, 4096)
            except OSError:
                break
            if s.encode() in buf:
                return buf.decode(errors="replace")
    sys.stdout.write(buf.decode(errors="replace"))
    sys.exit("timed out waiting for: " + s)
os.write(fd, ("PS1='READY> '; bind 'set bell-style none'; . %s\n" % rc).encode())
read_until("READY> ")
os.write(fd, (line + "\t").encode())
read_until(want)
os.write(fd, b"\x15exit\n")
os.waitpid(pid, 0)
print("ok")
EOF
runsh "/usr/bin/python3 '$T_DIR/typetab.py' 'aiproj stage adv' 'aiproj stage advance ' '$prefix/share/bash-completion/completions/aiproj'"
expect_rc 0
expect_out_has "ok"
runsh "/usr/bin/python3 '$T_DIR/typetab.py' 'aiproj report lifecycle al' 'aiproj report lifecycle alpha ' '$prefix/share/bash-completion/completions/aiproj'"
expect_rc 0
expect_out_has "ok"

begin "zsh and fish: the installed completions load and complete (when installed)"
if command -v zsh >/dev/null 2>&1; then
	runsh "zsh -n '$prefix/share/zsh/site-functions/_aiproj'"
	expect_rc 0
	expect_err ""
fi
if command -v fish >/dev/null 2>&1; then
	runsh "fish -n '$prefix/share/fish/vendor_completions.d/aiproj.fish'"
	expect_rc 0
	runsh "fish -N -c \"source '$prefix/share/fish/vendor_completions.d/aiproj.fish'; complete -C'aiproj stage adv'\""
	expect_rc 0
	expect_out "advance	move one stage forward when the gate holds (--force --reason overrides)"
	runsh "fish -N -c \"source '$prefix/share/fish/vendor_completions.d/aiproj.fish'; complete -C'aiproj stage show '\""
	expect_out "alpha
beta
gone"
	runsh "fish -N -c \"source '$prefix/share/fish/vendor_completions.d/aiproj.fish'; complete -C'aiproj person show '\""
	expect_out_has "bo"
fi

# ---- docs/ci.md: the workflows, run step by step ----
# ci.py MD WHICH CHECKOUT LOG: runs the ```yaml block under "<!-- ci: WHICH -->"
# the way GitHub Actions or GitLab CI would (jobs in order, needs, if:
# always(), GITHUB_PATH/GITHUB_ENV, after_script), skipping `uses:` steps.
cat >"$T_DIR/ci.py" <<'EOF'
import os, re, subprocess, sys, yaml
md, which, checkout, log = sys.argv[1:5]
text = open(md).read()
m = re.search(r"<!-- ci: %s -->\n```yaml\n(.*?)\n```" % which, text, re.S)
if not m:
    sys.exit("no '<!-- ci: %s -->' workflow in %s" % (which, md))
doc = yaml.safe_load(m.group(1))
out = open(log, "w")
base = dict(os.environ)

def run(script, env, tag):
    r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                       cwd=checkout, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    with open(os.path.join(os.path.dirname(log), tag + ".out"), "wb") as f:
        f.write(r.stdout)
    out.write("step %s %d\n" % (tag, r.returncode))
    return r.returncode

def strs(d):
    return {k: str(v) for k, v in (d or {}).items()}

status = {}
if which == "github":
    ghpath = os.path.join(os.path.dirname(log), "github_path")
    ghenv = os.path.join(os.path.dirname(log), "github_env")
    for name, job in doc["jobs"].items():
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        if any(status.get(n) != "success" for n in needs):
            status[name] = "skipped"
            out.write("job %s skipped\n" % name)
            continue
        open(ghpath, "w").close()
        open(ghenv, "w").close()
        failed = False
        for i, step in enumerate(job["steps"]):
            if "uses" in step:
                continue
            cond = step.get("if")
            if cond not in (None, "always()"):
                sys.exit("unsupported if: %s" % cond)
            if failed and cond != "always()":
                continue
            env = dict(base)
            env.update(strs(doc.get("env")))
            env.update(strs(job.get("env")))
            env.update(strs(step.get("env")))
            for l in open(ghenv):
                if "=" in l:
                    k, v = l.rstrip("\n").split("=", 1)
                    env[k] = v
            extra = [l.strip() for l in open(ghpath) if l.strip()]
            env["PATH"] = ":".join(list(reversed(extra)) + [env["PATH"]])
            env["GITHUB_PATH"], env["GITHUB_ENV"] = ghpath, ghenv
            tag = "%s.%d" % (name, i)
            if run(step["run"], env, tag):
                failed = True
        status[name] = "failure" if failed else "success"
        out.write("job %s %s\n" % (name, status[name]))
else:
    reserved = {"stages", "variables", "default", "include", "workflow",
                "image", "services", "before_script", "after_script", "cache"}
    stages = doc.get("stages", ["build", "test", "deploy"])
    jobs = [(k, v) for k, v in doc.items()
            if k not in reserved and not k.startswith(".")]
    jobs.sort(key=lambda kv: stages.index(kv[1].get("stage", "test")))
    default = doc.get("default", {})
    for name, job in jobs:
        needs = job.get("needs")
        if needs is None:
            mine = stages.index(job.get("stage", "test"))
            needs = [n for n, j in jobs if stages.index(j.get("stage", "test")) < mine]
        if any(status.get(n) != "success" for n in needs):
            status[name] = "skipped"
            out.write("job %s skipped\n" % name)
            continue
        env = dict(base)
        env.update(strs(doc.get("variables")))
        env.update(strs(job.get("variables")))
        before = job.get("before_script", default.get("before_script", []))
        after = job.get("after_script", default.get("after_script", []))
        rc = run("\n".join(before + job["script"]), env, name + ".script")
        if after:
            run("\n".join(after), env, name + ".after")
        status[name] = "failure" if rc else "success"
        out.write("job %s %s\n" % (name, status[name]))
        art = job.get("artifacts", {})
        if art and (rc == 0 or art.get("when") == "always"):
            for p in art.get("paths", []):
                out.write("artifact %s %s\n" % (p, "ok" if os.path.exists(
                    os.path.join(checkout, p)) else "missing"))
EOF

# stubs: the package installs of the recipes are this machine's business
mkdir -p "$T_DIR/stubs"
printf '#!/bin/sh\n"$@"\n' >"$T_DIR/stubs/sudo"
printf '#!/bin/sh\necho "apt-get $*" >>"%s/apt.log"\n' "$T_DIR" >"$T_DIR/stubs/apt-get"
chmod +x "$T_DIR/stubs/sudo" "$T_DIR/stubs/apt-get"

# checkout NAME READY: a repository with vendor/aiproj, deploy.sh and a
# portfolio.yaml whose churn-model is ready for deployment (1) or not (0),
# or that has no churn-model at all (missing)
checkout() {
	_co="$T_DIR/$1"
	mkdir -p "$_co/vendor"
	ln -s "$root" "$_co/vendor/aiproj"
	printf '#!/bin/sh\necho "deploying $PROJECT"\ntouch deployed\n' >"$_co/deploy.sh"
	chmod +x "$_co/deploy.sh"
	_db="$T_DIR/$1.fixture.db"
	AIPROJ_DB=$_db q project create churn-model --description 'Predict churn'
	AIPROJ_DB=$_db q role assign churn-model sponsor 'Ana Lima'
	if [ "$2" = 1 ]; then
		for s in 1 2 3; do
			AIPROJ_DB=$_db q stage advance churn-model --force --reason "pilot $s"
		done
		AIPROJ_DB=$_db q role assign churn-model data-engineer 'Dee Ng'
		AIPROJ_DB=$_db q role assign churn-model devops 'Ops Team'
		AIPROJ_DB=$_db q role assign churn-model ai-engineer 'Bo Chen'
		for id in $(AIPROJ_DB=$_db "$built" --format json gate show churn-model |
			jq -r '.criteria[] | select(.kind == "manual") | .id'); do
			AIPROJ_DB=$_db q gate done churn-model "$id"
		done
		AIPROJ_DB=$_db q --actor 'Dee Ng' gate approve churn-model
		AIPROJ_DB=$_db q --actor 'Bo Chen' gate approve churn-model \
			--as ai-engineer
	fi
	# "missing": the portfolio does not hold the project the job gates on
	[ "$2" = missing ] && AIPROJ_DB=$_db q project rename churn-model other-model
	AIPROJ_DB=$_db q export -o "$_co/portfolio.yaml"
}

# ci WHICH CHECKOUT: run the workflow; the summary goes to CHECKOUT.summary
ci() {
	: >"$T_DIR/$2.summary"
	mkdir -p "$T_DIR/$2.logs"
	runsh "cd '$T_DIR/$2' && env -u AIPROJ_DB -u AIPROJ_NOW HOME='$T_DIR/$2.home' \
		PATH='$T_DIR/stubs':/usr/local/bin:/usr/bin:/bin \
		GITHUB_STEP_SUMMARY='$T_DIR/$2.summary' \
		/usr/bin/python3 '$T_DIR/ci.py' '$root/docs/ci.md' $1 '$T_DIR/$2' '$T_DIR/$2.logs/log'"
	LOG=$(cat "$T_DIR/$2.logs/log" 2>/dev/null)
}
log_has() { case $LOG in *"$1"*) ;; *) _fail "CI log lacks: $1" "$LOG" ;; esac; }
step_out() { cat "$T_DIR/$1.logs/$2.out" 2>/dev/null; }

begin "docs/ci.md, GitHub: not ready: ::error annotations, a summary, no deploy"
checkout gh-red 0
ci github gh-red
expect_rc 0
expect_err ""
log_has "step lifecycle.1 0" # install (make install PREFIX=~/.local)
log_has "step lifecycle.2 0" # import
log_has "step lifecycle.3 1" # the gate: exit 1
log_has "step lifecycle.4 0" # the summary runs anyway
log_has "job lifecycle failure"
log_has "job deploy skipped"
[ -e "$T_DIR/gh-red/deployed" ] && _fail "deployed although the gate failed"
[ -x "$T_DIR/gh-red.home/.local/bin/aiproj" ] || _fail "the install step installed nothing"
gate=$(step_out gh-red lifecycle.3)
case $gate in "::error title=aiproj stage check::churn-model: at-least productization does not hold: at feasibility (1), before productization (4)
::error title=aiproj stage check::churn-model: gate does not hold: gate of feasibility: "*) ;;
*) _fail "gate step output" "$gate" ;; esac
summary=$(cat "$T_DIR/gh-red.summary")
case $summary in "### churn-model"*) ;; *) _fail "summary does not start with the roles report" "$summary" ;; esac
case $summary in *'| Role | People | **1 feasibility** |'*) ;; *) _fail "summary lacks the roles table" "$summary" ;; esac
case $summary in *'```mermaid
%% aiproj report lifecycle churn-model: active, at feasibility, 0 moves (0 back)
flowchart LR'*'  class s1 current
```') ;; *) _fail "summary lacks the mermaid graph" "$summary" ;; esac
grep -q 'apt-get install -y -qq libsqlite3-dev libyaml-dev' "$T_DIR/apt.log" ||
	_fail "the install step did not ask for the build dependencies"

begin "docs/ci.md, GitHub: ready: the gate holds, ::notice annotations, deploy runs"
checkout gh-green 1
ci github gh-green
expect_rc 0
log_has "step lifecycle.3 0"
log_has "job lifecycle success"
log_has "job deploy success"
[ -e "$T_DIR/gh-green/deployed" ] || _fail "the deploy job did not run"
expect_gate=$(step_out gh-green lifecycle.3)
case $expect_gate in "::notice title=aiproj stage check::churn-model: at-least productization holds: at productization (4), at or past productization (4)
::notice title=aiproj stage check::churn-model: gate holds: gate of productization: "*) ;;
*) _fail "gate step output" "$expect_gate" ;; esac
case $(step_out gh-green deploy.1) in "deploying churn-model") ;; *) _fail "deploy output: $(step_out gh-green deploy.1)" ;; esac
grep -q '  s3 ==>|"×1 (1 forced)"| s4' "$T_DIR/gh-green.summary" ||
	_fail "summary graph lacks the forced moves" "$(cat "$T_DIR/gh-green.summary")"

begin "docs/ci.md, GitLab: not ready: the gate fails, artifacts kept, no deploy"
checkout gl-red 0
ci gitlab gl-red
expect_rc 0
expect_err ""
log_has "step lifecycle-gate.script 1"
log_has "step lifecycle-gate.after 0"
log_has "job lifecycle-gate failure"
log_has "artifact roles.md ok"
log_has "artifact lifecycle.dot ok"
log_has "job deploy skipped"
[ -e "$T_DIR/gl-red/deployed" ] && _fail "deployed although the gate failed"
case $(step_out gl-red lifecycle-gate.script) in
*"churn-model: 2 of 2 conditions do not hold"*"FAIL at-least productization"*) ;;
*) _fail "gate log" "$(step_out gl-red lifecycle-gate.script)" ;; esac
head -1 "$T_DIR/gl-red/lifecycle.dot" | grep -qx 'digraph "churn-model" {' ||
	_fail "lifecycle.dot is not the graph"
if command -v dot >/dev/null 2>&1; then
	dot -Tsvg "$T_DIR/gl-red/lifecycle.dot" >/dev/null 2>&1 || _fail "dot cannot render lifecycle.dot"
fi

begin "docs/ci.md, GitLab: ready: the gate holds and deploy runs"
checkout gl-green 1
ci gitlab gl-green
expect_rc 0
log_has "step lifecycle-gate.script 0"
log_has "job deploy success"
[ -e "$T_DIR/gl-green/deployed" ] || _fail "the deploy job did not run"

begin "docs/ci.md, GitHub: the project is not in the portfolio: the gate fails, no deploy"
checkout gh-missing missing
ci github gh-missing
expect_rc 0
log_has "step lifecycle.2 0"
log_has "step lifecycle.3 3"
log_has "job lifecycle failure"
log_has "job deploy skipped"
[ -e "$T_DIR/gh-missing/deployed" ] && _fail "deployed although the project does not exist"

begin "docs/ci.md, GitLab: the project is not in the portfolio: the gate fails, no deploy"
checkout gl-missing missing
ci gitlab gl-missing
expect_rc 0
log_has "step lifecycle-gate.script 3"
log_has "job lifecycle-gate failure"
log_has "job deploy skipped"
[ -e "$T_DIR/gl-missing/deployed" ] && _fail "deployed although the project does not exist"

finish
