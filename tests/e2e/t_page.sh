# report page and report timeline: the page is one self-contained HTML
# file (no script, nothing loaded from anywhere, a strict CSP), every store
# text in it is inert, its SVG is well-formed XML and its numbers match the
# store; chromium (headless) opens it, shows no console error and takes
# screenshots (light and dark) into build/.  Timelines as a Mermaid gantt
# that a small grammar accepts, and as JSON whose days match the history.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3

# at DAY ARGS...: aiproj -q ARGS at 09:00 on day DAY after 2025-01-01
at() {
	_d=$1
	shift
	AIPROJ_NOW=$(date -u -d "2025-01-01 + $_d days" +%Y-%m-%dT09:00:00.000Z) \
		"$AIPROJ" -q "$@" || echo "fixture: aiproj $* failed" >&2
}
# a portfolio of 20 projects with history: forced moves, back-jumps, held
# and closed ones, people (two of them hostile) in some roles
people='Ana Lima|Bo Chen|"><img src=x onerror=alert(1)>|Dee Ng|<script>alert(2)</script>|Fay Oku'
i=0
for n in churn-model fraud-score demand-fcst ocr-invoices chat-assist \
	pricing-opt route-plan lead-score doc-search anomaly-ops recsys-v2 \
	voice-intake risk-credit supply-eta image-qc tax-classify hr-attrition \
	ad-bidder energy-load claims-triage; do
	i=$((i + 1))
	d=$((i * 11))
	at "$d" project create "$n"
	at "$d" role assign "$n" sponsor "$(echo "$people" | cut -d'|' -f$((i % 6 + 1)))"
	[ $((i % 3)) = 0 ] ||
		at "$d" role assign "$n" data-scientist "$(echo "$people" | cut -d'|' -f$(((i + 2) % 6 + 1)))"
	[ $((i % 4)) = 0 ] &&
		at "$d" role assign "$n" data-engineer "$(echo "$people" | cut -d'|' -f$(((i + 4) % 6 + 1)))"
	k=0
	while [ "$k" -lt $((i % 5)) ]; do
		k=$((k + 1))
		d=$((d + 9 + (i * k) % 23))
		at "$d" stage advance "$n" --force --reason "step $k"
	done
	if [ $((i % 6)) = 0 ] && [ $((i % 5)) -ge 2 ]; then
		at $((d + 12)) stage back "$n" --to feasibility --reason 'the data was wrong'
		d=$((d + 32))
		at "$d" stage advance "$n" --force --reason again
	fi
	[ $((i % 7)) = 0 ] && at $((d + 5)) project hold "$n" --reason budget
	[ $((i % 8)) = 0 ] && at $((d + 6)) project close "$n" --reason done
done
# in production: ocr-invoices has 1.0 live, a breach of its KPI, then
# 1.1 supersedes 1.0 (the breach stays open); energy-load has 2.0 live;
# churn-model's stage was due on 2025-12-01 (19 days overdue), fraud-score's
# is due in 2026
at 300 kpi add ocr-invoices auc --target '>= 0.8'
at 301 release add ocr-invoices 1.0
at 310 kpi record ocr-invoices auc 0.7
at 320 release add ocr-invoices 1.1
at 330 release add energy-load 2.0
at 331 stage due churn-model 2025-12-01
at 331 stage due fraud-score 2026-01-31
export AIPROJ_NOW=2025-12-20T12:00:00.000Z

