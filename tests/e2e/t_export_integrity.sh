#!/bin/sh
# t_export_integrity.sh - an export that cannot be cut or edited unseen
# (docs/export.md, Format versions): format 2 ends with an end record that
# import requires, so a file cut at any byte is refused with nothing
# written; the history, approvals and readings carry their hashes, so a
# file edited after export is refused, naming the first row that no longer
# matches, unless import --rehash (logged; an admin's under roles); format
# 1 files still import, and get fresh chains; stage check --verified
# fails a project whose history does not verify.
. "$(dirname "$0")/lib.sh"
NL='
'

# a small project with every chained list, written by hand (format 1)
cat >"$T_DIR/small-v1.yaml" <<'EOF'
aiproj: 1
projects:
- name: p
  status: active
  stage: feasibility
  entered_at: "2026-01-03T00:00:00.000Z"
  created_at: "2026-01-01T00:00:00.000Z"
  decisions:
  - {kind: make, cost: 1000, reason: no vendor, actor: ann,
     at: "2026-01-01T00:30:00.000Z"}
  kpis:
  - {name: auc, op: '>=', target: 0.8, created_at: "2026-01-01T00:00:00.000Z",
     readings: [{value: 0.5, actor: ann, at: "2026-01-01T01:00:00.000Z"},
                {value: 0.875, actor: ann, at: "2026-01-01T02:00:00.000Z"}]}
  assignments:
  - {role: sponsor, person: ann, assigned_at: "2026-01-01T00:00:00.000Z"}
  approvals:
  - {stage: feasibility, epoch: 0, person: ann, role: sponsor, at: "2026-01-01T03:00:00.000Z"}
  history:
  - {from: feasibility, to: data-preparation, kind: advance, actor: ann,
     at: "2026-01-02T00:00:00.000Z"}
  - {from: data-preparation, to: feasibility, kind: back, actor: bob,
     reason: wrong data, at: "2026-01-03T00:00:00.000Z"}
EOF

begin "a format 1 file without hashes imports; its project gets fresh chains that verify"
run init
expect_rc 0
run import "$T_DIR/small-v1.yaml"
expect_rc 0
expect_out "Imported $T_DIR/small-v1.yaml: 1 created, 0 replaced, 0 unchanged"
run verify p
expect_rc 0
expect_out "intact: 3 chains, 5 rows"
run import "$T_DIR/small-v1.yaml"
expect_rc 0
expect_out "Imported $T_DIR/small-v1.yaml: 0 created, 0 replaced, 1 unchanged"

begin "export writes format 2: a hash on every history, approval and reading row, the end record last"
run export -o "$T_DIR/small.yaml"
expect_rc 0
[ "$(head -n 1 "$T_DIR/small.yaml")" = "aiproj: 2" ] || _fail "not format 2"
[ "$(tail -n 2 "$T_DIR/small.yaml")" = "end:${NL}  projects: 1" ] || _fail "no end record" "$(tail -n 3 "$T_DIR/small.yaml")"
# (a hash that a YAML reader could take for a number is quoted)
[ "$(grep -c '^ *hash: "\{0,1\}[0-9a-f]\{64\}"\{0,1\}$' "$T_DIR/small.yaml")" = 5 ] ||
	_fail "not 5 hashes" "$(grep hash "$T_DIR/small.yaml")"
# the hashes are the store's own
want=$(store_sql "SELECT hash FROM transition ORDER BY id" | paste -sd' ' -)
got=$(sed -n '/^  history:/,$p' "$T_DIR/small.yaml" | sed -n 's/^ *hash: "\{0,1\}\([0-9a-f]*\)"\{0,1\}$/\1/p' | paste -sd' ' -)
[ "$got" = "$want" ] || _fail "history hashes differ from the store's" "$got${NL}$want"

begin "export -> import into an empty store -> export: the same bytes, and the chains verify"
S2=$(new_store s2)
run --db "$S2" import "$T_DIR/small.yaml"
expect_rc 0
expect_out "Imported $T_DIR/small.yaml: 1 created, 0 replaced, 0 unchanged"
run --db "$S2" export
printf '%s\n' "$OUT" | cmp -s - "$T_DIR/small.yaml" || _fail "exports differ"
run --db "$S2" verify
expect_rc 0
run --db "$S2" import "$T_DIR/small.yaml"
expect_rc 0
expect_out_has "0 created, 0 replaced, 1 unchanged"

# ---- a file cut short ----

