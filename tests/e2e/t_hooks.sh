# Hooks: the folder and what would run, each event's payload (the ones
# docs/hooks.md shows, re-run), pre-hooks that refuse, post-hooks that warn
# or exit 9, the time limit (the hook's whole process group killed), import
# only with --hooks, and the docs' Slack recipes against a local listener.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
doc="$root/docs/hooks.md"
H="$T_DIR/hooks"
R="$T_DIR/rec"
mkdir -p "$H" "$R"
export AIPROJ_NOW=2026-03-02T09:30:00.000Z

# rec_hook EVENT...: a hook that records its payload as $R/EVENT.N (N = 1,
# 2, ...) and its environment as $R/EVENT.N.env
rec_hook() {
	for _e in "$@"; do
		cat >"$H/$_e" <<EOF
#!/bin/sh
n=1
while [ -e "$R/\$AIPROJ_EVENT.\$n" ]; do n=\$((n + 1)); done
printf '%s|%s|%s\n' "\$AIPROJ_EVENT" "\$AIPROJ_PROJECT" "\$AIPROJ_STORE" >"$R/\$AIPROJ_EVENT.\$n.env"
cat >"$R/\$AIPROJ_EVENT.\$n"
EOF
		chmod +x "$H/$_e"
	done
}

# hook EVENT 'shell lines': a hook of its own
hook() {
	printf '#!/bin/sh\n%s\n' "$2" >"$H/$1"
	chmod +x "$H/$1"
}

events="pre-move post-move pre-approve post-approve post-release post-kpi post-breach post-role post-close post-handover"

run init
expect_rc 0

begin "aiproj hooks: the folder missing, no hook runs"
run --hooks "$T_DIR/nowhere" hooks
expect_rc 0
expect_err ""
expect_out "Hooks folder: $T_DIR/nowhere (from --hooks; missing: no hook runs)
  pre-move      missing
  post-move     missing
  pre-approve   missing
  post-approve  missing
  post-release  missing
  post-kpi      missing
  post-breach   missing
  post-role     missing
  post-close    missing
  post-handover missing"

begin "aiproj hooks: the default folder is ~/.config/aiproj/hooks, else XDG_CONFIG_HOME's"
run hooks
expect_rc 0
expect_out_has "Hooks folder: $HOME/.config/aiproj/hooks (from HOME; missing: no hook runs)"
runsh "XDG_CONFIG_HOME='$T_DIR/xdg' '$AIPROJ' --format json hooks"
expect_rc 0
jq_out '.folder + " " + .from + " " + (.folder_exists | tostring)' "$T_DIR/xdg/aiproj/hooks XDG_CONFIG_HOME false"
runsh "AIPROJ_HOOKS='$H' XDG_CONFIG_HOME='$T_DIR/xdg' '$AIPROJ' --format json hooks"
jq_out '.folder + " " + .from' "$H AIPROJ_HOOKS"
runsh "AIPROJ_HOOKS= '$AIPROJ' hooks"
expect_rc 0
expect_out_has "No hooks folder (AIPROJ_HOOKS is empty): no hook runs"

begin "aiproj hooks: an empty folder"
run --hooks "$H" --format json hooks
expect_rc 0
jq_out '[.folder_exists, .timeout, (.hooks | length), ([.hooks[] | select(.state == "missing")] | length)] | @csv' "true,10,10,10"
jq_out '[.hooks[].event] | join(" ")' "$events"

begin "aiproj hooks: runs, not executable, not a regular file"
hook pre-move 'exit 0'
printf '#!/bin/sh\n' >"$H/post-move"
mkdir "$H/post-kpi"
ln -s pre-move "$H/post-role"
run --hooks "$H" hooks
expect_rc 0
expect_out "Hooks folder: $H (from --hooks)
  pre-move      runs
  post-move     not executable
  pre-approve   missing
  post-approve  missing
  post-release  missing
  post-kpi      not a regular file
  post-breach   missing
  post-role     runs
  post-close    missing
  post-handover missing"
