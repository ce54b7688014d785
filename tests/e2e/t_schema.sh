# The JSON Schema of the export format (schemas/export.schema.json) and its
# documentation (docs/export.md): the schema is valid draft 2020-12 and
# closed everywhere; every ```yaml example in docs/export.md validates (or,
# when the page says it is bad, is refused) both by the schema and by
# aiproj import, at the place the page says; a real export validates; the
# page documents every key of the schema.
#
# Needs /usr/bin/python3 with PyYAML and jsonschema (Debian:
# python3-yaml python3-jsonschema).  YAML is read as YAML 1.2's core schema
# reads it (as editors' YAML language servers do): time stamps stay strings.
. "$(dirname "$0")/lib.sh"
T_CMD="(no command yet)" RC="" # _fail reads them (set -u)

PY=/usr/bin/python3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCHEMA=$ROOT/schemas/export.schema.json
DOC=$ROOT/docs/export.md

cat >"$T_DIR/v.py" <<'EOF'
# v.py SCHEMA FILE...: print "FILE: ok" or "FILE: invalid: reasons"
import json, re, sys
import yaml
import jsonschema

class Core12(yaml.SafeLoader):
    pass

Core12.yaml_implicit_resolvers = {}
for tag, rx, first in [
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", list("-+0123456789.")),
]:
    Core12.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(rx), first)

