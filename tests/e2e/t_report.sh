# Reports: `report roles|people|status` in every format, byte for byte against
# tests/e2e/expected/report/REPORT.EXT, on a fixture portfolio built with
# aiproj itself at fixed times (AIPROJ_NOW); JSON parsed with jq, YAML with
# PyYAML, CSV with Python's csv module; colour only on a terminal.
#
# E2E_REGEN=1 rewrites the expected files from the binary instead of comparing
# them: read every changed line by hand before committing (see the notes in
# each test below for what the output must say).
. "$(dirname "$0")/lib.sh"

EXP=$(cd "$(dirname "$0")" && pwd)/expected/report
NOW=2026-01-02T03:04:05.678Z
ZOE='Zoë "Z" Ng, PhD'
PY=/usr/bin/python3


# ok ARGS... : a fixture step that must succeed

# same_as FILE : stdout of the last run is byte-identical to expected FILE
same_as() {
	if [ "${E2E_REGEN:-}" = 1 ]; then
		mkdir -p "$EXP"
		cp "$T_DIR/out" "$EXP/$1"
		return
	fi
	[ -f "$EXP/$1" ] || { _fail "missing expected file $EXP/$1"; return; }
	cmp -s "$T_DIR/out" "$EXP/$1" ||
		_fail "stdout differs from expected/report/$1" \
			"$(diff "$EXP/$1" "$T_DIR/out" | head -40)"
}

# py 'python code' : run Python over stdout of the last run (on stdin);
# it prints "ok" when every check holds, anything else is the failure
py() {
	_got=$("$PY" -c "$1" <"$T_DIR/out" 2>&1)
	[ "$_got" = ok ] || _fail "python check failed" "$_got"
}

# ---- the fixture portfolio -------------------------------------------------
#
# project       status   stage                  entered              people
# legacy-bot    closed   1 feasibility          2025-03-01 10:00     Bo Chen (sponsor)
# vision-qc     on-hold  5 deployment           2025-09-01 00:00     Ana Lima (sponsor), Zoë (devops); data-out removed
# fraud-detect  active   2 data-preparation     2025-12-31 15:04:05  Ana Lima (data-engineer), Bo Chen (devops); 1 back-jump, criterion 5 done
# churn-model   active   3 prototyping-testing  2025-12-20 03:04:05  Ana Lima (sponsor, data-scientist), Bo Chen + Zoë (ai-engineer),
#                                                                    Zoë (data-engineer); + feature-store; criteria 8, 9 done
# empty-idea    active   1 feasibility          2026-01-02 03:04:05  nobody
#
# Reports run at 2026-01-02T03:04:05.678Z: days in stage 13.0 (churn-model),
# 0.0 (empty-idea), 1.5 (fraud-detect), 123.1 (vision-qc).

begin "the fixture portfolio builds"
at 2025-03-01T10:00:00.000Z
ok project create legacy-bot --description 'Old FAQ bot'
ok role assign legacy-bot sponsor 'Bo Chen'
ok project close legacy-bot --reason 'replaced by a vendor product'
at 2025-06-01T08:00:00.000Z
ok project create vision-qc
ok role assign vision-qc sponsor 'Ana Lima'
ok role assign vision-qc devops "$ZOE"
ok component remove vision-qc data-out
at 2025-06-15T08:00:00.000Z
ok stage advance vision-qc --force --reason 'pilot approved'
at 2025-07-01T08:00:00.000Z
ok stage advance vision-qc --force --reason 'data ready'
at 2025-08-01T08:00:00.000Z
ok stage advance vision-qc --force --reason 'prototype ok'
at 2025-09-01T00:00:00.000Z
ok stage advance vision-qc --force --reason 'built'
at 2025-09-10T00:00:00.000Z
ok project hold vision-qc --reason 'budget freeze'
at 2025-10-01T12:00:00.000Z
ok project create fraud-detect
ok role assign fraud-detect data-engineer 'Ana Lima'
ok role assign fraud-detect devops 'Bo Chen'
at 2025-10-15T12:00:00.000Z
ok stage advance fraud-detect --force --reason 'urgent'
at 2025-11-01T12:00:00.000Z
ok stage advance fraud-detect --force --reason 'urgent'
at 2025-11-20T12:00:00.000Z
ok stage advance fraud-detect --force --reason 'urgent'
at 2025-12-31T15:04:05.678Z
ok stage back fraud-detect --to data-preparation --reason 'drift in prod'
ok gate "done" fraud-detect 5
at 2025-11-01T09:00:00.000Z
ok project create churn-model --description 'Churn model'
ok role assign churn-model sponsor 'Ana Lima'
ok role assign churn-model data-scientist 'Ana Lima'
ok role assign churn-model ai-engineer 'Bo Chen'
ok role assign churn-model ai-engineer "$ZOE"
ok role assign churn-model data-engineer "$ZOE"
ok component add churn-model feature-store --owner data-engineer --description 'Features, "fresh" daily'
at 2025-12-01T00:00:00.000Z
ok stage advance churn-model --force --reason 'go'
at 2025-12-20T03:04:05.678Z
ok stage advance churn-model --force --reason 'go'
ok gate "done" churn-model 8
ok gate "done" churn-model 9
at "$NOW"
ok project create empty-idea --description 'Nobody yet'
run stage show fraud-detect --format json
jq_out '.stage' data-preparation
run stage show vision-qc --format json
jq_out '.status + " " + .stage' "on-hold deployment"

