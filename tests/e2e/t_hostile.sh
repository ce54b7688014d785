# Hostile input: overlong arguments, control characters, SQL and JSON
# metacharacters, invalid UTF-8, and broken, strange or unwritable stores.
# Every refusal is one clear line on stderr starting "aiproj: error: " (no
# terminal control characters, at most 1 KiB), the documented exit code (2 bad
# argument, 3 not found, 7 store), nothing on stdout, the store unchanged,
# and no sanitizer report.  Text that is allowed is stored literally and
# read back exactly.  On a PostgreSQL store all that runs too; the broken,
# strange and unwritable store files at the end are a file store's only.
#
# NUL cannot be tested: argv and the environment are NUL-terminated C
# strings, so no argument can hold one (the shell cuts it off before exec).
# One argument is at most 131071 bytes on Linux (MAX_ARG_STRLEN); a 1 MB
# argument is refused by execve (E2BIG) before aiproj runs: checked below.
. "$(dirname "$0")/lib.sh"

# When the disk is full (or a file size limit is hit), SQLite has created the
# store's -wal and -shm files before it can learn that nothing fits, and they
# cannot be removed safely while another process may open the store.  The
# store itself must be byte-identical and the WAL empty (the -shm file is an
# index of the WAL, sized but holding no data).
expect_unchanged_but_wal() {
	[ "$(cksum <"$1")" = "$T_SNAP" ] || _fail "store changed: $1"
	[ ! -s "$1-wal" ] || _fail "$1-wal is not empty"
}

# a private copy, executable by nobody (the read-only tests run as nobody)
cp "$AIPROJ" "$T_DIR/aiproj.bin" && chmod 755 "$T_DIR/aiproj.bin"
AIPROJ=$T_DIR/aiproj.bin
export AIPROJ
CASES=0

# strings of N bytes
bytes() { head -c "$2" /dev/zero | tr '\0' "$1"; }

# stderr holds a terminal control character (C0 but tab/newline, DEL, C1)
has_controls() {
	printf '%s' "$1" | od -An -tx1 | tr -s ' \n' '  ' |
		grep -Eq ' (0[0-8b-f]|1[0-9a-f]|7f|c2 [89][0-9a-f])( |$)'
}

# the error is one clear line
clear_error() {
	expect_one_line_error
	[ "${#ERR}" -le 1024 ] || _fail "error line is ${#ERR} bytes long"
	if has_controls "$ERR"; then _fail "control characters on stderr"; fi
}

# rc_in PATTERN: the exit code matches the case PATTERN (e.g. "2|3")
rc_in() {
	eval "case \$RC in $1) ;; *) _fail \"exit code \$RC, expected $1\" ;; esac"
	expect_rc "$RC" # the sanitizer check
}

# refuse RC ARGS...: aiproj ARGS exits RC with one clear error line,
# prints nothing and leaves the store as it was.  The store is snapped again
# only when some other command ran since the last refusal (T_CMD changed)
# or that one failed: else it is still as snapped, which the last
# expect_unchanged proved (a PostgreSQL store's pg_dump takes ~70 ms)
refuse() {
	_want=$1
	shift
	CASES=$((CASES + 1))
	if [ "$T_CMD" != "${R_CMD-}" ] || [ "$T_FAILED" != 0 ]; then snap; fi
	run "$@"
	R_CMD=$T_CMD
	rc_in "$_want"
	expect_out ""
	clear_error
	expect_unchanged
}

# error_names WORD...: the error line names the cause (any of the words)
error_names() {
	for _w in "$@"; do
		case $ERR in *"$_w"*) return 0 ;; esac
	done
	_fail "the error does not name the cause (any of: $*)"
}

# json_is FILTER VALUE: jq FILTER over stdout is the JSON string VALUE
json_is() {
	_got=$(printf '%s' "$OUT" | jq -c "$1" 2>&1)
	_want=$(jq -nc --arg v "$2" '$v')
	[ "$_got" = "$_want" ] || _fail "jq '$1' read back differs" "got: $(printf '%s' "$_got" | head -c 300)"
}

# db_hex SQL: the bytes of the text the query selects, in upper-case hex
db_hex() {
	if is_file_store; then
		store_sql "SELECT hex(($1))"
	else
		store_sql "SELECT upper(encode(convert_to(($1), 'UTF8'), 'hex'))"
	fi
}