schema = json.load(open(sys.argv[1]))
val = jsonschema.Draft202012Validator(schema)
for f in sys.argv[2:]:
    try:
        with open(f, encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=Core12)
    except Exception as e:
        print("%s: invalid: not YAML: %s" % (f, str(e).replace("\n", " ")))
        continue
    errs = sorted(val.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errs:
        print("%s: invalid: %s" % (f, "; ".join(
            "/".join(map(str, e.absolute_path)) + ": " + e.message[:120] for e in errs[:5])))
    else:
        print("%s: ok" % f)
EOF

begin "python3 with PyYAML and jsonschema is installed (Debian: python3-yaml python3-jsonschema)"
$PY -c 'import yaml, jsonschema; jsonschema.Draft202012Validator' 2>"$T_DIR/py.err" ||
	_fail "cannot import yaml and jsonschema" "$(cat "$T_DIR/py.err")"

begin "the schema is a valid draft 2020-12 JSON Schema"
got=$($PY -c '
import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
assert s.get("$schema") == "https://json-schema.org/draft/2020-12/schema", s.get("$schema")
jsonschema.Draft202012Validator.check_schema(s)
print("ok")
' "$SCHEMA" 2>&1)
[ "$got" = ok ] || _fail "schema check failed" "$got"

begin "the schema is closed: every object has additionalProperties: false"
got=$($PY -c '
import json, sys
s = json.load(open(sys.argv[1]))
bad = []
def walk(x, path):
    if isinstance(x, dict):
        if x.get("type") == "object" or "properties" in x:
            if x.get("additionalProperties") is not False:
                bad.append(path or "/")
        for k, v in x.items():
            # (a condition is not an object of the format)
            if k != "if":
                walk(v, path + "/" + k)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            walk(v, "%s/%d" % (path, i))
walk(s, "")
print("\n".join(bad))
' "$SCHEMA" 2>&1)
[ -z "$got" ] || _fail "open objects" "$got"

begin "the schema has patterns for names and time stamps and enums for the closed sets"
got=$($PY -c '
import json, re, sys
d = json.load(open(sys.argv[1]))["$defs"]
name, stamp = re.compile(d["name"]["pattern"]), re.compile(d["stamp"]["pattern"])
assert name.search("churn-model.v2_1") and not name.search("-x") and not name.search("a b") and not name.search("a" * 65)
assert stamp.search("2026-01-02T03:04:05.678Z") and not stamp.search("2026-01-02T03:04:05Z") and not stamp.search("2026-13-02T03:04:05.678Z")
p = d["project"]["properties"]
assert p["status"]["enum"] == ["active", "on-hold", "closed"]
assert d["transition"]["properties"]["kind"]["enum"] == ["advance", "back", "forced", "start", "buy"]
assert d["decision"]["properties"]["kind"]["enum"] == ["make", "buy"]
assert d["kpi"]["properties"]["op"]["enum"] == [">=", ">", "<=", "<", "=="]
print("ok")
' "$SCHEMA" 2>&1)
[ "$got" = ok ] || _fail "schema lacks patterns or enums" "$got"

# ---- the examples of docs/export.md ----
# ex.list: N|kind|LINE:COLUMN|message, kind: valid canonical refused
# refused-by-aiproj; each example in ex-N.yaml
$PY -c '
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
out = open(sys.argv[2] + "/ex.list", "w")
n, i, marker = 0, 0, None
while i < len(lines):
    m = re.match(r"^<!-- example: (\S+)(?: (\S+) (.*?))? -->$", lines[i])
    if m:
        marker = m.groups()
    elif lines[i].strip() == "```yaml":
        j = i + 1
        while lines[j].strip() != "```":
            j += 1
        n += 1
        with open("%s/ex-%d.yaml" % (sys.argv[2], n), "w", encoding="utf-8") as f:
            f.write("\n".join(lines[i + 1:j]) + "\n")
        kind, loc, text = marker or ("valid", None, None)
        out.write("%d|%s|%s|%s|%d\n" % (n, kind, loc or "", text or "", i + 2))
        marker, i = None, j
    elif lines[i].strip():
        marker = None
    i += 1
' "$DOC" "$T_DIR" 2>"$T_DIR/py.err"

begin "docs/export.md has yaml examples, good and bad, each marked"
[ -s "$T_DIR/ex.list" ] || _fail "no examples found" "$(cat "$T_DIR/py.err")"
[ "$(grep -c '|canonical|' "$T_DIR/ex.list")" -ge 1 ] || _fail "no canonical example"
[ "$(grep -c '|refused' "$T_DIR/ex.list")" -ge 2 ] || _fail "fewer than two bad examples"
got=$(cut -d'|' -f2 "$T_DIR/ex.list" | grep -v -x -e valid -e canonical -e refused -e refused-by-aiproj)
[ -z "$got" ] || _fail "unknown markers: $got"

while IFS='|' read -r n kind loc text mdline; do
	f=$T_DIR/ex-$n.yaml
	begin "docs/export.md:$mdline example $n ($kind): JSON Schema"
	got=$($PY "$T_DIR/v.py" "$SCHEMA" "$f" 2>&1)
	case $kind in
	refused) case $got in *": invalid: "*) ;; *) _fail "the schema accepts a bad example" "$got";; esac ;;
	*) [ "$got" = "$f: ok" ] || _fail "the schema refuses it" "$got";;
	esac

	begin "docs/export.md:$mdline example $n ($kind): aiproj import"
	db=$(new_store "ex$n")
	run --db "$db" init
	snap "$db"
	run --db "$db" import "$f"
	case $kind in
	refused*)
		expect_rc 6
		expect_out ""
		case $ERR in
		"aiproj: error: $f:$loc: "*"$text"*) ;;
		*) _fail "not refused at $loc with '$text'";;
		esac
		expect_unchanged "$db"
		;;
	*)
		expect_rc 0
		expect_out_has "1 created"
		snap "$db"
		run --db "$db" import "$f"
		expect_rc 0
		expect_out_has "0 created, 0 replaced, 1 unchanged"
		expect_unchanged "$db"
		;;
	esac
	if [ "$kind" = canonical ]; then
		run --db "$db" export
		printf '%s\n' "$OUT" | cmp -s - "$f" ||
			_fail "export differs from the example" "$(printf '%s\n' "$OUT" | diff "$f" - | head -20)"
	fi
done <"$T_DIR/ex.list"