snap # the reports below must not write

# ---- every report in every format, byte for byte ---------------------------
#
# Checked by hand against the fixture and schemas/lifecycle.yaml:
# - roles: the RACI letters are the default lifecycle's; gaps are exactly the A/R cells whose
#   role has nobody: churn-model 3 (data-preparation data-analyst R,
#   productization devops R, deployment devops A), empty-idea all 11,
#   fraud-detect 6, vision-qc 8 = 28; '*' / bold marks the current stage.
#   Text columns are aligned by display width (Zoë is 15 columns, 16 bytes).
# - people: on the hook = A or R at the project's current stage; sole = the
#   only holder of that role on the project.
# - status: gate met/total of the current stage; back-jumps = `stage back`s;
#   gaps = A/R roles of the current stage with nobody.

for report in roles people status; do
	for fmt in text json yaml csv markdown; do
		case $fmt in
		text) ext=txt ;;
		markdown) ext=md ;;
		*) ext=$fmt ;;
		esac
		begin "report $report --format $fmt matches expected/report/$report.$ext"
		run report "$report" --format "$fmt"
		expect_rc 0
		expect_err ""
		same_as "$report.$ext"
	done
done

begin "the text format is the default"
run report roles
expect_rc 0
same_as roles.txt

begin "reports do not write to the store"
expect_unchanged

# ---- JSON: parsed by jq ----------------------------------------------------

begin "report roles json: parses, projects in order, closed one left out"
run report roles --format json
jq_out '.aiproj' 1
jq_out '[.projects[].project] | join(",")' "churn-model,empty-idea,fraud-detect,vision-qc"
jq_out '[.projects[] | .project + "@" + .stage + "/" + (.stage_number | tostring)] | join(" ")' \
	"churn-model@prototyping-testing/3 empty-idea@feasibility/1 fraud-detect@data-preparation/2 vision-qc@deployment/5"
jq_out '[.projects[] | [.matrix[] | select(.current) | .stage] | join(",")] | join(" ")' \
	"prototyping-testing feasibility data-preparation deployment"

begin "report roles json: the matrix letters are the default lifecycle's, in every project"
run report roles --format json
jq_out '[.projects[] | [.matrix[0].cells[] | .role] | join(",")] | unique | join(" ")' \
	"sponsor,data-analyst,data-engineer,data-scientist,ai-engineer,devops"
# role -> letters for stages 1..5
jq_out '[.projects[] | [.matrix[].cells[]] | group_by(.role) | map(.[0].role + ":" + (map(.raci) | join(""))) | join(" ")] | unique | join("\n")' \
	"ai-engineer:RIRRI data-analyst:CRICI data-engineer:IARAI data-scientist:IIAII devops:IIIRA sponsor:AIIII"

begin "report roles json: people in each cell, a role with two people"
run report roles --format json
jq_out '.projects[0].matrix[2].cells[] | select(.role == "ai-engineer") | .people | join("/")' "Bo Chen/$ZOE"
jq_out '.projects[0].matrix[4].cells[] | select(.role == "data-engineer") | .people | join("/")' "$ZOE"
jq_out '.projects[0].matrix[0].cells[] | select(.role == "data-scientist") | .people | join("/")' "Ana Lima"
jq_out '[.projects[] | select(.project == "empty-idea") | .matrix[].cells[].people[]] | length' 0

