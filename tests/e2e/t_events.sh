# The event feed (issue 19): `aiproj events` prints the log's events with
# store-wide ids in commit order, resumes after an id (--since), and with
# --follow waits for more (PostgreSQL: LISTEN; SQLite: the file's data
# version), seeing another process's move within a second and exiting 0 on
# SIGINT, SIGTERM and a closed pipe.  The relay of docs/events.md runs
# against a listener on 127.0.0.1.  Times are pinned with AIPROJ_NOW.
. "$(dirname "$0")/lib.sh"


begin "the fixture builds: two projects, events in many tables"
at 2026-01-01T09:00:00.000Z
ok project create churn
at 2026-01-01T10:00:00.000Z
ok project create other
at 2026-01-02T09:00:00.000Z
ok role assign churn sponsor 'Ana Lima'
ok decide churn make --cost 120000 --reason 'no vendor fits'
at 2026-01-03T10:00:00.000Z
ok kpi add churn auc --target '>= 0.8'
ok gate done churn 1 --note 'see ADR-12'
at 2026-01-04T13:00:00.000Z
ok note churn 'vendor demo on Friday'
ok stage due churn 2026-01-10
at 2026-01-05T08:00:00.000Z
ok --actor 'Ana Lima' gate approve churn
ok kpi record churn auc 0.83
at 2026-01-05T13:00:00.000Z
ok stage advance churn --force --reason hurry
ok project hold other --reason 'waiting for data'

begin "events (csv): every event with its id, in the order written"
run events --format csv
expect_rc 0
expect_err ""
crlf
expect_out "id,at,project,event,actor,what,note
1,2026-01-01T09:00:00.000Z,churn,created,-,at feasibility,
2,2026-01-01T10:00:00.000Z,other,created,-,at feasibility,
3,2026-01-02T09:00:00.000Z,churn,assign,-,sponsor: Ana Lima,
4,2026-01-02T09:00:00.000Z,churn,decide,tester,\"make, cost 120000\",no vendor fits
5,2026-01-03T10:00:00.000Z,churn,kpi,-,auc >= 0.8,
6,2026-01-03T10:00:00.000Z,churn,tick,tester,#1 Goals set for re-training,see ADR-12
7,2026-01-04T13:00:00.000Z,churn,note,tester,,vendor demo on Friday
8,2026-01-04T13:00:00.000Z,churn,due,tester,feasibility by 2026-01-10,
9,2026-01-05T08:00:00.000Z,churn,approve,Ana Lima,feasibility as sponsor,
10,2026-01-05T08:00:00.000Z,churn,reading,tester,auc = 0.83,
11,2026-01-05T13:00:00.000Z,churn,forced,tester,feasibility -> data-preparation,hurry
12,2026-01-05T13:00:00.000Z,other,hold,tester,,waiting for data"

begin "the feed has the log's events, each once"
run log --format json
expect_rc 0
logged=$(printf '%s\n' "$OUT" | jq -c '[.events[] | [.at, .project, .event, .what]] | sort')
run events --format json
expect_rc 0
fed=$(printf '%s\n' "$OUT" | jq -sc '[.[] | [.at, .project, .event, .what]] | sort')
[ "$logged" = "$fed" ] || _fail "the feed and the log differ" "$fed"

begin "events --format json: one object a line, the log's keys and the id"
run events --format json --since 5 --limit 2
expect_rc 0
expect_err ""
expect_out '{"aiproj":1,"id":6,"at":"2026-01-03T10:00:00.000Z","project":"churn","event":"tick","actor":"tester","subject":"1","detail":"Goals set for re-training","value":null,"what":"#1 Goals set for re-training","note":"see ADR-12"}
{"aiproj":1,"id":7,"at":"2026-01-04T13:00:00.000Z","project":"churn","event":"note","actor":"tester","subject":null,"detail":null,"value":null,"what":"","note":"vendor demo on Friday"}'

begin "events --format yaml: one document an event"
run events --format yaml --since 9 --limit 2
expect_rc 0
expect_out '---
aiproj: 1
id: 10
at: "2026-01-05T08:00:00.000Z"
project: churn
event: reading
actor: tester
subject: auc
detail: null
value: 0.83
what: auc = 0.83
note: null
---
aiproj: 1
id: 11
at: "2026-01-05T13:00:00.000Z"
project: churn
event: forced
actor: tester
subject: feasibility
detail: data-preparation
value: null
what: feasibility -> data-preparation
note: hurry'
if python3 -c 'import yaml' 2>/dev/null; then
	[ "$(printf '%s\n' "$OUT" | python3 -c 'import sys, yaml; print([d["id"] for d in yaml.safe_load_all(sys.stdin)])')" = "[10, 11]" ] ||
		_fail "not a stream of YAML documents"