# check.py FILE STATUS.json STAGES [ROLES.json]: the page's structure
# against report status (the cards' release live, days overdue and open
# breaches too) and each project's roles against report roles: prints one
# line per problem
cat >"$T_DIR/check.py" <<'EOF_PY'
import json, re, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
page = open(sys.argv[1], encoding="utf-8").read()
status = json.load(open(sys.argv[2]))["projects"]
stages = sys.argv[3].split()
bad = []
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.tags = []; s.cols = {}; s.projects = set(); s.text = []
        s.fig = None; s.roles = {}; s.row = None
    def handle_starttag(s, tag, attrs):
        a = dict(attrs); s.tags.append((tag, a))
        if tag == "figure": s.fig = a.get("data-project"); s.roles[s.fig] = {}
        if tag == "tr": s.row = None
        if tag == "tr" and s.fig and "data-role" in a:
            s.row = s.roles[s.fig][a["data-role"]] = []
        if tag == "td" and s.row is not None:
            s.row.append([a.get("class") == "gap", ""])
        for k, v in attrs:
            if k.startswith("on"): bad.append("event handler attribute %s on <%s>" % (k, tag))
            if k in ("src", "href", "xlink:href", "action", "srcset", "poster", "data") and tag != "object" and not (v or "").startswith("#"):
                bad.append("<%s %s=%r> points outside the page" % (tag, k, v))
        if tag in ("script", "img", "iframe", "link", "object", "embed", "image", "use", "audio", "video", "form", "base"):
            bad.append("element <%s> on the page" % tag)
        if tag == "div" and "col" in (a.get("class") or "").split():
            s.cols[a["data-stage"]] = int(a["data-count"])
        if "data-project" in a and tag == "div": s.projects.add(a["data-project"])
    def handle_data(s, d):
        s.text.append(d)
        if s.row: s.row[-1][1] = (s.row[-1][1] + d).strip()
    def handle_endtag(s, tag):
        if tag in ("table", "figure"): s.row = None
        if tag == "figure": s.fig = None
p = P(); p.feed(page)
text = "".join(p.text)
if re.search(r"url\(|https?:|//[a-z]", page.split("<body>", 1)[-1]): bad.append("a URL in the body")
if "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">" not in page:
    bad.append("no strict CSP")
if "prefers-color-scheme:dark" not in page: bad.append("no dark scheme")
if "@media print" not in page: bad.append("no print style")
if list(p.cols) != stages: bad.append("board columns %s, expected %s" % (list(p.cols), stages))
for s in stages:
    want = sum(1 for r in status if r["stage"] == s and r["status"] == "active")
    if p.cols.get(s) != want: bad.append("column %s counts %s, expected %d" % (s, p.cols.get(s), want))
names = {r["project"] for r in status}
rest = set(re.findall(r"<tr><td>([^<]+)<td>", page.split('id="rest"', 1)[1]))
if p.projects | rest != names: bad.append("projects on the board: %s" % sorted(names ^ (p.projects | rest)))
for n in names:
    if 'figure data-project="%s"' % n not in page and len(names) <= 200: bad.append("no timeline for %s" % n)
m = re.search(r'data-projects="(\d+)"', page)
if not m or int(m.group(1)) != len(names): bad.append("summary count")
for svg in re.findall(r"<svg.*?</svg>", page, re.S):
    try: ET.fromstring(svg)
    except ET.ParseError as e: bad.append("SVG not well-formed: %s" % e)
if len(re.findall(r"<svg", page)) < 2 + min(len(names), 200): bad.append("too few SVG charts")
by = {r["project"]: r for r in status}
for tag, a in p.tags:
    if tag != "div" or "card" not in (a.get("class") or "").split(): continue
    r = by[a["data-project"]]
    live = (r["live"] or {}).get("version")
    got = (a.get("data-live"), int(a["data-overdue"]), int(a["data-breaches"]))
    if got != (live, r["days_overdue"], r["open_breaches"]):
        bad.append("card %s: live, overdue, breaches %s, expected %s" % (r["project"], got, (live, r["days_overdue"], r["open_breaches"])))
if len(sys.argv) > 4:
    for pr in json.load(open(sys.argv[4]))["projects"]:
        if pr["project"] not in p.roles: continue
        want = {}
        for st in pr["matrix"]:
            for cell in st["cells"]:
                w = want.setdefault(cell["role"], [[False, ", ".join(cell["people"]) or "\u2013"]])
                w.append([cell["gap"], cell["raci"] + ("!" if cell["gap"] else "")])
        if p.roles[pr["project"]] != want:
            bad.append("roles of %s: %s, expected %s" % (pr["project"], p.roles[pr["project"]], want))