begin "report roles json: gaps are exactly the A/R cells with nobody"
run report roles --format json
jq_out '[.projects[] | .project + ":" + ([.matrix[].cells[] | select(.gap)] | length | tostring)] | join(" ")' \
	"churn-model:3 empty-idea:11 fraud-detect:6 vision-qc:8"
jq_out '[.projects[].matrix[].cells[] | select(((.raci == "A" or .raci == "R") and (.people | length) == 0) != .gap)] | length' 0
jq_out '[.projects[] | (.gaps | length) == ([.matrix[].cells[] | select(.gap)] | length)] | all' true
jq_out '[.projects[0].gaps[] | .stage + ":" + .role + ":" + .raci] | join(" ")' \
	"data-preparation:data-analyst:R productization:devops:R deployment:devops:A"
jq_out '[.projects[] | select(.project == "fraud-detect") | .gaps[] | select(.current) | .role] | join(",")' "data-analyst"

begin "report roles json: components by owner role"
run report roles --format json
jq_out '[.projects[0].components[] | .name + ":" + .owner] | join(" ")' \
	"data-out:ai-engineer data-in:data-engineer feature-store:data-engineer model:data-scientist"
jq_out '[.projects[] | select(.project == "vision-qc") | .components[].name] | join(",")' "data-in,model"

begin "report people json: each person's projects, roles and what they are on the hook for"
run report people --format json
jq_out '.aiproj' 1
jq_out '[.people[].person] | join("/")' "Ana Lima/Bo Chen/$ZOE"
jq_out '[.people[] | .person + ":" + (.assignments | length | tostring)] | join(" ")' \
	"Ana Lima:4 Bo Chen:2 $ZOE:3"
jq_out '[.people[] | select(.person == "Ana Lima") | .assignments[] | select(.project == "churn-model") | .role] | join(",")' \
	"data-scientist,sponsor"
jq_out '[.people[] | .person as $p | .assignments[] | select(.on_the_hook) | $p + "@" + .project + ":" + .role + "=" + .raci_now + (if .sole then "!" else "" end)] | join(" ")' \
	"Ana Lima@churn-model:data-scientist=A! Ana Lima@fraud-detect:data-engineer=A! Bo Chen@churn-model:ai-engineer=R $ZOE@churn-model:ai-engineer=R $ZOE@churn-model:data-engineer=R! $ZOE@vision-qc:devops=A!"
jq_out '[.people[].assignments[] | select(.project == "empty-idea" or .project == "legacy-bot")] | length' 0

begin "report status json: stage, days in stage, gate progress, back-jumps, gaps"
run report status --format json
jq_out '.aiproj' 1
jq_out '[.projects[] | [.project, .status, .stage, (.stage_number | tostring), (.days_in_stage | tostring), "\(.gate.met)/\(.gate.total)", (.back_jumps | tostring), (.gaps | join(","))] | join("|")] | join(" ")' \
	"churn-model|active|prototyping-testing|3|13|5/8|0| empty-idea|active|feasibility|1|0|0/9|0|sponsor,ai-engineer fraud-detect|active|data-preparation|2|1.5|2/6|1|data-analyst vision-qc|on-hold|deployment|5|123.1|1/5|0|"
jq_out '.projects[2].entered_at' "2025-12-31T15:04:05.678Z"

# ---- YAML: parsed by PyYAML, the same data as the JSON ---------------------

for report in roles people status; do
	begin "report $report yaml parses (PyYAML) to the same data as the json"
	run report "$report" --format json
	cp "$T_DIR/out" "$T_DIR/$report.json"
	run report "$report" --format yaml
	expect_rc 0
	py "import sys, json, yaml
y = yaml.safe_load(sys.stdin)
j = json.load(open('$T_DIR/$report.json', encoding='utf-8'))
print('ok' if y == j else 'yaml and json differ: %r' % (y,))"
done