fi

begin "events (text): a table with an ID column"
run --wide events other
expect_rc 0
expect_out_has "ID "
expect_out_has "12 "
expect_out_has "waiting for data"
[ "$(printf '%s\n' "$OUT" | wc -l)" = 3 ] || _fail "not a header and two events"

begin "--since resumes after the last id; nothing after the last"
run events --since 11 --format csv
expect_rc 0
crlf
expect_out "id,at,project,event,actor,what,note
12,2026-01-05T13:00:00.000Z,other,hold,tester,,waiting for data"
run events --since 12
expect_rc 0
expect_out "No events."
run events --since 12 --format json
expect_rc 0
expect_out ""
run events --since 9007199254740991 --format json
expect_rc 0
expect_out ""

begin "ids grow in commit order across tables, whatever the times"
# an event written later with an earlier time comes after: the feed is by
# id, the log by time
at 2026-01-01T00:00:00.000Z
ok note other 'back-dated'
at 2026-01-06T10:00:00.000Z
ok kpi record churn auc 0.9
ok role assign other sponsor 'Bo Chen'
ok gate done other 1
run events --since 12 --format json
expect_rc 0
[ "$(printf '%s\n' "$OUT" | jq -r '"\(.id) \(.event)"' | tr '\n' ',')" = "13 note,14 reading,15 assign,16 tick," ] ||
	_fail "not in commit order"
run log other --format json
[ "$(printf '%s\n' "$OUT" | jq -r '.events[0].note')" = back-dated ] ||
	_fail "the log does not sort by time"

begin "a criterion ticked again is a new event; its old id is not reused"
at 2026-01-07T10:00:00.000Z
ok gate reopen other 1
ok gate done other 1 --note again
run events other --since 16 --format csv
expect_rc 0
crlf
expect_out "id,at,project,event,actor,what,note
17,2026-01-07T10:00:00.000Z,other,reopen,tester,#1,
18,2026-01-07T10:00:00.000Z,other,tick,tester,#1 Goals set for re-training,again"
run events --since 15 --format json
[ "$(printf '%s\n' "$OUT" | jq -r .id | tr '\n' ' ')" = "17 18 " ] ||
	_fail "the first tick of other's criterion is still listed"

begin "a deleted project's events go; ids are never given again"
ok project create temp
ok project delete temp --yes
ok project create temp2
run events --since 18 --format csv
expect_rc 0
crlf
expect_out "id,at,project,event,actor,what,note
20,2026-01-07T10:00:00.000Z,temp2,created,-,at feasibility,"

begin "PROJECT..., --limit and the filters choose"
run events churn other --limit 3 --format json
expect_rc 0
[ "$(printf '%s\n' "$OUT" | jq -r .id | tr '\n' ' ')" = "1 2 3 " ] || _fail "limit"
run events other --format json
[ "$(printf '%s\n' "$OUT" | jq -r .project | sort -u)" = other ] || _fail "named"
run events --status on-hold --format json
[ "$(printf '%s\n' "$OUT" | jq -r .project | sort -u)" = other ] || _fail "--status"
run events --stage data-preparation --format json
[ "$(printf '%s\n' "$OUT" | jq -r .project | sort -u)" = churn ] || _fail "--stage"
run events --person 'bo chen' --format json
[ "$(printf '%s\n' "$OUT" | jq -r .project | sort -u)" = other ] || _fail "--person"
run events --role sponsor --status active --format json
[ "$(printf '%s\n' "$OUT" | jq -r .project | sort -u | tr '\n' ' ')" = "churn " ] ||
	_fail "--role"

begin "errors: an unknown project, a bad id, an unknown stage"
run events nope
expect_rc 3
expect_out ""
expect_err "aiproj: error: no project 'nope'"
run events --since -1
expect_rc 2
expect_err_has "invalid event id '-1'"
run events --since abc
expect_rc 2
run events --limit 0
expect_rc 2
run events --stage nowhere
expect_rc 2
expect_err_has "unknown stage 'nowhere'"

# ---- following ----

# follow_start ARGS...: aiproj events --follow in the background, its
# output in $T_DIR/follow.out; a watchdog ends it if a test hangs
follow_start() {
	"$AIPROJ" events --follow "$@" >"$T_DIR/follow.out" 2>"$T_DIR/follow.err" </dev/null &
	FPID=$!
	(sleep 60 && kill "$FPID" 2>/dev/null) >/dev/null 2>&1 &
	WPID=$!
}
# follow_stop SIGNAL: send it, wait; FRC its exit status
follow_stop() {
	kill "-$1" "$FPID" 2>/dev/null
	wait "$FPID"
	FRC=$?
	kill "$WPID" 2>/dev/null
	wait "$WPID" 2>/dev/null
}
# seen PATTERN MS: the follower printed PATTERN within MS milliseconds
seen() {
	_i=0
	while [ "$_i" -lt "$(($2 / 20))" ]; do
		grep -q "$1" "$T_DIR/follow.out" && return 0
		sleep 0.02
		_i=$((_i + 1))
	done
	grep -q "$1" "$T_DIR/follow.out"
}

