#!/bin/sh
# gen.sh - fill an aiproj store with N synthetic projects for benchmarks.
#
#   tests/bench/gen.sh N OUT.db [AIPROJ]
#
# The store itself is made by aiproj: it creates one template project, so
# the schema, pragmas, meta (lifecycle, policy) and the rows `project create`
# writes (18 criteria numbered 1.. per project, 3 components) come from
# aiproj, not from here.  Then one sqlite3 transaction bulk-inserts N projects
# mirroring what the aiproj commands write (src/store_sqlite.c):
#
#   project     stage spread over every stage of the store's lifecycle,
#               status active / on-hold / closed (bought at feasibility, or
#               closed with a reason), epoch = number of transitions,
#               entered_at = time of the last transition
#   criterion   the template's criteria per project (same ids, stages, text);
#               done for earlier stages, about half done for the current one
#   component   the template's 3 components per project
#   assignment  every A/R role of the stages reached (a gap now and then in
#               the current stage), some I/C roles, a second holder at times;
#               people from a pool of max(200, N/4) names
#   decision    make with cost (sometimes an earlier one without), buy for the
#               bought projects; ids in time order so max(id) is the latest
#   kpi         1-3 KPIs with targets, 0-4 readings each
#   transition  8-12 per project (a random walk from the first stage that
#               ends at the project's stage: advance, forced, back), ids in
#               time order across projects like a store that grew over years
#   approval    one per 'advance' (the from-stage, the epoch it was given in,
#               by the stage's accountable person), plus some for the
#               current stage and epoch
#
# The template project is deleted at the end (ids start at 2).  Needs the
# sqlite3 shell (readfile, JSON functions) and awk.
set -eu

N=${1:?usage: gen.sh N OUT.db [AIPROJ]}
OUT=${2:?usage: gen.sh N OUT.db [AIPROJ]}
AIPROJ=${3:-build/aiproj}
SQLITE3=${SQLITE3:-sqlite3}

case $N in
'' | *[!0-9]*) echo "gen.sh: N must be a number" >&2; exit 2 ;;
esac
[ "$N" -ge 1 ] || { echo "gen.sh: N must be at least 1" >&2; exit 2; }
TPL=bench-template-project

rm -f "$OUT" "$OUT-wal" "$OUT-shm"
tmp="$OUT.gen.d"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

export AIPROJ_ACTOR=ci-bot
"$AIPROJ" --db "$OUT" -q project create "$TPL"
"$AIPROJ" --db "$OUT" --format json stage list >"$tmp/stages.json"
"$AIPROJ" --db "$OUT" --format json role list >"$tmp/roles.json"
nst=$("$SQLITE3" -init /dev/null :memory: \
	"SELECT json_array_length(readfile('$tmp/stages.json'), '\$.stages')")

# Random walks, 64 per target stage: rows (target, template, seq, from, to,
# kind), every walk 8-12 moves long and ending at the target.  reach[c,r]:
# can stage c get to the target in exactly r moves (advance c+1 or back to
# any earlier stage)?
awk -v nst="$nst" -v seed=20240601 'BEGIN {
	srand(seed); L = nst - 1; K = 64; M = 24
	for (T = 0; T < nst; T++) {
		for (r = 0; r <= M; r++)
			for (c = 0; c < nst; c++) {
				if (r == 0) { R[c, r] = (c == T); continue }
				v = (c < L && R[c + 1, r - 1])
				for (b = 0; b < c && !v; b++)
					if (R[b, r - 1]) v = 1
				R[c, r] = v
			}
		for (k = 0; k < K; k++) {
			if (L == 0) continue
			n = 8 + int(rand() * 5)
			while (n < M && !R[0, n]) n++
			c = 0
			for (j = 0; j < n; j++) {
				r = n - j; nb = 0
				canA = (c < L && R[c + 1, r - 1])
				for (b = 0; b < c; b++)
					if (R[b, r - 1]) B[nb++] = b
				if (canA && (nb == 0 || rand() < 0.7)) {
					to = c + 1
					kind = rand() < 0.2 ? "forced" : "advance"
				} else {
					to = B[int(rand() * nb)]; kind = "back"
				}
				printf "INSERT INTO tpl VALUES(%d,%d,%d,%d,%d,\047%s\047);\n", T, k, j, c, to, kind
				c = to
			}
		}
	}
}' >"$tmp/tpl.sql"