begin "report yaml values: names with quotes and commas, booleans, numbers, stamps"
run report roles --format yaml
py "import sys, yaml
d = yaml.safe_load(sys.stdin)
p = d['projects'][0]
cell = [c for c in p['matrix'][2]['cells'] if c['role'] == 'ai-engineer'][0]
assert d['aiproj'] == 1, d['aiproj']
assert p['project'] == 'churn-model' and p['stage_number'] == 3
assert p['matrix'][2]['current'] is True and p['matrix'][1]['current'] is False
assert cell['people'] == ['Bo Chen', 'Zo\u00eb \"Z\" Ng, PhD'], cell
assert cell['raci'] == 'R' and cell['gap'] is False
assert sum(c['gap'] for q in d['projects'] for m in q['matrix'] for c in m['cells']) == 28
print('ok')"
run report people --format yaml
py "import sys, yaml
d = yaml.safe_load(sys.stdin)
z = d['people'][2]
assert z['person'] == 'Zo\u00eb \"Z\" Ng, PhD', z['person']
assert [(a['project'], a['role'], a['raci_now'], a['sole']) for a in z['assignments']] == [
    ('churn-model', 'ai-engineer', 'R', False),
    ('churn-model', 'data-engineer', 'R', True),
    ('vision-qc', 'devops', 'A', True)], z
print('ok')"
run report status --format yaml
py "import sys, yaml
d = yaml.safe_load(sys.stdin)
v = d['projects'][3]
assert v['project'] == 'vision-qc' and v['status'] == 'on-hold'
assert v['days_in_stage'] == 123.1 and v['gate'] == {'met': 1, 'total': 5, 'passed': False}, v
assert isinstance(v['entered_at'], str) and v['entered_at'] == '2025-09-01T00:00:00.000Z'
assert d['projects'][2]['back_jumps'] == 1 and d['projects'][2]['gaps'] == ['data-analyst']
print('ok')"

# ---- CSV: RFC 4180 --------------------------------------------------------

begin "report roles csv: CRLF line ends, one row per stage x role cell per project"
run report roles --format csv
py "import sys, csv
raw = sys.stdin.buffer.read()
assert raw.endswith(b'\r\n'), 'no CRLF at the end'
assert raw.count(b'\n') == raw.count(b'\r\n'), 'a line ends in LF only'
rows = list(csv.reader(raw.decode('utf-8').splitlines()))
assert rows[0] == ['project', 'status', 'stage_number', 'stage', 'current', 'role', 'raci', 'people', 'gap'], rows[0]
body = rows[1:]
assert len(body) == 4 * 5 * 6, len(body)
assert all(len(r) == 9 for r in rows)
assert sorted(set(r[0] for r in body)) == ['churn-model', 'empty-idea', 'fraud-detect', 'vision-qc']
assert len(set((r[0], r[3], r[5]) for r in body)) == 120, 'a cell twice'
assert sum(r[8] == 'yes' for r in body) == 28
assert all((r[8] == 'yes') == (r[6] in 'AR' and r[7] == '') for r in body)
assert [r[3] for r in body if r[0] == 'churn-model' and r[4] == 'yes'] == ['prototyping-testing'] * 6
c = [r for r in body if r[0] == 'churn-model' and r[3] == 'productization' and r[5] == 'ai-engineer'][0]
assert c[6:] == ['R', 'Bo Chen; Zo\u00eb \"Z\" Ng, PhD', 'no'], c
print('ok')"

begin "report csv quotes names holding commas, quotes and UTF-8 (RFC 4180)"
run report roles --format csv
expect_out_has ',"Zoë ""Z"" Ng, PhD",'
expect_out_has ',"Bo Chen; Zoë ""Z"" Ng, PhD",'
run report people --format csv
CRLF=$(printf '\r\n_')
CRLF=${CRLF%_}
expect_out_has "$CRLF\"Zoë \"\"Z\"\" Ng, PhD\",vision-qc,on-hold,devops,deployment,A,yes,yes"
py "import sys, csv
raw = sys.stdin.buffer.read()
assert raw.count(b'\n') == raw.count(b'\r\n'), 'a line ends in LF only'
rows = list(csv.reader(raw.decode('utf-8').splitlines()))
assert all(len(r) == 8 for r in rows)
assert [r[0] for r in rows[1:]].count('Zo\u00eb \"Z\" Ng, PhD') == 3
assert len(rows) == 1 + 9, len(rows)
print('ok')"

begin "report status csv: one row per project, a gap list quoted"
run report status --format csv
expect_out_has ',"sponsor,ai-engineer"'
py "import sys, csv
raw = sys.stdin.buffer.read()
assert raw.count(b'\n') == raw.count(b'\r\n'), 'a line ends in LF only'
rows = list(csv.reader(raw.decode('utf-8').splitlines()))
assert rows[0] == ['project', 'status', 'stage_number', 'stage', 'days_in_stage', 'gate', 'back_jumps', 'gaps', 'later_gaps', 'due', 'days_overdue'], rows[0]
assert [r[0] for r in rows[1:]] == ['churn-model', 'empty-idea', 'fraud-detect', 'vision-qc']
assert rows[2][7] == 'sponsor,ai-engineer' and rows[3][4:7] == ['1.5', '2/6', '1'], rows
print('ok')"