print("\n".join(bad))
EOF_PY
stages=$("$AIPROJ" __complete stages | tr '\n' ' ')
"$AIPROJ" --format json report status --all >"$T_DIR/status.json"
"$AIPROJ" --format json report roles --all >"$T_DIR/roles.json"

begin "report page: one HTML5 document on stdout, every section"
run report page
expect_rc 0
expect_err ""
case $OUT in "<!DOCTYPE html>"*"</html>") ;; *) _fail "not an HTML document" ;; esac
for id in board held closed rest raci hook time flow timelines; do
	expect_out_has "id=\"$id\""
done
expect_out_has '20 projects: 16 active, 2 on hold, 2 closed; 1 overdue, 2 with a release live, 1 with an open breach.'
printf '%s\n' "$OUT" >"$T_DIR/page.html"

begin "report page: board counts, projects, releases, overdue and breaches match report status; roles report roles; SVG well-formed; nothing external"
runsh "$PY '$T_DIR/check.py' '$T_DIR/page.html' '$T_DIR/status.json' '$stages' '$T_DIR/roles.json'"
expect_rc 0
expect_out ""
expect_err ""

begin "report page: hostile people are text, not markup"
expect_unchanged_out=$(cat "$T_DIR/page.html")
case $expect_unchanged_out in
*'&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'*'&lt;script&gt;alert(2)&lt;/script&gt;'*) ;;
*'&lt;script&gt;alert(2)&lt;/script&gt;'*'&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'*) ;;
*) _fail "the hostile names are not shown escaped" ;;
esac
grep -q '<script\|<img' "$T_DIR/page.html" && _fail "markup from the store on the page"

begin "report page: the numbers: time in stage and flow against the timelines, report status and report flow"
"$AIPROJ" project list --all --format json | jq -r '.projects[].project' >"$T_DIR/names"
while read -r n; do
	"$AIPROJ" --format json report timeline "$n" | jq -c '.visits[]'
done <"$T_DIR/names" >"$T_DIR/visits"
[ "$(wc -l <"$T_DIR/visits")" -ge 40 ] || _fail "too few visits: $(wc -l <"$T_DIR/visits")"
runsh "$PY - '$T_DIR/page.html' '$T_DIR/visits' <<'EOF_PY'
import json, math, re, sys
page = open(sys.argv[1]).read()
by = {}
for line in open(sys.argv[2]):
    v = json.loads(line); by.setdefault(v['stage'], []).append(v['days'])
meds = dict(zip(re.findall(r'data-stage=\"([a-z-]+)\" data-now', page), re.findall(r'data-now=\"(\d+)\"', page)))
got = re.findall(r'data-median=\"([0-9.]+)\"', page)
p90 = re.findall(r'data-p90=\"([0-9.]+)\"', page)
for i, s in enumerate(meds):
    d = sorted(by.get(s, []))
    if not d: continue
    m = d[math.ceil(0.5 * len(d)) - 1]; q = d[math.ceil(0.9 * len(d)) - 1]
    if abs(float(got[i]) - m) > 0.06 or abs(float(p90[i]) - q) > 0.06:
        print('stage %s: median %s p90 %s, timelines say %s %s' % (s, got[i], p90[i], m, q))
EOF_PY"
expect_rc 0
expect_out ""
# the flow's last point: projects not closed, by stage
for s in $stages; do
	want=$(jq -r --arg s "$s" '[.projects[] | select(.stage == $s and .status != "closed")] | length' "$T_DIR/status.json")
	grep -q "data-stage=\"$s\" data-now=\"$want\"" "$T_DIR/page.html" ||
		_fail "flow: $s now $(grep -o "data-stage=\"$s\" data-now=\"[0-9]*\"" "$T_DIR/page.html"), expected $want"
done
# and as report flow has it: its work in progress at the end, by stage
"$AIPROJ" --format json report flow >"$T_DIR/flow.json"
for s in $stages; do
	want=$(jq -r --arg s "$s" '.stages[] | select(.stage == $s) | .wip' "$T_DIR/flow.json")
	grep -q "data-stage=\"$s\" data-now=\"$want\"" "$T_DIR/page.html" ||
		_fail "flow: $s now $(grep -o "data-stage=\"$s\" data-now=\"[0-9]*\"" "$T_DIR/page.html"), report flow says $want"