"$SQLITE3" -init /dev/null -bail "$OUT" >/dev/null <<SQL
PRAGMA busy_timeout = 5000;
PRAGMA foreign_keys = ON;
-- bulk load without a journal (a failed run leaves a file that is deleted
-- and made again); the store is back in WAL mode at the end
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;
PRAGMA cache_size = -2097152;
BEGIN IMMEDIATE;

CREATE TEMP TABLE stg AS
  SELECT key AS idx, value->>'slug' AS slug, value->>'\$.accountable[0]' AS acc
  FROM json_each(readfile('$tmp/stages.json'), '\$.stages');
CREATE TEMP TABLE rol AS
  SELECT key AS idx, value->>'slug' AS slug
  FROM json_each(readfile('$tmp/roles.json'), '\$.roles');
-- RACI letters A/R per (stage, role)
CREATE TEMP TABLE raci AS
  SELECT s.key AS sidx, r.value AS role
  FROM json_each(readfile('$tmp/stages.json'), '\$.stages') s,
       json_each(s.value, '\$.accountable') r
  UNION
  SELECT s.key, r.value
  FROM json_each(readfile('$tmp/stages.json'), '\$.stages') s,
       json_each(s.value, '\$.responsible') r;
-- the first stage where a role is A or R
CREATE TEMP TABLE role_need AS
  SELECT rol.idx, rol.slug, (SELECT min(sidx) FROM raci WHERE role = rol.slug) AS first
  FROM rol;

CREATE TEMP TABLE seedc AS
  SELECT c.id, c.stage, c.text, stg.idx AS sidx
  FROM criterion c JOIN project p ON p.id = c.project_id
  JOIN stg ON stg.slug = c.stage WHERE p.name = '$TPL';
CREATE TEMP TABLE seedcomp AS
  SELECT c.name, c.owner, c.description
  FROM component c JOIN project p ON p.id = c.project_id WHERE p.name = '$TPL';

CREATE TEMP TABLE tpl (t INTEGER, k INTEGER, j INTEGER, f INTEGER, tt INTEGER, kind TEXT);
.read $tmp/tpl.sql
CREATE INDEX temp.tpl_tk ON tpl (t, k, j);
CREATE TEMP TABLE tplinfo AS SELECT t, k, count(*) AS n FROM tpl GROUP BY t, k;

CREATE TEMP TABLE w (kind TEXT, i INTEGER, s TEXT);
INSERT INTO w SELECT 'adj', key, value FROM json_each('["churn","fraud","demand","price","vision","speech","search","credit","supply","energy","health","retail","risk","route","fleet","claims","crop","sensor","ad","text"]');
INSERT INTO w SELECT 'noun', key, value FROM json_each('["model","forecast","scoring","detector","ranker","classifier","assistant","optimizer","pipeline","tagger","engine","predictor","monitor","matcher","planner","advisor"]');
INSERT INTO w SELECT 'first', key, value FROM json_each('["Ana","Bo","Chen","Dana","Eli","Fatima","Goran","Hana","Ivan","Jia","Kemal","Lena","Mateo","Nia","Omar","Priya","Quinn","Rosa","Sven","Tariq","Uma","Vera","Wen","Ximena","Yusuf","Zoe","Ada","Ben","Carla","Dmitri"]');
INSERT INTO w SELECT 'last', key, value FROM json_each('["Lima","Chen","Okafor","Novak","Silva","Kowalski","Haddad","Tanaka","Müller","García","Ivanova","Nguyen","Smith","Rossi","Dubois","Kim","Patel","Jensen","Moreau","Costa","Yilmaz","Santos","Berg","Horvat","Mendes","Andersen","Park","Nakamura","Fischer","Lopez","Ortiz","Wong","Kaur","Ahmed","Popescu","Virtanen","Murphy","Hughes","Brennan","Sato"]');
CREATE TEMP TABLE nw AS SELECT kind, count(*) AS n FROM w GROUP BY kind;

-- people pool: P names
CREATE TEMP TABLE people (x INTEGER PRIMARY KEY, name TEXT);
WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x + 1 < max(200, $N / 4))
INSERT INTO people
SELECT x, (SELECT s FROM w WHERE kind = 'first' AND i = x % (SELECT n FROM nw WHERE kind = 'first'))
       || ' ' ||
       (SELECT s FROM w WHERE kind = 'last' AND i = (x / (SELECT n FROM nw WHERE kind = 'first')) % (SELECT n FROM nw WHERE kind = 'last'))
       || CASE WHEN x >= 1200 THEN ' ' || (x / 1200 + 1) ELSE '' END