# cut_refused FILE STORE STEP LAST: cuts of FILE (its first N bytes, N from
# 0 to its size less 2: every STEP-th, and each of the last LAST) are
# refused by import into STORE with exit 6 and nothing on stdout; prints
# the offsets that were not
cut_refused() {
	_size=$(wc -c <"$1")
	_n=0
	while [ "$_n" -le $((_size - 2)) ]; do
		head -c "$_n" "$1" >"$T_DIR/cut.yaml"
		"$AIPROJ" --db "$2" import "$T_DIR/cut.yaml" >"$T_DIR/cut.out" 2>"$T_DIR/cut.err"
		_rc=$?
		if [ "$_rc" != 6 ] || [ -s "$T_DIR/cut.out" ]; then
			echo "cut at $_n: exit $_rc: $(cat "$T_DIR/cut.out" "$T_DIR/cut.err")"
		fi
		if [ "$_n" -ge $((_size - $4)) ]; then
			_n=$((_n + 1))
		else
			_n=$((_n + $3))
		fi
	done
}

begin "a file cut at any byte is refused (exit 6), into a new store: no store is made"
if file_store; then
	# every offset, each into a store that does not exist yet
	got=$(cut_refused "$T_DIR/small.yaml" "$T_DIR/new.db" 1 0)
	[ -z "$got" ] || _fail "cuts imported" "$(printf '%s\n' "$got" | head -5)"
	[ ! -e "$T_DIR/new.db" ] || _fail "a cut file made a store"
fi

begin "a file cut at any byte is refused (exit 6), into a store that holds projects: the store unchanged"
S3=$(new_store s3)
run --db "$S3" project create other
expect_rc 0
snap "$S3"
# (every byte on a file store above; a sample here, and on a server)
got=$(cut_refused "$T_DIR/small.yaml" "$S3" 29 60)
[ -z "$got" ] || _fail "cuts imported" "$(printf '%s\n' "$got" | head -5)"
expect_unchanged "$S3"

begin "a cut inside a text that still reads as YAML is found by the missing end record"
head -c "$(($(grep -b -o 'reason: wrong da' "$T_DIR/small.yaml" | cut -d: -f1) + 16))" "$T_DIR/small.yaml" >"$T_DIR/c.yaml"
[ "$(tail -c 16 "$T_DIR/c.yaml")" = "reason: wrong da" ] || _fail "the cut is not inside the reason"
snap "$S3"
run --db "$S3" import "$T_DIR/c.yaml"
expect_rc 6
expect_out ""
expect_err_has "aiproj: error: $T_DIR/c.yaml:1:1: missing key 'end' (a format 2 document ends with 'end: {projects: N}'): the file was cut short"
expect_unchanged "$S3"

begin "a cut inside the end record's number is found by the count"
run export p other -o "$T_DIR/many.yaml"
for i in 1 2 3 4 5 6 7 8 9 10 11; do
	sed "s/^- name: p$/- name: p$i/" "$T_DIR/small.yaml" | sed -n '/^projects:$/,/^\(people\|end\):$/p' | sed '1d;$d'
done >"$T_DIR/body"
{ echo "aiproj: 2"; echo "projects:"; cat "$T_DIR/body"; printf 'end:\n  projects: 1'; } >"$T_DIR/c.yaml"
run --db "$S3" import "$T_DIR/c.yaml"
expect_rc 6
expect_err_has "c.yaml:$(($(wc -l <"$T_DIR/c.yaml") + 1)):13: 'end' says 1 project but the file holds 11: the file was cut short or edited"
expect_unchanged "$S3"
printf '1\n' >>"$T_DIR/c.yaml"
run --db "$S3" import "$T_DIR/c.yaml" --dry-run
expect_rc 0
expect_out "Would import $T_DIR/c.yaml: 11 created, 0 replaced, 0 unchanged"

begin "losing only the final line break loses nothing: it imports whole"
S4=$(new_store s4)
head -c $(($(wc -c <"$T_DIR/small.yaml") - 1)) "$T_DIR/small.yaml" >"$T_DIR/c.yaml"
run --db "$S4" import "$T_DIR/c.yaml"
expect_rc 0
run --db "$S4" export
printf '%s\n' "$OUT" | cmp -s - "$T_DIR/small.yaml" || _fail "not the whole export"

begin "a JSON export cut short is refused too; whole, it imports"
run --format json export -o "$T_DIR/small.json"
expect_rc 0
got=$(cut_refused "$T_DIR/small.json" "$S3" 37 40)
[ -z "$got" ] || _fail "cuts imported" "$(printf '%s\n' "$got" | head -5)"
expect_unchanged "$S3"
S10=$(new_store s10)
run --db "$S10" import "$T_DIR/small.json"
expect_rc 0
expect_out "Imported $T_DIR/small.json: 1 created, 0 replaced, 0 unchanged"
run --db "$S10" export
printf '%s\n' "$OUT" | cmp -s - "$T_DIR/small.yaml" || _fail "the JSON export imports as another project"