# ---- markdown: GitHub tables ----------------------------------------------

begin "report roles markdown: a GitHub table per project"
run report roles --format markdown
py "import sys
lines = sys.stdin.read().split('\n')
heads = [l for l in lines if l.startswith('### ')]
assert heads == ['### churn-model', '### empty-idea', '### fraud-detect', '### vision-qc'], heads
seps = [i for i, l in enumerate(lines) if l == '|---' * 7 + '|']
assert len(seps) == 4, seps
for i in seps:
    head, rows = lines[i - 1], lines[i + 1:i + 7]
    assert head.startswith('| Role | People |') and head.count('|') == 8, head
    assert all(r.startswith('| ') and r.endswith(' |') and r.replace('\\\\|', '').count('|') == 8 for r in rows), rows
    assert lines[i + 7] == '', lines[i + 7]
assert '| **3 prototyping-testing** |' in lines[seps[0] - 1]
assert sum(l.count('gap**') for l in lines if l.startswith('| ')) == 28
print('ok')"

begin "report people and status markdown: one GitHub table each"
run report people --format markdown
py "import sys
lines = sys.stdin.read().rstrip('\n').split('\n')
assert lines[1] == '|---|---|---|---|---|', lines[1]
assert len(lines) == 2 + 9 and all(l.count('|') == 6 for l in lines), lines
print('ok')"
run report status --format markdown
py "import sys
lines = sys.stdin.read().rstrip('\n').split('\n')
assert lines[1] == '|---|---|---|---|---|---|---|---|---|---|', lines[1]
assert len(lines) == 2 + 4 and all(l.count('|') == 11 for l in lines), lines
print('ok')"

begin "report markdown escapes a pipe in a person's name"
PIPE=$(new_store pipe)
run --db "$PIPE" project create p
run --db "$PIPE" role assign p sponsor 'A|B'
run --db "$PIPE" report roles --format markdown
expect_rc 0
expect_out_has '| sponsor | A\|B |'
run --db "$PIPE" report people --format markdown
expect_out_has '| A\|B | p |'

# ---- text: gaps, 80 columns, alignment ------------------------------------

begin "report roles text: every gap marked in the matrix and listed under it"
run report roles
got=$(printf '%s\n' "$OUT" | grep -c '^  [a-z-]* *[a-z-]* ([AR])')
[ "$got" = 28 ] || _fail "$got gaps listed, expected 28"
got=$(printf '%s\n' "$OUT" | grep -o '[AR]!' | wc -l)
[ "$got" = 28 ] || _fail "$got gaps marked, expected 28"
got=$(printf '%s\n' "$OUT" | grep -c 'current stage')
[ "$got" = 3 ] || _fail "$got current-stage gaps, expected 3 (2 empty-idea, 1 fraud-detect)"

for report in roles people status; do
	begin "report $report text fits in 80 columns"
	run report "$report"
	py "import sys
bad = [l for l in sys.stdin.read().split('\n') if len(l) > 80]
print('ok' if not bad else '%d lines over 80 columns, e.g. %d: %r' % (len(bad), len(bad[0]), bad[0]))"
done

begin "report roles text: matrix columns aligned by display width (UTF-8 names)"
run report roles churn-model
py "import sys
rows = [l for l in sys.stdin.read().split('\n') if l.startswith(('ROLE ', 'sponsor ', 'data-', 'ai-', 'devops '))]
assert len(rows) == 7, rows
# the last letter of every row under the last stage number (a gap adds '!')
assert len(set(len(r.rstrip().rstrip('!')) for r in rows)) == 1, [len(r) for r in rows]
print('ok')"

begin "report people text: columns aligned by display width (UTF-8 names)"
run report people
py "import sys
cols = []
for l in sys.stdin.read().split('\n'):
    for n in ('PROJECT', 'churn-model', 'fraud-detect', 'vision-qc'):
        if ' ' + n + ' ' in l:
            cols.append(l.index(' ' + n + ' ') + 1)
assert len(cols) == 10, cols
assert len(set(cols)) == 1, 'PROJECT starts at columns %r' % cols
print('ok')"