FROM s;
CREATE TEMP TABLE np AS SELECT count(*) AS n FROM people;

-- one row per project: its random choices
CREATE TEMP TABLE gp (
  i INTEGER PRIMARY KEY, id INTEGER, name TEXT, t INTEGER, k INTEGER, n INTEGER,
  r1 INTEGER, r2 INTEGER, r3 INTEGER, cjd REAL, step REAL, st TEXT);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $N)
INSERT INTO gp (i, id, t, k, r1, r2, r3, cjd, step)
SELECT i, i + 1,
       min(abs(random()) % $nst, abs(random()) % $nst),
       abs(random()) % 64,
       abs(random()) % 1000000, abs(random()) % 1000000, abs(random()) % 1000000,
       julianday('2019-01-01') + (i - 1) * 1500.0 / $N + (abs(random()) % 86400000) / 86400000.0,
       1 + abs(random()) % 20
FROM s;
UPDATE gp SET
  n = coalesce((SELECT n FROM tplinfo WHERE tplinfo.t = gp.t AND tplinfo.k = gp.k), 0),
  name = (SELECT s FROM w WHERE kind = 'adj' AND w.i = gp.r1 % (SELECT n FROM nw WHERE kind = 'adj'))
         || '-' ||
         (SELECT s FROM w WHERE kind = 'noun' AND w.i = gp.r2 % (SELECT n FROM nw WHERE kind = 'noun'))
         || '-' || gp.i,
  st = CASE WHEN gp.t = 0 AND gp.r3 % 100 < 15 THEN 'bought'
            WHEN gp.r3 % 100 < 4 THEN 'closed'
            WHEN gp.r3 % 100 < 12 THEN 'on-hold'
            ELSE 'active' END;

-- assignments: A/R roles of the stages reached, a gap at times in the
-- current stage's roles, other roles at times; a second holder at times
CREATE TEMP TABLE asg AS
  SELECT gp.id AS pid, rn.idx AS ridx, rn.slug AS role,
         (gp.id * 7919 + rn.idx * 104729 + gp.r1) % np.n AS x,
         gp.cjd + 0.02 * (rn.idx + 1) AS jd,
         (gp.r2 + rn.idx * 31) % 100 AS rr
  FROM gp, role_need rn, np
  WHERE CASE WHEN rn.first < gp.t THEN 1
             WHEN rn.first = gp.t THEN (gp.r2 + rn.idx * 31) % 100 >= 20
             ELSE (gp.r2 + rn.idx * 31) % 100 < 30 END;
INSERT INTO asg
  SELECT pid, ridx, role, (x + 1 + pid % 97) % np.n, jd + 0.5, rr
  FROM asg, np WHERE rr % 10 = 3;

INSERT INTO project (id, name, description, status, status_reason, outcome,
                     stage, epoch, entered_at, created_at, status_at)
SELECT gp.id, gp.name,
       CASE WHEN gp.r1 % 3 = 0 THEN '' ELSE 'Synthetic benchmark project ' || gp.i END,
       CASE gp.st WHEN 'bought' THEN 'closed' ELSE gp.st END,
       CASE gp.st WHEN 'bought' THEN 'a vendor product fits'
                  WHEN 'closed' THEN 'stopped: no business case'
                  WHEN 'on-hold' THEN 'waiting for data access' END,
       CASE gp.st WHEN 'bought' THEN 'bought' END,
       stg.slug, gp.n,
       strftime('%Y-%m-%dT%H:%M:%fZ', gp.cjd + gp.n * gp.step + gp.n * 0.01),
       strftime('%Y-%m-%dT%H:%M:%fZ', gp.cjd),
       -- (as aiproj writes it: created, then the status change, here at
       -- the last move)
       strftime('%Y-%m-%dT%H:%M:%fZ', CASE gp.st WHEN 'active' THEN gp.cjd
                ELSE gp.cjd + gp.n * gp.step + gp.n * 0.01 END)
FROM gp JOIN stg ON stg.idx = gp.t ORDER BY gp.id;

INSERT INTO criterion (project_id, id, stage, text, done, done_by, done_at, note)
SELECT pid, id, stage, text, done,
       CASE WHEN done THEN CASE WHEN id % 2 THEN 'ci-bot' ELSE (SELECT name FROM people WHERE x = (r3 + id) % np.n) END END,
       CASE WHEN done THEN strftime('%Y-%m-%dT%H:%M:%fZ', cjd + 0.03 * id) END,
       CASE WHEN done AND (r2 + id) % 20 = 0 THEN 'see the runbook' END
