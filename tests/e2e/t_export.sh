# Export and import (docs/export.md): a fixture portfolio built with aiproj (six
# projects: decisions incl. buy/closed, KPIs with readings, assignments,
# components added and removed, criteria done with notes and reopened,
# approvals, forced moves and back-jumps, an on-hold and a closed project,
# texts with quotes, colons, '#', leading spaces, newlines, tabs and UTF-8,
# names a YAML reader would retype: yes, null, 1.0, 0x10, no, off, ~).
#
# export -> import into an empty store -> export gives identical bytes;
# importing twice changes nothing; --dry-run writes nothing; a changed file
# is a conflict (exit 5) unless --replace; all or nothing; export NAME, -o
# FILE (atomic), --format json; PyYAML reads the same values aiproj shows.
. "$(dirname "$0")/lib.sh"
T_CMD="(no command yet)" RC="" # _fail reads them (set -u)

PY=/usr/bin/python3

# ---- the fixture: every step must succeed ----
N=0
FX_BAD=""
step() {
	N=$((N + 1))
	AIPROJ_NOW=$(printf '2026-03-01T%02d:%02d:%02d.%03dZ' $((8 + N / 3600)) \
		$((N / 60 % 60)) $((N % 60)) $((N * 7 % 1000)))
	export AIPROJ_NOW
	"$AIPROJ" "$@" >/dev/null 2>"$T_DIR/fx.err" </dev/null ||
		FX_BAD="$FX_BAD
aiproj $* -> exit $? $(cat "$T_DIR/fx.err")"
}
NL='
'
TAB='	'
DESC="  leading spaces: \"double\" and 'single' quotes # not a comment${NL}second line${TAB}tab — ünïcödé ✓ 中文"

step init
# churn-model: the whole lifecycle with forced moves and back-jumps
step project create churn-model --description "$DESC"
step role assign churn-model sponsor 'Ana Lima'
step role assign churn-model ai-engineer 'José Ñúñez'
step role assign churn-model ai-engineer "O'Brien: #1"
step role assign churn-model data-analyst yes
step role assign churn-model data-engineer null
step role assign churn-model data-scientist 1.0
step role assign churn-model devops 0x10
step role assign churn-model devops 'Temp Person'
step role unassign churn-model devops 'Temp Person'
step decide churn-model make --cost 120000.5 --reason 'no vendor fits: "none" # at all'
step kpi add churn-model auc --target '>= 0.80'
step kpi add churn-model latency_ms --target '< 250'
step kpi add churn-model no --target '== 1e-7'
step kpi record churn-model auc 0.71
step kpi record churn-model auc 0.83
step kpi record churn-model latency_ms 300
step kpi record churn-model latency_ms -1.5
step kpi record churn-model no 0.0000001
step gate add churn-model --stage feasibility 'Custom: "quoted" # not a comment'
step gate add churn-model --stage deployment "  indented${NL}two lines"
step gate done churn-model 1 --note 'first: ok'
step gate done churn-model 2 --note "multi${NL}line note"
step gate done churn-model 3 --note ' leading space'
step gate done churn-model 4
step gate done churn-model 19 --note yes
step --actor 'Ana Lima' gate approve churn-model --note 'go: "now"'
step stage advance churn-model --expect feasibility
step stage advance churn-model --force --reason 'deadline: Q2 #1'
step stage back churn-model --to feasibility --reason "second thought${NL}cost was wrong"
for i in 1 2 3 4 19; do step gate done churn-model $i --note "again $i"; done
step --actor 'Ana Lima' gate approve churn-model
step stage advance churn-model
step stage advance churn-model --force --reason 'null'
step stage advance churn-model --force --reason '1.0'
step stage back churn-model --to data-preparation --reason 'yes'
step gate done churn-model 5 --note 'done then reopened'
step gate reopen churn-model 5
step gate done churn-model 6 --note '0x10'
step component add churn-model feature-store --owner data-engineer --description '  leading: yes'
step component remove churn-model model
step component add churn-model model.v2 --owner data-scientist
# vendor-eval: bought, so moved to productization (on_buy) by a buy move
step project create vendor-eval --description 'Compare: vendors'
step role assign vendor-eval sponsor 'Ana Lima'
step decide vendor-eval buy --cost 5000 --reason 'SaaS fits'
# 1.0: on hold
step project create 1.0 --description 'on'
step kpi add 1.0 off --target '<= 3'
step kpi record 1.0 off 2
step project hold 1.0 --reason 'waiting: budget #2026'
# 0x10: closed by hand after a forced move
step project create 0x10
step stage advance 0x10 --force --reason 'skip'
step project close 0x10 --reason 'null'
# yes: a new project, nothing else
step project create yes
# z_last: forced all the way to the last stage
step project create z_last --description '~'
for i in 1 2 3 4; do step stage advance z_last --force --reason "force $i"; done
unset AIPROJ_NOW

