-- aiproj store schema, migration 009: the event feed (`aiproj events`).
-- Every row that `aiproj log` shows as an event carries `feed_id`, its id
-- in the feed: store-wide, strictly increasing in the order the rows were
-- committed, never changed and never reused.  feed_counter holds the last
-- id given; the triggers below give the next one to each new row (and to
-- a criterion each time it is ticked), whoever writes it.  A writer holds
-- the store's write lock until it commits, so ids are given in commit
-- order: a reader that saw id N has seen every id below N.

CREATE TABLE feed_counter (
	last INTEGER NOT NULL
) STRICT;

ALTER TABLE project ADD COLUMN feed_id INTEGER;
ALTER TABLE transition ADD COLUMN feed_id INTEGER;
ALTER TABLE criterion ADD COLUMN feed_id INTEGER;
ALTER TABLE approval ADD COLUMN feed_id INTEGER;
ALTER TABLE decision ADD COLUMN feed_id INTEGER;
ALTER TABLE kpi ADD COLUMN feed_id INTEGER;
ALTER TABLE kpi_reading ADD COLUMN feed_id INTEGER;
ALTER TABLE assignment ADD COLUMN feed_id INTEGER;
ALTER TABLE event ADD COLUMN feed_id INTEGER;

-- The rows the store already holds: numbered in the log's order (time,
-- project, kind, as recorded).  o is the table, pid the project, k and
-- t1, t2 the row within it.
CREATE TEMP TABLE feed_fill AS
SELECT row_number() OVER (ORDER BY at, name, o, s, subject, detail) AS n,
       o, pid, k, t1, t2
FROM (
	SELECT p.created_at AS at, p.name AS name, 0 AS o, 0 AS s,
	       coalesce((SELECT from_stage FROM transition t
	                 WHERE t.project_id = p.id ORDER BY t.id LIMIT 1),
	                p.stage) AS subject,
	       NULL AS detail, p.id AS pid, 0 AS k, NULL AS t1, NULL AS t2
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
CREATE INDEX temp.feed_fill_row ON feed_fill (o, pid, k, t1, t2);

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
INSERT INTO feed_counter (last) SELECT count(*) FROM feed_fill;
DROP TABLE temp.feed_fill;

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
CREATE TRIGGER project_feed AFTER INSERT ON project BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE project SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
CREATE TRIGGER transition_feed AFTER INSERT ON transition BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE transition SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
CREATE TRIGGER approval_feed AFTER INSERT ON approval BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE approval SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
CREATE TRIGGER decision_feed AFTER INSERT ON decision BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE decision SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
CREATE TRIGGER kpi_feed AFTER INSERT ON kpi BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE kpi SET feed_id = (SELECT last FROM feed_counter)
	WHERE project_id = NEW.project_id AND name = NEW.name;
END;
CREATE TRIGGER kpi_reading_feed AFTER INSERT ON kpi_reading BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE kpi_reading SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
CREATE TRIGGER assignment_feed AFTER INSERT ON assignment BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE assignment SET feed_id = (SELECT last FROM feed_counter)
	WHERE project_id = NEW.project_id AND role = NEW.role
	  AND person = NEW.person;
END;
CREATE TRIGGER event_feed AFTER INSERT ON event BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE event SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
-- a criterion is an event when it is ticked: each tick a new id
CREATE TRIGGER criterion_feed AFTER INSERT ON criterion
WHEN NEW.done <> 0 BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE criterion SET feed_id = (SELECT last FROM feed_counter)
	WHERE project_id = NEW.project_id AND id = NEW.id;
END;
CREATE TRIGGER criterion_feed_tick
AFTER UPDATE OF done, done_by, done_at, note ON criterion
WHEN NEW.done <> 0 AND (OLD.done = 0 OR OLD.done_by IS NOT NEW.done_by
     OR OLD.done_at IS NOT NEW.done_at OR OLD.note IS NOT NEW.note) BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE criterion SET feed_id = (SELECT last FROM feed_counter)
	WHERE project_id = NEW.project_id AND id = NEW.id;
END;
