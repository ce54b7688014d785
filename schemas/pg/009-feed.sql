-- aiproj store schema, migration 009 (PostgreSQL): the event feed, as
-- schemas/009-feed.sql (see there).  Here one function gives the next id
-- to a new row from the sequence feed_seq, after taking the writers'
-- advisory lock (the one aiproj's writers take first, 'AIPR'), held until
-- the writer commits: so ids are given in commit order even to writers
-- that do not take it themselves (psql).  (A sequence, not a counter row:
-- updating one row again and again in one transaction grows slower with
-- each update.)  It also NOTIFYs aiproj_events, delivered when the writer
-- commits, which wakes `aiproj events --follow`.

CREATE SEQUENCE feed_seq;

ALTER TABLE project ADD COLUMN feed_id BIGINT;
ALTER TABLE transition ADD COLUMN feed_id BIGINT;
ALTER TABLE criterion ADD COLUMN feed_id BIGINT;
ALTER TABLE approval ADD COLUMN feed_id BIGINT;
ALTER TABLE decision ADD COLUMN feed_id BIGINT;
ALTER TABLE kpi ADD COLUMN feed_id BIGINT;
ALTER TABLE kpi_reading ADD COLUMN feed_id BIGINT;
ALTER TABLE assignment ADD COLUMN feed_id BIGINT;
ALTER TABLE event ADD COLUMN feed_id BIGINT;

-- The rows the store already holds: numbered in the log's order (time,
-- project, kind, as recorded).  o is the table, pid the project, k and
-- t1, t2 the row within it.
CREATE TEMP TABLE feed_fill ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY at COLLATE "C", name COLLATE "C", o, s,
                                  subject COLLATE "C" NULLS FIRST,
                                  detail COLLATE "C" NULLS FIRST) AS n,
       o, pid, k, t1, t2
FROM (
	SELECT p.created_at AS at, p.name AS name, 0 AS o, 0 AS s,
	       coalesce((SELECT from_stage FROM transition t
	                 WHERE t.project_id = p.id ORDER BY t.id LIMIT 1),
	                p.stage) AS subject,
	       CAST(NULL AS TEXT) AS detail, p.id AS pid, 0 AS k,
	       CAST(NULL AS TEXT) AS t1, CAST(NULL AS TEXT) AS t2
	FROM project p
	UNION ALL SELECT x.at, p.name, 1, x.id, x.from_stage, x.to_stage,
	       p.id, x.id, NULL, NULL
	FROM transition x JOIN project p ON p.id = x.project_id
	UNION ALL SELECT x.done_at, p.name, 2, x.id, CAST(x.id AS TEXT),
	       x.text, p.id, x.id, NULL, NULL
	FROM criterion x JOIN project p ON p.id = x.project_id
	WHERE x.done <> 0
	UNION ALL SELECT x.at, p.name, 3, x.id, x.stage, x.role, p.id, x.id,
	       NULL, NULL
	FROM approval x JOIN project p ON p.id = x.project_id
	UNION ALL SELECT x.at, p.name, 4, x.id, x.kind, NULL, p.id, x.id,
	       NULL, NULL
	FROM decision x JOIN project p ON p.id = x.project_id
	UNION ALL SELECT x.created_at, p.name, 5, 0, x.name, x.op, p.id, 0,
	       x.name, NULL
	FROM kpi x JOIN project p ON p.id = x.project_id
	UNION ALL SELECT x.at, p.name, 6, x.id, x.kpi, NULL, p.id, x.id, NULL,
	       NULL
	FROM kpi_reading x JOIN project p ON p.id = x.project_id
	UNION ALL SELECT x.assigned_at, p.name, 7, 0, x.role, x.person, p.id, 0,
	       x.role, x.person
	FROM assignment x JOIN project p ON p.id = x.project_id
	UNION ALL SELECT x.at, p.name, 8, x.id, x.subject, x.detail, p.id,
	       x.id, NULL, NULL
	FROM event x JOIN project p ON p.id = x.project_id
) u;
CREATE INDEX feed_fill_row ON feed_fill (o, pid, k, t1, t2);