NAMES="0x10 1.0 churn-model vendor-eval yes z_last" # export order: by name
S1=$AIPROJ_DB
E1=$T_DIR/e1.yaml

begin "fixture: every step that builds the portfolio succeeds"
[ -z "$FX_BAD" ] || _fail "fixture steps failed" "$FX_BAD"

begin "export: one YAML document, 'aiproj: 2', every project in name order, the end record last"
run export
expect_rc 0
expect_err ""
cp "$T_DIR/out" "$E1"
[ "$(head -n 2 "$E1")" = "aiproj: 2${NL}projects:" ] || _fail "does not start with 'aiproj: 2' and 'projects:'"
[ "$(tail -n 2 "$E1")" = "end:${NL}  projects: 6" ] || _fail "does not end with 'end: {projects: 6}'" "$(tail -n 2 "$E1")"
got=$(sed '/^people:$/,$d' "$E1" | grep '^- name: ' | sed 's/^- name: //; s/"//g' | paste -sd' ' -)
[ "$got" = "$NAMES" ] || _fail "projects: $got"
[ "$(grep -c '^---' "$E1")" -le 1 ] || _fail "more than one document"

begin "export: PyYAML reads it; the history, back-jumps and forced moves are there"
got=$($PY -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
p = {x["name"]: x for x in d["projects"]}
c = p["churn-model"]
print(d["aiproj"], len(d["projects"]))
print(",".join(t["kind"] for t in c["history"]))
print(",".join("%s:%d" % (a["stage"], a["epoch"]) for a in c["approvals"]))
print(",".join(k["name"] + "=" + str(len(k["readings"])) for k in c["kpis"]))
print(",".join(x["name"] for x in c["components"]))
print(",".join(sorted(a["role"] + "/" + a["person"] for a in c["assignments"])))
print(",".join(str(x["id"]) for x in c["criteria"] if x["done"]))
print([x["note"] for x in c["criteria"] if x["id"] == 5][0], [x["done_by"] for x in c["criteria"] if x["id"] == 6][0])
v = p["vendor-eval"]
print(v["status"], v["outcome"], v["decisions"][0]["kind"], v["decisions"][0]["cost"], v["stage"], ",".join(t["kind"] + ":" + t["to"] for t in v["history"]))
print(p["1.0"]["status"], p["1.0"]["status_reason"], p["0x10"]["status"], p["z_last"]["stage"])
' "$E1" 2>&1)
want="2 6
advance,forced,back,advance,forced,forced,back
feasibility:0,feasibility:3
auc=2,latency_ms=2,no=1
data-in,data-out,feature-store,model.v2
ai-engineer/José Ñúñez,ai-engineer/O'Brien: #1,data-analyst/yes,data-engineer/null,data-scientist/1.0,devops/0x10,sponsor/Ana Lima
1,2,3,4,6,19
None tester
active None buy 5000 productization buy:productization
on-hold waiting: budget #2026 closed deployment"
[ "$got" = "$want" ] || _fail "PyYAML read something else" "$got"

begin "export: a YAML 1.1 reader (PyYAML) sees strings as strings and numbers as numbers"
got=$($PY -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
bad = []
def walk(x, path):
    if isinstance(x, dict):
        for k, v in x.items():
            walk(v, path + "." + str(k))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            walk(v, "%s[%d]" % (path, i))
    else:
        key = path.rsplit(".", 1)[-1]
        num = key in ("aiproj", "cost", "target", "value", "id", "epoch") or path == ".end.projects"
        if key == "done":
            ok = isinstance(x, bool)
        elif num:
            ok = isinstance(x, (int, float)) and not isinstance(x, bool)
        else:
            ok = x is None or isinstance(x, str)
        if not ok:
            bad.append("%s=%r" % (path, x))
walk(d, "")
print("\n".join(bad))
' "$E1" 2>&1)
[ -z "$got" ] || _fail "values of the wrong type for a YAML 1.1 reader" "$got"

begin "export --format json: one JSON object; PyYAML reads the YAML export as the same values"
run --format json export
expect_rc 0
expect_err ""
jq_out '.aiproj' 2
jq_out '.end.projects' 6
jq_out '[.projects[].name] | join(" ")' "$NAMES"
jq_out '[.projects[] | select(.name == "churn-model") | .history[].kind] | join(",")' \
	"advance,forced,back,advance,forced,forced,back"
cp "$T_DIR/out" "$T_DIR/e1.json"
got=$($PY -c '
import sys, json, yaml
y = yaml.safe_load(open(sys.argv[1]))
j = json.load(open(sys.argv[2]))
out = []
def cmp(a, b, path):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            cmp(a.get(k, "<missing>"), b.get(k, "<missing>"), path + "." + k)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i in range(len(a)):
            cmp(a[i], b[i], "%s[%d]" % (path, i))
    elif type(a) != type(b) or a != b:
        out.append("%s: yaml %r, json %r" % (path, a, b))
cmp(y, j, "")
print("\n".join(out))
' "$E1" "$T_DIR/e1.json" 2>&1)
[ -z "$got" ] || _fail "YAML and JSON exports differ" "$got"

begin "export: names, stage, status and texts match 'project show --format json'"
$PY -c '
import sys, json, yaml
for p in yaml.safe_load(open(sys.argv[1]))["projects"]:
    print(json.dumps([p["name"], p["stage"], p["status"], p["description"],
                      p["status_reason"], p["outcome"]], ensure_ascii=False))
' "$E1" >"$T_DIR/py.lines" 2>&1 || _fail "PyYAML failed" "$(cat "$T_DIR/py.lines")"
i=0
for name in $NAMES; do
	i=$((i + 1))
	want=$(sed -n "${i}p" "$T_DIR/py.lines" | jq -c . 2>&1)
	run --format json project show "$name"
	expect_rc 0
	got=$(printf '%s' "$OUT" | jq -c '[.project, .stage, .status, .description, .status_reason, .outcome]' 2>&1)
	[ "$got" = "$want" ] || _fail "$name: show $got, export $want"
done
[ "$i" = 6 ] || _fail "expected 6 projects"

# ---- export -> import into an empty store -> export ----
S2=$(new_store s2)

begin "import into an empty store: every project created"
run --db "$S2" import "$E1"
expect_rc 0
expect_err ""
expect_out "Imported $E1: 6 created, 0 replaced, 0 unchanged"

begin "round trip: export -> import into an empty store -> export gives identical bytes"
run --db "$S2" export
expect_rc 0
cp "$T_DIR/out" "$T_DIR/e2.yaml"
cmp "$E1" "$T_DIR/e2.yaml" >/dev/null 2>&1 ||
	_fail "exports differ" "$(diff "$E1" "$T_DIR/e2.yaml" | head -20)"
run --db "$S2" --format json export
cmp "$T_DIR/e1.json" "$T_DIR/out" >/dev/null 2>&1 || _fail "JSON exports differ"

begin "round trip: every show command gives the same JSON on both stores"
export AIPROJ_NOW=2026-06-01T00:00:00.000Z # days and seconds in stage
for name in $NAMES; do
	for cmd in "project show" "stage show" "stage history" "kpi list" \
		"role show" "component list" "gate show"; do
		# shellcheck disable=SC2086
		a=$("$AIPROJ" --format json $cmd "$name" 2>&1)
		# shellcheck disable=SC2086
		b=$("$AIPROJ" --db "$S2" --format json $cmd "$name" 2>&1)
		[ "$a" = "$b" ] || _fail "$cmd $name differs" "$(printf '%s\n' "$a" >"$T_DIR/a"; printf '%s\n' "$b" >"$T_DIR/b"; diff "$T_DIR/a" "$T_DIR/b" | head -10)"
	done
	for s in 1 2 3 4 5; do
		a=$("$AIPROJ" --format json gate show "$name" --stage $s 2>&1)
		b=$("$AIPROJ" --db "$S2" --format json gate show "$name" --stage $s 2>&1)
		[ "$a" = "$b" ] || _fail "gate show $name --stage $s differs"
	done
done
for cmd in "report status" "report people" "report roles" "project list --all"; do
	# shellcheck disable=SC2086
	a=$("$AIPROJ" --format json $cmd 2>&1)
	# shellcheck disable=SC2086
	b=$("$AIPROJ" --db "$S2" --format json $cmd 2>&1)
	[ "$a" = "$b" ] || _fail "$cmd differs"
done
unset AIPROJ_NOW

begin "import twice: the second time nothing changes, the store is byte-identical"
snap "$S2"
run --db "$S2" import "$E1"
expect_rc 0
expect_err ""
expect_out "Imported $E1: 0 created, 0 replaced, 6 unchanged"
expect_unchanged "$S2"

begin "import into the store it came from: every project unchanged, store untouched"
snap "$S1"
run import "$E1"
expect_rc 0
expect_out "Imported $E1: 0 created, 0 replaced, 6 unchanged"
expect_unchanged "$S1"

begin "import --format json: created, replaced, unchanged lists"
run --db "$S2" --format json import "$E1"
expect_rc 0
jq_out '.aiproj' 1
jq_out '.dry_run' false
jq_out '[(.created | length), (.replaced | length), (.unchanged | length)] | map(tostring) | join(" ")' "0 0 6"
jq_out '.unchanged | join(" ")' "$NAMES"

begin "the JSON export is YAML too: importing it gives the same store"
S3=$(new_store s3)
run --db "$S3" import "$T_DIR/e1.json"
expect_rc 0
expect_out "Imported $T_DIR/e1.json: 6 created, 0 replaced, 0 unchanged"
run --db "$S3" export
cmp "$E1" "$T_DIR/out" >/dev/null 2>&1 || _fail "export after a JSON import differs"

# ---- dry run ----
begin "import --dry-run into an empty store: reports, writes nothing"
S4=$(new_store s4)
run --db "$S4" init
snap "$S4"
run --db "$S4" import "$E1" --dry-run
expect_rc 0
expect_err ""
expect_out "Would import $E1: 6 created, 0 replaced, 0 unchanged
People: 8 created, 0 changed, 0 unchanged"
expect_unchanged "$S4"
run --db "$S4" --format json export
jq_out '.projects | length' 0

begin "import --dry-run --format json says dry_run: true"
run --db "$S4" --format json import --dry-run "$E1"
expect_rc 0
jq_out '.dry_run' true
jq_out '.created | length' 6
expect_unchanged "$S4"

begin "a portfolio moved in parts (docs/postgresql.md): the same export, a part again changes nothing"
SP=$(new_store parts)
for twice in 1 2; do
	runsh "'$AIPROJ' --format json project list --all | jq -r '.projects[].project' |
		xargs -n 2 sh -c '\"\$AIPROJ\" export \"\$@\" | \"\$AIPROJ\" --db \"$SP\" import -' sh"
	expect_rc 0
	expect_err ""
done
expect_out "Imported -: 0 created, 0 replaced, 2 unchanged
Imported -: 0 created, 0 replaced, 2 unchanged
Imported -: 0 created, 0 replaced, 2 unchanged"
run --db "$SP" export
cmp "$E1" "$T_DIR/out" >/dev/null 2>&1 || _fail "export after the parts differs" "$(diff "$E1" "$T_DIR/out" | head)"

begin "import --dry-run into a missing store file: what a new store would get, nothing created"
run --db "$T_DIR/none.db" import --dry-run "$E1"
expect_rc 0
expect_out "Would import $E1: 6 created, 0 replaced, 0 unchanged
People: 8 created, 0 changed, 0 unchanged"
expect_err ""
runsh "'$AIPROJ' --db '$T_DIR/none.db' --format json import --dry-run - <'$E1'"
expect_rc 0
[ "$(printf '%s' "$OUT" | jq -c '[.dry_run, (.created | length), .unchanged]')" = '[true,6,[]]' ] ||
	_fail "json" "$OUT"
# a bad file: exit 6, as into an empty store
printf 'projects:\n  - name: x\n' >"$T_DIR/notexport.yaml"
run --db "$T_DIR/none.db" import --dry-run "$T_DIR/notexport.yaml"
expect_rc 6
expect_out ""
[ -z "$(ls "$T_DIR"/none.db* 2>/dev/null)" ] || _fail "created: $(ls "$T_DIR"/none.db*)"

# ---- conflicts, all or nothing, --replace ----
E3=$T_DIR/changed.yaml
# (a change the commands could have made: a bought project's status_reason
# is its buy decision's reason, which import checks)
sed "s/^  description: 'Compare: vendors'\$/  description: 'Compare: vendors, twice'/" "$E1" >"$E3"
VLINE=$(grep -n '^- name: vendor-eval$' "$E3" | cut -d: -f1)

begin "a changed project is a conflict: exit 5 naming FILE:LINE:COLUMN, store unchanged"
cmp "$E1" "$E3" >/dev/null 2>&1 && _fail "the fixture file did not change"
snap "$S2"
run --db "$S2" import "$E3"
expect_rc 5
expect_out ""
expect_err_has "$E3:$VLINE:3: project 'vendor-eval' exists and differs"
expect_err_has "--replace"
[ "$(printf '%s\n' "$ERR" | grep -c "exists and differs")" = 1 ] || _fail "expected one conflict line"
expect_unchanged "$S2"

begin "a conflict under --dry-run is still exit 5"
run --db "$S2" import --dry-run "$E3"
expect_rc 5
expect_unchanged "$S2"

begin "all or nothing: a new project beside a conflicting one is not created"
sed 's/^- name: "yes"$/- name: brand-new/' "$E3" >"$T_DIR/mixed.yaml"
run --db "$S2" import "$T_DIR/mixed.yaml"
expect_rc 5
expect_unchanged "$S2"
run --db "$S2" project show brand-new
expect_rc 3

begin "--replace --dry-run: would replace one, writes nothing"
run --db "$S2" import --replace --dry-run "$E3"
expect_rc 0
expect_out "Would import $E3: 0 created, 1 replaced, 5 unchanged
People: 0 created, 0 changed, 8 unchanged"
expect_unchanged "$S2"

begin "--replace applies the changed project; the next export is the changed file"
run --db "$S2" import --replace "$E3"
expect_rc 0
expect_err ""
expect_out "Imported $E3: 0 created, 1 replaced, 5 unchanged"
run --db "$S2" export
cmp "$E3" "$T_DIR/out" >/dev/null 2>&1 ||
	_fail "export after --replace differs from the file" "$(printf '%s\n' "$OUT" | diff "$E3" - | head)"
run --db "$S2" --format json project show vendor-eval
jq_out '.description' "Compare: vendors, twice"

begin "--replace twice: the second time nothing changes"
snap "$S2"
run --db "$S2" import --replace "$E3"
expect_rc 0
expect_out "Imported $E3: 0 created, 0 replaced, 6 unchanged"
expect_unchanged "$S2"

begin "--replace keeps projects the file does not name, creates new ones"
run --db "$S2" import --replace "$T_DIR/mixed.yaml"
expect_rc 0
expect_out "Imported $T_DIR/mixed.yaml: 1 created, 0 replaced, 5 unchanged"
run --db "$S2" --format json project list --all
jq_out '[.projects[].project] | sort | join(" ")' "0x10 1.0 brand-new churn-model vendor-eval yes z_last"

begin "an approval whose approver was unassigned since imports: the unassign event shows they held the role"
S10=$(new_store s10)
S11=$(new_store s11)
run --db "$S10" project create gone
run --db "$S10" role assign gone sponsor 'Ana Lima'
run --db "$S10" --actor 'Ana Lima' gate approve gone
expect_rc 0
run --db "$S10" role unassign gone sponsor 'Ana Lima'
expect_rc 0
run --db "$S10" export -o "$T_DIR/gone.yaml"
expect_rc 0
# without the event, nothing shows that she ever held it: refused
awk '/^  events:/ { skip = 1; next } skip && /^(  )?[a-z]/ { skip = 0 } !skip' \
	"$T_DIR/gone.yaml" >"$T_DIR/forged.yaml"
snap "$S11"
run --db "$S11" import "$T_DIR/forged.yaml"
expect_rc 6
expect_out ""
line=$(grep -n "^    person: Ana Lima$" "$T_DIR/forged.yaml" | tail -n 1 | cut -d: -f1)
expect_err "aiproj: error: $T_DIR/forged.yaml:$line:13: 'Ana Lima' approved as sponsor but is not assigned as sponsor (see 'assignments')"
expect_unchanged "$S11"
run --db "$S11" import "$T_DIR/gone.yaml"
expect_rc 0
expect_out "Imported $T_DIR/gone.yaml: 1 created, 0 replaced, 0 unchanged"

begin "a hand-written file in another order than the store's imports twice without conflict"
S5=$(new_store s5)
cat >"$T_DIR/order.yaml" <<'EOF'
aiproj: 1
projects:
- name: ordered
  status: active
  stage: feasibility
  entered_at: "2026-01-01T00:00:00.000Z"
  created_at: "2026-01-01T00:00:00.000Z"
  kpis:
  - {name: zeta, op: ">=", target: 1, created_at: "2026-01-01T00:00:00.000Z"}
  - {name: alpha, op: ">=", target: 1, created_at: "2026-01-01T00:00:00.000Z"}
  assignments:
  - {role: sponsor, person: Zed, assigned_at: "2026-01-01T00:00:00.000Z"}
  - {role: ai-engineer, person: Al, assigned_at: "2026-01-01T00:00:00.000Z"}
  components:
  - {name: zz, owner: devops}
  - {name: aa, owner: devops}
EOF
run --db "$S5" import "$T_DIR/order.yaml"
expect_rc 0
snap "$S5"
run --db "$S5" import "$T_DIR/order.yaml"
expect_rc 0
expect_out "Imported $T_DIR/order.yaml: 0 created, 0 replaced, 1 unchanged"
expect_unchanged "$S5"

begin "numbers are compared by value: 1e3 and 1000.0 import as 1000, then unchanged"
cat >"$T_DIR/num.yaml" <<'EOF'
aiproj: 1
projects:
- name: numbers
  status: active
  stage: feasibility
  entered_at: "2026-01-01T00:00:00.000Z"
  created_at: "2026-01-01T00:00:00.000Z"
  decisions:
  - {kind: make, cost: 1e3, reason: r, actor: a, at: "2026-01-01T00:00:00.000Z"}
  kpis:
  - name: k
    op: "<"
    target: 1000.0
    created_at: "2026-01-01T00:00:00.000Z"
    readings:
    - {value: +0.50, actor: a, at: "2026-01-01T00:00:00.000Z"}
EOF
run --db "$S5" import "$T_DIR/num.yaml"
expect_rc 0
snap "$S5"
run --db "$S5" import "$T_DIR/num.yaml"
expect_rc 0
expect_out "Imported $T_DIR/num.yaml: 0 created, 0 replaced, 1 unchanged"
expect_unchanged "$S5"
run --db "$S5" --format json export numbers
jq_out '.projects[0] | [.decisions[0].cost, .kpis[0].target, .kpis[0].readings[0].value] | map(tostring) | join(" ")' "1000 1000 0.5"

begin "a store with another lifecycle refuses stages and roles it lacks: exit 6, unchanged"
S6=$(new_store s6)
run --db "$S6" init --lifecycle "$(dirname "$0")/lifecycles/three.yaml"
expect_rc 0
snap "$S6"
run --db "$S6" import "$E1"
expect_rc 6
expect_err_has "$E1:"
expect_err_has "unknown stage 'data-preparation'"
expect_unchanged "$S6"

# ---- export NAME, -o FILE, errors ----
begin "export NAME: only that project"
run export churn-model
expect_rc 0
[ "$(printf '%s\n' "$OUT" | sed '/^people:$/,$d' | grep -c '^- name: ')" = 1 ] || _fail "expected one project"
expect_out_has "- name: churn-model"
run --format json export 1.0 yes
expect_rc 0
jq_out '[.projects[].name] | join(" ")' "1.0 yes"

begin "export NAME | import: one project, identical to its part of the full export"
run export vendor-eval
printf '%s\n' "$OUT" >"$T_DIR/one.yaml"
S7=$(new_store s7)
run --db "$S7" import "$T_DIR/one.yaml"
expect_rc 0
expect_out "Imported $T_DIR/one.yaml: 1 created, 0 replaced, 0 unchanged"
run --db "$S7" export
cmp "$T_DIR/one.yaml" "$T_DIR/out" >/dev/null 2>&1 || _fail "one-project export differs"

begin "export of an unknown project: exit 3, nothing on stdout, no file written"
run export churn-model no-such-project
expect_rc 3
expect_out ""
expect_err_has "no-such-project"
mkdir "$T_DIR/outdir"
run export no-such-project -o "$T_DIR/outdir/x.yaml"
expect_rc 3
[ -z "$(ls -A "$T_DIR/outdir")" ] || _fail "files left: $(ls -A "$T_DIR/outdir")"

begin "export -o FILE: the same bytes as stdout, a note on stderr, no temp file left"
run export -o "$T_DIR/outdir/p.yaml"
expect_rc 0
expect_out ""
expect_err_has "exported 6 projects to $T_DIR/outdir/p.yaml"
cmp "$E1" "$T_DIR/outdir/p.yaml" >/dev/null 2>&1 || _fail "-o file differs from stdout"
[ "$(ls -A "$T_DIR/outdir")" = "p.yaml" ] || _fail "files in the directory: $(ls -A "$T_DIR/outdir")"

begin "export -o over an existing file replaces it whole; -q prints nothing"
printf 'old content that is much longer than nothing\n%.0s' $(seq 1 5000) >"$T_DIR/outdir/p.yaml"
run -q export yes -o "$T_DIR/outdir/p.yaml"
expect_rc 0
expect_err ""
run export yes
[ "$(cat "$T_DIR/outdir/p.yaml")" = "$OUT" ] || _fail "-o did not replace the file"
[ "$(ls -A "$T_DIR/outdir")" = "p.yaml" ] || _fail "files in the directory: $(ls -A "$T_DIR/outdir")"

begin "export --format json -o FILE: parses with jq"
run --format json export -o "$T_DIR/outdir/p.json"
expect_rc 0
jq -e '.aiproj == 2 and (.projects | length) == 6' "$T_DIR/outdir/p.json" >/dev/null 2>&1 ||
	_fail "p.json is not the JSON export"
cmp "$T_DIR/e1.json" "$T_DIR/outdir/p.json" >/dev/null 2>&1 || _fail "-o JSON differs from stdout"

begin "export -o into a missing directory: an error, nothing created"
run export -o "$T_DIR/nodir/p.yaml"
[ "$RC" != 0 ] || _fail "exit 0"
expect_one_line_error
[ ! -e "$T_DIR/nodir" ] || _fail "created $T_DIR/nodir"

begin "export of an empty store: aiproj: 2, no projects, and the end record"
run --db "$S4" export
expect_rc 0
expect_out "aiproj: 2${NL}projects: []${NL}end:${NL}  projects: 0"

begin "export: texts in every style of the YAML emitter, byte for byte (folded at 100 columns, quoted, escaped)"
# The bytes libyaml's emitter wrote for these texts before export wrote its
# YAML itself (src/yamlout.c): plain, single- and double-quoted, escaped,
# folded at a space past column 100 (with a backslash before a second space
# in a double-quoted one), a word longer than the width left whole.
ST=$(new_store styles)
long="The model retrains nightly on the last ninety days of data and is promoted only when its offline metrics beat the current champion on every slice"
i=0
for t in "$long $long" "line one${NL}line two" " leading space" "trailing space " \
	yes 1.5 2026-01-01 "# not a comment" "key: value and more" "- item" "[x" "{x}" \
	"*x" "&x" "!x" "|x" ">x" "%x" "@x" '`x' "'q'" '"dq"' "$(printf 'tab\there')" \
	"café ünïcode 中文" "emoji 😀" "$(printf 'line\342\200\250sep')" \
	"$(printf 'nbsp\302\240x')" "$(printf 'bom\357\273\277x')" 'back\slash' \
	"two  spaces" "$long  $long$(printf '\t')end" "$(printf 'x%.0s' $(seq 1 150)) tail"; do
	i=$((i + 1))
	run --db "$ST" -q project create "$(printf 'p%02d' "$i")" --description "$t"
	expect_rc 0
done
run --db "$ST" export
expect_rc 0
got=$(awk '/^  [a-z_]+:/ { d = 0 } /^  description: / { d = 1 } d' "$T_DIR/out")
want=$(cat <<'WANT'
  description: The model retrains nightly on the last ninety days of data and is promoted only when its
    offline metrics beat the current champion on every slice The model retrains nightly on the last ninety
    days of data and is promoted only when its offline metrics beat the current champion on every slice
  description: 'line one

    line two'
  description: ' leading space'
  description: 'trailing space '
  description: "yes"
  description: "1.5"
  description: "2026-01-01"
  description: '# not a comment'
  description: 'key: value and more'
  description: '- item'
  description: '[x'
  description: '{x}'
  description: '*x'
  description: '&x'
  description: '!x'
  description: '|x'
  description: '>x'
  description: '%x'
  description: '@x'
  description: '`x'
  description: '''q'''
  description: '"dq"'
  description: "tab\there"
  description: café ünïcode 中文
  description: "emoji \U0001F600"
  description: 'line     sep'
  description: nbsp x
  description: "bom\uFEFFx"
  description: back\slash
  description: two  spaces
  description: "The model retrains nightly on the last ninety days of data and is promoted only when its
    offline metrics beat the current champion on every slice  The model retrains nightly on the last ninety
    days of data and is promoted only when its offline metrics beat the current champion on every slice\tend"
  description: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    tail
WANT
)
[ "$got" = "$want" ] || _fail "the descriptions differ" "$(printf '%s\n' "$want" >"$T_DIR/want"; printf '%s\n' "$got" | diff "$T_DIR/want" - | head -20)"

# ---- import from stdin, a directory, a missing file ----
begin "import - reads stdin"
S8=$(new_store s8)
runsh "'$AIPROJ' --db '$S8' import - <'$E1'"
expect_rc 0
expect_out "Imported -: 6 created, 0 replaced, 0 unchanged"
run --db "$S8" export
cmp "$E1" "$T_DIR/out" >/dev/null 2>&1 || _fail "export after import from stdin differs"

begin "import - with a bad document: exit 6, problems located in '-'"
snap "$S8"
runsh "printf 'aiproj: 1\nprojects:\n- name: x\n  bogus: 1\n' | '$AIPROJ' --db '$S8' import -"
expect_rc 6
expect_err_has "-:4:3: unknown key 'bogus'"
expect_unchanged "$S8"

begin "import of a directory: exit 6, one line naming it, store unchanged"
snap "$S2"
run --db "$S2" import "$T_DIR/outdir"
expect_rc 6
expect_one_line_error
expect_err_has "$T_DIR/outdir"
expect_unchanged "$S2"

begin "import of a missing file: exit 3, one line naming it, store unchanged"
run --db "$S2" import "$T_DIR/no-such-file.yaml"
expect_rc 3
expect_one_line_error
expect_err_has "$T_DIR/no-such-file.yaml"
expect_unchanged "$S2"

begin "import with no file: usage, exit 2"
run --db "$S2" import
expect_rc 2
expect_unchanged "$S2"

begin "a store holding text that is not UTF-8: export exits 7, writes no partial file"
# (only a file store can hold such text, and only if written around aiproj)
if file_store; then
	SB=$T_DIR/badtext.db
	run --db "$SB" project create p --description fine
	sqlite3 "$SB" "UPDATE project SET description = CAST(x'61ff62' AS TEXT)"
	run --db "$SB" export -o "$T_DIR/bad.yaml"
	expect_rc 7
	expect_one_line_error
	expect_err_has "not UTF-8"
	[ ! -e "$T_DIR/bad.yaml" ] || _fail "a partial export was left"
	run --db "$SB" export
	expect_rc 7
fi

# ---- between backends: a server store and a file store ----
if [ "$E2E_BACKEND" = pg ]; then
	begin "PostgreSQL -> file -> PostgreSQL: each export is the same bytes"
	run --db "$T_DIR/cross.db" import "$E1"
	expect_rc 0
	expect_out "Imported $E1: 6 created, 0 replaced, 0 unchanged"
	run --db "$T_DIR/cross.db" export -o "$T_DIR/cross.yaml"
	expect_rc 0
	cmp "$E1" "$T_DIR/cross.yaml" >/dev/null 2>&1 ||
		_fail "the file store's export differs" "$(diff "$E1" "$T_DIR/cross.yaml" | head -10)"
	S9=$(new_store s9)
	run --db "$S9" import "$T_DIR/cross.yaml"
	expect_rc 0
	expect_out "Imported $T_DIR/cross.yaml: 6 created, 0 replaced, 0 unchanged"
	run --db "$S9" --format json export
	cmp "$T_DIR/e1.json" "$T_DIR/out" >/dev/null 2>&1 || _fail "JSON export after the trip differs"

	begin "PostgreSQL and file store answer every report the same"
	export AIPROJ_NOW=2026-06-01T00:00:00.000Z
	for cmd in "report status" "report people" "report roles" "project list --all"; do
		for f in text json csv; do
			# shellcheck disable=SC2086
			a=$("$AIPROJ" --format $f $cmd 2>&1)
			# shellcheck disable=SC2086
			b=$("$AIPROJ" --db "$T_DIR/cross.db" --format $f $cmd 2>&1)
			[ "$a" = "$b" ] || _fail "$cmd --format $f differs"
		done
	done
	unset AIPROJ_NOW
fi

finish
