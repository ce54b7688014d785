# Writing output and files: a non-zero exit means nothing changed.
#
# - A write command whose standard output cannot be written (/dev/full, a
#   closed descriptor), in text and JSON, exits 7 with "cannot write
#   output: ...; nothing was changed" and the store is unchanged; a retry
#   then succeeds.  With -q nothing is written, so nothing can fail.
# - A read command whose output fails exits 7 and says why, also when the
#   output is larger than a buffer.
# - A closed standard descriptor is never taken by a file aiproj opens (the
#   store, a server connection, a temporary file): reading or writing it
#   fails cleanly.
# - export -o: a new name or a regular file is replaced whole; a symbolic
#   link (a chain, a relative one, a dangling one) is followed and its
#   target replaced, never the link; a FIFO, a character device,
#   /dev/stdout and /dev/stderr are written through; -o - is standard
#   output; a directory, a loop, a missing or unwritable directory are
#   refused and leave nothing; the store and its -wal, -shm and -journal
#   (same file or same name) are refused with exit 2 before anything is
#   written (file store only).
. "$(dirname "$0")/lib.sh"
T_CMD="(no command yet)" RC="" # _fail reads them (set -u)

FULL="cannot write output: No space left on device"
CLOSED="cannot write output: Bad file descriptor"
A=\"\$AIPROJ\"

# the fixture: every step must succeed
begin "the fixture is made"
for cmd in "init" "project create p --description first" \
	"kpi add p auc --target '>= 0.8'" "gate add p --stage feasibility 'data ok'" \
	"gate done p 2" "role assign p sponsor Ana" \
	"project create h" "project hold h --reason r" \
	"project create b" "stage advance b --force --reason r"; do
	runsh "$A $cmd"
	expect_rc 0
done
printf 'aiproj: 1\nprojects: []\n' >"$T_DIR/empty.yaml"

# ---- a write command whose output cannot be written ----

# refused_output SINK EXPECTED: each command of $WRITES, in text and JSON,
# with standard output sent to SINK ('>/dev/full', '>&-'), exits 7 with the
# one line EXPECTED and leaves the store unchanged
WRITES="init
project create n
project rename p q
project hold p --reason r
project resume h
project close p --reason r
project delete p --yes
stage advance p --force --reason r
stage back b --to feasibility --reason r
gate add p --stage feasibility more
gate done p 1
gate reopen p 2
--actor Ana gate approve p
decide p make --reason r
kpi add p f1 --target '>= 1'
kpi record p auc 0.9
role assign p devops Bo
role unassign p sponsor Ana
component add p api --owner devops
policy set roles
import '$T_DIR/empty.yaml'
import --dry-run '$T_DIR/empty.yaml'"
# expect_err_as CMD MSG: the error as CMD asked for it (JSON on stderr
# with --format json, else text)
expect_err_as() {
	case " $1 " in
	*" --format json "*) expect_err "{\"aiproj\":1,\"error\":{\"code\":7,\"message\":\"$2\"}}" ;;
	*) expect_err "aiproj: error: $2" ;;
	esac
}

refused_output() {
	while IFS= read -r cmd; do
		for fmt in "" "--format json"; do
			snap
			runsh "$A $fmt $cmd $1"
			expect_rc 7
			expect_err_as "$fmt" "$2; nothing was changed"
			expect_unchanged
		done
	done <<-EOF
	$WRITES
	EOF
}

begin "a write with standard output on /dev/full: exit 7, nothing was changed"
refused_output '>/dev/full' "$FULL"

begin "a write with standard output closed: exit 7, nothing was changed"
refused_output '>&-' "$CLOSED"

begin "a write whose output failed can be retried: it was not made"
runsh "$A project create n >/dev/full"
expect_rc 7
run project create n
expect_rc 0
expect_out_has "Created project 'n'"
runsh "$A --format json kpi record p auc 0.9 >&-"
expect_rc 7
run --format json kpi list p
expect_rc 0
jq_out '.kpis[] | select(.name == "auc") | .latest' null

begin "with -q nothing is written, so a write succeeds with stdout full or closed"
runsh "$A -q project create quiet1 >/dev/full"
expect_rc 0
expect_err ""
runsh "$A -q --format json project create quiet2 >&-"
expect_rc 0
expect_err ""
run --format json project list
jq_out '[.projects[].project | select(startswith("quiet"))] | join(",")' quiet1,quiet2

# ---- a read command whose output cannot be written ----
# fails_to_write CMD: CMD with standard output on /dev/full, then closed,
# is exit 7 with the reason
fails_to_write() {
	runsh "$A $1 >/dev/full"
	expect_rc 7
	expect_err_as "$1" "$FULL"
	runsh "$A $1 >&-"
	expect_rc 7
	expect_err_as "$1" "$CLOSED"
}

