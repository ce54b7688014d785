-- aiproj store schema, migration 008: parallel stages.  A stage whose
-- lifecycle names `starts_after` may be started early (aiproj stage start):
-- a transition of kind 'start' from the current stage to the started one.
-- A start moves nothing: the project stays at its earliest open stage and
-- its epoch counts moves only.  SQLite cannot change a CHECK in place, so
-- the table is rebuilt with its rows, ids and hash chain as they were.

CREATE TABLE transition_new (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	from_stage TEXT NOT NULL,
	to_stage   TEXT NOT NULL,
	kind       TEXT NOT NULL
	           CHECK (kind IN ('advance', 'back', 'forced', 'start')),
	actor      TEXT NOT NULL,
	reason     TEXT,
	at         TEXT NOT NULL,
	prev       TEXT,
	hash       TEXT
) STRICT;
INSERT INTO transition_new (id, project_id, from_stage, to_stage, kind,
	actor, reason, at, prev, hash)
	SELECT id, project_id, from_stage, to_stage, kind, actor, reason, at,
	       prev, hash FROM transition;
DROP TABLE transition;
ALTER TABLE transition_new RENAME TO transition;
CREATE INDEX transition_project ON transition (project_id, id);
CREATE INDEX transition_back ON transition (project_id) WHERE kind = 'back';