FROM (SELECT gp.id AS pid, gp.r2, gp.r3, gp.cjd, c.id, c.stage, c.text,
             CASE WHEN c.sidx < gp.t THEN 1
                  WHEN c.sidx = gp.t THEN (gp.r1 + c.id) % 2
                  ELSE 0 END AS done
      FROM gp CROSS JOIN seedc c) CROSS JOIN np;

INSERT INTO component (project_id, name, owner, description)
SELECT gp.id, c.name, c.owner, c.description FROM gp CROSS JOIN seedcomp c;

INSERT INTO assignment (project_id, role, person, assigned_at)
SELECT pid, role, people.name, strftime('%Y-%m-%dT%H:%M:%fZ', min(jd))
FROM asg JOIN people USING (x) GROUP BY pid, role, people.name ORDER BY pid, role;

-- the accountable person per (project, stage), if any
CREATE TEMP TABLE accp AS
  SELECT a.project_id AS pid, stg.slug AS stage, stg.acc AS role, min(a.person) AS person
  FROM assignment a JOIN stg ON a.role = stg.acc
  WHERE a.project_id > (SELECT min(id) - 1 FROM gp)
  GROUP BY a.project_id, stg.slug;
CREATE INDEX temp.accp_i ON accp (pid, stage);

-- decisions, in time order: make (an earlier one without a cost at times),
-- buy for the bought ones (after the last move: it closed the project)
INSERT INTO decision (project_id, kind, cost, reason, actor, at)
SELECT pid, kind, cost, reason, actor, strftime('%Y-%m-%dT%H:%M:%fZ', jd) FROM (
  SELECT gp.id AS pid, 'make' AS kind, NULL AS cost, 'first estimate: build it' AS reason,
         coalesce((SELECT person FROM accp WHERE pid = gp.id AND stage = (SELECT slug FROM stg WHERE idx = 0)), 'ci-bot') AS actor,
         gp.cjd + 0.2 AS jd
  FROM gp WHERE (gp.t > 0 OR gp.r1 % 2 = 0) AND gp.r2 % 5 = 0
  UNION ALL
  SELECT gp.id, 'make', 10000 + (gp.r3 % 500) * 1000, 'no vendor fits',
         coalesce((SELECT person FROM accp WHERE pid = gp.id AND stage = (SELECT slug FROM stg WHERE idx = 0)), 'ci-bot'),
         gp.cjd + 0.5
  FROM gp WHERE gp.t > 0 OR gp.r1 % 2 = 0
  UNION ALL
  SELECT gp.id, 'buy', 5000 + (gp.r3 % 300) * 1000, 'a vendor product fits',
         coalesce((SELECT person FROM accp WHERE pid = gp.id AND stage = (SELECT slug FROM stg WHERE idx = 0)), 'ci-bot'),
         gp.cjd + gp.n * gp.step + gp.n * 0.01 + 0.1
  FROM gp WHERE gp.st = 'bought')
ORDER BY jd;

CREATE TEMP TABLE kn (i INTEGER, name TEXT, op TEXT, target REAL);
INSERT INTO kn VALUES (0, 'auc', '>=', 0.8), (1, 'latency-ms', '<=', 200),
  (2, 'precision', '>=', 0.9), (3, 'recall', '>=', 0.75);
CREATE TEMP TABLE kp AS
  SELECT gp.id AS pid, kn.name, kn.op, kn.target, gp.cjd + 0.4 + kn.i * 0.01 AS jd,
         (gp.r3 / 7 + kn.i * 13) % 5 AS nread, gp.step
  FROM gp JOIN kn ON kn.i < 1 + gp.r2 % 3
  WHERE gp.t > 0 OR gp.r1 % 2 = 0;
INSERT INTO kpi (project_id, name, op, target, created_at)
SELECT pid, name, op, target, strftime('%Y-%m-%dT%H:%M:%fZ', jd) FROM kp ORDER BY pid, name;
WITH RECURSIVE rd(pid, name, target, jd, nread, step, q) AS (
  SELECT pid, name, target, jd, nread, step, 0 FROM kp WHERE nread > 0
  UNION ALL
  SELECT pid, name, target, jd, nread, step, q + 1 FROM rd WHERE q + 1 < nread)