done

begin "report page: a timeline marks releases while they were live and breach readings"
fig=$(sed -n '/<figure data-project="ocr-invoices">/,/<\/figure>/p' "$T_DIR/page.html")
[ "$(printf '%s' "$fig" | grep -c '<rect class="release')" = 2 ] || _fail "ocr-invoices: not 2 releases" "$fig"
printf '%s' "$fig" | grep -q '<rect class="release now"[^>]*><title>release 1.1 at 2025-11-17, live</title>' ||
	_fail "ocr-invoices: 1.1 not live on the timeline"
printf '%s' "$fig" | grep -q '<rect class="release"[^>]*><title>release 1.0 at 2025-10-29</title>' ||
	_fail "ocr-invoices: 1.0 not on the timeline"
printf '%s' "$fig" | grep -q '<polygon class="breach"[^>]*><title>breach of auc at 2025-11-07</title>' ||
	_fail "ocr-invoices: no breach on the timeline"
printf '%s' "$fig" | grep -q '<span class="live">live 1.1</span> <span class="gap">1 open breach</span>' ||
	_fail "ocr-invoices: its caption"
fig=$(sed -n '/<figure data-project="churn-model">/,/<\/figure>/p' "$T_DIR/page.html")
printf '%s' "$fig" | grep -q 'release\|breach' && _fail "churn-model: marks without releases"
printf '%s' "$fig" | grep -q '<span class="late">overdue 19 d</span>' || _fail "churn-model: not overdue"

# page_filtered NAME ARGS...: the page of ARGS against report status and
# report roles --all ARGS
page_filtered() {
	_n=$1
	shift
	"$AIPROJ" report page "$@" >"$T_DIR/$_n.html"
	"$AIPROJ" --format json report status --all "$@" >"$T_DIR/$_n.json"
	"$AIPROJ" --format json report roles --all "$@" >"$T_DIR/$_n-roles.json"
	runsh "$PY '$T_DIR/check.py' '$T_DIR/$_n.html' '$T_DIR/$_n.json' '$stages' '$T_DIR/$_n-roles.json'"
	expect_rc 0
	expect_out ""
}

begin "report page --stage, --status, --overdue, --person: the projects report status shows"
page_filtered stage --stage data-preparation
grep -q '<p id="summary" data-projects="6">6 projects: 5 active, 0 on hold, 1 closed; 1 overdue' "$T_DIR/stage.html" ||
	_fail "--stage: the summary" "$(grep 'id="summary"' "$T_DIR/stage.html")"
grep -q '<p id="filters">Only the projects that pass <code>--stage data-preparation</code>.</p>' "$T_DIR/stage.html" ||
	_fail "--stage: not said"
page_filtered closed --status closed
grep -q '2 projects: 0 active, 0 on hold, 2 closed;' "$T_DIR/closed.html" || _fail "--status closed"
page_filtered overdue --overdue
grep -q '1 project: 1 active, 0 on hold, 0 closed; 1 overdue,' "$T_DIR/overdue.html" || _fail "--overdue"
grep -q 'data-project="churn-model"' "$T_DIR/overdue.html" || _fail "--overdue: churn-model"
page_filtered person --person 'Ana Lima' --sort -days --limit 5
grep -q 'data-projects="5"' "$T_DIR/person.html" || _fail "--person --limit 5"
grep -q 'pass <code>--person Ana Lima --sort -days --limit 5</code>' "$T_DIR/person.html" || _fail "--person: not said"

begin "report page: a filter's value is text (a hostile person's projects); a bad filter is refused as by report status"
run report page --person '"><img src=x onerror=alert(1)>'
expect_rc 0
expect_out_has '<p id="filters">Only the projects that pass <code>--person &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</code>.</p>'
expect_out_lacks '<img'
# the global options are no filters
run --db "$AIPROJ_DB" -q report page --overdue --format text -o "$T_DIR/q2.html"
expect_rc 0
grep -q '<p id="filters">Only the projects that pass <code>--overdue</code>.</p>' "$T_DIR/q2.html" ||
	_fail "the filters said: $(grep 'id="filters"' "$T_DIR/q2.html")"
run report page --stage nope
expect_rc 2
expect_out ""
expect_err "aiproj: error: unknown stage 'nope' (one of: feasibility, data-preparation, prototyping-testing, productization, deployment)"
run report page --limit 0
expect_rc 2

begin "report page: the table of the projects on no card has their days overdue"
many=$(new_store many)
k=0
while [ "$k" -lt 51 ]; do
	k=$((k + 1))
	"$AIPROJ" -q --db "$many" project create "$(printf 'p%02d' "$k")"
done
"$AIPROJ" -q --db "$many" stage due p51 2025-12-10
run --db "$many" report page
expect_rc 0
expect_out_has '<h3 id="rest">Every other project <small class="mute" data-count="1">1</small></h3>'
expect_out_has '<tr><td>p51<td>active<td>feasibility<td class=n>0.0<td>0/9<td class=n>0<td class=gap>2<td class="n late">10<td><td>'
expect_out_has '51 projects: 51 active, 0 on hold, 0 closed; 1 overdue,'

begin "report page: an empty store gives a page too"
empty=$(new_store empty)
run --db "$empty" report page
expect_rc 0
expect_out_has '0 projects: 0 active, 0 on hold, 0 closed; 0 overdue, 0 with a release live, 0 with an open breach.'
expect_out_has 'Every project is on a card above.'

begin "report page -o: written whole, said on stderr; -o - is stdout"
run report page -o "$T_DIR/out.html"
expect_rc 0
expect_out ""
expect_err "aiproj: wrote the page of 20 projects to $T_DIR/out.html"
cmp -s "$T_DIR/out.html" "$T_DIR/page.html" || _fail "-o wrote something else than stdout"
run -q report page -o "$T_DIR/q.html"
expect_rc 0
expect_err ""
run report page -o -
expect_rc 0
case $OUT in "<!DOCTYPE html>"*) ;; *) _fail "-o - is not stdout" ;; esac
ln -s out.html "$T_DIR/link.html"
run report page -o "$T_DIR/link.html"
expect_rc 0
[ -L "$T_DIR/link.html" ] || _fail "the link was replaced"
run report page -o "$T_DIR"
expect_rc 2
expect_err "aiproj: error: cannot write '$T_DIR': it is a directory"