begin "format 2's end record: last key, 'aiproj' first, a count; format 1 has none"
printf 'aiproj: 2\nprojects: []\n' >"$T_DIR/e.yaml"
run --db "$S3" import "$T_DIR/e.yaml"
expect_rc 6
expect_err_has "e.yaml:1:1: missing key 'end'"
printf 'aiproj: 2\nend: {projects: 0}\nprojects: []\n' >"$T_DIR/e.yaml"
run --db "$S3" import "$T_DIR/e.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/e.yaml:3:1: 'projects' after 'end': 'end' must be the last key"
printf 'projects: []\naiproj: 2\nend: {projects: 0}\n' >"$T_DIR/e.yaml"
run --db "$S3" import "$T_DIR/e.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/e.yaml:1:1: 'aiproj' must be the first key of a format 2 document"
printf 'aiproj: 2\nprojects: []\nend: {projects: "0"}\n' >"$T_DIR/e.yaml"
run --db "$S3" import "$T_DIR/e.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/e.yaml:3:6: 'end' must be 'projects: N', N the number of projects: the file was cut short or edited"
printf 'aiproj: 1\nprojects: []\nend: {projects: 0}\n' >"$T_DIR/e.yaml"
run --db "$S3" import "$T_DIR/e.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/e.yaml:3:1: unknown key 'end' (format 1 has no end record)"
printf 'aiproj: 2\nprojects: []\nend: {projects: 0}\n' >"$T_DIR/e.yaml"
run --db "$S3" import "$T_DIR/e.yaml"
expect_rc 0
expect_out "Imported $T_DIR/e.yaml: 0 created, 0 replaced, 0 unchanged"
expect_unchanged "$S3"

begin "a mapping after the projects list is read as the rest of the document (no crash)"
printf 'aiproj: 1\nprojects: []\nfoo: {a: [1, {b: 2}]}\n' >"$T_DIR/e.yaml"
run --db "$S3" import "$T_DIR/e.yaml"
expect_rc 6
expect_err "aiproj: error: $T_DIR/e.yaml:3:1: unknown key 'foo'"
expect_unchanged "$S3"

# ---- the hashes ----

begin "a file whose history was edited after export is refused (exit 6), naming the first row that does not match"
sed 's/actor: bob$/actor: mallory/' "$T_DIR/small.yaml" >"$T_DIR/edited.yaml"
line=$(grep -n 'actor: mallory' "$T_DIR/edited.yaml" | cut -d: -f1)
S5=$(new_store s5)
snap "$S5"
run --db "$S5" import "$T_DIR/edited.yaml"
expect_rc 6
expect_out ""
expect_err "aiproj: error: $T_DIR/edited.yaml:$((line - 3)):5: history entry 2 of 'p' does not match its hash: the file was changed after it was exported (import --rehash recomputes the hashes)"
expect_unchanged "$S5"

begin "edited approvals and readings are named in their own chains"
sed 's/value: 0.875$/value: 0.9/; s/role: sponsor$/role: sponsor/; s/^    person: ann$/    person: ann/' "$T_DIR/small.yaml" |
	sed '/^  approvals:/,/^  history:/s/note: null/note: "added"/' >"$T_DIR/edited2.yaml"
run --db "$S5" import "$T_DIR/edited2.yaml"
expect_rc 6
expect_err_has "approval entry 1 of 'p' does not match its hash"
expect_err_has "reading 2 of KPI 'auc' of 'p' does not match its hash"
expect_unchanged "$S5"

begin "a format 2 row without a hash is refused; a malformed hash is a type error"
sed '/^  history:/,$ { /hash:/d; }' "$T_DIR/small.yaml" >"$T_DIR/nohash.yaml"
run --db "$S5" import "$T_DIR/nohash.yaml"
expect_rc 6
expect_err_has "history entry 1 of 'p' has no hash: a format 2 file carries one on every row (import --rehash computes them)"
sed '0,/hash: .*/s//hash: ABC/' "$T_DIR/small.yaml" >"$T_DIR/badhash.yaml"
run --db "$S5" import "$T_DIR/badhash.yaml"
expect_rc 6
expect_err_has "'hash' must be 64 lowercase hex digits (a SHA-256 hash), not 'ABC'"
expect_unchanged "$S5"