# ---- a real export ----
N=0
step() {
	N=$((N + 1))
	AIPROJ_NOW=$(printf '2026-04-01T10:%02d:%02d.%03dZ' $((N / 60)) $((N % 60)) $((N * 13 % 1000)))
	export AIPROJ_NOW
	"$AIPROJ" "$@" >/dev/null 2>>"$T_DIR/fx.err" </dev/null || echo "aiproj $*" >>"$T_DIR/fx.err"
}
: >"$T_DIR/fx.err"
step init
step project create churn --description "$(printf '  "quoted": #1\nline two\tü')"
step role assign churn sponsor 'Ana Lima'
step role assign churn ai-engineer yes
step decide churn make --cost 1200.5 --reason 'no vendor: none'
step kpi add churn auc --target '>= 0.8'
step kpi add churn tiny --target '< 1e-7'
step kpi record churn auc 0.75
step kpi record churn tiny 0.00000005
step gate done churn 1 --note 'null'
step gate done churn 2 --note ''
step gate done churn 3
step gate done churn 4
step --actor 'Ana Lima' gate approve churn
step stage advance churn
step stage advance churn --force --reason '1.0'
step stage back churn --to feasibility --reason 'second thought'
step component add churn extra --owner devops
step component remove churn model
step project create bought
step decide bought buy --reason 'SaaS'
step project create paused
step project hold paused --reason 'budget'
step project create gone
step project close gone --reason 'cancelled'
unset AIPROJ_NOW

begin "a real export of a fixture validates against the schema"
[ -s "$T_DIR/fx.err" ] && _fail "fixture steps failed" "$(cat "$T_DIR/fx.err")"
run export -o "$T_DIR/real.yaml"
expect_rc 0
got=$($PY "$T_DIR/v.py" "$SCHEMA" "$T_DIR/real.yaml" 2>&1)
[ "$got" = "$T_DIR/real.yaml: ok" ] || _fail "the export is invalid" "$got"

begin "the JSON export validates against the schema too"
run --format json export -o "$T_DIR/real.json"
expect_rc 0
got=$($PY "$T_DIR/v.py" "$SCHEMA" "$T_DIR/real.json" 2>&1)
[ "$got" = "$T_DIR/real.json: ok" ] || _fail "the JSON export is invalid" "$got"

begin "an export of an empty store validates"
run --db "$(new_store empty)" export -o "$T_DIR/empty.yaml"
expect_rc 0
got=$($PY "$T_DIR/v.py" "$SCHEMA" "$T_DIR/empty.yaml" 2>&1)
[ "$got" = "$T_DIR/empty.yaml: ok" ] || _fail "invalid" "$got"

begin "the schema refuses what aiproj refuses for types (a sample of import-bad)"
for b in unknown-key-top unknown-key-reading missing-stage version-3 type-cost-quoted \
	type-name-list type-kpis-mapping bad-status bad-kpi-op bad-stamp-no-millis \
	bad-stamp-month-13 bad-project-name-space bad-person-newline bad-text-control \
	type-done-quoted type-epoch-negative type-description-null empty-decision-reason \
	negative-cost version-quoted criterion-id-zero; do
	got=$($PY "$T_DIR/v.py" "$SCHEMA" "$ROOT/tests/e2e/import-bad/$b.yaml" 2>&1)
	case $got in *": invalid: "*) ;; *) _fail "the schema accepts $b.yaml" "$got";; esac
done

begin "docs/export.md documents every key of the schema"
$PY -c '
import json, sys
s = json.load(open(sys.argv[1]))
keys = set(s["properties"])
for d in s["$defs"].values():
    keys |= set(d.get("properties", {}))
print("\n".join(sorted(keys)))
' "$SCHEMA" >"$T_DIR/keys" 2>&1
[ "$(wc -l <"$T_DIR/keys")" -ge 30 ] || _fail "too few keys in the schema" "$(cat "$T_DIR/keys")"
while read -r k; do
	grep -qF "\`$k\`" "$DOC" || _fail "docs/export.md does not mention \`$k\`"
done <"$T_DIR/keys"

finish