run --hooks "$H" --format json hooks
jq_out '.hooks[1] | [.event, .path, .runs, .state] | @csv' "\"post-move\",\"$H/post-move\",false,\"not executable\""

begin "aiproj hooks needs no store, and AIPROJ_HOOK_TIMEOUT is checked"
runsh "AIPROJ_DB='$T_DIR/none/x.db' AIPROJ_HOOK_TIMEOUT=3 '$AIPROJ' --format json hooks"
expect_rc 0
jq_out .timeout 3
[ -e "$T_DIR/none" ] && _fail "a store folder was made"
for bad in 0 abc 3601 1.5; do
	runsh "AIPROJ_HOOK_TIMEOUT='$bad' '$AIPROJ' hooks"
	expect_rc 2
	expect_err_has "AIPROJ_HOOK_TIMEOUT"
done

begin "a file that is not executable, a folder: nothing runs"
rm -rf "${H:?}"/*
printf '#!/bin/sh\ntouch "%s/ran"\n' "$T_DIR" >"$H/post-move"
mkdir "$H/pre-move"
run project create nx
run --hooks "$H" stage advance nx --force --reason r
expect_rc 0
expect_err ""
[ -e "$T_DIR/ran" ] && _fail "a hook without the execute right ran"
rm -rf "${H:?}"/*

# ---- every event's payload: the session of docs/hooks.md, re-run ----
begin "docs/hooks.md: the session runs and fires every event"
rec_hook pre-move post-move pre-approve post-approve post-kpi post-breach post-role post-close
sed -n '/^<!-- hooks: scenario -->/,/^```$/p' "$doc" | sed '1,2d;$d' >"$T_DIR/scenario"
[ "$(wc -l <"$T_DIR/scenario")" -ge 10 ] || _fail "no scenario in docs/hooks.md"
mkdir -p "$T_DIR/bin"
ln -sf "$AIPROJ" "$T_DIR/bin/aiproj"
runsh "PATH='$T_DIR/bin':\$PATH AIPROJ_HOOKS='$H' AIPROJ_ACTOR='Ana Lima' sh -e '$T_DIR/scenario'"
expect_rc 0
expect_err ""
ls "$R" | grep -v env | sort | tr '\n' ' ' >"$T_DIR/fired"
[ "$(cat "$T_DIR/fired")" = "post-approve.1 post-breach.1 post-close.1 post-kpi.1 post-kpi.2 post-kpi.3 post-move.1 post-move.2 post-move.3 post-move.4 post-role.1 pre-approve.1 pre-move.1 pre-move.2 pre-move.3 pre-move.4 " ] ||
	_fail "fired: $(cat "$T_DIR/fired")"

begin "docs/hooks.md: every payload it shows is the one the hook got"
awk -v d="$T_DIR" '
/^<!-- payload: / { sub(/^<!-- payload: /, ""); sub(/ -->$/, ""); name = $0; n++; next }
/^```json$/ && name != "" { f = d "/want." name; inblock = 1; next }
/^```$/ && inblock { inblock = 0; name = ""; next }
inblock { print > f }
' "$doc"
n=$(ls "$T_DIR" | grep -c '^want\.')
[ "$n" -ge 8 ] || _fail "only $n payloads in docs/hooks.md"
for w in "$T_DIR"/want.*; do
	e=${w#"$T_DIR/want."}
	cmp -s "$w" "$R/$e" || _fail "payload $e differs" "$(diff "$w" "$R/$e" | head -20)"
done

begin "every payload: pre and post alike; the move back, the second reading"
for pair in "pre-approve.1 post-approve.1" "pre-move.1 post-move.1" "pre-move.2 post-move.2" "pre-move.3 post-move.3"; do
	# shellcheck disable=SC2086 # two words
	set -- $pair
	sed 's/"event": "pre-/"event": "post-/' "$R/$1" | cmp -s - "$R/$2" ||
		_fail "$1 and $2 differ beyond the event"
done
sed 's/"event": "post-kpi"/"event": "post-breach"/' "$R/post-kpi.3" | cmp -s - "$R/post-breach.1" ||
	_fail "post-kpi.3 and post-breach.1 differ beyond the event"
# a miss while no release is live: "missed", as kpi history says, no breach
[ "$(jq -r '.result + " " + (.meets_target | tostring)' "$R/post-kpi.2")" = "missed false" ] ||
	_fail "post-kpi.2: $(cat "$R/post-kpi.2")"
run --format json stage history churn-model
jq_out '.transitions[1].reason' "cost estimate was wrong"

begin "post-release: release add, with its JSON output's keys"
ok project create live-model
fwd live-model 4
rec_hook post-release
run --hooks "$H" release add live-model 1.0 --artifact oci://reg/m:1.0 --note first
expect_rc 0
jq_file() { jq -r "$2" "$1"; }
[ "$(jq_file "$R/post-release.1" '[.event, .project, .version, .artifact, .note, (.superseded // "-")] | join(" ")')" = "post-release live-model 1.0 oci://reg/m:1.0 first -" ] ||
	_fail "post-release.1: $(cat "$R/post-release.1")"
run --hooks "$H" release add live-model 1.1
expect_rc 0
[ "$(jq_file "$R/post-release.2" '.version + " " + .superseded')" = "1.1 1.0" ] ||
	_fail "post-release.2: $(cat "$R/post-release.2")"
rm -f "$H/post-release"

begin "post-handover: component handover, with its JSON output's keys"
rec_hook post-handover
run --hooks "$H" component add live-model api --owner ai-engineer
expect_rc 0
run --hooks "$H" component handover live-model api --to devops --reason 'in production'
expect_rc 0
[ "$(jq_file "$R/post-handover.1" '[.event, .project, .component, .from, .to, .reason] | join(" ")')" = "post-handover live-model api ai-engineer devops in production" ] ||
	_fail "post-handover.1: $(cat "$R/post-handover.1")"
rm -f "$H/post-handover"

begin "the hook's environment: AIPROJ_EVENT, AIPROJ_PROJECT, AIPROJ_STORE"
expect_env() {
	[ "$(cat "$R/$1.env")" = "$2" ] || _fail "$1: environment $(cat "$R/$1.env"), expected $2"
}
expect_env pre-move.1 "pre-move|churn-model|$AIPROJ_DB"
expect_env post-move.3 "post-move|fraud-model|$AIPROJ_DB"

begin "stage start is a move for hooks: pre-move refuses it, post-move has kind start"
ok project create early
fwd early 1
hook pre-move 'echo "no early starts" >&2; exit 1'
snap
run --hooks "$H" stage start early prototyping-testing --reason 'in parallel'
expect_rc 4
expect_out ""
expect_err "aiproj: error: hook pre-move refused the command: exit 1; nothing was changed
  no early starts"
expect_unchanged
rm -f "${R:?}"/* "$H/pre-move"
rec_hook pre-move post-move
run --hooks "$H" stage start early prototyping-testing --reason 'in parallel'
expect_rc 0
[ "$(jq_file "$R/post-move.1" '[.event, .project, .from, .to, .kind, .reason] | join("|")')" = "post-move|early|data-preparation|prototyping-testing|start|in parallel" ] ||
	_fail "post-move.1: $(cat "$R/post-move.1")"
sed 's/"event": "pre-/"event": "post-/' "$R/pre-move.1" | cmp -s - "$R/post-move.1" ||
	_fail "pre-move.1 and post-move.1 differ beyond the event"
rm -f "${R:?}"/* "$H/pre-move" "$H/post-move"

begin "role reassign and person merge fire post-role for each role they move"
ok project create held
ok role assign held sponsor 'Cy Old'
ok role assign held devops 'Cy Old'
rec_hook post-role
run --hooks "$H" role reassign 'Cy Old' 'Di New' --role sponsor
expect_rc 0
got=$(for f in "$R"/post-role.*; do case $f in *.env) continue ;; esac; jq -r '[.project, .role, .person, (.assigned | tostring)] | join(" ")' "$f"; done | tr '\n' ,)
[ "$got" = "held sponsor Cy Old false,held sponsor Di New true," ] || _fail "reassign: $got"
rm -f "${R:?}"/*
run --hooks "$H" person merge 'Cy Old' 'Di New'
expect_rc 0
got=$(for f in "$R"/post-role.*; do case $f in *.env) continue ;; esac; jq -r '[.project, .role, .person, (.assigned | tostring)] | join(" ")' "$f"; done | tr '\n' ,)
[ "$got" = "held devops Cy Old false,held devops Di New true," ] || _fail "merge: $got"
hook post-role 'exit 3'
run --strict-hooks --hooks "$H" role reassign 'Di New' 'Ed Third' --role devops
expect_rc 9
expect_err "aiproj: error: hook post-role failed: exit 3; the command was done
hook post-role failed: exit 3; the command was done"
rm -f "${R:?}"/* "$H/post-role"

begin "a repeated approval, a hold and a read fire nothing"
rm -f "${R:?}"/*
run --hooks "$H" project create quiet
run --hooks "$H" role assign quiet sponsor 'Ana Lima'
rm -f "${R:?}"/*
run --hooks "$H" --actor 'Ana Lima' gate approve quiet
run --hooks "$H" --actor 'Ana Lima' gate approve quiet
expect_rc 0
expect_out "Already approved the gate of feasibility on 'quiet' as sponsor"
run --hooks "$H" project hold quiet --reason 'wait'
run --hooks "$H" project resume quiet
run --hooks "$H" stage show quiet
[ "$(ls "$R" | grep -v env | tr '\n' ' ')" = "post-approve.1 pre-approve.1 " ] ||
	_fail "fired: $(ls "$R" | tr '\n' ' ')"

begin "a hook's standard output is not the command's"
hook post-move 'echo "hook was here"; cat >/dev/null'
run --hooks "$H" --format json stage advance quiet --force --reason r
expect_rc 0
expect_err ""
jq_out .to data-preparation
expect_out_lacks "hook was here"

# ---- pre-hooks refuse ----
rm -rf "${H:?}"/* "${R:?}"/*
begin "a pre-move hook that exits 1 refuses: exit 4, its stderr shown, the store unchanged"
hook pre-move 'cat >/dev/null
echo "no moves during the freeze" >&2
echo "ask the release manager" >&2
exit 1'
run project create frozen
snap
run --hooks "$H" stage advance frozen --force --reason 'ship it'
expect_rc 4
expect_out ""
expect_err "aiproj: error: hook pre-move refused the command: exit 1; nothing was changed
  no moves during the freeze
  ask the release manager"
expect_unchanged
run --hooks "$H" --format json stage back frozen --to feasibility --reason r
expect_rc 4
expect_err_has "not earlier than the current stage"
run --hooks "$H" --format json stage advance frozen --force --reason 'ship it'
expect_rc 4
expect_out ""
expect_err '{"aiproj":1,"error":{"code":4,"message":"hook pre-move refused the command: exit 1; nothing was changed\n  no moves during the freeze\n  ask the release manager"}}'
expect_unchanged

begin "a refusing pre-hook: only the first lines of its stderr"
hook pre-move 'for i in 1 2 3 4 5 6 7 8; do echo "line $i" >&2; done; exit 3'
run --hooks "$H" stage advance frozen --force --reason r
expect_rc 4
expect_err "aiproj: error: hook pre-move refused the command: exit 3; nothing was changed
  line 1
  line 2
  line 3
  line 4
  line 5"
expect_unchanged

begin "a pre-approve hook refuses an approval; the post-hook does not run"
rm -rf "${H:?}"/*
hook pre-approve 'exit 1'
rec_hook post-approve
run role assign frozen sponsor 'Ana Lima'
snap
run --hooks "$H" --actor 'Ana Lima' gate approve frozen
expect_rc 4
expect_err "aiproj: error: hook pre-approve refused the command: exit 1; nothing was changed"
expect_unchanged
[ -e "$R/post-approve.1" ] && _fail "the post-hook ran after a refusal"

begin "a pre-hook that cannot be started refuses"
rm -rf "${H:?}"/*
printf 'not a script\n' >"$H/pre-move"
chmod +x "$H/pre-move"
run --hooks "$H" stage advance frozen --force --reason r
expect_rc 4
expect_err_has "aiproj: error: hook pre-move refused the command: exit 126; nothing was changed"
expect_unchanged

# ---- post-hooks warn, or exit 9 ----
begin "a post-hook that fails: a warning, exit 0, the change made"
rm -rf "${H:?}"/*
hook post-move 'echo "slack said 404" >&2; exit 22'
run --hooks "$H" stage advance frozen --force --reason r
expect_rc 0
expect_out "frozen: feasibility -> data-preparation (forced: r)"
expect_err "aiproj: warning: hook post-move failed: exit 22; the command was done
  slack said 404"
run stage show frozen --format json
jq_out .stage data-preparation

begin "--strict-hooks: a failed post-hook is exit 9, the change still made"
run --strict-hooks --hooks "$H" stage back frozen --to feasibility --reason r
expect_rc 9
expect_out "frozen: data-preparation -> feasibility (back; gates of 5 stages reopened)"
expect_err "aiproj: error: hook post-move failed: exit 22; the command was done
  slack said 404"
run stage show frozen --format json
jq_out .stage feasibility
run --format json --strict-hooks --hooks "$H" stage advance frozen --force --reason r
expect_rc 9
jq_out .to data-preparation
case $ERR in '{"aiproj":1,"error":{"code":9,"message":"hook post-move failed: exit 22; the command was done\n  slack said 404"}}') ;;
*) _fail "not the JSON error" ;; esac

begin "two post-hooks that fail: two warnings"
hook post-kpi 'echo "kpi hook down" >&2; exit 1'
hook post-breach 'exit 2'
run kpi add frozen auc --target '>= 0.8'
fwd frozen 3
ok release add frozen 1.0
run --hooks "$H" kpi record frozen auc 0.5
expect_rc 0
expect_err "aiproj: warning: hook post-kpi failed: exit 1; the command was done
  kpi hook down
aiproj: warning: hook post-breach failed: exit 2; the command was done"
run --strict-hooks --hooks "$H" kpi record frozen auc 0.5
expect_rc 9
expect_err "aiproj: error: hook post-kpi failed: exit 1; the command was done
  kpi hook down
hook post-breach failed: exit 2; the command was done"
run --format json kpi list frozen
jq_out '.kpis[0].latest' 0.5

begin "--strict-hooks with hooks that succeed: exit 0"
hook post-move 'exit 0'
run --strict-hooks --hooks "$H" stage back frozen --to feasibility --reason r
expect_rc 0
expect_err ""

# ---- the time limit ----
begin "a post-hook past AIPROJ_HOOK_TIMEOUT is killed with its whole process group"
hook post-move "echo \$\$ >'$T_DIR/pgid'
ps -o pgid= -p \$\$ | tr -d ' ' >'$T_DIR/own'
sleep 60 &
echo \$! >'$T_DIR/bg'
sleep 60"
start=$(date +%s)
runsh "AIPROJ_HOOK_TIMEOUT=1 '$AIPROJ' --hooks '$H' stage advance frozen --force --reason r"
took=$(($(date +%s) - start))
expect_rc 0
expect_err "aiproj: warning: hook post-move failed: killed after 1 s (AIPROJ_HOOK_TIMEOUT); the command was done"
[ "$took" -le 5 ] || _fail "took $took s"
pg=$(cat "$T_DIR/pgid")
[ "$(cat "$T_DIR/own")" = "$pg" ] || _fail "the hook was not its own process group leader"
left=$(ps -o pid= -g "$pg")
[ -z "$left" ] || _fail "processes left in group $pg: $left"
kill -0 "$(cat "$T_DIR/bg")" 2>/dev/null && _fail "the background sleep survived"

begin "a hook that ignores SIGTERM gets SIGKILL"
hook post-move "trap '' TERM
echo \$\$ >'$T_DIR/pgid'
sleep 60 &
wait"
start=$(date +%s)
runsh "AIPROJ_HOOK_TIMEOUT=1 '$AIPROJ' --hooks '$H' stage back frozen --to feasibility --reason r"
took=$(($(date +%s) - start))
expect_rc 0
expect_err_has "hook post-move failed: killed after 1 s"
[ "$took" -le 6 ] || _fail "took $took s"
left=$(ps -o pid= -g "$(cat "$T_DIR/pgid")")
[ -z "$left" ] || _fail "processes left: $left"

begin "a pre-hook past the limit refuses, the store unchanged"
rm -rf "${H:?}"/*
hook pre-move "echo \$\$ >'$T_DIR/pgid'; sleep 60"
snap
runsh "AIPROJ_HOOK_TIMEOUT=1 '$AIPROJ' --hooks '$H' stage advance frozen --force --reason r"
expect_rc 4
expect_out ""
expect_err "aiproj: error: hook pre-move refused the command: killed after 1 s (AIPROJ_HOOK_TIMEOUT); nothing was changed"
expect_unchanged
left=$(ps -o pid= -g "$(cat "$T_DIR/pgid")")
[ -z "$left" ] || _fail "processes left: $left"

begin "a hook that never reads its input, with a large payload"
rm -rf "${H:?}"/*
hook post-move 'exit 0'
big=$(head -c 3000 /dev/zero | tr '\0' x)
run --hooks "$H" stage advance frozen --force --reason "$big"
expect_rc 0
expect_err ""

begin "a hook that exits in time: its background work is not waited for"
rm -rf "${H:?}"/*
hook post-move "sleep 30 >/dev/null 2>&1 &
echo \$! >'$T_DIR/bg'"
start=$(date +%s)
run --hooks "$H" stage back frozen --to feasibility --reason r
took=$(($(date +%s) - start))
expect_rc 0
expect_err ""
[ "$took" -le 3 ] || _fail "took $took s"
kill "$(cat "$T_DIR/bg")" 2>/dev/null

# ---- import ----
begin "import runs no hooks without --hooks, even with AIPROJ_HOOKS set"
rm -rf "${H:?}"/* "${R:?}"/*
rec_hook pre-move post-move
run export churn-model -o "$T_DIR/one.yaml"
expect_rc 0
other=$(new_store imp)
runsh "AIPROJ_HOOKS='$H' '$AIPROJ' --db '$other' import '$T_DIR/one.yaml'"
expect_rc 0
expect_err ""
[ -z "$(ls "$R")" ] || _fail "hooks ran: $(ls "$R" | tr '\n' ' ')"

begin "import --dry-run --hooks runs none"
other2=$(new_store imp2)
run --db "$other2" --hooks "$H" import "$T_DIR/one.yaml" --dry-run
expect_rc 0
[ -z "$(ls "$R")" ] || _fail "hooks ran: $(ls "$R" | tr '\n' ' ')"

begin "import --hooks: a post-move for each project created or replaced"
run --db "$other2" --hooks "$H" import "$T_DIR/one.yaml"
expect_rc 0
expect_err ""
[ "$(ls "$R" | grep -v env | tr '\n' ' ')" = "post-move.1 " ] || _fail "fired: $(ls "$R" | tr '\n' ' ')"
[ "$(cat "$R/post-move.1")" = '{
  "aiproj": 1,
  "event": "post-move",
  "project": "churn-model",
  "actor": "tester",
  "at": "2026-03-02T09:30:00.000Z",
  "from": null,
  "to": "feasibility",
  "kind": "import",
  "reason": null,
  "import": "created"
}' ] || _fail "payload: $(cat "$R/post-move.1")"
run --db "$other2" --hooks "$H" import "$T_DIR/one.yaml"
expect_rc 0
[ -e "$R/post-move.2" ] && _fail "an unchanged project fired"

# ---- the docs' Slack recipes, against a listener on 127.0.0.1 ----
begin "docs/hooks.md: the relay and the post-move hook post to a webhook"
rm -rf "${H:?}"/* "${R:?}"/*
for r in relay post-move; do
	sed -n "/^<!-- recipe: $r -->/,/^\`\`\`\$/p" "$doc" | sed '1,2d;$d' >"$T_DIR/recipe.$r"
	[ -s "$T_DIR/recipe.$r" ] || _fail "no recipe '$r' in docs/hooks.md"
done
[ "$(wc -l <"$T_DIR/recipe.relay")" -le 15 ] || _fail "the relay is longer than 15 lines"
cp "$T_DIR/recipe.relay" "$H/post-kpi"
cp "$T_DIR/recipe.relay" "$H/post-breach"
cp "$T_DIR/recipe.relay" "$H/post-approve"
cp "$T_DIR/recipe.post-move" "$H/post-move"
chmod +x "$H"/*
mkdir -p "$T_DIR/web"
cat >"$T_DIR/listen.py" <<'EOF'
# records each POST body as post.N; stops on the file "stop", or after 60 s
import http.server, os, sys, time
d = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    n = 0
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        H.n += 1
        with open(os.path.join(d, "post.%d" % H.n), "wb") as f:
            f.write(body)
        with open(os.path.join(d, "type.%d" % H.n), "w") as f:
            f.write(self.headers.get("Content-Type", ""))
        code = 404 if self.path == "/gone" else 200
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if code == 200 else b"no_service")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
s.timeout = 0.2
with open(os.path.join(d, "port.tmp"), "w") as f:
    f.write(str(s.server_address[1]))
os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
end = time.time() + 60
while time.time() < end and not os.path.exists(os.path.join(d, "stop")):
    s.handle_request()
EOF
/usr/bin/python3 "$T_DIR/listen.py" "$T_DIR/web" &
listener=$!
i=0
while [ ! -e "$T_DIR/web/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$T_DIR/web/port")
export SLACK_WEBHOOK_URL="http://127.0.0.1:$port/services/T0/B0/x"
run project create slack-model
run role assign slack-model sponsor 'Ana Lima'
run kpi add slack-model auc --target '>= 0.8'
run --hooks "$H" --actor 'Ana Lima' gate approve slack-model
expect_rc 0
expect_err ""
run --hooks "$H" stage advance slack-model --force --reason 'pilot approved'
expect_rc 0
expect_err ""
run --hooks "$H" kpi record slack-model auc 0.71
expect_rc 0
expect_err ""
[ "$(cat "$T_DIR/web/post.1" 2>/dev/null)" = '{"text":"slack-model: gate of feasibility approved - Ana Lima, 2026-03-02T09:30:00.000Z"}' ] ||
	_fail "post 1: $(cat "$T_DIR/web/post.1" 2>&1)"
[ "$(cat "$T_DIR/web/post.2" 2>/dev/null)" = '{"text":"slack-model moved feasibility -> data-preparation (forced) - tester"}' ] ||
	_fail "post 2: $(cat "$T_DIR/web/post.2" 2>&1)"
[ "$(cat "$T_DIR/web/post.3" 2>/dev/null)" = '{"text":"slack-model: auc = 0.71, target >= 0.8: missed - tester, 2026-03-02T09:30:00.000Z"}' ] ||
	_fail "post 3: $(cat "$T_DIR/web/post.3" 2>&1)"
[ "$(cat "$T_DIR/web/type.1")" = application/json ] || _fail "content type $(cat "$T_DIR/web/type.1")"

begin "docs/hooks.md: a webhook that answers 404 is a failed hook"
SLACK_WEBHOOK_URL="http://127.0.0.1:$port/gone"
run --hooks "$H" stage back slack-model --to feasibility --reason r
expect_rc 0
expect_err "aiproj: warning: hook post-move failed: exit 22; the command was done
  curl: (22) The requested URL returned error: 404"
touch "$T_DIR/web/stop"
wait "$listener"
unset SLACK_WEBHOOK_URL

finish