begin "import --rehash takes the edited file, computes fresh chains, and logs each project in the audit log"
run --db "$S5" import "$T_DIR/edited.yaml" --rehash --dry-run
expect_rc 0
expect_out "Would import $T_DIR/edited.yaml: 1 created, 0 replaced, 0 unchanged
People: 1 created, 0 changed, 0 unchanged"
expect_unchanged "$S5"
run --db "$S5" import "$T_DIR/edited.yaml" --rehash
expect_rc 0
expect_out "Imported $T_DIR/edited.yaml: 1 created, 0 replaced, 0 unchanged"
run --db "$S5" verify
expect_rc 0
run --db "$S5" --format json policy show
jq_out '.refusals[0] | [.actor, .action, .project, .detail] | join("|")' \
	"tester|import --rehash|p|hash chains recomputed from '$T_DIR/edited.yaml': 1 row had no hash or another one"
run --db "$S5" stage history p
expect_out_has "mallory"
# the store's chains are now the file's as recomputed: its export imports
run --db "$S5" export -o "$T_DIR/rehashed.yaml"
S6=$(new_store s6)
run --db "$S6" import "$T_DIR/rehashed.yaml"
expect_rc 0

begin "import --rehash of a format 1 file logs it too; an unchanged project is not written or logged"
n=$(store_sql "SELECT count(*) FROM audit")
run import "$T_DIR/small-v1.yaml" --rehash
expect_rc 0
expect_out_has "0 created, 0 replaced, 1 unchanged"
[ "$(store_sql "SELECT count(*) FROM audit")" = "$n" ] || _fail "an unchanged project was logged"

begin "a store changed behind aiproj's back exports its stored hashes: the export is refused"
S7=$(new_store s7)
run --db "$S7" import "$T_DIR/small.yaml"
AIPROJ_DB=$S7 store_sql "UPDATE transition SET reason = 'rewritten' WHERE reason = 'wrong data'" >/dev/null
run --db "$S7" verify
expect_rc 1
run --db "$S7" export -o "$T_DIR/tampered.yaml"
expect_rc 0
S8=$(new_store s8)
snap "$S8"
run --db "$S8" import "$T_DIR/tampered.yaml"
expect_rc 6
expect_err_has "history entry 2 of 'p' does not match its hash"
expect_unchanged "$S8"
run --db "$S8" import "$T_DIR/tampered.yaml" --rehash
expect_rc 0
run --db "$S8" verify
expect_rc 0

begin "import --replace of a project whose stored chain was broken: the file's project replaces it"
run --db "$S7" import "$T_DIR/small.yaml"
expect_rc 5
run --db "$S7" import "$T_DIR/small.yaml" --replace
expect_rc 0
expect_out_has "0 created, 1 replaced, 0 unchanged"
run --db "$S7" verify
expect_rc 0

begin "roles: import --rehash is an administrator's; refused to anyone else (exit 4, logged)"
S9=$(new_store s9)
run --db "$S9" policy set roles
expect_rc 0
run --db "$S9" --actor rob import "$T_DIR/edited.yaml" --rehash
expect_rc 4
expect_err_has "policy 'roles': 'rob' may not import"
expect_err_has "admin right"
run --db "$S9" --format json policy show
jq_out '.refusals[0] | .actor + "|" + .action' "rob|import"
run --db "$S9" import "$T_DIR/edited.yaml" --rehash
expect_rc 0
run --db "$S9" --format json policy show
jq_out '.refusals[0] | .actor + "|" + .action + "|" + .project' "tester|import --rehash|p"

# ---- stage check --verified ----

begin "stage check --verified: a project whose chains verify passes"
run stage check p --verified
expect_rc 0
expect_out "p: all 1 conditions hold${NL}  ok   verified: history intact: 3 chains, 5 rows"
run --format json stage check p --verified --is feasibility
expect_rc 0
jq_out '[.holds, (.conditions | map(.name + "=" + (.holds | tostring)) | join(","))] | map(tostring) | join(" ")' \
	"true is=true,verified=true"

begin "stage check --verified: a project whose history was changed outside aiproj fails (exit 1), naming the row"
id=$(store_sql "SELECT t.id FROM transition t JOIN project p ON p.id = t.project_id WHERE p.name = 'p' ORDER BY t.id LIMIT 1")
store_sql "UPDATE transition SET actor = 'eve' WHERE id = $id" >/dev/null
run stage check p --verified --at-least feasibility
expect_rc 1
expect_out "p: 1 of 2 conditions do not hold
  ok   at-least feasibility: at feasibility (1), at or past feasibility (1)
  FAIL verified: history row 1 changed (1 of 3 chains does not verify)"
expect_err ""
run --format github stage check p --verified
expect_rc 1
expect_out "::error title=aiproj stage check::p: verified does not hold: history row 1 changed (1 of 3 chains does not verify)"
run -q stage check p --verified
expect_rc 1
expect_out ""

begin "stage check --verified of a project with no history rows at all holds"
run project create fresh
run stage check fresh --verified
expect_rc 0
expect_out_has "verified: history intact: 0 chains, 0 rows"

finish