UPDATE project SET feed_id = f.n FROM feed_fill f
WHERE f.o = 0 AND f.pid = project.id;
UPDATE transition SET feed_id = f.n FROM feed_fill f
WHERE f.o = 1 AND f.pid = transition.project_id AND f.k = transition.id;
UPDATE criterion SET feed_id = f.n FROM feed_fill f
WHERE f.o = 2 AND f.pid = criterion.project_id AND f.k = criterion.id;
UPDATE approval SET feed_id = f.n FROM feed_fill f
WHERE f.o = 3 AND f.pid = approval.project_id AND f.k = approval.id;
UPDATE decision SET feed_id = f.n FROM feed_fill f
WHERE f.o = 4 AND f.pid = decision.project_id AND f.k = decision.id;
UPDATE kpi SET feed_id = f.n FROM feed_fill f
WHERE f.o = 5 AND f.pid = kpi.project_id AND f.k = 0 AND f.t1 = kpi.name;
UPDATE kpi_reading SET feed_id = f.n FROM feed_fill f
WHERE f.o = 6 AND f.pid = kpi_reading.project_id AND f.k = kpi_reading.id;
UPDATE assignment SET feed_id = f.n FROM feed_fill f
WHERE f.o = 7 AND f.pid = assignment.project_id AND f.k = 0
  AND f.t1 = assignment.role AND f.t2 = assignment.person;
UPDATE event SET feed_id = f.n FROM feed_fill f
WHERE f.o = 8 AND f.pid = event.project_id AND f.k = event.id;
SELECT setval('feed_seq', greatest(count(*), 1), count(*) > 0)
FROM feed_fill;
DROP TABLE feed_fill;

-- `events --since ID` reads each table from an index
CREATE INDEX project_feed_id ON project (feed_id);
CREATE INDEX transition_feed_id ON transition (feed_id);
CREATE INDEX criterion_feed_id ON criterion (feed_id);
CREATE INDEX approval_feed_id ON approval (feed_id);
CREATE INDEX decision_feed_id ON decision (feed_id);
CREATE INDEX kpi_feed_id ON kpi (feed_id);
CREATE INDEX kpi_reading_feed_id ON kpi_reading (feed_id);
CREATE INDEX assignment_feed_id ON assignment (feed_id);
CREATE INDEX event_feed_id ON event (feed_id);

-- New rows: the next id, whatever the row was written with.
CREATE FUNCTION aiproj_feed_next() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(1095323730);
	NEW.feed_id := nextval('feed_seq');
	PERFORM pg_notify('aiproj_events', '');
	RETURN NEW;
END $$;
CREATE TRIGGER project_feed BEFORE INSERT ON project
	FOR EACH ROW EXECUTE FUNCTION aiproj_feed_next();
CREATE TRIGGER transition_feed BEFORE INSERT ON transition
	FOR EACH ROW EXECUTE FUNCTION aiproj_feed_next();
CREATE TRIGGER approval_feed BEFORE INSERT ON approval
	FOR EACH ROW EXECUTE FUNCTION aiproj_feed_next();
CREATE TRIGGER decision_feed BEFORE INSERT ON decision
	FOR EACH ROW EXECUTE FUNCTION aiproj_feed_next();
CREATE TRIGGER kpi_feed BEFORE INSERT ON kpi
	FOR EACH ROW EXECUTE FUNCTION aiproj_feed_next();
CREATE TRIGGER kpi_reading_feed BEFORE INSERT ON kpi_reading
	FOR EACH ROW EXECUTE FUNCTION aiproj_feed_next();
CREATE TRIGGER assignment_feed BEFORE INSERT ON assignment
	FOR EACH ROW EXECUTE FUNCTION aiproj_feed_next();
CREATE TRIGGER event_feed BEFORE INSERT ON event
	FOR EACH ROW EXECUTE FUNCTION aiproj_feed_next();
-- a criterion is an event when it is ticked: each tick a new id
CREATE TRIGGER criterion_feed BEFORE INSERT ON criterion
	FOR EACH ROW WHEN (NEW.done <> 0)
	EXECUTE FUNCTION aiproj_feed_next();
CREATE TRIGGER criterion_feed_tick
	BEFORE UPDATE OF done, done_by, done_at, note ON criterion
	FOR EACH ROW WHEN (NEW.done <> 0 AND (OLD.done = 0
	     OR OLD.done_by IS DISTINCT FROM NEW.done_by
	     OR OLD.done_at IS DISTINCT FROM NEW.done_at
	     OR OLD.note IS DISTINCT FROM NEW.note))
	EXECUTE FUNCTION aiproj_feed_next();

-- The sequence is the owner's: a member's write (schemas/pg/008-server-policy.sql
-- gives members no right on feed_seq) takes its id through the function,
-- which runs with the owner's rights and sees only the store's schema.
DO $$
BEGIN
	EXECUTE format('ALTER FUNCTION aiproj_feed_next() SECURITY DEFINER'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
END $$;