# db_is SQL VALUE: the store holds exactly the bytes VALUE there
db_is() {
	_got=$(db_hex "$1")
	_want=$(printf '%s' "$2" | od -An -v -tx1 | tr -d ' \n' | tr a-f A-F)
	[ "$_got" = "$_want" ] || _fail "stored bytes differ for: $1"
}

# ---- setup ----
begin "setup: a project with a KPI and a sponsor"
run project create p
expect_rc 0
run kpi add p k --target '>= 1'
expect_rc 0
run role assign p sponsor Ana
expect_rc 0

# ---- overlong arguments ----
MAXARG=131071
BIG=$(bytes a $MAXARG)
BIGTEXT=$(bytes r 10240)

begin "a 1 MB argument cannot reach aiproj (E2BIG); the store is unchanged"
snap
runsh "\"\$AIPROJ\" project create \"\$(head -c 1048576 /dev/zero | tr '\\0' a)\""
[ "$RC" != 0 ] || _fail "a 1 MB argument was accepted"
case $ERR in *"aiproj: error:"*) _fail "aiproj ran with a 1 MB argument" ;; esac
expect_unchanged

begin "overlong names ($MAXARG bytes, the most argv allows): exit 2"
refuse 2 project create "$BIG"
refuse 2 project create "$(bytes a 65)"
refuse 2 kpi add p "$BIG" --target '>= 1'
refuse 2 component add p "$BIG" --owner devops
refuse "2|3" project show "$BIG"
refuse 2 project rename p "$BIG"

begin "overlong persons and actors: exit 2"
refuse 2 role assign p sponsor "$BIG"
refuse 2 role assign p sponsor "$(bytes b 129)"
refuse 2 --actor "$BIG" project hold p --reason r
refuse 2 --actor "$(bytes b 129)" stage advance p --force --reason r
runsh "AIPROJ_ACTOR=\"\$(head -c $((MAXARG - 20)) /dev/zero | tr '\\0' a)\" \"\$AIPROJ\" project hold p --reason r"
expect_rc 2
clear_error
CASES=$((CASES + 1))

begin "overlong text (10 KiB, $MAXARG bytes, 4097 bytes): exit 2"
refuse 2 project hold p --reason "$BIGTEXT"
refuse 2 project close p --reason "$BIGTEXT"
refuse 2 stage advance p --force --reason "$BIGTEXT"
refuse 2 stage back p --to 1 --reason "$BIGTEXT"
refuse 2 decide p make --cost 1 --reason "$BIGTEXT"
refuse 2 gate done p 1 --note "$BIGTEXT"
refuse 2 gate approve p --note "$BIGTEXT"
refuse 2 gate add p --stage 1 "$BIGTEXT"
refuse 2 component add p cx --owner devops --description "$BIGTEXT"
refuse 2 project create big --description "$BIG"
refuse 2 project create big --description "$(bytes d 4097)"
refuse 2 project create big --description "$(bytes d 4095)é"

begin "an overlong --db path or database name: exit 7, a short clear line"
if is_file_store; then
	refuse 7 --db "$T_DIR/$(bytes d $((MAXARG - 200)))" project create x
	refuse 7 --db "$T_DIR/$(bytes d 300)/s.db" project create x