begin "--follow sees a move made by another process within 1 s; SIGINT exits 0"
unset AIPROJ_NOW
follow_start --format json --since 20
sleep 0.3
run stage back churn --to feasibility --reason 'by another process'
[ "$RC" = 0 ] || _fail "the move failed"
seen '"event":"back"' 1000 || _fail "the move did not arrive within 1 s"
follow_stop INT
[ "$FRC" = 0 ] || _fail "SIGINT: exit $FRC"
[ -s "$T_DIR/follow.err" ] && _fail "stderr: $(cat "$T_DIR/follow.err")"
[ "$(jq -r .id "$T_DIR/follow.out" | tr '\n' ' ')" = "21 " ] ||
	_fail "not only the new event: $(cat "$T_DIR/follow.out")"

begin "--follow holds no lock: writers go on while it waits"
follow_start --format csv
sleep 0.3
for i in 1 2 3; do
	AIPROJ_BUSY_TIMEOUT=0 "$AIPROJ" note churn "burst $i" >/dev/null 2>&1 ||
		_fail "a writer was kept waiting"
done
seen 'burst 3' 2000 || _fail "the burst did not arrive"
follow_stop TERM
[ "$FRC" = 0 ] || _fail "SIGTERM: exit $FRC"
[ "$(grep -c burst "$T_DIR/follow.out")" = 3 ] || _fail "not each burst once"
[ "$(head -n 1 "$T_DIR/follow.out" | tr -d '\r')" = "id,at,project,event,actor,what,note" ] ||
	_fail "no header"

begin "--follow --limit N stops after N events"
runsh "\"$AIPROJ\" events --since 6 --follow --limit 2 --format json | jq -r .id"
expect_rc 0
expect_out "7
8"

begin "--follow ends when the reader closes the pipe (exit 0, no error)"
runsh "{ \"$AIPROJ\" events --follow; echo \"rc=\$?\" >&2; } | head -n 1"
expect_out_has "ID "
expect_err "rc=0"

begin "text --follow: the table goes on with the same columns"
follow_start --since 23
seen 'burst 3' 3000 || _fail "no first round"
sleep 0.2
run note churn 'late'
seen 'late' 2000 || _fail "late did not arrive"
follow_stop INT
[ "$FRC" = 0 ] || _fail "exit $FRC"
[ "$(grep -c '^ID ' "$T_DIR/follow.out")" = 1 ] || _fail "the header twice"

if ! is_file_store; then
	begin "PostgreSQL: a row written with psql gets an id and wakes a follower"
	follow_start --format json --since 1000
	sleep 0.3
	_psql "$AIPROJ_DB" -c "INSERT INTO event (project_id, kind, note, actor, at)
		SELECT id, 'note', 'from psql', 'dba', '2026-02-01T00:00:00.000Z'
		FROM project WHERE name = 'churn'" || _fail "psql insert"
	run events --format json --since 25
	[ "$(printf '%s\n' "$OUT" | jq -r '"\(.id) \(.note)"')" = "26 from psql" ] ||
		_fail "the psql row: $OUT"
	follow_stop INT
	follow_start --format json --since 26
	sleep 0.3
	_psql "$AIPROJ_DB" -c "INSERT INTO event (project_id, kind, note, actor, at)
		SELECT id, 'note', 'psql again', 'dba', '2026-02-01T00:00:00.000Z'
		FROM project WHERE name = 'churn'" || _fail "psql insert"
	seen 'psql again' 1000 || _fail "the follower did not wake"
	follow_stop INT
	[ "$FRC" = 0 ] || _fail "exit $FRC"
fi

# ---- the relay of docs/events.md ----

begin "the relay of docs/events.md posts every event once, and resumes"
root=$(cd "$(dirname "$0")/../.." && pwd)
sed -n '/^<!-- relay -->$/,/^<!-- \/relay -->$/p' "$root/docs/events.md" |
	sed '1,2d;$d' | sed '$d' >"$T_DIR/relay.sh"