INSERT INTO kpi_reading (project_id, kpi, value, actor, at)
SELECT pid, name, round(target * (0.85 + ((pid * 31 + q * 17) % 30) / 100.0), 4),
       'ci-bot', strftime('%Y-%m-%dT%H:%M:%fZ', jd + (q + 1) * step * 1.5)
FROM rd ORDER BY jd + (q + 1) * step * 1.5;

-- the moves, in time order, with the from-stage's accountable person
CREATE TEMP TABLE mv AS
  SELECT gp.id AS pid, tpl.j, fs.slug AS f, ts.slug AS tt, tpl.kind, fs.acc AS facc,
         a.person AS fperson,
         gp.cjd + (tpl.j + 1) * gp.step + (tpl.j + 1) * 0.01 AS jd
  FROM gp JOIN tpl ON tpl.t = gp.t AND tpl.k = gp.k
  JOIN stg fs ON fs.idx = tpl.f JOIN stg ts ON ts.idx = tpl.tt
  LEFT JOIN accp a ON a.pid = gp.id AND a.stage = fs.slug
  ORDER BY jd;

INSERT INTO transition (project_id, from_stage, to_stage, kind, actor, reason, at)
SELECT pid, f, tt, kind,
       CASE WHEN (pid + j) % 3 = 0 THEN 'ci-bot' ELSE coalesce(fperson, 'ci-bot') END,
       CASE kind WHEN 'back' THEN 'rework: ' || tt || ' was not done'
                 WHEN 'forced' THEN 'deadline: approved by the steering board' END,
       strftime('%Y-%m-%dT%H:%M:%fZ', jd)
FROM mv ORDER BY rowid;

-- approvals: the gatekeeper before each advance, in the epoch of that
-- moment; and some for the current stage and epoch
INSERT INTO approval (project_id, stage, epoch, person, role, note, at)
SELECT pid, stage, epoch, person, role, note, strftime('%Y-%m-%dT%H:%M:%fZ', jd) FROM (
  SELECT pid, f AS stage, j AS epoch,
         coalesce(fperson, (SELECT name FROM people WHERE x = (pid * 7 + j) % np.n)) AS person,
         facc AS role,
         CASE WHEN (pid + j) % 7 = 0 THEN 'ok from me' END AS note,
         jd - 0.005 AS jd
  FROM mv CROSS JOIN np
  WHERE kind = 'advance'
  UNION ALL
  SELECT gp.id, stg.slug, gp.n, a.person, a.role, NULL,
         gp.cjd + gp.n * gp.step + gp.n * 0.01 + 0.3
  FROM gp JOIN stg ON stg.idx = gp.t
  JOIN accp a ON a.pid = gp.id AND a.stage = stg.slug
  WHERE gp.st = 'active' AND gp.r1 % 4 = 0)
ORDER BY jd;

DELETE FROM project WHERE name = '$TPL';
COMMIT;
PRAGMA journal_mode = WAL;
SQL

# Check what was made, through aiproj itself.
got=$("$SQLITE3" -init /dev/null "$OUT" "SELECT count(*) FROM project")
[ "$got" = "$N" ] || { echo "gen.sh: made $got projects, wanted $N" >&2; exit 1; }
"$SQLITE3" -init /dev/null "$OUT" "PRAGMA foreign_key_check" >"$tmp/fk"
[ ! -s "$tmp/fk" ] || { echo "gen.sh: foreign key violations:" >&2; head "$tmp/fk" >&2; exit 1; }
# a project per stage: aiproj must read it like one of its own
for name in $("$SQLITE3" -init /dev/null "$OUT" \
	"SELECT min(name) FROM project WHERE status = 'active' GROUP BY stage"); do
	"$AIPROJ" --db "$OUT" -q stage show "$name"
	"$AIPROJ" --db "$OUT" -q gate show "$name"
	"$AIPROJ" --db "$OUT" -q stage history "$name"
	"$AIPROJ" --db "$OUT" -q project show "$name"
	rc=0
	"$AIPROJ" --db "$OUT" -q stage check "$name" --gate --kpis || rc=$?
	[ "$rc" -le 1 ] || { echo "gen.sh: stage check $name: exit $rc" >&2; exit 1; }
done
if [ "$N" -le 10000 ]; then
	"$AIPROJ" --db "$OUT" -q report status --all
	"$AIPROJ" --db "$OUT" -q report roles --all
	"$AIPROJ" --db "$OUT" -q report people --all
fi