begin "report roles PROJECT... shows only the named projects"
run report roles vision-qc churn-model --format json
expect_rc 0
jq_out '[.projects[].project] | join(",")' "churn-model,vision-qc"
run report roles empty-idea
expect_rc 0
expect_out_has "empty-idea  active  stage 1/5 feasibility"
expect_out_lacks "churn-model"

begin "a project with nobody assigned: all A/R cells are gaps, nobody in people"
run report roles empty-idea --format json
jq_out '[.projects[0].matrix[].cells[] | select(.raci == "A" or .raci == "R") | .gap] | all' true
jq_out '.projects[0].gaps | length' 11
run report people
expect_rc 0
expect_out_lacks "empty-idea"

begin "--all adds the closed project to every report"
run report roles --all --format json
jq_out '[.projects[].project] | join(",")' "churn-model,empty-idea,fraud-detect,legacy-bot,vision-qc"
run report status --all --format csv
expect_out_has "legacy-bot,closed,1,feasibility,"
run report people --all --format json
jq_out '[.people[] | select(.person == "Bo Chen") | .assignments[].project] | join(",")' \
	"churn-model,fraud-detect,legacy-bot"
run report people
expect_out_lacks "legacy-bot"

begin "reports on an empty store"
EMPTY=$(new_store empty)
run --db "$EMPTY" report roles
expect_rc 0
expect_out "No projects."
run --db "$EMPTY" report people
expect_out "Nobody is assigned to any project."
run --db "$EMPTY" report status
expect_out "No projects."
for r in roles people status; do
	run --db "$EMPTY" report $r --format json
	jq_out '[.[]] | map(tostring) | join(",")' "1,[]"
	run --db "$EMPTY" report $r --format csv
	[ "$(wc -l <"$T_DIR/out")" = 1 ] || _fail "csv of $r: not just a header"
done

# ---- the summary rows (schemas/020-summary.sql) ----------------------------
#
# report status reads a summary row a project, made again at the end of
# every write; a project written since by anyone is listed in
# summary_dirty and read live.  The report must be the same either way.