begin "a read with standard output on /dev/full or closed: exit 7, says why, unchanged"
for cmd in "project list" "project show p" "stage show p" "report status" \
	"export" "--format json export" "export -o -" "--format json kpi list p"; do
	snap
	fails_to_write "$cmd"
	expect_unchanged
done

begin "an output larger than a buffer that fails midway: exit 7 with the real reason"
LONG=$(head -c 3000 /dev/zero | tr '\0' x)
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25; do
	runsh "$A -q project create big$i --description $LONG"
	expect_rc 0
done
run export
expect_rc 0
[ "${#OUT}" -gt 70000 ] || _fail "the export is only ${#OUT} bytes"
for cmd in "export" "--format json export" "--format json project list" "report status"; do
	fails_to_write "$cmd"
done

# ---- closed standard descriptors ----
begin "stdin closed: import - fails to read it (exit 6), unchanged"
snap
runsh "$A import - <&-"
expect_rc 6
expect_err "aiproj: error: cannot read '-': Bad file descriptor"
expect_unchanged

begin "stderr closed: a failing command still fails with its own code, unchanged"
snap
runsh "$A project show nosuch 2>&-"
expect_rc 3
expect_unchanged
runsh "$A stage advance p --reason r 2>&- >&-"
expect_rc 4
expect_unchanged

begin "all three closed: a write fails with exit 7, unchanged"
snap
runsh "$A project create closed3 <&- >&- 2>&-"
expect_rc 7
expect_unchanged

begin "export -o with stdout and stderr closed: the file is the export, no message in it"
run export
REF=$OUT
runsh "$A export -o '$T_DIR/closed.yaml' >&- 2>&-"
expect_rc 0
[ "$(cat "$T_DIR/closed.yaml")" = "$REF" ] || _fail "closed.yaml is not the export"
[ "$(ls "$T_DIR" | grep -c 'closed\.yaml')" = 1 ] || _fail "files left: $(ls "$T_DIR")"

# ---- export -o: what it writes to ----
O=$T_DIR/o
mkdir "$O"
run export
REF=$OUT
N=$(printf '%s\n' "$REF" | sed '/^people:$/,$d' | grep -c '^- name: ')
MSG_N="aiproj: exported $N projects to"
# is_export FILE: FILE holds the export
is_export() { [ "$(cat "$1")" = "$REF" ] || _fail "$1 is not the export"; }
# only_in DIR NAMES: DIR holds exactly NAMES (no temporary file left)
only_in() { [ "$(ls -A "$1" | tr '\n' ' ')" = "$2" ] || _fail "$1 holds: $(ls -A "$1")"; }

begin "-o a new file: the export, mode 0600, no temporary file left"
run export -o "$O/new.yaml"
expect_rc 0
expect_out ""
expect_err "$MSG_N $O/new.yaml"
is_export "$O/new.yaml"
[ "$(stat -c %a "$O/new.yaml")" = 600 ] || _fail "mode $(stat -c %a "$O/new.yaml")"
only_in "$O" "new.yaml "

begin "-o a regular file: replaced whole (a new file renamed over it)"
echo old >"$O/new.yaml"
ino=$(stat -c %i "$O/new.yaml")
run export -o "$O/new.yaml"
expect_rc 0
is_export "$O/new.yaml"
[ "$(stat -c %i "$O/new.yaml")" != "$ino" ] || _fail "written in place, not renamed"
only_in "$O" "new.yaml "

begin "-o a symlink: its target is replaced, the link stays a link"
echo old >"$O/target.yaml"
ln -s target.yaml "$O/link"
run export -o "$O/link"
expect_rc 0
expect_err "$MSG_N $O/link"
[ -L "$O/link" ] || _fail "the link was replaced"
[ "$(readlink "$O/link")" = target.yaml ] || _fail "the link changed"
is_export "$O/target.yaml"
only_in "$O" "link new.yaml target.yaml "

begin "-o a chain of symlinks, relative from other directories: the last target"
mkdir "$O/d1" "$O/d2"
ln -s ../d2/l2 "$O/d1/l1"
ln -s ../chain.yaml "$O/d2/l2"
run export -o "$O/d1/l1"
expect_rc 0
[ -L "$O/d1/l1" ] && [ -L "$O/d2/l2" ] || _fail "a link was replaced"
is_export "$O/chain.yaml"
only_in "$O/d1" "l1 "
only_in "$O/d2" "l2 "
rm -r "$O/d1" "$O/d2" "$O/chain.yaml"