if is_file_store; then
	begin "report page -o: the store itself is refused, untouched"
	snap
	run report page -o "$AIPROJ_DB"
	expect_rc 2
	expect_err "aiproj: error: cannot write '$AIPROJ_DB': it is the store '$AIPROJ_DB'; nothing was written"
	expect_unchanged

	begin "report page: a stage name from a hostile lifecycle is text"
	sed 's/    name: Idea/    name: "<script>alert(3)<\/script>"/' \
		"$root/tests/e2e/lifecycles/three.yaml" >"$T_DIR/h.yaml"
	"$AIPROJ" -q --db "$T_DIR/h.db" init --lifecycle "$T_DIR/h.yaml"
	"$AIPROJ" -q --db "$T_DIR/h.db" project create x
	run --db "$T_DIR/h.db" report page
	expect_rc 0
	expect_out_has '1 &lt;script&gt;alert(3)&lt;/script&gt;'
	expect_out_lacks '<script'
else
	skipped_after "if is_file_store; then" "the store file and a custom lifecycle"
fi

# ---- in a real browser ----
have_chromium() {
	command -v chromium >/dev/null 2>&1 && return 0
	[ "$T_FAILED" = 0 ] && T_FAILED=skip
	return 1
}
# chromium headless, its own profile in $T_DIR; stderr to $T_DIR/chrome.err
chrome() {
	timeout 120 chromium --headless --disable-gpu --no-sandbox --no-first-run \
		--user-data-dir="$T_DIR/chrome" --enable-logging=stderr --v=0 "$@" \
		2>"$T_DIR/chrome.err"
}

