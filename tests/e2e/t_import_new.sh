#!/bin/sh
# t_import_new.sh - an import into a store file that does not exist yet
# reads its file once: the store is written in a new file beside its place
# and linked there when the import commits (STORE_CREATE_AT_COMMIT), so a
# failure still makes no store, and leaves no file behind; another process
# that makes the store meanwhile keeps it as it made it.
. "$(dirname "$0")/lib.sh"

GEN=$(dirname "$0")/../bench/gen_export.sh
sh "$GEN" 5 >"$T_DIR/g5.yaml"
mkdir "$T_DIR/d"
{
	cat "$T_DIR/g5.yaml"
	sed -n '/^- name: p000001/,/^- name: p000002/p' "$T_DIR/g5.yaml" | sed '$d'
} >"$T_DIR/dup.yaml"

begin "both stores: a failed import into a store that does not exist makes none"
if is_file_store; then
	NEW=$T_DIR/d/none.db
else
	# (PostgreSQL: a database without tables; the import keeps its trial)
	_psql "$AIPROJ_E2E_PG" -c "DROP DATABASE IF EXISTS ${T_PGDB}_none" \
		-c "CREATE DATABASE ${T_PGDB}_none" >/dev/null
	NEW=${AIPROJ_E2E_PG%/*}/${T_PGDB}_none
fi
run --db "$NEW" import "$T_DIR/dup.yaml"
expect_rc 6
expect_err_has "duplicate project 'p000001"
run --db "$NEW" project list
expect_rc 7

# the rest is about store files
if ! is_file_store; then
	T_SKIP=$(($(grep -c '^begin ' "$0") - 1))
	echo "  skipped $T_SKIP tests: about store files" >&2
	finish
fi

# leftovers: the files in $T_DIR/d but the ones named
leftovers() {
	_left=$(cd "$T_DIR/d" && ls -A)
	for _keep in "$@"; do
		_left=$(printf '%s\n' "$_left" | grep -vxF -e "$_keep" || true)
	done
	printf '%s' "$_left"
}

begin "a problem found after projects were written (a duplicate, at the end): exit 6, no store, nothing left"
run --db "$T_DIR/d/s.db" import "$T_DIR/dup.yaml"
expect_rc 6
expect_err_has "duplicate project 'p000001"
expect_out ""
[ -z "$(leftovers)" ] || _fail "files left" "$(leftovers)"

begin "the import makes the store, 0600, with nothing beside it once done"
run --db "$T_DIR/d/s.db" import "$T_DIR/g5.yaml"
expect_rc 0
expect_out "Imported $T_DIR/g5.yaml: 5 created, 0 replaced, 0 unchanged"
[ "$(stat -c %a "$T_DIR/d/s.db")" = 600 ] || _fail "mode $(stat -c %a "$T_DIR/d/s.db")"
[ -z "$(leftovers s.db)" ] || _fail "files left" "$(leftovers s.db)"
run --db "$T_DIR/d/s.db" verify
expect_rc 0
run --db "$T_DIR/d/s.db" import "$T_DIR/g5.yaml"
expect_rc 0
expect_out "Imported $T_DIR/g5.yaml: 0 created, 0 replaced, 5 unchanged"

begin "the new store is used at once by the import's hooks (after its commit)"
mkdir "$T_DIR/hooks"
cat >"$T_DIR/hooks/post-move" <<'HOOK'
#!/bin/sh
"$AIPROJ" --db "$AIPROJ_STORE" project list --format csv | wc -l >>"$HOOK_OUT"
HOOK
chmod +x "$T_DIR/hooks/post-move"
HOOK_OUT=$T_DIR/hook.out
export HOOK_OUT AIPROJ
run --db "$T_DIR/d/h.db" --hooks "$T_DIR/hooks" import "$T_DIR/g5.yaml"
expect_rc 0
[ "$(sort -u "$HOOK_OUT")" = 6 ] || _fail "the hooks saw" "$(cat "$HOOK_OUT")"
rm -f "$T_DIR/d/h.db"

begin "another process makes the store while the import writes its own: exit 7, its store as it made it"
{
	# the import has begun its new file: make the store, then send the
	# document
	i=0
	while ! leftovers s.db | grep -q '^r\.db\.new-' && [ $i -lt 500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	"$AIPROJ" --db "$T_DIR/d/r.db" project create first >/dev/null
	cat "$T_DIR/g5.yaml"
} | "$AIPROJ" --db "$T_DIR/d/r.db" import - >"$T_DIR/out" 2>"$T_DIR/err"
RC=$?
[ "$RC" = 7 ] || _fail "exit $RC" "$(cat "$T_DIR/err")"
grep -q "store '$T_DIR/d/r.db' was created by another process" "$T_DIR/err" ||
	_fail "stderr" "$(cat "$T_DIR/err")"
# nothing said imported for a store that was not made
[ ! -s "$T_DIR/out" ] || _fail "stdout" "$(cat "$T_DIR/out")"
run --db "$T_DIR/d/r.db" project list --format csv
expect_rc 0
[ "$(printf '%s\n' "$OUT" | wc -l)" = 2 ] || _fail "the store holds" "$OUT"
[ -z "$(leftovers s.db r.db)" ] || _fail "files left" "$(leftovers s.db r.db)"

begin "another process makes the store while the import of a file writes its own: the file goes into that store"
sh "$(dirname "$0")/../bench/gen_export.sh" 2000 >"$T_DIR/g2k.yaml"
"$AIPROJ" --db "$T_DIR/d/o.db" import "$T_DIR/g2k.yaml" >"$T_DIR/out" 2>"$T_DIR/err" &
pid=$!
i=0
while ! leftovers s.db | grep -q '^o\.db\.new-' && [ $i -lt 1000 ]; do
	sleep 0.01
	i=$((i + 1))
done
"$AIPROJ" --db "$T_DIR/d/o.db" project create first >/dev/null 2>&1 ||
	_fail "the other process could not make the store"
wait "$pid"
RC=$?
[ "$RC" = 0 ] || _fail "exit $RC" "$(cat "$T_DIR/err")"
[ "$(cat "$T_DIR/out")" = "Imported $T_DIR/g2k.yaml: 2000 created, 0 replaced, 0 unchanged" ] ||
	_fail "stdout" "$(cat "$T_DIR/out")"
[ "$(sqlite3 "$T_DIR/d/o.db" 'SELECT count(*) FROM project')" = 2001 ] ||
	_fail "the store holds" "$(sqlite3 "$T_DIR/d/o.db" 'SELECT count(*) FROM project') projects"
run --db "$T_DIR/d/o.db" verify
expect_rc 0
[ -z "$(leftovers s.db r.db o.db)" ] || _fail "files left" "$(leftovers s.db r.db o.db)"
rm -f "$T_DIR/d/o.db"

begin "an import ended by a signal (TERM, HUP; INT as from a terminal) leaves no new file behind"
# (a shell starts a background job with INT ignored: TERM and HUP here)
for sig in TERM HUP; do
	rm -f "$T_DIR/fifo"
	mkfifo "$T_DIR/fifo"
	"$AIPROJ" --db "$T_DIR/d/k.db" import - <"$T_DIR/fifo" >/dev/null 2>&1 &
	pid=$!
	exec 9>"$T_DIR/fifo"
	i=0
	while ! leftovers s.db | grep -q '^k\.db\.new-' && [ $i -lt 500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	leftovers s.db | grep -q '^k\.db\.new-' || _fail "$sig: no new file seen"
	kill -"$sig" "$pid"
	wait "$pid" 2>/dev/null
	RC=$?
	exec 9>&-
	[ "$RC" -gt 128 ] || _fail "$sig: exit $RC, not by the signal"
	[ -z "$(leftovers s.db r.db)" ] || _fail "$sig: files left" "$(leftovers s.db r.db)"
done
rm -f "$T_DIR/fifo"

begin "a journal left where a store was removed: no store made over it (exit 7), the journal kept"
printf 'not empty' >"$T_DIR/d/w.db-wal"
run --db "$T_DIR/d/w.db" import "$T_DIR/g5.yaml"
expect_rc 7
expect_err_has "'$T_DIR/d/w.db-wal' is there, the journal of a store removed without it"
run --db "$T_DIR/d/w.db" init
expect_rc 7
[ -z "$(leftovers s.db r.db w.db-wal)" ] || _fail "files left" "$(leftovers s.db r.db w.db-wal)"
rm -f "$T_DIR/d/w.db-wal"

begin "a rollback journal left where a database was removed: no store made over it (exit 7), the journal kept"
printf 'not empty' >"$T_DIR/d/j.db-journal"
for cmd in "import $T_DIR/g5.yaml" init "project create p"; do
	# shellcheck disable=SC2086
	run --db "$T_DIR/d/j.db" $cmd
	expect_rc 7
	expect_out ""
	expect_err_has "'$T_DIR/d/j.db-journal' is there, the journal of a database removed without it"
done
[ -z "$(leftovers s.db r.db j.db-journal)" ] || _fail "files left" "$(leftovers s.db r.db j.db-journal)"
rm -f "$T_DIR/d/j.db-journal"

begin "an import whose output goes to a closed pipe (SIGPIPE) leaves no new file behind"
runsh "'$AIPROJ' --db '$T_DIR/d/pp.db' import '$T_DIR/g2k.yaml' | true; echo \"rc=\$?\" >/dev/null"
[ -z "$(leftovers s.db r.db)" ] || _fail "files left" "$(leftovers s.db r.db)"

begin "into a directory that does not exist: made, as before"
run --db "$T_DIR/new/dir/s.db" import "$T_DIR/g5.yaml"
expect_rc 0
[ -f "$T_DIR/new/dir/s.db" ] || _fail "no store"

finish