[ "$(wc -l <"$T_DIR/relay.sh")" -le 15 ] || _fail "the relay is longer than 15 lines"
cat >"$T_DIR/listen.py" <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[1], "ab") as f:
            f.write(body + b"\n")
        self.send_response(200)
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.serve_forever()
EOF
: >"$T_DIR/posted"
python3 "$T_DIR/listen.py" "$T_DIR/posted" "$T_DIR/port" &
LPID=$!
i=0
while [ ! -s "$T_DIR/port" ] && [ "$i" -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
mkdir -p "$T_DIR/bin"
ln -sf "$AIPROJ" "$T_DIR/bin/aiproj"
relay() {
	PATH="$T_DIR/bin:$PATH" RELAY_STATE="$T_DIR/relay.state" \
		WEBHOOK_URL="http://127.0.0.1:$(cat "$T_DIR/port")/hook" \
		setsid sh "$T_DIR/relay.sh" >/dev/null 2>"$T_DIR/relay.err" </dev/null &
	RPID=$!
}
# posted N: the listener has N posts within 10 s
posted() {
	_i=0
	while [ "$(wc -l <"$T_DIR/posted")" -lt "$1" ] && [ "$_i" -lt 500 ]; do
		sleep 0.02
		_i=$((_i + 1))
	done
	[ "$(wc -l <"$T_DIR/posted")" = "$1" ]
}
total=$("$AIPROJ" events --format json | wc -l)
relay
posted "$total" || _fail "not every event posted: $(wc -l <"$T_DIR/posted") of $total"
[ "$(jq -r .event.id "$T_DIR/posted" | tr '\n' ' ')" = "$("$AIPROJ" events --format json | jq -r .id | tr '\n' ' ')" ] ||
	_fail "not each event once, in order"
[ "$(head -n 1 "$T_DIR/posted" | jq -r .text)" = "churn: created at feasibility" ] ||
	_fail "the text: $(head -n 1 "$T_DIR/posted")"
run note churn 'relayed'
posted $((total + 1)) || _fail "the new event was not posted"
[ "$(tail -n 1 "$T_DIR/posted" | jq -r .event.note)" = relayed ] || _fail "not the note"
# (stopped between a post and saving its id, the relay would post that
# event again: let it save)
i=0
while [ "$(cat "$T_DIR/relay.state")" != "$(tail -n 1 "$T_DIR/posted" | jq .event.id)" ] &&
	[ "$i" -lt 250 ]; do
	sleep 0.02
	i=$((i + 1))
done
[ "$(cat "$T_DIR/relay.state")" = "$(tail -n 1 "$T_DIR/posted" | jq .event.id)" ] ||
	_fail "the state is not the last id posted"
kill -TERM "-$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null
# stopped: an event meanwhile; started again: that one only
run note churn 'while away'
relay
posted $((total + 2)) || _fail "the event made while away was not posted"
sleep 0.5
[ "$(wc -l <"$T_DIR/posted")" = $((total + 2)) ] || _fail "posted twice"
[ "$(tail -n 1 "$T_DIR/posted" | jq -r .event.note)" = 'while away' ] || _fail "not the note"
kill -TERM "-$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null
kill "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null
[ -s "$T_DIR/relay.err" ] && _fail "the relay complained: $(cat "$T_DIR/relay.err")"

# ---- a store from before the feed ----

begin "a store from before the feed gets ids in the log's order"
UP=$(new_store up)
at 2026-03-02T00:00:00.000Z
"$AIPROJ" --db "$UP" -q project create b
at 2026-03-01T00:00:00.000Z
"$AIPROJ" --db "$UP" -q project create a
"$AIPROJ" --db "$UP" -q note b 'first'
at 2026-03-03T00:00:00.000Z
"$AIPROJ" --db "$UP" -q gate done a 1
# (what came after: schemas/010-person.sql and 011-releases.sql, dropped
# first)
later=$(later_sql)
unfeed=$(unfeed_sql)
if is_file_store; then
	sqlite3 "$UP" "$later $unfeed PRAGMA user_version = 8" ||
		_fail "cannot make a version-8 store"
else
	_psql "$UP" -c "$later
		DROP FUNCTION aiproj_feed_next CASCADE; $unfeed
		UPDATE meta SET value = '8' WHERE key = 'schema_version'" ||
		_fail "cannot make a version-8 store"
fi
run --db "$UP" events --format csv
expect_rc 0
crlf
expect_out "id,at,project,event,actor,what,note
1,2026-03-01T00:00:00.000Z,a,created,-,at feasibility,
2,2026-03-01T00:00:00.000Z,b,note,tester,,first
3,2026-03-02T00:00:00.000Z,b,created,-,at feasibility,
4,2026-03-03T00:00:00.000Z,a,tick,tester,#1 Goals set for re-training,"
run --db "$UP" note a next
run --db "$UP" events --since 4 --format json
[ "$(printf '%s\n' "$OUT" | jq -r .id)" = 5 ] || _fail "the next id is not 5"

finish