# status_all: report status --all in JSON and text, into $T_DIR/st.json|txt
status_all() {
	"$AIPROJ" report status --all --format json >"$T_DIR/st.json" &&
		"$AIPROJ" report status --all >"$T_DIR/st.txt"
}
# all_listed: every project read live (as if written by another program)
all_listed() {
	store_sql "INSERT INTO summary_dirty SELECT id FROM project
		WHERE id NOT IN (SELECT project_id FROM summary_dirty)" >/dev/null
}
# rows_agree: the summary rows are what the view computes now
rows_agree() {
	_d=$(store_sql "SELECT count(*) FROM (SELECT * FROM project_summary
		EXCEPT SELECT * FROM summary_live) x")
	_n=$(store_sql "SELECT (SELECT count(*) FROM project_summary)
		- (SELECT count(*) FROM project)")
	[ "$_d" = 0 ] && [ "$_n" = 0 ] ||
		_fail "the summary rows differ from summary_live ($_d rows, $_n missing)"
}

begin "summary rows: made by every write, the same as the live view"
[ "$(store_sql "SELECT count(*) FROM summary_dirty")" = 0 ] ||
	_fail "aiproj's writes left projects listed"
rows_agree
status_all || _fail "report status failed"
cp "$T_DIR/st.json" "$T_DIR/summary.json"
cp "$T_DIR/st.txt" "$T_DIR/summary.txt"
all_listed
status_all || _fail "report status failed"
cmp -s "$T_DIR/st.json" "$T_DIR/summary.json" ||
	_fail "json from the live view differs from the summary rows'" \
		"$(diff "$T_DIR/summary.json" "$T_DIR/st.json" | head -20)"
cmp -s "$T_DIR/st.txt" "$T_DIR/summary.txt" ||
	_fail "text from the live view differs from the summary rows'"

begin "summary rows: a write by another program is in the next report"
ok note churn-model 'summaries made again' # (lists none, makes all)
[ "$(store_sql "SELECT count(*) FROM summary_dirty")" = 0 ] ||
	_fail "a write did not make the listed projects' rows"
rows_agree
_open=$(store_sql "SELECT count(*) FROM criterion c JOIN project p
	ON p.id = c.project_id WHERE p.name = 'churn-model'
	AND c.stage = p.stage AND c.done = 0")
# tick every criterion of churn-model's and give it a due date and a
# back-jump, behind aiproj's back: the triggers list it
store_sql "UPDATE criterion SET done = 1 WHERE project_id =
	(SELECT id FROM project WHERE name = 'churn-model');
	INSERT INTO event (project_id, kind, subject, detail, actor, at)
	SELECT id, 'due', stage, '2020-01-01', 'psql', entered_at FROM project
	WHERE name = 'churn-model';
	INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, at)
	SELECT id, stage, stage, 'back', 'psql', entered_at FROM project
	WHERE name = 'churn-model'" >/dev/null
[ "$(store_sql "SELECT count(*) FROM summary_dirty d JOIN project p
	ON p.id = d.project_id WHERE p.name = 'churn-model'")" = 1 ] ||
	_fail "the other program's writes did not list the project"
_was=$(jq -r '.projects[] | select(.project == "churn-model") |
	"\(.gate.met) \(.back_jumps + 1)"' "$T_DIR/summary.json")
run report status --all --format json
expect_rc 0
jq_out '[.projects[] | select(.project == "churn-model") |
	"\(.due) \(.back_jumps)"] | join(",")' "2020-01-01 ${_was#* }"
[ "$_open" -gt 0 ] || _fail "churn-model had no open criterion to tick"
jq_out '.projects[] | select(.project == "churn-model") | .gate.met > '"${_was% *}" true
cp "$T_DIR/out" "$T_DIR/listed.json"
all_listed
run report status --all --format json
cmp -s "$T_DIR/out" "$T_DIR/listed.json" ||
	_fail "one project listed reads differently from all listed"
ok note churn-model 'made again'
rows_agree
run report status --all --format json
cmp -s "$T_DIR/out" "$T_DIR/listed.json" ||
	_fail "the rows made again read differently from the live view"

begin "summary rows: a rename replaces the project's row, and back"
ok project rename churn-model churn-x
rows_agree
run report status --all --format json
jq_out '[.projects[].project | select(startswith("churn"))] | join(",")' churn-x
ok project rename churn-x churn-model
rows_agree
run report status --all --format json
cmp -s "$T_DIR/out" "$T_DIR/listed.json" ||
	_fail "renamed and back, the report is not the same"

# ---- colour ---------------------------------------------------------------

ESC=$(printf '\033')

begin "no colour when stdout is a pipe"
for r in roles people status; do
	runsh "\"\$AIPROJ\" report $r | cat"
	expect_rc 0
	expect_out_lacks "$ESC"
done
[ -n "$OUT" ] || _fail "no output"

if command -v script >/dev/null 2>&1; then
	begin "colour on a terminal: the roles report has escape codes"
	runsh "script -qc '\"\$AIPROJ\" report roles' /dev/null"
	expect_rc 0
	expect_out_has "${ESC}["
	expect_out_has "churn-model"

	begin "NO_COLOR: no escape codes even on a terminal"
	for r in roles people status; do
		runsh "NO_COLOR=1 script -qc '\"\$AIPROJ\" report $r' /dev/null"
		expect_rc 0
		expect_out_has "vision-qc"
		expect_out_lacks "$ESC"
	done

	begin "--no-color: no escape codes on a terminal"
	runsh "script -qc '\"\$AIPROJ\" --no-color report roles' /dev/null"
	expect_rc 0
	expect_out_has "churn-model"
	expect_out_lacks "$ESC"

	begin "no escape codes in json, yaml, csv, markdown on a terminal"
	for f in json yaml csv markdown; do
		runsh "script -qc '\"\$AIPROJ\" report roles --format $f' /dev/null"
		expect_rc 0
		expect_out_has "churn-model"
		expect_out_lacks "$ESC"
	done
else
	echo "  t_report.sh: skipping the terminal colour tests: no script(1)" >&2
fi


# ---- report people and roles from summary rows (022-people-summary.sql) ---
#
# Over the whole portfolio by status alone, a file store reads report
# people from people_summary (a row an assignment, keyed in the report's
# order: person, project name, role) and report roles from the lists folded
# in project_summary; a project listed in summary_dirty is read live.  With
# a limit past the portfolio both reports read the live tables (the
# statement every other filter takes): the two must be the same, however
# the store was written.

# pr_run NAME [ARGS]: report people (active and --all) and roles --all in
# text, JSON and CSV, ARGS added, into $T_DIR/NAME.*
pr_run() {
	_n=$1
	shift
	for _f in text json csv; do
		"$AIPROJ" report people "$@" --format $_f >"$T_DIR/$_n.p.$_f" &&
			"$AIPROJ" report people --all "$@" --format $_f \
				>"$T_DIR/$_n.pa.$_f" &&
			"$AIPROJ" report roles --all "$@" --format $_f \
				>"$T_DIR/$_n.ra.$_f" ||
			_fail "report people or roles failed ($_n)"
	done
}
# pr_same A B: the reports of pr_run A and B are byte for byte the same
pr_same() {
	for _x in p pa ra; do
		for _f in text json csv; do
			cmp -s "$T_DIR/$1.$_x.$_f" "$T_DIR/$2.$_x.$_f" ||
				_fail "report $_x ($_f): $1 and $2 differ" \
					"$(diff "$T_DIR/$1.$_x.$_f" \
						"$T_DIR/$2.$_x.$_f" | head -20)"
		done
	done
}
# pr_check NAME: the reports now, from the summary rows and from the live
# tables, the same
pr_check() {
	pr_run "$1"
	pr_run "$1-live" --limit 100000
	pr_same "$1" "$1-live"
}
# people_agree: on a file store, the assignments' rows are what the view
# computes now
people_agree() {
	is_file_store || return 0
	_d=$(store_sql "SELECT count(*) FROM (SELECT * FROM people_summary
		EXCEPT SELECT * FROM people_live) x")
	_n=$(store_sql "SELECT (SELECT count(*) FROM people_summary)
		- (SELECT count(*) FROM assignment)")
	[ "$_d" = 0 ] && [ "$_n" = 0 ] ||
		_fail "people_summary differs from people_live ($_d rows, $_n more)"
}
# pat: Pat Order's assignments in report people --all, as
# project/role/sole/title
pat() {
	run report people --all --format json
	expect_rc 0
	jq_out '[.people[] | select(.person == "Pat Order") | .assignments[] |
		"\(.project)/\(.role)/\(.sole)/\(.title // "")"] | join(" ")' "$1"
}

begin "people and roles summary rows: a person's projects by name, roles by name, holders counted"
# (made in the order opposite to their names': ids do not order them)
ok project create pz-one
ok project create pa-two
ok role assign pz-one sponsor 'Pat Order'
ok role assign pa-two sponsor 'Pat Order'
ok role assign pa-two sponsor 'Quinn Two'
ok role assign pa-two devops 'Pat Order'
ok component add pa-two feed --owner devops --description 'the feed'
people_agree
rows_agree
pat "pa-two/devops/false/ pa-two/sponsor/false/ pz-one/sponsor/true/"
pr_check made

begin "people and roles summary rows: a write by another program is in the next report"
# behind aiproj's back: pz-one renamed before pa-two, Quinn Two's sponsor
# of pa-two taken away (Pat Order its sole sponsor now), a title, a
# component; the triggers list both projects
store_sql "UPDATE project SET name = 'pa-one' WHERE name = 'pz-one';
	DELETE FROM assignment WHERE person = 'Quinn Two';
	UPDATE assignment SET title = 'chair' WHERE person = 'Pat Order'
	AND role = 'devops';
	INSERT INTO component (project_id, name, owner, description)
	SELECT id, 'aa-part', 'sponsor', 'behind its back' FROM project
	WHERE name = 'pa-two'" >/dev/null
[ "$(store_sql "SELECT count(*) FROM summary_dirty d JOIN project p
	ON p.id = d.project_id WHERE p.name IN ('pa-one', 'pa-two')")" = 2 ] ||
	_fail "the other program's writes did not list the projects"
pat "pa-one/sponsor/true/ pa-two/devops/false/chair pa-two/sponsor/true/"
run report roles --all --format json
jq_out '[.projects[] | select(.project == "pa-two") | .components[] |
	"\(.name):\(.owner)"] | join(" ")' \
	"data-out:ai-engineer data-in:data-engineer model:data-scientist feed:devops aa-part:sponsor"
pr_check listed
all_listed
pr_run all-listed
pr_same listed all-listed

begin "people and roles summary rows: made again by aiproj's next write"
ok note churn-model 'people made again'
[ "$(store_sql "SELECT count(*) FROM summary_dirty")" = 0 ] ||
	_fail "a write did not make the listed projects' rows"
people_agree
rows_agree
pr_run remade
pr_same listed remade
ok project rename pa-one pz-one
people_agree
pat "pa-two/devops/false/chair pa-two/sponsor/true/ pz-one/sponsor/true/"
ok project delete pz-one --yes
people_agree
pr_check deleted

finish