begin "-o a dangling symlink: the file it names is created"
ln -s made.yaml "$O/dangling"
run export -o "$O/dangling"
expect_rc 0
[ -L "$O/dangling" ] || _fail "the link was replaced"
is_export "$O/made.yaml"
only_in "$O" "dangling link made.yaml new.yaml target.yaml "
rm -f "$O"/*

begin "-o a dangling symlink into a missing directory: exit 2, nothing made"
ln -s nodir/x.yaml "$O/dangling"
run export -o "$O/dangling"
expect_rc 2
expect_err "aiproj: error: cannot write '$O/dangling': No such file or directory"
only_in "$O" "dangling "
rm -f "$O/dangling"

begin "-o a symlink loop: exit 2, says why"
ln -s loop2 "$O/loop1"
ln -s loop1 "$O/loop2"
run export -o "$O/loop1"
expect_rc 2
expect_err "aiproj: error: cannot write '$O/loop1': Too many levels of symbolic links"
only_in "$O" "loop1 loop2 "
rm -f "$O"/loop*

begin "-o a directory: exit 2, nothing written in it"
run export -o "$O"
expect_rc 2
expect_err "aiproj: error: cannot write '$O': it is a directory"
only_in "$O" ""

begin "-o in a missing directory: exit 2, says why"
run export -o "$O/nodir/x.yaml"
expect_rc 2
expect_err "aiproj: error: cannot write '$O/nodir/x.yaml': No such file or directory"
only_in "$O" ""

begin "-o '': exit 2"
run export -o ""
expect_rc 2
expect_err "aiproj: error: option --output is empty: give it a value or leave it out"

begin "-o a FIFO: written through, the FIFO stays"
mkfifo "$O/fifo"
timeout 20 cat "$O/fifo" >"$T_DIR/from-fifo" &
run export -o "$O/fifo"
wait
expect_rc 0
expect_err "$MSG_N $O/fifo"
[ -p "$O/fifo" ] || _fail "the FIFO was replaced"
is_export "$T_DIR/from-fifo"
only_in "$O" "fifo "
rm -f "$O/fifo"

# The devices and links are made in the test's directory, the same as the
# system's: an aiproj that regressed replaces these, never /dev's own.
DEV=$T_DIR/dev
mkdir "$DEV"
ln -s /proc/self/fd/1 "$DEV/stdout"
ln -s /proc/self/fd/2 "$DEV/stderr"
begin "-o a character device (null, full): written through, the device stays"
if mknod "$DEV/null" c 1 3 2>/dev/null && mknod "$DEV/full" c 1 7; then
	run export -o "$DEV/null"
	expect_rc 0
	expect_err "$MSG_N $DEV/null"
	[ -c "$DEV/null" ] || _fail "$DEV/null is no longer a device"
	run export -o "$DEV/full"
	expect_rc 7
	expect_err "aiproj: error: cannot write '$DEV/full': No space left on device"
	[ -c "$DEV/full" ] || _fail "$DEV/full is no longer a device"
	only_in "$DEV" "full null stderr stdout "
else
	echo "  skipped: cannot make device nodes (not root?)" >&2
fi

begin "-o /dev/stdout (a link to /proc/self/fd/1): standard output as a file, a pipe, closed"
runsh "$A export -o '$DEV/stdout'"
expect_rc 0
expect_out "$REF"
expect_err "$MSG_N $DEV/stdout"
runsh "$A export -o '$DEV/stdout' | cat"
expect_rc 0
expect_out "$REF"
runsh "echo first; $A export -o '$DEV/stdout' >>'$T_DIR/out'"
expect_rc 0
expect_out "first
$REF"
runsh "$A export -o '$DEV/stdout' >&-"
expect_rc 7
expect_err "aiproj: error: cannot write '$DEV/stdout': Bad file descriptor"
runsh "$A export -o '$DEV/stdout' >/dev/full"
expect_rc 7
expect_err "aiproj: error: cannot write '$DEV/stdout': No space left on device"
[ "$(readlink "$DEV/stdout")" = /proc/self/fd/1 ] || _fail "the link was replaced"

begin "-o /dev/stderr (a link to /proc/self/fd/2): standard error"
runsh "$A -q export -o '$DEV/stderr' 2>&1"
expect_rc 0
expect_out "$REF"
[ "$(readlink "$DEV/stderr")" = /proc/self/fd/2 ] || _fail "the link was replaced"

begin "-o -: standard output, as without -o, no message"
run export -o -
expect_rc 0
expect_out "$REF"
expect_err ""
run --format json export -o -
expect_rc 0
jq_out '.projects | length' "$N"

begin "-o in a directory that is not writable: exit, nothing left behind"
if mount -t tmpfs -o ro,size=64k none "$O" 2>/dev/null; then
	run export -o "$O/x.yaml"
	expect_rc 2
	expect_err "aiproj: error: cannot write '$O/x.yaml': Read-only file system"
	only_in "$O" ""
	umount "$O" || _fail "cannot unmount $O"
else
	echo "  skipped: cannot mount a read-only tmpfs (not root?)" >&2
fi
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	chmod 755 "$T_DIR" "$O"
	echo old >"$O/kept.yaml"
	chmod 644 "$O/kept.yaml"
	DB=$AIPROJ_DB
	if is_file_store; then
		# nobody reads a copy of the store in a directory it may write
		mkdir -m 1777 "$T_DIR/pub"
		cp "$AIPROJ_DB" "$T_DIR/pub/s.db"
		chmod 666 "$T_DIR/pub/s.db"
		DB=$T_DIR/pub/s.db
	fi
	for f in "$O/x.yaml" "$O/kept.yaml"; do
		runsh "setpriv --reuid=nobody --regid=nogroup --clear-groups env AIPROJ_DB='$DB' AIPROJ_ACTOR=x $A export -o '$f'"
		expect_rc 2
		expect_err "aiproj: error: cannot write '$f': Permission denied"
		only_in "$O" "kept.yaml "
		[ "$(cat "$O/kept.yaml")" = old ] || _fail "kept.yaml changed"
	done
	chmod 700 "$T_DIR"
	rm -f "$O/kept.yaml"
else
	echo "  skipped: no user nobody or no setpriv: permission case" >&2
fi

# ---- export -o naming the store ----
if is_file_store; then
	S=$AIPROJ_DB
	D=$(dirname "$S")
	# refused_store PATH NAMED: export -o PATH exits 2 naming the store's
	# file NAMED, and the store and its directory are unchanged
	refused_store() {
		_before=$(ls -A "$D" | tr '\n' ' ')
		snap
		run export -o "$1"
		expect_rc 2
		case $2 in
		"$S") expect_err "aiproj: error: cannot write '$1': it is the store '$2'; nothing was written" ;;
		*) expect_err "aiproj: error: cannot write '$1': it is a file of the store '$2'; nothing was written" ;;
		esac
		expect_unchanged
		[ "$(ls -A "$D" | tr '\n' ' ')" = "$_before" ] || _fail "files changed: $(ls -A "$D")"
		[ "$(store_integrity)" = ok ] || _fail "the store is damaged"
	}

	begin "-o the store: exit 2, nothing written"
	refused_store "$S" "$S"
	refused_store "$D/./$(basename "$S")" "$S"

	begin "-o a symlink to the store, a chain, a hard link: exit 2"
	ln -s "$S" "$O/to-store"
	ln -s to-store "$O/to-to-store"
	ln "$S" "$O/hard"
	refused_store "$O/to-store" "$S"
	refused_store "$O/to-to-store" "$S"
	refused_store "$O/hard" "$S"
	rm -f "$O/to-store" "$O/to-to-store" "$O/hard"

	begin "-o the store's -wal, -shm, -journal (present or not): exit 2"
	refused_store "$S-wal" "$S-wal"
	refused_store "$S-shm" "$S-shm"
	refused_store "$S-journal" "$S-journal"
	ln -s "$S-journal" "$O/to-journal"
	refused_store "$O/to-journal" "$S-journal"
	rm -f "$O/to-journal"

	begin "-o /dev/stdout when standard output is the store: exit 2, unchanged"
	snap
	runsh "$A export -o '$DEV/stdout' 1<>'$S'"
	expect_rc 2
	expect_err "aiproj: error: cannot write '$DEV/stdout': it is the store '$S'; nothing was written"
	expect_unchanged

	begin "-o a store that does not exist yet: exit 7 (no store), it is not created"
	run --db "$T_DIR/none.db" export -o "$T_DIR/none.db"
	expect_rc 7
	expect_err "aiproj: error: no aiproj store at '$T_DIR/none.db': 'aiproj init' creates one"
	[ ! -e "$T_DIR/none.db" ] || _fail "none.db was created"

	begin "-o a symlinked store's real name: exit 2"
	ln -s "$S" "$T_DIR/alias.db"
	snap
	run --db "$T_DIR/alias.db" export -o "$S-wal"
	expect_rc 2
	expect_err "aiproj: error: cannot write '$S-wal': it is a file of the store '$S-wal'; nothing was written"
	expect_unchanged
	rm -f "$T_DIR/alias.db"
else
	skipped_after "# ---- export -o naming the store ----" \
		"-o naming the store (file store only)"
fi

finish