else
	# (the server refuses a start-up packet this long; names are cut
	# to 63 bytes, so no database is called this)
	refuse 7 --db "${AIPROJ_DB%/*}/$(bytes d $((MAXARG - 200)))" project create x
	refuse 7 --db "${AIPROJ_DB%/*}/$(bytes d 300)" project create x
	# a name the server cuts to one that exists: refused, not opened
	Q63=$(bytes q 63)
	_psql "$AIPROJ_E2E_PG" -c "CREATE DATABASE $Q63" >/dev/null
	Q63U=${AIPROJ_DB%/*}/$Q63
	"$AIPROJ" --db "$Q63U" project list >/dev/null
	snap "$Q63U"
	run --db "${Q63U}EXTRA" project create viaprefix
	expect_rc 7
	expect_one_line_error
	expect_err_has "the server opened another database"
	expect_unchanged "$Q63U"
	_psql "$AIPROJ_E2E_PG" -c "DROP DATABASE $Q63" >/dev/null
fi

begin "text of exactly 4096 bytes (ASCII and 2-byte UTF-8) is kept whole"
T4096=$(bytes x 4096)
U4096=$(for i in $(seq 1 2048); do printf 'é'; done)
run project create edge --description "$T4096"
expect_rc 0
run --format json project show edge
json_is .description "$T4096"
run --actor "$(bytes b 128)" project hold edge --reason "$U4096"
expect_rc 0
run --format json project show edge
json_is .status_reason "$U4096"
db_is "SELECT description FROM project WHERE name = 'edge'" "$T4096"
db_is "SELECT status_reason FROM project WHERE name = 'edge'" "$U4096"
_hex=$(db_hex "SELECT status_reason FROM project WHERE name = 'edge'")
[ "${#_hex}" = 8192 ] || _fail "stored reason is $((${#_hex} / 2)) bytes, not 4096"

# ---- control characters ----
# C0 (but tab and newline), DEL, and C1 (U+0080-U+009F) as UTF-8
CTLS='\001 \010 \015 \033 \177 \302\205 \302\233'
# refuse_in_text V: V in each free-text argument is refused with exit 2
refuse_in_text() {
	refuse 2 project create big --description "$1"
	refuse 2 project hold p --reason "$1"
	refuse 2 stage advance p --force --reason "$1"
	refuse 2 decide p make --cost 1 --reason "$1"
	refuse 2 gate done p 1 --note "$1"
	refuse 2 gate add p --stage 1 "$1"
	refuse 2 component add p cx --owner devops --description "$1"
}

begin "control characters in every free-text argument: exit 2, shown escaped"
for c in $CTLS; do
	# shellcheck disable=SC2059 # the escape is printf's to expand
	v=$(printf "a${c}b")
	refuse_in_text "$v"
	refuse 2 project close p --reason "$v"
done

begin "control characters, tab and newline in names, persons and actors: exit 2"
for c in $CTLS '\t' '\n'; do
	# shellcheck disable=SC2059 # the escape is printf's to expand
	v=$(printf "a${c}b")
	refuse 2 project create "$v"
	refuse 2 kpi add p "$v" --target '>= 1'
	refuse 2 component add p "$v" --owner devops
	refuse 2 role assign p sponsor "$v"
	refuse 2 --actor "$v" project hold p --reason r
	refuse 2 --actor "$v" kpi record p k 1
	refuse 3 project show "$v"
	refuse 3 stage advance p --force --reason r --expect "$v"
	refuse 3 role assign p "$v" Ana
done

begin "a terminal escape in an unknown name is not echoed raw"
refuse 3 project show "$(printf 'x\033]0;pwned\007\033[2J')"
refuse 3 stage history "$(printf 'x\302\2332J')"
refuse 2 --format "$(printf 'json\033[31m')" project list

begin "newline and tab in text are allowed and read back exactly"
NLT=$(printf 'line one\n\tline two\n\nline four\t')
run project create nl --description "$NLT"
expect_rc 0
run project hold nl --reason "$NLT"
expect_rc 0
run --format json project show nl
json_is .description "$NLT"
json_is .status_reason "$NLT"

# ---- SQL and JSON metacharacters ----
# a person (at most 128 bytes) and a text full of SQL, JSON and printf
# metacharacters, quotes of every kind and non-ASCII text
P="Robert'); DROP TABLE project;-- \"O'Brien\" \\ %s%n ?1 :a @b \$c é ✓"
S="x'); DROP TABLE project; --
\" OR \"1\"=\"1' OR '1'='1; DELETE FROM transition WHERE 1; /* */ \`id\` \$(id) \\\\ \\u0000 \\n
%s %n %x %% ?1 ?? :name @v \$v [a] {\"k\": [1]} </script><!-- \\\" 	tab
é ü ✓ 😀 ‮rtl‬ $(printf '\342\200\250') end"
begin "SQL metacharacters in every free-text field are stored literally"
run project create sq --description "$S"
expect_rc 0
run role assign sq sponsor "$P"
expect_rc 0
run role assign sq ai-engineer "$P"
expect_rc 0
run --actor "$P" decide sq make --cost 12.5 --reason "$S"
expect_rc 0
run gate add sq --stage 1 "$S"
expect_rc 0
crit=$(printf '%s' "$OUT" | sed -n 's/^Added criterion \([0-9]*\) .*/\1/p')
[ -n "$crit" ] || _fail "no criterion id in: $OUT"
run kpi add sq auc --target '>= 0.5'
expect_rc 0
run --actor "$P" kpi record sq auc 0.75
expect_rc 0
run --actor "$P" gate approve sq --note "$S"
expect_rc 0
run --actor "$P" stage advance sq --force --reason "$S"
expect_rc 0
run --actor "$P" stage back sq --to 1 --reason "$S"
expect_rc 0
# (after the move back, which reopens the criteria of stage 1)
run --actor "$P" gate done sq "${crit:-1}" --note "$S"
expect_rc 0
run component add sq sqc --owner devops --description "$S"
expect_rc 0
run project hold sq --reason "$S"
expect_rc 0

begin "... and read back exactly: project show --format json"
run --format json project show sq
expect_rc 0
json_is .description "$S"
json_is .status_reason "$S"
json_is .decision.reason "$S"
json_is .decision.actor "$P"
json_is '[.assignments[].person] | unique | .[0]' "$P"
jq_out '.assignments | length' 2

begin "... stage history, gate show and component list --format json"
run --format json stage history sq
expect_rc 0
jq_out '.transitions | length' 2
json_is '.transitions[0].reason' "$S"
json_is '.transitions[1].reason' "$S"
json_is '.transitions[0].actor' "$P"
json_is '.transitions[1].actor' "$P"
run --format json gate show sq --stage 1
expect_rc 0
json_is "[.criteria[] | select(.id == \"${crit:-1}\")][0].text" "$S"
run --format json component list sq
expect_rc 0
json_is '[.components[] | select(.name == "sqc")][0].description' "$S"

begin "... and byte for byte in the store (notes, approvals, readings)"
db_is "SELECT note FROM criterion WHERE id = ${crit:-1} AND project_id = (SELECT id FROM project WHERE name = 'sq')" "$S"
db_is "SELECT done_by FROM criterion WHERE id = ${crit:-1} AND project_id = (SELECT id FROM project WHERE name = 'sq')" "$P"
db_is "SELECT note FROM approval WHERE project_id = (SELECT id FROM project WHERE name = 'sq')" "$S"
db_is "SELECT person FROM approval WHERE project_id = (SELECT id FROM project WHERE name = 'sq')" "$P"
db_is "SELECT actor FROM kpi_reading WHERE project_id = (SELECT id FROM project WHERE name = 'sq')" "$P"
[ "$(store_sql "SELECT count(*) FROM project")" -ge 4 ] || _fail "projects were lost"
ic=$(store_integrity)
[ "$ic" = ok ] || _fail "the store is not intact" "$ic"

begin "SQL in names, stages and roles: refused or not found, nothing runs"
refuse 2 project create "x');DROP TABLE project;--"
refuse 2 project rename p "q'; --"
refuse 2 kpi add p "k' OR 1=1" --target '>= 1'
refuse 2 kpi add p k2 --target '>= 1; DROP TABLE kpi'
refuse 2 report roles "x' OR 1=1"
refuse 3 project show "' OR '1'='1"
refuse 3 project delete "p' OR 1=1" --yes
refuse 3 kpi record p "k' OR 1=1" 1
refuse 2 project list --stage "x' OR 1=1"
refuse 3 gate show p --stage "1 OR 1=1"
refuse 3 role assign p "sponsor'--" Ana
refuse 3 role unassign p sponsor "' OR 1=1 --"
refuse 3 project show "%"
refuse 3 project show "p_"
refuse 3 stage history "p*"

begin "numbers out of range or malformed: exit 2, never a different value"
refuse 2 gate done p 99999999999999999999
expect_err_has 99999999999999999999
refuse 2 gate done p -1
refuse 2 gate done p 1x
refuse 2 kpi record p k 1e999
refuse 2 kpi record p k nan
refuse 2 kpi record p k -- -inf
refuse 2 decide p make --cost 1e999 --reason r
refuse 2 decide p make --cost -5 --reason r
refuse 2 kpi add p k3 --target '>= 1e999'
refuse 3 stage check p --is 0
refuse 3 stage check p --is 99999999999999999999

# ---- invalid UTF-8 ----
# lone continuation, overlong NUL and '/', surrogate, truncated, beyond
# U+10FFFF, 5-byte form, 0xFE/0xFF
BADS='\200 \300\200 \301\257 \355\240\200 \342\202 \364\220\200\200 \370\210\200\200\200 \376 \377'
begin "invalid UTF-8 in names, persons, actors and text: exit 2"
for b in $BADS; do
	# shellcheck disable=SC2059 # the escape is printf's to expand
	v=$(printf "a${b}b")
	refuse 2 project create "$v"
	refuse_in_text "$v"
	refuse 2 role assign p sponsor "$v"
	refuse 2 --actor "$v" project hold p --reason r
	refuse 2 kpi add p "$v" --target '>= 1'
	refuse 3 project show "$v"
done

# ---- broken and strange stores ----
# All of the rest is about store files (their bytes, types, links, modes and
# the disk under them): on a server store it is skipped (and counted).
begin "the store is left closed (no -wal file); broken and strange store files follow"
if file_store; then
	# the real store, closed (no -wal, -shm)
	REAL=$AIPROJ_DB
	[ ! -e "$REAL-wal" ] || _fail "the store was left with a -wal file"

	# store_case FILE RC WORDS: reads and writes on FILE exit RC, name the cause
	store_case() {
		_f=$1
		_rc=$2
		shift 2
		for _cmd in "project list" "stage show p" "project create x" "kpi record p k 1"; do
			CASES=$((CASES + 1))
			snap "$_f"
			# shellcheck disable=SC2086
			run --db "$_f" $_cmd
			expect_rc "$_rc"
			expect_out ""
			clear_error
			error_names "$@"
			expect_unchanged "$_f"
		done
	}

	for n in half 4096 100 16; do
		f=$T_DIR/trunc$n.db
		cp "$REAL" "$f"
		size=$n
		[ "$n" = half ] && size=$(($(stat -c %s "$REAL") / 2))
		truncate -s "$size" "$f"
		begin "a store truncated to $size bytes ($n): exit 7, unchanged"
		store_case "$f" 7 corrupt "not an aiproj store" "not an SQLite"
	done

	begin "a store whose header is overwritten: exit 7, unchanged"
	cp "$REAL" "$T_DIR/smashed.db"
	printf 'garbage garbage!' | dd of="$T_DIR/smashed.db" conv=notrunc 2>/dev/null
	store_case "$T_DIR/smashed.db" 7 corrupt "not an aiproj store" "not an SQLite"

	begin "a store of random bytes: exit 7, unchanged"
	head -c 8192 /dev/urandom >"$T_DIR/random.db"
	store_case "$T_DIR/random.db" 7 corrupt "not an aiproj store" "not an SQLite"

	begin "an empty (0-byte) file: only init makes it a store (0600)"
	: >"$T_DIR/empty.db"
	chmod 644 "$T_DIR/empty.db"
	run --db "$T_DIR/empty.db" project create e
	expect_rc 7
	expect_err "aiproj: error: '$T_DIR/empty.db' is an empty file, not an aiproj store: 'aiproj init' makes it one"
	[ -s "$T_DIR/empty.db" ] && _fail "the empty file was written"
	run --db "$T_DIR/empty.db" init
	expect_rc 0
	expect_out "Initialized empty aiproj store at $T_DIR/empty.db"
	[ "$(sqlite3 "$T_DIR/empty.db" 'PRAGMA application_id')" = 1095323730 ] ||
		_fail "the empty file was not made an aiproj store"
	[ "$(stat -c %a "$T_DIR/empty.db")" = 600 ] || _fail "mode $(stat -c %a "$T_DIR/empty.db")"

	begin "a store that is a directory: exit 7, nothing created in it"
	mkdir "$T_DIR/dir.db"
	store_case "$T_DIR/dir.db" 7 directory
	[ -z "$(ls -A "$T_DIR/dir.db")" ] || _fail "files created in the directory"

	begin "a store that is a FIFO: exit 7 at once, no hang"
	mkfifo "$T_DIR/fifo.db"
	runsh "timeout 10 \"\$AIPROJ\" --db '$T_DIR/fifo.db' project list"
	expect_rc 7
	clear_error
	error_names "regular file"
	CASES=$((CASES + 1))

	begin "a store path under a regular file: exit 7, says why"
	echo text >"$T_DIR/plain.txt"
	store_case "$T_DIR/plain.txt/s.db" 7 "Not a directory" "not a directory"

	begin "a symlink loop as store: exit 7, says why"
	ln -s cyc2.db "$T_DIR/cyc1.db"
	ln -s cyc1.db "$T_DIR/cyc2.db"
	store_case "$T_DIR/cyc1.db" 7 "symbolic link" "loop"

	# Symlinks are followed (as sqlite3 and git do): the link is a name for
	# its target; SQLite puts -wal and -shm next to the target, and the link
	# stays a link.
	begin "a symlinked store: followed; writes reach the target, the link stays"
	cp "$REAL" "$T_DIR/target.db"
	ln -s target.db "$T_DIR/link.db"
	run --db "$T_DIR/link.db" project create vialink
	expect_rc 0
	expect_err ""
	[ -L "$T_DIR/link.db" ] || _fail "the link was replaced"
	[ "$(sqlite3 "$T_DIR/target.db" "SELECT count(*) FROM project WHERE name = 'vialink'")" = 1 ] ||
		_fail "the write did not reach the target"
	[ ! -e "$T_DIR/link.db-wal" ] && [ ! -e "$T_DIR/link.db-shm" ] ||
		_fail "-wal/-shm next to the link"
	run --db "$T_DIR/target.db" --format json project show vialink
	expect_rc 0

	# A dangling symlink is a missing store: reads see nothing, a command that
	# creates the store creates the link's target (as `sqlite3 link.db` does).
	begin "a dangling symlink: a read is exit 7 (no store); create makes the target"
	ln -s nothere.db "$T_DIR/dangling.db"
	run --db "$T_DIR/dangling.db" project list
	expect_rc 7
	expect_err "aiproj: error: no aiproj store at '$T_DIR/dangling.db': 'aiproj init' creates one"
	[ ! -e "$T_DIR/nothere.db" ] || _fail "a read created the target"
	run --db "$T_DIR/dangling.db" project create d
	expect_rc 0
	[ -L "$T_DIR/dangling.db" ] || _fail "the link was replaced"
	[ -f "$T_DIR/nothere.db" ] || _fail "the target was not created"
	[ "$(stat -c %a "$T_DIR/nothere.db")" = 600 ] || _fail "target mode $(stat -c %a "$T_DIR/nothere.db")"

	# ---- a full disk ----
	FULL=$T_DIR/tiny
	mkdir "$FULL"
	if mount -t tmpfs -o size=1m tmpfs "$FULL" 2>/dev/null; then
		trap 'umount "$FULL" 2>/dev/null' EXIT
		# fill the tmpfs, leaving exactly $1 KiB free
		fill() {
			rm -f "$FULL/fill"*
			dd if=/dev/zero of="$FULL/pad" bs=1k count="$1" 2>/dev/null
			dd if=/dev/zero of="$FULL/fill1" bs=4k 2>/dev/null
			dd if=/dev/zero of="$FULL/fill2" bs=1k 2>/dev/null
			rm -f "$FULL/pad"
		}
		FS=$FULL/s.db
		run --db "$FS" project create p
		expect_rc 0
		run --db "$FS" kpi add p k --target '>= 1'
		expect_rc 0

		# refuse_on_fs CHECK WORD1 WORD2 CMD...: each CMD on $FS exits 7
		# with one line naming WORD1 or WORD2, and CHECK $FS holds
		refuse_on_fs() {
			_chk=$1 _w1=$2 _w2=$3
			shift 3
			for cmd in "$@"; do
				CASES=$((CASES + 1))
				snap "$FS"
				# shellcheck disable=SC2086
				run --db "$FS" $cmd
				expect_rc 7
				# (a write's output is written before its COMMIT,
				# so a failed COMMIT may follow it: the exit and
				# the error say the change was not made)
				clear_error
				error_names "$_w1" "$_w2"
				"$_chk" "$FS"
			done
		}

		# 200 KiB hold no store with its WAL (~230 KiB at creation): 1 MiB,
		# filled up to what the -shm needs (32 KiB)
		begin "a disk with room for the -shm only: writes exit 7 'disk full', unchanged"
		fill 32
		refuse_on_fs expect_unchanged_but_wal full space \
			"project create n" "kpi record p k 2" "role assign p sponsor Ana" \
			"stage advance p --force --reason r" "gate done p 1"
		run --db "$FS" --format json project show p
		expect_rc 0
		jq_out .stage feasibility

		begin "a completely full disk: every command exits 7, says so, unchanged"
		fill 0
		refuse_on_fs expect_unchanged_but_wal full space \
			"project create n" "kpi record p k 2" "stage show p" "project list"

		begin "after space is freed the store works and is intact"
		rm -f "$FULL/fill"*
		run --db "$FS" kpi record p k 3
		expect_rc 0
		[ "$(sqlite3 "$FS" 'PRAGMA integrity_check')" = ok ] || _fail "integrity_check failed"
		[ "$(sqlite3 "$FS" 'SELECT count(*) FROM kpi_reading')" = 1 ] || _fail "reading count"

		# a read-only file system
		begin "a read-only file system: writes exit 7, say why, unchanged; reads work"
		if mount -o remount,ro "$FULL" 2>/dev/null; then
			refuse_on_fs expect_unchanged read-only Read-only \
				"project create n" "kpi record p k 2"
			snap "$FS"
			run --db "$FS" --format json project show p
			expect_rc 0
			jq_out .stage feasibility
			expect_unchanged "$FS"
		else
			echo "  skipped: cannot remount read-only" >&2
		fi
		umount "$FULL" || _fail "cannot unmount $FULL"
		trap - EXIT
	else
		echo "  skipped: cannot mount a tmpfs (not root?): full-disk cases" >&2
	fi

	# A file size limit: with SIGXFSZ ignored, writes past the limit fail with
	# EFBIG.  stdout and stderr must be pipes (the limit applies to them too).
	begin "a file size limit (ulimit -f 0, SIGXFSZ ignored): exit 7, says why, unchanged"
	cp "$REAL" "$T_DIR/fsize.db"
	for cmd in "project create n" "kpi record p k 2" "project list"; do
		CASES=$((CASES + 1))
		snap "$T_DIR/fsize.db"
		T_CMD="ulimit -f 0; aiproj $cmd"
		# shellcheck disable=SC2086
		res=$( (trap '' XFSZ; ulimit -f 0; "$AIPROJ" --db "$T_DIR/fsize.db" $cmd 2>&1 >/dev/null </dev/null; echo "rc=$?") )
		RC=${res##*rc=}
		ERR=${res%rc=*}
		ERR=${ERR%?}
		printf '%s\n' "$ERR" >"$T_DIR/err"
		expect_rc 7
		clear_error
		error_names "too large" "limit" "full"
		expect_unchanged_but_wal "$T_DIR/fsize.db"
	done

	# ---- a read-only store, as nobody ----
	if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
		chmod 755 "$T_DIR"
		AS_NOBODY="setpriv --reuid=nobody --regid=nogroup --clear-groups"
		RO=$T_DIR/ro
		mkdir "$RO"
		cp "$REAL" "$RO/s.db"
		chmod 755 "$RO"
		chmod 644 "$RO/s.db"

		# as_nobody RC ARGS: aiproj ARGS as nobody on $RO/s.db
		as_nobody() {
			_want=$1
			shift
			CASES=$((CASES + 1))
			snap "$RO/s.db"
			runsh "$AS_NOBODY env AIPROJ_DB='$RO/s.db' AIPROJ_ACTOR=x \"\$AIPROJ\" $*"
			expect_rc "$_want"
			expect_out ""
			clear_error
			expect_unchanged "$RO/s.db"
		}

		begin "a read-only store in a read-only directory: writes exit 7, unchanged"
		as_nobody 7 project create n
		error_names "read-only"
		as_nobody 7 kpi record p k 2
		error_names "read-only"
		as_nobody 7 stage advance p --force --reason r
		error_names "read-only"

		begin "a read-only store in a writable directory: writes exit 7, unchanged"
		chmod 1777 "$RO"
		as_nobody 7 project create n
		error_names "read-only"
		as_nobody 7 role assign p devops Bo
		error_names "read-only"
		chmod 755 "$RO"
		rm -f "$RO/s.db-wal" "$RO/s.db-shm"

		begin "an unreadable store: exit 7, says why, unchanged"
		chmod 600 "$RO/s.db"
		as_nobody 7 project list
		error_names "ermission"
		as_nobody 7 project create n
		error_names "ermission"
		chmod 700 "$T_DIR"
	else
		echo "  skipped: no user nobody or no setpriv: read-only cases" >&2
	fi
else
	skipped_after "# ---- broken and strange stores ----" \
		"broken, strange and unwritable store files (file store only)"
fi

echo "  hostile corpus: $CASES refused or checked commands" >&2
finish