begin "chromium: the DOM has every project and stage, counts right, nothing injected"
if have_chromium; then
	chrome --dump-dom "file://$T_DIR/page.html" >"$T_DIR/dom.html"
	[ -s "$T_DIR/dom.html" ] || _fail "chromium dumped no DOM" "$(tail -5 "$T_DIR/chrome.err")"
	T_CMD="check.py over chromium's DOM"
	got=$($PY "$T_DIR/check.py" "$T_DIR/dom.html" "$T_DIR/status.json" "$stages" "$T_DIR/roles.json" 2>&1)
	[ -z "$got" ] || _fail "the DOM" "$got"
	grep -q '<img\|<script' "$T_DIR/dom.html" && _fail "an injected element in the DOM"
fi

begin "chromium: no console message, no CSP refusal"
if have_chromium; then
	grep -i 'CONSOLE\|Content Security Policy\|Refused to' "$T_DIR/chrome.err" &&
		_fail "the console has messages"
fi

begin "chromium: screenshots, light and dark, into build/ (page-light.png, page-dark.png, page-full.png)"
if have_chromium; then
	mkdir -p "$root/build"
	# the top of the page in both schemes (docs/page.png is page-light),
	# and the whole page
	chrome --window-size=1000,900 --screenshot="$root/build/page-light.png" "file://$T_DIR/page.html" >/dev/null
	chrome --force-dark-mode --window-size=1000,900 --screenshot="$root/build/page-dark.png" "file://$T_DIR/page.html" >/dev/null
	chrome --window-size=1280,6200 --screenshot="$root/build/page-full.png" "file://$T_DIR/page.html" >/dev/null
	for m in light dark full; do
		[ "$(head -c 8 "$root/build/page-$m.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] ||
			_fail "no $m screenshot"
	done
	cmp -s "$root/build/page-light.png" "$root/build/page-dark.png" && _fail "dark looks like light"
fi

