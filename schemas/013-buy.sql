-- aiproj store schema, migration 013: the buy path.  A buy decision moves
-- the project to the lifecycle's on_buy stage (aiproj decide PROJECT buy):
-- a transition of kind 'buy', from the stage where make or buy was
-- decided to a later one, the stages between skipped.  SQLite cannot
-- change a CHECK in place, so the table is rebuilt with its rows, ids,
-- hash chain and feed ids as they were, its indexes and its trigger
-- (schemas/012-stage-start.sql).

CREATE TABLE transition_new (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	from_stage TEXT NOT NULL,
	to_stage   TEXT NOT NULL,
	kind       TEXT NOT NULL
	           CHECK (kind IN ('advance', 'back', 'forced', 'start', 'buy')),
	actor      TEXT NOT NULL,
	reason     TEXT,
	at         TEXT NOT NULL,
	prev       TEXT,
	hash       TEXT,
	feed_id    INTEGER
) STRICT;
INSERT INTO transition_new (id, project_id, from_stage, to_stage, kind,
	actor, reason, at, prev, hash, feed_id)
	SELECT id, project_id, from_stage, to_stage, kind, actor, reason, at,
	       prev, hash, feed_id FROM transition;
DROP TABLE transition;
ALTER TABLE transition_new RENAME TO transition;
CREATE INDEX transition_project ON transition (project_id, id);
CREATE INDEX transition_back ON transition (project_id) WHERE kind = 'back';
CREATE INDEX transition_feed_id ON transition (feed_id);
CREATE TRIGGER transition_feed AFTER INSERT ON transition BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE transition SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
