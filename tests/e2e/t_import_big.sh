# A large import (docs/export.md): import reads its file as a stream, a
# project at a time, so a portfolio of any size moves in one piece and
# memory stays that of the largest project.  The file is made by
# tests/bench/gen_export.sh (3,000 projects, over 16 MiB, in the canonical
# form of format 1): imported into a new store and exported again, it gives
# the same bytes but for format 2's hashes and end record.  All or nothing
# still holds: a bad last project writes nothing.
. "$(dirname "$0")/lib.sh"
T_CMD="(no command yet)" RC="" # _fail reads them (set -u)

GEN="$(dirname "$0")/../bench/gen_export.sh"
BIG=$T_DIR/big.yaml
N=3000

begin "the generated file is over 16 MiB"
sh "$GEN" "$N" >"$BIG" || _fail "gen_export.sh failed"
[ "$(wc -c <"$BIG")" -gt 16777216 ] || _fail "the file is $(wc -c <"$BIG") bytes"

# a store of the kind under test that does not exist yet: import makes it
if is_file_store; then S=$T_DIR/new.db; else S=$(new_store big); fi

begin "imports a file over 16 MiB into a new store: every project created"
run --db "$S" import "$BIG"
expect_rc 0
expect_out "Imported $BIG: $N created, 0 replaced, 0 unchanged"
expect_err ""

begin "export gives the file's bytes back (in format 2: with the hashes, the people and the end record)"
run --db "$S" export -o "$T_DIR/again.yaml"
expect_rc 0
# (the people the assignments made follow the projects: the file has none)
sed '/^ *hash: "\{0,1\}[0-9a-f]*"\{0,1\}$/d; 1s/^aiproj: 2$/aiproj: 1/; /^\(people\|end\):$/,$d' "$T_DIR/again.yaml" >"$T_DIR/again-v1.yaml"
cmp "$BIG" "$T_DIR/again-v1.yaml" >/dev/null 2>&1 ||
	_fail "the export differs: $(cmp "$BIG" "$T_DIR/again-v1.yaml" 2>&1)"
[ "$(tail -n 1 "$T_DIR/again.yaml")" = "  projects: $N" ] || _fail "no end record"

begin "the same file again, from standard input: every project unchanged, store untouched"
snap "$S"
runsh "'$AIPROJ' --db '$S' import - <'$BIG'"
expect_rc 0
expect_out "Imported -: 0 created, 0 replaced, $N unchanged"
expect_unchanged "$S"

begin "its format 2 export again: every hash checked, every project unchanged"
run --db "$S" import "$T_DIR/again.yaml"
expect_rc 0
expect_out "Imported $T_DIR/again.yaml: 0 created, 0 replaced, $N unchanged"
expect_unchanged "$S"

begin "peak memory of the import stays under 32 MiB"
# the bound is the plain build's: under ASan (shadow memory, quarantine)
# the import still runs and must succeed, but its size is not the product's
if grep -q __asan_init "$AIPROJ" 2>/dev/null; then
	"$AIPROJ" --db "$T_DIR/mem.db" -q import "$BIG" || _fail "the import failed"
	rm -f "$T_DIR/mem.db" "$T_DIR/mem.db-wal" "$T_DIR/mem.db-shm"
	[ "$T_FAILED" = 0 ] && T_FAILED=skip
elif [ -x /usr/bin/time ] && is_file_store; then
	rm -f "$T_DIR/mem.db"
	/usr/bin/time -f %M -o "$T_DIR/rss" "$AIPROJ" --db "$T_DIR/mem.db" -q import "$BIG" ||
		_fail "the import failed"
	rss=$(tail -n 1 "$T_DIR/rss")
	[ "$rss" -lt 32768 ] || _fail "max RSS $rss KiB"
	rm -f "$T_DIR/mem.db" "$T_DIR/mem.db-wal" "$T_DIR/mem.db-shm"
	# a dry run on a missing store, and an import into a missing
	# folder (a trial first): both on a scratch store, not one in memory
	/usr/bin/time -f %M -o "$T_DIR/rss" "$AIPROJ" --db "$T_DIR/mem.db" -q import --dry-run "$BIG" ||
		_fail "the dry run failed"
	rss=$(tail -n 1 "$T_DIR/rss")
	[ "$rss" -lt 32768 ] || _fail "dry run on a missing store: max RSS $rss KiB"
	[ ! -e "$T_DIR/mem.db" ] || _fail "the dry run made the store"
	/usr/bin/time -f %M -o "$T_DIR/rss" "$AIPROJ" --db "$T_DIR/memdir/mem.db" -q import "$BIG" ||
		_fail "the import into a new folder failed"
	rss=$(tail -n 1 "$T_DIR/rss")
	[ "$rss" -lt 32768 ] || _fail "import into a new folder: max RSS $rss KiB"
	rm -rf "$T_DIR/memdir"
else
	file_store || true
fi

begin "a problem in the last project: exit 6, nothing written, the new store not made"
{
	cat "$BIG"
	printf -- '- name: late\n  status: paused\n'
} >"$T_DIR/bad.yaml"
if is_file_store; then
	run --db "$T_DIR/none.db" import "$T_DIR/bad.yaml"
	expect_rc 6
	expect_err_has "bad.yaml:$(($(wc -l <"$BIG") + 2)):11: 'status' must be one of"
	[ ! -e "$T_DIR/none.db" ] || _fail "the store was made"
else
	S2=$(new_store bad)
	snap "$S2"
	run --db "$S2" import "$T_DIR/bad.yaml"
	expect_rc 6
	expect_err_has "'status' must be one of"
	expect_unchanged "$S2"
fi
rm -f "$BIG" "$T_DIR/again.yaml" "$T_DIR/bad.yaml"

finish