# ---- report timeline ----
begin "report timeline: JSON days and stamps match the history"
run --format json report timeline ad-bidder
expect_rc 0
jq_out '[.visits[].stage] | join(" ")' "feasibility data-preparation prototyping-testing productization feasibility data-preparation"
jq_out '[.visits[].entered_by] | join(" ")' "created forced forced forced back forced"
jq_out '.visits[-1].left_at' null
jq_out '.visits[-1].current' true
printf '%s' "$OUT" >"$T_DIR/tl.json"
"$AIPROJ" --format json stage history ad-bidder >"$T_DIR/hist.json"
"$AIPROJ" --format json project show ad-bidder >"$T_DIR/show.json"
runsh "jq -n -r --slurpfile t '$T_DIR/tl.json' --slurpfile h '$T_DIR/hist.json' --slurpfile p '$T_DIR/show.json' '
	def s: sub(\"\\\\.[0-9]+Z$\"; \"Z\") | fromdate;
	(\$h[0].transitions | map(.at)) as \$at
	| ([\$p[0].created_at] + \$at) as \$in
	| (\$at + [\"$AIPROJ_NOW\"]) as \$out
	| \$t[0].visits | to_entries[]
	| select(.value.entered_at != \$in[.key]
		or (.value.days - (((\$out[.key] | s) - (\$in[.key] | s)) / 86400) | fabs) > 0.051
		or (.key < (\$at | length) and .value.left_at != \$out[.key]))
	| \"visit \\(.key + 1) differs\"'"
expect_rc 0
expect_out ""

begin "report timeline: a Mermaid gantt the grammar accepts"
cat >"$T_DIR/gantt.py" <<'EOF_PY'
import re, sys
from datetime import datetime
lines = sys.stdin.read().split("\n")
if lines[-1] == "": lines.pop()
date = r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"
grammar = [
    ("comment", r"%%[^\n]*"),
    ("gantt", r"gantt"),
    ("title", r"  title [^:#;\n]+"),
    ("dateFormat", r"  dateFormat YYYY-MM-DD HH:mm:ss"),
    ("axisFormat", r"  axisFormat [%A-Za-z\- ]+"),
    ("section", r"  section [^:#;\n]+"),
    ("task", r"  [^:#;\n]+ :(?:done|active|crit), v(\d+), " + date + ", " + date),
]
seen, ids, bad = [], [], []
for n, l in enumerate(lines, 1):
    for kind, rx in grammar:
        m = re.fullmatch(rx, l)
        if m: break
    else:
        bad.append("line %d: %r" % (n, l)); continue
    seen.append(kind)
    if kind == "task":
        ids.append(int(m.group(1)))
        a, b = (datetime.strptime(x, "%Y-%m-%d %H:%M:%S") for x in m.group(2, 3))
        if b < a: bad.append("line %d ends before it starts" % n)
if [k for k in seen if k != "comment"][:4] != ["gantt", "title", "dateFormat", "axisFormat"]:
    bad.append("header: %s" % seen[:5])
if ids != list(range(1, len(ids) + 1)) or not ids: bad.append("task ids %s" % ids)
if seen.count("section") != len(ids): bad.append("a section per visit")
print("\n".join(bad))
EOF_PY
for n in ad-bidder churn-model lead-score image-qc; do
	"$AIPROJ" --format mermaid report timeline "$n" >"$T_DIR/g.mmd"
	T_CMD="aiproj --format mermaid report timeline $n | gantt.py"
	got=$($PY "$T_DIR/gantt.py" <"$T_DIR/g.mmd")
	[ -z "$got" ] || _fail "$n: the gantt does not parse" "$got"
done
run --format mermaid report timeline ad-bidder
expect_out "%% aiproj report timeline ad-bidder: active, at data-preparation, 6 visits
gantt
  title ad-bidder
  dateFormat YYYY-MM-DD HH:mm:ss
  axisFormat %Y-%m-%d
  section Feasibility
  Feasibility 27.0 d :done, v1, 2025-07-18 09:00:00, 2025-08-14 09:00:00
  section Data preparation
  Data preparation 22.0 d :done, v2, 2025-08-14 09:00:00, 2025-09-05 09:00:00
  section Prototyping & testing
  Prototyping & testing 17.0 d :done, v3, 2025-09-05 09:00:00, 2025-09-22 09:00:00
  section Productization
  Productization 12.0 d :done, v4, 2025-09-22 09:00:00, 2025-10-04 09:00:00
  section Feasibility
  Feasibility 20.0 d :crit, v5, 2025-10-04 09:00:00, 2025-10-24 09:00:00
  section Data preparation
  Data preparation 57.1 d :active, v6, 2025-10-24 09:00:00, 2025-12-20 12:00:00"

begin "report timeline: text, csv, markdown, yaml; a closed project's last visit ends when it closed"
run report timeline lead-score
expect_rc 0
expect_out "# STAGE               ENTERED          LEFT             DAYS BY
1 feasibility         2025-03-30 09:00 2025-04-16 09:00 17.0 created
2 data-preparation    2025-04-16 09:00 2025-05-11 09:00 25.0 forced
3 prototyping-testing 2025-05-11 09:00 2025-05-21 09:00 10.0 forced
4 productization      2025-05-21 09:00 2025-05-27 09:00 6.0  forced"
run --format csv report timeline lead-score
expect_out_has 'project,visit,stage_number,stage,entered_at,left_at,days,entered_by'
expect_out_has 'lead-score,4,4,productization,2025-05-21T09:00:00.000Z,2025-05-27T09:00:00.000Z,6.0,forced'
run --format markdown report timeline image-qc
expect_out_has '| 1 | feasibility | 2025-06-15T09:00:00.000Z | now |'
run --format yaml report timeline image-qc
expect_rc 0
expect_out_has 'entered_by: created'

begin "report timeline: an unknown project is exit 3; --format dot is refused"
run report timeline nope
expect_rc 3
expect_err "aiproj: error: no project 'nope'"
run --format dot report timeline ad-bidder
expect_rc 2
finish
